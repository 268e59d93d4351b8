"""Derivation ``scaling-one-loop``: the one-loop beta function from the weak-localization (Cooperon) correction."""

from __future__ import annotations

import mpmath
import sympy as sp

from mesocorr.derivations.core import Derivation, Figure, check_numeric, check_symbolic, save_figure
from mesocorr.plots import minor_ticks_as_markers, plain_tick_labels, plot_beta, style
from mesocorr.scaling import flow, perturbative_limit
from mesocorr.symbolic import beta as B
from mesocorr.symbolic.channels import channels
from mesocorr.symbolic.wl import zero_field_correction
from mesocorr.arguments import as_rational
from mesocorr.symbolic.printing import latex, tex_number

TITLE = "Scaling theory: the one-loop beta function from the weak-localization correction"

_GLK = "Gor'kov, Larkin & Khmel'nitskii, JETP Lett. 30, 228 (1979); Evers & Mirlin, RMP 80, 1355 (2008), Sec. II"
_HLN = "Hikami, Larkin & Nagaoka, Prog. Theor. Phys. 63, 707 (1980) (strong spin-orbit scattering: antilocalization)"
_AALR = "Abrahams, Anderson, Licciardello & Ramakrishnan, PRL 42, 673 (1979)"
_LR = r"Lee & Ramakrishnan, RMP 57, 287 (1985): $\beta = d - 2 - a/g_\hbar$ with $a = 1/\pi^2$, $g_\hbar = G/(e^2/\hbar)$"
_BEE = r"Beenakker, RMP 69, 731 (1997), Sec. IV (DMPK: $\langle G\rangle/G_0 = Nl/L + (1 - 2/\beta)/3$, $G_0 = 2e^2/h$)"
_EM = {"orthogonal": "Wegner, Nucl. Phys. B 316, 663 (1989) (four loops); Evers & Mirlin, RMP 80, 1355 (2008), Sec. II",
       "unitary": "Hikami, PRB 24, 2671 (1981) (two loops); Wegner (1989) (four loops); Evers & Mirlin (2008), Sec. II",
       "symplectic": "Hikami, Prog. Theor. Phys. Suppl. 107, 213 (1992); Evers & Mirlin, RMP 80, 1355 (2008), Sec. II"}
_HIK92 = r"Hikami, Prog. Theor. Phys. Suppl. 107, 213 (1992): $\beta_S(t) = -2\beta_O(-t/2)$"

#: flows compared with the ODE integrator: (g0, L/L0, class, d)
_FLOWS = ((20.0, 100.0, "orthogonal", 2), (20.0, 1e4, "symplectic", 2), (5.0, 30.0, "orthogonal", 3),
          (0.5, 50.0, "symplectic", 3), (10.0, 20.0, "unitary", 2.5))
_SPIN_PARAMS = {"orthogonal": (0, 0), "unitary": (0, 1), "symplectic": (1, 0)}


def _evers_mirlin(symmetry_class: str, t: sp.Symbol, eps: sp.Symbol) -> sp.Expr:
    """Literature sigma-model beta(t) = -dt/d ln L, t = 1/(2 pi g'), g' = G/(2e^2/h) (Evers-Mirlin Sec. II)."""
    z3 = sp.zeta(3)
    return {"orthogonal": eps * t - 2 * t**2 - 12 * z3 * t**5,
            "unitary": eps * t - 2 * t**3 - 6 * t**5,
            "symplectic": eps * t + t**2 - sp.Rational(3, 4) * z3 * t**5}[symmetry_class]


