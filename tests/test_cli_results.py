"""Results newly reachable from the CLI and the CLI's own rules (issue 12, items 4, 5, 7, 11).

* ``smatrix`` and ``onsager`` against quantities computed here from the matrices with plain numpy (a
  beam splitter with known T, a random unitary, Büttiker's equations solved by ``numpy.linalg.lstsq``);
* ``ucf --delta-E/--delta-flux/--half-widths`` against a direct truncated mode sum written here from the
  literature formula (Lee, Stone & Fukuyama, PRB 35, 1039 (1987); the field rate of a narrow wire from
  Beenakker & van Houten, PRB 38, 3232 (1988));
* exit status, one-line messages, warnings on stderr and in ``--json``, non-finite results, work caps and
  progress, with fake command modules where a real input cannot provoke the case.
"""

from __future__ import annotations

import json
import math
import types

import numpy as np
import pytest

from cli_harness import assert_clean, run_cli, warm_up


@pytest.fixture(scope="module", autouse=True)
def _warm():
    warm_up()


def _json(argv):
    status, out, err, _ = run_cli([*argv, "--json"])
    assert status == 0, err
    return json.loads(out)


def _refused(argv, fragment):
    status, out, err, _ = run_cli(argv)
    assert assert_clean(argv, status, out, err) == "refused", err
    assert fragment in err, err
    return err


# ------------------------------------------------------------------------------------------ smatrix
def _s_file(tmp_path, S, channels, form="pairs", name="S.json"):
    S = np.asarray(S, dtype=complex)
    if form == "pairs":
        payload = {"S": [[[z.real, z.imag] for z in r] for r in S], "channels": list(channels)}
    elif form == "split":
        payload = {"S_re": S.real.tolist(), "S_im": S.imag.tolist(), "channels": list(channels)}
    else:
        payload = {"S": S.real.tolist(), "channels": list(channels)}
    p = tmp_path / name
    p.write_text(json.dumps(payload))
    return str(p)


@pytest.mark.parametrize("form", ["pairs", "split", "real"])
def test_smatrix_beam_splitter(tmp_path, form):
    # one channel per lead, transmission probability T = 0.3 (rotation matrix: real, unitary, not symmetric)
    T = 0.3
    r, t = math.sqrt(1 - T), math.sqrt(T)
    S = np.array([[r, -t], [t, r]])
    d = _json(["smatrix", "--file", _s_file(tmp_path, S, (1, 1), form)])
    assert d["unitary"] is True and d["symmetric"] is False and d["self_dual_deviation"] is None
    assert d["transmission_eigenvalues"] == pytest.approx([T], rel=1e-14)
    assert d["conductance"] == pytest.approx(2 * T, rel=1e-14)             # s = 2, g = 2 T
    assert d["fano_factor"] == pytest.approx(1 - T, rel=1e-14)              # T(1-T)/T
    np.testing.assert_allclose(d["transmission_matrix"], [[1 - T, T], [T, 1 - T]], rtol=1e-14)
    assert d["warnings"] == []


def test_smatrix_random_unitary_against_numpy(tmp_path):
    rng = np.random.default_rng(21)
    z = rng.standard_normal((5, 5)) + 1j * rng.standard_normal((5, 5))
    q, _ = np.linalg.qr(z)                                                  # unitary, lead 1 = 2 rows, lead 2 = 3
    t = q[2:, :2]                                                            # from lead 1 into lead 2
    Tn = np.sort(np.linalg.eigvalsh(t.conj().T @ t))[::-1]
    d = _json(["smatrix", "--file", _s_file(tmp_path, q, (2, 3)), "--spin-degeneracy", "1"])
    assert d["transmission_eigenvalues"] == pytest.approx(Tn.tolist(), abs=1e-13)
    assert d["conductance"] == pytest.approx(float(np.sum(np.abs(t) ** 2)), rel=1e-13)
    assert d["fano_factor"] == pytest.approx(float(np.sum(Tn * (1 - Tn)) / np.sum(Tn)), rel=1e-12)
    assert d["unitarity_deviation"] < 1e-13 and d["symmetric"] is False
    back = _json(["smatrix", "--file", _s_file(tmp_path, q, (2, 3)), "--from-lead", "2", "--to-lead", "1"])
    assert back["conductance"] == pytest.approx(2 * d["conductance"], rel=1e-12)  # unitarity: g_12 = g_21


