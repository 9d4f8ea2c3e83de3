"""Following a request, and the background work it caused, through the logs and metrics.

- Each request gets an id: the caller's `X-Request-ID` when well-formed (`logs.REQUEST_ID`),
  else a new one. It is in every log line written while the request is handled, in the
  response's `X-Request-ID`, and in one line the request ends with (method, endpoint,
  status, duration: never the path, the query string, the address or a body).
- A row the request writes into a queue keeps that id: a model with a `request_id`
  column (the search outbox; the parts' queues may add one) gets it filled at flush.
- Each run of a background job gets a `job_id` of its own; its lines say `job` and
  `job_id`. When a run settles outbox rows, one line per row says so with the row's
  `request_id`, so a search for a request id finds the request and the indexing it
  caused, whichever process did it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from flask import Flask, Response, g, request
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from coalition.observability import logs, metrics
from coalition.outbox import OutboxEntry

log = logging.getLogger("coalition.requests")
job_log = logging.getLogger("coalition.jobs")

HEADER = "X-Request-ID"
#: HTTP methods counted by name; any other is counted as "other" (no label explosion)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


#: the caller's `X-Request-ID` as the WSGI environment holds it
_ENVIRON_KEY = "HTTP_" + HEADER.upper().replace("-", "_")


class _Trace(NamedTuple):
    """What a request's hooks share, kept on `g` as one value."""

    started: float
    request_id: str
    log_token: Any


def _begin_request() -> None:
    request_id = logs.accepted_request_id(request.environ.get(_ENVIRON_KEY))
    log_token = logs.enter_context(request_id=request_id)
    g.request_trace = _Trace(time.perf_counter(), request_id, log_token)


def _end_request(response: Response) -> Response:
    trace = g.get("request_trace")
    if trace is None:  # not begun here (a test's bare request context)
        return response
    seconds = time.perf_counter() - trace.started
    current = request._get_current_object()  # one lookup for the reads below
    rule = current.url_rule
    endpoint = rule.endpoint if rule is not None else "unmatched"
    method = current.method if current.method in METHODS else "other"
    status = response.status_code
    metrics.observe_request(endpoint, method, status, seconds)
    response.headers[HEADER] = trace.request_id
    log.info(
        "%s %s %s %.1f ms",
        method,
        endpoint,
        status,
        seconds * 1000,
        extra={
            "method": method,
            "endpoint": endpoint,
            "route": rule.rule if rule is not None else None,
            "status": status,
            "duration_ms": round(seconds * 1000, 2),
        },
    )
    return response


def _forget_request(error: BaseException | None) -> None:
    trace = g.pop("request_trace", None)
    if trace is not None:
        logs.leave_context(trace.log_token)


def init_request_tracing(app: Flask) -> None:
    """Give every request an id, a line in the log and its place in the metrics.

    Call it before anything else adds request hooks: its `before_request` then runs
    first and its `after_request` last (Flask runs those in reverse), so it sees the
    final status and every other hook's lines carry the id.
    """
    app.before_request_funcs.setdefault(None, []).insert(0, _begin_request)
    app.after_request(_end_request)
    app.teardown_request(_forget_request)


# --- background jobs -------------------------------------------------------------------------


class JobRun:
    """What `job_context` yields: set `failed` when the job raised."""

    failed = False


#: time.monotonic() when the last job run in this process ended (`flask worker`'s /healthz)
last_job_finished: float | None = None


@contextmanager
def job_context(name: str) -> Iterator[JobRun]:
    """One run of the background job `name`: its own `job_id` in the logs, and metrics."""
    global last_job_finished
    run = JobRun()
    started = time.monotonic()
    with logs.log_context(job=name, job_id=logs.new_id()):
        try:
            yield run
        finally:
            metrics.observe_job(name, run.failed, started)
            last_job_finished = time.monotonic()


# --- request ids on queued rows --------------------------------------------------------------

_SETTLED = "outbox_settled"


def _has_request_id(obj: object) -> bool:
    return "request_id" in inspect(type(obj)).columns


@event.listens_for(Session, "before_flush")
def _stamp_request_id(session: Session, flush_context, instances) -> None:
    request_id = logs.current("request_id")
    if request_id is None:
        return
    for obj in session.new:
        if getattr(obj, "request_id", False) is None and _has_request_id(obj):
            obj.request_id = request_id


def _settled(outcome: str, entry: OutboxEntry) -> tuple:
    # What the row held when it was loaded: reading an expired attribute would query.
    held = inspect(entry).dict
    attempts = held.get("attempts") if outcome == "deferred" else None
    return (
        outcome,
        held.get("id"),
        held.get("kind"),
        held.get("object_id"),
        held.get("request_id"),
        attempts,
    )


@event.listens_for(Session, "after_flush")
def _note_settled_outbox_rows(session: Session, flush_context) -> None:
    settled = [_settled("indexed", obj) for obj in session.deleted if isinstance(obj, OutboxEntry)]
    settled += [
        _settled("deferred", obj)
        for obj in session.dirty
        if isinstance(obj, OutboxEntry) and inspect(obj).attrs.attempts.history.has_changes()
    ]
    if settled:
        session.info.setdefault(_SETTLED, []).extend(settled)


@event.listens_for(Session, "after_commit")
def _log_settled_outbox_rows(session: Session) -> None:
    for outcome, entry_id, kind, object_id, request_id, attempts in session.info.pop(_SETTLED, ()):
        with logs.log_context(request_id=request_id):
            job_log.info(
                "outbox entry %s (%s %s) %s",
                entry_id,
                kind,
                object_id,
                outcome if attempts is None else f"{outcome} after attempt {attempts}",
                extra={"outbox_id": entry_id, "outcome": outcome, "kind": kind},
            )


@event.listens_for(Session, "after_soft_rollback")
def _forget_settled(session: Session, previous_transaction) -> None:
    if not previous_transaction.nested:
        session.info.pop(_SETTLED, None)
