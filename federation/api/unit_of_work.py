"""One commit per machine-API call: the call's work together with its audit entry; a refused
call leaves nothing behind.

A view answers an error without committing; anything it flushed must not be committed
later by the audit entry or the idempotency record. Rolling back unconditionally would
also drop work the session held before the request (in tests, the fixtures' data), so
the session notes whether this request flushed, and only then is it rolled back.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Response, g, request
from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from coalition.audit.services import record
from coalition.errors import problem
from coalition.extensions import db

log = logging.getLogger(__name__)

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


def finish(response: Response) -> Response:
    """Commit the call's work together with its audit entry: one commit per request.

    The audit entry names the client, organisation, route and status; never a body or a
    token. A refused call's work is discarded first. Unauthenticated calls are refused
    before any work and only logged: recording them would let anyone fill the audit log.
    """
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
    try:
        record(
            "api.call",
            client_id=token.client_id,
            organisation=token.organisation_id,
            route=_route(),
            method=request.method,
            status=response.status_code,
        )
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("could not commit the API call %s %s", request.method, _route())
        if response.status_code < 400:  # the work is lost: never answer success
            return problem(500, "Internal Server Error")
    return response


def _route() -> str:
    """The call's route as declared (`/referral-subjects/<path:subject_ref>`), never the
    path as sent: a path can hold a pseudonym, which no log or audit entry may."""
    return request.url_rule.rule if request.url_rule else "(no route)"


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
