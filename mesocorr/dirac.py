r"""Weak (anti)localization of Dirac materials: graphene, topological-insulator surfaces and films.

The soft Cooperon modes, their gaps and weights are *derived* (:mod:`mesocorr.diagrams.dirac_models`: band
projection of the Dirac vertices onto the conduction band, angular harmonics of the ladder, Berry-phase sign of
the soft harmonic, then the engine of :mod:`mesocorr.diagrams.pair_kernel`), frozen as exact rationals in
:mod:`mesocorr.integrals.dirac_constants` (re-derived by ``tests/test_dirac.py``) and evaluated here without
SymPy.

Magnetoconductance (2D, per square, :math:`e^2/h`):

.. math:: \Delta\sigma(B) = \frac{g_sN}{2\pi}\sum_{c\ \rm soft} w_c\,F\!\left(\frac{B}{B_c}\right),\qquad
          F(x) = \ln x + \psi\!\left(\tfrac12 + \tfrac1x\right),

:math:`B_c = \hbar\Gamma_c/(4eD)` the channel field, :math:`w_c` the engine weight (:math:`W = \mathcal SP/N`),
:math:`N` the number of band states of the projected space (valleys, surfaces; 1 for one cone) and
:math:`g_s` the remaining degeneracy (graphene: real spin, 2; TI surfaces: 1, the spin is locked to the
momentum). The HLN :math:`\alpha` of a channel set is :math:`\alpha = \tfrac12 g_sN\sum_c w_c`
(the convention of :func:`mesocorr.fit_magnetoconductance` ``"hln-alpha"``: :math:`\alpha = 1` ordinary weak
localization with spin degeneracy, :math:`-\tfrac12` one symplectic species).

Models and parameters (fields in tesla; :math:`B_x = \hbar/(4eD\tau_x)`):

* ``"graphene"``: ``B_phi``; ``B_intervalley`` = :math:`\hbar/(4eD\tau_i)`, :math:`1/\tau_i` the intervalley
  scattering rate; ``B_intravalley`` the intravalley symmetry breaking (staggered potential, random gauge
  fields, trigonal warping). Derived channels: :math:`B_\phi` (weight :math:`+\tfrac12`),
  :math:`B_\phi + 2B_i` (:math:`-\tfrac12`), twice :math:`B_\phi + B_*` (:math:`-\tfrac12`) with
  :math:`B_* = B_i + B_{\rm intra}` — McCann et al., PRL 97, 146805 (2006), Eq. (1). ``B_star`` is *not* an
  input: it already contains :math:`B_i` (writing :math:`B_\phi + B_i + B_*` counts it twice).
* ``"ti-surface"``: one cone, ``B_phi``; with ``mass_ratio`` :math:`a = m/E_F > 0` also ``B_elastic`` =
  :math:`\hbar/(4eD\tau)`: sector 1 (Berry phase π) gets the gap :math:`\tfrac{2a^2}{1+a^2}B_e` and the weight
  :math:`w_1 = -\tfrac{1-a^2}{1+3a^2}`, sector 0 the gap :math:`\tfrac{(1-a)^2}{2(1+a^2)}B_e` and
  :math:`w_0 = \tfrac{(1+a)^2}{2(1+a^2)}` (bare and two dressed Hikami boxes,
  :func:`mesocorr.diagrams.dirac_models.hikami_weights`). :math:`a = 0`: only sector 1 is soft,
  :math:`\alpha = -\tfrac12`; :math:`a\to1`: only sector 0, :math:`\alpha = +\tfrac12`. One cone spans
  :math:`-\tfrac12\le\alpha\le+\tfrac12`, not ":math:`-\tfrac12` to 1". Diffusion approximation: at
  intermediate :math:`a` both gaps are of order :math:`1/\tau` (the formula is then an estimate).
* ``"ti-film"``: two surfaces, ``B_phi`` (one value: both; two: top, bottom) and ``B_tunnel`` =
  :math:`\hbar/(4eD\tau_t)`, :math:`1/\tau_t` the rate of tunnelling from one surface to the other
  (incoherent). Decoupled: :math:`\alpha = -1`; :math:`B_t\gg B_\phi`: :math:`\alpha = -\tfrac12`. A
  hybridisation gap (``mass_ratio`` :math:`a = m/E_F`, ``B_elastic``; no ``B_tunnel``) makes the film two massive
  cones of masses :math:`\pm m` — the massive case, once per surface (the sectors do not depend on the sign of
  the mass).

References
----------
.. [MKF06] E. McCann, K. Kechedzhi, V. I. Fal'ko, H. Suzuura, T. Ando, B. L. Altshuler, PRL 97, 146805 (2006).
.. [LSS11] H.-Z. Lu, J. Shi, S.-Q. Shen, PRL 107, 076801 (2011).
.. [HLN80] S. Hikami, A. I. Larkin, Y. Nagaoka, Prog. Theor. Phys. 63, 707 (1980).
"""

