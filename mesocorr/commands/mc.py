"""``mesocorr mc``: weak-(anti)localization magnetoconductance (see :func:`mesocorr.wl.magnetoconductance`)."""

from __future__ import annotations

import mpmath

from mesocorr.cli import format_table
from mesocorr.commands.dirac_options import DIRAC_CHOICES, add_dirac_options, dirac_parameters, dirac_summary
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
    p.add_argument("--model", default="hln", choices=("hln", "ilp", *DIRAC_CHOICES),
                   help="hln (default): Cooperon channels from spin rates (--D, --so, --mag, --phi) or fields "
                        "(--B-phi, --B-so, --B-mag); ilp: 2D electron gas with Rashba/Dresselhaus spin precession, "
                        "from fields (--B-phi, --B-rashba, --B-dresselhaus, --B-cubic); graphene, ti-surface, "
                        "ti-film: Dirac materials (2D, fields only: --B-phi and the model's fields; Delta sigma with "
                        "all species the model counts)")
    p.add_argument("--D", type=exact_real, default=None,
                   help="diffusion constant (m^2/s); required with rates or --g-factor, optional when every "
                        "scattering input is a field (--B-phi/--B-so/--B-mag: the result depends on B/B_x only); "
                        "not used by --model ilp")
    p.add_argument("--so", type=exact_rate_spec, default=0.0, help="spin-orbit rate 1/s: total, or x,y,z components")
    p.add_argument("--mag", type=exact_rate_spec, default=0.0, help="magnetic scattering rate 1/s: total, or x,y,z")
    p.add_argument("--phi", type=exact_real, default=0.0, help="dephasing rate 1/tau_phi (1/s)")
    p.add_argument("--B", type=exact_real_list, required=True,
                   help=f"fields in tesla, comma-separated (leading minus: --B=-0.03,0.01); at most {MAX_FIELDS}, "
                        f"{MAX_FIELDS_DPS} with --dps")
    p.add_argument("--width", type=exact_real, default=None, help="wire width W (m), required for --dim 1")
    p.add_argument("--dps", type=count(1, MAX_DPS, "the CLI's cap on mpmath digits"), default=None,
                   help=f"evaluate with mpmath at this many digits (1..{MAX_DPS})")
    p.add_argument("--g-factor", dest="g_factor", type=exact_real, default=None,
                   help="effective g factor: the perpendicular field also splits the spins (Zeeman, "
                        "Maekawa-Fukuyama); needs --D")
    p.add_argument("--B-inplane", dest="B_inplane", type=exact_real, default=None,
                   help="fixed in-plane field (T) that only splits the spins (needs --g-factor); sigma(0) includes it")
    p.add_argument("--B-phi", dest="B_phi", type=exact_real_list, default=None,
                   help="dephasing as a field B_phi = hbar/(4 e D tau_phi) in tesla (instead of --phi); "
                        "required for --model ilp and the Dirac models; --model ti-film: one value (both "
                        "surfaces) or top,bottom")
    p.add_argument("--B-so", dest="B_so", type=exact_rate_spec, default=None,
                   help="spin-orbit as a field (T), HLN's B_so = hbar/(4 e D tau_so) (total: isotropic triplet field "
                        "B_phi + (4/3) B_so) or x,y,z component fields (instead of --so)")
    p.add_argument("--B-mag", dest="B_mag", type=exact_rate_spec, default=None,
                   help="magnetic scattering as a field (T): total or x,y,z component fields (instead of --mag)")
    add_dirac_options(p)
    for name, text in _ILP_FIELDS[1:]:
        p.add_argument(f"--B-{name}", dest=f"B_{name}", type=exact_real, default=None,
                       help=f"--model ilp only: {text} (T), default 0")


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
    for flag, value in (("--B-so", args.B_so), ("--B-mag", args.B_mag), ("--g-factor", args.g_factor),
                        ("--B-inplane", args.B_inplane)):
        if value is not None:
            raise CliError(f"{flag}: not used by --model ilp (its spin-orbit fields are --B-rashba, "
                           "--B-dresselhaus, --B-cubic; no Zeeman effect)")
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


