r"""Numbers of the Altshuler-Aronov interaction correction: constants, channel factors, Zeeman functions g_d(h).

Closed forms derived in :mod:`mesocorr.symbolic.interaction` (the tests re-derive every constant stored here and
compare); this module evaluates them in float64 and, with ``dps``, in mpmath.

* :func:`temperature_constant` :math:`K_d` (units of :math:`e^2/h`): :math:`K_2 = 1/\pi`,
  :math:`K_3 = |\zeta(\tfrac12)|/(3\sqrt{2\pi})`, :math:`K_1 = -3\zeta(\tfrac32)/\sqrt{2\pi}`;
* :func:`channel_factor` :math:`\lambda_d(F_0^\sigma)` and :func:`f_tilde` :math:`\tilde F_d = -(8/d)\lambda_d`,
  written without cancellation (:math:`u = \sqrt{1+F}`: :math:`\lambda_1 = F/(u+1)^2`,
  :math:`\lambda_3 = F(u+2)/(u(u+1)^2)`, :math:`\lambda_2 = 1-\ln(1+F)/F` by its Taylor series for :math:`|F|<0.05`);
* :func:`zeeman_g` :math:`g_d(h)`, float64, three regions (:math:`b = h/2\pi`, :math:`s_0 = 2-d/2`,
  :math:`a = s_0+1`):

  - :math:`b \le 1/2` (:math:`h\le\pi`): the convergent Taylor series :math:`g = \sum_m c_m b^{2m}`,
    :math:`c_m = -\Gamma(a)\binom{-a}{2m}(-1)^m\zeta(s_0+2m)` (40 terms);
  - :math:`1/2 < b < 40/2\pi`: the positive-term sum :math:`g = \Gamma(a)\sum_n n^{-s_0}[1-\mathrm{Re}(1+ib/n)^{-a}]`,
    explicitly for :math:`n \le N = \lceil 2b\rceil` (each term as :math:`-\mathrm{expm1}(x)\cos y + 2\sin^2(y/2)`, no
    cancellation) and the rest as :math:`\sum_m c_m'(b)\,\zeta(s_0+2m, N+1)` (Hurwitz, ratio :math:`\le 1/4`). This
    sum replaces "an integral in between": it is exact and every term is positive;
  - :math:`h \ge 40`: the large-h asymptotic series (16 Bernoulli terms; the remainder is below :math:`10^{-16}`).

  Measured accuracy against 40-digit mpmath over :math:`10^{-8} \le h \le 10^{8}`: see ``tests/test_interaction.py``
  (max relative error 4e-15 for d = 1, 2, 3).

References
----------
.. [LR85] P. A. Lee, T. V. Ramakrishnan, Rev. Mod. Phys. 57, 287 (1985), Sec. III.
.. [DLMF] NIST DLMF 25.11.43 (Hurwitz zeta asymptotics), 5.11.2 (digamma), 25.11.10 (Taylor series in a).
"""

from __future__ import annotations

import math
from functools import cache

import mpmath
import numpy as np

from mesocorr.arguments import as_real

__all__ = ["temperature_constant", "temperature_constant_mp", "channel_factor", "channel_factor_mp", "f_tilde",
           "f_tilde_mp", "zeeman_g", "zeeman_g_mp", "zeeman_small_h_coefficients", "thermal_kernel",
           "channel_amplitudes", "exchange_double_integral", "film_exchange_difference", "H_ASYMPTOTIC"]

#: g_d(h) uses the large-h asymptotic series for h >= this value
H_ASYMPTOTIC = 40.0
_B_SMALL = 0.5
_N_TAYLOR = 40
_N_ASYM = 16
_GUARD = 10


# ----------------------------------------------------------------------------------------------- constants
def temperature_constant_mp(d: int):
    r""":math:`K_d` at the current mpmath precision (closed forms of
    :func:`mesocorr.symbolic.interaction.temperature_constant`)."""
    if d == 2:
        return 1 / mpmath.pi
    if d == 3:
        return -mpmath.zeta(mpmath.mpf(1) / 2) / (3 * mpmath.sqrt(2 * mpmath.pi))
    if d == 1:
        return -3 * mpmath.zeta(mpmath.mpf(3) / 2) / mpmath.sqrt(2 * mpmath.pi)
    raise ValueError(f"d: must be 1, 2 or 3, got {d!r}")


