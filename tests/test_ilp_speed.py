"""The mpmath path's list-based 3x3 arithmetic (:class:`mesocorr.integrals.ilp.Mat3`) against the object-array
route it replaced (numpy object arrays of mpf, :func:`~mesocorr.integrals.ilp.block_traces`): bit for bit."""

import mpmath
import numpy as np
import pytest

from mesocorr.integrals import ilp
from mesocorr.symbolic.ilp_series import schur_series


_inv3_array = ilp._inv3  # the object-array route's adjugate inverse


def _blocks(sector, args):
    # the object-array blocks of one field that the mpmath path builds (shape (3, 3) and the scalar shift)
    blk = ilp._mp_blocks(sector, *args)
    return tuple(a[0] for a in blk[:5]) + (blk[5][0],)


@pytest.mark.parametrize("args", [(0.05, 1.5, 1.5, 0.0), (0.1, 1.41, 0.7, 0.2), (2.0, 0.3, 0.0, 1.0)])
@pytest.mark.parametrize("sector", [0, 1])
def test_mat3_route_is_the_object_array_route_bit_for_bit(args, sector):
    with mpmath.workdps(42):
        E, Ft, U, om, wt, s = _blocks(sector, args)
        order, K = 12, 9
        old = schur_series(*(a[None] for a in (E, Ft, U, om, wt)), order, _inv3_array)
        new = schur_series(*(ilp.Mat3.from_array(a) for a in (E, Ft, U, om, wt)), order, ilp.Mat3.inv)
        for j in range(order):
            assert new["R"][j].flat() == list(old["R"][j].reshape(-1))
            assert new["L"][j].flat() == list(old["L"][j].reshape(-1))
            go = old["g"][j]
            assert new["g"][j] == (go[0] if isinstance(go, np.ndarray) else go)
        kb = K + s - 1
        Rb_old = sum((old["R"][j] * kb ** (-j) for j in range(order)), 0 * E[None])
        Rb_new = 0 * ilp.Mat3.from_array(E)
        for j in range(order):
            Rb_new = Rb_new + new["R"][j] * kb ** (-j)
        assert Rb_new.flat() == list(Rb_old.reshape(-1))
        t_old = ilp.block_traces(tuple(a[None] for a in (E, Ft, U, om, wt)) + (np.array([s], dtype=object),), K,
                                 boundary=Rb_old)[0]
        t_new = ilp.block_traces_mp(tuple(ilp.Mat3.from_array(a) for a in (E, Ft, U, om, wt)) + (s,), K,
                                    boundary=Rb_new)
        assert t_new == list(t_old)
        assert ilp.block_traces_mp(tuple(ilp.Mat3.from_array(a) for a in (E, Ft, U, om, wt)) + (s,), K) == list(
            ilp.block_traces(tuple(a[None] for a in (E, Ft, U, om, wt)) + (np.array([s], dtype=object),), K)[0])


def test_mat3_product_and_inverse_against_mpmath_matrix():
    with mpmath.workdps(40):
        A = [[mpmath.mpf(v) for v in row] for row in ((2, 0, 1), (0, 0, 0), (3, 5, 7))]
        B = [[mpmath.mpf(v) for v in row] for row in ((1, 2, 3), (0, 0, 0), (4, -1, 6))]
        C = [[mpmath.mpf(v) / 7 for v in row] for row in ((4, 1, 2), (1, 5, 0), (2, 0, 9))]
        assert (ilp.Mat3(A) @ ilp.Mat3(B)).rows == (mpmath.matrix(A) * mpmath.matrix(B)).tolist()
        inv = ilp.Mat3(C).inv()
        ref = mpmath.inverse(mpmath.matrix(C))
        assert max(abs(inv.rows[i][j] - ref[i, j]) for i in range(3) for j in range(3)) < mpmath.mpf(10) ** -37


def test_sandwich_and_inverse_trace_are_the_full_products_bit_for_bit():
    """Mat3.sandwich (only the inverse entries the sparse factors use) and Mat3.inverse_trace against the full
    inverse and products, with dense and sparse outer factors (all zero patterns of one row and one column)."""
    rng = np.random.default_rng(7)
    with mpmath.workdps(45):
        def rand(mask=None):
            vals = [[mpmath.mpf(float(v)) / 3 for v in row] for row in rng.normal(size=(3, 3))]
            if mask is not None:
                vals = [[v if mask[i][j] else 0 for j, v in enumerate(row)] for i, row in enumerate(vals)]
            return ilp.Mat3(vals)
        masks = [None, [[0, 0, 0], [1, 0, 0], [1, 0, 0]], [[0, 1, 1], [0, 0, 0], [0, 0, 0]],
                 [[0, 0, 0], [0, 0, 0], [1, 1, 0]], [[0, 0, 1], [0, 0, 1], [0, 0, 0]], [[0] * 3] * 3]
        for _ in range(4):
            X = rand()
            assert X.inverse_trace() == X.inv().trace()
            for ml in masks:
                for mr in masks:
                    A, B = rand(ml), rand(mr)
                    assert A.sandwich(X, B).flat() == (A @ X.inv() @ B).flat()


