r"""Perturbative β functions of the Wigner–Dyson classes as SymPy expressions.

Convention (mesocorr): :math:`g = G/(e^2/h)` is the conductance of a hypercube of side
:math:`L` in units of :math:`e^2/h` **with both spin directions counted** (spin-degenerate
electrons; for the symplectic class, both Kramers partners), and

.. math:: \beta(g) = \frac{d\ln g}{d\ln L}.

What is derived here and what is literature input
-------------------------------------------------
* **One loop (derived).** The :math:`1/g` term is the weak-localization (Cooperon) correction
  summed over the gapless spin channels. With the WL kernel of the project,
  :math:`\delta\sigma = -(s e^2 D/\pi\hbar)\sum_c w_c\int d^dq/(2\pi)^d\,(Dq^2)^{-1}`,
  :math:`s = 2`, and :math:`W = \sum_{c\ \mathrm{gapless}} w_c` (:func:`gapless_weight`:
  orthogonal 1, unitary 0, symplectic :math:`-1/2` — the singlet), SymPy does the integral:

  - :math:`d = 2`, modes :math:`1/L < q < 1/l`:
    :math:`dg/d\ln L = -(s/\pi)W`, i.e. :math:`\beta = -(2/\pi)W/g`
    (orthogonal :math:`-2/(\pi g)`, symplectic :math:`+1/(\pi g)`);
  - quasi-1D wire, Dirichlet modes :math:`q = n\pi/L`: :math:`\delta g = -(s/3)W`, hence
    :math:`\beta = -1 - (2/3)W/g` (from :math:`g = g_{\rm Drude}(L) + \delta g`,
    :math:`g_{\rm Drude}\propto 1/L`).

* **Higher loops (literature, converted).** The σ-model series in the coupling
  :math:`t = 1/(2\pi g')`, :math:`g' = G/(2e^2/h) = g/2`, with :math:`\beta(t) = -dt/d\ln L`
  [EM08]_ (Sec. II, Wigner–Dyson classes; Table of perturbative β functions, Sec. IV.F):

  - orthogonal (AI): :math:`\beta(t) = \epsilon t - 2t^2 - 12\zeta(3)t^5 + O(t^6)`
    (two- and three-loop terms vanish; four-loop term [Weg89]_, [BW86]_);
  - unitary (A): :math:`\beta(t) = \epsilon t - 2t^3 - 6t^5 + O(t^7)`
    (two loops [Hik81]_, four loops [Weg89]_);
  - symplectic (AII): obtained here from the orthogonal series by the duality
    :math:`\beta_{S}(t) = -2\beta_{O}(-t/2)` [Hik92]_ (checked in the tests against the explicit
    series :math:`\epsilon t + t^2 - \tfrac34\zeta(3)t^5` of [EM08]_).

  Conversion: :math:`t = 1/(\pi g)` (:func:`coupling_t`), and since
  :math:`d\ln g/d\ln L = -d\ln t/d\ln L`, :math:`\beta_g = \beta(t)/t`. In mesocorr's
  convention the duality reads :math:`\beta_S(g) = \beta_O(-2g)`. The converted one-loop terms
  reproduce the derived ones (tests), which checks the spin counting of the conversion.

* **d ≠ 2.** For :math:`d = 2+\epsilon` (:math:`d > 2`) the minimal-subtraction σ-model result is
  :math:`\beta_g = \epsilon + \beta_{2D}(g)` with :math:`\epsilon`-independent coefficients. Beyond
  :math:`\epsilon\to0` the coefficients of the *physical* cube conductance are scheme
  (geometry/cutoff) dependent — e.g. a sharp-cutoff 3D cube gives :math:`-2/(\pi^2 g)`, not
  :math:`-2/(\pi g)` — only the fixed-point structure and exponents are universal. For the
  quasi-1D wire (``dim=1``) the leading form above is used: exact to :math:`O(1/g)` (DMPK,
  [Bee97]_ Sec. IV: :math:`\langle G\rangle/G_0 = Nl/L + (1-2/\beta_D)/3 + O(L/Nl)`), higher
  orders not implemented.

Loop counting: the :math:`n`-loop term is :math:`\propto t^{n+1}` in :math:`\beta(t)`, i.e.
:math:`\propto g^{-n}` in :math:`\beta_g`. Highest known order implemented: 4 (d ≥ 2), 1 (d = 1).

References
----------
.. [EM08] F. Evers, A. D. Mirlin, Rev. Mod. Phys. 80, 1355 (2008), Sec. II (β functions of the
   Wigner–Dyson classes and the ε-expansion of ν) and Sec. IV.F (perturbative β functions).
.. [Weg89] F. Wegner, Nucl. Phys. B 316, 663 (1989) (four-loop β functions of σ-models on
   symmetric spaces).
.. [BW86] W. Bernreuther, F. J. Wegner, Phys. Rev. Lett. 57, 1383 (1986).
.. [Hik81] S. Hikami, Phys. Rev. B 24, 2671 (1981).
.. [Hik92] S. Hikami, Prog. Theor. Phys. Suppl. 107, 213 (1992) (orthogonal–symplectic duality).
.. [Bee97] C. W. J. Beenakker, Rev. Mod. Phys. 69, 731 (1997), Sec. IV (DMPK; weak localization
   :math:`\delta G/G_0 = (1-2/\beta)/3` and :math:`\xi = (\beta N + 2 - \beta)l`).
.. [GLK79] L. P. Gor'kov, A. I. Larkin, D. E. Khmel'nitskii, JETP Lett. 30, 228 (1979).
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from mesocorr.arguments import as_rational, choice
from mesocorr.symbolic.channels import channels
from mesocorr.symbolic.memo import simplify

__all__ = [
    "CLASSES", "DYSON_INDEX", "MAX_LOOPS", "CONVENTIONS", "g", "t", "epsilon",
    "gapless_weight", "one_loop_rate", "sigma_model_series", "coupling_t", "beta_g",
    "beta_expression", "beta_coefficients", "convert", "nu_epsilon_expansion",
]

#: symmetry classes (Dyson's threefold way) and their Dyson index
CLASSES = ("orthogonal", "unitary", "symplectic")
DYSON_INDEX = {"orthogonal": 1, "unitary": 2, "symplectic": 4}
#: highest loop order implemented (= highest known for d >= 2; leading order for quasi-1D)
MAX_LOOPS = {2: 4, 1: 1}

g = sp.Symbol("g", positive=True)
t = sp.Symbol("t", positive=True)
epsilon = sp.Symbol("epsilon", real=True)
_q, _Lmin_inv, _Lmax_inv, _D, _n = sp.symbols("q q_min q_max D n", positive=True)

#: spin degeneracy carried by the WL prefactor (project convention)
SPIN_DEGENERACY = 2

#: conductance conventions: name -> (SymPy map from mesocorr's g, description)
CONVENTIONS = {
    "g": (g, "G/(e^2/h), both spins counted (mesocorr)"),
    "g_per_spin": (g / 2, "G/(2e^2/h) = Beenakker's G/G0 (per spin, or per Kramers pair)"),
    "g_hbar": (g / (2 * sp.pi), "G/(e^2/hbar) (Abrahams et al. 1979; Lee-Ramakrishnan a = 1/pi^2)"),
    "sigma_wl": (sp.pi * g, "sigma/(e^2/(2 pi^2 hbar)) (HLN unit e^2/(pi h))"),
    "t": (1 / (sp.pi * g), "Evers-Mirlin coupling t = 1/(2 pi g') = 1/(pi g) = (e^2/(2 pi^2 hbar))/sigma"),
}


def _check_class(symmetry_class: str) -> str:
    return choice("symmetry_class", symmetry_class, CLASSES)


@cache
def gapless_weight(symmetry_class: str) -> sp.Expr:
    r"""Sum :math:`W` of the WL weights of the Cooperon spin channels that stay gapless.

    Derived from :func:`mesocorr.symbolic.channels.channels` (the diagonalised spin kernel): the
    class fixes which spin scattering is present, and :math:`W` sums ``wl_weight`` over the
    channels whose gap vanishes. Orthogonal (no spin scattering): singlet + three triplets,
    :math:`-\tfrac12 + 3\cdot\tfrac12 = 1`. Symplectic (spin-orbit rate :math:`\Gamma_{so} > 0`): the
    triplets are gapped, only the singlet survives, :math:`-\tfrac12`. Unitary (time reversal broken;
    represented by magnetic scattering :math:`\Gamma_m > 0`, which gaps every Cooperon): 0.

    >>> [gapless_weight(c) for c in CLASSES]
    [1, 0, -1/2]
    """
    _check_class(symmetry_class)
    rate = sp.Symbol("Gamma", positive=True)
    so = rate if symmetry_class == "symplectic" else 0
    mag = rate if symmetry_class == "unitary" else 0
    return sum((c.wl_weight for c in channels("cooperon", so=so, mag=mag) if _vanishes(c.gap)), sp.Integer(0))


def _vanishes(gap: sp.Expr) -> bool:
    """Zero test of a channel gap: ``cancel`` (a sound and complete test) for a rational function of the rates,
    ``simplify`` otherwise (tests/test_derive_numeric_speed.py compares the two on every class)."""
    gap = sp.sympify(gap, strict=True)
    if gap.is_rational_function(*gap.free_symbols):
        return sp.cancel(gap) == 0
    return sp.simplify(gap) == 0


@cache
def one_loop_rate(symmetry_class: str, dim: int = 2) -> sp.Expr:
    r"""Derived one-loop :math:`dg/d\ln L` (2D) or :math:`\delta g` (quasi-1D), in units of :math:`e^2/h`.

    ``dim=2``: :math:`\delta g(L) = -(h/e^2)(s e^2/\pi\hbar)W\int_{1/L}^{1/l}\frac{q\,dq}{2\pi}\frac{1}{q^2}`
    and the returned value is :math:`d\,\delta g/d\ln L = -(s/\pi)W`.

    ``dim=1``: :math:`\delta g = -(h/e^2)(s e^2 D/\pi\hbar)W\,\frac1{L^2}\sum_{n\ge1}\frac{1}{D(n\pi/L)^2}
    = -(s/3)W` (Dirichlet modes of a wire between reservoirs), returned as is (it is
    :math:`L`-independent; it enters :math:`\beta` through :math:`g_{\rm Drude}\propto 1/L`).

    With ``h/e^2 = 2\pi\hbar/e^2``. Examples: orthogonal 2D :math:`-2/\pi`, symplectic 2D
    :math:`1/\pi`, orthogonal wire :math:`-2/3` ([Bee97]_ Sec. IV: :math:`-\tfrac13 G_0`,
    :math:`G_0 = 2e^2/h`).

    >>> one_loop_rate("orthogonal", 2)
    -2/pi
    >>> one_loop_rate("symplectic", 1)
    1/3
    """
    W = gapless_weight(symmetry_class)
    s = SPIN_DEGENERACY
    # (h/e^2) * (s e^2/(pi hbar)) = (2 pi hbar/e^2) * s e^2/(pi hbar) = 2 s
    if dim == 2:
        # (h/e^2)(s e^2/(pi hbar)) * int q dq/(2 pi q^2) = 2 s * (1/(2 pi)) ln(q_max/q_min)
        delta_g = -2 * s * W * _cooperon_log_integral()  # as a function of ln(q_max/q_min) = ln(L/l)
        lnL = sp.Symbol("lnL")
        delta_g = sp.expand_log(delta_g, force=True).subs(sp.log(_Lmin_inv), -lnL)
        return simplify(sp.diff(delta_g, lnL))  # memoised; a monomial is returned as simplify would
    if dim == 1:
        L = sp.Symbol("L", positive=True)
        delta_g = -2 * s * W * _D / L**2 * _wire_mode_sum(L)
        return simplify(delta_g)  # memoised; a monomial is returned as simplify would
    raise ValueError(f"dim: the derived one-loop term is for dim 1 (quasi-1D) or 2, got {dim!r}")


@cache
def _cooperon_log_integral() -> sp.Expr:
    r""":math:`\int_{q_{min}}^{q_{max}} q\,dq/(2\pi q^2)` by SymPy's integrate, once per process (the same for every
    class)."""
    return sp.integrate(_q / (2 * sp.pi * _q**2), (_q, _Lmin_inv, _Lmax_inv))


@cache
def _wire_mode_sum(L: sp.Symbol) -> sp.Expr:
    r""":math:`\sum_{n\ge1} 1/(D(n\pi/L)^2)` by SymPy's summation, once per process (the same for every class)."""
    return sp.summation(1 / (_D * (_n * sp.pi / L) ** 2), (_n, 1, sp.oo))


