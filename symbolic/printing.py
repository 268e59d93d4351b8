r"""The one LaTeX printer of mesocorr, and its plain-text counterpart for prose with inline maths.

Every piece of LaTeX the package writes comes from :class:`MesocorrLatexPrinter`: the derivation
documents (``mesocorr derive``), every ``_repr_latex_`` and every ``.latex()`` method. It is SymPy's
:class:`~sympy.printing.latex.LatexPrinter` with the typesetting of physics papers:

* :math:`\ln` for the natural logarithm (not ``\log``), :math:`\arctan` (not ``\operatorname{atan}``);
* :math:`\psi(x)` for the digamma function ``polygamma(0, x)`` and :math:`\psi^{(n)}(x)` for
  ``polygamma(n, x)`` (SymPy prints ``\operatorname{polygamma}``); :math:`\zeta(s, a)` for the
  Hurwitz zeta function;
* a canonical display form of the arguments of :math:`\psi` and :math:`\zeta`: a rational constant
  split off and written first, :math:`\psi(\tfrac12 + B_c/B)` instead of :math:`\psi((B + 2B_c)/2B)`
  (display only: the expression is not changed);
* series in ascending order: a sum with at least three different powers of one symbol (or two
  non-zero powers) is printed from the lowest power up (:math:`\epsilon t - 2t^2 - 12\zeta(3)t^5`, :math:`1 - 2/\pi g - \dots`);
* constants before symbols and prefactors before integrals: :math:`12\zeta(3)t^5` (SymPy:
  ``12 t^{5} \zeta(3)``), :math:`\frac{1}{2\pi}\int_{-\infty}^{\infty}` (SymPy: the integral over
  :math:`2\pi`), integration limits beside the sign (``\int_a^b``, not ``\int\limits``);
* physics symbol names come from the symbols themselves (``Symbol("tau_phi")`` prints
  :math:`\tau_{\phi}`, ``B_so`` prints :math:`B_{so}`, ``Gamma_c`` prints :math:`\Gamma_{c}`).

``sympy.latex`` prints the same way. The heads of the expressions mesocorr returns are SymPy's own
functions (``log``, ``polygamma``, ``zeta``, ``atan``), deliberately: subclassed heads would compare
unequal to, and not substitute for, the ``sp.log``/``sp.polygamma`` a user writes. So the typesetting
is given to SymPy's printer instead: importing this module (every module of :mod:`mesocorr.symbolic`
and :mod:`mesocorr.diagrams` does; ``import mesocorr`` alone does not load SymPy) makes
:func:`sympy.latex`, and with it every SymPy object's ``_repr_latex_`` in Jupyter, print through
:class:`MesocorrLatexPrinter`. Settings given explicitly are honoured (``sympy.latex(e,
ln_notation=False)`` prints ``\log``); subclasses of SymPy's printer (e.g. ``sympy.physics.vector``'s)
are left alone; :func:`use_in_sympy` ``(False)`` restores SymPy's own typesetting for the session.
Objects defined by mesocorr (propagators, channels, diagrams) print through the printer that calls
them and use this one in their own ``latex()`` / ``_repr_latex_``.

:func:`plain_text` turns prose with inline ``$...$`` maths (the form of derivation titles, step
texts and check claims) into readable Unicode text for the terminal and JSON.

Examples
--------
>>> import sympy as sp
>>> from mesocorr.symbolic.printing import latex, plain_text
>>> B, Bc = sp.symbols("B B_c", positive=True)
>>> latex(sp.log(B / Bc) + sp.polygamma(0, (B + 2 * Bc) / (2 * B)))
'\\ln{\\left(\\frac{B}{B_{c}} \\right)} + \\psi{\\left(\\frac{1}{2} + \\frac{B_{c}}{B} \\right)}'
>>> t, eps = sp.symbols("t epsilon")
>>> latex(eps * t - 12 * sp.zeta(3) * t**5 - 2 * t**2)
'\\epsilon t - 2 t^{2} - 12 \\zeta{\\left(3 \\right)} t^{5}'
>>> plain_text(r"Strong spin-orbit: $\Delta\sigma = -\frac{1}{2}\Delta\sigma_{WL}$ at $B \ll B_\phi$")
'Strong spin-orbit: Δσ = -1/2 Δσ_WL at B ≪ B_φ'
"""