from __future__ import annotations

import math
import sys
from fractions import Fraction

import mpmath
import numpy as np

from mesocorr import arguments
from mesocorr.integrals.derived_constants import UCF_WEIGHTS, WL_ZERO_FIELD, monomial_float, monomial_mp
from mesocorr.integrals.dirac_constants import (
    GRAPHENE_COOPERON,
    GRAPHENE_DIFFUSON,
    TI_FILM_COOPERON,
    TI_FILM_DIFFUSON,
    TI_SURFACE_SECTORS,
)
from mesocorr.integrals.epstein import mode_sums
from mesocorr.integrals.gap_operators import LinearGapOperator
from mesocorr.integrals.hln import hln_f, hln_f_mp
from mesocorr.physics_warnings import warn_inconsistent
from mesocorr.ucf import MAX_GAP

__all__ = ["DIRAC_MODELS", "DEGENERACY", "dirac_channels", "dirac_magnetoconductance", "dirac_alpha",
           "dirac_ucf_variance", "dirac_wl_correction",
           "graphene", "ti_surface", "ti_film", "MAX_DPS"]

#: model names (CLI ``--model``)
DIRAC_MODELS = ("graphene", "ti-surface", "ti-film")
#: (g_s, N): remaining degeneracy in the prefactor and number of projected band states
DEGENERACY = {"graphene": (2, 2), "ti-surface": (1, 1), "ti-film": (1, 2)}
#: largest accepted ``dps``
MAX_DPS = 1000
_GUARD = 10


def graphene(potential=None, intervalley=None, staggered=None, gauge=None):
    r"""The graphene engine model (symbolic, one spin species): :func:`mesocorr.diagrams.dirac_models.graphene_model`.

    Parameters
    ----------
    potential, intervalley, staggered, gauge : number or SymPy expression, optional
        Rates (1/s, engine convention) of the intravalley potential :math:`\gamma_0`, the intervalley scattering
        :math:`\gamma_{iv}` (:math:`\tau_x,\tau_y`), the staggered potential :math:`\gamma_z` and the random
        gauge fields :math:`\gamma_A`; symbols by default.

    Returns
    -------
    ProjectedModel
        An engine model on the projected valley space: ``.spectrum("cooperon")``, ``.spectrum("diffuson")``,
        ``.decay_rate``.

    Examples
    --------
    >>> m = graphene()
    >>> [(c.name, c.gap) for c in m.spectrum("cooperon").channels][3]
    ('valley_z', 2*gamma_iv)
    """
    from mesocorr.diagrams.dirac_models import graphene_model   # SymPy: loaded on use (import mesocorr stays cheap)

    return graphene_model(potential, intervalley, staggered, gauge)


