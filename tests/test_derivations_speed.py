"""The fast paths behind ``mesocorr derive`` (issue 18) agree with the slow or independent routes they replace.

Each test compares the shortcut with a second computation: numerical quadrature (mpmath), SymPy's general
integral, the LU solve of a SymPy ``Matrix`` followed by ``cancel``, or ``sympy.simplify`` itself.
"""

from __future__ import annotations

import mpmath
import pytest
import sympy as sp

from mesocorr.derivations.core import check_symbolic
from mesocorr.diagrams import hikami as H
from mesocorr.diagrams.lines import angular_average as line_average
from mesocorr.symbolic import ilp as I
from mesocorr.symbolic.landauer import conductance_matrix_symbolic, multiterminal_resistance_symbolic
from mesocorr.symbolic.memo import simplify


@pytest.mark.parametrize("n_r, n_a, shifted", [(1, 1, False), (2, 1, False), (1, 2, False), (2, 2, False),
                                               (3, 2, False), (1, 1, True), (2, 1, True), (2, 2, True)])
def test_residue_integral_against_quadrature(n_r, n_a, shifted):
    """Poles of any order, with and without an energy shift: residues (derivative formula) = mpmath.quad."""
    x = sp.Symbol("x", real=True)
    shift = x if shifted else 0
    integrand = H.green_retarded() ** n_r * H.green_advanced(shift) ** n_a
    closed = H.residue_integral(integrand)
    values = {H.hbar: sp.Rational(1), H.tau: sp.Rational(7, 10), x: sp.Rational(3, 10)}
    f = sp.lambdify(H.xi, integrand.subs(values), "mpmath")
    with mpmath.workdps(30):
        numeric = mpmath.quad(f, [-mpmath.inf, -2, 0, 2, mpmath.inf])
        exact = mpmath.mpc(sp.N(closed.subs(values), 30))
        assert abs(numeric - exact) <= mpmath.mpf(10) ** -20 * max(1, abs(exact))


def test_residue_integral_refuses_slow_decay():
    with pytest.raises(ValueError, match="integrand"):
        H.residue_integral(H.green_retarded())


@pytest.mark.parametrize("d", [2, 3])
def test_hikami_angular_average_moments_equal_the_integral(d):
    """Term-by-term moments <cos^n> = SymPy's integral of the whole polynomial (the general route)."""
    Q, v = H.Q, H.v
    c = sp.cos(H.theta)
    expr = 3 - 2 * v * Q * c + v**2 * Q**2 * c**2 / 5 + Q**3 * c**3 - v * c**4 + c**6
    weight = 1 if d == 2 else sp.sin(H.theta)
    upper = 2 * sp.pi if d == 2 else sp.pi
    norm = 2 * sp.pi if d == 2 else 2
    direct = sp.integrate(sp.expand(expr * weight), (H.theta, 0, upper)) / norm
    assert sp.simplify(H.angular_average(expr, d) - direct) == 0


def test_hikami_angular_average_general_route_kept():
    """A function that is not a polynomial in cos(theta) still goes through SymPy's integral."""
    expr = sp.sin(H.theta) ** 2
    assert H.angular_average(expr, 2) == sp.Rational(1, 2)
    assert H.angular_average(expr, 3) == sp.Rational(2, 3)
    with pytest.raises(ValueError, match="d:"):
        H.angular_average(expr, 4)


def test_line_angular_average_2d_moments_equal_the_integral():
    u, q = sp.symbols("u q", real=True)
    t = sp.Symbol("t", real=True)
    expr = 1 + q * u + q**2 * u**2 / 3 - u**4 + q * u**5
    direct = sp.integrate(sp.expand(expr.subs(u, sp.cos(t))), (t, 0, 2 * sp.pi)) / (2 * sp.pi)
    assert sp.expand(line_average(expr, u, 2) - direct) == 0
    rational = 1 / (2 - u)  # not a polynomial: the integral route, <1/(2-u)> = 1/sqrt(3)
    assert sp.simplify(line_average(rational, u, 2) - 1 / sp.sqrt(3)) == 0


def test_circle_average_against_sympy_integral():
    """ILP Fermi-circle average via the cached cos^a sin^b moments = SymPy's integral over phi."""
    phi = I.phi
    a, b = sp.symbols("a b", real=True)
    expr = (a * sp.cos(phi) + b * sp.sin(3 * phi)) ** 2 * sp.cos(phi) ** 2 + a * sp.sin(phi) ** 4 - b
    direct = sp.integrate(sp.expand(sp.expand_trig(expr)), (phi, 0, 2 * sp.pi)) / (2 * sp.pi)
    assert sp.expand(I._circle_average(expr) - direct) == 0


@pytest.mark.parametrize("leads, current, voltage", [(3, (1, 2), (3, 2)), (3, (1, 3), (1, 2)),
                                                     (4, (1, 3), (2, 4)), (4, (1, 2), (1, 3))])
