"""Distribution function of a biased diffusive wire (mesocorr.distribution, mesocorr.integrals.distribution).

Independent routes: the SymPy solutions of mesocorr.symbolic.distribution (dsolve of the no-scattering
equation, the Sommerfeld moments solved for T_e), the Wiedemann-Franz law with the Lorenz number built from
SI constants (Nagaev 1995; Steinbach, Martinis & Devoret 1996: T_e^2 = T^2 + x(1-x)V^2/L_0), exact moment
identities (particle and energy currents), linear response in the kernel strength, and grid refinement.
"""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pytest
import sympy as sp

from mesocorr.cli import main
from mesocorr.distribution import (MAX_KAPPA_TILDE, energy_relaxation_time, pure_dephasing_verdict,
                                   wire_distribution)
from mesocorr.integrals import distribution as N
from mesocorr.symbolic import distribution as S
from mesocorr.units import E_CHARGE, K_B


# ------------------------------------------------------------------ exact limits
def test_double_step_is_the_symbolic_solution():
    """relaxation='none' is f = (1 - x) f_L + x f_R (SymPy dsolve of d^2f/dx^2 = 0), at T > 0 as well."""
    V, T = 2e-4, 0.3
    r = wire_distribution(V, T, relaxation="none", x=(0.0, 0.3, 1.0))
    kT = K_B * T / (E_CHARGE * V)
    expr = S.double_step()
    x, E = S.SYMBOLS["x"], S.SYMBOLS["E"]
    fL = sp.Function("f_L")
    fR = sp.Function("f_R")
    f = sp.lambdify((x, E), expr.subs({fL(E): 1 / (sp.exp((E - 1) / kT) + 1), fR(E): 1 / (sp.exp(E / kT) + 1)}),
                    "numpy")
    for i, xv in enumerate(r.x):
        assert np.allclose(r.f[i], f(xv, r.E_over_eV), rtol=0, atol=1e-14)
    assert np.all(r.error == 0)


def test_hot_electron_profile_is_wiedemann_franz():
    """T_e(x)^2 = T^2 + x(1 - x) V^2 / L_0, L_0 = (pi^2/3)(k_B/e)^2 (the Lorenz number), and the SymPy
    solution of the two conservation laws gives the same profile."""
    V, T = 3e-4, 0.1
    xs = (0.1, 0.5, 0.9)
    r = wire_distribution(V, T, relaxation="hot", x=xs)
    L0 = math.pi**2 / 3 * (K_B / E_CHARGE) ** 2
    for Te, xv in zip(r.T_e, xs):
        assert Te == pytest.approx(math.sqrt(T**2 + xv * (1 - xv) * V**2 / L0), rel=1e-14)
    sym = S.hot_electron_temperature()
    Tt, eV, x = S.SYMBOLS["T"], S.SYMBOLS["eV"], S.SYMBOLS["x"]
    for Te, xv in zip(r.T_e, xs):
        val = float(sp.sqrt(sym.subs({Tt: K_B * T, eV: E_CHARGE * V, x: xv}))) / K_B
        assert Te == pytest.approx(val, rel=1e-14)
    # and f is the Fermi function at (mu(x) = (1 - x) eV, T_e(x))
    kTe = K_B * r.T_e[1] / (E_CHARGE * V)
    assert np.allclose(r.f[1], 1 / (np.exp((r.E_over_eV - 0.5) / kTe) + 1), rtol=0, atol=1e-14)


def test_sommerfeld_energy_moment():
    """int E [f_0(E - mu) - theta(-E)] dE = mu^2/2 + pi^2 T^2/6 (SymPy), against quadrature."""
    from scipy.integrate import quad

    mu, T = 0.3, 0.07
    num = quad(lambda E: E * (1 / (math.exp((E - mu) / T) + 1) - (E < 0)), -3, 3, points=[0, mu], limit=200)[0]
    expr = S.sommerfeld_energy().subs({S.SYMBOLS["mu"]: mu, S.SYMBOLS["T"]: T})
    assert num == pytest.approx(float(expr), rel=1e-10)


# ------------------------------------------------------------------ collision integral on the grid
def test_discrete_collision_integral_conserves_particles_and_energy():
    """sum_E I(E) = 0 and sum_E E I(E) = 0 exactly on the grid for an arbitrary f (index shift and eps -> -eps
    antisymmetry), so both currents are constant along the wire."""
    rng = np.random.default_rng(20)
    E, dE = N.energy_grid(0.02, 0.5)
    f = np.clip(N.fermi(E, 0.4, 0.1) + 0.2 * rng.random((3, E.size)) - 0.1, 0, 1)
    for alpha in (0.5, 1.0, 1.5):
        coll = N.collision_integral(f, dE, alpha)
        scale = np.sum(np.abs(coll), axis=1)
        assert np.all(np.abs(coll.sum(axis=1)) < 1e-13 * scale)
        assert np.all(np.abs((coll * E).sum(axis=1)) < 1e-13 * scale)
    # a Fermi function is a zero of the collision integral (detailed balance), up to the grid edges
    fe = N.fermi(E, 0.5, 0.08)
    inner = (E > -0.1) & (E < 1.1)
    assert np.max(np.abs(N.collision_integral(fe, dE, 1.5)[0][inner])) < 1e-12


