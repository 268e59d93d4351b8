"""Dephasing: the Nyquist (electron-electron) rate of Altshuler, Aronov and Khmelnitsky, tau_phi(T) laws, and the
exact AAK weak-localization correction of a wire with Nyquist noise.

* :func:`nyquist_dephasing_rate` — AAK 1/tau_phi in a wire or film;
* :func:`dephasing_rate` — combined laws: saturation 1/tau_0 + electron-electron (AAK, or A T^p) + electron-phonon
  (A T^p), rates added (Matthiessen);
* :func:`aak_wire_correction` — the exact Airy-function solution of AAK 1982 for a quasi-1D wire, beside the
  exponential (tau_phi) approximation with the rate of :func:`nyquist_dephasing_rate`.

Rates in 1/s, resistances in ohm (per metre for wires, per square for films), D in m^2/s, T in K.

References
----------
.. [AAK82] B. L. Altshuler, A. G. Aronov, D. E. Khmelnitsky, J. Phys. C 15, 7367 (1982).
.. [Pierre03] F. Pierre et al., Phys. Rev. B 68, 085413 (2003), eq. (3) (quasi-1D prefactor).
.. [LR85] P. A. Lee, T. V. Ramakrishnan, Rev. Mod. Phys. 57, 287 (1985) (electron-phonon T^p laws).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from mesocorr import arguments
from mesocorr.units import HBAR, K_B, E_CHARGE, R_K

__all__ = ["nyquist_dephasing_rate", "dephasing_rate", "aak_wire_correction", "AAKWireCorrection",
           "nyquist_length", "EE_EXPONENT"]

#: default exponent p of 1/tau_ee = A T^p by dimension (AAK: T^(2/3) wire, T film, T^(3/2) bulk)
EE_EXPONENT = {1: 2.0 / 3.0, 2: 1.0, 3: 1.5}


@arguments.float64_range
def nyquist_dephasing_rate(dim: int, temperature: float, *, resistance_per_length: float | None = None,
                           diffusion_constant: float | None = None,
                           sheet_resistance: float | None = None) -> float:
    """Nyquist dephasing rate :math:`1/\\tau_\\phi` in 1/s.

    .. math::

        d = 1:\\quad \\frac{1}{\\tau_\\phi} =
            \\left[\\frac{(R/L)\\, e^2 \\sqrt{D}\\, k_B T}{2\\sqrt{2}\\,\\hbar^2}\\right]^{2/3}
            \\qquad\\text{(AAK 1982; Pierre et al. 2003, eq. 3)}

        d = 2:\\quad \\frac{1}{\\tau_\\phi} = \\frac{k_B T}{2\\pi\\hbar\\, g}\\ln(\\pi g),
            \\qquad g = \\frac{\\hbar}{e^2 R_\\square} = \\frac{R_K}{2\\pi R_\\square}

    with :math:`R/L = 1/(\\sigma A)` the resistance per unit length of a spin-degenerate wire
    (:math:`\\sigma = e^2\\nu D`, :math:`\\nu` counting both spins).

    Parameters
    ----------
    dim : {1, 2}
        1: quasi-1D wire (needs ``resistance_per_length`` and ``diffusion_constant``);
        2: film (needs ``sheet_resistance``).
    temperature : float or array_like
        :math:`T` in K.
    resistance_per_length : float or array_like, optional
        :math:`R/L` in ohm/m (d = 1).
    diffusion_constant : float or array_like, optional
        :math:`D` in m^2/s (d = 1).
    sheet_resistance : float or array_like, optional
        :math:`R_\\square` in ohm (d = 2); must be below :math:`R_K/2` so that :math:`\\ln(\\pi g) > 0`.

    Returns
    -------
    float or numpy.ndarray
        1/s, with the numpy broadcast shape of the array arguments (a float when all are numbers).
        Evaluated in logarithms: a rate beyond the float64 range raises ``ValueError`` naming ``temperature``.

    Examples
    --------
    >>> rate = nyquist_dephasing_rate(2, 1.0, sheet_resistance=100.0)
    >>> print(f"{rate:.6e}")
    2.465107e+09
    >>> nyquist_dephasing_rate(2, [0.1, 1.0], sheet_resistance=100.0).shape
    (2,)
    """
    dim = arguments.integer("dim", dim, 1, 2)
    T = arguments.real_values("temperature", temperature, "positive")
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        if dim == 1:
            if resistance_per_length is None or diffusion_constant is None:
                raise ValueError("resistance_per_length: the quasi-1D rate needs resistance_per_length and "
                                 "diffusion_constant")
            RL = arguments.real_values("resistance_per_length", resistance_per_length, "positive")
            D = arguments.real_values("diffusion_constant", diffusion_constant, "positive")
            arguments.broadcast_shape("temperature", T, RL, D)
            rate = (RL * E_CHARGE**2 * np.sqrt(D) * K_B * T / (2 * math.sqrt(2) * HBAR**2)) ** (2.0 / 3.0)
            # where the product over/underflows, the same formula in logarithms
            log_base = (np.log(RL) + 0.5 * np.log(D) + np.log(T)
                        + math.log(E_CHARGE**2 * K_B / (2 * math.sqrt(2) * HBAR**2)))
            rate = np.where(np.isfinite(rate) & (rate > 0), rate, np.exp(2.0 / 3.0 * log_base))
        else:
            if sheet_resistance is None:
                raise ValueError("sheet_resistance: the 2D rate needs sheet_resistance (ohm per square)")
            Rs = arguments.real_values("sheet_resistance", sheet_resistance, "positive")
            arguments.broadcast_shape("temperature", T, Rs)
            # pi g = R_K/(2 R_s): ln(pi g) = ln(R_K/2) - ln(R_s), no overflow of g itself
            log_pig = math.log(R_K / 2) - np.log(Rs)
            if np.any(log_pig <= 0):
                bad = float(np.max(Rs))
                raise ValueError(f"sheet_resistance: {bad:.6g} ohm >= R_K/2 = {R_K/2:.6g} ohm; the film is not a good "
                                 "metal and the AAK logarithm ln(pi g) is not positive")
            g = R_K / (2 * math.pi * Rs)
            rate = K_B * T / (2 * math.pi * HBAR * g) * log_pig
            # k_B T/(2 pi hbar g) = k_B T R_s/(hbar R_K), in logarithms where the direct form over/underflows
            log_rate = np.log(T) + np.log(Rs) + math.log(K_B / (HBAR * R_K)) + np.log(log_pig)
            rate = np.where(np.isfinite(rate) & (rate > 0), rate, np.exp(log_rate))
    arguments.check_finite_result("temperature", rate, "the dephasing rate exceeds the float64 range")
    return float(rate) if np.ndim(rate) == 0 else rate


def _temperatures(T):
    """T (kelvin) as a float64 array (:func:`mesocorr.arguments.real_values`)."""
    arr = np.asarray(arguments.real_values("T", T, "positive"), dtype=float)
    if arr.size == 0:
        raise ValueError("T: at least one temperature is needed (kelvin)")
    return arr


def _power_law(prefactor: float, T: np.ndarray, exponent: float) -> np.ndarray:
    """The rate :math:`A T^p` (1/s) of one mechanism; a switched-off mechanism (A = 0) is exactly 0 at every T, even
    where :math:`T^p` overflows; an overflow of a non-zero rate is left as inf for the caller to refuse; an underflow
    is 0."""
    if prefactor == 0.0:
        return np.zeros_like(T)
    with np.errstate(over="ignore", under="ignore"):
        return prefactor * T**exponent


def dephasing_rate(T, *, dim: int | None = None, saturation_time: float | None = None,
                   sheet_resistance: float | None = None, resistance_per_length: float | None = None,
                   diffusion_constant: float | None = None, ee_prefactor: float | None = None,
                   ee_exponent: float | None = None, phonon_prefactor: float | None = None,
                   phonon_exponent: float = 3.0, components: bool = False):
    r"""Combined dephasing rate :math:`1/\tau_\phi(T) = 1/\tau_0 + 1/\tau_{ee}(T) + 1/\tau_{ph}(T)` in 1/s.

    * saturation: ``saturation_time`` :math:`\tau_0` (s), T-independent;
    * electron-electron: the AAK Nyquist rate of :func:`nyquist_dephasing_rate` when ``dim`` and the resistance
      (``sheet_resistance``, or ``resistance_per_length`` with ``diffusion_constant``) are given, otherwise
      ``ee_prefactor`` :math:`\times T^p` with :math:`p` = ``ee_exponent`` (default ``EE_EXPONENT``\[dim],
      1 without ``dim``); prefactor in :math:`\mathrm{s^{-1}K^{-p}}`;
    * electron-phonon: ``phonon_prefactor`` :math:`\times T^{p}`, :math:`p` = ``phonon_exponent`` (default 3;
      2-4 in metals, LR85).

    Rates add (independent mechanisms). ``T`` may be an array. ``components=True`` returns
    ``{"saturation", "electron_electron", "electron_phonon", "total"}``.

    Parameters
    ----------
    T : float or array_like
        Temperatures (K), positive.
    dim : {1, 2, 3}, optional
        Dimension (needed for the AAK rate from the resistance, and for the default ``ee_exponent``).
    saturation_time : float, optional
        :math:`\tau_0` (s).
    sheet_resistance, resistance_per_length, diffusion_constant : float, optional
        The AAK Nyquist rate of a film (ohm) or a wire (ohm/m with m²/s), :func:`nyquist_dephasing_rate`.
    ee_prefactor, ee_exponent : float, optional
        A phenomenological electron-electron rate :math:`A T^p` instead (s⁻¹ K⁻ᵖ).
    phonon_prefactor, phonon_exponent : float, optional
        The electron-phonon rate :math:`A_{ph}T^{p}` (s⁻¹ K⁻ᵖ; default p = 3).
    components : bool
        Return the parts as well.

    Returns
    -------
    float, numpy.ndarray or dict
        :math:`1/\tau_\phi` in 1/s (finite and positive, else ``ValueError``).

    References
    ----------
    B. L. Altshuler, A. G. Aronov, D. E. Khmelnitsky, J. Phys. C 15, 7367 (1982); P. A. Lee,
    T. V. Ramakrishnan, Rev. Mod. Phys. 57, 287 (1985) (electron-phonon exponents).

    Examples
    --------
    >>> round(dephasing_rate(2.0, saturation_time=1e-9, phonon_prefactor=1e7, phonon_exponent=3) / 1e9, 12)
    1.08
    """
    Tarr = _temperatures(T)
    zero = np.zeros_like(Tarr)
    sat = zero + (0.0 if saturation_time is None else 1.0 / arguments.positive("saturation_time", saturation_time))
    if dim is not None:
        dim = arguments.integer("dim", dim, minimum=1, maximum=3)
    aak = sheet_resistance is not None or resistance_per_length is not None
    if aak and ee_prefactor is not None:
        raise ValueError("ee_prefactor: give either the AAK resistance or ee_prefactor, not both")
    if aak:
        if dim not in (1, 2):
            raise ValueError("dim: the AAK rate from the resistance needs dim=1 (wire) or dim=2 (film)")
        ee = np.broadcast_to(nyquist_dephasing_rate(dim, Tarr, resistance_per_length=resistance_per_length,
                                                    diffusion_constant=diffusion_constant,
                                                    sheet_resistance=sheet_resistance), Tarr.shape)
    elif ee_prefactor is not None:
        A = arguments.nonnegative("ee_prefactor", ee_prefactor)
        p = EE_EXPONENT.get(dim, 1.0) if ee_exponent is None else arguments.positive("ee_exponent", ee_exponent)
        ee = _power_law(A, Tarr, p)
    else:
        ee = zero
    if phonon_prefactor is not None:
        A = arguments.nonnegative("phonon_prefactor", phonon_prefactor)
        p = arguments.positive("phonon_exponent", phonon_exponent)
        ph = _power_law(A, Tarr, p)
    else:
        ph = zero
    with np.errstate(over="ignore"):
        total = sat + ee + ph
    arguments.check_finite_result("T", total, "the dephasing rate exceeds the float64 range: check T, saturation_time, "
                                  "ee_prefactor, phonon_prefactor and the exponents")
    if not np.all(total > 0):
        raise ValueError("saturation_time: no dephasing mechanism given (the rate is zero); give at least one")
    out = {"saturation": sat, "electron_electron": ee, "electron_phonon": ph, "total": total}
    if np.ndim(T) == 0:
        out = {k: float(v) for k, v in out.items()}
    return out if components else out["total"]


def nyquist_length(temperature: float, resistance_per_length: float, diffusion_constant: float) -> float:
    r"""Nyquist length of a wire :math:`L_N = (\hbar^2 D\sigma_1/e^2k_BT)^{1/3}` (m), :math:`\sigma_1 = 1/(R/L)`
    (:func:`mesocorr.symbolic.nyquist_wire.nyquist_length`); :math:`\tau_N = L_N^2/D` and the rate of
    :func:`nyquist_dephasing_rate` is :math:`1/(2\tau_N)`.

    Parameters
    ----------
    temperature : float
        T (K).
    resistance_per_length : float
        R/L of the wire (ohm/m).
    diffusion_constant : float
        D (m²/s).

    Returns
    -------
    float
        :math:`L_N` in m (``ValueError`` when outside the float64 range).

    Examples
    --------
    >>> print(f"{nyquist_length(1.0, 1e8, 0.01):.6e}")
    1.464028e-06
    """
    T = arguments.positive("temperature", temperature)
    RL = arguments.positive("resistance_per_length", resistance_per_length)
    Dv = arguments.positive("diffusion_constant", diffusion_constant)
    log_value = _log_nyquist_length(T, RL, Dv)
    value = arguments.exp_or_inf(log_value)
    if not (0 < value < math.inf):
        raise ValueError("temperature, diffusion_constant, resistance_per_length: L_N is outside the float64 range")
    return value


def _log_nyquist_length(T: float, RL: float, D: float) -> float:
    """ln L_N, L_N = (hbar^2 D/(R_L e^2 k_B T))^(1/3), summed in logarithms (no intermediate over/underflow)."""
    return (2 * math.log(HBAR) + math.log(D) - math.log(RL) - 2 * math.log(E_CHARGE) - math.log(K_B)
            - math.log(T)) / 3


@dataclass
class AAKWireCorrection:
    """Result of :func:`aak_wire_correction` (units: e^2/h times metre; lengths in m)."""

    delta_sigma: float
    delta_sigma_tau_phi: float
    L_N: float
    L_phi_exact: float
    L_phi_tau_phi: float
    tau_phi: float
    unit: str = "e^2/h"

    @property
    def L_phi_ratio(self) -> float:
        """L_phi equivalent to the exact solution at B = 0 over the tau_phi approximation's L_phi (0.969953)."""
        return self.L_phi_exact / self.L_phi_tau_phi

    def as_dict(self) -> dict:
        return {"delta_sigma": self.delta_sigma, "delta_sigma_tau_phi": self.delta_sigma_tau_phi, "L_N": self.L_N,
                "L_phi_exact": self.L_phi_exact, "L_phi_tau_phi": self.L_phi_tau_phi, "L_phi_ratio": self.L_phi_ratio,
                "tau_phi": self.tau_phi, "unit": self.unit, "unit_detail": "e^2/h times metre"}


