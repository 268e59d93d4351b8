"""Benchmark (issue 18): ``mesocorr derive`` of the whole catalogue, a fresh process (start-up included).

Prints the wall time of ``python -m mesocorr derive --out TMP`` (best of N fresh processes) and, from one more
process, the time of each catalogue entry (build + write, in catalogue order: later entries reuse what earlier
ones cached, as in the real command). Goal: < 8 s.

Run: ``python benchmarks/bench_derive.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time

from _timing import Row, print_rows, seconds

GOAL = 8.0
_PER_ENTRY = """
import json, sys, time
from mesocorr.derivations import catalogue
out = {}
for name in catalogue.names():
    t0 = time.perf_counter()
    d = catalogue.build(name)
    catalogue.write(d, sys.argv[1], ("latex", "markdown"))
    out[name] = time.perf_counter() - t0
print(json.dumps(out))
"""


def rows(quick: bool = False) -> list:
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(1 if quick else 2):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "mesocorr", "derive", "--out", tmp, "--json"], check=True,
                           capture_output=True)
            times.append(time.perf_counter() - t0)
        per = json.loads(subprocess.run([sys.executable, "-c", _PER_ENTRY, tmp], check=True, capture_output=True,
                                        text=True).stdout)
    slowest = sorted(per.items(), key=lambda kv: -kv[1])[:5]
    best = min(times)
    return [Row("`mesocorr derive`, whole catalogue (fresh process)", seconds(best), "-", seconds(best),
                f"< {GOAL:g} s", best < GOAL,
                [f"slowest entries: {', '.join(f'{n} {t:.2f} s' for n, t in slowest)}; sum of all "
                 f"{len(per)} entries {sum(per.values()):.1f} s"])]


if __name__ == "__main__":
    print_rows(rows(), "derive")
