r"""Universal conductance fluctuations of a diffusive box: variance and correlation functions.

.. math::

   \operatorname{var} g = \sum_{c}\sum_{\mathbf n}\Big[\tfrac{2}{\pi^4}\operatorname{Re}P_c^2
   + \tfrac{4}{\pi^4}|P_c|^2\Big] \;\xrightarrow{\ \omega=0\ }\;
   \frac{6}{\pi^4}\sum_c\sum_{\mathbf n}\frac{1}{(\lambda_{\mathbf n}+\gamma_c)^2},
   \qquad g = G/(e^2/h),

derived in :mod:`mesocorr.diagrams.ucf` (two topologies, spin trace over the channels of
:func:`mesocorr.channels`, each with weight one); the mode sums are evaluated by
:mod:`mesocorr.integrals.epstein` (exponentially convergent; float64 or mpmath).

Conventions (``docs/conventions.md``, section "Universal conductance fluctuations (UCF)"):

* ``shape`` = (L, W, H) — 1, 2 or 3 lengths; current along the first; Dirichlet at the two
  contacts (:math:`n_x\ge1`), Neumann on the other walls (:math:`n_y,n_z\ge0`); eigenvalues
  :math:`\lambda = n_x^2 + (n_yL/W)^2 + (n_zL/H)^2` in units of :math:`\pi^2D/L^2`. Only ratios matter;
  ``L_phi`` and ``L_T`` are in the same unit as ``shape`` (units of L when ``shape[0] = 1``).
* Spin: ``so``, ``mag`` in units of the Thouless rate :math:`D/L^2` (one number = isotropic total,
  three = x, y, z components, as in :func:`mesocorr.channels`); a gap :math:`\Gamma` becomes
  :math:`\gamma = \Gamma/\pi^2` in eigenvalue units. Spin-degenerate electrons (``spinless=False``)
  carry four channels per propagator kind: with no spin scattering the variance is :math:`s^2=4`
  times the spinless one.
* Dephasing: :math:`\gamma_\phi = (L/L_\phi)^2/\pi^2` on every channel (Diffuson and Cooperon:
  both pair two different measurements).
* Temperature: :math:`L_T=\sqrt{\hbar D/k_BT}`; :math:`g(T)=\int d\epsilon\,(-f')\,g(\epsilon)`, so
  :math:`\operatorname{var}g(T) = \int d\omega\,K(\omega)\,C(\omega)` with
  :math:`K = \int d\epsilon f'(\epsilon)f'(\epsilon+\omega)`; :math:`k_BT = (L/L_T)^2 E_c`.
* Energies in units of :math:`E_c = \hbar D/L^2`; flux differences in units of :math:`\Phi_0 = h/e`.

References
----------
.. [LSF87] P. A. Lee, A. D. Stone, H. Fukuyama, Phys. Rev. B 35, 1039 (1987).
.. [AS86] B. L. Altshuler, B. I. Shklovskii, Sov. Phys. JETP 64, 127 (1986).
.. [BvH88] C. W. J. Beenakker, H. van Houten, Phys. Rev. B 38, 3232 (1988) (field dephasing of a wire).
"""

from __future__ import annotations

import math
import numbers
from collections import Counter
from collections.abc import Sequence
from functools import cache

import mpmath
import numpy as np
import sympy as sp

from mesocorr import arguments
from mesocorr.diagrams.ucf import channel_content, derive_prefactor
from mesocorr.integrals.epstein import mode_sums, mode_sums_mp

__all__ = ["ucf_variance", "ucf_correlation", "ucf_channels", "ucf_correlation_energy", "ucf_correlation_flux",
           "MAX_DPS"]

#: largest accepted ``dps`` (time grows roughly like dps^2; 1000 digits would take minutes)
MAX_DPS = 1000


@cache
def _weights() -> tuple[sp.Expr, sp.Expr, float, float]:
    """(w_ring, w_box) derived by :func:`~mesocorr.diagrams.ucf.derive_prefactor` (SymPy, ~0.5 s, done
    once on first use rather than at import) and their float64 values."""
    w = derive_prefactor()
    return w["ring"], w["two_box"], float(w["ring"]), float(w["two_box"])


