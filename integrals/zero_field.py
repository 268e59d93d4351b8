r"""Zero-field weak-localization integrals of one channel for a complex gap, float64 and mpmath.

With :math:`x = \Gamma\tau` (complex, :math:`\mathrm{Re}\,x > 0`) and the UV cutoff :math:`Dq_{max}^2 = 1/\tau`
of :func:`mesocorr.symbolic.wl.cooperon_integral`, the channel integrals
:math:`\int_{q<q_{max}}d^dq/(2\pi)^d\,(Dq^2+\Gamma)^{-1}` are, up to the prefactors of
:func:`mesocorr.symbolic.wl.zero_field_correction`,

.. math:: g_2(x) = \ln(1+1/x),\qquad g_1(x) = \frac{\arctan(1/\sqrt x)}{\sqrt x},\qquad
          g_3(x) = \sqrt x\arctan(1/\sqrt x) - 1,

the analytic continuations of the real forms to :math:`\mathrm{Re}\,x>0` (principal branches:
:math:`\sqrt x` in the sector :math:`|\arg|<\pi/4`, so :math:`1/\sqrt x` never meets the cuts of
:math:`\arctan` on the imaginary axis beyond :math:`\pm i`). A zero-field correction is
:math:`\mathrm{Tr}[W g(H\tau)]` over the channels; complex gaps come in conjugate pairs and the sum is real.

float64: :math:`g_2` through a cancellation-free ``log1p`` (series for :math:`|1/x|<0.1`); :math:`g_1`
directly; :math:`g_3` by the series :math:`\sum_{k\ge1}(-1)^k/((2k+1)x^k)` for :math:`|x|\ge 8` (where
:math:`\sqrt x\arctan(1/\sqrt x)\to1` cancels), directly elsewhere.
"""

from __future__ import annotations

import mpmath
import numpy as np

from mesocorr.integrals.matrix_functions import log1p_complex

__all__ = ["zero_field_g", "zero_field_g_mp"]

_SERIES_ABOVE = 8.0
_G3_TERMS = 24          # 8^-24 / 49 < 1e-23


def _g3(x):
    out = np.empty_like(x)
    big = np.abs(x) >= _SERIES_ABOVE
    if big.any():
        u = 1.0 / x[big]
        acc = np.zeros_like(u)
        for k in range(_G3_TERMS, 0, -1):
            acc = acc * u + (-1.0) ** k / (2 * k + 1)
        out[big] = acc * u
    small = ~big
    if small.any():
        r = np.sqrt(x[small])
        out[small] = r * np.arctan(1.0 / r) - 1.0
    return out


def zero_field_g(dim: int, x) -> np.ndarray:
    r""":math:`g_d(x)` (module docstring) for complex :math:`x = \Gamma\tau`, :math:`\mathrm{Re}\,x>0`, vectorised."""
    if dim not in (1, 2, 3):
        raise ValueError(f"dim: must be 1, 2 or 3, got {dim!r}")
    x = np.asarray(x, dtype=complex)
    if np.any(x.real <= 0) or not np.all(np.isfinite(x)):
        raise ValueError("x: Gamma tau must be finite with a positive real part")
    flat = x.reshape(-1)
    if dim == 2:
        out = log1p_complex(1.0 / flat)
    elif dim == 1:
        r = np.sqrt(flat)
        out = np.arctan(1.0 / r) / r
    else:
        out = _g3(flat)
    return out.reshape(x.shape)


def zero_field_g_mp(dim: int, x):
    r""":math:`g_d(x)` with mpmath at the working precision (``x`` an mpc with positive real part)."""
    if dim not in (1, 2, 3):
        raise ValueError(f"dim: must be 1, 2 or 3, got {dim!r}")
    x = mpmath.mpc(x)
    if mpmath.re(x) <= 0:
        raise ValueError("x: Gamma tau must have a positive real part")
    if dim == 2:
        return mpmath.log1p(1 / x)
    r = mpmath.sqrt(x)
    if dim == 1:
        return mpmath.atan(1 / r) / r
    extra = max(0, int(mpmath.log10(abs(x)))) + 5
    with mpmath.workdps(mpmath.mp.dps + extra):
        r = mpmath.sqrt(mpmath.mpc(x))
        val = r * mpmath.atan(1 / r) - 1
    return +val