def test_out_scattering_rate_is_the_symbolic_tau_E():
    """Loss coefficient B(E) of an electron above a T = 0 Fermi sea -> kappa E^(2-alpha)/(2-alpha)
    (mesocorr.symbolic.distribution.energy_relaxation_rate); the grid error is the omitted eps = 0 cell,
    ~ zeta(alpha - 1) Delta^(2-alpha): two steps and a Richardson step with that order."""
    alpha = 1.5
    rate = S.energy_relaxation_rate().subs({S.SYMBOLS["kappa"]: 1, S.SYMBOLS["alpha"]: sp.Rational(3, 2),
                                            S.SYMBOLS["E"]: 1})
    assert float(rate) == 2.0
    vals = []
    for step in (1 / 100, 1 / 400):
        E, dE = N.energy_grid(step, 1.5)
        sea = (E < 0).astype(float)
        _, B = N.collision_terms(sea, dE, alpha)
        i = int(np.argmin(np.abs(E - (1 + dE / 2))))        # the cell whose lower edge is E = 1
        vals.append((E[i], B[0, i]))
    errs = [b - e ** (2 - alpha) / (2 - alpha) for e, b in vals]
    assert errs[0] / errs[1] == pytest.approx(2.0, rel=0.05)       # error ~ Delta^(1/2)
    extrapolated = (2 * vals[1][1] - vals[0][1]) / (2 - 1)         # Richardson, p = 1/2, ratio 4
    assert extrapolated == pytest.approx(2.0 * (1 + 1 / 800) ** 0.5, rel=2e-3)
    assert energy_relaxation_time(1e-3, 1.0) == pytest.approx(0.5, rel=1e-15)    # 1/(2 * 1 * sqrt(1 meV))


# ------------------------------------------------------------------ the solver
@pytest.fixture(scope="module")
def coarse_solutions():
    """T = 0.02 eV, coarse grid (energy step 0.02 eV, 12 x intervals): a ladder of kernel strengths."""
    out = {}
    for kt in (1e-3, 2e-3, 10.0, 100.0, 1000.0):
        out[kt] = N.solve_distribution(0.02, kt, 1.5, 12, 0.02, 1.5, 1e-13, 5000)
    return out


def _limits(sol, T):
    E, x = sol["E"], sol["x"]
    Te = np.sqrt(T**2 + 3 / np.pi**2 * x * (1 - x))
    hot = np.array([N.fermi(E, 1 - xv, t) for xv, t in zip(x, Te)])
    dstep = np.array([(1 - xv) * N.fermi(E, 1, T) + xv * N.fermi(E, 0, T) for xv in x])
    return hot, dstep


def test_currents_constant_and_equal_to_the_reservoir_values(coarse_solutions):
    """Particle current j_N = 1 and energy current j_E = 1/2 (units eV/e^2R, (eV)^2/e^2R) along the whole wire
    for every kernel strength: collisions move electrons in energy but create or destroy neither."""
    for kt, sol in coarse_solutions.items():
        E, dE = sol["E"], sol["dE"]
        ref_N = np.sum(N.fermi(E, 1, 0.02) - N.fermi(E, 0, 0.02)) * dE
        ref_E = np.sum(E * (N.fermi(E, 1, 0.02) - N.fermi(E, 0, 0.02))) * dE
        assert ref_N == pytest.approx(1.0, abs=1e-14) and ref_E == pytest.approx(0.5, abs=1e-12)
        # to the iteration's tolerance (1e-13 on the update; measured 4e-10 at kappa~ = 1e3)
        assert np.max(np.abs(sol["j_N"] - ref_N)) < 1e-12 * (100 + kt)
        assert np.max(np.abs(sol["j_E"] - ref_E)) < 1e-12 * (100 + kt)


def test_energy_moment_is_that_of_the_double_step(coarse_solutions):
    """Both moments are linear in x for any kernel strength, so the local mu(x) and the energy density - hence
    the Wiedemann-Franz T_e(x) - equal those of the double step exactly, however thermalised f is."""
    for kt, sol in coarse_solutions.items():
        hot, dstep = _limits(sol, 0.02)
        E, dE, f = sol["E"], sol["dE"], sol["f"]
        for g in (np.ones_like(E), E):
            assert np.max(np.abs(((f - dstep) * g).sum(axis=1) * dE)) < 1e-12 * (100 + kt)


