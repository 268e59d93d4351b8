"""``mesocorr channels``: spin channels of the Cooperon/Diffuson (see :func:`mesocorr.channels`)."""

from __future__ import annotations

from mesocorr.cli import format_table
from mesocorr.options import rate_spec

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


def _exact(value):
    import sympy as sp

    if isinstance(value, tuple):
        return tuple(sp.Rational(v) for v in value)
    return sp.Rational(value)


def run(args):
    from mesocorr.symbolic.channels import channels, rate_components

    if isinstance(args.phi, tuple):
        from mesocorr.cli import CliError

        raise CliError("phi: give one number (the dephasing rate 1/tau_phi)")
    chans = channels(args.kind, so=args.so, mag=args.mag, phi=args.phi)
    # the same channels with the binary floats converted exactly to rationals: the printed gaps
    # are then correctly rounded (one rounding at the end instead of one per addition)
    exact = channels(args.kind, so=_exact(args.so), mag=_exact(args.mag), phi=_exact(args.phi))
    items = []
    for c, x in zip(chans, exact):
        items.append({
            "name": c.name,
            "gap": float(x.gap),
            "wl_weight": None if c.wl_weight is None else float(c.wl_weight),
            "latex": c.latex(),
        })
    result = {
        "kind": args.kind,
        "units": "gaps in the units of the given rates",
        "so_components": [float(x) for x in rate_components("so", args.so)],
        "mag_components": [float(x) for x in rate_components("mag", args.mag)],
        "phi": float(args.phi),
        "channels": items,
    }
    headers = ("channel", "gap", "WL weight") if args.kind == "cooperon" else ("channel", "gap")
    rows = [(i["name"], i["gap"], i["wl_weight"]) if args.kind == "cooperon" else (i["name"], i["gap"])
            for i in items]
    so = ", ".join(f"{x:.6g}" for x in result["so_components"])
    mag = ", ".join(f"{x:.6g}" for x in result["mag_components"])
    text = (f"{args.kind} spin channels  (a_x,a_y,a_z = {so};  b_x,b_y,b_z = {mag};  1/tau_phi = {args.phi:.6g})\n"
            "gaps in the units of the given rates\n\n" + format_table(rows, headers))
    return result, text
