"""Options of the Dirac-material models (``mc --model``, ``channels --model``), shared by both commands.

Not a command (no ``NAME``). Fields in tesla, :math:`B_x = \\hbar/(4eD\\tau_x)` (see :mod:`mesocorr.dirac`):
``--B-intervalley`` (graphene, :math:`1/\\tau_i` the intervalley scattering rate), ``--B-intravalley``
(graphene, intravalley symmetry breaking), ``--mass-ratio`` and ``--B-elastic`` (TI surface,
:math:`a = m/E_F` and :math:`\\hbar/(4eD\\tau)`), ``--B-tunnel`` (TI film, :math:`1/\\tau_t` the rate of
tunnelling from one surface to the other). ``--B-phi`` itself belongs to the command.
"""

from __future__ import annotations

from mesocorr.cli import CliError
from mesocorr.options import exact_real

__all__ = ["DIRAC_CHOICES", "add_dirac_options", "dirac_parameters", "dirac_summary"]

#: ``--model`` values of the Dirac materials
DIRAC_CHOICES = ("graphene", "ti-surface", "ti-film")
_OPTIONS = (("B_intervalley", "graphene: intervalley field hbar/(4 e D tau_i) (T), 1/tau_i the intervalley "
                              "scattering rate"),
            ("B_intravalley", "graphene: intravalley symmetry-breaking field (T); B_star = B_intervalley + "
                              "B_intravalley (never add B_intervalley again)"),
            ("mass_ratio", "ti-surface: Dirac mass over Fermi energy a = m/E_F in [0, 1] (needs --B-elastic)"),
            ("B_elastic", "ti-surface: elastic field hbar/(4 e D tau) (T), the scale of the massive-cone gaps"),
            ("B_tunnel", "ti-film: tunnelling field hbar/(4 e D tau_t) (T), 1/tau_t the rate of tunnelling from one "
                         "surface to the other"))


def add_dirac_options(p) -> None:
    """Add ``--B-intervalley``, ``--B-intravalley``, ``--mass-ratio``, ``--B-elastic``, ``--B-tunnel``."""
    for dest, text in _OPTIONS:
        p.add_argument("--" + dest.replace("_", "-"), dest=dest, type=exact_real, default=None, help=text)


def dirac_parameters(args, model: str, B_phi: list) -> dict:
    """Keyword arguments of :func:`mesocorr.dirac.dirac_magnetoconductance` from the parsed options."""
    if B_phi is None:
        raise CliError(f"--B-phi: the {model} model needs the dephasing field B_phi (T)")
    if model != "ti-film" and len(B_phi) != 1:
        raise CliError(f"--B-phi: one value for --model {model} (two only for ti-film: top,bottom)")
    kw = {"B_phi": tuple(B_phi) if model == "ti-film" else B_phi[0]}
    for dest, _ in _OPTIONS:
        value = getattr(args, dest)
        if value is not None:
            kw[dest] = value
    return kw


def dirac_summary(model: str, kw: dict, channels: list) -> dict:
    """The JSON keys every Dirac output carries: parameters as given, ``B_star`` (graphene), ``alpha``."""
    from mesocorr.dirac import DEGENERACY

    phi = kw["B_phi"]
    out = {"model": model, "B_phi": [float(x) for x in phi] if isinstance(phi, tuple) else float(phi)}
    for dest, _ in _OPTIONS:
        out[dest] = None if kw.get(dest) is None else float(kw[dest])
    if model == "graphene":
        out["B_star"] = float((kw.get("B_intervalley") or 0) + (kw.get("B_intravalley") or 0))
        out["B_star_definition"] = "B_star = B_intervalley + B_intravalley (McCann et al. 2006); it already " \
                                   "contains the intervalley rate"
    gs, N = DEGENERACY[model]
    out["degeneracy"] = {"g_s": gs, "N": N}
    out["alpha"] = float(sum(c["alpha_share"] for c in channels))
    out["channels"] = channels
    return out
