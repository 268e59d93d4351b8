r"""Render a :class:`~mesocorr.derivations.core.Derivation` as standalone LaTeX or GitHub Markdown.

Output is deterministic: the same derivation gives byte-identical files (no dates, PNG and PDF
figures saved without time or version metadata).

The LaTeX document compiles with a minimal TeX installation (pdflatex with amsmath, amssymb,
graphicx, geometry; Latin Modern fonts when installed): T1 font encoding and UTF-8 input, figures
included only when their files were written (``figures=``), and displayed equations too wide for the
page broken after a ``+`` or ``-`` of the top-level sum into an ``aligned`` block
(:func:`display_lines`). Prose (titles, step texts, claims, sources) is written with inline
``$...$`` maths; LaTeX specials outside the maths are escaped. Library function names appear only
in the "Computed by" appendix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

import sympy as sp

from mesocorr._version import __version__
from mesocorr.symbolic.printing import latex, latex_terms, tex_group

if TYPE_CHECKING:  # the renderer only reads a Derivation's fields
    from mesocorr.derivations.core import Derivation, Figure

__all__ = ["to_latex", "to_latex_fragment", "latex_body", "to_markdown", "display_lines", "figure_files", "PREAMBLE", "LINE_WIDTH"]

_TEX_SPECIAL = {"&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\^{}",
                "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}"}

#: the document preamble (every package is in texlive-latex-base; lmodern is used when installed)
PREAMBLE = (
    r"\documentclass[11pt]{article}",
    r"\usepackage[T1]{fontenc}",
    r"\usepackage[utf8]{inputenc}",
    r"\IfFileExists{lmodern.sty}{\usepackage{lmodern}}{}",
    r"\usepackage{amsmath,amssymb,graphicx}",
    r"\usepackage[a4paper,margin=2.5cm]{geometry}",
    r"\allowdisplaybreaks",
    r"\emergencystretch=2em",
)
#: estimated width (in characters of 11 pt maths, see :func:`tex_width`) above which a display is broken
LINE_WIDTH = 64.0


def _tex_text(text: str) -> str:
    """Escape LaTeX specials outside ``$...$`` math spans."""
    parts = re.split(r"(\$[^$]*\$)", text)
    out = []
    for p in parts:
        if p.startswith("$") and p.endswith("$") and len(p) > 1:
            out.append(p)
        else:
            out.append("".join(_TEX_SPECIAL.get(ch, ch) for ch in p))
    return "".join(out)


# --------------------------------------------------------------------------- widths and line breaking
_OPERATOR_WIDTH = {"+": 2.0, "-": 2.0, "=": 2.2, ",": 0.8, " ": 0.0, "&": 0.0}
_WORDS = {"ln", "log", "exp", "lim", "sin", "cos", "tan", "coth", "arctan", "det", "max", "min", "Re", "Im"}


def tex_width(tex: str) -> float:
    r"""Rough width of LaTeX maths in characters (fractions count their wider part, scripts 0.65).

    Only for deciding where to break a display; :mod:`tests` compile every document and assert
    that pdflatex reports no overfull box.
    """
    if r"\begin{matrix}" in tex:
        head, rest = tex.split(r"\begin{matrix}", 1)
        body, tail = rest.split(r"\end{matrix}", 1) if r"\end{matrix}" in rest else (rest, "")
        rows = [[tex_width(c) for c in r.split("&")] for r in body.split(r"\\")]
        columns = [max(r[k] for r in rows if k < len(r)) for k in range(max(len(r) for r in rows))]
        return tex_width(head) + sum(columns) + 1.8 * (len(columns) - 1) + 1.2 + tex_width(tail)
    w, i = 0.0, 0
    while i < len(tex):
        c = tex[i]
        if c == "\\":
            m = re.match(r"\\([A-Za-z]+|.)", tex[i:])
            name = m.group(1)
            i += len(m.group(0))
            if name in ("frac", "dfrac", "tfrac"):
                a, i = tex_group(tex, i)
                b, i = tex_group(tex, i)
                w += max(tex_width(a), tex_width(b)) * (0.75 if name == "tfrac" else 1.0) + 0.4
            elif name in ("mathrm", "text", "operatorname", "mathbf", "mathit"):
                a, i = tex_group(tex, i)
                w += tex_width(a) if name not in ("text", "operatorname", "mathrm") else 0.9 * len(a)
            elif name == "sqrt":
                a, i = tex_group(tex, i)
                w += tex_width(a) + 1.0
            elif name in ("left", "right", "displaystyle", "begin", "end", "limits", "!"):
                if name in ("begin", "end"):
                    _, i = tex_group(tex, i)
                else:
                    w += 0.6 if name in ("left", "right") else 0.0
            elif name in ("quad",):
                w += 1.8
            elif name in ("qquad",):
                w += 3.6
            elif name in (",", ";", ":", " "):
                w += 0.3
            elif name in _WORDS:
                w += 0.8 * len(name) + 0.3
            else:
                w += 1.0
        elif c in "^_":
            a, i = tex_group(tex, i + 1)
            w += 0.65 * tex_width(a)
        elif c == "{":
            a, i = tex_group(tex, i)
            w += tex_width(a)
        elif c == "}":
            i += 1
        else:
            w += _OPERATOR_WIDTH.get(c, 1.0)
            i += 1
    return w


def _break_sum(label: str | None, expr, width: float) -> str | None:
    """``label = expr`` as an ``aligned`` block, terms of the top-level sum packed into lines of ``width``."""
    if isinstance(expr, sp.Equality) and label is None:
        label, expr = latex(expr.lhs), expr.rhs
    if not isinstance(expr, sp.Add) or label is None:
        return None
    pieces = latex_terms(expr)
    lines, current = [], ""
    budget = width - tex_width(label) - 2.2
    for k, piece in enumerate(pieces):
        candidate = piece if not current else f"{current} {piece}"
        if current and tex_width(candidate) > budget:
            lines.append(current)
            current, budget = piece, width - 4.0
        else:
            current = candidate
        if k == 0:
            current = current.lstrip("+ ")
    lines.append(current)
    if len(lines) == 1:
        return None
    body = r" \\ &\quad ".join(lines)
    return rf"\begin{{aligned}} {label} &= {body} \end{{aligned}}"


def display_lines(step, width: float = LINE_WIDTH) -> list[str]:
    """The LaTeX lines of a step's displayed equation (``equation*``), long sums broken over lines."""
    tex = step.latex
    if r"\begin{aligned}" not in tex and tex_width(tex) > width:
        broken = _break_sum(step.label, step.expr, width)
        if broken is not None:
            tex = broken
    matrix = r"\begin{matrix}" in tex or r"\begin{pmatrix}" in tex
    split = r"\\" in tex and r"\begin{aligned}" not in tex and not matrix
    # a matrix too wide for the line gets tighter columns (local to the equation's group)
    tight = [r"\setlength{\arraycolsep}{2pt}"] if matrix and tex_width(tex) > width else []
    # no blank lines: a blank line inside maths breaks pdflatex
    return [r"\begin{equation*}", *tight, *([r"\begin{split}"] if split else []), tex,
            *([r"\end{split}"] if split else []), r"\end{equation*}"]