def aak_wire_correction(temperature: float, diffusion_constant: float, resistance_per_length: float, B: float = 0.0,
                        width: float | None = None, so=0, mag=0, phi: float = 0.0) -> AAKWireCorrection:
    r"""Exact weak-localization correction of a quasi-1D wire with Nyquist noise (AAK 1982), e²/h times metre.

    .. math:: \delta\sigma = s\sum_c w_c\,L_N\,\frac{\mathrm{Ai}(e_c)}{\mathrm{Ai}'(e_c)},\qquad
              e_c = \frac{L_N^2}{D}\Big(\Gamma_c + \frac{De^2W^2B^2}{3\hbar^2}\Big)

    (derived in :mod:`mesocorr.symbolic.nyquist_wire`), :math:`\Gamma_c` the Cooperon channel gap of
    :func:`mesocorr.channels` with spin rates ``so``, ``mag`` and any other exponential dephasing ``phi`` (1/s,
    e.g. phonons), :math:`s = 2`. Beside it the exponential approximation
    :math:`-s\sum_cw_c\sqrt{D/(\Gamma_c + 1/\tau_B + 1/\tau_\phi)}` with :math:`1/\tau_\phi` from
    :func:`nyquist_dephasing_rate`. At B = 0 the exact result is the exponential form with
    :math:`L_\phi = \Gamma(\frac13)/(3^{1/3}\Gamma(\frac23))\,L_N = 1.37172\,L_N`, the approximation uses
    :math:`\sqrt2 L_N`: ratio 0.969953 (``L_phi_ratio``).

    Parameters
    ----------
    temperature : float
        T (K).
    diffusion_constant : float
        D (m²/s).
    resistance_per_length : float
        R/L of the wire (ohm/m).
    B : float
        Perpendicular field (T); needs ``width``.
    width : float, optional
        Wire width W (m), :math:`W \ll L_\phi`.
    so, mag : float or three floats
        Spin-orbit and magnetic scattering rates (1/s), as :func:`mesocorr.channels`.
    phi : float
        Other (exponential) dephasing rate (1/s).

    Returns
    -------
    AAKWireCorrection
        ``delta_sigma`` (exact), ``delta_sigma_tau_phi`` (approximation), both e²/h times metre;
        ``L_N``, ``L_phi_exact``, ``L_phi_tau_phi`` (m), ``tau_phi`` (s), ``L_phi_ratio``.

    References
    ----------
    B. L. Altshuler, A. G. Aronov, D. E. Khmelnitsky, J. Phys. C 15, 7367 (1982); F. Pierre et al.,
    Phys. Rev. B 68, 085413 (2003), eq. 3.

    Examples
    --------
    >>> r = aak_wire_correction(1.0, 0.01, 1e8)
    >>> round(r.L_phi_ratio, 6), round(r.delta_sigma / (-2 * r.L_phi_exact), 12)
    (0.969953, 1.0)
    """
    from mesocorr.wl import cooperon_channel_table

    T = arguments.positive("temperature", temperature)
    Dv = arguments.positive("diffusion_constant", diffusion_constant)
    RL = arguments.positive("resistance_per_length", resistance_per_length)
    Bv = abs(arguments.as_real("B", B))
    W = None
    if Bv > 0:
        if width is None:
            raise TypeError("width: the field dephasing of a wire needs its width W (m)")
        W = arguments.positive("width", width)
    names = "temperature, diffusion_constant, resistance_per_length"
    # everything in logarithms first: L_N, tau_N = L_N^2/D and the reduced energies e_c are dimensionless-safe
    log_LN = _log_nyquist_length(T, RL, Dv)
    log_tN = 2 * log_LN - math.log(Dv)
    if not (-700 < log_LN < 700 and -700 < log_tN < 700):
        raise ValueError(f"{names}: the Nyquist length or time is outside the float64 range for these inputs")
    LN, tN = math.exp(log_LN), math.exp(log_tN)
    tau_phi = 1.0 / nyquist_dephasing_rate(1, T, resistance_per_length=RL, diffusion_constant=Dv)
    e_phi = math.exp(log_tN - math.log(tau_phi))  # tau_N/tau_phi (= 1/2)
    e_b = 0.0
    if W is not None:  # 1/tau_B = D e^2 W^2 B^2/(3 hbar^2): tau_N/tau_B = (L_N e W B/hbar)^2/3
        with np.errstate(over="ignore"):
            e_b = float(np.exp(2 * (log_LN + math.log(E_CHARGE) + math.log(W) + math.log(Bv) - math.log(HBAR)))
                        / 3)
    exact = approx = 0.0
    for ch in cooperon_channel_table(Dv, so=so, mag=mag, phi=phi):
        ec = tN * ch["gap"] + e_b
        exact += ch["weight"] * LN * _airy_ratio(ec)
        approx -= ch["weight"] * LN / math.sqrt(ec + e_phi)
    s = 2
    L_phi_exact = -_airy_ratio(0.0) * LN
    L_phi_tau_phi = math.sqrt(Dv) * math.sqrt(tau_phi)
    if not (LN > 0 and L_phi_tau_phi > 0):
        raise ValueError(f"{names}: the Nyquist length is outside the float64 range for these inputs")
    result = AAKWireCorrection(s * exact, s * approx, LN, L_phi_exact, L_phi_tau_phi, tau_phi)
    values = [v for v in result.as_dict().values() if isinstance(v, float)]
    arguments.check_finite_result(names, values, "the wire correction is outside the float64 range")
    return result


def _airy_ratio(x: float) -> float:
    """Ai(x)/Ai'(x) for x >= 0; beyond x = 1e5 the asymptotic -x^(-1/2)/(1 + x^(-3/2)/4) (relative error ~x^-3;
    scipy's scaled airye returns NaN beyond x ~ 2e6, measured)."""
    from scipy.special import airye

    if x > 1e5:
        return -1.0 / (math.sqrt(x) * (1 + 0.25 * x**-1.5)) if math.isfinite(x) else 0.0
    ai, aip, _, _ = airye(x)  # exponentially scaled: the ratio is unchanged
    return float(ai / aip)
