"""Derivation ``wire-mc``: quasi-1D weak localization, field dephasing and the finite-wire coth formula."""

from __future__ import annotations

import mpmath
import sympy as sp

from mesocorr.derivations.core import Derivation, check_numeric, check_symbolic
from mesocorr.symbolic import wl as W
from mesocorr.units import mp_constant
from mesocorr.symbolic.channels import channels
from mesocorr.symbolic.printing import latex, tex_number
from mesocorr.wl import magnetoconductance, wire_wl_conductance

TITLE = r"Quasi-1D wires: field dephasing $1/\tau_B = De^2W^2B^2/(3\hbar^2)$ and the finite-wire coth formula"

_AA = "Altshuler & Aronov, JETP Lett. 33, 499 (1981)"
_BVH = "Beenakker & van Houten, PRB 38, 3232 (1988) (dirty-metal limit)"
_AAK = "Altshuler, Aronov & Khmelnitsky, J. Phys. C 15, 7367 (1982)"
_BEE = r"Beenakker, RMP 69, 731 (1997), Sec. IV (DMPK: $\delta G/G_0 = (1 - 2/\beta)/3$, $G_0 = 2e^2/h$)"

#: numeric checks: D (m^2/s), width (m), dephasing rate (1/s), fields (T); mode-sum arguments a = L/L_c
_D, _WIDTH, _PHI = "0.01", "5e-8", "1e10"
_FIELDS = ("0.01", "0.2")
_A_VALUES = ("0.3", "2", "15")


def _mode_sum_nsum(a: str) -> mpmath.mpf:
    """Independent route: sum_{n>=1} 1/(n^2 pi^2 + a^2) by mpmath.nsum (convergence acceleration), 40 digits.

    Richardson extrapolation only: the terms are a rational function of n, the case it is exact for up to its
    order (nsum's default also runs Shanks, 7x the time, and returns the same digits).
    """
    with mpmath.workdps(40):
        am = mpmath.mpf(a)
        return mpmath.nsum(lambda k: 1 / (k**2 * mpmath.pi**2 + am**2), [1, mpmath.inf], method="richardson")


def _limit_tau_to_zero(expr: sp.Expr, tau: sp.Symbol) -> sp.Expr:
    """lim_{tau -> 0+} of an expression that depends on tau through atan(c/sqrt(tau)) (c > 0) and continuously
    otherwise: with tau = t^2 and atan(y) = pi/2 - atan(1/y) for y > 0 it is a function continuous at t = 0, so the
    limit is its value there (sympy.limit, the general route, is compared in tests/test_derive_numeric_speed.py).
    Falls back to sympy.limit for any other form."""
    t = sp.Dummy("t", positive=True)
    ex = expr.subs(tau, t**2)
    ex = ex.replace(lambda f: isinstance(f, sp.atan) and f.args[0].is_positive,
                    lambda f: sp.pi / 2 - sp.atan(sp.cancel(1 / f.args[0])))
    numer, denom = sp.together(ex).as_numer_denom()
    if any(f.has(t) and not isinstance(f, (sp.atan, sp.Pow)) for f in ex.atoms(sp.Function)) or denom.subs(t, 0) == 0:
        return sp.limit(expr, tau, 0, "+")
    value = sp.cancel(numer.subs(t, 0) / denom.subs(t, 0))
    return sp.limit(expr, tau, 0, "+") if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo) else value


def _limit_a_to_infinity(expr: sp.Expr, a: sp.Symbol) -> sp.Expr:
    """lim_{a -> oo} of an expression in which a enters rationally and through coth(a) = (1 + y)/(1 - y),
    y = e^{-2a}: a rational function of x = 1/a and y, both -> 0; if its denominator does not vanish at
    x = y = 0 the limit is its value there (sympy.limit, the general route, is compared in the tests). Falls back
    to sympy.limit otherwise."""
    x, y = sp.Dummy("x", positive=True), sp.Dummy("y", positive=True)
    ex = expr.subs(sp.coth(a), (1 + y) / (1 - y)).subs(a, 1 / x)
    numer, denom = sp.together(ex).as_numer_denom()
    if not ex.is_rational_function(x, y) or sp.expand(denom.subs({x: 0, y: 0})) == 0:
        return sp.limit(expr, a, sp.oo)
    return sp.cancel(numer.subs({x: 0, y: 0}) / denom.subs({x: 0, y: 0}))


