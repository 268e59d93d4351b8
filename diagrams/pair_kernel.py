r"""The Cooperon/Diffuson engine: pair-space kernels of any internal space, their gaps and weights.

A model (:class:`InternalModel`) is an internal space (:class:`mesocorr.symbolic.internal_space.InternalSpace`),
a list of disorder mechanisms (:class:`DisorderMechanism`), uniform single-particle terms
(:class:`UniformTerm`, e.g. :func:`zeeman_term`) and a back-scattering weight (exchange times an optional
Berry-phase sign). From it the engine *derives*:

**Self-energy.** Each mechanism is a family of vertex matrices :math:`M_i` with random coefficients,
:math:`V = \sum_i c_i M_i`, correlator :math:`C_{ij} = \langle c_ic_j^*\rangle` (rates,
:math:`2\pi\nu n_{imp}|u|^2/\hbar`), cross terms between mechanisms averaging to zero. The Born
self-energy rate is :math:`\Sigma = \sum_{\rm mech}\sum_{ij}C_{ij}M_iM_j^\dagger`; it must be
proportional to the identity, :math:`\Sigma = (1/\tau_e)\,1` (checked; otherwise ``ValueError``).

**Diffuson kernel** (particle-hole, density matrix :math:`\rho\mapsto V\rho V^\dagger`, row-major ``vec``):
:math:`K_D = \sum C_{ij}\,M_i\otimes M_j^*`.

**Cooperon kernel** (particle-particle). After untwisting the maximally crossed ladder the advanced line
:math:`G^A(-\mathbf k)` visits the impurities in the *same* order as the retarded line, so the rung is
:math:`\langle V_{\mathbf k\mathbf k'}\otimes V_{-\mathbf k,-\mathbf k'}\rangle` acting on
:math:`\psi\mapsto G^R\psi\,(G^A)^T` (indices: :math:`C_{\alpha\beta,\gamma\delta} =
\langle G^R_{\alpha\gamma}G^A_{\beta\delta}\rangle`, :math:`\alpha,\beta` at the exit end). Time reversal
:math:`\Theta = UK` with mechanism parity :math:`t` (:math:`\Theta V\Theta^{-1} = tV`) gives
:math:`V_{-\mathbf k,-\mathbf k'} = t\,UV^*_{\mathbf k\mathbf k'}U^{-1}`, hence

.. math:: K_C = \sum_{\rm mech} t\,(1\otimes U)\,K_D\,(1\otimes U^{-1}).

For spin ½ (:math:`U = i\sigma_y`) this is :math:`\langle c^2\rangle\,\sigma_i\otimes\sigma_i` with
:math:`\langle c^2\rangle = -a_i` for spin-orbit (:math:`t=+1`) and :math:`+b_i` for magnetic
impurities (:math:`t=-1`) — the phase solved by :class:`mesocorr.diagrams.impurity.ImpurityCorrelator`.

**Uniform terms** (a :math:`\mathbf k`-independent single-particle term :math:`h = \hbar\Omega`, :math:`\Omega`
a rate matrix; Zeeman: :math:`\Omega = \tfrac12\boldsymbol\omega\cdot\boldsymbol\sigma`) sit inside the
Green's functions, :math:`G^R(\varepsilon+\hbar\omega) = (\varepsilon+\hbar\omega-\xi-h+i\hbar/2\tau)^{-1}`,
:math:`G^A(\varepsilon) = (\varepsilon-\xi-h-i\hbar/2\tau)^{-1}`. :func:`uniform_rung_coefficients` does the
:math:`\xi` integral of the rung by residues with the shifts of the two lines and expands to first order
in :math:`\tau`: :math:`(1-\Pi)/\tau = -i\omega + (i/\hbar)(s_R - s_A)`. In pair space the retarded line
carries :math:`\Omega\otimes1`, the advanced line :math:`1\otimes\Omega` (Cooperon: :math:`G^A` enters as
itself) or :math:`1\otimes\Omega^T` (Diffuson: :math:`G^A` enters transposed), so

.. math:: L_C = i(\Omega\otimes1 - 1\otimes\Omega),\qquad L_D = i(\Omega\otimes1 - 1\otimes\Omega^T).

**Gap operator.** :math:`H = (1/\tau_e)\,1 - K + L`; a channel with eigenvalue :math:`\Gamma_c` of
:math:`H` has the propagator :math:`1/(Dq^2 - i\omega + \Gamma_c)` (:math:`\Gamma_c = 1/\tau_e - \lambda_c`
without uniform terms, :math:`\lambda_c` the kernel eigenvalue). :math:`H` is not Hermitian in general:
gaps are complex, right and left eigenvectors differ, and where two gaps coalesce the kernel can be
defective (exceptional point) — :mod:`mesocorr.integrals.matrix_functions` evaluates observables
:math:`\mathrm{Tr}[W f(H)]` without eigenvectors there.

**Weights.** The back-scattering contraction of the crossed diagram is :math:`\sum_{\alpha\beta}
C_{\alpha\beta,\beta\alpha} = \mathrm{Tr}[PC]`, :math:`P` the exchange. The weight operator is
:math:`W = \mathcal S P/N` with :math:`\mathcal S` a Berry-phase sign operator (identity by default;
graphene and TI models supply theirs) and :math:`N` the ``degeneracy`` (default :math:`d`, the internal
dimension); a channel's weight is :math:`w_c = (V^{-1}WV)_{cc}` with :math:`V` the right eigenvectors.
Normalisation: :math:`\sum_c w_c = \mathrm{Tr}\,W = \mathrm{Tr}[\mathcal SP]/N`, which is 1 for
:math:`\mathcal S = 1` (:math:`\mathrm{Tr}P = d`); the conductivity prefactor then carries :math:`N`
(spin ½: :math:`N = s = 2`, singlet :math:`-1/2`, triplets :math:`+1/2`). For the Diffuson the weight
operator is the identity (the spin trace of the UCF loop: every channel weight one).

**Channel basis.** Cooperon states :math:`\mathrm{vec}(O_aU)/\sqrt d`, Diffuson states
:math:`\mathrm{vec}(O_a)/\sqrt d`, :math:`O_a` the product basis of standard matrices (spin ½: singlet
:math:`U = i\sigma_y`, ``triplet_j`` :math:`\sigma_jU`). Since :math:`U^T = \pm U`, a mechanism acts on
:math:`O` as :math:`O\mapsto t\,M O M^\dagger`: Pauli-type mechanisms are diagonal in this basis. The
engine transforms :math:`H` and :math:`W` to it, splits :math:`H` into its blocks (connected components of
the exact non-zero pattern) and diagonalises each block in closed form (1x1; 2x2 by the quadratic
formula; larger blocks with numbers by mpmath eigenvectors at 30 digits), weights from the projector
:math:`\mathrm{adj}(\Gamma_c-H)/p'(\Gamma_c)` (no eigenvector normalisation needed).

References
----------
.. [AM07] E. Akkermans, G. Montambaux, *Mesoscopic Physics of Electrons and Photons* (CUP 2007), ch. 4, 6.
.. [HLN80] S. Hikami, A. I. Larkin, Y. Nagaoka, Prog. Theor. Phys. 63, 707 (1980).
.. [MF81] S. Maekawa, H. Fukuyama, J. Phys. Soc. Jpn. 50, 2516 (1981) (Zeeman splitting in the Cooperon).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import sympy as sp

from mesocorr.arguments import sympy_value, three_sympy_values
from mesocorr.diagrams.lines import HBAR, TAU, XI, GreenLine, xi_integral
from mesocorr.symbolic.internal_space import (
    PAULI,
    InternalSpace,
    exchange_operator,
    kron,
    pair_identity,
    spin_half,
    vec,
)
from mesocorr.symbolic.printing import channel_label, latex
from mesocorr.symbolic.memo import simplify

__all__ = ["KINDS", "square_matrix", "DisorderMechanism", "UniformTerm", "zeeman_term", "InternalModel", "PairChannel", "PairBlock",
           "PairSpectrum", "uniform_rung_coefficients", "spin_half_model", "spin_half_symbolic",
           "spin_half_channels", "SPIN_AXES", "linear_form", "exact_complex", "SPIN_HALF_PARAMETERS",
           "spin_half_linear_forms", "two_box_partner"]

KINDS = ("cooperon", "diffuson")
SPIN_AXES = ("x", "y", "z")
#: parameters of the spin-1/2 gap operators in their linear form (:func:`spin_half_linear_forms`): spin-orbit
#: component rates a_i, magnetic component rates b_i, the Zeeman vector omega_i, the dephasing phi
SPIN_HALF_PARAMETERS = ("a_x", "a_y", "a_z", "b_x", "b_y", "b_z", "omega_x", "omega_y", "omega_z", "phi")


def _kind(kind) -> str:
    if kind not in KINDS:
        raise ValueError(f"kind: must be 'cooperon' or 'diffuson', got {kind!r}")
    return kind


def square_matrix(name: str, value, d: int | None = None) -> sp.ImmutableMatrix:
    """A square SymPy matrix (``d x d`` when given) from a SymPy matrix or nested sequences of numbers/SymPy
    objects; strings (as the matrix or as an entry) are refused with ``TypeError`` naming ``name``, never parsed."""
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name}: expected a SymPy matrix, got a string (strings are never parsed)")
    if not isinstance(value, sp.MatrixBase):
        try:
            rows = [list(row) for row in value]
        except TypeError:
            raise TypeError(f"{name}: expected a square matrix, got {type(value).__name__}") from None
        value = sp.Matrix([[sympy_value(name, x) for x in row] for row in rows])
    for x in value:
        sympy_value(name, x)
    if value.rows != value.cols or (d is not None and value.rows != d):
        want = f"{d}x{d}" if d is not None else "square"
        raise ValueError(f"{name}: expected a {want} matrix, got shape {value.shape}")
    return sp.ImmutableMatrix(value)


# ============================================================================ ingredients of a model
class DisorderMechanism:
    r"""One disorder mechanism: vertex matrices, their correlator (rates) and time-reversal parity.

    The vertex is :math:`V = \sum_i c_iM_i` with :math:`\langle c_ic_j^*\rangle = C_{ij}` (rates).

    Parameters
    ----------
    name : str
    matrices : SymPy matrix or sequence of them
        The :math:`M_i` (:math:`d\times d`).
    rates : SymPy expression, sequence, or matrix
        One rate per matrix (a diagonal correlator) or the full Hermitian correlator :math:`C_{ij}`.
        Numbers or SymPy expressions (strings are refused).
    time_reversal : {+1, -1}
        Parity :math:`t` with :math:`\Theta V\Theta^{-1} = tV`: +1 potential and spin-orbit scattering,
        -1 magnetic impurities (frozen classical spins).

    Examples
    --------
    >>> a = sp.Symbol("a", nonnegative=True)
    >>> so = DisorderMechanism("spin-orbit_x", PAULI[0], a, +1)
    >>> so.diffuson_kernel() == a * kron(PAULI[0], PAULI[0])
    True
    """

    __slots__ = ("_args",)

    def __init__(self, name: str, matrices, rates, time_reversal: int):
        if not isinstance(name, str):
            raise TypeError(f"name: expected a string, got {type(name).__name__}")
        if isinstance(matrices, sp.MatrixBase):
            matrices = (matrices,)
        if isinstance(matrices, (str, bytes)):
            raise TypeError("matrices: expected SymPy matrices, got a string (strings are never parsed)")
        try:
            mats = tuple(square_matrix(f"matrices[{i}]", m) for i, m in enumerate(matrices))
        except TypeError:
            raise TypeError(f"matrices: expected a SymPy matrix or a sequence of them, got {type(matrices).__name__}") \
                from None
        if not mats:
            raise ValueError("matrices: need at least one vertex matrix")
        if len({m.rows for m in mats}) != 1:
            raise ValueError("matrices: all vertex matrices of one mechanism must have the same dimension")
        n = len(mats)
        if isinstance(rates, sp.MatrixBase):
            C = square_matrix("rates", rates, n)
            if (C - C.H).applyfunc(sp.expand) != sp.zeros(n, n):
                raise ValueError("rates: a correlator matrix must be Hermitian")
        else:
            if isinstance(rates, (str, bytes)):
                raise TypeError("rates: expected numbers or SymPy expressions, got a string (strings are never parsed)")
            seq = tuple(rates) if isinstance(rates, (list, tuple)) else (rates,)
            if len(seq) != n:
                raise ValueError(f"rates: need one rate per matrix ({n}), got {len(seq)}")
            vals = [sympy_value(f"rates[{i}]", r) for i, r in enumerate(seq)]
            for i, v in enumerate(vals):
                if v.is_number and (v.is_real is False or v.is_negative):
                    raise ValueError(f"rates[{i}]: rates must be real and non-negative, got {v}")
            C = sp.ImmutableMatrix(sp.diag(*vals))
        if time_reversal not in (1, -1) or isinstance(time_reversal, bool):
            raise ValueError(f"time_reversal: must be +1 (even) or -1 (odd), got {time_reversal!r}")
        self._args = (name, mats, C, int(time_reversal))

    name = property(lambda self: self._args[0], doc="mechanism name")
    matrices = property(lambda self: self._args[1], doc="vertex matrices M_i")
    correlator = property(lambda self: self._args[2], doc="C_ij = <c_i c_j^*> (rates)")
    time_reversal = property(lambda self: self._args[3], doc="parity t of Theta V Theta^-1 = t V")

    @property
    def args(self) -> tuple:
        return self._args

    @property
    def dimension(self) -> int:
        return self.matrices[0].rows

    def _pairs(self):
        C = self.correlator
        for i, mi in enumerate(self.matrices):
            for j, mj in enumerate(self.matrices):
                if C[i, j] != 0:
                    yield C[i, j], mi, mj

    def self_energy(self) -> sp.ImmutableMatrix:
        r""":math:`\sum_{ij}C_{ij}M_iM_j^\dagger` (rates)."""
        d = self.dimension
        out = sp.zeros(d, d)
        for c, mi, mj in self._pairs():
            out += c * mi * mj.H
        return sp.ImmutableMatrix(out.applyfunc(sp.expand))

    def diffuson_kernel(self) -> sp.ImmutableMatrix:
        r""":math:`\sum_{ij}C_{ij}\,M_i\otimes M_j^*` (``vec`` of :math:`\rho\mapsto V\rho V^\dagger`)."""
        d = self.dimension
        out = sp.zeros(d * d, d * d)
        for c, mi, mj in self._pairs():
            out += c * kron(mi, mj.conjugate())
        return sp.ImmutableMatrix(out.applyfunc(sp.expand))

    def cooperon_kernel(self, U) -> sp.ImmutableMatrix:
        r""":math:`t\,(1\otimes U)K_D(1\otimes U^{-1})`: the rung :math:`\langle V_{\mathbf k\mathbf k'}\otimes
        V_{-\mathbf k,-\mathbf k'}\rangle` with :math:`V_{-\mathbf k,-\mathbf k'} = tUV^*U^{-1}`."""
        d = self.dimension
        U = square_matrix("U", U, d)
        left, right = kron(sp.eye(d), U), kron(sp.eye(d), U.H)
        return sp.ImmutableMatrix((self.time_reversal * left * self.diffuson_kernel() * right).applyfunc(sp.expand))

    def __eq__(self, other):
        return isinstance(other, DisorderMechanism) and self._args == other._args

    def __hash__(self):
        return hash(self._args)

    def __repr__(self):
        return f"DisorderMechanism({self.name!r}, {len(self.matrices)} matrices, time_reversal={self.time_reversal:+d})"


class UniformTerm:
    r"""A uniform, :math:`\mathbf k`-independent single-particle term :math:`h/\hbar = \Omega` (a Hermitian rate matrix).

    Enters both Green's functions, :math:`G = (\varepsilon-\xi-\hbar\Omega\pm i\hbar/2\tau)^{-1}`.
    (Momentum-dependent spin-orbit fields, odd in :math:`\mathbf k`, need the :math:`q`-linear part of
    the rung and are not uniform terms.)
    """

    __slots__ = ("_args",)

    def __init__(self, name: str, matrix):
        if not isinstance(name, str):
            raise TypeError(f"name: expected a string, got {type(name).__name__}")
        m = square_matrix("matrix", matrix)
        if (m - m.H).applyfunc(sp.expand) != sp.zeros(*m.shape):
            raise ValueError(f"matrix: the uniform term {name!r} must be Hermitian")
        self._args = (name, m)

    name = property(lambda self: self._args[0], doc="term name")
    matrix = property(lambda self: self._args[1], doc="Omega = h/hbar (rate matrix)")

    @property
    def args(self) -> tuple:
        return self._args

    def __eq__(self, other):
        return isinstance(other, UniformTerm) and self._args == other._args

    def __hash__(self):
        return hash(self._args)

    def __repr__(self):
        return f"UniformTerm({self.name!r}, {self.matrix.rows}x{self.matrix.rows})"


def zeeman_term(space: InternalSpace, omega, factor: str = "spin") -> UniformTerm:
    r"""The Zeeman term :math:`\Omega = \tfrac12\boldsymbol\omega\cdot\boldsymbol\sigma` on the spin factor.

    ``omega`` = :math:`(\omega_x,\omega_y,\omega_z)`, :math:`\boldsymbol\omega = g\mu_B\mathbf B/\hbar` (a rate
    vector, same units as the other rates): the single-particle term is
    :math:`(\hbar/2)\boldsymbol\omega\cdot\boldsymbol\sigma`, spin-up and spin-down along
    :math:`\boldsymbol\omega` split by :math:`\hbar|\boldsymbol\omega|`.
    """
    if not isinstance(space, InternalSpace):
        raise TypeError(f"space: expected an InternalSpace, got {type(space).__name__}")
    if isinstance(omega, (str, bytes)):
        raise TypeError("omega: expected three components, got a string (strings are never parsed)")
    try:
        comps = tuple(omega)
    except TypeError:
        raise TypeError(f"omega: expected three components, got {type(omega).__name__}") from None
    if len(comps) != 3:
        raise ValueError(f"omega: need three Cartesian components, got {len(comps)}")
    comps = [sympy_value(f"omega[{i}]", w) for i, w in enumerate(comps)]
    for i, w in enumerate(comps):
        if w.is_number and w.is_real is False:
            raise ValueError(f"omega[{i}]: must be real, got {w}")
    f = space.factor(factor)
    if f.dimension != 2:
        raise ValueError(f"factor: the Zeeman term needs a two-level spin factor, {factor!r} has dimension {f.dimension}")
    mat = sum((w * space.operator(**{factor: a}) for w, a in zip(comps, SPIN_AXES)), sp.zeros(space.dimension))
    return UniformTerm("zeeman", sp.ImmutableMatrix(mat / 2))


@cache
def uniform_rung_coefficients() -> tuple[sp.Expr, sp.Expr, sp.Expr, tuple]:
    r"""Derive how energy shifts of the two lines enter the ladder: :math:`(1-\Pi)/\tau = c_\omega\omega + c_R s_R/\hbar + c_A s_A/\hbar`.

    The rung :math:`\Pi = \gamma\nu\int d\xi\,G^R(\varepsilon+\hbar\omega)G^A(\varepsilon)` with the retarded line
    shifted by :math:`s_R` and the advanced one by :math:`s_A` (:math:`G^R = 1/(\varepsilon+\hbar\omega-\xi-s_R+
    i\hbar/2\tau)`), :math:`\gamma\nu = \hbar/2\pi\tau`, by residues
    (:func:`mesocorr.diagrams.hikami.residue_integral`), then :math:`\tau\to0` at fixed shifts (first order in
    :math:`\tau\times` rates). Returns ``(c_omega, c_R, c_A, steps)``: :math:`(-i, i, -i)`; ``steps`` are ``(text, expression)``
    pairs, the text prose with inline ``$...$`` LaTeX (the derivation documents' convention).

    >>> uniform_rung_coefficients()[:3]
    (-I, I, -I)
    """
    s_R, s_A = sp.symbols("s_R s_A", real=True)
    w, e = sp.Symbol("omega", real=True), sp.Symbol("varepsilon", real=True)
    retarded = GreenLine("R", 0, e + HBAR * w).doit(dispersion=XI + s_R)
    advanced = GreenLine("A", 0, e).doit(dispersion=XI + s_A)
    rung = sp.cancel(HBAR / (2 * sp.pi * TAU) * xi_integral(retarded * advanced))
    steps = [(r"Rung with shifted lines, $\Pi = \frac{\hbar}{2\pi\tau}\int d\xi\, G^R(\varepsilon + \hbar\omega - s_R)"
              r"\, G^A(\varepsilon - s_A)$", rung)]
    per_tau = sp.cancel((1 - rung) / TAU)
    leading = sp.expand(per_tau.subs(TAU, 0))
    steps.append((r"$(1 - \Pi)/\tau$ at leading order in $\tau$ (rates times $\tau$ small)", leading))
    coeffs = sp.Poly(leading, w, s_R, s_A)
    if coeffs.total_degree() != 1 or coeffs.coeff_monomial(1) != 0:  # pragma: no cover - derivation changed
        raise ArithmeticError(f"the rung is not linear in the shifts: {leading}")
    c_w = coeffs.coeff_monomial(w)
    c_R, c_A = HBAR * coeffs.coeff_monomial(s_R), HBAR * coeffs.coeff_monomial(s_A)
    steps.append((r"Coefficients $(c_\omega, c_R, c_A)$ of $\omega$, $s_R/\hbar$ and $s_A/\hbar$, i.e. "
                  r"$(1 - \Pi)/\tau = -i\omega + (i/\hbar)(s_R - s_A)$", sp.Tuple(c_w, c_R, c_A)))
    return c_w, simplify(c_R), simplify(c_A), tuple(steps)


# ============================================================================ the model
@dataclass(frozen=True)
class PairBlock:
    """One invariant block of the gap operator in the channel basis: member names, indices, H and W on it."""

    names: tuple
    indices: tuple
    H: sp.ImmutableMatrix
    W: sp.ImmutableMatrix


@dataclass(frozen=True)
class PairChannel:
    r"""One eigen-channel: name, gap :math:`\Gamma_c` (complex in general), weight :math:`w_c`, its block.

    ``weight`` is :math:`w_c = \mathrm{Tr}[W\Pi_c]` with :math:`\Pi_c` the spectral projector
    (:math:`= (V^{-1}WV)_{cc}`). Eigenvectors: :meth:`PairSpectrum.eigenvectors`.
    """

    name: str
    gap: sp.Expr
    weight: sp.Expr
    block: tuple

    def latex(self) -> str:
        r"""``\Gamma_c = gap, w_c = weight`` typeset by :func:`mesocorr.latex` (channel label by ``channel_label``)."""
        label = channel_label(self.name)
        return rf"\Gamma_{{{label}}} = {latex(self.gap)},\quad w_{{{label}}} = {latex(self.weight)}"

    def _repr_latex_(self) -> str:
        return f"${self.latex()}$"


@dataclass(frozen=True)
class PairSpectrum:
    """Result of :meth:`InternalModel.spectrum`: channels, blocks, the channel basis, H and W in that basis."""

    kind: str
    channels: tuple
    blocks: tuple
    basis: tuple
    H: sp.ImmutableMatrix
    W: sp.ImmutableMatrix

    def gaps(self) -> list:
        return [c.gap for c in self.channels]

    def latex(self) -> str:
        """The channels' gaps and weights, one line each (``aligned``)."""
        rows = [c.latex().replace(" = ", " &= ", 1) for c in self.channels]
        return r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"

    def _repr_latex_(self) -> str:
        return f"${self.latex()}$"

    def weights(self) -> list:
        return [c.weight for c in self.channels]

    def channel(self, name: str) -> PairChannel:
        for c in self.channels:
            if c.name == name:
                return c
        raise ValueError(f"name: no channel {name!r} (channels: {', '.join(c.name for c in self.channels)})")

    def eigenvectors(self, name: str) -> tuple[sp.ImmutableMatrix, sp.ImmutableMatrix]:
        r"""Right and left eigenvectors :math:`r, \ell` of a channel in pair space (``vec`` order), :math:`\ell^Tr = 1`.

        The left vector satisfies :math:`\ell^TH = \Gamma_c\ell^T` for the pair-space gap operator.
        ``ValueError`` at an exceptional point (no basis of eigenvectors).
        """
        ch = self.channel(name)
        blk = next(b for b in self.blocks if b.names == ch.block)
        B = sp.Matrix.hstack(*[v for _, v in self.basis])
        n = len(blk.indices)
        M = sp.Matrix(blk.H)
        right = (M - ch.gap * sp.eye(n)).nullspace(simplify=True)
        left = (M.T - ch.gap * sp.eye(n)).nullspace(simplify=True)
        if len(right) != 1 or len(left) != 1:
            raise ValueError(f"name: no unique eigenvector for {name!r} (degenerate or exceptional point)")
        r, l_ = right[0], left[0]
        norm = simplify((l_.T * r)[0, 0])
        if norm == 0:
            raise ValueError(f"name: {name!r} sits at an exceptional point (left and right eigenvectors orthogonal)")
        return _embed(r / norm, blk.indices, B), _embed(l_, blk.indices, B.conjugate())


class InternalModel:
    r"""A disordered-conductor model: internal space, disorder mechanisms, uniform terms, back-scattering weight.

    Parameters
    ----------
    space : InternalSpace
    mechanisms : sequence of DisorderMechanism
    uniform : sequence of UniformTerm, optional
    backscattering_sign : SymPy matrix, optional
        Pair-space operator :math:`\mathcal S` in :math:`W = \mathcal SP/N` (Berry-phase sign; identity by default).
    degeneracy : int, optional
        :math:`N` (default the internal dimension :math:`d`): the factor the conductivity prefactor carries.

    Examples
    --------
    The spin-½ model with isotropic spin-orbit and a Zeeman field along z:

    >>> so, w = sp.symbols("Gamma_so omega", positive=True)
    >>> m = spin_half_model(so=(so / 3, so / 3, so / 3), zeeman=(0, 0, w))
    >>> [(c.name, c.gap) for c in m.spectrum("cooperon").channels][:2]
    [('singlet~triplet_z-', 2*Gamma_so/3 - sqrt(4*Gamma_so**2/9 - omega**2)), ('singlet~triplet_z+', 2*Gamma_so/3 + sqrt(4*Gamma_so**2/9 - omega**2))]
    >>> [c.gap for c in m.spectrum("diffuson").channels]
    [0, 4*Gamma_so/3 - I*omega, 4*Gamma_so/3 + I*omega, 4*Gamma_so/3]
    """

    __slots__ = ("_args", "_cache")

    def __init__(self, space: InternalSpace, mechanisms, uniform=(), backscattering_sign=None, degeneracy=None):
        if not isinstance(space, InternalSpace):
            raise TypeError(f"space: expected an InternalSpace, got {type(space).__name__}")
        if space.kramers == 0:
            raise ValueError("space: time reversal must square to +1 or -1 (U U^* = +-1)")
        d = space.dimension
        mechs = tuple(mechanisms) if not isinstance(mechanisms, DisorderMechanism) else (mechanisms,)
        if not mechs or not all(isinstance(m, DisorderMechanism) for m in mechs):
            raise TypeError("mechanisms: expected one or more DisorderMechanism objects")
        for m in mechs:
            if m.dimension != d:
                raise ValueError(f"mechanisms: {m.name!r} acts on dimension {m.dimension}, the space has {d}")
        unis = tuple(uniform) if not isinstance(uniform, UniformTerm) else (uniform,)
        if not all(isinstance(u, UniformTerm) for u in unis):
            raise TypeError("uniform: expected UniformTerm objects")
        for u in unis:
            if u.matrix.rows != d:
                raise ValueError(f"uniform: {u.name!r} acts on dimension {u.matrix.rows}, the space has {d}")
        S = None if backscattering_sign is None else square_matrix("backscattering_sign", backscattering_sign, d * d)
        if degeneracy is None:
            N = sp.Integer(d)
        else:
            if isinstance(degeneracy, bool) or not isinstance(degeneracy, int) or degeneracy < 1:
                raise ValueError(f"degeneracy: must be a positive integer, got {degeneracy!r}")
            N = sp.Integer(degeneracy)
        self._args = (space, mechs, unis, S, N)
        self._cache = {}

    space = property(lambda self: self._args[0], doc="the internal space")
    mechanisms = property(lambda self: self._args[1], doc="disorder mechanisms")
    uniform = property(lambda self: self._args[2], doc="uniform terms")
    degeneracy = property(lambda self: self._args[4], doc="N in W = S P / N")

    @property
    def backscattering_sign(self) -> sp.ImmutableMatrix:
        """Berry-phase sign operator S on pair space (identity unless the model gives one)."""
        S = self._args[3]
        return pair_identity(self.dimension) if S is None else S

    @property
    def args(self) -> tuple:
        return self._args

    def __eq__(self, other):
        return isinstance(other, InternalModel) and self._args == other._args

    def __hash__(self):
        return hash(self._args)

    def __repr__(self):
        return (f"InternalModel({self.space!r}, mechanisms={[m.name for m in self.mechanisms]}, "
                f"uniform={[u.name for u in self.uniform]})")

    def _memo(self, key, build):
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    # ------------------------------------------------------------------ single particle
    @property
    def dimension(self) -> int:
        return self.space.dimension

    def self_energy(self) -> sp.ImmutableMatrix:
        r"""Born self-energy rate matrix :math:`\sum\langle VV^\dagger\rangle`."""
        def build():
            d = self.dimension
            total = sp.zeros(d, d)
            for m in self.mechanisms:
                total += m.self_energy()
            return sp.ImmutableMatrix(total.applyfunc(sp.expand))
        return self._memo("self_energy", build)

    @property
    def decay_rate(self) -> sp.Expr:
        r""":math:`1/\tau_e`, read off the self-energy; ``ValueError`` if it is not proportional to the identity."""
        s = self.self_energy()
        d = self.dimension
        rate = s[0, 0]
        off = (s - rate * sp.eye(d)).applyfunc(sp.expand)
        if off != sp.zeros(d, d):
            raise ValueError("mechanisms: the self-energy is not proportional to the identity "
                             f"(the lines would split): {s.tolist()}")
        return rate

    # ------------------------------------------------------------------ pair space (vec basis)
    def kernel(self, kind: str) -> sp.ImmutableMatrix:
        """The impurity-line kernel (rates) on pair space, ``vec`` basis: :math:`K_C` or :math:`K_D`."""
        _kind(kind)

        def build():
            d = self.dimension
            K = sp.zeros(d * d, d * d)
            for m in self.mechanisms:
                K += m.cooperon_kernel(self.space.time_reversal) if kind == "cooperon" else m.diffuson_kernel()
            return sp.ImmutableMatrix(K.applyfunc(sp.expand))
        return self._memo(("kernel", kind), build)

    def uniform_pair_term(self, kind: str) -> sp.ImmutableMatrix:
        r"""The uniform terms in pair space (``vec`` basis), :math:`L = c_R(\Omega\otimes1) + c_A(1\otimes\Omega_A)`,
        :math:`c_R, c_A` derived by :func:`uniform_rung_coefficients`, :math:`\Omega_A = \Omega` (Cooperon) or
        :math:`\Omega^T` (Diffuson)."""
        _kind(kind)

        def build():
            d = self.dimension
            L = sp.zeros(d * d, d * d)
            if not self.uniform:
                return sp.ImmutableMatrix(L)
            _, c_R, c_A, _ = uniform_rung_coefficients()
            one = sp.eye(d)
            for u in self.uniform:
                om = u.matrix
                L += c_R * kron(om, one) + c_A * kron(one, om if kind == "cooperon" else om.T)
            return sp.ImmutableMatrix(L.applyfunc(sp.expand))
        return self._memo(("uniform", kind), build)

    def gap_operator(self, kind: str) -> sp.ImmutableMatrix:
        r""":math:`H = (1/\tau_e)\,1 - K + L` on pair space (``vec`` basis, rates); its eigenvalues are the gaps."""
        _kind(kind)

        def build():
            d = self.dimension
            H = self.decay_rate * sp.eye(d * d) - self.kernel(kind) + self.uniform_pair_term(kind)
            return sp.ImmutableMatrix(H.applyfunc(sp.expand))
        return self._memo(("gap", kind), build)

    def weight_operator(self, kind: str) -> sp.ImmutableMatrix:
        r"""Cooperon: :math:`W = \mathcal SP/N`; Diffuson: the identity (UCF spin trace). ``vec`` basis."""
        _kind(kind)
        d = self.dimension
        if kind == "diffuson":
            return pair_identity(d)
        return sp.ImmutableMatrix(self.backscattering_sign * exchange_operator(d) / self.degeneracy)

    # ------------------------------------------------------------------ channel basis
    def _basis_columns(self, kind: str) -> sp.ImmutableMatrix:
        """Unnormalised basis vec(O_a U) (Cooperon) or vec(O_a) (Diffuson) as columns; B^dagger B = d 1."""
        def build():
            U = self.space.time_reversal
            cols = [vec(O * U if kind == "cooperon" else O) for _, O in self.space.operator_basis()]
            B = sp.ImmutableMatrix(sp.Matrix.hstack(*cols))
            d = self.dimension
            if (B.H * B).applyfunc(sp.expand) != d * sp.eye(d * d):
                raise ValueError("space: the standard matrices do not give an orthonormal pair basis "
                                 "(Tr O_a^dagger O_b must be d delta_ab)")
            return B
        return self._memo(("columns", kind), build)

    def channel_basis(self, kind: str) -> tuple[tuple[str, sp.ImmutableMatrix], ...]:
        r"""Named orthonormal pair states: :math:`\mathrm{vec}(O_aU)/\sqrt d` (Cooperon), :math:`\mathrm{vec}(O_a)/\sqrt d` (Diffuson)."""
        _kind(kind)

        def build():
            B = self._basis_columns(kind)
            root = sp.sqrt(self.dimension)
            names = [self.space.channel_name(labels) for labels, _ in self.space.operator_basis()]
            return tuple((n, sp.ImmutableMatrix(B[:, i] / root)) for i, n in enumerate(names))
        return self._memo(("basis", kind), build)

    def superoperator(self, X, Y) -> sp.ImmutableMatrix:
        r"""The map :math:`O\mapsto XOY` on the operator basis: :math:`S_{ab} = \mathrm{Tr}(O_a^\dagger XO_bY)/d`.

        This is the channel-basis matrix of a Diffuson-type pair operator; the channel-basis matrix of the
        Cooperon kernel of a mechanism is :math:`t` times its Diffuson one (module docstring).
        """
        X, Y = sp.ImmutableMatrix(X), sp.ImmutableMatrix(Y)

        def build():
            d = self.dimension
            ops = self._sparse_operators()
            x, y = X.tolist(), Y.tolist()
            n = len(ops)
            S = sp.zeros(n, n)
            for b, Ob in enumerate(ops):
                # image X O_b Y as a dense list (O_b sparse: {(i, j): value})
                img = [[sp.Integer(0)] * d for _ in range(d)]
                for (k, l_), v in Ob.items():
                    for i in range(d):
                        xik = x[i][k]
                        if xik == 0:
                            continue
                        row = img[i]
                        for j in range(d):
                            ylj = y[l_][j]
                            if ylj != 0:
                                row[j] += xik * v * ylj
                for a, Oa in enumerate(ops):
                    t = sum((sp.conjugate(v) * img[i][j] for (i, j), v in Oa.items()), sp.Integer(0))
                    if t != 0:
                        S[a, b] = sp.expand(t / d)
            return sp.ImmutableMatrix(S)
        return self._memo(("superop", X, Y), build)

    def _sparse_operators(self) -> list[dict]:
        """The operator basis as sparse dicts {(i, j): entry}."""
        def build():
            out = []
            for _, O in self.space.operator_basis():
                out.append({(i, j): O[i, j] for i in range(O.rows) for j in range(O.cols) if O[i, j] != 0})
            return out
        return self._memo("sparse_ops", build)

    def _linear_superoperator(self, X, Y):
        """:meth:`superoperator` with X, Y linear in their free symbols: numeric parts times symbols."""
        out = sp.zeros(self.dimension ** 2)
        for coeff, (xn, yn) in _linear_pairs(sp.Matrix(X), sp.Matrix(Y)):
            out += coeff * self.superoperator(xn, yn)
        return out

    def kernel_in_basis(self, kind: str) -> sp.ImmutableMatrix:
        r"""Kernel in the channel basis: :math:`\sum_{\rm mech}t^{[C]}\sum_{ij}C_{ij}\,S(M_i, M_j^\dagger)`
        (:math:`t^{[C]} = t` for the Cooperon, 1 for the Diffuson)."""
        _kind(kind)

        def build():
            K = sp.zeros(self.dimension ** 2)
            for m in self.mechanisms:
                sign = m.time_reversal if kind == "cooperon" else 1
                C = m.correlator
                for i, mi in enumerate(m.matrices):
                    for j, mj in enumerate(m.matrices):
                        if C[i, j] != 0:
                            K += sign * C[i, j] * self._linear_superoperator(mi, mj.H)
            return sp.ImmutableMatrix(K.applyfunc(sp.expand))
        return self._memo(("kernel_b", kind), build)

    def uniform_in_basis(self, kind: str) -> sp.ImmutableMatrix:
        r"""Uniform terms in the channel basis: Cooperon :math:`O\mapsto c_R\Omega O + c_A O\,U\Omega^*U^{-1}`,
        Diffuson :math:`O\mapsto c_R\Omega O + c_A O\Omega`."""
        _kind(kind)

        def build():
            n = self.dimension ** 2
            L = sp.zeros(n)
            if not self.uniform:
                return sp.ImmutableMatrix(L)
            _, c_R, c_A, _ = uniform_rung_coefficients()
            one = sp.eye(self.dimension)
            for u in self.uniform:
                om = u.matrix
                om_a = self.space.time_reverse(om) if kind == "cooperon" else om
                L += c_R * self._linear_superoperator(om, one) + c_A * self._linear_superoperator(one, om_a)
            return sp.ImmutableMatrix(L.applyfunc(sp.expand))
        return self._memo(("uniform_b", kind), build)

    def in_channel_basis(self, kind: str) -> tuple[sp.ImmutableMatrix, sp.ImmutableMatrix]:
        """``(H, W)`` in the channel basis (equal to :math:`B^\\dagger HB`, :math:`B^\\dagger WB` with the
        orthonormal basis B of :meth:`channel_basis`; tested)."""
        _kind(kind)

        def build():
            n = self.dimension ** 2
            H = self.decay_rate * sp.eye(n) - self.kernel_in_basis(kind) + self.uniform_in_basis(kind)
            if kind == "diffuson":
                W = sp.eye(n)
            else:
                B = self._basis_columns(kind)
                W = B.H * self.weight_operator(kind) * B / self.dimension
            return sp.ImmutableMatrix(H.applyfunc(sp.expand)), sp.ImmutableMatrix(W.applyfunc(sp.expand))
        return self._memo(("in_basis", kind), build)

    def blocks(self, kind: str) -> tuple[PairBlock, ...]:
        """Invariant blocks of H in the channel basis (connected components of its exact non-zero pattern)."""
        def build():
            H, W = self.in_channel_basis(kind)
            names = [n for n, _ in self.channel_basis(kind)]
            return tuple(PairBlock(tuple(names[i] for i in idx), tuple(idx), H.extract(idx, idx), W.extract(idx, idx))
                         for idx in _components(H))
        return self._memo(("blocks", kind), build)

    def spectrum(self, kind: str) -> PairSpectrum:
        r"""Closed-form channels: gaps and weights of every block (1x1, 2x2 symbolic; larger with numbers).

        Raises ``ValueError`` for a block larger than 2x2 with symbolic entries (no closed form: substitute
        numbers, or use the numeric routes of :mod:`mesocorr.integrals.matrix_functions`) and at an
        exceptional point of a block (two gaps coalesce, no eigenbasis).
        """
        _kind(kind)

        def build():
            chans = []
            for blk in self.blocks(kind):
                chans += _block_channels(blk)
            H, W = self.in_channel_basis(kind)
            return PairSpectrum(kind, tuple(chans), self.blocks(kind), self.channel_basis(kind), H, W)
        return self._memo(("spectrum", kind), build)


def _linear_pairs(X: sp.Matrix, Y: sp.Matrix):
    """Split X (x) Y into coefficient * (numeric X part, numeric Y part) terms when X and Y are linear in their
    symbols (the usual case: rates and field components); otherwise one term (1, (X, Y))."""
    def parts(M):
        syms = sorted(M.free_symbols, key=sp.default_sort_key)
        if not syms:
            return [(sp.Integer(1), M)]
        try:
            polys = [sp.Poly(x, *syms) if x != 0 else None for x in M]
        except sp.PolynomialError:
            return [(sp.Integer(1), M)]
        if any(p is not None and p.total_degree() > 1 for p in polys):
            return [(sp.Integer(1), M)]
        out = []
        for mono in [sp.Integer(1), *syms]:
            comp = sp.Matrix(M.rows, M.cols, [0 if p is None else
                                              (p.coeff_monomial(mono)) for p in polys])
            if comp != sp.zeros(M.rows, M.cols):
                out.append((mono, comp))
        return out
    return [(cx * cy, (mx, my)) for cx, mx in parts(X) for cy, my in parts(Y)]


def _components(H: sp.MatrixBase) -> list[list[int]]:
    """Connected components of the graph i ~ j when H[i, j] != 0 or H[j, i] != 0, in order of first index."""
    n = H.rows
    parent = list(range(n))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(n):
        for j in range(n):
            if i != j and H[i, j] != 0:
                parent[find(i)] = find(j)
    groups: dict = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])