def __getattr__(name: str):
    # W_RING, W_BOX: the derived float64 weights, computed lazily (module attribute access)
    if name == "W_RING":
        return _weights()[2]
    if name == "W_BOX":
        return _weights()[3]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _exact(name: str, value, check=arguments.as_real) -> sp.Expr:
    """``value`` checked by ``check`` (a :mod:`mesocorr.arguments` checker), then exact: integers and SymPy
    numbers as they are, floats as written (:func:`mesocorr.arguments.as_rational`: 0.3 is 3/10)."""
    x = check(name, value)
    if isinstance(value, numbers.Integral):
        return sp.Integer(int(value))
    return arguments.as_rational(name, value if isinstance(value, sp.Basic) else x)


def _ratios(shape) -> tuple[sp.Expr, tuple[sp.Expr, ...]]:
    """First length L and the exact aspect ratios (L/W, L/H) of the lengths as written."""
    if isinstance(shape, (str, bytes)) or not isinstance(shape, Sequence):
        if isinstance(shape, numbers.Real) and not isinstance(shape, bool):
            shape = (shape,)
        else:
            raise TypeError(f"shape: expected 1 to 3 lengths, got {type(shape).__name__}")
    if not 1 <= len(shape) <= 3:
        raise ValueError(f"shape: give 1 (wire), 2 (film) or 3 (box) lengths, got {len(shape)}")
    lengths = [_exact(f"shape[{i}]", v, arguments.positive) for i, v in enumerate(shape)]
    return lengths[0], tuple(lengths[0] / w for w in lengths[1:])


def _exact_rate(name, value):
    """Rates (one or three) as exact SymPy numbers, floats as written (see :func:`_exact`)."""
    rates = arguments.one_or_three(name, value, lambda n, v: _exact(n, v, arguments.nonnegative))
    return list(rates) if isinstance(rates, tuple) else rates


def _setup(shape, so, mag, broken_trs, spinless, L_phi, L_T, dps):
    length, ratios = _ratios(shape)
    so_e = _exact_rate("so", so)
    mag_e = _exact_rate("mag", mag)
    if not isinstance(broken_trs, bool):
        raise TypeError(f"broken_trs: expected True or False, got {broken_trs!r}")
    if not isinstance(spinless, bool):
        raise TypeError(f"spinless: expected True or False, got {spinless!r}")
    if spinless and any(v != 0 for v in (np.ravel(so_e).tolist() + np.ravel(mag_e).tolist())):
        raise ValueError("spinless: spin-orbit and magnetic rates must be 0 for spinless electrons")
    L_phi = None if L_phi is None else _exact("L_phi", L_phi, arguments.positive)
    L_T = None if L_T is None else _exact("L_T", L_T, arguments.positive)
    if dps is not None:
        dps = arguments.integer("dps", dps, minimum=1, maximum=MAX_DPS)
    content = channel_content(so=so_e, mag=mag_e, broken_trs=broken_trs, spinless=spinless)
    gphi = sp.Integer(0) if L_phi is None else (length / L_phi) ** 2
    temp = sp.Integer(0) if L_T is None else (length / L_T) ** 2 / sp.pi**2
    # gaps in eigenvalue units pi^2 D/L^2 (exact: the channel gaps of exact rates are exact)
    chans = [(k, n, g, (g + gphi) / sp.pi**2) for k, n, g in content]
    return ratios, chans, temp, dps


def _num(expr, dps):
    if dps is None:
        return float(expr)
    return mpmath.mpf(sp.N(expr, dps + 20)) if not expr.is_Rational else mpmath.mpf(expr.p) / expr.q


def _evaluate(ratios, gaps_extra, chans, temp, dps, energy=0):
    """Weighted total over channels; gaps_extra maps kind -> additional eigenvalue-unit gap (SymPy).

    ``ratios`` exact (SymPy rationals); ``energy`` in eigenvalue units: a float (float64 path) or an
    mpf at the working precision (mpmath path).
    """
    groups = Counter((c[3] + gaps_extra.get(c[0], 0)) for c in chans)
    w_ring, w_box, w_ring_f, w_box_f = _weights()
    if dps is None:
        g = np.array([float(k) for k in groups])
        w = np.array(list(groups.values()), dtype=float)
        ring, box = mode_sums([float(r) for r in ratios], g, float(energy), temperature=float(temp))
        return float(w_ring_f * (w * ring).sum() + w_box_f * (w * box).sum()), None
    work = dps + 12
    with mpmath.workdps(work):
        gaps = [_num(k, work) for k in groups]
        res = mode_sums_mp([_num(r, work) for r in ratios], gaps, list(groups.values()),
                           energy=mpmath.mpf(energy),
                           temperature=_num(temp, work), dps=dps,
                           combine=(_num(w_ring, work), _num(w_box, work)))
        value = res[0]
        err = res.error
    with mpmath.workdps(dps):
        return +value, err


