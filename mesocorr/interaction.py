r"""Altshuler-Aronov electron-electron interaction correction: :math:`\delta\sigma_{ee}(T)`, Zeeman splitting, Hall.

Public functions (re-exported by :mod:`mesocorr`):

* :func:`interaction_correction` — :math:`\delta\sigma_{ee}(T)` in d = 1, 2, 3 from the spin-singlet (exchange,
  dynamically screened Coulomb) and the three spin-triplet Diffuson channels (Hartree, Fermi-liquid constant),
  optionally with the Zeeman splitting of the m = ±1 triplets and the Hall-coefficient change;
* :func:`fermi_liquid_parameters`, :func:`f_tilde` — :math:`F_0^\sigma \leftrightarrow F` and :math:`\tilde F_d`;
* :func:`zeeman_function` — :math:`g_d(h)`;
* :func:`hall_correction` — :math:`\delta R_H/R_H = -2\delta\sigma_{ee}/\sigma` (weak localization: 0).

Formulas (derived in :mod:`mesocorr.symbolic.interaction`; units :math:`e^2/h`, :math:`L_T = \sqrt{\hbar D/k_BT}`):

.. math::
    \delta\sigma_d = K_d\,\Big(1-\tfrac{3d}{8}\tilde F_d\Big)\times
    \begin{cases} \ln(k_BT\tau/\hbar) & d=2\ \text{(per square)}\\
                  1/L_T & d=3\ \text{((e²/h)/m; } \delta\sigma(T)-\delta\sigma(0))\\
                  L_T & d=1\ \text{(e²/h·m; wire } W\ll L_T)\end{cases}

with :math:`K_2 = 1/\pi`, :math:`K_3 = |\zeta(\frac12)|/(3\sqrt{2\pi})`, :math:`K_1 = -3\zeta(\frac32)/\sqrt{2\pi}`;
singlet part :math:`K_d\times\text{scale}`, triplet part :math:`-\tfrac{3d}{8}\tilde F_d` times that. Zeeman
(:math:`h = |g|\mu_B B/k_BT`):
:math:`\delta\sigma(B,T)-\delta\sigma(0,T) = -\frac{1}{2\pi}\tilde F_d\,(k_BT/2\hbar D)^{(d-2)/2}g_d(h)` in
:math:`e^2/h` (i.e. :math:`-(e^2/4\pi^2\hbar)\tilde F_d\ldots`). Conventions: ``docs/conventions.md``,
"Interaction corrections".

References
----------
.. [LR85] P. A. Lee, T. V. Ramakrishnan, Rev. Mod. Phys. 57, 287 (1985), Sec. III.
.. [ZNA01] G. Zala, B. N. Narozhny, I. L. Aleiner, Phys. Rev. B 64, 214204 (2001).
.. [AA85] B. L. Altshuler, A. G. Aronov, in *Electron-Electron Interactions in Disordered Systems* (1985).
"""

from __future__ import annotations

import math
import warnings as _warnings
from dataclasses import dataclass, field
from fractions import Fraction

import mpmath
import numpy as np

from mesocorr import arguments
from mesocorr.physics_warnings import PhysicsWarning, warn_inconsistent
from mesocorr.units import HBAR, K_B, MU_B, MU_B_VALUE, mp_constant

__all__ = ["interaction_correction", "InteractionCorrection", "fermi_liquid_parameters", "f_tilde",
           "zeeman_function", "hall_correction", "zeeman_reduced_field", "UNIT_DETAIL", "DIFFUSIVE_LIMIT"]

UNIT_DETAIL = {
    1: "e^2/h times metre (delta G * L of a wire of length L)",
    2: "e^2/h per square",
    3: "e^2/h per metre (conductivity)",
}
#: k_B T tau / hbar above this value is reported as outside the diffusive regime
DIFFUSIVE_LIMIT = 0.1
#: largest ``dps`` of the mpmath path (the Hurwitz zeta of a complex argument in g_d(h) costs ~0.2-0.7 s at 300
#: digits and ~60 s at 1000, measured)
MAX_DPS = 300
_GUARD = 10


