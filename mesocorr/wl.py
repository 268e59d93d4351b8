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
import numbers
from dataclasses import dataclass
from fractions import Fraction
from functools import cache, lru_cache

import mpmath
import numpy as np
import sympy as sp

from mesocorr import arguments
from mesocorr.units import E_CHARGE, HBAR, mp_constant

__all__ = ["magnetoconductance", "wl_correction", "wire_wl_conductance", "sample_wl_conductance",
           "cooperon_channel_table", "SPIN_DEGENERACY"]

#: spin degeneracy in the conductivity prefactor (the channel weights sum to 1)
SPIN_DEGENERACY = 2
_GUARD = 10


# ----------------------------------------------------------------------------- channels
def _exact_rate(name: str, value) -> Fraction:
    """A non-negative finite real as an exact Fraction (a float's exact binary value; ints exactly)."""
    x = arguments.nonnegative(name, value)
    return Fraction(int(value)) if isinstance(value, numbers.Integral) else Fraction(x)


def _rate_spec(name: str, value) -> tuple[Fraction, Fraction, Fraction]:
    """``so``/``mag`` input -> three exact component rates (one number = isotropic total / 3)."""
    rates = arguments.one_or_three(name, value, _exact_rate)
    return rates if isinstance(rates, tuple) else (rates / 3, rates / 3, rates / 3)


@dataclass(frozen=True)
class _Chan:
    names: tuple
    gap: Fraction  # exact, 1/s (or D/L^2 units for the wire)
    weight: Fraction


@cache
def _cooperon_structure() -> tuple:
    """The Cooperon channels of :func:`mesocorr.channels` with symbolic component rates, as exact
    linear forms: ``(name, coefficients over (a_x, a_y, a_z, b_x, b_y, b_z, phi), weight)``.

    Derived once per process (SymPy diagonalisation of the spin kernel); afterwards a channel gap
    for given rates is an exact rational dot product (fast enough for fitting loops).
    """
    from mesocorr.symbolic.channels import channels

    a = sp.symbols("a_x a_y a_z", nonnegative=True)
    b = sp.symbols("b_x b_y b_z", nonnegative=True)
    phi = sp.Symbol("phi", nonnegative=True)
    gens = (*a, *b, phi)
    out = []
    for ch in channels("cooperon", so=a, mag=b, phi=phi):
        poly = sp.Poly(sp.expand(ch.gap), *gens)
        if poly.total_degree() > 1 or poly.coeff_monomial(1) != 0:  # pragma: no cover
            raise ArithmeticError(f"channel {ch.name}: gap is not linear in the rates: {ch.gap}")
        coeffs = tuple(Fraction(int(c.p), int(c.q)) for c in (sp.Rational(poly.coeff_monomial(g)) for g in gens))
        w = sp.Rational(ch.wl_weight)
        out.append((ch.name, coeffs, Fraction(int(w.p), int(w.q))))
    return tuple(out)


@lru_cache(maxsize=4096)
def _merged_channels(so, mag, phi) -> tuple:
    rates = (*so, *mag, phi)
    merged: dict = {}
    for name, coeffs, weight in _cooperon_structure():
        gap = sum((c * r for c, r in zip(coeffs, rates)), Fraction(0))
        names, total = merged.get(gap, ((), Fraction(0)))
        merged[gap] = (names + (name,), total + weight)
    return tuple(_Chan(names, gap, weight) for gap, (names, weight) in merged.items() if weight != 0)


def _channels(so, mag, phi) -> tuple:
    return _merged_channels(_rate_spec("so", so), _rate_spec("mag", mag), _exact_rate("phi", phi))


def _require_gapped(chans, what: str) -> None:
    for ch in chans:
        if ch.gap == 0:
            raise ValueError(
                f"phi: the Cooperon channel {'/'.join(ch.names)} is gapless (gap 0: no dephasing"
                f"{' and no magnetic scattering' if 'singlet' in ch.names else ''}), so {what} diverges; "
                "give phi > 0 (or mag > 0)")