def _field_rate(field, D, digits):
    """Rate 4 e D B_x / hbar (1/s) of a field (tesla) as a Decimal with ``digits`` significant digits (exact
    enough for the mpmath path; the float64 path rounds it once)."""
    from decimal import Decimal

    from mesocorr.units import mp_constant

    def one(b):
        with mpmath.workdps(digits + 10):
            rate = 4 * mp_constant("e") * mpmath.mpf(str(D)) * mpmath.mpf(str(b)) / mp_constant("hbar")
            return Decimal(mpmath.nstr(rate, digits + 5, strip_zeros=False))

    return tuple(one(b) for b in field) if isinstance(field, tuple) else one(field)


def _scattering(args):
    """(D, so, mag, phi) as rates; field-unit inputs converted with D (D = 1 m^2/s when only fields are given
    and there is no Zeeman effect: the result depends on B/B_x only)."""
    from mesocorr.cli import CliError

    pairs = (("phi", "B_phi"), ("so", "B_so"), ("mag", "B_mag"))
    for rate, field in pairs:
        if getattr(args, field) is not None and getattr(args, rate) not in (0, None):
            raise CliError(f"--{field.replace('_', '-')}: give either --{rate} (a rate) or "
                           f"--{field.replace('_', '-')} (a field), not both")
    fields = any(getattr(args, f) is not None for _, f in pairs)
    rates = any(getattr(args, r) not in (0, None) for r, _ in pairs)
    zeeman = args.g_factor is not None and args.g_factor != 0
    if args.D is None and (rates or zeeman or args.dim == 1 and not fields):
        raise CliError("--D: the diffusion constant (m^2/s) is required with rates or --g-factor (only fields "
                       "--B-phi/--B-so/--B-mag make it unnecessary)")
    if args.D is None and not fields:
        raise CliError("--D: the diffusion constant (m^2/s) is required")
    if args.B_inplane is not None and not zeeman:
        raise CliError("--B-inplane: an in-plane field only splits the spins; give --g-factor too")
    from decimal import Decimal

    D = args.D if args.D is not None else Decimal(1)
    digits = (args.dps or 17) + 10
    out = {}
    for rate, field in pairs:
        value = getattr(args, field)
        out[rate] = getattr(args, rate) if value is None else _field_rate(value, D, digits)
    return D, out["so"], out["mag"], out["phi"]


def _dirac(args):
    """``--model graphene|ti-surface|ti-film``: :func:`mesocorr.dirac.dirac_magnetoconductance`."""
    from mesocorr.cli import CliError
    from mesocorr.dirac import dirac_channels, dirac_magnetoconductance

    for opt in ("so", "mag", "phi", "B_so", "B_mag", "g_factor", "B_inplane", "width", "D"):
        if getattr(args, opt) not in (None, 0):
            raise CliError(f"--{opt.replace('_', '-')}: not an input of --model {args.model} (fields only: --B-phi and "
                           "the model's fields)")
    if args.dim != 2:
        raise CliError(f"--dim: the {args.model} model is two-dimensional")
    kw = dirac_parameters(args, args.model, args.B_phi)
    try:
        chans = dirac_channels(args.model, **kw)
        if args.dps is None:
            out = [float(v) for v in dirac_magnetoconductance(args.B, args.model, **kw)]
        else:
            out = [mpmath.nstr(dirac_magnetoconductance(b, args.model, dps=args.dps, **kw), args.dps)
                   for b in progress(args.B, label="mc: fields")]
    except (ValueError, TypeError) as exc:
        raise CliError(str(exc)) from None
    result = {"B": list(args.B), "delta_sigma": out, "unit": "e^2/h", "unit_detail": UNIT_DETAIL[2]}
    result.update(dirac_summary(args.model, kw, chans))
    text = format_table(list(zip(args.B, out)), ("B (T)", f"delta_sigma ({UNIT_DETAIL[2]})"))
    text += f"\n\nsoft Cooperon channels of {args.model} (alpha = {result['alpha']:g})\n" + format_table(
        [(c["name"], c["weight"], c["B_c"], c["alpha_share"]) for c in chans],
        ("channel", "weight", "B_c (T)", "alpha share"))
    if "B_star" in result:
        text += f"\nB_star = B_intervalley + B_intravalley = {result['B_star']:g} T (contains the intervalley rate)"
    return result, text


