r"""Weak (anti)localization: zero-field corrections and magnetoconductance in d = 1, 2, 3.

Public functions (re-exported by :mod:`mesocorr`):

* :func:`magnetoconductance` — :math:`\Delta\sigma(B) = \sigma(B) - \sigma(0)`;
* :func:`wl_correction` — the zero-field correction :math:`\delta\sigma` of an infinite sample;
* :func:`wire_wl_conductance` — :math:`\delta G` of a finite wire between reservoirs;
* :func:`cooperon_channel_table` — the channels (gap, weight, :math:`B_c`, :math:`L_c`) used.

Every result is a sum over the Cooperon spin channels of :func:`mesocorr.channels`
(gap :math:`\Gamma_c`, weight :math:`w_c`: singlet :math:`-1/2`, triplets :math:`+1/2`; the spin
degeneracy :math:`s = 2` is in the prefactor). The closed forms are derived in
:mod:`mesocorr.symbolic.wl` from the Hikami-box prefactor of :mod:`mesocorr.diagrams.hikami`.

Units (SI in, :math:`e^2/h` out): ``D`` in m²/s, ``B`` in tesla, rates ``so``, ``mag``, ``phi`` in
1/s, lengths in m. :math:`\Delta\sigma`, :math:`\delta\sigma` are in units of :math:`e^2/h`:

* d = 2: per square (sheet conductance);
* d = 1: :math:`e^2/h` times metre, i.e. :math:`\delta G\cdot L` for a wire of length :math:`L`;
* d = 3: :math:`(e^2/h)/\mathrm m` (conductivity).

Characteristic field of channel :math:`c`: :math:`B_c = \hbar\Gamma_c/(4eD)`; length
:math:`L_c = \sqrt{D/\Gamma_c}`. Conventions: ``docs/conventions.md``, section "Weak (anti)localization and magnetoconductance".

References
----------
.. [HLN80] S. Hikami, A. I. Larkin, Y. Nagaoka, Prog. Theor. Phys. 63, 707 (1980).
.. [K80] A. Kawabata, Solid State Commun. 34, 431 (1980).
.. [AA81] B. L. Altshuler, A. G. Aronov, JETP Lett. 33, 499 (1981).
.. [BvH88] C. W. J. Beenakker, H. van Houten, Phys. Rev. B 38, 3232 (1988).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import numpy as np

from mesocorr import arguments
from mesocorr.integrals.derived_constants import (
    COOPERON_CHANNELS,
    WL_FIELD_RATE,
    WL_SHAPE_COEFFICIENTS,
    WL_ZERO_FIELD,
    monomial_float,
    monomial_mp,
)
from mesocorr.ilp import ilp_magnetoconductance
from mesocorr.integrals.hln import hln_f_core, hln_f_scalar, in_blocks
from mesocorr.integrals.kawabata import kawabata_f3_core, kawabata_f3_scalar
from mesocorr.physics_warnings import warn_inconsistent
from mesocorr.units import E_CHARGE, HBAR, mp_constant
from mesocorr.zeeman import SUBTRACTIONS, zeeman_magnetoconductance

__all__ = ["magnetoconductance", "wl_correction", "wire_wl_conductance", "sample_wl_conductance",
           "cooperon_channel_table", "SPIN_DEGENERACY", "MAX_DPS", "MP_SECONDS_CAP"]

#: spin degeneracy in the conductivity prefactor (the channel weights sum to 1)
SPIN_DEGENERACY = 2
_GUARD = 10
#: largest accepted ``dps`` (one 2D channel value at 1000 digits takes ~1.6 s, see ``_mp_seconds``)
MAX_DPS = 1000
#: refuse ``dps=`` work estimated above this many seconds (values x channels x time per value)
MP_SECONDS_CAP = 20.0


def _mp_seconds(dps: int, evaluations: int) -> float:
    """Estimated wall time of ``evaluations`` mpmath channel values at ``dps`` digits (measured worst case:
    the 2D digamma near 1/2, 1.6 s at 1000 digits growing like dps^3, plus ~1 ms overhead per value)."""
    return evaluations * (1e-3 + 1.6 * (dps / 1000) ** 3)


# ----------------------------------------------------------------------------- channels
@dataclass(frozen=True)
class _Chan:
    names: tuple
    gap: Fraction | float | np.ndarray  # 1/s (or D/L^2 units for the wire); exact on the scalar path
    weight: Fraction


def _exact_scalar_rates(name: str, value) -> tuple[Fraction, Fraction, Fraction]:
    """One ``so``/``mag`` value (isotropic total, or three components) -> three exact component rates."""
    rates = arguments.one_or_three(name, value, _nonnegative_fraction)
    return rates if isinstance(rates, tuple) else (rates / 3, rates / 3, rates / 3)


def _nonnegative_fraction(name: str, value) -> Fraction:
    arguments.nonnegative(name, value)
    return arguments.as_fraction(name, value)


@lru_cache(maxsize=4096)
def _merged_channels(so, mag, phi) -> tuple:
    """Channels with equal exact gaps merged (weights summed, zero-weight groups dropped)."""
    rates = (*so, *mag, phi)
    merged: dict = {}
    for name, coeffs, weight in COOPERON_CHANNELS:
        gap = sum((c * r for c, r in zip(coeffs, rates)), Fraction(0))
        names, total = merged.get(gap, ((), Fraction(0)))
        merged[gap] = (names + (name,), total + weight)
    return tuple(_Chan(names, gap, weight) for gap, (names, weight) in merged.items() if weight != 0)


def _channels(so, mag, phi) -> tuple:
    """Exact channels of one parameter point (scalars)."""
    return _merged_channels(_exact_scalar_rates("so", so), _exact_scalar_rates("mag", mag),
                            _nonnegative_fraction("phi", phi))


def _array_channels(so, mag, phi) -> tuple:
    """float64 channels for rates that are arrays (broadcasting): gaps as arrays, equal gap arrays merged."""
    rates = (*so, *mag, phi)
    groups: list = []   # [names, gap array, weight]
    with np.errstate(over="ignore"):
        for name, coeffs, weight in COOPERON_CHANNELS:
            gap = sum((float(c) * r for c, r in zip(coeffs, rates) if c), np.zeros(()))
            for g in groups:
                if np.shape(g[1]) == np.shape(gap) and np.array_equal(g[1], gap):
                    g[0] += (name,)
                    g[2] += weight
                    break
            else:
                groups.append([(name,), gap, weight])
    return tuple(_Chan(n, g, w) for n, g, w in groups if w != 0)


def _float_gap(name: str, gap) -> float | np.ndarray:
    """A channel gap as float64 (or the array of them), or ValueError when it leaves the float64 range."""
    try:
        g = float(gap) if isinstance(gap, Fraction) else np.asarray(gap, dtype=float)
    except OverflowError:
        g = math.inf
    if not np.all(np.isfinite(g)):
        raise ValueError(f"{name}: a Cooperon channel gap (sum of the rates) exceeds the float64 range; "
                         "give smaller rates (or use dps=)")
    return g


def _require_gapped(chans, what: str) -> None:
    for ch in chans:
        if np.any(np.asarray(ch.gap) == 0):
            raise ValueError(
                f"phi: the Cooperon channel {'/'.join(ch.names)} is gapless (gap 0: no dephasing"
                f"{' and no magnetic scattering' if 'singlet' in ch.names else ''}), so {what} diverges; "
                "give phi > 0 (or mag > 0)")


@arguments.float64_range
def cooperon_channel_table(D: float = None, so=0, mag=0, phi=0) -> list[dict]:
    r"""The Cooperon channels used by :func:`magnetoconductance` (channels with equal gaps merged).

    Returns a list of dicts: ``names``, ``gap`` (1/s), ``weight``, and with ``D`` given ``B_c``
    (tesla, :math:`\hbar\Gamma_c/4eD`) and ``L_c`` (m, :math:`\sqrt{D/\Gamma_c}`; ``None`` for a gapless
    channel, whose length is infinite: no result holds a non-finite number).
    One parameter point: arrays are refused (``TypeError`` naming the argument).

    Parameters
    ----------
    D : float, optional
        Diffusion constant (m²/s); without it the table has no ``B_c``/``L_c``.
    so, mag : float or three floats
        Spin-orbit and magnetic scattering rates (1/s), isotropic total or x, y, z components.
    phi : float
        Dephasing rate (1/s).

    Returns
    -------
    list of dict
        One dict per distinct gap: ``names`` (list of channel names), ``gap`` (1/s), ``weight``
        (summed WL weights), and with ``D`` also ``B_c`` (T) and ``L_c`` (m).

    Examples
    --------
    >>> rows = cooperon_channel_table(D=0.01, so=4e11, phi=1e10)
    >>> [(r["names"], r["weight"]) for r in rows]
    [(['singlet'], -0.5), (['triplet_x', 'triplet_y', 'triplet_z'], 1.5)]
    >>> f"{rows[0]['B_c']:.6g} T", f"{rows[1]['L_c']:.6g} m"
    ('0.000164553 T', '1.35665e-07 m')
    """
    Dv = arguments.positive_or_none("D", D)
    rows = []
    for ch in _channels(so, mag, phi):
        gap = _float_gap("so", ch.gap)
        row = {"names": list(ch.names), "gap": gap, "weight": float(ch.weight)}
        if Dv is not None:
            with np.errstate(all="ignore"):
                row["B_c"] = float(np.float64(HBAR) / (4 * E_CHARGE) * np.float64(gap) / Dv)
                row["L_c"] = float(np.sqrt(Dv) / np.sqrt(np.float64(gap))) if gap > 0 else None
            if not (math.isfinite(row["B_c"]) and (gap == 0 or math.isfinite(row["L_c"]))):
                raise ValueError("D: the channel field B_c or length L_c leaves the float64 range")
        rows.append(row)
    return rows


# ----------------------------------------------------------------------------- derived coefficients
def _shape_coefficient(kind: str, s: int = SPIN_DEGENERACY) -> float:
    """Derived prefactor (``mesocorr.integrals.derived_constants.WL_SHAPE_COEFFICIENTS``) times ``s``, float64."""
    return s * monomial_float(WL_SHAPE_COEFFICIENTS[kind])


def _shape_coefficient_mp(kind: str, s: int = SPIN_DEGENERACY):
    """The same at the caller's mpmath precision (exact rational times a power of pi)."""
    return s * monomial_mp(WL_SHAPE_COEFFICIENTS[kind])