@cache
def sigma_model_series(symmetry_class: str) -> sp.Expr:
    r"""Literature σ-model :math:`\beta(t) = -dt/d\ln L` in :math:`d = 2+\epsilon` (four loops).

    Coupling :math:`t = 1/(2\pi g')` with :math:`g' = G/(2e^2/h)` ([EM08]_). Orthogonal and unitary
    are literature input ([Weg89]_, [Hik81]_); the symplectic series is derived from the
    orthogonal one by Hikami's duality :math:`\beta_S(t) = -2\beta_O(-t/2)` ([Hik92]_).

    >>> sigma_model_series("symplectic")
    epsilon*t - 3*t**5*zeta(3)/4 + t**2
    """
    _check_class(symmetry_class)
    z3 = sp.zeta(3)
    orthogonal = epsilon * t - 2 * t**2 - 12 * z3 * t**5  # [EM08] Sec. II; [Weg89] four loops
    if symmetry_class == "orthogonal":
        return orthogonal
    if symmetry_class == "unitary":
        return epsilon * t - 2 * t**3 - 6 * t**5  # [Hik81] two loops, [Weg89] four loops
    return sp.expand(-2 * orthogonal.subs(t, -t / 2))  # [Hik92] duality


def coupling_t(conductance=g) -> sp.Expr:
    r"""Evers–Mirlin coupling :math:`t = 1/(2\pi g') = 1/(\pi g)` for mesocorr's :math:`g`."""
    return 1 / (sp.pi * conductance)


