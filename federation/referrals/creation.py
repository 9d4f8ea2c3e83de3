"""A new referral's first write: the referral under a fresh code, its first move, and the
`referral.created` event on both sides' feeds with their webhooks' deliveries.

On PostgreSQL that is one statement (data-modifying CTEs: the move, the events and the
deliveries are written from the referral's row, so nothing is written when its code was
taken); SQLite has no such CTEs and writes them one statement each. Either way the session
gets the referral and its timeline as loaded: no flush writes them again.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import Insert, Select, bindparam, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm.attributes import set_committed_value

from coalition.database import as_loaded, parameter_as, utcnow
from coalition.extensions import db
from federation.events.services import event_values, events_written_with, write_events_now
from federation.referrals import privacy
from federation.referrals.models import Referral, ReferralTransition

CREATED = "referral.created"
#: draws of a code before giving up (a draw is taken 1 in 23^8 times)
CODE_DRAWS = 5

_REFERRALS = Referral.__table__
_MOVES = ReferralTransition.__table__
#: the referral's columns a write binds (every one but the id), and the first move's
_REFERRAL_COLUMNS = [c for c in _REFERRALS.c if c.name != "id"]
_MOVE_COLUMNS = [c for c in _MOVES.c if c.name not in ("id", "referral_id")]


def write_new_referral(
    values: dict[str, Any], first_move: dict[str, Any], event_data: dict[str, Any]
) -> Referral:
    """Write the referral (`values`: its columns but `code`, `uuid` and the timestamps),
    its first move (`first_move`: a transition's columns but the ids) and its event
    (`event_data`, which names the referral by `referral_id`: its new uuid is filled in)."""
    now = utcnow()
    row = {c.name: None for c in _REFERRAL_COLUMNS} | _as_read(values)
    row |= {"uuid": uuid.uuid4(), "created_at": now, "updated_at": now}
    first_move = _as_read(first_move)
    data = {"referral_id": str(row["uuid"]), **event_data}
    write = _in_one_statement if db.session.get_bind().dialect.name == "postgresql" else _in_turn
    for _draw in range(CODE_DRAWS):
        row["code"] = privacy.new_code()
        written = write(row, first_move, data)
        if written is not None:
            referral_id, move_id = written
            # what the database would give back is what was written: only the ids are new
            referral = as_loaded(db.session, Referral, {"id": referral_id, **row})
            move = as_loaded(
                db.session,
                ReferralTransition,
                {"id": move_id, "referral_id": referral.id, **first_move},
            )
            set_committed_value(referral, "transitions", [move])
            return referral
    raise RuntimeError("could not draw a free referral code")


def _as_read(values: dict[str, Any]) -> dict[str, Any]:
    """The values as a query would read them back: times in UTC (`UTCDateTime`)."""
    return {k: v.astimezone(UTC) if isinstance(v, datetime) else v for k, v in values.items()}


def _in_one_statement(
    row: dict[str, Any], first_move: dict[str, Any], data: dict[str, Any]
) -> tuple[int, int] | None:
    moved = {f"move_{name}": value for name, value in first_move.items()}
    values = row | moved | event_values(2, CREATED, data)
    written = db.session.execute(_one_statement(), values).first()
    return None if written is None else tuple(written)  # none: the code was taken


@cache
def _one_statement() -> Select:
    """The referral, its first move, its events and their deliveries; their ids. Built
    once. Short enough (under 4 KB) for psycopg to keep its conversion to PostgreSQL's
    placeholders between calls."""
    referral = (
        postgresql.insert(_REFERRALS)
        .values({c.name: bindparam(c.name, type_=c.type) for c in _REFERRAL_COLUMNS})
        .on_conflict_do_nothing(index_elements=["code"])
        .returning(_REFERRALS.c.id, _REFERRALS.c.sender_id, _REFERRALS.c.receiver_id)
        .cte("referral")
    )
    move = (
        insert(_MOVES)
        .from_select(
            ["referral_id", *(c.name for c in _MOVE_COLUMNS)],
            select(
                referral.c.id,
                *(parameter_as(f"move_{c.name}", c) for c in _MOVE_COLUMNS),
            ),
        )
        .returning(_MOVES.c.id, _MOVES.c.referral_id)
        .cte("move")
    )
    events = events_written_with([referral.c.sender_id, referral.c.receiver_id])
    return (
        select(referral.c.id, move.c.id)
        .join_from(referral, move, move.c.referral_id == referral.c.id)
        .add_cte(*events)
    )


def _in_turn(
    row: dict[str, Any], first_move: dict[str, Any], data: dict[str, Any]
) -> tuple[int, int] | None:
    referral_id = db.session.execute(_insert_unless_the_code_is_taken(), row).scalar()
    if referral_id is None:
        return None
    move = {"referral_id": referral_id, **first_move}
    move_id = db.session.execute(insert(_MOVES).returning(_MOVES.c.id), move).scalar_one()
    write_events_now([row["sender_id"], row["receiver_id"]], CREATED, data)
    return referral_id, move_id


@cache
def _insert_unless_the_code_is_taken() -> Insert:
    """SQLite: the referral alone; the other rows follow when it was written."""
    return (
        sqlite.insert(_REFERRALS)
        .on_conflict_do_nothing(index_elements=["code"])
        .returning(*_REFERRALS.c)
    )
