"""Hostile values for every numeric option of every command (issue 12, "Done when").

For each command (and a few variants of it) a valid command line is taken and ONE option is replaced by a
hostile value: random extreme floats and integers from hypothesis, and a list of strings people (or fuzzers)
type: '', 'nan', 'inf', '1e400', '5e-324', '-0', '1_0', '0x10', non-ASCII digits, 5000-character numbers, ...
The promise (:func:`cli_harness.assert_clean`): exit 0 with finite ``--json`` output, or exit 2 with one line
on stderr; never a traceback, never another status, never longer than the time budget per call.

The values of options that set the amount of work (``--dps``, ``--sample``, ``--N1``...) are drawn from the
hostile strings, from small integers, and from just above the cap (refused before any work); the caps
themselves are timed in ``benchmarks/bench_cli_caps.py`` (no timing in tests).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli_harness import assert_clean, run_cli, warm_up


@pytest.fixture(scope="module", autouse=True)
def _warm():
    warm_up()


#: strings that are not (good) numbers, or numbers at the edges of float64
HOSTILE_NUMBERS = [
    "", " ", "nan", "-nan", "NaN", "inf", "-inf", "+inf", "Infinity", "-Infinity", "1e400", "-1e400", "1e308",
    "-1e308", "1.7976931348623157e308", "5e-324", "-5e-324", "2.2250738585072014e-308", "1e-400", "0", "-0",
    "-0.0", "+0", "1_0", "0x10", "0b1", "1e", "e5", ".", "-", "+", "1.5.2", "--1", "1e5e5", "\uff11", "\u0663",
    "1,2", "1,,2", ",", "abc", "None", "True", "[1]", "1/2", "2**10", "1j", "1 2", "1e-3", "-0.5", ".5", "  2  ",
    "\t3", "7\n", "1" * 5000, "9" * 400, "-" + "9" * 400, "0." + "0" * 400 + "1", "1e-999999999",
    "1e999999999", "\x00", "1\x00", "\udcff",
]
#: hostile lists (--B, --shape) and spin-rate specifications (--so, --mag)
HOSTILE_LISTS = ["1,", ",1", "1,,1", "1,nan", "1,inf", "1,1e400", ",".join(["1"] * 200_000), "1;2", "1 2",
                 "1,2,3,4", "-1,1", "1e308,1e308,1e308", "5e-324,5e-324", "0,0,0", "1,-0,1"]
#: hostile integers (counts, seeds, lead numbers)
HOSTILE_INTS = ["-1", "0", "1.0", "1e3", "2.5", "9" * 19, "9" * 5000, "-" + "9" * 30, "1_000", "0x10",
                "\u0663", "+3", " 4 ", "18446744073709551616"]

floats = st.floats(allow_nan=True, allow_infinity=True, width=64).map(repr)
small_ints = st.integers(-3, 25).map(str)
huge_ints = st.integers(min_value=-(10**40), max_value=10**40).map(str)
lists = st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=0, max_size=5).map(
    lambda xs: ",".join(repr(x) for x in xs))
rates = st.one_of(st.floats(0, 1e300).map(repr),
                  st.tuples(*[st.floats(0, 1e300)] * 3).map(lambda t: ",".join(map(repr, t))), lists)

REAL = st.one_of(st.sampled_from(HOSTILE_NUMBERS), floats)
INT = st.one_of(st.sampled_from(HOSTILE_INTS + HOSTILE_NUMBERS), small_ints, huge_ints)
WORK = st.one_of(st.sampled_from(HOSTILE_INTS + HOSTILE_NUMBERS), small_ints)  # amount of work: no large valid
LIST = st.one_of(st.sampled_from(HOSTILE_LISTS + HOSTILE_NUMBERS), lists, floats)
RATE = st.one_of(st.sampled_from(HOSTILE_LISTS + HOSTILE_NUMBERS), rates, floats)
TEXT = st.one_of(st.sampled_from(["", " ", ",", "x" * 5000, "\x00", "\udcff", "../../etc", "-", "--json"]),
                 st.text(max_size=30))


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Valid input files for the commands that read one."""
    d = tmp_path_factory.mktemp("hostile")
    rng = np.random.default_rng(12)
    B = np.linspace(-0.05, 0.05, 41)
    from mesocorr import magnetoconductance

    y = magnetoconductance(B, dim=2, D=0.01, phi=4e10, so=6e11) + 1e-4 * rng.standard_normal(B.size)
    (d / "mc.csv").write_text("B,delta_sigma\n" + "\n".join(f"{float(b)!r},{float(v)!r}" for b, v in zip(B, y)) + "\n")
    g = rng.normal(10, 0.37, 200)
    g2 = rng.normal(10.3, 0.37, 200)
    (d / "G.csv").write_text("G,G_orth,G_unit\n" + "\n".join(f"{float(a)!r},{float(a)!r},{float(b)!r}" for a, b in zip(g, g2)) + "\n")
    T = [[0.5, 0.2, 0.2, 0.1], [0.2, 0.5, 0.1, 0.2], [0.1, 0.2, 0.5, 0.2], [0.2, 0.1, 0.2, 0.5]]
    (d / "T.json").write_text(json.dumps({"T": T, "N": [1, 1, 1, 1]}))
    from mesocorr import circular_ensemble, transmission_matrix

    S = circular_ensemble(2, 4, seed=3)
    ch = (1, 1, 1, 1)
    (d / "onsager.json").write_text(json.dumps({"T_plus": transmission_matrix(S, ch).tolist(),
                                                "T_minus": transmission_matrix(S.T, ch).tolist(), "N": list(ch)}))
    S = circular_ensemble(1, 5, seed=4)
    (d / "S.json").write_text(json.dumps({"S": [[[z.real, z.imag] for z in r] for r in S], "channels": [2, 3]}))
    from mesocorr.rings import aas_harmonics

    temps = [0.5, 1.0, 2.0, 4.0]
    amps = [abs(aas_harmonics((0.01 / (2e9 * t)) ** 0.5 / 2e-6, n_harmonics=1)[0]["amplitude"]) for t in temps]
    (d / "amp.csv").write_text("T,amplitude\n" + "".join(f"{t!r},{a!r}\n" for t, a in zip(temps, amps)))
    from mesocorr.distribution import wire_distribution

    r = wire_distribution(2e-4, 0.0, relaxation="none", x=0.5)
    (d / "f.csv").write_text("E,f\n" + "".join(f"{e!r},{v!r}\n" for e, v in zip(r.E[::40].tolist(), r.f[0, ::40].tolist())))
    return {k: str(d / k) for k in ("mc.csv", "G.csv", "T.json", "onsager.json", "S.json", "amp.csv", "f.csv")}


