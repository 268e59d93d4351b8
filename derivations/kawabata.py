"""Derivation ``kawabata``: 3D magnetoconductance, the Landau-level sum with a free q_z into a Hurwitz zeta function."""

from __future__ import annotations

import mpmath
import sympy as sp

from mesocorr.derivations.core import isotropic_channel_fields, Derivation, check_numeric, check_symbolic
from mesocorr.symbolic import wl as W
from mesocorr.units import mp_constant
from mesocorr.symbolic.channels import channels
from mesocorr.symbolic.printing import tex_number
from mesocorr.wl import magnetoconductance

TITLE = r"3D magnetoconductance (Kawabata): Landau levels with a free $q_z$ summed into a Hurwitz zeta function"

_K = "Kawabata, Solid State Commun. 34, 431 (1980); J. Phys. Soc. Jpn. 49, 628 (1980)"
_DLMF = r"NIST DLMF 25.11.11: $\zeta(s, \frac12) = (2^s - 1)\zeta(s)$"

_DELTAS = ("0", "0.25", "3", "40")
_D, _PHI, _SO = "0.005", "4e10", "1e12"
_FIELDS = ("0.002", "0.3")


def _f3_sum(delta: str) -> mpmath.mpf:
    """Independent route: Kawabata's defining sum sum_n [2(sqrt(n+1+d) - sqrt(n+d)) - (n+1/2+d)^(-1/2)], Levin u.

    Each term is rewritten without cancellation, 1/(2 (p+q)^2 (r+p) (r+q) r) with p = sqrt(u+1), q = sqrt(u),
    r = sqrt(u+1/2), u = n + d (an algebraic identity), and the partial sums are accelerated by the Levin
    u-transformation (Weniger, Comput. Phys. Rep. 10, 189 (1989), eq. 7.5-7) with shift parameter
    beta = 1 + d, so that its remainder model sum_j c_j/(n + beta)^j is an expansion in 1/u, the variable the
    terms are smooth in (beta = 1, the usual choice, converges slowly when d >> 1). Partial sums up to 100 terms,
    100 working digits (the transformation of a logarithmically convergent series cancels digits); the estimate is
    returned (rounded to 40 digits) when two successive transforms (5 more terms) agree to 1e-45 relative, else
    ValueError (the transformation's own rounding errors grow with the number of terms and with beta: for
    d >= 1e6 no two transforms agree and it raises). Measured against zeta at 60 digits: relative error <= 6e-42
    (the 40-digit rounding) at d = 0, 1e-6, 1/4, 3, 40, 1000, 0.015-0.1 s each (mpmath.nsum's adaptive Levin,
    the former route, 0.16-0.8 s).
    """
    with mpmath.workdps(100):
        dm = mpmath.mpf(delta)
        half = mpmath.mpf(1) / 2
        levin = mpmath.levin(method="levin", variant="u")
        levin.theta = 1 + dm  # the shift beta of the Levin transformation (mpmath's attribute name)
        partial, total, previous = [], mpmath.mpf(0), None
        for n in range(100):
            u = n + dm
            p, q, r = mpmath.sqrt(u + 1), mpmath.sqrt(u), mpmath.sqrt(u + half)
            total += 1 / (2 * (p + q) ** 2 * (r + p) * (r + q) * r)
            partial.append(total)
            if n % 5 == 4:
                value, _ = levin.update_psum(partial)
                if previous is not None and abs(value - previous) <= mpmath.mpf(10) ** -45 * abs(value):
                    with mpmath.workdps(40):
                        return +value
                previous = value
        raise ValueError(f"delta: the Levin-accelerated defining sum of f3({delta}) did not converge in 100 terms")


def _f3_hurwitz(delta: str) -> mpmath.mpf:
    """The Hurwitz form -2 sqrt(d) - zeta(1/2, 1/2 + d) at 40 digits (the two terms cancel for large d)."""
    with mpmath.workdps(40):
        dm = mpmath.mpf(delta)
        return -2 * mpmath.sqrt(dm) - mpmath.zeta(mpmath.mpf(1) / 2, mpmath.mpf(1) / 2 + dm)


