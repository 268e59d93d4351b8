r"""Kwant adapter: reference disordered systems and ``sample(seed)`` for :func:`mesocorr.run_ensemble`.

Kwant (C. W. Groth, M. Wimmer, A. R. Akhmerov, X. Waintal, New J. Phys. 16, 063065 (2014)) is
imported lazily: this module imports without it, and every function that needs it raises
``ImportError`` with the install recipe (``pip install 'mesocorr[kwant]'``; Kwant 1.5 builds from
source: see the README, "Validating a Kwant system").

Reference systems (:func:`disordered_strip`): a ``width`` x ``length`` square-lattice strip
(lattice constant 1, hopping ``t = 1``), Anderson box disorder :math:`\epsilon \in [-W_d/2, W_d/2]`
on every site of the scattering region, two clean leads of the same width along x (hard walls):

================== ======= ===================================================================
``symmetry``        class   model
================== ======= ===================================================================
orthogonal          β = 1   spinless, real hopping :math:`-t`
unitary             β = 2   spinless; Peierls phase of a uniform field (``flux`` per plaquette,
                            :math:`h/e`, Landau gauge :math:`A = (-By, 0)`, scattering region
                            only) or, with ``time_reversal_breaking="random_flux"``, an
                            independent flux :math:`\in [-f/2, f/2]` through every plaquette
                            (``flux`` = f; drawn from the seed)
symplectic          β = 4   spin 1/2, Ando's spin-orbit hopping (T. Ando, PRB 40, 5325 (1989)):
                            :math:`V_x = -t\,e^{i\theta\sigma_y}`, :math:`V_y = -t\,e^{-i\theta\sigma_x}`,
                            :math:`\sin\theta` = ``spin_orbit`` (Ando's S), also in the leads
spinful_orthogonal  β = 1   spin 1/2 without spin-orbit: every value times the 2x2 identity
================== ======= ===================================================================

Parameters of the finalized system (Kwant ``params``): ``disorder`` (:math:`W_d`), ``salt`` (the
realisation: a string; the disorder of site ``(x, y)`` is ``kwant.digest.uniform(repr((x, y)),
salt)``, a stable per-site hash — the same site gets the same energy whatever the system's
size or the order of evaluation), ``flux`` (unitary only), ``spin_orbit`` (symplectic only).

Leads: Kwant numbers leads from 0, mesocorr from 1 (:mod:`mesocorr.landauer`,
:mod:`mesocorr.multiterminal`). Here the left lead is mesocorr lead 1 = Kwant lead 0 and the right
lead mesocorr lead 2 = Kwant lead 1; :func:`kwant_sample` takes mesocorr numbers and converts.

Conductance: ``smatrix.transmission(out, in)`` summed over all orbitals, in units of
:math:`e^2/h`: for the spinful systems it includes both spins (no extra factor 2); for the spinless
ones it is the conductance of one spin species (predict with ``spinless=True``).
"""

from __future__ import annotations

import cmath
import math
from collections.abc import Callable, Sequence

from mesocorr import arguments

__all__ = ["disordered_strip", "kwant_sample", "KwantSample", "SYMMETRIES", "require_kwant", "kwant_available"]

#: reference systems of :func:`disordered_strip`
SYMMETRIES = ("orthogonal", "unitary", "symplectic", "spinful_orthogonal")
#: largest strip (sites) a builder accepts
MAX_SITES = 10**6

_RECIPE = ("Kwant is not installed: pip install 'mesocorr[kwant]'; Kwant 1.5 has no wheels and builds from "
           "source: pip install 'numpy<2' cython tinyarray packaging setuptools wheel && "
           "pip install --no-build-isolation kwant (see the README)")


def kwant_available() -> bool:
    """True when ``import kwant`` works."""
    try:
        import kwant  # noqa: F401
    except ImportError:
        return False
    return True


def require_kwant():
    """Import and return the ``kwant`` module, or raise ``ImportError`` with the install recipe."""
    try:
        import kwant
    except ImportError as exc:
        raise ImportError(_RECIPE) from exc
    return kwant


