r"""Kawabata's 3D function :math:`f_3(\delta) = -2\sqrt\delta - \zeta(\tfrac12, \tfrac12+\delta)`, float64 and mpmath.

:math:`f_3(\delta) = \sum_{n\ge0}[2(\sqrt{n+1+\delta}-\sqrt{n+\delta}) - (n+\tfrac12+\delta)^{-1/2}]`
(Kawabata 1980), :math:`\delta = B_c/B`; derived in :func:`mesocorr.symbolic.wl.kawabata_3d`.
:math:`f_3(0) = (\sqrt2-1)\,|\zeta(1/2)| = 0.6049\ldots`, :math:`f_3(\delta) \to \delta^{-3/2}/48`.

float64 (:func:`kawabata_f3`), no cancellation beyond a factor 3:

* :math:`a = \delta+\tfrac12 \ge 10`: Hurwitz asymptotic series
  :math:`\zeta(s,a) \sim \frac{a^{1-s}}{s-1} + \frac{a^{-s}}2 + \sum_k \frac{B_{2k}}{(2k)!}(s)_{2k-1}a^{1-s-2k}`
  (DLMF 25.11.43) combined with :math:`2\sqrt a - 2\sqrt\delta - 1/(2\sqrt a)
  = 1/(4\sqrt a(\sqrt a+\sqrt\delta)^2)` in closed form;
* :math:`a < 10`: the defining sum's first 10 terms, each written as
  :math:`1/(2(p+q)^2(r+p)(r+q)r)` with :math:`p=\sqrt{u+1}, q=\sqrt u, r=\sqrt{u+1/2}` (all positive; the
  :math:`p` of one term is the :math:`q` of the next), plus the asymptotic form at :math:`\delta+10 \ge 10`.

The scalar route (:func:`kawabata_f3_scalar`, one Python float) uses Taylor polynomials instead (below).

References
----------
.. [K80] A. Kawabata, Solid State Commun. 34, 431 (1980); J. Phys. Soc. Jpn. 49, 628 (1980).
"""

from __future__ import annotations

import functools
import math
from decimal import Decimal
from fractions import Fraction

import mpmath
import numpy as np

from mesocorr.arguments import integer
from mesocorr.integrals.derived_constants import bernoulli
from mesocorr.integrals.taylor_pieces import GeometricPieces, hurwitz_zeta_run

__all__ = ["kawabata_f3", "kawabata_f3_scalar", "kawabata_f3_mp", "hurwitz_coefficients", "hurwitz_fractions",
           "f3_asymptotic", "f3_summand"]

_THRESHOLD = 10.0
_N_TERMS = 14
#: largest ``dps`` of :func:`kawabata_f3_mp`
MAX_DPS = 2000


def hurwitz_coefficients(n: int) -> list:
    r""":math:`c_k = B_{2k}(s)_{2k-1}/(2k)!` at :math:`s = 1/2` (exact, SymPy): ``[1/24, -1/384, ...]``.

    The independent route to :func:`hurwitz_fractions` (SymPy's Bernoulli numbers and rising factorials).
    """
    import sympy as sp

    half = sp.Rational(1, 2)
    return [sp.bernoulli(2 * k) / sp.factorial(2 * k) * sp.rf(half, 2 * k - 1) for k in range(1, n + 1)]


def hurwitz_fractions(n: int) -> list[Fraction]:
    r"""The coefficients of :func:`hurwitz_coefficients` in exact rational arithmetic (no SymPy).

    >>> hurwitz_fractions(2)
    [Fraction(1, 24), Fraction(-1, 384)]
    """
    out = []
    for k in range(1, n + 1):
        rising = math.prod((Fraction(1, 2) + j for j in range(2 * k - 1)), start=Fraction(1))
        out.append(bernoulli(2 * k) / math.factorial(2 * k) * rising)
    return out


_C = [float(c) for c in hurwitz_fractions(_N_TERMS)]


