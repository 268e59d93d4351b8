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
    p.add_argument("--rtol", type=real, default=None,
                   help="relative systematic tolerance (default 0.25; wl with --geometry and --flux: 0.35)")
    p.add_argument("--confidence", type=real, default=0.95, help="confidence level (default 0.95)")
    p.add_argument("--method", default="chi2", choices=("chi2", "bootstrap"),
                   help="ucf: variance interval, exact chi-square (default) or bootstrap")
    p.add_argument("--seed", type=count(0), default=0, help="ucf: bootstrap seed (default 0)")
    p.add_argument("--prediction", type=real, default=None, help="override the theoretical prediction")
    # geometry-specific predictions for a simulated strip (issue 19)
    p.add_argument("--geometry", type=real_list, default=None,
                   help="W,L of the simulated strip (sites or one unit): film prediction for that aspect ratio, "
                        "and the weakest assumption for these parameters")
    p.add_argument("--mean-free-path", dest="mean_free_path", type=real, default=None,
                   help="with --geometry: mean free path (unit of --geometry)")
    p.add_argument("--channels", type=count(1), default=None,
                   help="with --geometry: open channels per spin (mean free path from <g> by DMPK)")
    p.add_argument("--paired", action="store_true",
                   help="wl: row i of both columns is the same realisation (B = 0 and in the field): paired error")
    p.add_argument("--flux", type=real, default=None,
                   help="wl with --geometry: flux per plaquette (h/e) of the field ensemble: the film's shift "
                        "in that field")


def _strip_options(args) -> dict:
    if args.geometry is None:
        if args.mean_free_path is not None or args.channels is not None or args.flux is not None:
            raise CliError("geometry: --mean-free-path, --channels and --flux need --geometry W,L")
        return {}
    if len(args.geometry) != 2:
        raise CliError(f"geometry: give W,L (two numbers), got {len(args.geometry)}")
    if args.shape != [1.0]:
        raise CliError("geometry: give either --shape or --geometry")
    out = {"geometry": tuple(args.geometry), "mean_free_path": args.mean_free_path, "channels": args.channels}
    if args.flux is not None:
        if args.kind != "wl":
            raise CliError("flux: --flux applies to 'wl' only")
        out["flux"] = args.flux
    return out


def run(args):
    from mesocorr.ensembles import DEFAULT_RTOL, DELIMITERS, read_csv_columns, validate_ucf, validate_wl

    delimiter = DELIMITERS[args.delimiter]

    strip = _strip_options(args)
    if args.kind == "ucf":
        if args.paired:
            raise CliError("paired: --paired applies to 'wl' only")
        data = read_csv_columns(args.data, [args.column.strip()], delimiter=delimiter)
        r = validate_ucf(data[args.column.strip()], shape=tuple(args.shape), spinless=args.spinless,
                         broken_trs=args.broken_trs, so=args.so, mag=args.mag, L_phi=args.L_phi, L_T=args.L_T,
                         rtol=DEFAULT_RTOL if args.rtol is None else args.rtol, confidence=args.confidence,
                         method=args.method, seed=args.seed,
                         prediction=args.prediction, **strip)
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
                        prediction=args.prediction, paired=args.paired, **strip)
        n = f"{r['n_orthogonal']} pairs (correlation {r['correlation']:.3g})" if args.paired else \
            f"{r['n_orthogonal']}, {r['n_unitary']}"
        rows = [("n", n), ("shift", r["shift"]), ("shift_sem", r["shift_sem"]),
                ("ci", f"[{r['ci'][0]:.6g}, {r['ci'][1]:.6g}]"), ("prediction", r["prediction"]),
                ("ratio", r["ratio"]), ("consistent", r["consistent"])]
    r["ratio"] = undetermined_as_null(r["ratio"])  # NaN for a prediction of 0: the ratio is undefined
    if "weakest_assumption" in r:
        rows.append(("weakest assumption", r["weakest_assumption"]))
    text = format_table(rows, ("quantity", "value"))
    if "prediction_used" in r:
        text += f"\n\nprediction used: {r['prediction_used']}\ntolerance: {r['tolerance_reason']}"
    text += f"\n\n{100 * r['confidence']:g} % interval widened by rtol = {r['rtol']:g} x |prediction|; " \
            f"prediction from {r['prediction_source']}"
    return r, text  # r["warnings"]: printed on stderr by the CLI
