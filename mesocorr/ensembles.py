r"""Validate simulated conductance ensembles against mesocorr's analytic limits, with honest statistics.

* :func:`validate_ucf`: an ensemble of conductances :math:`g = G/(e^2/h)` → its unbiased variance
  with a confidence interval, compared with :func:`mesocorr.ucf_variance` for the stated shape,
  symmetry and spin.
* :func:`validate_wl`: two ensembles (time-reversal symmetric, and with a field breaking it) → the
  mean shift :math:`\langle g\rangle_{orth} - \langle g\rangle_{unit}` with its Welch standard error,
  compared with the weak-localization correction of a wire between reservoirs (issue
  "weak localization": :math:`-1/3` for spinless electrons as :math:`L_\phi \to \infty`).
* :func:`sweep`: run a function over a parameter list on any :class:`concurrent.futures.Executor`.

Verdict (``docs/conventions.md``, section "Ensemble validation")
----------------------------------------------------------------
Real simulations sit at finite :math:`g` and :math:`L/l`, where the universal values are reached
only up to :math:`O(1/g)`. The verdict therefore adds a relative systematic tolerance ``rtol``
(default 0.25) to the statistical interval: ``consistent`` is true when

.. math:: \mathrm{lo} - r|P| \le P \le \mathrm{hi} + r|P|

for the prediction :math:`P` and the ``confidence`` (default 95 %) interval :math:`[\mathrm{lo}, \mathrm{hi}]`.

Variance interval: default ``method="chi2"``, the exact interval for the variance of a Gaussian
sample, :math:`[(n-1)s^2/\chi^2_{1-a/2,n-1},\ (n-1)s^2/\chi^2_{a/2,n-1}]`; ``method="bootstrap"``:
percentile bootstrap (``n_boot`` resamples, seeded), which does not assume Gaussian data. The excess
kurtosis is reported, with a warning when it is significant (then prefer the bootstrap).
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Callable, Iterable, Sequence

import warnings as _warnings

import numpy as np

from mesocorr import arguments
from mesocorr.physics_warnings import PhysicsWarning, warn_inconsistent
from mesocorr.progress import progress as _progress

__all__ = ["validate_ucf", "validate_wl", "variance_interval", "mean_shift", "sweep", "read_csv_columns",
           "DELIMITERS", "DEFAULT_RTOL", "DEFAULT_CONFIDENCE"]

#: default relative systematic tolerance of the verdicts
DEFAULT_RTOL = 0.25
#: default confidence level of the statistical intervals
DEFAULT_CONFIDENCE = 0.95
#: largest number of bootstrap resamples, and of resampled values n_boot * n (~1e-8 s each: 2e9 ~ 20 s)
MAX_BOOT = 100_000
MAX_BOOT_VALUES = 2_000_000_000


def _recording_physics(warnings: list, func, *args, **kwargs):
    """``func(...)`` with its PhysicsWarnings added to the result's ``warnings`` list (and re-issued)."""
    with _warnings.catch_warnings(record=True) as caught:
        _warnings.simplefilter("always", PhysicsWarning)
        value = func(*args, **kwargs)
    for w in caught:
        if issubclass(w.category, PhysicsWarning):
            warnings.append(str(w.message))
            warn_inconsistent(str(w.message), stacklevel=4)
        else:  # pragma: no cover - other warnings pass through unchanged
            _warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return value


# ----------------------------------------------------------------------------------------- data input
#: the delimiters :func:`read_csv_columns` knows, by name (the CLI's ``--delimiter``)
DELIMITERS = {"comma": ",", "semicolon": ";", "tab": "\t"}