@cache
def temperature_constant(d: int) -> float:
    r""":math:`K_d` as float64: 0.3183098861837907 (2D), 0.19419905264633688 (3D), -3.1265609366072296 (1D).

    >>> round(temperature_constant(3), 12)
    0.194199052646
    """
    with mpmath.workdps(30):
        return float(temperature_constant_mp(d))


# ----------------------------------------------------------------------------------------------- channel factors
_LOG_SERIES = [(-1.0) ** (k + 1) / (k + 1) for k in range(1, 16)]  # 1 - log1p(F)/F = sum_k (-1)^(k+1) F^k/(k+1)


def channel_factor(d: int, F0) -> np.ndarray | float:
    r"""Triplet/singlet factor :math:`\lambda_d(F_0^\sigma)`, float64 (``F0 > -1``), vectorised.

    >>> round(float(channel_factor(2, -0.25)), 12)
    -0.150728289807
    """
    F = np.asarray(F0, dtype=float)
    if np.any(F <= -1):
        raise ValueError("F0_sigma: must be > -1 (the spin susceptibility 1/(1 + F0_sigma) must be positive)")
    if d == 1:
        uu = np.sqrt(1 + F)
        out = F / (uu + 1) ** 2
    elif d == 3:
        uu = np.sqrt(1 + F)
        out = F / (uu + 1) ** 2 * ((uu + 2) / uu)  # = F (u + 2)/(u (u + 1)^2), no overflow at large F
    elif d == 2:
        small = np.abs(F) < 0.05
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(small, 0.0, 1 - np.log1p(F) / np.where(small, 1.0, F))
        if np.any(small):
            Fs = F[small] if F.ndim else F
            acc = np.zeros_like(Fs)
            for c in reversed(_LOG_SERIES):
                acc = (acc + c) * Fs
            if F.ndim:
                out[small] = acc
            else:
                out = acc
    else:
        raise ValueError(f"d: must be 1, 2 or 3, got {d!r}")
    return float(out) if np.ndim(out) == 0 else out


def channel_factor_mp(d: int, F0):
    r""":math:`\lambda_d(F_0^\sigma)` in mpmath at the current precision (closed forms, guard against :math:`F\to0`)."""
    F = mpmath.mpf(F0)
    if F <= -1:
        raise ValueError("F0_sigma: must be > -1")
    if F == 0:
        return mpmath.mpf(0)
    uu = mpmath.sqrt(1 + F)
    if d == 1:
        return F / (uu + 1) ** 2
    if d == 3:
        return F * (uu + 2) / (uu * (uu + 1) ** 2)
    if d == 2:
        extra = max(0, -int(mpmath.floor(mpmath.log10(abs(F)))))
        with mpmath.workdps(mpmath.mp.dps + extra):
            return 1 - mpmath.log1p(F) / F
    raise ValueError(f"d: must be 1, 2 or 3, got {d!r}")


def f_tilde(d: int, F0):
    r""":math:`\tilde F_d = -(8/d)\lambda_d(F_0^\sigma)` (float64)."""
    return -8.0 / d * channel_factor(d, F0)


def f_tilde_mp(d: int, F0):
    """:func:`f_tilde` in mpmath."""
    return -mpmath.mpf(8) / d * channel_factor_mp(d, F0)


# ----------------------------------------------------------------------------------------------- thermal kernel
#: Taylor coefficients of (sinh w - w)/w^3 = sum_k w^(2k)/(2k+3)!, k = 0..12 (remainder < 1e-18 relative at |w| = 2)
_SINH_MINUS_ID = tuple(1.0 / math.factorial(2 * k + 3) for k in range(13))


