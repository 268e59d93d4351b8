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


def warn_inconsistent(message: str, stacklevel: int = 3) -> None:
    """Issue a :class:`PhysicsWarning`; ``message`` starts with the argument name(s) concerned."""
    warnings.warn(message, PhysicsWarning, stacklevel=stacklevel)
