r"""The Zeeman effect in weak (anti)localization (Maekawa–Fukuyama) and UCF, through the engine.

A Zeeman vector :math:`\boldsymbol\omega = g\mu_B\mathbf B/\hbar` (a rate; single-particle term
:math:`(\hbar/2)\boldsymbol\omega\cdot\boldsymbol\sigma`) enters both Green's functions of a ladder. The engine
(:mod:`mesocorr.diagrams.pair_kernel`) derives its pair-space form from the rung by residues and finds which
channels it couples:

* **Cooperon**: :math:`L_C\psi = i(\Omega\psi - \psi\Omega^T)`, on the states :math:`\psi = MU` the
  *anticommutator* :math:`M\mapsto \tfrac i2\{\boldsymbol\omega\cdot\boldsymbol\sigma, M\}`: it mixes the
  singlet with the triplet of zero projection *along* :math:`\boldsymbol\omega` (:math:`iω` off-diagonal),
  and leaves the two other triplets (:math:`m=\pm1` along the field) untouched. Block
  :math:`\begin{pmatrix}\Gamma_S & i\omega\\ i\omega&\Gamma_T\end{pmatrix}`, gaps
  :math:`\bar\Gamma\pm\sqrt{\Delta^2-\omega^2}`, :math:`\Delta = (\Gamma_T-\Gamma_S)/2`, weights
  :math:`\pm\tfrac12\Delta/\sqrt{\Delta^2-\omega^2}` (Maekawa & Fukuyama 1981): real for
  :math:`\omega<|\Delta|`, a complex-conjugate pair above, an exceptional point at :math:`\omega = |\Delta|`.
* **Diffuson**: :math:`L_D\rho = i[\Omega,\rho]`: spin precession. Charge and the spin density along
  :math:`\boldsymbol\omega` are untouched; the two spin densities :math:`m=\pm1` along the field are shifted
  by :math:`\pm i\omega`. The familiar ":math:`\pm E_Z` shift of the :math:`m=\pm1` triplets" is the
  Diffuson's (UCF, interaction corrections), not the Cooperon's.

Public functions: :func:`zeeman_channels`, :func:`zeeman_magnetoconductance` (d = 1, 2, 3, the measured
:math:`\sigma(B)-\sigma(0)`), :func:`landau_level_magnetoconductance` (the resolvent route in 2D),
:func:`zeeman_wl_correction` (zero field with a fixed splitting),
:func:`zeeman_ucf_content`, :func:`zeeman_ucf_variance`, and the field-unit helpers :func:`zeeman_rate`,
:func:`field_to_rate`, :func:`rate_to_field`.

**Which σ(0).** The field that bends the orbits also splits the spins: at :math:`B=0` nothing is split. The
measured magnetoconductance is

.. math:: \Delta\sigma(B) = \sigma(B;\omega_B) - \sigma(0;\omega_{\parallel})
          = \frac{s}{2\pi}\Big\{\mathrm{Tr}[W F(b H_B^{-1})] + \mathrm{Tr}[W(\ln H_B - \ln H_0)]\Big\}\ \frac{e^2}{h},

:math:`b = 4eD|B|/\hbar`, :math:`H_B` the Cooperon gap operator with the Zeeman vector
:math:`g\mu_B(B_\parallel\hat x + B\hat z)/\hbar`, :math:`H_0` with the in-plane part only, :math:`F` the HLN
function. The first term alone — the textbook closed form with field-dependent :math:`B_\pm` used as if they
were fixed (``subtract="same_splitting"``) — is :math:`\sigma(B;\omega_B)-\sigma(0;\omega_B)`: it subtracts
σ(0) *at the Zeeman energy of B itself*. The second term is :math:`\sigma(0;\omega_B)-\sigma(0;\omega_\parallel)`
(UV cutoff :math:`1/\tau\to\infty`; :math:`\mathrm{Tr}\,W` does not depend on the field, so the cutoff cancels).
At fields far above every Cooperon gap the two differ by a constant: with isotropic spin-orbit,
:math:`\frac{s}{4\pi}\ln(B_T/B_S)` (triplet over singlet field; derived in the test of this module), which
the textbook form wrongly attributes to the field dependence.

**float64 routes.** In 2D with the field along z and axis-aligned rates (no in-plane field) every block is a
real gap the field does not touch or the singlet / m = 0 triplet *split pair*; each field is then evaluated in real
arithmetic (:func:`~mesocorr.integrals.matrix_functions.pair_trace_2x2`,
:func:`~mesocorr.integrals.matrix_functions.log_shift_2x2`: real HLN F where the gaps are real, one complex
:math:`\phi` per conjugate pair, the contour only next to the exceptional point, the σ(0) difference without
cancellation). Every other case (an in-plane field, d = 1, 3) takes the general route of stacked matrices
(Sylvester 2x2 forms, Daleckii–Krein differences, eigen/resolvent traces).

Units: SI in (D m²/s, B tesla, rates 1/s), e²/h out, as :func:`mesocorr.magnetoconductance`. Field units:
:math:`B_x = \hbar\Gamma_x/(4eD)`; Zeeman :math:`B_Z = \hbar\omega/(4eD) = g\mu_B B/(4eD)`.

References
----------
.. [MF81] S. Maekawa, H. Fukuyama, J. Phys. Soc. Jpn. 50, 2516 (1981).
.. [HLN80] S. Hikami, A. I. Larkin, Y. Nagaoka, Prog. Theor. Phys. 63, 707 (1980).
.. [LSF87] P. A. Lee, A. D. Stone, H. Fukuyama, Phys. Rev. B 35, 1039 (1987) (UCF with Zeeman splitting).
.. [AM07] E. Akkermans, G. Montambaux, *Mesoscopic Physics* (CUP 2007), ch. 6, 7, 11.
"""

from __future__ import annotations

import math
from fractions import Fraction

import mpmath
import numpy as np

from mesocorr import arguments
from mesocorr.integrals.epstein import pair_mode_sums
from mesocorr.integrals.hln import hln_f_core
from mesocorr.integrals.hln_complex import hln_f_complex_mp, hln_phi
from mesocorr.integrals.kawabata_complex import kawabata_f3_complex, kawabata_f3_complex_mp
from mesocorr.integrals.matrix_functions import (
    eigen_channels,
    log_shift_2x2,
    log_shift_moments,
    pair_trace_2x2,
    eigen_channels_mp,
    contour_trace_pair,
    eigen_error_scale,
    inv_sqrt_divided_difference,
    log_divided_difference,
    resolvent_trace_mp,
    spectral_trace,
    spectral_trace_mp,
    sqrt_divided_difference,
    sylvester_2x2,
    trace_difference,
)
from mesocorr.integrals.derived_constants import SPIN_HALF_PARAMETERS, UCF_WEIGHTS, monomial_float
from mesocorr.integrals.gap_operators import common_blocks, spin_half_operator
from mesocorr.integrals.zero_field import zero_field_g, zero_field_g_mp
from mesocorr.units import E_CHARGE, HBAR, MU_B, mp_constant

__all__ = ["zeeman_rate", "field_to_rate", "rate_to_field", "zeeman_channels", "zeeman_magnetoconductance",
           "landau_level_magnetoconductance", "zeeman_wl_correction",
           "zeeman_ucf_content", "zeeman_ucf_variance", "zeeman_ucf_correlation", "SPIN_DEGENERACY", "SUBTRACTIONS",
           "MP_SECONDS_CAP", "check_magnetoconductance_work"]

#: spin degeneracy N in W = P/N (the conductivity prefactor s)
SPIN_DEGENERACY = 2
#: cap (s, estimated before the work) of one ``dps=`` magnetoconductance call, as :data:`mesocorr.wl.MP_SECONDS_CAP`
MP_SECONDS_CAP = 20.0
#: the two subtractions of zeeman_magnetoconductance
SUBTRACTIONS = ("zero_field", "same_splitting")
_GUARD = 10
_EPS = np.finfo(float).eps
#: condition number of the eigenvectors above which a field is treated as near an exceptional point
_EP_CONDITION = 1e6
#: Daleckii-Krein differences only below this eigenvector condition number (near an exceptional point, where the
#: splitting is not small, the two traces are taken separately: measured loss ~cond^2 eps otherwise)
_DK_CONDITION = 100.0
#: the UCF loops of a block use the resolvent route above this eigenvector condition number (route="auto")
_UCF_CONDITION = 10.0
#: routes of the UCF loops
UCF_ROUTES = ("auto", "eigen", "resolvent")
#: the general float64 route's estimated relative error (eps x condition x |terms| / |result|) above which a field
#: is re-evaluated in float64 without eigenvectors of the field's matrix (one contour / clustered traces) ...
FLOAT_TRUST = 1e-12
#: ... and above which (after that) by the mpmath route (next to an exceptional point, where traces cancel)
MP_TRUST = 1e-10
#: digits of that mpmath re-evaluation beyond the float64 loss it replaces
_REDO_DIGITS = 16


