"""``mesocorr channels``: spin channels of the Cooperon/Diffuson (see :func:`mesocorr.channels`)."""

from __future__ import annotations

from mesocorr.cli import format_table
from mesocorr.options import rate_spec, vector_spec

NAME = "channels"
ORDER = 20
HELP = "spin singlet/triplet channels of the Cooperon or Diffuson: gaps and weak-localization weights"
DESCRIPTION = (
    "Diagonalise the 4x4 two-particle spin kernel and print the singlet and the three triplets "
    "(triplet_j = zero spin projection on axis j) with their relaxation gaps, in the units of the "
    "rates you give. A rate is one number (isotropic TOTAL rate, each component = total/3) or three "
    "comma-separated x,y,z component rates. Conventions: docs/conventions.md (Spin channels)."
)


def register(p):
    p.add_argument("--kind", required=True, choices=("cooperon", "diffuson"), help="which propagator")
    p.add_argument("--so", type=rate_spec, default=0.0,
                   help="spin-orbit rate 1/tau_so (total) or a_x,a_y,a_z component rates (default 0)")
    p.add_argument("--mag", type=rate_spec, default=0.0,
                   help="magnetic scattering rate 1/tau_m (total) or b_x,b_y,b_z component rates (default 0)")
    p.add_argument("--phi", type=rate_spec, default=0.0,
                   help="dephasing rate 1/tau_phi, added to every channel (default 0)")
    p.add_argument("--zeeman", type=vector_spec, default=None,
                   help="Zeeman vector omega = g mu_B B/hbar as a rate (one number: along z, or x,y,z), units of the "
                        "other rates; single-particle term (hbar/2) omega.sigma. Gaps and weights become complex")


def _exact(value):
    """Option values as exact rationals by the package's one rule (floats as the decimal they print as)."""
    import sympy as sp

    from mesocorr.arguments import as_fraction

    def one(v):
        q = as_fraction("value", v)
        return sp.Rational(q.numerator, q.denominator)

    return tuple(one(v) for v in value) if isinstance(value, tuple) else one(value)


def run(args):
    from mesocorr.symbolic.channels import channels, rate_components, zeeman_components

    if isinstance(args.phi, tuple):
        from mesocorr.cli import CliError

        raise CliError("phi: give one number (the dephasing rate 1/tau_phi)")
    zeeman = None if args.zeeman is None else _exact(args.zeeman)
    # the channels with the binary floats converted exactly to rationals: the printed gaps are then correctly
    # rounded (one rounding at the end instead of one per addition)
    exact = channels(args.kind, so=_exact(args.so), mag=_exact(args.mag), phi=_exact(args.phi), zeeman=zeeman)
    items = []
    for x in exact:
        gap = complex(x.gap.evalf(30))
        weight = None if x.wl_weight is None else complex(x.wl_weight.evalf(30))
        items.append({
            "name": x.name,
            "gap": gap.real,
            "gap_imag": gap.imag,
            "wl_weight": None if weight is None else weight.real,
            "wl_weight_imag": None if weight is None else weight.imag,
            "latex": x.latex(),
        })
    result = {
        "kind": args.kind,
        "units": "gaps in the units of the given rates",
        "so_components": [float(x) for x in rate_components("so", args.so)],
        "mag_components": [float(x) for x in rate_components("mag", args.mag)],
        "phi": float(args.phi),
        "zeeman": [float(x) for x in zeeman_components(0 if zeeman is None else zeeman)],
        "channels": items,
    }
    if args.kind == "cooperon":
        headers = ("channel", "gap", "gap imag", "WL weight", "weight imag")
        rows = [(i["name"], i["gap"], i["gap_imag"], i["wl_weight"], i["wl_weight_imag"]) for i in items]
    else:
        headers = ("channel", "gap", "gap imag")
        rows = [(i["name"], i["gap"], i["gap_imag"]) for i in items]
    so = ", ".join(f"{x:.6g}" for x in result["so_components"])
    mag = ", ".join(f"{x:.6g}" for x in result["mag_components"])
    zee = ", ".join(f"{x:.6g}" for x in result["zeeman"])
    text = (f"{args.kind} spin channels  (a_x,a_y,a_z = {so};  b_x,b_y,b_z = {mag};  1/tau_phi = {args.phi:.6g};  "
            f"omega = {zee})\n"
            "gaps in the units of the given rates\n\n" + format_table(rows, headers))
    return result, text
