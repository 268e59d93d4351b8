"""``mesocorr dephasing``: AAK Nyquist dephasing rate (see :func:`mesocorr.dephasing.nyquist_dephasing_rate`)."""

from __future__ import annotations

import math

from mesocorr.options import count, real
from mesocorr.cli import format_table
from mesocorr.dephasing import nyquist_dephasing_rate

NAME = "dephasing"
ORDER = 11
HELP = "Altshuler-Aronov-Khmelnitsky Nyquist dephasing rate in a wire (d=1) or film (d=2)"


def register(p):
    p.add_argument("--dim", type=count(), required=True, choices=(1, 2))
    p.add_argument("--T", dest="temperature", type=real, required=True, help="temperature (K)")
    p.add_argument("--R-per-length", dest="resistance_per_length", type=real, help="wire resistance per length (ohm/m)")
    p.add_argument("--R-sheet", dest="sheet_resistance", type=real, help="film sheet resistance (ohm)")
    p.add_argument("--D", dest="diffusion_constant", type=real, help="diffusion constant (m^2/s)")


def run(args):
    rate = nyquist_dephasing_rate(args.dim, args.temperature, resistance_per_length=args.resistance_per_length,
                                  diffusion_constant=args.diffusion_constant, sheet_resistance=args.sheet_resistance)
    res = {"rate": rate, "tau_phi": 1.0 / rate, "unit": "1/s"}
    if args.diffusion_constant is not None:
        res["L_phi"] = math.sqrt(args.diffusion_constant / rate)
    text = format_table([(k, v) for k, v in res.items() if k != "unit"], ("quantity (SI)", "value"))
    return res, text
