r"""Universal conductance fluctuations: the two diagram topologies, their weights, the spin trace.

The conductance correlation :math:`\langle\delta g(\epsilon)\,\delta g(\epsilon+\hbar\omega)\rangle`
(:math:`g = G/(e^2/h)`) at leading order in :math:`1/g` is the sum of the diagrams in which the
two conductance bubbles are joined by **two** ladders (two Diffusons, or two Cooperons) and two
Hikami boxes [LSF87, AM07 §11.2]. Per spin channel :math:`c` of each propagator kind, with
:math:`P_c(\mathbf n,\omega) = 1/(\lambda_{\mathbf n}+\gamma_c - i\tilde\omega)` in units of
:math:`\pi^2 D/L^2` (:math:`\tilde\omega = \hbar\omega/(\pi^2E_c)`, :math:`E_c = \hbar D/L^2`),

.. math::

   \langle\delta g\,\delta g\rangle = \sum_{\rm kind}\sum_c \sum_{\mathbf n}
   \Big[ w_{\rm ring}\operatorname{Re}P_c^2 + w_{\rm box}|P_c|^2\Big],\qquad
   w_{\rm ring} = \frac{2}{\pi^4},\ w_{\rm box} = \frac{4}{\pi^4}.

Both weights are **derived** here from Green's functions (:func:`derive_weights`); nothing
in them is typed in. The steps (:func:`derivation_steps` lists them with the SymPy values):

1. Kubo bubble (retarded-advanced part, spinless): :math:`g = (\hbar^2/L^2)\,X`,
   :math:`X = \mathrm{Tr}[v_xG^Rv_xG^A]` — from :math:`G = \sigma L^{d-2}` and
   :math:`\sigma = (e^2\hbar/2\pi V)X`, the bubble of :func:`mesocorr.diagrams.hikami.drude_conductivity`
   (its mean, :math:`\langle g\rangle = 2\pi E_c/\Delta`, is returned as a check).
2. Enumeration (:func:`ucf_diagrams`): every way of attaching two ladders, each pairing the
   retarded line of one bubble with the advanced line of the other, in every order along the
   lines. Following the free Green's-function segments around the ladder ends gives the Hikami
   boxes. Orderings in which the two ladders join into one (a box made of a bare
   :math:`G^RG^A` pair) belong to the one-ladder series and are dropped. Per kind there remain
   **three** diagrams: the *ring* pair (both ladders on :math:`G^R_1G^A_2`, loop
   :math:`P^{*2}`; both on :math:`G^R_2G^A_1`, loop :math:`P^2`) — each of its boxes holds the
   two current vertices of **one** bubble (corners v, v, ladder, ladder) — and **one**
   *two-box* diagram (one ladder each way, loop :math:`PP^* = |P|^2`), each box holding one
   vertex of **each** bubble (corners v, ladder, v, ladder alternating).
3. Boxes (:func:`box_terms`) at zero ladder momentum: the bare box plus every single impurity
   line :math:`\gamma=\hbar/2\pi\nu\tau` joining two non-adjacent lines, which splits it into two
   closed loops; each loop is :math:`\nu\langle\prod v_x\rangle\int d\xi\prod G`, the
   :math:`\xi`-integrals by residues and the angular averages in :math:`d` = 1, 2, 3
   (:mod:`mesocorr.diagrams.hikami`). Alternating box: the dressings split off a single current
   vertex, :math:`\langle v_x\rangle = 0`, so :math:`H_{\rm box} = \nu\langle v_x^2\rangle
   4\pi\tau^3/\hbar^3 = 4\pi\nu D\tau^2/\hbar^3`. Ring box: the line joining its two retarded
   lines is :math:`\gamma(\nu\langle v_x^2\rangle\int G^RG^RG^A)(\nu\int G^RG^RG^A) = -\tfrac12`
   of the bare box, so :math:`H_{\rm ring} = 2\pi\nu D\tau^2/\hbar^3 = H_{\rm box}/2`.
4. Ladders: :math:`\Gamma = \gamma/(1-\Pi)`, :math:`1-\Pi = \tau(Dq^2 - i\,\delta\varepsilon/\hbar)`
   with :math:`\delta\varepsilon = \varepsilon_R-\varepsilon_A` from the ladder's two lines
   (:func:`mesocorr.diagrams.hikami.ladder_expansion` and the residue integral at finite
   frequency). Per mode the volume factors cancel (each box :math:`\sum_k\to V\nu\int d\xi`,
   each ladder :math:`1/V`).
5. Assembly: :math:`\langle\delta g\delta g\rangle = (\hbar^2/L^2)^2\sum_{\rm diagrams}
   H_1H_2\Gamma_1\Gamma_2`, with :math:`Dq^2 = \pi^2(D/L^2)\lambda`: each ring diagram gives
   :math:`(1/\pi^4)P^{2}` (or :math:`P^{*2}`), together :math:`(2/\pi^4)\operatorname{Re}P^2`;
   the two-box diagram gives :math:`(4/\pi^4)|P|^2` — four times one ring diagram because
   its box is twice the ring box. Hence :math:`w_{\rm box}/w_{\rm ring} = 2` and
   :math:`w_{\rm ring}+w_{\rm box} = 6/\pi^4` at :math:`\omega = 0`.
6. Cooperons: the same enumeration with particle-particle ladders (the advanced line runs
   parallel); a box then runs through some segments backwards, :math:`v_x(-\mathbf k) =
   -v_x(\mathbf k)`; the signs cancel in every diagram (each two-box box is :math:`-1` times the
   Diffuson one) and the weights are those of the Diffusons. A Diffuson and a Cooperon together
   never make two boxes: all four ladder ends land on one Green's-function loop, so each ladder
   returns to the same box (``two_ladder_contractions("mixed")``) — not of the UCF form; such
   single-loop terms are left out (assumption (v) below).

Independent check: the ring weight equals the density-of-states route
(:func:`derive_ring_weight`, Thouless :math:`g = 2\pi E_c/\Delta` times the Altshuler-Shklovskii
level correlator [AS86]); the weights reproduce the Lee-Stone-Fukuyama value 2/15 of the
quasi-1D wire and :math:`w_{\rm box}/w_{\rm ring} = 2` of [LSF87; AM07 §11.2] (tests).

Still assumed, not derived: (i) only the retarded-advanced part of the Kubo formula
(:math:`G^RG^R` terms dropped; for a sample between leads they cancel, Baranger-Stone 1989);
(ii) boxes at zero ladder momentum (their :math:`q^2\ell^2` corrections are smaller by
powers of :math:`\ell/L`); (iii) one impurity line per box dressing (leading order in
:math:`1/k_F\ell`); (iv) uniform current vertices with the bulk boxes, and the plane waves
replaced by the eigenmodes of the diffusion operator with the sample's boundary conditions
(Dirichlet at the contacts, Neumann elsewhere) — the usual [LSF87] prescription; with
momentum-independent boxes the loop is :math:`\mathrm{Tr}\,P^2 = \sum_{\mathbf n}P_{\mathbf n}^2`
in any eigenbasis; (v) contractions that put all four ladder ends on one Green's-function loop
(every Diffuson-Cooperon pair) are dropped as higher order, as in [LSF87] — classified by
:func:`two_ladder_contractions` but not evaluated.

Spin trace. The current vertices are spin-diagonal, so the loop of two 4x4 two-particle spin
propagators is :math:`\mathrm{Tr}_{\rm spin}P^2 = \sum_c P_c^2` over the four eigen-channels
(singlet + three triplets) of :func:`mesocorr.channels` — every channel with weight **one**.
Spinless electrons have a single channel per kind.

Checks (tests): the quasi-1D wire, :math:`\sum_{n\ge1}n^{-4}=\pi^4/90`, gives
:math:`2\cdot\tfrac{6}{\pi^4}\tfrac{\pi^4}{90} = 2/15` for spinless electrons with time-reversal
symmetry and :math:`1/15` without [LSF87]. Symmetry factors (:func:`symmetry_factors`), all
relative to **spin-degenerate electrons without spin scattering and with time-reversal symmetry**
(8 gapless channels = 4 Diffuson + 4 Cooperon, i.e. :math:`s^2 = 4` times spinless): broken time
reversal leaves the 4 Diffusons (1/2); strong spin-orbit leaves the Diffuson and Cooperon
singlets (2/8 = 1/4); strong magnetic scattering leaves only the Diffuson singlet (1/8).

References
----------
.. [LSF87] P. A. Lee, A. D. Stone, H. Fukuyama, Phys. Rev. B 35, 1039 (1987).
.. [AS86] B. L. Altshuler, B. I. Shklovskii, Sov. Phys. JETP 64, 127 (1986).
.. [AM07] E. Akkermans, G. Montambaux, *Mesoscopic Physics of Electrons and Photons* (CUP 2007), ch. 11.
.. [BS89] H. U. Baranger, A. D. Stone, Phys. Rev. B 40, 8169 (1989) (Kubo formula of a sample between leads).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cache

import sympy as sp

from mesocorr.diagrams.hikami import (
    angular_average,
    green_advanced,
    ladder_expansion,
    theta,
)
from mesocorr.diagrams.hikami import D as D_sym
from mesocorr.diagrams.hikami import Q as Q_sym
from mesocorr.diagrams.hikami import hbar as hbar_sym
from mesocorr.diagrams.hikami import nu as nu_sym
from mesocorr.diagrams.hikami import tau as tau_sym
from mesocorr.diagrams.hikami import v as v_sym
from mesocorr.diagrams.hikami import xi as xi_sym
from mesocorr.arguments import one_or_three, sympy_value
from mesocorr.diagrams.pair_kernel import PairSpectrum, spin_half_channels
from mesocorr.symbolic.printing import latex
from mesocorr.symbolic.memo import simplify

__all__ = ["Topology", "TOPOLOGIES", "UCFDiagram", "two_ladder_contractions", "ucf_diagrams", "box_terms", "derive_weights",
           "derive_box_weight", "derivation_steps", "derive_ring_weight", "derive_prefactor",
           "channel_content", "symmetry_factors", "wire_variance", "correlation_expression"]

lam, gamma = sp.symbols("lambda gamma", nonnegative=True)
omega = sp.Symbol("omega", real=True)
E_c, Delta = sp.symbols("E_c Delta", positive=True)
#: sample length and volume (they drop out of the weights)
L_len, volume = sp.symbols("L V", positive=True)
#: the mode propagator P = 1/(lambda + gamma - i omega~) and its complex conjugate, as symbols
P_sym, Pbar_sym = sp.symbols("P Pbar")


@dataclass(frozen=True)
class Topology:
    """One UCF diagram class: name and description.

    ``multiplicity`` is the number of distinct diagrams of the class found by :func:`ucf_diagrams`
    (ring: two, :math:`P^2` and :math:`P^{*2}`; two-box: one, :math:`PP^*`) — counted from the
    enumeration, not stored; the weights are not multiplicity times a common factor (the two boxes
    differ), see :func:`derive_weights`.

    >>> [(t.name, t.multiplicity) for t in TOPOLOGIES]
    [('ring', 2), ('two_box', 1)]
    """

    name: str
    description: str

    @property
    def multiplicity(self) -> int:
        """Number of diagrams of this class per propagator kind (from :func:`ucf_diagrams`)."""
        return sum(1 for d in ucf_diagrams("diffuson") if d.topology == self.name)

    def loop(self, lam_=lam, gamma_=gamma, omega_=omega) -> sp.Expr:
        """The loop of two propagators at one mode: Re P^2 (ring) or |P|^2 (two-box)."""
        p = 1 / (lam_ + gamma_ - sp.I * omega_)
        if self.name == "ring":
            return sp.re(sp.expand_complex(p**2))
        # together: the two terms share the denominator |d|^4 and sum to |d|^2/|d|^4; together combines and
        # cancels them to the same expression as simplify, without simplify's passes (or its import of
        # sympy.physics.units); tests/test_derive_ucf_scaling_speed.py compares the srepr of the two
        return sp.together(sp.expand_complex(p * sp.conjugate(p)))

    def latex(self) -> str:
        """The class's loop of two mode propagators, by :func:`mesocorr.latex`."""
        head = r"\mathrm{Re}\,P^2" if self.name == "ring" else r"|P|^2"
        return rf"{head} = {latex(self.loop())}"

    def _repr_latex_(self) -> str:
        return f"${self.latex()}$"