from __future__ import annotations

import re

import sympy as sp
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE

__all__ = ["MesocorrLatexPrinter", "latex", "latex_terms", "plain_text", "tex_group", "tex_number", "use_in_sympy",
           "channel_label"]


class MesocorrLatexPrinter(LatexPrinter):
    r"""SymPy's LaTeX printer with mesocorr's typesetting (see the module docstring).

    Extra settings: ``canonical_arguments`` (default True: split the rational constant off the
    arguments of ψ and ζ), ``ascending`` (default True: series from the lowest power up) and
    ``constants_first`` (default True: :math:`12\zeta(3)t^5`, :math:`\frac{1}{2\pi}\int`).
    """

    printmethod = "_latex"
    _default_settings = {**LatexPrinter._default_settings, "ln_notation": True, "inv_trig_style": "full",
                         "canonical_arguments": True, "ascending": True,
                         "constants_first": True}

    # ---------------------------------------------------------------- special functions
    def _print_polygamma(self, expr, exp=None):
        order, arg = expr.args
        head = r"\psi" if order == 0 else rf"\psi^{{({self._print(order)})}}"
        tex = rf"{head}{{\left({self._argument(arg)} \right)}}"
        return tex if exp is None else rf"\left[{tex}\right]^{{{exp}}}"

    def _print_zeta(self, expr, exp=None):
        if len(expr.args) == 2:
            s, a = expr.args
            tex = rf"\zeta{{\left({self._print(s)}, {self._argument(a)} \right)}}"
        else:
            tex = rf"\zeta{{\left({self._print(expr.args[0])} \right)}}"
        return tex if exp is None else rf"{tex}^{{{exp}}}"

    def _argument(self, arg) -> str:
        r"""Print a function argument, ``(B + 2 B_c)/(2 B)`` as ``1/2 + B_c/B`` (``canonical_arguments``).

        A rational constant is split off and written first; the rest is written over its common
        monomial denominator. Arguments without a rational constant print unchanged.
        """
        if not self._settings["canonical_arguments"] or not isinstance(arg, sp.Expr) or arg.is_Number:
            return self._print(arg)
        const, rest = sp.expand(arg).as_coeff_Add()
        if const == 0 or not const.is_Rational or rest == 0:
            return self._print(arg)
        sign = "+"
        if rest.could_extract_minus_sign():
            sign, rest = "-", -rest
        num, den = sp.fraction(sp.together(rest))
        coeff, monomial = den.as_coeff_Mul()
        if monomial != 1 and not monomial.is_Add:
            rest = sp.Mul(sp.expand(num / coeff), sp.Pow(monomial, -1), evaluate=False)
        return f"{self._print(const)} {sign} {self._print(rest)}"

    # ---------------------------------------------------------------- products and integrals
    def _print_Integral(self, expr):
        """Limits beside the sign, as papers set them (:math:`\\int_a^b`, not SymPy's ``\\int\\limits``)."""
        return super()._print_Integral(expr).replace(r"\int\limits", r"\int")

    def _print_Mul(self, expr):
        tex = self._prefactor_first(expr) if self._settings["constants_first"] else None
        return super()._print_Mul(expr) if tex is None else tex

    def _prefactor_first(self, expr) -> str | None:
        r"""``12 t^5 zeta(3)`` as :math:`12\zeta(3)t^5` and ``(1/2pi) Integral`` as :math:`\frac{1}{2\pi}\int`.

        Constant functions (:math:`\zeta(3)`, :math:`\ln 2`) go before the symbols of a numerator, and
        an integral or sum goes after its prefactor; None leaves the product to SymPy.
        """
        factors = sp.Mul.make_args(expr)
        ops = [f for f in factors if isinstance(f, (sp.Integral, sp.Sum, sp.Product))]
        if len(ops) == 1 and len(factors) > 1:
            pre = sp.Mul(*(f for f in factors if f is not ops[0]))
            head = "-" if pre == -1 else rf"\left({self._print(pre)}\right)" if pre.is_Add else self._print(pre)
            return f"{head} {self._print(ops[0])}".lstrip()
        sign = ""
        if expr.could_extract_minus_sign():
            sign, expr = "- ", -expr
        numer, denom = sp.fraction(expr, exact=True)
        coeff, rest = numer.as_coeff_Mul()
        parts = sp.Mul.make_args(rest)
        lead = [f for f in parts if isinstance(f, sp.Function) and not f.free_symbols]
        tail = [f for f in parts if f not in lead]
        if not lead or not tail:
            return None
        sep = self._settings["mul_symbol_latex"]
        body = sep.join(([] if coeff == 1 else [self._print(coeff)])
                        + [self.parenthesize(f, PRECEDENCE["Mul"]) for f in lead + tail])
        return sign + (body if denom == 1 else rf"\frac{{{body}}}{{{self._print(denom)}}}")

    # ---------------------------------------------------------------- ordering of sums
    def _as_ordered_terms(self, expr, order=None):
        terms = super()._as_ordered_terms(expr, order=order)
        if order is not None or not self._settings["ascending"] or not isinstance(expr, sp.Add):
            return terms
        return _ascending(terms)


