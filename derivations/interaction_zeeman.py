"""Derivation ``interaction-zeeman``: Zeeman splitting of the triplet Diffusons and the function g_2(h)."""

from __future__ import annotations

import mpmath
import sympy as sp

from mesocorr.derivations.core import Derivation, check_numeric, check_symbolic, check_true
from mesocorr.integrals.interaction import zeeman_g_mp
from mesocorr.symbolic import interaction as I

TITLE = r"Zeeman magnetoresistance of the interaction correction: the $m = \pm1$ triplet Diffusons and $g_2(h)$"

_LR = (r"Lee & Ramakrishnan, Rev. Mod. Phys. 57, 287 (1985), Sec. III: $g_2(h) = \int_0^\infty d\Omega\, "
       r"\frac{d^2}{d\Omega^2}\bigl[\frac{\Omega}{e^\Omega - 1}\bigr]\ln\lvert 1 - h^2/\Omega^2\rvert$; quoted limits "
       r"$0.084\,h^2$ and $\ln(h/1.3)$")
_AA = r"Altshuler & Aronov (1985); Lee & Ramakrishnan (1985) Sec. III ($m = \pm1$ triplets shifted by $\pm E_Z$)"
_DLMF = "NIST DLMF 5.11.2 (digamma asymptotics) and 25.11.10 (Hurwitz zeta Taylor series)"

#: reduced fields of the numeric checks (exact decimals)
_H = ("0.3", "2", "15")


def _lr_integral(h: str) -> mpmath.mpf:
    """Independent route: Lee-Ramakrishnan's integral by mpmath quadrature (30 digits), split at the log
    singularity O = h. (O/(e^O - 1))'' = f''/2 with f = O coth(O/2), f'' = (x coth x - 1)/sinh^2 x at x = O/2,
    written with u = 1 - e^{-O} = -expm1(-O) (one exponential, no cancellation in u):
    x coth x = x (2 - u)/u, 1/sinh^2 x = 4 (1 - u)/u^2."""
    with mpmath.workdps(30):
        hm = mpmath.mpf(h)
        h2 = hm * hm
        small = mpmath.mpf("1e-3")
        # Taylor series (SymPy) of f''/2, error O(x^10) < 1e-30 below x = 1e-3: no cancellation near 0
        c0, c1, c2, c3, c4 = (mpmath.mpf(1) / 6, -mpmath.mpf(1) / 15, mpmath.mpf(1) / 63, -mpmath.mpf(2) / 675,
                              mpmath.mpf(1) / 2079)

        def integrand(O):
            x = O / 2
            if x < small:
                y = x * x
                w = c0 + y * (c1 + y * (c2 + y * (c3 + y * c4)))
            else:
                u = -mpmath.expm1(-O)
                w = (x * (2 - u) / u - 1) * 2 * (1 - u) / (u * u)
            return w * mpmath.log(abs(1 - h2 / (O * O)))

        pts = [0, hm / 2, hm, 3 * hm / 2, 2 * hm + 10, 4 * hm + 60]
        return mpmath.quad(integrand, pts)


