r"""Numbers for rings and cylinders threaded by a flux: winding sums, mode sums, a ring between two leads.

Closed forms from :mod:`mesocorr.symbolic.rings`. Dimensionless throughout: lengths in units of the
circumference :math:`L`, rates and energies in units of :math:`D/L^2` (:math:`E_c = \hbar D/L^2`),
:math:`x = L/L_c`, phase :math:`\theta` per winding.

Winding sums (AAS)
------------------
:math:`S_1(x,\theta) = \sum_{n\ge1}e^{-nx}\cos n\theta` and
:math:`S_3(x,\theta) = \sum_{n\ge1}e^{-nx}\cos(n\theta)/n` in closed form (geometric series and its
logarithm), :math:`S_2(x,\theta) = \sum_{n\ge1}K_0(nx)\cos n\theta` either as the series itself
(:math:`x \ge 1`, SciPy's :math:`K_0`, tail bounded by :math:`K_0((N+1)x)/(1-e^{-x})`) or, for
:math:`x<1`, as :math:`\int_0^\infty S_1(x\cosh u,\theta)\,du` (from :math:`K_0(y) = \int_0^\infty
e^{-y\cosh u}du`, DLMF 10.32.9), a smooth integrand with features of width O(1) in :math:`u`: composite
Gauss-Legendre, error = difference of two rules. :func:`direct_mode_sum` sums the angular modes
instead (Euler-Maclaurin tails; the independent route).

Ring between two leads
----------------------
Arms :math:`a = 1/2`, leads :math:`\ell` (both), lead cross-section twice the arm's (uniform current
density). :math:`\operatorname{Tr}(H+z)^{-1} = F_0(z) + \sum_{n\ge1}F_n(z)\cos n\theta` with
:math:`F_n = \partial_z(-2\rho^n/n)`, :math:`\rho = u/(1+\sqrt{1-u^2})`,

.. math:: u = \frac{t_\ell^2\,\mathrm{sech}^2\kappa a}{2(t_a+t_\ell)^2 - t_\ell^2\,\mathrm{sech}^2\kappa a},
          \qquad t_\ell = \frac{\tanh\kappa\ell}{\kappa},\quad \kappa = \sqrt z,

and :math:`F_0 = \partial_z\ln[C_\ell^2C_a^2\,\tilde a\,(1+\sqrt{1-u^2})]` (:math:`Z = \tilde\alpha -
\tilde\beta\cos\theta`, :math:`\tilde\alpha = C_\ell^2C_a^2\tilde a`, :math:`\tilde a = 2[2(t_a+t_\ell)^2 -
t_\ell^2\mathrm{sech}^2\kappa a]`, :math:`C_\ell = \cosh\kappa\ell`). Every piece is an entire
or meromorphic function of :math:`z` evaluated without overflow (:math:`e^{-\kappa\ell}` forms) and
without cancellation (Taylor series in :math:`y = z\ell^2` for :math:`|y|` small, coefficients from
Bernoulli numbers). Derivatives in :math:`z` at real :math:`z` by the complex step
:math:`f'(x) = \operatorname{Im}f(x+ih)/h` (no subtraction).
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import cache, lru_cache

import mpmath
import numpy as np

from mesocorr.integrals.derived_constants import bernoulli

__all__ = ["winding_sum", "winding_sum_complex", "winding_sum_mp", "winding_sum_mp_seconds", "direct_mode_sum", "ring_trace_harmonics", "ring_trace_harmonics_mp",
           "ucf_harmonics", "ucf_harmonics_mp", "thermal_kernel", "dirichlet_trace", "dirichlet_trace_mp",
           "MAX_HARMONICS"]

#: largest harmonic index accepted
MAX_HARMONICS = 200
_GL_X, _GL_W = np.polynomial.legendre.leggauss(20)
_GL_X2, _GL_W2 = np.polynomial.legendre.leggauss(12)
_EPS = 2.220446049250313e-16
_UNDERFLOW = 745.0


# ------------------------------------------------------------------------------------------ series
@cache
def _tanh_over_x_coefficients(n: int = 30) -> tuple[Fraction, ...]:
    r""":math:`\tanh\sqrt y/\sqrt y = \sum_k c_ky^k`, :math:`c_k = 2^{2k+2}(2^{2k+2}-1)B_{2k+2}/(2k+2)!`."""
    return tuple(Fraction(2 ** (2 * k + 2) * (2 ** (2 * k + 2) - 1)) * bernoulli(2 * k + 2)
                 / math.factorial(2 * k + 2) for k in range(n))


@cache
def _xcoth_coefficients(n: int = 30) -> tuple[Fraction, ...]:
    r""":math:`(\sqrt y\coth\sqrt y - 1)/y = \sum_k b_ky^k`, :math:`b_k = 2^{2k+2}B_{2k+2}/(2k+2)!`."""
    return tuple(Fraction(2 ** (2 * k + 2)) * bernoulli(2 * k + 2) / math.factorial(2 * k + 2) for k in range(n))


@cache
def _thermal_kernel_coefficients(n: int = 24) -> tuple[Fraction, ...]:
    r""":math:`k(x) = (x\coth x-1)/\sinh^2x = \sum_j k_jx^{2j}`: exact power-series division of
    :math:`x\coth x - 1 = \sum_{j\ge1}2^{2j}B_{2j}x^{2j}/(2j)!` by :math:`\sinh^2x = \sum_{j\ge1}2^{2j-1}x^{2j}/(2j)!`."""
    num = [Fraction(2 ** (2 * j)) * bernoulli(2 * j) / math.factorial(2 * j) for j in range(1, n + 2)]
    den = [Fraction(2 ** (2 * j - 1), math.factorial(2 * j)) for j in range(1, n + 2)]
    out = []
    for j in range(n):  # num = den * out (both start at x^2)
        out.append((num[j] - sum(den[j - i] * out[i] for i in range(j))) / den[0])
    return tuple(out)


def _poly(coeffs, y):
    acc = coeffs[-1]
    for c in reversed(coeffs[:-1]):
        acc = acc * y + c
    return acc


def _dpoly(coeffs, y):
    d = [k * c for k, c in enumerate(coeffs)][1:]
    return _poly(d, y)


# ------------------------------------------------------------------------------------------ winding sums
def _s1(x, theta):
    """sum_{n>=1} e^{-n x} cos(n theta), closed form without cancellation (x > 0)."""
    ex = np.exp(-x)
    s2 = np.sin(0.5 * theta) ** 2
    den = np.expm1(-x) ** 2 + 4.0 * ex * s2
    return ex * (-np.expm1(-x) - 2.0 * s2) / den      # cos(theta) - e^-x without cancellation


def _s3(x, theta):
    """sum_{n>=1} e^{-n x} cos(n theta)/n = -(1/2) ln(1 - 2 e^{-x} cos theta + e^{-2x})."""
    ex = np.exp(-x)
    small = x <= 1.0
    out = np.empty(np.broadcast(x, theta).shape)
    xb, tb, eb = np.broadcast_arrays(x, theta, ex)
    s = small if np.ndim(small) else np.full(out.shape, bool(small))
    s = np.broadcast_to(s, out.shape)
    out[s] = -0.5 * np.log(np.expm1(-xb[s]) ** 2 + 4.0 * eb[s] * np.sin(0.5 * tb[s]) ** 2)
    out[~s] = -0.5 * np.log1p(eb[~s] * (eb[~s] - 2.0 * np.cos(tb[~s])))
    return out


def _s2_series(x, theta):
    """sum_n K0(n x) cos(n theta) for x >= 1 (array inputs), with the tail bound."""
    from scipy.special import k0e

    nmax = int(math.ceil(1 + 42.0 / float(np.min(x))))
    k = np.arange(1, nmax + 1)
    kx = np.multiply.outer(x, k)
    terms = k0e(kx) * np.exp(-kx) * np.cos(np.multiply.outer(theta, k))
    total = terms.sum(axis=-1)
    tail = k0e((nmax + 1) * x) * np.exp(-(nmax + 1) * x) / (-np.expm1(-x))
    rounding = 4 * _EPS * nmax * k0e(x) * np.exp(-x)
    return total, tail + rounding


def _s2_integral(x, theta, rule):
    """int_0^umax S1(x cosh u, theta) du by composite Gauss-Legendre (panels of width 1/2, or 1/4)."""
    gx, gw = rule
    umax = math.acosh(_UNDERFLOW / float(np.min(x)))
    width = 0.5
    edges = np.arange(0.0, umax + width, width)
    a, bnd = edges[:-1], edges[1:]
    half, mid = 0.5 * (bnd - a), 0.5 * (bnd + a)
    u = (mid[:, None] + half[:, None] * gx[None, :]).ravel()
    wts = (half[:, None] * gw[None, :]).ravel()
    k = np.multiply.outer(x, np.cosh(u))
    th = np.asarray(theta)[..., None]
    with np.errstate(over="ignore", under="ignore"):
        vals = _s1(np.minimum(k, 800.0), th)
    return (vals * wts).sum(axis=-1)


def winding_sum(d: int, x, theta):
    r"""Float64 :math:`S_d(x,\theta)` (see the module docstring) and an absolute error estimate.

    ``x`` > 0 and ``theta`` broadcast; returns ``(value, error)`` arrays.
    """
    x, theta = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(theta, dtype=float))
    if np.any(~np.isfinite(x)) or np.any(x <= 0):
        raise ValueError("x: L/L_c must be positive and finite")
    if d == 1:
        val = _s1(x, theta)
        return val, 8 * _EPS * (np.abs(val) + np.exp(-x) / np.maximum(-np.expm1(-x), 1e-300))
    if d == 3:
        val = _s3(x, theta)
        return val, 8 * _EPS * (np.abs(val) + 1.0)
    if d != 2:
        raise ValueError(f"d: must be 1, 2 or 3, got {d!r}")
    return _s2(x, theta, _s2_series, _s2_integral)


def winding_sum_complex(d: int, x, theta):
    r""":math:`S_d(x,\theta)` for complex :math:`x` (:math:`\mathrm{Re}\,x > 0`: the channels of a Cooperon with
    a Zeeman vector), float64, and an absolute error estimate; ``x`` complex, ``theta`` real, broadcast.

    :math:`S_1 = \tfrac12\sum_\pm w_\pm/(1-w_\pm)` and :math:`S_3 = -\tfrac12\sum_\pm\ln(1-w_\pm)`,
    :math:`w_\pm = e^{-x\pm i\theta}` (principal logarithms, :math:`|w_\pm| < 1`; :math:`1-w` as ``-expm1``:
    no cancellation); :math:`S_2` as the series of :math:`K_0(nx)` (SciPy's complex ``kve``) for
    :math:`\mathrm{Re}\,x \ge 1`, else as :math:`\int_0^\infty S_1(x\cosh u,\theta)\,du` (DLMF 10.32.9 holds
    for :math:`\mathrm{Re}\,x > 0`), error = difference of two Gauss-Legendre rules.
    """
    x, theta = np.broadcast_arrays(np.asarray(x, dtype=complex), np.asarray(theta, dtype=float))
    if np.any(~np.isfinite(x)) or np.any(x.real <= 0):
        raise ValueError("x: L/L_c must have a positive, finite real part")
    if d == 1:
        val = _s1_complex(x, theta)
        return val, 8 * _EPS * (np.abs(val) + np.exp(-x.real) / np.maximum(-np.expm1(-x.real), 1e-300))
    if d == 3:
        val = -0.5 * (np.log(-np.expm1(-x + 1j * theta)) + np.log(-np.expm1(-x - 1j * theta)))
        return val, 8 * _EPS * (np.abs(val) + 1.0)
    if d != 2:
        raise ValueError(f"d: must be 1, 2 or 3, got {d!r}")
    return _s2(x, theta, _s2_series_complex, _s2_integral_complex)


def _s2(x, theta, series, integral):
    """S_2 by the K0 series where Re x >= 1 and by the u integral (error: two Gauss-Legendre rules) below."""
    val = np.empty(x.shape, dtype=x.dtype)
    err = np.empty(x.shape)
    big = x.real >= 1.0
    if np.any(big):
        val[big], err[big] = series(x[big], theta[big])
    small = ~big
    if np.any(small):
        fine = integral(x[small], theta[small], (_GL_X, _GL_W))
        coarse = integral(x[small], theta[small], (_GL_X2, _GL_W2))
        val[small] = fine
        err[small] = np.abs(fine - coarse) + 16 * _EPS * (np.abs(fine) + np.log(2 + 1 / x[small].real))
    return val, err


def _s1_complex(x, theta):
    """sum_{n>=1} e^{-n x} cos(n theta) for complex x, Re x > 0: (1/2) sum_pm w/(1 - w), w = e^{-x +- i theta}."""
    out = 0.0
    for sign in (1.0, -1.0):
        z = -x + sign * 1j * theta
        with np.errstate(under="ignore"):
            out = out + 0.5 * np.exp(z) / (-np.expm1(z))
    return out


def _s2_series_complex(x, theta):
    """sum_n K0(n x) cos(n theta) for complex x with Re x >= 1, with the tail bound."""
    from scipy.special import kve

    nmax = int(math.ceil(1 + 42.0 / float(np.min(x.real))))
    k = np.arange(1, nmax + 1)
    kx = np.multiply.outer(x, k)
    terms = kve(0, kx) * np.exp(-kx) * np.cos(np.multiply.outer(theta, k))
    total = terms.sum(axis=-1)
    xn = (nmax + 1) * x
    tail = np.abs(kve(0, xn)) * np.exp(-xn.real) / (-np.expm1(-x.real))
    rounding = 4 * _EPS * nmax * np.abs(kve(0, x)) * np.exp(-x.real)
    return total, tail + rounding


def _s2_integral_complex(x, theta, rule):
    """int_0^umax S1(x cosh u, theta) du for complex x (composite Gauss-Legendre, panels of width 1/2)."""
    gx, gw = rule
    umax = math.acosh(_UNDERFLOW / float(np.min(x.real)))
    edges = np.arange(0.0, umax + 0.5, 0.5)
    a, bnd = edges[:-1], edges[1:]
    half, mid = 0.5 * (bnd - a), 0.5 * (bnd + a)
    u = (mid[:, None] + half[:, None] * gx[None, :]).ravel()
    wts = (half[:, None] * gw[None, :]).ravel()
    k = np.multiply.outer(x, np.cosh(u))
    k = np.where(k.real > 800.0, k * (800.0 / k.real), k)      # e^{-k} underflows there anyway
    th = np.asarray(theta)[..., None]
    vals = _s1_complex(k, th)
    return (vals * wts).sum(axis=-1)


def winding_sum_mp_seconds(d: int, dps: int) -> float:
    r"""Estimated seconds of one :func:`winding_sum_mp` call: :math:`0.3 + 8\cdot10^{-4}(\mathrm{dps}+15)^2` for
    d = 2 (measured 0.4, 0.9, 2.3, 6.5 s at 5, 20, 40, 80 digits on a loaded machine), closed forms otherwise."""
    return 0.3 + 8e-4 * (dps + 15) ** 2 if d == 2 else 1e-3


def winding_sum_mp(d: int, x, theta, dps: int):
    r""":math:`S_d(x,\theta)` with mpmath to ``dps`` digits; returns ``(value, error)`` (mpf).

    d = 2: Gauss-Legendre quadrature of the :math:`u` integral (panels of width :math:`\sim 1/(1+\sqrt x)`,
    the width of the analytic integrand; mpmath's estimate = the change between its last two degrees) on two
    sets of split points (their difference plus the quadrature estimates is the error). The integrand
    :math:`S_1(k,\theta) = (e^{-k/2}\sinh\frac k2 - \sin^2\frac\theta2)/(2\sinh^2\frac k2 + 2\sin^2\frac\theta2)`
    has no cancellation at small :math:`k`. Raises ``ArithmeticError`` if the error exceeds :math:`10^{-\mathrm{dps}}` relative.
    """
    with mpmath.workdps(dps + 15):
        xm, tm = mpmath.mpf(x), mpmath.mpf(theta)
        tiny = mpmath.mpf(10) ** (-(dps + 5))

        s2 = mpmath.sin(tm / 2) ** 2

        def s1(k):
            # sum_n e^{-nk} cos(n theta) = (e^{-k/2} sinh(k/2) - s2) / (2 (sinh^2(k/2) + s2)), s2 = sin^2(theta/2):
            # no cancellation at small k (mpmath's sinh keeps its relative precision there), one exp and one
            # sinh per point (expm1 is a slow Python-level routine in mpmath)
            sh = mpmath.sinh(k / 2)
            return (mpmath.exp(-k / 2) * sh - s2) / (2 * (sh * sh + s2))

        if d == 1:
            val, err = s1(xm), tiny
        elif d == 3:
            ex = mpmath.exp(-xm)
            val = -mpmath.log(mpmath.expm1(-xm) ** 2 + 4 * ex * mpmath.sin(tm / 2) ** 2) / 2
            err = tiny
        elif d == 2:
            # K_0(y) = int_0^oo e^{-y cosh u} du: S_2 = int_0^oo S_1(x cosh u) du (mpmath's K_0 at large
            # arguments is slow, the closed-form integrand is not); two sets of split points
            umax = mpmath.acosh((dps + 20) * mpmath.log(10) / xm + 1)
            runs = []
            for shift in ("1", "0.77"):
                pts = [mpmath.mpf(0)]
                while pts[-1] < umax:
                    pts.append(pts[-1] + mpmath.mpf(shift) / (1 + mpmath.sqrt(xm)))
                v, e = mpmath.quad(lambda u: s1(xm * mpmath.cosh(u)), pts, error=True, method="gauss-legendre")
                runs.append((v, e))
            val = runs[0][0]
            err = abs(runs[0][0] - runs[1][0]) + runs[0][1] + runs[1][1]
        else:
            raise ValueError(f"d: must be 1, 2 or 3, got {d!r}")
        if not err <= mpmath.mpf(10) ** (-dps) * max(abs(val), mpmath.mpf(10) ** (-dps)):
            raise ArithmeticError(f"winding sum S_{d}({mpmath.nstr(xm, 8)}, {mpmath.nstr(tm, 8)}) not converged "
                                  f"to {dps} digits (error {mpmath.nstr(err, 3)})")
        return +val, +err


def direct_mode_sum(d: int, x, varphi, M: int = 400, dps: int = 30):
    r"""The independent route: sum over the angular modes :math:`m` of the flux-dependent part (mpmath).

    With :math:`g_1(y) = 1/((2\pi y)^2+x^2)`, :math:`g_2(y) = ((2\pi y)^2+x^2)^{-1/2}`,
    :math:`g_3(y) = \ln((2\pi y)^2+x^2)`, returns :math:`\sum_{m\in\mathbb Z}g_d(m+\varphi) -
    \int g_d\,dy`: the sum over :math:`|m|\le M` minus the integral over :math:`[-M-\frac12+\varphi,
    M+\frac12+\varphi]` (closed forms) plus the Euler-Maclaurin tails of the midpoint rule
    (:math:`f'/24 - 7f'''/5760` at both ends). Poisson predicts :math:`(1/x)S_1`, :math:`(2/\pi)S_2`,
    :math:`-2S_3` respectively (for d = 1 the integral is :math:`1/(2x)`).
    """
    with mpmath.workdps(dps + 10):
        xm, ph = mpmath.mpf(x), mpmath.mpf(varphi)
        c = 2 * mpmath.pi
        if d == 1:
            def g(y):
                return 1 / ((c * y) ** 2 + xm**2)

            def prim(y):
                return mpmath.atan(c * y / xm) / (c * xm)
        elif d == 2:
            def g(y):
                return 1 / mpmath.sqrt((c * y) ** 2 + xm**2)

            def prim(y):
                return mpmath.asinh(c * y / xm) / c
        elif d == 3:
            def g(y):
                return mpmath.log((c * y) ** 2 + xm**2)

            def prim(y):
                return y * mpmath.log((c * y) ** 2 + xm**2) - 2 * y + 2 * xm / c * mpmath.atan(c * y / xm)
        else:
            raise ValueError(f"d: must be 1, 2 or 3, got {d!r}")
        total = mpmath.fsum(g(k + ph) for k in range(-M, M + 1))
        hi, lo = M + mpmath.mpf(1) / 2 + ph, -M - mpmath.mpf(1) / 2 + ph
        total -= prim(hi) - prim(lo)
        total += (mpmath.diff(g, hi) - mpmath.diff(g, lo)) / 24
        total -= 7 * (mpmath.diff(g, hi, 3) - mpmath.diff(g, lo, 3)) / 5760
        return +total


# ------------------------------------------------------------------------------------------ ring with leads
_SERIES_BELOW = 0.5


def _np_tanh_over_kappa(z, ell):
    """t = tanh(kappa ell)/kappa and dt/dz (complex arrays)."""
    y = z * ell**2
    small = np.abs(y) < _SERIES_BELOW
    t = np.empty_like(z)
    dt = np.empty_like(z)
    if np.any(small):
        c = [float(v) for v in _tanh_over_x_coefficients()]
        ys = y[small]
        t[small] = ell * _poly(c, ys)
        dt[small] = ell**3 * _dpoly(c, ys)
    big = ~small
    if np.any(big):
        zb = z[big]
        k = np.sqrt(zb)
        e2 = np.exp(-2 * k * ell)
        th = (1 - e2) / (1 + e2)
        sech2 = 4 * e2 / (1 + e2) ** 2
        t[big] = th / k
        dt[big] = (ell * sech2 - th / k) / (2 * zb)
    return t, dt


_COSH_SERIES = tuple(1.0 / math.factorial(2 * j) for j in range(16))


def _np_sech_sqrt(y):
    r""":math:`\mathrm{sech}\sqrt y` (complex array): the Taylor series in :math:`y` for :math:`|y|` small (no
    :math:`O(\sqrt y)` terms that cancel, so a complex step of :math:`10^{-30}` survives), exponentials above."""
    out = np.empty_like(y)
    small = np.abs(y) < _SERIES_BELOW
    if np.any(small):
        out[small] = 1 / _poly(_COSH_SERIES, y[small])
    big = ~small
    if np.any(big):
        ek = np.exp(-np.sqrt(y[big]))
        out[big] = 2 * ek / (1 + ek**2)
    return out


def dirichlet_trace(z, ell):
    r""":math:`\operatorname{Tr}(-\partial^2+z)^{-1}` on an interval of length ``ell`` with Dirichlet ends:
    :math:`\partial_z\ln(\sinh\kappa\ell/\kappa) = (\ell\kappa\coth\kappa\ell - 1)/2z` (complex array ``z``)."""
    y = z * ell**2
    small = np.abs(y) < 1.0
    out = np.empty_like(z)
    if np.any(small):
        c = [float(v) for v in _xcoth_coefficients()]
        out[small] = 0.5 * ell**2 * _poly(c, y[small])
    big = ~small
    if np.any(big):
        zb = z[big]
        k = np.sqrt(zb)
        e2 = np.exp(-2 * k * ell)
        out[big] = (ell * k * (1 + e2) / (1 - e2) - 1) / (2 * zb)
    return out


def _trace_algebra(a, lead, ta, dta, tl, dtl, sech, sqrt):
    r"""From :math:`t_a, t_\ell` (and their z-derivatives) and :math:`\mathrm{sech}\,\kappa a`: the flux-independent
    harmonic :math:`F_0`, :math:`\rho` and :math:`\rho'(z)` (module docstring); arithmetic only, so the same code
    serves numpy arrays and mpmath numbers (``sqrt`` of the matching library)."""
    dsech = -a * sech * ta / 2
    N = tl**2 * sech**2
    dN = 2 * tl * dtl * sech**2 + 2 * tl**2 * sech * dsech
    Dn = 2 * (ta + tl) ** 2 - N
    dDn = 4 * (ta + tl) * (dta + dtl) - dN
    u = N / Dn
    du = (dN - u * dDn) / Dn
    sq = sqrt(1 - u**2)
    rho = u / (1 + sq)
    drho = du / (sq * (1 + sq))
    F0 = lead * tl + a * ta + dDn / Dn - rho * du / sq     # (ln C_l)' = l t_l / 2, two leads, two arms
    return F0, rho, drho


def ring_trace_harmonics(z, lead: float, n_max: int):
    r"""Harmonics :math:`F_0(z), F_1(z), \dots, F_{n_{max}}(z)` of :math:`\operatorname{Tr}(H+z)^{-1}` of the
    ring between two leads (float64, complex ``z`` with :math:`\mathrm{Re}\,z\ge0`, array).

    Returns an array of shape ``(n_max + 1,) + z.shape``; entry ``n`` is the coefficient of :math:`\cos n\theta`.
    """
    z = np.asarray(z, dtype=complex)
    shape = z.shape
    z = z.reshape(-1)
    a = 0.5
    ta, dta = _np_tanh_over_kappa(z, a)
    tl, dtl = _np_tanh_over_kappa(z, lead)
    sech = _np_sech_sqrt(z * a**2)
    F0, rho, drho = _trace_algebra(a, lead, ta, dta, tl, dtl, sech, np.sqrt)
    out = np.empty((n_max + 1, z.size), dtype=complex)
    out[0] = F0
    if n_max >= 1:
        power = np.ones_like(rho)
        for nn in range(1, n_max + 1):
            out[nn] = -2 * power * drho
            power = power * rho
    return out.reshape((n_max + 1,) + shape)


def _mp_series(kind: str, n: int) -> list:
    """The coefficients of :func:`_tanh_over_x_coefficients` (``"tanh"``) or :func:`_xcoth_coefficients`
    (``"xcoth"``) at the current mpmath precision (mpmath's Bernoulli numbers)."""
    out = []
    for k in range(n):
        m = 2 * k + 2
        b = mpmath.bernoulli(m) / mpmath.factorial(m) * mpmath.mpf(2) ** m
        out.append(b * (mpmath.mpf(2) ** m - 1) if kind == "tanh" else b)
    return out


def _mp_tanh_over_kappa(z, ell):
    y = z * ell**2
    if abs(y) < _SERIES_BELOW:
        c = _mp_series("tanh", 40 + mpmath.mp.dps)
        return ell * _poly(c, y), ell**3 * _dpoly(c, y)
    k = mpmath.sqrt(z)
    e2 = mpmath.exp(-2 * k * ell)
    th = (1 - e2) / (1 + e2)
    return th / k, (ell * 4 * e2 / (1 + e2) ** 2 - th / k) / (2 * z)


def dirichlet_trace_mp(z, ell):
    """:func:`dirichlet_trace` for one mpmath number at the current precision."""
    y = z * ell**2
    if abs(y) < 1:
        c = _mp_series("xcoth", 30 + mpmath.mp.dps)
        return ell**2 * _poly(c, y) / 2
    k = mpmath.sqrt(z)
    e2 = mpmath.exp(-2 * k * ell)
    return (ell * k * (1 + e2) / (1 - e2) - 1) / (2 * z)


def ring_trace_harmonics_mp(z, lead, n_max: int) -> list:
    """:func:`ring_trace_harmonics` for one (complex) ``z`` at the current mpmath precision; list of mpc."""
    z = mpmath.mpmathify(z)
    lead = mpmath.mpf(lead)
    a = mpmath.mpf(1) / 2
    ta, dta = _mp_tanh_over_kappa(z, a)
    tl, dtl = _mp_tanh_over_kappa(z, lead)
    y = z * a**2
    if abs(y) < _SERIES_BELOW:
        sech = 1 / mpmath.fsum(y**j / mpmath.factorial(2 * j) for j in range(12 + mpmath.mp.dps))
    else:
        ea = mpmath.exp(-mpmath.sqrt(z) * a)
        sech = 2 * ea / (1 + ea**2)
    F0, rho, drho = _trace_algebra(a, lead, ta, dta, tl, dtl, sech, mpmath.sqrt)
    out = [F0]
    power = mpmath.mpf(1)
    for _ in range(n_max):
        out.append(-2 * power * drho)
        power *= rho
    return out


# ------------------------------------------------------------------------------------------ thermal kernel
def thermal_kernel(omega, T: float):
    r""":math:`K(\omega) = \int d\epsilon\,f'(\epsilon)f'(\epsilon+\omega) = k(x)/2T` and :math:`K'(\omega)`,
    :math:`x = \omega/2T`, :math:`k(x) = (x\coth x-1)/\sinh^2x` (series below :math:`x = 1/2`, no
    cancellation above). Energies in the unit of ``T``; :math:`\int K = 1`."""
    x = np.abs(np.asarray(omega, dtype=float)) / (2 * T)
    k = np.empty_like(x)
    dk = np.empty_like(x)
    small = x < 0.5
    if np.any(small):
        c = [float(v) for v in _thermal_kernel_coefficients()]
        ys = x[small] ** 2
        k[small] = _poly(c, ys)
        dk[small] = 2 * x[small] * _dpoly(c, ys)
    big = ~small
    if np.any(big):
        xb = x[big]
        e = np.exp(-2 * xb)
        csch2 = 4 * e / (1 - e) ** 2
        coth = (1 + e) / (1 - e)
        k[big] = (xb * coth - 1) * csch2
        dk[big] = (coth - xb * csch2) * csch2 - 2 * (xb * coth - 1) * csch2 * coth
    sign = np.sign(np.asarray(omega, dtype=float))
    return k / (2 * T), sign * dk / (4 * T**2)


@lru_cache(maxsize=512)
def _omega_nodes(T: float, cutoff: float, order: int):
    """Gauss-Legendre nodes/weights on geometric panels in omega from 0 to ``cutoff`` with the thermal kernel
    and its derivative at the nodes (cached: a fit evaluates many gaps at the same temperatures)."""
    gx, gw = (_GL_X, _GL_W) if order == 20 else (_GL_X2, _GL_W2)
    h0 = min(T, 1.0) / 8.0
    edges = [0.0, h0]
    while edges[-1] < cutoff:
        edges.append(min(edges[-1] * 2.0, cutoff))
    edges = np.array(edges)
    a, b = edges[:-1], edges[1:]
    half, mid = 0.5 * (b - a), 0.5 * (b + a)
    om = (mid[:, None] + half[:, None] * gx[None, :]).ravel()
    wt = (half[:, None] * gw[None, :]).ravel()
    K, dK = thermal_kernel(om, T)
    return om, wt, K, dK


def _omega_cutoff(T: float, gap: float) -> float:
    """Where the kernel (45 T) or the winding decay exp(-sqrt(omega/2)) makes the integrand negligible;
    the latter rounded up to a power of two (few distinct node sets)."""
    decay = 2.0 * (math.sqrt(gap) + 45.0) ** 2 + 50.0
    return min(45.0 * T, 2.0 ** math.ceil(math.log2(decay)))


def _thermal_rule(F_of_omega, T, gap, order):
    om, wt, K, dK = _omega_nodes(float(T), _omega_cutoff(T, gap), order)
    im = F_of_omega(om).imag                       # (harmonics, nodes)
    integrand = -2.0 * dK * im + 4.0 * K * im / om
    return 2.0 * (integrand * wt).sum(axis=-1)


#: temperature (units of E_c) below which :func:`ucf_harmonics` returns its T = 0 value
T_ZERO_LIMIT = 1e-8


def ucf_harmonics(gap: float, lead: float, n_max: int, T: float = 0.0, error: bool = True):
    r"""Per-channel :math:`\sum` over the flux harmonics of :math:`2\operatorname{Re}\operatorname{Tr}G^2 +
    4\operatorname{Tr}GG^\dagger` (thermally averaged): ``(values[1..n_max], errors)``, float64.

    :math:`T = 0`: :math:`-6F_n'(\gamma)` (complex step). :math:`T>0` (units of :math:`E_c`):
    :math:`2\int_0^\infty d\omega\,[-2K'(\omega)\operatorname{Im}\Phi_n + 4K(\omega)\operatorname{Im}\Phi_n/\omega]`,
    :math:`\Phi_n(\omega) = F_n(\gamma-i\omega)` (the ring term integrated by parts); 20-point Gauss-Legendre
    on geometric panels, error = difference from the 12-point rule on the same panels (``error=False``: skip it,
    ``None`` returned). Below :data:`T_ZERO_LIMIT` the thermal correction, :math:`O(T^2)` (measured 1.1e-12
    relative at T = 1e-6), is below the float64 resolution and the T = 0 value is returned (the quadrature's
    kernel derivative, :math:`\propto 1/T^2`, would overflow at T ~ 1e-155).
    """
    if T < T_ZERO_LIMIT:
        h = 1e-30
        vals = -6.0 * ring_trace_harmonics(np.array([gap + 1j * h]), lead, n_max)[1:, 0].imag / h
        return vals, 64 * _EPS * np.abs(vals)

    def F(om):
        return ring_trace_harmonics(gap - 1j * om, lead, n_max)[1:]

    fine = _thermal_rule(F, T, gap, 20)
    if not error:
        return fine, None
    coarse = _thermal_rule(F, T, gap, 12)
    return fine, np.abs(fine - coarse) + 64 * _EPS * np.abs(fine)


def ucf_harmonics_mp(gap, lead, n_max: int, dps: int):
    """:func:`ucf_harmonics` at T = 0 with mpmath (complex step of size 10^-(2 dps)); list of mpf."""
    with mpmath.workdps(dps + 20):
        h = mpmath.mpf(10) ** (-(2 * dps + 10))
        F = ring_trace_harmonics_mp(mpmath.mpc(gap, h), lead, n_max)
        return [-6 * f.imag / h for f in F[1:]]
