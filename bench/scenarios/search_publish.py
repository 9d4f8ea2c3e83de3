"""The publish_latency row: publish a programme (commit with its outbox row), then search
until it is found; p50/p95 over `rounds` publishes. The script runs inside the platform."""

from __future__ import annotations

from typing import Any

PUBLISH_LATENCY = """
import time
from search.jobs import drain
from coalition.extensions import db
from coalition.members.models import Organisation
from coalition.programmes.models import Programme, ProgrammeLocation
from coalition.programmes.models import ProgrammeStatus
from coalition.database import utcnow
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from search.services import parse_search_params, search_programmes
org = db.session.execute(
    select(Organisation).where(Organisation.slug == "bench-search")).scalar_one()
try:
    from coalition.programmes.services import publish_programme
except ImportError:
    publish_programme = None
from coalition.outbox import OutboxEntry
from sqlalchemy.exc import OperationalError


def publish_one(word):
    p = Programme(organisation=org, titles={"fr": f"Mentorat {word}"}, summaries={"fr": "x"},
                  descriptions={}, themes=["employment"], audiences=["neet"], formats=["group"],
                  languages=["fr"], cost="free", status=ProgrammeStatus.draft)
    p.locations.append(ProgrammeLocation(postcode="1000", city="Bruxelles", country="BE",
                                         latitude=50.85, longitude=4.35))
    db.session.add(p)
    db.session.flush()
    started = time.monotonic()
    if publish_programme:
        publish_programme(p)
    else:
        p.status, p.published_at = ProgrammeStatus.published, utcnow()
        db.session.add(OutboxEntry(kind="programme", object_id=p.id))
    db.session.commit()
    return started


latencies = []
for n in range(ROUNDS):
    word = f"zqbench{time.time_ns()}"
    for attempt in range(20):  # SQLite: another process may hold the write lock a moment
        try:
            started = publish_one(word)
            break
        except OperationalError:
            db.session.rollback()
            time.sleep(0.1)
    else:
        continue
    if DRAIN_HERE:
        # What the embedded worker thread does when the commit wakes it (this process's
        # commit cannot wake the web process's thread).
        try:
            drain()
        except Exception:
            db.session.rollback()  # the platform's own worker took the row first
    with app.test_request_context():
        params = parse_search_params(MultiDict({"q": word}), "fr")
        while search_programmes(params).total == 0:
            if time.monotonic() - started > 30:
                break
            time.sleep(0.005)
    latencies.append((time.monotonic() - started) * 1000)
latencies.sort()
print(latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.95) - 1], len(latencies))
"""


def prepare_publish_latency(ctx) -> None:
    """The bench organisation and a live index, when the search rows did not run before."""
    have = ctx.python(
        "from bench.scenarios.search_data import generate_programmes\n"
        "from coalition.extensions import db\n"
        "have = generate_programmes(0)\n"
        "db.session.commit()\n"
        "print(have)"
    )
    if int(have.strip().splitlines()[-1]) == 0:
        ctx.flask("search", "reindex")


def measure_publish_latency(ctx, rounds: int = 40) -> dict[str, Any]:
    """Publish (commit with the outbox row) → the programme is found by a search, p50/p95.

    With a separate `flask worker` process (the distributed layout) that worker alone
    indexes the row, so the row measures how soon the commit reaches it; in embedded mode
    the measuring process drains the outbox itself, as the woken worker thread would.
    """
    separate = ctx.env.get("WORKER_THREAD") == "0"
    code = PUBLISH_LATENCY.replace("ROUNDS", str(rounds)).replace("DRAIN_HERE", str(not separate))
    try:
        out = ctx.python(code)
        p50, p95, n = out.strip().splitlines()[-1].split()
    except (RuntimeError, ValueError, IndexError) as error:
        return {"failed": str(error)[-300:]}
    return {
        "p50_ms": round(float(p50), 1),
        "p95_ms": round(float(p95), 1),
        "publishes": int(n),
        "indexed_by": "flask worker process" if separate else "the publishing process",
    }
