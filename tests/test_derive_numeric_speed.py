"""The faster numeric checks of ``mesocorr derive`` (issue 18, session 5) agree with the routes they replace.

Each replaced algorithm is compared with the former one (kept here, in the test) and with a closed form
at higher precision: the new route must be at least as accurate as the old one.
"""

from __future__ import annotations

import mpmath
import pytest
import sympy as sp

from mesocorr.derivations import hln, kawabata, scaling_one_loop, wire_mc
from mesocorr.symbolic import beta as B
from mesocorr.symbolic import wl as WL


def _f3_zeta(delta: str, dps: int = 60) -> mpmath.mpf:
    """Kawabata's f3 from the Hurwitz zeta function (DLMF 25.11), at ``dps`` digits."""
    with mpmath.workdps(dps):
        d = mpmath.mpf(delta)
        return -2 * mpmath.sqrt(d) - mpmath.zeta(mpmath.mpf(1) / 2, mpmath.mpf(1) / 2 + d)


def _f3_nsum_former(delta: str) -> mpmath.mpf:
    """The former route of the derivation: the same terms through mpmath.nsum(method="levin") at 40 digits."""
    with mpmath.workdps(40):
        dm = mpmath.mpf(delta)

        def term(n):
            u = n + dm
            p, q, r = mpmath.sqrt(u + 1), mpmath.sqrt(u), mpmath.sqrt(u + mpmath.mpf(1) / 2)
            return 1 / (2 * (p + q) ** 2 * (r + p) * (r + q) * r)

        return mpmath.nsum(term, [0, mpmath.inf], method="levin")


@pytest.mark.parametrize("delta", ["0", "0.25", "3", "40", "1000", "1e-6"])
def test_kawabata_f3_levin_sum_against_zeta(delta):
    """Levin u with shift 1 + delta: the defining series to 40 digits (rounding only) at every delta used and beyond."""
    got = kawabata._f3_sum(delta)
    ref = _f3_zeta(delta)
    with mpmath.workdps(60):
        assert abs(got - ref) <= mpmath.mpf(10) ** -39 * abs(ref)


@pytest.mark.parametrize("delta", ["0.25", "3"])
def test_kawabata_f3_levin_sum_at_least_as_accurate_as_nsum(delta):
    """The new route is no less accurate than mpmath.nsum's adaptive Levin, the route it replaces."""
    ref = _f3_zeta(delta)
    new, old = kawabata._f3_sum(delta), _f3_nsum_former(delta)
    with mpmath.workdps(60):
        assert abs(new - ref) <= 2 * abs(old - ref) + mpmath.mpf(10) ** -41 * abs(ref)


def test_kawabata_f3_sum_raises_when_not_converged(monkeypatch):
    """An unconverged Levin estimate is refused (here: a transform that never settles)."""
    class Wobbly:
        theta = 1

        def __init__(self, **kwargs):
            self.calls = 0

        def update_psum(self, partial):
            self.calls += 1
            return mpmath.mpf(self.calls), 1

    monkeypatch.setattr(kawabata.mpmath, "levin", Wobbly)
    with pytest.raises(ValueError, match="delta"):
        kawabata._f3_sum("0.25")


def test_kawabata_f3_sum_raises_beyond_its_range():
    """At delta = 1e6 the Levin transform's rounding errors win before it converges: a clean refusal."""
    with pytest.raises(ValueError, match="did not converge"):
        kawabata._f3_sum("1e6")


def test_kawabata_line_integral_without_meijer_g_equals_the_general_route():
    """The q_z integral via the antiderivative (meijerg=False; manual=True) = SymPy's default route (Meijer G) +
    simplify."""
    qz, E, D = sp.symbols("q_z E D", positive=True)
    line = sp.Integral(1 / (D * qz**2 + E), (qz, -sp.oo, sp.oo)) / (2 * sp.pi)
    assert line.doit(meijerg=False) == sp.simplify(line.doit()) == 1 / (2 * sp.sqrt(D) * sp.sqrt(E))
    # the derivation prints the manual (rule-based) route: the same expression as the two others
    assert sp.srepr(line.doit(manual=True)) == sp.srepr(line.doit(meijerg=False))
    assert sp.srepr(line.doit(manual=True)) == sp.srepr(sp.simplify(line.doit()))


