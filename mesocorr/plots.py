r"""Figures of the quantities people plot most, in one publication style (matplotlib, optional).

matplotlib is the optional extra ``[plot]`` (``pip install 'mesocorr[plot]'``) and is imported only
when a function here is called. Every plot function

* accepts ``ax=`` (draw into an existing :class:`matplotlib.axes.Axes`; default: a new figure in the
  house style) and returns the :class:`matplotlib.figure.Figure`;
* labels its axes with mathtext and units (:math:`B` (mT), :math:`\Delta\sigma` (:math:`e^2/h`));
* draws inside :func:`style`, the one style of the package (STIX text and maths like a journal,
  ticks inside, 9 pt labels, a single-column 3.4 in width).

:func:`save_reproducibly` writes PNG, PDF or SVG without version or date metadata, so the same
figure gives the same bytes (the derivation documents rely on it); given several files it lays the figure
out once for all of them. :func:`plain_tick_labels` writes the tick labels of plain linear axes as text
instead of mathtext (the same glyphs, faster to draw); :func:`minor_ticks_as_markers` draws the unlabelled
minor ticks of a finished figure as one marker line per side instead of one Tick artist each.

Functions: :func:`plot_magnetoconductance` (data, a fit from :func:`mesocorr.fit_magnetoconductance`
and its residuals), :func:`plot_beta` and :func:`plot_flow` (scaling theory, with the region where the
perturbative series is not trustworthy shaded, criterion :func:`mesocorr.scaling.perturbative_limit`),
:func:`plot_ucf_channels` (the channel contributions of :func:`mesocorr.ucf_channels`).
"""

from __future__ import annotations

import math

import numpy as np

from mesocorr import arguments
from mesocorr.integrals.derived_constants import BETA_MAX_LOOPS
from mesocorr.scaling import CLASSES, beta_function, flow, perturbative_limit

__all__ = ["STYLE", "style", "save_reproducibly", "plain_tick_labels", "minor_ticks_as_markers", "plot_magnetoconductance",
           "plot_beta", "plot_flow", "plot_ucf_channels"]

#: rcParams of the house style (used by :func:`style`)
STYLE = {
    "font.family": "STIXGeneral",
    "mathtext.fontset": "stix",
    "font.size": 9.0,
    "axes.labelsize": 9.0,
    "axes.titlesize": 9.0,
    "legend.fontsize": 7.5,
    "xtick.labelsize": 8.0,
    "ytick.labelsize": 8.0,
    "axes.linewidth": 0.7,
    "lines.linewidth": 1.3,
    "lines.markersize": 3.5,
    "xtick.direction": "in",
    "ytick.direction": "in",
    "xtick.top": True,
    "ytick.right": True,
    "xtick.minor.visible": True,
    "ytick.minor.visible": True,
    "legend.frameon": False,
    "axes.formatter.use_mathtext": True,
    "figure.figsize": (3.4, 2.55),
    "figure.dpi": 150,
    "savefig.dpi": 200,
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "svg.hashsalt": "mesocorr",
}
#: line style per symmetry class and colour per dimension (β and flow figures)
CLASS_STYLE = {"orthogonal": "-", "unitary": "--", "symplectic": ":"}
DIM_COLOR = {1: "tab:red", 2: "tab:blue", 3: "tab:green"}
_UNSAFE = {"color": "0.9", "zorder": 0, "lw": 0}


def _mpl():
    try:
        import matplotlib
    except ImportError as exc:
        raise ImportError("matplotlib is required for plots: pip install 'mesocorr[plot]'") from exc
    return matplotlib


def _math_number(x: float, digits: int = 3) -> str:
    r"""``4.49e-06`` as mathtext ``4.49\times10^{-6}`` (plain ``0.25`` otherwise)."""
    text = f"{x:.{digits}g}"
    if "e" not in text:
        return text
    mant, power = text.split("e")
    return rf"{mant}\times10^{{{int(power)}}}" if mant != "1" else rf"10^{{{int(power)}}}"


