"""Plot functions of ``mesocorr.plots``: the drawn data equal independently computed values; the perturbative limit
g* equals closed forms of the Evers-Mirlin series; figures are reproducible; bad input is refused."""

from __future__ import annotations

import math

import numpy as np
import pytest

import mesocorr
from mesocorr.scaling import perturbative_limit
from mesocorr.units import E_CHARGE, HBAR

ZETA3 = 1.2020569031595942853997381615114499907649862923405


@pytest.mark.parametrize("cls, dim, expected", [
    # beta_g = c0 + sum c_n g^-n in g = G/(e^2/h); Evers & Mirlin, RMP 80, 1355 (2008), Sec. II, t = 1/(pi g)
    ("orthogonal", 2, (6 * ZETA3 / math.pi**3) ** (1 / 3)),       # 2/(pi g) vs 12 zeta(3)/(pi g)^4
    ("unitary", 2, math.sqrt(3) / math.pi),                        # 2/(pi g)^2 vs 6/(pi g)^4
    ("symplectic", 2, (3 * ZETA3 / (4 * math.pi**3)) ** (1 / 3)),  # 1/(pi g) vs (3/4) zeta(3)/(pi g)^4
    ("orthogonal", 3, 2 / math.pi),                                # c0 = 1 vs 2/(pi g) dominates the pair (c1, c4)
    ("orthogonal", 1, 2 / 3),                                      # wire: -1 - (2/3)/g
    ("unitary", 1, 0.0),                                           # a single term: no criterion
])
def test_perturbative_limit_closed_forms(cls, dim, expected):
    assert perturbative_limit(cls, dim) == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_perturbative_limit_is_where_successive_terms_stop_decreasing():
    from mesocorr.scaling import beta_function

    gs = perturbative_limit("orthogonal", 2)
    one, four = beta_function(gs, "orthogonal", 2, loops=1), beta_function(gs, "orthogonal", 2)
    assert abs(four - one) == pytest.approx(abs(one), rel=1e-10)  # the four-loop term equals the one-loop term


mpl = pytest.importorskip("matplotlib")
from mesocorr import plots  # noqa: E402  (needs matplotlib only to draw)


@pytest.fixture
def ax():
    from matplotlib.figure import Figure

    return Figure().subplots()


def test_magnetoconductance_with_fit_and_residuals(ax):
    B = np.linspace(-0.04, 0.04, 33)
    y = mesocorr.magnetoconductance(B, dim=2, D=0.01, phi=4e10) + 1e-4 * np.cos(40 * B)
    fit = mesocorr.fit_magnetoconductance(B, y, model="wl")
    fig = plots.plot_magnetoconductance(fit=fit, ax=ax)
    assert fig is ax.figure and len(fig.axes) == 2
    # independent route: the model in characteristic fields is magnetoconductance with D = 1, rate 4 e B_x / hbar
    bphi = fit.value("B_phi")
    model = mesocorr.magnetoconductance(fit.B, dim=2, D=1.0, phi=4 * E_CHARGE * bphi / HBAR)
    res_x, res_y = fig.axes[1].lines[-1].get_data()
    np.testing.assert_allclose(res_x, fit.B * 1e3)
    np.testing.assert_allclose(res_y, fit.delta_sigma - model, rtol=1e-9, atol=1e-12)
    assert ax.get_ylabel() == r"$\Delta\sigma$ ($e^2/h$ per square)"
    assert fig.axes[1].get_xlabel() == "$B$ (mT)"


def test_magnetoconductance_data_only_and_refusals(ax):
    B = np.array([0.0, 0.01, 0.02])
    fig = plots.plot_magnetoconductance(B, [0.0, 0.1, 0.3], sigma=0.01, ax=ax, field_unit="T", per_square=False)
    assert len(fig.axes) == 1 and ax.get_xlabel() == "$B$ (T)"
    with pytest.raises(ValueError, match="residuals"):
        plots.plot_magnetoconductance(B, [0, 1, 2], residuals=True, ax=ax)
    with pytest.raises(ValueError, match="delta_sigma"):
        plots.plot_magnetoconductance(B, [0, 1], ax=ax)
    with pytest.raises(ValueError, match="field_unit"):
        plots.plot_magnetoconductance(B, [0, 1, 2], field_unit="G", ax=ax)
    with pytest.raises(TypeError, match="residuals"):
        plots.plot_magnetoconductance(B, [0, 1, 2], residuals=1, ax=ax)