# ============================================================================ units
@arguments.float64_range
def zeeman_rate(g_factor, B) -> float:
    r"""Zeeman rate :math:`\omega = g\mu_B B/\hbar` (1/s) of a field ``B`` (tesla); :math:`\mu_B` CODATA 2018."""
    g = arguments.as_real("g_factor", g_factor)
    out = g * MU_B * arguments.as_real("B", B) / HBAR
    arguments.check_finite_result("g_factor, B", out)
    return out


@arguments.float64_range
def field_to_rate(B_x, D) -> float:
    r"""Rate :math:`\Gamma_x = 4eDB_x/\hbar` (1/s) of a characteristic field ``B_x`` (tesla); ``D`` in m²/s."""
    out = 4 * E_CHARGE * arguments.positive("D", D) * arguments.nonnegative("B_x", B_x) / HBAR
    arguments.check_finite_result("B_x, D", out)
    return out


@arguments.float64_range
def rate_to_field(rate, D) -> float:
    r"""Characteristic field :math:`B_x = \hbar\Gamma_x/(4eD)` (tesla) of a rate (1/s)."""
    out = HBAR * arguments.nonnegative("rate", rate) / (4 * E_CHARGE * arguments.positive("D", D))
    arguments.check_finite_result("rate, D", out)
    return out


# ============================================================================ inputs
def _exact(name: str, value, check=arguments.nonnegative) -> Fraction:
    """Checked (sign, finiteness) and exact by the package's one rule (:func:`mesocorr.arguments.as_fraction`:
    floats as the decimal they print as), so that the float64 and mpmath paths see the same numbers."""
    check(name, value)
    return arguments.as_fraction(name, value)


def _rates(name: str, value) -> tuple[Fraction, Fraction, Fraction]:
    """``so``/``mag``: one number = isotropic total (a third per axis), three = x, y, z component rates."""
    r = arguments.one_or_three(name, value, _exact)
    return r if isinstance(r, tuple) else (r / 3, r / 3, r / 3)


def _vector(name: str, value) -> tuple[Fraction, Fraction, Fraction]:
    """A Zeeman vector: three components, or one number = along z."""
    r = arguments.one_or_three(name, value, lambda n, v: _exact(n, v, arguments.as_real))
    return r if isinstance(r, tuple) else (Fraction(0), Fraction(0), r)


def _dps(dps):
    return None if dps is None else arguments.integer("dps", dps, minimum=1, maximum=1000)


# ============================================================================ engine matrices
def _values(so, mag, omega, phi) -> dict:
    return dict(zip(SPIN_HALF_PARAMETERS, (*so, *mag, *omega, phi)))


def _operator_numpy(kind, so, mag, omega, phi, partner: bool = False) -> np.ndarray:
    """H (4x4 complex, channel basis) for component rates so, mag, Zeeman vector omega and dephasing phi (rates),
    from the stored engine form (:func:`mesocorr.integrals.gap_operators.spin_half_operator`)."""
    return spin_half_operator(kind).numpy(_values(so, mag, omega, phi), partner)


def _operator_mp(kind, so, mag, omega, phi) -> mpmath.matrix:
    """H from exact (Fraction) inputs, rounded once to the working precision."""
    return spin_half_operator(kind).mpmath(_values(so, mag, omega, phi))


def _sub(M, idx):
    """The block ``idx`` of an mpmath matrix."""
    out = mpmath.matrix(len(idx), len(idx))
    for a, i in enumerate(idx):
        for b, j in enumerate(idx):
            out[a, b] = M[i, j]
    return out


# ============================================================================ channels
@arguments.float64_range
def zeeman_channels(kind: str, so=0, mag=0, phi=0, zeeman=0, dps: int | None = None) -> list[dict]:
    r"""Channels of the spin-½ Cooperon or Diffuson with a Zeeman vector: gaps (complex) and weights.

    Parameters
    ----------
    kind : {"cooperon", "diffuson"}
    so, mag : rate or three rates
        Isotropic total or x, y, z component rates (as :func:`mesocorr.channels`).
    phi : rate
        Dephasing, added to every channel.
    zeeman : rate or three rates
        :math:`\boldsymbol\omega = g\mu_B\mathbf B/\hbar` (one number: along z), same units as the rates.
    dps : int, optional
        mpmath at ``dps`` digits (``mpc`` values).

    Returns
    -------
    list of dict
        ``name`` (e.g. ``"singlet~triplet_z-"`` for a mixed pair; ``-``/``+`` the branch
        :math:`\bar\Gamma\mp\sqrt{\cdot}`), ``gap``, ``weight`` (WL weight, Cooperon; ``None`` for the
        Diffuson), ``block`` (the channel-basis states mixed), ``condition`` (eigenvalue condition number,
        ``inf`` at an exceptional point, where individual weights do not exist).

    Examples
    --------
    >>> rows = zeeman_channels("diffuson", so=0.3, zeeman=0.2)
    >>> [(r["name"], complex(round(r["gap"].real, 12), round(r["gap"].imag, 12))) for r in rows]
    [('singlet', 0j), ('triplet_x~triplet_y-', (0.4-0.2j)), ('triplet_x~triplet_y+', (0.4+0.2j)), ('triplet_z', (0.4+0j))]
    """
    kind = arguments.choice("kind", kind, ("cooperon", "diffuson"))
    so_c, mag_c, omega = _rates("so", so), _rates("mag", mag), _vector("zeeman", zeeman)
    phi_c = _exact("phi", phi)
    dps = _dps(dps)
    op = spin_half_operator(kind)
    names = op.channels
    H = _operator_numpy(kind, so_c, mag_c, omega, phi_c)
    W = op.weight()
    rows = []
    for blk in common_blocks(H):
        label = "~".join(names[i] for i in blk)
        if dps is None:
            res = eigen_channels(H[np.ix_(blk, blk)], W[np.ix_(blk, blk)])
            gaps, weights, cond = list(res.gaps), list(res.weights), list(res.condition)
        else:
            with mpmath.workdps(dps + _GUARD):
                Hm = _sub(_operator_mp(kind, so_c, mag_c, omega, phi_c), blk)
                Wm = _sub(op.weight_mpmath(), blk)
                res = eigen_channels_mp(Hm, Wm)
                gaps, weights, cond = res.gaps, res.weights, res.condition
        order = sorted(range(len(blk)), key=lambda k: (float(mpmath.re(gaps[k])), float(mpmath.im(gaps[k]))))
        for rank, k in enumerate(order):
            if len(blk) == 1:
                name = label
            elif len(blk) == 2:
                name = f"{label}{'-+'[rank]}"
            else:
                name = f"{label}[{rank}]"
            weight = weights[k] if kind == "cooperon" else None
            if dps is not None:
                with mpmath.workdps(dps):
                    gap, weight = +gaps[k], (None if weight is None else +weight)
            else:
                gap = complex(gaps[k])
                weight = None if weight is None else complex(weight)
            rows.append({"name": name, "gap": gap, "weight": weight, "block": [names[i] for i in blk],
                         "condition": float(cond[k])})
    return rows


# ============================================================================ magnetoconductance
def _fields(B):
    if isinstance(B, (str, bytes)):
        raise TypeError("B: expected a number or a sequence of numbers (tesla), got a string")
    scalar = np.ndim(B) == 0
    try:
        arr = np.asarray(B, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"B: expected real numbers (tesla), got {type(B).__name__}") from None
    if arr.dtype.kind != "f" or not np.all(np.isfinite(arr)):
        raise ValueError("B: fields must be finite real numbers (tesla)")
    return arr, scalar


