"""Fast paths of the diagram machinery behind ``mesocorr derive`` (issue 18) against the slow routes they replace.

Each test recomputes the quantity the way the code did before (``sympy.summation`` to infinity, ``sympy.solve``,
``sympy.simplify``, ``sympy.integrate``, ``sympy.limit``) and asserts the same SymPy expression (``==``, i.e. the
same printed form, which the byte-identical catalogue documents need) or the same truth value.
"""

from __future__ import annotations

import random

import pytest
import sympy as sp

from mesocorr.diagrams import hikami as H
from mesocorr.diagrams import ladder as L
from mesocorr.diagrams.lines import cos_moment, is_zero
from mesocorr.symbolic import propagators as P
from mesocorr.symbolic import wl as W
from mesocorr.symbolic.channels import channels
from mesocorr.symbolic.memo import is_monomial, simplify


def test_geometric_series_equals_summation_to_infinity():
    z, value, condition = L._geometric_series()
    n = sp.Symbol("n", integer=True, nonnegative=True)
    summed = sp.summation(z**n, (n, 0, sp.oo))
    (slow_value, slow_condition), _ = summed.args
    assert value == slow_value
    assert condition == slow_condition


@pytest.mark.parametrize("kernel", [L.PI_KERNEL, sp.Symbol("x") ** 2 / 3 - sp.I * sp.Symbol("y"), sp.Rational(1, 2)])
def test_bethe_salpeter_linear_solve_equals_sympy_solve(kernel):
    lad = L.Ladder("diffuson", kernel=kernel)
    p = sp.Symbol("P")
    (slow,) = sp.solve(sp.Eq(p, lad.rung + lad.kernel * p), p)
    assert sp.cancel(lad.bethe_salpeter() - slow) == 0
    assert sp.cancel(lad.doit() - lad.rung / (1 - kernel)) == 0


def _random_monomial(rng, symbols):
    coeff = sp.Rational(rng.randint(-9, 9) or 1, rng.randint(1, 9))
    expr = coeff * rng.choice([1, sp.I, sp.pi, sp.I * sp.pi, sp.pi**-2])
    for s in symbols:
        expr *= s ** rng.randint(-3, 3)
    return expr


def test_monomials_are_fixed_points_of_simplify():
    """The memo returns a monomial unchanged: sympy.simplify does too (random monomials, seeded, and the
    catalogue's typical ones)."""
    rng = random.Random(18)
    symbols = [H.hbar, H.tau, H.nu, H.v, sp.Symbol("x", real=True), sp.Symbol("k")]
    cases = [_random_monomial(rng, rng.sample(symbols, rng.randint(1, 4))) for _ in range(60)]
    cases += [sp.Integer(0), sp.I * H.hbar / (2 * H.tau), -2 * sp.I * sp.pi * H.tau**2 / H.hbar**2]
    for expr in cases:
        assert is_monomial(expr)
        assert sp.simplify(expr) == expr, expr
        assert simplify(expr) == expr
    for expr in (H.hbar + 1, sp.sqrt(H.tau), sp.Float(0.5) * H.tau, sp.exp(H.tau), H.tau ** sp.Rational(1, 2)):
        assert not is_monomial(expr)


def test_is_zero_agrees_with_simplify():
    x, y = sp.symbols("x y", real=True)
    t = sp.Symbol("t", positive=True)
    cases = [x - x, (x + sp.I * t) - (sp.I * t + x), 1 / (x - sp.I) - (x + sp.I) / (x**2 + 1), x - y,
             sp.I * t / 2 - sp.I / (2 / t), sp.sqrt(t) ** 2 - t, sp.cos(x) ** 2 + sp.sin(x) ** 2 - 1,
             sp.sqrt(t * x**2) - sp.sqrt(t) * x, 0.5 * x - x / 2]
    for expr in cases:
        assert is_zero(expr) == (sp.simplify(expr) == 0), expr


@pytest.mark.parametrize("d", [1, 2, 3])
def test_diffusion_pole_fast_steps_equal_solve_and_simplify(d):
    r = P.diffusion_pole(d)
    s = P.SYMBOLS
    q, w, Dsym = s["q"], s["omega"], s["D"]
    (slow_D,) = sp.solve(sp.Eq(sp.expand(1 - r.kernel), sp.expand(P.TAU * (Dsym * q**2 - sp.I * w))), Dsym)
    assert r.D == slow_D
    summed = L.Ladder("diffuson", rung=L.impurity_strength(s["nu"]), kernel=r.kernel).doit()
    assert r.normalisation == sp.simplify(summed * (slow_D * q**2 - sp.I * w))


