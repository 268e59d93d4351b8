"""Chaotic-cavity random-matrix averages: exact rationals, published values, large-N limits, sampling.

Independent routes for ``cavity_transmission_moments`` (general-beta closed form):
* ``method="jacobi"``: exact rational integration of the transmission-eigenvalue density;
* single-channel distributions integrated by hand: P(T) = T^{-1/2}/2 (beta=1), 1 (beta=2),
  2T (beta=4) [Baranger & Mello, PRL 73, 142 (1994); Jalabert, Pichard & Beenakker, EPL 27, 255
  (1994)];
* the beta-specific closed forms as published: beta=2 var T = N1^2 N2^2/(N^2 (N^2-1)) and beta=1
  var T = 2 N1 N2 (N1+1)(N2+1)/(N (N+1)^2 (N+3)) [Brouwer & Beenakker, J. Math. Phys. 37, 4904
  (1996); Beenakker RMP 69, 731 (1997), Sec. on quantum dots];
* large-N: delta T = -1/4 (beta=1, N1=N2), var T = 1/(8 beta) (N1 = N2) [Baranger & Mello 1994;
  Jalabert, Pichard & Beenakker 1994; Beenakker RMP 1997];
* seeded sampling of COE/CUE/CSE within 4 standard errors.
"""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from mesocorr.cli import main
from mesocorr.rmt import (cavity_large_N_limits, cavity_transmission_moments, circular_ensemble, haar_unitary,
                          quaternion_dual, sample_cavity_transmission, sampled_moments)

CASES = [(b, n1, n2) for b in (1, 2, 4) for (n1, n2) in [(1, 1), (1, 2), (2, 2), (2, 3), (3, 3), (1, 4), (4, 4)]]


@pytest.mark.parametrize("beta,N1,N2", CASES)
def test_closed_form_equals_jacobi_integration(beta, N1, N2):
    f = cavity_transmission_moments(beta, N1, N2)
    j = cavity_transmission_moments(beta, N1, N2, method="jacobi")
    assert (f.mean_T, f.var_T) == (j.mean_T, j.var_T)
    assert isinstance(f.mean_T, Fraction) and isinstance(j.var_T, Fraction)


@pytest.mark.parametrize("beta,density,mean,var", [
    (1, lambda T: T ** sp.Rational(-1, 2) / 2, Fraction(1, 3), Fraction(4, 45)),
    (2, lambda T: sp.Integer(1), Fraction(1, 2), Fraction(1, 12)),
    (4, lambda T: 2 * T, Fraction(2, 3), Fraction(1, 18)),
])
def test_single_channel_distributions(beta, density, mean, var):
    T = sp.Symbol("T", positive=True)
    p = density(T)
    assert sp.integrate(p, (T, 0, 1)) == 1
    m1 = sp.integrate(T * p, (T, 0, 1))
    m2 = sp.integrate(T**2 * p, (T, 0, 1))
    m = cavity_transmission_moments(beta, 1, 1)
    assert m.mean_T == Fraction(str(m1)) == mean
    assert m.var_T == Fraction(str(m2 - m1**2)) == var


@pytest.mark.parametrize("N1,N2", [(1, 1), (2, 2), (1, 5), (3, 7), (10, 4)])
def test_published_beta_specific_forms(N1, N2):
    N = N1 + N2
    for beta in (1, 2, 4):
        assert cavity_transmission_moments(beta, N1, N2).mean_T == Fraction(N1 * N2) / (N - 1 + Fraction(2, beta))
    assert cavity_transmission_moments(2, N1, N2).var_T == Fraction(N1**2 * N2**2, N**2 * (N**2 - 1))
    assert cavity_transmission_moments(1, N1, N2).var_T == Fraction(2 * N1 * N2 * (N1 + 1) * (N2 + 1),
                                                                    N * (N + 1) ** 2 * (N + 3))


def test_issue_example_and_values():
    m = cavity_transmission_moments(1, 2, 2)
    assert m.mean_T == Fraction(4, 5) and m.var_T == Fraction(18, 175)
    assert cavity_transmission_moments(2, 2, 2).var_T == Fraction(1, 15)
    assert cavity_transmission_moments(4, 2, 2).mean_T == Fraction(8, 7)


def test_large_N_limits_derived_by_series():
    N1, N2 = sp.symbols("N1 N2", positive=True)
    beta = sp.Symbol("beta", positive=True)
    lim = cavity_large_N_limits()
    assert sp.simplify(lim["classical"] - N1 * N2 / (N1 + N2)) == 0
    assert sp.simplify(lim["wl_correction"] - (1 - 2 / beta) * N1 * N2 / (N1 + N2) ** 2) == 0
    assert sp.simplify(lim["var_T"] - 2 / beta * N1**2 * N2**2 / (N1 + N2) ** 4) == 0
    # N1 = N2: delta T = -1/4, 0, +1/8 ; var T = 1/(8 beta)
    for b, wl in [(1, sp.Rational(-1, 4)), (2, 0), (4, sp.Rational(1, 8))]:
        lb = cavity_large_N_limits(b)
        assert sp.simplify(lb["wl_correction"].subs(N2, N1)) == wl
        assert sp.simplify(lb["var_T"].subs(N2, N1)) == sp.Rational(1, 8 * b)