# ----------------------------------------------------------------------------- inputs
def _dps(dps, cap: int = MAX_DPS):
    if dps is None:
        return None
    return arguments.integer("dps", dps, minimum=1, maximum=cap)


def _mp(value):
    """A Fraction (or int) as an mpf at the working precision."""
    if isinstance(value, Fraction):
        import mpmath

        return mpmath.mpf(value.numerator) / value.denominator
    import mpmath

    return mpmath.mpf(value)


def _nested(values: list, shape: tuple):
    """Flat list of mpf -> nested lists with ``shape`` (the documented dps= result for array input)."""
    if not shape:
        return values[0]
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out.reshape(shape).tolist()


def _shaped(out, shape):
    """float64 result with the broadcast ``shape``: a float for shape (), else an ndarray (no needless copy)."""
    out = np.asarray(out, dtype=float)
    if shape == ():
        return float(out)
    return out if out.shape == shape else np.array(np.broadcast_to(out, shape))


def _element(value, index, shape):
    """Element ``index`` of ``value`` broadcast to ``shape`` (numbers pass through)."""
    if isinstance(value, np.ndarray) and value.ndim:
        return np.broadcast_to(value, shape)[index]
    return value


def _rates_exact(name: str, value):
    return arguments.rate_values(name, value, arguments.exact_values)


def _rates_float(name: str, value):
    return arguments.rate_values(name, value, arguments.real_values)


def _has_array(*values) -> bool:
    return any(isinstance(v, np.ndarray) and v.ndim > 0 for v in values)


def _mc_physics_checks(dim, absb, D, width, phi, so, mag, tau) -> None:
    """PhysicsWarning for inputs outside the regime of the closed forms (messages start with the arguments)."""
    bmax = float(np.max(absb)) if np.size(absb) else 0.0
    if dim == 1 and width is not None:
        wmax = float(np.max(width))
        with np.errstate(all="ignore"):
            if bmax > 0:
                l_b = np.sqrt(np.float64(HBAR / E_CHARGE)) / np.sqrt(np.float64(bmax))
                if wmax > l_b:
                    warn_inconsistent(f"width, B: the wire width W = {wmax:.3g} m exceeds the magnetic length "
                                      f"l_B = sqrt(hbar/eB) = {l_b:.3g} m at |B| = {bmax:.3g} T; the quasi-1D field "
                                      "dephasing 1/tau_B = D e^2 W^2 B^2/(3 hbar^2) needs W << l_B")
            phimax = float(np.max(phi))
            if phimax > 0:
                l_phi = np.sqrt(np.float64(np.min(D))) / np.sqrt(np.float64(phimax))
                if wmax > l_phi:
                    warn_inconsistent(f"width, phi: the wire width W = {wmax:.3g} m exceeds the dephasing length "
                                      f"L_phi = sqrt(D/phi) = {l_phi:.3g} m; dim=1 needs W << L_phi "
                                      "(use dim=2 for a wide strip)")
    if tau is not None:
        _tau_checks(tau, D, phi, so, mag, bmax)