@pytest.mark.parametrize("a", ["0.3", "2", "15", "1e-4", "200"])
def test_wire_mode_sum_richardson_against_coth_and_default_nsum(a):
    """Richardson only = nsum's default (Richardson + Shanks, the former route) = (a coth a - 1)/(2a^2) at 60 digits."""
    got = wire_mc._mode_sum_nsum(a)
    with mpmath.workdps(40):
        am = mpmath.mpf(a)
        former = mpmath.nsum(lambda k: 1 / (k**2 * mpmath.pi**2 + am**2), [1, mpmath.inf])
    with mpmath.workdps(60):
        am = mpmath.mpf(a)
        exact = (am * mpmath.coth(am) - 1) / (2 * am**2)
        assert abs(got - exact) <= mpmath.mpf(10) ** -39 * exact
        assert abs(got - exact) <= 2 * abs(former - exact) + mpmath.mpf(10) ** -41 * exact


def test_wire_mean_square_phase_gradient_needs_no_simplify():
    e, hbar, B, W = (WL.SYMBOLS[k] for k in ("e", "hbar", "B", "W"))  # the derivation's symbols
    y = sp.Symbol("y", real=True)
    avg_sq = sp.Integral((2 * e * B * y / hbar) ** 2, (y, -W / 2, W / 2)) / W
    assert avg_sq.doit() == sp.simplify(avg_sq.doit()) == B**2 * W**2 * e**2 / (3 * hbar**2)


@pytest.mark.parametrize("cls, g0, ratio", [("orthogonal", 6.0, 300.0), ("symplectic", 3.0, 1e3),
                                            ("unitary", 4.0, 50.0), ("orthogonal", 40.0, 1e6)])
def test_flow_endpoint_matches_the_public_flow(cls, g0, ratio):
    """The derivation's Bulirsch-Stoer endpoint (mpmath, no SciPy) = flow() (SciPy DOP853, the former route)
    to flow's own accuracy (rtol 1e-12, measured ~1e-14)."""
    from mesocorr.scaling import flow

    got = scaling_one_loop._flow_endpoint(g0, ratio, cls)
    assert float(got) == pytest.approx(flow(g0, ratio, cls, 2), rel=5e-13)


def test_flow_endpoint_against_mpmath_taylor_integrator():
    """A third algorithm, mpmath.odefun (Taylor series), at 30 digits: agreement to 1e-24."""
    cls, g0, ratio = "orthogonal", 6.0, 300.0
    f = sp.lambdify(B.g, sp.expand(B.g * B.beta_g(cls, 2)), "mpmath")
    got = scaling_one_loop._flow_endpoint(g0, ratio, cls)
    with mpmath.workdps(30):
        taylor = mpmath.odefun(lambda x, y: f(y), 0, mpmath.mpf(g0))(mpmath.log(ratio))
        assert abs(got - taylor) <= mpmath.mpf(10) ** -24 * abs(taylor)
        # and the check of the derivation: the quadrature of dg/(g beta) gives back ln(L/L0) to 1e-24
        back = scaling_one_loop._quadrature_flow_log(g0, got, cls)
        assert abs(back - mpmath.log(ratio)) <= mpmath.mpf(10) ** -24 * mpmath.log(ratio)


def test_flow_endpoint_raises_when_not_converged():
    with pytest.raises(ValueError, match="g0"):
        scaling_one_loop._flow_endpoint(1.0, 1e6, "orthogonal")   # runs into g -> 0 (localized)


