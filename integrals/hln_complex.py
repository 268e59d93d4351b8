r"""The 2D magnetoconductance function for a complex reduced field, float64 and mpmath.

A Cooperon channel with a complex gap :math:`\Gamma_c` (a Zeeman splitting makes the pair-space gap
operator non-Hermitian) has a complex characteristic field :math:`B_c = \hbar\Gamma_c/(4eD)` and
contributes :math:`w_c F(B/B_c)` with

.. math:: F(x) = \ln x + \psi\!\left(\tfrac12 + \frac1x\right) = \phi(z) = \psi(\tfrac12+z) - \ln z,
          \qquad z = 1/x = B_c/B,

principal branches, :math:`\mathrm{Re}\,z \ge 0` (the Landau-level sum
:math:`\sum_n[(n+\tfrac12+z)^{-1}]` regularised as in :func:`mesocorr.symbolic.wl.magnetoconductance_2d`
continues analytically to :math:`\mathrm{Re}\,z > -\tfrac12`; gaps of a physical gap operator have
:math:`\mathrm{Re}\,\Gamma\ge0`). Complex gaps come in conjugate pairs with conjugate weights, so
:math:`\sum_c w_cF(B/B_c)` is real; :math:`F(\bar x) = \overline{F(x)}`.

float64 (:func:`hln_f_complex`), the same care as :mod:`mesocorr.integrals.hln`:

* :math:`|z|\ge 8`: the asymptotic series :math:`\phi(z) = \sum_{k\ge1} c_k z^{-2k}`,
  :math:`c_k = -B_{2k}(\tfrac12)/(2k)` (DLMF 5.11.2 with 24.4.27; valid for :math:`|\arg z| < \pi`),
  17 terms at :math:`|z| = 8` (measured truncation below 5e-18 relative on the whole half circle
  :math:`|\arg z|\le\pi/2`), fewer for larger :math:`|z|`. No cancellation: :math:`F\approx x^2/24` for
  small :math:`|x|` comes out of the series directly.
* :math:`|z| < 8`: the recurrence :math:`\phi(u) = \phi(u+1) + h(u)`,
  :math:`h(u) = \ln(1+1/u) - 1/(u+\tfrac12) = 2(\operatorname{artanh}t - t)`, :math:`t = 1/(2u+1)`,
  shifts to :math:`|z+m|\ge8`; :math:`h` as the series :math:`2t^3\sum_k t^{2k}/(2k+3)` where
  :math:`|t|\le1/3`, directly elsewhere (only :math:`u = z` with :math:`|z+\tfrac12| < 3/2`).

mpmath (:func:`hln_f_complex_mp`): ``log`` + ``digamma`` of complex argument with
:math:`2\log_{10}(1/|x|)` guard digits for the small-:math:`|x|` cancellation.

References
----------
.. [HLN80] S. Hikami, A. I. Larkin, Y. Nagaoka, Prog. Theor. Phys. 63, 707 (1980).
.. [MF81] S. Maekawa, H. Fukuyama, J. Phys. Soc. Jpn. 50, 2516 (1981).
.. [DLMF] NIST DLMF 5.11.2 (asymptotic expansion of :math:`\psi`), 24.4.27 (:math:`B_n(1/2)`).
"""

from __future__ import annotations

import math

from fractions import Fraction

import mpmath
import numpy as np

from mesocorr.integrals.derived_constants import bernoulli
from mesocorr.integrals.hln import asymptotic_fractions

__all__ = ["hln_f_complex", "hln_phi", "hln_f_complex_mp", "ASYMPTOTIC_RADIUS"]

