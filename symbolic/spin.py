r"""Two-particle spin kernel of the impurity ladders and its diagonalisation.

Each impurity vertex is :math:`V = u_0 + \sum_i u_i\sigma_i`. Three mechanisms contribute
(A&M ch. 6; HLN 1980):

* potential scattering, amplitude :math:`u_0` (real, rate :math:`\gamma_0`);
* spin-orbit scattering, :math:`V_{so} = i\lambda(\hat k\times\hat k')\cdot\sigma` — a
  *time-reversal even* operator whose coefficient is purely imaginary; component rate
  :math:`a_i = 1/\tau_{so}^i`;
* magnetic scattering, :math:`V_m = J\,\mathbf S\cdot\sigma` with a frozen classical spin —
  *time-reversal odd*, real coefficient; component rate :math:`b_i = 1/\tau_m^i`.

Cross terms between mechanisms average to zero, so each mechanism contributes
:math:`\langle |c|^2\rangle\,\sigma_i\otimes\sigma_i^{*}` to the Diffuson kernel (the advanced
line carries :math:`V^\dagger`) and :math:`\langle c^2\rangle\,\sigma_i\otimes\sigma_i` to the
Cooperon kernel (the advanced line carries the time-reversed vertex
:math:`V(-\mathbf k,-\mathbf k')`, the same matrix). With :math:`c = i\sqrt{a_i}` for spin-orbit
and :math:`c = \sqrt{b_i}` for magnetic scattering, :math:`\langle c^2\rangle = -a_i` and
:math:`+b_i`: this sign is the whole difference between the two mechanisms.

The single-particle decay rate (self-energy) is
:math:`1/\tau_e = \gamma_0 + \sum_i (a_i + b_i)`; the ladder sum turns a kernel eigenvalue
:math:`\lambda_c` into the relaxation gap :math:`\Gamma_c = 1/\tau_e - \lambda_c` of the
propagator :math:`1/(Dq^2 - i\omega + \Gamma_c)`.

Two-particle states are vectors in :math:`\mathbb C^2\otimes\mathbb C^2` (row-major
``vec``). For the Cooperon a state :math:`\psi_{\alpha\beta}` is written
:math:`\psi = M\,(i\sigma_y)`: :math:`M=1` is the singlet and :math:`M=\sigma_j` the triplet
with zero spin projection on axis :math:`j` (``triplet_j``). For the Diffuson the state is
the density matrix :math:`\rho = M`, the particle-hole partner of the same labels.

The vertices (phases solved from their time-reversal parity, rates, self-energy) come from
:class:`mesocorr.diagrams.impurity.ImpurityCorrelator`; this module only assembles and
diagonalises the two-particle kernel.

See ``docs/conventions.md`` (section "Spin channels").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import sympy as sp

from mesocorr.arguments import sympy_value

from mesocorr.diagrams.impurity import AXES, PAULI, ImpurityCorrelator
from mesocorr.symbolic.printing import latex

__all__ = ["PAULI", "spin_kernel", "decay_rate", "channel_basis", "exchange_operator",
           "diagonalise", "EigenChannel", "AXES"]

I2 = sp.eye(2)


def _kron(a: sp.Matrix, b: sp.Matrix) -> sp.Matrix:
    return sp.kronecker_product(a, b)


def decay_rate(potential, so, mag) -> sp.Expr:
    r"""Single-particle decay rate :math:`1/\tau_e = \gamma_0 + \sum_i(a_i+b_i)` from the self-energy.

    The self-energy is :math:`\sum \langle V V^\dagger\rangle = \gamma_0 + \sum_i\langle|c_i|^2\rangle\sigma_i^2`,
    proportional to the identity (see :class:`mesocorr.diagrams.impurity.ImpurityCorrelator`).
    """
    return sp.expand(ImpurityCorrelator(potential, so, mag).decay_rate)


def spin_kernel(kind: str, potential, so, mag) -> sp.Matrix:
    r"""The 4x4 impurity-line kernel (rates) acting on two-particle spin states.

    Built from the vertices of :class:`mesocorr.diagrams.impurity.ImpurityCorrelator`:
    Diffuson: :math:`K = \sum_v\langle|c_v|^2\rangle\,\Sigma_v\otimes\Sigma_v^*`
    (``vec`` of :math:`\rho\mapsto V\rho V^\dagger`).
    Cooperon: :math:`K = \sum_v\langle c_v^2\rangle\,\Sigma_v\otimes\Sigma_v`
    (``vec`` of :math:`\psi\mapsto V\psi V^T`).
    """
    K = sp.zeros(4, 4)
    for v in ImpurityCorrelator(potential, so, mag).vertices:
        s = v.matrix
        K += v.abs2 * _kron(s, s.conjugate()) if kind == "diffuson" else v.square * _kron(s, s)
    return K


def _vec(m: sp.Matrix) -> sp.Matrix:
    return sp.Matrix([m[0, 0], m[0, 1], m[1, 0], m[1, 1]])


def channel_basis(kind: str) -> dict[str, sp.Matrix]:
    """Normalised two-particle states: ``singlet`` and ``triplet_x/y/z`` (see module docstring)."""
    isy = sp.I * PAULI[1]
    mats = {"singlet": I2, **{f"triplet_{a}": PAULI[i] for i, a in enumerate(AXES)}}
    out = {}
    for name, M in mats.items():
        v = _vec(M * isy if kind == "cooperon" else M)
        out[name] = v / sp.sqrt((v.H * v)[0, 0])
    return out


def exchange_operator() -> sp.Matrix:
    r"""Exchange :math:`P|\alpha\beta\rangle = |\beta\alpha\rangle` on the product space."""
    P = sp.zeros(4, 4)
    for a in range(2):
        for b in range(2):
            P[2 * b + a, 2 * a + b] = 1
    return P


@dataclass(frozen=True)
class EigenChannel:
    """One eigen-channel of the kernel: its state, kernel eigenvalue, gap and exchange parity."""

    name: str
    state: sp.Matrix
    eigenvalue: sp.Expr
    gap: sp.Expr
    exchange_parity: sp.Expr

    def latex(self) -> str:
        r"""``\Gamma_{name} = gap`` with the exchange parity, by :func:`mesocorr.latex`."""
        label = "S" if self.name == "singlet" else "T_" + self.name[-1]
        return rf"\Gamma_{{{label}}} = {latex(self.gap)},\quad P = {latex(self.exchange_parity)}"

    def _repr_latex_(self) -> str:
        return f"${self.latex()}$"


def diagonalise(kind: str, so, mag, potential=None) -> list[EigenChannel]:
    r"""Diagonalise the spin kernel and return the channels with their gaps.

    The kernel commutes with the exchange operator :math:`P` (every term is
    :math:`\sigma_i\otimes\sigma_i`-like), so its eigenvectors can be chosen with definite
    exchange parity: the singlet (:math:`P=-1`) and the three Cartesian triplets
    (:math:`P=+1`). The Cartesian triplets diagonalise the :math:`P=+1` block because each
    :math:`\sigma_i\otimes\sigma_i` is diagonal in that basis. The function projects the kernel
    on this basis, verifies symbolically that each basis vector *is* an eigenvector
    (:math:`K v - \lambda v = 0`), and returns :math:`\Gamma = 1/\tau_e - \lambda`.

    The diagonalisation and its verification are done once per ``kind`` with *symbolic*
    rates (SymPy dummies, cached); the rates you pass are then substituted into the
    (linear) eigenvalues. The check is therefore exact for all rates, and floating-point
    inputs cannot spoil it.

    Parameters
    ----------
    kind : {"cooperon", "diffuson"}
    so, mag : sequence of three SymPy expressions
        Component rates :math:`a_i`, :math:`b_i`.
    potential : SymPy expression, optional
        Potential-scattering rate :math:`\gamma_0` (a symbol by default; it cancels from every gap).
    """
    if potential is None:
        potential = sp.Symbol("gamma_0", positive=True)
    a, b, g0, symbolic = _symbolic_channels(kind)
    so, mag = _three("so", so), _three("mag", mag)
    values = {sym: sympy_value(f"so[{i}]", v) for i, (sym, v) in enumerate(zip(a, so))}
    values.update({sym: sympy_value(f"mag[{i}]", v) for i, (sym, v) in enumerate(zip(b, mag))})
    values[g0] = sympy_value("potential", potential)
    return [EigenChannel(ch.name, ch.state, sp.expand(ch.eigenvalue.xreplace(values)),
                         sp.expand(ch.gap.xreplace(values)), ch.exchange_parity) for ch in symbolic]


def _three(name: str, rates) -> tuple:
    """Three component rates (a sequence of length 3; a string is not a sequence of rates)."""
    if isinstance(rates, (str, bytes)):
        raise TypeError(f"{name}: expected three component rates, got a string (strings are never parsed)")
    try:
        rates = tuple(rates)
    except TypeError:
        raise TypeError(f"{name}: expected three component rates, got {type(rates).__name__}") from None
    if len(rates) != 3:
        raise ValueError(f"{name}: need three Cartesian component rates, got {len(rates)}")
    return rates


@cache
def _symbolic_channels(kind: str):
    """Diagonalise the kernel for symbolic rates; returns (a, b, gamma_0, channels)."""
    a = tuple(sp.Dummy(f"a_{x}", nonnegative=True) for x in AXES)
    b = tuple(sp.Dummy(f"b_{x}", nonnegative=True) for x in AXES)
    g0 = sp.Dummy("gamma_0", positive=True)
    K = spin_kernel(kind, g0, a, b)
    rate = decay_rate(g0, a, b)
    P = exchange_operator()
    out = []
    for name, v in channel_basis(kind).items():
        lam = sp.expand((v.H * K * v)[0, 0])
        residual = (K * v - lam * v).applyfunc(sp.expand)
        if residual != sp.zeros(4, 1):
            raise ArithmeticError(f"{name} is not an eigenvector of the {kind} kernel: {residual.T}")
        parity = sp.expand((v.H * P * v)[0, 0])
        out.append(EigenChannel(name, v, lam, sp.expand(rate - lam), parity))
    return a, b, g0, tuple(out)
