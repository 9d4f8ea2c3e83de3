"""Webhooks: URL rules, signed deliveries to a real HTTP server on loopback, retries with
back-off, no redirects, secret rotation, and the org admin's delivery log."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from coalition.access import Role
from coalition.database import utcnow
from federation.events.jobs import deliver_due
from federation.events.models import DeliveryState, WebhookDelivery
from federation.events.services import create_webhook, record_event, rotate_secret
from federation.events.urls import InvalidWebhookURL, check_url


class Receiver:
    """A member system's endpoint: records what it receives, answers what it is told."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.answers: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                if status in (301, 302, 307, 308):
                    self.send_header("Location", "/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/coalition"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def dev_webhooks(app, monkeypatch):
    """Allow http:// and loopback targets, as in development (never in production)."""
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE", True)


def _verify(secret: str, delivery: dict) -> bool:
    timestamp = delivery["headers"]["Webhook-Timestamp"]
    expected = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + delivery["body"], hashlib.sha256
    ).hexdigest()
    signatures = [s.removeprefix("v1=") for s in delivery["headers"]["Webhook-Signature"].split()]
    return any(hmac.compare_digest(expected, s) for s in signatures)


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/hook",  # not https
        "https://127.0.0.1/hook",  # loopback
        "https://localhost/hook",  # a name for loopback
        "https://10.1.2.3/hook",  # private
        "https://169.254.169.254/latest",  # link-local (cloud metadata)
        "https://[::1]/hook",  # IPv6 loopback
        "https://[::ffff:192.168.1.1]/hook",  # IPv4-mapped private
        "https://user:pw@93.184.216.34/hook",  # credentials in the URL
        "ftp://93.184.216.34/hook",
    ],
)
def test_unsafe_urls_are_refused_outside_development(app, url, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE", False)
    with app.test_request_context("/en/"), pytest.raises(InvalidWebhookURL):
        check_url(url)


def test_a_public_https_address_is_accepted(app, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE", False)
    with app.test_request_context("/en/"):
        check_url("https://93.184.216.34/hooks")


def test_delivery_is_signed_and_carries_the_event_id(app, db, make_org, receiver, dev_webhooks):
    org = make_org()
    with app.test_request_context("/en/"):
        webhook, secret = create_webhook(org, receiver.url)
        event = record_event(org.id, "report.received", {"report_id": 7})
        db.session.commit()
        assert deliver_due() == 1

    [delivery] = receiver.received
    assert delivery["path"] == "/hooks/coalition"
    assert delivery["headers"]["Webhook-Id"] == str(event.uuid)
    assert _verify(secret, delivery)
    assert not _verify("whsec_wrong", delivery)
    body = json.loads(delivery["body"])
    assert body["id"] == str(event.uuid) and body["type"] == "report.received"
    assert body["data"] == {"report_id": 7}
    row = db.session.execute(select(WebhookDelivery)).scalar_one()
    assert row.state == DeliveryState.succeeded and row.last_status_code == 200
    # The secret is kept encrypted, not in clear.
    assert secret not in webhook.secret_encrypted


def test_failures_are_retried_with_back_off_and_redirects_not_followed(
    app, db, make_org, receiver, dev_webhooks
):
    org = make_org()
    receiver.answers = [500, 302, 200]
    with app.test_request_context("/en/"):
        create_webhook(org, receiver.url)
        record_event(org.id, "programme.updated", {"programme_id": "x"})
        db.session.commit()
        deliver_due()
        row = db.session.execute(select(WebhookDelivery)).scalar_one()
        assert (row.state, row.attempts, row.last_status_code) == (DeliveryState.pending, 1, 500)
        first_wait = row.next_attempt_at - row.last_attempt_at
        assert timedelta(seconds=20) < first_wait < timedelta(seconds=40)
        assert deliver_due() == 0  # not due yet

        row.next_attempt_at = utcnow()
        db.session.commit()
        deliver_due()
        db.session.refresh(row)
        assert (row.attempts, row.last_status_code, row.last_error) == (
            2,
            302,
            "redirect not followed",
        )
        assert row.next_attempt_at - row.last_attempt_at > first_wait  # exponential
        assert [r["path"] for r in receiver.received] == ["/hooks/coalition"] * 2

        row.next_attempt_at = utcnow()
        db.session.commit()
        deliver_due()
        db.session.refresh(row)
        assert row.state == DeliveryState.succeeded and row.attempts == 3


def test_after_rotation_both_secrets_sign_for_a_while(app, db, make_org, receiver, dev_webhooks):
    org = make_org()
    with app.test_request_context("/en/"):
        webhook, old = create_webhook(org, receiver.url)
        new = rotate_secret(webhook)
        record_event(org.id, "programme.created", {"programme_id": "y"})
        db.session.commit()
        deliver_due()
        [delivery] = receiver.received
        assert new != old
        assert _verify(new, delivery) and _verify(old, delivery)
        assert len(delivery["headers"]["Webhook-Signature"].split()) == 2

        webhook.previous_secret_expires_at = utcnow() - timedelta(seconds=1)
        record_event(org.id, "programme.created", {"programme_id": "z"})
        db.session.commit()
        deliver_due()
        assert _verify(new, receiver.received[1]) and not _verify(old, receiver.received[1])


def test_org_admin_manages_webhooks_and_reads_the_log(
    client, db, make_org, make_user, login, receiver, dev_webhooks
):
    org, other = make_org(), make_org()
    admin = make_user(org, (Role.org_admin,))
    login(admin)
    db.session.commit()
    page = f"/en/federation/{org.id}/webhooks"
    assert f'href="{page}"' in client.get("/en/staff/").data.decode()  # the workspace links it
    assert client.get(page).status_code == 200

    refused = client.post(page, data={"url": "not a url"})
    assert refused.status_code == 422
    assert b'id="url-error"' in refused.data

    created = client.post(page, data={"url": receiver.url})
    assert created.status_code == 200
    assert created.headers["Cache-Control"] == "no-store"
    secret = created.data.decode().split('id="webhook-secret">')[1].split("<")[0]
    assert secret.startswith("whsec_")
    listing = client.get(page).data.decode()
    assert receiver.url in listing and secret not in listing

    record_event(org.id, "report.received", {"report_id": 1})
    db.session.commit()
    deliver_due()
    log = client.get(page).data.decode()
    assert "report.received" in log and "HTTP 200" in log

    # Another organisation's admin sees nothing of it.
    outsider = make_user(other, (Role.org_admin,))
    login(outsider)
    assert client.get(page).status_code == 404
