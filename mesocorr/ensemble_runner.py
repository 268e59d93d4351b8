r"""Run a simulator's disorder ensemble on any executor, reproducibly, with a checkpoint on disk.

The simulator is a function ``sample(seed) -> g``: one disorder realisation, drawn from the integer
``seed``, returning its conductance :math:`g = G/(e^2/h)` (a float) or a fixed-length vector of
conductances (several fields or energies of the *same* realisation). :func:`run_ensemble` calls it
for the sample indices :math:`i = 0 \ldots n-1` and returns an :class:`Ensemble`.

Seeds
-----
Sample :math:`i` gets the seed :func:`sample_seed` ``(seed, i)`` =
``SeedSequence(seed, spawn_key=(i,)).generate_state(1, uint64)[0]`` — the same value that
``SeedSequence(seed).spawn(n)[i]`` produces. It depends only on the ensemble seed and the index,
never on the number of workers or the order in which they finish: the values of an ensemble are
bit-identical serially, on a thread or process pool, or on a Dask cluster.

Executors
---------
``executor=None`` runs in this process. Otherwise any :class:`concurrent.futures.Executor`
(``ThreadPoolExecutor``, ``ProcessPoolExecutor``, ``mpi4py.futures.MPIPoolExecutor``, the
``Client.get_executor()`` of ``dask.distributed``; a Dask ``Client`` itself is accepted and its
executor used). With processes or Dask, ``sample`` must be picklable (a module-level function or a
:func:`functools.partial` of one). At most ``max_in_flight`` tasks are submitted at a time; each
task evaluates ``chunk`` consecutive samples (amortises the per-task overhead of a cluster).
Completion is observed through ``future.add_done_callback`` (Dask's futures are not
``concurrent.futures.Future`` objects, so ``concurrent.futures.wait`` cannot be used).

Dask cluster::

    from dask.distributed import Client, LocalCluster   # or Client("tcp://scheduler:8786")
    with LocalCluster(n_workers=2, threads_per_worker=1) as cluster, Client(cluster) as client:
        ens = run_ensemble(sample, 10_000, seed=1, executor=client, chunk=20, checkpoint="run.jsonl")

Checkpoint
----------
``checkpoint=PATH`` appends every finished sample to a JSON-lines file as soon as it arrives: a
header line (format, ensemble seed, values per sample, label) and one line
``{"i": index, "seed": sample_seed, "g": value(s)}`` per sample, each written with a single
``write`` and flushed (``fsync`` every ``fsync_every`` lines and at the end). An interrupted run —
an exception inside ``sample``, ``KeyboardInterrupt``, a killed process — loses at most the
samples in flight; calling :func:`run_ensemble` again with the same arguments reads the file,
truncates a partial last line, computes only the missing indices and returns the same values as
an uninterrupted run. A checkpoint written for another seed or vector length is refused.

Caps (checked before any sample is computed): ``n <= max_samples`` (default :data:`MAX_SAMPLES`)
and the estimated checkpoint size ``<= max_checkpoint_bytes`` (default
:data:`MAX_CHECKPOINT_BYTES`), estimated from ``n_values`` (values per sample; re-checked when the
first result shows the real length).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
import queue
from dataclasses import dataclass, field

import numpy as np

from mesocorr import arguments
from mesocorr.ensembles import DEFAULT_CONFIDENCE, mean_shift, variance_interval
from mesocorr.progress import progress as _progress

__all__ = ["run_ensemble", "sample_seed", "Ensemble", "read_checkpoint", "MAX_SAMPLES", "MAX_CHECKPOINT_BYTES",
           "MAX_VALUES_PER_SAMPLE"]

#: largest accepted ensemble size
MAX_SAMPLES = 10_000_000
#: largest accepted checkpoint file (bytes, estimated before the run)
MAX_CHECKPOINT_BYTES = 2**30
#: largest accepted number of values returned by one sample
MAX_VALUES_PER_SAMPLE = 100_000
#: checkpoint format tag (first line)
FORMAT = "mesocorr-ensemble-1"
#: bytes of one stored value (repr of a float64 plus separator) and of one line's fixed part
_BYTES_PER_VALUE = 26
_BYTES_PER_LINE = 60


def sample_seed(seed: int, index: int) -> int:
    """Seed of sample ``index`` of the ensemble ``seed``: a 64-bit integer from ``numpy.random.SeedSequence``.

    Parameters
    ----------
    seed : int
        Ensemble seed (non-negative).
    index : int
        Sample index (from 0).

    Returns
    -------
    int
        ``SeedSequence(seed, spawn_key=(index,)).generate_state(1, uint64)[0]``, the value
        ``SeedSequence(seed).spawn(n)[index]`` gives: independent of workers and order.

    Examples
    --------
    >>> sample_seed(0, 0) == int(np.random.SeedSequence(0).spawn(1)[0].generate_state(1, np.uint64)[0])
    True
    """
    ss = np.random.SeedSequence(seed, spawn_key=(index,))
    return int(ss.generate_state(1, np.uint64)[0])


def _as_values(name: str, value) -> np.ndarray:
    """A sample's result as a float array of ndim 0 (scalar) or 1 (vector)."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name}: sample() returned a boolean, expected a conductance")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name}: sample() must return a real number or a 1-D sequence of real numbers, "
                        f"got {type(value).__name__}") from None
    if arr.ndim > 1:
        raise ValueError(f"{name}: sample() must return a number or a 1-D vector, got shape {arr.shape}")
    return arr


