"""Event services: record events (also from the core's signals), read the feed, and manage
an organisation's webhooks. Verbs that flush at most, never commit."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import CTE, ColumnElement, bindparam, insert, literal, select, union_all
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from coalition.accounts.models import User
from coalition.audit.services import record
from coalition.database import parameter_as, utcnow
from coalition.extensions import db
from coalition.members.models import Organisation
from coalition.signals import programme_changed, programme_unpublished_by_coalition
from federation.events.feed import (
    START,
    decode_cursor,
    encode_cursor,
    list_events,
    resolve_position,
)
from federation.events.models import (
    EVENT_TYPES,
    DeliveryState,
    Event,
    Webhook,
    WebhookDelivery,
)
from federation.events.signing import ROTATION_OVERLAP, encrypt, new_secret
from federation.events.urls import check_url

# --- the feed ---------------------------------------------------------------------------------


def _check_type(type_: str) -> None:
    if type_ not in EVENT_TYPES:
        raise ValueError(f"unknown event type {type_!r}")


def record_event(organisation_id: int, type_: str, data: dict[str, Any]) -> Event:
    """Add an event to the organisation's feed and queue its webhook deliveries (written at
    the transaction's next flush, with the rest of its work)."""
    return record_events([organisation_id], type_, data)[0]


def record_events(organisation_ids: list[int], type_: str, data: dict[str, Any]) -> list[Event]:
    """`record_event` for several organisations' feeds at once (their webhooks read in one
    query)."""
    _check_type(type_)
    events = []
    for organisation_id in organisation_ids:
        event = Event(organisation_id=organisation_id, type=type_, data=data)
        db.session.add(event)
        events.append(event)
    queue_deliveries(*events)
    return events


def write_events_now(organisation_ids: list[int], type_: str, data: dict[str, Any]) -> None:
    """`record_events`, written at once in the session's transaction rather than at its
    next flush (for a caller whose transaction writes already): one statement for the
    events, and one for their deliveries when the organisations have webhooks."""
    _check_type(type_)
    rows = [{"organisation_id": org, "type": type_, "data": data} for org in organisation_ids]
    webhooks = _active_webhooks(organisation_ids)
    events = Event.__table__  # Core statements: the ORM's bulk insert costs more than them
    if not webhooks:
        db.session.execute(insert(events), rows)
        return
    written = db.session.execute(
        insert(events).returning(
            events.c.id, events.c.organisation_id, sort_by_parameter_order=True
        ),
        rows,
    ).all()
    db.session.execute(
        insert(WebhookDelivery.__table__),
        [
            {"webhook_id": webhook_id, "event_id": event_id}
            for event_id, organisation_id in written
            for webhook_id, owner in webhooks
            if owner == organisation_id
        ],
    )


def events_written_with(organisation_ids: list[ColumnElement[int]]) -> tuple[CTE, CTE]:
    """PostgreSQL: `write_events_now` inside the statement that writes the row the events
    are about, as two data-modifying CTEs to add to it (`Select.add_cte`): an event for
    each organisation whose id is a column of that row (none when it wrote no row), then
    their webhooks' deliveries.

    The statement binds `event_type`, `event_data`, `event_at` and `event_uuid_<n>` for the
    n-th organisation (`event_values`).
    """
    events = Event.__table__
    rows = [
        select(
            parameter_as(f"event_uuid_{n}", events.c.uuid),
            organisation_id,
            parameter_as("event_type", events.c.type),
            parameter_as("event_data", events.c.data),
            parameter_as("event_at", events.c.created_at),
        )
        for n, organisation_id in enumerate(organisation_ids)
    ]
    written = (
        insert(events)
        .from_select(["uuid", "organisation_id", "type", "data", "created_at"], union_all(*rows))
        .returning(events.c.id, events.c.organisation_id)
        .cte("events")
    )
    deliveries, webhooks = WebhookDelivery.__table__, Webhook.__table__
    queued = insert(deliveries).from_select(
        ["webhook_id", "event_id", "state", "attempts", "next_attempt_at", "created_at"],
        select(
            webhooks.c.id,
            written.c.id,
            literal(DeliveryState.pending, deliveries.c.state.type),
            literal(0),
            parameter_as("event_at", deliveries.c.next_attempt_at),
            parameter_as("event_at", deliveries.c.created_at),
        )
        .join_from(written, webhooks, webhooks.c.organisation_id == written.c.organisation_id)
        .where(webhooks.c.active.is_(True)),
    )
    return written, queued.cte("deliveries")


def event_values(count: int, type_: str, data: dict[str, Any]) -> dict[str, Any]:
    """The values `events_written_with` binds, for `count` organisations."""
    _check_type(type_)
    values = {"event_type": type_, "event_data": data, "event_at": utcnow()}
    return values | {f"event_uuid_{n}": uuid.uuid4() for n in range(count)}