#: phi(z) uses the asymptotic series for |z| >= this radius
ASYMPTOTIC_RADIUS = 8.0
_C = [float(c) for c in asymptotic_fractions(17)]
_C_MORE = [float(c) for c in asymptotic_fractions(18)]
# series length by |z|: n terms suffice where the first neglected term c_n |z|^-2n is below 1e-19 of the
# leading one c_1 |z|^-2 (a factor ~100 below the measured worst angle, |arg z| = pi/2)
_RADII = tuple((n, max(ASYMPTOTIC_RADIUS, (abs(_C_MORE[n]) / (1e-19 * _C[0])) ** (1.0 / (2 * n - 2))))
               for n in range(4, 17))
_H = [2.0 / (2 * k + 3) for k in range(18)]
#: phi(z) for |z| <= this radius directly, psi(1/2 + z) - ln z (cancellation below a factor ~20 there)
DIRECT_RADIUS = 0.3
_PSI_SHIFT = 8
# psi(w) ~ ln w - 1/(2w) - sum_k B_2k / (2k w^2k), w >= 8.5: 9 terms, truncation < 1e-18
_B = [float(bernoulli(2 * k) / (2 * k)) for k in range(1, 10)]


def _horner(coeffs, s):
    acc = np.full_like(s, coeffs[-1])
    for c in reversed(coeffs[:-1]):
        acc *= s
        acc += c
    return acc


def _asymptotic(z):
    """phi(z) for |z| >= 8 (complex array): the series in z^-2, shortest length that is accurate for each |z|."""
    s = 1.0 / (z * z)
    out = np.empty_like(z)
    mod = np.abs(z)
    todo = np.ones(z.shape, dtype=bool)
    for n, radius in _RADII:
        sel = todo & (mod >= radius)
        if sel.any():
            ss = s[sel]
            out[sel] = _horner(_C[:n], ss) * ss
            todo &= ~sel
    if todo.any():
        ss = s[todo]
        out[todo] = _horner(_C, ss) * ss
    return out


def _h_terms(j: int) -> int:
    """Series length for h(u) with Re u >= j (|t| <= 1/(2j + 1), j >= 1): truncation < 1e-18 relative to h."""
    t2 = 1.0 / (2 * j + 1) ** 2
    k = 1
    while t2**k * 3 / (2 * k + 3) > 1e-18:
        k += 1
    return k


_H_LEN = [len(_H)] + [_h_terms(j) for j in range(1, 9)]


def _h_series(u, j: int = 1):
    """h(u) = 2 (artanh t - t), t = 1/(2u + 1), |t| <= 1/3: 2 t^3 sum_k t^(2k)/(2k + 3) (Re u >= j >= 1 or
    |2u + 1| >= 3)."""
    t = 1.0 / (2.0 * u + 1.0)
    t2 = t * t
    acc = _horner(_H[: _H_LEN[j]], t2)
    acc *= t2
    acc *= t
    return acc


def _h_direct(u):
    return np.log((u + 1.0) / u) - 1.0 / (u + 0.5)


def _log_right_half(z):
    """Principal ln z for Re z > 0 (or Re z = 0, z != 0): ln|z| + i arctan(Im z/Re z), cheaper than complex log."""
    x, y = z.real, z.imag
    out = np.empty_like(z)
    with np.errstate(divide="ignore"):
        out.real = 0.5 * np.log(x * x + y * y)
        out.imag = np.arctan(y / x)
    return out




def _shift_polynomial() -> list[Fraction]:
    """Coefficients (lowest first) of Q(z) = prod_{j<8} (z + j + 1/2), exact rational arithmetic."""
    q = [Fraction(1)]
    for j in range(_PSI_SHIFT):
        c = Fraction(2 * j + 1, 2)
        q = [c * a + (q[k - 1] if k else 0) for k, a in enumerate(q)] + [q[-1]]
    return q


# sum_{j<8} 1/(z + j + 1/2) = Q'(z)/Q(z), Q = prod_j (z + j + 1/2): exact coefficients, then float
_QF = _shift_polynomial()
_QC = [float(c) for c in _QF]
_DQC = [float(k * c) for k, c in enumerate(_QF) if k]
# ln(8.5 + z) = ln 8.5 + log1p(z/8.5): series for |z| <= 0.3 (|z/8.5| <= 0.036, 12 terms: < 1e-18)
_LOG_SHIFT = math.log(_PSI_SHIFT + 0.5)
_LOG1P = [(-1.0) ** (k + 1) / k for k in range(1, 13)]


