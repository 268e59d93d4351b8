"""Length scales of the mesoscopic realm and the regime they put a sample in.

Implements the hierarchy of the seed chapter ("Defining the Mesoscopic Realm", "The Central
Role of Phase Coherence"): :math:`\\lambda_F = 2\\pi/k_F`, :math:`l = v_F\\tau`,
:math:`D = v_F^2\\tau/d = v_F l/d`, :math:`L_\\phi = \\sqrt{D\\tau_\\phi}`,
:math:`L_T = \\sqrt{\\hbar D/k_B T}` and the Ioffe-Regel parameter :math:`k_F l`.

All inputs and outputs are SI (m, s, m^2/s, K). See ``docs/conventions.md`` (section
"Length scales") for the thresholds behind "≪" and "≲" in the verdict.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

from mesocorr import arguments
from mesocorr.physics_warnings import warn_inconsistent
from mesocorr.units import HBAR, K_B

__all__ = ["scales", "Scales", "MUCH_LESS", "OUTPUTS", "UNITS"]

#: "a ≪ b" is read as a/b <= MUCH_LESS (and "a ≫ b" as b/a <= MUCH_LESS)
MUCH_LESS = 0.1
#: names of the lengths/parameters that :func:`scales` can return
OUTPUTS = ("fermi_wavelength", "fermi_wavevector", "fermi_velocity", "elastic_time", "mean_free_path",
           "diffusion_constant", "L_phi", "L_T", "kF_l")

#: SI unit of every numeric field of :class:`Scales` (``"1"``: dimensionless)
UNITS = {"fermi_wavevector": "1/m", "fermi_wavelength": "m", "fermi_velocity": "m/s", "elastic_time": "s",
         "mean_free_path": "m", "diffusion_constant": "m^2/s", "dephasing_time": "s", "energy_relaxation_time": "s",
         "temperature": "K", "length": "m", "L_phi": "m", "L_T": "m", "kF_l": "1"}

_RTOL = 1e-9


@dataclass(frozen=True)
class Scales:
    """Lengths (m), times (s), D (m^2/s) and the regime verdict returned by :func:`scales`.

    Attributes that the input does not determine are ``None``. ``verdict`` maps each aspect
    (``transport``, ``coherence``, ``disorder``, ``continuum``) to a label; ``reasons`` holds one
    sentence per aspect, and ``inconsistencies`` lists physically inconsistent inputs (for
    instance :math:`\\tau_\\phi > \\tau_E`). The fields (constructor parameters) are:

    Parameters
    ----------
    dim : int
        Dimension of the diffusive motion (1, 2, 3).
    fermi_wavevector, fermi_wavelength : float or None
        :math:`k_F` (1/m) and :math:`\\lambda_F = 2\\pi/k_F` (m).
    fermi_velocity : float or None
        :math:`v_F` (m/s).
    elastic_time, dephasing_time, energy_relaxation_time : float or None
        :math:`\\tau`, :math:`\\tau_\\phi`, :math:`\\tau_E` (s).
    mean_free_path : float or None
        :math:`l = v_F\\tau` (m).
    diffusion_constant : float or None
        :math:`D = v_F^2\\tau/d` (m²/s).
    temperature : float or None
        T (K).
    length : float or None
        Sample length L (m).
    L_phi, L_T : float or None
        :math:`L_\\phi = \\sqrt{D\\tau_\\phi}` and :math:`L_T = \\sqrt{\\hbar D/k_BT}` (m).
    kF_l : float or None
        Ioffe-Regel parameter :math:`k_F l`.
    verdict, reasons : dict
        Aspect (``transport``, ``coherence``, ``disorder``, ``continuum``) -> label / one sentence.
    inconsistencies : list of str
        Physically inconsistent inputs, each naming its arguments.

    Examples
    --------
    >>> from mesocorr import scales
    >>> s = scales(2, fermi_velocity=2e5, mean_free_path=1e-7, dephasing_time=1e-10)
    >>> s.diffusion_constant, s.L_phi, s.L_T
    (0.01, 1e-06, None)
    """

    dim: int
    fermi_wavevector: float | None = None
    fermi_wavelength: float | None = None
    fermi_velocity: float | None = None
    elastic_time: float | None = None
    mean_free_path: float | None = None
    diffusion_constant: float | None = None
    dephasing_time: float | None = None
    energy_relaxation_time: float | None = None
    temperature: float | None = None
    length: float | None = None
    L_phi: float | None = None
    L_T: float | None = None
    kF_l: float | None = None
    verdict: dict = field(default_factory=dict)
    reasons: dict = field(default_factory=dict)
    inconsistencies: list = field(default_factory=list)

    def as_dict(self) -> dict:
        """Plain dict (JSON-serialisable) of every field, plus ``units``: the SI unit of each quantity."""
        return {**asdict(self), "units": dict(UNITS)}


def _agree(a: float, b: float) -> bool:
    return abs(a - b) <= _RTOL * max(abs(a), abs(b))


def _sqrt_product(a: float, b: float) -> float:
    """sqrt(a b), with the factors' square roots multiplied where the product leaves the float64 range."""
    prod = a * b
    return math.sqrt(prod) if 1e-300 < prod < 1e300 else math.sqrt(a) * math.sqrt(b)


