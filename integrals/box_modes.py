r"""Diffusion-mode sums of a finite box between reservoirs with a UV cutoff.

Modes of a box of lengths :math:`(1, W, H)` in units of :math:`L` (current along the first axis):
Dirichlet at the two contacts, :math:`q_x = n\pi`, :math:`n \ge 1`; Neumann on the side walls,
:math:`q_y = m\pi/W`, :math:`q_z = k\pi/H`, :math:`m, k \ge 0`. Every normalised mode has spatial
average :math:`\langle|\psi|^2\rangle = 1/V`, so the volume average of the Cooperon is
:math:`V^{-1}\sum_{\text{modes}} 1/(Dq^2+\Gamma)`.

:func:`box_mode_sum` returns :math:`S(\Gamma) = \sum_{q^2 \le q_{max}^2} 1/(q^2 + \Gamma)` (all in units
of :math:`1/L^2`; :math:`\Gamma` in :math:`D/L^2`) with a sharp cutoff. The sum is finite and exact
(``math.fsum``); it refuses more than :data:`MAX_MODES` modes rather than run for minutes.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["box_mode_energies", "box_mode_sum", "MAX_MODES"]

#: largest number of modes summed (raise beyond)
MAX_MODES = 5_000_000


def box_mode_energies(shape, q2max: float) -> np.ndarray:
    r"""All :math:`q^2 L^2 \le q_{max}^2 L^2` of the box ``shape = (1, W[, H])`` (sorted not guaranteed)."""
    if not math.isfinite(q2max) or q2max / math.pi**2 > MAX_MODES**2:
        raise ValueError(f"mean_free_path: the cutoff admits more than {MAX_MODES} modes along L; use a larger l")
    if q2max < math.pi**2:
        return np.empty(0)
    nmax = int(math.floor(math.sqrt(q2max) / math.pi))
    if nmax > MAX_MODES:
        raise ValueError(f"mean_free_path: the cutoff admits {nmax} modes along L (> {MAX_MODES})")
    energies = (math.pi * np.arange(1, nmax + 1, dtype=float)) ** 2
    for width in shape[1:]:
        m_float = width * math.sqrt(q2max) / math.pi
        if not math.isfinite(m_float) or energies.size * (m_float + 1) > 4 * MAX_MODES:
            raise ValueError(f"mean_free_path: the cutoff admits too many modes (> {MAX_MODES}); "
                             "use a larger l or a smaller sample")
        mmax = int(math.floor(m_float))
        if energies.size * (mmax + 1) > 4 * MAX_MODES:
            raise ValueError(f"mean_free_path: the cutoff admits too many modes (> {MAX_MODES}); "
                             "use a larger l or a smaller sample")
        trans = (math.pi * np.arange(0, mmax + 1, dtype=float) / width) ** 2
        energies = (energies[:, None] + trans[None, :]).ravel()
        energies = energies[energies <= q2max]
    if energies.size > MAX_MODES:
        raise ValueError(f"mean_free_path: the cutoff admits {energies.size} modes (> {MAX_MODES})")
    return energies


def box_mode_sum(shape, gap: float, q2max: float) -> float:
    r""":math:`\sum_{\text{modes}} 1/(q^2 + \Gamma)` (units of L², gap in D/L²), summed with ``math.fsum``."""
    energies = box_mode_energies(shape, q2max)
    return math.fsum((1.0 / (energies + gap)).tolist())