def _cases(files):
    """(base command line, {option: strategy}) for every command and variant."""
    return {
        "scales": (["scales", "--dim", "2", "--vF", "2e5", "--l", "1e-7", "--tau-phi", "1e-10", "--T", "1",
                    "--L", "1e-6"],
                   {"--dim": INT, "--kF": REAL, "--lambda-F": REAL, "--vF": REAL, "--tau": REAL, "--l": REAL,
                    "--D": REAL, "--tau-phi": REAL, "--tau-E": REAL, "--T": REAL, "--L": REAL, "--require": TEXT}),
        "dephasing-film": (["dephasing", "--dim", "2", "--T", "2", "--R-sheet", "1000", "--D", "0.01"],
                           {"--dim": INT, "--T": REAL, "--R-sheet": REAL, "--D": REAL}),
        "dephasing-wire": (["dephasing", "--dim", "1", "--T", "2", "--R-per-length", "1e6", "--D", "0.01"],
                           {"--T": REAL, "--R-per-length": REAL, "--D": REAL}),
        "channels": (["channels", "--kind", "cooperon", "--so", "1"], {"--so": RATE, "--mag": RATE, "--phi": RATE}),
        "mc-2d": (["mc", "--D", "0.01", "--phi", "1e10", "--B", "0.01,0.1"],
                  {"--D": REAL, "--so": RATE, "--mag": RATE, "--phi": REAL, "--B": LIST, "--dim": INT,
                   "--elastic-time": REAL}),
        "mc-dps": (["mc", "--D", "0.01", "--phi", "1e10", "--so", "1e11", "--B", "0.01", "--dps", "20"],
                   {"--D": REAL, "--phi": REAL, "--B": LIST, "--dps": WORK, "--so": RATE, "--elastic-time": REAL}),
        "mc-ilp": (["mc", "--model", "ilp", "--B-phi", "0.1", "--B-rashba", "3", "--B-dresselhaus", "0.7",
                    "--B-cubic", "0.3", "--B=0.02,0.05,1"],
                   {"--B-phi": REAL, "--B-rashba": REAL, "--B-dresselhaus": REAL, "--B-cubic": REAL, "--B": LIST,
                    "--dim": INT, "--D": REAL, "--B-so": RATE, "--g-factor": REAL}),
        "mc-ilp-dps": (["mc", "--model", "ilp", "--B-phi", "0.1", "--B-rashba", "3", "--B-cubic", "0.3", "--B", "0.05",
                        "--dps", "20"],
                       {"--B-phi": REAL, "--B-rashba": REAL, "--B-cubic": REAL, "--B": LIST, "--dps": WORK}),
        "mc-1d": (["mc", "--dim", "1", "--width", "1e-7", "--D", "0.01", "--phi", "1e10", "--B", "0.01"],
                  {"--width": REAL, "--D": REAL, "--B": LIST, "--phi": REAL}),
        "mc-3d": (["mc", "--dim", "3", "--D", "0.01", "--phi", "1e10", "--B", "0.01"],
                  {"--D": REAL, "--B": LIST, "--phi": REAL, "--mag": RATE}),
        "wl-wire": (["wl", "--shape", "1", "--L-phi", "2"],
                    {"--shape": LIST, "--L-phi": REAL, "--so": RATE, "--mag": RATE, "--dps": WORK, "--l": REAL}),
        "wl-film": (["wl", "--shape", "1,0.5", "--l", "0.05", "--L-phi", "2"],
                    {"--shape": LIST, "--l": REAL, "--L-phi": REAL, "--so": RATE}),
        "ucf": (["ucf", "--shape", "1"],
                {"--shape": LIST, "--so": RATE, "--mag": RATE, "--L-phi": REAL, "--L-T": REAL, "--delta-E": REAL,
                 "--delta-flux": REAL, "--flux": REAL, "--dps": WORK, "--l": REAL}),
        "ucf-box": (["ucf", "--shape", "1,0.5,0.25", "--so", "1"],
                    {"--shape": LIST, "--L-phi": REAL, "--L-T": REAL, "--delta-E": REAL, "--mag": RATE}),
        "ucf-half-widths": (["ucf", "--shape", "1", "--half-widths"],
                            {"--shape": LIST, "--L-phi": REAL, "--delta-flux": REAL, "--flux": REAL,
                             "--delta-E": REAL, "--so": RATE}),
        "beta": (["beta", "--g", "10"], {"--g": REAL, "--dim": REAL, "--loops": INT, "--class": TEXT}),
        "flow": (["flow", "--g0", "20", "--L-over-L0", "100"],
                 {"--g0": REAL, "--L-over-L0": REAL, "--L-phi-over-L0": REAL, "--dim": REAL, "--loops": INT}),
        "landauer": (["landauer", "--transmission", files["T.json"], "--current", "1,3", "--voltage", "2,4"],
                     {"--current": st.one_of(LIST, INT), "--voltage": st.one_of(LIST, INT)}),
        "rmt": (["rmt", "--beta", "1", "--N1", "2", "--N2", "2"],
                {"--beta": INT, "--N1": WORK, "--N2": WORK, "--sample": WORK, "--seed": INT}),
        "rmt-sample": (["rmt", "--beta", "4", "--N1", "1", "--N2", "2", "--sample", "50"],
                       {"--N1": WORK, "--seed": INT, "--sample": WORK}),
        "fit": (["fit", "--data", files["mc.csv"], "--model", "hln", "--symmetrize"],
                {"--D": REAL, "--columns": TEXT}),
        "fit-wire": (["fit", "--data", files["mc.csv"], "--model", "wire", "--width", "1e-7"], {"--width": REAL}),
        "fit-ilp": (["fit", "--data", files["mc.csv"], "--model", "ilp", "--B-dresselhaus", "0", "--B-cubic", "0",
                     "--symmetrize"],
                    {"--B-phi": REAL, "--B-rashba": REAL, "--B-cubic": REAL, "--D": REAL}),
        "validate-ucf": (["validate", "ucf", "--data", files["G.csv"], "--spinless"],
                         {"--shape": LIST, "--so": RATE, "--mag": RATE, "--L-phi": REAL, "--L-T": REAL,
                          "--rtol": REAL, "--confidence": REAL, "--prediction": REAL, "--column": TEXT}),
        "validate-bootstrap": (["validate", "ucf", "--data", files["G.csv"], "--method", "bootstrap"],
                               {"--seed": INT, "--confidence": REAL}),
        "validate-wl": (["validate", "wl", "--data", files["G.csv"], "--spinless"],
                        {"--L-phi": REAL, "--rtol": REAL, "--confidence": REAL, "--prediction": REAL,
                         "--so": RATE, "--columns": TEXT}),
        # issue 19: geometry-specific predictions of a simulated strip
        "validate-geometry": (["validate", "ucf", "--data", files["G.csv"], "--spinless", "--geometry", "16,64",
                               "--channels", "20"],
                              {"--geometry": LIST, "--mean-free-path": REAL, "--channels": INT}),
        "validate-wl-flux": (["validate", "wl", "--data", files["G.csv"], "--spinless", "--geometry", "16,64",
                              "--flux", "0.001", "--mean-free-path", "5"],
                             {"--geometry": LIST, "--flux": REAL, "--mean-free-path": REAL, "--channels": INT}),
        "smatrix": (["smatrix", "--file", files["S.json"]],
                    {"--from-lead": INT, "--to-lead": INT, "--spin-degeneracy": INT, "--atol": REAL}),
        "onsager": (["onsager", "--file", files["onsager.json"]], {"--atol": REAL}),
        "ring-contacted": (["ring", "--L-phi", "1", "--L-T", "0.5"],
                           {"--L-phi": REAL, "--so": RATE, "--mag": RATE, "--lead-length": REAL, "--L-T": REAL,
                            "--harmonics": WORK}),
        "ring-contacted-dps": (["ring", "--L-phi", "1", "--dps", "20"],
                               {"--L-phi": REAL, "--lead-length": REAL, "--dps": WORK, "--so": RATE}),
        "ring-cylinder": (["ring", "--geometry", "cylinder", "--L-phi", "1", "--flux=0,0.25"],
                          {"--L-phi": REAL, "--flux": LIST, "--thickness": REAL, "--so": RATE, "--mag": RATE,
                           "--harmonics": WORK}),
        "ring-zeeman": (["ring", "--geometry", "ring", "--L-phi", "1", "--so", "2", "--zeeman", "0.5,0,1",
                         "--flux=0,0.25,0.7"],
                        {"--zeeman": LIST, "--flux": LIST, "--so": RATE, "--L-phi": REAL}),
        "ring-closed-dps": (["ring", "--geometry", "ring", "--L-phi", "1", "--flux=0.1", "--dps", "15"],
                            {"--L-phi": REAL, "--flux": LIST, "--width": REAL, "--dps": WORK}),
        "distribution": (["distribution", "--V", "2e-4", "--T", "0.1", "--kappa", "0.5", "--tau-D", "1.5", "--x",
                          "0.5", "--n-x", "8", "--energy-step", "0.04", "--max-seconds", "2"],
                         {"--V": REAL, "--T": REAL, "--kappa": REAL, "--alpha": REAL, "--tau-D": REAL, "--x": LIST,
                          "--n-x": WORK, "--energy-step": REAL, "--rows": INT, "--tau-phi": REAL,
                          "--max-seconds": REAL}),
        "distribution-hot": (["distribution", "--V", "2e-4", "--relaxation", "hot"],
                             {"--V": REAL, "--T": REAL, "--x": LIST, "--energy-step": REAL, "--rows": INT}),
        "ring-fit": (["ring-fit", "--data", files["amp.csv"], "--probe", "aas-cylinder", "--D", "0.01",
                      "--circumference", "2e-6", "--tau-E", "1"],
                     {"--D": REAL, "--circumference": REAL, "--so": RATE, "--tau-E": REAL, "--columns": TEXT}),
        "ring-fit-ring": (["ring-fit", "--data", files["amp.csv"], "--probe", "aas-ring", "--D", "0.01",
                           "--circumference", "2e-6"],
                          {"--lead-length": REAL, "--mag": RATE, "--harmonic": INT}),
        "ring-fit-nyquist": (["ring-fit", "--data", files["amp.csv"], "--probe", "aas-cylinder", "--D", "0.01",
                              "--circumference", "2e-6", "--law", "nyquist+saturation", "--R-sheet", "50"],
                             {"--R-sheet": REAL}),
        "distribution-fit": (["distribution-fit", "--data", files["f.csv"], "--x", "0.5", "--V", "2e-4", "--tau-D", "5",
                              "--kappa-tilde-max", "0.01", "--tau-phi", "0.1"],
                             {"--x": REAL, "--V": REAL, "--T": REAL, "--tau-D": REAL, "--alpha": REAL,
                              "--tau-phi": REAL, "--max-seconds": REAL, "--columns": TEXT}),
        "ee-2d": (["ee", "--dim", "2", "--T", "1", "--tau", "7.6e-14", "--F0-sigma", "-0.25", "--g-factor", "2",
                   "--B", "1.5", "--sigma", "20"],
                  {"--dim": INT, "--T": LIST, "--tau": REAL, "--F0-sigma": REAL, "--g-factor": REAL, "--B": REAL,
                   "--sigma": REAL}),
        "ee-3d": (["ee", "--dim", "3", "--T", "1", "--D", "1e-4", "--F", "0.5", "--g-factor", "2", "--B", "1.5"],
                  {"--T": REAL, "--D": REAL, "--F": REAL, "--g-factor": REAL, "--B": REAL}),
        "ee-dps": (["ee", "--dim", "1", "--T", "1", "--D", "1e-3", "--F", "0.5", "--g-factor", "2", "--B", "1.5",
                    "--sigma", "1e-6", "--dps", "20"],
                   {"--T": REAL, "--D": REAL, "--F": REAL, "--B": REAL, "--sigma": REAL, "--dps": WORK}),
        # issue 14: Zeeman, field units
        "channels-zeeman": (["channels", "--kind", "cooperon", "--so", "1,1,1", "--phi", "0.1", "--zeeman", "0,0,0.5"],
                            {"--zeeman": LIST, "--so": RATE, "--phi": RATE}),
        "mc-zeeman": (["mc", "--D", "0.001", "--so", "4e11", "--phi", "1e10", "--g-factor", "2", "--B-inplane", "0.5",
                       "--B", "0.01,0.1"],
                      {"--g-factor": REAL, "--B-inplane": REAL, "--B": LIST, "--D": REAL, "--so": RATE}),
        "mc-fields": (["mc", "--B-phi", "1e-3", "--B-so", "0.05", "--B", "0.01,0.1"],
                      {"--B-phi": REAL, "--B-so": RATE, "--B-mag": RATE, "--B": LIST}),
        "ucf-zeeman": (["ucf", "--shape", "1", "--zeeman", "2"],
                       {"--zeeman": LIST, "--so": RATE, "--delta-E": REAL, "--L-phi": REAL}),
        # the Zeeman mpmath path: a tiny splitting once needed ~600 extra digits (minutes); now a capped estimate
        "mc-zeeman-dps": (["mc", "--D", "0.01", "--so", "1e11", "--phi", "1e10", "--g-factor", "2", "--B", "0.01",
                           "--dps", "15"],
                          {"--g-factor": REAL, "--B": LIST, "--dps": WORK, "--so": RATE}),
        # issue 13: the derivation for the user's parameters (exact rationals; ~2 s of SymPy per accepted call)
        "derive-zeeman": (["derive", "cooperon-spin", "--so", "1", "--zeeman", "0.5", "--format", "markdown",
                           "--out", str(Path(files["mc.csv"]).parent / "derive")],
                          {"--so": RATE, "--mag": RATE, "--zeeman": LIST, "--jobs": WORK}),
        # issue 16: Dirac materials
        "mc-graphene": (["mc", "--dim", "2", "--model", "graphene", "--B-phi", "0.002", "--B-intervalley", "0.02",
                         "--B-intravalley", "0.2", "--B", "0.001,0.01"],
                        {"--B-phi": LIST, "--B-intervalley": REAL, "--B-intravalley": REAL, "--B": LIST}),
        "mc-ti-surface": (["mc", "--model", "ti-surface", "--B-phi", "0.005", "--mass-ratio", "0.3", "--B-elastic",
                           "1", "--B", "0.01", "--dps", "15"],
                          {"--B-phi": LIST, "--mass-ratio": REAL, "--B-elastic": REAL, "--B": LIST, "--dps": WORK}),
        "mc-ti-film": (["mc", "--model", "ti-film", "--B-phi", "0.003,0.01", "--B-tunnel", "0.02", "--B", "0.01"],
                       {"--B-phi": LIST, "--B-tunnel": REAL, "--B": LIST}),
        "channels-graphene": (["channels", "--model", "graphene", "--B-phi", "0.002", "--B-intervalley", "0.02",
                               "--B-intravalley", "0.2"],
                              {"--B-phi": LIST, "--B-intervalley": REAL, "--B-intravalley": REAL}),
    }


