"""Files given to the CLI (issue 12, items 4, 5 and 8): CSV as people write it, JSON with hostile content,
files that are not files (FIFOs, devices, folders, 65 MiB), and output paths checked before the work.

Expected values are the literal decimals written into the files (the reader must return exactly
``float(text)``), and the refusals must name the file, the line and the column.
"""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from cli_harness import assert_clean, run_cli, warm_up
from mesocorr.ensembles import read_csv_columns
from mesocorr.user_files import MAX_INPUT_BYTES, check_output_dir, check_output_file, read_json, read_text


@pytest.fixture(scope="module", autouse=True)
def _warm():
    warm_up()


def _file(tmp_path, text, name="d.csv"):
    p = tmp_path / name
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8", newline="")
    return p


# ------------------------------------------------------------------------------------------ CSV, accepted
@pytest.mark.parametrize("text,B,G", [
    ("B,G\n1,2\n3,4\n", [1, 3], [2, 4]),
    ("\ufeffB,G\n1,2\n", [1], [2]),                                       # UTF-8 byte-order mark
    ("# measured 2024\n# T = 1.5 K\nB,G\n# sweep up\n1,2\n\n\n3,4\n# end\n", [1, 3], [2, 4]),  # comments, blanks
    ("   # indented comment\nB,G\n1,2\n", [1], [2]),
    ("B,G\r\n1,2\r\n3,4\r\n", [1, 3], [2, 4]),                              # Windows line ends
    ("B,G\r1,2\r3,4\r", [1, 3], [2, 4]),                                     # old Mac line ends
    (" B , G \n  1 ,\t2  \n", [1], [2]),                                    # white space around names and values
    ("B,G\n1e-3,-0.5\n.5,+2.5E+04\n5.,-0\n", [1e-3, 0.5, 5.0], [-0.5, 2.5e4, -0.0]),
    ('B,G\n"1.5","2"\n', [1.5], [2]),                                        # quoted fields
    ("B,G,label\n1,2,first run\n3,4,x#y\n", [1, 3], [2, 4]),               # other columns are not read
    ("B,G\n1e-400,5e-324\n", [0.0], [5e-324]),                              # underflow is not an error
    ("B,G\n1.7976931348623157e308,-1.7976931348623157e308\n", [1.7976931348623157e308], [-1.7976931348623157e308]),
])
def test_csv_accepted(tmp_path, text, B, G):
    d = read_csv_columns(_file(tmp_path, text), ["B", "G"])
    assert d["B"].tolist() == [float(x) for x in B] and d["G"].tolist() == [float(x) for x in G]


@pytest.mark.parametrize("delimiter,text", [(";", "B;G\n1;2\n"), ("\t", "B\tG\n1\t2\n"), (",", "B,G\n1,2\n")])
def test_csv_explicit_delimiter(tmp_path, delimiter, text):
    d = read_csv_columns(_file(tmp_path, text), ["B", "G"], delimiter=delimiter)
    assert d["B"].tolist() == [1.0] and d["G"].tolist() == [2.0]


def test_csv_fast_and_slow_paths_agree(tmp_path):
    # the reader has a fast path (characters of decimal numbers only) and a cell-by-cell one: same floats
    rng = np.random.default_rng(8)
    x = rng.standard_normal(500) * 10.0 ** rng.integers(-300, 300, 500)
    text = "B,G\n" + "\n".join(f"{float(v)!r},{float(v)!r}" for v in x) + "\n"
    fast = read_csv_columns(_file(tmp_path, text), ["B"])["B"]
    slow = read_csv_columns(_file(tmp_path, text.replace(",", ", \u00a0", 1)), ["B"])["B"]  # NBSP: slow path
    assert fast.tolist() == x.tolist() and slow.tolist() == x.tolist()