def fermi_liquid_parameters(F0_sigma=None, F=None) -> dict:
    r"""Convert between the Landau parameter :math:`F_0^\sigma` and Altshuler-Aronov's averaged :math:`F`.

    Exact relation (:func:`mesocorr.symbolic.interaction.aa_relation`): :math:`1+F_0^\sigma = (1+F/2)^{-1}`,
    i.e. :math:`F_0^\sigma = -F/(2+F)`, :math:`F = -2F_0^\sigma/(1+F_0^\sigma)`. Give at most one; none means
    :math:`F_0^\sigma = F = 0` (singlet/exchange only). :math:`F_0^\sigma > -1` and :math:`F > -2` are required;
    an :math:`F` outside :math:`[0, 1]` (the range of a screened Coulomb interaction) is named in a
    :class:`~mesocorr.physics_warnings.PhysicsWarning`.

    Parameters
    ----------
    F0_sigma : float, optional
        Landau parameter of the spin channel, :math:`> -1`.
    F : float, optional
        Altshuler-Aronov's Fermi-surface average of the statically screened interaction, :math:`> -2`.

    Returns
    -------
    dict
        ``{"F0_sigma", "F", "F_tilde": {1: ..., 2: ..., 3: ...}}`` (floats; :math:`\tilde F_d` of :func:`f_tilde`).

    References
    ----------
    P. A. Lee, T. V. Ramakrishnan, Rev. Mod. Phys. 57, 287 (1985), Sec. III; G. Zala, B. N. Narozhny,
    I. L. Aleiner, Phys. Rev. B 64, 214204 (2001).

    Examples
    --------
    >>> p = fermi_liquid_parameters(F=0.5)
    >>> round(p["F0_sigma"], 15), round(p["F_tilde"][2], 10)
    (-0.2, 0.4628710263)
    """
    from mesocorr.integrals.interaction import f_tilde as _ft

    if F0_sigma is not None and F is not None:
        raise ValueError("F0_sigma: give F0_sigma (Landau parameter) or F (Altshuler-Aronov average), not both")
    if F is not None:
        Fv = arguments.as_real("F", F)
        if Fv <= -2:
            raise ValueError(f"F: must be > -2 (F0_sigma = -F/(2+F) > -1), got {Fv!r}")
        if not 0 <= Fv <= 1:
            warn_inconsistent(f"F: {Fv:.6g} is outside [0, 1], the range of the Fermi-surface average of a screened "
                              "Coulomb interaction")
        F0 = -Fv / (2 + Fv)
    else:
        F0 = 0.0 if F0_sigma is None else arguments.as_real("F0_sigma", F0_sigma)
        if F0 <= -1:
            raise ValueError(f"F0_sigma: must be > -1 (Stoner instability at -1), got {F0!r}")
        Fv = -2 * (F0 / (1 + F0)) + 0.0  # the ratio first: no overflow at huge F0; + 0.0: no negative zero
    return {"F0_sigma": F0 + 0.0, "F": Fv + 0.0, "F_tilde": {d: float(_ft(d, F0)) + 0.0 for d in (1, 2, 3)}}


