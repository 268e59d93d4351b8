r"""Building blocks of a derivation document: steps, checks, figures.

A :class:`Derivation` is a sequence of :class:`Step` objects (explanation, SymPy expression,
LaTeX generated from the expression by the package printer :func:`mesocorr.latex` — never pasted)
that ends in :class:`Check` objects: each states a claim, its source (paper and equation), the route
by which it was checked (symbolic ``simplify(a - b) == 0`` or numeric agreement to a stated
tolerance) and whether it passed. Renderers live in :mod:`mesocorr.derivations.render`.

Text convention (titles, summaries, step texts, figure captions, check claims, sources, routes):
prose with inline LaTeX mathematics between ``$...$`` — never ASCII maths. The documents use the text
as written; the terminal and JSON get :func:`mesocorr.symbolic.printing.plain_text` of it (Unicode).
Library function names belong in no prose: the documents list them in a "Computed by" appendix
(:attr:`Derivation.computed_by`). See ``docs/conventions.md``, "Writing a derivation".
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field

import mpmath
import sympy as sp
from sympy.polys.polyerrors import BasePolynomialError
from sympy.polys.rings import sring

from mesocorr.arguments import sympy_value
from mesocorr.derivations.render import to_latex_fragment, to_markdown
from mesocorr.plots import save_reproducibly
from mesocorr.symbolic.printing import latex, plain_text, tex_number
from mesocorr.symbolic.memo import simplify

__all__ = ["Step", "Check", "Figure", "Derivation", "check_symbolic", "check_numeric", "check_true",
           "save_figure", "save_png", "isotropic_channel_fields"]


@dataclass(frozen=True)
class Step:
    """One step: an explanation and (optionally) an expression with its LaTeX.

    ``text`` is prose; inline mathematics inside it is written between ``$...$``.
    ``expr`` is a SymPy object (``sp.Eq`` for an equation). ``latex`` defaults to
    :func:`mesocorr.latex` of ``expr``. ``label`` (LaTeX) is the left-hand side of an equation
    ``label = expr`` made by :meth:`Derivation.equation`; the renderer uses it to break a long
    right-hand side over several lines.
    """

    text: str
    expr: sp.Basic | None = None
    latex: str | None = None
    label: str | None = None

    def __post_init__(self):
        if self.latex is None and self.expr is not None:
            body = latex(self.expr)
            object.__setattr__(self, "latex", body if self.label is None else f"{self.label} = {body}")


@dataclass(frozen=True)
class Check:
    """A claim checked against an independent route.

    ``claim``, ``source``, ``method`` and ``detail`` are prose with inline ``$...$`` LaTeX (see the
    module docstring); :meth:`as_dict` gives their plain-text forms and the claim as written
    (``claim_latex``).
    """

    claim: str
    source: str
    passed: bool
    method: str
    detail: str = ""

    @property
    def claim_text(self) -> str:
        """The claim as plain (Unicode) text, for the terminal and JSON."""
        return plain_text(self.claim)

    def as_dict(self) -> dict:
        return {"claim": plain_text(self.claim), "claim_latex": self.claim, "source": plain_text(self.source),
                "passed": bool(self.passed), "method": plain_text(self.method), "detail": plain_text(self.detail)}


@dataclass(frozen=True)
class Figure:
    """A figure drawn by ``draw(path)`` (matplotlib, optional) with its caption.

    ``filename`` is the PNG name; ``draw`` writes it with :func:`save_figure`, which also writes the
    vector PDF beside it (same stem). The LaTeX document includes the PDF, the Markdown the PNG, and
    neither mentions a figure that was not written (without matplotlib ``draw`` raises ImportError and
    the documents are written without it).
    """

    filename: str
    caption: str
    draw: Callable[[str], None]


@dataclass
class Derivation:
    """A named derivation: title, summary, steps, checks and optional figures.

    ``computed_by`` lists the library functions the derivation calls (dotted names), shown in the
    documents' appendix; :func:`mesocorr.derivations.catalogue.build` fills it from the module's
    source when the module leaves it empty. In Jupyter a Derivation displays as its Markdown document
    (without figures); a notebook exported to LaTeX or PDF gets its LaTeX body (``_repr_latex_``).
    """

    name: str
    title: str
    summary: str
    steps: list[Step] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    computed_by: list[str] = field(default_factory=list)

    def step(self, text: str, expr: sp.Basic | None = None) -> sp.Basic | None:
        """Append a step and return its expression (for chaining)."""
        self.steps.append(Step(text, expr))
        return expr

    def equation(self, text: str, lhs: str | sp.Basic, rhs) -> sp.Basic:
        """Append ``lhs = rhs``: ``lhs`` a label (LaTeX string or SymPy symbol), ``rhs`` computed by the library."""
        rhs = sympy_value("rhs", rhs) if not isinstance(rhs, sp.MatrixBase) else rhs
        label = lhs if isinstance(lhs, str) else latex(lhs)
        self.steps.append(Step(text, rhs, label=label))
        return rhs

    def check(self, chk: Check) -> Check:
        self.checks.append(chk)
        return chk

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    def _repr_markdown_(self) -> str:
        """Jupyter: the Markdown document (what JupyterLab and the classic notebook show)."""
        return to_markdown(self, figures=())

    def _repr_latex_(self) -> str:
        """Jupyter: the LaTeX body (what nbconvert puts in a notebook's LaTeX/PDF export)."""
        return to_latex_fragment(self)


def _operand(name: str, value):
    """A SymPy expression or matrix (matrices pass through; strings are refused, never parsed)."""
    return value if isinstance(value, sp.MatrixBase) else sympy_value(name, value)


#: route of :func:`check_symbolic`, as prose with inline maths
SYMBOLIC_ROUTE = r"symbolic: $\mathrm{simplify}(a - b) = 0$"


def _reduced_difference(diff):
    """``simplify(diff)``, skipped where ``cancel`` (exact rational-function arithmetic in the
    expression's generators) already gives zero, entry by entry for a matrix.

    A zero from ``cancel`` is a proof of ``a = b``, and ``simplify`` returns zero then as well (its rational
    step is ``cancel``, and zero is the shortest candidate); only a difference ``cancel`` cannot reduce to
    zero pays for the full ``simplify``.
    """
    if isinstance(diff, sp.MatrixBase):
        return diff.applyfunc(_reduced_difference)
    if diff == 0 or _polynomial_identity(diff) or sp.cancel(diff) == 0:
        return sp.Integer(0)
    return simplify(diff)


#: most denominator groups :func:`_polynomial_identity` cross-multiplies (more: left to ``cancel``)
_MAX_DENOMINATORS = 8


def _polynomial_identity(diff) -> bool:
    r"""True when ``diff`` is zero as a rational function of its atoms, shown by polynomial arithmetic.

    ``diff`` = :math:`\sum_t n_t/d_t` (its terms, ``sympy.fraction`` of each); the terms are grouped by
    denominator and :math:`\sum_g (\sum_{t\in g} n_t)\prod_{h\ne g} d_h` is expanded in SymPy's sparse
    polynomial ring over the atoms (``sring``; functions such as logarithms are generators). Zero is a proof
    of ``diff = 0`` wherever the denominators are non-zero — the same statement ``cancel`` proves, without
    its gcd computations. False means "not shown" (a non-polynomial atom structure, too many denominators, or
    a non-zero result): the caller then runs ``cancel`` and ``simplify`` as before.
    """
    groups: dict = {}
    for term in sp.Add.make_args(diff):
        num, den = sp.fraction(term)
        groups.setdefault(den, []).append(num)
    if len(groups) > _MAX_DENOMINATORS:
        return False
    dens = list(groups)
    try:
        ring, polys = sring([sp.Add(*groups[d]) for d in dens] + dens)
    except BasePolynomialError:
        return False
    nums, dpolys = polys[: len(dens)], polys[len(dens):]
    if any(p == 0 for p in dpolys):
        return False
    total = ring.zero
    for g, num in enumerate(nums):
        for h, den in enumerate(dpolys):
            if h != g:
                num = num * den
        total += num
    return total == 0


def check_symbolic(claim: str, source: str, a, b) -> Check:
    """Check ``simplify(a - b) == 0`` (a and b SymPy expressions or matrices; see :func:`_reduced_difference`)."""
    diff = _reduced_difference(_operand("a", a) - _operand("b", b))
    ok = bool(diff == 0) or (hasattr(diff, "is_zero_matrix") and bool(diff.is_zero_matrix))
    return Check(claim, source, ok, SYMBOLIC_ROUTE, "" if ok else rf"$\mathrm{{simplify}}(a - b) = {latex(diff)}$")


def _tex_mp(x) -> str:
    """An mpmath number (17 significant digits) as LaTeX."""
    return tex_number(mpmath.nstr(x, 17, min_fixed=-3, max_fixed=4))


def check_numeric(claim: str, source: str, a, b, rtol: float = 1e-12, atol: float = 0.0, dps: int = 30) -> Check:
    """Check ``|a - b| <= atol + rtol |b|`` evaluated with mpmath at ``dps`` digits."""
    with mpmath.workdps(dps):
        av = mpmath.mpmathify(sp.N(a, dps) if isinstance(a, sp.Basic) else a)
        bv = mpmath.mpmathify(sp.N(b, dps) if isinstance(b, sp.Basic) else b)
        err = abs(av - bv)
        ok = bool(err <= atol + rtol * abs(bv))
        rel = err / abs(bv) if bv != 0 else err
        detail = (rf"$a = {_tex_mp(av)}$, $b = {_tex_mp(bv)}$, "
                  rf"$\lvert a-b\rvert/\lvert b\rvert = {'0' if rel == 0 else tex_number(mpmath.nstr(rel, 2, min_fixed=0, max_fixed=0))}$")
    bound = rf"{tex_number(rtol)}\,\lvert b\rvert" + (rf" + {tex_number(atol)}" if atol else "")
    return Check(claim, source, ok, rf"numeric: $\lvert a-b\rvert \le {bound}$ at {dps} digits", detail)


def check_true(claim: str, source: str, condition: bool, method: str, detail: str = "") -> Check:
    """A check whose route is spelled out in ``method`` (e.g. a sign or an inequality)."""
    return Check(claim, source, bool(condition), method, detail)


def save_figure(fig, path: str) -> None:
    """Save a matplotlib figure reproducibly as PNG at ``path`` and as vector PDF beside it; close it.

    Fixed dpi and no version or date metadata, so both files are byte-identical from run to run; the
    layout is computed once (for the PNG) and reused for the PDF.
    """
    stem = path[: -len(".png")] if path.endswith(".png") else path
    save_reproducibly(fig, path, stem + ".pdf")  # one layout computation for both files
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:  # a figure made with pyplot is registered there: release it
        pyplot.close(fig)


#: former name of :func:`save_figure` (kept for catalogue entries written before the PDF output)
save_png = save_figure


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
    # expanded, each 1/tau_x is replaced by its field and the result is a polynomial in B_phi, B_so (the same
    # expanded polynomial as from simplify's form of the gap; tests/test_derive_diagrams_speed.py compares)
    fields = [sp.expand(sp.expand(hbar * c.gap / (4 * e * D)).subs(field)) for c in chans]
    return (Bphi, Bso), chans, fields