def _aa_closed_form_mp(B: str) -> mpmath.mpf:
    """Independent route: spin-degenerate Altshuler-Aronov magnetoconductance of a wire, e^2/h times metre,
    Delta sigma = 2 [L_phi - (1/L_phi^2 + 1/L_B^2)^(-1/2)], L_B^2 = D tau_B = 3 hbar^2/(e^2 W^2 B^2)."""
    with mpmath.workdps(50):
        hbar = mp_constant("hbar")
        e = mp_constant("e")
        Lphi = mpmath.sqrt(mpmath.mpf(_D) / mpmath.mpf(_PHI))
        LB2 = 3 * hbar**2 / (e**2 * mpmath.mpf(_WIDTH) ** 2 * mpmath.mpf(B) ** 2)
        return 2 * (Lphi - 1 / mpmath.sqrt(1 / Lphi**2 + 1 / LB2))


def build() -> Derivation:
    d = Derivation("wire-mc", TITLE,
                   r"A wire of width $W$ with $l \ll W \ll L_c$ is quasi-one-dimensional for the Cooperon: only the "
                   "transverse zero mode survives. Regime of the field dephasing: diffusive boundary scattering "
                   r"(dirty metal) and $W \ll l_m = \sqrt{\hbar/eB}$. Units: $\delta\sigma_{1D} = \delta G\cdot L$ "
                   r"in $e^2/h$ times metre; $\delta G$ of a finite wire in $e^2/h$; $s = 2$ spin degeneracy in the "
                   "prefactor (spinless: $s = 1$, one channel of weight 1).")
    e, hbar, D, B, Wd = (W.SYMBOLS[k] for k in ("e", "hbar", "D", "B", "W"))
    y = sp.Symbol("y", real=True)
    avg_sq = sp.Integral((2 * e * B * y / hbar) ** 2, (y, -Wd / 2, Wd / 2)) / Wd
    avg = sp.Integral(2 * e * B * y / hbar, (y, -Wd / 2, Wd / 2)) / Wd
    d.step(r"Gauge $A_x = By$ across the width: the Cooperon phase gradient $2eA_x/\hbar$ has the mean",
           sp.Eq(avg, avg.doit()))
    d.step("and the mean square (SymPy)", sp.Eq(avg_sq, avg_sq.doit()))  # a monomial: already in simplest form
    rate = W.quasi1d_field_rate()
    d.equation("Its variance times $D$ is the field dephasing rate added to every Cooperon gap:",
               r"\frac{1}{\tau_B}", rate)
    G, tau, w, s = (W.SYMBOLS[k] for k in ("Gamma_c", "tau", "w_c", "s"))
    d.equation(r"One channel's zero-field correction of an infinite wire (cutoff $Dq^2 < 1/\tau$), "
               "$e^2/h$ times metre:", r"\delta\sigma_c", W.zero_field_correction(1))
    d.equation(r"For $L_c = \sqrt{D/\Gamma_c} \gg l$ ($\tau \to 0$) it is $-sw_cL_c$; adding $1/\tau_B$ to "
               "the gap gives the magnetoconductance of one channel:", r"\Delta\sigma_c(B)", W.magnetoconductance_1d())
    a = sp.Symbol("a", positive=True)
    n = sp.Symbol("n", integer=True, positive=True)
    d.step(r"Finite wire of length $L$ between reservoirs: Dirichlet modes $\sqrt{2/L}\sin(n\pi x/L)$; with "
           "$a = L/L_c$ the mode sum is summed by partial fractions, digamma telescoping and the reflection formula:",
           sp.Eq(sp.Sum(1 / (n**2 * sp.pi**2 + a**2), (n, 1, sp.oo)), W.wire_mode_sum()))
    fin = W.finite_wire_conductance()
    d.equation("so one channel's correction to the conductance ($e^2/h$) is", r"\delta G_c", fin)
    small = sp.series(fin, a, 0, 5).removeO()  # (SymPy's limit() mishandles coth at 0; the series is safe)
    d.equation(r"Small $a$ (weak dephasing, $L \ll L_c$), Taylor series:", r"\delta G_c", small + sp.O(a**5))
    zero = small.subs(a, 0)
    long_wire = _limit_a_to_infinity(a * fin, a)
    d.equation(r"and for $L \gg L_c$, $\delta G_c\,L/L_c$ tends to", r"\lim_{a\to\infty} a\,\delta G_c",
               long_wire)

    # ---- checks
    lm = sp.sqrt(hbar / (e * B))
    d.check(check_symbolic(r"Field dephasing $1/\tau_B = DW^2/(3l_m^4)$ with $l_m = \sqrt{\hbar/eB}$",
                           _BVH + "; " + _AA, rate, D * Wd**2 / (3 * lm**4)))
    Lc = sp.sqrt(D / G)
    d.check(check_symbolic(r"Infinite wire, $L_c \gg l$: $\delta\sigma_c = -sw_cL_c$ ($e^2/h$ times metre), i.e. "
                           r"$-\frac{e^2}{\pi\hbar}L_\phi$ spin-degenerate", _AA + "; " + _AAK,
                           _limit_tau_to_zero(W.zero_field_correction(1), tau), -s * w * Lc))
    tphi = sp.Symbol("tau_phi", positive=True)
    Lphi = sp.sqrt(D * tphi)
    LB = sp.sqrt(D / rate)
    mc = sum((W.magnetoconductance_1d().subs({w: c.wl_weight, G: c.gap, s: 2})
              for c in channels("cooperon", phi=1 / tphi)), sp.Integer(0))
    d.check(check_symbolic(r"Spin-degenerate wire magnetoconductance: $\Delta\sigma = 2\left[L_\phi - "
                           r"\left(L_\phi^{-2} + L_B^{-2}\right)^{-1/2}\right]$ in $e^2/h$ times metre, "
                           r"$L_B^2 = D\tau_B$", _AA + "; " + _BVH, mc,
                           2 * (Lphi - 1 / sp.sqrt(1 / Lphi**2 + 1 / LB**2))))
    for label, ss, ww, value in (("spinless ($s = 1$, one channel)", 1, 1, sp.Rational(-1, 3)),
                                 ("spin-degenerate orthogonal ($s = 2$, weights summing to 1)", 2, 1,
                                  sp.Rational(-2, 3)),
                                 ("strong spin-orbit ($s = 2$, singlet $w = -1/2$)", 2, sp.Rational(-1, 2),
                                  sp.Rational(1, 3))):
        d.check(check_symbolic(f"No dephasing, {label}: $\\delta G = {latex(value)}\\,e^2/h$", _BEE,
                               zero.subs({s: ss, w: ww}), value))
    d.check(check_symbolic(r"Long wire $L \gg L_c$: $\delta G\,L \to -sw_cL_c$ (the infinite-wire result)", _AA,
                           long_wire, -s * w))
    for av in _A_VALUES:
        d.check(check_numeric(rf"Mode sum at $a = {av}$: $(a\coth a - 1)/(2a^2) = \sum_n 1/(n^2\pi^2 + a^2)$",
                              "independent route: the mode series summed with convergence acceleration "
                              "(mpmath, 40 digits)",
                              W.wire_mode_sum().subs(a, sp.Float(av, 40)), _mode_sum_nsum(av), rtol=1e-12))
    d.check(check_numeric(r"The library's finite-wire correction at $L_\phi = 10^{12}L$, spinless, 30 digits: "
                          r"$-\frac13\,e^2/h$", _BEE,
                          wire_wl_conductance(1e12, spinless=True, dps=30), sp.Rational(-1, 3), rtol=1e-12))
    with mpmath.workdps(40):
        a_half = mpmath.mpf(2)  # L_phi = L/2
        expected = -2 * (a_half * mpmath.coth(a_half) - 1) / a_half**2
    d.check(check_numeric(r"The library's finite-wire correction at $L_\phi = L/2$, spin-degenerate, 30 digits: "
                          r"$-2(a\coth a - 1)/a^2$ at $a = 2$", _AAK + "; " + _BEE,
                          wire_wl_conductance(0.5, dps=30), expected, rtol=1e-12))
    for bf in _FIELDS:
        api = magnetoconductance(float(bf), dim=1, D=float(_D), phi=float(_PHI), width=float(_WIDTH), dps=30)
        d.check(check_numeric(rf"The library's wire magnetoconductance ($W = {tex_number(_WIDTH)}\,\mathrm{{m}}$) at "
                              rf"$B = {tex_number(bf)}\,\mathrm{{T}}$ equals the Altshuler–Aronov closed form "
                              "evaluated in mpmath", _AA + "; " + _BVH, api, _aa_closed_form_mp(bf), rtol=1e-12))
    return d
