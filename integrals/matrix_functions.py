r"""Observables of a pair-space gap operator: :math:`\mathrm{Tr}[W f(H)]`, by eigenvalues or by the resolvent.

The engine (:mod:`mesocorr.diagrams.pair_kernel`) gives a gap operator :math:`H` (complex, in general
non-Hermitian) and a weight operator :math:`W`; every observable of this package is a weighted spectral sum

.. math:: \mathrm{Tr}[W f(H)] = \sum_c w_c f(\Gamma_c),\qquad w_c = (V^{-1}WV)_{cc} = \frac{\ell_c^TWr_c}{\ell_c^Tr_c},

with :math:`f` an analytic function of the gap (the Landau-level sum, the :math:`q` integral, ...).
Two routes:

* **eigen route** (:func:`eigen_channels`, :func:`eigen_channels_mp`): gaps and weights from right and
  left eigenvectors. Fails at an exceptional point (EP): two gaps coalesce, :math:`H` is defective, the
  weights diverge as :math:`1/(\Gamma_1-\Gamma_2)` and cancel in the sum.
* **resolvent route**: no eigenvectors. :func:`resolvent_trace` is :math:`\mathrm{Tr}[W(H+x)^{-1}]` (one
  Landau level or mode). :func:`spectral_trace` evaluates :math:`\mathrm{Tr}[Wf(H)]` with eigenvalues only
  (they are continuous through an EP): isolated eigenvalues with their (well-conditioned) projector
  weights, every *cluster* of eigenvalues closer than ``cluster_tol`` by the Cauchy integral
  :math:`\frac1{2\pi i}\oint f(z)\,\mathrm{Tr}[W(z-H)^{-1}]\,dz` on a circle around the cluster
  (trapezoidal rule, geometric convergence; radius a quarter of the distance to the rest of the spectrum
  and to the singularities of :math:`f` when the cluster is tight; the circle must avoid the singularities of :math:`f` —
  by default :math:`f` is assumed analytic off :math:`(-\infty, 0]`, true for every function used here
  when :math:`\mathrm{Re}\,\Gamma > 0`). The result is continuous through the EP.

Vectorised 2x2 blocks (the Zeeman blocks of spin ½): :func:`sylvester_2x2` uses
:math:`f(M) = \tfrac12(f(\lambda_+)+f(\lambda_-))\,1 + f[\lambda_-,\lambda_+](M-\mu)` (exact for 2x2,
:math:`\mu` the mean eigenvalue), with the divided difference by a contour where the eigenvalues are
close — no eigenvectors, continuous through the EP. :func:`trace_difference` gives
:math:`\mathrm{Tr}[W(f(H_0+E)-f(H_0))]` without cancellation for small :math:`E` (Daleckii–Krein:
:math:`\sum_{cd}(V_0^{-1}WV_1)_{cd}(V_1^{-1}EV_0)_{dc}\,f[\lambda^1_d,\lambda^0_c]`), with the divided
differences :func:`log_divided_difference`, :func:`sqrt_divided_difference`,
:func:`inv_sqrt_divided_difference` computed without cancellation.

References
----------
.. [Kato] T. Kato, *Perturbation Theory for Linear Operators* (Springer 1966), ch. II (spectral projectors, EPs).
.. [Higham08] N. J. Higham, *Functions of Matrices* (SIAM 2008), ch. 1 (Sylvester, Cauchy integral), 3.2
   (Daleckii–Krein).
.. [TW14] L. N. Trefethen, J. A. C. Weideman, SIAM Rev. 56, 385 (2014) (trapezoidal rule on circles).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import mpmath
import numpy as np

from mesocorr.arguments import sympy_value

__all__ = ["EigenChannels", "to_numpy", "to_mpmath", "eigen_channels", "eigen_channels_mp", "resolvent_trace",
           "resolvent_trace_mp", "spectral_trace", "spectral_trace_mp", "sylvester_2x2", "trace_difference",
           "log1p_complex", "log_divided_difference", "sqrt_divided_difference", "inv_sqrt_divided_difference",
           "eigen_2x2", "eigen_error_scale", "contour_trace_pair"]

_EPS = np.finfo(float).eps


def to_numpy(matrix) -> np.ndarray:
    """A numeric SymPy matrix (or nested sequence) as a complex numpy array."""
    if hasattr(matrix, "tolist"):
        matrix = matrix.tolist()
    if isinstance(matrix, (str, bytes)) or any(isinstance(x, (str, bytes)) for row in matrix for x in row):
        raise TypeError("matrix: expected a numeric matrix, got a string (strings are never parsed)")
    try:
        return np.array([[complex(x) for x in row] for row in matrix], dtype=complex)
    except TypeError:
        raise TypeError("matrix: expected a numeric matrix (substitute every symbol first)") from None


def to_mpmath(matrix) -> mpmath.matrix:
    """A numeric SymPy matrix as an mpmath matrix at the working precision (exact rationals stay exact
    until rounded to the working precision)."""
    import sympy as sp

    if isinstance(matrix, (str, bytes)):
        raise TypeError("matrix: expected a numeric matrix, got a string (strings are never parsed)")
    rows = matrix.tolist() if hasattr(matrix, "tolist") else matrix
    out = mpmath.matrix(len(rows), len(rows[0]))
    for i, row in enumerate(rows):
        for j, x in enumerate(row):
            if not isinstance(x, (int, float, complex)) or isinstance(x, bool):
                x = sympy_value(f"matrix[{i}][{j}]", x)      # never sympify a string: it would run as code
            if isinstance(x, sp.Basic):
                re, im = x.as_real_imag()
                out[i, j] = mpmath.mpc(_mp_real(re), _mp_real(im))
            else:
                out[i, j] = mpmath.mpc(x)
    return out


def _mp_real(x):
    import sympy as sp

    if x.is_Rational:
        return mpmath.mpf(int(x.p)) / int(x.q)
    return mpmath.mpf(sp.N(x, mpmath.mp.dps + 10))


@dataclass(frozen=True)
class EigenChannels:
    """Gaps, weights and eigenvalue condition numbers (``inf`` at an exceptional point) of a gap operator."""

    gaps: object
    weights: object
    condition: object


# ----------------------------------------------------------------------------- eigen route
def eigen_channels(H, W) -> EigenChannels:
    r"""Gaps :math:`\Gamma_c` and weights :math:`w_c = \ell_c^\dagger W r_c/\ell_c^\dagger r_c` (numpy).

    ``condition`` is the eigenvalue condition number :math:`\|\ell\|\|r\|/|\ell^\dagger r|` (1 for a normal
    matrix, :math:`\to\infty` at an exceptional point, where the weights are meaningless).

    A 1x1 matrix (every block of a gap operator without a Zeeman vector) is its own eigendecomposition: gap
    :math:`H_{00}`, eigenvectors 1, weight :math:`W_{00}`, condition 1, without LAPACK (and without importing
    SciPy). LAPACK returns exactly these numbers for :math:`10^{-130} < |H_{00}| < 10^{130}` and, through its
    scaling, a wrong eigenvalue beyond; tests/test_engine.py compares the two routes.
    """
    H = np.asarray(H, dtype=complex)
    W = np.asarray(W, dtype=complex)
    if H.shape == (1, 1) and W.shape == (1, 1) and np.isfinite(H).all():
        return EigenChannels(H[0].copy(), W[0].copy(), np.ones(1))
    from scipy.linalg import eig

    lam, vl, vr = eig(H, left=True, right=True)
    num = np.einsum("ic,ij,jc->c", vl.conj(), W, vr)
    den = np.einsum("ic,ic->c", vl.conj(), vr)
    with np.errstate(divide="ignore", invalid="ignore"):
        weights = num / den
        cond = np.linalg.norm(vl, axis=0) * np.linalg.norm(vr, axis=0) / np.abs(den)
    return EigenChannels(lam, weights, cond)


def eigen_channels_mp(H, W) -> EigenChannels:
    """:func:`eigen_channels` with mpmath at the working precision (``H``, ``W`` mpmath matrices)."""
    E, EL, ER = mpmath.eig(H, left=True, right=True)
    n = H.rows
    weights, cond = [], []
    for c in range(n):
        num = mpmath.fsum(EL[c, i] * W[i, j] * ER[j, c] for i in range(n) for j in range(n))
        den = mpmath.fsum(EL[c, i] * ER[i, c] for i in range(n))
        nl = mpmath.sqrt(mpmath.fsum(abs(EL[c, i]) ** 2 for i in range(n)))
        nr = mpmath.sqrt(mpmath.fsum(abs(ER[i, c]) ** 2 for i in range(n)))
        weights.append(num / den if den != 0 else mpmath.inf)
        cond.append(nl * nr / abs(den) if den != 0 else mpmath.inf)
    return EigenChannels(list(E), weights, cond)


# ----------------------------------------------------------------------------- resolvent route
def resolvent_trace(H, W, x) -> np.ndarray:
    r""":math:`\mathrm{Tr}[W(H+x)^{-1}]` for each shift ``x`` (array), by linear solves (numpy)."""
    H = np.asarray(H, dtype=complex)
    W = np.asarray(W, dtype=complex)
    x = np.asarray(x, dtype=complex)
    n = H.shape[0]
    A = H[None, :, :] + x.reshape(-1)[:, None, None] * np.eye(n)[None]
    sol = np.linalg.solve(A, np.broadcast_to(W, A.shape))       # Tr[(H + x)^-1 W] = Tr[W (H + x)^-1]
    return np.trace(sol, axis1=1, axis2=2).reshape(x.shape)


def resolvent_trace_mp(H, W, x):
    r""":math:`\mathrm{Tr}[W(H+x)^{-1}]` with mpmath at the working precision."""
    n = H.rows
    A = H + x * mpmath.eye(n)
    X = mpmath.inverse(A) * W
    return mpmath.fsum(X[i, i] for i in range(n))


def _clusters(lam, tol):
    n = len(lam)
    parent = list(range(n))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(n):
        for j in range(i + 1, n):
            scale = max(abs(lam[i]), abs(lam[j]))
            if abs(lam[i] - lam[j]) <= tol * scale:
                parent[find(i)] = find(j)
    groups: dict = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def _contour_plan(lam, members, singular_distance, digits: int = 18):
    """Centre, radius and node count of the circle around a cluster (members: indices into lam)."""
    mu = sum(lam[i] for i in members) / len(members)
    rho = max(abs(lam[i] - mu) for i in members)
    others = [abs(lam[i] - mu) for i in range(len(lam)) if i not in members]
    R = min([singular_distance(mu)] + others)
    if not rho < R / 4:
        raise ArithmeticError("cluster_tol: the eigenvalue cluster is not separated from the rest of the "
                              "spectrum (or from the singularities of f); lower cluster_tol")
    # a wide circle keeps the resolvent on it well conditioned (|(z - H)^-1| ~ 1/r^2 near a defective pair)
    r = R / 4 if rho < R / 64 else math.sqrt(max(rho, R * 1e-12) * R)
    ratio = min(r / max(rho, R * 1e-300), R / r)
    nodes = int(min(512 * digits // 18, max(16, math.ceil(digits * math.log(10) / math.log(ratio)))))
    nodes += nodes % 2
    return mu, r, nodes


def _default_singular_distance(mu):
    """Distance from mu to the half line (-inf, 0] (f analytic off it)."""
    return abs(mu) if mu.real >= 0 else abs(mu.imag)


def spectral_trace(H, W, f, cluster_tol: float = 1e-2, singular_distance=None,
                   sharp_error: bool = False) -> tuple[complex, float]:
    r""":math:`\mathrm{Tr}[Wf(H)]` continuous through exceptional points (numpy); returns ``(value, error)``.

    Parameters
    ----------
    H, W : (n, n) arrays
    f : callable
        Vectorised over complex numpy arrays of gaps.
    cluster_tol : float
        Eigenvalues closer than ``cluster_tol`` times their modulus form a cluster, evaluated by the
        Cauchy integral of the resolvent (no eigenvectors).
    singular_distance : callable, optional
        ``mu -> distance from mu to the nearest singularity of f``; default: distance to :math:`(-\infty,0]`.

    The error estimate is the eigenvalue-condition part of the isolated channels plus, for each
    cluster, the difference between the trapezoidal sums on all and on every second node (``sharp_error``:
    twice the nodes, so that the half-node sum is converged too and that difference is a sharp estimate).
    """
    H = np.asarray(H, dtype=complex)
    W = np.asarray(W, dtype=complex)
    dist = singular_distance or _default_singular_distance
    eig = eigen_channels(H, W)
    lam = eig.gaps
    total, error = 0j, 0.0
    for members in _clusters(lam, cluster_tol):
        if len(members) == 1:
            c = members[0]
            term = eig.weights[c] * f(np.array([lam[c]]))[0]
            total += term
            error += 4 * _EPS * abs(term) * max(1.0, float(eig.condition[c]))
            continue
        mu, r, nodes = _contour_plan(lam, members, dist, 36 if sharp_error else 18)
        z = mu + r * np.exp(2j * np.pi * np.arange(nodes) / nodes)
        res = resolvent_trace(-H, W, z)              # Tr[W (z - H)^-1]
        vals = f(z) * (z - mu) * res
        full, half = vals.mean(), vals[::2].mean()
        total += full
        error += abs(full - half) + 8 * _EPS * float(np.abs(vals).max())
    return complex(total), float(error)


def spectral_trace_mp(H, W, f, cluster_tol=None, singular_distance=None):
    r""":func:`spectral_trace` with mpmath at the working precision; ``f`` maps an mpc to an mpc.

    Returns ``(value, error)`` (mpmath numbers). Default ``cluster_tol``: :math:`10^{-\mathrm{dps}/3}`.
    """
    tol = mpmath.mpf(10) ** (-(mpmath.mp.dps // 3)) if cluster_tol is None else mpmath.mpf(cluster_tol)
    dist = singular_distance or (lambda mu: abs(mu) if mpmath.re(mu) >= 0 else abs(mpmath.im(mu)))
    eig = eigen_channels_mp(H, W)
    lam = eig.gaps
    total, error = mpmath.mpc(0), mpmath.mpf(0)
    for members in _clusters(lam, tol):
        if len(members) == 1:
            c = members[0]
            term = eig.weights[c] * f(lam[c])
            total += term
            error += 4 * mpmath.eps * abs(term) * max(1, eig.condition[c])
            continue
        mu = mpmath.fsum(lam[i] for i in members) / len(members)
        rho = max(abs(lam[i] - mu) for i in members)
        others = [abs(lam[i] - mu) for i in range(len(lam)) if i not in members]
        R = min([dist(mu)] + others)
        if not rho < R / 4:
            raise ArithmeticError("cluster_tol: the eigenvalue cluster is not separated; lower cluster_tol")
        r = R / 4 if rho < R / 64 else mpmath.sqrt(max(rho, R * mpmath.eps) * R)
        ratio = min(r / max(rho, R * mpmath.eps), R / r)
        nodes = int(min(4096, max(16, mpmath.ceil((mpmath.mp.dps + 5) * mpmath.log(10) / mpmath.log(ratio)))))
        nodes += nodes % 2
        vals = []
        for k in range(nodes):
            z = mu + r * mpmath.expjpi(mpmath.mpf(2 * k) / nodes)
            vals.append(f(z) * (z - mu) * resolvent_trace_mp(-H, W, z))
        full = mpmath.fsum(vals) / nodes
        half = mpmath.fsum(vals[::2]) / (nodes // 2)
        total += full
        error += abs(full - half)
    return total, error


# ----------------------------------------------------------------------------- vectorised 2x2 blocks
def eigen_2x2(M) -> tuple[np.ndarray, np.ndarray]:
    r"""Mean eigenvalue :math:`\mu` and half splitting :math:`s` (principal root) of stacked 2x2 matrices:
    :math:`\lambda_\pm = \mu\pm s`, :math:`s = \sqrt{((a-d)/2)^2 + bc}`."""
    M = np.asarray(M, dtype=complex)
    a, b, c, d = M[..., 0, 0], M[..., 0, 1], M[..., 1, 0], M[..., 1, 1]
    half = 0.5 * (a - d)
    return 0.5 * (a + d), np.sqrt(half * half + b * c)


def sylvester_2x2(M, W, f, conjugate_symmetric: bool = False, close: float = 1e-2) -> np.ndarray:
    r""":math:`\mathrm{Tr}[Wf(M)]` for stacked 2x2 matrices ``M`` (shape (N, 2, 2)), no eigenvectors.

    :math:`\mathrm{Tr}[W]\tfrac12(f_++f_-) + \mathrm{Tr}[W(M-\mu)]\,f[\lambda_-,\lambda_+]`; the divided
    difference is :math:`(f_+-f_-)/2s` where :math:`|s|\ge` ``close`` :math:`|\mu|` and otherwise the
    trapezoidal Cauchy integral :math:`\frac1{2\pi i}\oint f(z)/((z-\lambda_+)(z-\lambda_-))dz` on the circle
    :math:`|z-\mu| = |\mu|/8` (24 nodes; error :math:`< 10^{-20}` for ``close`` = 1e-2 when :math:`f` is
    analytic in :math:`|z-\mu|<|\mu|`). Continuous through the exceptional point :math:`s = 0`.

    ``f(lam, sel)``: vectorised over complex ``lam`` of shape ``(len(sel),)`` or ``(len(sel), K)``;
    ``sel`` indexes the stack (an index array or ``slice(None)`` for all; so that ``f`` can pick per-matrix
    parameters). With
    ``conjugate_symmetric`` (:math:`f(\bar z) = \overline{f(z)}` and :math:`\lambda_- = \bar\lambda_+`
    detected exactly: real :math:`\mu`, imaginary :math:`s`) one evaluation serves both eigenvalues.
    """
    M = np.asarray(M, dtype=complex)
    N = M.shape[0]
    W = np.asarray(W, dtype=complex)
    a, b, c, d = M[:, 0, 0], M[:, 0, 1], M[:, 1, 0], M[:, 1, 1]
    mu = 0.5 * (a + d)
    half = 0.5 * (a - d)
    s = np.sqrt(half * half + b * c)
    if W.ndim == 2:       # one weight matrix for the whole stack: elementwise traces, no broadcast copies
        trw = W[0, 0] + W[1, 1]
        tw = (W[0, 0] - W[1, 1]) * half + W[0, 1] * c + W[1, 0] * b
    else:
        W = np.broadcast_to(W, (N, 2, 2))
        trw = W[:, 0, 0] + W[:, 1, 1]
        tw = (W[:, 0, 0] - W[:, 1, 1]) * half + W[:, 0, 1] * c + W[:, 1, 0] * b
    full = slice(None)
    pair = (mu.imag == 0) & (s.real == 0) if conjugate_symmetric else None
    if pair is not None and pair.all():
        f_plus = np.asarray(f(mu + s, full), dtype=complex)
        f_minus = np.conj(f_plus)
    elif pair is None or not pair.any():
        both = f(np.stack([mu + s, mu - s], axis=1), full)
        f_plus, f_minus = both[:, 0], both[:, 1]
    else:
        f_plus = np.empty(N, dtype=complex)
        f_minus = np.empty(N, dtype=complex)
        sel = np.flatnonzero(pair)
        f_plus[sel] = f(mu[sel] + s[sel], sel)
        f_minus[sel] = np.conj(f_plus[sel])
        rest = np.flatnonzero(~pair)
        both = f(np.stack([mu[rest] + s[rest], mu[rest] - s[rest]], axis=1), rest)
        f_plus[rest], f_minus[rest] = both[:, 0], both[:, 1]
    with np.errstate(invalid="ignore", divide="ignore"):
        dd = (f_plus - f_minus) / (2 * s)
    near = np.flatnonzero(np.abs(s) < close * np.abs(mu))
    if near.size:
        nodes = 24
        z = mu[near, None] + (np.abs(mu[near]) / 8)[:, None] * np.exp(2j * np.pi * np.arange(nodes) / nodes)[None]
        lp, lm = (mu + s)[near, None], (mu - s)[near, None]
        dd[near] = (f(z, near) * (z - mu[near, None]) / ((z - lp) * (z - lm))).mean(axis=1)
    out = tw * dd
    if np.any(trw != 0):
        out += 0.5 * trw * (f_plus + f_minus)
    return out


# ----------------------------------------------------------------------------- differences
def log1p_complex(u) -> np.ndarray:
    r""":math:`\ln(1+u)` for complex ``u`` without loss for small :math:`|u|` (series below 0.1)."""
    u = np.asarray(u, dtype=complex)
    out = np.empty_like(u)
    small = np.abs(u) < 0.1
    if small.any():
        us = u[small]
        acc = np.zeros_like(us)
        for k in range(17, 0, -1):     # |u|^17/17 < 1e-18
            acc = acc * us + ((-1.0) ** (k + 1)) / k
        out[small] = acc * us
    big = ~small
    if big.any():
        out[big] = np.log1p(u[big]) if np.isrealobj(u) else np.log(1.0 + u[big])
    return out


def log_divided_difference(a, b) -> np.ndarray:
    r""":math:`\ln[a,b] = (\ln b-\ln a)/(b-a)` (:math:`1/a` at :math:`a=b`), principal logs, no cancellation."""
    a, b = np.broadcast_arrays(np.asarray(a, dtype=complex), np.asarray(b, dtype=complex))
    out = np.empty(a.shape, dtype=complex)
    diff = b - a
    close = np.abs(diff) < 0.5 * np.abs(a)
    with np.errstate(divide="ignore", invalid="ignore"):
        same = diff == 0
        sel = close & ~same
        out[sel] = log1p_complex(diff[sel] / a[sel]) / diff[sel]
        out[same] = 1.0 / a[same]
        far = ~close
        out[far] = (np.log(b[far]) - np.log(a[far])) / diff[far]
    return out


def sqrt_divided_difference(a, b) -> np.ndarray:
    r""":math:`\sqrt{\cdot}[a,b] = 1/(\sqrt a+\sqrt b)` (principal roots, :math:`\mathrm{Re}\ge0`)."""
    return 1.0 / (np.sqrt(np.asarray(a, dtype=complex)) + np.sqrt(np.asarray(b, dtype=complex)))


def inv_sqrt_divided_difference(a, b) -> np.ndarray:
    r""":math:`(\cdot)^{-1/2}[a,b] = -1/(\sqrt a\sqrt b(\sqrt a+\sqrt b))`."""
    ra, rb = np.sqrt(np.asarray(a, dtype=complex)), np.sqrt(np.asarray(b, dtype=complex))
    return -1.0 / (ra * rb * (ra + rb))


def _eigvecs(M):
    """Eigenvalues and right eigenvectors (columns) of stacked matrices; closed form for 2x2."""
    M = np.asarray(M, dtype=complex)
    n = M.shape[-1]
    if n == 1:
        return M[..., 0, :].copy(), np.ones_like(M)
    if n == 2:
        mu, s = eigen_2x2(M)
        a, b, c, d = M[..., 0, 0], M[..., 0, 1], M[..., 1, 0], M[..., 1, 1]
        lam = np.stack([mu + s, mu - s], axis=-1)
        V = np.empty(M.shape, dtype=complex)
        for k in range(2):
            lk = lam[..., k]
            u = np.stack([b, lk - a], axis=-1)
            v = np.stack([lk - d, c], axis=-1)
            pick = (np.abs(u).sum(axis=-1) >= np.abs(v).sum(axis=-1))[..., None]
            vec = np.where(pick, u, v)
            zero = np.abs(vec).sum(axis=-1) == 0        # M = mu 1: any basis
            vec[zero] = np.eye(2)[k]
            V[..., :, k] = vec / np.linalg.norm(vec, axis=-1, keepdims=True)
        return lam, V
    lam, V = np.linalg.eig(M)
    return lam, V


def _inv_cond_2x2(V):
    """Inverse and 2-norm condition number of stacked 2x2 matrices with unit columns (closed forms)."""
    a, b, c, d = V[..., 0, 0], V[..., 0, 1], V[..., 1, 0], V[..., 1, 1]
    det = a * d - b * c
    inv = np.empty_like(V)
    with np.errstate(divide="ignore", invalid="ignore"):
        inv[..., 0, 0], inv[..., 0, 1] = d / det, -b / det
        inv[..., 1, 0], inv[..., 1, 1] = -c / det, a / det
        overlap = np.abs(np.conj(a) * b + np.conj(c) * d)      # |v1^H v2|; singular values^2 = 1 +- overlap
        cond = np.sqrt((1 + overlap) / (1 - overlap))
    return inv, np.where(np.isfinite(cond), cond, np.inf)


def trace_difference(H0, E, W, divided_difference, magnitude: bool = False):
    r""":math:`\mathrm{Tr}[W(f(H_0+E)-f(H_0))]` for stacked matrices, no cancellation for small :math:`E`.

    Daleckii–Krein: :math:`\sum_{cd}(V_0^{-1}WV_1)_{cd}(V_1^{-1}EV_0)_{dc}\,f[\lambda^1_d,\lambda^0_c]`.
    ``divided_difference(a, b)`` is :math:`f[a,b]`. Returns ``(value, condition)`` with ``condition`` the
    product of the eigenvector condition numbers of :math:`H_0` and :math:`H_0+E` (large near an
    exceptional point: use :func:`spectral_trace` there). ``H0`` may be one matrix (broadcast over ``E``).
    2x2 stacks use closed forms (eigenvectors, inverse, condition number). ``magnitude=True``: also the sum of
    the moduli of the terms (rounding error ~ eps x condition x magnitude), as a third element.
    """
    H0 = np.asarray(H0, dtype=complex)
    E = np.asarray(E, dtype=complex)
    H0 = np.broadcast_to(H0, np.broadcast_shapes(H0.shape, E.shape))
    W = np.broadcast_to(np.asarray(W, dtype=complex), H0.shape)
    lam0, V0 = _eigvecs(H0[:1] if H0.ndim == 3 and H0.strides[0] == 0 else H0)
    lam1, V1 = _eigvecs(H0 + E)
    if H0.shape[-1] == 2:
        V0i, c0 = _inv_cond_2x2(V0)
        V1i, c1 = _inv_cond_2x2(V1)
    else:
        V0i, V1i = np.linalg.inv(V0), np.linalg.inv(V1)
        c0, c1 = np.linalg.cond(V0), np.linalg.cond(V1)
    A = V0i @ W @ V1
    Bm = V1i @ E @ V0
    F = divided_difference(lam1[..., :, None], lam0[..., None, :])      # F[d, c] = f[lam1_d, lam0_c]
    value = np.einsum("...cd,...dc,...dc->...", A, Bm, F)
    if magnitude:
        return value, c0 * c1, np.einsum("...cd,...dc,...dc->...", np.abs(A), np.abs(Bm), np.abs(F))
    return value, c0 * c1


def contour_trace_pair(A, E, W, f=None, g=None, max_nodes: int = 512):
    r""":math:`\mathrm{Tr}[Wf(A+E)] + \mathrm{Tr}[W(g(A+E)-g(A))]` of one pair of matrices by one trapezoidal
    Cauchy integral on a circle around both spectra, without the cancellation of the two ``g`` traces:

    .. math:: \frac1{2\pi i}\oint\Big\{f(z)\,\mathrm{Tr}[WR_1] + (g(z)-g(\mu))\,\mathrm{Tr}[WR_1ER_0]\Big\}dz,
              \qquad R_1 - R_0 = R_1 E R_0,

    :math:`R_0 = (z-A)^{-1}`, :math:`R_1 = (z-A-E)^{-1}`, :math:`\mu` the centre (:math:`g(\mu)` integrates to
    zero against the difference; subtracting it keeps the terms small). No eigenvectors: continuous through
    exceptional points. ``f``, ``g`` (either may be ``None``) vectorised over complex arrays, analytic off
    :math:`(-\infty, 0]`. Returns ``(value, error)`` (error: the node-halving difference plus rounding, eps x the
    sum of the moduli of the terms), or ``None`` where the spectra are not compact against their distance to
    :math:`(-\infty, 0]` (more than ``max_nodes`` nodes needed).
    """
    A = np.asarray(A, dtype=complex)
    E = np.zeros_like(A) if E is None else np.asarray(E, dtype=complex)
    W = np.asarray(W, dtype=complex)
    B = A + E
    lam = np.concatenate([np.linalg.eigvals(B)] + ([np.linalg.eigvals(A)] if g is not None else []))
    if not np.all(np.isfinite(lam)):
        return None
    mu = complex(np.mean(lam))
    rho = float(np.max(np.abs(lam - mu)))
    R = _default_singular_distance(mu)
    if not rho < R / 4:
        return None
    r = R / 4 if rho < R / 64 else math.sqrt(max(rho, R * 1e-12) * R)
    ratio = min(r / max(rho, R * 1e-300), R / r)
    nodes = math.ceil(2 * 18 * math.log(10) / math.log(ratio))      # the half-node sum converged too
    if nodes > max_nodes:
        return None
    nodes = max(16, nodes + nodes % 2)
    z = mu + r * np.exp(2j * np.pi * (np.arange(nodes) + 0.5) / nodes)
    eye = np.eye(A.shape[-1])
    R1 = np.linalg.inv(z[:, None, None] * eye - B[None])
    terms = np.zeros(nodes, dtype=complex)
    if f is not None:
        terms += f(z) * np.einsum("ij,kji->k", W, R1)
    if g is not None:
        R0 = np.linalg.inv(z[:, None, None] * eye - A[None])
        g0 = g(np.array([mu]))[0]
        terms += (g(z) - g0) * np.einsum("ij,kjl,lm,kmi->k", W, R1, E, R0)
    terms *= z - mu
    full, half = terms.mean(), terms[::2].mean()
    error = abs(full - half) + 8 * _EPS * float(np.abs(terms).mean()) * nodes ** 0.5
    return complex(full), error


def eigen_error_scale(M, W, *funcs) -> np.ndarray:
    r"""Rounding-error scale of eigen-sums :math:`\mathrm{Tr}[Wf(M)] = \sum_c w_cf(\lambda_c)` for stacked
    matrices: :math:`\kappa(V)\sum_c|w_c|\sum_f|f(\lambda_c)|` (:math:`\kappa` the eigenvector condition
    number in the Frobenius norm, :math:`w_c = (V^{-1}WV)_{cc}`, which grow like :math:`\kappa` next to an exceptional point); times
    eps it bounds, up to a modest factor, the error of any float64 route that forms these traces (eigen sums,
    or two traces subtracted). ``funcs`` vectorised over complex arrays; ``inf`` at an exceptional point."""
    M = np.asarray(M, dtype=complex)
    W = np.asarray(W, dtype=complex)
    lam, V = np.linalg.eig(M)
    with np.errstate(all="ignore"):
        try:
            Vi = np.linalg.inv(V)
        except np.linalg.LinAlgError:
            return np.full(M.shape[:-2], np.inf)
        w = np.abs(np.einsum("...ci,ij,...jc->...c", Vi, W, V))
        size = sum(np.abs(f(lam)) for f in funcs)
        cond = np.linalg.norm(V, axis=(-2, -1)) * np.linalg.norm(Vi, axis=(-2, -1))   # Frobenius: >= 2-norm
        out = cond * np.sum(w * size, axis=-1)
    return np.where(np.isfinite(out), out, np.inf)


# ----------------------------------------------------------------------------- split 2x2 blocks (real arithmetic)
# A "split pair" block: M = [[a, beta], [gamma, d]] with a, d > 0 real and beta gamma = -k (k >= 0 real), the
# Zeeman-mixed singlet / m = 0 triplet of the spin-1/2 Cooperon. mu = (a + d)/2, Delta = (d - a)/2; the eigenvalues
# mu +- s with s^2 = y = Delta^2 - k are real (y > 0) or a complex-conjugate pair (y < 0); y = 0 is the exceptional
# point. With W = diag(w0, w1): Tr[W f(M)] = (w0 + w1)/2 (f_+ + f_-) + t_W f[lambda_+, lambda_-],
# t_W = (w0 - w1)(a - d)/2, and everything is a function of the real number y: no complex arithmetic where the
# eigenvalues are real, one complex evaluation per conjugate pair.

#: |s| below this fraction of mu: the divided difference by the contour (as :func:`sylvester_2x2`)
PAIR_CLOSE = 1e-2
_PAIR_NODES = 24


def pair_trace_2x2(mu: float, y, det, trw: float, tw: float, f_real, f_complex,
                   close: float = PAIR_CLOSE, log_dd: bool = False):
    r""":math:`\mathrm{Tr}[Wf(M)]` (real) for a stack of split-pair 2x2 blocks with one mean :math:`\mu > 0`.

    Parameters
    ----------
    mu : float
        Mean eigenvalue (the same for the whole stack).
    y : (N,) float array
        :math:`s^2`: eigenvalues :math:`\mu\pm\sqrt y`.
    det : (N,) float array
        :math:`\lambda_+\lambda_- = \mu^2 - y`, computed by the caller without cancellation (:math:`ad + k` for
        a split pair: :math:`\mu^2 - y` in floats loses :math:`\mu^2/(ad)` when one gap is far below the other).
    trw, tw : float
        :math:`\mathrm{Tr}\,W` and :math:`t_W = \mathrm{Tr}[W(M-\mu)]`.
    f_real(lam, sel) : callable
        :math:`f` on real positive ``lam`` of shape ``(2, len(sel))`` (rows :math:`\lambda_+`, :math:`\lambda_-`)
        for the stack entries ``sel`` (index array); real values of that shape.
    f_complex(z, sel) : callable
        :math:`f` on complex ``z`` of shape ``(len(sel),)`` or ``(len(sel), K)``, with
        :math:`f(\bar z) = \overline{f(z)}`.

    Real pair (:math:`y>0`): :math:`\tfrac12\mathrm{Tr}W(f_++f_-) + t_W(f_+-f_-)/(2s)`, the small eigenvalue as
    ``det`` :math:`/(\mu+s)` (no cancellation). Conjugate pair (:math:`y<0`, :math:`s = it`):
    :math:`\mathrm{Tr}W\,\mathrm{Re}f_+ + t_W\,\mathrm{Im}f_+/t`. Near the exceptional point (:math:`|s| <`
    ``close`` :math:`\mu`): both parts from the trapezoidal Cauchy integral on :math:`|z-\mu| = \mu/8` (24 nodes,
    error :math:`< 10^{-20}` relative when :math:`f` is analytic in :math:`|z-\mu|<\mu`) — continuous through
    :math:`y = 0`, no eigenvectors.

    With ``log_dd``, returns ``(trace, L)`` with :math:`L = \ln[\lambda_+,\lambda_-]` from the same eigenvalues
    (for :func:`log_shift_2x2`): :math:`\mathrm{log1p}(2s/\lambda_-)/2s`, :math:`\arctan(t/\mu)/t`, and
    :math:`A(y/\mu^2)/\mu` by its series near the exceptional point.
    """
    y = np.asarray(y, dtype=float)
    out = np.empty(y.shape)
    L = np.empty(y.shape) if log_dd else None
    lim = (close * mu) ** 2
    real = np.flatnonzero(y >= lim)
    if real.size:
        s = np.sqrt(y[real])
        lam = np.empty((2, real.size))
        np.add(s, mu, out=lam[0])
        np.divide(det[real], lam[0], out=lam[1])
        fp, fm = f_real(lam, real)
        if log_dd:
            q = np.multiply(s, 2.0)
            lq = np.divide(q, lam[1])
            lq = np.log1p(lq, out=lq)
            lq /= q
            L[real] = lq
        mean = None
        if trw != 0:             # Tr W (f+ + f-)/2 (zero for the WL singlet / m = 0 triplet pair)
            mean = fp + fm
            mean *= 0.5 * trw
        if tw != 0:              # t_W (f+ - f-)/(2s)
            fp -= fm
            s *= 2.0 / tw
            fp /= s
        else:
            fp[:] = 0.0
        if mean is not None:
            fp += mean
        out[real] = fp
    pair = np.flatnonzero(y <= -lim)
    if pair.size:
        t = np.sqrt(-y[pair])
        z = np.empty(pair.size, dtype=complex)
        z.real = mu
        z.imag = t
        fz = f_complex(z, pair)
        out[pair] = trw * fz.real + tw * (fz.imag / t)
        if log_dd:
            L[pair] = np.arctan(t / mu) / t
    near = np.flatnonzero(np.abs(y) < lim) if real.size + pair.size < y.size else real[:0]
    if near.size:
        u = (mu / 8) * np.exp(2j * np.pi * (np.arange(_PAIR_NODES) + 0.5) / _PAIR_NODES)   # z - mu on the circle
        den = 1.0 / (u[None, :] ** 2 - y[near, None])                                       # 1/((z - l+)(z - l-))
        fz = f_complex(np.repeat((mu + u)[None, :], near.size, axis=0), near) * (u[None, :] * den)
        mean = (fz * u[None, :]).mean(axis=1).real                # (f+ + f-)/2
        dd = fz.mean(axis=1).real                                 # f[l+, l-]
        out[near] = trw * mean + tw * dd
        if log_dd:               # A(u)/mu, |u| < close^2: sum_n u^n/(2n + 1), six terms (u^6/13 < 1e-25)
            un = y[near] / (mu * mu)
            acc = np.full(un.shape, 1.0 / 13)
            for n in range(5, -1, -1):
                acc *= un
                acc += 1.0 / (2 * n + 1)
            L[near] = acc / mu
    return (out, L) if log_dd else out


def _atanh_ratio(u, rest):
    r""":math:`A(u) = \operatorname{artanh}(\sqrt u)/\sqrt u` for real :math:`u < 1` (:math:`\arctan(\sqrt{-u})/\sqrt{-u}`
    for :math:`u<0`, 1 at 0), ``rest`` :math:`= 1-u` given separately (no cancellation near :math:`u = 1`):
    :math:`2\operatorname{artanh} r = \mathrm{log1p}(2r(1+r)/(1-u))`, :math:`r = \sqrt u`, relatively accurate
    for small :math:`r` too (an absolute rounding of ``rest`` is not divided by :math:`r`)."""
    u = np.asarray(u, dtype=float)
    out = np.ones(u.shape)
    pos = np.flatnonzero(u > 0)
    if pos.size:
        r = np.sqrt(u[pos])
        val = r + 1.0
        val *= r
        val *= 2.0
        val /= rest[pos]
        val = np.log1p(val, out=val)
        val /= r
        val *= 0.5
        out[pos] = val
    neg = np.flatnonzero(u < 0)
    if neg.size:
        r = np.sqrt(-u[neg])
        out[neg] = np.arctan(r) / r
    return out


#: the series of the log difference in v = k/(ad) is used for v <= this value, the difference of two
#: artanh ratios above (measured loss there: < 1e-13 relative, cancellation factor ~4 ln(d/a) at most)
LOG_SHIFT_SERIES = 0.25
_LOG_SHIFT_TERMS = 34        # 0.25^34 < 1e-20: truncation far below rounding


#: the moment recurrence runs forwards above this u0, backwards from the series at and below it (measured: the
#: backward start loses accuracy above ~0.52, the forward run ~1e-15 at m = 34 at 0.5)
_FORWARD_FROM = 0.5


def log_shift_moments(u0: float, rest0: float, n: int = _LOG_SHIFT_TERMS) -> list[float]:
    r"""Normalised Taylor coefficients :math:`P_m = (1-u_0)^m A^{(m)}(u_0)/m!`, :math:`m = 0..n`, of
    :math:`A(u) = \operatorname{artanh}\sqrt u/\sqrt u` at :math:`0\le u_0<1` (``rest0`` :math:`= 1-u_0`).

    :math:`A^{(m)}(u)/m! = \int_0^1 t^{2m}(1-ut^2)^{-m-1}dt`; with :math:`w = t/\sqrt{1-ut^2}` and one
    integration by parts, :math:`2mu_0P_m = 1 - (2m-1)(1-u_0)P_{m-1}` — run forwards for :math:`u_0\ge\tfrac12`
    (relative errors shrink by :math:`(1-u_0)/u_0` per step) and backwards from the hypergeometric series
    :math:`P_N = (1-u_0)^N\sum_j\binom{N+j}{j}u_0^j/(2N+2j+1)` below (errors shrink by :math:`u_0/(1-u_0)`).
    """
    P = [0.0] * (n + 1)
    if u0 > _FORWARD_FROM:
        P[0] = float(_atanh_ratio(np.array([u0]), np.array([rest0]))[0])
        for m in range(1, n + 1):
            P[m] = (1.0 - (2 * m - 1) * rest0 * P[m - 1]) / (2 * m * u0)
        return P
    top = n + 8
    term, total, j = 1.0, 0.0, 0           # binom(top + j, j) u0^j, times rest0^top at the end
    while True:
        add = term / (2 * top + 2 * j + 1)
        total += add
        if add < 1e-18 * total:
            break
        j += 1
        term *= (top + j) / j * u0
    val = total * rest0 ** top
    for m in range(top, 0, -1):
        val = (1.0 - 2 * m * u0 * val) / ((2 * m - 1) * rest0)
        if m - 1 <= n:
            P[m - 1] = val
    return P


def log_shift_2x2(a: float, d: float, w0: float, w1: float, k, moments=None, log_dd=None) -> np.ndarray:
    r""":math:`\mathrm{Tr}[W(\ln M_k - \ln M_0)]` for split-pair blocks :math:`M_k` (diagonal ``a``, ``d`` > 0,
    off-diagonal product :math:`-k`, ``k`` >= 0 an array), :math:`W = \mathrm{diag}(w_0, w_1)`; no cancellation
    for small ``k``.

    .. math:: \tfrac12(w_0+w_1)\,\mathrm{log1p}\!\left(\frac k{ad}\right)
              + t_W\,\frac{A(u)-A(u_0)}{\mu},\qquad u = \frac{\Delta^2-k}{\mu^2},\ u_0 = \frac{\Delta^2}{\mu^2},

    (:math:`\ln[\lambda_+,\lambda_-] = A(s^2/\mu^2)/\mu`, :math:`\det M_k = ad + k`). For :math:`v = k/(ad) \le`
    :data:`LOG_SHIFT_SERIES` the difference is the Taylor series :math:`\sum_{m\ge1}P_m(-v)^m` (coefficients
    :func:`log_shift_moments`, radius of convergence :math:`v = 1`). ``log_dd``: :math:`\ln[\lambda_+,\lambda_-]` of
    :math:`M_k` already computed (:func:`pair_trace_2x2`), used above the series
    (overwritten: it becomes the result).
    """
    k = np.asarray(k, dtype=float)
    mu = 0.5 * (a + d)
    delta = 0.5 * (d - a)
    ad = a * d
    mu2 = mu * mu
    u0, rest0 = delta * delta / mu2, ad / mu2
    tw = -(w0 - w1) * delta
    trw = w0 + w1
    out = np.zeros(k.shape)
    if tw != 0:
        P = log_shift_moments(u0, rest0) if moments is None else moments
        scale = tw / mu
        border = LOG_SHIFT_SERIES * ad
        ser = np.flatnonzero(k <= border)
        if ser.size:              # sum_m P_m (-v)^m, v = k/(ad)
            vs = k[ser]
            vs *= -1.0 / ad
            acc = np.full(vs.shape, P[-1])
            for c in reversed(P[1:-1]):
                acc *= vs
                acc += c
            acc *= vs
            acc *= scale
            out[ser] = acc
        if log_dd is not None:   # in place on the caller's array (its last use)
            log_dd -= P[0] / mu
            log_dd *= tw
            if ser.size:
                log_dd[ser] = out[ser]
            out = log_dd
        elif ser.size < k.size:
            d2 = delta * delta
            pos = np.flatnonzero((k > border) & (k < d2))       # real pair: A = artanh(r)/r, r^2 = (Delta^2 - k)/mu^2
            if pos.size:
                kp = k[pos]
                r = np.subtract(d2, kp)
                r /= mu2
                r = np.sqrt(r, out=r)
                kp += ad                                      # mu^2 (1 - u) = ad + k
                kp /= mu2
                val = r + 1.0
                val *= r
                val *= 2.0
                val /= kp
                val = np.log1p(val, out=val)
                val /= r
                val *= 0.5
                val -= P[0]
                val *= scale
                out[pos] = val
            neg = np.flatnonzero(k > max(border, d2))          # conjugate pair: A = arctan(r)/r, r^2 = (k - D^2)/mu^2
            if neg.size:
                r = k[neg]
                r -= d2
                r /= mu2
                r = np.sqrt(r, out=r)
                val = np.arctan(r)
                val /= r
                val -= P[0]
                val *= scale
                out[neg] = val
            ep = np.flatnonzero((k == d2) & (k > border))       # exceptional point: A = 1
            out[ep] = (1.0 - P[0]) * scale
    if trw != 0:                  # (w0 + w1)/2 ln(det M_k / det M_0); zero for the WL singlet / m = 0 triplet pair
        extra = k / ad
        extra = np.log1p(extra, out=extra)
        extra *= 0.5 * trw
        out += extra
    return out
