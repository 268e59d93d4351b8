r"""Weak antilocalization of 2D electron gases with Rashba and Dresselhaus spin-orbit (ILP theory).

Public functions (re-exported by :mod:`mesocorr`):

* :func:`ilp_magnetoconductance` — :math:`\Delta\sigma(B) = \sigma(B)-\sigma(0)` in :math:`e^2/h` per square,
  converged (error estimate returned on request; it raises rather than return an unconverged number);
* :func:`ilp_fields` — couplings :math:`\alpha, \beta_1, \gamma` (or :math:`\beta_3`) → characteristic fields;
* :func:`ilp_couplings` — characteristic fields → couplings.

Physics (Iordanskii, Lyanda-Geller & Pikus 1994; Knap et al. 1996; derived in :mod:`mesocorr.symbolic.ilp`):
in the diffusive limit :math:`\Omega\tau \ll 1` the triplet Cooperon is
:math:`D(\mathbf Q + 2e\mathbf A/\hbar + \mathcal A\cdot\mathbf S)^2 + \Gamma_3(S_x^2+S_y^2) + 1/\tau_\phi`, the singlet
:math:`DQ^2 + 1/\tau_\phi`. With :math:`s = 2` and the weights :math:`w_T = \frac12`, :math:`w_S = -\frac12`
(from :func:`mesocorr.symbolic.ilp.pair_channels`, the seam to the channel engine):

.. math:: \Delta\sigma = \frac{s}{2\pi}\Big\{w_T\,\lim_N\Big[\int_0^N T(x)\,dx - \sum_{n<N}t_n\Big]
          + w_S\,F\!\left(\frac{|B|}{B_\phi}\right)\Big\}\ \frac{e^2}{h},

:math:`t_n` the triplet resolvent traced over Landau level :math:`n`, :math:`T(x)` its zero-field counterpart
with the same cutoff (:math:`x = \hbar q^2/4e|B|`), :math:`F(x) = \ln x + \psi(\frac12 + \frac1x)` (HLN).

Fields (tesla, Knap's characteristic fields, ``docs/conventions.md`` "ILP characteristic fields"):
``B_phi`` :math:`= \hbar/(4eD\tau_\phi)`; ``B_rashba`` :math:`H_R = m^2\alpha^2/(e\hbar^3)`;
``B_dresselhaus`` :math:`H_D = m^2(\beta_1-\beta_3)^2/(e\hbar^3)` (the *first* harmonic of the whole Dresselhaus
term); ``B_cubic`` :math:`H_3 = m^2\beta_3^2/(e\hbar^3)` (its third harmonic), :math:`\beta_3 = \gamma k_F^2/4`.
:math:`H_{SO} = H_R + H_D + H_3` is the zero-momentum relaxation field of the :math:`m = \pm1` triplets (twice
that for :math:`m = 0`); it is **not** HLN's :math:`B_{so}` (whose triplets all sit at :math:`\frac43 B_{so}` and
have no gauge coupling).

References
----------
.. [ILP94] S. V. Iordanskii, Yu. B. Lyanda-Geller, G. E. Pikus, JETP Lett. 60, 206 (1994).
.. [K96] W. Knap et al., Phys. Rev. B 53, 3912 (1996), Eqs. (37)-(38).
.. [HLN80] S. Hikami, A. I. Larkin, Y. Nagaoka, Prog. Theor. Phys. 63, 707 (1980).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import mpmath
import numpy as np

from mesocorr import arguments
from mesocorr.integrals import ilp as numerics
from mesocorr.integrals.derived_constants import ILP_LANDAU_PREFACTOR, ILP_WEIGHTS, monomial_float, monomial_mp
from mesocorr.integrals.hln import hln_f_core, hln_f_mp
from mesocorr.physics_warnings import warn_inconsistent
from mesocorr.units import E_CHARGE, HBAR

__all__ = ["ilp_magnetoconductance", "ILPResult", "ilp_fields", "ilp_couplings", "METHODS"]

METHODS = ("auto", "closed-form", "general")
#: caps on the work of one call: fields (float64 path), fields and digits of the mpmath path
MAX_FIELDS = 100_000
MAX_FIELDS_DPS = 100
MAX_DPS = 100
#: refuse H/|B| above this before any work (the float64 range of the closed form's cubic; also the general case)
MAX_CLOSED_FORM_RATIO = 1e15
#: general case: fields below B_s = min(H_SO/SMALL_FIELD_RATIO, SMALL_FIELD_PHI B_phi) (where the direct sum
#: would need more than about 10 H_SO/|B| banded rows) come from the small-field expansion of the triplet part
#: in B^2, interpolated exactly through SMALL_FIELD_NODES fields B_s sqrt(j), j = 1..SMALL_FIELD_NODES (error:
#: twice the change from one node fewer); H_SO/B_s above MAX_SMALL_FIELD_RATIO (H_SO > 1e4 B_phi) is refused
SMALL_FIELD_RATIO = 3e4
SMALL_FIELD_PHI = 0.05
SMALL_FIELD_NODES = 4
MAX_SMALL_FIELD_RATIO = 2e5
#: smallest accepted H_phi / max(H_phi, H_R, H_D, H_3) (checked before any work)
MIN_PHI_RATIO = 1e-12
_GUARD = 10
_EPS = float(np.finfo(float).eps)


class ILPResult(NamedTuple):
    """:func:`ilp_magnetoconductance` with ``full_output=True``: values, error estimates (both e²/h), and the
    method used per field (``"closed-form"``, ``"general"`` or ``"zero-field"`` for B = 0)."""

    delta_sigma: object
    error_estimate: object
    method: list


def _structure(mp: bool = False):
    """``(c, w_T, w_S)``: the prefactor s/2π and the triplet/singlet weights, derived in
    :mod:`mesocorr.symbolic.ilp` and stored exactly (:mod:`mesocorr.integrals.derived_constants`; re-derived
    in ``tests/test_ilp.py``). mpmath numbers at the caller's precision with ``mp=True``, else floats."""
    if mp:
        return (monomial_mp(ILP_LANDAU_PREFACTOR), mpmath.mpf(ILP_WEIGHTS["triplet"].numerator) / ILP_WEIGHTS["triplet"].denominator,
                mpmath.mpf(ILP_WEIGHTS["singlet"].numerator) / ILP_WEIGHTS["singlet"].denominator)
    return monomial_float(ILP_LANDAU_PREFACTOR), float(ILP_WEIGHTS["triplet"]), float(ILP_WEIGHTS["singlet"])