def _poly(coeffs, z):
    """sum_k coeffs[k] z^k by Horner (coefficients lowest first)."""
    acc = np.full_like(z, coeffs[-1])
    for c in reversed(coeffs[:-1]):
        acc *= z
        acc += c
    return acc


#: below this |z|: phi(z) = psi(3/2 + z) - 1/(z + 1/2) - ln z with the Taylor series of psi(3/2 + z) (radius 3/2)
TAYLOR_RADIUS = 0.1
# psi(3/2 + z) = sum_k a_k z^k, a_0 = psi(3/2), a_k = psi^(k)(3/2)/k! = (-1)^(k+1) zeta(k + 1, 3/2) (DLMF 5.15.1,
# 25.11.12); mpmath at 30 digits, then float. 15 terms: truncation < 3e-18 at |z| = 0.1
with mpmath.workdps(30):
    _TAYLOR = [float(mpmath.psi(0, mpmath.mpf(3) / 2))] + [
        float((-1) ** (k + 1) * mpmath.zeta(k + 1, mpmath.mpf(3) / 2)) for k in range(1, 15)]


def _taylor_terms(radius: float) -> int:
    """Terms of the psi(3/2 + z) series for |z| <= radius: truncation |a_n| radius^n below 3e-19 (|phi| > 0.3 for
    |z| <= 0.1, so < 1e-18 relative); the full 15 at radius 0.1, 7 at 0.003."""
    for n in range(1, len(_TAYLOR)):
        if abs(_TAYLOR[n]) * radius ** n < 3e-19:
            return n
    return len(_TAYLOR)


def _taylor(z, radius: float = TAYLOR_RADIUS):
    """phi(z) = psi(3/2 + z) - 1/(z + 1/2) - ln z for |z| <= radius <= 0.1."""
    acc = _poly(_TAYLOR[: _taylor_terms(radius)], z)
    acc -= 1.0 / (z + 0.5)
    acc -= _log_right_half(z)
    return acc


def _direct(z):
    """phi(z) = psi(1/2 + z) - ln z for |z| <= 0.3 by the recurrence to w = z + 8.5:
    psi(1/2 + z) = ln w - 1/(2w) - sum_k B_2k/(2k w^2k) - sum_{j<8} 1/(z + j + 1/2)."""
    u = z * (1.0 / (_PSI_SHIFT + 0.5))
    acc = _poly(_LOG1P, u) * u
    acc += _LOG_SHIFT
    acc -= _log_right_half(z)
    inv = 1.0 / (z + (_PSI_SHIFT + 0.5))
    inv2 = inv * inv
    acc -= 0.5 * inv
    acc -= _horner(_B, inv2) * inv2
    acc -= _poly(_DQC, z) / _poly(_QC, z)
    return acc


