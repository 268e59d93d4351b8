"""Reproduce ``docs/img/ilp-fit.png`` (README, "Spin precession in 2D electron gases (ILP)").

A synthetic InGaAs-like weak-antilocalization trace (B_phi = 0.1 mT, H_R = 2 mT, H_3 = 0.1 mT, no linear
Dresselhaus; Gaussian noise 0.002 e^2/h, seed 7, 101 fields), the ILP fit of B_phi and B_rashba (cubic field held),
and for comparison the curves of the same B_phi and H_SO with the spin-orbit split as a persistent spin helix
(H_R = H_D, exactly weak localization) and as HLN spin-orbit scattering with the best HLN fit.

Run: ``python docs/img/ilp_fit.py`` (needs matplotlib; the PNG is byte-identical for the same versions).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

import mesocorr
from mesocorr.derivations.core import save_png


PNG = Path(__file__).with_name("ilp-fit.png")


def main(path=PNG):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    B = np.linspace(-0.01, 0.01, 101)
    truth = dict(B_phi=1e-4, B_rashba=2e-3, B_dresselhaus=0.0, B_cubic=1e-4)
    rng = np.random.default_rng(7)
    y = mesocorr.ilp_magnetoconductance(B, **truth) + 0.002 * rng.standard_normal(B.size)
    fit = mesocorr.fit_ilp(B, y, B_dresselhaus=0.0, B_cubic=1e-4)
    hln = mesocorr.fit_magnetoconductance(B, y, model="hln")
    Bf = np.linspace(-0.01, 0.01, 801)
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    ax.plot(1e3 * B, y, "o", ms=3, color="0.35", label="synthetic data (InGaAs-like)")
    ax.plot(1e3 * Bf, fit.predict(Bf), "-", color="C0",
            label=f"ILP fit: $B_\\phi$ = {1e3 * fit.value('B_phi'):.4f} mT, $H_R$ = {1e3 * fit.value('B_rashba'):.3f} mT")
    ax.plot(1e3 * Bf, hln.predict(Bf), "--", color="C3",
            label=f"HLN fit: $B_\\phi$ = {1e3 * hln.value('B_phi'):.4f} mT, $B_{{so}}$ = {1e3 * hln.value('B_so'):.3f} mT")
    helix = mesocorr.ilp_magnetoconductance(Bf, B_phi=1e-4, B_rashba=1.05e-3, B_dresselhaus=1.05e-3)
    ax.plot(1e3 * Bf, helix, ":", color="C2", label="same $B_\\phi$, $H_R = H_D$ (spin helix: WL)")
    ax.set_xlabel("B (mT)")
    ax.set_ylabel(r"$\Delta\sigma$ ($e^2/h$ per square)")
    ax.set_ylim(-0.25, 0.45)
    ax.legend(fontsize=8, loc="upper center")
    ax.set_title("Weak antilocalization of a 2DEG (ILP)", fontsize=10)
    save_png(fig, str(path))
    return fit, hln


if __name__ == "__main__":
    f, h = main()
    print({k: (round(v["value"] * 1e3, 4), round(v["stderr"] * 1e3, 4)) for k, v in f.params.items()}, "mT")
    print({k: (round(v["value"] * 1e3, 4), round(v["stderr"] * 1e3, 4)) for k, v in h.params.items()}, "mT (HLN)")