def _check_fields(B_phi, B_rashba, B_dresselhaus, B_cubic):
    return (arguments.positive("B_phi", B_phi), arguments.nonnegative("B_rashba", B_rashba),
            arguments.nonnegative("B_dresselhaus", B_dresselhaus), arguments.nonnegative("B_cubic", B_cubic))


def _warn_regime(fields, absb, B_transport):
    if B_transport is None:
        return
    btr = arguments.positive("B_transport", B_transport)
    hso = fields[1] + fields[2] + fields[3]
    if hso > 0.1 * btr:
        warn_inconsistent(f"B_rashba, B_dresselhaus, B_cubic: H_SO = {hso:.3g} T is not small compared with "
                          f"B_transport = {btr:.3g} T (Omega tau ~ {math.sqrt(2 * hso / btr):.2g}); the diffusive "
                          "ILP theory needs Omega tau << 1")
    if absb.size and float(np.max(absb)) > btr:
        warn_inconsistent(f"B: fields up to {float(np.max(absb)):.3g} T exceed B_transport = {btr:.3g} T; the "
                          "diffusive Landau-level theory needs |B| << B_transport")


def ilp_magnetoconductance(B, B_phi, B_rashba=0.0, B_dresselhaus=0.0, B_cubic=0.0, dps: int | None = None,
                           atol: float = 1e-10, rtol: float = 0.0, method: str = "auto",
                           B_transport: float | None = None, full_output: bool = False):
    r"""ILP magnetoconductance :math:`\Delta\sigma(B) = \sigma(B) - \sigma(0)` in :math:`e^2/h` per square.

    The triplet Landau-level sum is converged, not truncated: with one linear term (``B_rashba`` or
    ``B_dresselhaus`` zero) it is summed exactly (3x3 blocks, partial fractions into digammas of complex
    argument); with both, the levels below :math:`k_0` are traced exactly (banded LU) and the rest is summed
    from the large-level expansion (:mod:`mesocorr.integrals.ilp`); fields below
    :math:`B_s = \min(H_{SO}/3\cdot10^4, 0.05H_\phi)` from the small-field expansion of the triplet part in
    :math:`B^2` through four such sums (method ``"small-field"``). The zero-field value uses the same
    ultraviolet regularisation, so no cutoff enters.

    Parameters
    ----------
    B : float or array_like
        Perpendicular field(s) in tesla, any sign (:math:`\Delta\sigma(-B) = \Delta\sigma(B)`, 0 at B = 0).
    B_phi : float
        Dephasing field :math:`\hbar/(4eD\tau_\phi)` (T), > 0.
    B_rashba, B_dresselhaus, B_cubic : float
        Knap's fields :math:`H_R`, :math:`H_D` (first harmonic of the whole Dresselhaus term), :math:`H_3`
        (its third harmonic), tesla, >= 0. See :func:`ilp_fields` for the couplings. The result is symmetric
        under ``B_rashba`` ↔ ``B_dresselhaus``; ``B_rashba = B_dresselhaus`` with ``B_cubic = 0`` (persistent spin
        helix) is exactly weak localization.
    dps : int, optional
        Evaluate with mpmath at ``dps`` digits (returns ``mpf`` / list of ``mpf``; target accuracy
        :math:`10^{-dps}\max(1, |\Delta\sigma|)`).
    atol, rtol : float
        Requested accuracy of the float64 path, :math:`|err| \le` ``atol`` + ``rtol`` :math:`|\Delta\sigma|`
        (e²/h). The estimate is typically 1e-13 or below; a request the estimate does not meet raises
        ``ValueError`` naming ``atol`` (or ``rtol``).
    method : {"auto", "closed-form", "general"}
        ``auto``: closed form when a linear term is zero, general otherwise; ``general`` forces the general
        algorithm (a check of the closed form); ``closed-form`` requires a zero linear term.
    B_transport : float, optional
        :math:`\hbar/(4eD\tau)` (T): if given, a :class:`~mesocorr.PhysicsWarning` names parameters outside the
        diffusive regime (:math:`H_{SO} > 0.1 B_{tr}`, i.e. :math:`\Omega\tau \gtrsim 0.45`, or :math:`|B| > B_{tr}`).
    full_output : bool
        Return an ``ILPResult`` (values, error estimates, methods) instead of the values.

    Returns
    -------
    float, numpy.ndarray, mpmath.mpf, list of mpf, or ILPResult
        Same shape as ``B``.

    Raises
    ------
    ValueError
        Bad fields; the requested accuracy not reached (names ``atol``/``rtol``; for ``dps`` names ``dps``).
        Caps on the work, checked before it starts (names ``B`` or ``B_phi``):
        :math:`H/|B|` above ``MAX_CLOSED_FORM_RATIO``,
        :math:`H_\phi` below ``MIN_PHI_RATIO`` times the largest field, more than ``MAX_FIELDS``
        fields; with ``dps``: at most ``MAX_DPS`` digits, ``MAX_FIELDS_DPS`` fields and
        :data:`mesocorr.integrals.ilp.MAX_ROWS_MP` rows per field.
    TypeError
        Booleans, strings or other non-numbers.

    Examples
    --------
    >>> round(float(ilp_magnetoconductance(0.01, B_phi=0.001, B_rashba=0.02)), 10)
    -0.1152522641
    >>> import mesocorr
    >>> from mesocorr.units import E_CHARGE, HBAR
    >>> wl = mesocorr.magnetoconductance(0.01, D=1.0, phi=4 * E_CHARGE * 0.001 / HBAR)  # B_phi = 1 mT
    >>> helix = ilp_magnetoconductance(0.01, B_phi=0.001, B_rashba=0.5, B_dresselhaus=0.5)
    >>> abs(helix - wl) < 1e-11
    True
    """
    fields = _check_fields(B_phi, B_rashba, B_dresselhaus, B_cubic)
    arguments.choice("method", method, METHODS)
    atol = arguments.nonnegative("atol", atol)
    rtol = arguments.nonnegative("rtol", rtol)
    full_output = arguments.boolean("full_output", full_output)
    if method == "closed-form" and min(fields[1], fields[2]) > 0:
        raise ValueError("method: the closed form needs B_rashba = 0 or B_dresselhaus = 0")
    arr = np.asarray(arguments.real_values("B", B), dtype=float)
    scalar = arr.ndim == 0
    absb = np.abs(arr).reshape(-1)
    if absb.size > MAX_FIELDS:
        raise ValueError(f"B: at most {MAX_FIELDS} fields per call, got {absb.size}")
    _warn_regime(fields, absb, B_transport)
    if fields[0] < MIN_PHI_RATIO * max(fields):
        raise ValueError(f"B_phi: {fields[0]:.3g} T is below {MIN_PHI_RATIO:g} times the largest spin-orbit field "
                         f"({max(fields):.3g} T); the zero-field integral is not computed in that range")
    nonzero = absb[absb > 0]
    if nonzero.size and (max(fields[1:]) / float(np.min(nonzero)) > MAX_CLOSED_FORM_RATIO
                         or fields[0] / float(np.min(nonzero)) > MAX_CLOSED_FORM_RATIO):
        raise ValueError(f"B: |B| = {float(np.min(nonzero)):.3g} T is below 1e-15 times a characteristic field "
                         f"(H/|B| > {MAX_CLOSED_FORM_RATIO:g}): outside the range computed")
    if dps is not None:
        dps = arguments.integer("dps", dps, minimum=1, maximum=MAX_DPS)
        if absb.size > MAX_FIELDS_DPS:
            raise ValueError(f"B: at most {MAX_FIELDS_DPS} fields per call with dps=, got {absb.size}")
        exact = _exact_fields(B, B_phi, B_rashba, B_dresselhaus, B_cubic)
        vals, errs, meth = _ilp_mp(exact, dps, method)
        if scalar:
            return ILPResult(vals[0], errs[0], meth) if full_output else vals[0]
        return ILPResult(vals, errs, meth) if full_output else vals
    # the model is even in B: evaluate every distinct |B| once
    uniq, inverse = np.unique(absb, return_inverse=True)
    u_vals, u_errs, u_meth = _ilp_float(uniq, fields, method)
    arguments.check_finite_result("B", u_vals, "a field ratio H/|B| leaves the float64 range; use dps=")
    vals, errs = u_vals[inverse], u_errs[inverse]
    meth = [u_meth[k] for k in inverse]
    limit = atol + rtol * np.abs(vals)
    if np.any(errs > limit):
        i = int(np.argmax(errs - limit))
        name = "atol" if atol >= rtol * abs(vals[i]) else "rtol"
        raise ValueError(f"{name}: the requested accuracy (atol={atol:g}, rtol={rtol:g}) is not reached at "
                         f"B = {float(absb[i]):.6g} T: error estimate {float(errs[i]):.2g} e^2/h (float64); "
                         "raise atol/rtol or use dps=")
    if scalar:
        out = (float(vals[0]), float(errs[0]), meth)
        return ILPResult(*out) if full_output else out[0]
    shape = arr.shape
    return ILPResult(vals.reshape(shape), errs.reshape(shape), meth) if full_output else vals.reshape(shape)


