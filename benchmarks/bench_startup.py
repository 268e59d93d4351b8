"""Benchmark: start-up of ``import mesocorr`` and of a CLI call (issue 12, item 9), in fresh subprocesses.

Goals (wall time, best of N fresh processes, so that the machine's load hits the best run least):

* ``import mesocorr`` < 0.1 s (timed inside the child around the import statement: no interpreter start-up);
* ``mesocorr mc --dim 2 --D 0.01 --phi 1e10 --B 0.01`` < 0.6 s (the whole command, interpreter included).

The CLI call is also given as CPU time (user + sys of the child): on a shared machine the wall time includes
waiting for a core, the CPU time is what the call costs on an idle one. Also printed for reference: the bare
interpreter, ``import numpy, mpmath`` (the floor of any numeric command), ``mesocorr --version`` and a few other
commands, the load average, and which heavy modules a plain ``import mesocorr`` loads (none of SymPy/SciPy
may be among them). Each goal line ends with ``ok`` or ``FALLS SHORT``.

Run: ``python benchmarks/bench_startup.py [N]`` (default N = 7).
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time

IMPORT_GOAL = 0.1
MC_GOAL = 0.6
MC_ARGS = ["mc", "--dim", "2", "--D", "0.01", "--phi", "1e10", "--B", "0.01"]
OTHERS = {
    "mesocorr --version": ["--version"],
    "mesocorr scales ...": ["scales", "--dim", "2", "--vF", "2e5", "--l", "1e-7", "--tau-phi", "1e-10"],
    "mesocorr ucf --shape 1": ["ucf", "--shape", "1"],
    "mesocorr beta --g 10": ["beta", "--g", "10"],
}


def _cli() -> list[str]:
    """The console script next to this interpreter (what a user runs), else ``python -m mesocorr``."""
    here = os.path.join(os.path.dirname(sys.executable), "mesocorr")
    script = here if os.path.exists(here) else shutil.which("mesocorr")
    return [script] if script else [sys.executable, "-m", "mesocorr"]


def best_wall(argv: list[str], n: int) -> tuple[float, float]:
    """Best wall time and best CPU time (user + sys, s) of ``n`` runs of ``argv`` in fresh processes (output
    discarded; must exit 0). The CPU time is what the call costs on an idle machine; the wall time includes
    waiting for a core when the machine is shared."""
    best, best_cpu = float("inf"), float("inf")
    for _ in range(n):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        best = min(best, wall)
        best_cpu = min(best_cpu, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return best, best_cpu


def best_import(n: int) -> float:
    """Best in-process time (s) of ``import mesocorr`` over ``n`` fresh interpreters."""
    code = "import time; t = time.perf_counter(); import mesocorr; print(time.perf_counter() - t)"
    return min(float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                                    text=True).stdout) for _ in range(n))


def heavy_modules_at_import() -> list[str]:
    code = ("import sys, mesocorr; print(','.join(m for m in ('sympy', 'scipy', 'matplotlib', 'mpmath', 'numpy') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.strip()
    return [m for m in out.split(",") if m]


def mark(value: float, goal: float) -> str:
    return "ok" if value < goal else "FALLS SHORT"


def main(n: int = 7) -> None:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average (1 min): {load:.2f} on {os.cpu_count()} CPUs; best of {n} fresh processes")
    cli = _cli()
    subprocess.run([*cli, *MC_ARGS], check=True, stdout=subprocess.DEVNULL)  # warm the OS file cache
    t_import = best_import(n)
    print(f"import mesocorr: {t_import:.3f} s (goal < {IMPORT_GOAL} s) {mark(t_import, IMPORT_GOAL)}")
    heavy = heavy_modules_at_import()
    forbidden = [m for m in heavy if m in ("sympy", "scipy", "matplotlib")]
    print(f"modules loaded by import mesocorr: {', '.join(heavy) or 'none of numpy/mpmath/sympy/scipy'} "
          f"{'ok' if not forbidden else 'FALLS SHORT (' + ', '.join(forbidden) + ')'}")
    t_mc, cpu_mc = best_wall([*cli, *MC_ARGS], n)
    print(f"mesocorr {' '.join(MC_ARGS)}: {t_mc:.3f} s wall (goal < {MC_GOAL} s) {mark(t_mc, MC_GOAL)}; "
          f"CPU {cpu_mc:.3f} s {mark(cpu_mc, MC_GOAL)}")
    references = {"bare interpreter (python -c pass)": [sys.executable, "-c", "pass"],
                  "python -c 'import numpy, mpmath'": [sys.executable, "-c", "import numpy, mpmath"],
                  **{label: [*cli, *args] for label, args in OTHERS.items()}}
    for label, argv in references.items():
        wall, cpu = best_wall(argv, n)
        print(f"reference, {label}: {wall:.3f} s wall, CPU {cpu:.3f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