def _ascending(terms: list) -> list:
    r"""Terms of a series from the lowest |power| of its expansion symbol up; other sums unchanged.

    The expansion symbol is the one with the most distinct powers among the terms (at least three, or
    two non-zero ones: :math:`-2t^2 - 12\zeta(3)t^5`, but :math:`x^2 - 1` as SymPy orders it),
    every term being ``coefficient * symbol**k`` with a coefficient free of the symbol and ``k``
    rational; when several symbols tie, the total degree of the monomials decides (if it takes at least
    three values). Anything else keeps SymPy's order; ``O(...)`` terms stay last.
    """
    body = [t for t in terms if not isinstance(t, sp.Order)]
    tail = [t for t in terms if isinstance(t, sp.Order)]
    symbols = sorted(set().union(*(t.free_symbols for t in body)) if body else set(), key=sp.default_sort_key)
    best, best_key, tie = None, None, False
    for v in symbols:
        powers = []
        for t in body:
            c, k = t.as_coeff_exponent(v)
            if c.has(v) or not k.is_Rational:
                break
            powers.append(k)
        else:
            key = (len(set(powers)), max(abs(k) for k in powers))
            if key[0] < 2 or (key[0] == 2 and 0 in powers):  # x**2 - 1 keeps SymPy's order; x**5 + x**2 not
                continue
            if best_key is None or key > best_key:
                best, best_key, tie = powers, key, False
            elif key == best_key:
                tie = True
    if best is None:
        return terms
    if tie:  # several symbols share the structure (e.g. q, tau, v_F in q l u): order by total degree
        best = [_total_degree(t) for t in body]
        if any(k is None for k in best) or len(set(best)) < 3:
            return terms
    order = sorted(range(len(body)), key=lambda i: (abs(best[i]), best[i] < 0, i))
    return [body[i] for i in order] + tail


def _total_degree(term):
    """Sum of the rational exponents of the symbols of a monomial term, or None for anything else."""
    total = sp.Integer(0)
    for factor in sp.Mul.make_args(term):
        base, exp = factor.as_base_exp()
        if base.is_Symbol and exp.is_Rational:
            total += exp
        elif base.free_symbols:
            return None
    return total