def _tau_checks(tau, D, phi, so, mag, bmax=None) -> None:
    """Checks that need the elastic time: B << B_tau = hbar/(4 e D tau), rates << 1/tau (numpy float64
    arithmetic: a check never raises, B_tau may be 0 or inf for extreme inputs)."""
    with np.errstate(all="ignore"):
        tmax = np.float64(np.max(tau))
        if bmax:
            b_tau = np.float64(HBAR) / (4 * E_CHARGE) / np.float64(np.max(D)) / tmax
            if bmax > b_tau:
                warn_inconsistent(f"B, elastic_time: |B| = {bmax:.3g} T exceeds B_tau = hbar/(4 e D tau) = {b_tau:.3g} "
                                  "T; the diffusive (Landau-level sum with B << B_tau) forms do not hold there")
        phimax = np.float64(np.max(phi))
        if phimax * tmax > 1:
            warn_inconsistent(f"phi, elastic_time: the dephasing time tau_phi = 1/phi = {1 / phimax:.3g} s "
                              f"is shorter than the elastic time tau = {tmax:.3g} s; weak localization needs "
                              "tau_phi >> tau")
        for name, r in (("so", so), ("mag", mag)):
            total = np.float64(np.max(sum(np.asarray(c, dtype=float) for c in r)))
            if total * tmax > 1:
                warn_inconsistent(f"{name}, elastic_time: the total {name} rate {total:.3g} 1/s exceeds the elastic "
                                  f"scattering rate 1/tau = {1 / tmax:.3g} 1/s (it is part of it)")


# ----------------------------------------------------------------------------- magnetoconductance
@arguments.float64_range
def magnetoconductance(B, dim: int = 2, D: float = None, so=0, mag=0, phi=0, width: float | None = None,
                       dps: int | None = None, elastic_time: float | None = None, g_factor=0.0, B_inplane=0.0,
                       subtract: str = "zero_field", model: str = "hln", **ilp_fields):
    r"""Magnetoconductance :math:`\Delta\sigma(B) = \sigma(B)-\sigma(0)` in units of :math:`e^2/h`.

    .. math::
        d=2:\ \Delta\sigma = \frac{s}{2\pi}\sum_c w_c F\!\left(\frac{|B|}{B_c}\right),\quad
        F(x) = \ln x + \psi\!\left(\tfrac12+\tfrac1x\right)\quad\text{(per square)}

        d=3:\ \Delta\sigma = \frac{s}{2\pi}\sqrt{\frac{e|B|}{\hbar}}\sum_c w_c\,
        f_3\!\left(\frac{B_c}{|B|}\right)\quad\text{((e²/h)/m, Kawabata)}

        d=1:\ \Delta\sigma = s\sum_c w_c\left[L_c - (D/(\Gamma_c+1/\tau_B))^{1/2}\right],\quad
        1/\tau_B = \frac{De^2W^2B^2}{3\hbar^2}\quad\text{(e²/h·m)}

    with :math:`s = 2`, :math:`B_c = \hbar\Gamma_c/(4eD)`. The quasi-1D form holds for a dirty wire
    :math:`l \ll W \ll L_c` in weak fields :math:`W \ll \sqrt{\hbar/eB}` (diffusive boundary
    scattering); divide by the wire length for :math:`\Delta G`.

    Parameters
    ----------
    B : float or array_like
        Perpendicular field(s) in tesla (any sign; :math:`\Delta\sigma(-B) = \Delta\sigma(B)`).
    dim : {1, 2, 3}
    D : float or array_like
        Diffusion constant (m²/s).
    so, mag : float, array, or a tuple of three
        Spin-orbit and magnetic scattering rates (1/s). A number or a numpy array: the isotropic
        total rate(s); a tuple or list of exactly three entries (numbers or arrays): the x, y, z
        components. A numpy array of shape (3,) is three *totals*, never x, y, z.
    phi : float or array_like
        Dephasing rate :math:`1/\tau_\phi` (1/s).
    width : float or array_like, optional
        Wire width W (m), required for ``dim=1``.
    dps : int, optional
        If given, evaluate with mpmath to ``dps`` significant digits (1 to :data:`~mesocorr.wl.MAX_DPS`). Inputs are
        read exactly (``docs/conventions.md``, "Exact input on the mpmath path"): floats as the decimal they
        print as (``0.01`` is 1/100), ints, ``Fraction``, ``Decimal`` and SymPy rationals as they are.
    elastic_time : float or array_like, optional
        Elastic time :math:`\tau` (s), used only to check the regime: a :class:`~mesocorr.PhysicsWarning`
        names ``B`` beyond :math:`B_\tau = \hbar/(4eD\tau)`, ``phi`` above :math:`1/\tau`, spin rates above
        :math:`1/\tau`.
    g_factor : float, optional
        Effective g factor of the Zeeman effect of the *same* perpendicular field (default 0: no Zeeman effect).
        Non-zero: the Maekawa–Fukuyama magnetoconductance of :func:`mesocorr.zeeman.zeeman_magnetoconductance`
        (the measured :math:`\sigma(B)-\sigma(0)`, unsplit at :math:`B = 0`; ``docs/conventions.md``, "Which
        channels Zeeman touches"). The Zeeman path broadcasts over ``B`` only (parameters are numbers).
    B_inplane : float, optional
        A fixed in-plane field (tesla, along x) that only splits the spins (needs ``g_factor``); :math:`\sigma(0)`
        then includes its splitting.
    subtract : {"zero_field", "same_splitting"}
        With Zeeman: ``"zero_field"`` (default, the measured quantity) or ``"same_splitting"`` — the textbook
        closed form with field-dependent channel fields used as if fixed, :math:`\sigma(B;\omega_B) -
        \sigma(0;\omega_B)`, a different quantity (for comparison only).
    model : {"hln", "ilp"}
        ``"hln"`` (default): the Cooperon channels from the spin rates above. ``"ilp"``: a 2D electron gas with
        Rashba/Dresselhaus spin precession, parametrised by Knap's fields:
        ``magnetoconductance(B, dim=2, model="ilp", B_phi=..., B_rashba=..., B_dresselhaus=..., B_cubic=...)``
        is :func:`mesocorr.ilp_magnetoconductance` (``D``, ``so``, ``mag``, ``phi``, ``width``,
        ``elastic_time`` are not used; ``dps`` is passed on).
    **ilp_fields
        ``B_phi``, ``B_rashba``, ``B_dresselhaus``, ``B_cubic`` (tesla), only with ``model="ilp"``.

    Returns
    -------
    float, numpy.ndarray, mpmath.mpf or nested lists of mpf
        The broadcast shape of ``B`` and the parameters (numpy rules); a number when every input is a
        number. float64 accuracy < 5e-15 relative per channel in 2D (see
        :func:`mesocorr.integrals.hln.hln_f`). With ``dps``: one ``mpf``, or nested lists of ``mpf`` with
        that shape.

    Raises
    ------
    ValueError
        For a gapless channel in d = 1, 2 (e.g. ``phi=0`` and ``mag=0``: the singlet), non-finite
        fields, bad dimensions, results outside the float64 range, ``dps=`` work beyond
        :data:`~mesocorr.wl.MP_SECONDS_CAP` seconds (estimate). In d = 3 a gapless channel is finite and allowed.
    TypeError
        Booleans, strings, missing ``D`` (or ``width`` for ``dim=1``).

    Warns
    -----
    PhysicsWarning
        ``dim=1`` with a wire wider than the magnetic length :math:`\sqrt{\hbar/e|B|}` or than
        :math:`L_\phi`; the ``elastic_time`` checks above.

    Examples
    --------
    >>> round(float(magnetoconductance(0.01, D=0.01, phi=1e10)), 12)
    0.707473318945
    >>> import numpy as np
    >>> magnetoconductance([0.001, 0.01], D=0.01, phi=np.array([[1e10], [4e10]])).shape   # (phi, B) grid
    (2, 2)
    """
    if (dps is None and elastic_time is None and width is None and type(B) in _PLAIN and type(dim) is int
            and type(g_factor) in _PLAIN and g_factor == 0 and type(B_inplane) in _PLAIN and B_inplane == 0
            and type(subtract) is str and subtract == "zero_field" and type(model) is str and model == "hln"
            and not ilp_fields):
        out = _scalar_mc(B, dim, D, so, mag, phi)
        if out is not None:
            return out
    arguments.choice("model", model, ("hln", "ilp"))
    if model == "ilp":
        return _ilp(B, dim, D, so, mag, phi, width, dps, elastic_time, ilp_fields,
                    zeeman=(g_factor, B_inplane, subtract))
    if ilp_fields:
        raise TypeError(f"{next(iter(ilp_fields))}: only used with model='ilp'")
    dim = arguments.integer("dim", dim, minimum=1, maximum=3)
    if D is None:
        raise TypeError("D: the diffusion constant (m^2/s) is required")
    dps = _dps(dps)
    g = arguments.as_real("g_factor", g_factor)
    b_par = arguments.as_real("B_inplane", B_inplane)
    subtract = arguments.choice("subtract", subtract, SUBTRACTIONS)
    if g != 0:
        return _zeeman_path(B, dim, D, so, mag, phi, width, dps, elastic_time, g, b_par, subtract)
    fields = arguments.real_values("B", B)
    Df = arguments.real_values("D", D, "positive")
    phif = arguments.real_values("phi", phi, "nonnegative")
    sof, magf = _rates_float("so", so), _rates_float("mag", mag)
    if dim == 1:
        if width is None:
            raise TypeError("width: the wire width W (m) is required for dim=1")
        widthf = arguments.real_values("width", width, "positive")
    elif width is not None:
        raise ValueError(f"width: only used for dim=1, got dim={dim}")
    else:
        widthf = None
    tau = None if elastic_time is None else arguments.real_values("elastic_time", elastic_time, "positive")
    shape = arguments.broadcast_shape("B", fields, Df, phif, *sof, *magf,
                                      *(() if widthf is None else (widthf,)), *(() if tau is None else (tau,)))
    absb = np.abs(fields)
    _mc_physics_checks(dim, absb, Df, widthf, phif, sof, magf, tau)
    if dps is None:
        if _has_array(phif, *sof, *magf):
            chans = _array_channels(sof, magf, phif)
        else:   # float arithmetic on the rates (no Fraction per call): gaps within 2 ulp of the exact sums
            chans = tuple(_Chan(c.names, _float_gap("so", c.gap), c.weight) for c in _array_channels(sof, magf, phif))
        if dim in (1, 2):
            _require_gapped(chans, "the magnetoconductance relative to B = 0")
        out = _mc_float(absb, dim, Df, chans, widthf)
        arguments.check_finite_result("B", out, "|B|/B_c, a channel field or length leaves the float64 range; "
                                            "use dps= for such values")
        return _shaped(out, shape)
    # mpmath path: every input exact, evaluated point by point over the broadcast shape
    ex = {"B": arguments.exact_values("B", B), "D": arguments.exact_values("D", D, "positive"),
          "phi": arguments.exact_values("phi", phi, "nonnegative"),
          "so": _rates_exact("so", so), "mag": _rates_exact("mag", mag),
          "width": None if width is None else arguments.exact_values("width", width, "positive")}
    n_points = math.prod(shape)
    arguments.check_work("dps", _mp_seconds(dps, n_points * 4), MP_SECONDS_CAP,
                         f"{n_points} value(s) x up to 4 channels at {dps} digits")
    values = []
    for index in np.ndindex(*shape) if shape else [()]:
        so_i = tuple(_element(c, index, shape) for c in ex["so"])
        mag_i = tuple(_element(c, index, shape) for c in ex["mag"])
        chans = _merged_channels(so_i, mag_i, _element(ex["phi"], index, shape))
        if dim in (1, 2):
            _require_gapped(chans, "the magnetoconductance relative to B = 0")
        b = abs(_element(ex["B"], index, shape))
        w = None if ex["width"] is None else _element(ex["width"], index, shape)
        values.append(_mc_mp(b, dim, _element(ex["D"], index, shape), chans, w, dps))
    return _nested(values, shape)


