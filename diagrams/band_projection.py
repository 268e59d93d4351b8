r"""Band projection of Dirac-cone disorder vertices and the angular-harmonic reduction of the ladders.

A Dirac material at a Fermi energy :math:`E_F` in the conduction band has, at each momentum direction
:math:`\theta`, a few degenerate band states :math:`|\alpha,\mathbf k\rangle` (one per valley or surface) in a
larger orbital space (sublattice, spin). Disorder :math:`V = \sum_i c_i(\mathbf r)M_i` (Hermitian :math:`M_i`,
real random fields, :math:`\langle c_ic_j\rangle = C_{ij}` white noise, rates as in
:mod:`mesocorr.diagrams.pair_kernel`) scatters between band states with the *projected vertex*

.. math:: V^{(i)}_{\alpha\beta}(\theta,\theta') = \langle\alpha,\mathbf k|M_i|\beta,\mathbf k'\rangle,

which depends on the directions: the orbital part of the band state is slaved to :math:`\hat{\mathbf k}`
(pseudospin–momentum locking). This is where the Berry phase comes from.

**Ladders.** With :math:`z = e^{i\theta}`, :math:`w = e^{i\theta'}` the projected vertices are Laurent
polynomials. The Cooperon rung (advanced line at :math:`-\mathbf k`, visited in the same order,
:math:`c_i(-\mathbf q) = c_i(\mathbf q)^*`) and the Diffuson rung are

.. math:: R_C = \sum_{ij}C_{ij}\,V^{(i)}(z,w)\otimes V^{(j)}(-z,-w),\qquad
          R_D = \sum_{ij}C_{ij}\,V^{(i)}(z,w)\otimes V^{(j)}(z,w)^*,

on the pair space of band states (row-major ``vec``, as in the engine). The coefficient of
:math:`z^{-m}w^{n}` is the harmonic block :math:`R_{(m,\cdot),(n,\cdot)}`; the ladder
:math:`\Gamma = R + \tau R\Gamma` with :math:`\int d\theta'/2\pi` is a matrix product over harmonic labels. The
self-energy rate is the :math:`w^0` coefficient of :math:`\sum C_{ij}V^{(i)}V^{(j)\dagger}`; it must be
:math:`(1/\tau)\,1` independent of :math:`\theta` (checked).

**Soft sector.** Each pair state :math:`(\alpha\beta)` is given one harmonic :math:`n_{\alpha\beta}` (the one in
which the potential scattering is strongest, :func:`dominant_harmonics`, or chosen by the preset); the chosen
set must be closed under :math:`R` (checked: no rung leads out of it). On it the gap operator is
:math:`H = (1/\tau)1 - R_{\rm soft}`, an ordinary pair-space operator, handed to the engine
(:class:`ProjectedModel`, a :class:`mesocorr.diagrams.pair_kernel.InternalModel` whose kernels come from the
projection). The back-scattering contraction :math:`\Gamma(\theta,\theta+\pi)` of a state of harmonic
:math:`n` carries :math:`e^{in\pi}`: the Berry-phase sign operator is :math:`\mathcal S = \mathrm{diag}((-1)^{n})`
(Cooperon). Weights are then those of the engine, :math:`W = \mathcal SP/N`, with :math:`N` the number of
band states (the soft-sector normalisation: a gapless sector carries the universal weight of its symmetry
class); the single cone's bare and dressed Hikami boxes, and their :math:`a` dependence for a massive cone, are
derived in :func:`mesocorr.diagrams.dirac_models.hikami_weights`.

**Time reversal** of the projected states, :math:`\Theta|\alpha,\mathbf k\rangle = \sum_\beta|\beta,-\mathbf
k\rangle U_{\beta\alpha}\times(\text{phase})`, is computed (:func:`projected_time_reversal`) and fixes the
channel basis (singlet/triplet names) of the projected space.

References
----------
.. [MKF06] E. McCann, K. Kechedzhi, V. I. Fal'ko, H. Suzuura, T. Ando, B. L. Altshuler, Phys. Rev. Lett. 97,
   146805 (2006).
.. [SA02] H. Suzuura, T. Ando, Phys. Rev. Lett. 89, 266603 (2002).
.. [LSS11] H.-Z. Lu, J. Shi, S.-Q. Shen, Phys. Rev. Lett. 107, 076801 (2011); H.-Z. Lu, S.-Q. Shen, Phys. Rev. B
   84, 125138 (2011).
"""

