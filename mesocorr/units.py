"""Physical constants and unit conversions (exact SI, 2019 redefinition).

Every constant that the 2019 SI fixes is stored as an exact :class:`fractions.Fraction`
(``*_EXACT``) and as the nearest float64. Derived constants that involve :math:`\\pi`
(:math:`\\hbar`, :math:`e^2/(2\\pi^2\\hbar)`, ...) are exact in SymPy form (:func:`exact`)
and float64 otherwise; use :func:`mp_constant` for an mpmath value at the working
precision. Importing this module loads neither SymPy nor mpmath (start-up time).

See ``docs/conventions.md`` for the conventions that use these constants.
"""

from __future__ import annotations

from fractions import Fraction

__all__ = [
    "E_CHARGE", "H_PLANCK", "HBAR", "K_B", "G0", "R_K", "G_SPIN_DEGENERATE", "SIGMA_WL",
    "PHI0", "MU_B", "exact", "mp_constant",
]

#: elementary charge e in C (exact, SI 2019)
E_CHARGE_EXACT = Fraction(1602176634, 10**28)
#: Planck constant h in J s (exact, SI 2019)
H_PLANCK_EXACT = Fraction(662607015, 10**42)
#: Boltzmann constant k_B in J/K (exact, SI 2019)
K_B_EXACT = Fraction(1380649, 10**29)

E_CHARGE = float(E_CHARGE_EXACT)
H_PLANCK = float(H_PLANCK_EXACT)
K_B = float(K_B_EXACT)
#: reduced Planck constant hbar = h / (2 pi) in J s (float64 of an exact quantity)
HBAR = H_PLANCK / (2.0 * 3.141592653589793)
#: conductance quantum per spin, G0 = e^2/h in S (mesocorr's unit of conductance)
G0 = float(E_CHARGE_EXACT**2 / H_PLANCK_EXACT)
#: von Klitzing constant R_K = h/e^2 in ohm
R_K = float(H_PLANCK_EXACT / E_CHARGE_EXACT**2)
#: 2e^2/h in S (spin-degenerate conductance quantum)
G_SPIN_DEGENERATE = 2.0 * G0
#: e^2/(2 pi^2 hbar) = e^2/(pi h) in S: the natural unit of weak-localization corrections
SIGMA_WL = G0 / 3.141592653589793
#: flux quantum Phi0 = h/e in Wb (single-electron; the Cooperon feels charge 2e, i.e. h/2e)
PHI0 = float(H_PLANCK_EXACT / E_CHARGE_EXACT)
#: Bohr magneton mu_B = e hbar/(2 m_e) in J/T: CODATA 2018 recommended value 9.2740100783(28)e-24 (measured,
#: relative standard uncertainty 3.0e-10 -- NOT an exact SI constant; stored as the decimal value)
MU_B_VALUE = Fraction(92740100783, 10**34)
MU_B = float(MU_B_VALUE)


def exact(name: str):
    """Return a constant as an exact SymPy expression.

    Parameters
    ----------
    name : {"e", "h", "hbar", "k_B", "G0", "R_K", "sigma_wl", "Phi0", "mu_B"}
        Constant name. ``mu_B`` is the CODATA 2018 value (measured, uncertainty 3e-10), taken as written.

    Returns
    -------
    sympy.Expr
        Exact rational (times :math:`\\pi` where needed) in SI units.

    Examples
    --------
    >>> exact("R_K") == exact("h") / exact("e")**2
    True
    """
    import sympy as sp

    e = sp.Rational(E_CHARGE_EXACT.numerator, E_CHARGE_EXACT.denominator)
    h = sp.Rational(H_PLANCK_EXACT.numerator, H_PLANCK_EXACT.denominator)
    table = {
        "e": e,
        "h": h,
        "hbar": h / (2 * sp.pi),
        "k_B": sp.Rational(K_B_EXACT.numerator, K_B_EXACT.denominator),
        "G0": e**2 / h,
        "R_K": h / e**2,
        "sigma_wl": e**2 / (2 * sp.pi**2 * (h / (2 * sp.pi))),
        "Phi0": h / e,
        "mu_B": sp.Rational(MU_B_VALUE.numerator, MU_B_VALUE.denominator),
    }
    if not isinstance(name, str) or name not in table:
        raise ValueError(f"name: unknown constant {name!r}; choose from {sorted(table)}")
    return table[name]


#: pi-free constants as exact fractions, and the power of 2*pi dividing them (hbar = h/(2 pi), ...)
_EXACT_PARTS = {
    "e": (E_CHARGE_EXACT, 0),
    "h": (H_PLANCK_EXACT, 0),
    "hbar": (H_PLANCK_EXACT, 1),
    "k_B": (K_B_EXACT, 0),
    "G0": (E_CHARGE_EXACT**2 / H_PLANCK_EXACT, 0),
    "R_K": (H_PLANCK_EXACT / E_CHARGE_EXACT**2, 0),
    "sigma_wl": (2 * E_CHARGE_EXACT**2 / H_PLANCK_EXACT, 1),   # e^2/(2 pi^2 hbar) = (2 e^2/h)/(2 pi)
    "Phi0": (H_PLANCK_EXACT / E_CHARGE_EXACT, 0),
}


def mp_constant(name: str):
    """Return a constant as an mpmath number at the current working precision (exact SI values, no SymPy).

    Examples
    --------
    >>> import mpmath
    >>> with mpmath.workdps(30):
    ...     print(mpmath.nstr(mp_constant("R_K"), 20))
    25812.80745930450666
    """
    import mpmath

    if not isinstance(name, str) or name not in _EXACT_PARTS:
        raise ValueError(f"name: unknown constant {name!r}; choose from {sorted(_EXACT_PARTS)}")
    value, two_pi_power = _EXACT_PARTS[name]
    with mpmath.workdps(mpmath.mp.dps + 10):
        x = mpmath.mpf(value.numerator) / value.denominator / (2 * mpmath.pi) ** two_pi_power
    return +x
