"""Derivation ``hln``: 2D magnetoconductance, the Landau-level sum of the Cooperon summed into digammas (HLN)."""

from __future__ import annotations

from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp

from mesocorr.derivations.core import Derivation, Figure, check_numeric, check_symbolic, isotropic_channel_fields, save_figure
from mesocorr.plots import minor_ticks_as_markers, plain_tick_labels, style
from mesocorr.symbolic.printing import latex, tex_number
from mesocorr.symbolic import wl as W
from mesocorr.units import mp_constant
from mesocorr.symbolic.channels import channels
from mesocorr.wl import magnetoconductance

TITLE = "2D magnetoconductance (Hikami–Larkin–Nagaoka): the Landau-level sum of the Cooperon in digamma functions"

_HLN = "Hikami, Larkin & Nagaoka, Prog. Theor. Phys. 63, 707 (1980)"
_HLN_ISO = _HLN + "; Bergmann, Phys. Rep. 107, 1 (1984), Eq. (6.6) (isotropic spin-orbit scattering)"
_DLMF = "NIST DLMF 5.11.2 (asymptotic expansion of the digamma function)"

#: numeric checks: D (m^2/s), dephasing and spin-orbit rates (1/s), fields (T)
_D, _PHI, _SO = "0.02", "2e10", "3e11"
_FIELDS = ("1e-4", "3e-3", "0.05", "0.7")


def _F(x):
    """HLN function F(x) = ln x + psi(1/2 + 1/x) as a SymPy expression (the literature form, written out)."""
    return sp.log(x) + sp.polygamma(0, sp.Rational(1, 2) + 1 / x)


def _hln_si_mp(B: str, D: str, phi: str, so: str) -> mpmath.mpf:
    r"""Independent route: the isotropic HLN closed form in e²/h per square, evaluated in mpmath (60 digits).

    :math:`\Delta\sigma = \frac1\pi[\frac32 F(B/(B_\phi + \frac43 B_{so})) - \frac12 F(B/B_\phi)]`,
    :math:`B_x = \hbar/(4eD\tau_x)`.
    """
    with mpmath.workdps(60):
        hbar = mp_constant("hbar")
        e = mp_constant("e")
        Bphi = hbar * mpmath.mpf(phi) / (4 * e * mpmath.mpf(D))
        Bso = hbar * mpmath.mpf(so) / (4 * e * mpmath.mpf(D))
        b = mpmath.mpf(B)

        def F(x):
            return mpmath.log(x) + mpmath.digamma(mpmath.mpf(1) / 2 + 1 / x)

        return (mpmath.mpf(3) / 2 * F(b / (Bphi + 4 * Bso / 3)) - F(b / Bphi) / 2) / mpmath.pi


@lru_cache(maxsize=16)
def _mp_function(expr: sp.Expr) -> tuple[list, object]:
    """The expression's free symbols (sorted) and its mpmath lambdification, once per expression and process (the
    checks evaluate the same two expressions at several points; lambdify's code generation is the costly part)."""
    syms = sorted(expr.free_symbols, key=sp.default_sort_key)
    return syms, sp.lambdify(syms, expr, "mpmath")


def _mp_eval(expr: sp.Expr, values: dict, dps: int = 60) -> mpmath.mpf:
    """Evaluate a derived SymPy expression with mpmath at ``dps`` digits (lambdify; avoids evalf on digammas)."""
    syms, f = _mp_function(expr)
    with mpmath.workdps(dps):
        return f(*[mpmath.mpf(values[x]) if isinstance(values[x], str) else values[x] for x in syms])


def _draw(path: str) -> None:
    from matplotlib.figure import Figure as MplFigure

    from mesocorr.integrals.hln import hln_f

    b = np.linspace(0.0, 20.0, 401)  # B / B_phi
    with style():
        fig = MplFigure(figsize=(4.6, 3.1))
        fig.subplots_adjust(left=0.110236, bottom=0.126032, right=0.969746, top=0.986558)  # fixed margins: no layout pass
        ax = fig.subplots()
        for ratio, ls, label in ((0.0, "-", "WL, no spin-orbit scattering"), (0.5, "--", r"$B_{so} = 0.5\,B_\phi$"),
                                 (3.0, "-.", r"$B_{so} = 3\,B_\phi$"), (None, ":", "WAL, strong spin-orbit limit")):
            if ratio is None:
                y = -0.5 * hln_f(b) / np.pi
            else:
                y = (1.5 * hln_f(b / (1.0 + 4.0 * ratio / 3.0)) - 0.5 * hln_f(b)) / np.pi
            ax.plot(b, y, ls=ls, label=label)
        ax.axhline(0.0, color="k", lw=0.6)
        ax.set_xlim(0, 20)
        ax.set_xlabel(r"$B/B_\phi$")
        ax.set_ylabel(r"$\Delta\sigma$ ($e^2/h$ per square)")
        ax.legend(loc="upper left")
        plain_tick_labels(fig)  # linear axes with O(1) ticks: no offset, no mathtext needed
        minor_ticks_as_markers(fig)  # limits final, legend at a fixed place
    save_figure(fig, path)


