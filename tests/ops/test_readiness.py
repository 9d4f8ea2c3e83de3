"""`/readyz`: the database decides (503 without it); Redis and the parts' engines are reported
(a dead one degrades, it does not take the server out of the load balancer)."""

from __future__ import annotations

import os
import threading

import pytest

from coalition.observability import add_readiness_check

REDIS = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


def assert_readiness(app, status_code: int, body: dict[str, str]) -> None:
    """`GET /readyz` of `app` answers `status_code` with exactly `body`."""
    response = app.test_client().get("/readyz")
    assert response.status_code == status_code
    assert response.json == body


def test_redis_is_reported_when_configured(make_app):
    assert_readiness(
        make_app(REDIS_URL=REDIS),
        200,
        {"status": "ok", "database": "ok", "redis": "ok", "search": "ok"},
    )


def test_redis_down_degrades_but_keeps_the_server_in_the_balancer(make_app):
    app = make_app(REDIS_URL="redis://127.0.0.1:9/0", READINESS_TIMEOUT_SECONDS=1)
    assert_readiness(
        app, 200, {"status": "degraded", "database": "ok", "redis": "unreachable", "search": "ok"}
    )


def test_without_redis_url_redis_is_not_reported(client):
    assert "redis" not in client.get("/readyz").json


@pytest.mark.parametrize(("url", "expected"), [(None, "ok"), ("http://127.0.0.1:9", "unreachable")])
def test_the_search_engine_is_reported(make_app, tmp_path, url, expected):
    engine = {"SEARCH_BACKEND": "elasticsearch", "ELASTICSEARCH_URL": url} if url else {}
    app = make_app(SEARCH_INDEX_PATH=str(tmp_path / "index"), **engine)
    response = app.test_client().get("/readyz")
    assert response.status_code == 200
    assert response.json["search"] == expected


def test_a_required_check_that_fails_makes_the_server_unready(make_app):
    app = make_app()
    add_readiness_check(app, "queue", lambda: False, required=True)
    add_readiness_check(app, "mail", lambda: True)
    assert_readiness(
        app,
        503,
        {
            "status": "unavailable",
            "database": "ok",
            "search": "ok",
            "queue": "unreachable",
            "mail": "ok",
        },
    )


def test_a_check_that_raises_or_hangs_counts_as_down(make_app):
    app = make_app(READINESS_TIMEOUT_SECONDS=0.2)
    release = threading.Event()

    def raises():
        raise ConnectionError("refused")

    add_readiness_check(app, "raising", raises)
    add_readiness_check(app, "hanging", lambda: release.wait(30))
    try:
        response = app.test_client().get("/readyz")
    finally:
        release.set()
    assert response.status_code == 200
    assert response.json["raising"] == "unreachable"
    assert response.json["hanging"] == "unreachable"


def test_the_core_keeps_its_own_fields(make_app):
    with pytest.raises(KeyError):
        add_readiness_check(make_app(), "database", lambda: True)
