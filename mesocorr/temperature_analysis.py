r"""Temperature analysis of a 2D conductor: separate weak localization from the interaction correction, get
:math:`\tau_\phi(T)`, :math:`F_0^\sigma` and the spin-orbit field from ONE global fit.

:func:`fit_temperature_series` fits, with shared parameters, (i) :math:`\sigma(T)` at zero field, (ii)
:math:`\sigma(T)` at a field :math:`B_{hi}` that suppresses weak localization, (iii) magnetoconductance traces
:math:`\Delta\sigma(B)` at several temperatures. Model (units :math:`e^2/h` per square, T in K, fields in T):

.. math::
    \sigma_0(T) &= c_0 + A(F_0^\sigma)\ln T + \delta\sigma_{WL}(0;T)\\
    \sigma_{hi}(T) &= c_{hi} + A(F_0^\sigma)\ln T + \delta\sigma_{WL}(0;T) + \Delta\sigma_{WL}(B_{hi};T)
                     + \delta\sigma_Z(B_{hi},T)\\
    \Delta\sigma_k(B) &= \Delta\sigma_{WL}(B;T_k) + \delta\sigma_Z(B,T_k) + c_2B^2

* interaction (:mod:`mesocorr.interaction`): :math:`A = \tfrac1\pi(1-\tfrac34\tilde F_2(F_0^\sigma))`; the constant
  :math:`A\ln(k_B\,\mathrm{1\,K}\,\tau/\hbar)` is absorbed in the offsets; Zeeman
  :math:`\delta\sigma_Z = -\tfrac1{2\pi}\tilde F_2\,g_2(|g|\mu_BB/k_BT)` (only with ``g_factor``);
* weak localization: the Cooperon channels of :func:`mesocorr.channels` with :math:`B_\phi(T)` and the isotropic
  spin-orbit field :math:`B_{so}` (triplet field :math:`B_\phi+\tfrac43B_{so}`), :math:`\Delta\sigma_{WL}` =
  :func:`mesocorr.magnetoconductance` (HLN), :math:`\delta\sigma_{WL}(0;T) = -\tfrac{s}{2\pi}\sum_cw_c
  \ln(1+B_\tau/B_c)` with ``elastic_time``, else its limit :math:`\tfrac{s}{2\pi}\sum_cw_c\ln(B_c/1\,T)` (the
  :math:`\ln B_\tau` constant absorbed in the offsets);
* dephasing law (``law``, terms joined by "+"): :math:`B_\phi(T) = B_{sat} + A_{ee}T^{p_{ee}} + A_{ph}T^{p_{ph}}`
  with the terms ``"sat"``, ``"ee"`` (default :math:`p_{ee} = 1`, AAK in 2D), ``"ph"`` (default :math:`p_{ph} = 3`);
  exponents fixed unless listed in ``free_exponents``. :math:`\tau_\phi = \hbar/(4eDB_\phi)` with ``D``.
  Offsets :math:`c_0`, :math:`c_{hi}` differ by the classical magnetoresistance and the residual WL at
  :math:`B_{hi}` (``common_offset=True`` ties them).

Not in the model: the Zeeman term of the Cooperon (Maekawa-Fukuyama, :func:`mesocorr.magnetoconductance` with
``g_factor``); with strong spin-orbit it adds the singlet dephasing field :math:`B_Z^2/(4B_{so}/3)`,
:math:`B_Z = |g|\mu_BB/4eD`, negligible when that is small against :math:`\max(B, B_\phi)` (``docs/conventions.md``).

Statistics follow :func:`mesocorr.fit_magnetoconductance`: bounded :func:`scipy.optimize.least_squares` (trf) in
fitted coordinates (log of positive fields, :math:`\ln(1+F_0^\sigma)`), central-difference Jacobian at the optimum,
:math:`C = (J^TJ)^{-1}` propagated by the delta method. Uncertainties: given per dataset they are absolute; missing
ones are estimated per dataset (the :math:`\sigma_0` series, the :math:`\sigma_{hi}` series, each trace) from the
residuals of a first unweighted fit, and the fit is repeated with those weights (then :math:`\chi^2_{red}\approx1`
by construction and the errors are scaled by it). Start values: HLN fits of each trace
(:func:`mesocorr.fit_magnetoconductance`), a non-negative least-squares fit of the law to their :math:`B_\phi`, and
a grid over :math:`F_0^\sigma` with the offsets solved linearly.

References
----------
.. [HLN80] S. Hikami, A. I. Larkin, Y. Nagaoka, Prog. Theor. Phys. 63, 707 (1980).
.. [LR85] P. A. Lee, T. V. Ramakrishnan, Rev. Mod. Phys. 57, 287 (1985), Sec. III.
.. [AAK82] B. L. Altshuler, A. G. Aronov, D. E. Khmelnitsky, J. Phys. C 15, 7367 (1982).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from fractions import Fraction
from functools import cache

import numpy as np

from mesocorr import arguments
from mesocorr.fitting import FittedParameters, finite_or_none
from mesocorr.integrals.derived_constants import (COOPERON_CHANNELS, WL_SHAPE_COEFFICIENTS, WL_ZERO_FIELD,
                                                  monomial_float)
from mesocorr.interaction import zeeman_reduced_field
from mesocorr.units import E_CHARGE, HBAR

#: spin degeneracy of the film (the WL closed forms carry s)
SPIN_DEGENERACY = 2

__all__ = ["fit_temperature_series", "TemperatureFitResult", "LAW_TERMS", "DEFAULT_EXPONENTS"]

LAW_TERMS = ("sat", "ee", "ph")
DEFAULT_EXPONENTS = {"p_ee": 1.0, "p_ph": 3.0}
_AMPLITUDE = {"sat": "B_sat", "ee": "A_ee", "ph": "A_ph"}
_CORRELATION_LIMIT = 0.999
_CONDITION_LIMIT = 1e8
_MAX_POINTS = 200_000
_F0_BOUNDS = (math.log(0.05), math.log(20.0))  # u = ln(1 + F0): -0.95 < F0 < 19
_P_BOUNDS = (0.05, 8.0)


@dataclass
class TemperatureFitResult(FittedParameters):
    """Result of :func:`fit_temperature_series` (``as_dict()`` gives the JSON form)."""

    params: dict
    param_names: list
    covariance: np.ndarray
    correlation: np.ndarray
    chi2: float
    dof: int
    chi2_red: float
    B_phi: dict
    tau_phi: dict
    F_tilde: dict
    noise: dict
    warnings: list = field(default_factory=list)
    n_points: int = 0
    law: str = ""
    message: str = ""
    _model: dict = field(default=None, repr=False)

    def sigma_zero_model(self, T) -> np.ndarray:
        """Fitted sigma(T) at zero field (e^2/h per square)."""
        return self._model["sigma_zero"](np.asarray(T, dtype=float))

    def sigma_high_model(self, T) -> np.ndarray:
        """Fitted sigma(T) at B_high (e^2/h per square)."""
        return self._model["sigma_high"](np.asarray(T, dtype=float))

    def trace_model(self, T: float, B) -> np.ndarray:
        """Fitted Delta sigma(B) at temperature T (e^2/h per square)."""
        return self._model["trace"](float(T), np.asarray(B, dtype=float))

    def B_phi_law(self, T) -> tuple[np.ndarray, np.ndarray]:
        """The fitted law B_phi(T) (tesla) and its standard error (delta method) at temperatures T."""
        return self._model["B_phi_band"](np.asarray(T, dtype=float))

    def as_dict(self) -> dict:
        """JSON form; a number the data do not determine (an infinite standard error, the correlations of a
        singular fit) is ``None`` (JSON ``null``), never NaN or inf (as :meth:`mesocorr.FitResult.as_dict`)."""
        return finite_or_none({"params": self.params, "param_names": list(self.param_names),
                "covariance": np.asarray(self.covariance).tolist(), "correlation": np.asarray(self.correlation).tolist(),
                "chi2": self.chi2, "dof": self.dof, "chi2_red": self.chi2_red, "B_phi": self.B_phi,
                "tau_phi": self.tau_phi, "F_tilde": self.F_tilde, "noise": self.noise, "warnings": list(self.warnings),
                "n_points": self.n_points, "law": self.law,
                "unit": {"sigma": "e^2/h", "B": "T", "T": "K", "tau_phi": "s"}})


def _array(name, value, n=None):
    arr = np.asarray(value, dtype=float)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name}: expected a non-empty one-dimensional array")
    if n is not None and arr.size != n:
        raise ValueError(f"{name}: length {arr.size} differs from the length of T_sigma ({n})")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name}: values must be finite")
    return arr


def _errors(name, value, n):
    if value is None:
        return None
    arr = np.broadcast_to(np.asarray(value, dtype=float), (n,)).astype(float)
    if not np.all(np.isfinite(arr)) or np.any(arr <= 0):
        raise ValueError(f"{name}: uncertainties must be finite and positive")
    return arr


def _parse_traces(traces):
    out = []
    if isinstance(traces, (str, bytes)):
        raise TypeError("traces: expected a sequence of (T, B, delta_sigma[, sigma]) or dicts")
    for i, tr in enumerate(traces):
        if isinstance(tr, dict):
            T, B, y, e = tr.get("T"), tr.get("B"), tr.get("delta_sigma"), tr.get("sigma")
        else:
            tr = tuple(tr)
            if len(tr) not in (3, 4):
                raise ValueError(f"traces[{i}]: expected (T, B, delta_sigma[, sigma])")
            T, B, y, e = (*tr, None) if len(tr) == 3 else tr
        T = arguments.positive(f"traces[{i}].T", T)
        B = _array(f"traces[{i}].B", B)
        y = _array(f"traces[{i}].delta_sigma", y, None)
        if y.size != B.size:
            raise ValueError(f"traces[{i}].delta_sigma: length {y.size} differs from B ({B.size})")
        if not np.any(B != 0):
            raise ValueError(f"traces[{i}].B: all fields are zero")
        out.append((T, np.abs(B), y, _errors(f"traces[{i}].sigma", e, B.size)))
    return out


def fit_temperature_series(T_sigma=None, sigma_zero=None, sigma_high=None, *, B_high: float | None = None,
                           traces=(), law: str = "ee+sat", free_exponents=(), exponents: dict | None = None,
                           spin_orbit: bool = True, g_factor: float | None = None, D: float | None = None,
                           elastic_time: float | None = None,
                           sigma_zero_err=None, sigma_high_err=None, background: str | None = None,
                           common_offset: bool = False, fixed: dict | None = None, p0: dict | None = None,
                           strict: bool = False) -> TemperatureFitResult:
    r"""Global fit of :math:`\sigma(T)` at zero and high field and of :math:`\Delta\sigma(B)` traces (2D, e²/h per
    square); see the module docstring for the model.

    Parameters
    ----------
    T_sigma : array_like
        Temperatures (K) of the conductance series.
    sigma_zero, sigma_high : array_like
        :math:`\sigma(T)` at B = 0 and at ``B_high`` (e²/h per square; absolute values, any offset).
        ``sigma_high`` optional (needs ``B_high``, tesla).
    B_high : float, optional
        Field (tesla) of the ``sigma_high`` series.
    traces : sequence
        ``(T, B, delta_sigma)`` or ``(T, B, delta_sigma, sigma)`` tuples or dicts with those keys;
        :math:`\Delta\sigma = \sigma(B)-\sigma(0)` in e²/h, B in T (sign ignored). At least one.
    law : str
        Terms of :math:`B_\phi(T)` joined by "+": ``"sat"``, ``"ee"``, ``"ph"`` (e.g. ``"ee+ph+sat"``).
    free_exponents : sequence of {"p_ee", "p_ph"}
        Exponents fitted instead of fixed.
    exponents : dict, optional
        Fixed values of ``p_ee`` and ``p_ph`` (default 1 and 3).
    spin_orbit : bool
        Fit the isotropic spin-orbit field ``B_so`` (else pure weak localization).
    g_factor : float, optional
        Include the Zeeman term of the triplet Diffusons (:math:`|g|\mu_BB/k_BT`).
    D : float, optional
        Diffusion constant (m²/s): also report :math:`\tau_\phi(T)`.
    elastic_time : float, optional
        :math:`\tau` (s, needs ``D``): the zero-field WL uses the exact
        :math:`-\tfrac{s}{2\pi}\sum_cw_c\ln(1+B_\tau/B_c)`, :math:`B_\tau = \hbar/4eD\tau`, instead of its
        :math:`B_c \ll B_\tau` limit (matters when :math:`B_\phi(T)` is not small compared to :math:`B_\tau`).
    sigma_zero_err, sigma_high_err : array_like or float, optional
        Uncertainties of the series (e²/h); traces carry theirs as a fourth element.
    background : {None, "quadratic"}
        A shared :math:`c_2B^2` in every trace (classical magnetoresistance), parameter ``quadratic``.
    common_offset : bool
        One offset for both series.
    fixed : dict, optional
        Parameters held at given values (natural units), e.g. ``{"F0_sigma": -0.2}``.
    p0 : dict, optional
        Start values for some or all free parameters (natural units).
    strict : bool
        Raise ``ValueError`` instead of returning a result with warnings.

    Returns
    -------
    TemperatureFitResult
        ``params`` (value, stderr, unit), ``correlation``, ``covariance``, ``B_phi`` and ``tau_phi`` at each trace
        temperature (value, stderr), ``F_tilde`` (value, stderr), ``noise`` (per dataset), ``chi2_red``,
        ``warnings``; model functions ``sigma_zero_model``, ``sigma_high_model``, ``trace_model``, ``B_phi_law``.

    Examples
    --------
    Four noise-free HLN traces with :math:`B_\phi(T) = 0.2\,\mathrm{mT} + 1\,\mathrm{mT/K}\times T`:

    >>> import numpy as np, mesocorr
    >>> from mesocorr.units import E_CHARGE, HBAR
    >>> D, B = 0.01, np.linspace(1e-3, 0.05, 30)
    >>> def rate(Bx):
    ...     return 4 * E_CHARGE * D * Bx / HBAR
    >>> traces = [(T, B, mesocorr.magnetoconductance(B, D=D, phi=rate(2e-4 + 1e-3 * T))) for T in (0.5, 1, 2, 4)]
    >>> r = fit_temperature_series(traces=traces, law="sat+ee", spin_orbit=False)
    >>> r.ok, f"{r.value('B_sat'):.6g}", f"{r.value('A_ee'):.6g}"
    (True, '0.0002', '0.001')
    """
    from scipy.optimize import least_squares, nnls

    from mesocorr.integrals.interaction import f_tilde as ft_num
    from mesocorr.integrals.interaction import zeeman_g

    warnings: list[str] = []
    terms = _law_terms(law)
    exps = dict(DEFAULT_EXPONENTS)
    for k, v in (exponents or {}).items():
        arguments.choice("exponents", k, tuple(DEFAULT_EXPONENTS))
        exps[k] = arguments.positive(f"exponents[{k}]", v)
    if isinstance(free_exponents, (str, bytes)):
        free_exponents = (free_exponents,)
    free_exponents = tuple(free_exponents)
    for k in free_exponents:
        arguments.choice("free_exponents", k, tuple(DEFAULT_EXPONENTS))
        if k[2:] not in terms:
            raise ValueError(f"free_exponents: {k} needs the term {k[2:]!r} in the law")
    arguments.choice("background", background, (None, "quadratic"))
    spin_orbit = arguments.boolean("spin_orbit", spin_orbit)
    common_offset = arguments.boolean("common_offset", common_offset)
    strict = arguments.boolean("strict", strict)
    gval = None if g_factor is None else arguments.as_real("g_factor", g_factor)
    Dv = arguments.positive_or_none("D", D)
    tau = arguments.positive_or_none("elastic_time", elastic_time)
    if tau is not None and Dv is None:
        raise TypeError("D: elastic_time needs the diffusion constant D to give B_tau = hbar/(4 e D tau)")
    B_tau = None if tau is None else HBAR / (4 * E_CHARGE * Dv * tau)

    # ---- data
    have_series = T_sigma is not None
    if have_series:
        Ts = _array("T_sigma", T_sigma)
        if np.any(Ts <= 0):
            raise ValueError("T_sigma: temperatures must be positive (K)")
        if sigma_zero is None and sigma_high is None:
            raise ValueError("sigma_zero: T_sigma given without sigma_zero or sigma_high")
        s0 = None if sigma_zero is None else _array("sigma_zero", sigma_zero, Ts.size)
        shi = None if sigma_high is None else _array("sigma_high", sigma_high, Ts.size)
        if shi is not None and B_high is None:
            raise TypeError("B_high: sigma_high needs the field B_high (tesla) at which it was measured")
        e0 = _errors("sigma_zero_err", sigma_zero_err, Ts.size)
        ehi = _errors("sigma_high_err", sigma_high_err, Ts.size)
    else:
        if sigma_zero is not None or sigma_high is not None:
            raise TypeError("T_sigma: the conductance series need their temperatures T_sigma")
        Ts = s0 = shi = e0 = ehi = None
    Bhi = None if B_high is None else abs(arguments.as_real("B_high", B_high))
    trs = _parse_traces(traces)
    if not trs:
        raise ValueError("traces: at least one magnetoconductance trace is needed to resolve B_phi(T)")
    n_points = sum(t[1].size for t in trs) + (0 if s0 is None else s0.size) + (0 if shi is None else shi.size)
    if n_points > _MAX_POINTS:
        raise ValueError(f"traces: {n_points} points exceed the cap of {_MAX_POINTS}")

    # ---- parameters
    names = []
    if s0 is not None:
        names.append("sigma_offset_0")
    if shi is not None and not (common_offset and s0 is not None):
        names.append("sigma_offset_high")
    interaction = s0 is not None or shi is not None or gval is not None
    if interaction:
        names.append("F0_sigma")
    if spin_orbit:
        names.append("B_so")
    names += [_AMPLITUDE[t] for t in terms]
    names += [k for k in ("p_ee", "p_ph") if k in free_exponents]
    if background == "quadratic":
        names.append("quadratic")
    kinds = {n: ("log" if n in ("B_so", "B_sat", "A_ee", "A_ph") else "f0" if n == "F0_sigma" else
                 "linear") for n in names}
    fixed = dict(fixed or {})
    for k, v in fixed.items():
        if k not in names:
            raise ValueError(f"fixed: unknown parameter {k!r}; parameters are {', '.join(names)}")
        fixed[k] = arguments.as_real(f"fixed[{k}]", v)
        if kinds[k] == "log" and fixed[k] <= 0:
            raise ValueError(f"fixed[{k}]: must be positive")
    free = [n for n in names if n not in fixed]
    if len(free) >= n_points:
        raise ValueError(f"data: {n_points} points for {len(free)} free parameters")

    def to_u(n, v):
        return math.log(v) if kinds[n] == "log" else math.log1p(v) if kinds[n] == "f0" else float(v)

    def from_u(n, u):
        return math.exp(u) if kinds[n] == "log" else math.expm1(u) if kinds[n] == "f0" else float(u)

    # ---- model pieces (vectorised over temperatures; coefficients derived in mesocorr.symbolic.wl)
    chans = _wl_channels(spin_orbit)
    c_mc, c_zero = _wl_coefficients()
    from mesocorr.integrals.hln import hln_f

    def b_phi_of(T, p):
        T = np.asarray(T, dtype=float)
        out = np.zeros_like(T)
        if "sat" in terms:
            out = out + p["B_sat"]
        if "ee" in terms:
            out = out + p["A_ee"] * T ** p.get("p_ee", exps["p_ee"])
        if "ph" in terms:
            out = out + p["A_ph"] * T ** p.get("p_ph", exps["p_ph"])
        return out

    def fields(bphi, p):
        bso = p["B_so"] if spin_orbit else 0.0
        return [(w, a * bphi + b * bso) for w, a, b in chans]

    def wl_zero(bphi, p):
        if B_tau is None:  # tau -> 0 limit: -c_zero sum_c w_c ln(B_c / 1 T), the ln B_tau constant in the offsets
            return -c_zero * sum(w * np.log(bc) for w, bc in fields(bphi, p))
        return c_zero * sum(w * np.log1p(B_tau / bc) for w, bc in fields(bphi, p))  # -(s/2pi) w ln(1 + B_tau/B_c)

    def wl_mc(Bv, bphi, p):  # HLN: s/(2 pi) sum_c w_c F(B/B_c)
        return c_mc * sum(w * hln_f(np.asarray(Bv) / bc) for w, bc in fields(bphi, p))

    def zeeman(Bv, T, Ft):
        if gval is None:
            return 0.0
        return -Ft / (2 * math.pi) * zeeman_g(2, zeeman_reduced_field(gval, Bv, T))

    def series(T, p, which):
        Ft = float(ft_num(2, p["F0_sigma"])) if interaction else 0.0
        A = (1 - 0.75 * Ft) / math.pi
        bph = b_phi_of(T, p)
        base = A * np.log(T) + wl_zero(bph, p)
        if which == "sigma_zero":
            return p["sigma_offset_0"] + base
        off = p["sigma_offset_0"] if "sigma_offset_high" not in p else p["sigma_offset_high"]
        return off + base + wl_mc(Bhi, bph, p) + zeeman(Bhi, T, Ft)

    def trace(T, Bv, p):
        Ft = float(ft_num(2, p["F0_sigma"])) if interaction else 0.0
        val = wl_mc(Bv, float(b_phi_of(T, p)), p) + zeeman(Bv, T, Ft)
        return val + p["quadratic"] * Bv**2 if "quadratic" in p else val

    # all trace points concatenated: one HLN and one Zeeman evaluation per channel for every trace at once
    B_all = np.concatenate([t[1] for t in trs])
    T_all = np.concatenate([np.full(t[1].size, t[0]) for t in trs])
    cuts = np.cumsum([t[1].size for t in trs])[:-1]

    def pieces(p):
        """Model values of every dataset for natural parameters p."""
        out = {}
        if s0 is not None:
            out["sigma_zero"] = series(Ts, p, "sigma_zero")
        if shi is not None:
            out["sigma_high"] = series(Ts, p, "sigma_high")
        Ft = float(ft_num(2, p["F0_sigma"])) if interaction else 0.0
        val = wl_mc(B_all, b_phi_of(T_all, p), p) + zeeman(B_all, T_all, Ft)
        if "quadratic" in p:
            val = val + p["quadratic"] * B_all**2
        for k, part in enumerate(np.split(val, cuts)):
            out[k] = part
        return out

    keys = ([] if s0 is None else ["sigma_zero"]) + ([] if shi is None else ["sigma_high"]) + list(range(len(trs)))
    data = {"sigma_zero": s0, "sigma_high": shi, **{k: trs[k][2] for k in range(len(trs))}}
    given = {"sigma_zero": e0, "sigma_high": ehi, **{k: trs[k][3] for k in range(len(trs))}}
    label = {"sigma_zero": "sigma_zero", "sigma_high": "sigma_high", **{k: f"trace[{k}] (T = {trs[k][0]:g} K)"
                                                                        for k in range(len(trs))}}

    def natural(u):
        p = dict(fixed)
        p.update({n: from_u(n, v) for n, v in zip(free, u)})
        return p

    allv = np.concatenate([data[k] for k in keys])
    spread = float(np.max(np.abs(np.concatenate([data[k] - np.mean(data[k]) for k in keys]))))
    # flat data (no field or temperature dependence) must not give residuals beyond float64: floor the scale
    scale_y = max(spread, 1e-15 * float(np.max(np.abs(allv))), 1e-100)
    # first pass: missing uncertainties replaced by one common scale (residuals of order one for the optimizer)
    weights = {k: (given[k] if given[k] is not None else np.full(data[k].size, scale_y)) for k in keys}

    def residuals(u, w):
        m = pieces(natural(u))
        r = np.concatenate([(m[k] - data[k]) / w[k] for k in keys])
        if not np.all(np.isfinite(r)):
            raise ValueError("model: non-finite model values during the fit")
        return r

    # ---- start values
    start = _start_values(trs, terms, exps, spin_orbit, names, fixed, p0, kinds, nnls)
    lin = [n for n in ("sigma_offset_0", "sigma_offset_high", "quadratic") if n in free]
    best = None
    f0_grid = [start.get("F0_sigma", 0.0)] if ("F0_sigma" not in free or (p0 and "F0_sigma" in p0)) else \
        [-0.5, -0.3, -0.15, 0.0, 0.3]
    for f0 in f0_grid:
        trial = dict(start)
        if "F0_sigma" in free:
            trial["F0_sigma"] = f0
        trial = _solve_linear(trial, lin, pieces, keys, data, weights)  # offsets and c2 enter linearly
        uu = np.array([to_u(n, trial[n]) for n in free])
        with np.errstate(over="ignore"):  # an infinite cost is only a worse start
            cost = float(np.sum(residuals(uu, weights) ** 2))
        if best is None or cost < best[0]:
            best = (cost, trial)
    start = best[1]

    lo = np.array([_bound(n, kinds, 0, start) for n in free])
    hi = np.array([_bound(n, kinds, 1, start) for n in free])
    u0 = np.clip(np.array([to_u(n, start[n]) for n in free]), lo + 1e-9, hi - 1e-9)

    def solve(u_start, w):
        return least_squares(residuals, u_start, bounds=(lo, hi), method="trf", x_scale="jac", args=(w,),
                             xtol=1e-10, ftol=1e-10, gtol=1e-10, max_nfev=3000)

    sol = solve(u0, weights)
    noise = {}
    missing = any(given[k] is None for k in keys)
    if missing:  # second pass: each dataset weighted by its own noise level, estimated from the residuals
        # residual variance of dataset k: RSS_k / (n_k - sum of its leverages) (hat matrix of the Jacobian)
        qmat, _ = np.linalg.qr(_jacobian(lambda v: residuals(v, weights), sol.x))
        leverage = np.sum(qmat**2, axis=1)
        pos = 0
        for k in keys:
            n = data[k].size
            if given[k] is None:
                rk = sol.fun[pos:pos + n] * weights[k]
                big = float(np.max(np.abs(rk)))  # scaled sum of squares: no overflow for huge data
                rss = float(np.sum((rk / big) ** 2)) if big > 0 else 0.0
                n_eff = max(n - float(np.sum(leverage[pos:pos + n])), 0.5)
                sd = max(big * math.sqrt(rss / n_eff), 1e-300)
                weights[k] = np.full(n, sd)
                noise[label[k]] = {"value": sd, "estimated": True}
            else:
                noise[label[k]] = {"value": float(np.median(given[k])), "estimated": False}
            pos += n
        sol = solve(sol.x, weights)
    else:
        noise = {label[k]: {"value": float(np.median(given[k])), "estimated": False} for k in keys}
    ws = weights
    if not sol.success:
        warnings.append(f"optimizer: did not converge ({sol.message})")
    u = sol.x
    r = residuals(u, ws)
    chi2 = float(r @ r)
    dof = n_points - len(free)
    chi2_red = chi2 / dof
    scale = chi2_red if missing else 1.0

    # ---- covariance (central-difference Jacobian in fitted coordinates)
    J = _jacobian(lambda v: residuals(v, ws), u)
    norms = np.linalg.norm(J, axis=0)
    svs = np.linalg.svd(J / np.where(norms > 0, norms, 1.0), compute_uv=False)
    cond = float(svs[0] / svs[-1]) if svs[-1] > 0 and np.all(norms > 0) else math.inf
    if not math.isfinite(cond) or cond > 1e12:
        cov_u = np.full((len(free), len(free)), np.inf)
        warnings.append("identifiability: the Jacobian is singular; parameters not determined (stderr inf)")
        corr = np.full((len(free), len(free)), np.nan)
    else:
        if cond > _CONDITION_LIMIT:
            warnings.append(f"identifiability: ill-conditioned Jacobian (condition number {cond:.3g})")
        Jinv = np.linalg.pinv(J)
        cov_u = Jinv @ Jinv.T * scale
        sd_u = np.sqrt(np.diag(cov_u))
        corr = cov_u / np.outer(sd_u, sd_u)
    values = natural(u)
    deriv = np.array([values[n] if kinds[n] == "log" else (1 + values[n]) if kinds[n] == "f0" else 1.0 for n in free])
    cov = cov_u * np.outer(deriv, deriv)
    sd = np.sqrt(np.abs(np.diag(cov)))
    units = {"sigma_offset_0": "e^2/h", "sigma_offset_high": "e^2/h", "F0_sigma": "1", "B_so": "T", "B_sat": "T",
             "A_ee": "T/K^p_ee", "A_ph": "T/K^p_ph", "p_ee": "1", "p_ph": "1", "quadratic": "e^2/h/T^2"}
    params = {}
    for i, n in enumerate(free):
        params[n] = {"value": values[n], "stderr": float(sd[i]), "unit": units[n]}
        if u[i] - lo[i] < 1e-4 or hi[i] - u[i] < 1e-4:
            warnings.append(f"{n}: at its {'lower' if u[i] - lo[i] < 1e-4 else 'upper'} bound; not resolved by the data")
    for n in fixed:
        params[n] = {"value": fixed[n], "stderr": 0.0, "unit": units[n], "fixed": True}
    for i in range(len(free)):
        for j in range(i + 1, len(free)):
            if np.isfinite(corr[i, j]) and abs(corr[i, j]) > _CORRELATION_LIMIT:
                warnings.append(f"identifiability: |correlation({free[i]}, {free[j]})| = {abs(corr[i, j]):.5f}")

    def gradient(fun):
        """d fun(natural(u)) / du by central differences."""
        g = np.empty(len(free))
        for j in range(len(free)):
            h = 1e-6 * max(1.0, abs(u[j]))
            up, um = u.copy(), u.copy()
            up[j] += h
            um[j] -= h
            g[j] = (fun(natural(up)) - fun(natural(um))) / (2 * h)
        return g

    def band(T):
        Tarr = np.atleast_1d(T)
        val = b_phi_of(Tarr, values)
        err = np.array([math.sqrt(max(float(gg @ cov_u @ gg), 0.0)) if np.all(np.isfinite(cov_u)) else math.inf
                        for gg in (gradient(lambda p, t=t: float(b_phi_of(t, p))) for t in Tarr)])
        return val, err

    bph = {}
    tph = {}
    for T, *_ in trs:
        v, e = band(np.array([T]))
        bph[f"{T:g}"] = {"T": T, "value": float(v[0]), "stderr": float(e[0])}
        if Dv is not None:
            tau = HBAR / (4 * E_CHARGE * Dv * float(v[0]))
            tph[f"{T:g}"] = {"T": T, "value": tau, "stderr": tau * float(e[0]) / float(v[0])}
    if interaction:
        gF = gradient(lambda p: float(ft_num(2, p["F0_sigma"])))
        Ft_val = float(ft_num(2, values["F0_sigma"]))
        Ft = {"value": Ft_val, "stderr": math.sqrt(max(float(gF @ cov_u @ gF), 0.0)) if np.all(np.isfinite(cov_u))
              else math.inf}
    else:
        Ft = {"value": None, "stderr": None}
    if strict and warnings:
        raise ValueError("fit: " + "; ".join(warnings))

    def model_sigma(which):
        return lambda T: series(np.asarray(T, dtype=float), values, which)

    def model_trace(T, Bv):
        return trace(T, np.abs(Bv), values)

    return TemperatureFitResult(params=params, param_names=list(free), covariance=cov, correlation=corr, chi2=chi2,
                                dof=dof, chi2_red=chi2_red, B_phi=bph, tau_phi=tph, F_tilde=Ft, noise=noise,
                                warnings=warnings, n_points=n_points, law="+".join(terms), message=str(sol.message),
                                _model={"sigma_zero": model_sigma("sigma_zero"), "sigma_high": model_sigma("sigma_high"),
                                        "trace": model_trace, "B_phi_band": band})


def _law_terms(law) -> tuple:
    if not isinstance(law, str):
        raise TypeError("law: expected a string such as 'ee+sat'")
    terms = tuple(t.strip() for t in law.split("+"))
    if not terms or any(t not in LAW_TERMS for t in terms) or len(set(terms)) != len(terms):
        raise ValueError(f"law: terms must be distinct and among {', '.join(LAW_TERMS)} joined by '+', got {law!r}")
    return terms


def _jacobian(fun, u) -> np.ndarray:
    r0 = fun(u)
    J = np.empty((r0.size, u.size))
    for j in range(u.size):
        h = 1e-6 * max(1.0, abs(u[j]))
        up, um = u.copy(), u.copy()
        up[j] += h
        um[j] -= h
        J[:, j] = (fun(up) - fun(um)) / (2 * h)
    return J


def _bound(n, kinds, side, start):
    if kinds[n] == "log":
        c = math.log(start[n])
        return c - 6 * math.log(10) if side == 0 else c + 6 * math.log(10)
    if kinds[n] == "f0":
        return _F0_BOUNDS[side]
    if n in ("p_ee", "p_ph"):
        return _P_BOUNDS[side]
    return -np.inf if side == 0 else np.inf


def _solve_linear(trial, lin, pieces, keys, data, weights):
    """Offsets and c2 enter linearly: solve them by weighted least squares with the others held."""
    if not lin:
        return trial
    base = dict(trial)
    for n in lin:
        base[n] = 0.0
    m0 = pieces(base)
    cols = []
    for n in lin:
        t = dict(base)
        t[n] = 1.0
        m1 = pieces(t)
        cols.append(np.concatenate([(m1[k] - m0[k]) / weights[k] for k in keys]))
    A = np.stack(cols, axis=1)
    y = np.concatenate([(data[k] - m0[k]) / weights[k] for k in keys])
    coef, *_ = np.linalg.lstsq(A, y, rcond=None)
    out = dict(trial)
    out.update({n: float(c) for n, c in zip(lin, coef)})
    return out


def _start_values(trs, terms, exps, spin_orbit, names, fixed, p0, kinds, nnls):
    """Per-trace HLN fits -> B_phi(T_k), B_so; NNLS of the law on them; user p0 and fixed values override."""
    from mesocorr.fitting import fit_magnetoconductance

    Tk, Bk, Bso = [], [], []
    for T, B, y, e in trs:
        try:
            r = fit_magnetoconductance(B, y, model="hln" if spin_orbit else "wl", sigma=e,
                                       background=None)
            Tk.append(T)
            Bk.append(r.value("B_phi"))
            if spin_orbit:
                Bso.append(r.value("B_so"))
        except (ValueError, ArithmeticError):
            continue
    start = {}
    if Bk:
        Tk, Bk = np.array(Tk), np.array(Bk)
        cols = [np.ones_like(Tk) if t == "sat" else Tk ** exps["p_" + t] for t in terms]
        coef, _ = nnls(np.stack(cols, axis=1) / Bk[:, None], np.ones_like(Bk))  # relative residuals
        floor = 1e-3 * float(np.max(Bk))
        for t, c in zip(terms, coef):
            scale = 1.0 if t == "sat" else float(np.median(Tk)) ** exps["p_" + t]
            start[_AMPLITUDE[t]] = max(float(c), floor / scale)
        if spin_orbit:
            start["B_so"] = float(np.median(Bso))
    else:
        for t in terms:
            start[_AMPLITUDE[t]] = 1e-3
        if spin_orbit:
            start["B_so"] = 1e-2
    for k in ("p_ee", "p_ph"):
        if k in names:
            start[k] = exps[k]
    start.setdefault("F0_sigma", 0.0)
    for n in names:
        start.setdefault(n, 0.0)
    start.update(fixed)
    for k, v in (p0 or {}).items():
        if k not in names:
            raise ValueError(f"p0: unknown parameter {k!r}")
        start[k] = arguments.as_real(f"p0[{k}]", v)
        if kinds[k] == "log" and start[k] <= 0:
            raise ValueError(f"p0[{k}]: must be positive")
    return start


@cache
def _wl_channels(spin_orbit: bool) -> tuple:
    r"""Cooperon channels of :func:`mesocorr.channels` as ``(weight, coefficient of B_phi, coefficient of B_so)`` of
    :math:`B_c = \hbar\Gamma_c/4eD` (gaps linear in the rates; fields are rates times :math:`\hbar/4eD`), from
    the derived table :data:`mesocorr.integrals.derived_constants.COOPERON_CHANNELS` (isotropic spin-orbit: each
    component is a third of the total, as in :func:`mesocorr.magnetoconductance`); equal gaps merged."""
    merged: dict = {}
    for _name, coeffs, weight in COOPERON_CHANNELS:
        key = (coeffs[6], sum(coeffs[:3], Fraction(0)) / 3 if spin_orbit else Fraction(0))
        merged[key] = merged.get(key, Fraction(0)) + weight
    return tuple((float(w), float(a), float(b)) for (a, b), w in merged.items() if w != 0)


def _wl_coefficients() -> tuple[float, float]:
    r"""``(c_mc, c_zero)`` in e^2/h, s = 2: HLN :math:`\Delta\sigma = c_{mc}\sum_cw_cF(B/B_c)` and the zero-field
    correction :math:`c_{zero}\,w_c\ln(1+1/\Gamma_c\tau)` (:data:`~mesocorr.integrals.derived_constants.WL_SHAPE_COEFFICIENTS`,
    :data:`~mesocorr.integrals.derived_constants.WL_ZERO_FIELD`, derived in :mod:`mesocorr.symbolic.wl`)."""
    return (SPIN_DEGENERACY * monomial_float(WL_SHAPE_COEFFICIENTS["2d"]),
            SPIN_DEGENERACY * monomial_float(WL_ZERO_FIELD[2]))
