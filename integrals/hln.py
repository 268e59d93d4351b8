r"""The 2D magnetoconductance function :math:`F(x) = \ln x + \psi(1/2 + 1/x)`, float64 and mpmath.

:math:`F` is the Landau-level sum of one Cooperon channel (derived in
:func:`mesocorr.symbolic.wl.magnetoconductance_2d`): a channel with characteristic field
:math:`B_c` and weight :math:`w_c` contributes :math:`w_c\,(s/2)\,(e^2/\pi h)\,F(B/B_c)` to
:math:`\Delta\sigma(B)`.

The textbook expression cancels catastrophically for :math:`x \to 0` (:math:`F \approx x^2/24`
while both terms are :math:`\approx \ln x`). :func:`hln_f` therefore uses three regions
(:math:`z = 1/x`):

* :math:`z \ge 8`: the asymptotic series :math:`F = -\sum_{k\ge1} B_{2k}(\tfrac12)\,x^{2k}/(2k)`
  (from :math:`\psi(z+h) \sim \ln z - \sum_n (-1)^n B_n(h)/(n z^n)`), coefficients derived
  with SymPy's Bernoulli polynomials at import, 17 terms (truncation < 1e-18 relative at z = 8);
* :math:`1 \le z < 8`: the recurrence :math:`\psi(a) = \psi(a+1) - 1/a` shifts :math:`z` to
  :math:`z + 7 \ge 8`, :math:`F(z) = F_{asym}(z+7) + \sum_{j<7} h(z+j)` with
  :math:`h(u) = \ln(1+1/u) - 1/(u+1/2) = 2(\operatorname{artanh} t - t)`,
  :math:`t = 1/(2u+1)`, summed as a series of positive terms — no cancellation anywhere;
* :math:`z < 1`: one more step of the recurrence, :math:`F(z) = F(z+1) + h(z)` (two positive terms;
  :math:`h` by its :math:`t`-series for :math:`z \ge 1/3`, as ``log1p(1/z) - 1/(z+1/2)`` below) for arrays of
  up to :data:`SMALL_ARRAY` elements, and the direct ``log(x) + digamma(0.5 + 1/x)`` (SciPy, well
  conditioned there) for larger ones — the SciPy import costs ~0.4 s, which a CLI call or a fit of a few
  hundred points should not pay; for 10^6 fields SciPy's ufunc is the faster one.

Accuracy: max relative error 4.4e-15 (near x = 1, SciPy route) and below 2e-15 (recurrence route) against
50-digit mpmath over :math:`10^{-12} \le x \le 10^{6}` (``tests/test_wl.py``); :math:`F(0) = 0` exactly.
One Python float takes its own route (:func:`hln_f_scalar`: Taylor polynomials on geometric pieces, see the
comment above it), measured 2.2e-16 against mpmath in every piece.
The series coefficients are exact rationals from :func:`mesocorr.integrals.derived_constants.bernoulli`
(pure Python, checked against SymPy's Bernoulli polynomials in the tests): no SymPy at run time.

References
----------
.. [HLN80] S. Hikami, A. I. Larkin, Y. Nagaoka, Prog. Theor. Phys. 63, 707 (1980).
.. [DLMF] NIST DLMF 5.11.2 (asymptotic expansion of :math:`\psi`), 24.4.27 (:math:`B_n(1/2)`).
"""

from __future__ import annotations

import functools
import math
from decimal import Decimal
from fractions import Fraction

import mpmath
import numpy as np

from mesocorr.arguments import integer, real_values
from mesocorr.integrals.derived_constants import bernoulli
from mesocorr.integrals.taylor_pieces import GeometricPieces, digamma_minus_log, hurwitz_zeta_run

__all__ = ["hln_f", "hln_f_core", "hln_f_scalar", "hln_f_mp", "asymptotic_coefficients", "asymptotic_fractions",
           "ASYMPTOTIC_THRESHOLD", "SMALL_ARRAY", "BLOCK", "in_blocks"]

#: F(x) uses the asymptotic series for z = 1/x >= this value
ASYMPTOTIC_THRESHOLD = 8.0
#: largest ``dps`` of :func:`hln_f_mp` (mesocorr.wl caps its own dps at 1000 and adds guard digits)
MAX_DPS = 2000
#: arrays up to this size avoid SciPy (start-up cost) in the region x >= 1
SMALL_ARRAY = 65536
_N_ASYM = 17
_N_ATANH = 41   # h(u) series up to t^2 = 0.36 (u >= 1/3): 0.36^41 < 1e-18


