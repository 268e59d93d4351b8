"""Shortcuts of the ``ucf-wire`` and ``scaling-one-loop`` derivations (issue 18, session 7) against the routes
they replace: each returns the same SymPy object (same ``srepr``) as the former ``simplify``/``solve``/``limit``/
default ``dsolve`` route, so the documents and the checks are unchanged."""

from __future__ import annotations

import pytest
import sympy as sp

from mesocorr.derivations import scaling_one_loop as S
from mesocorr.diagrams.lines import is_zero
from mesocorr.diagrams import ucf as U
from mesocorr.symbolic import beta as B
from mesocorr.symbolic.channels import channels


def _same(a, b) -> bool:
    return sp.srepr(a) == sp.srepr(b)


@pytest.mark.parametrize("omega_", [U.omega, 0, sp.Symbol("w"), sp.Symbol("w", positive=True), sp.Rational(1, 3)])
@pytest.mark.parametrize("lam_, gamma_", [(U.lam, U.gamma), (sp.Symbol("x", positive=True), 0), (2, U.gamma)])
def test_two_box_loop_together_is_simplify_form(omega_, lam_, gamma_):
    """|P|^2 by together equals the former simplify of the expanded product."""
    p = 1 / (lam_ + gamma_ - sp.I * omega_)
    former = sp.simplify(sp.expand_complex(p * sp.conjugate(p)))
    assert _same(U.TOPOLOGIES[1].loop(lam_, gamma_, omega_), former)


def _catalogue_gaps():
    rate = sp.Symbol("Gamma", positive=True)
    gaps = []
    for so, mag in ((0, 0), (1, 0), (0, 1), (1, 1), (sp.Rational(1, 3), 2)):
        for kind in ("diffuson", "cooperon"):
            gaps += [c.gap for c in channels(kind, so=so * rate, mag=mag * rate)]
    return gaps


def test_ucf_wire_gap_zero_test_equals_simplify():
    """The zero test of ucf-wire's gapless count (mesocorr.diagrams.lines.is_zero) equals simplify(gap) == 0 on
    every channel gap (zero and non-zero ones, including a rational-function gap that is zero only after
    cancellation)."""
    a = sp.Symbol("a", positive=True)
    extra = [a / (a + 1) + 1 / (a + 1) - 1, a**2 / a - a, sp.sqrt(a) ** 2 - a, sp.sin(a) ** 2 + sp.cos(a) ** 2 - 1]
    gaps = _catalogue_gaps() + extra
    assert any(is_zero(g) for g in gaps) and not all(is_zero(g) for g in gaps)
    for gap in gaps:
        assert is_zero(gap) == (sp.simplify(gap) == 0), gap


@pytest.mark.parametrize("cls", B.CLASSES)
@pytest.mark.parametrize("dim", [1, 2])
def test_one_loop_rate_memo_simplify_equals_sympy_simplify(cls, dim):
    """one_loop_rate through the memoised simplify (monomials returned as they are) = the sympy.simplify route."""
    value = B.one_loop_rate(cls, dim)
    if dim == 2:
        W_ = B.gapless_weight(cls)
        q, lmin, lmax = B._q, B._Lmin_inv, B._Lmax_inv
        lnL = sp.Symbol("lnL")
        delta_g = -2 * B.SPIN_DEGENERACY * W_ * sp.integrate(q / (2 * sp.pi * q**2), (q, lmin, lmax))
        former = sp.simplify(sp.diff(sp.expand_log(delta_g, force=True).subs(sp.log(lmin), -lnL), lnL))
    else:
        L = sp.Symbol("L", positive=True)
        modes = sp.summation(1 / (B._D * (B._n * sp.pi / L) ** 2), (B._n, 1, sp.oo))
        former = sp.simplify(-2 * B.SPIN_DEGENERACY * B.gapless_weight(cls) * B._D / L**2 * modes)
    assert _same(value, former)


@pytest.mark.parametrize("variable", sorted(B.CONVENTIONS))
def test_convention_inverse_equals_sympy_solve(variable):
    """The inverse of a convention map x = c g**k is the root sympy.solve returns (variable "g": the identity, where
    solve of Eq(g, g) has no root to return)."""
    x = sp.Symbol(variable, positive=True)
    forward = B.CONVENTIONS[variable][0]
    inverse = B._inverse_map(forward, x)
    roots = sp.solve(sp.Eq(forward, x), B.g)
    if variable == "g":
        assert roots == [] and inverse == B.g
    else:
        assert len(roots) == 1 and _same(inverse, roots[0])


