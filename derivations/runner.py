r"""Running catalogue entries: build, check and write each one, in this process or in parallel worker processes.

:func:`run_entry` builds one derivation (:func:`mesocorr.derivations.catalogue.build`), writes its documents
(:func:`mesocorr.derivations.catalogue.write`) and returns a JSON-ready record. :func:`run_entries` does that for
several names, with ``jobs`` worker processes: the entries are independent (each one's documents are the same,
byte for byte, whether it is built alone in a fresh process or after others in one process: measured for all
17 entries when this module was written, and tested for three cheap ones in ``tests/test_derive_runner.py``),
so ``mesocorr derive`` spreads the catalogue over the machine's cores. The records come back in the order
of ``names`` whatever order the workers finish in.

Workers are started by ``fork`` on Linux when this process runs a single thread (they inherit the loaded SymPy
and the per-process caches of :mod:`mesocorr.symbolic.memo`), otherwise by ``spawn`` (each worker imports the
catalogue itself, about a second of CPU).

Scheduling. Each worker keeps what it has loaded (matplotlib for the figures, scipy.special, SymPy's warmed-up
caches, the ``sympy.physics.units`` import of SymPy's first ``simplify``), so which worker gets which entry
matters: :func:`schedule` deals the entries out before the run, heaviest first, each to the worker that would
finish it soonest counting the set-up that worker has not paid yet (:data:`COST_HINT`, :data:`SETUP_HINT`; rough
CPU seconds, used for nothing but this order), then improves that by moving or swapping entries between workers
(so that, where balance allows, one worker draws all the figures and pays matplotlib's import once). During the
run a worker that runs out of entries takes the last queued entry of the most loaded other worker, so a wrong
hint costs balance, never correctness: the documents do not depend on where or in which order an entry is built.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

from mesocorr.arguments import boolean, integer
from mesocorr.derivations import catalogue
from mesocorr.symbolic.printing import plain_text

__all__ = ["MAX_JOBS", "COST_HINT", "SETUP_HINT", "usable_cpus", "schedule", "run_entry", "run_entries"]

#: cap on ``jobs`` (worker processes; each holds its own SymPy, ~0.2–0.3 GB)
MAX_JOBS = 64


#: rough CPU seconds of each entry in a worker that has already built another one, without the set-ups of
#: :data:`SETUP_HINT` (one-process runs in catalogue order and in the two workers' orders, session 7); for
#: scheduling only. An entry not listed counts as 1 s.
COST_HINT: dict[str, float] = {
    "diffuson-ladder": 0.45, "cooperon-spin": 0.25, "wl-2d": 0.5, "hln": 1.2, "wire-mc": 0.45, "kawabata": 0.5,
    "ucf-wire": 1.1, "landauer-four-terminal": 0.55, "scaling-one-loop": 1.3, "aas-cylinder": 0.9,
    "double-step": 0.4, "interaction-2d": 0.95, "interaction-zeeman": 0.4, "zeeman": 0.3, "ilp": 1.6,
    "graphene": 0.35, "ti-surface": 0.45,
}
#: set-up a worker pays once, before the first entry that needs it: name -> (rough CPU seconds, entries).
#: matplotlib: its import and the first figure's fonts and mathtext grammar; scipy.special: imported by the float
#: paths of aas-cylinder and ilp; sympy.physics.units: imported by SymPy's first ``simplify``, which only these
#: four entries still call (checked by ``sys.modules`` after each entry alone).
SETUP_HINT: dict[str, tuple[float, tuple[str, ...]]] = {
    "matplotlib": (1.4, ("hln", "ucf-wire", "scaling-one-loop")),
    "scipy.special": (0.35, ("aas-cylinder", "ilp")),
    "sympy.physics.units": (0.2, ("aas-cylinder", "interaction-2d", "ilp", "ti-surface")),
}


def usable_cpus() -> int:
    """Number of CPUs this process may run on.

    Returns
    -------
    int
        The size of the process's CPU affinity mask where the OS reports one (Linux), else ``os.cpu_count()``;
        at least 1.
    """
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def schedule(names: Sequence[str], jobs: int) -> list[list[str]]:
    """Deal ``names`` out to ``jobs`` workers: heaviest first, each to the worker that would finish it soonest.

    The cost of an entry on a worker is its :data:`COST_HINT` plus the :data:`SETUP_HINT` set-ups it needs that
    the worker has not paid yet (longest-processing-time-first list scheduling with set-up costs). A local search
    then moves one entry or swaps two between workers while that lowers the slowest worker's hinted load (then
    the sum of squared loads), at most :data:`_SEARCH_BUDGET` trials; list scheduling alone would split the
    users of a set-up.

    Parameters
    ----------
    names : sequence of str
        Entry names (any strings; unknown ones cost 1 s and need no set-up).
    jobs : int
        Number of workers, at least 1.

    Returns
    -------
    list of list of str
        ``jobs`` queues (some may be empty), each in the order its worker runs it; together they hold every
        name once.

    Examples
    --------
    >>> schedule(["zeeman", "ilp", "hln", "ucf-wire"], 2)
    [['ilp', 'zeeman'], ['hln', 'ucf-wire']]
    """
    if isinstance(names, str) or not all(isinstance(n, str) for n in names):
        raise TypeError("names: a sequence of entry names (str), not one string or other objects")
    jobs = integer("jobs", jobs, 1, MAX_JOBS)
    queues: list[list[str]] = [[] for _ in range(jobs)]
    loads = [0.0] * jobs
    paid: list[set[str]] = [set() for _ in range(jobs)]
    order = sorted(names, key=lambda n: -COST_HINT.get(n, 1.0))  # stable: ties keep the order of names

    for name in order:
        needs = _needs(name)
        finish = [loads[k] + COST_HINT.get(name, 1.0) + sum(SETUP_HINT[s][0] for s in needs - paid[k])
                  for k in range(jobs)]
        w = min(range(jobs), key=lambda k: (finish[k], k))
        loads[w] = finish[w]
        paid[w] |= needs
        queues[w].append(name)
    return _improved(queues, order)


def _needs(name: str) -> set[str]:
    """The :data:`SETUP_HINT` set-ups entry ``name`` needs."""
    return {s for s, (_, users) in SETUP_HINT.items() if name in users}


def _load(queue: Sequence[str]) -> float:
    """Hinted CPU seconds of one worker's queue: its entries plus each set-up they need, paid once."""
    needs = set().union(*(_needs(n) for n in queue)) if queue else set()
    return sum(COST_HINT.get(n, 1.0) for n in queue) + sum(SETUP_HINT[s][0] for s in needs)


