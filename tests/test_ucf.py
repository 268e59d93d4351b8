"""UCF: prefactor derivation, closed forms, lattice sums by independent routes, limits, CLI.

Independent routes used here:

* quasi-1D: :math:`\\sum_{n\\ge1}(n^2+c)^{-2} = -\\partial_c[(\\pi\\sqrt c\\coth\\pi\\sqrt c - 1)/2c]`
  (Mittag-Leffler expansion of coth, DLMF 4.36.3), written out below as ``wire_sum``;
* film and cube: that same closed form summed over :math:`n_x`, leaving
  :math:`F(y) = \\pi/4y^3 - 1/2y^4 + E(y)` with :math:`E` exponentially small, so the transverse
  sums become Riemann zeta values (film) and the square-lattice Epstein zeta
  :math:`\\sum'_{m,n\\ge0}(m^2+n^2)^{-s} = \\zeta(s)\\beta(s) + \\zeta(2s)` (Hardy; Zucker 1974) for the cube;
* an elongated box (1, 0.5, 0.25): :math:`n_x` by the closed form, the two transverse sums over
  growing rectangles, the truncation error (an expansion in 1/N) removed by a four-point fit; 11 digits.
  (``mpmath.nsum``'s default extrapolation was tried and is off by 4e-5 here: power-law tails.)
* temperature: the energy-domain convolution with K(Ω) = ∫f'(ε)f'(ε+Ω)dε, against the implementation's
  time-domain kernel.
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

from mesocorr import ucf_correlation, ucf_variance
from mesocorr.cli import main
from mesocorr.diagrams.ucf import derive_prefactor, symmetry_factors, wire_variance
from mesocorr.integrals.epstein import mode_sums, mode_sums_mp
from mesocorr.ucf import ucf_channels, ucf_correlation_energy


# ------------------------------------------------------------------ independent references
def F(y):
    """sum_{n>=1} 1/(n^2 + y^2)^2 in closed form (coth), for y > 0."""
    y = mpmath.mpf(y)
    x = mpmath.pi * y
    coth, csch2 = mpmath.coth(x), mpmath.csch(x) ** 2
    fp = (mpmath.pi * coth - mpmath.pi**2 * y * csch2) / (2 * y**2) - (x * coth - 1) / y**3
    return -fp / (2 * y)


def E(y):
    """F(y) - pi/(4y^3) + 1/(2y^4): exponentially small."""
    x = mpmath.pi * mpmath.mpf(y)
    return mpmath.pi * (mpmath.coth(x) - 1) / (4 * y**3) + mpmath.pi**2 * mpmath.csch(x) ** 2 / (4 * y**2)


def wire_sum(gamma):
    return mpmath.pi**4 / 90 if gamma == 0 else F(mpmath.sqrt(gamma))


def film_sum(r):
    """sum_{nx>=1, ny>=0} 1/(nx^2 + r^2 ny^2)^2 via zeta values + exponentially small remainder."""
    r = mpmath.mpf(r)
    rest = mpmath.nsum(lambda n: E(r * n), [1, mpmath.inf])
    return mpmath.pi**4 / 90 + mpmath.pi * mpmath.zeta(3) / (4 * r**3) - mpmath.zeta(4) / (2 * r**4) + rest


def cube_sum():
    beta32 = mpmath.dirichlet(mpmath.mpf(3) / 2, [0, 1, 0, -1])
    zs = mpmath.zeta(mpmath.mpf(3) / 2) * beta32 + mpmath.zeta(3)
    z2 = mpmath.zeta(2) * mpmath.catalan + mpmath.zeta(4)
    rest = mpmath.fsum(E(mpmath.sqrt(m * m + n * n)) for m in range(0, 16) for n in range(0, 16) if m + n)
    return mpmath.pi**4 / 90 + mpmath.pi / 4 * zs - z2 / 2 + rest


# ------------------------------------------------------------------ derivation
def test_prefactor_and_topologies():
    w = derive_prefactor()
    assert w["ring"] == 2 / sp.pi**4 and w["two_box"] == 4 / sp.pi**4 and w["total"] == 6 / sp.pi**4


def test_wire_closed_forms_lsf():
    # Lee-Stone-Fukuyama PRB 35, 1039 (1987): quasi-1D var g = 2/15 (spinless, TRS), 1/15 (broken TRS)
    assert wire_variance() == sp.Rational(2, 15)
    assert wire_variance(broken_trs=True) == sp.Rational(1, 15)
    assert ucf_variance(shape=(1,), spinless=True) == pytest.approx(2 / 15, rel=1e-14)
    assert ucf_variance(shape=(1,), spinless=True, broken_trs=True) == pytest.approx(1 / 15, rel=1e-14)
    with mpmath.workdps(45):
        v = ucf_variance(shape=(1,), spinless=True, dps=40)
        assert abs(v - mpmath.mpf(2) / 15) < mpmath.mpf(10) ** -40


def test_symmetry_factors():
    f = symmetry_factors()
    assert (f["broken_trs"], f["strong_so"], f["strong_mag"], f["spinless"]) == (
        sp.Rational(1, 2), sp.Rational(1, 4), sp.Rational(1, 8), sp.Rational(1, 4))
    for shape in ((1,), (1, 1, 1)):
        ref = ucf_variance(shape=shape)
        assert ref == pytest.approx(4 * ucf_variance(shape=shape, spinless=True), rel=1e-13)  # s^2 = 4
        assert ucf_variance(shape=shape, broken_trs=True) / ref == pytest.approx(0.5, rel=1e-13)
        # rate 1e16 D/L^2: a gapped channel leaves ~ gamma^{(d-4)/2}, in 3D pi^2/(8 sqrt(gamma)) ~ 1e-8
        assert ucf_variance(shape=shape, so=1e16) / ref == pytest.approx(0.25, rel=1e-7)
        assert ucf_variance(shape=shape, mag=1e16) / ref == pytest.approx(0.125, rel=5e-7)
        assert ucf_variance(shape=shape, so=(1e16, 1e16, 0)) / ref == pytest.approx(0.25, rel=1e-7)


def test_channels_breakdown_sums_to_total():
    kw = dict(shape=(1, 0.5), so=(1.0, 2.0, 0.5), mag=0.3)
    chans = ucf_channels(**kw)
    assert [c["name"] for c in chans[:4]] == ["singlet", "triplet_x", "triplet_y", "triplet_z"]
    assert sum(c["variance"] for c in chans) == pytest.approx(ucf_variance(**kw), rel=1e-13)


def test_channels_breakdown_wire_closed_form():
    # each channel's share against the coth closed form of the wire (DLMF 4.36.3) at its gap from
    # mesocorr.channels (Diffuson and Cooperon, spin-orbit and magnetic rates): 6/pi^4 sum_n (n^2 + g/pi^2)^-2
    from mesocorr import channels

    so, mag = (1.0, 2.0, 0.5), 0.3
    got = ucf_channels(shape=(1,), so=so, mag=mag)
    ref = [(k, c.name, float(c.gap)) for k in ("diffuson", "cooperon") for c in channels(k, so=so, mag=mag)]
    assert [(c["kind"], c["name"]) for c in got] == [r[:2] for r in ref]
    for c, (_, _, gap) in zip(got, ref):
        assert c["gap"] == pytest.approx(gap, rel=1e-15)
        assert c["variance"] == pytest.approx(6 / math.pi**4 * float(wire_sum(gap / math.pi**2)), rel=1e-13)


# ------------------------------------------------------------------ lattice sums, independent routes
def test_film_against_zeta_route():
    with mpmath.workdps(40):
        for r in (1, 2):
            ref = film_sum(r) * 12 / mpmath.pi**4
            v = ucf_variance(shape=(1, 1 / r), spinless=True, dps=30)
            assert abs(v / ref - 1) < mpmath.mpf(10) ** -29
            assert ucf_variance(shape=(1, 1 / r), spinless=True) == pytest.approx(float(ref), rel=1e-13)


def test_cube_against_epstein_zeta_route():
    with mpmath.workdps(40):
        ref = cube_sum() * 12 / mpmath.pi**4
        v = ucf_variance(shape=(1, 1, 1), spinless=True, dps=30)
        assert abs(v / ref - 1) < mpmath.mpf(10) ** -29
    assert ucf_variance(shape=(1, 1, 1), spinless=True) == pytest.approx(float(ref), rel=1e-13)


def test_decimal_lengths_exact_in_mp_path():
    # lengths are taken as written (mesocorr.arguments.as_rational): W = 0.3 means the ratio 10/3 exactly,
    # not the rounded float 1/0.3 (which limited 30-digit results to ~17 digits); independent routes:
    # the zeta route of the film and the coth closed form of the dephased wire, at 40 digits
    with mpmath.workdps(40):
        ref = film_sum(mpmath.mpf(10) / 3) * 12 / mpmath.pi**4
        v = ucf_variance(shape=(1, 0.3), spinless=True, dps=30)
        assert abs(v / ref - 1) < mpmath.mpf(10) ** -29
        ref = 12 / mpmath.pi**4 * wire_sum((mpmath.mpf(10) / 3) ** 2 / mpmath.pi**2)
        v = ucf_variance(shape=(1,), spinless=True, L_phi=0.3, dps=30)
        assert abs(v / ref - 1) < mpmath.mpf(10) ** -29


def _f_closed_np(y):
    """F(y) = sum_nx (nx^2 + y^2)^-2 in float64 (asymptotic part + exponentially small part)."""
    x = math.pi * y
    e = np.exp(-2 * x)
    return (math.pi / (4 * y**3) - 1 / (2 * y**4) + math.pi * (2 * e / (1 - e)) / (4 * y**3)
            + math.pi**2 * (4 * e / (1 - e) ** 2) / (4 * y**2))


def test_box_against_rectangle_richardson():
    # shape (1, 0.5, 0.25): n_x summed in closed form, (n_y, n_z) summed over rectangles
    # n_y <= N, n_z <= N/2 (equal cut c <= (2N)^2 on both axes); the truncation error has an expansion
    # a/N + b/N^2 + c/N^3 (Euler-Maclaurin), removed by fitting four N. Independent of the theta split.
    ry, rz = 2.0, 4.0

    def partial(n):
        c = np.add.outer((ry * np.arange(0, n + 1.0)) ** 2, (rz * np.arange(0, n // 2 + 1.0)) ** 2)
        c[0, 0] = 1.0
        f = _f_closed_np(np.sqrt(c))
        f[0, 0] = math.pi**4 / 90
        return f.sum()

    ns = [400, 800, 1600, 3200]
    fit = np.linalg.solve(np.array([[1, 1 / n, 1 / n**2, 1 / n**3] for n in ns]), [partial(n) for n in ns])
    got = mode_sums((ry, rz), 0.0)[0]
    assert float(got) == pytest.approx(fit[0], rel=1e-11)
    assert abs(partial(400) / fit[0] - 1) > 1e-5        # the raw truncated sum is far off


# ------------------------------------------------------------------ limits
@pytest.mark.parametrize("L_phi", [0.02, 0.3, 3.0])
def test_dephasing_wire_closed_form(L_phi):
    gamma = (1 / L_phi) ** 2 / math.pi**2
    ref = 12 / math.pi**4 * float(wire_sum(gamma))
    assert ucf_variance(shape=(1,), spinless=True, L_phi=L_phi) == pytest.approx(ref, rel=1e-13)


def test_dephasing_asymptote():
    # L_phi << L: var = 3 x^3 - 6 x^4 + O(e^{-2/x}), x = L_phi/L (wire, spinless, TRS): var ∝ (L_phi/L)^(4-d)
    for x in (0.01, 0.05):
        assert ucf_variance(shape=(1,), spinless=True, L_phi=x) == pytest.approx(3 * x**3 - 6 * x**4, rel=1e-12)
    # film: (L_phi/L)^2 scaling, ratio of two small L_phi -> 4
    a, b = (ucf_variance(shape=(1, 1), spinless=True, L_phi=x) for x in (0.002, 0.001))
    assert a / b == pytest.approx(4, rel=5e-3)


def test_temperature_limits():
    # L_T >> L: no suppression
    assert ucf_variance(shape=(1,), spinless=True, L_T=300.0) == pytest.approx(2 / 15, rel=1e-9)
    # L_T << L (wire): var = c2 x^2 + c3 x^3 + O(x^4), x = L_T/L, from the small-t heat trace
    # sqrt(pi/t)/2 and the kernel integrals (derivation in docs/conventions.md, section "Universal conductance fluctuations (UCF)")
    J = lambda y: mpmath.quad(lambda s: (s / mpmath.sinh(s)) ** 2 if s else 1, [0, y])  # noqa: E731
    A = mpmath.quad(lambda y: (mpmath.pi**2 / 6 - J(y)) / mpmath.sqrt(y), [0, 1, 5, 40])
    B = mpmath.quad(lambda y: mpmath.sqrt(y) * (y / mpmath.sinh(y)) ** 2 if y else 0, [0, mpmath.inf])
    c2, c3 = 2 * math.pi / 9, float((2 * B - 4 * A) / mpmath.pi**2)
    for x in (0.01, 0.02):
        v = ucf_variance(shape=(1,), spinless=True, L_T=x)
        assert v == pytest.approx(c2 * x**2 + c3 * x**3, rel=20 * x**2)
    # monotone crossover
    vals = [ucf_variance(shape=(1,), spinless=True, L_T=x) for x in (0.1, 0.3, 1, 3, 10)]
    assert all(p < q for p, q in zip(vals, vals[1:]))


def test_temperature_mp_agrees():
    with mpmath.workdps(25):
        v = ucf_variance(shape=(1, 0.5), L_T=0.7, dps=20)
    assert float(v) == pytest.approx(ucf_variance(shape=(1, 0.5), L_T=0.7), rel=1e-12)


# ------------------------------------------------------------------ correlation functions
def test_energy_correlation_wire_direct_sum():
    eps = 5.0 / math.pi**2                                          # delta_E = 5 E_c
    with mpmath.workdps(20):
        ring = mpmath.nsum(lambda n: mpmath.re(1 / (n * n - 1j * eps) ** 2), [1, mpmath.inf])
        box = mpmath.nsum(lambda n: 1 / ((n * n) ** 2 + eps**2), [1, mpmath.inf])
    ref = 2 * float(2 * ring + 4 * box) / math.pi**4                 # D + C, spinless
    assert ucf_correlation(delta_E=5.0, shape=(1,), spinless=True) == pytest.approx(ref, rel=1e-12)
    assert ucf_correlation(delta_E=-5.0, shape=(1,), spinless=True) == pytest.approx(ref, rel=1e-12)


def test_flux_correlation_wire():
    d = 1.3
    ref = 6 / math.pi**4 * float(wire_sum(d * d / 3) + wire_sum(d * d / 3))   # flux = 0: C sees (0 + d)
    assert ucf_correlation(delta_flux=d, shape=(1,), spinless=True) == pytest.approx(ref, rel=1e-13)
    ref_b = 6 / math.pi**4 * float(wire_sum(d * d / 3) + wire_sum((2 * 2.0 + d) ** 2 / 3))
    assert ucf_correlation(delta_flux=d, flux=2.0, shape=(1,), spinless=True) == pytest.approx(ref_b, rel=1e-13)


def test_correlation_energy_half_width():
    ec = ucf_correlation_energy(shape=(1,), spinless=True, broken_trs=True)
    c0 = ucf_variance(shape=(1,), spinless=True, broken_trs=True)
    assert ucf_correlation(delta_E=ec, shape=(1,), spinless=True, broken_trs=True) == pytest.approx(c0 / 2, rel=1e-10)


@pytest.mark.slow
@settings(deadline=None, max_examples=5, derandomize=True)
@given(ry=st.floats(0.3, 3.0), gap=st.floats(0.0, 20.0), eps=st.floats(0.0, 30.0))
def test_float_matches_mpmath(ry, gap, eps):
    ring, box = mode_sums((ry,), gap, eps)
    res = mode_sums_mp((ry,), [gap], energy=eps, dps=16)
    assert float(ring) == pytest.approx(float(res[0]), rel=1e-12, abs=1e-15)
    assert float(box) == pytest.approx(float(res[1]), rel=1e-12)


@settings(deadline=None, max_examples=25, derandomize=True)
@given(shape=st.lists(st.floats(0.2, 3.0), min_size=1, max_size=3), L_phi=st.floats(0.05, 20.0))
def test_dephasing_monotone_and_bounded(shape, L_phi):
    shape = [1.0, *shape[1:]]
    v0 = ucf_variance(shape=shape, spinless=True)
    v1 = ucf_variance(shape=shape, spinless=True, L_phi=L_phi)
    v2 = ucf_variance(shape=shape, spinless=True, L_phi=L_phi / 2)
    assert v2 < v1 < v0


# ------------------------------------------------------------------ errors and CLI
@pytest.mark.parametrize("kwargs, exc, start", [
    (dict(shape=(1, 0)), ValueError, "shape[1]"),
    (dict(shape=(1, 1, 1, 1)), ValueError, "shape"),
    (dict(shape="1,1"), TypeError, "shape"),
    (dict(so=-1), ValueError, "so"),
    (dict(mag=(1, 2)), ValueError, "mag"),
    (dict(L_phi=0), ValueError, "L_phi"),
    (dict(L_T=-2), ValueError, "L_T"),
    (dict(dps=0), ValueError, "dps"),
    (dict(dps=5000), ValueError, "dps"),
    (dict(spinless=True, so=1), ValueError, "spinless"),
])
def test_errors_name_argument(kwargs, exc, start):
    with pytest.raises(exc) as info:
        ucf_variance(**kwargs)
    assert str(info.value).startswith(start)


def test_cli_json(capsys):
    assert main(["ucf", "--shape", "1", "--spinless", "--dps", "25", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["variance"] == "0.1333333333333333333333333"
    assert out["unit"] == "(e^2/h)^2" and len(out["channels"]) == 2
    assert float(out["rms"]) == pytest.approx(math.sqrt(2 / 15), rel=1e-15)
    assert main(["ucf", "--shape", "1,0.5,0.25", "--so", "1,2,0", "--broken-trs", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert float(out["variance"]) == pytest.approx(ucf_variance(shape=(1, 0.5, 0.25), so=(1, 2, 0), broken_trs=True))
    # requested digits are kept even when they end in zeros
    assert main(["ucf", "--shape", "1,1", "--mag", "0.5,0,0", "--L-T", "0.3", "--dps", "12", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["variance"].split(".")[1]) == 12
    assert float(out["variance"]) == pytest.approx(ucf_variance(shape=(1, 1), mag=(0.5, 0, 0), L_T=0.3), rel=1e-11)
    assert main(["ucf", "--shape", "1,1"]) == 0
    assert "var G" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["--shape", "1,-1"], ["--shape", "0"], ["--dps", "0"], ["--dps", "100000"],
                                  ["--L-phi", "0"], ["--L-T", "-1"], ["--so", "1,2"], ["--spinless", "--mag", "1"]])
def test_cli_errors_exit_2(argv, capsys):
    assert main(["ucf", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_naive_truncation_converges_to_same_value():
    # the naive sum's power-law error (film: ~ pi/(4 r^... ) Lambda^-1) shrinks toward the Ewald value
    from mesocorr.integrals.epstein import naive_mode_sum
    exact = mode_sums((1.0,), 0.0)[0]
    errs = [exact - naive_mode_sum((1.0,), 0.0, lam) for lam in (1e3, 1e4)]
    assert 0 < errs[1] < errs[0] and errs[0] / errs[1] == pytest.approx(10, rel=0.1)
    assert np.isfinite(exact)


def test_temperature_against_energy_domain_convolution():
    # independent route: var g(T) = ∫ dΩ K(Ω) C(Ω), K(Ω) = ∫ dε f'(ε) f'(ε+Ω) = (x coth x − 1)/(2T sinh² x),
    # x = Ω/2T (checked against the direct ε integral), with C(Ω) from ucf_correlation (energy in E_c,
    # k_B T = (L/L_T)^2 E_c). The implementation instead uses the Fourier transform (πTt/sinh πTt)^2.
    from scipy.integrate import quad

    temp = 4.0                                                        # L_T = L/2
    fp = lambda e: -1 / (4 * temp * mpmath.cosh(e / (2 * temp)) ** 2)  # noqa: E731

    def kernel(w):
        x = w / (2 * temp)
        if x > 300:
            return 0.0
        return 1 / (6 * temp) if x < 1e-4 else (x / math.tanh(x) - 1) / (2 * temp * math.sinh(x) ** 2)

    direct = mpmath.quad(lambda e: fp(e) * fp(e + 3.0), [-mpmath.inf, 0, mpmath.inf])
    assert kernel(3.0) == pytest.approx(float(direct), rel=1e-12)
    for broken in (False, True):
        def integrand(w, b=broken):
            return kernel(w) * ucf_correlation(delta_E=w, shape=(1,), spinless=True, broken_trs=b)

        ref = 2 * quad(integrand, 0, np.inf, epsabs=1e-14, epsrel=1e-11, limit=200)[0]
        got = ucf_variance(shape=(1,), spinless=True, broken_trs=broken, L_T=0.5)
        assert got == pytest.approx(ref, rel=1e-9)


def test_mp_path_raises_when_split_points_disagree(monkeypatch):
    # the accuracy report: runs with different split points must agree, else ArithmeticError (never a number)
    from mesocorr.integrals import epstein

    real = epstein._integral_mp

    def noisy(ratios, gaps, weights, energy, temperature, shift, combine=None, order=None):
        r, b, e = real(ratios, gaps, weights, energy, temperature, shift, combine, order)
        return r, b * (1 + shift * mpmath.mpf(10) ** -20), e

    monkeypatch.setattr(epstein, "_integral_mp", noisy)
    with pytest.raises(ArithmeticError, match="not converged to 30 digits"):
        epstein.mode_sums_mp((), [0.0], dps=30)
    assert epstein.mode_sums_mp((), [0.0], dps=15)[0] == pytest.approx(math.pi**4 / 90, rel=1e-15)
