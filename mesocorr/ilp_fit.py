r"""Fit the ILP magnetoconductance: dephasing, Rashba, Dresselhaus and cubic fields, fixed or free.

:func:`fit_ilp` is :func:`mesocorr.fitting.fit_magnetoconductance` with the ``ilp`` model (same statistics:
bounded least squares in the log-fields, covariance from the Jacobian, scaled by :math:`\chi^2_{red}` without
``sigma``; see ``docs/conventions.md``, section "Validation toolkit: fits and ensemble checks") plus the Rashba/Dresselhaus bookkeeping:

* the magnetoconductance is exactly symmetric under :math:`H_R \leftrightarrow H_D` (a spin rotation maps one
  gauge field on the other), so with both linear fields free the fit determines only the **unordered pair**.
  It is reported as ``B_linear_1`` :math:`\ge` ``B_linear_2``, with ``linear_pair_unordered = True`` and the
  sentence ``ambiguity`` saying that the data cannot tell which one is Rashba;
* if one linear field is fixed (say ``B_rashba=0`` for a symmetric well), the other is reported under its own
  name (the assignment then rests on the value you fixed).
"""

from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass

import numpy as np

from mesocorr import arguments
from mesocorr.fitting import FitResult, fit_magnetoconductance, model_function

__all__ = ["fit_ilp", "ILPFitResult", "AMBIGUITY"]

#: the sentence attached to every fit with both linear fields free
AMBIGUITY = ("B_rashba <-> B_dresselhaus: the magnetoconductance is symmetric under exchanging the Rashba and "
             "Dresselhaus fields, so the fit determines only the unordered pair {B_linear_1, B_linear_2} "
             "(B_linear_1 >= B_linear_2); the data cannot tell which one is Rashba")
_USER = ("B_phi", "B_rashba", "B_dresselhaus", "B_cubic")


@dataclass
class ILPFitResult(FitResult):
    """:class:`mesocorr.fitting.FitResult` of :func:`fit_ilp`, plus ``linear_pair_unordered``, ``ambiguity`` and
    ``fixed`` (the fields held at given values, tesla, by their user names)."""

    linear_pair_unordered: bool = False
    ambiguity: str = ""
    fixed: dict = dataclasses.field(default_factory=dict)

    def as_dict(self) -> dict:
        out = super().as_dict()
        out["linear_pair_unordered"] = self.linear_pair_unordered
        out["ambiguity"] = self.ambiguity
        out["fixed"] = dict(self.fixed)
        return out


def _held(name, value):
    if value is None:
        return None
    return arguments.positive(name, value) if name == "B_phi" else arguments.nonnegative(name, value)