def ti_surface(mass_ratio=0, potential=None, sector: int = 1):
    r"""One TI-surface cone's Cooperon sector (symbolic): :func:`mesocorr.diagrams.dirac_models.ti_surface_model`.

    Parameters
    ----------
    mass_ratio : number or SymPy expression
        :math:`a = m/E_F\in[0, 1]`.
    potential : rate, optional
        Potential scattering :math:`\gamma_0` (a symbol by default).
    sector : {0, 1}
        Angular harmonic of the Cooperon (1: Berry phase π, WAL; 0: WL).

    Returns
    -------
    ProjectedModel
        One-dimensional engine model; its one Cooperon channel carries the sector's gap and weight.

    Examples
    --------
    >>> [(c.gap, c.weight) for c in ti_surface(sector=1).spectrum("cooperon").channels]
    [(0, -1)]
    """
    from mesocorr.diagrams.dirac_models import ti_surface_model

    return ti_surface_model(mass_ratio, potential, sector)


def ti_film(potential=None, tunnel=None, dephasing=(0, 0)):
    r"""The tunnel-coupled TI film (symbolic): :func:`mesocorr.diagrams.dirac_models.ti_film_model`.

    Parameters
    ----------
    potential, tunnel : rate, optional
        Potential scattering on each surface :math:`\gamma_0` and the tunnelling vertex rate :math:`\gamma_t`
        (:math:`1/\tau_t = \gamma_t/2`); symbols by default.
    dephasing : (top, bottom)
        Dephasing rates of the two surfaces.

    Returns
    -------
    ProjectedModel
        Engine model on the projected surface space.

    Examples
    --------
    >>> [c.gap for c in ti_film(tunnel=0).spectrum("cooperon").channels][::3]
    [0, 0]
    """
    from mesocorr.diagrams.dirac_models import ti_film_model

    return ti_film_model(potential, tunnel, dephasing)


def _field(name, value, zero_ok=True) -> Fraction:
    check = arguments.nonnegative if zero_ok else arguments.positive
    return arguments.as_fraction(name, check(name, value))


def _to_mp(x):
    """A Fraction (exact) or an mpmath number as an mpf at the working precision."""
    return x if isinstance(x, mpmath.mpf) else mpmath.mpf(x.numerator) / x.denominator


def _poly(coeffs, a: Fraction) -> Fraction:
    return sum((c * a ** k for k, c in enumerate(coeffs)), Fraction(0))


def _inputs(model, B_phi, B_intervalley, B_intravalley, mass_ratio, B_elastic, B_tunnel) -> dict:
    arguments.choice("model", model, DIRAC_MODELS)
    if model == "ti-film":
        phis = B_phi if isinstance(B_phi, (tuple, list)) else (B_phi,)
        if len(phis) not in (1, 2):
            raise ValueError(f"B_phi: the film takes one value (both surfaces) or two (top, bottom), got {len(phis)}")
        phis = [_field("B_phi", p) for p in phis]
        top, bottom = phis[0], phis[-1]
        if top == 0 and bottom == 0:
            raise ValueError("B_phi: at least one surface must be dephased (B_phi > 0): the gapless Cooperon diverges")
        unused = {"B_intervalley": B_intervalley, "B_intravalley": B_intravalley}
    else:
        if isinstance(B_phi, (tuple, list)):
            raise ValueError(f"B_phi: one value for {model!r}")
        phi = _field("B_phi", B_phi, zero_ok=False)
        unused = {"B_tunnel": B_tunnel}
        if model == "graphene":
            unused.update(mass_ratio=mass_ratio, B_elastic=B_elastic)
        else:
            unused.update(B_intervalley=B_intervalley, B_intravalley=B_intravalley)
    for name, v in unused.items():
        if v not in (None, 0):
            raise ValueError(f"{name}: not a parameter of the {model!r} model")
    if model == "graphene":
        return {"B_phi": phi, "gamma_0": Fraction(0), "B_intervalley": _field("B_intervalley", B_intervalley or 0),
                "B_intravalley": _field("B_intravalley", B_intravalley or 0)}
    if model == "ti-film":
        out = {"gamma_0": Fraction(0), "B_phi_top": top, "B_phi_bottom": bottom,
               "B_tunnel": _field("B_tunnel", B_tunnel or 0)}
        if mass_ratio not in (None, 0):
            if out["B_tunnel"] != 0:
                raise ValueError("mass_ratio: a hybridised film (mass_ratio > 0) with incoherent tunnelling on top is "
                                 "not derived; give B_tunnel = 0 (the hybridisation gap already couples the surfaces)")
            out["cones"] = {"top": _inputs("ti-surface", top or None, None, None, mass_ratio, B_elastic, None),
                            "bottom": _inputs("ti-surface", bottom or None, None, None, mass_ratio, B_elastic, None)}
        elif B_elastic is not None:
            raise ValueError("B_elastic: used by the ti-film model only with mass_ratio > 0")
        return out
    a = arguments.as_fraction("mass_ratio", arguments.nonnegative("mass_ratio", mass_ratio or 0))
    if a > 1:
        raise ValueError(f"mass_ratio: a = m/E_F must lie in [0, 1] (E_F in the conduction band), got {float(a)}")
    out = {"B_phi": phi, "mass_ratio": a}
    if a > 0:
        if B_elastic is None:
            raise ValueError("B_elastic: a massive cone (mass_ratio > 0) needs B_elastic = hbar/(4 e D tau): "
                             "its Cooperon gaps are fractions of 1/tau")
        out["B_elastic"] = _field("B_elastic", B_elastic, zero_ok=False)
    elif B_elastic is not None:
        out["B_elastic"] = _field("B_elastic", B_elastic, zero_ok=False)
    return out


