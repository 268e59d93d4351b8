"""Derivation ``ucf-wire``: universal conductance fluctuations of a wire, the mode sum (2/15) and the symmetry factors."""

from __future__ import annotations

import sympy as sp

from mesocorr.derivations.core import Derivation, Figure, check_numeric, check_symbolic, save_figure
from mesocorr.plots import minor_ticks_as_markers, plain_tick_labels, style
from mesocorr.symbolic.printing import latex
from mesocorr.diagrams import ucf as U
from mesocorr.diagrams.lines import is_zero
from mesocorr.symbolic.channels import channels
from mesocorr.ucf import ucf_variance

TITLE = r"Universal conductance fluctuations of a quasi-1D wire: the mode sum gives $2/15$, and the symmetry factors"

_LS = "Lee & Stone, PRL 55, 1622 (1985); Lee, Stone & Fukuyama, PRB 35, 1039 (1987)"
_AM = "Akkermans & Montambaux (CUP 2007), ch. 11 (the two diagram topologies)"
_AS = "Altshuler & Shklovskii, Sov. Phys. JETP 64, 127 (1986) (level-correlation route)"
_BEE = (r"Beenakker, RMP 69, 731 (1997) (wire: $\mathrm{var}(G/G_0) = 2/(15\beta)$, $G_0 = 2e^2/h$ for spin- or "
        "Kramers-degenerate electrons)")

#: symmetry cases: (label, key of mesocorr.diagrams.ucf.symmetry_factors, so, mag, broken TRS)
_CASES = (("broken time reversal", "broken_trs", 0, 0, True),
          ("strong spin-orbit", "strong_so", 1, 0, False),
          ("strong spin-orbit and broken time reversal", "strong_so_broken_trs", 1, 0, True),
          ("strong magnetic scattering", "strong_mag", 0, 1, False))


def _gapless_count(so: int, mag: int, broken_trs: bool) -> int:
    """Independent route: number of gapless spin channels (Diffuson + Cooperon) from mesocorr.channels."""
    rate = sp.Symbol("Gamma", positive=True)
    count = sum(1 for c in channels("diffuson", so=so * rate, mag=mag * rate) if is_zero(c.gap))
    if not broken_trs:
        count += sum(1 for c in channels("cooperon", so=so * rate, mag=mag * rate) if is_zero(c.gap))
    return count


def _draw(path: str) -> None:
    import numpy as np
    from matplotlib.figure import Figure as MplFigure

    x = np.logspace(-1, 5, 61)  # rate in units of D/L^2 (= (L/L_so)^2 or (L/L_m)^2)
    ref = 8.0 / 15.0
    with style():
        fig = MplFigure(figsize=(4.6, 3.1))
        fig.subplots_adjust(left=0.089312, bottom=0.135440, right=0.973550, top=0.986558)  # fixed margins: no layout pass
        ax = fig.subplots()
        ax.plot(x, [ucf_variance(shape=(1,), so=float(v)) / ref for v in x], "-", label="spin-orbit rate")
        ax.plot(x, [ucf_variance(shape=(1,), mag=float(v)) / ref for v in x], "--", label="magnetic rate")
        ax.plot(x, [ucf_variance(shape=(1,), so=float(v), broken_trs=True) / ref for v in x], "-.",
                label="spin-orbit rate, broken time reversal")
        for level, text in ((1.0, "1"), (0.5, "1/2"), (0.25, "1/4"), (0.125, "1/8")):
            ax.axhline(level, color="0.6", lw=0.6)
            ax.text(x[0] * 1.15, level * 1.02, text, va="bottom", fontsize=8)  # plain digits: no mathtext
        ax.set_xscale("log")
        ax.set_xlim(x[0], x[-1])
        ax.set_ylim(0.0, 1.12)
        ax.set_xlabel(r"rate $1/\tau_{so}$ or $1/\tau_m$ ($D/L^2$)")
        ax.set_ylabel(r"$\mathrm{var}\,g\,/\,(8/15)$")
        ax.legend(loc="upper right")
        plain_tick_labels(fig)  # linear axes with O(1) ticks: no offset, no mathtext needed
        minor_ticks_as_markers(fig)  # limits final, legend at a fixed place
    save_figure(fig, path)


