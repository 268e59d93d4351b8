"""Benchmark (issue 18): fit overhead and ``symmetrize``.

* A 101-point HLN fit (``fit_magnetoconductance(B, y, model="hln")``: start grid, bounded least squares, Jacobian,
  identifiability and no-signal checks) against ``scipy.optimize.curve_fit`` of the HLN one-liner
  ``(1.5 F(B/B_t) - 0.5 F(B/B_phi))/pi``, ``F(x) = log(x) + digamma(1/2 + 1/x)``, ``B_t = B_phi + 4 B_so/3``, on the
  same data from a start at twice the true fields (curve_fit needs a start; mesocorr finds its own). Equal
  accuracy: both fitted field pairs are printed and must agree to 1e-6 relative. Goal: <= 5x.
* ``symmetrize`` of 10^4 fields (5000 +-B pairs, shuffled): mesocorr's averaging over +-B groups
  (``mesocorr.fitting._symmetrize``, the step ``symmetrize=True`` adds) against a plain vectorised numpy
  group average (``np.unique(..., return_inverse=True)`` + ``np.bincount``). Goal: <= 2x.

Run: ``python benchmarks/bench_fit.py``.
"""

from __future__ import annotations

import numpy as np
from _timing import Row, interleaved, print_rows, timed
from scipy.optimize import curve_fit
from scipy.special import digamma

import mesocorr
from mesocorr.fitting import _symmetrize

D, PHI, SO = 0.01, 4e10, 2e11
B_PHI = 1.0545718176461565e-34 * PHI / (4 * 1.602176634e-19 * D)
B_SO = 1.0545718176461565e-34 * SO / (4 * 1.602176634e-19 * D)


def _one_liner(B, b_phi, b_so):
    def F(x):
        return np.log(x) + digamma(0.5 + 1.0 / x)

    b = np.abs(B)
    return (1.5 * F(b / (b_phi + 4 * b_so / 3)) - 0.5 * F(b / b_phi)) / np.pi


def rows(quick: bool = False) -> list:
    out = []
    rng = np.random.default_rng(20261201)
    B = np.linspace(-0.05, 0.05, 101)
    B = B[B != 0]
    B = np.r_[B, 0.0005]                     # 101 non-zero fields
    y = mesocorr.magnetoconductance(B, D=D, phi=PHI, so=SO) + rng.normal(0, 1e-3, B.size)

    def ours():
        return mesocorr.fit_magnetoconductance(B, y, model="hln")

    def base():
        return curve_fit(_one_liner, B, y, p0=(2 * B_PHI, 2 * B_SO), bounds=(0, np.inf))

    r = ours()
    popt, _ = base()
    mine = (r.params["B_phi"]["value"], r.params["B_so"]["value"])
    agree = max(abs(m / p - 1) for m, p in zip(mine, popt))
    t = interleaved({"ours": ours, "base": base}, repeat=5 if quick else 15, target=0.0)
    ratio = t["ours"].best / t["base"].best
    out.append(Row("101-point HLN fit", timed(t["ours"]), f"{timed(t['base'])} (curve_fit on the one-liner)",
                   f"ratio {ratio:.1f}", "<= 5", ratio <= 5 and agree < 1e-6,
                   [f"fitted (B_phi, B_so): mesocorr ({mine[0]:.6e}, {mine[1]:.6e}) T, curve_fit ({popt[0]:.6e}, "
                    f"{popt[1]:.6e}) T, relative difference {agree:.1e}"]))
    # symmetrize: 5000 +-B pairs, shuffled
    half = np.linspace(1e-4, 0.1, 5000)
    Bs = np.r_[half, -half]
    ys = np.r_[np.sin(half), np.sin(half) + 1e-3]
    perm = rng.permutation(Bs.size)
    Bs, ys = Bs[perm], ys[perm]
    ss = np.full(Bs.size, 1e-3)

    def sym_ours():
        return _symmetrize(Bs, ys, ss, [])

    def sym_base():
        a, inv = np.unique(np.abs(Bs), return_inverse=True)
        n = np.bincount(inv)
        return a, np.bincount(inv, ys) / n, np.sqrt(np.bincount(inv, ss**2)) / n

    mb, my, ms = sym_ours()
    rb, ry, rs = sym_base()
    same = mb.size == rb.size and np.allclose(mb, rb, rtol=1e-15) and np.allclose(my, ry, rtol=1e-14)
    ts = interleaved({"ours": sym_ours, "base": sym_base}, repeat=5 if quick else 15, target=1e-2)
    ratio = ts["ours"].best / ts["base"].best
    out.append(Row("`symmetrize` of 10^4 fields (5000 ±B pairs)", timed(ts["ours"]),
                   f"{timed(ts['base'])} (np.unique + np.bincount)", f"ratio {ratio:.2f}", "<= 2",
                   ratio <= 2 and same, [f"same groups and averages as the numpy reference: {same}"]))
    return out


if __name__ == "__main__":
    print_rows(rows(), "fits")
