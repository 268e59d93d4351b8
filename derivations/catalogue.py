"""The catalogue of derivations behind ``mesocorr derive`` and the writer of their documents.

Each derivation is a module ``mesocorr.derivations.<module>`` defining ``TITLE`` and ``build() -> Derivation``.
Names are part of the interface; the order below is the order of ``mesocorr derive --list``.
"""

from __future__ import annotations

import importlib
import shutil
import subprocess
from pathlib import Path

from mesocorr.derivations.core import Derivation
from mesocorr.derivations.render import to_latex, to_markdown

__all__ = ["CATALOGUE", "PARAMETRISED", "names", "titles", "build", "write", "FORMATS"]

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
    """``[{"name": ..., "title": ...}, ...]`` for ``derive --list``."""
    return [{"name": n, "title": _module(n).TITLE} for n in names()]


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
        return importlib.import_module(f"mesocorr.derivations.{CATALOGUE[PARAMETRISED[name]]}").build(**given)
    d = _module(name).build()
    if d.name != name:
        raise AssertionError(f"derivation module for {name!r} built {d.name!r}")
    return d


def write(d: Derivation, out_dir: str | Path, formats=FORMATS, pdf: bool = False) -> dict:
    """Write ``NAME.tex`` / ``NAME.md`` (and figures, and a PDF when asked and possible) into ``out_dir``.

    Returns ``{"files": [...], "pdf": message-or-None}`` with paths relative to ``out_dir``'s parent-free names.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for fig in d.figures:
        try:
            fig.draw(str(out / fig.filename))
            files.append(str(out / fig.filename))
        except ImportError:
            pass  # matplotlib is an optional extra; the text documents do not need the picture
    if "latex" in formats:
        p = out / f"{d.name}.tex"
        p.write_text(to_latex(d), encoding="utf-8")
        files.append(str(p))
    if "markdown" in formats:
        p = out / f"{d.name}.md"
        p.write_text(to_markdown(d), encoding="utf-8")
        files.append(str(p))
    pdf_note = None
    if pdf:
        exe = shutil.which("pdflatex")
        if exe is None:
            pdf_note = "pdflatex not found; wrote the .tex only"
        elif "latex" not in formats:
            pdf_note = "--pdf needs the latex format"
        else:
            r = subprocess.run([exe, "-interaction=nonstopmode", "-halt-on-error", f"{d.name}.tex"], cwd=out,
                               capture_output=True, text=True, timeout=120)
            if r.returncode == 0:
                files.append(str(out / f"{d.name}.pdf"))
                pdf_note = "compiled"
            else:
                pdf_note = f"pdflatex failed (exit {r.returncode}); see {d.name}.log"
    return {"files": files, "pdf": pdf_note}