class _Setup:
    """Checked inputs of the magnetoconductance: exact rates, the operator pieces, blocks."""

    def __init__(self, dim, D, so, mag, phi, g_factor, B_inplane, width, subtract):
        self.dim = arguments.integer("dim", dim, minimum=1, maximum=3)
        if D is None:
            raise TypeError("D: the diffusion constant (m^2/s) is required")
        self.D = arguments.positive("D", D)
        self.so, self.mag = _rates("so", so), _rates("mag", mag)
        self.phi = _exact("phi", phi)
        self.g = arguments.as_real("g_factor", g_factor)
        self.B_inplane = arguments.as_real("B_inplane", B_inplane)
        self.subtract = arguments.choice("subtract", subtract, SUBTRACTIONS)
        if self.dim == 1:
            if width is None:
                raise TypeError("width: the wire width W (m) is required for dim=1")
            self.width = arguments.positive("width", width)
        elif width is not None:
            raise ValueError(f"width: only used for dim=1, got dim={self.dim}")
        else:
            self.width = None
        # Zeeman rate per tesla (exact binary of the float product: the same number in every path)
        self.omega_per_tesla = Fraction(self.g * MU_B / HBAR)
        self.omega_inplane = Fraction(self.g * MU_B * self.B_inplane / HBAR)
        H0 = _operator_numpy("cooperon", self.so, self.mag, (self.omega_inplane, 0, 0), self.phi)
        Gz = spin_half_operator("cooperon").generator("omega_z")
        self.H0, self.Gz = H0, (Gz if self.g != 0 else np.zeros_like(Gz))
        self.W = spin_half_operator("cooperon").weight()
        # gapless check on the Hermitian part (the Zeeman term is anti-Hermitian): Re(gap) >= its minimum
        herm = np.linalg.eigvalsh(0.5 * (H0 + H0.conj().T))
        if self.dim in (1, 2) and herm.min() <= 1e-14 * max(1.0, abs(herm).max()):
            raise ValueError("phi: a Cooperon channel is gapless (no dephasing and no magnetic scattering), so the "
                             "magnetoconductance relative to B = 0 diverges; give phi > 0 (or mag > 0)")
        self.blocks = common_blocks(self.H0, self.Gz)


@arguments.float64_range
def zeeman_magnetoconductance(B, dim: int = 2, D: float = None, so=0, mag=0, phi=0, g_factor=0.0,
                              B_inplane=0.0, width: float | None = None, subtract: str = "zero_field",
                              dps: int | None = None):
    r"""Magnetoconductance :math:`\Delta\sigma(B)=\sigma(B)-\sigma(0)` with spin-orbit, magnetic impurities and Zeeman.

    The perpendicular field ``B`` bends the orbits *and* splits the spins (Zeeman vector
    :math:`g\mu_B(B_\parallel, 0, B)/\hbar`); ``B_inplane`` only splits them. At :math:`B = 0` the splitting is
    the in-plane one only (module docstring, "Which σ(0)"). Units as :func:`mesocorr.magnetoconductance`
    (e²/h per square in 2D, e²/h·m in 1D, (e²/h)/m in 3D).

    .. math::
        d=2:\ \frac{s}{2\pi}\{\mathrm{Tr}[WF(bH_B^{-1})] + \mathrm{Tr}[W(\ln H_B-\ln H_0)]\},\qquad
        d=3:\ \frac{s}{2\pi}\{\sqrt{eB/\hbar}\,\mathrm{Tr}[Wf_3(H_B/b)] + D^{-1/2}\mathrm{Tr}[W(\sqrt{H_B}-\sqrt{H_0})]\},

        d=1:\ s\sqrt D\,\mathrm{Tr}[W(H_0^{-1/2} - (H_B+1/\tau_B)^{-1/2})],

    :math:`b = 4eD|B|/\hbar`, :math:`1/\tau_B = De^2W^2B^2/3\hbar^2`, :math:`s = 2`, :math:`F, f_3` the HLN and
    Kawabata functions (complex arguments: :mod:`mesocorr.integrals.hln_complex`,
    :mod:`mesocorr.integrals.kawabata_complex`).

    Parameters
    ----------
    B : float or array_like
        Perpendicular field(s), tesla (either sign; the result is even in B).
    dim : {1, 2, 3}
    D : float
        Diffusion constant (m²/s).
    so, mag : rate or three rates (1/s)
    phi : rate (1/s)
    g_factor : float
        Effective g factor (0: no Zeeman effect; the result is then that of :func:`mesocorr.magnetoconductance`).
    B_inplane : float
        Fixed in-plane field (tesla, along x): splits the spins only.
    width : float, optional
        Wire width (m), ``dim=1`` only.
    subtract : {"zero_field", "same_splitting"}
        ``"zero_field"`` (default): the measured :math:`\sigma(B)-\sigma(0)`. ``"same_splitting"``: the textbook
        closed form with field-dependent channel fields evaluated as if fixed, :math:`\sigma(B;\omega_B) -
        \sigma(0;\omega_B)` — a different quantity, provided for comparison.
    dps : int, optional
        mpmath at ``dps`` digits.

    Returns
    -------
    float, numpy.ndarray, mpf or list of mpf
        float64 accuracy: < 1e-12 relative against 40-digit mpmath (tests), including the exceptional point
        (2x2 blocks by the Sylvester form, no eigenvectors).

    Examples
    --------
    >>> import mesocorr
    >>> a = zeeman_magnetoconductance(0.01, D=0.01, so=4e11, phi=1e10)
    >>> b = mesocorr.magnetoconductance(0.01, D=0.01, so=4e11, phi=1e10)
    >>> abs(a / b - 1) < 1e-13
    True
    """
    s = _Setup(dim, D, so, mag, phi, g_factor, B_inplane, width, subtract)
    arr, scalar = _fields(B)
    dps = _dps(dps)
    absb = np.abs(arr)
    if dps is None:
        out = _mc_float(absb.reshape(-1), s).reshape(absb.shape)
        return float(out) if scalar else out
    _check_mp_work(absb, s, dps)
    vals = [_mc_mp(float(b), s, dps) for b in absb.reshape(-1)]
    return vals[0] if scalar else vals


def _check_mp_work(absb, s: _Setup, dps: int) -> None:
    """The cap on work, before the work: a tiny splitting needs many more digits (the cancellation)."""
    nonzero = [float(b) for b in np.reshape(absb, -1) if b != 0]
    if nonzero:
        digits = max(_working_digits(b, s, dps) for b in nonzero)
        extra = digits - dps - _GUARD
        arguments.check_work("dps, g_factor, B", _mp_seconds(digits, len(nonzero)), MP_SECONDS_CAP,
                             f"{len(nonzero)} field(s) at up to {digits} working digits (dps + {_GUARD} guard + "
                             f"{extra} for the cancellation in sigma(B) - sigma(0)"
                             + (" at a Zeeman splitting that small)" if extra > 20 else ")"))


@arguments.float64_range
def check_magnetoconductance_work(B, dim: int = 2, D: float = None, so=0, mag=0, phi=0, g_factor=0.0,
                                  B_inplane=0.0, width: float | None = None, subtract: str = "zero_field",
                                  dps: int = 15) -> None:
    """Refuse (``ValueError``) a ``dps=`` :func:`zeeman_magnetoconductance` call over all the fields ``B`` whose
    estimated time exceeds :data:`MP_SECONDS_CAP`; for callers that evaluate the fields one at a time (the CLI,
    with progress), so that the cap holds for the whole list."""
    s = _Setup(dim, D, so, mag, phi, g_factor, B_inplane, width, subtract)
    arr, _ = _fields(B)
    _check_mp_work(np.abs(arr), s, arguments.integer("dps", dps, minimum=1, maximum=1000))


def _mc_float(absb, s: _Setup) -> np.ndarray:
    out = np.zeros(absb.shape)
    nz = np.flatnonzero(absb > 0)
    if not nz.size:
        return out
    plan = _split_plan(s) if s.dim == 2 else None
    if plan is not None:
        every = nz.size == absb.size
        with np.errstate(all="ignore"):
            fast = _mc_split_2d(absb if every else absb[nz], s, plan)
        if every:
            out = fast
        else:
            out[nz] = fast
        bad = ~np.isfinite(fast)
        if not bad.any():
            return out
        nz = nz[bad]                      # the general route (and its errors) where the fast one left the range
    out[nz] = _mc_general(absb[nz], s)
    return out