def _with(base, option, value):
    """``base`` with ``option`` set to ``value`` (replaced if present; written ``--opt=value`` so that a value
    starting with '-' stays a value)."""
    argv = list(base)
    if option in argv:
        i = argv.index(option)
        del argv[i:i + 2]
    return [*argv, f"{option}={value}", "--json"]


CASE_NAMES = ["scales", "dephasing-film", "dephasing-wire", "channels", "mc-2d", "mc-dps", "mc-ilp", "mc-ilp-dps",
              "mc-1d", "mc-3d",
              "wl-wire", "wl-film", "ucf", "ucf-box", "ucf-half-widths", "beta", "flow", "landauer", "rmt",
              "rmt-sample", "fit", "fit-wire", "fit-ilp", "validate-ucf", "validate-bootstrap", "validate-wl",
              "validate-geometry", "validate-wl-flux", "smatrix",
              "onsager", "ring-contacted", "ring-contacted-dps", "ring-cylinder", "ring-closed-dps", "ring-zeeman",
              "distribution", "distribution-hot", "ring-fit", "ring-fit-ring", "ring-fit-nyquist", "distribution-fit",
              "ee-2d", "ee-3d", "ee-dps", "channels-zeeman", "mc-zeeman", "mc-fields", "ucf-zeeman",
              "mc-zeeman-dps", "mc-graphene", "mc-ti-surface", "mc-ti-film", "channels-graphene",
              "derive-zeeman"]