# ----------------------------------------------------------------------------- scalar float64 hot path
_PLAIN = (float, int)   # exact types: bool, numpy scalars, Fraction, Decimal take the general path


def _plain_rate(value) -> bool:
    return type(value) in _PLAIN or (type(value) is tuple and len(value) == 3 and all(type(v) in _PLAIN for v in value))


@lru_cache(maxsize=1024)
def _scalar_plan(dim: int, D, so, mag, phi) -> tuple:
    """The parameter-only work of one float64 call, done once per parameter point: ``(prefactor, ((scale, factor),
    ...))`` per merged channel; d = 2: x = |B| scale (scale = 1/B_c), term factor F(x), prefactor 1; d = 3:
    delta = scale/|B| (scale = B_c), term factor w_c f_3(delta), prefactor s/(2 pi) sqrt(e/hbar) (times sqrt|B|).
    The same channels and float operations as the general path (:func:`_array_channels`, :func:`_mc_float`); an
    input the general path would refuse raises here (and the caller then lets the general path raise its own
    error)."""
    if dim not in (2, 3):
        raise ValueError("dim")
    Dv = arguments.positive("D", D)
    rates = (_rates_float("so", so), _rates_float("mag", mag), arguments.real_values("phi", phi, "nonnegative"))
    chans = tuple(_Chan(c.names, float(_float_gap("so", c.gap)), c.weight) for c in _array_channels(*rates))
    if dim == 2:
        _require_gapped(chans, "the magnetoconductance relative to B = 0")
        coef = _shape_coefficient("2d")
        plan = tuple(((4 * E_CHARGE / HBAR) * Dv / ch.gap, coef * float(ch.weight)) for ch in chans)
        prefactor = 1.0
    else:
        plan = tuple(((HBAR / (4 * E_CHARGE)) * ch.gap / Dv, float(ch.weight)) for ch in chans)
        prefactor = _shape_coefficient("3d") * math.sqrt(E_CHARGE / HBAR)
    if not all(math.isfinite(a) and math.isfinite(b) for a, b in plan):
        raise ValueError("D")
    return prefactor, plan


