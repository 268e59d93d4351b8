r"""The Hikami box of the weak-localization correction and the prefactor it fixes.

The Kubo conductivity (retarded-advanced part, spin degeneracy ``s``) is

.. math:: \sigma = \frac{s e^2\hbar}{2\pi V}\sum_{\mathbf k,\mathbf k'} v_x v_x'
          \langle G^R(\mathbf k,\mathbf k') G^A(\mathbf k',\mathbf k)\rangle .

The maximally crossed diagrams are a Cooperon :math:`\Gamma_C(\mathbf Q)` inserted in the Hikami
box. The box has three terms (A&M ch. 7, Fig. 7.6): the bare box
:math:`\propto \int d\xi\,(G^RG^A)^2` with velocities :math:`v_x(\mathbf k)v_x(\mathbf Q-\mathbf k)
\to -v_x^2`, and two boxes dressed by one extra impurity line. In each dressed box the two current
vertices sit on *different* momentum integrals, each carrying a single velocity
:math:`\langle v_x\rangle_{\hat k} = 0`: for isotropic (short-range) scattering they vanish at
:math:`Q \to 0`. :func:`hikami_box` does every :math:`\xi` integral by residues and every angular
average in :math:`d = 1, 2, 3` with SymPy; :func:`wl_prefactor` assembles

.. math:: \delta\sigma = -\frac{s e^2 D}{\pi\hbar}\sum_c w_c\int\frac{d^dQ}{(2\pi)^d}
          \frac{1}{DQ^2+\Gamma_c},
          \qquad \frac{\delta\sigma}{\sigma_0} = -\frac{1}{\pi\nu\hbar}\sum_c w_c
          \int\frac{d^dQ}{(2\pi)^d}\frac{1}{DQ^2+\Gamma_c},

with :math:`\sigma_0 = s e^2\nu D` (also derived here from the same Kubo formula), :math:`\nu` the
density of states per spin and volume. Nothing in the prefactor is typed in: it comes out of the
residues, the angular averages and the ladder expansion :math:`1-\Pi(\mathbf Q) = \tau(DQ^2+\Gamma)`.

References
----------
.. [AM07] E. Akkermans, G. Montambaux, *Mesoscopic Physics of Electrons and Photons* (CUP 2007),
   sections 4.6 (Cooperon), 7.2-7.4 (Hikami box, weak-localization correction).
.. [HLN80] S. Hikami, A. I. Larkin, Y. Nagaoka, Prog. Theor. Phys. 63, 707 (1980).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

import sympy as sp
from mesocorr.symbolic.printing import latex
from mesocorr.diagrams.lines import cos_moment, denominator_poles, is_zero
from mesocorr.symbolic.memo import simplify

__all__ = ["residue_integral", "angular_average", "ladder_expansion", "hikami_box", "HikamiBox",
           "scalar_hikami_box", "wl_prefactor", "drude_conductivity", "SYMBOLS"]

xi = sp.Symbol("xi", real=True)
hbar, tau, nu, v, e, D, s = sp.symbols("hbar tau nu v_F e D s", positive=True)
Q, Gamma = sp.symbols("Q Gamma", positive=True)
theta, phi_ang = sp.symbols("theta phi", real=True)

#: symbols used by the derivation (ħ, τ, ν per spin, v_F, e, D, spin degeneracy s, Q, Γ)
SYMBOLS = {"hbar": hbar, "tau": tau, "nu": nu, "v_F": v, "e": e, "D": D, "s": s, "Q": Q, "Gamma": Gamma}


def green_retarded(shift=0):
    r""":math:`G^R(\xi) = 1/(-\xi - \text{shift} + i\hbar/2\tau)` at the Fermi energy."""
    return 1 / (-xi - shift + sp.I * hbar / (2 * tau))


def green_advanced(shift=0):
    r""":math:`G^A(\xi) = 1/(-\xi - \text{shift} - i\hbar/2\tau)`."""
    return 1 / (-xi - shift - sp.I * hbar / (2 * tau))


@lru_cache(maxsize=512)
def residue_integral(integrand: sp.Expr) -> sp.Expr:
    r""":math:`\int_{-\infty}^{\infty} d\xi` of a rational function of :math:`\xi` decaying at least as
    :math:`1/\xi^2`, closed in the upper half plane: :math:`2\pi i\sum \mathrm{Res}`.

    Poles are those of the retarded functions (:math:`\xi = i\hbar/2\tau - \text{shift}`). The
    denominator is taken factor by factor (:func:`~mesocorr.diagrams.lines.denominator_poles`), and
    the residue of a pole of order :math:`m` at :math:`p` is
    :math:`\frac{1}{(m-1)!}\,\partial_\xi^{m-1}[(\xi-p)^m f]_{\xi=p}`. Cached per integrand
    (SymPy expressions are immutable): the diagrams ask for the same few integrals many times.
    """
    # a rational function of the symbols: cancel brings it to lowest terms, the form simplify gives here
    # (tests/test_derive_diagrams_speed.py compares the two on the catalogue's integrands)
    return sp.cancel(_residue_sum(integrand))


def _residue_sum(integrand: sp.Expr) -> sp.Expr:
    r""":math:`2\pi i\sum\mathrm{Res}` over the upper-half-plane poles of ``integrand``, before reduction."""
    num, den = sp.fraction(sp.together(integrand))
    if sp.degree(den, xi) - sp.degree(num, xi) < 2:
        raise ValueError("integrand: must decay at least as 1/xi^2 for the residue theorem")
    total = 0
    for root, order in denominator_poles(den, xi).items():
        # the upper half plane: imaginary part +hbar/(2 tau) (shifts are real)
        if is_zero(sp.im(root) - hbar / (2 * tau)):  # cancel decides for a rational function (simplify otherwise)
            regular = sp.cancel((xi - root) ** order * num / den)
            total += sp.diff(regular, xi, order - 1).subs(xi, root) / sp.factorial(order - 1)
    return 2 * sp.pi * sp.I * total


def angular_average(expr: sp.Expr, d: int) -> sp.Expr:
    r"""Average over the direction of :math:`\mathbf k` with :math:`v_x = v_F\cos\theta`.

    ``expr`` is a function of ``theta`` (the angle to the x axis). d = 1: the two directions
    :math:`\theta = 0, \pi`; d = 2: uniform :math:`\theta`; d = 3: measure :math:`\sin\theta\,d\theta/2`.
    A polynomial in :math:`\cos\theta` (what the diagrams produce) is averaged term by term with the
    moments :math:`\langle\cos^n\theta\rangle`, exact (:func:`~mesocorr.diagrams.lines.cos_moment`, once per process); anything else is
    integrated as it stands. The average of a polynomial is returned expanded (for the catalogue's averages the
    form simplify gives; ``tests/test_derive_diagrams_speed.py`` compares the two routes).
    """
    if d == 1:
        return sp.expand((expr.subs(theta, 0) + expr.subs(theta, sp.pi)) / 2)
    if d not in (2, 3):
        raise ValueError(f"d: must be 1, 2 or 3, got {d!r}")
    c = sp.Dummy("c")
    in_cos = sp.expand(expr).subs(sp.cos(theta), c)
    if not in_cos.has(theta):
        try:
            poly = sp.Poly(in_cos, c)
        except sp.PolynomialError:
            poly = None
        if poly is not None:
            return sp.expand(sum(coeff * cos_moment(n, d) for (n,), coeff in poly.terms()))
    if d == 2:
        return simplify(sp.integrate(expr, (theta, 0, 2 * sp.pi)) / (2 * sp.pi))
    return simplify(sp.integrate(expr * sp.sin(theta), (theta, 0, sp.pi)) / 2)


def _impurity_line() -> sp.Expr:
    r"""The impurity line :math:`\gamma = \hbar/(2\pi\nu\tau)` (Born approximation, :math:`\nu` per spin)."""
    return hbar / (2 * sp.pi * nu * tau)


@cache
def _fermi_velocity(d: int) -> sp.Expr:
    r""":math:`v_F` in terms of ``D``, from :math:`D = \tau\langle v_x^2\rangle` (the angular average;
    :math:`= v_F^2\tau/d`)."""
    # D = tau <v_x^2> = tau v^2 <cos^2>, linear in v^2: the positive root (v_F > 0); sympy.solve's value (tested)
    return sp.sqrt(sp.cancel(D / (tau * angular_average(sp.cos(theta) ** 2, d))))


@cache
def drude_conductivity(d: int) -> sp.Expr:
    r"""Drude :math:`\sigma_0` from the Kubo bubble: :math:`\frac{se^2\hbar}{2\pi}\nu\langle v_x^2\rangle
    \int d\xi\,G^RG^A`, returned with :math:`v_F^2\tau/d` replaced by ``D`` (= :math:`s e^2\nu D`)."""
    bubble = residue_integral(green_retarded() * green_advanced())
    sigma = s * e**2 * hbar / (2 * sp.pi) * nu * angular_average((v * sp.cos(theta)) ** 2, d) * bubble
    return simplify(sigma.subs(v, _fermi_velocity(d)))


@cache
def ladder_expansion(d: int) -> sp.Expr:
    r"""The particle-particle bubble :math:`\Pi(\mathbf Q) = \gamma\nu\int d\xi\,G^R(\xi)G^A(\xi+\hbar
    \mathbf v\cdot\mathbf Q)`, :math:`\gamma = \hbar/(2\pi\nu\tau)`, angle-averaged to order
    :math:`Q^2`: returns :math:`1-\Pi` (= :math:`D\tau Q^2`, so the Cooperon is
    :math:`\Gamma_C = \gamma/(1-\Pi) = \hbar/(2\pi\nu\tau^2 D Q^2)`; a spin or dephasing gap enters as
    :math:`DQ^2 \to DQ^2+\Gamma`)."""
    x = sp.Symbol("x", real=True)  # hbar v.Q
    pi_x = _impurity_line() * nu * residue_integral(green_retarded() * green_advanced(shift=x))
    # Taylor polynomial to x^2 by derivatives at x = 0 (pi_x is analytic there: its pole is at x = -i hbar/tau)
    series = sp.Add(*(sp.diff(pi_x, x, k).subs(x, 0) / sp.factorial(k) * x**k for k in range(3)))
    averaged = angular_average(series.subs(x, hbar * v * Q * sp.cos(theta)), d)
    return sp.expand((1 - averaged).subs(v, _fermi_velocity(d)))  # a polynomial in Q: simplify's form


@dataclass(frozen=True)
class HikamiBox:
    """The three terms of the conductivity Hikami box at Q -> 0 (velocity vertices included)."""

    d: int
    bare: sp.Expr
    dressed_1: sp.Expr
    dressed_2: sp.Expr

    @property
    def total(self) -> sp.Expr:
        return simplify(self.bare + self.dressed_1 + self.dressed_2)

    def latex(self) -> str:
        """``H_0, H_1, H_2`` and their sum, by :func:`mesocorr.latex`."""
        return (rf"H_0 = {latex(self.bare)},\quad H_1 = {latex(self.dressed_1)},\quad H_2 = {latex(self.dressed_2)}"
                rf",\quad H = {latex(self.total)}")

    def _repr_latex_(self) -> str:
        return f"${self.latex()}$"


@cache
def hikami_box(d: int) -> HikamiBox:
    r"""The conductivity Hikami box at :math:`Q\to0` in dimension ``d``.

    * bare: :math:`\nu\langle v_x(\mathbf k)v_x(-\mathbf k)\rangle\int d\xi\,(G^RG^A)^2
      = -\nu\langle v_x^2\rangle\,4\pi\tau^3/\hbar^3`;
    * dressed (two of them): an impurity line joining the two retarded (advanced) sides splits the
      box into two triangles :math:`G^RG^RG^A` (:math:`G^AG^AG^R`), each carrying one current vertex:
      :math:`\gamma\,[\nu\langle v_x\rangle\int d\xi\,G^RG^RG^A]^2`, zero because
      :math:`\langle v_x\rangle = 0`.
    """
    vx = v * sp.cos(theta)
    return _three_boxes(d, angular_average(vx * (-vx), d), angular_average(vx, d))


def _three_boxes(d: int, pair_vertex: sp.Expr, single_vertex: sp.Expr) -> HikamiBox:
    """Bare box (both vertices on one momentum integral, weight ``pair_vertex``) and the two dressed
    boxes (each triangle carrying one vertex, weight ``single_vertex``)."""
    gamma = _impurity_line()
    bare = nu * pair_vertex * residue_integral((green_retarded() * green_advanced()) ** 2)
    rra = nu * single_vertex * residue_integral(green_retarded() ** 2 * green_advanced())
    aar = nu * single_vertex * residue_integral(green_retarded() * green_advanced() ** 2)
    return HikamiBox(d, simplify(bare), simplify(gamma * rra**2), simplify(gamma * aar**2))


def scalar_hikami_box() -> HikamiBox:
    r"""The Hikami box without current vertices at :math:`Q = 0` (the four-diffuson vertex).

    bare :math:`\nu\int(G^RG^A)^2 = 4\pi\nu\tau^3/\hbar^3`; the dressed boxes
    :math:`\gamma(\nu\int G^RG^RG^A)^2` and :math:`\gamma(\nu\int G^AG^AG^R)^2`, each
    :math:`-2\pi\nu\tau^3/\hbar^3`; the sum vanishes
    (A&M section 4.8: :math:`H(0)=0`, its :math:`q^2` terms give the UCF and the two-loop corrections).
    A consistency check of the residue machinery used for :func:`hikami_box`.
    """
    return _three_boxes(0, sp.Integer(1), sp.Integer(1))


@cache
def wl_prefactor(d: int = 2) -> sp.Expr:
    r"""Derive :math:`P` in :math:`\delta\sigma = -P\sum_c w_c\int d^dQ/(2\pi)^d\,1/(DQ^2+\Gamma_c)`.

    :math:`\delta\sigma = \frac{se^2\hbar}{2\pi}\,H(0)\,\Gamma_C(\mathbf Q)` integrated over
    :math:`\mathbf Q`, with :math:`\Gamma_C = \gamma/(1-\Pi)` from :func:`ladder_expansion`.
    The result is independent of ``d`` (checked in the tests for d = 1, 2, 3):

    >>> wl_prefactor(2)
    D*e**2*s/(pi*hbar)
    """
    box = hikami_box(d).total
    gamma = _impurity_line()
    one_minus_pi = ladder_expansion(d)  # = D tau Q^2  (-> tau (D Q^2 + Gamma) with a gap)
    cooperon_times_gap = simplify(gamma / one_minus_pi * (D * Q**2))  # Γ_C (DQ^2+Γ)
    kubo = s * e**2 * hbar / (2 * sp.pi)
    # δσ = kubo * box * Γ_C * ∫ ... ;  P = -(kubo * box * Γ_C (DQ^2+Γ))
    prefactor = -kubo * box.subs(v, _fermi_velocity(d)) * cooperon_times_gap
    return simplify(prefactor)