def test_smatrix_self_dual_kramers(tmp_path):
    from mesocorr import circular_ensemble

    S = circular_ensemble(4, 3, seed=1)                                     # 6 x 6 self-dual (README example)
    d = _json(["smatrix", "--file", _s_file(tmp_path, S, (2, 4)), "--spin-degeneracy", "1", "--kramers"])
    t = S[2:, :2]
    Tn = np.linalg.eigvalsh(t.conj().T @ t)
    assert d["self_dual"] is True and len(d["transmission_eigenvalues"]) == 1
    assert d["transmission_eigenvalues"][0] == pytest.approx(float(Tn.mean()), rel=1e-12)  # the Kramers pair
    assert d["conductance"] == pytest.approx(0.9787122288863915, rel=1e-12)


def test_smatrix_not_unitary_and_bad_files(tmp_path):
    d = _json(["smatrix", "--file", _s_file(tmp_path, [[1, 1], [0, 1]], (1, 1))])
    assert d["unitary"] is False and d["conductance"] is None and d["transmission_eigenvalues"] is None
    assert any("not unitary" in w for w in d["warnings"])
    closed = _json(["smatrix", "--file", _s_file(tmp_path, np.eye(2), (1, 1))])  # no transmission at all
    assert closed["conductance"] == 0.0 and closed["fano_factor"] is None
    assert any("undefined" in w for w in closed["warnings"])
    cases = [
        ({"S": [[[1, 0]]]}, 'keys "channels"'),
        ({"S": [[[1, 0, 0]]], "channels": [1]}, "must be a number or a pair [re, im], got a list of 3"),
        ({"S": [[["1", 0]]], "channels": [1]}, '"S" row 1, column 1 (re) must be a number, got str'),
        ({"S_re": [[1, 0], [0, 1]], "S_im": [[0, 0], [0]], "channels": [1, 1]}, '"S_im" must be square'),
        ({"S_re": [[1, 0], [0, 1]], "S_im": [[0, 0, 0]] * 3, "channels": [1, 1]}, '"S_im" is 3 x 3 but "S_re" is 2 x 2'),
        ({"channels": [1]}, 'give "S" (entries [re, im]) or "S_re"'),
        ({"S": [[1, 0], [0, 1]], "channels": [1, 2]}, "channels: the partition [1, 2] sums to 3"),
        ({"S": [[1, 0], [0, 1]], "channels": [1.0, 1]}, '"channels" must hold integers'),
        ({"S": [[1, 0], [0, 1]], "channels": [True, 1]}, '"channels" must hold integers'),
        ({"S": [[1, 0], [0, 1]], "channels": [2, 0]}, "channels[1]: must be >= 1"),
        ({"S": [[1, 0], [0, 1]], "channels": [2]}, "to_lead: must be <= 1"),
        ({"S": [[0]] * 1001, "channels": [1001]}, '"S" has 1001 rows; the cap is 1000'),
    ]
    for k, (payload, fragment) in enumerate(cases):
        p = tmp_path / f"bad{k}.json"
        p.write_text(json.dumps(payload))
        _refused(["smatrix", "--file", str(p)], fragment)
    _refused(["smatrix", "--file", _s_file(tmp_path, np.eye(2), (1, 1)), "--to-lead", "3"], "to_lead: must be <= 2")
    _refused(["smatrix", "--file", _s_file(tmp_path, np.eye(2), (1, 1)), "--spin-degeneracy", "3"], "invalid choice")


# ------------------------------------------------------------------------------------------ onsager
def _resistance(T, N, i, j, k, l):
    """R_kl,ij = (V_k - V_l)/I by solving Büttiker's equations I_a = sum_b (N_a delta_ab - T_ab) V_b directly."""
    G = np.diag(N) - np.asarray(T)
    I = np.zeros(len(N))
    I[i - 1], I[j - 1] = 1.0, -1.0
    A = np.vstack([G, np.eye(len(N))[j - 1]])                               # ground lead j
    V = np.linalg.lstsq(A, np.r_[I, 0.0], rcond=None)[0]
    return V[k - 1] - V[l - 1]


