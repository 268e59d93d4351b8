"""The scalar float64 hot path of ``magnetoconductance`` (issue 18) against the array path and mpmath.

The scalar kernels repeat the array kernels' float operations on Python floats, so the independent routes are
(i) the vectorised kernels (same algorithm, numpy), compared bit for bit, and (ii) 40-digit mpmath
(``log(x) + digamma(1/2 + 1/x)`` and the Hurwitz-zeta form of Kawabata's function), compared at the accuracy
claimed by :mod:`mesocorr.integrals.hln` / :mod:`mesocorr.integrals.kawabata`.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest

import mesocorr
from mesocorr.integrals.hln import hln_f_core, hln_f_scalar
from mesocorr.integrals.kawabata import kawabata_f3, kawabata_f3_scalar

RNG = np.random.default_rng(20261201)
# region boundaries of both kernels (x = 1e-2, 1/8, 1, z = 1/3; delta + 1/2 = 10) and random points over 20 decades
XS = np.concatenate([[0.0, 1e-2, 0.125, 1.0, 3.0, math.nextafter(3.0, 0), math.nextafter(3.0, 9), 9.5, 10.0,
                      1e300], 10.0 ** RNG.uniform(-12, 8, 4000)])


def test_hln_scalar_is_bitwise_the_array_kernel():
    arr = hln_f_core(XS.copy())
    scal = np.array([hln_f_scalar(float(x)) for x in XS])
    assert np.array_equal(arr, scal)


def test_hln_scalar_vs_mpmath():
    xs = np.concatenate([np.geomspace(1e-12, 1e6, 300), np.linspace(0.1, 1.1, 100)])
    with mpmath.workdps(40):
        ref = [float(mpmath.log(x) + mpmath.digamma(mpmath.mpf(1) / 2 + 1 / mpmath.mpf(x))) for x in xs]
    got = [hln_f_scalar(float(x)) for x in xs]
    assert max(abs(g / r - 1) for g, r in zip(got, ref)) < 2e-14


def test_kawabata_scalar_is_bitwise_the_array_kernel():
    ds = np.concatenate([XS, [np.inf]])
    with np.errstate(over="ignore"):
        arr = kawabata_f3(ds)
    assert np.array_equal(arr, np.array([kawabata_f3_scalar(float(d)) for d in ds]))


def test_kawabata_scalar_vs_mpmath():
    ds = np.concatenate([[0.0], np.geomspace(1e-8, 1e12, 150)])
    with mpmath.workdps(40):
        ref = [float(-2 * mpmath.sqrt(d) - mpmath.zeta(mpmath.mpf(1) / 2, mpmath.mpf(1) / 2 + mpmath.mpf(d)))
               for d in ds]
    got = [kawabata_f3_scalar(float(d)) for d in ds]
    assert max(abs(g / r - 1) for g, r in zip(got, ref)) < 1e-14


@pytest.mark.parametrize("dim", [2, 3])
@pytest.mark.parametrize("params", [dict(phi=1e10), dict(phi=1e10, so=4e11), dict(phi=3e9, so=(1e11, 2e11, 0), mag=2e9),
                                    dict(phi=0, mag=5e9), dict(phi=7, so=1)])
def test_scalar_call_equals_array_call(dim, params):
    """One number in, one float out, identical to element 0 of the array call (the general path)."""
    for B in (0.0, 1e-9, 3e-4, -0.02, 1.0, 7, 40.0):
        one = mesocorr.magnetoconductance(B, dim=dim, D=0.013, **params)
        assert type(one) is float
        assert one == float(mesocorr.magnetoconductance(np.array([B]), dim=dim, D=0.013, **params)[0])


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