def _scalar_mc(B, dim, D, so, mag, phi):
    """float64 magnetoconductance for plain Python numbers (d = 2, 3): the cached plan and the scalar kernels
    (:func:`~mesocorr.integrals.hln.hln_f_scalar`, :func:`~mesocorr.integrals.kawabata.kawabata_f3_scalar`),
    a few microseconds per call. ``None`` when the general path must run (it raises the proper error)."""
    if not (type(phi) in _PLAIN and type(D) in _PLAIN and _plain_rate(so) and _plain_rate(mag)):
        return None
    try:
        b = abs(float(B))
        prefactor, plan = _scalar_plan(dim, D, so, mag, phi)
    except (ValueError, TypeError, ArithmeticError):
        return None
    if not b < math.inf:      # inf or nan: the general path names B
        return None
    out = 0.0
    if dim == 2:
        for inv_bc, factor in plan:
            x = b * inv_bc
            if x == math.inf:
                return None
            out += hln_f_scalar(x) * factor
    else:
        for bc, weight in plan:
            out += weight * kawabata_f3_scalar(bc / b if b > 0 else math.inf)
        out *= prefactor * math.sqrt(b)
    return out if math.isfinite(out) else None


_ILP_FIELDS = ("B_phi", "B_rashba", "B_dresselhaus", "B_cubic")


def _ilp(B, dim, D, so, mag, phi, width, dps, elastic_time, fields, zeeman):
    """``model="ilp"``: refuse the arguments of the other model (and the Zeeman effect, which the ILP Cooperon
    here does not include), then :func:`mesocorr.ilp_magnetoconductance`."""
    dim = arguments.integer("dim", dim, minimum=2, maximum=2)
    g_factor, b_inplane, subtract = zeeman
    unused = [n for n, v in (("D", D), ("width", width), ("elastic_time", elastic_time)) if v is not None]
    unused += [n for n, v in (("so", so), ("mag", mag), ("phi", phi), ("g_factor", g_factor),
                              ("B_inplane", b_inplane))
               if isinstance(v, bool) or not (isinstance(v, (int, float)) and v == 0)]
    if subtract != "zero_field":
        unused.append("subtract")
    if unused:
        raise ValueError(f"{unused[0]}: not used by model='ilp' (give the fields {', '.join(_ILP_FIELDS)})")
    extra = [k for k in fields if k not in _ILP_FIELDS]
    if extra:
        raise TypeError(f"{extra[0]}: unknown argument for model='ilp' (allowed: {', '.join(_ILP_FIELDS)})")
    if "B_phi" not in fields:
        raise TypeError("B_phi: the dephasing field (T) is required for model='ilp'")
    return ilp_magnetoconductance(B, dps=dps, **fields)


def _zeeman_path(B, dim, D, so, mag, phi, width, dps, elastic_time, g, b_par, subtract):
    """magnetoconductance with a Zeeman effect: the engine's spin-1/2 gap operator (mesocorr.zeeman)."""
    for name, value in (("D", D), ("phi", phi), ("width", width), ("elastic_time", elastic_time),
                        ("so", so), ("mag", mag)):
        if isinstance(value, np.ndarray) and value.ndim > 0 or (
                isinstance(value, (list, tuple)) and any(np.ndim(v) > 0 for v in value)):
            raise TypeError(f"{name}: with g_factor the magnetoconductance broadcasts over B only; give numbers")
    fields = arguments.real_values("B", B)
    tau = None if elastic_time is None else arguments.positive("elastic_time", elastic_time)
    Df = arguments.positive("D", D)
    widthf = None if width is None else arguments.positive("width", width)
    _mc_physics_checks(dim, np.abs(fields), Df, widthf, arguments.nonnegative("phi", phi),
                       _rates_float("so", so), _rates_float("mag", mag), tau)
    if dps is not None:
        n_points = max(1, int(np.size(fields)))
        arguments.check_work("dps", _mp_seconds(dps, n_points * 12), MP_SECONDS_CAP,
                             f"{n_points} value(s) x up to 12 matrix-function evaluations at {dps} digits")
    out = zeeman_magnetoconductance(fields, dim=dim, D=D, so=so, mag=mag, phi=phi, g_factor=g, B_inplane=b_par,
                                    width=width, subtract=subtract, dps=dps)
    if dps is None:
        arguments.check_finite_result("B", out, "a channel field leaves the float64 range; use dps=")
    return out


def _mc_float(absb, dim, D, chans, width):
    """float64 kernel: sum over channels ``(gap, weight)`` (numbers or arrays, numpy broadcasting).

    In d = 1 and 3 a 1-D field array longer than :data:`~mesocorr.integrals.hln.BLOCK` with number parameters is
    worked through in blocks of that many fields, so that the temporaries stay in the processor's cache (the same
    operations on every element, so the same bits; in d = 2 ``hln_f_core`` makes the blocks itself)."""
    if (dim != 2 and np.ndim(absb) == 1 and np.ndim(D) == 0 and np.ndim(width) == 0
            and all(np.ndim(ch.gap) == 0 for ch in chans)):
        return in_blocks(_mc_float_block, absb, dim, D, chans, width)
    return _mc_float_block(absb, dim, D, chans, width)


def _mc_float_block(absb, dim, D, chans, width):
    """:func:`_mc_float` on the whole of ``absb`` at once."""
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        if dim == 2:
            coef = _shape_coefficient("2d")
            out = None
            for ch in chans:
                inv_bc = (4 * E_CHARGE / HBAR) * D / ch.gap        # 1/B_c (gap > 0 here)
                if not np.all(np.isfinite(inv_bc)):
                    raise ValueError("phi: a channel field B_c = hbar Gamma_c/(4 e D) is below the float64 range "
                                     "(gap too small for this D); use dps=")
                x = absb * inv_bc
                shape = np.shape(x)
                term = hln_f_core(np.ascontiguousarray(x, dtype=float).reshape(-1)).reshape(shape)
                term *= coef * float(ch.weight)
                out = term if out is None else out + term
            return out
        out = 0.0
        if dim == 3:
            for ch in chans:
                bc = (HBAR / (4 * E_CHARGE)) * ch.gap / D
                delta = np.divide(bc, absb)      # |B| = 0: inf (f_3 = 0); 0/0 only for a gapless channel, fixed:
                if not np.all(bc > 0):
                    delta = np.where(absb > 0, delta, np.inf)
                shape = np.shape(delta)
                term = kawabata_f3_core(np.ascontiguousarray(delta, dtype=float).reshape(-1)).reshape(shape)
                del delta
                term *= float(ch.weight)
                out = term if isinstance(out, float) else np.add(out, term, out=out if np.shape(out) == shape
                                                                 else None)
            del term
            root = np.sqrt(absb)
            root *= math.sqrt(E_CHARGE / HBAR)
            out *= _shape_coefficient("3d")
            out *= root
            return out
        # 1D: L_c - L_c(B) = L_c (1 - 1/r) = L_c beta/(r (1 + r)), r = sqrt(1 + beta); r (1 + r) = r + (1 + beta):
        # positive terms only, for any beta. In place on the temporaries (few bytes per field).
        q = WL_FIELD_RATE   # 1/3: multiply by the numerator, divide by the denominator (no rounded 1/3)
        rate_b = np.square((E_CHARGE / HBAR) * width * absb) * D
        rate_b *= q.numerator
        rate_b /= q.denominator
        for ch in chans:
            beta = np.divide(rate_b, ch.gap)
            den = beta + 1.0
            den = np.sqrt(den, out=den) if isinstance(den, np.ndarray) else np.sqrt(den)
            den += beta
            den += 1.0
            beta /= den
            del den
            beta *= float(ch.weight) * (np.sqrt(D) / np.sqrt(ch.gap))
            out = beta if isinstance(out, float) else np.add(out, beta, out=out if np.shape(out) == np.shape(beta)
                                                             else None)
        del beta
        out *= _shape_coefficient("1d")
        return out


