"""Benchmark (issue 14): 2D magnetoconductance with Zeeman on 10^6 fields vs the no-Zeeman path (same process);
the engine's symbolic spin-1/2 diagonalisation vs the closed-form channel table.

Goals: ``magnetoconductance(B, ..., g_factor=2)`` within 4x of ``magnetoconductance(B, ...)`` (no Zeeman), both
10^6 fields, isotropic spin-orbit; the symbolic diagonalisation through the engine (``channels`` with SymPy rates,
a fresh cache) no slower than the pre-engine route (SymPy ``Matrix.eigenvects`` of the 4x4 kernel, the method the
package used before the engine). Best-of-N, interleaved so that machine load hits both alike.

Run: ``python benchmarks/bench_zeeman.py``.
"""

from __future__ import annotations

import time

import numpy as np
import sympy as sp

import mesocorr

D, PHI, SO = 0.01, 1e10, 4e11
N = 10**6
REPEAT = 5
GOAL_MC = 4.0


def interleaved(fa, fb, repeat=REPEAT):
    fa()
    fb()
    ta, tb = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fa()
        t1 = time.perf_counter()
        fb()
        t2 = time.perf_counter()
        ta.append(t1 - t0)
        tb.append(t2 - t1)
    return min(ta), min(tb)


def old_symbolic_diagonalisation():
    """The pre-engine route: the 4x4 spin kernel of SymPy rates diagonalised by Matrix.eigenvects."""
    a = sp.symbols("a_x a_y a_z", nonnegative=True)
    b = sp.symbols("b_x b_y b_z", nonnegative=True)
    g0 = sp.Symbol("gamma_0", positive=True)
    pauli = [sp.Matrix([[0, 1], [1, 0]]), sp.Matrix([[0, -sp.I], [sp.I, 0]]), sp.Matrix([[1, 0], [0, -1]])]
    K = g0 * sp.eye(4)
    for i, s in enumerate(pauli):
        K += (-a[i] + b[i]) * sp.kronecker_product(s, s)
    return K.eigenvects()


def engine_symbolic_diagonalisation():
    from mesocorr.diagrams import pair_kernel

    pair_kernel.spin_half_symbolic.cache_clear()
    a, b, g0, model = pair_kernel.spin_half_symbolic()
    return model.spectrum("cooperon").channels


def rows(quick: bool = False) -> list:
    """The two goals of this benchmark as rows of the runner's table (``benchmarks/run.py``)."""
    from _timing import Row, interleaved as timings, timed

    B = np.linspace(1e-4, 2.0, N)
    kw = dict(D=D, so=SO, phi=PHI)
    t = timings({"plain": lambda: mesocorr.magnetoconductance(B, **kw),
                 "zeeman": lambda: mesocorr.magnetoconductance(B, g_factor=2.0, **kw)}, repeat=2 if quick else REPEAT,
                target=0.0)
    ratio = t["zeeman"].best / t["plain"].best
    s = timings({"old": old_symbolic_diagonalisation, "new": engine_symbolic_diagonalisation}, repeat=2 if quick else 3,
                target=0.0)
    sratio = s["new"].best / s["old"].best
    return [Row("2D magnetoconductance with Zeeman (g = 2), 10^6 fields", timed(t["zeeman"]),
                f"{timed(t['plain'])} (the same call without Zeeman)", f"ratio {ratio:.2f}", f"<= {GOAL_MC:g}",
                ratio <= GOAL_MC),
            Row("symbolic spin-1/2 diagonalisation (engine)", timed(s["new"]),
                f"{timed(s['old'])} (SymPy eigenvects of the 4x4 kernel)", f"ratio {sratio:.2f}", "<= 1", sratio <= 1)]


def main():
    B = np.linspace(1e-4, 2.0, N)
    kw = dict(D=D, so=SO, phi=PHI)
    t_plain, t_zee = interleaved(lambda: mesocorr.magnetoconductance(B, **kw),
                                 lambda: mesocorr.magnetoconductance(B, g_factor=2.0, **kw))
    ratio = t_zee / t_plain
    print(f"2D magnetoconductance, {N} fields: no Zeeman {t_plain:.3f} s, g = 2 {t_zee:.3f} s, "
          f"ratio {ratio:.2f} (goal <= {GOAL_MC})")
    t_inplane = min(interleaved(lambda: None, lambda: mesocorr.magnetoconductance(B, g_factor=2.0, B_inplane=0.5,
                                                                                   **kw), repeat=2))
    print(f"  with B_inplane = 0.5 T (3x3 block): {t_inplane:.3f} s, ratio {t_inplane / t_plain:.2f} (no goal)")
    t_old, t_new = interleaved(old_symbolic_diagonalisation, engine_symbolic_diagonalisation, repeat=3)
    print(f"symbolic spin-1/2 diagonalisation: pre-engine eigenvects {t_old:.3f} s, engine {t_new:.3f} s, "
          f"ratio {t_new / t_old:.2f} (goal <= 1)")
    return ratio <= GOAL_MC and t_new <= t_old


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
