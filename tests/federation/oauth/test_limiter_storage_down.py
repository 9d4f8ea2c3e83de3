"""Redis down (restarted, failed over) must not turn rate-limited endpoints into 500s: the
limits are kept in memory meanwhile (`make soak` restarts Redis under load)."""

from __future__ import annotations

import socket

import pytest

from coalition.extensions import limiter


def closed_port() -> int:
    """A loopback port nothing listens on: a Redis that is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def app_without_redis(app, make_app):
    """An app whose limiter's storage is a Redis that does not answer.

    The limiter is one object shared by every app: put back as the suite's app had it.
    """
    saved = (limiter._storage, limiter._limiter, limiter.enabled, limiter._storage_dead)
    try:
        yield make_app(
            RATELIMIT_ENABLED=True,
            RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{closed_port()}/0",
            OAUTH_TOKEN_RATE_LIMIT="2 per minute",
        )
    finally:
        limiter._storage, limiter._limiter, limiter.enabled, limiter._storage_dead = saved


def test_token_endpoint_answers_and_still_limits_while_redis_is_down(
    app_without_redis, db, make_org, oauth_client
):
    registered = oauth_client(make_org(), "events:read")
    with app_without_redis.test_client() as http:
        statuses = [
            http.post("/oauth/token", data=registered.token_form()).status_code for _ in range(3)
        ]
    # No 500: the first request found Redis gone and the limits moved to memory, where the
    # third request is still refused.
    assert statuses == [200, 200, 429]
