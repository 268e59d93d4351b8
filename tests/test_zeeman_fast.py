"""The 2D Zeeman fast path (split-pair blocks, real arithmetic where the gaps are real) against an independent
high-precision route, over the whole domain: log grids of fields from 1e-10 T to 1e4 T, the exceptional point and
its neighbourhood, weak and strong spin-orbit, magnetic scattering, tiny dephasing, large g.

Independent route (tests/zeeman_reference.py, mpmath at 50+ digits, more where the result cancels): the gap operator H_B of the
engine at exact inputs, its eigen-decomposition (mpmath.eig, right and left eigenvectors), and
Delta sigma = (s/2pi) sum_c w_c [psi(1/2 + Gamma_c/b) - ln(Gamma_c/b)] + (s/2pi) (sum_c w_c ln Gamma_c(B)
- sum_c w_c ln Gamma_c(0)) with w_c = (V^-1 W V)_cc — the textbook spectral sums, no series, no recurrences, no
contour, no Daleckii-Krein; every cancellation (F(x) ~ x^2/24, the sigma(0) difference ~ omega^2) overwhelmed by
working digits. The float64 code uses none of this (asymptotic series, Taylor moments of the log difference,
closed-form 2x2 traces). Also: the component routes of the fast path (mesocorr.integrals.matrix_functions) against
mpmath matrix functions.
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
from zeeman_reference import CASES, ep_field, reference

import mesocorr
from mesocorr.integrals.hln_complex import hln_phi
from mesocorr.integrals.matrix_functions import log_shift_2x2, log_shift_moments, pair_trace_2x2

GRID = np.geomspace(1e-10, 1e4, 29)
EP_OFFSETS = (-1e-2, -1e-4, -3e-5, -1e-7, -1e-12, 0.0, 1e-12, 1e-7, 3e-5, 1e-4, 1e-2)


def _fields(case):
    p = CASES[case]
    ep = ep_field(p.get("so", 0), p.get("mag", 0), p["phi"], p["g"])
    return np.concatenate([GRID, ep * (1 + np.array(EP_OFFSETS))])


def _call(B, p):
    return mesocorr.magnetoconductance(B, D=p["D"], so=p.get("so", 0), mag=p.get("mag", 0), phi=p["phi"],
                                       g_factor=p["g"])


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(CASES))
def test_fast_path_against_the_spectral_sums_at_high_precision(case):
    p = CASES[case]
    B = _fields(case)
    got = _call(B, p)
    want = np.array([reference(float(b), p["D"], p.get("so", 0), p.get("mag", 0), p["phi"], p["g"]) for b in B])
    # relative to the value, or to the magnitude of the largest channel term where Delta sigma crosses zero
    # (the WAL -> WL crossover): |F| of the triplets ~ ln(b/Gamma) at most
    err = np.abs(got - want) / np.maximum(np.abs(want), 1e-300)
    assert err.max() < 1e-12, (case, B[err.argmax()], err.max())


@pytest.mark.parametrize("subtract", ["zero_field", "same_splitting"])
@pytest.mark.parametrize("case", ["anisotropic", "benchmark", "magnetic"])
def test_fast_path_matches_the_general_route_of_an_equivalent_model(case, subtract):
    """A vanishing in-plane field couples three channels: the general (stacked-matrix) route; with B_inplane = 1e-30 T
    its splitting is ~1e-19 of the rates, far below rounding — the two routes must agree to rounding (both
    subtractions; fields of either sign and B = 0 inside the array)."""
    p = CASES[case]
    B = np.concatenate([_fields(case), [0.0, -0.3, -p["D"]]])
    kw = dict(D=p["D"], so=p.get("so", 0), mag=p.get("mag", 0), phi=p["phi"], g_factor=p["g"], subtract=subtract)
    fast = mesocorr.magnetoconductance(B, **kw)
    general = mesocorr.magnetoconductance(B, B_inplane=1e-30, **kw)
    assert fast[-3] == 0.0
    big = np.abs(general) > 1e-9        # the general route's own loss at the tiniest fields (measured 2e-12 there)
    assert np.allclose(fast[big], general[big], rtol=1e-11, atol=0)
    assert np.allclose(fast, general, rtol=1e-9, atol=0)
    assert np.all(np.isfinite(fast))


def test_log_difference_from_the_pair_eigenvalues_equals_the_standalone_route():
    """log_shift_2x2 fed with ln[l+, l-] of pair_trace_2x2 (the fast path) against its own artanh/arctan route."""
    for a, d in ((1e10, 5.43e11), (1.0, 1.0 + 1e-9), (1e3, 1.33e12), (2.0, 1.0)):
        mu, delta = 0.5 * (a + d), 0.5 * (d - a)
        k = np.concatenate([np.geomspace(1e-20, 1e6, 200) * a * d, [delta * delta]])
        y = delta * delta - k
        _, L = pair_trace_2x2(mu, y, k + a * d, 0.0, 1.0, lambda lam, sel: lam * 0.0, lambda z, sel: z * 0.0,
                              log_dd=True)
        fused = log_shift_2x2(a, d, -0.5, 0.5, k, log_dd=L)
        alone = log_shift_2x2(a, d, -0.5, 0.5, k)
        assert np.allclose(fused, alone, rtol=3e-14, atol=0)


def test_continuous_through_the_exceptional_point_on_a_fine_scan():
    p = CASES["benchmark"]
    ep = ep_field(p["so"], 0, p["phi"], p["g"])
    eps = np.linspace(-3e-2, 3e-2, 601)            # crosses |s| = 0.01 mu (contour <-> closed forms) both ways
    vals = _call(ep * (1 + eps), p)
    second = np.diff(vals, 2)
    assert np.abs(second).max() < 1e-6 * np.abs(vals).max()      # smooth: no jump at the route boundaries


# ----------------------------------------------------------------------------- component routes
@pytest.mark.parametrize("a, d", [(1e10, 5.43e11), (5.43e11, 1e10), (1.0, 1.0 + 1e-9), (1.0, 1.3), (1.0, 5.8),
                                  (1.0, 1e6), (1e-3, 1e9), (2.0, 1.0)])
def test_log_shift_against_the_eigen_sums(a, d):
    """Tr[W(ln M_k - ln M_0)] against sum_c w_c ln lambda_c (mpmath.eig, left/right eigenvectors) at 60 digits,
    k/(ad) from 1e-20 to 1e6 (the series, both sides of its border v = 1/4, the exceptional point k = Delta^2)."""
    ks = np.geomspace(1e-20, 1e6, 27) * a * d
    ks = np.concatenate([ks, [0.25 * a * d * (1 - 1e-12), 0.25 * a * d * (1 + 1e-12), 0.25 * (d - a) ** 2 * (1 + 1e-6)]])
    for w0, w1 in ((-0.5, 0.5), (0.3, 0.5)):
        got = log_shift_2x2(a, d, w0, w1, ks)
        with mpmath.workdps(60):
            am, dm = mpmath.mpf(a), mpmath.mpf(d)
            W = mpmath.diag([w0, w1])
            for k, g in zip(ks, got):
                r = 1j * mpmath.sqrt(mpmath.mpf(k))
                M = mpmath.matrix([[am, r], [r, dm]])
                lam, V = mpmath.eig(M)
                wc = mpmath.inverse(V) * W * V
                want = mpmath.fsum(wc[c, c] * mpmath.log(lam[c]) for c in range(2))
                want -= w0 * mpmath.log(am) + w1 * mpmath.log(dm)
                assert g == pytest.approx(float(mpmath.re(want)), rel=1e-14), (a, d, k / (a * d))


@pytest.mark.parametrize("u0", [0.0, 1e-3, 0.3, 0.5, 0.5 + 1e-9, 0.52, 0.7, 0.93, 1 - 1e-6, 1 - 1e-12])
def test_log_shift_moments_against_the_hypergeometric_function(u0):
    """P_m = (1 - u0)^m int_0^1 t^2m (1 - u0 t^2)^(-m-1) dt = (1 - u0)^m 2F1(m + 1, m + 1/2; m + 3/2; u0)/(2m + 1)
    (DLMF 15.6.1 with tau = t^2), mpmath at 40 digits."""
    rest = 1 - u0 if u0 < 0.9 else float(1 - mpmath.mpf(u0))
    P = log_shift_moments(u0, rest)
    with mpmath.workdps(40):
        um = mpmath.mpf(u0)
        for m in (0, 1, 2, 3, 5, 10, 20, 34):
            want = mpmath.mpf(rest) ** m * mpmath.hyp2f1(m + 1, m + mpmath.mpf(1) / 2, m + mpmath.mpf(3) / 2, um)
            want /= 2 * m + 1
            assert P[m] == pytest.approx(float(want), rel=3e-15 if m < 10 else 3e-14), m


def test_pair_trace_against_the_matrix_function():
    """Tr[W f(M)] for f = phi(./b) (the HLN function) against mpmath eigen-sums at 50 digits on both sides of
    the exceptional point and through the contour region."""
    mu, trw, tw, b = 2.0, 0.4, -0.7, 3.0
    ys = np.concatenate([-np.geomspace(1e-8, 1e3, 40), np.geomspace(1e-8, 3.9, 40), [0.0]])

    def fr(lam, sel):
        assert lam.shape == (2, len(sel))
        return hln_phi(lam / b + 0j).real

    def fc(z, sel):
        return hln_phi(z / b)

    got = pair_trace_2x2(mu, ys, mu * mu - ys, trw, tw, fr, fc)
    with mpmath.workdps(50):
        def phi(z):
            return mpmath.digamma(mpmath.mpf(1) / 2 + z / b) - mpmath.log(z / b)

        for y, g in zip(ys, got):
            if y == 0:
                want = trw * phi(mu) + tw * mpmath.diff(phi, mu)
            else:
                s = mpmath.sqrt(mpmath.mpf(y))
                fp, fm = phi(mu + s), phi(mu - s)
                want = trw * (fp + fm) / 2 + tw * (fp - fm) / (2 * s)
            assert g == pytest.approx(float(mpmath.re(want)), rel=1e-13, abs=0), y


# ----------------------------------------------------------------------------- property test
from hypothesis import given, settings, strategies as st  # noqa: E402

_LOG_RATE = st.floats(min_value=-3, max_value=15)


@settings(max_examples=25, deadline=None)
@given(so=_LOG_RATE, phi=_LOG_RATE, mag=st.one_of(st.just(None), _LOG_RATE), logD=st.floats(-6, 0),
       g=st.floats(-100, 100).filter(lambda v: abs(v) > 1e-3), logB=st.lists(st.floats(-12, 6), min_size=1,
                                                                               max_size=4))
def test_fast_path_against_the_spectral_sums_for_random_parameters(so, phi, mag, logD, g, logB):
    """Random spin-orbit, dephasing, magnetic rates (1e-3 .. 1e15 /s), D, g and fields (1e-12 .. 1e6 T): the fast
    path gives finite values equal to the high-precision spectral sums, or refuses with ValueError (as the
    general route does: a gap or a field outside the float64 range)."""
    kw = dict(D=10.0 ** logD, so=10.0 ** so, phi=10.0 ** phi, mag=0 if mag is None else 10.0 ** mag, g_factor=g)
    B = 10.0 ** np.array(logB)
    try:
        fast = mesocorr.magnetoconductance(B, **kw)
    except ValueError:
        with pytest.raises(ValueError):
            mesocorr.magnetoconductance(B, B_inplane=1e-300, **kw)
        return
    assert np.all(np.isfinite(fast))
    for b, f in zip(B, fast):
        want = reference(float(b), kw["D"], kw["so"], kw["mag"], kw["phi"], g, digits=20)
        assert f == pytest.approx(want, rel=1e-11, abs=1e-300), b