def _quadrature_flow_log(g0: float, g_end: float, symmetry_class: str) -> mpmath.mpf:
    """Second algorithm for the 2D four-loop flow: ln(L/L0) = int_{g0}^{g(L)} dg/(g beta(g)), mpmath quadrature,
    beta converted by hand from the Evers-Mirlin series (t = 1/(pi g), beta_g = beta(t)/t)."""
    t, eps = sp.symbols("t epsilon")
    beta_t = _evers_mirlin(symmetry_class, t, eps).subs(eps, 0)
    x = sp.Symbol("x", positive=True)
    f = sp.lambdify(x, 1 / (x * (beta_t / t).subs(t, 1 / (sp.pi * x))), "mpmath")
    with mpmath.workdps(30):
        return mpmath.quad(f, [mpmath.mpf(g0), mpmath.mpf(g_end)])


def _flow_endpoint(g0: float, ratio: float, symmetry_class: str, dps: int = 30) -> mpmath.mpf:
    """The integrated endpoint g(L) of dg/dx = g beta_g(g), x = ln(L/L0), 2D, with the library's derived
    four-loop beta_g (:func:`mesocorr.symbolic.beta.beta_g`; a polynomial in 1/g), at ``dps`` digits.

    Bulirsch-Stoer (Stoer & Bulirsch, Introduction to Numerical Analysis, Sec. 7.2.14; Hairer, Norsett & Wanner I,
    Sec. II.9): Gragg's modified midpoint rule with n = 2, 4, 6, ... substeps over big steps of length <= 1,
    extrapolated to zero substep (polynomial in h^2, Aitken-Neville) until two successive diagonal entries agree to
    10^-(dps-5) relative. The whole integration is repeated with big steps 0.7 times as long; the two endpoints
    must agree to 10^-(dps-10) relative, else ValueError. (mpmath numbers only: no SciPy import; the public
    :func:`mesocorr.scaling.flow` integrates the same equation in float64 with SciPy's DOP853.)
    """
    u = sp.Symbol("u", positive=True)
    poly = sp.Poly(sp.expand(B.g * B.beta_g(symmetry_class, 2)).subs(B.g, 1 / u), u)
    with mpmath.workdps(dps + 10):
        coeffs = [mpmath.mpf(str(sp.N(c, dps + 15))) for c in poly.all_coeffs()]
        tol = mpmath.mpf(10) ** -(dps - 5)

        def rhs(y):
            inv, acc = 1 / y, mpmath.mpf(0)
            for c in coeffs:  # Horner in 1/g, highest power first
                acc = acc * inv + c
            return acc

        def midpoint(y, big, n):
            h = big / n
            z0, z1 = y, y + h * rhs(y)
            for _ in range(n - 1):
                z0, z1 = z1, z0 + 2 * h * rhs(z1)
            return (z0 + z1 + h * rhs(z1)) / 2

        def step(y, big):
            rows, ns = [], []
            for j in range(1, 16):
                ns.append(2 * j)
                row = [midpoint(y, big, 2 * j)]
                for k in range(1, j):
                    factor = (mpmath.mpf(ns[-1]) / ns[-1 - k]) ** 2 - 1
                    row.append(row[k - 1] + (row[k - 1] - rows[-1][k - 1]) / factor)
                if j > 2 and abs(row[-1] - row[-2]) <= tol * abs(row[-1]):
                    return row[-1]
                rows.append(row)
            raise ValueError(f"g0: the extrapolated midpoint rule did not converge from g = {mpmath.nstr(y, 8)}")

        def integrate(scale):
            x_end = mpmath.log(mpmath.mpf(ratio))
            steps = int(mpmath.ceil(x_end / scale))
            y = mpmath.mpf(g0)
            for _ in range(steps):
                y = step(y, x_end / steps)
            return y

        fine, other = integrate(1), integrate(mpmath.mpf("0.7"))
        if abs(fine - other) > mpmath.mpf(10) ** -(dps - 10) * abs(fine):
            raise ValueError(f"g0: the flow integration from g0 = {g0} did not converge to {dps - 10} digits")
    with mpmath.workdps(dps):
        return +fine