def test_onsager_reciprocal_and_not(tmp_path):
    from mesocorr import circular_ensemble, transmission_matrix

    ch = (1, 1, 1, 1)
    S = circular_ensemble(2, 4, seed=3)                                     # broken time reversal
    Tp, Tm = transmission_matrix(S, ch), transmission_matrix(S.T, ch)      # S(-B) = S(B)^T
    p = tmp_path / "t.json"
    p.write_text(json.dumps({"T_plus": Tp.tolist(), "T_minus": Tm.tolist(), "N": list(ch)}))
    d = _json(["onsager", "--file", str(p)])
    assert d["reciprocal"] is True and d["worst_deviation"] < 1e-12 and d["microscopic_deviation"] < 1e-15
    p.write_text(json.dumps({"T_plus": Tp.tolist(), "T_minus": Tp.tolist(), "N": list(ch)}))  # same field twice
    d = _json(["onsager", "--file", str(p)])
    (k, l), (i, j) = d["worst_configuration"]
    direct = abs(_resistance(Tp, ch, i, j, k, l) - _resistance(Tp, ch, k, l, i, j))
    assert d["reciprocal"] is False and d["worst_deviation"] == pytest.approx(direct, rel=1e-10)
    assert d["microscopic_deviation"] == pytest.approx(float(np.abs(Tp - Tp.T).max()), rel=1e-14)
    tight = _json(["onsager", "--file", str(p), "--atol", "10"])
    assert tight["reciprocal"] is True and tight["atol"] == 10.0
    _refused(["onsager", "--file", str(p), "--atol", "-1"], "atol: must be non-negative")
    for payload, fragment in [({"T_plus": [[0, 1], [1, 0]], "N": [1, 1]}, '"T_minus"'),
                              ({"T_plus": [[0, 1], [1, 0]], "T_minus": [[0]], "N": [1, 1]}, "T_minus: expected"),
                              ({"T_plus": [[0] * 31] * 31, "T_minus": [[0] * 31] * 31, "N": [1] * 31},
                               "has 31 rows; the cap is 30")]:
        p.write_text(json.dumps(payload))
        _refused(["onsager", "--file", str(p)], fragment)


# ------------------------------------------------------------------------------------------ UCF correlations
def _direct_wire(eps=0.0, gamma=0.0, n_max=400_000):
    """Spinless wire, broken time reversal (one Diffuson), by a plain truncated mode sum (tail ~ n_max^-3):
    C = sum_n [2/pi^4 Re P^2 + 4/pi^4 |P|^2], P = 1/(n^2 + gamma - i eps), eps = dE/(pi^2 E_c) [LSF87]."""
    n = np.arange(1, n_max + 1, dtype=float)
    P = 1.0 / (n * n + gamma - 1j * eps)
    return float((2 / np.pi**4) * np.sum((P * P).real) + (4 / np.pi**4) * np.sum(np.abs(P) ** 2))


def test_ucf_energy_and_flux_correlations_against_a_direct_sum():
    base = ["ucf", "--shape", "1", "--spinless", "--broken-trs"]
    c0 = _direct_wire()
    assert c0 == pytest.approx(1 / 15, rel=1e-12)
    d = _json([*base, "--delta-E", "10"])
    assert float(d["variance"]) == pytest.approx(1 / 15, rel=1e-12)
    assert float(d["correlation"]) == pytest.approx(_direct_wire(eps=10 / np.pi**2), rel=1e-9)
    assert float(d["correlation_over_variance"]) == pytest.approx(0.372075, abs=5e-7)  # ucf_correlation docstring
    assert d["delta_E"] == 10.0 and d["delta_flux"] == 0.0 and d["flux"] == 0.0
    # narrow wire [BvH88]: the Diffuson of two fields B, B + dB dephases at D (e dB W)^2 / (12 hbar^2), i.e. in
    # units of pi^2 D/L^2 a gap (2 pi dPhi/Phi_0)^2 / (12 pi^2) = (dPhi/Phi_0)^2 / 3 with dPhi = dB W L
    d = _json([*base, "--delta-flux", "0.7"])
    assert float(d["correlation"]) == pytest.approx(_direct_wire(gamma=0.7**2 / 3), rel=1e-9)
    dps = _json([*base, "--delta-E", "10", "--dps", "16"])
    assert float(dps["correlation"]) == pytest.approx(_direct_wire(eps=10 / np.pi**2), rel=1e-14)
    assert len(dps["correlation"].split("e")[0].lstrip("0.")) == 16