# ----------------------------------------------------------------------------------------- values
def _uniform(kwant, tag, salt) -> float:
    return kwant.digest.uniform(repr(tuple(int(t) for t in tag)), salt)


def _plaquette_phase(kwant, x, y, salt, amplitude) -> float:
    """Aharonov-Bohm phase (2π f) of the x-bond (x-1, y) -> (x, y) for random plaquette fluxes:
    the sum of the fluxes of the plaquettes of column x-1..x below row y (so that the flux of the
    plaquette (x-1..x, y..y+1) is the phase difference of its two x-bonds)."""
    total = 0.0
    for yy in range(y):
        total += amplitude * (kwant.digest.uniform(repr((int(x), int(yy))), salt + "/flux") - 0.5)
    return 2 * math.pi * total


def disordered_strip(width: int, length: int, symmetry: str = "orthogonal",
                     time_reversal_breaking: str = "field", hopping: float = 1.0,
                     potential: Callable | None = None):
    r"""A disordered strip with two clean leads, as an unfinalized ``kwant.Builder``.

    Parameters
    ----------
    width, length : int
        Sites across (y) and along (x) the current; ``width * length <= MAX_SITES``.
    symmetry : {"orthogonal", "unitary", "symplectic", "spinful_orthogonal"}
        The reference system (module docstring).
    time_reversal_breaking : {"field", "random_flux"}
        Unitary only: a uniform field or random plaquette fluxes, both of strength ``flux``.
    hopping : float
        Hopping :math:`t` (energies in units of it; band :math:`[-4t, 4t]`).
    potential : callable, optional
        ``potential(site, **params) -> float`` replacing the hashed box disorder (e.g. a pre-drawn
        array); its Kwant parameters are those it names (after ``site``).

    Returns
    -------
    kwant.Builder
        Call ``.finalized()``; ``params``: ``disorder``, ``salt`` (+ ``flux``, ``spin_orbit``).

    Examples
    --------
    Needs Kwant (not installed in the main test environment, hence skipped there):

    >>> fsyst = disordered_strip(16, 64, "unitary").finalized()              # doctest: +SKIP
    >>> len(fsyst.leads), len(fsyst.sites)                                    # doctest: +SKIP
    (2, 1024)
    """
    kwant = require_kwant()
    import numpy as np

    width = arguments.integer("width", width, minimum=1)
    length = arguments.integer("length", length, minimum=1)
    if width * length > MAX_SITES:
        raise ValueError(f"width: width * length = {width * length} sites > {MAX_SITES}")
    arguments.choice("symmetry", symmetry, SYMMETRIES)
    arguments.choice("time_reversal_breaking", time_reversal_breaking, ("field", "random_flux"))
    t = arguments.positive("hopping", hopping)
    spinful = symmetry in ("symplectic", "spinful_orthogonal")
    lat = kwant.lattice.square(1, norbs=2 if spinful else 1)
    one = np.eye(2) if spinful else 1.0
    syst = kwant.Builder()

    if potential is not None:
        if not callable(potential):
            raise TypeError("potential: expected a callable potential(site, **params)")
        onsite = potential if not spinful else _times_identity(potential, np)
    else:
        def onsite(site, disorder, salt):
            return disorder * (_uniform(kwant, site.tag, salt) - 0.5) * one

    syst[(lat(x, y) for x in range(length) for y in range(width))] = onsite
    x_hop, y_hop = _hoppings(symmetry, time_reversal_breaking, t, kwant, np)
    syst[kwant.builder.HoppingKind((1, 0), lat, lat)] = x_hop
    syst[kwant.builder.HoppingKind((0, 1), lat, lat)] = y_hop

    lead = kwant.Builder(kwant.TranslationalSymmetry((-1, 0)))
    lead[(lat(0, y) for y in range(width))] = 0 * one
    lx, ly = _lead_hoppings(symmetry, t, np)
    lead[kwant.builder.HoppingKind((1, 0), lat, lat)] = lx
    lead[kwant.builder.HoppingKind((0, 1), lat, lat)] = ly
    syst.attach_lead(lead)  # Kwant lead 0 = mesocorr lead 1 (left)
    syst.attach_lead(lead.reversed())  # Kwant lead 1 = mesocorr lead 2 (right)
    return syst