def _draw_beta(path: str) -> None:
    from matplotlib.figure import Figure as MplFigure

    with style():
        fig = MplFigure(figsize=(4.6, 3.6))
        fig.subplots_adjust(left=0.105617, bottom=0.261793, right=0.973550, top=0.976851)  # fixed margins: no layout pass
        plot_beta(ax=fig.subplots(), dims=(1, 2, 3))
        plain_tick_labels(fig)  # linear axes with O(1) ticks: no offset, no mathtext needed
        minor_ticks_as_markers(fig)  # limits final, legend at a fixed place
    save_figure(fig, path)


def build() -> Derivation:
    d = Derivation("scaling-one-loop", TITLE,
                   r"Convention: $g = G/(e^2/h)$ of a hypercube of side $L$ with both spin directions counted, and "
                   r"$\beta(g) = d\ln g/d\ln L$. The one-loop term is the weak-localization correction "
                   r"$\delta\sigma = -(se^2D/\pi\hbar)\sum_c w_cI_c$, "
                   r"$I_c = \int d^dq/(2\pi)^d\,(Dq^2+\Gamma_c)^{-1}$ "
                   "($s = 2$), summed over the Cooperon spin channels that stay gapless: their weight sum $W$ fixes "
                   "the symmetry class. Higher loops are literature input ($\\sigma$-model series), converted to this "
                   "convention and checked.")
    rate = sp.Symbol("Gamma", positive=True)
    for cls in B.CLASSES:
        so, mag = _SPIN_PARAMS[cls]
        chans = channels("cooperon", so=so * rate, mag=mag * rate)
        what = {"orthogonal": "no spin scattering", "unitary": "time reversal broken (magnetic scattering "
                r"$\Gamma_m = \Gamma$ gaps every Cooperon)", "symplectic": "spin-orbit scattering "
                r"$\Gamma_{so} = \Gamma$ gaps the triplets"}[cls]
        d.equation(f"{cls.capitalize()} class, {what}: Cooperon gaps (first row) and weak-localization weights "
                   "(second row) of the singlet and the three triplets, from the diagonalised spin kernel:",
                   r"\begin{pmatrix}\Gamma_c\\ w_c\end{pmatrix}",
                   sp.Matrix([[c.gap for c in chans], [c.wl_weight for c in chans]]))
    d.equation("Sum of the weights of the gapless channels (orthogonal, unitary, symplectic):", "W",
               sp.Matrix([[B.gapless_weight(c) for c in B.CLASSES]]))
    q, lmin, lmax = sp.symbols("q q_min q_max", positive=True)
    integral = sp.Integral(q / (2 * sp.pi * q**2), (q, lmin, lmax))
    d.step("2D: the gapless Cooperon integral between $q_{min} = 1/L$ and $q_{max} = 1/l$ is logarithmic "
           "(SymPy):", sp.Eq(integral, integral.doit()))
    d.equation(r"so $\delta g = -(h/e^2)(se^2/\pi\hbar)\,W\ln(L/l)/(2\pi) = -(s/\pi)W\ln(L/l)$, and "
               r"$dg/d\ln L$ for the orthogonal, unitary and symplectic classes is:",
               r"\left(\frac{dg}{d\ln L}\right)_{O,U,S}", sp.Matrix([[B.one_loop_rate(c, 2) for c in B.CLASSES]]))
    for cls in B.CLASSES:
        d.equation(f"One-loop $\\beta = g^{{-1}}dg/d\\ln L$ in $d = 2 + \\epsilon$, {cls}:",
                   rf"\beta_{{\mathrm{{{cls[0].upper()}}}}}(g)", B.beta_g(cls, B.epsilon, loops=1))
    n, L = sp.symbols("n L", positive=True)
    modes = sp.Sum(1 / (n * sp.pi / L) ** 2, (n, 1, sp.oo))
    d.step(r"Quasi-1D wire between reservoirs: Dirichlet modes $q_n = n\pi/L$; the mode sum is",
           sp.Eq(modes, modes.doit()))
    d.equation(r"so $\delta g = -(2s/L^2)W\sum_n q_n^{-2} = -(s/3)W$ (independent of $L$), and with the Drude "
               r"$g \propto 1/L$ the wire beta functions are", r"(\beta_O, \beta_U, \beta_S)_{\mathrm{wire}}",
               sp.Matrix([[B.beta_g(c, 1) for c in B.CLASSES]]))
    for cls in B.CLASSES:
        d.equation(f"Higher loops (literature $\\sigma$-model series, coupling $t = 1/(2\\pi g') = 1/(\\pi g)$, "
                   f"$g' = g/2$), {cls}:", r"\beta(t) = -\frac{dt}{d\ln L}", B.sigma_model_series(cls))
    for cls in B.CLASSES:
        d.equation(rf"Converted, $\beta_g = \beta(t)/t$ at $d = 2$ through four loops, {cls}:",
                   rf"\beta_{{\mathrm{{{cls[0].upper()}}}}}(g)", B.beta_g(cls, 2))
    x, g0, c0, c1 = sp.symbols("x g_0 epsilon c_1")
    sol = one_loop_flow_solution(x, g0, c0, c1)
    d.equation(r"One-loop flow: $dg/dx = g\beta(g) = \epsilon g + c_1$ with $x = \ln(L/L_0)$, $g(0) = g_0$, "
               r"solved by SymPy's dsolve (2D: $g = g_0 + c_1x$; $d > 2$: fixed point $g_c = -c_1/\epsilon$):",
               "g(x)", sol)
    gstar = {c: perturbative_limit(c, 2) for c in B.CLASSES}
    d.step(r"Where the series is trusted (figures): its successive non-zero terms, the classical $d - 2$ included, "
           r"must decrease, which holds for $g > g^* = \max_{n<m}(|c_m|/|c_n|)^{1/(m-n)}$ "
           r"($\beta = c_0 + \sum_n c_ng^{-n}$); in $d = 2$ at four loops $g^* = "
           + ", ".join(f"{gstar[c]:.3f}" for c in B.CLASSES) + "$ (orthogonal, unitary, symplectic).")
    d.figures.append(Figure("scaling-one-loop-beta.png",
                            r"Perturbative $\beta(g)$ for the orthogonal (solid), unitary (dashed) and symplectic "
                            r"(dotted) classes in $d = 1$ (wire), 2 and 3 at the highest known order; "
                            r"$g = G/(e^2/h)$, both spins. Faint, and shaded: $g < g^*$, where the successive terms "
                            "of the series no longer decrease.", _draw_beta))

    # ---- checks
    g = B.g
    expected = {"orthogonal": -2 / (sp.pi * g), "unitary": sp.Integer(0), "symplectic": 1 / (sp.pi * g)}
    for cls in B.CLASSES:
        d.check(check_symbolic(f"2D one-loop beta function, {cls}: $\\beta = {latex(expected[cls])}$",
                               _HLN if cls == "symplectic" else _GLK, B.beta_g(cls, 2, loops=1), expected[cls]))
    gh = sp.Symbol("g_hbar", positive=True)
    d.check(check_symbolic(r"Orthogonal one loop in the convention of Abrahams et al.: $\beta = -1/(\pi^2g_\hbar)$",
                           _LR, B.beta_expression("orthogonal", 2, loops=1, variable="g_hbar"), -1 / (sp.pi**2 * gh)))
    d.check(check_symbolic(r"Strong spin-orbit scattering gives $-\frac12$ of the orthogonal one-loop term "
                           "(antilocalization)", _HLN,
                           B.one_loop_rate("symplectic", 2), -B.one_loop_rate("orthogonal", 2) / 2))
    d.check(_wl_slope())
    for dim in (1, 2, 3):
        for cls in B.CLASSES:
            limit = dim - 2 if dim > 1 else -1
            d.check(check_symbolic(rf"$g \to \infty$: $\beta \to {limit}$ (Ohm's law), {cls}, $d = {dim}$",
                                   _AALR, _limit_g_to_infinity(B.beta_g(cls, dim), g), limit))
    for cls in B.CLASSES:
        dyson = B.DYSON_INDEX[cls]
        d.check(check_symbolic(rf"Quasi-1D one-loop correction $\delta g = 2(1 - 2/\beta)/3$ in $e^2/h$, $\beta = {dyson}$",
                               _BEE, B.one_loop_rate(cls, 1), 2 * (1 - sp.Rational(2, dyson)) / 3))
    tt, ee = sp.symbols("t epsilon")
    for cls in B.CLASSES:
        gg = sp.Symbol("g", positive=True)
        by_hand = sp.expand((_evers_mirlin(cls, tt, ee) / tt).subs(tt, 1 / (2 * sp.pi * (gg / 2))).subs(ee, 1))
        same = ("the symplectic series is written out as in Evers–Mirlin, the library's comes from the duality"
                if cls == "symplectic" else "the library holds the same literature coefficients, so this checks "
                "the conversion and the derived one-loop term, not the higher-loop coefficients")
        d.check(check_symbolic(f"$d = 3$ four-loop $\\beta_g$, {cls}: equals the literature series converted by hand "
                               f"($t = 1/(2\\pi g')$, $g' = g/2$, $\\beta_g = \\beta(t)/t$; {same})", _EM[cls],
                               B.beta_g(cls, 3), by_hand.subs(gg, g)))
    d.check(check_symbolic(r"Orthogonal–symplectic duality in this convention: $\beta_S(g) = \beta_O(-2g)$, $d = 2$ (the "
                           "library builds the symplectic higher loops from this duality, so this checks the derived "
                           "one-loop terms and the conversion between $t$ and $g$; the Evers–Mirlin series check is "
                           "the independent one for the higher loops)", _HIK92,
                           B.beta_g("symplectic", 2), B.beta_g("orthogonal", 2).subs(g, -2 * g)))
    two_d = removable_limit(sol, c0)  # 2D: the epsilon -> 0 limit (once: it does not depend on the flow)
    for g_start, r, cls, dim in _FLOWS:
        c1v = B.one_loop_rate(cls, 2)
        eps_v = as_rational("dim", dim) - 2
        at_eps = two_d if eps_v == 0 else sol.subs(c0, eps_v)
        closed = at_eps.subs({g0: sp.Float(g_start, 30), c1: c1v, x: sp.log(sp.Float(r, 30))})
        d.check(check_numeric(f"One-loop flow $g(L)$: SymPy's dsolve solution against the library's float64 flow, "
                              f"{cls}, $d = {dim:g}$, $g_0 = {g_start:g}$, $L/L_0 = {tex_number(r)}$",
                              "independent route: the library's one-loop flow (its float64 closed form of the "
                              "linear flow equation, from its stored $\\beta$ coefficients; rounding error a few ulp)",
                              closed, flow(g_start, r, cls, dim, loops=1), rtol=1e-12))
    for cls, g_start, r in (("orthogonal", 6.0, 300.0), ("symplectic", 3.0, 1e3)):
        g_end = _flow_endpoint(g_start, r, cls)  # an mpmath integration (SciPy's import is 0.6 s)
        d.check(check_numeric(f"Four-loop 2D flow ({cls}, $g_0 = {g_start:g}$): "
                              r"$\ln(L/L_0) = \int dg/(g\beta)$ by quadrature reproduces the integrated endpoint",
                              "independent route: quadrature (mpmath) of $1/(g\\beta(g))$ with $\\beta$ from the "
                              f"literature series ({_EM[cls].split(';')[0]})", _quadrature_flow_log(g_start, g_end, cls),
                              mpmath.log(r), rtol=1e-12))
    return d


