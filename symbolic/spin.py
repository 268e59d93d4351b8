r"""Two-particle spin kernel of the impurity ladders and its diagonalisation (spin ½, from the engine).

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

Everything here is the spin-½ case of the general engine :mod:`mesocorr.diagrams.pair_kernel`
(:func:`~mesocorr.diagrams.pair_kernel.spin_half_model`: the Cooperon kernel
:math:`t\,(1\otimes U)K_D(1\otimes U^{-1})` with :math:`U = i\sigma_y` reproduces
:math:`\langle c^2\rangle\sigma_i\otimes\sigma_i`; the channel basis, the exact block
decomposition and the weights come from there). The diagonalisation is done once per ``kind`` with
symbolic rates (SymPy dummies, cached); the rates you pass are then substituted into the (linear) gaps.

See ``docs/conventions.md`` (sections "Spin channels" and "Internal-space model API").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import sympy as sp

from mesocorr.arguments import sympy_value, three_sympy_values
from mesocorr.diagrams.pair_kernel import spin_half_model, spin_half_symbolic
from mesocorr.symbolic.internal_space import PAULI
from mesocorr.symbolic.internal_space import exchange_operator as _pair_exchange
from mesocorr.symbolic.printing import latex

__all__ = ["PAULI", "spin_kernel", "decay_rate", "channel_basis", "exchange_operator",
           "diagonalise", "EigenChannel", "AXES"]

AXES = ("x", "y", "z")


def decay_rate(potential, so, mag) -> sp.Expr:
    r"""Single-particle decay rate :math:`1/\tau_e = \gamma_0 + \sum_i(a_i+b_i)` from the self-energy.

    The self-energy is :math:`\sum \langle V V^\dagger\rangle = \gamma_0 + \sum_i\langle|c_i|^2\rangle\sigma_i^2`,
    proportional to the identity (checked by :class:`mesocorr.diagrams.pair_kernel.InternalModel`).
    """
    model = spin_half_model(three_sympy_values("so", so), three_sympy_values("mag", mag), potential=sympy_value("potential", potential))
    return sp.expand(model.decay_rate)


def spin_kernel(kind: str, potential, so, mag) -> sp.Matrix:
    r"""The 4x4 impurity-line kernel (rates) acting on two-particle spin states (product basis).

    Diffuson: :math:`K = \sum_v\langle|c_v|^2\rangle\,\Sigma_v\otimes\Sigma_v^*`
    (``vec`` of :math:`\rho\mapsto V\rho V^\dagger`).
    Cooperon: :math:`K = \sum_v\langle c_v^2\rangle\,\Sigma_v\otimes\Sigma_v`
    (``vec`` of :math:`\psi\mapsto V\psi V^T`), from :math:`t\,(1\otimes U)K_D(1\otimes U^{-1})`.
    """
    if kind not in ("cooperon", "diffuson"):
        raise ValueError(f"kind: must be 'cooperon' or 'diffuson', got {kind!r}")
    model = spin_half_model(three_sympy_values("so", so), three_sympy_values("mag", mag), potential=sympy_value("potential", potential))
    return sp.Matrix(model.kernel(kind))


def channel_basis(kind: str) -> dict[str, sp.Matrix]:
    """Normalised two-particle states: ``singlet`` and ``triplet_x/y/z`` (see module docstring)."""
    if kind not in ("cooperon", "diffuson"):
        raise ValueError(f"kind: must be 'cooperon' or 'diffuson', got {kind!r}")
    return {name: sp.Matrix(v) for name, v in _symbolic_model().channel_basis(kind)}


def exchange_operator() -> sp.Matrix:
    r"""Exchange :math:`P|\alpha\beta\rangle = |\beta\alpha\rangle` on the product space."""
    return sp.Matrix(_pair_exchange(2))


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

    The engine writes the kernel in the channel basis (singlet :math:`\mathrm{vec}(i\sigma_y)/\sqrt2`,
    triplets :math:`\mathrm{vec}(\sigma_j i\sigma_y)/\sqrt2`, orthonormal), where every mechanism acts as
    :math:`M\mapsto t\,\sigma_iM\sigma_i`: the matrix is exactly diagonal (four 1x1 blocks, the zero
    pattern decided by exact arithmetic), so each basis vector *is* an eigenvector, with eigenvalue
    :math:`\lambda_c` and gap :math:`\Gamma = 1/\tau_e - \lambda`. The exchange parity is
    :math:`\langle c|P|c\rangle` (singlet :math:`-1`, triplets :math:`+1`).

    The diagonalisation is done once per ``kind`` with *symbolic* rates (SymPy dummies, cached); the
    rates you pass are then substituted into the (linear) eigenvalues. The result is therefore exact
    for all rates, and floating-point inputs cannot spoil it.

    Parameters
    ----------
    kind : {"cooperon", "diffuson"}
    so, mag : sequence of three SymPy expressions
        Component rates :math:`a_i`, :math:`b_i`.
    potential : SymPy expression, optional
        Potential-scattering rate :math:`\gamma_0` (a symbol by default; it cancels from every gap).
    """
    if kind not in ("cooperon", "diffuson"):
        raise ValueError(f"kind: must be 'cooperon' or 'diffuson', got {kind!r}")
    if potential is None:
        potential = sp.Symbol("gamma_0", positive=True)
    a, b, g0, symbolic = _symbolic_channels(kind)
    so, mag = three_sympy_values("so", so), three_sympy_values("mag", mag)
    values = {sym: sympy_value(f"so[{i}]", v) for i, (sym, v) in enumerate(zip(a, so))}
    values.update({sym: sympy_value(f"mag[{i}]", v) for i, (sym, v) in enumerate(zip(b, mag))})
    values[g0] = sympy_value("potential", potential)
    return [EigenChannel(ch.name, ch.state, sp.expand(ch.eigenvalue.xreplace(values)),
                         sp.expand(ch.gap.xreplace(values)), ch.exchange_parity) for ch in symbolic]


def _symbolic_model():
    return spin_half_symbolic()[3]


@cache
def _symbolic_channels(kind: str):
    """Diagonalise the kernel for symbolic rates through the engine; returns (a, b, gamma_0, channels)."""
    a, b, g0, model = spin_half_symbolic()
    spectrum = model.spectrum(kind)
    rate = model.decay_rate
    states = dict(model.channel_basis(kind))
    out = []
    for ch in spectrum.channels:
        if len(ch.block) != 1:  # pragma: no cover - spin-orbit and magnetic rates never mix the Cartesian states
            raise ArithmeticError(f"{ch.name}: the spin-1/2 kernel is not diagonal in the channel basis")
        parity = _parity(states[ch.name])
        out.append(EigenChannel(ch.name, sp.Matrix(states[ch.name]), sp.expand(rate - ch.gap), ch.gap, parity))
    return a, b, g0, tuple(out)


def _parity(state) -> sp.Expr:
    """Exchange parity <c|P|c> of a normalised pair state."""
    return sp.expand((state.H * _pair_exchange(2) * state)[0, 0])