def thermal_kernel(w) -> np.ndarray:
    r""":math:`\partial_w[w\coth(w/2)] = \coth(w/2) - (w/2)/\sinh^2(w/2) = (\sinh w - w)/(2\sinh^2(w/2))`
    (w = ħω/k_BT), float64, no cancellation.

    Series :math:`2x/3-4x^3/45+4x^5/315` (:math:`x = w/2`) below :math:`|x| = 10^{-3}`; for :math:`|w| < 2` the
    numerator :math:`\sinh w - w` by its Taylor series (13 terms) over :math:`2\sinh^2(w/2)`; up to :math:`|x| = 40`
    the quotient directly (condition below 2.2); 1 (times sign) above :math:`|x| = 40`. Max relative error against
    30-digit mpmath over :math:`10^{-300} \le |w| \le 10^{3}`: a few units of 1e-16 (tests/test_interaction.py).
    """
    w = np.asarray(w, dtype=float)
    x = 0.5 * w
    ax = np.abs(x)
    out = np.empty_like(x)
    small = ax < 1e-3
    big = ax > 40
    series = ~small & (ax < 1.0)
    mid = ~(small | big | series)
    xs = x[small]
    out[small] = xs * (2.0 / 3 + xs * xs * (-4.0 / 45 + xs * xs * 4.0 / 315))
    out[big] = np.sign(x[big])
    ws = w[series]
    w2 = ws * ws
    acc = np.full_like(ws, _SINH_MINUS_ID[-1])
    for c in reversed(_SINH_MINUS_ID[:-1]):
        acc *= w2
        acc += c
    sh = np.sinh(0.5 * ws)
    out[series] = ws * w2 * acc / (2 * sh * sh)
    wm = w[mid]
    sh = np.sinh(0.5 * wm)
    out[mid] = (np.sinh(wm) - wm) / (2 * sh * sh)
    return out


# ----------------------------------------------------------------------------------------------- Zeeman functions
def _s0(d: int) -> float:
    if d not in (1, 2, 3):
        raise ValueError(f"d: must be 1, 2 or 3, got {d!r}")
    return 2.0 - d / 2.0


@cache
def _tail_coefficients(d: int) -> tuple:
    r""":math:`e_m = -\Gamma(a)\binom{-a}{2m}(-1)^m` (the coefficient of :math:`b^{2m}n^{-s_0-2m}`), m = 1..40."""
    s0 = mpmath.mpf(4 - d) / 2
    aa = s0 + 1
    with mpmath.workdps(30):
        return tuple(float(-mpmath.gamma(aa) * mpmath.binomial(-aa, 2 * m) * (-1) ** m) for m in range(1, _N_TAYLOR + 1))


@cache
def zeeman_small_h_coefficients(d: int, n: int = _N_TAYLOR) -> tuple:
    r"""Taylor coefficients in :math:`b^2` (:math:`b = h/2\pi`): :math:`c_m = e_m\zeta(s_0+2m)`, float64.

    >>> round(zeeman_small_h_coefficients(2)[0] / (4 * math.pi**2), 12)  # 3 zeta(3)/(4 pi^2)
    0.091345371175
    """
    s0 = mpmath.mpf(4 - d) / 2
    aa = s0 + 1
    with mpmath.workdps(30):
        return tuple(float(-mpmath.gamma(aa) * mpmath.binomial(-aa, 2 * m) * (-1) ** m * mpmath.zeta(s0 + 2 * m))
                     for m in range(1, n + 1))


@cache
def _asymptotic_coefficients(d: int) -> tuple:
    r"""Large-h series: ``(lead, const, [a_k])`` with :math:`g \simeq \text{lead}(b) + \text{const} + \sum_k a_k b^{-2k}`
    (2D: lead = ln b; otherwise lead = :math:`A\,b^{1-s_0}`, returned as ``A``)."""
    with mpmath.workdps(30):
        if d == 2:
            ak = [float((-1) ** k * mpmath.bernoulli(2 * k) * (1 - mpmath.mpf(1) / (2 * k))) for k in range(1, _N_ASYM + 1)]
            return (1.0, float(1 + mpmath.euler), tuple(ak))
        s0 = mpmath.mpf(4 - d) / 2
        G = mpmath.gamma(s0 + 1)

        def re_pow_coeff(c):  # Re (i b)^c = b^c cos(pi c/2)
            return mpmath.cos(mpmath.pi * c / 2)

        A = -G * re_pow_coeff(1 - s0) / (s0 * (s0 - 1))
        const = G * mpmath.zeta(s0)
        ak = [float(G * mpmath.bernoulli(2 * k) / mpmath.factorial(2 * k) * (2 * k - 1) * mpmath.rf(s0 + 1, 2 * k - 2)
                    * re_pow_coeff(1 - s0 - 2 * k)) for k in range(1, _N_ASYM + 1)]
        return (float(A), float(const), tuple(ak))


