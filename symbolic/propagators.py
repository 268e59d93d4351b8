r"""The diffusion pole: Diffuson and Cooperon derived from the impurity ladder with SymPy.

Convention (A&M ch. 4, with :math:`\hbar` kept explicit; set :math:`\hbar=1` to compare):

* impurity-line strength :math:`\gamma = \hbar/(2\pi\nu\tau)`, :math:`\nu` = density of states
  per spin per unit volume, :math:`\tau` the elastic time;
* dimensionless rung :math:`\Pi(q,\omega) = \gamma\sum_{\mathbf k}G^R(\mathbf k+\mathbf q,
  \varepsilon+\hbar\omega)G^A(\mathbf k,\varepsilon)`, :math:`\sum_{\mathbf k}\to\nu\int d\xi
  \langle\cdot\rangle_{\hat k}`;
* ladder (structure factor, starting with one impurity line)

  .. math:: P(q,\omega) = \frac{\gamma}{1-\Pi(q,\omega)}
            \simeq \frac{\hbar}{2\pi\nu\tau^2}\,\frac{1}{Dq^2-i\omega},
            \qquad D = \frac{v_F^2\tau}{d},

  valid for :math:`ql\ll1`, :math:`\omega\tau\ll1`. At :math:`\hbar=1` the normalisation is
  :math:`1/(2\pi\nu\tau^2) = \gamma/\tau` (A&M ch. 4, Diffuson structure factor
  :math:`\Gamma_\omega(q) = (\gamma_e/\tau_e)/(-i\omega+Dq^2)`, :math:`\gamma_e = 1/(2\pi\rho_0\tau_e)`).
* Cooperon: the same with the pair momentum :math:`\mathbf Q\to\mathbf Q+2e\mathbf A/\hbar`
  (electron charge :math:`-e`, both particles couple with the same sign).

Nothing here is typed in: :func:`diffusion_pole` integrates the pair of lines over
:math:`\xi` by residues, expands in :math:`q` and :math:`\omega`, performs the angular
average in :math:`d` dimensions, sums the ladder (:class:`mesocorr.diagrams.ladder.Ladder`)
and *solves* for :math:`D` and the normalisation. :func:`derivation_steps` returns the
intermediate steps for the ``mesocorr derive`` catalogue.

References
----------
.. [AM07] E. Akkermans, G. Montambaux, *Mesoscopic Physics of Electrons and Photons* (CUP 2007),
   ch. 4 (Diffuson, Cooperon, diffusion pole; appendix A4 for the integrals), ch. 6 (spin).
.. [HLN80] S. Hikami, A. I. Larkin, Y. Nagaoka, Prog. Theor. Phys. 63, 707 (1980).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import sympy as sp

from mesocorr.arguments import sympy_value

from mesocorr.diagrams.impurity import ImpurityCorrelator
from mesocorr.diagrams.ladder import Ladder, impurity_strength
from mesocorr.diagrams.lines import HBAR, SYMBOLS, TAU, XI, angular_average, xi_integral
from mesocorr.symbolic.spin import diagonalise, spin_kernel
from mesocorr.symbolic.printing import latex

__all__ = ["Diffuson", "Cooperon", "PoleDerivation", "angular_average", "rung_kernel",
           "diffusion_pole", "cooperon_pole", "spin_channel_pole", "derivation_steps", "SYMBOLS"]

#: cosine of the angle between the velocity and q
_U = sp.Symbol("u", real=True)
_EPS = sp.Symbol("epsilon_0", positive=True)  # bookkeeping order parameter


# --------------------------------------------------------------------------- propagator objects
class _DiffusionPropagator(sp.Expr):
    r"""Base of :class:`Diffuson` / :class:`Cooperon`: :math:`N/(DQ^2 - i\omega + \Gamma)`.

    Args (SymPy expressions): ``momentum`` :math:`Q`, ``omega``, ``D``, ``gap`` :math:`\Gamma`,
    ``normalisation`` :math:`N`. For a vector momentum :math:`Q^2` means :math:`\mathbf Q^2`.
    """

    is_commutative = True
    _letter = "P"

    def __new__(cls, momentum, omega, D, gap=0, normalisation=1):
        args = tuple(sympy_value(n, x) for n, x in zip(("momentum", "omega", "D", "gap", "normalisation"),
                                                       (momentum, omega, D, gap, normalisation)))
        return sp.Expr.__new__(cls, *args)

    momentum = property(lambda self: self.args[0], doc="momentum Q flowing through the ladder")
    omega = property(lambda self: self.args[1], doc="frequency omega")
    D = property(lambda self: self.args[2], doc="diffusion constant D")
    gap = property(lambda self: self.args[3], doc="relaxation gap (rate) Gamma")
    normalisation = property(lambda self: self.args[4], doc="prefactor N (1 = probability normalisation)")

    def doit(self, **hints):
        return self.normalisation / (self.D * self.momentum**2 - sp.I * self.omega + self.gap)

    def _latex(self, printer, *args, **kwargs) -> str:
        return printer._print(self.doit())

    def latex(self) -> str:
        """``P(q, ω) = N/(D q² − iω + Γ)`` (``C`` for the Cooperon)."""
        head = rf"{self._letter}({latex(self.momentum)}, {latex(self.omega)})"
        return f"{head} = {latex(self.doit())}"

    def _repr_latex_(self) -> str:
        return f"${self.latex()}$"


class Diffuson(_DiffusionPropagator):
    r"""Diffuson (particle-hole ladder) :math:`P(q,\omega) = N/(Dq^2 - i\omega + \Gamma)`.

    Examples
    --------
    >>> import sympy as sp
    >>> q, w, D = sp.symbols("q omega D", positive=True)
    >>> Diffuson(q, w, D).doit()
    1/(D*q**2 - I*omega)
    >>> Diffuson(q, w, D).latex()
    'P(q, \\omega) = \\frac{1}{D q^{2} - i \\omega}'
    """


class Cooperon(_DiffusionPropagator):
    r"""Cooperon (maximally crossed ladder) :math:`C(Q,\omega) = N/(DQ^2 - i\omega + \Gamma)`.

    In a vector potential pass ``momentum = Q + 2 e A/hbar`` (see :func:`cooperon_pole`).
    """

    _letter = "C"


# --------------------------------------------------------------------------- derivation helpers
def rung_kernel(exact: bool = False) -> tuple[sp.Expr, list[tuple[str, sp.Expr]]]:
    r"""The rung :math:`\gamma\nu\int d\xi\,G^RG^A` before the angular average, with its steps.

    The band energy of the retarded line is linearised, :math:`\xi_{\mathbf k+\mathbf q}
    \simeq \xi_{\mathbf k} + \hbar v_F q u` with :math:`u = \cos\theta`; then the
    :math:`\xi`-integral is done by residues (:func:`mesocorr.diagrams.lines.xi_integral`).
    Returns the exact function of ``u`` (``exact=True``) or its expansion to second order in
    :math:`q` and first order in :math:`\omega` (derived once per process; the steps list is a fresh copy).
    """
    kernel, steps = _rung_kernel(bool(exact))
    return kernel, list(steps)


def _taylor_coefficients(expr: sp.Expr, x: sp.Symbol, n: int) -> list:
    """The first ``n`` Taylor coefficients at ``x = 0`` of a rational function ``expr`` of ``x`` whose denominator
    does not vanish at 0 (power-series division of the numerator by the denominator; exact)."""
    num, den = (sp.Poly(part, x) for part in sp.fraction(sp.together(expr)))
    nc = [num.coeff_monomial(x**k) for k in range(n)]
    dc = [den.coeff_monomial(x**k) for k in range(n)]
    if dc[0] == 0:  # pragma: no cover - would be a derivation bug
        raise ArithmeticError(f"the denominator of {expr} vanishes at {x} = 0")
    out: list = []
    for k in range(n):
        out.append((nc[k] - sp.Add(*(dc[j] * out[k - j] for j in range(1, k + 1)))) / dc[0])
    return out


@cache
def _rung_kernel(exact: bool) -> tuple[sp.Expr, tuple[tuple[str, sp.Expr], ...]]:
    """:func:`rung_kernel`, cached (SymPy expressions are immutable; the steps are returned as a tuple)."""
    s = SYMBOLS
    q, w, e, v, nu = s["q"], s["omega"], s["varepsilon"], s["v_F"], s["nu"]
    if not exact:  # the expansion of the exact rung
        kernel, steps = _rung_kernel(True)
        scaled = kernel.subs({q: _EPS * q, w: _EPS**2 * w})
        # Taylor polynomial to epsilon^2 of the ratio N/D of polynomials in epsilon (analytic at 0: D(0) = i != 0)
        # by the power-series division c_k = (n_k - sum_{j=1..k} d_j c_{k-j})/d_0; the same polynomial as
        # sympy.series and as the derivatives at 0 (tests compare the three)
        expanded = sp.expand(sp.Add(*_taylor_coefficients(scaled, _EPS, 3)))
        return expanded, steps + ((r"expand to order $q^2$ and $\omega$ (bookkeeping $q \sim \varepsilon$, "
                                   r"$\omega \sim \varepsilon^2$)", expanded),)
    ladder = Ladder("diffuson")
    retarded, advanced = ladder.lines(q=q, energy=e, omega=w)
    GR = retarded.doit(dispersion=XI + HBAR * v * q * _U)
    GA = advanced.doit(dispersion=XI)
    steps = [(r"rung integrand: impurity line $\gamma$ times the pair of lines, "
              r"$\xi_{\mathbf k+\mathbf q} \simeq \xi_{\mathbf k} + \hbar v_F q u$",
              impurity_strength(nu) * nu * GR * GA)]
    integral = xi_integral(GR * GA)
    steps.append((r"energy integral over $\xi$ by residues (contour closed in the upper half plane)", integral))
    kernel = sp.together(impurity_strength(nu) * nu * integral)  # simplify's form (a test compares the two)
    steps.append((r"times $\gamma\nu = \hbar/(2\pi\tau)$: the rung depends only on $\omega\tau$ and $qlu$", kernel))
    return kernel, tuple(steps)


@dataclass(frozen=True)
class PoleDerivation:
    """Result of :func:`diffusion_pole` / :func:`cooperon_pole` with the intermediate steps."""

    d: int
    kernel: sp.Expr
    D: sp.Expr
    normalisation: sp.Expr
    propagator: _DiffusionPropagator
    steps: tuple = ()

    def doit(self) -> sp.Expr:
        return self.propagator.doit()

    def latex(self) -> str:
        return self.propagator.latex()

    def _repr_latex_(self) -> str:
        return self.propagator._repr_latex_()


@cache
def diffusion_pole(d: int) -> PoleDerivation:
    r"""Derive the Diffuson :math:`P(q,\omega) = \frac{\hbar}{2\pi\nu\tau^2}\frac{1}{Dq^2-i\omega}` in ``d`` dimensions.

    Steps: rung by residues → expansion in :math:`q,\omega` → angular average
    (:math:`\langle u\rangle = 0`, :math:`\langle u^2\rangle = 1/d`) → ladder sum
    :math:`\gamma/(1-\Pi)` → solve :math:`1-\Pi = \tau(Dq^2 - i\omega)` for :math:`D` →
    normalisation :math:`N = P\,(Dq^2-i\omega)`.

    Parameters
    ----------
    d : {1, 2, 3}
        Dimension of the momentum integrals (angular average :math:`\langle u^2\rangle = 1/d`).

    Returns
    -------
    PoleDerivation
        ``D`` (:math:`v_F^2\tau/d`), ``normalisation`` (:math:`\hbar/(2\pi\nu\tau^2)`),
        ``propagator`` (:class:`~mesocorr.symbolic.propagators.Diffuson` with symbol ``D``), ``kernel`` (:math:`\Pi`), ``steps``.

    Examples
    --------
    >>> r = diffusion_pole(2)
    >>> r.D, r.normalisation
    (tau*v_F**2/2, hbar/(2*pi*nu*tau**2))
    """
    if d not in (1, 2, 3):
        raise ValueError(f"d: must be 1, 2 or 3, got {d!r}")
    s = SYMBOLS
    q, w, nu, Dsym = s["q"], s["omega"], s["nu"], s["D"]
    expanded, steps = rung_kernel()
    kernel = angular_average(expanded, _U, d)
    steps.append((rf"angular average in $d = {d}$: $\langle u\rangle = 0$, $\langle u^2\rangle = 1/{d}$", kernel))
    ladder = Ladder("diffuson", rung=impurity_strength(nu), kernel=kernel)
    steps.append((r"ladder: geometric series of the rung, $P = \sum_n \gamma\Pi^n$", ladder.series))
    summed = ladder.doit()
    steps.append((r"summed (the solution of $P = \gamma + \Pi P$)", summed))
    # linear in D: c1 D + c0 = 0 (the same value sympy.solve gives; a test compares the two)
    c1, c0 = sp.Poly(sp.expand(1 - kernel) - sp.expand(TAU * (Dsym * q**2 - sp.I * w)), Dsym).all_coeffs()
    D_value = sp.cancel(-c0 / c1)
    if D_value.has(q) or D_value.has(w):  # pragma: no cover - would be a derivation bug
        raise ArithmeticError(f"the rung does not fix a diffusion constant: {D_value}")
    steps.append((r"diffusion constant: solve $1 - \Pi = \tau(Dq^2 - i\omega)$ for $D$", sp.Eq(Dsym, D_value)))
    pole = 1 / (D_value * q**2 - sp.I * w)
    normalisation = sp.cancel(summed / pole)  # a ratio of polynomials: cancel is simplify's form here
    if normalisation.has(q) or normalisation.has(w):  # pragma: no cover - would be a derivation bug
        raise ArithmeticError(f"ladder is not a pure diffusion pole: {normalisation}")
    steps.append((r"normalisation $N = P\,(Dq^2 - i\omega)$", normalisation))
    propagator = Diffuson(q, w, Dsym, 0, normalisation)
    steps.append(("Diffuson", sp.Eq(sp.Symbol("P"), propagator.doit())))
    return PoleDerivation(d, kernel, D_value, normalisation, propagator, tuple(steps))


@cache
def cooperon_pole(d: int) -> PoleDerivation:
    r"""Derive the Cooperon: the Diffuson pole at the pair momentum :math:`Q + 2eA/\hbar`.

    The crossed ladder, untwisted, has the pair :math:`G^R(\mathbf k+\mathbf Q)G^A(-\mathbf k)`.
    Minimal coupling for charge :math:`-e` shifts each line's momentum by :math:`+e\mathbf A/\hbar`;
    using :math:`\xi_{-\mathbf p} = \xi_{\mathbf p}` (time reversal) the advanced line has
    momentum :math:`\mathbf k - e\mathbf A/\hbar`, and the momentum mismatch between the two
    lines — the only thing the rung depends on — is computed here as
    :math:`\mathbf Q + 2e\mathbf A/\hbar`. The rest is :func:`diffusion_pole`.

    Parameters
    ----------
    d : {1, 2, 3}
        Dimension of the momentum integrals.

    Returns
    -------
    PoleDerivation
        As :func:`diffusion_pole`, with ``propagator`` the :class:`~mesocorr.symbolic.propagators.Cooperon` of pair momentum
        :math:`Q + 2eA/\hbar` (charge :math:`2e`) and ``steps`` starting with the untwisted crossed ladder.

    Examples
    --------
    >>> r = cooperon_pole(3)
    >>> r.D
    tau*v_F**2/3
    >>> r.steps[1][1]
    2*A*e/hbar + Q
    """
    s = SYMBOLS
    Q, w, A, e = sp.Symbol("Q", real=True), s["omega"], s["A"], s["e"]
    k = sp.Symbol("k", real=True)
    base = diffusion_pole(d)
    shift = e * A / HBAR
    retarded, advanced = Ladder("cooperon").lines(k=k + shift, q=Q, omega=w)
    advanced_tr = -(advanced.momentum.subs(k, k - 2 * shift))  # -(-k + eA/hbar): xi_{-p} = xi_p
    mismatch = sp.expand(retarded.momentum - advanced_tr)
    steps = [(r"crossed ladder untwisted: the pair $G^R(\mathbf k+\mathbf Q+e\mathbf A/\hbar)\,"
              r"G^A(-\mathbf k+e\mathbf A/\hbar)$ (charge $-e$)",
              sp.Tuple(retarded.momentum, advanced.momentum.subs(k, k - 2 * shift)))]
    steps.append((r"time reversal $\xi_{-\mathbf p} = \xi_{\mathbf p}$: momentum mismatch of the pair", mismatch))
    if mismatch.has(k):  # pragma: no cover
        raise ArithmeticError("Cooperon rung depends on k")
    steps += list(base.steps)
    q = s["q"]
    propagator = Cooperon(mismatch, w, s["D"], 0, base.normalisation)
    steps.append((r"Cooperon: the Diffuson pole with $q \to Q + 2eA/\hbar$", sp.Eq(sp.Symbol("C"), propagator.doit())))
    kernel = base.kernel.subs(q, mismatch)
    return PoleDerivation(d, kernel, base.D, base.normalisation, propagator, tuple(steps))


def spin_channel_pole(kind: str = "cooperon", so=None, mag=None) -> list[tuple[str, sp.Expr]]:
    r"""Steps from the spin kernel to the channel poles :math:`1/(Dq^2 - i\omega + \Gamma_c)`.

    In channel :math:`c` each rung is :math:`\Pi\,\lambda_c\tau` with :math:`\lambda_c` the
    kernel eigenvalue and :math:`1/\tau` the total (Born) rate. With
    :math:`1-\Pi = \tau(Dq^2-i\omega)` and :math:`\lambda_c\tau = 1 - \Gamma_c\tau` the ladder
    :math:`\gamma/(1-\Pi\lambda_c\tau)` becomes, to first order in :math:`\tau\times`(rates),
    :math:`(\gamma/\tau)/(Dq^2 - i\omega + \Gamma_c)`.
    """
    so = sp.symbols("a_x a_y a_z", nonnegative=True) if so is None else so
    mag = sp.symbols("b_x b_y b_z", nonnegative=True) if mag is None else mag
    s = SYMBOLS
    q, w, Dsym, nu = s["q"], s["omega"], s["D"], s["nu"]
    gamma0 = sp.Symbol("gamma_0", positive=True)
    corr = ImpurityCorrelator(gamma0, so, mag)
    from sympy.physics.quantum import TensorProduct

    sig = [sp.Symbol(f"sigma_{a}", commutative=False) for a in "xyz"]
    pair = (lambda v: v.square) if kind == "cooperon" else (lambda v: v.abs2)
    correlator = sp.Add(*(pair(v) * (TensorProduct(sig[v.axis], sig[v.axis]) if v.axis is not None else 1)
                          for v in corr.vertices))
    steps = [(f"impurity correlator for the {kind} (<c^2> = -a_i spin-orbit, +b_i magnetic for the Cooperon)",
              correlator)]
    steps.append(("total rate 1/tau from the self-energy", corr.decay_rate))
    steps.append((f"4x4 {kind} spin kernel (rates)", sp.ImmutableMatrix(spin_kernel(kind, gamma0, so, mag))))
    Pi = 1 - TAU * (Dsym * q**2 - sp.I * w)
    for ch in diagonalise(kind, so, mag, potential=gamma0):
        steps.append((f"{ch.name}: eigenvector (exchange parity {ch.exchange_parity})", sp.ImmutableMatrix(ch.state)))
        steps.append((f"{ch.name}: kernel eigenvalue lambda", ch.eigenvalue))
        gap = sp.Symbol(f"Gamma_{ch.name}")
        rung = sp.expand(Pi * (1 - gap * TAU))
        ladder = Ladder(kind, rung=impurity_strength(nu), kernel=rung)
        summed = ladder.doit()
        steps.append((f"{ch.name}: ladder with rung Pi lambda tau, lambda tau = 1 - Gamma tau", summed))
        denom = sp.expand(sp.series(sp.expand(1 - rung).subs(TAU, _EPS * TAU), _EPS, 0, 2)
                          .removeO().subs(_EPS, 1))
        pole = sp.simplify(impurity_strength(nu) / denom)
        steps.append((f"{ch.name}: first order in tau x rates -> diffusion pole with a gap", pole))
        steps.append((f"{ch.name}: gap Gamma = 1/tau - lambda", sp.Eq(gap, ch.gap)))
    return steps


def derivation_steps(name: str, d: int = 2) -> list[tuple[str, sp.Expr]]:
    """Intermediate steps of a derivation as ``(explanation, SymPy expression)`` pairs.

    ``name``: ``"diffuson-ladder"`` (the diffusion pole in ``d`` dimensions),
    ``"cooperon-ladder"`` (with the vector potential) or ``"cooperon-spin"`` (spin channels).
    """
    if name == "diffuson-ladder":
        return list(diffusion_pole(d).steps)
    if name == "cooperon-ladder":
        return list(cooperon_pole(d).steps)
    if name == "cooperon-spin":
        return spin_channel_pole("cooperon")
    raise ValueError(f"name: must be 'diffuson-ladder', 'cooperon-ladder' or 'cooperon-spin', got {name!r}")

