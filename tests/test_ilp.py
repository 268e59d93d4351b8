"""ILP Cooperon of a 2D electron gas with Rashba/Dresselhaus spin-orbit (issue 15): numbers checked by
independent routes.

Independent routes used here (none of them shares code with :mod:`mesocorr.integrals.ilp`):

* the weak-localization functions of :mod:`mesocorr.wl` (HLN digamma closed form) for the limits;
* Knap et al., Phys. Rev. B 53, 3912 (1996), Eq. (37), typed in from the paper and summed with
  :func:`mpmath.nsum` (one linear term plus the cubic term);
* a brute-force Landau-level computation built from scratch here: spin-1 matrices, the gauge field of the
  Rashba and Dresselhaus precession vectors, block-tridiagonal inversion of the truncated operator, the
  zero-field integral by Gauss-Legendre quadrature with the same cutoff, Richardson extrapolation in the cutoff;
* the mpmath path at 20-30 digits and the general algorithm at twice the work;
* the D'yakonov-Perel' spin-relaxation tensor :math:`1/\\tau_{ij} = \\tau(\\langle\\Omega^2\\rangle\\delta_{ij} -
  \\langle\\Omega_i\\Omega_j\\rangle)` averaged numerically over the Fermi circle (field conversions);
* the symbolic derivation (:mod:`mesocorr.symbolic.ilp`) for every number stored for speed.
"""

from __future__ import annotations

import math
import warnings
from fractions import Fraction

import mpmath
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mesocorr
from mesocorr import ilp_couplings, ilp_fields, ilp_magnetoconductance
from mesocorr.integrals import ilp as numerics
from mesocorr.integrals.hln import hln_f_core
from mesocorr.units import E_CHARGE, HBAR

ME = 9.1093837015e-31
EV = 1.602176634e-19


def wl(B, B_phi):
    """HLN weak localization without spin-orbit (e^2/h), from mesocorr.wl (rates 4 e D B_phi / hbar, D = 1)."""
    return mesocorr.magnetoconductance(B, D=1.0, phi=4 * E_CHARGE * B_phi / HBAR)


def wl_mp(B, B_phi, dps):
    """HLN weak localization (1/pi) F(B/B_phi) in e^2/h at ``dps`` digits (exact B, B_phi; the WL weights
    3 x 1/2 - 1/2 = 1 and s/2pi = 1/pi of mesocorr.wl)."""
    from mesocorr.integrals.hln import hln_f_mp

    with mpmath.workdps(dps + 10):
        return hln_f_mp(mpmath.mpf(B.numerator) / B.denominator / (mpmath.mpf(B_phi.numerator) / B_phi.denominator),
                        dps + 5) / mpmath.pi


# ----------------------------------------------------------------------------- independent: brute force
SQ2 = math.sqrt(2.0)
S_PLUS = np.array([[0, SQ2, 0], [0, 0, SQ2], [0, 0, 0]], complex)  # basis m = 1, 0, -1
S_X, S_Y = (S_PLUS + S_PLUS.conj().T) / 2, (S_PLUS - S_PLUS.conj().T) / 2j
EYE = np.eye(3)


def _gauge(r, d):
    """Reduced SU(2) gauge field (A_x, A_y) / sqrt(4eB/hbar) of Rashba, Omega ~ (k_y, -k_x), and Dresselhaus,
    Omega ~ (k_x, -k_y): A_i = (tau/D) <v_i Omega_j> S_j."""
    return -r * S_Y + d * S_X, r * S_X - d * S_Y


def _level_traces(b_phi, r, d, b3, n_levels, n_matrix):
    """tr G_nn for n < n_levels of the operator (Pi + A)^2 + b3 (S_x^2 + S_y^2) + b_phi truncated after n_matrix
    Landau levels (units 4eDB/hbar; Pi_+ = a^dagger), by block-tridiagonal inversion."""
    ax, ay = _gauge(r, d)
    v0 = ax @ ax + ay @ ay + b3 * (S_X @ S_X + S_Y @ S_Y) + b_phi * EYE
    lower = ax - 1j * ay
    diag = [(n + 0.5) * EYE + v0 for n in range(n_matrix)]
    off = [math.sqrt(n + 1) * lower for n in range(n_matrix - 1)]  # block (n+1, n)
    right = [None] * n_matrix
    right[-1] = np.zeros((3, 3), complex)
    for n in range(n_matrix - 2, -1, -1):
        right[n] = off[n].conj().T @ np.linalg.inv(diag[n + 1] - right[n + 1]) @ off[n]
    out = np.empty(n_levels)
    left = np.zeros((3, 3), complex)
    for n in range(n_levels):
        out[n] = np.trace(np.linalg.inv(diag[n] - left - right[n])).real
        left = off[n] @ np.linalg.inv(diag[n] - left) @ off[n].conj().T
    return out


