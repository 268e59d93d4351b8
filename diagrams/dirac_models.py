r"""Graphene and topological-insulator surfaces as engine models, derived from band-projected Dirac vertices.

Each preset writes down the Dirac Hamiltonian's conduction-band states and the disorder in the orbital space,
projects (:class:`mesocorr.diagrams.band_projection.BandProjection`), picks the soft angular harmonic of each
pair state, and returns a :class:`mesocorr.diagrams.band_projection.ProjectedModel` — an engine model whose
:meth:`spectrum` gives the soft modes, gaps and weights in closed form.

* :func:`graphene_model` — valley ⊗ sublattice, :math:`H = v(\tau_z\sigma_xp_x + \sigma_yp_y)`, time reversal
  :math:`\Theta = \tau_xK` (exchanges the valleys). Disorder: intravalley potential :math:`\gamma_0` (1),
  intervalley :math:`\gamma_{iv}` (:math:`\tau_x,\tau_y`, equal rates: a complex amplitude paired only with its
  conjugate), sublattice-staggered potential :math:`\gamma_z` (:math:`\sigma_z`), random gauge fields
  :math:`\gamma_A` (:math:`\sigma_x`, :math:`\tau_z\sigma_y`; valley-odd, intravalley symmetry breaking).
  Derived: :math:`1/\tau_i = \gamma_{iv}` (intervalley scattering rate, read off the self-energy),
  gaps :math:`0`, :math:`2/\tau_i`, and twice :math:`1/\tau_i + 1/\tau_{\rm intra}` with
  :math:`1/\tau_{\rm intra} = \gamma_z + 2\gamma_A`; weights :math:`+\tfrac12, -\tfrac12, -\tfrac12, -\tfrac12`
  with :math:`N = 2` (McCann et al. 2006, Eq. (1), with :math:`B_* = B_i + B_{\rm intra}`).
  Trigonal warping breaks the same intravalley symmetry (McCann's :math:`\tau_w`); it is a band term, not a
  disorder vertex, and enters here only through :math:`1/\tau_{\rm intra}` (not derived).
* :func:`ti_surface_model` — one cone :math:`H = v\,\sigma\cdot k + m\sigma_z` (spin, :math:`\Theta = i\sigma_yK`),
  :math:`a = m/E_F`. Two Cooperon sectors, harmonic 0 (no Berry phase) and 1 (Berry phase π).
* :func:`ti_film_model` — two surfaces of opposite helicity (surface ⊗ spin, :math:`\Theta = i\sigma_yK` on
  both), independent potential disorder on each, incoherent tunnelling :math:`\gamma_t` (:math:`\rho_x` with a real
  random amplitude: time-reversal even, unlike the intervalley amplitude of graphene),
  surface-dependent dephasing.

Rates are SymPy symbols (or numbers) in 1/s; they are rates of the engine's convention
(:math:`\langle c_ic_j^*\rangle`, i.e. :math:`2\pi\nu n|u|^2/\hbar`).
"""

from __future__ import annotations

from fractions import Fraction
from functools import cache

import sympy as sp

from mesocorr.arguments import sympy_value
from mesocorr.diagrams.band_projection import (
    W,
    Z,
    BandProjection,
    ProjectedModel,
    laurent_terms,
    cone_state,
    dominant_harmonics,
    projected_time_reversal,
)
from mesocorr.diagrams.pair_kernel import DisorderMechanism
from mesocorr.symbolic.internal_space import (
    PAULI,
    Factor,
    InternalSpace,
    kron,
    spin_half,
    sublattice,
    surface,
    two_level,
    valley,
)

__all__ = ["graphene_projection", "graphene_model", "ti_surface_projection", "ti_surface_model",
           "ti_film_projection", "ti_film_model", "berry_sign", "GRAPHENE_RATES", "TI_SECTORS",
           "DIRAC_PARAMETERS", "dirac_linear_forms", "soft_mode_count", "hikami_weights"]

I2 = sp.eye(2)
X, Y, ZP = PAULI
#: the symbols of :func:`graphene_model` (potential, intervalley, staggered, gauge field)
GRAPHENE_RATES = sp.symbols("gamma_0 gamma_iv gamma_z gamma_A", nonnegative=True)
#: Cooperon harmonics of the single cone: 0 (no Berry phase, WL) and 1 (Berry phase pi, WAL)
TI_SECTORS = (0, 1)


