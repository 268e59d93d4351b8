"""Derivation ``double-step``: the distribution function of a biased wire, the double step and the hot-electron limit."""

from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp

from mesocorr.derivations.core import Derivation, check_numeric, check_symbolic, check_true
from mesocorr.integrals.distribution import collision_integral, energy_grid, fermi, solve_distribution
from mesocorr.symbolic import distribution as S
from mesocorr.symbolic.printing import tex_number

TITLE = r"Biased diffusive wire: the double-step distribution, the hot-electron (Wiedemann–Franz) limit and $\tau_E$"

_POTHIER = "Pothier, Gueron, Birge, Esteve & Devoret, PRL 79, 3490 (1997)"
_WF = ("Nagaev, PRB 52, 4740 (1995); Steinbach, Martinis & Devoret, PRL 76, 3806 (1996) "
       r"($T_e^2 = T^2 + x(1-x)V^2/L_0$, $L_0 = (\pi^2/3)(k_B/e)^2$)")
_ETA = r"DLMF 25.12 / 25.2 (Dirichlet $\eta(2) = \pi^2/12$), independent route: mpmath quadrature"
_GRID = "exact conservation of particles and energy by the discrete collision integral, numeric solve"


def build() -> Derivation:
    d = Derivation("double-step", TITLE,
                   "Conventions: $x \\in [0, 1]$ along the wire from the reservoir at $\\mu_L = eV$ to the one at "
                   "$\\mu_R = 0$, both at temperature $T$; energies in units with $k_B = 1$; time in units of "
                   "$\\tau_D = L^2/D$. Stationary Boltzmann-diffusion equation $\\partial_x^2 f + \\tau_D I_{coll}[f] = 0$.")
    x, E, T, eV, mu = (S.SYMBOLS[k] for k in ("x", "E", "T", "eV", "mu"))
    kappa, alpha = S.SYMBOLS["kappa"], S.SYMBOLS["alpha"]
    ds = d.equation("No inelastic scattering, $\\partial_x^2 f = 0$ with the reservoir boundary values (SymPy "
                    "dsolve): the double step", "f(E, x)", S.double_step())
    d.equation("Fermi integral term by term from $1/(e^y+1) = \\sum_k (-1)^{k+1}e^{-ky}$:",
               r"\int_0^\infty \frac{y\,dy}{e^y+1}", S.fermi_integral())
    d.equation("Energy density of a Fermi function at $(\\mu, T)$ above the $T = 0$ sea (Sommerfeld, exact):",
               r"\int dE\,E\,[f_0 - \theta(-E)]", S.sommerfeld_energy())
    Te2 = d.equation("Strong electron-electron scattering: $f$ is a local Fermi function; particle and energy "
                     "conservation make $\\mu(x)$ and the energy density linear in $x$; solved for $T_e^2$:",
                     "T_e(x)^2", S.hot_electron_temperature())
    d.equation("Out-scattering rate of an electron at $E$ above a $T = 0$ sea with $K(\\epsilon) = \\kappa"
               "\\epsilon^{-\\alpha}$: partner phase space $X(\\epsilon) = \\epsilon$ and", r"1/\tau_E(E)",
               S.energy_relaxation_rate())

    # ---- checks
    fL, fR = sp.Function("f_L"), sp.Function("f_R")
    d.check(check_symbolic(r"The double step solves $\partial_x^2 f = 0$ with $f(0) = f_L$, $f(1) = f_R$", _POTHIER,
                           sp.Matrix([sp.diff(ds, x, 2), ds.subs(x, 0), ds.subs(x, 1)]),
                           sp.Matrix([0, fL(E), fR(E)])))
    L0 = sp.pi**2 / 3
    d.check(check_symbolic(r"Hot electrons: $T_e^2 = T^2 + x(1 - x)(eV)^2/L_0$ (Wiedemann–Franz, $L_0 = \pi^2/3$ in "
                           r"units $k_B = e = 1$)", _WF, Te2, T**2 + x * (1 - x) * eV**2 / L0))
    with mpmath.workdps(30):
        eta = mpmath.quad(lambda y: y / (mpmath.exp(y) + 1), [0, mpmath.inf])
    d.check(check_numeric(r"$\int_0^\infty y\,dy/(e^y + 1) = \pi^2/12$", _ETA, S.fermi_integral(), eta, rtol=1e-25))
    rate = S.energy_relaxation_rate().subs({kappa: 1, alpha: sp.Rational(3, 2), E: 1})
    with mpmath.workdps(30):
        direct = mpmath.quad(lambda e: e ** mpmath.mpf(-1.5) * e, [0, 1])
    d.check(check_numeric(r"$\alpha = 3/2$ (quasi-1D Coulomb): $1/\tau_E = 2\kappa\sqrt{eV}$ at $E = eV$", _POTHIER,
                          rate, direct, rtol=1e-14))
    sol = solve_distribution(0.02, 3.0, 1.5, 12, 0.02, 1.0, 1e-13, 2000)
    jN, jE = sol["j_N"], sol["j_E"]
    d.check(check_numeric(r"Collision integral ($\tilde\kappa = 3$): the particle current is the reservoirs' value "
                          r"$1$ (in units of $eV/e^2R$) at every point of the wire: $\max_x\lvert j_N(x) - 1\rvert = 0$",
                          _GRID,
                          float(np.max(np.abs(jN - 1))), 0, rtol=0, atol=1e-10))
    d.check(check_numeric(r"and the energy current is $\frac12$ (in units of $(eV)^2/e^2R$), as without scattering: "
                          r"$\max_x\lvert j_E(x) - \frac12\rvert = 0$",
                          _GRID, float(np.max(np.abs(jE - 0.5))), 0, rtol=0, atol=1e-10))
    Eg, dE = energy_grid(0.02, 1.0)
    fe = fermi(Eg, 0.5, 0.08)
    inner = (Eg > -0.1) & (Eg < 1.1)
    resid = float(np.max(np.abs(collision_integral(fe, dE, 1.5)[0][inner])))
    d.check(check_true("A Fermi function is a zero of the collision integral (detailed balance)", _POTHIER,
                       resid < 1e-12, r"numeric: $\max\lvert I[f_0]\rvert < 10^{-12}$ on the grid",
                       rf"$\max\lvert I\rvert = {tex_number(f'{resid:.2g}')}$"))
    return d
