"""The documents of ``mesocorr derive`` are paste-ready: mathematics typeset by the one printer, no ASCII maths or
Python names in the prose, and every document compiles with pdflatex (with and without figures), with no overfull
box. The compile tests skip cleanly where pdflatex is not installed."""

from __future__ import annotations

import json
from decimal import Decimal
import re
import shutil
import subprocess
import sys

import pytest

from mesocorr.cli import main
from mesocorr.derivations import catalogue
from mesocorr.derivations.render import to_latex, to_markdown
from mesocorr.symbolic.printing import plain_text

NAMES = catalogue.names()
PDFLATEX = shutil.which("pdflatex")
needs_pdflatex = pytest.mark.skipif(PDFLATEX is None, reason="pdflatex is not installed")

#: forbidden anywhere in a .tex: SymPy's defaults that the printer replaces, and escaped carets (ASCII maths)
FORBIDDEN = {r"\^{}": r"\\\^\{\}", r"\log": r"\\log\b", "polygamma": r"operatorname\{polygamma\}",
             "atan": r"\\operatorname\{atan\}", "f_{3(": r"f_\{3\("}
#: forbidden in the prose (outside maths and outside the "Computed by" appendix)
PROSE = {"module name": r"mesocorr\.", "identifier": r"[A-Za-z0-9]\\_[A-Za-z0-9]",
         "ASCII operator": r"\\textasciitilde|\\textless|\\textgreater|\\textbar",
         "ASCII maths word": r"\b(hbar|tau|tau_\w+|sigma|Delta|psi|phi|Gamma|epsilon|sqrt|pi|nu|omega|infinity)\b",
         "e-notation": r"\b\d+(\.\d+)?e-?\d+\b", "caret": r"\^"}


def _prose(tex: str) -> str:
    body = tex.split(r"\begin{document}", 1)[1].split(r"\section*{Computed by}", 1)[0]
    body = re.sub(r"\\begin\{equation\*\}.*?\\end\{equation\*\}", " ", body, flags=re.S)
    return re.sub(r"\$[^$]*\$", " ", body)


def _problems(tex: str) -> list[str]:
    out = [f"{what}: {m.group(0)!r}" for what, pat in FORBIDDEN.items() for m in re.finditer(pat, tex)]
    prose = _prose(tex)
    for what, pat in PROSE.items():
        for m in re.finditer(pat, prose):
            out.append(f"{what} in prose: ...{prose[max(0, m.start() - 40):m.end() + 20]!r}...")
    return out


@pytest.mark.parametrize("name", NAMES)
def test_latex_is_typeset_by_the_printer_and_prose_has_no_ascii_maths(name, built_derivations):
    tex = to_latex(built_derivations[name])
    assert not _problems(tex), "\n".join(_problems(tex))
    assert r"\usepackage[T1]{fontenc}" in tex and r"\usepackage[utf8]{inputenc}" in tex


def test_the_screen_catches_what_it_is_for():
    """The checks above are not vacuous: each pattern fires on the defect it names."""
    bad = (r"\begin{document} Delta sigma = (1/pi) \log x, see mesocorr.wl\_correction, tau\_phi \^{} 2, 1e-12"
           r" \textless{} $\operatorname{polygamma}{\left(0,x \right)}$ \end{document}")
    found = " ".join(_problems(bad))
    for what in ("module name", "identifier", "ASCII operator", "ASCII maths word", "e-notation", r"\log",
                 "polygamma", r"\^{}"):
        assert what in found, what


@pytest.mark.parametrize("name", NAMES)
def test_plain_text_forms_are_clean(name, built_derivations):
    """Every piece of prose has a plain-text form (terminal, JSON) with its maths rendered, no LaTeX left."""
    d = built_derivations[name]
    texts = [d.title, d.summary, *(s.text for s in d.steps), *(f.caption for f in d.figures)]
    for c in d.checks:
        assert c.as_dict()["claim_latex"] == c.claim and c.as_dict()["claim"] == plain_text(c.claim)
        texts += [c.claim, c.source, c.method, c.detail]
    for t in texts:
        for span in re.findall(r"\$[^$]*\$", t):
            plain = plain_text(span)  # raises on a command it cannot render
            assert not re.search(r"[\\{}$]", plain), (span, plain)


