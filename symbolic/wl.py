r"""Weak (anti)localization closed forms, derived with SymPy from the Hikami-box prefactor.

Every expression is per Cooperon channel :math:`c` (gap :math:`\Gamma_c`, weak-localization weight
:math:`w_c`, characteristic field :math:`B_c = \hbar\Gamma_c/(4eD)`, length
:math:`L_c = \sqrt{D/\Gamma_c}`); the physical result is :math:`\sum_c` over
:func:`mesocorr.channels` ``("cooperon", ...)``. Start: :func:`mesocorr.diagrams.hikami.wl_prefactor`,

.. math:: \delta\sigma = -\frac{s e^2 D}{\pi\hbar}\sum_c w_c\int\frac{d^dq}{(2\pi)^d}\frac{1}{Dq^2+\Gamma_c}.

Conventions (``docs/conventions.md``, section "Weak (anti)localization and magnetoconductance"):

* **UV cutoff via the elastic time**: :math:`Dq_{max}^2 = 1/\tau`, i.e. :math:`q_{max} =
  1/\sqrt{D\tau} = \sqrt d/l` (with :math:`l = v_F\tau`, :math:`D = v_F^2\tau/d`). This gives
  exactly :math:`\ln(1+\tau_\phi/\tau)` in 2D.
* **IR**: each channel's own gap, :math:`L_c = \sqrt{D/\Gamma_c}`.
* Results are returned in units of :math:`e^2/h` (:func:`in_units_of_e2_h`): 2D per square;
  quasi-1D :math:`\delta\sigma_{1D} = \delta G\cdot L` (e²/h times metre); 3D (e²/h)/m. A film of
  thickness :math:`t` (:math:`t \ll L_c`) has 3D conductivity :math:`\delta\sigma_{2D}/t`, a wire of
  cross-section :math:`A` has :math:`\delta\sigma_{1D}/A`.

References
----------
.. [HLN80] S. Hikami, A. I. Larkin, Y. Nagaoka, Prog. Theor. Phys. 63, 707 (1980).
.. [K80] A. Kawabata, Solid State Commun. 34, 431 (1980); J. Phys. Soc. Jpn. 49, 628 (1980).
.. [AA81] B. L. Altshuler, A. G. Aronov, JETP Lett. 33, 499 (1981).
.. [BvH88] C. W. J. Beenakker, H. van Houten, Phys. Rev. B 38, 3232 (1988).
.. [AM07] E. Akkermans, G. Montambaux, *Mesoscopic Physics* (CUP 2007), ch. 7.
"""

from __future__ import annotations

from functools import cache

import sympy as sp
from sympy.integrals.manualintegrate import manualintegrate

from mesocorr.diagrams.hikami import SYMBOLS as _HIKAMI
from mesocorr.diagrams.hikami import wl_prefactor

__all__ = ["SYMBOLS", "cooperon_integral", "zero_field_correction", "telescoping_digamma_sum",
           "magnetoconductance_2d", "kawabata_3d", "quasi1d_field_rate", "magnetoconductance_1d",
           "wire_mode_sum", "finite_wire_conductance", "in_units_of_e2_h", "hln_series_coefficients",
           "gap_from_field"]

q, D, tau, Gamma, e, hbar, s = sp.symbols("q D tau Gamma_c e hbar s", positive=True)
B, B_c, B_tau = sp.symbols("B B_c B_tau", positive=True)
L, L_c, W, t_film, A_wire = sp.symbols("L L_c W t A", positive=True)
w = sp.Symbol("w_c", real=True)
n = sp.Symbol("n", integer=True, nonnegative=True)
N = sp.Symbol("N", positive=True)
a = sp.Symbol("a", positive=True)

#: the symbols of this module by name
SYMBOLS = {"q": q, "D": D, "tau": tau, "Gamma_c": Gamma, "e": e, "hbar": hbar, "s": s, "B": B,
           "B_c": B_c, "B_tau": B_tau, "L": L, "L_c": L_c, "W": W, "t": t_film, "A": A_wire, "w_c": w}

_MEASURE = {1: 2 / (2 * sp.pi), 2: 2 * sp.pi * q / (2 * sp.pi) ** 2, 3: 4 * sp.pi * q**2 / (2 * sp.pi) ** 3}