TOPOLOGIES = (
    Topology("ring", "both ladders pair the retarded line of one bubble with the advanced line of the "
                     "other, P^2 and P*^2; each Hikami box holds the two current vertices of one bubble "
                     "(density-of-states fluctuation)"),
    Topology("two_box", "one ladder each way, P P^*; each Hikami box holds one current vertex of each "
                        "bubble (diffusion-coefficient fluctuation)"),
)


# ------------------------------------------------------------------ diagram enumeration
#: the lines of the two bubbles Tr[v G^R v G^A]: (branch, bubble) -> (from vertex, to vertex)
_LINES = (("R", 1), ("A", 1), ("R", 2), ("A", 2))
_KINDS = ("diffuson", "cooperon")


def _ladder_ends(kind: str, branch: str) -> tuple[int, int]:
    """(entry end, exit end) of a ladder along one of its lines.

    Diffuson :math:`G^R(r_1\\to r_2)G^A(r_2\\to r_1)`: the retarded line enters at end 1, the
    advanced one at end 2. Cooperon :math:`G^R(r_1\\to r_2)G^A(r_1\\to r_2)`: both enter at end 1.
    """
    if kind == "diffuson" and branch == "A":
        return (2, 1)
    return (1, 2)


@dataclass(frozen=True)
class UCFDiagram:
    """One two-ladder diagram of the conductance correlation.

    ``ladders``: for each ladder the bubble of its retarded line and the bubble of its advanced
    line ("12": :math:`G^R_1G^A_2`, "21": :math:`G^R_2G^A_1`). ``order``: for each line
    (branch, bubble) the ladders met along it. ``boxes``: the Hikami boxes, each a cyclic tuple of
    ``("G", "R"|"A")``, ``("v", ±1)`` (current vertex, sign -1 where the box runs against the
    line, :math:`v_x(-\\mathbf k) = -v_x(\\mathbf k)`) and ``("corner", (ladder, end))``.
    """

    kind: str
    ladders: tuple[str, ...]
    order: tuple[tuple[int, ...], ...]
    boxes: tuple[tuple[tuple, ...], ...]

    @property
    def topology(self) -> str:
        """'ring' (both ladders the same way) or 'two_box' (one each way)."""
        return "ring" if len(set(self.ladders)) == 1 else "two_box"

    @property
    def energy_signs(self) -> tuple[int, ...]:
        r"""Per ladder :math:`(\varepsilon_R-\varepsilon_A)/\hbar\omega`: bubble 1 at :math:`\varepsilon`,
        bubble 2 at :math:`\varepsilon+\hbar\omega`, so "21" gives +1 and "12" gives -1."""
        energy = {"1": 0, "2": 1}
        return tuple(energy[t[0]] - energy[t[1]] for t in self.ladders)

    @property
    def loop(self) -> sp.Expr:
        r"""Product of the ladders' mode propagators: :math:`P = 1/(\lambda-i\tilde\omega)` for a
        ladder with energy sign +1, :math:`P^* = 1/(\lambda+i\tilde\omega)` for -1."""
        return sp.Mul(*(P_sym if s == 1 else Pbar_sym for s in self.energy_signs))

    def latex(self) -> str:
        """The diagram's kind, topology and product of mode propagators, by :func:`mesocorr.latex`."""
        return rf"\text{{{self.kind}, {self.topology.replace('_', '-')}}}:\ {latex(self.loop, symbol_names={Pbar_sym: 'P^*'})}"

    def _repr_latex_(self) -> str:
        return f"${self.latex()}$"


