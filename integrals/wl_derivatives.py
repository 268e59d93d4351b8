r"""Derivatives of the weak-localization channel functions with respect to the logarithm of the channel field.

A fit of :math:`\Delta\sigma(B)` in the log-fields :math:`\ln B_c` (:mod:`mesocorr.fitting`) needs
:math:`\partial/\partial\ln B_c` of each channel's term; these are closed forms of the functions of
:mod:`mesocorr.integrals.hln` and :mod:`mesocorr.integrals.kawabata` (an analytic Jacobian instead of finite
differences). Every function takes a 1-D float64 array of finite non-negative arguments (no argument checks:
the fit's hot path) and is written as a sum of terms of one sign, so that it keeps full float64 accuracy
where the textbook form cancels.

* 2D: :math:`K(x) = x F'(x) = 1 - z\,\psi'(\tfrac12+z)`, :math:`z = 1/x`, with
  :math:`F(x) = \ln x + \psi(\tfrac12+1/x)` (so :math:`\partial F(B/B_c)/\partial\ln B_c = -K`). The
  recurrence :math:`F(z) = F(z+1) + h(z)`, :math:`h(u) = \ln(1+1/u) - 1/(u+\tfrac12)`, differentiates to
  :math:`-h'(u) = 1/(4u(u+1)(u+\tfrac12)^2) > 0`, so with :math:`N` = :data:`HLN_SHIFT` steps

  .. math:: K = \sum_{j<N} \frac{1}{(1+jx)\,4(z+j+1)(z+j+\tfrac12)^2}
            + \frac{1}{1+Nx}\,w^{-2}\sum_{k\ge1} 2k\,c_k\,w^{2-2k},\qquad w = z+N,

  :math:`c_k = -B_{2k}(\tfrac12)/(2k)` the coefficients of the asymptotic series of :math:`F`
  (:func:`mesocorr.integrals.hln.asymptotic_fractions`; :math:`2kc_k = -B_{2k}(\tfrac12)`, DLMF 5.15.8).
  Every term is positive for every :math:`x \ge 0`; :math:`K(0) = 0`, :math:`K(\infty) = 1`,
  :math:`K \approx x^2/12` for small :math:`x`.
* 3D: :math:`\delta f_3'(\delta)` with :math:`f_3(\delta) = -2\sqrt\delta - \zeta(\tfrac12,\tfrac12+\delta)`
  (Kawabata), :math:`f_3' = -\delta^{-1/2} + \tfrac12\zeta(\tfrac32, \tfrac12+\delta)`: the derivative of
  :func:`mesocorr.integrals.kawabata.f3_summand` term by term (each term negative) plus the derivative of the
  asymptotic form at :math:`\delta + m \ge 10`.
* quasi-1D wire: a channel contributes :math:`L_c(1 - 1/r)`, :math:`r = \sqrt{1+\beta}`,
  :math:`\beta = \Gamma_B/\Gamma_c`, :math:`L_c = \sqrt{D/\Gamma_c}`; its derivative with respect to
  :math:`\ln\Gamma_c` is :math:`-\tfrac12 L_c\,[1-r^{-3}] = -\tfrac12 L_c\,\beta(r^2+r+1)/((r+1)r^3)`
  (:func:`wire_log_derivative` returns the bracket).

Accuracy (``tests/test_fitting_jacobian.py``, against 50-digit mpmath): below 1e-14 relative over
:math:`10^{-12} \le x \le 10^{8}` (2D) and :math:`10^{-8} \le \delta \le 10^{12}` (3D).

References
----------
.. [HLN80] S. Hikami, A. I. Larkin, Y. Nagaoka, Prog. Theor. Phys. 63, 707 (1980).
.. [K80] A. Kawabata, Solid State Commun. 34, 431 (1980).
.. [DLMF] NIST DLMF 5.15.1 (:math:`\psi'` recurrence), 5.15.8 (its asymptotic series), 25.11.43.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from mesocorr.integrals.hln import asymptotic_fractions
from mesocorr.integrals.kawabata import hurwitz_fractions

__all__ = ["hln_f_log_derivative", "kawabata_f3_log_derivative", "wire_log_derivative", "HLN_SHIFT"]

#: recurrence steps of :func:`hln_f_log_derivative` before the asymptotic series (at w = z + 16 >= 16)
HLN_SHIFT = 16


def _series_length(shift: int, coefficients) -> int:
    """Terms of sum 2k c_k w^(-2k-1) so that the first omitted one is < 1e-18 of the leading w^-3/12 at w = shift."""
    for n in range(1, len(coefficients)):
        if abs(float(2 * (n + 1) * coefficients[n])) * 12 / shift ** (2 * n) < 1e-18:
            return n
    raise ValueError("shift: the asymptotic series does not reach 1e-18 at this shift")   # pragma: no cover


_FRACTIONS = asymptotic_fractions(40)
_N_SERIES = _series_length(HLN_SHIFT, _FRACTIONS)
# 2k c_k, highest power first (Horner in w^-2)
_K_REV = tuple(float(2 * k * c) for k, c in reversed(list(enumerate(_FRACTIONS[:_N_SERIES], start=1))))
_J = np.arange(HLN_SHIFT, dtype=float)[:, None]


def hln_f_log_derivative(x: np.ndarray) -> np.ndarray:
    r""":math:`K(x) = x\,F'(x) = 1 - \psi'(\tfrac12 + 1/x)/x` for a 1-D float64 array of finite ``x >= 0``.

    :math:`-K(B/B_c)` is :math:`\partial F(B/B_c)/\partial \ln B_c`. Positive terms only (module docstring).

    Examples
    --------
    >>> import numpy as np
    >>> k = hln_f_log_derivative(np.array([0.0, 1e-4, 1.0, 1e8]))
    >>> [f"{v:.10g}" for v in k]
    ['0', '8.333333304e-10', '0.06519779946', '0.9999999507']
    """
    with np.errstate(divide="ignore", over="ignore"):
        z = 1.0 / x                                  # inf at x = 0: every term below is then 0
        zj = z[None, :] + _J
        rows = 1.0 / ((1.0 + _J * x[None, :]) * (4.0 * (zj + 1.0) * (zj + 0.5) ** 2))
        w = z + HLN_SHIFT
        s = 1.0 / (w * w)
        acc = np.full_like(x, _K_REV[0])
        for c in _K_REV[1:]:
            acc *= s
            acc += c
        acc *= s
        acc /= 1.0 + HLN_SHIFT * x
        acc += rows.sum(axis=0)
    return acc


def wire_log_derivative(beta: np.ndarray) -> np.ndarray:
    r""":math:`1 - (1+\beta)^{-3/2} = \beta(r^2+r+1)/((r+1)r^3)`, :math:`r = \sqrt{1+\beta}`, for ``beta >= 0``
    (no cancellation for small :math:`\beta`): minus twice the derivative of a wire channel's
    :math:`L_c(1-1/r)/L_c` with respect to :math:`\ln\Gamma_c` (module docstring).

    >>> import numpy as np
    >>> [f"{v:.10g}" for v in wire_log_derivative(np.array([0.0, 1e-9, 3.0]))]
    ['0', '1.499999998e-09', '0.875']
    """
    r = np.sqrt(1.0 + beta)
    return beta * (r * r + r + 1.0) / ((r + 1.0) * r**3)


_THRESHOLD = 10.0
_H_D = [float((2 * k - Fraction(1, 2)) * c) for k, c in enumerate(hurwitz_fractions(14), start=1)]


def _f3_summand_derivative(u):
    """d/du of f3_summand(u) = 1/(2 (p+q)^2 (r+p) (r+q) r), p, q, r = sqrt(u+1), sqrt(u), sqrt(u+1/2): the
    logarithmic derivative is a sum of negative terms (u > 0)."""
    p, q, r = np.sqrt(u + 1.0), np.sqrt(u), np.sqrt(u + 0.5)
    dp, dq, dr = 0.5 / p, 0.5 / q, 0.5 / r
    value = 1.0 / (2.0 * (p + q) ** 2 * (r + p) * (r + q) * r)
    return -value * (2.0 * (dp + dq) / (p + q) + (dr + dp) / (r + p) + (dr + dq) / (r + q) + dr / r)


def _f3_asymptotic_derivative(delta):
    r"""d/d delta of :func:`mesocorr.integrals.kawabata.f3_asymptotic` (delta + 1/2 >= 10): the derivative of the
    leading term 1/(4 sqrt(a) (sqrt(a) + sqrt(delta))^2) minus that of sum_k c_k a^(1/2-2k), a = delta + 1/2."""
    a = delta + 0.5
    ra, rd = np.sqrt(a), np.sqrt(delta)
    lead = 1.0 / (4.0 * ra * (ra + rd) ** 2)
    dlead = -lead * (0.5 / a + (1.0 / ra + 1.0 / rd) / (ra + rd))
    inv = 1.0 / (a * a)
    # d/da [sum_k c_k a^(1/2-2k)] = -a^(-5/2) sum_k (2k - 1/2) c_k a^(2-2k)
    acc = np.full_like(a, _H_D[-1])
    for c in reversed(_H_D[:-1]):
        acc *= inv
        acc += c
    return dlead + acc / (a * a * ra)


def kawabata_f3_log_derivative(delta: np.ndarray) -> np.ndarray:
    r""":math:`\delta f_3'(\delta) = -\sqrt\delta + \tfrac{\delta}2\zeta(\tfrac32,\tfrac12+\delta)` for a 1-D float64
    array of ``delta >= 0`` (``inf`` gives 0); :math:`\partial f_3(B_c/B)/\partial\ln B_c`. Negative for
    :math:`\delta > 0`, :math:`\approx -\delta^{-3/2}/32` for large :math:`\delta`.

    >>> import numpy as np
    >>> [f"{v:.10g}" for v in kawabata_f3_log_derivative(np.array([0.0, 1.0, 1e6]))]
    ['0', '-0.0259445886', '-3.125e-11']
    """
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):   # delta near the float64 limit: 0
        return _kawabata_log_derivative(delta)


def _kawabata_log_derivative(delta):
    out = np.zeros_like(delta)
    fin = np.isfinite(delta) & (delta > 0)
    big = fin & (delta + 0.5 >= _THRESHOLD)
    if big.any():
        out[big] = _f3_asymptotic_derivative(delta[big])
    small = fin & ~big
    if small.any():
        u = delta[small]
        acc = np.zeros_like(u)
        while True:
            act = u + 0.5 < _THRESHOLD
            if not act.any():
                break
            acc += np.where(act, _f3_summand_derivative(u), 0.0)
            u = np.where(act, u + 1.0, u)
        out[small] = acc + _f3_asymptotic_derivative(u)
    return np.where(fin, out * delta, 0.0)
