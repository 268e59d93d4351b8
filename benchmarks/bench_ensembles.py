"""Benchmark: ensemble throughput of ``run_ensemble`` with 1 and 2 worker processes, and its overhead per sample.

Run: ``python benchmarks/bench_ensembles.py``. The sample is one realisation of the package's own
Anderson strip (``tests/anderson_wire.py``, 12 x 24 sites, ~3 ms) — any simulator works the same way.

* throughput: samples/s serially, on a ``ProcessPoolExecutor`` with 1 and with 2 workers (``chunk=8``);
  ratio 2 workers / 1 worker (ideal 2 on two free cores; a shared machine gives less);
* overhead: ``run_ensemble`` (serial, with and without a checkpoint) vs a bare loop
  ``[sample(sample_seed(seed, i)) for i in range(n)]``, per sample, for a trivial sample (pure
  overhead) and for the strip.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from anderson_wire import conductance_ensemble
from mesocorr.ensemble_runner import run_ensemble, sample_seed


def strip(seed):
    return float(conductance_ensemble(1, width=12, length=24, disorder=2.0, seed=seed)[0])


def trivial(seed):
    return float(seed % 1000)


def _time(func):
    t0 = time.perf_counter()
    func()
    return time.perf_counter() - t0


def main():
    n = 400
    print(f"{'executor':>26} {'samples/s':>10}")
    serial = n / _time(lambda: run_ensemble(strip, n, seed=1, progress=False))
    print(f"{'serial':>26} {serial:10.1f}")
    rates = {}
    for workers in (1, 2):
        with ProcessPoolExecutor(workers) as ex:
            run_ensemble(strip, 16, seed=0, executor=ex, progress=False)  # start the workers
            rates[workers] = n / _time(lambda ex=ex: run_ensemble(strip, n, seed=1, executor=ex, chunk=8,
                                                                  progress=False))
        print(f"{f'process pool, {workers} worker(s)':>26} {rates[workers]:10.1f}")
    print(f"throughput: ratio 2 workers / 1 worker = {rates[2] / rates[1]:.2f} (ideal 2; cores here: "
          f"{os.cpu_count()}, load average {os.getloadavg()[0]:.1f})")

    print(f"\n{'sample':>8} {'bare loop us':>13} {'runner us':>10} {'+checkpoint us':>15} {'overhead us':>12}")
    for name, func, m in (("trivial", trivial, 20000), ("strip", strip, 400)):
        bare = min(_time(lambda f=func, m=m: [f(sample_seed(1, i)) for i in range(m)]) for _ in range(3)) / m
        runner = min(_time(lambda f=func, m=m: run_ensemble(f, m, seed=1, progress=False)) for _ in range(3)) / m
        with tempfile.TemporaryDirectory() as tmp:
            ck = min(_time(lambda k=k, f=func, m=m: run_ensemble(f, m, seed=1, progress=False,
                                                                 checkpoint=os.path.join(tmp, f"{k}.jsonl")))
                     for k in range(3)) / m
        print(f"{name:>8} {1e6 * bare:13.1f} {1e6 * runner:10.1f} {1e6 * ck:15.1f} {1e6 * (runner - bare):12.1f}")
    print("(sample_seed alone is included in the bare loop; the checkpoint adds one JSON line + flush per sample)")


if __name__ == "__main__":
    main()
