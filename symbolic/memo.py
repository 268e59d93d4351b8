"""Memoised SymPy simplification for the derivation machinery.

The diagrams ask SymPy to simplify the same expressions many times (the entries of harmonic blocks, channel
gaps, box terms shared by several diagrams). :func:`simplify` is :func:`sympy.simplify` with a per-process
cache keyed on the (immutable, hashable) expression: the result is the one SymPy returns for that
expression, computed once. Unhashable arguments (mutable matrices) go straight to SymPy.
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

__all__ = ["simplify"]


@lru_cache(maxsize=8192)
def _simplify(expr, options: tuple):
    return sp.simplify(expr, **dict(options))


def simplify(expr, **kwargs):
    """:func:`sympy.simplify` of ``expr``, cached per process for hashable (immutable) ``expr``.

    Parameters
    ----------
    expr : sympy.Basic
        The expression (a mutable matrix is passed to SymPy uncached).
    **kwargs
        Options of :func:`sympy.simplify` (part of the cache key).

    Returns
    -------
    sympy.Basic
        What ``sympy.simplify(expr, **kwargs)`` returns.

    Examples
    --------

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> simplify(sp.sin(x) ** 2 + sp.cos(x) ** 2)
    1
    """
    try:
        hash(expr)
    except TypeError:
        return sp.simplify(expr, **kwargs)
    return _simplify(expr, tuple(sorted(kwargs.items())))
