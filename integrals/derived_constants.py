r"""Numbers the symbolic layer derives, stored exactly so that the numeric paths never run SymPy.

The derivation stays the source of truth: every entry below is re-derived through the symbolic route
(SymPy diagonalisation of the spin kernel, the Hikami box and Landau-level sums, the UCF diagrams, the
σ-model series) by ``tests/test_derived_constants.py``, which compares exactly, and by ``mesocorr derive``.
Nothing here is typed in from the literature; it is the output of :mod:`mesocorr.symbolic` and
:mod:`mesocorr.diagrams`, frozen as rationals.

Storage
-------
* Rationals are :class:`fractions.Fraction` (exact in the float64 and mpmath paths alike).
* A number that contains :math:`\pi` or :math:`\zeta(3)` is a *monomial* ``(q, p, z)`` meaning
  :math:`q\,\pi^p\,\zeta(3)^z` with ``q`` a Fraction (:func:`monomial_float`, :func:`monomial_mp`).
* Spin-channel gaps are linear forms in the rate components
  :data:`RATE_COMPONENTS` = :math:`(a_x, a_y, a_z, b_x, b_y, b_z, \phi)` (spin-orbit components,
  magnetic components, dephasing): ``coefficients[i]`` multiplies component ``i``.
* Bernoulli numbers (the series coefficients of :mod:`mesocorr.integrals.hln`, ``kawabata`` and
  ``wire_modes``) are computed here in exact rational arithmetic (:func:`bernoulli`), not stored.

Import cost: only :mod:`fractions`; :func:`monomial_mp` uses the caller's mpmath context.
"""

from __future__ import annotations

from fractions import Fraction
from functools import cache

__all__ = ["RATE_COMPONENTS", "COOPERON_CHANNELS", "DIFFUSON_CHANNELS", "WL_SHAPE_COEFFICIENTS",
           "WL_FIELD_RATE", "WL_ZERO_FIELD", "UCF_WEIGHTS", "BETA_2D", "BETA_WIRE", "BETA_DYSON_INDEX",
           "BETA_MAX_LOOPS", "SPIN_HALF_PARAMETERS", "SPIN_HALF_GAP_OPERATORS", "ILP_LANDAU_PREFACTOR",
           "ILP_WEIGHTS",
           "monomial_float", "monomial_mp", "bernoulli"]

F = Fraction

#: order of the rate components in the linear forms of the channel gaps
RATE_COMPONENTS = ("a_x", "a_y", "a_z", "b_x", "b_y", "b_z", "phi")

#: Cooperon spin channels of :func:`mesocorr.channels`: ``(name, gap coefficients, WL weight)``;
#: gap = sum(coefficients[i] * RATE_COMPONENTS[i])
COOPERON_CHANNELS = (
    ("singlet", (F(0), F(0), F(0), F(2), F(2), F(2), F(1)), F(-1, 2)),
    ("triplet_x", (F(0), F(2), F(2), F(2), F(0), F(0), F(1)), F(1, 2)),
    ("triplet_y", (F(2), F(0), F(2), F(0), F(2), F(0), F(1)), F(1, 2)),
    ("triplet_z", (F(2), F(2), F(0), F(0), F(0), F(2), F(1)), F(1, 2)),
)

#: Diffuson spin channels of :func:`mesocorr.channels` (no weight): ``(name, gap coefficients)``;
#: the dephasing coefficient is that of ``channels("diffuson", phi=...)`` (every channel dephased)
DIFFUSON_CHANNELS = (
    ("singlet", (F(0), F(0), F(0), F(0), F(0), F(0), F(1))),
    ("triplet_x", (F(0), F(2), F(2), F(0), F(2), F(2), F(1))),
    ("triplet_y", (F(2), F(0), F(2), F(2), F(0), F(2), F(1))),
    ("triplet_z", (F(2), F(2), F(0), F(2), F(2), F(0), F(1))),
)