#: random hostile inputs tried per command variant (fewer where one accepted call costs ~0.5 s)
EXAMPLES = {"ucf-half-widths": 6, "ucf": 12, "ucf-box": 12, "validate-ucf": 12, "validate-bootstrap": 10,
            "fit": 12, "fit-wire": 8, "flow": 15, "ring-contacted": 10, "ring-contacted-dps": 6, "ring-cylinder": 10,
            "ring-closed-dps": 6, "distribution": 10, "distribution-hot": 8, "ring-fit": 10, "distribution-fit": 10,
            "ring-fit-ring": 6, "fit-ilp": 8, "mc-ilp-dps": 10, "mc-zeeman": 12, "ucf-zeeman": 10,
            "channels-zeeman": 12, "validate-geometry": 12, "validate-wl-flux": 8, "mc-zeeman-dps": 10,
            "derive-zeeman": 4}
DEFAULT_EXAMPLES = 20


@pytest.mark.parametrize("case", CASE_NAMES)
def test_every_numeric_option_refuses_or_answers_finitely(case, files):
    base, options = _cases(files)[case]
    status, out, err, _ = run_cli([*base, "--json"])
    assert status == 0, f"the base command line of {case} must work: {err}"
    tried = []

    examples = EXAMPLES.get(case, DEFAULT_EXAMPLES)

    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck))  # profile: conftest
    @given(data=st.data())
    def check(data):
        option = data.draw(st.sampled_from(sorted(options)), label="option")
        value = data.draw(options[option], label="value")
        argv = _with(base, option, value)
        status, out, err, _ = run_cli(argv)
        tried.append(assert_clean(argv, status, out, err))

    check()
    assert len(tried) >= examples // 2


