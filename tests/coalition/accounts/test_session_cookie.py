"""The session cookie is `Secure` where the platform is served over https, and only there.

Over plain http (`make run`, development) a client that respects the flag — every browser,
`requests` — never sends a `Secure` cookie back: the CSRF token of the login form and the
signed-in session were lost, and no script could sign in.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

import pytest
import requests
from werkzeug.serving import make_server

from coalition.accounts.models import User
from coalition.accounts.passwords import hash_password
from coalition.app import create_app
from coalition.config import ConfigurationError, load_config
from coalition.extensions import db
from coalition.migrations import upgrade_schema
from tests.e2e.server import free_port

PASSWORD = "correct horse battery staple"


def development_settings(instance, url: str) -> dict:
    """What `make run` reads from its environment: development over plain http."""
    settings = load_config(
        {"PLATFORM_ENV": "development", "PUBLIC_URL": url, "DEMO_MODE": "1"},
        instance_path=instance,
    )
    # Cheap hashing and no background thread: nothing the cookie depends on.
    settings.update(ARGON2_TIME_COST=1, ARGON2_MEMORY_COST=1024, WORKER_THREAD=False)
    return settings


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[str]:
    """The platform configured as `make run` configures it, on 127.0.0.1, with one user."""
    instance = tmp_path_factory.mktemp("plain-http")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    app = create_app(development_settings(instance, url))
    with app.app_context():
        upgrade_schema()
        user = User(email="script@example.org", name="Script", is_coalition_admin=True)
        user.password_hash = hash_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url
    finally:
        server.shutdown()
        thread.join()
        with app.app_context():
            db.engine.dispose()


def test_a_scripted_client_signs_in_over_plain_http(served):
    session = requests.Session()
    form = session.get(f"{served}/en/login", timeout=10)
    (token,) = re.findall(r'name="csrf_token" type="hidden" value="([^"]+)"', form.text)
    [cookie] = list(session.cookies)
    assert not cookie.secure

    answer = session.post(
        f"{served}/en/login",
        data={"csrf_token": token, "email": "script@example.org", "password": PASSWORD},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text[:500]
    assert answer.url == f"{served}/en/staff/"
    assert "Signed in as Script." in answer.text


@pytest.mark.parametrize(
    ("env", "secure"),
    [
        ({"PLATFORM_ENV": "development"}, False),
        ({"PLATFORM_ENV": "development", "PUBLIC_URL": "https://dev.example.be"}, True),
        ({"PLATFORM_ENV": "production", "PUBLIC_URL": "https://mentoring.example.be"}, True),
        # production keeps it even when its address was written without https
        ({"PLATFORM_ENV": "production", "PUBLIC_URL": "http://mentoring.example.be"}, True),
        ({"PLATFORM_ENV": "development", "SESSION_COOKIE_SECURE": "1"}, True),
    ],
)
def test_the_cookie_is_secure_in_production_and_over_https(tmp_path, env, secure):
    assert load_config(env, instance_path=tmp_path)["SESSION_COOKIE_SECURE"] is secure


def test_production_refuses_a_cookie_that_is_not_secure(tmp_path):
    settings = load_config(
        {"PLATFORM_ENV": "production", "SECRET_KEY": "x" * 40, "SESSION_COOKIE_SECURE": "0"},
        instance_path=tmp_path,
    )
    with pytest.raises(ConfigurationError, match="SESSION_COOKIE_SECURE"):
        create_app(settings)


def test_production_sets_a_secure_cookie(tmp_path):
    settings = load_config(
        {"PLATFORM_ENV": "production", "SECRET_KEY": "x" * 40, "PSEUDONYM_SECRET": "p" * 40},
        instance_path=tmp_path,
    )
    settings.update(WORKER_THREAD=False)
    app = create_app(settings)
    client = app.test_client()
    response = client.get("/en/login", base_url="https://mentoring.example.be")
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("bmp_session=")]
    assert "Secure" in cookie.split("; ")
    with app.app_context():
        db.engine.dispose()


def test_a_new_secret_key_ends_the_sessions_signed_with_the_old_one(
    app, client, db, make_user, monkeypatch
):
    """The signing serializer is made once per set of keys (`CookieSessions`): a key
    rotated in the configuration still takes effect at once, and a fallback keeps the old
    sessions signed in."""
    user = make_user()
    with client.session_transaction() as session:
        session["user_id"] = user.id
        session["session_version"] = user.session_version

    def signed_in() -> bool:
        client.get("/en/")
        with client.session_transaction() as session:
            return session.get("user_id") == user.id

    assert signed_in()
    # the app is shared by the tests: monkeypatch puts its keys back
    monkeypatch.setitem(app.config, "SECRET_KEY_FALLBACKS", [app.secret_key])
    monkeypatch.setitem(app.config, "SECRET_KEY", "another-secret-key-another-secret-key-another")
    assert signed_in()  # the old key is a fallback
    monkeypatch.setitem(app.config, "SECRET_KEY_FALLBACKS", [])
    assert not signed_in()  # the old key is gone: the cookie no longer verifies
