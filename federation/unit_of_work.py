"""Discard what a refused API request flushed, without touching anything else.

A view answers an error without committing; anything it flushed must not be committed
later by the audit entry or the idempotency record. Rolling back unconditionally would
also drop work the session held before the request (in tests, the fixtures' data), so
the session notes whether this request flushed, and only then is it rolled back.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from coalition.extensions import db

_KEY = "federation_request_flushed"


def start() -> None:
    """Begin watching the session's flushes (at the start of an API request)."""
    db.session.flush()  # changes pending from before the request are not the request's
    db.session.info[_KEY] = False


def discard_failed_work() -> None:
    """Roll back if this request flushed, or holds unflushed, work it did not commit."""
    session = db.session
    if session.info.get(_KEY) or session.new or session.dirty or session.deleted:
        session.rollback()


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, flush_context: Any) -> None:
    if _KEY in session.info:
        session.info[_KEY] = True


@event.listens_for(Session, "after_commit")
def _note_commit(session: Session) -> None:
    if _KEY in session.info:
        session.info[_KEY] = False


@event.listens_for(Session, "after_rollback")
def _note_rollback(session: Session) -> None:
    if _KEY in session.info:
        session.info[_KEY] = False
