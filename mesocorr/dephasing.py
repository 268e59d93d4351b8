"""Nyquist (electron-electron, quasi-elastic) dephasing rate of Altshuler, Aronov and Khmelnitsky.

Rates in 1/s, resistances in ohm (per metre for wires, per square for films), D in m^2/s, T in K.

References
----------
.. [AAK82] B. L. Altshuler, A. G. Aronov, D. E. Khmelnitsky, J. Phys. C 15, 7367 (1982).
.. [Pierre03] F. Pierre et al., Phys. Rev. B 68, 085413 (2003), eq. (3) (quasi-1D prefactor).
"""

from __future__ import annotations

import math

import numpy as np

from mesocorr import arguments
from mesocorr.units import HBAR, K_B, E_CHARGE, R_K

__all__ = ["nyquist_dephasing_rate"]


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
