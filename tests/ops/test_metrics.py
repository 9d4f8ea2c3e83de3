"""`GET /metrics`: who may read it, and what a Prometheus scrape finds there."""

from __future__ import annotations

from datetime import timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families

from coalition.database import utcnow
from coalition.observability import (
    add_figure,
    search_latency,
    search_queries,
    token_issued,
    webhook_delivery_failures,
)
from coalition.outbox import OutboxEntry

TOKEN = "metrics-token-for-tests-0123456789"


def scrape(client, **kwargs) -> dict[tuple[str, tuple], float]:
    """The samples of one scrape: (name, sorted labels) → value."""
    response = client.get("/metrics", **kwargs)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    samples = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


# --- access ------------------------------------------------------------------------------


def test_without_a_token_loopback_callers_may_read(client):
    assert client.get("/metrics").status_code == 200  # the test client calls from 127.0.0.1
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "::1"}).status_code == 200


def test_without_a_token_other_callers_are_refused(client):
    response = client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert response.status_code == 403
    assert b"bmp_" not in response.data


def test_a_request_forwarded_by_a_proxy_on_this_machine_is_not_loopback(client):
    for header in ("X-Forwarded-For", "Forwarded", "X-Real-IP"):
        response = client.get("/metrics", headers={header: "203.0.113.7"})
        assert response.status_code == 403, header


def test_behind_a_trusted_proxy_a_forged_loopback_address_is_refused(make_app):
    app = make_app(TRUSTED_PROXIES=1)
    # The proxy (on this machine) appends the caller's address to what the caller sent.
    response = app.test_client().get(
        "/metrics", headers={"X-Forwarded-For": "127.0.0.1, 203.0.113.7"}
    )
    assert response.status_code == 403


def test_with_a_token_set_it_is_required_from_everyone(make_app):
    client = make_app(METRICS_TOKEN=TOKEN).test_client()
    missing = client.get("/metrics")
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/metrics", headers={"Authorization": "Bearer nope"}).status_code == 403
    assert client.get("/metrics", headers={"Authorization": f"Basic {TOKEN}"}).status_code == 401
    remote = client.get(
        "/metrics",
        headers={"Authorization": f"Bearer {TOKEN}"},
        environ_base={"REMOTE_ADDR": "198.51.100.9"},
    )
    assert remote.status_code == 200
    assert b"bmp_http_requests_total" in remote.data


# --- what a scrape finds -------------------------------------------------------------------


def test_requests_are_counted_by_endpoint_and_status(client):
    before = scrape(client)
    for _ in range(3):
        client.get("/en/")
    client.get("/en/no-such-page")
    client.get("/xx/")  # no such language: no route
    after = scrape(client)
    home = {"endpoint": "coalition.home", "method": "GET", "status": "200"}
    assert value(after, "bmp_http_requests_total", **home) - value(
        before, "bmp_http_requests_total", **home
    ) == pytest.approx(3)
    unmatched = {"endpoint": "unmatched", "method": "GET", "status": "404"}
    assert value(after, "bmp_http_requests_total", **unmatched) - value(
        before, "bmp_http_requests_total", **unmatched
    ) == pytest.approx(2)
    count = "bmp_http_request_duration_seconds_count"
    assert value(after, count, endpoint="coalition.home") - value(
        before, count, endpoint="coalition.home"
    ) == pytest.approx(3)
    # Every request falls under the histogram's last bucket; the fast ones under 10 s too.
    assert value(
        after, "bmp_http_request_duration_seconds_bucket", endpoint="coalition.home", le="+Inf"
    ) == value(after, count, endpoint="coalition.home")


def test_unknown_methods_do_not_make_new_series(client):
    client.open("/en/", method="BREW")
    samples = scrape(client)
    methods = {dict(labels).get("method") for name, labels in samples if "method" in dict(labels)}
    assert "BREW" not in methods
    assert "other" in methods


def test_the_outbox_depth_and_the_age_of_its_oldest_row(client, db):
    assert value(scrape(client), "bmp_outbox_entries") == 0
    assert value(scrape(client), "bmp_outbox_oldest_age_seconds") == 0
    db.session.add(OutboxEntry(kind="programme", object_id=1))
    db.session.add(
        OutboxEntry(kind="programme", object_id=2, created_at=utcnow() - timedelta(minutes=5))
    )
    db.session.flush()
    samples = scrape(client)
    assert value(samples, "bmp_outbox_entries") == 2
    assert 300 <= value(samples, "bmp_outbox_oldest_age_seconds") < 360


def test_the_parts_metric_objects_reach_the_scrape(client):
    before = scrape(client)
    search_latency.labels(backend="tantivy", kind="search").observe(0.004)
    search_queries.labels(backend="tantivy", result="zero_hits").inc()
    token_issued.labels(auth_method="private_key_jwt").inc()
    webhook_delivery_failures.labels(reason="unreachable").inc()
    after = scrape(client)
    for name, labels in [
        ("bmp_search_duration_seconds_count", {"backend": "tantivy", "kind": "search"}),
        ("bmp_search_queries_total", {"backend": "tantivy", "result": "zero_hits"}),
        ("bmp_oauth_tokens_issued_total", {"auth_method": "private_key_jwt"}),
        ("bmp_webhook_delivery_failures_total", {"reason": "unreachable"}),
    ]:
        assert value(after, name, **labels) - value(before, name, **labels) == 1, name


def test_a_part_registers_a_figure_read_at_scrape_time(make_app):
    app = make_app()
    import enum

    class Status(enum.StrEnum):  # what a part's GROUP BY gives: its model's status enum
        requested = "requested"

    counts = {Status.requested: 4, "accepted": 2}
    add_figure(app, "referrals_by_status", lambda: counts)
    client = app.test_client()
    assert value(scrape(client), "bmp_referrals_by_status", status="requested") == 4
    counts[Status.requested] = 3  # read again at the next scrape
    samples = scrape(client)
    assert value(samples, "bmp_referrals_by_status", status="requested") == 3
    assert value(samples, "bmp_referrals_by_status", status="accepted") == 2


def test_a_broken_figure_leaves_the_rest_of_the_scrape(make_app, caplog):
    app = make_app()

    def broken():
        raise RuntimeError("the referrals table is not there")

    add_figure(app, "interests_by_status", broken)
    samples = scrape(app.test_client())
    assert not any(name == "bmp_interests_by_status" for name, _ in samples)
    assert ("bmp_outbox_entries", ()) in samples
    assert "figure interests_by_status could not be read" in caplog.text


def test_figures_have_names_the_core_offers(make_app):
    with pytest.raises(KeyError, match="no figure named"):
        add_figure(make_app(), "referals_by_status", dict)