def _exact_channels(model, values, kind: str = "cooperon", digits: int = 60) -> list[tuple[str, object, object]]:
    """(name, gap field, weight) of the soft channels: Fractions (1x1 blocks) or mpmath numbers at ``digits``
    digits (2x2 blocks)."""
    if model == "ti-surface":
        a = values["mass_ratio"]
        out = []
        for n, P, Q, Pw, Qw in TI_SURFACE_SECTORS:
            g = _poly(P, a) / _poly(Q, a)
            weight = _poly(Pw, a) / _poly(Qw, a)
            if a == 0 and g != 0:
                continue                     # massless: sector 0 is not soft (gap 1/(2 tau))
            out.append((f"sector_{n}", values["B_phi"] + g * values.get("B_elastic", 0), weight))
        return out
    if "cones" in values:            # hybridised film: two massive cones (masses +-m), each with N = 1 of the N = 2
        if kind != "cooperon":
            raise ValueError("mass_ratio: the hybridised film has no stored Diffuson form")
        return [(f"{side}.{name}", gap, w / 2) for side, cone in values["cones"].items()
                for name, gap, w in _exact_channels("ti-surface", cone, digits=digits)]
    form = _FORMS[(model, kind)]
    op = _operator(model, kind)
    exact = op.exact(values)
    soft = form["soft"]
    W = {(i, j): Fraction(re) for i, j, re, im in form["weight"]}
    out = []
    for blk in op.blocks():
        if not set(blk) <= set(soft):
            continue
        if len(blk) == 1:
            (i,) = blk
            out.append((form["channels"][i], exact[i][i][0], W.get((i, i), Fraction(0))))
            continue
        i, j = blk     # 2x2 real symmetric block (surface-dependent dephasing): closed form, exact inputs
        a, b, c, d = exact[i][i][0], exact[i][j][0], exact[j][i][0], exact[j][j][0]
        wa, wb, wc, wd = (W.get(k, Fraction(0)) for k in ((i, i), (i, j), (j, i), (j, j)))
        mu, disc = (a + d) / 2, ((a - d) / 2) ** 2 + b * c
        trw, tw = wa + wd, wa * (a - mu) + wb * c + wc * b + wd * (d - mu)
        if disc == 0:
            for name in (form["channels"][i], form["channels"][j]):
                out.append((name, mu, trw / 2))
            continue
        with mpmath.workdps(digits):
            s = mpmath.sqrt(mpmath.mpf(disc.numerator) / disc.denominator)
            for sign in (-1, 1):
                gap = mpmath.mpf(mu.numerator) / mu.denominator + sign * s
                weight = mpmath.mpf(trw.numerator) / (2 * trw.denominator) + \
                    sign * (mpmath.mpf(tw.numerator) / tw.denominator) / (2 * s)
                name = f"{form['channels'][i]}~{form['channels'][j]}{'-' if sign < 0 else '+'}"
                out.append((name, gap, weight))
    for name, gap, _ in out:
        if gap <= 0:
            raise ValueError(f"B_phi: the channel {name} is gapless at these parameters (its Cooperon diverges); "
                             "every soft channel needs a dephasing or breaking field > 0")
    return out