@pytest.mark.parametrize("beta", [1, 2, 4])
def test_large_N_values_equal_the_series_substituted(beta):
    """The per-call large-N terms (integer polynomial sums) equal the SymPy series substituted exactly."""
    N1, N2 = sp.symbols("N1 N2", positive=True)
    series = cavity_large_N_limits(beta)
    for n1, n2 in [(1, 1), (10, 12), (7, 300), (999, 2)]:
        limits = cavity_transmission_moments(beta, n1, n2).limits
        assert set(limits) == set(series)
        for key, expr in series.items():
            value = sp.Rational(expr.subs({N1: n1, N2: n2}))
            assert limits[key] == Fraction(int(value.p), int(value.q)), (key, n1, n2)


@pytest.mark.parametrize("beta", [1, 2, 4])
def test_exact_values_approach_the_limits(beta):
    for n1, n2 in [(300, 300), (200, 500)]:
        m = cavity_transmission_moments(beta, n1, n2)
        lim = m.limits
        # remainders are O(1/N): compare with a bound 5/N
        assert abs(float(m.mean_T - lim["classical"] - lim["wl_correction"])) < 5 / (n1 + n2)
        assert abs(float(m.var_T / lim["var_T"]) - 1) < 5 / (n1 + n2)


# ---------------------------------------------------------------- sampling


@pytest.mark.parametrize("beta,N1,N2", [(1, 1, 1), (1, 2, 2), (2, 1, 3), (2, 2, 2), (4, 1, 1), (4, 2, 3)])
def test_sampler_agrees_with_exact_within_4_standard_errors(beta, N1, N2):
    exact = cavity_transmission_moments(beta, N1, N2)
    s = sampled_moments(sample_cavity_transmission(beta, N1, N2, 20000, seed=1000 + 10 * beta + N1 + N2))
    assert abs(s["mean_T"] - float(exact.mean_T)) < 4 * s["mean_T_stderr"]
    assert abs(s["var_T"] - float(exact.var_T)) < 4 * s["var_T_stderr"]


def test_ensemble_symmetries_and_seeding():
    S1 = circular_ensemble(1, 4, size=3, seed=9)
    assert np.abs(S1 - np.swapaxes(S1, 1, 2)).max() < 1e-14
    S4 = circular_ensemble(4, 3, size=3, seed=9)
    assert np.abs(S4 - quaternion_dual(S4)).max() < 1e-14
    for S in (*S1, *S4):
        assert np.abs(S.conj().T @ S - np.eye(S.shape[0])).max() < 1e-13
    assert np.array_equal(circular_ensemble(2, 3, seed=5), circular_ensemble(2, 3, seed=5))
    a = sample_cavity_transmission(2, 2, 2, 100, seed=3, batch=7)
    b = sample_cavity_transmission(2, 2, 2, 100, seed=3, batch=7)
    assert np.array_equal(a, b)


def test_haar_measure_moments_of_the_trace():
    # Diaconis-Shahshahani: for Haar U(n), <|Tr U|^2> = 1 and <|Tr U|^4> = 2 (n >= 2). The QR phase fix matters:
    # without it diag(R) > 0 biases the trace.
    n, m = 3, 20000
    tr = np.trace(haar_unitary(n, m, seed=4), axis1=1, axis2=2)
    x2 = np.abs(tr) ** 2
    assert abs(x2.mean() - 1) < 4 * x2.std() / np.sqrt(m)
    x4 = x2**2
    assert abs(x4.mean() - 2) < 4 * x4.std() / np.sqrt(m)


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="^beta:"):
        cavity_transmission_moments(3, 1, 1)
    with pytest.raises(TypeError, match="^beta:"):
        cavity_transmission_moments(1.0, 1, 1)
    with pytest.raises(ValueError, match="^N2:"):
        cavity_transmission_moments(1, 1, 0)
    with pytest.raises(ValueError, match="^method:"):
        cavity_transmission_moments(1, 5, 5, method="jacobi")
    with pytest.raises(ValueError, match="^values:"):
        sampled_moments([1.0])


# ---------------------------------------------------------------- CLI


def test_cli_exact_and_sampled(capsys):
    assert main(["rmt", "--beta", "1", "--N1", "2", "--N2", "2", "--sample", "20000", "--seed", "7", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["mean_T"] == "4/5" and out["var_T"] == "18/175"
    assert out["large_N"] == {"classical": "1", "wl_correction": "-1/4", "var_T": "1/8"}
    s = out["sampled"]
    assert {"mean_T", "mean_T_stderr", "var_T", "var_T_stderr", "samples", "seed"} <= set(s)
    assert abs(s["mean_T"] - 0.8) < 4 * s["mean_T_stderr"]
    assert abs(s["var_T"] - 18 / 175) < 4 * s["var_T_stderr"]


def test_cli_text_output(capsys):
    assert main(["rmt", "--beta", "4", "--N1", "1", "--N2", "1"]) == 0
    out = capsys.readouterr().out
    assert "CSE" in out and "2/3" in out and "1/18" in out


@pytest.mark.parametrize("argv,fragment", [
    (["--beta", "3", "--N1", "2", "--N2", "2"], "beta: must be one of 1, 2, 4"),
    (["--beta", "1", "--N1", "0", "--N2", "2"], "N1: must be >= 1"),
    (["--beta", "2", "--N1", "1", "--N2", "-3"], "N2: must be >= 1"),
    (["--beta", "1", "--N1", "1", "--N2", "1", "--sample", "1"], "sample: must be >= 2"),
    (["--beta", "x", "--N1", "1", "--N2", "1"], "--beta"),
])
def test_cli_errors_exit_2_with_one_line(capsys, argv, fragment):
    assert main(["rmt", *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and fragment in err
