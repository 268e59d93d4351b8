r"""Exponentially convergent diffusion-mode sums of a box (Ewald/Epstein splitting of the heat trace).

The UCF variance and correlation functions need, for each spin channel with gap :math:`a \ge 0`,

.. math::

   R(a,\varepsilon) = \operatorname{Re}\sum_{\mathbf n}\frac{1}{(\lambda_{\mathbf n}+a-i\varepsilon)^2},\qquad
   B(a,\varepsilon) = \sum_{\mathbf n}\frac{1}{(\lambda_{\mathbf n}+a)^2+\varepsilon^2},

over the modes of the diffusion operator of a box with Dirichlet walls at the two contacts
(:math:`n_x\ge1`) and Neumann walls elsewhere (:math:`n_y, n_z \ge 0`), in units of
:math:`\pi^2 D/L^2`:

.. math:: \lambda_{\mathbf n} = n_x^2 + (n_y L/W)^2 + (n_z L/H)^2 .

At :math:`\varepsilon = 0` both equal :math:`S(a) = \sum_{\mathbf n} (\lambda_{\mathbf n}+a)^{-2}`.
A truncated mode sum converges like a power law (error :math:`\sim N^{d-4}`). Here instead

.. math::

   S(a) = \int_0^\infty t\,e^{-a t}\,\Theta(t)\,dt,\qquad
   \Theta(t) = \theta_D(t)\,\theta_N(r_y^2 t)\,\theta_N(r_z^2 t),

with :math:`\theta_D(x) = \sum_{n\ge1} e^{-n^2x} = (\vartheta(x)-1)/2`,
:math:`\theta_N(x) = \sum_{n\ge0}e^{-n^2x} = (\vartheta(x)+1)/2`, :math:`r = L/W, L/H`, and
:math:`\vartheta(x) = \sum_{n\in\mathbb Z}e^{-n^2 x}`. Each one-dimensional theta sum is evaluated
in whichever of its two exact forms converges faster: directly for :math:`|x|\ge\pi`, and
after the Jacobi imaginary transformation (Poisson summation)
:math:`\vartheta(x) = \sqrt{\pi/x}\,\vartheta(\pi^2/x)` for :math:`|x|<\pi` — the Ewald split
of the *heat trace* (small-:math:`t` part through the dual lattice, large-:math:`t` part
directly). Both series converge like :math:`e^{-\pi n^2\cos\alpha}`: six terms give 30 digits.
With :math:`t=u^2` the integrand :math:`2u\,t\,\Theta(t)` is a polynomial in :math:`u` plus
terms :math:`e^{-\pi^2 m^2/(r^2u^2)}` (all derivatives vanish at 0), so the quadrature
converges exponentially too.

Energy differences (:math:`\varepsilon>0`): :math:`R` and :math:`B` use the kernels
:math:`t\,e^{-(a-i\varepsilon)t}` and :math:`e^{-at}(e^{i\varepsilon t}-1)/(i\varepsilon)`
(:math:`B = \varepsilon^{-1}\operatorname{Im}\sum[(\lambda+a-i\varepsilon)^{-1}-(\lambda+a)^{-1}]`),
integrated along the ray :math:`t = s\,e^{i\alpha}` with :math:`\alpha\approx\tfrac12\arg(a+i\varepsilon)`
(Cauchy; every exponential keeps decaying, the oscillation is tamed). Thermal smearing
(:math:`\varepsilon` averaged with :math:`\int d\epsilon\, f'(\epsilon)f'(\epsilon+\varepsilon)`) replaces
the kernels by :math:`t\,\hat K(t)` and :math:`\int_0^t \hat K`, with
:math:`\hat K(t) = (\pi T t/\sinh \pi T t)^2` the Fourier transform of that convolution.

References
----------
.. [Ewald21] P. P. Ewald, Ann. Phys. 369, 253 (1921); [Epstein03] P. Epstein, Math. Ann. 56, 615 (1903).
.. [DLMF] NIST DLMF 20.7.32 (Jacobi imaginary transformation of :math:`\theta_3`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache, lru_cache

import mpmath
import numpy as np

from mesocorr.arguments import integer
from mesocorr.integrals.wire_modes import wire_square_sum

__all__ = ["mode_sums", "mode_sums_mp", "heat_trace", "heat_trace_mp", "thermal_kernels",
           "naive_mode_sum", "ModeSumResult", "pair_mode_sums", "zero_energy_mode_sums"]

# ---------------------------------------------------------------- float64 ---------------------------------
_GL_X, _GL_W = np.polynomial.legendre.leggauss(24)
_N_THETA = 7            # terms of each 1D theta series (|x| >= pi cos(alpha) ~ 2: e^{-2*49} negligible)
_ALPHA_STEPS = 8        # ray angles k*pi/(4*8), k = 0..8
#: largest ``dps`` of :func:`mode_sums_mp` (mesocorr.ucf caps its own at 30: ~10-30 s)
MAX_DPS = 100
#: largest gap/energy/temperature scale (eigenvalue units) of the float64 sums: beyond it the heat trace
#: at the first node leaves the float64 range
MAX_SCALE = 1e100
#: most modes :func:`naive_mode_sum` builds (memory and time)
NAIVE_MAX_MODES = 20_000_000


def _check_ratios(ratios) -> list[float]:
    out = []
    for i, r in enumerate(ratios):
        x = float(r) if type(r) is float else None if isinstance(r, bool) else float(r)
        if x is None or not (math.isfinite(x) and x > 0):
            raise ValueError(f"ratios[{i}]: aspect ratios must be finite and positive, got {r!r}")
        out.append(x)
    if len(out) > 2:
        raise ValueError(f"ratios: at most two Neumann axes (a box), got {len(out)}")
    return out


def _theta_full(x: np.ndarray) -> np.ndarray:
    """Direct sum over all integers n of exp(-n^2 x), truncated at |n| = _N_THETA (for |x| >= pi)."""
    n = np.arange(1, _N_THETA + 1)
    return 1.0 + 2.0 * np.exp(-np.multiply.outer(x, n * n)).sum(axis=-1)


def _theta1d(x: np.ndarray, sign: int) -> np.ndarray:
    """(theta(x) + sign)/2 with sign = -1 (Dirichlet, n >= 1) or +1 (Neumann, n >= 0)."""
    x = np.asarray(x)
    out = np.empty_like(x, dtype=complex)
    big = np.abs(x) >= math.pi
    if np.any(big):
        xb = x[big]
        n = np.arange(1, _N_THETA + 1)
        direct = np.exp(-np.multiply.outer(xb, n * n)).sum(axis=-1)
        out[big] = direct if sign < 0 else 1.0 + direct
    small = ~big
    if np.any(small):
        xs = x[small]
        dual = np.sqrt(math.pi / xs) * _theta_full(math.pi**2 / xs)
        out[small] = 0.5 * (dual + sign)
    return out


#: n^2 of the real-axis theta series: 5 terms (x >= pi: e^{-25x}/e^{-x} <= e^{-24 pi} ~ 1e-33)
_N_SQUARES = (np.arange(1, 6, dtype=float) ** 2)[:, None]
_EXP_FLOOR = -700.0


def _theta1d_real(x: np.ndarray, sign: int) -> np.ndarray:
    """:func:`_theta1d` for real x > 0 in real arithmetic: directly for x >= pi, through the Jacobi transformation
    below (x sorted ascending, as the quadrature nodes are: one split point)."""
    cut = int(np.searchsorted(x, math.pi))
    xs, xb = x[:cut], x[cut:]
    # exponents clipped at -700 (e^-700 ~ 1e-304: below every kept term; an underflowing exp is slow)
    direct = np.exp(np.maximum(_N_SQUARES * -xb, _EXP_FLOOR)).sum(axis=0)
    dual = np.exp(np.maximum(_N_SQUARES * (-math.pi**2 / xs), _EXP_FLOOR)).sum(axis=0)
    dual = np.sqrt(math.pi / xs) * (1.0 + 2.0 * dual)
    return np.concatenate((0.5 * (dual + sign), direct if sign < 0 else 1.0 + direct))


def _heat_trace_real(s: np.ndarray, ratios: Sequence[float]) -> np.ndarray:
    """:func:`heat_trace` on the real axis (s > 0), real arithmetic."""
    out = _theta1d_real(s, -1)
    for r in ratios:
        out = out * _theta1d_real(r * r * s, +1)
    return out


def heat_trace(t, ratios: Sequence[float]) -> np.ndarray:
    r""":math:`\Theta(t)=\sum_{\mathbf n} e^{-\lambda_{\mathbf n}t}` (float64, complex t with Re t > 0 allowed).

    ``ratios`` = (L/W, L/H) for the Neumann axes (empty for a wire).
    """
    t = np.asarray(t, dtype=complex)
    out = _theta1d(t, -1)
    for r in ratios:
        out = out * _theta1d(r * r * t, +1)
    return out


def _scale_index(scale: float) -> int:
    """Smallest k >= 0 with 4^k >= scale: the node set of :func:`_u_nodes` for every scale up to 4^k."""
    if not scale > 1.0:
        return 0
    m, e = math.frexp(scale)          # scale = m 2^e, 1/2 <= m < 1
    e = e if m > 0.5 else e - 1       # 2^e >= scale, the smallest such power of two
    return (e + 1) // 2


def _node_index(ratios: Sequence[float], scale: float) -> int:
    """:func:`_scale_index` of the larger of ``scale`` (the gaps, energies, temperature) and the squared aspect
    ratios: a narrow Neumann axis (r = L/W >> 1) puts a feature into the heat trace at t ~ pi/r^2 (where
    theta_N(r^2 t) turns from its dual to its direct form), which the first segment must resolve (measured: without
    it 1e-12..1e-11 relative errors at r = 1e4..1e6)."""
    return _scale_index(max(scale, max((r * r for r in ratios), default=0.0)))


@lru_cache(maxsize=128)
def _u_nodes(k_scale: int, u_end: float) -> tuple[np.ndarray, np.ndarray]:
    """Composite Gauss-Legendre nodes in u on [0, u0], u0 = 0.05/2^k_scale (<= 0.05/sqrt(scale) for every scale
    <= 4^k_scale), then geometric segments (ratio 2) up to u_end (cached, read-only)."""
    u0 = 0.05 * 0.5**k_scale
    edges = [0.0, u0]
    while edges[-1] < u_end:
        edges.append(edges[-1] * 2.0)
    a = np.array(edges[:-1])
    b = np.array(edges[1:])
    half = 0.5 * (b - a)
    mid = 0.5 * (b + a)
    u = (mid[:, None] + half[:, None] * _GL_X[None, :]).ravel()
    w = (half[:, None] * _GL_W[None, :]).ravel()
    u.flags.writeable = False
    w.flags.writeable = False
    return u, w


@lru_cache(maxsize=128)   # <= 4200 nodes x 40 bytes each (gaps up to 1e100): < 25 MB
def _ray_trace(ratios: tuple, k_ray: int, k_scale: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Nodes on the ray t = s e^{i alpha}, alpha = k_ray pi/32, for scales up to 4^k_scale: (s, t, weighted
    heat trace Theta(t) 2u w e^{i alpha}) (dt = e^{i alpha} 2u du). Depends on the shape only: cached (read-only)."""
    alpha = k_ray * math.pi / (4 * _ALPHA_STEPS)
    rot = complex(math.cos(alpha), math.sin(alpha))
    u, w = _u_nodes(k_scale, math.sqrt(46.0 / math.cos(alpha)))
    s = u * u
    t = rot * s
    trace = _heat_trace_real(s, ratios) if k_ray == 0 else heat_trace(t, ratios)
    theta = trace * (2.0 * u * w) * rot
    for array in (s, t, theta):
        array.flags.writeable = False
    return s, t, theta


