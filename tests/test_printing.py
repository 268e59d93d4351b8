"""The one LaTeX printer (``mesocorr.latex``) and the plain-text form of prose with inline maths.

Expected strings are written by hand (the typesetting of the HLN, Kawabata and Evers-Mirlin formulas as the
papers print them); every ``_repr_latex_`` of the library is rendered and, where pdflatex exists, compiled."""

from __future__ import annotations

import shutil
import subprocess

import pytest
import sympy as sp

import mesocorr
from mesocorr.symbolic import wl as W
from mesocorr.symbolic.printing import MesocorrLatexPrinter, latex, latex_terms, plain_text, tex_number

B, Bc = W.SYMBOLS["B"], W.SYMBOLS["B_c"]


def test_public_name_and_sympy_settings():
    assert mesocorr.latex is latex
    x = sp.Symbol("x")
    assert latex(sp.log(x)) == r"\ln{\left(x \right)}"
    assert latex(sp.atan(x)) == r"\arctan{\left(x \right)}"
    # SymPy's own settings still work, and the signature fits sympy.init_printing(latex_printer=...)
    assert latex(sp.log(x), ln_notation=False) == r"\log{\left(x \right)}"
    assert latex(x**2, mode="inline") == "$x^{2}$"
    assert latex(sp.polygamma(0, (B + 2 * Bc) / (2 * B)), canonical_arguments=False) \
        == r"\psi{\left(\frac{B + 2 B_{c}}{2 B} \right)}"


def test_digamma_polygamma_and_hurwitz_zeta():
    x = sp.Symbol("x", positive=True)
    assert latex(sp.polygamma(0, x)) == r"\psi{\left(x \right)}"
    assert latex(sp.polygamma(2, x)) == r"\psi^{(2)}{\left(x \right)}"
    assert latex(sp.polygamma(0, x) ** 2) == r"\left[\psi{\left(x \right)}\right]^{2}"
    assert latex(sp.zeta(sp.Rational(1, 2), sp.Rational(1, 2) + x)) == r"\zeta{\left(\frac{1}{2}, \frac{1}{2} + x \right)}"
    assert latex(sp.zeta(3)) == r"\zeta{\left(3 \right)}"


def test_the_library_hln_form_prints_as_in_the_paper():
    """HLN 1980 Eq. (18): w_c (s/2 pi) [ln(B/B_c) + psi(1/2 + B_c/B)] - not psi((B + 2 B_c)/(2B)), not log."""
    expr = W.magnetoconductance_2d()
    tex = latex(expr)
    assert r"\psi{\left(\frac{1}{2} + \frac{B_{c}}{B} \right)}" in tex
    assert r"\ln{\left(\frac{B}{B_{c}} \right)}" in tex and r"\log" not in tex and "polygamma" not in tex


def test_sympy_latex_prints_library_expressions_like_the_documents():
    """``sympy.latex`` (and so every SymPy object's ``_repr_latex_``) goes through the same printer."""
    expr = W.magnetoconductance_2d()
    expected = (r"\frac{s w_{c} \left(\ln{\left(\frac{B}{B_{c}} \right)} + "
                r"\psi{\left(\frac{1}{2} + \frac{B_{c}}{B} \right)}\right)}{2 \pi}")
    assert sp.latex(expr) == latex(expr) == expected
    assert expr._repr_latex_() == rf"$\displaystyle {expected}$"
    t, eps = sp.symbols("t epsilon")
    assert sp.latex(eps * t - 12 * sp.zeta(3) * t**5 - 2 * t**2) == r"\epsilon t - 2 t^{2} - 12 \zeta{\left(3 \right)} t^{5}"
    assert sp.latex(sp.atan(t)) == r"\arctan{\left(t \right)}"
    tau_phi = sp.Symbol("tau_phi", positive=True)
    assert sp.latex(sp.log(tau_phi / W.SYMBOLS["tau"])) == r"\ln{\left(\frac{\tau_{\phi}}{\tau} \right)}"
    # settings given explicitly are honoured; subclasses of SymPy's printer keep their own printing
    assert sp.latex(expr, ln_notation=False).count(r"\log") == 1
    from sympy.physics.vector.printing import vlatex

    assert vlatex(sp.log(t)) == r"\log{\left(t \right)}"


def test_use_in_sympy_restores_sympys_own_printing():
    from mesocorr.symbolic.printing import use_in_sympy

    expr = W.magnetoconductance_2d()
    try:
        use_in_sympy(False)
        assert r"\operatorname{polygamma}" in sp.latex(expr) and r"\log" in sp.latex(expr)
    finally:
        use_in_sympy(True)
    assert sp.latex(expr) == latex(expr)
    with pytest.raises(TypeError, match="^enabled: "):
        use_in_sympy(1)


