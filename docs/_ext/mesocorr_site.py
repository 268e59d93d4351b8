"""Sphinx extension: generate the mesocorr site's pages from the code at build time.

Nothing here lists a public name, a derivation or a test by hand. On ``builder-inited`` it writes, into
``docs/_gen/`` (git-ignored, rewritten on every build):

* ``api/``: one page per public name of ``mesocorr._API`` (autodoc + numpydoc), grouped by defining module on
  ``api/index``, each linking to its derivation pages, its conventions section and the tests that call it;
* ``derivations/``: one page per derivation of ``mesocorr.derivations.catalogue``, the Markdown that
  ``mesocorr derive`` writes (:func:`mesocorr.derivations.render.to_markdown` of the same
  :class:`~mesocorr.derivations.core.Derivation`, figures drawn by the same code), followed by the public
  functions that compute it, the library modules it uses and the tests that check it; the build fails if a check
  of a derivation fails;
* ``tutorial``: the README's tour; every ``>>>`` example in it is run by doctest during the build and the build
  fails if an output differs;
* ``gallery``: every derivation figure and every ``docs/img/*.png`` (the site screenshots ``site-*.png`` excepted);
* ``tests/``: the source of every test function, one page per test file, as link targets.

The cross-reference mapping lives in ``site_map.py`` beside this file (checked by ``tests/test_docs_site.py``).
"""

from __future__ import annotations

import ast
import doctest
import importlib
import inspect
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from sphinx.util import logging

import site_map

LOG = logging.getLogger(__name__)
DOCS = Path(__file__).resolve().parents[1]
ROOT = DOCS.parent
GEN = DOCS / "_gen"


# ----------------------------------------------------------------------------- tests: what calls what
@dataclass
class TestFunction:
    file: str          # "test_wl.py"
    name: str          # "test_x" or "TestClass.test_x"
    source: str        # decorators + body
    lineno: int

    @property
    def label(self) -> str:
        return "tests-" + re.sub(r"[^\w]", "-", f"{self.file[:-3]}-{self.name}").lower()


def scan_tests() -> list[TestFunction]:
    """Every ``test_*`` function (top level or in a ``Test*`` class) of ``tests/test_*.py``, with its source."""
    out = []
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        lines = text.splitlines()

        def add(node, prefix="", lines=lines, path=path):
            start = min([d.lineno for d in node.decorator_list] + [node.lineno])
            src = "\n".join(lines[start - 1:node.end_lineno])
            out.append(TestFunction(path.name, prefix + node.name, src, node.lineno))

        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
                add(node)
            elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
                for sub in node.body:
                    if isinstance(sub, ast.FunctionDef) and sub.name.startswith("test"):
                        add(sub, node.name + ".")
    return out


def calls(test: TestFunction, name: str) -> bool:
    """Does the test call the public function ``name`` (``name(`` or ``mesocorr.name``)?"""
    return re.search(rf"(?<![\w.])(?:mesocorr\.)?{re.escape(name)}\s*\(|\bmesocorr\.{re.escape(name)}\b",
                     test.source) is not None


def names_derivation(test: TestFunction, derivation: str) -> bool:
    return re.search(rf"""["']{re.escape(derivation)}["']""", test.source) is not None


def catalogue_wide(test: TestFunction, derivations) -> bool:
    """A test run over the whole catalogue: its file imports the catalogue, the test uses it (or a module-level
    name bound to ``catalogue.names()``) and names no single derivation."""
    text = (ROOT / "tests" / test.file).read_text(encoding="utf-8")
    if "from mesocorr.derivations import catalogue" not in text:
        return False
    bound = re.findall(r"^(\w+)\s*=\s*catalogue\.names\(\)", text, flags=re.M)
    uses = re.search("|".join([r"\bcatalogue\."] + [rf"\b{b}\b" for b in bound]), test.source) is not None
    return uses and not any(names_derivation(test, d) for d in derivations)


def test_links(tests: list[TestFunction]) -> str:
    """Markdown list of links to test functions, grouped by file."""
    by_file: dict[str, list[TestFunction]] = {}
    for t in tests:
        by_file.setdefault(t.file, []).append(t)
    rows = []
    for f, ts in by_file.items():
        links = ", ".join(f"{{ref}}`{t.name} <{t.label}>`" for t in ts)
        rows.append(f"- `tests/{f}`: {links}")
    return "\n".join(rows)