def _embed(vector_in_block: sp.MatrixBase, indices, basis: sp.MatrixBase) -> sp.ImmutableMatrix:
    """A vector given on the block ``indices`` of the (orthonormal) channel basis, as a pair-space vector."""
    full = sp.zeros(basis.cols, 1)
    for k, i in enumerate(indices):
        full[i] = vector_in_block[k]
    return sp.ImmutableMatrix((basis * full).applyfunc(sp.expand))


def _block_channels(blk: PairBlock) -> list[PairChannel]:
    n = len(blk.indices)
    M, W = blk.H, blk.W
    if n == 1:
        return [PairChannel(blk.names[0], sp.expand(M[0, 0]), sp.expand(W[0, 0]), blk.names)]
    label = "~".join(blk.names)
    if n == 2:
        a, b, c, d = M[0, 0], M[0, 1], M[1, 0], M[1, 1]
        mu = sp.expand((a + d) / 2)
        disc = sp.expand(((a - d) / 2) ** 2 + b * c)
        if disc == 0:
            raise ValueError(f"kind: the block {blk.names} is defective at these parameters (exceptional point, "
                             "two gaps coalesce): use mesocorr.integrals.matrix_functions")
        s = sp.sqrt(disc)
        trw = sp.expand(W.trace())
        tw = sp.expand((W * (M - mu * sp.eye(2))).trace())
        # projector (M - lam_other)/(lam - lam_other): weight Tr[W P] = trW/2 + sign tW/(2 s)
        return [PairChannel(f"{label}{'-' if sign < 0 else '+'}", mu + sign * s, trw / 2 + sign * tw / (2 * s),
                            blk.names) for sign in (-1, 1)]
    if not all(x.is_number for x in M):
        raise ValueError(f"kind: the block {blk.names} is {n}x{n} with symbolic entries: no closed form; "
                         "substitute numbers or use mesocorr.integrals.matrix_functions")
    return _numeric_block_channels(blk, label)