from __future__ import annotations

import sympy as sp

from mesocorr.arguments import integer, sympy_value
from mesocorr.diagrams.pair_kernel import DisorderMechanism, InternalModel, KINDS, square_matrix
from mesocorr.symbolic.internal_space import InternalSpace, kron
from mesocorr.symbolic.memo import simplify

__all__ = ["Z", "W", "cone_state", "laurent_terms", "BandProjection", "ProjectedModel", "dominant_harmonics",
           "projected_time_reversal"]

#: :math:`z = e^{i\theta}` (incoming direction), :math:`w = e^{i\theta'}` (outgoing direction); unit modulus
Z, W = sp.symbols("z w")


def _conj(expr):
    """Complex conjugate of a Laurent polynomial in z, w whose symbols are real (|z| = |w| = 1): i -> -i,
    z -> 1/z, w -> 1/w."""
    return sp.sympify(expr, strict=True).xreplace({sp.I: -sp.I, Z: 1 / Z, W: 1 / W})


def cone_state(chirality: int, mass_ratio=0, direction=Z) -> sp.ImmutableMatrix:
    r"""Conduction-band spinor of :math:`H = v(\chi\sigma_xk_x + \sigma_yk_y) + m\sigma_z` at :math:`E_F > 0`.

    ``chirality`` :math:`\chi=\pm1`, ``mass_ratio`` :math:`a = m/E_F\in[0,1]`, ``direction`` the symbol
    :math:`e^{i\theta}`: :math:`(c,\ s\,e^{i\chi\theta})`, :math:`c = \sqrt{(1+a)/2}`, :math:`s = \sqrt{(1-a)/2}`
    (:math:`\chi=-1`: :math:`(c, -s\,e^{-i\theta})`).

    >>> cone_state(1).T
    Matrix([[sqrt(2)/2, sqrt(2)*z/2]])
    """
    if chirality not in (1, -1) or isinstance(chirality, bool):
        raise ValueError(f"chirality: must be +1 or -1, got {chirality!r}")
    a = sp.sympify(mass_ratio) if isinstance(mass_ratio, (int, sp.Basic)) else sp.nsimplify(mass_ratio)
    if a.is_number and not (0 <= a <= 1):
        raise ValueError(f"mass_ratio: a = m/E_F must lie in [0, 1], got {a}")
    c, s = sp.sqrt((1 + a) / 2), sp.sqrt((1 - a) / 2)
    second = s * direction if chirality == 1 else -s / direction
    return sp.ImmutableMatrix([c, second])


def laurent_terms(expr) -> dict:
    """{(p, q): coefficient} of a Laurent polynomial in z, w (z^p w^q)."""
    expr = sp.expand(expr)
    if expr == 0:
        return {}
    out: dict = {}
    for term in sp.Add.make_args(expr):
        coeff, p, q = sp.Integer(1), 0, 0
        for f in sp.Mul.make_args(term):
            base, ex = f.as_base_exp()
            if base == Z and ex.is_Integer:
                p += int(ex)
            elif base == W and ex.is_Integer:
                q += int(ex)
            else:
                if f.has(Z) or f.has(W):
                    raise ValueError(f"vertex: {expr} is not a Laurent polynomial in the directions")
                coeff *= f
        out[(p, q)] = sp.expand(out.get((p, q), 0) + coeff)
    return {k: v for k, v in out.items() if v != 0}


#: per-process memos of :class:`BandProjection` (bounded: cleared when full)
_PROJECTIONS: dict = {}
_VERTICES: dict = {}
_MEMO_SIZE = 256


def _process_memo(table: dict, key) -> dict:
    """The memo dict of ``key`` in ``table`` (a new one if absent; the table is emptied when it is full)."""
    if key not in table and len(table) >= _MEMO_SIZE:
        table.clear()
    return table.setdefault(key, {})


