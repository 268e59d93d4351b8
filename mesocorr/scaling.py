r"""Scaling theory of localization: β functions, flows, localization lengths, the 3D fixed point.

Convention: :math:`g = G/(e^2/h)` of a hypercube of side :math:`L`, both spin directions counted
(spin-degenerate electrons; Kramers pairs in the symplectic class), and
:math:`\beta(g) = d\ln g/d\ln L`. Length ratios are dimensionless (:math:`L/L_0`). The series and
their sources, and the conversion to other conventions (:math:`G/(2e^2/h)`, :math:`G/(e^2/\hbar)`,
the Evers–Mirlin coupling :math:`t = 1/(\pi g)`), live in :mod:`mesocorr.symbolic.beta`.

In 2D (``dim=2``):

.. math::

    \beta_O = -\frac{2}{\pi g} - \frac{12\zeta(3)}{\pi^4 g^4},\qquad
    \beta_U = -\frac{2}{\pi^2 g^2} - \frac{6}{\pi^4 g^4},\qquad
    \beta_S = \frac{1}{\pi g} - \frac{3\zeta(3)}{4\pi^4 g^4},

for :math:`d = 2+\epsilon` add :math:`\epsilon = d-2`; quasi-1D wire (``dim=1``):
:math:`\beta = -1 - (2/3)W/g` with :math:`W = 1, 0, -1/2` (O, U, S).

References
----------
.. [AALR79] E. Abrahams, P. W. Anderson, D. C. Licciardello, T. V. Ramakrishnan, PRL 42, 673 (1979).
.. [EM08] F. Evers, A. D. Mirlin, Rev. Mod. Phys. 80, 1355 (2008), Sec. II.
.. [Weg89] F. Wegner, Nucl. Phys. B 316, 663 (1989).
.. [Bee97] C. W. J. Beenakker, Rev. Mod. Phys. 69, 731 (1997), Sec. IV (localized regime of the
   DMPK equation: :math:`\xi = (\beta N + 2 - \beta)\,l`).
.. [SO14] K. Slevin, T. Ohtsuki, New J. Phys. 16, 015012 (2014) (3D orthogonal :math:`\nu = 1.571(4)`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache

import numpy as np

from mesocorr import arguments
from mesocorr.integrals.derived_constants import (
    BETA_2D,
    BETA_DYSON_INDEX,
    BETA_MAX_LOOPS,
    BETA_WIRE,
    monomial_float,
    monomial_mp,
)

__all__ = [
    "CLASSES", "beta_function", "beta_series", "beta_series_text", "flow", "FlowResult", "one_loop_flow", "leading_flow",
    "localization_length", "critical_point", "CriticalPoint", "nu_epsilon_expansion",
    "perturbative_limit", "MAX_DPS", "MAX_FLOW_POINTS",
]

#: the symmetry classes of :mod:`mesocorr.symbolic.beta` (stored; re-checked in the tests)
CLASSES = tuple(BETA_DYSON_INDEX)
#: largest ``dps`` of :func:`beta_function` (a Horner sum: 10^4 values at 1000 digits take well under a second)
MAX_DPS = 1000
#: most ``(g0, L_over_L0)`` points one :func:`flow` call integrates (~10 ms each: 10^3 points ~ 10 s)
MAX_FLOW_POINTS = 1000


def nu_epsilon_expansion(symmetry_class: str = "orthogonal"):
    """The ε-expansion of the localization-length exponent :math:`\\nu` (SymPy, imported on use).

    Computed by :func:`mesocorr.symbolic.beta.nu_epsilon_expansion` from the four-loop β function of the
    class (Wegner 1989; Hikami 1992; via Evers & Mirlin, RMP 80, 1355 (2008)).

    Parameters
    ----------
    symmetry_class : {"orthogonal", "unitary", "symplectic"}
        Wigner-Dyson class.

    Returns
    -------
    sympy.Expr or None
        :math:`\\nu(\\epsilon)`, :math:`d = 2 + \\epsilon`, or ``None`` where the class has no fixed point
        in the series.

    Examples
    --------
    >>> nu_epsilon_expansion("orthogonal")
    -9*epsilon**2*zeta(3)/4 + 1/epsilon
    """
    from mesocorr.symbolic import beta as sb

    return sb.nu_epsilon_expansion(symmetry_class)


def _check_loops(loops, dim) -> int:
    top = BETA_MAX_LOOPS[1] if dim == 1 else BETA_MAX_LOOPS[2]
    if loops is None:
        return top
    if loops < 0:
        raise ValueError(f"loops: must be >= 0, got {loops}")
    if loops > top:
        where = "quasi-1D (dim=1)" if dim == 1 else "d >= 2"
        raise ValueError(f"loops: highest known/implemented order for {where} is {top}, got {loops}")
    return loops


def _dim(dim):
    """Validate ``dim``: 1 (quasi-1D) or a real >= 2; return int when integral."""
    d = arguments.as_real("dim", dim)
    if d != 1 and d < 2:
        raise ValueError(f"dim: must be 1 (quasi-1D wire) or a real number >= 2 (d = 2 + epsilon), got {dim!r}")
    return int(d) if d == int(d) else d


def _args(symmetry_class, dim, loops):
    key = (type(symmetry_class), symmetry_class, type(dim), dim, type(loops), loops)
    try:
        return _CHECKED_ARGS[key]       # plain (str, int/float, int/None) triples already checked: cached
    except (KeyError, TypeError):       # TypeError: unhashable input, checked below (and refused there)
        pass
    checked = _check_args(symmetry_class, dim, loops)
    if (type(symmetry_class) is str and type(dim) in (int, float) and (loops is None or type(loops) is int)
            and len(_CHECKED_ARGS) < 256):
        _CHECKED_ARGS[key] = checked
    return checked


#: ``_args`` results of plain Python inputs (the key holds the types: True == 1 but bool is refused, never cached)
_CHECKED_ARGS: dict = {}


def _check_args(symmetry_class, dim, loops):
    arguments.choice("symmetry_class", symmetry_class, CLASSES)
    d = _dim(dim)
    if loops is not None and (isinstance(loops, bool) or not isinstance(loops, (int, np.integer))):
        raise TypeError(f"loops: expected an integer or None, got {loops!r}")
    loops = None if loops is None else int(loops)
    _check_loops(loops, 1 if d == 1 else 2)
    return symmetry_class, d, loops


@cache
def _exact_coefficients(symmetry_class, dim, loops):
    """The SymPy coefficients of :func:`mesocorr.symbolic.beta.beta_coefficients` (symbolic route)."""
    from mesocorr.symbolic import beta as sb

    dim_sym = dim if isinstance(dim, int) else arguments.as_rational("dim", dim)
    c0, cs = sb.beta_coefficients(symmetry_class, dim_sym, loops)
    return c0, tuple(cs)


def _stored_terms(symmetry_class, dim, loops) -> tuple:
    """The stored monomials c_1..c_loops (``derived_constants.BETA_2D`` / ``BETA_WIRE``)."""
    n = _check_loops(loops, 1 if dim == 1 else 2)
    if dim == 1:
        return ((BETA_WIRE[symmetry_class], 0, 0),)[:n]
    return BETA_2D[symmetry_class][:n]


@cache
def _float_coefficients(symmetry_class, dim, loops):
    """``(c0, cs)`` float64 from the stored exact coefficients (no SymPy): c0 = d - 2 (-1 quasi-1D)."""
    c0 = -1.0 if dim == 1 else float(arguments.as_fraction("dim", dim) - 2)
    return c0, tuple(monomial_float(m) for m in _stored_terms(symmetry_class, dim, loops))


@cache
def _mp_coefficients(symmetry_class, dim, loops, digits):
    """``(c0, cs)`` as mpmath numbers with ``digits`` significant digits (exact rationals, pi, zeta(3))."""
    import mpmath

    with mpmath.workdps(digits):
        f = -1 if dim == 1 else arguments.as_fraction("dim", dim) - 2
        c0 = mpmath.mpf(f.numerator) / f.denominator if dim != 1 else mpmath.mpf(-1)
        return c0, tuple(monomial_mp(m) for m in _stored_terms(symmetry_class, dim, loops))


def _ohmic_exponent(d) -> float:
    """Classical scaling g ~ L^(d-2) (quasi-1D wire: g ~ 1/L)."""
    return -1.0 if d == 1 else d - 2.0


def _quantum_ratio(r: float, lphi: float | None) -> float:
    """L/L0 up to which the quantum flow runs: L itself, or L_phi when that is shorter (and >= L0)."""
    return r if lphi is None else (min(r, lphi) if lphi >= 1 else 1.0)


def beta_series(symmetry_class: str = "orthogonal", dim=2, loops: int | None = None):
    """The β function as an exact SymPy expression in ``mesocorr.symbolic.beta.g``.

    Parameters
    ----------
    symmetry_class : {"orthogonal", "unitary", "symplectic"}
        Wigner-Dyson class (β = 1, 2, 4).
    dim : 1, or a real number >= 2
        1 = quasi-1D wire (leading DMPK form), :math:`d \\ge 2` = the :math:`2 + \\epsilon` series.
    loops : int, optional
        Truncation order; ``None`` = highest known (4 for d >= 2, 1 for the wire).

    Returns
    -------
    sympy.Expr
        :math:`\\beta(g)` with :math:`g = G/(e^2/h)` counting both spins (exact: :math:`\\pi`, :math:`\\zeta(3)`).

    Examples
    --------
    >>> beta_series("orthogonal", 2)
    -2/(pi*g) - 12*zeta(3)/(pi**4*g**4)
    >>> beta_series("unitary", 3, loops=2)
    1 - 2/(pi**2*g**2)
    """
    from mesocorr.symbolic import beta as sb

    symmetry_class, d, loops = _args(symmetry_class, dim, loops)
    return sb.beta_g(symmetry_class, d if isinstance(d, int) else arguments.as_rational("dim", d), loops)


def _monomial_text(m, n: int) -> tuple[str, str]:
    """``(sign, text)`` of the term ``q pi^p zeta(3)^z / g^n`` (p <= 0) as SymPy's ``str`` prints it."""
    q, p, z = m
    top = [] if abs(q.numerator) == 1 and z else [str(abs(q.numerator))]
    top += ["zeta(3)" if z == 1 else f"zeta(3)**{z}"] if z else []
    bottom = [str(q.denominator)] if q.denominator != 1 else []
    bottom += ([] if p == 0 else ["pi" if p == -1 else f"pi**{-p}"])
    bottom += ([] if n == 0 else ["g" if n == 1 else f"g**{n}"])
    text = "*".join(top)
    if bottom:
        text += "/" + (bottom[0] if len(bottom) == 1 else "(" + "*".join(bottom) + ")")
    return ("-" if q < 0 else "+"), text


