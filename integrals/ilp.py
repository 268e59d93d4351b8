r"""Numbers for the ILP Cooperon: Landau-level sums and the zero-field integral, float64 and mpmath.

Everything here is in *reduced* units: fields divided by the applied field :math:`B` (``b_phi`` =
:math:`H_\phi/B`, ``r`` = :math:`\sqrt{H_R/B}`, ``d`` = :math:`\sqrt{H_D/B}`, ``b_3`` = :math:`H_3/B`), or, for the
zero-field integral, in any unit of field. The operator and its pieces are derived in
:mod:`mesocorr.symbolic.ilp`; the polynomial coefficients used below are that derivation written out (for
speed) and are re-derived and compared in ``tests/test_ilp.py``.

The triplet part of :math:`\Delta\sigma` needs two numbers (levels :math:`n`, :math:`t_n` = trace of the
triplet resolvent over level :math:`n`, :math:`T(x)` = trace of the zero-field resolvent at
:math:`x = \hbar q^2/4eB`, angle-averaged):

* :math:`S = \lim_{N\to\infty}[\sum_{n<N} t_n - 3\ln N]` — :func:`closed_form_sum` (one linear term: 3x3
  blocks, rational summand :math:`P(N)/Q(N)`, summed exactly by partial fractions over the roots of the cubic
  :math:`Q` into digammas of complex argument) or :func:`general_sum` (both linear terms: finite part by a
  banded LU, tail from the large-level expansion);
* :math:`J = \lim_{X\to\infty}[\int_0^X T(x)\,dx - 3\ln X]` — :func:`zero_field_constant` (same partial
  fractions in :math:`y`, logarithms instead of digammas, trapezoid rule in the angle).

With the same ultraviolet cutoff (N levels ↔ :math:`x < N`) the divergent :math:`3\ln N` cancels, and
:math:`\int_0^N T - \sum_{n<N} t_n \to J - S`.

**General case.** In the gauge :math:`e^{i\pi(n-m)/4}` the Landau-level operator is real symmetric and splits
into two parity sectors, each block tridiagonal with 3x3 blocks (block :math:`k` = levels :math:`2k, 2k+1`).
For blocks :math:`k \ge k_0` the trace over block pairs has the expansion
:math:`\tau(k) = \sum_j g_j\kappa^{-j}`, :math:`\kappa = k + (1+b_\phi)/2` (:func:`mesocorr.symbolic.ilp_series.schur_series`,
here a vectorised float64 version), summed with Hurwitz zeta functions; the right Schur complement of the
blocks beyond :math:`k_0` (same expansion) closes the finite matrix exactly, and the trace of the inverse of
that finite banded matrix is the derivative of :math:`\log\det(h + i\epsilon)` (complex step through LAPACK
``zgbtrf``, no cancellation). :math:`k_0` is chosen from the growth of the :math:`g_j`
(:math:`\rho/\kappa_0 \le 0.45` with :math:`\rho = \limsup|g_j|^{1/j}`, 40 terms).

Error estimates (returned with every number) add the size of the first neglected terms of both expansions and
a rounding bound; ``tests/test_ilp.py`` checks them against runs at twice the work.

Work cap: the general case needs about :math:`10\,b_{SO} + 24` matrix rows per field
(:math:`b_{SO} = (H_R+H_D+H_3)/B`); above :data:`MAX_ROWS` rows for one field it raises ``ValueError`` before
any work.

References
----------
.. [K96] W. Knap et al., Phys. Rev. B 53, 3912 (1996), Eqs. (37)-(38).
.. [DLMF] NIST DLMF 5.15.1 (digamma recurrence), 25.11 (Hurwitz zeta function).
"""

from __future__ import annotations

import math

import gmpy2
import mpmath
import numpy as np

from mesocorr.arguments import no_strings
from mesocorr.symbolic.ilp_series import schur_series

__all__ = ["closed_form_sum", "closed_form_sum_mp", "zero_field_constant", "zero_field_constant_mp",
           "general_sum", "general_sum_mp", "block_traces", "series_coefficients", "sector_blocks_numeric",
           "MAX_ROWS", "MAX_ROWS_MP"]

#: refuse a general-case field that needs more banded-matrix rows than this (memory ~ 112 bytes per row)
MAX_ROWS = 2_000_000
#: the same cap for the mpmath path (about 1 ms per row at 30 digits)
MAX_ROWS_MP = 20_000
_K_MIN = 4
_CHUNK_ROWS = 400_000
_EPS = 2.220446049250313e-16
_STEP = 1e-100  # complex step
_SQ2 = math.sqrt(2.0)


def psi(x):
    """Digamma of real or complex arrays (:func:`scipy.special.psi`; SciPy imported on first use, not at CLI
    start-up)."""
    from scipy.special import psi as digamma

    return digamma(x)


def zeta(s, q):
    """Hurwitz zeta function :math:`\\zeta(s, q)` (:func:`scipy.special.zeta`, imported on first use)."""
    from scipy.special import zeta as hurwitz

    return hurwitz(s, q)


# ----------------------------------------------------------------------------- residue sums (partial fractions)
def _cubic_roots(c2, c1, c0):
    """Roots of the monic cubics x^3 + c2 x^2 + c1 x + c0 (arrays): companion eigenvalues + 2 Newton steps."""
    c2, c1, c0 = np.broadcast_arrays(np.asarray(c2, float), np.asarray(c1, float), np.asarray(c0, float))
    comp = np.zeros(c2.shape + (3, 3))
    comp[..., 0, 0], comp[..., 0, 1], comp[..., 0, 2] = -c2, -c1, -c0
    comp[..., 1, 0] = 1.0
    comp[..., 2, 1] = 1.0
    x = np.linalg.eigvals(comp).astype(complex)
    a2, a1, a0 = c2[..., None], c1[..., None], c0[..., None]
    for _ in range(2):
        q = ((x + a2) * x + a1) * x + a0
        dq = (3 * x + 2 * a2) * x + a1
        step = np.divide(q, dq, out=np.zeros_like(q), where=dq != 0)
        x = x - step
    return x


def _cluster_sum(zz, P, F, dist, Q, dQ, thr):
    r"""Partial-fraction sum :math:`\sum_j P(z_j)F(z_j)/Q'(z_j)` (Q monic with roots ``zz``) when two or three
    roots lie closer than ``thr``: their cancelling residues are replaced by the contour integral
    :math:`\frac1{2\pi i}\oint PF/Q\,dz` around the cluster (trapezoid rule; radius the geometric mean of the
    cluster radius and the distance ``dist(mid)`` to the nearest singularity of ``F`` or other root). On the
    circle :math:`Q`, and :math:`Q'` at the other roots, are evaluated from the coefficients (``Q``, ``dQ``), not
    from the clustered roots, whose individual errors are large.
    Returns ``(value, error_estimate, ok)``."""
    pairs = [(i, j) for i in range(3) for j in range(i + 1, 3) if abs(zz[i] - zz[j]) < thr]
    members = sorted({i for p in pairs for i in p})
    others = [i for i in range(3) if i not in members]
    mid = complex(np.mean([zz[i] for i in members]))
    rc = max(abs(zz[i] - mid) for i in members)
    dmin = float(dist(mid))
    for o in others:
        dmin = min(dmin, abs(zz[o] - mid))
    if not dmin > 0:
        return complex("nan"), math.inf, False
    # a large circle keeps Q(w) (from its coefficients) accurate; inside it only the cluster may lie
    rho = dmin / 2 if rc <= dmin / 4 else math.sqrt(rc * dmin)
    q = max(rc / rho, rho / dmin)
    if not q < 0.75:
        return complex("nan"), math.inf, False
    npts = int(min(1024, max(16, math.ceil(math.log(1e-18) / math.log(q)))))
    w = mid + rho * np.exp(2j * np.pi * (np.arange(npts) + 0.5) / npts)
    f = P(w) * F(w) / Q(w)
    value = complex(np.mean(f * (w - mid)))
    rest = 0j
    for o in others:
        rest += complex(P(zz[o]) * F(zz[o]) / dQ(zz[o]))
    err = 64 * _EPS * (float(np.max(np.abs(f))) * rho + abs(rest)) + q**npts
    return value + rest, err, True


