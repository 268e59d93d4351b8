"""Predictions for the simulated strip: magnetic-Laplacian sums by two routes, the narrow-wire limit,
the regime's small parameters, and geometry-specific verdicts of validate_ucf / validate_wl."""

from __future__ import annotations

import math

import numpy as np
import pytest

from anderson_wire import conductance_ensemble
from mesocorr.ensembles import DEFAULT_RTOL, FILM_WL_RTOL, validate_ucf, validate_wl
from mesocorr.integrals.magnetic_modes import (MAX_RECURSIVE_POINTS, MAX_RECURSIVE_WORK,
                                               magnetic_rectangle_eigenvalues, magnetic_shift_sum,
                                               magnetic_trace_inverse, recursive_work)
from mesocorr.strip_predictions import strip_mean_free_path, strip_regime, strip_wl_shift
from mesocorr.ucf import ucf_variance
from mesocorr.wl import wire_wl_conductance


# ----------------------------------------------------------------------------------------- mode sums
@pytest.mark.parametrize("width,length,flux,h,gamma", [(8, 20, 0.01, 1.0, 0.0), (6, 9, 0.03, 0.5, 0.3),
                                                       (12, 12, 0.0, 1.0, 0.0),
                                                       # wider than long: row slices
                                                       (20, 8, 0.01, 1.0, 0.0), (13, 12, 0.02, 1.0, 0.1)])
def test_recursive_trace_equals_the_spectrum(width, length, flux, h, gamma):
    # independent route: all eigenvalues of the grid operator (banded LAPACK solver)
    mu = magnetic_rectangle_eigenvalues(width, length, flux, 2, h)
    ref = math.fsum((1 / (mu + gamma)).tolist())
    assert magnetic_trace_inverse(width, length, flux, 2, h, gamma) == pytest.approx(ref, rel=1e-11)


def test_one_row_trace_is_the_discrete_dirichlet_sum():
    # one cell across: the 1D Dirichlet Laplacian with M cells, sum 1/lambda_k = h^2 (M^2 - 1)/6 (exact)
    for length, h in ((10, 1.0), (40, 0.5)):
        assert magnetic_trace_inverse(h, length, 0.0, 2, h) == pytest.approx((length**2 - h**2) / 6, rel=1e-12)


@pytest.mark.parametrize("width,length,flux", [(1, 60, 0.004), (2, 64, 0.002)])
def test_narrow_strip_reaches_the_wire_with_field_dephasing(width, length, flux):
    # W << l_m: the field acts as a Cooperon gap, L_B = sqrt(3) l_m^2 / W (C. W. J. Beenakker, H. van Houten,
    # PRB 38, 3232 (1988), Eq. (8) in the dirty limit; Altshuler-Aronov); the wire's closed form a coth a
    r = strip_wl_shift(width, length, flux, rtol=5e-3)
    l_b = math.sqrt(3) / (2 * math.pi * flux) / width
    ref = -1 / 3 - float(wire_wl_conductance(l_b / length, spinless=True))
    assert r["shift"] == pytest.approx(ref, rel=1e-2)  # measured 0.2-0.5 %: O((W/l_m)^2) and the grid
    assert r["error"] < 5e-3 * abs(r["shift"])
    assert strip_wl_shift(width, length, flux, spinless=False, rtol=5e-3)["shift"] == pytest.approx(2 * r["shift"],
                                                                                                  rel=1e-12)


def test_shift_sum_refines_until_converged_and_caps():
    coarse = magnetic_shift_sum(32, 64, 0.001, rtol=1e-1, start_points=400)
    fine = magnetic_shift_sum(32, 64, 0.001, rtol=1e-3, start_points=400)
    assert fine["h"][0] < coarse["h"][0]
    assert abs(fine["shift"] - coarse["shift"]) < 2 * coarse["shift_error"] + fine["shift_error"]
    with pytest.raises(ArithmeticError, match="not converged"):
        magnetic_shift_sum(32, 64, 0.05, rtol=1e-6, max_points=2000, start_points=400)
    with pytest.raises(ValueError, match="max_points"):
        strip_wl_shift(32, 64, 0.001, max_points=10**7)


def test_work_cap_checked_before_each_grid_level():
    # the recursive trace costs n_long * n_short^3 (recursive_work); the cap stops a level before it starts
    assert recursive_work(20, 8, 1.0) == 20 * 7**3 and recursive_work(8, 20, 1.0) == 19 * 8**3
    with pytest.raises(ValueError, match="width: .* work units > the cap"):
        magnetic_shift_sum(300, 300, 0.001, start_points=MAX_RECURSIVE_POINTS)
    with pytest.raises(ArithmeticError, match="work cap"):  # level 1 (~0.1 s) not converged, level 2 too costly
        magnetic_shift_sum(64, 64, 0.3, rtol=1e-6, start_points=6400)
    assert MAX_RECURSIVE_WORK < 2 * (recursive_work(64, 64, 0.4) + recursive_work(64, 64, 0.8))