def hln_phi(z) -> np.ndarray:
    r""":math:`\phi(z) = \psi(\tfrac12+z) - \ln z` for complex ``z`` with :math:`\mathrm{Re}\,z\ge0`, :math:`z\ne0`.

    No argument checks (the hot path); :func:`hln_f_complex` is the checked public form.
    """
    z = np.asarray(z, dtype=complex)
    flat = z.reshape(-1)
    out = np.empty_like(flat)
    mod = np.abs(flat)
    big = mod >= ASYMPTOTIC_RADIUS
    if big.any():
        out[big] = _asymptotic(flat[big])
    tiny = mod <= TAYLOR_RADIUS
    if tiny.any():
        out[tiny] = _taylor(flat[tiny], float(mod[tiny].max()))
    direct = ~big & ~tiny & (mod <= DIRECT_RADIUS)
    if direct.any():
        out[direct] = _direct(flat[direct])
    small = np.flatnonzero(~big & ~direct & ~tiny)
    if small.size:
        zs = flat[small]
        # shift count m: smallest integer with |z + m| >= 8 (Re z >= 0); |2(z + j) + 1| >= 3 for every term
        im2 = np.minimum(zs.imag ** 2, ASYMPTOTIC_RADIUS ** 2)
        m = np.maximum(np.ceil(np.sqrt(ASYMPTOTIC_RADIUS ** 2 - im2) - zs.real).astype(int), 1)
        acc = _asymptotic(zs + m)
        near = np.abs(2.0 * zs + 1.0) < 3.0
        if near.any():
            acc[near] += _h_direct(zs[near])
        far = ~near
        if far.any():
            acc[far] += _h_series(zs[far], 0)
        for j in range(1, int(m.max())):
            sel = m > j
            acc[sel] += _h_series(zs[sel] + j, j)
        out[small] = acc
    return out.reshape(z.shape)


def hln_f_complex(x) -> np.ndarray:
    r""":math:`F(x) = \ln x + \psi(\tfrac12 + 1/x)` for complex reduced fields :math:`x = B/B_c`, float64.

    Parameters
    ----------
    x : array_like (complex)
        :math:`\mathrm{Re}(1/x) \ge 0` (a channel with :math:`\mathrm{Re}\,\Gamma_c\ge0`); ``F(0) = 0``.

    Returns
    -------
    numpy.ndarray (complex)
        Accuracy: < 2e-15 relative against 40-digit mpmath on the tested grid
        (``tests/test_hln_complex.py``); :math:`F(\bar x) = \overline{F(x)}` to rounding.

    Examples
    --------
    >>> import numpy as np
    >>> x = 1e-3                        # small-x series F = x^2/24 - 7 x^4/960 + O(x^6)
    >>> bool(abs(hln_f_complex(x + 0j) - (x**2 / 24 - 7 * x**4 / 960)) < 1e-20)
    True
    >>> v = hln_f_complex(np.array([0.5 + 2j, 0.5 - 2j]))
    >>> bool(abs(v[0] - np.conj(v[1])) < 1e-15)
    True
    """
    x = np.asarray(x, dtype=complex)
    if not np.all(np.isfinite(x)):
        raise ValueError("x: reduced fields must be finite")
    flat = x.reshape(-1)
    out = np.zeros_like(flat)
    nz = flat != 0
    if nz.any():
        z = 1.0 / flat[nz]
        if np.any(z.real < -1e-15 * np.abs(z)):
            raise ValueError("x: Re(1/x) must be >= 0 (a channel gap with negative real part grows)")
        z = np.where(z.real < 0, z.imag * 1j, z)
        out[nz] = hln_phi(z)
    return out.reshape(x.shape)


def hln_f_complex_mp(x, dps: int):
    r""":math:`F(x)` for a complex ``x`` as an ``mpc`` correct to ``dps`` digits (``mpf`` inputs allowed).

    Works at ``dps + 10 + 2 log10(1/|x|)`` digits (the small-:math:`|x|` cancellation) and rounds.
    """
    with mpmath.workdps(dps + 10):
        xm = mpmath.mpc(x)
    if xm == 0:
        with mpmath.workdps(dps):
            return mpmath.mpc(0)
    with mpmath.workdps(dps + 10):
        if mpmath.re(1 / xm) < 0:
            raise ValueError("x: Re(1/x) must be >= 0 (a channel gap with negative real part grows)")
        mag = float(mpmath.log10(abs(xm)))
    lost = max(0, -2 * int(math.floor(mag))) if mag < 0 else 0
    with mpmath.workdps(dps + 10 + lost):
        xm = mpmath.mpc(x)
        val = mpmath.log(xm) + mpmath.digamma(mpmath.mpf(1) / 2 + 1 / xm)
    with mpmath.workdps(dps):
        return +val
