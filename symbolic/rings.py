r"""Cooperons and Diffusons with a flux: winding sums on cylinders and rings, and a ring between two leads.

Everything here is derived with SymPy from the weak-localization prefactor of
:mod:`mesocorr.diagrams.hikami` and the diffusion operator with a flux boundary condition; the
numbers are evaluated in :mod:`mesocorr.integrals.rings`.

**Flux boundary condition.** Around a loop of circumference :math:`L` threaded by :math:`\Phi` a
particle of charge :math:`q` picks up :math:`e^{2\pi i q\Phi/(e\Phi_0)}`, :math:`\Phi_0 = h/e`.
The Cooperon (charge :math:`2e`) has the angular momenta :math:`q_m = (2\pi/L)(m + 2\Phi/\Phi_0)`,
the Diffuson of a conductance correlation :math:`\langle\delta g(\Phi_1)\delta g(\Phi_2)\rangle`
has :math:`q_m = (2\pi/L)(m + (\Phi_1-\Phi_2)/\Phi_0)`, its Cooperon partner
:math:`(2\pi/L)(m + (\Phi_1+\Phi_2)/\Phi_0)`.

**Poisson resummation.** :math:`\frac1L\sum_m F(q_m) = \sum_{n\in\mathbb Z} e^{2\pi i n\varphi}
\int\frac{dq}{2\pi}F(q)e^{-iqnL}`, :math:`\varphi = 2\Phi/\Phi_0`: the mode sum becomes a sum over
windings :math:`n`, each the free Green's function :math:`G_d(nL)` of :math:`-\nabla^2+L_c^{-2}` at
the distance :math:`nL` (:func:`winding_green`), with :math:`d` = 1 (thin ring), 2 (thin-walled
cylinder), 3 (thick-walled cylinder). The Poisson step is checked numerically (not symbolically) in
:func:`poisson_check` and the tests.

**Ring between two leads.** A loop of two arms (length :math:`L/2`, cross-section :math:`A_a`)
between nodes A and B, joined to reservoirs by leads (lengths :math:`\ell_1, \ell_2`,
cross-section :math:`A_L`). The spectral determinant of :math:`-\partial^2 + z` on the graph
(Pascaud & Montambaux 1999; Akkermans et al. 2000) is
:math:`Z(z) = \prod_e S_e\,\det M` with :math:`S_e = \sinh(\kappa\ell_e)/\kappa`,
:math:`\kappa = \sqrt z`, and the node matrix :math:`M_{\alpha\alpha} = \sum_e A_e\kappa\coth\kappa\ell_e`,
:math:`M_{\alpha\beta} = -\sum_e A_e\kappa e^{\pm i\theta_e}/\sinh\kappa\ell_e`
(:func:`ring_with_leads_determinant`); :math:`\operatorname{Tr}(H+z)^{-1} = \partial_z\ln Z`.

References
----------
.. [AAS81] B. L. Altshuler, A. G. Aronov, B. Z. Spivak, JETP Lett. 33, 94 (1981).
.. [AS87] A. G. Aronov, Yu. V. Sharvin, Rev. Mod. Phys. 59, 755 (1987), Sec. III.
.. [PM99] M. Pascaud, G. Montambaux, Phys. Rev. Lett. 82, 4512 (1999).
.. [ACDMT00] E. Akkermans, A. Comtet, J. Desbois, G. Montambaux, C. Texier, Ann. Phys. 284, 10 (2000).
.. [DLMF] NIST DLMF 10.32.9 (:math:`K_0(x) = \int_0^\infty e^{-x\cosh t}dt`), 4.22.3 (:math:`\pi\cot\pi z`
   as a sum over poles).
"""

from __future__ import annotations

import math
from functools import cache

import mpmath
import sympy as sp

from mesocorr.arguments import sympy_value
from mesocorr.diagrams.hikami import SYMBOLS as _HIKAMI
from mesocorr.diagrams.hikami import wl_prefactor
from mesocorr.symbolic.wl import quasi1d_field_rate

__all__ = ["SYMBOLS", "exp_rational_zero", "periodic_mode_sum", "winding_fourier_series", "winding_green", "aas_winding_amplitude",
           "aas_uniform_term", "poisson_check", "wall_field_rate", "ring_with_leads_determinant",
           "log_fourier_series", "contacted_ring_asymptotics", "GEOMETRY_DIMENSION"]