def _max_loops(dim) -> int:
    return MAX_LOOPS[1] if dim == 1 else MAX_LOOPS[2]


def _check_dim(dim):
    if isinstance(dim, bool):
        raise TypeError(f"dim: expected a number, got {dim!r}")
    if isinstance(dim, sp.Basic):
        return dim
    try:
        d = float(dim)
    except (TypeError, ValueError):
        raise TypeError(f"dim: expected a number, got {dim!r}") from None
    if d == 1:
        return 1
    if not (d >= 2) or d != d or d == float("inf"):
        raise ValueError(f"dim: must be 1 (quasi-1D wire) or a real number >= 2 (d = 2 + epsilon), got {dim!r}")
    return sp.Integer(int(d)) if d == int(d) else as_rational("dim", d)


def _check_loops(loops, dim) -> int:
    top = _max_loops(dim)
    if loops is None:
        return top
    if isinstance(loops, bool) or not isinstance(loops, int):
        raise TypeError(f"loops: expected an integer, got {loops!r}")
    if loops < 0:
        raise ValueError(f"loops: must be >= 0, got {loops}")
    if loops > top:
        where = "quasi-1D (dim=1)" if dim == 1 else "d >= 2"
        raise ValueError(f"loops: highest known/implemented order for {where} is {top}, got {loops}")
    return loops


