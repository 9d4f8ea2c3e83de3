"""The OAuth 2 authorization server: what a member system sees, and every way it must refuse."""

from __future__ import annotations

import base64
import json
import threading
import time

import pytest
from flask import Blueprint, jsonify
from joserfc import jws, jwt
from joserfc.jwk import OctKey
from sqlalchemy import delete, select, update

from coalition.app import create_app
from coalition.extensions import db as _db
from coalition.members.services import readmit_organisation, suspend_organisation
from federation.oauth.models import AssertionJti, OAuthClient, RevokedToken, SigningKey
from federation.oauth.services import revoke_client
from federation.oauth.signing_keys import rotate_signing_key
from federation.oauth.tokens import current_token, require_oauth
from tests.conftest import close_connections, config_for_tests
from tests.federation.conftest import ASSERTION_TYPE, ec_private_key, rsa_private_key

ALL = "programmes:write referrals:read referrals:write reports:write events:read"

probe = Blueprint("oauth_probe", __name__)


@probe.get("/federation/v1/_probe")
@require_oauth("programmes:write")
def probe_view():
    token = current_token()
    return jsonify(
        client_id=token.client_id,
        org=token.organisation_id,
        scopes=sorted(token.scopes),
        slug=token.organisation.slug,
    )


@pytest.fixture(scope="module")
def probe_app(database_url, instance_path):
    """The platform with one extra API route behind `require_oauth("programmes:write")`."""
    app = create_app(config_for_tests(database_url, instance_path))
    app.register_blueprint(probe)
    yield app
    close_connections(app)


@pytest.fixture
def client(probe_app, db):
    """This module's requests go to the app that has the probe route."""
    return probe_app.test_client()


def _claims(token: str) -> dict:
    return json.loads(jws.extract_compact(token.encode()).payload)


def _header(token: str) -> dict:
    return jws.extract_compact(token.encode()).headers()


def _token(client, registered, scope=None, **claims):
    return client.post("/oauth/token", data=registered.token_form(scope, **claims))


def _basic(client_id: str, secret: str) -> dict:
    raw = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


# --- issuing tokens ---------------------------------------------------------------------------


def test_private_key_jwt_gets_a_short_lived_rfc9068_token(app, client, make_org, oauth_client):
    org = make_org()
    registered = oauth_client(org, "programmes:write events:read")
    response = _token(client, registered, "programmes:write")
    assert response.status_code == 200, response.json
    assert response.headers["Cache-Control"] == "no-store"
    body = response.json
    assert body["token_type"] == "Bearer"
    assert "refresh_token" not in body
    assert 0 < body["expires_in"] <= 300
    header, claims = _header(body["access_token"]), _claims(body["access_token"])
    assert header["typ"] == "at+jwt" and header["alg"] == "ES256" and header["kid"]
    assert claims["iss"] == app.config["PUBLIC_URL"]
    assert claims["aud"] == app.config["PUBLIC_URL"] + "/federation/v1"
    assert claims["sub"] == claims["client_id"] == registered.client_id
    assert claims["org"] == str(org.uuid)
    assert claims["scope"] == "programmes:write"
    assert claims["jti"]
    assert claims["exp"] - claims["iat"] <= 300


def test_without_scope_the_token_carries_every_granted_scope(client, make_org, oauth_client):
    registered = oauth_client(make_org(), "events:read referrals:read")
    body = _token(client, registered).json
    assert body["scope"] == "referrals:read events:read"


def test_a_scope_not_granted_is_refused(client, make_org, oauth_client):
    registered = oauth_client(make_org(), "events:read")
    response = _token(client, registered, "events:read programmes:write")
    assert response.status_code == 400
    assert response.json["error"] == "invalid_scope"


def test_rsa_keys_and_an_unnamed_kid_work(client, make_org, oauth_client):
    registered = oauth_client(make_org(), "events:read", key=rsa_private_key())
    response = _token(client, registered, header={"kid": "not-the-uploaded-one"})
    assert response.status_code == 200, response.json