L, L_c, kappa, r = sp.symbols("L L_c kappa r", positive=True)
b, x, phi, theta = sp.symbols("b x varphi theta", positive=True)
n = sp.Symbol("n", integer=True, positive=True)
m = sp.Symbol("m", integer=True)
q = sp.Symbol("q", positive=True)
s, w = sp.Symbol("s", positive=True), sp.Symbol("w_c", real=True)
t_wall, Phi, Phi0 = sp.symbols("t Phi Phi_0", positive=True)
D, e, hbar = sp.symbols("D e hbar", positive=True)
l1, l2, arm, A_lead, A_arm = sp.symbols("ell_1 ell_2 a A_L A_a", positive=True)

#: the symbols of this module by name
SYMBOLS = {"L": L, "L_c": L_c, "kappa": kappa, "r": r, "b": b, "x": x, "varphi": phi, "theta": theta, "n": n,
           "m": m, "q": q, "s": s, "w_c": w, "t": t_wall, "Phi": Phi, "Phi_0": Phi0, "D": D, "e": e, "hbar": hbar,
           "ell_1": l1, "ell_2": l2, "a": arm, "A_L": A_lead, "A_a": A_arm}

#: geometry -> dimension d of the winding Green's function (ring: 1, cylinder: 2, thick: 3)
GEOMETRY_DIMENSION = {"ring": 1, "cylinder": 2, "thick": 3}


def exp_rational_zero(expr: sp.Expr) -> bool:
    r"""True if ``expr`` (trigonometric/hyperbolic/exponential functions of linear forms, rational otherwise)
    vanishes identically: rewritten with ``exp``, every :math:`e^{\sum_k c_k t_k}` (rational :math:`c_k`, monomials
    :math:`t_k`) becomes :math:`\prod_k g_k^{c_k N_k}` with :math:`g_k = e^{t_k/N_k}` (:math:`N_k` the common
    denominator of the :math:`c_k` of :math:`t_k`), and the numerator of the rational function of the :math:`g_k`
    and the remaining symbols (``as_numer_denom``) is expanded: zero iff the function is. ``exp`` is a homomorphism, so 0 there means 0 here (a sound zero test; ``False``
    also for expressions outside this class).

    >>> x = sp.Symbol("x")
    >>> exp_rational_zero(sp.sinh(2 * x) - 2 * sp.sinh(x) * sp.cosh(x)), exp_rational_zero(sp.sinh(x) - x)
    (True, False)
    """
    ex = sympy_value("expr", expr).rewrite(sp.exp)
    ex = ex.replace(lambda a: isinstance(a, sp.exp), lambda a: sp.exp(sp.expand(a.args[0])))
    atoms = ex.atoms(sp.exp)
    denominators: dict = {}
    for atom in atoms:
        for term in sp.Add.make_args(atom.args[0]):
            c, base = term.as_coeff_Mul()
            if not c.is_Rational:  # pragma: no cover - float coefficients
                return False
            denominators[base] = math.lcm(denominators.get(base, 1), int(c.q))
    gens = {base: sp.Dummy("g") for base in denominators}

    def monomial(atom):
        out = sp.Integer(1)
        for term in sp.Add.make_args(atom.args[0]):
            c, base = term.as_coeff_Mul()
            out *= gens[base] ** (c * denominators[base])
        return out

    ex = ex.xreplace({atom: monomial(atom) for atom in atoms})
    if ex.has(sp.exp) or ex.has(sp.log) or any(isinstance(f, sp.Function) for f in ex.atoms(sp.Function)):
        return False
    # a rational function is zero iff the polynomial numerator of numerator/denominator is: expanding it decides
    # (like cancel, without the gcd; tests/test_derive_numeric_speed.py compares the two)
    numerator, _ = ex.as_numer_denom()
    return sp.expand(numerator) == 0


