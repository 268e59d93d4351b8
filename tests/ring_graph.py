r"""Finite-difference diffusion operator of the ring between two leads (numpy only): the independent route
for :func:`mesocorr.ab_harmonics`.

Graph (lengths in units of the circumference): reservoir — lead (length ``lead``, cross-section 2) — node A —
two arms (length 1/2, cross-section 1; the flux phase ``theta`` spread uniformly along the upper arm as a
Peierls phase) — node B — lead — reservoir. The quadratic form :math:`\sum_e A_e\int|(\partial - iA)\psi|^2`
discretised with step ``h`` (bond weight :math:`A_e/h`), lumped masses (:math:`A_eh` on edge points, half of
each adjacent cell at the nodes), Dirichlet at the reservoirs. Eigenvalues converge like :math:`h^2`;
Richardson extrapolation of two steps removes the leading error.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

__all__ = ["eigenvalues", "flux_harmonics"]


@lru_cache(maxsize=256)
def eigenvalues(lead: float, theta: float, h: float) -> np.ndarray:
    """Eigenvalues of the discretised operator (cached: several spectral functions reuse one spectrum)."""
    a = 0.5
    n1, na = int(round(lead / h)), int(round(a / h))
    if abs(n1 * h - lead) > 1e-9 or abs(na * h - a) > 1e-9:
        raise ValueError("h must divide the lead and arm lengths")
    lead1 = [("L1", i) for i in range(1, n1)]
    upper = [("u", i) for i in range(1, na)]
    lower = [("d", i) for i in range(1, na)]
    lead2 = [("L2", i) for i in range(1, n1)]
    names = lead1 + ["A"] + upper + lower + ["B"] + lead2
    idx = {nm: i for i, nm in enumerate(names)}
    H = np.zeros((len(names), len(names)), dtype=complex)
    mass = np.zeros(len(names))

    def chain(seq, A, phase):
        for p, q in zip(seq[:-1], seq[1:]):
            P = None if p is None else idx[p]
            Q = None if q is None else idx[q]
            if P is not None:
                H[P, P] += A / h
            if Q is not None:
                H[Q, Q] += A / h
            if P is not None and Q is not None:
                H[P, Q] -= A / h * np.exp(-1j * phase)
                H[Q, P] -= A / h * np.exp(1j * phase)

    chain([None] + lead1 + ["A"], 2.0, 0.0)
    chain(["B"] + lead2 + [None], 2.0, 0.0)
    chain(["A"] + upper + ["B"], 1.0, theta / na)
    chain(["A"] + lower + ["B"], 1.0, 0.0)
    for nm, i in idx.items():
        if nm in ("A", "B"):
            mass[i] = h * (2.0 / 2 + 1.0 / 2 + 1.0 / 2)
        else:
            mass[i] = (2.0 if nm[0] in ("L1", "L2") else 1.0) * h
    s = 1 / np.sqrt(mass)
    return np.linalg.eigvalsh(s[:, None] * H * s[None, :])


def flux_harmonics(lead: float, spectral_function, h: float, n_theta: int = 32) -> np.ndarray:
    """cos(n theta) coefficients (n = 0, 1, ...) of sum_j spectral_function(lambda_j(theta))."""
    vals = [np.sum(spectral_function(eigenvalues(lead, th, h))) for th in 2 * np.pi * np.arange(n_theta) / n_theta]
    c = np.fft.rfft(vals).real / n_theta * 2
    c[0] /= 2
    return c
