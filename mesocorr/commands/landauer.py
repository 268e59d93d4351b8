"""``mesocorr landauer``: multi-terminal resistance R_{kl,ij} from transmissions (Büttiker)."""

from __future__ import annotations

from mesocorr.cli import format_table
from mesocorr.commands.matrix_input import channel_counts, json_object, real_matrix
from mesocorr.options import lead_pair
from mesocorr.multiterminal import solve_multiterminal

NAME = "landauer"
ORDER = 50
HELP = "multi-terminal resistance R_kl,ij = (V_k - V_l)/I from transmissions T_ab (from lead b into lead a)"
DESCRIPTION = (HELP + ". T.json = {\"T\": [[...], ...], \"N\": [...]}: T[a-1][b-1] is the transmission FROM lead b "
               "INTO lead a (Büttiker's convention), the diagonal the reflections R_aa; leads numbered from 1. "
               "Rows and columns must satisfy the sum rules sum_b T_ab = N_a = sum_b T_ba. Resistance in h/e^2 "
               "for ONE spin channel (divide by 2 for spin-degenerate electrons).")


#: cap of the CLI on the number of leads (README "Input rules and caps")
MAX_LEADS = 1000
HINT = '{"T": [[...], ...], "N": [...]}, T[a-1][b-1] = transmission from lead b into lead a'


def register(p):
    p.add_argument("--transmission", required=True, metavar="T.json",
                   help='JSON file {"T": [[...]], "N": [...]}; T[a-1][b-1] = transmission from lead b into lead a')
    p.add_argument("--current", required=True, type=lead_pair, metavar="i,j",
                   help="current I enters at lead i and leaves at lead j")
    p.add_argument("--voltage", type=lead_pair, metavar="k,l", default=None,
                   help="voltage probes: R = (V_k - V_l)/I (default: k,l = i,j, the two-terminal resistance)")


def _read(path: str) -> tuple[list, list]:
    data = json_object(path, "transmission", ("T", "N"), HINT)
    return real_matrix("transmission", data, "T", MAX_LEADS), channel_counts("transmission", data, "N", False)


def run(args):
    T, N = _read(args.transmission)
    voltage = args.voltage if args.voltage is not None else args.current
    res = solve_multiterminal(T, N, args.current, voltage)
    i, j = res["current"]
    k, l = res["voltage"]
    res["unit"] = "h/e^2 per spin channel"
    res["voltage_unit"] = f"I h/e^2 per spin channel, V_{j} = 0"
    res["convention"] = "T[a-1][b-1] = transmission from lead b into lead a (Buttiker)"
    rows = [(f"V_{n + 1}", v) for n, v in enumerate(res["voltages"])]
    text = (f"R_{k}{l},{i}{j} = {res['resistance_h_over_e2']:.12g} h/e^2 (one spin channel; "
            f"spin-degenerate: {res['resistance_h_over_e2'] / 2:.12g} h/e^2)\n"
            f"current {i} -> {j}, other leads ideal voltage probes; sum-rule deviation "
            f"{res['sum_rule_deviation']:.2e}\n\n" + format_table(rows, ("lead voltage", "value (I h/e^2)")))
    return res, text
