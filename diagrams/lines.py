r"""Disorder-averaged Green's-function lines and the energy integral of a pair of them.

A line carries a branch (retarded ``R`` / advanced ``A``), a momentum, an energy and spin
indices (in, out). Its value in the Born approximation is

.. math:: G^{R/A}(\mathbf k, \varepsilon) = \frac{1}{\varepsilon - \xi_{\mathbf k} \pm i\hbar/2\tau},

with :math:`\xi_{\mathbf k}` the band energy measured from the Fermi level and :math:`\tau`
the elastic (total) scattering time, :math:`\hbar/\tau = -2\,\mathrm{Im}\,\Sigma^R`. Lines are
spin diagonal (:math:`\delta_{\alpha\beta}`); spin structure lives in the impurity vertices
(:mod:`mesocorr.diagrams.impurity`).

:func:`xi_integral` performs the energy integral :math:`\int d\xi` of a product of lines by
residues (closing the contour in the upper half plane), which is how every bubble and ladder
rung is evaluated: momentum sums are :math:`\sum_{\mathbf k} \to \nu\int d\xi\,\langle\cdot\rangle_{\hat k}`
with :math:`\nu` the density of states per spin per unit volume.

References
----------
.. [AM07] E. Akkermans, G. Montambaux, *Mesoscopic Physics of Electrons and Photons* (CUP 2007),
   ch. 3 (average Green's function) and appendix A4 (integrals of Green's functions).
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from mesocorr.arguments import sympy_value
from mesocorr.symbolic.printing import latex
from mesocorr.symbolic.memo import simplify

__all__ = ["GreenLine", "xi_integral", "denominator_poles", "is_zero", "cos_moment", "angular_average", "XI", "HBAR", "TAU", "SYMBOLS"]

#: band energy measured from the Fermi level (integration variable)
XI = sp.Symbol("xi", real=True)
#: reduced Planck constant (kept explicit; set it to 1 for the A&M convention)
HBAR = sp.Symbol("hbar", positive=True)
#: elastic scattering time
TAU = sp.Symbol("tau", positive=True)

#: symbols shared by the diagram derivations (lines, bubbles, ladders, poles)
SYMBOLS = {
    "q": sp.Symbol("q", nonnegative=True),
    "omega": sp.Symbol("omega", real=True),
    "varepsilon": sp.Symbol("varepsilon", real=True),
    "v_F": sp.Symbol("v_F", positive=True),
    "nu": sp.Symbol("nu", positive=True),
    "tau": TAU,
    "hbar": HBAR,
    "D": sp.Symbol("D", positive=True),
    "e": sp.Symbol("e", positive=True),
    "A": sp.Symbol("A", real=True),
    "Gamma": sp.Symbol("Gamma", nonnegative=True),
}
#: angle of the momentum to a fixed axis (2D angular average)
_THETA = sp.Symbol("theta", real=True)

_BRANCH_SIGN = {"R": 1, "A": -1}


class GreenLine:
    r"""A disorder-averaged Green's-function line :math:`G^{R/A}_{\alpha\beta}(\mathbf k, \varepsilon)`.

    Stores only its arguments: ``branch`` ("R" or "A"), ``momentum``, ``energy`` (SymPy
    expressions) and ``spin`` (pair of index symbols). :meth:`doit` returns the SymPy value
    with the band energy given by ``dispersion`` (default: an undefined function
    :math:`\xi(\mathbf k)`).

    Examples
    --------
    >>> import sympy as sp
    >>> k, e = sp.symbols("k varepsilon", real=True)
    >>> GreenLine("R", k, e).doit()
    1/(I*hbar/(2*tau) + varepsilon - xi(k))
    >>> GreenLine("A", k, e).latex()
    'G^{A}_{\\alpha\\beta}(k, \\varepsilon)'
    """

    __slots__ = ("_args",)

    def __init__(self, branch: str, momentum, energy, spin=None):
        if branch not in _BRANCH_SIGN:
            raise ValueError(f"branch: must be 'R' or 'A', got {branch!r}")
        if spin is not None and (isinstance(spin, (str, bytes)) or len(tuple(spin)) != 2):
            raise TypeError("spin: expected two index symbols (incoming, outgoing)")
        spin = sp.symbols("alpha beta") if spin is None else tuple(sympy_value(f"spin[{i}]", s) for i, s in enumerate(spin))
        self._args = (branch, sympy_value("momentum", momentum), sympy_value("energy", energy), spin)

    branch = property(lambda self: self._args[0], doc="'R' (retarded) or 'A' (advanced)")
    momentum = property(lambda self: self._args[1], doc="momentum carried by the line")
    energy = property(lambda self: self._args[2], doc="energy carried by the line")
    spin = property(lambda self: self._args[3], doc="(incoming, outgoing) spin indices")

    @property
    def args(self) -> tuple:
        return self._args

    @property
    def sign(self) -> int:
        """+1 for retarded, -1 for advanced (sign of the imaginary part of the pole shift)."""
        return _BRANCH_SIGN[self.branch]

    def doit(self, dispersion=None, tau=TAU, hbar=HBAR) -> sp.Expr:
        r""":math:`1/(\varepsilon - \xi_{\mathbf k} \pm i\hbar/2\tau)` as a SymPy expression."""
        xi = sp.Function("xi")(self.momentum) if dispersion is None else dispersion
        return 1 / (self.energy - xi + self.sign * sp.I * hbar / (2 * tau))

    def __eq__(self, other):
        return isinstance(other, GreenLine) and self._args == other._args

    def __hash__(self):
        return hash(self._args)

    def __repr__(self):
        return f"GreenLine({self.branch!r}, {self.momentum}, {self.energy})"

    def latex(self) -> str:
        a, b = (latex(s) for s in self.spin)
        return rf"G^{{{self.branch}}}_{{{a}{b}}}({latex(self.momentum)}, {latex(self.energy)})"

    def _latex(self, printer, *args, **kwargs) -> str:
        return self.latex()

    def _repr_latex_(self) -> str:
        return f"${self.latex()}$"


def is_zero(expr: sp.Expr) -> bool:
    """Whether ``expr`` is identically zero: :func:`sympy.cancel` decides for a rational function of its symbols with
    exact coefficients (a nonzero numerator polynomial stays nonzero); anything else (roots, functions, floats) is
    also given to :func:`sympy.simplify` when ``cancel`` does not already give zero."""
    if sp.cancel(expr) == 0:
        return True
    if expr.is_rational_function() and not expr.has(sp.Float):
        return False
    return simplify(expr) == 0


def denominator_poles(den: sp.Expr, xi: sp.Symbol) -> dict:
    """Poles of ``1/den`` in ``xi`` with their multiplicities, factor by factor (linear factors solved directly, the
    root expanded; others by ``sympy.roots``); two roots are one pole when their difference is zero (:func:`is_zero`).

    Parameters
    ----------
    den : sympy.Expr
        A product of powers of polynomials in ``xi`` (as ``sympy.fraction(sympy.together(f))`` gives it).
    xi : sympy.Symbol
        The integration variable.

    Returns
    -------
    dict
        ``{pole: multiplicity}``.
    """
    poles: dict = {}
    for factor in sp.Mul.make_args(den):
        base, exp = factor.as_base_exp()
        if not base.has(xi):
            continue
        poly = sp.Poly(base, xi)
        if poly.degree() == 1:
            c1, c0 = poly.all_coeffs()
            found = {sp.expand(-c0 / c1): 1}  # simplify's form for the catalogue's lines (tested); any form is the pole
        else:
            found = sp.roots(poly)
        for pole, mult in found.items():
            key = next((p for p in poles if is_zero(p - pole)), pole)
            poles[key] = poles.get(key, 0) + mult * int(exp)
    return poles


def xi_integral(expr: sp.Expr, xi: sp.Symbol = XI) -> sp.Expr:
    r"""Compute :math:`\int_{-\infty}^{\infty} d\xi\, f(\xi)` for a rational ``f`` by residues.

    The contour is closed in the upper half plane, which requires ``f`` to decay at least as
    :math:`\xi^{-2}` (checked). Every pole must lie definitely above or below the real axis
    given the assumptions on the symbols (checked); otherwise :class:`ValueError`.

    .. math:: \int d\xi\, f(\xi) = 2\pi i \sum_{\mathrm{Im}\,\xi_p > 0}\mathrm{Res}_{\xi_p} f

    Examples
    --------
    >>> import sympy as sp
    >>> from mesocorr.diagrams.lines import GreenLine, XI
    >>> e = sp.Symbol("varepsilon", real=True)
    >>> xi_integral(GreenLine("R", 0, e).doit(XI) * GreenLine("A", 0, e).doit(XI))
    2*pi*tau/hbar
    """
    # a rational function of the symbols: lowest terms (cancel), signs normalised and the common factor of the
    # denominator taken out — the form simplify gives for the catalogue's integrals (tests/test_derive_diagrams_speed.py
    # compares the two routes on them)
    return sp.factor_terms(sp.signsimp(sp.cancel(_residue_sum(expr, xi))))


def _residue_sum(expr: sp.Expr, xi: sp.Symbol) -> sp.Expr:
    r""":math:`2\pi i\sum\mathrm{Res}` over the upper-half-plane poles of ``expr`` (checked as in :func:`xi_integral`),
    before reduction."""
    num, den = sp.fraction(sp.together(expr))
    pnum, pden = sp.Poly(num, xi), sp.Poly(den, xi)
    if pden.degree() - pnum.degree() < 2:
        raise ValueError("expr: integrand must decay at least as xi**-2 to close the contour")
    total = sp.Integer(0)
    for pole, multiplicity in denominator_poles(den, xi).items():
        im = simplify(sp.im(pole))
        if im.is_positive:
            if multiplicity == 1:
                total += sp.cancel((xi - pole) * expr).subs(xi, pole)
            else:
                total += sp.residue(expr, xi, pole)
        elif not im.is_negative:
            raise ValueError(f"expr: cannot decide on which side of the real axis the pole {pole} lies")
    return 2 * sp.pi * sp.I * total


@cache
def cos_moment(n: int, d: int) -> sp.Expr:
    r""":math:`\langle\cos^n\theta\rangle` over the directions in ``d`` = 2 or 3 (exact, once per ``n``).

    d = 2: :math:`\cos\theta = (z + z^{-1})/2` with :math:`z = e^{i\theta}`; the average over the circle keeps
    the :math:`z^0` term of the Laurent polynomial (:math:`\frac1{2\pi}\int_0^{2\pi} e^{ik\theta}d\theta =
    \delta_{k0}`). d = 3: :math:`u = \cos\theta`, :math:`\sin\theta\,d\theta = -du`, the polynomial integral
    :math:`\frac12\int_{-1}^{1}u^n\,du`. (Both equal SymPy's integrals over :math:`\theta`; tests compare.)
    """
    if d not in (2, 3):
        raise ValueError(f"d: must be 2 or 3, got {d!r}")
    if d == 2:
        z = sp.Dummy("z")
        return sp.expand(((z + 1 / z) / 2) ** n).coeff(z, 0)
    u = sp.Dummy("u")
    antiderivative = sp.Poly(u**n, u).integrate()
    return (antiderivative.eval(1) - antiderivative.eval(-1)) / 2


def angular_average(expr: sp.Expr, u: sp.Symbol, d: int) -> sp.Expr:
    r"""Average ``expr`` over the direction of :math:`\hat k` in ``d`` dimensions.

    ``u`` is :math:`\cos\theta` (angle to a fixed axis). d = 1: :math:`\tfrac12[f(1)+f(-1)]`;
    d = 2: :math:`\tfrac1{2\pi}\int_0^{2\pi}f(\cos\theta)\,d\theta`;
    d = 3: :math:`\tfrac12\int_{-1}^{1}f(u)\,du`. In d = 2 and 3 a polynomial in ``u`` is averaged term by term
    with the moments :math:`\langle u^n\rangle` (:func:`~mesocorr.diagrams.lines.cos_moment`, exact, once per process;
    the same expanded polynomial as the integral, ``tests/test_derive_diagrams_speed.py`` compares the two).
    """
    if d == 1:
        return sp.expand((expr.subs(u, 1) + expr.subs(u, -1)) / 2)
    if d not in (2, 3):
        raise ValueError(f"d: must be 1, 2 or 3, got {d!r}")
    try:
        poly = sp.Poly(sp.expand(expr), u)
    except sp.PolynomialError:
        poly = None
    if poly is not None:  # term by term with the exact moments <u^n>
        return sp.expand(sum(coeff * cos_moment(n, d) for (n,), coeff in poly.terms()))
    if d == 2:
        return sp.expand(sp.integrate(expr.subs(u, sp.cos(_THETA)), (_THETA, 0, 2 * sp.pi)) / (2 * sp.pi))
    return sp.expand(sp.integrate(expr, (u, -1, 1)) / 2)
