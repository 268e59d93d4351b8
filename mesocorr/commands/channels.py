"""``mesocorr channels``: spin channels of the Cooperon/Diffuson (see :func:`mesocorr.channels`)."""

from __future__ import annotations

from mesocorr.cli import format_table
from mesocorr.commands.dirac_options import DIRAC_CHOICES, add_dirac_options, dirac_parameters, dirac_summary
from mesocorr.options import exact_real_list, rate_spec, vector_spec

NAME = "channels"
ORDER = 20
HELP = "spin singlet/triplet channels of the Cooperon or Diffuson: gaps and weak-localization weights"
DESCRIPTION = (
    "Diagonalise the 4x4 two-particle spin kernel and print the singlet and the three triplets "
    "(triplet_j = zero spin projection on axis j) with their relaxation gaps, in the units of the "
    "rates you give. A rate is one number (isotropic TOTAL rate, each component = total/3) or three "
    "comma-separated x,y,z component rates. Conventions: docs/conventions.md (Spin channels). "
    "--model graphene|ti-surface|ti-film lists the soft Cooperon modes of a Dirac material instead (fields in "
    "tesla: --B-phi and the model's fields; docs/conventions.md, Dirac materials)."
)


def register(p):
    p.add_argument("--kind", choices=("cooperon", "diffuson"), default=None,
                   help="which propagator (required for the spin channels; Dirac models: cooperon)")
    p.add_argument("--model", choices=DIRAC_CHOICES, default=None,
                   help="a Dirac material: its soft Cooperon modes (derived by band projection), B_c and weights")
    p.add_argument("--B-phi", dest="B_phi", type=exact_real_list, default=None,
                   help="with --model: dephasing field (T); ti-film: one value or top,bottom")
    add_dirac_options(p)
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


def _dirac(args):
    from mesocorr.cli import CliError
    from mesocorr.dirac import dirac_channels

    if args.kind not in (None, "cooperon"):
        raise CliError(f"--kind: the {args.model} model lists its soft Cooperon modes (--kind cooperon)")
    for opt in ("so", "mag", "phi", "zeeman"):
        if getattr(args, opt) not in (None, 0, 0.0):
            raise CliError(f"--{opt}: not an input of --model {args.model} (fields: --B-phi and the model's fields)")
    kw = dirac_parameters(args, args.model, args.B_phi)
    try:
        chans = dirac_channels(args.model, **kw)
    except (ValueError, TypeError) as exc:
        raise CliError(str(exc)) from None
    result = {"kind": "cooperon", "units": "B_c in tesla (hbar Gamma_c / (4 e D))"}
    result.update(dirac_summary(args.model, kw, chans))
    text = (f"soft Cooperon modes of {args.model} (band-projected Dirac model; weights with N = "
            f"{result['degeneracy']['N']}, g_s = {result['degeneracy']['g_s']}; alpha = {result['alpha']:g})\n\n"
            + format_table([(c["name"], c["B_c"], c["weight"], c["alpha_share"]) for c in chans],
                           ("channel", "B_c (T)", "weight", "alpha share")))
    if "B_star" in result:
        text += f"\nB_star = B_intervalley + B_intravalley = {result['B_star']:g} T (contains the intervalley rate)"
    return result, text


def run(args):
    from mesocorr.symbolic.channels import channels, rate_components, zeeman_components

    if args.model is not None:
        return _dirac(args)
    from mesocorr.cli import CliError

    if args.kind is None:
        raise CliError("--kind: required (cooperon or diffuson) for the spin channels")
    for opt in ("B_phi", "B_intervalley", "B_intravalley", "mass_ratio", "B_elastic", "B_tunnel"):
        if getattr(args, opt) is not None:
            raise CliError(f"--{opt.replace('_', '-')}: belongs to --model graphene/ti-surface/ti-film")

    if isinstance(args.phi, tuple):
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