def _segments(kinds: tuple[str, ...], order: dict) -> list[dict]:
    """Cut both bubble loops at the ladders: the free Green's-function segments between ladder ends."""
    segs = []
    for b in (1, 2):
        events = []
        for branch in ("R", "A"):  # loop of bubble b: vertex -> G^R -> vertex -> G^A -> vertex
            for lad in order[(branch, b)]:
                entry, exit_ = _ladder_ends(kinds[lad], branch)
                events += [("enter", (lad, entry), branch), ("exit", (lad, exit_), branch)]
            events.append(("vertex", None, branch))
        first = next(i for i, ev in enumerate(events) if ev[0] == "exit")
        current = None
        for what, end, branch in events[first:] + events[:first]:
            if what == "exit":
                current = {"items": [("G", branch)], "start": end}
            elif what == "vertex":
                current["items"] += [("v", 1), ("G", "A" if branch == "R" else "R")]
            else:
                current["finish"] = end
                segs.append(current)
    return segs


def _boxes(segs: list[dict]) -> tuple[tuple[tuple, ...], ...]:
    """Follow the segments through the ladder ends: each closed walk is one Hikami box."""
    touch: dict = {}
    for i, seg in enumerate(segs):
        touch.setdefault(seg["start"], []).append((i, "start"))
        touch.setdefault(seg["finish"], []).append((i, "finish"))
    seen, out = set(), []
    for first in range(len(segs)):
        if first in seen:
            continue
        box, i, forward = [], first, True
        while True:
            seen.add(i)
            items = segs[i]["items"]
            box += items if forward else [(k, -x) if k == "v" else (k, x) for k, x in reversed(items)]
            here = segs[i]["finish"] if forward else segs[i]["start"]
            box.append(("corner", here))
            i, which = next(t for t in touch[here] if t != (i, "finish" if forward else "start"))
            forward = which == "start"
            if i == first:
                break
        out.append(tuple(box))
    return tuple(out)