def beta_series_text(symmetry_class: str = "orthogonal", dim=2, loops: int | None = None) -> str:
    """:func:`beta_series` as text, from the stored exact coefficients without SymPy (what ``mesocorr beta`` prints).

    The same string as ``str(beta_series(...))`` (SymPy's order: the constant :math:`d-2`, then ascending powers of
    :math:`1/g`); a test compares the two for every class, dimension and loop order.

    Parameters
    ----------
    symmetry_class : {"orthogonal", "unitary", "symplectic"}
        Wigner-Dyson class (β = 1, 2, 4).
    dim : 1, or a real number >= 2
        As in :func:`beta_series`.
    loops : int, optional
        Highest loop order (default: all known).

    Returns
    -------
    str
        The series in :math:`g`, as ``str(beta_series(...))`` prints it.

    Examples
    --------
    >>> beta_series_text("orthogonal", 2)
    '-2/(pi*g) - 12*zeta(3)/(pi**4*g**4)'
    >>> beta_series_text("symplectic", 1)
    '-1 + 1/(3*g)'
    """
    symmetry_class, d, loops = _args(symmetry_class, dim, loops)
    c0 = Fraction(-1) if d == 1 else arguments.as_fraction("dim", d) - 2
    terms = [("-" if c0 < 0 else "+", str(abs(c0)))] if c0 else []
    terms += [_monomial_text(m, n) for n, m in enumerate(_stored_terms(symmetry_class, d, loops), 1) if m[0]]
    if not terms:
        return "0"
    head = ("-" if terms[0][0] == "-" else "") + terms[0][1]
    return head + "".join(f" {sign} {text}" for sign, text in terms[1:])


