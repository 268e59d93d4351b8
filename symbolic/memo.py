r"""Memoised SymPy simplification for the derivation machinery.

The diagrams ask SymPy to simplify the same expressions many times (the entries of harmonic blocks, channel
gaps, box terms shared by several diagrams). :func:`simplify` is :func:`sympy.simplify` with a per-process
cache keyed on the (immutable, hashable) expression: the result is the one SymPy returns for that
expression, computed once. Unhashable arguments (mutable matrices) go straight to SymPy.

A monomial (a product of integer powers of symbols, :math:`\pi`, :math:`i` and a rational coefficient — most
of what the residues and angular averages produce) is already in the form ``sympy.simplify`` returns, so it is
returned as it is without calling SymPy (``tests/test_derive_diagrams_speed.py`` compares the two on the
monomials of the catalogue and on random ones). So is a linear form :math:`c_0 + \sum_k c_ks_k` in distinct
symbols with rational coefficients (the projected Born rates and rungs of the Dirac models;
``tests/test_dirac_derive_speed.py`` compares the two on random linear forms and on the catalogue's).
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

__all__ = ["simplify", "is_monomial", "is_linear_form"]


_MONOMIAL_ATOMS = (sp.Symbol, sp.Rational, type(sp.pi), type(sp.I))


def is_monomial(expr) -> bool:
    """True for a product of integer powers of symbols, ``pi``, ``I`` and a rational number (``simplify``'s fixed
    points: nothing to cancel, combine or factor)."""
    if isinstance(expr, _MONOMIAL_ATOMS):
        return True
    factors = expr.args if isinstance(expr, sp.Mul) else (expr,)
    for factor in factors:
        base, exponent = (factor.base, factor.exp) if isinstance(factor, sp.Pow) else (factor, sp.S.One)
        if not isinstance(exponent, sp.Integer) or not isinstance(base, _MONOMIAL_ATOMS):
            return False
    return True


def is_linear_form(expr) -> bool:
    """True for a sum ``c0 + c1*s1 + c2*s2 + ...`` of distinct symbols with rational coefficients (``simplify``'s
    fixed points: no common symbolic factor, and its rational content is not pulled out of a sum)."""
    if not isinstance(expr, sp.Add):
        return False
    for term in expr.args:
        if isinstance(term, (sp.Symbol, sp.Rational)):
            continue
        if not (isinstance(term, sp.Mul) and len(term.args) == 2 and isinstance(term.args[0], sp.Rational)
                and isinstance(term.args[1], sp.Symbol)):
            return False
    return True


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
    if not kwargs and isinstance(expr, sp.Expr) and (is_monomial(expr) or is_linear_form(expr)):
        return expr
    return _simplify(expr, tuple(sorted(kwargs.items())))
