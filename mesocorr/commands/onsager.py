"""``mesocorr onsager``: Onsager-Casimir reciprocity of the four-terminal resistances from T(+B), T(-B)
(see :func:`mesocorr.multiterminal.onsager_check`)."""

from __future__ import annotations

from mesocorr.cli import format_table
from mesocorr.commands.matrix_input import channel_counts, json_object, real_matrix
from mesocorr.options import real

NAME = "onsager"
ORDER = 53
HELP = "Onsager-Casimir reciprocity R_kl,ij(B) = R_ij,kl(-B) over all lead configurations, from T(+B) and T(-B)"
DESCRIPTION = (
    HELP + '. T.json = {"T_plus": [[...]], "T_minus": [[...]], "N": [...]}: T[a-1][b-1] is the transmission FROM '
    "lead b INTO lead a (Buttiker) at +B and at -B, N the channels per lead; leads numbered from 1. Resistances "
    "in h/e^2 per spin channel."
)

#: cap of the CLI on the number of leads (README "Input rules and caps"): the check builds all M^4 resistances
MAX_LEADS = 30
HINT = '{"T_plus": [[...]], "T_minus": [[...]], "N": [...]}, T[a-1][b-1] = transmission from lead b into lead a'


def register(p):
    p.add_argument("--file", required=True, metavar="T.json", help="JSON file with T_plus, T_minus and N")
    p.add_argument("--atol", type=real, default=None,
                   help="tolerance on the worst deviation in h/e^2 (default 1e-9 max(1, max |R|))")


def run(args):
    from mesocorr.multiterminal import onsager_check

    data = json_object(args.file, "file", ("T_plus", "T_minus", "N"), HINT)
    Tp = real_matrix("file", data, "T_plus", MAX_LEADS)
    Tm = real_matrix("file", data, "T_minus", MAX_LEADS)
    N = channel_counts("file", data, "N", integral=False)
    r = onsager_check(Tp, Tm, N, atol=args.atol)
    result = {**r.as_dict(), "N": N, "unit": "h/e^2 per spin channel",
              "convention": "T[a-1][b-1] = transmission from lead b into lead a (Buttiker); R_kl,ij = (V_k - V_l)/I, "
                            "current in at i, out at j"}
    (k, l), (i, j) = r.worst_configuration
    rows = [("verdict", "reciprocal" if r.reciprocal else "NOT reciprocal"),
            (f"worst |R_{k}{l},{i}{j}(B) - R_{i}{j},{k}{l}(-B)| (h/e^2)", r.worst_deviation),
            ("tolerance (h/e^2)", r.atol), ("max |R| (h/e^2)", r.scale),
            ("max |T_ab(B) - T_ba(-B)|", r.microscopic_deviation)]
    return result, f"{len(N)} leads, N = {N}\n\n" + format_table(rows, ("quantity", "value"))