def test_ucf_half_widths_against_a_direct_root():
    from scipy.optimize import brentq

    d = _json(["ucf", "--shape", "1", "--spinless", "--broken-trs", "--half-widths"])
    c0 = _direct_wire(n_max=100_000)
    e_half = brentq(lambda e: _direct_wire(eps=e / np.pi**2, n_max=100_000) - c0 / 2, 1.0, 50.0, xtol=1e-10)
    f_half = brentq(lambda f: _direct_wire(gamma=f * f / 3, n_max=100_000) - c0 / 2, 0.1, 10.0, xtol=1e-10)
    assert d["half_width_energy"] == pytest.approx(e_half, rel=1e-8)
    assert d["half_width_flux"] == pytest.approx(f_half, rel=1e-8)
    assert d["half_width_energy_unit"] == "E_c = hbar D/L^2" and d["half_width_flux_unit"] == "h/e"
    _refused(["ucf", "--shape", "1", "--half-widths", "--dps", "20"], "--half-widths: the half widths are float64")
    _refused(["ucf", "--shape", "1", "--L-T", "0.5", "--delta-E", "1"], "L_T: thermal averaging")


# ------------------------------------------------------------------------------------------ caps and progress
@pytest.mark.parametrize("argv,fragment", [
    (["mc", "--D", "0.01", "--phi", "1e10", "--B", "0.01", "--dps", "301"], "--dps: must be <= 300"),
    (["mc", "--D", "0.01", "--phi", "1e10", "--B", ",".join(["0.01"] * 101), "--dps", "20"],
     "--B: at most 100 fields with --dps, got 101"),
    (["mc", "--D", "0.01", "--phi", "1e10", "--B", ",".join(["0.01"] * 100_001)], "at most 100000"),
    (["wl", "--shape", "1", "--L-phi", "2", "--dps", "301"], "--dps: must be <= 300"),
    (["ucf", "--shape", "1", "--dps", "41"], "--dps: must be <= 40"),
    (["ucf", "--shape", "1", "--dps", "0"], "--dps: must be >= 1"),
    (["ucf", "--shape", "1", "--delta-E", "1", "--dps", "21"], "--dps: at most 20 digits for a correlation"),
    (["rmt", "--beta", "1", "--N1", "1000001", "--N2", "1"], "--N1: must be <= 1000000"),
    (["rmt", "--beta", "1", "--N1", "1", "--N2", "1", "--sample", "1000001"], "--sample: must be <= 1000000"),
    (["rmt", "--beta", "4", "--N1", "300", "--N2", "201", "--sample", "2"], "would have 1002 rows"),
    (["rmt", "--beta", "2", "--N1", "50", "--N2", "50", "--sample", "401"], "at most 400 for these N1, N2"),
    (["rmt", "--beta", "1", "--N1", "2", "--N2", "2", "--seed", "-1"], "--seed: must be >= 0"),
])
def test_work_caps_refuse_before_work(argv, fragment):
    status, out, err, seconds = run_cli(argv)
    assert assert_clean(argv, status, out, err) == "refused" and fragment in err, err


def test_rmt_sampling_progress_and_batches(monkeypatch):
    import mesocorr.commands.rmt as cmd

    calls = []

    def fake(beta, N1, N2, samples, **kw):
        calls.append((beta, N1, N2, samples, kw))
        return np.full(samples, 0.5) + np.linspace(-0.1, 0.1, samples)

    monkeypatch.setattr(cmd, "sample_cavity_transmission", fake)
    for N, samples in [(2, 100_000), (100, 40), (250, 2)]:
        d = _json(["rmt", "--beta", "2", "--N1", str(N), "--N2", str(N), "--sample", str(samples)])
        *_, kw = calls[-1]
        dim = 2 * N
        assert kw["show_progress"] is True and kw["batch"] * dim**3 <= max(cmd.BATCH_WORK, dim**3)
        assert kw["batch"] >= 1 and (samples + kw["batch"] - 1) // kw["batch"] >= min(samples, 10)
        assert d["sampled"]["samples"] == samples