def _mc_mp(b, dim, D, chans, width, dps):
    """mpmath kernel for one field ``b`` >= 0 (exact inputs: Fractions), rounded to ``dps`` digits."""
    import mpmath

    from mesocorr.integrals.hln import hln_f_mp
    from mesocorr.integrals.kawabata import kawabata_f3_mp

    with mpmath.workdps(dps + _GUARD):
        hbar, e = mp_constant("hbar"), mp_constant("e")
        bm, Dm = _mp(b), _mp(D)
        total = mpmath.mpf(0)
        for ch in chans:
            gap, weight = _mp(ch.gap), _mp(ch.weight)
            if dim == 2:
                if bm == 0:
                    continue
                bc = hbar * gap / (4 * e * Dm)
                total += weight * hln_f_mp(bm / bc, dps + _GUARD)
            elif dim == 3:
                if bm == 0:
                    continue
                bc = hbar * gap / (4 * e * Dm)
                total += weight * kawabata_f3_mp(bc / bm, dps + _GUARD) * mpmath.sqrt(e * bm / hbar)
            else:
                rate_b = _mp(WL_FIELD_RATE) * Dm * (e * _mp(width) * bm / hbar) ** 2
                beta = rate_b / gap  # L_c - L_c(B) = L_c beta / (sqrt(1+beta) (1 + sqrt(1+beta))): no cancellation
                root = mpmath.sqrt(1 + beta)
                total += weight * mpmath.sqrt(Dm / gap) * beta / (root * (1 + root))
        total *= _shape_coefficient_mp({1: "1d", 2: "2d", 3: "3d"}[dim])
    with mpmath.workdps(dps):
        return +total


# ----------------------------------------------------------------------------- zero field
def _zero_field_float(dim, gap, weight, tau, D):
    """One channel's derived zero-field correction (s = 2), float64, numbers or arrays."""
    coef = SPIN_DEGENERACY * monomial_float(WL_ZERO_FIELD[dim]) * float(weight)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        x = gap * tau
        if dim == 2:
            return coef * np.log1p(1.0 / x)                                   # ln(1 + 1/x) without cancellation
        rx = np.sqrt(x)
        if dim == 1:
            return coef * (np.sqrt(D) / np.sqrt(gap)) * np.arctan2(1.0, rx)
        # d = 3: u atan(1/u) - 1 with u = sqrt(x) (-1 for a gapless channel); for u >= 2 the series
        # sum_k (-1)^k u^(-2k)/(2k+1) (no cancellation; 27 terms give 1e-17 at u = 2)
        u = np.asarray(rx, dtype=float)
        v = 1.0 / np.where(u >= 2, u, 2.0) ** 2
        series = np.zeros_like(v)
        for k in range(27, 0, -1):
            series = (series + (-1) ** k / (2 * k + 1)) * v
        shape = np.where(u >= 2, series, u * np.arctan2(1.0, u) - 1.0)
        return coef * shape / (np.sqrt(D) * np.sqrt(tau))


def _zero_field_mp(dim, gap, weight, tau, D):
    import mpmath

    coef = SPIN_DEGENERACY * monomial_mp(WL_ZERO_FIELD[dim]) * weight
    x = gap * tau
    if dim == 2:
        return coef * mpmath.log1p(1 / x)
    rx = mpmath.sqrt(x)
    if dim == 1:
        return coef * mpmath.sqrt(D / gap) * mpmath.atan(1 / rx)
    if rx == 0:
        return -coef / mpmath.sqrt(D * tau)
    lost = max(0, int(mpmath.log10(x))) + 2 if x > 1 else 0   # u atan(1/u) - 1 ~ -1/(3x) cancels log10(3x) digits
    with mpmath.workdps(mpmath.mp.dps + lost):
        shape = rx * mpmath.atan(1 / rx) - 1
    return coef * shape / mpmath.sqrt(D * tau)


