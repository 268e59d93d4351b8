"""Benchmark (issue 18): functions whose answer is a closed form, against that closed form.

* ``flow(g0, L/L0, loops=1)`` against ``one_loop_flow`` (the closed form :math:`g = g_0 r^\\epsilon + c_1\\ln r
  (r^\\epsilon - 1)/(\\epsilon\\ln r)`, same argument checks); goal <= 2x (a one-loop flow is that formula).
* ``cavity_transmission_moments(1, 10, 12)`` (exact mean, variance and the derived large-N terms, all Fractions)
  against the bare closed form of the mean and variance in Fractions (``mesocorr.rmt._closed_form``); goal <= 5x
  (the call also evaluates three large-N terms and builds its result object).

Run: ``python benchmarks/bench_closed_forms.py``.
"""

from __future__ import annotations

from fractions import Fraction

from _timing import Row, interleaved, print_rows, timed

import mesocorr
from mesocorr import rmt, scaling


def rows(quick: bool = False) -> list:
    out = []
    t = interleaved({"ours": lambda: scaling.flow(20.0, 100.0, loops=1),
                     "base": lambda: scaling.one_loop_flow(20.0, 100.0)}, repeat=10 if quick else 30)
    same = scaling.flow(20.0, 100.0, loops=1) == scaling.one_loop_flow(20.0, 100.0)
    ratio = t["ours"].best / t["base"].best
    out.append(Row("`flow(loops=1)`", timed(t["ours"]), f"{timed(t['base'])} (`one_loop_flow`, the closed form)",
                   f"ratio {ratio:.1f}", "<= 2", ratio <= 2 and same, [f"identical values: {same}"]))
    t = interleaved({"ours": lambda: mesocorr.cavity_transmission_moments(1, 10, 12),
                     "base": lambda: rmt._closed_form(Fraction(2, 1), 10, 12)}, repeat=10 if quick else 30)
    ratio = t["ours"].best / t["base"].best
    out.append(Row("`cavity_transmission_moments`", timed(t["ours"]),
                   f"{timed(t['base'])} (closed form of mean and variance in Fractions)", f"ratio {ratio:.1f}",
                   "<= 5", ratio <= 5))
    return out


if __name__ == "__main__":
    print_rows(rows(), "closed forms")
