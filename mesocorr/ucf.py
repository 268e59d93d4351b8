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
from collections import Counter
from collections.abc import Sequence
from fractions import Fraction
from functools import cache, lru_cache

import numpy as np

from mesocorr import arguments
from mesocorr.integrals.derived_constants import COOPERON_CHANNELS, DIFFUSON_CHANNELS, UCF_WEIGHTS, monomial_float
from mesocorr.integrals.epstein import mode_sums, zero_energy_mode_sums
from mesocorr.physics_warnings import warn_inconsistent
from mesocorr.zeeman import zeeman_ucf_correlation, zeeman_ucf_variance

__all__ = ["ucf_variance", "ucf_correlation", "ucf_channels", "ucf_correlation_energy", "ucf_correlation_flux",
           "MAX_DPS", "MAX_ASPECT", "MAX_GAP", "MAX_GAP_MP", "MAX_TEMPERATURE", "MAX_ENERGY", "SECONDS_CAP"]

#: largest accepted ``dps``: the accuracy-checked mpmath quadrature grows ~dps^3; measured worst case of the
#: documented examples at 60 digits ~10 s on a shared 2-core machine (docs/conventions.md, "Caps on work")
MAX_DPS = 60
#: aspect ratios L/W, L/H must lie in [1/MAX_ASPECT, MAX_ASPECT] (quadrature nodes validated there)
MAX_ASPECT = 1e6
#: channel gaps (spin gap + (L/L_phi)^2 + field terms, units of D/L^2) above this are refused: the variance
#: is then ~gap^(d/2 - 2), below 1e-18 of the gapless value, and the float64 heat trace leaves its range
MAX_GAP = 1e100
#: the accuracy-checked mpmath quadrature converges for channel gaps up to this (units of D/L^2; measured: the
#: quasi-1D wire at 1e13 fails its own accuracy check at 20 digits); larger gaps on the dps= path are refused
MAX_GAP_MP = 1e10
#: thermal smearing (L/L_T)^2 = k_B T/E_c above this is refused (var ~ (L_T/L)^2 is then < 1e-8 x the T = 0 value)
MAX_TEMPERATURE = 1e8
#: refuse work (broadcast points x time per point) estimated above this many seconds
SECONDS_CAP = 20.0


def _seconds(dps, points: int, thermal: bool) -> float:
    """Estimated wall time (measured): float64 ~1 ms per point (4 ms with L_T); mpmath ~10 s at 60 digits,
    growing like dps^3, plus ~0.3 s per point."""
    if dps is None:
        return points * (4e-3 if thermal else 1e-3)
    return points * (0.3 + 10.0 * (dps / 60) ** 3)


@cache
def _weights() -> tuple[float, float]:
    """(w_ring, w_box) float64, derived by :func:`~mesocorr.diagrams.ucf.derive_prefactor` and stored in
    :data:`mesocorr.integrals.derived_constants.UCF_WEIGHTS` (re-derived by the tests)."""
    return monomial_float(UCF_WEIGHTS["ring"]), monomial_float(UCF_WEIGHTS["two_box"])


def __getattr__(name: str):
    # W_RING, W_BOX: the derived float64 weights (module attribute access)
    if name == "W_RING":
        return _weights()[0]
    if name == "W_BOX":
        return _weights()[1]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _ratios(shape) -> tuple[Fraction, tuple[Fraction, ...]]:
    """First length L and the exact aspect ratios (L/W, L/H) of the lengths as written."""
    if isinstance(shape, (str, bytes)) or not isinstance(shape, Sequence):
        if isinstance(shape, np.ndarray) and shape.ndim == 1:
            shape = list(shape)
        elif arguments.as_real("shape", shape) is not None:
            shape = (shape,)
    if not 1 <= len(shape) <= 3:
        raise ValueError(f"shape: give 1 (wire), 2 (film) or 3 (box) lengths, got {len(shape)}")
    lengths = []
    for i, v in enumerate(shape):
        arguments.positive(f"shape[{i}]", v)
        lengths.append(arguments.as_fraction(f"shape[{i}]", v))
    ratios = tuple(lengths[0] / w for w in lengths[1:])
    for i, r in enumerate(ratios, start=1):
        if not 1 / MAX_ASPECT <= r <= MAX_ASPECT:
            raise ValueError(f"shape[{i}]: the aspect ratio L/{'WH'[i - 1]} = {arguments.approx(r)} is outside "
                             f"[{1 / MAX_ASPECT:g}, {MAX_ASPECT:g}] (the range in which the mode sums are validated)")
    return lengths[0], ratios