# ------------------------------------------------------------------------------------------ CSV, refused
@pytest.mark.parametrize("text,fragment", [
    ("B,B\n1,2\n", "repeats the column name\\(s\\) 'B'"),
    ("B,G,G,B\n1,2,3,4\n", "repeats the column name\\(s\\) 'B', 'G'"),
    ("B,G\n1,2\n3\n", "line 3 of .* has 1 field\\(s\\), the header \\(line 1\\) has 2"),
    ("# c\nB,G\n\n1,2\n1,2,3\n", "line 5 of .* has 3 field"),
    ("B,G\n1_0,2\n", "line 2, column 'B' of .*: not a number: '1_0'"),
    ("B,G\n0x10,2\n", "line 2, column 'B'.*not a number: '0x10'"),
    ("B,G\n1,nan\n", "line 2, column 'G'.*must be a finite number, got 'nan'"),
    ("B,G\n1,NaN\n", "line 2, column 'G'.*must be a finite number"),
    ("B,G\n1,inf\n", "line 2, column 'G'.*must be a finite number, got 'inf'"),
    ("B,G\n1,-Infinity\n", "line 2, column 'G'.*must be a finite number"),
    ("B,G\n1,1e400\n", "line 2, column 'G'.*overflows a float"),
    ("B,G\n1,\n", "line 2, column 'G'.*empty"),
    ("B,G\n1, 2 # sweep\n", "line 2, column 'G'.*a # comment must take a whole line"),
    ("B,G\n\u0661,2\n", "line 2, column 'B'.*not a number"),               # Arabic-Indic one: float() takes it
    ("B,G\n1 2,3\n", "line 2, column 'B'.*not a number"),
    ('B,G\n1,"2\n3"\n', "line 2 of .*: not valid CSV"),
    ('"B,G\n1,2\n', "line 1 of .*: not valid CSV"),
    ("B,G\n1,2\n" + "1," + "9" * 200_000 + "\n", "line 3 of .*: not valid CSV \\(field larger than field limit"),
    ("B,G,\n1,2,\n", "empty column name \\(field 3\\)"),
    ("B,G\n", "has a header but no data rows"),
    ("# only\n# comments\n\n", "is empty"),
    ("", "is empty"),
    ("B;G\n1;2\n", "column 'B' not in .*is the delimiter semicolon"),
    ("B,G\n1\x00,2\n", "not valid CSV|not a number"),
    (b"B,G\n1,\xff\n", "not UTF-8 text \\(bad byte at offset 6\\)"),
    (b"\xff\xfeB\x00,\x00G\x00\n\x00", "not UTF-8 text"),                  # UTF-16 with BOM
])
def test_csv_refused_naming_line_and_column(tmp_path, text, fragment):
    p = _file(tmp_path, text)
    with pytest.raises(ValueError, match=f"^data: .*{fragment}") as exc:
        read_csv_columns(p, ["B", "G"])
    assert str(p) in str(exc.value) and "\n" not in str(exc.value)


def test_csv_through_the_cli(tmp_path):
    p = _file(tmp_path, "# ensemble\nG\n" + "\n".join(f"{float(x)!r}" for x in np.random.default_rng(3).normal(5, .37, 50)))
    status, out, err, _ = run_cli(["validate", "ucf", "--data", str(p), "--spinless", "--json"])
    assert status == 0 and json.loads(out)["n"] == 50
    p2 = _file(tmp_path, "G\tH\n1\t2\n3\t4\n5\t6\n", "t.tsv")
    status, out, err, _ = run_cli(["validate", "ucf", "--data", str(p2), "--delimiter", "tab", "--spinless",
                                   "--json"])
    assert status == 0 and json.loads(out)["n"] == 3
    for bad, fragment in [("G\n1\n2\nnan\n", "line 4, column 'G'"), ("G,G\n1,1\n", "repeats"),
                          ("G\n1\n2\n3,4\n", "line 4 of")]:
        p3 = _file(tmp_path, bad, "bad.csv")
        argv = ["validate", "ucf", "--data", str(p3), "--spinless"]
        status, out, err, _ = run_cli(argv)
        assert assert_clean(argv, status, out, err) == "refused" and fragment in err and str(p3) in err


# ------------------------------------------------------------------------------------------ not regular files
@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


