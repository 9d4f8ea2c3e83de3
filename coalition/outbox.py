"""Wake the background worker once a commit has written outbox rows.

The outbox is read by the worker; waking it on commit (and not on flush) means it never
looks for rows that are not visible yet, and a rolled-back change wakes nobody. Parts
with an outbox of their own register its model with `watch`.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from coalition import worker
from coalition.models import OutboxEntry

#: models whose inserts mean "there is work for the worker"
WATCHED: set[type] = {OutboxEntry}
_KEY = "outbox_written"


def watch(model: type) -> None:
    """Wake the worker after commits that inserted rows of `model`."""
    WATCHED.add(model)


@event.listens_for(Session, "after_flush")
def _note_outbox_inserts(session: Session, flush_context) -> None:
    if any(isinstance(obj, tuple(WATCHED)) for obj in session.new):
        session.info[_KEY] = True


@event.listens_for(Session, "after_commit")
def _wake_worker(session: Session) -> None:
    if session.info.pop(_KEY, False):
        worker.wake()


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, previous_transaction) -> None:
    # Only the outer transaction's rollback discards the rows; after a savepoint's
    # rollback others may remain, and a needless wake costs one empty poll.
    if not previous_transaction.nested:
        session.info.pop(_KEY, None)