def _residue_sums(roots, P, F, element, rel_sep=1e-3):
    r"""Vectorised :math:`\sum_j P(z_j)F(z_j)/Q'(z_j)` over the roots ``(..., 3)``; ``P``, ``F`` act on arrays
    broadcast against the roots; ``element(idx)`` returns scalar ``(P, F, dist, Q, dQ)`` for the cluster path.
    Returns ``(value, error_estimate, ok)``."""
    z = roots
    dq = np.stack([(z[..., j] - z[..., (j + 1) % 3]) * (z[..., j] - z[..., (j + 2) % 3]) for j in range(3)], -1)
    with np.errstate(all="ignore"):
        terms = P(z) * F(z) / np.where(dq == 0, 1, dq)
    value = np.sum(terms, -1)
    err = 64 * _EPS * np.sum(np.abs(terms), -1)
    ok = np.ones(value.shape, bool)
    sep = np.min(np.abs(np.stack([z[..., 0] - z[..., 1], z[..., 1] - z[..., 2], z[..., 0] - z[..., 2]], -1)), -1)
    scale = 1 + np.max(np.abs(z), -1)
    for idx in zip(*np.nonzero(sep < rel_sep * scale)):
        value[idx], err[idx], ok[idx] = _cluster_sum(z[idx], *element(idx), rel_sep * scale[idx])
    return value, err, ok


# ----------------------------------------------------------------------------- one linear term: closed form
def _block_polynomial(b_phi, b1, b3):
    """Derived block polynomials (mesocorr.symbolic.ilp.block_closed_form) in x = N + c,
    c = 1/2 + b_phi + b1 + b3:  Q = x^3 + (b3 - 3 b1) x^2 + (4 b1 (c - 1/2) - 1) x + (b1 - b3),  P = Q' + 4 b1 x."""
    c = 0.5 + b_phi + b1 + b3
    return c, b3 - 3 * b1, 4 * b1 * (b_phi + b1 + b3) - 1, b1 - b3


def _pole_distance(c):
    """Distance of x from the poles x = c + n (n = 1, 2, ...) of psi(1 + c - x)."""
    def dist(mid):
        t = mid - c
        n = max(1.0, float(np.round(t.real)))
        return min(abs(t - n), abs(t - (n + 1)), abs(t - max(1.0, n - 1)))
    return dist


@no_strings
def closed_form_sum(b_phi, b_lin, b_3):
    r""":math:`S = \lim_N[\sum_{n<N}t_n - 3\ln N]` for one linear term (``b_lin`` = :math:`H_R/B` or :math:`H_D/B`)
    plus the cubic term, exactly (float64, vectorised).

    Blocks of conserved :math:`N = n + m` (Rashba; :math:`n - m` for Dresselhaus): :math:`N = -1` (one state),
    :math:`N = 0` (two), :math:`N \ge 1` (three, trace :math:`P(N)/Q(N)`). With the roots :math:`x_j` of
    :math:`Q` in :math:`x = N + c`, :math:`c = \frac12 + b_\phi + b_{SO}`, and
    :math:`\sum_{N=1}^{M}\frac1{N-z} = \psi(M+1-z) - \psi(1-z)`:

    .. math:: S = \frac1{a_0} + \frac{2a_0+1+b_{SO}}{a_1(a_0+b_{SO})-2b_1} - \sum_j \frac{P(x_j)}{Q'(x_j)}
              \,\psi(1+c-x_j),\qquad a_N = N + c

    (Knap et al. 1996, Eq. (37), summed exactly). Returns ``(S, error_estimate, ok)``; ``ok`` is False where
    a root cluster sits too close to a pole of :math:`\psi` for the contour formula (the caller then uses
    :func:`general_sum`).
    """
    b_phi, b1, b3 = np.broadcast_arrays(*(np.atleast_1d(np.asarray(v, float)) for v in (b_phi, b_lin, b_3)))
    c, q2, q1, q0 = _block_polynomial(b_phi, b1, b3)
    x = _cubic_roots(q2, q1, q0)
    C, Q2, Q1, B1 = (v[..., None] for v in (c, q2, q1, b1))

    def element(idx):
        ci, q2i, q1i, q0i, b1i = (float(v[idx]) for v in (c, q2, q1, q0, b1))
        return (lambda t: (3 * t + 2 * q2i) * t + q1i + 4 * b1i * t, lambda t: psi(1 + ci - t), _pole_distance(ci),
                lambda t: ((t + q2i) * t + q1i) * t + q0i, lambda t: (3 * t + 2 * q2i) * t + q1i)

    value, err, ok = _residue_sums(x, lambda t: (3 * t + 2 * Q2) * t + Q1 + 4 * B1 * t, lambda t: psi(1 + C - t),
                                   element)
    bso = b1 + b3
    first = 1 / c + (2 * c + 1 + bso) / ((c + 1) * (c + bso) - 2 * b1)
    S = first - value.real
    err = err + 16 * _EPS * (np.abs(first) + np.abs(value))
    diag = b1 == 0  # no linear term: diagonal blocks, S = -2 psi(1/2 + b_phi + b3) - psi(1/2 + b_phi + 2 b3)
    if np.any(diag):
        half = 0.5 + b_phi[diag]
        S[diag] = -2 * psi(half + b3[diag]) - psi(half + 2 * b3[diag])
        err[diag] = 16 * _EPS * np.abs(S[diag])
        ok[diag] = True
    return S, err, ok


@no_strings
def closed_form_sum_mp(b_phi, b_lin, b_3, dps: int):
    """:func:`closed_form_sum` in mpmath at ``dps`` digits (scalar inputs).

    The working precision is raised by the digits a root cluster costs (the residues grow like 1/separation);
    without a linear term the blocks are diagonal and the sum is :math:`-2\\psi(\frac12+b_\\phi+b_3)-
    \\psi(\frac12+b_\\phi+2b_3)` directly. Returns ``(S, error_estimate)``, or ``None`` when the roots cannot be
    separated at any reasonable precision (the caller then uses :func:`general_sum_mp`)."""
    guard = 10
    with mpmath.workdps(dps + guard):
        if mpmath.mpf(b_lin) == 0:
            half = mpmath.mpf(1) / 2 + mpmath.mpf(b_phi)
            S = -2 * mpmath.digamma(half + mpmath.mpf(b_3)) - mpmath.digamma(half + 2 * mpmath.mpf(b_3))
            with mpmath.workdps(dps):
                return +S, abs(S) * mpmath.mpf(10) ** (-dps - 5)
    for _ in range(5):
        with mpmath.workdps(dps + guard):
            bp, b1, b3 = (mpmath.mpf(v) for v in (b_phi, b_lin, b_3))
            c = mpmath.mpf(1) / 2 + bp + b1 + b3
            q2, q1, q0 = b3 - 3 * b1, 4 * b1 * (bp + b1 + b3) - 1, b1 - b3
            try:
                roots = mpmath.polyroots([1, q2, q1, q0], maxsteps=400, extraprec=2 * (dps + guard))
            except mpmath.libmp.libhyper.NoConvergence:
                guard *= 2
                continue
            sep = min(abs(roots[i] - roots[j]) for i in range(3) for j in range(i + 1, 3))
            scale = 1 + max(abs(z) for z in roots)
            lost = int(max(0, -mpmath.log10(sep / scale))) if sep > 0 else 10 * guard
            if lost + 5 > guard:
                guard = lost + 15
                continue
            total = mpmath.mpc(0)
            for j, z in enumerate(roots):
                dq = (z - roots[(j + 1) % 3]) * (z - roots[(j + 2) % 3])
                total += ((3 * z + 2 * q2) * z + q1 + 4 * b1 * z) / dq * mpmath.digamma(1 + c - z)
            bso = b1 + b3
            S = 1 / c + (2 * c + 1 + bso) / ((c + 1) * (c + bso) - 2 * b1) - mpmath.re(total)
            err = (1 + abs(S)) * mpmath.mpf(10) ** (-(dps + guard - lost - 3))
        with mpmath.workdps(dps):
            return +S, +err
    return None