def _run_chunk(sample: Callable, seed: int, indices: list[int]) -> list[tuple[int, int, list]]:
    """Evaluate ``sample`` for ``indices`` (module level: picklable for process pools and Dask)."""
    out = []
    for i in indices:
        s = sample_seed(seed, i)
        out.append((i, s, sample(s)))
    return out


# ----------------------------------------------------------------------------------------- checkpoint
def _header(seed, n_values, label) -> dict:
    return {"format": FORMAT, "seed": seed, "n_values": n_values, "label": label}


def read_checkpoint(path) -> tuple[dict, dict[int, tuple[int, np.ndarray]]]:
    """Read a checkpoint: ``(header, {index: (sample_seed, values)})``; a partial last line is ignored.

    Raises ``ValueError`` naming ``checkpoint`` for a file that is not a mesocorr ensemble checkpoint.
    """
    path = os.fspath(path)
    with open(path, "rb") as fh:
        raw = fh.read()
    lines = raw.split(b"\n")
    complete = lines[:-1]  # the piece after the last newline is partial (or empty)
    if not complete:
        raise ValueError(f"checkpoint: {path} has no header line")
    try:
        header = json.loads(complete[0])
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValueError(f"checkpoint: {path} is not a mesocorr ensemble checkpoint (bad header)") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ValueError(f"checkpoint: {path} is not a mesocorr ensemble checkpoint (format {FORMAT!r})")
    done: dict[int, tuple[int, np.ndarray]] = {}
    for k, line in enumerate(complete[1:], start=2):
        try:
            rec = json.loads(line)
            done[int(rec["i"])] = (int(rec["seed"]), np.asarray(rec["g"], dtype=float))
        except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError):
            raise ValueError(f"checkpoint: {path}, line {k}: not a sample record") from None
    return header, done


