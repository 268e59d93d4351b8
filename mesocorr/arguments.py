"""Argument checking shared by the Python API and the CLI.

Every checker raises :class:`ValueError` or :class:`TypeError` whose message starts with
the argument's name, so that the CLI can print it as its one-line error.

Three rules live here (``docs/conventions.md``: "Exact input on the mpmath path", "Broadcasting",
"Caps on work"):

* **Exact input** (:func:`as_fraction`): integers, :class:`fractions.Fraction`, :class:`decimal.Decimal`
  and SymPy rationals are read exactly; a float is read as the decimal it prints as (its shortest
  ``repr``: ``0.01`` is ``1/100``, not the binary neighbour ``0.01000000000000000020816681711721685...``).
* **Types mean what they say**: booleans are not numbers (``True`` is refused wherever a number is
  expected) and a number is not a boolean (:func:`boolean`).
* **Broadcasting** (:func:`real_values`, :func:`exact_values`, :func:`rate_values`): a parameter that takes
  one value also takes an array of values (numpy broadcasting rules); a spin rate given as a *numpy array*
  is an array of isotropic totals, its x, y, z components are given as a tuple or list of exactly three
  entries (each a number or an array).
"""

from __future__ import annotations

import functools
import math
import numbers
import re
import sys
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

__all__ = ["as_real", "positive", "nonnegative", "positive_or_none", "choice", "integer", "as_rational", "one_or_three",
           "lead_pair", "sympy_value", "boolean", "as_fraction", "real_values", "exact_values", "rate_values",
           "broadcast_shape", "check_work", "check_finite_result", "float64_range", "approx"]


def _is_sympy(value) -> bool:
    return type(value).__module__.startswith("sympy")


def boolean(name: str, value) -> bool:
    """``value`` if it is a bool (Python or numpy), else ``TypeError`` naming ``name`` (``'no'`` is not False)."""
    if isinstance(value, bool):
        return value
    if type(value).__name__ == "bool" and type(value).__module__ == "numpy":
        return bool(value)
    raise TypeError(f"{name}: expected True or False, got {type(value).__name__} {value!r}")


def as_real(name: str, value) -> float:
    """Convert ``value`` to a finite float or raise naming ``name``.

    Accepted: Python/numpy integers and floats, :class:`~fractions.Fraction`, :class:`~decimal.Decimal`,
    real SymPy numbers. Refused: booleans, strings, arrays, complex numbers, everything else (``TypeError``);
    non-finite values and values beyond the float64 range (``ValueError``).
    """
    if type(value) is float:        # the common case first (same result and messages as the general route below)
        if value - value == 0.0:
            return value
        raise ValueError(f"{name}: must be finite, got {value!r}")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{name}: must be finite, got {value}")
    elif isinstance(value, bool) or not isinstance(value, numbers.Real):
        try:
            import numpy as np

            if isinstance(value, np.generic) and np.isrealobj(value) and not isinstance(value, np.bool_):
                value = float(value)
            else:
                raise TypeError
        except (TypeError, ValueError):
            raise TypeError(f"{name}: expected a real number, got {type(value).__name__}") from None
    try:
        x = float(value)
    except OverflowError:
        raise ValueError(f"{name}: beyond the float64 range, got {approx(value)}") from None
    except (TypeError, ValueError):
        raise TypeError(f"{name}: expected a real number, got {type(value).__name__}") from None
    if not math.isfinite(x):
        raise ValueError(f"{name}: must be finite, got {x!r}")
    return x


#: decimal exponents beyond this are refused by :func:`as_fraction` before any work (the exact rational of
#: ``Decimal("1e-999999999")`` has 10**9 digits: building it would hang)
MAX_DECIMAL_EXPONENT = 400