# ----------------------------------------------------------------------------- zero field
def _zero_field_coefficients(h_phi, h_R, h_D, h_3, w):
    r"""Derived (mesocorr.symbolic.ilp.zero_field_trace) coefficients of Q = y^3 + q2 y^2 + q1 y + q0 and
    P = 3 y^2 + p1 y + p0, with w = sqrt(h_R h_D) sin(2 theta); r^2 = h_R, d^2 = h_D."""
    f, R, Dd, t = h_phi, h_R, h_D, h_3
    q2 = 4 * t + 3 * f - 8 * w
    q1 = (5 * t**2 + 8 * t * f + 6 * t * (Dd + R) - 8 * t * w + 3 * f**2 + 4 * f * (Dd + R) - 8 * f * w
          + Dd**2 + 14 * Dd * R + R**2)
    h = t + f  # factored determinant at y = 0 (no cancellation near the persistent spin helix R = D)
    q0 = (2 * (R + Dd + t) + f) * ((R - Dd) ** 2 + 2 * (R + Dd) * h + h**2)
    p1 = 2 * (4 * t + 3 * f + 2 * Dd + 2 * R - 4 * w)
    p0 = (5 * t**2 + 8 * t * f + 10 * t * (Dd + R) + 3 * f**2 + 8 * f * (Dd + R) + 5 * (Dd**2 + R**2)
          + 6 * Dd * R)
    return q2, q1, q0, p1, p0


def _cut_distance(mid):
    return abs(mid.imag) if mid.real >= 0 else abs(mid)


def _zero_field_angles(h_phi, h_R, h_D, h_3, w):
    r""":math:`J(\theta) = -\sum_j \rho_j\ln(-y_j)` for an array of ``w`` values; returns ``(J, err, ok)``."""
    q2, q1, q0, p1, p0 = _zero_field_coefficients(h_phi, h_R, h_D, h_3, np.asarray(w, float))
    q2, q1, q0, p1, p0 = np.broadcast_arrays(*(np.atleast_1d(np.asarray(v, float)) for v in (q2, q1, q0, p1, p0)))
    y = _cubic_roots(q2, q1, q0)
    P1, P0 = p1[..., None], p0[..., None]

    def element(idx):
        a, b, c2, c1, c0 = (float(v[idx]) for v in (p1, p0, q2, q1, q0))
        return (lambda t: (3 * t + a) * t + b, lambda t: np.log(-t), _cut_distance,
                lambda t: ((t + c2) * t + c1) * t + c0, lambda t: (3 * t + 2 * c2) * t + c1)

    with np.errstate(all="ignore"):
        value, err, ok = _residue_sums(y, lambda t: (3 * t + P1) * t + P0, lambda t: np.log(-t), element)
    return -value.real, err, ok


def _zero_field_quadrature(h_phi, h_R, h_D, h_3, w):
    """Fallback for one angle: J = int_0^inf [P/Q - 3/(y + h)] dy - 3 ln h by adaptive quadrature."""
    from scipy.integrate import quad

    q2, q1, q0, p1, p0 = _zero_field_coefficients(h_phi, h_R, h_D, h_3, w)
    hs = h_phi + h_R + h_D + h_3

    def f(y):
        return ((3 * y + p1) * y + p0) / (((y + q2) * y + q1) * y + q0) - 3 / (y + hs)

    v1, e1 = quad(f, 0, hs, epsabs=1e-15, epsrel=1e-13, limit=400)
    v2, e2 = quad(lambda u: f(hs / u) * hs / u**2, 0, 1, epsabs=1e-15, epsrel=1e-13, limit=400)
    return v1 + v2 - 3 * math.log(hs), e1 + e2


@no_strings
def zero_field_constant(h_phi, h_R, h_D, h_3, tol: float = 1e-14, max_angles: int = 1 << 14):
    r""":math:`J = \lim_X[\int_0^X \langle T\rangle_\theta\,dy - 3\ln X]` for fields in any one unit (float64).

    :math:`T = P(y,\theta)/Q(y,\theta)` is the trace of the zero-field triplet resolvent at
    :math:`y = \hbar q^2/4e` in that unit; for each angle the partial fractions give
    :math:`J(\theta) = -\sum_j \frac{P(y_j)}{Q'(y_j)}\ln(-y_j)` (no root on :math:`y \ge 0`: the operator is
    positive). :math:`T` depends on the angle only through :math:`\sqrt{h_Rh_D}\sin2\theta`; the average is the
    trapezoid rule over a period, doubled until two estimates agree to ``tol``. In units of the applied field
    :math:`B` add :math:`3\ln(\text{unit}/B)`. Returns ``(J, error_estimate)``.
    """
    amp = math.sqrt(h_R * h_D)
    if amp == 0:
        J, err, ok = _zero_field_angles(h_phi, h_R, h_D, h_3, np.zeros(1))
        if not ok[0]:
            J0, e0 = _zero_field_quadrature(h_phi, h_R, h_D, h_3, 0.0)
            return J0, e0
        return float(J[0]), float(err[0])

    def average(M):
        th = np.pi * np.arange(M) / M
        w = amp * np.sin(2 * th)
        J, err, ok = _zero_field_angles(h_phi, h_R, h_D, h_3, w)
        for i in np.flatnonzero(~ok):
            J[i], err[i] = _zero_field_quadrature(h_phi, h_R, h_D, h_3, float(w[i]))
        return float(np.mean(J)), float(np.max(err))

    M = 16
    prev, _ = average(M)
    while True:
        M *= 2
        cur, rnd = average(M)
        diff = abs(cur - prev)
        if diff <= max(tol, 16 * _EPS * (1 + abs(cur))) or M >= max_angles:
            break
        prev = cur
    if diff > 1e3 * max(tol, 16 * _EPS * (1 + abs(cur))):
        raise ValueError(f"B_phi: the angular average of the zero-field integral did not converge with {M} angles "
                         f"(change {diff:.2g}); the dephasing field is too small compared with the spin-orbit fields")
    return cur, diff + rnd


def _cubic_roots_mp(c2, c1, c0, dps: int):
    """Roots of the monic cubic y^3 + c2 y^2 + c1 y + c0 (mpf coefficients) at the working precision: the
    float64 roots refined by Newton steps (quadratic convergence, a few steps), :func:`mpmath.polyroots` when
    two roots are close (Newton would converge slowly and the residues cancel). Returns a list of 3 mpc."""
    try:
        start = np.roots([1.0, float(c2), float(c1), float(c0)])
    except (OverflowError, ValueError, np.linalg.LinAlgError):  # pragma: no cover - coefficients are finite
        start = None
    if start is not None and np.all(np.isfinite(start)):
        sep = min(abs(start[i] - start[j]) for i in range(3) for j in range(i + 1, 3))
        scale = 1 + max(abs(complex(z)) for z in start)
        if sep > 1e-6 * scale:
            tol = mpmath.mpf(10) ** (-dps) * scale
            roots = []
            for z0 in start:
                z = mpmath.mpc(complex(z0))
                for _ in range(40):
                    q = ((z + c2) * z + c1) * z + c0
                    dq = (3 * z + 2 * c2) * z + c1
                    step = q / dq
                    z -= step
                    if abs(step) < tol:
                        break
                else:
                    break
                roots.append(z)
            if len(roots) == 3:
                return roots
    return mpmath.polyroots([1, c2, c1, c0], maxsteps=200, extraprec=3 * dps + 40)


