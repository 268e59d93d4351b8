"""Benchmark (issue 18): ``mesocorr derive`` of the whole catalogue, a fresh process (start-up included).

Two rows, each the best of N fresh processes of ``python -m mesocorr derive --out TMP``:

- the default: ``--jobs`` = the usable CPUs (:func:`mesocorr.derivations.runner.usable_cpus`), the entries spread
  over worker processes. Judged on the **wall time**, which is what the user waits for; it depends on the load of
  the machine (state ``uptime`` with it) and on the number of cores.
- ``--jobs 1``: everything in one process. Its **CPU time** (user + system of the child, ``resource.getrusage``)
  is the work itself, the wall time of one idle core; judged against the same goal.

From one more process: the CPU time (``time.process_time``) of each catalogue entry (build + write, in catalogue
order: later entries reuse what earlier ones cached, as in a one-process run). On a loaded shared machine the CPU
time grows too (cores and caches are shared; measured up to ~1.5x at load ~7 on 2 cores): compare runs made at
the same load.

Run: ``python benchmarks/bench_derive.py``.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time

from _timing import Row, print_rows, seconds

from mesocorr.derivations.runner import usable_cpus

GOAL = 8.0
_PER_ENTRY = """
import json, sys, time
from mesocorr.derivations import catalogue
out = {}
for name in catalogue.names():
    t0 = time.process_time()
    d = catalogue.build(name)
    catalogue.write(d, sys.argv[1], ("latex", "markdown"))
    out[name] = time.process_time() - t0
print(json.dumps(out))
"""


def _run(tmp: str, extra: list, runs: int) -> tuple[float, float]:
    """Best wall time and best CPU time (s, the child and its workers) of ``runs`` fresh ``derive`` processes."""
    times, cpu = [], []
    for _ in range(runs):
        c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "mesocorr", "derive", "--out", tmp, "--json", *extra], check=True,
                       capture_output=True)
        times.append(time.perf_counter() - t0)
        c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(c1.ru_utime - c0.ru_utime + c1.ru_stime - c0.ru_stime)
    return min(times), min(cpu)


def rows(quick: bool = False) -> list:
    runs = 1 if quick else 2
    jobs = usable_cpus()
    with tempfile.TemporaryDirectory() as tmp:
        wall_par, cpu_par = _run(tmp, [], runs)
        wall_one, cpu_one = _run(tmp, ["--jobs", "1"], runs)
        per = json.loads(subprocess.run([sys.executable, "-c", _PER_ENTRY, tmp], check=True, capture_output=True,
                                        text=True).stdout)
    slowest = sorted(per.items(), key=lambda kv: -kv[1])[:5]
    load = f"load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "load average unknown"
    return [Row(f"`mesocorr derive`, whole catalogue, default `--jobs` ({jobs} processes here)",
                f"{seconds(wall_par)} wall, {seconds(cpu_par)} CPU", "-", f"{seconds(wall_par)} wall",
                f"< {GOAL:g} s", wall_par < GOAL,
                [f"default --jobs: the wall time the user waits, on {jobs} usable CPUs at {load}"]),
            Row("`mesocorr derive`, whole catalogue, `--jobs 1` (one process)",
                f"{seconds(wall_one)} wall, {seconds(cpu_one)} CPU", "-", f"{seconds(cpu_one)} CPU",
                f"< {GOAL:g} s", cpu_one < GOAL,
                [f"--jobs 1: slowest entries (CPU): {', '.join(f'{n} {t:.2f} s' for n, t in slowest)}; sum of all "
                 f"{len(per)} entries {sum(per.values()):.1f} s"])]


if __name__ == "__main__":
    print_rows(rows(), "derive")
