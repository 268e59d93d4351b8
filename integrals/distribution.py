r"""Numerical solution of the Boltzmann-diffusion equation of a biased wire with electron-electron collisions.

Dimensionless: energies in units of the bias :math:`eV` (reservoirs at :math:`\mu_L = 1`, :math:`\mu_R = 0`),
position :math:`x\in[0,1]` in units of the length, :math:`\tilde\kappa = \kappa\tau_D(eV)^{2-\alpha}`:

.. math:: \partial_x^2 f + \tilde\kappa\,I[f] = 0,\qquad
          I[f](E) = \int d\epsilon\,|\epsilon|^{-\alpha}X(\epsilon)\{[1-f(E)]f(E+\epsilon) - f(E)[1-f(E-\epsilon)]\},

:math:`X(\epsilon) = \int dE'\,f(E')[1-f(E'+\epsilon)]` (Pothier et al. 1997, Eq. (2); Kamenev & Andreev 1999),
an electron at :math:`E+\epsilon` falling to :math:`E` while a partner goes from :math:`E'` to :math:`E'+\epsilon`
(and the reverse), :math:`\epsilon` of either sign.

**Discretisation.** Energies: cell midpoints of a uniform grid of step :math:`\Delta` on
:math:`[-p, 1+p]`, :math:`\mu_{L,R}` on cell boundaries (the :math:`T = 0` steps are exact); energy transfers
:math:`\epsilon = k\Delta`, :math:`k\ne0` (the integrand vanishes like :math:`|\epsilon|^{2-\alpha}` after the
:math:`\pm\epsilon` pairing: the omitted cell costs :math:`O(\Delta^{3-\alpha})`); every sum runs over pairs of
grid energies only. Then :math:`\sum_E I(E) = 0` and :math:`\sum_E E\,I(E) = 0` hold *exactly* (index shift;
:math:`\epsilon\to-\epsilon` antisymmetry), so the particle current :math:`j_N = -\sum_E\Delta\,\partial_xf` and the
energy current :math:`j_E = -\sum_E\Delta\,E\,\partial_xf` of a converged solution are constant in :math:`x`
to rounding: the conservation checks. The correlations are evaluated by FFT. Position: second-order finite
differences on :math:`n_x` intervals.

**Iteration.** :math:`I = A - f(A+B)` with gain :math:`A(E) = \sum_\epsilon w_\epsilon f(E+\epsilon)` and loss
:math:`B(E) = \sum_\epsilon w_\epsilon[1-f(E-\epsilon)]`, :math:`w_\epsilon = |\epsilon|^{-\alpha}X(\epsilon)\Delta`. With
:math:`A, B` frozen the equation is linear and tridiagonal in :math:`x` for each energy (solved for all energies
at once); this Picard map, accelerated by Anderson mixing, is iterated until the update is below ``tol``.
:math:`0\le f\le1` is preserved. The number of iterations grows with :math:`\tilde\kappa` (about 30 at
:math:`\tilde\kappa = 10`, 500 at :math:`10^3`).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["energy_grid", "collision_terms", "collision_integral", "solve_distribution", "fermi", "currents",
           "estimated_iterations", "estimated_seconds", "MAX_ENERGIES", "MAX_POSITIONS"]

#: caps on the grid sizes (checked before any work)
MAX_ENERGIES = 20000
MAX_POSITIONS = 400


def estimated_iterations(kappa_t: float) -> float:
    r"""Iterations the solver needs for :math:`\tilde\kappa` (measured at tol :math:`10^{-11}`: 37-62 at 10,
    544 at :math:`10^3`, 2258 at :math:`10^4`; tol :math:`10^{-13}` adds about 35 %; this bound
    :math:`10 + 16\tilde\kappa^{0.6}` lies above them)."""
    return 10.0 + 16.0 * max(kappa_t, 0.0) ** 0.6


def estimated_seconds(kappa_t: float, n_x: int, n_energies: int) -> float:
    r"""Estimated run time (s) of :func:`solve_distribution`: iterations times
    :math:`8\cdot10^{-8}\,\mathrm{s}\,(n_x-1)M\log_2M` per iteration, :math:`M` the FFT length (measured
    5-7e-8 s on a loaded two-core machine)."""
    if kappa_t <= 0:
        return 0.0
    M = _fft_len(n_energies)
    return estimated_iterations(kappa_t) * 8e-8 * (n_x - 1) * M * math.log2(M)


def fermi(E, mu: float, T: float):
    """Fermi function (T = 0: the step, 1/2 exactly at E = mu)."""
    E = np.asarray(E, dtype=float)
    if T == 0:
        return np.where(E < mu, 1.0, np.where(E > mu, 0.0, 0.5))
    return 0.5 * (1.0 - np.tanh((E - mu) / (2.0 * T)))


def energy_grid(step: float, pad: float) -> tuple[np.ndarray, float]:
    """Cell midpoints on [-pad, 1 + pad] with 0 and 1 on cell boundaries; ``step`` rounded down to 1/integer."""
    cells = int(math.ceil(1.0 / step - 1e-9))
    dE = 1.0 / cells
    n0 = int(math.ceil(pad / dE - 1e-9))
    N = 2 * n0 + cells
    if N > MAX_ENERGIES:
        raise ValueError(f"energy_step: the grid would have {N} energies (> {MAX_ENERGIES}); use a larger step "
                         "or a smaller energy window")
    return -n0 * dE + dE * (np.arange(N) + 0.5), dE


def _fft_len(N: int) -> int:
    return 1 << int(math.ceil(math.log2(3 * N)))


def _correlate(a, b, M):
    """c_k = sum_j a_j b_{j+k} for k = -(N-1)..N-1 (rows)."""
    N = a.shape[-1]
    c = np.fft.irfft(np.conj(np.fft.rfft(a, M)) * np.fft.rfft(b, M), M)
    return np.concatenate([c[..., M - (N - 1):], c[..., :N]], axis=-1)


def _convolve(w, b, M):
    """(w * b)_i = sum_m b_m w_{i-m}, w indexed by k = -(N-1)..N-1."""
    N = b.shape[-1]
    c = np.fft.irfft(np.fft.rfft(w, M) * np.fft.rfft(b, M), M)
    return c[..., N - 1:2 * N - 1]


def _kernel(N: int, dE: float, alpha: float) -> np.ndarray:
    k = np.arange(-(N - 1), N)
    kern = np.zeros(k.size)
    nz = k != 0
    kern[nz] = np.abs(k[nz] * dE) ** (-alpha)
    return kern


def collision_terms(f, dE: float, alpha: float):
    """Gain ``A`` and loss coefficient ``B`` (so that I = A - f (A + B)) for rows of ``f`` on the energy grid."""
    f = np.atleast_2d(f)
    N = f.shape[-1]
    M = _fft_len(N)
    g = 1.0 - f
    X = _correlate(f, g, M) * dE
    w = _kernel(N, dE, alpha) * X * dE
    B = _convolve(w, g, M)
    A = _convolve(w[..., ::-1], f, M)
    return A, B


def collision_integral(f, dE: float, alpha: float):
    r""":math:`I[f](E)` (in units of :math:`\kappa(eV)^{2-\alpha}`) for rows of ``f`` on the energy grid."""
    A, B = collision_terms(f, dE, alpha)
    return A - np.atleast_2d(f) * (A + B)


def _thomas(diag, off, rhs):
    """Tridiagonal solve along axis 0 with constant off-diagonal ``off``, vectorised over the other axis."""
    n = diag.shape[0]
    c = np.empty_like(diag)
    d = np.empty_like(diag)
    c[0] = off / diag[0]
    d[0] = rhs[0] / diag[0]
    for i in range(1, n):
        m = diag[i] - off * c[i - 1]
        c[i] = off / m
        d[i] = (rhs[i] - off * d[i - 1]) / m
    out = np.empty_like(d)
    out[-1] = d[-1]
    for i in range(n - 2, -1, -1):
        out[i] = d[i] - c[i] * out[i + 1]
    return out


def currents(f_full, E, dE: float, n_x: int):
    """Particle and energy currents on the n_x midpoints between grid positions (rows of ``f_full`` = x grid)."""
    grad = np.diff(f_full, axis=0) * n_x
    return -grad.sum(axis=1) * dE, -(grad * E).sum(axis=1) * dE


def solve_distribution(T: float, kappa_t: float, alpha: float = 1.5, n_x: int = 24, step: float = 0.01,
                       pad: float = 3.0, tol: float = 1e-12, max_iter: int = 20000, depth: int = 8,
                       iterations=None) -> dict:
    r"""Solve :math:`\partial_x^2f + \tilde\kappa I[f] = 0` on the grid (see the module docstring).

    Parameters: ``T`` = :math:`k_BT/eV` (>= 0), ``kappa_t`` = :math:`\tilde\kappa` (>= 0), ``alpha`` the kernel
    exponent, ``n_x`` intervals in x, ``step`` the energy step, ``pad`` the energy margin beyond [0, 1],
    ``tol`` on the max-norm of the Picard update, ``iterations`` an optional wrapper of the iteration range
    (progress reporting). Returns ``{"E", "dE", "x", "f" (rows x = 0..1), "iterations", "update",
    "residual", "j_N", "j_E"}``; raises ``ArithmeticError`` when not converged within ``max_iter``.
    """
    E, dE = energy_grid(step, pad)
    N = E.size
    fL, fR = fermi(E, 1.0, T), fermi(E, 0.0, T)
    x = np.arange(n_x + 1) / n_x
    xi = x[1:-1]
    h2 = float(n_x) ** 2
    f = (1 - xi)[:, None] * fL[None, :] + xi[:, None] * fR[None, :]
    it = 0
    update = 0.0
    if kappa_t > 0:
        kern = _kernel(N, dE, alpha)
        M = _fft_len(N)
        hist_g, hist_f = [], []
        converged = [False]

        def steps():   # ends by itself at convergence, so a progress wrapper sees a finished loop
            for k in range(1, max_iter + 1):
                if converged[0]:
                    return
                yield k

        for k in (steps() if iterations is None else iterations(steps())):
            it = k
            g = 1.0 - f
            X = _correlate(f, g, M) * dE
            w = kern * X * dE
            B = _convolve(w, g, M)
            A = _convolve(w[..., ::-1], f, M)
            diag = -2.0 * h2 - kappa_t * (A + B)
            rhs = -kappa_t * A
            rhs[0] -= fL * h2
            rhs[-1] -= fR * h2
            fn = _thomas(diag, h2, rhs)
            step_g = fn - f
            update = float(np.max(np.abs(step_g)))
            if update < tol:
                f = fn
                converged[0] = True
                continue
            hist_g.append(step_g.ravel())
            hist_f.append(fn.ravel())
            if len(hist_g) > depth:
                hist_g.pop(0)
                hist_f.pop(0)
            if len(hist_g) >= 2:
                G = np.array(hist_g).T
                F = np.array(hist_f).T
                dG = np.diff(G, axis=1)
                # least squares through the small Gram matrix (a tall lstsq costs more than the whole step)
                gamma, *_ = np.linalg.lstsq(dG.T @ dG, dG.T @ G[:, -1], rcond=1e-13)
                f = np.clip((F[:, -1] - np.diff(F, axis=1) @ gamma).reshape(f.shape), 0.0, 1.0)
            else:
                f = fn
        if not converged[0]:
            raise ArithmeticError(f"max_iter: the distribution did not converge in {max_iter} iterations "
                                  f"(last update {update:.3g} > tol {tol:g}); raise max_iter or tol")
    full = np.vstack([fL, f, fR])
    lap = np.diff(full, 2, axis=0) * h2
    coll = collision_integral(f, dE, alpha) * kappa_t if kappa_t > 0 else 0.0
    scale = 2.0 * h2 + (kappa_t * float(np.max(np.abs(collision_terms(f, dE, alpha)[1]))) if kappa_t > 0 else 0.0)
    residual = float(np.max(np.abs(lap + coll))) / scale
    jN, jE = currents(full, E, dE, n_x)
    return {"E": E, "dE": dE, "x": x, "f": full, "iterations": it, "update": update, "residual": residual,
            "j_N": jN, "j_E": jE}