def _positive_term(n, b, s0):
    r""":math:`n^{-s_0}[1-\mathrm{Re}(1+ib/n)^{-a}]` as :math:`n^{-s_0}[-\mathrm{expm1}(x)\cos y + 2\sin^2(y/2)]`."""
    aa = s0 + 1
    beta = b / n
    xx = -0.5 * aa * np.log1p(beta * beta)
    yy = -aa * np.arctan(beta)
    return n ** (-s0) * (-np.expm1(xx) * np.cos(yy) + 2 * np.sin(0.5 * yy) ** 2)


def _g_small(b, d):
    c = zeeman_small_h_coefficients(d)
    b2 = b * b
    acc = np.full_like(b, c[-1])
    for cm in reversed(c[:-1]):
        acc *= b2
        acc += cm
    return acc * b2


def _g_mid(b, d):
    from scipy.special import zeta

    s0 = _s0(d)
    gam = math.gamma(s0 + 1)
    N = np.ceil(2 * b)
    total = np.zeros_like(b)
    for n in range(1, int(N.max()) + 1):
        use = n <= N
        total[use] += _positive_term(float(n), b[use], s0)
    total *= gam
    e = _tail_coefficients(d)
    b2 = b * b
    power = np.ones_like(b)
    tail = np.zeros_like(b)
    for m, em in enumerate(e, start=1):
        power *= b2
        tail += em * power * zeta(s0 + 2 * m, N + 1)
    return total + tail


def _g_big(b, d):
    lead, const, ak = _asymptotic_coefficients(d)
    with np.errstate(over="ignore"):  # b**2 = inf for h > 1e154: the corrections are then exactly 0
        inv = 1.0 / (b * b)
    acc = np.full_like(b, ak[-1])
    for c in reversed(ak[:-1]):
        acc *= inv
        acc += c
    acc *= inv
    if d == 2:
        return np.log(b) + const + acc
    s0 = _s0(d)
    return lead * b ** (1 - s0) + const + acc * b ** (1 - s0)


def zeeman_g(d: int, h) -> np.ndarray:
    r""":math:`g_d(h)` for :math:`h = E_Z/k_BT \ge 0` (float64, vectorised, even in h; ``g(0) = 0``).

    >>> round(float(zeeman_g(2, 1e-5)) / (3 * 1.2020569031595942 / (4 * math.pi**2) * 1e-10), 9)
    1.0
    """
    hh = np.abs(np.asarray(h, dtype=float))
    if not np.all(np.isfinite(hh)):
        raise ValueError("h: must be finite")
    _s0(d)
    b = hh / (2 * math.pi)
    flat = b.reshape(-1)
    out = np.empty_like(flat)
    small = flat <= _B_SMALL
    big = 2 * math.pi * flat >= H_ASYMPTOTIC
    mid = ~(small | big)
    if small.any():
        out[small] = _g_small(flat[small], d)
    if mid.any():
        out[mid] = _g_mid(flat[mid], d)
    if big.any():
        out[big] = _g_big(flat[big], d)
    return out.reshape(b.shape)


#: the mpmath path sums the Taylor series for b = h/2 pi below this value (terms fall by b^2 = 1e-16 each)
_B_SERIES_MP = 1e-8


