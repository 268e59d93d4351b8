"""``mesocorr derive``: every catalogued derivation runs, every check passes, output is deterministic."""

from __future__ import annotations

import json
import re

import pytest

from mesocorr.cli import main
from mesocorr.derivations import catalogue
from mesocorr.derivations.core import check_numeric, check_symbolic
from mesocorr.derivations.render import to_latex, to_markdown

NAMES = catalogue.names()


@pytest.fixture(scope="module")
def built(built_derivations):
    return built_derivations


def test_catalogue_names_are_the_interface():
    expected = ["diffuson-ladder", "cooperon-spin", "wl-2d", "hln", "wire-mc", "ucf-wire", "landauer-four-terminal",
                "scaling-one-loop", "aas-cylinder", "double-step"]
    assert [n for n in catalogue.CATALOGUE if n in expected] == expected
    assert "cooperon-spin" in NAMES


@pytest.mark.parametrize("name", NAMES)
def test_every_check_passes(name, built):
    d = built[name]
    assert d.checks, f"{name} has no checks"
    failed = [c for c in d.checks if not c.passed]
    assert not failed, "\n".join(f"{c.claim}: {c.detail}" for c in failed)
    assert all(c.source for c in d.checks), "every check cites a source"
    assert all(s.latex or not s.expr for s in d.steps)


@pytest.mark.parametrize("name", NAMES)
def test_output_is_deterministic_and_well_formed(name, built):
    again = catalogue.build(name)
    tex, md = to_latex(built[name]), to_markdown(built[name])
    assert tex == to_latex(again) and md == to_markdown(again)
    assert tex.startswith(r"\documentclass") and tex.rstrip().endswith(r"\end{document}")
    envs = re.findall(r"\\(begin|end)\{(\w+\*?)\}", tex)
    stack = []
    for kind, env in envs:
        if kind == "begin":
            stack.append(env)
        else:
            assert stack and stack.pop() == env, f"unbalanced \\end{{{env}}}"
    assert not stack
    assert tex.count("{") - tex.count(r"\{") == tex.count("}") - tex.count(r"\}")
    assert md.count("$$") % 2 == 0 and "False" not in md


def test_checks_detect_falsehood():
    import sympy as sp

    x = sp.Symbol("x")
    assert check_symbolic("a", "s", sp.sin(x) ** 2 + sp.cos(x) ** 2, 1).passed
    assert not check_symbolic("a", "s", sp.sin(x), sp.cos(x)).passed
    assert check_numeric("pi", "s", sp.pi, 3.14159265358979323846, rtol=1e-15).passed
    assert not check_numeric("pi", "s", sp.pi, 3.1416, rtol=1e-12).passed


def test_cli_list_json(capsys):
    assert main(["derive", "--list", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)["derivations"]
    assert [i["name"] for i in items] == NAMES and all(i["title"] for i in items)


def test_cli_run_json_and_files(tmp_path, capsys):
    assert main(["derive", "cooperon-spin", "--out", str(tmp_path), "--json"]) == 0
    res = json.loads(capsys.readouterr().out)["derivations"][0]
    assert res["name"] == "cooperon-spin" and all(c["passed"] for c in res["checks"])
    assert {p.split("/")[-1] for p in res["files"]} >= {"cooperon-spin.tex", "cooperon-spin.md"}
    first = (tmp_path / "cooperon-spin.tex").read_bytes()
    assert main(["derive", "cooperon-spin", "--out", str(tmp_path), "--format", "latex", "--json"]) == 0
    assert (tmp_path / "cooperon-spin.tex").read_bytes() == first


def test_cli_unknown_name_lists_available(capsys):
    assert main(["derive", "no-such-derivation"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "available:" in err and "cooperon-spin" in err


def test_cli_bad_format(capsys):
    assert main(["derive", "cooperon-spin", "--format", "html"]) == 2
    assert "--format" in capsys.readouterr().err


def test_pdf_flag_reports_missing_pdflatex(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(catalogue.shutil, "which", lambda name: None)
    assert main(["derive", "cooperon-spin", "--out", str(tmp_path), "--pdf", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["derivations"][0]["pdf"] == "pdflatex not found; wrote the .tex only"
