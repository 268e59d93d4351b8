r"""Fit weak-(anti)localization magnetoconductance data: characteristic fields, lengths, honest errors.

The models are :func:`mesocorr.magnetoconductance` itself (issue "weak localization"), parametrised
by characteristic fields instead of rates. A channel's field is :math:`B_c = \hbar\Gamma_c/(4eD)`, and
in every geometry the magnetoconductance depends on the rates only through :math:`\Gamma_c/D`
(equivalently through the lengths :math:`L_c = \sqrt{D/\Gamma_c}`). A model in
:math:`(B_\phi, B_{so}, B_m)` is therefore :func:`~mesocorr.magnetoconductance` evaluated with
:math:`D = 1\ \mathrm{m^2/s}` and rates :math:`\Gamma_x = 4 e B_x/\hbar` — so the data never need
:math:`D`; it only converts fields into times.

Models (:math:`\Delta\sigma` in :math:`e^2/h`, per square in 2D)
------------------------------------------------------------------
``wl``
    :math:`B_\phi` only (no spin-orbit); positive magnetoconductance.
``hln``
    :math:`B_\phi, B_{so}`: :math:`B_x = \hbar/(4eD\tau_x)` with :math:`\tau_{so}` the *total isotropic*
    spin-orbit time, so the triplet field is :math:`B_\phi + \tfrac43 B_{so}` (Hikami, Larkin, Nagaoka
    1980, Eq. (18) with :math:`B_{so}` rescaled as in Bergmann, Phys. Rep. 107, 1 (1984), Eq. (6.6)).
``hln-alpha``
    :math:`\alpha, B_\phi`: :math:`\Delta\sigma = \alpha\,\tfrac1\pi\,[\psi(\tfrac12 + B_\phi/B) - \ln(B_\phi/B)]`,
    i.e. :math:`\alpha` times the ``wl`` model; :math:`\alpha = 1` weak localization (positive
    :math:`\Delta\sigma`), :math:`\alpha = -1/2` strong spin-orbit (the antilocalization cusp).
``wire``, ``kawabata``
    the quasi-1D (field dephasing) and 3D (Kawabata) forms of the weak-localization module,
    same parameters as ``hln``.
``ilp``
    :math:`B_\phi` and the ILP fields of a 2D electron gas (:func:`mesocorr.ilp_magnetoconductance`): the two
    linear spin-orbit fields ``B_linear_1``, ``B_linear_2`` (Rashba and Dresselhaus in an order the data cannot
    tell: the model is symmetric) and ``B_cubic``. Use :func:`mesocorr.fit_ilp` for the Rashba/Dresselhaus
    bookkeeping.
``graphene``
    :math:`B_\phi, B_i, B_{\rm intra}` (:func:`mesocorr.dirac.dirac_magnetoconductance`: McCann et al., PRL 97,
    146805 (2006), Eq. (1), with :math:`B_* = B_i + B_{\rm intra}` — :math:`B_*` is not a fit parameter of its
    own, it already contains :math:`B_i`).
``ti-film``
    :math:`B_\phi` (both surfaces), :math:`B_t` (incoherent tunnelling between the surfaces); interpolates between
    :math:`\alpha = -1` (decoupled) and :math:`-\tfrac12`.

When :math:`\alpha` means what: the ``hln-alpha`` form is one channel of field :math:`B_\phi` with a free
prefactor. It equals a physical model only when every other channel is either gapless like :math:`B_\phi` or
far above the fields fitted: :math:`\alpha = -\tfrac12` is one massless TI surface (or strong spin-orbit), a film
with fast tunnelling, or graphene with :math:`B_\phi \ll B \ll B_i` and no intravalley breaking ... but graphene
with :math:`B_i` inside the field range, a film with :math:`B_t` inside it, or a massive cone give an
:math:`\alpha` that depends on the field window (:func:`mesocorr.dirac.dirac_alpha` with ``below=``).

``fixed`` holds parameters at given values (natural units) instead of fitting them.

``magnetic=True`` adds :math:`B_m` (total isotropic magnetic-impurity field, rate :math:`1/\tau_m`);
``background`` adds ``offset`` (:math:`c_0`, e²/h) and/or ``quadratic`` (:math:`c_2 B^2`, e²/h/T²).

Statistics (``docs/conventions.md``, section "Magnetoconductance fits")
-----------------------------------------------------------------------
Bounded least squares (:func:`scipy.optimize.least_squares`, ``trf``); positive parameters are fitted
as :math:`\ln B_x` with bounds :math:`[10^{-6} B_{min}, 10^{6} B_{max}]` set by the data's non-zero
fields. Start values from a grid with the linear parameters (alpha, offset, quadratic) solved exactly at each
grid point: for ``wl``, ``hln``, ``hln-alpha`` (no ``magnetic``, no held field) a grid over the channel fields
themselves (:data:`CHANNEL_GRID_PER_DECADE` per decade, one table of :math:`F`, combinations by addition), else a
grid over the log-fields. The Jacobian (for the optimizer and the errors) is analytic for the channel-sum models
(``wl``, ``hln``, ``hln-alpha``, ``wire``, ``kawabata``: closed-form channel derivatives of
:mod:`mesocorr.integrals.wl_derivatives` through :class:`ChannelSum`, the model prepared once per fit) and by
central differences for the others. Standard errors from that Jacobian at the optimum,
:math:`C = (J^TJ)^{-1}`, propagated to the natural parameters by the delta method.
Without ``sigma`` the covariance is scaled by :math:`\chi^2_{red}` (the noise level is estimated
from the residuals); with ``sigma`` it is not (absolute errors) and a poor :math:`\chi^2` is reported
as a warning. Problems never pass silently: too few points or all-zero data raise ``ValueError``;
a singular or ill-conditioned Jacobian, a parameter at its bound, :math:`|\rho| > 0.999` or a
relative error above 50 % are listed in ``warnings`` (``strict=True`` raises instead).

No signal: the fit is compared with the best constant, :math:`\chi^2_0 = \sum_i ((y_i-\bar y)/s_i)^2`; if
the model is no better (:math:`\chi^2 \ge \chi^2_0`) or the improvement is not significant (F-test,
:math:`F = [(\chi^2_0-\chi^2)/p]/[\chi^2/(n-p)]`, p-value above :data:`SIGNAL_P_VALUE`), ``warnings`` says
that the parameters are not determined by the data (pure noise). Physically inconsistent fitted
parameters (the ``wire`` model with a width above the fitted :math:`L_\phi` or the magnetic length at the
largest field) are listed too, as :class:`~mesocorr.PhysicsWarning` messages. Work caps: at most
:data:`MAX_POINTS` data points (checked before fitting).
"""

from __future__ import annotations

