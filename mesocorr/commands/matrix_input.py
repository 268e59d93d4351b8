"""JSON input of the transport commands (``landauer``, ``onsager``, ``smatrix``): matrices and channel counts.

Not a command (no ``NAME``): the checks shared by the commands that read a matrix from a file. The file is read
by :func:`mesocorr.user_files.read_json` (regular file, 64 MiB cap, no NaN/Infinity, no overflowing numbers, no
integers longer than 18 digits, no pathological nesting); the structure is checked here with fixed depth, every
message starting with the option and naming the key, the row and the column.
"""

from __future__ import annotations

import math

from mesocorr.cli import CliError
from mesocorr.user_files import read_json

__all__ = ["json_object", "real_matrix", "complex_matrix", "channel_counts"]


def json_object(path: str, option: str, required: tuple[str, ...], hint: str) -> dict:
    """The JSON object in ``path`` with at least the keys ``required`` (``hint`` shows the expected layout)."""
    data = read_json(path, option)
    if not isinstance(data, dict) or any(k not in data for k in required):
        keys = ", ".join(f'"{k}"' for k in required)
        raise CliError(f"{option}: {path} must hold an object with the keys {keys}: {hint}")
    return data


def _number(option: str, where: str, x) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise CliError(f"{option}: {where} must be a number, got {type(x).__name__}")
    v = float(x)
    if not math.isfinite(v):  # not reachable through read_json; kept for dicts built elsewhere
        raise CliError(f"{option}: {where} must be finite, got {x!r}")
    return v


def _rows(option: str, key: str, value, max_dim: int) -> list:
    if not isinstance(value, list) or not value or not all(isinstance(r, list) for r in value):
        raise CliError(f'{option}: "{key}" must be a non-empty list of rows')
    n = len(value)
    if n > max_dim:
        raise CliError(f'{option}: "{key}" has {n} rows; the cap is {max_dim}')
    bad = [i + 1 for i, r in enumerate(value) if len(r) != n]
    if bad:
        raise CliError(f'{option}: "{key}" must be square ({n} x {n}); row {bad[0]} has {len(value[bad[0] - 1])} '
                       "entries")
    return value


def real_matrix(option: str, data: dict, key: str, max_dim: int) -> list[list[float]]:
    """``data[key]`` as a square matrix of finite reals, at most ``max_dim`` rows."""
    rows = _rows(option, key, data[key], max_dim)
    return [[_number(option, f'"{key}" row {i + 1}, column {j + 1}', x) for j, x in enumerate(r)]
            for i, r in enumerate(rows)]


def complex_matrix(option: str, data: dict, max_dim: int):
    """The S-matrix of ``data`` as a complex numpy array: ``"S"`` with entries ``[re, im]`` or reals,
    or ``"S_re"`` with an optional ``"S_im"`` of the same shape."""
    import numpy as np

    if "S" in data:
        rows = _rows(option, "S", data["S"], max_dim)
        out = np.empty((len(rows), len(rows)), dtype=complex)
        for i, r in enumerate(rows):
            for j, x in enumerate(r):
                where = f'"S" row {i + 1}, column {j + 1}'
                if isinstance(x, list):
                    if len(x) != 2:
                        raise CliError(f"{option}: {where} must be a number or a pair [re, im], got a list of "
                                       f"{len(x)}")
                    out[i, j] = complex(_number(option, where + " (re)", x[0]), _number(option, where + " (im)", x[1]))
                else:
                    out[i, j] = _number(option, where, x)
        return out
    if "S_re" not in data:
        raise CliError(f'{option}: give "S" (entries [re, im]) or "S_re" and "S_im"')
    re = np.array(real_matrix(option, data, "S_re", max_dim))
    im = np.zeros_like(re)
    if "S_im" in data:
        im = np.array(real_matrix(option, data, "S_im", max_dim))
        if im.shape != re.shape:
            raise CliError(f'{option}: "S_im" is {im.shape[0]} x {im.shape[1]} but "S_re" is {re.shape[0]} x '
                           f"{re.shape[1]}")
    return re + 1j * im


def channel_counts(option: str, data: dict, key: str, integral: bool = True) -> list:
    """``data[key]``: a non-empty list of channel counts, one per lead (integers, or any numbers when not
    ``integral``); their range is checked by the API (``N: ...``, ``channels[i]: ...``)."""
    value = data[key]
    if not isinstance(value, list) or not value:
        raise CliError(f'{option}: "{key}" must be a non-empty list of channel numbers, one per lead')
    for i, x in enumerate(value):
        if isinstance(x, bool) or not isinstance(x, (int, float)) or (integral and not isinstance(x, int)):
            kind = "integers" if integral else "numbers"
            raise CliError(f'{option}: "{key}" must hold {kind} (channels per lead); entry {i + 1} is '
                           f"{type(x).__name__} {str(x)[:40]}")
    return list(value)
