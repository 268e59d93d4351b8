r"""Piecewise Taylor polynomials on geometric intervals, their coefficients derived exactly on first use.

The scalar float64 kernels of :mod:`mesocorr.integrals.hln` and :mod:`mesocorr.integrals.kawabata` evaluate one
value as a Taylor polynomial about the midpoint :math:`c_k` of the interval holding it:
:math:`[\ell q^k, \ell q^{k+1})`, :math:`q = (1+\rho)/(1-\rho)`, so that :math:`|z - c_k| \le \rho\,c_k`. For a
function whose nearest singularity is at :math:`z = 0` (:math:`\ln z`, :math:`\sqrt z`) the terms fall like
:math:`\rho^n`: with :math:`\rho = 1/16` some 12-17 terms reach float64 accuracy, a few hundred nanoseconds of
Python arithmetic instead of the several microseconds of a recurrence.

Nothing is tabulated: a piece's coefficients are computed from their closed forms (Hurwitz zeta values,
:func:`hurwitz_zeta_run`) in :mod:`decimal` arithmetic at :data:`DIGITS` significant digits (C-accelerated: ~1 ms a
piece) the first time a value falls into it, rounded to float64, and the polynomial is cut where the tail bound
falls below :data:`TAIL` times the smallest value on the piece; a series that has not converged in
:data:`MAX_TERMS` terms raises ``ArithmeticError`` (never a value). ``tests/test_scalar_path.py`` checks
:func:`hurwitz_zeta_run` against mpmath's ``zeta`` and the kernels against mpmath's ``digamma`` / ``zeta`` in every
piece.
"""

from __future__ import annotations

import decimal
import math
from decimal import Decimal

from mesocorr.integrals.derived_constants import bernoulli

__all__ = ["GeometricPieces", "hurwitz_zeta_run", "digamma_minus_log", "DIGITS", "TAIL", "MAX_TERMS"]

#: significant digits of the coefficient arithmetic (the Taylor coefficients of ln-type differences cancel ~4)
DIGITS = 45
#: a piece's polynomial stops where the tail bound is below TAIL x (smallest |value| on the piece)
TAIL = 2.0**-60
#: at most this many Taylor coefficients per piece
MAX_TERMS = 22
_EM_TERMS = 12      # Euler-Maclaurin correction terms (the last one < 1e-33 relative at w >= 32)
_EM_START = 32      # ... applied at w = a + M >= 32


_HALF = Decimal("0.5")


def _context():
    return decimal.localcontext(prec=DIGITS, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)


def _em_coefficients() -> list:
    r""":math:`B_{2k}/(2k)!`, :math:`k = 1..K`, as Decimals (in the caller's context)."""
    out = []
    for k in range(1, _EM_TERMS + 1):
        b = bernoulli(2 * k)
        out.append(Decimal(b.numerator) / Decimal(b.denominator * math.factorial(2 * k)))
    return out


def _check(term, total, what: str) -> None:
    if abs(term) > Decimal(10) ** (20 - DIGITS) * abs(total):
        raise ArithmeticError(f"{what}: the Euler-Maclaurin tail is not small enough")


def hurwitz_zeta_run(s0, a, count: int) -> list:
    r""":math:`\zeta(s_0 + n, a)` for :math:`n = 0, \dots, count-1`, as Decimals (:data:`DIGITS` digits).

    :math:`\zeta(s, a) = \sum_{j<M}(a+j)^{-s} + \zeta(s, w)`, :math:`w = a + M \ge 32`, and at :math:`w` the
    Euler-Maclaurin form :math:`\frac{w^{1-s}}{s-1} + \frac{w^{-s}}{2} + \sum_{k=1}^{12}\frac{B_{2k}}{(2k)!}
    (s)_{2k-1} w^{1-s-2k}` (DLMF 25.2.9 with 25.11.5), every :math:`s` of the run from the same powers. For
    :math:`s_0 > 0`, :math:`s \ne 1`, :math:`0 < a \le 10` and :math:`s < 25` (the uses here; a is exact: a
    float, int or Decimal). ``ArithmeticError`` if the last correction term exceeds :math:`10^{20-\mathrm{DIGITS}}`
    of the value (outside that domain it can).
    """
    with _context():
        s0, a = Decimal(s0), Decimal(a)
        M = max(0, math.ceil(_EM_START - float(a)))

        def power(u):      # u^-s0 (a square root is much cheaper than Decimal's general power)
            return 1 / u.sqrt() if s0 == _HALF else u ** (-s0)

        out = [Decimal(0)] * count
        for j in range(M):
            u = a + j
            p = power(u)
            inv = 1 / u
            for n in range(count):
                out[n] += p
                p *= inv
        w = a + M
        inv_w = 1 / w
        inv_w2 = inv_w * inv_w
        p = power(w)                 # w^-s
        em = _em_coefficients()
        for n in range(count):
            s = s0 + n
            total = out[n] + p * w / (s - 1) + p / 2
            rising = s                # (s)_{2k-1}
            power = p * inv_w         # w^(1-s-2k) at k = 1
            term = Decimal(0)
            for k, c in enumerate(em, start=1):
                term = c * rising * power
                total += term
                rising *= (s + 2 * k - 1) * (s + 2 * k)
                power *= inv_w2
            _check(term, total, f"hurwitz_zeta_run(s = {s}, a = {a})")
            out[n] = +total
            p *= inv_w
        return out