@pytest.mark.parametrize("cls", B.CLASSES)
def test_gapless_weight_cancel_equals_simplify(cls):
    """The zero test by cancel (rational gaps) selects the same channels as sympy.simplify (the former route)."""
    from mesocorr.symbolic.channels import channels

    rate = sp.Symbol("Gamma", positive=True)
    so = rate if cls == "symplectic" else 0
    mag = rate if cls == "unitary" else 0
    chans = channels("cooperon", so=so, mag=mag)
    assert [B._vanishes(c.gap) for c in chans] == [sp.simplify(c.gap) == 0 for c in chans]
    assert B.gapless_weight(cls) == sum((c.wl_weight for c in chans if sp.simplify(c.gap) == 0), sp.Integer(0))
    x = sp.Symbol("x", positive=True)
    assert B._vanishes(sp.sin(x) ** 2 + sp.cos(x) ** 2 - 1) and not B._vanishes(sp.sqrt(x) - x)  # simplify route


@pytest.mark.parametrize("d", [1, 2, 3])
def test_ucf_ladder_denominator_equals_the_series_and_simplify_route(d):
    """Taylor polynomial by diff/subs + cancel/expand = sympy.series + sympy.simplify (the former route)."""
    from mesocorr.diagrams import hikami as H
    from mesocorr.diagrams import ucf as U

    w = sp.Symbol("w", real=True)
    pi_w = U.hbar_sym / (2 * sp.pi * U.tau_sym) * H.residue_integral(H.green_retarded(-w) * H.green_advanced())
    linear = sp.series(pi_w, w, 0, 2).removeO()
    assert sp.expand(U._bubble_linear_in_energy(w) - linear) == 0
    former = sp.expand(sp.simplify((H.ladder_expansion(d) + 1 - linear) / U.tau_sym).subs(w, U.hbar_sym * U.omega))
    assert U._ladder_denominator(d) == former


def test_ucf_weights_in_every_dimension_and_kind():
    """The weights (cancel route) are the literature ones, 2/pi^4 and 4/pi^4 (Lee-Stone-Fukuyama 1987; the ring
    weight also by the density-of-states route), in d = 1, 2, 3 for both kinds."""
    from mesocorr.diagrams import ucf as U

    for kind in ("diffuson", "cooperon"):
        for d in (1, 2, 3):
            w = U.derive_weights(kind, d)
            assert (w["ring"], w["two_box"]) == (U.derive_ring_weight(), 4 / sp.pi**4)


def test_ring_prefactor_and_wall_rate_cancel_equal_simplify():
    """The two monomial ratios of mesocorr.symbolic.rings: cancel (new) = simplify (former route)."""
    from mesocorr.diagrams.hikami import SYMBOLS as HS
    from mesocorr.diagrams.hikami import wl_prefactor
    from mesocorr.symbolic import rings as SR
    from mesocorr.symbolic.wl import SYMBOLS as WS
    from mesocorr.symbolic.wl import quasi1d_field_rate

    D, e, hbar, s = (SR.SYMBOLS[k] for k in ("D", "e", "hbar", "s"))
    P = wl_prefactor(2).subs({HS["D"]: D, HS["e"]: e, HS["hbar"]: hbar, HS["s"]: s})
    assert SR._prefactor_over_D_in_e2_h() == sp.simplify(P / D / (e**2 / (2 * sp.pi * hbar))) == 2 * s
    t, L, Phi, Phi0 = (SR.SYMBOLS[k] for k in ("t", "L", "Phi", "Phi_0"))
    rate = quasi1d_field_rate().subs({WS["W"]: t, WS["D"]: D, WS["e"]: e, WS["hbar"]: hbar})
    rate = rate.subs(WS["B"], 4 * sp.pi * Phi / L**2).subs(hbar, e * Phi0 / (2 * sp.pi))
    assert SR.wall_field_rate() == sp.simplify(rate / (D / L**2))


