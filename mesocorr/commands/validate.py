"""``mesocorr validate ucf|wl``: test a simulated ensemble against UCF / weak-localization predictions."""

from __future__ import annotations

from mesocorr.cli import CliError, float_list, format_table, rate_spec

NAME = "validate"
ORDER = 61
HELP = "validate a conductance ensemble (CSV, e^2/h): 'ucf' variance or 'wl' mean shift vs the theory"


def register(p):
    p.add_argument("kind", choices=("ucf", "wl"), help="ucf: variance of one ensemble; wl: mean shift of two")
    p.add_argument("--data", required=True, help="CSV file with a header row")
    p.add_argument("--column", default="G", help="ucf: the conductance column (default G)")
    p.add_argument("--columns", default="G_orth,G_unit",
                   help="wl: orthogonal,unitary conductance columns (default G_orth,G_unit)")
    p.add_argument("--shape", type=float_list, default=[1.0], help="L[,W[,H]] in units of L (default 1: wire)")
    p.add_argument("--spinless", action="store_true", help="spinless electrons (default spin-degenerate)")
    p.add_argument("--broken-trs", action="store_true", help="ucf: time-reversal symmetry broken (no Cooperons)")
    p.add_argument("--so", type=rate_spec, default=0.0, help="spin-orbit rate(s) in units of D/L^2")
    p.add_argument("--mag", type=rate_spec, default=0.0, help="magnetic-impurity rate(s) in units of D/L^2")
    p.add_argument("--L-phi", dest="L_phi", type=float, default=None, help="dephasing length in units of L")
    p.add_argument("--L-T", dest="L_T", type=float, default=None, help="ucf: thermal length in units of L")
    p.add_argument("--rtol", type=float, default=0.25, help="relative systematic tolerance (default 0.25)")
    p.add_argument("--confidence", type=float, default=0.95, help="confidence level (default 0.95)")
    p.add_argument("--method", default="chi2", choices=("chi2", "bootstrap"),
                   help="ucf: variance interval, exact chi-square (default) or bootstrap")
    p.add_argument("--seed", type=int, default=0, help="ucf: bootstrap seed (default 0)")
    p.add_argument("--prediction", type=float, default=None, help="override the theoretical prediction")


def run(args):
    from mesocorr.ensembles import read_csv_columns, validate_ucf, validate_wl

    if args.kind == "ucf":
        data = read_csv_columns(args.data, [args.column.strip()])
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
        data = read_csv_columns(args.data, cols)
        r = validate_wl(data[cols[0]], data[cols[1]], shape=tuple(args.shape), spinless=args.spinless,
                        so=args.so, mag=args.mag, L_phi=args.L_phi, rtol=args.rtol, confidence=args.confidence,
                        prediction=args.prediction)
        rows = [("n", f"{r['n_orthogonal']}, {r['n_unitary']}"), ("shift", r["shift"]), ("shift_sem", r["shift_sem"]),
                ("ci", f"[{r['ci'][0]:.6g}, {r['ci'][1]:.6g}]"), ("prediction", r["prediction"]),
                ("ratio", r["ratio"]), ("consistent", r["consistent"])]
    text = format_table(rows, ("quantity", "value"))
    text += f"\n\n{100 * r['confidence']:g} % interval widened by rtol = {r['rtol']:g} x |prediction|; " \
            f"prediction from {r['prediction_source']}"
    for w in r["warnings"]:
        text += f"\nWARNING: {w}"
    return r, text
