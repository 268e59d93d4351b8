r"""Extract :math:`\tau_\phi(T)` from measured oscillation amplitudes versus temperature.

:func:`fit_dephasing` takes amplitudes :math:`A(T_i)` (e²/h) of one oscillation harmonic and

1. inverts the probe at every temperature for :math:`L_\phi(T_i)` (pointwise, with the error propagated
   from ``sigma`` through the slope of the probe), and
2. fits a dephasing law :math:`\tau_\phi(T)` to all points at once (bounded least squares, standard errors
   from the Jacobian, :math:`C = (J^TJ)^{-1}`, scaled by :math:`\chi^2_{red}` when ``sigma`` is not given —
   the conventions of :mod:`mesocorr.fitting`).

Probes (the amplitude as a function of :math:`L_\phi/L` and :math:`L_T/L`, :math:`L` the circumference):

``"ab-ring"``
    rms of the sample-specific harmonic ``harmonic`` (default 1, :math:`h/e`) of a ring between two leads,
    thermally averaged (:func:`mesocorr.ab_harmonics`, uses :math:`L_T = \sqrt{\hbar D/k_BT}`);
``"aas-ring"``
    magnitude of the ensemble-averaged :math:`h/2e` harmonic of the same ring (``mean_amplitude``, k = 2);
``"aas-cylinder"``
    magnitude of the :math:`h/2e` winding amplitude of a thin-walled cylinder, per square
    (:func:`mesocorr.aas_oscillation`, :math:`(2s/\pi)|\sum_cw_cK_0(L/L_c)|`).

Dephasing laws:

``"power"``
    :math:`1/\tau_\phi = aT^p` (parameters ``a`` in 1/s/K^p, ``p``);
``"power+saturation"``
    :math:`1/\tau_\phi = aT^p + 1/\tau_{sat}` (``a``, ``p``, ``tau_sat`` in s);
``"nyquist"``, ``"nyquist+saturation"``
    :math:`1/\tau_\phi = c\,\Gamma_{AAK}(T) [+ 1/\tau_{sat}]`: the electron-electron (Nyquist) rate of
    :func:`mesocorr.nyquist_dephasing_rate` for the sample given in ``nyquist`` (``dim`` 1 with
    ``resistance_per_length`` [and ``diffusion_constant``, default ``D``], or ``dim`` 2 with
    ``sheet_resistance``) times a fitted factor ``c`` (1 where the AAK theory holds);
callable
    ``law(T, params) -> tau_phi`` (s) for an array ``T`` (K) and a dict of parameters; ``p0`` names them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from mesocorr import arguments
from mesocorr.units import HBAR, K_B

__all__ = ["fit_dephasing", "dephasing_time", "DephasingFit", "PROBES", "LAWS"]

PROBES = ("ab-ring", "aas-ring", "aas-cylinder")
LAWS = {"power": ("a", "p"), "power+saturation": ("a", "p", "tau_sat"), "nyquist": ("c",),
        "nyquist+saturation": ("c", "tau_sat")}
_LOG = {"a", "tau_sat", "c"}
_NYQUIST_KEYS = {1: {"resistance_per_length", "diffusion_constant"}, 2: {"sheet_resistance"}}
MAX_POINTS = 500


def nyquist_sample(nyquist, D: float | None = None) -> dict:
    """Checked keyword arguments of :func:`mesocorr.nyquist_dephasing_rate` (all but the temperature) for the
    ``nyquist`` laws: ``{"dim": 1, "resistance_per_length": ohm/m[, "diffusion_constant": m^2/s]}`` (default
    diffusion constant ``D``) or ``{"dim": 2, "sheet_resistance": ohm}``."""
    if not isinstance(nyquist, dict) or "dim" not in nyquist:
        raise TypeError("nyquist: the nyquist laws need the sample, e.g. {'dim': 1, 'resistance_per_length': R/L}")
    dim = arguments.integer("nyquist['dim']", nyquist["dim"], 1, 2)
    extra = set(nyquist) - {"dim"} - _NYQUIST_KEYS[dim]
    if extra:
        raise ValueError(f"nyquist: unknown keys {sorted(extra)} for dim = {dim}")
    out = {"dim": dim}
    for key in sorted(_NYQUIST_KEYS[dim]):
        if key in nyquist:
            out[key] = arguments.positive(f"nyquist['{key}']", nyquist[key])
    if dim == 1 and "diffusion_constant" not in out and D is not None:
        out["diffusion_constant"] = arguments.positive("D", D)
    need = {"resistance_per_length", "diffusion_constant"} if dim == 1 else {"sheet_resistance"}
    if need - set(out):
        raise ValueError(f"nyquist: dim = {dim} needs {', '.join(sorted(need))}")
    return out


def _nyquist_rate(T, sample: dict):
    from mesocorr.dephasing import nyquist_dephasing_rate

    kw = {k: v for k, v in sample.items() if k != "dim"}
    return np.asarray(nyquist_dephasing_rate(sample["dim"], T, **kw), dtype=float)


def dephasing_time(T, law: str, params: dict, nyquist: dict | None = None):
    r""":math:`\tau_\phi(T)` in s of a built-in law (``"power"``: :math:`1/(aT^p)`; ``"power+saturation"``:
    :math:`1/(aT^p + 1/\tau_{sat})`; ``"nyquist"``: :math:`1/(c\,\Gamma_{AAK}(T))` for the sample ``nyquist``,
    see :func:`nyquist_sample`; ``"nyquist+saturation"``); ``T`` in K.

    >>> float(dephasing_time(2.0, "power", {"a": 1e9, "p": 1.0}))
    5e-10
    """
    arguments.choice("law", law, tuple(LAWS))
    T = np.asarray(T, dtype=float)
    if law.startswith("nyquist"):
        rate = params["c"] * _nyquist_rate(T, nyquist_sample(nyquist))
    else:
        rate = params["a"] * T ** params["p"]
    if law.endswith("+saturation"):
        rate = rate + 1.0 / params["tau_sat"]
    return 1.0 / rate


@dataclass
class DephasingFit:
    """Result of :func:`fit_dephasing` (``as_dict()`` gives the JSON form)."""

    probe: str
    law: str
    params: dict
    covariance: np.ndarray | None
    param_names: list
    chi2: float
    dof: int
    chi2_red: float
    stderr_scaled: bool
    tau_phi: list
    pointwise: list
    warnings: list = field(default_factory=list)
    _predict: Callable = field(default=None, repr=False)

    def predict(self, T):
        """Model amplitude (e²/h) at temperatures ``T`` (K)."""
        return self._predict(np.asarray(T, dtype=float))

    def as_dict(self) -> dict:
        return {"probe": self.probe, "law": self.law, "params": self.params,
                "covariance": None if self.covariance is None else np.asarray(self.covariance).tolist(),
                "param_names": list(self.param_names),
                "chi2": self.chi2, "dof": self.dof, "chi2_red": self.chi2_red,
                "stderr_scaled_by_chi2_red": self.stderr_scaled, "tau_phi": self.tau_phi,
                "pointwise": self.pointwise, "warnings": list(self.warnings),
                "unit": {"T": "K", "amplitude": "e^2/h", "tau_phi": "s", "L_phi": "m"}}


def _probe_function(probe, D, L, so, mag, lead_length, harmonic, spinless):
    """amplitude(L_phi/L, L_T/L or None) for the chosen probe (spin rates converted to units of D/L^2)."""
    from mesocorr.rings import aas_harmonics, ab_harmonics

    so_u = _scaled_rates("so", so, L**2 / D)
    mag_u = _scaled_rates("mag", mag, L**2 / D)
    if probe == "ab-ring":
        from mesocorr.integrals.rings import ucf_harmonics
        from mesocorr.rings import ring_channels

        chans: dict = {}
        for g, m in ring_channels("diffuson", so_u, mag_u, spinless):
            chans[g] = chans.get(g, 0.0) + m
        wgt = 1.0 / (2 * lead_length + 0.5) ** 2

        def amp(lphi, lt):   # the rms of ab_harmonics, Diffuson part only (what the probe needs)
            T = 0.0 if lt is None else 1.0 / lt**2
            tot = sum(m * ucf_harmonics(g + 1.0 / lphi**2, lead_length, harmonic, T, error=False)[0][harmonic - 1]
                      for g, m in chans.items())
            return math.sqrt(2 * wgt**2 * tot)
    elif probe == "aas-ring":
        def amp(lphi, lt):
            r = ab_harmonics(lphi, lead_length=lead_length, so=so_u, mag=mag_u, spinless=spinless, n_harmonics=2)
            return abs(r.harmonics[1]["mean_amplitude"])
    else:
        def amp(lphi, lt):
            return abs(aas_harmonics(lphi, "cylinder", so=so_u, mag=mag_u, spinless=spinless, n_harmonics=1)[0]
                       ["amplitude"])
    return amp


def _nyquist_law(law: str, sample: dict):
    """The nyquist law as a callable ``(T, params) -> tau_phi`` with the reference rate ``reference(T)``."""
    def nyquist_law(T, params):
        return dephasing_time(T, law, params, sample)

    nyquist_law.reference = lambda T: _nyquist_rate(T, sample)
    return nyquist_law


def _central_jacobian(func, u, rel: float) -> np.ndarray:
    """Central differences of the vector function ``func`` at ``u`` (step ``rel * max(1, |u_j|)``)."""
    cols = []
    for j in range(u.size):
        h = rel * max(1.0, abs(u[j]))
        up, um = u.copy(), u.copy()
        up[j] += h
        um[j] -= h
        cols.append((func(up) - func(um)) / (2 * h))
    return np.array(cols).T


def _scaled_rates(name, value, factor):
    rates = arguments.one_or_three(name, value, arguments.nonnegative)
    return tuple(r * factor for r in rates) if isinstance(rates, tuple) else rates * factor


def fit_dephasing(T, amplitude, probe: str = "ab-ring", D: float = None, circumference: float = None,
                  sigma=None, law="power", p0: dict | None = None, so=0.0, mag=0.0, lead_length: float = 0.5,
                  harmonic: int = 1, spinless: bool = False, nyquist: dict | None = None,
                  strict: bool = False) -> DephasingFit:
    r"""Fit :math:`\tau_\phi(T)` to oscillation amplitudes measured at temperatures ``T``.

    Parameters
    ----------
    T : array_like
        Temperatures (K), positive.
    amplitude : array_like
        Measured amplitudes (e²/h; per square for ``aas-cylinder``), positive.
    probe : {"ab-ring", "aas-ring", "aas-cylinder"}
        See the module docstring.
    D : float
        Diffusion constant (m²/s): :math:`L_\phi = \sqrt{D\tau_\phi}`, :math:`L_T = \sqrt{\hbar D/k_BT}`.
    circumference : float
        Ring / cylinder circumference :math:`L` (m).
    sigma : array_like or float, optional
        Standard errors of ``amplitude``; then parameter errors are absolute.
    law : {"power", "power+saturation", "nyquist", "nyquist+saturation"} or callable
        Dephasing law; a callable ``law(T, params) -> tau_phi`` needs ``p0`` (its parameters, fitted as they are).
    p0 : dict, optional
        Start values (default: from a straight-line fit of the pointwise :math:`\ln(1/\tau_\phi)` vs :math:`\ln T`).
    so, mag : float or three floats
        Spin-orbit and magnetic rates in 1/s (as :func:`mesocorr.channels`).
    lead_length : float
        Ring probes: lead length in units of L.
    harmonic : int
        ``ab-ring``: which harmonic (1 = h/e).
    spinless : bool
    nyquist : dict, optional
        The sample of the ``nyquist`` laws (:func:`nyquist_sample`; ``diffusion_constant`` defaults to ``D``).
    strict : bool
        Raise ``ValueError`` instead of returning a fit with warnings.

    Returns
    -------
    DephasingFit
        ``params`` (value, stderr, unit), ``tau_phi`` (per temperature: value and stderr from the fit),
        ``pointwise`` (per temperature: the inverted :math:`\tau_\phi`, :math:`L_\phi` and their errors, or
        ``None`` where the amplitude is out of the probe's range), ``chi2_red``, ``warnings``.

    Examples
    --------
    >>> import numpy as np
    >>> from mesocorr.rings import aas_oscillation
    >>> D, L, T = 0.01, 2e-6, np.array([0.5, 1.0, 2.0, 4.0])
    >>> tau = 1 / (2e9 * T)                                  # 1/tau_phi = a T, a = 2e9 /s/K
    >>> amp = [abs(aas_oscillation(0, L_phi=np.sqrt(D * t) / L).harmonics[0]["amplitude"]) for t in tau]
    >>> r = fit_dephasing(T, amp, probe="aas-cylinder", D=D, circumference=L)
    >>> round(r.params["a"]["value"] / 2e9, 6), round(r.params["p"]["value"], 6)
    (1.0, 1.0)
    """
    from scipy.optimize import brentq, least_squares

    arguments.choice("probe", probe, PROBES)
    if D is None or circumference is None:
        raise TypeError("D: give the diffusion constant D (m^2/s) and the circumference (m)")
    D = arguments.positive("D", D)
    L = arguments.positive("circumference", circumference)
    thouless = D / (L * L) if L * L > 0 else math.inf
    if not 1e-200 < thouless < 1e200:
        raise ValueError(f"circumference: the Thouless rate D/L^2 = {thouless:.3g} 1/s of D = {D!r} m^2/s and "
                         f"L = {L!r} m is outside 1e-200..1e200 1/s; check D and the circumference")
    harmonic = arguments.integer("harmonic", harmonic, minimum=1, maximum=20)
    spinless = arguments.boolean("spinless", spinless)
    strict = arguments.boolean("strict", strict)
    lead_length = arguments.positive("lead_length", lead_length)
    Ts = np.asarray(arguments.real_values("T", T), dtype=float).reshape(-1)
    y = np.asarray(arguments.real_values("amplitude", amplitude), dtype=float).reshape(-1)
    if Ts.size != y.size:
        raise ValueError(f"amplitude: {y.size} values for {Ts.size} temperatures")
    if Ts.size > MAX_POINTS:
        raise ValueError(f"T: at most {MAX_POINTS} temperatures, got {Ts.size}")
    if not (np.all(np.isfinite(Ts)) and np.all(Ts > 0)):
        raise ValueError("T: temperatures must be positive and finite (K)")
    if not (np.all(np.isfinite(y)) and np.all(y > 0)):
        raise ValueError("amplitude: amplitudes must be positive and finite (e^2/h)")
    if sigma is None:
        s = np.ones_like(y)
    else:
        s = np.broadcast_to(np.asarray(sigma, dtype=float), y.shape).astype(float)
        if not (np.all(np.isfinite(s)) and np.all(s > 0)):
            raise ValueError("sigma: uncertainties must be positive and finite")
    if callable(law):
        if p0 is None:
            raise TypeError("p0: a callable law needs start values p0 = {name: value}")
        names = list(p0)
        law_name = getattr(law, "__name__", "callable")
    else:
        arguments.choice("law", law, tuple(LAWS))
        names = list(LAWS[law])
        law_name = law
        if law.startswith("nyquist"):
            sample = nyquist_sample(nyquist, D)
            law = _nyquist_law(law, sample)
        elif nyquist is not None:
            raise ValueError(f"nyquist: only for the nyquist laws, not law = {law!r}")
    if Ts.size <= len(names):
        raise ValueError(f"T: need more temperatures than law parameters ({len(names)}), got {Ts.size}")
    amp = _probe_function(probe, D, L, so, mag, lead_length, harmonic, spinless)
    thermal = probe == "ab-ring"
    LT = np.sqrt(HBAR * D / (K_B * Ts)) / L  # units of L

    def model_at(tau):
        lphi = np.sqrt(D * np.asarray(tau, dtype=float)) / L
        return np.array([amp(float(lp), float(lt) if thermal else None) for lp, lt in zip(lphi, LT)])

    warnings: list[str] = []
    # ---- pointwise inversion in ln L_phi
    pointwise = []
    for i in range(Ts.size):
        lt = float(LT[i]) if thermal else None

        def g(logl, i=i, lt=lt):
            return math.log(amp(math.exp(logl), lt)) - math.log(y[i])

        lo, hi = math.log(1 / 300), math.log(1e3)
        try:
            glo, ghi = g(lo), g(hi)
        except (ValueError, ArithmeticError):
            glo = ghi = float("nan")
        if not (glo < 0 < ghi):
            pointwise.append(None)
            continue
        root = brentq(g, lo, hi, xtol=1e-12, rtol=1e-12)
        slope = (g(root + 1e-5) - g(root - 1e-5)) / 2e-5        # d ln A / d ln L_phi
        lphi = math.exp(root) * L
        tau = lphi**2 / D
        rel_l = (s[i] / y[i]) / abs(slope) if sigma is not None else None   # no sigma: no pointwise errors
        pointwise.append({"T": float(Ts[i]), "L_phi": lphi, "L_phi_stderr": None if rel_l is None else lphi * rel_l,
                          "tau_phi": tau, "tau_phi_stderr": None if rel_l is None else 2 * tau * rel_l})
    if any(p is None for p in pointwise):
        warnings.append(f"pointwise: {sum(p is None for p in pointwise)} amplitude(s) outside the probe's range "
                        "for L/300 < L_phi < 1e3 L; not inverted")
    # ---- start values
    if p0 is None:
        good = [p for p in pointwise if p is not None]
        if len(good) >= 2:
            lt_, lr = np.log([p["T"] for p in good]), np.log([1 / p["tau_phi"] for p in good])
            slope, icpt = np.polyfit(lt_, lr, 1)
            start = {"a": math.exp(icpt), "p": float(slope)}
        else:
            start = {"a": D / (L**2 * float(np.median(Ts))), "p": 1.0}
        if law_name.startswith("nyquist"):
            ratios = [1 / (p["tau_phi"] * float(law.reference(p["T"]))) for p in good]
            start = {"c": float(np.median(ratios)) if ratios else 1.0}
        if law_name.endswith("+saturation"):
            taus = [p["tau_phi"] for p in good] or [L**2 / D]
            start["tau_sat"] = 3.0 * max(taus)
    else:
        builtin = law_name in LAWS
        unknown = set(p0) - set(names) if builtin else set()
        if unknown or (builtin and set(names) - set(p0)):
            raise ValueError(f"p0: give exactly the parameters {', '.join(names)}")
        start = {n: arguments.as_real(f"p0[{n}]", p0[n]) for n in names}
    logs = [n in _LOG and (not callable(law) or law_name.startswith("nyquist")) for n in names]
    for n, lg in zip(names, logs):
        if lg and start[n] <= 0:
            raise ValueError(f"p0[{n}]: must be positive")
    u0 = np.array([math.log(start[n]) if lg else start[n] for n, lg in zip(names, logs)])
    if not np.all(np.isfinite(u0)):
        raise ValueError(f"p0: the start values {start} are not finite; give p0")

    def natural(u):
        return {n: (math.exp(v) if lg else float(v)) for n, v, lg in zip(names, u, logs)}

    def taus_of(u):
        p = natural(u)
        tau = law(Ts, p) if callable(law) else dephasing_time(Ts, law, p)
        tau = np.asarray(tau, dtype=float)
        if tau.shape != Ts.shape or not np.all(np.isfinite(tau)) or np.any(tau <= 0):
            raise ValueError("law: the dephasing law must return positive finite tau_phi (s) for every T")
        return tau

    def residuals(u):
        return (model_at(taus_of(u)) - y) / s

    try:
        sol = least_squares(residuals, u0, method="trf", x_scale="jac", xtol=1e-12, ftol=1e-12, gtol=1e-12,
                            max_nfev=400)
    except ValueError as exc:          # non-finite residuals at the start: scipy's message names no argument
        raise ValueError(f"amplitude: the fit cannot start from p0 = {start} ({exc})") from None
    if not sol.success:
        warnings.append(f"optimizer: did not converge ({sol.message})")
    u = sol.x
    r = residuals(u)
    chi2 = float(r @ r)
    dof = int(Ts.size - len(names))
    J = _central_jacobian(residuals, u, 1e-5)
    scale = chi2 / dof if sigma is None else 1.0
    try:
        cov_u = np.linalg.inv(J.T @ J) * scale
        singular = not np.all(np.isfinite(cov_u))
    except np.linalg.LinAlgError:
        singular = True
    if singular:
        cov_u = np.full((len(names), len(names)), np.inf)
        warnings.append("identifiability: the Jacobian is singular; the law's parameters are not determined")
    vals = natural(u)
    deriv = np.array([vals[n] if lg else 1.0 for n, lg in zip(names, logs)])
    cov = cov_u * np.outer(deriv, deriv)
    params = {}
    for i, n in enumerate(names):
        params[n] = {"value": vals[n], "stderr": float(math.sqrt(cov[i, i])) if np.isfinite(cov[i, i]) else None,
                     "unit": {"a": "1/s/K^p", "p": "1", "tau_sat": "s", "c": "1"}.get(n, "")}
    # tau_phi(T_i) with errors (delta method in the fitted coordinates)
    tau = taus_of(u)
    G = _central_jacobian(lambda v: np.log(taus_of(v)), u, 1e-6)
    var_log = np.einsum("ij,jk,ik->i", G, cov_u, G) if not singular else np.full(Ts.size, np.inf)
    tau_rows = [{"T": float(t), "tau_phi": float(v),
                 "stderr": float(v * math.sqrt(max(vl, 0.0))) if np.isfinite(vl) else None,
                 "L_phi": float(math.sqrt(D * v))} for t, v, vl in zip(Ts, tau, var_log)]
    if sigma is not None:
        from scipy.stats import chi2 as chi2_dist

        if dof > 0 and chi2_dist.sf(chi2, dof) < 1e-3:
            warnings.append(f"goodness of fit: chi2_red = {chi2 / dof:.3g}; the law does not describe the data "
                            "within sigma")
    if strict and warnings:
        raise ValueError("fit: " + "; ".join(warnings))

    def predict(Tv):
        p = vals
        tv = law(Tv, p) if callable(law) else dephasing_time(Tv, law, p)
        lphi = np.sqrt(D * np.asarray(tv)) / L
        lts = np.sqrt(HBAR * D / (K_B * Tv)) / L
        return np.array([amp(float(lp), float(lt) if thermal else None) for lp, lt in zip(lphi, lts)])

    return DephasingFit(probe=probe, law=law_name, params=params, covariance=None if singular else cov,
                        param_names=names, chi2=chi2,
                        dof=dof, chi2_red=chi2 / dof, stderr_scaled=sigma is None, tau_phi=tau_rows,
                        pointwise=pointwise, warnings=warnings, _predict=predict)
