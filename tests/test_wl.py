"""Weak (anti)localization: Hikami prefactor, zero-field corrections, magnetoconductance, finite wire.

Independent routes used here: literature closed forms written out again in the tests (HLN 1980,
Kawabata 1980, Altshuler-Aronov 1981, Beenakker-van Houten 1988), mpmath at 40-50 digits
(direct digamma / Hurwitz zeta / quadrature / nsum), exact rationals.
"""

from __future__ import annotations

import json
import math

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import mesocorr
from mesocorr.cli import main
from mesocorr.units import E_CHARGE, HBAR, SIGMA_WL, G0

D = 0.01  # m^2/s


def b_field(rate):
    """Characteristic field hbar*rate/(4 e D) in tesla (A&M, HLN: B_x = hbar/(4 e D tau_x))."""
    return HBAR * rate / (4 * E_CHARGE * D)


def mp_const(name):
    from mesocorr.units import mp_constant

    return mp_constant(name)


def dec(x):
    """A float as the decimal it prints as (mesocorr's rule for exact input on the mpmath path, issue 12)."""
    return mpmath.mpf(repr(float(x))) if isinstance(x, float) else mpmath.mpf(x)


def mp_field(rate):
    """hbar*rate/(4 e D) in mpmath with the exact SI constants (at the caller's precision)."""
    return mp_const("hbar") * dec(rate) / (4 * mp_const("e") * dec(D))


def hln_rates_mp(B, phi, so=0.0, mag=0.0, dps=40):
    """:func:`hln_mp` with the fields computed from the rates at high precision."""
    with mpmath.workdps(dps + 10):
        return hln_mp(B, mp_field(phi), mp_field(so), mp_field(mag), dps=dps)


def hln_mp(B, B_phi, B_so=0.0, B_s=0.0, dps=40):
    r"""HLN 1980 (isotropic spin-orbit and magnetic scattering, no Zeeman), in e^2/h per square:

    Delta sigma = (e^2/(2 pi^2 hbar)) [ (3/2) F(B/B_2) - (1/2) F(B/B_1) ],
    B_1 = B_phi + 2 B_s,  B_2 = B_phi + (4/3) B_so + (2/3) B_s,  F(x) = ln x + psi(1/2 + 1/x);
    e^2/(2 pi^2 hbar) = (1/pi) e^2/h. Written here independently of mesocorr (Hikami, Larkin, Nagaoka,
    Prog. Theor. Phys. 63, 707 (1980); same form in Bergmann, Phys. Rep. 107, 1 (1984)).
    """
    with mpmath.workdps(dps):
        def F(x):
            x = mpmath.mpf(x)
            return mpmath.log(x) + mpmath.digamma(mpmath.mpf(1) / 2 + 1 / x)
        b = dec(B)
        b1 = mpmath.mpf(B_phi) + 2 * mpmath.mpf(B_s)
        b2 = mpmath.mpf(B_phi) + mpmath.mpf(4) / 3 * mpmath.mpf(B_so) + mpmath.mpf(2) / 3 * mpmath.mpf(B_s)
        return (mpmath.mpf(3) / 2 * F(b / b2) - F(b / b1) / 2) / mpmath.pi


# ----------------------------------------------------------------------------- Hikami box / prefactor
class TestHikamiPrefactor:
    def test_prefactor_and_ratio_to_drude(self):
        from mesocorr.diagrams.hikami import SYMBOLS as S
        from mesocorr.diagrams.hikami import drude_conductivity, hikami_box, wl_prefactor

        for d in (1, 2, 3):
            P = wl_prefactor(d)
            # A&M eq. (7.49)-(7.51): δσ = -(s e^2 D/(π ħ)) ∫ 1/(DQ^2) ; δσ/σ0 = -1/(π ν ħ) ∫ ...
            assert sp.simplify(P - S["s"] * S["e"] ** 2 * S["D"] / (sp.pi * S["hbar"])) == 0
            assert sp.simplify(P / drude_conductivity(d) - 1 / (sp.pi * S["nu"] * S["hbar"])) == 0
            box = hikami_box(d)
            assert box.dressed_1 == 0 and box.dressed_2 == 0

    def test_scalar_box_vanishes(self):
        """A&M section 4.8: H^(A) = 4 pi nu tau^3, H^(B) = H^(C) = -2 pi nu tau^3 (hbar = 1), H(0) = 0."""
        from mesocorr.diagrams.hikami import SYMBOLS as S
        from mesocorr.diagrams.hikami import scalar_hikami_box

        box = scalar_hikami_box()
        unit = S["nu"] * S["tau"] ** 3 / S["hbar"] ** 3
        assert sp.simplify(box.bare - 4 * sp.pi * unit) == 0
        assert sp.simplify(box.dressed_1 + 2 * sp.pi * unit) == 0
        assert sp.simplify(box.dressed_2 + 2 * sp.pi * unit) == 0
        assert box.total == 0

    def test_2d_logarithm_in_si(self):
        """Spin-degenerate 2D: P/(4 pi D) = e^2/(2 pi^2 hbar) (the coefficient of ln(tau_phi/tau))."""
        from mesocorr.diagrams.hikami import SYMBOLS as S
        from mesocorr.diagrams.hikami import wl_prefactor

        coeff = wl_prefactor(2).subs(S["s"], 2) / (4 * sp.pi * S["D"])
        assert sp.simplify(coeff - S["e"] ** 2 / (2 * sp.pi**2 * S["hbar"])) == 0

    def test_residue_integral_matches_quadrature(self):
        from mesocorr.diagrams.hikami import SYMBOLS as S
        from mesocorr.diagrams.hikami import green_advanced, green_retarded, residue_integral, xi

        expr = residue_integral((green_retarded() * green_advanced()) ** 2)
        val = float(expr.subs({S["hbar"]: 1, S["tau"]: 0.7}))
        f = sp.lambdify(xi, ((green_retarded() * green_advanced()) ** 2).subs({S["hbar"]: 1, S["tau"]: 0.7}),
                        "mpmath")
        quad = mpmath.quad(lambda x: mpmath.re(f(x)), [-mpmath.inf, 0, mpmath.inf])
        assert val == pytest.approx(float(quad), rel=1e-12)