@arguments.float64_range
def beta_function(g, symmetry_class: str = "orthogonal", dim=2, loops: int | None = None, *,
                  dps: int | None = None):
    r"""Perturbative :math:`\beta(g) = d\ln g/d\ln L` (dimensionless).

    .. math:: \beta(g) = c_0 + \sum_{n=1}^{\rm loops} c_n g^{-n},

    :math:`c_0 = d-2` (:math:`-1` for the quasi-1D wire), :math:`c_n` exact (SymPy) from
    :func:`mesocorr.symbolic.beta.beta_g`; evaluated by Horner's rule in :math:`1/g` (no
    cancellation beyond that of the sum itself).

    Parameters
    ----------
    g : float or array_like
        Conductance :math:`G/(e^2/h)`, both spins counted; must be > 0 (arrays broadcast, any shape).
        The series is asymptotic: meaningful for :math:`g \gg 1`.
    symmetry_class : {"orthogonal", "unitary", "symplectic"}
    dim : 1, or a real number >= 2
        1 = quasi-1D wire (leading DMPK form, ``loops <= 1``); :math:`d \ge 2` = σ-model
        :math:`2+\epsilon` series (``loops <= 4``).
    loops : int, optional
        Truncation order; ``None`` = highest known.
    dps : int, optional
        If given, evaluate with mpmath at this many digits (1 to :data:`~mesocorr.scaling.MAX_DPS`) and return an ``mpf``
        (nested lists of ``mpf`` for array ``g``); ``g`` is read exactly (floats as the decimal they print as).

    Returns
    -------
    float, numpy.ndarray, mpf or nested lists of mpf
        The shape of ``g``. ``ValueError`` (naming ``g``) where the float64 series overflows (``g`` ≲ 1e-77).

    Examples
    --------
    >>> round(beta_function(10.0), 12)
    -0.063676785591
    >>> beta_function(10.0, "unitary", 3, loops=2) == 1 - 2 / (math.pi**2 * 100)
    True
    """
    symmetry_class, d, loops = _args(symmetry_class, dim, loops)
    if dps is not None:
        import mpmath

        dps = arguments.integer("dps", dps, 1, MAX_DPS)
        gx = arguments.exact_values("g", g, "positive")
        n = 1 if isinstance(gx, Fraction) else gx.size
        arguments.check_work("dps", n * (2e-5 + 5e-5 * (dps / 100) ** 1.6), 20.0, f"{n} value(s) at {dps} digits")
        c0, cs = _mp_coefficients(symmetry_class, d, loops, dps + 10)
        values = []
        for q in ([gx] if n == 1 and not isinstance(gx, np.ndarray) else gx.reshape(-1)):
            with mpmath.workdps(dps + 10):
                x = mpmath.mpf(q.denominator) / q.numerator        # 1/g exactly rounded
                acc = mpmath.mpf(0)
                for c in reversed(cs):
                    acc = (acc + c) * x
                val = c0 + acc
            with mpmath.workdps(dps):
                values.append(+val)  # rounded to dps digits; the mpf keeps them outside the context
        if not isinstance(gx, np.ndarray):
            return values[0]
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return out.reshape(gx.shape).tolist()
    c0, cs = _float_coefficients(symmetry_class, d, loops)
    arr = np.asarray(arguments.real_values("g", g, "positive"), dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        x = 1.0 / arr
        acc = np.zeros_like(x)
        for c in reversed(cs):
            acc = (acc + c) * x
        out = c0 + acc
    arguments.check_finite_result("g", out, "the series in 1/g overflows for g << 1, where it is meaningless; "
                                            "use dps= for the number anyway")
    return float(out) if out.ndim == 0 else out


@dataclass(frozen=True)
class FlowResult:
    """Result of :func:`flow`: ``g`` at ``L/L0``, an error estimate, and the sampled path."""

    g: float
    error_estimate: float
    L_over_L0: float
    symmetry_class: str
    dim: float
    loops: int
    L_phi_over_L0: float | None = None
    g_at_L_phi: float | None = None
    path_L_over_L0: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False)
    path_g: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False)

    def as_dict(self) -> dict:
        return {"g": self.g, "error_estimate": self.error_estimate, "L_over_L0": self.L_over_L0,
                "symmetry_class": self.symmetry_class, "dim": self.dim, "loops": self.loops,
                "L_phi_over_L0": self.L_phi_over_L0, "g_at_L_phi": self.g_at_L_phi}