def _rate(name, value, default):
    return default if value is None else sympy_value(name, value)


def berry_sign(harmonics) -> sp.ImmutableMatrix:
    r""":math:`\mathcal S = \mathrm{diag}((-1)^{n_i})` on pair space: the back-scattering phase :math:`e^{in\pi}`."""
    return sp.ImmutableMatrix(sp.diag(*[sp.Integer(-1) ** int(n) for n in harmonics]))


def graphene_projection(potential=None, intervalley=None, staggered=None, gauge=None) -> BandProjection:
    r"""Conduction-band projection of the graphene model (rates default to :data:`GRAPHENE_RATES`)."""
    g0, giv, gz, gA = (_rate(n, v, d) for n, v, d in zip(("potential", "intervalley", "staggered", "gauge"),
                                                          (potential, intervalley, staggered, gauge), GRAPHENE_RATES))
    space = InternalSpace(valley(), sublattice())
    k, kp = cone_state(1), cone_state(-1)
    states = [("K", sp.Matrix([k[0], k[1], 0, 0])), ("K'", sp.Matrix([0, 0, kp[0], kp[1]]))]
    mechs = [DisorderMechanism("potential", kron(I2, I2), g0, +1),
             DisorderMechanism("intervalley", (kron(X, I2), kron(Y, I2)), (giv, giv), +1),
             DisorderMechanism("staggered", kron(I2, ZP), gz, +1),
             DisorderMechanism("gauge", (kron(I2, X), kron(ZP, Y)), (gA, gA), +1)]
    return BandProjection(space, states, mechs)


def _model(bp: BandProjection, space: InternalSpace, harmonics=None, dephasing=None, sign=None) -> ProjectedModel:
    """``sign``: the back-scattering operator S (default the Berry sign of the harmonics)."""
    h = {kind: dominant_harmonics(bp, kind) for kind in ("cooperon", "diffuson")} if harmonics is None else harmonics
    kernels = {kind: bp.soft_kernel(kind, h[kind]) for kind in ("cooperon", "diffuson")}
    S = berry_sign(h["cooperon"]) if sign is None else sign
    return ProjectedModel(space, bp.decay_rate, kernels, S, dephasing=dephasing)


def graphene_model(potential=None, intervalley=None, staggered=None, gauge=None) -> ProjectedModel:
    r"""Graphene (one spin species) through the engine: the projected valley space with the derived time reversal.

    Examples
    --------
    >>> m = graphene_model()
    >>> [(c.name, c.gap, c.weight) for c in m.spectrum("cooperon").channels]
    [('valley_0', 0, 1/2), ('valley_x', 2*gamma_A + gamma_iv + gamma_z, -1/2), ('valley_y', 2*gamma_A + gamma_iv + gamma_z, -1/2), ('valley_z', 2*gamma_iv, -1/2)]
    """
    return _graphene_model(*(None if v is None else sympy_value(n, v) for n, v in
                             zip(("potential", "intervalley", "staggered", "gauge"),
                                 (potential, intervalley, staggered, gauge))))


@cache
def _graphene_model(potential, intervalley, staggered, gauge):
    bp = graphene_projection(potential, intervalley, staggered, gauge)
    space = InternalSpace(two_level("valley", projected_time_reversal(bp), r"\tau"))
    return _model(bp, space)


def ti_surface_projection(mass_ratio=0, potential=None) -> BandProjection:
    r"""One Dirac cone :math:`v\sigma\cdot k + m\sigma_z`, :math:`a = m/E_F`, potential disorder :math:`\gamma_0`."""
    g0 = _rate("potential", potential, GRAPHENE_RATES[0])
    return BandProjection(InternalSpace(spin_half()), [("cone", cone_state(1, mass_ratio))],
                          [DisorderMechanism("potential", I2, g0, +1)])