@cache
def _beta_g_cached(symmetry_class: str, dim, loops: int) -> sp.Expr:
    if dim == 1:
        # g = g_Drude + delta_g with g_Drude ∝ 1/L:  d ln g/d ln L = -(g - delta_g)/g
        return sp.Integer(-1) + (one_loop_rate(symmetry_class, 1) / g if loops >= 1 else 0)
    eps = dim - 2
    series_t = sp.expand(sigma_model_series(symmetry_class) / t)  # beta_g = beta(t)/t
    poly = sp.Poly(series_t.subs(epsilon, 0), t)
    expr = sp.Integer(0)
    for (power,), coeff in poly.terms():
        if 2 <= power <= loops:  # n-loop term = t^n in beta(t)/t; one loop is derived below
            expr += coeff * coupling_t() ** power
    if loops >= 1:
        expr += one_loop_rate(symmetry_class, 2) / g  # derived from the Cooperon
    return eps + expr


def beta_g(symmetry_class: str = "orthogonal", dim=2, loops: int | None = None) -> sp.Expr:
    r"""β function :math:`d\ln g/d\ln L` in mesocorr's convention as a SymPy expression in :data:`g`.

    Parameters
    ----------
    symmetry_class : {"orthogonal", "unitary", "symplectic"}
    dim : 1, a real number >= 2, or the symbol :data:`epsilon` (then :math:`d = 2+\epsilon`)
        1 = quasi-1D wire (leading DMPK form); :math:`d\ge2` = σ-model :math:`2+\epsilon` series.
    loops : int, optional
        Truncation order (:math:`n`-loop term :math:`\propto g^{-n}`); ``None`` = highest known.

    Examples
    --------
    >>> beta_g("orthogonal", 2)
    -2/(pi*g) - 12*zeta(3)/(pi**4*g**4)
    >>> beta_g("unitary", 3, loops=2)
    1 - 2/(pi**2*g**2)
    >>> beta_g("orthogonal", 1)
    -1 - 2/(3*g)
    """
    _check_class(symmetry_class)
    d = epsilon if dim is epsilon else _check_dim(dim)
    n = _check_loops(loops, 1 if d == 1 else 2)
    if d is epsilon:
        return _beta_g_cached(symmetry_class, 2, n) + epsilon
    return _beta_g_cached(symmetry_class, d, n)