def _flag(name: str, value) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name}: expected True or False, got {value!r}")
    return value


def style():
    """Context manager applying :data:`STYLE` (``with mesocorr.plots.style(): ...``)."""
    return _mpl().rc_context(STYLE)


def _axes(ax, figsize=None):
    """``ax`` or a new Axes in a new pyplot figure (shown inline in notebooks)."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def save_reproducibly(fig, path: str, *more_paths: str) -> None:
    """``fig.savefig(path)`` without version or date metadata (PNG, PDF, SVG): same figure, same bytes.

    ``more_paths``: further files of the same figure (e.g. the PDF beside a PNG). The figure's layout
    engine (constrained layout) runs once, while the first file is drawn; the others reuse that layout
    (positions in figure coordinates, independent of the output's dpi) instead of computing it again.
    """
    paths = [str(p) for p in (path, *more_paths)]
    engine = fig.get_layout_engine()
    try:
        for k, p in enumerate(paths):
            ext = p.rsplit(".", 1)[-1].lower()
            metadata = {"png": {"Software": None}, "pdf": {"Creator": None, "Producer": None, "CreationDate": None},
                        "svg": {"Creator": None, "Date": None}}.get(ext)
            with style():
                fig.savefig(p, metadata=metadata)
            if k == 0 and engine is not None and len(paths) > 1:
                fig.set_layout_engine("none")  # keep the positions just computed for the other files
    finally:
        if engine is not None:
            fig.set_layout_engine(engine)


def plain_tick_labels(fig) -> None:
    r"""Tick labels of the figure's linear axes as plain text instead of mathtext.

    The house style writes tick labels in mathtext (``axes.formatter.use_mathtext``) so that an
    offset or a scientific multiplier reads :math:`\times10^{-6}`; for axes whose ticks are plain
    numbers the plain text is the same STIX glyphs (with a Unicode minus) and costs no mathtext parse.
    Only for axes without offset or multiplier (the caller knows its ranges); log axes keep
    their :math:`10^n` labels.
    """
    from matplotlib.ticker import ScalarFormatter

    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            formatter = axis.get_major_formatter()
            if type(formatter) is ScalarFormatter:
                formatter.set_useMathText(False)
                formatter.set_useOffset(False)


def minor_ticks_as_markers(fig) -> None:
    """Draw the unlabelled minor ticks of the figure's axes as one marker line per side, not one Tick each.

    matplotlib makes a Tick (two tick lines, two labels, a grid line) for every minor tick and draws
    each separately; the house style's minor ticks on all four sides are most of a figure's
    artists. This replaces them by two :class:`~matplotlib.lines.Line2D` per axis (bottom/top or
    left/right) carrying the Tick's own marker, size, width, colour and visibility, unclipped, at the
    locations the axis would draw (its minor locator, ticks on a major tick removed, inside the
    view limits): the same marks for much less work. The view limits are frozen first (the marks
    must not move them), so call it when the data and limits are final and the figure will not be
    rescaled; axes whose minor ticks carry labels (a log axis spanning less than a decade or two)
    are left alone. A legend with ``loc="best"`` would count the marks as data: use a fixed location.
    """
    from matplotlib.lines import Line2D
    from matplotlib.ticker import NullLocator

    for ax in fig.axes:
        ax.set_xlim(ax.get_xlim())
        ax.set_ylim(ax.get_ylim())
        for axis in (ax.xaxis, ax.yaxis):
            if isinstance(axis.get_minor_locator(), NullLocator):
                continue
            locs = axis.get_minorticklocs()
            lo, hi = sorted(axis.get_transform().transform(axis.get_view_interval()))
            where = axis.get_transform().transform(locs)
            tol = (hi - lo) * 1e-10  # the tolerance with which the axis itself keeps a tick at the limits
            locs = locs[(where >= lo - tol) & (where <= hi + tol)]
            if any(axis.get_minor_formatter().format_ticks(locs)):
                continue  # labelled minor ticks: keep them as ticks
            tick = axis.get_minor_ticks(1)[0]  # the template: its lines have the style of every minor tick
            for line in (tick.tick1line, tick.tick2line):
                if not line.get_visible():
                    continue
                side = np.full(len(locs), (line.get_ydata() if axis is ax.xaxis else line.get_xdata())[0])
                data = (locs, side) if axis is ax.xaxis else (side, locs)  # side: 0 or 1 in axes coordinates
                marks = Line2D(*data, label="_minor ticks", linestyle="none", marker=line.get_marker(), markersize=line.get_markersize(),
                               markeredgewidth=line.get_markeredgewidth(), markeredgecolor=line.get_markeredgecolor(),
                               zorder=axis.get_zorder(), transform=line.get_transform(), clip_on=False)
                ax.add_artist(marks)
            axis.set_minor_locator(NullLocator())


# --------------------------------------------------------------------------- magnetoconductance
def plot_magnetoconductance(B=None, delta_sigma=None, *, fit=None, sigma=None, ax=None, residuals=None,
                            label: str = "data", field_unit: str = "mT", per_square: bool = True):
    r"""A magnetoconductance trace :math:`\Delta\sigma(B)` with a fit and its residuals.

    Parameters
    ----------
    B, delta_sigma : array_like, optional
        Fields (T) and :math:`\Delta\sigma` (:math:`e^2/h`); default: the data of ``fit``.
    fit : FitResult, optional
        From :func:`mesocorr.fit_magnetoconductance`; its model is drawn on a fine grid and its
        residuals in a panel below.
    sigma : array_like or float, optional
        Error bars of ``delta_sigma`` (:math:`e^2/h`).
    ax : matplotlib Axes, optional
        Draw here (the residual panel is split off its bottom); default a new figure.
    residuals : bool, optional
        Draw the residual panel; default True when a fit is given.
    label : str
        Legend entry of the data.
    field_unit : {"mT", "T"}
    per_square : bool
        Label the unit as :math:`e^2/h` per square (2D); False for other geometries.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    A fit with its residual panel, saved as vector PDF (matplotlib required, hence skipped as a doctest):

    >>> import numpy as np, mesocorr
    >>> B = np.linspace(-0.05, 0.05, 41)
    >>> dsigma = mesocorr.magnetoconductance(B, D=0.01, phi=4e10, so=6e11)
    >>> r = mesocorr.fit_magnetoconductance(B, dsigma, model="hln", D=0.01)      # doctest: +SKIP
    >>> fig = mesocorr.plot_magnetoconductance(fit=r, sigma=0.002)                 # doctest: +SKIP
    >>> mesocorr.plots.save_reproducibly(fig, "mc-fit.pdf")                        # doctest: +SKIP
    """
    arguments.choice("field_unit", field_unit, ("mT", "T"))
    if fit is not None and B is None:
        B, delta_sigma = fit.B, fit.delta_sigma
    if B is None or delta_sigma is None:
        raise ValueError("B: give B and delta_sigma, or a fit")
    B = np.asarray(B, dtype=float)
    y = np.asarray(delta_sigma, dtype=float)
    if B.shape != y.shape or B.ndim != 1:
        raise ValueError(f"delta_sigma: must be a 1D array of the shape of B {B.shape}, got {y.shape}")
    residuals = (fit is not None) if residuals is None else _flag("residuals", residuals)
    _flag("per_square", per_square)
    if residuals and fit is None:
        raise ValueError("residuals: need a fit")
    scale = 1e3 if field_unit == "mT" else 1.0
    unit = r"$e^2/h$" + (" per square" if per_square else "")
    with style():
        bottom = None
        if ax is None and residuals:  # a new figure: two panels in one constrained layout
            import matplotlib.pyplot as plt

            _, (ax, bottom) = plt.subplots(2, 1, sharex=True, figsize=(3.4, 3.2), layout="constrained",
                                           height_ratios=(3, 1))
        ax = _axes(ax)
        err = None if sigma is None else np.broadcast_to(np.asarray(sigma, dtype=float), y.shape)
        ax.errorbar(B * scale, y, yerr=err, fmt="o", ms=2.5, mfc="none", mew=0.7, color="0.25", elinewidth=0.6,
                    label=label, zorder=2)
        if fit is not None:
            grid = np.linspace(B.min(), B.max(), 400)
            ax.plot(grid * scale, fit.predict(grid), "-", color="tab:red", zorder=3,
                    label=rf"{fit.model} fit, $\chi^2_{{\rm red}} = {_math_number(fit.chi2_red)}$")
        ax.set_ylabel(rf"$\Delta\sigma$ ({unit})")
        ax.legend(loc="best")
        if residuals:
            if bottom is None:  # the caller's Axes: split the residual panel off its bottom
                from mpl_toolkits.axes_grid1 import make_axes_locatable

                bottom = make_axes_locatable(ax).append_axes("bottom", size="32%", pad=0.06, sharex=ax)
            r = y - fit.predict(B)
            bottom.axhline(0.0, color="k", lw=0.6)
            bottom.errorbar(B * scale, r, yerr=err, fmt="o", ms=2.0, mfc="none", mew=0.6, color="0.25",
                            elinewidth=0.5)
            bottom.set_ylabel("residual")
            ax.tick_params(labelbottom=False)
        bottom = ax if bottom is None else bottom
        bottom.set_xlabel(rf"$B$ ({field_unit})")
    return ax.figure


# --------------------------------------------------------------------------- scaling theory
def plot_beta(path: str | None = None, *, ax=None, dims=(1, 2, 3), classes=CLASSES, loops: int | None = None,
              g_range=(0.3, 100.0), num: int = 400, mark_unreliable: bool = True):
    r"""The classic figure: perturbative :math:`\beta(g)` against :math:`g` (log axis), per class and dimension.

    Each curve is the series at the highest known order (or ``loops``), solid where it is trustworthy
    and faint below its :func:`~mesocorr.scaling.perturbative_limit` :math:`g^*`; with
    ``mark_unreliable`` the region below the largest :math:`g^*` is shaded. The localized branch
    (:math:`\beta \approx \ln g`) is non-perturbative and not drawn.

    Parameters
    ----------
    path : str, optional
        Also save the figure there (reproducibly, format from the suffix: png, pdf, svg).
    ax : matplotlib Axes, optional
        Draw here; default a new figure in the house style.
    dims : sequence of int
        Dimensions (1 = quasi-1D wire, 2, 3).
    classes : sequence of str
        Symmetry classes (orthogonal: solid, unitary: dashed, symplectic: dotted).
    loops : int, optional
        Truncation order (default: the highest known for each dimension).
    g_range : (float, float)
        Range of :math:`g = G/(e^2/h)` (both spins), log axis.
    num : int
        Points per curve (at least 10).
    mark_unreliable : bool
        Shade :math:`g < g^*` and draw the curves faint there.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import mesocorr
    >>> fig = mesocorr.plot_beta(dims=(2, 3), classes=("orthogonal", "symplectic"))   # doctest: +SKIP
    >>> fig.axes[0].get_xscale()                                                        # doctest: +SKIP
    'log'
    """
    _flag("mark_unreliable", mark_unreliable)
    g_lo = arguments.positive("g_range[0]", g_range[0])
    g_hi = arguments.positive("g_range[1]", g_range[1])
    if g_hi <= g_lo:
        raise ValueError("g_range: upper bound must exceed lower bound")
    gs = np.geomspace(g_lo, g_hi, arguments.integer("num", num, 10))
    with style():
        ax = _axes(ax)
        worst = 0.0
        for d in dims:
            for c in classes:
                arguments.choice("classes", c, CLASSES)
                lp = None if loops is None else min(loops, BETA_MAX_LOOPS[1 if d == 1 else 2])
                y = beta_function(gs, c, d, lp)
                gstar = perturbative_limit(c, d, lp)
                worst = max(worst, gstar)
                kw = {"ls": CLASS_STYLE[c], "color": DIM_COLOR.get(d, "k")}
                ok = gs >= gstar
                ax.plot(gs[ok], y[ok], label=rf"$d = {d}$, {c}", **kw)
                if mark_unreliable and np.any(~ok):
                    ax.plot(gs[~ok], y[~ok], alpha=0.3, **kw)
                elif np.any(~ok):
                    ax.plot(gs[~ok], y[~ok], **kw)
        if mark_unreliable and worst > g_lo:
            ax.axvspan(g_lo, worst, label="series not controlled", **_UNSAFE)
        ax.axhline(0.0, color="k", lw=0.6)
        ax.set_xscale("log")
        ax.set_xlim(g_lo, g_hi)
        ax.set_ylim(-2.5, 1.5)
        ax.set_xlabel(r"$g = G/(e^2/h)$")
        ax.set_ylabel(r"$\beta(g) = d\ln g/d\ln L$")
        _beta_legend(ax, dims, classes, shaded=mark_unreliable and worst > g_lo)
    if path is not None:
        save_reproducibly(ax.figure, path)
    return ax.figure


def _beta_legend(ax, dims, classes, shaded: bool) -> None:
    """One legend entry per class (line style) and per dimension (colour), not one per curve."""
    dims, classes = list(dims), list(dict.fromkeys(classes))
    if len(dims) < 2 or len(classes) < 2:
        ax.legend(loc="lower right")
        return
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [Line2D([], [], color="0.2", ls=CLASS_STYLE[c], label=c) for c in classes]
    handles += [Line2D([], [], color=DIM_COLOR.get(d, "k"), label=rf"$d = {d}$") for d in dims]
    if shaded:
        handles.append(Patch(color=_UNSAFE["color"], label="series not controlled"))
    ax.legend(handles=handles, ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.2))


def plot_flow(path: str | None = None, g0_values=(1.0, 2.0, 5.0, 10.0, 20.0), *, ax=None,
              symmetry_class: str = "orthogonal", dim=2, loops: int | None = None, L_over_L0_max: float = 1e4,
              num: int = 200, mark_unreliable: bool = True):
    r"""Flows :math:`g(L)` from several :math:`g_0` (log-log), integrated by :func:`mesocorr.flow`.

    A flow is drawn until :math:`L/L_0` = ``L_over_L0_max`` or until it leaves the perturbative region
    :math:`g < g^*` (:func:`~mesocorr.scaling.perturbative_limit`), which is shaded when
    ``mark_unreliable``.

    Parameters
    ----------
    path : str, optional
        Also save the figure there (reproducibly, format from the suffix).
    g0_values : sequence of float
        Starting conductances :math:`g_0 = g(L_0)` (:math:`e^2/h`, both spins), one curve each.
    ax : matplotlib Axes, optional
        Draw here; default a new figure.
    symmetry_class, dim, loops
        As in :func:`mesocorr.flow`.
    L_over_L0_max : float
        Largest :math:`L/L_0` (> 1).
    num : int
        Points per curve (at least 10; each is one :func:`mesocorr.flow` call).
    mark_unreliable : bool
        Shade :math:`g < g^*`.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import mesocorr
    >>> fig = mesocorr.plot_flow(g0_values=(2.0, 10.0), symmetry_class="unitary", dim=2)   # doctest: +SKIP
    """
    _flag("mark_unreliable", mark_unreliable)
    rmax = arguments.positive("L_over_L0_max", L_over_L0_max)
    if rmax <= 1:
        raise ValueError(f"L_over_L0_max: must exceed 1, got {L_over_L0_max!r}")
    gstar = perturbative_limit(symmetry_class, dim, loops)
    xs = np.geomspace(1.0, rmax, arguments.integer("num", num, 10))
    lowest = math.inf
    with style():
        ax = _axes(ax)
        for g0 in g0_values:
            g0 = arguments.positive("g0_values", g0)
            ys = []
            for x in xs:
                try:
                    g = flow(g0, float(x), symmetry_class, dim, loops=loops)
                except ValueError:  # the flow reached g = 0 (localized): stop the curve
                    break
                ys.append(g)
                if g < gstar:
                    break
            ax.plot(xs[:len(ys)], ys, label=rf"$g_0 = {g0:g}$")
            lowest = min([lowest, *ys])
        if mark_unreliable and gstar > 0:
            ax.axhspan(min(lowest, gstar) / 2, gstar, label="series not controlled", **_UNSAFE)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(r"$L/L_0$")
        ax.set_ylabel(r"$g = G/(e^2/h)$")
        ax.set_title(rf"{symmetry_class}, $d = {dim}$")
        ax.legend(loc="best")
    if path is not None:
        save_reproducibly(ax.figure, path)
    return ax.figure


# --------------------------------------------------------------------------- UCF
def plot_ucf_channels(channels=None, *, ax=None, **ucf_kwargs):
    r"""Bar chart of the channel contributions to :math:`\mathrm{var}\,g` (:math:`(e^2/h)^2`).

    ``channels``: the list returned by :func:`mesocorr.ucf_channels`; default: computed from
    ``ucf_kwargs`` (its arguments: ``shape``, ``so``, ``mag``, ``broken_trs``, ``spinless``,
    ``L_phi``, ``L_T``). Diffuson and Cooperon channels side by side, the total in the title.

    Parameters
    ----------
    channels : list of dict, optional
        ``[{"kind": "diffuson" | "cooperon", "name": ..., "variance": ...}, ...]`` as returned by
        :func:`mesocorr.ucf_channels` (variances in :math:`(e^2/h)^2`).
    ax : matplotlib Axes, optional
        Draw here; default a new figure.
    **ucf_kwargs
        Arguments of :func:`mesocorr.ucf_channels` when ``channels`` is not given.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import mesocorr
    >>> fig = mesocorr.plot_ucf_channels(shape=(1,), so=2.0)      # doctest: +SKIP
    """
    if channels is None:
        from mesocorr.ucf import ucf_channels

        channels = ucf_channels(**ucf_kwargs)
    elif ucf_kwargs:
        raise TypeError("ucf_kwargs: give either channels or the arguments of ucf_channels, not both")
    channels = list(channels)
    if not channels or not all(isinstance(c, dict) and {"kind", "name", "variance"} <= set(c) for c in channels):
        raise ValueError("channels: expected the list of dicts returned by mesocorr.ucf_channels")
    names = list(dict.fromkeys(c["name"] for c in channels))
    label = {"singlet": "S", "triplet_x": r"$T_x$", "triplet_y": r"$T_y$", "triplet_z": r"$T_z$"}
    with style():
        ax = _axes(ax)
        x = np.arange(len(names))
        for k, (kind, color) in enumerate((("diffuson", "tab:blue"), ("cooperon", "tab:orange"))):
            vals = {c["name"]: c["variance"] for c in channels if c["kind"] == kind}
            if vals:
                ax.bar(x + (k - 0.5) * 0.38, [vals.get(n, 0.0) for n in names], width=0.36, color=color,
                       label=kind.capitalize())
        ax.set_xticks(x, [label.get(n, n) for n in names])
        ax.tick_params(axis="x", which="minor", bottom=False, top=False)
        ax.set_ylabel(r"contribution to $\mathrm{var}\,g$ ($(e^2/h)^2$)")
        total = sum(c["variance"] for c in channels)
        ax.set_title(rf"$\mathrm{{var}}\,g = {total:.4g}\,(e^2/h)^2$")
        ax.legend(loc="best")
    return ax.figure