def _zero_field_integral(b_phi, r, d, b3, X, angles=48, panels=60, nodes=24):
    """int_0^X <tr M(x, theta)^-1>_theta dx, x = hbar q^2 / 4eB: trapezoid in theta, Gauss-Legendre in ln x."""
    ax, ay = _gauge(r, d)
    v0 = ax @ ax + ay @ ay + b3 * (S_X @ S_X + S_Y @ S_Y) + b_phi * EYE
    th = 2 * np.pi * np.arange(angles) / angles
    gx, gw = np.polynomial.legendre.leggauss(nodes)
    edges = np.linspace(math.log(1e-10), math.log(X), panels + 1)
    half = (edges[1:] - edges[:-1])[:, None] / 2
    t = (half * (gx[None, :] + 1) + edges[:-1, None]).ravel()
    w = (half * gw[None, :]).ravel()
    x = np.exp(t)[:, None, None, None]
    M = x * EYE + 2 * np.sqrt(x) * (np.cos(th)[None, :, None, None] * ax + np.sin(th)[None, :, None, None] * ay) + v0
    T = np.trace(np.linalg.inv(M), axis1=-2, axis2=-1).real.mean(axis=1)
    return float(np.sum(w * np.exp(t) * T)) + 1e-10 * np.trace(np.linalg.inv(v0)).real


def brute_force(B, B_phi, B_R, B_D, B_3, cutoffs=(60, 120, 240, 480)):
    """Delta sigma (e^2/h) from the truncated Landau-level sum minus the zero-field integral with the same cutoff
    N (levels n < N <-> x < N), Richardson-extrapolated in 1/N. Returns (value, extrapolation error, raw)."""
    b_phi, r, d, b3 = B_phi / B, math.sqrt(B_R / B), math.sqrt(B_D / B), B_3 / B
    traces = _level_traces(b_phi, r, d, b3, max(cutoffs), max(cutoffs) + 80)
    raw = [_zero_field_integral(b_phi, r, d, b3, N) - traces[:N].sum() for N in cutoffs]
    table = [raw]
    for k in range(1, len(cutoffs)):
        prev = table[-1]
        table.append([(2**k * prev[i + 1] - prev[i]) / (2**k - 1) for i in range(len(prev) - 1)])
    F = float(hln_f_core(np.array([B / B_phi]))[0])
    to_sigma = lambda triplet: (triplet - F) / (2 * math.pi)  # noqa: E731  (s/2pi)(w_T T + w_S F)
    return to_sigma(table[-1][0]), abs(table[-1][0] - table[-2][-1]) / (2 * math.pi), [to_sigma(v) for v in raw]


# ----------------------------------------------------------------------------- independent: Knap et al. (1996)
def knap_sigma(B, H_phi, H_lin, H_3, H_tr=1):
    r"""Knap et al., PRB 53, 3912 (1996), Eq. (37) (one linear term plus the cubic term), in e^2/h:

    .. math:: \sigma(B) = -\frac{e^2}{4\pi^2\hbar}\Big\{\frac1{a_0} + \frac{2a_0+1+H_{SO}/B}{a_1(a_0+H_{SO}/B)
              - 2H'_{SO}/B} - \sum_{n\ge1}\Big[\frac3n - \frac{3a_n^2+2a_nH_{SO}/B-1-2(2n+1)H'_{SO}/B}
              {(a_n+H_{SO}/B)a_{n-1}a_{n+1}-2(H'_{SO}/B)[(2n+1)a_n-1]}\Big]
              + 2\ln\frac{H_{tr}}B + \psi\Big(\frac12+\frac{H_\phi}B\Big) + 3C\Big\},

    :math:`a_n = n+\frac12+H_\phi/B+H_{SO}/B`, :math:`H_{SO} = H_{lin}+H_3`, :math:`H'_{SO} = H_{lin}` (Knap's
    fields from the first and third harmonics, isotropic scattering), :math:`e^2/4\pi^2\hbar = (e^2/h)/2\pi`.
    The transport field :math:`H_{tr}` cancels in :math:`\sigma(B_1)-\sigma(B_2)`."""
    b_phi, b1, bso = (mpmath.mpf(x) / B for x in (H_phi, H_lin, H_lin + H_3))
    a = lambda n: n + mpmath.mpf(1) / 2 + b_phi + bso  # noqa: E731
    first = 1 / a(0) + (2 * a(0) + 1 + bso) / (a(1) * (a(0) + bso) - 2 * b1)

    def term(n):
        num = 3 * a(n) ** 2 + 2 * a(n) * bso - 1 - 2 * (2 * n + 1) * b1
        den = (a(n) + bso) * a(n - 1) * a(n + 1) - 2 * b1 * ((2 * n + 1) * a(n) - 1)
        return 3 / n - num / den

    brace = (first - mpmath.nsum(term, [1, mpmath.inf]) + 2 * mpmath.log(mpmath.mpf(H_tr) / B)
             + mpmath.digamma(mpmath.mpf(1) / 2 + b_phi) + 3 * mpmath.euler)
    return -brace / (2 * mpmath.pi)


# ----------------------------------------------------------------------------- stored numbers = derivation
def test_stored_prefactor_and_weights_are_the_derived_ones():
    """integrals/derived_constants.py ILP entries re-derived from the Hikami box and the pair spin structure."""
    import sympy as sp

    from mesocorr.integrals.derived_constants import ILP_LANDAU_PREFACTOR, ILP_WEIGHTS
    from mesocorr.symbolic.ilp import landau_sum_prefactor, pair_channels

    q, p, z = ILP_LANDAU_PREFACTOR
    assert sp.simplify(landau_sum_prefactor() - sp.Rational(q.numerator, q.denominator) * sp.pi**p) == 0 and z == 0
    w = pair_channels().weights
    assert {k: Fraction(int(sp.fraction(v)[0]), int(sp.fraction(v)[1])) for k, v in w.items()} == ILP_WEIGHTS