def test_markdown_and_notebook_display(built_derivations):
    d = built_derivations["hln"]
    md = to_markdown(d)
    assert "![figure](hln-magnetoconductance.png)" in md
    assert "![figure]" not in to_markdown(d, figures=())
    assert d._repr_markdown_() == to_markdown(d, figures=())
    assert "## Computed by" in md and "`mesocorr.wl.magnetoconductance`" in md


@needs_pdflatex
def test_notebook_latex_of_every_derivation_compiles_in_a_bare_article(built_derivations, tmp_path):
    """``Derivation._repr_latex_`` (what nbconvert exports) is a body that needs nothing but amsmath."""
    frags = [built_derivations[n]._repr_latex_() for n in NAMES]
    for name, f in zip(NAMES, frags):
        assert f.startswith(r"\section*{") and r"\documentclass" not in f and r"\includegraphics" not in f
        assert r"\section*{Checks}" in f and not _problems(r"\begin{document}" + f), name
    (tmp_path / "nb.tex").write_text("\\documentclass{article}\n\\usepackage{amsmath,amssymb}\n\\begin{document}\n"
                                     + "\n".join(frags) + "\\end{document}\n", encoding="utf-8")
    _compile(tmp_path, "nb")


def test_computed_by_lists_the_library_functions_called(built_derivations):
    called = built_derivations["hln"].computed_by
    for f in ("mesocorr.wl.magnetoconductance", "mesocorr.symbolic.wl.magnetoconductance_2d",
              "mesocorr.symbolic.wl.hln_series_coefficients", "mesocorr.symbolic.channels.channels"):
        assert f in called
    assert all(n.startswith("mesocorr.") and not n.startswith("mesocorr.derivations") for n in called)
    assert called == sorted(called)


def test_titles_are_plain_text_with_the_latex_kept(capsys):
    assert main(["derive", "--list", "--json"]) == 0
    items = {i["name"]: i for i in json.loads(capsys.readouterr().out)["derivations"]}
    assert items["wl-2d"]["title"] == "Weak localization in 2D at zero field: -e²/(2π²ħ) ln(τ_φ/τ) from the Hikami box"
    assert items["wl-2d"]["title_latex"].count("$") == 2


# --------------------------------------------------------------------------- figures written or not
def _without_matplotlib(monkeypatch):
    for mod in [m for m in sys.modules if m == "matplotlib" or m.startswith(("matplotlib.", "mpl_toolkits"))]:
        monkeypatch.delitem(sys.modules, mod)
    monkeypatch.setitem(sys.modules, "matplotlib", None)


FIGURED = [n for n in ("hln", "ucf-wire", "scaling-one-loop") if n in NAMES]


@pytest.mark.parametrize("name", FIGURED)
def test_without_matplotlib_no_figure_is_referenced(name, built_derivations, tmp_path, monkeypatch):
    d = built_derivations[name]
    (tmp_path / d.figures[0].filename).write_bytes(b"stale")  # left by an earlier run: must not be included
    _without_matplotlib(monkeypatch)
    out = catalogue.write(d, tmp_path)
    assert not any(f.endswith((".png", ".pdf")) for f in out["files"])
    tex = (tmp_path / f"{name}.tex").read_text()
    assert r"\includegraphics" not in tex and r"\begin{figure}" not in tex
    assert "![figure]" not in (tmp_path / f"{name}.md").read_text()


def test_figures_are_vector_pdf_beside_png_and_reproducible(built_derivations, tmp_path):
    pytest.importorskip("matplotlib")
    d = built_derivations["hln"]
    first = catalogue.write(d, tmp_path / "a", formats=("latex",))
    catalogue.write(d, tmp_path / "b", formats=("latex",))
    names = sorted(p.split("/")[-1] for p in first["files"])
    assert names == ["hln-magnetoconductance.pdf", "hln-magnetoconductance.png", "hln.tex"]
    for f in names:
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes(), f
    assert (tmp_path / "a" / "hln-magnetoconductance.pdf").read_bytes().startswith(b"%PDF")
    assert r"\includegraphics{hln-magnetoconductance.pdf}" in (tmp_path / "a" / "hln.tex").read_text()


