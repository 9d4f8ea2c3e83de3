"""One commit per machine-API call: the call's work together with its audit entry; a refused
call leaves nothing behind.

A view answers an error without committing; anything it flushed must not be committed
later by the audit entry or the idempotency record. Rolling back unconditionally would
also drop work the session held before the request (in tests, the fixtures' data), so
the session notes whether this request flushed, and only then is it rolled back.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from flask import Response, current_app, g, request
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from coalition.audit.services import audit_values, write_at_commit
from coalition.database import SAFE_METHODS, utcnow, writing
from coalition.errors import problem
from coalition.extensions import db

log = logging.getLogger(__name__)

_KEY = "federation_request_flushed"
#: attempts at writing a read's audit entry before it waits for the next call's commit
#: (each waits up to SQLite's `busy_timeout` for the write lock)
AUDIT_ATTEMPTS = 2
_unwritten_lock = threading.Lock()


def _unwritten() -> list[dict[str, Any]]:
    """This application's audit entries of reads not written yet (the lock stayed taken)."""
    return current_app.extensions.setdefault("federation_unwritten_audit", [])


def start() -> None:
    """Begin watching the session's flushes (at the start of an API request)."""
    db.session.flush()  # changes pending from before the request are not the request's
    db.session.info[_KEY] = False
    g.federation_work_started = True


def discard_failed_work() -> None:
    """Roll back if this request flushed, or holds unflushed, work it did not commit."""
    session = db.session
    if session.info.get(_KEY) or session.new or session.dirty or session.deleted:
        session.rollback()


def finish(response: Response) -> Response:
    """Commit the call's work together with its audit entry: one commit per request.

    The audit entry names the client, organisation, route and status; never a body or a
    token. A refused call's work is discarded first. Unauthenticated calls are refused
    before any work and only logged: recording them would let anyone fill the audit log.
    """
    if not g.get("federation_work_started"):  # refused at the boundary: no work began
        return response
    if not db.session.is_active:  # a failed flush: the transaction is lost anyway
        db.session.rollback()
    elif response.status_code >= 400:
        discard_failed_work()
    token = g.get("federation_token")
    if token is None:
        log.info(
            "federation call refused: %s %s -> %s", request.method, _route(), response.status_code
        )
        return response
    entry = {
        "at": utcnow(),
        "client_id": token.client_id,
        "organisation": token.organisation_id,
        "route": _route(),
        "method": request.method,
        "status": response.status_code,
    }
    if request.method in SAFE_METHODS:
        _audit_read(entry)
        return response
    try:
        _record_with_unwritten(entry)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        _put_back_unwritten()
        log.exception("could not commit the API call %s %s", request.method, _route())
        if response.status_code < 400:  # the work is lost: never answer success
            return problem(500, _("Internal Server Error"))
    return response


def _route() -> str:
    """The call's route as declared (`/referral-subjects/<path:subject_ref>`), never the
    path as sent: a path can hold a pseudonym, which no log or audit entry may."""
    return request.url_rule.rule if request.url_rule else "(no route)"


def _record_with_unwritten(entry: dict[str, Any]) -> None:
    """Add the call's audit entry, and those of earlier reads not written yet."""
    with _unwritten_lock:
        queue = _unwritten()
        waiting, queue[:] = list(queue), []
    write_at_commit(*(audit_values("api.call", **facts) for facts in [*waiting, entry]))
    db.session.info["unwritten_audit"] = waiting


def _put_back_unwritten() -> None:
    """After a failed commit: the earlier entries it carried wait again."""
    with _unwritten_lock:
        _unwritten()[:0] = db.session.info.pop("unwritten_audit", [])


def _audit_read(entry: dict[str, Any]) -> None:
    """Write a read's audit entry in a short writer transaction of its own.

    The read's transaction ends first: on SQLite a transaction that began by reading cannot
    wait for the write lock (the indexer may hold it) and fails at once with "database is
    locked". The entry's own transaction begins IMMEDIATE and queues behind the writer; if
    the lock stays taken through every attempt, the entry waits for the next call's commit.
    The read itself never fails because of its entry.
    """
    try:
        db.session.commit()  # the read's transaction: nothing to write, its snapshot released
    except SQLAlchemyError:
        db.session.rollback()
    for attempt in range(AUDIT_ATTEMPTS):
        try:
            with writing():
                _record_with_unwritten(entry)
                db.session.commit()
            db.session.info.pop("unwritten_audit", None)
            return
        except OperationalError:
            db.session.rollback()
            _put_back_unwritten()
            time.sleep(0.05 * 2**attempt)
    log.warning("audit entry of %s %s kept for the next call", entry["method"], entry["route"])
    with _unwritten_lock:
        _unwritten().append(entry)


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