def test_special_files_are_refused_before_reading(tmp_path, fifo):
    big = tmp_path / "big.csv"
    with open(big, "wb") as fh:  # sparse: 65 MiB of zeros that cost no disk
        fh.truncate(MAX_INPUT_BYTES + 2**20)
    cases = [("/dev/zero", "a character device"), ("/dev/null", "a character device"), (str(fifo), "a FIFO"),
             (str(tmp_path), "a directory"), (str(big), "65 MiB, more than the input cap of 64 MiB"),
             (str(tmp_path / "nope.csv"), "no such file"), ("", "expected a file path"),
             ("a\x00b", "expected a file path")]
    for path, fragment in cases:
        with pytest.raises(ValueError, match="^data: ") as exc:
            read_text(path, "data")
        assert fragment in str(exc.value), (path, str(exc.value))
        for argv in (["fit", "--data", path], ["validate", "ucf", "--data", path],
                     ["landauer", "--transmission", path, "--current", "1,2"], ["smatrix", "--file", path],
                     ["onsager", "--file", path]):
            status, out, err, seconds = run_cli(argv, budget=5.0)
            assert assert_clean(argv, status, out, err) == "refused" and fragment in err, (argv, err)


def test_exactly_at_the_cap_is_read(tmp_path):
    p = tmp_path / "cap.csv"
    body = "B,G\n1,2\n"
    p.write_text(body + "#" * (MAX_INPUT_BYTES - len(body) - 1) + "\n")
    assert os.path.getsize(p) == MAX_INPUT_BYTES
    assert read_csv_columns(p, ["B", "G"])["G"].tolist() == [2.0]
    with open(p, "a") as fh:
        fh.write("x")
    with pytest.raises(ValueError, match="more than the input cap"):
        read_csv_columns(p, ["B", "G"])


# ------------------------------------------------------------------------------------------ JSON
@pytest.mark.parametrize("text,fragment", [
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ('{"T": [[' + "9" * 5000 + "]]}", "an integer with 5000 digits"),
    ('{"T": [[-' + "9" * 19 + "]]}", "an integer with 19 digits"),
    ('{"T": [[1e400]]}', "overflows a float: 1e400"),
    ('{"T": [[-1e999999]]}', "overflows a float"),
    ('{"T": [[NaN]]}', "NaN (not a finite JSON number"),
    ('{"T": [[Infinity]]}', "Infinity (not a finite JSON number"),
    ('{"T": [[1]], "T": [[2]]}', "the key 'T' twice"),
    ('{"T": [[1]]', "not valid JSON"),
    ("{'T': 1}", "not valid JSON"),
    ("", "not valid JSON"),
])
def test_json_rules(tmp_path, text, fragment):
    p = _file(tmp_path, text, "x.json")
    with pytest.raises(ValueError, match="^transmission: cannot read ") as exc:
        read_json(p, "transmission")
    assert fragment in str(exc.value)
    argv = ["landauer", "--transmission", str(p), "--current", "1,2"]
    status, out, err, _ = run_cli(argv)
    assert assert_clean(argv, status, out, err) == "refused" and fragment in err


def test_json_accepted_forms(tmp_path):
    assert read_json(_file(tmp_path, '\ufeff{"a": [1, -2.5e-3, 123456789012345678]}', "b.json")) == \
        {"a": [1, -2.5e-3, 123456789012345678]}
    assert read_json(_file(tmp_path, "[[[[1]]]]", "c.json")) == [[[[1]]]]


_T4 = [[0.5, 0.2, 0.2, 0.1], [0.2, 0.5, 0.1, 0.2], [0.1, 0.2, 0.5, 0.2], [0.2, 0.1, 0.2, 0.5]]


@pytest.mark.parametrize("payload,fragment", [
    ({"T": _T4}, 'keys "T", "N"'),
    ([1, 2], 'keys "T", "N"'),
    ({"T": [], "N": [1]}, '"T" must be a non-empty list of rows'),
    ({"T": [[0, 1], [1]], "N": [1, 1]}, "row 2 has 1 entries"),
    ({"T": [[0, "1"], [1, 0]], "N": [1, 1]}, '"T" row 1, column 2 must be a number, got str'),
    ({"T": [[0, True], [1, 0]], "N": [1, 1]}, "column 2 must be a number, got bool"),
    ({"T": [[0, [1]], [1, 0]], "N": [1, 1]}, "must be a number, got list"),
    ({"T": [[0, None], [1, 0]], "N": [1, 1]}, "got NoneType"),
    ({"T": [[0, 1], [1, 0]], "N": "11"}, '"N" must be a non-empty list'),
    ({"T": [[0, 1], [1, 0]], "N": [1, "1"]}, '"N" must hold numbers'),
    ({"T": [[0] * 257] * 257, "N": [1] * 257}, "has 257 rows; the cap is 256"),   # multiterminal.MAX_LEADS
    ({"T": [[0, 1], [1, 0]], "N": [1, 1, 1]}, "N: expected 2 channel numbers"),
])
def test_landauer_file_structure(tmp_path, payload, fragment):
    p = _file(tmp_path, json.dumps(payload), "T.json")
    argv = ["landauer", "--transmission", str(p), "--current", "1,2"]
    status, out, err, _ = run_cli(argv)
    assert assert_clean(argv, status, out, err) == "refused" and fragment in err, err


