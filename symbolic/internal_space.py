r"""Internal degrees of freedom of an electron: tensor factors, their matrices, time reversal, pair space.

The *internal space* of a disordered-conductor model is a tensor product of named factors (spin ½,
valley, sublattice, surface, ...), :math:`\mathcal H = \mathcal H_1\otimes\mathcal H_2\otimes\cdots`,
of dimension :math:`d = \prod_f d_f`. Each :class:`Factor` carries its *standard matrices* (for a
two-level factor the identity and the three Pauli matrices, labelled ``"0", "x", "y", "z"``) and its
default time-reversal matrix. An :class:`InternalSpace` builds product operators
(:meth:`InternalSpace.operator`, ``space.operator(spin="x", valley="z")`` is
:math:`\sigma_x\otimes\tau_z`, factors in the order given), the product basis of operators
(:meth:`InternalSpace.operator_basis`, orthogonal: :math:`\mathrm{Tr}\,O_a^\dagger O_b = d\,\delta_{ab}`)
and time reversal.

**Time reversal** is antiunitary, :math:`\Theta = U K` (:math:`K` complex conjugation in the basis of
the model), so an operator transforms as :math:`\Theta M\Theta^{-1} = U M^* U^{-1}`
(:meth:`InternalSpace.time_reverse`). Spin ½: :math:`U = i\sigma_y`, :math:`\Theta^2 = UU^* = -1`
(Kramers). The model chooses :math:`U`; by default it is the product of the factors' matrices
(:func:`spin_half`: :math:`i\sigma_y`; :func:`two_level`: the identity unless given, e.g. a valley
factor whose time reversal exchanges the valleys passes :math:`\tau_x`).

**Pair space** (two-particle states of a ladder) is :math:`\mathcal H\otimes\mathcal H`, vectors in
row-major ``vec`` order: the matrix :math:`\psi_{\alpha\beta}` is the vector with index
:math:`d\alpha+\beta` (:func:`vec`), so that :math:`\mathrm{vec}(A\psi B^T) = (A\otimes B)\,\mathrm{vec}\,\psi`.
:func:`exchange_operator` is :math:`P|\alpha\beta\rangle = |\beta\alpha\rangle`.

This module is pure algebra (an *ingredient*): it knows nothing of disorder, ladders or diagrams;
:mod:`mesocorr.diagrams.pair_kernel` builds the Cooperon and Diffuson from it. Conventions:
``docs/conventions.md`` ("Internal-space model API").

Examples
--------
>>> space = InternalSpace(spin_half(), valley())
>>> space.dimension, space.names
(4, ('spin', 'valley'))
>>> space.operator(spin="x", valley="z") == kron(PAULI[0], PAULI[2])
True
>>> space.time_reversal == kron(sp.I * PAULI[1], PAULI[0])
True
"""

from __future__ import annotations

import sympy as sp

from mesocorr.arguments import sympy_value

__all__ = ["PAULI", "PAULI_LABELS", "Factor", "spin_half", "two_level", "valley", "sublattice", "surface",
           "InternalSpace", "kron", "vec", "unvec", "exchange_operator", "pair_identity"]

#: Pauli matrices :math:`\sigma_x, \sigma_y, \sigma_z`
PAULI = (sp.ImmutableMatrix([[0, 1], [1, 0]]), sp.ImmutableMatrix([[0, -sp.I], [sp.I, 0]]),
         sp.ImmutableMatrix([[1, 0], [0, -1]]))
#: labels of the standard matrices of a two-level factor (identity, then the Pauli matrices)
PAULI_LABELS = ("0", "x", "y", "z")


def kron(*matrices) -> sp.ImmutableMatrix:
    """Kronecker product of SymPy matrices, left factor slowest (row-major): entry
    :math:`(i r_B + k, j c_B + l)` is :math:`A_{ij}B_{kl}`, built directly (the same entries as
    ``sympy.kronecker_product``, tests/test_dirac_derive_speed.py compares; several times faster on small
    matrices)."""
    out = sp.ImmutableMatrix(matrices[0])
    for m in matrices[1:]:
        a, b = out, sp.ImmutableMatrix(m)
        (ra, ca), (rb, cb) = a.shape, b.shape
        ea, eb = a.tolist(), b.tolist()
        out = sp.ImmutableMatrix(ra * rb, ca * cb, [ea[i][j] * eb[k][l] for i in range(ra) for k in range(rb)
                                                    for j in range(ca) for l in range(cb)])
    return out


def vec(matrix) -> sp.ImmutableMatrix:
    r"""Row-major ``vec``: the :math:`d\times d` matrix :math:`\psi` as a column of length :math:`d^2`,
    entry :math:`d\alpha+\beta` = :math:`\psi_{\alpha\beta}`."""
    m = sp.Matrix(matrix)
    return sp.ImmutableMatrix(m.rows * m.cols, 1, list(m))