def test_landauer_domain_lu_equals_matrix_lu(leads, current, voltage):
    """The exact LU over the rational-function field = SymPy Matrix.LUsolve then cancel (the former route)."""
    (i, j), (k, l) = current, voltage
    G = conductance_matrix_symbolic(leads)
    keep = [a for a in range(leads) if a != j - 1]
    sol = G.extract(keep, keep).LUsolve(sp.Matrix([1 if a == i - 1 else 0 for a in keep]))
    V = {a: sol[n] for n, a in enumerate(keep)}
    V[j - 1] = sp.Integer(0)
    former = sp.factor(sp.cancel(sp.together(V[k - 1] - V[l - 1])))
    assert multiterminal_resistance_symbolic(current, voltage, leads) == former


def _field_lu_resistance(leads, i, j, k, l):
    """The former route: exact LU of the grounded system over the rational-function field, then ``factor``."""
    from sympy.polys.matrices import DomainMatrix

    G = conductance_matrix_symbolic(leads)
    keep = [a for a in range(leads) if a != j - 1]
    g = DomainMatrix.from_Matrix(G.extract(keep, keep))
    field = g.domain.get_field()
    rhs = DomainMatrix.from_Matrix(sp.Matrix([1 if a == i - 1 else 0 for a in keep])).convert_to(field)
    sol = g.convert_to(field).lu_solve(rhs)
    V = {a: sol[n, 0].element for n, a in enumerate(keep)}
    V[j - 1] = field.zero
    return sp.factor(field.to_sympy(V[k - 1] - V[l - 1]))


_CRAMER_CASES = ([(2, (1, 2), (1, 2)), (2, (2, 1), (1, 2))]
                 + [(3, (i, j), (k, l)) for i in range(1, 4) for j in range(1, 4) for k in range(1, 4)
                    for l in range(1, 4) if i != j and k != l]
                 + [(4, c, v) for c in ((1, 2), (1, 3), (3, 4), (2, 4), (4, 1)) for v in ((3, 4), (2, 4), (1, 3), (1, 2), (4, 3))]
                 + [pytest.param(5, (2, 5), (1, 4), marks=pytest.mark.slow)])  # ~4 s: the field LU of a 4x4


@pytest.mark.parametrize("leads, current, voltage", _CRAMER_CASES)
def test_landauer_cramer_equals_field_lu(leads, current, voltage):
    """Cramer's rule over the polynomial ring with the factored form assembled from cached factor lists = exact
    LU over the fraction field followed by ``sympy.factor``: the same expression, node for node (the printed
    documents depend on it), for every 2- and 3-lead configuration and a spread of 4- and 5-lead ones."""
    (i, j), (k, l) = current, voltage
    fast = multiterminal_resistance_symbolic(current, voltage, leads)
    former = _field_lu_resistance(leads, i, j, k, l)
    assert fast == former
    assert sp.srepr(fast) == sp.srepr(former)


def _random_rational(rng, syms):
    def poly():
        return sum(int(rng.integers(-3, 4)) * sp.Mul(*[x ** int(rng.integers(0, 3)) for x in syms]) for _ in range(3))
    den = poly()
    return poly() / (den if den != 0 else 1)


def test_polynomial_identity_agrees_with_cancel():
    """The cross-multiplied polynomial test proves exactly the zeros ``cancel`` proves on rational functions
    (seeded random sums of fractions, half of them rearranged identities), never a non-zero difference."""
    import numpy as np

    from mesocorr.derivations.core import _polynomial_identity

    rng = np.random.default_rng(18)
    syms = sp.symbols("x y z", positive=True)
    for _ in range(6):
        a, b, c = (_random_rational(rng, syms) for _ in range(3))
        same = sp.together(a + b) - c  # = a + b - c, written differently
        for diff in (a + b - c - same, a + b - same, a * b - sp.cancel(a * b), a - b):
            assert _polynomial_identity(diff) == (sp.cancel(diff) == 0)
    x, y = syms[:2]
    assert _polynomial_identity(sp.log(x) / (x + 1) - sp.log(x) * (x - 1) / (x**2 - 1))  # a function as generator
    assert not _polynomial_identity(sp.sin(x) ** 2 + sp.cos(x) ** 2 - 1)  # left to simplify
    assert not _polynomial_identity(sp.Add(*[x / (y + k) for k in range(12)]))  # too many denominators: cancel


