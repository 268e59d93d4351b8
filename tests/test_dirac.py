"""Dirac materials (issue 16): graphene, TI surfaces and films from band-projected Dirac vertices.

Independent routes: McCann et al., PRL 97, 146805 (2006), Eq. (1) written out here with scipy's digamma;
the ordinary weak-localization code (mesocorr.magnetoconductance) for the limits; a brute-force angular
quadrature (numpy FFT of the spinor overlaps) for the massive-cone gaps; the HLN alpha form of the fit module.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import sympy as sp
from scipy.special import digamma

from mesocorr import dirac
from mesocorr.diagrams import dirac_models as dm
from mesocorr.integrals import dirac_constants as dc
from mesocorr.units import E_CHARGE, HBAR


def F(x):
    """HLN function ln x + psi(1/2 + 1/x), F(0) = 0 (independent: scipy's digamma)."""
    x = np.asarray(x, dtype=float)
    return np.log(x) + digamma(0.5 + 1.0 / x)


def mccann(B, B_phi, B_i, B_intra):
    """McCann et al. (2006), Eq. (1) as a conductance, Delta sigma = -Delta rho / rho^2, in e^2/h:
    (e^2/(pi h)) [F(B/B_phi) - F(B/(B_phi + 2 B_i)) - 2 F(B/(B_phi + B_*))] with B_* = B_i + B_intravalley."""
    B_star = B_i + B_intra
    return (F(B / B_phi) - F(B / (B_phi + 2 * B_i)) - 2 * F(B / (B_phi + B_star))) / math.pi


FIELDS = np.geomspace(1e-4, 2.0, 40)


# ----------------------------------------------------------------------------- derivation (symbolic)
def test_stored_forms_are_rederived():
    """integrals/dirac_constants.py is the output of the band projection + engine, exactly."""
    forms = dm.dirac_linear_forms()
    for key, stored in (("graphene", dc.GRAPHENE_COOPERON), ("ti-film", dc.TI_FILM_COOPERON),
                        ("graphene-diffuson", dc.GRAPHENE_DIFFUSON), ("ti-film-diffuson", dc.TI_FILM_DIFFUSON)):
        got = forms[key]
        for field in ("channels", "parameters", "weight", "soft", "constant"):
            assert tuple(got[field]) == tuple(stored[field]), (key, field)
        assert {k: tuple(v) for k, v in got["generators"].items()} == \
            {k: tuple(v) for k, v in stored["generators"].items()}
    assert forms["ti-surface"] == dc.TI_SURFACE_SECTORS


def test_graphene_soft_modes_and_mccann_structure():
    """Of the 16 pair states of valley x sublattice, the projection leaves 4 band pair states; with the
    derived Berry sign the Cooperon has McCann's structure: one gapless mode (+1/2), one at 2/tau_i (-1/2),
    two at 1/tau_i + 1/tau_intra (-1/2), and 1/tau_i is the intervalley scattering rate of the self-energy."""
    g0, giv, gz, gA = dm.GRAPHENE_RATES
    bp = dm.graphene_projection()
    assert bp.space.dimension ** 2 == 16 and bp.dimension ** 2 == 4
    rate = sp.expand(bp.decay_rate)
    assert rate == g0 / 2 + giv + gz / 2 + gA          # Born rate of the band states (form factors)
    spec = dm.graphene_model().spectrum("cooperon")
    got = sorted(((sp.expand(c.gap), c.weight) for c in spec.channels), key=sp.default_sort_key)
    intra = gz + 2 * gA
    want = sorted([(sp.Integer(0), sp.Rational(1, 2)), (2 * giv, -sp.Rational(1, 2)),
                   (sp.expand(giv + intra), -sp.Rational(1, 2)), (sp.expand(giv + intra), -sp.Rational(1, 2))],
                  key=sp.default_sort_key)
    assert got == want
    # the Berry sign comes from the harmonics: intravalley pairs sit in harmonic +-1, intervalley pairs in 0
    assert dm.dominant_harmonics(bp, "cooperon") == (1, 0, 0, -1)
    # the projected time reversal exchanges the valleys and squares to +1 (orthogonal class overall)
    assert dm.projected_time_reversal(bp) == sp.ImmutableMatrix([[0, 1], [1, 0]])


def test_massless_surface_alpha_minus_half():
    """One massless cone: one soft Cooperon (harmonic 1, Berry phase pi), weight -1, alpha = -1/2."""
    spec = dm.ti_surface_model(0).spectrum("cooperon")
    assert [(c.gap, c.weight) for c in spec.channels] == [(0, -1)]
    assert dirac.dirac_alpha("ti-surface", B_phi=0.01) == -0.5
    from mesocorr.fitting import model_function

    alpha_form = model_function("hln-alpha")(FIELDS, {"alpha": -0.5, "B_phi": 0.01})
    assert np.allclose(dirac.dirac_magnetoconductance(FIELDS, "ti-surface", 0.01), alpha_form, rtol=1e-12, atol=0)


def _brute_force_gaps(a, n_angles=64):
    """Gamma_n tau of the massive cone by quadrature: FFT of the rung <k|k'><-k|-k'> over the angle."""
    c, s = math.sqrt((1 + a) / 2), math.sqrt((1 - a) / 2)
    phi = 2 * np.pi * np.arange(n_angles) / n_angles
    overlap = c * c + s * s * np.exp(1j * phi)           # <k|k'>, theta' - theta = phi (and the same at -k)
    rung = overlap * overlap
    harm = np.fft.fft(rung) / n_angles                    # coefficient of e^{+i n phi}
    inv_tau = np.mean(np.abs(overlap) ** 2)
    return 1 - harm[0].real / inv_tau, 1 - harm[1].real / inv_tau


@pytest.mark.parametrize("a", [0.0, 0.1, 0.3, 0.5, 0.8, 0.95, 1.0])
def test_massive_cone_gaps_brute_force(a):
    """Derived sector gaps (1-a)^2/(2(1+a^2)) and 2a^2/(1+a^2) (in 1/tau) equal the quadrature route."""
    g0, g1 = _brute_force_gaps(a)
    chans = {c["name"]: c["B_c"] for c in dirac.dirac_channels("ti-surface", 1e-9, mass_ratio=a, B_elastic=1.0)} \
        if a > 0 else {"sector_1": 1e-9}
    if a > 0:
        assert chans["sector_0"] - 1e-9 == pytest.approx(g0, rel=1e-12, abs=1e-15)
    assert chans["sector_1"] - 1e-9 == pytest.approx(g1, rel=1e-12, abs=1e-15)


def test_massive_cone_limits():
    """a -> 0: sector 1 gapless like a^2 (WAL, alpha -1/2), sector 0 at 1/(2 tau); a -> 1: sector 0 gapless
    like (1-a)^2/4 (WL, alpha +1/2), sector 1 at 1/tau. One cone spans -1/2 <= alpha <= +1/2."""
    a = sp.Symbol("a", nonnegative=True)
    def poly(coeffs):
        return sum(c * a ** k for k, c in enumerate(coeffs))

    g = {n: sp.cancel(poly(P) / poly(Q)) for n, P, Q, _, _ in dc.TI_SURFACE_SECTORS}
    w = {n: sp.cancel(poly(P) / poly(Q)) for n, _, _, P, Q in dc.TI_SURFACE_SECTORS}
    assert w[1].subs(a, 0) == -1 and w[0].subs(a, 1) == 1 and w[1].subs(a, 1) == 0
    assert sp.limit(g[1] / a ** 2, a, 0) == 2 and g[0].subs(a, 0) == sp.Rational(1, 2)
    assert sp.limit(g[0] / (1 - a) ** 2, a, 1) == sp.Rational(1, 4) and g[1].subs(a, 1) == 1
    B_e = 1.0
    near0 = dirac.dirac_alpha("ti-surface", below=1e-3, B_phi=1e-6, mass_ratio=1e-3, B_elastic=B_e)
    near1 = dirac.dirac_alpha("ti-surface", below=1e-3, B_phi=1e-6, mass_ratio=1 - 1e-3, B_elastic=B_e)
    assert near0 == pytest.approx(-0.5, abs=1e-5) and near1 == pytest.approx(0.5, abs=1e-5)
    for a_val in np.linspace(0, 1, 11):
        kw = {"mass_ratio": a_val, "B_elastic": B_e} if a_val > 0 else {}
        assert -0.5 <= dirac.dirac_alpha("ti-surface", B_phi=1e-6, **kw) <= 0.5
    # a -> 1: the magnetoconductance approaches one orthogonal species (+1/2 of spin-degenerate WL)
    # (sector 1 has weight 0 there: the cone is an ordinary band)
    from mesocorr import magnetoconductance

    wl = magnetoconductance(FIELDS, dim=2, D=1.0, phi=4 * E_CHARGE * 1e-3 / HBAR)
    got = dirac.dirac_magnetoconductance(FIELDS, "ti-surface", 1e-3, mass_ratio=1.0, B_elastic=1e5)
    assert np.allclose(got, 0.5 * wl, rtol=1e-6, atol=1e-9)


# ----------------------------------------------------------------------------- McCann's formula
@pytest.mark.parametrize("B_phi,B_i,B_intra", [(0.002, 0.02, 0.2), (0.01, 0.0, 0.05), (0.001, 0.3, 0.0),
                                               (0.005, 0.005, 0.005)])
def test_graphene_equals_mccann_eq1(B_phi, B_i, B_intra):
    got = dirac.dirac_magnetoconductance(FIELDS, "graphene", B_phi, B_i, B_intra)
    assert np.allclose(got, mccann(FIELDS, B_phi, B_i, B_intra), rtol=1e-12, atol=1e-14)


def test_graphene_mp_path_agrees():
    for b in ("1e-4", "0.01", "1.5"):
        with mpmath.workdps(40):
            bm, fields = mpmath.mpf(b), [mpmath.mpf(x) for x in ("0.002", "0.042", "0.222")]
            f = [mpmath.log(bm / x) + mpmath.digamma(0.5 + x / bm) for x in fields]
            want = (f[0] - f[1] - 2 * f[2]) / mpmath.pi
            got = dirac.dirac_magnetoconductance(float(b), "graphene", 0.002, 0.02, 0.2, dps=30)
            assert abs(got - want) < mpmath.mpf(10) ** -28 * max(1, abs(want))


def test_graphene_limits():
    """No intervalley: WAL of two valleys suppressed by intravalley breaking; both rates large: ordinary WL."""
    from mesocorr import magnetoconductance

    B_phi = 0.002
    wal = dirac.dirac_magnetoconductance(FIELDS, "graphene", B_phi, 0, 0)
    assert np.allclose(wal, -2 * F(FIELDS / B_phi) / math.pi, rtol=1e-12)   # two valleys x two spins x -1/2
    suppressed = dirac.dirac_magnetoconductance(FIELDS, "graphene", B_phi, 0, 1e4)
    assert np.max(np.abs(suppressed)) < 1e-6
    big = dirac.dirac_magnetoconductance(FIELDS, "graphene", B_phi, 1e5, 1e5)
    wl = magnetoconductance(FIELDS, dim=2, D=1.0, phi=4 * E_CHARGE * B_phi / HBAR)
    assert np.allclose(big, wl, rtol=1e-6, atol=1e-9)                       # spin-degenerate WL, alpha = 1


def test_double_counting_trap_changes_the_answer():
    """Writing B_phi + B_i + B_* (B_* already holds B_i) is a different curve: it is not what the model gives."""
    B_phi, B_i, B_intra = 0.002, 0.05, 0.05
    good = dirac.dirac_magnetoconductance(FIELDS, "graphene", B_phi, B_i, B_intra)
    trap = (F(FIELDS / B_phi) - F(FIELDS / (B_phi + 2 * B_i)) - 2 * F(FIELDS / (B_phi + B_i + B_i + B_intra))) / math.pi
    assert np.allclose(good, mccann(FIELDS, B_phi, B_i, B_intra), rtol=1e-12)
    assert np.max(np.abs(good - trap)) > 0.05 * np.max(np.abs(good))


# ----------------------------------------------------------------------------- film
def test_film_limits():
    """Decoupled: the sum of two surfaces with their own B_phi (alpha = -1); strong tunnelling: one surface with
    the mean B_phi (alpha = -1/2)."""
    top, bottom = 0.003, 0.01
    two = dirac.dirac_magnetoconductance(FIELDS, "ti-film", (top, bottom))
    one = dirac.dirac_magnetoconductance(FIELDS, "ti-surface", top) + \
        dirac.dirac_magnetoconductance(FIELDS, "ti-surface", bottom)
    assert np.allclose(two, one, rtol=1e-12)
    strong = dirac.dirac_magnetoconductance(FIELDS[FIELDS < 1], "ti-film", (top, bottom), B_tunnel=1e7)
    mean = dirac.dirac_magnetoconductance(FIELDS[FIELDS < 1], "ti-surface", (top + bottom) / 2)
    assert np.allclose(strong, mean, rtol=1e-6, atol=1e-9)
    assert dirac.dirac_alpha("ti-film", B_phi=top) == -1.0
    assert dirac.dirac_alpha("ti-film", below=1.0, B_phi=top, B_tunnel=10.0) == -0.5


def test_film_gaps_closed_form():
    """Equal B_phi: gaps B_phi and B_phi + 2 B_t (1/tau_t the rate top -> bottom, read off the self-energy)."""
    chans = dirac.dirac_channels("ti-film", 0.004, B_tunnel=0.03)
    assert [round(c["B_c"], 12) for c in chans] == [0.004, 0.064]
    assert [c["weight"] for c in chans] == [-0.5, -0.5]


# ----------------------------------------------------------------------------- UCF content
def test_ucf_valley_degeneracy_and_its_lifting():
    """Gapless Diffusons + Cooperons per spin: decoupled valleys 4 x one cone (the fluctuations of degenerate
    copies that see the same disorder add coherently: N^2 = 4); intervalley scattering lifts it to one cone."""
    one_cone = dm.soft_mode_count(dm.ti_surface_model(0))
    assert one_cone == 2
    assert dm.soft_mode_count(dm.graphene_model(1, 0, 0, 0)) == 4 * one_cone
    assert dm.soft_mode_count(dm.graphene_model(1, 1, 0, 0)) == one_cone
    assert dm.soft_mode_count(dm.graphene_model(1, 1, 1, 0)) == one_cone


# ----------------------------------------------------------------------------- hostile input
@pytest.mark.parametrize("kw,exc", [
    (dict(model="metal", B_phi=0.01), ValueError),
    (dict(model="graphene", B_phi=0), ValueError),
    (dict(model="graphene", B_phi=-1), ValueError),
    (dict(model="graphene", B_phi=True), TypeError),
    (dict(model="graphene", B_phi="0.1"), TypeError),
    (dict(model="graphene", B_phi=0.01, B_tunnel=0.1), ValueError),
    (dict(model="ti-surface", B_phi=0.01, mass_ratio=0.5), ValueError),
    (dict(model="ti-surface", B_phi=0.01, mass_ratio=1.5, B_elastic=1), ValueError),
    (dict(model="ti-film", B_phi=(0.01, 0.02, 0.03)), ValueError),
    (dict(model="ti-film", B_phi=0), ValueError),
    (dict(model="graphene", B_phi=float("nan")), ValueError),
])
def test_bad_input(kw, exc):
    with pytest.raises(exc):
        dirac.dirac_magnetoconductance(0.01, **kw)


# ----------------------------------------------------------------------------- fits
def test_graphene_fit_recovers_parameters_with_errors():
    """Synthetic trace with seeded noise: the fit returns the generating fields within 3 standard errors."""
    from mesocorr import fit_magnetoconductance

    rng = np.random.default_rng(16)
    B = np.linspace(-0.5, 0.5, 201)
    truth = {"B_phi": 0.002, "B_intervalley": 0.02, "B_intravalley": 0.2}
    y = dirac.dirac_magnetoconductance(B, "graphene", *truth.values()) + 0.002 * rng.standard_normal(B.size)
    r = fit_magnetoconductance(B, y, model="graphene", symmetrize=True, sigma=0.002)
    assert r.warnings == []
    for name, value in truth.items():
        p = r.params[name]
        assert abs(p["value"] - value) < 3 * p["stderr"], (name, p)
    assert r.correlation.shape == (3, 3) and np.allclose(np.diag(r.correlation), 1)


def test_graphene_fit_warns_when_the_field_range_does_not_resolve():
    """Fields far below B_i and B_intra: only B_phi is determined; the fit says so."""
    from mesocorr import fit_magnetoconductance

    rng = np.random.default_rng(17)
    B = np.linspace(-0.005, 0.005, 101)
    y = dirac.dirac_magnetoconductance(B, "graphene", 0.002, 0.02, 0.2) + 0.002 * rng.standard_normal(B.size)
    r = fit_magnetoconductance(B, y, model="graphene", symmetrize=True, sigma=0.002)
    assert r.warnings and all(("not determined" in w or "not resolved" in w or "poorly determined" in w
                               or "identifiability" in w) for w in r.warnings)
    assert abs(r.params["B_phi"]["value"] - 0.002) < 1e-4      # the one field the window resolves


def test_film_fit():
    from mesocorr import fit_magnetoconductance

    rng = np.random.default_rng(18)
    B = np.linspace(-0.5, 0.5, 201)
    y = dirac.dirac_magnetoconductance(B, "ti-film", 0.003, B_tunnel=0.02) + 0.001 * rng.standard_normal(B.size)
    r = fit_magnetoconductance(B, y, model="ti-film", symmetrize=True, sigma=0.001)
    assert r.warnings == []
    for name, value in (("B_phi", 0.003), ("B_tunnel", 0.02)):
        assert abs(r.params[name]["value"] - value) < 3 * r.params[name]["stderr"]


def test_ucf_variance_against_the_spin_ucf_code():
    """Independent route: mesocorr.ucf_variance (spin channels). Graphene without intervalley scattering is 16x
    the spinless metal; strong intervalley scattering gives the spin-degenerate metal (4x); one massless cone is
    the spinless value; an uncoupled film is two independent surfaces (2x), a strongly coupled one a single cone."""
    from mesocorr import ucf_variance

    for shape, L_phi in (((1,), None), ((1, 0.5), 2.0), ((1, 1, 1), 0.7)):
        spinless = ucf_variance(shape, spinless=True, L_phi=L_phi)
        spinful = ucf_variance(shape, L_phi=L_phi)
        assert dirac.dirac_ucf_variance(shape, "graphene", L_phi=L_phi) == pytest.approx(16 * spinless, rel=1e-12)
        assert dirac.dirac_ucf_variance(shape, "graphene", L_phi=L_phi, intervalley=1e16) == \
            pytest.approx(spinful, rel=1e-7)    # 3D: the gapped modes still add ~5e-8 at this rate
        assert dirac.dirac_ucf_variance(shape, "ti-surface", L_phi=L_phi) == pytest.approx(spinless, rel=1e-12)
        assert dirac.dirac_ucf_variance(shape, "ti-film", L_phi=L_phi) == pytest.approx(2 * spinless, rel=1e-12)
        assert dirac.dirac_ucf_variance(shape, "ti-film", L_phi=L_phi, tunnel=1e16) == \
            pytest.approx(spinless, rel=1e-6)
    # monotonic lifting of the valley degeneracy
    values = [dirac.dirac_ucf_variance((1,), "graphene", intervalley=x) for x in (0, 1, 10, 100, 1e4)]
    assert all(a > b for a, b in zip(values, values[1:]))


# ----------------------------------------------------------------------------- Hikami boxes
def _boxes_brute_force(a, n, n_angles=48):
    """Bare and dressed Hikami boxes of sector n by a direct double quadrature over (theta, theta') of the
    explicit spinors (second algorithm: no Laurent polynomials), in units of one ordinary species."""
    c, s = math.sqrt((1 + a) / 2), math.sqrt((1 - a) / 2)
    th = 2 * np.pi * np.arange(n_angles) / n_angles

    def spinor(t):
        return np.array([c * np.ones_like(t), s * np.exp(1j * t)])

    def f(t1, t2):                        # <k(t1)|k(t2)>
        u1, u2 = spinor(t1), spinor(t2)
        return np.sum(np.conj(u1) * u2, axis=0)

    T, Tp = np.meshgrid(th, th, indexing="ij")
    f2 = np.mean(np.abs(f(T, Tp)) ** 2)
    eta = 1 / (1 - np.mean(np.abs(f(T, Tp)) ** 2 * np.cos(Tp - T)) / f2)
    lam = np.mean(f(T, Tp) * f(T + np.pi, Tp + np.pi) * np.exp(-1j * n * (Tp - T))).real / f2
    box = np.mean(f(Tp + np.pi, T) * f(Tp, T + np.pi) * np.exp(1j * n * (Tp - T)) * np.cos(T) * np.cos(Tp))
    return (-1) ** n * lam * eta, 2 * lam * eta * box.real / f2


@pytest.mark.parametrize("a", [0.0, 0.2, 0.5, 0.9, 1.0])
def test_hikami_weights_against_quadrature(a):
    w = dm.hikami_weights(sp.nsimplify(a))
    for n in (0, 1):
        bare, dressed = _boxes_brute_force(a, n)
        assert float(w[n]["bare"]) == pytest.approx(bare, rel=1e-12, abs=1e-14)
        assert float(w[n]["dressed"]) == pytest.approx(dressed, rel=1e-12, abs=1e-14)


def test_massless_cone_alpha_from_the_boxes():
    """alpha = -1/2 from the boxes: the bare box alone gives -2 (tau_tr = 2 tau), each dressed box +1/2."""
    w = dm.hikami_weights(0)[1]
    assert (w["eta"], w["lambda"], w["bare"], w["dressed"], w["weight"]) == (2, 1, -2, 1, -1)
    # the ordinary metal (a = 1: constant spinor) has no dressing: weight +1
    w0 = dm.hikami_weights(1)[0]
    assert (w0["bare"], w0["dressed"], w0["weight"]) == (1, 0, 1)


def test_massive_weights_and_gaps_converge_to_the_massless_limits():
    """As the breaking (the mass a) goes to zero, the numeric sector-1 weight converges to -1 like 4a^2 and its
    gap to 0 like 2a^2 (derived forms evaluated through the public numeric path)."""
    prev = None
    for a in (1e-1, 1e-2, 1e-3, 1e-4):
        ch = {c["name"]: c for c in dirac.dirac_channels("ti-surface", 1e-12, mass_ratio=a, B_elastic=1.0)}
        dw = ch["sector_1"]["weight"] + 1
        assert dw == pytest.approx(4 * a * a / (1 + 3 * a * a), rel=1e-9)
        assert ch["sector_1"]["B_c"] - 1e-12 == pytest.approx(2 * a * a / (1 + a * a), rel=1e-9)
        if prev is not None:
            assert dw < prev / 50
        prev = dw


def test_zero_field_correction_against_the_spin_code():
    """Independent route: mesocorr.wl_correction (spin-degenerate metal, alpha = 1). One massless cone is -1/2 of it,
    graphene without intervalley/intravalley breaking -2 of it; the mpmath path agrees with float64."""
    from mesocorr import wl_correction

    D, B_e, B_phi = 0.01, 1.0, 0.001
    tau = HBAR / (4 * E_CHARGE * D * B_e)
    metal = wl_correction(2, D=D, phi=4 * E_CHARGE * D * B_phi / HBAR, elastic_time=tau)
    assert dirac.dirac_wl_correction("ti-surface", B_phi, B_e) == pytest.approx(-0.5 * metal, rel=1e-12)
    assert dirac.dirac_wl_correction("graphene", B_phi, B_e, 0, 0) == pytest.approx(-2 * metal, rel=1e-12)
    assert dirac.dirac_wl_correction("ti-film", B_phi, B_e) == pytest.approx(-metal, rel=1e-12)
    mp_value = dirac.dirac_wl_correction("graphene", B_phi, B_e, 0.01, 0.1, dps=30)
    assert float(mp_value) == pytest.approx(dirac.dirac_wl_correction("graphene", B_phi, B_e, 0.01, 0.1), rel=1e-14)


def test_hybridised_film_is_two_massive_cones():
    """The hybridisation gap: two cones of masses +-m, each the massive case (independent route: the ti-surface
    model evaluated per surface); with incoherent tunnelling on top it is refused (not derived)."""
    kw = {"mass_ratio": 0.4, "B_elastic": 1.0}
    film = dirac.dirac_magnetoconductance(FIELDS, "ti-film", (0.003, 0.01), **kw)
    cones = dirac.dirac_magnetoconductance(FIELDS, "ti-surface", 0.003, **kw) + \
        dirac.dirac_magnetoconductance(FIELDS, "ti-surface", 0.01, **kw)
    assert np.allclose(film, cones, rtol=1e-12, atol=0)
    with pytest.raises(ValueError, match="mass_ratio"):
        dirac.dirac_magnetoconductance(0.01, "ti-film", 0.003, B_tunnel=0.01, **kw)
    with pytest.raises(ValueError, match="B_elastic"):
        dirac.dirac_magnetoconductance(0.01, "ti-film", 0.003, B_elastic=1.0)


def test_film_mp_path_at_high_precision():
    """The film's 2x2 block at 100 digits agrees with 130 digits to 1e-99 (no fixed-precision step)."""
    a = dirac.dirac_magnetoconductance(0.01, "ti-film", (0.003, 0.01), B_tunnel=0.02, dps=100)
    with mpmath.workdps(130):
        b = dirac.dirac_magnetoconductance(0.01, "ti-film", (0.003, 0.01), B_tunnel=0.02, dps=130)
        assert abs(a - b) < mpmath.mpf(10) ** -99 * abs(b)
    assert float(a) == pytest.approx(float(dirac.dirac_magnetoconductance(0.01, "ti-film", (0.003, 0.01),
                                                                          B_tunnel=0.02)[()]), rel=1e-13)
