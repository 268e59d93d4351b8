"""The fast float64 UCF variance path (issue 18) against independent high-precision routes.

* Wire: :func:`wire_square_sum` (closed form / Taylor series) against the mpmath closed form
  :math:`\\frac{\\pi^4}{4}(x\\coth x + x^2/\\sinh^2x - 2)/x^4` at 60+ digits and the mpmath heat-trace quadrature
  :func:`mode_sums_mp` (``dps=30``).
* Film: :func:`zero_energy_mode_sums` against (i) the strip sum :math:`\\sum_{m\\ge0}S_1(a + r^2m^2)` (or, for
  r < 1, :math:`\\sum_{n\\ge1} r^{-4}[b^{-2} + S_1(b)]`, :math:`b = (n^2+a)/r^2`) summed by ``mpmath.nsum`` at 30
  digits, with :math:`S_1` the wire closed form: exact, no quadrature; (ii) for large gaps the heat-kernel
  (Weyl) expansion, exact up to :math:`e^{-2\\pi\\sqrt a/\\max(1,r)}` (Poisson summation of every theta factor).
* Box: the Weyl expansion for large gaps, :func:`mode_sums_mp` at ``dps=30`` elsewhere.
* Set-up: the Fraction-free set-up of plain points (``_float_point``) against the exact one (``_setup``).
"""

from __future__ import annotations

import math
import random

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mesocorr import ucf as ucf_module
from mesocorr import ucf_variance
from mesocorr.integrals.epstein import mode_sums, mode_sums_mp, zero_energy_mode_sums
from mesocorr.integrals.wire_modes import wire_square_sum

RATIOS_2D = [1e-6, 1e-4, 0.01, 0.1, 0.5, 1.0, 3.0, 10.0, 100.0, 1e4, 1e6]


