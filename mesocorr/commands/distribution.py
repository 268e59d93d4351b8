"""``mesocorr distribution``: energy distribution f(E, x) of a biased diffusive wire
(see :func:`mesocorr.distribution.wire_distribution`).

``--json`` keys: ``relaxation``, ``x``, ``E`` (eV from mu_R), ``E_over_eV``, ``f`` (one row per x), ``error``,
``T_e`` (K, the hot-electron profile at x), ``hot_deviation``, ``double_step_deviation``, ``parameters``
(``kappa_tilde``, ``tau_E`` and ``tau_D`` in ns, ...), ``solver`` (iterations, residual, ``conservation``),
``unit``; with ``--tau-phi`` also ``verdict``; with ``--plot`` also ``plot`` (the file written).
"""

from __future__ import annotations

from mesocorr.cli import CliError, format_table
from mesocorr.options import count, real, real_list
from mesocorr.user_files import check_output_file

NAME = "distribution"
ORDER = 46
HELP = "distribution function f(E, x) of a biased wire: double step, hot electrons, or e-e kernel kappa E^-alpha"


def register(p):
    p.add_argument("--V", type=real, required=True, help="bias (V)")
    p.add_argument("--T", type=real, default=0.0, help="bath temperature (K)")
    p.add_argument("--relaxation", default="kernel", choices=("none", "hot", "kernel"))
    p.add_argument("--kappa", type=real, default=None, help="kernel prefactor (ns^-1 meV^(alpha-2))")
    p.add_argument("--alpha", type=real, default=1.5, help="kernel exponent (3/2 quasi-1D)")
    p.add_argument("--tau-D", dest="tau_D", type=real, default=None, help="diffusion time L^2/D (ns)")
    p.add_argument("--x", type=real_list, default=[0.25, 0.5, 0.75], help="positions in units of L (default 0.25,0.5,0.75)")
    p.add_argument("--n-x", dest="n_x", type=count(4, 400, "the cap on x intervals"), default=24, help="x intervals (even, 4..400)")
    p.add_argument("--energy-step", dest="energy_step", type=real, default=None, help="energy step in units of eV")
    p.add_argument("--rows", type=count(2, 10000, "table rows"), default=41, help="energies shown in the table (default 41)")
    p.add_argument("--tau-phi", dest="tau_phi", type=real, default=None,
                   help="dephasing time in ns from oscillations ('mesocorr ring-fit' prints seconds): print the pure-dephasing verdict")
    p.add_argument("--max-seconds", dest="max_seconds", type=real, default=60.0,
                   help="cap on the estimated run time of the kernel solve, checked first (default 60 s)")
    p.add_argument("--plot", default=None, metavar="FILE", help="write a PNG of f(E) at the positions (matplotlib)")


def run(args):
    from mesocorr.distribution import plot_distribution, pure_dephasing_verdict, wire_distribution

    # refusals that need no work come first
    if args.tau_phi is not None and args.relaxation != "kernel":
        raise CliError("--tau-phi: the verdict needs tau_E, i.e. --relaxation kernel with --kappa")
    plot_path = check_output_file(args.plot, "plot") if args.plot else None
    r = wire_distribution(args.V, args.T, relaxation=args.relaxation, kappa=args.kappa, alpha=args.alpha,
                          tau_D=args.tau_D, x=args.x, n_x=args.n_x, energy_step=args.energy_step, progress=True,
                          max_seconds=args.max_seconds)
    result = r.as_dict()
    keep = (r.E_over_eV > -0.5) & (r.E_over_eV < 1.5)
    idx = [i for i in range(r.E.size) if keep[i]]
    stride = max(1, len(idx) // (args.rows - 1))
    rows = [(r.E[i] * 1e3, *(float(r.f[j, i]) for j in range(r.x.size))) for i in idx[::stride]]
    text = format_table(rows, ("E (meV)", *(f"f(x={x:g})" for x in r.x)))
    p = r.parameters
    text += f"\n\nrelaxation: {r.relaxation}; eV = {p['V'] * 1e3:g} meV, k_B T / eV = {p['kT_over_eV']:.4g}"
    if r.relaxation == "kernel":
        c = r.solver["conservation"]
        text += (f"\nkappa_tilde = {p['kappa_tilde']:.6g}, tau_E = {p['tau_E']:.6g} ns, tau_D = {p['tau_D']:g} ns, "
                 f"tau_D/tau_E = {p['tau_D_over_tau_E']:.4g}"
                 f"\niterations {r.solver['iterations']}, residual {r.solver['residual']:.2g}, estimated error "
                 f"{r.solver['error_max']:.2g}"
                 f"\nparticle current {c['particle_current']:.12g} (variation along x {c['particle_current_variation']:.2g}), "
                 f"energy current {c['energy_current']:.12g} (variation {c['energy_current_variation']:.2g})")
    text += "\nmax |f - hot-electron Fermi| per x: " + ", ".join(f"{v:.3g}" for v in r.hot_deviation)
    text += "\nmax |f - double step| per x: " + ", ".join(f"{v:.3g}" for v in r.double_step_deviation)
    if args.tau_phi is not None:
        v = pure_dephasing_verdict(args.tau_phi, p["tau_E"])
        result["verdict"] = v
        text += f"\nverdict: {v['verdict']} ({v['explanation']})"
    if plot_path:
        try:
            plot_distribution(r, plot_path)
        except ImportError as exc:
            raise CliError(f"plot: {exc}") from None
        result["plot"] = plot_path
        text += f"\nplot written to {plot_path}"
    return result, text