class _Store:
    """Append-only JSON-lines checkpoint (or nothing, when ``path`` is None)."""

    def __init__(self, path, header: dict, fsync_every: int):
        self.path = None if path is None else os.fspath(path)
        self.fsync_every = fsync_every
        self.unsynced = 0
        self.fh = None
        self.done: dict[int, tuple[int, np.ndarray]] = {}
        if self.path is None:
            return
        if os.path.exists(self.path) and os.path.getsize(self.path) > 0:
            old, self.done = read_checkpoint(self.path)
            for key in ("seed", "label"):
                if old.get(key) != header[key]:
                    raise ValueError(f"checkpoint: {self.path} was written for {key}={old.get(key)!r}, "
                                     f"this run has {key}={header[key]!r}; use another file")
            if header["n_values"] is not None and old.get("n_values") not in (None, header["n_values"]):
                raise ValueError(f"checkpoint: {self.path} holds {old['n_values']} value(s) per sample, "
                                 f"this run declares n_values={header['n_values']}")
            header["n_values"] = old.get("n_values", header["n_values"])
            self._truncate_partial_line()
            self.fh = open(self.path, "a", encoding="utf-8")
        else:
            self.fh = open(self.path, "w", encoding="utf-8")
            self._write(json.dumps(header))
            self.sync()

    def _truncate_partial_line(self):
        with open(self.path, "rb+") as fh:
            data = fh.read()
            end = data.rfind(b"\n") + 1
            if end < len(data):
                fh.truncate(end)

    def _write(self, line: str):
        self.fh.write(line + "\n")  # one write per record; flushed at once
        self.fh.flush()

    def add(self, i: int, s: int, values: np.ndarray):
        self.done[i] = (s, values)
        if self.fh is None:
            return
        g = float(values) if values.ndim == 0 else [float(v) for v in values]
        self._write(json.dumps({"i": i, "seed": s, "g": g}))
        self.unsynced += 1
        if self.unsynced >= self.fsync_every:
            self.sync()

    def sync(self):
        if self.fh is not None:
            self.fh.flush()
            os.fsync(self.fh.fileno())
            self.unsynced = 0

    def close(self):
        if self.fh is not None:
            self.sync()
            self.fh.close()
            self.fh = None


# ----------------------------------------------------------------------------------------- result
@dataclass(frozen=True)
class Ensemble:
    r"""An ensemble of conductances (units :math:`e^2/h`) and its statistics (made by :func:`run_ensemble`).

    Parameters
    ----------
    values : numpy.ndarray
        Shape ``(n,)`` for scalar samples, ``(n, m)`` for vectors, ordered by sample index.
    seeds : numpy.ndarray
        The per-sample seeds (:func:`sample_seed`).
    seed : int
        The ensemble seed.
    label : str
        Name (progress line, checkpoint header).
    resumed : int
        How many samples came from the checkpoint.
    warnings : list of str
        E.g. non-finite values (dropped by the statistics).

    Examples
    --------
    >>> e = Ensemble(values=np.array([[1.0, 1.2], [1.1, 1.2], [0.9, 1.0], [1.2, 1.3]]),
    ...              seeds=np.arange(4, dtype=np.uint64), seed=0)
    >>> round(e.shift(0, 1)["shift"], 10), e.shift(0, 1)["paired"]
    (-0.125, True)
    """

    values: np.ndarray
    seeds: np.ndarray
    seed: int
    label: str = "ensemble"
    resumed: int = 0
    warnings: list = field(default_factory=list)

    @property
    def n(self) -> int:
        return int(self.values.shape[0])

    def column(self, k: int | None = None) -> np.ndarray:
        """The conductances of value ``k`` (``None`` for scalar samples)."""
        if self.values.ndim == 1:
            if k not in (None, 0):
                raise ValueError(f"k: the samples are scalars, got k={k!r}")
            return self.values
        if k is None:
            raise ValueError(f"k: the samples are vectors of {self.values.shape[1]} values; give k")
        k = arguments.integer("k", k, minimum=0, maximum=self.values.shape[1] - 1)
        return self.values[:, k]

    def statistics(self, k: int | None = None, confidence: float = DEFAULT_CONFIDENCE) -> dict:
        r"""Mean with its standard error and Student-t interval, variance with its chi-square interval.

        Non-finite values are dropped (and counted in ``dropped``).
        """
        from scipy.stats import t as student_t

        x = self.column(k)
        good = np.isfinite(x)
        x = x[good]
        if x.size < 3:
            raise ValueError(f"values: need at least 3 finite samples, got {x.size}")
        s2, lo, hi = variance_interval(x, confidence)
        sem = math.sqrt(s2 / x.size)
        q = float(student_t.ppf(0.5 + confidence / 2, x.size - 1))
        mean = float(np.mean(x))
        return {"n": int(x.size), "dropped": int((~good).sum()), "mean": mean, "mean_sem": sem,
                "mean_ci": [mean - q * sem, mean + q * sem], "variance": s2, "variance_ci": [lo, hi],
                "confidence": confidence, "unit": "e^2/h"}

    def shift(self, a: int, b: int, confidence: float = DEFAULT_CONFIDENCE) -> dict:
        """``mean(values[:, a]) - mean(values[:, b])`` with the *paired* error of
        :func:`mesocorr.ensembles.mean_shift` (both values of a row come from one realisation; realisations
        with a non-finite value in either column are dropped)."""
        xa, xb = self.column(a), self.column(b)
        good = np.isfinite(xa) & np.isfinite(xb)
        return mean_shift(xa[good], xb[good], confidence, paired=True)


