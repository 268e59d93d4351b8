"""S-matrix checks, Landauer conductance, Sharvin resistance, Fano factor; ``mesocorr landauer`` CLI.

Independent routes: hand-built S-matrices with known deviations, unitarity identities
(T_n of t and t' coincide, eigenvalues of r^dag r are 1 - T_n), exact SI constants, and the
chaotic-cavity shot-noise limit F = 1/4 (Beenakker RMP 69, 731 (1997), Sec. on quantum dots;
Jalabert, Pichard, Beenakker EPL 27, 255 (1994)).
"""

from __future__ import annotations

import json
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mesocorr.cli import main
from mesocorr.landauer import (check_s_matrix, fano_factor, landauer_conductance, sharvin_resistance,
                               transmission_block, transmission_eigenvalues)
from mesocorr.rmt import circular_ensemble, haar_unitary, quaternion_dual
from mesocorr.units import E_CHARGE_EXACT, H_PLANCK_EXACT


def beam_splitter(theta: float) -> np.ndarray:
    """Symmetric unitary 2x2: reflection cos(theta), transmission i sin(theta)."""
    return np.array([[math.cos(theta), 1j * math.sin(theta)], [1j * math.sin(theta), math.cos(theta)]])


# ---------------------------------------------------------------- constructed S-matrices


def test_beam_splitter_is_unitary_symmetric_and_conducts_2_sin2():
    S = beam_splitter(0.7)
    c = check_s_matrix(S, (1, 1))
    assert c.unitary and c.symmetric and c.self_dual_deviation is None
    assert c.unitarity_deviation < 1e-15 and c.transpose_deviation == 0.0
    assert "beta=1" in c.verdict
    assert landauer_conductance(S, (1, 1)) == pytest.approx(2 * math.sin(0.7) ** 2, rel=1e-15)
    assert landauer_conductance(S, (1, 1), spin_degeneracy=1) == pytest.approx(math.sin(0.7) ** 2, rel=1e-15)


def test_scaled_matrix_must_fail_unitarity_with_the_exact_deviation():
    S = 0.9 * beam_splitter(0.3)          # S^dag S = 0.81 * 1  ->  ||S^dag S - 1|| = 0.19
    c = check_s_matrix(S, (1, 1))
    assert not c.unitary
    assert c.unitarity_deviation == pytest.approx(0.19, rel=1e-14)
    assert c.verdict.startswith("NOT UNITARY")
    with pytest.raises(ValueError, match=r"^S: not unitary"):
        landauer_conductance(S, (1, 1))


def test_phase_asymmetric_matrix_must_fail_time_reversal():
    # S = [[0, e^{i pi/3}], [1, 0]] is unitary; ||S - S^T|| = |e^{i pi/3} - 1| = 1
    S = np.array([[0, np.exp(1j * math.pi / 3)], [1, 0]])
    c = check_s_matrix(S, (1, 1))
    assert c.unitary and not c.symmetric and not c.self_dual
    assert c.transpose_deviation == pytest.approx(1.0, rel=1e-14)
    assert "beta=2" in c.verdict


def test_spin_degenerate_symmetric_matrix_is_self_dual_and_conductance_counts_spin_once():
    S0 = beam_splitter(1.1)
    S = np.kron(S0, np.eye(2))  # lead 1 = (1 up, 1 down), lead 2 = (2 up, 2 down)
    c = check_s_matrix(S, (2, 2))
    assert c.unitary and c.symmetric and c.self_dual and c.self_dual_deviation < 1e-15
    # spin resolved in S (s = 1) equals the orbital matrix with s = 2
    assert landauer_conductance(S, (2, 2), spin_degeneracy=1) == pytest.approx(
        landauer_conductance(S0, (1, 1), spin_degeneracy=2), rel=1e-15)
    assert transmission_eigenvalues(S, (2, 2), kramers=True) == pytest.approx([math.sin(1.1) ** 2], rel=1e-14)


def test_spin_rotation_breaks_symmetry_but_not_self_duality():
    # a generic spin-orbit scatterer with time-reversal symmetry: S = V^R V (V unitary, Kramers basis)
    rng = np.random.default_rng(3)
    V = haar_unitary(4, rng=rng)
    S = quaternion_dual(V) @ V
    c = check_s_matrix(S, (2, 2))
    assert c.unitary and c.self_dual and not c.symmetric
    assert "beta=4" in c.verdict