@cache
def periodic_mode_sum() -> sp.Expr:
    r""":math:`\sum_{m\in\mathbb Z}\frac{1}{(m+\varphi)^2+b^2} = \frac{\pi}{b}\,\frac{\sinh 2\pi b}{\cosh 2\pi b-\cos 2\pi\varphi}`.

    Derived by partial fractions :math:`\frac{1}{(m+\varphi)^2+b^2} = \frac{1}{2ib}\big[\frac{1}{m+\varphi-ib}
    - \frac{1}{m+\varphi+ib}\big]` and the pole expansion :math:`\sum_m 1/(m+z) = \pi\cot\pi z` (symmetric
    summation); SymPy checks that the two cotangents equal the canonical form.

    >>> periodic_mode_sum()
    pi*sinh(2*pi*b)/(b*(-cos(2*pi*varphi) + cosh(2*pi*b)))
    """
    z1, z2 = phi - sp.I * b, phi + sp.I * b
    total = (sp.pi * sp.cot(sp.pi * z1) - sp.pi * sp.cot(sp.pi * z2)) / (2 * sp.I * b)
    canonical = sp.pi * sp.sinh(2 * sp.pi * b) / (b * (sp.cosh(2 * sp.pi * b) - sp.cos(2 * sp.pi * phi)))
    if not exp_rational_zero(total - canonical):  # pragma: no cover - SymPy identity
        raise ArithmeticError("periodic mode sum: cotangent form and canonical form differ")
    return canonical


@cache
def winding_fourier_series() -> tuple[sp.Expr, sp.Expr]:
    r"""The Fourier (winding) series :math:`\frac{\sinh x}{\cosh x-\cos\theta} = 1 + 2\sum_{n\ge1}e^{-nx}\cos n\theta`.

    Returns ``(closed_form, n-th coefficient)``; derived by summing the geometric series
    :math:`\sum_{n\ge1}(e^{-x\pm i\theta})^n` with SymPy (its partial sums, whose remainder :math:`y^{N+1}` vanishes
    for :math:`|y| = e^{-x} < 1`) and checking the sum against the closed form.

    >>> winding_fourier_series()
    (sinh(x)/(-cos(theta) + cosh(x)), 2*exp(-n*x))
    """
    y, N = sp.Symbol("y"), sp.Symbol("N", integer=True, positive=True)
    partial = sp.summation(y**n, (n, 1, N))  # SymPy's partial sum of the geometric series
    partial = next(v for v, cond in partial.args if cond != sp.Eq(y, 1)) if isinstance(partial, sp.Piecewise) else partial
    if sp.cancel(partial - (y - y ** (N + 1)) / (1 - y)) != 0:  # pragma: no cover
        raise ArithmeticError("geometric partial sum differs from (y - y^(N+1))/(1 - y)")
    geometric = partial.subs(y ** (N + 1), 0)  # |y| = e^{-x} < 1 here: the remainder y^(N+1) -> 0
    u = sp.exp(-x + sp.I * theta)
    series = 1 + geometric.subs(y, u) + geometric.subs(y, sp.conjugate(u))
    closed = sp.sinh(x) / (sp.cosh(x) - sp.cos(theta))
    if not exp_rational_zero(series - closed):  # pragma: no cover
        raise ArithmeticError("winding series does not sum to the closed form")
    return closed, 2 * sp.exp(-n * x)


def _meijer_is_besselk0(expr: sp.Expr) -> sp.Expr:
    """SymPy returns the 2D radial Fourier integral as a Meijer G function of kappa^2 r^2/4; it equals
    K_0(kappa r)/(2 pi) (DLMF 10.32.9 via G^{2,0}_{0,2}). Checked numerically (30 digits, three points)."""
    target = sp.besselk(0, kappa * r) / (2 * sp.pi)
    f_expr = sp.lambdify((kappa, r), expr, modules="mpmath")
    f_target = sp.lambdify((kappa, r), target, modules="mpmath")
    with mpmath.workdps(30):
        for kv, rv in (("0.3", "1.7"), ("2", "0.25"), ("1", "5")):
            a_val, b_val = f_expr(mpmath.mpf(kv), mpmath.mpf(rv)), f_target(mpmath.mpf(kv), mpmath.mpf(rv))
            if abs(a_val - b_val) > mpmath.mpf(10) ** -25 * abs(b_val):  # pragma: no cover
                raise ArithmeticError(f"2D Green's function: Meijer G {a_val} != K0/(2 pi) {b_val}")
    return target


