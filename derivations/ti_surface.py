"""Derivation ``ti-surface``: one Dirac cone (massless and massive), its Cooperon sectors and the range of alpha."""

from __future__ import annotations

import sympy as sp

from mesocorr.derivations.core import Derivation, check_symbolic
from mesocorr.diagrams.dirac_models import hikami_weights, ti_surface_model, ti_surface_projection

TITLE = r"Topological-insulator surface: band-projected Cooperon, Berry phase, $\alpha = -\frac12$ and the massive cone"

_LSS = r"Lu, Shi, Shen, Phys. Rev. Lett. 107, 076801 (2011) (WAL $\to$ WL crossover of a gapped surface)"


def build() -> Derivation:
    d = Derivation("ti-surface", TITLE,
                   "One cone $H = v\\,\\boldsymbol\\sigma\\cdot\\mathbf k + m\\sigma_z$, $a = m/E_F$; conduction band "
                   "$(c, s\\,e^{i\\theta})$, $c, s = \\sqrt{(1\\pm a)/2}$; potential disorder $\\gamma_0$. The Cooperon "
                   "rung $\\langle\\mathbf k|\\mathbf k'\\rangle\\langle-\\mathbf k|-\\mathbf k'\\rangle$ splits into "
                   "angular harmonics $n$; harmonic $n$ back-scatters with the sign $(-1)^n$.")
    a = sp.Symbol("a", nonnegative=True)
    bp = ti_surface_projection(a)
    d.equation("projected vertex:", "V", bp.vertex(sp.eye(2))[0, 0])
    d.equation("Born rate:", "1/\\tau", bp.decay_rate)
    for (m, n), blk in sorted(bp.rung("cooperon").items()):
        d.equation(f"rung harmonic ({m}, {n}):", f"R_{{{m}}}", blk[0, 0])
    gaps = {}
    for n in (0, 1):
        (c,) = ti_surface_model(a, sector=n).spectrum("cooperon").channels
        gaps[n] = sp.factor(sp.cancel(c.gap / bp.decay_rate))
        d.equation(f"sector {n}: gap times $\\tau$", rf"\Gamma_{n}\tau", gaps[n])
        d.equation(f"sector {n}: weight", f"w_{n}", c.weight)
    boxes = hikami_weights(a)
    d.equation("transport factor of the current vertex:", "\\eta = \\tau_{tr}/\\tau", boxes[0]["eta"])
    for n in (0, 1):
        d.equation(f"sector {n}: bare Hikami box $(-1)^n\\lambda_n\\eta$", f"w_{n}^{{(0)}}", boxes[n]["bare"])
        d.equation(f"sector {n}: the two dressed boxes", f"w_{n}^{{(1)}}", boxes[n]["dressed"])
    d.check(check_symbolic(r"Massless: bare box $-2$, dressed boxes $+1$, total $-1$ ($\alpha = -\frac12$)", "symplectic class",
                           sp.Matrix([boxes[1]["bare"].subs(a, 0), boxes[1]["dressed"].subs(a, 0)]),
                           sp.Matrix([-2, 1])))
    d.check(check_symbolic(r"Massless: sector 1 gapless, weight $-1$: $\alpha = -\frac12$", "symplectic class",
                           sp.Matrix([gaps[1].subs(a, 0), ti_surface_model(0).spectrum("cooperon").channels[0].weight]),
                           sp.Matrix([0, -1])))
    d.check(check_symbolic(r"$a \to 0$: $\Gamma_1\tau \sim 2a^2$", _LSS, sp.limit(gaps[1] / a**2, a, 0), 2))
    d.check(check_symbolic(r"$a \to 1$: sector 0 (weight $+1$, WL) gapless like $(1-a)^2/4$", _LSS,
                           sp.limit(gaps[0] / (1 - a) ** 2, a, 1), sp.Rational(1, 4)))
    d.equation("so one cone spans", "\\alpha", sp.Interval(-sp.Rational(1, 2), sp.Rational(1, 2)))
    return d