@lru_cache(maxsize=128)
def _zero_energy_weights(ratios: tuple, k_scale: int) -> tuple[np.ndarray, np.ndarray, float]:
    """Real nodes s (ascending) and weights c with S(a) = sum_i c_i e^{-a s_i} (the real ray of :func:`_ray_trace`),
    and the last node as a float."""
    s, t, theta = _ray_trace(ratios, 0, k_scale)
    c = np.ascontiguousarray((t * theta).real)
    c.flags.writeable = False
    return s, c, float(s[-1])


def zero_energy_mode_sums(ratios: Sequence[float], gaps: Sequence[float]) -> list[float]:
    r""":math:`S(a) = \sum_{\mathbf n}(\lambda_{\mathbf n}+a)^{-2}` for a few gaps (float64): the UCF variance sums.

    The :math:`\varepsilon = 0`, :math:`T = 0` case of :func:`mode_sums` (where :math:`R = B = S`), fast for a
    few gaps at a time (no per-call node or heat-trace set-up). Wire (``ratios = ()``): the closed form
    :func:`mesocorr.integrals.wire_modes.wire_square_sum` (independent of the quadrature; tested against it and
    against :func:`mode_sums_mp`). Film and box: the heat-trace quadrature of :func:`mode_sums` on the same nodes,
    with the weighted heat trace :math:`2u\,w\,t\,\Theta(t)` cached per shape and scale bucket
    (:math:`4^k \ge \max a`), so a call costs one exponential per node and gap.

    Parameters
    ----------
    ratios : sequence of float
        :math:`L/W` (and :math:`L/H`); ``()`` for a wire.
    gaps : sequence of float
        Gaps :math:`a \ge 0` in units of :math:`\pi^2D/L^2`, each at most :data:`MAX_SCALE`.

    Returns
    -------
    list of float
        :math:`S(a)` per gap, ~1e-13 relative.

    Examples
    --------
    >>> round(zero_energy_mode_sums((), [0.0])[0] * 90 / math.pi**4, 14)     # zeta(4) = pi^4/90
    1.0
    """
    ratios = tuple(_check_ratios(ratios)) if ratios else ()
    gaps = [float(g) for g in gaps]
    top = 0.0
    for g in gaps:
        if not 0.0 <= g <= MAX_SCALE:     # NaN fails too
            raise ValueError(f"gap: must be finite, non-negative and at most {MAX_SCALE:g}")
        top = g if g > top else top
    if not ratios:
        return [wire_square_sum(g) for g in gaps]
    if not gaps:
        return []
    for r in ratios:
        top = r * r if r * r > top else top
    s, c, s_last = _zero_energy_weights(ratios, _scale_index(top))     # = _node_index(ratios, max(gaps))
    # nodes with a s > 700 (or exponents clipped at -700) dropped: c_i e^-700 ~ 1e-302 is far below
    # S(a) >= a^(d/2-2) ~ 1e-150 (and a slow underflowing exp is avoided)
    if len(gaps) == 1:
        g = gaps[0]
        if g * s_last > -_EXP_FLOOR:
            n = int(np.searchsorted(s, -_EXP_FLOOR / g))
            s, c = s[:n], c[:n]
        out = [float(np.exp(s * -g).dot(c))]
    else:
        out = (np.exp(np.maximum(np.multiply.outer(np.array(gaps) * -1.0, s), _EXP_FLOOR)) @ c).tolist()
    if not all(math.isfinite(v) for v in out):
        raise ValueError("gap: the mode sums leave the float64 range for these gaps/ratios")
    return out


