"""Altshuler-Aronov interaction corrections, Zeeman functions, Hall relations, dephasing laws, AAK wire.

Independent routes: literature closed forms written out here (Zala-Narozhny-Aleiner 2001 diffusive limit;
Lee-Ramakrishnan 1985 F_tilde and g_2 integral), brute-force q- and omega-quadrature of the starting formula
(scipy, nested), mpmath quadrature of the defining integrals at 30 digits, a finite-difference solution of the AAK
resolvent equation, a numerical inversion of the Drude tensor.
"""

from __future__ import annotations

import json
import math
import warnings

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import mesocorr
from mesocorr.cli import main
from mesocorr.integrals import interaction as num
from mesocorr.physics_warnings import PhysicsWarning
from mesocorr.symbolic import interaction as I
from mesocorr.units import HBAR, K_B, MU_B

F0 = I.SYMBOLS["F0_sigma"]
F = I.SYMBOLS["F"]


# ----------------------------------------------------------------------------------------------- derivation
def test_density_response_is_the_diffusion_form():
    """chi = nu_t D q^2/(D q^2 - i omega) (Akkermans-Montambaux ch. 13; Aleiner-Altshuler-Gershenson 1999)."""
    chi, _ = I.density_response(2)
    q, w, D, nu, s = (I.SYMBOLS[k] for k in ("q", "omega", "D", "nu", "s"))
    assert sp.simplify(chi - s * nu * D * q**2 / (D * q**2 - sp.I * w)) == 0


def test_channels_singlet_is_the_unitary_limit_of_the_triplet_form():
    q, w, D, nu, s = (I.SYMBOLS[k] for k in ("q", "omega", "D", "nu", "s"))
    Us = I.screened_interaction("singlet")
    assert sp.simplify(Us - (D * q**2 - sp.I * w) / (s * nu * D * q**2)) == 0
    Ut = I.screened_interaction("triplet")
    assert sp.simplify(sp.limit(Ut, F0, sp.oo) - Us) == 0
    for d in (1, 2, 3):
        assert sp.limit(I.channel_factor(d), F0, sp.oo) == 1


def test_2d_channel_factor_is_zala_narozhny_aleiner():
    """ZNA 2001, diffusive limit: delta sigma ~ [1 + 3(1 - ln(1 + F0)/F0)] ln(T tau)."""
    assert sp.simplify(1 + 3 * I.channel_factor(2) - (1 + 3 * (1 - sp.log(1 + F0) / F0))) == 0


def test_aa_relation_and_lee_ramakrishnan_f_tilde():
    """Lee & Ramakrishnan RMP 57, 287 (1985), Sec. III: 2D and 3D F_tilde in terms of AA's F."""
    rel, _ = I.aa_relation()
    assert sp.simplify(rel.rhs + F / (2 + F)) == 0
    lr2 = 8 * (1 + F / 2) * sp.log(1 + F / 2) / F - 4
    lr3 = sp.Rational(32, 3) / F * ((1 + F / 2) ** sp.Rational(3, 2) - 1 - 3 * F / 4)
    for Fv in (sp.Rational(1, 7), sp.Rational(1, 2), sp.Integer(1), sp.Rational(13, 5)):  # exact inputs, 50 digits
        assert abs(sp.N((I.f_tilde_aa(2) - lr2).subs(F, Fv), 50)) < 1e-45
        assert abs(sp.N((I.f_tilde_aa(3) - lr3).subs(F, Fv), 50)) < 1e-45
    for d in (1, 2, 3):  # F_tilde = F + O(F^2): the lowest-order Hartree term
        assert sp.simplify(sp.series(I.f_tilde_aa(d), F, 0, 2).removeO() - F) == 0


_U = sp.Symbol("u")


def _series_function(expr):
    """Taylor polynomial (SymPy, to u^11) evaluated with exact rational coefficients at the working precision."""
    poly = sp.Poly(sp.series(expr, _U, 0, 12).removeO(), _U)
    coeffs = [(int(c.p), int(c.q), int(m[0])) for m, c in zip(poly.monoms(), poly.coeffs())]
    return lambda u: sum(mpmath.mpf(p) / q * u**k for p, q, k in coeffs)


#: used below |u| = 1e-3, where the closed forms cancel catastrophically
_KERNEL_SERIES = _series_function(sp.coth(_U) - _U / sp.sinh(_U) ** 2)
_FPP_SERIES = _series_function((_U * sp.coth(_U) - 1) / sp.sinh(_U) ** 2)


def _kernel_mp(u):
    """coth u - u/sinh^2 u = d/dw [w coth(w/2)] at w = 2u."""
    return _KERNEL_SERIES(u) if abs(u) < 1e-3 else mpmath.coth(u) - u / mpmath.sinh(u) ** 2


def test_thermal_mellin_against_quadrature():
    """J(s) = int u^(s-1) [coth u - u/sinh^2 u - 1] du at s = 1/2; at s = -1/2 without the "-1" (continuation)."""
    J = I.thermal_mellin()
    s = sp.Symbol("s", positive=True)
    with mpmath.workdps(30):
        for sv, sub in ((sp.Rational(1, 2), 1), (-sp.Rational(1, 2), 0)):
            x = mpmath.mpf(sp.N(sv, 30))

            def f(t, sub=sub, x=x):  # u = t^2 removes the power singularity at 0
                return 2 * t * (_kernel_mp(t * t) - sub) * (t * t) ** (x - 1)

            # the kernel -> 1 exponentially: beyond u = 40 integrate u^(s-1) (1 - sub) in closed form
            quad = mpmath.quad(f, [0, 0.1, 1, 3, mpmath.sqrt(40)]) + (1 - sub) * 40**x / -x
            closed = mpmath.mpf(sp.N(J.subs(s, sv), 30))
            assert abs(quad / closed - 1) < 1e-25


def test_temperature_constants_exact_forms():
    assert I.temperature_constant(2) == 1 / sp.pi
    assert sp.simplify(I.temperature_constant(3) + sp.zeta(sp.Rational(1, 2)) / (3 * sp.sqrt(2 * sp.pi))) == 0
    assert sp.simplify(I.temperature_constant(1) + 3 * sp.zeta(sp.Rational(3, 2)) / sp.sqrt(2 * sp.pi)) == 0
    for d in (1, 2, 3):  # the stored float constants are these closed forms
        assert num.temperature_constant(d) == pytest.approx(float(I.temperature_constant(d)), rel=1e-15)


