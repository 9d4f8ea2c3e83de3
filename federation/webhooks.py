"""Webhooks: an organisation's HTTPS endpoint receives its events, signed, with retries.

A delivery is signed with HMAC-SHA-256 over ``"{timestamp}.{body}"`` and sent with the
headers ``Webhook-Id`` (the event's UUID, for de-duplication), ``Webhook-Timestamp`` (Unix
seconds) and ``Webhook-Signature: v1=<hex>`` (two signatures, space-separated, for a day
after a secret rotation). Secrets are needed to sign, so they are stored encrypted with a
key derived from SECRET_KEY, and shown once. Redirects are never followed; URLs must be
HTTPS on public addresses unless WEBHOOK_ALLOW_PRIVATE (development and tests only).
"""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import socket
import time
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import requests
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Enum, ForeignKey, Index, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.extensions import db
from coalition.models import Organisation, User
from coalition.models.base import UTCDateTime, utcnow
from coalition.services.audit import record
from federation.events import Event

log = logging.getLogger(__name__)

#: at most this many attempts per delivery, then it is given up
MAX_ATTEMPTS = 8
#: the first retry waits this long; each next one twice as long (capped)
FIRST_RETRY = timedelta(seconds=30)
MAX_RETRY = timedelta(hours=6)
#: how long the previous secret still signs after a rotation
ROTATION_OVERLAP = timedelta(hours=24)
#: deliveries sent per run of the background job
BATCH = 50


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


class InvalidWebhookURL(ValueError):
    """The URL is not an acceptable webhook target; the message says why."""