def f_tilde(dim: int, F0_sigma=None, F=None, dps: int | None = None):
    r""":math:`\tilde F_d`: d = 2 :math:`4[\ln(1+F_0^\sigma)/F_0^\sigma - 1] = \tfrac8F(1+\tfrac F2)\ln(1+\tfrac F2)-4`,
    d = 3 :math:`\tfrac{32}{3F}[(1+\tfrac F2)^{3/2}-1-\tfrac{3F}4]`, d = 1 :math:`\tfrac{16}F(\sqrt{1+F/2}-1)^2`.

    Derived as :math:`\tilde F_d = -(8/d)\lambda_d(F_0^\sigma)` from the triplet/singlet channel factor
    (:func:`mesocorr.symbolic.interaction.f_tilde`); the correction is proportional to
    :math:`1-\tfrac{3d}{8}\tilde F_d`.

    Parameters
    ----------
    dim : {1, 2, 3}
        Dimension.
    F0_sigma, F : float, optional
        The Fermi-liquid constant, one of the two (:func:`fermi_liquid_parameters`); none: 0.
    dps : int, optional
        mpmath digits (1..300); the input is then read exactly (a float as the decimal it prints as).

    Returns
    -------
    float or mpmath.mpf
        :math:`\tilde F_d` (dimensionless).

    Examples
    --------
    >>> round(f_tilde(2, F0_sigma=-0.25), 10)
    0.6029131592
    """
    from mesocorr.integrals.interaction import f_tilde_mp

    dim = arguments.integer("dim", dim, minimum=1, maximum=3)
    p = fermi_liquid_parameters(F0_sigma, F)
    if dps is None:
        return p["F_tilde"][dim]
    dps = arguments.integer("dps", dps, minimum=1, maximum=MAX_DPS)
    if F is not None:  # exact input (arguments.as_fraction), F0 = -F/(2 + F) in rationals
        fr = arguments.as_fraction("F", F)
        F0 = -fr / (2 + fr)
    else:
        F0 = Fraction(0) if F0_sigma is None else arguments.as_fraction("F0_sigma", F0_sigma)
    with mpmath.workdps(dps + _GUARD):
        val = f_tilde_mp(dim, mpmath.mpf(F0.numerator) / F0.denominator)
    with mpmath.workdps(dps):
        return +val


def zeeman_function(dim: int, h, dps: int | None = None):
    r""":math:`g_d(h)`, :math:`h = E_Z/k_BT` (even in h, :math:`g_d(0) = 0`); float64 array or, with ``dps``, mpmath.

    Exact limits: :math:`g_2 \simeq \tfrac{3\zeta(3)}{4\pi^2}h^2` and :math:`\ln(h/h_2)`,
    :math:`h_2 = 2\pi e^{-1-\gamma} = 1.29779`; :math:`g_3 \simeq \tfrac{15\zeta(5/2)}{64\pi^{3/2}}h^2` and
    :math:`\sqrt h - \tfrac{\sqrt\pi}{2}|\zeta(\tfrac12)|`; :math:`g_1 \simeq \tfrac{105\zeta(7/2)}{128\pi^{3/2}}h^2`
    and :math:`\tfrac{3\sqrt\pi}{4}\zeta(\tfrac32) - \pi/\sqrt h`.

    Parameters
    ----------
    dim : {1, 2, 3}
        Dimension.
    h : float or array_like
        Reduced Zeeman field :math:`|g|\mu_B B/k_BT` (dimensionless).
    dps : int, optional
        mpmath digits (1..300); ``h`` must then be one number.

    Returns
    -------
    float, numpy.ndarray or mpmath.mpf
        :math:`g_d(h)`; the 2D correction is :math:`-\tfrac{1}{2\pi}\tilde F_2\,g_2(h)` in e²/h.

    References
    ----------
    P. A. Lee, T. V. Ramakrishnan, Rev. Mod. Phys. 57, 287 (1985), Sec. III (:math:`g_2`, :math:`g_3`).

    Examples
    --------
    >>> round(float(zeeman_function(2, 1.0)), 10)
    0.0881298995
    """
    from mesocorr.integrals.interaction import zeeman_g, zeeman_g_mp

    dim = arguments.integer("dim", dim, minimum=1, maximum=3)
    if dps is None:
        arr = np.asarray(arguments.real_values("h", h), dtype=float)
        out = zeeman_g(dim, arr)
        return float(out) if np.ndim(h) == 0 else out
    dps = arguments.integer("dps", dps, minimum=1, maximum=MAX_DPS)
    arguments.as_real("h", h)
    return zeeman_g_mp(dim, h, dps)