#: digits of the numeric eigen-decomposition of blocks larger than 2x2 (mpmath; gaps returned as SymPy Floats)
NUMERIC_BLOCK_DIGITS = 30


def _numeric_block_channels(blk: PairBlock, label: str) -> list[PairChannel]:
    r"""Blocks larger than 2x2 with numeric entries: mpmath eigenvalues with left/right eigenvectors at
    :data:`NUMERIC_BLOCK_DIGITS` digits (+10 guard), weights :math:`\ell^TWr/\ell^Tr`; ``ValueError`` at an
    exceptional point (eigenvalue condition number above 1e12)."""
    import mpmath

    n = len(blk.indices)
    digits = NUMERIC_BLOCK_DIGITS
    with mpmath.workdps(digits + 10):
        def mp(x):
            re_, im_ = sp.N(x, digits + 15).as_real_imag()
            return mpmath.mpc(mpmath.mpf(str(re_)), mpmath.mpf(str(im_)))

        H = mpmath.matrix([[mp(blk.H[i, j]) for j in range(n)] for i in range(n)])
        W = mpmath.matrix([[mp(blk.W[i, j]) for j in range(n)] for i in range(n)])
        E, EL, ER = mpmath.eig(H, left=True, right=True)
        out = []
        order = sorted(range(n), key=lambda k: (float(mpmath.re(E[k])), float(mpmath.im(E[k]))))
        for rank, c in enumerate(order):
            num = mpmath.fsum(EL[c, i] * W[i, j] * ER[j, c] for i in range(n) for j in range(n))
            den = mpmath.fsum(EL[c, i] * ER[i, c] for i in range(n))
            nl = mpmath.sqrt(mpmath.fsum(abs(EL[c, i]) ** 2 for i in range(n)))
            nr = mpmath.sqrt(mpmath.fsum(abs(ER[i, c]) ** 2 for i in range(n)))
            if den == 0 or nl * nr / abs(den) > 1e12:
                raise ValueError(f"kind: the block {blk.names} is defective at these parameters (exceptional point): "
                                 "use mesocorr.integrals.matrix_functions")

            def num_sp(z):
                tiny = mpmath.mpf(10) ** (5 - digits) * max(abs(z), mpmath.norm(H))
                re_ = 0 if abs(mpmath.re(z)) < tiny else sp.Float(mpmath.nstr(mpmath.re(z), digits), digits)
                im_ = 0 if abs(mpmath.im(z)) < tiny else sp.Float(mpmath.nstr(mpmath.im(z), digits), digits)
                return re_ + sp.I * im_

            out.append(PairChannel(f"{label}[{rank}]", num_sp(E[c]), num_sp(num / den), blk.names))
    return out