def _scalar_rates(name: str, value) -> tuple[Fraction, Fraction, Fraction]:
    """One ``so``/``mag`` point (isotropic total or three components) as three exact component rates."""
    def one(n, v):
        arguments.nonnegative(n, v)
        return arguments.as_fraction(n, v)

    rates = arguments.one_or_three(name, value, one)
    return rates if isinstance(rates, tuple) else (rates / 3, rates / 3, rates / 3)


def _channel_list(so, mag, broken_trs: bool, spinless: bool) -> list[tuple[str, str, Fraction]]:
    """(kind, channel name, spin gap in D/L^2) of every channel in the variance, each with weight one.

    The seam of the numeric kernel: a list of exact gaps (here from the stored linear forms of
    :data:`~mesocorr.integrals.derived_constants.DIFFUSON_CHANNELS` / ``COOPERON_CHANNELS``, the same as
    :func:`mesocorr.diagrams.ucf.channel_content`, checked in the tests) feeding :func:`_evaluate`.
    """
    kinds = ("diffuson",) if broken_trs else ("diffuson", "cooperon")
    if spinless:
        return [(k, "spinless", Fraction(0)) for k in kinds]
    rates = (*so, *mag)
    table = {"diffuson": [(n, c) for n, c in DIFFUSON_CHANNELS], "cooperon": [(n, c) for n, c, _ in COOPERON_CHANNELS]}
    return [(k, n, sum((c * r for c, r in zip(coeffs[:6], rates)), Fraction(0))) for k in kinds for n, coeffs in table[k]]


def _setup(shape, so, mag, broken_trs, spinless, L_phi, L_T, dps):
    """One parameter point: exact ratios, channels ``(kind, name, spin gap, gap)`` with
    gap = spin gap + (L/L_phi)^2 in D/L^2 (eigenvalue units: divide by pi^2), temperature (L/L_T)^2."""
    length, ratios = _ratios(shape)
    so_e = _scalar_rates("so", so)
    mag_e = _scalar_rates("mag", mag)
    broken_trs = arguments.boolean("broken_trs", broken_trs)
    spinless = arguments.boolean("spinless", spinless)
    if spinless and any(v != 0 for v in (*so_e, *mag_e)):
        raise ValueError("spinless: spin-orbit and magnetic rates must be 0 for spinless electrons")
    gphi = Fraction(0)
    if L_phi is not None:
        arguments.positive("L_phi", L_phi)
        gphi = (length / arguments.as_fraction("L_phi", L_phi)) ** 2
    temp = Fraction(0)
    if L_T is not None:
        arguments.positive("L_T", L_T)
        temp = (length / arguments.as_fraction("L_T", L_T)) ** 2
        if temp > MAX_TEMPERATURE:
            raise ValueError(f"L_T: (L/L_T)^2 = {arguments.approx(temp)} exceeds {MAX_TEMPERATURE:g} (L_T < 1e-4 L); the "
                             "thermally averaged variance is then below 1e-8 of the T = 0 value and is not computed")
    if dps is not None:
        dps = arguments.integer("dps", dps, minimum=1, maximum=MAX_DPS)
    chans = [(k, n, g, g + gphi) for k, n, g in _channel_list(so_e, mag_e, broken_trs, spinless)]
    cap = MAX_GAP if dps is None else MAX_GAP_MP
    for _, n, _, g in chans:
        if g > cap:
            raise ValueError(f"{'L_phi' if gphi > cap else 'so, mag'}: the {n} channel gap {arguments.approx(g)} D/L^2 "
                             f"exceeds {cap:g}, the largest gap the {'float64' if dps is None else 'mpmath'} mode "
                             "sums are validated for; give a longer L_phi or smaller rates"
                             + ("" if dps is None else " (or the float64 path, dps=None)"))
    return ratios, chans, temp, dps


def _mp_number(q: Fraction):
    import mpmath

    return mpmath.mpf(q.numerator) / q.denominator