@cache
def _j_series_coefficients(n: int = 24) -> tuple[float, ...]:
    # J(y) = int_0^y x^2/sinh^2 x dx = sum_k (1-2k) c_k y^(2k+1)/(2k+1), c_k = 4^k B_2k/(2k)!
    # (fixed working precision: the cached floats must not depend on the caller's mpmath precision)
    with mpmath.workprec(113):
        return tuple(float((1 - 2 * k) * 4**k * mpmath.bernoulli(2 * k) / mpmath.factorial(2 * k) / (2 * k + 1))
                     for k in range(n))


def thermal_kernels(t: np.ndarray, temperature: float) -> tuple[np.ndarray, np.ndarray]:
    r"""Thermal kernels (ring, two-box) replacing :math:`t` at temperature :math:`T` (eigenvalue units).

    Ring: :math:`t\hat K(t)`, two-box: :math:`\int_0^t\hat K = J(\pi T t)/(\pi T)` with
    :math:`J(y) = \int_0^y x^2/\sinh^2x\,dx = y^2 - y^2\coth y + 2y\ln(1-e^{-2y}) - \mathrm{Li}_2(e^{-2y}) + \pi^2/6`
    (series in :math:`y` below 1: no cancellation).
    """
    from scipy.special import spence  # scipy.special only when a temperature is given (import cost)

    t = np.asarray(t, dtype=float)
    if temperature == 0:
        return t, t.copy()
    y = math.pi * temperature * t
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        khat = np.where(y < 1e-8, 1.0, (y / np.sinh(np.where(y < 1e-8, 1.0, y))) ** 2)
        khat = np.where(y > 700, 0.0, khat)
    j = np.empty_like(y)
    small = y < 1.0
    ys = y[small]
    j[small] = sum(c * ys ** (2 * k + 1) for k, c in enumerate(_j_series_coefficients()))
    yl = y[~small]
    e2 = np.exp(-2.0 * yl)
    coth = (1.0 + e2) / (1.0 - e2)
    j[~small] = yl * yl * (1.0 - coth) + 2.0 * yl * np.log1p(-e2) - spence(1.0 - e2) + math.pi**2 / 6.0
    return t * khat, j / (math.pi * temperature)


def _box_kernel(a: np.ndarray, eps: np.ndarray, t: np.ndarray) -> np.ndarray:
    r""":math:`e^{-at}(e^{i\varepsilon t}-1)/(i\varepsilon)`, without cancellation for small :math:`\varepsilon t`."""
    x = eps * t                                   # complex
    small = np.abs(x) < 1.0
    # (e^{ix} - 1)/(ix) = sum_k (ix)^k/(k+1)!, 16 terms: |x|^16/17! < 3e-15 relative... use 20
    ix = 1j * np.where(small, x, 0.0)
    series = np.ones_like(ix)
    term = np.ones_like(ix)
    for k in range(1, 21):
        term = term * ix / (k + 1)
        series = series + term
    with np.errstate(divide="ignore", invalid="ignore"):
        safe_eps = np.where(small, 1.0, eps)
        direct = (np.exp(-(a - 1j * eps) * t) - np.exp(-a * t)) / (1j * safe_eps)
    return np.where(small, t * np.exp(-a * t) * series, direct)


