"""The documentation site's cross-reference map (``docs/_ext/site_map.py``) and the public docstrings.

The site build (``sphinx-build -W``) fails on the same problems; these tests catch them in ``pytest`` without Sphinx:
every public name has a conventions section and a numpydoc entry with Parameters/Returns/Examples, and every
derivation of the catalogue is mapped to public names that exist.
"""

from __future__ import annotations

import importlib.util
import inspect
import re
from pathlib import Path

import pytest

import mesocorr
from mesocorr.derivations import catalogue

DOCS = Path(__file__).resolve().parents[1] / "docs"
_spec = importlib.util.spec_from_file_location("site_map", DOCS / "_ext" / "site_map.py")
site_map = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(site_map)
CONVENTIONS = (DOCS / "conventions.md").read_text(encoding="utf-8")


def _sections(doc: str) -> set[str]:
    return set(re.findall(r"^(\w[\w ]*)\n-{3,}\s*$", doc, flags=re.M))


@pytest.mark.parametrize("name", list(mesocorr._API))
def test_every_public_name_has_a_conventions_section(name):
    heading = site_map.conventions_heading(name, mesocorr._API[name], CONVENTIONS)
    assert heading in site_map.headings(CONVENTIONS)
    assert site_map.slug(site_map.plain(heading))   # a non-empty anchor for the link


@pytest.mark.parametrize("name", list(mesocorr._API))
def test_every_public_name_has_parameters_returns_examples(name):
    obj = getattr(mesocorr, name)
    sections = _sections(inspect.getdoc(obj) or "")
    if isinstance(obj, type) and issubclass(obj, BaseException):
        needed = {"Examples"}                      # a warning class: raised with a message, nothing to return
    elif isinstance(obj, type):
        needed = {"Parameters", "Examples"}
    else:
        needed = {"Parameters", "Returns", "Examples"}
    assert needed <= sections, f"{name}: docstring lacks {sorted(needed - sections)}"


def test_every_derivation_is_mapped_to_existing_public_names():
    names = catalogue.names()
    assert set(site_map.DERIVATION_FUNCTIONS) == set(names), (
        "docs/_ext/site_map.py DERIVATION_FUNCTIONS must have exactly one entry per derivation of the catalogue")
    for derivation, functions in site_map.DERIVATION_FUNCTIONS.items():
        assert functions, f"{derivation}: no public function computes it"
        missing = [f for f in functions if f not in mesocorr._API]
        assert not missing, f"{derivation}: {missing} are not public names (mesocorr._API)"


def test_convention_overrides_name_public_names_and_modules_exist():
    assert set(site_map.NAME_CONVENTIONS) <= set(mesocorr._API)
    for module in site_map.MODULE_CONVENTIONS:
        assert importlib.util.find_spec(module) is not None, module


def test_slug_is_github_style():
    # the anchors the site links to: MyST uses this function (docs/conf.py, myst_heading_slug_func)
    assert site_map.slug("Weak (anti)localization and magnetoconductance") == (
        "weak-antilocalization-and-magnetoconductance")
    assert site_map.slug(site_map.plain("Length scales (`mesocorr.scales`, `mesocorr scales`)")) == (
        "length-scales-mesocorrscales-mesocorr-scales")
    assert site_map.headings("# a\n```\n# not a heading\n```\n## b ##\n") == ["a", "b"]