@no_strings
def zero_field_constant_mp(h_phi, h_R, h_D, h_3, dps: int):
    r""":func:`zero_field_constant` in mpmath at ``dps`` digits; returns ``(J, error_estimate)``.

    The angle is averaged in closed form. :math:`T = P/Q` depends on :math:`	heta` only through
    :math:`w = \sqrt{h_Rh_D}\sin2	heta`, and linearly in numerator and denominator (the derived coefficients,
    :func:`_zero_field_coefficients`): :math:`P = P_0 - 8wy`, :math:`Q = Q_0 - 8wy(y+h)`, :math:`h = h_3+h_\phi`.
    With :math:`\langle(c-dw)^{-1}
angle_	heta = (c^2-d^2A^2)^{-1/2}` (:math:`A = \sqrt{h_Rh_D}`, :math:`c > |d|A`
    because the operator is positive),

    .. math:: \langle T
angle_	heta = rac1{y+h} + rac{P_0 - Q_0/(y+h)}{\sqrt{Q_0^2 - 64A^2y^2(y+h)^2}},
              \qquad J = \int_0^\infty\Big[\langle T
angle_	heta - rac3{y+\sigma}\Big]dy - 3\ln\sigma

    (any :math:`\sigma > 0`; here the sum of the fields), a one-dimensional integral done by tanh-sinh
    quadrature (:func:`mpmath.quad`) split at every decade between the smallest and largest field scale.
    """
    with mpmath.workdps(dps + 5):  # the callers add their own guard digits
        f, R, Dd, t = (mpmath.mpf(v) for v in (h_phi, h_R, h_D, h_3))
        zero = mpmath.mpf(0)
        h = t + f
        A2 = R * Dd
        sigma = f + R + Dd + t

        q2, q1, q0, p1, p0 = _zero_field_coefficients(f, R, Dd, t, zero)

        # the integrand in MPFR at the quadrature's working precision (same correctly rounded operations as mpf,
        # same bits: tests/test_ilp_speed.py), constants copied exactly
        with _mpfr_context():
            c_q2, c_q1, c_q0, c_p1, c_p0, c_h, c_A2, c_sigma = (_to_mpfr(v) for v in (q2, q1, q0, p1, p0, h, A2, sigma))
        contexts = {}

        def avg_T(y):
            prec = mpmath.mp.prec
            ctx = contexts.get(prec)
            if ctx is None:
                ctx = contexts[prec] = _mpfr_context()
            with ctx:
                y = _to_mpfr(y)
                Q0 = ((y + c_q2) * y + c_q1) * y + c_q0
                P0 = (3 * y + c_p1) * y + c_p0
                yh = y + c_h
                root = _sqrt(Q0 * Q0 - 64 * c_A2 * (y * yh) ** 2)
                return _to_mpf(1 / yh + (P0 - Q0 / yh) / root - 3 / (y + c_sigma))

        scales = sorted({v for v in (f, h, R, Dd, t, sigma, R + Dd) if v > 0})
        # every gap contains h_phi: no structure far below it (a tiny spin-orbit field would add hundreds of
        # empty decades); the quadrature's own error estimate is still checked below
        lo, hi = max(scales[0], f / 1000), scales[-1]
        points = [zero]
        x = lo
        while x < hi * 10:
            points.append(x)
            x *= 10
        # branch points of the square root near the positive axis (soft modes at finite q, e.g. the spin helix):
        # break the interval there, where tanh-sinh clusters its nodes
        amp = mpmath.sqrt(A2)
        for sgn in ((1, -1) if A2 > 0 else ()):
            c2, c1, c0, _, _ = _zero_field_coefficients(f, R, Dd, t, sgn * amp)
            try:
                roots = _cubic_roots_mp(c2, c1, c0, mpmath.mp.dps)
            except mpmath.libmp.libhyper.NoConvergence:  # breakpoints only help the quadrature; go without
                roots = []
            for z in roots:
                zr, zi = mpmath.re(z), abs(mpmath.im(z))
                points.extend(v for v in (zr - zi, zr, zr + zi) if v > 0)
        points = sorted(set(points)) + [mpmath.inf]
        val, err = mpmath.quad(avg_T, points, error=True, maxdegree=10)
        val -= 3 * mpmath.log(sigma)
        if not err < mpmath.mpf(10) ** (-dps) * max(1, abs(val)):
            raise ValueError("dps: the zero-field integral did not reach the requested precision "
                             f"(quadrature error {mpmath.nstr(err, 3)}); B_phi is too small compared with the "
                             "spin-orbit fields")
    with mpmath.workdps(dps):
        return +val, +err + abs(val) * mpmath.mpf(10) ** (-dps - 5)


# ----------------------------------------------------------------------------- general case: blocks
@no_strings
def sector_blocks_numeric(sector: int, b_phi, r, d, b_3):
    r"""Series blocks ``(E, Ft, U, om, wt)`` of one parity sector (arrays ``(F, 3, 3)``), polynomial gauge,
    :math:`\kappa = k + s`, :math:`s = (1+b_\phi)/2` — the derived blocks of
    :func:`mesocorr.symbolic.ilp.sector_series_blocks` written out (compared in the tests).

    Sector 0 (states :math:`(2k,0),(2k+1,-1),(2k+1,1)`) and sector 1 (:math:`(2k,-1),(2k,1),(2k+1,0)`):
    :math:`D(k) = 2kE + D(0)`, coupling :math:`U` to block :math:`k+1`, :math:`W(k) = (2k+2)\,\omega` back.
    """
    b_phi, r, d, b_3 = np.broadcast_arrays(*(np.atleast_1d(np.asarray(v, float)) for v in (b_phi, r, d, b_3)))
    F = b_phi.shape[0]
    bso = r * r + d * d + b_3
    c0 = 0.5 + b_phi + 2 * bso
    c1 = 0.5 + b_phi + bso
    s = (1 + b_phi) / 2
    E = np.broadcast_to(np.eye(3), (F, 3, 3)).copy()
    D0 = np.zeros((F, 3, 3))
    U = np.zeros((F, 3, 3))
    om = np.zeros((F, 3, 3))
    sr, sd, x = _SQ2 * r, _SQ2 * d, -2 * d * r
    if sector == 0:
        E[:, 1, 0], E[:, 2, 0] = -sr, sd
        D0[:, 0, 0], D0[:, 1, 1], D0[:, 2, 2] = c0, 1 + c1, 1 + c1
        D0[:, 0, 1], D0[:, 0, 2], D0[:, 1, 0], D0[:, 2, 0] = -sr, sd, -sr, sd
        D0[:, 1, 2] = D0[:, 2, 1] = x
        U[:, 1, 0], U[:, 2, 0] = sd, -sr
        om[:, 0, 1], om[:, 0, 2] = sd, -sr
    else:
        E[:, 2, 0], E[:, 2, 1] = sd, -sr
        D0[:, 0, 0], D0[:, 1, 1], D0[:, 2, 2] = c1, c1, 1 + c0
        D0[:, 0, 2], D0[:, 1, 2], D0[:, 2, 0], D0[:, 2, 1] = sd, -sr, sd, -sr
        D0[:, 0, 1] = D0[:, 1, 0] = x
        U[:, 2, 0], U[:, 2, 1] = -sr, sd
        om[:, 0, 2], om[:, 1, 2] = -sr, sd
    Ft = D0 - 2 * s[:, None, None] * E
    wt = (2 - 2 * s)[:, None, None] * om
    return E, Ft, U, om, wt


def _inv3(M):
    """Inverse of 3x3 matrices (..., 3, 3) by the adjugate; works for float and object (mpmath) arrays."""
    a, b, c = M[..., 0, 0], M[..., 0, 1], M[..., 0, 2]
    d, e, f = M[..., 1, 0], M[..., 1, 1], M[..., 1, 2]
    g, h, i = M[..., 2, 0], M[..., 2, 1], M[..., 2, 2]
    A, B, C = e * i - f * h, f * g - d * i, d * h - e * g
    det = a * A + b * B + c * C
    out = np.empty(M.shape, dtype=M.dtype)
    out[..., 0, 0], out[..., 1, 0], out[..., 2, 0] = A / det, B / det, C / det
    out[..., 0, 1], out[..., 1, 1], out[..., 2, 1] = (c * h - b * i) / det, (a * i - c * g) / det, (b * g - a * h) / det
    out[..., 0, 2], out[..., 1, 2], out[..., 2, 2] = (b * f - c * e) / det, (c * d - a * f) / det, (a * e - b * d) / det
    return out


def _binomial_table(p: int) -> np.ndarray:
    """c[j, i] = coefficient of x^i in (1 + x)^(-j) (float)."""
    c = np.zeros((p, p))
    c[0, 0] = 1.0
    for j in range(1, p):
        v = 1.0
        for i in range(p):
            c[j, i] = v * (-1) ** i
            v = v * (j + i) / (i + 1)
    return c