#: Prefactors of the WL closed forms of :mod:`mesocorr.symbolic.wl` per channel, divided by ``s * w_c``
#: times the shape function the numeric paths evaluate: value = s * monomial.
#: ``"2d"``: shape ln(B/B_c) + psi(1/2 + B_c/B) (HLN); ``"3d"``: shape sqrt(eB/hbar) f_3(B_c/B) (Kawabata);
#: ``"1d"``: shape L_c - (D/(Gamma_c + 1/tau_B))^(1/2); ``"wire"``: shape (a coth a - 1)/a^2.
WL_SHAPE_COEFFICIENTS = {
    "2d": (F(1, 2), -1, 0),
    "3d": (F(1, 2), -1, 0),
    "1d": (F(1), 0, 0),
    "wire": (F(-1), 0, 0),
}

#: quasi-1D field dephasing rate 1/tau_B divided by D e^2 W^2 B^2/hbar^2 (:func:`mesocorr.symbolic.wl.quasi1d_field_rate`)
WL_FIELD_RATE = F(1, 3)

#: zero-field correction of one channel (:func:`mesocorr.symbolic.wl.zero_field_correction`), divided by
#: ``s * w_c`` times the shape (x = Gamma_c tau): value = s * monomial.
#: d = 2: shape ln(1 + 1/x) (per square); d = 1: shape sqrt(D/Gamma_c) atan(1/sqrt(x)) (e^2/h m);
#: d = 3: shape (sqrt(x) atan(1/sqrt(x)) - 1)/sqrt(D tau) ((e^2/h)/m; -1/sqrt(D tau) for a gapless channel)
WL_ZERO_FIELD = {
    2: (F(-1, 2), -1, 0),
    1: (F(-2), -1, 0),
    3: (F(1), -2, 0),
}

#: UCF weights of the two diagram topologies (:func:`mesocorr.diagrams.ucf.derive_prefactor`):
#: ring 2/pi^4, two-box 4/pi^4
UCF_WEIGHTS = {"ring": (F(2), -4, 0), "two_box": (F(4), -4, 0)}

#: d >= 2: coefficients c_1..c_4 of beta_g = (d - 2) + sum_n c_n g^-n (:func:`mesocorr.symbolic.beta.beta_coefficients`),
#: each a monomial (q, pi power, zeta(3) power)
BETA_2D = {
    "orthogonal": ((F(-2), -1, 0), (F(0), 0, 0), (F(0), 0, 0), (F(-12), -4, 1)),
    "unitary": ((F(0), 0, 0), (F(-2), -2, 0), (F(0), 0, 0), (F(-6), -4, 0)),
    "symplectic": ((F(1), -1, 0), (F(0), 0, 0), (F(0), 0, 0), (F(-3, 4), -4, 1)),
}
#: quasi-1D wire: beta_g = -1 + c_1/g
BETA_WIRE = {"orthogonal": F(-2, 3), "unitary": F(0), "symplectic": F(1, 3)}
#: the symmetry classes of :mod:`mesocorr.symbolic.beta` with their Dyson index, and the highest loop order
#: implemented (d >= 2: 4, quasi-1D: 1)
BETA_DYSON_INDEX = {"orthogonal": 1, "unitary": 2, "symplectic": 4}
BETA_MAX_LOOPS = {2: 4, 1: 1}