def _definite_integral(integrand: sp.Expr, x: sp.Symbol, lower, upper) -> sp.Expr:
    r""":math:`\int_a^b f\,dx` from an antiderivative: :func:`~sympy.integrals.manualintegrate.manualintegrate`
    (SymPy's rule-based integrator), verified by differentiating it (:math:`F' - f` cancels to zero), then
    :math:`F(b) - F(a)` (at an infinite end by substitution or a limit, see the comment). Falls back to :func:`sympy.integrate` when the rules find no
    elementary antiderivative. For an integrand continuous on :math:`[a, b]` (the Cooperon integrands are).
    """
    antiderivative = manualintegrate(integrand, x)
    if antiderivative.has(sp.Integral) or sp.cancel(sp.diff(antiderivative, x) - integrand) != 0:
        return sp.integrate(integrand, (x, lower, upper))

    def at(end):
        return _at_infinite_end(antiderivative, x, end) if end in (sp.oo, -sp.oo) else antiderivative.subs(x, end)

    return at(upper) - at(lower)


def _at_infinite_end(expr: sp.Expr, x: sp.Symbol, end) -> sp.Expr:
    r""":math:`\lim_{x\to\pm\infty}` ``expr``. An expression whose only functions are ``atan`` (continuous on the
    extended line, :math:`\arctan(\pm\infty) = \pm\pi/2`) is evaluated by substitution when that gives a finite
    value without ``nan``/``zoo`` (an indeterminate rational part gives ``nan``); anything else by
    :func:`sympy.limit`."""
    if all(isinstance(f, sp.atan) for f in expr.atoms(sp.Function)):
        value = expr.subs(x, end)
        if value.is_finite and not value.has(sp.oo, -sp.oo, sp.zoo, sp.nan, sp.AccumBounds):
            return value
    return sp.limit(expr, x, end)


def in_units_of_e2_h(expr: sp.Expr, canonical=None) -> sp.Expr:
    r"""Divide by :math:`e^2/h = e^2/(2\pi\hbar)` and bring the quotient to :func:`sympy.simplify`'s form.

    ``canonical`` (optional) is a cheaper rewriting (e.g. :func:`sympy.together`) that a caller knows to give
    the same expression as ``simplify`` for its quotient (the tests compare the two); it must return an
    expression equal to its argument.
    """
    quotient = expr / (e**2 / (2 * sp.pi * hbar))
    return sp.simplify(quotient) if canonical is None else canonical(quotient)


def _prefactor() -> sp.Expr:
    """:func:`wl_prefactor` in this module's symbols (the same names; mapped, not assumed identical)."""
    return wl_prefactor(2).subs({_HIKAMI[k]: SYMBOLS[k] for k in ("D", "e", "hbar", "s")})


@cache
def cooperon_integral(d: int) -> sp.Expr:
    r""":math:`\int_{q<q_{max}} d^dq/(2\pi)^d\,1/(Dq^2+\Gamma_c)` with :math:`q_{max}=1/\sqrt{D\tau}`."""
    if d not in _MEASURE:
        raise ValueError(f"d: must be 1, 2 or 3, got {d!r}")
    qmax = 1 / sp.sqrt(D * tau)
    value = _definite_integral(_MEASURE[d] / (D * q**2 + Gamma), q, 0, qmax)
    if d == 2:
        return _one_logarithm(value)
    return sp.cancel(value)  # d = 1, 3: cancel's form is simplify's (tests/test_derive_diagrams_speed.py compares)


