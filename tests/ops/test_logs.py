"""Request ids and JSON log lines: the id a caller sends (or a new one) is in every line of
its request, in the response, and in the lines of the background work it queued; no line
holds a password, secret, token, assertion, e-mail address or body."""

from __future__ import annotations

import base64
import re

import pytest
from sqlalchemy import select

from coalition import worker
from coalition.outbox import OutboxEntry
from search import jobs as indexer
from search.backends import make_backend
from tests.federation.api_helpers import API, programme_body


@pytest.fixture
def fresh_index(app, tmp_path):
    """A private tantivy index for the indexer in this test."""
    previous = app.extensions.get("search_backend")
    app.extensions["search_backend"] = make_backend(
        {**app.config, "SEARCH_BACKEND": "tantivy", "SEARCH_INDEX_PATH": str(tmp_path / "ix")}
    )
    yield
    app.extensions["search_backend"] = previous


@pytest.fixture
def only_the_indexer(monkeypatch):
    """The worker runs the real search indexer job, and no other."""
    job = worker.Job("search-indexer", indexer.run_job, 2.0)
    monkeypatch.setattr(worker, "_jobs", {"search-indexer": job})


def test_a_well_formed_request_id_is_kept_and_returned(client, captured_logs):
    response = client.get("/en/", headers={"X-Request-ID": "proxy-7f3a.42"})
    assert response.headers["X-Request-ID"] == "proxy-7f3a.42"
    [line] = [r for r in captured_logs.records if r["logger"] == "coalition.requests"]
    assert line["request_id"] == "proxy-7f3a.42"
    assert line["endpoint"] == "coalition.home"
    assert line["status"] == 200
    assert line["route"] == "/<lang:lang_code>/"


@pytest.mark.parametrize(
    "header",
    ["", "x" * 129, "evil\nINFO forged line", 'quote"s', "-starts-with-dash", "é-accent"],
)
def test_a_malformed_request_id_is_replaced_by_a_new_one(client, header):
    # Straight into the WSGI environ: werkzeug's client refuses to send a newline.
    response = client.get("/healthz", environ_overrides={"HTTP_X_REQUEST_ID": header})
    given = response.headers["X-Request-ID"]
    assert given != header
    assert re.fullmatch(r"[0-9a-f]{32}", given)


def test_each_request_without_an_id_gets_its_own(client):
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]
    assert first != second


def test_every_line_of_a_request_carries_its_id(client, captured_logs, make_user):
    make_user(email="someone@example.org")
    client.post(
        "/en/login",
        data={"email": "someone@example.org", "password": "not the right one"},
        headers={"X-Request-ID": "login-attempt-1"},
    )
    lines = captured_logs.records
    security = [r for r in lines if r["logger"] == "coalition.security"]
    assert security, "a failed login writes to the security log"
    request_lines = [r for r in lines if r.get("request_id") == "login-attempt-1"]
    assert len(request_lines) >= 2  # the security line and the request line at least
    # Every line written while the request was handled (nothing else ran) carries the id.
    assert all(r.get("request_id") == "login-attempt-1" for r in lines), lines


def test_the_indexer_logs_each_row_with_the_request_that_queued_it(
    app, client, db, make_org, bearer, captured_logs, fresh_index, only_the_indexer
):
    headers = {**bearer(make_org(), "programmes:write"), "X-Request-ID": "put-crm-42"}
    response = client.put(f"{API}/programmes/crm-42", json=programme_body(), headers=headers)
    assert response.status_code == 201
    rows = db.session.execute(select(OutboxEntry)).scalars().all()
    assert rows and {row.request_id for row in rows} == {"put-crm-42"}
    ids = {row.id for row in rows}
    captured_logs.clear()

    worker.run_due_jobs(app, every_job=True)

    lines = [r for r in captured_logs.records if r.get("outbox_id") in ids]
    assert {line["outbox_id"] for line in lines} == ids  # one line per row
    for line in lines:
        assert line["request_id"] == "put-crm-42"
        assert line["outcome"] == "indexed"
        assert line["job"] == "search-indexer"
        assert re.fullmatch(r"[0-9a-f]{32}", line["job_id"])
    assert db.session.execute(select(OutboxEntry)).first() is None


def test_a_deferred_row_is_logged_with_its_request_id_too(
    app, client, db, make_org, bearer, captured_logs, only_the_indexer
):
    headers = {**bearer(make_org(), "programmes:write"), "X-Request-ID": "put-while-down"}
    client.put(f"{API}/programmes/crm-43", json=programme_body(), headers=headers)
    previous = app.extensions.get("search_backend")
    app.extensions["search_backend"] = make_backend(
        {**app.config, "SEARCH_BACKEND": "elasticsearch", "ELASTICSEARCH_URL": "http://127.0.0.1:9"}
    )
    captured_logs.clear()
    try:
        worker.run_due_jobs(app, every_job=True)
    finally:
        app.extensions["search_backend"] = previous
    lines = captured_logs.records
    deferred = [r for r in lines if r.get("outcome") == "deferred"]
    assert deferred and all(r["request_id"] == "put-while-down" for r in deferred)
    assert all("after attempt 1" in r["message"] for r in deferred)
    # The indexer's own warning belongs to the same job run.
    [warning] = [r for r in lines if r["logger"] == "search.jobs"]
    assert {r["job_id"] for r in deferred} == {warning["job_id"]}
    assert db.session.execute(select(OutboxEntry.attempts)).scalars().all() == [1] * len(deferred)


