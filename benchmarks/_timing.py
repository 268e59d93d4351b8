"""Timing helpers shared by the benchmarks: interleaved best-of-N timings with their spread, and result rows.

Rules (issue 18): mesocorr and its baseline run in the same process, *interleaved* (one batch of each in turn, so
that the machine's load hits both alike), each a best of N batches; the spread is reported next to the best;
every row names its baseline and its goal and says whether the goal is met.
"""

from __future__ import annotations

import statistics
import time
import tracemalloc
from dataclasses import dataclass, field


def best_time(func, repeat: int = 5, number: int = 1) -> float:
    """Best wall-clock time (s) of ``number`` calls of ``func`` over ``repeat`` runs."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            func()
        best = min(best, (time.perf_counter() - t0) / number)
    return best


@dataclass
class Timing:
    """Per-call times (s) of the batches of one function: ``best``, ``median``, ``spread`` = median/best - 1."""

    samples: list

    @property
    def best(self) -> float:
        return min(self.samples)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def spread(self) -> float:
        return self.median / self.best - 1.0


def _batch_size(func, target: float) -> int:
    """Calls per batch so that one batch takes about ``target`` seconds (at least one call)."""
    t0 = time.perf_counter()
    func()
    single = time.perf_counter() - t0
    return max(1, min(100_000, int(target / max(single, 1e-9))))


def interleaved(funcs: dict, repeat: int = 15, target: float = 2e-3) -> dict:
    """Time every callable of ``funcs`` (name -> func) in turn, ``repeat`` rounds, each a batch of calls lasting
    about ``target`` s (short batches: a batch that the scheduler interrupts is discarded by the best-of);
    every function is called once before timing (warm). Returns name -> :class:`Timing` (per call)."""
    numbers = {name: _batch_size(f, target) for name, f in funcs.items()}
    samples = {name: [] for name in funcs}
    for _ in range(repeat):
        for name, f in funcs.items():
            n = numbers[name]
            t0 = time.perf_counter()
            for _ in range(n):
                f()
            samples[name].append((time.perf_counter() - t0) / n)
    return {name: Timing(s) for name, s in samples.items()}


def peak_bytes(func) -> int:
    """Peak memory (bytes, tracemalloc: numpy's buffers included) allocated while ``func()`` runs."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        func()
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


def seconds(t: float) -> str:
    """A time with a readable unit."""
    if t < 1e-3:
        return f"{t * 1e6:.3g} µs"
    if t < 1:
        return f"{t * 1e3:.3g} ms"
    return f"{t:.3g} s"


@dataclass
class Row:
    """One line of the performance table: what was timed, against what, the goal and whether it is met."""

    work: str
    ours: str
    baseline: str
    measured: str          # the number the goal is about (a ratio or a time)
    goal: str
    passed: bool
    notes: list = field(default_factory=list)

    @property
    def mark(self) -> str:
        return "pass" if self.passed else "falls short"


def timed(t: Timing) -> str:
    """``best (spread)`` of a :class:`Timing`."""
    return f"{seconds(t.best)} (±{100 * t.spread:.0f} %)"


def print_rows(rows, title: str = "") -> None:
    """The rows as a Markdown table (what the README quotes), then their notes."""
    if title:
        print(f"\n### {title}\n")
    print("| work | mesocorr | baseline | measured | goal | result |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r.work} | {r.ours} | {r.baseline} | {r.measured} | {r.goal} | {r.mark} |")
    notes = [(r.work, n) for r in rows for n in r.notes]
    if notes:
        print()
        for work, n in notes:
            print(f"- {work}: {n}")
