"""The Cooperon/Diffuson engine (issue 14): stored forms re-derived, Zeeman channel structure, routes, custom spaces.

Independent routes: dense numpy kernels built from the definitions (rung <V (x) V_{-k,-k'}> with
V_{-k,-k'} = t U V* U^-1, Diffuson V (x) V*), the Maekawa-Fukuyama closed form of the singlet-triplet block
(S. Maekawa, H. Fukuyama, J. Phys. Soc. Jpn. 50, 2516 (1981), Eqs. (9)-(11)), second-order perturbation theory
for the singlet dephasing, and brute-force eigen-decomposition against the resolvent (Cauchy) route.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import sympy as sp

from mesocorr.diagrams.pair_kernel import (
    DisorderMechanism,
    InternalModel,
    linear_form,
    spin_half_linear_forms,
    spin_half_model,
)
from mesocorr.integrals.derived_constants import (
    COOPERON_CHANNELS,
    DIFFUSON_CHANNELS,
    SPIN_HALF_GAP_OPERATORS,
    SPIN_HALF_PARAMETERS,
)
from mesocorr.integrals.gap_operators import LinearGapOperator, spin_half_operator
from mesocorr.integrals.matrix_functions import eigen_channels, spectral_trace, spectral_trace_mp, sylvester_2x2
from mesocorr.symbolic.internal_space import PAULI, InternalSpace, two_level, valley
from mesocorr.symbolic.zeeman import singlet_zeeman_dephasing, zeeman_block
from mesocorr.zeeman import zeeman_channels

def same_spectrum(got, want, atol):
    """Multisets of complex eigenvalues equal within atol (greedy matching, order-free)."""
    rest = list(want)
    for g in got:
        k = int(np.argmin([abs(g - w) for w in rest]))
        if abs(g - rest[k]) > atol:
            return False
        rest.pop(k)
    return not rest


PAULI_NP = [np.eye(2), np.array([[0, 1], [1, 0]]), np.array([[0, -1j], [1j, 0]]), np.array([[1, 0], [0, -1]])]


# ----------------------------------------------------------------------------- stored data re-derived
def test_stored_spin_half_forms_are_the_engine_derivation():
    derived = spin_half_linear_forms()
    for kind in ("cooperon", "diffuson"):
        stored = SPIN_HALF_GAP_OPERATORS[kind]
        got = derived[kind]
        assert got["parameters"] == SPIN_HALF_PARAMETERS
        assert got["channels"] == stored["channels"]
        assert got["constant"] == ()          # the potential rate cancels from every gap
        for key in ("generators", "partner_generators"):
            assert {p: set(v) for p, v in got[key].items()} == {p: set(v) for p, v in stored[key].items()}
        assert set(got["weight"]) == set(stored["weight"])


@pytest.mark.parametrize("kind, table", [("cooperon", COOPERON_CHANNELS), ("diffuson", DIFFUSON_CHANNELS)])
def test_stored_form_without_zeeman_is_the_channel_table(kind, table):
    """The diagonal of the linear form reproduces the (separately stored) HLN channel table."""
    op = spin_half_operator(kind)
    rates = ("a_x", "a_y", "a_z", "b_x", "b_y", "b_z", "phi")
    for c, row in enumerate(table):
        assert op.channels[c] == row[0]
        for r, coeff in zip(rates, row[1]):
            assert op.generator(r)[c, c] == float(coeff)
            assert np.count_nonzero(op.generator(r) - np.diag(np.diag(op.generator(r)))) == 0


def test_two_box_partner_is_the_adjoint_for_spin_half():
    rng = np.random.default_rng(3)
    for kind in ("cooperon", "diffuson"):
        op = spin_half_operator(kind)
        values = dict(zip(SPIN_HALF_PARAMETERS, rng.uniform(-1, 1, 10) * [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]))
        values.update({p: abs(values[p]) for p in ("a_x", "a_y", "a_z", "b_x", "b_y", "b_z", "phi")})
        H = op.numpy(values)
        assert np.array_equal(op.numpy(values, partner=True), H.conj().T)


# ----------------------------------------------------------------------------- the dense numpy route
def numpy_gap_operator(kind, a, b, omega, gamma0=1.3):
    """H = (1/tau) 1 - K + L from the definitions, vec basis, numpy (independent of the engine)."""
    U = 1j * PAULI_NP[2]
    Ui = U.conj().T
    K = np.zeros((4, 4), complex)
    mechs = [(gamma0, np.eye(2), +1)] + [(a[i], PAULI_NP[i + 1], +1) for i in range(3)] \
        + [(b[i], PAULI_NP[i + 1], -1) for i in range(3)]
    rate = sum(r for r, _, _ in mechs)
    for r, M, t in mechs:
        if kind == "diffuson":
            K += r * np.kron(M, M.conj())
        else:
            K += r * np.kron(M, t * U @ M.conj() @ Ui)     # <V (x) V_{-k,-k'}>, V_{-k,-k'} = t U V* U^-1
    Om = 0.5 * sum(w * P for w, P in zip(omega, PAULI_NP[1:]))
    one = np.eye(2)
    # G^R(eps+hbar w - h) G^A(eps - h): (1 - Pi)/tau = -i w + i(s_R - s_A); the advanced line's shift is Om
    # (Cooperon: G^A enters as itself; Diffuson: transposed)
    L = 1j * (np.kron(Om, one) - np.kron(one, Om if kind == "cooperon" else Om.T))
    return rate * np.eye(4) - K + L


@pytest.mark.parametrize("kind", ["cooperon", "diffuson"])
def test_stored_form_spectrum_matches_dense_numpy_route(kind):
    rng = np.random.default_rng(11)
    op = spin_half_operator(kind)
    for _ in range(20):
        a, b, w = rng.uniform(0, 2, 3), rng.uniform(0, 1, 3), rng.uniform(-3, 3, 3)
        H = op.numpy(dict(zip(SPIN_HALF_PARAMETERS, (*a, *b, *w, 0.0))))
        want = np.linalg.eigvals(numpy_gap_operator(kind, a, b, w))
        assert same_spectrum(np.linalg.eigvals(H), want, 1e-12)


# ----------------------------------------------------------------------------- which channels Zeeman touches
@pytest.mark.parametrize("axis, index", [("x", 1), ("y", 2), ("z", 3)])
def test_cooperon_zeeman_mixes_singlet_with_the_triplet_along_the_field_only(axis, index):
    omega = tuple(0.7 if ax == axis else 0 for ax in "xyz")
    rows = zeeman_channels("cooperon", so=(0.3, 0.5, 0.9), mag=0.1, zeeman=omega)
    blocks = sorted({tuple(r["block"]) for r in rows})
    triplet = f"triplet_{axis}"
    assert ("singlet", triplet) in blocks
    others = [f"triplet_{x}" for x in "xyz" if x != axis]
    for name in others:                      # m = +-1 along the field: untouched (gap as without Zeeman)
        assert (name,) in blocks
        row = next(r for r in rows if r["name"] == name)
        plain = next(r for r in zeeman_channels("cooperon", so=(0.3, 0.5, 0.9), mag=0.1) if r["name"] == name)
        assert row["gap"] == plain["gap"]


def test_diffuson_zeeman_shifts_the_m_pm1_spin_densities():
    """Diffuson: charge and the spin density along the field untouched, the other two precess: gaps +- i omega."""
    w = 0.7
    rows = zeeman_channels("diffuson", so=0.6, zeeman=(0, 0, w))
    by = {r["name"]: r["gap"] for r in rows}
    assert by["singlet"] == 0 and by["triplet_z"] == pytest.approx(0.8, abs=1e-15)
    assert by["triplet_x~triplet_y-"] == pytest.approx(0.8 - 1j * w, abs=1e-14)
    assert by["triplet_x~triplet_y+"] == pytest.approx(0.8 + 1j * w, abs=1e-14)


def test_symbolic_spin_half_engine_gives_the_maekawa_fukuyama_block():
    """MF81 Eqs. (9)-(11): gaps Gbar -+ sqrt(Delta^2 - omega^2), weights -+ Delta / (2 sqrt(...))."""
    a1, a2, a3, b, w = sp.symbols("a1 a2 a3 b omega", positive=True)
    (lo, hi), (w_lo, w_hi) = zeeman_block((a1, a2, a3), (b, b, b), "z", w)
    gS, gT = 6 * b, 2 * a1 + 2 * a2 + 2 * b
    mean, delta = (gS + gT) / 2, (gT - gS) / 2
    root = sp.sqrt(delta**2 - w**2)
    assert sp.simplify(lo - (mean - root)) == 0 and sp.simplify(hi - (mean + root)) == 0
    assert sp.simplify(w_lo + delta / (2 * root)) == 0 and sp.simplify(w_hi - delta / (2 * root)) == 0


def test_symbolic_channels_without_zeeman_stay_closed_forms():
    import mesocorr

    so, m = sp.symbols("Gamma_so Gamma_m", positive=True)
    gaps = [c.gap for c in mesocorr.channels("cooperon", so=so, mag=m)]
    assert gaps == [2 * m, 2 * m / 3 + 4 * so / 3, 2 * m / 3 + 4 * so / 3, 2 * m / 3 + 4 * so / 3]


def test_singlet_zeeman_dephasing_coefficient_against_the_numeric_eigenvalue():
    tau = sp.Symbol("tau_so", positive=True)
    assert singlet_zeeman_dephasing(1 / tau) == sp.Rational(3, 4) * tau
    # numeric: lowest Cooperon gap at small omega = phi + (3/4) omega^2 tau_so + O(omega^4 tau^3)
    so, phi = 100.0, 0.01
    for w in (0.5, 1.0, 2.0):
        low = min(r["gap"].real for r in zeeman_channels("cooperon", so=so, phi=phi, zeeman=w))
        shift = low - phi
        assert shift == pytest.approx(0.75 * w**2 / so, rel=2 * (w / so) ** 2 * 4)


# ----------------------------------------------------------------------------- eigen vs resolvent routes
def _random_block(rng, n):
    H = 0.2 * (rng.normal(size=(n, n)) + 0.3j * rng.normal(size=(n, n))) + 4 * np.eye(n)
    W = rng.normal(size=(n, n))
    return H, W


def test_eigen_and_resolvent_routes_agree():
    rng = np.random.default_rng(5)
    for n in (2, 3, 4):
        H, W = _random_block(rng, n)
        e = eigen_channels(H, W)
        direct = np.sum(e.weights * np.log(e.gaps))
        value, err = spectral_trace(H, W, np.log, cluster_tol=1.0)     # one cluster: Cauchy integral
        assert abs(value - direct) < 1e-12 * abs(direct) and err < 1e-6


def test_resolvent_route_is_continuous_through_the_exceptional_point():
    """Cooperon block [[G_S, i w], [i w, G_T]] at w = Delta: defective; Tr[W log H] from mpmath at 40 digits."""
    gS, gT = 0.1, 1.5
    delta = (gT - gS) / 2
    W = np.diag([-0.5, 0.5])

    def block(w):
        return np.array([[gS, 1j * w], [1j * w, gT]])

    def exact(w):
        with mpmath.workdps(40):
            H = mpmath.matrix([[gS, 1j * w], [1j * w, gT]])
            return complex(spectral_trace_mp(H, mpmath.matrix([[-0.5, 0], [0, 0.5]]), mpmath.log)[0])

    for w in (delta, delta * (1 + 1e-9), delta * (1 - 1e-7), delta * (1 + 1e-4)):
        got = sylvester_2x2(block(w)[None], W, lambda z, sel: np.log(z), conjugate_symmetric=True)[0]
        assert abs(got - exact(w)) < 1e-12
        value, _ = spectral_trace(block(w), W, np.log)
        assert abs(value - exact(w)) < 1e-12
    rows = zeeman_channels("cooperon", so=0, mag=0, phi=0.1, zeeman=0)
    assert len(rows) == 4
    at_ep = zeeman_channels("cooperon", so=(0, 0.35, 0.35), zeeman=(0, 0, 0.35))
    assert max(r["condition"] for r in at_ep) > 1e6          # the eigen route reports the defect


# ----------------------------------------------------------------------------- a custom internal space
def two_valley_model(intra, inter, z_inter):
    r"""Spinless two-valley conductor: intravalley potential (tau_0), intervalley scattering (tau_x, tau_y, rate
    ``inter`` each) and a valley-odd potential tau_z (rate ``z_inter``); time reversal exchanges the valleys
    (U = tau_x), so tau_z is time-reversal odd (U tau_z^* U^-1 = -tau_z)."""
    space = InternalSpace(valley())
    mechs = [DisorderMechanism("intravalley", sp.eye(2), intra, +1),
             DisorderMechanism("intervalley", (PAULI[0], PAULI[1]), (inter, inter), +1),
             DisorderMechanism("valley_z", PAULI[2], z_inter, -1)]
    return InternalModel(space, mechs)


def test_custom_two_valley_model_against_dense_numpy():
    model = two_valley_model(sp.Rational(3), sp.Rational(1, 5), sp.Rational(1, 7))
    U = np.array([[0, 1], [1, 0]])
    mats = [(3.0, np.eye(2), 1), (0.2, PAULI_NP[1], 1), (0.2, PAULI_NP[2], 1), (1 / 7, PAULI_NP[3], -1)]
    rate = sum(r for r, _, _ in mats)
    for kind in ("cooperon", "diffuson"):
        K = sum(r * (np.kron(M, t * U @ M.conj() @ U) if kind == "cooperon" else np.kron(M, M.conj()))
                for r, M, t in mats)
        want = np.linalg.eigvals(rate * np.eye(4) - K)
        assert same_spectrum([complex(c.gap) for c in model.spectrum(kind).channels], want, 1e-13)
    weights = [c.weight for c in model.spectrum("cooperon").channels]
    assert sum(weights) == 1                                  # Tr W = Tr P / N = 1


def test_custom_model_linear_form_evaluates_like_the_symbolic_spectrum():
    g, s = sp.symbols("g s", real=True)
    model = two_valley_model(3, g, s)
    op = LinearGapOperator(linear_form(model, "cooperon", {"g": g, "s": s}))
    H = op.numpy({"g": 0.2, "s": 1 / 7})
    want = sorted(complex(c.gap.subs({g: 0.2, s: sp.Rational(1, 7)})).real
                  for c in model.spectrum("cooperon").channels)
    assert np.allclose(sorted(np.linalg.eigvals(H).real), want, atol=1e-14)
    assert math.isclose(np.trace(op.weight()).real, 1.0)


def test_intervalley_scattering_halves_weak_localization():
    """Valley-degenerate 2DEG (valleys exchanged by time reversal): without intervalley scattering all four
    Cooperons are gapless (total weight 1, i.e. N = 2 times the single-valley result); strong intervalley
    scattering leaves one gapless channel of weight 1/2 (the valleys act as one)."""
    g = sp.Symbol("g", positive=True)
    chans = two_valley_model(1, g, 0).spectrum("cooperon").channels
    assert sum(c.weight for c in chans if c.gap == 0) == sp.Rational(1, 2)
    assert sum(c.weight for c in chans) == 1
    assert sorted((c.gap for c in chans), key=str) == sorted([0, 2 * g, 2 * g, 4 * g], key=str)


def test_berry_phase_sign_flips_the_weights():
    """A back-scattering sign S = -1 (Berry phase pi, as on a single Dirac cone) turns WL into WAL."""
    space = InternalSpace(two_level("cone"))
    model = InternalModel(space, [DisorderMechanism("potential", sp.eye(2), 1, +1)],
                          backscattering_sign=-sp.eye(4), degeneracy=2)
    assert sum(c.weight for c in model.spectrum("cooperon").channels) == -1


def test_linear_form_refuses_nonlinear_models():
    g = sp.Symbol("g", positive=True)
    model = two_valley_model(3, g**2, 0)
    with pytest.raises(ValueError, match="parameters"):
        linear_form(model, "cooperon", {"g": g})


def test_engine_refuses_bad_input():
    with pytest.raises(ValueError, match="kind"):
        spin_half_operator("both")
    with pytest.raises(TypeError, match="parameters"):
        linear_form(spin_half_model(), "cooperon", {"a": "x"})
    with pytest.raises(ValueError, match="values"):
        spin_half_operator("cooperon").numpy({"nope": 1.0})


def test_one_by_one_eigen_channels_equal_lapack():
    """The 1x1 shortcut of eigen_channels (no LAPACK call) returns exactly what scipy.linalg.eig gives for
    |H| in (1e-130, 1e130), and the exact eigenvalue H_00 beyond (where LAPACK's scaling goes wrong)."""
    from scipy.linalg import eig

    rng = np.random.default_rng(11)
    for scale in (1e-129, 1e-60, 1e-14, 1.0, 3e7, 1e60, 1e129):
        for h, w in zip(scale * (rng.normal(size=40) + 1j * rng.normal(size=40)),
                        rng.normal(size=40) + 1j * rng.normal(size=40)):
            H, W = np.array([[h]]), np.array([[w]])
            lam, vl, vr = eig(H, left=True, right=True)
            den = vl[0, 0].conjugate() * vr[0, 0]
            got = eigen_channels(H, W)
            assert got.gaps.tolist() == lam.tolist() == [h]
            assert got.weights.tolist() == [vl[0, 0].conjugate() * w * vr[0, 0] / den] == [w]
            assert got.condition.tolist() == [abs(vl[0, 0]) * abs(vr[0, 0]) / abs(den)] == [1.0]
    for h in (5e-324, 1e-300, 1e300):   # beyond LAPACK's exact range: the shortcut is the exact eigenvalue
        assert eigen_channels(np.array([[h]]), np.array([[1.0]])).gaps.tolist() == [h]
    e = eigen_channels(np.array([[0.0, 1.0], [1.0, 0.0]]), np.eye(2))   # larger blocks still go to LAPACK
    assert np.allclose(sorted(e.gaps.real), [-1.0, 1.0], rtol=0, atol=1e-15)
