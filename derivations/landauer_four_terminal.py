"""Derivation ``landauer-four-terminal``: Buttiker's four-terminal resistance and its reciprocity."""

from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp
from sympy.polys.matrices import DomainMatrix

from mesocorr.derivations.core import Derivation, Step, check_numeric, check_symbolic, check_true
from mesocorr.multiterminal import four_terminal_resistance, onsager_check, transmission_matrix
from mesocorr.rmt import haar_unitary
from mesocorr.symbolic.printing import latex, tex_number
from mesocorr.symbolic.landauer import (
    conductance_matrix_symbolic,
    four_terminal_resistance_symbolic,
    multiterminal_resistance_symbolic,
    transmission_symbol,
)

TITLE = "Landauer–Büttiker four-terminal resistance: closed form, Büttiker's formula and reciprocity"

_BUE = "M. Büttiker, PRL 57, 1761 (1986) (four-terminal formula and reciprocity)"
_BUE88 = "M. Büttiker, IBM J. Res. Dev. 32, 317 (1988); Datta, Electronic Transport in Mesoscopic Systems, ch. 2"
_LEADS = 4
#: configurations shown and checked: (current (i, j), voltage (k, l))
_CONFIGS = (((1, 2), (3, 4)), ((1, 3), (2, 4)), ((1, 2), (1, 3)))
_SEED = 20261124
_CHANNELS = (2, 1, 3, 2)


def _T(a: int, b: int) -> sp.Symbol:
    return transmission_symbol(a, b, _LEADS)


def _sum_rule_solution() -> dict:
    """Column sum rules (current in = current out for leads 1..3; lead 4 follows) solved for T_12, T_13, T_14."""
    rules = [sp.Eq(sum(_T(a, b) for a in range(1, 5) if a != b), sum(_T(b, a) for a in range(1, 5) if a != b))
             for b in range(1, 4)]
    return sp.solve(rules, [_T(1, 2), _T(1, 3), _T(1, 4)], dict=True)[0]


def _transpose_map() -> dict:
    """T_ab -> T_ba for all a != b: the substitution T(-B) = T(B)^T (microscopic reversibility)."""
    return {_T(a, b): _T(b, a) for a in range(1, 5) for b in range(1, 5) if a != b}


def _sum_latex(expr: sp.Expr, per_line: int = 4) -> list[str]:
    """SymPy-printed terms of an expanded polynomial, ``per_line`` to a line (deterministic order)."""
    terms = sorted(sp.Add.make_args(sp.expand(expr)), key=sp.default_sort_key)
    out = []
    for k in range(0, len(terms), per_line):
        chunk = ""
        for n, term in enumerate(terms[k:k + per_line]):
            tex = latex(term)
            chunk += tex if (n == 0 and k == 0) else (f" {tex}" if tex.startswith("-") else f" + {tex}")
        out.append(chunk)
    return out


def _fraction_step(d: Derivation, text: str, label: str, expr: sp.Expr, den_label: str,
                   known_den: sp.Expr | None = None, show_den: bool = False) -> sp.Expr:
    """Append ``label = numerator / den_label``; print the denominator unless ``known_den`` is given (and not ``show_den``).

    The numerator is ``expr * denominator`` cancelled by SymPy (a polynomial, else an error); the denominator is
    printed a few SymPy terms per line so the document stays within the page. Returns the denominator.
    """
    den = sp.fraction(sp.together(expr))[1] if known_den is None else known_den
    num = sp.cancel(expr * den)
    if sp.fraction(sp.together(num))[1] != 1:
        raise ArithmeticError(f"{label}: the denominator {den_label} does not clear the fraction")
    tex = rf"{label} = \frac{{{latex(sp.expand(num))}}}{{{den_label}}}"
    if known_den is None or show_den:
        body = r" \\ &\quad ".join(_sum_latex(den))
        tex = rf"\begin{{aligned}} {tex.replace(' = ', ' &= ', 1)},\\ {den_label} &= {body} \end{{aligned}}"
    d.steps.append(Step(text, expr, tex))
    return den


