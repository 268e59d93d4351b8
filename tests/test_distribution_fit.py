"""tau_E from a measured distribution function (mesocorr.distribution_fit).

Independent routes: the synthetic data are solutions of the kinetic equation on a finer grid (twice the x
intervals, half the energy step: a different discretisation than the fit's model), with seeded noise; the exact
double step and the exact hot-electron Fermi function (no kappa fits them inside the range: the fit must report
a bound); tau_E against the closed form (2 - alpha)/(kappa (eV)^(2 - alpha)).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from mesocorr.cli import main
from mesocorr.distribution import wire_distribution
from mesocorr.distribution_fit import fit_distribution

V, T, TAU_D, KAPPA = 2e-4, 0.025, 5.0, 0.5


@pytest.fixture(scope="module")
def fine():
    r = wire_distribution(V, T, kappa=KAPPA, tau_D=TAU_D, x=0.5, n_x=24, energy_step=0.0025, error_estimate=False)
    E = r.E[::23]
    E = E[(E > -V) & (E < 2 * V)]
    return E, np.interp(E, r.E, r.f[0])


@pytest.mark.slow
def test_kappa_recovered_from_a_finer_solution(fine):
    """Noise-free data from the finer discretisation: kappa to its discretisation error (measured 0.5 %)."""
    E, f = fine
    r = fit_distribution(E, f, 0.5, V, T, tau_D=TAU_D)
    assert r.bound is None and not r.warnings
    assert r.kappa == pytest.approx(KAPPA, rel=0.01)
    assert r.tau_E == pytest.approx((2 - 1.5) / (r.kappa * (V / 1e-3) ** 0.5), rel=1e-12)
    assert r.tau_E_stderr / r.tau_E == pytest.approx(r.kappa_stderr / r.kappa, rel=1e-12)


@pytest.mark.slow
def test_limits_are_reported_as_bounds_and_the_readme_file(fine, capsys):
    """The exact double step: best at the lower end (tau_E only bounded below). The README's file
    (docs/data/wire-distribution-x05.csv: the finer solution plus seeded noise 0.01) through the CLI: kappa within
    three standard errors of the value it was made with, chi2_red near 1, and the verdict."""
    E, f = fine
    step = wire_distribution(V, T, relaxation="none", x=0.5)
    r = fit_distribution(E, np.interp(E, step.E, step.f[0]), 0.5, V, T, tau_D=TAU_D)
    assert r.bound == "tau_E_at_least" and r.kappa_stderr is None and any("range" in w for w in r.warnings)
    with pytest.raises(ValueError, match="fit: range"):
        fit_distribution(E, np.interp(E, step.E, step.f[0]), 0.5, V, T, tau_D=TAU_D, strict=True,
                         kappa_tilde_max=0.1)
    path = Path(__file__).resolve().parents[1] / "docs" / "data" / "wire-distribution-x05.csv"
    argv = ["distribution-fit", "--data", str(path), "--columns", "E,f,sigma", "--x", "0.5", "--V", str(V), "--T",
            str(T), "--tau-D", str(TAU_D), "--tau-phi", "0.1", "--json"]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert abs(out["kappa"] - KAPPA) < 3 * out["kappa_stderr"] and 0.005 < out["kappa_stderr"] < 0.1
    assert out["bound"] is None and 0.5 < out["chi2_red"] < 2.0
    assert out["verdict"]["verdict"] == "pure dephasing"
    assert out["verdict"]["ratio"] == pytest.approx(out["tau_E"] / 0.1, rel=1e-12)


@pytest.mark.parametrize("kwargs, exc, word", [
    (dict(E=[0.0, 1e-4], f=[1.0]), ValueError, "f"),
    (dict(E=[0.0], f=[1.0]), ValueError, "E"),
    (dict(E=[0.0, 1.0], f=[1.0, 0.0]), ValueError, "E"),
    (dict(x=1.0), ValueError, "x"),
    (dict(x=0.0), ValueError, "x"),
    (dict(sigma=0.0), ValueError, "sigma"),
    (dict(alpha=2.0), ValueError, "alpha"),
    (dict(kappa_tilde_max=1e5), ValueError, "kappa_tilde_max"),
    (dict(max_seconds=1e-3), ValueError, "max_seconds"),
    (dict(strict="yes"), TypeError, "strict"),
    (dict(E=[0.0, float("nan")], f=[1.0, 0.5]), ValueError, "E"),
])
def test_bad_input(kwargs, exc, word):
    base = dict(E=[0.0, 1e-4], f=[0.9, 0.4], x=0.5, V=V, T=T, tau_D=TAU_D)
    base.update(kwargs)
    with pytest.raises(exc, match=word):
        fit_distribution(**base)
