"""Worked temperature analysis of the README ("Interaction corrections and temperature analysis").

A synthetic 2D film, generated with the public functions (seeded): weak localization with spin-orbit scattering and
a dephasing rate saturation + AAK Nyquist (the rate of a film of sheet conductance 30 e^2/h), plus the
Altshuler-Aronov correction with F0_sigma = -0.25 and the Zeeman splitting (g = 2). Measured: sigma(T) at B = 0 and
at B_high = 0.3 T (12 temperatures 0.3-10 K, noise 0.002 e^2/h) and Delta sigma(B) traces at 5 temperatures (50
fields to 50 mT, noise 0.001 e^2/h). One global fit (mesocorr.fit_temperature_series) recovers everything.

    python docs/examples/temperature_analysis.py           # prints the README output, writes docs/img/temperature-analysis.png

``tests/test_interaction.py`` runs :func:`analyse` and checks that :func:`report` is what the README shows.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

import mesocorr
from mesocorr.units import E_CHARGE, HBAR, R_K

D, TAU, G_FACTOR, B_HIGH = 0.01, 1e-14, 2.0, 0.3     # m^2/s, s, 1, T
SIGMA_DRUDE = 30.0                                   # e^2/h per square
TRUTH = {"F0_sigma": -0.25, "B_so": 5e-3, "B_sat": 1e-4}


def field(rate):
    """B_x = hbar rate / (4 e D) in tesla."""
    return HBAR * rate / (4 * E_CHARGE * D)


def rate(B):
    return 4 * E_CHARGE * D * B / HBAR


#: AAK: 1/tau_phi = (k_B T / 2 pi hbar g) ln(pi g) of the film, as a field per kelvin
TRUTH["A_ee"] = field(mesocorr.nyquist_dephasing_rate(2, 1.0, sheet_resistance=R_K / SIGMA_DRUDE))


def b_phi(T):
    return TRUTH["B_sat"] + TRUTH["A_ee"] * T


def sigma(T, B=0.0):
    """sigma(B, T) in e^2/h per square: Drude + WL (exact zero-field form, HLN) + Altshuler-Aronov + Zeeman."""
    so, phi = rate(TRUTH["B_so"]), rate(b_phi(T))
    wl = mesocorr.wl_correction(2, D=D, so=so, phi=phi, elastic_time=TAU)
    if B:
        wl += float(mesocorr.magnetoconductance(B, D=D, so=so, phi=phi))
    ee = mesocorr.interaction_correction(2, T, elastic_time=TAU, F0_sigma=TRUTH["F0_sigma"],
                                         g_factor=G_FACTOR if B else None, B=B if B else None)
    return SIGMA_DRUDE + wl + ee.delta_sigma_total


def synthetic_data(seed: int = 2026) -> dict:
    rng = np.random.default_rng(seed)
    T = np.geomspace(0.3, 10.0, 12)
    s0 = np.array([sigma(t) for t in T]) + rng.normal(0, 2e-3, T.size)
    shi = np.array([sigma(t, B_HIGH) for t in T]) + rng.normal(0, 2e-3, T.size)
    traces = []
    for Tk in (0.5, 1.0, 2.0, 4.0, 8.0):
        B = np.linspace(1e-3, 0.05, 50)
        y = np.array([sigma(Tk, b) - sigma(Tk) for b in B]) + rng.normal(0, 1e-3, B.size)
        traces.append((Tk, B, y))
    return {"T_sigma": T, "sigma_zero": s0, "sigma_high": shi, "B_high": B_HIGH, "traces": traces}


def analyse(data: dict):
    return mesocorr.fit_temperature_series(**data, law="ee+sat", free_exponents=("p_ee",), g_factor=G_FACTOR, D=D,
                                           elastic_time=TAU)


def report(r) -> str:
    """The rounded numbers the README quotes."""
    lines = []
    for name, scale, unit in (("F0_sigma", 1, ""), ("B_so", 1e3, " mT"), ("A_ee", 1e3, " mT/K^p"), ("p_ee", 1, ""),
                              ("B_sat", 1e3, " mT")):
        p = r.params[name]
        truth = f"   (truth {TRUTH[name] * scale:.4g})" if name in TRUTH else "   (truth 1)"
        lines.append(f"{name:9s} {p['value'] * scale:.4f} +- {p['stderr'] * scale:.4f}{unit}{truth}")
    lines.append(f"F_tilde   {r.F_tilde['value']:.4f} +- {r.F_tilde['stderr']:.4f}")
    for T, v in r.tau_phi.items():
        lines.append(f"tau_phi({T} K) = {v['value'] * 1e12:.2f} +- {v['stderr'] * 1e12:.2f} ps")
    i, j = r.param_names.index("A_ee"), r.param_names.index("p_ee")
    lines.append(f"corr(A_ee, p_ee) = {r.correlation[i, j]:.2f}; chi2_red = {r.chi2_red:.2f}; warnings {r.warnings}")
    return "\n".join(lines)


def plot(r, data: dict, path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from mesocorr.derivations.core import save_png

    T = data["T_sigma"]
    Tf = np.geomspace(0.25, 12, 200)
    off = r.value("sigma_offset_high")
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(10, 4.2))
    ax.plot(np.log(T), data["sigma_zero"] - off, "o", ms=4, label="B = 0 (data)")
    ax.plot(np.log(Tf), r.sigma_zero_model(Tf) - off, "-", color="C0", lw=1, label="global fit")
    ax.plot(np.log(T), data["sigma_high"] - off, "s", ms=4, label=f"B = {B_HIGH:g} T (data)")
    ax.plot(np.log(Tf), r.sigma_high_model(Tf) - off, "-", color="C1", lw=1, label="global fit")
    slope = (1 - 0.75 * r.F_tilde["value"]) / np.pi
    ax.plot(np.log(Tf), slope * np.log(Tf) + (r.sigma_high_model(1.0) - off), ":", color="k",
            label=r"interaction alone: $(1-\frac{3}{4}\tilde F_\sigma)\,\ln T/\pi$")
    ax.set_xlabel("ln(T / 1 K)")
    ax.set_ylabel(r"$\sigma(T) - c_{hi}$  [e$^2$/h per square]")
    ax.set_title("conductance vs ln T: WL + Altshuler-Aronov (+ Zeeman)")
    ax.legend(fontsize=7)
    val, err = r.B_phi_law(Tf)
    tau = HBAR / (4 * E_CHARGE * D * val)
    bx.fill_between(Tf, HBAR / (4 * E_CHARGE * D * (val + err)) * 1e12, HBAR / (4 * E_CHARGE * D * (val - err)) * 1e12,
                    color="C2", alpha=0.3, lw=0)
    bx.loglog(Tf, tau * 1e12, "-", color="C2", label="global fit (band: 1 stderr)")
    bx.loglog(Tf, HBAR / (4 * E_CHARGE * D * b_phi(Tf)) * 1e12, "--", color="k", lw=1, label="truth: sat. + AAK")
    Tk = np.array([v["T"] for v in r.tau_phi.values()])
    bx.errorbar(Tk, [v["value"] * 1e12 for v in r.tau_phi.values()], [v["stderr"] * 1e12 for v in r.tau_phi.values()],
                fmt="o", color="C3", ms=4, label="at the trace temperatures")
    bx.set_xlabel("T (K)")
    bx.set_ylabel(r"$\tau_\phi$ (ps)")
    bx.set_title(r"$\tau_\phi(T)$ from the global fit")
    bx.legend(fontsize=7)
    save_png(fig, path)


def main(argv=None) -> int:
    data = synthetic_data()
    r = analyse(data)
    print(report(r))
    out = Path(__file__).resolve().parents[1] / "img" / "temperature-analysis.png"
    plot(r, data, str(out))
    print(f"wrote {out.relative_to(out.parents[2])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
