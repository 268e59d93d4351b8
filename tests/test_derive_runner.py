"""``mesocorr derive --jobs``: entries run in worker processes give the documents of the one-process run.

The independent route is the one-process run of the same entries (``jobs=1``) and the documents built in this
test process after every other entry (the ``built_derivations`` fixture): a worker process, forked or spawned
fresh, must write the same bytes.
"""

from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import pytest

from mesocorr.cli import main
from mesocorr.derivations import catalogue
from mesocorr.derivations.runner import MAX_JOBS, run_entries, run_entry, usable_cpus

#: cheap entries (< 1 s each), so the test costs little
CHEAP = ["cooperon-spin", "interaction-zeeman", "zeeman"]


def _files(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _without_timing(records):
    return [{k: v for k, v in r.items() if k not in ("seconds", "files")} for r in records]


def test_parallel_run_equals_one_process_run(tmp_path):
    one = run_entries(CHEAP, str(tmp_path / "one"), jobs=1)
    seen = []
    two = run_entries(CHEAP, str(tmp_path / "two"), jobs=2, on_done=lambda k, r: seen.append((k, r["name"])))
    assert [r["name"] for r in two] == CHEAP  # the order of the names, whatever order the workers finish in
    assert _without_timing(two) == _without_timing(one)
    assert sorted(k for k, _ in seen) == [1, 2, 3] and sorted(n for _, n in seen) == sorted(CHEAP)
    assert _files(tmp_path / "two") == _files(tmp_path / "one")
    assert all(r["seconds"] >= 0 and all(c["passed"] for c in r["checks"]) for r in two)


def test_fresh_spawned_process_writes_the_documents_built_after_the_whole_catalogue(tmp_path, built_derivations):
    """Order independence: an entry alone in a fresh interpreter = the same entry after all the others here."""
    here = tmp_path / "here"
    for name in CHEAP:
        catalogue.write(built_derivations[name], here)
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        for name in CHEAP:
            pool.submit(run_entry, name, str(tmp_path / "fresh")).result()
    assert _files(tmp_path / "fresh") == _files(here)


@pytest.mark.parametrize("jobs, exc", [(0, ValueError), (MAX_JOBS + 1, ValueError), (True, TypeError),
                                       (2.0, TypeError), ("2", TypeError)])
def test_jobs_is_checked_before_any_work(tmp_path, jobs, exc):
    with pytest.raises(exc, match="^jobs"):
        run_entries(CHEAP, str(tmp_path), jobs=jobs)
    assert not (tmp_path / "cooperon-spin.tex").exists()


def test_unknown_name_refused_before_any_work(tmp_path):
    with pytest.raises(ValueError, match="^names: unknown derivation 'nope'"):
        run_entries(["cooperon-spin", "nope"], str(tmp_path), jobs=2)
    assert not list(tmp_path.iterdir())


def test_usable_cpus_is_a_positive_count():
    import os

    n = usable_cpus()
    assert isinstance(n, int) and 1 <= n <= (os.cpu_count() or n)


def test_cli_jobs_gives_the_same_json_and_files(tmp_path, capsys):
    outs = {}
    for jobs in ("1", "2"):
        assert main(["derive", *CHEAP, "--out", str(tmp_path / jobs), "--jobs", jobs, "--json"]) == 0
        outs[jobs] = json.loads(capsys.readouterr().out)
    strip = [{k: v for k, v in e.items() if k != "files"} for e in outs["1"]["derivations"]]
    assert strip == [{k: v for k, v in e.items() if k != "files"} for e in outs["2"]["derivations"]]
    assert _files(tmp_path / "1") == _files(tmp_path / "2")


@pytest.mark.parametrize("value", ["0", "65", "two", "1.5", "-1"])
def test_cli_bad_jobs_exit_2(tmp_path, capsys, value):
    assert main(["derive", "cooperon-spin", "--out", str(tmp_path), "--jobs", value]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--jobs" in err


def _makespan(queues):
    """Finish time of the slowest worker under the hints (cost plus each set-up once per worker)."""
    from mesocorr.derivations.runner import COST_HINT, SETUP_HINT
    out = 0.0
    for q in queues:
        setups = {s for s, (_, users) in SETUP_HINT.items() for n in q if n in users}
        out = max(out, sum(COST_HINT.get(n, 1.0) for n in q) + sum(SETUP_HINT[s][0] for s in setups))
    return out


@pytest.mark.parametrize("jobs", [1, 2, 3, 5, 17, 40])
def test_schedule_deals_every_entry_once_and_is_within_the_list_scheduling_bound(jobs):
    """Independent route: brute force is too big for 17 entries, so compare with the bound every list schedule
    meets, makespan <= (sum of costs with every set-up paid once)/jobs + (largest single cost with its set-ups)."""
    from mesocorr.derivations.runner import COST_HINT, SETUP_HINT, schedule
    names = catalogue.names()
    queues = schedule(names, jobs)
    assert len(queues) == jobs
    assert sorted(n for q in queues for n in q) == sorted(names)
    total = sum(COST_HINT[n] for n in names) + sum(c for c, _ in SETUP_HINT.values())
    largest = max(COST_HINT[n] + sum(c for c, users in SETUP_HINT.values() if n in users) for n in names)
    assert _makespan(queues) <= total / jobs + largest + 1e-12
    if jobs >= len(names):
        assert all(len(q) <= 1 for q in queues)


def test_schedule_is_optimal_on_small_sets_by_brute_force():
    """Independent route: every assignment of 6 entries to 2 workers; list scheduling is within 4/3 of the best."""
    import itertools

    from mesocorr.derivations.runner import schedule
    names = ["hln", "ucf-wire", "scaling-one-loop", "ilp", "kawabata", "zeeman"]
    best = min(_makespan([[n for n, b in zip(names, bits) if b == w] for w in (0, 1)])
               for bits in itertools.product((0, 1), repeat=len(names)))
    assert _makespan(schedule(names, 2)) <= 4 / 3 * best + 1e-12


def test_schedule_of_the_catalogue_on_two_workers_is_within_two_percent_of_the_brute_force_optimum():
    """Independent route: all 2^16 assignments of the catalogue to two workers (the first entry fixed), with this
    file's own makespan; list scheduling alone splits the figure entries and pays matplotlib twice."""
    import itertools

    from mesocorr.derivations.runner import schedule
    names = catalogue.names()
    best = min(max(_makespan([[n for n, b in zip(names, (0,) + bits) if b == w]]) for w in (0, 1))
               for bits in itertools.product((0, 1), repeat=len(names) - 1))
    assert _makespan(schedule(names, 2)) <= 1.02 * best


def test_schedule_of_a_long_list_on_many_workers_deals_every_name_once_within_the_list_bound():
    """A long list on the maximal number of workers (where the local search ends at its budget): every name once,
    and the bound every list schedule meets still holds."""
    from mesocorr.derivations.runner import COST_HINT, MAX_JOBS, SETUP_HINT, schedule
    names = catalogue.names() * 20
    queues = schedule(names, MAX_JOBS)
    assert sorted(n for q in queues for n in q) == sorted(names)
    total = sum(COST_HINT[n] for n in names) + MAX_JOBS * sum(c for c, _ in SETUP_HINT.values())
    largest = max(COST_HINT[n] + sum(c for c, users in SETUP_HINT.values() if n in users) for n in names)
    assert _makespan(queues) <= total / MAX_JOBS + largest + 1e-12


def test_a_name_given_twice_is_run_twice_and_reported_in_place(tmp_path):
    records = run_entries(["zeeman", "cooperon-spin", "zeeman"], str(tmp_path), jobs=2)
    assert [r["name"] for r in records] == ["zeeman", "cooperon-spin", "zeeman"]
    assert _without_timing(records[:1]) == _without_timing(records[2:])


@pytest.mark.parametrize("names", ["hln", ["hln", 3], [None]])
def test_schedule_refuses_a_string_or_non_string_names(names):
    from mesocorr.derivations.runner import schedule
    with pytest.raises(TypeError, match="^names"):
        schedule(names, 2)
