"""The search outbox: programme changes the search index has not acknowledged yet.

Every change to a programme (and to what decides whether it is shown: its organisation's
membership, its branches) adds a row here in the same transaction, with `queue`; the search
part drains it. A commit that wrote rows wakes the background worker (`coalition.worker`
subscribes with `when_written`; the outbox knows nothing of it); waking it on commit
(and not on flush) means it never looks for rows that are not visible yet, and a
rolled-back change wakes nobody. Parts with an outbox of their own register its model with
`watch`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Index, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from coalition.database import UTCDateTime, utcnow
from coalition.extensions import db


class OutboxEntry(db.Model):
    """A change the search index has not acknowledged yet.

    Written in the same transaction as the change; deleted by the indexer only after
    the search backend acknowledged it. It names the object, not its content: the
    indexer re-reads the row, so a stale entry is harmless.
    """

    __tablename__ = "search_outbox"
    __table_args__ = (Index("ix_search_outbox_available", "available_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the kind of object, e.g. "programme"
    kind: Mapped[str] = mapped_column(String(30), default="programme")
    object_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: not retried before this time (back-off after a failure)
    available_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    #: the X-Request-ID of the request that wrote the row (logged when it is indexed)
    request_id: Mapped[str | None] = mapped_column(String(128))


def queue(programme_id: int) -> None:
    """Have the search index read the programme again (in this transaction)."""
    db.session.add(OutboxEntry(kind="programme", object_id=programme_id))


#: models whose inserts mean "there is work for the worker"
WATCHED: set[type] = {OutboxEntry}
_KEY = "outbox_written"
#: what runs after a commit that wrote rows of a watched model
_on_written: list[Callable[[], None]] = []


def watch(model: type) -> None:
    """Wake the worker after commits that inserted rows of `model`."""
    WATCHED.add(model)


def when_written(callback: Callable[[], None]) -> None:
    """Call `callback` after each commit that inserted rows of a watched model."""
    _on_written.append(callback)


@event.listens_for(Session, "after_flush")
def _note_outbox_inserts(session: Session, flush_context) -> None:
    if any(isinstance(obj, tuple(WATCHED)) for obj in session.new):
        session.info[_KEY] = True


@event.listens_for(Session, "after_commit")
def _wake_worker(session: Session) -> None:
    if session.info.pop(_KEY, False):
        for callback in _on_written:
            callback()


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, previous_transaction) -> None:
    # Only the outer transaction's rollback discards the rows; after a savepoint's
    # rollback others may remain, and a needless wake costs one empty poll.
    if not previous_transaction.nested:
        session.info.pop(_KEY, None)
