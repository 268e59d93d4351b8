"""Argument checking shared by the Python API and the CLI.

Every checker raises :class:`ValueError` or :class:`TypeError` whose message starts with
the argument's name, so that the CLI can print it as its one-line error.
"""

from __future__ import annotations

import math
import numbers
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