# ----------------------------------------------------------------------------- symbolic closed forms
class TestSymbolic:
    def test_landau_sum_gives_hln_digamma(self):
        from mesocorr.symbolic.wl import SYMBOLS as S
        from mesocorr.symbolic.wl import magnetoconductance_2d

        expected = S["s"] * S["w_c"] / (2 * sp.pi) * (sp.log(S["B"] / S["B_c"])
                                                       + sp.polygamma(0, sp.Rational(1, 2) + S["B_c"] / S["B"]))
        assert sp.simplify(sp.expand_func(magnetoconductance_2d() - expected)) == 0

    def test_series_coefficients_two_routes(self):
        """Bernoulli polynomials B_2k(1/2) (DLMF 24.4.27 / 5.11.2) vs SymPy's own series."""
        from mesocorr.integrals.hln import asymptotic_coefficients
        from mesocorr.symbolic.wl import hln_series_coefficients

        assert asymptotic_coefficients(4) == hln_series_coefficients(4)
        assert asymptotic_coefficients(2) == [sp.Rational(1, 24), sp.Rational(-7, 960)]

    def test_wire_mode_sum_against_nsum(self):
        from mesocorr.symbolic.wl import wire_mode_sum

        a = sp.Symbol("a", positive=True)
        f = sp.lambdify(a, wire_mode_sum(), "mpmath")
        with mpmath.workdps(30):
            for av in (mpmath.mpf("0.3"), mpmath.mpf(2), mpmath.mpf(7)):
                direct = mpmath.nsum(lambda n, av=av: 1 / (n**2 * mpmath.pi**2 + av**2), [1, mpmath.inf])
                assert abs(f(av) / direct - 1) < mpmath.mpf(10) ** -25

    def test_field_rate_quasi1d(self):
        """Altshuler-Aronov 1981; Beenakker-van Houten 1988 (l << W): 1/tau_B = D e^2 W^2 B^2/(3 hbar^2)."""
        from mesocorr.symbolic.wl import SYMBOLS as S
        from mesocorr.symbolic.wl import quasi1d_field_rate

        expected = S["D"] * S["e"] ** 2 * S["W"] ** 2 * S["B"] ** 2 / (3 * S["hbar"] ** 2)
        assert sp.simplify(quasi1d_field_rate() - expected) == 0

    def test_latex_printable(self):
        from mesocorr.symbolic.wl import finite_wire_conductance, kawabata_3d, magnetoconductance_2d

        for expr, function in ((magnetoconductance_2d(), "\\psi"), (kawabata_3d(), "\\zeta"),
                               (finite_wire_conductance(), "\\coth")):
            assert "\\" in sp.latex(expr)
            assert function in sp.latex(expr)  # HLN digamma, Kawabata Hurwitz zeta, wire coth
            assert "polygamma" not in sp.latex(expr)  # mesocorr's printer (issue 13): psi, not SymPy's polygamma


def test_channel_table_matches_channels():
    """The cached linear forms reproduce mesocorr.channels evaluated directly with exact rationals."""
    so, mag, phi = (3e11, 1e11, 7e10), (1e9, 0.0, 4e9), 2e10
    direct = mesocorr.channels("cooperon", so=[sp.Rational(x) for x in so], mag=[sp.Rational(x) for x in mag],
                               phi=sp.Rational(phi))
    table = mesocorr.cooperon_channel_table(so=so, mag=mag, phi=phi)
    got = {n: (row["gap"], row["weight"]) for row in table for n in row["names"]}
    assert {c.name: (float(c.gap), float(c.wl_weight)) for c in direct} == got