@pytest.mark.parametrize("cls", B.CLASSES)
@pytest.mark.parametrize("dim", [1, 2, 3])
@pytest.mark.parametrize("loops", [1, None])
@pytest.mark.parametrize("variable", ["g_per_spin", "g_hbar", "sigma_wl", "t"])
def test_beta_expression_equals_the_solve_route(cls, dim, loops, variable):
    if dim == 1 and loops is None:
        loops = 1
    x = sp.Symbol(variable, positive=True)
    g_of_x = sp.solve(sp.Eq(B.CONVENTIONS[variable][0], x), B.g)[0]
    out = B.beta_g(cls, dim, loops).subs(B.g, g_of_x)
    former = sp.expand(x * out if variable == "t" else out)
    assert _same(B.beta_expression(cls, dim, loops, variable=variable), former)


def test_beta_expression_in_mesocorr_convention_is_beta_g():
    assert B.beta_expression("orthogonal", 2, variable="g") == sp.expand(B.beta_g("orthogonal", 2))


def test_one_loop_flow_dsolve_hint_equals_default_dsolve():
    x, g0, c0, c1 = sp.symbols("x g_0 epsilon c_1")
    gf = sp.Function("g")
    former = sp.dsolve(sp.Eq(gf(x).diff(x), c0 * gf(x) + c1), gf(x), ics={gf(0): g0}).rhs
    assert _same(S.one_loop_flow_solution(x, g0, c0, c1), former)


def test_removable_limit_equals_sympy_limit():
    """L'Hopital at a simple zero of the denominator (the 2D flow), the value where the denominator does not
    vanish, and sympy.limit for anything not entire (log, negative powers, sqrt)."""
    x, g0, c0, c1 = sp.symbols("x g_0 epsilon c_1")
    e = sp.Symbol("e")
    cases = [S.one_loop_flow_solution(x, g0, c0, c1), (sp.exp(e) - 1) / e, (sp.exp(2 * e) - 1 - 2 * e) / e,
             (e**2 + 3) / (e + 2), sp.log(1 + e) / e, (sp.sqrt(1 + e) - 1) / e, e * sp.log(e), (1 - sp.cos(e)) / e**2]
    var = [c0] + [e] * (len(cases) - 1)
    for expr, v in zip(cases, var):
        assert _same(S.removable_limit(expr, v), sp.limit(expr, v, 0)), expr


def test_one_loop_flow_two_d_limit_is_linear():
    x, g0, c0, c1 = sp.symbols("x g_0 epsilon c_1")
    assert S.removable_limit(S.one_loop_flow_solution(x, g0, c0, c1), c0) == g0 + c1 * x


@pytest.mark.parametrize("n", range(6))
@pytest.mark.parametrize("m", range(6))
def test_xi_closed_residue_equals_residue_integral(n, m):
    """The UCF boxes' xi integrals: the closed-form residue equals the general residue route node for node."""
    from mesocorr.diagrams.hikami import green_advanced, green_retarded, residue_integral

    if n + m < 2:
        with pytest.raises(ValueError):
            U._xi(n, m)
        with pytest.raises(ValueError):
            residue_integral(green_retarded() ** n * green_advanced() ** m)
        return
    assert _same(U._xi(n, m), residue_integral(green_retarded() ** n * green_advanced() ** m))


def test_wire_mode_sum_is_zeta_4():
    assert U._wire_mode_sum() == sp.pi**4 / 90


def test_energy_shifted_bubble_closed_residue_equals_residue_integral():
    from mesocorr.diagrams.hikami import green_advanced, green_retarded, hbar, residue_integral, tau

    w = sp.Symbol("w", real=True)
    general = residue_integral(green_retarded(-w) * green_advanced())
    assert sp.cancel(U._xi_energy_shift(w) - general) == 0
    pi_w = hbar / (2 * sp.pi * tau) * general  # the former route of _bubble_linear_in_energy
    former = sp.cancel(pi_w.subs(w, 0)) + w * sp.cancel(sp.diff(pi_w, w).subs(w, 0))
    assert _same(U._bubble_linear_in_energy(w), former)