class BandProjection:
    r"""Disorder projected onto degenerate band states; angular harmonics of the rungs.

    Parameters
    ----------
    space : InternalSpace
        The orbital space (e.g. valley ⊗ sublattice), with its time reversal.
    states : sequence of (name, column)
        The band states at direction :math:`z = e^{i\theta}` (columns in ``space``, functions of :data:`Z`),
        orthonormal at every :math:`\theta`.
    mechanisms : sequence of DisorderMechanism
        On ``space`` (Hermitian vertex matrices with real random coefficients).
    """

    def __init__(self, space: InternalSpace, states, mechanisms):
        if not isinstance(space, InternalSpace):
            raise TypeError(f"space: expected an InternalSpace, got {type(space).__name__}")
        self.space = space
        self.names = tuple(n for n, _ in states)
        self.S = sp.ImmutableMatrix(sp.Matrix.hstack(*[sp.Matrix(v) for _, v in states]))
        if self.S.rows != space.dimension:
            raise ValueError(f"states: columns must have dimension {space.dimension}")
        gram = (self._dagger(self.S) * self.S).applyfunc(simplify)
        if gram != sp.eye(self.S.cols):
            raise ValueError("states: the band states must be orthonormal at every direction")
        self.mechanisms = tuple(mechanisms)
        for m in self.mechanisms:
            if not isinstance(m, DisorderMechanism) or m.dimension != space.dimension:
                raise TypeError("mechanisms: expected DisorderMechanism objects on the orbital space")
        # results are memoised per process: the rungs and the self-energy by (band states, mechanisms), the
        # projected vertices by band states (shared by projections with other mechanisms, e.g. with_mechanisms)
        mech_key = tuple((m.name, m.matrices, m.correlator, m.time_reversal) for m in self.mechanisms)
        self._memo: dict = _process_memo(_PROJECTIONS, (self.S, mech_key))
        self._vertices: dict = _process_memo(_VERTICES, self.S)

    def with_mechanisms(self, mechanisms) -> BandProjection:
        """The same band states with other disorder mechanisms."""
        return BandProjection(self.space, [(n, self.S[:, i]) for i, n in enumerate(self.names)], mechanisms)

    @property
    def dimension(self) -> int:
        """Number of band states (dimension of the projected space)."""
        return self.S.cols

    @staticmethod
    def _dagger(M):
        return sp.Matrix(M).T.applyfunc(_conj)

    def _at(self, M, direction):
        """``M`` with :data:`Z` replaced by ``direction`` (one symbol by an expression: ``xreplace`` suffices)."""
        return sp.Matrix(M).xreplace({Z: direction})

    def vertex(self, matrix, flip: bool = False) -> sp.ImmutableMatrix:
        r""":math:`\langle\alpha,\mathbf k|M|\beta,\mathbf k'\rangle` with :math:`z, w` (``flip``: at :math:`-\mathbf k,-\mathbf k'`)."""
        matrix = sp.ImmutableMatrix(matrix)
        key = (matrix, bool(flip))
        if key not in self._vertices:
            if ("bra", flip) not in self._memo:
                self._memo[("bra", flip)] = self._dagger(self._at(self.S, -Z if flip else Z))
                self._memo[("ket", flip)] = self._at(self.S, -W if flip else W)
            bra, ket = self._memo[("bra", flip)], self._memo[("ket", flip)]
            self._vertices[key] = sp.ImmutableMatrix((bra * sp.Matrix(matrix) * ket).applyfunc(sp.expand))
        return self._vertices[key]

    def self_energy(self) -> sp.ImmutableMatrix:
        r"""Born rate matrix :math:`\int\frac{d\theta'}{2\pi}\sum C_{ij}V^{(i)}V^{(j)\dagger}` (must be constant)."""
        if "self" not in self._memo:
            d = self.dimension
            total = sp.zeros(d, d)
            for m in self.mechanisms:
                vs = [self.vertex(M) for M in m.matrices]
                for i, vi in enumerate(vs):
                    for j, vj in enumerate(vs):
                        c = m.correlator[i, j]
                        if c != 0:
                            total += c * vi * sp.Matrix(vj).T.applyfunc(_conj)
            avg = total.applyfunc(lambda x: laurent_terms(x).get((0, 0), sp.Integer(0)))
            rest = (total.applyfunc(sp.expand) - avg).applyfunc(
                lambda x: sum((v * Z ** p for (p, q), v in laurent_terms(x).items() if q == 0 and p != 0),
                              sp.Integer(0)))
            if rest != sp.zeros(d, d):
                raise ValueError("mechanisms: the projected self-energy depends on the direction (anisotropic)")
            self._memo["self"] = sp.ImmutableMatrix(avg.applyfunc(simplify))
        return self._memo["self"]

    @property
    def decay_rate(self) -> sp.Expr:
        r""":math:`1/\tau` of the band states; ``ValueError`` if the self-energy is not proportional to 1."""
        s = self.self_energy()
        rate = s[0, 0]
        if (s - rate * sp.eye(self.dimension)).applyfunc(simplify) != sp.zeros(self.dimension):
            raise ValueError("mechanisms: the projected self-energy is not proportional to the identity")
        return rate

    def rung(self, kind: str) -> dict:
        r"""Harmonic blocks of the rung: ``{(m, n): pair-space matrix}`` (coefficient of :math:`z^{-m}w^n`)."""
        if kind not in KINDS:
            raise ValueError(f"kind: must be 'cooperon' or 'diffuson', got {kind!r}")
        if ("rung", kind) in self._memo:
            return self._memo[("rung", kind)]
        d = self.dimension
        total = sp.zeros(d * d, d * d)
        for m in self.mechanisms:
            vs = [self.vertex(M) for M in m.matrices]
            other = [self.vertex(M, flip=True) for M in m.matrices] if kind == "cooperon" else \
                [sp.Matrix(v).applyfunc(_conj) for v in vs]
            for i, vi in enumerate(vs):
                for j, vj in enumerate(other):
                    c = m.correlator[i, j]
                    if c != 0:
                        total += c * kron(vi, vj)
        blocks: dict = {}
        for r in range(d * d):
            for col in range(d * d):
                for (p, q), v in laurent_terms(total[r, col]).items():
                    blk = blocks.setdefault((-p, q), sp.zeros(d * d, d * d))
                    blk[r, col] += v
        out = {k: sp.ImmutableMatrix(v.applyfunc(simplify)) for k, v in blocks.items()}
        out = {k: v for k, v in out.items() if v != sp.zeros(d * d, d * d)}
        self._memo[("rung", kind)] = out
        return out

    def soft_kernel(self, kind: str, harmonics) -> sp.ImmutableMatrix:
        r"""The rung on the soft sector: pair state :math:`i` taken in harmonic ``harmonics[i]``.

        ``ValueError`` if a rung leads from the sector to a harmonic outside it (the sector is not closed).
        Each entry is one entry of one harmonic block of :meth:`rung` (the block :math:`(m, n)` is fixed by the
        harmonics of the row and the column), already in ``simplify``'s form, so it is not simplified again
        (``tests/test_dirac_derive_speed.py`` compares with the simplified matrix).
        """
        d2 = self.dimension ** 2
        harmonics = tuple(int(n) for n in harmonics)
        if len(harmonics) != d2:
            raise ValueError(f"harmonics: need one harmonic per pair state ({d2}), got {len(harmonics)}")
        K = sp.zeros(d2, d2)
        for (m, n), blk in self.rung(kind).items():
            for i in range(d2):
                for j in range(d2):
                    if blk[i, j] == 0:
                        continue
                    inside_i, inside_j = harmonics[i] == m, harmonics[j] == n
                    if inside_i and inside_j:
                        K[i, j] += blk[i, j]
                    elif inside_i or inside_j:
                        raise ValueError(f"harmonics: the {kind} sector {harmonics} is not closed: the rung couples "
                                         f"pair state {i} (harmonic {m}) to pair state {j} (harmonic {n})")
        return sp.ImmutableMatrix(K)


