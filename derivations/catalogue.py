"""The catalogue of derivations behind ``mesocorr derive`` and the writer of their documents.

Each derivation is a module ``mesocorr.derivations.<module>`` defining ``TITLE`` (prose with inline
``$...$`` maths) and ``build() -> Derivation``. Names are part of the interface; the order below is the
order of ``mesocorr derive --list``.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import shutil
import subprocess
from pathlib import Path

from mesocorr.derivations.core import Derivation
from mesocorr.derivations.render import figure_files, to_latex, to_markdown
from mesocorr.symbolic.printing import plain_text

__all__ = ["CATALOGUE", "PARAMETRISED", "names", "titles", "build", "write", "library_calls", "FORMATS"]

#: name -> module (in mesocorr.derivations)
CATALOGUE: dict[str, str] = {
    "diffuson-ladder": "diffuson_ladder",
    "cooperon-spin": "cooperon_spin",
    "wl-2d": "wl_2d",
    "hln": "hln",
    "wire-mc": "wire_mc",
    "kawabata": "kawabata",
    "ucf-wire": "ucf_wire",
    "landauer-four-terminal": "landauer_four_terminal",
    "scaling-one-loop": "scaling_one_loop",
    "aas-cylinder": "aas_cylinder",
    "double-step": "double_step",
    "interaction-2d": "interaction_2d",
    "interaction-zeeman": "interaction_zeeman",
    "zeeman": "zeeman",
    "ilp": "ilp",
    "graphene": "graphene",
    "ti-surface": "ti_surface",
}
#: derivations that also run for user parameters (``mesocorr derive NAME --so ... --mag ... --zeeman ...``):
#: name -> the catalogue entry whose ``build(so=, mag=, zeeman=)`` takes them
PARAMETRISED = {"cooperon-spin": "zeeman", "zeeman": "zeeman"}
FORMATS = ("latex", "markdown")


def _module(name: str):
    return importlib.import_module(f"mesocorr.derivations.{CATALOGUE[name]}")


def names() -> list[str]:
    """Names of the derivations available in this installation, in catalogue order."""
    out = []
    for n, mod in CATALOGUE.items():
        if importlib.util.find_spec(f"mesocorr.derivations.{mod}") is not None:
            out.append(n)
    return out


def titles() -> list[dict]:
    """``[{"name": ..., "title": ..., "title_latex": ...}, ...]`` for ``derive --list`` (title as plain text)."""
    return [{"name": n, "title": plain_text(_module(n).TITLE), "title_latex": _module(n).TITLE} for n in names()]


#: modules whose functions format, draw or check rather than compute (left out of "Computed by")
_NOT_COMPUTATIONS = ("mesocorr.derivations", "mesocorr.symbolic.printing", "mesocorr.arguments", "mesocorr.plots")


def library_calls(module) -> list[str]:
    """Dotted names of the mesocorr functions and classes a derivation module uses (sorted).

    Read from the module's source: names imported from mesocorr (outside the derivation framework, the
    printer and the argument checks) that the module uses, and attributes taken from imported mesocorr
    modules (``W.kawabata_3d``).
    """
    tree = ast.parse(inspect.getsource(module))
    imported, modules = {}, {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("mesocorr") \
                and not node.module.startswith(_NOT_COMPUTATIONS):
            for a in node.names:
                target = getattr(importlib.import_module(node.module), a.name, None)
                key = a.asname or a.name
                if inspect.ismodule(target):
                    modules[key] = target.__name__
                elif callable(target):
                    imported[key] = f"{getattr(target, '__module__', node.module)}.{a.name}"
    used = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in imported:
            used.add(imported[node.id])
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules:
            target = getattr(importlib.import_module(modules[node.value.id]), node.attr, None)
            if callable(target):
                used.add(f"{getattr(target, '__module__', modules[node.value.id])}.{node.attr}")
    return sorted(used)


def build(name: str, **parameters) -> Derivation:
    """Run one derivation (every step computed by the library) and return it with its checks.

    ``parameters`` (``so``, ``mag``, ``zeeman``: numbers, Decimals or tuples of three) are accepted by the
    entries of :data:`PARAMETRISED`; ``cooperon-spin`` with parameters runs the ``zeeman`` entry's steps for them.
    """
    available = names()
    if name not in available:
        raise ValueError(f"name: unknown derivation {name!r}; available: {', '.join(available)}")
    given = {k: v for k, v in parameters.items() if v is not None}
    if given:
        if name not in PARAMETRISED:
            raise ValueError(f"name: {name!r} takes no parameters (only {', '.join(PARAMETRISED)})")
        module = importlib.import_module(f"mesocorr.derivations.{CATALOGUE[PARAMETRISED[name]]}")
        d = module.build(**given)
        if not d.computed_by:
            d.computed_by = library_calls(module)
        return d
    module = _module(name)
    d = module.build()
    if d.name != name:
        raise AssertionError(f"derivation module for {name!r} built {d.name!r}")
    if not d.computed_by:
        d.computed_by = library_calls(module)
    return d


def write(d: Derivation, out_dir: str | Path, formats=FORMATS, pdf: bool = False) -> dict:
    """Write ``NAME.tex`` / ``NAME.md`` (and figures, and a PDF when asked and possible) into ``out_dir``.

    Figures are drawn first (PNG and PDF; skipped without matplotlib), and the documents include only
    the figures whose files were written, so they always compile. Returns ``{"files": [...], "pdf":
    message-or-None, "pdf_ok": bool-or-None}``; ``pdf_ok`` is False when pdflatex ran and failed.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files, written = [], []
    for fig in d.figures:
        for f in figure_files(fig):
            (out / f).unlink(missing_ok=True)  # a figure left over from an earlier run is not this run's
        try:
            fig.draw(str(out / fig.filename))
        except ImportError:
            continue  # matplotlib is an optional extra; the documents are written without the picture
        for f in figure_files(fig):
            if (out / f).exists():
                files.append(str(out / f))
                written.append(f)
    if "latex" in formats:
        p = out / f"{d.name}.tex"
        p.write_text(to_latex(d, figures=written), encoding="utf-8")
        files.append(str(p))
    if "markdown" in formats:
        p = out / f"{d.name}.md"
        p.write_text(to_markdown(d, figures=written), encoding="utf-8")
        files.append(str(p))
    pdf_note, pdf_ok = None, None
    if pdf:
        exe = shutil.which("pdflatex")
        if exe is None:
            pdf_note = "pdflatex not found; wrote the .tex only"
        elif "latex" not in formats:
            pdf_note = "--pdf needs the latex format"
        else:
            r = subprocess.run([exe, "-interaction=nonstopmode", "-halt-on-error", f"{d.name}.tex"], cwd=out,
                               capture_output=True, text=True, timeout=120)
            pdf_ok = r.returncode == 0
            if pdf_ok:
                files.append(str(out / f"{d.name}.pdf"))
                pdf_note = "compiled"
            else:
                pdf_note = f"pdflatex failed (exit {r.returncode}); see {d.name}.log"
    return {"files": files, "pdf": pdf_note, "pdf_ok": pdf_ok}
