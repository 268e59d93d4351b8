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
from mesocorr.strip_predictions import UCF_TOLERANCE_REASON, WL_TOLERANCE_REASON, strip_regime, strip_wl_shift

__all__ = ["validate_ucf", "validate_wl", "variance_interval", "mean_shift", "sweep", "read_csv_columns",
           "DELIMITERS", "DEFAULT_RTOL", "FILM_WL_RTOL", "DEFAULT_CONFIDENCE"]

#: default relative systematic tolerance of the verdicts
DEFAULT_RTOL = 0.25
#: default tolerance of the WL verdict against the film in its field (geometry + flux): correct simulations
#: in a weak field measure 0.68-0.86 of it (README table; WL_TOLERANCE_REASON)
FILM_WL_RTOL = 0.35
#: default confidence level of the statistical intervals
DEFAULT_CONFIDENCE = 0.95
#: largest number of bootstrap resamples, and of resampled values n_boot * n (measured: 2e9 values took 66 s of
#: CPU, ~3.3e-8 s each, benchmarks/bench_cli_caps.py; 5e8 ~ 16 s)
MAX_BOOT = 100_000
MAX_BOOT_VALUES = 500_000_000


def _recording_physics(warnings: list, func, *args, **kwargs):
    """``func(...)`` with its PhysicsWarnings added to the result's ``warnings`` list (and re-issued)."""
    with _warnings.catch_warnings(record=True) as caught:
        _warnings.simplefilter("always", PhysicsWarning)
        value = func(*args, **kwargs)
    for w in caught:
        if issubclass(w.category, PhysicsWarning):
            warnings.append(str(w.message))
            warn_inconsistent(str(w.message))
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


