"""The cached projected vertices of ``mesocorr.diagrams.band_projection`` equal the direct route.

Independent route: the band states evaluated numerically at directions :math:`\\theta, \\theta'` on the unit
circle (``Matrix.subs``), complex-conjugated as numbers, and the product :math:`S(\\theta)^\\dagger M S(\\theta')`
(at :math:`\\theta + \\pi, \\theta' + \\pi` for the flipped vertex) compared with the Laurent polynomial of
:meth:`BandProjection.vertex` at :math:`z = e^{i\\theta}`, :math:`w = e^{i\\theta'}`.
"""

from __future__ import annotations

import pytest
import sympy as sp

from mesocorr.diagrams.band_projection import W, Z
from mesocorr.diagrams.dirac_models import graphene_projection, ti_film_projection, ti_surface_projection

A = sp.Symbol("a", positive=True)
ANGLES = ((sp.Rational(3, 10), sp.Rational(-17, 10)), (sp.Rational(21, 10), sp.Rational(1, 7)))


def _numeric_states(bp, theta, extra):
    return sp.Matrix(bp.S).subs(Z, sp.exp(sp.I * theta), simultaneous=True).subs(extra).evalf(30)


@pytest.mark.parametrize("make, extra", [(graphene_projection, {}), (lambda: ti_surface_projection(sp.Rational(1, 3)), {}),
                                         (lambda: ti_surface_projection(A), {A: sp.Rational(37, 100)}),
                                         (ti_film_projection, {})])
def test_cached_vertices_equal_the_direct_evaluation(make, extra):
    bp = make()
    for mech in bp.mechanisms:
        for M in mech.matrices:
            for flip in (False, True):
                fast = bp.vertex(M, flip)
                assert bp.vertex(M, flip) is fast  # cached
                for t, tp in ANGLES:
                    shift = sp.pi if flip else 0
                    sz, sw = _numeric_states(bp, t + shift, extra), _numeric_states(bp, tp + shift, extra)
                    direct = sz.H * sp.Matrix(M) * sw
                    value = sp.Matrix(fast).subs({Z: sp.exp(sp.I * t), W: sp.exp(sp.I * tp), **extra}).evalf(30)
                    assert max(abs(complex(x)) for x in (value - direct)) < 1e-25
    # projections with other mechanisms share the vertices (they depend on the band states only)
    other = bp.with_mechanisms(bp.mechanisms[:1])
    M = bp.mechanisms[0].matrices[0]
    assert other.vertex(M) is bp.vertex(M)
