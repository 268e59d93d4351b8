"""Fast paths behind the Dirac and Zeeman entries of ``mesocorr derive`` (issue 18) against the routes they replace.

Each test recomputes the quantity the way the code did before (``sympy.simplify`` of every entry, the series
coefficient in omega) and asserts the same SymPy expression (the same ``srepr``, which the byte-identical
catalogue documents need).
"""

from __future__ import annotations

import random

import pytest
import sympy as sp

from mesocorr.diagrams.band_projection import dominant_harmonics
from mesocorr.diagrams.dirac_models import (GRAPHENE_RATES, TI_SECTORS, graphene_projection, ti_film_projection,
                                            ti_surface_projection)
from mesocorr.symbolic import propagators as P
from mesocorr.symbolic.memo import is_linear_form, simplify
from mesocorr.symbolic.zeeman import singlet_zeeman_dephasing, zeeman_block


def _random_linear_form(rng, symbols):
    expr = sp.Rational(rng.randint(-6, 6), rng.randint(1, 8)) if rng.random() < 0.3 else sp.Integer(0)
    for s in rng.sample(symbols, rng.randint(2, len(symbols))):
        expr += sp.Rational(rng.choice([-1, 1]) * rng.randint(1, 12), rng.randint(1, 12)) * s
    return expr


def _catalogue_linear_forms():
    bp = graphene_projection()
    out = list(bp.self_energy())
    for kind in ("cooperon", "diffuson"):
        for blk in bp.rung(kind).values():
            out += list(blk)
    return [e for e in out if is_linear_form(e)]


def test_linear_forms_are_fixed_points_of_simplify():
    """The memo returns a linear form unchanged: sympy.simplify does too (random forms in symbols of every kind of
    assumption, seeded, and the graphene entries' Born rate and rung entries)."""
    rng = random.Random(18)
    symbols = list(GRAPHENE_RATES) + [sp.Symbol("b"), sp.Symbol("x", real=True), sp.Symbol("n", integer=True),
                                      sp.Symbol("c", negative=True), sp.Symbol("t", positive=True)]
    catalogue = _catalogue_linear_forms()
    assert len(catalogue) >= 3
    cases = [_random_linear_form(rng, symbols) for _ in range(120)] + catalogue
    for expr in cases:
        if not isinstance(expr, sp.Add):
            continue
        assert is_linear_form(expr)
        assert sp.srepr(sp.simplify(expr)) == sp.srepr(expr), expr
        assert simplify(expr) is expr
    x, y = sp.symbols("x y")
    for expr in (x * y + 1, x**2 + x, x / 2 + sp.sqrt(2), 0.5 * x + y, x + sp.I * y, sp.sin(x) + y, x / y + 1):
        assert not is_linear_form(expr)


def _projections():
    a = sp.Symbol("a", nonnegative=True)
    return [graphene_projection(), graphene_projection(1, sp.Rational(1, 3), 0, sp.Rational(2, 7)),
            ti_surface_projection(a), ti_surface_projection(0), ti_surface_projection(sp.Rational(1, 3)),
            ti_film_projection()]


@pytest.mark.parametrize("index", range(6))
def test_soft_kernel_entries_are_simplified_rung_entries(index):
    """The soft kernel takes the (already simplified) rung entries as they are: the same matrix as simplifying
    every entry again (the former route), for the harmonics the models use and the single cone's two sectors."""
    bp = _projections()[index]
    for kind in ("cooperon", "diffuson"):
        choices = {dominant_harmonics(bp, kind)}
        if bp.dimension == 1:
            choices |= {(n,) for n in TI_SECTORS}
        for harmonics in choices:
            K = bp.soft_kernel(kind, harmonics)
            assert sp.srepr(K) == sp.srepr(sp.ImmutableMatrix(K.applyfunc(sp.simplify))), (kind, harmonics)


def test_zeeman_dephasing_derivative_equals_series_coefficient():
    """c = f''(0)/2 of the lower branch (new) = the omega**2 coefficient of its series (the former route), for
    isotropic, anisotropic, magnetic, degenerate (Gamma_T = Gamma_S) and numeric rates."""
    t = sp.Symbol("tau_so", positive=True)
    a, b = sp.symbols("a b", positive=True)
    w = sp.Symbol("omega", positive=True)
    cases = [(1 / t, 0, "z"), ((a, 2 * a, 3 * a), 0, "z"), ((a, a, a), (b, b, b), "x"), (1 / t, 1 / (5 * t), "y"),
             (sp.Integer(3), sp.Rational(1, 2), "z"), ((a, a, a), (a, a, a), "z")]
    for so, mag, axis in cases:
        (low, _), _ = zeeman_block(so, mag, axis, w)
        series = sp.simplify(sp.series(low - low.subs(w, 0), w, 0, 3).removeO().coeff(w, 2))
        assert sp.srepr(singlet_zeeman_dephasing(so, mag, axis)) == sp.srepr(series), (so, mag, axis)


def test_rung_expansion_by_series_division_equals_derivatives():
    """The rung's Taylor polynomial by power-series division (new) = the derivatives at 0 (the former route);
    tests/test_derive_diagrams_speed.py compares it with sympy.series."""
    kernel, _ = P.rung_kernel(exact=True)
    q, w, eps = P.SYMBOLS["q"], P.SYMBOLS["omega"], P._EPS
    scaled = kernel.subs({q: eps * q, w: eps**2 * w})
    slow = sp.expand(sp.Add(*(sp.diff(scaled, eps, k).subs(eps, 0) / sp.factorial(k) for k in range(3))))
    assert sp.srepr(P.rung_kernel()[0]) == sp.srepr(slow)
    x, y = sp.symbols("x y")
    for f in (1 / (1 - x), (2 + x) / (3 - x * y + x**2), sp.I / (sp.I + x * y - x**2 * y)):
        assert [sp.expand(c) for c in P._taylor_coefficients(f, x, 4)] == \
            [sp.expand(sp.diff(f, x, k).subs(x, 0) / sp.factorial(k)) for k in range(4)]


def test_kron_equals_sympy_kronecker_product():
    """The direct Kronecker product (new) = sympy.kronecker_product (the former route), entry for entry, on Pauli,
    Laurent-polynomial, rectangular and three-factor products."""
    from functools import reduce

    from mesocorr.symbolic.internal_space import PAULI, kron

    z, w, g, a = sp.symbols("z w g a")
    A = sp.Matrix([[sp.sqrt(2) / 2 * (1 + z / w), z], [g * w, sp.sqrt((1 + a) / 2)]])
    B = sp.ImmutableMatrix([[1 / z, 2], [sp.I, -w * z]])
    row, col = sp.Matrix([[1, 2 * g, 3]]), sp.Matrix([[a], [g]])
    cases = [(A, B), (PAULI[0], PAULI[1]), (A, B, PAULI[2]), (sp.eye(2), A), (row, col), (col, row, A),
             (sp.eye(1), A), (A,), (PAULI[1], sp.zeros(2, 2))]
    for args in cases:
        slow = sp.ImmutableMatrix(reduce(sp.kronecker_product, [sp.Matrix(m) for m in args]))
        assert sp.srepr(kron(*args)) == sp.srepr(slow)