# ============================================================================ spin 1/2
def spin_half_model(so=(0, 0, 0), mag=(0, 0, 0), zeeman=None, potential=None) -> InternalModel:
    r"""The spin-½ model: potential, spin-orbit (:math:`t=+1`) and magnetic (:math:`t=-1`) scattering, Zeeman.

    Parameters
    ----------
    so, mag : three rates each
        Component rates :math:`a_i = 1/\tau_{so}^i`, :math:`b_i = 1/\tau_m^i` (vertex :math:`\sigma_i`).
    zeeman : three rates, optional
        :math:`\boldsymbol\omega = g\mu_B\mathbf B/\hbar` (:func:`zeeman_term`).
    potential : rate, optional
        Potential scattering :math:`\gamma_0` (a symbol by default; it cancels from every gap).
    """
    space = InternalSpace(spin_half())
    g0 = sp.Symbol("gamma_0", positive=True) if potential is None else sympy_value("potential", potential)
    a, b = three_sympy_values("so", so), three_sympy_values("mag", mag)
    mechs = [DisorderMechanism("potential", sp.eye(2), g0, +1)]
    for i, ax in enumerate(SPIN_AXES):
        mechs.append(DisorderMechanism(f"spin-orbit_{ax}", PAULI[i], a[i], +1))
        mechs.append(DisorderMechanism(f"magnetic_{ax}", PAULI[i], b[i], -1))
    uni = () if zeeman is None else (zeeman_term(space, zeeman),)
    return InternalModel(space, mechs, uni)