# --------------------------------------------------------------------------- figures
def figure_files(fig: Figure) -> tuple[str, str]:
    """``(png, pdf)`` file names of a figure (the PDF beside the PNG, same stem)."""
    png = fig.filename
    stem = png[: -len(".png")] if png.endswith(".png") else png
    return png, stem + ".pdf"


def _included(d: Derivation, figures: Iterable[str] | None, prefer: str) -> list[tuple[Figure, str]]:
    """Figures to include with the file to show: every one when ``figures`` is None, else those written."""
    written = None if figures is None else {str(f).replace("\\", "/").rsplit("/", 1)[-1] for f in figures}
    out = []
    for f in d.figures:
        png, pdf = figure_files(f)
        order = (pdf, png) if prefer == "pdf" else (png,)
        choice = next((x for x in order if written is None or x in written), None)
        if choice is not None:
            out.append((f, choice))
    return out


# --------------------------------------------------------------------------- documents
def latex_body(d: Derivation, figures: Iterable[str] | None = None) -> list[str]:
    """The lines of the document between the title and ``\\end{document}``: summary, steps, figures, checks.

    Needs only amsmath (and graphicx for figures): it is also what a notebook converted to LaTeX or
    PDF (nbconvert) shows for a :class:`~mesocorr.derivations.core.Derivation`.
    """
    lines = [_tex_text(d.summary), "", r"\section*{Derivation}", r"\begin{enumerate}"]
    for s in d.steps:
        lines.append(r"\item " + _tex_text(s.text))
        if s.latex:
            lines += display_lines(s)
    lines.append(r"\end{enumerate}")
    for f, file in _included(d, figures, "pdf"):
        lines += [r"\begin{figure}[htbp]", r"\centering", rf"\includegraphics{{{file}}}",
                  rf"\caption{{{_tex_text(f.caption)}}}", r"\end{figure}"]
    # ragged right: a claim's inline maths must not stretch the spaces of a justified line
    lines += [r"\section*{Checks}", r"\begingroup\raggedright", r"\begin{enumerate}"]
    for c in d.checks:
        mark = "passed" if c.passed else "FAILED"
        item = (rf"\item \textbf{{{mark}}}: {_tex_text(c.claim)}\\ \emph{{Source:}} {_tex_text(c.source)}\\ "
                rf"\emph{{Route:}} {_tex_text(c.method)}")
        if c.detail:
            item += rf"\\ {{\small {_tex_text(c.detail)}}}"
        lines.append(item)
    lines += [r"\end{enumerate}", r"\par\endgroup"]
    if d.computed_by:
        names = ", ".join(rf"\texttt{{{_tex_text(n)}}}" for n in d.computed_by)
        lines += [r"\section*{Computed by}", r"{\raggedright\small The steps and checks above call these "
                  rf"functions of mesocorr: {names}.\par}}"]
    return lines