def _s1_mp(c):
    """sum_{n>=1} (n^2 + c)^-2 in mpmath (closed form; Taylor series at tiny c where it cancels)."""
    if c < mpmath.mpf(10) ** (-mpmath.mp.dps // 2):
        return mpmath.pi**4 / 90 - 2 * mpmath.zeta(6) * c + 3 * mpmath.zeta(8) * c**2
    x = mpmath.pi * mpmath.sqrt(c)
    with mpmath.workdps(mpmath.mp.dps + 20):          # x coth x + x^2/sinh^2 x - 2 ~ 2x^4/45 cancels
        return mpmath.pi**4 / 4 * (x * mpmath.coth(x) + x**2 / mpmath.sinh(x) ** 2 - 2) / x**4


def _strip_sum_mp(r, a):
    """2D S(a) = sum over n >= 1, m >= 0 of (n^2 + r^2 m^2 + a)^-2 by one closed-form 1D sum and mpmath.nsum
    over the other index (the slow-decaying index summed in closed form)."""
    r, a = mpmath.mpf(r), mpmath.mpf(a)
    if r >= 1:
        return mpmath.nsum(lambda m: _s1_mp(a + r * r * m * m), [0, mpmath.inf])

    def neumann(n):      # sum_{m>=0} (r^2 m^2 + c)^-2 = r^-4 [b^-2 + S_1(b)], b = c/r^2
        b = (n * n + a) / (r * r)
        return (1 / b**2 + _s1_mp(b)) / r**4

    return mpmath.nsum(neumann, [1, mpmath.inf])


def _weyl_mp(ratios, a):
    r"""Heat-kernel expansion: Theta(t) = (y - 1)/2 prod_i (y/r_i + 1)/2, y = sqrt(pi/t), up to e^{-pi^2/(t r^2)};
    S(a) = int t e^{-at} Theta dt = sum_k p_k pi^{k/2} Gamma(2 - k/2) a^{k/2 - 2}."""
    poly = [mpmath.mpf(-1) / 2, mpmath.mpf(1) / 2]         # coefficients of y^k
    for r in ratios:
        r = mpmath.mpf(r)
        new = [mpmath.mpf(0)] * (len(poly) + 1)
        for k, p in enumerate(poly):
            new[k] += p / 2
            new[k + 1] += p / (2 * r)
        poly = new
    a = mpmath.mpf(a)
    return mpmath.fsum(p * mpmath.pi ** (mpmath.mpf(k) / 2) * mpmath.gamma(2 - mpmath.mpf(k) / 2)
                       * a ** (mpmath.mpf(k) / 2 - 2) for k, p in enumerate(poly))


def test_wire_square_sum_closed_form():
    bs = [0.0, 5e-324, 1e-300, 1e-20, *np.logspace(-12, 99, 223).tolist(), *np.linspace(0, 1, 201).tolist()]
    with mpmath.workdps(60):
        worst = max(abs(wire_square_sum(b) / _s1_mp(mpmath.mpf(b)) - 1) for b in bs)
    assert worst < 5e-15


def test_wire_square_sum_series_coefficients_exact():
    # f_j = -2 (j+1) c_{j+1} are the Taylor coefficients of F(x) = (x coth x + x^2/sinh^2 x - 2)/x^4: 40 exact terms
    # summed at x = 1/2 reproduce the closed form to 40 digits ((1/(2 pi))^80 ~ 1e-64)
    from mesocorr.integrals.wire_modes import wire_square_series_fractions

    with mpmath.workdps(50):
        x = mpmath.mpf(1) / 2
        series = mpmath.fsum(mpmath.mpf(c.numerator) / c.denominator * x ** (2 * j)
                             for j, c in enumerate(wire_square_series_fractions(40)))
        assert abs(series * mpmath.pi**4 / 4 / _s1_mp(x**2 / mpmath.pi**2) - 1) < mpmath.mpf(10) ** -40


@pytest.mark.parametrize("gap", [0.0, 1.0, 1e9])
def test_wire_against_mp_quadrature(gap):
    ref = mode_sums_mp((), [gap], dps=30)
    assert zero_energy_mode_sums((), [gap])[0] == pytest.approx(float(ref[0]), rel=1e-14)


@pytest.mark.parametrize("r", RATIOS_2D)
def test_film_against_strip_sum(r):
    gaps = [0.0, 1e-9, 0.3, 7.0, 90.0 * max(1.0, r * r)]
    got = zero_energy_mode_sums((r,), gaps)
    with mpmath.workdps(30):
        for g, v in zip(gaps, got):
            assert abs(v / _strip_sum_mp(r, g) - 1) < 1e-13, (r, g)


@pytest.mark.parametrize("ratios", [(r,) for r in RATIOS_2D] + [(1.0, 1.0), (10.0, 10.0), (0.1, 0.1), (1e6, 1e-6),
                                                                 (100.0, 0.01), (1e4, 1e4)])
def test_large_gaps_against_weyl_expansion(ratios):
    top = max(1.0, *(r * r for r in ratios))
    gaps = [g for g in np.logspace(2, 99, 40) * top if g <= 1e99]
    got = zero_energy_mode_sums(ratios, gaps)
    with mpmath.workdps(30):
        for g, v in zip(gaps, got):
            assert abs(v / _weyl_mp(ratios, g) - 1) < 1e-13, (ratios, g)


@pytest.mark.slow
@pytest.mark.parametrize("ratios, gap", [((1.0, 1.0), 0.0), ((10.0, 0.1), 0.5), ((100.0, 100.0), 0.0),
                                         ((0.01, 0.01), 3.0), ((1e6,), 1e4), ((1.0, 1e-3), 0.0)])
def test_against_mp_quadrature(ratios, gap):
    ref = mode_sums_mp(ratios, [gap], dps=30)
    assert zero_energy_mode_sums(ratios, [gap])[0] == pytest.approx(float(ref[0]), rel=1e-13)


def test_mode_sums_zero_energy_branch_matches_rays():
    # mode_sums at energy 0 goes through zero_energy_mode_sums; at a tiny energy through the ray quadrature
    for ratios in [(), (1.0,), (100.0,), (0.5, 0.25)]:
        gaps = np.array([0.0, 0.2, 40.0])
        ring0, box0 = mode_sums(ratios, gaps)
        ring, box = mode_sums(ratios, gaps, 1e-9)
        np.testing.assert_allclose(ring0, ring, rtol=1e-13)
        np.testing.assert_allclose(box0, box, rtol=1e-13)


def test_zero_energy_refuses_bad_gaps():
    for bad in (-1.0, math.nan, math.inf, 1e101):
        with pytest.raises(ValueError, match="^gap"):
            zero_energy_mode_sums((1.0,), [bad])
    with pytest.raises(ValueError, match="^ratios"):
        zero_energy_mode_sums((0.0,), [1.0])
    assert zero_energy_mode_sums((1.0,), []) == []


def _points(n, seed):
    rng = random.Random(seed)
    for _ in range(n):
        d = rng.randint(1, 3)
        shape = tuple([rng.choice([1, 1.0, 2.5])] + [10 ** rng.uniform(-2, 2) for _ in range(d - 1)])
        spinless = rng.random() < 0.3
        rate = (lambda: 0) if spinless else (lambda: rng.choice([0, 10 ** rng.uniform(-3, 3), 7,
                                                                 tuple(10 ** rng.uniform(-3, 3) for _ in range(3))]))
        yield (shape, rate(), rate(), rng.random() < 0.3, spinless, rng.choice([None, 10 ** rng.uniform(-3, 2)]),
               rng.choice([None, None, 10 ** rng.uniform(-1, 1)]))


def test_float_setup_matches_exact_setup():
    worst = 0.0
    for point in _points(120, 7):
        fast = ucf_module._variance_point.__wrapped__(*point)
        exact = ucf_module._variance(*point, None)          # Fraction set-up (_setup) + _evaluate
        worst = max(worst, abs(fast / exact - 1))
    assert worst < 1e-14


@pytest.mark.parametrize("kwargs", [
    dict(shape=(1, 1e-6 * (1 + 1e-12))),                # aspect ratio at the cap: the exact check decides
    dict(shape=(1, 1e-6 / (1 + 1e-6))),
    dict(shape=(2**60, 1)),                             # an int beyond 2^53
    dict(shape=(1,), L_phi=1e-50),                      # gap beyond MAX_GAP
    dict(shape=(1,), L_T=1e-4 / (1 + 1e-6)),            # temperature beyond the cap
    dict(shape=(1,), so=(1, 1, -1)),
    dict(shape=(1,), spinless=True, so=1),
    dict(shape=(1,), mag=math.nan),
    dict(shape=(1, 0.0)),
    dict(shape=(1, 1, 1, 1)),
])
def test_fast_path_defers_to_exact_checks(kwargs):
    """Inputs at or beyond a cap take the exact path: the same value or the same error as the general path."""
    full = dict(so=0, mag=0, broken_trs=False, spinless=False, L_phi=None, L_T=None)
    full.update(kwargs)
    args = (tuple(full["shape"]), full["so"], full["mag"], full["broken_trs"], full["spinless"], full["L_phi"],
            full["L_T"])
    assert ucf_module._float_point(*args) is None
    try:
        expected = ucf_module._variance(*args, None)
    except ValueError as exc:
        with pytest.raises(ValueError) as info:
            ucf_variance(**kwargs)
        assert str(info.value) == str(exc)
    else:
        assert ucf_variance(**kwargs) == expected


def test_public_fast_path_matches_general_path():
    # numpy scalars skip the plain-number path: the same value through _setup + _evaluate
    for shape, so, L_phi in [((1, 0.3), 1.5, 2.0), ((1, 100, 0.01), 0, None), ((1,), (0.1, 0.2, 3.0), 0.05)]:
        fast = ucf_variance(shape=shape, so=so, L_phi=L_phi)
        general = ucf_variance(shape=tuple(np.float64(v) for v in shape), so=so,
                               L_phi=None if L_phi is None else np.float64(L_phi))
        assert fast == pytest.approx(general, rel=1e-14)


_PLAIN_NUMBERS = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-2**70, 2**70),
                           st.floats(1e-7, 1e7), st.sampled_from([0, 1, 1e-6, 1e6, 1e-4, 1e100, 1e-50]))


