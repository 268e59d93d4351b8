"""``mesocorr validate ucf|wl``: test a simulated ensemble against UCF / weak-localization predictions."""

from __future__ import annotations

from mesocorr.cli import CliError, format_table, undetermined_as_null
from mesocorr.options import count, rate_spec, real, real_list

NAME = "validate"
ORDER = 61
HELP = "validate a conductance ensemble (CSV, e^2/h): 'ucf' variance or 'wl' mean shift vs the theory"


def register(p):
    p.add_argument("kind", choices=("ucf", "wl"), help="ucf: variance of one ensemble; wl: mean shift of two")
    from mesocorr.ensembles import DELIMITERS

    p.add_argument("--data", required=True, help="CSV file with a header row (rules: README 'Input rules and caps')")
    p.add_argument("--delimiter", default="comma", choices=tuple(DELIMITERS), help="field delimiter (default comma)")
    p.add_argument("--column", default="G", help="ucf: the conductance column (default G)")
    p.add_argument("--columns", default="G_orth,G_unit",
                   help="wl: orthogonal,unitary conductance columns (default G_orth,G_unit)")
    p.add_argument("--shape", type=real_list, default=[1.0], help="L[,W[,H]] in units of L (default 1: wire)")
    p.add_argument("--spinless", action="store_true", help="spinless electrons (default spin-degenerate)")
    p.add_argument("--broken-trs", action="store_true", help="ucf: time-reversal symmetry broken (no Cooperons)")
    p.add_argument("--so", type=rate_spec, default=0.0, help="spin-orbit rate(s) in units of D/L^2")
    p.add_argument("--mag", type=rate_spec, default=0.0, help="magnetic-impurity rate(s) in units of D/L^2")
    p.add_argument("--L-phi", dest="L_phi", type=real, default=None, help="dephasing length in units of L")
    p.add_argument("--L-T", dest="L_T", type=real, default=None, help="ucf: thermal length in units of L")
    p.add_argument("--rtol", type=real, default=0.25, help="relative systematic tolerance (default 0.25)")
    p.add_argument("--confidence", type=real, default=0.95, help="confidence level (default 0.95)")
    p.add_argument("--method", default="chi2", choices=("chi2", "bootstrap"),
                   help="ucf: variance interval, exact chi-square (default) or bootstrap")
    p.add_argument("--seed", type=count(0), default=0, help="ucf: bootstrap seed (default 0)")
    p.add_argument("--prediction", type=real, default=None, help="override the theoretical prediction")


def run(args):
    from mesocorr.ensembles import DELIMITERS, read_csv_columns, validate_ucf, validate_wl

    delimiter = DELIMITERS[args.delimiter]

    if args.kind == "ucf":
        data = read_csv_columns(args.data, [args.column.strip()], delimiter=delimiter)
        r = validate_ucf(data[args.column.strip()], shape=tuple(args.shape), spinless=args.spinless,
                         broken_trs=args.broken_trs, so=args.so, mag=args.mag, L_phi=args.L_phi, L_T=args.L_T,
                         rtol=args.rtol, confidence=args.confidence, method=args.method, seed=args.seed,
                         prediction=args.prediction)
        rows = [("n", r["n"]), ("variance", r["variance"]), ("ci", f"[{r['ci'][0]:.6g}, {r['ci'][1]:.6g}]"),
                ("prediction", r["prediction"]), ("ratio", r["ratio"]), ("consistent", r["consistent"])]
    else:
        if args.broken_trs or args.L_T is not None:
            raise CliError("validate wl: --broken-trs and --L-T apply to 'ucf' only")
        cols = [c.strip() for c in args.columns.split(",")]
        if len(cols) != 2 or not all(cols):
            raise CliError(f"columns: give two column names G_orth,G_unit, got {args.columns!r}")
        data = read_csv_columns(args.data, cols, delimiter=delimiter)
        r = validate_wl(data[cols[0]], data[cols[1]], shape=tuple(args.shape), spinless=args.spinless,
                        so=args.so, mag=args.mag, L_phi=args.L_phi, rtol=args.rtol, confidence=args.confidence,
                        prediction=args.prediction)
        rows = [("n", f"{r['n_orthogonal']}, {r['n_unitary']}"), ("shift", r["shift"]), ("shift_sem", r["shift_sem"]),
                ("ci", f"[{r['ci'][0]:.6g}, {r['ci'][1]:.6g}]"), ("prediction", r["prediction"]),
                ("ratio", r["ratio"]), ("consistent", r["consistent"])]
    r["ratio"] = undetermined_as_null(r["ratio"])  # NaN for a prediction of 0: the ratio is undefined
    text = format_table(rows, ("quantity", "value"))
    text += f"\n\n{100 * r['confidence']:g} % interval widened by rtol = {r['rtol']:g} x |prediction|; " \
            f"prediction from {r['prediction_source']}"
    return r, text  # r["warnings"]: printed on stderr by the CLI
