"""``mesocorr derive``: run the derivation catalogue and write LaTeX/Markdown documents (the main job)."""

from __future__ import annotations

import sys

from mesocorr.cli import CliError, format_table
from mesocorr.options import count, exact_rate_spec, exact_vector_spec
from mesocorr.user_files import check_output_dir

NAME = "derive"
ORDER = 1
HELP = "run the catalogue of derivations and write LaTeX and Markdown documents (the main job)"
DESCRIPTION = ("Run derivations (all, or the NAMEs given), each a sequence of steps computed by the library that ends "
               "in checks against the literature, and write NAME.tex / NAME.md into --out (figures as PNG and PDF "
               "when matplotlib is installed). Exit status 1 if a check fails or --pdf was asked and pdflatex failed.")


def register(p):
    p.add_argument("names", nargs="*", metavar="NAME", help="derivations to run (default: the whole catalogue)")
    p.add_argument("--list", action="store_true", help="list the catalogue and exit")
    p.add_argument("--out", default="mesocorr-derivations",
                   help="output folder, created if missing (default ./mesocorr-derivations)")
    p.add_argument("--format", default="latex,markdown", help="comma-separated: latex, markdown")
    p.add_argument("--pdf", action="store_true", help="compile the .tex with pdflatex when it is available")
    p.add_argument("--so", type=exact_rate_spec, default=None,
                   help="cooperon-spin/zeeman for your parameters: spin-orbit rate (total) or a_x,a_y,a_z")
    p.add_argument("--mag", type=exact_rate_spec, default=None, help="magnetic rate (total) or b_x,b_y,b_z")
    p.add_argument("--zeeman", type=exact_vector_spec, default=None,
                   help="Zeeman vector omega = g mu_B B/hbar (one number: along z, or x,y,z), units of the rates")
    p.add_argument("--jobs", type=count(1, 64, "worker processes"), default=None,
                   help="worker processes, one entry each at a time (default: the usable CPUs, at most one per "
                        "entry; 1 runs everything in this process); the documents do not depend on it")


def run(args):
    from mesocorr.derivations import catalogue  # SymPy: loaded by this command only (start-up of the others)
    from mesocorr.derivations.runner import run_entries, usable_cpus

    if args.list:
        items = catalogue.titles()
        return {"derivations": items}, format_table([(i["name"], i["title"]) for i in items], ("name", "title"))
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    bad = [f for f in formats if f not in catalogue.FORMATS]
    if bad or not formats:
        raise CliError(f"--format: unknown format {', '.join(bad) or '(empty)'}; choose from latex, markdown")
    available = catalogue.names()
    unknown = [n for n in args.names if n not in available]
    if unknown:
        raise CliError(f"unknown derivation {', '.join(unknown)}; available: {', '.join(available)}")
    todo = args.names or available
    params = {"so": args.so, "mag": args.mag, "zeeman": args.zeeman}
    if any(v is not None for v in params.values()):
        bad = [n for n in todo if n not in catalogue.PARAMETRISED]
        if bad or not args.names:
            raise CliError(f"--so/--mag/--zeeman: only for {', '.join(catalogue.PARAMETRISED)} (name it), got "
                           f"{', '.join(bad) or 'the whole catalogue'}")
    check_output_dir(args.out, "--out")  # before the work: a bad folder must not cost a catalogue run
    jobs = args.jobs if args.jobs is not None else usable_cpus()

    def progress(k, record):
        if not args.json:
            print(f"[{k}/{len(todo)}] {record['name']} ({record['seconds']:.1f} s CPU)", file=sys.stderr, flush=True)

    if not args.json and min(jobs, len(todo)) > 1:
        print(f"deriving {len(todo)} entries in {min(jobs, len(todo))} processes ...", file=sys.stderr, flush=True)
    records = run_entries(todo, args.out, formats, pdf=args.pdf, parameters=params, jobs=jobs, on_done=progress)
    results, rows, pdf_ok = [], [], []
    for r in records:
        entry = {k: r[k] for k in ("name", "title", "title_latex", "checks", "files")}
        if args.pdf:
            entry["pdf"] = r["pdf"]
        pdf_ok.append(r["pdf_ok"])
        results.append(entry)
        npass = sum(c["passed"] for c in r["checks"])
        rows.append((r["name"], f"{npass}/{len(r['checks'])}", ", ".join(r["files"])))
    text = format_table(rows, ("name", "checks passed", "files"))
    if args.pdf and results:
        text += "\n\npdf: " + "; ".join(f"{r['name']}: {r['pdf']}" for r in results)
    failed = [r["name"] for r in results if not all(c["passed"] for c in r["checks"])]
    if failed:
        text += f"\n\nFAILED CHECKS in: {', '.join(failed)}"
    no_pdf = [r["name"] for r, w in zip(results, pdf_ok) if w is False]
    if no_pdf:
        text += f"\n\nPDFLATEX FAILED for: {', '.join(no_pdf)}"
    return {"derivations": results}, text, (1 if failed or no_pdf else 0)