def read_csv_columns(path, columns: Sequence[str], name: str = "data", delimiter: str = ",") -> dict[str, np.ndarray]:
    """Read numeric ``columns`` from a CSV file with a header row (csv module, explicit rules; nothing is evaluated).

    Rules (no dialect guessing):

    * UTF-8 text, at most :data:`mesocorr.user_files.MAX_INPUT_BYTES` (64 MiB), a regular file; a leading
      byte-order mark is dropped; line ends ``\\n``, ``\\r\\n`` or ``\\r``.
    * Blank lines and **full-line** comments (first non-blank character ``#``) are skipped anywhere. A ``#``
      after data on a line is not a comment: the cell is then not a number and is refused.
    * The first remaining line is the header; names are stripped of surrounding white space and must be
      non-empty and distinct (duplicates are refused, naming them).
    * ``delimiter``: one of ``","`` (default), ``";"``, ``"\\t"``; fields may be quoted with ``"``
      (csv module, strict). Every data row must have as many fields as the header (a ragged row is
      refused, naming its line).
    * A cell of a requested column is a decimal number with optional surrounding white space: ``1``,
      ``-0.5``, ``.5``, ``1e-3``, ``+2.5E+04``. Refused, naming line and column: empty cells, ``nan``,
      ``inf``, ``1_0``, ``0x10``, anything else, and numbers that overflow a float (``1e400``).
      Other columns are not read.

    Errors raise ``ValueError`` whose message starts with ``name`` and names the file, line and column.
    """
    from mesocorr.user_files import read_text

    if delimiter not in DELIMITERS.values():
        raise ValueError(f"delimiter: must be one of {', '.join(map(repr, DELIMITERS.values()))}; got {delimiter!r}")
    if isinstance(columns, str) or any(not isinstance(c, str) for c in columns):
        raise TypeError("columns: expected column names (strings)")
    text = read_text(path, name)
    path = os.fspath(path)
    all_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # the lines that hold data and their line numbers (1-based)
    numbers = [k for k, line in enumerate(all_lines, start=1) if line.strip()[:1] not in ("", "#")]
    lines = [all_lines[k - 1] for k in numbers] if len(numbers) < len(all_lines) else all_lines
    if not lines:
        raise ValueError(f"{name}: {path} is empty (expected a header row and data)")
    dialect = {"delimiter": delimiter, "quotechar": '"', "doublequote": True, "strict": True}
    reader = csv.reader(lines, **dialect)
    try:
        rows = list(reader)
        bad = None if reader.line_num == len(rows) else "a quoted field runs over the end of the line"
    except csv.Error as exc:
        bad = str(exc)
    if bad is not None:  # find the line again, one at a time
        for k, line in enumerate(lines):
            try:
                if len(list(csv.reader([line], **dialect))) != 1:
                    raise csv.Error("a quoted field runs over the end of the line")
            except csv.Error as exc:
                raise ValueError(f"{name}: line {numbers[k]} of {path}: not valid CSV ({exc})") from None
        raise ValueError(f"{name}: {path}: not valid CSV ({bad})")
    header, header_line = [h.strip() for h in rows[0]], numbers[0]
    empty = [str(j + 1) for j, h in enumerate(header) if not h]
    if empty:
        raise ValueError(f"{name}: the header (line {header_line}) of {path} has an empty column name "
                         f"(field {', '.join(empty)})")
    dups = sorted({h for h in header if header.count(h) > 1})
    if dups:
        raise ValueError(f"{name}: the header (line {header_line}) of {path} repeats the column name(s) "
                         f"{', '.join(map(repr, dups))}")
    ragged = [k for k, n in enumerate(map(len, rows)) if n != len(header)]
    if ragged:
        k = ragged[0]
        raise ValueError(f"{name}: line {numbers[k]} of {path} has {len(rows[k])} field(s), the header (line "
                         f"{header_line}) has {len(header)}")
    if len(rows) < 2:
        raise ValueError(f"{name}: {path} has a header but no data rows")
    out = {}
    for col in columns:
        if col not in header:
            others = [n for n, d in DELIMITERS.items() if d != delimiter and any(d in h for h in header)]
            hint = f"; is the delimiter {others[0]}?" if others else ""
            raise ValueError(f"{name}: column {col!r} not in {path} (columns: {', '.join(header)}{hint})")
        j = header.index(col)
        cells = [r[j] for r in rows[1:]]
        out[col] = _numbers(cells, numbers[1:], f"{name}: line {{}}, column {col!r} of {path}")
    return out


