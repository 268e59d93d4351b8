"""Tests of mesocorr.fitting: models against the HLN closed form, recovery and error coverage, error paths."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import digamma

from mesocorr.cli import main
from mesocorr.fitting import field_to_length, field_to_rate, fit_magnetoconductance, model_function
from mesocorr.units import E_CHARGE, HBAR
from mesocorr.wl import magnetoconductance


def hln_closed_form(B, B_phi, B_so=0.0, alpha=None):
    """Hikami-Larkin-Nagaoka, Prog. Theor. Phys. 63, 707 (1980), Eq. (18), isotropic spin-orbit, in e²/h.

    With B_so = ħ/(4eDτ_so) for the TOTAL isotropic spin-orbit time (Bergmann, Phys. Rep. 107, 1 (1984),
    Eq. (6.6)): Δσ = (1/π)[(3/2) F(B/(B_phi + 4/3 B_so)) − (1/2) F(B/B_phi)], F(x) = ln x + ψ(1/2 + 1/x);
    e²/(2π²ħ) = (1/π) e²/h. Only used where the textbook form does not cancel (B/B_c ≳ 0.05).
    """
    B = np.abs(np.asarray(B, dtype=float))

    def F(x):
        return np.log(x) + digamma(0.5 + 1.0 / x)

    if alpha is not None:  # one-parameter form: alpha (1/π)[ψ(1/2 + B_phi/B) − ln(B_phi/B)]
        return alpha / np.pi * (digamma(0.5 + B_phi / B) - np.log(B_phi / B))
    return (1.5 * F(B / (B_phi + 4.0 / 3.0 * B_so)) - 0.5 * F(B / B_phi)) / np.pi


B_GRID = np.linspace(-0.1, 0.1, 61)


# --------------------------------------------------------------------------------- models
def test_hln_model_matches_closed_form():
    B = np.geomspace(1e-4, 0.1, 30)
    got = model_function("hln")(B, {"B_phi": 2e-3, "B_so": 1.5e-2})
    np.testing.assert_allclose(got, hln_closed_form(B, 2e-3, 1.5e-2), rtol=1e-10)  # textbook form cancels


def test_hln_alpha_sign_and_limits():
    B = np.geomspace(1e-4, 0.1, 30)
    wl = model_function("hln-alpha")(B, {"alpha": 1.0, "B_phi": 2e-3})
    np.testing.assert_allclose(wl, hln_closed_form(B, 2e-3, alpha=1.0), rtol=1e-10)  # textbook form cancels
    assert np.all(wl > 0)  # weak localization: positive magnetoconductance
    wal = model_function("hln-alpha")(B, {"alpha": -0.5, "B_phi": 2e-3})
    assert np.all(wal < 0)  # antilocalization cusp
    # alpha = 1 is the wl model; strong spin-orbit in hln tends to alpha = -1/2
    np.testing.assert_allclose(model_function("wl")(B, {"B_phi": 2e-3}), wl, rtol=1e-13)
    strong = model_function("hln")(B, {"B_phi": 2e-3, "B_so": 1e4})
    np.testing.assert_allclose(strong, wal, rtol=1e-3, atol=1e-9)


def test_field_parametrisation_equals_rates_with_any_D():
    # a model in characteristic fields = magnetoconductance with D = 1 and rates 4 e B_x / ħ
    D, phi, so, mag = 0.023, 3.1e10, 4.4e11, 2.0e9
    B = np.linspace(-0.2, 0.2, 41)
    ref = magnetoconductance(B, dim=2, D=D, phi=phi, so=so, mag=mag)
    fields = {k: HBAR * v / (4 * E_CHARGE * D) for k, v in (("B_phi", phi), ("B_so", so), ("B_mag", mag))}
    got = model_function("hln", magnetic=True)(B, fields)
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-16)
    assert float(field_to_rate(fields["B_phi"], D)) == pytest.approx(phi, rel=1e-14)
    assert float(field_to_length(fields["B_phi"])) == pytest.approx(np.sqrt(D / phi), rel=1e-14)
    # 3D: D-independent as well
    ref3 = magnetoconductance(B, dim=3, D=D, phi=phi, so=so)
    got3 = model_function("kawabata")(B, {k: fields[k] for k in ("B_phi", "B_so")})
    np.testing.assert_allclose(got3, ref3, rtol=1e-12, atol=1e-12 * np.max(np.abs(ref3)))


# --------------------------------------------------------------------------------- recovery
def test_noiseless_recovery_lengths_and_times():
    D, phi, so = 0.01, 4e10, 6e11
    y = magnetoconductance(B_GRID, dim=2, D=D, phi=phi, so=so)
    r = fit_magnetoconductance(B_GRID, y, model="hln", D=D)
    assert r.ok, r.warnings
    assert r.times["tau_phi"]["value"] == pytest.approx(1 / phi, rel=1e-7)
    assert r.times["tau_so"]["value"] == pytest.approx(1 / so, rel=1e-7)
    assert r.lengths["L_phi"]["value"] == pytest.approx(np.sqrt(D / phi), rel=1e-7)
    assert r.lengths["L_so"]["value"] == pytest.approx(np.sqrt(D / so), rel=1e-7)
    d = r.as_dict()
    json.dumps(d)
    assert set(d["params"]) == {"B_phi", "B_so"} and d["stderr_scaled_by_chi2_red"] is True


@pytest.mark.parametrize("model,true,kwargs", [
    ("wire", {"B_phi": 2e-3, "B_so": 1.5e-2}, {"width": 1e-7}),
    ("kawabata", {"B_phi": 2e-3, "B_so": 1.5e-2}, {}),
    ("hln-alpha", {"alpha": -0.5, "B_phi": 3e-3}, {}),
])
def test_other_models_recover_noiseless(model, true, kwargs):
    y = model_function(model, **kwargs)(B_GRID, true)
    r = fit_magnetoconductance(B_GRID, y, model=model, **kwargs)
    for k, v in true.items():
        assert r.value(k) == pytest.approx(v, rel=1e-6)


def _coverage(model, true, noise, n_seeds, use_sigma):
    f = model_function(model)
    y0 = f(B_GRID, true)
    inside = {k: 0 for k in true}
    for seed in range(n_seeds):
        y = y0 + np.random.default_rng(seed).normal(0.0, noise, B_GRID.size)
        r = fit_magnetoconductance(B_GRID, y, model=model, sigma=noise if use_sigma else None)
        assert r.ok, r.warnings
        for k, v in true.items():
            inside[k] += abs(r.value(k) - v) < r.stderr(k)
    return {k: c / n_seeds for k, c in inside.items()}


@pytest.mark.slow
def test_coverage_hln_scaled_errors():
    """200 noisy traces: the fraction of fits within 1 reported stderr is 0.683 (binomial SE 0.033)."""
    frac = _coverage("hln", {"B_phi": 2e-3, "B_so": 1.5e-2}, 0.01, 200, use_sigma=False)
    for k, f in frac.items():
        assert abs(f - 0.683) < 0.1, (k, f)


@pytest.mark.slow
def test_coverage_hln_alpha_absolute_errors():
    frac = _coverage("hln-alpha", {"alpha": -0.5, "B_phi": 3e-3}, 0.005, 200, use_sigma=True)
    for k, f in frac.items():
        assert abs(f - 0.683) < 0.1, (k, f)


def test_symmetrize_removes_odd_part_and_background():
    y_even = model_function("wl")(B_GRID, {"B_phi": 3e-3})
    y = y_even + 0.7 * B_GRID + 0.05  # Hall-like odd admixture and an offset
    r = fit_magnetoconductance(B_GRID, y, model="wl", symmetrize=True, background="offset")
    assert r.value("B_phi") == pytest.approx(3e-3, rel=1e-6)
    assert r.value("offset") == pytest.approx(0.05, rel=1e-6)
    assert r.n_points == 31  # 30 ± pairs + B = 0
    r2 = fit_magnetoconductance(B_GRID[:40], y[:40], model="wl", symmetrize=True, background="offset")
    assert any("no partner" in w for w in r2.warnings)


def test_quadratic_background_recovered():
    y = model_function("hln")(B_GRID, {"B_phi": 2e-3, "B_so": 1.5e-2}) - 3.0 * B_GRID**2
    r = fit_magnetoconductance(B_GRID, y, model="hln", background="quadratic")
    assert r.value("quadratic") == pytest.approx(-3.0, rel=1e-5)


# --------------------------------------------------------------------------------- errors and warnings
@pytest.mark.parametrize("kwargs,match", [
    ({"B": [0.01, 0.02], "delta_sigma": [0.1, 0.2]}, "data: need more finite points"),
    ({"B": B_GRID, "delta_sigma": np.zeros_like(B_GRID)}, "delta_sigma: all values are zero"),
    ({"B": np.zeros(10), "delta_sigma": np.ones(10)}, "B: all fields are zero"),
    ({"B": B_GRID, "delta_sigma": B_GRID[:-1]}, "delta_sigma: length"),
    ({"B": B_GRID, "delta_sigma": B_GRID**2, "model": "nope"}, "model:"),
    ({"B": B_GRID, "delta_sigma": B_GRID**2, "background": "cubic"}, "background:"),
    ({"B": B_GRID, "delta_sigma": B_GRID**2, "sigma": -1.0}, "sigma:"),
    ({"B": B_GRID, "delta_sigma": B_GRID**2, "model": "hln-alpha", "magnetic": True}, "magnetic:"),
    ({"B": B_GRID, "delta_sigma": B_GRID**2, "model": "wire"}, "width:"),
    ({"B": B_GRID, "delta_sigma": B_GRID**2, "model": "wl", "p0": {"B_so": 1.0}}, "p0:"),
    ({"B": B_GRID, "delta_sigma": B_GRID**2, "D": -1.0}, "D:"),
])
def test_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        fit_magnetoconductance(**kwargs)


def test_nonfinite_rows_dropped_with_warning():
    y = model_function("wl")(B_GRID, {"B_phi": 3e-3})
    y[[3, 7]] = np.nan
    r = fit_magnetoconductance(B_GRID, y, model="wl")
    assert r.n_dropped == 2 and r.n_points == B_GRID.size - 2
    assert any("dropped 2 row" in w for w in r.warnings)
    assert r.value("B_phi") == pytest.approx(3e-3, rel=1e-6)


def test_unresolved_spin_orbit_is_flagged_not_silent():
    # pure weak localization fitted with hln: B_so -> 0 is not resolved
    rng = np.random.default_rng(3)
    y = model_function("wl")(B_GRID, {"B_phi": 1e-3}) + rng.normal(0, 0.01, B_GRID.size)
    r = fit_magnetoconductance(B_GRID, y, model="hln", sigma=0.01)
    assert not r.ok and any("B_so" in w for w in r.warnings)
    with pytest.raises(ValueError, match="fit:"):
        fit_magnetoconductance(B_GRID, y, model="hln", sigma=0.01, strict=True)


def test_degenerate_background_flagged():
    # fields far below B_phi: the trace is a pure B^2 law, indistinguishable from the quadratic background
    B = np.linspace(-1e-4, 1e-4, 41)
    y = model_function("wl")(B, {"B_phi": 1e-2})
    r = fit_magnetoconductance(B, y, model="wl", background="quadratic")
    assert any("identifiability" in w or "bound" in w or "poorly" in w for w in r.warnings), r.warnings


def test_bad_chi2_flagged_when_sigma_given():
    y = model_function("wl")(B_GRID, {"B_phi": 3e-3}) + np.random.default_rng(0).normal(0, 0.01, B_GRID.size)
    r = fit_magnetoconductance(B_GRID, y, model="wl", sigma=1e-4)
    assert any("goodness of fit" in w for w in r.warnings)
    assert r.stderr_scaled is False


# --------------------------------------------------------------------------------- CLI
def _write(tmp_path, B, y, name="mc.csv", header="B,delta_sigma"):
    p = tmp_path / name
    p.write_text(header + "\n" + "\n".join(f"{float(b)!r},{float(v)!r}" for b, v in zip(B, y)) + "\n")
    return p


def test_cli_fit_json(tmp_path, capsys):
    D, phi, so = 0.01, 4e10, 6e11
    y = magnetoconductance(B_GRID, dim=2, D=D, phi=phi, so=so)
    p = _write(tmp_path, B_GRID, y)
    assert main(["fit", "--data", str(p), "--model", "hln", "--D", "0.01", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out["params"]) == {"B_phi", "B_so"}
    assert out["params"]["B_phi"]["value"] == pytest.approx(HBAR * phi / (4 * E_CHARGE * D), rel=1e-7)
    assert "stderr" in out["params"]["B_so"] and "chi2_red" in out
    assert out["times"]["tau_phi"]["value"] == pytest.approx(1 / phi, rel=1e-7)
    assert main(["fit", "--data", str(p), "--model", "wl"]) == 0  # human table
    assert "B_phi" in capsys.readouterr().out


@pytest.mark.parametrize("setup,args,match", [
    (None, ["--data", "nonexistent_xyz.csv"], "data: no such file"),
    ("mc", ["--columns", "B,sigma_xx"], "data: column 'sigma_xx' not in"),
    ("bad", [], "data: line 3"),
    ("short", [], "data: need more finite points"),
    ("mc", ["--model", "cubic"], "invalid choice"),
    ("binary", [], "data: cannot read"),
])
def test_cli_fit_exit_2(tmp_path, capsys, setup, args, match):
    argv = ["fit"]
    if setup == "mc":
        argv += ["--data", str(_write(tmp_path, B_GRID, B_GRID**2))]
    elif setup == "bad":
        p = tmp_path / "bad.csv"
        p.write_text("B,delta_sigma\n0.1,0.2\n0.2,__import__('os')\n")
        argv += ["--data", str(p)]
    elif setup == "short":
        argv += ["--data", str(_write(tmp_path, [0.1, 0.2], [0.01, 0.02]))]
    elif setup == "binary":
        p = tmp_path / "bin.csv"
        p.write_bytes(b"\xff\xfe\x00\x81\x82 binary")
        argv += ["--data", str(p)]
    assert main(argv + args) == 2
    err = capsys.readouterr().err.strip()
    assert match in err and len(err.splitlines()) == 1


# --------------------------------------------------------------------------------- properties
@settings(deadline=None, max_examples=15, derandomize=True)
@given(log_phi=st.floats(-4.0, -2.0), log_ratio=st.floats(-0.5, 1.5), flip=st.booleans())
def test_roundtrip_noiseless_any_fields(log_phi, log_ratio, flip):
    """Noiseless hln data are recovered for B_so/B_phi over two decades, and the fit is even in B."""
    true = {"B_phi": 10.0**log_phi, "B_so": 10.0 ** (log_phi + log_ratio)}
    B = np.linspace(0.0, 0.1, 41) * (-1 if flip else 1)
    y = model_function("hln")(B, true)
    r = fit_magnetoconductance(B, y, model="hln")
    for k, v in true.items():
        assert r.value(k) == pytest.approx(v, rel=1e-5)


def test_fit_report_shows_the_fitted_numbers():
    """The report (str, HTML) carries the values, errors, fixed parameters, correlations and warnings of the fit."""
    B = np.linspace(-0.05, 0.05, 41)
    rng = np.random.default_rng(7)
    y = magnetoconductance(B, dim=2, D=0.01, phi=4e10, so=2e11) + rng.normal(0.0, 1e-3, B.size)
    r = fit_magnetoconductance(B, y, model="hln", D=0.01, sigma=1e-3)
    text = str(r)
    assert text == r.fit_report()
    for n in ("B_phi", "B_so"):
        assert f"{r.value(n):.6g}" in text and f"{r.stderr(n):.3g}" in text
    assert r.fixed == {"B_mag": 0.0} and "B_mag  0" in text and "fixed" in text
    assert f"reduced chi-square = {r.chi2_red:.6g}" in text and f"degrees of freedom = {r.dof}" in text
    rho = r.correlation[0, 1]
    assert f"C(B_phi, B_so) = {rho:+.4f}" in text
    assert "absolute: from the sigma given" in text and "(e^2/h)^2" not in text.split("\n")[3]
    assert f"{r.lengths['L_phi']['value']:.6g}" in text and f"{r.times['tau_so']['value']:.6g}" in text
    html = r._repr_html_()
    assert html.count("<table>") == 3 and f"<td>{r.value('B_phi'):.6g}</td>" in html and "<td>fixed</td>" in html


def test_fit_report_lists_warnings_and_fixed_fields():
    B = np.linspace(-0.05, 0.05, 41)
    y = magnetoconductance(B, dim=2, D=0.01, phi=4e10)
    r = fit_magnetoconductance(B, y, model="wl")
    assert r.fixed == {"B_so": 0.0, "B_mag": 0.0}
    r.warnings.append("identifiability: <test> & co")
    assert "    identifiability: <test> & co" in str(r)
    assert "<li>identifiability: &lt;test&gt; &amp; co</li>" in r._repr_html_()
    assert "scaled by sqrt(chi2_red)" in str(r)


def test_symmetrize_equals_a_plain_grouping_loop():
    """symmetrize=True (one sort, bincount over the groups) against a Python loop over the distinct |B| (rounded to
    12 digits): the same fields, averages, combined uncertainties (sqrt(sum s^2)/n) and the count of unpaired
    fields, with repeated fields and fields without a partner at -B."""
    rng = np.random.default_rng(3)
    half = np.round(np.linspace(1e-3, 0.1, 60), 12)
    B = np.r_[half, -half[:50], half[:7]]                  # 10 unpaired, 7 repeated
    y = model_function("wl")(B, {"B_phi": 3e-3}) + 0.01 * B + rng.normal(0, 1e-3, B.size)
    sig = rng.uniform(1e-3, 2e-3, B.size)
    perm = rng.permutation(B.size)
    r = fit_magnetoconductance(B[perm], y[perm], model="wl", symmetrize=True, sigma=sig[perm])
    groups: dict = {}
    for b, v, e in zip(B, y, sig):
        groups.setdefault(round(abs(b), 12), []).append((b, v, e))
    keys = sorted(groups)
    np.testing.assert_allclose(r.B, keys, rtol=1e-15)
    np.testing.assert_allclose(r.delta_sigma, [np.mean([v for _, v, _ in groups[k]]) for k in keys], rtol=1e-13)
    unpaired = sum(1 for k in keys if not (any(b > 0 for b, _, _ in groups[k]) and any(b < 0 for b, _, _ in groups[k])))
    assert unpaired == 10 and any(f"{unpaired} of {len(keys)} fields have no partner" in w for w in r.warnings)
    # the errors: chi2 with the combined sigma equals the sum over groups recomputed here
    s_group = np.array([np.sqrt(sum(e**2 for _, _, e in groups[k])) / len(groups[k]) for k in keys])
    resid = (r.delta_sigma - r.predict(r.B)) / s_group
    assert r.chi2 == pytest.approx(float(resid @ resid), rel=1e-9)
