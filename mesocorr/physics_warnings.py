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

import sys
import warnings

__all__ = ["PhysicsWarning", "warn_inconsistent"]


class PhysicsWarning(UserWarning):
    """Input outside the regime of validity of the formula used (the result is still computed).

    Its message says what is inconsistent and starts with the name(s) of the argument(s) concerned, e.g.
    ``"phi, elastic_time: ..."``.

    Examples
    --------
    A dephasing time shorter than the elastic time is reported, not refused:

    >>> import warnings, mesocorr
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     _ = mesocorr.wl_correction(dim=2, D=0.01, phi=1e14, elastic_time=1e-13)
    >>> w[0].category.__name__, str(w[0].message).split(":")[0]
    ('PhysicsWarning', 'phi, elastic_time')

    ``warnings.simplefilter("error", mesocorr.PhysicsWarning)`` turns such input into an exception.
    """


def warn_inconsistent(message: str, stacklevel: int | None = None) -> None:
    """Issue a :class:`PhysicsWarning`; ``message`` starts with the argument name(s) concerned.

    The warning is attributed to the first frame outside mesocorr (the user's call), however deep inside the
    package it is issued; ``stacklevel`` is accepted for compatibility and ignored.
    """
    warnings.warn(message, PhysicsWarning, stacklevel=_outside_stacklevel())


def _outside_stacklevel() -> int:
    """``stacklevel`` for :func:`warnings.warn` called from :func:`warn_inconsistent` that names the first
    frame whose module is not part of the mesocorr package."""
    frame = sys._getframe(2)          # the caller of warn_inconsistent
    level = 2
    while frame is not None:
        name = frame.f_globals.get("__name__", "")
        if name != "mesocorr" and not name.startswith("mesocorr."):
            break
        frame = frame.f_back
        level += 1
    return level
