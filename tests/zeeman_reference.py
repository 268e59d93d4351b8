"""Independent high-precision reference of the Zeeman magnetoconductance (2D), shared by the Zeeman tests.

The gap operator H_B of the engine at exact inputs, its eigen-decomposition (mpmath.eig, right and left
eigenvectors), and Delta sigma = (s/2pi) sum_c w_c [psi(1/2 + Gamma_c/b) - ln(Gamma_c/b)] + (s/2pi) (sum_c w_c
ln Gamma_c(B) - sum_c w_c ln Gamma_c(0)) with w_c = (V^-1 W V)_cc — the textbook spectral sums, no series, no
recurrences, no contour, no Daleckii-Krein; every cancellation (F(x) ~ x^2/24, the sigma(0) difference ~ omega^2,
the eigenvector weights ~ condition number next to an exceptional point) overwhelmed by working digits.
Zeeman vector g mu_B (B_inplane, 0, B)/hbar at B, g mu_B (B_inplane, 0, 0)/hbar at B = 0 (as the package: the
in-plane rate is the exact binary of the float product g mu_B B_inplane / hbar).
"""

from __future__ import annotations

import math
from fractions import Fraction

import mpmath

from mesocorr.integrals.derived_constants import SPIN_HALF_PARAMETERS
from mesocorr.integrals.gap_operators import spin_half_operator
from mesocorr.units import E_CHARGE, HBAR, MU_B, mp_constant

S = 2  # spin degeneracy of the prefactor s/(2 pi)


def _rates(value):
    if isinstance(value, tuple):
        return tuple(Fraction(v) for v in value)
    return (Fraction(value) / 3,) * 3


def reference(B: float, D, so=0, mag=0, phi=0, g=2.0, digits=40, B_inplane=0.0):
    """Delta sigma(B) (e^2/h) of the 2D Zeeman magnetoconductance by the textbook spectral sums at high precision."""
    op = spin_half_operator("cooperon")
    so_c, mag_c = _rates(so), _rates(mag)
    omega = Fraction(g * MU_B / HBAR) * Fraction(B)
    omega_x = Fraction(g * MU_B * B_inplane / HBAR)
    b_rate = 4 * E_CHARGE * D * B / HBAR
    scale = max(float(sum(so_c)), float(sum(mag_c)), float(phi))
    lost = 2 * max(0.0, math.log10(scale / abs(float(omega)))) + 2 * max(0.0, math.log10(scale / b_rate))
    dps = int(digits + 20 + lost)
    with mpmath.workdps(dps):
        hbar, e = mp_constant("hbar"), mp_constant("e")
        b = 4 * e * mpmath.mpf(D) * mpmath.mpf(B) / hbar
        W = op.weight_mpmath()

        def spectral(omega_z):
            values = dict(zip(SPIN_HALF_PARAMETERS, (*so_c, *mag_c, omega_x, 0, omega_z, Fraction(phi))))
            H = op.mpmath(values)
            lam, V = mpmath.eig(H)
            Vi = mpmath.inverse(V)
            w = [(Vi * W * V)[c, c] for c in range(H.rows)]
            return lam, w

        lam, w = spectral(omega)
        lam0, w0 = spectral(Fraction(0))
        field = mpmath.fsum(wc * (mpmath.digamma(mpmath.mpf(1) / 2 + lc / b) - mpmath.log(lc / b))
                            for wc, lc in zip(w, lam))
        zero = (mpmath.fsum(wc * mpmath.log(lc) for wc, lc in zip(w, lam))
                - mpmath.fsum(wc * mpmath.log(lc) for wc, lc in zip(w0, lam0)))
        total = S / (2 * mpmath.pi) * (field + zero)
        assert abs(mpmath.im(total)) < mpmath.mpf(10) ** (-digits) * (1 + abs(total))
        return float(mpmath.re(total))


def ep_field(so, mag, phi, g):
    """|B| of the exceptional point omega = |Delta| of the singlet / m = 0 triplet pair (field along z)."""
    op = spin_half_operator("cooperon")
    values = dict(zip(SPIN_HALF_PARAMETERS, (*_rates(so), *_rates(mag), 0, 0, 0, Fraction(phi))))
    H = op.numpy(values)
    delta = 0.5 * abs(H[3, 3].real - H[0, 0].real)
    return delta * HBAR / (abs(g) * MU_B)


CASES = {
    # the benchmark: isotropic spin-orbit, weak dephasing
    "benchmark": dict(D=0.01, so=4e11, phi=1e10, g=2.0),
    # anisotropic spin-orbit, magnetic scattering, negative g (GaAs)
    "anisotropic": dict(D=0.01, so=(1e11, 3e11, 5e10), mag=2e9, phi=1e9, g=-0.44),
    # strong spin-orbit, tiny dephasing: u0 = (Delta/mu)^2 -> 1 (the forward moment recurrence)
    "tiny_phi": dict(D=1e-4, so=1e12, phi=1e3, g=2.0),
    # weak spin-orbit next to strong dephasing: all gaps clustered (the backward recurrence), huge g
    "clustered": dict(D=1e-3, so=1e8, phi=1e11, g=50.0),
    # small D: the Zeeman rate exceeds the orbital rate b at every field
    "small_D": dict(D=1e-5, so=2e11, phi=3e9, g=20.0),
    # no spin-orbit, magnetic scattering splits singlet from triplet
    "magnetic": dict(D=0.01, mag=1e10, phi=1e9, g=2.0),
    # u0 = 1/2 +- (both moment recurrences at their border): Delta^2 / mu^2 = 1/2
    "border": dict(D=0.01, so=(3 / 4) * (2 + 2 * math.sqrt(2)) * 1e10, phi=1e10, g=2.0),
}

