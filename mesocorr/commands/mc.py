"""``mesocorr mc``: weak-(anti)localization magnetoconductance (see :func:`mesocorr.wl.magnetoconductance`)."""

from __future__ import annotations

import mpmath

from mesocorr.cli import format_table
from mesocorr.ilp import ilp_magnetoconductance
from mesocorr.options import count, exact_rate_spec, exact_real, exact_real_list
from mesocorr.progress import progress
from mesocorr.wl import cooperon_channel_table, magnetoconductance

NAME = "mc"
ORDER = 40
HELP = ("magnetoconductance Delta sigma(B) = sigma(B) - sigma(0): Cooperon channels from spin rates (d = 1, 2, 3) "
        "or the ILP model of a 2D electron gas with Rashba/Dresselhaus spin precession (--model ilp)")

#: caps of the CLI (README "Input rules and caps"): digits of the mpmath path, fields per call
MAX_DPS = 300
MAX_FIELDS = 100_000
MAX_FIELDS_DPS = 100
#: fields per call of --model ilp with --dps (about 0.3 s per general-case field at 30 digits)
MAX_FIELDS_ILP_DPS = 20
_ILP_FIELDS = (("phi", "dephasing field hbar/(4 e D tau_phi)"), ("rashba", "Rashba field H_R"),
               ("dresselhaus", "Dresselhaus first-harmonic field H_D (cubic first harmonic included)"),
               ("cubic", "cubic Dresselhaus third-harmonic field H_3"))

UNIT_DETAIL = {
    1: "e^2/h times metre (Delta G * L of a wire of length L)",
    2: "e^2/h per square",
    3: "e^2/h per metre (conductivity)",
}


def register(p):
    p.add_argument("--dim", type=int, default=2, choices=(1, 2, 3), help="dimension of the diffusion modes")
    p.add_argument("--model", default="hln", choices=("hln", "ilp"),
                   help="hln (default): Cooperon channels from spin rates (--D, --so, --mag, --phi); ilp: 2D electron "
                        "gas with Rashba/Dresselhaus spin precession, from fields (--B-phi, --B-rashba, "
                        "--B-dresselhaus, --B-cubic)")
    p.add_argument("--D", type=exact_real, default=None, help="diffusion constant (m^2/s), required for --model hln")
    p.add_argument("--so", type=exact_rate_spec, default=0.0, help="spin-orbit rate 1/s: total, or x,y,z components")
    p.add_argument("--mag", type=exact_rate_spec, default=0.0, help="magnetic scattering rate 1/s: total, or x,y,z")
    p.add_argument("--phi", type=exact_real, default=0.0, help="dephasing rate 1/tau_phi (1/s)")
    p.add_argument("--B", type=exact_real_list, required=True,
                   help=f"fields in tesla, comma-separated (leading minus: --B=-0.03,0.01); at most {MAX_FIELDS}, "
                        f"{MAX_FIELDS_DPS} with --dps")
    p.add_argument("--width", type=exact_real, default=None, help="wire width W (m), required for --dim 1")
    p.add_argument("--dps", type=count(1, MAX_DPS, "the CLI's cap on mpmath digits"), default=None,
                   help=f"evaluate with mpmath at this many digits (1..{MAX_DPS})")
    for name, text in _ILP_FIELDS:
        p.add_argument(f"--B-{name}", dest=f"B_{name}", type=exact_real, default=None,
                       help=f"--model ilp: {text} (T){', required' if name == 'phi' else ', default 0'}")


def _run_ilp(args):
    from mesocorr.cli import CliError

    if args.dim != 2:
        raise CliError(f"--dim: the ILP model is two-dimensional, got {args.dim}")
    for flag, value in (("--D", args.D), ("--width", args.width)):
        if value is not None:
            raise CliError(f"{flag}: not used by --model ilp (give the fields --B-phi, --B-rashba, ...)")
    for flag, value in (("--so", args.so), ("--mag", args.mag), ("--phi", args.phi)):
        if value != 0:
            raise CliError(f"{flag}: not used by --model ilp (give the fields --B-phi, --B-rashba, ...)")
    if args.B_phi is None:
        raise CliError("--B-phi: the dephasing field (T) is required for --model ilp")
    cap = MAX_FIELDS if args.dps is None else MAX_FIELDS_ILP_DPS
    if len(args.B) > cap:
        raise CliError(f"--B: at most {cap} fields{' with --dps' if args.dps is not None else ''} for --model ilp, "
                       f"got {len(args.B)}")
    fields = {f"B_{n}": (0 if getattr(args, f"B_{n}") is None else getattr(args, f"B_{n}")) for n, _ in _ILP_FIELDS}
    if args.dps is None:
        res = ilp_magnetoconductance([float(b) for b in args.B], **{k: float(v) for k, v in fields.items()},
                                     full_output=True)
        out = [float(v) for v in res.delta_sigma]
        err = [float(v) for v in res.error_estimate]
        methods = list(res.method)
    else:  # one field at a time, with progress on stderr when it takes long
        out, err, methods = [], [], []
        for b in progress(args.B, label="mc: fields"):
            r = ilp_magnetoconductance(b, dps=args.dps, full_output=True, **fields)
            out.append(mpmath.nstr(r.delta_sigma, args.dps))
            err.append(float(r.error_estimate))
            methods.extend(r.method)
    result = {"B": [float(b) for b in args.B], "delta_sigma": out, "unit": "e^2/h", "error_estimate": err,
              "unit_detail": UNIT_DETAIL[2], "model": "ilp", "fields": {k: float(v) for k, v in fields.items()},
              "method": methods}
    text = format_table(list(zip([float(b) for b in args.B], out, err, methods)),
                        ("B (T)", f"delta_sigma ({UNIT_DETAIL[2]})", "error estimate", "method"))
    return result, text


def run(args):
    from mesocorr.cli import CliError

    if args.model == "ilp":
        return _run_ilp(args)
    for n, _ in _ILP_FIELDS:
        if getattr(args, f"B_{n}") is not None:
            raise CliError(f"--B-{n}: only used with --model ilp")
    if args.D is None:
        raise CliError("--D: the diffusion constant (m^2/s) is required for --model hln")
    cap = MAX_FIELDS if args.dps is None else MAX_FIELDS_DPS
    if len(args.B) > cap:
        raise CliError(f"--B: at most {cap} fields{' with --dps' if args.dps is not None else ''}, got {len(args.B)}")
    kw = dict(dim=args.dim, D=args.D, so=args.so, mag=args.mag, phi=args.phi, width=args.width)
    if args.dps is None:
        out = [float(v) for v in magnetoconductance(args.B, **kw)]
    else:  # one field at a time, with progress on stderr when it takes long
        out = [mpmath.nstr(magnetoconductance(b, dps=args.dps, **kw), args.dps)
               for b in progress(args.B, label="mc: fields")]
    chans = cooperon_channel_table(args.D, so=args.so, mag=args.mag, phi=args.phi)
    result = {"B": list(args.B), "delta_sigma": out, "unit": "e^2/h", "unit_detail": UNIT_DETAIL[args.dim],
              "channels": chans}
    text = format_table(list(zip(args.B, out)), ("B (T)", f"delta_sigma ({UNIT_DETAIL[args.dim]})"))
    text += "\n\n" + format_table(
        [("/".join(c["names"]), c["weight"], c["gap"], c["B_c"], c["L_c"]) for c in chans],
        ("channel", "weight", "gap (1/s)", "B_c (T)", "L_c (m)"))
    return result, text