def _times_identity(potential, np):
    import inspect

    names = list(inspect.signature(potential).parameters)[1:]

    def onsite(site, *args):
        return potential(site, **dict(zip(names, args))) * np.eye(2)

    onsite.__signature__ = inspect.Signature(
        [inspect.Parameter("site", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
        + [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD) for n in names])
    return onsite


def _ando(t, np, spin_orbit):
    s = arguments.as_real("spin_orbit", spin_orbit)
    if not 0 <= s <= 1:
        raise ValueError(f"spin_orbit: Ando's S = sin(theta) must lie in [0, 1], got {s}")
    c = math.sqrt(1 - s * s)
    vx = -t * np.array([[c, s], [-s, c]], dtype=complex)  # -t exp(i theta sigma_y)
    vy = -t * np.array([[c, -1j * s], [-1j * s, c]])  # -t exp(-i theta sigma_x)
    return vx, vy


def _hoppings(symmetry, breaking, t, kwant, np):
    """Hopping values H[(x+1, y), (x, y)] and H[(x, y+1), (x, y)] (Kwant: ``syst[to, from]``)."""
    if symmetry == "orthogonal":
        return -t, -t
    if symmetry == "spinful_orthogonal":
        return -t * np.eye(2), -t * np.eye(2)
    if symmetry == "symplectic":
        def x_hop(to, fr, spin_orbit):
            return _ando(t, np, spin_orbit)[0]

        def y_hop(to, fr, spin_orbit):
            return _ando(t, np, spin_orbit)[1]

        return x_hop, y_hop
    if breaking == "field":
        def x_hop(to, fr, flux):  # H[x+1, x] = -t exp(-2 pi i flux y): H[x, x+1] = -t exp(+2 pi i flux y)
            return -t * cmath.exp(-2j * math.pi * flux * fr.tag[1])
    else:
        def x_hop(to, fr, flux, salt):
            return -t * cmath.exp(-1j * _plaquette_phase(kwant, fr.tag[0], fr.tag[1], salt, flux))
    return x_hop, -t


def _lead_hoppings(symmetry, t, np):
    if symmetry == "orthogonal" or symmetry == "unitary":
        return -t, -t
    if symmetry == "spinful_orthogonal":
        return -t * np.eye(2), -t * np.eye(2)

    def x_hop(to, fr, spin_orbit):
        return _ando(t, np, spin_orbit)[0]

    def y_hop(to, fr, spin_orbit):
        return _ando(t, np, spin_orbit)[1]

    return x_hop, y_hop


# ----------------------------------------------------------------------------------------- samples
class KwantSample:
    r"""``sample(seed) -> g`` for a finalized Kwant system: the conductance(s) of one realisation.

    The realisation is selected by setting the Kwant parameter ``seed_param`` (default ``"salt"``)
    to ``str(seed)``; ``params`` holds the others. ``points``: optional list of parameter
    overrides (e.g. ``[{"flux": 0.0}, {"flux": 0.004}]`` or ``[{"energy": -1.0}, ...]``): then
    ``sample(seed)`` returns one conductance per point, all for the same disorder.
    ``leads = (source, drain)`` in mesocorr numbering (from 1): Kwant's
    ``transmission(drain - 1, source - 1)``. Leads are pre-calculated once per energy and
    lead parameters (``FiniteSystem.precalculate``): the leads must not depend on the seed.
    """

    def __init__(self, fsyst, energy: float, params: dict | None = None, points: Sequence[dict] | None = None,
                 leads=(1, 2), seed_param: str = "salt"):
        require_kwant()
        if not hasattr(fsyst, "leads") or not hasattr(fsyst, "hamiltonian_submatrix"):
            raise TypeError("fsyst: expected a finalized Kwant system (builder.finalized())")
        self.energy = arguments.as_real("energy", energy)
        if params is not None and not isinstance(params, dict):
            raise TypeError(f"params: expected a dict of Kwant parameters, got {type(params).__name__}")
        self.params = dict(params or {})
        if not isinstance(seed_param, str) or not seed_param:
            raise TypeError("seed_param: expected the name of the Kwant parameter that selects the realisation")
        self.seed_param = seed_param
        if points is not None:
            if isinstance(points, dict) or not all(isinstance(p, dict) for p in points) or not len(points):
                raise TypeError("points: expected a non-empty list of dicts of parameter overrides")
            points = [dict(p) for p in points]
        self.points = points
        nleads = len(fsyst.leads)
        if isinstance(leads, (str, bytes)) or len(leads) != 2:
            raise TypeError("leads: expected (source, drain), numbered from 1 as everywhere in mesocorr")
        src = arguments.integer("leads[0]", leads[0], minimum=1, maximum=nleads)
        dst = arguments.integer("leads[1]", leads[1], minimum=1, maximum=nleads)
        if src == dst:
            raise ValueError("leads: source and drain must differ (for the reflection use mesocorr.landauer)")
        self.leads = (src, dst)
        self.kwant_leads = (src - 1, dst - 1)  # Kwant numbers leads from 0
        self.fsyst = fsyst
        self._precalculated: dict = {}

    def _system(self, energy, params):
        key = (energy, tuple(sorted((k, repr(v)) for k, v in params.items() if k != self.seed_param)))
        sys = self._precalculated.get(key)
        if sys is None:
            sys = self.fsyst.precalculate(energy, params={**params, self.seed_param: "lead"}, what="all")
            self._precalculated[key] = sys
        return sys

    def _one(self, seed, override):
        kwant = require_kwant()
        p = {**self.params, **override}
        energy = p.pop("energy", self.energy)
        p[self.seed_param] = str(seed)
        sm = kwant.smatrix(self._system(energy, p), energy, params=p, in_leads=[self.kwant_leads[0]],
                           out_leads=[self.kwant_leads[1]], check_hermiticity=False)
        return float(sm.transmission(self.kwant_leads[1], self.kwant_leads[0]))

    def __call__(self, seed: int):
        if self.points is None:
            return self._one(seed, {})
        return [self._one(seed, o) for o in self.points]

    def __getstate__(self):  # the pre-calculated leads are rebuilt on the worker
        state = dict(self.__dict__)
        state["_precalculated"] = {}
        return state


def kwant_sample(fsyst, energy: float, params: dict | None = None, points: Sequence[dict] | None = None,
                 leads=(1, 2), seed_param: str = "salt") -> KwantSample:
    """``sample(seed)`` for :func:`mesocorr.run_ensemble` from a finalized Kwant system.

    The result is a :class:`mesocorr.kwant_systems.KwantSample` (picklable: runs on process pools and Dask).

    Parameters
    ----------
    fsyst : kwant.system.FiniteSystem
        A finalized system whose disorder is drawn from the parameter ``seed_param``.
    energy : float
        Fermi energy (units of the system's Hamiltonian).
    params : dict, optional
        The other Kwant parameters (e.g. ``{"disorder": 2.0, "flux": 0.01}``).
    points : list of dict, optional
        Parameter overrides: then one conductance per point for the same realisation (e.g.
        ``[{"flux": 0.0}, {"flux": 0.001}]`` for a paired weak-localization ensemble).
    leads : (int, int)
        ``(source, drain)``, numbered from 1 (Kwant's ``drain - 1, source - 1``).
    seed_param : str
        The Kwant parameter set to ``str(seed)``.

    Returns
    -------
    KwantSample
        ``sample(seed) -> g`` (e²/h, summed over the lead orbitals) or a list of them with ``points``.

    Examples
    --------
    Needs Kwant (skipped in the main test environment):

    >>> fsyst = disordered_strip(16, 48, "unitary").finalized()                          # doctest: +SKIP
    >>> sample = kwant_sample(fsyst, -1.0, {"disorder": 2.6}, points=[{"flux": 0.0}, {"flux": 0.001}])  # doctest: +SKIP
    >>> len(sample(7))                                                                   # doctest: +SKIP
    2
    """
    return KwantSample(fsyst, energy, params=params, points=points, leads=leads, seed_param=seed_param)
