"""Derivation ``wl-2d``: the zero-field 2D weak-localization correction from the Hikami box and the Cooperon."""

from __future__ import annotations

import mpmath
import sympy as sp

from mesocorr.derivations.core import Derivation, check_numeric, check_symbolic
from mesocorr.diagrams import hikami as H
from mesocorr.symbolic import wl as W
from mesocorr.symbolic.channels import channels
from mesocorr.symbolic.printing import tex_number
from mesocorr.wl import wl_correction

TITLE = r"Weak localization in 2D at zero field: $-\frac{e^2}{2\pi^2\hbar}\ln(\tau_\phi/\tau)$ from the Hikami box"

_AM7 = "Akkermans & Montambaux, Mesoscopic Physics of Electrons and Photons (CUP 2007), ch. 7 (Hikami box, WL)"
_AM4 = "Akkermans & Montambaux (CUP 2007), ch. 4 and 7 (Drude conductivity from the Kubo bubble)"
_GLK = ("Gor'kov, Larkin & Khmel'nitskii, JETP Lett. 30, 228 (1979); Bergmann, Phys. Rep. 107, 1 (1984); "
        "Hikami, Larkin & Nagaoka, Prog. Theor. Phys. 63, 707 (1980)")
_HLN = "Hikami, Larkin & Nagaoka, Prog. Theor. Phys. 63, 707 (1980) (strong spin-orbit: antilocalization)"

#: SI-like sample parameters for the numeric checks (D m^2/s, tau s, dephasing rates 1/s)
_D, _TAU, _PHIS = "0.01", "1e-13", ("1e10", "3.7e8", "2.5e12")


def _quadrature_integral(D: str, gamma: str, tau: str) -> mpmath.mpf:
    """Independent route: int_0^{q_max} q dq/(2 pi) / (D q^2 + Gamma), q_max = 1/sqrt(D tau), by mpmath.quad."""
    with mpmath.workdps(40):
        Dm, Gm, tm = mpmath.mpf(D), mpmath.mpf(gamma), mpmath.mpf(tau)
        qmax = 1 / mpmath.sqrt(Dm * tm)
        qs = [0] + [qmax * mpmath.mpf(10) ** k for k in range(-8, 1)]
        return mpmath.quad(lambda q: q / (2 * mpmath.pi) / (Dm * q**2 + Gm), qs)


def _limit_at_infinity(expr: sp.Expr, x: sp.Symbol) -> sp.Expr:
    r""":math:`\lim_{x\to\infty}` of a sum of rational functions and logarithms, by substitution :math:`x = 1/y`.

    The terms that depend on :math:`y` have their logarithms split into logarithms of polynomial factors; the
    :math:`\ln y` terms must cancel, every remaining logarithm's argument be positive at :math:`y = 0` and the rest
    have a denominator nonzero there (continuity at :math:`y = 0`); then the limit is the value at :math:`y = 0`.
    Otherwise SymPy's :func:`~sympy.limit` (the same value; a test compares the two on the catalogue's limits).
    A sum of constants and logarithms of rational functions goes first by their leading terms
    (:func:`_limit_of_logarithms`, the same value and form; tests/test_derive_numeric_speed.py compares).
    """
    by_leading_terms = _limit_of_logarithms(expr, x)
    return _limit_by_substitution(expr, x) if by_leading_terms is None else by_leading_terms


def _limit_by_substitution(expr: sp.Expr, x: sp.Symbol) -> sp.Expr:
    """:func:`_limit_at_infinity` by the substitution x = 1/y (continuity at y = 0), else sympy.limit."""
    y = sp.Dummy("y", positive=True)
    terms = sp.Add.make_args(sp.expand(expr.subs(x, 1 / y)))
    fixed = sp.Add(*(t for t in terms if not t.has(y)))
    moving = sp.expand(sp.Add(*(t for t in terms if t.has(y))).replace(
        lambda a: isinstance(a, sp.log) and a.has(y),
        lambda a: sp.expand_log(sp.log(sp.factor(sp.together(a.args[0]))), force=True)))
    continuous = sp.cancel(moving.coeff(sp.log(y))) == 0
    moving = moving.subs(sp.log(y), 0)
    continuous = continuous and all(a.args[0].subs(y, 0).is_positive for a in moving.atoms(sp.log) if a.has(y))
    rest = moving.replace(lambda a: isinstance(a, sp.log), lambda a: sp.Dummy())
    continuous = continuous and sp.fraction(sp.together(rest))[1].subs(y, 0) != 0
    if not continuous:
        return sp.limit(expr, x, sp.oo)
    return fixed + sp.expand(sp.expand_log(moving.subs(y, 0), force=True))