def zeeman_reduced_field(g_factor, B, T):
    r""":math:`h = |g|\mu_B|B|/k_BT` (``B`` in tesla, ``T`` in kelvin; arrays broadcast)."""
    with np.errstate(over="ignore", under="ignore"):  # mu_B/k_B = 0.67 K/T first: no spurious over/underflow
        return np.abs(g_factor) * (MU_B / K_B) * np.abs(np.asarray(B, dtype=float)) / np.asarray(T, dtype=float)


def hall_correction(delta_sigma_interaction, sigma, delta_sigma_wl=0.0):
    r"""Relative change of the Hall coefficient, :math:`\delta R_H/R_H = -2\,\delta\sigma_{ee}/\sigma`.

    Derived from the Drude tensor (:func:`mesocorr.symbolic.interaction.hall_corrections`): the interaction
    correction changes :math:`\sigma_{xx}` only, so :math:`\delta R_H/R_H = -2\delta\sigma_{ee}/\sigma_0` at every
    :math:`\mu B`; weak localization renormalises the transport time and leaves :math:`R_H` unchanged, so
    ``delta_sigma_wl`` is accepted (and checked finite) but contributes 0. Same units for all conductances.

    Parameters
    ----------
    delta_sigma_interaction : float
        The interaction correction :math:`\delta\sigma_{ee}` (first order: :math:`|\delta\sigma| \ll \sigma`,
        else a PhysicsWarning).
    sigma : float
        The Drude conductance :math:`\sigma_0` (same unit), positive.
    delta_sigma_wl : float, optional
        The weak-localization correction (no effect on :math:`R_H`).

    Returns
    -------
    float
        :math:`\delta R_H/R_H` (dimensionless).

    References
    ----------
    B. L. Altshuler, D. Khmelnitzkii, A. I. Larkin, P. A. Lee, Phys. Rev. B 22, 5142 (1980); H. Fukuyama,
    J. Phys. Soc. Jpn. 49, 644 (1980).

    Examples
    --------
    >>> hall_correction(-0.8, 20.0, delta_sigma_wl=-1.3)
    0.08
    """
    dee = arguments.as_real("delta_sigma_interaction", delta_sigma_interaction)
    arguments.as_real("delta_sigma_wl", delta_sigma_wl)
    s = arguments.positive("sigma", sigma)
    if abs(dee) > s:   # not a correction at all (and dee/s may overflow)
        raise ValueError("delta_sigma_interaction, sigma: |delta sigma| exceeds sigma; the first-order Hall relation "
                         "delta R_H/R_H = -2 delta sigma/sigma needs |delta sigma| << sigma")
    ratio = dee / s
    if abs(ratio) > 0.1:
        warn_inconsistent(f"delta_sigma_interaction, sigma: |delta sigma|/sigma = {abs(ratio):.3g} is not small; "
                          "the first-order Hall relation needs |delta sigma| << sigma")
    return -2.0 * ratio


