"""Derivation ``interaction-2d``: the Altshuler-Aronov correction of a film from the Diffuson channels."""

from __future__ import annotations

import math

import mpmath
import sympy as sp

from mesocorr.derivations.core import Derivation, check_numeric, check_symbolic
from mesocorr.integrals.interaction import exchange_double_integral
from mesocorr.interaction import f_tilde
from mesocorr.symbolic import interaction as I

TITLE = ("Electron-electron interaction in 2D (Altshuler–Aronov): the singlet and triplet Diffuson channels, "
         r"the $\ln T$ and $\tilde F_\sigma$")

_ZNA = (r"Zala, Narozhny & Aleiner, Phys. Rev. B 64, 214204 (2001) (diffusive limit: "
        r"$1 + 3[1 - \ln(1 + F_0^\sigma)/F_0^\sigma]$)")
_LR = r"Lee & Ramakrishnan, Rev. Mod. Phys. 57, 287 (1985), Sec. III ($\tilde F$ in terms of Altshuler–Aronov's $F$)"
_AA = ("Altshuler & Aronov, in Electron-Electron Interactions in Disordered Systems (North-Holland 1985): "
       r"$\delta\sigma = \frac{e^2}{2\pi^2\hbar}(1 - \frac34\tilde F)\ln(k_BT\tau/\hbar)$")
_AM13 = "Akkermans & Montambaux (CUP 2007), ch. 13 (dynamically screened interaction, diffusive density response)"

#: Landau parameter of the numeric checks (exact rational), temperature ratio of the brute-force route
_F0 = sp.Rational(-1, 4)
_T_RATIO = 3.0