def run(args):
    from mesocorr.cli import CliError

    if args.model in DIRAC_CHOICES:
        for n, _ in _ILP_FIELDS[1:]:
            if getattr(args, f"B_{n}") is not None:
                raise CliError(f"--B-{n}: only used with --model ilp")
    else:
        if args.B_phi is not None:
            if len(args.B_phi) != 1:
                raise CliError("--B-phi: one number (two only with --model ti-film)")
            args.B_phi = args.B_phi[0]
        for opt in ("B_intervalley", "B_intravalley", "mass_ratio", "B_elastic", "B_tunnel"):
            if getattr(args, opt) is not None:
                raise CliError(f"--{opt.replace('_', '-')}: belongs to --model graphene/ti-surface/ti-film")
    if args.model == "ilp":
        return _run_ilp(args)
    for n, _ in _ILP_FIELDS[1:]:
        if getattr(args, f"B_{n}") is not None:
            raise CliError(f"--B-{n}: only used with --model ilp")
    cap = MAX_FIELDS if args.dps is None else MAX_FIELDS_DPS
    if len(args.B) > cap:
        raise CliError(f"--B: at most {cap} fields{' with --dps' if args.dps is not None else ''}, got {len(args.B)}")
    if args.model in DIRAC_CHOICES:
        return _dirac(args)
    D, so, mag, phi = _scattering(args)
    kw = dict(dim=args.dim, D=D, so=so, mag=mag, phi=phi, width=args.width)
    if args.g_factor is not None:
        kw.update(g_factor=args.g_factor, B_inplane=0 if args.B_inplane is None else args.B_inplane)
    if args.dps is None:
        out = [float(v) for v in magnetoconductance(args.B, **kw)]
    else:  # one field at a time, with progress on stderr when it takes long
        out = [mpmath.nstr(magnetoconductance(b, dps=args.dps, **kw), args.dps)
               for b in progress(args.B, label="mc: fields")]
    zeeman = args.g_factor is not None and args.g_factor != 0
    chans = cooperon_channel_table(D, so=so, mag=mag, phi=phi)
    result = {"B": list(args.B), "delta_sigma": out, "unit": "e^2/h", "unit_detail": UNIT_DETAIL[args.dim],
              "channels": chans, "g_factor": float(args.g_factor or 0),
              "B_inplane": float(args.B_inplane or 0),
              "subtraction": "sigma(B) - sigma(0); at B = 0 only the in-plane field splits the spins",
              "D": float(D) if args.D is not None else None}
    text = format_table(list(zip(args.B, out)), ("B (T)", f"delta_sigma ({UNIT_DETAIL[args.dim]})"))
    title = "channels at B = 0 (no splitting; the Zeeman field of B mixes singlet and m = 0 triplet)" if zeeman \
        else "channels"
    text += f"\n\n{title}\n" + format_table(
        [("/".join(c["names"]), c["weight"], c["gap"], c["B_c"], c["L_c"]) for c in chans],
        ("channel", "weight", "gap (1/s)", "B_c (T)", "L_c (m)"))
    if args.D is None:
        text += "\n(D not given: rates and L_c for D = 1 m^2/s; B_c and delta_sigma do not depend on D)"
    return result, text