def test_gauge_and_fields_by_together_are_the_simplify_results(monkeypatch):
    """symbolic.ilp combines the gauge couplings and the characteristic fields with sympy.together instead of
    sympy.simplify: the derived objects are the simplify route's, expression for expression (so the documents
    print the same)."""
    from mesocorr.symbolic import ilp as S
    from mesocorr.symbolic.memo import simplify

    fast_op, fast_fields = S.cooperon_operator.__wrapped__(), S.characteristic_fields.__wrapped__()
    monkeypatch.setattr(S, "_combine", simplify)
    monkeypatch.setattr(S, "cooperon_operator", S.cooperon_operator.__wrapped__)
    slow_op = S.cooperon_operator()
    slow_fields = S.characteristic_fields.__wrapped__()
    assert fast_op == slow_op
    assert fast_fields.keys() == slow_fields.keys()
    for key, value in slow_fields.items():
        assert fast_fields[key] == value, key


# ---- the derivation's angular averages, trigonometric zero tests and rung coefficients (session 7 fast paths)
def _circle_average_by_dummies(expr):
    """The route _circle_average replaced: cos, sin substituted by dummy symbols before the Poly."""
    import sympy as sp
    from mesocorr.symbolic import ilp as S

    c, s_ = sp.Dummy("c"), sp.Dummy("s")
    ex = sp.expand_trig(sp.sympify(expr, strict=True)).subs({sp.cos(S.phi): c, sp.sin(S.phi): s_})
    assert not ex.has(S.phi)
    poly = sp.Poly(ex, c, s_)
    return sp.expand(sp.Add(*(coeff * S._trig_moment(a, b) for (a, b), coeff in poly.terms())))


def _trig_zero_by_laurent(expr):
    """The route _trig_zero replaced: z = exp(i phi), the expanded Laurent polynomial is zero."""
    import sympy as sp
    from mesocorr.symbolic import ilp as S

    z = sp.Dummy("z")
    ex = sp.expand_trig(sp.sympify(expr, strict=True))
    ex = ex.subs({sp.cos(S.phi): (z + 1 / z) / 2, sp.sin(S.phi): (z - 1 / z) / (2 * sp.I)})
    return sp.expand(ex) == 0


def test_circle_average_and_trig_zero_are_the_replaced_routes(monkeypatch):
    """Every angular average and every zero test the derivation asks for (recorded while deriving the harmonics
    and the Cooperon) equals the replaced route's: same srepr, same decision; plus non-zero trig polynomials."""
    import sympy as sp
    from mesocorr.symbolic import ilp as S

    averages, zeros = [], []
    avg, tz = S._circle_average, S._trig_zero
    monkeypatch.setattr(S, "_circle_average", lambda e: averages.append(e) or avg(e))
    monkeypatch.setattr(S, "_trig_zero", lambda e: zeros.append(e) or tz(e))
    S.fermi_circle_harmonics.__wrapped__()
    S.cooperon_operator.__wrapped__()
    assert len(averages) > 20 and len(zeros) >= 6
    for e in averages:
        assert sp.srepr(avg(e)) == sp.srepr(_circle_average_by_dummies(e))
    phi, a, g = S.phi, S.SYMBOLS["alpha"], S.SYMBOLS["gamma"]
    extra = [sp.cos(phi) ** 2 + sp.sin(phi) ** 2 - 1, sp.cos(3 * phi) - 4 * sp.cos(phi) ** 3 + 3 * sp.cos(phi),
             sp.cos(phi) ** 2, sp.sin(phi) * sp.cos(phi) - sp.sin(2 * phi) / 2 + a * g * sp.sin(3 * phi),
             a * (sp.sin(phi) ** 4 - sp.cos(phi) ** 4 + sp.cos(2 * phi)), sp.sin(phi) - g, sp.Integer(0)]
    decisions = [tz(e) for e in zeros + extra]
    assert decisions == [_trig_zero_by_laurent(e) for e in zeros + extra]
    assert decisions[-len(extra):] == [True, True, False, False, True, False, True]
    for e in extra:
        assert sp.srepr(avg(e)) == sp.srepr(_circle_average_by_dummies(e))


def test_rung_coefficients_by_taylor_are_the_simplify_series_route():
    """_rung_function's cancel + derivatives at x = 0 give the coefficients simplify + series gave (same srepr)."""
    import sympy as sp
    from mesocorr.diagrams.hikami import SYMBOLS as H, green_advanced, green_retarded, residue_integral
    from mesocorr.diagrams.ladder import impurity_strength
    from mesocorr.symbolic import ilp as S

    x = sp.Symbol("x", real=True)
    pi_x = impurity_strength(H["nu"], H["tau"], H["hbar"]) * H["nu"] * residue_integral(
        green_retarded() * green_advanced(shift=x))
    ser = sp.series(sp.simplify(pi_x), x, 0, 3).removeO().subs({H["tau"]: S.tau, H["hbar"]: S.hbar})
    assert sp.simplify(ser.coeff(x, 0) - 1) == 0
    slow = tuple(sp.simplify(ser.coeff(x, k)) for k in (1, 2))
    assert [sp.srepr(v) for v in S._rung_function()] == [sp.srepr(v) for v in slow]
