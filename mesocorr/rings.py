r"""Aharonov-Bohm and Altshuler-Aronov-Spivak oscillations of cylinders and rings.

Public functions (re-exported by :mod:`mesocorr`):

* :func:`aas_oscillation` — ensemble-averaged :math:`h/2e` oscillation :math:`\delta\sigma(\Phi)` of a
  thin-walled cylinder, a thin wire ring or a thick-walled cylinder (winding sums of the Cooperon);
* :func:`ab_harmonics` — a ring between two leads: rms of the sample-specific :math:`h/e, h/2e,\dots`
  harmonics (Diffuson and Cooperon correlations with windings, thermal average) and the ensemble-averaged
  (AAS) harmonics of the same ring;
* :func:`ring_channels` — the spin channels used (the one seam to the channel machinery).

Units and conventions (``docs/conventions.md``, "Rings, cylinders and the distribution function"):
lengths in units of the circumference :math:`L`; spin rates ``so``, ``mag`` in units of :math:`D/L^2`
(isotropic total or x, y, z, as :func:`mesocorr.channels`); dephasing :math:`(L/L_\phi)^2` on every
channel; flux :math:`\Phi` in units of :math:`\Phi_0 = h/e` (the AAS period is :math:`\Phi_0/2`);
thermal length :math:`L_T = \sqrt{\hbar D/k_BT}`, i.e. :math:`k_BT = (L/L_T)^2E_c`, :math:`E_c = \hbar D/L^2`.
Results in :math:`e^2/h` (:math:`s = 2` spin degeneracy in the prefactor, channel weights of the
weak-localization theory: singlet :math:`-1/2`, triplets :math:`+1/2`).

References
----------
.. [AAS81] B. L. Altshuler, A. G. Aronov, B. Z. Spivak, JETP Lett. 33, 94 (1981).
.. [SS81] D. Yu. Sharvin, Yu. V. Sharvin, JETP Lett. 34, 272 (1981) (Mg cylinders, h/2e).
.. [AAS82] B. L. Altshuler, A. G. Aronov, B. Z. Spivak, D. Yu. Sharvin, Yu. V. Sharvin, JETP Lett. 35, 588
   (1982) (Li cylinders: phase opposite to Mg, weak spin-orbit).
.. [AS87] A. G. Aronov, Yu. V. Sharvin, Rev. Mod. Phys. 59, 755 (1987).
.. [WW86] S. Washburn, R. A. Webb, Adv. Phys. 35, 375 (1986).
.. [SL86] A. D. Stone, Y. Imry, Phys. Rev. Lett. 56, 189 (1986).
.. [PM99] M. Pascaud, G. Montambaux, Phys. Rev. Lett. 82, 4512 (1999).
"""

from __future__ import annotations

import functools
import math
import numbers
from dataclasses import dataclass, field

import mpmath
import numpy as np

from mesocorr import arguments

__all__ = ["aas_oscillation", "aas_harmonics", "ab_harmonics", "ring_channels", "AASResult", "ABResult", "GEOMETRIES",
           "MAX_DPS", "MAX_FLUX_POINTS"]

#: geometries of :func:`aas_oscillation` and the dimension of their winding Green's function
GEOMETRIES = {"cylinder": 2, "ring": 1, "thick": 3}
#: largest ``dps`` accepted (mpmath quadratures grow roughly like dps^2)
MAX_DPS = 200
#: largest number of flux values in one call
MAX_FLUX_POINTS = 1_000_000
_UNITS = {"cylinder": "e^2/h per square", "ring": "e^2/h times L (delta sigma_1D / L)",
          "thick": "e^2/h per L ((e^2/h)/m times L)"}


# ------------------------------------------------------------------------------------------ the seam
def ring_channels(kind: str, so=0, mag=0, spinless: bool = False) -> list[tuple[float, float]]:
    r"""Spin channels ``[(gap, weight), ...]`` of the ring functions (gaps in the units of ``so``/``mag``).

    The channels come from the engine: the eigenvalues and weights of the stored spin-1/2 gap operators of
    :mod:`mesocorr.diagrams.pair_kernel` without a Zeeman vector (as :func:`mesocorr.zeeman.zeeman_channels`).
    ``kind``: ``"wl"`` — the Cooperon channels with their weak-localization weights, channels of equal gap
    merged (spin degeneracy :math:`s = 2` is in the prefactor; ``spinless``: one channel, weight 1,
    :math:`s = 1`); ``"diffuson"`` / ``"cooperon"`` — the four channels of each kind that enter a conductance
    correlation, weight 1 each (the UCF weights of :mod:`mesocorr.diagrams.ucf`; spinless: one).

    This is the single place where the ring module takes its channels (the independent route, the stored
    channel list of :func:`mesocorr.cooperon_channel_table`, is compared in the tests).

    Parameters
    ----------
    kind : {"wl", "diffuson", "cooperon"}
    so, mag : float or three floats
        Spin-orbit and magnetic rates (isotropic total or x, y, z components, as :func:`mesocorr.channels`).
    spinless : bool
        One spin species.

    Returns
    -------
    list of (float, float)
        ``(gap, weight)`` per channel; no dephasing added.

    Examples
    --------
    >>> [(round(g, 12), w) for g, w in ring_channels("wl", so=3.0)]
    [(0.0, -0.5), (4.0, 1.5)]
    """
    arguments.choice("kind", kind, ("wl", "diffuson", "cooperon"))
    spinless = arguments.boolean("spinless", spinless)
    if spinless:
        _require_no_spin_rates(so, mag)
        return [(0.0, 1.0)]
    return list(_engine_channels(kind, _component_rates("so", so), _component_rates("mag", mag)))