def _exact_fields(B, *fields):
    """The mpmath path reads every input exactly (``docs/conventions.md``, "Exact input on the mpmath path"):
    ``(|B| values as Fractions, (H_phi, H_R, H_D, H_3) as Fractions)``."""
    names = ("B_phi", "B_rashba", "B_dresselhaus", "B_cubic")
    ex = arguments.exact_values("B", B)
    bs = [abs(v) for v in (np.asarray(ex, dtype=object).reshape(-1) if isinstance(ex, np.ndarray) else [ex])]
    return bs, tuple(arguments.as_fraction(n, v) for n, v in zip(names, fields))


def _triplet_float(absb, fields, method):
    """J_B - S per field (float64) with error and method; absb > 0."""
    H_phi, H_R, H_D, H_3 = fields
    unit = max(fields)  # no overflow in the sum of four large fields
    with np.errstate(over="ignore"):
        b_phi, b_R, b_D, b_3 = (h / absb for h in fields)
    b_so = b_R + b_D + b_3
    use_closed = method != "general" and min(H_R, H_D) == 0
    # caps checked before any work: the float64 range of the closed form; the general case's fields below B_s
    # come from the B^2 expansion, whose nodes need at most ~10 MAX_SMALL_FIELD_RATIO rows each
    if not np.all(b_so <= MAX_CLOSED_FORM_RATIO):
        raise ValueError(f"B: |B| = {float(np.min(absb)):.3g} T is below 1e-15 H_SO (H_SO/|B| = "
                         f"{float(np.max(b_so)):.3g} > {MAX_CLOSED_FORM_RATIO:g}): outside the float64 range")
    J_u, J_err = numerics.zero_field_constant(H_phi / unit, H_R / unit, H_D / unit, H_3 / unit)
    S = np.empty_like(absb)
    err = np.empty_like(absb)
    meth = np.empty(absb.shape, dtype=object)
    todo = np.ones(absb.shape, bool)
    if use_closed:
        S_c, e_c, ok = numerics.closed_form_sum(b_phi, b_R + b_D, b_3)
        S[ok], err[ok], meth[ok] = S_c[ok], e_c[ok], "closed-form"
        todo = ~ok
    b_s = min((H_R + H_D + H_3) / SMALL_FIELD_RATIO, SMALL_FIELD_PHI * H_phi)
    small = todo & (absb < b_s)
    if np.any(small) and (H_R + H_D + H_3) / b_s > MAX_SMALL_FIELD_RATIO:
        raise ValueError(f"B: |B| = {float(np.min(absb)):.3g} T is too small for the general case with "
                         f"H_SO/B_phi = {(H_R + H_D + H_3) / H_phi:.3g} > "
                         f"{MAX_SMALL_FIELD_RATIO * SMALL_FIELD_PHI:g}: fields below {b_s:.3g} T would need the "
                         f"Landau-level sum at H_SO/|B| > "
                         f"{MAX_SMALL_FIELD_RATIO:g} (more than ~{10 * MAX_SMALL_FIELD_RATIO:.0g} matrix rows)")
    todo &= ~small
    if np.any(todo):
        S_g, e_g, _ = numerics.general_sum(b_phi[todo], np.sqrt(b_R[todo]), np.sqrt(b_D[todo]), b_3[todo])
        S[todo], err[todo], meth[todo] = S_g, e_g, "general"
    J_B = J_u + 3 * np.log(absb / unit)
    out = J_B - S
    err = err + J_err + 8 * _EPS * np.abs(J_B)
    if np.any(small):
        out[small], err[small] = _small_field_triplet(absb[small], fields, b_s, J_u, J_err, unit)
        meth[small] = "small-field"
    return out, err, list(meth)


