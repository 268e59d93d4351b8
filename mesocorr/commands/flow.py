"""``mesocorr flow``: integrate the scaling flow (see :func:`mesocorr.scaling.flow`)."""

from __future__ import annotations

from mesocorr.options import real
from mesocorr.cli import format_table
from mesocorr.commands.beta import add_scaling_arguments, dim_value

NAME = "flow"
ORDER = 41
HELP = "integrate d ln g / d ln L = beta(g) from g0 at L0 to L (optional Ohmic crossover beyond L_phi)"


def register(p):
    add_scaling_arguments(p)
    p.add_argument("--g0", type=real, required=True, help="g(L0) = G/(e^2/h), both spins counted (> 0)")
    p.add_argument("--L-over-L0", dest="L_over_L0", type=real, required=True, help="length ratio L/L0 (> 0)")
    p.add_argument("--L-phi-over-L0", dest="L_phi_over_L0", type=real, default=None,
                   help="dephasing length L_phi/L0: quantum flow stops there, Ohmic g ~ L^(d-2) beyond")


def run(args):
    from mesocorr.scaling import flow, leading_flow

    dim = dim_value(args.dim)
    res = flow(args.g0, args.L_over_L0, args.symmetry_class, dim, args.loops,
               L_phi_over_L0=args.L_phi_over_L0, full_output=True)
    result = res.as_dict()
    result["loops"] = res.loops
    try:
        result["g_leading_closed_form"] = leading_flow(args.g0, args.L_over_L0, args.symmetry_class, dim,
                                                       L_phi_over_L0=args.L_phi_over_L0)
    except ValueError:
        result["g_leading_closed_form"] = None
    result["convention"] = "g = G/(e^2/h) with both spins; d ln g / d ln L = beta(g)"
    rows = [(k, "-" if v is None else v) for k, v in result.items() if k != "convention"]
    return result, format_table(rows, ("quantity", "value"))
