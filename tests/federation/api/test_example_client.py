"""End to end: the example member client against the platform served on loopback."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator

import flask_migrate
import pytest
from werkzeug.serving import make_server

from coalition.app import create_app
from coalition.config import PROJECT_ROOT
from coalition.database import utcnow
from coalition.extensions import db
from coalition.members.models import Organisation
from federation.oauth.services import register_client
from tests.conftest import config_for_tests
from tests.e2e.server import free_port

EXAMPLE = PROJECT_ROOT / "examples" / "member_client.py"


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[str, object]]:
    """The platform on 127.0.0.1 with a database of its own, in a thread of this process."""
    instance = tmp_path_factory.mktemp("example-client")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    app = create_app(
        config_for_tests(f"sqlite:///{instance / 'platform.db'}", str(instance), PUBLIC_URL=url)
    )
    with app.app_context():
        flask_migrate.upgrade(revision="heads")
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url, app
    finally:
        server.shutdown()
        thread.join()
        with app.app_context():
            db.engine.dispose()


def register_member(app, name: str, slug: str, languages: list[str], public_jwk: str) -> str:
    """An admitted member with a `programmes:write` client holding `public_jwk`; its id."""
    with app.app_context():
        org = Organisation(
            name=name,
            slug=slug,
            admitted_at=utcnow(),
            languages=languages,
            names={},
            descriptions={},
        )
        db.session.add(org)
        db.session.flush()
        client_id = register_client(
            org, name="CRM", scopes="programmes:write", public_keys=public_jwk
        ).client.client_id
        db.session.commit()
    return client_id


def run_example(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(EXAMPLE), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=PROJECT_ROOT,
    )


def test_example_client_fetches_a_token_and_upserts_a_programme(served, tmp_path):
    url, app = served
    key_path = tmp_path / "member-key.pem"
    generated = run_example("generate-key", str(key_path))
    assert generated.returncode == 0, generated.stderr
    public_jwk = generated.stdout
    assert '"d"' not in public_jwk  # only the public half leaves the member's system
    client_id = register_member(app, "Duo Brussels", "duo-brussels", ["fr", "nl"], public_jwk)
    common = ("--base-url", url, f"--client-id={client_id}", "--key", str(key_path))

    token = run_example(*common, "token")
    assert token.returncode == 0, token.stderr
    assert json.loads(token.stdout) == {
        "token_type": "Bearer",
        "scope": "programmes:write",
        "expires_in": 300,
    }

    created = run_example(*common, "upsert", "demo-duo-1")
    assert created.returncode == 0, created.stdout + created.stderr
    assert json.loads(created.stdout)["status"] == 201
    updated = run_example(*common, "upsert", "demo-duo-1")
    assert updated.returncode == 0, updated.stdout + updated.stderr
    assert json.loads(updated.stdout)["status"] == 200


def test_a_wrong_key_gets_no_token(served, tmp_path):
    url, app = served
    stolen = tmp_path / "other.pem"
    run_example("generate-key", str(stolen))
    registered_public = run_example("generate-key", str(tmp_path / "registered.pem")).stdout
    client_id = register_member(app, "Other", "other-org", ["fr"], registered_public)
    result = run_example(
        "--base-url", url, f"--client-id={client_id}", "--key", str(stolen), "token"
    )
    assert result.returncode != 0
    assert "invalid_client" in result.stderr