def zeeman_g_mp(d: int, h, dps: int):
    r""":math:`g_d(h)` to ``dps`` digits (the mpmath path).

    :math:`b = h/2\pi < 10^{-8}`: the Taylor series :math:`\sum_m (-1)^{m+1}\frac{\Gamma(a+2m)}{(2m)!}
    \zeta(s_0+2m)\,b^{2m}` (:math:`a = s_0+1`; terms fall by :math:`\approx b^2`, summed until below
    :math:`10^{-\mathrm{dps}-10}` of the sum; no cancellation however small h is); above, the closed form
    (Hurwitz zeta / polygamma of the complex argument :math:`1+ib`) with :math:`2\log_{10}(1/b)` (at most 16)
    extra digits for the :math:`O(b^2)` cancellation. Cost grows fast with ``dps`` (measured: ~0.03 s at 100
    digits, ~0.25 s at 300 for d = 1); :data:`mesocorr.interaction.MAX_DPS` caps it."""
    _s0(d)
    with mpmath.workdps(dps + _GUARD):
        hm = abs(mpmath.mpf(h))
    if hm == 0:
        with mpmath.workdps(dps):
            return mpmath.mpf(0)
    lost = max(0, 2 * int(mpmath.ceil(-mpmath.log10(hm / (2 * mpmath.pi))))) if hm < 2 * mpmath.pi else 0
    with mpmath.workdps(dps + _GUARD + min(lost, 16)):
        hm = abs(mpmath.mpf(h))
        b = hm / (2 * mpmath.pi)
        s0 = mpmath.mpf(4 - d) / 2
        if b < _B_SERIES_MP:
            aa = s0 + 1
            b2 = b * b
            coef = mpmath.gamma(aa + 2) / 2 * b2          # m = 1: Gamma(a + 2)/2! b^2
            val = 0
            tiny = mpmath.mpf(10) ** (-(dps + _GUARD))
            m = 1
            while True:
                term = coef * mpmath.zeta(s0 + 2 * m)
                val += term
                if abs(term) < tiny * abs(val):
                    break
                coef *= -(aa + 2 * m) * (aa + 2 * m + 1) / ((2 * m + 1) * (2 * m + 2)) * b2
                m += 1
        else:
            z = mpmath.mpc(1, b)
            if d == 2:
                val = mpmath.euler + mpmath.re(mpmath.digamma(z)) - b * mpmath.im(mpmath.psi(1, z))
            else:
                S = mpmath.zeta(s0, z) - mpmath.zeta(s0) - mpmath.mpc(0, b) * mpmath.zeta(s0 + 1, z)
                val = -mpmath.gamma(s0 + 1) * mpmath.re(S)
    with mpmath.workdps(dps):
        return +val


# ----------------------------------------------------------------------------------------------- brute force
_SPHERE = {1: 2.0, 2: 2.0 * math.pi, 3: 4.0 * math.pi}


def channel_amplitudes(qq, w, F0, h, zeeman_only=False):
    r"""Sum over channels of :math:`\nu_t U\,Dq^2/(Dq^2-i\omega_m)^3` (reduced units :math:`D = 1`) at one (q, ω):
    the integrand of :func:`exchange_double_integral`, numpy (complex). The test suite checks it against the
    SymPy kernels of :func:`mesocorr.symbolic.interaction.exchange_kernel` with the Zeeman gaps of
    :func:`~mesocorr.symbolic.interaction.zeeman_diffuson_gaps` (m = ±1 triplets at :math:`\omega\mp h`).

    ``zeeman_only``: the m = ±1 triplets at h minus the same at h = 0 (the Zeeman difference)."""
    x = qq * qq

    def triplet(wm):
        return x * F0 * (x - 1j * wm) / ((1 + F0) * x - 1j * wm) / (x - 1j * wm) ** 3

    if zeeman_only:
        return triplet(w - h) + triplet(w + h) - 2 * triplet(w)
    total = 1.0 / (x - 1j * w) ** 2  # singlet: x (x - i w)/x / (x - i w)^3
    if F0 != 0:
        for m in (-1, 0, 1):
            total += triplet(w - m * h)
    return total