def _evaluate(ratios, gaps_extra, chans, temp, dps, energy=Fraction(0)):
    """Weighted total over channels; gaps_extra maps kind -> additional eigenvalue-unit gap (Fraction).

    A channel's gap in eigenvalue units is ``gap/pi^2 + extra``; ``temp/pi^2`` the temperature, ``energy/pi^2``
    the energy difference (``energy`` = |delta_E| in E_c, exact).
    """
    groups = Counter((c[3], gaps_extra.get(c[0], Fraction(0))) for c in chans)
    if dps is None:
        w_ring, w_box = _weights()
        pi2 = math.pi**2
        g = np.array([float(a) / pi2 + float(e) for a, e in groups])
        w = np.array(list(groups.values()), dtype=float)
        ring, box = mode_sums([float(r) for r in ratios], g, float(energy) / pi2, temperature=float(temp) / pi2)
        return float(w_ring * (w * ring).sum() + w_box * (w * box).sum()), None
    import mpmath

    from mesocorr.integrals.derived_constants import monomial_mp
    from mesocorr.integrals.epstein import mode_sums_mp

    work = dps + 12
    with mpmath.workdps(work):
        pi2 = mpmath.pi**2
        gaps = [_mp_number(a) / pi2 + _mp_number(e) for a, e in groups]
        res = mode_sums_mp([_mp_number(r) for r in ratios], gaps, list(groups.values()),
                           energy=_mp_number(energy) / pi2, temperature=_mp_number(temp) / pi2, dps=dps,
                           combine=(monomial_mp(UCF_WEIGHTS["ring"]), monomial_mp(UCF_WEIGHTS["two_box"])))
        value = res[0]
        err = res.error
    with mpmath.workdps(dps):
        return +value, err


def _ucf_physics_checks(shape, L_phi, L_T, mean_free_path):
    if mean_free_path is None:
        return
    l_e = arguments.positive("mean_free_path", mean_free_path)
    length = arguments.positive("shape[0]", shape[0] if isinstance(shape, (Sequence, np.ndarray)) and
                                not isinstance(shape, (str, bytes)) else shape)
    if l_e >= length:
        warn_inconsistent(f"mean_free_path, shape: l = {l_e:.3g} is not shorter than the sample length L = "
                          f"{length:.3g}; UCF of a diffusive sample needs l << L")
    for name, value in (("L_phi", L_phi), ("L_T", L_T)):
        if value is None:
            continue
        shortest = float(np.min(arguments.real_values(name, value, "positive")))
        if shortest < l_e:
            warn_inconsistent(f"{name}, mean_free_path: {name} = {shortest:.3g} is shorter than the mean "
                              f"free path l = {l_e:.3g}; the diffusive mode sum needs {name} >> l")


def _broadcast(func, thermal, **params):
    """Evaluate ``func(**point)`` over the numpy broadcast of the array-valued ``params`` (``L_phi``, ``L_T``,
    ``so``, ``mag``, ...); a number when all are numbers, else an ndarray (float64) or nested lists of mpf."""
    arrays = {}
    for name, value in params.items():
        if name in ("shape", "dps", "broken_trs", "spinless"):
            continue
        if name in ("so", "mag"):
            if isinstance(value, np.ndarray) and value.ndim > 0:
                arrays[name] = arguments.real_values(name, value, "nonnegative")
            elif isinstance(value, (list, tuple)) and any(np.ndim(v) > 0 for v in value):
                raise TypeError(f"{name}: component arrays are not broadcast by the UCF functions; give an array "
                                "of isotropic totals, or three numbers")
        elif value is not None and not isinstance(value, (str, bytes)) and np.ndim(value) > 0:
            arrays[name] = arguments.real_values(name, value)    # checked again (sign, exactness) per point
    if not arrays:
        return func(**params)
    dps = params.get("dps")
    shape = arguments.broadcast_shape(next(iter(arrays)), *arrays.values())
    arguments.check_work(next(iter(arrays)) if dps is None else "dps", _seconds(dps, math.prod(shape), thermal),
                         SECONDS_CAP, f"{math.prod(shape)} parameter point(s)")
    raw = {k: np.broadcast_to(np.asarray(params[k]), shape) for k in arrays}
    out = []
    for index in np.ndindex(*shape):
        point = dict(params)
        point.update({k: v[index] for k, v in raw.items()})
        out.append(func(**point))
    if dps is None:
        return np.array(out, dtype=float).reshape(shape)
    values = np.empty(len(out), dtype=object)
    values[:] = out
    return values.reshape(shape).tolist()


