"""Sphinx configuration of the mesocorr site. Build: ``sphinx-build -W --keep-going -b html docs docs/_build/html``.

The pages under ``_gen/`` are generated at build time by ``_ext/mesocorr_site.py`` from the code (API from
``mesocorr._API``, derivations from the catalogue, the README tour run through doctest); the cross-reference mapping
is ``_ext/site_map.py``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))

import mesocorr  # noqa: E402
from mesocorr import __version__  # noqa: E402

project = "mesocorr"
author = "the mesocorr developers"
copyright = "mesocorr developers"
version = release = __version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx-mathjax-offline",   # MathJax 3 shipped inside the pip package: equations render offline
    "mesocorr_site",
]

source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
exclude_patterns = ["_build"]
templates_path: list[str] = []

# ---- MyST: $...$ / $$...$$ math (as the derivation Markdown and GitHub use), heading anchors for links
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_dmath_double_inline = True
myst_heading_anchors = 4
myst_heading_slug_func = "site_map.slug"   # a string: keeps the config picklable

# ---- autodoc + numpydoc
autodoc_typehints = "none"              # the numpydoc Parameters section documents types and units
autodoc_member_order = "bysource"
autodoc_default_options = {"members": False}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
# every public name must document its parameters, its return value and give an example (warnings -> errors)
numpydoc_validation_checks = {"PR01", "PR02", "PR10", "RT01", "EX01", "GL08", "SS01"}

# ---- cross-references: an unresolved :func:/:class: is an error, except targets that are not on the site
# (other libraries, and mesocorr modules that define no public name: the site does not document them)
_DOCUMENTED = "|".join(re.escape(m.removeprefix("mesocorr.")) for m in sorted(set(mesocorr._API.values())))
nitpicky = True
nitpick_ignore_regex = [
    (r"py:.*", r"(numpy|np|mpmath|sympy|sp|scipy|matplotlib|fractions|decimal|concurrent|warnings)(\..*)?"),
    (r"py:.*", rf"mesocorr\.(?!(?:{_DOCUMENTED})\.)\w+(\.\w+)+"),
]
# numpydoc validation for the public names (mesocorr.NAME); module pages (mesocorr.module.NAME) are not validated
numpydoc_validation_exclude = {r"^mesocorr\.\w+\.\w+"}

# ---- HTML
html_theme = "furo"
html_title = f"mesocorr {release}"
html_static_path = ["_static"]
html_css_files = ["mesocorr.css"]
html_last_updated_fmt = None
html_show_sourcelink = False