def latex(expr, **settings) -> str:
    r"""LaTeX of ``expr`` (a SymPy object or anything SymPy can print) by :class:`~mesocorr.symbolic.printing.MesocorrLatexPrinter`.

    The signature fits ``sympy.init_printing(latex_printer=mesocorr.latex)``; since
    :func:`sympy.latex` itself prints through this printer (see the module docstring), the two agree.

    Parameters
    ----------
    expr : sympy.Basic or any object SymPy can print
    **settings
        Those of :func:`sympy.latex` (``mode``, ``mat_delim``, ``ln_notation``, ...) plus
        ``canonical_arguments``, ``ascending`` and ``constants_first`` (all default True).

    Returns
    -------
    str
        LaTeX (maths mode content unless ``mode`` says otherwise).

    Examples
    --------
    >>> import sympy as sp
    >>> latex(sp.atan(sp.Symbol("x")) + sp.log(sp.Symbol("tau_phi")))
    '\\ln{\\left(\\tau_{\\phi} \\right)} + \\arctan{\\left(x \\right)}'
    """
    return MesocorrLatexPrinter(settings).doprint(expr)


# ------------------------------------------------------------------------- sympy.latex
_SYMPY_INIT = LatexPrinter.__init__
_SYMPY_DOPRINT = LatexPrinter.doprint


def _init_recording_settings(self, settings=None):
    _SYMPY_INIT(self, settings)
    self._mesocorr_settings = dict(settings or {})  # the settings given explicitly, for the hand-over


def _doprint_like_mesocorr(self, expr):
    if type(self) is LatexPrinter:  # sympy.latex / Basic._repr_latex_; subclasses keep their own printing
        return MesocorrLatexPrinter(getattr(self, "_mesocorr_settings", {})).doprint(expr)
    return _SYMPY_DOPRINT(self, expr)


def use_in_sympy(enabled: bool = True) -> None:
    r"""Make :func:`sympy.latex` print like :func:`latex` (``True``, the state after import) or like SymPy (``False``).

    The change is to SymPy's :class:`~sympy.printing.latex.LatexPrinter` itself (not its subclasses),
    for the whole session; settings passed to ``sympy.latex`` explicitly still apply.

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> sp.latex(sp.log(x))
    '\\ln{\\left(x \\right)}'
    >>> use_in_sympy(False); sp.latex(sp.log(x))
    '\\log{\\left(x \\right)}'
    >>> use_in_sympy(True)
    """
    if not isinstance(enabled, bool):
        raise TypeError(f"enabled: expected True or False, got {enabled!r}")
    LatexPrinter.__init__ = _init_recording_settings if enabled else _SYMPY_INIT
    LatexPrinter.doprint = _doprint_like_mesocorr if enabled else _SYMPY_DOPRINT


use_in_sympy(True)


def latex_terms(expr, **settings) -> list[str]:
    r"""The terms of a sum as :func:`latex` prints them, each with its sign: ``["a", "- b", "+ c"]``.

    For breaking a long display after a ``+`` or ``-`` (the first term carries no ``+``).

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> latex_terms(1 - x + x**2 / 2 + sp.O(x**3))
    ['1', '- x', '+ \\frac{x^{2}}{2}', '+ O\\left(x^{3}\\right)']
    """
    printer = MesocorrLatexPrinter(settings)
    if not isinstance(expr, sp.Add):
        return [printer.doprint(expr)]
    out = []
    for k, term in enumerate(printer._as_ordered_terms(expr)):
        if term.could_extract_minus_sign():
            sign, term = "- ", -term
        else:
            sign = "+ " if k else ""
        tex = printer._print(term)
        if printer._needs_add_brackets(term):
            tex = rf"\left({tex}\right)"
        out.append(sign + tex)
    if out and out[0].startswith("- "):
        out[0] = "-" + out[0][2:]
    return out


