"""`Idempotency-Key` on POST: a retried request replays the first answer, creates nothing.

The key is scoped to the OAuth client and kept 24 hours. The request is fingerprinted
(method, path, canonical JSON body): the same key with another request is 422. A key is
claimed (committed) before the view runs, so two concurrent requests with one key cannot
both act: the second gets 409 until the first has answered.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from flask import Response, make_response, request
from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from coalition.database import utcnow
from coalition.errors import problem
from coalition.extensions import db
from federation.api import unit_of_work
from federation.api.models import MAX_KEY_LENGTH, IdempotencyRecord

HEADER = "Idempotency-Key"
#: how long a key is remembered
TTL = timedelta(hours=24)
#: response headers replayed with the stored body
REPLAYED_HEADERS = ("Content-Type", "Location")


def fingerprint() -> str:
    """A digest of this request: method, path and body (JSON compared by content)."""
    raw = request.get_data(cache=True)
    try:
        body = json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":")).encode()
    except (ValueError, UnicodeDecodeError):
        body = raw
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    digest.update(body)
    return digest.hexdigest()


def _find(client_id: str, key: str) -> IdempotencyRecord | None:
    return db.session.execute(
        select(IdempotencyRecord).where(
            IdempotencyRecord.client_id == client_id, IdempotencyRecord.key == key
        )
    ).scalar_one_or_none()


def _forget(record_id: int) -> None:
    """Free the key: the request it claimed was not answered for good."""
    db.session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.id == record_id))


def _replay(stored: IdempotencyRecord) -> Response:
    response = Response(stored.response_body, status=stored.status_code)
    for name, value in (stored.response_headers or {}).items():
        response.headers[name] = value
    response.headers["Idempotent-Replayed"] = "true"
    return response


def idempotent(client_id: Callable[[], str]) -> Callable:
    """Decorate a POST view: honour `Idempotency-Key` for the client `client_id()` names."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any):
            key = request.headers.get(HEADER)
            if key is None:
                return view(*args, **kwargs)
            if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
                return problem(
                    400,
                    _("Invalid Idempotency-Key"),
                    _(
                        "The key must be 1 to %(max)s printable characters.",
                        max=MAX_KEY_LENGTH,
                    ),
                )
            client, digest = client_id(), fingerprint()
            stored = _find(client, key)
            if stored is not None and stored.expires_at <= utcnow():
                db.session.delete(stored)
                db.session.flush()
                stored = None
            if stored is None:
                stored = IdempotencyRecord(
                    client_id=client, key=key, fingerprint=digest, expires_at=utcnow() + TTL
                )
                db.session.add(stored)
                try:
                    db.session.commit()  # claim the key before acting
                except IntegrityError:
                    db.session.rollback()
                    stored = _find(client, key)
                else:
                    return _answer(stored, view, args, kwargs)
            if stored is None or stored.fingerprint != digest:
                return problem(
                    422,
                    _("Idempotency-Key reused"),
                    _("This key was already used with a different request."),
                )
            if stored.status_code is None:
                return problem(
                    409,
                    _("Request in progress"),
                    _("A request with this key is still being answered."),
                    headers={"Retry-After": "1"},
                )
            return _replay(stored)

        return wrapped

    return decorator


def _answer(stored: IdempotencyRecord, view: Callable, args: Any, kwargs: Any) -> Response:
    """Run the view for a freshly claimed key and keep its answer (not server errors)."""
    record_id = stored.id
    try:
        response = view(*args, **kwargs)
    except Exception:
        if db.session.is_active:
            unit_of_work.discard_failed_work()
        else:
            db.session.rollback()
        _forget(record_id)
        db.session.commit()
        raise
    response = make_response(response)
    if response.status_code >= 400:
        unit_of_work.discard_failed_work()  # a refused request leaves nothing behind
    if response.status_code >= 500 or response.status_code == 429:
        _forget(record_id)
    else:
        stored = db.session.get(IdempotencyRecord, record_id)
        stored.status_code = response.status_code
        stored.response_body = response.get_data()
        stored.response_headers = {
            name: response.headers[name] for name in REPLAYED_HEADERS if name in response.headers
        }
    db.session.commit()
    return response
