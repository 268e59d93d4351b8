r"""The Iordanskii–Lyanda-Geller–Pikus (ILP) Cooperon of a 2D electron gas with Rashba and Dresselhaus spin-orbit.

Derivation, with SymPy, of everything the numbers in :mod:`mesocorr.integrals.ilp` use:

1. **Spin-orbit field** on the Fermi circle, :math:`H_{so} = \tfrac{\hbar}2\boldsymbol\Omega(\mathbf k)\cdot\boldsymbol\sigma`
   (:func:`spin_orbit_field`):

   .. math:: \boldsymbol\Omega = \tfrac2\hbar\left[\alpha(k_y,-k_x) + \beta_1(k_x,-k_y)
             + \gamma(-k_xk_y^2,\ k_yk_x^2)\right],

   i.e. :math:`H = \alpha(\sigma_xk_y-\sigma_yk_x) + \beta_1(\sigma_xk_x-\sigma_yk_y)
   - \gamma(\sigma_xk_xk_y^2-\sigma_yk_yk_x^2)` (the well-projected bulk Dresselhaus term, with
   :math:`\beta_1 = \gamma\langle k_z^2\rangle`). Its angular harmonics (:func:`fermi_circle_harmonics`):
   the cubic term's first harmonic renormalises :math:`\beta_1\to\beta_1-\beta_3`, its third harmonic has
   amplitude :math:`\beta_3 = \gamma k_F^2/4`.
2. **The Cooperon in the diffusive limit** :math:`\Omega\tau\ll1` (:func:`cooperon_operator`): the ladder
   rung :math:`\Pi = \langle\pi(\hbar X)\rangle`, with :math:`\pi(x) = \gamma\nu\int d\xi\,G^R(\xi)G^A(\xi+x)`
   (:mod:`mesocorr.diagrams.hikami`, isotropic scattering) and :math:`X = \mathbf v\cdot\mathbf Q +
   \boldsymbol\Omega\cdot\mathbf S` the difference of the two line energies over :math:`\hbar` in the pair space
   (:math:`\mathbf S = (\boldsymbol\sigma\otimes1 + 1\otimes\boldsymbol\sigma)/2`, :func:`pair_channels`),
   expanded to second order in :math:`\Omega\tau` and :math:`Ql`:

   .. math:: \frac{1-\Pi}{\tau} = D\left(\mathbf Q + \mathcal A\right)^2 + \Gamma_3\,(S_x^2+S_y^2),
             \qquad \mathcal A_i = \sum_j a_{ij}S_j,\quad a_{ij} = \frac\tau D\langle v_i\Omega_j\rangle,

   an SU(2) gauge field acting on the total spin :math:`S=1` of the pair (the triplet); the singlet
   (:math:`S=0`) keeps :math:`DQ^2`. The first harmonic is *pure* gauge field (its D'yakonov–Perel'
   relaxation is exactly :math:`D\mathcal A^2`); the third harmonic gives the extra relaxation
   :math:`\Gamma_3 = \tau\Omega_3^2/2`. A perpendicular field enters as :math:`\mathbf Q\to\mathbf Q+2e\mathbf A/\hbar`.
3. **Characteristic fields** (:func:`characteristic_fields`), :math:`H_x = \hbar\Gamma_x/(4eD)`:
   :math:`H_R = \hbar\kappa_R^2/4e = m^2\alpha^2/(e\hbar^3)`, :math:`H_D = m^2(\beta_1-\beta_3)^2/(e\hbar^3)`,
   :math:`H_3 = m^2\beta_3^2/(e\hbar^3)` (:math:`\kappa = 2m\alpha/\hbar^2`, isotropic scattering,
   :math:`D = v_F^2\tau/2`), :math:`H_{SO} = H_R+H_D+H_3` multiplies :math:`S_x^2+S_y^2`.
4. **Landau levels** (:func:`landau_level_operator`): :math:`\Pi_\pm = \Pi_x\pm i\Pi_y = \sqrt u\,a^\dagger,\
   \sqrt u\,a` with :math:`u = 4eB/\hbar`; in units of :math:`4eDB/\hbar` and the basis :math:`|n,m\rangle`
   (:math:`m = S_z`), with :math:`b_x = H_x/B`, :math:`r = \sqrt{b_R}`, :math:`d = \pm\sqrt{b_D}`:

   .. math:: \langle n,m|h|n,m\rangle = n+\tfrac12+b_\phi+b_{SO}(2-m^2),\quad
             \langle n{+}1,m{-}1|h|n,m\rangle = -ir\sqrt{2(n+1)},\quad
             \langle n{+}1,m{+}1|h|n,m\rangle = d\sqrt{2(n+1)},\quad
             \langle n,1|h|n,-1\rangle = 2ird.

   Rashba conserves :math:`n+m`, Dresselhaus :math:`n-m`; together only the parity of :math:`n+m`: two
   sectors, each block tridiagonal with 3x3 blocks (two levels per block). The phases
   :math:`e^{i\pi(n-m)/4}` make :math:`h` real symmetric (:func:`real_gauge`).
5. **One linear term**: 3x3 blocks :math:`\{(N{-}1,1),(N,0),(N{+}1,-1)\}`, trace of the inverse
   :math:`P(N)/Q(N)` (:func:`block_closed_form`) — Knap et al. (1996), Eq. (37).
6. **Zero field** (:func:`zero_field_trace`): the triplet at momentum :math:`q`, in tesla,
   :math:`y = \hbar q^2/4e`; the trace of its inverse is :math:`P(y,\theta)/Q(y,\theta)`, cubic denominator.
7. **Prefactor** (:func:`landau_sum_prefactor`): :math:`\Delta\sigma = \frac{s}{2\pi}\sum_c w_c\,
   \lim_N[\int_0^N dx\,T_c(x) - \sum_{n<N} t_{c,n}]` in :math:`e^2/h`, from the Hikami-box prefactor.

Conventions: ``docs/conventions.md`` ("ILP characteristic fields").

References
----------
.. [ILP94] S. V. Iordanskii, Yu. B. Lyanda-Geller, G. E. Pikus, JETP Lett. 60, 206 (1994).
.. [K96] W. Knap et al., Phys. Rev. B 53, 3912 (1996), Eqs. (37)-(38) (one linear term plus cubic).
.. [PP95] F. G. Pikus, G. E. Pikus, Phys. Rev. B 51, 16928 (1995) (the general Landau-level matrix).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import sympy as sp

from mesocorr.diagrams.hikami import green_advanced, green_retarded, residue_integral, wl_prefactor
from mesocorr.diagrams.hikami import SYMBOLS as _HIKAMI
from mesocorr.diagrams.impurity import PAULI
from mesocorr.diagrams.ladder import impurity_strength
from mesocorr.symbolic.ilp_series import schur_series
from mesocorr.symbolic.spin import channel_basis, exchange_operator
from mesocorr.symbolic.memo import simplify

__all__ = ["SYMBOLS", "PairChannels", "pair_channels", "triplet_spin_matrices", "spin_orbit_field",
           "fermi_circle_harmonics", "CooperonOperator", "cooperon_operator", "characteristic_fields",
           "landau_level_operator", "real_gauge", "polynomial_gauge", "block_closed_form", "zero_field_trace",
           "landau_sum_prefactor", "block_trace_expansion", "M_VALUES"]

hbar, tau, D, e, m_e, k_F, v_F = sp.symbols("hbar tau D e m k_F v_F", positive=True)
alpha, beta1, gamma = sp.symbols("alpha beta_1 gamma", real=True)
phi = sp.Symbol("phi", real=True)
Q_x, Q_y = sp.symbols("Q_x Q_y", real=True)
n = sp.Symbol("n", integer=True, nonnegative=True)
N = sp.Symbol("N", integer=True)
B = sp.Symbol("B", positive=True)
b_phi, b_3 = sp.symbols("b_phi b_3", nonnegative=True)
r, d = sp.symbols("r d", real=True)  # r = sqrt(H_R/B), d = ±sqrt(H_D/B)
H_phi, H_R, H_D, H_3 = sp.symbols("H_phi H_R H_D H_3", nonnegative=True)
y, theta = sp.symbols("y theta", nonnegative=True)
kappa = sp.Symbol("kappa", real=True)

#: symbols of this module by name
SYMBOLS = {"hbar": hbar, "tau": tau, "D": D, "e": e, "m": m_e, "k_F": k_F, "v_F": v_F, "alpha": alpha,
           "beta_1": beta1, "gamma": gamma, "phi": phi, "Q_x": Q_x, "Q_y": Q_y, "n": n, "N": N, "B": B,
           "b_phi": b_phi, "b_3": b_3, "r": r, "d": d, "H_phi": H_phi, "H_R": H_R, "H_D": H_D, "H_3": H_3,
           "y": y, "theta": theta}
#: S_z values of the triplet basis, in the order used by every matrix of this module
M_VALUES = (1, 0, -1)


# ----------------------------------------------------------------------------- the seam: pair spin structure
@dataclass(frozen=True)
class PairChannels:
    """Spin structure of the particle-particle pair (the one seam to the engine of issue 14).

    ``spin`` = the three total-spin operators :math:`S_i = (\\sigma_i\\otimes1+1\\otimes\\sigma_i)/2` on the
    4-dim pair space (row-major ``vec`` of :math:`\\psi_{\\alpha\\beta}`, the convention of
    :mod:`mesocorr.symbolic.spin`); ``singlet`` the singlet state; ``triplet`` the triplet states with
    :math:`S_z = 1, 0, -1` (Condon-Shortley phases, :math:`\\langle m+1|S_+|m\\rangle > 0`);
    ``weights`` the weak-localization weights :math:`w_c = \\frac12\\langle c|P|c\\rangle`;
    ``spin_states`` = 2 (the dimension of one electron's spin space: the ``s`` of the prefactor).
    """

    spin: tuple
    singlet: sp.Matrix
    triplet: tuple
    weights: dict
    spin_states: int


@cache
def pair_channels() -> PairChannels:
    r"""The singlet/triplet structure and weights of the Cooperon pair.

    **Seam.** Today the states come from :func:`mesocorr.symbolic.spin.channel_basis` and the weights from
    its exchange operator (:math:`w_c = \tfrac12\langle c|P|c\rangle`: singlet :math:`-1/2`, triplet
    :math:`+1/2`); when the engine of issue 14 provides channel structures, only this function changes.
    Checks: :math:`S^2 = 0` on the singlet and :math:`2` on the triplet, :math:`S_z` eigenvalues.
    """
    basis = channel_basis("cooperon")
    one = sp.eye(2)
    spin = tuple((sp.kronecker_product(s, one) + sp.kronecker_product(one, s)) / 2 for s in PAULI)
    s2 = sum((s * s for s in spin), sp.zeros(4, 4))
    singlet = basis["singlet"]
    if (s2 * singlet).applyfunc(sp.expand) != sp.zeros(4, 1):  # pragma: no cover (numbers with sqrt(2), I)
        raise ArithmeticError("the singlet is not annihilated by the total spin")
    # triplet states with S_z = +1 (an eigenvector inside the span of the Cartesian triplets), then lowered
    trip = sp.Matrix.hstack(*(basis[f"triplet_{a}"] for a in "xyz"))
    proj = trip.H * spin[2] * trip
    vals = proj.eigenvects()
    up = next(vec for val, _, vecs in vals if val == 1 for vec in vecs)
    up = trip * up
    up = up / sp.sqrt(simplify((up.H * up)[0, 0]))
    lower = spin[0] - sp.I * spin[1]
    zero = (lower * up / sp.sqrt(2)).applyfunc(sp.expand)
    down = (lower * zero / sp.sqrt(2)).applyfunc(sp.expand)
    triplet = (up, zero, down)
    for mval, vec in zip(M_VALUES, triplet):
        if ((spin[2] - mval * sp.eye(4)) * vec).applyfunc(sp.expand) != sp.zeros(4, 1):  # pragma: no cover
            raise ArithmeticError(f"S_z = {mval} state is not an eigenvector")
        if ((s2 - 2 * sp.eye(4)) * vec).applyfunc(sp.expand) != sp.zeros(4, 1):  # pragma: no cover
            raise ArithmeticError("triplet state with S^2 != 2")
    P = exchange_operator()
    weights = {"singlet": simplify((singlet.H * P * singlet)[0, 0] / 2)}
    wt = {simplify((v.H * P * v)[0, 0] / 2) for v in triplet}
    if len(wt) != 1:  # pragma: no cover
        raise ArithmeticError("triplet states with different weights")
    weights["triplet"] = wt.pop()
    return PairChannels(spin=spin, singlet=singlet, triplet=triplet, weights=weights, spin_states=PAULI[0].shape[0])


@cache
def triplet_spin_matrices() -> tuple[sp.Matrix, sp.Matrix, sp.Matrix]:
    r"""Spin-1 matrices :math:`S_x, S_y, S_z` of the pair in the triplet basis :math:`m = 1, 0, -1`
    (projected from the pair space of :func:`pair_channels`; the singlet decouples exactly)."""
    pc = pair_channels()
    T = sp.Matrix.hstack(*pc.triplet)
    mats = tuple((T.H * s * T).applyfunc(sp.expand) for s in pc.spin)
    for s in pc.spin:  # no matrix element between singlet and triplet
        if (pc.singlet.H * s * T).applyfunc(sp.expand) != sp.zeros(1, 3):  # pragma: no cover
            raise ArithmeticError("total spin mixes singlet and triplet")
    return mats


# ----------------------------------------------------------------------------- spin-orbit field
def _k_vector():
    return k_F * sp.cos(phi), k_F * sp.sin(phi)


def spin_orbit_field(a=alpha, b1=beta1, g=gamma) -> sp.Matrix:
    r"""In-plane precession vector :math:`\boldsymbol\Omega(\mathbf k)` (1/s) on the Fermi circle
    :math:`\mathbf k = k_F(\cos\phi,\sin\phi)`, with :math:`H_{so} = \frac\hbar2\boldsymbol\Omega\cdot\boldsymbol\sigma`.

    >>> spin_orbit_field(b1=0, g=0).T
    Matrix([[2*alpha*k_F*sin(phi)/hbar, -2*alpha*k_F*cos(phi)/hbar]])
    """
    kx, ky = _k_vector()
    return 2 / hbar * sp.Matrix([a * ky + b1 * kx - g * kx * ky**2, -a * kx - b1 * ky + g * ky * kx**2])


def _combine(expr: sp.Expr) -> sp.Expr:
    """One fraction over a common denominator (:func:`sympy.together`) for the gauge couplings and fields: sums
    of monomials in the couplings with powers of positive symbols, where it gives :func:`sympy.simplify`'s form at
    a fraction of the cost (tests/test_ilp_speed.py compares every result with the simplify route)."""
    return sp.together(expr)


def _square(M: sp.MatrixBase) -> sp.MatrixBase:
    """``M * M`` (SymPy's ``M ** 2`` of a symbolic matrix takes a much slower general power route)."""
    return M * M


@cache
def _trig_moment(a: int, b: int) -> sp.Expr:
    r""":math:`\langle\cos^a\phi\,\sin^b\phi\rangle_\phi` (exact): with :math:`z = e^{i\phi}`,
    :math:`\cos^a\sin^b = (z+z^{-1})^a(z-z^{-1})^b/(2^a(2i)^b)` is a Laurent polynomial in :math:`z` and the average
    its :math:`z^0` coefficient, :math:`\sum_{j+k=(a+b)/2}\binom aj\binom bk(-1)^k` over :math:`2^a(2i)^b` (binomial
    theorem, integer arithmetic; tests/test_ilp.py compares with the integral)."""
    if (a + b) % 2:
        return sp.Integer(0)
    half = (a + b) // 2
    constant = sum(math.comb(a, j) * math.comb(b, half - j) * (-1) ** (half - j)
                   for j in range(max(0, half - b), min(a, half) + 1))
    return sp.Integer(constant) / (2**a * (2 * sp.I) ** b)


def _circle_average(expr):
    """Average over phi of a trigonometric polynomial in phi: the zero-frequency Fourier coefficient (exact).

    After ``expand_trig`` the expression is a polynomial in cos(phi), sin(phi) (taken as the generators of a
    :class:`sympy.Poly` directly); each monomial is averaged with :func:`_trig_moment` (cos, sin written with
    z = exp(i phi), the average is the coefficient of z^0). tests/test_ilp_speed.py compares every average of
    the derivation with the route that first substitutes dummy symbols for cos and sin (same srepr)."""
    ex = sp.expand_trig(sp.sympify(expr, strict=True))
    try:
        poly = sp.Poly(ex, sp.cos(phi), sp.sin(phi))
    except sp.PolynomialError as err:  # pragma: no cover
        raise ArithmeticError("angular average: not a trigonometric polynomial in phi") from err
    if any(coeff.has(phi) for coeff in poly.coeffs()):  # pragma: no cover
        raise ArithmeticError("angular average: not a trigonometric polynomial in phi")
    return sp.expand(sp.Add(*(coeff * _trig_moment(a, b) for (a, b), coeff in poly.terms())))


def _trig_zero(expr) -> bool:
    """True if a trigonometric polynomial in phi vanishes identically.

    After ``expand_trig`` it is a polynomial :math:`p(s, c)` in :math:`s = \\sin\\phi`, :math:`c = \\cos\\phi`; it
    vanishes on the circle iff its remainder modulo :math:`s^2 + c^2 - 1` (lex order, :math:`s` first:
    :math:`a(c) + s\\,b(c)`) is the zero polynomial (if :math:`a + sb = 0` on the circle then
    :math:`a^2 = (1-c^2)b^2`, and by descent on the factor :math:`1-c^2` both vanish). tests/test_ilp_speed.py
    compares the decision with the z = exp(i phi) Laurent-polynomial route."""
    ex = sp.expand_trig(sp.sympify(expr, strict=True))
    c, s_ = sp.cos(phi), sp.sin(phi)
    poly = sp.Poly(ex, s_, c)
    if any(coeff.has(phi) for coeff in poly.coeffs()):  # pragma: no cover
        raise ArithmeticError("trigonometric zero test: not a trigonometric polynomial in phi")
    return poly.rem(sp.Poly(s_**2 + c**2 - 1, s_, c)).is_zero


def _average_matrix(M: sp.Matrix) -> sp.Matrix:
    return M.applyfunc(_circle_average)


@cache
def fermi_circle_harmonics() -> dict:
    r"""Decomposition :math:`\boldsymbol\Omega = \boldsymbol\Omega_1 + \boldsymbol\Omega_3` into first and third
    angular harmonics (exact, checked), with the amplitudes

    * ``Omega_R`` :math:`= 2\alpha k_F/\hbar` (Rashba, first harmonic);
    * ``Omega_D`` :math:`= 2(\beta_1-\beta_3)k_F/\hbar` (Dresselhaus first harmonic, cubic part included);
    * ``Omega_3`` :math:`= 2\beta_3k_F/\hbar` (third harmonic), with ``beta_3`` :math:`= \gamma k_F^2/4`.
    """
    Om = spin_orbit_field()
    basis = (sp.cos(phi), sp.sin(phi), sp.cos(3 * phi), sp.sin(3 * phi))
    coeffs = tuple(Om.applyfunc(lambda t, f=f: _circle_average(2 * t * f)) for f in basis)
    harm = {1: coeffs[0] * basis[0] + coeffs[1] * basis[1], 3: coeffs[2] * basis[2] + coeffs[3] * basis[3]}
    if not all(_trig_zero(t) for t in Om - harm[1] - harm[3]):
        raise ArithmeticError("the spin-orbit field is not the sum of its first and third harmonics")  # pragma: no cover
    beta3 = gamma * k_F**2 / 4
    om_r = 2 * alpha * k_F / hbar
    om_d = 2 * (beta1 - beta3) * k_F / hbar
    om_3 = 2 * beta3 * k_F / hbar
    rash = om_r * sp.Matrix([sp.sin(phi), -sp.cos(phi)])
    dres = om_d * sp.Matrix([sp.cos(phi), -sp.sin(phi)])
    third = om_3 * sp.Matrix([sp.cos(3 * phi), sp.sin(3 * phi)])
    for got, want in ((harm[1], rash + dres), (harm[3], third)):
        if not all(_trig_zero(t) for t in got - want):  # pragma: no cover
            raise ArithmeticError("harmonic amplitudes differ from the stated form")
    return {"first": harm[1], "third": harm[3], "basis": basis, "coefficients": coeffs, "Omega_R": om_r, "Omega_D": om_d, "Omega_3": om_3, "beta_3": beta3}


# ----------------------------------------------------------------------------- the Cooperon operator
@dataclass(frozen=True)
class CooperonOperator:
    r"""The diffusive Cooperon (rates, 1/s) on the pair space: ``rung`` = :math:`(1-\Pi)/\tau` from the ladder,
    ``gauge`` = the 2x2 matrix :math:`a_{ij}` (1/m) of :math:`\mathcal A_i = a_{ij}S_j`, ``relaxation`` =
    :math:`\Gamma_3` (1/s, coefficient of :math:`S_x^2+S_y^2`), ``first_order`` = :math:`\langle X\rangle`
    (zero), ``singlet`` = the singlet diagonal element (:math:`DQ^2`)."""

    rung: sp.Matrix
    gauge: sp.Matrix
    relaxation: sp.Expr
    first_order: sp.Matrix
    singlet: sp.Expr


def _rung_function() -> tuple[sp.Expr, sp.Expr]:
    r"""Coefficients :math:`(c_1, c_2)` of :math:`\pi(x) = 1 + c_1 x + c_2 x^2 + O(x^3)`, with
    :math:`\pi(x) = \gamma\nu\int d\xi\,G^R(\xi)\,G^A(\xi+x)` (:mod:`mesocorr.diagrams.hikami`)."""
    x = sp.Symbol("x", real=True)
    nu, tau_h, hbar_h = _HIKAMI["nu"], _HIKAMI["tau"], _HIKAMI["hbar"]
    pi_x = impurity_strength(nu, tau_h, hbar_h) * nu * residue_integral(green_retarded() * green_advanced(shift=x))
    # pi(x) is a rational function of x (the residue sum): cancel is its lowest-terms form (simplify's here), and
    # its Taylor coefficients are derivatives at 0 (tests/test_ilp_speed.py compares with simplify + series)
    pi_x = sp.cancel(pi_x)
    coeffs = [sp.cancel(sp.diff(pi_x, x, k).subs(x, 0) / math.factorial(k)).subs({tau_h: tau, hbar_h: hbar})
              for k in range(3)]
    if sp.cancel(coeffs[0] - 1) != 0:  # pragma: no cover
        raise ArithmeticError("the rung is not normalised to 1 at x = 0")
    return coeffs[1], coeffs[2]


def _line_energy_difference() -> sp.Matrix:
    r""":math:`(E_R - E_A)/\hbar` on the pair space: the retarded line at :math:`\mathbf k` carries
    :math:`\frac\hbar2\Omega(\mathbf k)\cdot\sigma` on the first index, the advanced line at :math:`-\mathbf k`
    carries :math:`\frac\hbar2\Omega(-\mathbf k)\cdot\sigma` on the second; :math:`\Omega(-\mathbf k)=-\Omega(\mathbf k)`."""
    Om = spin_orbit_field()
    kx, ky = _k_vector()
    om_minus = Om.subs(phi, phi + sp.pi).applyfunc(sp.expand)  # Omega(-k)
    if (om_minus + Om).applyfunc(sp.expand) != sp.zeros(2, 1):  # pragma: no cover
        raise ArithmeticError("Omega(-k) != -Omega(k)")
    one = sp.eye(2)
    e_r = sum((Om[i] * sp.kronecker_product(PAULI[i], one) for i in range(2)), sp.zeros(4, 4)) / 2
    e_a = sum((om_minus[i] * sp.kronecker_product(one, PAULI[i]) for i in range(2)), sp.zeros(4, 4)) / 2
    return e_r - e_a


@cache
def cooperon_operator() -> CooperonOperator:
    r"""Derive the diffusive ILP Cooperon from the ladder rung expanded to second order in :math:`\Omega\tau`.

    :math:`\Pi = \langle\pi(\hbar X)\rangle_\phi`, :math:`X = \mathbf v\cdot\mathbf Q + (E_R-E_A)/\hbar`; the
    first order :math:`\langle X\rangle` vanishes (odd in :math:`\mathbf k`), and
    :math:`(1-\Pi)/\tau = -c_2\hbar^2\langle X^2\rangle/\tau` with :math:`v_F^2\tau = 2D`. The result is checked
    equal to :math:`D(\mathbf Q+\mathcal A)^2 + \Gamma_3(S_x^2+S_y^2)` with
    :math:`a_{ij} = (\tau/D)\langle v_i\Omega_j\rangle` and :math:`\Gamma_3 = \tau\Omega_3^2/2`.
    """
    c1, c2 = _rung_function()
    pc = pair_channels()
    S = pc.spin
    spin_part = _line_energy_difference()
    if (spin_part - sum((spin_orbit_field()[i] * S[i] for i in range(2)), sp.zeros(4, 4))).applyfunc(
            sp.expand) != sp.zeros(4, 4):  # pragma: no cover
        raise ArithmeticError("the line-energy difference is not Omega . S")
    # X = sum_a e_a(phi) X_a over the harmonics e_a = cos phi, sin phi, cos 3phi, sin 3phi (exact decomposition)
    harm = fermi_circle_harmonics()
    basis, coeffs = harm["basis"], harm["coefficients"]
    vel = (v_F * Q_x, v_F * Q_y, 0, 0)
    Xa = [vel[i] * sp.eye(4) + coeffs[i][0] * S[0] + coeffs[i][1] * S[1] for i in range(4)]
    first = sum((_circle_average(f) * Xa[i] for i, f in enumerate(basis)), sp.zeros(4, 4))
    second = sp.zeros(4, 4)
    for i, fi in enumerate(basis):
        for j, fj in enumerate(basis):
            w = _circle_average(fi * fj)
            if w != 0:
                second += w * Xa[i] * Xa[j]
    vx, vy = v_F * sp.cos(phi), v_F * sp.sin(phi)
    # D = v_F^2 tau / 2 (2D, isotropic scattering): kept as v_F until the end (polynomial identities only)
    D_v = v_F**2 * tau / 2
    rung = (-(c1 * hbar * first + c2 * hbar**2 * second) / tau).applyfunc(sp.expand)
    # the gauge field and the third-harmonic relaxation
    Om = spin_orbit_field()
    a = sp.Matrix(2, 2, lambda i, j: sp.expand(tau / D_v * _circle_average((vx, vy)[i] * Om[j])))
    gamma3 = sp.expand(tau * harm["Omega_3"] ** 2 / 2)
    A = [a[i, 0] * S[0] + a[i, 1] * S[1] for i in range(2)]
    Qs = (Q_x, Q_y)
    gauge_form = sum((_square(Qs[i] * sp.eye(4) + A[i]) for i in range(2)), sp.zeros(4, 4)) * D_v
    gauge_form += gamma3 * (_square(S[0]) + _square(S[1]))
    if (rung - gauge_form).applyfunc(sp.expand) != sp.zeros(4, 4):
        raise ArithmeticError("the rung expansion is not D(Q + A.S)^2 + Gamma_3 (S_x^2 + S_y^2)")  # pragma: no cover
    singlet = sp.expand((pc.singlet.H * rung * pc.singlet)[0, 0]).subs(v_F**2, 2 * D / tau)
    rung = rung.subs(v_F**2, 2 * D / tau).applyfunc(sp.expand)
    a = a.subs(v_F, sp.sqrt(2 * D / tau)).applyfunc(_combine)
    return CooperonOperator(rung=rung, gauge=a, relaxation=gamma3, first_order=first, singlet=singlet)


@cache
def characteristic_fields() -> dict:
    r"""Knap's characteristic fields :math:`H_x = \hbar\Gamma_x/(4eD)` (tesla) of the triplet operator.

    ``H_R``, ``H_D``: :math:`\hbar/(4eD)` times the coefficient of :math:`S_x^2+S_y^2` in :math:`D\mathcal A^2` of
    the Rashba / Dresselhaus first harmonic alone; ``H_3`` = :math:`\hbar\Gamma_3/(4eD)`. Each is given in terms of
    :math:`(\alpha, \beta_1, \gamma, k_F, \tau, D)` (``"D_tau"``) and, with :math:`D = v_F^2\tau/2`,
    :math:`v_F = \hbar k_F/m`, in terms of the effective mass only (``"mass"``). ``kappa_R``, ``kappa_D``:
    the gauge couplings :math:`a_{yx}`, :math:`a_{xx}` (1/m).
    """
    op = cooperon_operator()
    a = op.gauge
    S = triplet_spin_matrices()
    out = {}
    harm = fermi_circle_harmonics()
    for name, keep in (("H_R", {beta1: 0, gamma: 0}), ("H_D", {alpha: 0})):
        ai = a.subs(keep)
        A = [ai[i, 0] * S[0] + ai[i, 1] * S[1] for i in range(2)]
        a2 = (D * (_square(A[0]) + _square(A[1]))).applyfunc(sp.expand)  # polynomial entries
        coeff = a2[0, 0]  # m = +1: S_x^2 + S_y^2 = 1
        if (a2 - coeff * (_square(S[0]) + _square(S[1]))).applyfunc(sp.expand) != sp.zeros(3, 3):  # pragma: no cover
            raise ArithmeticError(f"{name}: D A^2 is not proportional to S_x^2 + S_y^2")
        out[name] = _combine(hbar * coeff / (4 * e * D))
    out["H_3"] = _combine(hbar * op.relaxation / (4 * e * D))
    mass_form = {v_F: hbar * k_F / m_e}
    D_of_tau = v_F**2 * tau / 2
    out = {k: {"D_tau": _combine(v), "mass": simplify(v.subs(D, D_of_tau).subs(mass_form))}
           for k, v in out.items()}
    out["kappa_R"] = _combine(a[1, 0].subs(v_F, sp.sqrt(2 * D / tau)))
    out["kappa_D"] = _combine(a[0, 0].subs(v_F, sp.sqrt(2 * D / tau)))
    out["beta_3"] = harm["beta_3"]
    return out


# ----------------------------------------------------------------------------- Landau levels
def _normal_order_square() -> sp.Expr:
    r""":math:`(\Pi_x^2+\Pi_y^2)/u` with :math:`\Pi_x = \sqrt u(a+a^\dagger)/2,\ \Pi_y = \sqrt u(a^\dagger-a)/2i`,
    normal ordered with :math:`aa^\dagger = a^\dagger a+1`; returns it as a polynomial in :math:`\hat n = a^\dagger a`."""
    a_, ad = sp.symbols("a a_dagger", commutative=False)
    px = (a_ + ad) / 2
    py = (ad - a_) / (2 * sp.I)
    sq = sp.expand(px * px + py * py)
    sq = sp.expand(sq.subs(a_ * ad, ad * a_ + 1))
    nhat = sp.Symbol("nhat")
    out = sp.expand(sq.subs(ad * a_, nhat))
    if out.has(a_) or out.has(ad):  # pragma: no cover
        raise ArithmeticError("Pi^2 is not a function of the number operator")
    return out.subs(nhat, n)


@cache
def landau_level_operator() -> dict:
    r"""Matrix elements of the triplet operator in a perpendicular field, units :math:`4eDB/\hbar`.

    Returns ``{(dn, m_out, m_in): expr(n)}`` with ``dn`` in {0, 1} (the ``dn = -1`` elements are the
    Hermitian conjugates): :math:`\langle n+dn, m_{out}|h|n, m_{in}\rangle`. Built from
    :func:`cooperon_operator` with :math:`\mathbf Q\to\Pi`, :math:`\Pi^2 = u(a^\dagger a+\frac12)`
    (normal-ordered with SymPy), :math:`2\Pi\cdot\mathcal A = \sqrt u\,[a^\dagger(\mathcal A_x - i\mathcal A_y) +
    a(\mathcal A_x + i\mathcal A_y)]`, :math:`\kappa_R/\sqrt u = r`, :math:`\kappa_D/\sqrt u = d`,
    :math:`H_3/B = b_3`, dephasing :math:`b_\phi`.
    """
    S = triplet_spin_matrices()
    fields = characteristic_fields()
    a = cooperon_operator().gauge
    kr, kd = fields["kappa_R"], fields["kappa_D"]
    # gauge matrix in units of sqrt(u): a_ij/sqrt(u) expressed by r, d
    red = a.subs({alpha: 0, beta1: 0, gamma: 0})
    if red != sp.zeros(2, 2):  # pragma: no cover
        raise ArithmeticError("gauge field without spin-orbit is not zero")
    ar = (a.subs({beta1: 0, gamma: 0}) / kr).applyfunc(simplify)  # Rashba pattern
    ad_ = (a.subs({alpha: 0}) / kd).applyfunc(simplify)  # Dresselhaus pattern
    if ar.has(alpha, beta1, gamma, k_F) or ad_.has(alpha, beta1, gamma, k_F):  # pragma: no cover
        raise ArithmeticError("gauge field is not linear in the couplings")
    g = r * ar + d * ad_
    A = [g[i, 0] * S[0] + g[i, 1] * S[1] for i in range(2)]
    v_plus = (A[0] - sp.I * A[1]).applyfunc(sp.expand)  # coefficient of a^dagger
    v_zero = (_square(A[0]) + _square(A[1]) + b_3 * (_square(S[0]) + _square(S[1])) + b_phi * sp.eye(3)).applyfunc(
        sp.expand)
    square = _normal_order_square()
    elements = {}
    for i, mo in enumerate(M_VALUES):
        for j, mi in enumerate(M_VALUES):
            diag = v_zero[i, j] + (square if i == j else 0)
            if diag != 0:
                elements[(0, mo, mi)] = sp.expand(diag)
            up = v_plus[i, j] * sp.sqrt(n + 1)
            if v_plus[i, j] != 0:
                elements[(1, mo, mi)] = up
    return elements


@cache
def real_gauge() -> dict:
    r"""The Landau-level elements after :math:`|n,m\rangle\to e^{i\pi(n-m)/4}|n,m\rangle`: all real (checked),
    so :math:`h` is real symmetric. Same keys as :func:`landau_level_operator`."""
    out = {}
    for (dn, mo, mi), val in landau_level_operator().items():
        phase = sp.exp(-sp.I * sp.pi * ((n + dn - mo) - (n - mi)) / 4)
        new = sp.expand(sp.expand_complex(simplify(phase) * val))
        if simplify(sp.im(new)) != 0:
            raise ArithmeticError(f"element {(dn, mo, mi)} is not real in the gauge exp(i pi (n-m)/4)")  # pragma: no cover
        out[(dn, mo, mi)] = new
    return out


@cache
def polynomial_gauge() -> dict:
    r"""The real-gauge elements after the similarity :math:`|n\rangle\to\sqrt{n!}|n\rangle`: raising elements
    :math:`(n+1)\,v`, lowering elements :math:`v`, all polynomial in :math:`n` (checked). Keys
    ``(dn, m_out, m_in)`` with ``dn`` in {-1, 0, 1}. The diagonal of the inverse is unchanged."""
    out = {}
    for (dn, mo, mi), val in real_gauge().items():
        if dn == 0:
            out[(0, mo, mi)] = val
            continue
        up = sp.powsimp(sp.expand(val * sp.sqrt(n + 1)))  # row n+1, column n
        down = sp.powsimp(sp.expand(val / sp.sqrt(n + 1)))  # row n, column n+1 (transpose element)
        for key, v in (((1, mo, mi), up), ((-1, mi, mo), down)):
            if not v.is_polynomial(n):  # pragma: no cover
                raise ArithmeticError(f"element {key} is not polynomial in n")
            out[key] = sp.expand(v)
    return out


def _rational_sum_is_zero(terms, gens) -> bool:
    r"""Whether a sum of rational functions of ``gens`` vanishes identically: with each term :math:`p_i/q_i`
    (:func:`sympy.together`, then numerator and denominator as polynomials), :math:`\sum_i p_i\prod_{j\ne i}q_j`
    is the zero polynomial (exact; what ``cancel(sum) == 0`` decides, tests/test_ilp_speed.py compares)."""
    fracs = [sp.fraction(sp.together(t)) for t in terms]
    nums = [sp.Poly(p, *gens) for p, _ in fracs]
    dens = [sp.Poly(q, *gens) for _, q in fracs]
    total = sp.Poly(0, *gens)
    for i, p in enumerate(nums):
        for j, q in enumerate(dens):
            if j != i:
                p = p * q
        total = total + p
    return total.is_zero


@cache
def block_closed_form() -> dict:
    r"""One linear term (here Rashba, :math:`d = 0`): the 3x3 block of the states
    :math:`(N-1, 1), (N, 0), (N+1, -1)` (conserved :math:`N = n + m`), with
    :math:`a_N = N + \frac12 + b_\phi + b_{SO}`, :math:`b_{SO} = r^2 + b_3`:

    * ``P``, ``Q``: sum of principal 2x2 minors and determinant (polynomials in N, Q monic cubic);
      :math:`\mathrm{tr}\,M_N^{-1} = P/Q` for :math:`N \ge 1`;
    * ``N0``: trace of the 2x2 block :math:`N = 0` ((0,0), (1,-1)); ``Nm1``: the 1x1 block (0,-1).
    * ``knap``: Knap et al. (1996) Eq. (37) in the same symbols, ``knap_matches`` = True when equal.
    """
    el = real_gauge()
    states = [(N - 1, 1), (N, 0), (N + 1, -1)]
    M = sp.zeros(3, 3)
    for i, (ni, mi) in enumerate(states):
        for j, (nj, mj) in enumerate(states):
            if ni == nj and (0, mi, mj) in el:
                M[i, j] = el[(0, mi, mj)].subs(n, ni)
            elif simplify(ni - nj - 1) == 0 and (1, mi, mj) in el:
                M[i, j] = el[(1, mi, mj)].subs(n, nj)
            elif simplify(nj - ni - 1) == 0 and (1, mj, mi) in el:
                M[i, j] = el[(1, mj, mi)].subs(n, ni)
    M = M.subs(d, 0)
    det = sp.expand(M.det())
    minors = sp.expand(sum((M.extract([i, j], [i, j]).det() for i, j in ((0, 1), (0, 2), (1, 2))), 0))
    M0 = M.extract([1, 2], [1, 2]).subs(N, 0)
    N0 = sp.cancel(M0.trace() / M0.det())  # 2x2: tr M^{-1} = tr M / det M (Cayley-Hamilton)
    Nm1 = sp.cancel(1 / M[2, 2].subs(N, -1))
    bso = r**2 + b_3
    aN = lambda k: k + sp.Rational(1, 2) + b_phi + bso  # noqa: E731
    h1 = r**2
    knap_num = 3 * aN(N) ** 2 + 2 * aN(N) * bso - 1 - 2 * (2 * N + 1) * h1
    knap_den = (aN(N) + bso) * aN(N - 1) * aN(N + 1) - 2 * h1 * ((2 * N + 1) * aN(N) - 1)
    knap_first = 1 / aN(0) + (2 * aN(0) + 1 + bso) / (aN(1) * (aN(0) + bso) - 2 * h1)
    ok = (sp.expand(knap_num - minors) == 0 and sp.expand(knap_den - det) == 0
          and _rational_sum_is_zero([knap_first, -N0, -Nm1], (r, b_phi, b_3)))
    powers = [t.as_coeff_exponent(N) for t in sp.Add.make_args(det)]  # det is expanded: its terms c N^k
    if max(k for _, k in powers) != 3 or sp.Add(*(c for c, k in powers if k == 3)) != 1:  # pragma: no cover
        raise ArithmeticError("block determinant is not monic in N")
    return {"matrix": M, "P": minors, "Q": det, "N0": N0, "Nm1": Nm1,
            "knap": {"numerator": knap_num, "denominator": knap_den, "first_blocks": knap_first}, "knap_matches": ok}


@cache
def zero_field_trace() -> dict:
    r"""The zero-field triplet operator in tesla at momentum :math:`q(\cos\theta,\sin\theta)`,
    :math:`y = \hbar q^2/4e`: :math:`M = y + 2\sqrt y\,\hat q\cdot\mathcal A' + \mathcal A'^2 + H_3(S_x^2+S_y^2)+H_\phi`
    with :math:`\mathcal A' = \sqrt{\hbar/4e}\,\mathcal A` (:math:`\kappa_R\to\sqrt{H_R}`, :math:`\kappa_D\to
    \pm\sqrt{H_D}`, written with ``r``, ``d`` standing for these square roots). Returns ``matrix``, ``P`` (sum of
    principal 2x2 minors) and ``Q`` (determinant) as polynomials in ``y`` (checked: no odd powers of
    :math:`\sqrt y`), so :math:`\mathrm{tr}\,M^{-1} = P/Q`."""
    S = triplet_spin_matrices()
    fields = characteristic_fields()
    a = cooperon_operator().gauge
    ar = (a.subs({beta1: 0, gamma: 0}) / fields["kappa_R"]).applyfunc(simplify)
    ad_ = (a.subs({alpha: 0}) / fields["kappa_D"]).applyfunc(simplify)
    g = r * ar + d * ad_
    A = [g[i, 0] * S[0] + g[i, 1] * S[1] for i in range(2)]
    sy = sp.Symbol("sqrt_y", nonnegative=True)
    qhat = (sp.cos(theta), sp.sin(theta))
    M = sum((_square(sy * qhat[i] * sp.eye(3) + A[i]) for i in range(2)), sp.zeros(3, 3))
    M += H_3 * (_square(S[0]) + _square(S[1])) + H_phi * sp.eye(3)
    M = M.applyfunc(sp.expand)
    det = sp.expand(M.det())
    minors = sp.expand(sum((M.extract([i, j], [i, j]).det() for i, j in ((0, 1), (0, 2), (1, 2))), 0))
    out = {}
    for name, ex in (("Q", det), ("P", minors)):
        poly = sp.Poly(ex, sy)
        for (k,), c in poly.terms():
            if k % 2 and simplify(sp.expand_trig(c)) != 0:  # pragma: no cover
                raise ArithmeticError(f"{name}: odd power of sqrt(y)")
        out[name] = sp.expand(sum((simplify(c) * y ** (k // 2) for (k,), c in poly.terms() if k % 2 == 0), 0))
    out["matrix"] = M.subs(sy, sp.sqrt(y))
    return out


@cache
def landau_sum_prefactor() -> sp.Expr:
    r"""The number :math:`c` in :math:`\Delta\sigma = c\sum_c w_c[\int_0^N dx\,T_c(x) - \sum_{n<N}t_{c,n}]`
    (:math:`e^2/h`), from the Hikami-box prefactor :math:`P` (:func:`mesocorr.diagrams.hikami.wl_prefactor`):
    :math:`c = P\cdot(eB/\pi\hbar)\cdot(\hbar/4eDB)/(e^2/h)` = :math:`s/2\pi` (``s`` the number of spin states
    of one electron, from :func:`pair_channels`). The zero-field term uses the same density of states per
    unit :math:`x = \hbar q^2/(4eB)`: :math:`\int d^2q/(2\pi)^2 = (eB/\pi\hbar)\int dx`."""
    P = wl_prefactor(2)
    e_h, hbar_h, D_h, s_h = (_HIKAMI[k] for k in ("e", "hbar", "D", "s"))
    c = simplify(P * (e_h * B / (sp.pi * hbar_h)) * (hbar_h / (4 * e_h * D_h * B)) / (e_h**2 / (2 * sp.pi * hbar_h)))
    q = sp.Symbol("q", positive=True)
    measure = simplify(2 * sp.pi * q / (2 * sp.pi) ** 2 * sp.diff(sp.sqrt(4 * e_h * B * sp.Symbol("x") / hbar_h), sp.Symbol("x"))
                          .subs(sp.Symbol("x"), hbar_h * q**2 / (4 * e_h * B)))
    if simplify(measure - e_h * B / (sp.pi * hbar_h)) != 0:  # pragma: no cover
        raise ArithmeticError("the zero-field measure differs from the Landau degeneracy")
    return c.subs(s_h, pair_channels().spin_states)


# ----------------------------------------------------------------------------- large-n expansion
def sector_series_blocks(sector: int):
    r"""``(E, Ft, U, om, wt)`` of :func:`schur_series` for one sector as SymPy matrices in
    :math:`(b_\phi, r, d, b_3)`, from :func:`sector_blocks` with the shift :math:`s = (1+b_\phi)/2`."""
    k = sp.Symbol("k", integer=True, nonnegative=True)
    Dk, U, W = sector_blocks(sector)
    s = (1 + b_phi) / 2
    E = (Dk.diff(k) / 2).applyfunc(sp.expand)
    Ft = (Dk.subs(k, 0) - 2 * s * E).applyfunc(sp.expand)
    om = (W.diff(k) / 2).applyfunc(sp.expand)
    wt = (W.subs(k, 0) - 2 * s * om).applyfunc(sp.expand)
    return E, Ft, U, om, wt


@cache
def block_trace_expansion(order: int = 3) -> list:
    r"""Large-:math:`\kappa` expansion of the trace over one block pair (levels :math:`2k, 2k+1`, both sectors),
    :math:`	au(k) = \sum_{j\ge1} g_j\,\kappa^{-j}`, :math:`\kappa = k + (1+b_\phi)/2`: returns
    ``[g_1, ..., g_order]`` (SymPy, in :math:`b_\phi, r, d, b_3`) from :func:`schur_series`. :math:`g_1 = 3`."""
    total = None
    for sector in (0, 1):
        E, Ft, U, om, wt = sector_series_blocks(sector)
        g = schur_series(E, Ft, U, om, wt, order + 1, lambda M: M.inv())["g"]
        g = [sp.expand(x) for x in g[1:]]
        total = g if total is None else [sp.expand(a + b) for a, b in zip(total, g)]
    return total


def sector_blocks(sector: int):
    r"""Blocks of one parity sector in the polynomial gauge, as functions of the block index ``k``
    (SymPy symbol ``k``): ``(D(k), U, W(k))`` = diagonal block, coupling to block k+1 (rows block k), coupling
    from block k (rows block k+1). Sector 0 (:math:`n+m` even): states :math:`(2k,0),(2k+1,-1),(2k+1,1)`;
    sector 1: :math:`(2k,-1),(2k,1),(2k+1,0)`."""
    k = sp.Symbol("k", integer=True, nonnegative=True)
    el = polynomial_gauge()
    states = [(2 * k, 0), (2 * k + 1, -1), (2 * k + 1, 1)] if sector == 0 else [(2 * k, -1), (2 * k, 1), (2 * k + 1, 0)]
    nxt = [(ns + 2, ms) for ns, ms in states]

    def element(row, col):
        (nr, mr), (nc, mc) = row, col
        dn = simplify(nr - nc)
        if dn not in (-1, 0, 1):
            return 0
        key = (int(dn), mr, mc)
        if key not in el:
            return 0
        return el[key].subs(n, nc if dn >= 0 else nr)

    Dk = sp.Matrix(3, 3, lambda i, j: element(states[i], states[j]))
    U = sp.Matrix(3, 3, lambda i, j: element(states[i], nxt[j]))
    W = sp.Matrix(3, 3, lambda i, j: element(nxt[i], states[j]))
    return Dk.applyfunc(sp.expand), U.applyfunc(sp.expand), W.applyfunc(sp.expand)