@no_strings
def series_coefficients(b_phi, r, d, b_3, order: int = 24):
    r"""Large-level expansion coefficients (float64, vectorised over fields), scaled by :math:`\lambda = 1+b_{SO}`.

    Returns ``(g, R, lam)``: ``g[:, j]`` = :math:`g_j\lambda^{-j}` of the block-pair trace
    :math:`\tau = \sum_j g_j\kappa^{-j}` (both sectors), ``R[sector][:, j]`` = :math:`R_j\lambda^{-j}` of the right
    Schur complement (polynomial gauge), ``lam`` = :math:`\lambda`. Same recursion as
    :func:`mesocorr.symbolic.ilp_series.schur_series`, with every series in :math:`t = \lambda/\kappa` (no overflow for
    large :math:`b_{SO}`) and the sums over orders done by ``einsum``.
    """
    b_phi, r, d, b_3 = np.broadcast_arrays(*(np.atleast_1d(np.asarray(v, float)) for v in (b_phi, r, d, b_3)))
    F = b_phi.shape[0]
    lam = 1 + r * r + d * d + b_3
    p = order
    binom = _binomial_table(p)
    blocks = [sector_blocks_numeric(sec, b_phi, r, d, b_3) for sec in (0, 1)]
    E, Ft, U, om, wt = (np.concatenate([blk[i] for blk in blocks]) for i in range(5))
    L2 = np.concatenate([lam, lam])[:, None, None]  # (2F, 1, 1)
    inv_lam = 1 / np.concatenate([lam, lam])
    Ei = _inv3(E)
    # shift factors (sigma/lam)^i for sigma = +1 (R) and -1 (L): coefficient matrix [ell, j] per field
    powers = inv_lam[None, :] ** np.arange(p)[:, None]  # (p, 2F)

    def shifted(C, ell, sign):
        # coefficient ell of C(kappa + sign) in t: sum_j C_j binom(-j, ell-j) (sign/lam)^(ell-j)
        j = np.arange(ell + 1)
        coef = binom[j, ell - j][:, None] * (float(sign) ** (ell - j))[:, None] * powers[ell - j]  # (ell+1, 2F)
        return np.sum(coef[:, :, None, None] * C[: ell + 1], axis=0)

    def inverse_step(Y, Z, ell):
        acc = np.sum(np.matmul(Y[1: ell + 1], Z[ell - 1:: -1][:ell]), axis=0)
        return -Ei @ acc

    R = np.zeros((p, 2 * F, 3, 3))
    L = np.zeros((p, 2 * F, 3, 3))
    ZR = np.zeros((p, 2 * F, 3, 3))
    ZL = np.zeros((p, 2 * F, 3, 3))
    YR = np.zeros((p, 2 * F, 3, 3))
    YL = np.zeros((p, 2 * F, 3, 3))
    ZR[0] = ZL[0] = Ei
    R[0] = U @ Ei @ om
    L[0] = om @ Ei @ U
    for ell in range(1, p):
        YR[ell] = ((2 * E + Ft - R[0]) if ell == 1 else -shifted(R, ell - 1, +1)) / (2 * L2)
        YL[ell] = ((Ft - 2 * E - L[0]) if ell == 1 else -shifted(L, ell - 1, -1)) / (2 * L2)
        ZR[ell] = inverse_step(YR, ZR, ell)
        ZL[ell] = inverse_step(YL, ZL, ell)
        R[ell] = U @ (ZR[ell] @ om + ZR[ell - 1] @ wt / (2 * L2))
        L[ell] = (om @ ZL[ell] + (wt - 2 * om) @ ZL[ell - 1] / (2 * L2)) @ U
    YG = np.zeros((p, 2 * F, 3, 3))
    ZG = np.zeros((p, 2 * F, 3, 3))
    ZG[0] = Ei
    YG[1] = (Ft - L[0] - R[0]) / (2 * L2)
    YG[2:] = -(L[1: p - 1] + R[1: p - 1]) / (2 * L2)
    for ell in range(1, p):
        ZG[ell] = inverse_step(YG, ZG, ell)
    tr = np.trace(ZG, axis1=-2, axis2=-1) / (2 * np.concatenate([lam, lam])[None, :])  # (p, 2F): g_{ell+1}
    g = np.zeros((F, p + 1))
    g[:, 1:] = (tr[:, :F] + tr[:, F:]).T
    return g, (R[:, :F].transpose(1, 0, 2, 3), R[:, F:].transpose(1, 0, 2, 3)), lam


# ----------------------------------------------------------------------------- general case: finite part
def _band_segments(b_phi, r, d, b_3, k0, Rsym):
    """Banded storage (LAPACK gb, kl = ku = 2, 7 rows) of the real-symmetric Landau-level operator of every
    (field, sector) segment: blocks k < k0[f], last block closed by ``-Rsym[sector][f]`` (the right Schur
    complement of the blocks beyond). Returns ``(ab, seg_index)`` with ``seg_index[row]`` = field."""
    F = len(k0)
    counts = 3 * k0
    parts_diag, parts_s1, parts_s2, owners = [], [], [], []
    for sec in (0, 1):
        reps = np.repeat(np.arange(F), k0)
        k = np.arange(int(k0.sum())) - np.repeat(np.cumsum(k0) - k0, k0)  # block index within segment
        bp, rr, dd, b3 = b_phi[reps], r[reps], d[reps], b_3[reps]
        bso = rr * rr + dd * dd + b3
        c0, c1 = 0.5 + bp + 2 * bso, 0.5 + bp + bso
        up1 = np.sqrt(2 * (2 * k + 1.0))  # level 2k -> 2k+1
        up2 = np.sqrt(2 * (2 * k + 2.0))  # level 2k+1 -> 2k+2
        last = k == np.repeat(k0 - 1, k0)
        diag = np.empty((k.size, 3))
        s1 = np.zeros((k.size, 3))
        s2 = np.zeros((k.size, 3))
        x = -2 * dd * rr
        if sec == 0:  # (2k,0), (2k+1,-1), (2k+1,1)
            diag[:, 0], diag[:, 1], diag[:, 2] = 2 * k + c0, 2 * k + 1 + c1, 2 * k + 1 + c1
            s1[:, 0], s2[:, 0] = -rr * up1, dd * up1
            s1[:, 1] = x
            s2[:, 1] = np.where(last, 0.0, dd * up2)
            s1[:, 2] = np.where(last, 0.0, -rr * up2)
        else:  # (2k,-1), (2k,1), (2k+1,0)
            diag[:, 0], diag[:, 1], diag[:, 2] = 2 * k + c1, 2 * k + c1, 2 * k + 1 + c0
            s1[:, 0], s2[:, 0] = x, dd * up1
            s1[:, 1] = -rr * up1
            s1[:, 2] = np.where(last, 0.0, -rr * up2)
            s2[:, 2] = np.where(last, 0.0, dd * up2)
        # close the last block with -R (symmetric frame)
        li = np.flatnonzero(last)
        Rb = Rsym[sec]
        diag[li, 0] -= Rb[:, 0, 0]
        diag[li, 1] -= Rb[:, 1, 1]
        diag[li, 2] -= Rb[:, 2, 2]
        s1[li, 0] -= Rb[:, 1, 0]
        s1[li, 1] -= Rb[:, 2, 1]
        s2[li, 0] -= Rb[:, 2, 0]
        parts_diag.append(diag.reshape(-1))
        parts_s1.append(s1.reshape(-1))
        parts_s2.append(s2.reshape(-1))
        owners.append(np.repeat(np.arange(F), counts))
    diag = np.concatenate(parts_diag)
    s1 = np.concatenate(parts_s1)
    s2 = np.concatenate(parts_s2)
    n = diag.size
    ab = np.zeros((7, n), complex)
    ab[4] = diag + 1j * _STEP
    ab[5, :-1] = s1[:-1]
    ab[6, :-2] = s2[:-2]
    ab[3, 1:] = s1[:-1]
    ab[2, 2:] = s2[:-2]
    return ab, np.concatenate(owners)