def to_latex(d: Derivation, figures: Iterable[str] | None = None) -> str:
    """A standalone LaTeX document (article class, amsmath) that compiles with pdflatex.

    ``figures``: the figure files that were written (names or paths); a figure is included (its PDF,
    else its PNG) only if one of its files is among them. ``None`` includes every figure's PDF.
    """
    lines = [
        *PREAMBLE,
        rf"\title{{{_tex_text(d.title)}}}",
        rf"\author{{mesocorr {__version__} --- derivation \texttt{{{_tex_text(d.name)}}}}}",
        r"\date{}",
        r"\begin{document}",
        r"\maketitle",
        *latex_body(d, figures),
        r"\end{document}",
        "",
    ]
    return "\n".join(lines)


def to_latex_fragment(d: Derivation) -> str:
    """The document without preamble and figures, titled by a ``\\section*`` (for inclusion, notebooks)."""
    return "\n".join([rf"\section*{{{_tex_text(d.title)}}}", *latex_body(d, figures=()), ""])


def to_markdown(d: Derivation, figures: Iterable[str] | None = None) -> str:
    """GitHub-flavoured Markdown with ``$$...$$`` display maths (``figures`` as in :func:`to_latex`, PNGs)."""
    out = [f"# {d.title}", "", f"*mesocorr {__version__} — derivation `{d.name}`*", "", d.summary, "", "## Derivation", ""]
    for k, s in enumerate(d.steps, 1):
        out.append(f"{k}. {s.text}")
        if s.latex:
            out += ["", "$$", s.latex, "$$"]
        out.append("")
    for f, file in _included(d, figures, "png"):
        out += [f"![figure]({file})", "", f"*{f.caption}*", ""]
    out += ["## Checks", ""]
    for k, c in enumerate(d.checks, 1):
        res = "passed" if c.passed else "**FAILED**"
        out.append(f"{k}. **{res}**: {c.claim}  ")
        out.append(f"   *Source:* {c.source}  ")
        out.append(f"   *Route:* {c.method}" + (f"; {c.detail}" if c.detail else ""))
        out.append("")
    if d.computed_by:
        out += ["## Computed by", "", "The steps and checks above call these functions of mesocorr: "
                + ", ".join(f"`{n}`" for n in d.computed_by) + ".", ""]
    return "\n".join(out)