@cache
def spin_half_symbolic() -> tuple:
    r"""The spin-½ model with symbolic rates (SymPy dummies), built once: ``(a, b, gamma_0, model)``.

    :func:`spin_half_channels` substitutes numbers or expressions into its (linear) gaps, so the
    diagonalisation is done once per process and is exact for all rates.
    """
    a = tuple(sp.Dummy(f"a_{x}", nonnegative=True) for x in SPIN_AXES)
    b = tuple(sp.Dummy(f"b_{x}", nonnegative=True) for x in SPIN_AXES)
    g0 = sp.Dummy("gamma_0", positive=True)
    return a, b, g0, spin_half_model(a, b, potential=g0)


def spin_half_channels(kind: str, so, mag, potential=None) -> list[PairChannel]:
    """Channels of the spin-½ model (no uniform terms) for component rates ``so``, ``mag`` (three each).

    >>> [(c.name, c.gap) for c in spin_half_channels("diffuson", (1, 0, 0), (0, 0, 0))]
    [('singlet', 0), ('triplet_x', 0), ('triplet_y', 2), ('triplet_z', 2)]
    """
    _kind(kind)
    a, b, g0, model = spin_half_symbolic()
    values = dict(zip(a, three_sympy_values("so", so)))
    values.update(zip(b, three_sympy_values("mag", mag)))
    values[g0] = sp.Symbol("gamma_0", positive=True) if potential is None else sympy_value("potential", potential)
    return [PairChannel(c.name, sp.expand(c.gap.xreplace(values)), c.weight, c.block)
            for c in model.spectrum(kind).channels]


