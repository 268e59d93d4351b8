"""Tests of mesocorr.ensembles: interval coverage by Monte Carlo, Anderson-wire ensembles, sweeps, CLI."""

from __future__ import annotations

import json
import math
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pytest

from anderson_wire import conductance_ensemble, open_channels
from mesocorr.cli import main
from mesocorr.ensembles import (mean_shift, read_csv_columns, sweep, validate_ucf, validate_wl,
                                 variance_interval)

# Ensemble used throughout (tuned for speed and the diffusive quasi-1D regime l << L << xi):
# 16 x 64 sites, box disorder 1.5 t, E = -t (11 open channels), <g> ~ 2.4; l ~ 15 sites, xi ~ N l ~ 170.
WIRE = {"width": 16, "length": 64, "disorder": 1.5, "energy": -1.0}
#: flux per plaquette (h/e) breaking time reversal: ~5 flux quanta through the wire, cyclotron radius ~ 30 sites
TRS_BREAKING_FLUX = 0.005
N_SAMPLES = 400


@pytest.fixture(scope="module")
def orthogonal():
    return conductance_ensemble(N_SAMPLES, seed=101, **WIRE)


@pytest.fixture(scope="module")
def unitary():
    return conductance_ensemble(N_SAMPLES, flux=TRS_BREAKING_FLUX, seed=202, **WIRE)


# --------------------------------------------------------------------------------- the generator itself
def test_clean_strip_transmits_open_channels():
    # without disorder every open channel transmits perfectly (Fisher-Lee + exact lead self-energies)
    for width, energy in ((7, -1.0), (16, -1.0), (10, 0.3)):
        g = conductance_ensemble(2, width=width, length=5, disorder=0.0, energy=energy, seed=0)
        np.testing.assert_allclose(g, open_channels(width, energy), rtol=1e-10)


def test_generator_seeded_and_time_reversal_symmetric():
    a = conductance_ensemble(5, width=6, length=10, disorder=2.0, seed=7)
    b = conductance_ensemble(5, width=6, length=10, disorder=2.0, seed=7)
    np.testing.assert_array_equal(a, b)
    # Onsager: g(B) = g(-B) for a two-terminal conductance
    p = conductance_ensemble(5, width=6, length=10, disorder=2.0, flux=0.03, seed=7)
    m = conductance_ensemble(5, width=6, length=10, disorder=2.0, flux=-0.03, seed=7)
    np.testing.assert_allclose(p, m, rtol=1e-9)
    assert not np.allclose(p, a, rtol=1e-3)


# --------------------------------------------------------------------------------- statistics by Monte Carlo
def test_chi2_interval_textbook_quantiles():
    # n = 11: chi2_{0.025,10} = 3.247, chi2_{0.975,10} = 20.483 (standard tables)
    x = np.arange(11.0)  # s^2 = 11
    s2, lo, hi = variance_interval(x)
    assert s2 == 11.0
    assert lo == pytest.approx(10 * 11 / 20.483, rel=2e-4)
    assert hi == pytest.approx(10 * 11 / 3.247, rel=2e-4)


def test_chi2_interval_coverage_monte_carlo():
    rng = np.random.default_rng(1)
    trials, n, sigma2 = 3000, 25, 2.5
    hits = 0
    for _ in range(trials):
        _, lo, hi = variance_interval(rng.normal(3.0, math.sqrt(sigma2), n))
        hits += lo <= sigma2 <= hi
    # binomial standard error sqrt(.95*.05/3000) = 0.004
    assert abs(hits / trials - 0.95) < 0.015


def test_bootstrap_agrees_with_chi2_for_gaussian_data_and_is_seeded():
    x = np.random.default_rng(5).normal(0, 1, 1500)
    s2, lo, hi = variance_interval(x)
    b2, blo, bhi = variance_interval(x, method="bootstrap", seed=3, n_boot=2000)
    assert b2 == s2
    assert blo == pytest.approx(lo, rel=0.03) and bhi == pytest.approx(hi, rel=0.03)
    assert variance_interval(x, method="bootstrap", seed=3, n_boot=2000) == (b2, blo, bhi)


def test_welch_interval_coverage_monte_carlo():
    rng = np.random.default_rng(2)
    trials, hits = 3000, 0
    for _ in range(trials):
        a = rng.normal(1.0, 1.0, 15)
        b = rng.normal(1.3, 3.0, 40)
        lo, hi = mean_shift(a, b)["ci"]
        hits += lo <= -0.3 <= hi
    assert abs(hits / trials - 0.95) < 0.015


