"""Errors of the machine API: RFC 9457 problems, 415, 400, 422 with pointers, 429."""

from __future__ import annotations

import uuid

import pytest
import redis
from flask import Flask

from coalition.extensions import limiter
from tests.federation.api_helpers import API, programme_body


def test_wrong_content_type_is_415(client, make_org, bearer):
    response = client.put(
        f"{API}/programmes/p1",
        data="title=x",
        content_type="application/x-www-form-urlencoded",
        headers=bearer(make_org()),
    )
    assert response.status_code == 415
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == 415


def test_malformed_json_is_400(client, make_org, bearer):
    headers = bearer(make_org())
    for raw in ('{"title": ', '{"age_min": NaN}', "\xff"):
        response = client.put(
            f"{API}/programmes/p1", data=raw, headers=headers, content_type="application/json"
        )
        assert response.status_code == 400, raw
        assert response.json["title"] == "Malformed JSON"


def test_unknown_fields_and_wrong_shapes_are_422_with_pointers(client, make_org, bearer):
    headers = bearer(make_org())
    body = programme_body(colour="blue")
    body["capacity"]["seats"] = 3
    response = client.put(f"{API}/programmes/p1", json=body, headers=headers)
    assert response.status_code == 422
    pointers = {e["pointer"] for e in response.json["errors"]}
    assert pointers == {"/colour", "/capacity/seats"}

    response = client.put(f"{API}/programmes/p1", json=[1, 2], headers=headers)
    assert response.status_code == 422
    assert response.json["errors"][0]["pointer"] == "/"


def test_bad_external_id_is_400_and_unknown_routes_are_problems(client, make_org, bearer):
    headers = bearer(make_org())
    response = client.put(f"{API}/programmes/-dash-first", json=programme_body(), headers=headers)
    assert response.status_code == 400
    assert response.json["errors"] == [{"parameter": "external_id", "detail": "Invalid."}]
    missing = client.get(f"{API}/nothing-here", headers=headers)
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    wrong = client.post(f"{API}/programmes/p1", json={}, headers=headers)
    assert wrong.status_code == 405 and wrong.mimetype == "application/problem+json"


def test_query_string_token_is_refused(client, make_org, bearer):
    token = bearer(make_org())["Authorization"].split()[1]
    response = client.get(f"{API}/programmes", query_string={"access_token": token})
    assert response.status_code in (400, 401)
    assert response.mimetype == "application/problem+json"


@pytest.fixture
def limited_app(app: Flask, make_app):
    """An app with the rate limits on, in Redis when it runs, else in memory.

    The limiter is one object shared by every app: it is put back as the suite's app
    configured it afterwards.
    """
    storage = "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(storage, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    prefix = f"test-fa-{uuid.uuid4().hex[:8]}"
    saved = limiter._key_prefix, limiter._storage, limiter._limiter, limiter.enabled
    limiter._key_prefix = prefix
    try:
        yield make_app(
            RATELIMIT_ENABLED=True,
            RATELIMIT_STORAGE_URI=storage,
            RATELIMIT_KEY_PREFIX=prefix,
            FEDERATION_RATE_LIMIT="3 per minute",
        )
    finally:
        limiter._key_prefix, limiter._storage, limiter._limiter, limiter.enabled = saved
        connection = redis.Redis.from_url(storage)
        for key in connection.scan_iter(f"*{prefix}*"):
            connection.delete(key)


def test_rate_limit_per_client_in_redis_answers_429_with_retry_after(
    limited_app, db, make_org, bearer
):
    org = make_org()
    first_client, second_client = bearer(org), bearer(org)
    http = limited_app.test_client()
    statuses = [http.get(f"{API}/programmes", headers=first_client).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = http.get(f"{API}/programmes", headers=first_client)
    assert refused.mimetype == "application/problem+json"
    assert int(refused.headers["Retry-After"]) > 0
    # The budget is the client's: another client of the same organisation is not limited.
    assert http.get(f"{API}/programmes", headers=second_client).status_code == 200
    keys = redis.Redis.from_url("redis://127.0.0.1:6379/0").keys(f"*{limiter._key_prefix}*")
    assert keys, "the limits were not kept in Redis"


def test_the_openapi_document_and_its_docs_page(client, db):
    document = client.get(f"{API}/openapi.json").json
    assert document["openapi"].startswith("3.1")
    flow = document["components"]["securitySchemes"]["oauth2"]["flows"]["clientCredentials"]
    assert flow["tokenUrl"].endswith("/oauth/token")
    assert set(flow["scopes"]) >= {"programmes:write", "reports:write", "events:read"}
    put = document["paths"]["/programmes/{external_id}"]["put"]
    assert put["security"] == [{"oauth2": ["programmes:write"]}]
    assert "application/problem+json" in put["responses"]["422"]["content"]
    assert document["components"]["schemas"]["Programme"]["additionalProperties"] is False

    page = client.get(f"{API}/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.data.decode()
    assert "PUT /federation/v1/programmes/{external_id}" in html
    assert 'id="schema-Report"' in html
    assert "swagger" not in html.lower() and "cdn" not in html.lower()  # all served here