def test_rung_kernel_is_simplify_form():
    kernel, steps = P.rung_kernel(exact=True)
    integral = steps[1][1]
    assert kernel == sp.simplify(L.impurity_strength(P.SYMBOLS["nu"]) * P.SYMBOLS["nu"] * integral)


@pytest.mark.parametrize("d", [1, 2, 3])
def test_ladder_expansion_is_simplify_form(d):
    value = H.ladder_expansion(d)
    assert value == sp.simplify(value)
    assert value == H.D * H.tau * H.Q**2  # 1 - Pi = D tau Q^2 (A&M ch. 4)


@pytest.mark.parametrize("integrand, var, lower, upper", [
    (W._MEASURE[1] / (W.D * W.q**2 + W.Gamma), W.q, 0, 1 / sp.sqrt(W.D * W.tau)),
    (W._MEASURE[2] / (W.D * W.q**2 + W.Gamma), W.q, 0, 1 / sp.sqrt(W.D * W.tau)),
    (W._MEASURE[3] / (W.D * W.q**2 + W.Gamma), W.q, 0, 1 / sp.sqrt(W.D * W.tau)),
    (1 / (W.D * W.q**2 + W.B), W.q, -sp.oo, sp.oo),
    (sp.exp(-W.q), W.q, 0, sp.oo),
    (1 / sp.sqrt(W.q + W.B_c), W.q, 0, W.N),
])
def test_definite_integral_equals_sympy_integrate(integrand, var, lower, upper):
    fast = W._definite_integral(integrand, var, lower, upper)
    slow = sp.integrate(integrand, (var, lower, upper))
    assert sp.simplify(fast - slow) == 0
    assert sp.simplify(fast) == sp.simplify(slow)


@pytest.mark.parametrize("d", [1, 2, 3])
def test_cooperon_integral_equals_the_integrate_route(d):
    slow = sp.simplify(sp.integrate(W._MEASURE[d] / (W.D * W.q**2 + W.Gamma), (W.q, 0, 1 / sp.sqrt(W.D * W.tau))))
    assert W.cooperon_integral(d) == slow


def test_one_logarithm_equals_simplify():
    """cooperon_integral(2)'s fast route: the two logarithms combined into simplify's one-logarithm form."""
    value = W._definite_integral(W._MEASURE[2] / (W.D * W.q**2 + W.Gamma), W.q, 0, 1 / sp.sqrt(W.D * W.tau))
    fast = W._one_logarithm(value)
    assert fast == sp.simplify(value)
    assert sp.srepr(fast) == sp.srepr(sp.simplify(value))
    x, y, c = sp.symbols("x y c", positive=True)
    other = c * sp.log(x + y) - c * sp.log(x)       # another shape: the same value (simplify's form may differ)
    at = {x: sp.Rational(3, 7), y: sp.Rational(5, 2), c: sp.Rational(2, 3)}
    assert abs(sp.N((W._one_logarithm(other) - other).subs(at), 40)) < 1e-35


def test_quasi1d_field_rate_equals_the_simplify_route():
    y = sp.Symbol("y", real=True)
    e, B, hbar, Wd = W.e, W.B, W.hbar, W.SYMBOLS["W"]
    mean = sp.integrate(2 * e * B * y / hbar, (y, -Wd / 2, Wd / 2)) / Wd
    mean_sq = sp.integrate((2 * e * B * y / hbar) ** 2, (y, -Wd / 2, Wd / 2)) / Wd
    assert W.quasi1d_field_rate() == sp.simplify(W.D * (mean_sq - mean**2))


@pytest.mark.parametrize("geometry", [None, "wire"])
def test_zero_field_correction_1d_equals_the_simplify_route(geometry):
    expr = -W._prefactor() * W.w * W.cooperon_integral(1) / (W.A_wire if geometry else 1)
    slow = sp.simplify(expr / (W.e**2 / (2 * sp.pi * W.hbar)))
    assert sp.srepr(W.zero_field_correction(1, geometry)) == sp.srepr(slow)


