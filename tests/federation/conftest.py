"""Fixtures of the federation tests: OAuth clients with real keys, access tokens, bearers.

registered = oauth_client(org, "programmes:write referrals:read")   # private_key_jwt
registered = oauth_client(org, "events:read", method="client_secret_basic")
token = access_token(registered, "programmes:write")                # bearer token string
headers = bearer(org, "programmes:write")                           # {"Authorization": ...}
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import Flask, current_app
from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey

from coalition.database import utcnow
from coalition.extensions import db as database
from coalition.members.models import Organisation
from coalition.migrations import upgrade_schema
from federation.oauth.models import OAuthClient
from federation.oauth.services import register_client
from federation.oauth.tokens import issue_access_token

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

_rsa_key: RSAKey | None = None


def rsa_private_key() -> RSAKey:
    """One RSA key for the whole run (generating RSA keys is slow)."""
    global _rsa_key
    if _rsa_key is None:
        _rsa_key = RSAKey.generate_key(2048, private=True, parameters={"kid": "test-rsa"})
    return _rsa_key


def ec_private_key() -> ECKey:
    key = ECKey.generate_key("P-256", private=True)
    key.ensure_kid()
    return key


@dataclass
class RegisteredClient:
    """A client as its member system holds it: the id and the private key or the secret."""

    client: OAuthClient
    private_key: ECKey | RSAKey | None = None
    secret: str | None = None

    @property
    def client_id(self) -> str:
        return self.client.client_id

    @property
    def alg(self) -> str:
        return "RS256" if isinstance(self.private_key, RSAKey) else "ES256"

    def assertion(self, header: dict | None = None, key=None, **claims) -> str:
        """A signed `private_key_jwt` client assertion; `claims` override (None removes)."""
        now = int(time.time())
        body = {
            "iss": self.client_id,
            "sub": self.client_id,
            "aud": current_app.config["PUBLIC_URL"] + "/oauth/token",
            "iat": now,
            "exp": now + 60,
            "jti": secrets.token_urlsafe(12),
        }
        body.update(claims)
        body = {k: v for k, v in body.items() if v is not None}
        head = {"alg": self.alg, "kid": self.private_key.kid} | (header or {})
        return jwt.encode(head, body, key or self.private_key, algorithms=[head["alg"]])

    def token_form(self, scope: str | None = None, **claims) -> dict:
        """The body of a token request authenticated with a fresh assertion."""
        form = {
            "grant_type": "client_credentials",
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": self.assertion(**claims),
        }
        if scope:
            form["scope"] = scope
        return form


def migrate_with_busy_member(app: Flask) -> RegisteredClient:
    """Migrate the (empty) database of an app of the test's own, admit the organisation
    "Busy" and register its member system's client (programmes:write, private_key_jwt)."""
    with app.app_context():
        upgrade_schema()
        org = Organisation(name="Busy", slug="busy", admitted_at=utcnow(), languages=["fr"])
        database.session.add(org)
        database.session.flush()
        key = ec_private_key()
        created = register_client(
            org, name="CRM", scopes="programmes:write", public_keys=json.dumps(key.as_dict())
        )
        database.session.commit()
        database.session.refresh(created.client)  # loaded: threads use it after this session
        return RegisteredClient(created.client, private_key=key)


@pytest.fixture
def oauth_client(db) -> Callable[..., RegisteredClient]:
    """Register a client of `org` with `scopes` (all five by default)."""

    def make(
        org: Organisation,
        scopes: str = "programmes:write referrals:read referrals:write reports:write events:read",
        *,
        method: str = "private_key_jwt",
        key: ECKey | RSAKey | None = None,
        name: str = "Test CRM",
    ) -> RegisteredClient:
        if method == "client_secret_basic":
            created = register_client(org, name=name, scopes=scopes)
            return RegisteredClient(created.client, secret=created.client_secret)
        key = key or ec_private_key()
        created = register_client(
            org, name=name, scopes=scopes, public_keys=json.dumps(key.as_dict(private=False))
        )
        return RegisteredClient(created.client, private_key=key)

    return make


@pytest.fixture
def access_token(db) -> Callable[..., str]:
    """A valid access token for a client (or RegisteredClient) with `scopes` (default: all)."""

    def make(client: OAuthClient | RegisteredClient, scopes: str | None = None) -> str:
        if isinstance(client, RegisteredClient):
            client = client.client
        return issue_access_token(client, scopes)["access_token"]

    return make


@pytest.fixture
def bearer(oauth_client, access_token) -> Callable[..., dict[str, str]]:
    """`Authorization` headers for a new client of `org` holding `scopes`."""

    def make(org: Organisation, scopes: str = "programmes:write") -> dict[str, str]:
        return {"Authorization": f"Bearer {access_token(oauth_client(org, scopes), scopes)}"}

    return make
