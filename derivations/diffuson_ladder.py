r"""Derivation ``diffuson-ladder``: the impurity ladder summed into the diffusion pole, :math:`D = v_F^2\tau/d`."""

from __future__ import annotations

import mpmath
import sympy as sp

from mesocorr.derivations.core import Derivation, check_numeric, check_symbolic
from mesocorr.symbolic.propagators import SYMBOLS, cooperon_pole, diffusion_pole, rung_kernel

TITLE = "Diffuson and Cooperon: the impurity ladder summed into the diffusion pole"

_AM4 = "Akkermans & Montambaux, Mesoscopic Physics of Electrons and Photons (CUP 2007), ch. 4 (Diffuson structure factor)"


def _numeric_D_over_tau(d: int) -> mpmath.mpf:
    """Independent route: angular average of the *exact* rung by quadrature, then (1 - <Pi>)/(q l)^2 as q l -> 0.

    With omega = 0, 1 - <Pi> = (q l)^2 <u^2> + O((q l)^4), so D tau^{-1} ... = v_F^2 <u^2> = v_F^2/d.
    Returns lim (1 - <Pi>) / (q l)^2 by Richardson extrapolation in (q l)^2 (units v_F = tau = 1).
    """
    kernel, _ = rung_kernel(exact=True)
    s = SYMBOLS
    u = sp.Symbol("u", real=True)
    f = sp.lambdify((s["q"], u), kernel.subs({s["omega"]: 0, s["tau"]: 1, s["v_F"]: 1, s["hbar"]: 1}), "mpmath")

    def avg(ql):
        if d == 1:
            return (f(ql, 1) + f(ql, -1)) / 2
        if d == 2:
            return mpmath.quad(lambda t: f(ql, mpmath.cos(t)), [0, mpmath.pi]) / mpmath.pi
        return mpmath.quad(lambda x: f(ql, x), [-1, 1]) / 2

    with mpmath.workdps(40):
        h1, h2 = mpmath.mpf("1e-4"), mpmath.mpf("2e-4")
        r1, r2 = (1 - avg(h1)) / h1**2, (1 - avg(h2)) / h2**2
        return mpmath.re((4 * r1 - r2) / 3)  # Richardson: removes the O(q^2 l^2) correction


def build() -> Derivation:
    d = Derivation("diffuson-ladder", TITLE,
                   r"The Diffuson is the ladder of impurity lines joining a retarded and an advanced Green's function. "
                   r"Each rung is the pair of lines integrated over the band energy; for $ql \ll 1$, "
                   r"$\omega\tau \ll 1$ the geometric series of rungs has a diffusion pole. The Cooperon (maximally "
                   r"crossed ladder) is the same pole at the pair momentum $Q + 2eA/\hbar$. Conventions: $\nu$ is the "
                   r"density of states per spin, the impurity line is $\gamma = \hbar/(2\pi\nu\tau)$, and "
                   r"$u = \cos\theta$ is the cosine of the angle between $\mathbf k$ and $\mathbf q$.")
    res = {k: diffusion_pole(k) for k in (1, 2, 3)}
    for text, expr in res[2].steps:
        d.step(text[0].upper() + text[1:] + (" ($d = 2$)" if "angular" not in text else "") + ":", expr)
    for k in (1, 3):
        d.equation(f"The same steps in $d = {k}$ give", "D", res[k].D)
    coop = cooperon_pole(2)
    for text, expr in coop.steps[:2]:
        d.step("Cooperon: " + text + ":", expr)
    d.equation("Cooperon propagator:", "C", coop.propagator.doit())

    tau, v, nu, hbar = SYMBOLS["tau"], SYMBOLS["v_F"], SYMBOLS["nu"], SYMBOLS["hbar"]
    for k in (1, 2, 3):
        d.check(check_symbolic(rf"$D = v_F^2\tau/{k}$ in $d = {k}$", _AM4, res[k].D, v**2 * tau / k))
        d.check(check_numeric(rf"$d = {k}$: $(1 - \langle\Pi\rangle)/(ql)^2 \to 1/{k}$ for $ql \to 0$, from the exact "
                              "rung", "independent route: the unexpanded rung averaged over angles by quadrature "
                              r"(mpmath), Richardson extrapolation in $(ql)^2$",
                              _numeric_D_over_tau(k), sp.Rational(1, k), rtol=1e-12))
    d.check(check_symbolic(r"Normalisation of the ladder: $\hbar/(2\pi\nu\tau^2)$, i.e. $1/(2\pi\nu\tau^2)$ at "
                           r"$\hbar = 1$", _AM4, res[2].normalisation, hbar / (2 * sp.pi * nu * tau**2)))
    Q, A, e = sp.Symbol("Q", real=True), SYMBOLS["A"], SYMBOLS["e"]
    d.check(check_symbolic(r"The Cooperon momentum is $Q + 2eA/\hbar$ (charge $2e$)",
                           "Akkermans & Montambaux (CUP 2007), ch. 6; Altshuler, Aronov & Khmelnitsky, "
                           "J. Phys. C 15, 7367 (1982)", coop.propagator.momentum, Q + 2 * e * A / hbar))
    return d
