"""Command-line interface: ``mesocorr COMMAND ... [--json]``.

The CLI is a thin skin over the Python API. Subcommands are registered in one place: every
module in :mod:`mesocorr.commands` that defines ``NAME``, ``HELP``, ``register(parser)`` and
``run(args)`` becomes a subcommand, so a new command is a new module and nothing else.

``run(args)`` returns ``(result, text)`` or ``(result, text, status)``: ``result`` is the
JSON-serialisable dict printed with ``--json``, ``text`` the human-readable table printed otherwise,
``status`` the exit status (default 0; ``derive`` returns 1 when a check fails).

Errors: bad input (``ValueError``/``TypeError`` from the API, argparse errors, :class:`CliError`)
prints one line on stderr and exits with status 2; never a traceback.
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
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from mesocorr._version import __version__

__all__ = ["main", "CliError", "float_list", "rate_spec", "format_table", "build_parser", "exact_number",
           "exact_list", "exact_rate_spec"]


class CliError(Exception):
    """A user error: printed as one line on stderr, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # accept "-1e-12" and "-0.03,0.01" as values (argparse's own pattern misses exponents and lists)
        self._negative_number_matcher = re.compile(r"^-\.?\d[\d.eE+,-]*$")

    def error(self, message: str):
        raise CliError(f"{self.prog}: {message}")


def _finite_float(text: str, name: str = "value") -> float:
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{name}: not a number: {text!r}") from None
    if not math.isfinite(x):
        raise argparse.ArgumentTypeError(f"{name}: must be finite, got {text!r}")
    return x


def float_list(text: str) -> list[float]:
    """argparse type: comma-separated finite floats (``--B=-0.03,0.01`` for leading minus)."""
    parts = [p.strip() for p in text.split(",")]
    if not parts or any(p == "" for p in parts):
        raise argparse.ArgumentTypeError(f"expected comma-separated numbers, got {text!r}")
    return [_finite_float(p) for p in parts]


def rate_spec(text: str) -> float | tuple[float, float, float]:
    """argparse type for spin rates: one number (isotropic total) or three (x, y, z components)."""
    values = float_list(text)
    if any(v < 0 for v in values):
        raise argparse.ArgumentTypeError(f"rates must be non-negative, got {text!r}")
    if len(values) == 1:
        return values[0]
    if len(values) == 3:
        return tuple(values)
    raise argparse.ArgumentTypeError(
        f"give one number (isotropic total rate) or three (x,y,z component rates), got {len(values)}: {text!r}"
    )


def exact_number(text: str) -> Decimal:
    """argparse type: a finite number read *exactly* as the decimal written (``0.01`` is 1/100, not its
    binary neighbour), for the ``--dps`` path (``docs/conventions.md``, "Exact input on the mpmath path").

    Parsed by :class:`decimal.Decimal` (never by SymPy or ``eval``); the API reads a Decimal exactly with
    ``dps`` and as the nearest float64 without it.
    """
    t = text.strip()
    if "_" in t:
        raise argparse.ArgumentTypeError(f"not a number: {text!r} (no digit separators)")
    try:
        x = Decimal(t)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not x.is_finite():
        raise argparse.ArgumentTypeError(f"must be finite, got {text!r}")
    return x


def exact_list(text: str) -> list[Decimal]:
    """argparse type: comma-separated exact numbers (:func:`exact_number`)."""
    parts = [p.strip() for p in text.split(",")]
    if not parts or any(p == "" for p in parts):
        raise argparse.ArgumentTypeError(f"expected comma-separated numbers, got {text!r}")
    return [exact_number(p) for p in parts]


def exact_rate_spec(text: str) -> Decimal | tuple[Decimal, Decimal, Decimal]:
    """argparse type for spin rates read exactly: one number (isotropic total) or three (x, y, z)."""
    values = exact_list(text)
    if any(v < 0 for v in values):
        raise argparse.ArgumentTypeError(f"rates must be non-negative, got {text!r}")
    if len(values) == 1:
        return values[0]
    if len(values) == 3:
        return tuple(values)
    raise argparse.ArgumentTypeError(
        f"give one number (isotropic total rate) or three (x,y,z component rates), got {len(values)}: {text!r}"
    )


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
    if isinstance(obj, float) and not math.isfinite(obj):
        return str(obj)
    if isinstance(obj, dict):
        return {k: _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if hasattr(obj, "tolist"):
        return _jsonable(obj.tolist())
    return obj


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``mesocorr`` console script; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 0
        outcome = args._run(args)
        result, text = outcome[0], outcome[1]
        status = outcome[2] if len(outcome) > 2 else 0
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (ValueError, TypeError, FileNotFoundError) as exc:
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"error: {msg}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # pragma: no cover - a bug, reported without traceback
        print(f"error: internal error ({type(exc).__name__}: {exc}); please report it", file=sys.stderr)
        return 1
    try:
        if getattr(args, "json", False):
            print(json.dumps(_jsonable(result), indent=2))
        else:
            print(text)
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. ``mesocorr ... | head``: the reader left; not an error of ours
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return status