import math
import warnings as _warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from mesocorr import arguments
from mesocorr.integrals.derived_constants import COOPERON_CHANNELS, WL_FIELD_RATE, WL_SHAPE_COEFFICIENTS, monomial_float
from mesocorr.integrals.hln import hln_f_core
from mesocorr.integrals.wl_derivatives import hln_f_log_derivative, kawabata_f3_log_derivative, wire_log_derivative
from mesocorr.physics_warnings import PhysicsWarning, warn_inconsistent
from mesocorr.units import E_CHARGE, HBAR

__all__ = ["fit_magnetoconductance", "FitResult", "MODELS", "field_to_rate", "field_to_length",
           "model_function"]

#: fitted models and their physical parameters (before magnetic / background extras)
MODELS = {
    "wl": ("B_phi",),
    "hln": ("B_phi", "B_so"),
    "hln-alpha": ("alpha", "B_phi"),
    "wire": ("B_phi", "B_so"),
    "kawabata": ("B_phi", "B_so"),
    "graphene": ("B_phi", "B_intervalley", "B_intravalley"),
    "ti-film": ("B_phi", "B_tunnel"),
    "ilp": ("B_phi", "B_linear_1", "B_linear_2", "B_cubic"),
}
#: models evaluated by :func:`mesocorr.dirac.dirac_magnetoconductance` (fields only, 2D)
_DIRAC = ("graphene", "ti-film")
_BACKGROUNDS = (None, "offset", "quadratic", "offset+quadratic")
_LINEAR = ("alpha", "offset", "quadratic")
#: thresholds of the identifiability checks
CONDITION_LIMIT = 1e8
CORRELATION_LIMIT = 0.999
BOUND_DECADES = 6.0
#: above this F-test p-value the model is no better than a constant: "no signal" warning
SIGNAL_P_VALUE = 0.01
#: largest number of data points accepted (each model evaluation is O(points); ~2000 evaluations per fit)
MAX_POINTS = 100_000


def field_to_rate(B_x, D: float = 1.0):
    r"""Rate :math:`\Gamma_x = 4 e D B_x/\hbar` (1/s) of a characteristic field ``B_x`` (T), ``D`` in m²/s."""
    return 4.0 * E_CHARGE * D * np.asarray(B_x, dtype=float) / HBAR


def field_to_length(B_x):
    r"""Length :math:`L_x = \sqrt{D\tau_x} = \sqrt{\hbar/(4 e B_x)}` (m) of a characteristic field (T)."""
    return np.sqrt(HBAR / (4.0 * E_CHARGE * np.asarray(B_x, dtype=float)))


def _magnetoconductance():
    from mesocorr.wl import magnetoconductance

    return magnetoconductance


def model_function(model: str, magnetic: bool = False, width: float | None = None) -> Callable:
    r"""The model :math:`\Delta\sigma(B; p)` (e²/h) as ``f(B, params_dict)`` without background terms.

    Evaluates :func:`mesocorr.magnetoconductance` with :math:`D = 1` m²/s and rates
    :math:`4eB_x/\hbar` (see the module docstring).
    """
    arguments.choice("model", model, tuple(MODELS))
    if model in _DIRAC:
        if magnetic:
            raise ValueError(f"magnetic: the {model} model has no magnetic-impurity field")
        from mesocorr.dirac import dirac_magnetoconductance

        def dirac_f(B, p):
            extra = {k: p[k] for k in MODELS[model][1:]}
            return np.asarray(dirac_magnetoconductance(B, model, p["B_phi"], **extra), dtype=float)

        return dirac_f
    mc = _magnetoconductance()
    if model == "ilp":
        if magnetic:
            raise ValueError("magnetic: the ilp model has no magnetic-impurity field")

        def f_ilp(B, p):
            return np.asarray(mc(B, dim=2, model="ilp", B_phi=p["B_phi"], B_rashba=p["B_linear_1"],
                                 B_dresselhaus=p["B_linear_2"], B_cubic=p["B_cubic"]), dtype=float)

        return f_ilp
    dim = {"wl": 2, "hln": 2, "hln-alpha": 2, "wire": 1, "kawabata": 3}[model]
    extra = {}
    if model == "wire":
        if width is None:
            raise ValueError("width: the wire model needs the wire width (m)")
        extra["width"] = arguments.positive("width", width)

    def rate(field):   # a number stays a float; an array of fields (the batched start grid) stays an array
        r = field_to_rate(field)
        return float(r) if r.ndim == 0 else r

    def f(B, p):
        mag = rate(p["B_mag"]) if magnetic else 0.0
        so = rate(p["B_so"]) if "B_so" in p else 0.0
        with _warnings.catch_warnings():   # trial parameters of the optimiser: checked once at the optimum
            _warnings.simplefilter("ignore", PhysicsWarning)
            val = mc(B, dim=dim, D=1.0, so=so, mag=mag, phi=rate(p["B_phi"]), **extra)
        val = np.asarray(val, dtype=float)
        return p["alpha"] * val if "alpha" in p else val

    return f


#: the fields a channel-sum model depends on (natural units, T), in the order of :class:`ChannelSum` coefficients
CHANNEL_FIELDS = ("B_phi", "B_so", "B_mag")
#: dimension of each channel-sum model (the models :class:`ChannelSum` prepares)
CHANNEL_MODELS = {"wl": 2, "hln": 2, "hln-alpha": 2, "wire": 1, "kawabata": 3}


def _hln_f(x: np.ndarray) -> np.ndarray:
    """F(x) on a 1-D array: x >= 1 by SciPy's digamma (the route :func:`mesocorr.integrals.hln.hln_f_core` takes
    for large arrays, accurate there; SciPy is loaded by the fit anyway), x < 1 by ``hln_f_core``."""
    from scipy.special import digamma

    out = np.empty_like(x)
    high = x >= 1.0
    xh = x[high]
    out[high] = np.log(xh) + digamma(0.5 + 1.0 / xh)
    if xh.size < x.size:
        low = ~high
        out[low] = hln_f_core(x[low])
    return out