def ucf_variance(shape=(1, 1, 1), so=0, mag=0, broken_trs: bool = False, spinless: bool = False,
                 L_phi=None, L_T=None, dps: int | None = None):
    r"""Variance of the conductance, :math:`\operatorname{var}G` in units of :math:`(e^2/h)^2`.

    Parameters
    ----------
    shape : sequence of 1-3 positive floats
        (L, W, H); current along L. One length = quasi-1D wire, two = film, three = box.
    so, mag : float or three floats
        Spin-orbit / magnetic scattering rates in units of :math:`D/L^2` (isotropic total or x, y, z).
    broken_trs : bool
        Field strong enough to suppress every Cooperon.
    spinless : bool
        Spinless electrons (one channel per kind) instead of spin 1/2 (four channels per kind).
    L_phi, L_T : float, optional
        Dephasing and thermal lengths in the unit of ``shape``; ``None`` = infinite.
    dps : int, optional
        Significant digits: returns an ``mpmath.mpf`` correct to ``dps`` digits (raises
        ``ArithmeticError`` if the accuracy check fails). ``None``: float64 (~1e-13 relative).

    Examples
    --------
    >>> round(ucf_variance(shape=(1,), spinless=True), 12)      # 2/15 [LSF87]
    0.133333333333
    >>> round(ucf_variance(shape=(1,), spinless=True, broken_trs=True), 12)
    0.066666666667
    >>> import mpmath
    >>> mpmath.nstr(ucf_variance(shape=(1, 1, 1), spinless=True, dps=30), 30)
    '0.314054078251981593709762788767'
    """
    ratios, chans, temp, dps = _setup(shape, so, mag, broken_trs, spinless, L_phi, L_T, dps)
    return _evaluate(ratios, {}, chans, temp, dps)[0]


def ucf_channels(shape=(1, 1, 1), so=0, mag=0, broken_trs: bool = False, spinless: bool = False,
                 L_phi=None, L_T=None) -> list[dict]:
    """Per-channel breakdown (float64): kind, name, gap (units of D/L^2, before L_phi) and its variance share."""
    ratios, chans, temp, _ = _setup(shape, so, mag, broken_trs, spinless, L_phi, L_T, None)
    _, _, w_ring, w_box = _weights()
    # one vectorised call over the channels (one heat trace on one set of nodes)
    ring, box = mode_sums([float(r) for r in ratios], [float(c[3]) for c in chans], 0.0, temperature=float(temp))
    return [{"kind": kind, "name": name, "gap": float(gap), "variance": float(w_ring * r + w_box * b)}
            for (kind, name, gap, _), r, b in zip(chans, ring, box)]


