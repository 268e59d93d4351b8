r"""Multi-terminal Landauer-Büttiker: conductance matrix, voltage probes, four-terminal resistances.

Convention (Büttiker 1986) — state it, because the opposite one is common in public code
----------------------------------------------------------------------------------------------
``T[α-1][β-1]`` = :math:`T_{\alpha\beta}` is the transmission **from lead β into lead α**
(:math:`T_{\alpha\beta} = \mathrm{Tr}\, S_{\alpha\beta}^\dagger S_{\alpha\beta}`, block of the S-matrix
with rows in lead α and columns in lead β); the diagonal is the reflection
:math:`R_{\alpha\alpha} = T_{\alpha\alpha}`. Leads are numbered from 1 in every public function.
If your code stores "T_ij from i to j", pass its transpose.

Current conservation (unitarity of S) gives the two sum rules

.. math:: \sum_\beta T_{\alpha\beta} = N_\alpha \ \ (N_\alpha - R_{\alpha\alpha} = \sum_{\beta\ne\alpha} T_{\alpha\beta}),
          \qquad \sum_\alpha T_{\alpha\beta} = N_\beta ,

and the current flowing from reservoir α into the sample is, per spin channel,

.. math:: I_\alpha = \frac{e^2}{h}\sum_\beta G_{\alpha\beta} V_\beta,\qquad
          G_{\alpha\beta} = N_\alpha\delta_{\alpha\beta} - T_{\alpha\beta},

so :math:`\sum_\beta G_{\alpha\beta} = 0` (a common shift of voltages drives no current) and
:math:`\sum_\alpha G_{\alpha\beta} = 0` (charge conservation). Resistances are in units of
:math:`h/e^2` **for one spin channel**; for spin-degenerate electrons divide by 2.
:math:`R_{kl,ij} = (V_k - V_l)/I` with the current ``I`` entering at lead ``i`` and leaving at
lead ``j`` (:math:`I_i = I = -I_j`), every other lead an ideal voltage probe (zero net current).

References
----------
.. [Bue86] M. Büttiker, PRL 57, 1761 (1986), Eqs. (1)-(4).
.. [Bue88] M. Büttiker, IBM J. Res. Dev. 32, 317 (1988).
.. [Dat95] S. Datta, *Electronic Transport in Mesoscopic Systems* (CUP 1995), ch. 2.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from mesocorr.arguments import as_real, integer, lead_pair, nonnegative
from mesocorr.landauer import as_s_matrix, lead_channels, lead_slices

__all__ = [
    "transmission_matrix", "check_sum_rules", "conductance_matrix", "terminal_voltages",
    "solve_multiterminal", "four_terminal_resistance", "resistance_tensor", "OnsagerCheck", "onsager_check",
]

#: relative tolerance of the sum rules (times max(1, max N))
DEFAULT_RTOL = 1e-9
#: most leads accepted; the full resistance tensor (M^4 entries) is limited to MAX_TENSOR_LEADS
MAX_LEADS = 256
MAX_TENSOR_LEADS = 64


def _as_T(T, name: str = "T") -> np.ndarray:
    try:
        if isinstance(T, (str, bytes)) or np.asarray(T).dtype.kind in "bUS":
            raise TypeError
        a = np.asarray(T, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name}: expected a square matrix of real transmissions") from None
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] < 2:
        raise ValueError(f"{name}: expected a square matrix with at least 2 leads, got shape {a.shape}")
    if a.shape[0] > MAX_LEADS:
        raise ValueError(f"{name}: {a.shape[0]} leads exceed the cap of {MAX_LEADS}")
    if not np.all(np.isfinite(a)):
        a_idx = np.argwhere(~np.isfinite(a))[0]
        raise ValueError(f"{name}: transmission {name}_{a_idx[0] + 1}{a_idx[1] + 1} is not finite")
    if np.any(a < 0):
        a_idx = np.argwhere(a < 0)[0]
        raise ValueError(f"{name}: negative transmission {name}_{a_idx[0] + 1}{a_idx[1] + 1} = {a[tuple(a_idx)]!r}")
    return a


def _as_N(N, M: int) -> np.ndarray:
    try:
        if isinstance(N, (str, bytes)) or np.asarray(N).dtype.kind in "bUS":
            raise TypeError
        n = np.asarray(N, dtype=float).ravel()
    except (TypeError, ValueError):
        raise TypeError("N: expected channel numbers, one per lead") from None
    if n.size != M:
        raise ValueError(f"N: expected {M} channel numbers (one per lead), got {n.size}")
    if not np.all(np.isfinite(n)) or np.any(n <= 0):
        raise ValueError(f"N: channel numbers must be positive and finite, got {n.tolist()}")
    return n


def transmission_matrix(S, channels: Sequence[int]) -> np.ndarray:
    r""":math:`T_{\alpha\beta} = \mathrm{Tr}\,S_{\alpha\beta}^\dagger S_{\alpha\beta}` (from β into α) of an S-matrix.

    Diagonal entries are the reflections :math:`R_{\alpha\alpha}`. ``channels`` as in
    :func:`mesocorr.check_s_matrix`.

    Parameters
    ----------
    S : array_like
        Unitary scattering matrix.
    channels : sequence of int
        Channels per lead (leads numbered from 1 in the result: ``T[a-1][b-1]``).

    Returns
    -------
    numpy.ndarray
        ``(M, M)`` real matrix, ``T[a-1][b-1]`` = transmission from lead b into lead a (Büttiker).

    Examples
    --------
    >>> import numpy as np
    >>> S = np.array([[0.6, 0.8j], [0.8j, 0.6]])
    >>> transmission_matrix(S, (1, 1)).round(12)
    array([[0.36, 0.64],
           [0.64, 0.36]])
    """
    a = as_s_matrix(S)
    sl = lead_slices(lead_channels(channels, a.shape[0]))
    p = np.abs(a) ** 2
    return np.array([[p[r, c].sum() for c in sl] for r in sl])


def check_sum_rules(T, N, *, rtol: float = DEFAULT_RTOL) -> dict:
    r"""Deviations of the two sum rules (row: :math:`\sum_\beta T_{\alpha\beta} - N_\alpha`; column:
    :math:`\sum_\alpha T_{\alpha\beta} - N_\beta`), the tolerance used and a verdict ``ok``.
    """
    a = _as_T(T)
    n = _as_N(N, a.shape[0])
    row = a.sum(axis=1) - n
    col = a.sum(axis=0) - n
    tol = float(rtol) * max(1.0, float(n.max()))
    worst = float(max(np.abs(row).max(), np.abs(col).max()))
    return {"row_deviation": row, "column_deviation": col, "worst_deviation": worst, "tolerance": tol,
            "ok": worst <= tol}


def conductance_matrix(T, N, *, rtol: float = DEFAULT_RTOL) -> np.ndarray:
    r"""Büttiker conductance matrix :math:`G_{\alpha\beta} = N_\alpha\delta_{\alpha\beta} - T_{\alpha\beta}`.

    Units: :math:`e^2/h` per spin channel; :math:`I_\alpha = \sum_\beta G_{\alpha\beta} V_\beta`.

    Raises ValueError naming the first violated sum rule (row α: :math:`N_\alpha - R_{\alpha\alpha}
    = \sum_{\beta\ne\alpha} T_{\alpha\beta}`; column β: :math:`\sum_\alpha T_{\alpha\beta} = N_\beta`)
    beyond ``rtol * max(1, max N)``. Then both :math:`\sum_\beta G_{\alpha\beta}` and
    :math:`\sum_\alpha G_{\alpha\beta}` vanish.

    Parameters
    ----------
    T : array_like
        ``(M, M)`` transmissions, ``T[a-1][b-1]`` from lead b into lead a.
    N : sequence of int
        Channels per lead.
    rtol : float
        Tolerance of the sum rules, relative to ``max(1, max N)``.

    Returns
    -------
    numpy.ndarray
        ``(M, M)`` matrix :math:`G_{\alpha\beta}` in :math:`e^2/h` per spin channel.

    References
    ----------
    M. Büttiker, PRL 57, 1761 (1986), Eq. (1).

    Examples
    --------
    >>> conductance_matrix([[0, 1], [1, 0]], [1, 1]).tolist()
    [[1.0, -1.0], [-1.0, 1.0]]
    """
    return _conductance_matrix(T, N, rtol)[0]


def _conductance_matrix(T, N, rtol: float) -> tuple[np.ndarray, dict]:
    """:func:`conductance_matrix` and the :func:`check_sum_rules` dict it was checked with."""
    a = _as_T(T)
    n = _as_N(N, a.shape[0])
    rules = check_sum_rules(a, n, rtol=rtol)
    tol = rules["tolerance"]
    for k, dev in enumerate(rules["row_deviation"]):
        if abs(dev) > tol:
            raise ValueError(f"T: row {k + 1} violates the sum rule N_{k + 1} - R_{k + 1}{k + 1} = "
                             f"sum_(b!={k + 1}) T_{k + 1}b: sum of row = {a[k].sum()!r}, N_{k + 1} = {n[k]!r}")
    for k, dev in enumerate(rules["column_deviation"]):
        if abs(dev) > tol:
            raise ValueError(f"T: column {k + 1} violates the sum rule sum_a T_a{k + 1} = N_{k + 1}: "
                             f"sum of column = {a[:, k].sum()!r}, N_{k + 1} = {n[k]!r}")
    return np.diag(n) - a, rules


def _inverse_grounded(G: np.ndarray, reference: int) -> np.ndarray:
    """X with V = X I for currents summing to zero and V_reference = 0 (zero row/column at reference)."""
    M = G.shape[0]
    keep = [k for k in range(M) if k != reference]
    g = G[np.ix_(keep, keep)]
    cond = np.linalg.cond(g)
    if not np.isfinite(cond) or cond > 1e12:
        raise ValueError(f"T: the conductance matrix is singular (condition number {cond:.2e}): "
                         "some lead or group of leads is disconnected from the others")
    X = np.zeros((M, M))
    X[np.ix_(keep, keep)] = np.linalg.inv(g)
    return X


def _currents(currents, M: int) -> np.ndarray:
    I = np.zeros(M)
    if isinstance(currents, Mapping):
        for lead, value in currents.items():
            k = integer("currents (lead)", lead, minimum=1, maximum=M) - 1
            I[k] = as_real(f"currents[{lead}]", value)
    else:
        try:
            if isinstance(currents, (str, bytes)) or np.asarray(currents).dtype.kind in "bUS":
                raise TypeError
            arr = np.asarray(currents, dtype=float).ravel()
        except (TypeError, ValueError):
            raise TypeError("currents: expected one real current per lead, or a mapping {lead: current}") from None
        if arr.size != M:
            raise ValueError(f"currents: expected {M} values (one per lead), got {arr.size}")
        I[:] = arr
    if not np.all(np.isfinite(I)):
        raise ValueError("currents: must be finite")
    if abs(I.sum()) > 1e-12 * max(1.0, np.abs(I).max()):
        raise ValueError(f"currents: must sum to zero (charge conservation), sum = {I.sum()!r}")
    return I


def terminal_voltages(T, N, currents, *, reference: int | None = None, rtol: float = DEFAULT_RTOL) -> np.ndarray:
    r"""Lead voltages for given lead currents; leads without a current are ideal voltage probes.

    Parameters
    ----------
    T, N
        Transmissions (from β into α) and channel numbers; see the module docstring.
    currents : mapping {lead: current} or sequence of M currents
        Net current flowing from each reservoir into the sample; unspecified leads carry zero
        current (ideal voltage probes). Must sum to zero.
    reference : int, optional
        Lead held at V = 0 (default: the last lead with the most negative current).
    rtol : float
        Tolerance of the sum rules (see :func:`conductance_matrix`).

    Returns
    -------
    numpy.ndarray
        :math:`V_\alpha` in units of :math:`I\,h/e^2` per spin channel (i.e. currents in units of
        :math:`(e^2/h)\times` volt).

    Examples
    --------
    Two ballistic single-channel leads, unit current from lead 1 to lead 2:

    >>> terminal_voltages([[0, 1], [1, 0]], [1, 1], {1: 1.0, 2: -1.0}).tolist()
    [1.0, 0.0]
    """
    return _voltages(conductance_matrix(T, N, rtol=rtol), currents, reference)


def _voltages(G: np.ndarray, currents, reference: int | None) -> np.ndarray:
    M = G.shape[0]
    I = _currents(currents, M)
    if reference is None:
        ref = int(np.flatnonzero(I == I.min())[-1])
    else:
        ref = integer("reference", reference, minimum=1, maximum=M) - 1
    return _inverse_grounded(G, ref) @ I


def solve_multiterminal(T, N, current: Sequence[int], voltage: Sequence[int], *, rtol: float = DEFAULT_RTOL) -> dict:
    r"""Four-terminal (or two/three-terminal) measurement :math:`R_{kl,ij}` with voltage probes.

    Parameters
    ----------
    current : (i, j)
        Current ``I`` enters the sample from lead ``i`` and leaves through lead ``j``.
    voltage : (k, l)
        Voltage measured as :math:`V_k - V_l`. Leads other than ``i, j`` are ideal voltage probes
        (zero net current) whether or not they are ``k, l``.

    Returns
    -------
    dict
        ``resistance_h_over_e2`` = :math:`R_{kl,ij}` in :math:`h/e^2` per spin channel,
        ``voltages`` (all leads, units :math:`I h/e^2`, :math:`V_j = 0`), ``sum_rule_deviation``.
    """
    a = _as_T(T)
    M = a.shape[0]
    i, j = lead_pair("current", current, M)
    k, l = lead_pair("voltage", voltage, M)
    if i == j:
        raise ValueError(f"current: source and drain must differ, got ({i}, {j})")
    G, rules = _conductance_matrix(a, N, rtol)
    V = _voltages(G, {i: 1.0, j: -1.0}, j)
    return {"resistance_h_over_e2": float(V[k - 1] - V[l - 1]), "voltages": V.tolist(),
            "current": [i, j], "voltage": [k, l], "sum_rule_deviation": rules["worst_deviation"]}


def four_terminal_resistance(T, N, current: Sequence[int], voltage: Sequence[int], *,
                             rtol: float = DEFAULT_RTOL) -> float:
    r""":math:`R_{kl,ij} = (V_k - V_l)/I` in units of :math:`h/e^2` per spin channel.

    Current from lead ``i`` to lead ``j``, voltage measured between ``k`` and ``l``; the other leads are
    ideal voltage probes (:func:`terminal_voltages`). Closed form for four leads:
    :func:`mesocorr.four_terminal_resistance_symbolic`.

    Parameters
    ----------
    T : array_like
        ``(M, M)`` transmissions, ``T[a-1][b-1]`` from lead b into lead a.
    N : sequence of int
        Channels per lead.
    current : (int, int)
        Leads ``(i, j)`` (numbered from 1): the current enters at ``i`` and leaves at ``j``.
    voltage : (int, int)
        Leads ``(k, l)`` whose voltage difference :math:`V_k - V_l` is measured.
    rtol : float
        Tolerance of the sum rules (see :func:`conductance_matrix`).

    Returns
    -------
    float
        :math:`R_{kl,ij}` in :math:`h/e^2` per spin channel (halve it for spin-degenerate leads).

    Examples
    --------
    Two ballistic single-channel leads: the Sharvin resistance :math:`h/e^2`.

    >>> four_terminal_resistance([[0, 1], [1, 0]], [1, 1], (1, 2), (1, 2))
    1.0
    """
    return solve_multiterminal(T, N, current, voltage, rtol=rtol)["resistance_h_over_e2"]


def resistance_tensor(T, N, *, rtol: float = DEFAULT_RTOL) -> np.ndarray:
    r"""All resistances ``R[k, l, i, j]`` = :math:`R_{k+1\,l+1,\,i+1\,j+1}` (0-based array indices).

    From one grounded inverse :math:`X` of the conductance matrix:
    :math:`R_{kl,ij} = X_{ki} - X_{kj} - X_{li} + X_{lj}` (independent of the grounded lead).
    """
    G = conductance_matrix(T, N, rtol=rtol)
    if G.shape[0] > MAX_TENSOR_LEADS:
        raise ValueError(f"T: the resistance tensor of {G.shape[0]} leads has {G.shape[0] ** 4} entries; "
                         f"at most {MAX_TENSOR_LEADS} leads")
    X = _inverse_grounded(G, G.shape[0] - 1)
    return (X[:, None, :, None] - X[:, None, None, :] - X[None, :, :, None] + X[None, :, None, :])


@dataclass(frozen=True)
class OnsagerCheck:
    r"""Result of :func:`onsager_check`: worst :math:`|R_{kl,ij}(B) - R_{ij,kl}(-B)|` and where."""

    worst_deviation: float
    worst_configuration: tuple  # ((k, l), (i, j)), 1-based
    scale: float                # max |R| over all configurations (h/e^2)
    microscopic_deviation: float  # max |T_ab(B) - T_ba(-B)|
    atol: float

    @property
    def reciprocal(self) -> bool:
        return self.worst_deviation <= self.atol

    @property
    def verdict(self) -> str:
        (k, l), (i, j) = self.worst_configuration
        word = "reciprocal" if self.reciprocal else "NOT reciprocal"
        return (f"{word}: worst |R_{k}{l},{i}{j}(B) - R_{i}{j},{k}{l}(-B)| = {self.worst_deviation:.3e} h/e^2 "
                f"(tolerance {self.atol:.1e}, max |R| = {self.scale:.3e}); "
                f"max |T_ab(B) - T_ba(-B)| = {self.microscopic_deviation:.3e}")

    def as_dict(self) -> dict:
        return {"worst_deviation": self.worst_deviation, "worst_configuration": self.worst_configuration,
                "scale": self.scale, "microscopic_deviation": self.microscopic_deviation, "atol": self.atol,
                "reciprocal": self.reciprocal, "verdict": self.verdict}


def onsager_check(T_plus, T_minus, N, *, atol: float | None = None, rtol: float = DEFAULT_RTOL) -> OnsagerCheck:
    r"""Onsager-Casimir reciprocity :math:`R_{kl,ij}(B) = R_{ij,kl}(-B)` over every lead configuration.

    Parameters
    ----------
    T_plus, T_minus
        Transmissions (from β into α) at field ``B`` and ``-B``.
    N
        Channel numbers.
    atol : float, optional
        Tolerance on the worst deviation in :math:`h/e^2`; default ``1e-9 * max(1, max |R|)``.
    rtol : float
        Tolerance of the sum rules (see :func:`conductance_matrix`).

    Returns
    -------
    OnsagerCheck
        ``reciprocal`` (bool), the worst deviations of the resistances and of the transmissions, the
        tolerance used and a one-line ``verdict``.

    Examples
    --------
    >>> import numpy as np
    >>> T = np.array([[0.0, 0.7, 0.3], [0.3, 0.0, 0.7], [0.7, 0.3, 0.0]])   # 3 leads, chiral (finite B)
    >>> onsager_check(T, T.T, [1, 1, 1]).reciprocal
    True
    >>> onsager_check(T, T, [1, 1, 1]).reciprocal           # T(-B) = T(B) is not reciprocal here
    False

    Notes
    -----
    Microscopic reversibility :math:`S(-B) = S(B)^T` gives :math:`T_{\alpha\beta}(-B) = T_{\beta\alpha}(B)`,
    hence :math:`G(-B) = G(B)^T` and the relation above (Büttiker, PRL 57, 1761 (1986), Eq. (5)).
    """
    Tp, Tm = _as_T(T_plus, "T_plus"), _as_T(T_minus, "T_minus")
    Rp = resistance_tensor(Tp, N, rtol=rtol)
    Rm = resistance_tensor(Tm, N, rtol=rtol)
    diff = np.abs(Rp - np.transpose(Rm, (2, 3, 0, 1)))
    scale = float(np.abs(Rp).max())
    tol = 1e-9 * max(1.0, scale) if atol is None else nonnegative("atol", atol)
    idx = np.unravel_index(int(np.argmax(diff)), diff.shape)
    k, l, i, j = (int(x) + 1 for x in idx)
    micro = float(np.abs(Tp - Tm.T).max())
    return OnsagerCheck(float(diff.max()), ((k, l), (i, j)), scale, micro, tol)