def _one_logarithm(value: sp.Expr) -> sp.Expr:
    r"""The form :math:`\ln\big((A/B)^c\big)` (``simplify``'s for the Cooperon integral) of
    :math:`c\ln A - c\ln B` (the 2D Cooperon integral :math:`F(q_{max}) - F(0)`, :math:`F = c\ln(Dq^2+\Gamma_c)`),
    cheaply: the quotient :math:`A/B` expanded (``cancel`` confirms it), valid since SymPy proves :math:`A, B > 0`
    and :math:`c` real.
    Other shapes go to ``simplify`` (tests/test_derive_diagrams_speed.py compares the two routes)."""
    terms = sp.Add.make_args(value)
    if len(terms) == 2:
        (c1, l1), (c2, l2) = sorted((t.as_independent(sp.log, as_Add=False) for t in terms),
                                    key=lambda cl: cl[0].could_extract_minus_sign())  # A: the positive term
        if isinstance(l1, sp.log) and isinstance(l2, sp.log) and sp.cancel(c1 + c2) == 0:
            A, B = l1.args[0], l2.args[0]
            ratio = sp.expand(A / B)
            # c ln A - c ln B = ln((A/B)^c) for A, B > 0 and real c; A/B and its expanded form agree (cancel)
            if A.is_positive and B.is_positive and c1.is_extended_real and sp.cancel(ratio - A / B) == 0:
                return sp.log(ratio**c1)
    return sp.simplify(value)  # pragma: no cover - not the two-logarithm shape


@cache
def zero_field_correction(d: int, geometry: str | None = None) -> sp.Expr:
    r"""One channel's zero-field :math:`\delta\sigma` in units of :math:`e^2/h` (times :math:`w_c`).

    ``geometry``: None (per square in 2D, e²/h·m in 1D, (e²/h)/m in 3D), ``"film"`` (2D divided by
    the thickness ``t``) or ``"wire"`` (1D divided by the cross-section ``A``).

    >>> zero_field_correction(2)
    -s*w_c*log(1 + 1/(Gamma_c*tau))/(2*pi)
    """
    expr = -_prefactor() * w * cooperon_integral(d)
    if geometry == "film" and d == 2:
        expr = expr / t_film
    elif geometry == "wire" and d == 1:
        expr = expr / A_wire
    elif geometry is not None:
        raise ValueError(f"geometry: 'film' needs d=2, 'wire' needs d=1; got {geometry!r} with d={d}")
    if d == 2:  # canonical display form, checked equal to the derived one
        canonical = -s * w * sp.log(1 + 1 / (Gamma * tau)) / (2 * sp.pi) / (t_film if geometry else 1)
        # the derived quotient and the display form differ by logarithms of products: expand them (all
        # symbols are positive) and the difference is a rational function of the logs, zero by cancel
        difference = sp.expand_log(in_units_of_e2_h(expr, canonical=sp.expand) - canonical, force=True)
        if sp.cancel(difference) != 0 and sp.simplify(difference) != 0:  # pragma: no cover
            raise ArithmeticError("2D zero-field form mismatch")
        return canonical
    # d = 1 (a monomial in atan): cancel's form is simplify's (tests/test_derive_diagrams_speed.py compares)
    return in_units_of_e2_h(expr, canonical=sp.cancel if d == 1 else None)


def telescoping_digamma_sum(shift: sp.Expr, upper: sp.Expr) -> sp.Expr:
    r""":math:`\sum_{n=0}^{N-1} 1/(n+a) = \psi(N+a)-\psi(a)` by telescoping the recurrence
    :math:`\psi(n+1+a)-\psi(n+a) = 1/(n+a)` (checked by SymPy before use)."""
    _check_digamma_recurrence()
    return sp.polygamma(0, upper + shift) - sp.polygamma(0, shift)


@cache
def _check_digamma_recurrence() -> None:
    r"""SymPy confirms :math:`\psi(n+1+a)-\psi(n+a) = 1/(n+a)` (once per process)."""
    step = sp.expand_func(sp.polygamma(0, n + 1 + a) - sp.polygamma(0, n + a))
    if sp.simplify(step - 1 / (n + a)) != 0:  # pragma: no cover - SymPy identity
        raise ArithmeticError("digamma recurrence failed")


