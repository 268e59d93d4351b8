"""Run ``mesocorr.cli.main`` in-process with captured output and a per-call time budget (tests only).

:func:`run_cli` returns ``(status, stdout, stderr, seconds)``; a call that exceeds its budget of **CPU time** (the
process's user + system time, ``ITIMER_PROF``: a hang burns CPU, while a machine loaded by other jobs only stretches
the wall clock) is stopped by ``SIGPROF`` with :class:`CallTimeout`, a ``BaseException`` the CLI does not catch, so it cannot be mistaken for a
refusal. :func:`assert_clean` states the promise of the brief: exit 0 with finite output (JSON without
NaN/Infinity when ``--json`` was given), or exit 2 with exactly one stderr line ``error: ...``; nothing else,
never a traceback.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import math
import signal
import time

#: CPU seconds one CLI call may take in the hostile-input tests
TIME_BUDGET = 10.0


def warm_up() -> None:
    """Pay the one-time symbolic derivations (Hikami-box and UCF prefactors, cached per process) outside the
    per-call budget: until item 9 of issue 12 lands they take seconds on a loaded machine."""
    import mesocorr

    mesocorr.magnetoconductance(0.01, D=0.01, phi=1e10)
    mesocorr.ucf_variance(shape=(1,))


class CallTimeout(BaseException):
    """A CLI call ran over its time budget."""


def run_cli(argv, budget: float = TIME_BUDGET):
    out, err = io.StringIO(), io.StringIO()

    def on_alarm(signum, frame):
        raise CallTimeout(f"{argv!r} used more than {budget} s of CPU time")

    previous = signal.signal(signal.SIGPROF, on_alarm)
    signal.setitimer(signal.ITIMER_PROF, budget)
    start = time.monotonic()
    try:
        from mesocorr.cli import main

        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(list(argv))
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
    return status, out.getvalue(), err.getvalue(), time.monotonic() - start


def _refuse_constant(name):
    raise AssertionError(f"JSON output holds {name}")


#: a progress report line of mesocorr.progress written to a non-terminal ("label: k/total (t s)")
_PROGRESS = re.compile(r"[\w :.-]+: \d+(/\d+)?( done)? \(\d+\.\d s\)")


def _finite_json(value, where="output"):
    if isinstance(value, float):
        assert math.isfinite(value), f"{where} = {value}"
    elif isinstance(value, dict):
        for k, v in value.items():
            _finite_json(v, f"{where}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _finite_json(v, f"{where}[{i}]")


def assert_clean(argv, status, out, err) -> str:
    """The promise for any input; returns ``"ok"`` or ``"refused"``."""
    assert "Traceback" not in err and "Traceback" not in out, (argv, err)
    if status == 0:
        if "--json" in argv:
            data = json.loads(out, parse_constant=_refuse_constant)
            _finite_json(data)
            assert isinstance(data.get("warnings"), list), "--json output lacks the warnings list"
        assert all(line.startswith("warning: ") or "\r" in line or line.strip() == "" or line.startswith("[")
                   or _PROGRESS.fullmatch(line) for line in err.splitlines()), (argv, err)
        return "ok"
    assert status == 2, f"exit status {status} for {argv!r}: {err!r}"
    assert err.count("\n") == 1 and err.startswith("error: ") and err.endswith("\n"), (argv, err)
    assert len(err) < 700, (argv, len(err))
    return "refused"