class _SplitPlan:
    """Parameter-only part of the 2D fast path: real gaps of the 1x1 blocks the perpendicular Zeeman term does not
    touch (equal gaps merged, weights added) and the split-pair 2x2 blocks (:func:`pair_trace_2x2`)."""

    def __init__(self, singles, pairs):
        self.singles = singles      # [(gap, weight)]
        self.pairs = pairs          # [(a, d, w0, w1, kappa2, moments)]


def _split_plan(s: _Setup):
    """The plan of the 2D fast path, or ``None`` where the block structure is not the one it handles: every block
    of (H0, G_z) either 1x1 with a real positive gap and no field term, or 2x2 with a real positive diagonal, no
    off-diagonal H0, a zero-diagonal generator with G01 G10 = -kappa^2 < 0 and a real diagonal weight (the
    singlet / m = 0 triplet pair of a field along z with axis-aligned rates; an in-plane field couples three)."""
    H0, G, W = s.H0, s.Gz, s.W
    singles: dict = {}
    pairs = []
    for blk in s.blocks:
        h, g, w = H0[np.ix_(blk, blk)], G[np.ix_(blk, blk)], W[np.ix_(blk, blk)]
        if np.any(h.imag != 0) or np.any(w.imag != 0) or np.any(np.diag(g) != 0):
            return None
        if len(blk) == 1:
            gap = float(h[0, 0].real)
            if not (gap > 0 and math.isfinite(gap)):
                return None
            singles[gap] = singles.get(gap, 0.0) + float(w[0, 0].real)
            continue
        if len(blk) != 2 or h[0, 1] != 0 or h[1, 0] != 0 or w[0, 1] != 0 or w[1, 0] != 0:
            return None
        prod = g[0, 1] * g[1, 0]
        a, d = float(h[0, 0].real), float(h[1, 1].real)
        mu = 0.5 * (a + d)
        if prod.imag != 0 or not prod.real < 0 or not (a > 0 and d > 0):
            return None
        if not all(math.isfinite(v) and 1e-150 < v < 1e150 for v in (a, d, a * d, mu * mu)):
            return None                    # rates near the float64 limits: the general route
        delta = 0.5 * (d - a)
        moments = log_shift_moments(delta * delta / (mu * mu), a * d / (mu * mu))
        pairs.append((a, d, float(w[0, 0].real), float(w[1, 1].real), -float(prod.real), moments))
    return _SplitPlan([(g, w) for g, w in singles.items() if w != 0], pairs)


def _mc_split_2d(b_field, s: _Setup, plan: _SplitPlan) -> np.ndarray:
    """2D Delta sigma by the split-pair fast path: real HLN F for every real gap (the no-Zeeman kernel), one
    complex phi per conjugate pair, the sigma(0) difference by :func:`log_shift_2x2` (real arithmetic)."""
    rate_b = (4 * E_CHARGE * s.D / HBAR) * b_field            # b = 4eDB/hbar (rate)
    total = None
    for gap, weight in plan.singles:
        term = hln_f_core(rate_b * (1.0 / gap))
        term *= weight
        total = term if total is None else np.add(total, term, out=total)
    if total is None:
        total = np.zeros(b_field.size)
    omega = float(s.omega_per_tesla)
    for a, d, w0, w1, kappa2, moments in plan.pairs:
        mu, delta = 0.5 * (a + d), 0.5 * (d - a)
        k = b_field * omega                                    # omega_z = g mu_B B/hbar
        k *= k
        k *= kappa2                                            # kappa^2 omega^2 (no overflow of omega^2 alone)
        y = delta * delta - k
        trw, tw = w0 + w1, -(w0 - w1) * delta

        def f_real(lam, sel):
            x = np.divide(rate_b[sel], lam)              # F(b/lambda) = phi(lambda/b)
            return hln_f_core(x.reshape(-1)).reshape(lam.shape)

        def f_complex(z, sel):
            b = rate_b[sel] if z.ndim == 1 else rate_b[sel][:, None]
            zb = np.empty(z.shape, dtype=complex)
            np.divide(z.real, b, out=zb.real)
            np.divide(z.imag, b, out=zb.imag)
            return hln_phi(zb)

        shift = s.subtract == "zero_field"
        trace = pair_trace_2x2(mu, y, k + a * d, trw, tw, f_real, f_complex, log_dd=shift)
        if shift:
            trace, log_dd = trace
            total += log_shift_2x2(a, d, w0, w1, k, moments, log_dd)
        total += trace
    total *= SPIN_DEGENERACY / (2 * math.pi)
    return total


def _mc_general(b_field, s: _Setup) -> np.ndarray:
    """The general float64 route (any block structure, d = 1, 2, 3): stacked matrices, Sylvester 2x2 forms,
    eigen/resolvent traces for larger blocks. Each field carries a rounding-error estimate (eps x eigenvector
    condition x the moduli of the terms that are summed or subtracted); where it exceeds :data:`FLOAT_TRUST`
    relative the field is re-evaluated in float64 without the eigenvectors (:func:`_block_contour`), and where
    the estimate still exceeds :data:`MP_TRUST` (next to an exceptional point, the traces of sigma(B) - sigma(0)
    cancel) by the mpmath route with the digits the cancellation needs (refused above :data:`MP_SECONDS_CAP`)."""
    omega = b_field * float(s.omega_per_tesla)
    rate_b = 4 * E_CHARGE * s.D * b_field / HBAR              # b = 4eDB/hbar (rate)
    blocks = []
    for blk in _merge_equal(s):
        idx, weight_scale = blk
        M0 = s.H0[np.ix_(idx, idx)]
        G = s.Gz[np.ix_(idx, idx)]
        W = s.W[np.ix_(idx, idx)] * weight_scale
        value, size = _block_terms(M0, G, W, omega, rate_b, b_field, s)
        blocks.append([M0, G, W, value, _EPS * size])
    total = sum(b[3] for b in blocks).real
    with np.errstate(all="ignore"):
        loss = sum(b[4] for b in blocks) / np.abs(total)
    # fields the eigen / two-trace forms do not resolve: one Cauchy integral of the resolvent difference per block
    f = _main_function(s, b_field, rate_b)
    for k in np.flatnonzero(~(loss <= FLOAT_TRUST)):
        for blk in blocks:
            if blk[4][k] > 0.1 * FLOAT_TRUST * abs(total[k]):
                got = _block_contour(blk[0], blk[1], blk[2], omega[k], k, f, s, b_field)
                if got is not None and got[1] < blk[4][k]:
                    blk[3][k], blk[4][k] = got
        total[k] = sum(b[3][k] for b in blocks).real
        loss[k] = sum(b[4][k] for b in blocks) / abs(total[k]) if total[k] else np.inf
    coef = SPIN_DEGENERACY * (1.0 if s.dim == 1 else 1.0 / (2 * math.pi))
    out = coef * total
    redo = np.flatnonzero(~(loss <= MP_TRUST) & np.isfinite(out))
    if redo.size:
        digits = [_REDO_DIGITS + max(0, math.ceil(math.log10(min(loss[k], 1e40) / _EPS))) for k in redo]
        work = max(_working_digits(float(b_field[k]), s, d) for k, d in zip(redo, digits))
        seconds = _mp_seconds(work, redo.size)
        if seconds > MP_SECONDS_CAP:
            raise ValueError(f"B_inplane, g_factor: {redo.size} field(s) where the traces of sigma(B) - sigma(0) "
                             f"cancel (near an exceptional point of the Zeeman-split Cooperon): float64 loses up to "
                             f"{float(np.max(loss[redo])):.1g} relative; "
                             f"their mpmath re-evaluation would take about {seconds:.3g} s (> cap {MP_SECONDS_CAP:g} "
                             f"s): ask for fewer fields there, or use dps=")
        for k, d in zip(redo, digits):
            out[k] = float(_mc_mp(float(b_field[k]), s, d))
    return out