def _to_symmetric_frame(Rp, sector, k):
    """Right Schur complement of block k: polynomial gauge -> real-symmetric gauge (factors sqrt(2k+1)), symmetrised."""
    f = np.sqrt(2 * k + 1.0)[:, None, None]
    out = Rp.copy()
    if sector == 0:  # levels (2k, 2k+1, 2k+1)
        out[:, 0, 1:] = Rp[:, 0, 1:] * f[:, 0]
        out[:, 1:, 0] = Rp[:, 1:, 0] / f[:, 0]
    else:  # levels (2k, 2k, 2k+1)
        out[:, :2, 2] = Rp[:, :2, 2] * f[:, 0]
        out[:, 2, :2] = Rp[:, 2, :2] / f[:, 0]
    asym = np.max(np.abs(out - out.transpose(0, 2, 1)), axis=(1, 2))
    return (out + out.transpose(0, 2, 1)) / 2, asym


def _finite_traces(b_phi, r, d, b_3, k0, Rsym):
    """Trace of the inverse over blocks k < k0 of both sectors, per field: complex-step log-det derivative of the
    banded matrix (LAPACK zgbtrf), all fields in one call. Returns ``(trace, sum of |terms|)``."""
    from scipy.linalg.lapack import zgbtrf

    ab, owner = _band_segments(b_phi, r, d, b_3, k0, Rsym)
    lu, _piv, info = zgbtrf(ab, 2, 2, overwrite_ab=1)
    if info != 0:  # pragma: no cover - the operator is positive definite
        raise ArithmeticError(f"banded LU failed (info {info})")
    u = lu[4]
    terms = u.imag / (u.real * _STEP)
    F = len(k0)
    return np.bincount(owner, weights=terms, minlength=F), np.bincount(owner, weights=np.abs(terms), minlength=F)


