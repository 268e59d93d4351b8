r"""Weak localization of a quasi-1D wire with Nyquist noise: the exact Airy solution of Altshuler, Aronov and
Khmelnitsky (1982), derived with SymPy.

Setting (wire :math:`W \ll L_N`, electrons dephased by the equilibrium (Johnson-Nyquist) electric field
:math:`\langle E E\rangle = (2k_BT/\sigma_1)\,\delta(x-x')\delta(t-t')`, :math:`\sigma_1 = 1/(R/L)` the conductance
times length). A closed path of duration t and its time reverse pick up the phase difference
:math:`\varphi = (e/\hbar)\int_0^t d\tau\,[V(x(\tau),\tau)-V(x(t-\tau),\tau)]`, Gaussian with
:math:`\tfrac12\langle\varphi^2\rangle = (e^2k_BT/\sigma_1\hbar^2)\int_0^t d\tau\,|x(\tau)-x(t-\tau)|`.
The pair :math:`u(\tau) = x(\tau)`, :math:`v(\tau) = x(t-\tau)`, :math:`0\le\tau\le t/2`, are two independent walks
from the same point meeting at :math:`\tau = t/2`; their separation :math:`\rho` diffuses with :math:`2D` and feels
the potential :math:`\kappa|\rho|`, :math:`\kappa = 2e^2k_BT/(\sigma_1\hbar^2)`. So the return probability with
dephasing is the kernel :math:`K(0,0;t/2)` of :math:`H = -2D\partial_\rho^2 + \kappa|\rho|`, and

.. math:: \int_0^\infty dt\,e^{-\Gamma t}K(0,0;t/2) = 2\,G(0,0;2\Gamma),\qquad G(E) = \langle0|(H+E)^{-1}|0\rangle .

:func:`resolvent_at_origin` solves :math:`(H+E)\psi = \delta(\rho)` with :math:`\psi = A\,\mathrm{Ai}(|\rho|/L_N+e)`,
:math:`L_N^3 = 2D/\kappa = \hbar^2D\sigma_1/(e^2k_BT)`, :math:`e = E L_N^2/2D`, and the jump condition. With the WL
prefactor :math:`\delta\sigma = -(se^2D/\pi\hbar)\sum_cw_c\int dt\,P_c(t)` (:func:`mesocorr.diagrams.hikami.wl_prefactor`):

.. math:: \delta\sigma_{1D} = s\,\frac{e^2}{h}\sum_c w_c\,L_N\,\frac{\mathrm{Ai}(e_c)}{\mathrm{Ai}'(e_c)},\qquad
          e_c = L_N^2\Gamma_c/D

(:func:`wire_correction`; :math:`\Gamma_c` = spin gap + field rate + other dephasing). For :math:`e_c\to\infty`
this is :math:`-s w_c\sqrt{D/\Gamma_c}`, the exponential-dephasing form. At B = 0 without other dephasing it equals the
exponential form with :math:`L_\phi = (-\mathrm{Ai}(0)/\mathrm{Ai}'(0))L_N = \Gamma(\tfrac13)/(3^{1/3}\Gamma(\tfrac23))\,L_N
= 1.37172\,L_N`; the rate of :func:`mesocorr.nyquist_dephasing_rate` (Pierre et al. 2003, eq. 3) is
:math:`1/\tau_\phi = 1/(2\tau_N)`, :math:`\tau_N = L_N^2/D`, i.e. :math:`L_\phi = \sqrt2\,L_N`; the ratio is
:func:`l_phi_ratio` :math:`= 0.969953`.

References
----------
.. [AAK82] B. L. Altshuler, A. G. Aronov, D. E. Khmelnitsky, J. Phys. C 15, 7367 (1982).
.. [Pierre03] F. Pierre et al., Phys. Rev. B 68, 085413 (2003), eq. (3).
.. [TM05] C. Texier, G. Montambaux, Phys. Rev. B 72, 115327 (2005) (the path-integral formulation used here).
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from mesocorr.diagrams.hikami import SYMBOLS as _H
from mesocorr.diagrams.hikami import wl_prefactor

__all__ = ["SYMBOLS", "resolvent_at_origin", "wire_correction", "nyquist_length", "l_phi_ratio"]

rho, E, D, kappa, L_N, Gamma = sp.symbols("rho E D kappa L_N Gamma_c", positive=True)
e, hbar, kT, sigma1, s, w = sp.symbols("e hbar k_BT sigma_1 s w_c", positive=True)
A = sp.Symbol("A")

#: the symbols of this module by name
SYMBOLS = {"rho": rho, "E": E, "D": D, "kappa": kappa, "L_N": L_N, "Gamma_c": Gamma, "e": e, "hbar": hbar,
           "kT": kT, "sigma_1": sigma1, "s": s, "w_c": w}


def nyquist_length() -> sp.Expr:
    r""":math:`L_N = (2D/\kappa)^{1/3}` with :math:`\kappa = 2e^2k_BT/(\sigma_1\hbar^2)`:
    :math:`(\hbar^2D\sigma_1/e^2k_BT)^{1/3}`.

    >>> nyquist_length()
    D**(1/3)*hbar**(2/3)*sigma_1**(1/3)/(e**(2/3)*k_BT**(1/3))
    """
    return sp.simplify((2 * D / (2 * e**2 * kT / (sigma1 * hbar**2))) ** sp.Rational(1, 3))


@cache
def resolvent_at_origin() -> tuple[sp.Expr, list]:
    r""":math:`G(0,0;E)` of :math:`H = -2D\partial^2_\rho + \kappa|\rho|` (SymPy: ODE check, jump condition).

    Returns ``(G, steps)`` with :math:`G = -\frac{L_N}{4D}\frac{\mathrm{Ai}(e)}{\mathrm{Ai}'(e)}`,
    :math:`e = E/(\kappa L_N)`, in terms of the symbols ``L_N`` (:math:`\kappa = 2D/L_N^3`) and E.
    """
    kap = 2 * D / L_N**3
    ee = E / (kap * L_N)
    psi = A * sp.airyai(rho / L_N + ee)  # rho > 0 branch, even continuation
    ode = sp.simplify(-2 * D * sp.diff(psi, rho, 2) + (kap * rho + E) * psi)
    ode = sp.simplify(ode.subs(sp.Derivative(sp.airyai(rho / L_N + ee), rho, 2),
                               (rho / L_N + ee) * sp.airyai(rho / L_N + ee) / L_N**2))
    if ode != 0:  # pragma: no cover
        raise ArithmeticError(f"Ai(|rho|/L_N + e) does not solve the equation: {ode}")
    # jump: -2D [psi'(0+) - psi'(0-)] = 1 with psi even: psi'(0-) = -psi'(0+)
    slope = sp.diff(psi, rho).subs(rho, 0)
    (amp,) = sp.solve(sp.Eq(-2 * D * 2 * slope, 1), A)
    G = sp.simplify((psi.subs(A, amp)).subs(rho, 0))
    steps = [("Schrodinger equation of the separation for rho > 0", sp.Eq(ode, 0)),
             ("jump condition -2D [psi'] = 1 fixes the amplitude", sp.Eq(A, amp)),
             ("resolvent at the origin", sp.Eq(sp.Symbol("G(0,0;E)"), G))]
    return G, steps


@cache
def wire_correction() -> sp.Expr:
    r"""One channel's :math:`\delta\sigma_{1D}` (units :math:`e^2/h` times metre, times :math:`w_c`) with Nyquist
    noise: :math:`s\,w_c\,L_N\,\mathrm{Ai}(e_c)/\mathrm{Ai}'(e_c)`, :math:`e_c = L_N^2\Gamma_c/D`.

    >>> wire_correction()
    L_N*s*w_c*airyai(Gamma_c*L_N**2/D)/airyaiprime(Gamma_c*L_N**2/D)
    """
    G, _ = resolvent_at_origin()
    P = wl_prefactor(2).subs({_H["D"]: D, _H["e"]: e, _H["hbar"]: hbar, _H["s"]: s})
    # int dt e^{-Gamma t} K(0,0;t/2) = 2 G(0,0; 2 Gamma)
    expr = -P * w * 2 * G.subs(E, 2 * Gamma)
    return sp.simplify(expr / (e**2 / (2 * sp.pi * hbar)))


def l_phi_ratio() -> sp.Expr:
    r""":math:`L_\phi^{exact}/L_\phi^{\tau_\phi} = (-\mathrm{Ai}(0)/\mathrm{Ai}'(0))/\sqrt2
    = \Gamma(\tfrac13)/(3^{1/3}\Gamma(\tfrac23)\sqrt2)` (B = 0, no other dephasing).

    >>> round(float(l_phi_ratio()), 6)
    0.969953
    """
    return sp.gammasimp(-sp.airyai(0) / sp.airyaiprime(0) / sp.sqrt(2))