@arguments.float64_range
def ucf_variance(shape=(1, 1, 1), so=0, mag=0, broken_trs: bool = False, spinless: bool = False,
                 L_phi=None, L_T=None, dps: int | None = None, mean_free_path=None, zeeman=0):
    r"""Variance of the conductance, :math:`\operatorname{var}G` in units of :math:`(e^2/h)^2`.

    Parameters
    ----------
    shape : sequence of 1-3 positive floats
        (L, W, H); current along L. One length = quasi-1D wire, two = film, three = box. Aspect ratios
        within :math:`[10^{-6}, 10^{6}]` (:data:`~mesocorr.ucf.MAX_ASPECT`).
    so, mag : float, numpy array, or three floats
        Spin-orbit / magnetic scattering rates in units of :math:`D/L^2` (isotropic total or x, y, z). A
        numpy array is an array of isotropic totals (broadcast), never x, y, z.
    broken_trs : bool
        Field strong enough to suppress every Cooperon (``True`` or ``False`` only).
    spinless : bool
        Spinless electrons (one channel per kind) instead of spin 1/2 (four channels per kind).
    L_phi, L_T : float or array_like, optional
        Dephasing and thermal lengths in the unit of ``shape``; ``None`` = infinite. Arrays broadcast.
        ``L_T`` down to :math:`10^{-4}L` (:data:`~mesocorr.ucf.MAX_TEMPERATURE`); channel gaps up to :data:`~mesocorr.ucf.MAX_GAP`.
    dps : int, optional
        Significant digits (1 to :data:`~mesocorr.ucf.MAX_DPS`): returns an ``mpmath.mpf`` correct to ``dps`` digits
        (raises ``ArithmeticError`` if the accuracy check fails). ``None``: float64 (~1e-13 relative).
        Inputs are read exactly (floats as the decimal they print as).
    mean_free_path : float, optional
        Elastic mean free path (unit of ``shape``), only to check the regime: a
        :class:`~mesocorr.PhysicsWarning` if it is not shorter than ``L`` or longer than ``L_phi``/``L_T``.
    zeeman : float or three floats, optional
        Zeeman vector :math:`\omega = g\mu_BB/\hbar` in units of :math:`D/L^2` (one number: along z). Non-zero:
        the engine's Zeeman-split Diffuson and Cooperon channels (:func:`mesocorr.zeeman.zeeman_ucf_variance`,
        complex gaps; float64 only, numbers only, no ``L_T``, spin ½). Large splitting halves the variance
        without spin-orbit (two independent spin species) and with strong spin-orbit.

    Returns
    -------
    float, numpy.ndarray, mpmath.mpf or nested lists of mpf
        The broadcast shape of the array arguments (a number when all are numbers).

    Examples
    --------
    >>> round(ucf_variance(shape=(1,), spinless=True), 12)      # 2/15 [LSF87]
    0.133333333333
    >>> round(ucf_variance(shape=(1,), spinless=True, broken_trs=True), 12)
    0.066666666667
    >>> import mpmath
    >>> mpmath.nstr(ucf_variance(shape=(1, 1, 1), spinless=True, dps=30), 12)
    '0.314054078252'
    >>> v = ucf_variance(shape=(1,), spinless=True, dps=30)
    >>> with mpmath.workdps(40):      # 2/15 [LSF87] to 30 digits
    ...     print(abs(v / (mpmath.mpf(2) / 15) - 1) < 1e-29)
    True
    """
    if (dps is None and mean_free_path is None and type(zeeman) in _PLAIN and zeeman == 0
            and type(broken_trs) is bool and type(spinless) is bool and _plain_point(shape, so, mag, L_phi, L_T)):
        return _variance_point(tuple(shape), so, mag, broken_trs, spinless, L_phi, L_T)
    _ucf_physics_checks(shape, L_phi, L_T, mean_free_path)
    if _has_zeeman(zeeman):
        _zeeman_restrictions(so=so, mag=mag, spinless=spinless, L_phi=L_phi, L_T=L_T, dps=dps)
        return zeeman_ucf_variance(shape, so, mag, zeeman, L_phi, broken_trs)
    return _broadcast(_variance, L_T is not None, shape=shape, so=so, mag=mag, broken_trs=broken_trs,
                      spinless=spinless, L_phi=L_phi, L_T=L_T, dps=dps)


def _variance(shape, so, mag, broken_trs, spinless, L_phi, L_T, dps):
    ratios, chans, temp, dps = _setup(shape, so, mag, broken_trs, spinless, L_phi, L_T, dps)
    return _evaluate(ratios, {}, chans, temp, dps)[0]


_PLAIN = (float, int)   # exact types (bool, numpy scalars, Fraction take the general path)


def _plain_rate(v) -> bool:
    return type(v) in _PLAIN or (type(v) is tuple and len(v) == 3 and type(v[0]) in _PLAIN
                                 and type(v[1]) in _PLAIN and type(v[2]) in _PLAIN)


def _plain_point(shape, so, mag, L_phi, L_T) -> bool:
    """One parameter point given as plain Python numbers (hashable, no arrays): the cached float64 path."""
    if type(shape) not in (tuple, list):
        return False
    for v in shape:
        if type(v) not in _PLAIN:
            return False
    return (_plain_rate(so) and _plain_rate(mag) and (L_phi is None or type(L_phi) in _PLAIN)
            and (L_T is None or type(L_T) in _PLAIN))


