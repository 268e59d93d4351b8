r"""The energy distribution function of a biased diffusive wire, and the pure-dephasing verdict.

Public functions (re-exported by :mod:`mesocorr`):

* :func:`wire_distribution` — :math:`f(E, x)` of a wire of length :math:`L` between two reservoirs at
  :math:`\mu_L = eV`, :math:`\mu_R = 0` (bath temperature :math:`T`): the double step (no inelastic
  scattering, exact), the hot-electron Fermi function with the Wiedemann-Franz profile (strong
  electron-electron scattering, exact), or the numerical solution with the collision kernel
  :math:`K(\epsilon) = \kappa\epsilon^{-\alpha}` (:mod:`mesocorr.integrals.distribution`);
* :func:`energy_relaxation_time` — :math:`\tau_E` of the kernel at the bias;
* :func:`pure_dephasing_verdict` — compare :math:`\tau_\phi` (from oscillations) with :math:`\tau_E`.

Units: ``V`` in volts, ``T`` in kelvin, ``kappa`` in :math:`\mathrm{ns^{-1}\,meV^{\alpha-2}}` (Pothier et al.:
:math:`\mathrm{ns^{-1}meV^{-1/2}}` for :math:`\alpha = 3/2`), ``tau_D`` = :math:`L^2/D` in ns (or ``length`` in
m and ``D`` in m²/s), ``x`` in units of :math:`L` from the reservoir at :math:`\mu_L`. Energies are returned in
eV (electronvolt, measured from :math:`\mu_R`) and in units of :math:`eV` (``E_over_eV``).

Energy relaxation time (``docs/conventions.md``): :math:`1/\tau_E = \int_0^{eV}d\epsilon\,K(\epsilon)\,\epsilon =
\kappa(eV)^{2-\alpha}/(2-\alpha)`, the out-scattering rate of an electron at :math:`eV` above a :math:`T = 0`
Fermi sea (:func:`mesocorr.symbolic.distribution.energy_relaxation_rate`); the dimensionless strength of the
solver is :math:`\tilde\kappa = \kappa\tau_D(eV)^{2-\alpha} = (2-\alpha)\,\tau_D/\tau_E`.

References
----------
.. [P97] H. Pothier, S. Guéron, N. O. Birge, D. Esteve, M. H. Devoret, Phys. Rev. Lett. 79, 3490 (1997).
.. [KA99] A. Kamenev, A. Andreev, Phys. Rev. B 60, 2218 (1999).
.. [N95] K. E. Nagaev, Phys. Rev. B 52, 4740 (1995).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from mesocorr import arguments
from mesocorr.units import E_CHARGE, K_B

__all__ = ["wire_distribution", "energy_relaxation_time", "pure_dephasing_verdict", "plot_distribution", "DistributionResult",
           "RELAXATIONS"]

#: largest bias (V) of :func:`wire_distribution`
MAX_BIAS = 1e6
RELAXATIONS = ("none", "hot", "kernel")
#: largest dimensionless kernel strength kappa~ = kappa tau_D (eV)^(2-alpha) solved numerically (beyond it the
#: distribution is within ~1e-2 of the hot-electron limit, relaxation="hot"; the iterations grow like kappa~^0.6)
MAX_KAPPA_TILDE = 1e4
#: default cap on the estimated run time of one solve (s), checked before the work starts
MAX_SECONDS = 120.0
_MEV = 1e-3


@dataclass
class DistributionResult:
    r"""Result of :func:`wire_distribution` (``as_dict()`` gives the JSON form).

    ``f[i]`` is :math:`f(E, x_i)` on the energy grid ``E``; ``error[i]`` the estimated absolute error
    (difference from the half-resolution solution for ``"kernel"``, ``None`` with ``error_estimate=False``;
    0 for the exact limits).
    """

    relaxation: str
    x: np.ndarray
    E: np.ndarray
    E_over_eV: np.ndarray
    f: np.ndarray
    error: np.ndarray | None
    T_e: np.ndarray
    hot_deviation: np.ndarray
    double_step_deviation: np.ndarray
    parameters: dict
    solver: dict = field(default_factory=dict)

    def at(self, x: float) -> np.ndarray:
        """:math:`f(E)` at one of the requested positions ``x``."""
        idx = np.flatnonzero(np.isclose(self.x, x, rtol=0, atol=1e-12))
        if idx.size == 0:
            raise ValueError(f"x: {x!r} is not one of the positions computed ({self.x.tolist()})")
        return self.f[idx[0]]

    def as_dict(self) -> dict:
        return {"relaxation": self.relaxation, "x": self.x.tolist(), "E": self.E.tolist(),
                "E_over_eV": self.E_over_eV.tolist(), "f": self.f.tolist(),
                "error": None if self.error is None else self.error.tolist(),
                "T_e": self.T_e.tolist(), "hot_deviation": self.hot_deviation.tolist(),
                "double_step_deviation": self.double_step_deviation.tolist(), "parameters": self.parameters,
                "solver": self.solver,
                "unit": {"E": "eV (from mu_R)", "x": "L (from the reservoir at mu_L = eV)", "T_e": "K",
                         "tau_E": "ns", "tau_D": "ns", "currents": "e V / (e^2 R) (particle), (eV)^2/(e^2 R) (energy)"}}


def energy_relaxation_time(V: float, kappa: float, alpha: float = 1.5) -> float:
    r""":math:`\tau_E` in ns: :math:`1/\tau_E = \kappa(eV)^{2-\alpha}/(2-\alpha)` (``kappa`` in ns⁻¹ meV^(α−2), ``V`` in volts).

    The out-scattering rate of an electron at :math:`eV` above a :math:`T = 0` Fermi sea with the kernel
    :math:`K(\epsilon) = \kappa\epsilon^{-\alpha}` (:func:`mesocorr.symbolic.distribution.energy_relaxation_rate`).

    Parameters
    ----------
    V : float
        Bias (V), > 0.
    kappa : float
        Kernel prefactor (:math:`\mathrm{ns^{-1}meV^{\alpha-2}}`), > 0.
    alpha : float
        Kernel exponent, :math:`0 \le \alpha < 2` (3/2: quasi-1D Coulomb).

    Returns
    -------
    float
        :math:`\tau_E` in ns.

    Examples
    --------
    >>> round(energy_relaxation_time(1e-4, 0.5), 10)        # 1/(2 * 0.5 * sqrt(0.1 meV)) ns
    3.1622776602
    """
    V = arguments.positive("V", V)
    kappa = arguments.positive("kappa", kappa)
    alpha = _alpha(alpha)
    # in logarithms: (V/meV)^(2 - alpha) and kappa times it over/underflow for extreme V, kappa
    log_tau = math.log(2 - alpha) - math.log(kappa) - (2 - alpha) * (math.log(V) - math.log(_MEV))
    if not -708.0 < log_tau < 709.0:
        raise ValueError(f"V, kappa: tau_E = exp({log_tau:.4g}) ns is outside the float64 range; check the bias V (V) "
                         "and the kernel prefactor kappa (ns^-1 meV^(alpha-2))")
    return math.exp(log_tau)


def _alpha(alpha):
    a = arguments.nonnegative("alpha", alpha)
    if not a < 2:
        raise ValueError(f"alpha: the kernel exponent must be below 2 (tau_E diverges otherwise), got {a!r}")
    return a


def _positions(x):
    if isinstance(x, (str, bytes)):
        raise TypeError("x: expected positions in units of L, got a string")
    xs = np.atleast_1d(np.asarray(x, dtype=float))
    if xs.ndim != 1 or xs.size == 0 or not np.all(np.isfinite(xs)) or np.any(xs < 0) or np.any(xs > 1):
        raise ValueError("x: positions must lie in [0, 1] (units of L)")
    if xs.size > 1000:
        raise ValueError(f"x: at most 1000 positions, got {xs.size}")
    return xs


def _hot(E, x, T):
    Te = np.sqrt(T**2 + 3.0 / np.pi**2 * x * (1 - x))
    mu = 1.0 - x
    out = np.empty((x.size, E.size))
    for i, (t, m) in enumerate(zip(Te, mu)):
        out[i] = 0.5 * (1 - np.tanh((E - m) / (2 * t))) if t > 0 else np.where(E < m, 1.0, np.where(E > m, 0.0, 0.5))
    return out, Te


def _interpolate_x(grid_x, f_full, xs):
    """Cubic spline along x through the grid solution (exact at grid points)."""
    from scipy.interpolate import CubicSpline

    out = np.empty((xs.size, f_full.shape[1]))
    on = np.isclose(xs[:, None], grid_x[None, :], rtol=0, atol=1e-12)
    spline = CubicSpline(grid_x, f_full, axis=0) if not on.any(axis=1).all() else None
    for i, xv in enumerate(xs):
        j = np.flatnonzero(on[i])
        out[i] = f_full[j[0]] if j.size else spline(xv)
    return np.clip(out, 0.0, 1.0)


def wire_distribution(V: float, T: float, relaxation: str = "kernel", kappa: float | None = None,
                      alpha: float = 1.5, tau_D: float | None = None, length: float | None = None,
                      D: float | None = None, x=(0.25, 0.5, 0.75), n_x: int = 24, energy_step: float | None = None,
                      pad: float | None = None, tol: float = 1e-13, max_iter: int = 20000,
                      error_estimate: bool = True, progress: bool = False,
                      max_seconds: float = MAX_SECONDS) -> DistributionResult:
    r"""Energy distribution :math:`f(E, x)` of a diffusive wire of length :math:`L` biased by :math:`V`.

    .. math:: \partial_x^2f + \tau_D I_{coll}[f] = 0,\qquad f(E,0) = f_0(E - eV),\ f(E,1) = f_0(E)

    * ``"none"``: :math:`f = (1-x)f_0(E-eV) + xf_0(E)` (double step, exact);
    * ``"hot"``: :math:`f = f_0((E-\mu(x))/k_BT_e(x))`, :math:`\mu = (1-x)eV`,
      :math:`T_e^2 = T^2 + \frac{3}{\pi^2}(eV/k_B)^2x(1-x)` (exact);
    * ``"kernel"``: numerical solution with :math:`K(\epsilon) = \kappa\epsilon^{-\alpha}` (needs ``kappa`` and
      ``tau_D`` or ``length`` + ``D``); the particle and energy currents are checked to be constant in
      :math:`x` (``solver["conservation"]``) and the error is estimated from a half-resolution solve.

    Parameters
    ----------
    V : float
        Bias (V), > 0.
    T : float
        Bath (reservoir) temperature (K), >= 0.
    relaxation : {"none", "hot", "kernel"}
    kappa : float
        Kernel prefactor in :math:`\mathrm{ns^{-1}meV^{\alpha-2}}`.
    alpha : float
        Kernel exponent, :math:`0\le\alpha<2` (3/2: quasi-1D Coulomb; 1: 2D; 1/2: 3D).
    tau_D : float
        Diffusion time :math:`L^2/D` in ns (or give ``length`` (m) and ``D`` (m²/s)).
    length, D : float, optional
        Wire length (m) and diffusion constant (m²/s), instead of ``tau_D``.
    x : float or sequence
        Positions (units of L) at which :math:`f` is returned.
    n_x : int
        Intervals of the x grid (even, 4..400).
    energy_step : float
        Energy step in units of :math:`eV` (default :math:`\min(0.01, k_BT/2eV)`, at least :math:`10^{-3}`).
    pad : float
        Energy margin beyond :math:`[0, eV]` in units of :math:`eV` (default :math:`10\,k_BT_{e,max}/eV`, at least 0.25).
    tol, max_iter : float, int
        Convergence of the iteration (max-norm of the update, at least :math:`10^{-15}`) and its cap (also
        at most four times :func:`~mesocorr.integrals.distribution.estimated_iterations`).
    error_estimate : bool
        Also solve on the half-resolution grid and report the difference as ``error``.
    progress : bool
        Report the iterations on stderr (:func:`mesocorr.progress.progress`).
    max_seconds : float
        Cap on the estimated run time (:func:`mesocorr.integrals.distribution.estimated_seconds`, from the
        grid sizes and :math:`\tilde\kappa`), checked before the work starts (default ``MAX_SECONDS``).
        :math:`\tilde\kappa` itself is capped at ``MAX_KAPPA_TILDE``.

    Returns
    -------
    DistributionResult
        ``f`` (one row per position), ``E`` (eV from :math:`\mu_R`), ``E_over_eV``, ``error``, ``T_e`` (K, the
        hot-electron profile), ``hot_deviation``, ``double_step_deviation``, ``parameters`` (``tau_E``,
        ``kappa_tilde``, ...), ``solver`` (iterations, residual, ``conservation``: the particle and energy
        currents and their variation along the wire).

    Examples
    --------
    >>> r = wire_distribution(1e-4, 0.0, relaxation="none", x=0.25)
    >>> float(r.at(0.25)[np.searchsorted(r.E_over_eV, 0.5)])         # plateau 1 - x
    0.75
    >>> r = wire_distribution(1e-4, 0.0, relaxation="hot", x=0.5)
    >>> round(float(r.T_e[0]) * 8.617333262e-5 / 1e-4, 10)            # k_B T_e / eV = sqrt(3)/(2 pi)
    0.2756644477
    """
    V = arguments.positive("V", V)
    T = arguments.nonnegative("T", T)
    arguments.choice("relaxation", relaxation, RELAXATIONS)
    xs = _positions(x)
    n_x = arguments.integer("n_x", n_x, minimum=4, maximum=400)
    if n_x % 2:
        raise ValueError(f"n_x: must be even (the error estimate halves the grid), got {n_x}")
    max_iter = arguments.integer("max_iter", max_iter, minimum=1, maximum=200000)
    tol = arguments.positive("tol", tol)
    if tol < 1e-15:
        raise ValueError(f"tol: at least 1e-15 (the update cannot fall below rounding), got {tol!r}")
    error_estimate = arguments.boolean("error_estimate", error_estimate)
    progress = arguments.boolean("progress", progress)
    max_seconds = arguments.positive("max_seconds", max_seconds)
    alpha = _alpha(alpha)
    eV = E_CHARGE * V
    if not eV > 1e-300:
        raise ValueError(f"V: the bias {V!r} V is below the float64 range of eV (J)")
    if V > MAX_BIAS:
        raise ValueError(f"V: the bias {V!r} V exceeds {MAX_BIAS:g} V (a wire's bias is ~mV; the electron "
                         "temperatures eV/k_B in kelvin would leave the float64 range)")
    Tt = K_B * T / eV
    if not Tt <= 1e6:
        raise ValueError(f"T: k_B T/eV = {Tt:.3g} exceeds 1e6 (the bias is then negligible: linear response); "
                         "raise V or lower T")
    Te_max = math.sqrt(Tt**2 + 3.0 / (4 * math.pi**2))
    if pad is None:
        pad = max(0.25, 10.0 * Te_max) if relaxation != "none" else max(0.25, 10.0 * Tt)
    else:
        pad = arguments.positive("pad", pad)
    if energy_step is None:
        energy_step = max(1e-3, min(0.01, Tt / 2)) if Tt > 0 else 0.01
    else:
        energy_step = arguments.positive("energy_step", energy_step)
        if energy_step > 0.25:
            raise ValueError(f"energy_step: at most 0.25 eV, got {energy_step!r}")
    # an even number of cells on [0, eV] and in the margin, so that the half-resolution grid shares boundaries
    cells = 2 * int(math.ceil(1.0 / (2.0 * energy_step) - 1e-9))
    energy_step = 1.0 / cells
    pad = 2 * int(math.ceil(pad / (2.0 * energy_step) - 1e-9)) * energy_step
    from mesocorr.integrals.distribution import (energy_grid, estimated_iterations, estimated_seconds, fermi,
                                                  solve_distribution)

    params = {"V": V, "T": T, "kT_over_eV": Tt, "relaxation": relaxation, "alpha": alpha, "n_x": n_x,
              "energy_step_over_eV": energy_step, "pad_over_eV": pad}
    solver: dict = {}
    if relaxation == "kernel":
        if kappa is None:
            raise TypeError("kappa: the kernel prefactor (ns^-1 meV^(alpha-2)) is required for relaxation='kernel'")
        kappa = arguments.positive("kappa", kappa)
        if tau_D is None:
            if length is None or D is None:
                raise TypeError("tau_D: give tau_D (ns) or length (m) and D (m^2/s)")
            log_tau_D = 2 * math.log(arguments.positive("length", length)) - math.log(arguments.positive("D", D))
            if not -700.0 < log_tau_D < 700.0:   # L^2/D in s, times 1e9 ns/s: keep it (and kappa tau_D) in range
                raise ValueError(f"length, D: tau_D = L^2/D = exp({log_tau_D:.4g}) s is outside the float64 range")
            tau_D = math.exp(log_tau_D) * 1e9
        else:
            if length is not None or D is not None:
                raise ValueError("tau_D: give either tau_D or length and D, not both")
            tau_D = arguments.positive("tau_D", tau_D)
        # in logarithms: (V/meV)^(2 - alpha) overflows a Python float (OverflowError) for extreme V
        log_kt = math.log(kappa) + math.log(tau_D) + (2 - alpha) * (math.log(V) - math.log(_MEV))
        kt = arguments.exp_or_inf(log_kt)
        if not kt <= MAX_KAPPA_TILDE:
            raise ValueError(f"kappa: the kernel strength kappa tau_D (eV)^(2-alpha) = {kt:.3g} exceeds "
                             f"{MAX_KAPPA_TILDE:g}; the wire is then in the hot-electron regime (relaxation='hot')")
        N = energy_grid(energy_step, pad)[0].size
        seconds = estimated_seconds(kt, n_x, N) * (1.25 if error_estimate else 1.0)
        arguments.check_work("max_seconds", seconds, max_seconds,
                             f"the collision-integral solve ({N} energies, {n_x} x intervals, kappa~ = {kt:.3g})")
        tau_E = energy_relaxation_time(V, kappa, alpha)
        params.update({"kappa": kappa, "tau_D": tau_D, "kappa_tilde": kt, "tau_E": tau_E,
                       "tau_D_over_tau_E": tau_D / tau_E})
        wrap = None
        if progress:
            from mesocorr.progress import progress as prog

            def wrap(rng):
                return prog(rng, total=max_iter, label="distribution: iterations (cap)")

        # the run time is bounded by the estimate: at most four times the estimated iterations
        max_iter = min(max_iter, int(4 * estimated_iterations(kt)) + 50)
        sol = solve_distribution(Tt, kt, alpha, n_x, energy_step, pad, tol, max_iter, iterations=wrap)
        E = sol["E"]
        f = _interpolate_x(sol["x"], sol["f"], xs)
        jN, jE = sol["j_N"], sol["j_E"]
        fLE, fRE = fermi(E, 1.0, Tt), fermi(E, 0.0, Tt)
        exact_N = float(np.sum(fLE - fRE) * sol["dE"])
        exact_E = float(np.sum(E * (fLE - fRE)) * sol["dE"])
        solver = {"iterations": sol["iterations"], "update": sol["update"], "residual": sol["residual"],
                  "estimated_seconds": seconds,
                  "conservation": {"particle_current": float(np.mean(jN)),
                                   "particle_current_variation": float(np.ptp(jN)),
                                   "particle_current_no_scattering": exact_N,
                                   "energy_current": float(np.mean(jE)),
                                   "energy_current_variation": float(np.ptp(jE)),
                                   "energy_current_no_scattering": exact_E}}
        if error_estimate:
            # half resolution on the same cell boundaries: coarse cell k = fine cells 2k, 2k + 1
            coarse = solve_distribution(Tt, kt, alpha, n_x // 2, 2 * sol["dE"], pad, tol, max_iter)
            fc = _interpolate_x(coarse["x"], coarse["f"], xs)
            diff = np.abs(0.5 * (f[:, 0::2] + f[:, 1::2]) - fc)
            err = np.repeat(diff, 2, axis=1)
            solver["coarse_iterations"] = coarse["iterations"]
            solver["error_max"] = float(err.max())
        else:
            err = None
            solver["error_max"] = None
        c = solver["conservation"]
        limit = 1e-6 + 1e-9 * kt   # at tol = 1e-13 on the update: measured 4e-10 at kappa~ = 1e3
        if not (c["particle_current_variation"] < limit and c["energy_current_variation"] < limit):  # pragma: no cover
            raise ArithmeticError("conservation: the particle or energy current varies along the wire; not converged")
    else:
        E, _ = energy_grid(energy_step, pad)
        fL, fR = fermi(E, 1.0, Tt), fermi(E, 0.0, Tt)
        if relaxation == "none":
            f = (1 - xs)[:, None] * fL[None, :] + xs[:, None] * fR[None, :]
        else:
            f, _ = _hot(E, xs, Tt)
        err = np.zeros(f.shape)
    hot, Te = _hot(E, xs, Tt)
    fL, fR = fermi(E, 1.0, Tt), fermi(E, 0.0, Tt)
    dstep = (1 - xs)[:, None] * fL[None, :] + xs[:, None] * fR[None, :]
    return DistributionResult(relaxation=relaxation, x=xs, E=E * V, E_over_eV=E, f=f, error=err,
                              T_e=Te * eV / K_B, hot_deviation=np.max(np.abs(f - hot), axis=1),
                              double_step_deviation=np.max(np.abs(f - dstep), axis=1), parameters=params,
                              solver=solver)


def pure_dephasing_verdict(tau_phi, tau_E, threshold: float = 10.0) -> dict:
    r"""Compare the dephasing time (from oscillations) with the energy relaxation time (from the distribution).

    Verdict on the ratio :math:`r = \tau_E/\tau_\phi`: ``"pure dephasing"`` if :math:`r \ge` ``threshold`` (and,
    with errors, also :math:`r - 2\sigma_r \ge 1`); ``"inconclusive"`` for :math:`1 \le r <` threshold; below 1
    the data are inconsistent with :math:`\tau_\phi \le \tau_E` (energy relaxation also dephases) and the
    verdict says so.

    Parameters
    ----------
    tau_phi, tau_E : float or (float, float)
        The two times in the same unit, or ``(value, stderr)`` pairs (errors combined in quadrature).
    threshold : float
        Ratio above which the verdict is "pure dephasing" (> 1, default 10).

    Returns
    -------
    dict
        ``verdict``, ``ratio``, ``ratio_stderr``, ``tau_phi``, ``tau_E``, ``threshold``, ``explanation``.

    Examples
    --------
    >>> v = pure_dephasing_verdict(0.1, 5.0)
    >>> v["verdict"], v["ratio"]
    ('pure dephasing', 50.0)
    """
    def split(name, v):
        if isinstance(v, (tuple, list)):
            if len(v) != 2:
                raise ValueError(f"{name}: give a value or (value, stderr)")
            return arguments.positive(name, v[0]), arguments.nonnegative(f"{name}[1]", v[1])
        return arguments.positive(name, v), 0.0

    tp, sp_ = split("tau_phi", tau_phi)
    te, se = split("tau_E", tau_E)
    threshold = arguments.positive("threshold", threshold)
    if threshold <= 1:
        raise ValueError(f"threshold: must exceed 1, got {threshold!r}")
    ratio = te / tp
    err = ratio * math.hypot(sp_ / tp, se / te) if ratio < math.inf else math.inf
    if not (0 < ratio < math.inf and err < math.inf):
        raise ValueError(f"tau_phi, tau_E: tau_E/tau_phi = {ratio:.3g} (+- {err:.3g}) is outside the float64 range; "
                         "give both times in the same unit")
    if ratio >= threshold and ratio - 2 * err >= 1:
        verdict = "pure dephasing"
        why = f"tau_E/tau_phi = {ratio:.3g} >= {threshold:g}: the phase is lost long before the energy relaxes"
    elif ratio >= 1:
        verdict = "inconclusive"
        why = (f"tau_E/tau_phi = {ratio:.3g} (+- {err:.2g}) is not >= {threshold:g} with margin: energy relaxation "
               "may contribute to the dephasing")
    else:
        verdict = "inconsistent"
        why = (f"tau_E/tau_phi = {ratio:.3g} < 1: tau_phi cannot exceed tau_E (every energy-relaxing collision "
               "dephases); check both determinations")
    return {"verdict": verdict, "ratio": ratio, "ratio_stderr": err, "tau_phi": tp, "tau_E": te,
            "threshold": threshold, "explanation": why}


def plot_distribution(result: DistributionResult, path: str, limits: tuple = (-0.5, 1.5)) -> None:
    r"""Plot :math:`f(E)` at every position of ``result`` (and the double step and hot-electron limits at the
    first position) into a PNG (matplotlib, reproducible bytes: no version metadata).

    Parameters
    ----------
    result : DistributionResult
        From :func:`wire_distribution`.
    path : str
        The PNG file written.
    limits : tuple of float
        Energy window in units of :math:`eV` (default -0.5 to 1.5).

    Returns
    -------
    None
        Raises ``ImportError`` without matplotlib (``pip install 'mesocorr[plot]'``).

    Examples
    --------
    >>> r = wire_distribution(2e-4, 0.025, relaxation="hot", x=0.5)
    >>> plot_distribution(r, "f.png")            # doctest: +SKIP
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError("matplotlib is required for plots: pip install 'mesocorr[plot]'") from exc
    from mesocorr.integrals.distribution import fermi

    E = result.E_over_eV
    sel = (E >= limits[0]) & (E <= limits[1])
    T = result.parameters["kT_over_eV"]
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    for i, x in enumerate(result.x):
        ax.plot(E[sel], result.f[i, sel], "-", lw=1.6, label=f"{result.relaxation}, x = {x:g} L")
    x0 = float(result.x[0])
    ax.plot(E[sel], ((1 - x0) * fermi(E, 1.0, T) + x0 * fermi(E, 0.0, T))[sel], ":", color="k", lw=1,
            label=f"double step, x = {x0:g} L")
    hot, _ = _hot(E, np.array([x0]), T)
    ax.plot(E[sel], hot[0, sel], "--", color="0.4", lw=1, label=f"hot electrons, x = {x0:g} L")
    ax.set_xlabel("E / eV  (E from the right reservoir's Fermi level)")
    ax.set_ylabel("f(E, x)")
    p = result.parameters
    title = f"biased wire, k_B T / eV = {p['kT_over_eV']:.3g}"
    if result.relaxation == "kernel":
        title += f", tau_D/tau_E = {p['tau_D_over_tau_E']:.3g}"
    ax.set_title(title)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100, metadata={"Software": None})
    plt.close(fig)