# ------------------------------------------------------------------------------------------ output paths
def test_output_file_checks(tmp_path, fifo):
    (tmp_path / "sub").mkdir()
    existing = tmp_path / "old.png"
    existing.write_bytes(b"old")
    assert check_output_file(str(existing), "--plot") == str(existing) and existing.read_bytes() == b"old"
    assert check_output_file(str(tmp_path / "new.png"), "--plot") and not (tmp_path / "new.png").exists()
    for path, fragment in [(str(tmp_path / "sub"), "is a directory"), (str(tmp_path / "sub") + "/", "names a folder"),
                           (str(tmp_path / "missing" / "f.png"), "does not exist"),
                           (str(existing / "f.png"), "is not a folder"), (str(fifo), "is a FIFO"),
                           ("/dev/null", "is a character device"), ("/proc/self/f.png", "cannot write"),
                           ("", "expected a file path")]:
        with pytest.raises(ValueError, match="^--plot: ") as exc:
            check_output_file(path, "--plot")
        assert fragment in str(exc.value), (path, str(exc.value))


@pytest.mark.skipif(os.geteuid() == 0, reason="the super-user writes into read-only folders")
def test_output_folder_without_permission(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir(mode=0o500)
    with pytest.raises(ValueError, match="cannot write"):
        check_output_file(str(ro / "f.png"), "--plot")
    with pytest.raises(ValueError, match="cannot write"):
        check_output_dir(str(ro), "--out")


def test_output_dir_checks(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    made = tmp_path / "a" / "b"
    assert check_output_dir(str(made), "--out") == str(made) and made.is_dir() and not list(made.iterdir())
    for path, fragment in [(str(f), "exists and is not a folder"), (str(f / "sub"), "is not a folder"),
                           ("/proc/mesocorr-test", "cannot create"), ("/dev/null", "not a folder"),
                           ("", "expected a folder path")]:
        with pytest.raises(ValueError, match="^--out: ") as exc:
            check_output_dir(path, "--out")
        assert fragment in str(exc.value), (path, str(exc.value))


def test_derive_checks_out_before_any_work(tmp_path, monkeypatch):
    from mesocorr.derivations import catalogue

    def no_work(name):
        raise AssertionError("a derivation ran although --out is unusable")

    monkeypatch.setattr(catalogue, "build", no_work)
    f = tmp_path / "file"
    f.write_text("x")
    for out_path in (str(f), str(f / "sub"), "/proc/mesocorr-test", "/dev/null"):
        argv = ["derive", "cooperon-spin", "--out", out_path]
        status, out, err, seconds = run_cli(argv)
        assert assert_clean(argv, status, out, err) == "refused" and "--out:" in err


def test_beta_plot_path_checked_before_work(tmp_path, monkeypatch, fifo):
    pytest.importorskip("matplotlib")
    import mesocorr.plots

    calls = []
    monkeypatch.setattr(mesocorr.plots, "plot_beta", lambda path, **kw: calls.append(path) or path)
    for path, fragment in [(str(tmp_path), "is a directory"), (str(tmp_path / "no" / "b.png"), "does not exist"),
                           (str(fifo), "FIFO"), ("/dev/null", "character device"),
                           (str(tmp_path / "b.xyz"), "matplotlib cannot write .xyz files")]:
        argv = ["beta", "--plot", path]
        status, out, err, _ = run_cli(argv)
        assert assert_clean(argv, status, out, err) == "refused" and fragment in err, (path, err)
    assert calls == []
    status, out, err, _ = run_cli(["beta", "--plot", str(tmp_path / "b.png"), "--json"])
    assert status == 0 and calls == [str(tmp_path / "b.png")]