def build() -> Derivation:
    d = Derivation("hln", TITLE,
                   r"A perpendicular field $B$ quantises the Cooperon (a charge-$2e$ pair) into Landau levels. "
                   r"Conventions: characteristic field of a Cooperon channel $B_c = \hbar\Gamma_c/(4eD)$ "
                   r"(flux quantum $h/e$, charge $2e$); $\Delta\sigma(B) = \sigma(B) - \sigma(0)$ in units of "
                   r"$e^2/h$ per square; spin degeneracy $s = 2$ in the prefactor, channel weights $w_c$ (singlet "
                   r"$-1/2$, triplets $+1/2$); an isotropic spin-orbit rate $1/\tau_{so}$ gives the triplet field "
                   r"$B_\phi + \frac43 B_{so}$, with $B_x = \hbar/(4eD\tau_x)$.")
    D, e, hbar, G = (W.SYMBOLS[k] for k in ("D", "e", "hbar", "Gamma_c"))
    B, Bc = W.SYMBOLS["B"], W.SYMBOLS["B_c"]
    n = sp.Symbol("n", integer=True, nonnegative=True)
    level = 1 / (D * (n + sp.Rational(1, 2)) * 4 * e * B / hbar + G)
    d.equation(r"Replace $Dq^2$ by the Landau levels of a charge-$2e$ particle, $D(n+\frac12)\,4eB/\hbar$, each with "
           r"$2eB/h = eB/(\pi\hbar)$ states per unit area: $\int d^2q/(2\pi)^2 \to (eB/\pi\hbar)\sum_n$. "
           r"One level of the Cooperon integrand, with $E_n = D(n+\frac12)\,4eB/\hbar$:", r"\frac{1}{E_n + \Gamma_c}",
           sp.together(level))
    c1, c0 = sp.Poly(Bc - hbar * G / (4 * e * D), G).all_coeffs()  # linear in Gamma_c: sympy.solve's value (tested)
    gap = -c0 / c1
    d.equation(r"With $\Gamma_c = 4eDB_c/\hbar$ it is of the form $c/(n + a)$ (SymPy):", r"\frac{1}{E_n + \Gamma_c}",
               sp.factor(level.subs(G, gap)))  # a rational function: factor is its simplest form
    a_, N_ = sp.symbols("a N", positive=True)
    d.equation(r"The UV cutoff $Dq^2 < 1/\tau$ keeps $N = B_\tau/B$ levels ($B_\tau = \hbar/4eD\tau$); the "
               r"sum telescopes with $\psi(n+1+a) - \psi(n+a) = 1/(n+a)$ ($\psi$ = digamma):",
               latex(sp.Sum(1 / (n + a_), (n, 0, N_ - 1))), W.telescoping_digamma_sum(a_, N_))
    d.equation(r"Subtracting the $B \to 0$ limit and dropping $O(B/B_\tau)$ gives one channel's "
               r"magnetoconductance ($e^2/h$ per square, with its weight $w_c$):", r"\Delta\sigma_c",
               W.magnetoconductance_2d())
    one = W.magnetoconductance_2d()
    w, s = W.SYMBOLS["w_c"], W.SYMBOLS["s"]
    (Bphi, Bso), chans, fields = isotropic_channel_fields(D, e, hbar)
    tphi = sp.Symbol("tau_phi", positive=True)
    d.equation(r"Isotropic spin-orbit scattering: channel fields $B_c = \hbar\Gamma_c/4eD$ of the singlet and the "
               r"three triplets (gaps from the diagonalised spin kernel; $B_x = \hbar/4eD\tau_x$):",
               r"(B_S, B_{T_x}, B_{T_y}, B_{T_z})", sp.Matrix([fields]))
    total = sum((one.subs({w: c.wl_weight, Bc: f, s: 2}) for c, f in zip(chans, fields)), sp.Integer(0))
    d.equation("Summing the channels ($s = 2$), in $e^2/h$ per square:", r"\Delta\sigma(B)", total)
    no_so = sum((one.subs({w: c.wl_weight, Bc: Bphi, s: 2}) for c in channels("cooperon", phi=1 / tphi)),
                sp.Integer(0))
    d.equation(r"Without spin-orbit scattering all four channels share $B_\phi$ (weak localization, positive "
               "magnetoconductance):", r"\Delta\sigma_{WL}(B)", sp.together(no_so))  # simplify's form, cheaply
    coeffs = W.hln_series_coefficients(3)
    x = sp.Symbol("x", positive=True)
    d.equation(r"Low-field expansion of $F(x) = \ln x + \psi(\frac12 + \frac1x)$ (SymPy series; "
               r"$\Delta\sigma \propto B^2$ for $B \ll B_\phi$):", "F(x)",
               sum(c * x ** (2 * k + 2) for k, c in enumerate(coeffs)) + sp.O(x**8))
    d.figures.append(Figure("hln-magnetoconductance.png",
                            r"Magnetoconductance $\Delta\sigma$ in $e^2/h$ per square against $B/B_\phi$: weak "
                            r"localization (no spin-orbit scattering, positive), the crossover at $B_{so} = 0.5$ and "
                            r"$3\,B_\phi$, and weak antilocalization (strong spin-orbit limit, $-\frac12$ of the WL "
                            "curve), from the library's HLN function.", _draw))

    # ---- checks
    d.check(check_symbolic(r"No spin scattering: $\Delta\sigma = \frac{1}{\pi}\left[\ln\frac{B}{B_\phi} + "
                           r"\psi\left(\frac12 + \frac{B_\phi}{B}\right)\right]\frac{e^2}{h} = "
                           r"\frac{e^2}{2\pi^2\hbar}F(B/B_\phi)$", _HLN, no_so, _F(B / Bphi) / sp.pi))
    hln_iso = (sp.Rational(3, 2) * _F(B / (Bphi + sp.Rational(4, 3) * Bso)) - _F(B / Bphi) / 2) / sp.pi
    d.check(check_symbolic(r"Isotropic spin-orbit: $\Delta\sigma = \frac{1}{\pi}\left[\frac32 F\left(\frac{B}{B_\phi + "
                           r"\frac43 B_{so}}\right) - \frac12 F\left(\frac{B}{B_\phi}\right)\right]\frac{e^2}{h}$",
                           _HLN_ISO, total, hln_iso))
    for b in ("0.5", "4"):
        with mpmath.workdps(60):
            vals = {B: mpmath.mpf(b), Bphi: mpmath.mpf(1), Bso: mpmath.mpf(10) ** 9}
        d.check(check_numeric(rf"Strong spin-orbit limit ($B_{{so}} = 10^9 B_\phi$, $B = {b}\,B_\phi$): "
                              r"$\Delta\sigma = -\frac12$ of the spin-degenerate WL value (antilocalization)", _HLN,
                              _mp_eval(total, vals), -_mp_eval(no_so, vals) / 2, rtol=1e-12, dps=40))
    with mpmath.workdps(80):
        xs = mpmath.mpf("1e-6")
        F1 = (mpmath.log(xs) + mpmath.digamma(mpmath.mpf(1) / 2 + 1 / xs)) / xs**2
        x2 = mpmath.mpf("1e-7")
        F2 = (mpmath.log(x2) + mpmath.digamma(mpmath.mpf(1) / 2 + 1 / x2) - x2**2 / 24) / x2**4
    d.check(check_numeric(r"Low-field coefficient: $F(x) = x^2/24 + \ldots$; $F(x)/x^2$ at $x = 10^{-6}$ "
                          "(80-digit mpmath)", _DLMF, coeffs[0], F1, rtol=1e-12))
    d.check(check_numeric(r"Next coefficient $-7/960$: $(F(x) - x^2/24)/x^4$ at $x = 10^{-7}$ (80-digit mpmath)",
                          _DLMF, coeffs[1], F2, rtol=1e-12))
    sample = (rf"$D = {tex_number(_D)}\,\mathrm{{m^2/s}}$, $1/\tau_\phi = {tex_number(_PHI)}\,\mathrm{{s^{{-1}}}}$, "
              rf"$1/\tau_{{so}} = {tex_number(_SO)}\,\mathrm{{s^{{-1}}}}$")
    for bf in _FIELDS:
        with mpmath.workdps(60):
            hbar_v = mp_constant("hbar")
            scale = hbar_v / (4 * mp_constant("e") * mpmath.mpf(_D))
            vals = {B: mpmath.mpf(bf), Bphi: scale * mpmath.mpf(_PHI), Bso: scale * mpmath.mpf(_SO)}
        d.check(check_numeric(rf"Derived $\Delta\sigma$ at $B = {tex_number(bf)}\,\mathrm{{T}}$ ({sample}) equals the "
                              "HLN closed form evaluated in mpmath", _HLN_ISO,
                              _mp_eval(total, vals), _hln_si_mp(bf, _D, _PHI, _SO), rtol=1e-12, dps=40))
    for bf in _FIELDS[1:3]:
        api = magnetoconductance(float(bf), dim=2, D=float(_D), so=float(_SO), phi=float(_PHI), dps=30)
        d.check(check_numeric(rf"The library's 2D magnetoconductance (30 digits) at $B = {tex_number(bf)}\,\mathrm{{T}}$ "
                              "equals the HLN closed form", _HLN_ISO, api, _hln_si_mp(bf, _D, _PHI, _SO), rtol=1e-12))
        api64 = magnetoconductance(float(bf), dim=2, D=float(_D), so=float(_SO), phi=float(_PHI))
        d.check(check_numeric(rf"Its float64 path at $B = {tex_number(bf)}\,\mathrm{{T}}$, same closed form",
                              _HLN_ISO, api64, _hln_si_mp(bf, _D, _PHI, _SO), rtol=1e-12))
    return d