@cache
def magnetoconductance_2d() -> sp.Expr:
    r"""One channel's :math:`\Delta\sigma(B)=\sigma(B)-\sigma(0)` in 2D, e²/h per square, times :math:`w_c`.

    Derivation: in a field the Cooperon (charge 2e) has Landau levels
    :math:`Dq^2 \to D(n+\tfrac12)4eB/\hbar`, each with :math:`2eB/h = eB/(\pi\hbar)` states per area,
    so :math:`\int d^2q/(2\pi)^2 \to (eB/\pi\hbar)\sum_n`. The UV cutoff :math:`Dq^2 < 1/\tau` keeps
    :math:`N = B_\tau/B` levels (:math:`B_\tau = \hbar/4eD\tau`); the sum telescopes into digammas.
    :math:`\delta\sigma(0)` is the :math:`B\to0` limit, and :math:`B \ll B_\tau` drops
    :math:`\psi(N+\tfrac12+B_c/B) - \ln(N+B_c/B) = O(B/B_\tau)`. Result:
    :math:`w_c\,\frac{s}{2\pi}\,[\ln(B/B_c)+\psi(\tfrac12+B_c/B)]`.
    """
    # rational functions: together/cancel give the forms simplify gives (the tests compare the two)
    level = sp.together(1 / (D * (n + sp.Rational(1, 2)) * 4 * e * B / hbar + Gamma))
    gap_as_field = gap_from_field()
    level = sp.together(level.subs(Gamma, gap_as_field))
    # level = (hbar/(4 e D B)) / (n + 1/2 + B_c/B)
    coeff = sp.cancel(level * (n + sp.Rational(1, 2) + B_c / B))
    if coeff.has(n):  # pragma: no cover
        raise ArithmeticError("Landau level term is not of the form c/(n + a)")
    levels = B_tau / B
    summed = coeff * telescoping_digamma_sum(sp.Rational(1, 2) + B_c / B, levels)
    delta_sigma_B = -_prefactor() * w * (e * B / (sp.pi * hbar)) * summed
    delta_sigma_0 = _limit_of_digamma_difference(delta_sigma_B, B)
    asymptotic = sp.log(levels + B_c / B)  # psi(N + 1/2 + B_c/B) for N -> oo
    delta = (delta_sigma_B - delta_sigma_0).subs(sp.polygamma(0, levels + sp.Rational(1, 2) + B_c / B),
                                                asymptotic)
    delta = sp.expand_log(sp.expand(delta), force=True)
    return in_units_of_e2_h(_combine_logs(delta), canonical=sp.together)


def _combine_logs(expr: sp.Expr) -> sp.Expr:
    r"""``sympy.simplify``'s form of the 2D magnetoconductance before the unit change, cheaply: the common factor
    taken out (:func:`~sympy.factor_terms`), the logarithms combined (:func:`~sympy.logcombine`; all symbols
    positive) and each digamma argument brought over a common denominator (:func:`~sympy.together`). An equal
    expression by construction; the same one as ``simplify`` for this expression
    (``tests/test_derive_diagrams_speed.py`` compares the two routes).
    """
    combined = sp.logcombine(sp.factor_terms(expr), force=True)
    return combined.replace(lambda f: isinstance(f, sp.polygamma),
                            lambda f: sp.polygamma(f.args[0], sp.together(f.args[1])))


@cache
def gap_from_field() -> sp.Expr:
    r"""The channel gap in terms of its characteristic field: :math:`B_c = \hbar\Gamma_c/(4eD)` solved for
    :math:`\Gamma_c` (linear: :math:`c_1\Gamma_c + c_0 = 0` from its two coefficients, the value ``sympy.solve``
    gives; ``tests/test_derive_diagrams_speed.py`` compares the two).

    >>> gap_from_field()
    4*B_c*D*e/hbar
    """
    c1, c0 = sp.Poly(B_c - hbar * Gamma / (4 * e * D), Gamma).all_coeffs()
    return -c0 / c1


def _limit_of_digamma_difference(expr: sp.Expr, x: sp.Symbol) -> sp.Expr:
    r""":math:`\lim_{x\to0^+}` of ``expr``, a combination of digammas whose arguments all tend to :math:`+\infty`.

    :math:`\psi(z) = \ln z + o(1)` for :math:`z\to\infty` (SymPy's limit, :func:`_check_digamma_asymptotic`), so
    every :math:`\psi(z_i)` may be replaced by :math:`\ln z_i`; the limit of the logarithms is then SymPy's
    :func:`~sympy.limit` of an elementary function (much cheaper than the limit through the digammas).
    """
    _check_digamma_asymptotic()
    digammas = [p for p in expr.atoms(sp.polygamma) if p.args[0] == 0]
    for p in digammas:
        if sp.limit(p.args[1], x, 0, "+") is not sp.oo:  # pragma: no cover - the Landau-level arguments do
            raise ArithmeticError(f"{p}: the argument does not tend to +oo")
    logged = expr.subs({p: sp.log(p.args[1]) for p in digammas})
    return sp.limit(sp.expand_log(sp.logcombine(logged, force=True)), x, 0, "+")


