r"""The finite-wire mode sum :math:`W(a) = (a\coth a - 1)/a^2 = 2\sum_{n\ge1} 1/(n^2\pi^2+a^2)`.

Derived in :func:`mesocorr.symbolic.wl.wire_mode_sum`; :math:`a = L/L_c`. float64 uses the Taylor
series (coefficients :math:`2^{2k}B_{2k}/(2k)!`, exact rationals, 13 terms; checked against SymPy) for :math:`a < 1/2`, where
:math:`a\coth a - 1` cancels, and the closed form elsewhere; :math:`W(0) = 1/3`, :math:`W \to 1/a`.
"""

from __future__ import annotations

import math
from fractions import Fraction

import mpmath
import numpy as np

from mesocorr.arguments import integer
from mesocorr.integrals.derived_constants import bernoulli

__all__ = ["wire_w", "wire_w_mp", "wire_series_coefficients", "wire_series_fractions"]

_SERIES_BELOW = 0.5
#: largest ``dps`` of :func:`wire_w_mp`
MAX_DPS = 2000


def wire_series_coefficients(n: int) -> list:
    r"""Coefficients of :math:`W(a) = \sum_{k\ge0} c_k a^{2k}`: :math:`c_k = 2^{2k+2}B_{2k+2}/(2k+2)!` (SymPy)."""
    import sympy as sp

    return [2 ** (2 * k + 2) * sp.bernoulli(2 * k + 2) / sp.factorial(2 * k + 2) for k in range(n)]


def wire_series_fractions(n: int) -> list[Fraction]:
    r"""The coefficients of :func:`wire_series_coefficients` as exact fractions (no SymPy).

    >>> wire_series_fractions(2)
    [Fraction(1, 3), Fraction(-1, 45)]
    """
    return [Fraction(2) ** (2 * k + 2) * bernoulli(2 * k + 2) / math.factorial(2 * k + 2) for k in range(n)]


_C = [float(c) for c in wire_series_fractions(13)]


def wire_w(a) -> np.ndarray:
    r""":math:`(a\coth a - 1)/a^2` for :math:`a \ge 0`, float64 vectorised."""
    a = np.asarray(a, dtype=float)
    if np.any(a < 0) or not np.all(np.isfinite(a)):
        raise ValueError("a: must be finite and non-negative")
    out = np.empty_like(a)
    fa, fo = a.reshape(-1), out.reshape(-1)
    small = fa < _SERIES_BELOW
    if small.any():
        s = fa[small] ** 2
        acc = np.full_like(s, _C[-1])
        for c in reversed(_C[:-1]):
            acc = acc * s + c
        fo[small] = acc
    big = ~small
    if big.any():
        x = fa[big]
        with np.errstate(over="ignore"):
            # (coth x - 1/x)/x: no overflow of x*x for huge x (W -> 1/x)
            fo[big] = np.where(x < 1e150, (x / np.tanh(x) - 1.0) / (x * x), (1.0 - 1.0 / x) / x)
    return out


def wire_w_mp(a, dps: int):
    r""":math:`(a\coth a - 1)/a^2` with mpmath to ``dps`` digits (``a = 0`` gives 1/3)."""
    dps = integer("dps", dps, minimum=1, maximum=MAX_DPS)
    with mpmath.workdps(dps + 10):
        am = mpmath.mpf(a)
        if not mpmath.isfinite(am) or am < 0:
            raise ValueError("a: must be finite and non-negative")
        if am == 0:
            val = mpmath.mpf(1) / 3
        else:
            lost = max(0, int(-2 * mpmath.log10(am))) if am < 1 else 0
            with mpmath.workdps(dps + 10 + lost):
                am = mpmath.mpf(a)
                val = (am * mpmath.coth(am) - 1) / am**2
    with mpmath.workdps(dps):
        return +val