def _det(M: sp.Matrix) -> sp.Expr:
    """Determinant of a matrix of polynomials, exactly in the polynomial ring (``DomainMatrix``; the same value as
    ``Matrix.det``, without its expression-level cancellations)."""
    m = DomainMatrix.from_Matrix(M)
    return m.domain.to_sympy(m.det())


def _buttiker_numeric(Tnum: np.ndarray, current, voltage) -> mpmath.mpf:
    """Independent route: (T_ki T_lj - T_kj T_li)/D with D = det of G with row and column 1 removed, in mpmath."""
    (i, j), (k, l) = current, voltage
    with mpmath.workdps(30):
        T = mpmath.matrix(Tnum.tolist())
        N = [sum(T[a, b] for b in range(_LEADS)) for a in range(_LEADS)]
        G = mpmath.matrix(_LEADS, _LEADS)
        for a in range(_LEADS):
            for b in range(_LEADS):
                G[a, b] = (N[a] if a == b else 0) - T[a, b]
        minor = mpmath.matrix(3, 3)
        for r in range(1, 4):
            for c in range(1, 4):
                minor[r - 1, c - 1] = G[r, c]
        Dv = mpmath.det(minor)
        return (T[k - 1, i - 1] * T[l - 1, j - 1] - T[k - 1, j - 1] * T[l - 1, i - 1]) / Dv


