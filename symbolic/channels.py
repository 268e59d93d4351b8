r"""Spin channels of the Diffuson and the Cooperon: names, gaps and weak-localization weights.

:func:`channels` is the public entry point (``mesocorr.channels``). Gaps come from
diagonalising the two-particle spin kernel (:func:`mesocorr.symbolic.spin.diagonalise`); the
weak-localization weight of a Cooperon channel comes from the exchange contraction
:math:`\sum_{\alpha\beta} C_{\alpha\beta,\beta\alpha}` of the maximally crossed diagram,
normalised by the spin trace (2):

.. math:: w_c = \tfrac12\langle c|P|c\rangle,

so that the singlet has :math:`w = -1/2`, each triplet :math:`+1/2`, and with no
spin-dependent scattering (all gaps equal) the weights sum to 1 — the spin-degenerate result
(``s = 2`` is carried by the conductivity prefactor).

Units: gaps are in the units of the rates you pass (1/s in the physical API; units of
:math:`D/L^2` in the UCF API). Conventions: ``docs/conventions.md`` ("Spin channels").

References
----------
.. [HLN80] S. Hikami, A. I. Larkin, Y. Nagaoka, Prog. Theor. Phys. 63, 707 (1980).
.. [AM07] E. Akkermans, G. Montambaux, *Mesoscopic Physics of Electrons and Photons*
   (CUP 2007), ch. 6 (spin-orbit and magnetic impurities).
"""

from __future__ import annotations

import numbers

import sympy as sp

from mesocorr.arguments import one_or_three, sympy_value
from mesocorr.diagrams.pair_kernel import spin_half_model
from mesocorr.symbolic.spin import diagonalise
from mesocorr.symbolic.printing import channel_label, latex

__all__ = ["Channel", "channels", "rate_components", "KINDS"]

KINDS = ("cooperon", "diffuson")


def _to_sympy(name: str, value, signed: bool = False) -> sp.Expr:
    """A rate (non-negative) or, with ``signed``, any real number or SymPy expression (a Zeeman component)."""
    if isinstance(value, sp.Basic):
        if value.is_number and (not value.is_real or (value.is_negative and not signed)):
            raise ValueError(f"{name}: rates must be real and non-negative, got {value}" if not signed
                             else f"{name}: must be real, got {value}")
        return value
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name}: expected a number or a SymPy expression, got a string (strings are never parsed)")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: expected a number or a SymPy expression, got {type(value).__name__}")
    x = float(value)
    if x != x or x in (float("inf"), float("-inf")):
        raise ValueError(f"{name}: must be finite, got {value!r}")
    if x < 0 and not signed:
        raise ValueError(f"{name}: rates must be non-negative, got {value!r}")
    if isinstance(value, numbers.Integral):
        return sp.Integer(int(value))
    return sp.Float(x)


def rate_components(name: str, value) -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    """Turn ``so``/``mag`` input into three component rates.

    A single number or expression is the isotropic *total* rate (each component gets one
    third); a sequence of three gives the x, y, z components.
    """
    rates = one_or_three(name, value, _to_sympy)
    if isinstance(rates, tuple):
        return rates
    third = rates / 3
    return (third, third, third)


class Channel:
    r"""A spin channel of a diffusive propagator: :math:`1/(Dq^2 - i\omega + \Gamma)`.

    Stores only its arguments (``kind``, ``name``, ``gap``, ``wl_weight``); everything else is a
    property. ``wl_weight`` is ``None`` for the Diffuson.
    """

    __slots__ = ("_args",)

    def __init__(self, kind: str, name: str, gap: sp.Expr, wl_weight: sp.Expr | None):
        if kind not in KINDS:
            raise ValueError(f"kind: must be 'cooperon' or 'diffuson', got {kind!r}")
        if not isinstance(name, str):
            raise TypeError(f"name: expected the channel name as a string, got {type(name).__name__}")
        self._args = (kind, name, sympy_value("gap", gap),
                      None if wl_weight is None else sympy_value("wl_weight", wl_weight))

    kind = property(lambda self: self._args[0], doc="'cooperon' or 'diffuson'")
    name = property(lambda self: self._args[1], doc="'singlet', 'triplet_x', 'triplet_y' or 'triplet_z'")
    gap = property(lambda self: self._args[2], doc="relaxation gap (rate) as a SymPy expression")
    wl_weight = property(lambda self: self._args[3], doc="weak-localization weight (Cooperon only)")

    @property
    def args(self) -> tuple:
        return self._args

    def __eq__(self, other):
        return isinstance(other, Channel) and self._args == other._args

    def __hash__(self):
        return hash(self._args)

    def __repr__(self):
        w = "" if self.wl_weight is None else f", wl_weight={self.wl_weight}"
        return f"Channel({self.kind!r}, {self.name!r}, gap={self.gap}{w})"

    def propagator(self, q=None, omega=None, D=None) -> sp.Expr:
        r"""The channel's propagator :math:`1/(Dq^2 - i\omega + \Gamma)` as a SymPy expression."""
        q = sp.Symbol("q", positive=True) if q is None else q
        omega = sp.Symbol("omega", real=True) if omega is None else omega
        D = sp.Symbol("D", positive=True) if D is None else D
        return 1 / (D * q**2 - sp.I * omega + self.gap)

    @property
    def symbol_latex(self) -> str:
        letter = "C" if self.kind == "cooperon" else "P"
        return rf"\Gamma^{{{letter}}}_{{{channel_label(self.name)}}}"

    def latex(self) -> str:
        """LaTeX of ``Γ = gap`` (with the weight for a Cooperon channel)."""
        s = f"{self.symbol_latex} = {latex(self.gap)}"
        if self.wl_weight is not None:
            s += rf",\quad w = {latex(self.wl_weight)}"
        return s

    def _latex(self, printer, *args, **kwargs) -> str:
        return self.latex()

    def _repr_latex_(self) -> str:
        return f"${self.latex()}$"