def test_verdict_widens_by_rtol():
    x = np.random.default_rng(0).normal(0, 1, 200)
    _, lo, hi = variance_interval(x)
    p = hi * 1.1  # just above the interval
    assert not validate_ucf(x, prediction=p, rtol=0)["consistent"]
    assert validate_ucf(x, prediction=p, rtol=0.1)["consistent"]  # hi + 0.1 p >= p
    r = validate_ucf(x, prediction=p, rtol=0.1)
    assert r["ratio"] == pytest.approx(r["variance"] / p) and r["prediction_source"] == "user"


# --------------------------------------------------------------------------------- Anderson-wire ensembles
def test_orthogonal_wire_validates_against_2_15(orthogonal):
    r = validate_ucf(orthogonal, shape=(1,), spinless=True)
    assert r["prediction"] == pytest.approx(2 / 15, rel=1e-12)  # Lee-Stone-Fukuyama 1987
    assert r["consistent"], r
    assert r["n"] == N_SAMPLES and r["ci"][0] < r["variance"] < r["ci"][1]
    # the same with the bootstrap interval
    assert validate_ucf(orthogonal, shape=(1,), spinless=True, method="bootstrap", seed=1)["consistent"]


def test_wrongly_claimed_broken_trs_rejected(orthogonal):
    r = validate_ucf(orthogonal, shape=(1,), spinless=True, broken_trs=True)
    assert r["prediction"] == pytest.approx(1 / 15, rel=1e-12)
    assert not r["consistent"] and r["ratio"] > 1.5


def test_unitary_wire_validates_against_1_15_and_rejects_2_15(unitary):
    assert validate_ucf(unitary, shape=(1,), spinless=True, broken_trs=True)["consistent"]
    assert not validate_ucf(unitary, shape=(1,), spinless=True)["consistent"]


def test_weak_localization_shift_sign(orthogonal, unitary):
    """<g>_orth - <g>_unit is negative (weak localization); the antilocalization claim is rejected.

    The asymptotic -1/3 (spinless, L_phi -> inf) holds for g >> 1; this small wire (g ~ 2.4, finite
    L/l and a field that also bends trajectories) reaches only part of it, so the magnitude is checked
    loosely (measured about -0.1, see the README, "Validate a simulated ensemble").
    """
    r = validate_wl(orthogonal, unitary, spinless=True)
    assert r["prediction"] == pytest.approx(-1 / 3, rel=1e-9)
    assert r["shift"] < -3 * r["shift_sem"]
    assert 0 < r["ratio"] < 1
    # strong spin-orbit (spin-degenerate) predicts antilocalization, +1/3: rejected
    wal = validate_wl(orthogonal, unitary, so=1e6)
    assert wal["prediction"] == pytest.approx(1 / 3, rel=1e-2)  # +1/3 up to the O(L_so/L) triplet remainder
    assert not wal["consistent"]


# --------------------------------------------------------------------------------- errors
@pytest.mark.parametrize("kwargs,match", [
    ({"G": [1.0, 2.0]}, "G: need at least 3"),
    ({"G": [1.0, 2.0, 3.0], "method": "jackknife"}, "method:"),
    ({"G": [1.0, 2.0, 3.0], "confidence": 1.5}, "confidence:"),
    ({"G": [1.0, 2.0, 3.0], "rtol": -0.1}, "rtol:"),
    ({"G": [1.0, 2.0, 3.0], "shape": (1, 0)}, "shape:"),
    ({"G": [1.0, 2.0, 3.0], "shape": (1, 1, 1, 1)}, "shape:"),
    ({"G": [1.0, 2.0, 3.0], "prediction": -1.0}, "prediction:"),
])
def test_validate_ucf_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        validate_ucf(**kwargs)


def test_nonfinite_dropped_with_warning():
    g = np.r_[np.random.default_rng(0).normal(0, 0.3, 50), np.nan, np.inf]
    r = validate_ucf(g, shape=(1,), spinless=True)
    assert r["n"] == 50 and any("dropped 2" in w for w in r["warnings"])


def test_non_gaussian_data_warned():
    g = np.random.default_rng(0).exponential(1.0, 2000)
    assert any("kurtosis" in w for w in validate_ucf(g, prediction=1.0)["warnings"])


def test_validate_wl_errors():
    with pytest.raises(ValueError, match="G_unitary: need at least 3"):
        validate_wl([1.0, 2.0, 3.0], [1.0], spinless=True)
    with pytest.raises(ValueError, match="shape:"):
        validate_wl([1.0, 2.0, 3.0], [1.0, 2.0, 4.0], shape=(1, 1))


# --------------------------------------------------------------------------------- sweeps
def _square(x):
    return x * x