_OPERATORS: dict = {}
_FORMS = {("graphene", "cooperon"): GRAPHENE_COOPERON, ("graphene", "diffuson"): GRAPHENE_DIFFUSON,
          ("ti-film", "cooperon"): TI_FILM_COOPERON, ("ti-film", "diffuson"): TI_FILM_DIFFUSON}


def _operator(model, kind) -> LinearGapOperator:
    if (model, kind) not in _OPERATORS:
        _OPERATORS[(model, kind)] = LinearGapOperator(_FORMS[(model, kind)])
    return _OPERATORS[(model, kind)]


def dirac_channels(model: str, B_phi, B_intervalley=None, B_intravalley=None, mass_ratio=None, B_elastic=None,
                   B_tunnel=None) -> list[dict]:
    r"""The soft Cooperon channels of a Dirac model: ``name``, ``B_c`` (T), ``weight``, ``alpha_share``.

    Parameters
    ----------
    model : {"graphene", "ti-surface", "ti-film"}
    B_phi : float or (top, bottom)
        Dephasing field (T); the film takes one value (both surfaces) or two.
    B_intervalley, B_intravalley : float, optional
        Graphene: intervalley and intravalley symmetry-breaking fields (T); :math:`B_* = B_i + B_{\rm intra}`.
    mass_ratio, B_elastic : float, optional
        TI surface: :math:`a = m/E_F` and :math:`\hbar/(4eD\tau)` (T, required when :math:`a > 0`).
    B_tunnel : float, optional
        TI film: :math:`\hbar/(4eD\tau_t)` (T).

    Returns
    -------
    list of dict
        One dict per soft channel; ``alpha_share`` is its contribution :math:`\tfrac12g_sNw_c` to the HLN
        :math:`\alpha`.

    Examples
    --------

    >>> [(c["name"], c["B_c"], c["weight"]) for c in dirac_channels("graphene", 0.002, 0.02, 0.2)]
    [('valley_0', 0.002, 0.5), ('valley_x', 0.222, -0.5), ('valley_y', 0.222, -0.5), ('valley_z', 0.042, -0.5)]
    """
    values = _inputs(model, B_phi, B_intervalley, B_intravalley, mass_ratio, B_elastic, B_tunnel)
    gs, N = DEGENERACY[model]
    return [{"name": name, "B_c": float(gap), "weight": float(w), "alpha_share": float(gs * N * w / 2)}
            for name, gap, w in _exact_channels(model, values)]


def dirac_alpha(model: str, below=None, **parameters) -> float:
    r"""HLN :math:`\alpha = \tfrac12 g_sN\sum_c w_c` over the soft channels with :math:`B_c` below ``below`` (T;
    default all): the :math:`\alpha` a one-channel fit sees at fields between those channels and the others.

    Parameters
    ----------
    model : {"graphene", "ti-surface", "ti-film"}
    below : float, optional
        Count only channels with :math:`B_c` below this field (T).
    **parameters
        As :func:`dirac_channels`.

    Returns
    -------
    float

    Examples
    --------

    >>> dirac_alpha("ti-surface", B_phi=0.005), dirac_alpha("ti-film", B_phi=0.005)
    (-0.5, -1.0)
    >>> dirac_alpha("ti-film", below=0.1, B_phi=0.005, B_tunnel=1.0)
    -0.5
    """
    limit = math.inf if below is None else arguments.positive("below", below)
    known = ("B_phi", "B_intervalley", "B_intravalley", "mass_ratio", "B_elastic", "B_tunnel")
    unknown = sorted(set(parameters) - set(known))
    if unknown:
        raise TypeError(f"{unknown[0]}: not a parameter of dirac_channels (its parameters: {', '.join(known)})")
    if "B_phi" not in parameters:
        raise TypeError("B_phi: the dephasing field B_phi (T) is required")
    return float(sum(c["alpha_share"] for c in dirac_channels(model, **parameters) if c["B_c"] < limit))