@lru_cache(maxsize=1024)
def _variance_point(shape, so, mag, broken_trs, spinless, L_phi, L_T) -> float:
    """float64 variance of one parameter point, cached: the value depends on the parameters only (issue 18: a
    repeated call costs a dictionary look-up). Errors are not cached; every input is checked by :func:`_setup`.

    A point whose inputs are all plain, in range and away from every cap goes through :func:`_float_point`
    (float arithmetic, no ``Fraction``); anything else through :func:`_setup`, which raises the errors."""
    point = _float_point(shape, so, mag, broken_trs, spinless, L_phi, L_T)
    if point is None:
        return _variance(shape, so, mag, broken_trs, spinless, L_phi, L_T, None)
    ratios, groups, temp = point
    w_ring, w_box = _weights()
    if temp == 0.0:
        total = 0.0
        for n, v in zip(groups.values(), zero_energy_mode_sums(ratios, list(groups))):
            total += n * v        # positive terms: no cancellation
        return (w_ring + w_box) * total
    ring, box = mode_sums(ratios, list(groups), 0.0, temperature=temp)
    w = np.array(list(groups.values()), dtype=float)
    return float(w_ring * (w * ring).sum() + w_box * (w * box).sum())


_EXACT_INT = 2**53
#: margin kept from the caps by the float path (the exact checks of :func:`_setup` decide at the edges)
_EDGE = 1.0 + 1e-9
_PI2 = math.pi**2


def _float_channel_matrix(kinds: tuple[str, ...]) -> np.ndarray:
    """Rows: the gap coefficients (a_x, a_y, a_z, b_x, b_y, b_z) of every channel of ``kinds``, as floats
    (0, 1 or 2: exact), from the stored linear forms of the channels (the same as :func:`_channel_list`)."""
    table = {"diffuson": [c for _, c in DIFFUSON_CHANNELS], "cooperon": [c for _, c, _ in COOPERON_CHANNELS]}
    return np.array([[float(c) for c in coeffs[:6]] for k in kinds for coeffs in table[k]])


_FLOAT_CHANNELS = {True: _float_channel_matrix(("diffuson",)), False: _float_channel_matrix(("diffuson", "cooperon"))}


def _float_value(v) -> float | None:
    """A plain int/float (``_plain_point``) as a finite float, or None (NaN, inf, an int beyond 2^53)."""
    if type(v) is int and not -_EXACT_INT <= v <= _EXACT_INT:
        return None
    x = float(v)
    return x if math.isfinite(x) else None


def _float_rates(value) -> tuple[float, ...] | None:
    """``so``/``mag`` (plain number = isotropic total, or three plain numbers) as three floats >= 0, or None."""
    if type(value) is tuple:
        xs = tuple(_float_value(v) for v in value)
        return None if None in xs or min(xs) < 0 else xs
    x = _float_value(value)
    return None if x is None or x < 0 else (x / 3, x / 3, x / 3)


def _float_point(shape, so, mag, broken_trs, spinless, L_phi, L_T):
    """The float64 set-up of one plain parameter point (``_plain_point`` true): ratios, {gap: multiplicity} in
    eigenvalue units (gap = (spin gap + (L/L_phi)^2)/pi^2), temperature (L/L_T)^2/pi^2 — or None when an input
    is out of range or near a cap (then :func:`_setup` checks it exactly and raises). The same channels and
    gaps as :func:`_setup` + :func:`_evaluate` (every gap coefficient is 0, 1 or 2, so the float sums of
    non-negative rates are accurate to a few ulps; tested against the exact set-up)."""
    if not 1 <= len(shape) <= 3:
        return None
    length = _float_value(shape[0])
    if length is None or not length > 0:
        return None
    ratios = []
    for v in shape[1:]:
        w = _float_value(v)
        if w is None or not w > 0:
            return None
        r = length / w
        if not _EDGE / MAX_ASPECT <= r <= MAX_ASPECT / _EDGE:
            return None
        ratios.append(r)
    extra = temp = 0.0
    if L_phi is not None:
        x = _float_value(L_phi)
        if x is None or not x > 0:
            return None
        extra = (length / x) * (length / x)
    if L_T is not None:
        x = _float_value(L_T)
        if x is None or not x > 0:
            return None
        temp = (length / x) * (length / x)
        if not temp <= MAX_TEMPERATURE / _EDGE:
            return None
    if spinless:
        if so != 0 or mag != 0:       # refused by _setup (tuples too: a tuple is never == 0)
            return None
        gaps = [extra] if broken_trs else [extra, extra]
    else:
        so_f, mag_f = _float_rates(so), _float_rates(mag)
        if so_f is None or mag_f is None:
            return None
        gaps = (_FLOAT_CHANNELS[broken_trs] @ np.array(so_f + mag_f) + extra).tolist()
    groups: dict[float, int] = {}
    for gap in gaps:
        if not gap <= MAX_GAP / _EDGE:
            return None
        key = gap / _PI2
        groups[key] = groups.get(key, 0) + 1
    return tuple(ratios), groups, temp / _PI2