def _block_contour(M0, G, W, omega, k, f, s: _Setup, b_field):
    """One block at field ``b_field[k]`` (value, error) as :func:`_block_terms` (same units), without eigenvectors
    of a near-defective matrix: one Cauchy integral of the resolvent difference
    (:func:`~mesocorr.integrals.matrix_functions.contour_trace_pair`) where both spectra fit in one circle, else
    the traces by :func:`~mesocorr.integrals.matrix_functions.spectral_trace` (contours around eigenvalue clusters,
    eigen sums for the isolated ones) with their error estimates and the rounding of their difference added;
    ``None`` if neither applies."""
    M = M0 + omega * G
    zero_field = s.subtract == "zero_field" and bool(np.any(G))
    main = None if s.dim == 1 else (lambda z: f(z, np.array([k])))
    if s.dim == 1:
        rate_field = s.D * (E_CHARGE * s.width * b_field[k] / HBAR) ** 2 / 3
        shift = rate_field * np.eye(M0.shape[0])
        root = math.sqrt(s.D)
        zero_field = s.subtract == "zero_field"
        A, E = (M0, omega * G + shift) if zero_field else (M, shift)     # E not as a difference: 1/tau_B << H

        def g(z):
            return -root / np.sqrt(z)
    elif zero_field:
        A, E = M0, omega * G
        inv_root = 1 / math.sqrt(s.D)
        g = np.log if s.dim == 2 else (lambda z: inv_root * np.sqrt(z))
    else:
        A, E, g = M, None, None
    got = contour_trace_pair(A, E, W, f=main, g=g)
    if got is not None:
        return got
    best = None
    for tol in (0.1, 1e-2):     # wide clusters first: fewer eigenvalue-conditioned isolated channels
        try:
            value, error = spectral_trace(M, W, main, tol, sharp_error=True) if main else (0j, 0.0)
            if g is not None:
                t1, e1 = spectral_trace(A + E, W, g, tol, sharp_error=True)
                t0, e0 = spectral_trace(A, W, g, tol, sharp_error=True)
                value += t1 - t0
                error += e1 + e0 + 2 * _EPS * (abs(t1) + abs(t0))
        except (ArithmeticError, np.linalg.LinAlgError):
            continue
        if np.isfinite(value) and math.isfinite(error) and (best is None or error < best[1]):
            best = (value, error)
    return best


def _merge_equal(s: _Setup):
    """Blocks, with 1x1 blocks of equal (M0, G) merged (weights added): fewer function evaluations."""
    seen: dict = {}
    out = []
    for blk in s.blocks:
        if len(blk) == 1:
            i = blk[0]
            key = (complex(s.H0[i, i]), complex(s.Gz[i, i]))
            if key in seen:
                seen[key][1].append(i)
                continue
            seen[key] = (len(out), [i])
            out.append(None)
        else:
            out.append((blk, 1.0))
    for (pos, members) in seen.values():
        i = members[0]
        w = sum(s.W[j, j] for j in members)
        out[pos] = ([i], w / s.W[i, i] if s.W[i, i] != 0 else 0.0)
    return [b for b in out if b is not None and b[1] != 0]


def _phi_of(lam, b):
    """HLN phi(lam/b) = F(b/lam) for gaps lam (rates), b = 4eDB/hbar: the real path where a gap is real."""
    z = np.asarray(lam / b)
    shape = z.shape
    z = z.reshape(-1)
    out = np.empty(z.shape, dtype=complex)
    real = z.imag == 0
    if real.all():
        return (hln_f_core(1.0 / z.real) + 0j).reshape(shape)
    if real.any():
        out[real] = hln_f_core(1.0 / z.real[real])
    out[~real] = hln_phi(z[~real])
    return out.reshape(shape)


def _main_function(s: _Setup, b_field, rate_b):
    """The channel function f(gap, sel) of the field-dependent term, vectorised over fields (sel)."""
    if s.dim == 2:
        def f(lam, sel):
            b = rate_b[sel] if np.ndim(lam) == 1 else rate_b[sel][:, None]
            return _phi_of(lam, b)
    elif s.dim == 3:
        root = np.sqrt(E_CHARGE * b_field / HBAR)

        def f(lam, sel):
            b = rate_b[sel] if np.ndim(lam) == 1 else rate_b[sel][:, None]
            r = root[sel] if np.ndim(lam) == 1 else root[sel][:, None]
            return r * kawabata_f3_complex(lam / b)
    else:
        def f(lam, sel):
            return np.zeros(np.shape(lam), dtype=complex)
    return f


def _block_terms(M0, G, W, omega, rate_b, b_field, s: _Setup) -> tuple[np.ndarray, np.ndarray]:
    """Sum over one block of the field term and (for subtract="zero_field") the sigma(0) correction, and the
    rounding-error scale of that sum (times eps: its estimated absolute error, in the units of the sum)."""
    n = M0.shape[0]
    N = omega.size
    M = M0[None, :, :] + omega[:, None, None] * G[None, :, :]
    f = _main_function(s, b_field, rate_b)
    # ---- field term: Tr[W f(M_B)]
    if s.dim != 1:
        if n == 1:
            main = W[0, 0] * f(M[:, 0, 0], np.arange(N))
            size = np.abs(main)
        else:
            if n == 2:
                main = sylvester_2x2(M, W, f, conjugate_symmetric=True)
                size = eigen_error_scale(M, W, lambda z: f(z, np.arange(N)))
            else:
                main, size = _generic_trace(M, W, f, N, with_scale=True)
    else:
        main = np.zeros(N, dtype=complex)
        size = np.zeros(N)
    # ---- sigma(0) difference
    if s.dim == 1:
        rate_field = s.D * (E_CHARGE * s.width * b_field / HBAR) ** 2 / 3     # 1/tau_B (quasi1d_field_rate)
        E = omega[:, None, None] * G[None] + rate_field[:, None, None] * np.eye(n)[None]
        base = M0 if s.subtract == "zero_field" else M
        # Delta sigma_1D / (s sqrt D) = -Tr W[(base + E')^-1/2 - base^-1/2], E' the part not in base
        E_rel = E if s.subtract == "zero_field" else rate_field[:, None, None] * np.eye(n)[None]
        diff, dsize = _difference(base, E_rel, W, inv_sqrt_divided_difference, lambda x: x ** -0.5)
        return -math.sqrt(s.D) * diff, math.sqrt(s.D) * dsize
    if s.subtract == "same_splitting" or not np.any(G):
        return main, size
    E = omega[:, None, None] * G[None]
    if s.dim == 2:
        corr, csize = _difference(M0, E, W, log_divided_difference, np.log)
    else:
        corr, csize = _difference(M0, E, W, sqrt_divided_difference, np.sqrt)
        corr, csize = corr / math.sqrt(s.D), csize / math.sqrt(s.D)
    return main + corr, size + csize


def _generic_trace(M, W, f, N, with_scale: bool = False):
    """Tr[W f(M)] for stacked n x n (n > 2) matrices: eigen route, per-field spectral trace near an EP
    (``with_scale``: also the rounding-error scale of the eigen sums, as
    :func:`~mesocorr.integrals.matrix_functions.eigen_error_scale`)."""
    lam, V = np.linalg.eig(M)
    Vi = np.linalg.inv(V)
    weights = np.einsum("nci,ij,njc->nc", Vi, W, V)
    cond = np.linalg.cond(V)
    values = f(lam, np.arange(N))
    out = np.einsum("nc,nc->n", weights, values)
    for k in np.flatnonzero(~(cond < _EP_CONDITION)):
        out[k] = spectral_trace(M[k], W, lambda z, k=k: f(z[None, :], np.array([k]))[0])[0]
    if not with_scale:
        return out
    with np.errstate(all="ignore"):
        size = cond * np.sum(np.abs(weights) * np.abs(values), axis=-1)
    return out, np.where(np.isfinite(size), size, np.inf)


def _trace_stack(M, W, func):
    """Tr[W func(M)] for stacked n x n matrices: closed form for n = 1, Sylvester for n = 2, else per matrix."""
    n = M.shape[-1]
    if n == 1:
        return W[0, 0] * func(M[:, 0, 0])
    if n == 2:
        return sylvester_2x2(M, W, lambda z, sel: func(z))
    return _generic_trace(M, W, lambda lam, sel: func(lam), M.shape[0])


