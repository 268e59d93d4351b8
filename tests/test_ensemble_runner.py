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