def _has_zeeman(zeeman) -> bool:
    """True for a non-zero Zeeman vector (one number or three); checks the input."""
    z = arguments.one_or_three("zeeman", zeeman, arguments.as_real)
    return any(z) if isinstance(z, tuple) else z != 0


def _zeeman_restrictions(so, mag, spinless, L_phi, L_T, dps, delta_flux=0.0, flux=0.0) -> None:
    for name, value in (("so", so), ("mag", mag), ("L_phi", L_phi)):
        if isinstance(value, np.ndarray) and value.ndim > 0:
            raise TypeError(f"{name}: with zeeman the UCF functions take numbers (no broadcasting)")
    if arguments.boolean("spinless", spinless):
        raise ValueError("zeeman: a Zeeman splitting needs spin 1/2 (spinless=False)")
    if L_T is not None:
        raise ValueError("L_T: thermal smearing with zeeman is not implemented (use L_T=None)")
    if dps is not None:
        raise ValueError("dps: the Zeeman UCF path is float64 only (dps=None)")
    if arguments.as_real("delta_flux", delta_flux) != 0 or arguments.as_real("flux", flux) != 0:
        raise ValueError("delta_flux: with zeeman only the energy correlation is implemented (flux = 0)")


def ucf_channels(shape=(1, 1, 1), so=0, mag=0, broken_trs: bool = False, spinless: bool = False,
                 L_phi=None, L_T=None) -> list[dict]:
    """Per-channel breakdown (float64, one parameter point): kind, name, gap (units of D/L^2, before L_phi)
    and its variance share.

    Parameters
    ----------
    shape : sequence of 1-3 positive floats
        (L, W, H) as in :func:`ucf_variance`.
    so, mag : float or three floats
        Spin-orbit / magnetic rates in units of :math:`D/L^2` (isotropic total or x, y, z).
    broken_trs : bool
        Every Cooperon suppressed (strong field).
    spinless : bool
        One channel per kind instead of four.
    L_phi, L_T : float, optional
        Dephasing and thermal lengths in the unit of ``shape``; ``None`` = infinite.

    Returns
    -------
    list of dict
        One dict per channel: ``kind`` (``"diffuson"`` or ``"cooperon"``), ``name``, ``gap`` (units of
        :math:`D/L^2`, spin part only) and ``variance`` (its share of var G in :math:`(e^2/h)^2`); the shares
        add up to :func:`ucf_variance`.

    Examples
    --------
    >>> rows = ucf_channels(shape=(1,), spinless=True)
    >>> [(r["kind"], r["name"], round(r["variance"], 12)) for r in rows]
    [('diffuson', 'spinless', 0.066666666667), ('cooperon', 'spinless', 0.066666666667)]
    """
    ratios, chans, temp, _ = _setup(shape, so, mag, broken_trs, spinless, L_phi, L_T, None)
    w_ring, w_box = _weights()
    # one vectorised call over the channels (one heat trace on one set of nodes)
    ring, box = mode_sums([float(r) for r in ratios], [float(c[3]) / math.pi**2 for c in chans], 0.0,
                          temperature=float(temp) / math.pi**2)
    return [{"kind": kind, "name": name, "gap": float(gap), "variance": float(w_ring * r + w_box * b)}
            for (kind, name, gap, _), r, b in zip(chans, ring, box)]