#: the fixed hostile values tried for every option of every variant, by kind of option
CORE = {
    "real": ["", "nan", "-inf", "Infinity", "1e400", "-1e400", "1e308", "-1e308", "5e-324", "-0", "1_0", "0x10",
             "\u0663", "1" * 5000, "abc"],
    "int": ["-1", "0", "1.0", "9" * 19, "9" * 5000, "1_000", "0x10", "nan", ""],
    "list": ["1,", "1,nan", "1,1e400", ",".join(["1"] * 200_000), "1,2,3,4", "-1,1", "1e308,1e308,1e308",
             "5e-324,5e-324", "", "inf"],
    "text": ["", "x" * 5000, "\x00"],
}


def _kind(strategy) -> str:
    if strategy in (INT, WORK):
        return "int"
    if strategy in (LIST, RATE):
        return "list"
    if strategy is TEXT:
        return "text"
    return "real"


@pytest.mark.parametrize("case", CASE_NAMES)
def test_fixed_hostile_strings(case, files):
    """Every core hostile value once per option (no randomness): the same promise."""
    base, options = _cases(files)[case]
    for option, strategy in sorted(options.items()):
        for value in CORE[_kind(strategy)]:
            argv = _with(base, option, value)
            status, out, err, _ = run_cli(argv)
            assert_clean(argv, status, out, err)


