"""``mesocorr mc``: weak-(anti)localization magnetoconductance (see :func:`mesocorr.wl.magnetoconductance`)."""

from __future__ import annotations

import mpmath

from mesocorr.cli import exact_list, exact_number, exact_rate_spec, format_table
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
    # numbers are read exactly as written (decimal.Decimal): with --dps, 0.01 means the decimal 0.01
    p.add_argument("--D", type=exact_number, required=True, help="diffusion constant (m^2/s)")
    p.add_argument("--so", type=exact_rate_spec, default=0, help="spin-orbit rate 1/s: total, or x,y,z components")
    p.add_argument("--mag", type=exact_rate_spec, default=0, help="magnetic scattering rate 1/s: total, or x,y,z")
    p.add_argument("--phi", type=exact_number, default=0, help="dephasing rate 1/tau_phi (1/s)")
    p.add_argument("--B", type=exact_list, required=True,
                   help="fields in tesla, comma-separated (leading minus: --B=-0.03,0.01)")
    p.add_argument("--width", type=exact_number, default=None, help="wire width W (m), required for --dim 1")
    p.add_argument("--dps", type=int, default=None,
                   help="evaluate with mpmath at this many digits (inputs taken as the exact decimals written)")


def run(args):
    values = magnetoconductance(args.B, dim=args.dim, D=args.D, so=args.so, mag=args.mag, phi=args.phi,
                                width=args.width, dps=args.dps)
    if args.dps is None:
        out = [float(v) for v in values]
    else:
        out = [mpmath.nstr(v, args.dps) for v in values]
    chans = cooperon_channel_table(args.D, so=args.so, mag=args.mag, phi=args.phi)
    result = {"B": [float(b) for b in args.B], "delta_sigma": out, "unit": "e^2/h", "unit_detail": UNIT_DETAIL[args.dim],
              "channels": chans}
    text = format_table(list(zip([float(b) for b in args.B], out)), ("B (T)", f"delta_sigma ({UNIT_DETAIL[args.dim]})"))
    text += "\n\n" + format_table(
        [("/".join(c["names"]), c["weight"], c["gap"], c["B_c"], c["L_c"]) for c in chans],
        ("channel", "weight", "gap (1/s)", "B_c (T)", "L_c (m)"))
    return result, text
