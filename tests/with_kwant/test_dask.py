"""dask.distributed: a 2-worker LocalCluster (separate worker processes) gives bit-identical ensembles and statistics.

Runs where ``distributed`` and Kwant are installed (the Kwant CI venv); skipped elsewhere. ~10 s.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

distributed = pytest.importorskip("distributed")
pytest.importorskip("kwant")

from mesocorr import run_ensemble  # noqa: E402
from mesocorr.ensemble_runner import read_checkpoint  # noqa: E402
from mesocorr.kwant_systems import disordered_strip, kwant_sample  # noqa: E402

warnings.filterwarnings("ignore", message="MUMPS is not available")
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore:MUMPS is not available")

N = 48


@pytest.fixture(scope="module")
def sample():
    # one realisation at B = 0 and in a field: a vector of two conductances per sample
    fs = disordered_strip(8, 16, "unitary").finalized()
    return kwant_sample(fs, -1.0, {"disorder": 2.0}, points=[{"flux": 0.0}, {"flux": 0.02}])


@pytest.fixture(scope="module")
def client():
    # processes=True: two worker processes (the sample and the Kwant system travel by cloudpickle)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as c:
        yield c


def test_two_worker_cluster_bit_identical_to_serial(sample, client):
    serial = run_ensemble(sample, N, seed=9, progress=False)
    dask = run_ensemble(sample, N, seed=9, executor=client, chunk=3, progress=False)
    assert len(client.scheduler_info()["workers"]) == 2
    np.testing.assert_array_equal(serial.values, dask.values)
    np.testing.assert_array_equal(serial.seeds, dask.seeds)
    for k in (0, 1):
        assert serial.statistics(k) == dask.statistics(k)
    assert serial.shift(0, 1) == dask.shift(0, 1)
    # the executor interface of the client, too
    via_executor = run_ensemble(sample, N, seed=9, executor=client.get_executor(), progress=False)
    np.testing.assert_array_equal(serial.values, via_executor.values)


def test_run_interrupted_serially_resumes_on_the_cluster(sample, client, tmp_path):
    path = tmp_path / "ck.jsonl"
    run_ensemble(sample, N // 2, seed=9, checkpoint=path, progress=False)  # the first half, then "stopped"
    resumed = run_ensemble(sample, N, seed=9, executor=client, checkpoint=path, progress=False)
    assert resumed.resumed == N // 2
    np.testing.assert_array_equal(resumed.values, run_ensemble(sample, N, seed=9, progress=False).values)
    header, done = read_checkpoint(path)
    assert header["seed"] == 9 and sorted(done) == list(range(N))
