r"""Ladder sums: the Diffuson (particle-hole) and the maximally crossed Cooperon (particle-particle).

A ladder is a chain of :math:`n+1` impurity lines (strength :math:`\gamma`) joined by
:math:`n` pairs of Green's-function lines. Each pair with its impurity line is one rung of
the dimensionless kernel

.. math:: \Pi(q,\omega) = \gamma\sum_{\mathbf k} G^R(\mathbf k+\mathbf q,\varepsilon+\hbar\omega)
          \,G^A(\mathbf k,\varepsilon)
          \qquad\text{(Diffuson, particle-hole)},

and the ladder is the geometric series of the kernel,

.. math:: P = \sum_{n\ge0}\gamma\,\Pi^n = \frac{\gamma}{1-\Pi},
          \qquad\text{equivalently}\qquad P = \gamma + \Pi P .

For the maximally crossed diagrams (Cooperon) one untwists the advanced line: the crossed
ladder becomes an ordinary ladder in the particle-particle channel with the pair
:math:`G^R(\mathbf k+\mathbf Q,\varepsilon+\hbar\omega)\,G^A(-\mathbf k,\varepsilon)`; with time
reversal symmetry :math:`\xi_{-\mathbf k}=\xi_{\mathbf k}` this is the Diffuson rung at
:math:`\mathbf q\to\mathbf Q` (the total momentum of the pair). Both sums here start with the
single impurity line (:math:`n = 0`), as the structure factor of A&M ch. 4; a correction that
needs only the crossed diagrams with at least two lines subtracts that term itself.

Impurity strength: :math:`\gamma = n_{imp}u^2 = \hbar/(2\pi\nu\tau)` with :math:`\nu` the density
of states per spin per unit volume (Born rate :math:`1/\tau = 2\pi\nu\gamma/\hbar`).

Spin: in spin channel :math:`c` every rung is multiplied by :math:`\lambda_c\tau`, the kernel
eigenvalue of :mod:`mesocorr.symbolic.spin` in units of the total rate :math:`1/\tau`; pass
``kernel=Pi * lambda_c * tau`` to :class:`Ladder`.

References
----------
.. [AM07] E. Akkermans, G. Montambaux, *Mesoscopic Physics of Electrons and Photons* (CUP 2007),
   ch. 4 (Diffuson and Cooperon as ladder sums; structure factor), ch. 6 (spin).
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from mesocorr.arguments import sympy_value

from mesocorr.diagrams.lines import HBAR, TAU, GreenLine
from mesocorr.symbolic.printing import latex

__all__ = ["Ladder", "impurity_strength", "GAMMA", "PI_KERNEL", "KINDS"]

KINDS = ("diffuson", "cooperon")
#: impurity-line strength gamma = n_imp u^2
GAMMA = sp.Symbol("gamma", positive=True)
#: dimensionless rung kernel Pi(q, omega)
PI_KERNEL = sp.Symbol("Pi")
_N = sp.Symbol("n", integer=True, nonnegative=True)


def impurity_strength(nu=None, tau=TAU, hbar=HBAR) -> sp.Expr:
    r"""Impurity-line strength :math:`\gamma = \hbar/(2\pi\nu\tau)` from the Born rate.

    ``nu`` is the density of states per spin per unit volume (symbol ``nu`` by default).
    """
    nu = sp.Symbol("nu", positive=True) if nu is None else nu
    return hbar / (2 * sp.pi * nu * tau)


@cache
def _geometric_series() -> tuple[sp.Dummy, sp.Expr, sp.Basic]:
    r""":math:`\sum_{n\ge0}\zeta^n` (once per process): ``(zeta, value, condition)``.

    SymPy sums the partial series :math:`\sum_{n=0}^{N}\zeta^n = (1-\zeta^{N+1})/(1-\zeta)`
    (:func:`sympy.summation`, its geometric-term rule; the branch :math:`\zeta \ne 1`), and for
    :math:`|\zeta| < 1` the remainder :math:`\zeta^{N+1}\to0` as :math:`N\to\infty`. (The same value as
    ``summation`` over :math:`(n, 0, \infty)`, which goes through ``hyperexpand`` and costs ten times as much;
    a test compares the two.)
    """
    z = sp.Dummy("zeta")
    upper = sp.Dummy("N", integer=True, nonnegative=True)
    partial = sp.summation(z**_N, (_N, 0, upper))
    pieces = partial.args if isinstance(partial, sp.Piecewise) else ((partial, sp.true),)
    closed = next((value for value, cond in pieces if cond == sp.true), None)
    if closed is None or closed.has(sp.Sum) or not closed.has(z ** (upper + 1)):  # pragma: no cover
        raise ArithmeticError("the ladder series could not be summed")
    condition = sp.Abs(z) < 1  # |zeta| < 1: zeta**(N+1) -> 0
    value = closed.subs(z ** (upper + 1), 0)
    if value.has(upper):  # pragma: no cover
        raise ArithmeticError("the ladder series could not be summed")
    return z, value, condition


class Ladder:
    r"""A ladder sum (Diffuson or crossed Cooperon ladder) with rung kernel ``kernel``.

    Stores only ``(kind, rung, kernel)``; :meth:`doit` sums the geometric series with
    :func:`sympy.summation` and checks it against the solution of the Bethe-Salpeter
    equation :math:`P = \gamma + \Pi P`.

    Examples
    --------
    >>> lad = Ladder("diffuson")
    >>> lad.term(2)
    Pi**2*gamma
    >>> lad.doit()
    gamma/(1 - Pi)
    >>> lad.latex()
    'P = \\sum_{n=0}^{\\infty} \\Pi^{n} \\gamma = \\frac{\\gamma}{1 - \\Pi}'
    """

    __slots__ = ("_args",)

    def __init__(self, kind: str, rung=GAMMA, kernel=PI_KERNEL):
        if kind not in KINDS:
            raise ValueError(f"kind: must be 'diffuson' or 'cooperon', got {kind!r}")
        self._args = (kind, sympy_value("rung", rung), sympy_value("kernel", kernel))

    kind = property(lambda self: self._args[0], doc="'diffuson' (particle-hole) or 'cooperon' (particle-particle)")
    rung = property(lambda self: self._args[1], doc="the impurity line that starts the ladder, gamma")
    kernel = property(lambda self: self._args[2], doc="dimensionless rung kernel Pi")

    @property
    def args(self) -> tuple:
        return self._args

    def lines(self, k=None, q=None, energy=None, omega=None) -> tuple[GreenLine, GreenLine]:
        r"""The pair of lines of one rung.

        Diffuson: :math:`G^R(\mathbf k+\mathbf q,\varepsilon+\hbar\omega)\,G^A(\mathbf k,\varepsilon)`;
        Cooperon: :math:`G^R(\mathbf k+\mathbf Q,\varepsilon+\hbar\omega)\,G^A(-\mathbf k,\varepsilon)`.
        """
        k = sp.Symbol("k") if k is None else k
        q = sp.Symbol("q" if self.kind == "diffuson" else "Q") if q is None else q
        energy = sp.Symbol("varepsilon", real=True) if energy is None else energy
        omega = sp.Symbol("omega", real=True) if omega is None else omega
        retarded = GreenLine("R", k + q, energy + HBAR * omega)
        advanced = GreenLine("A", k if self.kind == "diffuson" else -k, energy)
        return retarded, advanced

    def term(self, n: int) -> sp.Expr:
        """The ladder with n rungs (n+1 impurity lines): ``rung * kernel**n``."""
        return self.rung * self.kernel**n

    def partial_sum(self, order: int) -> sp.Expr:
        """Sum of the terms with 0..order rungs."""
        return sp.Add(*(self.term(n) for n in range(order + 1)))

    @property
    def series(self) -> sp.Sum:
        """The unevaluated series ``Sum(rung * kernel**n, (n, 0, oo))``."""
        return sp.Sum(self.rung * self.kernel**_N, (_N, 0, sp.oo))

    def geometric_sum(self) -> tuple[sp.Expr, sp.Basic]:
        r"""Sum the series with :func:`sympy.summation`; returns ``(value, condition)``.

        The condition is the convergence condition :math:`|\Pi| < 1` reported by SymPy.
        """
        z, _, condition = _geometric_series()
        return self._summed(), condition.subs(z, self.kernel)

    def _summed(self) -> sp.Expr:
        """The value of :meth:`geometric_sum` without its convergence condition (``Abs`` of a complex kernel
        costs more than the sum)."""
        z, value, _ = _geometric_series()
        return self.rung * value.subs(z, self.kernel)

    def bethe_salpeter(self) -> sp.Expr:
        r"""Solve :math:`P = \gamma + \Pi P` for :math:`P` (a linear equation: :math:`P = \gamma/(1-\Pi)`
        from its two coefficients, :math:`c_1P + c_0 = 0`)."""
        P = sp.Dummy("P")
        c1, c0 = sp.Poly(P - self.rung - self.kernel * P, P).all_coeffs()
        if c1 == 0:  # pragma: no cover - a kernel identically 1 has no solution
            raise ArithmeticError("the Bethe-Salpeter equation has no solution (kernel = 1)")
        return -c0 / c1

    def doit(self, **hints) -> sp.Expr:
        """The summed ladder, checked equal to the Bethe-Salpeter solution."""
        value = self._summed()
        difference = value - self.bethe_salpeter()
        if sp.cancel(difference) != 0 and sp.simplify(difference) != 0:  # pragma: no cover
            raise ArithmeticError("geometric sum and Bethe-Salpeter solution disagree")
        return value

    def __eq__(self, other):
        return isinstance(other, Ladder) and self._args == other._args

    def __hash__(self):
        return hash(self._args)

    def __repr__(self):
        return f"Ladder({self.kind!r}, rung={self.rung}, kernel={self.kernel})"

    def latex(self) -> str:
        letter = "P" if self.kind == "diffuson" else "C"
        return f"{letter} = {latex(self.series)} = {latex(self.doit())}"

    def _latex(self, printer, *args, **kwargs) -> str:
        return self.latex()

    def _repr_latex_(self) -> str:
        return f"${self.latex()}$"
