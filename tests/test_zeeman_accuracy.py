"""The general float64 route of the Zeeman magnetoconductance (in-plane fields: 3x3 blocks; d = 1, 3) next to an
exceptional point, where the eigenvector weights grow like the condition number and sigma(B) - sigma(0) is a
cancelling difference of two traces.

Reproducing case (found after the 2D fast path landed): the "clustered" parameters (weak spin-orbit next to strong
dephasing, g = 50) with B_inplane = 1e-30 T were off by 1.7e-4 relative at B = B_EP (1 - 1e-7) (and 1e-6 .. 1e-8
all around the exceptional point; d = 3: 3.2e-5, d = 1: 9.7e-6). Independent references: the textbook spectral
sums at 50+ digits (tests/zeeman_reference.py; 2D, any in-plane field) and, for d = 1, 3, the package's mpmath route
(spectral traces of H_B and H_0 at raised precision, contours around clusters; no float64 step).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from zeeman_reference import CASES, ep_field, reference

from mesocorr import zeeman

EP_OFFSETS = (-1e-2, -1e-4, -3e-5, -1e-7, -1e-12, 0.0, 1e-12, 1e-7, 3e-5, 1e-4, 1e-2)
NEIGHBOURS = (3e-6, 1e-5, 3e-5, 1e-4)          # grid fields around the clustered case's B_EP = 1.5e-5 T


def _kw(p, **extra):
    return dict(D=p["D"], so=p.get("so", 0), mag=p.get("mag", 0), phi=p["phi"], g_factor=p["g"], **extra)


def _ep_fields(case, inplane=0.0):
    p = CASES[case]
    ep = ep_field(p.get("so", 0), p.get("mag", 0), p["phi"], p["g"])
    # isotropic spin-orbit: the triplets are degenerate, the EP sits at |omega| = |Delta| for any field direction
    ep_z = math.sqrt(ep * ep - inplane * inplane)
    return ep, ep_z * (1 + np.array(EP_OFFSETS))


@pytest.mark.parametrize("case", ["clustered", "benchmark", "small_D"])
def test_general_route_next_to_the_exceptional_point_against_the_spectral_sums(case):
    """The reproducing case (and two more): a vanishing in-plane field puts the fields on the general route."""
    p = CASES[case]
    _, B = _ep_fields(case)
    if case == "clustered":
        B = np.concatenate([B, NEIGHBOURS])
    if case == "small_D":
        B = np.concatenate([B, [1e-4]])       # the one grid field left to the mpmath route (measured)
    got = zeeman.zeeman_magnetoconductance(B, **_kw(p, B_inplane=1e-30))
    want = np.array([reference(float(b), p["D"], p.get("so", 0), p.get("mag", 0), p["phi"], p["g"]) for b in B])
    err = np.abs(got - want) / np.abs(want)
    assert err.max() < 1e-12, (case, B[err.argmax()], err.max())


def test_general_route_with_a_real_inplane_field_through_the_exceptional_point():
    """A genuine 3x3 block (in-plane field 0.3 B_EP, clustered case): the EP of |omega| = |Delta| crossed by B_z."""
    p = CASES["clustered"]
    inplane = 0.3 * _ep_fields("clustered")[0]
    _, B = _ep_fields("clustered", inplane)
    got = zeeman.zeeman_magnetoconductance(B, **_kw(p, B_inplane=inplane))
    want = np.array([reference(float(b), p["D"], p.get("so", 0), 0, p["phi"], p["g"], B_inplane=inplane) for b in B])
    err = np.abs(got - want) / np.abs(want)
    assert err.max() < 1e-12, (B[err.argmax()], err.max())


@pytest.mark.parametrize("dim", [1, 3])
def test_general_route_in_one_and_three_dimensions_against_the_mpmath_route(dim):
    p = CASES["clustered"]
    _, B = _ep_fields("clustered")
    B = np.concatenate([B[[0, 3, 5, 7, 10]], NEIGHBOURS])
    kw = _kw(p, B_inplane=1e-30, dim=dim, width=1e-7 if dim == 1 else None)
    got = zeeman.zeeman_magnetoconductance(B, **kw)
    want = np.array([float(zeeman.zeeman_magnetoconductance(float(b), dps=20, **kw)) for b in B])
    err = np.abs(got - want) / np.abs(want)
    assert err.max() < 1e-12, (dim, B[err.argmax()], err.max())


def test_unresolved_fields_beyond_the_work_cap_are_refused_naming_the_arguments(monkeypatch):
    """Where neither float64 re-evaluation resolves a field (small_D at 1e-4 T), the mpmath route takes it (value
    checked above); when that would exceed the cap, a ValueError names the arguments instead."""
    p = CASES["small_D"]
    B = np.array([1e-4, 1e-3])
    monkeypatch.setattr(zeeman, "MP_SECONDS_CAP", 1e-6)
    with pytest.raises(ValueError, match=r"^B_inplane, g_factor: 1 field.*exceptional point.*dps="):
        zeeman.zeeman_magnetoconductance(B, **_kw(p, B_inplane=1e-30))