@arguments.float64_range
def wl_correction(dim: int, D: float = None, so=0, mag=0, phi=0, elastic_time: float | None = None,
                  mean_free_path: float | None = None, thickness: float | None = None,
                  cross_section: float | None = None, electron_dim: int | None = None,
                  dps: int | None = None):
    r"""Zero-field weak-localization correction :math:`\delta\sigma` of an infinite sample, in :math:`e^2/h`.

    UV cutoff :math:`Dq_{max}^2 = 1/\tau` (i.e. :math:`q_{max} = 1/\sqrt{D\tau}`), IR cutoff each
    channel's gap. With :math:`s=2`, per channel (:math:`x_c = \Gamma_c\tau`, :math:`L_c=\sqrt{D/\Gamma_c}`):

    .. math::
        d=2:\ -\frac{s w_c}{2\pi}\ln\!\left(1+\frac1{x_c}\right)\ \text{(per square)},\qquad
        d=1:\ -\frac{2 s w_c}{\pi}L_c\arctan\frac1{\sqrt{x_c}}\ \text{(e²/h·m)},

        d=3:\ \frac{s w_c}{\pi^2\sqrt{D\tau}}\left(\sqrt{x_c}\arctan\frac1{\sqrt{x_c}}-1\right)\
        \text{((e²/h)/m)}.

    No spin scattering in 2D: :math:`\delta\sigma = -(1/\pi)\ln(1+\tau_\phi/\tau)\,e^2/h
    \approx -(e^2/2\pi^2\hbar)\ln(\tau_\phi/\tau)`.

    Parameters
    ----------
    dim : {1, 2, 3}
        Dimension of the diffusion modes (1 = wire thinner than :math:`L_c`, 2 = film thinner than
        :math:`L_c`, 3 = bulk).
    D : float or array_like
        Diffusion constant (m²/s).
    so, mag, phi : float, array_like or three components
        Rates (1/s), as in :func:`magnetoconductance`.
    elastic_time, mean_free_path : float or array_like
        Exactly one: :math:`\tau` (s) or :math:`l` (m); :math:`l` is converted with
        :math:`\tau = l^2/(d_e D)`, :math:`d_e` = ``electron_dim`` (default ``dim`` for 2, 3 and 3 for
        a wire: electrons move in 3D inside a wire with :math:`l \ll W`).
    thickness : float, optional
        Film thickness (m), ``dim=2`` only: returns the 3D conductivity :math:`\delta\sigma_{2D}/t`
        in (e²/h)/m.
    cross_section : float, optional
        Wire cross-section (m²), ``dim=1`` only: returns :math:`\delta\sigma_{1D}/A` in (e²/h)/m.
    electron_dim : {1, 2, 3}, optional
        :math:`d_e`, the dimension of the electrons' motion used to convert ``mean_free_path`` into
        :math:`\tau` (default: ``dim`` for 2 and 3, 3 for a wire).
    dps : int, optional
        mpmath evaluation at ``dps`` digits (exact input, as in :func:`magnetoconductance`).

    Returns
    -------
    float, numpy.ndarray, mpf or nested lists of mpf
        The broadcast shape of the array arguments (a number when all are numbers).

    Warns
    -----
    PhysicsWarning
        ``phi, elastic_time`` when :math:`\tau_\phi < \tau`; spin rates above :math:`1/\tau`.

    Examples
    --------
    >>> import math
    >>> x = wl_correction(dim=2, D=0.01, phi=1e10, elastic_time=1e-13)
    >>> round(x / (-math.log(1 + 1e3) / math.pi), 14)
    1.0
    """
    dim = arguments.integer("dim", dim, minimum=1, maximum=3)
    if D is None:
        raise TypeError("D: the diffusion constant (m^2/s) is required")
    dps = _dps(dps)
    if (elastic_time is None) == (mean_free_path is None):
        raise TypeError("elastic_time: give exactly one of elastic_time (s) or mean_free_path (m)")
    de = (3 if dim == 1 else dim) if electron_dim is None else arguments.integer(
        "electron_dim", electron_dim, minimum=1, maximum=3)
    if thickness is not None and dim != 2:
        raise ValueError(f"thickness: only for dim=2 (film), got dim={dim}")
    if cross_section is not None and dim != 1:
        raise ValueError(f"cross_section: only for dim=1 (wire), got dim={dim}")
    geometry = ("thickness", thickness) if thickness is not None else ("cross_section", cross_section)
    inputs = {"D": (D, "positive"), "phi": (phi, "nonnegative"),
              "elastic_time" if elastic_time is not None else "mean_free_path":
                  (elastic_time if elastic_time is not None else mean_free_path, "positive")}
    if geometry[1] is not None:
        inputs[geometry[0]] = (geometry[1], "positive")
    fl = {k: arguments.real_values(k, v, sign) for k, (v, sign) in inputs.items()}
    sof, magf = _rates_float("so", so), _rates_float("mag", mag)
    shape = arguments.broadcast_shape("D", *fl.values(), *sof, *magf)
    tau_f = fl["elastic_time"] if "elastic_time" in fl else fl["mean_free_path"] ** 2 / (de * fl["D"])
    arguments.check_finite_result("mean_free_path", tau_f, "tau = l^2/(d D) leaves the float64 range")
    _tau_checks(tau_f, fl["D"], fl["phi"], sof, magf)
    divide_f = fl.get(geometry[0], 1.0)
    if dps is None:
        if _has_array(fl["phi"], *sof, *magf):
            chans = _array_channels(sof, magf, fl["phi"])
        else:
            chans = tuple(_Chan(c.names, _float_gap("so", c.gap), c.weight) for c in _channels(so, mag, phi))
        if dim in (1, 2):
            _require_gapped(chans, "the zero-field correction")
        total = sum(_zero_field_float(dim, ch.gap, ch.weight, tau_f, fl["D"]) for ch in chans) / divide_f
        arguments.check_finite_result("elastic_time", total, "a channel length or the cutoff leaves the float64 "
                                                             "range; use dps=")
        return _shaped(total, shape)
    import mpmath

    ex = {k: arguments.exact_values(k, v, sign) for k, (v, sign) in inputs.items()}
    ex_so, ex_mag = _rates_exact("so", so), _rates_exact("mag", mag)
    n_points = math.prod(shape)
    arguments.check_work("dps", _mp_seconds(dps, n_points) / 100, MP_SECONDS_CAP,
                         f"{n_points} value(s) at {dps} digits")
    values = []
    for index in np.ndindex(*shape) if shape else [()]:
        e = {k: _element(v, index, shape) for k, v in ex.items()}
        chans = _merged_channels(tuple(_element(c, index, shape) for c in ex_so),
                                 tuple(_element(c, index, shape) for c in ex_mag), e["phi"])
        if dim in (1, 2):
            _require_gapped(chans, "the zero-field correction")
        with mpmath.workdps(dps + _GUARD):
            Dm = _mp(e["D"])
            tau = _mp(e["elastic_time"]) if "elastic_time" in e else _mp(e["mean_free_path"]) ** 2 / (de * Dm)
            total = mpmath.fsum(_zero_field_mp(dim, _mp(ch.gap), _mp(ch.weight), tau, Dm) for ch in chans)
            if geometry[0] in e:
                total /= _mp(e[geometry[0]])
        with mpmath.workdps(dps):
            values.append(+total)
    return _nested(values, shape)


# ----------------------------------------------------------------------------- finite wire
def _sample_channels(L_phi, so, mag, spinless) -> tuple:
    """Channels of a sample between reservoirs: gaps in D/L², dephasing 1/L_phi² (L_phi = inf: none)."""
    spinless = arguments.boolean("spinless", spinless)
    if isinstance(L_phi, float) and math.isinf(L_phi) and L_phi > 0:
        phi = Fraction(0)
    else:
        arguments.positive("L_phi", L_phi)
        phi = 1 / arguments.as_fraction("L_phi", L_phi) ** 2
    so_c, mag_c = _exact_scalar_rates("so", so), _exact_scalar_rates("mag", mag)
    if spinless:
        if any(so_c) or any(mag_c):
            raise ValueError("spinless: spin-orbit and magnetic rates need spin; give so=0 and mag=0")
        return (_Chan(("spinless",), phi, Fraction(1)),)
    return _merged_channels(so_c, mag_c, phi)