def test_beta_marks_the_unreliable_region(ax):
    plots.plot_beta(ax=ax, dims=(2,), classes=("orthogonal",), g_range=(0.2, 50.0))
    span = [p for p in ax.patches if p.get_label() == "series not controlled"]
    assert len(span) == 1
    patch = span[0]
    if hasattr(patch, "get_width"):  # matplotlib >= 3.9: a Rectangle
        lo, hi = patch.get_x(), patch.get_x() + patch.get_width()
    else:  # older: a Polygon
        lo, hi = np.asarray(patch.get_xy())[:, 0].min(), np.asarray(patch.get_xy())[:, 0].max()
    assert lo == pytest.approx(0.2) and hi == pytest.approx(perturbative_limit("orthogonal", 2))
    solid, faint = ax.lines[0], ax.lines[1]
    assert solid.get_xdata().min() >= perturbative_limit("orthogonal", 2) > faint.get_xdata().max()
    # the drawn curve is the Evers-Mirlin series converted to g (t = 1/(pi g)): -2/(pi g) - 12 zeta(3)/(pi g)^4
    g = solid.get_xdata()
    np.testing.assert_allclose(solid.get_ydata(), -2 / (math.pi * g) - 12 * ZETA3 / (math.pi * g) ** 4, rtol=1e-12)


def test_flow_one_loop_is_the_closed_form(ax):
    plots.plot_flow(ax=ax, g0_values=(5.0,), loops=1, L_over_L0_max=1e3, num=40)
    x, g = ax.lines[0].get_data()
    np.testing.assert_allclose(g, 5.0 - 2 / math.pi * np.log(x), rtol=1e-9)  # 2D orthogonal: dg/dlnL = -2/pi


def test_flow_stops_where_the_series_is_not_controlled(ax):
    plots.plot_flow(ax=ax, g0_values=(1.0,), L_over_L0_max=1e6, num=200)
    g = ax.lines[0].get_ydata()
    gs = perturbative_limit("orthogonal", 2)
    assert np.all(g[:-1] >= gs) and g[-1] < gs


def test_ucf_channels_bars_are_the_channel_variances(ax):
    chans = mesocorr.ucf_channels(shape=(1,), so=3.0)
    fig = plots.plot_ucf_channels(chans, ax=ax)
    heights = sorted(round(p.get_height(), 12) for p in ax.patches)
    assert heights == sorted(round(c["variance"], 12) for c in chans)
    total = mesocorr.ucf_variance(shape=(1,), so=3.0)  # independent: the summed variance
    assert sum(p.get_height() for p in ax.patches) == pytest.approx(total, rel=1e-12)
    assert fig is ax.figure
    with pytest.raises(TypeError, match="either"):
        plots.plot_ucf_channels(chans, ax=ax, so=1.0)
    with pytest.raises(ValueError, match="channels"):
        plots.plot_ucf_channels([{"kind": "diffuson"}], ax=ax)


def test_saved_figures_are_byte_identical(tmp_path, ax):
    plots.plot_beta(ax=ax, dims=(2,))
    for ext in ("png", "pdf", "svg"):
        plots.save_reproducibly(ax.figure, tmp_path / f"a.{ext}")
        plots.save_reproducibly(ax.figure, tmp_path / f"b.{ext}")
        assert (tmp_path / f"a.{ext}").read_bytes() == (tmp_path / f"b.{ext}").read_bytes(), ext


def test_public_names():
    assert mesocorr.plot_beta is plots.plot_beta and mesocorr.plot_magnetoconductance is plots.plot_magnetoconductance
    assert mesocorr.plot_flow is plots.plot_flow and mesocorr.plot_ucf_channels is plots.plot_ucf_channels


def _constrained_axes():
    from matplotlib.figure import Figure

    with plots.style():
        fig = Figure(figsize=(3.4, 2.55), layout="constrained")
        ax = fig.subplots()
        ax.plot([0.0, 1.0, 2.0], [-0.2, 0.1, 0.4])
        ax.set_xlabel(r"$B/B_\phi$")
        ax.set_ylabel(r"$\Delta\sigma$ ($e^2/h$)")
    return fig, ax


def test_several_files_share_one_layout(tmp_path):
    # independent route: the layout of a PNG saved alone (constrained layout run by savefig itself)
    alone, ax_alone = _constrained_axes()
    plots.save_reproducibly(alone, tmp_path / "alone.png")
    fig, ax = _constrained_axes()
    engine = fig.get_layout_engine()
    plots.save_reproducibly(fig, tmp_path / "a.png", tmp_path / "a.pdf", tmp_path / "a.svg")
    np.testing.assert_allclose(ax.get_position().bounds, ax_alone.get_position().bounds, rtol=0, atol=1e-12)
    assert fig.get_layout_engine() is engine  # restored: a later draw lays the figure out again
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "alone.png").read_bytes()
    again, _ = _constrained_axes()
    plots.save_reproducibly(again, tmp_path / "b.png", tmp_path / "b.pdf", tmp_path / "b.svg")
    for ext in ("png", "pdf", "svg"):
        assert (tmp_path / f"a.{ext}").read_bytes() == (tmp_path / f"b.{ext}").read_bytes(), ext
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")


def test_plain_tick_labels_are_the_mathtext_labels_without_markup():
    fig, ax = _constrained_axes()
    fig.draw_without_rendering()
    math = [t.get_text() for t in ax.get_yticklabels()]
    plots.plain_tick_labels(fig)
    fig.draw_without_rendering()
    plain = [t.get_text() for t in ax.get_yticklabels()]
    # independent route: the mathtext labels with the $\mathdefault{...}$ wrapper stripped
    assert all(m.startswith(r"$\mathdefault{") and m.endswith("}$") for m in math if m)
    assert plain == [m[len(r"$\mathdefault{"):-2] if m else m for m in math]
    assert "\N{MINUS SIGN}0.2" in plain
    ax.set_xscale("log")  # log axes keep their 10^n mathtext labels
    plots.plain_tick_labels(fig)
    assert ax.xaxis.get_major_formatter().__class__.__name__ == "LogFormatterSciNotation"