@pytest.mark.parametrize("case", ["ucf", "validate-ucf"])
def test_tiny_thermal_length_answers_fast(case, files):
    """Once a hang (the heat-trace nodes of integrals/epstein.py doubled forever for L_T < ~1e-150)."""
    argv = _with(_cases(files)[case][0], "--L-T", "1e-300")
    status, out, err, _ = run_cli(argv, budget=3.0)
    assert_clean(argv, status, out, err)


def test_zeeman_dps_cap_holds_for_the_whole_list_of_fields():
    """mc --dps evaluates one field at a time (progress); the API's work cap must still cover all of them."""
    fields = ",".join(f"{0.01 * (k + 1):g}" for k in range(60))
    argv = ["mc", "--D", "0.01", "--phi", "1e10", "--so", "1e11", "--g-factor", "2", f"--B={fields}", "--dps", "15"]
    status, out, err, _ = run_cli(argv, budget=5.0)   # CPU seconds: refused before the work (60 x 0.44 s)
    assert assert_clean(argv, status, out, err) == "refused" and "60 field(s)" in err, err


def test_hostile_input_counts():
    """The numbers the report quotes: fixed hostile values per option kind, and options covered."""
    cases = _cases({k: "f" for k in ("mc.csv", "G.csv", "T.json", "onsager.json", "S.json", "amp.csv", "f.csv")})
    n_options = sum(len(o) for _, o in cases.values())
    n_fixed = sum(len(CORE[_kind(s)]) for _, o in cases.values() for s in o.values())
    assert len(cases) == len(CASE_NAMES) and n_options >= 90 and n_fixed >= 1000
