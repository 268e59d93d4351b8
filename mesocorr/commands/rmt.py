"""``mesocorr rmt``: exact chaotic-cavity transmission averages (COE/CUE/CSE) and a seeded sampler."""

from __future__ import annotations

from mesocorr.cli import format_table
from mesocorr.rmt import cavity_transmission_moments, sample_cavity_transmission, sampled_moments
from mesocorr.arguments import integer

NAME = "rmt"
ORDER = 51
HELP = "chaotic cavity: exact <T> and var T (beta = 1, 2, 4; N1, N2 channels) and circular-ensemble sampling"
DESCRIPTION = (HELP + ". T = sum of the distinct transmission eigenvalues (Kramers pairs counted once for "
               "beta = 4, where N1, N2 count Kramers pairs); G = 2 (e^2/h) T. Exact values are rationals.")


def register(p):
    p.add_argument("--beta", type=int, required=True, help="symmetry class: 1 (COE), 2 (CUE), 4 (CSE)")
    p.add_argument("--N1", type=int, required=True, help="channels in lead 1 (Kramers pairs for beta=4)")
    p.add_argument("--N2", type=int, required=True, help="channels in lead 2 (Kramers pairs for beta=4)")
    p.add_argument("--sample", type=int, default=None, metavar="M", help="also sample M random cavities")
    p.add_argument("--seed", type=int, default=0, help="seed of the sampler (default 0)")
    p.add_argument("--method", default="formula", choices=("formula", "jacobi"),
                   help="exact route: closed form (default) or integration of the eigenvalue density")


def run(args):
    m = cavity_transmission_moments(args.beta, args.N1, args.N2, method=args.method)
    res = m.as_dict()
    rows = [("<T>", str(m.mean_T), float(m.mean_T)), ("var T", str(m.var_T), float(m.var_T))]
    rows += [(f"large N: {k}", str(v), float(v)) for k, v in m.limits.items()]
    text = (f"{m.ensemble} (beta={m.beta}), N1={m.N1}, N2={m.N2}; T in units of 2e^2/h "
            f"(G = 2 (e^2/h) T)\n\n" + format_table(rows, ("quantity", "exact", "value")))
    if args.sample is not None:
        samples = integer("sample", args.sample, minimum=2)
        values = sample_cavity_transmission(m.beta, m.N1, m.N2, samples, seed=args.seed, show_progress=True)
        s = sampled_moments(values)
        s["seed"] = args.seed
        s["mean_T_deviation_in_stderr"] = (s["mean_T"] - float(m.mean_T)) / s["mean_T_stderr"]
        s["var_T_deviation_in_stderr"] = (s["var_T"] - float(m.var_T)) / s["var_T_stderr"]
        res["sampled"] = s
        srows = [("<T>", s["mean_T"], s["mean_T_stderr"], s["mean_T_deviation_in_stderr"]),
                 ("var T", s["var_T"], s["var_T_stderr"], s["var_T_deviation_in_stderr"])]
        text += (f"\n\nsampled ({samples} matrices, seed {args.seed}):\n"
                 + format_table(srows, ("quantity", "sample", "std. error", "(sample-exact)/stderr")))
    return res, text
