"""Org admins manage their API clients in the UI; `flask federation …` does it for scripts."""

from __future__ import annotations

import base64
import io
import json
import re

import pytest
from joserfc.jwk import ECKey, RSAKey

from coalition.access import Role
from coalition.audit.models import AuditLogEntry
from coalition.extensions import db as _db
from federation.oauth.models import OAuthClient, SigningKey
from tests.federation.conftest import ec_private_key


def _admin(make_org, make_user, login):
    org = make_org()
    user = make_user(org, roles=(Role.org_admin,))
    login(user)
    return org, user


def _public_pem(key) -> str:
    return key.as_pem(private=False).decode()


def _post_new_client(client, org, **kwargs):
    """Submit the new-client form of `org`."""
    return client.post(f"/en/federation/{org.id}/clients/new", **kwargs)


def _client_count(db, org) -> int:
    return db.session.scalar(
        _db.select(_db.func.count())
        .select_from(OAuthClient)
        .where(OAuthClient.organisation_id == org.id)
    )


def _basic(client_id: str, secret: str) -> dict:
    raw = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


def test_admin_creates_a_key_client_that_can_get_a_token(client, db, make_org, make_user, login):
    org, _user = _admin(make_org, make_user, login)
    key = ec_private_key()
    response = _post_new_client(
        client,
        org,
        data={
            "name": "CRM production",
            "scopes": ["programmes:write", "events:read"],
            "method": "private_key_jwt",
            "public_key": _public_pem(key),
        },
    )
    assert response.status_code == 302
    created = db.session.scalar(
        _db.select(OAuthClient).where(OAuthClient.organisation_id == org.id)
    )
    assert created.name == "CRM production"
    assert created.scopes == ["programmes:write", "events:read"]
    assert created.allowed_algs == ["ES256"]
    assert created.client_secret_hash is None
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert created.client_id in page
    listing = client.get(f"/en/federation/{org.id}/clients").get_data(as_text=True)
    assert "CRM production" in listing and "Never" in listing
    entry = db.session.scalar(
        _db.select(AuditLogEntry).where(AuditLogEntry.action == "oauth_client.create")
    )
    assert entry.organisation_id == org.id