def test_mc_dps_fields_go_through_progress(monkeypatch):
    import mesocorr.commands.mc as cmd

    seen = []

    def spy(items, **kw):
        seen.append(kw.get("label"))
        yield from items

    monkeypatch.setattr(cmd, "progress", spy)
    d = _json(["mc", "--D", "0.01", "--phi", "1e10", "--B", "0.01,0.02", "--dps", "20"])
    assert seen == ["mc: fields"] and len(d["delta_sigma"]) == 2
    import mesocorr

    ref = mesocorr.magnetoconductance(0.02, D=0.01, phi=1e10)
    assert float(d["delta_sigma"][1]) == pytest.approx(ref, rel=1e-13)


# ------------------------------------------------------------------------------------------ exit status, warnings
def _fake_command(monkeypatch, run, name="fake"):
    import mesocorr.cli as cli

    mod = types.SimpleNamespace(NAME=name, HELP="test command", register=lambda p: None, run=run)
    monkeypatch.setattr(cli, "_command_modules", lambda: [mod])


def _raise(exc):
    def run(args):
        raise exc

    return run


@pytest.mark.parametrize("exc,status,fragment", [
    (OverflowError("math range error"), 2, "the computation overflowed for these inputs (OverflowError: math range"),
    (ZeroDivisionError("float division by zero"), 2, "divided by zero"),
    (FloatingPointError("overflow encountered"), 2, "failed in floating point"),
    (ArithmeticError("dps: the mode sum did not reach 30 digits"), 2, "error: dps: the mode sum did not reach"),
    (RecursionError("maximum recursion depth exceeded"), 2, "recursion limit reached"),
    (MemoryError(), 2, "out of memory"),
    (PermissionError(13, "Permission denied", "/x/y"), 2, "cannot use /x/y: Permission denied"),
    (FileNotFoundError(2, "No such file or directory", "/x/z"), 2, "no such file or folder: /x/z"),
    (IsADirectoryError(21, "Is a directory", "/tmp"), 2, "cannot use /tmp: Is a directory"),
    (ValueError("D: must be positive\nsecond line\tthird"), 2, "error: D: must be positive second line third"),
    (TypeError("x" * 100_000), 2, "x" * 400),
    (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), 2, "can't decode byte 0xff"),
    (RuntimeError("solver failed"), 1, "internal error (RuntimeError: solver failed); please report it"),
    (KeyError("k"), 1, "internal error (KeyError"),
    (AttributeError("no attribute"), 1, "internal error (AttributeError"),
])
def test_exceptions_map_to_status(monkeypatch, capsys, exc, status, fragment):
    from mesocorr.cli import main

    _fake_command(monkeypatch, _raise(exc))
    assert main(["fake"]) == status
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1 and fragment in captured.err
    assert len(captured.err) < 520 and "Traceback" not in captured.err


def test_no_convergence_and_interrupt(monkeypatch, capsys):
    import mpmath

    from mesocorr.cli import main

    _fake_command(monkeypatch, _raise(mpmath.libmp.NoConvergence("no convergence in 100 steps")))
    assert main(["fake"]) == 2 and "NoConvergence" in capsys.readouterr().err
    _fake_command(monkeypatch, _raise(KeyboardInterrupt()))
    assert main(["fake"]) == 130 and capsys.readouterr().err == "error: interrupted\n"


@pytest.mark.parametrize("result,where", [
    ({"x": float("nan")}, "x = nan"),
    ({"x": [1.0, float("inf")]}, "x[1] = inf"),
    ({"a": {"b": [0, -float("inf")]}}, "a.b[1] = -inf"),
    ({"x": "nan"}, "x = nan"),
    ({"x": ["1.5", "-inf"]}, "x[1] = -inf"),
    ({"x": np.array([1.0, np.nan])}, "x[1] = nan"),
    ({"x": np.float64("inf")}, "x = inf"),
    ({"x": complex(1, float("nan"))}, "x = (1+nanj)"),
])
def test_non_finite_results_are_refused(monkeypatch, capsys, result, where):
    import mpmath  # noqa: F401  (mpf values are checked through complex(); see the next test)

    from mesocorr.cli import main

    _fake_command(monkeypatch, lambda args: (result, "text"))
    for argv in (["fake"], ["fake", "--json"]):
        assert main(argv) == 2
        captured = capsys.readouterr()
        assert captured.out == "" and f"no finite result for these inputs ({where})" in captured.err