def test_interaction_x_integral_laurent_terms_equal_the_series_and_quadrature():
    """2D Mellin integrals: the term-by-term Laurent expansion (cached per pole order) = SymPy's series of the whole
    sum (the former route) and = mpmath quadrature of the integral, for the kernels of the interaction derivation
    and a rational function with three distinct poles."""
    from mesocorr.symbolic import interaction as SI

    x, a = SI.x, SI.a
    k = sp.Symbol("k", positive=True)
    sub = {SI.q: sp.sqrt(x * a / SI.D), SI.omega: sp.I * a}
    kernels = []
    for channel in ("triplet", "singlet"):  # the kernels of channel_factor(2), scaled as there
        kern = sp.cancel(SI.exchange_kernel(channel, 2) * SI.s_deg * SI.nu)
        kernels.append(sp.cancel(sp.expand_power_base(kern.subs(sub) * a**2, force=True)).subs(SI.F0, k - 1))
    cases = [1 / (x + a) ** 2, *kernels]
    eps = sp.Symbol("epsilon")
    for f in cases:
        fast = SI._x_integral(f, 2)
        total = sp.Integer(0)
        for term in sp.Add.make_args(sp.apart(sp.cancel(f), x)):  # the former route: one series of the whole sum
            num, den = sp.fraction(sp.factor(term))
            base, n = den.as_base_exp()
            poly = sp.Poly(base, x)
            beta = poly.monic().all_coeffs()[1]
            sv = 1 + eps
            total += num / poly.LC() ** n * beta ** (sv - n) * sp.gamma(sv) * sp.gamma(n - sv) / sp.gamma(n)
        former = sp.series(total, eps, 0, 1).removeO()
        values = {a: sp.Rational(7, 3), k: sp.Rational(5, 2)}
        g = sp.lambdify(x, f.subs(values), "mpmath")
        with mpmath.workdps(30):
            quad = mpmath.quad(g, [0, 1, 10, mpmath.inf])
            assert abs(mpmath.mpf(sp.N((fast - former).subs(values), 30))) < mpmath.mpf(10) ** -25
            assert abs(mpmath.mpf(sp.N(fast.subs(values), 30)) - quad) < mpmath.mpf(10) ** -20 * abs(quad)


@pytest.mark.parametrize("d, n", [(2, 1), (2, 2), (2, 3), (4, 1), (4, 2), (4, 3)])
def test_mellin_factor_expansion_equals_sympy_series(d, n):
    """The pole isolated by the Gamma recurrence, coefficients by derivative = SymPy's Laurent series."""
    from mesocorr.symbolic import interaction as SI

    eps, beta = sp.Symbol("epsilon"), SI._BETA
    sv = sp.Rational(d, 2) + eps
    ser = sp.expand(sp.series(beta ** (sv - n) * sp.gamma(sv) * sp.gamma(n - sv) / sp.gamma(n), eps, 0, 1).removeO())
    residue, constant = SI._mellin_factor_expansion(d, n)
    assert sp.simplify(residue - ser.coeff(eps, -1)) == 0
    assert sp.simplify(constant - ser.coeff(eps, 0)) == 0


def test_memoised_simplify_is_sympy_simplify():
    x, y = sp.symbols("x y", positive=True)
    for expr in (sp.sin(x) ** 2 + sp.cos(x) ** 2, (x**2 - y**2) / (x - y), sp.log(x * y) - sp.log(x)):
        assert simplify(expr) == sp.simplify(expr)
        assert simplify(expr) is simplify(expr)  # computed once
    mutable = sp.Matrix([[sp.sin(x) ** 2 + sp.cos(x) ** 2]])
    assert simplify(mutable) == sp.Matrix([[1]])
    assert simplify(sp.exp(x) * sp.exp(-x), ratio=1) == 1


def test_check_symbolic_cancel_then_simplify():
    """A zero that cancel proves, one only simplify proves, a non-zero difference, and matrices."""
    x = sp.Symbol("x", positive=True)
    assert check_symbolic("c", "s", (x**2 - 1) / (x - 1), x + 1).passed
    assert check_symbolic("c", "s", sp.sin(x) ** 2, 1 - sp.cos(x) ** 2).passed
    assert not check_symbolic("c", "s", sp.sin(x), sp.cos(x)).passed
    assert check_symbolic("c", "s", sp.Matrix([[(x**2 - 1) / (x - 1), sp.sin(x) ** 2 + sp.cos(x) ** 2]]),
                          sp.Matrix([[x + 1, 1]])).passed
    assert not check_symbolic("c", "s", sp.Matrix([[x, 1]]), sp.Matrix([[x, 2]])).passed


@pytest.mark.parametrize("n", [0, 1, 2, 3, 64, 65, 130])
def test_bernoulli_table_from_tangent_numbers_equals_akiyama_tanigawa_and_sympy(n):
    """The integer tangent-number route (derived_constants) against the former fraction recurrence and SymPy."""
    from fractions import Fraction

    from mesocorr.integrals.derived_constants import bernoulli

    out, row = [], []
    for m in range(n + 1):  # Akiyama-Tanigawa (B_1 = +1/2), the route the table used before
        row.append(Fraction(1, m + 1))
        for j in range(m, 0, -1):
            row[j - 1] = j * (row[j - 1] - row[j])
        out.append(row[0])
    assert [bernoulli(k) for k in range(n + 1)] == out
    assert all(bernoulli(k) == Fraction(int(sp.bernoulli(k).p), int(sp.bernoulli(k).q)) for k in range(2, n + 1))