def test_every_returned_symbolic_expression_prints_in_paper_notation():
    """The closed forms of the library as ``sympy.latex`` prints them: no SymPy default left."""
    from mesocorr.symbolic import beta

    exprs = [W.magnetoconductance_2d(), W.kawabata_3d(), W.magnetoconductance_1d(), W.finite_wire_conductance(),
             W.zero_field_correction(2), W.zero_field_correction(3), W.quasi1d_field_rate(),
             *W.hln_series_coefficients(3), beta.beta_g("orthogonal", 2), beta.beta_expression("orthogonal", 2, variable="t"),
             beta.nu_epsilon_expansion("orthogonal"), mesocorr.four_terminal_resistance_symbolic((1, 2), (3, 4))]
    for e in exprs:
        tex = sp.latex(e)
        for bad in (r"\log", "polygamma", r"\operatorname{atan}", r"\operatorname{zeta}"):
            assert bad not in tex, (bad, tex)
    # Evers & Mirlin (2008), Eq. (2.20): the orthogonal series from the lowest order up
    tex = sp.latex(beta.beta_expression("orthogonal", 2, variable="t"))
    assert tex.index("t^{2}") < tex.index("t^{5}")


def test_canonical_argument_with_several_fields_and_negative_rest():
    Bphi, Bso = sp.symbols("B_phi B_so", positive=True)
    tex = latex(sp.polygamma(0, (3 * B + 6 * Bphi + 8 * Bso) / (6 * B)))
    assert tex == r"\psi{\left(\frac{1}{2} + \frac{B_{\phi} + \frac{4 B_{so}}{3}}{B} \right)}"
    assert latex(sp.polygamma(0, (B - 2 * Bc) / (2 * B))) == r"\psi{\left(\frac{1}{2} - \frac{B_{c}}{B} \right)}"
    # display only: the expression is unchanged
    arg = (B + 2 * Bc) / (2 * B)
    assert sp.polygamma(0, arg).args[1] == arg


def test_series_in_ascending_order():
    """Evers & Mirlin, RMP 80, 1355 (2008), Eq. (2.20): beta(t) = eps t - 2 t^2 - 12 zeta(3) t^5 (orthogonal)."""
    t, eps = sp.symbols("t epsilon")
    assert latex(eps * t - 12 * sp.zeta(3) * t**5 - 2 * t**2) == r"\epsilon t - 2 t^{2} - 12 \zeta{\left(3 \right)} t^{5}"
    g = sp.Symbol("g", positive=True)
    assert latex(1 - 2 / (sp.pi * g) - 12 * sp.zeta(3) / (sp.pi**4 * g**4)) \
        == r"1 - \frac{2}{\pi g} - \frac{12 \zeta{\left(3 \right)}}{\pi^{4} g^{4}}"
    x = sp.Symbol("x")
    assert latex(x**3 + x + 1 + sp.O(x**4), order=None) == r"1 + x + x^{3} + O\left(x^{4}\right)"
    # not a series: SymPy's order is kept
    D, q, w, G = sp.symbols("D q omega Gamma")
    assert latex(D * q**2 - sp.I * w + G) == r"D q^{2} + \Gamma - i \omega"  # SymPy's own order
    assert latex(x**2 - 1) == "x^{2} - 1"
    assert latex(-12 * sp.zeta(3) * t**5 - 2 * t**2) == r"- 2 t^{2} - 12 \zeta{\left(3 \right)} t^{5}"
    assert MesocorrLatexPrinter({"ascending": False}).doprint(eps * t - 2 * t**2 - t**5) == r"\epsilon t - t^{5} - 2 t^{2}"


def test_constants_before_symbols_and_prefactors_before_integrals():
    """As the papers print them: Evers & Mirlin (2008) Eq. (2.20) writes 12 zeta(3) t^5; Kawabata's q_z integral."""
    t, D, E, qz = sp.symbols("t D E q_z", positive=True)
    assert latex(-3 * sp.zeta(3) * t**5 / 4) == r"- \frac{3 \zeta{\left(3 \right)} t^{5}}{4}"
    assert latex(12 * sp.zeta(3) / (sp.pi**4 * t**4)) == r"\frac{12 \zeta{\left(3 \right)}}{\pi^{4} t^{4}}"
    integral = sp.Integral(1 / (D * qz**2 + E), (qz, -sp.oo, sp.oo))
    assert latex(integral / (2 * sp.pi)) \
        == r"\frac{1}{2 \pi} \int_{-\infty}^{\infty} \frac{1}{D q_{z}^{2} + E}\, dq_{z}"
    assert latex(-integral).startswith(r"- \int_{-\infty}")
    assert MesocorrLatexPrinter({"constants_first": False}).doprint(12 * sp.zeta(3) * t**5) \
        == r"12 t^{5} \zeta{\left(3 \right)}"


def test_latex_terms_rebuild_the_printed_sum():
    x = sp.Symbol("x")
    expr = 1 - x + x**2 / 2
    assert " ".join(latex_terms(expr)) == latex(expr)
    assert latex_terms(-x + 3) == ["3", "- x"]