#: The spin-1/2 gap operators H (both kinds) in the channel basis (singlet, triplet_x, triplet_y, triplet_z) as
#: exact linear forms H = sum_p p G_p over SPIN_HALF_PARAMETERS (rates; the Zeeman vector omega = g mu_B B/hbar),
#: the weight operator W and the two-box partner (:func:`mesocorr.diagrams.pair_kernel.spin_half_linear_forms`).
#: A sparse matrix is ((i, j, re, im), ...). The potential rate cancels (constant = 0).
SPIN_HALF_PARAMETERS = ("a_x", "a_y", "a_z", "b_x", "b_y", "b_z", "omega_x", "omega_y", "omega_z", "phi")
SPIN_HALF_GAP_OPERATORS = {
    "cooperon": {
        "channels": ("singlet", "triplet_x", "triplet_y", "triplet_z"),
        "generators": {
            "a_x": ((2, 2, F(2), F(0)), (3, 3, F(2), F(0))),
            "a_y": ((1, 1, F(2), F(0)), (3, 3, F(2), F(0))),
            "a_z": ((1, 1, F(2), F(0)), (2, 2, F(2), F(0))),
            "b_x": ((0, 0, F(2), F(0)), (1, 1, F(2), F(0))),
            "b_y": ((0, 0, F(2), F(0)), (2, 2, F(2), F(0))),
            "b_z": ((0, 0, F(2), F(0)), (3, 3, F(2), F(0))),
            "omega_x": ((0, 1, F(0), F(1)), (1, 0, F(0), F(1))),
            "omega_y": ((0, 2, F(0), F(1)), (2, 0, F(0), F(1))),
            "omega_z": ((0, 3, F(0), F(1)), (3, 0, F(0), F(1))),
            "phi": ((0, 0, F(1), F(0)), (1, 1, F(1), F(0)), (2, 2, F(1), F(0)), (3, 3, F(1), F(0))),
        },
        "partner_generators": {
            "a_x": ((2, 2, F(2), F(0)), (3, 3, F(2), F(0))),
            "a_y": ((1, 1, F(2), F(0)), (3, 3, F(2), F(0))),
            "a_z": ((1, 1, F(2), F(0)), (2, 2, F(2), F(0))),
            "b_x": ((0, 0, F(2), F(0)), (1, 1, F(2), F(0))),
            "b_y": ((0, 0, F(2), F(0)), (2, 2, F(2), F(0))),
            "b_z": ((0, 0, F(2), F(0)), (3, 3, F(2), F(0))),
            "omega_x": ((0, 1, F(0), F(-1)), (1, 0, F(0), F(-1))),
            "omega_y": ((0, 2, F(0), F(-1)), (2, 0, F(0), F(-1))),
            "omega_z": ((0, 3, F(0), F(-1)), (3, 0, F(0), F(-1))),
            "phi": ((0, 0, F(1), F(0)), (1, 1, F(1), F(0)), (2, 2, F(1), F(0)), (3, 3, F(1), F(0))),
        },
        "weight": ((0, 0, F(-1, 2), F(0)), (1, 1, F(1, 2), F(0)), (2, 2, F(1, 2), F(0)), (3, 3, F(1, 2), F(0))),
    },
    "diffuson": {
        "channels": ("singlet", "triplet_x", "triplet_y", "triplet_z"),
        "generators": {
            "a_x": ((2, 2, F(2), F(0)), (3, 3, F(2), F(0))),
            "a_y": ((1, 1, F(2), F(0)), (3, 3, F(2), F(0))),
            "a_z": ((1, 1, F(2), F(0)), (2, 2, F(2), F(0))),
            "b_x": ((2, 2, F(2), F(0)), (3, 3, F(2), F(0))),
            "b_y": ((1, 1, F(2), F(0)), (3, 3, F(2), F(0))),
            "b_z": ((1, 1, F(2), F(0)), (2, 2, F(2), F(0))),
            "omega_x": ((2, 3, F(1), F(0)), (3, 2, F(-1), F(0))),
            "omega_y": ((1, 3, F(-1), F(0)), (3, 1, F(1), F(0))),
            "omega_z": ((1, 2, F(1), F(0)), (2, 1, F(-1), F(0))),
            "phi": ((0, 0, F(1), F(0)), (1, 1, F(1), F(0)), (2, 2, F(1), F(0)), (3, 3, F(1), F(0))),
        },
        "partner_generators": {
            "a_x": ((2, 2, F(2), F(0)), (3, 3, F(2), F(0))),
            "a_y": ((1, 1, F(2), F(0)), (3, 3, F(2), F(0))),
            "a_z": ((1, 1, F(2), F(0)), (2, 2, F(2), F(0))),
            "b_x": ((2, 2, F(2), F(0)), (3, 3, F(2), F(0))),
            "b_y": ((1, 1, F(2), F(0)), (3, 3, F(2), F(0))),
            "b_z": ((1, 1, F(2), F(0)), (2, 2, F(2), F(0))),
            "omega_x": ((2, 3, F(-1), F(0)), (3, 2, F(1), F(0))),
            "omega_y": ((1, 3, F(1), F(0)), (3, 1, F(-1), F(0))),
            "omega_z": ((1, 2, F(-1), F(0)), (2, 1, F(1), F(0))),
            "phi": ((0, 0, F(1), F(0)), (1, 1, F(1), F(0)), (2, 2, F(1), F(0)), (3, 3, F(1), F(0))),
        },
        "weight": ((0, 0, F(1), F(0)), (1, 1, F(1), F(0)), (2, 2, F(1), F(0)), (3, 3, F(1), F(0))),
    },
}