def f3_asymptotic(delta, coefficients=_C):
    r"""Large-:math:`\delta` expansion of :math:`f_3` (real or complex arrays, :math:`\mathrm{Re}\,\delta` large):
    the leading term in a cancellation-free form minus :math:`a^{-3/2}\sum_k c_k a^{-2k}`, :math:`a = \delta+1/2`,
    with the float coefficients ``coefficients`` of :func:`hurwitz_fractions` (the number of terms sets the
    accuracy at a given threshold; the complex path uses more)."""
    a = delta + 0.5
    ra = np.sqrt(a)
    lead = 1.0 / (4.0 * ra * (ra + np.sqrt(delta)) ** 2)
    inv = 1.0 / (a * a)
    acc = np.full_like(a, coefficients[-1])
    for c in reversed(coefficients[:-1]):
        acc *= inv
        acc += c
    return lead - acc / (a * ra)


def f3_summand(u):
    r"""One term :math:`2(\sqrt{u+1}-\sqrt u) - 1/\sqrt{u+1/2}` of Kawabata's sum in a cancellation-free form
    (real or complex arrays)."""
    p, q, r = np.sqrt(u + 1.0), np.sqrt(u), np.sqrt(u + 0.5)
    return 1.0 / (2.0 * (p + q) ** 2 * (r + p) * (r + q) * r)


#: the defining sum's terms taken before the asymptotic form for delta + 1/2 < 10 (all of them: delta + 10 >= 10)
_STEPS = 10


def _small(u):
    """f_3 for a 1-D array with delta + 1/2 < 10: ten terms of the defining sum, then the asymptotic form at
    delta + 10 (>= 10). In place on ``u`` (a copy); sqrt(u + 1) of one term is sqrt(u) of the next."""
    acc = np.zeros_like(u)
    q = np.sqrt(u)
    for _ in range(_STEPS):
        p = u + 1.0
        np.sqrt(p, out=p)
        r = u + 0.5
        np.sqrt(r, out=r)
        t = p + q
        t *= t
        q += r             # r + q, in q's buffer (q is not needed again: the next q is p)
        t *= q
        q = r + p          # r + p
        t *= q
        t *= r
        t *= 2.0
        np.reciprocal(t, out=t)
        acc += t
        u += 1.0
        q = p
    acc += f3_asymptotic(u)
    return acc


def kawabata_f3_core(delta):
    """:math:`f_3` of a 1-D float64 array of non-negative delta (inf allowed), without the argument checks of
    :func:`kawabata_f3` (the hot path of :func:`mesocorr.wl.magnetoconductance`, whose inputs are checked).
    ``delta`` is not modified."""
    big = delta >= _THRESHOLD - 0.5
    if not big.any():
        return _small(delta.copy())
    out = np.zeros_like(delta)
    with np.errstate(invalid="ignore", over="ignore"):
        if big.all():
            fin = np.isfinite(delta)
            if fin.all():
                return f3_asymptotic(delta)
            out[fin] = f3_asymptotic(delta[fin])
            return out
        fin = big & np.isfinite(delta)
        out[fin] = f3_asymptotic(delta[fin])
    small = ~big
    out[small] = _small(delta[small])
    return out


def kawabata_f3(delta) -> np.ndarray:
    r""":math:`f_3(\delta)` for :math:`\delta \ge 0` (float64, vectorised; ``inf`` gives 0)."""
    delta = np.asarray(delta, dtype=float)
    if np.any(delta < 0) or np.any(np.isnan(delta)):
        raise ValueError("delta: must be non-negative (inf allowed: f_3 = 0)")
    return kawabata_f3_core(np.ascontiguousarray(delta).reshape(-1)).reshape(delta.shape)


# scalar route: one Python float in a few hundred nanoseconds. delta + 1/2 >= 10: the asymptotic form above;
# 1/64 <= delta < 9.5: Taylor polynomials about the midpoints of geometric intervals (mesocorr.integrals.taylor_pieces)
# with the closed-form coefficients f_3^(n)(c)/n! = -2 binom(1/2, n) c^(1/2-n) - (-1)^n (1/2)_n/n! zeta(1/2+n, c+1/2)
# (d/da zeta(s, a) = -s zeta(s+1, a), DLMF 25.11.17), derived exactly on first use; delta < 1/64: -2 sqrt(delta) plus
# the Taylor series of -zeta(1/2, 1/2 + delta) about delta = 0 (radius 1/2). No cancellation beyond a factor 2.
_C_REV = tuple(reversed(_C))
#: the scalar route's Taylor pieces cover SMALL_DELTA <= delta < _THRESHOLD - 1/2; below, the series about 0
SMALL_DELTA = 1.0 / 64.0
_N_SMALL = 14           # series terms for delta < 1/64: |terms| < (1/32)^n, tail < 1e-20


