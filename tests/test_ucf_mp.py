"""The mpmath (``dps=``) path of the UCF mode sums against independent routes, at 30 digits.

Independent routes:

* the quasi-1D wire in closed form at any energy: :math:`g(c) = \\sum_{n\\ge1}(n^2+c)^{-1} =
  (\\pi\\sqrt c\\coth\\pi\\sqrt c - 1)/2c` for complex :math:`c = a - i\\varepsilon` (Mittag-Leffler expansion of
  coth, DLMF 4.36.3), so :math:`R = -\\operatorname{Re} g'(c)` and :math:`B = \\operatorname{Im} g(c)/\\varepsilon`
  — both the real-axis kernels and the rotated ray (large :math:`\\varepsilon`) are checked;
* films: the transverse mode sum of that closed form, :math:`\\sum_{n_y\\ge0}`, by Euler-Maclaurin summation
  (``mpmath.nsum(method='e')``, 40 digits, ~1 min each: stored in ``tests/data/ucf_mp_film_euler_maclaurin.json``);
* boxes (anisotropic, spin-orbit and magnetic channels, dephasing, energies 1e-3 to 1e5 E_c, temperature): the
  previous implementation (tanh-sinh quadrature on other split points, no mode-sum tail) at 40 digits, stored
  in ``tests/data/ucf_mp_previous_implementation.json``;
* the cube and films at zero energy in closed form (Epstein zeta values) are in ``tests/test_ucf.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import mpmath
import pytest

from mesocorr import ucf_correlation, ucf_variance
from mesocorr.integrals import epstein
from mesocorr.integrals.epstein import mode_sums_mp

DATA = Path(__file__).parent / "data"


def wire_sums(a, eps):
    """(R, B) of the quasi-1D wire from the closed form g(c) (module docstring), at the working precision."""
    def g(c):
        x = mpmath.pi * mpmath.sqrt(c)
        return (x * mpmath.coth(x) - 1) / (2 * c)

    a, eps = mpmath.mpf(a), mpmath.mpf(eps)
    if a == 0 and eps == 0:
        return mpmath.pi**4 / 90, mpmath.pi**4 / 90      # zeta(4)
    c = mpmath.mpc(a, -eps)
    ring = mpmath.re(-mpmath.diff(g, c))
    box = mpmath.im(g(c)) / eps if eps else ring
    return ring, box


@pytest.mark.parametrize("gap, eps", [(0, 0), (0.3, 0), (1e6, 0), (0.3, 0.02), (0.3, 2.0), (0, 25.0),
                                      (1e-3, 1e3), pytest.param(2.0, 4e4, marks=pytest.mark.slow)])
def test_wire_closed_form_30_digits(gap, eps):
    # eps * pi > 150 takes the rotated ray (1e3, 4e4), the others the real axis with the exact mode-sum tail
    res = mode_sums_mp((), [gap], energy=eps, dps=30)
    with mpmath.workdps(42):
        ring, box = wire_sums(gap, eps)
        assert abs(res[1] / box - 1) < mpmath.mpf(10) ** -30
        assert abs(res[0] - ring) < mpmath.mpf(10) ** -30 * box      # R may cancel: relative to B >= |R|
        assert res.error < mpmath.mpf(10) ** -30 * box


def test_wire_correlation_public_api():
    # C(dE) of a spinless wire with dephasing: Diffuson + Cooperon, (2R + 4B)/pi^4 each, eigenvalue units /pi^2
    for dE in (3, 100, 5000):
        got = ucf_correlation(delta_E=dE, shape=(1,), spinless=True, L_phi=0.5, dps=30)
        with mpmath.workdps(42):
            ring, box = wire_sums(4 / mpmath.pi**2, mpmath.mpf(dE) / mpmath.pi**2)
            ref = 2 * (2 * ring + 4 * box) / mpmath.pi**4
            assert abs(got / ref - 1) < mpmath.mpf(10) ** -29


def test_film_euler_maclaurin():
    table = json.loads((DATA / "ucf_mp_film_euler_maclaurin.json").read_text())
    for r, gap, eps, ring_s, box_s in table["rows"]:
        res = mode_sums_mp((r,), [gap], energy=eps, dps=30)     # decimal strings: read at the working precision
        with mpmath.workdps(42):
            ring, box = mpmath.mpf(ring_s), mpmath.mpf(box_s)
            assert abs(res[1] / box - 1) < mpmath.mpf(10) ** -30, (r, gap, eps)
            assert abs(res[0] - ring) < mpmath.mpf(10) ** -30 * box, (r, gap, eps)


_PREVIOUS = json.loads((DATA / "ucf_mp_previous_implementation.json").read_text())
_SLOW = {("corr", 1000), ("corr", 100000.0)}


@pytest.mark.parametrize("row", [pytest.param(r, marks=pytest.mark.slow) if (r[0], r[1].get("delta_E")) in _SLOW
                                 else r for r in _PREVIOUS["rows"]],
                         ids=lambda r: f"{r[0]}-{'-'.join(f'{k}={v}' for k, v in r[1].items())}")
def test_against_previous_implementation(row):
    kind, kwargs, expected = row
    kwargs = {k: tuple(v) if isinstance(v, list) else v for k, v in kwargs.items()}
    func = ucf_correlation if kind == "corr" else ucf_variance
    got = func(**kwargs, dps=30)
    with mpmath.workdps(42):
        assert abs(got / mpmath.mpf(expected) - 1) < mpmath.mpf(_PREVIOUS["rtol"]), (kind, kwargs)


def test_low_and_high_precision():
    # 2/15 [LSF87] at every dps: the node count scales with dps
    for dps in (1, 5, 15, 60):
        v = ucf_variance(shape=(1,), spinless=True, dps=dps)
        with mpmath.workdps(dps + 10):
            assert abs(v / (mpmath.mpf(2) / 15) - 1) < mpmath.mpf(10) ** (1 - dps)


def test_tiny_energy_matches_zero_energy_expansion():
    # C(eps) = C(0) + O(eps^2): at eps = 1e-20 the correlation equals the variance to 30 digits
    v = ucf_variance(shape=(1, 0.5, 0.25), so=(1, 2, 0.5), dps=30)
    c = ucf_correlation(delta_E=1e-20, shape=(1, 0.5, 0.25), so=(1, 2, 0.5), dps=30)
    with mpmath.workdps(40):
        assert abs(c / v - 1) < mpmath.mpf(10) ** -30


def test_layouts_and_tail_consistent():
    # the two panel layouts (tail start pi and 1.25 pi) agree far below the tolerance, and the heat trace at a
    # node equals its direct mode sum
    with mpmath.workdps(42):
        rat = [mpmath.mpf(2), mpmath.mpf(4)]
        a = epstein._integral_mp(rat, [mpmath.mpf("0.1")], [1], 0, 0, mpmath.mpf(1))
        b = epstein._integral_mp(rat, [mpmath.mpf("0.1")], [1], 0, 0, mpmath.mpf("0.8"))
        assert abs(a[0] / b[0] - 1) < mpmath.mpf(10) ** -32
        t = mpmath.mpf("0.37")
        direct = mpmath.fsum(mpmath.exp(-(nx * nx + 4 * ny * ny + 16 * nz * nz) * t)
                             for nx in range(1, 20) for ny in range(0, 10) for nz in range(0, 5))
        assert abs(epstein.heat_trace_mp(t, rat) / direct - 1) < mpmath.mpf(10) ** -40


def test_unconverged_raises_not_returns(monkeypatch):
    # a quadrature rule too coarse for the requested digits: the two layouts disagree (also after the 1.5x
    # refinement) and an ArithmeticError is raised instead of a number
    monkeypatch.setattr(epstein, "_gl_order", lambda dps: 4)
    with pytest.raises(ArithmeticError, match="not converged"):
        mode_sums_mp((1.0, 1.0), [0.0], dps=30)


def test_energy_with_temperature_refused():
    with pytest.raises(ValueError, match="^temperature"):
        mode_sums_mp((), [0.0], energy=1.0, temperature=1.0, dps=10)


def test_extreme_aspect_ratios_closed_form():
    # narrow films L/W = 1e3, 1e6 against the zeta-value closed form of tests/test_ucf.py (film_sum): the
    # doubling panels start at u0 = 0.3 W/L (here 3e-7) and still reach 30 digits
    from test_ucf import film_sum

    for r in ("1e3", "1e6"):
        res = mode_sums_mp((r,), [0], dps=30)
        with mpmath.workdps(42):
            assert abs(res[0] / film_sum(mpmath.mpf(r)) - 1) < mpmath.mpf(10) ** -30