def _random_points(n, seed):
    rng = np.random.default_rng(seed)
    return [tuple(Fraction(int(v), 97) for v in rng.integers(1, 300, 4)) for _ in range(n)]


@pytest.mark.slow
def test_numeric_polynomials_are_the_derived_ones():
    """The polynomial coefficients written out in integrals/ilp.py equal the SymPy derivation (exact rationals)."""
    import sympy as sp

    from mesocorr.symbolic import ilp as sym

    S = sym.SYMBOLS
    blk = sym.block_closed_form()
    x = sp.Symbol("x")
    for bp, b1, b3, _ in _random_points(4, 1):
        sub = {S["b_phi"]: sp.Rational(bp), S["r"]: sp.sqrt(sp.Rational(b1)), S["b_3"]: sp.Rational(b3)}
        c, q2, q1, q0 = numerics._block_polynomial(bp, b1, b3)  # exact for Fraction input, but c (float 1/2)
        c_exact = sp.Rational(1, 2) + sp.Rational(bp + b1 + b3)
        assert c == pytest.approx(float(c_exact), rel=1e-15)
        Q = sp.expand(blk["Q"].subs(sub).subs(S["N"], x - c_exact))
        P = sp.expand(blk["P"].subs(sub).subs(S["N"], x - c_exact))
        assert sp.expand(Q - (x**3 + q2 * x**2 + q1 * x + q0)) == 0
        assert sp.expand(P - (sp.diff(Q, x) + 4 * b1 * x)) == 0
    # the series blocks of both parity sectors
    for sector in (0, 1):
        blocks = sym.sector_series_blocks(sector)
        for bp, rr, dd, b3 in _random_points(2, 2 + sector):
            sub = {S["b_phi"]: sp.Rational(bp), S["r"]: sp.Rational(rr), S["d"]: sp.Rational(dd),
                   S["b_3"]: sp.Rational(b3)}
            num = numerics.sector_blocks_numeric(sector, float(bp), float(rr), float(dd), float(b3))
            for M_sym, M_num in zip(blocks, num):
                want = np.array(M_sym.subs(sub).evalf(20), dtype=float)
                assert np.allclose(M_num[0], want, rtol=1e-14, atol=1e-14)


@pytest.mark.slow
def test_zero_field_coefficients_are_the_derived_ones():
    """_zero_field_coefficients (P/Q of the zero-field trace) against mesocorr.symbolic.ilp.zero_field_trace."""
    import sympy as sp

    from mesocorr.symbolic import ilp as sym

    S = sym.SYMBOLS
    zf = sym.zero_field_trace()
    y = S["y"]
    for f, R, Dd, t in _random_points(3, 7):
        th = sp.Rational(3, 7)
        sub = {S["H_phi"]: sp.Rational(f), S["r"]: sp.sqrt(sp.Rational(R)), S["d"]: sp.sqrt(sp.Rational(Dd)),
               S["H_3"]: sp.Rational(t), S["theta"]: th}
        w = float(sp.sqrt(sp.Rational(R) * sp.Rational(Dd)) * sp.sin(2 * th))
        q2, q1, q0, p1, p0 = numerics._zero_field_coefficients(float(f), float(R), float(Dd), float(t), w)
        Q = sp.Poly(sp.expand(zf["Q"].subs(sub)), y).all_coeffs()
        P = sp.Poly(sp.expand(zf["P"].subs(sub)), y).all_coeffs()
        assert np.allclose([float(v) for v in Q], [1, q2, q1, q0], rtol=1e-13)
        assert np.allclose([float(v) for v in P], [3, p1, p0], rtol=1e-13)


def test_block_polynomials_are_knap_eq_37():
    """Literature check, symbolic: the derived 3x3 block (one linear term) has Knap's numerator and denominator.

    Knap et al., PRB 53, 3912 (1996), Eq. (37): P_n = 3a_n^2 + 2a_n b_SO - 1 - 2(2n+1) b', Q_n = (a_n + b_SO)
    a_{n-1} a_{n+1} - 2b'[(2n+1)a_n - 1], first blocks 1/a_0 + (2a_0+1+b_SO)/(a_1(a_0+b_SO) - 2b'), with
    b' = H_lin/B, b_SO = (H_lin + H_3)/B."""
    import sympy as sp

    from mesocorr.symbolic import ilp as sym

    S = sym.SYMBOLS
    N, r, b3, bp = S["N"], S["r"], S["b_3"], S["b_phi"]
    bso, b1 = r**2 + b3, r**2
    a = lambda k: k + sp.Rational(1, 2) + bp + bso  # noqa: E731
    blk = sym.block_closed_form()
    assert sp.expand(blk["P"] - (3 * a(N) ** 2 + 2 * a(N) * bso - 1 - 2 * (2 * N + 1) * b1)) == 0
    assert sp.expand(blk["Q"] - ((a(N) + bso) * a(N - 1) * a(N + 1) - 2 * b1 * ((2 * N + 1) * a(N) - 1))) == 0
    first = 1 / a(0) + (2 * a(0) + 1 + bso) / (a(1) * (a(0) + bso) - 2 * b1)
    assert sp.simplify(blk["N0"] + blk["Nm1"] - first) == 0