def build() -> Derivation:
    d = Derivation("ucf-wire", TITLE,
                   "Conventions: $g = G/(e^2/h)$; the correlation $\\langle\\delta g\\,\\delta g\\rangle$ at leading "
                   "order is the sum of the diagrams joining two conductance bubbles by two ladders (two Diffusons "
                   "or two Cooperons) and two Hikami boxes. Modes of the diffusion operator in units of "
                   "$\\pi^2 D/L^2$; wire: $\\lambda_n = n^2$, $n \\ge 1$ (Dirichlet at the contacts). Each spin "
                   "channel of each propagator kind enters with weight one (the spin trace).")
    w = U.derive_weights("diffuson", 3)
    d.equation("Kubo bubble (retarded-advanced part, spinless): $g = (\\hbar^2/L^2)\\,\\mathrm{Tr}[v_xG^Rv_xG^A]$, "
               "whose mean is Thouless' $2\\pi E_c/\\Delta$:", r"\langle g\rangle", w["mean_g"])
    d.equation("Ladder $\\Gamma = \\gamma/(1-\\Pi)$ at frequency $\\omega$:", r"\frac{1-\Pi}{\tau}", w["ladder"])
    d.equation("Enumerating every way to attach two ladders (ladder merges dropped): ring diagrams and two-box "
               "diagrams per propagator kind:", r"(N_{ring}, N_{two\text{-}box})",
               sp.Matrix([[w["diagrams"]["ring"], w["diagrams"]["two_box"]]]))
    d.equation("Hikami boxes at zero ladder momentum (bare box plus single-impurity-line dressings, residues and "
               "angular averages in $d = 3$):", r"(H_{ring}, H_{two\text{-}box})",
               sp.Matrix([[w["boxes"]["ring"], w["boxes"]["two_box"]]]))
    d.equation("Assembling $(\\hbar^2/L^2)^2 H_1H_2\\Gamma_1\\Gamma_2$ per mode gives the weights of "
               "$\\mathrm{Re}\\,P^2$ (ring) and $|P|^2$ (two-box), $P = 1/(\\lambda + \\gamma_c - i\\tilde\\omega)$:",
               r"(w_{ring}, w_{two\text{-}box})", sp.Matrix([[w["ring"], w["two_box"]]]))
    wc = U.derive_weights("cooperon", 3)
    d.equation("The same enumeration with particle-particle ladders (Cooperons):",
               r"(w^C_{ring}, w^C_{two\text{-}box})", sp.Matrix([[wc["ring"], wc["two_box"]]]))
    d.equation("At $\\omega = 0$ each gapless channel contributes $(w_{ring} + w_{two\\text{-}box})\\sum_n "
               "\\lambda_n^{-2}$ with", r"w_{ring} + w_{two\text{-}box}", w["total"])
    n = sp.Symbol("n", integer=True, positive=True)
    modes = sp.Sum(1 / n**4, (n, 1, sp.oo))
    # evaluate=False: an evaluated Eq would compare the infinite sum with its value numerically (seconds of
    # evalf) only to print the same unevaluated equation
    mode_sum = modes.doit()  # once (SymPy's summation is not cached)
    d.step("Wire modes $\\lambda_n = n^2$ (SymPy):", sp.Eq(modes, mode_sum, evaluate=False))
    assembled = 2 * w["total"] * mode_sum
    d.equation("Spinless electrons with time-reversal symmetry: one Diffuson and one Cooperon channel, each "
               "$(w_{ring} + w_{two\\text{-}box})\\sum_n n^{-4}$:",
               rf"\mathrm{{var}}\,g = 2\cdot{latex(w['total'])}\cdot{latex(mode_sum)}", assembled)
    d.equation("and the library's wire variance agrees:", r"\mathrm{var}\,g",
               U.wire_variance())
    d.equation("Spinless, time reversal broken (Diffuson only):", r"\mathrm{var}\,g", U.wire_variance(broken_trs=True))
    d.equation("Spin $\\frac12$ without spin scattering (four Diffuson and four Cooperon channels, $s^2 = 4$):",
               r"\mathrm{var}\,g", U.wire_variance(spinless=False))
    factors = U.symmetry_factors()
    keys = [k for _, k, *_ in _CASES]
    d.equation("Symmetry factors relative to spin $\\frac12$ with time reversal and no spin scattering (number of "
               "gapless channels over 8): broken time reversal, strong spin-orbit, both, strong magnetic scattering:",
               r"(f_{U}, f_{SO}, f_{SO,U}, f_{m})", sp.Matrix([[factors[k] for k in keys]]))
    d.figures.append(Figure("ucf-wire-factors.png",
                            r"$\mathrm{var}\,g$ of a spin-$\frac12$ wire relative to $8/15$ against the spin-orbit or "
                            r"magnetic scattering rate (units of $D/L^2$), from the library's UCF variance: the channel "
                            r"factors $1$, $\frac12$, $\frac14$, $\frac18$ appear as plateaus.", _draw))

    # ---- checks
    d.check(check_symbolic(r"Quasi-1D wire, spinless, time-reversal symmetric: $\mathrm{var}\,g = 2/15$", _LS,
                           U.wire_variance(), sp.Rational(2, 15)))
    d.check(check_symbolic(r"Time reversal broken: $\mathrm{var}\,g = 1/15$ (half)", _LS,
                           U.wire_variance(broken_trs=True), sp.Rational(1, 15)))
    d.check(check_symbolic(r"Two-box weight $= 2\times$ ring weight", _AM, w["two_box"] / w["ring"], 2))
    d.check(check_symbolic(r"Ring weight $2/\pi^4$ equals the density-of-states route (Thouless $g = 2\pi E_c/\Delta$ "
                           "times the level correlator)", "independent route: " + _AS, U.derive_ring_weight(), w["ring"]))
    d.check(check_symbolic("Cooperon weights equal the Diffuson weights", _LS,
                           sp.Matrix([[wc["ring"], wc["two_box"]]]), sp.Matrix([[w["ring"], w["two_box"]]])))
    beta_value = {"broken_trs": 2, "strong_so": 4}  # Dyson index; both cases keep the two-fold degeneracy
    for label, key, so, mag, trs in _CASES:
        count = _gapless_count(so, mag, trs)
        d.check(check_symbolic(f"Factor for {label}: ${latex(factors[key])} = {count}/8$ (gapless channels over 8)",
                               "consistency route, not independent: the gapless Diffuson and Cooperon channels of the "
                               "library's channel table counted here (gap simplifying to zero), the same channels the "
                               "symmetry factors count (the random-matrix and Lee–Stone checks are the independent "
                               "ones)", factors[key], sp.Rational(count, 8)))
        if key in beta_value:
            beta = beta_value[key]
            rmt = 4 * sp.Rational(2, 15 * beta)  # var g = 2^2 var(G/G0), var(G/G0) = 2/(15 beta)
            d.check(check_symbolic(f"Factor for {label} from random-matrix theory: "
                                   rf"$\mathrm{{var}}\,g = 4\cdot 2/(15\beta)$ with $\beta = {beta}$, relative to "
                                   r"$\beta = 1$", _BEE, factors[key], rmt / (4 * sp.Rational(2, 15))))
    d.check(check_symbolic(r"Strong magnetic scattering (no degeneracy, unitary): $\mathrm{var}\,g = 1/15$, i.e. "
                           r"$\frac18$ of $8/15$", _LS + " (spinless broken-time-reversal value 1/15)",
                           factors["strong_mag"], sp.Rational(1, 15) / sp.Rational(8, 15)))
    d.check(check_symbolic("Strong spin-orbit and broken time reversal (Kramers degeneracy lifted, unitary, one "
                           r"non-degenerate channel): $\mathrm{var}\,g = 1/15$, i.e. $\frac18$ of $8/15$",
                           _LS + " (spinless broken-time-reversal value 1/15); " + _BEE, factors["strong_so_broken_trs"],
                           sp.Rational(1, 15) / sp.Rational(8, 15)))
    for kwargs, value, text in (({"spinless": True}, sp.Rational(2, 15), "spinless, time-reversal symmetric"),
                                ({"spinless": True, "broken_trs": True}, sp.Rational(1, 15),
                                 "spinless, time reversal broken"),
                                ({}, sp.Rational(8, 15), r"spin $\frac12$, time-reversal symmetric")):
        d.check(check_numeric(rf"The library's UCF variance of a wire ({text}) at 30 digits: ${latex(value)}$",
                              _LS + "; route: exponentially convergent mode sums (Epstein-zeta methods)",
                              ucf_variance(shape=(1,), dps=30, **kwargs), value, rtol=1e-12))
    return d
