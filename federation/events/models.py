"""Event models: the organisation's event feed, its webhooks and their deliveries."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import JSON, BigInteger, Enum, ForeignKey, Index, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.database import UTCDateTime, utcnow
from coalition.extensions import db
from coalition.members.models import Organisation

#: the event types a member system may receive
EVENT_TYPES = (
    "programme.created",
    "programme.updated",
    "programme.archived",
    "programme.unpublished_by_coalition",
    "report.received",
    "referral.created",
    "referral.status_changed",
)


def offered_event_types() -> list[str]:
    """The event types the API describes to member systems."""
    return list(EVENT_TYPES)


class Event(db.Model):
    """Something that happened to an organisation's object, for its member system."""

    __tablename__ = "federation_events"
    __table_args__ = (Index("ix_federation_events_feed", "organisation_id", "txid", "id"),)

    #: increasing; with `txid`, the feed's order and its cursor
    id: Mapped[int] = mapped_column(primary_key=True)
    #: stable public id, for de-duplication by receivers
    uuid: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=uuid.uuid4)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    #: the id of the transaction that wrote it, on PostgreSQL (0 on SQLite): see
    #: `federation.events.feed`. The database fills it in: on PostgreSQL the column's
    #: default is the writing transaction's id (revision fe0004), on SQLite 0.
    txid: Mapped[int] = mapped_column(BigInteger, server_default="0")
    #: dotted type, one of `EVENT_TYPES`
    type: Mapped[str] = mapped_column(String(60))
    #: ids of the objects concerned (never personal data)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DeliveryState(enum.StrEnum):
    pending = "pending"
    succeeded = "succeeded"
    failed = "failed"


class Webhook(db.Model):
    """An organisation's HTTPS endpoint that receives its events."""

    __tablename__ = "federation_webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    #: the signing secret, Fernet-encrypted with a key derived from SECRET_KEY
    secret_encrypted: Mapped[str] = mapped_column(Text)
    #: the secret before the last rotation, still signing until `previous_secret_expires_at`
    previous_secret_encrypted: Mapped[str | None] = mapped_column(Text)
    previous_secret_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    organisation: Mapped[Organisation] = relationship()


class WebhookDelivery(db.Model):
    """One event to send to one webhook: its state, attempts and last answer."""

    __tablename__ = "federation_webhook_deliveries"
    __table_args__ = (Index("ix_federation_webhook_deliveries_due", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(
        ForeignKey("federation_webhooks.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[int] = mapped_column(ForeignKey("federation_events.id", ondelete="CASCADE"))
    state: Mapped[DeliveryState] = mapped_column(
        Enum(DeliveryState, native_enum=False, length=20), default=DeliveryState.pending
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the receiver's HTTP status of the last attempt, if it answered
    last_status_code: Mapped[int | None]
    #: why the last attempt failed (never the receiver's body)
    last_error: Mapped[str | None] = mapped_column(String(300))
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    webhook: Mapped[Webhook] = relationship()
    event: Mapped[Event] = relationship()