def _classify(boxes) -> str:
    """'leading' (two boxes, each with one end of each ladder), 'ladder_merge' (a box that is a bare
    G^R G^A pair between two ladder ends: the two ladders are one ladder) or 'single_loop' (all
    four ladder ends on one Green's-function loop, each ladder returning to the same box; not
    evaluated, dropped as higher order)."""
    if any(sorted(k for k, _ in b) == ["G", "G", "corner", "corner"] for b in boxes):
        return "ladder_merge"
    if len(boxes) == 2 and all(sorted(x[1][0] for x in b if x[0] == "corner") == [0, 1] for b in boxes):
        return "leading"
    return "single_loop"


@cache
def two_ladder_contractions(kind: str = "diffuson") -> tuple[tuple[UCFDiagram, str], ...]:
    r"""Every way of joining the two bubbles by two ladders, each with its classification.

    Two bubbles :math:`\mathrm{Tr}[v_xG^Rv_xG^A]`; each ladder pairs the retarded line of one
    with the advanced line of the other (a ladder needs a retarded-advanced pair), in every order
    along the lines. ``kind`` "diffuson" or "cooperon": two identical ladders, the two labellings
    of a diagram are identified; "mixed": ladder 0 a Diffuson, ladder 1 a Cooperon. See
    :func:`_classify` for the classes; only "leading" ones enter the UCF at order :math:`g^0`.

    >>> sorted({c for _, c in two_ladder_contractions("mixed")})
    ['single_loop']
    """
    if kind not in _KINDS + ("mixed",):
        raise ValueError(f"kind: must be 'diffuson', 'cooperon' or 'mixed', got {kind!r}")
    kinds = ("diffuson", "cooperon") if kind == "mixed" else (kind, kind)
    perms = ((0, 1),) if kind == "mixed" else ((0, 1), (1, 0))
    found: dict = {}
    for types in itertools.product(("12", "21"), repeat=2):
        on = {line: [i for i, t in enumerate(types) if line in (("R", int(t[0])), ("A", int(t[1])))]
              for line in _LINES}
        for orders in itertools.product(*(itertools.permutations(on[line]) for line in _LINES)):
            key = min((tuple(types[p] for p in perm),
                       tuple(tuple(perm.index(x) for x in o) for o in orders)) for perm in perms)
            if key in found:
                continue
            boxes = _boxes(_segments(kinds, dict(zip(_LINES, key[1]))))
            found[key] = (UCFDiagram(kind, key[0], key[1], boxes), _classify(boxes))
    return tuple(found.values())


