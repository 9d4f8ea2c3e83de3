"""The order of the event feed and its cursors.

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
import re

from sqlalchemy import BigInteger, Text, and_, cast, func, or_, select, tuple_
from sqlalchemy.sql.elements import ColumnElement

from coalition.extensions import db
from federation.events.models import Event

#: the most events one page of the feed returns
MAX_PAGE = 500
#: (txid, id) of the feed's start
START = (0, 0)


def _as_bigint(value: ColumnElement) -> ColumnElement:
    return cast(cast(value, Text), BigInteger)


#: the cursors issued now: "e3.<txid>.<id>" (the OpenAPI document states the pattern, so
#: that any string matching it is a cursor the feed takes; 18 digits stay below 2**63)
CURSOR = re.compile(r"e3\.([0-9]{1,18})\.([0-9]{1,18})")


def encode_cursor(event: Event) -> str:
    """A cursor pointing just after `event` (opaque to clients: only its pattern is said)."""
    return f"e3.{event.txid}.{event.id}"


def decode_cursor(cursor: str) -> tuple[int | None, int]:
    """The (txid, id) position inside a cursor; txid is None in cursors of the first
    version, which held the id alone (`resolve_position` completes them).

    Cursors of the first two versions were base64 texts ("ev1:<id>", "ev2:<txid>:<id>");
    member systems may still hold them.

    :raise ValueError: not a cursor this server issued.
    """
    current = CURSOR.fullmatch(cursor)
    if current:
        return int(current[1]), int(current[2])
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
        horizon = _as_bigint(func.pg_snapshot_xmin(func.pg_current_snapshot()))
        own = _as_bigint(func.pg_current_xact_id_if_assigned())
        # Settled: written by a transaction older than any still running. A transaction
        # also sees its own events (tests run inside one).
        conditions.append(or_(Event.txid < horizon, and_(own.is_not(None), Event.txid == own)))
    return list(
        db.session.execute(
            select(Event).where(*conditions).order_by(Event.txid, Event.id).limit(limit)
        ).scalars()
    )
