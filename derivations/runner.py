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

__all__ = ["MAX_JOBS", "usable_cpus", "run_entry", "run_entries"]

#: cap on ``jobs`` (worker processes; each holds its own SymPy, ~0.2–0.3 GB)
MAX_JOBS = 64


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
    records: dict[int, dict] = {}
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=_context())
    try:
        pending = {pool.submit(run_entry, name, out_dir, tuple(formats), pdf, parameters): i
                   for i, name in enumerate(names)}
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in sorted(done, key=pending.get):
                i = pending.pop(fut)
                records[i] = fut.result()  # an entry's exception is raised here, as in this process
                if on_done is not None:
                    on_done(len(records), records[i])
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return [records[i] for i in range(len(names))]