@cache
def ucf_diagrams(kind: str = "diffuson") -> tuple[UCFDiagram, ...]:
    """The distinct two-ladder diagrams of the conductance correlation at order :math:`g^0`.

    The "leading" entries of :func:`two_ladder_contractions`: per kind one ring diagram each way
    and one two-box diagram; a Diffuson and a Cooperon never form one (their contractions put all
    four ladder ends on one loop).

    >>> [(d.topology, d.loop) for d in ucf_diagrams("diffuson")]
    [('ring', Pbar**2), ('two_box', P*Pbar), ('ring', P**2)]
    >>> ucf_diagrams("mixed")
    ()
    """
    return tuple(d for d, c in two_ladder_contractions(kind) if c == "leading")


# ------------------------------------------------------------------ Hikami boxes
@cache
def _xi(n_retarded: int, n_advanced: int) -> sp.Expr:
    r""":math:`\int d\xi\,(G^R)^n(G^A)^m` by the residue theorem, the residue in closed form.

    :math:`G^R = -1/(\xi - g)`, :math:`G^A = -1/(\xi + g)`, :math:`g = i\hbar/2\tau`; closing in the upper half
    plane picks the pole of order :math:`n` at :math:`\xi = g`, whose residue is
    :math:`(-1)^{n+m}\frac{1}{(n-1)!}\partial_\xi^{n-1}(\xi+g)^{-m}|_{\xi=g} = (-1)^{n+m}\binom{-m}{n-1}(2g)^{-m-n+1}`.
    The same value, node for node, as :func:`~mesocorr.diagrams.hikami.residue_integral` of the product
    (tests/test_derive_ucf_scaling_speed.py compares for :math:`n, m \le 5`), without its polynomial arithmetic.
    """
    n, m = n_retarded, n_advanced
    if n + m < 2:
        raise ValueError("integrand: must decay at least as 1/xi^2 for the residue theorem")
    if n == 0:
        return sp.Integer(0)  # no pole in the upper half plane
    g = sp.I * hbar_sym / (2 * tau_sym)
    return 2 * sp.pi * sp.I * (-1) ** (n + m) * sp.binomial(-m, n - 1) * (2 * g) ** (-m - n + 1)


@cache
def _angle(n_vertices: int, sign: int, d: int) -> sp.Expr:
    return angular_average(sign * (v_sym * sp.cos(theta)) ** n_vertices, d)


def _closed_loop(items, d: int) -> sp.Expr:
    r""":math:`\nu\langle\prod v_x\rangle_{\hat k}\int d\xi\prod G` of one closed loop at one momentum."""
    n_r = sum(1 for k, x in items if k == "G" and x == "R")
    n_a = sum(1 for k, x in items if k == "G" and x == "A")
    signs = [x for k, x in items if k == "v"]
    return nu_sym * _angle(len(signs), int(sp.prod(signs)), d) * _xi(n_r, n_a)


def box_terms(box, d: int = 3) -> dict:
    r"""The terms of one Hikami box at zero ladder momentum, per unit volume.

    ``"bare"``: the box itself; ``(i, j)``: one impurity line :math:`\gamma = \hbar/2\pi\nu\tau`
    joining the Green's functions at positions ``i`` and ``j`` of ``box``, which splits the box
    into two closed loops. Lines joining the two Green's functions at a ladder end are further
    rungs of that ladder and are not dressings; a line across a current vertex is its vertex
    correction (it comes out zero, :math:`\langle v_x\rangle = 0`). A retarded-advanced line between
    non-adjacent sides would start a third ladder (higher order): ``NotImplementedError``.
    """
    imp = hbar_sym / (2 * sp.pi * nu_sym * tau_sym)
    terms = {"bare": _closed_loop(box, d)}
    gpos = [i for i, (k, _) in enumerate(box) if k == "G"]
    for i, j in itertools.combinations(gpos, 2):
        inner = (box[i + 1:j], box[j + 1:] + box[:i])
        if any(not any(k == "G" for k, _ in side) and any(k == "corner" for k, _ in side) for side in inner):
            continue
        if box[i][1] != box[j][1] and all(any(k == "G" for k, _ in side) for side in inner):
            raise NotImplementedError("box: retarded-advanced impurity line between non-adjacent sides")
        terms[(i, j)] = imp * _closed_loop(box[i:j + 1], d) * _closed_loop(box[j:] + box[:i + 1], d)
    return {k: simplify(t.subs(v_sym, sp.sqrt(d * D_sym / tau_sym))) for k, t in terms.items()}


@cache
def _ladder_denominator(d: int) -> sp.Expr:
    r""":math:`1-\Pi(q,\omega)/\tau = Dq^2 - i\omega` to first order in :math:`\omega\tau` and
    :math:`(q\ell)^2`: the :math:`q^2` part from :func:`~mesocorr.diagrams.hikami.ladder_expansion`,
    the :math:`\omega` part from :math:`\gamma\nu\int d\xi\,G^R(\varepsilon+\hbar\omega)G^A(\varepsilon)`."""
    w = sp.Symbol("w", real=True)  # hbar omega
    one_minus = ladder_expansion(d) + (1 - _bubble_linear_in_energy(w))
    # a polynomial in Q and w over the symbols: cancel + expand is its canonical expanded form (= simplify's,
    # expanded; tests/test_derive_numeric_speed.py compares for d = 1, 2, 3)
    return sp.expand(sp.cancel(one_minus / tau_sym).subs(w, hbar_sym * omega))


