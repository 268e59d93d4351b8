"""No user string is ever run as code: every public constructor and function of the symbolic, diagram and
integral subpackages refuses strings with TypeError (SymPy's ``sympify`` would ``eval`` them).

Each case passes a string that, if evaluated, would create a marker file; the test asserts the TypeError and
that the marker does not exist.
"""

from __future__ import annotations

import re

import pytest
import sympy as sp

from mesocorr.arguments import sympy_value
from mesocorr.derivations.core import Derivation, check_symbolic
from mesocorr.diagrams.bubble import DrudeBubble
from mesocorr.diagrams.impurity import ImpurityCorrelator
from mesocorr.diagrams.ladder import Ladder
from mesocorr.diagrams.lines import GreenLine
from mesocorr.diagrams.pair_kernel import DisorderMechanism, UniformTerm, exact_complex, spin_half_model, zeeman_term
from mesocorr.integrals.matrix_functions import to_mpmath, to_numpy
from mesocorr.symbolic.channels import Channel, channels
from mesocorr.symbolic.internal_space import Factor, InternalSpace, spin_half
from mesocorr.symbolic.propagators import Cooperon, Diffuson
from mesocorr.symbolic.rings import exp_rational_zero
from mesocorr.symbolic.spin import decay_rate, diagonalise, spin_kernel
from mesocorr.symbolic.zeeman import singlet_zeeman_dephasing, zeeman_block


@pytest.fixture
def payload(tmp_path):
    marker = tmp_path / "pwned"
    code = f"__import__('pathlib').Path({str(marker)!r}).write_text('x')"
    yield code
    assert not marker.exists(), "a user string was executed"


x = sp.Symbol("x")

