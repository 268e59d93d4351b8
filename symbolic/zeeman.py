r"""Zeeman splitting in the spin-½ Cooperon: closed forms derived from the engine (SymPy).

The engine (:mod:`mesocorr.diagrams.pair_kernel`) puts the Zeeman term :math:`(\hbar/2)\boldsymbol\omega\cdot
\boldsymbol\sigma` into both lines of the ladder; in the Cooperon it couples the singlet to the triplet with zero
projection on :math:`\boldsymbol\omega` (Maekawa & Fukuyama 1981). This module derives two closed forms from that
2x2 block: :func:`singlet_zeeman_dephasing` (strong spin-orbit: the singlet-like channel gains
:math:`\delta\Gamma_S = c\,\omega^2`) and :func:`zeeman_block` (gaps and weights of the block).
Symbolic layer: numbers come from :mod:`mesocorr.zeeman`.

References
----------
.. [MF81] S. Maekawa, H. Fukuyama, J. Phys. Soc. Jpn. 50, 2516 (1981).
"""

from __future__ import annotations

import sympy as sp

from mesocorr import arguments
from mesocorr.diagrams.pair_kernel import SPIN_AXES, spin_half_model
from mesocorr.symbolic.memo import simplify

__all__ = ["singlet_zeeman_dephasing", "zeeman_block"]


def _components(name, value):
    conv = arguments.sympy_value
    r = arguments.one_or_three(name, value, conv)
    return r if isinstance(r, tuple) else (r / 3,) * 3


def zeeman_block(so, mag=0, axis: str = "z", omega=None):
    r"""The singlet–triplet block of the Cooperon with a Zeeman vector :math:`\omega\hat e_{axis}`.

    Returns ``(gaps, weights)`` (each a pair, lower branch first) as SymPy expressions, derived by the engine:
    :math:`\bar\Gamma\mp\sqrt{\Delta^2-\omega^2}`, weights :math:`\mp\tfrac12\Delta/\sqrt{\Delta^2-\omega^2}`,
    :math:`\Delta = (\Gamma_T-\Gamma_S)/2`.

    >>> a, w = sp.symbols("a omega", positive=True)
    >>> zeeman_block((a, a, a), omega=w)[0]
    (2*a - sqrt(4*a**2 - omega**2), 2*a + sqrt(4*a**2 - omega**2))
    """
    axis = arguments.choice("axis", axis, SPIN_AXES)
    w = sp.Symbol("omega", positive=True) if omega is None else arguments.sympy_value("omega", omega)
    zee = tuple(w if ax == axis else 0 for ax in SPIN_AXES)
    spec = spin_half_model(_components("so", so), _components("mag", mag), zeeman=zee).spectrum("cooperon")
    lo, hi = spec.channel(f"singlet~triplet_{axis}-"), spec.channel(f"singlet~triplet_{axis}+")
    return (lo.gap, hi.gap), (lo.weight, hi.weight)


def singlet_zeeman_dephasing(so, mag=0, axis: str = "z") -> sp.Expr:
    r"""Coefficient :math:`c` of the Zeeman dephasing :math:`\delta\Gamma_S = c\,\omega^2` of the singlet-like Cooperon.

    Derived from the engine: the singlet mixes with the triplet :math:`T_{axis}` (zero projection on the
    field axis) through :math:`i\omega`; the series of the lower eigenvalue of the block in :math:`\omega` gives
    :math:`c = 1/(\Gamma_T - \Gamma_S)`; isotropic spin-orbit without magnetic scattering:
    :math:`c = \tfrac34\tau_{so}` (:math:`\Gamma_T - \Gamma_S = \tfrac43/\tau_{so}`), i.e.
    :math:`\delta\Gamma_S = \tfrac34(g\mu_BB/\hbar)^2\tau_{so}` (valid for :math:`\omega\ll 1/\tau_{so}`).

    >>> t = sp.Symbol("tau_so", positive=True)
    >>> singlet_zeeman_dephasing(1 / t)
    3*tau_so/4
    """
    w = sp.Symbol("omega", positive=True)
    (low, _), _ = zeeman_block(so, mag, axis, w)
    # the w**2 Taylor coefficient of the analytic branch is f''(0)/2 (tests/test_dirac_derive_speed.py compares
    # with the coefficient of the series); the series itself where the derivative is not finite at w = 0
    coeff = sp.diff(low, w, 2).subs(w, 0) / 2
    if coeff.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        coeff = sp.series(low - low.subs(w, 0), w, 0, 3).removeO().coeff(w, 2)
    return simplify(coeff)
