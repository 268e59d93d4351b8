"""Derivation ``ilp``: the Iordanskii-Lyanda-Geller-Pikus Cooperon of a 2D electron gas (Rashba, Dresselhaus)."""

from __future__ import annotations

from fractions import Fraction

import mpmath
import sympy as sp

from mesocorr.derivations.core import Derivation, check_numeric, check_symbolic, check_true
from mesocorr.ilp import ilp_magnetoconductance
from mesocorr.integrals.hln import hln_f_mp
from mesocorr.symbolic import ilp as I

TITLE = ("ILP Cooperon of a 2D electron gas: SU(2) gauge field of Rashba/Dresselhaus precession, Landau-level "
         "matrix, block closed form")

_K96 = "Knap et al., Phys. Rev. B 53, 3912 (1996), Eq. (37)"
_ILP = "Iordanskii, Lyanda-Geller & Pikus, JETP Lett. 60, 206 (1994)"
_HLN = "Hikami, Larkin & Nagaoka, Prog. Theor. Phys. 63, 707 (1980) (no spin-orbit: weak localization)"
_PSH = r"Bernevig, Orenstein & Zhang, PRL 97, 236601 (2006) (persistent spin helix: $\alpha = \beta$, a pure gauge)"


def _wl_mp(b_over_phi: Fraction, dps: int = 30):
    """HLN weak localization (1/pi) F(B/B_phi), e^2/h per square (mpmath)."""
    with mpmath.workdps(dps + 10):
        return hln_f_mp(mpmath.mpf(b_over_phi.numerator) / b_over_phi.denominator, dps + 5) / mpmath.pi