def _exp_form(expr: sp.Expr) -> sp.Expr:
    """cosh/sinh rewritten with exp, expanded and the powers combined: an exact rewriting, the canonical form
    ``simplify`` also reaches (tests/test_rings.py compares)."""
    return sp.powsimp(sp.expand(sp.sympify(expr, strict=True).rewrite(sp.exp)))


def _line_fourier_integral(numer: sp.Expr, denom: sp.Expr) -> sp.Expr:
    r""":math:`\int_{-\infty}^\infty dq\,e^{iqr}\,N(q)/D(q)` for polynomials with :math:`\deg D > \deg N`, simple
    poles off the real axis, :math:`r > 0`: closed in the upper half plane (Jordan's lemma),
    :math:`2\pi i\sum_{\mathrm{Im}\,p>0}N(p)e^{ipr}/D'(p)` (the poles from ``sympy.roots``)."""
    poly = sp.Poly(denom, q)
    if poly.degree() <= sp.Poly(numer, q).degree():  # pragma: no cover
        raise ValueError("denom: the integrand must decay (Jordan's lemma)")
    poles = sp.roots(poly)
    if sum(poles.values()) != poly.degree() or any(mult != 1 for mult in poles.values()):  # pragma: no cover
        raise ArithmeticError("Fourier integral: poles not all simple or not all found")
    if any(sp.im(p).is_zero is not False for p in poles):  # pragma: no cover
        raise ArithmeticError("Fourier integral: a pole on the real axis")
    slope = poly.diff(q).as_expr()
    upper = [p for p in poles if sp.im(p).is_positive]
    return 2 * sp.pi * sp.I * sp.Add(*(numer.subs(q, p) * sp.exp(sp.I * p * r) / slope.subs(q, p) for p in upper))


@cache
def winding_green(d: int) -> sp.Expr:
    r"""Free Green's function :math:`G_d(r) = \int\frac{d^dq}{(2\pi)^d}\frac{e^{i\mathbf q\cdot\mathbf r}}{q^2+\kappa^2}`.

    Radial Fourier integrals by SymPy: :math:`d=1`: :math:`e^{-\kappa r}/(2\kappa)` and :math:`d=3`:
    :math:`e^{-\kappa r}/(4\pi r)` (the line integrals :math:`\int dq\,e^{iqr}\{1, q\}/(q^2+\kappa^2)` by residues in
    the upper half plane, their real part and half their imaginary part; tests/test_rings.py compares with
    SymPy's ``integrate``); :math:`d=2`: :math:`K_0(\kappa r)/(2\pi)` (SymPy's ``integrate`` gives a Meijer G,
    identified numerically).

    >>> [winding_green(d) for d in (1, 2, 3)]
    [exp(-kappa*r)/(2*kappa), besselk(0, kappa*r)/(2*pi), exp(-kappa*r)/(4*pi*r)]
    """
    if d == 1:
        # 2 int_0^oo cos(qr)/(q^2+kappa^2) dq = Re int_R e^{iqr}/(q^2+kappa^2) dq
        return _exp_form(sp.re(_line_fourier_integral(sp.Integer(1), q**2 + kappa**2)) / (2 * sp.pi))
    if d == 2:
        radial = sp.integrate(q * sp.besselj(0, q * r) / (q**2 + kappa**2), (q, 0, sp.oo)) / (2 * sp.pi)
        return _meijer_is_besselk0(radial)
    if d == 3:
        # int_0^oo q sin(qr)/(q^2+kappa^2) dq = (1/2) Im int_R q e^{iqr}/(q^2+kappa^2) dq
        radial = sp.im(_line_fourier_integral(q, q**2 + kappa**2)) / 2
        return _exp_form(radial / (2 * sp.pi**2 * r))
    raise ValueError(f"d: must be 1, 2 or 3, got {d!r}")


@cache
def _prefactor_over_D_in_e2_h() -> sp.Expr:
    r""":math:`P/D` of :func:`~mesocorr.diagrams.hikami.wl_prefactor` in units of :math:`e^2/h` (= :math:`2s`);
    a ratio of monomials, so ``cancel`` is its canonical form (as ``simplify``'s; tests/test_derive_numeric_speed.py)."""
    P = wl_prefactor(2).subs({_HIKAMI["D"]: D, _HIKAMI["e"]: e, _HIKAMI["hbar"]: hbar, _HIKAMI["s"]: s})
    return sp.cancel(P / D / (e**2 / (2 * sp.pi * hbar)))


