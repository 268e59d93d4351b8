r"""The energy relaxation time :math:`\tau_E` from a measured distribution function (tunnel-probe spectroscopy).

:func:`fit_distribution` fits the kernel prefactor :math:`\kappa` of :math:`K(\epsilon) = \kappa\epsilon^{-\alpha}`
(exponent fixed) to :math:`f(E)` measured at one position :math:`x` of a biased wire, with the model of
:func:`mesocorr.wire_distribution`: the Boltzmann-diffusion equation with the collision integral, solved
numerically at each trial :math:`\kappa`. The fit is one-dimensional in :math:`\ln\kappa` (a scan on a
logarithmic grid, then Brent's method around the best point); the standard error of :math:`\ln\kappa` is
:math:`\sqrt{2/\partial^2_{\ln\kappa}\chi^2}` (scaled by :math:`\chi^2_{red}` when ``sigma`` is not given — the
conventions of :mod:`mesocorr.fitting`). :math:`\tau_E = (2-\alpha)/(\kappa(eV)^{2-\alpha})`
(:func:`mesocorr.energy_relaxation_time`) has the same relative error. A best fit at an end of the range is
reported as a bound, with a warning (``bound``: ``"tau_E_at_least"`` — no measurable relaxation, :math:`\tau_E`
at least the value reported; ``"tau_E_at_most"`` — the hot-electron regime).

Units as :func:`mesocorr.wire_distribution`: ``E`` in eV measured from :math:`\mu_R` (the reservoir at
:math:`x = 1`), ``V`` in volts, ``T`` in K, ``tau_D`` in ns, :math:`\kappa` in
:math:`\mathrm{ns^{-1}meV^{\alpha-2}}`, :math:`\tau_E` in ns.

References
----------
.. [P97] H. Pothier, S. Guéron, N. O. Birge, D. Esteve, M. H. Devoret, Phys. Rev. Lett. 79, 3490 (1997).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from mesocorr import arguments
from mesocorr.distribution import MAX_KAPPA_TILDE, energy_relaxation_time, wire_distribution

__all__ = ["fit_distribution", "DistributionFit", "MAX_FIT_POINTS", "KAPPA_TILDE_RANGE"]

#: most measured points accepted
MAX_FIT_POINTS = 100_000
#: default range of the dimensionless strength kappa~ = kappa tau_D (eV)^(2-alpha) = (2-alpha) tau_D/tau_E searched
#: (below: within ~1e-4 of the double step; above: tau_E < tau_D/200, the hot-electron regime; the upper end can
#: be raised to the solver's cap with ``kappa_tilde_max``)
KAPPA_TILDE_RANGE = (1e-3, 1e2)
_SCAN_PER_DECADE = 2


@dataclass
class DistributionFit:
    """Result of :func:`fit_distribution` (``as_dict()`` gives the JSON form)."""

    kappa: float
    kappa_stderr: float | None
    kappa_tilde: float
    tau_E: float
    tau_E_stderr: float | None
    bound: str | None
    chi2: float
    dof: int
    chi2_red: float
    stderr_scaled: bool
    evaluations: int
    model: np.ndarray
    parameters: dict
    warnings: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"kappa": self.kappa, "kappa_stderr": self.kappa_stderr, "kappa_tilde": self.kappa_tilde,
                "tau_E": self.tau_E, "tau_E_stderr": self.tau_E_stderr, "bound": self.bound, "chi2": self.chi2,
                "dof": self.dof, "chi2_red": self.chi2_red, "stderr_scaled_by_chi2_red": self.stderr_scaled,
                "evaluations": self.evaluations, "model": self.model.tolist(), "parameters": self.parameters,
                "warnings": list(self.warnings),
                "unit": {"E": "eV (from mu_R)", "kappa": "ns^-1 meV^(alpha-2)", "tau_E": "ns", "tau_D": "ns"}}


def _points(name, value):
    arr = np.asarray(arguments.real_values(name, value), dtype=float).reshape(-1)
    if arr.size > MAX_FIT_POINTS:
        raise ValueError(f"{name}: at most {MAX_FIT_POINTS} points, got {arr.size}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name}: values must be finite")
    return arr


def fit_distribution(E, f, x: float, V: float, T: float, tau_D: float, alpha: float = 1.5, sigma=None,
                     n_x: int = 12, energy_step: float | None = None, kappa_tilde_max: float = KAPPA_TILDE_RANGE[1],
                     max_seconds: float = 300.0, progress: bool = False, strict: bool = False) -> DistributionFit:
    r"""Fit the kernel prefactor :math:`\kappa` (and so :math:`\tau_E`) to a distribution :math:`f(E)` measured at ``x``.

    Parameters
    ----------
    E : array_like
        Energies (eV, from :math:`\mu_R`), within the model's grid (the bias window :math:`[0, eV]` with a margin
        of at least :math:`eV/4`, see :func:`mesocorr.wire_distribution`).
    f : array_like
        Measured :math:`f(E)` at ``x`` (between 0 and 1 up to noise).
    x : float
        Probe position in units of the wire length, from the reservoir at :math:`\mu_L = eV`, in (0, 1).
    V, T, tau_D : float
        Bias (V), bath temperature (K), diffusion time :math:`L^2/D` (ns).
    alpha : float
        Kernel exponent, fixed (3/2: quasi-1D Coulomb).
    sigma : array_like or float, optional
        Standard errors of ``f``; then the error of :math:`\kappa` is absolute.
    n_x, energy_step : int, float
        Grid of the model solve (:func:`mesocorr.wire_distribution`; default energy step there).
    kappa_tilde_max : float
        Upper end of the search in :math:`\tilde\kappa` (default 100, at most the solver's cap 1e4).
    max_seconds : float
        Cap on the estimated run time of the whole fit (a scan of two points per decade, which stops once
        :math:`\chi^2` has risen past its minimum, and about 16 solves of Brent's method), checked before the
        work starts (the estimate assumes the whole scan; the measured time is typically 3-10 times shorter).
    progress : bool
        Report the solves on stderr (:func:`mesocorr.progress.progress`).
    strict : bool
        Raise ``ValueError`` instead of returning a fit with warnings.

    Returns
    -------
    DistributionFit
        ``kappa``, ``kappa_stderr``, ``kappa_tilde``, ``tau_E``, ``tau_E_stderr`` (ns), ``bound``, ``chi2``,
        ``chi2_red``, ``model`` (the fitted :math:`f` at ``E``), ``warnings``.

    Examples
    --------
    >>> import numpy as np
    >>> from mesocorr import wire_distribution
    >>> r = wire_distribution(2e-4, 0.025, kappa=0.5, tau_D=5.0, x=0.5, n_x=12, error_estimate=False)
    >>> E = r.E[::7]
    >>> fit = fit_distribution(E, np.interp(E, r.E, r.f[0]), 0.5, 2e-4, 0.025, tau_D=5.0)
    >>> round(fit.kappa, 6), round(fit.tau_E, 5)
    (0.5, 2.23607)
    """
    from scipy.optimize import minimize_scalar

    from mesocorr.integrals.distribution import estimated_seconds

    V = arguments.positive("V", V)
    T = arguments.nonnegative("T", T)
    tau_D = arguments.positive("tau_D", tau_D)
    x = arguments.as_real("x", x)
    if not 0 < x < 1:
        raise ValueError(f"x: the probe must lie inside the wire, 0 < x < 1 (units of L), got {x!r}")
    strict = arguments.boolean("strict", strict)
    show = arguments.boolean("progress", progress)
    max_seconds = arguments.positive("max_seconds", max_seconds)
    n_x = arguments.integer("n_x", n_x, minimum=4, maximum=400)
    Ed, fd = _points("E", E), _points("f", f)
    if Ed.size != fd.size:
        raise ValueError(f"f: {fd.size} values for {Ed.size} energies")
    if Ed.size < 2:
        raise ValueError(f"E: at least two points, got {Ed.size}")
    if sigma is None:
        s = np.ones_like(fd)
    else:
        s = np.broadcast_to(np.asarray(arguments.real_values("sigma", sigma), dtype=float), fd.shape).astype(float)
        if not (np.all(np.isfinite(s)) and np.all(s > 0)):
            raise ValueError("sigma: uncertainties must be positive and finite")
    # kappa~ = kappa * scale; the search is over ln kappa~ in KAPPA_TILDE_RANGE
    probe = wire_distribution(V, T, relaxation="hot", x=x, n_x=n_x, energy_step=energy_step)  # the kernel grid
    if np.any(Ed < probe.E[0]) or np.any(Ed > probe.E[-1]):
        raise ValueError(f"E: energies must lie within the model's grid [{probe.E[0]:.6g}, {probe.E[-1]:.6g}] eV "
                         "(the bias window with a margin of about 10 k_B T_e)")
    alpha_v = arguments.nonnegative("alpha", alpha)
    if not alpha_v < 2:
        raise ValueError(f"alpha: the kernel exponent must be below 2, got {alpha!r}")
    scale = tau_D * (V / 1e-3) ** (2 - alpha_v)
    # kappa = kappa~/scale and tau_E = (2 - alpha) tau_D/kappa~ must be representable over the whole search
    tau_E_max = (2 - alpha_v) * tau_D / KAPPA_TILDE_RANGE[0]
    if not (1e-250 < scale < 1e250 and 0 < tau_E_max < 1e250):
        raise ValueError(f"tau_D: tau_D = {tau_D!r} ns at V = {V!r} V puts kappa or tau_E outside the float64 range "
                         "over the search; check tau_D (ns) and V (V)")
    kt_max = arguments.positive("kappa_tilde_max", kappa_tilde_max)
    if not 10 * KAPPA_TILDE_RANGE[0] <= kt_max <= MAX_KAPPA_TILDE:
        raise ValueError(f"kappa_tilde_max: between {10 * KAPPA_TILDE_RANGE[0]:g} and {MAX_KAPPA_TILDE:g}, got {kt_max!r}")
    lo, hi = math.log(KAPPA_TILDE_RANGE[0]), math.log(kt_max)
    n_scan = max(3, int(math.ceil((hi - lo) / math.log(10) * _SCAN_PER_DECADE)) + 1)
    grid = np.linspace(lo, hi, n_scan)
    n_E = probe.E.size
    per_solve = [estimated_seconds(math.exp(u), n_x, n_E) for u in grid]
    seconds = sum(per_solve) + 16 * max(per_solve)
    arguments.check_work("max_seconds", seconds, max_seconds,
                         f"the distribution fit (up to {n_scan + 16} solves of {n_E} energies x {n_x} intervals)")
    cache: dict = {}
    from mesocorr.progress import progress as _progress

    max_solves = n_scan + 200
    finished = [False]

    def ticks():           # one item per solve; ends when the fit is done (the progress line is then closed)
        while not finished[0]:
            yield None

    ticker = _progress(ticks(), label="distribution-fit: solves", enabled=show)

    def model(u):
        key = float(u)
        if key not in cache:
            if len(cache) >= max_solves:  # pragma: no cover - Brent's method ends long before
                raise ArithmeticError("fit: the kappa search did not converge")
            next(ticker)
            r = wire_distribution(V, T, kappa=math.exp(u) / scale, alpha=alpha_v, tau_D=tau_D, x=x, n_x=n_x,
                                  energy_step=energy_step, error_estimate=False, max_seconds=max_seconds)
            cache[key] = np.interp(Ed, r.E, r.f[0])
        return cache[key]

    def chi2(u):
        res = (model(u) - fd) / s
        return float(res @ res)

    values: list[float] = []
    for u in grid:             # ascending kappa~ (ascending cost): stop two points past a clear minimum
        values.append(chi2(u))
        k = int(np.argmin(values))
        if len(values) - k > 2 and min(values[k + 1:]) > values[k]:
            break
    k = int(np.argmin(values))
    warnings: list[str] = []
    bound = None
    if k == 0 or k == n_scan - 1:
        u = float(grid[k])
        bound = "tau_E_at_least" if k == 0 else "tau_E_at_most"
        end, why = ("lower", "no measurable energy relaxation") if k == 0 else ("upper", "hot-electron regime")
        warnings.append(f"range: the best fit is at kappa~ = {math.exp(u):g}, the {end} end of the range "
                        f"[{KAPPA_TILDE_RANGE[0]:g}, {kt_max:g}]; tau_E is only bounded ({why})")
    else:
        sol = minimize_scalar(chi2, bracket=(grid[k - 1], grid[k], grid[k + 1]), method="brent",
                              options={"xtol": 1e-7})
        u = float(sol.x)
    c2 = chi2(u)
    dof = int(Ed.size - 1)
    scaled = sigma is None
    stderr_u = None
    if bound is None:
        h = 1e-3
        curv = (chi2(u + h) - 2 * c2 + chi2(u - h)) / h**2
        if curv > 0:
            stderr_u = math.sqrt(2.0 / curv * (c2 / dof if scaled else 1.0))
        else:
            warnings.append("identifiability: chi2 is flat in kappa at the best fit; no standard error")
    if sigma is not None:
        from scipy.stats import chi2 as chi2_dist

        if chi2_dist.sf(c2, dof) < 1e-3:
            warnings.append(f"goodness of fit: chi2_red = {c2 / dof:.3g}; the kernel model does not describe the "
                            "data within sigma")
    fitted = model(u)
    finished[0] = True
    for _ in ticker:      # close the progress line
        pass
    if strict and warnings:
        raise ValueError("fit: " + "; ".join(warnings))
    kt = math.exp(u)
    if kt > MAX_KAPPA_TILDE:  # pragma: no cover - KAPPA_TILDE_RANGE lies inside the solver's cap
        raise ValueError("kappa: outside the solver's range")
    kappa = kt / scale
    tau_E = energy_relaxation_time(V, kappa, alpha_v)
    return DistributionFit(kappa=kappa, kappa_stderr=None if stderr_u is None else kappa * stderr_u,
                           kappa_tilde=kt, tau_E=tau_E, tau_E_stderr=None if stderr_u is None else tau_E * stderr_u,
                           bound=bound, chi2=c2, dof=dof, chi2_red=c2 / dof,
                           stderr_scaled=scaled, evaluations=len(cache), model=fitted,
                           parameters={"V": V, "T": T, "x": x, "tau_D": tau_D, "alpha": alpha_v, "n_x": n_x,
                                       "energy_step": energy_step,
                                       "kappa_tilde_range": [KAPPA_TILDE_RANGE[0], kt_max]},
                           warnings=warnings)