def test_authlib_default_lifetime_is_overridden(make_app, db, make_org, oauth_client):
    """Authlib gives client-credentials tokens 10 days; ours live 300 s, whatever the config."""
    from authlib.oauth2.rfc6750 import BearerTokenGenerator

    assert BearerTokenGenerator.GRANT_TYPES_EXPIRES_IN["client_credentials"] == 864000
    long_lived = make_app(OAUTH_ACCESS_TOKEN_LIFETIME=864000)
    registered = oauth_client(make_org(), "events:read")
    with long_lived.test_client() as http:
        body = http.post("/oauth/token", data=registered.token_form()).json
    claims = _claims(body["access_token"])
    assert body["expires_in"] == 300
    assert claims["exp"] - claims["iat"] == 300


def test_token_issuance_records_the_last_use(client, make_org, oauth_client):
    registered = oauth_client(make_org(), "events:read")
    assert registered.client.last_used_at is None
    assert _token(client, registered).status_code == 200
    _db.session.refresh(registered.client)
    assert registered.client.last_used_at is not None


def test_client_secret_basic_when_the_client_is_configured_for_it(client, make_org, oauth_client):
    registered = oauth_client(make_org(), "events:read", method="client_secret_basic")
    response = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers=_basic(registered.client_id, registered.secret),
    )
    assert response.status_code == 200
    assert _claims(response.json["access_token"])["scope"] == "events:read"
    wrong = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers=_basic(registered.client_id, registered.secret + "x"),
    )
    assert wrong.status_code == 401
    assert wrong.json["error"] == "invalid_client"


def test_the_secret_is_stored_only_as_a_hash(db, make_org, oauth_client):
    """Authlib's client mixin keeps `client_secret` in plain text; we keep a SHA-256."""
    registered = oauth_client(make_org(), "events:read", method="client_secret_basic")
    row = (
        db.session.execute(
            _db.select(OAuthClient.__table__).where(OAuthClient.id == registered.client.id)
        )
        .mappings()
        .one()
    )
    assert registered.secret.startswith("bmpcs_")
    assert all(registered.secret not in str(value) for value in row.values())
    assert row["client_secret_hash"] and len(row["client_secret_hash"]) == 64


def test_only_the_client_credentials_grant_exists(client, make_org, oauth_client):
    registered = oauth_client(make_org(), "events:read", method="client_secret_basic")
    for grant in ("password", "authorization_code", "refresh_token", "implicit"):
        response = client.post(
            "/oauth/token",
            data={"grant_type": grant, "username": "x", "password": "y", "code": "z"},
            headers=_basic(registered.client_id, registered.secret),
        )
        assert response.json["error"] == "unsupported_grant_type"


# --- client authentication refused ------------------------------------------------------------


def test_wrong_auth_method_for_the_client_is_refused(client, make_org, oauth_client):
    org = make_org()
    keyed = oauth_client(org, "events:read")
    secret_client = oauth_client(org, "events:read", method="client_secret_basic")
    # A secret client cannot present an assertion …
    secret_client.private_key = keyed.private_key
    response = _token(client, secret_client)
    assert response.status_code in (400, 401)
    assert response.json["error"] == "invalid_client"
    # … and a key client has no secret to present.
    response = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers=_basic(keyed.client_id, "bmpcs_guess"),
    )
    assert response.json["error"] == "invalid_client"
    # client_secret_post is not offered at all.
    response = client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": secret_client.client_id,
            "client_secret": secret_client.secret,
        },
    )
    assert response.json["error"] == "invalid_client"


def test_a_replayed_assertion_is_refused(client, make_org, oauth_client):
    registered = oauth_client(make_org(), "events:read")
    form = registered.token_form()
    assert client.post("/oauth/token", data=form).status_code == 200
    replay = client.post("/oauth/token", data=form)
    assert replay.status_code in (400, 401)
    assert replay.json["error"] == "invalid_client"


def test_the_replay_store_is_in_the_database(db, client, make_org, oauth_client):
    registered = oauth_client(make_org(), "events:read")
    assert _token(client, registered, jti="shared-jti-1").status_code == 200
    stored = db.session.scalars(_db.select(AssertionJti)).all()
    assert any(row.client_id == registered.client_id for row in stored)
    assert all("shared-jti-1" not in row.jti_hash for row in stored)