def one_loop_flow_solution(x: sp.Symbol, g0: sp.Symbol, eps: sp.Symbol, c1: sp.Symbol) -> sp.Expr:
    """SymPy's dsolve of dg/dx = eps g + c1, g(0) = g0, with the hint its default route ends in (linear, constant
    coefficients, undetermined coefficients) and without its final ``odesimp`` pass: the same solution, without
    trying the other hints first (whose ``solve`` calls ``simplify`` and imports sympy.physics.units); tests/test_derive_ucf_scaling_speed.py compares the
    srepr with the hint-free dsolve."""
    gf = sp.Function("g")
    return sp.dsolve(sp.Eq(gf(x).diff(x), eps * gf(x) + c1), gf(x), ics={gf(0): g0},
                     hint="nth_linear_constant_coeff_undetermined_coefficients", simplify=False).rhs


def removable_limit(expr: sp.Expr, var: sp.Symbol) -> sp.Expr:
    """lim_{var -> 0} of ``expr`` = num/den (``together``) with num, den analytic in ``var``: the value at 0 where
    den(0) != 0, L'Hopital's num'(0)/den'(0) for a simple zero of den with num(0) = 0 (exact for analytic num and
    den); sympy.limit otherwise (the general route, compared in tests/test_derive_ucf_scaling_speed.py)."""
    num, den = sp.fraction(sp.together(expr))
    analytic = all(_entire_in(part, var) for part in (num, den))
    if analytic:
        den0 = sp.cancel(den.subs(var, 0))
        if den0 != 0:
            return sp.cancel(num.subs(var, 0)) / den0
        slope = sp.cancel(sp.diff(den, var).subs(var, 0))
        if sp.cancel(num.subs(var, 0)) == 0 and slope != 0:
            return sp.diff(num, var).subs(var, 0) / slope
    return sp.limit(expr, var, 0)