class ChannelSum:
    r"""A channel-sum model (``wl``, ``hln``, ``hln-alpha``, ``wire``, ``kawabata``) prepared once per fit.

    :math:`\Delta\sigma = \sum_c w_c\,T_d(B; B_c)` over the Cooperon channels of
    :data:`mesocorr.integrals.derived_constants.COOPERON_CHANNELS` (isotropic spin rates: the channel field is
    :math:`B_c = a_c B_\phi + b_c B_{so} + m_c B_m`, channels with equal coefficients merged), with the
    :math:`D`-free terms of :func:`mesocorr.magnetoconductance` at :math:`D = 1` m²/s (module docstring).
    :meth:`values` evaluates the 2D model without the per-call checks of the public function (the fit's
    parameters are positive by construction; anything else returns ``None`` and the caller uses the public
    function); :meth:`log_columns` gives the analytic derivatives :math:`\partial\Delta\sigma/\partial\ln B_k`
    (:mod:`mesocorr.integrals.wl_derivatives`) in every dimension.
    """

    def __init__(self, dim: int, width: float | None = None):
        merged: dict = {}
        for _name, c, weight in COOPERON_CHANNELS:   # rates (so_x, so_y, so_z, mag_x, mag_y, mag_z, phi)
            key = (c[6], sum(c[0:3]) / 3, sum(c[3:6]) / 3)
            merged[key] = merged.get(key, 0) + weight
        items = [(k, w) for k, w in merged.items() if w != 0]
        self.coefficients = np.array([[float(v) for v in k] for k, _ in items])   # (channels, 3)
        self.weights = np.array([float(w) for _, w in items])
        self.dim, self.width = dim, width
        self.prefactor = _shape_prefactor(dim)

    def channel_fields(self, p: dict):
        """:math:`B_c` per channel: a (channels,) array for numbers in ``p``, else a list of arrays broadcasting
        like the fields; ``None`` when one is not positive and finite (the public function then decides:
        refuse or evaluate)."""
        fields = [p.get(n, 0.0) for n in CHANNEL_FIELDS]
        with np.errstate(over="ignore", invalid="ignore"):
            if all(type(f) is float or type(f) is int for f in fields):
                out = self.coefficients @ np.array(fields, dtype=float)
                # the public function refuses a rate 4 e B / hbar (field or channel gap) beyond float64
                ok = (all(0.0 < b < math.inf for b in out.tolist())
                      and all(math.isfinite(r) for r in field_to_rate([*fields, *out]).tolist()))
            else:
                out = [sum(float(a) * f for a, f in zip(row, fields) if a) for row in self.coefficients]
                ok = (all(np.all(np.isfinite(b) & (np.asarray(b) > 0)) for b in out)
                      and all(np.all(np.isfinite(field_to_rate(b))) for b in (*fields, *out)))
        return out if ok else None

    def _reduced(self, absb, bc):
        """The channels' reduced fields, stacked: (channels, *shape)."""
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):   # non-finite x: the caller refuses
            if isinstance(bc, np.ndarray):
                return np.multiply.outer(1.0 / bc, absb)
            return np.stack(np.broadcast_arrays(*(absb / b for b in bc)))

    def values(self, absb: np.ndarray, p: dict) -> np.ndarray | None:
        """The 2D model (no ``alpha``) at fields ``absb`` >= 0, or ``None`` (see :meth:`channel_fields`)."""
        bc = self.channel_fields(p) if self.dim == 2 else None
        if bc is None:
            return None
        x = self._reduced(absb, bc)
        if not np.all(np.isfinite(x)):
            return None
        F = _hln_f(x.reshape(-1)).reshape(x.shape)
        out = self.weights @ F if F.ndim == 2 else np.tensordot(self.weights, F, axes=1)
        out *= self.prefactor
        return out

    def log_columns(self, absb: np.ndarray, p: dict, wanted) -> dict | None:
        r""":math:`\partial\Delta\sigma/\partial\ln B_k` (no ``alpha``) for the fields ``wanted`` at numbers in
        ``p``, or ``None``."""
        bc = self.channel_fields(p)
        if not isinstance(bc, np.ndarray):
            return None
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            if self.dim == 2:
                x = self._reduced(absb, bc)
                terms = hln_f_log_derivative(x.reshape(-1)).reshape(x.shape)
                terms *= -self.prefactor
            elif self.dim == 3:
                root = self.prefactor * math.sqrt(E_CHARGE / HBAR) * np.sqrt(absb)
                pos = absb > 0
                delta = np.where(pos, np.multiply.outer(bc, 1.0 / np.where(pos, absb, 1.0)), np.inf)
                terms = kawabata_f3_log_derivative(delta.reshape(-1)).reshape(delta.shape) * root
            else:
                q = WL_FIELD_RATE
                rate_b = np.square((E_CHARGE / HBAR) * self.width * absb) * q.numerator / q.denominator
                gap = 4.0 * E_CHARGE * bc / HBAR
                beta = np.multiply.outer(1.0 / gap, rate_b)
                terms = wire_log_derivative(beta.reshape(-1)).reshape(beta.shape)
                terms *= (-0.5 * self.prefactor / np.sqrt(gap))[:, None]
        if not np.all(np.isfinite(terms)):
            return None
        ks = [CHANNEL_FIELDS.index(n) for n in wanted]
        fields = np.array([p[n] for n in wanted], dtype=float)
        # d B_c / d ln B_k = a_ck B_k: one (fields, channels) x (channels, points) product
        chain = (self.coefficients[:, ks] * fields[None, :] * (self.weights / bc)[:, None]).T
        return dict(zip(wanted, chain @ terms))


@cache
def _shape_prefactor(dim: int) -> float:
    """s times the derived shape coefficient of ``dim`` (as :func:`mesocorr.magnetoconductance` uses)."""
    from mesocorr.wl import SPIN_DEGENERACY

    return SPIN_DEGENERACY * monomial_float(WL_SHAPE_COEFFICIENTS[f"{dim}d"])


class FittedParameters:
    """Access to a fit result's ``params`` (name -> value, stderr, ...) and ``warnings`` (a mixin of the results
    of :func:`fit_magnetoconductance` and :func:`mesocorr.fit_temperature_series`)."""

    @property
    def ok(self) -> bool:
        """True when no warning was raised."""
        return not self.warnings

    def value(self, name: str) -> float:
        """Fitted value of parameter ``name``."""
        return self.params[name]["value"]

    def stderr(self, name: str) -> float:
        """Standard error of parameter ``name`` (``inf`` when not identifiable)."""
        return self.params[name]["stderr"]