_NUMBER_CHARS = frozenset("0123456789.eE+- \t")


def _numbers(cells: list, lines: list, where: str) -> np.ndarray:
    """The cells as floats under the rules of :func:`read_csv_columns`; ``where`` formats the line number."""
    if not set("".join(cells)) - _NUMBER_CHARS:  # fast path: only characters of decimal numbers
        try:
            vals = np.fromiter(map(float, cells), dtype=float, count=len(cells))
        except ValueError:
            vals = None
        if vals is not None and np.all(np.isfinite(vals)):
            return vals
    vals = np.empty(len(cells))
    for k, cell in enumerate(cells):
        if "#" in cell:
            raise ValueError(f"{where.format(lines[k])}: not a number (a # comment must take a whole line): "
                             f"{arguments.shown(cell.strip())}")
        vals[k] = arguments.decimal(where.format(lines[k]), cell)
    return vals


def _finite_sample(name: str, values, warnings: list, minimum: int = 3) -> np.ndarray:
    x = np.asarray(values, dtype=float).reshape(-1)
    good = np.isfinite(x)
    if not good.all():
        warnings.append(f"{name}: dropped {int((~good).sum())} non-finite value(s)")
        x = x[good]
    if x.size < minimum:
        raise ValueError(f"{name}: need at least {minimum} finite values, got {x.size}")
    return x


# ----------------------------------------------------------------------------------------- statistics
def _confidence(confidence) -> float:
    """A confidence level in (0, 1), or ``ValueError`` naming ``confidence``."""
    confidence = arguments.as_real("confidence", confidence)
    if not 0 < confidence < 1:
        raise ValueError(f"confidence: must lie in (0, 1), got {confidence}")
    return confidence


def variance_interval(x, confidence: float = DEFAULT_CONFIDENCE, method: str = "chi2", seed: int | None = 0,
                      n_boot: int = 4000) -> tuple[float, float, float]:
    r"""Unbiased variance of ``x`` and its ``confidence`` interval: ``(s2, lo, hi)``.

    ``method="chi2"``: exact for Gaussian data, :math:`(n-1)s^2/\sigma^2 \sim \chi^2_{n-1}`.
    ``method="bootstrap"``: percentile bootstrap with ``n_boot`` resamples from
    ``numpy.random.default_rng(seed)``.
    """
    from scipy.stats import chi2

    x = np.asarray(x, dtype=float)
    n = x.size
    confidence = _confidence(confidence)
    arguments.choice("method", method, ("chi2", "bootstrap"))
    s2 = float(np.var(x, ddof=1))  # two-pass (mean-subtracted): no cancellation
    a = 1.0 - confidence
    if method == "chi2":
        lo = (n - 1) * s2 / chi2.ppf(1 - a / 2, n - 1)
        hi = (n - 1) * s2 / chi2.ppf(a / 2, n - 1)
    else:
        n_boot = arguments.integer("n_boot", n_boot, minimum=100, maximum=MAX_BOOT)
        if n_boot * n > MAX_BOOT_VALUES:
            raise ValueError(f"n_boot: {n_boot} resamples of {n} values ({n_boot * n:.3g} values) exceed the cap of "
                             f"{MAX_BOOT_VALUES:.3g} (about 20 s); use fewer resamples")
        rng = np.random.default_rng(seed)
        boots = np.empty(n_boot)
        for k0 in range(0, n_boot, 500):
            k1 = min(n_boot, k0 + 500)
            idx = rng.integers(0, n, size=(k1 - k0, n))
            boots[k0:k1] = np.var(x[idx], axis=1, ddof=1)
        lo, hi = np.quantile(boots, [a / 2, 1 - a / 2])
    return s2, float(lo), float(hi)