def _wire_w_of_gap(gap: Fraction) -> float:
    """:math:`(a\\coth a - 1)/a^2` with :math:`a = \\sqrt{\\mathrm{gap}}` from the exact gap, float64, also where
    the gap leaves the float64 range: there (:math:`a > 10^{150}`) the value is :math:`1/a` to float64 accuracy."""
    from mesocorr.integrals.wire_modes import wire_w

    n, d = gap.numerator, gap.denominator
    k = max(0, (n.bit_length() - d.bit_length()) // 2 - 500)    # gap / 4^k < 2^1002: a float
    root = math.sqrt(Fraction(n, d << (2 * k)))                  # a = 2^k root
    if k == 0:
        return float(wire_w(root))
    return math.ldexp(1.0 / root, -k)                            # 1/a (underflows to 0 gracefully)


def wire_wl_conductance(L_phi: float, so=0, mag=0, spinless: bool = False, dps: int | None = None):
    r"""WL correction :math:`\delta G` (units of :math:`e^2/h`) of a wire of length :math:`L` between reservoirs.

    Lengths in units of :math:`L`, rates in units of :math:`D/L^2`. Dirichlet modes
    :math:`q_n = n\pi/L` at the contacts; per channel :math:`a_c = L/L_c = \sqrt{\Gamma_c L^2/D}`,
    :math:`\Gamma_c` = spin gap + :math:`1/L_\phi^2`:

    .. math:: \delta G = -s\sum_c w_c\,\frac{a_c\coth a_c - 1}{a_c^2}\;\frac{e^2}{h}

    :math:`\to -s/3` for :math:`L_\phi\to\infty` without spin scattering: :math:`-2/3` spin-degenerate
    (:math:`-\tfrac13\cdot 2e^2/h`), :math:`-1/3` spinless; :math:`\to -s L_\phi/L` for
    :math:`L_\phi \ll L`. One parameter point: arrays are refused (``TypeError`` naming the argument).

    Parameters
    ----------
    L_phi : float
        Dephasing length in units of L (``math.inf`` = no dephasing).
    so, mag : float or three floats
        Spin rates in units of :math:`D/L^2` (not allowed with ``spinless``).
    spinless : bool
        One spin species: :math:`s = 1`, a single channel of weight 1 (``True`` or ``False`` only).
    dps : int, optional
        mpmath evaluation (exact input as in :func:`magnetoconductance`).

    Returns
    -------
    float or mpmath.mpf
        :math:`\delta G` in units of :math:`e^2/h` (an ``mpf`` with ``dps``).

    Examples
    --------
    >>> round(wire_wl_conductance(1e12, spinless=True), 12)
    -0.333333333333
    >>> round(wire_wl_conductance(0.5), 10)           # spin-degenerate, L_phi = L/2
    -0.5373147207
    """
    chans = _sample_channels(L_phi, so, mag, spinless)
    dps = _dps(dps)
    s = 1 if spinless else SPIN_DEGENERACY
    if dps is None:
        total = sum(float(ch.weight) * _wire_w_of_gap(ch.gap) for ch in chans)
        return _shape_coefficient("wire", s) * total
    import mpmath

    from mesocorr.integrals.wire_modes import wire_w_mp

    with mpmath.workdps(dps + _GUARD):
        total = mpmath.mpf(0)
        for ch in chans:
            total += _mp(ch.weight) * wire_w_mp(mpmath.sqrt(_mp(ch.gap)), dps + _GUARD)
        total *= _shape_coefficient_mp("wire", s)
    with mpmath.workdps(dps):
        return +total


# ----------------------------------------------------------------------------- finite boxes
_ELECTRON_DIM = {1: 3, 2: 2, 3: 3}


@arguments.float64_range
def sample_wl_conductance(shape, L_phi: float, so=0, mag=0, spinless: bool = False,
                          mean_free_path: float | None = None, dps: int | None = None):
    r"""WL correction :math:`\delta G` (e²/h) of a wire, film or box between reservoirs.

    ``shape`` = lengths in units of :math:`L` (first = current direction = 1): ``(1,)`` wire,
    ``(1, W)`` film, ``(1, W, H)`` box; Dirichlet at the contacts, Neumann on the side walls.
    Lengths in units of :math:`L`, rates in units of :math:`D/L^2`. With the same normalisation as
    :func:`wire_wl_conductance` (of which this is the mode-sum generalisation):

    .. math:: \delta G = -2s\sum_c w_c \sum_{\mathbf q,\ q^2 \le q_{max}^2}\frac{1}{q^2L^2 + \Gamma_c L^2/D}
              \;\frac{e^2}{h},\qquad q_{max}^2 = d_e/l^2

    (the cutoff :math:`Dq_{max}^2 = 1/\tau` with :math:`D = v_F l/d_e`; :math:`d_e` = 3 for wires and
    boxes, 2 for films). Films and boxes need ``mean_free_path`` (their sums diverge); a wire without
    it uses the exact closed form (:func:`wire_wl_conductance`). For a wide film with
    :math:`L_\phi \ll L, W` one recovers :math:`W\times` the 2D per-square correction. The mode sum
    is capped at :data:`mesocorr.integrals.box_modes.MAX_MODES` modes (checked before it starts).

    Parameters
    ----------
    shape : tuple of float
        Sample lengths in units of :math:`L`: ``(1,)``, ``(1, W)`` or ``(1, W, H)``.
    L_phi : float
        Dephasing length in units of :math:`L` (``math.inf`` = no dephasing).
    so, mag : float or three floats
        Spin-orbit and magnetic rates in units of :math:`D/L^2` (isotropic total or x, y, z components).
    spinless : bool
        One spin species (:math:`s = 1`, one channel of weight 1).
    mean_free_path : float, optional
        :math:`l` in units of :math:`L`, sets the UV cutoff; required for films and boxes.
    dps : int, optional
        mpmath evaluation of the closed form (wire without ``mean_free_path`` only; the cut mode sum is
        float64).

    Returns
    -------
    float or mpmath.mpf
        :math:`\delta G` in units of :math:`e^2/h`.

    Warns
    -----
    PhysicsWarning
        ``mean_free_path`` longer than the sample (not diffusive); ``L_phi`` shorter than ``mean_free_path``.

    Examples
    --------
    >>> round(sample_wl_conductance((1,), L_phi=0.5), 10)     # the wire closed form
    -0.5373147207
    >>> round(sample_wl_conductance((1, 2), L_phi=0.1, mean_free_path=0.01), 6)   # film, 2 L wide
    -3.270811
    """
    if isinstance(shape, (str, bytes)):
        raise TypeError("shape: expected one to three lengths in units of L")
    try:
        lengths = [arguments.positive(f"shape[{i}]", v) for i, v in enumerate(shape)]
    except TypeError:
        raise TypeError("shape: expected one to three lengths in units of L") from None
    if not 1 <= len(lengths) <= 3:
        raise ValueError(f"shape: give one to three lengths (wire, film, box), got {len(lengths)}")
    if lengths[0] != 1:
        raise ValueError(f"shape: lengths are in units of L, so the first must be 1, got {lengths[0]!r}")
    if mean_free_path is None:
        if len(lengths) > 1:
            raise TypeError("mean_free_path: films and boxes need the UV cutoff l (units of L)")
        return wire_wl_conductance(L_phi, so=so, mag=mag, spinless=spinless, dps=dps)
    l_e = arguments.positive("mean_free_path", mean_free_path)
    if dps is not None:
        raise ValueError("dps: the cutoff mode sum is float64 only (summed exactly with math.fsum)")
    from mesocorr.integrals.box_modes import box_mode_sum

    chans = _sample_channels(L_phi, so, mag, spinless)
    if l_e > 1:
        warn_inconsistent(f"mean_free_path: l = {l_e:.3g} L exceeds the sample length L: the sample is not "
                          "diffusive and the diffusion-mode sum does not apply")
    lphi = arguments.positive("L_phi", L_phi)
    if lphi < l_e:
        warn_inconsistent(f"L_phi, mean_free_path: L_phi = {lphi:.3g} L is shorter than the mean free path "
                          f"l = {l_e:.3g} L; weak localization needs L_phi >> l")
    q2max = _ELECTRON_DIM[len(lengths)] / l_e**2
    # coefficient -s from the derived wire formula: dG = -s w (a coth a - 1)/a^2 = -2 s w Σ_n 1/(n²π² + a²)
    coef = 2 * _shape_coefficient("wire", 1 if spinless else SPIN_DEGENERACY)
    total = coef * sum(float(ch.weight) * box_mode_sum(tuple(lengths), _float_gap("so", ch.gap), q2max)
                       for ch in chans)
    arguments.check_finite_result("L_phi", total)
    return total
