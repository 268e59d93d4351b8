"""``mesocorr fit``: fit a magnetoconductance trace (see :func:`mesocorr.fitting.fit_magnetoconductance`)."""

from __future__ import annotations

import math

from mesocorr.options import real
from mesocorr.cli import CliError, format_table, undetermined_as_null

NAME = "fit"
ORDER = 60
HELP = ("fit magnetoconductance data (CSV: B in T, delta_sigma in e^2/h) with wl, hln, hln-alpha, wire, kawabata, "
        "or ilp (2D electron gas with Rashba/Dresselhaus spin precession)")
#: the fields of --model ilp, each free (default) or held at a value
ILP_OPTIONS = (("phi", "B_phi", "dephasing field"), ("rashba", "B_rashba", "Rashba field H_R"),
               ("dresselhaus", "B_dresselhaus", "Dresselhaus first-harmonic field H_D"),
               ("cubic", "B_cubic", "cubic Dresselhaus third-harmonic field H_3"))


def free_or_real(text: str):
    """argparse type: ``free`` (fit the parameter) -> None, else a finite decimal number (hold it fixed)."""
    if text.strip().lower() == "free":
        return None
    return real(text)


def register(p):
    from mesocorr.fitting import MODELS

    from mesocorr.ensembles import DELIMITERS

    p.add_argument("--data", required=True, help="CSV file with a header row (rules: README 'Input rules and caps')")
    p.add_argument("--delimiter", default="comma", choices=tuple(DELIMITERS), help="field delimiter (default comma)")
    p.add_argument("--model", default="hln", choices=tuple(MODELS), help="model (default hln)")
    p.add_argument("--columns", default="B,delta_sigma",
                   help="field and data columns, optionally a third with sigma (default B,delta_sigma)")
    p.add_argument("--D", type=real, default=None, help="diffusion constant (m^2/s): also report the times tau_x")
    p.add_argument("--symmetrize", action="store_true", help="average the data over +B and -B")
    p.add_argument("--background", default=None, choices=("offset", "quadratic", "offset+quadratic"),
                   help="additive background c0 and/or c2*B^2")
    p.add_argument("--magnetic", action="store_true", help="also fit the magnetic-impurity field B_mag")
    p.add_argument("--width", type=real, default=None, help="wire width (m), for --model wire")
    p.add_argument("--strict", action="store_true", help="exit 2 instead of returning a fit with warnings")
    for flag, dest, text in ILP_OPTIONS:
        p.add_argument(f"--B-{flag}", dest=dest, type=free_or_real, default=None,
                       help=f"--model ilp: {text} (T): a number holds it fixed, 'free' (default) fits it")


def run(args):
    from mesocorr.fitting import fit_magnetoconductance
    from mesocorr.ensembles import DELIMITERS, read_csv_columns

    cols = [c.strip() for c in args.columns.split(",")]
    if len(cols) not in (2, 3) or any(not c for c in cols):
        raise CliError(f"columns: give B,delta_sigma[,sigma] column names, got {args.columns!r}")
    data = read_csv_columns(args.data, cols, delimiter=DELIMITERS[args.delimiter])
    sigma = data[cols[2]] if len(cols) == 3 else None
    given = {dest: getattr(args, dest) for _, dest, _ in ILP_OPTIONS}
    if args.model == "ilp":
        from mesocorr.ilp_fit import fit_ilp

        for flag, value in (("--magnetic", args.magnetic), ("--width", args.width)):
            if value:
                raise CliError(f"{flag}: not used by --model ilp")
        r = fit_ilp(data[cols[0]], data[cols[1]], D=args.D, symmetrize=args.symmetrize, background=args.background,
                    sigma=sigma, strict=args.strict, **given)
        return _report(r)
    for flag, dest, _ in ILP_OPTIONS:
        if given[dest] is not None:
            raise CliError(f"--B-{flag}: only used with --model ilp")
    r = fit_magnetoconductance(data[cols[0]], data[cols[1]], model=args.model, D=args.D,
                               symmetrize=args.symmetrize, background=args.background, magnetic=args.magnetic,
                               sigma=sigma, width=args.width, strict=args.strict)
    return _report(r)


def _report(r):
    # an unidentifiable parameter has an infinite standard error (and NaN correlations): JSON null
    result = undetermined_as_null(r.as_dict())

    def fmt(d):
        return d["value"], d["stderr"] if math.isfinite(d["stderr"]) else "inf"

    rows = [(n, *fmt(d), d.get("unit", "")) for n, d in r.params.items()]
    rows += [(n, *fmt(d), "m") for n, d in r.lengths.items()]
    rows += [(n, *fmt(d), "s") for n, d in r.times.items()]
    text = format_table(rows, ("parameter", "value", "stderr", "unit"))
    scaled = "scaled by chi2_red" if r.stderr_scaled else "absolute (from sigma)"
    text += f"\n\nmodel {r.model}: {r.n_points} points, chi2_red = {r.chi2_red:.6g}, stderr {scaled}"
    if getattr(r, "ambiguity", ""):
        text += f"\n{r.ambiguity}"
    return result, text  # r.warnings: in result["warnings"], printed on stderr by the CLI