def _verdict(prediction: float, lo: float, hi: float, rtol: float) -> bool:
    widen = rtol * abs(prediction)
    return bool(lo - widen <= prediction <= hi + widen)


def _kurtosis_warning(x, warnings, name):
    from scipy.stats import kurtosis

    k = float(kurtosis(x, fisher=True, bias=False))
    se = math.sqrt(24.0 / x.size)
    if abs(k) > 3 * se:
        warnings.append(f"{name}: excess kurtosis {k:.2f} (> 3 standard errors {se:.2f}): the data are not Gaussian; "
                        "the chi2 interval may be too narrow or too wide, prefer method='bootstrap'")
    return k


# ----------------------------------------------------------------------------------------- UCF
def _ucf_prediction(shape, so, mag, broken_trs, spinless, L_phi, L_T) -> float:
    from mesocorr.ucf import ucf_variance

    return float(ucf_variance(shape=shape, so=so, mag=mag, broken_trs=broken_trs, spinless=spinless,
                              L_phi=L_phi, L_T=L_T))


def _shape(shape) -> tuple:
    if isinstance(shape, (int, float)) and not isinstance(shape, bool):
        shape = (shape,)
    shape = tuple(arguments.positive("shape", s) for s in shape)
    if not 1 <= len(shape) <= 3:
        raise ValueError(f"shape: give 1 to 3 lengths (L[, W[, H]]) in units of L, got {len(shape)}")
    return shape


def validate_ucf(G, shape=(1,), spinless: bool = False, broken_trs: bool = False, so=0, mag=0,
                 L_phi: float | None = None, L_T: float | None = None, rtol: float = DEFAULT_RTOL,
                 confidence: float = DEFAULT_CONFIDENCE, method: str = "chi2", seed: int | None = 0,
                 n_boot: int = 4000, prediction: float | None = None) -> dict:
    r"""Compare the variance of a conductance ensemble with the UCF prediction.

    Parameters
    ----------
    G : array_like
        Conductances in units of :math:`e^2/h`, one per disorder realisation (non-finite dropped).
    shape, spinless, broken_trs, so, mag, L_phi, L_T
        Passed to :func:`mesocorr.ucf_variance` (lengths in units of L, rates in units of
        :math:`D/L^2`); ``shape=(1,)`` is a quasi-1D wire.
    rtol : float
        Relative systematic tolerance added on each side of the interval (default 0.25).
    confidence : float
        Level of the variance interval (default 0.95).
    method : {"chi2", "bootstrap"}
        Exact Gaussian chi-square interval (default) or seeded percentile bootstrap.
    seed : int, optional
        Seed of the bootstrap resampling (``method="bootstrap"``).
    n_boot : int
        Bootstrap resamples (capped; checked before the work starts).
    prediction : float, optional
        Override the prediction (e.g. a value from another theory); then ``ucf_variance`` is not called.

    Returns
    -------
    dict
        ``n, variance, variance_sem, ci, prediction, ratio, consistent`` plus ``mean, rtol,
        confidence, method, excess_kurtosis, prediction_source, warnings``.

    References
    ----------
    P. A. Lee, A. D. Stone, H. Fukuyama, PRB 35, 1039 (1987): quasi-1D var g = 2/15 (spinless,
    orthogonal), 1/15 with broken time-reversal symmetry.

    Examples
    --------
    A Gaussian ensemble with the right variance (a stand-in for simulated conductances):

    >>> import numpy as np
    >>> G = np.random.default_rng(5).normal(2.4, np.sqrt(2 / 15), 2000)
    >>> r = validate_ucf(G, shape=(1,), spinless=True)
    >>> round(r["prediction"], 10), r["consistent"]
    (0.1333333333, True)
    >>> validate_ucf(G, shape=(1,), spinless=True, broken_trs=True)["consistent"]   # 1/15: rejected
    False
    """
    warnings: list[str] = []
    rtol = arguments.nonnegative("rtol", rtol)
    x = _finite_sample("G", G, warnings)
    s2, lo, hi = variance_interval(x, confidence, method, seed, n_boot)
    if s2 == 0:
        warnings.append("G: all values are identical (zero variance)")
    kurt = _kurtosis_warning(x, warnings, "G")
    if prediction is None:
        shape = _shape(shape)
        pred = _recording_physics(warnings, _ucf_prediction, shape, so, mag, broken_trs, spinless, L_phi, L_T)
        source = "mesocorr.ucf_variance"
    else:
        pred = arguments.positive("prediction", prediction)
        source = "user"
    return {
        "n": int(x.size),
        "mean": float(np.mean(x)),
        "variance": s2,
        "variance_sem": s2 * math.sqrt(2.0 / (x.size - 1)),
        "ci": [lo, hi],
        "prediction": pred,
        "ratio": s2 / pred,
        "consistent": _verdict(pred, lo, hi, rtol),
        "rtol": rtol,
        "confidence": confidence,
        "method": method,
        "excess_kurtosis": kurt,
        "prediction_source": source,
        "unit": "(e^2/h)^2",
        "warnings": warnings,
    }