def dirac_magnetoconductance(B, model: str, B_phi, B_intervalley=None, B_intravalley=None, mass_ratio=None,
                             B_elastic=None, B_tunnel=None, dps: int | None = None):
    r""":math:`\Delta\sigma(B) = \sigma(B)-\sigma(0)` in :math:`e^2/h` per square (module docstring), fields in T.

    Parameters
    ----------
    B : float or array_like
        Perpendicular field (T); even in B.
    model, B_phi, B_intervalley, B_intravalley, mass_ratio, B_elastic, B_tunnel
        As :func:`dirac_channels`.
    dps : int, optional
        mpmath at that many digits (``B`` one number; at most ``MAX_DPS``).

    Returns
    -------
    numpy.ndarray or mpmath.mpf
        :math:`\Delta\sigma` in :math:`e^2/h` per square, all species the model counts.

    Examples
    --------

    >>> round(float(dirac_magnetoconductance(0.01, "ti-surface", 0.005)), 10)
    -0.0184510738
    """
    values = _inputs(model, B_phi, B_intervalley, B_intravalley, mass_ratio, B_elastic, B_tunnel)
    gs, N = DEGENERACY[model]
    if dps is not None and (isinstance(dps, bool) or not isinstance(dps, int) or not 1 <= dps <= MAX_DPS):
        raise ValueError(f"dps: must be an integer in 1..{MAX_DPS}, got {dps!r}")
    chans = _exact_channels(model, values, digits=max(60, (dps or 0) + 2 * _GUARD))
    if dps is not None:
        b = abs(arguments.as_fraction("B", B))
        with mpmath.workdps(dps + _GUARD):
            total = mpmath.mpf(0)
            if b != 0:
                bm = mpmath.mpf(b.numerator) / b.denominator
                for _, gap, w in chans:
                    total += _to_mp(w) * hln_f_mp(bm / _to_mp(gap), dps + _GUARD)
            total *= gs * N / (2 * mpmath.pi)
        with mpmath.workdps(dps):
            return +total
    Bv = np.abs(np.asarray(arguments.real_values("B", B), dtype=float))
    out = np.zeros(Bv.shape)
    for _, gap, w in chans:
        # B/B_c through the exact 1/B_c: a channel field beyond the float64 range contributes F(0) = 0; one below it
        # (1/B_c overflows) gives an infinite B/B_c at B != 0, refused below, and 0 at B = 0
        inv = 1 / gap
        inv = float(inv) if inv < sys.float_info.max else math.inf
        with np.errstate(invalid="ignore", over="ignore"):
            x = np.where(Bv == 0, 0.0, Bv * inv)
        if not np.all(np.isfinite(x)):
            raise ValueError("B, B_phi: B/B_c exceeds the float64 range for a channel field B_c (from B_phi and the "
                             "other fields) this small; use dps=")
        out = out + float(w) * hln_f(x)
    out = out * (gs * N / (2 * math.pi))
    arguments.check_finite_result("B", out, "a channel field leaves the float64 range; use dps=")
    return out