@pytest.mark.parametrize("fields", [(1e-3, 0.02, 0.0), (1e-3, 0.02, 0.004), (0.01, 0.003, 0.001)])
def test_single_linear_term_is_knap_eq_37(fields):
    """Literature check, numbers: sigma(B1) - sigma(B2) from Knap's Eq. (37) summed by mpmath.nsum equals the
    converged result, for Rashba and for Dresselhaus (1e-12 absolute, e^2/h)."""
    H_phi, H_lin, H_3 = fields
    Bs = [0.002, 0.01, 0.1]
    with mpmath.workdps(25):
        k = [knap_sigma(mpmath.mpf(b), H_phi, H_lin, H_3) for b in Bs]
    for kw in ({"B_rashba": H_lin}, {"B_dresselhaus": H_lin}):
        c = ilp_magnetoconductance(Bs, B_phi=H_phi, B_cubic=H_3, **kw)
        for i in (1, 2):
            assert abs(float(k[i] - k[0]) - (c[i] - c[0])) < 1e-12


# ----------------------------------------------------------------------------- limits
def test_no_spin_orbit_is_hln_weak_localization():
    B = np.geomspace(1e-6, 10, 15)
    for B_phi in (1e-4, 1e-3, 0.1):
        r = ilp_magnetoconductance(B, B_phi=B_phi, full_output=True)
        assert np.max(np.abs(r.delta_sigma - wl(B, B_phi))) < 1e-13
        assert set(r.method) == {"closed-form"}
        g = ilp_magnetoconductance(B[B >= 1e-3 * B_phi], B_phi=B_phi, method="general")
        assert np.max(np.abs(g - wl(B[B >= 1e-3 * B_phi], B_phi))) < 1e-12
    got = ilp_magnetoconductance(0.01, B_phi=Fraction(1, 1000), dps=30)
    assert abs(got - wl_mp(Fraction(1, 100), Fraction(1, 1000), 30)) < mpmath.mpf(10) ** -28


@pytest.mark.parametrize("H", [1e-4, 0.003, 0.05, 1.0])
def test_persistent_spin_helix_is_exactly_weak_localization(H):
    """H_R = H_D, no cubic term: the spin-orbit field is a pure gauge (persistent spin helix), so the
    magnetoconductance is HLN weak localization at every field, however strong the spin-orbit coupling."""
    B_phi = 1e-3
    B = np.geomspace(1e-6, 10, 12)
    r = ilp_magnetoconductance(B, B_phi=B_phi, B_rashba=H, B_dresselhaus=H, full_output=True)
    assert set(r.method) <= {"general", "small-field"}
    assert np.max(np.abs(r.delta_sigma - wl(B, B_phi))) < 1e-12


def test_persistent_spin_helix_mpmath():
    got = ilp_magnetoconductance(0.02, B_phi=Fraction(1, 1000), B_rashba=Fraction(3, 100),
                                 B_dresselhaus=Fraction(3, 100), dps=25)
    assert abs(got - wl_mp(Fraction(2, 100), Fraction(1, 1000), 25)) < mpmath.mpf(10) ** -22


@pytest.mark.parametrize("kw", [{"B_rashba": 1.0}, {"B_dresselhaus": 1.0}, {"B_rashba": 1.0, "B_cubic": 0.2},
                                {"B_rashba": 0.7, "B_dresselhaus": 0.3}])
def test_strong_spin_orbit_is_minus_half_weak_localization(kw):
    """B, B_phi << H_SO: the triplet is gapped and only the singlet (weight -1/2) remains: -1/2 of WL. The
    deviation falls with the spin-orbit strength (at least x 5 per decade of H_SO)."""
    B_phi = 1e-3
    B = np.array([1e-4, 1e-3, 3e-3])
    dev = []
    for scale in (0.1, 1.0):
        r = ilp_magnetoconductance(B, B_phi=B_phi, **{k: v * scale for k, v in kw.items()})
        dev.append(np.max(np.abs(r / wl(B, B_phi) + 0.5)))
    assert dev[1] < 2e-3 and dev[1] < dev[0] / 5


def test_rashba_dresselhaus_symmetry():
    B = np.geomspace(1e-4, 1, 9)
    a = ilp_magnetoconductance(B, B_phi=1e-3, B_rashba=0.03, B_dresselhaus=0.007, B_cubic=0.002)
    b = ilp_magnetoconductance(B, B_phi=1e-3, B_rashba=0.007, B_dresselhaus=0.03, B_cubic=0.002)
    assert np.max(np.abs(a - b)) < 1e-12
    c = ilp_magnetoconductance(B, B_phi=1e-3, B_rashba=0.03, B_cubic=0.002)
    d = ilp_magnetoconductance(B, B_phi=1e-3, B_dresselhaus=0.03, B_cubic=0.002)
    assert np.max(np.abs(c - d)) == 0.0


