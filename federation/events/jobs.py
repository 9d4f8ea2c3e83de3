"""The webhook delivery job: send what is due, signed, with retries and back-off.

Deliveries carry the headers ``Webhook-Id`` (the event's UUID, for de-duplication),
``Webhook-Timestamp`` (Unix seconds) and ``Webhook-Signature`` (see
`federation.events.signing`). Redirects are never followed; the URL is checked again at
send time, since the name may point elsewhere now.
"""

from __future__ import annotations

import json
import time
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from coalition.database import utcnow
from coalition.extensions import db
from coalition.observability import webhook_delivery_failures
from federation.events.models import DeliveryState, Event, WebhookDelivery
from federation.events.schemas import EventSchema
from federation.events.signing import signature_header
from federation.events.urls import InvalidWebhookURL, check_url

#: at most this many attempts per delivery, then it is given up
MAX_ATTEMPTS = 8
#: the first retry waits this long; each next one twice as long (capped)
FIRST_RETRY = timedelta(seconds=30)
MAX_RETRY = timedelta(hours=6)
#: deliveries sent per run of the background job
BATCH = 50


def event_body(event: Event) -> bytes:
    """The JSON body sent for an event (the same shape as in the event feed)."""
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
    import requests  # the worker's: a web process that never delivers does not load it

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
    if error is not None:
        webhook_delivery_failures.labels(reason="http_error" if status else "unreachable").inc()
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