def unvec(vector, d: int) -> sp.ImmutableMatrix:
    """Inverse of :func:`vec`: a column of length ``d**2`` as a ``d`` x ``d`` matrix."""
    v = list(sp.Matrix(vector))
    if len(v) != d * d:
        raise ValueError(f"vector: expected {d * d} entries for d = {d}, got {len(v)}")
    return sp.ImmutableMatrix(d, d, v)


def exchange_operator(d: int) -> sp.ImmutableMatrix:
    r"""Exchange :math:`P|\alpha\beta\rangle = |\beta\alpha\rangle` on :math:`\mathbb C^d\otimes\mathbb C^d`.

    >>> exchange_operator(2)
    Matrix([
    [1, 0, 0, 0],
    [0, 0, 1, 0],
    [0, 1, 0, 0],
    [0, 0, 0, 1]])
    """
    P = sp.zeros(d * d, d * d)
    for a in range(d):
        for b in range(d):
            P[d * b + a, d * a + b] = 1
    return sp.ImmutableMatrix(P)


def pair_identity(d: int) -> sp.ImmutableMatrix:
    """Identity on pair space (dimension ``d**2``)."""
    return sp.ImmutableMatrix(sp.eye(d * d))


def _matrix(name: str, value) -> sp.ImmutableMatrix:
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name}: expected a SymPy matrix, got a string (strings are never parsed)")
    if isinstance(value, sp.MatrixBase):
        m = value
    else:
        try:
            rows = [list(r) for r in value]
        except TypeError:
            raise TypeError(f"{name}: expected a square matrix, got {type(value).__name__}") from None
        m = sp.Matrix([[sympy_value(f"{name}[{i}][{j}]", x) for j, x in enumerate(r)] for i, r in enumerate(rows)])
    if m.rows != m.cols or m.rows == 0:
        raise ValueError(f"{name}: expected a square matrix, got shape {m.shape}")
    for x in m:
        sympy_value(name, x)
    return sp.ImmutableMatrix(m)


class Factor:
    r"""One tensor factor of the internal space.

    Stores only its arguments: ``name`` (e.g. ``"spin"``), ``matrices`` (label -> :math:`d_f\times d_f`
    SymPy matrix, the factor's standard matrices; the first must be the identity), ``time_reversal``
    (the matrix :math:`U_f` of :math:`\Theta_f = U_fK`) and ``symbol`` (LaTeX letter of the matrices).

    For the Cooperon and Diffuson channel names, ``channel_labels`` maps a matrix label to the name of
    the two-particle state built from it (spin ½: ``"0"`` -> ``"singlet"``, ``"x"`` -> ``"triplet_x"``);
    by default a label ``"z"`` of the factor ``"valley"`` is named ``"valley_z"``.
    """

    __slots__ = ("_args",)

    def __init__(self, name: str, matrices: dict, time_reversal=None, symbol: str = r"\sigma",
                 channel_labels: dict | None = None):
        if not isinstance(name, str) or not name.isidentifier():
            raise TypeError(f"name: expected a factor name (an identifier string), got {name!r}")
        if not isinstance(matrices, dict) or not matrices:
            raise TypeError("matrices: expected a dict label -> matrix")
        mats = {}
        for label, m in matrices.items():
            if not isinstance(label, str):
                raise TypeError(f"matrices: labels must be strings, got {label!r}")
            mats[label] = _matrix(f"matrices[{label!r}]", m)
        dims = {m.rows for m in mats.values()}
        if len(dims) != 1:
            raise ValueError(f"matrices: all matrices of factor {name!r} must have one dimension, got {sorted(dims)}")
        (dim,) = dims
        first = next(iter(mats.values()))
        if first != sp.eye(dim):
            raise ValueError(f"matrices: the first standard matrix of factor {name!r} must be the identity")
        U = sp.ImmutableMatrix(sp.eye(dim)) if time_reversal is None else _matrix("time_reversal", time_reversal)
        if U.rows != dim:
            raise ValueError(f"time_reversal: expected a {dim}x{dim} matrix for factor {name!r}")
        if (U * U.H).applyfunc(sp.simplify) != sp.eye(dim):
            raise ValueError(f"time_reversal: U must be unitary (U U^dagger = 1) for factor {name!r}")
        labels = {} if channel_labels is None else dict(channel_labels)
        if set(labels) - set(mats):
            raise ValueError(f"channel_labels: unknown labels {sorted(set(labels) - set(mats))}")
        for label in mats:
            labels.setdefault(label, f"{name}_{label}")
        if not isinstance(symbol, str):
            raise TypeError("symbol: expected a LaTeX string")
        self._args = (name, tuple(mats.items()), U, symbol, tuple(labels[k] for k in mats))

    name = property(lambda self: self._args[0], doc="factor name")
    matrices = property(lambda self: dict(self._args[1]), doc="label -> standard matrix")
    time_reversal = property(lambda self: self._args[2], doc="U of Theta = U K on this factor")
    symbol = property(lambda self: self._args[3], doc="LaTeX letter of the matrices")
    labels = property(lambda self: tuple(k for k, _ in self._args[1]), doc="labels of the standard matrices")
    channel_labels = property(lambda self: dict(zip(self.labels, self._args[4])),
                              doc="matrix label -> name of the pair state built from it")

    @property
    def dimension(self) -> int:
        return self._args[2].rows

    @property
    def args(self) -> tuple:
        return self._args

    def __eq__(self, other):
        return isinstance(other, Factor) and self._args == other._args

    def __hash__(self):
        return hash(self._args)

    def __repr__(self):
        return f"Factor({self.name!r}, dimension={self.dimension}, labels={self.labels})"

    def latex(self, label: str) -> str:
        """LaTeX of one standard matrix, e.g. ``\\sigma_x`` (``1`` for the identity)."""
        if label == self.labels[0]:
            return "1"
        return f"{self.symbol}_{label}"


