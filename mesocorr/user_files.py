"""The user's files: reading input with a byte cap, JSON with explicit number rules, checking output paths.

Everything here raises :class:`ValueError` whose message starts with the argument's name (``data``,
``file``, ``out``, ...) and names the path, so that the CLI prints it as its one-line error (exit status 2).

Input files (:func:`read_text`, :func:`read_json`)
    * must be regular files: directories, FIFOs, character devices (``/dev/zero``, ``/dev/stdin``) and
      sockets are refused before anything is read (the file is opened non-blocking, so a FIFO without a
      writer cannot hang the call);
    * at most :data:`MAX_INPUT_BYTES` (64 MiB) are read; a larger file is refused (checked on the open
      descriptor, and again while reading, so a file that grows is caught too);
    * are decoded as UTF-8; a leading byte-order mark is dropped; other encodings are refused with the byte
      offset of the first bad byte.

JSON (:func:`read_json`) on top of that:
    * ``NaN``, ``Infinity`` and ``-Infinity`` are refused (they are not JSON);
    * a number that overflows a float (``1e400``) is refused;
    * an integer with more than :data:`MAX_JSON_INT_DIGITS` (18) digits is refused (write it as a float) --
      Python's own limit (4300 digits) is never reached;
    * an object with the same key twice is refused (JSON parsers disagree on which one wins);
    * nesting deeper than the parser can handle (``[[[[...]]]]``, about 1000 levels) is refused.

Output paths (:func:`check_output_file`, :func:`check_output_dir`) are checked *before* any work starts:
the folder must exist (files) or be creatable (folders), a file path must not be a folder, a folder path must
not be a file, and the location must be writable (checked by creating and removing a probe file, which
also works for the super-user, for whom permission bits say nothing).
"""

from __future__ import annotations

import json
import os
import stat
import tempfile

__all__ = ["MAX_INPUT_BYTES", "MAX_JSON_INT_DIGITS", "read_text", "read_json", "check_output_file",
           "check_output_dir"]

#: largest input file read (bytes): 64 MiB
MAX_INPUT_BYTES = 64 * 1024 * 1024
#: longest integer literal accepted in a JSON input (digits)
MAX_JSON_INT_DIGITS = 18


def _size(n: int) -> str:
    return f"{n / 2**20:.0f} MiB" if n >= 2**20 else f"{n} bytes"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_text(path, name: str = "file", max_bytes: int = MAX_INPUT_BYTES) -> str:
    """The text of the regular file ``path`` (UTF-8, BOM dropped), at most ``max_bytes`` bytes, or ValueError."""
    if isinstance(path, bytes) or not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{name}: expected a file path, got {type(path).__name__}")
    path = os.fspath(path)
    if path == "" or "\x00" in path:
        raise ValueError(f"{name}: expected a file path, got {path!r}")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise ValueError(f"{name}: no such file: {path}") from None
    except OSError as exc:
        raise ValueError(f"{name}: cannot read {path}: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise ValueError(f"{name}: cannot read {path}: it is {_kind(st.st_mode)}; give a regular file")
        if st.st_size > max_bytes:
            raise ValueError(f"{name}: cannot read {path}: it has {_size(st.st_size)}, more than the input cap of "
                             f"{_size(max_bytes)}")
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise ValueError(f"{name}: cannot read {path}: it is larger than the input cap of {_size(max_bytes)}")
    except OSError as exc:
        raise ValueError(f"{name}: cannot read {path}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{name}: cannot read {path}: not UTF-8 text (bad byte at offset {exc.start})") from None


class _NumberRule(ValueError):
    """A JSON value that the rules above refuse."""


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_JSON_INT_DIGITS:
        raise _NumberRule(f"an integer with {len(text.lstrip('-'))} digits (more than {MAX_JSON_INT_DIGITS}; "
                          "write it as a float)")
    return int(text)


def _parse_float(text: str) -> float:
    x = float(text)
    if x in (float("inf"), float("-inf")):
        raise _NumberRule(f"a number that overflows a float: {text[:30]}{'...' if len(text) > 30 else ''}")
    return x


def _parse_constant(text: str):
    raise _NumberRule(f"{text} (not a finite JSON number; NaN and Infinity are refused)")


def _unique_keys(pairs):
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        dup = next(k for k in keys if keys.count(k) > 1)
        raise _NumberRule(f"the key {dup[:40]!r} twice in one object")
    return dict(pairs)


def read_json(path, name: str = "file", max_bytes: int = MAX_INPUT_BYTES):
    """Parse the JSON file ``path`` with :func:`read_text`'s checks, the number rules above and no repeated key."""
    text = read_text(path, name, max_bytes)
    try:
        return json.loads(text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_parse_constant,
                          object_pairs_hook=_unique_keys)
    except _NumberRule as exc:
        raise ValueError(f"{name}: cannot read {path}: it holds {exc}") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{name}: cannot read {path}: not valid JSON ({exc.msg} at line {exc.lineno}, column "
                         f"{exc.colno})") from None
    except RecursionError:
        raise ValueError(f"{name}: cannot read {path}: JSON nested too deeply to be parsed") from None


def _probe(folder: str, name: str, what: str) -> None:
    """Create and remove a file in ``folder``: the only honest writability test (root ignores mode bits)."""
    try:
        fd, probe = tempfile.mkstemp(prefix=".mesocorr-probe-", dir=folder)
    except OSError as exc:
        raise ValueError(f"{name}: cannot write {what}: {exc.strerror or exc}") from None
    os.close(fd)
    os.unlink(probe)


def check_output_file(path, name: str = "out") -> str:
    """Check that ``path`` can be written as a file (overwriting a regular file is allowed); returns it.

    Refused: an empty path, a folder, a FIFO/device/socket, a path in a missing folder, an unwritable location.
    Nothing is created.
    """
    if isinstance(path, bytes) or not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{name}: expected a file path, got {type(path).__name__}")
    path = os.fspath(path)
    if path == "" or "\x00" in path:
        raise ValueError(f"{name}: expected a file path, got {path!r}")
    if path.endswith(os.sep) or (os.altsep and path.endswith(os.altsep)):
        raise ValueError(f"{name}: {path} names a folder; give a file name")
    folder = os.path.dirname(path) or "."
    if not os.path.exists(folder):
        raise ValueError(f"{name}: the folder {folder} does not exist")
    if not os.path.isdir(folder):
        raise ValueError(f"{name}: {folder} is not a folder")
    if os.path.lexists(path):
        try:
            mode = os.stat(path).st_mode
        except OSError as exc:
            raise ValueError(f"{name}: cannot use {path}: {exc.strerror or exc}") from None
        if not stat.S_ISREG(mode):
            raise ValueError(f"{name}: {path} is {_kind(mode)}; give a file name")
        try:
            with open(path, "ab"):
                pass
        except OSError as exc:
            raise ValueError(f"{name}: cannot write {path}: {exc.strerror or exc}") from None
    else:
        _probe(folder, name, f"into {folder}")
    return path


def check_output_dir(path, name: str = "out") -> str:
    """Check that ``path`` is a writable folder or can be created as one (it is created); returns it."""
    if isinstance(path, bytes) or not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{name}: expected a folder path, got {type(path).__name__}")
    path = os.fspath(path)
    if path == "" or "\x00" in path:
        raise ValueError(f"{name}: expected a folder path, got {path!r}")
    if os.path.exists(path):
        if not os.path.isdir(path):
            raise ValueError(f"{name}: {path} exists and is not a folder")
    else:
        parent = os.path.dirname(os.path.abspath(path))
        while not os.path.exists(parent):
            parent = os.path.dirname(parent)
        if not os.path.isdir(parent):
            raise ValueError(f"{name}: cannot create {path}: {parent} is not a folder")
        try:
            os.makedirs(path, exist_ok=True)
        except OSError as exc:
            raise ValueError(f"{name}: cannot create the folder {path}: {exc.strerror or exc}") from None
    _probe(path, name, f"into {path}")
    return path