#: ILP Cooperon (:mod:`mesocorr.symbolic.ilp`): the number c of
#: Delta sigma = c sum_c w_c lim_N [int_0^N T_c - sum_{n<N} t_{c,n}] in e^2/h
#: (:func:`mesocorr.symbolic.ilp.landau_sum_prefactor`, s/(2 pi) with s = 2): 1/pi
ILP_LANDAU_PREFACTOR = (F(1), -1, 0)
#: weights w_c = <c|P|c>/2 of the pair channels (:func:`mesocorr.symbolic.ilp.pair_channels`)
ILP_WEIGHTS = {"triplet": F(1, 2), "singlet": F(-1, 2)}


@cache
def monomial_float(m) -> float:
    """float64 value of a monomial ``(q, p, z)`` = q pi^p zeta(3)^z, correctly rounded (mpmath at 40 digits)."""
    import mpmath

    with mpmath.workdps(40):
        return float(monomial_mp(m))


def monomial_mp(m):
    """mpmath value of ``(q, p, z)`` at the caller's working precision (exact rational ``q``)."""
    import mpmath

    q, p, z = m
    out = mpmath.mpf(q.numerator) / q.denominator
    if p:
        out *= mpmath.pi**p
    if z:
        out *= mpmath.zeta(3) ** z
    return out


@cache
def _bernoulli_table(n: int) -> tuple[Fraction, ...]:
    # B_0 .. B_n exact, B_1 = +1/2 (only even indices are used). The even ones from the tangent numbers T_k
    # (integers, Brent & Harvey, "Fast computation of Bernoulli, tangent and secant numbers", 2011, Algorithm
    # TangentNumbers): B_2k = (-1)^(k-1) 2k T_k / (4^k (4^k - 1)); integer arithmetic only, ~100x faster at
    # n = 128 than the Akiyama-Tanigawa recurrence on fractions (tests compare the two and SymPy's bernoulli).
    half = n // 2
    tangent = [0, 1] + [0] * max(0, half - 1)
    for k in range(2, half + 1):
        tangent[k] = (k - 1) * tangent[k - 1]
    for k in range(2, half + 1):
        for j in range(k, half + 1):
            tangent[j] = (j - k) * tangent[j - 1] + (j - k + 2) * tangent[j]
    out = [Fraction(0)] * (n + 1)
    out[0] = Fraction(1)
    if n >= 1:
        out[1] = Fraction(1, 2)
    for k in range(1, half + 1):
        four = 4 ** k
        out[2 * k] = Fraction((-1) ** (k - 1) * 2 * k * tangent[k], four * (four - 1))
    return tuple(out)


def bernoulli(n: int) -> Fraction:
    r"""Bernoulli number :math:`B_n` (exact; :math:`B_1 = +1/2`, even ones as usual: :math:`B_2 = 1/6`).

    The table is built to the next power of two (at least 64), so a loop over :math:`n` builds it once."""
    return _bernoulli_table(max(64, 1 << max(n, 1).bit_length()) if n > 0 else 64)[n]