def as_fraction(name: str, value) -> Fraction:
    """The exact rational that ``value`` stands for (the rule of the mpmath path, ``dps=``).

    Integers, :class:`~fractions.Fraction`, :class:`~decimal.Decimal` and SymPy rationals exactly; floats
    (Python, numpy, SymPy ``Float``) as the decimal they print as — the shortest ``repr``, so ``0.01`` is
    ``Fraction(1, 100)`` and ``1e-300`` is ``1/10**300``. Checked with :func:`as_real` first (finite, no
    booleans, no strings); a Decimal whose exponent is beyond :data:`MAX_DECIMAL_EXPONENT` is refused
    (``ValueError``) before its rational is built.

    >>> as_fraction("D", 0.01), as_fraction("D", Decimal("0.0100")), as_fraction("n", 3)
    (Fraction(1, 100), Fraction(1, 100), Fraction(3, 1))
    """
    x = as_real(name, value)
    if isinstance(value, Decimal) and value != 0 and abs(value.adjusted()) > MAX_DECIMAL_EXPONENT:
        raise ValueError(f"{name}: {value} is beyond 1e+-{MAX_DECIMAL_EXPONENT} (exact input is capped there)")
    if isinstance(value, (Fraction, Decimal)):
        return Fraction(value)
    if isinstance(value, numbers.Integral):
        return Fraction(int(value))
    if _is_sympy(value) and getattr(value, "is_Rational", False):
        return Fraction(int(value.p), int(value.q))
    if isinstance(value, numbers.Rational):
        return Fraction(value.numerator, value.denominator)
    if type(value).__module__ == "numpy" and not isinstance(value, float):
        return Fraction(str(value))  # numpy's shortest repr of its own precision (float32(0.1) -> 1/10)
    return Fraction(repr(x))


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
    """Check that ``value`` is one of ``options`` (a boolean is not the number 1 here: refused with TypeError)."""
    if (isinstance(value, bool) or type(value).__name__ == "bool_") and not any(isinstance(o, bool) for o in options):
        raise TypeError(f"{name}: expected one of {', '.join(map(str, options))}, got a boolean {value!r}")
    try:
        ok = bool(value in options)
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ValueError(f"{name}: must be one of {', '.join(map(str, options))}; got {value!r}")
    return value


def as_rational(name: str, value):
    """Exact SymPy rational of a real number as the user wrote it (:func:`as_fraction`, as a SymPy ``Rational``).

    ``0.1`` becomes ``1/10`` and ``2.5`` becomes ``5/2``; SymPy numbers other than floats pass through.
    Unlike ``nsimplify`` this never guesses (``1.4142135`` stays a rational, not ``sqrt(2)``), and no user
    string is parsed by SymPy.
    """
    import sympy as sp

    if isinstance(value, sp.Basic) and not value.is_Float:
        return value
    f = as_fraction(name, value)
    return sp.Rational(f.numerator, f.denominator)


def _is_numpy_array(value) -> bool:
    return type(value).__name__ == "ndarray" and type(value).__module__ == "numpy"


def one_or_three(name: str, value, convert):
    """Spin-rate input: one value (the isotropic *total*) or three (x, y, z components).

    Returns ``convert(name, value)`` for a single value, or a tuple of three
    ``convert(f"{name}[i]", v)``. Strings are refused; a tuple or list of any other length raises
    ``ValueError``; a numpy array (an array of *values*, see :func:`rate_values`) is refused with
    ``TypeError`` by this one-point checker: components are given as a tuple or list.
    """
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name}: expected a number or three numbers, got a string")
    if _is_numpy_array(value) and value.ndim > 0:
        raise TypeError(f"{name}: a numpy array is an array of parameter values, not x, y, z components; this "
                        f"function takes one value: give a number, or the components as a tuple (x, y, z)")
    if isinstance(value, (list, tuple)) or (hasattr(value, "__len__") and hasattr(value, "__iter__")
                                            and not _is_numpy_array(value)):
        vals = list(value)
        if len(vals) != 3:
            raise ValueError(f"{name}: give one number (isotropic total rate) or three (x, y, z component rates), "
                             f"got {len(vals)}")
        return tuple(convert(f"{name}[{i}]", v) for i, v in enumerate(vals))
    return convert(name, value[()] if _is_numpy_array(value) else value)


# ----------------------------------------------------------------------------------------- broadcasting
#: largest number of elements of an array argument (or of a broadcast result) on the float64 paths
MAX_ELEMENTS = 10_000_000
#: largest number of channels of a lead in the closed forms (Sharvin resistance, cavity moments): far beyond any
#: physical lead, and the float values of the results (h/(s e^2 N), <T> ~ N/2) stay inside the float64 range
MAX_CHANNELS = 10**15


