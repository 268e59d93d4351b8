"""argparse types of the CLI: numbers as people type them, lists, counts with caps.

Every type raises :class:`argparse.ArgumentTypeError`; argparse prefixes the option (``argument --D: ...``)
and :func:`mesocorr.cli.main` prints the one line and exits with status 2.

Numbers (:func:`real`, :func:`real_or_inf`, :func:`real_list`, :func:`rate_spec`) are decimal literals in
ASCII: ``1``, ``-0.5``, ``.5``, ``1e-3``, ``+2.5E+04``, with optional surrounding spaces. Refused, although
Python's ``float()`` takes them: ``nan``, ``inf`` (except where an option documents ``inf``), ``1_0``,
non-ASCII digits; numbers that overflow a float (``1e400``). ``5e-324`` and ``-0`` are numbers (the command
or the library decides whether they make sense). Integers (:func:`count`) are ASCII digits with an optional
sign, at most 18 of them, inside the option's ``[minimum, maximum]``: the cap is checked here, before any work.
"""

from __future__ import annotations

import argparse
import math
import re
from decimal import Decimal

from mesocorr.arguments import decimal, shown

__all__ = ["real", "real_or_inf", "real_list", "rate_spec", "exact_real", "exact_real_list", "exact_rate_spec",
           "vector_spec", "exact_vector_spec", "count", "lead_pair", "MAX_LIST_LENGTH"]

#: longest comma-separated list an option accepts (``--B``, ``--shape``, ...)
MAX_LIST_LENGTH = 100_000

_INTEGER = re.compile(r"[+-]?\d{1,18}", re.ASCII)


def _number(text: str) -> float:
    try:
        return decimal("", text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def real(text: str) -> float:
    """A finite decimal number."""
    return _number(text)


def real_or_inf(text: str) -> float:
    """A finite decimal number, or ``inf`` (also ``infinity``, any case) for +infinity."""
    if text.strip().lower() in ("inf", "+inf", "infinity", "+infinity"):
        return math.inf
    return _number(text)


def real_list(text: str) -> list[float]:
    """Comma-separated finite numbers (``--B=-0.03,0.01`` for a leading minus), at most :data:`MAX_LIST_LENGTH`."""
    if text.count(",") >= MAX_LIST_LENGTH:
        raise argparse.ArgumentTypeError(f"at most {MAX_LIST_LENGTH} comma-separated numbers, got "
                                         f"{text.count(',') + 1}")
    parts = text.split(",")
    if any(p.strip() == "" for p in parts):
        raise argparse.ArgumentTypeError(f"expected comma-separated numbers, got {shown(text)}")
    return [_number(p) for p in parts]


def rate_spec(text: str) -> float | tuple[float, float, float]:
    """Spin rates: one number (isotropic total) or three (x, y, z components), each finite and >= 0."""
    if text.count(",") > 2:
        raise argparse.ArgumentTypeError(
            f"give one number (isotropic total rate) or three (x,y,z component rates), got {text.count(',') + 1}")
    values = real_list(text)
    if any(v < 0 for v in values):
        raise argparse.ArgumentTypeError(f"rates must be non-negative, got {shown(text)}")
    if len(values) == 1:
        return values[0]
    if len(values) == 3:
        return tuple(values)
    raise argparse.ArgumentTypeError(
        f"give one number (isotropic total rate) or three (x,y,z component rates), got {len(values)}: {shown(text)}")


def exact_real(text: str) -> Decimal:
    """A finite decimal number read *exactly* as written (:class:`decimal.Decimal`; ``0.01`` is 1/100, not its
    binary neighbour), for commands with an mpmath path (``--dps``). The literal rules are those of
    :func:`real`; the API reads a Decimal exactly with ``dps`` and as the nearest float64 without it
    (``docs/conventions.md``, "Exact input on the mpmath path")."""
    _number(text)  # the same literal rules and range as real()
    return Decimal(text.strip())


def exact_real_list(text: str) -> list[Decimal]:
    """Comma-separated exact numbers (:func:`exact_real`), at most :data:`MAX_LIST_LENGTH`."""
    real_list(text)
    return [Decimal(p.strip()) for p in text.split(",")]


def exact_rate_spec(text: str) -> Decimal | tuple[Decimal, Decimal, Decimal]:
    """Spin rates read exactly: one number (isotropic total) or three (x, y, z), as :func:`rate_spec`."""
    values = rate_spec(text)
    exact = [Decimal(p.strip()) for p in text.split(",")]
    return tuple(exact) if isinstance(values, tuple) else exact[0]


def vector_spec(text: str) -> float | tuple[float, float, float]:
    """A vector (the Zeeman vector): one number (along z) or three (x, y, z components), each finite, any sign."""
    if text.count(",") > 2:
        raise argparse.ArgumentTypeError(f"give one number (along z) or three (x,y,z components), got "
                                         f"{text.count(',') + 1}")
    values = real_list(text)
    if len(values) == 1:
        return values[0]
    if len(values) == 3:
        return tuple(values)
    raise argparse.ArgumentTypeError(f"give one number (along z) or three (x,y,z components), got {len(values)}: "
                                     f"{shown(text)}")


def exact_vector_spec(text: str) -> Decimal | tuple[Decimal, Decimal, Decimal]:
    """:func:`vector_spec` read exactly (Decimals)."""
    values = vector_spec(text)
    exact = [Decimal(p.strip()) for p in text.split(",")]
    return tuple(exact) if isinstance(values, tuple) else exact[0]


def count(minimum: int | None = None, maximum: int | None = None, why: str = ""):
    """argparse type: an integer in ``[minimum, maximum]`` (``why`` explains the cap in the message)."""

    def parse(text: str) -> int:
        s = text.strip()
        if not _INTEGER.fullmatch(s):
            if re.fullmatch(r"[+-]?\d+", s, re.ASCII):
                raise argparse.ArgumentTypeError(f"integer too long ({len(s.lstrip('+-'))} digits), got {shown(text)}")
            raise argparse.ArgumentTypeError(f"not an integer: {shown(text)}")
        v = int(s)
        if minimum is not None and v < minimum:
            raise argparse.ArgumentTypeError(f"must be >= {minimum}, got {v}")
        if maximum is not None and v > maximum:
            raise argparse.ArgumentTypeError(f"must be <= {maximum}{f' ({why})' if why else ''}, got {v}")
        return v

    parse.__name__ = "integer"  # argparse names the type in some messages
    return parse


def lead_pair(text: str) -> tuple[int, int]:
    """Two lead numbers ``a,b`` (the range is checked against the number of leads by the API)."""
    parts = text.split(",")
    if len(parts) != 2:
        raise argparse.ArgumentTypeError(f"expected two lead numbers 'a,b', got {shown(text)}")
    parse = count()
    try:
        return parse(parts[0]), parse(parts[1])
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(f"lead numbers must be integers, got {shown(text)}") from None
