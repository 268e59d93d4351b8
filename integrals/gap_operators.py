r"""Numeric gap operators of the engine: exact linear forms :math:`H = \sum_p p\,G_p`, evaluated with numpy or mpmath.

The engine (:mod:`mesocorr.diagrams.pair_kernel`) derives the Cooperon/Diffuson gap operator of a model in its
channel basis; :func:`mesocorr.diagrams.pair_kernel.linear_form` writes it as an exact linear form in the model's
parameters (rates, Zeeman components) with complex-rational generators :math:`G_p`, the weight operator
:math:`W` and, optionally, the two-box partner :math:`\tilde H` of the UCF loop. A :class:`LinearGapOperator`
holds such a form and evaluates it without SymPy: :meth:`~LinearGapOperator.numpy` (float64 complex),
:meth:`~LinearGapOperator.mpmath` (exact rationals rounded once to the working precision), the invariant
blocks common to every parameter value (:meth:`~LinearGapOperator.blocks`).

The spin-½ forms are stored exactly in :data:`mesocorr.integrals.derived_constants.SPIN_HALF_GAP_OPERATORS`
(re-derived by ``tests/test_engine.py``); :func:`spin_half_operator` returns them. Units: the gaps are in the
units of the parameters (rates).
"""

from __future__ import annotations

from fractions import Fraction
from functools import cache

import mpmath
import numpy as np

from mesocorr.integrals.derived_constants import SPIN_HALF_GAP_OPERATORS, SPIN_HALF_PARAMETERS

__all__ = ["LinearGapOperator", "spin_half_operator", "common_blocks"]


def _dense(sparse, n: int) -> np.ndarray:
    M = np.zeros((n, n), dtype=complex)
    for i, j, re, im in sparse:
        M[i, j] += complex(float(re), float(im))
    return M