def tex_number(x, digits: int = 12) -> str:
    r"""A number for prose maths: ``"2e10"`` -> ``2 \times 10^{10}``, ``1e-4`` -> ``10^{-4}``, ``0.05`` -> ``0.05``.

    ``x`` is a number (printed with up to ``digits`` significant digits, in powers of ten outside
    :math:`[10^{-3}, 10^4)`) or a numeric string (its digits kept as written, ``e`` notation turned
    into a power of ten).

    >>> tex_number("2e10"), tex_number(1e-4), tex_number("0.05"), tex_number(3), tex_number("-1.25e-17")
    ('2 \\times 10^{10}', '10^{-4}', '0.05', '3', '-1.25 \\times 10^{-17}')
    """
    if isinstance(x, str):
        m = re.fullmatch(r"\s*([+-]?(?:\d+\.?\d*|\.\d+))(?:[eE]([+-]?\d+))?\s*", x)
        if not m:
            raise ValueError(f"x: not a number: {x!r}")
        mant, power = m.groups()
    else:
        v = float(x)
        if v == 0 or 1e-3 <= abs(v) < 1e4:
            return f"{v:.{digits}g}"
        mant, power = f"{v:.{digits - 1}e}".split("e")
        mant = mant.rstrip("0").rstrip(".")
    if power is None:
        return mant
    power = str(int(power))
    if power == "0":
        return mant
    if mant.lstrip("+") in ("1", "-1", "1.", "-1."):
        return f"{'-' if mant.startswith('-') else ''}10^{{{power}}}"
    return rf"{mant.lstrip('+')} \times 10^{{{power}}}"


# ------------------------------------------------------------------------- plain text
_GREEK = {name: chr(code) for name, code in (
    ("alpha", 0x3B1), ("beta", 0x3B2), ("gamma", 0x3B3), ("delta", 0x3B4), ("epsilon", 0x3F5), ("varepsilon", 0x3B5),
    ("zeta", 0x3B6), ("eta", 0x3B7), ("theta", 0x3B8), ("vartheta", 0x3D1), ("iota", 0x3B9), ("kappa", 0x3BA),
    ("lambda", 0x3BB), ("mu", 0x3BC), ("nu", 0x3BD), ("xi", 0x3BE), ("pi", 0x3C0), ("rho", 0x3C1),
    ("sigma", 0x3C3), ("tau", 0x3C4), ("upsilon", 0x3C5), ("phi", 0x3C6), ("varphi", 0x3C6), ("chi", 0x3C7),
    ("psi", 0x3C8), ("omega", 0x3C9), ("Gamma", 0x393), ("Delta", 0x394), ("Theta", 0x398), ("Lambda", 0x39B),
    ("Xi", 0x39E), ("Pi", 0x3A0), ("Sigma", 0x3A3), ("Phi", 0x3A6), ("Psi", 0x3A8), ("Omega", 0x3A9))}
_SYMBOLS = {**_GREEK, "hbar": "ħ", "infty": "∞", "to": "→", "rightarrow": "→", "leftarrow": "←", "ll": "≪",
            "gg": "≫", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "neq": "≠", "ne": "≠", "approx": "≈",
            "simeq": "≃", "sim": "~", "propto": "∝", "equiv": "≡", "cdot": "·", "times": "×", "pm": "±",
            "mp": "∓", "partial": "∂", "nabla": "∇", "langle": "⟨", "rangle": "⟩", "sum": "Σ", "prod": "Π",
            "int": "∫", "dagger": "†", "ldots": "…", "dots": "…", "cdots": "⋯", "uparrow": "↑",
            "downarrow": "↓", "otimes": "⊗", "in": "∈", "lvert": "|", "rvert": "|", "vert": "|", "mid": "|",
            "star": "*", "ast": "*", "circ": "∘", "prime": "′", "perp": "⊥", "parallel": "∥", "degree": "°",
            "ln": "ln", "log": "log", "exp": "exp", "sin": "sin", "cos": "cos", "tan": "tan", "arctan": "arctan",
            "coth": "coth", "cot": "cot", "tanh": "tanh", "sinh": "sinh", "cosh": "cosh", "det": "det", "lim": "lim",
            "max": "max", "min": "min", "Re": "Re", "Im": "Im", "Tr": "Tr", "tr": "tr", "var": "var"}
