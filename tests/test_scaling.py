"""Scaling theory: β functions, flows, localization lengths, fixed point (mesocorr.scaling, symbolic.beta).

Convention under test: g = G/(e^2/h) with both spins counted, β = d ln g / d ln L.
Every expected value comes from an independent route: a literature formula written out here in
its own convention and converted by hand, a second algorithm (quadrature, reversibility), or the
weak-localization / spin-channel modules.
"""

from __future__ import annotations

import io
import json
import math
from contextlib import redirect_stdout

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import mesocorr
from mesocorr import scaling as S
from mesocorr.cli import main
from mesocorr.plots import plot_beta
from mesocorr.symbolic import beta as B

ZETA3 = float(sp.zeta(3).evalf(30))
DIMS = (1, 2, 3, 2.5)
CLASSES = ("orthogonal", "unitary", "symplectic")


def ohmic(d):
    return -1.0 if d == 1 else d - 2.0


# ---------------------------------------------------------------- limits and sign structure

@pytest.mark.parametrize("d", DIMS)
@pytest.mark.parametrize("cls", CLASSES)
def test_large_g_limit_is_ohmic(cls, d):
    """AALR 1979: β → d − 2 as g → ∞ (Ohm's law G ∝ L^(d−2)); quasi-1D wire: −1."""
    for g in (1e8, 1e12):
        assert abs(S.beta_function(g, cls, d) - ohmic(d)) < 10 / g


@settings(deadline=None, max_examples=60, derandomize=True)
@given(g=st.floats(0.5, 1e6), d=st.sampled_from(DIMS))
def test_sign_structure(g, d):
    """Orthogonal: localizing (β < d−2); unitary: no 1/g term, β ≤ d−2; symplectic: antilocalizing."""
    o = S.beta_function(g, "orthogonal", d) - ohmic(d)
    u = S.beta_function(g, "unitary", d) - ohmic(d)
    s = S.beta_function(g, "symplectic", d) - ohmic(d)
    assert o < 0
    assert u <= 0
    assert s > 0
    # unitary has no 1/g (one-loop) term: g*(β−(d−2)) → 0 as g grows
    assert abs(S.beta_function(g, "unitary", d, loops=1) - ohmic(d)) == 0.0


@settings(deadline=None, max_examples=40, derandomize=True)
@given(g=st.floats(0.3, 1e5), d=st.sampled_from(DIMS), cls=st.sampled_from(CLASSES))
def test_float64_matches_mpmath(g, d, cls):
    ref = S.beta_function(g, cls, d, dps=40)
    got = S.beta_function(g, cls, d)
    assert abs(got - float(ref)) <= 4e-16 * max(1.0, abs(float(ref)))


def test_array_input_matches_scalar():
    gs = np.geomspace(0.5, 1e4, 17)
    arr = S.beta_function(gs, "symplectic", 3)
    assert np.array_equal(arr, np.array([S.beta_function(x, "symplectic", 3) for x in gs]))


# ---------------------------------------------------------------- one loop = weak localization

def test_one_loop_orthogonal_2d_from_glk():
    """Gor'kov, Larkin, Khmel'nitskii, JETP Lett. 30, 228 (1979): δσ = −(e²/(π²ħ)) ln(L/l)
    (spin-degenerate), converted here to e²/h by hand: (e²/π²ħ)/(e²/2πħ) = 2/π."""
    e, hbar = sp.symbols("e hbar", positive=True)
    glk = -(e**2 / (sp.pi**2 * hbar)) / (e**2 / (2 * sp.pi * hbar))
    assert sp.simplify(B.one_loop_rate("orthogonal", 2) - glk) == 0
    assert sp.simplify(B.beta_g("orthogonal", 2, loops=1) - glk / B.g) == 0


def test_one_loop_abrahams_convention():
    """AALR 1979 / Lee-Ramakrishnan RMP 57, 287 (1985): β = d−2 − a/g with a = 1/π² for g in e²/ħ."""
    gh = sp.Symbol("g_hbar", positive=True)
    assert sp.simplify(B.beta_expression("orthogonal", 2, loops=1, variable="g_hbar") + 1 / (sp.pi**2 * gh)) == 0


