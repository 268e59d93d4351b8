"""Package layout, constants and the CLI skeleton."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from decimal import Decimal, localcontext
from fractions import Fraction
from pathlib import Path

import mpmath
import pytest
import sympy as sp

import mesocorr
from mesocorr import units
from mesocorr.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_only_the_mesocorr_namespace_is_installed():
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert all(p == "mesocorr" or p.startswith("mesocorr.") for p in cfg["packages"])
    assert set(cfg["package-dir"]) == set(cfg["packages"])


@pytest.mark.parametrize("name", ["diagrams", "symbolic", "integrals", "derivations"])
def test_generic_top_level_names_do_not_import(name, tmp_path):
    """Outside the source tree, ``import diagrams`` etc. must fail: those names are other PyPI projects."""
    r = subprocess.run([sys.executable, "-c", f"import {name}"], cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode != 0 and "ModuleNotFoundError" in r.stderr


@pytest.mark.parametrize("sub", ["symbolic", "diagrams", "integrals", "derivations"])
def test_subpackages_live_under_mesocorr(sub):
    mod = __import__(f"mesocorr.{sub}", fromlist=["_"])
    assert Path(mod.__file__).parent.name == sub


def test_exact_si_constants():
    assert units.E_CHARGE_EXACT == Fraction("1.602176634e-19")
    assert units.H_PLANCK_EXACT == Fraction("6.62607015e-34")
    assert units.K_B_EXACT == Fraction("1.380649e-23")
    # R_K = h/e^2, independently by decimal arithmetic on the defining strings
    with localcontext() as ctx:
        ctx.prec = 40
        rk = Decimal("6.62607015e-34") / Decimal("1.602176634e-19") ** 2
    with mpmath.workdps(40):
        assert mpmath.nstr(units.mp_constant("R_K"), 30) == f"{rk:.25f}"[:31]
    assert units.R_K == pytest.approx(float(rk), rel=1e-15)
    assert units.G0 * units.R_K == pytest.approx(1.0, rel=1e-15)
    assert units.SIGMA_WL == pytest.approx(units.E_CHARGE**2 / (2 * sp.pi.evalf() ** 2 * units.HBAR), rel=1e-14)
    assert sp.simplify(units.exact("sigma_wl") - units.exact("G0") / sp.pi) == 0
    with pytest.raises(ValueError, match="name"):
        units.exact("c")


def test_lazy_api():
    assert "scales" in dir(mesocorr) and callable(mesocorr.scales)
    with pytest.raises(AttributeError):
        mesocorr.no_such_thing  # noqa: B018


def test_version(capsys):
    assert main(["--version"]) == 0      # answered without importing a command module (start-up)
    assert capsys.readouterr().out.strip() == f"mesocorr {mesocorr.__version__}"
    with pytest.raises(SystemExit) as exc:   # argparse's --version action, with a command word too
        main(["--version", "mc"])
    assert exc.value.code == 0 and capsys.readouterr().out.strip() == f"mesocorr {mesocorr.__version__}"


def test_help_lists_commands(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for cmd in ("scales", "dephasing"):
        assert cmd in out


def test_scales_json(capsys):
    assert main(["scales", "--dim", "2", "--vF", "2e5", "--l", "1e-7", "--tau-phi", "1e-10", "--T", "1",
                 "--kF", "1e8", "--L", "1e-6", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["diffusion_constant"] == pytest.approx(0.01, rel=1e-14)
    assert d["L_phi"] == pytest.approx(1e-6, rel=1e-14)
    assert d["kF_l"] == pytest.approx(10.0)
    assert {"fermi_wavelength", "mean_free_path", "L_T", "verdict", "reasons"} <= set(d)
    assert d["verdict"]["transport"] == "diffusive"


@pytest.mark.parametrize("argv,word", [
    (["scales", "--dim", "2", "--tau", "-1e-12"], "elastic_time"),
    (["scales", "--dim", "2", "--tau", "nan"], "--tau"),  # issue 12: refused by the option type, before the API
    (["scales", "--dim", "2", "--tau-phi", "1e-11"], "dephasing_time"),
    (["scales", "--dim", "5"], "--dim"),
    (["scales", "--dim", "2", "--tau", "abc"], "--tau"),
    (["scales"], "--dim"),
    (["nonsense"], "nonsense"),
    (["dephasing", "--dim", "2", "--T", "1"], "sheet_resistance"),
])
def test_cli_errors_are_one_line_exit_2(argv, word, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and word in err and "Traceback" not in err


def test_dephasing_cli(capsys):
    assert main(["dephasing", "--dim", "2", "--T", "2", "--R-sheet", "1000", "--D", "0.01", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["rate"] == pytest.approx(mesocorr.nyquist_dephasing_rate(2, 2.0, sheet_resistance=1000.0), rel=1e-15)
    assert d["L_phi"] == pytest.approx((0.01 * d["tau_phi"]) ** 0.5, rel=1e-14)


def test_module_entry_point():
    r = subprocess.run([sys.executable, "-m", "mesocorr", "scales", "--dim", "1", "--D", "0.1", "--tau-phi", "1e-10",
                        "--json"], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0
    assert json.loads(r.stdout)["L_phi"] == pytest.approx((0.1 * 1e-10) ** 0.5, rel=1e-14)


def test_as_rational_never_guesses():
    from mesocorr.arguments import as_rational

    assert as_rational("x", 0.1) == sp.Rational(1, 10)
    assert as_rational("x", 2.5) == sp.Rational(5, 2)
    assert as_rational("x", 1.4142135) == sp.Rational(14142135, 10**7)  # nsimplify would say sqrt(2)
    assert as_rational("x", sp.Float(0.3)) == sp.Rational(3, 10)
    assert as_rational("x", sp.pi) is sp.pi
    with pytest.raises(ValueError, match="x: must be finite"):
        as_rational("x", float("inf"))


def test_import_and_a_numeric_cli_call_load_no_symbolic_machinery():
    """Issue 12 item 9 (times in benchmarks/bench_startup.py): ``import mesocorr`` loads none of numpy, mpmath,
    SymPy, SciPy; ``mesocorr mc ...`` imports only its own command module and no SymPy/SciPy (the Hikami-box
    prefactor is stored in integrals/derived_constants.py, re-derived by the tests)."""
    code = ("import sys, io, contextlib, mesocorr; heavy = ('numpy', 'mpmath', 'sympy', 'scipy', 'matplotlib'); "
            "print(sorted(m for m in heavy if m in sys.modules)); from mesocorr.cli import main; "
            "out = io.StringIO(); ctx = contextlib.redirect_stdout(out); ctx.__enter__(); "
            "status = main(['mc', '--dim', '2', '--D', '0.01', '--phi', '1e10', '--B', '0.01', '--json']); "
            "ctx.__exit__(None, None, None); print(status, sorted(m for m in heavy if m in sys.modules), "
            "sorted(m for m in sys.modules if m.startswith('mesocorr.commands.') and "
            "hasattr(sys.modules[m], 'NAME')))")      # command modules (helpers such as dirac_options have no NAME)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    first, second = r.stdout.splitlines()
    assert first == "[]"
    assert second == "0 ['mpmath', 'numpy'] ['mesocorr.commands.mc']"


def test_exact_input_refuses_huge_decimal_exponents_before_the_work(capsys):
    """``Decimal("1e-999999999")`` is finite (as a float it is 0) but its exact rational has 10**9 digits: once a hang
    of every ``--dps`` path and of ``derive --so``; now a ValueError naming the argument, and exit status 2."""
    from mesocorr.arguments import MAX_DECIMAL_EXPONENT, as_fraction

    assert as_fraction("x", Decimal(f"1e-{MAX_DECIMAL_EXPONENT}")) == Fraction(1, 10**MAX_DECIMAL_EXPONENT)
    for bad in ("1e-999999999", f"1e-{MAX_DECIMAL_EXPONENT + 1}", "-3e-500"):
        with pytest.raises(ValueError, match="^x: .* is beyond"):
            as_fraction("x", Decimal(bad))
    assert main(["mc", "--D", "0.01", "--phi=1e-999999999", "--B", "0.1", "--dps", "20"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_beta_cli_call_loads_no_sympy():
    """``mesocorr beta --g 10`` prints the series from the stored exact coefficients (``beta_series_text``), so the call
    imports neither SymPy nor SciPy (it once loaded SymPy, ~1.3 s of start-up, to print ``str(beta_series())``)."""
    code = ("import sys, io, contextlib; from mesocorr.cli import main; out = io.StringIO(); "
            "ctx = contextlib.redirect_stdout(out); ctx.__enter__(); "
            "status = main(['beta', '--g', '10', '--json']); ctx.__exit__(None, None, None); "
            "print(status, sorted(m for m in ('sympy', 'scipy', 'matplotlib') if m in sys.modules)); "
            "print(out.getvalue().count('12*zeta(3)/(pi**4*g**4)'))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.splitlines() == ["0 []", "1"]