def _fernet() -> Fernet:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"federation-webhook-secrets"
    ).derive(current_app.config["SECRET_KEY"].encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def _decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:  # SECRET_KEY changed: the secret must be rotated
        raise RuntimeError("webhook secret cannot be decrypted") from error


def _new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def _address_allowed(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_url(url: str, *, allow_private: bool | None = None) -> None:
    """Refuse a webhook URL that is not HTTPS on public addresses only.

    Every address the host resolves to is checked, so a name pointing at a private
    network is refused as well as a literal one.

    :raise InvalidWebhookURL: with a message for the admin.
    """
    if allow_private is None:
        allow_private = current_app.config["WEBHOOK_ALLOW_PRIVATE"]
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise InvalidWebhookURL(str(_l("This is not a valid URL."))) from error
    allowed_schemes = {"https", "http"} if allow_private else {"https"}
    if parts.scheme not in allowed_schemes:
        raise InvalidWebhookURL(str(_l("The URL must start with https://.")))
    if not parts.hostname or parts.username or parts.password:
        raise InvalidWebhookURL(str(_l("The URL must name a host, without a user or password.")))
    if len(url) > 500:
        raise InvalidWebhookURL(str(_l("The URL is too long.")))
    try:
        infos = socket.getaddrinfo(parts.hostname, port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as error:
        raise InvalidWebhookURL(str(_l("The host name could not be resolved."))) from error
    if not allow_private and not all(_address_allowed(info[4][0]) for info in infos):
        raise InvalidWebhookURL(
            str(_l("The host resolves to a private, loopback or reserved address."))
        )


def create_webhook(
    organisation: Organisation, url: str, *, actor: User | None = None
) -> tuple[Webhook, str]:
    """Register a webhook; return it and its secret (shown once, never again).

    :raise InvalidWebhookURL: the URL is refused.
    """
    check_url(url)
    secret = _new_secret()
    webhook = Webhook(
        organisation_id=organisation.id,
        url=url,
        secret_encrypted=_encrypt(secret),
        created_by_user_id=actor.id if actor else None,
    )
    db.session.add(webhook)
    db.session.flush()
    record("webhook.create", actor=actor, organisation=organisation, target=webhook)
    return webhook, secret


def rotate_secret(webhook: Webhook, *, actor: User | None = None) -> str:
    """Give the webhook a new secret; the old one keeps signing for a day. Return the new one."""
    secret = _new_secret()
    webhook.previous_secret_encrypted = webhook.secret_encrypted
    webhook.previous_secret_expires_at = utcnow() + ROTATION_OVERLAP
    webhook.secret_encrypted = _encrypt(secret)
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


def queue_deliveries(event: Event) -> int:
    """Queue the event for every active webhook of its organisation; count them.

    The deliveries are written with the event, at the session's next flush.
    """
    with db.session.no_autoflush:  # the transaction's work is written once, at its end
        webhooks = db.session.scalars(
            select(Webhook.id).where(
                Webhook.organisation_id == event.organisation_id, Webhook.active.is_(True)
            )
        ).all()
    for webhook_id in webhooks:
        db.session.add(WebhookDelivery(webhook_id=webhook_id, event=event))
    return len(webhooks)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA-256 of ``"{timestamp}.{body}"`` under `secret`."""
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signature_header(webhook: Webhook, timestamp: int, body: bytes) -> str:
    """``v1=<hex>``, plus the previous secret's signature while it is still valid."""
    signatures = [sign(_decrypt(webhook.secret_encrypted), timestamp, body)]
    if (
        webhook.previous_secret_encrypted
        and webhook.previous_secret_expires_at
        and (webhook.previous_secret_expires_at > utcnow())
    ):
        signatures.append(sign(_decrypt(webhook.previous_secret_encrypted), timestamp, body))
    return " ".join(f"v1={s}" for s in signatures)


def event_body(event: Event) -> bytes:
    """The JSON body sent for an event (the same shape as in the event feed)."""
    from federation.api_schemas import EventSchema

    return json.dumps(EventSchema().dump(event), separators=(",", ":"), sort_keys=True).encode()


def _backoff(attempts: int) -> timedelta:
    return min(FIRST_RETRY * 2 ** max(0, attempts - 1), MAX_RETRY)


def attempt_delivery(delivery: WebhookDelivery) -> bool:
    """Send one delivery now; record the outcome and schedule a retry if it failed; flush."""
    webhook = delivery.webhook
    body = event_body(delivery.event)
    timestamp = int(time.time())
    delivery.attempts += 1
    delivery.last_attempt_at = utcnow()
    error: str | None = None
    status: int | None = None
    try:
        check_url(webhook.url)  # again at send time: the name may point elsewhere now
        response = requests.post(
            webhook.url,
            data=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": "mentoring-coalition-webhooks/1",
                "Webhook-Id": str(delivery.event.uuid),
                "Webhook-Timestamp": str(timestamp),
                "Webhook-Signature": signature_header(webhook, timestamp, body),
            },
            timeout=current_app.config["WEBHOOK_TIMEOUT_SECONDS"],
            allow_redirects=False,
        )
        status = response.status_code
        response.close()
        if not 200 <= status < 300:
            error = "redirect not followed" if 300 <= status < 400 else f"HTTP {status}"
    except InvalidWebhookURL as refused:
        error = str(refused)
    except requests.RequestException as failure:
        error = type(failure).__name__
    delivery.last_status_code = status
    delivery.last_error = error[:300] if error else None
    if error is None:
        delivery.state = DeliveryState.succeeded
        delivery.delivered_at = utcnow()
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.state = DeliveryState.failed
    else:
        delivery.next_attempt_at = utcnow() + _backoff(delivery.attempts)
    db.session.flush()
    return error is None


def deliver_due() -> int:
    """Send the deliveries that are due (the background job); count the attempts made."""
    query = (
        select(WebhookDelivery)
        .where(
            WebhookDelivery.state == DeliveryState.pending,
            WebhookDelivery.next_attempt_at <= utcnow(),
        )
        .order_by(WebhookDelivery.id)
        .limit(BATCH)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    deliveries = db.session.execute(query).scalars().all()
    for delivery in deliveries:
        attempt_delivery(delivery)
    db.session.commit()
    return len(deliveries)


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
