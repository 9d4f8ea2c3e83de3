"""End to end: the example member client against the platform served on loopback."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from werkzeug.serving import make_server

from coalition.app import create_app
from coalition.config import PROJECT_ROOT
from coalition.database import utcnow
from coalition.extensions import db
from coalition.members.models import Organisation
from coalition.migrations import upgrade_schema
from federation.oauth.services import register_client
from tests._commands import run_in_project
from tests.conftest import config_for_tests
from tests.e2e.server import free_port

EXAMPLE = PROJECT_ROOT / "examples" / "member_client.py"


@contextmanager
def serve(tmp_path_factory, public_url: str | None = None) -> Iterator[tuple[str, object]]:
    """The platform on 127.0.0.1 with a database of its own, in a thread of this process;
    its PUBLIC_URL is the address it is served on, unless `public_url` says otherwise."""
    instance = tmp_path_factory.mktemp("example-client")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    app = create_app(
        config_for_tests(
            f"sqlite:///{instance / 'platform.db'}", str(instance), PUBLIC_URL=public_url or url
        )
    )
    with app.app_context():
        upgrade_schema()
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


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[str, object]]:
    with serve(tmp_path_factory) as served:
        yield served


@pytest.fixture(scope="module")
def misnamed(tmp_path_factory) -> Iterator[tuple[str, object]]:
    """A platform that believes it is at :5000 (`make run PORT=5077` used to serve one)."""
    with serve(tmp_path_factory, public_url="http://127.0.0.1:5000") as served:
        yield served


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
    return run_in_project([sys.executable, str(EXAMPLE), *args])


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
    assert result.returncode == 1
    assert result.stderr == "error: invalid_client: Invalid client assertion.\n"


def member_with_key(app, tmp_path, slug: str) -> tuple[str, str]:
    """A registered member's client id and the path of its private key."""
    key_path = tmp_path / f"{slug}.pem"
    public_jwk = run_example("generate-key", str(key_path)).stdout
    return register_member(app, slug.title(), slug, ["fr"], public_jwk), str(key_path)


def test_an_assertion_for_another_address_says_which_one_is_expected(misnamed, tmp_path):
    url, app = misnamed
    client_id, key = member_with_key(app, tmp_path, "misnamed")
    result = run_example("--base-url", url, f"--client-id={client_id}", "--key", key, "token")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        "error: invalid_client: The assertion's aud must be http://127.0.0.1:5000/oauth/token"
        " (or http://127.0.0.1:5000).\n"
    )


def test_an_unreachable_platform_is_one_line(tmp_path):
    run_example("generate-key", str(tmp_path / "key.pem"))
    nowhere = f"http://127.0.0.1:{free_port()}"
    for command in (("token",), ("upsert", "demo-duo-1")):
        result = run_example(
            "--base-url", nowhere, "--client-id=c", "--key", str(tmp_path / "key.pem"), *command
        )
        assert result.returncode == 1
        assert result.stderr == f"error: cannot reach {nowhere}/oauth/token: Connection refused\n"


def test_a_key_that_cannot_be_read_is_one_line(served, tmp_path):
    url, _ = served
    (tmp_path / "not-a-key.pem").write_text("not a key")
    for key in ("not-a-key.pem", "missing.pem"):
        path = str(tmp_path / key)
        result = run_example("--base-url", url, "--client-id=c", "--key", path, "token")
        assert result.returncode == 1
        assert result.stderr.startswith(f"error: cannot read the private key {path}: ")
        assert result.stderr.count("\n") == 1


def test_an_address_that_is_not_the_platform_is_one_line(served, tmp_path):
    url, _ = served
    run_example("generate-key", str(tmp_path / "key.pem"))
    result = run_example(
        "--base-url", f"{url}/fr", "--client-id=c", "--key", str(tmp_path / "key.pem"), "token"
    )
    assert result.returncode == 1
    assert result.stderr == (
        f"error: {url}/fr/oauth/token answered 404: is --base-url the platform's address?\n"
    )