@cache
def aas_winding_amplitude(d: int) -> sp.Expr:
    r"""One channel's amplitude :math:`A_n` of :math:`\cos(4\pi n\Phi/\Phi_0)` in :math:`\delta\sigma` (units of :math:`e^2/h`).

    :math:`\delta\sigma = -P w_c\frac1L\sum_m\int\frac{d^{d-1}q_\perp}{(2\pi)^{d-1}}\frac{1}{D(q_m^2+q_\perp^2)+\Gamma_c}`
    with :math:`q_m = (2\pi/L)(m+2\Phi/\Phi_0)`; Poisson resummation turns it into
    :math:`-(P/D)w_c\sum_{n\in\mathbb Z}e^{4\pi in\Phi/\Phi_0}G_d(|n|L)`. The windings :math:`\pm n` give
    :math:`A_n = -2(P/D)w_cG_d(nL)`, :math:`\kappa = 1/L_c`:

    * d = 1 (thin ring, :math:`\delta\sigma_{1D}` in e²/h·m): :math:`-2sw_cL_ce^{-nL/L_c}`;
    * d = 2 (thin-walled cylinder, per square): :math:`-(2s/\pi)w_cK_0(nL/L_c)`;
    * d = 3 (thick wall, (e²/h)/m): :math:`-(s/\pi)w_c e^{-nL/L_c}/(nL)`.

    >>> aas_winding_amplitude(2)
    -2*s*w_c*besselk(0, L*n/L_c)/pi
    """
    G = winding_green(d).subs(r, n * L).subs(kappa, 1 / L_c)
    return _exp_form(-2 * _prefactor_over_D_in_e2_h() * w * G)


@cache
def aas_uniform_term() -> sp.Expr:
    r"""The winding-number-zero term of the thin ring (d = 1): :math:`-(P/D)w_cG_1(0) = -sw_cL_c`
    (e²/h·m), the infinite-wire value; finite in d = 1 only (d = 2, 3 need the UV cutoff).

    >>> aas_uniform_term()
    -L_c*s*w_c
    """
    return _exp_form(-_prefactor_over_D_in_e2_h() * w * winding_green(1).subs(r, 0).subs(kappa, 1 / L_c))


def poisson_check(F, phase: float, period: float = 1.0, terms: int = 60, dps: int = 30) -> tuple:
    r"""Numerical check of the Poisson step for one even function ``F(q)`` (mpmath callable).

    Returns ``(mode_sum, winding_sum)`` with :math:`\frac1L\sum_m F(\frac{2\pi}{L}(m+\varphi))` (mpmath
    ``nsum``) and :math:`\sum_n \cos(2\pi n\varphi)\int\frac{dq}{2\pi}F(q)\cos(nqL)` (mpmath ``quadosc``),
    :math:`L` = ``period``, :math:`\varphi` = ``phase``, :math:`|n|\le` ``terms``.
    """
    with mpmath.workdps(dps):
        Lm, ph = mpmath.mpf(period), mpmath.mpf(phase)
        modes = mpmath.nsum(lambda k: F(2 * mpmath.pi * (k + ph) / Lm), [-mpmath.inf, mpmath.inf]) / Lm
        total = mpmath.quad(lambda k: F(k), [0, mpmath.inf]) / mpmath.pi
        for k in range(1, terms + 1):
            fk = mpmath.quadosc(lambda u, k=k: F(u) * mpmath.cos(k * u * Lm), [0, mpmath.inf],
                                omega=k * Lm) / mpmath.pi
            total += 2 * mpmath.cos(2 * mpmath.pi * k * ph) * fk
        return +modes, +total