@pytest.mark.parametrize("H_lin,H_3", [(0.02, 0.0), (0.02, 0.005), (0.001, 0.01), (0.3, 0.001)])
def test_general_algorithm_equals_closed_form(H_lin, H_3):
    """The general (banded LU + large-level expansion) code on single-linear-term sets equals the exact
    digamma sum, from 1e-3 H_phi to 1e3 H_SO (where the general code's work cap allows)."""
    B_phi = 1e-3
    hso = H_lin + H_3
    B = np.geomspace(1e-3 * B_phi, 1e3 * hso, 25)
    B = B[hso / B < 2e4]
    closed = ilp_magnetoconductance(B, B_phi=B_phi, B_rashba=H_lin, B_cubic=H_3, full_output=True)
    general = ilp_magnetoconductance(B, B_phi=B_phi, B_rashba=H_lin, B_cubic=H_3, method="general",
                                     full_output=True)
    assert set(closed.method) == {"closed-form"} and set(general.method) == {"general"}
    diff = np.abs(closed.delta_sigma - general.delta_sigma)
    assert np.all(diff <= closed.error_estimate + general.error_estimate) and np.max(diff) < 1e-11


@pytest.mark.parametrize("B_phi,H_lin,H_3", [(1e-4, 2e-3, 1e-4), (1e-6, 5e-3, 0.0), (2e-5, 0.05, 1e-3)])
def test_small_field_expansion_equals_closed_form(B_phi, H_lin, H_3):
    """Fields below B_s = min(H_SO/3e4, 0.05 H_phi): the general code's B^2 expansion (fitted through four
    direct sums) against the exact digamma sum on single-linear-term sets, down to 1e-12 H_SO."""
    hso = H_lin + H_3
    B = np.geomspace(1e-12 * hso, 0.9 * min(hso / 3e4, 0.05 * B_phi), 7)
    closed = ilp_magnetoconductance(B, B_phi=B_phi, B_rashba=H_lin, B_cubic=H_3, full_output=True)
    general = ilp_magnetoconductance(B, B_phi=B_phi, B_rashba=H_lin, B_cubic=H_3, method="general",
                                     full_output=True)
    assert set(general.method) == {"small-field"}
    diff = np.abs(closed.delta_sigma - general.delta_sigma)
    assert np.all(diff <= closed.error_estimate + general.error_estimate) and np.max(diff) < 1e-13


@pytest.mark.parametrize("B_phi,H", [(1e-4, 2e-3), (1e-6, 1e-3)])
def test_small_field_expansion_persistent_spin_helix(B_phi, H):
    """H_R = H_D, no cubic term: exactly weak localization, also through the small-field expansion (true error
    below the error estimate; H_SO/H_phi = 40 and 2000, the second one with B_s = 0.05 H_phi)."""
    B = np.geomspace(1e-6 * B_phi, 0.9 * min(2 * H / 3e4, 0.05 * B_phi), 6)
    r = ilp_magnetoconductance(B, B_phi=B_phi, B_rashba=H, B_dresselhaus=H, full_output=True)
    assert set(r.method) == {"small-field"}
    assert np.all(np.abs(r.delta_sigma - wl(B, B_phi)) <= r.error_estimate) and np.all(r.error_estimate < 1e-11)


def test_small_field_expansion_against_direct_sums():
    """Random Rashba + Dresselhaus (+ cubic) sets: just below B_s the B^2 expansion agrees with the direct
    Landau-level sum (banded LU + tail, more rows) within the two error estimates."""
    from mesocorr.ilp import SMALL_FIELD_PHI, SMALL_FIELD_RATIO

    for B_phi, H_R, H_D, H_3 in _random_sets(4, 21):
        hso = H_R + H_D + H_3
        b_s = min(hso / SMALL_FIELD_RATIO, SMALL_FIELD_PHI * B_phi)
        B = b_s * np.array([0.3, 0.6, 0.95])
        r = ilp_magnetoconductance(B, B_phi=B_phi, B_rashba=H_R, B_dresselhaus=H_D, B_cubic=H_3, full_output=True)
        assert set(r.method) == {"small-field"}
        S, e, _ = numerics.general_sum(B_phi / B, np.sqrt(H_R / B), np.sqrt(H_D / B), H_3 / B)
        J, eJ = numerics.zero_field_constant(B_phi, H_R, H_D, H_3)
        direct = ((J + 3 * np.log(B)) - S - hln_f_core(B / B_phi)) / (2 * np.pi)  # (1/pi)(T/2 - F/2)
        assert np.all(np.abs(direct - r.delta_sigma) <= r.error_estimate + (e + eJ) / (2 * np.pi) + 1e-15)


@pytest.mark.parametrize("fields", [(0.3, 0.8, 0.0, 0.1), (0.3, 0.8, 0.35, 0.1), (0.05, 2.0, 0.5, 0.3)])
def test_landau_level_sum_by_brute_force(fields):
    """Second algorithm: the Landau-level operator built here from spin-1 matrices and the Rashba/Dresselhaus
    gauge field, truncated at N levels, minus the zero-field integral cut at x < N, extrapolated in 1/N.

    Also the cutoff independence of Delta sigma = sigma(B) - sigma(0): with the same cutoff in both terms the
    cut results at N = 60 ... 480 approach the converged value at least like 1/N (measured: like 1/N^2), while
    each term alone grows like 3 ln N."""
    B_phi, H_R, H_D, H_3 = fields
    value, err, raw = brute_force(1.0, B_phi, H_R, H_D, H_3)
    code = ilp_magnetoconductance(1.0, B_phi=B_phi, B_rashba=H_R, B_dresselhaus=H_D, B_cubic=H_3)
    assert abs(value - code) < 10 * err + 1e-9
    dist = np.abs(np.array(raw) - code)
    assert np.all(dist[1:] / dist[:-1] < 0.55) and dist[-1] < 1e-6