def _reference_size(x) -> float:
    """|x| with every rate symbol set to 1 (the harmonics of one mechanism scale with its one rate)."""
    v = sp.N(abs(x.subs({s: 1 for s in x.free_symbols})))
    if not v.is_number:
        raise ValueError(f"harmonics: cannot compare rung harmonics {x} (give the harmonics explicitly)")
    return float(v)


def dominant_harmonics(projection: BandProjection, kind: str) -> tuple:
    r"""Per pair state, the harmonic :math:`n` with the largest rung (its row, diagonal harmonic blocks) of the first mechanism that
    reaches it (mechanisms in the order given: the potential scattering that sets :math:`\tau` first): the
    soft harmonic of a Berry-phase-dressed ladder."""
    d2 = projection.dimension ** 2
    best: list = [None] * d2
    for mech in projection.mechanisms:
        rung = projection.with_mechanisms([mech]).rung(kind)
        for i in range(d2):
            if best[i] is not None:
                continue
            cands = [(max(_reference_size(x) for x in blk.row(i) if x != 0), m) for (m, n), blk in rung.items()
                     if m == n and any(x != 0 for x in blk.row(i))]
            if cands:
                best[i] = max(cands)[1]
    # a pair state no rung reaches decays at 1/tau in every harmonic (not soft): harmonic 0
    return tuple(0 if n is None else n for n in best)