@cache
def wall_field_rate() -> sp.Expr:
    r"""Dephasing rate of the field inside the wall of a thin cylinder (thickness :math:`t`) or the arm
    of a thin ring (width :math:`t`), in units of :math:`D/L^2`, for the flux :math:`\Phi` through the
    circle of circumference :math:`L` (area :math:`L^2/4\pi`).

    The wall sees the axial field :math:`B = 4\pi\Phi/L^2` as a field parallel to a film (or normal to
    the arm): :func:`mesocorr.symbolic.wl.quasi1d_field_rate` with :math:`W = t` gives
    :math:`De^2t^2B^2/3\hbar^2`; with :math:`\Phi_0 = h/e = 2\pi\hbar/e` it is
    :math:`\frac{64\pi^4}{3}(t/L)^2(\Phi/\Phi_0)^2\,D/L^2` (Altshuler, Aronov & Spivak 1981; Aronov &
    Sharvin 1987). Valid for :math:`l \ll t \ll L_c`, :math:`t \ll L` and :math:`t^2 B \ll \hbar/e`.

    >>> wall_field_rate()
    64*pi**4*Phi**2*t**2/(3*L**2*Phi_0**2)
    """
    from mesocorr.symbolic.wl import SYMBOLS as WL

    rate = quasi1d_field_rate().subs({WL["W"]: t_wall, WL["D"]: D, WL["e"]: e, WL["hbar"]: hbar})
    rate = rate.subs(WL["B"], 4 * sp.pi * Phi / L**2)
    rate = rate.subs(hbar, e * Phi0 / (2 * sp.pi))
    return sp.cancel(rate / (D / L**2))  # a monomial ratio: cancel's form is simplify's (tests compare)


def _S(length):
    return sp.sinh(kappa * length) / kappa


def _C(length):
    return sp.cosh(kappa * length)


@cache
def ring_with_leads_determinant(uniform_current: bool = True) -> dict:
    r"""Spectral determinant of the ring between two leads, :math:`Z = \tilde\alpha - \tilde\beta\cos\theta`.

    Graph: reservoir 1 —(:math:`\ell_1, A_L`)— A ═(two arms, :math:`a = L/2`, :math:`A_a`; phase
    :math:`\theta` on one)═ B —(:math:`\ell_2, A_L`)— reservoir 2; Dirichlet at the reservoirs, continuity
    and :math:`\sum_e A_e\partial\psi_e = 0` at A, B. :math:`Z = \prod_e S_e\det M`; with
    :math:`P_i = A_LC_iS_a + 2A_aC_aS_i`: :math:`\tilde\alpha = P_1P_2 - 2A_a^2S_1S_2`,
    :math:`\tilde\beta = 2A_a^2S_1S_2`. ``uniform_current``: :math:`A_L = 2A_a` (each lead as thick as
    both arms; the current density, hence the Hikami-box weight, is the same everywhere), then at
    :math:`\theta = 0` (SymPy check) :math:`Z = 4A_a^2 S_\Lambda S_a`: the modes of one wire of length
    :math:`\Lambda = \ell_1 + a + \ell_2` and the Dirichlet modes of one arm.

    Returns ``{"alpha", "beta", "node_matrix", "Lambda"}``.
    """
    A_L = 2 * A_arm if uniform_current else A_lead
    th = theta
    # node matrix (nodes A, B); reservoirs are Dirichlet ends, eliminated
    coth = lambda ell: _C(ell) / (kappa * _S(ell))  # noqa: E731  (kappa coth(kappa l) / kappa)
    M = sp.Matrix([[A_L * kappa * coth(l1) + 2 * A_arm * kappa * coth(arm),
                    -A_arm * (sp.exp(sp.I * th) + 1) / _S(arm)],
                   [-A_arm * (sp.exp(-sp.I * th) + 1) / _S(arm),
                    A_L * kappa * coth(l2) + 2 * A_arm * kappa * coth(arm)]])
    Z = sp.expand(sp.simplify(M.det() * _S(l1) * _S(l2) * _S(arm) ** 2), trig=False)
    P1 = A_L * _C(l1) * _S(arm) + 2 * A_arm * _C(arm) * _S(l1)
    P2 = A_L * _C(l2) * _S(arm) + 2 * A_arm * _C(arm) * _S(l2)
    beta = 2 * A_arm**2 * _S(l1) * _S(l2)
    alpha = P1 * P2 - beta
    if sp.simplify((Z - (alpha - beta * sp.cos(th))).rewrite(sp.exp)) != 0:  # pragma: no cover
        raise ArithmeticError("ring determinant is not alpha - beta cos(theta)")
    Lam = l1 + arm + l2
    if uniform_current:
        at_zero = sp.simplify(((alpha - beta) - 4 * A_arm**2 * _S(Lam) * _S(arm)).rewrite(sp.exp))
        if at_zero != 0:  # pragma: no cover
            raise ArithmeticError("theta = 0: Z is not the wire times the arm")
    return {"alpha": alpha, "beta": beta, "node_matrix": M, "Lambda": Lam}