@pytest.mark.parametrize(
    "claims",
    [
        pytest.param({"exp": int(time.time()) - 120}, id="expired"),
        pytest.param({"exp": int(time.time()) + 3600}, id="exp-an-hour-ahead"),
        pytest.param({"exp": None}, id="no-exp"),
        pytest.param({"aud": "https://elsewhere.example/oauth/token"}, id="foreign-aud"),
        pytest.param({"jti": None}, id="no-jti"),
        pytest.param({"iss": "someone-else"}, id="iss-not-sub"),
    ],
)
def test_bad_assertions_are_refused(client, make_org, oauth_client, claims):
    registered = oauth_client(make_org(), "events:read")
    response = _token(client, registered, **claims)
    assert response.status_code in (400, 401)
    assert response.json["error"] == "invalid_client"


def test_an_assertion_may_live_at_most_five_minutes(client, make_org, oauth_client):
    registered = oauth_client(make_org(), "events:read")
    assert _token(client, registered, exp=int(time.time()) + 400).status_code in (400, 401)
    assert _token(client, registered, exp=int(time.time()) + 240).status_code == 200


def test_an_assertion_for_the_issuer_is_accepted(app, client, make_org, oauth_client):
    registered = oauth_client(make_org(), "events:read")
    assert _token(client, registered, aud=app.config["PUBLIC_URL"]).status_code == 200


def _post_assertion(client, assertion: str):
    """A token request authenticated by this raw client assertion."""
    return client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": assertion,
        },
    )


def test_alg_none_is_refused(client, make_org, oauth_client):
    registered = oauth_client(make_org(), "events:read")
    now = int(time.time())
    claims = {
        "iss": registered.client_id,
        "sub": registered.client_id,
        "jti": "n1",
        "aud": "http://127.0.0.1:5000/oauth/token",
        "iat": now,
        "exp": now + 60,
    }

    def b64(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    unsigned = f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims)}."
    response = _post_assertion(client, unsigned)
    assert response.json["error"] == "invalid_client"


def test_hs256_with_a_secret_is_refused(client, make_org, oauth_client):
    org = make_org()
    registered = oauth_client(org, "events:read")
    # Sign with HMAC, using the client's own public key (the classic key-confusion attack).
    public = json.dumps(registered.private_key.as_dict(private=False)).encode()
    forged = registered.assertion(header={"alg": "HS256"}, key=OctKey.import_key(public))
    response = _post_assertion(client, forged)
    assert response.json["error"] == "invalid_client"


def test_algorithms_are_pinned_per_client(client, make_org, oauth_client):
    registered = oauth_client(make_org(), "events:read", key=rsa_private_key())
    assert registered.client.allowed_algs == ["RS256", "PS256"]
    registered.client.allowed_algs = ["PS256"]
    _db.session.flush()
    response = _token(client, registered)  # signed RS256
    assert response.json["error"] == "invalid_client"


def test_a_revoked_client_gets_no_token(client, make_org, oauth_client):
    registered = oauth_client(make_org(), "events:read")
    revoke_client(registered.client)
    response = _token(client, registered)
    assert response.json["error"] == "invalid_client"


def test_a_suspended_members_systems_get_no_token_until_readmitted(
    client, make_org, make_user, oauth_client
):
    org = make_org()
    admin = make_user(make_org(), coalition_admin=True)
    by_key = oauth_client(org, "events:read")
    by_secret = oauth_client(org, "events:read", method="client_secret_basic")
    suspend_organisation(org, admin)
    refused = _token(client, by_key)
    assert refused.status_code == 400 and refused.json["error"] == "unauthorized_client"
    assert "suspended" in refused.json["error_description"]
    basic = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers=_basic(by_secret.client_id, by_secret.secret),
    )
    assert basic.json["error"] == "unauthorized_client"
    readmit_organisation(org, admin)
    assert _token(client, by_key).status_code == 200


def test_a_suspended_members_tokens_open_nothing_meanwhile(client, make_org, make_user, bearer):
    org = make_org()
    admin = make_user(make_org(), coalition_admin=True)
    headers = bearer(org, "programmes:write")
    suspend_organisation(org, admin)
    response = client.get("/federation/v1/_probe", headers=headers)
    body = _problem(response, 403)
    assert "suspended" in body["detail"]
    readmit_organisation(org, admin)
    assert client.get("/federation/v1/_probe", headers=headers).status_code == 200