def _solve_kinematics(dim, v, tau, l, D):
    """Close the triangle l = v tau, D = v l / d from any two of (v, tau, l, D)."""
    known = {k: x for k, x in (("fermi_velocity", v), ("elastic_time", tau), ("mean_free_path", l),
                               ("diffusion_constant", D)) if x is not None}
    if len(known) < 2:
        return v, tau, l, D
    # pick a determining pair, derive the rest, then check any extra given value
    for _ in range(3):
        if v is not None and tau is not None:
            l2, D2 = v * tau, v * v * tau / dim
        elif v is not None and l is not None:
            tau2 = l / v
            l2, D2 = l, v * l / dim
            tau = tau2
        elif v is not None and D is not None:
            l2 = dim * D / v
            tau, D2 = l2 / v, D
        elif tau is not None and l is not None:
            v = l / tau
            l2, D2 = l, v * l / dim
        elif tau is not None and D is not None:
            v = math.sqrt(dim * D / tau)
            l2, D2 = v * tau, D
        else:  # l and D
            v = dim * D / l
            tau = l / v
            l2, D2 = l, D
        break
    if v is not None and tau is None:
        tau = l2 / v
    for name, given, derived in (("mean_free_path", l, l2), ("diffusion_constant", D, D2)):
        if given is not None and not _agree(given, derived):
            raise ValueError(
                f"{name}: inconsistent with the other kinematic inputs (given {given:.6g}, "
                f"implied {derived:.6g} from l = v_F tau, D = v_F^2 tau / d)"
            )
    return v, tau, l2, D2


