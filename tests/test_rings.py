"""AAS oscillations of cylinders and rings, and the flux harmonics of a ring between leads (mesocorr.rings).

Independent routes: direct sums over the angular modes (no Poisson step), mpmath K_0 series, the
Gradshteyn-Ryzhik small-x expansion of sum K_0(nx), the wire formulas of mesocorr.wl, and a finite-difference
diffusion operator on the ring graph (tests/ring_graph.py) with Richardson extrapolation; thermal averages also
through the time-domain kernels of mesocorr.integrals.epstein.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mesocorr
from mesocorr.cli import main
from mesocorr.integrals import rings as R
from mesocorr.rings import aas_oscillation, ab_harmonics, ring_channels

import ring_graph

X_VALUES = (0.05, 0.7, 1.0, 3.0, 12.0)
PHASES = (0.0, 0.13, 0.25, 0.5)


# ------------------------------------------------------------------ winding sums: closed form vs mode sums
@pytest.mark.parametrize("x", X_VALUES)
@pytest.mark.parametrize("varphi", PHASES)
def test_winding_sums_equal_direct_mode_sums(x, varphi):
    """Poisson: sum_m g_d(m + phi) - int g_d = (1/x) S_1, (2/pi) S_2, -2 S_3 (direct sums with Euler-Maclaurin
    tails, 30 digits)."""
    th = 2 * math.pi * varphi
    s1, e1 = R.winding_sum(1, x, th)
    s2, e2 = R.winding_sum(2, x, th)
    s3, e3 = R.winding_sum(3, x, th)
    scale = 1 / x + 1
    assert abs(float(R.direct_mode_sum(1, x, varphi)) - s1 / x) < 2e-14 * scale
    assert abs(float(R.direct_mode_sum(2, x, varphi)) - 2 / math.pi * s2) < 2e-14 * scale
    assert abs(float(R.direct_mode_sum(3, x, varphi)) + 2 * s3) < 2e-14 * scale
    assert e2 < 1e-12 * scale


@pytest.mark.parametrize("x", (0.02, 1.0, 12.0))
def test_k0_winding_sum_float_and_mpmath_routes(x):
    """S_2 = sum_n K_0(n x) cos(n theta): float64 path (K_0 series for x >= 1, u integral below) vs the mpmath
    path (Gauss-Legendre u integral at 25 digits); at x = 12 the mpmath path also against the explicit K_0 series."""
    for th in (0.9,):
        val, err = R.winding_sum(2, x, th)
        mp_val, mp_err = R.winding_sum_mp(2, x, th, 25)
        assert abs(val - float(mp_val)) <= 5e-15 * (abs(float(mp_val)) + 1 / x)
        assert abs(val - float(mp_val)) <= max(err, 1e-16) * 50
        assert mp_err < 1e-25 * abs(mp_val)
    if x == 12.0:
        with mpmath.workdps(30):
            series = mpmath.fsum(mpmath.besselk(0, n * x) * mpmath.cos(n * th) for n in range(1, 7))
            assert abs(mp_val - series) < mpmath.mpf(10) ** -25 * abs(series)


def _s2_tanh_sinh(x, th, dps):
    """The previous route of winding_sum_mp: tanh-sinh on [0, inf) of the expm1 form of S_1(x cosh u)."""
    with mpmath.workdps(dps + 15):
        s2 = mpmath.sin(mpmath.mpf(th) / 2) ** 2

        def s1(k):
            ek, em = mpmath.exp(-k), mpmath.expm1(-k)
            return ek * (-em - 2 * s2) / (em**2 + 4 * ek * s2)

        umax = mpmath.acosh((dps + 20) * mpmath.log(10) / x + 1)  # e^{-x cosh u} < 10^{-dps-20} beyond
        return mpmath.quad(lambda u: s1(x * mpmath.cosh(u)), mpmath.linspace(0, umax, int(umax) + 2))


@pytest.mark.parametrize("x, th", [("1e-4", "0"), ("0.01", "1.1"), ("0.5", "2.9"), ("1.3", "2.3247785636564449"),
                                   ("7", "0.3")])
def test_k0_winding_sum_mp_against_independent_routes(x, th):
    """winding_sum_mp (Gauss-Legendre, sinh form of S_1) at 40 digits = tanh-sinh of the expm1 form of S_1 (the
    previous algorithm) and, for x >= 1, the explicit K_0 series (mpmath besselk)."""
    with mpmath.workdps(60):
        xm, tm = mpmath.mpf(x), mpmath.mpf(th)
        val, err = R.winding_sum_mp(2, xm, tm, 40)
        assert err < mpmath.mpf(10) ** -40 * abs(val)
        assert abs(val - _s2_tanh_sinh(xm, tm, 40)) < mpmath.mpf(10) ** -40 * abs(val)
        if xm >= 1:
            with mpmath.workdps(45):  # K_0(k x) < 10^{-50} for k x > 120
                series = mpmath.fsum(mpmath.besselk(0, k * xm) * mpmath.cos(k * tm) for k in range(1, int(120 / xm) + 2))
            assert abs(val - series) < mpmath.mpf(10) ** -40 * abs(val)


def test_k0_sum_small_x_expansion():
    """Gradshteyn-Ryzhik 8.526.1 at t = 0: sum K_0(nx) = pi/(2x) + (gamma + ln(x/4pi))/2 + O(x^2)."""
    for x in (1e-3, 1e-4):
        val, _ = R.winding_sum(2, x, 0.0)
        expected = math.pi / (2 * x) + 0.5 * (np.euler_gamma + math.log(x / (4 * math.pi)))
        assert abs(val - expected) < 1e-5 * x


def test_cylinder_result_is_the_mode_sum():
    """The public cylinder delta sigma (spin-degenerate, no spin scattering: weights sum to 1) equals
    -s (sum_m - int) of the angular modes with the Cooperon flux 2 Phi/Phi0."""
    r = aas_oscillation([0.0, 0.07, 0.25], geometry="cylinder", L_phi=0.8)
    x = 1 / 0.8
    for ph, val in zip(r.flux, r.delta_sigma):
        assert val == pytest.approx(-2 * float(R.direct_mode_sum(2, x, 2 * ph)), rel=1e-13, abs=1e-15)


def test_ring_total_and_closed_form():
    """Thin ring: delta sigma_1D / L = -2 s w sum_m 1/(q_m^2 + x^2) = -s (1/x) sinh x/(cosh x - cos theta)."""
    Lp = 0.6
    r = aas_oscillation([0.0, 0.1, 0.3], geometry="ring", L_phi=Lp)
    x = 1 / Lp
    for ph, osc, dG in zip(r.flux, r.delta_sigma, r.delta_G):
        total = osc + r.uniform
        direct = -4 * (float(R.direct_mode_sum(1, x, 2 * ph)) + 1 / (2 * x))
        closed = -2 / x * math.sinh(x) / (math.cosh(x) - math.cos(4 * math.pi * ph))
        assert total == pytest.approx(direct, rel=1e-13)
        assert total == pytest.approx(closed, rel=1e-13)
        assert dG == pytest.approx(4 * total, rel=1e-15)
    assert r.uniform == pytest.approx(-2 * Lp, rel=1e-15)          # n = 0: the infinite wire, -s L_phi


def test_thick_wall_closed_form():
    """3D wall: delta sigma L = -(s/pi) sum e^{-nx} cos(n theta)/n = (s/2pi) (sum_m ln - int)."""
    r = aas_oscillation([0.0, 0.2], geometry="thick", L_phi=0.4)
    x = 2.5
    for ph, val in zip(r.flux, r.delta_sigma):
        with mpmath.workdps(30):
            series = mpmath.nsum(lambda n, ph=ph: mpmath.exp(-n * x) * mpmath.cos(4 * mpmath.pi * n * ph) / n,
                                 [1, mpmath.inf])
        assert val == pytest.approx(-2 / math.pi * float(series), rel=1e-13)
        assert val == pytest.approx(2 / (2 * math.pi) * float(R.direct_mode_sum(3, x, 2 * ph)), rel=1e-12)


def test_harmonics_closed_forms_and_period():
    r = aas_oscillation(0.0, geometry="cylinder", L_phi=0.5, n_harmonics=3)
    from scipy.special import k0

    for h in r.harmonics:
        assert h["period"] == 1 / (2 * h["n"])                       # h/2e, h/4e, ...
        assert h["amplitude"] == pytest.approx(-4 / math.pi * k0(2.0 * h["n"]), rel=1e-14)
    # the harmonics resum to the signal
    flux = np.linspace(0, 0.5, 7)
    rr = aas_oscillation(flux, geometry="ring", L_phi=0.3, n_harmonics=60)
    resum = sum(h["amplitude"] * np.cos(4 * np.pi * h["n"] * flux) for h in rr.harmonics)
    assert np.allclose(rr.delta_sigma, resum, rtol=1e-13, atol=1e-16)


def test_quasi_1d_limit_of_the_cylinder():
    """L << L_phi at zero flux: delta sigma (per square) times the circumference -> -s L_phi, the wire value
    (Altshuler & Aronov 1981), up to the logarithmic winding correction."""
    r = aas_oscillation(0.0, geometry="cylinder", L_phi=1e4)
    assert r.delta_sigma[0] / 1e4 == pytest.approx(-2.0, rel=1e-3)


# ------------------------------------------------------------------ antilocalization
def test_antilocalization_reverses_the_h2e_sign():
    """Strong spin-orbit: only the singlet (w = -1/2) survives, so every winding amplitude is -1/2 of the
    spin-degenerate one: the h/2e oscillation flips phase (Mg vs Li cylinders, Sharvin & Sharvin 1981;
    Altshuler, Aronov, Spivak, Sharvin & Sharvin 1982)."""
    for geometry in ("cylinder", "ring", "thick"):
        wl = aas_oscillation(0.0, geometry=geometry, L_phi=0.7)
        wal = aas_oscillation(0.0, geometry=geometry, L_phi=0.7, so=1e8)
        for a, b in zip(wl.harmonics, wal.harmonics):
            assert a["amplitude"] < 0 < b["amplitude"]
            assert b["amplitude"] / a["amplitude"] == pytest.approx(-0.5, rel=1e-3)
    assert aas_oscillation(0.0, L_phi=0.7).delta_sigma[0] < 0 < aas_oscillation(0.0, L_phi=0.7, so=1e8).delta_sigma[0]
    # strong magnetic scattering kills both
    mag = aas_oscillation(0.0, L_phi=0.7, mag=1e4)
    assert abs(mag.harmonics[0]["amplitude"]) < 1e-30


def test_wall_field_rate_in_si():
    """Thin wall (thickness t) in the axial field B = Phi/(pi R^2): rate D e^2 t^2 B^2/(3 hbar^2)
    (Altshuler & Aronov 1981), i.e. (64 pi^4/3)(t/L)^2 (Phi/Phi0)^2 D/L^2 for Phi0 = h/e."""
    from mesocorr.rings import _wall_rate_coefficient
    from mesocorr.units import E_CHARGE, HBAR, PHI0

    D, L, t, phi = 0.01, 3e-6, 5e-8, 0.8
    R_cyl = L / (2 * math.pi)
    B = phi * PHI0 / (math.pi * R_cyl**2)
    rate_si = D * E_CHARGE**2 * t**2 * B**2 / (3 * HBAR**2)
    assert _wall_rate_coefficient() * (t / L) ** 2 * phi**2 * D / L**2 == pytest.approx(rate_si, rel=1e-13)
    # the run-time coefficient (stored field rate 1/3 times geometry) is the SymPy derivation's
    import sympy as sp

    from mesocorr.symbolic.rings import SYMBOLS as S
    from mesocorr.symbolic.rings import wall_field_rate

    derived = sp.simplify(wall_field_rate() / ((S["t"] / S["L"]) ** 2 * (S["Phi"] / S["Phi_0"]) ** 2))
    assert derived == 64 * sp.pi**4 / 3 and _wall_rate_coefficient() == pytest.approx(float(derived), rel=1e-15)
    r0 = aas_oscillation([0.0, 0.25, 0.5], L_phi=1.0)
    r1 = aas_oscillation([0.0, 0.25, 0.5], L_phi=1.0, thickness=0.02)
    assert r1.delta_sigma[0] == r0.delta_sigma[0] and r1.harmonics is None
    assert abs(r1.delta_sigma[2]) < abs(r0.delta_sigma[2])        # the wall field damps the oscillation


def test_dps_path_agrees():
    r = aas_oscillation([0.17], geometry="cylinder", L_phi=2.0, so=3.0, dps=20)
    f = aas_oscillation([0.17], geometry="cylinder", L_phi=2.0, so=3.0)
    for a, b in zip(r.delta_sigma, f.delta_sigma):
        assert float(a) == pytest.approx(b, rel=1e-13)
    assert all(e < mpmath.mpf(10) ** -19 for e in r.error)


# ------------------------------------------------------------------ seam
def test_ring_channels_from_the_engine_equal_the_channel_list():
    assert ring_channels("wl") == [(0.0, 1.0)]
    for so, mag in ((3.0, 0.6), ((0.3, 1.1, 2.0), (0.25, 0.0, 0.7)), (0.0, (0.0, 0.0, 0.9))):
        chans = ring_channels("wl", so=so, mag=mag)      # engine: eigenvalues of the spin-1/2 gap operator
        table = mesocorr.cooperon_channel_table(so=so, mag=mag)   # the stored linear forms, merged
        assert len(chans) == len(table)
        for (g, w), row in zip(chans, table):
            assert g == pytest.approx(row["gap"], rel=1e-14, abs=1e-15) and w == pytest.approx(row["weight"], 1e-14)
    diff = ring_channels("diffuson", so=3.0, mag=0.6)
    assert [g for g, _ in diff] == pytest.approx([0.0, 4.8, 4.8, 4.8]) and all(w == 1.0 for _, w in diff)
    assert ring_channels("cooperon", spinless=True) == [(0.0, 1.0)]
    # the stored linear forms equal the SymPy channels of the UCF diagrams (mesocorr.diagrams.ucf.channel_content)
    from mesocorr.diagrams.ucf import channel_content

    so, mag = (0.3, 1.1, 2.0), (0.25, 0.0, 0.7)
    for kind in ("diffuson", "cooperon"):
        ref = [float(g) for k, _, g in channel_content(so=list(so), mag=list(mag)) if k == kind]
        assert [g for g, _ in ring_channels(kind, so=so, mag=mag)] == pytest.approx(ref, rel=1e-15)


# ------------------------------------------------------------------ ring between leads
def _fd_richardson(lead, func, n=32):
    a = ring_graph.flux_harmonics(lead, func, 1 / 40, n)
    b = ring_graph.flux_harmonics(lead, func, 1 / 80, n)
    return (4 * b - a) / 3


@pytest.fixture(scope="module")
def fd_reference():
    lead, gap = 0.25, 0.8
    trace = _fd_richardson(lead, lambda lam: 1 / (lam + gap))
    ucf = _fd_richardson(lead, lambda lam: 6 / (lam + gap) ** 2)
    trace0 = _fd_richardson(lead, lambda lam: 1 / lam)
    ucf0 = _fd_richardson(lead, lambda lam: 6 / lam**2)
    return lead, gap, trace, ucf, trace0, ucf0


def test_trace_harmonics_against_finite_differences(fd_reference):
    lead, gap, trace, ucf, trace0, ucf0 = fd_reference
    F = R.ring_trace_harmonics(np.array([gap + 0j]), lead, 3)[:, 0].real
    assert F == pytest.approx(trace[:4], rel=2e-7)
    F0 = R.ring_trace_harmonics(np.array([0j]), lead, 3)[:, 0].real      # L_phi = inf: leads give the escape
    assert F0 == pytest.approx(trace0[:4], rel=2e-7)


def test_ucf_harmonics_against_finite_differences(fd_reference):
    lead, gap, trace, ucf, trace0, ucf0 = fd_reference
    val, err = R.ucf_harmonics(gap, lead, 3)
    assert val == pytest.approx(ucf[1:4], rel=2e-7)
    assert np.all(err < 1e-13 * val)
    val0, _ = R.ucf_harmonics(0.0, lead, 3)
    assert val0 == pytest.approx(ucf0[1:4], rel=2e-7)


def test_flux_zero_splits_into_wire_and_arm():
    """theta = 0: the spectrum is that of a wire of length Lambda = 2 l + 1/2 plus the Dirichlet modes of one
    arm, so sum_n F_n(z) = Tr G_wire + Tr G_arm (SymPy identity in mesocorr.symbolic.rings; here numbers)."""
    for lead in (0.1, 0.5, 2.0):
        z = np.array([0.0, 0.3, 7.0, 400.0, 2 - 3j])
        F = R.ring_trace_harmonics(z, lead, 600)
        expected = R.dirichlet_trace(z.astype(complex), 2 * lead + 0.5) + R.dirichlet_trace(z.astype(complex), 0.5)
        assert np.allclose(F.sum(axis=0), expected, rtol=1e-13)


def test_mean_at_zero_flux_is_wire_plus_arm_wl():
    """<delta G>(Phi = 0) = delta G_wire(Lambda) + (a/Lambda)^2 delta G_wire(a) (mesocorr.wire_wl_conductance)."""
    lead, Lp = 0.5, 0.7
    r = ab_harmonics(Lp, lead_length=lead, n_harmonics=200)
    total = r.mean_uniform + sum(h["mean_amplitude"] for h in r.harmonics)
    Lam, a = 2 * lead + 0.5, 0.5
    expected = mesocorr.wire_wl_conductance(Lp / Lam) + (a / Lam) ** 2 * mesocorr.wire_wl_conductance(Lp / a)
    assert total == pytest.approx(expected, rel=1e-12)


def test_long_ring_asymptotics():
    """L >> L_phi (leads longer than L_phi): 2 d_k -> 6 k (L L_phi/Lambda^2)^2 4^-k (1 + L_phi/(k L)) e^{-k L/L_phi}
    per channel and the AAS harmonic -> -2 s w sum_c w_c 4^-n L L_c e^{-n L/L_c} (mesocorr.symbolic.rings.
    contacted_ring_asymptotics); the corrections are exponentially small."""
    lead = 0.5
    Lam = 2 * lead + 0.5
    for x in (20.0, 40.0):
        r = ab_harmonics(1 / x, lead_length=lead, spinless=True, n_harmonics=4)
        for h in r.harmonics:
            k = h["k"]
            law = 6 * k * (1 / x / Lam**2) ** 2 * 4.0**-k * (1 + 1 / (k * x)) * math.exp(-k * x)
            assert h["diffuson_variance"] == pytest.approx(law, rel=3e-8 if x == 20 else 1e-13)
            if k % 2 == 0:
                n = k // 2
                mean_law = -2 / Lam**2 * 4.0**-n / x * math.exp(-n * x)
                assert h["mean_amplitude"] == pytest.approx(mean_law, rel=1e-7 if x == 20 else 1e-13)
    # the rms therefore decays like exp(-L/2L_phi): the ratio of successive L/L_phi
    a, b = (ab_harmonics(1 / x, lead_length=lead).harmonics[0]["rms"] for x in (30.0, 31.0))
    assert b / a == pytest.approx(math.exp(-0.5) * (30 / 31) * math.sqrt((1 + 1 / 31) / (1 + 1 / 30)), rel=1e-10)


def test_short_ring_limit_is_finite_and_smooth():
    """L << L_phi: the leads cut the Diffuson off; the harmonics tend to their L_phi = inf values with an
    O((L/L_phi)^2) correction."""
    inf = ab_harmonics(math.inf, lead_length=0.25).harmonics
    near = ab_harmonics(1e3, lead_length=0.25).harmonics
    nearer = ab_harmonics(2e3, lead_length=0.25).harmonics
    for h0, h1, h2 in zip(inf, near, nearer):
        d1 = h1["diffuson_variance"] - h0["diffuson_variance"]
        d2 = h2["diffuson_variance"] - h0["diffuson_variance"]
        assert d1 < 0 and d1 / d2 == pytest.approx(4.0, rel=1e-3)
    assert inf[0]["rms"] > 0.3


def test_thermal_average_against_time_domain_route():
    """ucf_harmonics(T) (omega quadrature of the harmonics) vs the finite-difference spectrum with the
    time-domain kernels t K(t), int_0^t K of mesocorr.integrals.epstein."""
    from mesocorr.integrals.epstein import thermal_kernels

    lead, gap, T = 0.25, 0.8, 5.0
    s = np.linspace(-25, 6, 3000)
    t = np.exp(s)
    kr, kb = thermal_kernels(t, T)
    ker = (2 * kr + 4 * kb) * t * (s[1] - s[0])

    def func(lam):
        return (ker[:, None] * np.exp(-np.multiply.outer(t, lam + gap))).sum(axis=0)

    ref = _fd_richardson(lead, func, n=24)
    val, err = R.ucf_harmonics(gap, lead, 3, T=T)
    assert val == pytest.approx(ref[1:4], rel=1e-7)
    assert np.all(err < 1e-12 * val)


def test_thermal_limits():
    """T -> 0 continuity; L_T << L: 2 d_k -> (4 pi/3)(L_T/L)^2 w^2 F_k (box term with K(0) = 1/6T and
    int Im F(gamma - i w)/w dw = pi F(gamma)/2), i.e. rms proportional to L_T/L. The approach is faster than any
    power of L_T/L: every moment int w^(2m-1) Im F(gamma - i w) dw (m >= 1) vanishes (rotate the contour onto
    the real axis, F analytic and decaying in the right half plane), so only the poles of the thermal kernel
    (Matsubara frequencies) correct the limit."""
    lead, gap = 0.5, 1.0
    v0, _ = R.ucf_harmonics(gap, lead, 3)
    vt, _ = R.ucf_harmonics(gap, lead, 3, T=1e-4)
    assert vt == pytest.approx(v0, rel=1e-6)
    F = R.ring_trace_harmonics(np.array([gap + 0j]), lead, 3)[1:, 0].real
    dev = {T: np.abs(R.ucf_harmonics(gap, lead, 3, T=T)[0] / (2 * math.pi / (3 * T) * F) - 1)
           for T in (10.0, 30.0, 100.0, 1e3)}
    assert 1e-4 < dev[10.0][0] and dev[30.0][0] < 1e-4 and dev[100.0][0] < 1e-8 and np.all(dev[1e3] < 1e-14)
    # beyond all orders: ln(dev) falls linearly in L/L_T = sqrt(T), not in ln T; steeper for higher harmonics
    slope = [(math.log(dev[30.0][k]) - math.log(dev[10.0][k])) / (math.sqrt(30) - math.sqrt(10)) for k in (0, 1)]
    assert slope[0] < -1.5 and slope[1] < 1.8 * slope[0]
    r1 = ab_harmonics(1.0, lead_length=lead, L_T=0.01).harmonics[0]["rms"]
    r2 = ab_harmonics(1.0, lead_length=lead, L_T=0.005).harmonics[0]["rms"]
    assert r1 / r2 == pytest.approx(2.0, rel=1e-12)


def test_ab_dps_path_agrees():
    f = ab_harmonics(0.8, lead_length=0.3, so=2.0)
    m = ab_harmonics(0.8, lead_length=0.3, so=2.0, dps=30)
    for a, b in zip(f.harmonics, m.harmonics):
        assert float(b["rms"]) == pytest.approx(a["rms"], rel=1e-13)
        assert float(b["mean_amplitude"]) == pytest.approx(a["mean_amplitude"], rel=1e-12, abs=1e-300)
    assert float(m.mean_uniform) == pytest.approx(f.mean_uniform, rel=1e-13)


def test_phase_rigidity_and_spin():
    """No magnetic scattering: Cooperon and Diffuson channels have the same gaps, so <g_k^2> = <|g_k|^2>
    (Onsager phase rigidity); spin-degenerate without spin scattering: variance 4 times the spinless one."""
    r = ab_harmonics(0.9, so=5.0)
    for h in r.harmonics:
        assert h["cooperon_variance"] == pytest.approx(h["diffuson_variance"], rel=1e-14)
    a, b = ab_harmonics(0.9).harmonics[0], ab_harmonics(0.9, spinless=True).harmonics[0]
    assert a["diffuson_variance"] == pytest.approx(4 * b["diffuson_variance"], rel=1e-14)
    m = ab_harmonics(0.9, mag=3.0).harmonics[0]
    assert m["cooperon_variance"] < m["diffuson_variance"]


# ------------------------------------------------------------------ bad input, properties, CLI
@pytest.mark.parametrize("kwargs, exc, word", [
    (dict(flux=0.0, L_phi=-1.0), ValueError, "L_phi"),
    (dict(flux="0.1", L_phi=1.0), TypeError, "flux"),
    (dict(flux=[0.0, float("nan")], L_phi=1.0), ValueError, "flux"),
    (dict(flux=0.0, L_phi=1.0, geometry="torus"), ValueError, "geometry"),
    (dict(flux=0.0, L_phi=math.inf), ValueError, "L_phi"),
    (dict(flux=0.0, L_phi=1.0, geometry="thick", thickness=0.01), ValueError, "thickness"),
    (dict(flux=0.0, L_phi=1.0, spinless=True, so=1.0), ValueError, "spinless"),
    (dict(flux=0.0, L_phi=True), TypeError, "L_phi"),
    (dict(flux=0.0, L_phi=1.0, dps=10**6), ValueError, "dps"),
])
def test_aas_bad_input(kwargs, exc, word):
    with pytest.raises(exc, match=word):
        aas_oscillation(**kwargs)


@pytest.mark.parametrize("kwargs, exc, word", [
    (dict(L_phi=1.0, lead_length=0.0), ValueError, "lead_length"),
    (dict(L_phi=1.0, L_T=-1.0), ValueError, "L_T"),
    (dict(L_phi=1.0, L_T=0.3, dps=20), ValueError, "dps"),
    (dict(L_phi=1.0, n_harmonics=0), ValueError, "n_harmonics"),
    (dict(L_phi=1.0, n_harmonics=10**6), ValueError, "n_harmonics"),
])
def test_ab_bad_input(kwargs, exc, word):
    with pytest.raises(exc, match=word):
        ab_harmonics(**kwargs)


@settings(max_examples=40, deadline=None)
@given(lphi=st.floats(1e-3, 1e4), phi=st.floats(-3, 3), so=st.floats(0, 1e4), geometry=st.sampled_from(["cylinder", "ring", "thick"]))
def test_aas_finite_or_refused(lphi, phi, so, geometry):
    r = aas_oscillation(phi, geometry=geometry, L_phi=lphi, so=so)
    assert np.all(np.isfinite(r.delta_sigma)) and np.all(np.isfinite(r.error))
    again = aas_oscillation(phi + 0.5, geometry=geometry, L_phi=lphi, so=so)   # period h/2e
    assert again.delta_sigma[0] == pytest.approx(r.delta_sigma[0], rel=1e-9, abs=1e-13)


@settings(max_examples=25, deadline=None)
@given(lphi=st.floats(1e-2, 1e3), lead=st.floats(0.01, 10), lt=st.one_of(st.none(), st.floats(0.01, 10)))
def test_ab_finite(lphi, lead, lt):
    r = ab_harmonics(lphi, lead_length=lead, L_T=lt, n_harmonics=3)
    for h in r.harmonics:
        assert math.isfinite(h["rms"]) and h["rms"] >= 0 and math.isfinite(h["mean_amplitude"])


def test_cli_ring(capsys):
    import json

    assert main(["ring", "--L-phi", "1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["harmonics"][0]["rms"] == pytest.approx(ab_harmonics(1.0).harmonics[0]["rms"], rel=1e-15)
    assert {"harmonics", "mean_uniform", "unit", "parameters", "model"} <= set(out)
    assert main(["ring", "--geometry", "cylinder", "--L-phi", "1", "--flux=0,0.25", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"geometry", "flux", "delta_sigma", "error", "unit", "harmonics", "channels"} <= set(out)
    assert main(["ring", "--geometry", "ring", "--L-phi", "0.5"]) == 0
    assert "delta_sigma" in capsys.readouterr().out
    assert main(["ring", "--L-phi", "0"]) == 2
    assert capsys.readouterr().err.startswith("error: L_phi")
    assert main(["ring", "--geometry", "thick", "--L-phi", "1", "--thickness", "0.1"]) == 2
    assert capsys.readouterr().err.startswith("error: thickness")


# ------------------------------------------------------------------ Zeeman splitting along the flux
def _ring_mode_sum_with_zeeman(so, zvec, lphi, phi, M=3000):
    """-2s sum_m Tr[W (H(Phi) + q_m^2)^-1] - (-s Tr[W H^-1/2]): the thin ring's flux-dependent part by linear
    solves over the angular modes q_m = 2 pi (m + 2 Phi) (Euler-Maclaurin tail 1/(M + a + 1/2)) and a matrix
    square root (scipy.linalg.sqrtm) - no eigen-decomposition, unlike the winding route."""
    from scipy.linalg import sqrtm

    from mesocorr.integrals.derived_constants import SPIN_HALF_PARAMETERS
    from mesocorr.integrals.gap_operators import spin_half_operator

    op = spin_half_operator("cooperon")
    omega = tuple(c * phi for c in zvec)
    H = op.numpy(dict(zip(SPIN_HALF_PARAMETERS, (*(so / 3,) * 3, 0.0, 0.0, 0.0, *omega, 1 / lphi**2))))
    W = op.weight()
    m = np.arange(-M, M + 1)
    q2 = (2 * np.pi * (m + 2 * phi)) ** 2
    inv = np.linalg.inv(H[None] + q2[:, None, None] * np.eye(4)[None])
    total = np.einsum("ij,mji->", W, inv)
    a = 2 * phi
    total += np.trace(W) / (4 * np.pi**2) * (1 / (M + a + 0.5) + 1 / (M - a + 0.5))
    uniform = np.trace(W @ np.linalg.inv(sqrtm(H)))
    return float((-2 * 2 * total - (-2 * uniform)).real)


def test_zeeman_ring_against_the_matrix_mode_sum():
    so, zvec, lphi = 5.0, (0.7, 0.0, 3.0), 2.0
    flux = np.array([0.0, 0.1, 0.25, 0.6, 1.3])
    r = aas_oscillation(flux, geometry="ring", L_phi=lphi, so=so, zeeman=zvec)
    ref = [_ring_mode_sum_with_zeeman(so, zvec, lphi, p) for p in flux]
    assert r.delta_sigma == pytest.approx(ref, rel=1e-8, abs=1e-10)
    assert r.harmonics is None and np.all(r.error < 1e-12)


def _mp_winding_series(d, x, thetas):
    """sum_{n>=1} g_d(n x) cos(n th) term by term in mpmath (complex x) for each th, until |g_d| < 1e-19 (slow for
    K0: ~30 ms a term)."""
    with mpmath.workdps(20):
        xm, totals, n = mpmath.mpc(x), [mpmath.mpf(0)] * len(thetas), 1
        while True:
            g = mpmath.besselk(0, n * xm) if d == 2 else mpmath.exp(-n * xm) / (n if d == 3 else 1)
            totals = [t + g * mpmath.cos(n * th) for t, th in zip(totals, thetas)]
            if abs(g) < 1e-19:
                return [complex(t) for t in totals]
            n += 1


@pytest.mark.slow
def test_zeeman_zero_is_the_plain_result_and_complex_winding_sums():
    flux = [0.0, 0.1, 0.3]
    for geometry in ("cylinder", "ring", "thick"):
        a = aas_oscillation(flux, geometry=geometry, L_phi=2.0, so=(1.0, 2.0, 0.5), mag=0.2)
        b = aas_oscillation(flux, geometry=geometry, L_phi=2.0, so=(1.0, 2.0, 0.5), mag=0.2, zeeman=0.0)
        assert b.delta_sigma == pytest.approx(a.delta_sigma, rel=1e-13, abs=1e-14)
    from mesocorr.integrals.rings import winding_sum_complex

    thetas = (0.0, 1.1)
    for x in (0.3 + 0.2j, 1.5 + 0.7j, 0.45 - 0.6j):   # Re x < 1: the u integral; >= 1: the K0 series
        for d in (1, 2, 3):
            if d == 2 and x.real < 1:   # the code integrates over u here: the reference is SciPy's K0 series
                from scipy.special import kve

                n = np.arange(1, int(48 / x.real))
                ref = [complex(np.sum(kve(0, n * x) * np.exp(-n * x) * np.cos(n * th))) for th in thetas]
            else:
                ref = _mp_winding_series(d, x, thetas)
            v, e = winding_sum_complex(d, np.full(2, x), np.array(thetas))
            for vi, ei, rv in zip(v, e, ref):
                assert abs(vi - rv) <= max(ei, 1e-15 * abs(rv)) and abs(vi - rv) < 1e-10 * abs(rv)


def test_zeeman_bad_input_and_exceptional_point():
    with pytest.raises(ValueError, match="zeeman"):
        aas_oscillation(0.1, L_phi=1.0, zeeman=1.0, spinless=True)
    with pytest.raises(ValueError, match="dps"):
        aas_oscillation(0.1, L_phi=1.0, zeeman=1.0, dps=15)
    with pytest.raises(ValueError, match="zeeman"):
        aas_oscillation(0.1, L_phi=1.0, zeeman=(1.0, 2.0))
    # isotropic spin-orbit Gamma: singlet-triplet_z block, exceptional point at omega = |Delta| = Gamma_T/2
    # (Gamma_T = 4 so/3); omega(Phi) = zeeman * Phi reaches it at Phi = 0.5 for zeeman = 4 so/3
    with pytest.raises(ValueError, match="exceptional"):
        aas_oscillation([0.5], L_phi=1.0, so=3.0, zeeman=4.0)


def test_ab_thermal_average_joins_zero_temperature_continuously():
    """Below T = 1e-8 E_c (L_T > 1e4 L) ``ucf_harmonics`` returns its T = 0 value; the quadrature just above that
    limit agrees with it to float64 resolution, and the thermal correction grows like T^2 (L_T^-4): measured
    1.1e-12 relative at L_T = 1e3 L, so ~1e-14 at 3e3 L."""
    zero = [h["rms"] for h in mesocorr.ab_harmonics(1.0, lead_length=1.0).harmonics]
    for L_T, rtol in ((9.99e3, 1e-14), (1.0001e4, 1e-15), (1e77, 1e-15), (3e3, 1e-13)):
        got = [h["rms"] for h in mesocorr.ab_harmonics(1.0, lead_length=1.0, L_T=L_T).harmonics]
        assert got == pytest.approx(zero, rel=rtol)
    corr = 1 - mesocorr.ab_harmonics(1.0, lead_length=1.0, L_T=1e3).harmonics[0]["rms"] / zero[0]
    assert 1e-13 < corr < 1e-11


# ------------------------------------------------------------------ derive speed: the symbolic shortcuts
def test_exp_rational_zero_agrees_with_simplify():
    """The exp-monomial + cancel zero test (symbolic.rings) against sympy.simplify on true and false identities."""
    import sympy as sp

    from mesocorr.symbolic import rings as SR

    b, ph, x, th = (SR.SYMBOLS[k] for k in ("b", "varphi", "x", "theta"))
    z1, z2 = ph - sp.I * b, ph + sp.I * b
    cot_form = (sp.pi * sp.cot(sp.pi * z1) - sp.pi * sp.cot(sp.pi * z2)) / (2 * sp.I * b)
    cases = [cot_form - SR.periodic_mode_sum(),
             cot_form - SR.periodic_mode_sum().subs(b, 2 * b),
             cot_form - SR.periodic_mode_sum() * (1 + sp.Rational(1, 10**12)),
             sp.sinh(x) / (sp.cosh(x) - sp.cos(th)) - 1 - 2 * sp.exp(-x) * (sp.cos(th) - sp.exp(-x))
             / (1 - 2 * sp.exp(-x) * sp.cos(th) + sp.exp(-2 * x)),
             sp.sinh(x) / (sp.cosh(x) - sp.cos(th)) - 1 - 2 * sp.exp(-x) * sp.cos(th),
             sp.cos(th / 3) ** 2 - (1 + sp.cos(2 * th / 3)) / 2]
    for ex in cases:
        assert SR.exp_rational_zero(ex) == (sp.simplify(ex.rewrite(sp.exp)) == 0)


def test_exp_form_is_what_simplify_returns():
    """winding_green / aas_winding_amplitude / aas_uniform_term (exp rewriting) = sympy.simplify of the same
    expressions (the previous route), structurally."""
    import sympy as sp

    from mesocorr.symbolic import rings as SR

    q, r, kappa, n, L, L_c, w = (SR.SYMBOLS[k] for k in ("q", "r", "kappa", "n", "L", "L_c", "w_c"))
    g1 = sp.simplify(2 * sp.integrate(sp.cos(q * r) / (q**2 + kappa**2), (q, 0, sp.oo)) / (2 * sp.pi))
    g3 = sp.simplify(sp.integrate(q * sp.sin(q * r) / (q**2 + kappa**2), (q, 0, sp.oo)) / (2 * sp.pi**2 * r))
    assert (SR.winding_green(1), SR.winding_green(3)) == (g1, g3)
    s = SR.SYMBOLS["s"]
    for d in (1, 2, 3):
        G = SR.winding_green(d).subs(r, n * L).subs(kappa, 1 / L_c)
        assert SR.aas_winding_amplitude(d) == sp.simplify(-2 * 2 * s * w * G)
    assert SR.aas_uniform_term() == sp.simplify(-2 * s * w * g1.subs(r, 0).subs(kappa, 1 / L_c))