def _integrate(g0, x_end, c0, cs, rtol, n_samples=0, raise_on_zero=True, dense=False):
    """Integrate dg/dx = g beta(g) = c0 g + sum_n c_n g^(1-n), x = ln(L/L0); raise on g -> 0."""
    from scipy.integrate import solve_ivp

    def rhs(_x, y):
        gg = y[0]
        inv = 1.0 / gg
        acc = 0.0
        for c in reversed(cs):
            acc = (acc + c) * inv
        return [gg * (c0 + acc)]

    g_floor = 1e-3 * min(1.0, g0)

    def hits_zero(_x, y):
        return y[0] - g_floor

    hits_zero.terminal = True
    t_eval = np.linspace(0.0, x_end, n_samples) if n_samples else None
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        sol = solve_ivp(rhs, (0.0, x_end), [g0], method="DOP853", rtol=rtol, atol=1e-300, events=hits_zero,
                        t_eval=t_eval, dense_output=dense)
    if raise_on_zero and (sol.status == 1 or (sol.t_events is not None and len(sol.t_events[0]))):
        x_loc = float(sol.t_events[0][0])
        raise ValueError(f"L_over_L0: the flow runs to g -> 0 near L/L0 = {math.exp(x_loc):.6g} "
                         f"(localized; the perturbative beta function is meaningless there)")
    if not sol.success and raise_on_zero and sol.y.shape[1] and sol.y[0][-1] < 0.1 * min(1.0, g0):
        # the higher-loop terms ~ 1/g^3 make dg/dx blow up as g -> 0: the step size collapses first
        raise ValueError(f"L_over_L0: the flow runs to g -> 0 near L/L0 = {math.exp(sol.t[-1]):.6g} "
                         f"(localized; the perturbative beta function is meaningless there)")
    if not sol.success or not np.all(np.isfinite(sol.y)):
        # only extreme input gets here (g growing beyond float64 for d >> 2 over many decades of L)
        raise ValueError(f"L_over_L0: the flow cannot be integrated in float64 from g0 = {g0:.6g} to "
                         f"L/L0 = e^{x_end:.6g} ({sol.message}); g leaves the float64 range")
    return sol


@arguments.float64_range
def flow(g0, L_over_L0, symmetry_class: str = "orthogonal", dim=2, loops: int | None = None, *,
         L_phi_over_L0: float | None = None, rtol: float = 1e-12, full_output: bool = False):
    r"""Integrate :math:`d\ln g/d\ln L = \beta(g)` from :math:`g(L_0) = g_0` to :math:`L`.

    SciPy ``solve_ivp`` (DOP853) in :math:`x = \ln(L/L_0)` on :math:`dg/dx = g\,\beta(g)`. The error
    estimate is the difference to a second run with ``rtol/100`` (floored at 2.5e-14); if it exceeds ``100*rtol*|g|``
    a ``ValueError`` is raised (never an unconverged number). At one loop the equation :math:`dg/dx = c_0 g + c_1`
    is linear and is solved in closed form instead, :math:`g = g_0 e^{c_0 x} + c_1 x\,(e^{c_0 x} - 1)/(c_0 x)`
    (``expm1``; error estimate a few ulp), with the same refusals as the integrator. The flow raising
    ``ValueError`` when :math:`g\to0`: the perturbative β has no meaning in the localized regime.

    Dephasing: with ``L_phi_over_L0`` the quantum flow stops at :math:`L_\phi` and beyond it the
    conductance is Ohmic, :math:`g(L) = g(L_\phi)(L/L_\phi)^{d-2}` (quasi-1D: :math:`d-2 = -1`).
    This sharp crossover reproduces the one-loop WL result with :math:`\ln L \to \ln L_\phi`; a
    smooth crossover is beyond single-parameter scaling.

    Parameters
    ----------
    g0 : float or array_like
        :math:`g(L_0) > 0`, :math:`G/(e^2/h)` with both spins. Arrays (with ``L_over_L0``) broadcast;
        at most :data:`~mesocorr.scaling.MAX_FLOW_POINTS` points per call; then ``full_output`` must be False.
    L_over_L0 : float or array_like
        :math:`L/L_0 > 0` (values < 1 flow backwards).
    symmetry_class, dim, loops
        As in :func:`beta_function`.
    L_phi_over_L0 : float, optional
        :math:`L_\phi/L_0 > 0`.
    rtol : float
        Relative tolerance of the integration (>= 1e-13).
    full_output : bool
        Return a :class:`~mesocorr.scaling.FlowResult` instead of the float ``g``.

    Returns
    -------
    float, numpy.ndarray or FlowResult
        :math:`g(L)` (the broadcast shape of ``g0`` and ``L_over_L0``), or with ``full_output`` a
        ``FlowResult`` with ``g``, ``error_estimate`` and the sampled path.

    Examples
    --------
    >>> g = flow(20.0, 100.0, loops=1)
    >>> abs(g - (20 - 2 / math.pi * math.log(100))) < 1e-10
    True
    """
    symmetry_class, d, loops = _args(symmetry_class, dim, loops)
    full_output = arguments.boolean("full_output", full_output)
    rtol = arguments.positive("rtol", rtol)
    if rtol < 1e-13:
        raise ValueError(f"rtol: must be >= 1e-13, got {rtol!r}")
    lphi = None if L_phi_over_L0 is None else arguments.positive("L_phi_over_L0", L_phi_over_L0)
    if type(g0) in (float, int) and type(L_over_L0) in (float, int):   # one point: no array machinery
        return _flow_point(arguments.positive("g0", g0), arguments.positive("L_over_L0", L_over_L0), symmetry_class,
                           d, loops, lphi, rtol, full_output)
    g0v = arguments.real_values("g0", g0, "positive")
    rv = arguments.real_values("L_over_L0", L_over_L0, "positive")
    shape = arguments.broadcast_shape("g0", g0v, rv)
    if shape == ():
        return _flow_point(g0v, rv, symmetry_class, d, loops, lphi, rtol, full_output)
    if full_output:
        raise TypeError("full_output: the sampled path is returned for one (g0, L_over_L0) point; pass numbers")
    n = math.prod(shape)
    if n > MAX_FLOW_POINTS:
        raise ValueError(f"g0: {n} flow points exceed the cap of {MAX_FLOW_POINTS} per call (~10 ms each)")
    g_b, r_b = np.broadcast_to(g0v, shape), np.broadcast_to(rv, shape)
    out = np.empty(shape)
    for index in np.ndindex(*shape):
        out[index] = _flow_point(float(g_b[index]), float(r_b[index]), symmetry_class, d, loops, lphi, rtol, False)
    return out


