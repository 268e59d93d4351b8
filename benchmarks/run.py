"""One-command benchmark runner (issue 18): every row of the performance table, with its goal and a mark.

Each ``benchmarks/bench_*.py`` module has ``rows(quick) -> list[Row]`` (a module with only ``main()`` is run and
prints its own lines, outside the table): mesocorr and a named baseline timed in
this process, interleaved, best of N with the spread (``_timing.interleaved``), the goal and ``pass`` /
``falls short``. The runner prints each module's table, then the whole table in Markdown (what the README quotes)
and the machine it ran on.

Usage: ``python benchmarks/run.py [--quick] [NAME ...]`` (NAME: a substring of the module names, e.g. ``ucf``).
"""

from __future__ import annotations

import importlib
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ("scalar", "mc", "fit", "ucf", "closed_forms", "zeeman", "ilp", "derive")


def _modules(wanted):
    names = sorted((p.stem for p in HERE.glob("bench_*.py")),
                   key=lambda n: (ORDER.index(n[6:]) if n[6:] in ORDER else len(ORDER), n))
    return [n for n in names if not wanted or any(w in n for w in wanted)]


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    wanted = [a for a in argv if not a.startswith("--")]
    sys.path.insert(0, str(HERE))
    from _timing import print_rows

    import numpy
    import scipy

    start = time.perf_counter()
    every = []
    for name in _modules(wanted):
        t0 = time.perf_counter()
        module = importlib.import_module(name)
        if not hasattr(module, "rows"):   # a script that prints its own lines (no rows for the table)
            print(f"\n### {name} (its own output; not in the table)\n")
            module.main()
            continue
        rows = module.rows(quick=quick)
        print_rows(rows, f"{name} ({time.perf_counter() - t0:.0f} s)")
        sys.stdout.flush()
        every.extend(rows)
    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?",)
    print(f"\n## All rows ({sum(r.passed for r in every)} of {len(every)} pass)\n")
    print_rows(every)
    print(f"\nMachine: {platform.machine()}, {os.cpu_count()} CPU(s), load average {load[0]:.1f} at the end; "
          f"Python {platform.python_version()}, numpy {numpy.__version__}, scipy {scipy.__version__}; "
          f"{'quick' if quick else 'full'} run, {time.perf_counter() - start:.0f} s.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