@pytest.mark.parametrize("beta,expect", [(1, (True, False)), (2, (False, False)), (4, (False, True))])
def test_random_circular_ensembles_classified(beta, expect):
    # even channel numbers for every beta, so that the self-dual deviation is computed (not None) and tested
    N = 3 if beta == 4 else 4
    S = circular_ensemble(beta, N, seed=11)
    ch = (2, 4) if beta == 4 else (2, 2)
    c = check_s_matrix(S, ch)
    assert c.unitary
    assert (c.symmetric, c.self_dual) == expect
    if not c.symmetric:
        assert c.transpose_deviation > 0.1
    if beta != 4:
        assert c.self_dual_deviation > 0.1


def test_kramers_degeneracy_of_cse_and_its_absence_in_cue():
    S = circular_ensemble(4, 5, seed=2)           # 10x10, leads (2 pairs, 3 pairs)
    T_all = transmission_eigenvalues(S, (4, 6))
    assert np.max(np.abs(T_all[0::2] - T_all[1::2])) < 1e-12
    assert transmission_eigenvalues(S, (4, 6), kramers=True).size == 2
    U = circular_ensemble(2, 10, seed=2)
    with pytest.raises(ValueError, match="^kramers:"):
        transmission_eigenvalues(U, (4, 6), kramers=True)


@settings(deadline=None, max_examples=25, derandomize=True)
@given(seed=st.integers(0, 10**6), n1=st.integers(1, 4), n2=st.integers(1, 4), n3=st.integers(0, 3))
def test_unitarity_identities_on_random_matrices(seed, n1, n2, n3):
    ch = tuple(n for n in (n1, n2, n3) if n)
    S = haar_unitary(sum(ch), seed=seed)
    T12 = transmission_eigenvalues(S, ch, from_lead=1, to_lead=2)
    T21 = transmission_eigenvalues(S, ch, from_lead=2, to_lead=1)
    assert np.all(T12 >= 0) and np.all(T12 <= 1 + 1e-14)
    # t and t' share their transmission eigenvalues (up to zeros) only for two leads; g = s Tr t^dag t always
    assert landauer_conductance(S, ch, spin_degeneracy=1) == pytest.approx(np.sum(T12), rel=1e-12, abs=1e-14)
    if len(ch) == 2:
        assert T12 == pytest.approx(T21, abs=1e-12)
        r = transmission_block(S, ch, 1, 1)
        R = np.sort(np.linalg.eigvalsh(r.conj().T @ r))        # eigenvalues of r^dag r: 1 - T_n (+ ones)
        expected = np.sort(np.concatenate([1 - T12, np.ones(n1 - T12.size)]))
        assert R == pytest.approx(expected, abs=1e-12)


# ---------------------------------------------------------------- Sharvin, Fano


@pytest.mark.parametrize("N,s", [(1, 2), (1, 1), (7, 2), (40, 1)])
def test_sharvin_resistance_exact_constants(N, s):
    exact = H_PLANCK_EXACT / (E_CHARGE_EXACT**2 * s * N)
    assert sharvin_resistance(N, spin_degeneracy=s) == pytest.approx(float(exact), rel=1e-15)
    assert sharvin_resistance(N, spin_degeneracy=s, unit="h/e2") == float(Fraction(1, s * N))
    if (N, s) == (1, 2):
        assert sharvin_resistance(1) == pytest.approx(12906.403729652, rel=1e-12)  # R_K/2, R_K = 25812.80745...


def test_fano_factor_by_hand_and_limits():
    assert fano_factor([1.0, 0.5]) == pytest.approx(0.25 / 1.5, rel=1e-15)
    assert fano_factor([1, 1, 1]) == 0.0                 # ballistic: noiseless
    assert fano_factor([1e-9]) == pytest.approx(1.0, rel=1e-8)  # tunnel limit: Poissonian
    with pytest.raises(ValueError, match="^transmissions:"):
        fano_factor([0, 0])
    with pytest.raises(ValueError, match="^transmissions:"):
        fano_factor([1.2])