# ----------------------------------------------------------------------------- 2D magnetoconductance
class TestMagnetoconductance2D:
    phi = 1e10

    def test_against_hln_high_precision(self):
        so, mag = 4e11, 3e9
        for B in (1e-5, 3e-4, 0.01, 0.2, 5.0):
            ours = mesocorr.magnetoconductance(B, D=D, so=so, mag=mag, phi=self.phi, dps=30)
            ref = hln_rates_mp(B, self.phi, so, mag)
            assert abs(ours / ref - 1) < 1e-25
            f64 = mesocorr.magnetoconductance(B, D=D, so=so, mag=mag, phi=self.phi)
            assert f64 == pytest.approx(float(ref), rel=1e-14)

    def test_wl_positive_and_wal_half(self):
        Bs = np.geomspace(1e-6, 1.0, 25)
        wl = mesocorr.magnetoconductance(Bs, D=D, phi=self.phi)
        assert np.all(wl > 0)
        strong = mesocorr.magnetoconductance(Bs, D=D, so=1e18, phi=self.phi)  # B_so ~ 1.6e4 T
        assert np.all(strong < 0)
        # triplets frozen out: ratio -1/2 up to F(B/B_t) ~ (B/B_t)^2/24
        np.testing.assert_allclose(strong / wl, -0.5, rtol=0, atol=1e-9)

    def test_magnetic_impurities_suppress_both(self):
        B = 0.01
        for so in (0.0, 1e13):
            vals = [abs(mesocorr.magnetoconductance(B, D=D, so=so, mag=m, phi=self.phi)) for m in (0, 1e10, 1e11, 1e12)]
            assert all(a > b for a, b in zip(vals, vals[1:]))

    def test_zero_and_symmetry(self):
        for dim, kw in ((1, {"width": 1e-7}), (2, {}), (3, {})):
            assert mesocorr.magnetoconductance(0.0, dim=dim, D=D, so=3e11, phi=self.phi, **kw) == 0.0
            assert mesocorr.magnetoconductance(0.0, dim=dim, D=D, so=3e11, phi=self.phi, dps=20, **kw) == 0
        Bs = np.geomspace(1e-9, 10, 41)
        for so in (0.0, 4e11, (1e11, 2e11, 3e11)):
            pos = mesocorr.magnetoconductance(Bs, D=D, so=so, phi=self.phi)
            neg = mesocorr.magnetoconductance(-Bs, D=D, so=so, phi=self.phi)
            assert np.array_equal(pos, neg)

    def test_tiny_field_series(self):
        """B = 1e-12 B_phi: Delta sigma = (1/pi) x^2/24 (1 - (7/40) x^2) exactly to double precision."""
        bphi = b_field(self.phi)
        x = 1e-12
        got = mesocorr.magnetoconductance(x * bphi, D=D, phi=self.phi)
        assert got == pytest.approx(x**2 / 24 / math.pi, rel=1e-14)

    def test_bare_one_liner_fails_where_we_do_not(self):
        """The textbook form loses every digit at x = 1e-6 (it returns 0 or noise); we do not."""
        from scipy.special import digamma

        x = 1e-6
        naive = math.log(x) + float(digamma(0.5 + 1 / x))
        exact = float(hln_mp(x * b_field(self.phi), b_field(self.phi))) * math.pi
        assert abs(naive / exact - 1) > 1e-3
        ours = mesocorr.magnetoconductance(x * b_field(self.phi), D=D, phi=self.phi) * math.pi
        assert ours == pytest.approx(exact, rel=1e-14)

    def test_dense_grid_float64_vs_mpmath(self):
        """Max relative error of F over 18 decades, against 40-digit mpmath (the accuracy claim)."""
        from mesocorr.integrals.hln import hln_f

        xs = np.concatenate([np.geomspace(1e-12, 1e6, 600), np.linspace(0.1, 1.1, 200)])
        got = hln_f(xs)
        ref = np.array([float(hln_mp(x, 1.0) * mpmath.pi) for x in xs])
        assert np.max(np.abs(got / ref - 1)) < 2e-14

    @pytest.mark.parametrize("kind", ["log-uniform", "sweep"])
    def test_large_arrays_in_blocks(self, kind, monkeypatch):
        """Arrays longer than ``BLOCK`` (SciPy route for x >= 1): the same bits as one block, and within 5e-15 of
        40-digit mpmath on a sample (the large-array route has its own accuracy check here)."""
        from mesocorr.integrals import hln

        rng = np.random.default_rng(20261202)
        n = 2 * hln.BLOCK + 12345
        xs = 10.0 ** rng.uniform(-12, 6, n) if kind == "log-uniform" else np.abs(np.linspace(-600.0, 600.0, n))
        blocked = hln.hln_f_core(xs)
        monkeypatch.setattr(hln, "BLOCK", n)
        assert np.array_equal(blocked, hln.hln_f_core(xs))
        sample = rng.choice(n, 150, replace=False)
        ref = np.array([float(hln_mp(x, 1.0) * mpmath.pi) for x in xs[sample]])
        nonzero = ref != 0
        assert np.all(blocked[sample][~nonzero] == 0)
        assert np.max(np.abs(blocked[sample][nonzero] / ref[nonzero] - 1)) < 5e-15

    @settings(deadline=None, max_examples=40, derandomize=True)
    @given(log_x=st.floats(-12, 6), so_exp=st.floats(8, 14), mag_exp=st.floats(6, 11))
    def test_float64_matches_mpmath_hypothesis(self, log_x, so_exp, mag_exp):
        so, mag = 10.0**so_exp, 10.0**mag_exp
        B = 10.0**log_x * b_field(self.phi)
        f64 = mesocorr.magnetoconductance(B, D=D, so=so, mag=mag, phi=self.phi)
        mp = mesocorr.magnetoconductance(B, D=D, so=so, mag=mag, phi=self.phi, dps=30)
        # relative to the sum of the moduli of the channel terms (the channels may cancel)
        scale = float(sum(abs(hln_mp(B, b_field(ch["gap"]), dps=30)) * abs(ch["weight"])
                          for ch in mesocorr.wl.cooperon_channel_table(D, so=so, mag=mag, phi=self.phi)))
        assert abs(f64 - float(mp)) <= 1e-13 * scale

    def test_anisotropic_rates(self):
        """Component rates: each channel term checked against its own F with the documented gaps."""
        a, b = (1e11, 2e11, 3e11), (0.0, 0.0, 1e9)
        B = 0.003
        got = mesocorr.magnetoconductance(B, D=D, so=a, mag=b, phi=self.phi, dps=25)
        gaps = {"singlet": 2 * sum(b) + self.phi}
        for j, ax in enumerate("xyz"):
            gaps[f"t{ax}"] = 2 * sum(a[i] for i in range(3) if i != j) + 2 * b[j] + self.phi
        with mpmath.workdps(40):
            F = [(hln_mp(B, b_field(g), dps=40) * mpmath.pi) for g in gaps.values()]
            ref = (-F[0] / 2 + (F[1] + F[2] + F[3]) / 2) / mpmath.pi
        assert abs(got / ref - 1) < 1e-20