_OPERATORS = ("ln", "log", "exp", "sin", "cos", "tan", "arctan", "coth", "cot", "tanh", "sinh", "cosh", "det", "lim",
              "max", "min", "Re", "Im", "Tr", "tr", "var")
_FONTS = ("mathrm", "text", "textrm", "textit", "textbf", "emph", "mathbf", "mathit", "mathcal", "mathsf",
          "boldsymbol", "operatorname", "mathbb", "texttt")
_ACCENTS = {"tilde": "\u0303", "hat": "\u0302", "bar": "\u0304", "vec": "\u20d7", "dot": "\u0307"}
_SIZES = ("left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "displaystyle",
          "textstyle")
_SPACES = {",": " ", ";": " ", ":": " ", " ": " ", "quad": " ", "qquad": " ", "!": "", "/": ""}
_SUPER = dict(zip("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ"))


def plain_text(text: str) -> str:
    r"""Prose with inline ``$...$`` LaTeX maths as readable Unicode text (terminal, JSON).

    Handles the subset the catalogue writes: Greek letters, ``\frac``, ``\sqrt``, sub- and
    superscripts, font and size commands, relations and arrows. Text outside ``$...$`` is kept as it is
    (apart from ``\$``). Raises ``ValueError`` on a command it does not know, so that a claim can
    never reach the terminal half-converted.

    >>> plain_text(r"$\Gamma_c = 4eDB_c/\hbar$ and $\frac{e^2}{h}\ln\frac{\tau_\phi}{\tau}$")
    'Γ_c = 4eDB_c/ħ and e²/h ln(τ_φ/τ)'
    """
    if not isinstance(text, str):
        raise TypeError(f"text: expected a str, got {type(text).__name__}")
    parts = re.split(r"(?<!\\)(\$[^$]*\$)", text)
    out = []
    for p in parts:
        if len(p) > 1 and p.startswith("$") and p.endswith("$"):
            out.append(_math_text(p[1:-1]))
        else:
            out.append(p.replace(r"\$", "$"))
    return "".join(out)


def tex_group(s: str, i: int) -> tuple[str, int]:
    """The TeX argument starting at ``s[i]`` (after spaces) and the index after it.

    A brace group gives its contents, else a ``\\command`` or one character; unbalanced braces raise
    ``ValueError``.

    >>> tex_group(r"\\frac{a}{b c} x", 5), tex_group(r"\\alpha^2", 0)
    (('a', 8), ('\\\\alpha', 6))
    """
    while i < len(s) and s[i] == " ":
        i += 1
    if i >= len(s):
        return "", i
    if s[i] == "{":
        depth, j = 0, i
        while j < len(s):
            if s[j] == "\\":
                j += 2
                continue
            depth += {"{": 1, "}": -1}.get(s[j], 0)
            if depth == 0:
                return s[i + 1:j], j + 1
            j += 1
        raise ValueError(f"text: unbalanced braces in ${s}$")
    m = re.match(r"\\([A-Za-z]+|.)", s[i:])
    if m:
        return m.group(0), i + len(m.group(0))
    return s[i], i + 1


def _wrap(x: str, denominator: bool = False) -> str:
    """Parenthesise a fraction part that is not a single token (a denominator: not a single factor)."""
    x = x.strip()
    if re.fullmatch(r"\(.*\)", x):
        return x
    if re.search(r"[\s+\-−/·×]", x):
        return f"({x})"
    if denominator and not re.fullmatch(r"\d+(\.\d+)?|[^\W\d_][\u0300-\u036f]?(_\w+)?[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]*", x):
        return f"({x})"
    return x


def _script(x: str, sup: bool) -> str:
    x = x.strip()
    if sup and x and all(ch in _SUPER for ch in x):
        return "".join(_SUPER[ch] for ch in x)
    if sup:
        return "^" + (x if len(x) == 1 else f"({x})")
    return "_" + x