# ----------------------------------------------------------------------------- precision and error estimates
def _random_sets(n, seed, both=True):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        B_phi = 10 ** rng.uniform(-4, -2)
        H_R = 10 ** rng.uniform(-3.5, -1)
        H_D = 10 ** rng.uniform(-3.5, -1) if both else 0.0
        H_3 = 10 ** rng.uniform(-4, -2) if rng.random() < 0.7 else 0.0
        out.append((B_phi, H_R, H_D, H_3))
    return out


@pytest.mark.parametrize("both", [False, True])
def test_float64_against_mpmath(both):
    """float64 (error estimate included) against the mpmath path at 20 digits on random parameter sets."""
    for B_phi, H_R, H_D, H_3 in _random_sets(1 if both else 3, 11 + both, both):
        for B in (0.3 * B_phi, 3 * (H_R + H_D + H_3)):
            f = ilp_magnetoconductance(B, B_phi=B_phi, B_rashba=H_R, B_dresselhaus=H_D, B_cubic=H_3,
                                       full_output=True)
            m = ilp_magnetoconductance(B, B_phi=B_phi, B_rashba=H_R, B_dresselhaus=H_D, B_cubic=H_3, dps=20)
            assert abs(float(m) - f.delta_sigma) <= f.error_estimate + 1e-16
            assert f.error_estimate < 1e-11


def test_error_estimate_is_honest():
    """Random parameter sets, fields from 1e-3 H_phi to 1e3 H_SO: the float64 result differs from a run at
    twice the work (general) or from the mpmath closed form by less than the error estimate."""
    for B_phi, H_R, H_D, H_3 in _random_sets(10, 5):
        hso = H_R + H_D + H_3
        B = np.geomspace(1e-3 * B_phi, 1e3 * hso, 9)
        B = B[hso / B < 2e4]
        r = ilp_magnetoconductance(B, B_phi=B_phi, B_rashba=H_R, B_dresselhaus=H_D, B_cubic=H_3, full_output=True)
        assert np.all(r.error_estimate < 1e-10)
        # the triplet sum again at twice the work (kappa_0 doubled); the other terms are identical
        S1, e1, _ = numerics.general_sum(B_phi / B, np.sqrt(H_R / B), np.sqrt(H_D / B), H_3 / B)
        S2, e2, k2 = numerics.general_sum(B_phi / B, np.sqrt(H_R / B), np.sqrt(H_D / B), H_3 / B, work=2.0)
        assert np.all(np.abs(S1 - S2) <= e1)
    for B_phi, H_R, _, H_3 in _random_sets(3, 9, both=False):
        for B in (1e-3 * B_phi, B_phi, 1e3 * (H_R + H_3)):
            S, e, ok = numerics.closed_form_sum(B_phi / B, H_R / B, H_3 / B)
            ref, _ = numerics.closed_form_sum_mp(B_phi / B, H_R / B, H_3 / B, 25)
            assert ok[0] and abs(float(ref) - S[0]) <= e[0]


def test_accuracy_goal_over_the_field_range():
    """1e-10 e^2/h from 1e-3 H_phi to 1e3 H_SO: every error estimate below it (closed form; the general case by
    direct sums and, below B_s, the small-field expansion)."""
    B_phi = 2e-4
    for kw in ({"B_rashba": 0.01, "B_cubic": 0.001}, {"B_rashba": 0.004, "B_dresselhaus": 0.0015, "B_cubic": 3e-4}):
        hso = sum(kw.values())
        B = np.geomspace(1e-3 * B_phi, 1e3 * hso, 30)
        r = ilp_magnetoconductance(B, B_phi=B_phi, atol=1e-10, full_output=True, **kw)
        assert np.all(r.error_estimate < 1e-10) and np.all(np.isfinite(r.delta_sigma))


def test_never_an_unconverged_number():
    """A requested accuracy the estimate does not meet raises ValueError naming atol (or rtol); so does a
    field beyond the work cap (naming B)."""
    kw = dict(B_phi=1e-3, B_rashba=0.02, B_dresselhaus=0.01)
    with pytest.raises(ValueError, match="^atol"):
        ilp_magnetoconductance(0.01, atol=1e-18, **kw)
    with pytest.raises(ValueError, match="^rtol"):
        ilp_magnetoconductance(0.01, atol=0.0, rtol=1e-18, **kw)
    with pytest.raises(ValueError, match="^B: .* too small for the general case"):
        ilp_magnetoconductance(1e-9, B_phi=1e-6, B_rashba=1e-2, B_dresselhaus=1e-2)  # H_SO/B_phi > 1e4
    with pytest.raises(ValueError, match="^B: .*mpmath"):
        ilp_magnetoconductance(1e-5, dps=20, **kw)
    with pytest.raises(ValueError, match="^dps"):
        ilp_magnetoconductance(0.01, dps=1000, **kw)


FIELD = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0.0, -0.0, 5e-324, 1e-300,
                                                                                   1e300, 1.0, True, "1", None]))