# ----------------------------------------------------------------------------- zero field
class TestZeroField:
    def test_2d_logarithm(self):
        tau, tau_phi = 1e-13, 3e-11
        got = mesocorr.wl_correction(dim=2, D=D, phi=1 / tau_phi, elastic_time=tau)
        assert got == pytest.approx(-math.log(1 + tau_phi / tau) / math.pi, rel=1e-14)
        # SI: -(e^2/(2 pi^2 hbar)) ln(tau_phi/tau) up to O(tau/tau_phi)
        assert got * G0 == pytest.approx(-SIGMA_WL * math.log(tau_phi / tau), rel=2 * tau / tau_phi)

    def test_2d_strong_spin_orbit_is_minus_half(self):
        tau, phi = 1e-13, 1e9
        wl = mesocorr.wl_correction(dim=2, D=D, phi=phi, elastic_time=tau)
        wal = mesocorr.wl_correction(dim=2, D=D, so=1e16, phi=phi, elastic_time=tau, dps=30)
        # triplet term: -(3/2)(1/π) ln(1 + 1/(Γ_t τ)) with Γ_t τ = 1333: small but exact
        gt = 4e16 / 3 + phi
        ref = (math.log1p(1 / (phi * tau)) / 2 - 1.5 * math.log1p(1 / (gt * tau))) / math.pi
        assert float(wal) == pytest.approx(ref, rel=1e-13)
        assert float(wal) > 0 > wl
        # triplets frozen out (Gamma_t tau ~ 1e17): only the singlet, weight -1/2 of the spin-degenerate result
        assert mesocorr.wl_correction(dim=2, D=D, so=1e30, phi=phi, elastic_time=tau) / wl == pytest.approx(-0.5, rel=1e-15)

    def test_mean_free_path_and_film(self):
        tau, phi = 1e-13, 1e10
        l_e = math.sqrt(2 * D * tau)  # l = v_F tau, D = v_F^2 tau / 2
        a = mesocorr.wl_correction(dim=2, D=D, phi=phi, elastic_time=tau)
        assert mesocorr.wl_correction(dim=2, D=D, phi=phi, mean_free_path=l_e) == pytest.approx(a, rel=1e-13)
        assert mesocorr.wl_correction(dim=2, D=D, phi=phi, elastic_time=tau, thickness=1e-8) == pytest.approx(a / 1e-8)

    def test_1d_and_3d_against_quadrature(self):
        tau, phi, so = 1e-13, 1e10, 2e11
        chans = mesocorr.wl.cooperon_channel_table(D, so=so, phi=phi)
        qmax = 1 / math.sqrt(D * tau)
        with mpmath.workdps(30):
            for dim, meas in ((1, lambda q: 2 / (2 * mpmath.pi)), (3, lambda q: 4 * mpmath.pi * q**2 / (2 * mpmath.pi) ** 3)):
                integral = sum(ch["weight"] * mpmath.quad(lambda q, m=meas, g=ch["gap"]: m(q) / (D * q**2 + g),
                                                          [0, qmax]) for ch in chans)
                # δσ = -(s e^2 D/(π ħ)) Σ w ∫ ; in e^2/h = e^2/(2πħ): -2 s D Σ w ∫
                ref = -2 * 2 * D * integral
                got = mesocorr.wl_correction(dim=dim, D=D, so=so, phi=phi, elastic_time=tau)
                assert got == pytest.approx(float(ref), rel=1e-12)

    def test_1d_long_wire_limit(self):
        """tau -> 0: delta sigma_1D = -(e^2/(pi hbar)) L_phi = -2 L_phi e^2/h (AA81, BvH88)."""
        phi = 1e10
        got = mesocorr.wl_correction(dim=1, D=D, phi=phi, elastic_time=1e-22)
        assert got == pytest.approx(-2 * math.sqrt(D / phi), rel=1e-6)
        area = 1e-15
        assert mesocorr.wl_correction(dim=1, D=D, phi=phi, elastic_time=1e-22, cross_section=area) == \
            pytest.approx(got / area)

    def test_2d_large_gap_no_cancellation(self):
        """Gamma tau = 1e6: -(1/pi) ln(1 + 1/(Gamma tau)) to full precision (log1p, not log(1 + y))."""
        tau, phi = 1e-13, 1e19
        got = mesocorr.wl_correction(dim=2, D=D, phi=phi, elastic_time=tau)
        with mpmath.workdps(40):
            ref = -mpmath.log(1 + 1 / (mpmath.mpf(phi) * mpmath.mpf(tau))) / mpmath.pi
        assert got == pytest.approx(float(ref), rel=1e-14)

    def test_3d_gapless_against_integral(self):
        """No dephasing in 3D: -(s e^2 D/(pi hbar)) int_0^qmax 4 pi q^2 dq/(2 pi)^3 /(D q^2)
        = -(e^2/h) 2 qmax/pi^2 (s = 2, qmax = 1/sqrt(D tau)): IR-finite."""
        tau = 1e-13
        ref = -2 / (math.pi**2 * math.sqrt(D * tau))
        assert mesocorr.wl_correction(dim=3, D=D, elastic_time=tau) == pytest.approx(ref, rel=1e-14)
        got = mesocorr.wl_correction(dim=3, D=D, elastic_time=tau, dps=30)
        with mpmath.workdps(40):
            ref_mp = -2 / (mpmath.pi**2 * mpmath.sqrt(mpmath.mpf(D) * mpmath.mpf(tau)))
        assert abs(got / ref_mp - 1) < 1e-28

    def test_dps_agrees(self):
        for dim in (1, 2, 3):
            f = mesocorr.wl_correction(dim=dim, D=D, so=1e11, mag=1e9, phi=1e10, elastic_time=1e-13)
            m = mesocorr.wl_correction(dim=dim, D=D, so=1e11, mag=1e9, phi=1e10, elastic_time=1e-13, dps=30)
            assert f == pytest.approx(float(m), rel=1e-13)


