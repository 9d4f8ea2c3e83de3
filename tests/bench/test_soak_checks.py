"""The soak's verdicts (bench/soak_checks.py): which failures a fault excuses, which writes
count as lost, when the outbox counts as drained. The soak itself is `make soak`."""

from __future__ import annotations

from bench.soak_checks import (
    NO_ANSWER,
    Record,
    Window,
    attribute_failures,
    drain_seconds,
    expected_values,
    fault_schedule,
    index_mismatches,
    lost_writes,
    percentile,
    summarise,
)


def put(sent: float, status: int, value: str, key: str = "m/p1") -> Record:
    return Record("put", 0, sent, sent + 0.05, status, key, value)


def test_a_failure_inside_its_window_is_attributed_and_one_outside_is_not():
    engine = Window("search_engine_stop", 10.0, 20.0, kinds=frozenset({"search"}))
    web = Window("web_restart", 30.0, 33.0, server=1)
    records = [
        Record("search", 0, 12.0, 12.01, 503),  # engine down: excused
        Record("search", 1, 20.5, 20.6, 503),  # within the grace second after its return
        Record("put", 0, 15.0, 15.1, 500),  # a PUT does not need the engine: not excused
        Record("token", 1, 31.0, 31.0, NO_ANSWER),  # server 1 restarting: excused
        Record("token", 0, 31.0, 31.0, NO_ANSWER),  # server 0 was up: not excused
        Record("search", 0, 40.0, 40.1, 200),  # not a failure at all
        Record("search", 0, 9.0, 10.5, 503),  # sent before, answered during: excused
    ]
    report = attribute_failures(records, [engine, web])
    assert report.by_window == {
        "search_engine_stop": {"search 503": 3},
        "web_restart": {"token no answer": 1},
    }
    assert report.unattributed == {"put 500": 1, "token no answer": 1}
    assert report.unattributed_total == 2
    assert {e["kind"] for e in report.unattributed_examples} == {"put", "token"}


def test_a_failure_after_the_grace_period_is_not_excused():
    engine = Window("search_engine_stop", 10.0, 20.0, kinds=frozenset({"search"}))
    report = attribute_failures([Record("search", 0, 21.5, 21.6, 503)], [engine])
    assert report.unattributed == {"search 503": 1}


def test_the_database_must_hold_the_last_acknowledged_value_or_a_later_unknown_one():
    puts = [
        put(1.0, 200, "v1"),
        put(2.0, 200, "v2"),
        put(3.0, 422, "v3"),  # refused: cannot be stored
        put(4.0, NO_ANSWER, "v4"),  # outcome unknown: may be stored
        put(1.0, 503, "w1", key="m/p2"),  # never acknowledged: nothing promised
    ]
    expected = expected_values(puts)
    assert expected == {"m/p1": {"v2", "v4"}}
    assert lost_writes(expected, {"m/p1": "v2"}) == []
    assert lost_writes(expected, {"m/p1": "v4"}) == []
    assert lost_writes(expected, {"m/p1": "v1"}) == ["m/p1"]  # an acknowledged write lost
    assert lost_writes(expected, {"m/p1": "v3"}) == ["m/p1"]
    assert lost_writes(expected, {}) == ["m/p1"]  # the programme is missing


def test_the_order_of_the_records_does_not_matter_only_when_they_were_sent():
    assert expected_values([put(2.0, 200, "v2"), put(1.0, 200, "v1")]) == {"m/p1": {"v2"}}


def test_the_index_must_hold_what_the_database_holds():
    database = {"a": "v2", "b": "w1", "c": "x1"}
    assert index_mismatches(database, {"a": "v2", "b": "w1", "c": "x1"}) == []
    assert index_mismatches(database, {"a": "v1", "b": "w1"}) == ["a", "c"]


def test_drain_is_measured_from_the_engine_s_return_to_the_first_empty_backlog():
    samples = [(9.0, 0), (10.5, 40), (11.0, 12), (12.25, 0), (13.0, 0)]
    assert drain_seconds(samples, returned=10.0) == 2.25
    assert drain_seconds([(10.5, 40), (11.0, 3)], returned=10.0) is None


def test_the_fault_schedule_never_overlaps_and_keeps_the_engine_down_ten_seconds():
    for seconds in (30, 60):
        at = fault_schedule(seconds)
        assert at["worker_kill"] < at["search_engine_stop"]
        assert at["search_engine_stop"] + 10 < at["redis_restart"] < at["web_restart"]
        assert at["web_restart"] < seconds
    assert fault_schedule(60) == {
        "worker_kill": 7.8,
        "search_engine_stop": 15.0,
        "redis_restart": 30.0,
        "web_restart": 36.0,
    }


def test_summary_counts_statuses_and_leaves_unanswered_requests_out_of_latency():
    records = [Record("search", 0, float(n), n + 0.010, 200) for n in range(19)]
    records.append(Record("search", 1, 30.0, 33.0, NO_ANSWER))
    summary = summarise(records, seconds=20)["search"]
    assert summary["requests"] == 20
    assert summary["rps"] == 1.0
    assert summary["statuses"] == {"200": 19, "no answer": 1}
    assert summary["p95_ms"] == 10.0
    assert percentile([], 50) is None
    assert percentile([1, 2, 3, 4], 50) == 2
