r"""Scattering matrices: validation, Landauer conductance, Sharvin resistance, Fano factor.

Conventions (``docs/conventions.md``, section "Scattering matrices, multi-terminal transport, random matrices")
---------------------------------------------------------------------------------------------------------------
* ``S`` maps incoming to outgoing flux-normalised amplitudes, :math:`b = S a`. Rows are
  *outgoing* channels, columns *incoming*; both are ordered lead by lead with the partition
  ``channels = (N_1, N_2, ...)`` (rows/columns per lead). Leads are numbered from 1.
  The block :math:`S_{\alpha\beta}` (rows of lead α, columns of lead β) holds the amplitudes
  **from lead β into lead α**; :math:`t = S_{21}` for transmission from lead 1 to lead 2.
* Time reversal without spin-orbit (β = 1): :math:`S = S^T` (in a basis of real channel
  wavefunctions). With spin-orbit scattering (β = 4) ``S`` includes spin, the basis of each lead
  is ordered in Kramers pairs ``(1↑, 1↓, 2↑, 2↓, ...)`` and time reversal means self-duality
  :math:`S = S^R = J S^T J^T`, :math:`J = 1 \otimes i\sigma_y`.
* Conductance in units of :math:`e^2/h`: :math:`g = s\,\mathrm{Tr}\,t^\dagger t` where ``s`` is the
  degeneracy *not* resolved in ``S``: ``s = 2`` for a spinless (orbital) S-matrix of
  spin-degenerate electrons, ``s = 1`` when ``S`` already includes spin (e.g. a self-dual S).

References
----------
.. [Lan57] R. Landauer, IBM J. Res. Dev. 1, 223 (1957).
.. [Bue86] M. Büttiker, PRL 57, 1761 (1986).
.. [Bee97] C. W. J. Beenakker, Rev. Mod. Phys. 69, 731 (1997), Sec. II (S-matrix, symmetries).
.. [BB00] Ya. M. Blanter, M. Büttiker, Phys. Rep. 336, 1 (2000), Eq. (61) (Fano factor).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mesocorr.units import H_PLANCK_EXACT, E_CHARGE_EXACT
from mesocorr.arguments import MAX_CHANNELS, boolean, choice, float64_range, integer, positive

__all__ = [
    "SMatrixCheck", "check_s_matrix", "transmission_block", "transmission_eigenvalues",
    "landauer_conductance", "sharvin_resistance", "fano_factor",
]

#: default absolute tolerance on ||S^dagger S - 1||_2 and the symmetry deviations
DEFAULT_ATOL = 1e-10
#: largest S-matrix dimension (the checks are O(M^3) dense linear algebra: M = 2000 takes a few seconds)
MAX_DIM = 2000


def as_s_matrix(S) -> np.ndarray:
    try:
        if isinstance(S, (str, bytes)) or np.asarray(S).dtype.kind in "bUS":
            raise TypeError
        a = np.asarray(S, dtype=complex)
    except (TypeError, ValueError):
        raise TypeError("S: expected a square numeric matrix") from None
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        raise ValueError(f"S: expected a non-empty square matrix, got shape {a.shape}")
    if a.shape[0] > MAX_DIM:
        raise ValueError(f"S: dimension {a.shape[0]} exceeds the cap of {MAX_DIM} channels")
    if not np.all(np.isfinite(a)):
        raise ValueError("S: entries must be finite")
    if np.max(np.abs(a)) > 1e100:
        raise ValueError("S: entries of a scattering matrix have modulus <= 1 (got one above 1e100)")
    return a


def lead_channels(channels, dim: int) -> tuple[int, ...]:
    if isinstance(channels, (int, np.integer)) or not isinstance(channels, Sequence | np.ndarray):
        raise TypeError(f"channels: expected a sequence of channel numbers per lead, got {channels!r}")
    ch = tuple(integer(f"channels[{i}]", int(c) if isinstance(c, np.integer) else c, minimum=1)
               for i, c in enumerate(channels))
    if len(ch) < 1:
        raise ValueError("channels: need at least one lead")
    if sum(ch) != dim:
        raise ValueError(f"channels: the partition {list(ch)} sums to {sum(ch)}, but S is {dim}x{dim}")
    return ch


def lead_slices(ch: tuple[int, ...]) -> list[slice]:
    edges = np.concatenate([[0], np.cumsum(ch)])
    return [slice(int(edges[i]), int(edges[i + 1])) for i in range(len(ch))]


def _lead(name: str, value, nleads: int) -> int:
    return integer(name, value, minimum=1, maximum=nleads) - 1


def _unitarity_deviation(a: np.ndarray) -> float:
    r""":math:`\|S^\dagger S - 1\|_2` (spectral norm)."""
    return float(np.linalg.norm(a.conj().T @ a - np.eye(a.shape[0]), 2))


@dataclass(frozen=True)
class SMatrixCheck:
    r"""Result of :func:`check_s_matrix`: deviations (spectral norms) and the verdict.

    ``unitarity_deviation`` = :math:`\|S^\dagger S - 1\|_2`, ``transpose_deviation`` =
    :math:`\|S - S^T\|_2`, ``self_dual_deviation`` = :math:`\|S - S^R\|_2` (``None`` when a lead
    has an odd number of rows, i.e. no Kramers-pair structure).
    """

    channels: tuple
    unitarity_deviation: float
    transpose_deviation: float
    self_dual_deviation: float | None
    atol: float

    @property
    def unitary(self) -> bool:
        return self.unitarity_deviation <= self.atol

    @property
    def symmetric(self) -> bool:
        """S = S^T within ``atol`` (time-reversal symmetry without spin-orbit, β = 1)."""
        return self.transpose_deviation <= self.atol

    @property
    def self_dual(self) -> bool:
        """S = S^R within ``atol`` (time-reversal symmetry with spin-orbit, β = 4)."""
        return self.self_dual_deviation is not None and self.self_dual_deviation <= self.atol

    @property
    def verdict(self) -> str:
        if not self.unitary:
            return (f"NOT UNITARY: ||S^dag S - 1|| = {self.unitarity_deviation:.3e} > {self.atol:.1e} "
                    "(current is not conserved)")
        parts = [f"unitary (||S^dag S - 1|| = {self.unitarity_deviation:.3e})"]
        if self.symmetric:
            parts.append(f"symmetric S = S^T (deviation {self.transpose_deviation:.3e}): time-reversal "
                         "symmetric, orthogonal class beta=1")
        if self.self_dual:
            parts.append(f"self-dual S = S^R (deviation {self.self_dual_deviation:.3e}): time-reversal "
                         "symmetric with spin-orbit, symplectic class beta=4")
        if not (self.symmetric or self.self_dual):
            sd = "n/a" if self.self_dual_deviation is None else f"{self.self_dual_deviation:.3e}"
            parts.append(f"neither S = S^T (deviation {self.transpose_deviation:.3e}) nor S = S^R "
                         f"(deviation {sd}): time-reversal symmetry broken, unitary class beta=2")
        return "; ".join(parts)

    def as_dict(self) -> dict:
        return {"channels": list(self.channels), "unitarity_deviation": self.unitarity_deviation,
                "transpose_deviation": self.transpose_deviation, "self_dual_deviation": self.self_dual_deviation,
                "atol": self.atol, "unitary": self.unitary, "symmetric": self.symmetric,
                "self_dual": self.self_dual, "verdict": self.verdict}


@float64_range
def check_s_matrix(S, channels: Sequence[int], *, atol: float = DEFAULT_ATOL) -> SMatrixCheck:
    r"""Check unitarity and time-reversal symmetry of a scattering matrix.

    Parameters
    ----------
    S : (M, M) array_like
        Scattering matrix, rows outgoing, columns incoming, ordered lead by lead.
    channels : sequence of int
        Rows per lead (sum = M). For spin-orbit systems each lead's rows are Kramers pairs
        ``(↑, ↓)`` adjacent, so every entry is even.
    atol : float
        Tolerance on the spectral-norm deviations.

    Returns
    -------
    SMatrixCheck
        Deviations :math:`\|S^\dagger S - 1\|_2`, :math:`\|S - S^T\|_2`, :math:`\|S - S^R\|_2`,
        booleans and a one-line ``verdict``.

    Notes
    -----
    Current conservation with flux-normalised modes gives :math:`S^\dagger S = 1`; time reversal
    gives :math:`S = S^T` (spinless) or :math:`S = J S^T J^T` (spin-1/2, :math:`J = 1\otimes i\sigma_y`,
    Kramers). See Beenakker, RMP 69, 731 (1997), Sec. II.A.

    Examples
    --------
    >>> import numpy as np
    >>> c = check_s_matrix(np.array([[0, 1], [1, 0]]), (1, 1))
    >>> c.unitary, c.symmetric
    (True, True)
    """
    a = as_s_matrix(S)
    ch = lead_channels(channels, a.shape[0])
    atol = positive("atol", atol)
    unit = _unitarity_deviation(a)
    trans = float(np.linalg.norm(a - a.T, 2))
    sd = None
    if all(c % 2 == 0 for c in ch):
        from mesocorr.rmt import quaternion_dual

        sd = float(np.linalg.norm(a - quaternion_dual(a), 2))
    return SMatrixCheck(ch, unit, trans, sd, atol)


def transmission_block(S, channels: Sequence[int], to_lead: int, from_lead: int) -> np.ndarray:
    r"""The block :math:`S_{\alpha\beta}` of amplitudes from lead ``from_lead`` (β) into ``to_lead`` (α)."""
    a = as_s_matrix(S)
    ch = lead_channels(channels, a.shape[0])
    sl = lead_slices(ch)
    return a[sl[_lead("to_lead", to_lead, len(ch))], sl[_lead("from_lead", from_lead, len(ch))]]


def _checked_block(S, channels, to_lead, from_lead, atol):
    """The block from ``from_lead`` into ``to_lead`` of a validated S, after checking unitarity (only)."""
    a = as_s_matrix(S)
    ch = lead_channels(channels, a.shape[0])
    atol = positive("atol", atol)
    unit = _unitarity_deviation(a)
    if unit > atol:
        raise ValueError(f"S: not unitary, ||S^dag S - 1|| = {unit:.3e} > atol = {atol:.1e}")
    sl = lead_slices(ch)
    return a[sl[_lead("to_lead", to_lead, len(ch))], sl[_lead("from_lead", from_lead, len(ch))]]


@float64_range
def transmission_eigenvalues(S, channels: Sequence[int], *, from_lead: int = 1, to_lead: int = 2,
                             kramers: bool = False, atol: float = DEFAULT_ATOL) -> np.ndarray:
    r"""Transmission eigenvalues :math:`T_n` (eigenvalues of :math:`t^\dagger t`), descending.

    :math:`t = S_{\text{to},\text{from}}`; computed as squared singular values of ``t`` (no loss
    of accuracy from forming :math:`t^\dagger t`). There are :math:`\min(N_\text{to}, N_\text{from})`.
    With ``kramers=True`` (self-dual S, spin included) each Kramers-degenerate pair is returned
    once; the degeneracy is checked to ``sqrt(atol)`` and a ValueError raised if absent.
    Raises ValueError if ``S`` is not unitary within ``atol``.

    Parameters
    ----------
    S : array_like
        Scattering matrix (square, complex), unitary within ``atol``.
    channels : sequence of int
        Channels per lead (partition of ``S``; see :func:`check_s_matrix`).
    from_lead, to_lead : int
        Leads, numbered from 1 (Kwant numbers from 0); :math:`t = S_{\text{to},\text{from}}`.
    kramers : bool
        Return each Kramers pair once (``S`` self-dual, spin included).
    atol : float
        Tolerance of the unitarity (and Kramers) checks.

    Returns
    -------
    numpy.ndarray
        The :math:`T_n \in [0, 1]`, descending.

    Examples
    --------
    >>> import numpy as np
    >>> S = np.array([[0.6, 0.8j], [0.8j, 0.6]])       # one channel per lead, T = 0.64
    >>> transmission_eigenvalues(S, (1, 1)).round(12)
    array([0.64])
    """
    kramers = boolean("kramers", kramers)
    t = _checked_block(S, channels, to_lead, from_lead, atol)
    T = np.linalg.svd(t, compute_uv=False) ** 2
    T = np.sort(T)[::-1]
    if kramers:
        if T.size % 2:
            raise ValueError("kramers: odd number of transmission eigenvalues, no Kramers pairs")
        gap = float(np.max(np.abs(T[0::2] - T[1::2]))) if T.size else 0.0
        if gap > np.sqrt(atol):
            raise ValueError(f"kramers: eigenvalues are not pairwise degenerate (worst splitting {gap:.3e})")
        T = 0.5 * (T[0::2] + T[1::2])
    return T


@float64_range
def landauer_conductance(S, channels: Sequence[int], *, from_lead: int = 1, to_lead: int = 2,
                         spin_degeneracy: int = 2, atol: float = DEFAULT_ATOL) -> float:
    r"""Landauer conductance :math:`g = G/(e^2/h) = s\,\mathrm{Tr}\,t^\dagger t`.

    Parameters
    ----------
    S, channels
        Scattering matrix and its partition (see :func:`check_s_matrix`); must be unitary.
    from_lead, to_lead : int
        Leads (numbered from 1); :math:`t = S_{\text{to},\text{from}}`.
    spin_degeneracy : {1, 2}
        Degeneracy not resolved in ``S``: 2 for an orbital S-matrix of spin-1/2 electrons,
        1 when ``S`` includes spin.
    atol : float
        Tolerance of the unitarity check.

    Returns
    -------
    float
        Conductance in units of :math:`e^2/h` (multiply by :data:`mesocorr.units.G0` for siemens).

    Examples
    --------
    >>> import numpy as np
    >>> S = np.array([[0.6, 0.8j], [0.8j, 0.6]])       # T = 0.64, spin-degenerate
    >>> round(landauer_conductance(S, (1, 1)), 12)
    1.28

    References
    ----------
    R. Landauer, IBM J. Res. Dev. 1, 223 (1957); M. Büttiker, PRL 57, 1761 (1986);
    C. W. J. Beenakker, RMP 69, 731 (1997), Sec. II.
    """
    s = choice("spin_degeneracy", spin_degeneracy, (1, 2))
    t = _checked_block(S, channels, to_lead, from_lead, atol)
    return float(s * np.sum(np.abs(t) ** 2))


@float64_range
def sharvin_resistance(N: int, *, spin_degeneracy: int = 2, unit: str = "ohm") -> float:
    r"""Sharvin (contact) resistance of a ballistic conductor with ``N`` channels, :math:`h/(s e^2 N)`.

    ``N`` from 1 to :data:`mesocorr.arguments.MAX_CHANNELS`.

    ``unit="ohm"`` (exact constants, float64) or ``"h/e2"`` (returns :math:`1/(sN)`).

    Parameters
    ----------
    N : int
        Number of transverse channels (positive).
    spin_degeneracy : {1, 2}
        :math:`s`.
    unit : {"ohm", "h/e2"}
        Unit of the result.

    Returns
    -------
    float
        :math:`h/(se^2N)` in ohm, or :math:`1/(sN)` in units of :math:`h/e^2`.

    Examples
    --------
    >>> sharvin_resistance(1, unit="h/e2")
    0.5
    >>> round(sharvin_resistance(1), 6)          # h/(2e^2) in ohm
    12906.40373
    """
    N = integer("N", N, minimum=1, maximum=MAX_CHANNELS)
    s = choice("spin_degeneracy", spin_degeneracy, (1, 2))
    choice("unit", unit, ("ohm", "h/e2"))
    if unit == "h/e2":
        return 1.0 / (s * N)
    return float(H_PLANCK_EXACT / (E_CHARGE_EXACT**2 * s * N))


@float64_range
def fano_factor(transmissions) -> float:
    r"""Shot-noise Fano factor :math:`F = \sum_n T_n(1 - T_n) / \sum_n T_n`.

    ``transmissions`` are transmission eigenvalues in [0, 1] (any degeneracy counting: it
    cancels). ValueError if all vanish. Chaotic cavity N1 = N2 → ∞: F = 1/4; diffusive wire: 1/3.

    Parameters
    ----------
    transmissions : array_like
        Transmission eigenvalues :math:`T_n \in [0, 1]`.

    Returns
    -------
    float
        :math:`F \in [0, 1]` (0: all channels open or closed; 1: Poissonian, all :math:`T_n \ll 1`).

    Examples
    --------
    >>> round(fano_factor([1.0, 0.5]), 12)        # 0.25 / 1.5
    0.166666666667

    References
    ----------
    Ya. M. Blanter, M. Büttiker, Phys. Rep. 336, 1 (2000), Eq. (61).
    """
    try:
        T = np.asarray(transmissions, dtype=float).ravel()
    except (TypeError, ValueError):
        raise TypeError("transmissions: expected real numbers in [0, 1]") from None
    if T.size == 0 or not np.all(np.isfinite(T)):
        raise ValueError("transmissions: need at least one finite value")
    if np.any(T < 0) or np.any(T > 1):
        raise ValueError(f"transmissions: must lie in [0, 1], got min {T.min()!r}, max {T.max()!r}")
    total = float(np.sum(T))
    if total == 0:
        raise ValueError("transmissions: all zero, the Fano factor is undefined")
    return float(np.sum(T * (1.0 - T)) / total)