def asymptotic_coefficients(n: int) -> list:
    r"""Exact coefficients :math:`c_k = -B_{2k}(1/2)/(2k)` of :math:`F(x) = \sum_k c_k x^{2k}` (SymPy).

    The independent route to :func:`asymptotic_fractions` (SymPy's Bernoulli polynomials).

    >>> asymptotic_coefficients(3)
    [1/24, -7/960, 31/8064]
    """
    import sympy as sp

    return [-sp.bernoulli(2 * k, sp.Rational(1, 2)) / (2 * k) for k in range(1, n + 1)]


def asymptotic_fractions(n: int) -> list[Fraction]:
    r""":math:`c_k = -B_{2k}(1/2)/(2k)` with :math:`B_{n}(1/2) = (2^{1-n}-1)B_n` (DLMF 24.4.27), exact, no SymPy.

    >>> asymptotic_fractions(3)
    [Fraction(1, 24), Fraction(-7, 960), Fraction(31, 8064)]
    """
    return [-(Fraction(2) ** (1 - 2 * k) - 1) * bernoulli(2 * k) / (2 * k) for k in range(1, n + 1)]


_C = [float(c) for c in asymptotic_fractions(_N_ASYM)]
# h(u) = 2 t^3 * sum_k t^(2k)/(2k+3)
_H = [2.0 / (2 * k + 3) for k in range(_N_ATANH)]


def _horner(coeffs, s):
    acc = np.full_like(s, coeffs[-1])
    for c in reversed(coeffs[:-1]):
        acc *= s
        acc += c
    return acc


#: below this x the asymptotic series needs only _N_TINY terms (truncation < 1e-19 relative)
_TINY = 1e-2
_N_TINY = 5


def _asym(x, nterms=_N_ASYM):
    """Asymptotic series, x <= 1/8 (x <= 1e-2 with nterms = 5)."""
    s = x * x
    acc = _horner(_C[:nterms], s)
    acc *= s
    return acc


def _atanh_terms(j: int) -> int:
    """Series length for h(u), u >= 1 + j: t^2 <= 1/(3+2j)^2, truncation < 1e-18 relative to h."""
    t2 = 1.0 / (3 + 2 * j) ** 2
    k = 1
    while t2**k * 3 / (2 * k + 3) > 1e-18:
        k += 1
    return k


_SHIFT = int(ASYMPTOTIC_THRESHOLD) - 1
_H_LEN = [_atanh_terms(j) for j in range(_SHIFT)]


#: arrays up to this size evaluate the seven h(z + j) of :func:`_shifted` as one stacked (7, n) array (fewer numpy
#: calls: the cost of a small array is the number of calls, not the arithmetic)
STACKED_SHIFT = 4096
# Horner coefficients of the seven series, highest power first, shorter ones padded with leading zeros (0 * t2 + 0
# stays exactly 0 until the first true coefficient: the same float operations as the per-j loop)
_H_STACK = np.array([[0.0] * (max(_H_LEN) - n) + _H[:n][::-1] for n in _H_LEN]).T[:, :, None]
_J_COLUMN = np.arange(_SHIFT, dtype=float)[:, None]


def _shifted(z):
    """1 <= z < 8: F(z) = F_asym(z + 7) + sum_{j<7} h(z + j), every term positive."""
    acc = _asym(1.0 / (z + _SHIFT))
    if z.size <= STACKED_SHIFT:
        t = 1.0 / (2.0 * (z[None, :] + _J_COLUMN) + 1.0)
        t2 = t * t
        term = np.zeros_like(t2)
        for c in _H_STACK:
            term *= t2
            term += c
        term *= t2
        term *= t
        for row in term:
            acc += row
        return acc
    for j in range(_SHIFT):
        t = 1.0 / (2.0 * (z + j) + 1.0)
        t2 = t * t
        term = _horner(_H[: _H_LEN[j]], t2)
        term *= t2
        term *= t
        acc += term
    return acc


#: h(z) uses its t-series for z >= this value (t = 1/(2z+1) <= 0.6), log1p below
_H_SERIES_FROM = 1.0 / 3.0


