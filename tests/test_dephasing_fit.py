"""tau_phi(T) from oscillation amplitudes versus temperature (mesocorr.dephasing_fit).

Independent routes: synthetic amplitudes from the public probes (mesocorr.aas_harmonics, mesocorr.ab_harmonics)
with a known law, recovered by the fit; the parameter errors against a closed-form weighted linear regression of
the pointwise ln(1/tau_phi) on ln T (first-order error propagation, a different algorithm).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from mesocorr.dephasing_fit import dephasing_time, fit_dephasing
from mesocorr.rings import aas_harmonics, ab_harmonics
from mesocorr.units import E_CHARGE, HBAR, K_B

D, L = 0.01, 2e-6


def _cylinder_amplitudes(T, law, params, nyquist=None):
    tau = dephasing_time(T, law, params, nyquist)
    return np.array([abs(aas_harmonics(math.sqrt(D * t) / L, n_harmonics=1)[0]["amplitude"]) for t in tau])


def test_power_law_recovered_from_the_cylinder_h2e_amplitude():
    T = np.array([0.5, 1.0, 2.0, 4.0, 8.0])
    amp = _cylinder_amplitudes(T, "power", {"a": 2e9, "p": 0.8})
    r = fit_dephasing(T, amp, probe="aas-cylinder", D=D, circumference=L)
    assert r.params["a"]["value"] == pytest.approx(2e9, rel=1e-8)
    assert r.params["p"]["value"] == pytest.approx(0.8, rel=1e-8)
    for row, t in zip(r.tau_phi, dephasing_time(T, "power", {"a": 2e9, "p": 0.8})):
        assert row["tau_phi"] == pytest.approx(t, rel=1e-8)
    for pw, t in zip(r.pointwise, dephasing_time(T, "power", {"a": 2e9, "p": 0.8})):
        assert pw["tau_phi"] == pytest.approx(t, rel=1e-9)
    assert r.predict(T) == pytest.approx(amp, rel=1e-8)


def test_saturating_law_recovered_from_the_ring_h_over_e_rms():
    """Sample-specific h/e rms of a ring between leads, thermally averaged (L_T = sqrt(hbar D/k_B T)), with
    1/tau_phi = a T + 1/tau_sat: the synthetic data come from mesocorr.ab_harmonics."""
    Lr = 1e-6
    T = np.array([0.1, 0.3, 0.9, 2.7])
    law = {"a": 3e9, "p": 1.0, "tau_sat": 2e-9}
    tau = dephasing_time(T, "power+saturation", law)
    LT = np.sqrt(HBAR * D / (K_B * T)) / Lr
    amp = np.array([ab_harmonics(math.sqrt(D * t) / Lr, L_T=lt, n_harmonics=1).harmonics[0]["rms"]
                    for t, lt in zip(tau, LT)])
    r = fit_dephasing(T, amp, probe="ab-ring", D=D, circumference=Lr, law="power+saturation",
                      p0={"a": 1e9, "p": 1.2, "tau_sat": 1e-9}, sigma=0.01 * amp)
    for k, v in law.items():
        assert r.params[k]["value"] == pytest.approx(v, rel=1e-6)
    assert r.chi2 < 1e-10 and not r.warnings


def test_errors_agree_with_a_weighted_linear_regression():
    """Noisy data (1 %, seeded): the nonlinear fit of the power law and the closed-form weighted regression of
    the pointwise ln(1/tau_phi) = ln a + p ln T (weights from the propagated pointwise errors) agree in value
    and standard error to first order in the noise."""
    rng = np.random.default_rng(2020)
    T = np.array([0.5, 0.8, 1.3, 2.0, 3.2, 5.0, 8.0])
    amp0 = _cylinder_amplitudes(T, "power", {"a": 2e9, "p": 1.0})
    sigma = 0.01 * amp0
    amp = amp0 + sigma * rng.standard_normal(T.size)
    r = fit_dephasing(T, amp, probe="aas-cylinder", D=D, circumference=L, sigma=sigma)
    x = np.log(T)
    y = np.log([1 / p["tau_phi"] for p in r.pointwise])
    w = 1 / np.array([p["tau_phi_stderr"] / p["tau_phi"] for p in r.pointwise]) ** 2
    A = np.vstack([np.ones_like(x), x]).T
    cov = np.linalg.inv(A.T @ (w[:, None] * A))
    coef = cov @ A.T @ (w * y)
    assert r.params["p"]["value"] == pytest.approx(coef[1], abs=0.05 * math.sqrt(cov[1, 1]))
    assert r.params["p"]["stderr"] == pytest.approx(math.sqrt(cov[1, 1]), rel=0.03)
    assert r.params["a"]["stderr"] / r.params["a"]["value"] == pytest.approx(math.sqrt(cov[0, 0]), rel=0.03)
    assert abs(r.params["p"]["value"] - 1.0) < 4 * r.params["p"]["stderr"]


def test_out_of_range_amplitudes_are_reported():
    T = np.array([0.5, 1.0, 2.0, 4.0])
    amp = _cylinder_amplitudes(T, "power", {"a": 2e9, "p": 1.0})
    amp[0] = 50.0                                   # larger than any L_phi < 1e3 L gives
    r = fit_dephasing(T, amp, probe="aas-cylinder", D=D, circumference=L)
    assert r.pointwise[0] is None and any("pointwise" in w for w in r.warnings)
    with pytest.raises(ValueError, match="fit"):
        fit_dephasing(T, amp, probe="aas-cylinder", D=D, circumference=L, strict=True)


@pytest.mark.parametrize("kwargs, exc, word", [
    (dict(T=[1, 2, 3], amplitude=[0.1, 0.2]), ValueError, "amplitude"),
    (dict(T=[-1, 2, 3], amplitude=[0.1, 0.2, 0.3]), ValueError, "T"),
    (dict(T=[1, 2, 3], amplitude=[0.1, 0.2, 0.3], probe="squid"), ValueError, "probe"),
    (dict(T=[1, 2, 3], amplitude=[0.1, 0.2, 0.3], law="exp"), ValueError, "law"),
    (dict(T=[1, 2], amplitude=[0.1, 0.2]), ValueError, "T"),
    (dict(T=[1, 2, 3], amplitude=[0.1, 0.2, 0.3], sigma=0.0), ValueError, "sigma"),
    (dict(T=[1, 2, 3], amplitude=[0.1, 0.2, 0.3], spinless="no"), TypeError, "spinless"),
    (dict(T=[1, 2, 3], amplitude=[0.1, 0.2, 0.3], p0={"a": 1.0}), ValueError, "p0"),
])
def test_bad_input(kwargs, exc, word):
    with pytest.raises(exc, match=word):
        fit_dephasing(probe=kwargs.pop("probe", "aas-cylinder"), D=D, circumference=L, **kwargs)


def test_nyquist_law_is_the_aak_rate():
    """The nyquist law with c = 1 for a wire is a power law with p = 2/3 and the AAK prefactor
    a = [(R/L) e^2 sqrt(D) k_B / (2 sqrt 2 hbar^2)]^(2/3) (Altshuler, Aronov, Khmelnitsky 1982; Pierre et al.
    2003, eq. 3), written out here: the power-law fit of its amplitudes recovers both; the nyquist+saturation
    fit of film data recovers c and tau_sat."""
    T = np.array([0.3, 0.6, 1.2, 2.4, 4.8])
    RL = 1e8
    wire = {"dim": 1, "resistance_per_length": RL, "diffusion_constant": D}
    amp = _cylinder_amplitudes(T, "nyquist", {"c": 1.0}, wire)
    r = fit_dephasing(T, amp, probe="aas-cylinder", D=D, circumference=L, law="power")
    a_aak = (RL * E_CHARGE**2 * math.sqrt(D) * K_B / (2 * math.sqrt(2) * HBAR**2)) ** (2 / 3)
    assert r.params["a"]["value"] == pytest.approx(a_aak, rel=1e-9)
    assert r.params["p"]["value"] == pytest.approx(2 / 3, rel=1e-9)
    r = fit_dephasing(T, amp, probe="aas-cylinder", D=D, circumference=L, law="nyquist",
                      nyquist={"dim": 1, "resistance_per_length": RL})     # diffusion_constant defaults to D
    assert r.params["c"]["value"] == pytest.approx(1.0, rel=1e-9)
    film = {"dim": 2, "sheet_resistance": 50.0}
    amp = _cylinder_amplitudes(T, "nyquist+saturation", {"c": 1.7, "tau_sat": 3e-10}, film)
    r = fit_dephasing(T, amp, probe="aas-cylinder", D=D, circumference=L, law="nyquist+saturation", nyquist=film)
    assert r.params["c"]["value"] == pytest.approx(1.7, rel=1e-9)
    assert r.params["tau_sat"]["value"] == pytest.approx(3e-10, rel=1e-9) and not r.warnings
    for bad, word in (({"dim": 3}, "dim"), ({"dim": 2}, "sheet_resistance"), ({"dim": 1, "x": 1}, "unknown")):
        with pytest.raises(ValueError, match=word):
            fit_dephasing(T, amp, probe="aas-cylinder", D=D, circumference=L, law="nyquist", nyquist=bad)
    with pytest.raises(ValueError, match="nyquist"):
        fit_dephasing(T, amp, probe="aas-cylinder", D=D, circumference=L, law="power", nyquist=film)


def test_cli_ring_fit(tmp_path, capsys):
    """``mesocorr ring-fit`` on a CSV of noise-free cylinder amplitudes recovers the law they were made with, and
    the verdict against an energy relaxation time 100x the longest tau_phi is pure dephasing."""
    import json

    from mesocorr.cli import main

    T = np.array([0.5, 1.0, 2.0, 4.0, 8.0])
    amp = _cylinder_amplitudes(T, "power", {"a": 2e9, "p": 0.8})
    path = tmp_path / "amp.csv"
    path.write_text("T,A,dA\n" + "".join(f"{t!r},{a!r},{0.01 * a!r}\n" for t, a in zip(T.tolist(), amp.tolist())))
    tau = dephasing_time(T, "power", {"a": 2e9, "p": 0.8})
    argv = ["ring-fit", "--data", str(path), "--columns", "T,A,dA", "--probe", "aas-cylinder", "--D", str(D),
            "--circumference", str(L), "--tau-E", repr(100e9 * float(tau.max())), "--json"]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"probe", "law", "params", "tau_phi", "pointwise", "chi2_red", "verdict", "warnings"} <= set(out)
    assert out["params"]["a"]["value"] == pytest.approx(2e9, rel=1e-7)
    assert out["params"]["p"]["value"] == pytest.approx(0.8, rel=1e-7)
    assert [row["tau_phi"] for row in out["tau_phi"]] == pytest.approx(tau, rel=1e-7)
    assert all(v["verdict"] == "pure dephasing" for v in out["verdict"])
    assert main(["ring-fit", "--data", str(path), "--columns", "T", "--D", "0.01", "--circumference", "1e-6"]) == 2
    assert capsys.readouterr().err.startswith("error: columns")
    film = {"dim": 2, "sheet_resistance": 50.0}
    amp = _cylinder_amplitudes(T, "nyquist", {"c": 2.5}, film)
    path.write_text("T,A\n" + "".join(f"{t!r},{a!r}\n" for t, a in zip(T.tolist(), amp.tolist())))
    assert main(["ring-fit", "--data", str(path), "--columns", "T,A", "--probe", "aas-cylinder", "--D", str(D),
                 "--circumference", str(L), "--law", "nyquist", "--R-sheet", "50", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["params"]["c"]["value"] == pytest.approx(2.5, rel=1e-8)
    assert main(["ring-fit", "--data", str(path), "--D", "0.01", "--circumference", "1e-6", "--law", "nyquist"]) == 2
    assert capsys.readouterr().err.startswith("error: --law")


def test_readme_data_file_is_the_stated_law():
    """docs/data/cylinder-h2e-amplitudes.csv (the README's ring-fit example) holds the stated synthetic law within
    its 1 % noise, and the fit recovers c = 1.5 and tau_sat = 2 ns within three standard errors."""
    from pathlib import Path

    from mesocorr.ensembles import read_csv_columns

    path = Path(__file__).resolve().parents[1] / "docs" / "data" / "cylinder-h2e-amplitudes.csv"
    data = read_csv_columns(str(path), ["T", "amplitude", "sigma"])
    film = {"dim": 2, "sheet_resistance": 50.0}
    exact = _cylinder_amplitudes(data["T"], "nyquist+saturation", {"c": 1.5, "tau_sat": 2e-9}, film)
    assert np.all(np.abs(data["amplitude"] - exact) < 4 * data["sigma"])
    r = fit_dephasing(data["T"], data["amplitude"], probe="aas-cylinder", D=D, circumference=L, sigma=data["sigma"],
                      law="nyquist+saturation", nyquist=film)
    assert abs(r.params["c"]["value"] - 1.5) < 3 * r.params["c"]["stderr"]
    assert abs(r.params["tau_sat"]["value"] - 2e-9) < 3 * r.params["tau_sat"]["stderr"]