@dataclass
class InteractionCorrection:
    r"""Result of :func:`interaction_correction` (``as_dict()`` gives the JSON form; ``unit`` is e^2/h).

    Parameters
    ----------
    dim : int
        Dimension; the unit of the conductances is ``unit_detail`` (``UNIT_DETAIL``).
    T : float or numpy.ndarray
        Temperatures (K).
    delta_sigma, singlet, triplet : float, numpy.ndarray or mpmath.mpf
        :math:`\delta\sigma_{ee}(T)` and its exchange (singlet) and triplet parts (3D: minus the T = 0 value).
    F0_sigma, F : float
        The Fermi-liquid constant both ways (:func:`fermi_liquid_parameters`).
    F_tilde, constant, scale : float or mpmath.mpf
        :math:`\tilde F_d`, the constant :math:`K_d` (e²/h) and the temperature scale named ``scale_name``.
    scale_name : str
        Name of the temperature scale in ``as_dict()`` (e.g. ``"T_scale"``).
    digits : int or None
        mpmath digits of the numbers (``None``: float64).
    unit : str
        Unit of the conductances, ``"e^2/h"``.
    delta_sigma_zeeman, h, hall_relative : optional
        The Zeeman term, the reduced field and :math:`\delta R_H/R_H` when requested.
    warnings : list of str
        Physics warnings raised by the call.

    Examples
    --------
    >>> r = interaction_correction(2, 1.0, elastic_time=7.6e-14, F0_sigma=-0.25)
    >>> round(r.delta_sigma, 10), r.unit_detail
    (-0.8039014338, 'e^2/h per square')
    """

    dim: int
    T: object
    delta_sigma: object
    singlet: object
    triplet: object
    F0_sigma: float
    F: float
    F_tilde: object
    constant: object
    scale: object
    scale_name: str
    delta_sigma_zeeman: object = None
    h: object = None
    hall_relative: object = None
    warnings: list = field(default_factory=list)
    digits: int | None = None
    unit: str = "e^2/h"

    @property
    def unit_detail(self) -> str:
        return UNIT_DETAIL[self.dim]

    @property
    def delta_sigma_total(self):
        """:math:`\\delta\\sigma(T) + [\\delta\\sigma(B,T)-\\delta\\sigma(0,T)]` (B = 0 value without a field)."""
        if self.delta_sigma_zeeman is None:
            return self.delta_sigma
        if self.digits is not None:  # mpmath results: add at their precision (not the caller's context)
            with mpmath.workdps(self.digits + _GUARD):
                total = self.delta_sigma + self.delta_sigma_zeeman
            with mpmath.workdps(self.digits):
                return +total
        return self.delta_sigma + self.delta_sigma_zeeman

    def as_dict(self) -> dict:
        def conv(v):
            if v is None:
                return None
            if isinstance(v, (mpmath.mpf, mpmath.mpc)):
                return mpmath.nstr(v, self.digits or 15)
            if isinstance(v, np.ndarray):
                return (v + 0.0).tolist()  # + 0.0: no negative zeros in the JSON form
            return float(v) + 0.0 if isinstance(v, (np.floating, float, int)) else v

        out = {"delta_sigma": conv(self.delta_sigma), "unit": self.unit, "unit_detail": self.unit_detail,
               "F_tilde": conv(self.F_tilde), "F0_sigma": self.F0_sigma, "F": self.F, "dim": self.dim,
               "T": conv(self.T), "singlet": conv(self.singlet), "triplet": conv(self.triplet),
               "constant": conv(self.constant), self.scale_name: conv(self.scale)}
        if self.delta_sigma_zeeman is not None:
            out["delta_sigma_zeeman"] = conv(self.delta_sigma_zeeman)
            out["h"] = conv(self.h)
            out["delta_sigma_total"] = conv(self.delta_sigma_total)
        if self.hall_relative is not None:
            out["hall_relative"] = conv(self.hall_relative)
        out["warnings"] = list(self.warnings)
        return out


def _temperatures(T):
    """T (kelvin) as a float64 array and whether it was one number (:func:`mesocorr.arguments.real_values`)."""
    values = arguments.real_values("T", T, "positive")
    arr = np.asarray(values, dtype=float)
    if arr.size == 0:
        raise ValueError("T: at least one temperature is needed (kelvin)")
    return arr, np.ndim(values) == 0


