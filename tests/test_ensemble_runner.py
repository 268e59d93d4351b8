"""run_ensemble: seeds independent of executor and order, checkpoint resume loses nothing, caps."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from anderson_wire import conductance_ensemble
from mesocorr.ensemble_runner import run_ensemble, sample_seed


def _wire(seed):  # one realisation of the package's own strip, at B = 0 and in a field
    return [float(conductance_ensemble(1, width=6, length=12, disorder=2.0, flux=f, seed=seed)[0]) for f in (0, 0.02)]


def test_seeds_are_seedsequence_spawn():
    kids = np.random.SeedSequence(7).spawn(5)
    assert [sample_seed(7, i) for i in range(5)] == [int(k.generate_state(1, np.uint64)[0]) for k in kids]


def test_threads_and_chunks_bit_identical_to_serial():
    serial = run_ensemble(_wire, 40, seed=3, progress=False)
    with ThreadPoolExecutor(2) as ex:
        pooled = run_ensemble(_wire, 40, seed=3, executor=ex, chunk=3, progress=False)
    np.testing.assert_array_equal(serial.values, pooled.values)
    direct = [_wire(sample_seed(3, i)) for i in range(40)]  # independent route: a bare loop
    np.testing.assert_array_equal(serial.values, direct)


def test_interrupted_run_resumes_identically(tmp_path):
    path = tmp_path / "ck.jsonl"
    calls = {"n": 0}

    def flaky(seed):
        calls["n"] += 1
        if calls["n"] > 17:
            raise RuntimeError("interrupted")
        return _wire(seed)

    with pytest.raises(RuntimeError):
        run_ensemble(flaky, 30, seed=5, checkpoint=path, progress=False)
    with open(path, "a") as fh:
        fh.write('{"i": 99, "se')  # a partial last line, as after a kill
    resumed = run_ensemble(_wire, 30, seed=5, checkpoint=path, progress=False)
    assert resumed.resumed == 17
    np.testing.assert_array_equal(resumed.values, run_ensemble(_wire, 30, seed=5, progress=False).values)
    with pytest.raises(ValueError, match="checkpoint:"):
        run_ensemble(_wire, 30, seed=6, checkpoint=path, progress=False)


def test_caps_checked_before_work():
    def never(seed):
        raise AssertionError("must not run")

    with pytest.raises(ValueError, match="n:"):
        run_ensemble(never, 11, max_samples=10)
    with pytest.raises(ValueError, match="max_checkpoint_bytes"):
        run_ensemble(never, 1000, checkpoint="/nonexistent/x", max_checkpoint_bytes=1000)


# ----------------------------------------------------------------------------------------- paired statistics
def test_paired_error_matches_the_spread_over_repeated_ensembles():
    # independent route: Monte Carlo over 2000 repeated ensembles of correlated pairs (rho = 0.7, the size of
    # the B = 0 / weak-field correlation of one realisation); the reported error must be the real spread
    from mesocorr.ensembles import mean_shift

    rng = np.random.default_rng(42)
    n, rho, repeats = 50, 0.7, 2000
    cov = 0.16 * np.array([[1, rho], [rho, 1]])
    shifts, paired_sem, welch_sem, covered = [], [], [], 0
    for _ in range(repeats):
        x = rng.multivariate_normal([1.6, 1.7], cov, size=n)
        p = mean_shift(x[:, 0], x[:, 1], paired=True)
        shifts.append(p["shift"])
        paired_sem.append(p["shift_sem"])
        welch_sem.append(mean_shift(x[:, 0], x[:, 1])["shift_sem"])
        covered += p["ci"][0] <= -0.1 <= p["ci"][1]
    spread = np.std(shifts, ddof=1)  # exact: sqrt(2 * 0.16 * (1 - rho) / n) = 0.04382
    assert spread == pytest.approx(np.sqrt(2 * 0.16 * 0.3 / n), rel=0.05)
    assert np.sqrt(np.mean(np.square(paired_sem))) == pytest.approx(spread, rel=0.05)
    assert np.mean(welch_sem) / spread > 1.7  # Welch ignores the pairing: 1/sqrt(1 - rho) = 1.83 too large
    assert abs(covered / repeats - 0.95) < 0.015  # Student-t coverage (binomial sd 0.005)


def test_ensemble_shift_is_paired_and_validate_wl_accepts_pairs():
    from mesocorr.ensembles import mean_shift, validate_wl

    ens = run_ensemble(_wire, 60, seed=8, progress=False)
    a, b = ens.values[:, 0], ens.values[:, 1]
    d = a - b
    r = ens.shift(0, 1)
    assert r["paired"] and r["shift"] == pytest.approx(float(np.mean(d)), rel=1e-12)
    assert r["shift_sem"] == pytest.approx(float(np.std(d, ddof=1) / np.sqrt(60)), rel=1e-12)
    assert r["correlation"] == pytest.approx(float(np.corrcoef(a, b)[0, 1]), rel=1e-12)
    assert r["shift_sem"] < mean_shift(a, b)["shift_sem"]  # same realisations: positively correlated
    v = validate_wl(a, b, spinless=True, paired=True, prediction=-0.1)
    assert v["shift_sem"] == pytest.approx(r["shift_sem"], rel=1e-12) and v["dof"] == 59
    a2 = a.copy()
    a2[3] = np.nan
    v2 = validate_wl(a2, b, spinless=True, paired=True, prediction=-0.1)
    assert v2["n_orthogonal"] == v2["n_unitary"] == 59 and "dropped 1 realisation" in v2["warnings"][0]
    with pytest.raises(ValueError, match="paired"):
        validate_wl(a, b[:-1], spinless=True, paired=True)
    with pytest.raises(TypeError, match="paired"):
        validate_wl(a, b, spinless=True, paired=1)


def test_cli_validate_wl_paired(tmp_path, capsys):
    import json

    from mesocorr.cli import main
    from mesocorr.ensembles import mean_shift

    ens = run_ensemble(_wire, 40, seed=9, progress=False)
    p = tmp_path / "pairs.csv"
    p.write_text("G_orth,G_unit\n" + "\n".join(f"{a!r},{b!r}" for a, b in ens.values.tolist()) + "\n")
    assert main(["validate", "wl", "--data", str(p), "--spinless", "--paired", "--prediction", "-0.1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    ref = mean_shift(ens.values[:, 0], ens.values[:, 1], paired=True)
    assert out["paired"] is True and out["shift_sem"] == pytest.approx(ref["shift_sem"], rel=1e-12)
    assert main(["validate", "wl", "--data", str(p), "--spinless", "--paired", "--prediction", "-0.1"]) == 0
    assert "40 pairs (correlation" in capsys.readouterr().out
    assert main(["validate", "ucf", "--data", str(p), "--column", "G_orth", "--paired"]) == 2
    assert "paired" in capsys.readouterr().err
