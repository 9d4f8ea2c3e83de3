"""The soak's report (bench/soak.py): the integrity check against PostgreSQL and the
index, and bench/results/soak.json's document."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bench import soak_checks as checks
from bench.environment import env_int
from bench.soak_parts import machine_info, read_back


def verify(layout, records: list[checks.Record]) -> dict[str, Any]:
    """Every acknowledged PUT in PostgreSQL, and PostgreSQL's value in the index."""
    puts = [r for r in records if r.kind == "put" and r.key]
    expected = checks.expected_values(puts)
    stored, ids = layout.database.programme_titles()
    indexed = read_back(layout.engine.url, layout.env["SEARCH_INDEX_PREFIX"], ids)
    lost_db = checks.lost_writes(expected, stored)
    in_db = {key: stored.get(key) for key in expected}
    lost_index = checks.index_mismatches(in_db, indexed)
    return {
        "acknowledged_puts": sum(1 for r in puts if 200 <= r.status < 300),
        "programmes_checked": len(expected),
        "lost_in_postgresql": len(lost_db),
        "lost_in_index": len(lost_index),
        "examples": {"postgresql": lost_db[:5], "index": lost_index[:5]},
    }


@dataclass
class SoakRun:
    """What the soak set and measured, filled in as it runs (bench/soak.py), for its report."""

    #: how long the paced load runs, in seconds, and at which fraction of the capacity
    seconds: float
    fraction: float
    #: os.getloadavg() before anything started
    load_before: tuple[float, float, float]
    #: the request mix (`MIX`, without "referral" when none can be sent)
    mix: dict[str, float] = field(default_factory=dict)
    #: what `detect_referrals` found (its "reason" is reported)
    referral: dict[str, Any] = field(default_factory=dict)
    #: the records of the unpaced warm-up and capacity measurement
    capacity_records: list[checks.Record] = field(default_factory=list)
    #: requests a second the mix reached unpaced, and the paced load's rate
    capacity: float = 0.0
    rate: float = 0.0
    #: the records of the paced load, and time.time() when it started
    records: list[checks.Record] = field(default_factory=list)
    started: float = 0.0
    #: time.time() when the outbox was empty after the load
    drained_after_load: float = 0.0


def report(layout, faults, sampler, run: SoakRun) -> dict[str, Any]:
    """bench/results/soak.json's document: the settings, the figures and the verdict."""
    records, started, seconds = run.records, run.started, run.seconds
    windows = faults.windows()
    errors = checks.attribute_failures(records, windows)
    integrity = verify(layout, run.capacity_records + records)
    returned = faults.engine_returned
    samples = [(s["t"], s["backlog"]) for s in sampler.samples if s["backlog"] is not None]
    drain = checks.drain_seconds(samples, returned) if returned else None
    rel = lambda t: round(t - started, 2)  # noqa: E731
    return {
        "machine": machine_info(layout, run.load_before),
        "settings": {
            "seconds": seconds,
            "mix": run.mix,
            "referrals": run.referral["reason"],
            "web": [s.settings for s in layout.web],
            "flask_workers": 2,
            "load_threads": env_int("SOAK_PROCESSES", 2) * env_int("SOAK_THREADS", 12),
        },
        "capacity_rps": round(run.capacity, 1),
        "target_rps": round(run.rate, 1),
        "load_fraction": run.fraction,
        "achieved_rps": round(len(records) / seconds, 1),
        "requests": checks.summarise(records, seconds),
        "faults": {
            name: {
                "start_s": rel(t["start"]),
                "end_s": rel(t["end"]),
                "took_s": round(t["end"] - t["start"], 2),
            }
            for name, t in faults.log.items()
        },
        "fault_details": faults.details,
        "fault_error": faults.error,
        "failures_by_window": errors.by_window,
        "failures_unattributed": errors.unattributed,
        "failures_unattributed_examples": [
            {**example, "sent_s": rel(example["sent"])} for example in errors.unattributed_examples
        ],
        "refusals_examples": sorted(
            {f"{r.kind} {r.status} {r.value}" for r in records if 400 <= r.status < 500}
        )[:10],
        "integrity": integrity,
        "outbox": {
            "drain_after_engine_return_s": drain,
            "max_rows": max((s["rows"] for s in sampler.samples), default=None),
            "max_oldest_s": round(max((s["oldest_s"] for s in sampler.samples), default=0), 2),
            "drained_s_after_load_end": next(
                (
                    round(s["t"] - (started + seconds), 2)
                    for s in sampler.samples
                    if s["t"] >= started + seconds and s["rows"] == 0
                ),
                round(run.drained_after_load - (started + seconds), 2),
            ),
        },
        "verdict": {
            "all_faults_ran": faults.error is None and len(faults.log) == 4,
            "no_lost_put_in_postgresql": integrity["lost_in_postgresql"] == 0,
            "no_lost_put_in_index": integrity["lost_in_index"] == 0,
            "no_5xx_or_unanswered_outside_down_windows": errors.unattributed_total == 0,
            "outbox_drained_within_10s": drain is not None and drain <= 10,
            # the mix measures referrals made, not refused (a 4xx is the soak's own mistake)
            "no_4xx_answer": not any(400 <= r.status < 500 for r in records),
        },
        "load_started_at": datetime.fromtimestamp(started, UTC).isoformat(timespec="milliseconds"),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }
