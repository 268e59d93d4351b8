"""``mesocorr smatrix``: checks and transport quantities of a scattering matrix read from a JSON file
(see :func:`mesocorr.landauer.check_s_matrix`)."""

from __future__ import annotations

from mesocorr.cli import format_table
from mesocorr.commands.matrix_input import channel_counts, complex_matrix, json_object
from mesocorr.options import count, real

NAME = "smatrix"
ORDER = 52
HELP = "S-matrix from a JSON file: unitarity, S = S^T / self-duality, transmission eigenvalues, Landauer g, Fano"
DESCRIPTION = (
    HELP + '. S.json = {"S": [[[re, im], ...], ...], "channels": [N1, N2, ...]} (an entry may also be a plain '
    'real number) or {"S_re": [[...]], "S_im": [[...]], "channels": [...]}. Rows are outgoing, columns incoming '
    "channels, ordered lead by lead (channels = rows per lead; leads numbered from 1); for spin-orbit S the rows "
    "of each lead are Kramers pairs (up, down). Conventions: docs/conventions.md (Scattering matrices)."
)

#: cap of the CLI on the rows of S (README "Input rules and caps"): an SVD of 1000 x 1000 takes about a second
MAX_ROWS = 1000
HINT = '{"S": [[[re, im], ...], ...], "channels": [N1, N2, ...]} or {"S_re": ..., "S_im": ..., "channels": ...}'


def register(p):
    p.add_argument("--file", required=True, metavar="S.json", help="JSON file with S and the channels per lead")
    p.add_argument("--from-lead", type=count(1), default=1, help="transmission from this lead (default 1)")
    p.add_argument("--to-lead", type=count(1), default=2, help="into this lead (default 2)")
    p.add_argument("--spin-degeneracy", type=count(), default=2, choices=(1, 2),
                   help="degeneracy not resolved in S: 2 = orbital S of spin-1/2 electrons (default), 1 = S "
                        "includes spin")
    p.add_argument("--kramers", action="store_true",
                   help="self-dual S (spin inside): list each Kramers-degenerate eigenvalue once")
    p.add_argument("--atol", type=real, default=None, help="tolerance of the unitarity and symmetry checks "
                                                           "(default 1e-10)")


def run(args):
    from mesocorr.landauer import (DEFAULT_ATOL, check_s_matrix, fano_factor, landauer_conductance,
                                   transmission_eigenvalues)
    from mesocorr.multiterminal import transmission_matrix

    data = json_object(args.file, "file", ("channels",), HINT)
    S = complex_matrix("file", data, MAX_ROWS)
    channels = channel_counts("file", data, "channels")
    atol = DEFAULT_ATOL if args.atol is None else args.atol
    check = check_s_matrix(S, channels, atol=atol)
    result = {**check.as_dict(), "from_lead": args.from_lead, "to_lead": args.to_lead,
              "spin_degeneracy": args.spin_degeneracy, "kramers": bool(args.kramers),
              "transmission_matrix": transmission_matrix(S, channels).tolist(),
              "transmission_matrix_convention": "T[a-1][b-1] = Tr S_ab^dag S_ab, from lead b into lead a",
              "transmission_eigenvalues": None, "conductance": None, "conductance_unit": "e^2/h",
              "fano_factor": None, "warnings": []}
    rows = [("verdict", check.verdict), ("||S^dag S - 1||", check.unitarity_deviation),
            ("||S - S^T||", check.transpose_deviation),
            ("||S - S^R||", "n/a" if check.self_dual_deviation is None else check.self_dual_deviation)]
    if not check.unitary:
        result["warnings"].append("file: S is not unitary within atol; transmission eigenvalues, conductance and "
                                  "Fano factor are not computed")
    else:
        leads = dict(from_lead=args.from_lead, to_lead=args.to_lead, atol=atol)
        T = transmission_eigenvalues(S, channels, kramers=args.kramers, **leads)
        g = landauer_conductance(S, channels, spin_degeneracy=args.spin_degeneracy, **leads)
        result.update(transmission_eigenvalues=[float(t) for t in T], conductance=g)
        if T.size and float(T.sum()) > 0:
            result["fano_factor"] = fano_factor(T)
        else:
            result["warnings"].append("fano_factor: every transmission eigenvalue is zero; the Fano factor is "
                                      "undefined (null)")
        rows += [(f"T_n ({args.from_lead} -> {args.to_lead})", ", ".join(f"{t:.10g}" for t in T) or "(none)"),
                 (f"g = G/(e^2/h) (s = {args.spin_degeneracy})", g),
                 ("Fano factor", "undefined" if result["fano_factor"] is None else result["fano_factor"])]
    text = (f"S: {S.shape[0]} x {S.shape[0]}, channels per lead {list(check.channels)}\n\n"
            + format_table(rows, ("quantity", "value")))
    return result, text