def _choose_k0(g, lam, s, ratio):
    """Start block of the tail: kappa_0 = k0 + s >= rho / ratio, rho from the growth of the scaled g_j."""
    p = g.shape[1] - 1
    js = np.arange(p // 2, p + 1)
    with np.errstate(divide="ignore"):
        growth = np.max((np.abs(g[:, js]) / 3) ** (1 / (js - 1)), axis=1)
    rho = lam * growth
    kappa0 = np.maximum(rho / ratio, _K_MIN + s)
    return np.ceil(kappa0 - s).astype(np.int64), rho


def _tier_ratio(p: int) -> float:
    """rho/kappa_0 for which p terms of the tail expansion reach ~1e-17."""
    return 10.0 ** (-17.0 / p)


@no_strings
def general_sum(b_phi, r, d, b_3, max_rows: int = MAX_ROWS, work: float = 1.0):
    r""":math:`S = \lim_N[\sum_{n<N}t_n - 3\ln N]` for Rashba and Dresselhaus together (float64, vectorised).

    .. math:: S = \sum_{k<k_0}\tau_k - 3\psi(\kappa_0) - 3\ln 2 + \sum_{j\ge2} g_j\,\zeta(j,\kappa_0),
              \qquad \kappa_0 = k_0 + \tfrac{1+b_\phi}2,

    :math:`\tau_k` the exact trace over block pair :math:`k` (levels :math:`2k, 2k+1`, both sectors),
    :math:`g_j` the large-level expansion (:func:`series_coefficients`; :math:`g_1 = 3`), :math:`\zeta` the Hurwitz
    zeta function. The finite part is closed at block :math:`k_0` by the expanded right Schur complement, so it
    is exact up to the expansion's truncation. ``r``, ``d`` = :math:`\sqrt{H_R/B}`, :math:`\sqrt{H_D/B}`.

    Work: per field, :math:`p \in \{16, 24, 32, 48\}` terms and :math:`\kappa_0 = \rho/q_p`
    (:math:`q_p = 10^{-17/p}`, :math:`\rho` = growth rate of the :math:`g_j`), whichever is cheapest.
    ``work`` > 1 multiplies :math:`\kappa_0` (the tests use ``work=2``: twice the work).

    Returns ``(S, error_estimate, k0)``. Raises ``ValueError`` (naming ``B``) if a field needs more than
    ``max_rows`` matrix rows (checked before the banded factorisation).
    """
    b_phi, r, d, b_3 = np.broadcast_arrays(*(np.atleast_1d(np.asarray(v, float)) for v in (b_phi, r, d, b_3)))
    r, d = np.abs(r), np.abs(d)
    F = b_phi.size
    s = (1 + b_phi) / 2
    tiers = (16, 24, 32, 48)
    g0, R0, lam = series_coefficients(b_phi, r, d, b_3, tiers[0])
    _, rho = _choose_k0(g0, lam, s, 1.0)
    rho = np.maximum(rho, 1.0)
    cost = np.stack([0.7 * p * p + 2.1 * rho / _tier_ratio(p) for p in tiers])
    tier = np.argmin(cost, axis=0)
    S = np.zeros(F)
    err = np.zeros(F)
    k0 = np.zeros(F, np.int64)
    Rsym = {0: np.zeros((F, 3, 3)), 1: np.zeros((F, 3, 3))}
    for t_index, p in enumerate(tiers):
        sel = np.flatnonzero(tier == t_index)
        if sel.size == 0:
            continue
        q = _tier_ratio(p)
        if p == tiers[0]:
            g, Rc, lam_s = g0[sel], (R0[0][sel], R0[1][sel]), lam[sel]
        else:
            g, Rc, lam_s = series_coefficients(b_phi[sel], r[sel], d[sel], b_3[sel], p)
        ks, _ = _choose_k0(g, lam_s, s[sel], q / work)
        kappa0 = ks + s[sel]
        j = np.arange(2, p + 1)
        kz = zeta(j[None, :], kappa0[:, None]) * np.exp(j[None, :] * np.log(kappa0)[:, None])
        terms = g[:, 2:] * np.exp(j[None, :] * np.log(lam_s / kappa0)[:, None]) * kz
        tail = -3 * psi(kappa0) - 3 * math.log(2) + np.sum(terms, axis=1)
        tail_err = 4 * (np.abs(terms[:, -1]) + np.abs(terms[:, -2])) / (1 - q)
        kb = kappa0 - 1
        pw = (lam_s / kb)[:, None] ** np.arange(p)[None, :]
        berr = np.zeros(sel.size)
        for sec in (0, 1):
            Rp = np.einsum("fj,fjab->fab", pw, Rc[sec])
            Rs, asym = _to_symmetric_frame(Rp, sec, ks - 1)
            Rsym[sec][sel] = Rs
            last = np.max(np.abs(Rc[sec][:, -1]), axis=(1, 2)) * pw[:, -1] * np.sqrt(2 * ks + 1.0)
            berr += (last / (1 - q) + asym) * 3 / (2 * kb) ** 2
        k0[sel] = ks
        S[sel] = tail
        err[sel] = tail_err + berr + 64 * _EPS * (np.abs(tail) + np.sum(np.abs(terms), axis=1) + 3 * np.abs(psi(kappa0)))
    rows = 6 * k0
    if np.any(rows > max_rows):
        worst = int(np.argmax(rows))
        raise ValueError(f"B: the field is too small compared with the spin-orbit fields (H_SO/B = "
                         f"{float(r[worst]**2 + d[worst]**2 + b_3[worst]):.3g}): the Landau-level sum needs "
                         f"{int(rows[worst])} matrix rows, more than the cap of {max_rows}")
    # banded LU in chunks of at most _CHUNK_ROWS rows (memory: 112 bytes per row)
    ends = np.cumsum(rows)
    start = 0
    while start < F:
        stop = max(start + 1, int(np.searchsorted(ends, ends[start] - rows[start] + _CHUNK_ROWS, side="right")))
        sl = slice(start, stop)
        fin, fin_abs = _finite_traces(b_phi[sl], r[sl], d[sl], b_3[sl], k0[sl], (Rsym[0][sl], Rsym[1][sl]))
        S[sl] += fin
        err[sl] += 64 * _EPS * fin_abs
        start = stop
    return S, err, k0


# ----------------------------------------------------------------------------- per-block traces (selected inversion)
@no_strings
def block_traces(blocks, K: int, boundary=None):
    r"""Exact traces :math:`\tau_k = \mathrm{tr}\,G_{kk}` of one sector for blocks :math:`k < K` by block-tridiagonal
    selected inversion (polynomial gauge; the diagonal of the inverse is gauge independent).

    ``blocks`` = ``(E, Ft, U, om, wt, s)`` with arrays ``(F, 3, 3)`` (float or object/mpmath) and the shift ``s``
    ``(F,)``; ``boundary`` = the right Schur complement of the blocks :math:`\ge K` acting on block
    :math:`K-1` (``None``: zero, i.e. the matrix truncated after block :math:`K-1`). Backward sweep
    :math:`R_k = U[D_{k+1}-R_{k+1}]^{-1}W_k`, forward sweep :math:`L_{k+1} = W_k[D_k-L_k]^{-1}U`,
    :math:`G_{kk} = [D_k-L_k-R_k]^{-1}`. Returns an array ``(F, K)``.
    """
    E, Ft, U, om, wt, s = blocks
    D0 = Ft + 2 * s[:, None, None] * E
    W0 = wt + 2 * s[:, None, None] * om  # W(k) = (2k + 2) om  <=>  W(0) = 2 om

    def D(k):
        return 2 * k * E + D0

    def W(k):
        return 2 * k * om + W0

    Rs = [None] * K
    Rs[K - 1] = 0 * E if boundary is None else boundary
    for k in range(K - 2, -1, -1):
        Rs[k] = U @ _inv3(D(k + 1) - Rs[k + 1]) @ W(k)
    out = np.empty((E.shape[0], K), dtype=E.dtype)
    Lk = 0 * E
    for k in range(K):
        G = _inv3(D(k) - Lk - Rs[k])
        out[:, k] = G[:, 0, 0] + G[:, 1, 1] + G[:, 2, 2]
        Lk = W(k) @ _inv3(D(k) - Lk) @ U
    return out


def _mp_blocks(sector, b_phi, r, d, b_3):
    """:func:`sector_blocks_numeric` with mpmath entries (object arrays, one field)."""
    bp, rr, dd, b3 = (mpmath.mpf(v) for v in (b_phi, r, d, b_3))
    bso = rr * rr + dd * dd + b3
    half = mpmath.mpf(1) / 2
    c0, c1 = half + bp + 2 * bso, half + bp + bso
    s = (1 + bp) / 2
    sq2 = mpmath.sqrt(2)
    sr, sd, x = sq2 * rr, sq2 * dd, -2 * dd * rr
    z = mpmath.mpf(0)
    E = np.array([[1 if i == j else z for j in range(3)] for i in range(3)], dtype=object)
    E = np.vectorize(mpmath.mpf, otypes=[object])(E)
    D0 = np.full((3, 3), z, dtype=object)
    U = np.full((3, 3), z, dtype=object)
    om = np.full((3, 3), z, dtype=object)
    if sector == 0:
        E[1, 0], E[2, 0] = -sr, sd
        D0[0, 0], D0[1, 1], D0[2, 2] = c0, 1 + c1, 1 + c1
        D0[0, 1], D0[0, 2], D0[1, 0], D0[2, 0] = -sr, sd, -sr, sd
        D0[1, 2] = D0[2, 1] = x
        U[1, 0], U[2, 0] = sd, -sr
        om[0, 1], om[0, 2] = sd, -sr
    else:
        E[2, 0], E[2, 1] = sd, -sr
        D0[0, 0], D0[1, 1], D0[2, 2] = c1, c1, 1 + c0
        D0[0, 2], D0[1, 2], D0[2, 0], D0[2, 1] = sd, -sr, sd, -sr
        D0[0, 1] = D0[1, 0] = x
        U[2, 0], U[2, 1] = -sr, sd
        om[0, 2], om[1, 2] = -sr, sd
    Ft = D0 - 2 * s * E
    wt = (2 - 2 * s) * om
    return tuple(a[None] for a in (E, Ft, U, om, wt)) + (np.array([s], dtype=object),)


class Mat3:
    r"""A 3x3 matrix of scalars (``mpf``) as nested lists, for the one-field mpmath path: the same operations as a
    numpy object array of shape ``(3, 3)`` (``+``, ``-``, ``@``, scalar ``*`` and ``/``) in the same order of
    rounding, without numpy's per-element dispatch. ``@`` skips the products with an exact zero in either factor
    (adding an exact zero does not round), so products with the sparse couplings :math:`U`, :math:`\omega` and
    the sparse series coefficients cost a fraction of a dense product; the results are the object-array ones bit
    for bit (tests/test_ilp_speed.py)."""

    __slots__ = ("rows",)
    __array_priority__ = 1000  # numpy scalars on the left defer to Mat3

    def __init__(self, rows):
        self.rows = [list(r) for r in rows]

    @classmethod
    def from_array(cls, a):
        """From an array ``(3, 3)`` or ``(1, 3, 3)`` (object or float)."""
        a = np.asarray(a, dtype=object)
        return cls(a.reshape(3, 3).tolist())

    def to_array(self):
        """The object array ``(3, 3)``."""
        return np.array(self.rows, dtype=object)

    # an exact zero operand is skipped: x + 0, x - 0, 0 * c are exact (all entries are already rounded to the
    # working precision), so the bits are those of the dense operation
    def __add__(self, o):
        return Mat3([[(x + y if x else y) if y else x for x, y in zip(r, q)] for r, q in zip(self.rows, o.rows)])

    def __sub__(self, o):
        return Mat3([[(x - y if x else -y) if y else x for x, y in zip(r, q)] for r, q in zip(self.rows, o.rows)])

    def __neg__(self):
        return Mat3([[-x for x in r] for r in self.rows])

    def __mul__(self, c):
        return Mat3([[x * c if x else x for x in r] for r in self.rows])

    def __rmul__(self, c):
        return Mat3([[c * x if x else x for x in r] for r in self.rows])

    def __truediv__(self, c):
        return Mat3([[x / c for x in r] for r in self.rows])

    def __matmul__(self, o):
        B = o.rows
        live = [k for k in range(3) if any(B[k])]
        out = []
        for r in self.rows:
            acc = [0, 0, 0]
            first = True
            for k in live:
                a = r[k]
                if not a:
                    continue
                b0, b1, b2 = B[k]
                if first:
                    acc = [a * b0 if b0 else 0, a * b1 if b1 else 0, a * b2 if b2 else 0]
                    first = False
                else:
                    acc = [acc[0] + a * b0 if b0 else acc[0], acc[1] + a * b1 if b1 else acc[1],
                           acc[2] + a * b2 if b2 else acc[2]]
            out.append(acc)
        return Mat3(out)

    def trace(self):
        M = self.rows
        return M[0][0] + M[1][1] + M[2][2]

    def flat(self):
        return [x for r in self.rows for x in r]

    def inv(self):
        """Inverse by the adjugate (the formulas and order of :func:`_inv3`)."""
        (a, b, c), (d, e, f), (g, h, i) = self.rows
        A, B, C = e * i - f * h, f * g - d * i, d * h - e * g
        det = a * A + b * B + c * C
        return Mat3([[A / det, (c * h - b * i) / det, (b * f - c * e) / det],
                     [B / det, (a * i - c * g) / det, (c * d - a * f) / det],
                     [C / det, (b * g - a * h) / det, (a * e - b * d) / det]])

    def inverse_trace(self):
        """``self.inv().trace()`` from the three diagonal entries of the inverse only (same formulas)."""
        (a, b, c), (d, e, f), (g, h, i) = self.rows
        A, B, C = e * i - f * h, f * g - d * i, d * h - e * g
        det = a * A + b * B + c * C
        return A / det + (a * i - c * g) / det + (a * e - b * d) / det

    def sandwich(self, X, right):
        """``self @ X.inv() @ right``, computing only the entries of the inverse that the sparse outer factors
        use (the same formulas and order of operations as the full products, so the same bits)."""
        (a, b, c), (d, e, f), (g, h, i) = X.rows
        A, B, C = e * i - f * h, f * g - d * i, d * h - e * g
        det = a * A + b * B + c * C
        cof = ((lambda: A, lambda: c * h - b * i, lambda: b * f - c * e),
               (lambda: B, lambda: a * i - c * g, lambda: c * d - a * f),
               (lambda: C, lambda: b * g - a * h, lambda: a * e - b * d))
        Rr = right.rows
        live = [k for k in range(3) if any(Rr[k])]
        cols = [k for k in range(3) if any(r[k] for r in self.rows)]
        inv = [[None] * 3 for _ in range(3)]
        for k in cols:
            for j in live:
                inv[k][j] = cof[k][j]() / det
        left = []
        for r in self.rows:  # (self @ X^-1) restricted to the columns ``live``, as Mat3.__matmul__ sums them
            acc = [0, 0, 0]
            first = True
            for k in range(3):
                x = r[k]
                if not x:
                    continue
                row = inv[k]
                if first:
                    acc = [x * row[j] if j in live else 0 for j in range(3)]
                    first = False
                else:
                    acc = [acc[j] + x * row[j] if j in live else 0 for j in range(3)]
            left.append(acc)
        return Mat3(left) @ right



# ----------------------------------------------------------------------------- mpmath path: the scalar type
_MPFR = type(gmpy2.mpfr(0))


def _mpfr_context():
    """A gmpy2 context with mpmath's current working precision and round-to-nearest (mpmath's rounding): MPFR's
    ``+ - * /`` are correctly rounded like mpmath's, so a computation gives the same bits in either type at
    several times the speed (tests/test_ilp_speed.py compares the two routes bit for bit). Division by zero and
    invalid operations raise (mpmath raises where MPFR would return inf/nan)."""
    return gmpy2.context(precision=mpmath.mp.prec, round=gmpy2.RoundToNearest, trap_divzero=True,
                         trap_invalid=True, trap_overflow=True, trap_underflow=True)


def _sqrt(x):
    """Square root of an mpf or mpfr (correctly rounded in both)."""
    return gmpy2.sqrt(x) if isinstance(x, _MPFR) else mpmath.sqrt(x)


def _to_mpfr(x):
    """An ``mpf`` as an exactly equal ``mpfr`` (mantissa and binary exponent copied; call inside
    :func:`_mpfr_context` at a precision at least the number's); other numbers unchanged."""
    if not isinstance(x, mpmath.mpf):
        return x
    sign, man, exp, bc = x._mpf_
    if not man:
        if exp:  # pragma: no cover - inf/nan never enter the blocks
            raise ArithmeticError("non-finite matrix entry")
        return gmpy2.mpfr(0)
    if bc > gmpy2.get_context().precision:  # pragma: no cover - callers convert inside _mpfr_context()
        raise ArithmeticError("mpf -> mpfr: the MPFR context is less precise than the number")
    value = gmpy2.mul_2exp(gmpy2.mpfr(man), exp)
    return -value if sign else value


def _to_mpf(x):
    """An ``mpfr`` as an exactly equal ``mpf`` (at a working precision at least the context's); ints as mpf."""
    if isinstance(x, _MPFR):
        man, exp = x.as_mantissa_exp()
        return mpmath.mpf((man, exp))
    return mpmath.mpf(x)


def _mat3_map(M, f):
    return Mat3([[f(x) for x in r] for r in M.rows])


def block_traces_mp(blocks, K: int, boundary=None) -> list:
    r""":func:`block_traces` for one field on :class:`Mat3` blocks ``(E, Ft, U, om, wt, s)`` (``s`` a scalar;
    ``boundary`` a :class:`Mat3` or ``None``): the same sweeps in the same order of operations, so the traces
    equal the object-array ones exactly; returns the list of the ``K`` traces."""
    E, Ft, U, om, wt, s = blocks
    D0 = Ft + 2 * s * E
    W0 = wt + 2 * s * om
    Ds = [2 * k * E + D0 for k in range(K)]
    Ws = [2 * k * om + W0 for k in range(K)]
    zero = 0 * E
    Rs = [None] * K
    Rs[K - 1] = zero if boundary is None else boundary
    for k in range(K - 2, -1, -1):
        Rs[k] = U.sandwich(Ds[k + 1] - Rs[k + 1], Ws[k])
    out = []
    Lk = zero
    for k in range(K):
        out.append((Ds[k] - Lk - Rs[k]).inverse_trace())
        Lk = Ws[k].sandwich(Ds[k] - Lk, U)
    return out


@no_strings
def general_sum_mp(b_phi, r, d, b_3, dps: int, order: int | None = None, work: float = 1.0):
    r""":func:`general_sum` in mpmath at ``dps`` digits (one field): the same expansion
    (:func:`mesocorr.symbolic.ilp_series.schur_series` on mpmath object arrays, ``order`` terms, :math:`\kappa_0`
    with :math:`(\rho/\kappa_0)^{order} \approx 10^{-dps-8}`), the finite part by :func:`block_traces` closed with
    the expanded right Schur complement. ``order`` (default: the cheapest of 16..48 for the growth rate
    :math:`\rho` estimated in float64). Returns ``(S, error_estimate, k0)``."""

    if order is None:
        g16, _, lam = series_coefficients(float(b_phi), float(r), float(d), float(b_3), 16)
        _, rho16 = _choose_k0(g16, lam, np.atleast_1d((1 + float(b_phi)) / 2), 1.0)
        rho16 = max(float(rho16[0]), 1.0)
        # cost model (mpmath, measured at 45 digits): series ~ p^2, finite part ~ 4.2 per block
        order = min((16, 20, 24, 28, 32, 40, 48), key=lambda p: p * p + 4.2 * work * rho16 * 10 ** ((dps + 8) / p))
    with mpmath.workdps(dps + 12):
        blocks = [_mp_blocks(sec, b_phi, r, d, b_3) for sec in (0, 1)]
        s = blocks[0][5][0]
        # the matrix arithmetic in MPFR at mpmath's precision: the same correctly rounded operations, same bits
        with _mpfr_context():
            fast = [tuple(_mat3_map(Mat3.from_array(a), _to_mpfr) for a in blk[:5]) + (_to_mpfr(blk[5][0]),)
                    for blk in blocks]
            series = [schur_series(*blk[:5], order, Mat3.inv) for blk in fast]
            g = [series[0]["g"][j] + series[1]["g"][j] for j in range(order)]
        g = [_to_mpf(x) for x in g]
        js = range(order // 2, order)
        rho = max(max(abs(g[j]) / 3, mpmath.mpf(10) ** (-dps)) ** (mpmath.mpf(1) / (j - 1)) for j in js)
        q = mpmath.mpf(10) ** (-mpmath.mpf(dps + 8) / order)
        kappa0 = max(work * rho / q, _K_MIN + s)
        k0 = int(mpmath.ceil(kappa0 - s))
        if 6 * k0 > MAX_ROWS_MP:
            raise ValueError(f"B: the field is too small compared with the spin-orbit fields for the mpmath path "
                             f"({6 * k0} matrix rows > the cap of {MAX_ROWS_MP}); use the float64 path")
        kappa0 = k0 + s
        terms = [g[j] * mpmath.zeta(j, kappa0) for j in range(2, order)]
        tail = -3 * mpmath.digamma(kappa0) - 3 * mpmath.log(2) + mpmath.fsum(terms)
        err = 4 * (abs(terms[-1]) + abs(terms[-2])) / (1 - q)
        kb = kappa0 - 1
        total = tail
        for sec, blk in enumerate(fast):
            Rc = series[sec]["R"]
            with _mpfr_context():
                powers = [_to_mpfr(kb ** (-j)) for j in range(order)]
                Rb = 0 * blk[0]
                for j in range(order):
                    Rb = Rb + Rc[j] * powers[j]
                traces = block_traces_mp(blk, k0, boundary=Rb)
            last = max(abs(_to_mpf(x)) for x in Rc[-1].flat()) * kb ** (-(order - 1))
            err += last / (1 - q) * 3 / (2 * kb) ** 2
            total += mpmath.fsum(_to_mpf(x) for x in traces)
        err += (abs(total) + 3 * abs(mpmath.log(kappa0))) * mpmath.mpf(10) ** (-(dps + 8))
    with mpmath.workdps(dps):
        return +total, +err, k0
