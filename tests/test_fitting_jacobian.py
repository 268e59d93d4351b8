"""The fit's fast paths (issue 18) against independent routes: the closed-form channel derivatives
(:mod:`mesocorr.integrals.wl_derivatives`) against mpmath and against differences of the channel functions, the
prepared model (:class:`mesocorr.fitting.ChannelSum`) against the public :func:`mesocorr.magnetoconductance`, the
analytic Jacobian against finite differences of the public model, the fitted values against
``scipy.optimize.curve_fit``, and the channel-field start grid against a multi-start search."""

from __future__ import annotations

import warnings

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import curve_fit
from scipy.special import digamma

from mesocorr import magnetoconductance
from mesocorr.fitting import ChannelSum, field_to_rate, fit_magnetoconductance, model_function
from mesocorr.integrals.hln import hln_f, hln_f_mp
from mesocorr.integrals.kawabata import kawabata_f3_mp
from mesocorr.integrals.wl_derivatives import hln_f_log_derivative, kawabata_f3_log_derivative, wire_log_derivative
from mesocorr.physics_warnings import PhysicsWarning


# ------------------------------------------------------------------------- closed forms against mpmath
def _k_mp(x: float):
    """x F'(x) = 1 - z psi'(1/2 + z), z = 1/x, with the cancellation (~ 2 log10(1/x) digits) paid in precision."""
    xm = mpmath.mpf(x)
    with mpmath.workdps(40 + 2 * max(0, int(-mpmath.log10(xm)))):
        z = 1 / mpmath.mpf(x)
        return 1 - z * mpmath.psi(1, mpmath.mpf(1) / 2 + z)


def test_hln_log_derivative_matches_trigamma_over_the_whole_domain():
    """K(x) = 1 - psi'(1/2 + 1/x)/x (DLMF 5.15.1 trigamma) to 1e-14 relative for 1e-12 <= x <= 1e8; K(0) = 0 and
    K -> 1 (the textbook form loses 2 log10(1/x) digits; the positive-term form loses none)."""
    x = np.logspace(-12, 8, 241)
    got = hln_f_log_derivative(x)
    want = np.array([float(_k_mp(v)) for v in x])
    np.testing.assert_allclose(got, want, rtol=1e-14, atol=0)
    assert hln_f_log_derivative(np.array([0.0]))[0] == 0.0
    assert hln_f_log_derivative(np.array([1e300]))[0] == pytest.approx(1.0, rel=1e-15)
    small = 1e-6   # K = x^2/12 - 7 x^4/240 + ... (derivative of the asymptotic series F = x^2/24 - 7 x^4/960)
    assert hln_f_log_derivative(np.array([small]))[0] == pytest.approx(small**2 / 12 - 7 * small**4 / 240, rel=1e-15)


def test_hln_log_derivative_is_the_derivative_of_f():
    """Independent of the trigamma form: mpmath's numerical derivative of the library's 50-digit F (hln_f_mp) in
    ln x."""
    for x in (1e-5, 0.03, 0.7, 1.0, 2.5, 40.0, 3e5):
        with mpmath.workdps(50):
            d = mpmath.diff(lambda t, x=x: hln_f_mp(mpmath.e**t * x, 60), 0, h=mpmath.mpf("1e-20"))
        assert hln_f_log_derivative(np.array([x]))[0] == pytest.approx(float(d), rel=1e-13)


def test_kawabata_log_derivative_matches_hurwitz_zeta():
    """delta f3'(delta) = -sqrt(delta) + (delta/2) zeta(3/2, delta + 1/2) (DLMF 25.11.17 derivative of the Hurwitz
    zeta in its second argument) to 1e-14 relative for 1e-8 <= delta <= 1e12; 0 at delta = 0 and delta = inf."""
    d = np.logspace(-8, 12, 161)
    got = kawabata_f3_log_derivative(d)
    with mpmath.workdps(60):
        want = np.array([float(-mpmath.sqrt(mpmath.mpf(v)) + mpmath.mpf(v) / 2 * mpmath.zeta(1.5, mpmath.mpf(v) + 0.5))
                         for v in d])
    np.testing.assert_allclose(got, want, rtol=1e-14, atol=0)
    np.testing.assert_array_equal(kawabata_f3_log_derivative(np.array([0.0, np.inf])), [0.0, 0.0])