def dirac_ucf_variance(shape=(1,), model: str = "graphene", L_phi=None, intervalley=0, intravalley=0, tunnel=0) -> float:
    r"""UCF variance :math:`\operatorname{var}g`, :math:`g = G/(e^2/h)`, of a Dirac-material box at T = 0 (float64).

    The formula of :func:`mesocorr.ucf_variance` with the Dirac model's soft Diffusons and Cooperons (each of
    weight one in the loop) instead of the spin channels, times :math:`g_s^2` (graphene: real spin, 4):
    :math:`\operatorname{var}g = g_s^2\sum_c[w_rR(\gamma_c) + w_bB(\gamma_c)]`. Rates in units of
    :math:`D/L^2` (as ``so`` in :func:`mesocorr.ucf_variance`): ``intervalley`` :math:`1/\tau_i`, ``intravalley``
    :math:`1/\tau_{\rm intra}` (graphene), ``tunnel`` :math:`1/\tau_t` (film); ``L_phi`` in units of L. The
    TI surface is the massless cone. Valley degeneracy: graphene without intervalley scattering has 16 times
    the spinless variance (4 valley pairs x 4 spin pairs, degenerate copies that see the same disorder);
    strong intervalley scattering leaves 4 (the spin-degenerate metal).

    Parameters
    ----------
    shape : sequence of 1-3 lengths
        (L, W, H) as in :func:`mesocorr.ucf_variance`.
    model : {"graphene", "ti-surface", "ti-film"}
    L_phi : float, optional
        Dephasing length in the units of ``shape``.
    intervalley, intravalley, tunnel : float
        Rates in units of :math:`D/L^2`.

    Returns
    -------
    float
        :math:`\operatorname{var}g` (T = 0).

    Examples
    --------
    >>> import mesocorr
    >>> round(dirac_ucf_variance((1,), "graphene") / mesocorr.ucf_variance((1,), spinless=True), 9)
    16.0
    >>> round(dirac_ucf_variance((1,), "ti-surface") / mesocorr.ucf_variance((1,), spinless=True), 9)
    1.0
    """
    arguments.choice("model", model, DIRAC_MODELS)
    if isinstance(shape, (str, bytes)):
        raise TypeError("shape: expected 1, 2 or 3 lengths, got a string")
    try:
        dims = [arguments.positive(f"shape[{i}]", x) for i, x in enumerate(shape)]
    except TypeError:
        raise TypeError(f"shape: expected 1, 2 or 3 lengths, got {type(shape).__name__}") from None
    if not 1 <= len(dims) <= 3:
        raise ValueError(f"shape: expected 1, 2 or 3 lengths, got {len(dims)}")
    length = dims[0]
    ratios = [length / w for w in dims[1:]]
    gphi = Fraction(0)
    if L_phi is not None:
        arguments.positive("L_phi", L_phi)
        gphi = (arguments.as_fraction("shape[0]", shape[0]) / arguments.as_fraction("L_phi", L_phi)) ** 2
    rates = {n: _field(n, v) for n, v in (("intervalley", intervalley), ("intravalley", intravalley),
                                           ("tunnel", tunnel))}
    for name, value in (("L_phi", gphi), *rates.items()):
        if value > MAX_GAP:   # the same limit as mesocorr.ucf_variance: the mode sums are validated up to it
            raise ValueError(f"{name}: the gap {arguments.approx(value)} D/L^2 exceeds {MAX_GAP:g}, the largest gap the "
                             "float64 mode sums are validated for" + ("; give a longer L_phi" if name == "L_phi" else ""))
    gs, _ = DEGENERACY[model]
    gaps = []
    if model == "ti-surface":
        if rates["intervalley"] or rates["intravalley"] or rates["tunnel"]:
            raise ValueError("intervalley: the ti-surface model has no intervalley, intravalley or tunnel rate")
        gaps = [gphi, gphi]
    else:
        if model == "graphene":
            if rates["tunnel"]:
                raise ValueError("tunnel: not a parameter of the graphene model")
            values = {"B_phi": gphi, "gamma_0": Fraction(0), "B_intervalley": rates["intervalley"],
                      "B_intravalley": rates["intravalley"]}
        else:
            if rates["intervalley"] or rates["intravalley"]:
                raise ValueError("intervalley: not a parameter of the ti-film model")
            values = {"gamma_0": Fraction(0), "B_phi_top": gphi, "B_phi_bottom": gphi, "B_tunnel": rates["tunnel"]}
        for kind in ("diffuson", "cooperon"):
            try:
                gaps += [gap for _, gap, _ in _exact_channels(model, values, kind)]
            except ValueError:   # gapless channels are fine for a finite box (Dirichlet modes are gapped)
                gaps += _raw_gaps(model, values, kind)
    w_ring, w_box = monomial_float(UCF_WEIGHTS["ring"]), monomial_float(UCF_WEIGHTS["two_box"])
    g = np.array([float(x) for x in gaps]) / math.pi ** 2
    ring, box = mode_sums(ratios, g)
    out = gs * gs * float(w_ring * ring.sum() + w_box * box.sum())
    arguments.check_finite_result("shape", out)
    return out