@functools.lru_cache(maxsize=256)
def _engine_channels(kind: str, so: tuple, mag: tuple) -> tuple:
    """Real gaps (and WL weights, merged at equal gap, or weight 1) of the engine's stored spin-1/2 gap operator
    (:func:`mesocorr.integrals.gap_operators.spin_half_operator`, as :func:`mesocorr.zeeman.zeeman_channels` at
    zero Zeeman vector), block by block; cached, since a fit asks for the same channels at every L_phi."""
    from mesocorr.integrals.derived_constants import SPIN_HALF_PARAMETERS
    from mesocorr.integrals.gap_operators import common_blocks, spin_half_operator
    from mesocorr.integrals.matrix_functions import eigen_channels

    op = spin_half_operator("cooperon" if kind == "wl" else kind)
    H = op.numpy(dict(zip(SPIN_HALF_PARAMETERS, (*so, *mag, 0.0, 0.0, 0.0, 0.0))))
    W = op.weight()
    scale = max(1.0, *so, *mag)
    out: list[list[float]] = []
    for blk in common_blocks(H):
        res = eigen_channels(H[np.ix_(blk, blk)], W[np.ix_(blk, blk)])
        for gap, weight in sorted(zip(res.gaps, res.weights), key=lambda gw: gw[0].real):
            if abs(gap.imag) > 1e-13 * scale:  # pragma: no cover - no Zeeman vector: H is Hermitian
                raise ArithmeticError(f"ring channels: complex gap {gap} without a Zeeman vector")
            g = 0.0 if abs(gap.real) <= 1e-14 * scale else float(gap.real)
            if kind != "wl":
                out.append([g, 1.0])
                continue
            for item in out:
                if abs(item[0] - g) <= 1e-13 * scale:
                    item[1] += float(weight.real)
                    break
            else:
                out.append([g, float(weight.real)])
    return tuple((g, w) for g, w in out if kind != "wl" or w != 0.0)


#: largest spin rate component (units of D/L^2, i.e. L_so >= 1e-50 L) the float64 gap operator takes: beyond it
#: its eigenvalues would overflow, and every harmonic is exp(-1e50)-small anyway
MAX_SPIN_RATE = 1e100


def _component_rates(name, value) -> tuple[float, float, float]:
    """x, y, z components of a spin rate (an isotropic total is split in three equal parts); each at most
    :data:`MAX_SPIN_RATE` (``ValueError`` naming ``name`` otherwise)."""
    rates = arguments.one_or_three(name, value, arguments.nonnegative)
    out = tuple(rates) if isinstance(rates, tuple) else (rates / 3, rates / 3, rates / 3)
    if max(out) > MAX_SPIN_RATE:
        raise ValueError(f"{name}: a spin rate component of {max(out):.3g} D/L^2 exceeds {MAX_SPIN_RATE:g} "
                         "(spin-orbit length below 1e-50 of the circumference), beyond the float64 gap operator")
    return out


def _require_no_spin_rates(so, mag):
    for name, value in (("so", so), ("mag", mag)):
        rates = arguments.one_or_three(name, value, arguments.nonnegative)
        if any(r != 0 for r in (rates if isinstance(rates, tuple) else (rates,))):
            raise ValueError("spinless: spin-orbit and magnetic rates need spin; give so=0 and mag=0")


def _dephasing_gap(L_phi) -> float:
    """(L/L_phi)^2 in units of D/L^2 (L_phi = inf: 0)."""
    if isinstance(L_phi, bool) or not isinstance(L_phi, numbers.Real):
        raise TypeError(f"L_phi: expected a real number (units of the circumference L), got {type(L_phi).__name__}")
    if not L_phi > 0:
        raise ValueError(f"L_phi: must be positive (math.inf = no dephasing), got {L_phi!r}")
    if math.isinf(L_phi):
        return 0.0
    if not 1e-100 <= L_phi:
        raise ValueError(f"L_phi: at least 1e-100 L (every harmonic underflows long before), got {L_phi!r}")
    return 1.0 / float(L_phi) / float(L_phi)


def _dps(dps):
    return None if dps is None else arguments.integer("dps", dps, minimum=1, maximum=MAX_DPS)


def _spin_factor(spinless: bool) -> int:
    return 1 if spinless else 2


# ------------------------------------------------------------------------------------------ AAS
@dataclass
class AASResult:
    r"""Result of :func:`aas_oscillation` (``as_dict()`` gives the JSON form)."""

    geometry: str
    flux: np.ndarray
    delta_sigma: np.ndarray
    error: np.ndarray
    unit: str
    harmonics: list | None
    channels: list
    uniform: float | None = None
    delta_G: np.ndarray | None = None
    parameters: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        out = {"geometry": self.geometry, "flux": _plain(self.flux), "delta_sigma": _plain(self.delta_sigma),
               "error": _plain(self.error), "unit": self.unit, "flux_unit": "h/e",
               "harmonics": self.harmonics, "channels": self.channels, "parameters": self.parameters}
        if self.uniform is not None:
            out["uniform"] = _plain(self.uniform)
            out["delta_G"] = _plain(self.delta_G)
            out["delta_G_unit"] = "e^2/h (two arms, contacts at opposite points)"
        return out