# ----------------------------------------------------------------------------------------- runner
def _executor_of(executor):
    if executor is None or hasattr(executor, "submit"):
        return executor
    if hasattr(executor, "get_executor"):  # a dask.distributed Client
        return executor.get_executor()
    raise TypeError(f"executor: expected a concurrent.futures.Executor or a dask Client, got {type(executor).__name__}")


def run_ensemble(sample: Callable, n: int, seed: int = 0, executor=None, checkpoint=None, progress: bool = True,
                 label: str = "ensemble", n_values: int | None = None, chunk: int = 1,
                 max_in_flight: int | None = None, max_samples: int = MAX_SAMPLES,
                 max_checkpoint_bytes: int = MAX_CHECKPOINT_BYTES, fsync_every: int = 100) -> Ensemble:
    r"""Evaluate ``sample(sample_seed(seed, i))`` for :math:`i = 0 \ldots n-1`; return the :class:`Ensemble`.

    Parameters
    ----------
    sample : callable
        ``sample(seed: int) -> float | sequence of float``: one disorder realisation's conductance(s)
        in units of :math:`e^2/h`; every call must return the same number of values.
    n : int
        Number of realisations (``1 <= n <= max_samples``).
    seed : int
        Ensemble seed (non-negative integer); per-sample seeds by :func:`sample_seed`.
    executor : concurrent.futures.Executor or dask.distributed.Client, optional
        Where to run (``None``: this process).
    checkpoint : path, optional
        JSON-lines file: created, or resumed if it exists (same ``seed`` and ``label`` required).
    progress : bool
        Report ``label: k/n`` on stderr (:func:`mesocorr.progress.progress`) for runs over 0.5 s.
    label : str
        Name shown on the progress line and stored in the checkpoint header (a resumed run must match).
    n_values : int, optional
        Values per sample, for the checkpoint-size estimate (default 1) and a check of the results.
    chunk : int
        Samples per submitted task (default 1).
    max_in_flight : int, optional
        Tasks submitted at once (default ``4 * max_workers`` or 64).
    max_samples, max_checkpoint_bytes : int
        Caps checked before the work starts.
    fsync_every : int
        ``os.fsync`` the checkpoint every so many samples (each line is flushed at once anyway).

    Returns
    -------
    Ensemble
        Values ordered by sample index; identical for any executor, worker count or completion order,
        and for a resumed run.

    Examples
    --------
    >>> def sample(s):
    ...     return float(np.random.default_rng(s).normal(3.0, 0.5))
    >>> e = run_ensemble(sample, 200, seed=1, progress=False)
    >>> e.n, round(e.statistics()["mean"], 6) == round(float(np.mean(e.values)), 6)
    (200, True)
    """
    if not callable(sample):
        raise TypeError(f"sample: expected a callable sample(seed) -> conductance, got {type(sample).__name__}")
    max_samples = arguments.integer("max_samples", max_samples, minimum=1)
    n = arguments.integer("n", n, minimum=1, maximum=max_samples)
    seed = arguments.integer("seed", seed, minimum=0)
    chunk = arguments.integer("chunk", chunk, minimum=1, maximum=n)
    fsync_every = arguments.integer("fsync_every", fsync_every, minimum=1)
    max_checkpoint_bytes = arguments.integer("max_checkpoint_bytes", max_checkpoint_bytes, minimum=1)
    if not isinstance(progress, bool):
        raise TypeError(f"progress: expected True or False, got {progress!r}")
    if not isinstance(label, str):
        raise TypeError(f"label: expected a string, got {type(label).__name__}")
    if n_values is not None:
        n_values = arguments.integer("n_values", n_values, minimum=1, maximum=MAX_VALUES_PER_SAMPLE)

    def check_size(m: int):
        if checkpoint is None:
            return
        estimate = n * (_BYTES_PER_LINE + _BYTES_PER_VALUE * m)
        if estimate > max_checkpoint_bytes:
            raise ValueError(f"max_checkpoint_bytes: the checkpoint of {n} samples x {m} value(s) would take about "
                             f"{estimate / 2**20:.1f} MiB > the cap {max_checkpoint_bytes / 2**20:.1f} MiB; "
                             "raise max_checkpoint_bytes or split the run")

    check_size(n_values or 1)
    executor = _executor_of(executor)
    store = _Store(checkpoint, _header(seed, n_values, label), fsync_every)
    warnings: list[str] = []
    try:
        resumed = sum(1 for i in store.done if i < n)
        for i, (s, _) in store.done.items():
            if i < n and s != sample_seed(seed, i):  # pragma: no cover - only a hand-edited file
                raise ValueError(f"checkpoint: sample {i} has seed {s}, expected {sample_seed(seed, i)}")
        todo = [i for i in range(n) if i not in store.done]
        first = next(iter(store.done.values()), None)
        expected = {"shape": None if first is None else first[1].shape}

        def accept(i, s, value):
            v = _as_values("sample", value)
            if expected["shape"] is None:
                if v.size > MAX_VALUES_PER_SAMPLE:
                    raise ValueError(f"sample: returned {v.size} values > {MAX_VALUES_PER_SAMPLE}")
                if n_values is not None and v.size != n_values:
                    raise ValueError(f"sample: returned {v.size} value(s), n_values={n_values} was declared")
                expected["shape"] = v.shape
                check_size(v.size)
            elif v.shape != expected["shape"]:
                raise ValueError(f"sample: returned shape {v.shape} for sample {i}, expected {expected['shape']} "
                                 "(every sample must return the same number of values)")
            store.add(i, s, v)

        tasks = [todo[k:k + chunk] for k in range(0, len(todo), chunk)]
        bar = _progress(range(len(todo)), total=len(todo), label=label, enabled=progress)
        ticks = iter(bar)
        if executor is None:
            for task in tasks:
                for i, s, value in _run_chunk(sample, seed, task):
                    accept(i, s, value)
                    next(ticks, None)
        else:
            limit = max_in_flight or 4 * (getattr(executor, "_max_workers", None) or 16)
            limit = arguments.integer("max_in_flight", limit, minimum=1)
            pending = set()
            todo_tasks = iter(tasks)
            # completion through add_done_callback: works for concurrent.futures and dask.distributed
            # futures alike (concurrent.futures.wait does not accept Dask's futures)
            done_queue: queue.SimpleQueue = queue.SimpleQueue()
            error = None
            try:
                while error is None:
                    while len(pending) < limit:
                        task = next(todo_tasks, None)
                        if task is None:
                            break
                        fut = executor.submit(_run_chunk, sample, seed, task)
                        pending.add(fut)
                        fut.add_done_callback(done_queue.put)
                    if not pending:
                        break
                    finished = [done_queue.get()]
                    while True:  # everything else that has finished meanwhile
                        try:
                            finished.append(done_queue.get_nowait())
                        except queue.Empty:
                            break
                    pending.difference_update(finished)
                    for fut in finished:  # keep every finished sample before raising the first error
                        try:
                            results = fut.result()
                        except Exception as exc:
                            error = error or exc
                            continue
                        for i, s, value in results:
                            accept(i, s, value)
                            next(ticks, None)
            finally:
                for fut in pending:
                    fut.cancel()
            if error is not None:
                raise error
        for _ in ticks:  # close the progress line
            pass
    finally:
        store.close()
    values = np.array([store.done[i][1] for i in range(n)], dtype=float)
    bad = int((~np.isfinite(values)).sum())
    if bad:
        warnings.append(f"values: {bad} non-finite value(s); statistics drop them")
    seeds = np.array([store.done[i][0] for i in range(n)], dtype=np.uint64)
    return Ensemble(values=values, seeds=seeds, seed=seed, label=label, resumed=resumed, warnings=warnings)