def _small_field_triplet(absb, fields, b_s, J_u, J_err, unit):
    r"""Triplet part J_B - S at fields below ``b_s`` = :math:`B_s` (general case).

    The triplet part is even and smooth in B (every triplet gap is >= H_phi > 0): T(B) = B^2 Q(B^2) with
    Q(y) = c_1 + c_2 y + ...; Q is interpolated exactly through the K nodes y_j = j B_s^2 (direct general sums;
    B_s <= 0.05 H_phi keeps the nodes deep in the B^2 regime) and evaluated at y = B^2 < y_1. Error:
    B^2 (2|Q_K - Q_{K-1}| + sum_j |l_j(y)| e_j / y_j), Q_{K-1} from the first K-1 nodes, l_j the Lagrange basis,
    e_j the nodes' error estimates. Tested against the closed form and the persistent spin helix (exact).
    """
    H_phi, H_R, H_D, H_3 = fields
    K = SMALL_FIELD_NODES
    j = np.arange(1, K + 1, dtype=float)
    nodes = b_s * np.sqrt(j)
    S_n, e_n, _ = numerics.general_sum(H_phi / nodes, np.sqrt(H_R / nodes), np.sqrt(H_D / nodes), H_3 / nodes)
    J_n = J_u + 3 * np.log(nodes / unit)
    T_n = J_n - S_n
    e_n = e_n + J_err + 8 * _EPS * np.abs(J_n)
    y_n = j  # nodes in units of B_s^2
    y = (absb / b_s) ** 2

    def lagrange(m):
        """l_j(y) of the first m nodes, shape (fields, m)."""
        L = np.ones((y.size, m))
        for a in range(m):
            for c in range(m):
                if c != a:
                    L[:, a] *= (y - y_n[c]) / (y_n[a] - y_n[c])
        return L

    Q_n = T_n / y_n
    L_K, L_k = lagrange(K), lagrange(K - 1)
    Q_K, Q_k = L_K @ Q_n, L_k @ Q_n[: K - 1]
    value = y * Q_K
    error = y * (2 * np.abs(Q_K - Q_k) + np.abs(L_K) @ (e_n / y_n)) + 8 * _EPS * np.abs(value)
    return value, error