def write_test_pages(tests: list[TestFunction]) -> list[str]:
    out_dir = GEN / "tests"
    out_dir.mkdir(parents=True, exist_ok=True)
    by_file: dict[str, list[TestFunction]] = {}
    for t in tests:
        by_file.setdefault(t.file, []).append(t)
    pages = []
    for f, ts in by_file.items():
        doc = ast.get_docstring(ast.parse((ROOT / "tests" / f).read_text(encoding="utf-8"))) or ""
        body = [f"# `tests/{f}`", "", doc.split("\n\n")[0].replace("\n", " "), ""]
        for t in ts:
            body += [f"({t.label})=", f"## `{t.name}`", "", "```python", t.source, "```", ""]
        (out_dir / f"{f[:-3]}.md").write_text("\n".join(body), encoding="utf-8")
        pages.append(f[:-3])
    index = ["# Tests", "", "The test functions the API and derivation pages link to (source as in `tests/`; "
             "run them with `pytest`).", "", "```{toctree}", ":maxdepth: 1", "", *pages, "```", ""]
    (out_dir / "index.md").write_text("\n".join(index), encoding="utf-8")
    return pages


# ----------------------------------------------------------------------------- API pages
def api_names() -> dict[str, str]:
    import mesocorr

    return dict(mesocorr._API)


def summary_line(obj) -> str:
    """The first paragraph of ``obj``'s docstring, its reST roles (``:math:`x```) rewritten as MyST roles."""
    doc = inspect.getdoc(obj) or ""
    first = doc.split("\n\n")[0].replace("\n", " ").strip()
    return re.sub(r":(\w+(?::\w+)?):`([^`]*)`", r"{\1}`\2`", first)


def directive_for(obj) -> str:
    if isinstance(obj, type):
        return "autoexception" if issubclass(obj, BaseException) else "autoclass"
    return "autofunction"


def write_api_pages(derivation_functions, tests: list[TestFunction], conventions_md: str) -> None:
    import mesocorr

    out_dir = GEN / "api"
    out_dir.mkdir(parents=True, exist_ok=True)
    api = api_names()
    by_module: dict[str, list[str]] = {}
    for name, module in api.items():
        by_module.setdefault(module, []).append(name)
        obj = getattr(mesocorr, name)
        derivations = [d for d, fs in derivation_functions.items() if name in fs]
        try:
            heading = site_map.conventions_heading(name, module, conventions_md)
        except KeyError:
            LOG.warning(f"docs/_ext/site_map.py: no conventions section for {name} (module {module}); add the "
                        "module to MODULE_CONVENTIONS", type="mesocorr", subtype="map")
            heading = None
        except LookupError as exc:
            LOG.warning(f"docs/_ext/site_map.py: {exc}", type="mesocorr", subtype="map")
            heading = None
        # eval-rst: autodoc inside MyST would parse the (reST/numpydoc) docstring as Markdown
        lines = [f"# `mesocorr.{name}`", "", "```{eval-rst}", f".. {directive_for(obj)}:: mesocorr.{name}", "```", "",
                 "## Where it comes from", ""]
        lines.append(f"- Defined in `{module}`; public as `mesocorr.{name}`.")
        if heading is not None:
            lines.append(f"- Conventions (units, counting): [{site_map.plain(heading)}]"
                         f"(../../conventions.md#{site_map.slug(site_map.plain(heading))}).")
        if derivations:
            links = ", ".join(f"[{d}](../derivations/{d}.md)" for d in derivations)
            lines.append(f"- Derived in: {links}.")
        else:
            lines.append("- No derivation in the catalogue computes it.")
        called = [t for t in tests if calls(t, name)]
        if called:
            lines += ["- Tests that call it:", "", *("  " + r for r in test_links(called).splitlines())]
        else:
            lines.append("- No test calls it by name.")
        lines.append("")
        (out_dir / f"{name}.md").write_text("\n".join(lines), encoding="utf-8")

    module_pages = write_module_pages(by_module)
    index = ["# API reference", "",
             "Every public name of `mesocorr` (the lazy table `mesocorr._API`), grouped by the module that defines "
             "it. Each entry links to its derivation pages, its conventions section and its tests.", ""]
    toc = []
    for module, names in by_module.items():
        mod = importlib.import_module(module)
        title = summary_line(mod).rstrip(".")
        index += [f"## `{module}`", "", title, "", "| name | summary |", "|---|---|"]
        for n in names:
            s = summary_line(getattr(mesocorr, n)).replace("|", r"\|")
            index.append(f"| [`{n}`]({n}.md) | {s} |")
        index.append("")
        if module in module_pages:
            index += [f"Also in `{module}` (result types, constants and caps, helpers): "
                      f"[`{module}`](modules/{module}.md).", ""]
        toc += names
    toc += [f"modules/{m}" for m in module_pages]
    index += ["```{toctree}", ":hidden:", "", *toc, "```", ""]
    (out_dir / "index.md").write_text("\n".join(index), encoding="utf-8")


