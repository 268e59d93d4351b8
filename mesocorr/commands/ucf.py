"""``mesocorr ucf``: variance and correlations of the conductance (UCF) of a wire, film or box
(see :func:`mesocorr.ucf.ucf_variance`, :func:`mesocorr.ucf.ucf_correlation`)."""

from __future__ import annotations

import math

import mpmath

from mesocorr import ucf as _api
from mesocorr.cli import CliError, format_table
from mesocorr.options import count, exact_rate_spec, exact_real, exact_real_list, exact_vector_spec

NAME = "ucf"
ORDER = 40
HELP = "universal conductance fluctuations: var G and correlations C(dE, dPhi) in (e^2/h)^2 for a wire, film or box"
DESCRIPTION = (
    "var G = C(0, 0) and, with --delta-E/--delta-flux/--flux, the correlation C(dE, dPhi) = <dg(E, Phi) "
    "dg(E + dE, Phi + dPhi)> in (e^2/h)^2; --half-widths adds the correlation energy (C(dE) = C(0)/2) and the "
    "correlation flux (C(dPhi) = C(0)/2). Energies in units of E_c = hbar D/L^2, fluxes B W L in units of h/e "
    "through the L x W face (field normal to it; narrow-wire dephasing, see docs/conventions.md)."
)

#: caps of the CLI on --dps (README "Input rules and caps"): the variance at 40 digits takes up to ~10 s, a
#: correlation at dE != 0 is slower (measured ~10-25 s at 25 digits for a box), hence its lower cap
MAX_DPS = min(40, _api.MAX_DPS)
MAX_DPS_CORRELATION = min(20, MAX_DPS)


def register(p):
    p.add_argument("--shape", type=exact_real_list, default=[1.0, 1.0, 1.0],
                   help="L[,W[,H]]: 1 length = wire, 2 = film, 3 = box; current along L (default 1,1,1)")
    p.add_argument("--so", type=exact_rate_spec, default=0.0, help="spin-orbit rate in units of D/L^2: total or x,y,z")
    p.add_argument("--mag", type=exact_rate_spec, default=0.0, help="magnetic rate in units of D/L^2: total or x,y,z")
    p.add_argument("--broken-trs", action="store_true", help="time reversal broken (no Cooperons)")
    p.add_argument("--spinless", action="store_true", help="spinless electrons (one channel per kind)")
    p.add_argument("--L-phi", dest="L_phi", type=exact_real, default=None, help="dephasing length (unit of --shape)")
    p.add_argument("--L-T", dest="L_T", type=exact_real, default=None, help="thermal length sqrt(hbar D/k_B T) (unit of --shape)")
    p.add_argument("--delta-E", dest="delta_E", type=exact_real, default=None,
                   help="energy difference dE of the correlation, in units of E_c = hbar D/L^2")
    p.add_argument("--delta-flux", dest="delta_flux", type=exact_real, default=None,
                   help="flux difference dPhi = dB W L of the correlation, in units of h/e")
    p.add_argument("--flux", type=exact_real, default=None, help="flux B W L of the first conductance, in units of h/e")
    p.add_argument("--half-widths", action="store_true",
                   help="also the correlation energy (E_c) and flux (h/e): half widths of C (float64 only)")
    p.add_argument("--zeeman", type=exact_vector_spec, default=None,
                   help="Zeeman vector omega = g mu_B B/hbar in units of D/L^2 (one number: along z, or x,y,z); "
                        "float64, energy correlation only")
    p.add_argument("--dps", type=count(1, MAX_DPS, "the CLI's cap on mpmath digits"), default=None,
                   help=f"significant digits (mpmath path), 1..{MAX_DPS} ({MAX_DPS_CORRELATION} with a correlation)")


def _digits(value, dps):
    """A float64 value as its repr, an mpmath value to ``dps`` significant digits (the variance's format)."""
    return repr(float(value)) if dps is None else mpmath.nstr(value, dps, strip_zeros=False)


