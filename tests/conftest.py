"""Shared test fixtures: mpmath precision reset, the ``slow`` marker, reference tables, the built catalogue."""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from pathlib import Path

import mpmath
import pytest
from hypothesis import settings

# Every property test is reproducible: the "ci" profile (the default) derives each test's examples from the test
# itself (derandomize), so CI cannot fail on a lucky draw. The "hunt" profile draws fresh random examples, for
# looking for new failures locally: ``MESOCORR_HYPOTHESIS=hunt pytest --hypothesis-seed=N tests/...``.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("hunt", derandomize=False, database=None, print_blob=True)
settings.load_profile(os.environ.get("MESOCORR_HYPOTHESIS", "ci"))

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _restore_mpmath_precision():
    """Every test starts and ends at mpmath's default precision (15 dps, 53 bits)."""
    mpmath.mp.dps = 15
    yield
    mpmath.mp.dps = 15


@dataclass(frozen=True)
class ReferenceTable:
    """A reference dataset: rows of (inputs, expected), its source and its relative tolerance.

    Stored in ``tests/data/NAME.json`` as ``{"source": ..., "rtol": ..., "atol": ..., "columns": [...],
    "rows": [[...], ...]}``; the last column is the expected value. ``tests/data/README.md`` names
    every dataset's source.
    """

    name: str
    source: str
    rtol: float
    atol: float
    columns: list
    rows: list

    @classmethod
    def load(cls, name: str) -> ReferenceTable:
        raw = json.loads((DATA / f"{name}.json").read_text())
        return cls(name=name, source=raw["source"], rtol=float(raw["rtol"]), atol=float(raw.get("atol", 0.0)),
                   columns=list(raw["columns"]), rows=[list(r) for r in raw["rows"]])

    def check(self, func) -> None:
        """Assert ``func(*inputs) ≈ expected`` for every row, reporting all failures with the source."""
        failures = []
        for row in self.rows:
            *inputs, expected = row
            got = float(func(*inputs))
            if not math.isclose(got, float(expected), rel_tol=self.rtol, abs_tol=self.atol):
                failures.append(f"{dict(zip(self.columns, inputs))}: got {got!r}, expected {expected!r}")
        assert not failures, f"{self.name} ({self.source}, rtol={self.rtol}):\n" + "\n".join(failures)


@pytest.fixture
def reference_table():
    """Load a reference table from ``tests/data`` by name: ``reference_table("name").check(f)``."""
    return ReferenceTable.load


@pytest.fixture(scope="session")
def built_derivations():
    """Every derivation of the catalogue, built once per session (``name -> Derivation``)."""
    from mesocorr.derivations import catalogue

    return {n: catalogue.build(n) for n in catalogue.names()}