def no_field_integrand(d: int, w: float, F0: float):
    r"""The inner integrand :math:`\mathrm{Im}[q^{d-1}\sum_c\ldots]` of :func:`exchange_double_integral` at ``h = 0``
    as one closure: :func:`channel_amplitudes` with the three (equal) triplets computed once and added three
    times, the same floating-point operations in the same order (so the same bits; tests/test_interaction.py),
    without its per-call set-up."""
    iw = 1j * w
    k = 1 + F0
    p = d - 1

    def f(qq):
        x = qq * qq
        z = x - iw
        t = x * F0 * z / (k * x - iw) / z ** 3
        total = 1.0 / z ** 2
        total += t
        total += t
        total += t
        return (qq ** p * total).imag

    return f


def exchange_double_integral(d: int, F0: float = 0.0, h: float = 0.0, T_ratio: float | None = None,
                             rtol: float = 1e-10, method: str = "quadpack") -> float:
    r"""The starting formula of :mod:`mesocorr.symbolic.interaction` by brute-force quadrature over q and ω.

    Reduced units :math:`\hbar = k_BT = D = 1` (q in units of :math:`1/L_T`, :math:`L_T = \sqrt{\hbar D/k_BT}`),
    result in :math:`e^2/h` times :math:`L_T^{2-d}`:

    .. math:: -\frac{4}{d}\frac{S_d}{(2\pi)^d}\int d\omega\,[\partial_\omega(\omega\coth\tfrac\omega2) - c_d]\;
              \mathrm{Im}\int_0^\infty dq\,q^{d-1}\sum_c\frac{q^2A_c(q,\omega_c)}{(q^2-i\omega_c)^3},

    :math:`A = (q^2-i\omega)/q^2` (singlet) and :math:`F_0(q^2-i\omega_m)/((1+F_0)q^2-i\omega_m)` for the triplets
    m = -1, 0, 1 at :math:`\omega_m = \omega - mh`. Three modes:

    * ``h = 0``, d = 3: :math:`\delta\sigma(T)-\delta\sigma(0)` (:math:`c_3 = \mathrm{sgn}\,\omega`);
      d = 1: :math:`\delta\sigma(T)` (:math:`c_1 = 0`, convergent);
    * d = 2 (``T_ratio`` = :math:`T_1/T_2`): :math:`\delta\sigma(T_1)-\delta\sigma(T_2)`, the kernel at
      :math:`\omega/T_1` minus that at :math:`\omega` (units :math:`k_BT_2 = 1`);
    * ``h > 0`` (d = 3 only; in d = 1 the m = ±1 kernel has a non-integrable finite-part singularity at
      :math:`\omega = \pm h`): the Zeeman part :math:`\delta\sigma(B,T)-\delta\sigma(0,T)` (m = ±1 at
      :math:`h` minus at 0, full kernel, :math:`c_d = 0`).

    ``method="quadpack"``: nested :func:`scipy.integrate.quad`; raises ``ArithmeticError`` when QUADPACK's outer
    error estimate exceeds ``rtol`` times the result. A validation route (seconds), not a fast path.
    ``method="gauss-legendre"`` (d = 2 only): :func:`film_exchange_difference`, a Gauss-Legendre product rule
    (numpy, ~0.05 s, no SciPy import) that raises when two orders differ by more than ``rtol`` times the result;
    tests/test_interaction.py compares the two methods.
    """
    import warnings

    if method not in ("quadpack", "gauss-legendre"):
        raise ValueError(f"method: must be 'quadpack' or 'gauss-legendre', got {method!r}")
    if d == 2 and (T_ratio is None or h != 0):
        raise ValueError("T_ratio: the 2D route computes delta sigma(T_1) - delta sigma(T_2); give T_ratio, no Zeeman")
    if method == "gauss-legendre":
        if d != 2:
            raise ValueError("method: 'gauss-legendre' is implemented for d = 2 only")
        return film_exchange_difference(F0, T_ratio, rtol=rtol)

    from scipy.integrate import IntegrationWarning, quad

    if h > 0 and d != 3:
        raise ValueError("h: the brute-force Zeeman route is implemented for d = 3 only")
    if h > 0 and F0 == 0:
        return 0.0
    zeeman = h > 0
    pref = -4.0 / d * _SPHERE[d] / (2 * math.pi) ** d

    def inner(w):
        pts = sorted({math.sqrt(abs(w)), math.sqrt(abs(w - h)), math.sqrt(abs(w + h))} - {0.0}) or [1.0]
        edges = [0.0, *pts, 4 * pts[-1], math.inf]

        if h == 0 and F0 != 0:
            f = no_field_integrand(d, w, F0)
        else:
            def f(qq):
                return (qq ** (d - 1) * channel_amplitudes(qq, w, F0, h, zeeman)).imag

        return sum(quad(f, lo, hi, epsabs=0, epsrel=1e-12, limit=200)[0] for lo, hi in zip(edges[:-1], edges[1:]))

    def kernel(w):
        if d == 2:
            return float(thermal_kernel(w / T_ratio)) - float(thermal_kernel(w))
        k = float(thermal_kernel(w))
        return k - 1.0 if (d == 3 and not zeeman) else k

    if d == 2:  # no singularity at omega = 0; the kernel difference decays as exp(-omega/T_1) (cut at 70 T_1)
        def outer(w):
            return kernel(w) * inner(w)

        edges = [0.0, 1.0, 5.0, 20.0, 70.0 * max(T_ratio, 1.0)]
    else:
        def outer(v):  # omega = v^2 removes the |omega|^(d/2-2) singularity at 0
            w = v * v
            return 2 * v * kernel(w) * inner(w)

        edges = sorted({0.0, *([math.sqrt(h)] if zeeman else []), 1.0, 3.0, 8.0, math.inf})
    total, err = 0.0, 0.0
    with warnings.catch_warnings():  # QUADPACK's roundoff notes; the outer error estimate is checked below
        warnings.simplefilter("ignore", IntegrationWarning)
        for lo, hi in zip(edges[:-1], edges[1:]):
            v, e = quad(outer, lo, hi, epsabs=0, epsrel=1e-11, limit=200)
            total += v
            err += e
    if err > rtol * abs(total):
        raise ArithmeticError(f"exchange_double_integral: quadrature error {err:.2g} above rtol x |result|")
    return pref * 2 * total  # omega < 0 doubles (the integrand is even)