def digamma_minus_log(a, c):
    r""":math:`\psi(a) - \ln c` as a Decimal (:data:`DIGITS` digits), without cancellation loss in the logarithms:
    :math:`\psi(a) = \psi(w) - \sum_{j<M} 1/(a+j)` (DLMF 5.5.2), :math:`w = a + M \ge 32`, and
    :math:`\psi(w) - \ln c = \ln(w/c) - \frac1{2w} - \sum_{k=1}^{12}\frac{B_{2k}}{2k\,w^{2k}}` (DLMF 5.11.2)."""
    with _context():
        a, c = Decimal(a), Decimal(c)
        M = max(0, math.ceil(_EM_START - float(a)))
        w = a + M
        total = (w / c).ln() - 1 / (2 * w)
        inv_w2 = 1 / (w * w)
        power = inv_w2
        term = Decimal(0)
        for k in range(1, _EM_TERMS + 1):
            b = bernoulli(2 * k)
            term = Decimal(b.numerator) / Decimal(b.denominator * 2 * k) * power
            total -= term
            power *= inv_w2
        _check(term, total, f"digamma_minus_log(a = {a})")
        for j in range(M):
            total -= 1 / (a + j)
        return +total


class GeometricPieces:
    r"""A function on :math:`[lo, hi)` as float64 Taylor polynomials about the midpoints of geometric intervals.

    Parameters
    ----------
    lo, hi : float
        The covered range (:math:`0 < lo < hi`).
    coefficients : callable
        ``coefficients(c, count)`` -> the Taylor coefficients :math:`f^{(n)}(c)/n!`, :math:`n < count`, about the
        (exact, float) point ``c`` given as a Decimal, as Decimals (computed in a :data:`DIGITS`-digit context).
    rho : float
        Half-width of a piece relative to its midpoint (the nearest singularity must be at distance >= the midpoint).
    """

    def __init__(self, lo: float, hi: float, coefficients, rho: float = 1.0 / 16.0):
        self.lo, self.hi, self.rho = float(lo), float(hi), float(rho)
        self._q = (1.0 + rho) / (1.0 - rho)
        self._log_lo = math.log(lo)
        self._inv_log_q = 1.0 / math.log(self._q)
        self.count = int(math.ceil(math.log(hi / lo) * self._inv_log_q))
        self._coefficients = coefficients
        self._pieces: list = [None] * self.count

    def index(self, z: float) -> int:
        """The piece holding ``z`` (clamped to the covered range)."""
        k = int((math.log(z) - self._log_lo) * self._inv_log_q)
        return 0 if k < 0 else (k if k < self.count else self.count - 1)

    def bounds(self, k: int) -> tuple[float, float]:
        """The interval of piece ``k``."""
        return self.lo * self._q**k, min(self.hi, self.lo * self._q ** (k + 1))

    def piece(self, k: int) -> tuple:
        """``(center, coefficients highest power first)`` of piece ``k`` (derived on first use)."""
        p = self._pieces[k]
        if p is None:
            p = self._pieces[k] = self._build(k)
        return p

    def __call__(self, z: float) -> float:
        """The value at ``lo <= z < hi`` (outside: the nearest piece's polynomial, accurate only near it)."""
        k = int((math.log(z) - self._log_lo) * self._inv_log_q)
        if k < 0:
            k = 0
        elif k >= self.count:
            k = self.count - 1
        p = self._pieces[k]
        if p is None:
            p = self._pieces[k] = self._build(k)
        center, rev = p
        e = z - center
        acc = 0.0
        for c in rev:
            acc = acc * e + c
        return acc

    def _build(self, k: int) -> tuple:
        left, right = self.bounds(k)
        center = 0.5 * (left + right)
        # index() may put a value slightly beyond the edges (rounded logarithm): bound the tail a little outside
        radius = 1.01 * max(center - left, right - center)
        with _context():
            coeffs = self._coefficients(Decimal(center), MAX_TERMS)
            r = Decimal(radius)
            sizes = [abs(c) * r**n for n, c in enumerate(coeffs)]
            floor = abs(coeffs[0]) - sum(sizes[1:])       # smallest |f| on the piece (a lower bound)
            if floor <= 0 or sizes[-1] > Decimal(TAIL) * floor:
                raise ArithmeticError(f"GeometricPieces: the Taylor series of piece {k} (center {center!r}) has not "
                                      f"converged in {MAX_TERMS} terms")
            n, tail = MAX_TERMS, Decimal(0)
            while n > 1 and tail + sizes[n - 1] <= Decimal(TAIL) * floor:
                tail += sizes[n - 1]
                n -= 1
            return center, tuple(float(c) for c in reversed(coeffs[:n]))
