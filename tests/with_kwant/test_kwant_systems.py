"""Kwant adapter: the reference strips against the package's own strip, lead numbering, and UCF ensembles.

Runs only where Kwant is installed (the separate Kwant CI venv, ``.ci/run``); skipped cleanly elsewhere. The
folder is not called ``tests/kwant``: with ``tests/`` on ``sys.path`` (conftest) such a folder would be a
namespace package ``kwant`` and shadow a missing Kwant.
Cost: Kwant takes 0.04-0.06 s per sample at these sizes; the whole module runs in about 80 s on one core.

UCF ensembles (E = -t, box disorder 2t): spinless systems at 16 x 64 sites (11 channels, <g> ~ 1.1-1.5,
l ~ 10 sites), spinful ones at 16 x 32 (the film's aspect ratio W/L = 0.5 enters the prediction). The
predictions are :func:`mesocorr.ucf_variance` for the film ``shape=(1, W/L)``, an independent route
(diffusion-mode sums with the diagrammatic weights). Measured ratios var/prediction at these sizes (seeded,
seed 2024, reproducible; in brackets the 95 % interval of the ratio): orthogonal 0.84 [0.70, 1.03],
unitary (field) 1.04 [0.91, 1.21], unitary (random flux 0.1) 1.09 [0.95, 1.26], spinful orthogonal
1.23 [1.00, 1.57], symplectic (Ando S = 0.8) 1.25 [1.01, 1.60]; a wrongly claimed class is off by a
factor 2 (orthogonal/unitary) or 4 (spin-orbit). Measured while choosing the parameters: a strong random
flux (0.3 per plaquette, <g> = 1.05) puts the unitary variance at 1.40 [1.22, 1.61] x 1/15-film (close to
localization the beta = 2 variance exceeds the diffusive value), and Ando S = 0.5 at L = 32 has a
spin-orbit length ~ L/3 (variance 0.245, i.e. ucf_variance at so ~ 10 D/L^2, not the strong-SO limit).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

kwant = pytest.importorskip("kwant")

from anderson_wire import conductance_ensemble  # noqa: E402  (after the importorskip)
from mesocorr import run_ensemble, ucf_variance  # noqa: E402
from mesocorr.ensembles import validate_ucf, validate_wl  # noqa: E402
from mesocorr.kwant_systems import disordered_strip, kwant_sample  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore:MUMPS is not available")
warnings.filterwarnings("ignore", message="MUMPS is not available")

ENERGY = -1.0
DISORDER = 2.0

# ----------------------------------------------------------------------------- same disorder, two codes
#: pre-drawn disorder arrays, looked up by the realisation parameter ``salt``
_ARRAYS: dict = {}


def _array_potential(site, salt):
    x, y = site.tag
    return _ARRAYS[salt][x, y]


def _anderson_array(width, length, disorder, seed):
    """The disorder of ``conductance_ensemble(1, ..., seed=seed)``: eps[x, y] (its rng draw, shape (L, 1, W))."""
    rng = np.random.default_rng(seed)
    return rng.uniform(-disorder / 2, disorder / 2, size=(length, 1, width))[:, 0, :]


@pytest.mark.parametrize("flux", [0.0, 0.013])
def test_kwant_equals_anderson_wire_for_the_same_disorder(flux):
    # independent route: tests/anderson_wire.py (recursive Green's function + Fisher-Lee, numpy only).
    # Its rows are y = 1..W and Kwant's 0..W-1: the Peierls phases differ by a constant per x-bond, a
    # gauge transformation that leaves the transmission unchanged.
    width, length = 7, 11
    fsyst = disordered_strip(width, length, "unitary" if flux else "orthogonal",
                             potential=_array_potential).finalized()
    sample = kwant_sample(fsyst, ENERGY, params={"flux": flux} if flux else {})
    for seed in (3, 4, 5):
        _ARRAYS[str(seed)] = _anderson_array(width, length, 2.5, seed)
        ref = conductance_ensemble(1, width=width, length=length, disorder=2.5, energy=ENERGY, flux=flux,
                                   seed=seed)[0]
        assert sample(seed) == pytest.approx(ref, rel=1e-9, abs=1e-12)


def test_spinful_systems_double_the_spinless_conductance_without_spin_orbit():
    # spinful_orthogonal = two decoupled copies; Ando S = 0 is the same model
    width, length, salt = 6, 9, "7"
    params = {"disorder": DISORDER, "salt": salt}
    g1 = kwant_sample(disordered_strip(width, length).finalized(), ENERGY, params)(7)
    g2 = kwant_sample(disordered_strip(width, length, "spinful_orthogonal").finalized(), ENERGY, params)(7)
    g0 = kwant_sample(disordered_strip(width, length, "symplectic").finalized(), ENERGY,
                      {**params, "spin_orbit": 0.0})(7)
    assert g2 == pytest.approx(2 * g1, rel=1e-10) and g0 == pytest.approx(2 * g1, rel=1e-10)


def test_clean_strip_transmits_its_channels():
    # clean leads and clean strip: g = number of open channels (spinful: twice), for each model
    from anderson_wire import open_channels

    n = open_channels(10, ENERGY)
    for symmetry, params, factor in (("orthogonal", {}, 1), ("unitary", {"flux": 0.0}, 1),
                                     ("spinful_orthogonal", {}, 2)):
        fs = disordered_strip(10, 5, symmetry).finalized()
        g = kwant_sample(fs, ENERGY, {"disorder": 0.0, **params})(0)
        assert g == pytest.approx(factor * n, rel=1e-9)


# ----------------------------------------------------------------------------- lead numbering
def _three_terminal(width=6, length=8):
    """The orthogonal strip with a third lead on its top edge (Kwant lead 2 = mesocorr lead 3)."""
    syst = disordered_strip(width, length)
    lat = next(iter(syst.sites())).family
    top = kwant.Builder(kwant.TranslationalSymmetry((0, 1)))
    top[(lat(x, width) for x in range(2, 5))] = 0.0
    top[lat.neighbors()] = -1.0
    syst.attach_lead(top)
    return syst.finalized()


def test_leads_numbered_from_one_converted_to_kwant_zero():
    fs = _three_terminal()
    params = {"disorder": DISORDER, "salt": "11"}
    sm = kwant.smatrix(fs, ENERGY, params=params)
    for src, dst in ((1, 2), (1, 3), (3, 2), (2, 1)):
        s = kwant_sample(fs, ENERGY, {"disorder": DISORDER}, leads=(src, dst))
        assert s.kwant_leads == (src - 1, dst - 1)
        assert s(11) == pytest.approx(sm.transmission(dst - 1, src - 1), rel=1e-10)
    assert kwant_sample(fs, ENERGY, {"disorder": DISORDER}, leads=(1, 3))(11) != pytest.approx(
        sm.transmission(1, 0), rel=1e-3)
    for bad in ((0, 1), (1, 4), (2, 2)):
        with pytest.raises(ValueError, match="leads"):
            kwant_sample(fs, ENERGY, {"disorder": DISORDER}, leads=bad)


def test_realisation_is_selected_by_the_seed_only():
    fs = disordered_strip(6, 10).finalized()
    s = kwant_sample(fs, ENERGY, {"disorder": DISORDER})
    assert s(5) == s(5) and s(5) != s(6)
    # the points option: one realisation at several parameter values
    v = kwant_sample(disordered_strip(6, 10, "unitary").finalized(), ENERGY, {"disorder": DISORDER},
                     points=[{"flux": 0.0}, {"flux": 0.02}, {"flux": -0.02}])(5)
    assert v[0] == pytest.approx(s(5), rel=1e-10)  # flux 0 is the orthogonal strip
    assert v[1] == pytest.approx(v[2], rel=1e-8)  # Onsager: two-terminal g(B) = g(-B)


# ----------------------------------------------------------------------------- UCF ensembles
SPINLESS = (16, 64)
SPINFUL = (16, 32)
CASES = {
    # name: (symmetry, time_reversal_breaking, params, geometry, samples, true class kwargs, wrong class kwargs)
    "orthogonal": ("orthogonal", "field", {}, SPINLESS, 200,
                   {"spinless": True}, {"spinless": True, "broken_trs": True}),
    "unitary_field": ("unitary", "field", {"flux": 0.01}, SPINLESS, 400,  # 10 flux quanta through the strip
                      {"spinless": True, "broken_trs": True}, {"spinless": True}),
    "unitary_random_flux": ("unitary", "random_flux", {"flux": 0.1}, SPINLESS, 400,
                            {"spinless": True, "broken_trs": True}, {"spinless": True}),
    "spinful_orthogonal": ("spinful_orthogonal", "field", {}, SPINFUL, 150,
                           {"spinless": False}, {"spinless": False, "so": 1e4}),
    # Ando S = 0.8: spin-orbit length << L = 32 (at S = 0.5 it is ~ L/3 and var sits at so ~ 10 D/L^2)
    "symplectic": ("symplectic", "field", {"spin_orbit": 0.8}, SPINFUL, 150,
                   {"spinless": False, "so": 1e4}, {"spinless": False}),
}


@pytest.fixture(scope="module")
def ensembles():
    out = {}
    for name, (symmetry, breaking, params, (w, length), n, _, _) in CASES.items():
        fs = disordered_strip(w, length, symmetry, time_reversal_breaking=breaking).finalized()
        sample = kwant_sample(fs, ENERGY, {"disorder": DISORDER, **params})
        out[name] = run_ensemble(sample, n, seed=2024, progress=False, label=name).values
    return out


@pytest.mark.parametrize("name", list(CASES))
def test_ucf_of_each_reference_system_matches_the_film_prediction(ensembles, name):
    _, _, _, (w, length), n, true, wrong = CASES[name]
    shape = (1, w / length)
    r = validate_ucf(ensembles[name], shape=shape, **true)
    assert r["prediction"] == pytest.approx(ucf_variance(shape=shape, **true), rel=1e-12)
    assert r["n"] == n
    assert r["consistent"], r
    bad = validate_ucf(ensembles[name], shape=shape, **wrong)
    assert not bad["consistent"], bad  # the wrongly claimed class is rejected



# ----------------------------------------------------------------------------- WL shift, paired
def test_wl_shift_of_the_field_strip_matches_the_film_in_its_field():
    # Kwant's hashed disorder (independent of tests/anderson_wire.py's generator), each realisation at B = 0
    # and at 0.001 h/e per plaquette (l_m = 12.6 > l ~ 5 sites: the weak-field regime); paired errors.
    # Measured with anderson_wire at this size (1200 pairs): ratio 0.69 +- 0.05 (g ~ 1.1, L/xi ~ 0.9).
    # ~0.1 s per pair on one core: 300 pairs ~ 30 s.
    fs = disordered_strip(16, 48, "unitary").finalized()
    sample = kwant_sample(fs, ENERGY, {"disorder": 2.6}, points=[{"flux": 0.0}, {"flux": 0.001}])
    ens = run_ensemble(sample, 300, seed=2025, progress=False, label="wl")
    g0, g1 = ens.values[:, 0], ens.values[:, 1]
    r = validate_wl(g0, g1, spinless=True, geometry=(16, 48), flux=0.001, channels=11, paired=True)
    assert r["prediction_source"] == "mesocorr.strip_predictions.strip_wl_shift"
    assert r["shift_sem"] == pytest.approx(ens.shift(0, 1)["shift_sem"], rel=1e-12)
    assert r["consistent"], r
    assert 0.4 < r["ratio"] < 1.2
    # wrongly claimed: spin-degenerate (twice the shift), the wire's B -> infinity value -1/3
    assert not validate_wl(g0, g1, spinless=False, geometry=(16, 48), flux=0.001, paired=True)["consistent"]
    assert not validate_wl(g0, g1, spinless=True, paired=True)["consistent"]