#: trial schedules the local search of :func:`schedule` may evaluate (each costs microseconds per entry)
_SEARCH_BUDGET = 5000


def _improved(queues: list[list[str]], order: list[str]) -> list[list[str]]:
    """Local search after list scheduling: move one entry to another queue, or swap two entries between queues,
    while that lowers (makespan, sum of squared loads); each queue is then run heaviest first (``order``).

    List scheduling deals a set-up's users out one by one and can split them (each worker then pays it); a
    move or swap that puts a user next to the others also saves that set-up, so the search often joins them (on
    the catalogue it reaches the brute-force optimum, ``tests/test_derive_runner.py``), but a local search
    guarantees no optimum. The search stops after :data:`_SEARCH_BUDGET` trial schedules (a few ms for the catalogue
    on two workers; the budget bounds it for many workers or long lists)."""
    loads = [_load(q) for q in queues]

    def key(values):
        return (round(max(values), 9), round(sum(x * x for x in values), 9))

    def neighbours():  # (a, b, new queue a, new queue b): one entry moved from a to b, or one pair swapped
        for a, qa in enumerate(queues):
            for b, qb in enumerate(queues):
                for i in range(len(qa) if a != b else 0):
                    yield a, b, qa[:i] + qa[i + 1:], qb + [qa[i]]
                    for j in range(len(qb) if a < b else 0):
                        yield a, b, qa[:i] + [qb[j]] + qa[i + 1:], qb[:j] + [qa[i]] + qb[j + 1:]

    best, trials, improved = key(loads), 0, True
    while improved and trials < _SEARCH_BUDGET:
        improved = False
        for a, b, qa, qb in neighbours():
            trials += 1
            trial = list(loads)
            trial[a], trial[b] = _load(qa), _load(qb)
            if (k := key(trial)) < best:
                queues[a], queues[b], loads, best, improved = qa, qb, trial, k, True
                break  # first improvement: restart from the new schedule
            if trials >= _SEARCH_BUDGET:
                break
    rank = {n: r for r, n in enumerate(order)}
    return [sorted(q, key=lambda n: rank[n]) for q in queues]