def projected_time_reversal(projection: BandProjection) -> sp.ImmutableMatrix:
    r""":math:`U_{\beta\alpha} = \langle\beta,-\mathbf k|\Theta|\alpha,\mathbf k\rangle` (direction phases removed).

    ``ValueError`` if the phase is not one common monomial (no k-independent projected time reversal).
    """
    U = projection.space.time_reversal
    S = projection.S
    image = (sp.Matrix(U) * sp.Matrix(S).applyfunc(_conj))
    target = sp.Matrix(S).xreplace({Z: -Z})
    M = (BandProjection._dagger(target) * image).applyfunc(sp.expand)
    phases = set()
    out = sp.zeros(*M.shape)
    for i in range(M.rows):
        for j in range(M.cols):
            terms = laurent_terms(M[i, j])
            if len(terms) > 1:
                raise ValueError("projection: time reversal does not map band states to band states at -k")
            for (p, _q), v in terms.items():
                phases.add(p)
                out[i, j] = v
    if len(phases) > 1:
        raise ValueError("projection: the time-reversal phase differs between band states")
    return sp.ImmutableMatrix(out.applyfunc(simplify))


class ProjectedModel(InternalModel):
    r"""An engine model whose kernels are the soft-sector rungs of a :class:`BandProjection`.

    Parameters
    ----------
    space : InternalSpace
        The projected space (one factor per band-state label set), with the projected time reversal.
    decay_rate : SymPy expression
        :math:`1/\tau` of the band states.
    kernels : dict
        ``{"cooperon": K_C, "diffuson": K_D}``, pair-space matrices (``vec`` basis, rates).
    backscattering_sign : SymPy matrix
        :math:`\mathcal S = \mathrm{diag}((-1)^{n})` from the Cooperon harmonics.
    dephasing : SymPy matrix, optional
        Extra pair-space gap term (rates), e.g. surface-dependent dephasing.
    degeneracy : int, optional
        :math:`N` (default the projected dimension).
    """

    __slots__ = ("_projected",)

    def __init__(self, space: InternalSpace, decay_rate, kernels: dict, backscattering_sign, dephasing=None,
                 degeneracy=None):
        if not isinstance(space, InternalSpace):
            raise TypeError(f"space: expected an InternalSpace, got {type(space).__name__}")
        d = space.dimension
        N = sp.Integer(d if degeneracy is None else integer("degeneracy", degeneracy, minimum=1))
        self._args = (space, (), (), square_matrix("backscattering_sign", backscattering_sign, d * d), N)
        self._cache = {}
        extra = sp.zeros(d * d, d * d) if dephasing is None else square_matrix("dephasing", dephasing, d * d)
        if not isinstance(kernels, dict):
            raise TypeError(f"kernels: expected a dict {{'cooperon': K_C, 'diffuson': K_D}}, got {type(kernels).__name__}")
        self._projected = (sympy_value("decay_rate", decay_rate),
                           {k: square_matrix(f"kernels[{k!r}]", kernels[k], d * d) for k in KINDS},
                           sp.ImmutableMatrix(extra))

    def __repr__(self):
        return f"ProjectedModel({self.space!r})"

    def __eq__(self, other):
        return isinstance(other, ProjectedModel) and self._args == other._args and self._projected == other._projected

    def __hash__(self):
        return hash((self._args, self._projected[0]))

    @property
    def decay_rate(self) -> sp.Expr:
        return self._projected[0]

    def self_energy(self) -> sp.ImmutableMatrix:
        return sp.ImmutableMatrix(self.decay_rate * sp.eye(self.dimension))

    def kernel(self, kind: str) -> sp.ImmutableMatrix:
        """Soft-sector rung minus the extra gap term (``vec`` basis, rates)."""
        if kind not in KINDS:
            raise ValueError(f"kind: must be 'cooperon' or 'diffuson', got {kind!r}")
        return sp.ImmutableMatrix((self._projected[1][kind] - self._projected[2]).applyfunc(sp.expand))

    def kernel_in_basis(self, kind: str) -> sp.ImmutableMatrix:
        def build():
            B = self._basis_columns(kind)
            return sp.ImmutableMatrix((B.H * self.kernel(kind) * B / self.dimension).applyfunc(sp.expand))
        return self._memo(("kernel_b", kind), build)