# ----------------------------------------------------------------------------- finite wire
class TestFiniteWire:
    @pytest.mark.parametrize("spinless,limit", [(True, -1 / 3), (False, -2 / 3)])
    def test_no_dephasing_limit(self, spinless, limit):
        assert mesocorr.wl.wire_wl_conductance(math.inf, spinless=spinless) == limit
        assert mesocorr.wl.wire_wl_conductance(1e8, spinless=spinless) == pytest.approx(limit, rel=1e-15)

    def test_beenakker_van_houten_form(self):
        """BvH 1988 (and Altshuler-Aronov 1981): dG = -(2e^2/h)(L_phi/L)[coth(L/L_phi) - L_phi/L]."""
        for L_phi in (0.01, 0.3, 1.0, 4.0):
            with mpmath.workdps(40):
                lp = mpmath.mpf(L_phi)
                ref = -2 * lp * (mpmath.coth(1 / lp) - lp)
            assert mesocorr.wl.wire_wl_conductance(L_phi) == pytest.approx(float(ref), rel=1e-14)
            assert abs(mesocorr.wl.wire_wl_conductance(L_phi, dps=30) / ref - 1) < 1e-28

    def test_mode_sum_with_spin(self):
        """Direct Dirichlet mode sum dG = -2 s sum_c w_c sum_n 1/(n^2 pi^2 + Gamma_c), s = 2."""
        so, mag, L_phi = 7.0, 0.5, 0.8
        got = mesocorr.wl.wire_wl_conductance(L_phi, so=so, mag=mag, dps=25)
        with mpmath.workdps(30):
            phi = 1 / mpmath.mpf(L_phi) ** 2
            gaps = [(-0.5, 2 * mag + phi)] + [(0.5, mpmath.mpf(4) / 3 * so + mpmath.mpf(2) / 3 * mag + phi)] * 3
            ref = -4 * sum(w * mpmath.nsum(lambda n, g=g: 1 / (n**2 * mpmath.pi**2 + g), [1, mpmath.inf])
                           for w, g in gaps)
        assert abs(got / ref - 1) < 1e-20

    def test_strong_spin_orbit_antilocalization(self):
        assert mesocorr.wl.wire_wl_conductance(1e9, so=1e12) == pytest.approx(1 / 3, rel=1e-5)

    def test_errors(self):
        with pytest.raises(ValueError, match="^spinless"):
            mesocorr.wl.wire_wl_conductance(1.0, so=1.0, spinless=True)
        with pytest.raises(ValueError, match="^L_phi"):
            mesocorr.wl.wire_wl_conductance(-1.0)


