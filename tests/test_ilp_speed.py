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


def _mpf_route(monkeypatch):
    """Undo the MPFR scalar type of the mpmath path: every number stays an mpf (the route it replaced)."""
    import contextlib

    monkeypatch.setattr(ilp, "_to_mpfr", lambda x: x)
    monkeypatch.setattr(ilp, "_to_mpf", lambda x: x if isinstance(x, mpmath.mpf) else mpmath.mpf(x))
    monkeypatch.setattr(ilp, "_mpfr_context", contextlib.nullcontext)


_MP_CASES = [(0.05, 1.5, 1.5, 0.0), (0.1, 1.41, 0.7, 0.2), (2.0, 0.3, 0.0, 1.0), (0.03, 2.2, 0.4, 0.05)]


@pytest.mark.parametrize("dps", [15, 30, 45])
def test_general_sum_mp_in_mpfr_is_the_mpf_route_bit_for_bit(monkeypatch, dps):
    """general_sum_mp's matrix arithmetic in MPFR (gmpy2, mpmath's precision, round to nearest) gives the bits of
    the same arithmetic in mpf: every value, error estimate and k0 identical."""
    fast = [ilp.general_sum_mp(*args, dps) for args in _MP_CASES]
    with pytest.MonkeyPatch.context() as mp:
        _mpf_route(mp)
        slow = [ilp.general_sum_mp(*args, dps) for args in _MP_CASES]
    for f, s in zip(fast, slow):
        assert isinstance(f[0], mpmath.mpf) and isinstance(f[1], mpmath.mpf)
        assert f == s
        assert f[0]._mpf_ == s[0]._mpf_ and f[1]._mpf_ == s[1]._mpf_


@pytest.mark.parametrize("fields", [(0.001, 0.03, 0.03, 0.0), (1e-7, 1.0, 0.0, 0.0), (0.2, 0.5, 0.25, 0.05),
                                    (0.01, 0.0, 0.0, 0.3)])
def test_zero_field_constant_mp_in_mpfr_is_the_mpf_route_bit_for_bit(monkeypatch, fields):
    """zero_field_constant_mp's integrand in MPFR gives the mpf route's bits (so the quadrature is the same)."""
    fast = ilp.zero_field_constant_mp(*fields, 33)
    with pytest.MonkeyPatch.context() as mp:
        _mpf_route(mp)
        slow = ilp.zero_field_constant_mp(*fields, 33)
    assert fast[0]._mpf_ == slow[0]._mpf_ and fast[1]._mpf_ == slow[1]._mpf_


def test_mpfr_conversions_are_exact_and_mpfr_arithmetic_rounds_like_mpf():
    """mpf <-> mpfr copies are exact; + - * / and sqrt round to the same bits at several precisions (random
    operands with a fixed seed, including tiny and huge exponents and signs)."""
    import random

    rng = random.Random(18)
    for dps in (15, 33, 45, 60):
        with mpmath.workdps(dps):
            xs = [mpmath.mpf(rng.getrandbits(200) * (-1) ** rng.getrandbits(1)) * mpmath.mpf(2) ** rng.randint(-400, 400)
                  for _ in range(60)] + [mpmath.mpf(0), mpmath.mpf(1) / 3]
            with ilp._mpfr_context():
                for a, b in zip(xs, xs[1:] + xs[:1]):
                    fa, fb = ilp._to_mpfr(a), ilp._to_mpfr(b)
                    assert ilp._to_mpf(fa)._mpf_ == a._mpf_
                    for op in (lambda u, v: u + v, lambda u, v: u - v, lambda u, v: u * v, lambda u, v: 3 * u - v / 7):
                        assert ilp._to_mpf(op(fa, fb))._mpf_ == op(a, b)._mpf_
                    if b:
                        assert ilp._to_mpf(fa / fb)._mpf_ == (a / b)._mpf_
                    assert ilp._to_mpf(ilp._sqrt(abs(fa)))._mpf_ == mpmath.sqrt(abs(a))._mpf_
                    assert ilp._to_mpf(fa**2)._mpf_ == (a**2)._mpf_


def test_rational_sum_zero_test_is_cancels_decision():
    """block_closed_form decides Knap's lowest blocks by cross-multiplied polynomials instead of cancel(sum) == 0:
    the same decision on the derivation's sum and on perturbed (non-zero) sums; the monic test of the cubic."""
    import sympy as sp
    from mesocorr.symbolic import ilp as S

    blk = S.block_closed_form.__wrapped__()
    gens = (S.r, S.b_phi, S.b_3)
    base = [blk["knap"]["first_blocks"], -blk["N0"], -blk["Nm1"]]
    cases = [base, base + [S.r**2 / (1 + S.b_phi) ** 2], [base[0], -blk["N0"]], base + [sp.Rational(1, 10**12)],
             [1 / (S.r - S.b_3), 1 / (S.b_3 - S.r)], [S.b_phi / (S.r**2 + 1), -S.b_phi * (S.r**2 + 1) / (S.r**2 + 1) ** 2]]
    got = [S._rational_sum_is_zero(c, gens) for c in cases]
    assert got == [sp.cancel(sp.Add(*c)) == 0 for c in cases] == [True, False, False, False, True, True]
    assert blk["knap_matches"] is True
    assert sp.Poly(blk["Q"], S.N).LC() == 1 and sp.Poly(blk["Q"], S.N).degree() == 3