def test_fano_factor_of_a_large_chaotic_cavity_is_one_quarter():
    # Jalabert-Pichard-Beenakker EPL 27, 255 (1994); Beenakker RMP 69, 731: F -> 1/4 for N1 = N2 -> infinity
    num = den = 0.0
    for S in circular_ensemble(2, 60, size=40, seed=5):
        T = transmission_eigenvalues(S, (30, 30))
        num += np.sum(T * (1 - T))
        den += np.sum(T)
    assert num / den == pytest.approx(0.25, abs=0.01)


def test_bad_input_names_the_argument():
    S = beam_splitter(0.2)
    with pytest.raises(ValueError, match="^channels:"):
        check_s_matrix(S, (1, 2))
    with pytest.raises(ValueError, match="^S:"):
        check_s_matrix([[1, np.nan], [0, 1]], (1, 1))
    with pytest.raises(ValueError, match="^S:"):
        check_s_matrix(np.ones((2, 3)), (1, 1))
    with pytest.raises(ValueError, match="^spin_degeneracy:"):
        landauer_conductance(S, (1, 1), spin_degeneracy=3)
    with pytest.raises(ValueError, match="^to_lead:"):
        landauer_conductance(S, (1, 1), to_lead=3)
    with pytest.raises(ValueError, match="^N:"):
        sharvin_resistance(0)


# ---------------------------------------------------------------- CLI


def _write(tmp_path, obj, name="T.json"):
    p = tmp_path / name
    p.write_text(obj if isinstance(obj, str) else json.dumps(obj))
    return str(p)


def test_cli_four_terminal_by_hand(tmp_path, capsys):
    # symmetric cross (N = 1 per lead): T_adjacent = a, T_opposite = b, R = 1 - 2a - b.
    a, b = 0.2, 0.3
    R = 1 - 2 * a - b
    T = [[R, a, b, a], [a, R, a, b], [b, a, R, a], [a, b, a, R]]
    path = _write(tmp_path, {"T": T, "N": [1, 1, 1, 1]})
    assert main(["landauer", "--transmission", path, "--current", "1,3", "--voltage", "2,4", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    # by symmetry the probes 2 and 4 sit at the same voltage: R_24,13 = 0
    assert out["resistance_h_over_e2"] == pytest.approx(0.0, abs=1e-14)
    assert main(["landauer", "--transmission", path, "--current", "1,3", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    # two-terminal R_13,13 by hand: with V_2 = V_4 = V_1/2 (symmetry, V_3 = 0): I = (2a+b) V1 - 2a V1/2 = (a+b) V1
    assert out["resistance_h_over_e2"] == pytest.approx(1 / (a + b), rel=1e-13)
    assert out["voltages"] == pytest.approx([1 / (a + b), 0.5 / (a + b), 0.0, 0.5 / (a + b)], rel=1e-13)


@pytest.mark.parametrize("payload,fragment", [
    ({"T": [[0, -0.1], [1, 0]], "N": [1, 1]}, "negative transmission"),
    ({"T": [[0, 1], [1, 0.5]], "N": [1, 1]}, "violates the sum rule"),
    ('{"T": [[0, 1], [1, NaN]], "N": [1, 1]}', "finite"),
    ('{"T": [[0, 1], [1, 0]]', "not valid JSON"),
    ({"T": [[0, 1], [1, 0]]}, "keys"),
    ({"T": [[0, 1], [1, 0]], "N": [1, 0]}, "N:"),
])
def test_cli_bad_transmission_file(tmp_path, capsys, payload, fragment):
    path = _write(tmp_path, payload)
    assert main(["landauer", "--transmission", path, "--current", "1,2", "--json"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and fragment in err


@pytest.mark.parametrize("argv,fragment", [
    (["--current", "1,3"], "current: must be <= 2"),
    (["--current", "1,2", "--voltage", "0,1"], "voltage: must be >= 1"),
    (["--current", "1,1"], "current: source and drain must differ"),
    (["--current", "1"], "two lead numbers"),
])
def test_cli_bad_leads(tmp_path, capsys, argv, fragment):
    path = _write(tmp_path, {"T": [[0, 1], [1, 0]], "N": [1, 1]})
    assert main(["landauer", "--transmission", path, *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and fragment in err


def test_cli_missing_file(tmp_path, capsys):
    assert main(["landauer", "--transmission", str(tmp_path / "nope.json"), "--current", "1,2"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "transmission: no such file" in err