def _element_array(name: str, value):
    """``value`` as a numpy array of numbers (object arrays for Fraction/Decimal/SymPy entries), type-checked."""
    import numpy as np

    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name}: expected a number or an array of numbers, got a string")
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name}: expected a real number, got a boolean {value!r}")
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name}: expected a number or a rectangular array of numbers ({exc})") from None
    if arr.size > MAX_ELEMENTS:
        raise ValueError(f"{name}: {arr.size} values exceed the cap of {MAX_ELEMENTS} per call")
    kind = arr.dtype.kind
    if kind == "b" or (kind in "iuf" and isinstance(value, (list, tuple)) and _holds_bool(value)):
        # numpy reads [True, 0.1] as [1.0, 0.1]: a boolean among numbers is refused, not read as 1
        raise TypeError(f"{name}: expected real numbers, got booleans")
    if kind in "iuf":
        return arr
    if kind == "O":
        flat = arr.reshape(-1)
        for i, v in enumerate(flat):
            as_real(f"{name}[{i}]" if arr.ndim else name, v)   # refuses bools, strings, None, complex...
        return arr
    raise TypeError(f"{name}: expected real numbers, got an array of dtype {arr.dtype}")


def _holds_bool(values) -> bool:
    """Whether a (nested) list or tuple holds a Python or numpy boolean."""
    import numpy as np

    for v in values:
        if isinstance(v, (bool, np.bool_)) or (isinstance(v, (list, tuple)) and _holds_bool(v)):
            return True
        if isinstance(v, np.ndarray) and v.dtype.kind == "b":
            return True
    return False


def _sign_check(name: str, arr, sign: str | None):
    import numpy as np

    if sign is None:
        return
    bad = ~(arr > 0) if sign == "positive" else ~(arr >= 0)
    if np.any(bad):
        v = arr[bad].reshape(-1)[0] if arr.ndim else arr
        raise ValueError(f"{name}: must be {sign}{'' if sign == 'positive' else ' (>= 0)'}, got {float(v)!r}")


def real_values(name: str, value, sign: str | None = None):
    """One real number -> ``float``; an array of them -> a float64 ``numpy.ndarray`` (its shape kept).

    ``sign``: ``None``, ``"positive"`` or ``"nonnegative"``. Every element is checked (finite, no booleans,
    within the float64 range); a 0-d array counts as one number.
    """
    import numpy as np

    arr = _element_array(name, value)
    if arr.dtype.kind == "O":
        out = np.array([as_real(name, v) for v in arr.reshape(-1)], dtype=float).reshape(arr.shape)
    else:
        with np.errstate(over="ignore"):
            out = arr.astype(float, copy=False)
        if not np.all(np.isfinite(out)):
            raise ValueError(f"{name}: values must be finite (within the float64 range)")
    _sign_check(name, out, sign)
    return float(out) if out.ndim == 0 else out


def exact_values(name: str, value, sign: str | None = None):
    """Like :func:`real_values` but exact (:func:`as_fraction`): a ``Fraction``, or an object ``ndarray`` of them."""
    import numpy as np

    real_values(name, value, sign)  # every check of the float64 path, with the same messages
    if not _is_numpy_array(value) and np.ndim(value) == 0:
        return as_fraction(name, value)
    arr = np.asarray(value)
    if arr.ndim == 0:
        return as_fraction(name, arr[()])
    out = np.empty(arr.shape, dtype=object)
    flat_in, flat_out = arr.reshape(-1), out.reshape(-1)
    for i, v in enumerate(flat_in):
        flat_out[i] = as_fraction(f"{name}[{i}]", v)
    return out