@pytest.mark.parametrize("cls,dyson", [("orthogonal", 1), ("unitary", 2), ("symplectic", 4)])
def test_one_loop_quasi1d_from_beenakker(cls, dyson):
    """Beenakker RMP 69, 731 (1997), Sec. IV (DMPK): ⟨G⟩/G0 = Nl/L + (1 − 2/β)/3, G0 = 2e²/h.

    Our Dirichlet-mode Cooperon sum must give δg = 2·(1 − 2/β)/3 in e²/h, hence β = −1 + δg/g.
    """
    expected = 2 * (1 - sp.Rational(2, dyson)) / 3
    assert B.one_loop_rate(cls, 1) == expected
    assert sp.simplify(B.beta_g(cls, 1) - (-1 + expected / B.g)) == 0


def test_symplectic_is_minus_half_orthogonal_at_one_loop():
    """Strong spin-orbit: only the singlet (weight −1/2) survives → antilocalization, −1/2 of WL."""
    for d in (1, 2):
        assert B.one_loop_rate("symplectic", d) == -B.one_loop_rate("orthogonal", d) / 2
        assert B.one_loop_rate("unitary", d) == 0


@pytest.mark.parametrize("so,mag,expected", [(0, 0, 1), (1, 0, sp.Rational(-1, 2)), (0, 1, 0), (1, 1, 0)])
def test_one_loop_weight_from_cooperon_channels(so, mag, expected):
    """Sum of wl_weight over the Cooperon channels that stay gapless (mesocorr.channels, derived by
    diagonalising the spin kernel) = the class weight W used for the one-loop β term."""
    chans = mesocorr.channels("cooperon", so=sp.Integer(so), mag=sp.Integer(mag), phi=0)
    W = sum((c.wl_weight for c in chans if sp.simplify(c.gap) == 0), sp.Integer(0))
    assert W == expected
    cls = {1: "orthogonal", sp.Rational(-1, 2): "symplectic", 0: "unitary"}[expected]
    assert B.gapless_weight(cls) == W
    # and the 2D one-loop rate is −(s/π) W with s = 2
    assert sp.simplify(B.one_loop_rate(cls, 2) + 2 * W / sp.pi) == 0


def test_one_loop_from_symbolic_wl_module():
    """mesocorr.symbolic.wl.zero_field_correction(2) = −(s w/2π) ln(1 + 1/(Γτ)); with Γ = D/L_φ²,
    d δσ/d ln L_φ → −(s w/π) for L_φ ≫ l, i.e. −2/π (w = 1) and +1/π (singlet, w = −1/2)."""
    from mesocorr.symbolic.wl import zero_field_correction

    expr = zero_field_correction(2)
    syms = {s.name: s for s in expr.free_symbols}
    L, D = sp.symbols("L_phi D_", positive=True)
    sub = expr.subs({syms["s"]: 2, syms["Gamma_c"]: D / L**2})
    for w, cls in ((1, "orthogonal"), (sp.Rational(-1, 2), "symplectic")):
        slope = sp.limit(sp.diff(sub.subs(syms["w_c"], w), L) * L, L, sp.oo)
        assert sp.simplify(slope - B.one_loop_rate(cls, 2)) == 0


@pytest.mark.parametrize("so_factor,expected", [(0.0, -2 / math.pi), (1e7, 1 / math.pi)])
def test_one_loop_matches_wl_correction(so_factor, expected):
    """d δσ/d ln L_φ from mesocorr.wl_correction (e²/h per square, spin-degenerate) equals the
    one-loop coefficient dg/d ln L of β: −2/π (no spin scattering), +1/π (strong spin-orbit)."""
    from mesocorr.wl import wl_correction

    D, tau = 0.01, 1e-13
    values = []
    for tau_phi in (1e-7, 1e-5):
        kwargs = {"dim": 2, "D": D, "phi": 1 / tau_phi, "elastic_time": tau}
        if so_factor:
            kwargs["so"] = so_factor / 1e-7
        values.append(float(wl_correction(**kwargs)))
    d_ln_Lphi = 0.5 * math.log(1e-5 / 1e-7)
    slope = (values[1] - values[0]) / d_ln_Lphi
    cls = "orthogonal" if not so_factor else "symplectic"
    assert slope == pytest.approx(expected, rel=1e-5)
    assert slope == pytest.approx(float(B.one_loop_rate(cls, 2)), rel=1e-5)


# ---------------------------------------------------------------- higher loops vs literature

def _em_series(cls):
    """Evers & Mirlin RMP 80, 1355 (2008), Sec. II: β(t) = −dt/d ln L, t = 1/(2π g'), g' per spin."""
    t, eps = sp.symbols("t epsilon")
    z = sp.zeta(3)
    return t, eps, {
        "orthogonal": eps * t - 2 * t**2 - 12 * z * t**5,   # Wegner 1989 four loops
        "unitary": eps * t - 2 * t**3 - 6 * t**5,           # Hikami 1981 (t^3), Wegner 1989 (t^5)
        "symplectic": eps * t + t**2 - sp.Rational(3, 4) * z * t**5,  # Hikami 1992 / EM08
    }[cls]


@pytest.mark.parametrize("cls", CLASSES)
def test_series_match_evers_mirlin(cls):
    t, eps, em = _em_series(cls)
    ours = B.sigma_model_series(cls).subs({B.t: t, B.epsilon: eps})
    assert sp.expand(ours - em) == 0


@pytest.mark.parametrize("cls", CLASSES)
def test_coefficients_converted_by_hand(cls):
    """Convert EM's β(t) to mesocorr's g by hand: g' = g/2 (per spin), t = 1/(2πg'),
    d ln g/d ln L = −d ln t/d ln L = β(t)/t. All four loops must match beta_coefficients."""
    t, eps, em = _em_series(cls)
    gg = sp.Symbol("gg", positive=True)
    by_hand = sp.expand((em / t).subs(t, 1 / (2 * sp.pi * (gg / 2))).subs(eps, 1))
    c0, cs = B.beta_coefficients(cls, 3)
    ours = c0 + sum(c / gg ** (k + 1) for k, c in enumerate(cs))
    assert sp.simplify(by_hand - ours) == 0
    # explicit numbers (2D): orthogonal −2/π, 0, 0, −12ζ(3)/π⁴ ...
    explicit = {"orthogonal": [-2 / sp.pi, 0, 0, -12 * sp.zeta(3) / sp.pi**4],
                "unitary": [0, -2 / sp.pi**2, 0, -6 / sp.pi**4],
                "symplectic": [1 / sp.pi, 0, 0, -sp.Rational(3, 4) * sp.zeta(3) / sp.pi**4]}[cls]
    assert [sp.simplify(a - b) for a, b in zip(B.beta_coefficients(cls, 2)[1], explicit)] == [0, 0, 0, 0]


def test_unitary_two_loop_spin_copies():
    """Spinless unitary (Hikami 1981; EM08): dg_s/d ln L = −1/(2π² g_s). Two independent spin copies,
    g = 2 g_s: dg/d ln L = 2·(−1/(2π² g/2)) = −2/(π² g), i.e. β = −2/(π² g²)."""
    g = B.g
    beta_two_copies = 2 * (-1 / (2 * sp.pi**2 * (g / 2))) / g
    assert sp.simplify(B.beta_g("unitary", 2, loops=2) - beta_two_copies) == 0


def test_orthogonal_symplectic_duality_in_g():
    """Hikami (1992): β_S(t) = −2 β_O(−t/2); in mesocorr's g this is β_S(g) = β_O(−2g) (d = 2)."""
    g = B.g
    bo = B.beta_g("orthogonal", 2)
    bs = B.beta_g("symplectic", 2)
    assert sp.simplify(bs - bo.subs(g, -2 * g)) == 0


def test_nu_epsilon_expansion_literature():
    """EM08 Sec. II: ν_O = 1/ε − (9/4)ζ(3)ε² + O(ε³) (Wegner 1989), ν_U = 1/(2ε) − 3/4 + O(ε)."""
    e = B.epsilon
    assert sp.simplify(B.nu_epsilon_expansion("orthogonal") - (1 / e - sp.Rational(9, 4) * sp.zeta(3) * e**2)) == 0
    assert sp.simplify(B.nu_epsilon_expansion("unitary") - (1 / (2 * e) - sp.Rational(3, 4))) == 0
    with pytest.raises(ValueError, match="symmetry_class"):
        B.nu_epsilon_expansion("symplectic")


def test_critical_point_one_loop_and_small_epsilon():
    cp = S.critical_point("orthogonal", 3, loops=1)
    assert cp.g_c == pytest.approx(2 / math.pi, rel=1e-14)  # g_c = 2/(π ε), ε = 1
    assert cp.nu == pytest.approx(1.0, rel=1e-14)
    eps = 0.01
    # root of the truncated series vs the ε-expansion: orthogonal differ at O(ε³), unitary at O(ε)
    cp = S.critical_point("orthogonal", 2 + eps)
    assert abs(cp.nu - cp.nu_series_value) < 10 * eps**3
    cp = S.critical_point("unitary", 2 + eps)
    assert abs(cp.nu - cp.nu_series_value) < 10 * eps


def test_epsilon_expansion_fails_at_three_dimensions():
    """The honest statement: at ε = 1 the orthogonal series gives ν = 1 − (9/4)ζ(3) < 0 and the
    four-loop root ν ≈ 0.56, far from numerics ν = 1.571(4) (Slevin-Ohtsuki, NJP 16, 015012, 2014)."""
    cp = S.critical_point("orthogonal", 3)
    assert cp.nu_series_value == pytest.approx(1 - 2.25 * ZETA3, rel=1e-14)
    assert cp.nu < 1.0 < 1.571
    with pytest.raises(ValueError, match="symmetry_class"):
        S.critical_point("symplectic", 3)


# ---------------------------------------------------------------- flows

@settings(deadline=None, max_examples=25, derandomize=True)
@given(g0=st.floats(3.0, 200.0), r=st.floats(0.2, 50.0), d=st.sampled_from(DIMS), cls=st.sampled_from(CLASSES))
def test_one_loop_closed_form_vs_ode(g0, r, d, cls):
    """flow(loops=1) is the closed form (issue 18); the second route is the DOP853 integration of dg/dx = g beta."""
    try:
        closed = S.one_loop_flow(g0, r, cls, d)
    except ValueError:
        return
    flowed = S.flow(g0, r, cls, d, loops=1)
    c0, cs = S._float_coefficients(cls, S._dim(d), 1)
    ode = float(S._integrate(g0, math.log(r), c0, cs, 1e-13).y[0][-1])
    assert flowed == pytest.approx(ode, rel=1e-10)
    assert flowed == pytest.approx(closed, rel=1e-13)


@pytest.mark.parametrize("d", (2, 3, 2.5))
def test_unitary_two_loop_closed_form_vs_ode(d):
    for g0, r in ((5.0, 1e3), (30.0, 0.1)):
        assert S.flow(g0, r, "unitary", d, loops=2) == pytest.approx(S.leading_flow(g0, r, "unitary", d), rel=1e-10)


def test_one_loop_2d_literal_formulas():
    r = 100.0
    assert S.one_loop_flow(20.0, r) == pytest.approx(20 - 2 / math.pi * math.log(r), rel=1e-15)
    assert S.one_loop_flow(20.0, r, "symplectic") == pytest.approx(20 + math.log(r) / math.pi, rel=1e-15)
    assert S.leading_flow(20.0, r, "unitary") == pytest.approx(math.sqrt(400 - 4 / math.pi**2 * math.log(r)), rel=1e-15)


@pytest.mark.parametrize("cls", CLASSES)
def test_four_loop_flow_vs_quadrature(cls):
    """Second algorithm: ln(L/L0) = ∫_{g0}^{g(L)} dg / (g β(g)) by adaptive quadrature."""
    from scipy.integrate import quad

    g0, r = 6.0, 300.0
    gL = S.flow(g0, r, cls, 2)
    val, err = quad(lambda x: 1.0 / (x * S.beta_function(x, cls, 2)), g0, gL, epsabs=0, epsrel=1e-13)
    assert val == pytest.approx(math.log(r), rel=1e-10)


@settings(deadline=None, max_examples=15, derandomize=True)
@given(g0=st.floats(4.0, 100.0), r1=st.floats(0.5, 20.0), r2=st.floats(0.5, 20.0), d=st.sampled_from((2, 3)))
def test_flow_group_property(g0, r1, r2, d):
    """Single-parameter scaling: g(r1 r2; g0) = g(r2; g(r1; g0)), and the flow is reversible."""
    g1 = S.flow(g0, r1, "orthogonal", d)
    assert S.flow(g1, r2, "orthogonal", d) == pytest.approx(S.flow(g0, r1 * r2, "orthogonal", d), rel=1e-10)
    assert S.flow(g1, 1 / r1, "orthogonal", d) == pytest.approx(g0, rel=1e-10)


def test_flow_reports_error_and_raises_at_zero():
    res = S.flow(20.0, 100.0, full_output=True)
    assert res.error_estimate < 1e-10 * res.g
    with pytest.raises(ValueError, match="L_over_L0"):
        S.flow(1.0, 1e6)
    with pytest.raises(ValueError, match="L_over_L0"):
        S.flow(1.0, 1e6, loops=1)


def test_ohmic_crossover_beyond_L_phi():
    """2D: g(L ≫ L_φ) = g0 − (2/π) ln(L_φ/L0), the WL result with the L_φ cutoff; 3D: × L/L_φ."""
    g = S.flow(20.0, 1e6, loops=1, L_phi_over_L0=50.0)
    assert g == pytest.approx(20 - 2 / math.pi * math.log(50.0), rel=1e-12)
    g3 = S.flow(20.0, 1e3, "orthogonal", 3, L_phi_over_L0=10.0)
    assert g3 == pytest.approx(S.flow(20.0, 10.0, "orthogonal", 3) * 100.0, rel=1e-12)
    g1 = S.flow(20.0, 40.0, "orthogonal", 1, L_phi_over_L0=4.0)
    assert g1 == pytest.approx(S.flow(20.0, 4.0, "orthogonal", 1) / 10.0, rel=1e-12)


# ---------------------------------------------------------------- localization lengths

def test_localization_length_2d():
    """One loop, g(l) = k_F l: ξ = l exp(π k_F l/2) (Lee-Ramakrishnan RMP 57, 287 (1985));
    unitary (two loops): ξ = l exp(π² g²/4) in mesocorr's g (= exp(π² g_s²) per spin)."""
    assert S.localization_length(8.0, mean_free_path=2.0) == pytest.approx(2.0 * math.exp(4 * math.pi), rel=1e-14)
    assert S.localization_length(3.0, "unitary") == pytest.approx(math.exp(math.pi**2 * 9 / 4), rel=1e-14)
    with pytest.raises(ValueError, match="symmetry_class"):
        S.localization_length(3.0, "symplectic")


def test_localization_length_3d_exponent():
    """d = 3, one loop: ξ ∝ (g_c − g0)^(−ν) with ν = 1/ε = 1 (log-log slope)."""
    gc = 2 / math.pi
    x1, x2 = S.localization_length(gc - 1e-3, dim=3), S.localization_length(gc - 1e-5, dim=3)
    assert math.log(x2 / x1) / math.log(1e-3 / 1e-5) == pytest.approx(1.0, rel=1e-3)
    with pytest.raises(ValueError, match="g0"):
        S.localization_length(1.0, dim=3)


@pytest.mark.parametrize("cls,expected", [("orthogonal", 11), ("unitary", 20), ("symplectic", 38)])
def test_localization_length_quasi1d_beenakker(cls, expected):
    """Beenakker RMP 69, 731 (1997), Sec. IV: ξ = (βN + 2 − β) l; N = 10."""
    assert S.localization_length(5.0, cls, 1, channels=10) == expected


# ---------------------------------------------------------------- conventions and errors

def test_convention_conversions():
    assert B.convert(10, "g", "t") == 1 / (10 * sp.pi)
    assert B.convert(7, "g", "g_per_spin") == sp.Rational(7, 2)
    assert B.convert(B.convert(3, "g", "g_hbar"), "g_hbar", "g") == 3
    # t = (e²/(2π²ħ))/σ: sigma_wl = π g, t = 1/(π g)
    assert sp.simplify(B.convert(5, "g", "sigma_wl") * B.convert(5, "g", "t")) == 1


@pytest.mark.parametrize("kwargs,name", [
    ({"symmetry_class": "foo"}, "symmetry_class"), ({"g": 0.0}, "g"), ({"g": -1.0}, "g"),
    ({"loops": 5}, "loops"), ({"dim": 1.5}, "dim"), ({"dim": 1, "loops": 2}, "loops"),
])
def test_bad_input_names_argument(kwargs, name):
    args = {"g": 10.0, **kwargs}
    with pytest.raises((ValueError, TypeError), match=f"^{name}"):
        S.beta_function(**args)


def _cli(argv):
    buf = io.StringIO()
    with redirect_stdout(buf):
        rc = main(argv)
    return rc, buf.getvalue()


def test_cli_beta_and_flow_json():
    rc, out = _cli(["beta", "--class", "orthogonal", "--dim", "2", "--g", "10", "--json"])
    assert rc == 0 and json.loads(out)["beta"] == S.beta_function(10.0)
    rc, out = _cli(["flow", "--class", "orthogonal", "--dim", "2", "--g0", "20", "--L-over-L0", "100",
                    "--loops", "1", "--json"])
    assert rc == 0 and json.loads(out)["g"] == pytest.approx(20 - 2 / math.pi * math.log(100), rel=1e-10)


@pytest.mark.parametrize("argv", [
    ["beta", "--class", "foo", "--g", "1"], ["beta", "--g", "0"], ["beta", "--g", "-2"],
    ["beta", "--g", "1", "--loops", "5"], ["flow", "--g0", "20", "--L-over-L0", "0"],
    ["flow", "--g0", "20", "--L-over-L0", "-3"], ["flow", "--g0", "-1", "--L-over-L0", "3"],
    ["flow", "--class", "bar", "--g0", "2", "--L-over-L0", "3"], ["flow", "--g0", "1", "--L-over-L0", "1e6"],
])
def test_cli_errors_exit_2(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "\n" == err[-1] and err.count("\n") == 1


def test_mpmath_precision_path():
    with mpmath.workdps(50):
        ref = -2 / mpmath.pi / 10 - 12 * mpmath.zeta(3) / mpmath.pi**4 / 10**4
        got = S.beta_function(10, dps=40)
        assert abs(got - ref) < mpmath.mpf(10) ** -39 * abs(ref)


def test_localization_length_is_where_the_ode_flow_ends():
    """The 2D orthogonal ξ = l e^{πg0/2} is where the (independently integrated) one-loop ODE flow hits 0."""
    g0 = 3.0
    xi = S.localization_length(g0)
    assert S.flow(g0, xi * 0.99, loops=1) == pytest.approx(-2 / math.pi * math.log(0.99), rel=1e-8)
    with pytest.raises(ValueError, match="L_over_L0"):
        S.flow(g0, xi * 1.01, loops=1)


def test_plot_without_matplotlib_is_a_clear_error(monkeypatch, tmp_path, capsys):
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match="matplotlib is required"):
        plot_beta(str(tmp_path / "b.png"))
    assert main(["beta", "--plot", str(tmp_path / "b.png")]) == 2
    assert "matplotlib is required" in capsys.readouterr().err


@pytest.mark.parametrize("symmetry_class", ["orthogonal", "unitary", "symplectic"])
@pytest.mark.parametrize("dim", [1, 2, 3, 4, 2.5, 2.1, 7])
def test_series_text_is_sympys_string(symmetry_class, dim):
    """``beta_series_text`` (stored monomials, no SymPy) prints exactly ``str(beta_series(...))`` (the SymPy route)
    for every loop order."""
    from mesocorr.scaling import beta_series, beta_series_text

    for loops in ([None, 1] if dim == 1 else [None, 1, 2, 3, 4]):
        assert beta_series_text(symmetry_class, dim, loops) == str(beta_series(symmetry_class, dim, loops))