def _ilp_float(absb, fields, method):
    c, w_t, w_s = _structure()
    vals = np.zeros_like(absb)
    errs = np.zeros_like(absb)
    meth = ["zero-field"] * absb.size
    nz = np.flatnonzero(absb > 0)
    if nz.size:
        trip, terr, m = _triplet_float(absb[nz], fields, method)
        sing = hln_f_core(absb[nz] / fields[0])
        vals[nz] = c * (w_t * trip + w_s * sing)
        errs[nz] = c * (abs(w_t) * terr + abs(w_s) * 8e-15 * np.abs(sing)) + 4 * _EPS * np.abs(vals[nz])
        for i, mm in zip(nz, m):
            meth[i] = mm
    return vals, errs, meth


def _mpf(x):
    """An exact Fraction as an mpf at the working precision."""
    return mpmath.mpf(x.numerator) / x.denominator


def _ilp_mp(exact, dps, method):
    absb, fields = exact
    H_phi, H_R, H_D, H_3 = fields
    work = dps + _GUARD  # working precision of the combination
    target = dps + 3  # digits asked of each piece (each adds its own guard digits)
    with mpmath.workdps(work):
        c, w_t, w_s = _structure(mp=True)
        unit = _mpf(H_phi + H_R + H_D + H_3)
        J_u, J_err = numerics.zero_field_constant_mp(*(_mpf(h / (H_phi + H_R + H_D + H_3)) for h in fields), target)
    vals, errs, meth = [], [], []
    closed = method != "general" and min(H_R, H_D) == 0
    for b in absb:
        if b == 0:
            with mpmath.workdps(dps):
                vals.append(mpmath.mpf(0))
                errs.append(mpmath.mpf(0))
            meth.append("zero-field")
            continue
        with mpmath.workdps(work):
            bm = _mpf(b)
            bphi, bR, bD, b3 = (_mpf(h / b) for h in fields)
            res = numerics.closed_form_sum_mp(bphi, bR + bD, b3, target) if closed else None
            if res is not None:
                S, S_err = res
                meth.append("closed-form")
            else:
                S, S_err, _ = numerics.general_sum_mp(bphi, mpmath.sqrt(bR), mpmath.sqrt(bD), b3, target)
                meth.append("general")
            J_B = J_u + 3 * mpmath.log(bm / unit)
            sing = hln_f_mp(bm / _mpf(H_phi), target)
            val = c * (w_t * (J_B - S) + w_s * sing)
            err = c * abs(w_t) * (S_err + J_err) + abs(val) * mpmath.mpf(10) ** (-work + 2)
        with mpmath.workdps(dps):
            if err > mpmath.mpf(10) ** (-dps) * max(1, abs(val)):
                raise ValueError(f"dps: {dps} digits not reached at B = {float(b):.6g} T (error estimate "
                                 f"{mpmath.nstr(err, 3)})")
            vals.append(+val)
            errs.append(+err)
    return vals, errs, meth


