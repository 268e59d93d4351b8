"""Reproduce docs/img/zeeman-mc.png: 2D magnetoconductance with spin-orbit, with and without the Zeeman effect.

D = 0.001 m^2/s, isotropic spin-orbit 4e11 1/s, dephasing 1e10 1/s; g = 0 (HLN), g = 2 (the same perpendicular
field splits the spins; the exceptional point of the singlet-triplet block at B = 1.52 T for g = 2 is marked), g = 2
with a fixed in-plane 3 T field, and the textbook "fixed B+-" form (subtract="same_splitting").
Run: ``python docs/img/zeeman_mc.py`` (matplotlib, Agg): the package figure style (:func:`mesocorr.plots.style`),
PNG and vector PDF without version or date metadata (:func:`mesocorr.plots.save_reproducibly`).
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

import mesocorr
from mesocorr.plots import save_reproducibly, style
from mesocorr.units import HBAR, MU_B

D, SO, PHI = 0.001, 4e11, 1e10
B = np.linspace(-6, 6, 2401)
B = B[B != 0]
with style():
    fig, ax = plt.subplots(figsize=(6.4, 4.0), layout="constrained")
    ax.plot(B, mesocorr.magnetoconductance(B, D=D, so=SO, phi=PHI), label=r"$g = 0$ (HLN)")
    ax.plot(B, mesocorr.magnetoconductance(B, D=D, so=SO, phi=PHI, g_factor=2), ":",
            label=r"$g = 2$, same field (on top of HLN)")
    ax.plot(B, mesocorr.magnetoconductance(B, D=D, so=SO, phi=PHI, g_factor=2, B_inplane=3.0),
            label=r"$g = 2$, $+3$ T in plane")
    ax.plot(B, mesocorr.magnetoconductance(B, D=D, so=SO, phi=PHI, g_factor=2, subtract="same_splitting"), "--",
            label=r"$g = 2$, textbook fixed $B_\pm$ (wrong $\sigma(0)$)")
    b_ep = (2 / 3) * SO * HBAR / (2 * MU_B)
    for s in (-1, 1):
        ax.axvline(s * b_ep, color="0.7", lw=0.8)
    ax.text(b_ep * 1.05, ax.get_ylim()[0] * 0.9, "EP", color="0.5")
    ax.set_xlabel(r"$B$ (T)")
    ax.set_ylabel(r"$\Delta\sigma(B) = \sigma(B) - \sigma(0)$ ($e^2/h$ per square)")
    ax.set_title(r"WAL with Zeeman splitting ($D = 10^{-3}$ m$^2$/s, $1/\tau_{so} = 4\times10^{11}$ s$^{-1}$, "
                 r"$1/\tau_\phi = 10^{10}$ s$^{-1}$)")
    ax.legend()
for ext in ("png", "pdf"):
    save_reproducibly(fig, Path(__file__).with_name(f"zeeman-mc.{ext}"))
