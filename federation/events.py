"""The organisation's event feed: what happened to its objects, in order, with a cursor.

Events carry ids only (no personal data), so a member system re-reads what it needs.
Each event has a UUID so that a receiver can de-duplicate (webhooks retry).

Order without a lock: ids are handed out when events are written, but transactions commit
in any order, so a reader going by id alone could step over an event committed late. On
PostgreSQL each event keeps the id of the transaction that wrote it (`txid`); the feed is
ordered by (txid, id) and shows only events of transactions older than every transaction
still running, which nothing written later can precede. A write therefore appears in the
feed once the transactions that began before it have ended (milliseconds in this
platform; a transaction left open holds the feed back until it ends, never loses an event).
SQLite has a single writer: ids are already given in commit order and `txid` stays 0.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    String,
    Text,
    Uuid,
    and_,
    cast,
    func,
    or_,
    select,
    tuple_,
)
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
#: the most events one page of the feed returns
MAX_PAGE = 500


class Event(db.Model):
    """Something that happened to an organisation's object, for its member system."""

    __tablename__ = "federation_events"
    __table_args__ = (Index("ix_federation_events_feed", "organisation_id", "txid", "id"),)

    #: increasing; with `txid`, the feed's order and its cursor
    id: Mapped[int] = mapped_column(primary_key=True)
    #: stable public id, for de-duplication by receivers
    uuid: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=uuid.uuid4)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    #: the id of the transaction that wrote it, on PostgreSQL (0 on SQLite): see the module
    txid: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    #: dotted type, one of `EVENT_TYPES`
    type: Mapped[str] = mapped_column(String(60))
    #: ids of the objects concerned (never personal data)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def record_event(organisation_id: int, type_: str, data: dict[str, Any]) -> Event:
    """Add an event to the organisation's feed and queue its webhook deliveries (written at
    the transaction's next flush, with the rest of its work)."""
    if type_ not in EVENT_TYPES:
        raise ValueError(f"unknown event type {type_!r}")
    from federation.webhooks import queue_deliveries

    event = Event(organisation_id=organisation_id, type=type_, data=data)
    if db.session.get_bind().dialect.name == "postgresql":
        event.txid = cast(cast(func.pg_current_xact_id(), Text), BigInteger)
    db.session.add(event)
    queue_deliveries(event)
    return event


#: (txid, id) of the feed's start
START = (0, 0)


def encode_cursor(event: Event) -> str:
    """An opaque cursor pointing just after `event`."""
    raw = f"ev2:{event.txid}:{event.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[int | None, int]:
    """The (txid, id) position inside a cursor; txid is None in cursors of the first
    version, which held the id alone (`resolve_position` completes them).

    :raise ValueError: not a cursor this server issued.
    """
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise ValueError("invalid cursor") from error
    prefix, *numbers = raw.split(":")
    expected = {"ev1": 1, "ev2": 2}.get(prefix)
    if expected != len(numbers) or not all(n.isdigit() and len(n) <= 19 for n in numbers):
        raise ValueError("invalid cursor")
    values = [int(n) for n in numbers]
    if any(v >= 2**63 for v in values):
        raise ValueError("invalid cursor")
    return (None, values[0]) if prefix == "ev1" else (values[0], values[1])


def resolve_position(organisation_id: int, position: tuple[int | None, int]) -> tuple[int, int]:
    """A decoded cursor as (txid, id): a first-version cursor takes its event's txid."""
    txid, event_id = position
    if txid is None:
        txid = db.session.scalar(
            select(Event.txid).where(Event.id == event_id, Event.organisation_id == organisation_id)
        )
    return txid or 0, event_id


def list_events(
    organisation_id: int, after: tuple[int, int] = START, limit: int = 100
) -> list[Event]:
    """The organisation's events after the position `after` (txid, id), in feed order, at
    most `limit` (capped)."""
    limit = max(1, min(limit, MAX_PAGE))
    conditions = [
        Event.organisation_id == organisation_id,
        tuple_(Event.txid, Event.id) > tuple_(*after),
    ]
    if db.session.get_bind().dialect.name == "postgresql":
        horizon = cast(cast(func.pg_snapshot_xmin(func.pg_current_snapshot()), Text), BigInteger)
        own = cast(cast(func.pg_current_xact_id_if_assigned(), Text), BigInteger)
        # Settled: written by a transaction older than any still running. A transaction
        # also sees its own events (tests run inside one).
        conditions.append(or_(Event.txid < horizon, and_(own.is_not(None), Event.txid == own)))
    return list(
        db.session.execute(
            select(Event).where(*conditions).order_by(Event.txid, Event.id).limit(limit)
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
