"""Command-line interface: ``mesocorr COMMAND ... [--json]``.

The CLI is a thin skin over the Python API. Subcommands are registered in one place: every
module in :mod:`mesocorr.commands` that defines ``NAME``, ``HELP``, ``register(parser)`` and
``run(args)`` becomes a subcommand, so a new command is a new module and nothing else. Option types
(numbers, lists, counts with caps) live in :mod:`mesocorr.options`.

``run(args)`` returns ``(result, text)`` or ``(result, text, status)``: ``result`` is the
JSON-serialisable dict printed with ``--json``, ``text`` the human-readable table printed otherwise,
``status`` the exit status (default 0; ``derive`` returns 1 when a check fails).

Exit status (``docs/conventions.md``, "Command line: exit status, caps, warnings")
    * 0: a result.
    * 2: the input was refused: argparse errors, :class:`CliError`, ``ValueError``/``TypeError`` from the API,
      files that cannot be read or written (``OSError``), arithmetic that overflows or divides by zero for
      extreme input (``ArithmeticError``, mpmath's ``NoConvergence``), ``RecursionError``, ``MemoryError``, and a
      result holding a non-finite number (NaN or infinity: no finite answer for these inputs). One line
      ``error: ...`` on stderr, never a traceback.
    * 1: a check failed (``derive`` only), or an internal error (any other exception; one line asking
      for a report).
    * 130: interrupted (Ctrl-C).

Warnings: the command runs under :func:`warnings.catch_warnings`; every :class:`UserWarning` (so
:class:`mesocorr.PhysicsWarning`, SciPy's integration and optimisation warnings) and every
:class:`RuntimeWarning` (NumPy's overflow/invalid-value warnings) is printed on stderr as
``warning: <message>`` (each distinct message once) and listed, with the result's own warnings, under
``"warnings"`` in the ``--json`` output; that key is always present (an empty list when there is none).
Deprecation and similar warnings, which are about the code and not the input, are dropped. A refused input
prints only its error line.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import os
import pkgutil
import re
import sys
import warnings
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from mesocorr._version import __version__

__all__ = ["main", "CliError", "format_table", "build_parser", "undetermined_as_null"]

#: longest error or warning line printed (longer messages are cut)
MAX_MESSAGE = 500


class CliError(Exception):
    """A user error: printed as one line on stderr, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # accept "-1e-12" and "-0.03,0.01" as values (argparse's own pattern misses exponents and lists)
        self._negative_number_matcher = re.compile(r"^-\.?\d[\d.eE+,-]*$")

    def error(self, message: str):
        raise CliError(f"{self.prog}: {message}")