# ----------------------------------------------------------------------------------------- regime
def test_mean_free_path_from_dmpk_and_small_parameters():
    assert strip_mean_free_path(2.0, 11, 64) == pytest.approx(64 / (11 / 2 - 1), rel=1e-14)
    with pytest.raises(ValueError, match="mean_g"):
        strip_mean_free_path(12.0, 11, 64)
    r = strip_regime(16, 64, 1.5, "unitary", channels=11, flux=0.001)
    l_e = 64 / (11 / 1.5 - 1)
    assert r["mean_free_path"] == pytest.approx(l_e, rel=1e-14)
    assert r["assumptions"]["L << xi"] == pytest.approx(64 / ((2 * 11) * l_e), rel=1e-14)  # beta N + 2 - beta
    assert r["assumptions"]["l << l_m"] == pytest.approx(l_e * math.sqrt(2 * math.pi * 0.001), rel=1e-14)
    assert r["weakest"] == max(r["assumptions"], key=r["assumptions"].get)
    spinful = strip_regime(16, 64, 3.0, "orthogonal", spinless=False)
    assert spinful["assumptions"]["g >> 1"] == pytest.approx(1 / 1.5) and spinful["mean_free_path"] is None


# ----------------------------------------------------------------------------------------- verdicts
WIRE = {"width": 16, "length": 64, "disorder": 1.5, "energy": -1.0}


@pytest.fixture(scope="module")
def orthogonal():
    return conductance_ensemble(300, seed=101, **WIRE)


def test_validate_ucf_with_geometry_uses_the_film(orthogonal):
    r = validate_ucf(orthogonal, spinless=True, geometry=(16, 64), channels=11)
    assert r["prediction"] == pytest.approx(ucf_variance(shape=(1, 0.25), spinless=True), rel=1e-12)
    assert "shape=(1, 0.25)" in r["prediction_used"] and r["consistent"]
    assert r["weakest_assumption"].startswith("l << W")  # l ~ 15 sites ~ W = 16 (l from <g>, 11 channels)
    assert set(r["assumptions"]) == {"g >> 1", "l << W", "l << L", "L << xi"}
    assert "0.84-1.25" in r["tolerance_reason"]
    assert not validate_ucf(orthogonal, spinless=True, broken_trs=True, geometry=(16, 64))["consistent"]
    with pytest.raises(ValueError, match="geometry"):
        validate_ucf(orthogonal, shape=(1, 0.5), geometry=(16, 64))
    with pytest.raises(ValueError, match="mean_free_path"):
        validate_ucf(orthogonal, mean_free_path=10.0)
    with pytest.raises(TypeError, match="geometry"):
        validate_ucf(orthogonal, geometry="16,64")


def test_validate_wl_with_geometry_and_flux_on_a_weak_field_ensemble(strip_48x64):
    # cached anderson_wire ensembles (tests/data/README.md): 48 x 64 sites, weak field l_m > l
    g0, g1, meta = strip_48x64
    r = validate_wl(g0, g1, spinless=True, geometry=(48, 64), flux=meta["flux"], channels=meta["channels"])
    assert r["prediction_source"] == "mesocorr.strip_predictions.strip_wl_shift"
    assert r["prediction"] == pytest.approx(strip_wl_shift(48, 64, meta["flux"])["shift"], rel=1e-12)
    assert "film 64 x 48" in r["prediction_used"] and r["l_m"] > r["mean_free_path"]
    assert r["consistent"], r
    wire = validate_wl(g0, g1, spinless=True)
    assert abs(wire["ratio"]) < 0.5  # against the wire's B -> infinity value -1/3 it is far off
    assert r["rtol"] == FILM_WL_RTOL == 0.35 and wire["rtol"] == DEFAULT_RTOL == 0.25  # measured basis: README
    assert not validate_wl(g0, g1, spinless=False, geometry=(48, 64), flux=meta["flux"])["consistent"]
    assert not validate_wl(g0, g1, spinless=True, prediction=-r["prediction"])["consistent"]  # antilocalization
    # the two cached ensembles share their disorder (seed 13): paired, the error shrinks by 1/sqrt(1 - rho)
    p = validate_wl(g0, g1, spinless=True, geometry=(48, 64), flux=meta["flux"], channels=meta["channels"],
                    paired=True)
    assert p["shift"] == r["shift"] and p["consistent"]
    assert p["shift_sem"] == pytest.approx(r["shift_sem"] * math.sqrt(1 - p["correlation"]), rel=0.05)
    assert not validate_wl(g0, g1, spinless=False, geometry=(48, 64), flux=meta["flux"], paired=True)["consistent"]