@cache
def _bubble_linear_in_energy(w: sp.Symbol) -> sp.Expr:
    r""":math:`\Pi(0, w) = \gamma\nu\int d\xi\,G^R(\varepsilon+w)G^A(\varepsilon)` to first order in
    :math:`w = \hbar\omega`: :math:`\Pi(0,0) + w\,\partial_w\Pi(0,0)` (the Taylor polynomial of a function
    analytic at :math:`w = 0`, equal to ``series(..., w, 0, 2)``; independent of :math:`d`, so computed once)."""
    pi_w = hbar_sym / (2 * sp.pi * tau_sym) * _xi_energy_shift(w)
    return sp.cancel(pi_w.subs(w, 0)) + w * sp.cancel(sp.diff(pi_w, w).subs(w, 0))


def _xi_energy_shift(w: sp.Symbol) -> sp.Expr:
    r""":math:`\int d\xi\,G^R(\xi; \varepsilon+w)G^A(\xi; \varepsilon)` by the residue theorem, the residue in closed
    form: :math:`G^R = -1/(\xi - p)` with its simple pole at :math:`p = w + i\hbar/2\tau` (upper half plane for real
    :math:`w`), so the integral is :math:`-2\pi i\,G^A(p)`. Equal to
    :func:`~mesocorr.diagrams.hikami.residue_integral` of the product (tests/test_derive_ucf_scaling_speed.py)."""
    pole = w + sp.I * hbar_sym / (2 * tau_sym)
    return -2 * sp.pi * sp.I * green_advanced().subs(xi_sym, pole)


# ------------------------------------------------------------------ assembly
@cache
def derive_weights(kind: str = "diffuson", d: int = 3) -> dict:
    r"""Derive the per-mode weights of :math:`|P|^2` and :math:`\operatorname{Re}P^2` from the diagrams.

    Returns a dict with ``"ring"`` (coefficient of :math:`\operatorname{Re}P^2`), ``"two_box"``
    (coefficient of :math:`|P|^2`), ``"ratio"`` = two_box/ring, ``"total"`` (their sum, the
    :math:`\omega = 0` weight), ``"boxes"`` (box value per diagram topology), ``"diagrams"``
    (number of diagrams per topology), ``"mean_g"`` (:math:`\langle g\rangle` of the same Kubo
    bubble in terms of :math:`E_c` and :math:`\Delta`) and ``"ladder"`` (:math:`1-\Pi` over
    :math:`\tau`). The result does not depend on ``d`` or ``kind`` (tests).

    >>> w = derive_weights()
    >>> w["ring"], w["two_box"], w["ratio"], w["total"]
    (2/pi**4, 4/pi**4, 2, 6/pi**4)
    """
    if kind not in _KINDS:
        raise ValueError(f"kind: must be 'diffuson' or 'cooperon', got {kind!r}")
    if d not in (1, 2, 3):
        raise ValueError(f"d: must be 1, 2 or 3, got {d!r}")
    imp = hbar_sym / (2 * sp.pi * nu_sym * tau_sym)
    denominator = _ladder_denominator(d)
    # mode units: D q^2 = pi^2 (D/L^2) lambda, omega -> s pi^2 (D/L^2) omega~ for a ladder of energy
    # sign s; Gamma = (prefactor) / (lambda - i s omega~), the prefactor must not depend on s
    lam_n, w_n = sp.symbols("lambda_n omega_n", positive=True)
    prefactors = set()
    for sign in (1, -1):
        in_modes = denominator.subs({Q_sym: sp.pi * sp.sqrt(lam_n) / L_len,
                                     omega: sign * sp.pi**2 * D_sym * w_n / L_len**2})
        prefactors.add(sp.cancel(imp / (tau_sym * in_modes) * (lam_n - sign * sp.I * w_n)))  # rational: canonical
    (ladder,) = prefactors
    if ladder.has(lam_n, w_n):  # pragma: no cover
        raise ArithmeticError(f"ladder is not proportional to 1/(lambda -+ i omega~): {ladder}")
    # g = G/(e^2/h), G = sigma V/L^2 (current along L), sigma = (e^2 hbar/2 pi V) Tr[v G^R v G^A]
    e = sp.Symbol("e", positive=True)
    kubo = simplify(2 * sp.pi * hbar_sym / e**2 * volume / L_len**2 * e**2 * hbar_sym / (2 * sp.pi * volume))
    total = sp.Integer(0)
    boxes, count = {}, {}
    for diagram in ucf_diagrams(kind):
        values = [simplify(sum(box_terms(b, d).values())) for b in diagram.boxes]
        boxes.setdefault(diagram.topology, set()).update(values)
        count[diagram.topology] = count.get(diagram.topology, 0) + 1
        total += kubo**2 * sp.Mul(*values) * ladder**2 * diagram.loop
    total = sp.expand(sp.cancel(total))  # a polynomial in P, Pbar: cancel + expand = simplify + expand (tests)
    if total.free_symbols - {P_sym, Pbar_sym}:  # pragma: no cover - would be a derivation error
        raise ArithmeticError(f"UCF weights depend on microscopic parameters: {total}")
    c_pp, c_bar = total.coeff(P_sym, 2), total.coeff(Pbar_sym, 2)
    if simplify(c_pp - c_bar) != 0:  # pragma: no cover
        raise ArithmeticError("ring diagrams are not complex conjugates of each other")
    ring, two_box = 2 * c_pp, total.coeff(P_sym, 1).coeff(Pbar_sym, 1)
    mean = simplify(kubo * volume * nu_sym * _angle(2, 1, d) * _xi(1, 1))
    mean = simplify(mean.subs(v_sym, sp.sqrt(d * D_sym / tau_sym))
                       .subs(D_sym, E_c * L_len**2 / hbar_sym).subs(nu_sym, 1 / (Delta * volume)))
    return {"ring": ring, "two_box": two_box, "ratio": simplify(two_box / ring),
            "total": simplify(ring + two_box),
            "boxes": {k: (v.pop() if len(v) == 1 else tuple(v)) for k, v in boxes.items()},
            "diagrams": count, "mean_g": mean, "ladder": denominator}