def _kawabata_si_mp(B: str) -> mpmath.mpf:
    """Independent route: Kawabata's form with isotropic spin-orbit in (e^2/h)/m, 50-digit mpmath:
    Delta sigma = (1/pi) sqrt(eB/hbar) [ (3/2) f3(B_t/B) - (1/2) f3(B_phi/B) ], B_t = B_phi + (4/3) B_so,
    f3(d) = -2 sqrt(d) - zeta(1/2, 1/2 + d)."""
    with mpmath.workdps(50):
        hbar = mp_constant("hbar")
        e = mp_constant("e")
        scale = hbar / (4 * e * mpmath.mpf(_D))
        Bphi, Bso, b = scale * mpmath.mpf(_PHI), scale * mpmath.mpf(_SO), mpmath.mpf(B)
        half = mpmath.mpf(1) / 2

        def f3(dd):
            return -2 * mpmath.sqrt(dd) - mpmath.zeta(half, half + dd)

        Bt = Bphi + 4 * Bso / 3
        return mpmath.sqrt(e * b / hbar) * (3 * f3(Bt / b) / 2 - f3(Bphi / b) / 2) / mpmath.pi


def build() -> Derivation:
    d = Derivation("kawabata", TITLE,
                   "In a bulk sample the field quantises the Cooperon motion perpendicular to $B$ into Landau levels "
                   r"$E_n = D(n+\frac12)4eB/\hbar$ (charge $2e$) while $q_z$ stays free. Conventions: "
                   r"$B_c = \hbar\Gamma_c/(4eD)$, $\delta = B_c/B$, $\Delta\sigma(B) = \sigma(B)-\sigma(0)$ in "
                   r"units of $(e^2/h)$ per metre, $s = 2$, weights $w_c$ (singlet $-1/2$, triplets $+1/2$).")
    qz, E = sp.symbols("q_z E", positive=True)
    D, e, hbar, B, Bc = (W.SYMBOLS[k] for k in ("D", "e", "hbar", "B", "B_c"))
    line = sp.Integral(1 / (D * qz**2 + E), (qz, -sp.oo, sp.oo)) / (2 * sp.pi)
    # SymPy's rule-based (manual) integrator gives the canonical form directly, at half the cost of the
    # meijerg=False (Risch) route; the default Meijer-G route builds SymPy's lookup table on first use (0.3 s) and
    # needs a simplify (tests/test_derive_numeric_speed.py compares the three)
    d.step("The free $q_z$ integral of one Landau level (SymPy):", sp.Eq(line, line.doit(manual=True)))
    n = sp.Symbol("n", integer=True, nonnegative=True)
    N = sp.Symbol("N", integer=True, positive=True)
    dl = sp.Symbol("delta", positive=True)
    a = sp.Rational(1, 2) + dl
    d.step(r"so level $n$ contributes $\propto (n + \frac12 + \delta)^{-1/2}$ and $\delta\sigma(B) \propto "
           r"-\sqrt{eB/\hbar}\sum_n (n+\frac12+\delta)^{-1/2}$. The $B = 0$ integral with the same cutoff is, "
           r"level by level, the telescoping sum $\sum_n 2(\sqrt{n+1+\delta} - \sqrt{n+\delta})$ (SymPy):",
           sp.Eq(sp.Sum(2 * (sp.sqrt(n + 1 + dl) - sp.sqrt(n + dl)), (n, 0, N - 1)),
                 sp.summation(2 * (sp.sqrt(n + 1 + dl) - sp.sqrt(n + dl)), (n, 0, N - 1))))
    d.equation(r"The divergent $2\sqrt{N}$ cancels against $\sum_{n<N}(n+a)^{-1/2} = 2\sqrt{N+a} + \zeta(\frac12, a) + "
               r"o(1)$ (the Hurwitz zeta function, $a = \frac12 + \delta$), leaving Kawabata's function "
               r"$f_3(\delta) = \sum_n[2(\sqrt{n+1+\delta}-\sqrt{n+\delta}) - (n+\frac12+\delta)^{-1/2}]$ "
               "in the closed form used by the library (checked numerically against the defining sum below):",
               r"f_3(\delta)", -2 * sp.sqrt(dl) - sp.zeta(sp.Rational(1, 2), a))
    one = W.kawabata_3d()
    d.equation("One channel's 3D magnetoconductance (with its weight $w_c$), $(e^2/h)$ per metre:",
               r"\Delta\sigma_c(B)", one)
    w, s = W.SYMBOLS["w_c"], W.SYMBOLS["s"]
    (Bphi, Bso), chans, fields = isotropic_channel_fields(D, e, hbar)
    tphi = sp.Symbol("tau_phi", positive=True)
    d.equation("Channel fields with isotropic spin-orbit scattering (singlet, three triplets):",
               r"(B_S, B_{T_x}, B_{T_y}, B_{T_z})", sp.Matrix([fields]))
    total = sum((one.subs({w: c.wl_weight, Bc: f, s: 2}) for c, f in zip(chans, fields)), sp.Integer(0))
    d.equation("Summed over channels ($s = 2$), $(e^2/h)$ per metre:", r"\Delta\sigma(B)", total)

    # ---- checks
    def f3(x):
        return -2 * sp.sqrt(x) - sp.zeta(sp.Rational(1, 2), sp.Rational(1, 2) + x)

    no_so = sum((one.subs({w: c.wl_weight, Bc: Bphi, s: 2}) for c in channels("cooperon", phi=1 / tphi)),
                sp.Integer(0))
    si = no_so * e**2 / (2 * sp.pi * hbar)
    d.check(check_symbolic(r"Spin-degenerate, SI: $\Delta\sigma = \frac{e^2}{2\pi^2\hbar}\sqrt{eB/\hbar}\,"
                           r"f_3(B_\phi/B)$", _K, si, e**2 / (2 * sp.pi**2 * hbar) * sp.sqrt(e * B / hbar) * f3(Bphi / B)))
    d.check(check_symbolic(r"Isotropic spin-orbit: $\Delta\sigma = \frac{1}{\pi}\sqrt{eB/\hbar}\left[\frac32 "
                           r"f_3\left(\frac{B_\phi + \frac43 B_{so}}{B}\right) - \frac12 f_3\left(\frac{B_\phi}{B}"
                           r"\right)\right]$ in $(e^2/h)$ per metre",
                           _K + "; Hikami, Larkin & Nagaoka (1980) channel structure",
                           total, sp.sqrt(e * B / hbar) / sp.pi * (sp.Rational(3, 2) * f3((Bphi + sp.Rational(4, 3)
                                                                                            * Bso) / B)
                                                                  - f3(Bphi / B) / 2)))
    for dv in _DELTAS:
        d.check(check_numeric(r"Hurwitz form $f_3(\delta) = -2\sqrt{\delta} - \zeta(\frac12, \frac12 + \delta)$ "
                              f"at $\\delta = {dv}$ equals Kawabata's defining sum",
                              "independent route: the defining series summed with Levin acceleration (mpmath; "
                              + _K + ")", _f3_hurwitz(dv), _f3_sum(dv), rtol=1e-12))
    with mpmath.workdps(40):
        f30 = (mpmath.sqrt(2) - 1) * -mpmath.zeta(mpmath.mpf(1) / 2)
    d.check(check_numeric(r"Zero dephasing: $f_3(0) = (\sqrt2 - 1)\,\lvert\zeta(\frac12)\rvert = 0.6049\ldots$",
                          _DLMF + "; " + _K, f3(sp.Integer(0)), f30, rtol=1e-12))
    with mpmath.workdps(60):
        big = mpmath.mpf(10) ** 6
        half = mpmath.mpf(1) / 2

        def g(x):
            return 48 * x ** (3 * half) * (-2 * mpmath.sqrt(x) - mpmath.zeta(half, half + x))

        richardson = 2 * g(2 * big) - g(big)
    d.check(check_numeric(r"Low field ($\delta \gg 1$): $f_3(\delta) \to \delta^{-3/2}/48$, i.e. $\Delta\sigma \propto "
                          r"B^2$; $48\,\delta^{3/2}f_3(\delta)$ at $\delta = 10^6$ and $2\times10^6$ with one "
                          "Richardson step", _K, richardson, 1, rtol=1e-12))
    for bf in _FIELDS:
        api = magnetoconductance(float(bf), dim=3, D=float(_D), so=float(_SO), phi=float(_PHI), dps=30)
        d.check(check_numeric(rf"The library's 3D magnetoconductance (30 digits) at $B = {tex_number(bf)}\,\mathrm{{T}}$ "
                              "equals Kawabata's form evaluated in mpmath", _K, api, _kawabata_si_mp(bf), rtol=1e-12))
        api64 = magnetoconductance(float(bf), dim=3, D=float(_D), so=float(_SO), phi=float(_PHI))
        d.check(check_numeric(rf"Its float64 path at $B = {tex_number(bf)}\,\mathrm{{T}}$", _K, api64,
                              _kawabata_si_mp(bf), rtol=1e-12))
    return d
