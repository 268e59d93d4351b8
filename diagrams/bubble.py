r"""The Drude bubble: classical conductivity :math:`\sigma_0 = s e^2\nu D` from the bare bubble.

Kubo-Streda formula at zero temperature and :math:`\omega\to0`, without vertex corrections
(they vanish for isotropic scattering because :math:`\langle\mathbf v\rangle_{\hat k}=0`):

.. math:: \sigma_{xx} = \frac{s e^2\hbar}{2\pi}\int\frac{d^dk}{(2\pi)^d}\,v_x^2
          \left[G^RG^A - \mathrm{Re}\,G^RG^R\right]_{\varepsilon_F},

with :math:`\int d^dk/(2\pi)^d\to\nu\int d\xi\,\langle\cdot\rangle_{\hat k}`, :math:`\nu` the
density of states per spin per unit volume and :math:`s = 2` the spin degeneracy. The
:math:`\xi`-integrals are done by residues: :math:`\int d\xi\,G^RG^A = 2\pi\tau/\hbar`, while
:math:`\int d\xi\,G^RG^R = 0` (both poles on the same side). With
:math:`\langle v_x^2\rangle = v_F^2/d` this gives :math:`\sigma_0 = s e^2\nu v_F^2\tau/d = s e^2\nu D`
(Einstein relation), :math:`D` being the diffusion constant of the Diffuson pole
(:func:`mesocorr.symbolic.propagators.diffusion_pole`).

References
----------
.. [AM07] E. Akkermans, G. Montambaux, *Mesoscopic Physics of Electrons and Photons* (CUP 2007),
   ch. 7 (Drude conductivity from the Kubo formula; :math:`\sigma_0 = s e^2\rho_0 D`).
"""

from __future__ import annotations

import sympy as sp

from mesocorr.arguments import integer, sympy_value

from mesocorr.diagrams.lines import HBAR, SYMBOLS, TAU, XI, GreenLine, angular_average, xi_integral
from mesocorr.symbolic.printing import latex

__all__ = ["DrudeBubble"]


class DrudeBubble:
    r"""The bare current-current bubble in ``d`` dimensions with spin degeneracy ``s``.

    :meth:`doit` returns :math:`\sigma_0` in terms of :math:`e, \nu, v_F, \tau`;
    :meth:`steps` the derivation; :meth:`einstein` the same written as :math:`s e^2\nu D`.

    Examples
    --------
    >>> DrudeBubble(2).doit()
    e**2*nu*tau*v_F**2
    >>> DrudeBubble(3).einstein()
    2*D*e**2*nu
    """

    __slots__ = ("_args",)

    def __init__(self, d: int, spin_degeneracy=2):
        d = integer("d", d, minimum=1, maximum=3)
        self._args = (d, sympy_value("spin_degeneracy", spin_degeneracy))

    d = property(lambda self: self._args[0], doc="dimension")
    spin_degeneracy = property(lambda self: self._args[1], doc="spin degeneracy s (2 unless spin is resolved)")

    @property
    def args(self) -> tuple:
        return self._args

    def steps(self) -> list[tuple[str, sp.Expr]]:
        """``(explanation, expression)`` pairs of the derivation."""
        e, nu, v = SYMBOLS["e"], SYMBOLS["nu"], SYMBOLS["v_F"]
        energy = SYMBOLS["varepsilon"]
        u = sp.Symbol("u", real=True)
        s = self.spin_degeneracy
        GR = GreenLine("R", 0, energy).doit(XI)
        GA = GreenLine("A", 0, energy).doit(XI)
        prefactor = s * e**2 * HBAR / (2 * sp.pi) * nu * v**2 * u**2
        out = [("Kubo-Streda bubble, sum_k -> nu int dxi <.>, v_x = v_F u",
                prefactor * (GR * GA - sp.re(GR * GR, evaluate=False)))]
        ra, rr = xi_integral(GR * GA), xi_integral(GR * GR)
        out.append(("int dxi G^R G^A by residues", ra))
        out.append(("int dxi G^R G^R by residues (double pole, upper half plane)", rr))
        integrated = sp.expand(prefactor * (ra - rr))
        out.append(("after the energy integral", integrated))
        sigma = sp.simplify(angular_average(integrated, u, self.d))
        out.append((f"angular average in d = {self.d}: <u^2> = 1/{self.d}", sigma))
        return out

    def doit(self, **hints) -> sp.Expr:
        r""":math:`\sigma_0` in terms of :math:`e, \nu, v_F, \tau` (with :math:`\hbar` cancelled)."""
        return self.steps()[-1][1]

    def einstein(self) -> sp.Expr:
        r""":math:`\sigma_0` with :math:`\tau` eliminated for the kinetic diffusion constant
        :math:`D = \tau\langle v_x^2\rangle` (:math:`= v_F^2\tau/d`). The tests check that this is the
        :math:`D` of the Diffuson pole, :func:`mesocorr.symbolic.propagators.diffusion_pole`, an
        independent route (the ladder sum)."""
        D, v = SYMBOLS["D"], SYMBOLS["v_F"]
        u = sp.Symbol("u", real=True)
        D_value = TAU * angular_average((v * u) ** 2, u, self.d)
        sigma = self.doit()
        (tau_of_D,) = sp.solve(sp.Eq(D, D_value), TAU)
        result = sp.simplify(sigma.subs(TAU, tau_of_D))
        if result.has(v) or result.has(TAU):  # pragma: no cover
            raise ArithmeticError(f"sigma_0 is not proportional to D: {result}")
        return result

    def __repr__(self):
        return f"DrudeBubble(d={self.d}, spin_degeneracy={self.spin_degeneracy})"

    def latex(self) -> str:
        return rf"\sigma_0 = {latex(self.doit())} = {latex(self.einstein())}"

    def _latex(self, printer, *args, **kwargs) -> str:
        return self.latex()

    def _repr_latex_(self) -> str:
        return f"${self.latex()}$"