def _raw_gaps(model, values, kind):
    """Soft-channel gaps without the positivity check (UCF of a finite box allows gapless channels)."""
    form = _FORMS[(model, kind)]
    op = _operator(model, kind)
    H = op.numpy({k: float(v) for k, v in values.items()})
    soft = list(form["soft"])
    return [float(x.real) for x in np.linalg.eigvals(H[np.ix_(soft, soft)])]


def dirac_wl_correction(model: str, B_phi, B_elastic, B_intervalley=None, B_intravalley=None, mass_ratio=None,
                        B_tunnel=None, dps: int | None = None):
    r"""Zero-field weak-(anti)localization correction :math:`\delta\sigma` of a Dirac material, e²/h per square.

    The derived 2D zero-field form of :func:`mesocorr.wl_correction` (stored prefactor
    ``WL_ZERO_FIELD[2]`` :math:`= -1/(2\pi)` per channel and species) over the soft channels of the model:

    .. math:: \delta\sigma = -\frac{g_sN}{2\pi}\sum_c w_c\ln\Big(1 + \frac{B_e}{B_c}\Big),

    :math:`B_e = \hbar/(4eD\tau)` the elastic field (the ultraviolet cut-off :math:`q\ell = 1`).

    Parameters
    ----------
    model, B_phi, B_intervalley, B_intravalley, mass_ratio, B_tunnel
        As :func:`dirac_channels` (fields in T).
    B_elastic : float
        :math:`\hbar/(4eD\tau)` (T), above every channel field.
    dps : int, optional
        mpmath at that many digits.

    Returns
    -------
    float or mpmath.mpf
        :math:`\delta\sigma` in :math:`e^2/h` per square (negative: localization).

    Examples
    --------
    >>> round(dirac_wl_correction("ti-surface", 0.001, 1.0), 9)        # antilocalization: +(1/2pi) ln(1 + B_e/B_phi)
    1.099562474
    """
    values = _inputs(model, B_phi, B_intervalley, B_intravalley, mass_ratio, B_elastic if model == "ti-surface"
                     else None, B_tunnel)
    b_e = _field("B_elastic", B_elastic, zero_ok=False)
    gs, N = DEGENERACY[model]
    if dps is not None and (isinstance(dps, bool) or not isinstance(dps, int) or not 1 <= dps <= MAX_DPS):
        raise ValueError(f"dps: must be an integer in 1..{MAX_DPS}, got {dps!r}")
    chans = _exact_channels(model, values, digits=max(60, (dps or 0) + 2 * _GUARD))
    for name, gap, _ in chans:
        if gap >= b_e:
            warn_inconsistent(f"B_elastic: the channel {name} has B_c = {float(gap):.3g} T >= B_elastic "
                              f"= {float(b_e):.3g} T (not a diffusion mode)")
    q = WL_ZERO_FIELD[2]
    if dps is not None:
        with mpmath.workdps(dps + _GUARD):
            be = mpmath.mpf(b_e.numerator) / b_e.denominator
            total = mpmath.mpf(0)
            for _, gap, w in chans:
                total += _to_mp(w) * mpmath.log1p(be / _to_mp(gap))
            total *= gs * N * monomial_mp(q)
        with mpmath.workdps(dps):
            return +total
    out = gs * N * monomial_float(q) * sum(float(w) * math.log1p(float(b_e) / float(gap)) for _, gap, w in chans)
    arguments.check_finite_result("B_phi", out)
    return out