def derive_box_weight(kind: str = "diffuson", d: int = 3) -> sp.Expr:
    r"""The two-box (diffusion-coefficient) weight :math:`w_{\rm box}`, derived from the diagrams.

    >>> derive_box_weight(), derive_box_weight() / derive_weights()["ring"]
    (4/pi**4, 2)
    """
    return derive_weights(kind, d)["two_box"]


def derivation_steps(kind: str = "diffuson", d: int = 3) -> list[tuple[str, object]]:
    """``(explanation, value)`` pairs of the derivation of the UCF weights (see the module docstring)."""
    w = derive_weights(kind, d)
    ring_diagram = next(x for x in ucf_diagrams(kind) if x.topology == "ring")
    box_diagram = next(x for x in ucf_diagrams(kind) if x.topology == "two_box")
    return [
        ("Kubo bubble, spinless, RA part: g = (hbar^2/L^2) Tr[v_x G^R v_x G^A]; mean <g>", w["mean_g"]),
        ("ladder Gamma = gamma/(1 - Pi); (1 - Pi)/tau", w["ladder"]),
        ("two-ladder diagrams per topology (ladder merges dropped)", w["diagrams"]),
        ("ring box terms (bare, impurity-line dressings)", box_terms(ring_diagram.boxes[0], d)),
        ("two-box box terms (bare, impurity-line dressings)", box_terms(box_diagram.boxes[0], d)),
        ("box values per topology", w["boxes"]),
        ("weight of Re P^2 (ring)", w["ring"]),
        ("weight of |P|^2 (two-box)", w["two_box"]),
        ("ratio two-box / ring", w["ratio"]),
        ("total weight at omega = 0", w["total"]),
    ]


def derive_ring_weight() -> sp.Expr:
    r"""Ring weight per channel from the density-of-states route (an independent check).

    :math:`w_{\rm ring} = (2\pi E_c/\Delta)^2(\Delta^2/2\pi^2)(\pi^2E_c)^{-2} = 2/\pi^4`: the
    Thouless conductance :math:`g = 2\pi E_c/\Delta` with :math:`\delta g/g = \delta\nu/\nu` and
    the Altshuler-Shklovskii correlator :math:`\langle\delta\nu\delta\nu\rangle/\nu^2 =
    (\Delta^2/2\pi^2)\operatorname{Re}\sum(\hbar Dq^2-i\hbar\omega)^{-2}` [AS86, eq. (8)]. The
    weights used by :func:`derive_prefactor` come from :func:`derive_weights`.

    >>> derive_ring_weight()
    2/pi**4
    """
    g_mean = 2 * sp.pi * E_c / Delta                         # Einstein-Thouless, spinless, units e^2/h
    dos_corr = Delta**2 / (2 * sp.pi**2)                     # AS86 per channel, times Re sum (hbar D q^2)^-2
    mode_unit = (sp.pi**2 * E_c) ** -2                       # (hbar D q^2)^-2 = (pi^2 E_c lambda)^-2
    return simplify(g_mean**2 * dos_corr * mode_unit)


def derive_prefactor() -> dict[str, sp.Expr]:
    r"""Weights of the two topologies and the total per spin channel at :math:`\omega = 0`.

    From the Green's-function diagrams (:func:`derive_weights`, Diffusons; evaluated in
    :math:`d = 1`, the cheapest angular average — the weights are the same in d = 2, 3 and for
    Cooperons, checked in the tests).

    >>> derive_prefactor()
    {'ring': 2/pi**4, 'two_box': 4/pi**4, 'total': 6/pi**4}
    """
    return dict(_prefactor())


@cache
def _prefactor() -> tuple[tuple[str, sp.Expr], ...]:
    """The work of :func:`derive_prefactor`, done once (immutable, so the cache cannot be altered)."""
    w = derive_weights("diffuson", 1)
    weights = {"ring": w["ring"], "two_box": w["two_box"]}
    total = sum(weights[t.name] * t.loop(omega_=0) for t in TOPOLOGIES) * (lam + gamma) ** 2
    weights["total"] = simplify(total)
    return tuple(weights.items())