@cache
def log_fourier_series() -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    r""":math:`\ln(\alpha-\beta\cos\theta) = \ln c - 2\sum_{n\ge1}\frac{\rho^n}{n}\cos n\theta`.

    With :math:`c = (\alpha+\sqrt{\alpha^2-\beta^2})/2` and :math:`\rho = \beta/(2c)`:
    :math:`\alpha - \beta\cos\theta = c\,(1-\rho e^{i\theta})(1-\rho e^{-i\theta})` (SymPy), then
    :math:`\ln(1-y) = -\sum y^n/n`. Returns ``(c, rho, n-th coefficient)``. In terms of
    :math:`u = \beta/\alpha`: :math:`\rho = u/(1+\sqrt{1-u^2})`.

    >>> log_fourier_series()[2]
    -2*r**n/n
    """
    al, be = sp.symbols("alpha beta", positive=True)
    c = (al + sp.sqrt(al**2 - be**2)) / 2
    rho = be / (2 * c)
    if sp.simplify(al - be * sp.cos(theta) - c * (1 + rho**2 - 2 * rho * sp.cos(theta))) != 0:  # pragma: no cover
        raise ArithmeticError("factorisation of alpha - beta cos(theta) failed")
    u = sp.Symbol("u", positive=True)
    if sp.simplify(rho.subs(be, u * al) - u / (1 + sp.sqrt(1 - u**2))) != 0:  # pragma: no cover
        raise ArithmeticError("rho(u) mismatch")
    return c, rho, -2 * r**n / n


@cache
def contacted_ring_asymptotics() -> dict:
    r"""The ring between two leads (uniform current) for :math:`L \gg L_c` and leads :math:`\ell \gg L_c`.

    Then :math:`t_e \to 1/\kappa`, :math:`\mathrm{sech}\,\kappa a \to 2e^{-\kappa a}` and
    :math:`u = t_\ell^2\mathrm{sech}^2/(2(t_a+t_\ell)^2 - \dots) \to e^{-\kappa L}/2`, :math:`\rho \to u/2 = e^{-\kappa L}/4`
    (every node a three-way junction). With :math:`h_n = -2\rho^n/n` and :math:`z = \kappa^2`:
    :math:`F_n = h_n'(z)` (harmonic of :math:`\operatorname{Tr}G`) and :math:`-6F_n'(z)` (of the UCF sum
    :math:`2\operatorname{Re}\operatorname{Tr}G^2 + 4\operatorname{Tr}GG^\dagger` at :math:`\omega = 0`), SymPy:
    :math:`F_n = 4^{-n}(L/\kappa)e^{-n\kappa L}`, :math:`-6F_n' = 3\cdot4^{-n}nL^2\kappa^{-2}(1 + 1/(n\kappa L))e^{-n\kappa L}`.

    Returns ``{"u", "rho", "F_n", "ucf_n"}``.
    """
    ua = 1 / kappa**2 * 4 * sp.exp(-kappa * L) / (2 * (2 / kappa) ** 2)
    rho = sp.simplify(ua / 2)
    h = -2 * rho**n / n
    d_dz = lambda expr: sp.diff(expr, kappa) / (2 * kappa)  # noqa: E731
    F = sp.simplify(d_dz(h))
    ucf = sp.simplify(-6 * d_dz(F))
    expected = 3 * 4**(-n) * n * L**2 / kappa**2 * (1 + 1 / (n * kappa * L)) * sp.exp(-n * kappa * L)
    if sp.simplify(ucf - expected) != 0:  # pragma: no cover
        raise ArithmeticError("contacted ring asymptotics mismatch")
    return {"u": sp.simplify(ua), "rho": rho, "F_n": F, "ucf_n": expected}