def _ohmic_continuation(g_q: float, ratio: float, exponent: float, name: str) -> float:
    """g_q (L/L_q)^exponent, or ValueError naming ``name`` when it leaves the float64 range."""
    try:
        value = g_q * ratio**exponent
    except OverflowError:
        value = math.inf
    if not math.isfinite(value):
        raise ValueError(f"{name}: the Ohmic continuation g (L/L_phi)^(d-2) leaves the float64 range")
    return value


def _linear_flow(g0, x, c0, c1):
    """One loop, dg/dx = c0 g + c1 solved: g0 e^(c0 x) + c1 x (e^(c0 x) - 1)/(c0 x) (numbers or arrays)."""
    k = c0 * x
    with np.errstate(invalid="ignore", over="ignore"):
        rel = np.where(k == 0, 1.0, np.expm1(k) / np.where(k == 0, 1.0, k))
        return g0 * np.exp(k) + c1 * x * rel


def _one_loop_point(g0, x_end, c0, c1):
    """(g, error estimate) at x_end = ln(L/L0) by the closed form, with the ODE route's refusals: g below the floor
    1e-3 min(1, g0) (localized) or outside float64 raises ``ValueError`` naming ``L_over_L0``."""
    k = c0 * x_end
    try:
        grown = g0 * math.exp(k)
        g = grown + c1 * x_end * (1.0 if k == 0 else math.expm1(k) / k)
    except OverflowError:
        grown = g = math.inf
    if not math.isfinite(g):
        raise ValueError(f"L_over_L0: the flow cannot be integrated in float64 from g0 = {g0:.6g} to "
                         f"L/L0 = e^{x_end:.6g}; g leaves the float64 range")
    floor = 1e-3 * min(1.0, g0)
    if g < floor:
        star = -c1 / c0 if c0 else None   # where g = floor: the fixed point g* = -c1/c0, or a straight line (c0 = 0)
        try:
            x_loc = (floor - g0) / c1 if star is None else math.log((floor - star) / (g0 - star)) / c0
            where = math.exp(x_loc)
        except (ValueError, ZeroDivisionError, OverflowError):
            where = math.exp(x_end)
        raise ValueError(f"L_over_L0: the flow runs to g -> 0 near L/L0 = {where:.6g} "
                         f"(localized; the perturbative beta function is meaningless there)")
    # rounding of exp, expm1 and three products/sums: a few ulp of the larger term
    err = 4 * 2.220446049250313e-16 * max(abs(g), abs(grown))
    return g, err


def _flow_point(g0, r, symmetry_class, d, loops, lphi, rtol, full_output):
    c0, cs = _float_coefficients(symmetry_class, d, loops)
    ohmic = _ohmic_exponent(d)
    r_quantum = _quantum_ratio(r, lphi)
    x_end = math.log(r_quantum)
    if full_output:
        path_x, path_g = np.array([0.0]), np.array([g0])
    if len(cs) <= 1 and x_end != 0.0:   # one loop (or none): the linear ODE in closed form, not integrated
        g_q, err = _one_loop_point(g0, x_end, c0, cs[0] if cs else 0.0)
        if full_output:
            path_x = np.linspace(0.0, x_end, 200)
            path_g = _linear_flow(g0, path_x, c0, cs[0] if cs else 0.0)
    elif x_end == 0.0:
        g_q, err = g0, 0.0
    else:
        fine = _integrate(g0, x_end, c0, cs, max(rtol / 100, 2.5e-14))
        coarse = _integrate(g0, x_end, c0, cs, rtol, dense=full_output)  # its interpolant is the sampled path
        if full_output:
            path_x = np.linspace(0.0, x_end, 200)
            path_g = coarse.sol(path_x)[0]
        g_q = float(fine.y[0][-1])
        err = abs(g_q - float(coarse.y[0][-1]))
        if err > 100 * rtol * abs(g_q):
            raise ValueError(f"rtol: the flow did not converge (error estimate {err:.3g} at g = {g_q:.6g}); "
                             "the integration is too stiff for this tolerance")
    g_end = _ohmic_continuation(g_q, r / r_quantum, ohmic, "L_over_L0")
    if not full_output:
        return g_end
    err = _ohmic_continuation(err, r / r_quantum, ohmic, "L_over_L0")
    return FlowResult(g=g_end, error_estimate=err, L_over_L0=r, symmetry_class=symmetry_class, dim=d,
                      loops=_check_loops(loops, 1 if d == 1 else 2), L_phi_over_L0=lphi,
                      g_at_L_phi=g_q if lphi is not None else None,
                      path_L_over_L0=np.exp(path_x), path_g=path_g)


def _leading(symmetry_class, d):
    """(order n, c0, c_n) of the leading non-vanishing quantum term."""
    top = 1 if d == 1 else 2
    for n in range(1, top + 1):
        c0, cs = _float_coefficients(symmetry_class, d, n)
        if cs[n - 1] != 0.0:
            return n, c0, cs[n - 1]
    c0, _ = _float_coefficients(symmetry_class, d, 1)
    return 1, c0, 0.0