def build() -> Derivation:
    d = Derivation("interaction-2d", TITLE,
                   "First order in the dynamically screened interaction, with Diffuson vertices: "
                   "$\\delta\\sigma = -\\frac{2\\sigma_0}{\\pi d\\hbar}\\int d\\omega\\,\\partial_\\omega[\\omega"
                   "\\coth\\frac{\\hbar\\omega}{2k_BT}]\\,\\mathrm{Im}\\int\\frac{d^dq}{(2\\pi)^d}\\frac{Dq^2U(q,\\omega)}"
                   "{(Dq^2-i\\omega)^3}$, summed over the spin singlet (exchange, Coulomb) and the three spin triplets "
                   "(Hartree, Landau parameter $F_0^\\sigma$). The prefactor $2/(\\pi d)$ is the one input; everything "
                   "else is computed. Conventions: $\\nu$ density of states per spin, $s = 2$, $\\nu_t = s\\nu$; "
                   "results in $e^2/h$ per square; $F_0^\\sigma > -1$.")
    chi, steps = I.density_response(2)
    for text, expr in steps:
        d.step(text[0].upper() + text[1:] + ":", expr)
    # factor_terms: the common content out of the lowest-terms quotient, sp.factor's form here without factoring over
    # the Gaussian rationals (tests/test_interaction_speed.py compares the srepr)
    Us, Ut = I.screened_interaction("singlet"), sp.factor_terms(I.screened_interaction("triplet"))
    d.equation("Singlet channel: the Coulomb interaction $V_0/(1+V_0\\chi)$, unitary limit $V_0\\to\\infty$:",
               "U_s", Us)
    d.equation("Triplet channel: the amplitude $F_0^\\sigma/\\nu_t$ summed in the spin-density channel (spin "
               "diffusion constant $D(1+F_0^\\sigma)$):", "U_t", Ut)
    lam = I.channel_factor(2)
    d.equation("Triplet/singlet ratio of the momentum integrals of $Dq^2U/(Dq^2-i\\omega)^3$ (partial fractions, "
               "Mellin-type integrals in $x = Dq^2/(-i\\omega)$):", r"\lambda_2", lam)
    Ft = I.f_tilde(2)
    d.equation("Three triplets: $\\delta\\sigma\\propto 1 + 3\\lambda_2 = 1 - \\frac34\\tilde F_\\sigma$ with",
               r"\tilde F_\sigma", Ft)
    K2 = I.temperature_constant(2)
    d.equation("Coefficient of $\\ln(k_BT\\tau/\\hbar)$ of the singlet part (Frullani integral of the thermal "
               "kernel), $e^2/h$ per square:", "K_2", K2)
    rel, _ = I.aa_relation()
    d.step("Altshuler–Aronov's averaged $F$ enters the triplet as the static amplitude $-F/2$; with Landau's "
           "$A_0 = F_0/(1+F_0)$:", rel)
    law = I.temperature_law(2)
    d.equation("Result:", r"\delta\sigma_{ee}", law)

    # ---- checks
    q, w, D, nu, s = (I.SYMBOLS[k] for k in ("q", "omega", "D", "nu", "s"))
    d.check(check_symbolic(r"Density response $\chi = \nu_t Dq^2/(Dq^2 - i\omega)$ (particle conservation at $q = 0$, "
                           r"compressibility $\nu_t$ at $\omega = 0$)", _AM13, chi, s * nu * D * q**2 / (D * q**2 - sp.I * w)))
    d.check(check_symbolic(r"The singlet is the $F_0^\sigma \to \infty$ limit of the triplet form",
                           r"independent route: SymPy limit of $U_t$", sp.limit(I.screened_interaction("triplet"), I.F0,
                                                                              sp.oo), Us))
    d.check(check_symbolic(r"$1 + 3\lambda_2$ is the diffusive limit of Zala–Narozhny–Aleiner", _ZNA,
                           1 + 3 * lam, 1 + 3 * (1 - sp.log(1 + I.F0) / I.F0)))
    lr2 = 8 * (1 + I.F_aa / 2) * sp.log(1 + I.F_aa / 2) / I.F_aa - 4
    for Fv in (sp.Rational(1, 2), sp.Integer(1)):
        d.check(check_numeric(r"$\tilde F_\sigma$ with $1 + F_0^\sigma = 1/(1 + F/2)$ is Lee–Ramakrishnan's form at "
                              f"$F = {sp.latex(Fv)}$",
                              _LR, I.f_tilde_aa(2).subs(I.F_aa, Fv), lr2.subs(I.F_aa, Fv), rtol=1e-25, dps=40))
    d.check(check_symbolic(r"Coefficient of the log: $e^2/(2\pi^2\hbar) = (1/\pi)\, e^2/h$", _AA, K2, 1 / sp.pi))
    brute = exchange_double_integral(2, float(_F0), T_ratio=_T_RATIO, method="gauss-legendre")
    d.check(check_numeric(rf"$\delta\sigma(3T) - \delta\sigma(T)$ at $F_0^\sigma = {sp.latex(_F0)}$: the closed form vs "
                          r"$q$- and $\omega$-quadrature of the ladder kernels",
                          "independent route: Gauss–Legendre product rule in $q$ and $\\omega$ (two orders, numpy) of the "
                          "starting formula (reduced units)",
                          brute, (K2 * (1 + 3 * lam)).subs(I.F0, _F0) * sp.log(sp.Integer(3)), rtol=1e-10))
    with mpmath.workdps(30):
        zna = 4 * (mpmath.log1p(mpmath.mpf(_F0.p) / _F0.q) / (mpmath.mpf(_F0.p) / _F0.q) - 1)
    d.check(check_numeric(rf"The library's $\tilde F_\sigma$ at $F_0^\sigma = {sp.latex(_F0)}$, 30 digits", _ZNA,
                          f_tilde(2, F0_sigma=float(_F0), dps=30), zna, rtol=1e-28))
    d.check(check_numeric(r"The library's float64 $\tilde F_\sigma(-1/4)$", _ZNA, f_tilde(2, F0_sigma=-0.25),
                          4 * (math.log1p(-0.25) / -0.25 - 1), rtol=1e-14))
    return d