def run(args):
    if args.half_widths and args.dps is not None:
        raise CliError("--half-widths: the half widths are float64 only; drop --dps")
    correlation = any(getattr(args, k) is not None for k in ("delta_E", "delta_flux", "flux"))
    if correlation and args.dps is not None and args.dps > MAX_DPS_CORRELATION:
        raise CliError(f"--dps: at most {MAX_DPS_CORRELATION} digits for a correlation (--delta-E, --delta-flux, "
                       f"--flux), got {args.dps}")
    # lengths, rates, fluxes and --dps are checked by the API (ValueError naming the argument -> exit 2)
    kw = dict(shape=tuple(args.shape), so=args.so, mag=args.mag, broken_trs=args.broken_trs,
              spinless=args.spinless, L_phi=args.L_phi, L_T=args.L_T)
    zeeman = args.zeeman is not None and (any(args.zeeman) if isinstance(args.zeeman, tuple) else args.zeeman != 0)
    if zeeman:
        return _run_zeeman(args, kw, correlation)
    var = _api.ucf_variance(dps=args.dps, **kw)
    if args.dps is None:
        variance, rms = _digits(var, None), repr(math.sqrt(var))
    else:
        with mpmath.workdps(args.dps + 5):
            rms_mp = mpmath.sqrt(var)
        variance, rms = _digits(var, args.dps), _digits(rms_mp, args.dps)
    chans = _api.ucf_channels(**kw)
    result = {"variance": variance, "rms": rms, "unit": "(e^2/h)^2", "rms_unit": "e^2/h",
              "shape": list(args.shape), "digits": args.dps if args.dps is not None else "float64",
              "channels": chans}
    rows = [(c["kind"], c["name"], c["gap"], c["variance"]) for c in chans]
    text = format_table(rows, ("kind", "channel", "gap (D/L^2)", "share of var (e^2/h)^2"))
    text += f"\n\nvar G = {variance} (e^2/h)^2\nrms G = {rms} e^2/h"
    shifts = {"delta_E": args.delta_E or 0.0, "delta_flux": args.delta_flux or 0.0, "flux": args.flux or 0.0}
    if correlation:
        c = _api.ucf_correlation(dps=args.dps, **shifts, **kw)
        if args.dps is None:
            ratio = float(c) / float(var)
        else:
            with mpmath.workdps(args.dps + 5):
                ratio = c / var
        result.update({"correlation": _digits(c, args.dps), "correlation_over_variance": _digits(ratio, args.dps),
                       "correlation_unit": "(e^2/h)^2", **shifts,
                       "delta_E_unit": "E_c = hbar D/L^2", "flux_unit": "h/e (flux B W L through the L x W face)"})
        text += (f"\n\nC(dE = {shifts['delta_E']:g} E_c, dPhi = {shifts['delta_flux']:g} h/e; Phi = "
                 f"{shifts['flux']:g} h/e) = {result['correlation']} (e^2/h)^2 = {result['correlation_over_variance']}"
                 " var G")
    if args.half_widths:
        e_kw = {k: v for k, v in shifts.items() if k != "delta_E"}
        f_kw = {k: v for k, v in shifts.items() if k != "delta_flux"}
        e_c = _api.ucf_correlation_energy(**e_kw, **kw)
        phi_c = _api.ucf_correlation_flux(**f_kw, **kw)
        result.update({"half_width_energy": e_c, "half_width_energy_unit": "E_c = hbar D/L^2",
                       "half_width_flux": phi_c, "half_width_flux_unit": "h/e"})
        text += (f"\n\nhalf width in energy: C(dE) = C(0)/2 at dE = {e_c:.10g} E_c"
                 f"\nhalf width in flux:   C(dPhi) = C(0)/2 at dPhi = {phi_c:.10g} h/e")
    return result, text


def _run_zeeman(args, kw, correlation):
    """var G (and the energy correlation) with a Zeeman splitting: the engine's complex Diffuson/Cooperon gaps."""
    if args.half_widths:
        raise CliError("--half-widths: not implemented with --zeeman")
    z = tuple(float(x) for x in args.zeeman) if isinstance(args.zeeman, tuple) else float(args.zeeman)
    var = _api.ucf_variance(dps=args.dps, zeeman=z, **kw)
    result = {"variance": repr(float(var)), "rms": repr(math.sqrt(var)), "unit": "(e^2/h)^2", "rms_unit": "e^2/h",
              "shape": [float(x) for x in args.shape], "digits": "float64",
              "zeeman": list(z) if isinstance(z, tuple) else [0.0, 0.0, z], "zeeman_unit": "D/L^2"}
    text = (f"Zeeman vector omega = {result['zeeman']} (D/L^2): Diffusons m = +-1 shifted by -+ i omega, Cooperon "
            f"singlet mixed with the m = 0 triplet\n\nvar G = {result['variance']} (e^2/h)^2\nrms G = {result['rms']} e^2/h")
    if correlation:
        shifts = {"delta_E": args.delta_E or 0.0, "delta_flux": args.delta_flux or 0.0, "flux": args.flux or 0.0}
        c = _api.ucf_correlation(dps=args.dps, zeeman=z, **shifts, **kw)
        result.update({"correlation": repr(float(c)), "correlation_over_variance": repr(float(c) / float(var)),
                       "correlation_unit": "(e^2/h)^2", "delta_E": float(shifts["delta_E"]),
                       "delta_E_unit": "E_c = hbar D/L^2"})
        text += f"\n\nC(dE = {float(shifts['delta_E']):g} E_c) = {result['correlation']} (e^2/h)^2"
    return result, text