#: panel edges of the film route: q in units of sqrt(omega) (the last panel [6, oo) is mapped by q = 6/u); omega
#: in units of k_B T_2 and of k_B T_1 (both sets), up to 70 max(T_1, T_2) (as in :func:`exchange_double_integral`)
_FILM_Q_EDGES = (0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0, 6.0)
_FILM_W_EDGES = (0.0, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 40.0, 70.0)
#: Gauss-Legendre orders of the film route (result at the higher, error estimate = |high - low|); cap of ``nodes``
_FILM_NODES = 32
_FILM_MAX_NODES = 200


def _gauss_panels(edges, n):
    """Nodes and weights of the n-point Gauss-Legendre rule on each panel [edges[i], edges[i+1]] (concatenated)."""
    from numpy.polynomial.legendre import leggauss

    t, wt = leggauss(n)
    lo, hi = np.asarray(edges[:-1], dtype=float), np.asarray(edges[1:], dtype=float)
    half = 0.5 * (hi - lo)
    nodes = (0.5 * (hi + lo))[:, None] + half[:, None] * t[None, :]
    return nodes.reshape(-1), (half[:, None] * wt[None, :]).reshape(-1)


def _film_exchange_sum(F0: float, T_ratio: float, n: int) -> float:
    r"""The double integral of :func:`film_exchange_difference` by an n-point Gauss-Legendre product rule."""
    w_top = 70.0 * max(T_ratio, 1.0)
    w_edges = sorted({e * scale for e in _FILM_W_EDGES for scale in (1.0, T_ratio) if e * scale < w_top} | {w_top})
    ww, w_wt = _gauss_panels(w_edges, n)
    tt, t_wt = _gauss_panels(_FILM_Q_EDGES, n)
    top = _FILM_Q_EDGES[-1]
    uu, u_wt = _gauss_panels((0.0, 1.0), n)  # q = top/u on [top, oo): dq = top/u^2 du
    tt = np.concatenate([tt, top / uu])
    t_wt = np.concatenate([t_wt, u_wt * top / (uu * uu)])
    root = np.sqrt(ww)
    qq = root[:, None] * tt[None, :]  # q = sqrt(omega) t: the nodes follow the scale of the kernels
    with np.errstate(all="ignore"):  # extreme F0 or T_1/T_2 overflow: refused below, not warned about
        inner = ((qq * channel_amplitudes(qq, ww[:, None], F0, 0.0)).imag
                 * (root[:, None] * t_wt[None, :])).sum(axis=1)
        kernel = thermal_kernel(ww / T_ratio) - thermal_kernel(ww)
        terms = kernel * inner
    if not np.isfinite(terms).all():
        raise ArithmeticError("film_exchange_difference: the integrand overflows float64 for these F0 and T_ratio")
    return float(np.dot(w_wt, terms))