def build() -> Derivation:
    d = Derivation("interaction-zeeman", TITLE,
                   "A field splits the spin bands by $E_Z = |g|\\mu_BB$. In the particle-hole pair "
                   "$G^R_\\sigma G^A_{\\sigma'}$ the rung becomes that of $\\omega - (\\sigma-\\sigma')E_Z/2\\hbar$; in "
                   "the Diffuson channel basis this shifts the $m = \\pm1$ triplets. Their contribution to the "
                   "interaction correction at $B$ minus that at $B = 0$ is $\\delta\\sigma(B,T)-\\delta\\sigma(0,T) = "
                   "-\\frac{e^2}{4\\pi^2\\hbar}\\tilde F_\\sigma\\,g_2(h)$, $h = E_Z/k_BT$ (2D; in $e^2/h$: "
                   "$-\\tilde F_\\sigma g_2/2\\pi$). Conventions: pole $1/(Dq^2-i\\omega+\\Gamma)$, $b = h/2\\pi$.")
    gaps = I.zeeman_diffuson_gaps()
    d.equation("Diffuson gaps $\\Gamma$ of the spin channels with the Zeeman term (the engine: particle-hole spin space, "
               "rungs by residues):", r"(\Gamma_S, \Gamma_{T_0}, \Gamma_{T_{+1}}, \Gamma_{T_{-1}})",
               sp.Matrix([[gaps[k] for k in ("singlet", "triplet_0", "triplet_+1", "triplet_-1")]]))
    g2 = I.zeeman_function(2)
    d.equation("The $\\omega$ integral of the shifted triplets closes on the double poles of "
               "$\\partial_\\omega[\\omega\\coth]$ at the Matsubara frequencies; the sum over them gives "
               "($\\gamma$ Euler's constant, $\\psi$ digamma):", "g_2(h)", g2)
    c2 = I.zeeman_small_h(2, 2)
    d.equation("Small $h$ (series converges for $h < 2\\pi$): coefficients of $h^2$ and $h^4$",
               "(c_1, c_2)", sp.Matrix([c2]))
    big = I.zeeman_large_h(2, 1)
    d.equation("Large $h$ (digamma asymptotics, one correction):", r"g_2(h \gg 1)", big)

    # ---- checks
    EZ, hbar = I.SYMBOLS["E_Z"], I.SYMBOLS["hbar"]
    d.check(check_symbolic(r"The $m = \pm1$ triplets are shifted by $\pm iE_Z/\hbar$, singlet and $m = 0$ triplet "
                           "unshifted",
                           _AA, sp.Matrix([[gaps["singlet"], gaps["triplet_0"], gaps["triplet_+1"] * gaps["triplet_-1"]]]),
                           sp.Matrix([[0, 0, (EZ / hbar) ** 2]])))
    for hv in _H:
        d.check(check_numeric(f"$g_2({hv})$: closed form = Lee–Ramakrishnan's integral", _LR + " (mpmath quadrature)",
                              zeeman_g_mp(2, hv, 30), _lr_integral(hv), rtol=1e-20))
    d.check(check_symbolic(r"Small-$h$ coefficient $3\zeta(3)/(4\pi^2)$ (from the Hurwitz-zeta Taylor series)", _DLMF,
                           c2[0], 3 * sp.zeta(3) / (4 * sp.pi**2)))
    with mpmath.workdps(40):
        hs = mpmath.mpf("1e-6")
        ratio = zeeman_g_mp(2, hs, 40) / hs**2
    d.check(check_numeric(r"$\lim_{h\to0} g_2(h)/h^2$ by the 40-digit closed form at $h = 10^{-6}$",
                          "independent route: mpmath evaluation of the digamma closed form", ratio, c2[0], rtol=1e-12))
    with mpmath.workdps(30):
        hl = mpmath.mpf(10) ** 8
        const = zeeman_g_mp(2, hl, 30) - mpmath.log(hl)
    d.check(check_numeric(r"Large $h$: $g_2(h) - \ln h \to -\ln(2\pi e^{-1-\gamma})$ ($h = 10^8$, 30-digit closed form; "
                          r"the next term is $1/(12 b^2) = 3\times10^{-16}$)",
                          "independent route: mpmath evaluation of the digamma closed form",
                          const, -sp.log(2 * sp.pi * sp.exp(-1 - sp.EulerGamma)), rtol=1e-12))
    exact = float(c2[0])
    d.check(check_true(r"The review's $0.084\,h^2$ is not the exact coefficient: $3\zeta(3)/(4\pi^2) = 0.09135$ "
                       "is 8.7 % larger", _LR, abs(exact / 0.084 - 1 - 0.0874) < 1e-3,
                       "numeric comparison of the exact coefficient with the quoted value",
                       f"exact ${exact:.7f}$, quoted $0.084$"))
    h2 = float(2 * sp.pi * sp.exp(-1 - sp.EulerGamma))
    d.check(check_true(r"The review's 1.3 in $\ln(h/1.3)$ is $h_2 = 2\pi e^{-1-\gamma} = 1.29779$ rounded", _LR,
                       round(h2, 1) == 1.3, "numeric comparison", f"$h_2 = {h2:.7f}$"))
    return d