# ============================================================================ linear forms (numeric paths)
def exact_complex(name: str, value) -> tuple:
    """An exact complex rational SymPy number as ``(Fraction re, Fraction im)``; ``ValueError`` otherwise."""
    from fractions import Fraction

    re_, im_ = sp.expand(sympy_value(name, value)).as_real_imag()     # a string is refused, never parsed
    if not (re_.is_Rational and im_.is_Rational):
        raise ValueError(f"{name}: {value} is not a complex rational (the linear form needs exact rationals)")
    return Fraction(int(re_.p), int(re_.q)), Fraction(int(im_.p), int(im_.q))


def _sparse(name: str, M: sp.MatrixBase) -> tuple:
    return tuple((i, j, *exact_complex(f"{name}[{i},{j}]", M[i, j]))
                 for i in range(M.rows) for j in range(M.cols) if M[i, j] != 0)


def two_box_partner(model: InternalModel, kind: str) -> sp.ImmutableMatrix:
    r"""Gap operator :math:`\tilde H` of the partner propagator in the two-box UCF loop, in the channel basis.

    The two Hikami boxes of the two-box diagram contract the second propagator with its particle indices
    exchanged and (Diffuson) its two lines swapped: :math:`\tilde H = XH^TX` (Diffuson) or :math:`XHX`
    (Cooperon) in pair space, :math:`X` the exchange (``docs/conventions.md``, "Which channels Zeeman
    touches"). For the spin-½ models :math:`\tilde H = H^\dagger` (tested).
    """
    _kind(kind)
    H = sp.Matrix(model.gap_operator(kind))
    X = sp.Matrix(exchange_operator(model.dimension))
    Ht = X * (H.T if kind == "diffuson" else H) * X
    B = sp.Matrix.hstack(*[v for _, v in model.channel_basis(kind)])
    return sp.ImmutableMatrix((B.H * Ht * B).applyfunc(sp.expand))


