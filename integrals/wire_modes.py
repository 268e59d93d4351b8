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

__all__ = ["wire_w", "wire_w_mp", "wire_series_coefficients", "wire_series_fractions", "wire_square_sum",
           "wire_square_series_fractions"]

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


def wire_square_series_fractions(n: int) -> list[Fraction]:
    r"""Coefficients :math:`f_j` of :math:`F(x) = -W'(x)/x = \sum_{j\ge0} f_j x^{2j}`, :math:`f_j = -2(j+1)c_{j+1}` with
    :math:`c_k` of :func:`wire_series_fractions` (exact).

    >>> wire_square_series_fractions(2)
    [Fraction(2, 45), Fraction(-8, 945)]
    """
    return [-2 * (j + 1) * c for j, c in enumerate(wire_series_fractions(n + 1)[1:])]


#: below this x = pi sqrt(b) the squared sum uses its Taylor series (the closed form cancels: at x = 1 it loses
#: a factor ~50 to cancellation, ~1e-14); 32 terms: (1.6/pi)^64 ~ 1e-19
_SQUARE_SERIES_BELOW = 1.6
_F = [float(c) for c in wire_square_series_fractions(32)]
_F_REVERSED, _F_MID, _F_SHORT = _F[::-1], _F[16::-1], _F[8::-1]
_PI4_4 = math.pi**4 / 4


def wire_square_sum(b: float) -> float:
    r""":math:`\sum_{n\ge1}(n^2+b)^{-2}` for one float :math:`b\ge0` (float64, ~1e-15 relative; scalar, no NumPy).

    The UCF variance of a quasi-1D wire in eigenvalue units (:math:`\lambda_n = n^2`, gap :math:`b`): with
    :math:`x = \pi\sqrt b`, :math:`\sum_{n\ge1}(n^2+b)^{-2} = -\pi^4 W'(x)/(4x)
    = \frac{\pi^4}{4}\,\frac{x\coth x + x^2/\sinh^2 x - 2}{x^4}` (differentiate
    :math:`W(x) = 2\sum_n 1/(n^2\pi^2+x^2)`); Taylor series :math:`\frac{\pi^4}{4}\sum_j f_j x^{2j}` below
    :math:`x = 1.6` (:func:`wire_square_series_fractions`), the closed form with :math:`e^{-2x}` (no overflow)
    above. :math:`b = 0` gives :math:`\zeta(4) = \pi^4/90`; large :math:`b`: :math:`\pi/(4b^{3/2}) - 1/(2b^2)`.
    The caller checks :math:`b` (finite, :math:`\ge 0`).

    >>> round(wire_square_sum(0.0) * 90 / math.pi**4, 15)
    1.0
    """
    x = math.pi * math.sqrt(b)
    if x < _SQUARE_SERIES_BELOW:
        s = x * x
        # terms kept: (x/pi)^(2 n) < 1e-19 for x below 0.25, 0.8, 1.6 with n = 9, 17, 32
        coeffs = _F_SHORT if x < 0.25 else _F_MID if x < 0.8 else _F_REVERSED
        acc = 0.0
        for c in coeffs:
            acc = acc * s + c
        return _PI4_4 * acc
    e = math.exp(-2.0 * x)
    one_minus = -math.expm1(-2.0 * x)
    coth = 1.0 + 2.0 * e / one_minus
    csch2 = 4.0 * e / (one_minus * one_minus)
    return _PI4_4 * ((coth / x + csch2) - 2.0 / (x * x)) / (x * x)


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