def _h_first(z):
    """h(z) = ln(1 + 1/z) - 1/(z + 1/2) > 0 for 0 < z <= 1 (the step of the recurrence below z = 1)."""
    out = np.empty_like(z)
    ser = z >= _H_SERIES_FROM
    if ser.any():
        t = 1.0 / (2.0 * z[ser] + 1.0)
        t2 = t * t
        term = _horner(_H, t2)
        term *= t2
        term *= t
        out[ser] = term
    low = ~ser
    if low.any():
        zl = z[low]
        out[low] = np.log1p(1.0 / zl) - 1.0 / (zl + 0.5)
    return out


def _direct(x):
    """F(x) for x >= 1 (z = 1/x <= 1): F(z) = F(z + 1) + h(z), both terms positive (no SciPy)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # x < 1 entries are patched later
        z = 1.0 / x
        out = _shifted(z + 1.0)
        out += _h_first(z)
    return out


def _direct_scipy(x):
    """log(x) + digamma(0.5 + 1/x), in place on temporaries (accurate for x >= 1); for large arrays."""
    from scipy.special import digamma

    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.reciprocal(x)
        t += 0.5
        digamma(t, out=t)
        out = np.log(x)
        out += t
    return out


def _below_one(x):
    """F on 0 <= x < 1: short series everywhere, then patch x > 1e-2 (full series) and x > 1/8."""
    res = _asym(x, _N_TINY)
    idx = np.flatnonzero(x > _TINY)
    if idx.size:
        xs = x[idx]
        part = _asym(xs)
        mid = np.flatnonzero(xs > 1.0 / ASYMPTOTIC_THRESHOLD)
        if mid.size:
            part[mid] = _shifted(1.0 / xs[mid])
        res[idx] = part
    return res


#: :func:`hln_f_core` works through longer arrays in blocks of this many elements (1 MiB each), so that the
#: temporaries of every region stay in the processor's cache. Measured on 10^6 fields (best of 25, interleaved):
#: log-uniform 1e-12..1e6, 20.3 ms whole against 13.9 ms in blocks; the -1..1 T sweep, 10.2 against 9.5 ms.
#: The route of x >= 1 is chosen by the whole array's size (:data:`SMALL_ARRAY`), so the values do not depend on
#: the blocking (tested bit for bit).
BLOCK = 131072


def in_blocks(func, x, *args):
    """``func(x, *args)`` for a 1-D float64 array ``x`` of an elementwise ``func``, evaluated on consecutive slices
    of :data:`BLOCK` elements when ``x`` is longer (a float64 array of the same shape)."""
    if x.size <= BLOCK:
        return func(x, *args)
    out = np.empty(x.shape)
    for start in range(0, x.size, BLOCK):
        out[start:start + BLOCK] = func(x[start:start + BLOCK], *args)
    return out


def hln_f_core(x):
    """F for a 1-D float64 array of finite non-negative x, without the argument checks of :func:`hln_f`
    (the hot path of :func:`mesocorr.wl.magnetoconductance`, whose inputs are already checked)."""
    return in_blocks(_core_block, x, _direct if x.size <= SMALL_ARRAY else _direct_scipy)


def _core_block(x, direct):
    """F on one block of :func:`hln_f_core`, x >= 1 by ``direct``."""
    below = np.flatnonzero(x < 1.0)
    if 2 * below.size <= x.size:
        # mostly x >= 1: evaluate directly everywhere, then patch the few x < 1
        out = direct(x)
        if below.size:
            out[below] = _below_one(x[below])
        return out
    out = np.empty_like(x)
    above = np.flatnonzero(x >= 1.0)
    if above.size:
        out[above] = direct(x[above])
    out[below] = _below_one(x[below])
    return out


# scalar route: one Python float, a few hundred nanoseconds (the numpy calls of the array route cost ~20 us on a
# one-element array). The same asymptotic series for x <= 1/8; 1/64 <= z = 1/x < 8: Taylor polynomials of
# G(z) = F(1/z) = psi(z + 1/2) - ln z about the midpoints of geometric intervals (mesocorr.integrals.taylor_pieces),
# coefficients from their closed forms G(c) = psi(c + 1/2) - ln c, G^(n)(c)/n! = (-1)^(n+1) (zeta(n+1, c+1/2) -
# 1/(n c^n)) (DLMF 5.15.1), derived exactly on first use; z < 1/64: F = ln x + psi(1/2 + z), the Taylor series of
# psi about 1/2 (coefficients (-1)^(n+1) zeta(n+1, 1/2), radius 1/2). No cancellation beyond a factor 2 anywhere.
_C_REV = tuple(reversed(_C))
_C_REV_TINY = tuple(reversed(_C[:_N_TINY]))
#: the scalar route's Taylor pieces cover SMALL_Z <= z < ASYMPTOTIC_THRESHOLD; below, the psi(1/2 + z) series
SMALL_Z = 1.0 / 64.0
_N_PSI = 14             # psi(1/2 + z) series terms for z < 1/64: tail < 2 (1/32)^14 < 3e-21


def _g_coefficients(c, count):
    """Taylor coefficients of G(z) = psi(z + 1/2) - ln z about ``c`` (Decimals, taylor_pieces context)."""
    half = c + Decimal("0.5")
    zetas = hurwitz_zeta_run(2, half, count - 1)           # zeta(n + 1, c + 1/2), n = 1..count-1
    out = [digamma_minus_log(half, c)]
    power = c
    for n in range(1, count):
        out.append((zetas[n - 1] - 1 / (n * power)) * (1 if n % 2 else -1))
        power *= c
    return out


_G_PIECES = GeometricPieces(SMALL_Z, ASYMPTOTIC_THRESHOLD, _g_coefficients)


@functools.cache
def _psi_half_series() -> tuple:
    """psi(1/2 + z) = psi(1/2) + sum_n (-1)^(n+1) zeta(n+1, 1/2) z^n, coefficients highest power first."""
    zetas = hurwitz_zeta_run(2, Decimal("0.5"), _N_PSI - 1)
    coeffs = [digamma_minus_log(Decimal("0.5"), Decimal(1))] + [z if n % 2 == 0 else -z for n, z in enumerate(zetas)]
    return tuple(float(c) for c in reversed(coeffs))


def _horner_scalar(rev, s: float) -> float:
    acc = rev[0]
    for c in rev[1:]:
        acc = acc * s + c
    return acc


def hln_f_scalar(x: float) -> float:
    """F for one finite non-negative Python float ``x``, without argument checks: the scalar hot path of
    :func:`mesocorr.wl.magnetoconductance` (asymptotic series, Taylor pieces, psi series: see above;
    ``tests/test_scalar_path.py`` compares it with 40-digit mpmath in every piece and with :func:`hln_f_core`)."""
    if x <= 1.0 / ASYMPTOTIC_THRESHOLD:
        s = x * x
        if x <= _TINY:
            return _horner_scalar(_C_REV_TINY, s) * s
        return _horner_scalar(_C_REV, s) * s
    z = 1.0 / x
    if z >= SMALL_Z:
        return _G_PIECES(z)
    return math.log(x) + _horner_scalar(_psi_half_series(), z)


def hln_f(x) -> np.ndarray:
    r""":math:`F(x) = \ln x + \psi(1/2 + 1/x)` for :math:`x \ge 0`, float64, vectorised.

    Parameters
    ----------
    x : array_like
        Non-negative finite reduced fields :math:`B/B_c`; ``F(0) = 0``. NaN and inf raise ``ValueError``.

    Returns
    -------
    numpy.ndarray
        Same shape as ``x``.

    Examples
    --------
    >>> abs(float(hln_f(1e-6)) / (1e-12 / 24 - 7e-24 / 960) - 1) < 1e-15
    True
    """
    x = np.asarray(real_values("x", x, "nonnegative"), dtype=float)
    flat = np.ascontiguousarray(x).reshape(-1)
    return hln_f_core(flat).reshape(x.shape)


def hln_f_mp(x, dps: int):
    r""":math:`F(x) = \ln x + \psi(1/2+1/x)` as an mpmath ``mpf`` correct to ``dps`` digits.

    Works at ``dps + 10 + 2 log10(1/x)`` digits (the cancellation costs
    :math:`\approx 2\log_{10}(1/x)` digits for small :math:`x`) and rounds the result to ``dps``.
    """
    dps = integer("dps", dps, minimum=1, maximum=MAX_DPS)
    with mpmath.workdps(dps + 10):
        xm = mpmath.mpf(x)
    if not mpmath.isfinite(xm) or xm < 0:
        raise ValueError("x: reduced fields must be finite and non-negative")
    if xm == 0:
        with mpmath.workdps(dps):
            return mpmath.mpf(0)
    lost = max(0, -2 * int(math.floor(float(mpmath.log10(xm))))) if xm < 1 else 0
    with mpmath.workdps(dps + 10 + lost):
        xm = mpmath.mpf(x)
        val = mpmath.log(xm) + mpmath.digamma(mpmath.mpf(1) / 2 + 1 / xm)
    with mpmath.workdps(dps):
        return +val
