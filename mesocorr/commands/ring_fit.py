"""``mesocorr ring-fit``: tau_phi(T) from measured oscillation amplitudes versus temperature
(see :func:`mesocorr.dephasing_fit.fit_dephasing`).

Input: a CSV file with a header row, columns temperature (K), amplitude (e^2/h; per square for the cylinder)
and optionally the standard error of the amplitude (``--columns T,amplitude[,sigma]``).

``--json`` keys: ``probe``, ``law``, ``params`` (name -> ``value``, ``stderr``, ``unit``), ``covariance``,
``param_names``, ``chi2``, ``dof``, ``chi2_red``, ``stderr_scaled_by_chi2_red``, ``tau_phi`` (per temperature:
``T``, ``tau_phi``, ``stderr``, ``L_phi``), ``pointwise`` (the amplitude inverted at each temperature, or null
where it is out of the probe's range), ``warnings``, ``unit``; with ``--tau-E`` (ns, as the distribution commands
print it) also ``verdict`` (per temperature; its ``tau_phi``, ``tau_E`` in s).
"""

from __future__ import annotations

from mesocorr.cli import CliError, format_table
from mesocorr.options import count, rate_spec, real

NAME = "ring-fit"
ORDER = 47
HELP = ("fit tau_phi(T) to oscillation amplitudes vs temperature (CSV: T in K, amplitude in e^2/h): h/e rms of a "
        "contacted ring, its h/2e mean, or the h/2e amplitude of a cylinder")


def register(p):
    from mesocorr.dephasing_fit import LAWS, PROBES
    from mesocorr.ensembles import DELIMITERS

    p.add_argument("--data", required=True, help="CSV file with a header row (rules: README 'Input rules and caps')")
    p.add_argument("--delimiter", default="comma", choices=tuple(DELIMITERS), help="field delimiter (default comma)")
    p.add_argument("--columns", default="T,amplitude",
                   help="temperature and amplitude columns, optionally a third with sigma (default T,amplitude)")
    p.add_argument("--probe", default="ab-ring", choices=PROBES,
                   help="ab-ring: sample-specific harmonic rms (thermally averaged); aas-ring: |h/2e mean| of the "
                        "same ring; aas-cylinder: |h/2e winding amplitude| per square (default ab-ring)")
    p.add_argument("--law", default="power", choices=tuple(LAWS),
                   help="1/tau_phi = a T^p (power), a T^p + 1/tau_sat (power+saturation), c times the AAK "
                        "Nyquist rate (nyquist: needs --R-per-length or --R-sheet), nyquist+saturation")
    p.add_argument("--R-per-length", dest="R_per_length", type=real, default=None,
                   help="nyquist laws, quasi-1D: resistance per length of the wire (ohm/m)")
    p.add_argument("--R-sheet", dest="R_sheet", type=real, default=None,
                   help="nyquist laws, 2D: sheet resistance (ohm)")
    p.add_argument("--D", type=real, required=True, help="diffusion constant (m^2/s)")
    p.add_argument("--circumference", type=real, required=True, help="ring / cylinder circumference L (m)")
    p.add_argument("--so", type=rate_spec, default=0.0, help="spin-orbit rate (1/s): total or x,y,z")
    p.add_argument("--mag", type=rate_spec, default=0.0, help="magnetic rate (1/s): total or x,y,z")
    p.add_argument("--lead-length", dest="lead_length", type=real, default=0.5,
                   help="ring probes: lead length in units of L (default 0.5)")
    p.add_argument("--harmonic", type=count(1, 20, "the cap on the harmonic"), default=1,
                   help="ab-ring: which harmonic k (period (h/e)/k; default 1)")
    p.add_argument("--spinless", action="store_true", help="one spin species (s = 1)")
    p.add_argument("--tau-E", dest="tau_E", type=real, default=None,
                   help="energy relaxation time in ns, as 'mesocorr distribution' / 'distribution-fit' print it: "
                        "the pure-dephasing verdict at each temperature")
    p.add_argument("--strict", action="store_true", help="exit 2 instead of returning a fit with warnings")


def _num(v):
    return "-" if v is None else v


def run(args):
    from mesocorr.dephasing_fit import fit_dephasing
    from mesocorr.distribution import pure_dephasing_verdict
    from mesocorr.ensembles import DELIMITERS, read_csv_columns

    cols = [c.strip() for c in args.columns.split(",")]
    if len(cols) not in (2, 3) or any(not c for c in cols):
        raise CliError(f"columns: give T,amplitude[,sigma] column names, got {args.columns!r}")
    if args.tau_E is not None and not args.tau_E > 0:
        raise CliError(f"--tau-E: must be positive (ns), got {args.tau_E!r}")
    nyquist = None
    if args.law.startswith("nyquist"):
        if (args.R_per_length is None) == (args.R_sheet is None):
            raise CliError("--law: the nyquist laws need exactly one of --R-per-length (wire) and --R-sheet (film)")
        nyquist = ({"dim": 1, "resistance_per_length": args.R_per_length} if args.R_sheet is None else
                   {"dim": 2, "sheet_resistance": args.R_sheet})
    elif args.R_per_length is not None or args.R_sheet is not None:
        raise CliError("--R-per-length: --R-per-length and --R-sheet belong to the nyquist laws")
    data = read_csv_columns(args.data, cols, delimiter=DELIMITERS[args.delimiter])
    sigma = data[cols[2]] if len(cols) == 3 else None
    r = fit_dephasing(data[cols[0]], data[cols[1]], probe=args.probe, D=args.D, circumference=args.circumference,
                      sigma=sigma, law=args.law, so=args.so, mag=args.mag, lead_length=args.lead_length,
                      harmonic=args.harmonic, spinless=args.spinless, nyquist=nyquist,
                      strict=args.strict)
    result = r.as_dict()
    rows = [(n, d["value"], _num(d["stderr"]), d["unit"]) for n, d in r.params.items()]
    text = format_table(rows, ("parameter", "value", "stderr", "unit"))
    trows = []
    for fit_row, pw in zip(r.tau_phi, r.pointwise):
        trows.append((fit_row["T"], fit_row["tau_phi"], _num(fit_row["stderr"]), fit_row["L_phi"],
                      "-" if pw is None else pw["tau_phi"], "-" if pw is None else _num(pw["tau_phi_stderr"])))
    text += "\n\n" + format_table(trows, ("T (K)", "tau_phi fit (s)", "stderr", "L_phi (m)", "tau_phi pointwise",
                                          "stderr"))
    scaled = "scaled by chi2_red" if r.stderr_scaled else "absolute (from sigma)"
    text += f"\n\nprobe {r.probe}, law {r.law}: chi2_red = {r.chi2_red:.6g}, stderr {scaled}"
    if args.tau_E is not None:
        verdicts = [dict(pure_dephasing_verdict(row["tau_phi"] if row["stderr"] is None else
                                                (row["tau_phi"], row["stderr"]), args.tau_E * 1e-9), T=row["T"])
                    for row in r.tau_phi]
        result["verdict"] = verdicts
        text += "\n" + "\n".join(f"T = {v['T']:g} K: {v['verdict']} ({v['explanation']})" for v in verdicts)
    return result, text  # r.warnings: in result["warnings"], printed on stderr by the CLI