def hikami_weights(mass_ratio=0) -> dict:
    r"""Weights of the single cone's Cooperon sectors with the bare and the two dressed Hikami boxes.

    Diffusion approximation, projected band, potential disorder (form factor :math:`f(\theta,\theta') =
    \langle\mathbf k|\mathbf k'\rangle`, :math:`\langle|f|^2\rangle` its angular mean). For sector :math:`n`
    (Cooperon :math:`C_n e^{in(\theta'-\theta)}`, :math:`\lambda_n = R_n/\langle|f|^2\rangle` its rung over the
    Born rate), current vertex :math:`J = \eta v_g\cos\theta` with :math:`\eta = \tau_{tr}/\tau =
    1/(1-\langle|f|^2\cos\varphi\rangle/\langle|f|^2\rangle)`:

    * bare box (:math:`\int d\xi\,G^RG^AG^RG^A = 4\pi\tau^3`, back-scattering phase :math:`e^{in\pi}`):
      :math:`(-1)^n\lambda_n\eta` times the weight of one ordinary spinless species;
    * each dressed box (one extra impurity line across the two retarded, or the two advanced, lines;
      :math:`[\int d\xi\,(G^R)^2G^A]^2 = -4\pi^2\tau^4`):
      :math:`\lambda_n\eta\,\mathrm{Re}\,I_n/\langle|f|^2\rangle`,
      :math:`I_n = \langle f(\theta'+\pi,\theta)f(\theta',\theta+\pi)e^{in(\theta'-\theta)}\cos\theta\cos\theta'\rangle`.

    Returns ``{n: {"lambda", "eta", "bare", "dressed", "weight"}}`` (SymPy, functions of ``mass_ratio``), the
    weight in units of one ordinary species (weight +1: :math:`\alpha = +\tfrac12`). Massless:
    :math:`w_1 = -2 + \tfrac12 + \tfrac12 = -1` (:math:`\alpha = -\tfrac12`); :math:`a\to1`: :math:`w_0\to1`.

    >>> w = hikami_weights(0)
    >>> w[1]["bare"], w[1]["dressed"], w[1]["weight"]
    (-2, 1, -1)
    """
    boxes = _hikami_weights(sympy_value("mass_ratio", mass_ratio))
    return {n: dict(v) for n, v in boxes.items()}  # a copy of the per-process memo


@cache
def _hikami_weights(a: sp.Expr) -> dict:
    c2, s2 = (1 + a) / 2, (1 - a) / 2

    def f(z, w):                      # <k|k'> of the cone state (c, s z): c^2 + s^2 w/z
        return c2 + s2 * w / z

    def avg(expr):
        return laurent_terms(sp.expand(expr)).get((0, 0), sp.Integer(0))

    zz, ww = Z, W
    cos_z, cos_w = (zz + 1 / zz) / 2, (ww + 1 / ww) / 2
    f2 = avg(f(zz, ww) * f(1 / zz, 1 / ww))
    # a rational function of a: factor (canonical) instead of simplify (the same form, 0.1 s less)
    eta = sp.factor(1 / (1 - avg(f(zz, ww) * f(1 / zz, 1 / ww) * (ww / zz + zz / ww) / 2) / f2))
    out = {}
    for n in TI_SECTORS:
        # a rational function of a: together gives simplify's form (tests/test_derive_diagrams_speed.py compares)
        lam = sp.together(laurent_terms(sp.expand(f(zz, ww) * f(-zz, -ww))).get((-n, n), 0) / f2)
        box = avg(f(-ww, zz) * f(ww, -zz) * (ww / zz) ** n * cos_z * cos_w)
        bare = sp.factor(sp.Integer(-1) ** n * lam * eta)
        dressed = sp.factor(2 * lam * eta * sp.re(box) / f2)
        out[n] = {"lambda": lam, "eta": eta, "bare": bare, "dressed": dressed, "weight": sp.factor(bare + dressed)}
    return out