class TestFiniteBoxes:
    def test_thin_film_is_cut_wire(self):
        """Film (1, W) with pi/W above the cutoff keeps only the uniform transverse mode: the wire sum
        cut at n <= N equals the coth closed form minus the nsum tail (independent route)."""
        l_e, L_phi = 0.02, 0.3
        got = mesocorr.sample_wl_conductance((1, 1e-3), L_phi, mean_free_path=l_e)
        nmax = math.floor(math.sqrt(2) / l_e / math.pi)
        with mpmath.workdps(30):
            a2 = 1 / mpmath.mpf(L_phi) ** 2
            tail = mpmath.nsum(lambda n: 1 / (n**2 * mpmath.pi**2 + a2), [nmax + 1, mpmath.inf])
            lp = mpmath.mpf(L_phi)
            closed = -2 * lp * (mpmath.coth(1 / lp) - lp)  # BvH 1988, the uncut wire
            ref = closed + 4 * tail  # dG = -2 s Σ ... with s = 2, weight 1
        assert got == pytest.approx(float(ref), rel=1e-12)

    def test_wire_without_cutoff_is_closed_form(self):
        assert mesocorr.sample_wl_conductance((1,), 0.5) == mesocorr.wire_wl_conductance(0.5)
        with mpmath.workdps(30):  # BvH 1988: -(2e^2/h)(L_phi/L)[coth(L/L_phi) - L_phi/L]
            ref = -2 * mpmath.mpf(0.5) * (mpmath.coth(2) - mpmath.mpf(0.5))
        assert mesocorr.sample_wl_conductance((1,), 0.5) == pytest.approx(float(ref), rel=1e-14)

    def test_wide_film_approaches_sheet_result(self):
        """L_phi << L, W: dG -> W x (2D per-square correction) up to edge terms O(L_phi/L, L_phi/W)."""
        W, l_e = 3.0, 0.002
        rel = []
        for L_phi in (0.08, 0.04):
            film = mesocorr.sample_wl_conductance((1, W), L_phi, mean_free_path=l_e)
            sheet = mesocorr.wl_correction(dim=2, D=1.0, phi=1 / L_phi**2, elastic_time=l_e**2 / 2)
            rel.append(abs(film / (W * sheet) - 1))
        assert rel[1] < rel[0] < 0.05

    def test_too_many_modes(self):
        with pytest.raises(ValueError, match="^mean_free_path"):
            mesocorr.sample_wl_conductance((1, 1, 1), 0.1, mean_free_path=1e-4)
        with pytest.raises(TypeError, match="^mean_free_path"):
            mesocorr.sample_wl_conductance((1, 2), 0.1)


