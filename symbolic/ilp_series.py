r"""Large-level expansion of the Schur complements of a block-tridiagonal operator with linear blocks.

The Landau-level operator of the ILP Cooperon (:mod:`mesocorr.symbolic.ilp`) is, in each parity sector and in
the polynomial gauge, block tridiagonal with 3x3 blocks :math:`D(\kappa) = 2\kappa E + \tilde F`, a constant
coupling :math:`U` to the next block and :math:`W(\kappa) = 2\kappa\omega + \tilde w` back. The Schur
complements and the block trace then have formal expansions in :math:`1/\kappa` whose coefficients follow
from an explicit recursion (:func:`schur_series`).

The recursion is written once and is generic in the scalar type: the derivation runs it on SymPy matrices
(:func:`mesocorr.symbolic.ilp.block_trace_expansion`), the mpmath path of :mod:`mesocorr.integrals.ilp` on
numpy object arrays of ``mpf``. This module imports neither SymPy nor SciPy (the numeric paths must not pay
for SymPy at run time).
"""

from __future__ import annotations

import numpy as np

__all__ = ["schur_series", "shifted_coefficient"]


def _shift_binomial(j: int, i: int, sign: int):
    """Coefficient of x^i in (1 + sign*x)^(-j) (exact integer)."""
    if j == 0:
        return 1 if i == 0 else 0
    c = 1
    for t in range(i):  # binom(j + i - 1, i)
        c = c * (j + t) // (t + 1)
    return c * (-sign) ** i


def shifted_coefficient(C: list, ell: int, sign: int):
    r"""Coefficient of :math:`x^\ell` (:math:`x = 1/\kappa`) of :math:`C(\kappa \pm 1)` given the coefficients
    :math:`C_0..C_\ell` of :math:`C(\kappa) = \sum_j C_jx^j`: :math:`\sum_j C_j\binom{-j}{\ell-j}(\pm1)^{\ell-j}`."""
    acc = 0 * C[0]
    for j in range(ell + 1):
        c = _shift_binomial(j, ell - j, sign)
        if c:
            acc = acc + c * C[j]
    return _tidy(acc)


def schur_series(E, Ft, U, om, wt, order: int, inverse) -> dict:
    r"""Formal large-:math:`\kappa` series of one sector's Schur complements and block trace (any scalar type).

    The sector is block tridiagonal in the polynomial gauge with blocks, in :math:`\kappa = k + s`,
    :math:`D(\kappa) = 2\kappa E + \tilde F`, coupling :math:`U` to the next block and
    :math:`W(\kappa) = 2\kappa\,\omega + \tilde w` from it (``wt`` = :math:`\tilde w`). With :math:`x = 1/\kappa`:

    * right: :math:`R(\kappa) = U[D(\kappa+1)-R(\kappa+1)]^{-1}W(\kappa) = U\,Y^{-1}(\omega + x\tilde w/2)`,
      :math:`Y = E + \frac x2[2E+\tilde F-R(\kappa+1)]`;
    * left: :math:`L(\kappa) = W(\kappa-1)[D(\kappa-1)-L(\kappa-1)]^{-1}U = (\omega+\frac x2(\tilde w-2\omega))\,
      \tilde Y^{-1}U`, :math:`\tilde Y = E+\frac x2[\tilde F-2E-L(\kappa-1)]`;
    * block: :math:`G = [D-L-R]^{-1} = \frac x2[E+\frac x2(\tilde F-L-R)]^{-1}`,
      :math:`\mathrm{tr}\,G = \sum_{j\ge1} g_j x^j`.

    Order :math:`\ell` of :math:`R` and :math:`L` needs only lower orders (the shifts re-expanded with
    :func:`shifted_coefficient`; :math:`[E + \sum_{l\ge1}Y_lx^l]^{-1}` has :math:`Z_0 = E^{-1}`,
    :math:`Z_\ell = -E^{-1}\sum_{i=1}^{\ell}Y_iZ_{\ell-i}`), so the recursion is explicit, :math:`O(p^2)` products.
    Works on SymPy matrices and on numpy arrays (``@`` batched over leading axes, object arrays for mpmath);
    ``inverse`` inverts ``E``. Returns ``{"R", "L", "g"}`` (``order`` coefficients each; ``g[0] = 0``).
    """
    p = order
    E_inv = inverse(E)
    zero = 0 * E
    R, L, YR, YL, ZR, ZL = [], [], [zero], [zero], [E_inv], [E_inv]

    def next_z(Y, Z):
        ell = len(Z)
        acc = zero
        for i in range(1, ell + 1):
            acc = acc + Y[i] @ Z[ell - i]
        Z.append(_tidy(-(E_inv @ acc)))

    for ell in range(p):
        if ell:
            YR.append(_tidy((2 * E + Ft - R[0]) / 2 if ell == 1 else -shifted_coefficient(R, ell - 1, +1) / 2))
            YL.append(_tidy((Ft - 2 * E - L[0]) / 2 if ell == 1 else -shifted_coefficient(L, ell - 1, -1) / 2))
            next_z(YR, ZR)
            next_z(YL, ZL)
        R.append(_tidy(U @ (ZR[ell] @ om + (ZR[ell - 1] @ wt / 2 if ell else zero))))
        L.append(_tidy((om @ ZL[ell] + ((wt - 2 * om) @ ZL[ell - 1] / 2 if ell else zero)) @ U))
    YG, ZG = [zero, _tidy((Ft - L[0] - R[0]) / 2)], [E_inv]
    for ell in range(2, p):
        YG.append(_tidy(-(L[ell - 1] + R[ell - 1]) / 2))
    for _ in range(1, p):
        next_z(YG, ZG)
    g = [0 * _trace(E)] + [_trace(ZG[ell]) / 2 for ell in range(p - 1)]
    return {"R": R, "L": L, "g": g}


def _tidy(M):
    """Expand SymPy matrix entries (keeps the symbolic series small); numeric matrices (numpy arrays, the mpmath
    path's :class:`mesocorr.integrals.ilp.Mat3`) pass through."""
    if isinstance(M, np.ndarray) or not hasattr(M, "applyfunc"):
        return M
    return M.applyfunc(lambda entry: entry.expand())


def _trace(M):
    """Trace of a SymPy matrix, or of the trailing 3x3 of a numpy array (batched)."""
    if isinstance(M, np.ndarray):
        return M[..., 0, 0] + M[..., 1, 1] + M[..., 2, 2]
    return M.trace()
