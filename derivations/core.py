r"""Building blocks of a derivation document: steps, checks, figures.

A :class:`Derivation` is a sequence of :class:`Step` objects (explanation, SymPy expression,
LaTeX generated from the expression by SymPy's printer — never pasted) that ends in
:class:`Check` objects: each states a claim, its source (paper and equation), the route by which
it was checked (symbolic ``simplify(a - b) == 0`` or numeric agreement to a stated tolerance) and
whether it passed. Renderers live in :mod:`mesocorr.derivations.render`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import mpmath
import sympy as sp

from mesocorr.arguments import sympy_value

__all__ = ["Step", "Check", "Figure", "Derivation", "check_symbolic", "check_numeric", "check_true",
           "save_png", "isotropic_channel_fields"]


@dataclass(frozen=True)
class Step:
    """One step: an explanation and (optionally) an expression with its LaTeX.

    ``text`` is prose; inline mathematics inside it is written between ``$...$``.
    ``expr`` is a SymPy object (``sp.Eq`` for an equation). ``latex`` defaults to ``sp.latex(expr)``.
    """

    text: str
    expr: sp.Basic | None = None
    latex: str | None = None

    def __post_init__(self):
        if self.latex is None and self.expr is not None:
            object.__setattr__(self, "latex", sp.latex(self.expr))


@dataclass(frozen=True)
class Check:
    """A claim checked against an independent route."""

    claim: str
    source: str
    passed: bool
    method: str
    detail: str = ""

    def as_dict(self) -> dict:
        return {"claim": self.claim, "source": self.source, "passed": bool(self.passed), "method": self.method,
                "detail": self.detail}


@dataclass(frozen=True)
class Figure:
    """A figure drawn by ``draw(path)`` (matplotlib, optional) with its caption."""

    filename: str
    caption: str
    draw: Callable[[str], None]


@dataclass
class Derivation:
    """A named derivation: title, summary, steps, checks and optional figures."""

    name: str
    title: str
    summary: str
    steps: list[Step] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)

    def step(self, text: str, expr: sp.Basic | None = None) -> sp.Basic | None:
        """Append a step and return its expression (for chaining)."""
        self.steps.append(Step(text, expr))
        return expr

    def equation(self, text: str, lhs: str | sp.Basic, rhs) -> sp.Basic:
        """Append ``lhs = rhs``: ``lhs`` a label (LaTeX string or SymPy symbol), ``rhs`` computed by the library."""
        rhs = sympy_value("rhs", rhs) if not isinstance(rhs, sp.MatrixBase) else rhs
        label = lhs if isinstance(lhs, str) else sp.latex(lhs)
        self.steps.append(Step(text, rhs, f"{label} = {sp.latex(rhs)}"))
        return rhs

    def check(self, chk: Check) -> Check:
        self.checks.append(chk)
        return chk

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)


def _operand(name: str, value):
    """A SymPy expression or matrix (matrices pass through; strings are refused, never parsed)."""
    return value if isinstance(value, sp.MatrixBase) else sympy_value(name, value)


def check_symbolic(claim: str, source: str, a, b) -> Check:
    """Check ``simplify(a - b) == 0`` (a and b SymPy expressions or matrices)."""
    diff = sp.simplify(_operand("a", a) - _operand("b", b))
    ok = bool(diff == 0) or (hasattr(diff, "is_zero_matrix") and bool(diff.is_zero_matrix))
    return Check(claim, source, ok, "symbolic: simplify(a - b) == 0",
                 "" if ok else f"simplify(a - b) = {sp.sstr(diff)}")


def check_numeric(claim: str, source: str, a, b, rtol: float = 1e-12, atol: float = 0.0, dps: int = 30) -> Check:
    """Check ``|a - b| <= atol + rtol |b|`` evaluated with mpmath at ``dps`` digits."""
    with mpmath.workdps(dps):
        av = mpmath.mpmathify(sp.N(a, dps) if isinstance(a, sp.Basic) else a)
        bv = mpmath.mpmathify(sp.N(b, dps) if isinstance(b, sp.Basic) else b)
        err = abs(av - bv)
        ok = bool(err <= atol + rtol * abs(bv))
        rel = err / abs(bv) if bv != 0 else err
        detail = f"a = {mpmath.nstr(av, 17)}, b = {mpmath.nstr(bv, 17)}, |a-b|/|b| = {mpmath.nstr(rel, 3)}"
    return Check(claim, source, ok, f"numeric: rtol = {rtol:g}" + (f", atol = {atol:g}" if atol else ""), detail)


def check_true(claim: str, source: str, condition: bool, method: str, detail: str = "") -> Check:
    """A check whose route is spelled out in ``method`` (e.g. a sign or an inequality)."""
    return Check(claim, source, bool(condition), method, detail)


def save_png(fig, path: str) -> None:
    """Save a matplotlib figure reproducibly (fixed dpi, no version metadata) and close it."""
    import matplotlib.pyplot as plt

    fig.tight_layout()
    fig.savefig(path, dpi=100, metadata={"Software": None})
    plt.close(fig)


def isotropic_channel_fields(D: sp.Symbol, e: sp.Symbol, hbar: sp.Symbol):
    r"""Characteristic fields :math:`B_c = \hbar\Gamma_c/(4eD)` of the four Cooperon channels.

    Gaps from :func:`mesocorr.channels` with isotropic spin-orbit rate :math:`1/\tau_{so}` and dephasing
    :math:`1/\tau_\phi`, rewritten with :math:`B_x = \hbar/(4eD\tau_x)`. Returns
    ``((B_phi, B_so), channels, fields)``.
    """
    from mesocorr.symbolic.channels import channels

    Bphi, Bso = sp.symbols("B_phi B_so", positive=True)
    tphi, tso = sp.symbols("tau_phi tau_so", positive=True)
    field = {1 / tphi: 4 * e * D * Bphi / hbar, 1 / tso: 4 * e * D * Bso / hbar}
    chans = channels("cooperon", so=1 / tso, phi=1 / tphi)
    fields = [sp.expand(sp.simplify(hbar * c.gap / (4 * e * D)).subs(field)) for c in chans]
    return (Bphi, Bso), chans, fields