class LinearGapOperator:
    """An exact linear form of a gap operator in a channel basis (see the module docstring).

    Parameters
    ----------
    form : dict
        As returned by :func:`mesocorr.diagrams.pair_kernel.linear_form` (``kind``, ``channels``,
        ``parameters``, ``generators``, ``weight``, optionally ``constant``, ``partner_constant``,
        ``partner_generators``).
    """

    __slots__ = ("kind", "channels", "parameters", "_form", "_np")

    def __init__(self, form: dict):
        if not isinstance(form, dict):
            raise TypeError("form: expected the dict of pair_kernel.linear_form")
        self.kind = form["kind"]
        self.channels = tuple(form["channels"])
        self.parameters = tuple(form["parameters"])
        self._form = form
        n = len(self.channels)
        gens = {p: _dense(form["generators"].get(p, ()), n) for p in self.parameters}
        partner = None
        if "partner_generators" in form:
            partner = (_dense(form.get("partner_constant", ()), n),
                       {p: _dense(form["partner_generators"].get(p, ()), n) for p in self.parameters})
        self._np = (_dense(form.get("constant", ()), n), gens, _dense(form["weight"], n), partner)

    @property
    def dimension(self) -> int:
        """Number of channels (pair-space dimension)."""
        return len(self.channels)

    def _values(self, values) -> dict:
        if not isinstance(values, dict):
            raise TypeError("values: expected a dict parameter name -> value")
        unknown = set(values) - set(self.parameters)
        if unknown:
            raise ValueError(f"values: unknown parameters {sorted(unknown)} (parameters: {', '.join(self.parameters)})")
        return values

    def generator(self, name: str) -> np.ndarray:
        """:math:`G_p = \\partial H/\\partial p` (complex numpy array)."""
        if name not in self.parameters:
            raise ValueError(f"name: unknown parameter {name!r} (parameters: {', '.join(self.parameters)})")
        return self._np[1][name].copy()

    def weight(self) -> np.ndarray:
        """The weight operator :math:`W` in the channel basis (complex numpy array)."""
        return self._np[2].copy()

    def numpy(self, values: dict, partner: bool = False) -> np.ndarray:
        """:math:`H` (or the two-box partner :math:`\\tilde H`) at ``values`` (name -> float), complex float64."""
        values = self._values(values)
        const, gens = (self._np[0], self._np[1]) if not partner else self._partner()
        H = const.copy()
        for p, v in values.items():
            if v:
                H += float(v) * gens[p]
        return H

    def _partner(self):
        if self._np[3] is None:
            raise ValueError("partner: this form carries no two-box partner (linear_form(..., partner=True))")
        return self._np[3]

    def exact(self, values: dict, partner: bool = False) -> list[list[tuple[Fraction, Fraction]]]:
        """:math:`H` at exact ``values`` (name -> Fraction) as nested lists of ``(re, im)`` Fractions."""
        values = self._values(values)
        n = self.dimension
        M = [[[Fraction(0), Fraction(0)] for _ in range(n)] for _ in range(n)]
        f = self._form
        const = f.get("partner_constant" if partner else "constant", ())
        gens = f["partner_generators" if partner else "generators"]
        for i, j, re, im in const:
            M[i][j][0] += re
            M[i][j][1] += im
        for p, v in values.items():
            v = Fraction(v)
            if not v:
                continue
            for i, j, re, im in gens.get(p, ()):
                M[i][j][0] += v * re
                M[i][j][1] += v * im
        return [[(a, b) for a, b in row] for row in M]

    def mpmath(self, values: dict, partner: bool = False) -> mpmath.matrix:
        """:math:`H` at exact ``values`` (Fractions) as an mpmath matrix at the working precision (one rounding)."""
        return _to_mp(self.exact(values, partner))

    def weight_mpmath(self) -> mpmath.matrix:
        n = self.dimension
        M = [[(Fraction(0), Fraction(0)) for _ in range(n)] for _ in range(n)]
        for i, j, re, im in self._form["weight"]:
            M[i][j] = (re, im)
        return _to_mp(M)

    def blocks(self, names=None) -> list[list[int]]:
        """Invariant blocks common to every value of the parameters ``names`` (default all) and :math:`W`:
        connected components of the joint non-zero pattern, in order of their first index."""
        names = self.parameters if names is None else tuple(names)
        mats = [self._np[0], self._np[2]] + [self._np[1][p] for p in names]
        if self._np[3] is not None:
            mats += [self._np[3][0]] + [self._np[3][1][p] for p in names]
        return common_blocks(*mats)


def common_blocks(*matrices) -> list[list[int]]:
    """Connected components of the joint non-zero pattern of square matrices, in order of first index."""
    n = matrices[0].shape[0]
    parent = list(range(n))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for m in matrices:
        rows, cols = np.nonzero(np.asarray(m))
        for i, j in zip(rows, cols):
            if i != j:
                parent[find(int(i))] = find(int(j))
    groups: dict = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])


def _to_mp(M) -> mpmath.matrix:
    n = len(M)
    out = mpmath.matrix(n, n)
    for i, row in enumerate(M):
        for j, (re, im) in enumerate(row):
            out[i, j] = mpmath.mpc(mpmath.mpf(re.numerator) / re.denominator, mpmath.mpf(im.numerator) / im.denominator)
    return out


@cache
def spin_half_operator(kind: str) -> LinearGapOperator:
    """The stored spin-½ gap operator of ``kind`` ("cooperon" or "diffuson") over
    :data:`~mesocorr.integrals.derived_constants.SPIN_HALF_PARAMETERS`."""
    if kind not in SPIN_HALF_GAP_OPERATORS:
        raise ValueError(f"kind: must be 'cooperon' or 'diffuson', got {kind!r}")
    return LinearGapOperator(dict(SPIN_HALF_GAP_OPERATORS[kind], kind=kind, parameters=SPIN_HALF_PARAMETERS))