def test_a_key_file_can_be_uploaded(client, db, make_org, make_user, login):
    org, _user = _admin(make_org, make_user, login)
    key = RSAKey.generate_key(2048, private=True)
    jwks = json.dumps({"keys": [key.as_dict(private=False)]}).encode()
    response = _post_new_client(
        client,
        org,
        data={
            "name": "Uploaded",
            "scopes": ["events:read"],
            "method": "private_key_jwt",
            "public_key_file": (io.BytesIO(jwks), "jwks.json"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    created = db.session.scalar(_db.select(OAuthClient).where(OAuthClient.name == "Uploaded"))
    assert created.allowed_algs == ["RS256", "PS256"]


def test_the_secret_is_shown_once_and_works(client, db, make_org, make_user, login):
    org, _user = _admin(make_org, make_user, login)
    response = _post_new_client(
        client,
        org,
        data={"name": "Legacy", "scopes": ["events:read"], "method": "client_secret_basic"},
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    secret = re.search(r'id="client-secret">([^<]+)<', html).group(1)
    created = db.session.scalar(_db.select(OAuthClient).where(OAuthClient.name == "Legacy"))
    assert secret not in client.get(f"/en/federation/{org.id}/clients/{created.id}").get_data(
        as_text=True
    )
    token = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers=_basic(created.client_id, secret),
    )
    assert token.status_code == 200
    # A new secret replaces the old one.
    again = client.post(f"/en/federation/{org.id}/clients/{created.id}/secret")
    new_secret = re.search(r'id="client-secret">([^<]+)<', again.get_data(as_text=True)).group(1)
    assert new_secret != secret
    old = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers=_basic(created.client_id, secret),
    )
    assert old.status_code == 401


def test_bad_keys_get_a_message_beside_the_field(client, db, make_org, make_user, login):
    org, _user = _admin(make_org, make_user, login)
    private = ec_private_key().as_pem(private=True).decode()
    cases = {
        "": "Upload a public key",
        "not a key": "not a public key",
        private: "private key",
        json.dumps(ec_private_key().as_dict(private=True)): "private key",
    }
    for text, message in cases.items():
        response = _post_new_client(
            client,
            org,
            data={
                "name": "X",
                "scopes": ["events:read"],
                "method": "private_key_jwt",
                "public_key": text,
            },
        )
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert message in html
        assert 'aria-describedby="public_key-hint public_key-error"' in html
    assert _client_count(db, org) == 0


def test_scopes_are_required_and_changeable(client, db, make_org, make_user, login, oauth_client):
    org, _user = _admin(make_org, make_user, login)
    registered = oauth_client(org, "events:read")
    url = f"/en/federation/{org.id}/clients/{registered.client.id}"
    assert client.post(url + "/scopes", data={}).status_code == 422
    assert (
        client.post(url + "/scopes", data={"scopes": ["referrals:read", "events:read"]}).status_code
        == 302
    )
    assert registered.client.scopes == ["referrals:read", "events:read"]
    granted = client.post("/oauth/token", data=registered.token_form("referrals:read"))
    assert granted.json["scope"] == "referrals:read"
    refused = client.post("/oauth/token", data=registered.token_form("programmes:write"))
    assert refused.json["error"] == "invalid_scope"


def test_keys_can_be_rotated(client, db, make_org, make_user, login, oauth_client):
    org, _user = _admin(make_org, make_user, login)
    registered = oauth_client(org, "events:read")
    new_key = ec_private_key()
    response = client.post(
        f"/en/federation/{org.id}/clients/{registered.client.id}/keys",
        data={"public_key": _public_pem(new_key)},
    )
    assert response.status_code == 302
    old_form = registered.token_form()
    assert client.post("/oauth/token", data=old_form).json["error"] == "invalid_client"
    registered.private_key = new_key
    assert client.post("/oauth/token", data=registered.token_form()).status_code == 200


def test_revoking_a_client_in_the_ui(client, db, make_org, make_user, login, oauth_client):
    org, _user = _admin(make_org, make_user, login)
    registered = oauth_client(org, "programmes:write")
    url = f"/en/federation/{org.id}/clients/{registered.client.id}"
    assert client.get(url + "/revoke").status_code == 405  # no state change on GET
    assert client.post(url + "/revoke").status_code == 302
    assert registered.client.revoked_at is not None
    assert client.post("/oauth/token", data=registered.token_form()).json["error"] == (
        "invalid_client"
    )
    assert "Revoked" in client.get(f"/en/federation/{org.id}/clients").get_data(as_text=True)


def test_another_organisations_client_is_404(client, db, make_org, make_user, login, oauth_client):
    org, _user = _admin(make_org, make_user, login)
    other = oauth_client(make_org(), "events:read")
    url = f"/en/federation/{org.id}/clients/{other.client.id}"
    assert client.get(url).status_code == 404
    assert client.post(url + "/revoke").status_code == 404
    assert client.post(url + "/scopes", data={"scopes": ["events:read"]}).status_code == 404
    assert other.client.revoked_at is None
    assert client.get(f"/en/federation/{other.client.organisation_id}/clients").status_code == 404


def test_only_org_admins_manage_clients(client, db, make_org, make_user, login):
    org = make_org()
    login(make_user(org, roles=(Role.editor,)))
    assert client.get(f"/en/federation/{org.id}/clients").status_code == 403
    anonymous = client.application.test_client()
    assert anonymous.get(f"/en/federation/{org.id}/clients").status_code == 302


@pytest.mark.parametrize(
    ("lang", "words"), [("fr", "Créer un client API"), ("nl", "API-client aanmaken")]
)
def test_pages_are_translated(client, db, make_org, make_user, login, lang, words):
    org, _user = _admin(make_org, make_user, login)
    assert words in client.get(f"/{lang}/federation/{org.id}/clients").get_data(as_text=True)


def test_csrf_protects_the_forms(make_app, db, make_org, make_user):
    app = make_app(WTF_CSRF_ENABLED=True)
    org = make_org()
    user = make_user(org, roles=(Role.org_admin,))
    http = app.test_client()
    with http.session_transaction() as session:
        session["user_id"] = user.id
        session["session_version"] = user.session_version
    response = http.post(
        f"/en/federation/{org.id}/clients/new",
        data={"name": "X", "scopes": ["events:read"], "method": "client_secret_basic"},
    )
    assert response.status_code in (400, 422)
    assert _client_count(db, org) == 0


# --- the command line -------------------------------------------------------------------------


def _create_client(runner, slug: str, scopes: str, *options: str):
    """`flask federation create-client --org slug --scopes scopes [options]`."""
    return runner.invoke(
        args=["federation", "create-client", "--org", slug, "--scopes", scopes, *options]
    )


def test_cli_creates_a_secret_client(runner, db, make_org):
    org = make_org()
    result = _create_client(runner, org.slug, "programmes:write events:read", "--name", "Sync")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"client_id", "client_secret", "scopes", "token_endpoint_auth_method"}
    assert data["token_endpoint_auth_method"] == "client_secret_basic"
    assert data["scopes"] == ["programmes:write", "events:read"]
    stored = db.session.scalar(
        _db.select(OAuthClient).where(OAuthClient.client_id == data["client_id"])
    )
    assert stored.client_secret_hash and data["client_secret"] not in stored.client_secret_hash


def test_cli_creates_a_key_client_without_a_secret(runner, db, make_org, tmp_path):
    org = make_org()
    key_file = tmp_path / "public.jwk"
    key_file.write_text(json.dumps(ECKey.generate_key("P-256").as_dict(private=False)))
    result = _create_client(runner, org.slug, "events:read", "--jwks", str(key_file))
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert "client_secret" not in data
    assert data["token_endpoint_auth_method"] == "private_key_jwt"


def test_cli_refuses_unknown_org_and_scope(runner, db, make_org):
    result = _create_client(runner, "nope", "events:read")
    assert result.exit_code != 0 and "No organisation" in result.output
    org = make_org()
    result = _create_client(runner, org.slug, "admin:everything")
    assert result.exit_code != 0 and "Unknown scope" in result.output


def test_cli_rotates_the_signing_key(runner, db):
    from federation.oauth.signing_keys import active_signing_key

    before = active_signing_key().kid
    result = runner.invoke(args=["federation", "rotate-key"])
    assert result.exit_code == 0, result.output
    after = active_signing_key().kid
    assert after != before and after in result.output
    old = db.session.scalar(_db.select(SigningKey).where(SigningKey.kid == before))
    assert old.state == "retiring"