@arguments.float64_range
def scales(dim: int, *, fermi_wavevector=None, fermi_wavelength=None, fermi_velocity=None,
           elastic_time=None, mean_free_path=None, diffusion_constant=None, dephasing_time=None,
           energy_relaxation_time=None, temperature=None, length=None, require=()) -> Scales:
    """Compute the mesoscopic length scales and classify the transport regime.

    Any subset of the inputs may be given; every output the subset determines is returned,
    the others are ``None``. Over-determined inputs must agree to 1e-9 relative.

    Parameters
    ----------
    dim : {1, 2, 3}
        Dimension entering :math:`D = v_F^2 \\tau / d`.
    fermi_wavevector, fermi_wavelength : float, optional
        :math:`k_F` (1/m) or :math:`\\lambda_F = 2\\pi/k_F` (m).
    fermi_velocity : float, optional
        :math:`v_F` (m/s).
    elastic_time, mean_free_path : float, optional
        Elastic scattering time :math:`\\tau` (s), mean free path :math:`l = v_F\\tau` (m).
    diffusion_constant : float, optional
        :math:`D` (m^2/s).
    dephasing_time, energy_relaxation_time : float, optional
        :math:`\\tau_\\phi` and :math:`\\tau_E` (s). :math:`\\tau_\\phi \\le \\tau_E` must hold
        (energy relaxation always dephases); a violation is listed in ``inconsistencies``.
    temperature : float, optional
        :math:`T` (K).
    length : float, optional
        Sample length :math:`L` (m).
    require : iterable of str
        Names from :data:`~mesocorr.lengths.OUTPUTS` that must be determined; a missing input raises ``ValueError``.

    Returns
    -------
    Scales
        Lengths, :math:`k_F l` and the regime verdict with reasons.

    Raises
    ------
    ValueError
        Non-positive or non-finite input, inconsistent over-determination, an input whose
        output cannot be formed (e.g. :math:`\\tau_\\phi` without any way to get :math:`D`),
        or a required output that the input does not determine.

    Notes
    -----
    Thresholds: "a ≪ b" means :math:`a/b \\le 0.1` (:data:`~mesocorr.lengths.MUCH_LESS`); "a ≲ b" means
    :math:`a \\le b`. Ballistic: :math:`L \\le 0.1\\,l`; diffusive: :math:`L \\ge 10\\,l`;
    quasi-ballistic in between. Phase-coherent: :math:`L \\le L_\\phi` and :math:`L \\le L_T`.
    Metallic: :math:`k_F l \\ge 10`; near strong localization (Ioffe-Regel): :math:`k_F l \\le 1`.

    Examples
    --------
    >>> s = scales(2, fermi_wavevector=1.0e8, mean_free_path=1e-7, fermi_velocity=2e5,
    ...            dephasing_time=1e-10, temperature=0.05, length=1e-6)
    >>> round(s.diffusion_constant, 12), s.verdict["transport"], s.verdict["coherence"]
    (0.01, 'diffusive', 'phase-coherent')
    """
    dim = arguments.integer("dim", dim, 1, 3)
    pos = arguments.positive_or_none
    kF = pos("fermi_wavevector", fermi_wavevector)
    lam = pos("fermi_wavelength", fermi_wavelength)
    v = pos("fermi_velocity", fermi_velocity)
    tau = pos("elastic_time", elastic_time)
    l = pos("mean_free_path", mean_free_path)
    D = pos("diffusion_constant", diffusion_constant)
    tphi = pos("dephasing_time", dephasing_time)
    tE = pos("energy_relaxation_time", energy_relaxation_time)
    T = pos("temperature", temperature)
    L = pos("length", length)
    if isinstance(require, str):
        require = [require]
    for r in require:
        arguments.choice("require", r, OUTPUTS)

    given = [n for n, x in (("fermi_wavevector", kF), ("fermi_wavelength", lam), ("fermi_velocity", v),
                            ("elastic_time", tau), ("mean_free_path", l), ("diffusion_constant", D),
                            ("dephasing_time", tphi), ("temperature", T)) if x is not None]
    try:
        return _scales(dim, kF, lam, v, tau, l, D, tphi, tE, T, L, require)
    except (ZeroDivisionError, OverflowError):
        raise ValueError(f"{', '.join(given) or 'dim'}: the scales implied by these inputs leave the float64 "
                         "range") from None


