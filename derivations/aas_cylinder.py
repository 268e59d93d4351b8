"""Derivation ``aas-cylinder``: the Cooperon on a cylinder with the flux boundary condition -> the AAS winding sum."""

from __future__ import annotations

import mpmath
import sympy as sp

from mesocorr.derivations.core import Derivation, check_numeric, check_symbolic
from mesocorr.integrals.rings import direct_mode_sum, winding_sum_mp
from mesocorr.rings import aas_harmonics
from mesocorr.symbolic import rings as R

TITLE = "AAS $h/2e$ oscillations: the Cooperon with the flux boundary condition summed over windings ($K_0$, ring)"

_AAS = "Altshuler, Aronov & Spivak, JETP Lett. 33, 94 (1981); Aronov & Sharvin, RMP 59, 755 (1987), Sec. III"
_AA = r"Altshuler & Aronov, JETP Lett. 33, 499 (1981) (quasi-1D wire: $\delta\sigma_{1D} = -(e^2/\pi\hbar)L_\phi$)"
_SO = ("Sharvin & Sharvin, JETP Lett. 34, 272 (1981) (Mg); Altshuler, Aronov, Spivak, Sharvin & Sharvin, "
       "JETP Lett. 35, 588 (1982) (Li: opposite phase, spin-orbit)")
_GR = (r"Gradshteyn & Ryzhik 8.526.1 ($\sum_{n\ge1} K_0(nx) = \pi/(2x) + (\gamma + \ln(x/4\pi))/2 + O(x^2)$)")
_POISSON = "independent route: a direct sum over the angular modes $m$"