# --- the resource side ------------------------------------------------------------------------


def test_a_valid_token_reaches_the_api(client, make_org, oauth_client, access_token):
    org = make_org()
    registered = oauth_client(org, "programmes:write")
    token = access_token(registered)
    response = client.get("/federation/v1/_probe", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json == {
        "client_id": registered.client_id,
        "org": org.id,
        "scopes": ["programmes:write"],
        "slug": org.slug,
    }


def _problem(response, status):
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    return response.json


def test_no_token_is_401_with_a_challenge(client):
    body = _problem(client.get("/federation/v1/_probe"), 401)
    assert body["status"] == 401


def test_a_token_in_the_query_string_or_form_is_refused(client, make_org, bearer):
    token = bearer(make_org(), "programmes:write")["Authorization"].split()[1]
    _problem(client.get(f"/federation/v1/_probe?access_token={token}"), 401)
    response = client.get(
        "/federation/v1/_probe",
        data={"access_token": token},
        content_type="application/x-www-form-urlencoded",
    )
    _problem(response, 401)


def test_missing_scope_is_403(client, make_org, bearer):
    response = client.get("/federation/v1/_probe", headers=bearer(make_org(), "events:read"))
    body = _problem(response, 403)
    assert 'error="insufficient_scope"' in response.headers["WWW-Authenticate"]
    assert body["title"] == "Forbidden"


def _signed(claims_override=None, header_override=None, *, drop=()):
    """A token signed with the platform's active key, with claims or header changed."""
    from flask import current_app

    from federation.oauth.signing_keys import _private_key, active_signing_key

    key = active_signing_key()
    now = int(time.time())
    base = current_app.config["PUBLIC_URL"]
    claims = {
        "iss": base,
        "aud": base + "/federation/v1",
        "sub": "c",
        "client_id": "c",
        "scope": "programmes:write",
        "jti": "j" + str(now),
        "iat": now,
        "exp": now + 60,
    }
    claims.update(claims_override or {})
    header = {"alg": key.alg, "typ": "at+jwt", "kid": key.kid}
    header.update(header_override or {})
    for name in drop:
        header.pop(name, None)
    return jwt.encode(header, claims, _private_key(key), algorithms=[key.alg])


@pytest.mark.parametrize(
    ("claims", "header", "drop"),
    [
        pytest.param({"aud": "https://other-api.example"}, None, (), id="another-audience"),
        pytest.param({"iss": "https://other-issuer.example"}, None, (), id="another-issuer"),
        pytest.param({"exp": int(time.time()) - 5}, None, (), id="expired"),
        pytest.param(None, None, ("typ",), id="no-typ"),
        pytest.param(None, {"typ": "JWT"}, (), id="typ-jwt"),
        pytest.param(None, {"kid": "unknown"}, (), id="unknown-kid"),
    ],
)
def test_tokens_that_are_not_ours_are_refused(client, make_org, oauth_client, claims, header, drop):
    registered = oauth_client(make_org(), "programmes:write")
    claims = {"sub": registered.client_id, "client_id": registered.client_id, **(claims or {})}
    token = _signed(claims, header, drop=drop)
    response = client.get("/federation/v1/_probe", headers={"Authorization": f"Bearer {token}"})
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    _problem(response, 401)


def test_a_correctly_forged_token_passes_so_the_refusals_above_mean_something(
    client, make_org, oauth_client
):
    registered = oauth_client(make_org(), "programmes:write")
    token = _signed({"sub": registered.client_id, "client_id": registered.client_id})
    response = client.get("/federation/v1/_probe", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


@pytest.mark.parametrize("alg", ["ES256", "RS256"])
def test_a_token_signed_by_another_key_is_refused(client, make_org, oauth_client, alg):
    registered = oauth_client(make_org(), "programmes:write")
    good = _signed({"sub": registered.client_id, "client_id": registered.client_id})
    other = ec_private_key() if alg == "ES256" else rsa_private_key()
    forged = jwt.encode(_header(good) | {"alg": alg}, _claims(good), other, algorithms=[alg])
    response = client.get("/federation/v1/_probe", headers={"Authorization": f"Bearer {forged}"})
    _problem(response, 401)


def test_tokens_of_a_stored_rs256_key_keep_verifying(db, client, make_org, oauth_client, app):
    """Keys made before ES256 (or with OAUTH_SIGNING_ALG = "RS256") are RSA: still accepted."""
    from federation.oauth.signing_keys import rotate_signing_key

    registered = oauth_client(make_org(), "programmes:write")
    app.config["OAUTH_SIGNING_ALG"] = "RS256"
    try:
        key = rotate_signing_key()
    finally:
        del app.config["OAUTH_SIGNING_ALG"]
    assert key.alg == "RS256" and key.public_jwk["kty"] == "RSA"
    token = _signed({"sub": registered.client_id, "client_id": registered.client_id})
    assert _header(token)["alg"] == "RS256"
    response = client.get("/federation/v1/_probe", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


# --- revocation and introspection -------------------------------------------------------------


def test_revocation_is_effective_at_once(db, client, make_org, oauth_client):
    """Authlib's bearer validator never reads a revocation flag; ours checks every call."""
    registered = oauth_client(make_org(), "programmes:write")
    token = _token(client, registered).json["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get("/federation/v1/_probe", headers=auth).status_code == 200
    response = client.post("/oauth/revoke", data={"token": token, **_assertion_auth(registered)})
    assert response.status_code == 200
    assert db.session.scalar(_db.select(_db.func.count()).select_from(RevokedToken)) >= 1
    stored = db.session.scalars(_db.select(RevokedToken.jti_hash)).all()
    assert _claims(token)["jti"] not in stored  # only a hash is kept
    _problem(client.get("/federation/v1/_probe", headers=auth), 401)


def _assertion_auth(registered) -> dict:
    form = registered.token_form()
    form.pop("grant_type")
    return form


def test_revoking_another_clients_token_does_nothing(client, make_org, oauth_client, access_token):
    org = make_org()
    mine, theirs = oauth_client(org, "programmes:write"), oauth_client(make_org())
    token = access_token(mine, "programmes:write")
    assert (
        client.post("/oauth/revoke", data={"token": token, **_assertion_auth(theirs)}).status_code
        == 200
    )
    response = client.get("/federation/v1/_probe", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_revoking_the_client_revokes_its_tokens(client, make_org, oauth_client, access_token):
    registered = oauth_client(make_org(), "programmes:write")
    token = access_token(registered)
    revoke_client(registered.client)
    response = client.get("/federation/v1/_probe", headers={"Authorization": f"Bearer {token}"})
    _problem(response, 401)


def test_introspection_of_own_and_other_tokens(client, make_org, oauth_client, access_token):
    org = make_org()
    mine = oauth_client(org, "programmes:write events:read")
    other = oauth_client(make_org(), "events:read")
    token = access_token(mine, "events:read")
    own = client.post("/oauth/introspect", data={"token": token, **_assertion_auth(mine)}).json
    assert own["active"] is True
    assert own["client_id"] == mine.client_id
    assert own["scope"] == "events:read"
    assert own["org"] == str(org.uuid)
    foreign = client.post("/oauth/introspect", data={"token": token, **_assertion_auth(other)})
    assert foreign.status_code == 200
    assert foreign.json == {"active": False}
    garbage = client.post("/oauth/introspect", data={"token": "x.y.z", **_assertion_auth(mine)})
    assert garbage.json == {"active": False}


def test_introspection_needs_client_authentication(client, make_org, access_token, oauth_client):
    token = access_token(oauth_client(make_org(), "events:read"))
    response = client.post("/oauth/introspect", data={"token": token})
    assert response.status_code in (400, 401)
    assert "active" not in response.json


def test_introspection_of_a_revoked_token_is_inactive(client, make_org, oauth_client, access_token):
    mine = oauth_client(make_org(), "events:read")
    token = access_token(mine)
    client.post("/oauth/revoke", data={"token": token, **_assertion_auth(mine)})
    response = client.post("/oauth/introspect", data={"token": token, **_assertion_auth(mine)})
    assert response.json == {"active": False}


# --- metadata, keys and rotation --------------------------------------------------------------


def test_metadata_document(app, client):
    body = client.get("/.well-known/oauth-authorization-server").json
    base = app.config["PUBLIC_URL"]
    assert body["issuer"] == base
    assert body["token_endpoint"] == base + "/oauth/token"
    assert body["jwks_uri"] == base + "/oauth/jwks.json"
    assert body["revocation_endpoint"] == base + "/oauth/revoke"
    assert body["introspection_endpoint"] == base + "/oauth/introspect"
    assert body["grant_types_supported"] == ["client_credentials"]
    assert set(body["token_endpoint_auth_methods_supported"]) == {
        "private_key_jwt",
        "client_secret_basic",
    }
    assert "none" not in body["token_endpoint_auth_signing_alg_values_supported"]
    assert not any(
        a.startswith("HS") for a in body["token_endpoint_auth_signing_alg_values_supported"]
    )
    # every scope is offered, the referral ones too since their endpoints exist (issue 10)
    assert set(body["scopes_supported"]) == {
        "programmes:write",
        "referrals:read",
        "referrals:write",
        "reports:write",
        "events:read",
    }


def test_jwks_publishes_only_public_keys(client, make_org, oauth_client):
    token = _token(client, oauth_client(make_org(), "events:read")).json["access_token"]
    keys = client.get("/oauth/jwks.json").json["keys"]
    assert _header(token)["kid"] in [k["kid"] for k in keys]
    for key in keys:
        assert key["kty"] == "EC" and key["crv"] == "P-256" and key["alg"] == "ES256"
        assert key["use"] == "sig"
        assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key)


def test_key_rotation_keeps_old_tokens_valid_until_they_expire(
    db, client, make_org, oauth_client, access_token
):
    registered = oauth_client(make_org(), "programmes:write")
    old_token = access_token(registered)
    old_kid = _header(old_token)["kid"]
    new_key = rotate_signing_key()
    new_token = access_token(registered)
    assert _header(new_token)["kid"] == new_key.kid != old_kid
    kids = [k["kid"] for k in client.get("/oauth/jwks.json").json["keys"]]
    assert old_kid in kids and new_key.kid in kids
    for token in (old_token, new_token):
        response = client.get("/federation/v1/_probe", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200
    old = db.session.scalar(_db.select(SigningKey).where(SigningKey.kid == old_kid))
    assert old.state == "retiring"
    # Once the retiring key is older than a token's lifetime, the next rotation retires it.
    from datetime import timedelta

    old.retiring_at = old.retiring_at - timedelta(seconds=400)
    db.session.flush()
    rotate_signing_key()
    assert old.state == "retired"
    assert old_kid not in [k["kid"] for k in client.get("/oauth/jwks.json").json["keys"]]
    response = client.get("/federation/v1/_probe", headers={"Authorization": f"Bearer {old_token}"})
    _problem(response, 401)


def test_a_token_accepted_before_is_refused_once_it_expires(make_app, db, make_org, oauth_client):
    """A verified token is remembered between calls, never past its expiry."""
    short_lived = make_app(OAUTH_ACCESS_TOKEN_LIFETIME=2)
    short_lived.register_blueprint(probe)
    registered = oauth_client(make_org(), "programmes:write")
    with short_lived.test_client() as http:
        body = http.post("/oauth/token", data=registered.token_form()).json
        headers = {"Authorization": f"Bearer {body['access_token']}"}
        assert http.get("/federation/v1/_probe", headers=headers).status_code == 200
        assert http.get("/federation/v1/_probe", headers=headers).status_code == 200
        time.sleep(max(0.0, _claims(body["access_token"])["exp"] - time.time()) + 0.1)
        _problem(http.get("/federation/v1/_probe", headers=headers), 401)


def test_a_remembered_token_is_checked_against_each_app_issuer(
    make_app, db, make_org, oauth_client
):
    """The same token text sent to a platform with another issuer is not taken as verified."""
    registered = oauth_client(make_org(), "programmes:write")
    first = make_app()
    first.register_blueprint(probe)
    other = make_app(PUBLIC_URL="https://other.example")
    other.register_blueprint(probe)
    with first.test_client() as http:
        token = http.post("/oauth/token", data=registered.token_form()).json["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        assert http.get("/federation/v1/_probe", headers=headers).status_code == 200
    with other.test_client() as http:
        _problem(http.get("/federation/v1/_probe", headers=headers), 401)


def test_private_signing_keys_are_stored_encrypted(db):
    from federation.oauth.signing_keys import active_signing_key

    key = active_signing_key()
    assert "ENCRYPTED PRIVATE KEY" in key.private_key_pem


def test_token_endpoint_is_rate_limited(make_app, db, make_org, oauth_client):
    limited = make_app(RATELIMIT_ENABLED=True, OAUTH_TOKEN_RATE_LIMIT="2 per minute")
    registered = oauth_client(make_org(), "events:read")
    with limited.test_client() as http:
        statuses = [
            http.post("/oauth/token", data=registered.token_form()).status_code for _ in range(3)
        ]
        assert statuses[:2] == [200, 200]
        assert statuses[2] == 429
        last = http.post("/oauth/token", data=registered.token_form())
        assert int(last.headers["Retry-After"]) > 0
        assert last.mimetype == "application/problem+json"


def test_expired_replay_and_revocation_rows_are_purged(
    db, client, make_org, oauth_client, access_token
):
    from datetime import timedelta

    from coalition.database import utcnow
    from federation.oauth.server import purge_expired

    registered = oauth_client(make_org(), "events:read")
    assert _token(client, registered).status_code == 200
    client.post(
        "/oauth/revoke", data={"token": access_token(registered), **_assertion_auth(registered)}
    )
    past = utcnow() - timedelta(seconds=1)
    db.session.execute(_db.update(AssertionJti).values(expires_at=past))
    db.session.execute(_db.update(RevokedToken).values(expires_at=past))
    purge_expired()
    assert db.session.scalar(_db.select(_db.func.count()).select_from(AssertionJti)) == 0
    assert db.session.scalar(_db.select(_db.func.count()).select_from(RevokedToken)) == 0


def test_a_new_secret_key_rotates_the_signing_key(
    make_app, db, make_org, oauth_client, access_token
):
    registered = oauth_client(make_org(), "events:read")
    old_kid = _header(access_token(registered))["kid"]
    renewed = make_app(SECRET_KEY="another-secret-key-that-is-long-enough-9876543210")
    with renewed.test_client() as http:
        body = http.post("/oauth/token", data=registered.token_form()).json
    assert _header(body["access_token"])["kid"] != old_kid


def test_two_workers_making_the_first_key_at_once_agree_on_one(app, database_url):
    """The second creation waits for the first, fails on the one-active-key index, and
    signs with the winner's key: one key signs, whichever worker issues the token."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite writers queue for the write lock: the second sees the first key")
    from federation.oauth.signing_keys import _create_first_key

    with app.app_context():
        before = set(_db.session.scalars(select(SigningKey.id)))
        was_active = set(
            _db.session.scalars(select(SigningKey.id).where(SigningKey.state == "active"))
        )
        _db.session.execute(
            update(SigningKey).where(SigningKey.id.in_(was_active)).values(state="retiring")
        )
        _db.session.commit()
    try:
        kids: dict[str, str] = {}
        with app.app_context():
            kids["first"] = _create_first_key().kid  # not committed yet

            def second_worker() -> None:
                with app.app_context():
                    kids["second"] = _create_first_key().kid
                    _db.session.commit()

            thread = threading.Thread(target=second_worker)
            thread.start()
            thread.join(timeout=2)
            assert thread.is_alive()  # it waits on the first worker's uncommitted key
            _db.session.commit()
            thread.join()
        assert kids["second"] == kids["first"]
        with app.app_context():
            active = _db.session.scalars(select(SigningKey.kid).where(SigningKey.state == "active"))
            assert list(active) == [kids["first"]]
    finally:
        with app.app_context():
            _db.session.execute(delete(SigningKey).where(SigningKey.id.not_in(before)))
            _db.session.execute(
                update(SigningKey).where(SigningKey.id.in_(was_active)).values(state="active")
            )
            _db.session.commit()