@dataclass
class FitResult(FittedParameters):
    """Result of :func:`fit_magnetoconductance` (``as_dict()`` gives the JSON form)."""

    model: str
    params: dict
    chi2: float
    dof: int
    chi2_red: float
    covariance: np.ndarray
    correlation: np.ndarray
    param_names: list
    stderr_scaled: bool
    warnings: list = field(default_factory=list)
    lengths: dict = field(default_factory=dict)
    times: dict = field(default_factory=dict)
    n_points: int = 0
    n_dropped: int = 0
    condition_number: float = float("nan")
    message: str = ""
    B: np.ndarray = field(default=None, repr=False)
    delta_sigma: np.ndarray = field(default=None, repr=False)
    _predict: Callable = field(default=None, repr=False)

    def predict(self, B) -> np.ndarray:
        """The fitted model (background included) at fields ``B`` (T), in e²/h."""
        return self._predict(np.asarray(B, dtype=float))

    @property
    def fixed(self) -> dict:
        """Fields held at given values (name -> value in T): those a fit set (``fit_ilp``: the fields the user
        fixed), else the physical fields of the model family that this model holds at zero."""
        held = self.__dict__.get("_fixed")
        if held is not None:
            return held
        if self.model == "hln-alpha":
            return {}
        return {n: 0.0 for n in ("B_so", "B_mag") if n not in self.param_names}

    @fixed.setter
    def fixed(self, value: dict) -> None:      # a subclass's dataclass field ``fixed`` (ILPFitResult) lands here
        self.__dict__["_fixed"] = dict(value)

    def _report_rows(self):
        """``(name, value, stderr, relative, unit, status)`` per fitted and fixed parameter (strings)."""
        rows = []
        for n in self.param_names:
            v, e = self.params[n]["value"], self.params[n]["stderr"]
            rel = f"{abs(e / v):.1%}" if v != 0 and math.isfinite(e) else "-"
            rows.append((n, f"{v:.6g}", f"{e:.3g}", rel, self.params[n].get("unit", ""), "free"))
        for n, v in self.fixed.items():
            rows.append((n, f"{v:g}", "-", "-", "T", "fixed"))
        return rows

    def _correlation_pairs(self, threshold: float = 0.1):
        names, corr = self.param_names, np.asarray(self.correlation, dtype=float)
        pairs = [(names[i], names[j], float(corr[i, j])) for i in range(len(names)) for j in range(i + 1, len(names))
                 if corr.shape == (len(names), len(names)) and np.isfinite(corr[i, j]) and abs(corr[i, j]) >= threshold]
        return sorted(pairs, key=lambda p: -abs(p[2]))

    def _derived_rows(self):
        rows = [(k, f"{v['value']:.6g}", f"{v['stderr']:.3g}", "m") for k, v in self.lengths.items()]
        return rows + [(k, f"{v['value']:.6g}", f"{v['stderr']:.3g}", "s") for k, v in self.times.items()]

    def fit_report(self, correlation_threshold: float = 0.1) -> str:
        """A readable report (like lmfit's ``fit_report``): statistics, parameters, correlations, warnings."""
        errors = ("scaled by sqrt(chi2_red): no sigma given" if self.stderr_scaled
                  else "absolute: from the sigma given")
        lines = [f"[[Fit: model {self.model}]]",
                 f"    points             = {self.n_points} ({self.n_dropped} dropped)",
                 f"    free parameters    = {len(self.param_names)}",
                 f"    chi-square         = {self.chi2:.6g}" + (" (e^2/h)^2" if self.stderr_scaled else ""),
                 f"    reduced chi-square = {self.chi2_red:.6g}",
                 f"    degrees of freedom = {self.dof}",
                 f"    standard errors    = {errors}",
                 f"    condition number   = {self.condition_number:.3g}",
                 "[[Parameters]]"]
        rows = [("name", "value", "stderr", "rel.", "unit", ""), *self._report_rows()]
        widths = [max(len(r[k]) for r in rows) for k in range(6)]
        lines += ["    " + "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
        derived = self._derived_rows()
        if derived:
            lines.append("[[Derived lengths and times]]")
            w0 = max(len(r[0]) for r in derived)
            lines += [f"    {n.ljust(w0)}  {v} +/- {e} {u}" for n, v, e, u in derived]
        pairs = self._correlation_pairs(correlation_threshold)
        lines.append(f"[[Correlations]] (|C| >= {correlation_threshold:g})")
        lines += [f"    C({a}, {b}) = {c:+.4f}" for a, b, c in pairs] or ["    none"]
        lines.append("[[Warnings]]")
        lines += [f"    {w}" for w in self.warnings] or ["    none"]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.fit_report()

    def _repr_html_(self) -> str:
        from html import escape

        def table(head, rows):
            th = "".join(f"<th>{escape(h)}</th>" for h in head)
            body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in r) + "</tr>" for r in rows)
            return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"

        errors = "scaled by &radic;&chi;&sup2;<sub>red</sub>" if self.stderr_scaled else "absolute (from sigma)"
        stats = (f"<p><b>Fit: model {escape(self.model)}</b> &mdash; {self.n_points} points ({self.n_dropped} "
                 f"dropped), {len(self.param_names)} free parameters, &chi;&sup2; = {self.chi2:.6g}"
                 f"{' (e&sup2;/h)&sup2;' if self.stderr_scaled else ''}, "
                 f"&chi;&sup2;<sub>red</sub> = {self.chi2_red:.6g} ({self.dof} degrees of freedom), standard errors "
                 f"{errors}, condition number {self.condition_number:.3g}</p>")
        html = stats + table(("name", "value", "stderr", "rel.", "unit", ""), self._report_rows())
        derived = self._derived_rows()
        if derived:
            html += "<p>Derived lengths and times</p>" + table(("name", "value", "stderr", "unit"), derived)
        pairs = self._correlation_pairs()
        if pairs:
            html += "<p>Correlations</p>" + table(("parameter", "parameter", "C"), [(a, b, f"{c:+.4f}") for a, b, c in pairs])
        if self.warnings:
            html += "<p><b>Warnings</b></p><ul>" + "".join(f"<li>{escape(w)}</li>" for w in self.warnings) + "</ul>"
        return html

    def as_dict(self) -> dict:
        """JSON form; a number that the data do not determine (an infinite standard error, the correlations of
        a singular fit) is ``None`` (JSON ``null``), never NaN or inf."""
        return finite_or_none({
            "model": self.model,
            "params": self.params,
            "chi2": self.chi2,
            "dof": self.dof,
            "chi2_red": self.chi2_red,
            "stderr_scaled_by_chi2_red": self.stderr_scaled,
            "covariance": np.asarray(self.covariance).tolist(),
            "correlation": np.asarray(self.correlation).tolist(),
            "param_names": list(self.param_names),
            "lengths": self.lengths,
            "times": self.times,
            "n_points": self.n_points,
            "n_dropped": self.n_dropped,
            "condition_number": self.condition_number,
            "warnings": list(self.warnings),
            "unit": {"B": "T", "delta_sigma": "e^2/h", "lengths": "m", "times": "s"},
        })