def test_kawabata_line_integral_equals_the_simplify_route():
    qz, E = sp.symbols("q_z E", positive=True)
    raw = W._definite_integral(1 / (W.D * qz**2 + E), qz, -sp.oo, sp.oo) / (2 * sp.pi)
    energy = W.D * 4 * W.e * W.B / W.hbar
    assert sp.srepr(sp.cancel(raw)) == sp.srepr(sp.simplify(raw))
    assert sp.srepr(sp.cancel(sp.cancel(raw).subs(E, energy))) == sp.srepr(sp.simplify(sp.simplify(raw).subs(E, energy)))


def test_magnetoconductance_1d_equals_the_simplify_route():
    """The former pipeline: sympy.simplify of the zero-field difference (with the simplify-route zero-field form)."""
    e2h = W.e**2 / (2 * sp.pi * W.hbar)
    zero_slow = sp.simplify(-W._prefactor() * W.w * W.cooperon_integral(1) / e2h)
    inverse = sp.Symbol("X", positive=True)
    zero_b = sp.limit(zero_slow.subs(W.tau, 1 / inverse), inverse, sp.oo)
    slow = sp.simplify(zero_b.subs(W.Gamma, W.Gamma + W.quasi1d_field_rate()) - zero_b)
    assert sp.srepr(W.magnetoconductance_1d()) == sp.srepr(slow)
    # the helper on other sums under fractional powers: equal by construction, and simplify's form there too
    x, y = sp.symbols("x y", positive=True)
    for expr in (1 / sp.sqrt(x / 3 + y) - 1 / sp.sqrt(y), x / sp.sqrt(x**2 / (4 * y**2) + 1)):
        fast = W._over_common_denominators(expr)
        assert sp.simplify(fast - expr) == 0
        assert sp.srepr(fast) == sp.srepr(sp.simplify(expr))


def test_limit_of_root_differences_equals_sympy_limit():
    N, x = W.N, sp.Symbol("x", positive=True)
    shift = sp.Rational(1, 2) + W.B_c / W.B
    continuum = sp.integrate(1 / sp.sqrt(x + W.B_c / W.B), (x, 0, N))
    cases = [2 * sp.sqrt(N + shift) - continuum,  # kawabata_3d's
             sp.sqrt(N + 3) - sp.sqrt(N) + W.s,
             3 * sp.sqrt(N + W.B) - sp.sqrt(N + 1) - 2 * sp.sqrt(N - W.s) + 1 / W.B,
             sp.sqrt(N + 1) - sp.sqrt(N),  # no remainder: 0
             sp.sqrt(N + 1) + W.s,  # coefficients not summing to zero: sympy.limit (oo)
             sp.sqrt(N + 1) - N ** sp.Rational(1, 3),  # another shape: sympy.limit
             sp.sqrt(N**2 + 1) - N]  # another shape: sympy.limit
    for expr in cases:
        assert sp.srepr(W._limit_of_root_differences(expr, N)) == sp.srepr(sp.limit(expr, N, sp.oo))


def test_kawabata_3d_equals_the_simplify_route():
    """The former pipeline of kawabata_3d (simplify of the line integral, of the per-level term and of the product,
    then the unit change), re-run step by step."""
    qz, E = sp.symbols("q_z E", positive=True)
    line = sp.simplify(W._definite_integral(1 / (W.D * qz**2 + E), qz, -sp.oo, sp.oo) / (2 * sp.pi))
    per_level = sp.simplify(line.subs(E, W.D * 4 * W.e * W.B / W.hbar))
    delta = W.B_c / W.B
    x = sp.Symbol("x", positive=True)
    continuum = sp.integrate(1 / sp.sqrt(x + delta), (x, 0, W.N))
    shift = sp.Rational(1, 2) + delta
    rest = sp.zeta(sp.Rational(1, 2), shift) + sp.limit(2 * sp.sqrt(W.N + shift) - continuum, W.N, sp.oo)
    expr = -W._prefactor() * W.w * (W.e * W.B / (sp.pi * W.hbar)) * per_level * rest
    slow = sp.together(sp.simplify(expr) / (W.e**2 / (2 * sp.pi * W.hbar)))
    assert sp.srepr(W.kawabata_3d()) == sp.srepr(slow)
    assert sp.srepr(W._together_with_zeta_arguments(expr)) == sp.srepr(sp.simplify(expr))