def build() -> Derivation:
    d = Derivation("ilp", TITLE,
                   "Spin-orbit field $H_{so} = \\frac\\hbar2\\boldsymbol\\Omega(\\mathbf k)\\cdot\\boldsymbol\\sigma$ with "
                   "$H_{so} = \\alpha(\\sigma_xk_y-\\sigma_yk_x) + \\beta_1(\\sigma_xk_x-\\sigma_yk_y) - \\gamma(\\sigma_xk_xk_y^2 "
                   "- \\sigma_yk_yk_x^2)$, isotropic scattering, diffusive limit $\\Omega\\tau \\ll 1$. Fields "
                   "$H_x = \\hbar\\Gamma_x/(4eD)$ in tesla; $\\Delta\\sigma = \\sigma(B)-\\sigma(0)$ in $e^2/h$ per square.")
    S = I.SYMBOLS
    harm = I.fermi_circle_harmonics()
    d.equation("Angular harmonics on the Fermi circle (exact decomposition): the cubic term's first harmonic "
               "renormalises $\\beta_1 \\to \\beta_1 - \\beta_3$, its third harmonic has amplitude "
               "$\\beta_3 = \\gamma k_F^2/4$:", r"(\Omega_R, \Omega_D, \Omega_3)",
               sp.Matrix([[harm["Omega_R"], harm["Omega_D"], harm["Omega_3"]]]))
    op = I.cooperon_operator()
    d.equation("The ladder rung expanded to second order in $\\Omega\\tau$ and $Ql$ is checked equal to "
               "$D(\\mathbf Q + \\mathcal A)^2 + \\Gamma_3(S_x^2+S_y^2)$ on the triplet (total spin 1), an SU(2) "
               "gauge field $\\mathcal A_i = a_{ij}S_j$ with $a_{ij} = (\\tau/D)\\langle v_i\\Omega_j\\rangle$:",
               "a_{ij}", op.gauge)
    d.equation("The third harmonic is not a gauge field; it relaxes at", r"\Gamma_3", op.relaxation)
    fields = I.characteristic_fields()
    d.equation("Characteristic fields $H = \\hbar\\Gamma/(4eD)$ (with $D = v_F^2\\tau/2$, $v_F = \\hbar k_F/m$; "
               "$D$ and $\\tau$ cancel):", r"(H_R, H_D, H_3)",
               sp.Matrix([[fields[k]["mass"] for k in ("H_R", "H_D", "H_3")]]))
    el = I.landau_level_operator()
    d.step("In a perpendicular field $\\mathbf Q \\to \\Pi$, $\\Pi_\\pm = \\sqrt{4eB/\\hbar}\\,(a^\\dagger, a)$; in "
           "units $4eDB/\\hbar$ with $r = \\sqrt{H_R/B}$, $d = \\pm\\sqrt{H_D/B}$, $b_x = H_x/B$, the "
           "diagonal element $\\langle n, 1|h|n, 1\\rangle$ and the Rashba, Dresselhaus couplings "
           "$\\langle n+1, 0|h|n, 1\\rangle$, $\\langle n+1, 1|h|n, 0\\rangle$ are:",
           sp.Matrix([[el[(0, 1, 1)], el[(1, 0, 1)], el[(1, 1, 0)]]]))
    blk = I.block_closed_form()
    N = S["N"]
    d.step("One linear term (Rashba; $d = 0$) conserves $N = n + m$: $3\\times3$ blocks "
           "of the states $(N-1,1)$, $(N,0)$, $(N+1,-1)$ with trace of the inverse $P(N)/Q(N)$, summed exactly by partial "
           "fractions over the roots of the cubic $Q$ into digammas of complex argument. $P$ and $Q$:")
    d.equation("The numerator:", "P(N)", sp.collect(blk["P"], N))
    d.equation("The cubic:", "Q(N)", sp.collect(blk["Q"], N))

    # ---- checks
    r, b3, bp = S["r"], S["b_3"], S["b_phi"]
    bso, b1 = r**2 + b3, r**2
    a = lambda k: k + sp.Rational(1, 2) + bp + bso  # noqa: E731
    d.check(check_symbolic(r"Block numerator = Knap's $3a_N^2 + 2a_N b_{SO} - 1 - 2(2N+1)\,b'$ "
                           r"($b_{SO} = (H_R+H_3)/B$, $b' = H_R/B$)", _K96, blk["P"], 3 * a(N) ** 2 + 2 * a(N) * bso - 1 - 2 * (2 * N + 1) * b1))
    d.check(check_symbolic(r"Block determinant = Knap's $(a_N + b_{SO})\, a_{N-1} a_{N+1} - 2b'[(2N+1)a_N - 1]$", _K96,
                           blk["Q"], (a(N) + bso) * a(N - 1) * a(N + 1) - 2 * b1 * ((2 * N + 1) * a(N) - 1)))
    d.check(check_symbolic(r"Lowest blocks ($N = -1, 0$) = Knap's $1/a_0 + (2a_0+1+b_{SO})/(a_1(a_0+b_{SO}) - 2b')$",
                           _K96,
                           blk["N0"] + blk["Nm1"], 1 / a(0) + (2 * a(0) + 1 + bso) / (a(1) * (a(0) + bso) - 2 * b1)))
    no_so = (blk["P"] / blk["Q"]).subs({r: 0, b3: 0})
    d.check(check_symbolic(r"No spin-orbit: the block trace is $1/a_{N-1} + 1/a_N + 1/a_{N+1}$ (three HLN triplets)",
                           _HLN, no_so, sum(1 / (N + k + sp.Rational(1, 2) + bp) for k in (-1, 0, 1))))
    d.check(check_symbolic(r"Landau-level prefactor $s/(2\pi) = 1/\pi$ (in $e^2/h$), from the Hikami box", _HLN,
                           I.landau_sum_prefactor(), 1 / sp.pi))
    F = Fraction
    d.check(check_numeric(r"No spin-orbit: $\Delta\sigma(B = 10B_\phi)$ = HLN weak localization (30 digits)", _HLN,
                          ilp_magnetoconductance(F(1, 100), B_phi=F(1, 1000), dps=30), _wl_mp(F(10)), rtol=1e-25))
    psh = ilp_magnetoconductance(F(1, 50), B_phi=F(1, 1000), B_rashba=F(3, 100), B_dresselhaus=F(3, 100), dps=30)
    d.check(check_numeric(r"Persistent spin helix $H_R = H_D$, $H_3 = 0$: $\Delta\sigma$ = weak localization exactly "
                          "(general algorithm, 30 digits)", _PSH, psh, _wl_mp(F(20)), rtol=1e-25))
    strong = ilp_magnetoconductance(F(1, 100), B_phi=F(1, 1000), B_rashba=F(10**4), dps=30)
    d.check(check_true(r"Strong spin-orbit ($H_R = 10^7 B_\phi$): $\Delta\sigma = -\frac12$ of weak localization "
                       r"(to $10^{-6}$)", _ILP, abs(strong / _wl_mp(F(10)) + F(1, 2)) < 1e-6, "mpmath, 30 digits",
                       f"ratio ${mpmath.nstr(strong / _wl_mp(F(10)), 12)}$"))
    kw = dict(B_phi=1e-3, B_cubic=2e-3)
    rash = ilp_magnetoconductance(0.01, B_rashba=0.02, **kw)
    dres = ilp_magnetoconductance(0.01, B_dresselhaus=0.02, **kw)
    gen = ilp_magnetoconductance(0.01, B_rashba=0.02, method="general", **kw)
    d.check(check_numeric("Symmetry under Rashba and Dresselhaus exchanged (closed form)", _K96, rash, dres, rtol=1e-14))
    d.check(check_numeric("General algorithm (banded LU + large-level expansion) = closed form, one linear term",
                          _K96, gen, rash, rtol=1e-11))
    both = ilp_magnetoconductance(0.01, B_rashba=0.02, B_dresselhaus=0.005, **kw)
    swap = ilp_magnetoconductance(0.01, B_rashba=0.005, B_dresselhaus=0.02, **kw)
    d.check(check_numeric("Symmetry under Rashba and Dresselhaus exchanged, both linear terms (general algorithm)", _ILP,
                          both, swap, rtol=1e-11))
    return d
