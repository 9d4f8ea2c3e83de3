"""What the federation part reports to /metrics: tokens issued, webhook deliveries failed."""

from __future__ import annotations

from coalition.observability import token_issued, webhook_delivery_failures
from federation.events.jobs import deliver_due
from federation.events.services import create_webhook, record_event
from tests.federation.events.test_webhooks import Receiver


def sample(metric, **labels) -> float:
    return metric.labels(**labels)._value.get()


def test_each_issued_token_is_counted_by_client_authentication(
    make_org, access_token, oauth_client
):
    before = sample(token_issued, auth_method="private_key_jwt")
    access_token(oauth_client(make_org(), "events:read"), "events:read")
    assert sample(token_issued, auth_method="private_key_jwt") == before + 1


def test_failed_webhook_deliveries_are_counted_by_reason(app, db, make_org, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE", True)
    receiver = Receiver()
    try:
        receiver.answers = [500]
        org = make_org()
        with app.test_request_context("/en/"):
            create_webhook(org, receiver.url)
            record_event(org.id, "programme.updated", {"programme_id": "x"})
            db.session.commit()
            before = sample(webhook_delivery_failures, reason="http_error")
            deliver_due()
        assert sample(webhook_delivery_failures, reason="http_error") == before + 1
    finally:
        receiver.close()