def ti_surface_model(mass_ratio=0, potential=None, sector: int = 1) -> ProjectedModel:
    r"""The single cone's Cooperon sector ``sector`` (harmonic 0 or 1) as an engine model (dimension 1).

    Massless (:math:`a = 0`): sector 1 is gapless with weight :math:`-1` (Berry phase π, :math:`\alpha=-\tfrac12`);
    sector 0 has the gap :math:`1/2\tau`. Massive: both gapped, sector 1 by :math:`\propto a^2/\tau`, sector 0 by
    :math:`\propto(1-a)^2/\tau`.

    >>> m = ti_surface_model()
    >>> [(c.gap, c.weight) for c in m.spectrum("cooperon").channels]
    [(0, -1)]
    """
    if sector not in TI_SECTORS or isinstance(sector, bool):
        raise ValueError(f"sector: must be 0 or 1, got {sector!r}")
    bp = ti_surface_projection(mass_ratio, potential)
    space = InternalSpace(Factor("cone", {"0": sp.eye(1)}, None, r"\sigma", {"0": "cone"}))
    weight = hikami_weights(mass_ratio)[sector]["weight"]
    return _model(bp, space, {"cooperon": (sector,), "diffuson": (0,)}, sign=sp.ImmutableMatrix([[weight]]))


def ti_film_projection(potential=None, tunnel=None) -> BandProjection:
    r"""Two massless surfaces of opposite helicity (surface ⊗ spin), independent potential disorder
    (:math:`\gamma_0` each), incoherent tunnelling :math:`\gamma_t` (:math:`\rho_x`, a real random amplitude)."""
    g0 = _rate("potential", potential, GRAPHENE_RATES[0])
    gt = _rate("tunnel", tunnel, sp.Symbol("gamma_t", nonnegative=True))
    space = InternalSpace(surface(), spin_half())
    top, bot = cone_state(1), sp.Matrix([cone_state(1)[0], -cone_state(1)[1]])
    states = [("top", sp.Matrix([top[0], top[1], 0, 0])), ("bottom", sp.Matrix([0, 0, bot[0], bot[1]]))]
    p_top, p_bot = kron(sp.diag(1, 0), I2), kron(sp.diag(0, 1), I2)
    mechs = [DisorderMechanism("potential", (p_top, p_bot), (g0, g0), +1),
             DisorderMechanism("tunnel", kron(X, I2), gt, +1)]
    return BandProjection(space, states, mechs)


def ti_film_model(potential=None, tunnel=None, dephasing=(0, 0)) -> ProjectedModel:
    r"""The tunnel-coupled film through the engine; ``dephasing`` = (top, bottom) rates enter the pair
    :math:`(\alpha\beta)` as :math:`(\phi_\alpha+\phi_\beta)/2`.

    >>> m = ti_film_model(tunnel=0)
    >>> [(c.gap, c.weight) for c in m.spectrum("cooperon").channels]
    [(0, -1/2), (gamma_0/2, -1/2), (gamma_0/2, 1/2), (0, -1/2)]
    """
    phi = [sympy_value(f"dephasing[{i}]", p) for i, p in enumerate(dephasing)]
    if len(phi) != 2:
        raise ValueError("dephasing: need (top, bottom)")
    bp = ti_film_projection(potential, tunnel)
    extra = sp.diag(*[(phi[a] + phi[b]) / 2 for a in range(2) for b in range(2)])
    space = InternalSpace(two_level("surface", projected_time_reversal(bp), r"\rho"))
    return _model(bp, space, dephasing=extra)



def soft_mode_count(model) -> int:
    r"""Number of gapless Diffusons plus gapless Cooperons of an engine model (numeric rates): the UCF content
    in units of one gapless mode, per remaining degeneracy :math:`g_s` (the variance carries :math:`g_s^2`)."""
    total = 0
    for kind in ("cooperon", "diffuson"):
        for c in model.spectrum(kind).channels:
            if not c.gap.is_number:
                raise ValueError("model: give numeric rates (the count depends on which rates vanish)")
            total += c.gap == 0
    return int(total)


# ============================================================================ frozen forms for the numeric paths
#: parameters of the numeric forms, in field units (tesla) or rates alike: the gaps are linear in them
DIRAC_PARAMETERS = {
    "graphene": ("B_phi", "B_intervalley", "B_intravalley"),
    "ti-film": ("B_phi_top", "B_phi_bottom", "B_tunnel"),
}