def test_kawabata_log_derivative_is_the_derivative_of_f3():
    """mpmath's numerical derivative of the library's f3 (kawabata_f3_mp) in ln delta."""
    for delta in (1e-4, 0.2, 3.0, 9.4, 9.6, 250.0):
        with mpmath.workdps(40):
            d = mpmath.diff(lambda t, delta=delta: kawabata_f3_mp(mpmath.e**t * delta, 50), 0,
                            h=mpmath.mpf("1e-15"))
        assert kawabata_f3_log_derivative(np.array([delta]))[0] == pytest.approx(float(d), rel=1e-13)


def test_wire_log_derivative_matches_mpmath():
    """1 - (1 + beta)^(-3/2) without cancellation for 1e-15 <= beta <= 1e15."""
    beta = np.logspace(-15, 15, 121)
    with mpmath.workdps(60):
        want = np.array([float(1 - (1 + mpmath.mpf(b)) ** mpmath.mpf(-1.5)) for b in beta])
    np.testing.assert_allclose(wire_log_derivative(beta), want, rtol=2e-15, atol=0)


# ------------------------------------------------------------------------- prepared model = public model
FIELDS = np.r_[0.0, np.logspace(-9, 3, 61)]


@pytest.mark.parametrize("b_phi", [1e-9, 3e-5, 0.02, 50.0])
@pytest.mark.parametrize("ratio", [0.0, 1e-6, 1.0, 1e5])
@pytest.mark.parametrize("b_mag", [0.0, 0.4])
def test_prepared_2d_model_equals_the_public_magnetoconductance(b_phi, ratio, b_mag):
    """ChannelSum.values (no per-call checks, channels stacked, SciPy digamma for x >= 1) against
    mesocorr.magnetoconductance at D = 1 m^2/s and rates 4 e B_x / hbar, fields from 1e-9 to 1e3 T: the same
    numbers to 1e-14 of the channel terms' size (each F to ~5e-15 on either route)."""
    p = {"B_phi": b_phi, "B_so": ratio * b_phi, "B_mag": b_mag * b_phi}
    got = ChannelSum(2).values(FIELDS, p)
    want = magnetoconductance(FIELDS, dim=2, D=1.0, phi=float(field_to_rate(p["B_phi"])),
                              so=float(field_to_rate(p["B_so"])), mag=float(field_to_rate(p["B_mag"])))
    singlet, triplet = b_phi + 2 * p["B_mag"], b_phi + 4 * p["B_so"] / 3 + 2 * p["B_mag"] / 3
    size = (0.5 * hln_f(FIELDS / singlet) + 1.5 * hln_f(FIELDS / triplet)) / np.pi   # the channels' magnitudes
    assert np.all(np.abs(got - want) <= 1e-14 * size)


def test_prepared_model_hands_unusual_parameters_back():
    """A gapless channel (B_phi = 0, no magnetic field) or a field beyond float64 is not evaluated by the prepared
    model: it returns None and the fit uses the public function (which refuses cleanly)."""
    k = ChannelSum(2)
    assert k.values(FIELDS, {"B_phi": 0.0, "B_so": 1e-3}) is None
    assert k.values(FIELDS, {"B_phi": 1e-310, "B_so": 0.0}) is None
    assert k.log_columns(FIELDS, {"B_phi": 0.0, "B_so": 1e-3}, ["B_so"]) is None


# ------------------------------------------------------------------------- analytic Jacobian = differences
def _public(dim, p, B, width=None):
    extra = {"width": width} if dim == 1 else {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PhysicsWarning)
        return np.asarray(magnetoconductance(B, dim=dim, D=1.0, phi=float(field_to_rate(p["B_phi"])),
                                             so=float(field_to_rate(p.get("B_so", 0.0))),
                                             mag=float(field_to_rate(p.get("B_mag", 0.0))), **extra), dtype=float)


def _richardson(dim, p, name, B, width=None):
    """d Delta sigma / d ln B_name by central differences of the public function, Richardson-extrapolated."""
    def diff(h):
        up, dn = dict(p), dict(p)
        up[name] *= np.exp(h)
        dn[name] *= np.exp(-h)
        return (_public(dim, up, B, width) - _public(dim, dn, B, width)) / (2 * h)

    return (4 * diff(5e-4) - diff(1e-3)) / 3


