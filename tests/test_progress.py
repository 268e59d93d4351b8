"""Progress lines: rewritten in place on a terminal, one clean line per report in a log (never run together)."""

from __future__ import annotations

import io

import pytest

from mesocorr import progress as P


class _Clock:
    """A monotonic clock that advances ``step`` seconds per reading (deterministic timings)."""

    def __init__(self, step: float):
        self.t, self.step = 0.0, step

    def __call__(self) -> float:
        self.t += self.step
        return self.t


class _Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.fixture
def clock(monkeypatch):
    c = _Clock(1.0)
    monkeypatch.setattr(P.time, "monotonic", c)
    return c


def test_log_stream_gets_whole_lines(clock):
    out = io.StringIO()
    assert list(P.progress(range(40), label="sweep", stream=out, min_interval=0.5, log_interval=10.0)) == list(range(40))
    text = out.getvalue()
    assert "\r" not in text and text.endswith("\n")
    lines = text.splitlines()
    # clock: 1 s per reading, the loop starts at t = 1; item k is reported at t = k + 1
    assert lines[0] == "sweep: 1/40 (1.0 s)" and lines[1] == "sweep: 11/40 (11.0 s)"
    assert lines[-1] == "sweep: 40/40 done (41.0 s)"
    assert all(line.startswith("sweep: ") for line in lines)


def test_terminal_line_is_rewritten_in_place(clock):
    out = _Terminal()
    list(P.progress(range(3), label="fit", stream=out, min_interval=0.5))
    text = out.getvalue()
    assert text == "\rfit: 1/3 (1.0 s)\rfit: 2/3 (2.0 s)\rfit: 3/3 (3.0 s)\rfit: 3/3 done (4.0 s)\n"


def test_silent_when_fast_or_disabled(monkeypatch):
    monkeypatch.setattr(P.time, "monotonic", _Clock(0.001))
    out = io.StringIO()
    list(P.progress(range(100), label="x", stream=out))
    assert out.getvalue() == ""
    monkeypatch.setattr(P.time, "monotonic", _Clock(10.0))
    list(P.progress(range(5), label="x", stream=out, enabled=False))
    assert out.getvalue() == ""


def test_total_from_len_or_unknown(clock):
    out = io.StringIO()
    list(P.progress(iter(range(2)), label="g", stream=out, min_interval=0.5, log_interval=0.5))
    assert out.getvalue().splitlines() == ["g: 1 (1.0 s)", "g: 2 (2.0 s)", "g: 2 done (3.0 s)"]
