"""The scalar float64 hot path of ``magnetoconductance`` (issue 18) against the array path and mpmath.

The scalar kernels use their own algorithm (asymptotic series, Taylor polynomials on geometric pieces with
coefficients derived exactly on first use, a series about 0: :mod:`mesocorr.integrals.taylor_pieces`), so the
independent routes are (i) 40-digit mpmath (``hln_f_mp``: ``log(x) + digamma(1/2 + 1/x)`` with guard digits;
``kawabata_f3_mp``: the Hurwitz-zeta form) in every piece, at every piece edge and at extreme arguments, and
(ii) the vectorised kernels (the recurrence / defining-sum algorithm), at a few ulp.
"""

from __future__ import annotations

import math
from decimal import Decimal

import mpmath
import numpy as np
import pytest

import mesocorr
from mesocorr.integrals import hln, kawabata
from mesocorr.integrals.hln import hln_f_core, hln_f_mp, hln_f_scalar
from mesocorr.integrals.kawabata import kawabata_f3, kawabata_f3_mp, kawabata_f3_scalar
from mesocorr.integrals.taylor_pieces import digamma_minus_log, hurwitz_zeta_run

RNG = np.random.default_rng(20261201)
TINY = 5e-324
# region boundaries of both kernels (x = 1e-2, 1/8, 64; delta = 1/64, 9.5), the float64 extremes and random points
XS = np.concatenate([[0.0, TINY, 1e-300, 1e-2, 0.125, math.nextafter(0.125, 1), 1.0, 3.0, 63.99, 64.0, 64.01, 9.5,
                      10.0, 1e300, 1.7e308], 10.0 ** RNG.uniform(-12, 8, 1500)])


def _piece_points(pieces):
    """Both edges (and just outside them) and the midpoint of every piece."""
    out = []
    for k in range(pieces.count):
        lo, hi = pieces.bounds(k)
        out += [lo, math.nextafter(lo, 0), 0.5 * (lo + hi), math.nextafter(hi, 0), hi]
    return np.array(out)


def _max_rel(got, ref) -> float:
    """Largest relative error (absolute below the smallest normal float, where a float64 result is rounded to 0)."""
    floor = mpmath.mpf(2.2250738585072014e-308)
    return float(max(abs(mpmath.mpf(float(g)) - r) / max(abs(r), floor) for g, r in zip(got, ref)))


def test_hurwitz_run_vs_mpmath_zeta():
    """The Euler-Maclaurin run behind the Taylor coefficients against mpmath's zeta (an independent algorithm)."""
    with mpmath.workdps(50):
        for s0, a in ((2, 0.5), (2, 0.515625), (2, 8.53125), ("0.5", 0.5), ("0.5", 1.25), ("0.5", 10.0), (2, 10.0)):
            run = hurwitz_zeta_run(Decimal(s0), Decimal(a), 22)
            for n in (0, 1, 5, 21):
                ref = mpmath.zeta(mpmath.mpf(s0) + n, a)
                assert abs(mpmath.mpf(str(run[n])) / ref - 1) < 1e-30
        for a, c in ((0.5, 1), (1.5, 1.0), (8.5, 8.0), (0.515625, 0.015625), (33.0, 32.5)):
            ref = mpmath.digamma(a) - mpmath.log(c)
            assert abs(mpmath.mpf(str(digamma_minus_log(Decimal(a), Decimal(c)))) / ref - 1) < 1e-30


def test_hln_scalar_vs_mpmath_every_piece():
    """Every Taylor piece (edges, just outside, midpoint), the series regions and the float64 extremes."""
    zs = _piece_points(hln._G_PIECES)
    xs = np.concatenate([1.0 / zs, XS[:15], np.geomspace(1e-12, 1e300, 120)])
    ref = [hln_f_mp(float(x), 30) for x in xs]
    got = [hln_f_scalar(float(x)) for x in xs]
    assert _max_rel(got, ref) < 6e-16         # measured 2.2e-16 (3.3e-16 with the asymptotic regions)


