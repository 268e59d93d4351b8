"""``mesocorr scales``: length scales and regime verdict (see :func:`mesocorr.lengths.scales`)."""

from __future__ import annotations

from mesocorr.options import count, real
from mesocorr.cli import format_table
from mesocorr.lengths import OUTPUTS, UNITS, scales

NAME = "scales"
ORDER = 10
HELP = "length scales (lambda_F, l, D, L_phi, L_T, k_F l) and the transport regime"

_INPUTS = [
    ("--kF", "fermi_wavevector", "Fermi wavevector k_F (1/m)"),
    ("--lambda-F", "fermi_wavelength", "Fermi wavelength (m)"),
    ("--vF", "fermi_velocity", "Fermi velocity (m/s)"),
    ("--tau", "elastic_time", "elastic scattering time (s)"),
    ("--l", "mean_free_path", "elastic mean free path (m)"),
    ("--D", "diffusion_constant", "diffusion constant (m^2/s)"),
    ("--tau-phi", "dephasing_time", "dephasing time (s)"),
    ("--tau-E", "energy_relaxation_time", "energy relaxation time (s)"),
    ("--T", "temperature", "temperature (K)"),
    ("--L", "length", "sample length (m)"),
]


def register(p):
    p.add_argument("--dim", type=count(), required=True, choices=(1, 2, 3), help="dimension d in D = v_F^2 tau / d")
    for flag, dest, help_ in _INPUTS:
        p.add_argument(flag, dest=dest, type=real, default=None, help=help_)
    p.add_argument("--require", default="", help=f"comma-separated outputs that must be determined ({', '.join(OUTPUTS)})")


def run(args):
    kwargs = {dest: getattr(args, dest) for _, dest, _ in _INPUTS}
    require = [r for r in args.require.split(",") if r]
    s = scales(args.dim, require=require, **kwargs)
    d = s.as_dict()
    rows = [(k, "-" if d[k] is None else d[k], UNITS[k]) for k in
            ("fermi_wavelength", "fermi_wavevector", "fermi_velocity", "elastic_time", "mean_free_path",
             "diffusion_constant", "L_phi", "L_T", "kF_l")]
    text = format_table(rows, ("quantity", "value", "unit"))
    if s.verdict:
        text += "\n\n" + format_table([(k, s.verdict[k], s.reasons[k]) for k in s.verdict], ("aspect", "verdict", "reason"))
    for msg in s.inconsistencies:
        text += f"\n\nINCONSISTENT INPUT: {msg}"
    return d, text
