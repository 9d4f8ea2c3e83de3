"""The organisation's event feed: what happened to its objects, in order, with a cursor.

Events carry ids only (no personal data), so a member system re-reads what it needs.
Each event has a UUID so that a receiver can de-duplicate (webhooks retry).
"""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Uuid, select, text
from sqlalchemy.orm import Mapped, mapped_column

from coalition.extensions import db
from coalition.models.base import UTCDateTime, utcnow

#: the event types a member system may receive
EVENT_TYPES = (
    "programme.created",
    "programme.updated",
    "programme.archived",
    "programme.unpublished_by_coalition",
    "report.received",
    "referral.received",
    "referral.status_changed",
)
#: first key of the PostgreSQL advisory locks that order an organisation's events
ADVISORY_LOCK_SPACE = 4711
#: the most events one page of the feed returns
MAX_PAGE = 500


class Event(db.Model):
    """Something that happened to an organisation's object, for its member system."""

    __tablename__ = "federation_events"
    __table_args__ = (Index("ix_federation_events_org_id", "organisation_id", "id"),)

    #: increasing: the feed's order and the basis of its cursor
    id: Mapped[int] = mapped_column(primary_key=True)
    #: stable public id, for de-duplication by receivers
    uuid: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=uuid.uuid4)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    #: dotted type, one of `EVENT_TYPES`
    type: Mapped[str] = mapped_column(String(60))
    #: ids of the objects concerned (never personal data)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def record_event(organisation_id: int, type_: str, data: dict[str, Any]) -> Event:
    """Add an event to the organisation's feed, queue its webhook deliveries, and flush."""
    if type_ not in EVENT_TYPES:
        raise ValueError(f"unknown event type {type_!r}")
    webhook_ids = None
    if db.session.get_bind().dialect.name == "postgresql":
        # Ids must become visible in the order they were given, or a reader's cursor could
        # step over an event committed late. Holding this lock until commit makes the
        # organisation's event-writing transactions commit in id order. (SQLite has a
        # single writer already.) The same round trip reads the webhooks to notify.
        row = db.session.execute(
            text(
                "SELECT pg_advisory_xact_lock(:space, :org), ARRAY(SELECT id FROM "
                "federation_webhooks WHERE organisation_id = :org AND active ORDER BY id)"
            ),
            {"space": ADVISORY_LOCK_SPACE, "org": organisation_id},
        ).one()
        webhook_ids = list(row[1])
    event = Event(organisation_id=organisation_id, type=type_, data=data)
    db.session.add(event)
    db.session.flush()
    from federation.webhooks import queue_deliveries

    queue_deliveries(event, webhook_ids)
    return event


def encode_cursor(event_id: int) -> str:
    """An opaque cursor pointing just after `event_id`."""
    return base64.urlsafe_b64encode(f"ev1:{event_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The event id inside a cursor.

    :raise ValueError: not a cursor this server issued.
    """
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise ValueError("invalid cursor") from error
    prefix, _, number = raw.partition(":")
    if prefix != "ev1" or not number.isdigit() or len(number) > 18:
        raise ValueError("invalid cursor")
    return int(number)


def list_events(organisation_id: int, after_id: int = 0, limit: int = 100) -> list[Event]:
    """The organisation's events after `after_id`, oldest first, at most `limit` (capped)."""
    limit = max(1, min(limit, MAX_PAGE))
    return list(
        db.session.execute(
            select(Event)
            .where(Event.organisation_id == organisation_id, Event.id > after_id)
            .order_by(Event.id)
            .limit(limit)
        ).scalars()
    )


# --- what the core tells us -------------------------------------------------------------------

#: the core's programme actions and the event each becomes ("moderate" has its own signal)
PROGRAMME_ACTIONS = {
    "create": "programme.created",
    "update": "programme.updated",
    "publish": "programme.updated",
    "unpublish": "programme.updated",
    "confirm": "programme.updated",
    "archive": "programme.archived",
}
_SEEN = "federation_programme_events"


def _programme_data(programme: Any) -> dict[str, Any]:
    return {
        "programme_id": str(programme.uuid),
        "external_id": programme.external_id,
        "status": str(programme.status),
    }


def on_programme_changed(programme: Any, action: str = "update", **kwargs: Any) -> None:
    """One event per programme and kind per transaction (an upsert that publishes is one)."""
    type_ = PROGRAMME_ACTIONS.get(action)
    if type_ is None:
        return
    seen: set = db.session.info.setdefault(_SEEN, set())
    if (programme.id, "programme.created") in seen and type_ == "programme.updated":
        return
    if (programme.id, type_) in seen:
        return
    seen.add((programme.id, type_))
    record_event(programme.organisation_id, type_, _programme_data(programme))


def on_programme_unpublished_by_coalition(programme: Any, **kwargs: Any) -> None:
    """The coalition took the programme out of the directory (its reason stays in the UI)."""
    record_event(
        programme.organisation_id, "programme.unpublished_by_coalition", _programme_data(programme)
    )


def _forget_seen(session: Any, *args: Any) -> None:
    session.info.pop(_SEEN, None)


def connect_signals() -> None:
    """Subscribe to the core's signals (idempotent)."""
    from sqlalchemy import event as sa_event
    from sqlalchemy.orm import Session

    from coalition.signals import programme_changed, programme_unpublished_by_coalition

    programme_changed.connect(on_programme_changed)
    programme_unpublished_by_coalition.connect(on_programme_unpublished_by_coalition)
    for name in ("after_commit", "after_rollback"):
        if not sa_event.contains(Session, name, _forget_seen):
            sa_event.listen(Session, name, _forget_seen)