def beta_coefficients(symmetry_class: str = "orthogonal", dim=2, loops: int | None = None) -> tuple:
    r"""``(d-2 or -1, [c_1, c_2, ...])`` with :math:`\beta_g = c_0 + \sum_n c_n g^{-n}` (exact SymPy)."""
    expr = sp.expand(beta_g(symmetry_class, dim, loops))
    x = sp.Symbol("x", positive=True)
    poly = sp.Poly(expr.subs(g, 1 / x), x)
    n = _check_loops(loops, 1 if dim == 1 else 2)
    coeffs = [poly.coeff_monomial(x**k) for k in range(0, n + 1)]
    return coeffs[0], coeffs[1:]


def convert(value, from_: str = "g", to: str = "t"):
    r"""Convert a conductance between conventions, exactly.

    ``value``: a SymPy expression (used as is) or a real number, taken as the exact rational it
    is written as (:func:`mesocorr.arguments.as_rational`: ``0.1`` is ``1/10``); strings are refused.

    Conventions (:data:`CONVENTIONS`): ``"g"`` = :math:`G/(e^2/h)` both spins (mesocorr);
    ``"g_per_spin"`` = :math:`G/(2e^2/h)`; ``"g_hbar"`` = :math:`G/(e^2/\hbar)`;
    ``"sigma_wl"`` = :math:`\sigma/(e^2/2\pi^2\hbar)` (2D sheet); ``"t"`` = Evers–Mirlin coupling.

    >>> convert(10, "g", "t")
    1/(10*pi)
    >>> convert(sp.Rational(1, 2), "g_per_spin", "g")
    1
    """
    choice("from_", from_, tuple(CONVENTIONS))
    choice("to", to, tuple(CONVENTIONS))
    exact_value = as_rational("value", value)
    y = sp.Symbol("y", positive=True)
    g_of_value = sp.solve(sp.Eq(CONVENTIONS[from_][0], y), g)
    if len(g_of_value) != 1:  # pragma: no cover - all maps are monotonic
        raise ArithmeticError("convert: non-invertible convention map")
    expr = CONVENTIONS[to][0].subs(g, g_of_value[0]).subs(y, exact_value)
    return sp.simplify(expr)


def beta_expression(symmetry_class: str = "orthogonal", dim=2, loops: int | None = None,
                    variable: str = "g") -> sp.Expr:
    r"""The β function in another convention, as a SymPy expression in that variable's symbol.

    For a multiplicative convention :math:`x = c\,g` the logarithmic β is invariant,
    :math:`d\ln x/d\ln L = \beta_g(x/c)`. For ``variable="t"`` the Evers–Mirlin form
    :math:`\beta(t) = -dt/d\ln L = t\,\beta_g(1/(\pi t))` is returned.

    >>> beta_expression("orthogonal", 2, variable="t")
    -12*t**5*zeta(3) - 2*t**2
    >>> beta_expression("orthogonal", 2, loops=1, variable="g_hbar")
    -1/(pi**2*g_hbar)
    """
    choice("variable", variable, tuple(CONVENTIONS))
    expr = beta_g(symmetry_class, dim, loops)
    x = sp.Symbol(variable, positive=True)
    out = expr.subs(g, _inverse_map(CONVENTIONS[variable][0], x))
    if variable == "t":
        out = x * out
    return sp.expand(out)