def _log_and_linear_figure():
    from matplotlib.figure import Figure

    with plots.style():
        fig = Figure(figsize=(3.4, 2.55))
        fig.subplots_adjust(left=0.16, bottom=0.17, right=0.96, top=0.95)
        ax = fig.subplots()
        x = np.logspace(-1, 3, 50)
        ax.plot(x, 0.3 + 0.1 * np.log(x), label="data")
        ax.set_xscale("log")
        ax.set_xlim(0.1, 1e3)
        ax.legend(loc="upper left")
        plots.plain_tick_labels(fig)
    return fig, ax


def _pixels(fig, path):
    from PIL import Image

    plots.save_reproducibly(fig, path)
    return np.asarray(Image.open(path).convert("RGB"), dtype=int)


def test_minor_ticks_as_markers_draw_the_axis_own_minor_ticks(tmp_path):
    # independent route: the picture matplotlib draws with its own minor Tick artists
    ref_fig, ref_ax = _log_and_linear_figure()
    ref = _pixels(ref_fig, tmp_path / "ticks.png")
    fig, ax = _log_and_linear_figure()
    plots.minor_ticks_as_markers(fig)
    assert ax.get_xlim() == ref_ax.get_xlim() and ax.get_ylim() == ref_ax.get_ylim()
    assert type(ax.xaxis.get_minor_locator()).__name__ == "NullLocator"  # no minor Tick artists any more
    marks = [a for a in ax.get_children() if a.get_label() == "_minor ticks"]
    assert len(marks) == 4  # bottom, top, left, right
    n_log = len(marks[0].get_xdata())
    assert n_log == 8 * 4  # 2..9 in each of the four decades 0.1..1000 (the decades themselves are major)
    new = _pixels(fig, tmp_path / "marks.png")
    assert new.shape == ref.shape
    diff = np.abs(new - ref).max(axis=2)
    assert diff.max() <= 3 and np.count_nonzero(diff) <= 20, (diff.max(), np.count_nonzero(diff))  # antialiasing
    assert [h.get_label() for h in ax.get_legend().legend_handles] == ["data"]


def test_minor_ticks_as_markers_keeps_labelled_minor_ticks():
    fig, ax = _log_and_linear_figure()
    ax.set_xlim(2.0, 8.0)  # less than a decade: the log axis labels its minor ticks
    plots.minor_ticks_as_markers(fig)
    assert type(ax.xaxis.get_minor_locator()).__name__ == "LogLocator"
    assert type(ax.yaxis.get_minor_locator()).__name__ == "NullLocator"


def _derive_figure(monkeypatch, module_name, draw_name, minor_tick_marks=True):
    import importlib

    module = importlib.import_module(f"mesocorr.derivations.{module_name}")
    drawn = []
    monkeypatch.setattr(module, "save_figure", lambda fig, path: drawn.append(fig))
    if not minor_tick_marks:  # matplotlib's own minor ticks (the marks would count as outside the axes)
        monkeypatch.setattr(module, "minor_ticks_as_markers", lambda fig: None)
    getattr(module, draw_name)("unused.png")
    return drawn[0]


@pytest.mark.parametrize("module_name, draw_name", [("hln", "_draw"), ("ucf_wire", "_draw"),
                                                    ("scaling_one_loop", "_draw_beta")])
def test_derive_figure_margins_are_the_constrained_layout(monkeypatch, module_name, draw_name):
    fig = _derive_figure(monkeypatch, module_name, draw_name, minor_tick_marks=False)
    assert fig.get_layout_engine() is None  # fixed margins: no layout pass when saved
    fixed = fig.axes[0].get_position().extents
    # independent route: matplotlib's constrained layout of the same figure (labels, ticks, legend), run while
    # the PNG is drawn (text extents at the PNG's dpi, as in the documents' figures before the margins were fixed)
    import io

    with plots.style():
        sides = ("left", "bottom", "right", "top")
        fig.subplots_adjust(**{k: mpl.rcParams[f"figure.subplot.{k}"] for k in sides})  # the layout's usual start
        fig.set_layout_engine("constrained")
        fig.savefig(io.BytesIO(), format="png")
    np.testing.assert_allclose(fig.axes[0].get_position().extents, fixed, rtol=0, atol=1e-5)


def test_derive_figures_are_byte_identical(tmp_path):
    from mesocorr.derivations.hln import _draw

    for name in ("a", "b"):
        _draw(str(tmp_path / f"{name}.png"))
    for ext in ("png", "pdf"):
        assert (tmp_path / f"a.{ext}").read_bytes() == (tmp_path / f"b.{ext}").read_bytes(), ext