@arguments.float64_range
def leading_flow(g0, L_over_L0, symmetry_class: str = "orthogonal", dim=2, *,
                 L_phi_over_L0: float | None = None) -> float:
    r"""Closed-form flow keeping the leading quantum term (one loop; two loops for the unitary class).

    With :math:`\beta = \epsilon + c_n g^{-n}` (:math:`\epsilon = d-2`, or :math:`-1` quasi-1D),
    :math:`y = g^n` obeys :math:`dy/dx = n\epsilon y + n c_n`, so

    .. math:: g^n(L) = g_0^n\, r^{n\epsilon} + n c_n \ln r\;\frac{r^{n\epsilon}-1}{n\epsilon\ln r},
              \qquad r = L/L_0

    (the last factor → 1 as :math:`\epsilon\to0`; computed with ``expm1``). 2D orthogonal:
    :math:`g = g_0 - (2/\pi)\ln r`; 2D symplectic :math:`g_0 + (1/\pi)\ln r`; 2D unitary
    :math:`g^2 = g_0^2 - (4/\pi^2)\ln r`. Same ``L_phi_over_L0`` crossover as :func:`flow`.
    Raises ``ValueError`` if :math:`g` reaches 0.

    Parameters
    ----------
    g0 : float
        :math:`g(L_0) > 0`, :math:`G/(e^2/h)` with both spins.
    L_over_L0 : float
        :math:`L/L_0 > 0`.
    symmetry_class : {"orthogonal", "unitary", "symplectic"}
        Wigner-Dyson class.
    dim : 1, or a real number >= 2
        As in :func:`beta_function`.
    L_phi_over_L0 : float, optional
        Stop the quantum flow at :math:`L_\phi` (Ohmic beyond).

    Returns
    -------
    float
        :math:`g(L)`.

    Examples
    --------
    >>> round(leading_flow(5.0, 1e3, "unitary"), 10)     # sqrt(25 - (4/pi^2) ln 1000)
    4.7117292192
    """
    arguments.choice("symmetry_class", symmetry_class, CLASSES)
    d = _dim(dim)
    n, c0, cn = _leading(symmetry_class, d)
    return _closed_form_flow(g0, L_over_L0, L_phi_over_L0, d, n, c0, cn, "leading-order")


def _closed_form_flow(g0, L_over_L0, L_phi_over_L0, d, n, c0, cn, order: str) -> float:
    """g(L) from beta = c0 + cn g^(-n): y = g^n obeys dy/dx = n c0 y + n cn (see :func:`leading_flow`)."""
    g0 = arguments.positive("g0", g0)
    r = arguments.positive("L_over_L0", L_over_L0)
    lphi = None if L_phi_over_L0 is None else arguments.positive("L_phi_over_L0", L_phi_over_L0)
    r_q = _quantum_ratio(r, lphi)
    x = math.log(r_q)
    k = n * c0 * x
    try:
        rel = 1.0 if k == 0 else math.expm1(k) / k
        y = g0**n * math.exp(k) + n * cn * x * rel
    except OverflowError:
        y = math.inf
    if not math.isfinite(y):
        raise ValueError(f"L_over_L0: the {order} flow leaves the float64 range (g0 = {g0:.6g}, L/L0 = {r_q:.6g})")
    if y <= 0:
        raise ValueError(f"L_over_L0: the {order} flow reaches g = 0 before L/L0 = {r_q:.6g} (localized)")
    return _ohmic_continuation(y ** (1.0 / n), r / r_q, _ohmic_exponent(d), "L_over_L0")


@arguments.float64_range
def one_loop_flow(g0, L_over_L0, symmetry_class: str = "orthogonal", dim=2, *,
                  L_phi_over_L0: float | None = None) -> float:
    r"""Closed-form one-loop flow :math:`g = g_0 r^\epsilon + c_1\ln r\,(r^\epsilon-1)/(\epsilon\ln r)`.

    2D: :math:`g(L) = g_0 + c_1\ln(L/L_0)` with :math:`c_1 = -2/\pi` (O), 0 (U), :math:`+1/\pi` (S).
    :math:`d = 2+\epsilon`: :math:`g = g_c + (g_0 - g_c)(L/L_0)^\epsilon`, :math:`g_c = -c_1/\epsilon`.

    Parameters
    ----------
    g0 : float
        :math:`g(L_0) > 0`, :math:`G/(e^2/h)` with both spins.
    L_over_L0 : float
        :math:`L/L_0 > 0`.
    symmetry_class : {"orthogonal", "unitary", "symplectic"}
        Wigner-Dyson class.
    dim : 1, or a real number >= 2
        As in :func:`beta_function`.
    L_phi_over_L0 : float, optional
        Stop the quantum flow at :math:`L_\phi` (Ohmic beyond), as in :func:`flow`.

    Returns
    -------
    float
        :math:`g(L)`. ``ValueError`` if the flow reaches :math:`g = 0`.

    Examples
    --------
    >>> round(one_loop_flow(20.0, 100.0), 10)            # 20 - (2/pi) ln 100
    17.0682576045
    >>> round(one_loop_flow(20.0, 100.0, "symplectic"), 10)
    21.4658711978
    """
    arguments.choice("symmetry_class", symmetry_class, CLASSES)
    d = _dim(dim)
    c0, (c1,) = _float_coefficients(symmetry_class, d, 1)
    return _closed_form_flow(g0, L_over_L0, L_phi_over_L0, d, 1, c0, c1, "one-loop")