def test_wl_closed_forms_equal_the_simplify_routes():
    """finite_wire_conductance / magnetoconductance_2d / kawabata_3d: together() and the digamma-limit route give
    the expressions the simplify / sympy.limit pipeline gives."""
    e2h = W.e**2 / (2 * sp.pi * W.hbar)
    mode_sum = W.wire_mode_sum()
    slow_wire = sp.simplify(sp.simplify(-W._prefactor() * W.w * (W.L / W.D) * mode_sum / W.L) / e2h)
    assert W.finite_wire_conductance() == slow_wire
    # 2D: the B -> 0 limit through the digammas (sympy.limit) equals the psi ~ log route
    B, Bc, Bt = W.B, W.B_c, W.B_tau
    expr = (sp.polygamma(0, Bt / B + sp.Rational(1, 2) + Bc / B) - sp.polygamma(0, sp.Rational(1, 2) + Bc / B)) * W.s
    assert W._limit_of_digamma_difference(expr, B) == sp.limit(expr, B, 0, "+")
    mc = W.magnetoconductance_2d()
    assert mc == sp.simplify(mc)
    k3 = W.kawabata_3d()
    assert k3 == sp.simplify(k3)


@pytest.mark.parametrize("d", [2, 3])
def test_cos_moments_equal_sympy_integrals(d):
    theta = H.theta
    for n in range(9):
        if d == 2:
            slow = sp.integrate(sp.cos(theta) ** n, (theta, 0, 2 * sp.pi)) / (2 * sp.pi)
        else:
            slow = sp.integrate(sp.cos(theta) ** n * sp.sin(theta), (theta, 0, sp.pi)) / 2
        assert cos_moment(n, d) == slow
    with pytest.raises(ValueError, match="d:"):
        cos_moment(2, 1)


@pytest.mark.parametrize("d", [1, 2, 3])
def test_fermi_velocity_equals_sympy_solve(d):
    (slow,) = sp.solve(sp.Eq(H.D, H.tau * H.angular_average((H.v * sp.cos(H.theta)) ** 2, d)), H.v)
    assert H._fermi_velocity(d) == slow


def test_ladder_expansion_taylor_equals_series():
    x = sp.Symbol("x", real=True)
    pi_x = H._impurity_line() * H.nu * H.residue_integral(H.green_retarded() * H.green_advanced(shift=x))
    taylor = sp.Add(*(sp.diff(pi_x, x, k).subs(x, 0) / sp.factorial(k) * x**k for k in range(3)))
    assert taylor == sp.series(pi_x, x, 0, 3).removeO()


def test_rung_expansion_equals_series():
    kernel, _ = P.rung_kernel(exact=True)
    q, w = P.SYMBOLS["q"], P.SYMBOLS["omega"]
    scaled = kernel.subs({q: P._EPS * q, w: P._EPS**2 * w})
    slow = sp.expand(sp.series(scaled, P._EPS, 0, 3).removeO().subs(P._EPS, 1))
    assert P.rung_kernel()[0] == slow


def _wl_2d_limits():
    """wl-2d's two limits at infinity: (expression, variable) for the remainder in tau_phi and the strong
    spin-orbit sum in Gamma_so."""
    one = W.zero_field_correction(2)
    tphi, so = sp.Symbol("tau_phi", positive=True), sp.Symbol("Gamma_so", positive=True)
    total = sum((one.subs({W.w: c.wl_weight, W.Gamma: c.gap, W.s: 2}) for c in channels("cooperon", phi=1 / tphi)),
                sp.Integer(0))
    remainder = total * W.e**2 / (2 * sp.pi * W.hbar) + W.e**2 / (2 * sp.pi**2 * W.hbar) * sp.log(tphi / W.tau)
    strong = sum((one.subs({W.w: c.wl_weight, W.Gamma: c.gap, W.s: 2})
                  for c in channels("cooperon", so=so, phi=1 / tphi)), sp.Integer(0))
    return [(remainder, tphi), (strong, so)]


def test_wl_2d_limits_by_substitution_equal_sympy_limit():
    from mesocorr.derivations.wl_2d import _limit_at_infinity

    x = sp.Symbol("x", positive=True)
    for expr, var in _wl_2d_limits() + [((x + 1) / (2 * x + 3) + sp.log(1 + 1 / x), x)]:
        assert _limit_at_infinity(expr, var) == sp.limit(expr, var, sp.oo)
    divergent = sp.log(x)  # not continuous in 1/x: SymPy's limit
    assert _limit_at_infinity(divergent, x) == sp.oo