def test_linear_response_and_hot_electron_limit(coarse_solutions):
    """Weak scattering: f - f_double_step is linear in kappa~ (ratio 2 for kappa~ = 1e-3, 2e-3). Strong
    scattering: f -> the hot-electron Fermi function, the deviation falling monotonically with kappa~."""
    d = {}
    hotdev = {}
    for kt, sol in coarse_solutions.items():
        hot, dstep = _limits(sol, 0.02)
        d[kt] = np.max(np.abs(sol["f"] - dstep))
        hotdev[kt] = np.max(np.abs(sol["f"][6] - hot[6]))          # x = 1/2
    assert d[2e-3] / d[1e-3] == pytest.approx(2.0, rel=2e-3)
    assert hotdev[10.0] > hotdev[100.0] > hotdev[1000.0]
    assert hotdev[1000.0] < 0.005 and hotdev[10.0] > 0.05            # measured 1.1e-3 and 0.086


def test_grid_convergence_and_error_estimate():
    """Refining energy step and x grid together (factor 2 each): the error at x = 1/2 against a reference four
    times finer falls with order ~2 (the +-eps pairing makes the omitted eps = 0 cell O(Delta^(3-alpha))),
    and the fine-minus-coarse estimate bounds it (measured: 2.5-3.2 times the error)."""
    T, kt = 0.05, 3.0
    sols = {}
    for step, nx in ((0.04, 6), (0.02, 12), (0.01, 24), (0.005, 48)):
        sols[step] = N.solve_distribution(T, kt, 1.5, nx, step, 1.0, 1e-12, 5000)["f"][nx // 2]

    def avg(f, m):
        return f.reshape(-1, m).mean(axis=1)

    ref = sols[0.005]
    err = {s: np.max(np.abs(sols[s] - avg(ref, int(round(s / 0.005))))) for s in (0.04, 0.02)}
    est = np.max(np.abs(avg(sols[0.02], 2) - sols[0.04]))
    order = math.log2(err[0.04] / err[0.02])
    assert 1.4 < order < 2.4
    assert err[0.02] < est < 5 * err[0.02]


# ------------------------------------------------------------------ public API
def test_wire_distribution_kernel_reports_conservation_and_errors():
    r = wire_distribution(2e-4, 0.1, kappa=0.5, tau_D=1.5, x=(0.5,), n_x=12, energy_step=0.02)
    c = r.solver["conservation"]
    assert c["particle_current"] == pytest.approx(c["particle_current_no_scattering"], abs=1e-12)
    assert c["energy_current"] == pytest.approx(c["energy_current_no_scattering"], abs=1e-10)
    assert c["particle_current_variation"] < 1e-10 and c["energy_current_variation"] < 1e-10
    p = r.parameters
    # kappa~ = kappa tau_D (eV / meV)^(1/2) = (2 - alpha) tau_D / tau_E
    assert p["kappa_tilde"] == pytest.approx(0.5 * 1.5 * math.sqrt(0.2), rel=1e-14)
    assert p["kappa_tilde"] == pytest.approx(0.5 * p["tau_D_over_tau_E"], rel=1e-14)
    assert 0 < r.solver["error_max"] < 0.01
    assert r.error.shape == r.f.shape
    assert r.double_step_deviation[0] > 10 * r.solver["error_max"]     # scattering is resolved
    json.dumps(r.as_dict(), allow_nan=False)


def test_pure_dephasing_verdict():
    v = pure_dephasing_verdict((0.05, 0.01), (3.0, 0.5))
    assert v["verdict"] == "pure dephasing" and v["ratio"] == pytest.approx(60.0)
    assert v["ratio_stderr"] == pytest.approx(60 * math.hypot(0.2, 0.5 / 3), rel=1e-14)
    assert pure_dephasing_verdict(1.0, 3.0)["verdict"] == "inconclusive"
    assert pure_dephasing_verdict(3.0, 1.0)["verdict"] == "inconsistent"
    # a large ratio with a large error is not a verdict
    assert pure_dephasing_verdict((0.1, 0.09), 5.0)["verdict"] == "inconclusive"


@pytest.mark.parametrize("kwargs, exc, word", [
    (dict(V=-1e-4, T=0.1), ValueError, "V"),
    (dict(V=1e-4, T=0.1, relaxation="kernel"), TypeError, "kappa"),
    (dict(V=1e-4, T=0.1, kappa=0.5), TypeError, "tau_D"),
    (dict(V=1e-4, T=0.1, kappa=1e30, tau_D=1.0), ValueError, "kappa"),
    (dict(V=1e-4, T=0.1, kappa=0.5, tau_D=1.0, alpha=2.0), ValueError, "alpha"),
    (dict(V=1e-4, T=0.1, relaxation="none", x=1.5), ValueError, "x"),
    (dict(V=1e-4, T=0.1, relaxation="none", n_x=7), ValueError, "n_x"),
    (dict(V=1e-4, T=0.1, kappa=0.5, tau_D=1.0, error_estimate=1), TypeError, "error_estimate"),
    (dict(V=1e-4, T=0.1, kappa=10.0, tau_D=10.0, n_x=400, energy_step=1e-3), ValueError, "max_seconds"),
    (dict(V=1e-4, T=0.1, relaxation="none", energy_step=1e-6), ValueError, "energy_step"),
])
def test_bad_input(kwargs, exc, word):
    with pytest.raises(exc, match=word):
        wire_distribution(**kwargs)
    assert MAX_KAPPA_TILDE >= 1e3


def test_cli_distribution(tmp_path, capsys):
    argv = ["distribution", "--V", "2e-4", "--T", "0.1", "--kappa", "0.5", "--tau-D", "1.5", "--x", "0.5",
            "--n-x", "12", "--energy-step", "0.02", "--tau-phi", "0.05", "--json"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"relaxation", "x", "E", "f", "error", "T_e", "solver", "verdict", "warnings"} <= set(out)
    assert out["verdict"]["verdict"] == "pure dephasing"
    assert out["verdict"]["ratio"] == pytest.approx(out["parameters"]["tau_E"] / 0.05, rel=1e-12)
    assert main(["distribution", "--V", "1e-4", "--relaxation", "none", "--n-x", "7"]) == 2
    assert capsys.readouterr().err.startswith("error: n_x")

def test_cli_distribution_plot(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    png = tmp_path / "f.png"
    argv = ["distribution", "--V", "2e-4", "--relaxation", "hot", "--x", "0.5", "--json", "--plot", str(png)]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["plot"] == str(png) and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# ----------------------------------------------------------------------------- derive speed: the symbolic shortcuts
def test_symbolic_shortcuts_equal_the_direct_sympy_routes():
    """fermi_integral (sum t_k - 2 sum t_2k) = SymPy's direct alternating summation; energy_relaxation_rate
    (antiderivative checked by differentiation) = SymPy's definite integral (conds="none") + simplify."""
    SD = S
    k, y = sp.Symbol("k", integer=True, positive=True), sp.Symbol("y", real=True)
    term = sp.integrate(y * sp.exp(-k * y), (y, 0, sp.oo), conds="none")
    assert SD.fermi_integral() == sp.simplify(sp.summation((-1) ** (k + 1) * term, (k, 1, sp.oo)))
    E, eps, kappa, alpha = (SD.SYMBOLS[n] for n in ("E", "epsilon", "kappa", "alpha"))
    Epos = sp.Symbol("E", positive=True)
    direct = sp.integrate(kappa * eps ** (-alpha) * eps, (eps, 0, Epos), conds="none")
    assert SD.energy_relaxation_rate() == sp.simplify(direct).subs(Epos, E)


def test_hot_electron_linear_solve_equals_sympy_solve():
    """The energy balance is solved for T_e^2 from its two linear coefficients: the value sympy.solve gives
    (the former route), and both equal the Wiedemann-Franz profile returned."""
    x, T, eV, mu = (S.SYMBOLS[n] for n in ("x", "T", "eV", "mu"))
    muL, muR, Te2 = sp.symbols("mu_L mu_R T_e2")
    u = S.sommerfeld_energy()
    mux = (1 - x) * muL + x * muR
    ux = (1 - x) * u.subs({mu: muL}) + x * u.subs({mu: muR})
    (slow,) = sp.solve(sp.Eq(u.subs({mu: mux, T**2: Te2}), ux), Te2)
    c1, c0 = sp.Poly(sp.expand(u.subs({mu: mux, T**2: Te2}) - ux), Te2).all_coeffs()
    assert sp.cancel(-c0 / c1 - slow) == 0
    assert sp.cancel(slow.subs(muL, muR + eV) - S.hot_electron_temperature()) == 0


def test_partner_phase_space_piecewise_route_equals_the_heaviside_integral():
    """partner_phase_space integrates the Heaviside product as its piecewise form; SymPy's integral of the
    Heaviside product itself (the former route, Meijer G) gives the same X(eps) = eps, and so does the
    interval the steps leave, integrated by hand: int_{-eps}^0 dE' = eps."""
    eps = S.SYMBOLS["epsilon"]
    Ep = sp.Symbol("E_p", real=True)
    heaviside = sp.integrate(sp.Heaviside(-Ep) * (1 - sp.Heaviside(-Ep - eps)), (Ep, -sp.oo, sp.oo))
    assert S.partner_phase_space() == sp.simplify(heaviside) == sp.integrate(1, (Ep, -eps, 0)) == eps