@settings(max_examples=40, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(B=FIELD, B_phi=FIELD, B_R=FIELD, B_D=FIELD, B_3=FIELD)
def test_hostile_input_is_finite_or_refused(B, B_phi, B_R, B_D, B_3):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            v = ilp_magnetoconductance(B, B_phi=B_phi, B_rashba=B_R, B_dresselhaus=B_D, B_cubic=B_3)
    except (TypeError, ValueError) as exc:
        assert str(exc).split(":")[0] in ("B", "B_phi", "B_rashba", "B_dresselhaus", "B_cubic", "atol")
        return
    assert math.isfinite(v)


# ----------------------------------------------------------------------------- interface
def test_magnetoconductance_model_ilp_dispatch():
    B = [0.001, 0.02]
    kw = dict(B_phi=1e-3, B_rashba=0.01, B_dresselhaus=0.002, B_cubic=5e-4)
    assert np.array_equal(mesocorr.magnetoconductance(B, dim=2, model="ilp", **kw), ilp_magnetoconductance(B, **kw))
    with pytest.raises(ValueError, match="^D: not used"):
        mesocorr.magnetoconductance(B, model="ilp", D=0.01, **kw)
    with pytest.raises(ValueError, match="^dim"):
        mesocorr.magnetoconductance(B, dim=3, model="ilp", **kw)
    with pytest.raises(TypeError, match="^B_phi"):
        mesocorr.magnetoconductance(B, model="ilp", B_rashba=0.01)
    with pytest.raises(TypeError, match="^B_rashba: only used"):
        mesocorr.magnetoconductance(B, D=0.01, phi=1e10, B_rashba=0.01)
    with pytest.raises(TypeError, match="^full_output"):
        ilp_magnetoconductance(B, full_output=1, **kw)


def test_field_conversions_against_dyakonov_perel():
    """H_R, H_D, H_3 are hbar/(4eD) times the in-plane D'yakonov-Perel' rate tau <Omega_x^2> of each harmonic
    (isotropic scattering); the rate tensor is averaged numerically over the Fermi circle here."""
    m, n, tau = 0.04 * ME, 1.5e16, 1e-12
    alpha, beta1, gamma = 5e-12 * EV, 1.5e-12 * EV, 20e-30 * EV
    f = ilp_fields(alpha=alpha, beta1=beta1, gamma=gamma, density=n, effective_mass=m, tau=tau)
    kF = math.sqrt(2 * math.pi * n)
    D = (HBAR * kF / m) ** 2 * tau / 2
    phi = 2 * np.pi * np.arange(4096) / 4096
    kx, ky = kF * np.cos(phi), kF * np.sin(phi)

    def in_plane_rate(ox, oy):  # 1/tau_xx = tau (<Omega^2> - <Omega_x^2>) = tau <Omega_y^2>, and 1/tau_yy
        return tau * np.mean(oy**2), tau * np.mean(ox**2)

    to_field = HBAR / (4 * E_CHARGE * D)
    rx, ry = in_plane_rate(2 * alpha * ky / HBAR, -2 * alpha * kx / HBAR)
    assert rx == pytest.approx(ry) and f["B_rashba"] == pytest.approx(to_field * rx, rel=1e-12)
    # Dresselhaus: H = beta1 (s_x k_x - s_y k_y) - gamma (s_x k_x k_y^2 - s_y k_y k_x^2); first harmonic
    ox = (2 / HBAR) * (beta1 * kx - gamma * kx * ky**2)
    oy = (2 / HBAR) * (-beta1 * ky + gamma * ky * kx**2)
    c1 = np.mean(ox * np.cos(phi)) * 2  # amplitude of the first harmonic of Omega_x
    c3 = np.mean(ox * np.cos(3 * phi)) * 2
    assert f["B_dresselhaus"] == pytest.approx(to_field * tau * c1**2 / 2, rel=1e-10)
    assert f["B_cubic"] == pytest.approx(to_field * tau * c3**2 / 2, rel=1e-10)
    assert f["B_SO"] == pytest.approx(f["B_rashba"] + f["B_dresselhaus"] + f["B_cubic"])
    # total in-plane DP rate of the Dresselhaus term = first + third harmonic
    assert tau * np.mean(oy**2) * to_field == pytest.approx(f["B_dresselhaus"] + f["B_cubic"], rel=1e-10)
    assert f["D"] == pytest.approx(D) and f["B_transport"] == pytest.approx(HBAR / (4 * E_CHARGE * D * tau))


def test_field_conversions_round_trip_and_routes():
    m, n = 0.041 * ME, 2e16
    mu = 5.0
    tau = mu * m / E_CHARGE
    D = (HBAR * math.sqrt(2 * math.pi * n) / m) ** 2 * tau / 2
    kw = dict(alpha=7e-12 * EV, beta1=2e-12 * EV, gamma=25e-30 * EV, density=n)
    a = ilp_fields(effective_mass=m, mobility=mu, **kw)
    b = ilp_fields(D=D, tau=tau, **kw)  # the mass from D, tau and k_F
    for key in ("B_rashba", "B_dresselhaus", "B_cubic"):
        assert a[key] == pytest.approx(b[key], rel=1e-12)
    c = ilp_couplings(B_rashba=a["B_rashba"], B_dresselhaus=a["B_dresselhaus"], B_cubic=a["B_cubic"],
                      effective_mass=m, density=n)
    assert c["alpha"] == pytest.approx(kw["alpha"], rel=1e-12)
    assert c["gamma"] == pytest.approx(kw["gamma"], rel=1e-12)
    assert min(abs(x - kw["beta1"]) for x in c["beta1_candidates"]) < 1e-12 * kw["beta1"]
    d = ilp_fields(beta1=2e-12 * EV, beta3=c["beta3"], effective_mass=m)
    assert d["B_dresselhaus"] == pytest.approx(a["B_dresselhaus"], rel=1e-12)
    with pytest.raises(TypeError, match="^density"):
        ilp_fields(gamma=1e-30, effective_mass=m)
    with pytest.warns(mesocorr.PhysicsWarning, match="Omega tau"):
        ilp_fields(alpha=3e-10 * EV, density=n, effective_mass=m, mobility=50.0)


# ----------------------------------------------------------------------------- fits
def test_fit_recovers_parameters_with_roughly_right_coverage():
    """20 seeded synthetic traces (Rashba only, cubic held): the 1-sigma intervals of B_phi and B_rashba cover
    the true values in roughly 68 % of the fits (binomial: 45-90 % accepted)."""
    truth = {"B_phi": 5e-4, "B_rashba": 4e-3}
    B = np.linspace(-0.02, 0.02, 41)
    clean = ilp_magnetoconductance(B, B_cubic=2e-4, **truth)
    rng = np.random.default_rng(20260415)
    hits = {k: 0 for k in truth}
    trials = 20
    for _ in range(trials):
        y = clean + 2e-3 * rng.standard_normal(B.size)
        r = mesocorr.fit_ilp(B, y, B_dresselhaus=0.0, B_cubic=2e-4)
        for k, v in truth.items():
            hits[k] += abs(r.value(k) - v) < r.params[k]["stderr"]
        assert not r.linear_pair_unordered and r.ambiguity == ""
    for k in truth:
        assert 0.45 * trials <= hits[k] <= 0.9 * trials, (k, hits[k])


def test_fit_reports_the_rashba_dresselhaus_ambiguity():
    """Both linear fields free: the pair is returned unordered (B_linear_1 >= B_linear_2) with the sentence saying
    that the data cannot tell Rashba from Dresselhaus; the recovered pair is the true one (either order)."""
    B = np.linspace(-0.03, 0.03, 41)
    true = dict(B_phi=5e-4, B_rashba=1.5e-3, B_dresselhaus=4e-3, B_cubic=2e-4)
    y = ilp_magnetoconductance(B, **true)
    r = mesocorr.fit_ilp(B, y, B_cubic=2e-4)
    assert r.linear_pair_unordered and "cannot tell" in r.ambiguity
    assert set(r.params) == {"B_phi", "B_linear_1", "B_linear_2"}
    assert r.value("B_linear_1") == pytest.approx(4e-3, rel=1e-6)
    assert r.value("B_linear_2") == pytest.approx(1.5e-3, rel=1e-6)
    d = r.as_dict()
    assert d["linear_pair_unordered"] is True and "correlation" in d


# ----------------------------------------------------------------------------- derive speed: the symbolic shortcuts
@pytest.mark.parametrize("a, b", [(0, 0), (1, 1), (2, 0), (0, 2), (2, 2), (3, 1), (4, 0), (1, 3), (3, 3), (4, 2)])
def test_trig_moment_binomial_equals_integral(a, b):
    """<cos^a sin^b> by the binomial constant term (symbolic.ilp) = SymPy's integral over the circle / 2 pi."""
    import sympy as sp

    from mesocorr.symbolic import ilp as sym

    phi = sym.SYMBOLS["phi"]
    ref = sp.integrate(sp.cos(phi) ** a * sp.sin(phi) ** b, (phi, 0, 2 * sp.pi)) / (2 * sp.pi)
    assert sp.simplify(sym._trig_moment(a, b) - ref) == 0


def test_lowest_blocks_trace_equals_matrix_inverse():
    """The N = 0 and N = -1 block traces (tr M / det M and 1/M, cancel) = Matrix.inv + simplify (the previous
    route), and characteristic_fields' H_R, H_D, H_3 = Knap et al. (1996) (m^2 alpha^2 / e hbar^3, ...)."""
    import sympy as sp

    from mesocorr.symbolic import ilp as sym

    S = sym.SYMBOLS
    blk = sym.block_closed_form()
    M = blk["matrix"]
    M0 = M.extract([1, 2], [1, 2]).subs(S["N"], 0)
    assert sp.simplify(blk["N0"] - M0.inv().trace()) == 0
    assert sp.simplify(blk["Nm1"] - 1 / M[2, 2].subs(S["N"], -1)) == 0
    f = sym.characteristic_fields()
    m, e, hbar, al, b1, g, kF = (S[k] for k in ("m", "e", "hbar", "alpha", "beta_1", "gamma", "k_F"))
    b3 = g * kF**2 / 4
    for key, want in (("H_R", m**2 * al**2 / (e * hbar**3)), ("H_D", m**2 * (b1 - b3) ** 2 / (e * hbar**3)),
                      ("H_3", m**2 * b3**2 / (e * hbar**3))):
        assert sp.simplify(f[key]["mass"] - want) == 0