def run_entry(name: str, out_dir: str, formats: Sequence[str] = catalogue.FORMATS, pdf: bool = False,
              parameters: dict | None = None) -> dict:
    """Build the derivation ``name``, write its documents into ``out_dir`` and return its record.

    Parameters
    ----------
    name : str
        A catalogue name (:func:`mesocorr.derivations.catalogue.names`).
    out_dir : str
        Output folder (created if missing).
    formats : sequence of str
        Any of ``"latex"``, ``"markdown"``.
    pdf : bool
        Compile the ``.tex`` with pdflatex when it is available.
    parameters : dict, optional
        ``so``, ``mag``, ``zeeman`` for the entries of :data:`~mesocorr.derivations.catalogue.PARAMETRISED`.

    Returns
    -------
    dict
        ``name``, ``title`` (plain text), ``title_latex``, ``checks`` (one dict per check:
        :meth:`~mesocorr.derivations.core.Check.as_dict`), ``files`` (paths written), ``pdf`` (a note, or None
        when no PDF was asked), ``pdf_ok`` (False when pdflatex ran and failed, else True or None) and
        ``seconds`` (CPU time of this entry in the process that ran it).
    """
    t0 = time.process_time()
    d = catalogue.build(name, **(parameters or {}))
    written = catalogue.write(d, out_dir, formats, pdf=pdf)
    return {"name": name, "title": plain_text(d.title), "title_latex": d.title,
            "checks": [c.as_dict() for c in d.checks], "files": written["files"], "pdf": written["pdf"],
            "pdf_ok": written["pdf_ok"], "seconds": time.process_time() - t0}


def _context():
    if sys.platform == "linux" and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def run_entries(names: Sequence[str], out_dir: str, formats: Sequence[str] = catalogue.FORMATS, pdf: bool = False,
                parameters: dict | None = None, jobs: int = 1,
                on_done: Callable[[int, dict], None] | None = None) -> list[dict]:
    """:func:`run_entry` for each of ``names``, in ``jobs`` worker processes; records in the order of ``names``.

    Parameters
    ----------
    names : sequence of str
        Catalogue names (checked before any work).
    out_dir, formats, pdf, parameters
        As in :func:`run_entry`.
    jobs : int
        Number of processes, 1 to :data:`MAX_JOBS`; with 1 (or one name) everything runs in this process.
        More workers than names are not started.
    on_done : callable, optional
        Called as ``on_done(k, record)`` after each entry, ``k`` counting finished entries from 1 (in finishing
        order); the CLI prints its progress lines from it.

    Returns
    -------
    list of dict
        The records of :func:`run_entry`, in the order of ``names``.
    """
    jobs = integer("jobs", jobs, 1, MAX_JOBS)
    pdf = boolean("pdf", pdf)
    available = catalogue.names()
    unknown = [n for n in names if n not in available]
    if unknown:
        raise ValueError(f"names: unknown derivation {', '.join(map(repr, unknown))}; available: "
                         f"{', '.join(available)}")
    names = list(names)
    jobs = min(jobs, len(names))
    if jobs <= 1:
        records = []
        for k, name in enumerate(names, 1):
            records.append(run_entry(name, out_dir, formats, pdf, parameters))
            if on_done is not None:
                on_done(k, records[-1])
        return records
    positions: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        positions.setdefault(name, []).append(i)
    queues = [[positions[name].pop(0) for name in queue] for queue in schedule(names, jobs)]
    records: dict[int, dict] = {}
    pools = [ProcessPoolExecutor(max_workers=1, mp_context=_context()) for _ in queues]
    try:
        running = {}  # future -> (worker, position in names)

        def feed(w):
            if not queues[w]:  # take the last queued entry of the most loaded other worker
                donors = [v for v in range(len(queues)) if len(queues[v]) > 0]
                if not donors:
                    return
                v = max(donors, key=lambda v: (sum(COST_HINT.get(names[i], 1.0) for i in queues[v]), -v))
                queues[w].append(queues[v].pop())
            i = queues[w].pop(0)
            running[pools[w].submit(run_entry, names[i], out_dir, tuple(formats), pdf, parameters)] = (w, i)

        for w in range(len(queues)):
            feed(w)
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for fut in sorted(done, key=lambda f: running[f][1]):
                w, i = running.pop(fut)
                records[i] = fut.result()  # an entry's exception is raised here, as in this process
                if on_done is not None:
                    on_done(len(records), records[i])
                feed(w)
    finally:
        for pool in pools:
            pool.shutdown(wait=True, cancel_futures=True)
    return [records[i] for i in range(len(names))]
