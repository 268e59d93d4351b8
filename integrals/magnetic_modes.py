r"""Diffusion modes of a rectangle in a perpendicular field: the magnetic Laplacian, finite differences.

The Cooperon (charge ``charge = 2`` in units of e) of a film of ``length`` x ``width`` between two
reservoirs obeys :math:`-(\nabla - i q e\mathbf A/\hbar)^2 C = \delta`, Dirichlet at the contacts
(x = 0, L), Neumann on the walls (y = 0, W). In the Landau gauge :math:`\mathbf A = (-By, 0)` the
magnetic Neumann condition :math:`\hat n\cdot(\nabla - iqe\mathbf A/\hbar)\psi = 0` on the walls is the
plain :math:`\partial_y\psi = 0` (:math:`A_y = 0`).

Lengths in any unit (e.g. lattice sites); ``flux`` = :math:`B a^2/(h/e)` with :math:`a` that unit
(for a lattice model: the flux per plaquette in units of :math:`h/e`, as in the Peierls phases).
Eigenvalues :math:`\mu_n` in 1/unit².

Discretisation: a grid of spacing :math:`h` (interior points in x, cell centres in y), five-point
magnetic Laplacian with Peierls phases :math:`e^{\mp 2\pi i q\,\mathrm{flux}\,h\,y}` on the x-bonds;
its low eigenvalues converge like :math:`h^2`. :func:`magnetic_mode_sums` evaluates on two grids
(:math:`h` and :math:`h/2`), extrapolates (Richardson, :math:`(4S_{h/2} - S_h)/3`) and reports the
difference as the error estimate; it raises ``ArithmeticError`` when that exceeds ``rtol``.

Only UV-finite combinations of the full grid spectrum are returned: :math:`\sum_n [1/(\mu_n(0)+\gamma) - 1/(\mu_n(B)+\gamma)]`
(the weak-localization magnetoconductance needs no cutoff while :math:`l \ll l_m`) and
:math:`\sum_n 1/(\mu_n(B)+\gamma)^2` (UCF).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["magnetic_rectangle_laplacian", "magnetic_rectangle_eigenvalues", "magnetic_mode_sums", "magnetic_trace_inverse",
           "magnetic_shift_sum", "recursive_work", "MAX_GRID_POINTS", "DEFAULT_GRID_POINTS", "MAX_RECURSIVE_POINTS",
           "MAX_RECURSIVE_WORK"]

#: largest grid (points) diagonalised; the finer of the two grids has at most this many
MAX_GRID_POINTS = 40000
#: default size of the fine grid (the coarse one has a quarter): ~1 s on one core (banded solver)
DEFAULT_GRID_POINTS = 1600


def _grid_layout(width, length, flux, charge, h, max_points):
    """Grid of spacing ~h: (nx, ny, hx, hy, link, neumann) with the x-bond Peierls phases ``link`` at the
    cell-centre heights and the diagonal of the cell-centred Neumann chain across (no bond through a wall)."""
    mx = int(round(length / h))
    my = int(round(width / h))
    nx, ny = mx - 1, my
    if nx < 1 or ny < 1:
        raise ValueError(f"h: grid spacing {h} too coarse for a {length} x {width} rectangle")
    if nx * ny > max_points:
        raise ValueError(f"h: grid of {nx * ny} points > {max_points}")
    hx, hy = length / mx, width / my
    y = (np.arange(ny) + 0.5) * hy
    link = np.exp(-1j * 2 * math.pi * charge * flux * hx * y)  # Peierls phase of an x-bond at height y
    neumann = np.full(ny, 2.0)
    neumann[0] = neumann[-1] = 1.0
    if ny == 1:
        neumann[:] = 0.0
    return nx, ny, hx, hy, link, neumann


def magnetic_rectangle_laplacian(width: float, length: float, flux: float, charge: int, h: float):
    r"""The grid magnetic Laplacian :math:`-(\nabla - iqe\mathbf A/\hbar)^2` (sparse CSC, 1/unit²), spacing ``h``.

    Unknowns ordered x-major (index ``i * ny + j``); x interior points, y cell centres.
    """
    import scipy.sparse as sps

    nx, ny, hx, hy, link, diag = _grid_layout(width, length, flux, charge, h, MAX_GRID_POINTS)
    ex = sps.diags([np.ones(nx - 1)], [-1], shape=(nx, nx))  # i -> i + 1 (Dirichlet beyond the ends)
    shift_x = sps.kron(ex, sps.diags(link), format="csc")
    dx = 2 * sps.identity(nx * ny, format="csc") - shift_x - shift_x.getH()
    # y: Neumann on a cell-centred grid (no bond through the wall)
    ly = sps.diags([diag, -np.ones(ny - 1), -np.ones(ny - 1)], [0, -1, 1], shape=(ny, ny))
    dy = sps.kron(sps.identity(nx), ly, format="csc")
    return (dx / hx**2 + dy / hy**2).tocsc()


def magnetic_rectangle_eigenvalues(width: float, length: float, flux: float, charge: int, h: float) -> np.ndarray:
    """All eigenvalues (1/unit², ascending) of the grid operator: banded Hermitian LAPACK solver
    (bandwidth = points across), :math:`O(n\\,n_y^2)` operations."""
    from scipy.linalg import eig_banded

    a = magnetic_rectangle_laplacian(width, length, flux, charge, h)
    if not flux:
        a = a.real
    ny = int(round(width / h))
    n = a.shape[0]
    band = np.zeros((ny + 1, n), dtype=complex if flux else float)
    for k in range(min(ny, n - 1) + 1):  # upper storage: band[ny - k, j] = a[j - k, j]
        band[ny - k, k:] = a.diagonal(k)
    return eig_banded(band, eigvals_only=True)


def _grid(width, length, max_points):
    """Spacing h of the coarse grid: the fine grid (h/2) has at most ``max_points`` points, and at least
    4 cells across the narrower side on the coarse grid."""
    h = math.sqrt(4 * width * length / max_points)
    if min(width, length) / h < 4:
        raise ValueError(f"max_points: {max_points} grid points cannot resolve a {length} x {width} rectangle "
                         f"(aspect ratio {max(width, length) / min(width, length):.3g}); raise max_points")
    return h


def magnetic_mode_sums(width: float, length: float, flux: float, gaps=(0.0,), charge: int = 2,
                       rtol: float = 2e-3, max_points: int = DEFAULT_GRID_POINTS) -> dict:
    r"""UV-finite Cooperon mode sums of the rectangle at ``flux``, per gap :math:`\gamma` (1/unit²).

    Returns ``{"shift": [...], "shift_error": [...], "square": [...], "square_error": [...],
    "square_zero_field": [...], "h": (h, h/2)}`` with

    .. math:: \text{shift}_\gamma = \sum_n\Big[\frac{1}{\mu_n(0)+\gamma} - \frac{1}{\mu_n(B)+\gamma}\Big],
              \qquad \text{square}_\gamma = \sum_n \frac{1}{(\mu_n(B)+\gamma)^2}

    in unit² and unit⁴; the zero-field shift is exactly 0. Raises ``ArithmeticError`` when the two
    grids disagree by more than ``rtol`` (relative; absolute for values below 1e-12 of the scale).
    """
    gaps = np.asarray(gaps, dtype=float).reshape(-1)
    if max_points > MAX_GRID_POINTS:
        raise ValueError(f"max_points: at most {MAX_GRID_POINTS} (dense diagonalisation), got {max_points}")
    h = _grid(width, length, max_points)
    out = {"shift": [], "shift_error": [], "square": [], "square_error": [], "square_zero_field": [],
           "h": (h, h / 2)}
    sums = {}
    for hh in (h, h / 2):
        mu0 = magnetic_rectangle_eigenvalues(width, length, 0.0, charge, hh)
        mub = magnetic_rectangle_eigenvalues(width, length, flux, charge, hh) if flux else mu0
        sums[hh] = [(math.fsum((1 / (mu0 + g)).tolist()) - math.fsum((1 / (mub + g)).tolist()),
                     math.fsum((1 / (mub + g) ** 2).tolist()), math.fsum((1 / (mu0 + g) ** 2).tolist()))
                    for g in gaps]
    scale = length * width  # natural unit of the sums (unit^2)
    for g_index in range(gaps.size):
        coarse, fine = sums[h][g_index], sums[h / 2][g_index]
        for k, key in enumerate(("shift", "square", "square_zero_field")):
            best = (4 * fine[k] - coarse[k]) / 3
            err = abs(fine[k] - coarse[k]) / 3
            ref = scale if k == 0 else scale**2
            if err > rtol * max(abs(best), 1e-6 * ref):
                raise ArithmeticError(f"magnetic mode sum ({key}) not converged: {best!r} +- {err!r} "
                                      f"on grids h = {h:.4g}, {h / 2:.4g}; the field is too strong for the grid "
                                      "(flux * h^2 not small): raise max_points")
            out[key].append(best)
            if key != "square_zero_field":
                out[key + "_error"].append(err)
    return out


#: largest grid (points) of the recursive route :func:`magnetic_shift_sum` (cost ~ points x (points across)^2)
MAX_RECURSIVE_POINTS = 400_000


def magnetic_trace_inverse(width: float, length: float, flux: float, charge: int, h: float,
                           gamma: float = 0.0) -> float:
    r""":math:`\mathrm{Tr}\,(A+\gamma)^{-1}` of the grid operator :math:`A` of :func:`magnetic_rectangle_laplacian`
    (unit²), without its spectrum: recursive Green's function over slices of the narrower direction.

    Slices across (x columns, when the strip is at least as long as wide): :math:`A` is block tridiagonal
    in x (blocks of the points across): identical diagonal blocks
    :math:`D = 2/h_x^2 + L_y/h_y^2` and :math:`A_{i+1,i} = -U/h_x^2`, :math:`U = \mathrm{diag}(e^{-2\pi iq\,\mathrm{flux}\,h_x y})`.
    Left-connected blocks :math:`g_i = (D + \gamma - U g_{i-1}U^\dagger/h_x^4)^{-1}`; the right-connected
    ones, by the reflection :math:`x\to L-x` (which conjugates :math:`U`), are :math:`\bar g`; the
    diagonal blocks of the inverse are :math:`(D + \gamma - Ug_{i-1}U^\dagger/h_x^4 - \bar U\bar g_{n-i-2}U^T/h_x^4)^{-1}`.
    Slices along (y rows, for a strip wider than long): row :math:`j` is the Dirichlet chain in x with
    the bond phases of its height, rows coupled by :math:`-1/h_y^2`; forward and backward sweeps.
    Cost :math:`O(n_\parallel n_\perp^3)` with :math:`n_\perp` the points along the narrower side
    (:func:`recursive_work`).
    """
    nx, ny, hx, hy, link, diag = _grid_layout(width, length, flux, charge, h, MAX_RECURSIVE_POINTS)
    if ny > nx:
        return _trace_inverse_by_rows(nx, ny, hx, hy, link, diag, gamma)
    d = (np.diag(diag) - np.eye(ny, k=1) - np.eye(ny, k=-1)) / hy**2 + (2 / hx**2 + gamma) * np.eye(ny)
    outer = np.outer(link, link.conj()) / hx**4  # U g U^dagger = outer * g (elementwise)
    left = [None] * nx  # left[i]: self-energy on column i from columns < i
    sigma = np.zeros((ny, ny), dtype=complex)
    for i in range(nx):
        left[i] = sigma
        g = np.linalg.inv(d - sigma)
        sigma = outer * g
    total = []
    for i in range(nx):
        right = left[nx - 1 - i].conj()  # reflection: the right-connected self-energy of column i
        total.append(float(np.trace(np.linalg.inv(d - left[i] - right)).real))
    return math.fsum(total)


def _trace_inverse_by_rows(nx, ny, hx, hy, link, diag, gamma) -> float:
    """The trace of :func:`magnetic_trace_inverse` with row slices (blocks of the nx points along x)."""
    eye = np.eye(nx)

    def block(j):  # row j: A[(i+1, j), (i, j)] = -link[j] / hx^2 (lower), its conjugate above
        b = (2 / hx**2 + diag[j] / hy**2 + gamma) * eye.astype(complex)
        b -= link[j] * np.eye(nx, k=-1) / hx**2 + np.conj(link[j]) * np.eye(nx, k=1) / hx**2
        return b

    blocks = [block(j) for j in range(ny)]
    c = 1 / hy**4
    below = [None] * ny  # self-energy on row j from rows < j
    sigma = np.zeros((nx, nx), dtype=complex)
    for j in range(ny):
        below[j] = sigma
        sigma = c * np.linalg.inv(blocks[j] - sigma)
    total = []
    above = np.zeros((nx, nx), dtype=complex)  # self-energy on row j from rows > j
    for j in range(ny - 1, -1, -1):
        total.append(float(np.trace(np.linalg.inv(blocks[j] - below[j] - above)).real))
        above = c * np.linalg.inv(blocks[j] - above)
    return math.fsum(total)


def recursive_work(width: float, length: float, h: float) -> int:
    r"""Work units of one :func:`magnetic_trace_inverse` on the grid of spacing ``h``:
    :math:`n_\parallel n_\perp^3` (points along the longer side times the cube of the points along
    the narrower one; about 7 ns each on one core)."""
    nx = max(int(round(length / h)) - 1, 1)
    ny = max(int(round(width / h)), 1)
    return max(nx, ny) * min(nx, ny) ** 3


#: cap on the work of one :func:`magnetic_shift_sum` (units of :func:`recursive_work`, ~7 s on one core),
#: checked before each grid level
MAX_RECURSIVE_WORK = 10**9


def magnetic_shift_sum(width: float, length: float, flux: float, gap: float = 0.0, charge: int = 2,
                       rtol: float = 1e-2, max_points: int = MAX_RECURSIVE_POINTS,
                       start_points: int = DEFAULT_GRID_POINTS) -> dict:
    r""":math:`\sum_n[1/(\mu_n(0)+\gamma) - 1/(\mu_n(B)+\gamma)]` (unit²) by :func:`magnetic_trace_inverse`.

    Two grids :math:`h, h/2`, Richardson :math:`(4S_{h/2}-S_h)/3`, error :math:`|S_{h/2}-S_h|/3`; the
    grid is refined (points x 4) from ``start_points`` (fine grid) until the error is below ``rtol``
    (relative) or the fine grid would exceed ``max_points`` or the total work :data:`MAX_RECURSIVE_WORK`
    (both checked before each level; then ``ArithmeticError``). Same value as
    ``magnetic_mode_sums(...)["shift"]`` on the same grids (the spectrum route; tested).
    Returns ``{"shift", "shift_error", "h"}``.
    """
    max_points = int(max_points)
    if max_points > MAX_RECURSIVE_POINTS:
        raise ValueError(f"max_points: at most {MAX_RECURSIVE_POINTS}, got {max_points}")
    points = int(start_points)
    best = err = None
    work = 0
    while True:
        if points > max_points:
            raise ArithmeticError(f"magnetic shift sum not converged to rtol = {rtol:g} with <= {max_points} "
                                  f"grid points (last: {best!r} +- {err!r}); the field is too strong for the "
                                  "diffusive grid (flux * h^2 not small)")
        h = _grid(width, length, points)
        work += 2 * (recursive_work(width, length, h) + recursive_work(width, length, h / 2))
        if work > MAX_RECURSIVE_WORK:
            if best is None:
                raise ValueError(f"width: a {length:g} x {width:g} rectangle on {points} grid points needs "
                                 f"{work:.3g} work units > the cap {MAX_RECURSIVE_WORK:.3g} (MAX_RECURSIVE_WORK)")
            raise ArithmeticError(f"magnetic shift sum not converged to rtol = {rtol:g} within the work cap "
                                  f"{MAX_RECURSIVE_WORK:.3g} (MAX_RECURSIVE_WORK; last: {best!r} +- {err!r}): the "
                                  "field is too strong (flux * h^2 not small) or the rectangle too large or "
                                  "elongated for a finer grid; loosen rtol")
        s = {}
        for hh in (h, h / 2):
            s[hh] = (magnetic_trace_inverse(width, length, 0.0, charge, hh, gap)
                     - magnetic_trace_inverse(width, length, flux, charge, hh, gap))
        best = (4 * s[h / 2] - s[h]) / 3
        err = abs(s[h / 2] - s[h]) / 3
        if err <= rtol * max(abs(best), 1e-6 * length * width):
            return {"shift": best, "shift_error": err, "h": (h, h / 2)}
        points *= 4