@arguments.float64_range
def ucf_correlation(delta_E=0.0, delta_flux=0.0, flux=0.0, shape=(1,), so=0, mag=0, broken_trs: bool = False,
                    spinless: bool = False, L_phi=None, L_T=None, dps: int | None = None, mean_free_path=None,
                    zeeman=0):
    r"""Correlation :math:`C = \langle\delta g(E,\Phi)\,\delta g(E+\Delta E,\Phi+\Delta\Phi)\rangle` in :math:`(e^2/h)^2`.

    Parameters
    ----------
    delta_E : float or array_like
        Energy difference in units of :math:`E_c=\hbar D/L^2`; enters every propagator as
        :math:`-i\,\Delta E/(\pi^2E_c)` (ring: :math:`\operatorname{Re}P^2`, two-box: :math:`|P|^2`).
    delta_flux, flux : float or array_like
        Field difference and first field as fluxes :math:`\Delta B\,WL/\Phi_0`, :math:`B\,WL/\Phi_0`
        (:math:`\Phi_0=h/e`) through the L x W face, field normal to it. Geometry supported: a
        narrow wire, :math:`W \ll L` and :math:`W` below the magnetic length, where the field
        dephases uniformly [BvH88]: the Diffuson (vector potential :math:`A_1-A_2`) gets the rate
        :math:`D(e\Delta B W)^2/12\hbar^2`, i.e. :math:`\gamma = (\Delta\Phi/\Phi_0)^2/3` in
        eigenvalue units, the Cooperon (:math:`A_1+A_2`) :math:`((2\Phi+\Delta\Phi)/\Phi_0)^2/3`.
        For a film or box the same uniform rate is applied to every mode (an approximation).
    shape : sequence of 1-3 positive floats
        (L, W, H) as in :func:`ucf_variance`.
    so, mag : float, numpy array, or three floats
        Spin-orbit / magnetic rates in units of :math:`D/L^2`, as in :func:`ucf_variance`.
    broken_trs, spinless : bool
        As in :func:`ucf_variance`.
    L_phi : float or array_like, optional
        Dephasing length in the unit of ``shape``; ``None`` = infinite.
    L_T : float, optional
        Thermal length; only with ``delta_E = 0``.
    dps : int, optional
        mpmath evaluation to ``dps`` digits, as in :func:`ucf_variance`.
    mean_free_path : float, optional
        Only to check the regime, as in :func:`ucf_variance`.
    zeeman : float or three floats, optional
        Zeeman rate :math:`g\mu_B B/\hbar` in units of :math:`D/L^2`: the energy correlation is then
        :func:`mesocorr.zeeman.zeeman_ucf_correlation` (``delta_flux`` must be 0).

    Returns
    -------
    float, numpy.ndarray, mpmath.mpf or nested lists of mpf
        :math:`C` in :math:`(e^2/h)^2`, with the broadcast shape of the array arguments;
        ``C(0, 0) = ucf_variance(...)``.

    Examples
    --------
    >>> c0 = ucf_correlation(shape=(1,), spinless=True, broken_trs=True)
    >>> round(c0, 12), round(ucf_correlation(delta_E=10.0, shape=(1,), spinless=True, broken_trs=True) / c0, 6)
    (0.066666666667, 0.372075)
    """
    _ucf_physics_checks(shape, L_phi, L_T, mean_free_path)
    if _has_zeeman(zeeman):
        _zeeman_restrictions(so, mag, spinless, L_phi, L_T, dps, delta_flux, flux)
        if isinstance(delta_E, np.ndarray) and delta_E.ndim > 0:
            return np.array([zeeman_ucf_correlation(e, shape, so, mag, zeeman, L_phi, broken_trs)
                             for e in arguments.real_values("delta_E", delta_E).reshape(-1)]).reshape(delta_E.shape)
        return zeeman_ucf_correlation(delta_E, shape, so, mag, zeeman, L_phi, broken_trs)

    def point(delta_E, delta_flux, flux, shape, so, mag, broken_trs, spinless, L_phi, L_T, dps):
        setup = _setup(shape, so, mag, broken_trs, spinless, L_phi, L_T, dps)
        return _correlation(setup, delta_E, delta_flux, flux)

    return _broadcast(point, L_T is not None, delta_E=delta_E, delta_flux=delta_flux, flux=flux, shape=shape,
                      so=so, mag=mag, broken_trs=broken_trs, spinless=spinless, L_phi=L_phi, L_T=L_T, dps=dps)


#: largest ``|delta_E|`` (units of E_c) and ``|flux|`` accepted (the correlation has decayed by then; quadrature validated)
MAX_ENERGY = 1e6


