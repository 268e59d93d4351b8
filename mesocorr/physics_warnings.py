"""Warnings for physically inconsistent input (the brief: "named in a warning or refused").

A parameter set that the formulas accept but that lies outside their regime of validity (a dephasing time
shorter than the elastic time, a field beyond :math:`B_\\tau = \\hbar/4eD\\tau`, a wire wider than the magnetic
length, ...) is reported with :class:`PhysicsWarning` through :func:`warn_inconsistent`. The message starts
with the name(s) of the argument(s) concerned, like the errors of :mod:`mesocorr.arguments`.

Python: the standard :mod:`warnings` machinery (``warnings.catch_warnings(record=True)``, or
``warnings.simplefilter("error", PhysicsWarning)`` to refuse such input). CLI: each warning is printed on
stderr as ``warning: ...`` and listed under ``"warnings"`` in the ``--json`` output.
"""

from __future__ import annotations

import warnings

__all__ = ["PhysicsWarning", "warn_inconsistent"]


class PhysicsWarning(UserWarning):
    """Input outside the regime of validity of the formula used (the result is still computed)."""


def warn_inconsistent(message: str, stacklevel: int = 3) -> None:
    """Issue a :class:`PhysicsWarning`; ``message`` starts with the argument name(s) concerned."""
    warnings.warn(message, PhysicsWarning, stacklevel=stacklevel)