def _difference(M0, E, W, dd, func):
    """Tr[W(f(M0 + E) - f(M0))] for stacked E (M0 one matrix or a stack): Daleckii-Krein where E is small
    against the spectrum of M0 and the eigenvectors are well conditioned (no cancellation), both traces
    separately elsewhere (near an exceptional point, where E is not small). Returns the values and their
    rounding-error scales (times eps: the estimated absolute errors)."""
    N, n = E.shape[0], E.shape[-1]
    single = M0.ndim == 2
    lam0 = np.linalg.eigvals(M0 if single else M0.reshape(-1, n, n))
    scale = np.abs(lam0).min(axis=-1)
    small = n * np.abs(E).reshape(N, -1).max(axis=1) < 0.1 * scale
    value = np.empty(N, dtype=complex)
    size = np.empty(N)
    idx = np.flatnonzero(small)
    redo = np.zeros(N, dtype=bool)
    if idx.size:
        v, cond, mag = trace_difference(M0 if single else M0[idx], E[idx], W, dd, magnitude=True)
        value[idx] = v
        size[idx] = cond * mag
        redo[idx[~(cond < _DK_CONDITION)]] = True
    sep = np.flatnonzero(~small | redo)
    if sep.size:
        base = np.broadcast_to(M0, (sep.size, n, n)) if single else M0[sep]
        zero = (np.full(sep.size, _trace_stack(M0[None], W, func)[0]) if single
                else _trace_stack(base, W, func))
        value[sep] = _trace_stack(base + E[sep], W, func) - zero
        size[sep] = eigen_error_scale(base + E[sep], W, func) + eigen_error_scale(base, W, func)
    return value, size


