"""Benchmark: the worst case of every CLI cap on work (issue 12, item 4: "the caps are honest").

Each case is a command line AT a cap (the most digits, fields, samples, rows, bytes the CLI accepts, with the
slowest geometry or parameters found), run in a fresh process; printed: wall time, CPU time (user + sys: what
the call costs on an idle machine; the wall time also holds the wait for a core on a shared one) and whether it
stays under the budget (``BUDGET`` s of CPU). Just above each cap the CLI refuses before any work (tested in
tests/test_cli_results.py and tests/test_cli_hostile.py; nothing timed there). The README section "Input rules
and caps" quotes these numbers.

Run: ``python benchmarks/bench_cli_caps.py [substring ...]`` (only the cases whose label contains one). On a
machine with more runnable processes than cores, multithreaded OpenBLAS spins (measured here: one 100 x 100
complex QR 40x slower with 2 threads than with 1); ``OPENBLAS_NUM_THREADS=1`` gives the idle-machine picture.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

BUDGET = 30.0   # s of CPU per call: "reasonable time" for the slowest accepted command line


def _cli() -> list[str]:
    here = os.path.join(os.path.dirname(sys.executable), "mesocorr")
    script = here if os.path.exists(here) else shutil.which("mesocorr")
    return [script] if script else [sys.executable, "-m", "mesocorr"]


def _files(d: str) -> dict:
    rng = np.random.default_rng(1)
    paths = {}
    B = np.linspace(-0.05, 0.05, 100_000)
    y = 0.5 * np.log1p((B / 0.002) ** 2) / np.pi + 1e-4 * rng.standard_normal(B.size)
    paths["fit100k"] = os.path.join(d, "fit.csv")
    with open(paths["fit100k"], "w") as fh:
        fh.write("B,delta_sigma\n" + "\n".join(f"{b!r},{v!r}" for b, v in zip(B.tolist(), y.tolist())) + "\n")
    paths["G125k"] = os.path.join(d, "G.csv")   # 125000 values: 4000 bootstrap resamples = 5e8 values (the cap)
    with open(paths["G125k"], "w") as fh:
        fh.write("G\n" + "\n".join(repr(v) for v in rng.normal(10, 0.37, 125_000).tolist()) + "\n")
    paths["csv64"] = os.path.join(d, "big.csv")  # just under 64 MiB: read, then refused (> 100000 points)
    row = "0.0123456789012345,0.0123456789012345\n"
    with open(paths["csv64"], "w") as fh:
        fh.write("B,delta_sigma\n" + row * ((64 * 2**20 - 20) // len(row)))
    n = 256    # Landauer: 256 leads (multiterminal.MAX_LEADS), one channel each, rows summing to 1
    T = rng.random((n, n))
    np.fill_diagonal(T, 0.0)
    T = (T + T.T) / 2
    T /= T.sum(axis=1, keepdims=True).max()
    np.fill_diagonal(T, 1.0 - T.sum(axis=1))
    paths["T256"] = os.path.join(d, "T.json")
    with open(paths["T256"], "w") as fh:
        json.dump({"T": T.tolist(), "N": [1] * n}, fh)
    from mesocorr import circular_ensemble, transmission_matrix

    z = rng.standard_normal((1000, 1000)) + 1j * rng.standard_normal((1000, 1000))
    S = np.linalg.qr(z)[0]                   # smatrix: a unitary of 1000 rows
    paths["S1000"] = os.path.join(d, "S.json")
    with open(paths["S1000"], "w") as fh:
        json.dump({"S": [[[z.real, z.imag] for z in r] for r in S.tolist()], "channels": [500, 500]}, fh)
    S = circular_ensemble(1, 30, seed=3)    # onsager: 30 leads
    ch = [1] * 30
    paths["onsager30"] = os.path.join(d, "onsager.json")
    with open(paths["onsager30"], "w") as fh:
        json.dump({"T_plus": transmission_matrix(S, ch).tolist(), "T_minus": transmission_matrix(S.T, ch).tolist(),
                   "N": ch}, fh)
    return paths


def _fields(n: int) -> str:
    return ",".join(repr(float(x)) for x in np.geomspace(1e-4, 1.0, n))


def cases(f: dict) -> dict:
    spin = ["--so", "1e11,2e11,3e11", "--mag", "1e9"]
    return {
        "mc --dps 300, 100 fields (the cap with --dps), 3D, 4 channels": (
            ["mc", "--dim", "3", "--D", "0.01", "--phi", "1e10", *spin, f"--B={_fields(100)}", "--dps", "300"]),
        "mc --dps 300, 100 fields, 2D": (
            ["mc", "--dim", "2", "--D", "0.01", "--phi", "1e10", *spin, f"--B={_fields(100)}", "--dps", "300"]),
        # 100000 fields do not fit in one command-line argument (Linux: 128 KiB): the child builds the list itself
        "mc 100000 fields (the cap), float64, 1D (cli.main in the child)": (
            [sys.executable, "-c", "import numpy as np, sys; from mesocorr.cli import main; B = ','.join(repr(float(x)) "
             "for x in np.geomspace(1e-4, 1.0, 100000)); sys.exit(main(['mc', '--dim', '1', '--width', '1e-8', "
             "'--D', '0.01', '--phi', '1e10', '--so', '1e11,2e11,3e11', '--mag', '1e9', '--B=' + B, '--json']))"]),
        "mc --g-factor --dps 15, 40 fields (Zeeman estimate 18 s, just under the cap)": (
            ["mc", "--D", "0.01", "--phi", "1e10", "--so", "1e11", "--g-factor", "2", f"--B={_fields(40)}",
             "--dps", "15"]),
        "mc --g-factor --dps 300, one field (Zeeman estimate 17 s)": (
            ["mc", "--D", "0.01", "--phi", "1e10", "--g-factor", "2", "--B", "0.01", "--dps", "300"]),
        "wl --dps 300, wire, x,y,z spin rates": (
            ["wl", "--shape", "1", "--L-phi", "0.5", "--so", "1,2,3", "--mag", "0.5", "--dps", "300"]),
        "wl film at the mode cap (5e6 modes)": (["wl", "--shape", "1,1", "--l", "2.6e-4", "--L-phi", "2"]),
        "ucf --dps 40 (the cap), box, L_T, x,y,z spin rates": (
            ["ucf", "--shape", "1,1,1", "--L-T", "0.5", "--so", "1,2,3", "--mag", "0.5", "--dps", "40"]),
        "ucf --dps 40, box of aspect 1e6, L_T": (["ucf", "--shape", "1,1e-6,1e-6", "--L-T", "0.5", "--dps", "40"]),
        "ucf --dps 40, L_T at its cap (1e-4 L)": (["ucf", "--shape", "1,1e6", "--L-T", "1.0001e-4", "--dps", "40"]),
        "ucf --dps 40, gap 1e9 D/L^2 (near the mpmath gap cap)": (
            ["ucf", "--shape", "1,1,1", "--so", "1e9", "--L-T", "1e-3", "--dps", "40"]),
        "ucf --dps 20 (correlation cap), box, spin, delta-E 1000": (
            ["ucf", "--shape", "1,0.5,0.25", "--so", "1,2,3", "--delta-E", "1000", "--dps", "20"]),
        "ucf float64, box, L_T at its cap, --half-widths": (
            ["ucf", "--shape", "1,0.5,0.25", "--so", "1,2,3", "--L-phi", "0.3", "--half-widths"]),
        "rmt N1 = N2 = 1e6 (the cap), exact moments": (["rmt", "--beta", "1", "--N1", "1000000", "--N2", "1000000"]),
        "rmt --sample 400 at N1 = N2 = 50 (work cap 4e8)": (
            ["rmt", "--beta", "1", "--N1", "50", "--N2", "50", "--sample", "400"]),
        "rmt --sample 1e6 (the cap) at N1 = N2 = 1": (["rmt", "--beta", "2", "--N1", "1", "--N2", "1", "--sample",
                                                      "1000000"]),
        "rmt --sample 2 at 584 rows (beta 2, N1 = N2 = 292)": (
            ["rmt", "--beta", "2", "--N1", "292", "--N2", "292", "--sample", "2"]),
        "fit 100000 points (the cap), hln": (["fit", "--data", f["fit100k"], "--model", "hln", "--D", "0.01"]),
        "validate ucf --method bootstrap, 125000 values (5e8 resampled, the cap)": (
            ["validate", "ucf", "--data", f["G125k"], "--method", "bootstrap", "--spinless"]),
        "fit --data of 64 MiB (the file cap; refused after reading: > 100000 points)": (
            ["fit", "--data", f["csv64"]]),
        "landauer, 256 leads (the cap)": (["landauer", "--transmission", f["T256"], "--current", "1,2",
                                           "--voltage", "3,4"]),
        "smatrix, 1000 rows (the cap)": (["smatrix", "--file", f["S1000"]]),
        "onsager, 30 leads (the cap)": (["onsager", "--file", f["onsager30"]]),
    }


def run(argv: list[str]) -> tuple[float, float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    status = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, status


def main(filters: list[str] | tuple = ()) -> None:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    print(f"load average (1 min): {load:.2f} on {os.cpu_count()} CPUs; OPENBLAS_NUM_THREADS={threads}; "
          f"budget {BUDGET:g} s CPU per call")
    cli = _cli()
    with tempfile.TemporaryDirectory() as d:
        table = cases(_files(d))
        for label, args in table.items():
            if filters and not any(s in label for s in filters):
                continue
            wall, cpu, status = run(args if args[0] == sys.executable else [*cli, *args])
            verdict = "ok" if cpu < BUDGET else "OVER BUDGET"
            print(f"{label}: exit {status}, {wall:.1f} s wall, {cpu:.1f} s CPU {verdict}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
