"""``mesocorr distribution-fit``: the energy relaxation time tau_E from a measured f(E) at one position of a
biased wire (see :func:`mesocorr.distribution_fit.fit_distribution`).

Input: a CSV file with a header row, columns energy (eV, from mu_R), f and optionally the standard error of f
(``--columns E,f[,sigma]``).

``--json`` keys: ``kappa``, ``kappa_stderr``, ``kappa_tilde``, ``tau_E``, ``tau_E_stderr`` (ns), ``bound``,
``chi2``, ``dof``, ``chi2_red``, ``stderr_scaled_by_chi2_red``, ``evaluations``, ``model``, ``parameters``,
``warnings``, ``unit``; with ``--tau-phi`` also ``verdict``.
"""

from __future__ import annotations

from mesocorr.cli import CliError
from mesocorr.options import real

NAME = "distribution-fit"
ORDER = 48
HELP = ("fit the kernel prefactor kappa (and tau_E) to a measured distribution f(E) at one position of a biased "
        "wire (CSV: E in eV from mu_R, f)")


def register(p):
    from mesocorr.ensembles import DELIMITERS

    p.add_argument("--data", required=True, help="CSV file with a header row (rules: README 'Input rules and caps')")
    p.add_argument("--delimiter", default="comma", choices=tuple(DELIMITERS), help="field delimiter (default comma)")
    p.add_argument("--columns", default="E,f", help="energy and f columns, optionally a third with sigma (default E,f)")
    p.add_argument("--x", type=real, required=True, help="probe position in units of L from the reservoir at mu_L")
    p.add_argument("--V", type=real, required=True, help="bias (V)")
    p.add_argument("--T", type=real, default=0.0, help="bath temperature (K)")
    p.add_argument("--tau-D", dest="tau_D", type=real, required=True, help="diffusion time L^2/D (ns)")
    p.add_argument("--alpha", type=real, default=1.5, help="kernel exponent, fixed (3/2 quasi-1D)")
    p.add_argument("--kappa-tilde-max", dest="kappa_tilde_max", type=real, default=100.0,
                   help="upper end of the search in kappa tau_D (eV)^(2-alpha) (default 100, at most 1e4)")
    p.add_argument("--tau-phi", dest="tau_phi", type=real, default=None,
                   help="dephasing time in ns ('mesocorr ring-fit' prints seconds): print the pure-dephasing verdict")
    p.add_argument("--max-seconds", dest="max_seconds", type=real, default=300.0,
                   help="cap on the estimated run time of the fit, checked first (default 300 s)")
    p.add_argument("--strict", action="store_true", help="exit 2 instead of returning a fit with warnings")


def run(args):
    from mesocorr.distribution import pure_dephasing_verdict
    from mesocorr.distribution_fit import fit_distribution
    from mesocorr.ensembles import DELIMITERS, read_csv_columns

    cols = [c.strip() for c in args.columns.split(",")]
    if len(cols) not in (2, 3) or any(not c for c in cols):
        raise CliError(f"columns: give E,f[,sigma] column names, got {args.columns!r}")
    if args.tau_phi is not None and not args.tau_phi > 0:
        raise CliError(f"--tau-phi: must be positive (ns), got {args.tau_phi!r}")
    data = read_csv_columns(args.data, cols, delimiter=DELIMITERS[args.delimiter])
    r = fit_distribution(data[cols[0]], data[cols[1]], args.x, args.V, args.T, tau_D=args.tau_D, alpha=args.alpha,
                         sigma=data[cols[2]] if len(cols) == 3 else None, kappa_tilde_max=args.kappa_tilde_max,
                         max_seconds=args.max_seconds, progress=True, strict=args.strict)
    result = r.as_dict()
    err = "" if r.kappa_stderr is None else f" +- {r.kappa_stderr:.4g}"
    terr = "" if r.tau_E_stderr is None else f" +- {r.tau_E_stderr:.4g}"
    rel = {"tau_E_at_least": ">= ", "tau_E_at_most": "<= "}.get(r.bound, "")
    scaled = "scaled by chi2_red" if r.stderr_scaled else "absolute (from sigma)"
    text = (f"kappa = {r.kappa:.6g}{err} ns^-1 meV^({r.parameters['alpha']:g}-2), kappa_tilde = {r.kappa_tilde:.6g}"
            f"\ntau_E {rel}{r.tau_E:.6g}{terr} ns at eV = {args.V * 1e3:g} meV"
            f"\n{r.dof + 1} points at x = {args.x:g} L, chi2_red = {r.chi2_red:.6g}, stderr {scaled}, "
            f"{r.evaluations} solves")
    if args.tau_phi is not None:
        if r.bound == "tau_E_at_most":
            raise CliError("--tau-phi: tau_E is only bounded from above (hot-electron regime); no verdict")
        v = pure_dephasing_verdict(args.tau_phi, r.tau_E if r.tau_E_stderr is None else (r.tau_E, r.tau_E_stderr))
        result["verdict"] = v
        text += f"\nverdict: {v['verdict']} ({v['explanation']})"
    return result, text  # r.warnings: in result["warnings"], printed on stderr by the CLI