def module_extras(module: str, public: list[str]) -> list[tuple[str, str]]:
    """``(directive, name)`` for the names of ``module.__all__`` that are not top-level public names."""
    mod = importlib.import_module(module)
    out = []
    for n in getattr(mod, "__all__", []):
        if n in public:
            continue
        obj = getattr(mod, n)
        if inspect.isclass(obj) or inspect.isfunction(obj) or callable(obj) and hasattr(obj, "__wrapped__"):
            out.append((directive_for(obj), n))
        else:
            out.append(("autodata", n))
    return out


def write_module_pages(by_module: dict[str, list[str]]) -> list[str]:
    """One page per defining module with what else its ``__all__`` holds (documented, not validated)."""
    out_dir = GEN / "api" / "modules"
    out_dir.mkdir(parents=True, exist_ok=True)
    api = api_names()
    written = []
    for module, names in by_module.items():
        extras = module_extras(module, list(api))
        if not extras:
            continue
        lines = [f"# `{module}`", "", summary_line(importlib.import_module(module)), "",
                 "Public names defined here (documented on their own pages): "
                 + ", ".join(f"[`mesocorr.{n}`](../{n}.md)" for n in names) + ".", "",
                 "Also exported by this module (import them from it):", "", "```{eval-rst}"]
        for directive, n in extras:
            lines += [f".. {directive}:: {module}.{n}", ""]
        lines += ["```", ""]
        (out_dir / f"{module}.md").write_text("\n".join(lines), encoding="utf-8")
        written.append(module)
    return written


# ----------------------------------------------------------------------------- derivation pages
@dataclass
class FigureEntry:
    derivation: str
    filename: str
    caption: str


@dataclass
class Built:
    figures: list[FigureEntry] = field(default_factory=list)
    seconds: dict = field(default_factory=dict)


def library_modules(derivation_module: str) -> list[str]:
    """The mesocorr modules a derivation module imports (what computes its steps), in import order."""
    mod = importlib.import_module(derivation_module)
    tree = ast.parse(inspect.getsource(mod))
    found = []
    imports = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
    for node in sorted(imports, key=lambda n: n.lineno):  # module-level and function-level (lazy) imports
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("mesocorr"):
            entries = [f"`{node.module}.{a.name}`" for a in node.names]
        elif isinstance(node, ast.Import):
            entries = [f"`{a.name}`" for a in node.names if a.name.startswith("mesocorr")]
        else:
            continue
        found += [e for e in entries if not e.startswith("`mesocorr.derivations.core") and e not in found]
    return found