def film_exchange_difference(F0: float, T_ratio: float, rtol: float = 1e-10, nodes: int = _FILM_NODES) -> float:
    r""":math:`\delta\sigma(T_1)-\delta\sigma(T_2)` of a film (d = 2, ``T_ratio`` = :math:`T_1/T_2`, no field) by a
    Gauss-Legendre product rule in q and :math:`\omega`, in :math:`e^2/h`: the quantity of
    :func:`exchange_double_integral` ``(2, F0, T_ratio=T_ratio)`` (same reduced units, same integrand
    :func:`channel_amplitudes`, same thermal kernel :func:`thermal_kernel`), numpy-vectorised.

    Panels: :math:`q/\sqrt\omega` on ``_FILM_Q_EDGES`` plus :math:`[6,\infty)` mapped by :math:`q = 6\sqrt\omega/u`
    (the integrand falls as :math:`q^{-5}`, smooth in u); :math:`\omega` on ``_FILM_W_EDGES`` in units of
    :math:`k_BT_2` and of :math:`k_BT_1` (merged) up to :math:`70\max(T_1/T_2, 1)` (the kernel difference decays as
    :math:`e^{-\omega/\max(T_1,T_2)}`). Every panel integrand is
    analytic on the panel (the poles of the kernels sit at :math:`q^2 = i\omega`, :math:`(1+F_0)q^2 = i\omega`, a
    distance :math:`\sim 0.7\sqrt\omega` from the real q axis; those of :math:`\coth` at :math:`\omega = 2\pi i n`).
    The result is the ``nodes``-point rule; it is compared with the ``nodes/2``-point rule (rounded up) and the function
    raises ``ArithmeticError`` when the two differ by more than ``rtol`` times the result (the lower rule's error
    bounds the higher one's for a converging Gauss rule). ``nodes`` (8 to 200) sets the work. A validation route, not a
    fast path: tests/test_interaction.py compares it with the nested QUADPACK route and with the closed form.

    >>> round(film_exchange_difference(-0.25, 3.0) / math.log(3.0) * math.pi, 10)  # 1 + 3 lambda_2(-1/4)
    0.5478151306
    """
    if isinstance(nodes, bool) or not isinstance(nodes, int) or not 8 <= nodes <= _FILM_MAX_NODES:
        raise ValueError(f"nodes: must be an integer from 8 to {_FILM_MAX_NODES}, got {nodes!r}")
    F0, T_ratio, rtol = as_real("F0", F0), as_real("T_ratio", T_ratio), as_real("rtol", rtol)
    if not rtol > 0:
        raise ValueError(f"rtol: must be positive, got {rtol!r}")
    if not F0 > -1:
        raise ValueError("F0: must be > -1")
    if not (math.isfinite(T_ratio) and T_ratio > 0):
        raise ValueError("T_ratio: must be positive and finite")
    high = _film_exchange_sum(F0, T_ratio, nodes)
    low = _film_exchange_sum(F0, T_ratio, (nodes + 1) // 2)
    if not (math.isfinite(high) and abs(high - low) <= rtol * abs(high)):
        raise ArithmeticError(f"film_exchange_difference: rules of {nodes} and {(nodes + 1) // 2} nodes differ by "
                              f"{abs(high - low):.2g}, above rtol x |result|")
    return -4.0 / 2 * _SPHERE[2] / (2 * math.pi) ** 2 * 2 * high