@cache
def _check_digamma_asymptotic() -> None:
    r"""SymPy confirms :math:`\psi(z) - \ln z \to 0` for :math:`z\to\infty` (once per process): with
    :math:`z = 1/x`, the series of :math:`\psi(1/x) + \ln x` at :math:`x\to0^+` (SymPy's asymptotic expansion of the
    digamma) is :math:`O(x)` — no constant term, so the limit is 0 (the same statement as ``sympy.limit`` at
    infinity, a quarter of its cost; ``tests/test_derive_diagrams_speed.py`` runs both)."""
    x = sp.Symbol("x", positive=True)
    if sp.series(sp.polygamma(0, 1 / x) + sp.log(x), x, 0, 1) != sp.O(x):  # pragma: no cover - SymPy identity
        raise ArithmeticError("digamma asymptotic failed")


def hln_series_coefficients(order: int = 4) -> list[sp.Expr]:
    r"""Taylor coefficients of :math:`F(x)=\ln x+\psi(\tfrac12+1/x)` at :math:`x=0` (even powers),
    from SymPy's series: ``[1/24, -7/960, ...]``."""
    x = sp.Symbol("x", positive=True)
    ser = sp.series(sp.log(x) + sp.polygamma(0, sp.Rational(1, 2) + 1 / x), x, 0, 2 * order + 1).removeO()
    return [ser.coeff(x, 2 * k) for k in range(1, order + 1)]


def _limit_of_root_differences(expr: sp.Expr, x: sp.Symbol) -> sp.Expr:
    r""":math:`\lim_{x\to+\infty}` of :math:`r + \sum_i c_i\sqrt{x + a_i}` (``r``, :math:`c_i`, :math:`a_i` free of
    :math:`x`) when :math:`\sum_i c_i = 0` (``cancel`` decides): then :math:`\sum_i c_i\sqrt{x+a_i} =
    \sum_i c_i a_i/(\sqrt{x+a_i}+\sqrt x) \to 0` and the limit is ``r``. Any other shape goes to
    :func:`sympy.limit` (``tests/test_derive_diagrams_speed.py`` compares the two routes)."""
    rest, coefficients = [], []
    for term in sp.Add.make_args(sp.expand(expr)):
        if not term.has(x):
            rest.append(term)
            continue
        coefficient, root = term.as_independent(x, as_Add=False)
        if not (isinstance(root, sp.Pow) and root.exp == sp.S.Half and not sp.expand(root.base - x).has(x)):
            return sp.limit(expr, x, sp.oo)
        coefficients.append(coefficient)
    if sp.cancel(sp.Add(*coefficients)) != 0:
        return sp.limit(expr, x, sp.oo)
    return sp.Add(*rest)