def _correlation(setup, delta_E, delta_flux, flux):
    """:func:`ucf_correlation` for the output of :func:`_setup` (set up once, evaluated many times)."""
    ratios, chans, temp, dps = setup
    dE = arguments.as_fraction("delta_E", delta_E)
    dflux = arguments.as_fraction("delta_flux", delta_flux)
    flux = arguments.as_fraction("flux", flux)
    if abs(dE) > MAX_ENERGY:
        raise ValueError(f"delta_E: |delta_E| = {arguments.approx(abs(dE))} E_c exceeds {MAX_ENERGY:g} E_c (the correlation "
                         "has decayed far below the float64 resolution of the variance)")
    if dE != 0 and temp:
        raise ValueError("L_T: thermal averaging is implemented for delta_E = 0 only")
    extra = {"diffuson": dflux**2 / 3, "cooperon": (2 * flux + dflux) ** 2 / 3}
    for kind, e in extra.items():
        if e * 10 > MAX_GAP:   # eigenvalue units x pi^2 ~ 10 -> D/L^2
            raise ValueError(f"{'delta_flux' if kind == 'diffuson' else 'flux'}: the field dephasing rate "
                             f"{arguments.approx(e)} (eigenvalue units) exceeds the cap {MAX_GAP:g} D/L^2 of the channel gaps")
    return _evaluate(ratios, extra, chans, temp, dps, energy=abs(dE))[0]


def _half_width(func, hi_start: float, variable: str, cap: float) -> float:
    """The x > 0 with ``func(x) = func(0)/2`` (bracketed by doubling up to ``cap``, then Brent's method)."""
    from scipy.optimize import brentq

    c0 = func(0.0)
    hi = hi_start
    while func(hi) > c0 / 2:
        if hi >= cap:
            raise ValueError(f"L_phi, so, mag: the correlation {variable} (half width of C) exceeds {cap:.3g}, the "
                             f"largest {variable} the correlation is evaluated at (the channel gaps are too large)")
        hi = min(2 * hi, cap)
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
    if kwargs.get("dps") is not None:
        raise ValueError("dps: the half-width search is float64 only")
    for k, v in {**fixed, **kwargs}.items():
        if k not in ("so", "mag") and v is not None and not isinstance(v, (str, bytes)) and np.ndim(v) > 0:
            raise TypeError(f"{k}: the half-width search takes one parameter point, not an array")
    setup = _setup_kw(shape, **kwargs)

    def corr(x):
        return _correlation(setup, **{**fixed, variable: x})

    return corr


def _setup_kw(shape, so=0, mag=0, broken_trs=False, spinless=False, L_phi=None, L_T=None, dps=None):
    return _setup(shape, so, mag, broken_trs, spinless, L_phi, L_T, dps)


@arguments.float64_range
def ucf_correlation_energy(shape=(1,), **kwargs) -> float:
    r"""Correlation energy :math:`E_{corr}`: :math:`C(\Delta E = E_{corr}) = C(0)/2`, in units of :math:`E_c=\hbar D/L^2`.

    One parameter point (arrays refused), float64.

    Parameters
    ----------
    shape : sequence of 1-3 positive floats
        (L, W, H) as in :func:`ucf_variance`.
    **kwargs
        ``so``, ``mag``, ``broken_trs``, ``spinless``, ``L_phi``, ``flux`` as in :func:`ucf_correlation`.

    Returns
    -------
    float
        :math:`E_{corr}/E_c`.

    Examples
    --------
    >>> round(ucf_correlation_energy(shape=(1,), spinless=True, broken_trs=True), 6)
    7.728619
    """
    return _half_width(_correlation_of("delta_E", shape, kwargs), 1.0, "energy", MAX_ENERGY)


@arguments.float64_range
def ucf_correlation_flux(shape=(1,), **kwargs) -> float:
    r"""Correlation flux :math:`\Delta\Phi_c/\Phi_0` (half-width of :math:`C(\Delta\Phi)`) at ``flux`` (default 0).

    Field: :math:`\Delta B_c = \Delta\Phi_c\,\Phi_0/(WL)`. One parameter point (arrays refused), float64.

    Parameters
    ----------
    shape : sequence of 1-3 positive floats
        (L, W, H) as in :func:`ucf_variance` (the flux model is that of a narrow wire).
    **kwargs
        ``flux``, ``so``, ``mag``, ``broken_trs``, ``spinless``, ``L_phi`` as in :func:`ucf_correlation`.

    Returns
    -------
    float
        :math:`\Delta\Phi_c/\Phi_0` with :math:`C(\Delta\Phi_c) = C(0)/2`.

    Examples
    --------
    >>> round(ucf_correlation_flux(shape=(1,), spinless=True, broken_trs=True), 6)   # Delta Phi_c / (h/e)
    1.168226
    """
    flux = abs(arguments.as_real("flux", kwargs.get("flux", 0.0)))
    corr = _correlation_of("delta_flux", shape, kwargs)
    # the largest delta_flux whose dephasing rates (delta_flux^2/3, (2 flux + delta_flux)^2/3) stay within the cap
    cap = math.sqrt(3 * MAX_GAP / 10) * (1 - 1e-9) - 2 * flux
    return _half_width(corr, 0.5, "flux", cap)