def cooperon_channel_table(D: float = None, so=0, mag=0, phi=0) -> list[dict]:
    r"""The Cooperon channels used by :func:`magnetoconductance` (channels with equal gaps merged).

    Returns a list of dicts: ``names``, ``gap`` (1/s), ``weight``, and with ``D`` given ``B_c``
    (tesla, :math:`\hbar\Gamma_c/4eD`) and ``L_c`` (m, :math:`\sqrt{D/\Gamma_c}`; ``inf`` if gapless).
    """
    Dv = arguments.positive_or_none("D", D)
    rows = []
    for ch in _channels(so, mag, phi):
        row = {"names": list(ch.names), "gap": float(ch.gap), "weight": float(ch.weight)}
        if Dv is not None:
            row["B_c"] = HBAR * float(ch.gap) / (4 * E_CHARGE * Dv)
            row["L_c"] = math.sqrt(Dv / float(ch.gap)) if ch.gap > 0 else math.inf
        rows.append(row)
    return rows


# ----------------------------------------------------------------------------- derived coefficients
@cache
def _coefficient(kind: str, s: int = SPIN_DEGENERACY) -> sp.Expr:
    r"""Derived prefactor: a closed form of :mod:`mesocorr.symbolic.wl` divided by ``w_c`` times the
    shape function that the numerical paths evaluate (a pure number must be left once ``s`` is set).

    ``"2d"``: HLN, shape :math:`F(B/B_c)` (= s/(2π)); ``"3d"``: Kawabata, shape
    :math:`\sqrt{eB/\hbar}\,f_3(B_c/B)` (= s/(2π)); ``"1d"``: shape :math:`L_c - L_c(B)` (= s);
    ``"wire"``: shape :math:`(a\coth a - 1)/a^2` (= -s); ``"field_rate"``: :math:`1/\tau_B` over
    :math:`De^2W^2B^2/\hbar^2` (= 1/3).
    """
    from mesocorr.symbolic import wl as swl

    S = swl.SYMBOLS
    B, B_c, Gamma, D = S["B"], S["B_c"], S["Gamma_c"], S["D"]
    if kind == "field_rate":
        expr, shape = swl.quasi1d_field_rate(), D * S["e"] ** 2 * S["W"] ** 2 * B**2 / S["hbar"] ** 2
    elif kind == "2d":
        expr = sp.expand_func(swl.magnetoconductance_2d())
        shape = S["w_c"] * (sp.log(B / B_c) + sp.polygamma(0, sp.Rational(1, 2) + B_c / B))
    elif kind == "3d":
        expr = swl.kawabata_3d()
        shape = S["w_c"] * sp.sqrt(S["e"] * B / S["hbar"]) * (
            -2 * sp.sqrt(B_c / B) - sp.zeta(sp.Rational(1, 2), sp.Rational(1, 2) + B_c / B))
    elif kind == "1d":
        expr = swl.magnetoconductance_1d()
        shape = S["w_c"] * (sp.sqrt(D / Gamma) - sp.sqrt(D / (Gamma + swl.quasi1d_field_rate())))
    elif kind == "wire":
        a = sp.Symbol("a", positive=True)
        expr, shape = swl.finite_wire_conductance(), S["w_c"] * (a * sp.coth(a) - 1) / a**2
    else:  # pragma: no cover
        raise ValueError(f"kind: unknown coefficient {kind!r}")
    ratio = sp.simplify(expr / shape).subs(S["s"], s)
    if not ratio.is_number:  # pragma: no cover - derivation changed shape
        raise ArithmeticError(f"{kind}: the derived closed form is not a number times the shape: ratio {ratio}")
    return ratio


@cache
def _coefficient_mp(kind: str, s: int = SPIN_DEGENERACY):
    """:func:`_coefficient` as a callable giving an mpmath number at the caller's precision."""
    return sp.lambdify((), _coefficient(kind, s), modules="mpmath")


@cache
def _zero_field_function(dim: int, module: str, gapless: bool = False):
    """One channel's derived zero-field correction (s = 2, w_c = 1) as a function of (Γ_c, τ, D);
    ``gapless``: its Γ_c → 0 limit (finite in d = 3 only). In 2D ``log(1 + y)`` is evaluated as
    ``log1p(y)`` (no loss of digits for Γ_c τ ≫ 1)."""
    from sympy.codegen.cfunctions import log1p

    from mesocorr.symbolic import wl as swl

    S = swl.SYMBOLS
    expr = swl.zero_field_correction(dim).subs({S["s"]: SPIN_DEGENERACY, S["w_c"]: 1})
    if gapless:
        expr = sp.limit(expr, S["Gamma_c"], 0, "+")
    expr = expr.replace(sp.log, lambda arg: log1p(arg - 1))
    return sp.lambdify((S["Gamma_c"], S["tau"], S["D"]), expr, modules=module)