# ----------------------------------------------------------------------------- couplings <-> fields
def _mass(effective_mass, density, D, tau, mobility):
    """Effective mass (kg) and, when determined, the elastic time tau (s) and D (m^2/s)."""
    m = None if effective_mass is None else arguments.positive("effective_mass", effective_mass)
    n = None if density is None else arguments.positive("density", density)
    Dv = None if D is None else arguments.positive("D", D)
    tv = None if tau is None else arguments.positive("tau", tau)
    mu = None if mobility is None else arguments.positive("mobility", mobility)
    if mu is not None:
        if m is None:
            raise TypeError("mobility: converting a mobility to an elastic time needs effective_mass")
        if tv is not None:
            raise ValueError("mobility: give either mobility or tau, not both")
        tv = mu * m / E_CHARGE
    kF = math.sqrt(2 * math.pi * n) if n is not None else None
    if m is None:
        if Dv is None or tv is None or kF is None:
            raise TypeError("effective_mass: give effective_mass, or D, tau (or mobility) and density")
        m = HBAR * kF * math.sqrt(tv / (2 * Dv))
    elif Dv is None and tv is not None and kF is not None:
        vF = HBAR * kF / m
        Dv = vF * vF * tv / 2
    return m, kF, tv, Dv


def ilp_fields(alpha: float = 0.0, beta1: float = 0.0, gamma: float | None = None, beta3: float | None = None,
               density: float | None = None, effective_mass: float | None = None, D: float | None = None,
               tau: float | None = None, mobility: float | None = None) -> dict:
    r"""Knap's characteristic fields (tesla) from the spin-orbit couplings.

    :math:`H = \alpha(\sigma_xk_y-\sigma_yk_x) + \beta_1(\sigma_xk_x-\sigma_yk_y) - \gamma(\sigma_xk_xk_y^2 -
    \sigma_yk_yk_x^2)`, :math:`\beta_1 = \gamma\langle k_z^2\rangle`, :math:`\beta_3 = \gamma k_F^2/4`,
    :math:`k_F = \sqrt{2\pi n}` (spin-degenerate sheet density :math:`n`). Derived
    (:func:`mesocorr.symbolic.ilp.characteristic_fields`, isotropic scattering, :math:`D = v_F^2\tau/2`):

    .. math:: H_R = \frac{m^2\alpha^2}{e\hbar^3},\quad H_D = \frac{m^2(\beta_1-\beta_3)^2}{e\hbar^3},\quad
              H_3 = \frac{m^2\beta_3^2}{e\hbar^3}\quad
              \Big(= \frac{\hbar}{4eD}\cdot\frac{\tau\Omega^2}{2}\ \text{for each harmonic}\Big).

    Parameters
    ----------
    alpha, beta1 : float
        Linear Rashba and Dresselhaus couplings in J·m (1 eV·m = 1.602176634e-19 J·m).
    gamma : float, optional
        Bulk cubic Dresselhaus coefficient in J·m³ (needs ``density``); or give ``beta3`` instead.
    beta3 : float, optional
        Cubic Dresselhaus coupling :math:`\beta_3 = \gamma k_F^2/4` in J·m, given directly.
    density : float, optional
        Sheet density (1/m²), spin-degenerate.
    effective_mass : float, optional
        kg. Without it, ``D`` and ``tau`` (or ``mobility`` with a mass) and ``density`` determine
        :math:`m = \hbar k_F\sqrt{\tau/2D}`.
    D, tau, mobility : float, optional
        Diffusion constant (m²/s), elastic time (s), mobility (m²/Vs, :math:`\tau = \mu m/e`). When
        :math:`\tau` and :math:`k_F` are known the result also holds ``Omega_tau`` (the largest precession
        angle per collision, :math:`\Omega\tau = 2\beta k_F\tau/\hbar`) and ``B_transport`` :math:`=\hbar/(4eD\tau)`;
        :math:`\Omega\tau > 0.3` is reported with a :class:`~mesocorr.PhysicsWarning`.

    Returns
    -------
    dict
        ``B_rashba``, ``B_dresselhaus``, ``B_cubic``, ``B_SO`` (their sum), ``beta3`` (J·m),
        ``beta1_effective`` :math:`= \beta_1-\beta_3` (J·m), ``effective_mass``, and when known ``k_F``,
        ``tau``, ``D``, ``B_transport``, ``Omega_tau``.

    Examples
    --------
    >>> f = ilp_fields(alpha=1e-11 * 1.602176634e-19, effective_mass=0.04 * 9.1093837015e-31)
    >>> round(f["B_rashba"] * 1e3, 4)  # mT
    18.1376
    """
    a = arguments.as_real("alpha", alpha)
    b1 = arguments.as_real("beta1", beta1)
    m, kF, tv, Dv = _mass(effective_mass, density, D, tau, mobility)
    if gamma is not None and beta3 is not None:
        raise ValueError("beta3: give either gamma (with density) or beta3, not both")
    if gamma is not None:
        g = arguments.as_real("gamma", gamma)
        if kF is None:
            raise TypeError("density: converting gamma to beta3 = gamma k_F^2/4 needs the sheet density")
        b3 = g * kF * kF / 4
    else:
        b3 = 0.0 if beta3 is None else arguments.as_real("beta3", beta3)
    scale = m * m / (E_CHARGE * HBAR**3)
    out = {"B_rashba": scale * a * a, "B_dresselhaus": scale * (b1 - b3) ** 2, "B_cubic": scale * b3 * b3,
           "beta3": b3, "beta1_effective": b1 - b3, "effective_mass": m}
    out["B_SO"] = out["B_rashba"] + out["B_dresselhaus"] + out["B_cubic"]
    if kF is not None:
        out["k_F"] = kF
    if tv is not None:
        out["tau"] = tv
    if Dv is not None:
        out["D"] = Dv
        if tv is not None:
            out["B_transport"] = HBAR / (4 * E_CHARGE * Dv * tv)
    if tv is not None and kF is not None:
        ot = 2 * kF * tv / HBAR * max(abs(a), abs(b1 - b3), abs(b3))
        out["Omega_tau"] = ot
        if ot > 0.3:
            warn_inconsistent(f"alpha, beta1, gamma: Omega tau = {ot:.3g} is not small; the diffusive ILP theory "
                              "(these fields) needs Omega tau << 1")
    return out


