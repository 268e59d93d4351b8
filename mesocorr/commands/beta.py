"""``mesocorr beta``: perturbative beta function (see :func:`mesocorr.scaling.beta_function`)."""

from __future__ import annotations

import math

from mesocorr.options import count, real
from mesocorr.cli import CliError, format_table

NAME = "beta"
ORDER = 40
HELP = "perturbative beta function d ln g / d ln L (g = G/(e^2/h), both spins) or its plot"


def add_scaling_arguments(p):
    """``--class``, ``--dim``, ``--loops``: the arguments ``beta`` and ``flow`` share."""
    p.add_argument("--class", dest="symmetry_class", default="orthogonal",
                   help="symmetry class: orthogonal, unitary or symplectic (default orthogonal)")
    p.add_argument("--dim", type=real, default=2.0, help="1 (quasi-1D wire) or d >= 2 (d = 2 + epsilon); default 2")
    p.add_argument("--loops", type=count(), default=None, help="truncation order (default: highest known)")


def dim_value(value: float):
    """``--dim`` as given: an int when integral (``2``, not ``2.0``, in the output); inf/nan go on to the API check."""
    return int(value) if math.isfinite(value) and value == int(value) else value


def check_figure_path(path: str, option: str) -> None:
    """Refuse a figure path before any work: a writable file in an existing folder, a format matplotlib writes."""
    import os

    from mesocorr.user_files import check_output_file

    check_output_file(path, option)
    ext = os.path.splitext(path)[1][1:].lower()
    if ext:
        try:
            from matplotlib.backend_bases import FigureCanvasBase
        except ImportError:
            raise CliError(f"{option}: matplotlib is required for figures "
                           "(install the plot extra: pip install 'mesocorr[plot]')") from None
        formats = FigureCanvasBase.get_supported_filetypes()
        if ext not in formats:
            raise CliError(f"{option}: matplotlib cannot write .{ext} files; use one of {', '.join(sorted(formats))}")


def register(p):
    add_scaling_arguments(p)
    p.add_argument("--g", type=real, default=None, help="conductance g = G/(e^2/h), both spins counted (> 0)")
    p.add_argument("--plot", default=None, metavar="FILE",
                   help="write the classic figure (beta vs g, three classes, d = 1, 2, 3) to FILE (needs matplotlib)")


def run(args):
    from mesocorr.scaling import beta_function, beta_series_text

    dim = dim_value(args.dim)
    if args.plot is not None:
        from mesocorr.plots import plot_beta

        check_figure_path(args.plot, "--plot")
        try:
            plot_beta(args.plot, loops=args.loops)
        except ImportError as exc:
            raise CliError(str(exc)) from None
        return {"plot": args.plot}, f"wrote {args.plot}"
    if args.g is None:
        raise CliError("beta: give --g (or --plot FILE)")
    value = beta_function(args.g, args.symmetry_class, dim, args.loops)
    series = beta_series_text(args.symmetry_class, dim, args.loops)  # no SymPy: the CLI starts fast
    result = {"beta": value, "g": args.g, "class": args.symmetry_class, "dim": dim,
              "loops": args.loops if args.loops is not None else "highest known", "series": series,
              "convention": "g = G/(e^2/h) with both spins; beta = d ln g / d ln L"}
    text = format_table([("beta", value), ("series", series), ("class", args.symmetry_class), ("dim", dim),
                         ("g = G/(e^2/h)", args.g), ("loops", result["loops"])], ("quantity", "value"))
    return result, text