def _math_text(s: str) -> str:
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            m = re.match(r"\\([A-Za-z]+|.)", s[i:])
            name = m.group(1)
            i += len(m.group(0))
            if (name in _GREEK or name in ("hbar", "langle", "lvert", "partial", "nabla")) and re.match(r" +[A-Za-z0-9]", s[i:]):
                i = len(s) - len(s[i:].lstrip(" "))  # TeX drops the space after a control word
            if name in ("frac", "tfrac", "dfrac"):
                a, i = tex_group(s, i)
                b, i = tex_group(s, i)
                lead = " " if out and re.search(r"[\w)\]}]$", out[-1]) else ""
                out.append(f"{lead}{_wrap(_math_text(a))}/{_wrap(_math_text(b), denominator=True)} ")
            elif name == "sqrt":
                a, i = tex_group(s, i)
                out.append("√" + _wrap(_math_text(a)))
            elif name in _ACCENTS:
                a, i = tex_group(s, i)
                out.append(_math_text(a) + _ACCENTS[name])
            elif name in _FONTS:
                a, i = tex_group(s, i)
                out.append(_math_text(a))
            elif name in _SIZES:
                if s[i:i + 1] == ".":
                    i += 1
            elif name in _SPACES:
                out.append(_SPACES[name])
            elif name in _SYMBOLS and name.isalpha() and len(name) > 1 and name not in _GREEK \
                    and name in _OPERATORS:
                nxt = s[i:].lstrip(" ")
                if re.match(r"\\[td]?frac", nxt):
                    a, i = tex_group(s, i)
                    a, i = tex_group(s, i)
                    b, i = tex_group(s, i)
                    out.append(f"{_SYMBOLS[name]}({_math_text(a).strip()}/{_math_text(b).strip()})")
                else:
                    out.append(_SYMBOLS[name] + (" " if re.match(r"[A-Za-z0-9\\]", nxt) else ""))
            elif name in _SYMBOLS:
                out.append(_SYMBOLS[name])
            elif name in "{}|$%&#_":
                out.append(name)
            else:
                raise ValueError(f"text: no plain-text form for \\{name} in ${s}$")
        elif c in "^_":
            a, i = tex_group(s, i + 1)
            out.append(_script(_math_text(a), c == "^"))
        elif c == "{":
            a, i = tex_group(s, i)
            out.append(_math_text(a))
        elif c == "~":
            out.append(" ")
            i += 1
        else:
            out.append(c)
            i += 1
    text = re.sub(r" {2,}", " ", "".join(out))
    return re.sub(r" ([)\],.;:]|$)", r"\1", text)


def channel_label(name: str) -> str:
    r"""LaTeX label of a channel name: ``singlet`` -> ``S``, ``triplet_x`` -> ``T_x``; a mixed block joins its members
    with :math:`\sim` and adds the branch (``singlet~triplet_z-`` -> ``S\sim T_z,-``, a Zeeman-mixed pair
    :math:`\bar\Gamma \mp \sqrt{\cdot}`) or the eigenvalue number of a larger block (``...[1]`` -> ``...,1``).
    Names of other internal spaces are set upright (``valley_x`` -> ``\mathrm{valley\_x}``).

    >>> channel_label("singlet~triplet_z-"), channel_label("triplet_x~triplet_y~triplet_z[1]")
    ('S\\sim T_z,-', 'T_x\\sim T_y\\sim T_z,1')
    """
    m = re.fullmatch(r"(.*?)(?:\[(\d+)\]|([+-]))?", name)
    parts = []
    for p in m.group(1).split("~"):
        if p == "singlet":
            parts.append("S")
        elif re.fullmatch(r"triplet_[xyz]", p):
            parts.append("T_" + p[-1])
        else:
            parts.append(r"\mathrm{" + p.replace("_", r"\_") + "}")
    suffix = m.group(2) or m.group(3)
    label = r"\sim ".join(parts)
    return f"{label},{suffix}" if suffix else label
