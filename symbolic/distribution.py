r"""The distribution function of a biased diffusive wire: the exact limits, derived with SymPy.

Stationary Boltzmann-diffusion equation for :math:`f(E, x)`, :math:`x` in units of the length :math:`L`,
time in units of :math:`\tau_D = L^2/D`:

.. math:: \partial_x^2 f + \tau_D\,I_{coll}[f] = 0,\qquad f(E,0) = f_0(E-\mu_L),\quad f(E,1) = f_0(E-\mu_R),

:math:`\mu_L - \mu_R = eV`. Without inelastic scattering :math:`\partial_x^2 f = 0`: the double step
(:func:`double_step`). With strong electron-electron scattering :math:`f` is a local Fermi function whose
:math:`\mu(x)` and :math:`T_e(x)` follow from particle and energy conservation,
:math:`\partial_x^2\int dE\,[f-\theta(-E)] = 0` and :math:`\partial_x^2\int dE\,E\,[f-\theta(-E)] = 0`
(both moments of :math:`I_{coll}` vanish): :func:`hot_electron_temperature` (the Wiedemann-Franz profile).
Energies in units of :math:`k_B` = 1 (temperatures are energies).

References
----------
.. [N92] K. E. Nagaev, Phys. Lett. A 169, 103 (1992); Phys. Rev. B 52, 4740 (1995) (hot-electron profile).
.. [P97] H. Pothier, S. Guéron, N. O. Birge, D. Esteve, M. H. Devoret, Phys. Rev. Lett. 79, 3490 (1997).
.. [KA99] A. Kamenev, A. Andreev, Phys. Rev. B 60, 2218 (1999).
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from mesocorr.symbolic.memo import simplify

__all__ = ["SYMBOLS", "double_step", "fermi_integral", "sommerfeld_energy", "hot_electron_temperature",
           "energy_relaxation_rate", "partner_phase_space"]

E, x, T, eV, mu, y = sp.symbols("E x T eV mu y", real=True)
eps, kappa, alpha = sp.symbols("epsilon kappa alpha", positive=True)
f_L, f_R = sp.Function("f_L"), sp.Function("f_R")
k = sp.Symbol("k", integer=True, positive=True)

#: the symbols of this module by name
SYMBOLS = {"E": E, "x": x, "T": T, "eV": eV, "mu": mu, "epsilon": eps, "kappa": kappa, "alpha": alpha}


@cache
def double_step() -> sp.Expr:
    r"""No inelastic scattering: :math:`\partial_x^2f = 0` with the reservoir boundary values (SymPy ``dsolve``):
    :math:`f = (1-x)f_L(E) + xf_R(E)`.

    >>> double_step()
    x*f_R(E) + (1 - x)*f_L(E)
    """
    f = sp.Function("f")
    sol = sp.dsolve(sp.Eq(f(x).diff(x, 2), 0), f(x), ics={f(0): f_L(E), f(1): f_R(E)}).rhs
    canonical = (1 - x) * f_L(E) + x * f_R(E)
    if sp.expand(sol - canonical) != 0:  # pragma: no cover - linear in f_L, f_R: expand decides
        raise ArithmeticError("double step: dsolve gave a different solution")
    return canonical


@cache
def fermi_integral() -> sp.Expr:
    r""":math:`\int_0^\infty y\,dy/(e^y+1) = \eta(2) = \pi^2/12`, term by term from
    :math:`1/(e^y+1) = \sum_{k\ge1}(-1)^{k+1}e^{-ky}`; SymPy sums the alternating series of the (absolutely
    convergent) terms :math:`t_k` as :math:`\sum_k t_k - 2\sum_k t_{2k}` (two zeta sums; tests/test_distribution.py
    compares with SymPy's direct alternating summation).

    >>> fermi_integral()
    pi**2/12
    """
    term = sp.integrate(y * sp.exp(-k * y), (y, 0, sp.oo), conds="none")
    total = sp.summation(term, (k, 1, sp.oo)) - 2 * sp.summation(term.subs(k, 2 * k), (k, 1, sp.oo))
    return simplify(total)  # memoised simplify (a monomial such as pi**2/12 is returned as it is)


@cache
def sommerfeld_energy() -> sp.Expr:
    r""":math:`\int dE\,E\,[f_0(E-\mu) - \theta(-E)] = \mu^2/2 + \pi^2T^2/6` for a Fermi function at :math:`(\mu, T)`.

    Split :math:`f_0 - \theta(-E) = [f_0 - \theta(\mu-E)] + [\theta(\mu-E)-\theta(-E)]`: the second gives
    :math:`\int_0^\mu E\,dE`; in the first, :math:`E = \mu + Ty` and :math:`f_0-\theta` is odd in :math:`y`, so only
    :math:`T^2\cdot2\int_0^\infty y/(e^y+1)\,dy` survives (:func:`fermi_integral`).

    >>> sommerfeld_energy()
    pi**2*T**2/6 + mu**2/2
    """
    return sp.integrate(E, (E, 0, mu)) + T**2 * 2 * fermi_integral()


@cache
def hot_electron_temperature() -> sp.Expr:
    r"""Local electron temperature squared :math:`T_e(x)^2` with strong electron-electron scattering.

    Particle conservation makes :math:`\mu(x) = (1-x)\mu_L + x\mu_R` linear, energy conservation makes
    :math:`u(x) = \mu^2/2 + \pi^2T_e^2/6` (:func:`sommerfeld_energy`) linear between its reservoir values;
    solving for :math:`T_e^2` (SymPy) gives the Wiedemann-Franz profile
    :math:`T_e^2 = T^2 + \frac{3}{\pi^2}(eV)^2x(1-x)` (independent of where the bias sits, :math:`\mu_L-\mu_R = eV`).

    >>> hot_electron_temperature()
    T**2 + 3*eV**2*x*(1 - x)/pi**2
    """
    muL, muR, Te2 = sp.symbols("mu_L mu_R T_e2")
    u = sommerfeld_energy()
    mux = (1 - x) * muL + x * muR
    ux = (1 - x) * u.subs({mu: muL}) + x * u.subs({mu: muR})
    # energy balance, linear in T_e^2: c1 T_e^2 + c0 = 0 (solved from its two coefficients, as sympy.solve would;
    # tests/test_distribution.py compares the two)
    c1, c0 = sp.Poly(sp.expand(u.subs({mu: mux, T**2: Te2}) - ux), Te2).all_coeffs()
    sol = -c0 / c1
    sol = sol.subs(muL, muR + eV)
    canonical = T**2 + 3 * eV**2 * x * (1 - x) / sp.pi**2
    if sp.cancel(sol - canonical) != 0:  # pragma: no cover - rational functions: cancel decides
        raise ArithmeticError(f"hot-electron profile mismatch: {sol}")
    return canonical


@cache
def partner_phase_space() -> sp.Expr:
    r""":math:`X(\epsilon) = \int dE'\,f(E')[1-f(E'+\epsilon)]` for a Fermi sea at :math:`T = 0`: :math:`\epsilon`
    (:math:`\epsilon > 0`; SymPy with Heaviside steps, integrated as their piecewise form: the steps split the
    line into intervals, each integrated exactly, ~4x faster than SymPy's Meijer-G route for the Heaviside
    product, which tests/test_distribution.py compares).

    >>> partner_phase_space()
    epsilon
    """
    Ep = sp.Symbol("E_p", real=True)
    steps = sp.Heaviside(-Ep) * (1 - sp.Heaviside(-Ep - eps))
    return simplify(sp.integrate(steps.rewrite(sp.Piecewise), (Ep, -sp.oo, sp.oo)))


@cache
def energy_relaxation_rate() -> sp.Expr:
    r"""Out-scattering rate :math:`1/\tau_E` of an electron at energy :math:`E` above a :math:`T = 0` Fermi sea
    with the kernel :math:`K(\epsilon) = \kappa\epsilon^{-\alpha}`, :math:`\alpha < 2`:
    :math:`\int_0^E d\epsilon\,K(\epsilon)X(\epsilon) = \kappa E^{2-\alpha}/(2-\alpha)` (final state empty for
    :math:`\epsilon < E`). mesocorr defines :math:`\tau_E` at :math:`E = eV`; :math:`\alpha = 3/2`:
    :math:`1/\tau_E = 2\kappa\sqrt{eV}`.

    >>> energy_relaxation_rate()
    -E**(2 - alpha)*kappa/(alpha - 2)
    """
    Epos = sp.Symbol("E", positive=True)
    beta = sp.Symbol("beta", positive=True)  # 2 - alpha > 0
    integrand = sp.powsimp((kappa * eps ** (-alpha) * partner_phase_space()).subs(alpha, 2 - beta))
    # antiderivative by SymPy, checked by differentiating it; eps^beta -> 0 at eps = 0 (beta > 0)
    prim = sp.integrate(integrand, eps)
    if sp.cancel(sp.diff(prim, eps) - integrand) != 0:  # pragma: no cover
        raise ArithmeticError("energy relaxation: the antiderivative does not differentiate back")
    rate = (prim.subs(eps, Epos) - prim.subs(eps, 0)).subs(beta, 2 - alpha)
    return sp.factor(rate).subs(Epos, E)
