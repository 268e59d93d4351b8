"""Derivation ``graphene``: McCann's valley Cooperons from the band-projected Dirac model, through the engine."""

from __future__ import annotations

import sympy as sp

from mesocorr.derivations.core import Derivation, check_symbolic, check_true
from mesocorr.diagrams.dirac_models import GRAPHENE_RATES, dominant_harmonics, graphene_model, graphene_projection
from mesocorr.symbolic.internal_space import PAULI, kron

TITLE = "Graphene: band projection of the Dirac vertices, valley Cooperons, McCann et al. (2006) Eq. (1)"

_MKF = "McCann, Kechedzhi, Fal'ko, Suzuura, Ando, Altshuler, Phys. Rev. Lett. 97, 146805 (2006), Eq. (1)"


def build() -> Derivation:
    d = Derivation("graphene", TITLE,
                   "Valley $\\otimes$ sublattice, $H = v(\\tau_z\\sigma_xp_x + \\sigma_yp_y)$, time reversal "
                   "$\\Theta = \\tau_xK$. Conduction-band states $|K\\rangle = (1, z)/\\sqrt2$, "
                   "$|K'\\rangle = (1, -1/z)/\\sqrt2$ ($z = e^{i\\theta}$); disorder: potential $\\gamma_0$, intervalley "
                   "$\\gamma_{iv}$ ($\\tau_x,\\tau_y$), staggered $\\gamma_z$ ($\\sigma_z$), gauge fields $\\gamma_A$ "
                   "($\\sigma_x$, $\\tau_z\\sigma_y$).")
    g0, giv, gz, gA = GRAPHENE_RATES
    bp = graphene_projection()
    d.equation("projected intravalley potential vertex $\\langle K,\\mathbf k|K,\\mathbf k'\\rangle$ "
               "($w = e^{i\\theta'}$):", "V_{KK}", bp.vertex(kron(sp.eye(2), sp.eye(2)))[0, 0])
    d.equation("projected intervalley vertex $\\langle K,\\mathbf k|\\tau_x|K',\\mathbf k'\\rangle$:", "V_{KK'}",
               bp.vertex(kron(PAULI[0], sp.eye(2)))[0, 1])
    d.equation("Born rate of the band states (form factors averaged over $\\theta'$):", "1/\\tau", bp.decay_rate)
    harm = dominant_harmonics(bp, "cooperon")
    d.equation("soft harmonic of each pair state (KK, KK', K'K, K'K'); back-scattering sign $(-1)^n$:", "n",
               sp.Matrix([harm]))
    d.equation("Cooperon rung on the soft sector (pair basis KK, KK', K'K, K'K'):", "K_C",
               sp.Matrix(bp.soft_kernel("cooperon", harm)))
    spec = graphene_model().spectrum("cooperon")
    for c in spec.channels:
        d.equation(f"Cooperon {c.name.replace('_', ' ')}: gap", rf"\Gamma_{{{c.name.replace('_', '')}}}", c.gap)
        d.equation("its weight ($N = 2$ valleys in the prefactor):", "w", c.weight)
    gaps = sorted((sp.expand(c.gap) for c in spec.channels), key=sp.default_sort_key)
    tau_i, tau_intra = giv, gz + 2 * gA
    want = sorted([sp.Integer(0), 2 * tau_i, sp.expand(tau_i + tau_intra), sp.expand(tau_i + tau_intra)],
                  key=sp.default_sort_key)
    d.check(check_symbolic(r"Gaps $0$, $2/\tau_i$, $1/\tau_*$ (twice) with $1/\tau_* = 1/\tau_i + 1/\tau_{intra}$", _MKF,
                           sp.Matrix(gaps), sp.Matrix(want)))
    d.check(check_symbolic(r"$1/\tau_i = \gamma_{iv}$ is the intervalley part of the self-energy", "self-energy",
                           sp.expand(bp.decay_rate).coeff(giv), 1))
    w = sorted(c.weight for c in spec.channels)
    d.check(check_symbolic(r"Weights $+\frac12$ (gapless), $-\frac12$ (the three others): $F(B/B_\phi) - F(B/(B_\phi+2B_i)) - "
                           r"2F(B/(B_\phi+B_*))$", _MKF, sp.Matrix(w), sp.Matrix([-sp.Rational(1, 2)] * 3 + [sp.Rational(1, 2)])))
    d.check(check_true("The soft sector is closed under the rung (no harmonic leaks)", "band projection",
                       True, "by construction: building the soft kernel of the band projection raises otherwise"))
    return d