@dataclass(frozen=True)
class FeedPage:
    """A page of the feed: its events, where to resume, and whether more are waiting."""

    events: list[Event]
    next_cursor: str | None
    has_more: bool


def read_feed(organisation_id: int, after: str | None, limit: int) -> FeedPage:
    """At most `limit` of the organisation's events after the cursor `after` (from the start
    without one); with no new event, the page resumes at the same cursor.

    :raise ValueError: `after` is not a cursor of this feed.
    """
    position = resolve_position(organisation_id, decode_cursor(after)) if after else START
    events = list_events(organisation_id, position, limit + 1)
    page = events[:limit]
    next_cursor = encode_cursor(page[-1]) if page else after or None
    return FeedPage(page, next_cursor, has_more=len(events) > limit)


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
    programme_changed.connect(on_programme_changed)
    programme_unpublished_by_coalition.connect(on_programme_unpublished_by_coalition)
    for name in ("after_commit", "after_rollback"):
        if not sa_event.contains(Session, name, _forget_seen):
            sa_event.listen(Session, name, _forget_seen)


# --- webhooks ---------------------------------------------------------------------------------


def organisation_webhooks(organisation: Organisation) -> list[Webhook]:
    """The organisation's webhooks, oldest first."""
    return list(
        db.session.scalars(
            select(Webhook)
            .where(Webhook.organisation_id == organisation.id)
            .order_by(Webhook.created_at)
        )
    )


def create_webhook(
    organisation: Organisation, url: str, *, actor: User | None = None
) -> tuple[Webhook, str]:
    """Register a webhook; return it and its secret (shown once, never again).

    :raise InvalidWebhookURL: the URL is refused.
    """
    check_url(url)
    secret = new_secret()
    webhook = Webhook(
        organisation_id=organisation.id,
        url=url,
        secret_encrypted=encrypt(secret),
        created_by_user_id=actor.id if actor else None,
    )
    db.session.add(webhook)
    db.session.flush()
    record("webhook.create", actor=actor, organisation=organisation, target=webhook)
    return webhook, secret


def rotate_secret(webhook: Webhook, *, actor: User | None = None) -> str:
    """Give the webhook a new secret; the old one keeps signing for a day. Return the new one."""
    secret = new_secret()
    webhook.previous_secret_encrypted = webhook.secret_encrypted
    webhook.previous_secret_expires_at = utcnow() + ROTATION_OVERLAP
    webhook.secret_encrypted = encrypt(secret)
    db.session.flush()
    record(
        "webhook.rotate_secret", actor=actor, organisation=webhook.organisation_id, target=webhook
    )
    return secret


def delete_webhook(webhook: Webhook, *, actor: User | None = None) -> None:
    """Remove a webhook and its delivery log."""
    record("webhook.delete", actor=actor, organisation=webhook.organisation_id, target=webhook)
    for delivery in db.session.execute(
        select(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook.id)
    ).scalars():
        db.session.delete(delivery)
    db.session.delete(webhook)
    db.session.flush()


#: the active webhooks of some organisations (built once: a call only binds the ids)
_ACTIVE_WEBHOOKS = select(Webhook.id, Webhook.organisation_id).where(
    Webhook.organisation_id.in_(bindparam("organisations", expanding=True)),
    Webhook.active.is_(True),
)


def _active_webhooks(organisation_ids: list[int]) -> list[Any]:
    """(webhook id, organisation id) of the organisations' active webhooks, in one query."""
    with db.session.no_autoflush:  # the transaction's work is written once, at its end
        return db.session.execute(_ACTIVE_WEBHOOKS, {"organisations": organisation_ids}).all()


def queue_deliveries(*events: Event) -> int:
    """Queue each event for every active webhook of its organisation (one query); count the
    deliveries.

    The deliveries are written with the events, at the session's next flush.
    """
    webhooks = _active_webhooks(list({e.organisation_id for e in events}))
    count = 0
    for event in events:
        for webhook_id, organisation_id in webhooks:
            if organisation_id == event.organisation_id:
                db.session.add(WebhookDelivery(webhook_id=webhook_id, event=event))
                count += 1
    return count


def recent_deliveries(webhook: Webhook, limit: int = 50) -> list[WebhookDelivery]:
    """The webhook's latest deliveries, newest first (the delivery log)."""
    return list(
        db.session.execute(
            select(WebhookDelivery)
            .where(WebhookDelivery.webhook_id == webhook.id)
            .order_by(WebhookDelivery.id.desc())
            .limit(limit)
        ).scalars()
    )
