"""``mesocorr ucf``: variance of the conductance (UCF) of a box (see :func:`mesocorr.ucf.ucf_variance`)."""

from __future__ import annotations

import math

import mpmath

from mesocorr.cli import exact_list, exact_number, exact_rate_spec, format_table
from mesocorr.ucf import MAX_DPS, ucf_channels, ucf_variance

NAME = "ucf"
ORDER = 40
HELP = "universal conductance fluctuations: var G in (e^2/h)^2 for a wire, film or box"


def register(p):
    p.add_argument("--shape", type=exact_list, default=[1, 1, 1],
                   help="L[,W[,H]]: 1 length = wire, 2 = film, 3 = box; current along L (default 1,1,1)")
    p.add_argument("--so", type=exact_rate_spec, default=0, help="spin-orbit rate in units of D/L^2: total or x,y,z")
    p.add_argument("--mag", type=exact_rate_spec, default=0, help="magnetic rate in units of D/L^2: total or x,y,z")
    p.add_argument("--broken-trs", action="store_true", help="time reversal broken (no Cooperons)")
    p.add_argument("--spinless", action="store_true", help="spinless electrons (one channel per kind)")
    p.add_argument("--L-phi", dest="L_phi", type=exact_number, default=None, help="dephasing length (unit of --shape)")
    p.add_argument("--L-T", dest="L_T", type=exact_number, default=None,
                   help="thermal length sqrt(hbar D/k_B T) (unit of --shape)")
    p.add_argument("--dps", type=int, default=None, help=f"significant digits (mpmath path), 1..{MAX_DPS}")


def run(args):
    # lengths, rates and --dps are checked by the API (ValueError naming the argument -> exit 2)
    kw = dict(shape=tuple(args.shape), so=args.so, mag=args.mag, broken_trs=args.broken_trs,
              spinless=args.spinless, L_phi=args.L_phi, L_T=args.L_T)
    var = ucf_variance(dps=args.dps, **kw)
    if args.dps is None:
        variance, rms = repr(float(var)), repr(math.sqrt(var))
    else:
        with mpmath.workdps(args.dps + 5):
            rms_mp = mpmath.sqrt(var)
        variance = mpmath.nstr(var, args.dps, strip_zeros=False)
        rms = mpmath.nstr(rms_mp, args.dps, strip_zeros=False)
    chans = ucf_channels(**kw)
    result = {"variance": variance, "rms": rms, "unit": "(e^2/h)^2", "rms_unit": "e^2/h",
              "shape": [float(x) for x in args.shape], "digits": args.dps if args.dps is not None else "float64",
              "channels": chans}
    rows = [(c["kind"], c["name"], c["gap"], c["variance"]) for c in chans]
    text = format_table(rows, ("kind", "channel", "gap (D/L^2)", "share of var (e^2/h)^2"))
    text += f"\n\nvar G = {variance} (e^2/h)^2\nrms G = {rms} e^2/h"
    return result, text