def _limit_of_logarithms(expr: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    r""":math:`\lim_{x\to\infty}` of :math:`r + \sum_i c_i\ln A_i(x)` (``r``, :math:`c_i` free of :math:`x`,
    :math:`A_i` rational in :math:`x`), or None for any other shape.

    With leading coefficients :math:`a_i/b_i > 0` (SymPy decides) and degrees :math:`k_i` (numerator minus
    denominator), :math:`\ln A_i = \ln(a_i/b_i) + k_i\ln x + o(1)`; if :math:`\sum_i c_ik_i` cancels to zero the limit
    is :math:`r + \sum_i c_i\ln(a_i/b_i)`, returned in :func:`_limit_at_infinity`'s form (logarithms expanded, then
    the sum expanded). Returns None when a sign or the cancellation is undecided.
    """
    fixed, logs, order = [], [], sp.Integer(0)
    for term in sp.Add.make_args(sp.expand(expr)):
        if not term.has(x):
            fixed.append(term)
            continue
        c, log = term.as_independent(x, as_Add=False)
        if not isinstance(log, sp.log) or not log.args[0].is_rational_function(x):
            return None
        num, den = (sp.Poly(p, x) for p in sp.fraction(sp.together(log.args[0])))
        ratio = sp.cancel(num.LC() / den.LC())
        if ratio.has(x) or not ratio.is_positive:
            return None
        logs.append(c * sp.log(ratio))
        order += c * (num.degree() - den.degree())
    if sp.cancel(order) != 0:
        return None
    return sp.Add(*fixed) + sp.expand(sp.expand_log(sp.Add(*logs), force=True))


def build() -> Derivation:
    d = Derivation("wl-2d", TITLE,
                   "The weak-localization correction is the maximally crossed (Cooperon) series inserted in the "
                   r"Hikami box of the Kubo conductivity. Conventions: $\nu$ = density of states per spin and "
                   r"area, $s = 2$ spin degeneracy in the prefactor, Cooperon channel weights $w_c$ summing to 1 "
                   r"without spin scattering, UV cutoff $Dq_{max}^2 = 1/\tau$, IR cutoff the channel gap "
                   r"$\Gamma_c$ (here $1/\tau_\phi$). Results in units of $e^2/h$ per square unless stated.")
    s = H.SYMBOLS
    d.equation(r"Drude conductivity from the Kubo bubble $\frac{se^2\hbar}{2\pi}\nu\langle v_x^2\rangle\int "
               r"d\xi\,G^RG^A$ (residues, angular average in $d = 2$):", r"\sigma_0", H.drude_conductivity(2))
    d.equation("Particle-particle bubble expanded to order $Q^2$ and angle-averaged: the Cooperon is "
               r"$\Gamma_C = \gamma/(1-\Pi)$, $\gamma = \hbar/(2\pi\nu\tau)$, with", r"1 - \Pi(Q)",
               H.ladder_expansion(2))
    box = H.hikami_box(2)
    d.equation(r"Hikami box, bare term $\nu\langle v_x(\mathbf k)v_x(-\mathbf k)\rangle\int d\xi\,(G^RG^A)^2$:",
               "H_0", box.bare)
    d.equation("The two boxes dressed by an impurity line carry one velocity per momentum integral, "
               r"$\langle v_x\rangle = 0$, so for isotropic scattering", "H_1 = H_2", box.dressed_1)
    P = H.wl_prefactor(2)
    d.equation(r"Assembling $\delta\sigma = \frac{se^2\hbar}{2\pi}H\int\frac{d^2Q}{(2\pi)^2}\Gamma_C$ gives "
               r"$\delta\sigma = -P\sum_c w_c\int\frac{d^2Q}{(2\pi)^2}\frac{1}{DQ^2+\Gamma_c}$ with", "P", P)
    q, D, tau, G = W.SYMBOLS["q"], W.SYMBOLS["D"], W.SYMBOLS["tau"], W.SYMBOLS["Gamma_c"]
    integral = sp.Integral(q / (2 * sp.pi) / (D * q**2 + G), (q, 0, 1 / sp.sqrt(D * tau)))
    d.step(r"Momentum integral with the UV cutoff $Dq_{max}^2 = 1/\tau$ (SymPy):",
           sp.Eq(integral, sp.expand_log(W.cooperon_integral(2), force=True)))
    one = W.zero_field_correction(2)
    d.equation(r"One channel's correction in units of $e^2/h = e^2/(2\pi\hbar)$ per square:",
               r"\delta\sigma_c", one)
    w, ss = W.SYMBOLS["w_c"], W.SYMBOLS["s"]
    tphi = sp.Symbol("tau_phi", positive=True)
    chans = channels("cooperon", phi=1 / tphi)
    d.equation(r"Without spin scattering every Cooperon channel has the gap $1/\tau_\phi$ (singlet, three "
               "triplets):", r"(\Gamma_S, \Gamma_{T_x}, \Gamma_{T_y}, \Gamma_{T_z})",
               sp.Matrix([[c.gap for c in chans]]))
    total = sum((one.subs({w: c.wl_weight, G: c.gap}) for c in chans), sp.Integer(0))
    total = total.subs(ss, 2)
    d.equation("Summing the channels with their weights and $s = 2$ ($e^2/h$ per square):", r"\delta\sigma", total)
    e, hbar = W.SYMBOLS["e"], W.SYMBOLS["hbar"]
    si = total * e**2 / (2 * sp.pi * hbar)
    leading = _limit_at_infinity(si + e**2 / (2 * sp.pi**2 * hbar) * sp.log(tphi / tau), tphi)
    d.equation(r"In SI units $\delta\sigma_{SI} = \delta\sigma\,e^2/(2\pi\hbar)$, and for $\tau_\phi \gg \tau$ the "
               "remainder tends to zero:", r"\lim_{\tau_\phi\to\infty}\left[\delta\sigma_{SI} + \frac{e^2}{2\pi^2\hbar}"
               r"\ln\frac{\tau_\phi}{\tau}\right]", leading)
    so = sp.Symbol("Gamma_so", positive=True)
    chans_so = channels("cooperon", so=so, phi=1 / tphi)
    total_so = sum((one.subs({w: c.wl_weight, G: c.gap, ss: 2}) for c in chans_so), sp.Integer(0))
    strong = _limit_at_infinity(total_so, so)
    d.equation(r"With isotropic spin-orbit scattering $\Gamma_{so}$ the triplets acquire the gap "
               r"$4\Gamma_{so}/3$; for $\Gamma_{so}\tau_\phi \to \infty$ only the singlet ($w = -1/2$) remains:",
               r"\delta\sigma_{so\to\infty}", strong)

    # ---- checks
    nu = s["nu"]
    d.check(check_symbolic(r"Drude conductivity $\sigma_0 = se^2\nu D$ (Einstein relation)", _AM4,
                           H.drude_conductivity(2), s["s"] * s["e"] ** 2 * nu * s["D"]))
    d.check(check_symbolic("The dressed Hikami boxes vanish for isotropic (short-range) scattering", _AM7,
                           box.dressed_1 + box.dressed_2, 0))
    for dim in (1, 3):
        d.check(check_symbolic(rf"The prefactor $P = se^2D/(\pi\hbar)$ is the same in $d = {dim}$ as in $d = 2$",
                               f"independent route: Hikami box and ladder recomputed in $d = {dim}$ "
                               "(angular averages)", H.wl_prefactor(dim), P))
    d.check(check_symbolic(r"Relative correction $\delta\sigma/\sigma_0 = -\frac{1}{\pi\nu\hbar}\sum_c w_c"
                           r"\int\frac{d^dQ}{(2\pi)^d}\frac{1}{DQ^2 + \Gamma_c}$", _AM7,
                           P / H.drude_conductivity(2), 1 / (sp.pi * nu * s["hbar"])))
    d.check(check_symbolic(r"Spin-degenerate 2D result: $\delta\sigma = -\frac{e^2}{2\pi^2\hbar}"
                           r"\ln(1 + \tau_\phi/\tau)$, i.e. $-\frac{e^2}{2\pi^2\hbar}\ln(\tau_\phi/\tau)$ for "
                           r"$\tau_\phi \gg \tau$", _GLK, sp.expand_log(si, force=True),
                           -e**2 / (2 * sp.pi**2 * hbar) * sp.log(1 + tphi / tau)))
    d.check(check_symbolic(r"The remainder $-\frac{e^2}{2\pi^2\hbar}\ln(1 + \tau/\tau_\phi)$ vanishes for "
                           r"$\tau_\phi \gg \tau$", _GLK, leading, 0))
    d.check(check_symbolic(r"Strong spin-orbit scattering: the correction is $-\frac{1}{2}$ of the spin-degenerate one "
                           "(antilocalization)", _HLN, strong, -total / 2))
    for phi in _PHIS:
        closed = W.cooperon_integral(2).subs({D: sp.Float(_D, 40), tau: sp.Float(_TAU, 40), G: sp.Float(phi, 40)})
        d.check(check_numeric(rf"2D Cooperon integral at $D = {tex_number(_D)}\,\mathrm{{m^2/s}}$, "
                              rf"$\tau = {tex_number(_TAU)}\,\mathrm{{s}}$, "
                              rf"$\Gamma_c = {tex_number(phi)}\,\mathrm{{s^{{-1}}}}$",
                              r"independent route: quadrature (mpmath) of $q/(2\pi(Dq^2 + \Gamma_c))$ on "
                              r"$[0, 1/\sqrt{D\tau}]$", closed, _quadrature_integral(_D, phi, _TAU), rtol=1e-12))
    for phi in _PHIS[:2]:
        with mpmath.workdps(40):
            expected = -mpmath.log(1 + 1 / (mpmath.mpf(phi) * mpmath.mpf(_TAU))) / mpmath.pi
        d.check(check_numeric(r"The library's zero-field correction (2D, 30 digits) at "
                              rf"$1/\tau_\phi = {tex_number(phi)}\,\mathrm{{s^{{-1}}}}$, "
                              rf"$\tau = {tex_number(_TAU)}\,\mathrm{{s}}$ equals "
                              r"$-\frac{1}{\pi}\ln(1 + \tau_\phi/\tau)\,e^2/h$", _GLK,
                              wl_correction(2, D=float(_D), phi=float(phi), elastic_time=float(_TAU), dps=30), expected,
                              rtol=1e-12))
    return d
