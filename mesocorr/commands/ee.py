"""``mesocorr ee``: Altshuler-Aronov interaction correction (see :func:`mesocorr.interaction.interaction_correction`)."""

from __future__ import annotations

import mpmath

from mesocorr.cli import CliError, format_table
from mesocorr.interaction import MAX_DPS, UNIT_DETAIL
from mesocorr.options import count, exact_real, exact_real_list

NAME = "ee"
ORDER = 45
HELP = "electron-electron (Altshuler-Aronov) correction delta sigma_ee(T) from the singlet and triplet Diffusons"
DESCRIPTION = (HELP + ". d=2: (1/pi)(1 - 3F~/4) ln(k_B T tau/hbar) e^2/h per square; d=3: delta sigma(T) - delta "
               "sigma(0) in (e^2/h)/m; d=1: e^2/h times metre (wire, W << L_T). With --g-factor and --B the Zeeman "
               "term delta_sigma_zeeman = delta sigma(B,T) - delta sigma(0,T); with --sigma (the Drude conductance "
               "in the unit of the result) hall_relative = dR_H/R_H. Several temperatures (--T 0.3,1,3): one row "
               "each, JSON lists. Conventions: docs/conventions.md, 'Interaction corrections'.")

_SCALE_UNIT = {"log_T_tau": "1", "inverse_L_T": "1/m", "L_T": "m"}


def register(p):
    # numbers are read exactly (Decimal): the float64 path rounds them once, the --dps path uses them exactly
    p.add_argument("--dim", type=count(), required=True, choices=(1, 2, 3), help="dimension (1 wire, 2 film, 3 bulk)")
    p.add_argument("--T", dest="temperature", type=exact_real_list, required=True,
                   help="temperature (K), or comma-separated temperatures (one row each; not with --dps)")
    p.add_argument("--tau", dest="elastic_time", type=exact_real, default=None,
                   help="elastic time (s), required for --dim 2")
    p.add_argument("--D", type=exact_real, default=None, help="diffusion constant (m^2/s), required for --dim 1, 3")
    fl = p.add_mutually_exclusive_group()
    fl.add_argument("--F0-sigma", dest="F0_sigma", type=exact_real, default=None,
                    help="Landau parameter F0^sigma (> -1)")
    fl.add_argument("--F", dest="F", type=exact_real, default=None,
                    help="Altshuler-Aronov averaged F (> -2; F0_sigma = -F/(2+F))")
    p.add_argument("--g-factor", dest="g_factor", type=exact_real, default=None,
                   help="effective g factor (with --B: the Zeeman term)")
    p.add_argument("--B", type=exact_real, default=None, help="magnetic field (T), for the Zeeman term")
    p.add_argument("--sigma", type=exact_real, default=None,
                   help="Drude conductance in the unit of the result (e^2/h per square in 2D): adds hall_relative")
    p.add_argument("--dps", type=count(1, MAX_DPS, "the cap on mpmath digits"), default=None,
                   help=f"evaluate with mpmath at this many digits (1..{MAX_DPS})")


def run(args):
    from mesocorr.interaction import interaction_correction

    if (args.g_factor is None) != (args.B is None):
        raise CliError("--g-factor: the Zeeman term needs both --g-factor and --B")
    exact = args.dps is not None

    def value(v):  # Decimal -> float on the float64 path (rounded once), kept exact for --dps
        return v if v is None or exact else float(v)

    temps = args.temperature
    if exact and len(temps) > 1:
        raise CliError("--dps: the mpmath path takes one temperature (give --T a single value)")
    T = value(temps[0]) if len(temps) == 1 else [float(t) for t in temps]
    r = interaction_correction(args.dim, T, elastic_time=value(args.elastic_time),
                               D=value(args.D), F0_sigma=value(args.F0_sigma), F=value(args.F),
                               g_factor=value(args.g_factor), B=value(args.B), sigma=value(args.sigma),
                               dps=args.dps)
    result = r.as_dict()

    def fmt(v):
        return mpmath.nstr(v, args.dps) if isinstance(v, mpmath.mpf) else v

    unit = UNIT_DETAIL[r.dim]
    if len(temps) > 1:
        return result, _table_over_T(r, unit)
    rows = [("delta_sigma", fmt(r.delta_sigma), unit), ("  singlet (exchange)", fmt(r.singlet), unit),
            ("  triplet (Hartree, F~)", fmt(r.triplet), unit), ("F_tilde", fmt(r.F_tilde), "1"),
            ("F0_sigma", r.F0_sigma, "1"), ("F (Altshuler-Aronov)", r.F, "1"),
            ("constant K_d", fmt(r.constant), "e^2/h"), (r.scale_name, fmt(r.scale), _SCALE_UNIT[r.scale_name])]
    if r.delta_sigma_zeeman is not None:
        rows += [("h = |g| mu_B B/k_B T", fmt(r.h), "1"), ("delta_sigma_zeeman", fmt(r.delta_sigma_zeeman), unit),
                 ("delta_sigma_total", fmt(r.delta_sigma_total), unit)]
    if r.hall_relative is not None:
        rows.append(("hall_relative dR_H/R_H", fmt(r.hall_relative), "1"))
    return result, format_table(rows, ("quantity", "value", "unit"))


def _table_over_T(r, unit: str) -> str:
    """One row per temperature; the T-independent numbers in a header line."""
    cols = [("T (K)", r.T), ("delta_sigma", r.delta_sigma), ("singlet", r.singlet), ("triplet", r.triplet),
            (r.scale_name, r.scale)]
    if r.delta_sigma_zeeman is not None:
        cols += [("h", r.h), ("delta_sigma_zeeman", r.delta_sigma_zeeman), ("delta_sigma_total", r.delta_sigma_total)]
    if r.hall_relative is not None:
        cols.append(("hall_relative", r.hall_relative))
    rows = [[float(c[1][i]) for c in cols] for i in range(len(r.T))]
    head = (f"F_tilde = {float(r.F_tilde):.10g}, F0_sigma = {r.F0_sigma:.10g}, F = {r.F:.10g}, "
            f"K_d = {float(r.constant):.10g} e^2/h; delta_sigma in {unit}")
    return head + "\n" + format_table(rows, [c[0] for c in cols])
