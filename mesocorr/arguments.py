"""Argument checking shared by the Python API and the CLI.

Every checker raises :class:`ValueError` or :class:`TypeError` whose message starts with
the argument's name, so that the CLI can print it as its one-line error.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Sequence

__all__ = ["as_real", "positive", "nonnegative", "positive_or_none", "choice", "integer", "as_rational", "one_or_three",
           "lead_pair", "sympy_value"]


def as_real(name: str, value) -> float:
    """Convert ``value`` to a finite float or raise naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        try:
            import numpy as np

            if isinstance(value, np.generic) and np.isrealobj(value):
                value = float(value)
            else:
                raise TypeError
        except TypeError:
            raise TypeError(f"{name}: expected a real number, got {type(value).__name__}") from None
    x = float(value)
    if not math.isfinite(x):
        raise ValueError(f"{name}: must be finite, got {x!r}")
    return x


def positive(name: str, value) -> float:
    """Return ``value`` as a float after checking it is finite and > 0."""
    x = as_real(name, value)
    if x <= 0:
        raise ValueError(f"{name}: must be positive, got {x!r}")
    return x


def nonnegative(name: str, value) -> float:
    """Return ``value`` as a float after checking it is finite and >= 0."""
    x = as_real(name, value)
    if x < 0:
        raise ValueError(f"{name}: must be non-negative, got {x!r}")
    return x


def positive_or_none(name: str, value) -> float | None:
    """``None`` passes through; anything else must be positive."""
    return None if value is None else positive(name, value)


def integer(name: str, value, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return ``value`` as an int within ``[minimum, maximum]`` or raise naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}: expected an integer, got {value!r}")
    v = int(value)
    if minimum is not None and v < minimum:
        raise ValueError(f"{name}: must be >= {minimum}, got {v}")
    if maximum is not None and v > maximum:
        raise ValueError(f"{name}: must be <= {maximum}, got {v}")
    return v


def choice(name: str, value, options) -> str:
    """Check that ``value`` is one of ``options``."""
    if value not in options:
        raise ValueError(f"{name}: must be one of {', '.join(map(str, options))}; got {value!r}")
    return value


def as_rational(name: str, value):
    """Exact SymPy rational of a real number as the user wrote it (the float's shortest decimal repr).

    ``0.1`` becomes ``1/10`` and ``2.5`` becomes ``5/2``; SymPy numbers pass through. Unlike
    ``nsimplify`` this never guesses (``1.4142135`` stays a rational, not ``sqrt(2)``), and no user string
    is parsed by SymPy.
    """
    import sympy as sp
    from fractions import Fraction

    if isinstance(value, sp.Basic):
        if value.is_Float:
            value = float(value)
        else:
            return value
    x = as_real(name, value)
    f = Fraction(repr(x))
    return sp.Rational(f.numerator, f.denominator)


def one_or_three(name: str, value, convert):
    """Spin-rate input: one value (the isotropic *total*) or three (x, y, z components).

    Returns ``convert(name, value)`` for a single value, or a tuple of three
    ``convert(f"{name}[i]", v)``. Strings are refused; any other length raises ``ValueError``.
    """
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name}: expected a number or three numbers, got a string")
    if isinstance(value, (list, tuple)) or (hasattr(value, "__len__") and hasattr(value, "__iter__")):
        vals = list(value)
        if len(vals) != 3:
            raise ValueError(f"{name}: give one number (isotropic total rate) or three (x, y, z component rates), "
                             f"got {len(vals)}")
        return tuple(convert(f"{name}[{i}]", v) for i, v in enumerate(vals))
    return convert(name, value)


def lead_pair(name: str, pair, M: int) -> tuple[int, int]:
    """Two lead numbers ``(from, to)``, each in ``1..M`` (leads are numbered from 1), or raise naming ``name``."""
    if isinstance(pair, (str, bytes)) or not isinstance(pair, Sequence) or len(pair) != 2:
        raise TypeError(f"{name}: expected two lead numbers (from, to), got {pair!r}")
    a = integer(name, pair[0], minimum=1, maximum=M)
    b = integer(name, pair[1], minimum=1, maximum=M)
    return a, b


def sympy_value(name: str, value):
    """A number or SymPy object as a SymPy object; strings (and everything else) are refused.

    SymPy's ``sympify`` runs a string through ``eval``; no user string may reach it. Accepted: SymPy objects
    (returned unchanged), Python and numpy integers, floats, complex numbers and fractions (converted with
    ``sympify(value, strict=True)``, which knows no strings). Booleans are refused: they are not numbers here.
    """
    import sympy as sp

    if isinstance(value, sp.Basic) and not isinstance(value, sp.logic.boolalg.BooleanAtom):
        return value
    if isinstance(value, (str, bytes, bool)) or value is None:
        raise TypeError(f"{name}: expected a number or a SymPy expression, got {type(value).__name__} {value!r}"
                        if not isinstance(value, (str, bytes)) else
                        f"{name}: expected a number or a SymPy expression, got a string (strings are never parsed)")
    if isinstance(value, numbers.Number) or type(value).__module__ == "numpy":
        try:
            out = sp.sympify(value, strict=True)
        except sp.SympifyError:
            out = None
        if isinstance(out, sp.Expr):
            return out
    raise TypeError(f"{name}: expected a number or a SymPy expression, got {type(value).__name__}")


__all__ += ["decimal", "shown"]

# a decimal number as people write it in a data file or on a command line: ASCII digits, optional sign, point and
# exponent. Refused although Python's float() takes them: "nan", "inf", "infinity", "1_0", non-ASCII digits.
_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)


def shown(text: str, limit: int = 40) -> str:
    """``repr`` of ``text`` cut to ``limit`` characters (a hostile megabyte argument is not echoed back)."""
    return repr(text) if len(text) <= limit else repr(text[:limit]) + f"... ({len(text)} characters)"


def decimal(name: str, text: str) -> float:
    """A finite float from a decimal literal (``1``, ``-0.5``, ``.5``, ``1e-3``, ``+2.5E+04``, spaces around allowed).

    Raises ``ValueError`` starting with ``name`` (nothing when ``name`` is empty) for anything else: an empty
    string, ``nan``/``inf``, ``1_0``, ``0x10``, non-ASCII digits, and numbers that overflow a float (``1e400``).
    Underflow is not an error (``1e-400`` is 0.0, ``5e-324`` the smallest subnormal).
    """
    if not isinstance(text, str):
        raise TypeError(f"{name + ': ' if name else ''}expected a string, got {type(text).__name__}")
    where = f"{name}: " if name else ""
    s = text.strip()
    if not _DECIMAL.fullmatch(s):
        if not s:
            raise ValueError(f"{where}empty, expected a number")
        if s.lower().lstrip("+-") in ("nan", "inf", "infinity"):
            raise ValueError(f"{where}must be a finite number, got {shown(s)}")
        raise ValueError(f"{where}not a number: {shown(s)}")
    x = float(s)
    if not math.isfinite(x):
        raise ValueError(f"{where}{shown(s)} overflows a float (largest about 1.8e308)")
    return x