def test_mpmath_values_and_serialisation(monkeypatch, capsys):
    import mpmath

    from mesocorr.cli import main

    _fake_command(monkeypatch, lambda args: ({"x": mpmath.mpf("nan")}, "text"))
    assert main(["fake", "--json"]) == 2 and "x = nan" in capsys.readouterr().err
    _fake_command(monkeypatch, lambda args: ({"x": object()}, "text"))
    assert main(["fake", "--json"]) == 1 and "result not serialisable" in capsys.readouterr().err
    _fake_command(monkeypatch, lambda args: ({"x": None, "y": [1, 2.5], "z": "-0.5"}, "text"))
    assert main(["fake", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"x": None, "y": [1, 2.5], "z": "-0.5", "warnings": []}


def test_warnings_on_stderr_and_in_json(monkeypatch, capsys):
    import warnings

    from mesocorr.cli import main
    from mesocorr.physics_warnings import warn_inconsistent

    def run(args):
        warn_inconsistent("tau_phi: shorter than the elastic time tau (1e-12 s < 1e-11 s)")
        warn_inconsistent("tau_phi: shorter than the elastic time tau (1e-12 s < 1e-11 s)")  # once only
        with np.errstate(over="warn"):
            np.exp(np.array([1000.0]))                                       # numpy RuntimeWarning
        warnings.warn("old API", DeprecationWarning, stacklevel=1)           # about code, not input: dropped
        warnings.warn("IntegrationWarning-like\nsecond line", UserWarning, stacklevel=1)
        return {"value": 1.0, "warnings": ["fit: the model's own warning"]}, "table"

    _fake_command(monkeypatch, run)
    assert main(["fake", "--json"]) == 0
    captured = capsys.readouterr()
    expected = ["fit: the model's own warning", "tau_phi: shorter than the elastic time tau (1e-12 s < 1e-11 s)",
                "overflow encountered in exp", "IntegrationWarning-like second line"]
    assert json.loads(captured.out)["warnings"] == expected
    assert captured.err.splitlines() == [f"warning: {m}" for m in expected]
    assert main(["fake"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "table\n" and len(captured.err.splitlines()) == 4

    def fails(args):
        warn_inconsistent("L_phi: smaller than the mean free path")
        raise ValueError("D: must be positive, got -1.0")

    _fake_command(monkeypatch, fails)
    assert main(["fake"]) == 2
    assert capsys.readouterr().err == "error: D: must be positive, got -1.0\n"    # a refusal prints one line


def test_warnings_key_always_present_and_real_library_warnings(tmp_path):
    assert _json(["scales", "--dim", "2", "--D", "0.01"])["warnings"] == []
    # a heavy-tailed ensemble: validate_ucf's own kurtosis warning reaches stderr and the JSON list
    g = 10 + np.random.default_rng(5).standard_t(3, 400)
    p = tmp_path / "G.csv"
    p.write_text("G\n" + "\n".join(f"{float(x)!r}" for x in g) + "\n")
    status, out, err, _ = run_cli(["validate", "ucf", "--data", str(p), "--json"])
    d = json.loads(out)
    assert status == 0 and any("kurtosis" in w for w in d["warnings"])
    assert [line for line in err.splitlines() if "kurtosis" in line][0].startswith("warning: G: excess kurtosis")


def test_fit_of_noise_warns_and_undetermined_is_null(tmp_path):
    from mesocorr.cli import undetermined_as_null

    B = np.linspace(0.001, 0.05, 30)
    noise = 1e-3 * np.random.default_rng(1).standard_normal(B.size)
    p = tmp_path / "noise.csv"
    p.write_text("B,delta_sigma\n" + "\n".join(f"{float(b)!r},{float(v)!r}" for b, v in zip(B, noise)) + "\n")
    status, out, err, _ = run_cli(["fit", "--data", str(p), "--model", "hln", "--json"])
    d = json.loads(out)
    assert status == 0 and d["warnings"] and err.count("warning: ") == len(d["warnings"])
    p.write_text("B,delta_sigma\n" + "\n".join(f"{float(b)!r},0" for b in B) + "\n")
    _refused(["fit", "--data", str(p), "--model", "wl"], "delta_sigma: all values are zero")
    # a singular fit reports infinite standard errors and NaN correlations: JSON null, not a refusal
    assert undetermined_as_null({"stderr": float("inf"), "corr": np.array([[1.0, np.nan]]), "v": 2.0,
                                 "t": (1, -float("inf"))}) == {"stderr": None, "corr": [[1.0, None]], "v": 2.0,
                                                               "t": [1, None]}