# ----------------------------------------------------------------------------------------- WL
def mean_shift(a, b, confidence: float = DEFAULT_CONFIDENCE) -> dict:
    r"""Welch comparison of two means: ``shift = mean(a) - mean(b)``, its standard error
    :math:`\sqrt{s_a^2/n_a + s_b^2/n_b}`, the Welch-Satterthwaite degrees of freedom and the
    Student-t interval."""
    from scipy.stats import t as student_t

    na, nb = a.size, b.size
    va, vb = float(np.var(a, ddof=1)) / na, float(np.var(b, ddof=1)) / nb
    shift = float(np.mean(a) - np.mean(b))
    sem = math.sqrt(va + vb)
    dof = (va + vb) ** 2 / (va**2 / (na - 1) + vb**2 / (nb - 1)) if sem > 0 else float(na + nb - 2)
    q = float(student_t.ppf(0.5 + confidence / 2, dof))
    return {"shift": shift, "shift_sem": sem, "dof": dof, "ci": [shift - q * sem, shift + q * sem]}


def _wl_prediction(shape, spinless, so, mag, L_phi) -> tuple[float, str]:
    from mesocorr.wl import wire_wl_conductance

    if len(shape) != 1:
        raise ValueError("shape: validate_wl predicts the quasi-1D wire (shape=(1,)); give prediction= otherwise")
    L_phi = math.inf if L_phi is None else arguments.positive("L_phi", L_phi)
    return float(wire_wl_conductance(L_phi, so=so, mag=mag, spinless=spinless)), "mesocorr.wl.wire_wl_conductance"