# --------------------------------------------------------------------------- compile
def _compile(tmp_path, name) -> str:
    r = subprocess.run([PDFLATEX, "-interaction=nonstopmode", "-halt-on-error", f"{name}.tex"], cwd=tmp_path,
                       capture_output=True, text=True, timeout=120)
    log = (tmp_path / f"{name}.log").read_text(errors="replace")
    assert r.returncode == 0, log[-3000:]
    return log


@needs_pdflatex
@pytest.mark.parametrize("name", NAMES)
def test_every_document_compiles_without_overfull_boxes(name, built_derivations, tmp_path):
    d = built_derivations[name]
    catalogue.write(d, tmp_path, formats=("latex",))
    log = _compile(tmp_path, name)
    overfull = re.findall(r"Overfull \\hbox.*", log)
    assert not overfull, overfull
    if d.figures and (tmp_path / d.figures[0].filename).exists():
        assert f"<{d.figures[0].filename[:-4]}.pdf," in log  # the vector figure was included


@needs_pdflatex
@pytest.mark.parametrize("name", FIGURED)
def test_documents_compile_without_matplotlib(name, built_derivations, tmp_path, monkeypatch):
    _without_matplotlib(monkeypatch)
    catalogue.write(built_derivations[name], tmp_path, formats=("latex",))
    log = _compile(tmp_path, name)
    assert not re.search(r"<[^>]*\.(pdf|png)[,>]", log), "a figure file was read"


def test_pdf_failure_exits_nonzero(tmp_path, capsys, monkeypatch):
    fake = tmp_path / "pdflatex"
    fake.write_text("#!/bin/sh\necho 'fatal error' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setattr(catalogue.shutil, "which", lambda name: str(fake))
    assert main(["derive", "cooperon-spin", "--out", str(tmp_path / "out"), "--pdf", "--json"]) == 1
    res = json.loads(capsys.readouterr().out)["derivations"][0]
    assert res["pdf"] == "pdflatex failed (exit 3); see cooperon-spin.log"
    assert all(c["passed"] for c in res["checks"])


#: the user-parameter documents (derive cooperon-spin/zeeman --so --mag --zeeman): a 3x3 block with floating-point
#: gaps, and the exceptional point so = (0, 0.35, 0.35), omega = 0.35 z (a defective double gap, no eigenvectors)
PARAMETERS = {"generic": {"so": 1, "mag": 0.1, "zeeman": (1, 0, Decimal("0.5"))},
              "exceptional point": {"so": (0, Decimal("0.35"), Decimal("0.35")), "zeeman": (0, 0, 0.35)}}


@pytest.mark.parametrize("case", PARAMETERS)
def test_documents_for_user_parameters_are_clean_and_compile(case, tmp_path):
    d = catalogue.build("cooperon-spin", **PARAMETERS[case])
    assert d.passed and d.name == "zeeman"
    tex = to_latex(d)
    assert not _problems(tex), "\n".join(_problems(tex))
    assert "Your parameters" in tex
    if case == "exceptional point":
        assert "exceptional point" in tex
    for s in d.steps:
        if s.latex:  # floats shown to 15 significant digits, not SymPy's 30
            assert not re.search(r"\d\.\d{16,}", s.latex), s.latex
    if PDFLATEX:
        catalogue.write(d, tmp_path, formats=("latex",))
        assert not re.findall(r"Overfull \\hbox.*", _compile(tmp_path, "zeeman"))


@pytest.mark.parametrize("value, error", [(Decimal("1E-999999999"), ValueError), ((1, Decimal("1E+500"), 1), ValueError),
                                          ("1/3", TypeError), (True, TypeError), (float("nan"), ValueError)])
def test_user_parameters_are_read_exactly_or_refused_before_the_work(value, error):
    """Exact rationals (floats as the decimal they print as); exponents capped (10**999999999 would hang)."""
    with pytest.raises(error, match=r"^so"):
        catalogue.build("cooperon-spin", so=value)
