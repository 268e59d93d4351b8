"""Progress reporting on stderr for long loops (CLI and sweeps).

On a terminal the report is one line rewritten in place (``\\r``); when the stream is not a terminal
(a log file, CI, a pipe) every report is a line of its own, ended by a newline, and reports come at
most every ``log_interval`` seconds, so logs stay readable::

    sweep: 12/40 (5.0 s)
    sweep: 25/40 (10.0 s)
    sweep: 40/40 done (16.1 s)
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

__all__ = ["progress"]


def _is_terminal(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def progress(items: Iterable[T], total: int | None = None, label: str = "", enabled: bool = True,
             stream=None, min_interval: float = 0.5, log_interval: float | None = None) -> Iterator[T]:
    """Yield from ``items`` and report ``label: k/total`` on ``stream`` (default stderr).

    Nothing is printed when ``enabled`` is false or the loop finishes within ``min_interval`` seconds.
    The first report comes after ``min_interval`` s. On a terminal the line is then updated at most
    every ``min_interval`` s; otherwise each report is a separate line, at most every
    ``log_interval`` s (default ``10 * min_interval``).
    """
    stream = sys.stderr if stream is None else stream
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    tty = _is_terminal(stream)
    every = min_interval if tty else (10 * min_interval if log_interval is None else log_interval)
    tot = f"/{total}" if total else ""
    start = last = time.monotonic()
    shown = False
    width = 0
    k = 0
    for k, item in enumerate(items, 1):
        yield item
        now = time.monotonic()
        if enabled and now - last >= (every if shown else min_interval):
            text = f"{label}: {k}{tot} ({now - start:.1f} s)"
            if tty:
                stream.write("\r" + text.ljust(width))
                width = max(width, len(text))
            else:
                stream.write(text + "\n")
            stream.flush()
            last = now
            shown = True
    if shown:
        text = f"{label}: {k}{tot} done ({time.monotonic() - start:.1f} s)"
        stream.write(("\r" + text.ljust(width) if tty else text) + "\n")
        stream.flush()