@settings(max_examples=200, deadline=None)
@given(shape=st.lists(_PLAIN_NUMBERS, min_size=0, max_size=4),
       so=st.one_of(_PLAIN_NUMBERS, st.tuples(_PLAIN_NUMBERS, _PLAIN_NUMBERS, _PLAIN_NUMBERS)),
       mag=_PLAIN_NUMBERS, broken_trs=st.booleans(), spinless=st.booleans(),
       L_phi=st.one_of(st.none(), _PLAIN_NUMBERS), L_T=st.one_of(st.none(), st.floats(1e-3, 1e3)))
def test_fast_point_equals_exact_path_or_same_error(shape, so, mag, broken_trs, spinless, L_phi, L_T):
    """Any plain input: the float set-up gives the exact set-up's value (1e-13), or defers to it (None), and the
    public call then returns that value or raises its error."""
    args = (tuple(shape), so, mag, broken_trs, spinless, L_phi, L_T)
    try:
        expected = ucf_module._variance(*args, None)
    except ValueError as exc:
        assert ucf_module._float_point(*args) is None
        ucf_module._variance_point.cache_clear()
        with pytest.raises(ValueError) as info:
            ucf_variance(shape=list(shape), so=so, mag=mag, broken_trs=broken_trs, spinless=spinless, L_phi=L_phi,
                         L_T=L_T)
        assert str(info.value) == str(exc)
        return
    ucf_module._variance_point.cache_clear()
    got = ucf_variance(shape=list(shape), so=so, mag=mag, broken_trs=broken_trs, spinless=spinless, L_phi=L_phi,
                       L_T=L_T)
    assert math.isfinite(got) and got == pytest.approx(expected, rel=1e-13, abs=1e-300)
