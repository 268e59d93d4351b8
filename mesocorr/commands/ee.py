"""``mesocorr ee``: Altshuler-Aronov interaction correction (see :func:`mesocorr.interaction.interaction_correction`)."""

from __future__ import annotations

import warnings

import mpmath

from mesocorr.cli import CliError, format_table

NAME = "ee"
ORDER = 45
HELP = "electron-electron (Altshuler-Aronov) correction delta sigma_ee(T) from the singlet and triplet Diffusons"
DESCRIPTION = (HELP + ". d=2: (1/pi)(1 - 3F~/4) ln(k_B T tau/hbar) e^2/h per square; d=3: delta sigma(T) - delta "
               "sigma(0) in (e^2/h)/m; d=1: e^2/h times metre. Conventions: docs/conventions.md, 'Interaction corrections'.")


def register(p):
    p.add_argument("--dim", type=int, required=True, choices=(1, 2, 3), help="dimension (1 wire, 2 film, 3 bulk)")
    p.add_argument("--T", dest="temperature", type=float, required=True, help="temperature (K)")
    p.add_argument("--tau", dest="elastic_time", type=float, default=None, help="elastic time (s), required for --dim 2")
    p.add_argument("--D", type=float, default=None, help="diffusion constant (m^2/s), required for --dim 1, 3")
    fl = p.add_mutually_exclusive_group()
    fl.add_argument("--F0-sigma", dest="F0_sigma", type=float, default=None, help="Landau parameter F0^sigma (> -1)")
    fl.add_argument("--F", dest="F", type=float, default=None, help="Altshuler-Aronov averaged F (F0 = -F/(2+F))")
    p.add_argument("--g-factor", dest="g_factor", type=float, default=None, help="g factor (with --B: Zeeman term)")
    p.add_argument("--B", type=float, default=None, help="magnetic field (T), for the Zeeman term")
    p.add_argument("--sigma", type=float, default=None,
                   help="Drude conductance in the unit of the result (e^2/h per square in 2D): adds hall_relative")
    p.add_argument("--dps", type=int, default=None, help="evaluate with mpmath at this many digits")


def run(args):
    from mesocorr.interaction import interaction_correction

    if (args.g_factor is None) != (args.B is None):
        raise CliError("--g-factor: the Zeeman term needs both --g-factor and --B")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # reported in result["warnings"] and on stderr below
        r = interaction_correction(args.dim, args.temperature, elastic_time=args.elastic_time, D=args.D,
                                   F0_sigma=args.F0_sigma, F=args.F, g_factor=args.g_factor, B=args.B,
                                   sigma=args.sigma, dps=args.dps)
    result = r.as_dict()
    import sys

    for w in r.warnings:
        print(f"warning: {w}", file=sys.stderr)

    def fmt(v):
        if isinstance(v, mpmath.mpf):
            return mpmath.nstr(v, args.dps)
        return v

    unit = r.unit_detail
    rows = [("delta_sigma", fmt(r.delta_sigma), unit), ("  singlet (exchange)", fmt(r.singlet), unit),
            ("  triplet (Hartree, F~)", fmt(r.triplet), unit), ("F_tilde", fmt(r.F_tilde), "1"),
            ("F0_sigma", r.F0_sigma, "1"), ("F (Altshuler-Aronov)", r.F, "1"),
            ("constant K_d", fmt(r.constant), "e^2/h"), (r.scale_name, fmt(r.scale),
                                                        {"log_T_tau": "1", "inverse_L_T": "1/m", "L_T": "m"}[r.scale_name])]
    if r.delta_sigma_zeeman is not None:
        rows += [("h = g mu_B B/k_B T", fmt(r.h), "1"), ("delta_sigma_zeeman", fmt(r.delta_sigma_zeeman), unit),
                 ("delta_sigma_total", fmt(r.delta_sigma_total), unit)]
    if r.hall_relative is not None:
        rows.append(("hall_relative dR_H/R_H", fmt(r.hall_relative), "1"))
    text = format_table(rows, ("quantity", "value", "unit"))
    return result, text
