"""Length scales, regimes and AAK dephasing against hand-computed values.

Hand computations use the exact 2019 SI constants in ``fractions``/``mpmath`` form, an
independent route from the float64 code.
"""

from __future__ import annotations

import math

import mpmath
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mesocorr import nyquist_dephasing_rate, scales
from mesocorr.units import mp_constant

# A GaAs-like 2DEG: k_F = 1.5e8 /m, v_F = 2.6e5 m/s, tau = 1 ps
KF, VF, TAU = 1.5e8, 2.6e5, 1e-12


def test_kinematics_by_hand():
    s = scales(2, fermi_wavevector=KF, fermi_velocity=VF, elastic_time=TAU)
    assert s.mean_free_path == pytest.approx(2.6e-7, rel=1e-15)           # l = v_F tau
    assert s.diffusion_constant == pytest.approx(2.6e5**2 * 1e-12 / 2, rel=1e-15)  # 0.0338 m^2/s
    assert s.fermi_wavelength == pytest.approx(2 * math.pi / 1.5e8, rel=1e-15)
    assert s.kF_l == pytest.approx(39.0, rel=1e-14)


@pytest.mark.parametrize("dim", [1, 2, 3])
@pytest.mark.parametrize("pair", [("fermi_velocity", "elastic_time"), ("fermi_velocity", "mean_free_path"),
                                  ("fermi_velocity", "diffusion_constant"), ("elastic_time", "mean_free_path"),
                                  ("elastic_time", "diffusion_constant"), ("mean_free_path", "diffusion_constant")])
def test_any_two_kinematic_inputs_close_the_triangle(dim, pair):
    full = dict(fermi_velocity=VF, elastic_time=TAU, mean_free_path=VF * TAU, diffusion_constant=VF**2 * TAU / dim)
    s = scales(dim, **{k: full[k] for k in pair})
    for k, v in full.items():
        assert getattr(s, k) == pytest.approx(v, rel=1e-13), k


def test_L_phi_and_L_T_by_hand_with_exact_constants():
    D, tphi, T = 0.0338, 3e-11, 0.25
    s = scales(2, diffusion_constant=D, dephasing_time=tphi, temperature=T)
    assert s.L_phi == pytest.approx(math.sqrt(D * tphi), rel=1e-15)
    with mpmath.workdps(30):
        L_T = mpmath.sqrt(mp_constant("hbar") * mpmath.mpf(D) / (mp_constant("k_B") * mpmath.mpf(T)))
    assert s.L_T == pytest.approx(float(L_T), rel=1e-14)
    assert s.L_T == pytest.approx(1.0162e-6, rel=1e-4)  # hand: sqrt(1.0546e-34*0.0338/(1.3806e-23*0.25))


@pytest.mark.parametrize("L,expected", [(1e-8, "ballistic"), (2.6e-8, "ballistic"), (1e-7, "quasi-ballistic"),
                                        (2.59e-6, "quasi-ballistic"), (2.6e-6, "diffusive"), (1e-4, "diffusive")])
def test_transport_regime_thresholds(L, expected):
    s = scales(2, fermi_velocity=VF, elastic_time=TAU, length=L)  # l = 2.6e-7 m
    assert s.verdict["transport"] == expected


def test_coherence_needs_both_L_phi_and_L_T():
    base = dict(diffusion_constant=0.01, dephasing_time=1e-10, temperature=0.01)  # L_phi = 1e-6, L_T ~ 2.8e-6
    assert scales(2, length=0.9e-6, **base).verdict["coherence"] == "phase-coherent"
    s = scales(2, length=1.5e-6, **base)
    assert s.verdict["coherence"] == "self-averaging" and "L/L_phi" in s.reasons["coherence"]
    s = scales(2, length=2e-6, diffusion_constant=0.01, dephasing_time=1e-9, temperature=1.0)  # L_T = 2.76e-7
    assert s.verdict["coherence"] == "self-averaging" and "L/L_T" in s.reasons["coherence"]


@pytest.mark.parametrize("kFl,expected", [(0.5, "strong localization"), (1.0, "strong localization"),
                                          (3.0, "intermediate"), (10.0, "metallic"), (100.0, "metallic")])
def test_ioffe_regel(kFl, expected):
    s = scales(3, fermi_wavevector=1e10, mean_free_path=kFl / 1e10)
    assert s.kF_l == pytest.approx(kFl) and s.verdict["disorder"] == expected


def test_energy_relaxation_must_dephase():
    ok = scales(2, diffusion_constant=0.01, dephasing_time=1e-11, energy_relaxation_time=1e-9)
    assert ok.inconsistencies == []
    bad = scales(2, diffusion_constant=0.01, dephasing_time=1e-9, energy_relaxation_time=1e-11)
    assert len(bad.inconsistencies) == 1 and "tau_phi <= tau_E" in bad.inconsistencies[0]


@pytest.mark.parametrize("kwargs,match", [
    (dict(elastic_time=-1e-12), "elastic_time: must be positive"),
    (dict(elastic_time=float("nan")), "elastic_time: must be finite"),
    (dict(dephasing_time=1e-11), "dephasing_time: L_phi"),
    (dict(temperature=1.0, fermi_velocity=1e5), "temperature: L_T"),
    (dict(fermi_velocity=1e5, elastic_time=1e-12, mean_free_path=2e-7), "mean_free_path: inconsistent"),
    (dict(fermi_wavevector=1e8, fermi_wavelength=1e-8), "fermi_wavelength"),
    (dict(fermi_velocity=1e5, require=["L_phi"]), "require: cannot determine L_phi"),
])
def test_bad_input_names_the_argument(kwargs, match):
    with pytest.raises(ValueError, match=match):
        scales(2, **kwargs)