def test_kawabata_scalar_vs_mpmath_every_piece():
    ds = np.concatenate([_piece_points(kawabata._F3_PIECES), [0.0, TINY, 1e-300, 1e-20, 1e-8, 1 / 64, 0.0156,
                                                              9.4999, 9.5, 9.5001, 1e8, 1e200, 1.7e308]])
    ref = [kawabata_f3_mp(float(d), 30) for d in ds]
    got = [kawabata_f3_scalar(float(d)) for d in ds]
    assert _max_rel(got, ref) < 2e-15       # the asymptotic region (unchanged, shared with the array kernel)
    inner = ds < 9.5
    assert _max_rel(np.array(got)[inner], np.array(ref, dtype=object)[inner]) < 6e-16     # measured 2.3e-16
    assert kawabata_f3_scalar(math.inf) == 0.0


def test_hln_scalar_vs_array_kernel():
    arr = hln_f_core(XS.copy())
    scal = np.array([hln_f_scalar(float(x)) for x in XS])
    assert np.all((scal == 0) == (arr == 0))
    nz = arr != 0
    assert np.max(np.abs(scal[nz] / arr[nz] - 1)) < 3e-15


def test_kawabata_scalar_vs_array_kernel():
    ds = np.concatenate([XS, [np.inf]])
    with np.errstate(over="ignore"):
        arr = kawabata_f3(ds)
    scal = np.array([kawabata_f3_scalar(float(d)) for d in ds])
    assert np.all((scal == 0) == (arr == 0))
    nz = arr != 0
    assert np.max(np.abs(scal[nz] / arr[nz] - 1)) < 3e-15


def test_hln_scalar_vs_mpmath_random():
    xs = np.concatenate([np.geomspace(1e-12, 1e6, 300), np.linspace(0.1, 1.1, 100)])
    ref = [hln_f_mp(float(x), 30) for x in xs]
    got = [hln_f_scalar(float(x)) for x in xs]
    assert _max_rel(got, ref) < 1e-15


@pytest.mark.parametrize("dim", [2, 3])
@pytest.mark.parametrize("params", [dict(phi=1e10), dict(phi=1e10, so=4e11), dict(phi=3e9, so=(1e11, 2e11, 0), mag=2e9),
                                    dict(phi=0, mag=5e9), dict(phi=7, so=1), dict(phi=1e-300, mag=1e-290),
                                    dict(phi=1e290, so=1e300)])
def test_scalar_call_equals_array_call(dim, params):
    """One number in, one float out, equal to element 0 of the array call (the general path, another algorithm)
    to a few ulp, and to the mpmath path (``dps=30``) to 2e-15, over fields from 1e-300 T to 1e30 T."""
    if dim == 2 and params.get("phi") == 0:
        params = dict(params, phi=1e-3)
    for B in (0.0, 1e-300, 1e-9, 3e-4, -0.02, 1.0, 7, 40.0, 1e30):
        try:
            one = mesocorr.magnetoconductance(B, dim=dim, D=0.013, **params)
        except ValueError:
            with pytest.raises(ValueError):
                mesocorr.magnetoconductance(np.array([B]), dim=dim, D=0.013, **params)
            continue
        assert type(one) is float
        arr = float(mesocorr.magnetoconductance(np.array([B]), dim=dim, D=0.013, **params)[0])
        assert one == pytest.approx(arr, rel=4e-15, abs=0)
        mp = float(mesocorr.magnetoconductance(B, dim=dim, D=0.013, dps=30, **params))
        assert one == pytest.approx(mp, rel=2e-15, abs=0)