def _working_digits(b: float, s: _Setup, dps: int) -> int:
    """Digits of the mpmath evaluation at field ``b``: ``dps`` + guard + the cancellation of the sigma(0)
    difference at small splitting, ~2 log10(|H|/|omega_b|) digits."""
    omega_b = s.omega_per_tesla * Fraction(b)
    if not omega_b:
        return dps + _GUARD
    scale = float(np.abs(_operator_numpy("cooperon", s.so, s.mag, (s.omega_inplane, 0, 0), s.phi)).max())
    ratio = Fraction(scale) / abs(omega_b)                 # exact: omega_b may be far below the float64 range
    extra = 2 * max(0, len(str(ratio.numerator // ratio.denominator)) if ratio >= 1 else 0)
    return dps + _GUARD + extra


def _mp_seconds(digits: int, fields: int) -> float:
    """Estimated CPU time of ``fields`` mpmath field values at ``digits`` working digits (measured worst case,
    degenerate channels: the contour route, 0.7 s at 29 digits, 3 s at 119, 17 s at 314 digits per field)."""
    return fields * (0.3 + 0.27 * (digits / 40) ** 2)


def _mc_mp(b: float, s: _Setup, dps: int):
    """One field with mpmath: field term and sigma(0) difference from spectral traces at raised precision."""
    if b == 0:
        with mpmath.workdps(dps):
            return mpmath.mpf(0)
    omega_b = s.omega_per_tesla * Fraction(b)
    HB = ("cooperon", s.so, s.mag, (s.omega_inplane, 0, omega_b), s.phi)
    H0 = ("cooperon", s.so, s.mag, (s.omega_inplane, 0, 0), s.phi)
    work = _working_digits(b, s, dps)
    with mpmath.workdps(work):
        hbar, e = mp_constant("hbar"), mp_constant("e")
        Bm, Dm = mpmath.mpf(b), mpmath.mpf(s.D)
        rate_b = 4 * e * Dm * Bm / hbar
        HBm, H0m, Wm = _operator_mp(*HB), _operator_mp(*H0), spin_half_operator("cooperon").weight_mpmath()
        if s.dim == 1:
            width = mpmath.mpf(s.width)
            rate_field = Dm * (e * width * Bm / hbar) ** 2 / 3
            n = HBm.rows
            base = H0m if s.subtract == "zero_field" else HBm
            shifted = HBm + rate_field * mpmath.eye(n)
            total = -mpmath.sqrt(Dm) * (spectral_trace_mp(shifted, Wm, _inv_sqrt_mp)[0]
                                        - spectral_trace_mp(base, Wm, _inv_sqrt_mp)[0])
            total *= SPIN_DEGENERACY
        else:
            if s.dim == 2:
                main = spectral_trace_mp(HBm, Wm, lambda z: hln_f_complex_mp(rate_b / z, work))[0]
                corr_f = mpmath.log
            else:
                root = mpmath.sqrt(e * Bm / hbar)
                main = root * spectral_trace_mp(HBm, Wm, lambda z: kawabata_f3_complex_mp(z / rate_b, work))[0]
                corr_f = mpmath.sqrt
            total = main
            if s.subtract == "zero_field" and omega_b:
                corr = spectral_trace_mp(HBm, Wm, corr_f)[0] - spectral_trace_mp(H0m, Wm, corr_f)[0]
                total += corr if s.dim == 2 else corr / mpmath.sqrt(Dm)
            total *= SPIN_DEGENERACY / (2 * mpmath.pi)
    with mpmath.workdps(dps):
        return +mpmath.re(total)


def _inv_sqrt_mp(z):
    return 1 / mpmath.sqrt(z)


# ============================================================================ the Landau-level route
@arguments.float64_range
def landau_level_magnetoconductance(B, D: float = None, so=0, mag=0, phi=0, g_factor=0.0, B_inplane=0.0,
                                    dps: int = 30, max_levels: int = 100_000):
    r"""2D :math:`\Delta\sigma(B)` (measured, e²/h) by the Landau-level sum of resolvents — no eigenvectors.

    With :math:`Z = H_B/b`:
    :math:`\mathrm{Tr}[W\psi(\tfrac12+Z)] = -\sum_{n<N}\mathrm{Tr}[W(n+\tfrac12+Z)^{-1}] + \mathrm{Tr}[W\psi(N+\tfrac12+Z)]`,
    the tail from the asymptotic expansion
    :math:`\psi(\tfrac12+Y) = \ln Y + \sum_k c_kY^{-2k}` at :math:`Y = N+Z`
    (:math:`c_k = -B_{2k}(\tfrac12)/2k`) and :math:`\ln(N+Z) = \ln N + \sum_j (-1)^{j+1}Z^j/(jN^j)`; then
    :math:`\Delta\sigma = \frac{s}{2\pi}\mathrm{Tr}[W(\psi(\tfrac12+Z) - \ln(H_0/b))]`. Every step is a resolvent or a
    matrix power of :math:`H_B`: continuous through the exceptional point. ``N`` =
    :math:`\max(64, 8\|Z\|)` levels (refused above ``max_levels``); mpmath at ``dps`` digits.
    Returns an ``mpf`` (or a list for an array of fields). The check of :func:`zeeman_magnetoconductance`.
    """
    s = _Setup(2, D, so, mag, phi, g_factor, B_inplane, None, "zero_field")
    dps = _dps(dps)
    max_levels = arguments.integer("max_levels", max_levels, minimum=64, maximum=10**7)
    arr, scalar = _fields(B)
    vals = [_ll_one(float(b), s, dps, max_levels) for b in np.abs(arr).reshape(-1)]
    return vals[0] if scalar else vals


def _ll_one(b, s, dps, max_levels):
    if b == 0:
        with mpmath.workdps(dps):
            return mpmath.mpf(0)
    omega_b = s.omega_per_tesla * Fraction(b)
    HB = ("cooperon", s.so, s.mag, (s.omega_inplane, 0, omega_b), s.phi)
    H0 = ("cooperon", s.so, s.mag, (s.omega_inplane, 0, 0), s.phi)
    work = dps + _GUARD
    with mpmath.workdps(work):
        hbar, e = mp_constant("hbar"), mp_constant("e")
        rate_b = 4 * e * mpmath.mpf(s.D) * mpmath.mpf(b) / hbar
        Z = _operator_mp(*HB) / rate_b
        Wm = spin_half_operator("cooperon").weight_mpmath()
        n = Z.rows
        norm = mpmath.mnorm(Z, 1)
        levels = int(max(64, mpmath.ceil(8 * norm)))
        if levels > max_levels:
            raise ValueError(f"max_levels: the Landau-level route needs {levels} levels at B = {b} T "
                             f"(> {max_levels}); raise max_levels or use zeeman_magnetoconductance")
        half = mpmath.mpf(1) / 2
        level_sum = mpmath.fsum(resolvent_trace_mp(Z, Wm, k + half) for k in range(levels))
        Nm = mpmath.mpf(levels)
        trw = mpmath.fsum(Wm[i, i] for i in range(n))
        # Tr W ln(N + Z) = Tr W ln N + sum_j (-1)^(j+1) Tr[W Z^j]/(j N^j)
        log_part, power, j = trw * mpmath.log(Nm), mpmath.eye(n), 1
        while True:
            power = power * Z / Nm
            term = (-1) ** (j + 1) * _trace(Wm * power) / j
            log_part += term
            if abs(term) < mpmath.eps * 1e-3 or j > 10 * work:
                break
            j += 1
        # sum_k c_k Tr W (N + Z)^(-2k)
        inv = mpmath.inverse(Nm * mpmath.eye(n) + Z)
        inv2 = inv * inv
        power, tail, k = mpmath.eye(n), mpmath.mpf(0), 1
        while True:
            power = power * inv2
            c = -mpmath.bernpoly(2 * k, half) / (2 * k)
            term = c * _trace(Wm * power)
            tail += term
            if abs(term) < mpmath.eps * 1e-3:
                break
            k += 1
            if k > levels:    # pragma: no cover - the series is far from its optimal truncation at N >= 64
                raise ArithmeticError("the Landau-level tail did not converge")
        psi_trace = log_part + tail - level_sum
        ln_h0 = spectral_trace_mp(_operator_mp(*H0), Wm, mpmath.log)[0] - trw * mpmath.log(rate_b)
        total = SPIN_DEGENERACY / (2 * mpmath.pi) * (psi_trace - ln_h0)
    with mpmath.workdps(dps):
        return +mpmath.re(total)


def _trace(m):
    return mpmath.fsum(m[i, i] for i in range(m.rows))


# ============================================================================ zero field
@arguments.float64_range
def zeeman_wl_correction(dim: int, D: float = None, so=0, mag=0, phi=0, zeeman=0, elastic_time: float = None,
                         dps: int | None = None):
    r"""Zero-field WL correction :math:`\delta\sigma` (e²/h units of :func:`mesocorr.wl_correction`) with a fixed
    Zeeman vector ``zeeman`` (rates, e.g. from an in-plane field: :func:`zeeman_rate`).

    :math:`\delta\sigma = -\frac{s}{2\pi}\mathrm{Tr}[W g_2(H\tau)]` (2D),
    :math:`-\frac{2s}{\pi}\sqrt{D\tau}\,\mathrm{Tr}[W g_1(H\tau)]` (1D),
    :math:`\frac{s}{\pi^2\sqrt{D\tau}}\mathrm{Tr}[W g_3(H\tau)]` (3D), :math:`g_d` of
    :mod:`mesocorr.integrals.zero_field` (complex gaps, continuous through the exceptional point).
    """
    dim = arguments.integer("dim", dim, minimum=1, maximum=3)
    if D is None:
        raise TypeError("D: the diffusion constant (m^2/s) is required")
    D = arguments.positive("D", D)
    if elastic_time is None:
        raise TypeError("elastic_time: the elastic time tau (s) is required")
    tau = arguments.positive("elastic_time", elastic_time)
    so_c, mag_c, omega = _rates("so", so), _rates("mag", mag), _vector("zeeman", zeeman)
    phi_c = _exact("phi", phi)
    dps = _dps(dps)
    if dps is None:
        H = _operator_numpy("cooperon", so_c, mag_c, omega, phi_c)
        herm = np.linalg.eigvalsh(0.5 * (H + H.conj().T))
        if dim in (1, 2) and herm.min() <= 0:
            raise ValueError("phi: a Cooperon channel is gapless, the zero-field correction diverges; give phi > 0")
        W = spin_half_operator("cooperon").weight()
        try:
            total = sum(spectral_trace(H[np.ix_(b, b)] * tau, W[np.ix_(b, b)], lambda x: zero_field_g(dim, x))[0]
                        for b in common_blocks(H))
        except ArithmeticError as exc:       # a spectrum float64 cannot resolve (rates ~1e-308 next to O(1))
            raise ValueError(f"so, mag, phi, zeeman: the gap spectrum is not resolved in float64 for these rates "
                             f"({exc}); give less extreme values or use dps=") from None
        total = total.real
        pref = {2: -SPIN_DEGENERACY / (2 * math.pi), 1: -2 * SPIN_DEGENERACY / math.pi * math.sqrt(D * tau),
                3: SPIN_DEGENERACY / (math.pi ** 2 * math.sqrt(D * tau))}[dim]
        result = pref * total
        arguments.check_finite_result("D, elastic_time, rates", result, "use dps= or less extreme values")
        return result
    with mpmath.workdps(dps + _GUARD):
        H = _operator_mp("cooperon", so_c, mag_c, omega, phi_c) * mpmath.mpf(tau)
        W = spin_half_operator("cooperon").weight_mpmath()
        total = mpmath.re(spectral_trace_mp(H, W, lambda x: zero_field_g_mp(dim, x))[0])
        s_, Dt = SPIN_DEGENERACY, mpmath.sqrt(mpmath.mpf(D) * mpmath.mpf(tau))
        pref = {2: -s_ / (2 * mpmath.pi), 1: -2 * s_ / mpmath.pi * Dt, 3: s_ / (mpmath.pi ** 2 * Dt)}[dim]
        total *= pref
    with mpmath.workdps(dps):
        return +total


# ============================================================================ UCF
@arguments.float64_range
def zeeman_ucf_content(so=0, mag=0, zeeman=0, phi=0, broken_trs: bool = False, route: str = "auto") -> dict:
    r"""Channels entering the UCF loops with a Zeeman vector (rates in units of :math:`D/L^2`).

    For each propagator kind (Diffuson; Cooperon unless ``broken_trs``) the gap operator :math:`H` with the
    dephasing ``phi`` on every channel. Ring diagrams: :math:`\mathrm{Tr}[P^2] = \sum_cP_c^2` over the
    eigenvalues, weight one each (exact for any :math:`H`). Two-box diagram: :math:`\mathrm{Tr}[P\tilde P]` with
    :math:`\tilde H = XH^TX` (Diffuson) or :math:`XHX` (Cooperon), :math:`X` the exchange of the two particles
    — derived from the index contractions of the two boxes (docs/conventions.md, "Which channels Zeeman
    touches"); for the spin-½ models :math:`\tilde H = H^\dagger` (tested), so the two-box loop is
    :math:`\|P\|_F^2`. With eigen-decompositions :math:`H = V\Lambda V^{-1}`, :math:`\tilde H = \tilde V\tilde\Lambda
    \tilde V^{-1}`: :math:`\sum_{cd} g_{cd}\,P_c\tilde P_d`, :math:`g_{cd} = (V^{-1}\tilde V)_{cd}(\tilde V^{-1}V)_{dc}`
    (:math:`g = 1` on the diagonal for a normal :math:`H`).

    ``route``: ``"eigen"`` (the sums over eigenvalues above; refused at an exceptional point), ``"resolvent"``
    (Cauchy integrals of the resolvents on circles around each block's spectrum, no eigenvectors: the
    "channels" are then contour nodes with complex weights; continuous through the exceptional point) or
    ``"auto"`` (eigen where the eigenvectors are well conditioned, condition number below 10, else resolvent).

    Returns ``{"ring": [(kind, gap, weight)], "two_box": [(kind, gap_c, gap_d, weight)]}`` (complex numbers).
    """
    so_c, mag_c, omega = _rates("so", so), _rates("mag", mag), _vector("zeeman", zeeman)
    phi_c = _exact("phi", phi)
    broken_trs = arguments.boolean("broken_trs", broken_trs)
    route = arguments.choice("route", route, UCF_ROUTES)
    kinds = ("diffuson",) if broken_trs else ("diffuson", "cooperon")
    ring, two_box = [], []
    for kind in kinds:
        H = _operator_numpy(kind, so_c, mag_c, omega, phi_c)
        Ht = _operator_numpy(kind, so_c, mag_c, omega, phi_c, partner=True)
        for blk in common_blocks(H, Ht):
            h, ht = H[np.ix_(blk, blk)], Ht[np.ix_(blk, blk)]
            lam, V = np.linalg.eig(h)
            lamt, Vt = np.linalg.eig(ht)
            worst = max(np.linalg.cond(V), np.linalg.cond(Vt))
            if route == "resolvent" or (route == "auto" and worst > _UCF_CONDITION):
                r, b = _ucf_contour(kind, h, ht)
                ring += r
                two_box += b
                continue
            if worst > _EP_CONDITION:
                raise ValueError("route: the UCF channels sit at an exceptional point (defective gap operator); "
                                 "the eigen route does not exist there, use route='auto' or 'resolvent'")
            A = np.linalg.solve(V, Vt)
            Bm = np.linalg.solve(Vt, V)
            ring += [(kind, complex(x), 1.0) for x in lam]
            for c in range(len(blk)):
                for d in range(len(blk)):
                    g = A[c, d] * Bm[d, c]
                    if abs(g) > 1e-15:
                        two_box.append((kind, complex(lam[c]), complex(lamt[d]), complex(g)))
    arguments.check_finite_result("so, mag, zeeman, phi", [abs(c) for row in ring + two_box for c in row[1:]],
                                  "a channel gap leaves the float64 range")
    return {"ring": ring, "two_box": two_box}


def _circle(mu, spread, nodes: int):
    """Radius and nodes of a circle about ``mu`` enclosing eigenvalues within ``spread`` (units D/L^2), away from
    the line Re = -pi^2 (the first pole of the mode sums; pair_mode_sums needs Re > -pi^2): radius
    sqrt(spread * distance) (or distance/4), nodes for a trapezoidal error ~1e-18. ``None`` if too close."""
    dist = mu.real + math.pi ** 2
    r = dist / 4 if spread < dist / 64 else math.sqrt(spread * dist)
    ratio = min(r / max(spread, 1e-300), dist / r)
    if ratio < 2:
        return None
    n = int(min(nodes, max(16, math.ceil(18 * math.log(10) / math.log(ratio)))))
    n += n % 2
    return r, mu + r * np.exp(2j * np.pi * (np.arange(n) + 0.5) / n)


def _circles(lam, nodes: int):
    """Circles around the spectrum ``lam``: one around all of it when it is compact, else one per eigenvalue
    (radius a quarter of the distance to the other eigenvalues and to Re = -pi^2)."""
    mu = complex(np.mean(lam))
    one = _circle(mu, float(np.max(np.abs(lam - mu))), nodes)
    if one is not None:
        return [(mu, *one)]
    out = []
    for k, lk in enumerate(lam):
        others = [abs(lk - lam[j]) for j in range(len(lam)) if j != k]
        r = min([lk.real + math.pi ** 2] + others) / 4
        if not min(others) > 0:   # pragma: no cover - coalesced eigenvalues are compact
            raise ArithmeticError("the UCF channels are not separated from the lowest mode pole")
        n = 32
        out.append((complex(lk), r, lk + r * np.exp(2j * np.pi * (np.arange(n) + 0.5) / n)))
    return out


def _ucf_contour(kind, h, ht, nodes: int = 256):
    r"""Resolvent route of the UCF loops of one block: :math:`\sum_cS(\gamma_c,\gamma_c) = \frac1{2\pi i}\oint
    S(z,z)\mathrm{Tr}(z-H)^{-1}dz` and :math:`\mathrm{Tr}[P\tilde P] = (\frac1{2\pi i})^2\oint\oint S(z,w)
    \mathrm{Tr}[(z-H)^{-1}(w-\tilde H)^{-1}]dz\,dw` on circles around the spectra (trapezoidal rule), as
    pseudo-channels (nodes with complex weights); no eigenvectors, continuous through an exceptional point."""
    n = h.shape[0]
    eye = np.eye(n)

    def nodes_of(m):
        zs, ws = [], []
        for mu, _, z in _circles(np.linalg.eigvals(m), nodes):
            zs.append(z)
            ws.append((z - mu) / z.size)
        z = np.concatenate(zs)
        return z, np.concatenate(ws), np.linalg.inv(z[:, None, None] * eye - m[None])

    z, wz, Rz = nodes_of(h)
    w, ww, Rw = nodes_of(ht)
    ring = [(kind, complex(zk), complex(wk * np.trace(R))) for zk, wk, R in zip(z, wz, Rz)]
    tr = np.einsum("kij,lji->kl", Rz, Rw) * wz[:, None] * ww[None, :]
    box = [(kind, complex(z[k]), complex(w[l]), complex(tr[k, l])) for k in range(z.size) for l in range(w.size)]
    return ring, box


@arguments.float64_range
def zeeman_ucf_variance(shape=(1,), so=0, mag=0, zeeman=0, L_phi=None, broken_trs: bool = False,
                        route: str = "auto") -> float:
    r""":math:`\operatorname{var}G` in :math:`(e^2/h)^2` of a spin-½ sample with a Zeeman splitting (float64).

    Rates (``so``, ``mag``, ``zeeman`` = :math:`\omega`) in units of :math:`D/L^2`; ``shape`` and ``L_phi`` as
    :func:`mesocorr.ucf_variance`; :func:`zeeman_ucf_correlation` at :math:`\Delta E = 0`. Without Zeeman it equals
    :func:`mesocorr.ucf_variance`.

    >>> import mesocorr
    >>> round(zeeman_ucf_variance((1,), zeeman=0) / mesocorr.ucf_variance((1,)), 12)
    1.0
    """
    return zeeman_ucf_correlation(0.0, shape, so, mag, zeeman, L_phi, broken_trs, route)


@arguments.float64_range
def zeeman_ucf_correlation(delta_E=0.0, shape=(1,), so=0, mag=0, zeeman=0, L_phi=None, broken_trs: bool = False,
                           route: str = "auto") -> float:
    r"""Energy correlation :math:`\langle\delta g(E)\delta g(E+\Delta E)\rangle` in :math:`(e^2/h)^2` with a Zeeman splitting.

    ``delta_E`` in units of :math:`E_c = \hbar D/L^2` (as :func:`mesocorr.ucf_correlation`): every propagator gets
    :math:`-i\Delta E/\hbar`, the ring loop :math:`\mathrm{Re}\,\mathrm{Tr}[P(\varepsilon)^2]`, the two-box loop
    :math:`\mathrm{Tr}[P(\varepsilon)\tilde P(-\varepsilon)]`:

    .. math:: C = w_{\rm ring}\,\mathrm{Re}\sum_c S(\gamma_c-i\varepsilon,\gamma_c-i\varepsilon)
              + w_{\rm box}\,\mathrm{Re}\sum_{cd}g_{cd}\,S(\gamma_c-i\varepsilon,\tilde\gamma_d+i\varepsilon),

    :math:`S(a,b) = \sum_{\mathbf n}(\lambda_{\mathbf n}+a)^{-1}(\lambda_{\mathbf n}+b)^{-1}` (units
    :math:`\pi^2D/L^2`, :func:`mesocorr.integrals.epstein.pair_mode_sums`), channels of :func:`zeeman_ucf_content`,
    weights :data:`~mesocorr.integrals.derived_constants.UCF_WEIGHTS` (derived by
    :func:`mesocorr.diagrams.ucf.derive_prefactor`). Without spin-orbit the two spin species are independent
    conductors at energies :math:`E\pm\hbar\omega/2`: :math:`C = 2C_s(\varepsilon) + C_s(\varepsilon+\omega) +
    C_s(\varepsilon-\omega)` with :math:`C_s` the spinless correlation (tested).
    """
    eps = arguments.as_real("delta_E", delta_E)
    if isinstance(shape, (str, bytes)) or not hasattr(shape, "__len__"):
        shape = (shape,)
    lengths = [arguments.positive(f"shape[{i}]", v) for i, v in enumerate(shape)]
    if not 1 <= len(lengths) <= 3:
        raise ValueError(f"shape: give 1 (wire), 2 (film) or 3 (box) lengths, got {len(lengths)}")
    ratios = [lengths[0] / w for w in lengths[1:]]
    phi = Fraction(0) if L_phi is None else Fraction((lengths[0] / arguments.positive("L_phi", L_phi)) ** 2)
    content = zeeman_ucf_content(so, mag, zeeman, phi, broken_trs, route)
    w_ring, w_box = monomial_float(UCF_WEIGHTS["ring"]), monomial_float(UCF_WEIGHTS["two_box"])
    unit = math.pi ** 2
    shift = 1j * eps / unit
    ring = np.array([c[1] / unit for c in content["ring"]]) - shift
    ring_w = np.array([c[2] for c in content["ring"]], dtype=complex)
    total = w_ring * float(np.sum(ring_w * pair_mode_sums(ratios, ring, ring)).real)
    a = np.array([c[1] / unit for c in content["two_box"]]) - shift
    b = np.array([c[2] / unit for c in content["two_box"]]) + shift
    g = np.array([c[3] for c in content["two_box"]])
    total += w_box * float(np.sum(g * pair_mode_sums(ratios, a, b)).real)
    arguments.check_finite_result("zeeman", total)
    return total
