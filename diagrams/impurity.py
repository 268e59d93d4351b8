r"""The impurity correlator: potential, spin-orbit and magnetic scattering vertices.

One impurity vertex is :math:`V = u_0 + \sum_i u_i\sigma_i`. Averaged over the disorder, two
vertices joined by one impurity line give the correlator :math:`\langle V\otimes V'\rangle`;
cross terms between different mechanisms and different axes average to zero, so the
correlator is a sum of independent terms, one per (mechanism, axis):

* potential scattering, :math:`V = u_0\,1`, rate :math:`\gamma_0`;
* spin-orbit scattering, :math:`V = c_i\sigma_i` with :math:`c_i = i\sqrt{a_i}`, rate
  :math:`a_i = 1/\tau_{so}^i`. :math:`V_{so} = i\lambda(\hat k\times\hat k')\cdot\sigma` is
  *time-reversal even*: :math:`\Theta V\Theta^{-1} = \sigma_y V^*\sigma_y = +V`, which forces an
  imaginary coefficient;
* magnetic scattering, :math:`V = c_i\sigma_i` with :math:`c_i = \sqrt{b_i}`, rate
  :math:`b_i = 1/\tau_m^i` (a frozen classical spin :math:`J\,S_i\sigma_i`): *time-reversal
  odd*, :math:`\Theta V\Theta^{-1} = -V`, real coefficient.

The coefficient phase is not typed in: :meth:`ScatteringVertex.phase` *solves*
:math:`\sigma_y (\eta\sigma_i)^*\sigma_y = t\,\eta\sigma_i` for the unit phase :math:`\eta`
given the time-reversal parity :math:`t`. The Diffuson ladder needs
:math:`\langle|c|^2\rangle = \text{rate}` (retarded line :math:`V`, advanced line
:math:`V^\dagger`), the Cooperon ladder :math:`\langle c^2\rangle = \eta^2\,\text{rate}` (the
advanced line runs backwards and carries the time-reversed vertex, the same matrix): this
is ``-a_i`` for spin-orbit and ``+b_i`` for magnetic scattering — the whole difference
between the two mechanisms. :mod:`mesocorr.symbolic.spin` builds its 4x4 kernels from these
vertices.

Units: all strengths are *rates* (:math:`2\pi\nu n_{imp}|u|^2/\hbar`, same units as the
rates you pass).

References
----------
.. [AM07] E. Akkermans, G. Montambaux, *Mesoscopic Physics of Electrons and Photons* (CUP 2007),
   ch. 6 (spin-orbit and magnetic impurities).
.. [HLN80] S. Hikami, A. I. Larkin, Y. Nagaoka, Prog. Theor. Phys. 63, 707 (1980).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from mesocorr.arguments import sympy_value, three_sympy_values
from mesocorr.symbolic.internal_space import PAULI, InternalSpace, spin_half
from mesocorr.symbolic.printing import latex

__all__ = ["PAULI", "AXES", "MECHANISMS", "time_reverse", "ScatteringVertex", "ImpurityCorrelator"]

AXES = ("x", "y", "z")
#: mechanism -> time-reversal parity of its spin operator
MECHANISMS = {"potential": 1, "spin-orbit": 1, "magnetic": -1}


def time_reverse(matrix: sp.Matrix) -> sp.Matrix:
    r"""Time reversal of a spin operator, :math:`\Theta M\Theta^{-1} = UM^*U^{-1} = \sigma_y M^*\sigma_y`
    (:math:`U = i\sigma_y`, :meth:`mesocorr.symbolic.internal_space.InternalSpace.time_reverse`)."""
    return sp.Matrix(InternalSpace(spin_half()).time_reverse(matrix))


@dataclass(frozen=True)
class ScatteringVertex:
    r"""One independent term :math:`c\,\Sigma` of the impurity vertex (:math:`\Sigma = 1` or :math:`\sigma_i`).

    ``rate`` is the strength :math:`\langle|c|^2\rangle` (a rate); ``mechanism`` fixes the
    time-reversal parity and hence the phase of :math:`c`.
    """

    mechanism: str
    axis: int | None
    rate: sp.Expr

    @property
    def matrix(self) -> sp.Matrix:
        """The 2x2 spin matrix of the vertex (identity for potential scattering)."""
        return sp.eye(2) if self.axis is None else PAULI[self.axis]

    @property
    def phase(self) -> sp.Expr:
        r"""Unit phase :math:`\eta` of the coefficient, solved from the time-reversal parity.

        Solves :math:`\Theta(\eta\Sigma)\Theta^{-1} = t\,\eta\Sigma` with :math:`\eta\in\{1, i\}`
        (an overall sign is irrelevant for the averages).
        """
        parity = MECHANISMS[self.mechanism]
        for eta in (sp.Integer(1), sp.I):
            if time_reverse(eta * self.matrix) == parity * eta * self.matrix:
                return eta
        raise ArithmeticError(f"no phase gives parity {parity} for {self.mechanism}")  # pragma: no cover

    @property
    def abs2(self) -> sp.Expr:
        r""":math:`\langle|c|^2\rangle = |\eta|^2\,\text{rate}` (Diffuson, self-energy)."""
        return sp.expand(self.phase * sp.conjugate(self.phase) * self.rate)

    @property
    def square(self) -> sp.Expr:
        r""":math:`\langle c^2\rangle = \eta^2\,\text{rate}` (Cooperon)."""
        return sp.expand(self.phase**2 * self.rate)

    @property
    def label(self) -> str:
        return self.mechanism if self.axis is None else f"{self.mechanism}_{AXES[self.axis]}"

    def latex(self) -> str:
        r"""The vertex :math:`\eta\,\Sigma` with its rate :math:`\langle|c|^2\rangle`, by :func:`mesocorr.latex`."""
        sigma = "1" if self.axis is None else rf"\sigma_{AXES[self.axis]}"
        return rf"{latex(self.phase)}\,{sigma},\quad \langle|c|^2\rangle = {latex(self.rate)}"

    def _repr_latex_(self) -> str:
        return f"${self.latex()}$"


class ImpurityCorrelator:
    r"""Disorder correlator of one impurity line with Cartesian spin-dependent strengths.

    .. math:: \langle V\otimes V\rangle = \gamma_0\,1\otimes1
              + \sum_i \bigl(\langle c^{so}_i c^{so}_i\rangle + \langle c^m_i c^m_i\rangle\bigr)
                \sigma_i\otimes\sigma_i

    Parameters
    ----------
    potential : SymPy expression
        Potential-scattering rate :math:`\gamma_0`.
    so, mag : sequence of three SymPy expressions
        Component rates :math:`a_i = 1/\tau_{so}^i`, :math:`b_i = 1/\tau_m^i` (x, y, z).

    Examples
    --------
    >>> import sympy as sp
    >>> a, b = sp.symbols("a b", nonnegative=True)
    >>> c = ImpurityCorrelator(sp.Symbol("gamma_0"), (a, 0, 0), (0, 0, b))
    >>> [(v.label, v.abs2, v.square) for v in c.vertices if v.rate != 0]
    [('potential', gamma_0, gamma_0), ('spin-orbit_x', a, -a), ('magnetic_z', b, b)]
    >>> c.decay_rate
    a + b + gamma_0
    """

    __slots__ = ("_args",)

    def __init__(self, potential, so=(0, 0, 0), mag=(0, 0, 0)):
        self._args = (sympy_value("potential", potential), three_sympy_values("so", so),
                      three_sympy_values("mag", mag))

    potential = property(lambda self: self._args[0], doc="potential-scattering rate gamma_0")
    so = property(lambda self: self._args[1], doc="spin-orbit component rates (a_x, a_y, a_z)")
    mag = property(lambda self: self._args[2], doc="magnetic component rates (b_x, b_y, b_z)")

    @property
    def args(self) -> tuple:
        return self._args

    @property
    def vertices(self) -> list[ScatteringVertex]:
        """All independent vertex terms: potential, then (spin-orbit, magnetic) for x, y, z."""
        out = [ScatteringVertex("potential", None, self.potential)]
        for i in range(3):
            out.append(ScatteringVertex("spin-orbit", i, self.so[i]))
            out.append(ScatteringVertex("magnetic", i, self.mag[i]))
        return out

    @property
    def self_energy(self) -> sp.Matrix:
        r"""Born self-energy rate matrix :math:`\sum\langle|c|^2\rangle\,\Sigma\Sigma^\dagger` (2x2)."""
        total = sp.zeros(2, 2)
        for v in self.vertices:
            total += v.abs2 * v.matrix * v.matrix.H
        return total.applyfunc(sp.expand)

    @property
    def decay_rate(self) -> sp.Expr:
        r"""Single-particle decay rate :math:`1/\tau_e = \gamma_0 + \sum_i (a_i + b_i)`.

        Read off the self-energy, which is checked to be proportional to the identity.
        """
        s = self.self_energy
        if not (s.is_diagonal() and sp.expand(s[0, 0] - s[1, 1]) == 0):
            raise ArithmeticError(f"self-energy not proportional to 1: {s}")  # pragma: no cover
        return s[0, 0]

    def __repr__(self):
        return f"ImpurityCorrelator(potential={self.potential}, so={self.so}, mag={self.mag})"

    def latex(self) -> str:
        r"""LaTeX of :math:`\langle V\otimes V\rangle` for the Cooperon (:math:`\langle c^2\rangle`)."""
        terms = [latex(self.potential) + r"\,1\otimes 1"]
        for i, a in enumerate(AXES):
            coeff = sp.expand(self.mag[i] - self.so[i])
            if coeff != 0:
                terms.append(rf"\left({latex(coeff)}\right)\sigma_{a}\otimes\sigma_{a}")
        return r"\langle V\otimes V\rangle = " + " + ".join(terms)

    def _latex(self, printer, *args, **kwargs) -> str:
        return self.latex()

    def _repr_latex_(self) -> str:
        return f"${self.latex()}$"