@arguments.float64_range
def localization_length(g0, symmetry_class: str = "orthogonal", dim=2, *, mean_free_path: float = 1.0,
                        channels: int | None = None) -> float:
    r"""Localization length, in the units of ``mean_free_path``.

    * ``dim=1`` (quasi-1D wire, :math:`N` channels): :math:`\xi = (\beta N + 2 - \beta)\,l` with
      :math:`\beta` the Dyson index (1, 2, 4) and :math:`l` the DMPK mean free path
      (:math:`\langle G\rangle/G_0 = Nl/L`) [Bee97]_ Sec. IV; ``g0`` is not used (pass the Drude
      :math:`g` at :math:`L = l`, any positive value). For :math:`\beta = 4`, :math:`N` counts
      Kramers-degenerate channels.
    * ``dim=2`` and :math:`d > 2`: the length at which the leading-order closed-form flow
      (:func:`leading_flow`, started at :math:`L_0 = l` with :math:`g(l) = g_0`) reaches
      :math:`g = 0`. 2D orthogonal: :math:`\xi = l\,e^{\pi g_0/2}` (with :math:`g_0 = k_F l` this
      is the classic :math:`l\,e^{\pi k_F l/2}`); 2D unitary: :math:`\xi = l\,e^{\pi^2 g_0^2/4}`;
      :math:`d = 2+\epsilon` orthogonal: :math:`\xi = l\,[g_c/(g_c-g_0)]^{1/\epsilon}` for
      :math:`g_0 < g_c = 2/(\pi\epsilon)`. The criterion :math:`g(\xi) = 0` fixes the
      :math:`O(1)` factor in the exponent by convention (``g(ξ) = 1`` would shift
      :math:`g_0 \to g_0 - 1`).

    Raises ``ValueError`` when the flow does not localize (symplectic class for :math:`d\ge2`,
    :math:`g_0 \ge g_c` in :math:`d > 2`).

    Parameters
    ----------
    g0 : float
        :math:`g(l) > 0`, :math:`G/(e^2/h)` with both spins (unused for ``dim=1``).
    symmetry_class : {"orthogonal", "unitary", "symplectic"}
        Wigner-Dyson class.
    dim : 1, or a real number >= 2
        As in :func:`beta_function`.
    mean_free_path : float
        :math:`l`, the unit of the result (default 1).
    channels : int, optional
        :math:`N`, required for ``dim=1``.

    Returns
    -------
    float
        :math:`\xi` in the units of ``mean_free_path``.

    Examples
    --------
    >>> round(localization_length(8.0, "orthogonal", dim=2), 4)      # exp(4 pi)
    286751.3131
    >>> localization_length(1.0, "orthogonal", dim=1, channels=10)   # (N + 1) l
    11.0

    References
    ----------
    .. [Bee97] C. W. J. Beenakker, Rev. Mod. Phys. 69, 731 (1997), Sec. IV.
    """
    arguments.choice("symmetry_class", symmetry_class, CLASSES)
    d = _dim(dim)
    g0 = arguments.positive("g0", g0)
    l = arguments.positive("mean_free_path", mean_free_path)
    if d == 1:
        if channels is None:
            raise ValueError("channels: the quasi-1D localization length xi = (beta N + 2 - beta) l needs N")
        N = arguments.integer("channels", channels, 1)
        b = BETA_DYSON_INDEX[symmetry_class]
        xi = (b * N + 2 - b) * l
        arguments.check_finite_result("mean_free_path", xi)
        return xi
    n, c0, cn = _leading(symmetry_class, d)
    if cn >= 0:
        raise ValueError(f"symmetry_class: the {symmetry_class} flow in d = {d} does not localize "
                         "(antilocalization; any 2D symplectic transition is non-perturbative)")
    try:
        y0 = g0**n
    except OverflowError:
        y0 = math.inf
    eps = c0
    if eps == 0:
        x = -y0 / (n * cn)
    else:
        ratio = cn / (eps * y0 + cn)
        if ratio <= 0 or math.log(ratio) / (n * eps) <= 0:
            raise ValueError(f"g0: g0 = {g0} is on the metallic side of the fixed point g_c = "
                             f"{(-cn / eps) ** (1 / n):.6g}; no localization length")
        x = math.log(ratio) / (n * eps)
    log_xi = math.log(l) + x
    if not log_xi < 709.78:
        raise ValueError(f"g0: the localization length l exp({x:.6g}) exceeds the float64 range "
                         f"(ln(xi/m) = {log_xi:.6g}); g0 = {g0:.6g} is far in the metallic regime")
    return math.exp(log_xi)


@dataclass(frozen=True)
class CriticalPoint:
    r"""Fixed point :math:`\beta(g_c) = 0` of the truncated series and :math:`\nu = 1/[d\beta/d\ln g]_{g_c}`."""

    g_c: float
    nu: float
    symmetry_class: str
    dim: float
    loops: int
    nu_series: object          # SymPy expression in epsilon, or None (no epsilon expansion for the class)
    nu_series_value: float | None
    note: str