def _power(x, p):
    return x**p


def test_sweep_sequential_and_executors():
    xs = list(range(12))
    expected = [x * x for x in xs]
    assert sweep(_square, xs) == expected
    with ThreadPoolExecutor(max_workers=2) as ex:
        assert sweep(_square, xs, executor=ex) == expected
        assert sweep(_power, [{"x": x, "p": 3} for x in xs], executor=ex) == [x**3 for x in xs]
    with ProcessPoolExecutor(max_workers=2) as ex:
        assert sweep(_square, xs, executor=ex, progress=False) == expected
    with pytest.raises(ZeroDivisionError):
        sweep(lambda x: 1 / x, [1, 0])


def test_sweep_over_ensembles_matches_direct_run():
    params = [{"n_samples": 20, "width": 6, "length": 12, "disorder": 2.0, "seed": s} for s in range(3)]
    with ThreadPoolExecutor(max_workers=2) as ex:
        out = sweep(conductance_ensemble, params, executor=ex)
    for p, g in zip(params, out):
        np.testing.assert_array_equal(g, conductance_ensemble(**p))


# --------------------------------------------------------------------------------- CSV + CLI
def _csv(tmp_path, columns: dict, name="G.csv"):
    keys = list(columns)
    lines = [",".join(keys)] + [",".join(repr(float(columns[k][i])) for k in keys)
                                for i in range(len(columns[keys[0]]))]
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n")
    return p


def test_cli_validate_ucf_json(tmp_path, capsys, orthogonal):
    p = _csv(tmp_path, {"G": orthogonal})
    assert main(["validate", "ucf", "--data", str(p), "--column", "G", "--shape", "1", "--spinless", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"n", "variance", "ci", "prediction", "ratio", "consistent"} <= set(out)
    ref = validate_ucf(orthogonal, shape=(1,), spinless=True)
    assert out["variance"] == pytest.approx(ref["variance"], rel=1e-12) and out["consistent"] is True
    assert main(["validate", "ucf", "--data", str(p), "--spinless", "--broken-trs", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["consistent"] is False
    assert main(["validate", "ucf", "--data", str(p), "--spinless"]) == 0
    assert "consistent" in capsys.readouterr().out


def test_cli_validate_wl_json(tmp_path, capsys, orthogonal, unitary):
    p = _csv(tmp_path, {"G_orth": orthogonal, "G_unit": unitary})
    assert main(["validate", "wl", "--data", str(p), "--columns", "G_orth,G_unit", "--spinless", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["shift"] == pytest.approx(np.mean(orthogonal) - np.mean(unitary), rel=1e-12)
    assert out["prediction"] == pytest.approx(-1 / 3, rel=1e-9)


def test_read_csv_columns_semicolon_and_blank(tmp_path):
    # issue 12: no dialect guessing -- the delimiter is given; an empty cell is refused, naming line and column
    p = tmp_path / "s.csv"
    p.write_text("a;b\n1;2\n\n3;4\n5;6\n")
    d = read_csv_columns(p, ["a", "b"], delimiter=";")
    np.testing.assert_array_equal(d["a"], [1, 3, 5])
    with pytest.raises(ValueError, match="is the delimiter semicolon"):
        read_csv_columns(p, ["a", "b"])
    p.write_text("a;b\n1;2\n3;\n5;6\n")
    with pytest.raises(ValueError, match="line 3, column 'b' .*: empty"):
        read_csv_columns(p, ["a", "b"], delimiter=";")


@pytest.mark.parametrize("content,args,match", [
    (None, [], "data: no such file"),
    ("G\n1\n2\n3\n", ["--column", "g"], "data: column 'g' not in"),
    ("G\n1\n2\n", [], "G: need at least 3"),
    ("G\n1\nnot_a_number\n2\n", [], "data: line 3"),
    ("", [], "data:"),
    ("G\n1\n2\n3\n", ["--shape", "1,-1"], "shape:"),
    ("G\n1\n2\n3\n", ["--method", "magic"], "invalid choice"),
])
def test_cli_validate_exit_2(tmp_path, capsys, content, args, match):
    path = tmp_path / "G.csv"
    if content is not None:
        path.write_text(content)
    assert main(["validate", "ucf", "--data", str(path), "--spinless", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert match in err and len(err.splitlines()) == 1


def test_cli_validate_wl_exit_2(tmp_path, capsys):
    p = _csv(tmp_path, {"G_orth": [1.0, 2.0, 3.0]})
    assert main(["validate", "wl", "--data", str(p), "--spinless"]) == 2
    assert "column 'G_unit' not in" in capsys.readouterr().err