# ----------------------------------------------------------------------------- 3D and quasi-1D fields
class TestKawabataAndWire:
    @pytest.mark.parametrize("dim", [1, 3])
    def test_long_field_arrays_in_blocks(self, dim, monkeypatch):
        """d = 1, 3 on more fields than one block: the same bits as the whole array at once, and within 1e-13 of
        the 30-digit mpmath path on a sample (relative to the largest |value|: Delta sigma crosses zero)."""
        from mesocorr.integrals import hln

        n = 2 * hln.BLOCK + 777
        fields = np.linspace(-1.0, 1.0, n)
        kw = dict(dim=dim, D=D, so=4e11, phi=1e10, **({"width": 1e-8} if dim == 1 else {}))
        blocked = mesocorr.magnetoconductance(fields, **kw)
        monkeypatch.setattr(hln, "BLOCK", n)
        assert np.array_equal(blocked, mesocorr.magnetoconductance(fields, **kw))
        sample = np.arange(0, n, n // 23)
        ref = np.array([float(mesocorr.magnetoconductance(float(b), dps=30, **kw)) for b in fields[sample]])
        assert np.max(np.abs(blocked[sample] - ref)) <= 1e-13 * np.max(np.abs(ref))

    def test_kawabata_known_values(self):
        """Kawabata 1980: f3(0) = (sqrt2 - 1)|zeta(1/2)| = 0.6049; f3(delta) -> delta^(-3/2)/48."""
        from mesocorr.integrals.kawabata import kawabata_f3, kawabata_f3_mp

        with mpmath.workdps(30):
            f0 = (mpmath.sqrt(2) - 1) * abs(mpmath.zeta(0.5))
        assert float(kawabata_f3(0.0)) == pytest.approx(float(f0), rel=1e-15)
        assert round(float(f0), 4) == 0.6049
        assert float(kawabata_f3(1e8)) == pytest.approx(1e-12 / 48, rel=1e-7)
        # the defining sum (Kawabata) summed by mpmath.nsum with Levin acceleration
        with mpmath.workdps(30):
            for d in (mpmath.mpf("0.5"), mpmath.mpf(3)):
                direct = mpmath.nsum(lambda n, d=d: 2 * (mpmath.sqrt(n + 1 + d) - mpmath.sqrt(n + d))
                                     - 1 / mpmath.sqrt(n + mpmath.mpf(1) / 2 + d), [0, mpmath.inf],
                                     method="levin")
                assert abs(kawabata_f3_mp(d, 25) / direct - 1) < 1e-15

    def test_kawabata_float_vs_mp(self):
        from mesocorr.integrals.kawabata import kawabata_f3, kawabata_f3_mp

        ds = np.concatenate([[0.0], np.geomspace(1e-8, 1e12, 300)])
        ref = np.array([float(kawabata_f3_mp(d, 30)) for d in ds])
        assert np.max(np.abs(kawabata_f3(ds) / ref - 1)) < 1e-14

    def test_kawabata_array_branches_vs_mp(self):
        """The array kernel's branches (all below 9.5, all above, mixed, with inf) against 30-digit mpmath, and the
        3D array call (a gapless channel at B = 0 and B > 0, fields from 1e-300 T to 1e30 T) against its dps= path."""
        from mesocorr.integrals.kawabata import kawabata_f3, kawabata_f3_mp

        rng = np.random.default_rng(7)
        small = np.concatenate([[0.0, 5e-324, 1e-300, 1e-8, 9.4999], 10 ** rng.uniform(-12, 0.97, 60)])
        big = np.concatenate([[9.5, 9.5001, 1e8, 1e200, 1.7e308], 10 ** rng.uniform(0.98, 30, 60)])
        for ds in (small, big, np.concatenate([small, big, [np.inf]]), np.concatenate([big, [np.inf]])):
            ref = [float(kawabata_f3_mp(d, 30)) if np.isfinite(d) else 0.0 for d in ds]
            got = kawabata_f3(ds)
            assert all(abs(g - r) <= 2e-15 * abs(r) for g, r in zip(got, ref))
        B = np.array([0.0, 1e-300, 1e-12, 1e-3, 0.5, -2.0, 1e30])
        for kw in (dict(), dict(so=3e11, phi=2e10), dict(so=(1e11, 0, 4e11), mag=1e9), dict(phi=1e-290, mag=1e300)):
            f64 = mesocorr.magnetoconductance(B, dim=3, D=D, **kw)
            mp = [float(m) for m in mesocorr.magnetoconductance(B, dim=3, D=D, dps=30, **kw)]
            assert all(abs(g - r) <= 4e-15 * abs(r) for g, r in zip(f64, mp))

    def test_3d_magnetoconductance_strong_field(self):
        """B >> B_phi: Delta sigma = (e^2/(2 pi^2 hbar)) sqrt(eB/hbar) f3(0) (Kawabata 1980), spin-degenerate."""
        B = 5.0
        got = mesocorr.magnetoconductance(B, dim=3, D=D, phi=1.0, dps=25)
        with mpmath.workdps(30):
            delta = mp_field(1.0) / B
            # f3(delta) = f3(0) - 2 sqrt(delta) + O(delta) (Kawabata's small-delta expansion)
            f3 = (mpmath.sqrt(2) - 1) * abs(mpmath.zeta(0.5)) - 2 * mpmath.sqrt(delta)
            ref = f3 * mpmath.sqrt(mp_const("e") * B / mp_const("hbar")) / mpmath.pi
        assert abs(got / ref - 1) < 1e-13
        f64 = mesocorr.magnetoconductance([B, 1e-3, 1e-9], dim=3, D=D, so=2e11, phi=1e10)
        mp = mesocorr.magnetoconductance([B, 1e-3, 1e-9], dim=3, D=D, so=2e11, phi=1e10, dps=30)
        np.testing.assert_allclose(f64, [float(m) for m in mp], rtol=1e-13)

    def test_3d_gapless_is_finite(self):
        assert mesocorr.magnetoconductance(1.0, dim=3, D=D) > 0
        # B_c = 0: Delta sigma = (e^2/(2 pi^2 hbar)) sqrt(eB/hbar) f3(0), f3(0) = (sqrt2 - 1)|zeta(1/2)| (Kawabata 1980)
        with mpmath.workdps(30):
            ref = (mpmath.sqrt(2) - 1) * abs(mpmath.zeta(0.5)) * mpmath.sqrt(mp_const("e") / mp_const("hbar")) / mpmath.pi
        assert mesocorr.magnetoconductance(1.0, dim=3, D=D) == pytest.approx(float(ref), rel=1e-14)
        assert abs(mesocorr.magnetoconductance(1.0, dim=3, D=D, dps=25) / ref - 1) < 1e-23

    def test_quasi1d(self):
        W, phi, B = 1e-7, 1e10, 0.05
        rate_b = D * E_CHARGE**2 * W**2 * B**2 / (3 * HBAR**2)
        ref = 2 * (math.sqrt(D / phi) - math.sqrt(D / (phi + rate_b)))  # s Σ w (L_c - L_c(B))
        assert mesocorr.magnetoconductance(B, dim=1, D=D, phi=phi, width=W) == pytest.approx(ref, rel=1e-13)
        tiny = mesocorr.magnetoconductance(1e-9, dim=1, D=D, phi=phi, width=W)
        rate_tiny = D * E_CHARGE**2 * W**2 * 1e-18 / (3 * HBAR**2)
        assert tiny == pytest.approx(2 * math.sqrt(D / phi) * rate_tiny / (2 * phi), rel=1e-12)
        tiny_mp = mesocorr.magnetoconductance(1e-9, dim=1, D=D, phi=phi, width=W, dps=30)
        with mpmath.workdps(60):  # direct difference of lengths at 60 digits (cancels ~20 digits)
            rb = dec(D) * mp_const("e") ** 2 * dec(W) ** 2 * dec(1e-9) ** 2 / (3 * mp_const("hbar") ** 2)
            ref = 2 * (mpmath.sqrt(dec(D) / dec(phi)) - mpmath.sqrt(dec(D) / (phi + rb)))
        assert abs(tiny_mp / ref - 1) < 1e-25


# ----------------------------------------------------------------------------- errors
class TestErrors:
    def test_zero_gap(self):
        with pytest.raises(ValueError, match="^phi: .*gapless"):
            mesocorr.magnetoconductance(0.1, D=D)
        with pytest.raises(ValueError, match="^phi: .*gapless"):
            mesocorr.wl_correction(dim=2, D=D, elastic_time=1e-13)
        # magnetic scattering gaps the singlet, but with SO the triplets need phi or mag
        assert mesocorr.magnetoconductance(0.1, D=D, mag=1e10) > 0

    @pytest.mark.parametrize("kwargs,exc,start", [
        ({"B": float("nan")}, ValueError, "B"),
        ({"B": "0.1"}, TypeError, "B"),
        ({"dim": 4}, ValueError, "dim"),
        ({"D": -1.0}, ValueError, "D"),
        ({"so": (1.0, 2.0)}, ValueError, "so"),
        ({"mag": -1.0}, ValueError, "mag"),
        ({"dim": 1}, TypeError, "width"),
        ({"width": 1e-7}, ValueError, "width"),
        ({"dps": 0}, ValueError, "dps"),
    ])
    def test_bad_args(self, kwargs, exc, start):
        args = {"B": 0.1, "D": D, "phi": 1e10} | kwargs
        with pytest.raises(exc, match=f"^{start}"):
            mesocorr.magnetoconductance(**args)

    def test_wl_correction_args(self):
        with pytest.raises(TypeError, match="^elastic_time"):
            mesocorr.wl_correction(dim=2, D=D, phi=1e10)
        with pytest.raises(ValueError, match="^thickness"):
            mesocorr.wl_correction(dim=3, D=D, phi=1e10, elastic_time=1e-13, thickness=1e-8)


# ----------------------------------------------------------------------------- CLI
class TestCli:
    def test_mc_json(self, capsys):
        rc = main(["mc", "--dim", "2", "--D", "0.01", "--so", "4e11", "--mag", "0", "--phi", "1e10",
                   "--B", "0.001,0.01,0.1", "--json"])
        assert rc == 0
        out = json.loads(capsys.readouterr().out)
        assert set(out) >= {"B", "delta_sigma", "unit", "channels"} and out["unit"] == "e^2/h"
        for B, ds in zip(out["B"], out["delta_sigma"]):
            assert ds == pytest.approx(float(hln_mp(B, b_field(1e10), b_field(4e11))), rel=1e-14)

    def test_mc_negative_leading_field(self, capsys):
        assert main(["mc", "--D", "0.01", "--phi", "1e10", "--B=-0.03,0.03", "--json"]) == 0
        ds = json.loads(capsys.readouterr().out)["delta_sigma"]
        assert ds[0] == ds[1] > 0

    def test_wl_json(self, capsys):
        assert main(["wl", "--shape", "1", "--L-phi", "1e9", "--spinless", "--json"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert out["unit"] == "e^2/h" and out["delta_G"] == pytest.approx(-1 / 3, rel=1e-12)

    @pytest.mark.parametrize("argv", [
        ["mc", "--D", "0.01", "--B", "0.1"],                       # gapless singlet
        ["mc", "--D", "0.01", "--phi", "1e10", "--B", "x"],
        ["mc", "--D", "0.01", "--phi", "1e10", "--B", "0.1", "--dim", "1"],   # no width
        ["wl", "--shape", "1", "--L-phi", "0"],
        ["wl", "--shape", "1,0.5", "--L-phi", "1"],
        ["wl", "--shape", "2", "--L-phi", "1"],                    # lengths in units of L: first is 1
        ["wl", "--shape", "1", "--L-phi", "1", "--so", "2", "--spinless"],
    ])
    def test_exit_2(self, argv, capsys):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.startswith("error:") and "Traceback" not in err