def mode_sums(ratios: Sequence[float], gap, energy=0.0, temperature: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    r"""Float64 ring and two-box mode sums :math:`R(a,\varepsilon)`, :math:`B(a,\varepsilon)`, vectorised.

    Parameters
    ----------
    ratios : sequence of float
        :math:`L/W` (and :math:`L/H`) of the Neumann axes; ``()`` for a wire.
    gap, energy : array_like
        Channel gap :math:`a\ge0` and energy difference :math:`\varepsilon` in units of :math:`\pi^2D/L^2`
        (broadcast against each other; :math:`R, B` are even in :math:`\varepsilon`).
    temperature : float
        :math:`k_BT` in units of :math:`\pi^2\hbar D/L^2`, only with ``energy = 0``.

    Returns
    -------
    (R, B) : arrays of the broadcast shape. Accuracy ~1e-13 relative (checked against the mpmath path).
    """
    ratios = _check_ratios(ratios)
    a, eps = np.broadcast_arrays(np.asarray(gap, dtype=float), np.abs(np.asarray(energy, dtype=float)))
    if np.any(a < 0) or not np.all(np.isfinite(a)) or np.any(a > MAX_SCALE):
        raise ValueError(f"gap: must be finite, non-negative and at most {MAX_SCALE:g}")
    if not np.all(np.isfinite(eps)) or np.any(eps > MAX_SCALE):
        raise ValueError(f"energy: must be finite and |energy| <= {MAX_SCALE:g}")
    if not (math.isfinite(temperature) and 0 <= temperature <= MAX_SCALE):
        raise ValueError(f"temperature: must lie in [0, {MAX_SCALE:g}], got {temperature!r}")
    if temperature and np.any(eps > 0):
        raise ValueError("temperature: thermal averaging is implemented for energy = 0 only")
    if temperature == 0 and not np.any(eps):      # R = B = S(a): the variance sums
        flat = np.array(zero_energy_mode_sums(ratios, a.reshape(-1).tolist())).reshape(a.shape)
        return flat, flat.copy()
    ring = np.empty(a.shape)
    box = np.empty(a.shape)
    phi = np.arctan2(eps, a)
    k_ray = np.rint(phi / 2 / (math.pi / (4 * _ALPHA_STEPS))).astype(int)
    key = tuple(ratios)
    for k in np.unique(k_ray):
        sel = k_ray == k
        scale = float(np.max(np.hypot(a[sel], eps[sel]))) + math.pi * temperature
        s, t, theta = _ray_trace(key, int(k), _node_index(key, scale))    # dt = rot * 2u du in theta
        aa = a[sel][:, None]
        ee = eps[sel][:, None]
        if temperature:
            kr, kb = thermal_kernels(s, temperature)
            damp = np.exp(-aa * s[None, :])
            ring[sel] = (damp * kr[None, :] * theta[None, :]).sum(axis=1).real
            box[sel] = (damp * kb[None, :] * theta[None, :]).sum(axis=1).real
            continue
        ring[sel] = (t[None, :] * np.exp(-(aa - 1j * ee) * t[None, :]) * theta[None, :]).sum(axis=1).real
        box[sel] = (_box_kernel(aa, ee, t[None, :]) * theta[None, :]).sum(axis=1).real
    if not (np.all(np.isfinite(ring)) and np.all(np.isfinite(box))):
        raise ValueError("gap: the mode sums leave the float64 range for these gaps/ratios")
    return ring, box


def _pair_kernel(a, b, t):
    """(e^{-at} - e^{-bt})/(b - a): t e^{-at} (1 - e^{-x})/x, x = (b - a) t, by its series for |x| < 0.5 (no
    cancellation), the difference of the two (decaying) exponentials elsewhere."""
    x = (b - a) * t
    small = np.abs(x) < 0.5
    acc = np.ones_like(x)
    for k in range(22, 0, -1):     # (1 - e^{-x})/x = sum_k (-x)^k/(k+1)!, |x|^22/23! < 1e-29
        acc = 1.0 - acc * np.where(small, x, 0) / (k + 1)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        far = (np.exp(-a * t) - np.exp(-b * t)) / np.where(small, 1.0, b - a)
    return np.where(small, t * np.exp(-a * t) * acc, far)


def _pair_direct(ratios, a, b) -> np.ndarray:
    """S(a, b) on the ray of angle -(arg(1+a) + arg(1+b))/2, on a grid of pi/32 (both rotated factors within
    |arg| <= pi/4 + pi/64: they decay at least as fast as they oscillate)."""
    out = np.empty(a.shape, dtype=complex)
    step = math.pi / (4 * _ALPHA_STEPS)
    alpha = -0.5 * (np.angle(1 + a) + np.angle(1 + b))
    k_ray = np.clip(np.rint(alpha / step).astype(int), -_ALPHA_STEPS, _ALPHA_STEPS)
    for k in np.unique(k_ray):
        sel = k_ray == k
        scale = float(np.max(np.maximum(np.abs(a[sel]), np.abs(b[sel]))))
        key = tuple(float(r) for r in ratios)
        _, t, theta = _ray_trace(key, int(k), _node_index(key, scale))
        aa, bb = a[sel][:, None], b[sel][:, None]
        tt = t[None, :]
        kernel = _pair_kernel(aa, bb, tt)
        out[sel] = (kernel * theta[None, :]).sum(axis=1)
    return out


def pair_mode_sums(ratios: Sequence[float], a, b) -> np.ndarray:
    r""":math:`S(a,b) = \sum_{\mathbf n}\frac{1}{(\lambda_{\mathbf n}+a)(\lambda_{\mathbf n}+b)}` for complex gaps (float64).

    The two-propagator loop of the UCF with complex channel gaps (a Zeeman splitting):
    :math:`S(a,a)` is a ring term, :math:`S(a,\tilde b)` a two-box term between two channels. Modes and units as
    :func:`mode_sums` (eigenvalue units :math:`\pi^2D/L^2`, :math:`\lambda_{\mathbf n}\ge1`); needs
    :math:`\mathrm{Re}(1+a), \mathrm{Re}(1+b) > 0`.

    Heat-trace form :math:`\int_0^\infty\Theta(t)\,t\,e^{-at}\,\frac{1-e^{-(b-a)t}}{(b-a)t}\,dt` on the ray
    :math:`t = s\,e^{i\alpha}`, :math:`\alpha = -\tfrac12[\arg(1+a)+\arg(1+b)]` (:math:`|\alpha|\le\pi/4`), when both
    rotated factors :math:`(1+a)e^{i\alpha}, (1+b)e^{i\alpha}` stay within :math:`|\arg|\le\pi/4` (they then decay at
    least as fast as they oscillate, for every :math:`\lambda\ge1`). Otherwise (e.g. a conjugate pair far off the
    real axis) by partial fractions, :math:`S(a,b) = [b\,S(b,0) - a\,S(a,0)]/(b-a)`, each term on its own ray.
    For real :math:`a = b\ge0` it equals :func:`mode_sums` at zero energy (tested); tested against a brute-force
    complex mode sum. Accuracy ~1e-13 relative.
    """
    a, b = np.broadcast_arrays(np.asarray(a, dtype=complex), np.asarray(b, dtype=complex))
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        raise ValueError("gap: must be finite")
    if np.any((1 + a).real <= 0) or np.any((1 + b).real <= 0):
        raise ValueError("gap: Re(1 + gap) must be positive (the lowest mode must decay)")
    shape = a.shape
    a, b = a.reshape(-1).copy(), b.reshape(-1).copy()
    half_diff = 0.5 * np.abs(np.angle(1 + a) - np.angle(1 + b))
    direct = half_diff <= math.pi / 4
    out = np.empty(a.shape, dtype=complex)
    if direct.any():
        out[direct] = _pair_direct(ratios, a[direct], b[direct])
    split = ~direct
    if split.any():
        aa, bb = a[split], b[split]
        zero = np.zeros_like(aa)
        sa, sb = _pair_direct(ratios, aa, zero), _pair_direct(ratios, bb, zero)
        out[split] = (bb * sb - aa * sa) / (bb - aa)
    return out.reshape(shape)


# ---------------------------------------------------------------- mpmath ----------------------------------
# Fixed composite Gauss-Legendre rule in u = sqrt(t) (panels doubling from u_start), the heat trace evaluated
# once per node as a product of 1D theta sums (one per distinct ratio, shared by every channel), the large-t part
# (t > t_1, every axis in its direct regime) integrated exactly as a finite mode sum. Two different panel layouts
# must agree: their difference is the reported error.
class ModeSumResult(tuple):
    """``(ring, two_box)`` mpf pair with ``.error``: the achieved absolute accuracy estimate."""

    error: mpmath.mpf


#: on the real axis, the largest total phase eps * t of the oscillating kernels (beyond it: the rotated ray)
_PHASE_MAX = 150.0
#: largest phase change eps * (t_b - t_a) across one quadrature panel on the real axis
_PHASE_PANEL = 10.0
#: largest drop (in e-folds) of the slowest exponential across one panel (the Gaussian decay in u; measured)
_DECAY_PANEL = 20.0
_GL_CACHE: dict[tuple[int, int], tuple[list, list]] = {}


def _gl_order(dps: int) -> int:
    """Gauss-Legendre nodes per panel for ``dps`` digits (measured: ~1.25 digits per node on the doubling panels;
    27 nodes leave ~1e-33 at 30 digits)."""
    return int(0.8 * (dps + 3)) + 1


def _legendre(n: int, x):
    p0, p1 = mpmath.mpf(1), x
    for j in range(2, n + 1):
        p0, p1 = p1, ((2 * j - 1) * x * p1 - (j - 1) * p0) / j
    return p1, n * (x * p1 - p0) / (x * x - 1)


def _gauss_legendre_mp(n: int) -> tuple[list, list]:
    """n-point Gauss-Legendre nodes and weights on [-1, 1] at the working precision (cached per precision):
    Newton's method from numpy's float64 nodes (quadratic convergence)."""
    key = (n, mpmath.mp.prec)
    if key not in _GL_CACHE:
        tiny = mpmath.ldexp(1, 8 - mpmath.mp.prec)
        xs, ws = [], []
        for x0 in np.polynomial.legendre.leggauss(n)[0]:
            x = mpmath.mpf(float(x0))
            for _ in range(12):
                p, dp = _legendre(n, x)
                x -= p / dp
                if abs(p / dp) < tiny:
                    break
            p, dp = _legendre(n, x)
            xs.append(x)
            ws.append(2 / ((1 - x * x) * dp * dp))
        _GL_CACHE[key] = (xs, ws)
    return _GL_CACHE[key]


def _q_series(q, x_real: float, need: float):
    r""":math:`\sum_{n\ge1} q^{n^2}` with :math:`|q| = e^{-x}`: the terms down to :math:`e^{-\mathrm{need}}`.

    Real q: :math:`q\,(1 + q^3 + q^8 + \dots)`, the bracket (within 5 % of 1 for :math:`x \ge \pi`) in
    fixed-point integer arithmetic with 8 guard bits (absolute error below :math:`2^{-\mathrm{prec}}` of a number
    near 1: full relative precision at a fraction of the cost of mpf operations).
    """
    if x_real > need:
        return q
    terms = int(math.sqrt(need / x_real))
    if isinstance(q, mpmath.mpc):
        total = term = q
        q2 = q * q
        step = q * q2
        for _ in range(terms):
            term *= step
            total += term
            step *= q2
        return total
    bits = mpmath.mp.prec + 8
    fq = int(mpmath.ldexp(q, bits))
    fq2 = (fq * fq) >> bits
    term = (fq * fq2) >> bits              # q^3 = q^(n^2 - 1) at n = 2
    step = (term * fq2) >> bits            # q^5 = q^(2n + 1) at n = 2
    total = (1 << bits) + term
    for _ in range(terms - 1):
        term = (term * step) >> bits
        total += term
        step = (step * fq2) >> bits
    return q * mpmath.mpf((total, -bits))


class _Consts:
    """pi, pi^2, sqrt(pi) and ln(1/eps) + 2 at the working precision (computed once per evaluation)."""

    def __init__(self):
        self.pi = +mpmath.pi
        self.pi2 = self.pi**2
        self.sqrt_pi = mpmath.sqrt(self.pi)
        self.need = mpmath.mp.prec * math.log(2) + 2.0
        self.half = mpmath.mpf(0.5)


def _theta_halves(x, sqrt_x, k: _Consts):
    r"""(:math:`\theta_D`, :math:`\theta_N`) = (:math:`\sum_{n\ge1}`, :math:`\sum_{n\ge0}`) of :math:`e^{-n^2x}`,
    real or complex :math:`x` with :math:`|\arg x|\le\pi/4`; ``sqrt_x`` its principal square root.

    Direct series for :math:`|x|\ge\pi`, else the Jacobi transform
    :math:`\vartheta(x) = \sqrt{\pi/x}\,\vartheta(\pi^2/x)` (both converge like :math:`e^{-\pi n^2\cos\arg x}`).
    """
    complex_x = isinstance(x, mpmath.mpc)
    if (abs(x) if complex_x else x) >= k.pi:
        s = _q_series(mpmath.exp(-x), float(x.real), k.need)
        return s, 1 + s
    y = k.pi2 / x
    yr = float(y.real)
    full = k.sqrt_pi / sqrt_x
    if yr <= k.need:
        full *= 1 + 2 * _q_series(mpmath.exp(-y), yr, k.need)
    return (full - 1) / 2, (full + 1) / 2


def _heat_trace_factors(ratios):
    """Distinct ratios (the Dirichlet axis has ratio 1) with their squares, and per axis (index, Dirichlet?)."""
    distinct, axes = [], []
    for r, dirichlet in [(mpmath.mpf(1), True)] + [(r, False) for r in ratios]:
        if r not in distinct:
            distinct.append(r)
        axes.append((distinct.index(r), dirichlet))
    return [(r, r * r) for r in distinct], axes


def _heat_trace_at(u, rot, srot, distinct, axes, k: _Consts):
    """Theta(t) at t = rot * u^2 (srot = sqrt(rot)): one 1D theta sum per distinct ratio."""
    t = rot * u * u if rot != 1 else u * u
    us = u * srot if srot != 1 else u
    halves = [_theta_halves(r2 * t, r * us, k) for r, r2 in distinct]
    out = None
    for i, dirichlet in axes:
        f = halves[i][0 if dirichlet else 1]
        out = f if out is None else out * f
    return out


def _real_factors(distinct, k: _Consts):
    """Per distinct ratio r: (r^2, pi^2/r^2, sqrt(pi)/r) for :func:`_heat_trace_real_mp`."""
    return [(r2, k.pi2 / r2, k.sqrt_pi / r) for r, r2 in distinct]


def _heat_trace_real_mp(u, inv_u, factors, axes, k: _Consts):
    """Theta(t) at real t = u^2 (inv_u = 1/u): :func:`_heat_trace_at` with one division per node instead of two per
    ratio (the dual argument pi^2/(r^2 t) and prefactor sqrt(pi)/(r u) from precomputed constants)."""
    s = u * u
    inv_s = None
    halves = []
    for r2, pi2_r2, sqrt_pi_r in factors:
        x = r2 * s
        if x >= k.pi:
            d = _q_series(mpmath.exp(-x), float(x), k.need)
            halves.append((d, d + 1))
            continue
        if inv_s is None:
            inv_s = inv_u * inv_u
        y = pi2_r2 * inv_s
        yr = float(y)
        full = sqrt_pi_r * inv_u
        if yr <= k.need:
            q = _q_series(mpmath.exp(-y), yr, k.need)
            full += full * (q + q)
        d = (full - 1) * k.half
        halves.append((d, d + 1))
    out = None
    for i, dirichlet in axes:
        f = halves[i][0 if dirichlet else 1]
        out = f if out is None else out * f
    return out


def heat_trace_mp(t, ratios: Sequence) -> mpmath.mpc:
    r""":math:`\Theta(t)` at the current mpmath precision (complex :math:`t`, Re t > 0, :math:`|\arg t|\le\pi/4`
    for the stated convergence)."""
    t = mpmath.mpmathify(t)
    distinct, axes = _heat_trace_factors([mpmath.mpf(r) for r in ratios])
    # t = rot * u^2 with u = |t|^(1/2), rot = t/|t|
    u = mpmath.sqrt(abs(t))
    rot = t / abs(t)
    return _heat_trace_at(u, rot, mpmath.sqrt(rot), distinct, axes, _Consts())


_J_COEFFS: dict[int, list] = {}


def _j_coefficients():
    """Series coefficients of J at the working precision (cached per precision), enough for y < 1."""
    prec = mpmath.mp.prec
    if prec not in _J_COEFFS:
        coeffs, k = [], 0
        while True:   # |c_k| ~ 2/pi^(2k): stop when pi^(-2k) < eps
            coeffs.append((1 - 2 * k) * mpmath.mpf(4) ** k * mpmath.bernoulli(2 * k)
                          / mpmath.factorial(2 * k) / (2 * k + 1))
            if k > 2 and mpmath.pi ** (-2 * k) < mpmath.eps / 10:
                break
            k += 1
        _J_COEFFS[prec] = coeffs
    return _J_COEFFS[prec]


def _j_mp(y):
    """J(y) = int_0^y x^2/sinh^2 x dx at the working precision."""
    if y < 1:
        y2 = y * y
        return y * mpmath.polyval(_j_coefficients()[::-1], y2)
    # y >= 1: x^2/sinh^2 x = 4 x^2 sum_k k e^{-2kx}, integrated from y to infinity term by term
    q = mpmath.exp(-2 * y)
    qk, k, tail = q, 1, mpmath.mpf(0)
    while True:
        term = qk * (2 * y * y + 2 * y / k + mpmath.mpf(1) / (k * k))
        tail += term
        if term < mpmath.eps * mpmath.mpf("1e-3"):
            return mpmath.pi**2 / 6 - tail
        k += 1
        qk *= q


def _panels(u_start, u_end, decay_rate, phase_rate=0, phase_t_max=None):
    """Panel edges in u: [0, u_start], then doubling up to u_end (a last panel shorter than a ratio 1.3 is merged:
    the last two then span equal ratios below 1.62). Each panel is split so that the slowest exponential
    exp(-decay_rate t) drops by at most exp(-_DECAY_PANEL) across it and, with an oscillating kernel
    exp(i phase_rate t) (below t = phase_t_max), its phase changes by at most _PHASE_PANEL."""
    edges = [mpmath.mpf(0)]
    u = u_start
    while u < u_end:
        edges.append(u)
        u *= 2
    if len(edges) > 2 and u_end < edges[-1] * mpmath.mpf("1.3"):
        edges[-1] = mpmath.sqrt(edges[-2] * u_end)
    edges.append(u_end)
    out = [edges[0]]
    for a, b in zip(edges[:-1], edges[1:]):
        k = math.ceil(float(decay_rate * (b * b - a * a)) / _DECAY_PANEL)
        top = b * b if phase_t_max is None else min(b * b, phase_t_max)
        if phase_rate and a * a < top:
            k = max(k, math.ceil(float(phase_rate * (top - a * a)) / _PHASE_PANEL))
        k = max(k, 1)
        out.extend(a + (b - a) * j / k for j in range(1, k + 1))
    return out


def _tail_modes(ratios, t1, need: float):
    """Modes with lambda * t1 <= need + t1 (all others below the working precision relative to the lowest one):
    a dict lambda -> multiplicity * exp(-lambda t1)."""
    lam_max = need / float(t1) + 1.0
    axes = [[(mpmath.mpf(n * n), n * n) for n in range(1, int(math.sqrt(lam_max)) + 1)]]
    for r in ratios:
        rr = float(r) ** 2
        axes.append([(r * r * (n * n), rr * n * n) for n in range(0, int(math.sqrt(lam_max / rr)) + 1)])
    combos = [(mpmath.mpf(0), 0.0)]
    for axis in axes:
        combos = [(lam + a, f + af) for lam, f in combos for a, af in axis if f + af <= lam_max]
    modes: dict = {}
    for lam, _ in combos:
        modes[lam] = modes.get(lam, 0) + 1
    return {lam: m * mpmath.exp(-lam * t1) for lam, m in modes.items()}


def _tail_mp(ratios, gaps, weights, eps, t1, need):
    r"""Exact :math:`\int_{t_1}^\infty` of the ring and two-box kernels against the mode sum (real axis):
    :math:`\operatorname{Re}\,e^{-wt_1}(t_1/w+1/w^2)` and :math:`e^{-ct_1}(c\sin\varepsilon t_1/\varepsilon+
    \cos\varepsilon t_1)/(c^2+\varepsilon^2)`, :math:`c=\lambda+a`, :math:`w=c-i\varepsilon`."""
    modes = _tail_modes(ratios, t1, need)
    damp = [w * mpmath.exp(-a * t1) for a, w in zip(gaps, weights)]
    ring = box = mpmath.mpf(0)
    if eps == 0:
        for lam, e_lam in modes.items():
            acc = mpmath.mpf(0)
            for a, d in zip(gaps, damp):
                c = lam + a
                acc += d * (t1 * c + 1) / (c * c)
            ring += e_lam * acc
        return ring, ring
    cos_p, sin_p = mpmath.cos_sin(eps * t1)
    sinc_p = sin_p / eps
    e2 = eps * eps
    for lam, e_lam in modes.items():
        acc_r = acc_b = mpmath.mpf(0)
        for a, d in zip(gaps, damp):
            c = lam + a
            m = c * c + e2
            p = t1 * c / m + (c * c - e2) / (m * m)
            q = eps * (t1 / m + 2 * c / (m * m))
            acc_r += d * (cos_p * p - sin_p * q)
            acc_b += d * (c * sinc_p + cos_p) / m
        ring += e_lam * acc_r
        box += e_lam * acc_b
    return ring, box


def _integral_mp(ratios, gaps, weights, energy, temperature, shift, combine=None, order=None):
    """One evaluation of the weighted totals (sum_c w_c R_c, sum_c w_c B_c, 0) on the panel layout scaled by
    ``shift`` (u_start * shift, tail start t_1 / shift) with ``order`` Gauss-Legendre nodes per panel.

    ``combine`` is accepted for the signature of :func:`mode_sums_mp` (the totals are combined there).
    """
    gaps = [mpmath.mpf(g) for g in gaps]
    weights = [mpmath.mpf(w) for w in weights]
    eps = abs(mpmath.mpf(energy))
    temp = mpmath.mpf(temperature)
    shift = mpmath.mpf(shift)
    need = mpmath.mp.prec * math.log(2) + 10.0          # ln(1/eps) + margin
    n = order or _gl_order(mpmath.mp.dps)
    a_min = min(gaps)
    r_max = max([mpmath.mpf(1), *ratios])
    r_min = min([mpmath.mpf(1), *ratios])
    scale = max(max(gaps), eps) + mpmath.pi * temp
    t_end = mpmath.mpf(need) / (1 + a_min)             # the slowest rate 1 + a_min has decayed
    t_tail = mpmath.pi / r_min**2                        # every axis in its direct regime beyond it
    use_tail = temp == 0 and t_tail < t_end
    t_q = t_tail if use_tail else t_end
    on_ray = eps > 0 and eps * t_q > _PHASE_MAX
    if on_ray:
        # Cauchy: t = s e^{i alpha}, alpha = arg(a_min + i eps)/2 (every exponential decays, oscillation tamed)
        use_tail = False
        alpha = mpmath.atan2(eps, a_min) / 2
        rot = mpmath.expj(alpha)
        srot = mpmath.expj(alpha / 2)
        t_q = t_end / mpmath.cos(alpha)
    else:
        rot = srot = mpmath.mpf(1)
        if use_tail:
            t_q = t_tail / shift
    u_q = mpmath.sqrt(t_q)
    u_start = min(shift * min(mpmath.mpf("0.3") / r_max, mpmath.mpf("0.5") / mpmath.sqrt(max(scale, 1))), u_q / 2)
    if use_tail and eps == 0:
        # the tail is exact from any t_1 >= t_tail: end the quadrature on a doubling edge (no short last panel)
        u_q = u_start
        while u_q * u_q < t_tail:
            u_q *= 2
        t_q = u_q * u_q
    if on_ray:    # the fast part exp(i eps t) of the kernels decays like exp(-eps sin(alpha) s)
        edges = _panels(u_start, u_q, (1 + a_min) * mpmath.cos(alpha), eps * mpmath.cos(alpha),
                        need / (eps * mpmath.sin(alpha)))
    else:
        edges = _panels(u_start, u_q, 1 + a_min, eps)
    # on the ray the heat trace itself oscillates (phase lambda s sin(alpha) of each mode): 1.5x the nodes
    # (measured: 1e-21 with the real-axis count, 1e-32 with 1.5x, wire at eps = 300 to 1e5)
    n_node = n * 3 // 2 if on_ray else n
    rules = [_gauss_legendre_mp(n_node // 2 + 2), _gauss_legendre_mp(n_node)]
    distinct, axes = _heat_trace_factors(ratios)
    consts = _Consts()
    factors = _real_factors(distinct, consts)
    chans = [(-a, None if c == 1 else c) for a, c in zip(gaps, weights)]
    ring = box = mpmath.mpf(0)
    pi_t = mpmath.pi * temp
    for i_panel, (a_edge, b_edge) in enumerate(zip(edges[:-1], edges[1:])):
        half = (b_edge - a_edge) / 2
        mid = (b_edge + a_edge) / 2
        # [0, u_start]: a polynomial in u times exp(-a u^2), cos(eps u^2), ... with a u^2, eps u^2 <= 1/4: half the nodes
        xs, ws = rules[i_panel > 0]
        for x, w in zip(xs, ws):
            w2h = 2 * w * half
            u = mid + half * x
            s = u * u
            t = rot * s if on_ray else s
            if on_ray:
                theta = _heat_trace_at(u, rot, srot, distinct, axes, consts) * (w2h * u * rot)
            else:
                theta = _heat_trace_real_mp(u, 1 / u, factors, axes, consts) * (w2h * u)
            damp = None
            for neg_a, c in chans:
                d = mpmath.exp(neg_a * t) if neg_a else mpmath.mpf(1)
                if c is not None:
                    d *= c
                damp = d if damp is None else damp + d
            damp *= theta
            if on_ray:
                h = eps * t / 2
                e_ih = mpmath.expj(h)
                ring += (t * e_ih * e_ih * damp).real
                box += (t * e_ih * (mpmath.sin(h) / h) * damp).real
            elif temp > 0:
                y = pi_t * s
                khat = (y / mpmath.sinh(y)) ** 2 if y < need else mpmath.mpf(0)
                ring += s * khat * damp
                box += _j_mp(y) / pi_t * damp
            elif eps > 0:
                c, sn = mpmath.cos_sin(eps * s)
                ring += s * c * damp
                box += sn / eps * damp
            else:
                ring += s * damp
    if eps == 0 and temp == 0:
        box = ring
    if use_tail:
        r_t, b_t = _tail_mp(ratios, gaps, weights, eps, t_q, need)
        ring += r_t
        box += b_t
    return ring, box, mpmath.mpf(0)


def mode_sums_mp(ratios: Sequence, gaps, weights=None, energy=0, temperature=0, dps: int = 30,
                 guard: int = 12, combine=None) -> ModeSumResult:
    r"""mpmath weighted ring and two-box mode sums :math:`\sum_c w_c R(a_c,\varepsilon)`,
    :math:`\sum_c w_c B(a_c,\varepsilon)` to ``dps`` significant digits, with an accuracy report.

    ``gaps`` is a number or a sequence of channel gaps (eigenvalue units), ``weights`` their
    multiplicities (default 1 each). Method: the heat-trace integral in :math:`u=\sqrt t` by composite
    Gauss-Legendre panels (doubling from :math:`u_0\sim\min(0.3\,W/L, 0.5/\sqrt{\text{scale}})`), the heat trace a
    product of 1D theta sums evaluated once per node and shared by every channel; beyond
    :math:`t_1=\pi/\min(1,r)^2` (every axis in its direct regime) the integral is done exactly as a finite mode
    sum. With an energy the kernels :math:`t\cos\varepsilon t` and :math:`\sin(\varepsilon t)/\varepsilon` are
    integrated on the real axis (panels split so each spans a phase below 10, and a drop of the slowest
    exponential below :math:`e^{-20}`) while :math:`\varepsilon t_1\le150`,
    else on the rotated ray of the module docstring; with a temperature on the real axis without the mode-sum
    tail. The sums are evaluated at ``dps + guard`` digits on two panel layouts (``shift`` 1 and 0.8, the second
    with 4 more nodes per panel, whose value is returned); if they disagree, both are repeated with 1.5x the nodes
    per panel. The difference of the pair (in practice the error of the coarser one) is the reported ``.error``
    (absolute); an :class:`ArithmeticError` is raised when it exceeds
    :math:`10^{-\mathrm{dps}}\,B` — since :math:`|R|\le B` term by term, that is ``dps`` digits of any
    :math:`w_rR+w_bB` with :math:`w_r,w_b>0`, such as the UCF correlation (:math:`R` alone may cancel at large
    :math:`\varepsilon`). Never an unconverged number.

    ``combine = (w_ring, w_box)`` (both > 0) returns :math:`w_r R + w_b B` as both entries; the tolerance is then
    relative to that total. The returned mpf carry ``dps + guard`` digits: round them inside
    ``mpmath.workdps(dps)``.
    """
    dps = integer("dps", dps, minimum=1, maximum=MAX_DPS)
    if isinstance(gaps, (int, float, mpmath.mpf)):
        gaps = [gaps]
    gaps = list(gaps)
    weights = [1] * len(gaps) if weights is None else list(weights)
    if not gaps or len(weights) != len(gaps):
        raise ValueError("gaps: need one weight per gap and at least one gap")
    with mpmath.workdps(dps + guard):
        rat = [mpmath.mpf(r) for r in ratios]
        if any(not mpmath.isfinite(mpmath.mpf(g)) or mpmath.mpf(g) < 0 for g in gaps):
            raise ValueError("gaps: must be finite and non-negative")
        if any(not mpmath.isfinite(r) or r <= 0 for r in rat):
            raise ValueError("ratios: aspect ratios must be finite and positive")
        for name, v in (("gaps", max(mpmath.mpf(g) for g in gaps)), ("energy", abs(mpmath.mpf(energy))),
                        ("temperature", mpmath.mpf(temperature))):
            if not mpmath.isfinite(v) or v > MAX_SCALE:
                raise ValueError(f"{name}: must be finite and at most {MAX_SCALE:g}")
        if mpmath.mpf(temperature) > 0 and mpmath.mpf(energy) != 0:
            raise ValueError("temperature: thermal averaging is implemented for energy = 0 only")
        if combine is not None:
            w_r, w_b = (mpmath.mpf(w) for w in combine)

        def run(shift, order):
            r, b, e = _integral_mp(rat, gaps, weights, energy, temperature, mpmath.mpf(shift), combine, order)
            if combine is not None:
                r = b = w_r * r + w_b * b
                e = e * (w_r + w_b)
            return r, b, e

        def agreement(x, y):
            return max(abs(x[0] - y[0]), abs(x[1] - y[1])) + x[2] + y[2]

        # the second layout also has 4 more nodes per panel: its error is well below the first's, so that the
        # difference estimates the first's error even where the two layouts' errors would be alike
        n = _gl_order(dps)
        runs = [run("1", n), run("0.8", n + 4)]
        scale = abs(runs[0][1])    # B >= |R| term by term, and C = (2R + 4B)/pi^4 >= 2B/pi^4
        tol = mpmath.mpf(10) ** (-dps) * scale
        if not agreement(*runs) <= tol:
            n = (3 * n) // 2     # a finer rule on both layouts
            runs = [run("1", n), run("0.8", n + 4)]
        r1, b1, _ = runs[1]      # the finer rule; the difference bounds its error from above
        err = agreement(*runs)
        if not err <= tol:
            raise ArithmeticError(
                f"mode sum not converged to {dps} digits: estimated error {mpmath.nstr(err, 3)} "
                f"vs tolerance {mpmath.nstr(tol, 3)} (gaps={gaps}, energy={energy}, temperature={temperature})")
    res = ModeSumResult((r1, b1))
    res.error = err
    return res


# ---------------------------------------------------------------- baseline ---------------------------------
def naive_mode_sum(ratios: Sequence[float], gap: float, cutoff: float) -> float:
    r"""Baseline: :math:`\sum_{\lambda_{\mathbf n}<\Lambda}(\lambda_{\mathbf n}+a)^{-2}`, truncated (power-law error).

    Used only by the benchmark (and tests of the truncation error); vectorised over the modes.
    """
    ratios = _check_ratios(ratios)
    if not (math.isfinite(cutoff) and cutoff > 0) or not (math.isfinite(gap) and gap >= 0):
        raise ValueError("cutoff: cutoff must be finite and positive, gap finite and non-negative")
    modes = math.sqrt(cutoff) * math.prod(math.sqrt(cutoff) / r + 1 for r in ratios)
    if modes > NAIVE_MAX_MODES:
        raise ValueError(f"cutoff: about {modes:.3g} modes below the cutoff exceed the cap of {NAIVE_MAX_MODES}")
    nx = np.arange(1, int(math.sqrt(cutoff)) + 2, dtype=float)
    lam = nx**2
    for r in ratios:
        nn = np.arange(0, int(math.sqrt(cutoff) / r) + 2, dtype=float)
        lam = np.add.outer(lam, (r * nn) ** 2).ravel()
        lam = lam[lam < cutoff]
    lam = lam[lam < cutoff]
    return float(np.sum(1.0 / (lam + gap) ** 2))