def interaction_correction(dim: int, T, *, elastic_time: float | None = None, D: float | None = None,
                           F0_sigma: float | None = None, F: float | None = None, g_factor: float | None = None,
                           B=None, sigma: float | None = None, dps: int | None = None) -> InteractionCorrection:
    r"""Altshuler-Aronov correction :math:`\delta\sigma_{ee}(T)` in units of :math:`e^2/h` (see the module docstring).

    Parameters
    ----------
    dim : {1, 2, 3}
        1: wire with width and thickness :math:`\ll L_T` (result e²/h·m, :math:`\delta G\cdot L`);
        2: film thinner than :math:`L_T` (per square); 3: bulk (the T-dependent part, (e²/h)/m).
    T : float or array_like
        Temperature(s) in K.
    elastic_time : float
        :math:`\tau` in s; required for ``dim=2`` (the log is :math:`\ln(k_BT\tau/\hbar)`, the cutoff-dependent
        constant under it is dropped). With any ``dim``, :math:`k_BT\tau/\hbar > 0.1` is named in a
        :class:`~mesocorr.physics_warnings.PhysicsWarning` (the diffusive formula needs :math:`T\tau \ll \hbar`).
    D : float
        Diffusion constant (m²/s); required for ``dim=1, 3`` and for the Zeeman term in 1D/3D.
    F0_sigma, F : float, optional
        The Fermi-liquid constant: Landau :math:`F_0^\sigma > -1` or AA's :math:`F` (one of them; none = 0, exchange
        only). :math:`F_0^\sigma = -F/(2+F)`.
    g_factor, B : float, optional
        Together: the Zeeman energy :math:`|g|\mu_B|B|` (B in tesla, may be an array broadcast with T) and
        ``delta_sigma_zeeman`` = :math:`\delta\sigma(B,T)-\delta\sigma(0,T)`. Pass the *effective* g (if the
        Fermi liquid renormalises it, that factor is not applied here).
    sigma : float, optional
        Drude conductance in the units of the result (e²/h per square in 2D): adds
        ``hall_relative`` = :math:`\delta R_H/R_H = -2(\delta\sigma+\delta\sigma_Z)/\sigma` (in 3D, of the
        T-dependent part).
    dps : int, optional
        mpmath evaluation at ``dps`` digits, 1..``MAX_DPS`` (300), scalar T and B only; every input is then
        read exactly (a float as the decimal it prints as, ``Decimal``/``Fraction`` exactly; ``docs/conventions.md``,
        "Exact input on the mpmath path"). mu_B is the CODATA 2018 value (not exact in the SI).

    Returns
    -------
    InteractionCorrection
        ``delta_sigma``, ``singlet``, ``triplet``, ``F_tilde``, ``F0_sigma``, ``F``, ``constant`` (:math:`K_d`),
        ``scale`` (:math:`\ln(k_BT\tau/\hbar)`, :math:`1/L_T` or :math:`L_T`), optional ``delta_sigma_zeeman``,
        ``h``, ``hall_relative``; ``warnings``; ``as_dict()``.

    Examples
    --------
    >>> r = interaction_correction(2, 1.0, elastic_time=7.6e-14, F0_sigma=-0.25)
    >>> round(r.delta_sigma, 10), round(r.F_tilde, 10)
    (-0.8039014338, 0.6029131592)
    >>> r3 = interaction_correction(3, 1.0, D=1e-4, F=0.5)
    >>> print(f"{r3.delta_sigma:.6e}")   # (e^2/h)/m
    3.225112e+06
    """
    from mesocorr.integrals import interaction as num

    dim = arguments.integer("dim", dim, minimum=1, maximum=3)
    Tarr, scalar = _temperatures(T)
    tau = arguments.positive_or_none("elastic_time", elastic_time)
    Dv = arguments.positive_or_none("D", D)
    if dim == 2 and tau is None:
        raise TypeError("elastic_time: the 2D correction ln(k_B T tau/hbar) needs the elastic time tau (s)")
    if dim in (1, 3) and Dv is None:
        raise TypeError(f"D: the {dim}D correction needs the diffusion constant D (m^2/s)")
    if (g_factor is None) != (B is None):
        raise TypeError("g_factor: the Zeeman term needs both g_factor and B (tesla)")
    sig = arguments.positive_or_none("sigma", sigma)
    if dps is not None:
        dps = arguments.integer("dps", dps, minimum=1, maximum=MAX_DPS)
        if not scalar or (B is not None and np.ndim(B) != 0):
            raise ValueError("dps: the mpmath path takes scalar T and B")
    recorded: list[str] = []
    with _warnings.catch_warnings(record=True) as caught:
        _warnings.simplefilter("always", PhysicsWarning)
        params = fermi_liquid_parameters(F0_sigma, F)
        if tau is not None:
            lg = math.log10(K_B / HBAR) + math.log10(float(np.max(Tarr))) + math.log10(tau)  # no overflow
            if lg > math.log10(DIFFUSIVE_LIMIT):
                x = f"{10 ** lg:.3g}" if lg < 300 else f"1e{lg:.0f}"
                warn_inconsistent(f"T, elastic_time: k_B T tau/hbar = {x} is not << 1; the diffusive "
                                  "Altshuler-Aronov formula needs T tau << hbar (Zala-Narozhny-Aleiner ballistic regime)")
    for w in caught:
        recorded.append(str(w.message))
        _warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    F0 = params["F0_sigma"]
    Bval = None
    if B is not None:
        gval = arguments.as_real("g_factor", g_factor)
        Bval = np.asarray(arguments.real_values("B", B), dtype=float)
        arguments.broadcast_shape("B", Tarr, Bval)

    if dps is None:
        Ft = float(num.f_tilde(dim, F0)) + 0.0  # + 0.0: no negative zero
        K = num.temperature_constant(dim)
        with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
            # the constants first, then T and D separately: no intermediate overflow of k_B T/(hbar D)
            if dim == 2:
                scale = math.log(K_B / HBAR) + np.log(Tarr) + math.log(tau)
            elif dim == 3:
                scale = math.sqrt(K_B / HBAR) * np.sqrt(Tarr) / math.sqrt(Dv)
            else:
                scale = math.sqrt(HBAR / K_B) * math.sqrt(Dv) / np.sqrt(Tarr)
            singlet = K * scale
            triplet = -3 * dim / 8 * Ft * singlet + 0.0
            total = singlet + triplet
            dz = h = None
            if Bval is not None:
                h = zeeman_reduced_field(gval, Bval, Tarr)
                if not np.all(np.isfinite(h)):
                    raise ValueError("B: the reduced Zeeman field |g| mu_B B/k_B T exceeds the float64 range "
                                     "(use dps=)")
                g = num.zeeman_g(dim, h)
                # (k_B T/(2 hbar D))^((d-2)/2): 1 in 2D, sqrt in 3D, its inverse in 1D
                pref = (1.0 if dim == 2 else math.sqrt(K_B / (2 * HBAR)) * np.sqrt(Tarr) / math.sqrt(Dv) if dim == 3
                        else math.sqrt(2 * HBAR / K_B) * math.sqrt(Dv) / np.sqrt(Tarr))
                dz = -Ft / (2 * math.pi) * pref * g + 0.0
            hall = None
            if sig is not None:
                hall = -2 * (total + (0 if dz is None else dz)) / sig

        def unpack(v):
            return (float(v) if v is not None and np.ndim(v) == 0 else v)
        if scalar and (Bval is None or np.ndim(B) == 0):
            total, singlet, triplet, scale, dz, h, hall = map(unpack, (total, singlet, triplet, scale, dz, h, hall))
        if hall is not None:
            _hall_regime(total if dz is None else total + dz, sig, recorded)
        for name, v, hint in (("delta_sigma", total, "the scale L_T or 1/L_T leaves the float64 range"),
                              ("delta_sigma_zeeman", dz, "the scale L_T or 1/L_T leaves the float64 range"),
                              ("hall_relative", hall, "delta sigma/sigma leaves the float64 range")):
            if v is not None:
                arguments.check_finite_result(name, v, hint + "; use dps=")
        T_out = float(Tarr) if scalar else Tarr
        return InteractionCorrection(dim, T_out, total, singlet, triplet, F0, params["F"], Ft, K, scale,
                                     _scale_name(dim), dz, h, hall, recorded)

    # mpmath path: every input read exactly (arguments.as_fraction: a float is the decimal it prints as)
    exact = {name: (None if v is None else arguments.as_fraction(name, v))
             for name, v in (("T", T), ("elastic_time", elastic_time), ("D", D), ("F0_sigma", F0_sigma), ("F", F),
                             ("g_factor", g_factor), ("B", B), ("sigma", sigma))}
    if exact["F"] is not None:
        F0_exact = -exact["F"] / (2 + exact["F"])
    else:
        F0_exact = exact["F0_sigma"] if exact["F0_sigma"] is not None else Fraction(0)
    with mpmath.workdps(dps + _GUARD):
        def mpf(fr):
            return mpmath.mpf(fr.numerator) / fr.denominator

        hbar, kB = mp_constant("hbar"), mp_constant("k_B")
        Tm = mpf(exact["T"])
        Ftm = num.f_tilde_mp(dim, mpf(F0_exact))
        Km = num.temperature_constant_mp(dim)
        if dim == 2:
            scale = mpmath.log(kB * Tm * mpf(exact["elastic_time"]) / hbar)
        elif dim == 3:
            scale = mpmath.sqrt(kB * Tm / (hbar * mpf(exact["D"])))
        else:
            scale = mpmath.sqrt(hbar * mpf(exact["D"]) / (kB * Tm))
        singlet = Km * scale
        triplet = -mpmath.mpf(3 * dim) / 8 * Ftm * singlet
        total = singlet + triplet
        dz = hm = hall = None
        if Bval is not None:
            hm = abs(mpf(exact["g_factor"])) * (mpf(MU_B_VALUE.numerator) / MU_B_VALUE.denominator) * abs(mpf(exact["B"])) / (kB * Tm)
            g = num.zeeman_g_mp(dim, hm, dps + _GUARD)
            pref = 1 if dim == 2 else (kB * Tm / (2 * hbar * mpf(exact["D"]))) ** (mpmath.mpf(dim - 2) / 2)
            dz = -Ftm / (2 * mpmath.pi) * pref * g
        if sig is not None:
            hall = -2 * (total + (0 if dz is None else dz)) / mpf(exact["sigma"])
    with mpmath.workdps(dps):
        def rnd(v):
            return (None if v is None else +v)
        out = [rnd(v) for v in (total, singlet, triplet, Ftm, Km, scale, dz, hm, hall)]
    for name, v in zip(("delta_sigma", "delta_sigma_zeeman", "hall_relative"), (out[0], out[6], out[8])):
        if v is not None and not mpmath.isfinite(v):  # pragma: no cover - mpmath has no overflow at these sizes
            raise ValueError(f"{name}: the result is not finite for these inputs")
    total, singlet, triplet, Ftm, Km, scale, dz, hm, hall = out
    if hall is not None:
        _hall_regime(float(hall) * sig / -2, sig, recorded)
    return InteractionCorrection(dim, float(Tarr), total, singlet, triplet, F0, params["F"], Ftm, Km, scale,
                                 _scale_name(dim), dz, hm, hall, recorded, dps)


def _hall_regime(delta, sig, recorded: list) -> None:
    """Name (warn and record) a correction that is not small compared with the Drude conductance."""
    ratio = float(np.max(np.abs(delta))) / sig
    if ratio > 0.1:
        msg = (f"sigma, delta_sigma: |delta sigma|/sigma = {ratio:.3g} is not small; the first-order Hall relation "
               "needs |delta sigma| << sigma")
        recorded.append(msg)
        warn_inconsistent(msg, stacklevel=4)


def _scale_name(dim: int) -> str:
    return {2: "log_T_tau", 3: "inverse_L_T", 1: "L_T"}[dim]
