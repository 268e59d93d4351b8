"""``mesocorr mc``: weak-(anti)localization magnetoconductance (see :func:`mesocorr.wl.magnetoconductance`)."""

from __future__ import annotations

import mpmath

from mesocorr.cli import CliError, float_list, format_table, rate_spec
from mesocorr.ilp import ilp_magnetoconductance
from mesocorr.wl import cooperon_channel_table, magnetoconductance

NAME = "mc"
ORDER = 40
HELP = "magnetoconductance Delta sigma(B) = sigma(B) - sigma(0) from the Cooperon channels (d = 1, 2, 3)"

UNIT_DETAIL = {
    1: "e^2/h times metre (Delta G * L of a wire of length L)",
    2: "e^2/h per square",
    3: "e^2/h per metre (conductivity)",
}


def register(p):
    p.add_argument("--dim", type=int, default=2, choices=(1, 2, 3), help="dimension of the diffusion modes")
    p.add_argument("--model", default="hln", choices=("hln", "ilp"),
                   help="hln: Cooperon channels from rates (default); ilp: 2D electron gas with Rashba/Dresselhaus "
                        "spin precession, from fields (--B-phi, --B-rashba, --B-dresselhaus, --B-cubic)")
    p.add_argument("--D", type=float, default=None, help="diffusion constant (m^2/s), required for --model hln")
    p.add_argument("--so", type=rate_spec, default=0.0, help="spin-orbit rate 1/s: total, or x,y,z components")
    p.add_argument("--mag", type=rate_spec, default=0.0, help="magnetic scattering rate 1/s: total, or x,y,z")
    p.add_argument("--phi", type=float, default=0.0, help="dephasing rate 1/tau_phi (1/s)")
    p.add_argument("--B", type=float_list, required=True,
                   help="fields in tesla, comma-separated (leading minus: --B=-0.03,0.01)")
    p.add_argument("--width", type=float, default=None, help="wire width W (m), required for --dim 1")
    p.add_argument("--dps", type=int, default=None, help="evaluate with mpmath at this many digits")
    for name, text in (("phi", "dephasing field hbar/(4 e D tau_phi)"), ("rashba", "Rashba field H_R"),
                       ("dresselhaus", "Dresselhaus first-harmonic field H_D"), ("cubic", "cubic (third-harmonic) field H_3")):
        p.add_argument(f"--B-{name}", dest=f"B_{name}", type=float, default=None, help=f"--model ilp: {text} (T)")


def _run_ilp(args):
    fields = {k: getattr(args, k) for k in ("B_phi", "B_rashba", "B_dresselhaus", "B_cubic")}
    if fields["B_phi"] is None:
        raise CliError("--B-phi: the dephasing field (T) is required for --model ilp")
    if args.dim != 2:
        raise CliError(f"--dim: the ILP model is two-dimensional, got {args.dim}")
    for flag, value in (("--D", args.D), ("--width", args.width)):
        if value is not None:
            raise CliError(f"{flag}: not used by --model ilp (give the fields --B-phi, --B-rashba, ...)")
    fields = {k: (0.0 if v is None else v) for k, v in fields.items()}
    res = ilp_magnetoconductance(args.B, dps=args.dps, full_output=True, **fields)
    fmt = (lambda v: float(v)) if args.dps is None else (lambda v: mpmath.nstr(v, args.dps))
    out = [fmt(v) for v in res.delta_sigma]
    err = [float(v) for v in res.error_estimate]
    result = {"B": list(args.B), "delta_sigma": out, "unit": "e^2/h", "error_estimate": err,
              "unit_detail": UNIT_DETAIL[2], "model": "ilp", "fields": fields, "method": res.method}
    text = format_table(list(zip(args.B, out, err, res.method)),
                        ("B (T)", f"delta_sigma ({UNIT_DETAIL[2]})", "error estimate", "method"))
    return result, text


def run(args):
    if args.model == "ilp":
        return _run_ilp(args)
    if args.D is None:
        raise CliError("--D: the diffusion constant (m^2/s) is required for --model hln")
    values = magnetoconductance(args.B, dim=args.dim, D=args.D, so=args.so, mag=args.mag, phi=args.phi,
                                width=args.width, dps=args.dps)
    if args.dps is None:
        out = [float(v) for v in values]
    else:
        out = [mpmath.nstr(v, args.dps) for v in values]
    chans = cooperon_channel_table(args.D, so=args.so, mag=args.mag, phi=args.phi)
    result = {"B": list(args.B), "delta_sigma": out, "unit": "e^2/h", "unit_detail": UNIT_DETAIL[args.dim],
              "channels": chans}
    text = format_table(list(zip(args.B, out)), ("B (T)", f"delta_sigma ({UNIT_DETAIL[args.dim]})"))
    text += "\n\n" + format_table(
        [("/".join(c["names"]), c["weight"], c["gap"], c["B_c"], c["L_c"]) for c in chans],
        ("channel", "weight", "gap (1/s)", "B_c (T)", "L_c (m)"))
    return result, text