def ucf_correlation(delta_E=0.0, delta_flux=0.0, flux=0.0, shape=(1,), so=0, mag=0, broken_trs: bool = False,
                    spinless: bool = False, L_phi=None, L_T=None, dps: int | None = None):
    r"""Correlation :math:`C = \langle\delta g(E,\Phi)\,\delta g(E+\Delta E,\Phi+\Delta\Phi)\rangle` in :math:`(e^2/h)^2`.

    Parameters
    ----------
    delta_E : float
        Energy difference in units of :math:`E_c=\hbar D/L^2`; enters every propagator as
        :math:`-i\,\Delta E/(\pi^2E_c)` (ring: :math:`\operatorname{Re}P^2`, two-box: :math:`|P|^2`).
    delta_flux, flux : float
        Field difference and first field as fluxes :math:`\Delta B\,WL/\Phi_0`, :math:`B\,WL/\Phi_0`
        (:math:`\Phi_0=h/e`) through the L x W face, field normal to it. Geometry supported: a
        narrow wire, :math:`W \ll L` and :math:`W` below the magnetic length, where the field
        dephases uniformly [BvH88]: the Diffuson (vector potential :math:`A_1-A_2`) gets the rate
        :math:`D(e\Delta B W)^2/12\hbar^2`, i.e. :math:`\gamma = (\Delta\Phi/\Phi_0)^2/3` in
        eigenvalue units, the Cooperon (:math:`A_1+A_2`) :math:`((2\Phi+\Delta\Phi)/\Phi_0)^2/3`.
        For a film or box the same uniform rate is applied to every mode (an approximation).
    L_T : float, optional
        Thermal length; only with ``delta_E = 0``.

    Other parameters as :func:`ucf_variance`. ``C(0, 0) = ucf_variance(...)``.

    Examples
    --------
    >>> c0 = ucf_correlation(shape=(1,), spinless=True, broken_trs=True)
    >>> round(c0, 12), round(ucf_correlation(delta_E=10.0, shape=(1,), spinless=True, broken_trs=True) / c0, 6)
    (0.066666666667, 0.372075)
    """
    setup = _setup(shape, so, mag, broken_trs, spinless, L_phi, L_T, dps)
    return _correlation(setup, delta_E, delta_flux, flux)


def _correlation(setup, delta_E, delta_flux, flux):
    """:func:`ucf_correlation` for the output of :func:`_setup` (set up once, evaluated many times)."""
    ratios, chans, temp, dps = setup
    dE = _exact("delta_E", delta_E)
    dflux = _exact("delta_flux", delta_flux)
    flux = _exact("flux", flux)
    if dE != 0 and temp:
        raise ValueError("L_T: thermal averaging is implemented for delta_E = 0 only")
    extra = {"diffuson": dflux**2 / 3, "cooperon": (2 * flux + dflux) ** 2 / 3}
    if dps is None:
        eps = abs(float(dE)) / math.pi**2
    else:
        with mpmath.workdps(dps + 12):
            eps = abs(_num(dE, dps + 12)) / mpmath.pi**2
    return _evaluate(ratios, extra, chans, temp, dps, energy=eps)[0]


def _half_width(func, hi_start: float) -> float:
    from scipy.optimize import brentq

    c0 = func(0.0)
    hi = hi_start
    while func(hi) > c0 / 2:
        hi *= 2
        if hi > 1e12:
            raise ArithmeticError("no half-width found")
    return brentq(lambda x: func(x) - c0 / 2, 0.0, hi, xtol=1e-14, rtol=1e-13)


def _correlation_of(variable: str, shape, kwargs: dict):
    """``C`` as a function of ``variable`` ("delta_E" or "delta_flux") with every other argument of
    :func:`ucf_correlation` fixed; the channels are set up once, not at every root-finder step."""
    fixed = {"delta_E": 0.0, "delta_flux": 0.0, "flux": 0.0}
    if variable in kwargs:
        raise TypeError(f"{variable}: is the variable of the half-width search; do not pass it")
    for k in ("delta_E", "delta_flux", "flux"):
        if k in kwargs:
            fixed[k] = kwargs.pop(k)
    setup = _setup_kw(shape, **kwargs)

    def corr(x):
        return _correlation(setup, **{**fixed, variable: x})

    return corr


def _setup_kw(shape, so=0, mag=0, broken_trs=False, spinless=False, L_phi=None, L_T=None, dps=None):
    return _setup(shape, so, mag, broken_trs, spinless, L_phi, L_T, dps)


def ucf_correlation_energy(shape=(1,), **kwargs) -> float:
    r"""Correlation energy :math:`E_{corr}`: :math:`C(\Delta E = E_{corr}) = C(0)/2`, in units of :math:`E_c=\hbar D/L^2`.

    >>> round(ucf_correlation_energy(shape=(1,), spinless=True, broken_trs=True), 6)
    7.728619
    """
    return _half_width(_correlation_of("delta_E", shape, kwargs), 1.0)


def ucf_correlation_flux(shape=(1,), **kwargs) -> float:
    r"""Correlation flux :math:`\Delta\Phi_c/\Phi_0` (half-width of :math:`C(\Delta\Phi)`) at ``flux`` (default 0).

    Field: :math:`\Delta B_c = \Delta\Phi_c\,\Phi_0/(WL)`.
    """
    return _half_width(_correlation_of("delta_flux", shape, kwargs), 0.5)
