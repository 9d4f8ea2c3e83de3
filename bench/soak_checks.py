"""The soak's verdicts (`make soak`, bench/soak.py): pure functions over what the load
generator recorded, what PostgreSQL and the index hold, and when each fault happened.

Kept apart from the script that runs the servers so that they can be tested without them
(tests/bench/test_soak_checks.py).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

#: status recorded for a request that got no HTTP answer (refused, reset, timed out)
NO_ANSWER = 0
#: seconds after a component answers again during which its failures are still its own
#: (requests sent just before it came back, connections being re-established)
GRACE_SECONDS = 1.0


@dataclass(frozen=True)
class Record:
    """One request of the load: what, to which web server, when, and its outcome."""

    kind: str  # "search", "put", "token", "referral"
    server: int  # index of the web server it went to (0 or 1)
    sent: float  # time.time() when sent
    done: float  # time.time() when answered or given up
    status: int  # HTTP status, NO_ANSWER without one
    #: PUTs: the programme (external id) and the value this PUT wrote in its title
    key: str = ""
    value: str = ""


@dataclass(frozen=True)
class Window:
    """A fault: from when it began until the component answered again."""

    name: str  # "worker_kill", "search_engine_stop", "redis_restart", "web_restart"
    start: float
    end: float
    #: only requests to this web server are this fault's (None: every server's)
    server: int | None = None
    #: only requests of these kinds depend on the component (None: every kind)
    kinds: frozenset[str] | None = None

    def covers(self, record: Record, grace: float = GRACE_SECONDS) -> bool:
        if self.server is not None and record.server != self.server:
            return False
        if self.kinds is not None and record.kind not in self.kinds:
            return False
        return record.sent <= self.end + grace and record.done >= self.start


@dataclass
class ErrorReport:
    """5xx answers and unanswered requests, by the fault window they fell in."""

    by_window: dict[str, dict[str, int]] = field(default_factory=dict)
    #: failures outside every window (must be none)
    unattributed: dict[str, int] = field(default_factory=dict)
    unattributed_examples: list[dict[str, Any]] = field(default_factory=list)

    @property
    def unattributed_total(self) -> int:
        return sum(self.unattributed.values())


def is_failure(record: Record) -> bool:
    """A 5xx answer, or no answer at all."""
    return record.status == NO_ANSWER or record.status >= 500


def failure_label(record: Record) -> str:
    return f"{record.kind} {'no answer' if record.status == NO_ANSWER else record.status}"


def attribute_failures(
    records: Iterable[Record], windows: Sequence[Window], grace: float = GRACE_SECONDS
) -> ErrorReport:
    """Count each failed request against the first fault window it overlaps.

    A request overlaps a window when it was sent before the window ended (plus `grace`)
    and finished after it began; a web server's window only takes that server's requests.
    """
    report = ErrorReport(by_window={w.name: {} for w in windows})
    for record in records:
        if not is_failure(record):
            continue
        label = failure_label(record)
        window = next((w for w in windows if w.covers(record, grace)), None)
        if window is None:
            report.unattributed[label] = report.unattributed.get(label, 0) + 1
            if len(report.unattributed_examples) < 10:
                report.unattributed_examples.append(
                    {
                        "kind": record.kind,
                        "server": record.server,
                        "status": record.status,
                        "sent": round(record.sent, 3),
                        "took_s": round(record.done - record.sent, 3),
                    }
                )
            continue
        counts = report.by_window[window.name]
        counts[label] = counts.get(label, 0) + 1
    return report


def expected_values(puts: Iterable[Record]) -> dict[str, set[str]]:
    """For each programme, the values PostgreSQL may hold after the run.

    A programme's PUTs are sent one after the other (by one load thread), so what the
    database holds is the last acknowledged value, or that of a later PUT whose outcome is
    unknown (no answer, or a 5xx that may have come after the commit). Programmes with no
    acknowledged PUT are left out: nothing was promised about them.
    """
    by_key: dict[str, list[Record]] = defaultdict(list)
    for record in puts:
        by_key[record.key].append(record)
    expected: dict[str, set[str]] = {}
    for key, records in by_key.items():
        records.sort(key=lambda r: r.sent)
        acked = [i for i, r in enumerate(records) if 200 <= r.status < 300]
        if not acked:
            continue
        last = acked[-1]
        later_unknown = {r.value for r in records[last + 1 :] if is_failure(r)}
        expected[key] = {records[last].value} | later_unknown
    return expected


def lost_writes(expected: Mapping[str, set[str]], stored: Mapping[str, str | None]) -> list[str]:
    """Programmes whose stored value is none of the expected ones (missing counts)."""
    return sorted(key for key, values in expected.items() if stored.get(key) not in values)


def index_mismatches(
    database: Mapping[str, str | None], index: Mapping[str, str | None]
) -> list[str]:
    """Programmes whose indexed value differs from PostgreSQL's (missing counts)."""
    return sorted(key for key, value in database.items() if index.get(key) != value)


def drain_seconds(samples: Sequence[tuple[float, int]], returned: float) -> float | None:
    """Seconds from `returned` until the backlog (rows written before it) was first zero.

    `samples` are (time, rows of the outbox older than `returned`) pairs, in time order;
    None when the backlog never reached zero.
    """
    for at, backlog in samples:
        if at >= returned and backlog == 0:
            return round(at - returned, 2)
    return None


def percentile(values: Sequence[float], p: float) -> float | None:
    """The p-th percentile (nearest rank) of `values`, None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))
    return ordered[rank]


def summarise(records: Sequence[Record], seconds: float) -> dict[str, Any]:
    """Per kind: requests, rate, status counts and latency percentiles (answered ones)."""
    out: dict[str, Any] = {}
    by_kind: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        by_kind[record.kind].append(record)
    for kind, rows in sorted(by_kind.items()):
        answered = [1000 * (r.done - r.sent) for r in rows if r.status != NO_ANSWER]
        statuses = Counter("no answer" if r.status == NO_ANSWER else str(r.status) for r in rows)
        out[kind] = {
            "requests": len(rows),
            "rps": round(len(rows) / seconds, 1) if seconds else None,
            "statuses": dict(sorted(statuses.items())),
            "p50_ms": _ms(percentile(answered, 50)),
            "p95_ms": _ms(percentile(answered, 95)),
            "p99_ms": _ms(percentile(answered, 99)),
        }
    return out


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def fault_schedule(seconds: float) -> dict[str, float]:
    """When (seconds after the load starts) each fault begins.

    The search engine stays down 10 s whatever the duration; the others follow it so
    that two faults never overlap and each has load before and after it.
    """
    kill = round(0.13 * seconds, 1)
    engine = round(max(kill + 2, 0.25 * seconds), 1)
    # the engine needs a few seconds to answer again after its 10 s
    redis = round(max(engine + 14, 0.5 * seconds), 1)
    # a web server's restart takes long on a busy machine (its graceful stop, its start)
    web = round(max(redis + 4, 0.6 * seconds), 1)
    return {
        "worker_kill": kill,
        "search_engine_stop": engine,
        "redis_restart": redis,
        "web_restart": web,
    }