def test_lee_ramakrishnan_rounded_constants():
    """LR85's 3D '1.3' (in (e^2/4 pi^2 hbar)(1.3/sqrt 2)(4/3 - 3F/2) sqrt(T/D)) is (sqrt(pi)/2)|zeta(1/2)| = 1.29420."""
    exact = math.sqrt(math.pi) / 2 * abs(float(mpmath.zeta(0.5)))
    assert round(exact, 1) == 1.3 and abs(exact - 1.2942) < 1e-4
    # the same number from the package: K_3 = (2 pi/(4 pi^2)) (4/3) c / sqrt(2) in e^2/h
    assert num.temperature_constant(3) == pytest.approx(exact / math.sqrt(2) * (4 / 3) / (2 * math.pi), rel=1e-14)


def test_brute_force_integrand_is_the_diffuson_ladder_kernel():
    """The integrand of the brute-force route (integrals.interaction.channel_amplitudes) is the SymPy kernel of the
    Diffuson-ladder channels (singlet + 3 triplets), with the m = +-1 triplets at the Zeeman-shifted poles of
    zeeman_diffuson_gaps: so the quadrature tests check the closed forms against the ladder, not a retyped formula."""
    q, w, D, nu, s = (I.SYMBOLS[k] for k in ("q", "omega", "D", "nu", "s"))
    EZ, hbar, hh = I.SYMBOLS["E_Z"], I.SYMBOLS["hbar"], sp.Symbol("hh", real=True)
    kern = {c: sp.lambdify((q, w, F0), sp.cancel(I.exchange_kernel(c) * s * nu).subs(D, 1), "numpy")
            for c in ("singlet", "triplet")}
    gaps = I.zeeman_diffuson_gaps()
    shifts = [sp.lambdify(hh, sp.I * gaps[f"triplet_{m}"].subs(EZ, hh * hbar), "numpy") for m in ("0", "+1", "-1")]
    rng = np.random.default_rng(5)
    for qq, ww, f0, h in zip(rng.uniform(0.1, 3, 20), rng.uniform(-5, 5, 20), rng.uniform(-0.6, 2, 20),
                             rng.uniform(0, 4, 20)):
        ref = kern["singlet"](qq, ww, f0) + sum(kern["triplet"](qq, ww + complex(sh(h)), f0) for sh in shifts)
        assert num.channel_amplitudes(qq, ww, f0, h) == pytest.approx(ref, rel=1e-13)
        zref = sum(kern["triplet"](qq, ww + complex(sh(h)), f0) - kern["triplet"](qq, ww, f0) for sh in shifts)
        assert num.channel_amplitudes(qq, ww, f0, h, zeeman_only=True) == pytest.approx(zref, rel=1e-11, abs=1e-13)


@pytest.mark.parametrize("d", [1, 2, 3])
def test_no_field_integrand_is_channel_amplitudes_bit_for_bit(d):
    """The h = 0 closure of the brute-force route (integrals.interaction.no_field_integrand) returns exactly the
    float of the generic integrand it replaced, q^(d-1) * channel_amplitudes(q, w, F0, 0), over the q, omega range
    the quadrature samples (including q far below and above sqrt|omega|)."""
    rng = np.random.default_rng(18)
    for ww, f0 in zip(rng.uniform(-40, 40, 25), rng.uniform(-0.9, 5, 25)):
        f = num.no_field_integrand(d, float(ww), float(f0))
        for qq in np.concatenate([10.0 ** rng.uniform(-6, 4, 40), [1e-300, 1e30]]):
            qq = float(qq)
            assert f(qq) == (qq ** (d - 1) * num.channel_amplitudes(qq, float(ww), float(f0), 0.0)).imag


@pytest.mark.parametrize("d,F0v", [(3, 0.0), (3, -0.3), (1, 0.0), (1, -0.3)])
def test_3d_1d_constants_against_brute_force_integration(d, F0v):
    brute = num.exchange_double_integral(d, F0v)
    closed = num.temperature_constant(d) * (1 + 3 * num.channel_factor(d, F0v))
    assert brute == pytest.approx(closed, rel=1e-10)


@pytest.mark.slow
def test_2d_log_against_the_ladder_integral_route():
    """delta sigma(3T) - delta sigma(T) by q and omega quadrature of the Diffuson-ladder kernels = K_2(1+3 lambda) ln 3."""
    brute = num.exchange_double_integral(2, -0.25, T_ratio=3.0)
    zna = (1 + 3 * (1 - math.log(0.75) / -0.25)) / math.pi * math.log(3.0)  # ZNA 2001, written out
    assert brute == pytest.approx(zna, rel=1e-10)


def test_2d_gauss_legendre_route_against_quadpack_and_the_closed_form():
    """The film route the interaction-2d document uses (exchange_double_integral(method="gauss-legendre"), a
    numpy Gauss-Legendre product rule) against the nested QUADPACK route it replaced and against ZNA's closed form
    K_2 (1 + 3 lambda_2) ln(T_1/T_2), over Landau parameters from -0.9 to 5 and temperature ratios both ways."""
    for F0v, ratio in [(-0.25, 3.0), (-0.9, 2.0), (0.0, 0.5), (1.5, 10.0), (5.0, 1.3)]:
        gl = num.exchange_double_integral(2, F0v, T_ratio=ratio, method="gauss-legendre")
        with mpmath.workdps(30):
            lam = 0 if F0v == 0 else 1 - mpmath.log1p(F0v) / F0v
            closed = float((1 + 3 * lam) / mpmath.pi * mpmath.log(ratio))
        assert gl == pytest.approx(closed, rel=1e-13)
        if (F0v, ratio) in ((-0.25, 3.0), (1.5, 10.0)):
            assert gl == pytest.approx(num.exchange_double_integral(2, F0v, T_ratio=ratio), rel=1e-11)


def test_2d_gauss_legendre_route_raises_when_unconverged():
    """Two rules that disagree by more than rtol x result raise instead of returning a number; bad work is refused."""
    for few in (8, 10):  # 8 vs 4 nodes differ by ~1e-7, 10 vs 5 by ~2e-9 (relative 1e-6, 1e-8)
        with pytest.raises(ArithmeticError, match="differ"):
            num.film_exchange_difference(-0.25, 3.0, nodes=few)
    assert num.film_exchange_difference(-0.25, 3.0, rtol=1e-6, nodes=10) == pytest.approx(0.1915704869, rel=1e-6)
    for bad in (7, 201, 32.0, True):
        with pytest.raises(ValueError, match="nodes"):
            num.film_exchange_difference(-0.25, 3.0, nodes=bad)
    for name, kwargs in (("F0", {"F0": "0.1"}), ("F0", {"F0": True}), ("T_ratio", {"T_ratio": float("nan")}),
                         ("rtol", {"rtol": -1.0}), ("rtol", {"rtol": "1e-10"})):
        args = {"F0": -0.25, "T_ratio": 3.0, **kwargs}
        with pytest.raises((ValueError, TypeError), match=name):
            num.film_exchange_difference(**args)
    with pytest.raises(ValueError, match="method"):
        num.exchange_double_integral(3, -0.25, method="gauss-legendre")
    with pytest.raises(ValueError, match="method"):
        num.exchange_double_integral(2, -0.25, T_ratio=3.0, method="simpson")


def test_thermal_kernel_against_mpmath():
    """d/dw[w coth(w/2)] = (sinh w - w)/(2 sinh^2(w/2)) at 40+ digits, over 1e-300 <= |w| <= 1e3 (both signs),
    including the branch boundaries |w| = 2e-3, 2 and 80: relative error below 1e-15 (the former
    coth - x/sinh^2 form lost ~1e-10 near |w| = 2e-3 to cancellation)."""
    ws = np.concatenate([10.0 ** np.linspace(-300, 3, 700), np.linspace(1e-3, 90, 700), [2e-3, 2.0, 80.0]])
    ws = np.concatenate([ws, -ws])
    got = num.thermal_kernel(ws)
    for w, f in zip(ws, got):
        with mpmath.workdps(40 + int(3 * max(0.0, -math.log10(abs(w))))):
            wm = mpmath.mpf(float(w))
            ref = (mpmath.sinh(wm) - wm) / (2 * mpmath.sinh(wm / 2) ** 2)
            assert abs(f - ref) <= 1e-15 * abs(ref), w
    assert num.thermal_kernel(0.0) == 0.0


# ----------------------------------------------------------------------------------------------- Zeeman
def test_zeeman_shifts_the_m_pm1_diffuson_triplets():
    """Textbook (Lee-Ramakrishnan Sec. III; Altshuler-Aronov 1985): the m = +-1 particle-hole triplets along the
    field are shifted by +-E_Z, the singlet and the m = 0 triplet are not."""
    gaps = I.zeeman_diffuson_gaps()
    EZ, hbar = I.SYMBOLS["E_Z"], I.SYMBOLS["hbar"]
    assert gaps["singlet"] == 0 and gaps["triplet_0"] == 0
    assert {sp.simplify(gaps["triplet_+1"]), sp.simplify(gaps["triplet_-1"])} == {sp.I * EZ / hbar, -sp.I * EZ / hbar}
    assert gaps == _zeeman_gaps_by_hand()


def _zeeman_gaps_by_hand():
    """Second route, without the engine: the pair G^R_sigma G^A_sigma' with band energies xi + sigma E_Z/2, the rung
    by residues read as an effective frequency, the diagonal gap operator of the product basis rotated into the
    Diffuson channel basis (mesocorr.symbolic.spin.channel_basis) and diagonalised."""
    from mesocorr.diagrams.lines import SYMBOLS as LINES, TAU, XI, xi_integral
    from mesocorr.symbolic.spin import channel_basis

    EZ, hbar, w, eps = I.SYMBOLS["E_Z"], I.SYMBOLS["hbar"], LINES["omega"], LINES["varepsilon"]
    shifts = {}
    for sg in (1, -1):
        for sp_ in (1, -1):
            GR = 1 / (eps + hbar * w - XI - sg * EZ / 2 + sp.I * hbar / (2 * TAU))
            GA = 1 / (eps - XI - sp_ * EZ / 2 - sp.I * hbar / (2 * TAU))
            rung = sp.cancel(hbar / (2 * sp.pi * TAU) * xi_integral(GR * GA))  # = 1/(1 - i tau w_eff)
            shifts[(sg, sp_)] = sp.cancel(sp.cancel((1 - 1 / rung) / (sp.I * TAU)) - w)
    order = [(1, 1), (1, -1), (-1, 1), (-1, -1)]  # row-major vec of rho_{sigma sigma'}
    gap_product = sp.diag(*[-sp.I * shifts[k] for k in order])
    basis = channel_basis("diffuson")
    U = sp.Matrix.hstack(*[basis[n] for n in ("singlet", "triplet_x", "triplet_y", "triplet_z")])
    M = (U.H * gap_product * U).applyfunc(sp.cancel)
    assert all(M[i, j] == 0 for i in range(4) for j in range(4) if i != j and {i, j} != {1, 2})
    out = {"singlet": sp.simplify(M[0, 0]), "triplet_0": sp.simplify(M[3, 3])}
    for val in M[1:3, 1:3].eigenvals():
        out["triplet_+1" if sp.im(val).is_positive else "triplet_-1"] = sp.simplify(val)
    return out


def _lr_g2(h, dps=30):
    """Lee-Ramakrishnan: g_2(h) = int_0^oo dO (d^2/dO^2)[O/(e^O - 1)] ln|1 - h^2/O^2| (mpmath quadrature)."""
    with mpmath.workdps(dps):
        h = mpmath.mpf(h)

        def w(O):  # (O/(e^O - 1))'' = f''/2 with f = O coth(O/2), since O coth(O/2) = O + 2 O/(e^O - 1)
            return _fpp(O) / 2

        pts = [0, h / 2, h, 3 * h / 2, 2 * h + 10, 4 * h + 60]  # log singularity at O = h: split there
        return mpmath.quad(lambda O: w(O) * mpmath.log(abs(1 - h**2 / O**2)), pts)


def _fpp(w):
    """f'' of f = w coth(w/2): (x coth x - 1)/sinh^2 x at x = w/2."""
    x = w / 2
    return _FPP_SERIES(x) if abs(x) < 1e-3 else (x * mpmath.coth(x) - 1) / mpmath.sinh(x) ** 2


def _by_parts_g(d, h, dps=25):
    """m = +-1 triplets of the starting formula integrated by parts in omega (d = 3: exponent 1/2, d = 1: -1/2)."""
    with mpmath.workdps(dps):
        h = mpmath.mpf(h)
        a = mpmath.mpf(1) / 2 if d == 3 else -mpmath.mpf(1) / 2
        tot = 0
        for m in (1, -1):
            def f(w, m=m):
                return (_fpp(w) * (abs(w - m * h) ** a - abs(w) ** a))
            tot += mpmath.quad(f, [-mpmath.inf, -h - 30, -h, 0, h, h + 30, mpmath.inf])
        return tot / 4 if d == 3 else -mpmath.pi / 4 * tot


@pytest.mark.parametrize("h", ["0.1", "1", "5", "20"])
def test_g2_closed_form_is_lee_ramakrishnans_integral(h):
    closed = num.zeeman_g_mp(2, h, 30)
    with mpmath.workdps(30):
        assert abs(closed / _lr_g2(h) - 1) < mpmath.mpf("1e-22")


@pytest.mark.parametrize("d,h", [(3, "0.3"), (3, "10"), (1, "0.3"), (1, "10")])
def test_g3_g1_closed_forms_against_the_omega_integral(d, h):
    closed = num.zeeman_g_mp(d, h, 25)
    with mpmath.workdps(25):
        assert abs(closed / _by_parts_g(d, h) - 1) < mpmath.mpf("1e-11")


def test_zeeman_limits_exact_and_review_values():
    h = I.SYMBOLS["h"]
    c2, c3, c1 = (I.zeeman_small_h(d, 1)[0] for d in (2, 3, 1))
    assert sp.simplify(c2 - 3 * sp.zeta(3) / (4 * sp.pi**2)) == 0
    assert sp.simplify(c3 - 15 * sp.zeta(sp.Rational(5, 2)) / (64 * sp.pi ** sp.Rational(3, 2))) == 0
    assert sp.simplify(c1 - 105 * sp.zeta(sp.Rational(7, 2)) / (128 * sp.pi ** sp.Rational(3, 2))) == 0
    # LR85 quote 0.084 h^2 and 0.053 h^2: the exact coefficients are 8.7 % and 6.5 % larger
    assert round(float(c2), 4) == 0.0913 and round(float(c3), 4) == 0.0565
    assert float(c2) / 0.084 - 1 == pytest.approx(0.0875, abs=1e-3)
    # large h: g_2 -> ln(h/1.29779), g_3 -> sqrt(h) - 1.29420 (LR85: ln(h/1.3), sqrt(h) - 1.3)
    h2 = 1 / float(sp.exp(I.zeeman_large_h(2, 0)).subs(h, 1))  # g_2 -> ln(h/h_2)
    assert h2 == pytest.approx(2 * math.pi * math.exp(-1 - 0.5772156649015329), rel=1e-15)
    assert round(h2, 4) == 1.2978
    const3 = float((I.zeeman_large_h(3, 0) - sp.sqrt(h)).subs(h, 1))
    assert const3 == pytest.approx(-math.sqrt(math.pi) / 2 * abs(float(mpmath.zeta(0.5))), rel=1e-15)
    assert float(I.zeeman_large_h(1, 0).subs(h, sp.oo)) == pytest.approx(3 * math.sqrt(math.pi) / 4 * 2.612375348685488,
                                                                          rel=1e-14)


@pytest.mark.parametrize("d", [1, 2, 3])
def test_g_float64_against_mpmath_over_the_whole_range(d):
    hs = np.concatenate([np.logspace(-8, 8, 120), [math.pi * (1 - 1e-12), math.pi * (1 + 1e-12), 40 * (1 - 1e-12), 40]])
    g = num.zeeman_g(d, hs)
    ref = np.array([float(num.zeeman_g_mp(d, h, 40)) for h in hs])
    assert np.max(np.abs(g / ref - 1)) < 4e-15
    assert float(num.zeeman_g(d, 0.0)) == 0.0 and np.all(num.zeeman_g(d, -hs) == g)


@settings(max_examples=60, deadline=None)
@given(d=st.sampled_from([1, 2, 3]), h1=st.floats(0, 1e12), h2=st.floats(0, 1e12))
def test_g_is_even_nonnegative_and_increasing(d, h1, h2):
    """Zeeman splitting only removes triplet contributions: g_d(h) >= 0, increasing in |h|, even."""
    lo, hi = sorted((h1, h2))
    g_lo, g_hi = (float(num.zeeman_g(d, x)) for x in (lo, hi))
    assert 0 <= g_lo <= g_hi * (1 + 4e-15) and float(num.zeeman_g(d, -hi)) == g_hi


def test_g2_float64_small_and_large_h_against_series_and_asymptote():
    c = [float(v) for v in I.zeeman_small_h(2, 3)]
    for h in (1e-6, 1e-3, 0.05):
        assert float(num.zeeman_g(2, h)) == pytest.approx(c[0] * h**2 + c[1] * h**4 + c[2] * h**6, rel=1e-13)
    asym = sp.lambdify(I.SYMBOLS["h"], I.zeeman_large_h(2, 3), "math")
    for h in (1e3, 1e5, 1e8):
        assert float(num.zeeman_g(2, h)) == pytest.approx(asym(h), rel=1e-15)


@pytest.mark.slow
def test_3d_zeeman_against_brute_force_integration():
    h, F0v = 5.0, -0.3
    brute = num.exchange_double_integral(3, F0v, h=h)
    closed = -num.f_tilde(3, F0v) * float(num.zeeman_g(3, h)) / (2 * math.pi) * math.sqrt(0.5)
    assert brute == pytest.approx(closed, rel=1e-10)


# ----------------------------------------------------------------------------------------------- Hall
def test_hall_relations_from_the_drude_tensor():
    r = I.hall_corrections()
    delta, s0 = sp.symbols("delta sigma_0", positive=True)
    assert sp.simplify(r["interaction"] + 2 * delta / s0) == 0
    assert r["wl"] == 0 and r["wl_fukuyama_ratio"] == 2  # Fukuyama, JPSJ 49, 644 (1980)


def test_hall_relations_numerically():
    """Independent route: invert the numeric Drude tensor with and without delta sigma_xx (numpy)."""
    s0, beta, d = 20.0, 0.7, 1e-7

    def RH(sxx, sxy):
        return np.linalg.inv(np.array([[sxx, -sxy], [sxy, sxx]]))[1, 0]

    sxx, sxy = s0 / (1 + beta**2), s0 * beta / (1 + beta**2)
    rel = (RH(sxx + d, sxy) - RH(sxx - d, sxy)) / (2 * d) * d / RH(sxx, sxy)
    assert rel == pytest.approx(mesocorr.hall_correction(d, s0), rel=1e-6)
    assert mesocorr.hall_correction(-0.8, 20.0, delta_sigma_wl=-1.3) == pytest.approx(0.08, rel=1e-15)


# ----------------------------------------------------------------------------------------------- public API
def test_2d_correction_against_the_literature_form():
    tau, T, f0 = 7.6e-14, 1.0, -0.25
    r = mesocorr.interaction_correction(2, T, elastic_time=tau, F0_sigma=f0)
    zna = (1 + 3 * (1 - math.log1p(f0) / f0)) / math.pi * math.log(K_B * T * tau / HBAR)  # (e^2/pi h)[...] ln
    assert r.delta_sigma == pytest.approx(zna, rel=1e-14)
    assert r.singlet + r.triplet == pytest.approx(r.delta_sigma, rel=1e-15)
    assert r.F_tilde == pytest.approx(4 * (math.log1p(f0) / f0 - 1), rel=1e-14)
    rF = mesocorr.interaction_correction(2, T, elastic_time=tau, F=-2 * f0 / (1 + f0))
    assert rF.delta_sigma == pytest.approx(r.delta_sigma, rel=1e-14)


def test_3d_1d_units_and_mpmath_path():
    D, T = 1e-4, 1.0
    LT = math.sqrt(HBAR * D / (K_B * T))
    r3 = mesocorr.interaction_correction(3, T, D=D, F=0.5)
    assert r3.scale == pytest.approx(1 / LT, rel=1e-14)
    r1 = mesocorr.interaction_correction(1, T, D=D, F=0.5, dps=30)
    r1f = mesocorr.interaction_correction(1, T, D=D, F=0.5)
    assert float(r1.delta_sigma) == pytest.approx(r1f.delta_sigma, rel=1e-14)
    exact = -3 * mpmath.zeta(1.5) / mpmath.sqrt(2 * mpmath.pi) * (1 - 3 / 8 * r1f.F_tilde)
    assert r1f.delta_sigma / LT == pytest.approx(float(exact), rel=1e-13)


def test_zeeman_in_the_api():
    T, B, g, tau = 1.0, 1.5, 2.0, 7.6e-14
    r = mesocorr.interaction_correction(2, T, elastic_time=tau, F0_sigma=-0.25, g_factor=g, B=B, sigma=20.0)
    h = g * MU_B * B / (K_B * T)
    assert r.h == pytest.approx(h, rel=1e-15)
    assert r.delta_sigma_zeeman == pytest.approx(-r.F_tilde / (2 * math.pi) * float(num.zeeman_g_mp(2, h, 30)), rel=1e-13)
    assert r.hall_relative == pytest.approx(-2 * (r.delta_sigma + r.delta_sigma_zeeman) / 20.0, rel=1e-15)
    arr = mesocorr.interaction_correction(2, [0.5, 1.0], elastic_time=tau, F0_sigma=-0.25, g_factor=g, B=[1.5, 1.5])
    assert arr.delta_sigma_zeeman[1] == pytest.approx(r.delta_sigma_zeeman, rel=1e-15)


@pytest.mark.parametrize("kwargs,exc,word", [
    (dict(dim=4, T=1.0, elastic_time=1e-13), ValueError, "dim"),
    (dict(dim=2, T=1.0), TypeError, "elastic_time"),
    (dict(dim=3, T=1.0), TypeError, "D"),
    (dict(dim=2, T=-1.0, elastic_time=1e-13), ValueError, "T"),
    (dict(dim=2, T="1", elastic_time=1e-13), TypeError, "T"),
    (dict(dim=2, T=1.0, elastic_time=1e-13, F0_sigma=-1.0), ValueError, "F0_sigma"),
    (dict(dim=2, T=1.0, elastic_time=1e-13, F0_sigma=-0.1, F=0.2), ValueError, "F0_sigma"),
    (dict(dim=2, T=1.0, elastic_time=1e-13, g_factor=2.0), TypeError, "g_factor"),
    (dict(dim=2, T=1.0, elastic_time=1e-13, F0_sigma=True), TypeError, "F0_sigma"),
    (dict(dim=2, T=[1.0, 2.0], elastic_time=1e-13, dps=20), ValueError, "dps"),
])
def test_bad_input_is_refused(kwargs, exc, word):
    with pytest.raises(exc, match=word):
        mesocorr.interaction_correction(**kwargs)


def test_large_correction_for_the_hall_relation_is_named():
    with pytest.warns(PhysicsWarning, match="sigma"):
        r = mesocorr.interaction_correction(2, 1.0, elastic_time=7.6e-14, F0_sigma=-0.25, sigma=5.0)
    assert r.hall_relative == pytest.approx(-2 * r.delta_sigma / 5.0, rel=1e-15) and "Hall" in r.warnings[-1]


def test_outside_the_diffusive_regime_is_named():
    with pytest.warns(PhysicsWarning, match="elastic_time"):
        r = mesocorr.interaction_correction(2, 100.0, elastic_time=1e-13)
    assert r.warnings and "T tau" in r.warnings[0]


@settings(max_examples=40, deadline=None)
@given(T=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 5)),
       f0=st.one_of(st.floats(-2, 5), st.just(math.nan)), h=st.one_of(st.floats(-1e12, 1e12), st.just(math.nan)))
def test_hostile_input_finite_or_clean_refusal(T, f0, h):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PhysicsWarning)
        try:
            r = mesocorr.interaction_correction(2, T, elastic_time=1e-13, F0_sigma=f0, g_factor=2.0, B=h * 1e-6)
        except (ValueError, TypeError):
            return
    assert math.isfinite(r.delta_sigma) and math.isfinite(r.delta_sigma_zeeman)


@settings(max_examples=60, deadline=None)
@given(d=st.sampled_from([1, 2, 3]), T=st.floats(1e-300, 1e300), f0=st.floats(-1, 1.7e308, exclude_min=True),
       scale=st.floats(1e-300, 1e300), B=st.floats(-1e300, 1e300), sigma=st.floats(1e-300, 1e300))
def test_extreme_parameters_no_numpy_overflow(d, T, f0, scale, B, sigma):
    """Over the whole float64 range: a finite result or a clean refusal, and never a numpy RuntimeWarning
    (overflow / invalid) on the way (the CLI would list it among the physics warnings)."""
    kw = {"elastic_time": scale} if d == 2 else {"D": scale}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PhysicsWarning)
        warnings.simplefilter("error", RuntimeWarning)
        try:
            r = mesocorr.interaction_correction(d, T, F0_sigma=f0, g_factor=2.0, B=B, sigma=sigma, **kw)
        except (ValueError, TypeError):
            return
    values = [r.delta_sigma, r.delta_sigma_zeeman, r.F_tilde]
    assert all(math.isfinite(v) for v in values)
    if r.hall_relative is not None:
        assert math.isfinite(r.hall_relative)


def test_channel_factor_3d_at_huge_F0_sigma():
    """lambda_3 -> 1 for F0_sigma -> oo, without the overflow of F (u + 2) (u = sqrt(1 + F)); mpmath reference."""
    for f0 in (1e300, 1.7e308, 5.0, -0.999999):
        with mpmath.workdps(40):
            ref = num.channel_factor_mp(3, f0)
        assert num.channel_factor(3, f0) == pytest.approx(float(ref), rel=1e-15)


def test_cli_ee_json_and_errors(capsys):
    assert main(["ee", "--dim", "2", "--T", "1", "--tau", "7.6e-14", "--F0-sigma", "-0.25", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["unit"] == "e^2/h" and {"delta_sigma", "F_tilde"} <= set(d)
    assert d["delta_sigma"] == pytest.approx(
        mesocorr.interaction_correction(2, 1.0, elastic_time=7.6e-14, F0_sigma=-0.25).delta_sigma, rel=1e-15)
    assert main(["ee", "--dim", "2", "--T", "1", "--tau", "7.6e-14", "--F0-sigma", "-0.25", "--g-factor", "2",
                 "--B", "1.5", "--sigma", "20", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert {"delta_sigma_zeeman", "hall_relative"} <= set(d)
    # several temperatures: lists, each the API's value at that temperature
    assert main(["ee", "--dim", "2", "--T", "0.3,1,3", "--tau", "7.6e-14", "--F0-sigma", "-0.25", "--g-factor", "2",
                 "--B", "1.5", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    for k, T in enumerate((0.3, 1.0, 3.0)):
        one = mesocorr.interaction_correction(2, T, elastic_time=7.6e-14, F0_sigma=-0.25, g_factor=2, B=1.5)
        assert d["T"][k] == T and d["delta_sigma"][k] == pytest.approx(one.delta_sigma, rel=1e-15)
        assert d["delta_sigma_zeeman"][k] == pytest.approx(one.delta_sigma_zeeman, rel=1e-15)
    assert main(["ee", "--dim", "2", "--T", "0.3,1", "--tau", "7.6e-14", "--dps", "20"]) == 2
    assert "--dps" in capsys.readouterr().err
    for argv in (["ee", "--dim", "3", "--D", "1e-4", "--F", "0.5", "--T", "1"],
                 ["ee", "--dim", "1", "--D", "1e-3", "--F", "0.5", "--T", "1"]):
        assert main(argv) == 0
        assert "delta_sigma" in capsys.readouterr().out
    for argv, word in ((["ee", "--dim", "2", "--T", "1"], "elastic_time"),
                       (["ee", "--dim", "2", "--T", "1", "--tau", "1e-13", "--F0-sigma", "-3"], "F0_sigma"),
                       (["ee", "--dim", "2", "--T", "1", "--tau", "1e-13", "--B", "1"], "--g-factor")):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and word in err


# ----------------------------------------------------------------------------------------------- dephasing, AAK
def test_dephasing_laws_add():
    r = mesocorr.dephasing_rate([1.0, 4.0], dim=2, sheet_resistance=500.0, saturation_time=2e-10,
                                phonon_prefactor=1e7, phonon_exponent=3.0, components=True)
    aak = [mesocorr.nyquist_dephasing_rate(2, t, sheet_resistance=500.0) for t in (1.0, 4.0)]
    assert np.allclose(r["total"], 5e9 + np.array(aak) + 1e7 * np.array([1.0, 64.0]), rtol=1e-15)
    assert mesocorr.dephasing_rate(8.0, dim=1, ee_prefactor=1e9) == pytest.approx(4e9, rel=1e-14)  # T^(2/3)
    with pytest.raises(ValueError, match="saturation_time"):
        mesocorr.dephasing_rate(1.0)


def _fd_resolvent(e, n=4000, L=30.0):
    """Finite differences for (-2D d^2 + kappa|rho| + E) psi = delta(rho) in units L_N = 1, 2D = 1 (kappa = 1):
    G(0,0) = psi(0); grid spacing h, Dirichlet at |rho| = L; Richardson extrapolation in h^2."""
    import scipy.sparse as sps
    import scipy.sparse.linalg as spl

    def solve(m):
        x = np.linspace(-L, L, 2 * m + 1)
        h = x[1] - x[0]
        main_ = 2 / h**2 + np.abs(x) + e
        A = sps.diags([-np.ones(x.size - 1) / h**2, main_, -np.ones(x.size - 1) / h**2], [-1, 0, 1], format="csc")
        rhs = np.zeros(x.size)
        rhs[m] = 1 / h
        return spl.spsolve(A, rhs)[m]

    g1, g2 = solve(n), solve(2 * n)
    return (4 * g2 - g1) / 3


@pytest.mark.parametrize("e", [0.0, 1.5])
def test_aak_resolvent_against_finite_differences(e):
    """-(L_N/4D) Ai(e)/Ai'(e) with L_N = 1, 2D = 1: G = -Ai(e)/(2 Ai'(e))."""
    from scipy.special import airy

    ai, aip, _, _ = airy(e)
    assert _fd_resolvent(e) == pytest.approx(-ai / (2 * aip), rel=1e-8)


def test_aak_wire_limits_and_l_phi_ratio():
    from mesocorr.symbolic import nyquist_wire as NW

    assert float(NW.l_phi_ratio()) == pytest.approx(math.gamma(1 / 3) / (3 ** (1 / 3) * math.gamma(2 / 3) * math.sqrt(2)),
                                                    rel=1e-15)
    r = mesocorr.aak_wire_correction(0.5, 0.02, 2e8)
    assert r.L_phi_ratio == pytest.approx(0.969953337, rel=1e-9)
    assert r.tau_phi == pytest.approx(2 * r.L_N**2 / 0.02, rel=1e-13)  # Pierre et al.: 1/tau_phi = 1/(2 tau_N)
    assert r.delta_sigma == pytest.approx(-2 * r.L_phi_exact, rel=1e-13)
    strong = mesocorr.aak_wire_correction(0.5, 0.02, 2e8, B=5.0, width=1e-7)  # field dominates: exponential form
    rate_b = 0.02 * (1.602176634e-19 * 1e-7 * 5.0 / HBAR) ** 2 / 3
    assert strong.delta_sigma == pytest.approx(-2 * math.sqrt(0.02 / rate_b), rel=2e-3)


@settings(max_examples=80, deadline=None)
@given(T=st.floats(1e-300, 1e300), tau0=st.one_of(st.none(), st.floats(1e-320, 1e300)),
       A=st.one_of(st.none(), st.floats(0, 1e300)), p=st.floats(0.1, 100), Aph=st.one_of(st.none(), st.floats(0, 1e300)))
def test_dephasing_rate_finite_or_refused(T, tau0, A, p, Aph):
    """The rate is a positive finite sum of its parts, or a ValueError naming an argument; no numpy warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        try:
            r = mesocorr.dephasing_rate(T, saturation_time=tau0, ee_prefactor=A, ee_exponent=p, phonon_prefactor=Aph,
                                        components=True)
        except ValueError as exc:
            assert str(exc).split(":")[0] in ("T", "saturation_time")
            return
    assert 0 < r["total"] < math.inf
    assert r["total"] == pytest.approx(r["saturation"] + r["electron_electron"] + r["electron_phonon"], rel=1e-15)


@pytest.mark.parametrize("B", [0.0, 0.05, 5.0, 300.0, 1e5])
def test_aak_wire_against_mpmath_airy(B):
    """delta sigma = s sum_c w_c L_N Ai(e_c)/Ai'(e_c) with mpmath's Airy functions at 30 digits, up to fields where
    e_c ~ 1e13 (scipy's scaled airye gives NaN beyond e ~ 2e6: the asymptotic form takes over there)."""
    from mesocorr.wl import cooperon_channel_table

    T, D, RL, W, so = 0.5, 0.02, 2e8, 1e-7, 3e10
    r = mesocorr.aak_wire_correction(T, D, RL, B=B, width=W, so=so)
    with mpmath.workdps(30):
        LN = (mpmath.mpf(HBAR) ** 2 * D / (RL * mpmath.mpf(1.602176634e-19) ** 2 * K_B * T)) ** (mpmath.mpf(1) / 3)
        e_b = (LN * mpmath.mpf(1.602176634e-19) * W * B / HBAR) ** 2 / 3
        ref = 0
        for ch in cooperon_channel_table(D, so=so):
            ec = LN**2 / D * ch["gap"] + e_b
            ref += 2 * ch["weight"] * LN * mpmath.airyai(ec) / mpmath.airyai(ec, derivative=1)
    assert r.delta_sigma == pytest.approx(float(ref), rel=1e-12)


@settings(max_examples=60, deadline=None)
@given(T=st.floats(1e-300, 1e300), D=st.floats(1e-300, 1e300), RL=st.floats(1e-300, 1e300),
       B=st.floats(-1e300, 1e300), W=st.floats(1e-300, 1e300))
def test_aak_wire_finite_or_refused(T, D, RL, B, W):
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        try:
            r = mesocorr.aak_wire_correction(T, D, RL, B=B, width=W)
        except ValueError as exc:
            assert str(exc).split(":")[0] in ("temperature", "temperature, diffusion_constant, resistance_per_length")
            return
    assert all(math.isfinite(v) for v in r.as_dict().values() if isinstance(v, float))
    assert r.delta_sigma <= 0 and r.delta_sigma_tau_phi <= 0


# ----------------------------------------------------------------------------------------------- temperature analysis
def _synthetic(seed, noise_s=2e-3, noise_t=1e-3, nT=10, temps=(0.5, 1.0, 2.0, 4.0, 8.0), npts=50):
    """Synthetic film: data generated with mesocorr.magnetoconductance / wl_correction / interaction_correction."""
    rng = np.random.default_rng(seed)
    D, tau, g, Bhi = 0.01, 3e-14, 2.0, 0.5  # B_tau = 0.55 T, k_B T tau/hbar <= 0.04
    truth = {"B_sat": 2e-4, "A_ee": 1e-3, "B_so": 5e-3, "F0_sigma": -0.25}

    def rate(Bx):
        return 4 * 1.602176634e-19 * D * Bx / HBAR

    def bphi(T):
        return truth["B_sat"] + truth["A_ee"] * T

    def ee(T, B=None):
        r = mesocorr.interaction_correction(2, T, elastic_time=tau, F0_sigma=truth["F0_sigma"],
                                            g_factor=None if B is None else g, B=B)
        return r.delta_sigma + (0 if B is None else r.delta_sigma_zeeman)

    Ts = np.geomspace(0.3, 10, nT)
    wl0 = np.array([mesocorr.wl_correction(2, D=D, so=rate(truth["B_so"]), phi=rate(bphi(T)), elastic_time=tau)
                    for T in Ts])
    mc_hi = np.array([mesocorr.magnetoconductance(Bhi, D=D, so=rate(truth["B_so"]), phi=rate(bphi(T))) for T in Ts])
    s0 = 30 + wl0 + np.array([ee(T) for T in Ts]) + rng.normal(0, noise_s, nT)
    shi = 29 + wl0 + mc_hi + np.array([ee(T, Bhi) for T in Ts]) + rng.normal(0, noise_s, nT)
    traces = []
    for T in temps:
        B = np.linspace(5e-4, 0.08, npts)
        y = mesocorr.magnetoconductance(B, D=D, so=rate(truth["B_so"]), phi=rate(bphi(T)))
        z = mesocorr.interaction_correction(2, T, elastic_time=tau, F0_sigma=truth["F0_sigma"], g_factor=g, B=B)
        traces.append((T, B, y + z.delta_sigma_zeeman + rng.normal(0, noise_t, B.size)))
    return dict(T_sigma=Ts, sigma_zero=s0, sigma_high=shi, B_high=Bhi, traces=traces, g_factor=g, D=D,
                elastic_time=tau), truth


def test_global_fit_recovers_the_parameters():
    data, truth = _synthetic(7)
    r = mesocorr.fit_temperature_series(**data, law="ee+sat")
    assert r.ok, r.warnings
    for k, v in truth.items():
        assert abs(r.value(k) - v) < 4 * r.stderr(k), (k, r.params[k], v)
    assert r.chi2_red == pytest.approx(1.0, abs=0.2)
    assert r.correlation.shape == (len(r.param_names),) * 2
    assert np.allclose(np.diag(r.correlation), 1.0)
    tau = r.tau_phi["1"]
    assert tau["value"] == pytest.approx(HBAR / (4 * 1.602176634e-19 * 0.01 * (2e-4 + 1e-3)), rel=5 * tau["stderr"] / tau["value"])
    # a fixed parameter is held and reported
    rf = mesocorr.fit_temperature_series(**data, law="ee+sat", fixed={"F0_sigma": -0.25})
    assert rf.params["F0_sigma"]["fixed"] and "F0_sigma" not in rf.param_names


@pytest.mark.slow
def test_global_fit_error_coverage():
    """Seeded coverage: |estimate - truth| / stderr over 10 data sets, F0_sigma and A_ee."""
    z = []
    for seed in range(10):
        data, truth = _synthetic(100 + seed, nT=8, temps=(0.5, 2.0, 8.0), npts=30)
        r = mesocorr.fit_temperature_series(**data, law="ee+sat")
        z += [(r.value(k) - truth[k]) / r.stderr(k) for k in ("F0_sigma", "A_ee")]
    z = np.array(z)
    assert np.mean(np.abs(z) < 2) >= 0.8
    assert 0.4 < math.sqrt(np.mean(z**2)) < 1.8


def test_fit_input_checks():
    data, _ = _synthetic(3, nT=6, temps=(1.0,), npts=20)
    with pytest.raises(ValueError, match="law"):
        mesocorr.fit_temperature_series(**data, law="ee+foo")
    with pytest.raises(ValueError, match="traces"):
        mesocorr.fit_temperature_series(**{**data, "traces": []})
    with pytest.raises(TypeError, match="B_high"):
        mesocorr.fit_temperature_series(**{**data, "B_high": None})
    with pytest.raises(ValueError, match="fixed"):
        mesocorr.fit_temperature_series(**data, fixed={"nonsense": 1.0})
    with pytest.raises(TypeError, match="spin_orbit"):
        mesocorr.fit_temperature_series(**data, spin_orbit=1)
    with pytest.raises(ValueError, match="T_sigma"):
        mesocorr.fit_temperature_series(**{**data, "T_sigma": -data["T_sigma"]})
    with pytest.raises(ValueError, match="cap"):
        mesocorr.fit_temperature_series(**{**data, "traces": [(1.0, np.ones(200_001), np.ones(200_001))]})


def test_undetermined_fit_is_named_and_its_json_finite():
    """Two traces at the same temperature cannot separate B_sat from A_ee T, flat data determine nothing: the fit
    says so (warnings) and as_dict holds no NaN/inf (None instead)."""
    B = np.linspace(1e-3, 0.08, 20)
    y = mesocorr.magnetoconductance(B, D=0.01, so=1e11, phi=2e10)
    r = mesocorr.fit_temperature_series(traces=[(1.0, B, y), (1.0, B, y)])
    assert not r.ok and any("identifiability" in w for w in r.warnings)
    json.dumps(r.as_dict(), allow_nan=False)
    for flat in (np.zeros(B.size), np.full(B.size, 1e300)):  # no field dependence: nothing determined
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)  # flat or huge data: no overflow on the way
            singular = mesocorr.fit_temperature_series(traces=[(1.0, B, flat)])
        assert not singular.ok
        d = singular.as_dict()
        json.dumps(d, allow_nan=False)
    assert d["params"]["B_so"]["stderr"] is None


def test_readme_worked_temperature_analysis_is_real_output():
    """docs/examples/temperature_analysis.py (the README's worked analysis): its printed report is in the README,
    and every fitted parameter is within 3 stderr of the truth it generated the data with."""
    import importlib.util
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location("temperature_example", root / "docs/examples/temperature_analysis.py")
    ex = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ex)
    r = ex.analyse(ex.synthetic_data())
    readme = (root / "README.md").read_text(encoding="utf-8")
    for line in ex.report(r).splitlines():
        assert line in readme, line
    for k, v in {**ex.TRUTH, "p_ee": 1.0}.items():
        assert abs(r.value(k) - v) < 3 * r.stderr(k), (k, r.params[k], v)


def test_lee_ramakrishnan_route_of_the_derivation_is_the_coth_sinh_integral():
    """derive interaction-zeeman evaluates Lee-Ramakrishnan's weight (x coth x - 1)/(2 sinh^2 x), x = O/2, with one
    expm1 per node: the integral equals the one with mpmath's coth and sinh (the route it replaced) to 1e-26."""
    from mesocorr.derivations.interaction_zeeman import _lr_integral

    for h in ("0.3", "15"):
        with mpmath.workdps(30):
            hm = mpmath.mpf(h)

            def old(O, hm=hm):
                x = O / 2
                if x < mpmath.mpf("1e-3"):
                    y = x * x
                    w = (mpmath.mpf(1) / 3 + y * (-mpmath.mpf(2) / 15 + y * (mpmath.mpf(2) / 63 + y * (
                        -mpmath.mpf(4) / 675 + y * mpmath.mpf(2) / 2079)))) / 2
                else:
                    w = (x * mpmath.coth(x) - 1) / mpmath.sinh(x) ** 2 / 2
                return w * mpmath.log(abs(1 - hm**2 / O**2))

            ref = mpmath.quad(old, [0, hm / 2, hm, 3 * hm / 2, 2 * hm + 10, 4 * hm + 60])
            assert abs(_lr_integral(h) - ref) <= mpmath.mpf(10) ** -26 * abs(ref)


@pytest.mark.parametrize("d", [1, 2, 3])
def test_channel_factor_ratio_by_cancel_is_the_simplify_ratio(d):
    """channel_factor combines the two Mellin sums with sympy.cancel (its ratio is only compared with the display
    form at exact points): the ratio equals the one combined with sympy.simplify (the former route) to 45 digits
    at exact F0 values, and the display form it returns."""
    k = sp.Symbol("k", positive=True)
    a = I.a
    sub = {I.q: sp.sqrt(I.x * a / I.D), I.omega: sp.I * a}
    kern = {c: sp.cancel(sp.expand_power_base(sp.cancel(I.exchange_kernel(c, d) * I.s_deg * I.nu).subs(sub) * a**2,
                                              force=True)) for c in ("triplet", "singlet")}
    kt, ks = kern["triplet"].subs(I.F0, k - 1), kern["singlet"]
    fast = (I._x_integral(kt, d, sp.cancel) / I._x_integral(ks, d, sp.cancel)).subs(k, 1 + I.F0)
    slow = (I._x_integral(kt, d) / I._x_integral(ks, d)).subs(k, 1 + I.F0)
    for val in (sp.Rational(-9, 10), sp.Rational(-1, 4), sp.Rational(7, 3), sp.Integer(30)):
        ref = sp.N(slow.subs(I.F0, val), 50)
        assert abs(sp.N(fast.subs(I.F0, val), 50) - ref) < 1e-45 * abs(ref)
        assert abs(sp.N(I.channel_factor(d).subs(I.F0, val), 50) - ref) < 1e-45 * abs(ref)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.floats(-1e300, 1e300), st.floats(1e-300, 1e300))
def test_2d_gauss_legendre_route_finite_or_refused(F0, ratio):
    """Hostile F0 and T_1/T_2: a finite number, or a ValueError/ArithmeticError naming the cause."""
    try:
        value = num.film_exchange_difference(F0, ratio)
    except (ValueError, ArithmeticError):
        return
    assert math.isfinite(value)