def _entire_in(expr: sp.Expr, var: sp.Symbol) -> bool:
    """True if ``expr`` is built from ``var`` by sums, products, non-negative integer powers and ``exp`` only
    (so it is an entire function of ``var``)."""
    if not expr.has(var):
        return True
    if expr == var:
        return True
    if isinstance(expr, sp.Pow):
        return expr.exp.is_Integer and expr.exp >= 0 and _entire_in(expr.base, var)
    if isinstance(expr, (sp.Add, sp.Mul, sp.exp)):
        return all(_entire_in(a, var) for a in expr.args)
    return False


def _limit_g_to_infinity(expr: sp.Expr, g: sp.Symbol) -> sp.Expr:
    """lim_{g -> oo} of a beta function: with u = 1/g it is a polynomial in u (the loop expansion), whose limit
    u -> 0 is its value at u = 0; sympy.limit (the general route, compared in tests/test_derive_numeric_speed.py)
    for any other form."""
    u = sp.Dummy("u", positive=True)
    ex = sp.expand(expr.subs(g, 1 / u))
    return ex.subs(u, 0) if ex.is_polynomial(u) else sp.limit(expr, g, sp.oo)


def _wl_slope():
    """d delta-sigma / d ln L_phi of one channel from mesocorr.symbolic.wl (Hikami-box prefactor)."""
    expr = zero_field_correction(2)
    syms = {s.name: s for s in expr.free_symbols}
    Lphi, Dd = sp.symbols("L_phi D_", positive=True)
    sub = expr.subs({syms["s"]: 2, syms["Gamma_c"]: Dd / Lphi**2, syms["w_c"]: 1})
    slope = sp.limit(sp.diff(sub, Lphi) * Lphi, Lphi, sp.oo)
    return check_symbolic(r"The one-loop 2D rate $-2/\pi$ ($W = 1$) equals $d\,\delta\sigma/d\ln L_\phi$ of the "
                          r"weak-localization correction derived from the Hikami box ($L_\phi \gg l$)",
                          "independent route: Kubo formula + Hikami box + Cooperon ladder "
                          "(Akkermans & Montambaux, ch. 7)", slope, B.one_loop_rate("orthogonal", 2))