def test_wl_2d_limits_by_leading_terms_equal_substitution_and_sympy_limit():
    from mesocorr.derivations.wl_2d import _limit_by_substitution, _limit_of_logarithms

    x, a = sp.Symbol("x", positive=True), sp.Symbol("a", positive=True)
    cases = _wl_2d_limits() + [(sp.log(3 * x**2 + a) - 2 * sp.log(x + 1) + W.s, x),
             (sp.log((a * x + 1) / (x + 2)) / 7 + sp.log(a), x), (sp.log(1 + 1 / x), x)]
    for expr, var in cases:
        fast = _limit_of_logarithms(expr, var)
        assert fast is not None
        assert sp.srepr(fast) == sp.srepr(_limit_by_substitution(expr, var))
        assert sp.cancel(fast - sp.limit(expr, var, sp.oo)) == 0
    for expr in (sp.log(x), (x + 1) / (2 * x + 3), sp.log(sp.sqrt(x) + 1), sp.log(1 - a * x) - sp.log(x)):
        assert _limit_of_logarithms(expr, x) is None  # divergent, not a logarithm, not rational, sign undecided


def test_infinite_end_substitution_equals_limit():
    x = sp.Symbol("x", positive=True)
    X = sp.Symbol("X", positive=True)
    zero_field = W.zero_field_correction(1)
    cases = [(zero_field.subs(W.tau, 1 / X), X, sp.oo), (sp.atan(3 * x) / (1 + 1 / x), x, sp.oo),
             (sp.atan(x) * x / (x + 1), x, -sp.oo), (x * sp.atan(x), x, sp.oo), (sp.exp(-x), x, sp.oo)]
    for expr, var, end in cases:
        assert W._at_infinite_end(expr, var, end) == sp.limit(expr, var, end)
    assert W.magnetoconductance_1d() == sp.simplify(
        sp.limit(zero_field, W.tau, 0, "+").subs(W.Gamma, W.Gamma + W.quasi1d_field_rate())
        - sp.limit(zero_field, W.tau, 0, "+"))


# ---- session 5 fast paths


def test_line_angular_average_3d_moments_equal_the_integral():
    """d = 3: a polynomial in u averaged with the exact moments is the expanded integral (1/2)∫_{-1}^{1} du
    (the same expression, ==), for the expanded rung of the catalogue and a random-coefficient polynomial."""
    from mesocorr.diagrams.lines import angular_average

    u = P._U
    rng = random.Random(5)
    q, w = sp.symbols("q omega", real=True)
    cases = [P.rung_kernel()[0],
             sp.Add(*(sp.Rational(rng.randint(-9, 9), rng.randint(1, 9)) * q ** rng.randint(0, 3)
                      * (sp.I * w) ** rng.randint(0, 2) * u**n for n in range(9)))]
    for expr in cases:
        assert angular_average(expr, u, 3) == sp.expand(sp.integrate(expr, (u, -1, 1)) / 2)
    rational = 1 / (2 - u)  # not a polynomial: the integral route is kept
    assert sp.simplify(angular_average(rational, u, 3) - sp.log(3) / 2) == 0


@pytest.mark.parametrize("kernel", [L.PI_KERNEL, sp.Symbol("x") ** 2 / 3 - sp.I * sp.Symbol("y")])
def test_ladder_doit_value_is_the_geometric_sum(kernel):
    """doit() no longer builds the convergence condition: its value is still geometric_sum()'s."""
    lad = L.Ladder("cooperon", rung=L.GAMMA, kernel=kernel)
    value, condition = lad.geometric_sum()
    assert lad.doit() == value
    assert condition == (sp.Abs(kernel) < 1)


def test_magnetoconductance_2d_log_combination_equals_simplify():
    """The 2D magnetoconductance's last step (factor_terms, logcombine, together of the digamma argument) gives
    the expression sympy.simplify gave (the former route), node for node, and so the same final closed form."""
    captured = []
    original = W._combine_logs

    def spy(expr):
        captured.append(expr)
        return original(expr)

    W.magnetoconductance_2d.cache_clear()
    W._combine_logs = spy
    try:
        fast = W.magnetoconductance_2d()
    finally:
        W._combine_logs = original
    (delta,) = captured
    slow = sp.simplify(delta)
    assert sp.srepr(original(delta)) == sp.srepr(slow)
    assert sp.srepr(fast) == sp.srepr(W.in_units_of_e2_h(slow, canonical=sp.together))


