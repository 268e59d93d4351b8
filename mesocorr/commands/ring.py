"""``mesocorr ring``: AAS (h/2e) oscillations of cylinders and rings, and the h/e, h/2e harmonics of a ring
between two leads (see :func:`mesocorr.rings.aas_oscillation`, :func:`mesocorr.rings.ab_harmonics`).

``--json`` keys: AAS geometries (cylinder, ring, thick): ``geometry``, ``flux`` (h/e), ``delta_sigma``, ``error``,
``unit``, ``harmonics`` (``n``, ``period`` in h/e, ``amplitude``, ``error``), ``channels``, ``parameters``; the
ring also ``uniform`` and ``delta_G``. ``contacted``: ``harmonics`` (``k``, ``period``, ``rms``, ``rms_error``,
``amplitude_rms``, ``diffuson_variance``, ``diffuson_variance_error``, ``cooperon_variance``,
``cooperon_variance_error``, ``rms_at_zero_flux``, ``mean_amplitude``, ``mean_error``; with ``--dps`` the
``rms_error`` bound 10^(1-dps) rms),
``mean_uniform``, ``unit``, ``parameters``, ``channels``, ``model``.
"""

from __future__ import annotations

import math

import numpy as np

from mesocorr.cli import CliError, format_table
from mesocorr.options import count, rate_spec, real, real_list, real_or_inf, vector_spec
from mesocorr.rings import MAX_DPS, MAX_FLUX_POINTS

NAME = "ring"
ORDER = 45
HELP = ("Aharonov-Bohm / AAS oscillations: cylinder, ring, thick (ensemble h/2e winding sum) or contacted "
        "(ring between leads: h/e, h/2e harmonics, e^2/h); lengths in the circumference L")

#: caps of the CLI (checked before any work): harmonics, and digits of the mpmath path (~2 s per flux value
#: and channel at 30 digits for the cylinder)
MAX_HARMONICS = 50
MAX_CLI_DPS = min(40, MAX_DPS)
MAX_CLI_DPS_FLUX = 8


def register(p):
    p.add_argument("--geometry", default="contacted", choices=("cylinder", "ring", "thick", "contacted"),
                   help="cylinder (thin wall, per square), ring (thin wire, closed), thick (3D wall), "
                        "contacted (ring between two leads; default)")
    p.add_argument("--L-phi", dest="L_phi", type=real_or_inf, required=True,
                   help="dephasing length in units of L (inf: none)")
    p.add_argument("--so", type=rate_spec, default=0.0, help="spin-orbit rate in D/L^2: total or x,y,z")
    p.add_argument("--mag", type=rate_spec, default=0.0, help="magnetic rate in D/L^2: total or x,y,z")
    p.add_argument("--spinless", action="store_true", help="one spin species (s = 1)")
    p.add_argument("--flux", type=real_list, default=[0.0, 0.125, 0.25, 0.375, 0.5],
                   help="AAS geometries: fluxes in h/e (use --flux=-0.1,0.2 for a leading minus)")
    p.add_argument("--thickness", type=real, default=None, help="cylinder: wall thickness t/L (field in the wall)")
    p.add_argument("--width", type=real, default=None, help="ring: wire width W/L (field in the arms)")
    p.add_argument("--zeeman", type=vector_spec, default=None,
                   help="AAS geometries: Zeeman vector g mu_B B/hbar at Phi = h/e in D/L^2 (one number: along z), "
                        "grows with the flux")
    p.add_argument("--harmonics", type=count(1, MAX_HARMONICS, "the CLI's cap on harmonics"), default=4,
                   help=f"number of harmonics (default 4, at most {MAX_HARMONICS})")
    p.add_argument("--lead-length", dest="lead_length", type=real, default=0.5,
                   help="contacted: lead length in units of L (default 0.5)")
    p.add_argument("--L-T", dest="L_T", type=real, default=None,
                   help="contacted: thermal length sqrt(hbar D/k_B T) in units of L (default T = 0)")
    p.add_argument("--dps", type=count(1, MAX_CLI_DPS, "the CLI's cap on mpmath digits"), default=None,
                   help=f"significant digits (mpmath path, 1..{MAX_CLI_DPS}; not with --L-T; AAS geometries: at most "
                        f"{MAX_CLI_DPS_FLUX} flux values)")


def _fmt(v):
    return v if isinstance(v, str) else float(v)


def run(args):
    if args.dps is not None and args.geometry != "contacted" and len(args.flux) > MAX_CLI_DPS_FLUX:
        raise CliError(f"--flux: at most {MAX_CLI_DPS_FLUX} flux values with --dps, got {len(args.flux)}")
    if len(args.flux) > MAX_FLUX_POINTS:  # pragma: no cover - real_list caps first
        raise CliError(f"--flux: at most {MAX_FLUX_POINTS} values")
    if args.geometry == "contacted":
        from mesocorr.rings import ab_harmonics

        r = ab_harmonics(args.L_phi, lead_length=args.lead_length, L_T=args.L_T, so=args.so, mag=args.mag,
                         spinless=args.spinless, n_harmonics=args.harmonics, dps=args.dps)
        rows = [(h["k"], f"h/e / {h['k']}" if h["k"] > 1 else "h/e", _fmt(h["rms"]), _fmt(h["amplitude_rms"]),
                 _fmt(h["rms_at_zero_flux"]), _fmt(h["mean_amplitude"])) for h in r.harmonics]
        text = format_table(rows, ("k", "period", "rms (e^2/h)", "amplitude rms", "rms at Phi=0", "mean (AAS)"))
        lt = "T = 0" if args.L_T is None else f"L_T = {args.L_T:g} L"
        text += (f"\n\nring of circumference L between two leads of {args.lead_length:g} L; L_phi = {args.L_phi:g} L, "
                 f"{lt}\nrms: sample-specific harmonic (Diffusons, flux-averaged); mean: ensemble-averaged "
                 f"(Cooperon, h/2e family); mean flux-independent delta G = {_fmt(r.mean_uniform):.10g} e^2/h"
                 if not isinstance(r.mean_uniform, str) else
                 f"\n\nmean flux-independent delta G = {r.mean_uniform} e^2/h")
        return r.as_dict(), text
    from mesocorr.rings import aas_oscillation

    r = aas_oscillation(args.flux, geometry=args.geometry, L_phi=args.L_phi, so=args.so, mag=args.mag,
                        spinless=args.spinless, thickness=args.thickness, width=args.width, zeeman=args.zeeman,
                        n_harmonics=args.harmonics, dps=args.dps, progress=True)
    vals = r.delta_sigma
    rows = [(float(ph), _fmt(v) if args.dps is None else str(v), float(e)) for ph, v, e in zip(r.flux, vals, r.error)]
    text = format_table(rows, ("flux (h/e)", f"delta_sigma ({r.unit})", "error"))
    if r.harmonics:
        hrows = [(h["n"], f"h/({2 * h['n']}e)", _fmt(h["amplitude"])) for h in r.harmonics]
        text += "\n\n" + format_table(hrows, ("n", "period", "amplitude of cos(4 pi n Phi/Phi0)"))
    if r.uniform is not None and args.dps is None:
        u0 = float(np.ravel(r.uniform)[0])
        text += (f"\n\nuniform (winding 0) term {u0:.10g} e^2/h*L at Phi = {r.flux[0]:g}; two-arm delta G there = "
                 f"{r.delta_G[0]:.10g} e^2/h")
    if any(math.isnan(float(e)) for e in r.error):  # pragma: no cover
        raise ArithmeticError("error estimate is not finite")
    return r.as_dict(), text