def zeeman_components(value) -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    """Zeeman input: one value = along z, three = x, y, z components of omega = g mu_B B / hbar."""
    w = one_or_three("zeeman", value, lambda n, v: _to_sympy(n, v, signed=True))
    return w if isinstance(w, tuple) else (sp.Integer(0), sp.Integer(0), w)


def channels(kind: str, so=0, mag=0, phi=0, zeeman=None) -> list[Channel]:
    r"""Spin channels of the Cooperon or the Diffuson with their gaps and WL weights.

    Parameters
    ----------
    kind : {"cooperon", "diffuson"}
    so, mag : number, SymPy expression, or three of them
        Spin-orbit and magnetic scattering rates: one value = isotropic *total* rate
        (:math:`1/\tau_{so} = \sum_i a_i`), three = x, y, z component rates :math:`a_i=1/\tau_{so}^i`.
    phi : number or SymPy expression
        Dephasing rate :math:`1/\tau_\phi`, added to every channel. (For the Diffuson that carries
        the average density use 0; a Diffuson pairing two different measurements, as in UCF, is
        dephased like the Cooperon.)
    zeeman : number, SymPy expression, or three of them, optional
        Zeeman vector :math:`\boldsymbol\omega = g\mu_B\mathbf B/\hbar` (a rate, same units; one value = along
        z; single-particle term :math:`(\hbar/2)\boldsymbol\omega\cdot\boldsymbol\sigma`). The engine
        (:mod:`mesocorr.diagrams.pair_kernel`) then mixes, in the Cooperon, the singlet with the triplet of
        zero projection along :math:`\boldsymbol\omega` (channels ``"singlet~triplet_z-"``/``"+"``: gaps
        :math:`\bar\Gamma\mp\sqrt{\Delta^2-\omega^2}`, complex above the exceptional point), in the Diffuson
        the two spin densities perpendicular to it (gaps :math:`\Gamma\mp i\omega`). ``ValueError`` exactly at
        an exceptional point (no eigenbasis; use ``mesocorr.zeeman`` for observables there).

    Returns
    -------
    list of Channel
        In the order singlet, triplet_x, triplet_y, triplet_z (without Zeeman); with Zeeman, the engine's
        blocks in channel-basis order. Gaps and weights may be complex.

    Examples
    --------
    >>> import sympy as sp
    >>> so, m = sp.symbols("Gamma_so Gamma_m", positive=True)
    >>> [str(c.gap) for c in channels("cooperon", so=so, mag=m)]
    ['2*Gamma_m', '2*Gamma_m/3 + 4*Gamma_so/3', '2*Gamma_m/3 + 4*Gamma_so/3', '2*Gamma_m/3 + 4*Gamma_so/3']
    >>> [c.wl_weight for c in channels("cooperon")]
    [-1/2, 1/2, 1/2, 1/2]
    """
    if kind not in KINDS:
        raise ValueError(f"kind: must be 'cooperon' or 'diffuson', got {kind!r}")
    a = rate_components("so", so)
    b = rate_components("mag", mag)
    phi = _to_sympy("phi", phi)
    if zeeman is not None:
        w = zeeman_components(zeeman)
        if any(x != 0 for x in w):
            spec = spin_half_model(a, b, zeeman=w).spectrum(kind)
            return [Channel(kind, c.name, sp.expand(c.gap + phi), c.weight if kind == "cooperon" else None)
                    for c in spec.channels]
    result = []
    for ch in diagonalise(kind, a, b):
        weight = sp.Rational(1, 2) * ch.exchange_parity if kind == "cooperon" else None
        result.append(Channel(kind, ch.name, sp.expand(ch.gap + phi), weight))
    return result
