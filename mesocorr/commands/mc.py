"""``mesocorr mc``: weak-(anti)localization magnetoconductance (see :func:`mesocorr.wl.magnetoconductance`)."""

from __future__ import annotations

import mpmath

from mesocorr.cli import format_table
from mesocorr.options import count, exact_rate_spec, exact_real, exact_real_list
from mesocorr.progress import progress
from mesocorr.wl import cooperon_channel_table, magnetoconductance

NAME = "mc"
ORDER = 40
HELP = "magnetoconductance Delta sigma(B) = sigma(B) - sigma(0) from the Cooperon channels (d = 1, 2, 3)"

#: caps of the CLI (README "Input rules and caps"): digits of the mpmath path, fields per call
MAX_DPS = 300
MAX_FIELDS = 100_000
MAX_FIELDS_DPS = 100

UNIT_DETAIL = {
    1: "e^2/h times metre (Delta G * L of a wire of length L)",
    2: "e^2/h per square",
    3: "e^2/h per metre (conductivity)",
}


def register(p):
    p.add_argument("--dim", type=int, default=2, choices=(1, 2, 3), help="dimension of the diffusion modes")
    p.add_argument("--D", type=exact_real, required=True, help="diffusion constant (m^2/s)")
    p.add_argument("--so", type=exact_rate_spec, default=0.0, help="spin-orbit rate 1/s: total, or x,y,z components")
    p.add_argument("--mag", type=exact_rate_spec, default=0.0, help="magnetic scattering rate 1/s: total, or x,y,z")
    p.add_argument("--phi", type=exact_real, default=0.0, help="dephasing rate 1/tau_phi (1/s)")
    p.add_argument("--B", type=exact_real_list, required=True,
                   help=f"fields in tesla, comma-separated (leading minus: --B=-0.03,0.01); at most {MAX_FIELDS}, "
                        f"{MAX_FIELDS_DPS} with --dps")
    p.add_argument("--width", type=exact_real, default=None, help="wire width W (m), required for --dim 1")
    p.add_argument("--dps", type=count(1, MAX_DPS, "the CLI's cap on mpmath digits"), default=None,
                   help=f"evaluate with mpmath at this many digits (1..{MAX_DPS})")


def run(args):
    from mesocorr.cli import CliError

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