def validate_wl(G_orthogonal, G_unitary, shape=(1,), spinless: bool = False, so=0, mag=0,
                L_phi: float | None = None, rtol: float = DEFAULT_RTOL, confidence: float = DEFAULT_CONFIDENCE,
                prediction: float | None = None) -> dict:
    r"""Compare the weak-localization shift of two ensembles with the prediction.

    ``shift = <g>_orthogonal - <g>_unitary`` (e²/h), with its Welch standard error and Student-t
    interval, against the weak-localization correction :math:`\delta G` of a wire between reservoirs
    (the unitary ensemble has none): :math:`-1/3` for spinless electrons, :math:`-2/3` spin-degenerate,
    :math:`+1/3` (antilocalization) spin-degenerate with strong spin-orbit, as :math:`L_\phi\to\infty`.

    Parameters
    ----------
    G_orthogonal, G_unitary : array_like
        Conductances (:math:`e^2/h`) of the ensemble with time reversal and of the one without (a field
        strong enough to kill the Cooperon); non-finite values dropped.
    shape : tuple of float
        Sample shape in units of L; ``(1,)`` is a quasi-1D wire.
    spinless : bool
        One spin species.
    so, mag : float or three floats
        Spin rates in units of :math:`D/L^2`.
    L_phi : float, optional
        Dephasing length in units of L (``None``: no dephasing).
    rtol : float
        Relative systematic tolerance added on each side of the interval.
    confidence : float
        Level of the Student-t interval.
    prediction : float, optional
        Override the prediction (then :func:`mesocorr.wire_wl_conductance` is not called).

    Returns
    -------
    dict
        ``n`` (both sizes), ``shift``, ``shift_sem``, ``ci``, ``prediction``, ``ratio``, ``consistent`` plus
        ``rtol``, ``confidence``, ``prediction_source``, ``warnings``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(3)
    >>> g_o, g_u = rng.normal(2.4 - 1 / 3, 0.36, 1500), rng.normal(2.4, 0.26, 1500)
    >>> r = validate_wl(g_o, g_u, spinless=True)
    >>> round(r["prediction"], 10), r["consistent"]
    (-0.3333333333, True)
    """
    warnings: list[str] = []
    rtol = arguments.nonnegative("rtol", rtol)
    confidence = _confidence(confidence)
    a = _finite_sample("G_orthogonal", G_orthogonal, warnings)
    b = _finite_sample("G_unitary", G_unitary, warnings)
    res = mean_shift(a, b, confidence)
    if prediction is None:
        pred, source = _recording_physics(warnings, _wl_prediction, _shape(shape), spinless, so, mag, L_phi)
    else:
        pred, source = arguments.as_real("prediction", prediction), "user"
    lo, hi = res["ci"]
    return {
        "n_orthogonal": int(a.size),
        "n_unitary": int(b.size),
        "mean_orthogonal": float(np.mean(a)),
        "mean_unitary": float(np.mean(b)),
        **res,
        "prediction": pred,
        "ratio": res["shift"] / pred if pred != 0 else None,
        "consistent": _verdict(pred, lo, hi, rtol),
        "rtol": rtol,
        "confidence": confidence,
        "prediction_source": source,
        "unit": "e^2/h",
        "warnings": warnings,
    }


# ----------------------------------------------------------------------------------------- sweeps
def sweep(func: Callable, params: Iterable, executor=None, progress: bool = True, label: str = "sweep") -> list:
    """Evaluate ``func`` over ``params`` (dicts → keyword arguments, anything else → one argument).

    ``executor``: any :class:`concurrent.futures.Executor` (thread or process pool, Dask's or mpi4py's
    executor, ...); ``None`` runs in this process. Results come back in the order of ``params``;
    progress goes to stderr for loops longer than half a second. With a process pool ``func`` must
    be picklable (a module-level function). The first exception raised by ``func`` propagates.

    Parameters
    ----------
    func : callable
        Function evaluated once per parameter set.
    params : iterable
        Parameter sets: a dict is passed as keyword arguments, anything else as the one argument.
    executor : concurrent.futures.Executor, optional
        Where to run; ``None`` = here, sequentially.
    progress : bool
        Report progress on stderr for long loops.
    label : str
        Name shown in the progress line.

    Returns
    -------
    list
        ``func``'s results, in the order of ``params``.

    Examples
    --------
    >>> from mesocorr import sweep, ucf_variance
    >>> [round(v, 10) for v in sweep(ucf_variance, [dict(shape=(1,), spinless=True),
    ...                                             dict(shape=(1,), spinless=True, broken_trs=True)])]
    [0.1333333333, 0.0666666667]
    """
    items = list(params)

    def call(p):
        return func(**p) if isinstance(p, dict) else func(p)

    if executor is None:
        return [call(p) for p in _progress(items, total=len(items), label=label, enabled=progress)]
    from concurrent.futures import as_completed

    futures = {}
    for i, p in enumerate(items):
        fut = executor.submit(func, **p) if isinstance(p, dict) else executor.submit(func, p)
        futures[fut] = i
    results = [None] * len(items)
    for fut in _progress(as_completed(futures), total=len(items), label=label, enabled=progress):
        results[futures[fut]] = fut.result()
    return results