def _plain(v):
    if isinstance(v, np.ndarray):
        return v.tolist()
    if isinstance(v, list):
        return [_plain(x) for x in v]
    if isinstance(v, mpmath.mpf):
        return mpmath.nstr(v, mpmath.mp.dps)
    return v


def _flux_array(flux):
    if isinstance(flux, (str, bytes)):
        raise TypeError("flux: expected a number or a sequence of numbers (units of h/e), got a string")
    scalar = np.ndim(flux) == 0
    try:
        arr = np.asarray(flux, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise TypeError(f"flux: expected real numbers (units of h/e), got {type(flux).__name__}") from None
    if arr.size == 0 or not np.all(np.isfinite(arr)):
        raise ValueError("flux: give at least one finite flux (units of h/e)")
    if arr.size > MAX_FLUX_POINTS:
        raise ValueError(f"flux: at most {MAX_FLUX_POINTS} values, got {arr.size}")
    return arr, scalar


def _wall_rate_coefficient() -> float:
    r"""The wall-field rate in :math:`D/L^2` per :math:`(t/L)^2(\Phi/\Phi_0)^2`: the stored quasi-1D field rate
    :math:`1/3` (``derived_constants.WL_FIELD_RATE``, of :math:`De^2t^2B^2/\hbar^2`) times
    :math:`(e B L^2/\hbar)^2 = (4\pi\cdot2\pi\,\Phi/\Phi_0)^2`, i.e. :math:`64\pi^4/3`
    (re-derived by :func:`mesocorr.symbolic.rings.wall_field_rate` in the tests)."""
    from mesocorr.integrals.derived_constants import WL_FIELD_RATE

    return float(WL_FIELD_RATE) * (8 * math.pi**2) ** 2


def aas_oscillation(flux, geometry: str = "cylinder", L_phi: float = None, so=0, mag=0, spinless: bool = False,
                    thickness: float | None = None, width: float | None = None, zeeman=None, n_harmonics: int = 4,
                    dps: int | None = None, max_seconds: float = 60.0, progress: bool = False) -> AASResult:
    r"""Ensemble-averaged flux dependence (Altshuler-Aronov-Spivak, period :math:`h/2e`) of a cylinder or ring.

    The Cooperon with the flux boundary condition, Poisson-resummed into windings
    (:mod:`mesocorr.symbolic.rings`), per channel :math:`c` (:math:`x_c = L/L_c`, :math:`\theta = 4\pi\Phi/\Phi_0`):

    .. math::
        \text{cylinder (thin wall, 2D):}\quad \delta\sigma = -\frac{2s}{\pi}\sum_c w_c\sum_{n\ge1}
        K_0(nx_c)\cos n\theta\quad\text{(per square)}

        \text{ring (thin wire, quasi-1D):}\quad \frac{\delta\sigma_{1D}}{L} = -s\sum_c \frac{w_c}{x_c}
        \Big[1 + 2\sum_{n\ge1}e^{-nx_c}\cos n\theta\Big] = -s\sum_c\frac{w_c}{x_c}\frac{\sinh x_c}{\cosh x_c-\cos\theta}

        \text{thick wall (3D):}\quad \delta\sigma\,L = -\frac{s}{\pi}\sum_c w_c\sum_{n\ge1}\frac{e^{-nx_c}}{n}\cos n\theta

    ``delta_sigma`` is the flux-dependent part (windings :math:`n\ge1`: :math:`\delta\sigma(\Phi)` minus the
    value of an infinite, flux-free sample); the ring also returns the :math:`n = 0` term ``uniform`` and
    ``delta_G`` :math:`= 4\,\delta\sigma_{1D}/L` (all windings), the conductance of the closed ring measured
    between two diametrically opposite contacts that do not disturb the Cooperon. Antilocalization
    (strong spin-orbit: only the singlet, :math:`w = -1/2`, survives) reverses the sign of every harmonic.

    Parameters
    ----------
    flux : float or array_like
        :math:`\Phi/\Phi_0`, :math:`\Phi_0 = h/e`, through the cylinder's hole / the ring.
    geometry : {"cylinder", "ring", "thick"}
        Regimes: cylinder wall thickness :math:`t \ll L_c` (2D); ring wire :math:`W \ll L_c` (quasi-1D);
        thick wall :math:`t \gg L_c` with the flux confined to the hole (3D). All need :math:`l \ll L_c`.
    L_phi : float
        Dephasing length in units of L (``math.inf``: none; then a spin gap must keep every channel gapped).
    so, mag : float or three floats
        Spin-orbit and magnetic rates in units of :math:`D/L^2`.
    spinless : bool
        One spin species (:math:`s = 1`, one channel of weight 1).
    thickness : float, optional
        Cylinder only: wall thickness :math:`t/L`; adds the dephasing of the field inside the wall,
        :math:`\frac{64\pi^4}{3}(t/L)^2(\Phi/\Phi_0)^2\,D/L^2` (:func:`mesocorr.symbolic.rings.wall_field_rate`).
    width : float, optional
        Ring only: wire width :math:`W/L`, the same rate for the field in the arms of a circular ring.
    zeeman : float or three floats, optional
        Zeeman vector :math:`\boldsymbol\omega = g\mu_B\mathbf B/\hbar` at :math:`\Phi = \Phi_0`, in
        :math:`D/L^2` (one number: along z; the spin axes of ``so``/``mag``): the field that threads the flux
        also splits the spins, :math:`\boldsymbol\omega(\Phi) = \boldsymbol\omega\,\Phi/\Phi_0` (for a cylinder of
        circumference L in an axial field, :math:`|\omega| = 4\pi g\mu_B\Phi_0/(\hbar L^2)` in 1/s). The Cooperon
        channels then come from the engine's gap operator with the Zeeman term at every flux (complex gaps and
        weights, the Maekawa-Fukuyama singlet-triplet mixing); float64 only, refused within reach of an
        exceptional point (eigenvector condition above 1e6). No harmonics (the signal is aperiodic).
    n_harmonics : int
        Number of winding amplitudes returned in ``harmonics`` (only without ``thickness``/``width``/``zeeman``: the
        field in the wall makes the signal aperiodic).
    dps : int, optional
        mpmath evaluation to ``dps`` digits (``delta_sigma`` then a list of mpf).
    progress : bool
        Report the flux values of the mpmath path on stderr (:func:`mesocorr.progress.progress`).
    max_seconds : float
        Cap on the estimated run time of the mpmath path (cylinder: about 1-7 s per flux value and channel at
        20-80 digits, :func:`mesocorr.integrals.rings.winding_sum_mp_seconds`), checked before the work starts.

    Returns
    -------
    AASResult
        ``delta_sigma``, ``error`` (absolute estimate), ``unit``, ``harmonics`` (``n``, ``period`` in
        :math:`h/e` = 1/(2n), ``amplitude``: coefficient of :math:`\cos(4\pi n\Phi/\Phi_0)`, ``error``),
        ``channels`` (gap in :math:`D/L^2`, weight, :math:`L_c/L`).

    Examples
    --------
    >>> r = aas_oscillation([0.0, 0.25], geometry="cylinder", L_phi=1.0)
    >>> [round(float(v), 10) for v in r.delta_sigma]
    [-0.7466304231, 0.4245916995]
    >>> r.harmonics[0]["period"], round(r.harmonics[0]["amplitude"], 10)      # h/2e, -(4/pi) K0(1)
    (0.5, -0.5360649641)
    """
    arguments.choice("geometry", geometry, tuple(GEOMETRIES))
    if L_phi is None:
        raise TypeError("L_phi: the dephasing length (units of the circumference L) is required")
    gphi = _dephasing_gap(L_phi)
    arr, scalar = _flux_array(flux)
    dps = _dps(dps)
    max_seconds = arguments.positive("max_seconds", max_seconds)
    progress = arguments.boolean("progress", progress)
    n_harmonics = arguments.integer("n_harmonics", n_harmonics, minimum=0, maximum=200)
    field_len = None
    if thickness is not None:
        if geometry != "cylinder":
            raise ValueError(f"thickness: the wall field is implemented for geometry='cylinder' (thin wall), "
                             f"got {geometry!r}")
        field_len = arguments.positive("thickness", thickness)
    if width is not None:
        if geometry != "ring":
            raise ValueError(f"width: the field in the arms is implemented for geometry='ring', got {geometry!r}")
        field_len = arguments.positive("width", width)
    s = _spin_factor(spinless)
    if zeeman is not None:
        zvec = arguments.one_or_three("zeeman", zeeman, arguments.as_real)
        zvec = tuple(zvec) if isinstance(zvec, tuple) else (0.0, 0.0, float(zvec))
        if spinless:
            raise ValueError("zeeman: a Zeeman splitting needs spin; omit spinless")
        if dps is not None:
            raise ValueError("dps: the Zeeman path is float64 only; omit dps or zeeman")
        if max(abs(c) for c in zvec) > 1e100:
            raise ValueError(f"zeeman: components at most 1e100 D/L^2, got {zeeman!r}")
    chans = [(g + gphi, w) for g, w in ring_channels("wl", so, mag, spinless)]
    for g, _ in chans:
        if g == 0:
            raise ValueError("L_phi: a Cooperon channel is gapless (no dephasing and no spin gap), so the winding "
                             "sum diverges; give a finite L_phi (or mag > 0)")
    if field_len is not None:
        from mesocorr.physics_warnings import warn_inconsistent

        if field_len > 0.1:
            warn_inconsistent(f"{'thickness' if thickness is not None else 'width'}: {field_len:g} L is not small "
                              "compared with the circumference; the thin-wall field rate assumes t << L")
        if field_len > 1e100:
            raise ValueError(f"{'thickness' if thickness is not None else 'width'}: at most 1e100 L, got {field_len!r}")
        coef = _wall_rate_coefficient() * field_len**2
    else:
        coef = 0.0
    d = GEOMETRIES[geometry]
    if dps is not None:
        from mesocorr.integrals.rings import winding_sum_mp_seconds

        arguments.check_work("max_seconds", arr.size * len(chans) * winding_sum_mp_seconds(d, dps), max_seconds,
                             f"the mpmath winding sum ({arr.size} fluxes x {len(chans)} channels at {dps} digits)")
    theta = 4 * math.pi * arr
    if zeeman is not None:
        split = max(abs(c) for c in zvec) * float(np.max(np.abs(arr)))
        if not split <= 1e12:
            raise ValueError(f"zeeman: the splitting |omega| Phi/Phi0 reaches {split:.3g} D/L^2 (> 1e12) at the "
                             "largest flux; there the mixed channels no longer contribute, give smaller fluxes")
        values, err, uniform = _aas_with_zeeman(geometry, s, so, mag, zvec, gphi, coef, arr, theta)
    elif dps is None:
        total = np.zeros_like(arr)
        err = np.zeros_like(arr)
        uniform = 0.0
        for gap, wt in chans:
            x = np.sqrt(gap + coef * arr**2)
            from mesocorr.integrals.rings import winding_sum

            val, e = winding_sum(d, x, theta)
            pref = _amplitude_prefactor(geometry, s, wt, x)
            total += pref * val
            err += np.abs(pref) * e
            if geometry == "ring":
                uniform = uniform - s * wt / math.sqrt(gap)
        values = total
    else:
        from mesocorr.integrals.rings import winding_sum_mp

        values, err = [], []
        with mpmath.workdps(dps + 10):
            from mesocorr.progress import progress as _progress

            for ph in _progress(arr, total=arr.size, label="ring: flux values", enabled=progress):
                tot, er = mpmath.mpf(0), mpmath.mpf(0)
                for gap, wt in chans:
                    x = mpmath.sqrt(mpmath.mpf(gap) + mpmath.mpf(coef) * mpmath.mpf(ph) ** 2)
                    val, e = winding_sum_mp(d, x, 4 * mpmath.pi * mpmath.mpf(ph), dps)
                    pref = _amplitude_prefactor_mp(geometry, s, wt, x)
                    tot += pref * val
                    er += abs(pref) * e
                values.append(tot)
                err.append(er)
            uniform = mpmath.fsum(-s * mpmath.mpf(wt) / mpmath.sqrt(mpmath.mpf(gap)) for gap, wt in chans)
        with mpmath.workdps(dps):
            values = [+v for v in values]
            uniform = +uniform
    if dps is None:
        arguments.check_finite_result("L_phi", np.append(values, uniform),
                                      "the winding sum overflows for L_phi >> L (the ring grows like L_phi^2)")
    aperiodic = field_len is not None or zeeman is not None
    harmonics = None if aperiodic else _aas_harmonics(geometry, s, chans, n_harmonics, dps)
    table = [{"gap": g, "weight": w, "L_c": 1 / math.sqrt(g)} for g, w in chans]
    params = {"L_phi": float(L_phi), "so": so, "mag": mag, "spinless": spinless, "thickness": thickness,
              "width": width, "zeeman": None if zeeman is None else list(zvec), "dps": dps}
    res = AASResult(geometry=geometry, flux=arr, delta_sigma=values if dps else np.asarray(values),
                    error=err if dps else np.asarray(err), unit=_UNITS[geometry], harmonics=harmonics,
                    channels=table, parameters=params)
    if geometry == "ring":
        res.uniform = uniform
        if dps is None:
            res.delta_G = 4 * (res.delta_sigma + uniform)
        else:
            with mpmath.workdps(dps):
                res.delta_G = [4 * (v + uniform) for v in values]
    return res


#: eigenvector condition number above which the Zeeman path refuses (near an exceptional point the channel
#: weights of the eigen-decomposition lose ~cond^2 eps)
_EP_CONDITION = 1e6


def _zeeman_channels_along_flux(so, mag, zvec, gphi, coef, arr):
    """Complex gaps (F, 4) and weights (F, 4) of the engine's Cooperon gap operator with the Zeeman vector
    ``zvec * flux`` (plus dephasing and the wall-field rate) at every flux, and the largest condition number."""
    from mesocorr.integrals.derived_constants import SPIN_HALF_PARAMETERS
    from mesocorr.integrals.gap_operators import spin_half_operator

    op = spin_half_operator("cooperon")
    so3, mag3 = _component_rates("so", so), _component_rates("mag", mag)
    H0 = op.numpy(dict(zip(SPIN_HALF_PARAMETERS, (*so3, *mag3, 0.0, 0.0, 0.0, 0.0))))
    Hz = op.numpy(dict(zip(SPIN_HALF_PARAMETERS, (0.0,) * 6 + (*zvec, 0.0))))
    W = op.weight()
    eye = np.eye(H0.shape[0])
    H = (H0[None] + arr[:, None, None] * Hz[None]
         + (gphi + coef * arr**2)[:, None, None] * eye[None])
    lam, R = np.linalg.eig(H)
    Rinv = np.linalg.inv(R)
    weights = np.einsum("fci,ij,fjc->fc", Rinv, W, R)
    cond = float(np.max(np.linalg.norm(R, axis=1) * np.linalg.norm(Rinv, axis=2)))
    return lam, weights, cond


def _aas_with_zeeman(geometry, s, so, mag, zvec, gphi, coef, arr, theta):
    """delta_sigma(flux), its error and the ring's winding-0 term with the flux-proportional Zeeman vector."""
    from mesocorr.integrals.rings import winding_sum_complex

    lam, wts, cond = _zeeman_channels_along_flux(so, mag, zvec, gphi, coef, arr)
    if not cond <= _EP_CONDITION:
        raise ValueError(f"zeeman: the Cooperon is within reach of an exceptional point (eigenvector condition "
                         f"{cond:.3g} > {_EP_CONDITION:g}) at one of the fluxes; the channel weights are not "
                         "defined there (change zeeman or the fluxes slightly)")
    d = GEOMETRIES[geometry]
    x = np.sqrt(lam)                                   # principal root: Re x >= 0 (Re lam >= the dephasing)
    val, e = winding_sum_complex(d, x, np.broadcast_to(theta[:, None], x.shape))
    if geometry == "cylinder":
        pref = -2 * s * wts / math.pi
    elif geometry == "ring":
        pref = -2 * s * wts / x
    else:
        pref = -s * wts / math.pi
    terms = pref * val
    total = terms.sum(axis=1)
    scale = np.abs(terms).sum(axis=1)
    err = (np.abs(pref) * e).sum(axis=1) + 4 * cond * cond * 2.2e-16 * scale
    # the ring's winding-0 term depends on the flux through the Zeeman vector: an array here
    uniform = (-s * wts / x).sum(axis=1).real if geometry == "ring" else 0.0
    if np.any(np.abs(total.imag) > 1e-8 * scale + 1e-300):  # pragma: no cover - conjugate channels pair up
        raise ArithmeticError("zeeman: the channel sum has an imaginary part; the channels do not pair up")
    return total.real, err, uniform


def _amplitude_prefactor(geometry, s, w, x):
    if geometry == "cylinder":
        return -2 * s * w / math.pi
    if geometry == "ring":
        return -2 * s * w / x
    return -s * w / math.pi


def _amplitude_prefactor_mp(geometry, s, w, x):
    if geometry == "cylinder":
        return -2 * s * mpmath.mpf(w) / mpmath.pi
    if geometry == "ring":
        return -2 * s * mpmath.mpf(w) / x
    return -s * mpmath.mpf(w) / mpmath.pi


def aas_harmonics(L_phi: float, geometry: str = "cylinder", so=0, mag=0, spinless: bool = False,
                  n_harmonics: int = 4) -> list[dict]:
    r"""The winding amplitudes of :func:`aas_oscillation` alone (no flux grid); the cheap call for fits
    (``mesocorr.dephasing_fit``).

    Parameters
    ----------
    L_phi : float
        Dephasing length in units of the circumference L.
    geometry : {"cylinder", "ring", "thick"}
        As :func:`aas_oscillation`.
    so, mag, spinless
        As :func:`aas_oscillation`.
    n_harmonics : int
        Number of windings (1..200).

    Returns
    -------
    list of dict
        ``n``, ``period`` (:math:`h/e`, = 1/(2n)), ``amplitude`` (coefficient of :math:`\cos(4\pi n\Phi/\Phi_0)`,
        unit of the geometry), ``error``.

    Examples
    --------
    >>> h = aas_harmonics(1.0, n_harmonics=2)
    >>> [(r["period"], round(r["amplitude"], 10)) for r in h]                # -(4/pi) K0(n)
    [(0.5, -0.5360649641), (0.25, -0.1450141827)]
    """
    arguments.choice("geometry", geometry, tuple(GEOMETRIES))
    gphi = _dephasing_gap(L_phi)
    n_harmonics = arguments.integer("n_harmonics", n_harmonics, minimum=1, maximum=200)
    chans = [(g + gphi, w) for g, w in ring_channels("wl", so, mag, spinless)]
    if any(g == 0 for g, _ in chans):
        raise ValueError("L_phi: a Cooperon channel is gapless (no dephasing and no spin gap); give a finite L_phi")
    return _aas_harmonics(geometry, _spin_factor(spinless), chans, n_harmonics, None)


def _aas_harmonics(geometry, s, chans, n_max, dps):
    """Winding amplitudes A_n (coefficients of cos(4 pi n Phi/Phi0)) in closed form."""
    out = []
    if n_max == 0:
        return out
    if dps is None:
        from scipy.special import k0

    for n in range(1, n_max + 1):
        if dps is None:
            amp = 0.0
            for g, w in chans:
                x = math.sqrt(g)
                if geometry == "cylinder":
                    amp += -2 * s * w / math.pi * float(k0(n * x))
                elif geometry == "ring":
                    amp += -2 * s * w * math.exp(-n * x) / x
                else:
                    amp += -s * w / math.pi * math.exp(-n * x) / n
            out.append({"n": n, "period": 1 / (2 * n), "amplitude": amp, "error": 8e-16 * abs(amp)})
        else:
            with mpmath.workdps(dps + 10):
                amp = mpmath.mpf(0)
                for g, w in chans:
                    x = mpmath.sqrt(mpmath.mpf(g))
                    if geometry == "cylinder":
                        amp += -2 * s * mpmath.mpf(w) / mpmath.pi * mpmath.besselk(0, n * x)
                    elif geometry == "ring":
                        amp += -2 * s * mpmath.mpf(w) * mpmath.exp(-n * x) / x
                    else:
                        amp += -s * mpmath.mpf(w) / mpmath.pi * mpmath.exp(-n * x) / n
            with mpmath.workdps(dps):
                out.append({"n": n, "period": 1 / (2 * n), "amplitude": mpmath.nstr(+amp, dps), "error": "0"})
    return out


# ------------------------------------------------------------------------------------------ AB harmonics
@dataclass
class ABResult:
    r"""Result of :func:`ab_harmonics` (``as_dict()`` gives the JSON form)."""

    harmonics: list
    mean_uniform: float
    parameters: dict
    channels: dict

    def as_dict(self) -> dict:
        return {"harmonics": self.harmonics, "mean_uniform": _plain(self.mean_uniform), "unit": "e^2/h",
                "flux_unit": "h/e", "parameters": self.parameters, "channels": self.channels,
                "model": "ring of two arms L/2 between two leads of length lead_length (cross-section of both "
                         "arms: uniform current density), Dirichlet at the reservoirs"}


def ab_harmonics(L_phi: float, lead_length: float = 0.5, L_T: float | None = None, so=0, mag=0,
                 spinless: bool = False, n_harmonics: int = 4, dps: int | None = None) -> ABResult:
    r"""Sample-specific and ensemble-averaged flux harmonics of a ring between two leads, in :math:`e^2/h`.

    **Model.** Two arms of length :math:`L/2` form the ring (circumference :math:`L`, the unit of length);
    nodes A, B are joined to reservoirs by leads of length :math:`\ell` = ``lead_length`` whose cross-section
    is that of both arms together, so the current density — and with it the weight of every Hikami box — is
    uniform (:math:`w = 1/\Lambda^2`, :math:`\Lambda = 2\ell + L/2`: the classical sample is a wire of length
    :math:`\Lambda`). Diffusion on this graph: continuity and current conservation at A, B, Dirichlet at the
    reservoirs. Valid for quasi-1D arms and leads (:math:`W \ll L_\phi, L_T`), :math:`l \ll W`, flux through
    the hole only (the field in the arms, :math:`BWL \ll \Phi_0`, is neglected), leads shorter than the
    distance to real reservoirs (the leads are part of the phase-coherent sample).

    **Sample-specific harmonics.** :math:`\langle\delta g(\Phi_1)\delta g(\Phi_2)\rangle = F_D(\Phi_1-\Phi_2) +
    F_C(\Phi_1+\Phi_2)`, per channel :math:`w^2[2\operatorname{Re}\operatorname{Tr}G^2 + 4\operatorname{Tr}GG^\dagger]`
    (the UCF weights of :mod:`mesocorr.diagrams.ucf`), the trace from the graph's spectral determinant
    :math:`Z = \tilde\alpha - \tilde\beta\cos\theta` whose log has the harmonics :math:`-2\rho^n/n`. The
    :math:`k`-th harmonic :math:`g_k(\Phi) = 2\operatorname{Re}\hat g_ke^{2\pi ik\Phi/\Phi_0}` has
    :math:`\langle|\hat g_k|^2\rangle = d_k` (Diffusons) and :math:`\langle\hat g_k^2\rangle = c_k`
    (Cooperons: the phase rigidity of a two-terminal ring). ``rms`` :math:`= \sqrt{2d_k}` is the rms of the
    harmonic signal averaged over the flux, ``amplitude_rms`` :math:`= 2\sqrt{d_k}` that of its amplitude.
    Limits (derived, tested): :math:`L \gg L_\phi`: :math:`2d_k \to 6k(LL_\phi/\Lambda^2)^2 4^{-k}e^{-kL/L_\phi}`
    per channel (rms :math:`\propto e^{-kL/2L_\phi}`); :math:`L_T \ll L`: :math:`2d_k \to (4\pi/3)(L_T/L)^2 w^2 F_k`
    (rms :math:`\propto L_T/L`).

    **Ensemble average (AAS of this ring).** :math:`\langle\delta G\rangle = -2sw\sum_c w_c\operatorname{Tr}G_c` with
    the Cooperon phase :math:`4\pi\Phi/\Phi_0`: harmonic :math:`k = 2n` gets ``mean_amplitude``
    :math:`= -2sw\sum_cw_cF_n(\gamma_c)` (coefficient of :math:`\cos(4\pi n\Phi/\Phi_0)`); ``mean_uniform`` is
    the flux-independent part.

    Parameters
    ----------
    L_phi : float
        Dephasing length in units of L (``math.inf`` allowed: the leads let the Diffuson escape).
    lead_length : float
        :math:`\ell/L` (> 0; at 0 the reservoirs touch the ring and no path winds).
    L_T : float, optional
        Thermal length in units of L; ``None`` = zero temperature.
    so, mag, spinless
        As :func:`aas_oscillation`.
    n_harmonics : int
        Harmonics :math:`k = 1..n` (period :math:`(h/e)/k`).
    dps : int, optional
        mpmath evaluation (zero temperature only).

    Returns
    -------
    ABResult
        ``harmonics`` (per k: ``period``, ``rms``, ``rms_error``, ``amplitude_rms``, ``diffuson_variance``,
        ``cooperon_variance`` and their errors, ``rms_at_zero_flux``, ``mean_amplitude``, ``mean_error``),
        ``mean_uniform``, ``parameters``, ``channels``.

    Examples
    --------
    >>> r = ab_harmonics(L_phi=1.0, lead_length=0.5)
    >>> h1 = r.harmonics[0]
    >>> h1["period"], round(h1["rms"], 10), round(r.harmonics[1]["mean_amplitude"], 10)
    (1.0, 0.3104483378, -0.050113401)
    """
    gphi = _dephasing_gap(L_phi)
    lead = arguments.positive("lead_length", lead_length)
    if lead > 100:
        raise ValueError(f"lead_length: at most 100 L, got {lead!r}")
    T = 0.0 if L_T is None else arguments.positive("L_T", L_T)
    if T and T < 1e-4:
        raise ValueError(f"L_T: at least 1e-4 L, got {L_T!r}; far below L the rms follows the limit "
                         "2 d_k = (4 pi/3)(L_T/L)^2 w^2 F_k, reached faster than any power of L_T/L")
    T = 0.0 if L_T is None else 1.0 / T / T
    dps = _dps(dps)
    if dps is not None and T:
        raise ValueError("dps: the thermal average (L_T) is evaluated in float64 only; omit dps or L_T")
    n_harmonics = arguments.integer("n_harmonics", n_harmonics, minimum=1, maximum=200)
    s = _spin_factor(spinless)
    diff = [(g + gphi, w) for g, w in ring_channels("diffuson", so, mag, spinless)]
    coop = [(g + gphi, w) for g, w in ring_channels("cooperon", so, mag, spinless)]
    wl = [(g + gphi, w) for g, w in ring_channels("wl", so, mag, spinless)]
    Lam = 2 * lead + 0.5
    wgt = 1.0 / Lam**2
    n_mean = n_harmonics // 2
    if dps is None:
        from mesocorr.integrals.rings import ring_trace_harmonics, ucf_harmonics

        def corr(chans):
            val, err = np.zeros(n_harmonics), np.zeros(n_harmonics)
            for g, m in _group(chans):
                v, e = ucf_harmonics(g, lead, n_harmonics, T)
                val += m * v
                err += m * e
            return wgt**2 * val, wgt**2 * err

        dk, dk_err = corr(diff)
        ck, ck_err = corr(coop)
        mean = np.zeros(n_mean + 1)
        for g, w in wl:
            mean += -2 * s * wgt * w * ring_trace_harmonics(np.array([g + 0j]), lead, n_mean)[:, 0].real
        mean_err = 64 * 2.2e-16 * np.abs(mean)
        mean_uniform = float(mean[0])
    else:
        from mesocorr.integrals.rings import ring_trace_harmonics_mp, ucf_harmonics_mp

        with mpmath.workdps(dps + 10):
            def corr_mp(chans):
                tot = [mpmath.mpf(0)] * n_harmonics
                for g, m in _group(chans):
                    vals = ucf_harmonics_mp(g, lead, n_harmonics, dps)
                    tot = [a + m * b for a, b in zip(tot, vals)]
                return tot

            wm = 1 / (2 * mpmath.mpf(lead) + mpmath.mpf(1) / 2) ** 2
            dk_mp = [v * wm**2 for v in corr_mp(diff)]
            ck_mp = [v * wm**2 for v in corr_mp(coop)]
            mean_mp = [mpmath.mpf(0)] * (n_mean + 1)
            for g, w in wl:
                F = ring_trace_harmonics_mp(mpmath.mpf(g), lead, n_mean)
                mean_mp = [a - 2 * s * wm * mpmath.mpf(w) * f.real for a, f in zip(mean_mp, F)]
        dk = dk_mp
        ck = ck_mp
        mean = mean_mp
        mean_uniform = mean_mp[0]
    rows = []
    for k in range(1, n_harmonics + 1):
        if dps is None:
            d2, c2 = 2 * dk[k - 1], 2 * ck[k - 1]
            rms = math.sqrt(max(d2, 0.0))
            row = {"k": k, "period": 1 / k, "rms": rms,
                   "rms_error": float(dk_err[k - 1] / rms) if rms > 0 else 0.0,
                   "amplitude_rms": math.sqrt(2) * rms, "diffuson_variance": float(d2),
                   "diffuson_variance_error": float(2 * dk_err[k - 1]), "cooperon_variance": float(c2),
                   "cooperon_variance_error": float(2 * ck_err[k - 1]),
                   "rms_at_zero_flux": math.sqrt(max(d2 + c2, 0.0)),
                   "mean_amplitude": float(mean[k // 2]) if k % 2 == 0 else 0.0,
                   "mean_error": float(mean_err[k // 2]) if k % 2 == 0 else 0.0}
        else:
            with mpmath.workdps(dps):
                d2, c2 = 2 * dk[k - 1], 2 * ck[k - 1]
                row = {"k": k, "period": 1 / k, "rms": mpmath.nstr(mpmath.sqrt(d2), dps),
                       "rms_error": mpmath.nstr(mpmath.sqrt(d2) * mpmath.mpf(10) ** (1 - dps), 3),
                       "amplitude_rms": mpmath.nstr(mpmath.sqrt(2 * d2), dps),
                       "diffuson_variance": mpmath.nstr(d2, dps), "cooperon_variance": mpmath.nstr(c2, dps),
                       "rms_at_zero_flux": mpmath.nstr(mpmath.sqrt(d2 + c2), dps),
                       "mean_amplitude": mpmath.nstr(+mean[k // 2], dps) if k % 2 == 0 else "0"}
        rows.append(row)
    params = {"L_phi": float(L_phi), "lead_length": lead, "L_T": L_T, "temperature_Ec": T, "so": so, "mag": mag,
              "spinless": spinless, "Lambda": Lam, "box_weight": wgt, "dps": dps}
    chans = {"diffuson": [{"gap": g, "weight": w} for g, w in diff],
             "cooperon": [{"gap": g, "weight": w} for g, w in coop],
             "wl": [{"gap": g, "weight": w} for g, w in wl]}
    if dps is not None:
        with mpmath.workdps(dps):
            mean_uniform = mpmath.nstr(+mean_uniform, dps)
    return ABResult(harmonics=rows, mean_uniform=mean_uniform, parameters=params, channels=chans)


def _group(chans):
    """Merge channels with equal gaps: [(gap, multiplicity)]."""
    out: dict = {}
    for g, w in chans:
        out[g] = out.get(g, 0.0) + w
    return list(out.items())