def finite_or_none(obj):
    """Replace every non-finite float in nested dicts/lists by None."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: finite_or_none(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [finite_or_none(v) for v in obj]
    return obj


def _symmetrize(B, y, s, warnings):
    """Average Δσ over ±B pairs (and repeated fields); unpaired fields are kept with a warning (vectorised:
    one sort, then sums over the groups of equal |B| by ``np.bincount`` of the group index, in the sorted order —
    ``ufunc.reduceat`` costs ~50 ns per group, ten times more)."""
    a = np.abs(B)
    order = np.argsort(a)
    a, B, y, s = a[order], B[order], y[order], s[order]
    tol = 1e-9 * max(float(a.max()), 1e-300)
    first = np.r_[True, np.diff(a) > tol]
    group = np.cumsum(first) - 1
    counts = np.bincount(group)
    out_B = np.bincount(group, a) / counts
    out_y = np.bincount(group, y) / counts
    out_s = np.sqrt(np.bincount(group, s**2)) / counts
    paired = (np.bincount(group, B > 0) > 0) & (np.bincount(group, B < 0) > 0)
    starts = np.flatnonzero(first)
    unpaired = int(np.count_nonzero((a[starts] > tol) & ~paired))
    if unpaired:
        warnings.append(f"symmetrize: {unpaired} of {starts.size} fields have no partner at -B; kept unaveraged")
    return out_B, out_y, out_s


def _data(name: str, values) -> np.ndarray:
    """A 1-D float array of data (NaN/inf allowed: dropped later with a warning); booleans and strings refused."""
    if isinstance(values, (str, bytes)):
        raise TypeError(f"{name}: expected an array of numbers, got a string")
    try:
        arr = np.asarray(values)
    except (TypeError, ValueError):
        raise TypeError(f"{name}: expected a rectangular array of numbers") from None
    if arr.dtype.kind == "b":
        raise TypeError(f"{name}: expected numbers, got booleans")
    if arr.dtype.kind not in "iuf":
        try:
            arr = arr.astype(float)
        except (TypeError, ValueError):
            raise TypeError(f"{name}: expected numbers, got an array of dtype {arr.dtype}") from None
    if arr.size > MAX_POINTS:
        raise ValueError(f"{name}: {arr.size} points exceed the cap of {MAX_POINTS} per fit")
    return arr.astype(float)


def _clean_inputs(B, delta_sigma, sigma, symmetrize, warnings):
    B = _data("B", B)
    y = _data("delta_sigma", delta_sigma)
    if B.ndim != 1 or y.ndim != 1:
        raise ValueError("B: B and delta_sigma must be one-dimensional arrays")
    if B.shape != y.shape:
        raise ValueError(f"delta_sigma: length {y.size} differs from the length of B ({B.size})")
    if sigma is None:
        s = np.ones_like(y)
    else:
        try:
            s = np.broadcast_to(_data("sigma", sigma), y.shape).astype(float)
        except ValueError as exc:
            if str(exc).startswith("sigma"):
                raise
            raise ValueError(f"sigma: give one uncertainty or one per point ({y.size}), got shape "
                             f"{np.shape(sigma)}") from None
        if np.any(np.isfinite(s) & (s <= 0)):
            raise ValueError("sigma: uncertainties must be positive")
    good = np.isfinite(B) & np.isfinite(y) & np.isfinite(s)
    dropped = int(B.size - good.sum())
    if dropped:
        warnings.append(f"data: dropped {dropped} row(s) with non-finite B, delta_sigma or sigma")
    B, y, s = B[good], y[good], s[good]
    if symmetrize and B.size:
        B, y, s = _symmetrize(B, y, s, warnings)
    return B, y, s, dropped


def _grid_start(names, kinds, bounds, B, y, s, evaluate_shape, skip=None, per=None, batched=False):
    """Best start on a grid of the log-parameters, linear parameters solved by weighted least squares.
    ``skip(logs)`` (optional) drops grid points, e.g. the mirror images of a symmetric model; ``per`` the grid
    points per axis (default by the number of log-parameters). ``batched``: ``evaluate_shape`` also takes the
    log-parameters as (P, 1) arrays and returns (P, n) columns (one model call for the whole grid)."""
    log_names = [n for n in names if kinds[n] == "log"]
    lin_names = [n for n in names if kinds[n] == "linear"]
    if per is None:
        per = {1: 9, 2: 5, 3: 4}.get(len(log_names), 3)
    axes = []
    for n in log_names:
        lo, hi = bounds[n]
        # grid inside the range the data resolve (a decade beyond the fields measured)
        axes.append(np.linspace(max(lo, math.log(_min_nonzero_field(B)) - math.log(10)),
                                min(hi, math.log(np.max(np.abs(B))) + math.log(10)), per))
    mesh = np.meshgrid(*axes, indexing="ij") if axes else []
    points = np.stack([m.ravel() for m in mesh], axis=-1) if axes else np.zeros((1, 0))
    best, best_cost = None, np.inf
    # every grid point in one broadcast model call (log-parameters as columns): one kernel call instead of one per
    # point; if that call refuses (some grid point outside the model's range), point by point
    try:
        batch = (evaluate_shape({n: np.exp(points[:, i])[:, None] for i, n in enumerate(log_names)})
                 if axes and batched else None)
    except (ValueError, ArithmeticError):
        batch = None
    for k, pt in enumerate(points):
        logs = {n: float(np.exp(v)) for n, v in zip(log_names, pt)}
        if not all(0 < x < math.inf for x in logs.values()):   # a field beyond the float64 range: no start there
            continue
        if skip is not None and skip(logs):
            continue
        if batch is not None:
            cols = {n: (c[k] if np.ndim(c) == 2 else c) for n, c in batch.items()}
        else:
            try:
                cols = evaluate_shape(logs)  # dict: linear name -> column, plus "_fixed"
            except (ValueError, ArithmeticError):
                continue
        fixed = cols.pop("_fixed")
        if lin_names:
            A = np.stack([cols[n] for n in lin_names], axis=1) / s[:, None]
            coef, *_ = np.linalg.lstsq(A, (y - fixed) / s, rcond=None)
            resid = (y - fixed) / s - A @ coef
        else:
            coef, resid = [], (y - fixed) / s
        cost = float(resid @ resid)
        if np.isfinite(cost) and cost < best_cost:
            best_cost = cost
            best = {**logs, **{n: float(c) for n, c in zip(lin_names, coef)}}
    if best is None:
        raise ValueError("p0: the model could not be evaluated anywhere on the start grid; give p0")
    return best


#: start grid of the separable channel-sum models: points per decade of each channel field
CHANNEL_GRID_PER_DECADE = 3


def _channel_grid_start(kernel: ChannelSum, names, held, B, y, s):
    r"""Start values of a 2D channel-sum fit on a grid over the channel fields themselves, or ``None`` when the
    fitted fields are not one channel field each (``magnetic=True``: three fields, two channels) or a held field
    enters a channel that varies.

    :math:`\Delta\sigma = \sum_c w_c\,F(|B|/B_c)/\pi` depends on each channel field through one column, so one
    table :math:`F(|B|/b_g)` over :data:`CHANNEL_GRID_PER_DECADE` fields per decade (a decade beyond the fields
    measured, as :func:`_grid_start`) gives the model at every grid combination by addition: a finer grid than
    :func:`_grid_start` for the cost of one model call. Linear parameters (alpha, offset, quadratic) are solved
    exactly at each grid point; combinations with a fitted field below the grid are skipped."""
    fitted = [n for n in names if n in CHANNEL_FIELDS]
    if kernel.dim != 2 or not fitted:
        return None
    cols = [CHANNEL_FIELDS.index(n) for n in fitted]
    held_fields = np.array([0.0 if n in fitted else float(held.get(n, 0.0)) for n in CHANNEL_FIELDS])
    merged: dict = {}
    for coeff, weight in zip(kernel.coefficients, kernel.weights):
        key = (tuple(coeff[cols]), float(coeff @ held_fields))
        merged[key] = merged.get(key, 0.0) + weight
    variable = [(k, w) for k, w in merged.items() if w != 0 and any(k[0])]
    constant = [(k[1], w) for k, w in merged.items() if w != 0 and not any(k[0])]
    # a held field inside a varying channel (e.g. B_so fixed, B_phi and B_mag fitted) makes the valid combinations
    # a thin band of the channel-field grid: the log-parameter grid is the better start there
    if (len(variable) != len(fitted) or len(fitted) > 2 or any(k[1] != 0 for k, _ in variable)
            or any(b <= 0 for b, _ in constant)):
        return None
    A = np.array([k[0] for k, _ in variable])
    if abs(np.linalg.det(A)) < 1e-12:
        return None
    offsets = np.array([k[1] for k, _ in variable])
    absb = np.abs(B)
    lo = math.log10(_min_nonzero_field(B)) - 1.0
    hi = math.log10(float(absb.max())) + 1.0
    grid = np.logspace(lo, hi, min(25, math.ceil(CHANNEL_GRID_PER_DECADE * (hi - lo)) + 1))
    with np.errstate(over="ignore"):
        x = np.multiply.outer(1.0 / grid, absb)
        rates_ok = np.all(np.isfinite(field_to_rate(grid)))
    lin = [n for n in names if n in ("offset", "quadratic")]
    with np.errstate(over="ignore"):
        lin_cols = [np.ones_like(B) if n == "offset" else B**2 for n in lin]
    if not (rates_ok and np.all(np.isfinite(x)) and all(np.all(np.isfinite(c)) for c in lin_cols)):
        return None   # fields at the float64 limits: the log-parameter grid (point by point, with refusals)
    table = kernel.prefactor * _hln_f(x.reshape(-1)).reshape(grid.size, absb.size)
    base = np.zeros_like(absb)
    for b, w in constant:
        base += kernel.prefactor * w * _hln_f(absb / b)
    # model at every combination (g_1, ..., g_C) of channel fields: (G,)*C + (n,)
    model_grid = base
    for c, (_, w) in enumerate(variable):
        model_grid = model_grid[..., None, :] + w * table.reshape((1,) * c + table.shape)
    combos = np.stack(np.meshgrid(*([grid] * len(variable)), indexing="ij"), axis=-1)   # (G,)*C + (C,)
    fields = (combos - offsets) @ np.linalg.inv(A).T                                      # fitted fields
    # fitted fields inside the grid's range (as on the grid of _grid_start): a combination on the diagonal of two
    # channels (B_so = 0 up to rounding) is no start
    valid = (np.all(fields >= grid[0] * (1 - 1e-9), axis=-1) & np.all(np.isfinite(fields), axis=-1)
             & np.all(np.isfinite(model_grid), axis=-1))
    if not valid.any():
        return None
    flat_model = model_grid.reshape(-1, absb.size)[valid.reshape(-1)]
    flat_fields = fields.reshape(-1, len(fitted))[valid.reshape(-1)]
    if "alpha" in names:   # alpha scales the model: a design matrix per grid point (one channel: G points)
        costs = np.empty(len(flat_model))
        for i, m in enumerate(flat_model):
            design = np.stack([m, *lin_cols], axis=1) / s[:, None]
            coef, *_ = np.linalg.lstsq(design, y / s, rcond=None)
            res = y / s - design @ coef
            costs[i] = res @ res
    else:
        R = (y - flat_model) / s
        costs = np.einsum("ij,ij->i", R, R)
        if lin:
            Q, _ = np.linalg.qr(np.stack(lin_cols, axis=1) / s[:, None])
            P = R @ Q
            costs = costs - np.einsum("ij,ij->i", P, P)
    costs = np.where(np.isfinite(costs), costs, np.inf)
    k = int(np.argmin(costs))
    if not np.isfinite(costs[k]):
        return None
    start = {n: float(v) for n, v in zip(fitted, flat_fields[k])}
    lin_all = (["alpha"] if "alpha" in names else []) + lin
    if lin_all:
        design = np.stack(([flat_model[k]] if "alpha" in names else []) + lin_cols, axis=1) / s[:, None]
        target = (y if "alpha" in names else y - flat_model[k]) / s
        coef, *_ = np.linalg.lstsq(design, target, rcond=None)
        start.update({n: float(c) for n, c in zip(lin_all, coef)})
    return start


def _min_nonzero_field(B):
    """Smallest non-zero |B| (the data contain at least one, checked before)."""
    a = np.abs(B)
    return float(a[a > 0].min())


@arguments.float64_range
def fit_magnetoconductance(B, delta_sigma, model: str = "hln", D: float | None = None, symmetrize: bool = False,
                           background: str | None = None, magnetic: bool = False, sigma=None,
                           p0: dict | None = None, width: float | None = None,
                           strict: bool = False, fixed: dict | None = None) -> FitResult:
    r"""Fit a magnetoconductance trace :math:`\Delta\sigma(B) = \sigma(B) - \sigma(0)`.

    Parameters
    ----------
    B : array_like
        Fields in tesla (either sign; the models are even in B).
    delta_sigma : array_like
        :math:`\Delta\sigma` in units of :math:`e^2/h` (per square in 2D).
    model : {"wl", "hln", "hln-alpha", "wire", "kawabata", "graphene", "ti-film"}
        See the module docstring for the parameters of each model.
    D : float, optional
        Diffusion constant (m²/s); when given, the result also holds the times
        :math:`\tau_x = \hbar/(4eDB_x)`. Lengths :math:`L_x = \sqrt{\hbar/(4eB_x)}` need no D and are
        always returned.
    symmetrize : bool
        Average the data over :math:`\pm B` before fitting (recommended for raw traces).
    background : {None, "offset", "quadratic", "offset+quadratic"}
        Additive background :math:`c_0` and/or :math:`c_2 B^2`.
    magnetic : bool
        Also fit the magnetic-impurity field ``B_mag`` (not for ``hln-alpha``).
    sigma : array_like or float, optional
        One-standard-deviation uncertainties of ``delta_sigma``; then the errors are absolute
        (not rescaled by :math:`\chi^2_{red}`).
    p0 : dict, optional
        Start values ``{name: value}`` (natural units); default: grid search.
    width : float, optional
        Wire width (m), required by the ``wire`` model.
    strict : bool
        Raise ``ValueError`` instead of returning a result with warnings.
    fixed : dict, optional
        ``{name: value}``: model parameters held fixed (natural units; fields in T); they are not fitted and
        not reported in ``params``.

    Returns
    -------
    FitResult
        ``params = {name: {"value", "stderr"}}``, ``chi2_red``, ``covariance``, ``correlation``,
        ``lengths``, ``times``, ``warnings``; ``as_dict()`` for JSON.

    Examples
    --------
    >>> import numpy as np, mesocorr
    >>> B = np.linspace(-0.05, 0.05, 41)
    >>> y = mesocorr.magnetoconductance(B, dim=2, D=0.01, phi=4e10, so=0, mag=0)
    >>> r = fit_magnetoconductance(B, y, model="wl", D=0.01)
    >>> round(r.times["tau_phi"]["value"] * 4e10, 6)
    1.0
    """
    arguments.choice("model", model, tuple(MODELS))
    arguments.choice("background", background, _BACKGROUNDS)
    symmetrize = arguments.boolean("symmetrize", symmetrize)
    magnetic = arguments.boolean("magnetic", magnetic)
    strict = arguments.boolean("strict", strict)
    if D is not None:
        D = arguments.positive("D", D)
    if magnetic and model in ("hln-alpha", *_DIRAC):
        raise ValueError(f"magnetic: the {model} model has no magnetic-impurity field; use wl or hln")
    warnings: list[str] = []
    B, y, s, dropped = _clean_inputs(B, delta_sigma, sigma, symmetrize, warnings)

    held = {} if fixed is None else dict(fixed)
    for n in held:
        if n not in MODELS[model]:
            raise ValueError(f"fixed: {n!r} is not a parameter of the {model} model ({', '.join(MODELS[model])})")
        held[n] = (arguments.nonnegative(f"fixed[{n}]", held[n]) if n.startswith("B_")
                   else arguments.as_real(f"fixed[{n}]", held[n]))
    names = [n for n in MODELS[model] if n not in held] + (["B_mag"] if magnetic else [])
    if background in ("offset", "offset+quadratic"):
        names.append("offset")
    if background in ("quadratic", "offset+quadratic"):
        names.append("quadratic")
    p = len(names)
    if B.size <= p:
        raise ValueError(f"data: need more finite points than fit parameters ({p}), got {B.size}")
    if not np.any(y != 0):
        raise ValueError("delta_sigma: all values are zero; there is nothing to fit")
    if not np.any(B != 0):
        raise ValueError("B: all fields are zero; the magnetoconductance is not resolved")

    # without sigma, residuals are measured in units of max|delta_sigma| internally (the optimizer's
    # tolerances are absolute); chi2 is reported in (e^2/h)^2, as sum of squared residuals
    data_scale = float(np.max(np.abs(y))) if sigma is None else 1.0
    s = s * data_scale
    kinds = {n: ("linear" if n in _LINEAR else "log") for n in names}
    bmin, bmax = _min_nonzero_field(B), float(np.max(np.abs(B)))
    span = BOUND_DECADES * math.log(10)
    bounds = {n: ((math.log(bmin) - span, math.log(bmax) + span) if kinds[n] == "log" else (-np.inf, np.inf))
              for n in names}
    free_model = model_function(model, magnetic=magnetic, width=width)
    # channel-sum models: prepared once (the public model's checks ran in model_function); 2D values without
    # the per-call checks, and the analytic Jacobian in the log-fields
    kernel = ChannelSum(CHANNEL_MODELS[model], width) if model in CHANNEL_MODELS else None
    absB = np.abs(B)

    def physical(Bv, pn):
        full = {**held, **pn}
        if kernel is not None and Bv is B:
            val = kernel.values(absB, full)
            if val is not None:
                return full["alpha"] * val if "alpha" in full else val
        return free_model(Bv, full)

    def natural(u):
        return {n: (math.exp(v) if kinds[n] == "log" else float(v)) for n, v in zip(names, u)}

    def full_model(Bv, pn):
        val = physical(Bv, pn)
        if "offset" in pn:
            val = val + pn["offset"]
        if "quadratic" in pn:
            val = val + pn["quadratic"] * Bv**2
        return val

    def residuals(u):
        r = (full_model(B, natural(u)) - y) / s
        if not np.all(np.isfinite(r)):
            raise ValueError("model: non-finite model values during the fit")
        return r

    def analytic_jacobian(u):
        """d residuals / d u (fitted coordinates: ln B for fields) from the closed-form channel derivatives, or
        None where they do not apply (the caller then uses finite differences)."""
        pn = natural(u)
        full = {**held, **pn}
        cols = kernel.log_columns(absB, full, [n for n in names if n in CHANNEL_FIELDS])
        if cols is None:
            return None
        J = np.empty((B.size, p))
        for j, n in enumerate(names):
            if n in cols:
                J[:, j] = full["alpha"] * cols[n] if "alpha" in full else cols[n]
            elif n == "alpha":
                J[:, j] = physical(B, {**pn, "alpha": 1.0})
            elif n == "offset":
                J[:, j] = 1.0
            else:   # quadratic
                J[:, j] = B**2
        J /= s[:, None]
        return J

    def central_jacobian(u):
        J = np.empty((B.size, p))
        for j in range(p):
            h = 1e-6 * max(1.0, abs(u[j]))
            up, um = u.copy(), u.copy()
            up[j] += h
            um[j] -= h
            J[:, j] = (residuals(up) - residuals(um)) / (2 * h)
        return J

    def jacobian(u):
        J = analytic_jacobian(u)
        return central_jacobian(u) if J is None else J

    # start values
    if p0 is not None:
        unknown = set(p0) - set(names)
        if unknown or set(names) - set(p0):
            raise ValueError(f"p0: give exactly the parameters {', '.join(names)}; got {', '.join(map(str, p0))}")
        start = {n: (arguments.positive(f"p0[{n}]", p0[n]) if kinds[n] == "log" else arguments.as_real(f"p0[{n}]", p0[n]))
                 for n in names}
    else:
        def shape_columns(logs):
            pn = {**logs}
            cols = {}
            if "alpha" in names:
                pn["alpha"] = 1.0
                cols["alpha"] = physical(B, pn)
                fixed = np.zeros_like(B)
            else:
                fixed = physical(B, pn)
            if "offset" in names:
                cols["offset"] = np.ones_like(B)
            if "quadratic" in names:
                cols["quadratic"] = B**2
            cols["_fixed"] = fixed
            return cols

        skip = None
        if model == "ilp" and "B_linear_1" in names and "B_linear_2" in names:
            def skip(logs):  # the model is symmetric under B_linear_1 <-> B_linear_2: half of the grid suffices
                return logs["B_linear_2"] > logs["B_linear_1"]
        start = _channel_grid_start(kernel, names, held, B, y, s) if kernel is not None else None
        if start is None:
            # the graphene trace has WL and WAL channels of comparable size: a finer grid avoids their false minima
            start = _grid_start(names, kinds, bounds, B, y, s, shape_columns, skip,
                                per=8 if model == "graphene" else None,
                                batched=model in ("wl", "hln", "hln-alpha", "wire", "kawabata"))
    u0 = np.array([math.log(start[n]) if kinds[n] == "log" else start[n] for n in names])
    lo = np.array([bounds[n][0] for n in names])
    hi = np.array([bounds[n][1] for n in names])
    u0 = np.clip(u0, lo + 1e-9 * (hi - lo), hi - 1e-9 * (hi - lo)) if np.all(np.isfinite(hi - lo)) else np.clip(u0, lo, hi)

    from scipy.optimize import least_squares
    from scipy.special import chdtrc, fdtrc

    sol = least_squares(residuals, u0, jac=jacobian if kernel is not None else "2-point", bounds=(lo, hi),
                        method="trf", x_scale="jac", xtol=1e-10, ftol=1e-10, gtol=1e-10, max_nfev=2000)
    if not sol.success:
        warnings.append(f"optimizer: did not converge ({sol.message})")
    u = sol.x
    r = sol.fun   # the residuals at sol.x (least_squares returns them: no extra model call)
    chi2_internal = float(r @ r)
    dof = int(B.size - p)
    chi2 = chi2_internal * data_scale**2
    chi2_red = chi2 / dof

    # Jacobian at the optimum (in the fitted coordinates): analytic for the channel-sum models (the one
    # least_squares evaluated at sol.x), else central differences
    J = np.array(sol.jac, dtype=float) if kernel is not None else central_jacobian(u)
    # column-scaled condition number (insensitive to the units of the parameters)
    norms = np.linalg.norm(J, axis=0)
    Js = J / np.where(norms > 0, norms, 1.0)
    svs = np.linalg.svd(Js, compute_uv=False)
    scaled_condition = float(svs[0] / svs[-1]) if svs[-1] > 0 and np.all(norms > 0) else float("inf")

    scale = chi2_internal / dof if sigma is None else 1.0
    singular = not np.isfinite(scaled_condition) or scaled_condition > 1e12
    if singular:
        cov_u = np.full((p, p), np.inf)
        warnings.append("identifiability: the Jacobian is singular; the parameters are not determined by the data "
                        "(standard errors set to inf)")
    else:
        if scaled_condition > CONDITION_LIMIT:
            warnings.append(f"identifiability: ill-conditioned Jacobian (condition number {scaled_condition:.3g})")
        Jinv = np.linalg.pinv(J)
        cov_u = (Jinv @ Jinv.T) * scale
    values = natural(u)
    deriv = np.array([values[n] if kinds[n] == "log" else 1.0 for n in names])
    with np.errstate(invalid="ignore"):
        cov = cov_u * np.outer(deriv, deriv)
        sd = np.sqrt(np.diag(cov))
        corr = cov_u / np.sqrt(np.outer(np.diag(cov_u), np.diag(cov_u)))
    if singular:
        cov = np.full((p, p), np.inf)
        corr = np.full((p, p), np.nan)
        sd = np.full(p, np.inf)

    params = {n: {"value": values[n], "stderr": float(sd[i])} for i, n in enumerate(names)}
    for i, n in enumerate(names):
        if kinds[n] == "log":
            params[n]["unit"] = "T"
            if u[i] - lo[i] < 1e-3 or hi[i] - u[i] < 1e-3:
                side = "lower" if u[i] - lo[i] < 1e-3 else "upper"
                warnings.append(f"{n}: at its {side} bound ({values[n]:.3g} T, {BOUND_DECADES:g} decades beyond the "
                                f"fields measured); not resolved by the data")
            elif not singular and math.sqrt(cov_u[i, i]) > 0.5:
                warnings.append(f"{n}: poorly determined (relative standard error {math.sqrt(cov_u[i, i]):.0%}); "
                                "the error is meaningful only for ln " + n)
        else:
            params[n]["unit"] = {"alpha": "1", "offset": "e^2/h", "quadratic": "e^2/h/T^2"}[n]
    if not singular:
        for i in range(p):
            for j in range(i + 1, p):
                if abs(corr[i, j]) > CORRELATION_LIMIT:
                    warnings.append(f"identifiability: |correlation({names[i]}, {names[j]})| = "
                                    f"{abs(corr[i, j]):.5f} > {CORRELATION_LIMIT}")
    # no signal: is the model any better than the best constant?
    wmean = float(np.sum(y / s**2) / np.sum(1.0 / s**2))
    chi2_const = float(np.sum(((y - wmean) / s) ** 2))
    if chi2_internal >= chi2_const:
        warnings.append(f"signal: the model fits no better than a constant (chi2 {chi2_internal:.4g} >= "
                        f"{chi2_const:.4g} of the mean); the parameters are not determined by the data")
    elif dof > 0 and chi2_internal > 0:
        F = ((chi2_const - chi2_internal) / p) / (chi2_internal / dof)
        p_signal = float(fdtrc(p, dof, F))   # the F distribution's survival function
        if p_signal > SIGNAL_P_VALUE:
            warnings.append(f"signal: the model is not significantly better than a constant (F-test p = "
                            f"{p_signal:.2g} > {SIGNAL_P_VALUE}); the data look like noise and the parameters "
                            "are not determined by them")
    if sigma is not None:
        pval = float(chdtrc(dof, chi2))   # the chi-square survival function
        if pval < 1e-3:
            warnings.append(f"goodness of fit: chi2_red = {chi2_red:.3g} (p = {pval:.2g}); the model does not describe "
                            "the data within sigma, so the errors are not trustworthy")

    lengths, times = {}, {}
    for n in names:
        if kinds[n] != "log":
            continue
        key = n[2:]
        v, e = params[n]["value"], params[n]["stderr"]
        L = float(field_to_length(v))
        lengths[f"L_{key}"] = {"value": L, "stderr": 0.5 * L * e / v}
        if D is not None:
            tau = 1.0 / float(field_to_rate(v, D))
            times[f"tau_{key}"] = {"value": tau, "stderr": tau * e / v}

    # physical consistency of the optimum (the model's own PhysicsWarnings, e.g. a wire wider than L_phi)
    with _warnings.catch_warnings(record=True) as caught:
        _warnings.simplefilter("always", PhysicsWarning)
        mc = _magnetoconductance()
        dim = {"wl": 2, "hln": 2, "hln-alpha": 2, "wire": 1, "kawabata": 3, "ilp": 2}.get(model, 2)
        if model != "ilp" and model not in _DIRAC:  # ILP: no regime check without B_transport; Dirac: fields only
            at = {**held, **values}
            # the checks depend on the largest |B| only: one field instead of the whole trace
            mc(float(B[np.argmax(absB)]), dim=dim, D=1.0, so=float(field_to_rate(at["B_so"])) if "B_so" in at else 0.0,
               mag=float(field_to_rate(at["B_mag"])) if "B_mag" in at else 0.0,
               phi=float(field_to_rate(at["B_phi"])), **({"width": width} if model == "wire" else {}))
    for w in caught:
        if issubclass(w.category, PhysicsWarning):
            message = str(w.message).replace("phi: ", "B_phi: ", 1).replace(", phi:", ", B_phi:", 1)
            warnings.append(message)
            warn_inconsistent(message)

    if strict and warnings:
        raise ValueError("fit: " + "; ".join(warnings))
    return FitResult(model=model, params=params, chi2=chi2, dof=dof, chi2_red=chi2_red, covariance=cov,
                     correlation=corr, param_names=names, stderr_scaled=sigma is None, warnings=warnings,
                     lengths=lengths, times=times, n_points=int(B.size), n_dropped=dropped,
                     condition_number=scaled_condition, message=str(sol.message), B=B, delta_sigma=y,
                     _predict=lambda Bv: full_model(Bv, values))