# ----------------------------------------------------------------------------- inputs
def _fields(B):
    if isinstance(B, (str, bytes)):
        raise TypeError("B: expected a number or a sequence of numbers (tesla), got a string")
    scalar = np.ndim(B) == 0
    try:
        arr = np.asarray(B, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"B: expected real numbers (tesla), got {type(B).__name__}") from None
    if arr.dtype.kind != "f" or not np.all(np.isfinite(arr)):
        raise ValueError("B: fields must be finite real numbers (tesla)")
    return arr, scalar


def _dps(dps):
    if dps is None:
        return None
    return arguments.integer("dps", dps, minimum=1, maximum=10000)


# ----------------------------------------------------------------------------- magnetoconductance
def magnetoconductance(B, dim: int = 2, D: float = None, so=0, mag=0, phi=0, width: float | None = None,
                       dps: int | None = None):
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
    D : float
        Diffusion constant (m²/s).
    so, mag : float or three floats
        Spin-orbit and magnetic scattering rates (1/s): isotropic total or x, y, z components.
    phi : float
        Dephasing rate :math:`1/\tau_\phi` (1/s).
    width : float, optional
        Wire width W (m), required for ``dim=1``.
    dps : int, optional
        If given, evaluate with mpmath to ``dps`` significant digits (``mpf`` / list of ``mpf``).

    Returns
    -------
    float, numpy.ndarray, mpmath.mpf or list of mpf
        Same shape as ``B``. float64 accuracy < 5e-15 relative per channel in 2D (see
        :func:`mesocorr.integrals.hln.hln_f`).

    Raises
    ------
    ValueError
        For a gapless channel in d = 1, 2 (e.g. ``phi=0`` and ``mag=0``: the singlet), non-finite
        fields, bad dimensions. In d = 3 a gapless channel is finite and allowed.

    Examples
    --------
    >>> round(float(magnetoconductance(0.01, D=0.01, phi=1e10)), 12)
    0.707473318945
    """
    dim = arguments.integer("dim", dim, minimum=1, maximum=3)
    if D is None:
        raise TypeError("D: the diffusion constant (m^2/s) is required")
    D = arguments.positive("D", D)
    arr, scalar = _fields(B)
    dps = _dps(dps)
    chans = _channels(so, mag, phi)
    if dim in (1, 2):
        _require_gapped(chans, "the magnetoconductance relative to B = 0")
    if dim == 1:
        if width is None:
            raise TypeError("width: the wire width W (m) is required for dim=1")
        width = arguments.positive("width", width)
    elif width is not None:
        raise ValueError(f"width: only used for dim=1, got dim={dim}")
    absb = np.abs(arr)
    if dps is None:
        out = _mc_float(absb, dim, D, chans, width)
        return float(out) if scalar else out
    vals = [_mc_mp(b, dim, D, chans, width, dps) for b in absb.reshape(-1)]
    return vals[0] if scalar else vals


def _mc_float(absb, dim, D, chans, width):
    from mesocorr.integrals.hln import hln_f_core
    from mesocorr.integrals.kawabata import kawabata_f3

    if dim == 2:
        coef = float(_coefficient("2d"))
        flat = absb.reshape(-1)
        out = None
        for ch in chans:
            bc = HBAR * float(ch.gap) / (4 * E_CHARGE * D)
            term = hln_f_core(flat * (1.0 / bc))
            term *= coef * float(ch.weight)
            if out is None:
                out = term
            else:
                out += term
        return out.reshape(absb.shape)
    out = np.zeros_like(absb)
    if dim == 3:
        root = np.sqrt(E_CHARGE * absb / HBAR)
        for ch in chans:
            bc = HBAR * float(ch.gap) / (4 * E_CHARGE * D)
            with np.errstate(divide="ignore"):
                delta = np.where(absb > 0, bc / np.where(absb > 0, absb, 1.0), np.inf)
            out += float(ch.weight) * kawabata_f3(delta)
        out *= float(_coefficient("3d")) * root
    else:
        c = sp.Rational(_coefficient("field_rate"))  # 1/3: multiply by p, divide by q (no rounded 1/3)
        rate_b = D * (E_CHARGE * width * absb / HBAR) ** 2 * int(c.p) / int(c.q)
        for ch in chans:
            gap = float(ch.gap)
            beta = rate_b / gap
            root = np.sqrt(1.0 + beta)
            out += float(ch.weight) * math.sqrt(D / gap) * beta / (root * (1.0 + root))
        out *= float(_coefficient("1d"))
    return out


def _mc_mp(b, dim, D, chans, width, dps):
    from mesocorr.integrals.hln import hln_f_mp
    from mesocorr.integrals.kawabata import kawabata_f3_mp

    with mpmath.workdps(dps + _GUARD):
        hbar, e = mp_constant("hbar"), mp_constant("e")
        bm, Dm = mpmath.mpf(b), mpmath.mpf(D)
        total = mpmath.mpf(0)
        for ch in chans:
            gap = mpmath.mpf(ch.gap.numerator) / ch.gap.denominator
            weight = mpmath.mpf(ch.weight.numerator) / ch.weight.denominator
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
                rate_b = _coefficient_mp("field_rate")() * Dm * (e * mpmath.mpf(width) * bm / hbar) ** 2
                beta = rate_b / gap  # L_c - L_c(B) = L_c beta / (sqrt(1+beta) (1 + sqrt(1+beta))): no cancellation
                root = mpmath.sqrt(1 + beta)
                total += weight * mpmath.sqrt(Dm / gap) * beta / (root * (1 + root))
        total *= _coefficient_mp({1: "1d", 2: "2d", 3: "3d"}[dim])()
    with mpmath.workdps(dps):
        return +total


# ----------------------------------------------------------------------------- zero field
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
    D : float
        Diffusion constant (m²/s).
    so, mag, phi : rates (1/s), as in :func:`magnetoconductance`.
    elastic_time, mean_free_path : float
        Exactly one: :math:`\tau` (s) or :math:`l` (m); :math:`l` is converted with
        :math:`\tau = l^2/(d_e D)`, :math:`d_e` = ``electron_dim`` (default ``dim`` for 2, 3 and 3 for
        a wire: electrons move in 3D inside a wire with :math:`l \ll W`).
    thickness : float, optional
        Film thickness (m), ``dim=2`` only: returns the 3D conductivity :math:`\delta\sigma_{2D}/t`
        in (e²/h)/m.
    cross_section : float, optional
        Wire cross-section (m²), ``dim=1`` only: returns :math:`\delta\sigma_{1D}/A` in (e²/h)/m.
    dps : int, optional
        mpmath evaluation at ``dps`` digits.

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
    D = arguments.positive("D", D)
    dps = _dps(dps)
    if (elastic_time is None) == (mean_free_path is None):
        raise TypeError("elastic_time: give exactly one of elastic_time (s) or mean_free_path (m)")
    if elastic_time is not None:
        tau = arguments.positive("elastic_time", elastic_time)
    else:
        l_e = arguments.positive("mean_free_path", mean_free_path)
        de = (3 if dim == 1 else dim) if electron_dim is None else arguments.integer(
            "electron_dim", electron_dim, minimum=1, maximum=3)
        tau = l_e**2 / (de * D)
    if thickness is not None and dim != 2:
        raise ValueError(f"thickness: only for dim=2 (film), got dim={dim}")
    if cross_section is not None and dim != 1:
        raise ValueError(f"cross_section: only for dim=1 (wire), got dim={dim}")
    divide = 1.0
    if thickness is not None:
        divide = arguments.positive("thickness", thickness)
    if cross_section is not None:
        divide = arguments.positive("cross_section", cross_section)
    chans = _channels(so, mag, phi)
    if dim in (1, 2):
        _require_gapped(chans, "the zero-field correction")
    if dps is None:
        total = 0.0
        for ch in chans:  # a gapless channel (d = 3 only) takes the IR-finite Γ_c -> 0 limit
            f = _zero_field_function(dim, "math", ch.gap == 0)
            total += float(ch.weight) * f(float(ch.gap), tau, D)
        return total / divide
    with mpmath.workdps(dps + _GUARD):
        total = mpmath.mpf(0)
        for ch in chans:
            f = _zero_field_function(dim, "mpmath", ch.gap == 0)
            gap = mpmath.mpf(ch.gap.numerator) / ch.gap.denominator
            weight = mpmath.mpf(ch.weight.numerator) / ch.weight.denominator
            total += weight * f(gap, mpmath.mpf(tau), mpmath.mpf(D))
        total /= mpmath.mpf(divide)
    with mpmath.workdps(dps):
        return +total


# ----------------------------------------------------------------------------- finite wire
def _sample_channels(L_phi, so, mag, spinless) -> tuple:
    """Channels of a sample between reservoirs: gaps in D/L², dephasing 1/L_phi² (L_phi = inf: none)."""
    if isinstance(L_phi, bool) or not isinstance(L_phi, numbers.Real):
        raise TypeError(f"L_phi: expected a real number, got {type(L_phi).__name__}")
    if not (L_phi > 0):
        raise ValueError(f"L_phi: must be positive, got {L_phi!r}")
    phi = Fraction(0) if math.isinf(L_phi) else 1 / Fraction(float(L_phi)) ** 2
    so_c, mag_c = _rate_spec("so", so), _rate_spec("mag", mag)
    if spinless:
        if any(so_c) or any(mag_c):
            raise ValueError("spinless: spin-orbit and magnetic rates need spin; give so=0 and mag=0")
        return (_Chan(("spinless",), phi, Fraction(1)),)
    return _merged_channels(so_c, mag_c, phi)


def wire_wl_conductance(L_phi: float, so=0, mag=0, spinless: bool = False, dps: int | None = None):
    r"""WL correction :math:`\delta G` (units of :math:`e^2/h`) of a wire of length :math:`L` between reservoirs.

    Lengths in units of :math:`L`, rates in units of :math:`D/L^2`. Dirichlet modes
    :math:`q_n = n\pi/L` at the contacts; per channel :math:`a_c = L/L_c = \sqrt{\Gamma_c L^2/D}`,
    :math:`\Gamma_c` = spin gap + :math:`1/L_\phi^2`:

    .. math:: \delta G = -s\sum_c w_c\,\frac{a_c\coth a_c - 1}{a_c^2}\;\frac{e^2}{h}

    :math:`\to -s/3` for :math:`L_\phi\to\infty` without spin scattering: :math:`-2/3` spin-degenerate
    (:math:`-\tfrac13\cdot 2e^2/h`), :math:`-1/3` spinless; :math:`\to -s L_\phi/L` for
    :math:`L_\phi \ll L`.

    Parameters
    ----------
    L_phi : float
        Dephasing length in units of L (``math.inf`` = no dephasing).
    so, mag : float or three floats
        Spin rates in units of :math:`D/L^2` (not allowed with ``spinless``).
    spinless : bool
        One spin species: :math:`s = 1`, a single channel of weight 1.
    dps : int, optional
        mpmath evaluation.

    Examples
    --------
    >>> round(wire_wl_conductance(1e12, spinless=True), 12)
    -0.333333333333
    """
    chans = _sample_channels(L_phi, so, mag, spinless)
    dps = _dps(dps)
    coef = _coefficient("wire", 1 if spinless else SPIN_DEGENERACY)
    if dps is None:
        from mesocorr.integrals.wire_modes import wire_w

        total = sum(float(ch.weight) * float(wire_w(math.sqrt(float(ch.gap)))) for ch in chans)
        return float(coef) * total
    from mesocorr.integrals.wire_modes import wire_w_mp

    with mpmath.workdps(dps + _GUARD):
        total = mpmath.mpf(0)
        for ch in chans:
            gap = mpmath.mpf(ch.gap.numerator) / ch.gap.denominator
            weight = mpmath.mpf(ch.weight.numerator) / ch.weight.denominator
            total += weight * wire_w_mp(mpmath.sqrt(gap), dps + _GUARD)
        total *= _coefficient_mp("wire", 1 if spinless else SPIN_DEGENERACY)()
    with mpmath.workdps(dps):
        return +total


# ----------------------------------------------------------------------------- finite boxes
_ELECTRON_DIM = {1: 3, 2: 2, 3: 3}


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
    :math:`L_\phi \ll L, W` one recovers :math:`W\times` the 2D per-square correction.
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
    q2max = _ELECTRON_DIM[len(lengths)] / l_e**2
    # coefficient -s from the derived wire formula: dG = -s w (a coth a - 1)/a^2 = -2 s w Σ_n 1/(n²π² + a²)
    coef = 2 * float(_coefficient("wire", 1 if spinless else SPIN_DEGENERACY))
    return coef * sum(float(ch.weight) * box_mode_sum(tuple(lengths), float(ch.gap), q2max) for ch in chans)