def _inverse_map(forward: sp.Expr, x: sp.Symbol) -> sp.Expr:
    """g as a function of x for a convention map x = c g**k (every entry of :data:`CONVENTIONS`): (x/c)**(1/k),
    verified by substituting back (the root ``sympy.solve`` returns; tests/test_derive_ucf_scaling_speed.py compares,
    and this avoids solve's simplify with its import of sympy.physics.units)."""
    c, k = forward.as_coeff_exponent(g)
    if forward != c * g**k or c.has(g) or k == 0:  # pragma: no cover - every map is a monomial in g
        raise ArithmeticError(f"convention map {forward} is not c*g**k")
    inverse = (x / c) ** (1 / k)
    if sp.cancel(forward.subs(g, inverse) - x) != 0:  # pragma: no cover
        raise ArithmeticError(f"convention map {forward}: inverse {inverse} does not invert it")
    return inverse


@cache
def nu_epsilon_expansion(symmetry_class: str = "orthogonal") -> sp.Expr:
    r"""ε-expansion of the localization-length exponent ν, derived from the four-loop :math:`\beta(t)`.

    The fixed point :math:`t_*(\epsilon)` solves :math:`\beta(t_*) = 0` order by order and
    :math:`\nu = -1/\beta'(t_*)`. Only the terms fixed by the four-loop series are returned
    (an unknown five-loop term would change the next one): orthogonal through :math:`\epsilon^2`,
    unitary through :math:`\epsilon^0`. Literature: orthogonal
    :math:`1/\epsilon - \tfrac94\zeta(3)\epsilon^2`, unitary :math:`1/(2\epsilon) - 3/4` ([EM08]_ Sec. II,
    [Weg89]_) — compared in the tests. The symplectic class has no perturbative fixed point
    (:math:`\beta(t) > 0` at small :math:`t`): ``ValueError``.

    At :math:`\epsilon = 1` these series are useless (orthogonal: :math:`1 - 2.70 = -1.70`); the
    3D orthogonal exponent from numerics is :math:`\nu = 1.571\pm0.004` (K. Slevin, T. Ohtsuki,
    New J. Phys. 16, 015012 (2014); :math:`1.57\pm0.02` in PRL 82, 382 (1999)).

    >>> nu_epsilon_expansion("orthogonal")
    -9*epsilon**2*zeta(3)/4 + 1/epsilon
    >>> nu_epsilon_expansion("unitary")
    -3/4 + 1/(2*epsilon)
    """
    _check_class(symmetry_class)
    if symmetry_class == "symplectic":
        raise ValueError("symmetry_class: the symplectic beta function has no fixed point in the 2+epsilon "
                         "expansion (antilocalization); its 3D transition is non-perturbative")
    zeta3 = sp.Symbol("zeta3", positive=True)  # a plain symbol keeps SymPy's series fast
    beta = sigma_model_series(symmetry_class).subs(sp.zeta(3), zeta3)
    poly0 = sp.Poly(beta.subs(epsilon, 0), t)
    lowest = min(k for (k,), c in poly0.terms())  # first nonzero loop term t^lowest
    c = -poly0.coeff_monomial(t**lowest)
    m = lowest - 1  # t* ~ (epsilon/c)^(1/m); expand in a = epsilon^(1/m)
    known = {"orthogonal": 2, "unitary": 0}[symmetry_class]  # highest epsilon power fixed by 4 loops
    a, x = sp.symbols("a x", positive=True)
    eq = sp.expand((beta / t).subs(epsilon, a**m).subs(t, a * x) / a**m)  # 0 = eq(x, a)
    sol = 1 / c ** sp.Rational(1, m)
    nterms = m * known + 2
    for k in range(1, nterms + 1):
        ck = sp.Symbol("ck")
        lin = sp.series(eq.subs(x, sol + ck * a**k), a, 0, k + 1).removeO().coeff(a, k)
        sol = sol + sp.solve(lin, ck)[0] * a**k
    slope = sp.diff(beta, t).subs(t, a * sol).subs(epsilon, a**m)
    nu = sp.series(-1 / slope, a, 0, m * known + 1).removeO()
    return sp.expand(nu.subs(a, epsilon ** sp.Rational(1, m)).subs(zeta3, sp.zeta(3)))