def build() -> Derivation:
    d = Derivation("landauer-four-terminal", TITLE,
                   r"Büttiker's multi-terminal formula: lead $\alpha$ carries the current "
                   r"$I_\alpha = (e^2/h)\sum_\beta G_{\alpha\beta}V_\beta$ with "
                   r"$G_{\alpha\beta} = N_\alpha\delta_{\alpha\beta} - T_{\alpha\beta}$. Convention: "
                   r"$T_{\alpha\beta}$ is the transmission from lead $\beta$ into lead $\alpha$ (Büttiker's order; "
                   "transpose a matrix stored as from $i$ to $j$). Resistances are in units of $h/e^2$ per spin "
                   r"channel (divide by 2 for spin-degenerate electrons). $R_{kl,ij} = (V_k - V_l)/I$ with the "
                   "current $I$ entering at lead $i$ and leaving at lead $j$; all other leads are ideal voltage probes.")
    G = conductance_matrix_symbolic(_LEADS)
    d.equation(r"Conductance matrix with the row sum rule $N_\alpha - R_{\alpha\alpha} = "
               r"\sum_{\beta\neq\alpha}T_{\alpha\beta}$ used on the diagonal, so only the 12 off-diagonal "
               "transmissions appear (every row sums to zero: a common voltage shift drives no current):",
               "G", G)
    i, j = 1, 2
    keep = [a for a in range(_LEADS) if a != j - 1]
    g = G.extract(keep, keep)
    V = sp.Matrix([sp.Symbol(f"V_{a + 1}") for a in keep])
    rhs = sp.Matrix([1 if a == i - 1 else 0 for a in keep])
    d.step(f"Current $I = 1$ in at lead {i}, out at lead {j}, zero net current in leads 3 and 4, and $V_{j} = 0$. "
           f"The equation of lead {j} is dropped (it follows from charge conservation), leaving a $3\\times3$ "
           "system:", sp.Eq(sp.MatMul(g, V, evaluate=False), rhs, evaluate=False))
    dets = {cj: G.minor_submatrix(cj - 1, cj - 1).det() for cj in (2, 3)}  # Cramer's denominators
    for a in (3, 4):
        _fraction_step(d, f"Solving it (SymPy LU) gives the probe voltage $V_{a} = V_{a} - V_{j}$ (units $I\\,h/e^2$; "
                       f"$D_{{{j}{j}}}$ = determinant of the $3\\times3$ system)" + (":" if a == 4 else ", with"),
                       f"V_{{{a}}}", multiterminal_resistance_symbolic((i, j), (a, j), leads=_LEADS),
                       f"D_{{{j}{j}}}", dets[j], show_den=(a == 3))
    closed = {}
    for (ci, cj), (vk, vl) in _CONFIGS:
        R = four_terminal_resistance_symbolic((ci, cj), (vk, vl))
        closed[((ci, cj), (vk, vl))] = R
        kind = "three-terminal: one lead carries current and measures voltage" if len({ci, cj, vk, vl}) == 3 \
            else "four-terminal"
        _fraction_step(d, f"Closed form ({kind}), current {ci} to {cj}, voltage $V_{vk} - V_{vl}$, in $h/e^2$ "
                       f"($D_{{{cj}{cj}}}$: the $3\\times3$ minor of $G$ without lead {cj}):",
                       f"R_{{{vk}{vl},{ci}{cj}}}", R, f"D_{{{cj}{cj}}}", dets[cj] if cj == 2 else None)
    sums = _sum_rule_solution()
    for n, (k, v) in enumerate(sums.items()):
        d.equation(r"The column sum rule $\sum_\alpha T_{\alpha\beta} = N_\beta$ (unitarity of $S$) says that for "
                   "every lead the transmitted current out equals the transmitted current in; three of the four "
                   "relations are independent. Solved for $T_{12}, T_{13}, T_{14}$:" if n == 0 else "and", latex(k), v)
    Gs = G.subs(sums)
    cof = [sp.expand((-1) ** (a + b) * _det(Gs.minor_submatrix(a, b))) for a in range(_LEADS) for b in range(_LEADS)]
    Dsym = sp.Symbol("D")
    d.steps.append(Step(r"With both sum rules every signed $3\times3$ cofactor of $G$ is the same polynomial $D$ "
                        "(shown: row and column 1 removed, sum rules substituted):", cof[0],
                        r"\begin{aligned} D &= " + r" \\ &\quad ".join(_sum_latex(cof[0])) + r" \end{aligned}"))
    (ci, cj), (vk, vl) = _CONFIGS[0]
    butt = (_T(vk, ci) * _T(vl, cj) - _T(vk, cj) * _T(vl, ci)) / Dsym
    d.equation("Büttiker's form of the four-terminal resistance (numerator: the transmissions from the current leads "
               "into the voltage leads):", f"R_{{{vk}{vl},{ci}{cj}}}", butt)

    # ---- checks
    d.check(check_true(r"All 16 signed $3\times3$ cofactors of $G$ are equal once both sum rules hold ($D$ is well "
                       "defined)", _BUE, all(sp.expand(c - cof[0]) == 0 for c in cof),
                       r"symbolic: $\mathrm{expand}(C_{ab} - C_{11}) = 0$ for all $a, b$"))
    for (ci, cj), (vk, vl) in _CONFIGS[:2]:
        form = (_T(vk, ci) * _T(vl, cj) - _T(vk, cj) * _T(vl, ci)) / cof[0]
        d.check(check_symbolic(f"The solved $R_{{{vk}{vl},{ci}{cj}}}$ equals Büttiker's "
                               f"$(T_{{{vk}{ci}}}T_{{{vl}{cj}}} - T_{{{vk}{cj}}}T_{{{vl}{ci}}})/D$ under the sum rules",
                               _BUE, closed[((ci, cj), (vk, vl))].subs(sums), form.subs(sums)))
    for (ci, cj), (vk, vl) in _CONFIGS[:2]:
        cramer = (_T(vk, ci) * _T(vl, cj) - _T(vk, cj) * _T(vl, ci)) / G.minor_submatrix(cj - 1, cj - 1).det()
        d.check(check_symbolic(f"Without imposing the column sum rule, $R_{{{vk}{vl},{ci}{cj}}} = "
                               f"(T_{{{vk}{ci}}}T_{{{vl}{cj}}} - T_{{{vk}{cj}}}T_{{{vl}{ci}}})/D_{{{cj}{cj}}}$, "
                               f"$D_{{{cj}{cj}}}$ the determinant of $G$ without row and column {cj}",
                               r"independent route: Cramer's rule on the grounded $3\times3$ system",
                               closed[((ci, cj), (vk, vl))], cramer))
    tr = _transpose_map()
    for (ci, cj), (vk, vl) in _CONFIGS:
        plus = closed[((ci, cj), (vk, vl))]
        minus = four_terminal_resistance_symbolic((vk, vl), (ci, cj)).xreplace(tr)
        d.check(check_symbolic(f"Reciprocity $R_{{{vk}{vl},{ci}{cj}}}(B) = R_{{{ci}{cj},{vk}{vl}}}(-B)$ with "
                               "$T(-B) = T(B)^T$ (symbolic, sum rules imposed)", _BUE, plus.subs(sums), minus.subs(sums)))
    two = multiterminal_resistance_symbolic((1, 2), (1, 2), leads=2)
    d.check(check_symbolic(r"Two terminals: $R_{12,12} = 1/T_{12}$ (Landauer resistance, $h/e^2$ per spin)", _BUE88,
                           two, 1 / transmission_symbol(1, 2, 2)))

    S = haar_unitary(sum(_CHANNELS), seed=_SEED)
    Tnum = transmission_matrix(S, _CHANNELS)
    sub = {_T(a, b): sp.Float(Tnum[a - 1, b - 1], 30) for a in range(1, 5) for b in range(1, 5) if a != b}
    channels_text = ", ".join(str(c) for c in _CHANNELS)
    for (ci, cj), (vk, vl) in _CONFIGS:
        R = closed[((ci, cj), (vk, vl))]
        numeric = four_terminal_resistance(Tnum, _CHANNELS, (ci, cj), (vk, vl))
        d.check(check_numeric(f"Closed form $R_{{{vk}{vl},{ci}{cj}}}$ at a random $T$ (Haar-random $S$, channels "
                              f"{channels_text}, seed {_SEED}) equals the float64 solution of Büttiker's equations",
                              "independent route: the library's numerical four-terminal resistance (inverse of the "
                              "grounded conductance matrix, NumPy)", R.xreplace(sub), numeric, rtol=1e-12))
    for (ci, cj), (vk, vl) in _CONFIGS[:2]:
        d.check(check_numeric(f"Büttiker's $(T_{{{vk}{ci}}}T_{{{vl}{cj}}} - T_{{{vk}{cj}}}T_{{{vl}{ci}}})/D$ "
                              f"evaluated in mpmath equals the numerical solution for $R_{{{vk}{vl},{ci}{cj}}}$", _BUE,
                              _buttiker_numeric(Tnum, (ci, cj), (vk, vl)),
                              four_terminal_resistance(Tnum, _CHANNELS, (ci, cj), (vk, vl)), rtol=1e-12))
    ons = onsager_check(Tnum, Tnum.T, _CHANNELS, atol=1e-12 * max(1.0, float(np.abs(Tnum).max())))
    d.check(check_true(r"Reciprocity over all 144 lead configurations: $R_{kl,ij}(B) = R_{ij,kl}(-B)$ for the random "
                       "$T$, $T(-B) = T(B)^T$", _BUE + "; route: the library's reciprocity check (resistance tensor "
                       "from one grounded inverse)", ons.reciprocal,
                       r"numeric: $\lvert a-b\rvert \le 10^{-12}\,h/e^2$",
                       rf"worst deviation ${tex_number(f'{ons.worst_deviation:.1e}')}\,h/e^2$, "
                       rf"$\max\lvert R\rvert = {ons.scale:.3f}\,h/e^2$"))
    return d