def _f3_coefficients(c, count):
    """Taylor coefficients of f_3 about ``c`` (Decimals, taylor_pieces context)."""
    zetas = hurwitz_zeta_run(Decimal("0.5"), c + Decimal("0.5"), count)     # zeta(1/2 + n, c + 1/2)
    out = []
    binom = Decimal(1)       # binom(1/2, n)
    rising = Decimal(1)      # (1/2)_n / n!
    root = c.sqrt()          # c^(1/2 - n)
    for n in range(count):
        out.append(-2 * binom * root - (-rising if n % 2 else rising) * zetas[n])
        binom *= (Decimal("0.5") - n) / (n + 1)
        rising *= (Decimal("0.5") + n) / (n + 1)
        root /= c
    return out


_F3_PIECES = GeometricPieces(SMALL_DELTA, _THRESHOLD - 0.5, _f3_coefficients)


@functools.cache
def _small_series() -> tuple:
    """-zeta(1/2, 1/2 + delta) = -sum_n (-delta)^n (1/2)_n/n! zeta(1/2 + n, 1/2), coefficients highest power first."""
    zetas = hurwitz_zeta_run(Decimal("0.5"), Decimal("0.5"), _N_SMALL)
    out, rising = [], Decimal(1)
    for n in range(_N_SMALL):
        out.append(-rising * zetas[n] * (1 if n % 2 == 0 else -1))
        rising *= (Decimal("0.5") + n) / (n + 1)
    return tuple(float(c) for c in reversed(out))


def _asym_scalar(delta: float) -> float:
    a = delta + 0.5
    ra = math.sqrt(a)
    sq = ra + math.sqrt(delta)
    lead = 1.0 / (4.0 * ra * (sq * sq))
    inv = 1.0 / (a * a)
    acc = _C_REV[0]
    for c in _C_REV[1:]:
        acc = acc * inv + c
    return lead - acc / (a * ra)


def kawabata_f3_scalar(delta: float) -> float:
    """:math:`f_3` of one Python float ``delta >= 0`` (``inf`` gives 0), no argument checks: the scalar hot path of
    :func:`mesocorr.wl.magnetoconductance` (asymptotic form, Taylor pieces, series about 0: see above;
    ``tests/test_scalar_path.py`` compares it with 40-digit mpmath in every piece and with :func:`kawabata_f3`)."""
    if delta + 0.5 >= _THRESHOLD:
        return 0.0 if delta == math.inf else _asym_scalar(delta)
    if delta >= SMALL_DELTA:
        return _F3_PIECES(delta)
    acc = 0.0
    for c in _small_series():
        acc = acc * delta + c
    return acc - 2.0 * math.sqrt(delta)


def kawabata_f3_mp(delta, dps: int):
    r""":math:`f_3(\delta)` with mpmath to ``dps`` digits (guard digits for the :math:`\delta^2` cancellation)."""
    dps = integer("dps", dps, minimum=1, maximum=MAX_DPS)
    with mpmath.workdps(dps + 10):
        dm = mpmath.mpf(delta)
    if not mpmath.isfinite(dm) or dm < 0:
        raise ValueError("delta: must be finite and non-negative")
    lost = 2 * max(0, int(math.ceil(float(mpmath.log10(dm))))) if dm > 1 else 0
    with mpmath.workdps(dps + 10 + lost):
        dm = mpmath.mpf(delta)
        val = -2 * mpmath.sqrt(dm) - mpmath.zeta(mpmath.mpf(1) / 2, mpmath.mpf(1) / 2 + dm)
    with mpmath.workdps(dps):
        return +val