def test_dim_is_checked():
    with pytest.raises(ValueError, match="dim"):
        scales(4)
    with pytest.raises(TypeError, match="dim"):
        scales(2.0)


@settings(deadline=None, max_examples=60, derandomize=True)
@given(st.floats(1e4, 1e7), st.floats(1e-15, 1e-10), st.sampled_from([1, 2, 3]))
def test_einstein_relation_invariants(vF, tau, dim):
    s = scales(dim, fermi_velocity=vF, elastic_time=tau)
    assert s.diffusion_constant == pytest.approx(s.fermi_velocity * s.mean_free_path / dim, rel=1e-13)
    back = scales(dim, diffusion_constant=s.diffusion_constant, mean_free_path=s.mean_free_path)
    assert back.elastic_time == pytest.approx(tau, rel=1e-12)


# ---------------------------------------------------------------- AAK Nyquist dephasing

def test_aak_2d_by_hand():
    """2D: 1/tau_phi = (k_B T / 2 pi hbar g) ln(pi g), g = hbar/(e^2 R_sq) (AAK 1982)."""
    Rs, T = 1000.0, 2.0
    with mpmath.workdps(30):
        g = mp_constant("hbar") / (mp_constant("e") ** 2 * Rs)
        ref = mp_constant("k_B") * T / (2 * mpmath.pi * mp_constant("hbar") * g) * mpmath.log(mpmath.pi * g)
        # the same rate written with the sheet resistance in units of R_K: (k_B T/hbar)(R_sq/R_K) ln(R_K/2R_sq)
        alt = mp_constant("k_B") * T / mp_constant("hbar") * (Rs / mp_constant("R_K")) * mpmath.log(
            mp_constant("R_K") / (2 * Rs))
        assert abs(ref / alt - 1) < mpmath.mpf(10) ** -25
    assert nyquist_dephasing_rate(2, T, sheet_resistance=Rs) == pytest.approx(float(ref), rel=1e-13)
    # hand value: g = 4.108, ln(pi g) = 2.557, k_B T/hbar = 2.619e11 -> 2.59e10 1/s
    assert nyquist_dephasing_rate(2, T, sheet_resistance=Rs) == pytest.approx(2.594e10, rel=2e-3)


def test_aak_1d_via_density_of_states():
    """1D in the nu*A form: 1/tau_phi = [k_B T / (2 sqrt2 hbar^2 nu A sqrt D)]^(2/3), R/L = 1/(e^2 nu D A)."""
    D, T, nuA = 0.02, 0.5, 3.0e27  # nu*A in 1/(J m)
    RL = 1.0 / (float(mp_constant("e")) ** 2 * nuA * D)
    with mpmath.workdps(30):
        hbar = mp_constant("hbar")
        ref = (mp_constant("k_B") * T / (2 * mpmath.sqrt(2) * hbar**2 * nuA * mpmath.sqrt(D))) ** (mpmath.mpf(2) / 3)
    assert nyquist_dephasing_rate(1, T, resistance_per_length=RL, diffusion_constant=D) == pytest.approx(
        float(ref), rel=1e-12)


def test_aak_scaling_laws():
    r1 = nyquist_dephasing_rate(1, 1.0, resistance_per_length=1e7, diffusion_constant=0.01)
    r8 = nyquist_dephasing_rate(1, 8.0, resistance_per_length=1e7, diffusion_constant=0.01)
    assert r8 / r1 == pytest.approx(4.0, rel=1e-13)  # T^(2/3)
    assert nyquist_dephasing_rate(2, 3.0, sheet_resistance=500) / nyquist_dephasing_rate(
        2, 1.0, sheet_resistance=500) == pytest.approx(3.0, rel=1e-14)  # linear in T


@pytest.mark.parametrize("args,kwargs,match", [
    ((2, 1.0), dict(sheet_resistance=20000.0), "sheet_resistance"),
    ((2, 1.0), {}, "sheet_resistance"),
    ((1, 1.0), dict(resistance_per_length=1e7), "resistance_per_length"),
    ((2, -1.0), dict(sheet_resistance=100.0), "temperature"),
    ((3, 1.0), dict(sheet_resistance=100.0), "dim"),
])
def test_aak_errors(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        nyquist_dephasing_rate(*args, **kwargs)


def test_json_carries_the_unit_of_every_quantity(capsys):
    import dataclasses
    import json as _json

    from mesocorr.cli import main as _main
    from mesocorr.lengths import UNITS, Scales

    numeric = {f.name for f in dataclasses.fields(Scales) if f.name not in ("dim", "verdict", "reasons", "inconsistencies")}
    assert set(UNITS) == numeric
    assert _main(["scales", "--dim", "2", "--vF", "2e5", "--l", "1e-7", "--json"]) == 0
    out = _json.loads(capsys.readouterr().out)
    assert out["units"]["diffusion_constant"] == "m^2/s" and out["units"]["L_phi"] == "m"
    assert out["units"]["elastic_time"] == "s" and out["units"]["kF_l"] == "1"
    # the units are the SI ones the numbers are in: D = v l / d = 2e5 * 1e-7 / 2 m^2/s
    assert out["diffusion_constant"] == pytest.approx(0.01, rel=1e-12)