def two_level(name: str, time_reversal=None, symbol: str = r"\tau", channel_labels: dict | None = None) -> Factor:
    r"""A two-level factor with the identity and the Pauli matrices (labels ``"0", "x", "y", "z"``).

    ``time_reversal`` is its :math:`U` (identity by default: a real basis).
    """
    return Factor(name, {"0": sp.eye(2), "x": PAULI[0], "y": PAULI[1], "z": PAULI[2]}, time_reversal,
                  symbol, channel_labels)


def spin_half() -> Factor:
    r"""Spin ½: Pauli matrices :math:`\sigma_i`, time reversal :math:`U = i\sigma_y` (:math:`\Theta^2=-1`).

    Pair states: ``"singlet"`` (built from the identity) and ``"triplet_x/y/z"`` (from :math:`\sigma_j`).
    """
    return two_level("spin", sp.I * PAULI[1], r"\sigma",
                     {"0": "singlet", "x": "triplet_x", "y": "triplet_y", "z": "triplet_z"})


def valley() -> Factor:
    r"""Two valleys :math:`K, K'` (Pauli matrices :math:`\tau_i`); time reversal exchanges them, :math:`U = \tau_x`."""
    return two_level("valley", PAULI[0], r"\tau")


def sublattice() -> Factor:
    r"""Two sublattices (Pauli matrices :math:`\Sigma_i`), :math:`U = 1` (override in the model if needed)."""
    return two_level("sublattice", None, r"\Sigma")


def surface() -> Factor:
    r"""Top/bottom surface of a thin topological-insulator film (Pauli matrices :math:`\rho_i`), :math:`U = 1`."""
    return two_level("surface", None, r"\rho")