def rate_values(name: str, value, convert=real_values):
    """Spin-rate input with broadcasting -> three component rates ``(x, y, z)``.

    * a number, or a numpy array of numbers: the isotropic *total* rate(s); each component is one third;
    * a tuple or list of exactly three entries: the x, y, z components, each a number or an array.

    ``convert`` is :func:`real_values` (float64 path) or :func:`exact_values` (mpmath path); rates are
    non-negative. Anything else (two components, strings, booleans) raises naming ``name``.
    """
    if isinstance(value, (list, tuple)):
        if len(value) != 3:
            raise ValueError(f"{name}: give one number or array (isotropic total rate) or three (x, y, z "
                             f"component rates), got {len(value)}")
        return tuple(convert(f"{name}[{i}]", v, "nonnegative") for i, v in enumerate(value))
    third = convert(name, value, "nonnegative") / 3
    return (third, third, third)


def broadcast_shape(name: str, *values) -> tuple:
    """numpy broadcast shape of ``values`` (numbers count as shape ``()``) or ``ValueError`` naming ``name``."""
    import numpy as np

    shapes = [np.shape(v) for v in values]
    try:
        shape = np.broadcast_shapes(*shapes)
    except ValueError:
        raise ValueError(f"{name}: the array arguments do not broadcast together (shapes "
                         f"{', '.join(str(s) for s in shapes)})") from None
    if math.prod(shape) > MAX_ELEMENTS:
        raise ValueError(f"{name}: the broadcast result would have {math.prod(shape)} elements "
                         f"(> cap {MAX_ELEMENTS})")
    return shape


def check_work(name: str, seconds: float, limit: float, what: str) -> None:
    """Refuse, before starting, work estimated to take more than ``limit`` seconds (the caps on work)."""
    if seconds > limit:
        raise ValueError(f"{name}: {what} would take about {seconds:.3g} s (estimated from measured timings), "
                         f"more than the cap of {limit:g} s; ask for fewer values or digits")


#: natural logarithm of the largest float64 (~709.78): ``math.exp`` raises OverflowError above it
LOG_FLOAT_MAX = math.log(sys.float_info.max)


def exp_or_inf(log_value: float) -> float:
    """``math.exp(log_value)``, or ``inf`` where it would overflow (``math.exp`` raises there), for a caller that
    refuses non-finite results with :func:`check_finite_result` or its own message."""
    return math.exp(log_value) if log_value <= LOG_FLOAT_MAX else math.inf


def check_finite_result(name: str, value, hint: str = "") -> None:
    """Last line of defence: a result that is not finite is never returned (``ValueError`` naming ``name``)."""
    import numpy as np

    if not np.all(np.isfinite(np.asarray(value, dtype=float))):
        raise ValueError(f"{name}: the result is not representable in float64 for these inputs"
                         + (f" ({hint})" if hint else ""))


def approx(value, digits: int = 3) -> str:
    """``value`` (a float, int, :class:`~fractions.Fraction` or :class:`~decimal.Decimal`) to ``digits``
    significant digits for a message, also where ``float(value)`` would overflow.

    >>> approx(Fraction(10**400, 3)), approx(Fraction(1, 7 * 10**500)), approx(0.125), approx(-10**999)
    ('3.33e+399', '1.43e-501', '0.125', '-1e+999')
    """
    if isinstance(value, (numbers.Rational, Decimal)) and not isinstance(value, bool):
        try:
            q = Fraction(value)
        except (ValueError, OverflowError):   # a non-finite Decimal
            return str(value)
        if q == 0:
            return "0"
        e = _decimal_exponent(q)
        if -300 < e < 300:
            return f"{float(q):.{digits}g}"
        mantissa = f"{float(abs(q) / Fraction(10) ** e):.{digits}g}"
        if mantissa.startswith("10"):            # rounded up to the next decade
            mantissa, e = "1", e + 1
        return f"{'-' if q < 0 else ''}{mantissa}e{e:+d}"
    return f"{float(value):.{digits}g}"


def _decimal_exponent(q: Fraction) -> int:
    """floor(log10(|q|)) of a non-zero rational, exactly."""
    a = abs(q)
    e = len(str(a.numerator)) - len(str(a.denominator))
    if Fraction(10) ** e > a:
        e -= 1
    return e


#: an error message that names its argument(s) first: "D: ...", "shape[1]: ...", "B, elastic_time: ..."
_NAMED_MESSAGE = re.compile(r"^[A-Za-z_][\w\[\]]*(, [A-Za-z_][\w\[\]]*)*: \S")


