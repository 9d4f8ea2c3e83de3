"""The bench runner: its scenario registry, wrk scripts, results file and a real wrk load."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

import pytest

from bench.context import BenchContext
from bench.processes import Gunicorn
from bench.run import BENCH_DIR, run_scenario, write_results
from bench.scenarios import Scenario, all_scenarios
from bench.wrk import lua_string, lua_table, request_lua


@pytest.fixture
def baseline_ctx(tmp_path) -> Iterator[BenchContext]:
    """The bare-Flask baseline served by gunicorn, and a bench context whose platform and
    baseline are both it."""
    server = Gunicorn(
        "baseline", "baseline:app", dict(os.environ), tmp_path, 1, 2, pythonpath=str(BENCH_DIR)
    )
    server.start("/ping")
    try:
        yield BenchContext(server.url, server.url, "sqlite://", tmp_path, {}, 1, 2, server)
    finally:
        server.stop()


def test_every_part_registers_its_rows_under_distinct_names():
    names = [scenario.name for scenario in all_scenarios()]
    assert {"home", "healthz"} <= set(names)
    assert len(names) == len(set(names))


def test_request_scripts_quote_bodies_and_headers_for_lua():
    assert lua_string('a"b\\c\né') == '"a\\"b\\\\c\\010\\195\\169"'
    script = request_lua("PUT", '{"x": 1}', {"Content-Type": "application/json"})
    assert 'wrk.method = "PUT"' in script
    assert 'wrk.body = "{\\"x\\": 1}"' in script
    assert 'wrk.headers["Content-Type"] = "application/json"' in script
    assert lua_table({"A": "1", "B": 'x"y'}) == '{["A"] = "1", ["B"] = "x\\"y"}'


def test_a_partial_run_keeps_the_other_rows(tmp_path):
    path = tmp_path / "latest.json"
    write_results(path, {"cores": 2}, [{"name": "home", "rps": 1.0}, {"name": "search"}])
    write_results(path, {"cores": 4}, [{"name": "home", "rps": 2.0}])
    document = json.loads(path.read_text())
    assert document["machine"] == {"cores": 4}
    assert {row["name"]: row.get("rps") for row in document["results"]} == {
        "search": None,
        "home": 2.0,
    }


def test_wrk_measures_the_baseline_with_percentiles(baseline_ctx):
    result = baseline_ctx.baseline(seconds=1)
    rss = baseline_ctx.rss_mb()
    assert result["requests"] > 0 and result["rps"] > 0
    assert 0 < result["p50_ms"] <= result["p95_ms"]
    assert result["errors"] == {}
    assert rss is not None and rss > 5


def test_a_row_says_what_one_request_cost_the_workers(baseline_ctx):
    measured = baseline_ctx.load(Scenario("ping", path="/ping"), seconds=1)
    # a bare-Flask answer costs its worker well under a few milliseconds, and not nothing
    assert 0 < measured["cpu_ms_per_request"] < 5


def test_a_repeated_row_is_its_median_run_and_lists_every_run(tmp_path):
    measurements = iter([{"rps": 10.0, "p95_ms": 9.0}, {"rps": 30.0}, {"rps": 20.0}])
    scenario = Scenario("noisy", measure=lambda ctx: dict(next(measurements)))
    server = Gunicorn("unused", "baseline:app", {}, tmp_path, 1, 1)  # never started
    ctx = BenchContext("", "", "sqlite://", tmp_path, {}, 1, 2, server, repeat=3)
    row = run_scenario(ctx, scenario)
    assert row["rps"] == 20.0
    assert [run["rps"] for run in row["runs"]] == [10.0, 30.0, 20.0]
    assert row["runs"][0]["p95_ms"] == 9.0


def test_a_row_that_closes_its_connections_is_compared_with_a_baseline_that_does(baseline_ctx):
    """`Connection: close` rows (the federation's): the ratio's baseline opens a connection
    per request too; the keep-alive baseline is kept beside it."""
    both = baseline_ctx.baselines(closes_connections=True)
    alone = baseline_ctx.baselines()
    assert set(both) == {"baseline_rps", "baseline_keepalive_rps"}
    assert both["baseline_rps"] > 0 and both["baseline_keepalive_rps"] > 0
    assert set(alone) == {"baseline_rps"}