def write_derivation_pages(tests: list[TestFunction]) -> Built:
    from mesocorr.derivations import catalogue
    from mesocorr.derivations.render import to_markdown

    out_dir = GEN / "derivations"
    out_dir.mkdir(parents=True, exist_ok=True)
    built = Built()
    names = catalogue.names()
    for name in names:
        if name not in site_map.DERIVATION_FUNCTIONS:
            LOG.warning(f"docs/_ext/site_map.py: derivation {name!r} has no entry in DERIVATION_FUNCTIONS",
                        type="mesocorr", subtype="map")
    for name in names:
        t0 = time.perf_counter()
        d = catalogue.build(name)
        if not d.passed:
            failed = [c.claim for c in d.checks if not c.passed]
            LOG.warning(f"derivation {name}: {len(failed)} check(s) failed: {failed}", type="mesocorr",
                        subtype="check")
        for fig in d.figures:
            fig.draw(str(out_dir / fig.filename))
            built.figures.append(FigureEntry(name, fig.filename, fig.caption))
        md = to_markdown(d)
        funcs = site_map.DERIVATION_FUNCTIONS.get(name, [])
        module = f"mesocorr.derivations.{catalogue.CATALOGUE[name]}"
        extra = ["", "## Computed by", ""]
        if funcs:
            extra.append("Public functions that compute or evaluate this result: "
                         + ", ".join(f"[`mesocorr.{f}`](../api/{f}.md)" for f in funcs) + ".")
        extra += ["", f"The steps above are computed by `{module}` (`mesocorr derive {name}`), which uses: "
                  + ", ".join(library_modules(module)) + ".", ""]
        specific = [t for t in tests if names_derivation(t, name) or any(calls(t, f) for f in funcs)]
        wide = [t for t in tests if catalogue_wide(t, names)]
        extra += ["## Checked by", "",
                  f"Every check in the table above runs when this page is built ({len(d.checks)} checks, "
                  f"{sum(c.passed for c in d.checks)} passed) and in `mesocorr derive`.", ""]
        if specific:
            extra += ["Tests of this derivation and of the functions that compute it:", "", test_links(specific), ""]
        if wide:
            extra += ["Tests run over every derivation of the catalogue:", "", test_links(wide), ""]
        # a one-line pointer under the title, so the reader sees the links without scrolling to the end
        head, sep, tail = md.partition("\n")
        pointer = ("\n```{admonition} Computed by, checked by\n"
                   + (", ".join(f"[`mesocorr.{f}`](../api/{f}.md)" for f in funcs) or f"`{module}`")
                   + f" · {len(d.checks)} checks below · {len(specific) + len(wide)} tests "
                   "([listed at the end](#checked-by))\n```\n")
        md = head + sep + pointer + tail
        (out_dir / f"{name}.md").write_text(md.rstrip("\n") + "\n" + "\n".join(extra), encoding="utf-8")
        built.seconds[name] = time.perf_counter() - t0
    index = ["# Derivations", "",
             "The catalogue behind `mesocorr derive`: each page is the Markdown document `mesocorr derive NAME "
             "--format markdown` writes, generated from the same objects when this site was built, followed by the "
             "functions that compute the result and the tests that check it.", "", "| name | title |", "|---|---|"]
    for t in catalogue.titles():
        index.append(f"| [`{t['name']}`]({t['name']}.md) | {t['title'].replace('|', '/')} |")
    index += ["", "```{toctree}", ":hidden:", "", *(f"{n} <{n}>" for n in names), "```", ""]
    (out_dir / "index.md").write_text("\n".join(index), encoding="utf-8")
    return built


# ----------------------------------------------------------------------------- gallery
def write_gallery(built: Built) -> None:
    lines = ["# Gallery", "", "Every figure the site has: the derivations' figures (drawn when the site was built, by "
             "the same code as `mesocorr derive`) and the README's images in `docs/img/`. Click a figure for the full "
             "size.", "", "## Derivation figures", "", "::::{container} gallery-grid"]
    for f in built.figures:
        lines += [f":::{{figure}} derivations/{f.filename}", ":width: 100%", "",
                  f"**[{f.derivation}](derivations/{f.derivation}.md)** — {f.caption}", ":::", ""]
    lines += ["::::", "", "## README images", "", "::::{container} gallery-grid"]
    for p in sorted((DOCS / "img").glob("*.png")):
        if p.name.startswith("site-"):
            continue
        lines += [f":::{{figure}} ../img/{p.name}", ":width: 100%", "", f"`docs/img/{p.name}`", ":::", ""]
    lines += ["::::", ""]
    (GEN / "gallery.md").write_text("\n".join(lines), encoding="utf-8")