@arguments.float64_range
def critical_point(symmetry_class: str = "orthogonal", dim=3, loops: int | None = None) -> CriticalPoint:
    r"""Metal–insulator fixed point of the truncated :math:`2+\epsilon` series, and :math:`\nu`.

    Root :math:`g_c > 0` of :math:`\beta(g) = 0` (mpmath ``polyroots`` of the polynomial in :math:`1/g`,
    40 digits) and :math:`\nu = 1/y`, :math:`y = d\beta/d\ln g|_{g_c}`; also the ε-expansion
    (:func:`nu_epsilon_expansion`) evaluated at :math:`\epsilon = d-2`. One loop, orthogonal:
    :math:`g_c = 2/(\pi\epsilon)`, :math:`\nu = 1/\epsilon`.

    **Honest warning**: at :math:`\epsilon = 1` the expansion is not controlled. Orthogonal four
    loops gives :math:`\nu \approx 0.55` from the root and :math:`1 - \tfrac94\zeta(3) \approx -1.70`
    from the series, while numerics give :math:`\nu = 1.571(4)` [SO14]_. Use the numbers as
    the perturbative statement they are, not as a prediction for 3D.

    Parameters
    ----------
    symmetry_class : {"orthogonal", "unitary", "symplectic"}
        Wigner-Dyson class.
    dim : float
        :math:`d > 2`.
    loops : int, optional
        Truncation order of the series; ``None`` = highest known.

    Returns
    -------
    CriticalPoint
        ``g_c``, ``nu``, ``nu_series`` (SymPy, in :math:`\epsilon`, or ``None``), ``nu_series_value`` and a
        ``note``.

    Examples
    --------
    >>> cp = critical_point("orthogonal", dim=3, loops=1)
    >>> round(cp.g_c, 10), round(cp.nu, 10)                 # 2/pi, 1
    (0.6366197724, 1.0)

    References
    ----------
    .. [SO14] K. Slevin, T. Ohtsuki, New J. Phys. 16, 015012 (2014) (3D orthogonal :math:`\nu = 1.571(4)`).
    """
    symmetry_class, d, loops = _args(symmetry_class, dim, loops)
    if not (d > 2):
        raise ValueError(f"dim: a fixed point needs d > 2, got {dim!r}")
    if symmetry_class == "symplectic":
        # beta_S > epsilon > 0 at small t: no fixed point connected to epsilon -> 0; the positive root of
        # the four-loop truncation (g ~ 0.25 in 3D) sits at t = O(1) and is an artefact of truncation.
        raise ValueError("symmetry_class: the symplectic class has no perturbative fixed point in 2+epsilon "
                         "(its 3D transition is non-perturbative)")
    import mpmath
    import sympy as sp

    from mesocorr.symbolic import beta as sb

    c0, cs = _exact_coefficients(symmetry_class, d, loops)
    with mpmath.workdps(40):
        coeffs = [mpmath.mpf(sp.N(c, 45)) for c in (c0, *cs)]  # beta = sum_k coeffs[k] x^k, x = 1/g
        while len(coeffs) > 1 and coeffs[-1] == 0:
            coeffs.pop()
        roots = mpmath.polyroots(coeffs[::-1], maxsteps=200, extraprec=60) if len(coeffs) > 1 else []
        pos = sorted(mpmath.re(z) for z in roots if abs(mpmath.im(z)) < mpmath.mpf(10) ** -30 and mpmath.re(z) > 0)
        if not pos:
            raise ValueError(f"symmetry_class: the {symmetry_class} series at loops={loops} has no fixed point "
                             f"in d = {d} (no positive root of beta)")
        x_c = pos[0]  # the weakest-coupling root connects to the epsilon expansion
        y = -x_c * sum(k * coeffs[k] * x_c ** (k - 1) for k in range(1, len(coeffs)))
        g_c, nu = float(1 / x_c), float(1 / y)
    if not (math.isfinite(g_c) and math.isfinite(nu)):
        raise ValueError(f"dim: the fixed point of the truncated series is outside the float64 range in d = {d}")
    eps = d - 2
    try:
        series = nu_epsilon_expansion(symmetry_class)
        series_value = float(series.subs(sb.epsilon, eps).evalf(20))
        if not math.isfinite(series_value):
            series_value = None    # d - 2 so large that the epsilon series overflows float64
    except ValueError:
        series, series_value = None, None
    note = ("perturbative 2+epsilon result; at epsilon = 1 the series is not controlled "
            "(3D orthogonal numerics: nu = 1.571(4), Slevin & Ohtsuki, New J. Phys. 16, 015012 (2014))")
    return CriticalPoint(g_c=g_c, nu=nu, symmetry_class=symmetry_class, dim=d,
                         loops=_check_loops(loops, 2), nu_series=series, nu_series_value=series_value,
                         note=note)


def perturbative_limit(symmetry_class: str = "orthogonal", dim=2, loops: int | None = None) -> float:
    r"""The conductance :math:`g^*` below which the perturbative :math:`\beta(g)` is not trustworthy.

    Criterion (a choice, stated so that figures can mark it): the series
    :math:`\beta = c_0 + \sum_n c_n g^{-n}` is used only where its successive non-zero terms
    decrease, :math:`|c_m| g^{-m} < |c_n| g^{-n}` for each consecutive pair :math:`n < m` (the
    classical term :math:`c_0 = d - 2` included when non-zero). That holds for
    :math:`g > g^* = \max_{n<m} (|c_m|/|c_n|)^{1/(m-n)}`; with a single term the criterion is empty
    and :math:`g^* = 0`. It is the usual rule for an asymptotic series (stop before the smallest
    term) applied to the highest order known; the σ-model series carry no error estimate of their own.

    Parameters
    ----------
    symmetry_class : {"orthogonal", "unitary", "symplectic"}
    dim : int or float
        1 (quasi-1D wire) or :math:`d \ge 2` (:math:`d = 2 + \epsilon`).
    loops : int, optional
        Truncation order of the series (default: the highest known).

    Returns
    -------
    float
        :math:`g^*` (:math:`g = G/(e^2/h)`, both spins); 0 when the series has one term.

    Examples
    --------
    >>> round(perturbative_limit("orthogonal", 2), 4)    # (6 zeta(3)/pi^3)^(1/3)
    0.615
    >>> round(perturbative_limit("orthogonal", 2, loops=1), 4)
    0.0
    """
    symmetry_class, d, loops = _args(symmetry_class, dim, loops)
    c0, cs = _float_coefficients(symmetry_class, d, loops)
    terms = [(n, abs(c)) for n, c in enumerate((c0, *cs)) if c != 0]
    limits = [(b / a) ** (1.0 / (m - n)) for (n, a), (m, b) in zip(terms, terms[1:])]
    return max(limits, default=0.0)