def _finite_pairs(first, second, warnings: list, minimum: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Paired samples (one realisation per index): the pairs with both values finite."""
    a = np.asarray(first, dtype=float).reshape(-1)
    b = np.asarray(second, dtype=float).reshape(-1)
    if a.size != b.size:
        raise ValueError(f"paired: the two ensembles must have the same size (one pair per realisation), got "
                         f"{a.size} and {b.size}")
    good = np.isfinite(a) & np.isfinite(b)
    if not good.all():
        warnings.append(f"paired: dropped {int((~good).sum())} realisation(s) with a non-finite value")
        a, b = a[good], b[good]
    if a.size < minimum:
        raise ValueError(f"paired: need at least {minimum} finite pairs, got {a.size}")
    return a, b


# ----------------------------------------------------------------------------------------- statistics
def _confidence(confidence) -> float:
    """A confidence level in (0, 1), or ``ValueError`` naming ``confidence``."""
    confidence = arguments.as_real("confidence", confidence)
    if not 0 < confidence < 1:
        raise ValueError(f"confidence: must lie in (0, 1), got {confidence}")
    return confidence


@arguments.float64_range
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
                             f"{MAX_BOOT_VALUES:.3g} (about 16 s); use fewer resamples")
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


@arguments.float64_range
def validate_ucf(G, shape=(1,), spinless: bool = False, broken_trs: bool = False, so=0, mag=0,
                 L_phi: float | None = None, L_T: float | None = None, rtol: float = DEFAULT_RTOL,
                 confidence: float = DEFAULT_CONFIDENCE, method: str = "chi2", seed: int | None = 0,
                 n_boot: int = 4000, prediction: float | None = None, geometry=None,
                 mean_free_path: float | None = None, channels: int | None = None) -> dict:
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
    geometry : (W, L), optional
        The simulated strip's width and length (sites or any one unit): the prediction becomes the
        film's, ``shape=(1, W/L)`` (do not give ``shape`` as well), and the result gets the verdict
        fields below.
    mean_free_path, channels : optional
        With ``geometry``: the mean free path (unit of ``geometry``) or the number of open channels
        per spin (then :math:`l` from :math:`\langle g\rangle`, :func:`mesocorr.strip_predictions.strip_mean_free_path`;
        meaningful for broken time reversal), to rate the assumptions.

    Returns
    -------
    dict
        ``n, variance, variance_sem, ci, prediction, ratio, consistent`` plus ``mean, rtol,
        confidence, method, excess_kurtosis, prediction_source, warnings``. With ``geometry`` also
        ``prediction_used`` (which formula, for which shape), ``tolerance_reason``, ``assumptions``
        (each small parameter of :func:`mesocorr.strip_predictions.strip_regime`), ``weakest_assumption``,
        ``mean_free_path``.

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
    strip = None
    if geometry is not None:
        if tuple(np.ravel(shape)) != (1,):
            raise ValueError("geometry: give either shape (in units of L) or geometry=(W, L), not both")
        width, length = _geometry(geometry)
        shape = (1, width / length)
        beta = 2 if broken_trs else (4 if _strong_spin_orbit(so) else 1)
        strip = _strip_verdict(width, length, float(np.mean(x)), beta, spinless, mean_free_path, channels, None)
    elif mean_free_path is not None or channels is not None:
        raise ValueError("mean_free_path: give geometry=(W, L) as well (the assumptions need the strip's size)")
    if prediction is None:
        shape = _shape(shape)
        pred = _recording_physics(warnings, _ucf_prediction, shape, so, mag, broken_trs, spinless, L_phi, L_T)
        source = "mesocorr.ucf_variance"
    else:
        pred = arguments.positive("prediction", prediction)
        source = "user"
    extra = {}
    if strip is not None:
        used = (f"film {length:g} x {width:g} (L x W): mesocorr.ucf_variance(shape=(1, {width / length:.6g}))"
                if prediction is None else "user")
        extra = {"prediction_used": used, "tolerance_reason": UCF_TOLERANCE_REASON, **strip}
        warnings.extend(strip.pop("warnings"))
        extra.pop("warnings", None)
    return {**extra,
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


# ----------------------------------------------------------------------------------------- strips
def _geometry(geometry) -> tuple[float, float]:
    if isinstance(geometry, (str, bytes)) or not hasattr(geometry, "__len__") or len(geometry) != 2:
        raise TypeError(f"geometry: expected (W, L), the strip's width and length, got {geometry!r}")
    return arguments.positive("geometry[0] (W)", geometry[0]), arguments.positive("geometry[1] (L)", geometry[1])


def _strong_spin_orbit(so) -> bool:
    return any(float(v) > 0 for v in np.ravel(np.asarray(so, dtype=float)))


#: a small parameter above this makes the weakest assumption a warning
WEAK_ASSUMPTION = 0.5


def _strip_verdict(width, length, mean_g, beta, spinless, mean_free_path, channels, flux) -> dict:
    symmetry = {1: "orthogonal", 2: "unitary", 4: "symplectic"}[beta]
    reg = strip_regime(width, length, mean_g, symmetry, spinless=spinless, mean_free_path=mean_free_path,
                       channels=channels, flux=flux)
    weakest = f"{reg['weakest']} (small parameter {reg['weakest_value']:.3g})"
    warnings = []
    if reg["weakest_value"] > WEAK_ASSUMPTION:
        warnings.append(f"geometry: assumption {reg['weakest']} is weak for these parameters (small parameter "
                        f"{reg['weakest_value']:.3g} > {WEAK_ASSUMPTION}); expect deviations of O(that) from the "
                        "diffusive prediction")
    return {"geometry": {"width": width, "length": length}, "assumptions": reg["assumptions"],
            "weakest_assumption": weakest, "mean_free_path": reg["mean_free_path"],
            "mean_free_path_source": reg["mean_free_path_source"], "warnings": warnings}


# ----------------------------------------------------------------------------------------- WL
@arguments.float64_range
def mean_shift(a, b, confidence: float = DEFAULT_CONFIDENCE, paired: bool = False) -> dict:
    r"""Difference of two means, ``shift = mean(a) - mean(b)``, its standard error and Student-t interval.

    Independent ensembles (``paired=False``): Welch, standard error :math:`\sqrt{s_a^2/n_a + s_b^2/n_b}`
    with the Welch-Satterthwaite degrees of freedom. Paired ensembles (``paired=True``: ``a[i]`` and
    ``b[i]`` come from the *same* disorder realisation, e.g. the conductance at two fields of one
    sample): the differences :math:`d_i = a_i - b_i`, standard error :math:`s_d/\sqrt n`, :math:`n - 1`
    degrees of freedom. The two conductances of one realisation are correlated (correlation
    :math:`\rho`, ~0.6 for weak-localization fields), so Welch would overstate the error by
    :math:`1/\sqrt{1-\rho}`; the paired error is the honest one. Returns ``{"shift", "shift_sem",
    "dof", "ci", "paired"}`` (and ``"correlation"`` when paired).
    """
    from scipy.stats import t as student_t

    if not isinstance(paired, bool):
        raise TypeError(f"paired: expected True or False, got {paired!r}")
    na, nb = a.size, b.size
    shift = float(np.mean(a) - np.mean(b))
    extra = {}
    if paired:
        if na != nb:
            raise ValueError(f"paired: the two ensembles must have the same size (one pair per realisation), got "
                             f"{na} and {nb}")
        d = a - b
        sem = float(np.std(d, ddof=1)) / math.sqrt(na)
        dof = float(na - 1)
        sa, sb = float(np.std(a, ddof=1)), float(np.std(b, ddof=1))
        extra["correlation"] = float(np.corrcoef(a, b)[0, 1]) if sa > 0 and sb > 0 else 0.0
    else:
        va, vb = float(np.var(a, ddof=1)) / na, float(np.var(b, ddof=1)) / nb
        sem = math.sqrt(va + vb)
        dof = (va + vb) ** 2 / (va**2 / (na - 1) + vb**2 / (nb - 1)) if sem > 0 else float(na + nb - 2)
    q = float(student_t.ppf(0.5 + confidence / 2, dof))
    return {"shift": shift, "shift_sem": sem, "dof": dof, "ci": [shift - q * sem, shift + q * sem],
            "paired": paired, **extra}


def _wl_prediction(shape, spinless, so, mag, L_phi) -> tuple[float, str]:
    from mesocorr.wl import wire_wl_conductance

    if len(shape) != 1:
        raise ValueError("shape: validate_wl predicts the quasi-1D wire (shape=(1,)); give prediction= otherwise")
    L_phi = math.inf if L_phi is None else arguments.positive("L_phi", L_phi)
    return float(wire_wl_conductance(L_phi, so=so, mag=mag, spinless=spinless)), "mesocorr.wl.wire_wl_conductance"


@arguments.float64_range
def validate_wl(G_orthogonal, G_unitary, shape=(1,), spinless: bool = False, so=0, mag=0,
                L_phi: float | None = None, rtol: float | None = None, confidence: float = DEFAULT_CONFIDENCE,
                prediction: float | None = None, geometry=None, mean_free_path: float | None = None,
                flux: float | None = None, channels: int | None = None, paired: bool = False) -> dict:
    r"""Compare the weak-localization shift of two ensembles with the prediction.

    ``shift = <g>_orthogonal - <g>_unitary`` (e²/h), with its Welch standard error and Student-t
    interval (``paired=True``: ``G_orthogonal[i]`` and ``G_unitary[i]`` are the same realisation at
    B = 0 and in the field, e.g. ``kwant_sample(..., points=[{"flux": 0}, {"flux": F}])``; then the
    paired error of :func:`mesocorr.ensembles.mean_shift`, typically 2x smaller for the same samples),
    against the weak-localization correction :math:`\delta G` of a wire between reservoirs (the unitary ensemble
    has none): :math:`-1/3` for spinless electrons, :math:`-2/3` spin-degenerate,
    :math:`+1/3` (antilocalization) spin-degenerate with strong spin-orbit, as :math:`L_\phi\to\infty`.

    Geometry-specific prediction: ``geometry=(W, L)`` (sites) and ``flux`` (the field ensemble's flux
    per plaquette, :math:`h/e`) replace the wire's :math:`B\to\infty` value by the film's shift in
    that field, :func:`mesocorr.strip_predictions.strip_wl_shift` (magnetic Laplacian of the W x L
    rectangle; no spin-orbit, magnetic scattering or dephasing: ``so``, ``mag``, ``L_phi`` must be
    0/None). ``geometry`` without ``flux`` keeps the wire value and only rates the assumptions.

    Parameters
    ----------
    G_orthogonal, G_unitary : array_like
        Conductances (:math:`e^2/h`) of the ensemble with time reversal and of the one without (a field
        strong enough to kill the Cooperon, or the field ``flux`` of the film prediction); non-finite
        values dropped (with ``paired``: the pairs holding one).
    shape : tuple of float
        Sample shape in units of L; ``(1,)`` is a quasi-1D wire.
    spinless : bool
        One spin species.
    so, mag : float or three floats
        Spin rates in units of :math:`D/L^2`.
    L_phi : float, optional
        Dephasing length in units of L (``None``: no dephasing).
    rtol : float, optional
        Relative systematic tolerance added on each side of the interval; ``None``: ``DEFAULT_RTOL``
        (0.25), or ``FILM_WL_RTOL`` (0.35) against the film in its field, where correct simulations
        measure 0.68-0.94 of the prediction (README table).
    confidence : float
        Level of the Student-t interval.
    prediction : float, optional
        Override the prediction (then :func:`mesocorr.wire_wl_conductance` is not called).
    geometry : (W, L), optional
        The simulated strip (sites or any one unit).
    mean_free_path, channels : optional
        With ``geometry``, as in :func:`validate_ucf` (``channels`` uses the unitary mean).
    flux : float, optional
        With ``geometry``: flux per plaquette (:math:`h/e`) of the field ensemble.
    paired : bool
        Row i of both ensembles is one realisation (paired error of :func:`mesocorr.ensembles.mean_shift`).

    Returns
    -------
    dict
        ``n_orthogonal``, ``n_unitary``, ``shift``, ``shift_sem``, ``dof``, ``ci``, ``prediction``,
        ``ratio``, ``consistent`` plus ``rtol``, ``confidence``, ``paired`` (and ``correlation``),
        ``prediction_source``, ``warnings``; with ``geometry`` also ``prediction_used``,
        ``tolerance_reason``, ``assumptions``, ``weakest_assumption``, ``mean_free_path`` (and ``l_m``
        with ``flux``).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(3)
    >>> g_o, g_u = rng.normal(2.4 - 1 / 3, 0.36, 1500), rng.normal(2.4, 0.26, 1500)
    >>> r = validate_wl(g_o, g_u, spinless=True)
    >>> round(r["prediction"], 10), r["consistent"]
    (-0.3333333333, True)
    >>> rng = np.random.default_rng(0)
    >>> a, b = rng.normal(1.60, 0.35, 1500), rng.normal(1.73, 0.31, 1500)   # (32 x 64 sites, flux 0.001)
    >>> r = validate_wl(a, b, spinless=True, geometry=(32, 64), flux=0.001, mean_free_path=5.6)
    >>> round(r["prediction"], 2), r["consistent"], r["weakest_assumption"].split(" (")[0]
    (-0.14, True, 'g >> 1')
    """
    warnings: list[str] = []
    rtol = None if rtol is None else arguments.nonnegative("rtol", rtol)
    confidence = _confidence(confidence)
    if not isinstance(paired, bool):
        raise TypeError(f"paired: expected True or False, got {paired!r}")
    if paired:
        a, b = _finite_pairs(G_orthogonal, G_unitary, warnings)
    else:
        a = _finite_sample("G_orthogonal", G_orthogonal, warnings)
        b = _finite_sample("G_unitary", G_unitary, warnings)
    res = mean_shift(a, b, confidence, paired=paired)
    extra: dict = {}
    if geometry is not None:
        if tuple(np.ravel(shape)) != (1,):
            raise ValueError("geometry: give either shape (in units of L) or geometry=(W, L), not both")
        width, length = _geometry(geometry)
        if flux is not None:
            flux = arguments.positive("flux", flux)
        strip = _strip_verdict(width, length, float(np.mean(b)), 2, spinless, mean_free_path, channels, flux)
        warnings.extend(strip.pop("warnings"))
        extra = {**strip, "tolerance_reason": WL_TOLERANCE_REASON}
    elif mean_free_path is not None or channels is not None or flux is not None:
        raise ValueError("flux: give geometry=(W, L) as well (the film prediction needs the strip's size)")
    if prediction is None and geometry is not None and flux is not None:
        if _strong_spin_orbit(so) or _strong_spin_orbit(mag) or L_phi is not None:
            raise ValueError("so: the film prediction in a field (geometry + flux) has no spin-orbit, magnetic "
                             "scattering or dephasing; give so=0, mag=0, L_phi=None or a prediction")
        sw = strip_wl_shift(width, length, flux, spinless=spinless, mean_free_path=extra["mean_free_path"])
        pred, source = sw["shift"], "mesocorr.strip_predictions.strip_wl_shift"
        extra["prediction_used"] = (f"film {length:g} x {width:g} (L x W) in flux {flux:g} h/e per plaquette: "
                                    f"{sw['prediction']}; discretisation error {sw['error']:.2g}")
        extra["l_m"] = sw["l_m"]
        warnings.extend(sw["warnings"])
        if rtol is None:
            rtol = FILM_WL_RTOL
    elif prediction is None:
        pred, source = _recording_physics(warnings, _wl_prediction, _shape(shape), spinless, so, mag, L_phi)
        if geometry is not None:
            extra["prediction_used"] = ("quasi-1D wire, field suppressing every Cooperon "
                                        "(mesocorr.wl.wire_wl_conductance); give flux for the film in its field")
    else:
        pred, source = arguments.as_real("prediction", prediction), "user"
        if geometry is not None:
            extra["prediction_used"] = "user"
    if rtol is None:
        rtol = DEFAULT_RTOL
    lo, hi = res["ci"]
    return {**extra,
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
