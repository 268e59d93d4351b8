"""``mesocorr wl``: weak-localization correction of a finite wire between reservoirs
(see :func:`mesocorr.wl.wire_wl_conductance`)."""

from __future__ import annotations

import argparse
import math

import mpmath

from mesocorr.cli import format_table
from mesocorr.options import count, exact_rate_spec, exact_real, exact_real_list, real_or_inf
from mesocorr.wl import sample_wl_conductance

NAME = "wl"
ORDER = 41
HELP = "WL correction delta G (e^2/h) of a wire/film/box between reservoirs (lengths in L, rates in D/L^2)"

#: cap of the CLI on the digits of the mpmath path (README "Input rules and caps")
MAX_DPS = 300


def _length(text: str) -> float:
    x = real_or_inf(text)
    if not x > 0:
        raise argparse.ArgumentTypeError(f"must be positive (inf = no dephasing), got {text.strip()[:40]!r}")
    return x if math.isinf(x) else exact_real(text)


def register(p):
    p.add_argument("--shape", type=exact_real_list, required=True,
                   help="lengths in units of L: '1' wire, '1,W' film, '1,W,H' box (Dirichlet contacts, "
                        "Neumann side walls)")
    p.add_argument("--l", dest="mean_free_path", type=exact_real, default=None,
                   help="mean free path in units of L: UV cutoff D q^2 <= 1/tau (required for films and boxes)")
    p.add_argument("--L-phi", dest="L_phi", type=_length, required=True,
                   help="dephasing length in units of L (very large or 'inf' = no dephasing)")
    p.add_argument("--so", type=exact_rate_spec, default=0.0, help="spin-orbit rate in D/L^2: total, or x,y,z")
    p.add_argument("--mag", type=exact_rate_spec, default=0.0, help="magnetic rate in D/L^2: total, or x,y,z")
    p.add_argument("--spinless", action="store_true", help="one spin species (s = 1)")
    p.add_argument("--dps", type=count(1, MAX_DPS, "the CLI's cap on mpmath digits"), default=None,
                   help=f"evaluate with mpmath at this many digits (1..{MAX_DPS})")


def run(args):
    # shape, L_phi, rates and l are checked by the API (ValueError/TypeError naming the argument)
    value = sample_wl_conductance(args.shape, args.L_phi, so=args.so, mag=args.mag, spinless=args.spinless,
                                  mean_free_path=args.mean_free_path, dps=args.dps)
    shown = float(value) if args.dps is None else mpmath.nstr(value, args.dps)
    result = {"delta_G": shown, "unit": "e^2/h", "shape": list(args.shape), "spinless": bool(args.spinless),
              "L_phi": None if math.isinf(args.L_phi) else args.L_phi, "mean_free_path": args.mean_free_path}
    rows = [("delta_G (e^2/h)", shown), ("shape (units of L)", ",".join(f"{x:g}" for x in args.shape)),
            ("L_phi / L", args.L_phi), ("l / L (UV cutoff)", "-" if args.mean_free_path is None else args.mean_free_path),
            ("spin", "spinless (s=1)" if args.spinless else "spin-degenerate (s=2)")]
    return result, format_table(rows, ("quantity", "value"))