def test_digamma_asymptotic_series_agrees_with_limit():
    """psi(1/x) + ln x = O(x) at x -> 0+ (the series route) and SymPy's limit of psi(z) - ln z at infinity is 0."""
    W._check_digamma_asymptotic.cache_clear()
    W._check_digamma_asymptotic()  # raises if the series has a constant term
    z = sp.Symbol("z", positive=True)
    assert sp.limit(sp.polygamma(0, z) - sp.log(z), z, sp.oo) == 0
    x = sp.Symbol("x", positive=True)
    assert sp.series(sp.polygamma(0, 1 / x) + sp.log(x), x, 0, 1) == sp.O(x)
    assert sp.series(sp.polygamma(0, 1 / x), x, 0, 1) != sp.O(x)  # the route can fail: psi(1/x) alone has -ln x


def _catalogue_line_products():
    """The products of lines whose xi integrals the catalogue does (rung, Kubo bubble, shifted pair kernel, density
    response), built as their modules build them."""
    from mesocorr.diagrams.lines import HBAR, XI, GreenLine

    s = P.SYMBOLS
    q, w, e, v = s["q"], s["omega"], s["varepsilon"], s["v_F"]
    s_R, s_A = sp.symbols("s_R s_A", real=True)
    retarded, advanced = L.Ladder("diffuson").lines(q=q, energy=e, omega=w)
    GR0, GA0 = GreenLine("R", 0, e).doit(XI), GreenLine("A", 0, e).doit(XI)
    return [retarded.doit(dispersion=XI + HBAR * v * q * P._U) * advanced.doit(dispersion=XI),
            GR0 * GA0, GR0 * GR0,
            GreenLine("R", 0, e + HBAR * w).doit(dispersion=XI + s_R) * GreenLine("A", 0, e).doit(dispersion=XI + s_A)]


def test_linear_poles_expanded_are_simplify_form():
    """denominator_poles solves a linear factor and expands the root: for the catalogue's lines that is the
    expression sympy.simplify gave (the former route), node for node, so every residue downstream is unchanged."""
    from mesocorr.diagrams.lines import XI, denominator_poles

    roots = 0
    for product in _catalogue_line_products() + [H.green_retarded(sp.Symbol("x", real=True)) * H.green_advanced()]:
        xi = XI if product.has(XI) else H.xi
        den = sp.fraction(sp.together(product))[1]
        fast = denominator_poles(den, xi)
        slow = {}
        for factor in sp.Mul.make_args(den):
            base, exp = factor.as_base_exp()
            if base.has(xi):
                c1, c0 = sp.Poly(base, xi).all_coeffs()
                root = sp.simplify(-c0 / c1)
                slow[root] = slow.get(root, 0) + int(exp)
        assert sorted(map(sp.srepr, fast)) == sorted(map(sp.srepr, slow))
        assert {sp.srepr(k): m for k, m in fast.items()} == {sp.srepr(k): m for k, m in slow.items()}
        roots += len(fast)
    assert roots >= 9


def test_residue_integral_cancel_is_simplify_form():
    """residue_integral reduces 2πi ΣRes with cancel: the same expression as sympy.simplify (the former route) for
    the catalogue's integrands (Hikami boxes, ladder with a shift, UCF/interaction pairs) and powers up to 3+3."""
    x, w = sp.Symbol("x", real=True), sp.Symbol("w", real=True)
    R, A = H.green_retarded, H.green_advanced
    cases = [R() * A(shift=x), R(-w) * A(), (R() * A()) ** 2]
    cases += [R() ** n * A() ** m for n in range(1, 4) for m in range(1, 4)]
    for integrand in cases:
        raw = H._residue_sum(integrand)
        assert sp.srepr(H.residue_integral(integrand)) == sp.srepr(sp.simplify(raw))