def ilp_couplings(B_rashba: float = 0.0, B_dresselhaus: float = 0.0, B_cubic: float = 0.0,
                  effective_mass: float | None = None, density: float | None = None, D: float | None = None,
                  tau: float | None = None, mobility: float | None = None) -> dict:
    r"""Spin-orbit couplings from Knap's fields (the inverse of :func:`ilp_fields`).

    :math:`|\alpha| = \sqrt{e\hbar^3H_R}/m`, :math:`|\beta_1-\beta_3| = \sqrt{e\hbar^3H_D}/m`,
    :math:`|\beta_3| = \sqrt{e\hbar^3H_3}/m`. The magnetoconductance fixes only magnitudes: the sign of
    :math:`\alpha` relative to :math:`\beta` is invisible, and :math:`\beta_1 = \beta_3 \pm |\beta_1-\beta_3|` has
    two candidates (both returned, ``beta1_candidates``, for :math:`\beta_3 \ge 0`). With ``density`` also
    :math:`\gamma = 4\beta_3/k_F^2` (J·m³). Couplings in J·m.

    Parameters
    ----------
    B_rashba, B_dresselhaus, B_cubic : float
        Knap's fields :math:`H_R`, :math:`H_D`, :math:`H_3` (tesla, >= 0), as in :func:`ilp_magnetoconductance`.
    effective_mass, density, D, tau, mobility : float, optional
        As in :func:`ilp_fields`: the effective mass (kg) directly, or from ``D`` (m²/s), ``tau`` (s) and
        ``density`` (m⁻², spin-degenerate; it also gives :math:`k_F` and :math:`\gamma`); ``mobility`` (m²/Vs)
        is checked like ``tau`` and needs ``effective_mass``.

    Returns
    -------
    dict
        ``alpha``, ``beta1_minus_beta3``, ``beta3`` (magnitudes, J·m), ``beta1_candidates`` (the two roots,
        J·m), ``effective_mass`` (kg); with ``density`` also ``gamma`` (J·m³) and ``k_F`` (1/m).

    Examples
    --------
    >>> m = 0.04 * 9.1093837015e-31
    >>> c = ilp_couplings(B_rashba=ilp_fields(alpha=3e-30, effective_mass=m)["B_rashba"], effective_mass=m)
    >>> round(c["alpha"] / 3e-30, 12)
    1.0
    """
    hr = arguments.nonnegative("B_rashba", B_rashba)
    hd = arguments.nonnegative("B_dresselhaus", B_dresselhaus)
    h3 = arguments.nonnegative("B_cubic", B_cubic)
    m, kF, tv, Dv = _mass(effective_mass, density, D, tau, mobility)
    unit = math.sqrt(E_CHARGE * HBAR**3) / m
    alpha, b1eff, b3 = unit * math.sqrt(hr), unit * math.sqrt(hd), unit * math.sqrt(h3)
    out = {"alpha": alpha, "beta1_minus_beta3": b1eff, "beta3": b3,
           "beta1_candidates": (b3 + b1eff, b3 - b1eff), "effective_mass": m}
    if kF is not None:
        out["gamma"] = 4 * b3 / (kF * kF)
        out["k_F"] = kF
    return out