def _component_rates(name: str, value) -> tuple:
    """``so``/``mag`` input: one value = isotropic total (a third per axis), three = x, y, z components."""
    rates = one_or_three(name, value, sympy_value)
    for r in rates if isinstance(rates, tuple) else (rates,):
        if r.is_number and (r.is_real is False or r.is_negative):
            raise ValueError(f"{name}: rates must be real and non-negative, got {r}")
    return rates if isinstance(rates, tuple) else (rates / 3,) * 3


def channel_content(so=0, mag=0, broken_trs: bool = False, spinless: bool = False,
                    spectra: dict | None = None) -> list[tuple[str, str, sp.Expr]]:
    """The (kind, channel name, gap) triples that enter the variance, each with weight one.

    Spinless electrons: one channel per kind, gap 0. Gaps are in the units of the rates passed; the
    spin-½ channels come from the engine (:func:`mesocorr.diagrams.pair_kernel.spin_half_channels`).
    ``spectra``: engine results instead of ``so``/``mag``, a dict kind -> :class:`~mesocorr.diagrams.pair_kernel.
    PairSpectrum` (or a sequence of its channels) of any model (e.g. with uniform terms: complex gaps;
    for a non-normal gap operator the two-box loop needs pair weights, see :mod:`mesocorr.zeeman`).
    """
    kinds = ("diffuson",) if broken_trs else ("diffuson", "cooperon")
    if spinless:
        return [(k, "spinless", sp.Integer(0)) for k in kinds]
    if spectra is not None:
        out = []
        for k in kinds:
            if k not in spectra:
                raise ValueError(f"spectra: no {k} spectrum given")
            chans = spectra[k].channels if isinstance(spectra[k], PairSpectrum) else spectra[k]
            out += [(k, c.name, c.gap) for c in chans]
        return out
    a, b = _component_rates("so", so), _component_rates("mag", mag)
    return [(k, c.name, c.gap) for k in kinds for c in spin_half_channels(k, a, b)]


def _surviving(content, rate: sp.Symbol) -> int:
    """Channels whose gap does not grow with ``rate`` (they survive rate -> infinity)."""
    return sum(1 for _, _, g in content if sp.diff(g, rate) == 0)


def symmetry_factors() -> dict[str, sp.Rational]:
    r"""Variance factors relative to spin-degenerate, no spin scattering, time-reversal symmetric.

    Derived by counting the channels of :func:`mesocorr.channels` whose gaps stay zero when a
    rate goes to infinity (a gapped channel's :math:`\sum_n(\lambda_n+\gamma)^{-2}\to 0`).

    >>> symmetry_factors()
    {'reference': 1, 'spinless': 1/4, 'broken_trs': 1/2, 'strong_so': 1/4, 'strong_mag': 1/8, 'strong_so_broken_trs': 1/8}
    """
    r = sp.Symbol("Gamma", positive=True)
    ref = channel_content()
    n_ref = len(ref)
    if any(g != 0 for _, _, g in ref):  # pragma: no cover - would be an error of mesocorr.channels
        raise ArithmeticError("reference channels must be gapless without spin scattering")
    return {
        "reference": sp.Integer(1),
        "spinless": sp.Rational(len(channel_content(spinless=True)), n_ref),
        "broken_trs": sp.Rational(len(channel_content(broken_trs=True)), n_ref),
        "strong_so": sp.Rational(_surviving(channel_content(so=r), r), n_ref),
        "strong_mag": sp.Rational(_surviving(channel_content(mag=r), r), n_ref),
        "strong_so_broken_trs": sp.Rational(_surviving(channel_content(so=r, broken_trs=True), r), n_ref),
    }


def wire_variance(broken_trs: bool = False, spinless: bool = True) -> sp.Expr:
    r"""Quasi-1D variance (no spin scattering) from the prefactor and :math:`\sum_{n\ge1} n^{-4}`.

    >>> wire_variance(), wire_variance(broken_trs=True), wire_variance(spinless=False)
    (2/15, 1/15, 8/15)
    """
    count = len(channel_content(broken_trs=broken_trs, spinless=spinless))
    return simplify(derive_prefactor()["total"] * count * _wire_mode_sum())


@cache
def _wire_mode_sum() -> sp.Expr:
    r""":math:`\sum_{n\ge1} n^{-4}` by SymPy's summation, once per process (it is not cached by SymPy)."""
    n = sp.Symbol("n", integer=True, positive=True)
    return sp.summation(1 / n**4, (n, 1, sp.oo))


def correlation_expression() -> sp.Expr:
    r"""Per-channel, per-mode summand of :math:`\langle\delta g(\epsilon)\delta g(\epsilon+\hbar\omega)\rangle`.

    >>> correlation_expression().subs(omega, 0).simplify()
    6/(pi**4*(gamma + lambda)**2)
    """
    w = derive_prefactor()
    return sum(w[t.name] * t.loop() for t in TOPOLOGIES)
