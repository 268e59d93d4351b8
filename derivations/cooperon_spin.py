"""Derivation ``cooperon-spin``: the two-particle spin kernel diagonalised into singlet and triplet gaps."""

from __future__ import annotations

import numpy as np
import sympy as sp

from mesocorr.derivations.core import Derivation, check_symbolic, check_true
from mesocorr.symbolic.channels import channels
from mesocorr.symbolic.printing import tex_number
from mesocorr.symbolic.spin import channel_basis, decay_rate, diagonalise, exchange_operator, spin_kernel

TITLE = "Cooperon and Diffuson spin channels: singlet and triplet gaps from the impurity spin kernel"

_AM = "Akkermans & Montambaux, Mesoscopic Physics of Electrons and Photons (CUP 2007), ch. 6"
_HLN = "Hikami, Larkin & Nagaoka, Prog. Theor. Phys. 63, 707 (1980)"


def build() -> Derivation:
    d = Derivation("cooperon-spin", TITLE,
                   r"Each impurity vertex is $u_0 + \sum_i u_i\sigma_i$: potential, spin-orbit (time-reversal even, "
                   r"imaginary coefficient, component rates $a_i$) and magnetic (time-reversal odd, real coefficient, "
                   r"component rates $b_i$) scattering. Averaging pairs of vertices on the two lines of a ladder gives a "
                   r"$4\times4$ kernel on two-particle spin states; its eigenvalues $\lambda_c$ give the relaxation "
                   r"gaps $\Gamma_c = 1/\tau_e - \lambda_c$ of the propagator $1/(Dq^2 - i\omega + \Gamma_c)$.")
    a = sp.symbols("a_x a_y a_z", nonnegative=True)
    b = sp.symbols("b_x b_y b_z", nonnegative=True)
    g0 = sp.Symbol("gamma_0", positive=True)
    d.equation(r"Single-particle decay rate from the self-energy $\sum\langle V V^\dagger\rangle$ (proportional to "
               "the identity in spin space):", r"\frac{1}{\tau_e}", decay_rate(g0, a, b))
    Kc = spin_kernel("cooperon", g0, a, b)
    d.equation(r"Cooperon kernel $\gamma_0 + \sum_i \langle c_i^2\rangle\,\sigma_i\otimes\sigma_i$ on the product "
               r"basis $\lvert{\uparrow\uparrow}\rangle, \lvert{\uparrow\downarrow}\rangle, \lvert{\downarrow\uparrow}\rangle, "
               r"\lvert{\downarrow\downarrow}\rangle$, with $\langle c_i^2\rangle = -a_i$ (spin-orbit) and $+b_i$ "
               "(magnetic):", "K_C", Kc)
    Kd = spin_kernel("diffuson", g0, a, b)
    d.equation(r"Diffuson kernel $\gamma_0 + \sum_i\langle|c_i|^2\rangle\,\sigma_i\otimes\sigma_i^*$:", "K_D", Kd)
    P = exchange_operator()
    d.equation("Both kernels commute with the exchange operator $P$, so eigenstates have definite exchange parity:",
               "K_C P - P K_C", sp.simplify(Kc * P - P * Kc))
    basis = channel_basis("cooperon")
    d.equation(r"Cooperon eigenstates $\psi = M\,i\sigma_y$ (columns): singlet $M = 1$, triplet $j$ (zero spin "
               r"projection on axis $j$) $M = \sigma_j$:", r"(v_S, v_{T_x}, v_{T_y}, v_{T_z})",
               sp.Matrix.hstack(*basis.values()))
    co = diagonalise("cooperon", a, b, potential=g0)
    di = diagonalise("diffuson", a, b, potential=g0)
    label = {"singlet": "S", "triplet_x": "T_x", "triplet_y": "T_y", "triplet_z": "T_z"}
    for ch in co:
        d.equation(f"Cooperon ${label[ch.name]}$: $Kv = \\lambda v$ verified symbolically; gap "
                   f"$1/\\tau_e - \\lambda$; exchange parity ${ch.exchange_parity}$:",
                   rf"\Gamma^C_{{{label[ch.name]}}}", ch.gap)
    for ch in di:
        d.equation(f"Diffuson ${label[ch.name]}$:", rf"\Gamma^D_{{{label[ch.name]}}}", ch.gap)
    d.equation("Weak-localization weight of a Cooperon channel from the exchange contraction "
               r"$\sum_{\alpha\beta} C_{\alpha\beta,\beta\alpha}$, normalised by the spin trace: "
               r"$w_c = \langle c|P|c\rangle/2$:", r"(w_S, w_{T_x}, w_{T_y}, w_{T_z})",
               sp.Matrix([[c.exchange_parity / 2 for c in co]]))

    so, m = sp.symbols("Gamma_so Gamma_m", positive=True)
    iso_c = channels("cooperon", so=so, mag=m)
    iso_d = channels("diffuson", so=so, mag=m)
    d.equation(r"Isotropic rates $a_i = \Gamma_{so}/3$, $b_i = \Gamma_m/3$ (totals $\Gamma_{so} = 1/\tau_{so}$, "
               r"$\Gamma_m = 1/\tau_m$): Cooperon gaps", r"(\Gamma^C_S, \Gamma^C_{T_x}, \Gamma^C_{T_y}, \Gamma^C_{T_z})",
               sp.Matrix([[c.gap for c in iso_c]]))
    d.equation("and Diffuson gaps", r"(\Gamma^D_S, \Gamma^D_{T_x}, \Gamma^D_{T_y}, \Gamma^D_{T_z})",
               sp.Matrix([[c.gap for c in iso_d]]))

    d.check(check_symbolic(r"Isotropic Cooperon singlet gap: $\Gamma^C_S = 2/\tau_m$", f"{_HLN}; {_AM}",
                           iso_c[0].gap, 2 * m))
    for c in iso_c[1:]:
        d.check(check_symbolic(rf"Isotropic Cooperon triplet gap: $\Gamma^C_{{{label[c.name]}}} = "
                               r"4/(3\tau_{so}) + 2/(3\tau_m)$", f"{_HLN}; {_AM}",
                               c.gap, sp.Rational(4, 3) * so + sp.Rational(2, 3) * m))
    d.check(check_symbolic(r"The Diffuson singlet is gapless, $\Gamma^D_S = 0$ (charge conservation)", _AM,
                           iso_d[0].gap, 0))
    for c in iso_d[1:]:
        d.check(check_symbolic(rf"Isotropic Diffuson triplet gap: $\Gamma^D_{{{label[c.name]}}} = "
                               r"\frac{4}{3}(1/\tau_{so} + 1/\tau_m)$", _AM, c.gap, sp.Rational(4, 3) * (so + m)))
    d.check(check_symbolic(r"Without spin scattering the weights sum to one, $\sum_c w_c = 1$ (the spin-degenerate "
                           "result)", _AM, sum(c.wl_weight for c in channels("cooperon")), 1))
    # independent numeric route: random anisotropic rates, numpy eigenvalues of the explicit kernel
    rng = np.random.default_rng(20261124)
    rates = rng.uniform(0.1, 1.0, size=7)
    sub = dict(zip((*a, *b, g0), rates))
    num = np.array(Kc.subs(sub).evalf(), dtype=complex)
    ev = np.sort(float(decay_rate(g0, a, b).subs(sub)) - np.linalg.eigvals(num).real)
    sym = np.sort([float(ch.gap.subs(sub)) for ch in co])
    d.check(check_true(r"Anisotropic Cooperon gaps equal $1/\tau_e$ minus the eigenvalues of the kernel computed "
                       "numerically",
                       r"independent route: numerical eigenvalues (LAPACK, via NumPy) of the explicit $4\times4$ "
                       "kernel at seeded random rates",
                       np.allclose(ev, sym, rtol=1e-12, atol=1e-12),
                       r"numeric: $\lvert a-b\rvert \le 10^{-12}\,\lvert b\rvert + 10^{-12}$",
                       rf"$\max\lvert a-b\rvert = {tex_number(f'{np.max(np.abs(ev - sym)):.2e}')}$"))
    return d