# ----------------------------------------------------------------------------- tutorial (README tour, executed)
def readme_tour(readme: str) -> str:
    """The README from ``## Tour`` up to (not including) ``## Layout``, with paths made relative to docs/_gen."""
    start = readme.find("\n## Tour\n")
    if start < 0:
        raise ValueError("README.md has no '## Tour' section: the tutorial page is made from it")
    end = readme.find("\n## Layout", start)
    text = readme[start:] if end < 0 else readme[start:end]
    return text.replace("](docs/", "](../")


def run_doctests(text: str) -> tuple[int, int, str]:
    """Run every ```python block holding ``>>>`` of ``text`` as a doctest; (examples, failures, report)."""
    blocks = [b for b in re.findall(r"```python\n(.*?)```", text, flags=re.S) if ">>>" in b]
    parser = doctest.DocTestParser()
    attempted = failed = 0
    report = []
    for k, block in enumerate(blocks):
        test = parser.get_doctest(block, {}, f"tour block {k}", "README.md", 0)
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        runner.run(test, out=report.append)
        attempted += runner.tries
        failed += runner.failures
    return attempted, failed, "".join(report)


def write_tutorial() -> int:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    tour = readme_tour(readme)
    attempted, failed, report = run_doctests(tour)
    if failed:
        LOG.warning(f"tutorial: {failed} of {attempted} README examples give another output than the README "
                    f"shows:\n{report}", type="mesocorr", subtype="doctest")
    head = ["# Getting started", "",
            "The README's tour of mesocorr, one section per topic. **Every `>>>` example on this page was run when "
            f"this site was built** ({attempted} examples, doctest with ELLIPSIS and NORMALIZE_WHITESPACE); the "
            "build fails if an output differs from the one shown. Console transcripts (`$ mesocorr ...`) and "
            "Python blocks without `>>>` are shown as the README has them.", "",
            "Install: `pip install -e '.[test,plot]'` (see the README). Conventions: [](../conventions.md).", ""]
    body = tour.replace("\n## Tour\n", "\n", 1)
    # the tour's ### topics become the page's sections; later ## sections (e.g. validation) keep their levels
    cut = body.find("\n## ")
    tour_part, rest = (body, "") if cut < 0 else (body[:cut], body[cut:])
    body = re.sub(r"^### ", "## ", tour_part, flags=re.M) + rest
    (GEN / "tutorial.md").write_text("\n".join(head) + body, encoding="utf-8")
    return attempted


# ----------------------------------------------------------------------------- references to public names
def resolve_public(app, env, node, contnode):
    """``:func:`flow``` written inside ``mesocorr.scaling`` (or ``mesocorr.scaling.flow``) -> ``mesocorr.flow``.

    Public names are documented once, under their top-level name; a docstring of a module page may name them
    relative to their defining module.
    """
    if node.get("refdomain") != "py":
        return None
    target = node.get("reftarget", "")
    name = target.split(".")[-1]
    api = api_names()
    if name not in api or target not in (name, f"{api[name]}.{name}"):
        return None
    return env.get_domain("py").resolve_xref(env, node["refdoc"], app.builder, node["reftype"], f"mesocorr.{name}",
                                             node, contnode)


# ----------------------------------------------------------------------------- hook
def generate(app) -> None:
    t0 = time.perf_counter()
    if GEN.exists():
        shutil.rmtree(GEN)
    GEN.mkdir()
    conventions_md = (DOCS / "conventions.md").read_text(encoding="utf-8")
    tests = scan_tests()
    write_test_pages(tests)
    write_api_pages(site_map.DERIVATION_FUNCTIONS, tests, conventions_md)
    built = write_derivation_pages(tests)
    write_gallery(built)
    examples = write_tutorial()
    slowest = max(built.seconds.items(), key=lambda kv: kv[1])
    LOG.info(f"mesocorr_site: generated {len(api_names())} API pages, {len(built.seconds)} derivation pages "
             f"(slowest {slowest[0]} {slowest[1]:.1f} s), {len(built.figures)} figures, {examples} tutorial "
             f"examples run, {len(tests)} tests indexed in {time.perf_counter() - t0:.1f} s")


def setup(app):
    app.connect("builder-inited", generate)
    app.connect("missing-reference", resolve_public)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
