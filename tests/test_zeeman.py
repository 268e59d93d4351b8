"""Zeeman effect in weak (anti)localization and UCF (issue 14), against independent routes.

Independent routes: HLN/Kawabata/quasi-1D closed forms of mesocorr.magnetoconductance (no Zeeman), the 40-digit
mpmath path, the Landau-level sum of resolvents (no eigenvectors), the spinless UCF energy correlation (two
independent spin species without spin-orbit), and limits derived in closed form (S. Maekawa, H. Fukuyama,
J. Phys. Soc. Jpn. 50, 2516 (1981); P. A. Lee, A. D. Stone, H. Fukuyama, Phys. Rev. B 35, 1039 (1987), Sec. IV).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import mesocorr
from mesocorr.units import HBAR, MU_B
from mesocorr.zeeman import (
    landau_level_magnetoconductance,
    zeeman_magnetoconductance,
    zeeman_ucf_correlation,
    zeeman_ucf_variance,
    zeeman_wl_correction,
)

D, SO, PHI = 0.01, 4e11, 1e10
DELTA = (4 / 3) * SO / 2                        # (Gamma_T - Gamma_S)/2, isotropic spin-orbit, no magnetic
B_EP = DELTA * HBAR / (2 * MU_B)                # g = 2: omega = g mu_B B / hbar = Delta (exceptional point)
FIELDS = np.array([1e-5, 3e-4, 0.01, 0.2, 1.0, B_EP, 4.0])


WIRE = {"width": 1e-8}


@pytest.mark.parametrize("dim, extra", [(2, {}), (3, {}), (1, WIRE)])
def test_no_zeeman_is_the_hln_family(dim, extra):
    a = zeeman_magnetoconductance(FIELDS, dim=dim, D=D, so=SO, mag=2e9, phi=PHI, g_factor=0, **extra)
    b = mesocorr.magnetoconductance(FIELDS, dim=dim, D=D, so=SO, mag=2e9, phi=PHI, **extra)
    assert np.allclose(a, b, rtol=1e-13, atol=0)


@pytest.mark.parametrize("dim, extra", [(2, {}), (3, {}), (1, WIRE)])
def test_without_spin_orbit_zeeman_does_nothing_to_wl(dim, extra):
    """No spin-orbit (and no magnetic scattering, which also splits singlet from triplet): singlet and m = 0
    triplet have one gap, the Zeeman mixing cancels in Tr[W f(H)]."""
    a = mesocorr.magnetoconductance(FIELDS, dim=dim, D=D, phi=PHI, g_factor=2, B_inplane=0.3, **extra)
    b = mesocorr.magnetoconductance(FIELDS, dim=dim, D=D, phi=PHI, **extra)
    assert np.allclose(a, b, rtol=1e-12, atol=1e-16)


def test_zeeman_much_larger_than_spin_orbit_kills_the_antilocalization():
    weak = np.geomspace(1e-5, 1e-2, 7)
    plain = mesocorr.magnetoconductance(weak, D=D, so=SO, phi=PHI)
    assert plain.min() < -0.1                                   # the WAL dip
    huge = 200 * B_EP                                           # in-plane: omega = 200 Delta
    split = mesocorr.magnetoconductance(weak, D=D, so=SO, phi=PHI, g_factor=2, B_inplane=huge)
    assert split.min() > 0                                      # no antilocalization left
    assert np.all(np.diff(split) > 0)


def test_strong_spin_orbit_singlet_dephasing_in_the_magnetoconductance():
    """omega << Delta: the singlet gains (3/4) omega^2 tau_so (x the block weight); a fixed in-plane splitting in
    a weak perpendicular field is then HLN with the singlet at phi + (3/4) omega^2 / Gamma_so."""
    omega = 0.02 * DELTA
    B_par = omega * HBAR / (2 * MU_B)
    B = np.geomspace(1e-5, 3e-4, 5)
    got = mesocorr.magnetoconductance(B, D=D, so=SO, phi=PHI, g_factor=2, B_inplane=B_par)
    # HLN with the singlet dephased; triplet_x shifted the other way by the same second-order amount
    shift = 0.75 * omega**2 / SO
    e = 4 * 1.602176634e-19 * D / HBAR
    singlet = mesocorr.integrals.hln.hln_f(B * e / (PHI + shift))
    trip_x = mesocorr.integrals.hln.hln_f(B * e / (PHI + 4 * SO / 3 - shift))
    trip = mesocorr.integrals.hln.hln_f(B * e / (PHI + 4 * SO / 3))
    want = (1 / math.pi) * (-0.5 * singlet + 0.5 * trip_x + trip)
    assert np.allclose(got, want, rtol=3e-3)                    # O((omega/Delta)^2) corrections to the weights


@pytest.mark.slow
def test_float64_against_mpmath_including_the_exceptional_point():
    for kw in (dict(so=SO, phi=PHI, g_factor=2), dict(so=(1e11, 3e11, 5e10), mag=2e9, phi=1e9, g_factor=-0.44,
                                                         B_inplane=0.7)):
        for dim, extra in ((2, {}), (3, {}), (1, WIRE)):
            for B in (3e-4, B_EP, B_EP * (1 - 1e-9)):
                f = zeeman_magnetoconductance(B, dim=dim, D=D, **kw, **extra)
                m = float(zeeman_magnetoconductance(B, dim=dim, D=D, dps=25, **kw, **extra))
                assert f == pytest.approx(m, rel=1e-12)


def test_continuous_through_the_exceptional_point():
    eps = np.array([-1e-6, -1e-9, 0, 1e-9, 1e-6])
    vals = zeeman_magnetoconductance(B_EP * (1 + eps), D=D, so=SO, phi=PHI, g_factor=2)
    slope = (vals[-1] - vals[0]) / (2e-6)
    assert np.allclose(vals, vals[2] + slope * eps, atol=1e-12)


def test_landau_level_route_against_the_closed_form():
    B = [3e-4, 0.05, B_EP, 2.0]
    ll = landau_level_magnetoconductance(B, D=D, so=SO, phi=PHI, g_factor=2, B_inplane=0.2, dps=20)
    closed = zeeman_magnetoconductance(np.array(B), D=D, so=SO, phi=PHI, g_factor=2, B_inplane=0.2)
    assert np.allclose([float(x) for x in ll], closed, rtol=1e-12, atol=0)


def test_fixed_B_pm_pitfall_quantified():
    """The textbook form with field-dependent B+- used as fixed subtracts sigma(0) at the Zeeman energy of B:
    at omega >> Delta the two differ by Tr W (ln H_0 - ln H_B)/pi -> (1/2pi) ln(B_T/B_S) (s = 2)."""
    B = np.array([30.0, 300.0])
    a = mesocorr.magnetoconductance(B, D=D, so=SO, phi=PHI, g_factor=2)
    b = mesocorr.magnetoconductance(B, D=D, so=SO, phi=PHI, g_factor=2, subtract="same_splitting")
    limit = -math.log((4 * SO / 3 + PHI) / PHI) / (2 * math.pi)
    omega = 2 * MU_B * B / HBAR
    # corrections O(Delta/omega) (the mixed pair's phase)
    assert np.all(np.abs((a - b) - limit) < 2 * DELTA / omega)
    assert abs((a - b)[1] - limit) < abs((a - b)[0] - limit)


def test_zero_field_correction_with_a_fixed_splitting():
    tau = 1e-13
    for dim in (1, 2, 3):
        plain = mesocorr.wl_correction(dim, D=D, so=SO, phi=PHI, elastic_time=tau)
        assert zeeman_wl_correction(dim, D=D, so=SO, phi=PHI, elastic_time=tau) == pytest.approx(plain, rel=1e-13)
        f = zeeman_wl_correction(dim, D=D, so=SO, phi=PHI, zeeman=DELTA, elastic_time=tau)    # at the EP
        m = float(zeeman_wl_correction(dim, D=D, so=SO, phi=PHI, zeeman=DELTA, elastic_time=tau, dps=25))
        assert f == pytest.approx(m, rel=1e-12)


# ----------------------------------------------------------------------------- UCF
def _spinless(e):
    return mesocorr.ucf_correlation(delta_E=abs(e), shape=(1,), spinless=True)


@pytest.mark.parametrize("delta_E, omega", [(0.0, 0.0), (0.0, 5.0), (2.0, 5.0), (7.0, 1.5)])
def test_ucf_without_spin_orbit_is_two_independent_species(delta_E, omega):
    """Spin up at E + omega/2, down at E - omega/2: C = 2 C_s(e) + C_s(e + omega) + C_s(e - omega)."""
    want = 2 * _spinless(delta_E) + _spinless(delta_E + omega) + _spinless(delta_E - omega)
    assert zeeman_ucf_correlation(delta_E, (1,), zeeman=omega) == pytest.approx(want, rel=1e-12)


def test_ucf_variance_halves_at_large_splitting():
    v0 = mesocorr.ucf_variance((1,))
    assert zeeman_ucf_variance((1,), zeeman=0) == pytest.approx(v0, rel=1e-13)
    assert zeeman_ucf_variance((1,), zeeman=3e4) / v0 == pytest.approx(0.5, rel=1e-3)
    vso = mesocorr.ucf_variance((1,), so=1e6)
    assert zeeman_ucf_variance((1,), so=1e6) == pytest.approx(vso, rel=1e-12)
    assert zeeman_ucf_variance((1,), so=1e6, zeeman=3e4) / vso == pytest.approx(0.5, rel=1e-2)
    # the energy correlation halves too (strong spin-orbit)
    c = zeeman_ucf_correlation(4.0, (1,), so=1e6, zeeman=3e4)
    assert c / mesocorr.ucf_correlation(delta_E=4.0, shape=(1,), so=1e6) == pytest.approx(0.5, rel=1e-2)


def test_ucf_eigen_and_resolvent_routes_agree_and_the_ep_is_continuous():
    for so, w in ((3.0, 1.0), (3.0, 2.5), (0.5, 0.3), (1e4, 100.0)):
        e = zeeman_ucf_variance((1,), so=so, zeeman=w, route="eigen")
        r = zeeman_ucf_variance((1,), so=so, zeeman=w, route="resolvent")
        assert e == pytest.approx(r, rel=1e-12)
    with pytest.raises(ValueError, match="route"):
        zeeman_ucf_variance((1,), so=3.0, zeeman=2.0, route="eigen")     # Delta = 2: the EP
    at = zeeman_ucf_variance((1,), so=3.0, zeeman=2.0)
    near = [zeeman_ucf_variance((1,), so=3.0, zeeman=2.0 * (1 + x)) for x in (-1e-7, 1e-7)]
    assert abs(at - 0.5 * sum(near)) < 1e-12


def test_zeeman_inputs_are_checked():
    with pytest.raises(TypeError, match="g_factor"):
        mesocorr.magnetoconductance(0.1, D=D, phi=PHI, g_factor=True)
    with pytest.raises(TypeError, match="phi"):
        mesocorr.magnetoconductance(0.1, D=D, phi=np.array([1e9, 1e10]), g_factor=2)
    with pytest.raises(ValueError, match="subtract"):
        mesocorr.magnetoconductance(0.1, D=D, phi=PHI, g_factor=2, subtract="both")
    with pytest.raises(ValueError, match="phi"):
        mesocorr.magnetoconductance(0.1, D=D, so=SO, g_factor=2)         # gapless singlet