def test_validate_wl_strong_field_warns(strip_16x64_strong):
    g0, g1 = strip_16x64_strong
    r = validate_wl(g0, g1, spinless=True, geometry=(16, 64), flux=0.005, channels=11)
    assert r["l_m"] < r["mean_free_path"]
    assert any("magnetic length" in w for w in r["warnings"])
    assert r["weakest_assumption"].startswith("l << l_m")
    with pytest.raises(ValueError, match="so"):
        validate_wl(g0, g1, geometry=(16, 64), flux=0.005, so=1.0)
    with pytest.raises(ValueError, match="flux"):
        validate_wl(g0, g1, flux=0.005)


def test_wl_deficit_grows_with_the_field_towards_the_non_diffusive_regime(strip_31x48_paired):
    # cached anderson_wire pairs (tests/data/README.md): the same 2400 realisations at B = 0 and three fields;
    # l ~ 5.6 sites, l/l_m = 0.27, 0.45, 0.64. Measured ratios 0.94, 0.82, 0.73 (+- 0.05): the diffusive film
    # prediction is the l/l_m -> 0 limit; the deficit grows like ~(l/l_m)^2 (the non-diffusive Cooperon)
    z = strip_31x48_paired
    ratios = []
    for key, flux in (("g_flux_0p0004", 0.0004), ("g_flux_0p001", 0.001), ("g_flux_0p002", 0.002)):
        r = validate_wl(z["g0"], z[key], spinless=True, geometry=(31, 48), flux=flux, channels=int(z["channels"]),
                        paired=True)
        assert r["consistent"] and r["l_m"] > r["mean_free_path"], r
        ratios.append((r["ratio"], r["shift_sem"] / abs(r["prediction"])))
        wrong = validate_wl(z["g0"], z[key], spinless=False, geometry=(31, 48), flux=flux, paired=True)
        assert not wrong["consistent"]  # a claimed spin degeneracy: twice the shift
    assert abs(ratios[0][0] - 1) < 2.5 * ratios[0][1]  # the weakest field agrees within its error
    assert ratios[0][0] > ratios[1][0] > ratios[2][0]


@pytest.fixture(scope="module")
def strip_31x48_paired():
    from conftest import DATA

    with np.load(DATA / "strip_wl_paired_31x48.npz") as z:
        return {k: z[k].astype(float) for k in z.files}


@pytest.fixture(scope="module")
def strip_16x64_strong():
    # fresh, small: l_m = 5.6 < l ~ 15 (the regime the diffusive Cooperon does not describe)
    return (conductance_ensemble(200, seed=5, **WIRE), conductance_ensemble(200, flux=0.005, seed=6, **WIRE))


@pytest.fixture(scope="module")
def strip_48x64():
    from conftest import DATA

    with np.load(DATA / "strip_wl_48x64.npz") as z:
        return z["g0"], z["g1"], {"flux": float(z["flux"]), "channels": int(z["channels"])}


# ----------------------------------------------------------------------------------------- CLI
def test_cli_validate_with_geometry(tmp_path, capsys, orthogonal, strip_16x64_strong):
    import json

    from mesocorr.cli import main

    p = tmp_path / "g.csv"
    p.write_text("G\n" + "\n".join(repr(float(v)) for v in orthogonal) + "\n")
    assert main(["validate", "ucf", "--data", str(p), "--spinless", "--geometry", "16,64", "--channels", "11",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    ref = validate_ucf(orthogonal, spinless=True, geometry=(16, 64), channels=11)
    assert out["prediction"] == pytest.approx(ref["prediction"], rel=1e-12)
    assert out["prediction_used"] == ref["prediction_used"] and out["weakest_assumption"] == ref["weakest_assumption"]
    g0, g1 = strip_16x64_strong
    q = tmp_path / "wl.csv"
    q.write_text("G_orth,G_unit\n" + "\n".join(f"{a!r},{b!r}" for a, b in zip(g0.tolist(), g1.tolist())) + "\n")
    assert main(["validate", "wl", "--data", str(q), "--spinless", "--geometry", "16,64", "--flux", "0.005",
                 "--mean-free-path", "15"]) == 0
    captured = capsys.readouterr()
    assert "prediction used: film 64 x 16 (L x W) in flux 0.005" in captured.out
    assert "warning: flux: magnetic length" in captured.err
    for bad, match in ((["--flux", "0.005"], "geometry"), (["--geometry", "16"], "geometry"),
                       (["--geometry", "16,64", "--shape", "1,0.5"], "geometry"),
                       (["--geometry", "16,64", "--flux", "0.001"], "flux")):
        assert main(["validate", "ucf", "--data", str(p), "--spinless", *bad]) == 2
        assert match in capsys.readouterr().err