def format_table(rows: Sequence[Sequence], headers: Sequence[str]) -> str:
    """Format rows as a plain-text table with aligned columns."""

    def fmt(v):
        if isinstance(v, float):
            return f"{v:.10g}"
        return str(v)

    cells = [[fmt(h) for h in headers]] + [[fmt(v) for v in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _command_modules():
    import mesocorr.commands as pkg

    mods = []
    for info in pkgutil.iter_modules(pkg.__path__):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"mesocorr.commands.{info.name}")
        if all(hasattr(mod, a) for a in ("NAME", "HELP", "register", "run")):
            mods.append(mod)
    mods.sort(key=lambda m: (getattr(m, "ORDER", 100), m.NAME))
    return mods


def build_parser() -> argparse.ArgumentParser:
    """Build the top-level parser with every registered subcommand."""
    parser = _Parser(
        prog="mesocorr",
        description="Diagrammatic quantum corrections of mesoscopic transport. "
        "Every command accepts --json. Conventions: docs/conventions.md.",
    )
    parser.add_argument("--version", action="version", version=f"mesocorr {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for mod in _command_modules():
        p = sub.add_parser(mod.NAME, help=mod.HELP, description=getattr(mod, "DESCRIPTION", mod.HELP))
        mod.register(p)
        if not any(a.dest == "json" for a in p._actions):
            p.add_argument("--json", action="store_true", help="print the result as JSON on stdout")
        p.set_defaults(_run=mod.run)
    return parser


def _jsonable(obj):
    """The result as plain JSON types (numpy arrays and scalars, tuples); anything else is left for json."""
    if isinstance(obj, dict):
        return {k: _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if hasattr(obj, "tolist"):
        return _jsonable(obj.tolist())
    if isinstance(obj, (Decimal, Fraction)):  # exact CLI input echoed in a result
        return float(obj)
    return obj


def undetermined_as_null(obj):
    """``obj`` with every non-finite float replaced by ``None`` (JSON ``null``).

    For results where infinity or NaN *means* something documented ("not determined by the data": a fit's
    standard error of an unidentifiable parameter); a command calls it explicitly on those parts. Anything
    left non-finite in a result is refused by :func:`main`.
    """
    if isinstance(obj, dict):
        return {k: undetermined_as_null(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [undetermined_as_null(v) for v in obj]
    if hasattr(obj, "tolist"):
        return undetermined_as_null(obj.tolist())
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


_NON_FINITE_TEXT = {"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}


def _non_finite(obj, where: str = "result") -> str | None:
    """Where the first non-finite number in ``obj`` sits (``"delta_sigma[3] = nan"``), or ``None``.

    Floats, numpy values and mpmath numbers count, and so do strings that spell a non-finite number (the
    ``--dps`` paths return numbers as strings).
    """
    if isinstance(obj, dict):
        for k, v in obj.items():
            found = _non_finite(v, f"{k}" if where == "result" else f"{where}.{k}")
            if found:
                return found
        return None
    if isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            found = _non_finite(v, f"{where}[{i}]")
            if found:
                return found
        return None
    if isinstance(obj, str):
        return f"{where} = {obj}" if obj.strip().lower() in _NON_FINITE_TEXT else None
    if isinstance(obj, (bool, int)) or obj is None:
        return None
    if hasattr(obj, "tolist"):
        return _non_finite(obj.tolist(), where)
    try:
        x = complex(obj)
    except (TypeError, ValueError):
        return None
    return None if math.isfinite(x.real) and math.isfinite(x.imag) else f"{where} = {obj}"


def _one_line(message: str) -> str:
    """A message as one line of at most :data:`MAX_MESSAGE` characters (control characters shown escaped)."""
    text = " ".join(str(message).split())
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return text if len(text) <= MAX_MESSAGE else text[:MAX_MESSAGE] + " ..."


def _refusal(exc: BaseException) -> str:
    """The one-line message for an exception that means "this input is refused" (exit status 2)."""
    msg = _one_line(str(exc)) if str(exc) else ""
    if isinstance(exc, OSError) and not isinstance(exc, (FileNotFoundError,)) and exc.strerror:
        where = f" {exc.filename}" if exc.filename else ""
        return f"cannot use{where}: {exc.strerror}"
    if isinstance(exc, FileNotFoundError):
        return f"no such file or folder: {exc.filename}" if exc.filename else (msg or "no such file")
    if isinstance(exc, RecursionError):
        return "the input is nested too deeply or asks for too deep a computation (recursion limit reached)"
    if isinstance(exc, MemoryError):
        return "out of memory: the input asks for more work than this machine can hold"
    if isinstance(exc, (ArithmeticError,)) or type(exc).__name__ == "NoConvergence":
        kind = {OverflowError: "overflowed", ZeroDivisionError: "divided by zero",
                FloatingPointError: "failed in floating point"}.get(type(exc), "failed")
        detail = f" ({type(exc).__name__}: {msg})" if msg else f" ({type(exc).__name__})"
        if msg and type(exc) is ArithmeticError:  # the library's own message (e.g. an accuracy check)
            return msg
        return f"the computation {kind} for these inputs{detail}; an input is probably too extreme"
    return msg or type(exc).__name__


def _reported(caught) -> list[str]:
    """Distinct messages of the recorded warnings worth showing the user (see the module docstring)."""
    out: list[str] = []
    for w in caught:
        if issubclass(w.category, (DeprecationWarning, PendingDeprecationWarning, FutureWarning, ImportWarning,
                                   ResourceWarning, SyntaxWarning, BytesWarning, EncodingWarning)):
            continue
        if not issubclass(w.category, (UserWarning, RuntimeWarning)):
            continue
        msg = _one_line(w.message)
        if msg not in out:
            out.append(msg)
    return out


def _write(stream, text: str) -> None:
    try:
        stream.write(text)
    except UnicodeEncodeError:  # e.g. a file name with undecodable bytes echoed back
        enc = getattr(stream, "encoding", None) or "utf-8"
        stream.write(text.encode(enc, "backslashreplace").decode(enc))


def _error(message: str, status: int = 2) -> int:
    _write(sys.stderr, f"error: {_one_line(message)}\n")
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``mesocorr`` console script; returns the exit status (see the module docstring)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")  # record every warning; the "once" registry would hide repeats
        try:
            parser = build_parser()
            args = parser.parse_args(argv)
            if args.command is None:
                parser.print_help()
                return 0
            outcome = args._run(args)
            result, text = outcome[0], outcome[1]
            status = outcome[2] if len(outcome) > 2 else 0
        except KeyboardInterrupt:
            return _error("interrupted", 130)
        except CliError as exc:
            return _error(str(exc))
        except (ValueError, TypeError, OSError, ArithmeticError, RecursionError, MemoryError) as exc:
            return _error(_refusal(exc))
        except Exception as exc:
            if type(exc).__name__ == "NoConvergence":  # mpmath: no convergence for these inputs
                return _error(_refusal(exc))
            return _error(f"internal error ({type(exc).__name__}: {exc}); please report it with the command line", 1)
    messages = _reported(caught)
    if isinstance(result, dict):
        own = [_one_line(w) for w in result.get("warnings", []) or []] if isinstance(result.get("warnings"), list) \
            else []
        result = {**result, "warnings": own + [m for m in messages if m not in own]}
        messages = result["warnings"]
    bad = _non_finite(result)
    if bad is not None:
        return _error(f"no finite result for these inputs ({bad}); they are probably beyond the range "
                      "mesocorr can evaluate")
    try:
        out = json.dumps(_jsonable(result), indent=2, allow_nan=False) if getattr(args, "json", False) else text
    except (TypeError, ValueError) as exc:
        return _error(f"internal error (result not serialisable: {exc}); please report it with the command line", 1)
    for m in messages:
        _write(sys.stderr, f"warning: {m}\n")
    try:
        _write(sys.stdout, out + "\n")
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. ``mesocorr ... | head``: the reader left; not an error of ours
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return status