def build() -> Derivation:
    d = Derivation("aas-cylinder", TITLE,
                   "Conventions: circumference $L$, flux $\\Phi$ through the hole in units of $\\Phi_0 = h/e$; the "
                   "Cooperon carries charge $2e$, so its angular momenta are $q_m = (2\\pi/L)(m + 2\\Phi/\\Phi_0)$; "
                   "$L_c = \\sqrt{D/\\Gamma_c}$ per spin channel, weights $w_c$ (singlet $-1/2$, triplets $+1/2$), "
                   "spin degeneracy $s = 2$; results in $e^2/h$.")
    L, Lc, n, phi, x, th = (R.SYMBOLS[k] for k in ("L", "L_c", "n", "varphi", "x", "theta"))
    m = R.SYMBOLS["m"]
    d.step("Flux boundary condition: around the cylinder a charge-$2e$ pair picks up $e^{4\\pi i\\Phi/\\Phi_0}$, so "
           "the Cooperon's angular modes are ($\\varphi = 2\\Phi/\\Phi_0$)", sp.Eq(sp.Symbol("q_m"), 2 * sp.pi / L * (m + phi)))
    d.equation("Thin ring (one transverse mode): the mode sum in closed form by partial fractions and "
               "$\\sum_m 1/(m+z) = \\pi\\cot\\pi z$, $\\varphi = 2\\Phi/\\Phi_0$, $b = L/2\\pi L_c$:",
               r"\sum_m \frac{1}{(m+\varphi)^2+b^2}", R.periodic_mode_sum())
    closed, coeff = R.winding_fourier_series()
    d.equation("Its Fourier series in the flux (geometric series, SymPy): the winding $n$ carries", closed,
               1 + sp.Sum(coeff * sp.cos(n * th), (n, 1, sp.oo)))
    d.step("Poisson resummation in general: $\\frac1L\\sum_m F(q_m) = \\sum_n e^{2\\pi in\\varphi}\\int\\frac{dq}{2\\pi}"
           "F(q)e^{-iqnL}$, so each winding is the free Green's function of $-\\nabla^2 + L_c^{-2}$ at distance $nL$:")
    for dim in (1, 2, 3):
        d.equation(f"$d = {dim}$ (SymPy Fourier integral{'; Meijer $G$ identified as $K_0$' if dim == 2 else ''}):",
                   f"G_{dim}(r)", R.winding_green(dim))
    for dim, text in ((2, "Thin-walled cylinder (2D wall, per square)"),
                      (1, r"Thin wire ring ($\delta\sigma_{1D}$ in units of $(e^2/h)\,\mathrm{m}$)"),
                      (3, r"Thick wall (3D, in units of $(e^2/h)/\mathrm{m}$)")):
        d.equation(f"{text}: amplitude of $\\cos(4\\pi n\\Phi/\\Phi_0)$ of one channel, "
                   "$-2(P/D)w_cG_d(nL)$ with the weak-localization prefactor of the Hikami box:",
                   f"A_n^{{(d={dim})}}", R.aas_winding_amplitude(dim))
    d.equation("Thin ring, the winding-zero term (the infinite wire):", "A_0^{(d=1)}", R.aas_uniform_term())
    d.equation("Field inside a wall of thickness $t$ (parallel-field dephasing of a film, $B = 4\\pi\\Phi/L^2$), in "
               "units of $D/L^2$:", r"\Gamma_{wall}", R.wall_field_rate())

    # ---- checks
    s, w = R.SYMBOLS["s"], R.SYMBOLS["w_c"]
    A2 = R.aas_winding_amplitude(2).subs({s: 2, w: 1})
    d.check(check_symbolic(r"Thin cylinder, spin-degenerate, no spin-orbit: $A_n = -(2e^2/\pi^2\hbar)K_0(nL/L_\phi) "
                           r"= -(4/\pi)K_0(nL/L_\phi)\,e^2/h$ per square", _AAS, A2,
                           -4 / sp.pi * sp.besselk(0, n * L / Lc)))
    with mpmath.workdps(30):
        xs = mpmath.mpf("1e-4")
        val, _ = winding_sum_mp(2, xs, 0, 20)
        wire = -(4 / mpmath.pi) * val * xs            # (delta sigma L) / L_phi at L = 1e-4 L_phi
        wire += 2 / mpmath.pi * (mpmath.euler + mpmath.log(xs / (4 * mpmath.pi))) * xs
    d.check(check_numeric(r"$L \ll L_\phi$: the cylinder sum times $L$ tends to the wire value $-2L_\phi$ in "
                          r"$(e^2/h)\,\mathrm{m}$ (the small-$x$ expansion of $\sum_n K_0(nx)$ removed to $O(x^2)$)",
                          _AA + "; " + _GR, wire, -2, rtol=1e-10))
    for dim, xv, ph in ((1, "0.7", "0.13"), (2, "1.3", "0.37"), (3, "0.4", "0.21")):
        xm = mpmath.mpf(xv)
        val, _ = winding_sum_mp(dim, xm, 2 * mpmath.pi * mpmath.mpf(ph), 20)
        pred = {1: val / xm, 2: 2 / mpmath.pi * val, 3: -2 * val}[dim]
        d.check(check_numeric(f"Poisson step, $d = {dim}$: the winding sum equals the sum over the angular modes "
                              f"minus its integral ($x = L/L_c = {xv}$, $\\varphi = {ph}$)", _POISSON, pred,
                              direct_mode_sum(dim, float(xv), float(ph), M=400, dps=30), rtol=1e-11))
    wl = aas_harmonics(0.7, "cylinder", n_harmonics=1)[0]["amplitude"]
    wal = aas_harmonics(0.7, "cylinder", so=1e9, n_harmonics=1)[0]["amplitude"]
    d.check(check_numeric("Strong spin-orbit scattering: the h/2e amplitude is -1/2 of the spin-degenerate one "
                          "(singlet only): the oscillation reverses its sign", _SO, wal / wl, -0.5, rtol=1e-8))
    tt, LL, Ph, P0 = (R.SYMBOLS[k] for k in ("t", "L", "Phi", "Phi_0"))
    d.check(check_symbolic(r"Wall field rate $\Gamma_{wall} = De^2t^2B^2/(3\hbar^2)$ with $B = \Phi/(\pi R^2)$, "
                           r"$L = 2\pi R$, $\Phi_0 = 2\pi\hbar/e$, in units of $D/L^2$",
                           "Altshuler & Aronov, JETP Lett. 33, 499 (1981) (parallel-field dephasing of a film)",
                           R.wall_field_rate(),
                           (tt**2 * (Ph / (sp.pi * (LL / (2 * sp.pi)) ** 2)) ** 2 / 3
                            * (2 * sp.pi / P0) ** 2 * LL**2)))
    return d
