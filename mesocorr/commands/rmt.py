"""``mesocorr rmt``: exact chaotic-cavity transmission averages (COE/CUE/CSE) and a seeded sampler."""

from __future__ import annotations

from mesocorr.cli import CliError, format_table
from mesocorr.options import count
from mesocorr.rmt import cavity_transmission_moments, sample_cavity_transmission, sampled_moments

NAME = "rmt"
ORDER = 51
HELP = "chaotic cavity: exact <T> and var T (beta = 1, 2, 4; N1, N2 channels) and circular-ensemble sampling"
DESCRIPTION = (HELP + ". T = sum of the distinct transmission eigenvalues (Kramers pairs counted once for "
               "beta = 4, where N1, N2 count Kramers pairs); G = 2 (e^2/h) T. Exact values are rationals.")

#: caps of the CLI (README "Input rules and caps")
MAX_CHANNELS = 10**6         # N1, N2 (the exact formulas cost nothing; the cap keeps the rationals short)
MAX_SAMPLES = 10**6          # --sample
MAX_SAMPLE_DIM = 1000        # rows of one sampled S-matrix: (N1 + N2), twice that for beta = 4
MAX_SAMPLE_WORK = 4 * 10**8  # --sample x (rows of S)^3: ~20 s at 5e-8 s per rows^3 (shared 2-core machine)
BATCH_WORK = 10**7           # rows^3 x matrices per sampled batch: a batch takes well under a second, so the
                             # progress line moves, and memory stays small (<= 4096 matrices per batch)


def register(p):
    p.add_argument("--beta", type=count(), required=True, help="symmetry class: 1 (COE), 2 (CUE), 4 (CSE)")
    p.add_argument("--N1", type=count(1, MAX_CHANNELS), required=True,
                   help="channels in lead 1 (Kramers pairs for beta=4)")
    p.add_argument("--N2", type=count(1, MAX_CHANNELS), required=True,
                   help="channels in lead 2 (Kramers pairs for beta=4)")
    p.add_argument("--sample", type=count(2, MAX_SAMPLES), default=None, metavar="M",
                   help=f"also sample M random cavities (2..{MAX_SAMPLES}; progress on stderr)")
    p.add_argument("--seed", type=count(0), default=0, help="seed of the sampler (default 0)")
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
        samples = args.sample
        dim = (2 if m.beta == 4 else 1) * (m.N1 + m.N2)
        if dim > MAX_SAMPLE_DIM:
            raise CliError(f"--sample: the S-matrix would have {dim} rows; sampling is capped at {MAX_SAMPLE_DIM} "
                           "(N1 + N2, twice that for beta = 4)")
        if samples * dim**3 > MAX_SAMPLE_WORK:
            raise CliError(f"--sample: {samples} matrices of {dim} rows exceed the work cap (samples x rows^3 <= "
                           f"{MAX_SAMPLE_WORK:.0e}); at most {MAX_SAMPLE_WORK // dim**3} for these N1, N2")
        batch = max(1, min(4096, BATCH_WORK // dim**3))
        values = sample_cavity_transmission(m.beta, m.N1, m.N2, samples, seed=args.seed, batch=batch,
                                            show_progress=True)
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