CASES = {
    "diagonalise(potential=...)": lambda s: diagonalise("cooperon", (0, 0, 0), (0, 0, 0), potential=s),
    "diagonalise(so=[str, ...])": lambda s: diagonalise("cooperon", (s, 0, 0), (0, 0, 0)),
    "diagonalise(so=str)": lambda s: diagonalise("cooperon", s, (0, 0, 0)),
    "spin_kernel(potential=...)": lambda s: spin_kernel("cooperon", s, (0, 0, 0), (0, 0, 0)),
    "decay_rate(mag=...)": lambda s: decay_rate(1, (0, 0, 0), (0, 0, s)),
    "Channel(gap=...)": lambda s: Channel("cooperon", "singlet", s, 0),
    "Channel(wl_weight=...)": lambda s: Channel("cooperon", "singlet", 1, s),
    "channels(so=...)": lambda s: channels("cooperon", so=s),
    "channels(phi=...)": lambda s: channels("cooperon", phi=s),
    "channels(mag=[...])": lambda s: channels("diffuson", mag=(0, s, 0)),
    "ImpurityCorrelator(potential)": lambda s: ImpurityCorrelator(s),
    "ImpurityCorrelator(so=[...])": lambda s: ImpurityCorrelator(1, (s, 0, 0)),
    "ImpurityCorrelator(so=str)": lambda s: ImpurityCorrelator(1, s),
    "GreenLine(momentum)": lambda s: GreenLine("R", s, x),
    "GreenLine(energy)": lambda s: GreenLine("A", x, s),
    "GreenLine(spin)": lambda s: GreenLine("A", x, x, spin=(s, s)),
    "DrudeBubble(spin_degeneracy)": lambda s: DrudeBubble(2, spin_degeneracy=s),
    "Ladder(rung)": lambda s: Ladder("diffuson", rung=s),
    "Ladder(kernel)": lambda s: Ladder("cooperon", kernel=s),
    "Diffuson(gap)": lambda s: Diffuson(x, x, x, gap=s),
    "Cooperon(momentum)": lambda s: Cooperon(s, x, x),
    "Derivation.equation(rhs)": lambda s: Derivation("t", "t", "t").equation("t", "a", s),
    "check_symbolic(a)": lambda s: check_symbolic("c", "s", s, x),
    "sympy_value": lambda s: sympy_value("v", s),
    # the internal-space engine (issue 14)
    "Factor(matrices)": lambda s: Factor("f", {"0": s}),
    "Factor(matrix entry)": lambda s: Factor("f", {"0": [[s, 0], [0, 1]]}),
    "InternalSpace(time_reversal)": lambda s: InternalSpace(spin_half(), time_reversal=s),
    "DisorderMechanism(rates)": lambda s: DisorderMechanism("m", [sp.eye(2)], [s], 1),
    "DisorderMechanism(matrices)": lambda s: DisorderMechanism("m", s, [1], 1),
    "UniformTerm(matrix)": lambda s: UniformTerm("u", [[s, 0], [0, 0]]),
    "zeeman_term(omega)": lambda s: zeeman_term(InternalSpace(spin_half()), (0, 0, s)),
    "spin_half_model(so)": lambda s: spin_half_model(so=(s, 0, 0)),
    "spin_half_model(zeeman)": lambda s: spin_half_model(zeeman=(0, 0, s)),
    "spin_half_model(potential)": lambda s: spin_half_model(potential=s),
    "exact_complex(value)": lambda s: exact_complex("v", s),
    "zeeman_block(omega)": lambda s: zeeman_block((1, 1, 1), omega=s),
    "zeeman_block(so)": lambda s: zeeman_block(s),
    "singlet_zeeman_dephasing(so)": lambda s: singlet_zeeman_dephasing((s, 0, 0)),
    "to_mpmath(matrix entry)": lambda s: to_mpmath([[s]]),
    "to_mpmath(matrix)": lambda s: to_mpmath(s),
    "to_numpy(matrix entry)": lambda s: to_numpy([[s]]),
    "exp_rational_zero(expr)": lambda s: exp_rational_zero(s),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_strings_are_refused(case, payload):
    with pytest.raises(TypeError, match="string"):
        CASES[case](payload)


@pytest.mark.parametrize("value", [True, None, [1, 2], b"1", {"a": 1}])
def test_non_numbers_are_refused(value):
    with pytest.raises(TypeError):
        sympy_value("v", value)


@pytest.mark.parametrize("value, expected", [(2, sp.Integer(2)), (sp.Rational(1, 3), sp.Rational(1, 3)),
                                             (x, x), (0.5, sp.Float(0.5))])
def test_numbers_and_sympy_objects_pass(value, expected):
    assert sympy_value("v", value) == expected


def test_ilp_kernels_refuse_strings_naming_the_argument(payload):
    """The ILP numeric kernels (mesocorr.integrals.ilp) take numbers only: a string is a TypeError naming the
    argument, and nothing is parsed (the payload file is not written)."""
    from mesocorr.integrals import ilp

    calls = {
        "closed_form_sum": (lambda s: ilp.closed_form_sum(s, 0.1, 0.0), "b_phi"),
        "closed_form_sum_mp": (lambda s: ilp.closed_form_sum_mp(0.1, s, 0.0, 20), "b_lin"),
        "zero_field_constant": (lambda s: ilp.zero_field_constant(0.1, s, 0.0, 0.0), "h_R"),
        "zero_field_constant_mp": (lambda s: ilp.zero_field_constant_mp(0.1, 0.0, s, 0.0, 20), "h_D"),
        "sector_blocks_numeric": (lambda s: ilp.sector_blocks_numeric(0, 0.1, 0.2, 0.3, s), "b_3"),
        "series_coefficients": (lambda s: ilp.series_coefficients(s, 0.2, 0.3, 0.0), "b_phi"),
        "general_sum": (lambda s: ilp.general_sum(0.1, s, 0.3, 0.0), "r"),
        "general_sum_mp": (lambda s: ilp.general_sum_mp(0.1, 0.2, s, 0.0, 20), "d"),
        "block_traces": (lambda s: ilp.block_traces([s], 4), "blocks"),
    }
    assert set(calls) == {n for n in ilp.__all__ if callable(getattr(ilp, n))}
    for call, argument in calls.values():
        with pytest.raises(TypeError, match=f"^{argument}: expected numbers, got a string"):
            call(payload)


def test_projected_model_refuses_strings_in_every_argument(payload):
    """``ProjectedModel`` (the band-projected Dirac models) once passed ``decay_rate`` and the matrices to
    ``sympify``/``Matrix``: a string there would run. Each argument now refuses strings, naming itself."""

    from mesocorr.diagrams.band_projection import ProjectedModel
    from mesocorr.diagrams.dirac_models import ti_surface_model

    good = ti_surface_model()
    space, S = good.space, good.args[3]
    rate, kernels, _ = good._projected
    assert ProjectedModel(space, rate, kernels, S).spectrum("cooperon").channels  # the good call works
    bad = {"decay_rate": lambda s: ProjectedModel(space, s, kernels, S),
           "kernels['cooperon']": lambda s: ProjectedModel(space, rate, {**kernels, "cooperon": [[s]]}, S),
           "backscattering_sign": lambda s: ProjectedModel(space, rate, kernels, s),
           "dephasing": lambda s: ProjectedModel(space, rate, kernels, S, dephasing=[[s]]),
           "degeneracy": lambda s: ProjectedModel(space, rate, kernels, S, degeneracy=s)}
    for name, call in bad.items():
        with pytest.raises(TypeError, match="^" + re.escape(name)):
            call(payload)