class InternalSpace:
    r"""Tensor product of :class:`Factor` s, with the time reversal :math:`\Theta = UK` of the model.

    Parameters
    ----------
    *factors : Factor
        In tensor order (left factor slowest in every Kronecker product).
    time_reversal : SymPy matrix, optional
        :math:`U` on the whole space; default the Kronecker product of the factors' :math:`U_f`.
    """

    __slots__ = ("_args",)

    def __init__(self, *factors, time_reversal=None):
        if not factors or not all(isinstance(f, Factor) for f in factors):
            raise TypeError("factors: expected one or more Factor objects")
        names = [f.name for f in factors]
        if len(set(names)) != len(names):
            raise ValueError(f"factors: names must be distinct, got {names}")
        d = 1
        for f in factors:
            d *= f.dimension
        if time_reversal is None:
            U = kron(*[f.time_reversal for f in factors])
        else:
            U = _matrix("time_reversal", time_reversal)
            if U.rows != d:
                raise ValueError(f"time_reversal: expected a {d}x{d} matrix, got {U.shape}")
            if (U * U.H).applyfunc(sp.simplify) != sp.eye(d):
                raise ValueError("time_reversal: U must be unitary (U U^dagger = 1)")
        self._args = (tuple(factors), U)

    factors = property(lambda self: self._args[0], doc="the factors, in tensor order")
    time_reversal = property(lambda self: self._args[1], doc="U of Theta = U K")

    @property
    def args(self) -> tuple:
        return self._args

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.factors)

    @property
    def dimension(self) -> int:
        return self.time_reversal.rows

    def factor(self, name: str) -> Factor:
        for f in self.factors:
            if f.name == name:
                return f
        raise ValueError(f"factor: no factor named {name!r} (factors: {', '.join(self.names)})")

    def operator(self, **labels) -> sp.ImmutableMatrix:
        r"""Product of standard matrices, e.g. ``operator(spin="x", valley="z")`` = :math:`\sigma_x\otimes\tau_z`.

        Factors not named carry the identity.
        """
        unknown = set(labels) - set(self.names)
        if unknown:
            raise ValueError(f"labels: no factor named {sorted(unknown)} (factors: {', '.join(self.names)})")
        mats = []
        for f in self.factors:
            label = labels.get(f.name, f.labels[0])
            m = f.matrices.get(label) if isinstance(label, str) else None
            if m is None:
                raise ValueError(f"{f.name}: unknown matrix label {label!r} (labels: {', '.join(f.labels)})")
            mats.append(m)
        return kron(*mats)

    def embed(self, name: str, matrix) -> sp.ImmutableMatrix:
        """A matrix acting on factor ``name`` only (identity on the others)."""
        f = self.factor(name)
        m = _matrix("matrix", matrix)
        if m.rows != f.dimension:
            raise ValueError(f"matrix: expected {f.dimension}x{f.dimension} for factor {name!r}, got {m.shape}")
        return kron(*[m if g.name == name else sp.eye(g.dimension) for g in self.factors])

    def operator_basis(self) -> tuple[tuple[tuple[str, ...], sp.ImmutableMatrix], ...]:
        r"""All products of standard matrices, ``((labels, matrix), ...)``, first factor slowest.

        For Pauli-type factors the :math:`d^2` products are orthogonal,
        :math:`\mathrm{Tr}\,O_a^\dagger O_b = d\,\delta_{ab}` (checked by :meth:`check_operator_basis`).
        """
        combos = [((), sp.ImmutableMatrix([[1]]))]
        for f in self.factors:
            combos = [(labels + (k,), kron(m, fm)) for labels, m in combos for k, fm in f.matrices.items()]
        return tuple(combos)

    def check_operator_basis(self) -> bool:
        """True if the operator basis has d**2 elements, orthogonal with Tr(O_a^dagger O_b) = d delta_ab."""
        basis = [m for _, m in self.operator_basis()]
        d = self.dimension
        if len(basis) != d * d:
            return False
        for i, a in enumerate(basis):
            for j, b in enumerate(basis):
                if sp.simplify((a.H * b).trace() - (d if i == j else 0)) != 0:
                    return False
        return True

    def channel_name(self, labels: tuple[str, ...]) -> str:
        """Name of the pair state built from the product operator with these labels (joined by ``.``)."""
        names = [f.channel_labels[k] for f, k in zip(self.factors, labels)]
        return ".".join(names)

    def time_reverse(self, matrix) -> sp.ImmutableMatrix:
        r""":math:`\Theta M\Theta^{-1} = U M^* U^{-1}`."""
        m = _matrix("matrix", matrix)
        U = self.time_reversal
        return sp.ImmutableMatrix((U * m.conjugate() * U.H).applyfunc(sp.expand))

    @property
    def kramers(self) -> int:
        r""":math:`\Theta^2 = UU^* = \pm 1` (-1 for an odd number of spin-½ factors); 0 if neither."""
        sq = (self.time_reversal * self.time_reversal.conjugate()).applyfunc(sp.simplify)
        d = self.dimension
        if sq == sp.eye(d):
            return 1
        if sq == -sp.eye(d):
            return -1
        return 0

    def vertex_phase(self, matrix, parity: int) -> sp.Expr | None:
        r"""Unit phase :math:`\eta\in\{1, i\}` with :math:`\Theta(\eta M)\Theta^{-1} = t\,\eta M`, or ``None``.

        ``parity`` :math:`t = \pm1` is the time-reversal parity of a disorder mechanism. ``None`` if
        :math:`M` is not an eigen-operator of time reversal (a general matrix); the engine never needs
        the phase (it uses :math:`\Theta V\Theta^{-1} = tV` directly), it is reported for display.

        >>> s = InternalSpace(spin_half())
        >>> s.vertex_phase(PAULI[0], +1), s.vertex_phase(PAULI[0], -1), s.vertex_phase(sp.eye(2), +1)
        (I, 1, 1)
        """
        if parity not in (1, -1):
            raise ValueError(f"parity: must be +1 or -1, got {parity!r}")
        m = _matrix("matrix", matrix)
        for eta in (sp.Integer(1), sp.I):
            if (self.time_reverse(eta * m) - parity * eta * m).applyfunc(sp.expand) == sp.zeros(*m.shape):
                return eta
        return None

    def __eq__(self, other):
        return isinstance(other, InternalSpace) and self._args == other._args

    def __hash__(self):
        return hash(self._args)

    def __repr__(self):
        return f"InternalSpace({', '.join(self.names)}; dimension {self.dimension})"