@pytest.mark.parametrize("kwargs, exc, start", [
    (dict(B=0.1, D=0.01, phi=0), ValueError, "phi"),           # gapless singlet in 2D
    (dict(B=0.1, D=-0.01, phi=1e10), ValueError, "D"),
    (dict(B=math.nan, D=0.01, phi=1e10), ValueError, "B"),
    (dict(B=10**400, D=0.01, phi=1e10), ValueError, "B"),
    (dict(B=True, D=0.01, phi=1e10), TypeError, "B"),
    (dict(B=0.1, D=0.01, phi=1e10, so=(1, 2)), ValueError, "so"),
    (dict(B=0.1, D=0.01, phi=-1.0), ValueError, "phi"),
    (dict(B=0.1, D=0.01, phi=1e10, dim=4), ValueError, "dim"),
])
def test_scalar_inputs_refused_as_before(kwargs, exc, start):
    """Bad scalars fall through to the general path and get its errors (argument named first)."""
    with pytest.raises(exc, match=f"^{start}"):
        mesocorr.magnetoconductance(**kwargs)


# ----------------------------------------------------------------------------- UCF variance: cached float64 point
@pytest.mark.parametrize("kwargs", [dict(shape=(1,), spinless=True), dict(shape=(1, 2.5), so=3.0, L_phi=0.7),
                                    dict(shape=[1, 0.5, 0.25], so=(1, 2, 0.5), mag=0.2, L_T=0.9)])
def test_ucf_cached_point_equals_general_path(kwargs):
    """A plain-number call (cached) returns what the general path returns for the same point given as numpy
    scalars (not cached); a second call returns the same float."""
    first = mesocorr.ucf_variance(**kwargs)
    again = mesocorr.ucf_variance(**kwargs)
    general = mesocorr.ucf_variance(**{k: (np.float64(v) if isinstance(v, float) else v) for k, v in kwargs.items()},
                                    mean_free_path=1e-6)
    assert type(first) is float and first == again == general


def test_ucf_cache_keeps_the_type_checks():
    """True == 1 and hash(True) == hash(1): a cached value must not let a boolean through."""
    mesocorr.ucf_variance(shape=(1,), so=1)
    with pytest.raises(TypeError, match="^so"):
        mesocorr.ucf_variance(shape=(1,), so=True)
    with pytest.raises(TypeError, match="^spinless"):
        mesocorr.ucf_variance(shape=(1,), spinless=1)
    with pytest.raises(ValueError, match="^L_phi"):
        mesocorr.ucf_variance(shape=(1,), L_phi=-1.0)


# ----------------------------------------------------------------------------- properties of the scalar kernels
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

FINITE = st.floats(min_value=0.0, max_value=1.7976931348623157e308, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(FINITE)
def test_scalar_kernels_agree_with_the_array_kernels(x):
    """Any finite non-negative float: both scalar kernels within 3e-15 of the array kernels (another algorithm)."""
    for scalar, array in ((hln_f_scalar, hln_f_core), (kawabata_f3_scalar, kawabata.kawabata_f3_core)):
        with np.errstate(over="ignore"):
            want = float(array(np.array([x]))[0])
        got = scalar(x)
        assert math.isfinite(got) and got >= 0
        assert abs(got - want) <= 3e-15 * abs(want)


RATE = st.one_of(st.just(0.0), st.floats(min_value=5e-324, max_value=1e308))


@settings(max_examples=150, deadline=None)
@given(st.floats(min_value=-1e308, max_value=1e308), st.sampled_from([2, 3]), st.floats(min_value=5e-324, max_value=1e308),
       RATE, RATE, RATE)
def test_scalar_call_is_the_array_call(B, dim, D_, so, mag, phi):
    """Extreme plain floats: the scalar call and the array call either both refuse with the same ValueError
    (argument named first) or agree to 4e-15."""
    kw = dict(dim=dim, D=D_, so=so, mag=mag, phi=phi)
    try:
        want = float(mesocorr.magnetoconductance(np.array([B]), **kw)[0])
    except ValueError as exc:
        with pytest.raises(ValueError) as scalar_exc:
            mesocorr.magnetoconductance(B, **kw)
        assert str(scalar_exc.value).split(":")[0] == str(exc).split(":")[0]
        return
    got = mesocorr.magnetoconductance(B, **kw)
    assert type(got) is float and math.isfinite(got)
    assert abs(got - want) <= 4e-15 * abs(want)