@cache
def kawabata_3d() -> sp.Expr:
    r"""One channel's 3D :math:`\Delta\sigma(B)` in (e²/h)/m, times :math:`w_c` (Kawabata 1980).

    Landau levels in the plane, free :math:`q_z`:
    :math:`\int dq_z/2\pi\,(Dq_z^2+E)^{-1} = 1/(2\sqrt{DE})` (SymPy), giving
    :math:`\delta\sigma(B) \propto -\sqrt{eB/\hbar}\sum_n (n+\tfrac12+\delta)^{-1/2}`,
    :math:`\delta = B_c/B`. At :math:`B=0` the same density of states :math:`eB/\pi\hbar` per unit
    of :math:`x = Dq_\perp^2/\Delta E` turns the sum into :math:`\int_0^N dx\,(x+\delta)^{-1/2}` with the
    same cutoff :math:`N = B_\tau/B` (SymPy). With the Hurwitz zeta function's partial sums
    :math:`\sum_{n<N}(n+a)^{-1/2} = \zeta(\tfrac12, a) + 2\sqrt{N+a} + o(1)` the divergent
    :math:`2\sqrt N` cancels in the limit :math:`N\to\infty` (:func:`_limit_of_root_differences`), leaving:
    :math:`\Delta\sigma = w_c\frac{s}{4\pi^2}\frac{e^2}{\hbar}\sqrt{eB/\hbar}\,f_3(\delta)` with
    :math:`f_3(\delta) = -2\sqrt\delta-\zeta(\tfrac12,\tfrac12+\delta)
    = \sum_n[2(\sqrt{n+1+\delta}-\sqrt{n+\delta})-(n+\tfrac12+\delta)^{-1/2}]`.
    """
    qz, E = sp.symbols("q_z E", positive=True)
    # monomials: cancel's forms are simplify's (tests/test_derive_diagrams_speed.py compares)
    line = sp.cancel(_definite_integral(1 / (D * qz**2 + E), qz, -sp.oo, sp.oo) / (2 * sp.pi))
    energy = D * 4 * e * B / hbar  # level spacing ΔE; E_n = ΔE (n + 1/2 + δ)
    # δσ(B) = -P w (eB/πħ) Σ_n line(E_n);  line(E_n) = line(ΔE) (n+1/2+δ)^(-1/2)
    per_level = sp.cancel(line.subs(E, energy))
    delta = B_c / B
    x = sp.Symbol("x", positive=True)
    continuum = _definite_integral(1 / sp.sqrt(x + delta), x, 0, N)  # the B = 0 integral, same cutoff
    shift = sp.Rational(1, 2) + delta  # Σ_{n<N} (n + shift)^(-1/2) = ζ(1/2, shift) + 2 sqrt(N + shift) + o(1)
    sum_minus_integral = sp.zeta(sp.Rational(1, 2), shift) + _limit_of_root_differences(2 * sp.sqrt(N + shift)
                                                                                          - continuum, N)
    # Δσ = δσ(B) - δσ(0) = -P w (eB/πħ) line(ΔE) [Σ_n - ∫]   (= w s/(2π) sqrt(eB/ħ) f3 in e²/h)
    expr = -_prefactor() * w * (e * B / (sp.pi * hbar)) * per_level * sum_minus_integral
    return in_units_of_e2_h(_together_with_zeta_arguments(expr), canonical=sp.together)


def _together_with_zeta_arguments(expr: sp.Expr) -> sp.Expr:
    r"""``sympy.simplify``'s form of the Kawabata expression :math:`c\sqrt B\,[\zeta(\tfrac12, \tfrac12 + B_c/B)
    + 2\sqrt{B_c}/\sqrt B]`, cheaply: the whole over a common denominator (:func:`~sympy.together`), then each
    Hurwitz zeta argument too. An equal expression by construction; the same one as ``simplify`` here
    (``tests/test_derive_diagrams_speed.py`` compares the two routes' srepr)."""
    return sp.together(expr).replace(lambda f: isinstance(f, sp.zeta) and len(f.args) == 2,
                                     lambda f: sp.zeta(f.args[0], sp.together(f.args[1])))


@cache
def quasi1d_field_rate() -> sp.Expr:
    r"""Field dephasing rate of a wire of width :math:`W`: :math:`1/\tau_B = De^2W^2B^2/(3\hbar^2)`.

    Regime: dirty wire with diffusive boundary scattering, :math:`l \ll W \ll L_c` and
    :math:`W \ll l_B=\sqrt{\hbar/eB}` (Altshuler & Aronov 1981; Beenakker & van Houten 1988, the
    "dirty metal" limit). The average of the squared vector potential across the width,
    :math:`\langle (2eBy/\hbar)^2\rangle - \langle 2eBy/\hbar\rangle^2 = (2eB/\hbar)^2 W^2/12`,
    times :math:`D` gives it (computed here).
    """
    y = sp.Symbol("y", real=True)
    mean = sp.integrate(2 * e * B * y / hbar, (y, -W / 2, W / 2)) / W
    mean_sq = sp.integrate((2 * e * B * y / hbar) ** 2, (y, -W / 2, W / 2)) / W
    return sp.cancel(D * (mean_sq - mean**2))  # a monomial: cancel's form is simplify's (the tests compare)