@pytest.mark.parametrize("a", [sp.Symbol("a", real=True), sp.Integer(0), sp.Rational(1, 3)])
def test_ti_surface_rung_ratio_together_is_simplify_form(a):
    """The TI-surface rung ratio lambda_n (a rational function of the mass ratio): together = simplify."""
    from mesocorr.diagrams import dirac_models as DM
    from mesocorr.diagrams.band_projection import laurent_terms

    weights = DM.hikami_weights(a)
    c2, s2 = (1 + a) / 2, (1 - a) / 2

    def f(z, w):
        return c2 + s2 * w / z

    z, w = DM.Z, DM.W
    f2 = laurent_terms(sp.expand(f(z, w) * f(1 / z, 1 / w))).get((0, 0), sp.Integer(0))
    for n in DM.TI_SECTORS:
        slow = sp.simplify(laurent_terms(sp.expand(f(z, w) * f(-z, -w))).get((-n, n), 0) / f2)
        assert sp.srepr(weights[n]["lambda"]) == sp.srepr(slow)


def test_xi_integral_reduction_is_simplify_form():
    """xi_integral reduces 2πi ΣRes by cancel, signsimp and factor_terms: the same expression as sympy.simplify (the
    former route), node for node, for the catalogue's line products."""
    from mesocorr.diagrams import lines

    for product in _catalogue_line_products():
        raw = lines._residue_sum(product, lines.XI)
        assert sp.srepr(lines.xi_integral(product)) == sp.srepr(sp.simplify(raw))


@pytest.mark.parametrize("d", [1, 2, 3])
def test_hikami_angular_average_expanded_is_simplify_form(d):
    """The Hikami-box angular averages of polynomials in cos(theta), returned expanded: the same expression as the
    former route (sympy.simplify of the moment sum, or of (f(0) + f(pi))/2 in d = 1) for the catalogue's averages —
    the velocity vertices, the Drude bubble, the Cooperon ladder's Q expansion and the UCF vertex powers."""
    c = sp.cos(H.theta)
    x = sp.Symbol("x", real=True)
    ladder_series = 1 - sp.I * x / H.hbar * H.tau + (sp.I * x * H.tau / H.hbar) ** 2  # the shape of 1 - Pi's series
    cases = [c**2, (H.v * c) ** 2, H.v * c * (-H.v * c), H.v * c, sp.expand(ladder_series.subs(x, H.hbar * H.v * H.Q * c)),
             H.ladder_expansion(d)]
    cases += [sign * (H.v * c) ** n for n in range(1, 5) for sign in (1, -1)]
    for expr in cases:
        if d == 1:
            slow = sp.simplify((expr.subs(H.theta, 0) + expr.subs(H.theta, sp.pi)) / 2)
        else:
            u = sp.Dummy("u")
            poly = sp.Poly(sp.expand(expr).subs(c, u), u)
            slow = sp.simplify(sum(coeff * cos_moment(n, d) for (n,), coeff in poly.terms()))
        assert sp.srepr(H.angular_average(expr, d)) == sp.srepr(slow), expr


def test_gap_from_field_equals_sympy_solve():
    """B_c = hbar Gamma_c/(4 e D) solved for Gamma_c from its linear coefficients = sympy.solve's value (srepr)."""
    s = W.SYMBOLS
    (slow,) = sp.solve(sp.Eq(s["B_c"], s["hbar"] * s["Gamma_c"] / (4 * s["e"] * s["D"])), s["Gamma_c"])
    assert sp.srepr(W.gap_from_field()) == sp.srepr(slow)


def test_isotropic_channel_fields_expand_equals_the_simplify_route():
    """The channel fields B_c = hbar Gamma_c/(4 e D) in terms of B_phi, B_so: expanding the gap before the
    substitution gives the polynomials the former route (simplify, substitute, expand) gave, node for node,
    with the symbols of the hln and kawabata entries."""
    from mesocorr.derivations.core import isotropic_channel_fields

    s = W.SYMBOLS
    D, e, hbar = s["D"], s["e"], s["hbar"]
    (Bphi, Bso), chans, fields = isotropic_channel_fields(D, e, hbar)
    tphi, tso = sp.symbols("tau_phi tau_so", positive=True)
    field = {1 / tphi: 4 * e * D * Bphi / hbar, 1 / tso: 4 * e * D * Bso / hbar}
    slow = [sp.expand(sp.simplify(hbar * c.gap / (4 * e * D)).subs(field)) for c in chans]
    assert [sp.srepr(f) for f in fields] == [sp.srepr(f) for f in slow]
    assert all(not f.has(tphi, tso) for f in fields)