def _with_dephasing(form: dict, name: str) -> dict:
    ident = tuple((i, i, Fraction(1), Fraction(0)) for i in range(len(form["channels"])))
    form["parameters"] = (name, *form["parameters"])
    form["generators"] = {name: ident, **form["generators"]}
    return form


def _soft(form: dict, potential: str) -> tuple:
    """Channel indices the potential rate does not touch (diffusive modes: gaps set by breaking rates only)."""
    hard = {i for i, j, *_ in form["generators"][potential]} | {j for i, j, *_ in form["generators"][potential]}
    return tuple(i for i in range(len(form["channels"])) if i not in hard)


def dirac_linear_forms() -> dict:
    r"""Derive the Cooperon (and Diffuson: keys ``"graphene-diffuson"``, ``"ti-film-diffuson"``) forms the numeric paths store (``mesocorr.integrals.dirac_constants``).

    * ``"graphene"``: the engine form of :func:`graphene_model` with the intervalley scattering rate
      :math:`1/\tau_i = \gamma_{iv}` (coefficient 1 in the self-energy, checked), the intravalley breaking rate
      :math:`1/\tau_{\rm intra} = \gamma_z` (staggered potential; a gauge field enters as :math:`2\gamma_A`) and the
      dephasing; ``soft`` lists the channels free of the potential rate.
    * ``"ti-film"``: :func:`ti_film_model` with :math:`1/\tau_t = \gamma_t/2` (tunnelling rate top -> bottom, read
      off the self-energy), so ``B_tunnel`` enters as :math:`\gamma_t = 2B_t`.
    * ``"ti-surface"``: per sector :math:`n`, ``(n, P, Q, P_w, Q_w)`` with :math:`\Gamma_n\tau = P(a)/Q(a)` and
      the Hikami-dressed weight :math:`w_n = P_w(a)/Q_w(a)` (:func:`hikami_weights`; polynomial coefficients,
      lowest power first).
    """
    from mesocorr.diagrams.pair_kernel import linear_form

    g0 = sp.Symbol("gamma_0", positive=True)
    b_i, b_intra, b_t, p1, p2, a = sp.symbols("B_intervalley B_intravalley B_tunnel B_phi_top B_phi_bottom a",
                                              nonnegative=True)
    out = {}
    bp = graphene_projection(g0, b_i, b_intra, 0)
    rate = sp.expand(bp.decay_rate)
    if rate.coeff(b_i) != 1 or rate.coeff(b_intra) != sp.Rational(1, 2):  # pragma: no cover - derivation changed
        raise ArithmeticError(f"graphene: unexpected self-energy {rate}")
    for kind, key in (("cooperon", "graphene"), ("diffuson", "graphene-diffuson")):
        form = linear_form(graphene_model(g0, b_i, b_intra, 0), kind,
                           {"gamma_0": g0, "B_intervalley": b_i, "B_intravalley": b_intra})
        form = _with_dephasing(form, "B_phi")
        form["soft"] = _soft(form, "gamma_0")
        out[key] = form
    bp = ti_film_projection(g0, 2 * b_t)
    if sp.expand(bp.decay_rate - g0 / 2) != b_t:  # pragma: no cover - derivation changed
        raise ArithmeticError(f"ti-film: unexpected self-energy {bp.decay_rate}")
    for kind, key in (("cooperon", "ti-film"), ("diffuson", "ti-film-diffuson")):
        form = linear_form(ti_film_model(g0, 2 * b_t, (p1, p2)), kind,
                           {"gamma_0": g0, "B_phi_top": p1, "B_phi_bottom": p2, "B_tunnel": b_t})
        form["soft"] = _soft(form, "gamma_0")
        out[key] = form
    sectors = []
    for n in TI_SECTORS:
        m = ti_surface_model(a, g0, sector=n)
        (ch,) = m.spectrum("cooperon").channels
        num, den = sp.fraction(sp.cancel(ch.gap / m.decay_rate))
        wnum, wden = sp.fraction(sp.cancel(ch.weight))
        coeffs = [tuple(Fraction(int(c.p), int(c.q)) for c in reversed(sp.Poly(p, a).all_coeffs()))
                  for p in (num, den, wnum, wden)]
        sectors.append((n, *coeffs))
    out["ti-surface"] = tuple(sectors)
    return out