@cache
def magnetoconductance_1d() -> sp.Expr:
    r"""One channel's quasi-1D :math:`\Delta\sigma_{1D}(B)` (e²/h times metre), times :math:`w_c`.

    The infinite-wire correction with the UV cutoff removed (:math:`L_c \gg l`) is
    :math:`-w_c\,s\,L_c` in e²/h·m; the field adds :math:`1/\tau_B` to the gap.
    """
    inverse = sp.Dummy("X", positive=True)  # tau -> 0+ is X = 1/tau -> oo
    zero_b = _at_infinite_end(zero_field_correction(1).subs(tau, 1 / inverse), inverse, sp.oo)
    with_field = zero_b.subs(Gamma, Gamma + quasi1d_field_rate())
    return _over_common_denominators(with_field - zero_b)


def _over_common_denominators(expr: sp.Expr) -> sp.Expr:
    r"""``expr`` with the base of every power that is a sum brought over a common denominator
    (:func:`~sympy.together`; SymPy then takes the positive factors out of the fractional power). An equal
    expression by construction; for the wire magnetoconductance :math:`\sum_i c_i\Gamma_i^{-1/2}` the form
    ``sympy.simplify`` gives (``tests/test_derive_diagrams_speed.py`` compares the two routes' srepr)."""
    return expr.replace(lambda f: isinstance(f, sp.Pow) and isinstance(f.base, sp.Add),
                        lambda f: sp.together(f.base) ** f.exp)


@cache
def wire_mode_sum() -> sp.Expr:
    r""":math:`\sum_{n\ge1} 1/(n^2\pi^2+a^2) = (a\coth a - 1)/(2a^2)`, derived.

    Partial fractions :math:`\frac{1}{n^2+b^2} = \frac{1}{2ib}[\frac{1}{n-ib}-\frac{1}{n+ib}]`
    (:math:`b=a/\pi`), telescoped into :math:`\frac{1}{2ib}[\psi(1+ib)-\psi(1-ib)]`, then
    :math:`\psi(1+z)=\psi(z)+1/z` and the reflection :math:`\psi(1-z)-\psi(z)=\pi\cot\pi z`.
    """
    b = a / sp.pi
    z = sp.I * b
    # Σ_{n>=1} [1/(n - z) - 1/(n + z)] = ψ(1+z) - ψ(1-z)   (difference of two telescoped sums)
    psi_diff = (sp.polygamma(0, z) + 1 / z) - (sp.polygamma(0, z) + sp.pi * sp.cot(sp.pi * z))
    total = psi_diff / (2 * sp.I * b) / sp.pi**2
    canonical = (a * sp.coth(a) - 1) / (2 * a**2)
    difference = (total - canonical).rewrite(sp.exp)  # a rational function of exp(a): cancel decides
    if sp.cancel(difference) != 0 and sp.simplify(difference) != 0:  # pragma: no cover
        raise ArithmeticError("wire mode sum mismatch")
    return canonical


@cache
def finite_wire_conductance() -> sp.Expr:
    r"""One channel's :math:`\delta G` (e²/h, times :math:`w_c`) of a wire of length :math:`L` between
    reservoirs, :math:`a = L/L_c`.

    Dirichlet modes :math:`\sqrt{2/L}\sin(n\pi x/L)`; :math:`\delta G = L^{-2}\int_0^L dx\,\delta\sigma(x)`
    with :math:`\delta\sigma(x) = -P w_c C(x,x)`; the spatial average of :math:`C(x,x)` is
    :math:`L^{-1}\sum_n 1/(Dn^2\pi^2/L^2+\Gamma_c)`. Result:
    :math:`-w_c\,s\,(a\coth a-1)/a^2 \to -w_c s/3` as :math:`a\to0` (no dephasing).
    """
    mode_sum = wire_mode_sum()  # Σ_n 1/(n²π² + a²),  a² = Γ_c L²/D
    # <C(x,x)> = (1/L) Σ_n 1/(D n²π²/L² + Γ_c) = (L/D) Σ_n 1/(n²π² + a²);  δG = -P w <C> / L
    mean_c = (L / D) * mode_sum
    expr = -_prefactor() * w * mean_c / L
    # a product of powers times (a coth a - 1): together() is simplify's form here (tests compare the two)
    return in_units_of_e2_h(sp.together(expr), canonical=sp.together)