def test_text_lines_show_the_request_id(app, client, capsys):
    from coalition.observability import logs

    handler = logs.configure_logging("text", "INFO")
    try:
        client.get("/healthz", headers={"X-Request-ID": "text-line-1"})
    finally:
        import logging

        logging.getLogger().removeHandler(handler)
    err = capsys.readouterr().err
    assert "INFO coalition.requests [request_id=text-line-1]: GET root.healthz 200" in err


# --- no secrets, tokens or personal data in any line --------------------------------------

PASSWORD = "Correct-Horse-Battery-Staple-91"
EMAIL = "fatima.el-amrani@mentoring-ngo.example"


def assert_absent(text: str, *secrets: str) -> None:
    for secret in secrets:
        assert secret not in text, f"{secret[:12]}… appears in the logs"


def test_logins_leave_no_password_or_email_in_the_logs(client, make_user, captured_logs):
    make_user(email=EMAIL, password=PASSWORD)
    ok = client.post("/en/login", data={"email": EMAIL, "password": PASSWORD})
    assert ok.status_code == 302
    client.post("/en/logout")
    failed = client.post("/en/login", data={"email": EMAIL, "password": PASSWORD + "x"})
    assert failed.status_code == 200
    unknown = client.post("/en/login", data={"email": "nobody." + EMAIL, "password": "whatever1"})
    assert unknown.status_code == 200
    text = captured_logs.text
    assert "login of user" in text and "login failed" in text  # the lines exist
    assert_absent(text, PASSWORD, EMAIL, "nobody." + EMAIL, "whatever1", "fatima", "el-amrani")


def test_token_requests_leave_no_secret_assertion_or_token_in_the_logs(
    client, make_org, oauth_client, captured_logs
):
    org = make_org()
    basic = oauth_client(org, "events:read", method="client_secret_basic")

    def by_basic(secret: str):
        raw = base64.b64encode(f"{basic.client_id}:{secret}".encode()).decode()
        answer = client.post(
            "/oauth/token",
            data={"grant_type": "client_credentials"},
            headers={"Authorization": f"Basic {raw}"},
        )
        return answer, raw

    by_secret, raw = by_basic(basic.secret)
    assert by_secret.status_code == 200
    refused, wrong = by_basic(basic.secret + "x")
    assert refused.status_code == 401
    signed = oauth_client(org, "programmes:write")
    form = signed.token_form("programmes:write")
    by_key = client.post("/oauth/token", data=form)
    assert by_key.status_code == 200
    replayed = client.post("/oauth/token", data=form)  # the same jti again: refused
    assert replayed.status_code == 400
    tokens = [by_secret.json["access_token"], by_key.json["access_token"]]
    text = captured_logs.text
    assert text.count('"logger": "coalition.requests"') == 4
    assert_absent(text, basic.secret, raw, wrong, form["client_assertion"], *tokens)
    # Nor any part of a JWT (a header, a payload or a signature of 20+ characters).
    for jwt in [form["client_assertion"], *tokens]:
        for part in jwt.split("."):
            assert_absent(text, part[:20])


def test_a_put_leaves_neither_its_body_nor_its_bearer_in_the_logs(
    client, make_org, bearer, captured_logs
):
    headers = bearer(make_org(), "programmes:write")
    body = programme_body(
        title={"en": "Programme-title-that-must-not-be-logged"},
        description={"en": "A description that must not be logged either."},
    )
    response = client.put(f"{API}/programmes/crm-secret-99", json=body, headers=headers)
    assert response.status_code == 201
    bad = client.put(f"{API}/programmes/crm-secret-98", json={"title": 5}, headers=headers)
    assert bad.status_code == 422
    text = captured_logs.text
    token = headers["Authorization"].split()[1]
    assert_absent(text, "Programme-title-that-must-not-be-logged", "must not be logged", token)


def test_an_unhandled_error_logs_the_route_not_the_token_in_its_path(make_app, captured_logs):
    app = make_app()

    @app.get("/<lang:lang_code>/boom/<token>")
    def boom(token):
        raise RuntimeError("a bug")

    response = app.test_client().get("/en/boom/secret-reset-token-123?q=jane.doe@example.org")
    assert response.status_code == 500
    text = captured_logs.text
    assert "Unhandled error" in text and "a bug" in text
    assert_absent(text, "secret-reset-token-123", "jane.doe@example.org")


def test_a_token_that_reaches_a_message_is_redacted(captured_logs):
    import logging

    token = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJjcm0tNDIifQ.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg"
    logging.getLogger("coalition.anything").warning("careless line with %s inside", token)
    [line] = captured_logs.records
    assert line["message"] == "careless line with [redacted JWT] inside"
