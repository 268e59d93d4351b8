r"""Random-matrix transport through a chaotic cavity: circular ensembles and exact averages.

A chaotic cavity (quantum dot) coupled to two ideal leads with :math:`N_1` and :math:`N_2`
channels has a scattering matrix distributed according to a circular ensemble:
COE (:math:`\beta = 1`, time-reversal symmetry, no spin-orbit), CUE (:math:`\beta = 2`, broken
time-reversal symmetry) or CSE (:math:`\beta = 4`, time-reversal symmetry with strong spin-orbit
scattering).

Counting (see ``docs/conventions.md``, section "Scattering matrices, multi-terminal transport, random matrices")
----------------------------------------------------------------------------------------------------------------
The dimensionless transmission is :math:`T = \sum_{n=1}^{\min(N_1,N_2)} T_n`, the sum of the
*distinct* transmission eigenvalues:

* :math:`\beta = 1, 2`: :math:`N_1, N_2` count orbital channels, the S-matrix is
  :math:`(N_1+N_2)\times(N_1+N_2)` and :math:`T = \mathrm{Tr}\,t^\dagger t`; spin is a
  degeneracy factor 2 outside the S-matrix.
* :math:`\beta = 4`: :math:`N_1, N_2` count **Kramers pairs**, the S-matrix is
  :math:`2(N_1+N_2)\times 2(N_1+N_2)` (basis ordered ``(1↑, 1↓, 2↑, 2↓, ...)``) and every
  transmission eigenvalue is doubly degenerate; :math:`T = \tfrac12\mathrm{Tr}\,t^\dagger t`.

In all three cases the conductance is :math:`G = 2 (e^2/h)\, T`, i.e. :math:`T = g/2` with
mesocorr's dimensionless :math:`g = G/(e^2/h)`.

Exact averages (:func:`cavity_transmission_moments`)
------------------------------------------------------
.. math::

   \langle T\rangle = \frac{N_1 N_2}{N_1 + N_2 - 1 + 2/\beta},

   \operatorname{var} T = \frac{(2/\beta)\, N_1 N_2 (N_1 - 1 + 2/\beta)(N_2 - 1 + 2/\beta)}
        {(N - 2 + 2/\beta)(N - 1 + 2/\beta)^2 (N - 1 + 4/\beta)},\qquad N = N_1 + N_2 .

These closed forms are evaluated as exact :class:`fractions.Fraction`. An independent exact
route, ``method="jacobi"``, integrates the joint distribution of the transmission eigenvalues

.. math:: P(\{T_n\}) \propto \prod_{i<j} |T_i - T_j|^\beta \prod_i T_i^{\frac\beta2(|N_2-N_1|+1)-1}

term by term in exact rational arithmetic (feasible for :math:`\min(N_1, N_2) \le 4`).
The large-:math:`N` limits (:func:`cavity_large_N_limits`) are obtained by a SymPy series of the
closed forms: :math:`\langle T\rangle = N_1N_2/N + (1 - 2/\beta) N_1 N_2/N^2 + O(1/N)`
(weak localization for :math:`\beta = 1`, none for :math:`\beta = 2`, antilocalization for
:math:`\beta = 4`) and :math:`\operatorname{var} T \to (2/\beta) N_1^2 N_2^2 / N^4`
(:math:`= 1/(8\beta)` for :math:`N_1 = N_2`).

References
----------
.. [BM94] H. U. Baranger, P. A. Mello, PRL 73, 142 (1994).
.. [JPB94] R. A. Jalabert, J.-L. Pichard, C. W. J. Beenakker, Europhys. Lett. 27, 255 (1994).
.. [BB96] P. W. Brouwer, C. W. J. Beenakker, J. Math. Phys. 37, 4904 (1996) (exact finite-N
   averages for beta = 1, 2, 4).
.. [Bee97] C. W. J. Beenakker, Rev. Mod. Phys. 69, 731 (1997), Sec. III (quantum dots).
.. [Mez07] F. Mezzadri, Notices of the AMS 54, 592 (2007) (Haar unitary via QR with phase fix).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache, lru_cache
from itertools import combinations

import numpy as np

from mesocorr.progress import progress
from mesocorr.arguments import MAX_CHANNELS, boolean, check_work, choice, float64_range, integer

__all__ = [
    "BETAS", "ENSEMBLE_NAMES", "haar_unitary", "circular_ensemble", "symplectic_unit", "quaternion_dual",
    "CavityMoments", "cavity_transmission_moments", "cavity_large_N_limits", "sample_cavity_transmission",
    "sampled_moments",
]

BETAS = (1, 2, 4)
ENSEMBLE_NAMES = {1: "COE", 2: "CUE", 4: "CSE"}
#: largest min(N1, N2) for the exact Jacobi-ensemble integration route
JACOBI_MAX_CHANNELS = 4
#: refuse sampling work estimated above this many seconds (matrices x dimension^3 x SECONDS_PER_N3)
SECONDS_CAP = 20.0
#: measured cost of one Haar matrix per dimension^3 (QR of a complex Gaussian matrix; 2-5e-8 s on a shared
#: 2-core machine): a single 700 x 700 matrix, or 10^4 matrices of dimension 100, fit in SECONDS_CAP
SECONDS_PER_N3 = 5e-8
#: largest array of matrices held at once (complex128): 256 MB
MAX_BYTES = 256 * 2**20


def _check_sampling(dim: int, count: int, what: str) -> None:
    check_work("N", count * dim**3 * SECONDS_PER_N3, SECONDS_CAP, f"{what} ({count} matrices of dimension {dim})")


def _beta(beta) -> int:
    if isinstance(beta, bool) or not isinstance(beta, (int, np.integer)):
        raise TypeError(f"beta: expected an integer 1, 2 or 4, got {beta!r}")
    return int(choice("beta", int(beta), BETAS))


def _rng(seed=None, rng=None) -> np.random.Generator:
    if rng is not None:
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng: expected a numpy.random.Generator, got {type(rng).__name__}")
        return rng
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0):
        raise TypeError(f"seed: expected a non-negative integer or None, got {seed!r}")
    return np.random.default_rng(seed)


# ---------------------------------------------------------------------------------------------
# sampling
# ---------------------------------------------------------------------------------------------

def haar_unitary(n: int, size: int | None = None, *, seed=None, rng=None) -> np.ndarray:
    r"""Haar-distributed unitary matrices (the CUE) by QR with the phase fix of Mezzadri.

    ``Z`` has i.i.d. standard complex Gaussian entries, ``Z = QR``; ``Q diag(r_ii/|r_ii|)`` is
    Haar distributed (without the phase fix it is not).

    Parameters
    ----------
    n : int
        Matrix dimension (>= 1).
    size : int or None
        Number of matrices; ``None`` returns one ``(n, n)`` matrix, else ``(size, n, n)``.
    seed, rng
        Seed for :func:`numpy.random.default_rng`, or a generator.

    References
    ----------
    F. Mezzadri, Notices of the AMS 54, 592 (2007), Sec. 5.
    """
    n = integer("n", n, minimum=1)
    g = _rng(seed, rng)
    m = 1 if size is None else integer("size", size, minimum=1)
    if 2 * m * n * n * 16 > MAX_BYTES:
        raise ValueError(f"size: {m} matrices of dimension {n} need {2 * m * n * n * 16 / 2**20:.0f} MB "
                         f"(cap {MAX_BYTES // 2**20} MB); ask for fewer at a time")
    _check_sampling(n, m, "Haar sampling")
    z = (g.standard_normal((m, n, n)) + 1j * g.standard_normal((m, n, n))) / math.sqrt(2.0)
    q, r = np.linalg.qr(z)
    d = np.diagonal(r, axis1=-2, axis2=-1)
    q = q * (d / np.abs(d))[..., None, :]
    return q[0] if size is None else q


def symplectic_unit(pairs: int) -> np.ndarray:
    r"""The antisymmetric unit :math:`J = 1_{\text{pairs}} \otimes i\sigma_y` (basis ``1↑, 1↓, 2↑, ...``)."""
    pairs = integer("pairs", pairs, minimum=1)
    return np.kron(np.eye(pairs), np.array([[0.0, 1.0], [-1.0, 0.0]]))


def quaternion_dual(matrix: np.ndarray) -> np.ndarray:
    r"""Quaternion (symplectic) dual :math:`A^R = J A^T J^T` of a :math:`2n\times 2n` matrix (or a stack).

    A spin-orbit system with time-reversal symmetry has a self-dual S-matrix, :math:`S = S^R`.
    """
    a = np.asarray(matrix)
    if a.ndim < 2 or a.shape[-1] != a.shape[-2] or a.shape[-1] % 2:
        raise ValueError(f"matrix: quaternion dual needs square matrices of even dimension, got shape {a.shape}")
    j = symplectic_unit(a.shape[-1] // 2)
    return j @ np.swapaxes(a, -1, -2) @ j.T


@float64_range
def circular_ensemble(beta: int, N: int, size: int | None = None, *, seed=None, rng=None) -> np.ndarray:
    r"""Sample scattering matrices from the circular ensemble of symmetry class ``beta``.

    * :math:`\beta = 2` (CUE): :math:`S = U`, Haar unitary, dimension ``N``.
    * :math:`\beta = 1` (COE): :math:`S = U^T U`, symmetric unitary, dimension ``N``.
    * :math:`\beta = 4` (CSE): :math:`S = U^R U` with :math:`U` Haar of dimension ``2N`` and
      :math:`U^R` its quaternion dual (:func:`~mesocorr.rmt.quaternion_dual`): self-dual unitary of dimension
      ``2N``; ``N`` counts Kramers pairs.

    Parameters
    ----------
    beta : {1, 2, 4}
        Dyson index: orthogonal (time reversal, no spin-orbit), unitary (broken time reversal),
        symplectic (time reversal with spin-orbit).
    N : int
        Matrix dimension (β = 1, 2) or number of Kramers pairs (β = 4).
    size : int, optional
        Number of matrices; ``None`` returns one matrix.
    seed : int, optional
        Seed of a new ``numpy.random.default_rng`` (reproducible samples).
    rng : numpy.random.Generator, optional
        Generator to draw from (instead of ``seed``).

    Returns
    -------
    numpy.ndarray
        Complex ``(N, N)`` (``(2N, 2N)`` for β = 4), or ``(size, ...)`` with ``size``.

    Examples
    --------
    >>> import numpy as np
    >>> S = circular_ensemble(1, 3, seed=1)
    >>> S.shape, bool(np.allclose(S, S.T)), bool(np.allclose(S.conj().T @ S, np.eye(3)))
    ((3, 3), True, True)
    >>> circular_ensemble(4, 2, size=5, seed=1).shape
    (5, 4, 4)

    References
    ----------
    C. W. J. Beenakker, Rev. Mod. Phys. 69, 731 (1997), Sec. II (circular ensembles);
    F. Mezzadri, Notices of the AMS 54, 592 (2007).
    """
    beta = _beta(beta)
    N = integer("N", N, minimum=1)
    g = _rng(seed, rng)
    if beta == 2:
        return haar_unitary(N, size, rng=g)
    if beta == 1:
        u = haar_unitary(N, size, rng=g)
        return np.swapaxes(u, -1, -2) @ u
    u = haar_unitary(2 * N, size, rng=g)
    return quaternion_dual(u) @ u


@float64_range
def sample_cavity_transmission(beta: int, N1: int, N2: int, samples: int, *, seed=None, rng=None,
                               batch: int = 4096, show_progress: bool = False) -> np.ndarray:
    r"""Dimensionless transmissions :math:`T = \sum_n T_n` of ``samples`` random chaotic cavities.

    Lead 1 is the first ``N1`` channels (``2 N1`` rows for :math:`\beta = 4`), lead 2 the rest;
    :math:`t = S_{21}`; :math:`T = \mathrm{Tr}\, t^\dagger t` (:math:`\beta = 1, 2`) or
    :math:`\tfrac12 \mathrm{Tr}\, t^\dagger t` (:math:`\beta = 4`, per Kramers pair).
    ``show_progress`` reports the batches on stderr (:func:`mesocorr.progress.progress`) when the run is long.

    Parameters
    ----------
    beta : {1, 2, 4}
        Dyson index (see :func:`circular_ensemble`).
    N1, N2 : int
        Channels of lead 1 and lead 2 (Kramers pairs for β = 4).
    samples : int
        Number of cavities (capped; the cap is checked before any work).
    seed : int, optional
        Seed of a new ``numpy.random.default_rng``.
    rng : numpy.random.Generator, optional
        Generator to draw from (instead of ``seed``).
    batch : int
        Matrices drawn per batch (memory vs overhead).
    show_progress : bool
        Report progress on stderr.

    Returns
    -------
    numpy.ndarray
        ``(samples,)`` transmissions :math:`T` (per spin direction; :math:`G = 2(e^2/h)T` for β = 1, 2 with spin
        degeneracy).

    Examples
    --------
    The sample mean against the exact COE average 4/5 (N1 = N2 = 2), within its standard error:

    >>> import numpy as np
    >>> T = sample_cavity_transmission(1, 2, 2, 20000, seed=7)
    >>> mean, sem = T.mean(), T.std(ddof=1) / np.sqrt(T.size)
    >>> bool(abs(mean - 0.8) < 3 * sem)
    True
    """
    beta = _beta(beta)
    N1 = integer("N1", N1, minimum=1)
    N2 = integer("N2", N2, minimum=1)
    samples = integer("samples", samples, minimum=1)
    batch = integer("batch", batch, minimum=1)
    show_progress = boolean("show_progress", show_progress)
    g = _rng(seed, rng)
    k = 2 if beta == 4 else 1
    dim = k * (N1 + N2)
    _check_sampling(dim, samples, "sampling")
    batch = max(1, min(batch, MAX_BYTES // (2 * 16 * dim * dim)))   # memory per batch below MAX_BYTES
    out = np.empty(samples)
    starts = range(0, samples, batch)
    for done in progress(starts, label=f"sampling {ENSEMBLE_NAMES[beta]} batches", enabled=show_progress):
        m = min(batch, samples - done)
        s = circular_ensemble(beta, N1 + N2, m, rng=g)
        t = s[:, k * N1:, : k * N1]
        out[done:done + m] = np.sum(np.abs(t) ** 2, axis=(1, 2)) / k
    return out


def sampled_moments(values: np.ndarray) -> dict:
    r"""Mean, unbiased variance and their standard errors of a sample (two-pass, stable).

    ``mean_T_stderr`` = s/√n; ``var_T_stderr`` = √((m4 − s⁴ (n−3)/(n−1))/n) with m4 the central
    fourth moment (large-n standard error of the sample variance).
    """
    x = np.asarray(values, dtype=float).ravel()
    n = x.size
    if n < 2:
        raise ValueError(f"values: need at least 2 samples, got {n}")
    mean = float(np.mean(x))
    d = x - mean
    var = float(np.sum(d * d) / (n - 1))
    m4 = float(np.mean(d**4))
    var_se = math.sqrt(max(m4 - var * var * (n - 3) / (n - 1), 0.0) / n)
    return {"mean_T": mean, "mean_T_stderr": math.sqrt(var / n), "var_T": var, "var_T_stderr": var_se,
            "samples": n}


# ---------------------------------------------------------------------------------------------
# exact averages
# ---------------------------------------------------------------------------------------------

def _closed_form(x, N1, N2):
    """``(<T>, var T)`` with ``x = 2/beta``, exact in the arithmetic of the arguments.

    Called with a :class:`~fractions.Fraction` ``x`` and integer channel numbers (the exact values) and
    with SymPy symbols (the large-N series of :func:`cavity_large_N_limits`): one formula for both.
    """
    N = N1 + N2
    mean = N1 * N2 / (N - 1 + x)
    var = x * N1 * N2 * (N1 - 1 + x) * (N2 - 1 + x) / ((N - 2 + x) * (N - 1 + x) ** 2 * (N - 1 + 2 * x))
    return mean, var


def _poly_mul(p: dict, q: dict) -> dict:
    out: dict = {}
    for ea, ca in p.items():
        for eb, cb in q.items():
            e = tuple(x + y for x, y in zip(ea, eb))
            out[e] = out.get(e, 0) + ca * cb
    return {e: c for e, c in out.items() if c != 0}


@lru_cache(maxsize=64)
def _jacobi_moments(beta: int, n: int, alpha: Fraction) -> tuple[Fraction, Fraction, Fraction]:
    r"""Exact normalisation, <sum T> and <(sum T)^2> of the Jacobi ensemble on 0<T_1<...<T_n<1."""
    one = (0,) * n
    weight = {one: 1}
    for i, j in combinations(range(n), 2):  # prod_{i<j} (T_j - T_i)^beta, positive on the ordered simplex
        factor = {tuple(1 if k == j else 0 for k in range(n)): 1, tuple(1 if k == i else 0 for k in range(n)): -1}
        for _ in range(beta):
            weight = _poly_mul(weight, factor)
    linear = {tuple(1 if k == i else 0 for k in range(n)): 1 for i in range(n)}
    w1 = _poly_mul(weight, linear)
    w2 = _poly_mul(w1, linear)

    def integrate(poly: dict) -> Fraction:
        total = Fraction(0)
        for exps, coeff in poly.items():
            value = Fraction(coeff)
            carry = Fraction(0)  # exponent accumulated from the inner variables
            for e in exps:       # integrate T_1 from 0 to T_2, then T_2 from 0 to T_3, ..., T_n from 0 to 1
                p = e + alpha + carry
                value /= p + 1
                carry = p + 1
            total += value
        return total

    z = integrate(weight)
    return z, integrate(w1) / z, integrate(w2) / z


@dataclass(frozen=True)
class CavityMoments:
    r"""Exact :math:`\langle T\rangle` and :math:`\operatorname{var} T` of a chaotic cavity.

    ``mean_T`` and ``var_T`` are :class:`fractions.Fraction` of the dimensionless
    :math:`T = \sum_n T_n` (Kramers pairs counted once for :math:`\beta = 4`; :math:`G = 2(e^2/h)T`).
    """

    beta: int
    N1: int
    N2: int
    mean_T: Fraction
    var_T: Fraction
    method: str
    limits: dict = field(default_factory=dict, compare=False)

    @property
    def ensemble(self) -> str:
        return ENSEMBLE_NAMES[self.beta]

    @property
    def second_moment(self) -> Fraction:
        r""":math:`\langle T^2\rangle = \operatorname{var} T + \langle T\rangle^2`."""
        return self.var_T + self.mean_T**2

    def as_dict(self) -> dict:
        """JSON-friendly dict: exact rationals as strings plus float values."""
        return {
            "beta": self.beta, "ensemble": self.ensemble, "N1": self.N1, "N2": self.N2,
            "mean_T": str(self.mean_T), "var_T": str(self.var_T),
            "mean_T_float": float(self.mean_T), "var_T_float": float(self.var_T),
            "method": self.method,
            "T_definition": "T = sum of distinct transmission eigenvalues (Kramers pairs once for beta=4); "
                            "G = 2 (e^2/h) T",
            "large_N": {k: str(v) for k, v in self.limits.items()},
        }


@float64_range
def cavity_transmission_moments(beta: int, N1: int, N2: int, *, method: str = "formula") -> CavityMoments:
    r"""Exact finite-N mean and variance of the transmission of a chaotic cavity.

    Parameters
    ----------
    beta : {1, 2, 4}
        Symmetry class (COE, CUE, CSE).
    N1, N2 : int
        Channels in the two leads (1 to :data:`mesocorr.arguments.MAX_CHANNELS`); Kramers pairs for ``beta = 4``.
    method : {"formula", "jacobi"}
        ``"formula"``: the closed forms below (any N). ``"jacobi"``: exact rational integration
        of the joint transmission-eigenvalue distribution (independent route, min(N1, N2) <= 4).

    Returns
    -------
    CavityMoments
        ``mean_T``, ``var_T`` as exact fractions; ``limits`` holds the large-N terms evaluated at
        ``(N1, N2)``: ``classical`` = N1 N2/N, ``wl_correction`` = (1 − 2/β) N1 N2/N²,
        ``var_T`` = (2/β) N1² N2²/N⁴ (from the SymPy series of :func:`cavity_large_N_limits`).

    Notes
    -----
    .. math::

       \langle T\rangle = \frac{N_1 N_2}{N - 1 + 2/\beta},\quad
       \operatorname{var} T = \frac{(2/\beta) N_1 N_2 (N_1-1+2/\beta)(N_2-1+2/\beta)}
                             {(N-2+2/\beta)(N-1+2/\beta)^2(N-1+4/\beta)}.

    References
    ----------
    H. U. Baranger, P. A. Mello, PRL 73, 142 (1994); R. A. Jalabert, J.-L. Pichard,
    C. W. J. Beenakker, EPL 27, 255 (1994); P. W. Brouwer, C. W. J. Beenakker, J. Math. Phys. 37,
    4904 (1996). The general-beta closed forms are verified in ``tests/test_rmt.py`` against the
    exact Jacobi-ensemble integration, the beta-specific published forms and sampling.

    Examples
    --------
    >>> m = cavity_transmission_moments(1, 2, 2)
    >>> m.mean_T, m.var_T
    (Fraction(4, 5), Fraction(18, 175))
    """
    beta = _beta(beta)
    N1 = integer("N1", N1, minimum=1, maximum=MAX_CHANNELS)
    N2 = integer("N2", N2, minimum=1, maximum=MAX_CHANNELS)
    choice("method", method, ("formula", "jacobi"))
    if method == "formula":
        mean, var = _closed_form(Fraction(2, beta), N1, N2)
    else:
        n = min(N1, N2)
        if n > JACOBI_MAX_CHANNELS:
            raise ValueError(f"method: 'jacobi' supports min(N1, N2) <= {JACOBI_MAX_CHANNELS}, got {n}")
        alpha = Fraction(beta, 2) * (abs(N2 - N1) + 1) - 1
        _, m1, m2 = _jacobi_moments(beta, n, alpha)
        mean, var = m1, m2 - m1 * m1
    return CavityMoments(beta, N1, N2, mean, var, method, _large_N_values(beta, N1, N2))


@cache
def _large_N_terms(beta: int) -> dict:
    """The SymPy series of :func:`cavity_large_N_limits` for one ``beta`` (derived once per process)."""
    return cavity_large_N_limits(beta)


@cache
def _large_N_polynomials(beta: int) -> dict:
    """The derived large-N terms as exact rational functions of (N1, N2), once per ``beta``: key -> (numerator,
    denominator), each ``(scale, terms)`` with the polynomial ``sum(c * N1**i * N2**j for (i, j), c in terms) /
    scale``, integer coefficients ``c`` over one positive integer ``scale`` (from the SymPy series of
    :func:`cavity_large_N_limits`; evaluating them needs no SymPy and no Fraction arithmetic per term)."""
    import sympy as sp

    n1, n2 = sp.symbols("N1 N2", positive=True)
    out = {}
    for key, expr in _large_N_terms(beta).items():
        parts = []
        for p in sp.fraction(sp.together(expr)):
            terms = [(m, Fraction(int(c.p), int(c.q))) for m, c in sp.Poly(p, n1, n2).terms()]
            scale = math.lcm(*(c.denominator for _, c in terms))
            parts.append((scale, tuple((m, int(c * scale)) for m, c in terms)))
        out[key] = tuple(parts)
    return out


def _large_N_values(beta: int, N1: int, N2: int) -> dict:
    """The derived large-N terms evaluated exactly at ``(N1, N2)``, as fractions (integer sums, one Fraction per
    term; ``tests/test_rmt.py`` compares them with the SymPy expressions substituted)."""
    out = {}
    for key, ((s_top, top), (s_bottom, bottom)) in _large_N_polynomials(beta).items():
        t = sum(c * N1**i * N2**j for (i, j), c in top)
        b = sum(c * N1**i * N2**j for (i, j), c in bottom)
        out[key] = Fraction(t * s_bottom, b * s_top)
    return out


def cavity_large_N_limits(beta=None):
    r"""Large-N expansion of the exact averages, derived by a SymPy series (not typed in).

    With :math:`N_1 = a/\epsilon`, :math:`N_2 = b/\epsilon` the closed forms are expanded in
    :math:`\epsilon`; returns SymPy expressions in ``N1``, ``N2`` (and ``beta`` when not given):

    ``{"classical": N1 N2/(N1+N2), "wl_correction": (1 − 2/β) N1 N2/(N1+N2)²,
    "var_T": (2/β) N1² N2²/(N1+N2)⁴}``

    For :math:`N_1 = N_2`: δT = (1 − 2/β)/4 (−1/4, 0, +1/8) and var T = 1/(8β).

    Parameters
    ----------
    beta : {1, 2, 4}, optional
        Dyson index; ``None`` keeps :math:`\beta` as a symbol.

    Returns
    -------
    dict of sympy.Expr
        ``classical``, ``wl_correction`` and ``var_T`` of the dimensionless transmission
        :math:`T = \sum_n T_n` (as in :func:`cavity_transmission_moments`).

    Examples
    --------
    >>> lim = cavity_large_N_limits(1)
    >>> lim["wl_correction"]
    -N1*N2/(N1 + N2)**2
    >>> lim["var_T"]                                  # 1/8 for N1 = N2
    2*N1**2*N2**2/(N1 + N2)**4
    """
    import sympy as sp

    N1, N2, eps = sp.symbols("N1 N2 epsilon", positive=True)
    a, b = sp.symbols("a b", positive=True)
    bsym = sp.Symbol("beta", positive=True) if beta is None else sp.Integer(_beta(beta))
    mean, var = _closed_form(2 / bsym, N1, N2)
    scale = {N1: a / eps, N2: b / eps}
    ms = sp.series(mean.subs(scale), eps, 0, 1).removeO()
    vs = sp.series(var.subs(scale), eps, 0, 1).removeO()
    back = {a: N1 * eps, b: N2 * eps}
    classical = sp.simplify(ms.coeff(eps, -1).subs(back) / eps)
    wl = sp.factor(sp.simplify(ms.coeff(eps, 0).subs(back)))
    var_inf = sp.factor(sp.simplify(vs.coeff(eps, 0).subs(back)))
    return {"classical": classical, "wl_correction": wl, "var_T": var_inf}