def float64_range(func):
    """Decorator of the public numeric functions: arithmetic that leaves the float64 range for extreme input
    (``OverflowError``, ``ZeroDivisionError``, ``FloatingPointError``, an impossible allocation ``MemoryError``)
    becomes a ``ValueError`` naming the numeric arguments given, so that the API raises only ``ValueError`` and
    ``TypeError`` for bad input (``docs/conventions.md``, "Caps on work and the float64 range")."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ValueError as exc:
            if _NAMED_MESSAGE.match(str(exc)):
                raise
            # a ValueError from inside NumPy/SciPy/mpmath ("array must not contain infs or NaNs", LinAlgError
            # "Eigenvalues did not converge"): extreme input that left the float64 range on the way
            names = _numeric_arguments(func, args, kwargs)
            raise ValueError(f"{', '.join(names) or func.__name__}: the computation fails for these inputs "
                             f"({type(exc).__name__}: {str(exc)[:200]}); give less extreme values") from None
        except (OverflowError, ZeroDivisionError, FloatingPointError, MemoryError) as exc:
            names = _numeric_arguments(func, args, kwargs)
            what = "needs more memory than there is" if isinstance(exc, MemoryError) else \
                "leaves the float64 range"
            raise ValueError(f"{', '.join(names) or func.__name__}: the computation {what} for these inputs "
                             f"({type(exc).__name__}{': ' + str(exc) if str(exc) else ''}); give less extreme values"
                             + ("" if "dps" not in _parameters(func) else " or use dps=")) from None
    return wrapper


def no_strings(func):
    """Decorator of public numeric kernels that take numbers only: a string (or bytes) argument, given directly or
    as an element of a tuple/list, is refused with ``TypeError`` naming the argument before any work (no string is
    ever parsed; ``docs/conventions.md``, "Input rules")."""
    import inspect

    signature = inspect.signature(func)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError:
            return func(*args, **kwargs)      # the call's own TypeError names the bad signature
        for name, value in bound.arguments.items():
            items = value if isinstance(value, (tuple, list)) else (value,)
            if any(isinstance(v, (str, bytes)) for v in items):
                raise TypeError(f"{name}: expected numbers, got a string ({shown(repr(value))})")
        return func(*args, **kwargs)
    return wrapper


def _parameters(func):
    import inspect

    return inspect.signature(func).parameters


def _numeric_arguments(func, args, kwargs) -> list[str]:
    """Names of the arguments of a call that hold numbers (or arrays/tuples of them) other than the default."""
    import inspect

    try:
        bound = inspect.signature(func).bind(*args, **kwargs)
    except TypeError:
        return []
    params = _parameters(func)
    names = []
    for name, value in bound.arguments.items():
        if name == "dps" or value is None or isinstance(value, (str, bytes, bool)):
            continue
        default = params[name].default
        try:
            if default is not inspect.Parameter.empty and bool(value == default):
                continue
        except (TypeError, ValueError):
            pass
        if isinstance(value, (numbers.Number, Decimal)) or hasattr(value, "__len__") or hasattr(value, "shape"):
            names.append(name)
    return names


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


__all__ += ["decimal", "shown", "LOG_FLOAT_MAX", "exp_or_inf"]

# a decimal number as people write it in a data file or on a command line: ASCII digits, optional sign, point and
# exponent. Refused although Python's float() takes them: "nan", "inf", "infinity", "1_0", non-ASCII digits.
_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)


def three_sympy_values(name: str, rates) -> tuple:
    """Three component rates as SymPy objects (:func:`sympy_value` each; a string is not a sequence of rates and is
    refused with ``TypeError``; a length other than 3 is a ``ValueError``)."""
    if isinstance(rates, (str, bytes)):
        raise TypeError(f"{name}: expected three component rates, got a string (strings are never parsed)")
    try:
        rates = tuple(rates)
    except TypeError:
        raise TypeError(f"{name}: expected three component rates, got {type(rates).__name__}") from None
    if len(rates) != 3:
        raise ValueError(f"{name}: need three Cartesian component rates, got {len(rates)}")
    return tuple(sympy_value(f"{name}[{i}]", r) for i, r in enumerate(rates))


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