def _scales(dim, kF, lam, v, tau, l, D, tphi, tE, T, L, require) -> Scales:
    if kF is not None and lam is not None and not _agree(lam, 2 * math.pi / kF):
        raise ValueError(f"fermi_wavelength: {lam:.6g} m disagrees with 2*pi/fermi_wavevector = {2*math.pi/kF:.6g} m")
    if kF is None and lam is not None:
        kF = 2 * math.pi / lam
    if lam is None and kF is not None:
        lam = 2 * math.pi / kF

    v, tau, l, D = _solve_kinematics(dim, v, tau, l, D)

    L_phi = _sqrt_product(D, tphi) if (D is not None and tphi is not None) else None
    L_T = _sqrt_product(HBAR * D, 1 / (K_B * T)) if (D is not None and T is not None) else None
    kF_l = kF * l if (kF is not None and l is not None) else None

    how_D = "give diffusion_constant, or two of fermi_velocity, elastic_time, mean_free_path"
    if tphi is not None and L_phi is None:
        raise ValueError(f"dephasing_time: L_phi = sqrt(D tau_phi) needs D; {how_D}")
    if T is not None and L_T is None:
        raise ValueError(f"temperature: L_T = sqrt(hbar D / k_B T) needs D; {how_D}")

    out = dict(fermi_wavevector=kF, fermi_wavelength=lam, fermi_velocity=v, elastic_time=tau,
               mean_free_path=l, diffusion_constant=D, L_phi=L_phi, L_T=L_T, kF_l=kF_l)
    for key, value in out.items():
        if value is not None and not (math.isfinite(value) and value > 0):
            raise ValueError(f"{key}: the value implied by the inputs ({value!r}) is outside the float64 range")
    missing = [r for r in require if out[r] is None]
    if missing:
        raise ValueError(f"require: cannot determine {', '.join(missing)} from the given inputs")

    verdict, reasons, bad = {}, {}, []
    if L is not None and l is not None:
        r = L / l
        if r <= MUCH_LESS:
            verdict["transport"] = "ballistic"
            reasons["transport"] = f"L/l = {r:.3g} <= {MUCH_LESS}: L << l, hardly any elastic scattering"
        elif r >= 1 / MUCH_LESS:
            verdict["transport"] = "diffusive"
            reasons["transport"] = f"L/l = {r:.3g} >= {1/MUCH_LESS:g}: l << L, random-walk motion with D"
        else:
            verdict["transport"] = "quasi-ballistic"
            reasons["transport"] = f"L/l = {r:.3g}: neither L << l nor l << L"
    if L is not None and (L_phi is not None or L_T is not None):
        limits = [(n, x) for n, x in (("L_phi", L_phi), ("L_T", L_T)) if x is not None]
        exceeded = [f"L/{n} = {L / x:.3g}" for n, x in limits if L > x]
        if exceeded:
            verdict["coherence"] = "self-averaging"
            reasons["coherence"] = (f"{'; '.join(exceeded)} > 1: the sample holds several independent "
                                    "coherent boxes and interference effects self-average")
        else:
            verdict["coherence"] = "phase-coherent" if len(limits) == 2 else "phase-coherent (partial check)"
            reasons["coherence"] = ("; ".join(f"L/{n} = {L / x:.3g}" for n, x in limits) + " <= 1"
                                    + ("" if len(limits) == 2 else f"; {'L_T' if L_T is None else 'L_phi'} unknown"))
    if kF_l is not None:
        if kF_l >= 1 / MUCH_LESS:
            verdict["disorder"] = "metallic"
            reasons["disorder"] = f"k_F l = {kF_l:.3g} >> 1: weak disorder, diagrammatics in 1/(k_F l) applies"
        elif kF_l <= 1:
            verdict["disorder"] = "strong localization"
            reasons["disorder"] = f"k_F l = {kF_l:.3g} <= 1: Ioffe-Regel criterion met, l ~ lambda_F"
        else:
            verdict["disorder"] = "intermediate"
            reasons["disorder"] = f"k_F l = {kF_l:.3g}: metallic but quantum corrections are not small"
    if L is not None and lam is not None:
        ok = lam / L <= MUCH_LESS
        verdict["continuum"] = "continuum" if ok else "atomic-scale"
        reasons["continuum"] = f"lambda_F/L = {lam / L:.3g}" + (" <= 0.1" if ok else " > 0.1: L is not >> lambda_F")
    if tphi is not None and tE is not None and tphi > tE:
        bad.append(f"dephasing_time = {tphi:.3g} s exceeds energy_relaxation_time = {tE:.3g} s: energy "
                   "relaxation always dephases, so tau_phi <= tau_E must hold")
    if tphi is not None and tau is not None and tphi < tau:
        bad.append(f"dephasing_time, elastic_time: tau_phi = {tphi:.3g} s is shorter than the elastic time "
                   f"tau = {tau:.3g} s; phase coherence between collisions (tau_phi >> tau) is what the "
                   "diffusive quantum corrections assume")
    elif L_phi is not None and l is not None and L_phi < l:
        bad.append(f"dephasing_time, mean_free_path: L_phi = sqrt(D tau_phi) = {L_phi:.3g} m is shorter than the "
                   f"mean free path l = {l:.3g} m; L_phi is then not a diffusive length")
    if L_T is not None and l is not None and L_T < l:
        bad.append(f"temperature, mean_free_path: L_T = sqrt(hbar D/k_B T) = {L_T:.3g} m is shorter than the mean "
                   f"free path l = {l:.3g} m (k_B T > hbar/tau): the diffusive L_T does not apply")
    for msg in bad:
        warn_inconsistent(msg if not msg.startswith("dephasing_time = ") else
                          "dephasing_time, energy_relaxation_time: " + msg)

    return Scales(dim=dim, dephasing_time=tphi, energy_relaxation_time=tE, temperature=T, length=L,
                  verdict=verdict, reasons=reasons, inconsistencies=bad, **out)
