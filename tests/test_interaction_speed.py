"""Fast paths of the interaction derivations (``interaction-2d``, issue 18) against the routes they replace.

Each test recomputes the quantity the way the code did before (``sympy.factor``, ``sympy.solve``, ``sympy.series``
of the sum, ``sympy.limit``) and asserts the same SymPy expression (same ``srepr``, i.e. the same printed form, which
the byte-identical catalogue documents need). The numeric route (Gauss-Legendre vs QUADPACK) is compared in
tests/test_interaction.py.
"""

from __future__ import annotations

import sympy as sp

from mesocorr.diagrams.ladder import Ladder
from mesocorr.diagrams.pair_kernel import spin_half_model
from mesocorr.diagrams.lines import SYMBOLS as LINES, XI, xi_integral
from mesocorr.symbolic import interaction as I
from mesocorr.symbolic.propagators import diffusion_pole


def test_factor_terms_is_factors_form_for_the_density_response_and_the_triplet():
    """chi, the dressed bubble P_RA and U_t: factor_terms of the lowest-terms quotient = sp.factor, srepr for srepr."""
    q, w, D, nu, s, hbar = (I.SYMBOLS[k] for k in ("q", "omega", "D", "nu", "s", "hbar"))
    eps = LINES["varepsilon"]
    retarded, advanced = Ladder("diffuson").lines(q=0, energy=eps, omega=0)
    bubble = xi_integral(retarded.doit(XI) * advanced.doit(XI))
    pole = diffusion_pole(2)
    (v_of_D,) = sp.solve(sp.Eq(D, pole.D), LINES["v_F"])
    dressed = nu * bubble / sp.expand(1 - pole.kernel.subs(LINES["v_F"], v_of_D))
    slow_chi = sp.factor(sp.cancel(s * nu + sp.I * hbar * w / (2 * sp.pi) * s * dressed))
    chi, steps = I.density_response(2)
    assert sp.srepr(chi) == sp.srepr(slow_chi)
    assert sp.srepr(steps[2][1]) == sp.srepr(sp.factor(sp.cancel(dressed)))
    Ut = I.screened_interaction("triplet")
    assert sp.srepr(sp.factor_terms(Ut)) == sp.srepr(sp.factor(Ut))
    assert chi == s * nu * D * q**2 / (D * q**2 - sp.I * w)


def test_landau_parameter_by_the_linear_solve_equals_sympy_solve():
    for amplitude in (-I.SYMBOLS["F"] / 2, sp.Rational(1, 3), -2 * I.SYMBOLS["F"] / (1 + I.SYMBOLS["F"])):
        (slow,) = sp.solve(sp.Eq(I.F0 / (1 + I.F0), amplitude), I.F0)
        assert sp.srepr(I._landau_parameter(amplitude)) == sp.srepr(sp.factor(slow))
    rel, steps = I.aa_relation()
    assert rel == sp.Eq(I.F0, -I.SYMBOLS["F"] / (I.SYMBOLS["F"] + 2)) and len(steps) == 2


def test_frullani_jump_termwise_equals_series_and_limit():
    """g(0) - g(oo) of g = coth u - u/sinh^2 u: the terms' series summed = sp.series of the sum; coth(oo) by
    substitution = sp.limit; the constant of temperature_constant(2) is 1/pi (the literature value, AA 1985)."""
    uu = sp.Symbol("uu", positive=True)
    fp = sp.coth(uu) - uu / sp.sinh(uu) ** 2
    termwise = sp.Add(*[t.series(uu, 0, 2).removeO() for t in sp.Add.make_args(fp)]).subs(uu, 0)
    assert termwise == sp.series(fp, uu, 0, 2).removeO().subs(uu, 0) == 0
    for term in (*sp.Add.make_args(fp), sp.tanh(uu), sp.coth(uu) ** 2, sp.exp(-uu) * uu):
        assert I._limit_of_hyperbolic_term(term, uu) == sp.limit(term, uu, sp.oo)
    assert I.temperature_constant(2) == 1 / sp.pi


def test_zeeman_gaps_by_cancel_equal_the_simplify_route():
    spectrum = spin_half_model(zeeman=(0, 0, I.E_Z / I.hbar)).spectrum("diffuson")
    slow = {ch.name: sp.simplify(ch.gap) for ch in spectrum.channels}
    fast = I.zeeman_diffuson_gaps()
    names = {"singlet": "singlet", "triplet_z": "triplet_0"}
    for name, gap in slow.items():
        if name in names:
            assert sp.srepr(fast[names[name]]) == sp.srepr(gap)
        else:
            key = "triplet_+1" if sp.im(gap).is_positive else "triplet_-1"
            assert sp.srepr(fast[key]) == sp.srepr(gap)


def test_zeeman_small_h_coefficients_are_simplifys_form():
    for d in (1, 2, 3):
        for c in I.zeeman_small_h(d, 6):
            assert sp.srepr(c) == sp.srepr(sp.simplify(c))
    assert I.zeeman_small_h(2, 1) == [3 * sp.zeta(3) / (4 * sp.pi**2)]
