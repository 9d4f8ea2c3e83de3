"""Background jobs: the outbox indexer, which brings the search index in line with the
database (`run_job`, registered with the core's worker as "search-indexer").

It reads outbox rows in batches, re-reads each programme (a stale row is harmless),
indexes the published ones and deletes the others, and removes an outbox row only once
the backend acknowledged that programme. A failure leaves the row, counts the attempt
and backs off through `available_at`: exponentially for a row the backend refused or a
bug, but only `UNAVAILABLE_RETRY` while the backend does not answer at all, and once a
batch is acknowledged again the rows it held back are due at once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import func, select, text, update
from sqlalchemy.orm.exc import StaleDataError

from coalition.database import utcnow
from coalition.extensions import db
from coalition.outbox import OutboxEntry
from coalition.programmes.models import Programme
from search.backends.interface import SearchUnavailable
from search.documents import all_documents, documents_for
from search.services import get_backend

log = logging.getLogger(__name__)

BATCH = 500
MAX_BACKOFF = timedelta(minutes=30)
#: while the engine does not answer, its rows are tried again this often, whatever their
#: attempts: nothing is wrong with them, and once the engine is back they must not wait
#: out a back-off meant for rows it refused (`make soak`: drained within 10 s of its return)
UNAVAILABLE_RETRY = timedelta(seconds=5)
#: how `last_error` begins for a row held back because the backend did not answer
UNAVAILABLE_ERROR = "search backend unavailable"


def backoff(attempts: int) -> timedelta:
    """Wait before retry: 5 s, 10 s, 20 s, … up to 30 minutes."""
    return min(MAX_BACKOFF, timedelta(seconds=5 * 2 ** max(0, attempts - 1)))


def drain_once(
    batch: int = BATCH, now: datetime | None = None, *, ignore_backoff: bool = False
) -> tuple[int, int]:
    """Process one batch of outbox rows and commit; return (rows done, rows failed)."""
    now = now or utcnow()
    query = select(OutboxEntry).order_by(OutboxEntry.id).limit(batch)
    if not ignore_backoff:
        query = query.where(OutboxEntry.available_at <= now)
    claimed = db.session.get_bind().dialect.name == "postgresql"
    if claimed:
        # Several `flask worker` processes may drain at once: each claims its own rows,
        # locked until this transaction ends.
        query = query.with_for_update(skip_locked=True)
    entries = db.session.execute(query).scalars().all()
    if not entries:
        db.session.rollback()
        return 0, 0
    ids = sorted({e.object_id for e in entries if e.kind == "programme"})
    if claimed:
        _lock_programmes(ids)
    acknowledged: set[int] = set()
    error = "not acknowledged by the search backend"
    unavailable = False
    entry_ids = [entry.id for entry in entries]
    released = False
    try:
        docs, gone = documents_for(ids)
        if not claimed:
            # SQLite: let writers in while the backend works (this transaction holds the
            # single write lock); the rows are read again afterwards.
            db.session.commit()
            released = True
        backend = get_backend()
        acknowledged |= backend.index(docs)
        acknowledged |= backend.delete(gone)
    except SearchUnavailable as exc:
        error, unavailable = f"{UNAVAILABLE_ERROR}: {exc}", True
        log.warning("search indexer: backend unavailable (%s)", exc)
    except Exception as exc:  # a bug must not make the rows retry in a tight loop
        error = f"{type(exc).__name__}: {exc}"
        log.exception("search indexer: batch failed")
    if released:
        # Rows handled meanwhile by another indexer are gone; the others are still due.
        entries = db.session.scalars(
            select(OutboxEntry).where(OutboxEntry.id.in_(entry_ids)).order_by(OutboxEntry.id)
        ).all()
    done = failed = 0
    for entry in entries:
        if entry.kind != "programme" or entry.object_id in acknowledged:
            db.session.delete(entry)
            done += 1
        else:
            entry.attempts += 1
            entry.available_at = now + (
                UNAVAILABLE_RETRY if unavailable else backoff(entry.attempts)
            )
            entry.last_error = error[:500]
            failed += 1
    if done and not unavailable:
        _release_held_rows(now)
    try:
        db.session.commit()
    except StaleDataError:
        # Another indexer (SQLite has no SKIP LOCKED) handled these rows meanwhile.
        db.session.rollback()
        return 0, 0
    return done, failed


#: the first key of the transaction-level advisory locks that serialise indexing per programme
INDEX_LOCK = 7201


def _lock_programmes(ids: list[int]) -> None:
    """PostgreSQL: hold each programme's indexing lock until this transaction ends.

    Two indexers may hold two outbox rows of one programme (two PUTs in a row). Without
    the lock, the one that read the older state could write it to the engine after the
    other wrote the newer one, and both rows are then gone: an acknowledged change lost in
    the index (`make soak` found one). With it, the second waits, then reads the programme
    as the first left it — documents are always built after the lock. Locks are taken in
    ascending id order, so two indexers cannot deadlock.
    """
    if ids:  # one round trip for the batch; the sorted subquery gives the locking order
        db.session.execute(
            text(
                "SELECT pg_advisory_xact_lock(:key, id) FROM "
                "(SELECT unnest(CAST(:ids AS integer[])) AS id ORDER BY id) AS ordered"
            ),
            {"key": INDEX_LOCK, "ids": ids},
        )


def _release_held_rows(now: datetime) -> None:
    """The backend answers again: rows held back only because it did not are due now.

    Rows another indexer holds (locked) are skipped, not waited for.
    """
    held = (
        select(OutboxEntry.id)
        .where(
            OutboxEntry.available_at > now,
            OutboxEntry.last_error.startswith(UNAVAILABLE_ERROR),
        )
        .with_for_update(skip_locked=True)
    )
    db.session.execute(
        update(OutboxEntry)
        .where(OutboxEntry.id.in_(held.scalar_subquery()))
        .values(available_at=now)
        .execution_options(synchronize_session=False)
    )


def drain(max_batches: int = 20, *, ignore_backoff: bool = False) -> int:
    """Drain the outbox until it is empty, a batch fails, or `max_batches` ran."""
    total = 0
    for _ in range(max_batches):
        done, failed = drain_once(ignore_backoff=ignore_backoff)
        total += done
        if failed or done < BATCH:
            break
    return total


def outbox_length() -> int:
    """How many changes wait for the index."""
    return db.session.execute(select(func.count()).select_from(OutboxEntry)).scalar_one()


def reindex_all() -> int:
    """Rebuild the whole index beside the live one and switch; then catch up on changes."""
    started = utcnow()
    count = get_backend().reindex(all_documents())
    # Changes made while the new index was being built went to the old one: redo them.
    changed = (
        db.session.execute(select(Programme.id).where(Programme.updated_at >= started))
        .scalars()
        .all()
    )
    if changed:
        docs, gone = documents_for(list(changed))
        get_backend().index(docs)
        get_backend().delete(gone)
    db.session.rollback()
    return count


def run_job() -> int:
    """The background job: drain what is due."""
    return drain()