@pytest.mark.parametrize("dim, width", [(2, None), (3, None), (1, 5e-8)])
@pytest.mark.parametrize("p", [{"B_phi": 2e-3, "B_so": 1.5e-2}, {"B_phi": 4e-4, "B_so": 1e-5, "B_mag": 3e-3},
                               {"B_phi": 0.3, "B_so": 2.0}])
def test_log_columns_match_differences_of_the_public_model(dim, width, p):
    """The closed-form chain d/d ln B_k = sum_c w_c T_c'(B_c) a_ck B_k / B_c against central differences of the
    public magnetoconductance in every dimension, fields from 1e-4 to 10 T (Richardson: ~1e-9 relative)."""
    B = np.r_[0.0, np.logspace(-4, 1, 26)]
    cols = ChannelSum(dim, width).log_columns(B, p, list(p))
    for name in p:
        want = _richardson(dim, p, name, B, width)
        scale = np.max(np.abs(want))
        np.testing.assert_allclose(cols[name], want, rtol=1e-7, atol=1e-9 * scale)


@pytest.mark.parametrize("model, true, kwargs", [
    ("hln", {"B_phi": 2e-3, "B_so": 1.5e-2}, {"background": "offset+quadratic"}),
    ("hln-alpha", {"alpha": -0.5, "B_phi": 2e-3}, {"background": "offset"}),
    ("hln", {"B_phi": 2e-3, "B_mag": 1e-3}, {"magnetic": True, "fixed": {"B_so": 1.5e-2}}),
    ("kawabata", {"B_phi": 2e-3, "B_so": 1.5e-2}, {}),
    ("wire", {"B_phi": 2e-3, "B_so": 1.5e-2}, {"width": 3e-8}),
])
def test_reported_errors_equal_the_finite_difference_covariance(model, true, kwargs):
    """The covariance from the analytic Jacobian equals (J^T J)^-1 chi2_red with J by Richardson differences of the
    public model (delta method to the natural parameters) to 1e-6 relative. (With ``magnetic=True`` and B_so free the
    two channel fields cannot fix three fields: that fit is singular by construction, so B_so is held.)"""
    rng = np.random.default_rng(11)
    B = np.linspace(-0.08, 0.08, 81)
    extra = {"width": kwargs["width"]} if model == "wire" else {}
    f = model_function(model, magnetic=kwargs.get("magnetic", False), **extra)
    background = kwargs.get("background") or ""
    held = kwargs.get("fixed", {})
    y = f(B, {**held, **true}) + 0.02 * ("offset" in background) + 0.5 * B**2 * ("quadratic" in background)
    y = y + rng.normal(0, 2e-3, B.size)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PhysicsWarning)
        r = fit_magnetoconductance(B, y, model=model, **kwargs)
        names = r.param_names
        v = {n: r.value(n) for n in names}

        def full(q):
            out = f(B, {**held, **{k: q[k] for k in q if k not in ("offset", "quadratic")}})
            return out + q.get("offset", 0.0) + q.get("quadratic", 0.0) * B**2

        J = np.empty((B.size, len(names)))
        for j, n in enumerate(names):
            def d(h, n=n):
                up, dn = dict(v), dict(v)
                if n.startswith("B_"):
                    up[n], dn[n] = v[n] * np.exp(h), v[n] * np.exp(-h)
                else:
                    up[n], dn[n] = v[n] + h, v[n] - h
                return (full(up) - full(dn)) / (2 * h)
            J[:, j] = (4 * d(5e-5) - d(1e-4)) / 3
    cov_u = np.linalg.inv(J.T @ J) * r.chi2 / r.dof
    jac = np.array([v[n] if n.startswith("B_") else 1.0 for n in names])
    np.testing.assert_allclose(r.covariance, cov_u * np.outer(jac, jac), rtol=1e-6)


# ------------------------------------------------------------------------- the fit itself
def _hln_one_liner(B, b_phi, b_so):
    def F(x):
        return np.log(x) + digamma(0.5 + 1.0 / x)

    b = np.abs(B)
    return (1.5 * F(b / (b_phi + 4 * b_so / 3)) - 0.5 * F(b / b_phi)) / np.pi


def test_hln_fit_agrees_with_curve_fit_on_the_one_liner():
    """The benchmark's comparison (benchmarks/bench_fit.py): the same optimum as scipy's curve_fit of the textbook
    HLN formula on the same noisy data (curve_fit started at twice the true fields), to 1e-7 relative
    (curve_fit's own tolerance is 1e-8)."""
    rng = np.random.default_rng(20261201)
    B = np.r_[np.linspace(-0.05, 0.05, 101)[np.r_[0:50, 51:101]], 0.0005]
    true = (6.58e-4, 3.29e-3)
    y = _hln_one_liner(B, *true) + rng.normal(0, 1e-3, B.size)
    popt, _ = curve_fit(_hln_one_liner, B, y, p0=(2 * true[0], 2 * true[1]), bounds=(0, np.inf),
                        xtol=1e-12, ftol=1e-12, gtol=1e-12)
    r = fit_magnetoconductance(B, y, model="hln")
    assert r.value("B_phi") == pytest.approx(popt[0], rel=1e-7)
    assert r.value("B_so") == pytest.approx(popt[1], rel=1e-7)


@pytest.mark.parametrize("seed", [54, 209])
def test_channel_grid_start_finds_the_global_minimum(seed):
    """Noisy traces (found by comparing the starts over 300 random ones) where the decade grid over the
    log-parameters led the optimizer into a false minimum (chi2 8x and 10x the best, with a warning): the fit's
    chi2 is now the smallest of least-squares runs started on a 7 x 7 grid of p0 over four decades (an
    independent multi-start search), without warnings."""
    rng = np.random.default_rng(seed)
    log_phi, log_ratio = rng.uniform(-4, -2), rng.uniform(-1, 1.5)
    bmax, n = 10 ** rng.uniform(-2, -0.5), int(rng.integers(40, 150))
    B = np.linspace(-bmax, bmax, n)
    y = model_function("hln")(B, {"B_phi": 10**log_phi, "B_so": 10 ** (log_phi + log_ratio)})
    y = y + rng.normal(0, 1e-2, B.size)
    r = fit_magnetoconductance(B, y, model="hln")
    best = np.inf
    for bp in np.logspace(-4.5, -1.5, 7):
        for bs in np.logspace(-4.5, -1.5, 7):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                best = min(best, fit_magnetoconductance(B, y, model="hln", p0={"B_phi": bp, "B_so": bs}).chi2)
    assert r.chi2 <= best * (1 + 1e-9)
    assert r.warnings == []


@settings(deadline=None, max_examples=40)
@given(log_phi=st.floats(-320.0, 308.0), log_so=st.floats(-320.0, 308.0), log_mag=st.floats(-320.0, 308.0),
       log_b=st.floats(-320.0, 308.0))
def test_prepared_model_is_the_public_model_or_hands_back(log_phi, log_so, log_mag, log_b):
    """Fields anywhere in (and beyond) float64: the prepared model either returns the public function's numbers
    (to 1e-14 of the channel terms) or None; it never returns a number where the public function refuses, and
    never a non-finite one."""
    p = {"B_phi": 10.0**log_phi, "B_so": 10.0**log_so, "B_mag": 10.0**log_mag}
    fields = np.array([0.0, 10.0**log_b, 10.0 ** (log_b / 2)])
    got = ChannelSum(2).values(fields, p)
    try:
        with np.errstate(over="ignore"):   # a rate beyond float64 is inf: the public function refuses it
            rates = {k: float(field_to_rate(p[f"B_{k}"])) for k in ("phi", "so", "mag")}
        want = magnetoconductance(fields, dim=2, D=1.0, **rates)
    except ValueError:
        want = None
    if got is None:
        return
    assert want is not None and np.all(np.isfinite(got))
    singlet, triplet = p["B_phi"] + 2 * p["B_mag"], p["B_phi"] + 4 * p["B_so"] / 3 + 2 * p["B_mag"] / 3
    size = (0.5 * hln_f(fields / singlet) + 1.5 * hln_f(fields / triplet)) / np.pi
    assert np.all(np.abs(got - want) <= 1e-14 * size + 1e-300)