def test_exp_rational_zero_numerator_route_equals_cancel_route():
    """Expanding the numerator (new) decides as cancel(together(.)) (former) on identities and non-identities."""
    from mesocorr.symbolic import rings as SR

    x, y = sp.symbols("x y", positive=True)
    cases = [sp.sinh(2 * x) - 2 * sp.sinh(x) * sp.cosh(x), sp.cosh(x) ** 2 - sp.sinh(x) ** 2 - 1,
             sp.tanh(x / 3) - sp.sinh(x / 3) / sp.cosh(x / 3), sp.cot(x + sp.I * y) - sp.cos(x + sp.I * y) / sp.sin(x + sp.I * y),
             sp.sinh(x) - x, sp.cosh(x) - sp.sinh(x), sp.tanh(x) - 1, sp.sinh(x + y) - sp.sinh(x) * sp.cosh(y)]
    expected = [True, True, True, True, False, False, False, False]
    assert [SR.exp_rational_zero(c) for c in cases] == expected
    assert SR.exp_rational_zero(SR.periodic_mode_sum() - SR.periodic_mode_sum().rewrite(sp.exp))


def test_wire_limits_by_substitution_equal_sympy_limit():
    """The two limits of the wire-mc derivation by substitution (new) = sympy.limit (former route), and the
    helpers fall back to sympy.limit outside their class."""
    tau = WL.SYMBOLS["tau"]
    z = WL.zero_field_correction(1)
    assert wire_mc._limit_tau_to_zero(z, tau) == sp.limit(z, tau, 0, "+")
    a = sp.Symbol("a", positive=True)
    long = a * WL.finite_wire_conductance()
    assert wire_mc._limit_a_to_infinity(long, a) == sp.limit(long, a, sp.oo)
    c = sp.Symbol("c", positive=True)
    for expr in (sp.atan(c / sp.sqrt(tau)) * (1 + tau), sp.atan(-c / sp.sqrt(tau)), sp.log(tau) * tau,
                 sp.atan(sp.sqrt(tau)) / sp.sqrt(tau), 1 / (1 + tau) + sp.sqrt(tau)):
        assert wire_mc._limit_tau_to_zero(expr, tau) == sp.limit(expr, tau, 0, "+"), expr
    for expr in (a**2 * (sp.coth(a) - 1), (a * sp.coth(a) - 1) / a, sp.coth(2 * a) * (1 + 1 / a),
                 (a + 1) / (2 * a + sp.coth(a)), sp.exp(-a) * a):
        assert wire_mc._limit_a_to_infinity(expr, a) == sp.limit(expr, a, sp.oo), expr


@pytest.mark.parametrize("dim", [1, 2, 3])
@pytest.mark.parametrize("cls", B.CLASSES)
def test_beta_limit_at_large_g_by_substitution_equals_sympy_limit(cls, dim):
    expr = B.beta_g(cls, dim)
    assert scaling_one_loop._limit_g_to_infinity(expr, B.g) == sp.limit(expr, B.g, sp.oo)


def test_limit_g_to_infinity_falls_back_outside_polynomials():
    g = B.g
    for expr in (sp.log(g) / g, g / (g + 1), sp.exp(-g) + 2):
        assert scaling_one_loop._limit_g_to_infinity(expr, g) == sp.limit(expr, g, sp.oo)


def test_hln_memoised_lambdify_equals_a_fresh_lambdify():
    """hln._mp_eval reuses one lambdification per expression: the same numbers as lambdifying at every call."""
    x, y = sp.symbols("x y", positive=True)
    expr = sp.log(x) + sp.polygamma(0, sp.Rational(1, 2) + y / x)
    for xv, yv in (("0.5", "1"), ("4", "3"), ("1e-3", "7")):
        values = {x: mpmath.mpf(xv), y: mpmath.mpf(yv)}
        fresh = sp.lambdify([x, y], expr, "mpmath")
        with mpmath.workdps(60):
            expected = fresh(values[x], values[y])
        assert hln._mp_eval(expr, values) == expected
    assert hln._mp_function(expr) is hln._mp_function(expr)