def fit_ilp(B, delta_sigma, B_phi=None, B_rashba=None, B_dresselhaus=None, B_cubic=None, sigma=None,
            symmetrize: bool = False, background: str | None = None, D: float | None = None,
            p0: dict | None = None, strict: bool = False) -> ILPFitResult:
    r"""Fit :math:`\Delta\sigma(B)` (e²/h per square) with the ILP model; each field is free (``None``) or fixed.

    Parameters
    ----------
    B, delta_sigma : array_like
        Fields (T, either sign) and :math:`\Delta\sigma = \sigma(B)-\sigma(0)` in e²/h per square.
    B_phi, B_rashba, B_dresselhaus, B_cubic : float or None
        ``None``: fitted; a number: held at that value (T). See :func:`mesocorr.ilp_magnetoconductance`.
    sigma, symmetrize, background, D, strict
        As in :func:`mesocorr.fitting.fit_magnetoconductance`.
    p0 : dict, optional
        Start values for the free fields, keyed by the names above.

    Returns
    -------
    ILPFitResult
        ``params`` with value, stderr (and unit) of the free fields — ``B_linear_1``, ``B_linear_2`` when both
        linear fields are free (unordered pair, ``ambiguity`` set) — ``correlation``, ``covariance``,
        ``chi2_red``, ``warnings``.

    Examples
    --------
    >>> import numpy as np, mesocorr
    >>> B = np.linspace(-0.02, 0.02, 41)
    >>> y = mesocorr.ilp_magnetoconductance(B, B_phi=5e-4, B_rashba=4e-3, B_cubic=2e-4)
    >>> r = fit_ilp(B, y, B_dresselhaus=0.0, B_cubic=2e-4)
    >>> round(r.value("B_rashba") * 1e3, 6), round(r.value("B_phi") * 1e4, 6)
    (4.0, 5.0)
    """
    vals = {n: _held(n, v) for n, v in zip(_USER, (B_phi, B_rashba, B_dresselhaus, B_cubic))}
    fixed = {}
    if vals["B_phi"] is not None:
        fixed["B_phi"] = vals["B_phi"]
    if vals["B_cubic"] is not None:
        fixed["B_cubic"] = vals["B_cubic"]
    r_fixed, d_fixed = vals["B_rashba"] is not None, vals["B_dresselhaus"] is not None
    # internal names: B_linear_1 (Rashba slot), B_linear_2 (Dresselhaus slot); the model is symmetric
    rename = {"B_phi": "B_phi", "B_cubic": "B_cubic", "B_linear_1": "B_rashba", "B_linear_2": "B_dresselhaus"}
    if r_fixed:
        fixed["B_linear_1"] = vals["B_rashba"]
    if d_fixed:
        fixed["B_linear_2"] = vals["B_dresselhaus"]
    unordered = not r_fixed and not d_fixed
    if unordered:
        rename["B_linear_1"], rename["B_linear_2"] = "B_linear_1", "B_linear_2"
    internal_p0 = None
    if p0 is not None:
        back = {v: k for k, v in rename.items()}
        if unordered:
            back.update({"B_rashba": "B_linear_1", "B_dresselhaus": "B_linear_2"})
        unknown = [k for k in p0 if k not in back]
        if unknown:
            raise ValueError(f"p0: unknown parameter {unknown[0]!r}; free fields are named "
                             f"{', '.join(sorted(set(_USER) | {'B_linear_1', 'B_linear_2'}))}")
        internal_p0 = {back[k]: v for k, v in p0.items()}
    else:
        internal_p0 = _hln_start(B, delta_sigma, sigma, symmetrize, background, fixed)
    r = fit_magnetoconductance(B, delta_sigma, model="ilp", D=D, symmetrize=symmetrize, background=background,
                               sigma=sigma, p0=internal_p0, strict=False, fixed=fixed)
    names = list(r.param_names)
    order = list(range(len(names)))
    if unordered and "B_linear_1" in names:
        i, j = names.index("B_linear_1"), names.index("B_linear_2")
        if r.params["B_linear_2"]["value"] > r.params["B_linear_1"]["value"]:
            order[i], order[j] = j, i
    new_names = [rename.get(n, n) for n in names]  # the reported name of each slot
    label = {names[k]: new_names[slot] for slot, k in enumerate(order)}  # internal name -> reported name
    # the k-th reported parameter is internal parameter order[k]; swap values where the pair is reordered
    params = {}
    for slot, k in enumerate(order):
        params[rename.get(names[slot], names[slot])] = r.params[names[k]]
    idx = np.array(order)
    cov = np.asarray(r.covariance)[np.ix_(idx, idx)]
    corr = np.asarray(r.correlation)[np.ix_(idx, idx)]
    lengths, times = {}, {}
    for slot, k in enumerate(order):
        src, dst = names[k][2:], rename.get(names[slot], names[slot])[2:]
        if f"L_{src}" in r.lengths:
            lengths[f"L_{dst}"] = r.lengths[f"L_{src}"]
        if f"tau_{src}" in r.times:
            times[f"tau_{dst}"] = r.times[f"tau_{src}"]
    warnings = [_rename_text(w, label) for w in r.warnings]
    base = {f.name: getattr(r, f.name) for f in dataclasses.fields(FitResult)}
    base.update(params=params, param_names=new_names, covariance=cov, correlation=corr, lengths=lengths,
                times=times, warnings=warnings)
    out = ILPFitResult(**base, linear_pair_unordered=unordered, ambiguity=AMBIGUITY if unordered else "",
                       fixed={n: v for n, v in vals.items() if v is not None})
    if strict and out.warnings:
        raise ValueError("fit: " + "; ".join(out.warnings))
    return out


def _hln_start(B, delta_sigma, sigma, symmetrize, background, fixed):
    """Start values from an HLN fit (analytic, cheap) and a one-dimensional scan: B_phi from the HLN fit; the
    free spin-orbit fields share a total t (0.7 / 0.3 between two free linear fields, 0.1 of it for a free cubic
    field), t scanned over 0.3 ... 100 times HLN's triplet field (4/3) B_so (13 ILP evaluations) and the best
    t kept. ``None`` (the generic start grid) if the HLN fit fails or a background is fitted."""
    if background is not None:
        return None
    Bv, y = np.asarray(B, float), np.asarray(delta_sigma, float)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            h = fit_magnetoconductance(Bv, y, model="hln", symmetrize=symmetrize, sigma=sigma)
    except (ValueError, ArithmeticError):
        return None
    nonzero = np.abs(Bv)[Bv != 0]
    lo = 1e-3 * float(np.min(nonzero))
    phi = fixed.get("B_phi", max(h.value("B_phi"), lo))
    base = max(4 * h.value("B_so") / 3, 0.1 * phi, lo)
    free_lin = [n for n in ("B_linear_1", "B_linear_2") if n not in fixed]
    model = model_function("ilp")
    weight = 1.0 if sigma is None else 1 / np.asarray(sigma, float) ** 2
    best, best_cost = None, np.inf
    for t in base * np.geomspace(0.3, 100, 13):
        start = {} if "B_phi" in fixed else {"B_phi": phi}
        rest = t
        if "B_cubic" not in fixed:
            start["B_cubic"] = 0.1 * t
            rest = 0.9 * t
        for n, w in zip(free_lin, (0.7, 0.3) if len(free_lin) == 2 else (1.0,)):
            start[n] = w * rest
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                cost = float(np.sum(weight * (model(Bv, {**fixed, **start}) - y) ** 2))
        except (ValueError, ArithmeticError):
            continue
        if cost < best_cost:
            best, best_cost = start, cost
    return best


def _rename_text(text: str, label: dict) -> str:
    """Replace internal parameter names by the reported ones (simultaneously, so a swap stays a swap)."""
    marks = {a: f"\x00{i}\x00" for i, a in enumerate(label)}
    for a, m in marks.items():
        text = text.replace(a, m)
    for a, m in marks.items():
        text = text.replace(m, label[a])
    return text