def test_tex_number():
    assert tex_number("2e10") == r"2 \times 10^{10}"
    assert tex_number("1e-4") == "10^{-4}"
    assert tex_number(2.5e-13) == r"2.5 \times 10^{-13}"
    assert tex_number("0.05") == "0.05" and tex_number(7) == "7"
    with pytest.raises(ValueError, match="x: not a number"):
        tex_number("1e10; rm -rf")


@pytest.mark.parametrize("tex, text", [
    (r"$\Delta\sigma = \frac{1}{\pi}\left[\ln\frac{B}{B_\phi} + \psi\left(\frac12 + \frac{B_\phi}{B}\right)\right]$",
     "Δσ = 1/π [ln(B/B_φ) + ψ(1/2 + B_φ/B)]"),
    (r"$\tau_\phi \gg \tau$, $10^{-12}$, $\lvert a-b\rvert$", "τ_φ ≫ τ, 10⁻¹², |a-b|"),
    (r"$\mathrm{var}\,g = 2/15$ and $\sqrt{eB/\hbar}$", "var g = 2/15 and √(eB/ħ)"),
    (r"costs \$5, no maths", r"costs $5, no maths"),
])
def test_plain_text(tex, text):
    assert plain_text(tex) == text


def test_plain_text_refuses_what_it_cannot_render():
    with pytest.raises(ValueError, match=r"no plain-text form for \\unknowncommand"):
        plain_text(r"$\unknowncommand x$")
    with pytest.raises(TypeError, match="text"):
        plain_text(3)


def _repr_latex_objects():
    """One instance of every SymPy-side class the library returns."""
    from mesocorr.diagrams import hikami, impurity, ucf
    from mesocorr.diagrams.bubble import DrudeBubble
    from mesocorr.diagrams.ladder import Ladder
    from mesocorr.symbolic import spin
    from mesocorr.symbolic.propagators import cooperon_pole, diffusion_pole

    a = sp.symbols("a_x a_y a_z", nonnegative=True)
    b = sp.symbols("b_x b_y b_z", nonnegative=True)
    return [mesocorr.channels("cooperon", so=sp.Symbol("Gamma_so", positive=True))[1], diffusion_pole(2),
            cooperon_pole(2), cooperon_pole(2).propagator, spin.diagonalise("cooperon", a, b)[0],
            hikami.hikami_box(2), impurity.ScatteringVertex("spin-orbit", 1, sp.Symbol("a_y")),
            impurity.ImpurityCorrelator(sp.Symbol("gamma_0"), a, b), ucf.TOPOLOGIES[0],
            ucf.ucf_diagrams("cooperon")[0], DrudeBubble(2), Ladder("diffuson"),
            Ladder("diffuson").lines(q=sp.Symbol("q"))[0]]


def test_every_library_object_has_repr_latex():
    for obj in _repr_latex_objects():
        tex = obj._repr_latex_()
        assert tex.startswith("$") and tex.endswith("$") and tex.count("$") == 2, (type(obj), tex)
        assert r"\log" not in tex and "polygamma" not in tex, tex


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_every_repr_latex_compiles(tmp_path):
    body = "\n\n".join(obj._repr_latex_() for obj in _repr_latex_objects())
    (tmp_path / "r.tex").write_text("\\documentclass{article}\\usepackage{amsmath,amssymb}\\begin{document}\n"
                                    + body + "\n\\end{document}\n")
    r = subprocess.run([shutil.which("pdflatex"), "-interaction=nonstopmode", "-halt-on-error", "r.tex"], cwd=tmp_path,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout[-2000:]


def test_engine_results_display_in_notebooks(tmp_path):
    """Issue 13 item 5 for the issue-14 engine: a channel and a spectrum carry ``_repr_latex_`` (the printer's
    typesetting, channel labels S, T_x, S~T_z,-) that compiles."""
    from mesocorr.diagrams.pair_kernel import spin_half_model

    a, w = sp.symbols("a omega", positive=True)
    spec = spin_half_model((a, a, a), (0, 0, 0), zeeman=(0, 0, w)).spectrum("cooperon")
    first = spec.channels[0]
    assert first.name == "singlet~triplet_z-"
    assert first._repr_latex_() == (rf"$\Gamma_{{S\sim T_z,-}} = {latex(first.gap)},\quad "
                                    rf"w_{{S\sim T_z,-}} = {latex(first.weight)}$")
    assert spec._repr_latex_().count(r" \\ ") == len(spec.channels) - 1 and r"\operatorname" not in spec.latex()
    if shutil.which("pdflatex"):
        (tmp_path / "s.tex").write_text("\\documentclass{article}\\usepackage{amsmath}\\begin{document}\n"
                                        + spec._repr_latex_() + "\n\\end{document}\n")
        r = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "s.tex"], cwd=tmp_path,
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stdout[-2000:]
