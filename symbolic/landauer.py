r"""Multi-terminal Landauer-Büttiker resistances as SymPy closed forms in the transmissions.

The closed form is *derived*: the Büttiker equations

.. math:: I_\alpha = \sum_\beta G_{\alpha\beta} V_\beta,\qquad
          G_{\alpha\alpha} = \sum_{\beta\ne\alpha} T_{\alpha\beta},\quad G_{\alpha\beta} = -T_{\alpha\beta},

(per spin channel, units :math:`e^2/h`; :math:`T_{\alpha\beta}` from lead β **into** lead α; the
diagonal uses the row sum rule :math:`N_\alpha - R_{\alpha\alpha} = \sum_{\beta\ne\alpha}T_{\alpha\beta}`,
so only off-diagonal transmissions appear) are solved symbolically with
:math:`I_i = 1 = -I_j`, zero current in every other lead and :math:`V_j = 0`; the equation of
lead ``j`` is dropped (it is implied by charge conservation, the column sum rule). The result
:math:`R_{kl,ij} = V_k - V_l` is in units of :math:`h/e^2` per spin channel. It coincides with the
physical resistance whenever both sum rules hold (any T from a unitary S-matrix); for four
leads it is Büttiker's

.. math:: R_{kl,ij} = \frac{h}{e^2}\,\frac{T_{ki}T_{lj} - T_{kj}T_{li}}{D},

:math:`D` = any 3×3 cofactor of :math:`G` (all equal when both sum rules hold) — checked in
the tests, not used here.

References
----------
.. [Bue86] M. Büttiker, PRL 57, 1761 (1986), Eq. (4) (written with his index convention
   :math:`T_{ij}` from j into i, as here).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import sympy as sp
from sympy.polys.matrices import DomainMatrix

from mesocorr.arguments import integer, lead_pair
from mesocorr.symbolic.printing import latex

__all__ = ["transmission_symbol", "conductance_matrix_symbolic", "multiterminal_resistance_symbolic",
           "four_terminal_resistance_symbolic", "resistance_latex"]


def transmission_symbol(alpha: int, beta: int, leads: int = 4) -> sp.Symbol:
    r"""The symbol :math:`T_{\alpha\beta}` (from lead β into lead α), non-negative; LaTeX ``T_{\alpha\beta}``.

    Indices are separated by a comma when there are 10 or more leads (``T_{1,10}``).
    """
    sep = "," if leads >= 10 else ""
    return sp.Symbol(f"T_{{{alpha}{sep}{beta}}}", nonnegative=True)


def conductance_matrix_symbolic(leads: int = 4) -> sp.Matrix:
    r"""Symbolic Büttiker matrix :math:`G_{\alpha\beta}` (units :math:`e^2/h` per spin) in the off-diagonal :math:`T_{\alpha\beta}`."""
    M = integer("leads", leads, minimum=2)
    T = {(a, b): transmission_symbol(a, b, M) for a in range(1, M + 1) for b in range(1, M + 1) if a != b}
    return sp.Matrix(M, M, lambda r, c: sum(T[(r + 1, b)] for b in range(1, M + 1) if b != r + 1)
                     if r == c else -T[(r + 1, c + 1)])


def multiterminal_resistance_symbolic(current: Sequence[int] = (1, 2), voltage: Sequence[int] = (3, 4),
                                      leads: int = 4) -> sp.Expr:
    r"""Closed form of :math:`R_{kl,ij}` (units :math:`h/e^2` per spin channel) for ``leads`` terminals.

    Parameters
    ----------
    current : (i, j)
        Current enters at lead ``i``, leaves at lead ``j``.
    voltage : (k, l)
        :math:`R = (V_k - V_l)/I`.
    leads : int
        Number of terminals (>= 2); all leads other than ``i, j`` are ideal voltage probes.

    Returns
    -------
    sympy.Expr
        A rational function of the symbols :func:`transmission_symbol`, factored.
    """
    M = integer("leads", leads, minimum=2)
    i, j = lead_pair("current", current, M)
    k, l = lead_pair("voltage", voltage, M)
    if i == j:
        raise ValueError(f"current: source and drain must differ, got ({i}, {j})")
    return _resistance(M, i, j, k, l)


@cache
def _resistance(M: int, i: int, j: int, k: int, l: int) -> sp.Expr:
    r""":func:`multiterminal_resistance_symbolic` for checked arguments (cached: the result is immutable).

    Cramer's rule over the polynomial ring of the transmissions: the grounded system (lead ``j`` removed)
    has the solution :math:`V = \mathrm{adj}(g)\,e_i/\det g`, with the adjugate and determinant computed once
    per grounded lead (:func:`_grounded_adjugate`); :math:`V_k - V_l` is then one division in the fraction
    field (which cancels to lowest terms), and the factored form is assembled from the factor lists of
    numerator and denominator (the denominator, shared by every configuration with the same drain, is
    factored once). The result is the same expression as exact LU over the fraction field followed by
    ``sympy.factor`` (``tests/test_derivations_speed.py`` compares the two routes node for node).
    """
    keep, adj, det, ring = _grounded_adjugate(M, j)
    column = keep.index(i - 1)

    def voltage(a: int):
        return ring.zero if a == j - 1 else adj[keep.index(a), column].element

    field = ring.get_field()
    value = field.convert_from(voltage(k - 1) - voltage(l - 1), ring) / field.convert_from(det, ring)
    c_num, f_num = _factor_list(ring.convert(value.numer))
    c_den, f_den = _factor_list(ring.convert(value.denom))
    return sp.Mul(c_num / c_den, sp.Mul(*[f**m for f, m in f_num], *[f**-m for f, m in f_den]))


@cache
def _grounded_adjugate(M: int, j: int):
    """``(kept leads, adj(g), det(g), ring)`` of the grounded matrix ``g`` (row and column ``j`` removed) over ZZ[T]."""
    G = conductance_matrix_symbolic(M)
    keep = [a for a in range(M) if a != j - 1]
    g = DomainMatrix.from_Matrix(G.extract(keep, keep))
    adj, det = g.adj_det()
    return keep, adj, det, g.domain


@cache
def _factor_list(poly):
    """``sympy.factor_list`` of a polynomial given as an element of its ring ZZ[T] (as SymPy expressions), cached
    (the same denominators recur across configurations). Factored in the ring itself: no conversion of the
    expression back into a polynomial (the same factors and content as ``sympy.factor_list`` of the expression,
    whose generators are the ring's in the same order; ``tests/test_derivations_speed.py`` compares the two)."""
    content, factors = poly.factor_list()
    return poly.ring.domain.to_sympy(content), [(f.as_expr(), m) for f, m in factors]


def four_terminal_resistance_symbolic(current: Sequence[int] = (1, 2), voltage: Sequence[int] = (3, 4)) -> sp.Expr:
    r"""Büttiker's four-terminal resistance :math:`R_{kl,ij}` as a SymPy closed form (units :math:`h/e^2` per spin).

    Derived by solving the 4-terminal Büttiker equations (see the module docstring).

    Parameters
    ----------
    current : (int, int)
        Leads ``(i, j)`` (1 to 4): the current enters at ``i`` and leaves at ``j``.
    voltage : (int, int)
        Leads ``(k, l)`` of the voltage difference :math:`V_k - V_l`.

    Returns
    -------
    sympy.Expr
        :math:`R_{kl,ij}` in symbols :math:`T_{\alpha\beta}` (from β into α) and :math:`N_\alpha`,
        in :math:`h/e^2` per spin channel.

    Examples
    --------
    >>> R = four_terminal_resistance_symbolic((1, 3), (2, 4))
    >>> sorted(str(s) for s in R.free_symbols)[:3]
    ['T_{12}', 'T_{13}', 'T_{14}']
    """
    return multiterminal_resistance_symbolic(current, voltage, leads=4)


def resistance_latex(current: Sequence[int] = (1, 2), voltage: Sequence[int] = (3, 4), leads: int = 4) -> str:
    r"""LaTeX equation ``R_{kl,ij} = \frac{...}{...}\,\frac{h}{e^2}`` for the derived closed form."""
    expr = multiterminal_resistance_symbolic(current, voltage, leads)
    (i, j), (k, l) = current, voltage
    return f"R_{{{k}{l},{i}{j}}} = {latex(expr)} \\, \\frac{{h}}{{e^2}}"