def linear_form(model: InternalModel, kind: str, parameters: dict, partner: bool = False) -> dict:
    r"""The gap operator in the channel basis as an exact linear form in ``parameters``, for the numeric paths.

    :math:`H = H_0 + \sum_p p\,G_p` with :math:`G_p = \partial H/\partial p`; ``parameters`` maps a name to the
    SymPy symbol the model was built with (a rate, a Zeeman component). Every entry must be a complex
    rational and :math:`H` linear in the parameters (``ValueError`` otherwise). The form is what
    :class:`mesocorr.integrals.gap_operators.LinearGapOperator` evaluates with numpy or mpmath, and what
    :data:`mesocorr.integrals.derived_constants.SPIN_HALF_GAP_OPERATORS` stores for spin ½ (a test
    re-derives it from this function).

    Returns
    -------
    dict
        ``kind``, ``channels`` (names of the channel basis), ``parameters`` (names, in order),
        ``constant``, ``generators`` (name -> sparse matrix), ``weight`` (:math:`W` in the channel basis) and,
        with ``partner``, ``partner_constant`` and ``partner_generators`` (the two-box partner
        :func:`two_box_partner`); a sparse matrix is a tuple of ``(i, j, re, im)`` with Fraction entries.
    """
    _kind(kind)
    if not isinstance(parameters, dict) or not all(isinstance(k, str) and isinstance(v, sp.Symbol)
                                                   for k, v in parameters.items()):
        raise TypeError("parameters: expected a dict name -> SymPy symbol")
    H, W = model.in_channel_basis(kind)
    syms = tuple(parameters.values())

    def split(M, what):
        zero = {p: 0 for p in syms}
        const = sp.Matrix(M).xreplace(zero).applyfunc(sp.expand)
        gens = {name: sp.Matrix(M).diff(p).applyfunc(sp.expand) for name, p in parameters.items()}
        rebuilt = (const + sum((p * gens[n] for n, p in parameters.items()), sp.zeros(*M.shape))).applyfunc(sp.expand)
        if rebuilt != sp.Matrix(M).applyfunc(sp.expand) or any(g.free_symbols for g in gens.values()) \
                or const.free_symbols:
            raise ValueError(f"parameters: the {what} is not linear in {', '.join(parameters)} with rational "
                             "coefficients (give every free symbol of the model as a parameter)")
        return _sparse("constant", const), {n: _sparse(n, g) for n, g in gens.items()}

    const, gens = split(H, "gap operator")
    out = {"kind": kind, "channels": tuple(n for n, _ in model.channel_basis(kind)),
           "parameters": tuple(parameters), "constant": const, "generators": gens, "weight": _sparse("weight", W)}
    if partner:
        out["partner_constant"], out["partner_generators"] = split(two_box_partner(model, kind), "partner")
    return out


@cache
def spin_half_linear_forms() -> dict:
    r"""The spin-½ gap operators (both kinds) as exact linear forms in :data:`SPIN_HALF_PARAMETERS`, with the
    two-box partners; the dephasing :math:`\phi` enters as :math:`\phi\,1`. Derived from the engine (the
    potential rate cancels; checked)."""
    a = tuple(sp.Symbol(f"a_{x}", real=True) for x in SPIN_AXES)
    b = tuple(sp.Symbol(f"b_{x}", real=True) for x in SPIN_AXES)
    w = tuple(sp.Symbol(f"omega_{x}", real=True) for x in SPIN_AXES)
    model = spin_half_model(a, b, zeeman=w)
    params = dict(zip(SPIN_HALF_PARAMETERS, (*a, *b, *w)))
    out = {}
    for kind in KINDS:
        form = linear_form(model, kind, params, partner=True)
        ident = tuple((i, i, *exact_complex("phi", 1)) for i in range(len(form["channels"])))
        form["parameters"] += ("phi",)
        form["generators"]["phi"] = ident
        form["partner_generators"]["phi"] = ident
        out[kind] = form
    return out
