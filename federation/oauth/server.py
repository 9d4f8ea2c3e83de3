"""The authorization server (Authlib): its grant, its client authentication and its
revocation and introspection endpoints.

Client credentials is the only grant; clients authenticate with `private_key_jwt`
(RFC 7523) or `client_secret_basic`, whose secret is kept only as a hash (Authlib's
default compares it in plain text). Tokens come from `federation.oauth.tokens`, never from
Authlib's generator. The routes that answer with this server are in `federation.oauth.api`.
"""

from __future__ import annotations

import json
import random
import threading
import time
from datetime import UTC, datetime, timedelta
from importlib import import_module

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import InvalidClientError, UnauthorizedClientError, grants
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7523 import JWTBearerClientAssertion
from authlib.oauth2.rfc7662 import IntrospectionEndpoint
from flask import Flask, g
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import import_key
from sqlalchemy import delete, exists, literal, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from coalition.database import UTCDateTime, utcnow
from coalition.extensions import db
from coalition.members.models import Organisation
from federation.oauth.issuer import LEEWAY, issuer, token_endpoint
from federation.oauth.models import (
    CLIENT_ALGORITHMS,
    AssertionJti,
    AuthMethod,
    OAuthClient,
    RevokedToken,
    digest,
)
from federation.oauth.scopes import SCOPES
from federation.oauth.tokens import (
    SUSPENDED,
    AccessToken,
    decode_access_token,
    issue_access_token,
    revoke_access_token,
)

#: a client assertion may not be valid for longer than this many seconds ahead
ASSERTION_MAX_AHEAD = 300


# --- client authentication -----------------------------------------------------------------------


class PrivateKeyJWT(JWTBearerClientAssertion):
    """`private_key_jwt` (RFC 7523 §2.2) with the algorithms pinned per client, single-use
    assertions (replayed `jti` refused, in the database so every worker sees it), a bounded
    `exp` and `aud` equal to our token endpoint or issuer."""

    CLIENT_AUTH_METHOD = AuthMethod.private_key_jwt.value

    def __init__(self) -> None:
        super().__init__(validate_jti=True, leeway=LEEWAY)

    def __call__(self, query_client, request):
        assertion = request.form.get("client_assertion")
        if request.form.get("client_assertion_type") != self.CLIENT_ASSERTION_TYPE or not assertion:
            return None
        header, claims = self.extract_assertion(assertion)
        client_id = claims.get("sub")
        if not isinstance(client_id, str):
            raise InvalidClientError(description="Missing or invalid claim: 'sub'")
        try:
            return self._authenticate(request, assertion, header, client_id, cached=True)
        except _StaleClient:
            # Changed, revoked or suspended since this worker read it: decide on a fresh read.
            forget_client(client_id)
            return self._authenticate(request, assertion, header, client_id, cached=False)

    def _authenticate(self, request, assertion, header, client_id: str, *, cached: bool):
        client = _known_client(client_id, cached=cached)
        # a worker's copy is trusted only as far as the statement recording the jti checks it
        g.federation_assertion_guard = client if cached and _is_copy(client) else None
        if client is None:
            raise InvalidClientError(description="The client does not exist on this server.")
        if client.token_endpoint_auth_method != AuthMethod.private_key_jwt or not client.jwks:
            raise InvalidClientError(
                description="The client cannot authenticate with method: private_key_jwt"
            )
        token = self._decode(client, assertion, header.get("kid"))
        request.client = client
        self.verify_claims(token.claims)
        return client

    def get_audiences(self) -> list[str]:
        return [token_endpoint(), issuer()]

    @staticmethod
    def _decode(client: OAuthClient, assertion: str, kid: object) -> jwt.Token:
        """Verify with the client's key named by `kid`, else with each of its keys in turn."""
        algorithms = [a for a in client.allowed_algs if a in CLIENT_ALGORITHMS]
        keys = client.jwks.get("keys", [])
        candidates = [k for k in keys if kid and k.get("kid") == kid] or keys
        for jwk in candidates:
            try:
                return jwt.decode(assertion, _client_key(jwk), algorithms=algorithms)
            except (JoseError, ValueError, TypeError):
                continue
        raise InvalidClientError(description="Invalid client assertion.")

    def verify_claims(self, claims) -> None:
        exp = claims.get("exp")
        if not isinstance(exp, int | float):
            raise InvalidClientError(description="Missing claim: 'exp'")
        if exp > time.time() + ASSERTION_MAX_AHEAD + LEEWAY:
            raise InvalidClientError(description="The assertion expires too far in the future.")
        aud = claims.get("aud")
        audiences = self.get_audiences()
        if not any(a in audiences for a in (aud if isinstance(aud, list) else [aud])):
            # The usual mistake of a new member system (or of a platform whose PUBLIC_URL
            # is not the address called): say which audience is expected.
            raise InvalidClientError(
                description=f"The assertion's aud must be {token_endpoint()} (or {issuer()})."
            )
        super().verify_claims(claims)

    def validate_jti(self, claims, jti) -> bool:
        """Record the assertion's `jti`; False if this client used it before."""
        if not isinstance(jti, str) or not jti:
            return False
        if random.random() < 0.01:  # noqa: S311 - housekeeping, not security
            purge_expired()
        expires = datetime.fromtimestamp(claims["exp"], UTC) + timedelta(seconds=LEEWAY)
        guard = g.pop("federation_assertion_guard", None)
        recorded = _record_once(claims["sub"], digest(jti), expires, guard)
        if not recorded and guard is not None:
            raise _StaleClient()  # a replay, or a client changed since it was cached
        return recorded


#: parsed client public keys, by their JWK (the key itself, so an edited key is parsed anew)
_client_keys: dict[str, object] = {}
_CLIENT_KEYS_MAX = 1024


def _client_key(jwk: dict):
    """The client's public key `jwk` parsed (cached per worker: parsing costs more than
    verifying)."""
    if not isinstance(jwk, dict):
        raise ValueError("not a JWK")
    text = json.dumps(jwk, sort_keys=True)
    key = _client_keys.get(text)
    if key is None:
        key = import_key(jwk, jwk["kty"])
        if len(_client_keys) >= _CLIENT_KEYS_MAX:
            _client_keys.clear()
        _client_keys[text] = key
    return key


def purge_expired() -> None:
    """Forget used assertion ids and revoked tokens that expired: they cannot come back."""
    now = utcnow()
    db.session.execute(delete(AssertionJti).where(AssertionJti.expires_at < now))
    db.session.execute(delete(RevokedToken).where(RevokedToken.expires_at < now))


def _record_once(
    client_id: str, jti_hash: str, expires_at: datetime, guard: OAuthClient | None = None
) -> bool:
    """Insert the used assertion id; False if it was there. One statement where the database
    has INSERT … ON CONFLICT (PostgreSQL, SQLite), else a savepoint.

    With `guard` (a client this worker cached), the row is inserted only if that client is
    still as cached (same `updated_at`), not revoked and its organisation admitted: False
    then also means "read the client again".
    """
    values = {"client_id": client_id, "jti_hash": jti_hash, "expires_at": expires_at}
    dialect = db.session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        module = import_module(f"sqlalchemy.dialects.{dialect}")
        if guard is None:
            insert = module.insert(AssertionJti).values(**values)
        else:
            unchanged = exists().where(
                OAuthClient.id == guard.id,
                OAuthClient.updated_at == guard.updated_at,
                OAuthClient.revoked_at.is_(None),
                Organisation.id == OAuthClient.organisation_id,
                Organisation.admitted_at.is_not(None),
            )
            row = select(
                literal(client_id, AssertionJti.client_id.type),
                literal(jti_hash, AssertionJti.jti_hash.type),
                literal(expires_at, UTCDateTime()),
            ).where(unchanged)
            insert = module.insert(AssertionJti).from_select(list(values), row)
        statement = insert.on_conflict_do_nothing(
            index_elements=["client_id", "jti_hash"]
        ).returning(AssertionJti.id)
        return db.session.execute(statement).first() is not None
    if guard is not None:  # no single statement: read the client again each time
        raise _StaleClient()
    try:
        with db.session.begin_nested():
            db.session.add(AssertionJti(**values))
    except IntegrityError:
        return False
    return True


def query_client(client_id: str) -> OAuthClient | None:
    """A client that may still authenticate (revoked clients are unknown)."""
    return db.session.scalar(_usable_client(client_id))


def _usable_client(client_id: str):
    return (
        select(OAuthClient)
        .options(joinedload(OAuthClient.organisation))
        .where(OAuthClient.client_id == client_id, OAuthClient.revoked_at.is_(None))
    )


class _StaleClient(Exception):
    """The cached client may have changed: authenticate again with a fresh read."""


#: `private_key_jwt` clients (with their organisation) as this worker last read them, by
#: (database, client_id): (detached client, read at). Every use is checked against the
#: database by the statement that records the assertion's `jti` (see `_record_once`), so a
#: revoked, changed or suspended client is never served from here.
_clients: dict[tuple[str, str], tuple[OAuthClient, float]] = {}
_clients_lock = threading.Lock()
CLIENT_CACHE_SECONDS = 60
_CLIENTS_MAX = 1024


def _known_client(client_id: str, *, cached: bool) -> OAuthClient | None:
    """The client `client_id` (detached from the session, organisation loaded), from this
    worker's copy when `cached` and recent, else read (and kept) anew."""
    key = (str(db.engine.url), client_id)
    if cached:
        hit = _clients.get(key)
        if hit is not None and time.monotonic() - hit[1] < CLIENT_CACHE_SECONDS:
            return hit[0]
    # Read in a session of its own (in this transaction): the copy is detached, and the
    # request's session keeps whatever objects it holds.
    with Session(bind=db.session.connection()) as session:
        client = session.scalar(_usable_client(client_id))
    forget_client(client_id)
    if client is None or not client.organisation.is_admitted:  # the guard checks admitted ones
        return client
    with _clients_lock:
        if len(_clients) >= _CLIENTS_MAX:
            _clients.clear()
        _clients[key] = (client, time.monotonic())
    return client


def _is_copy(client: OAuthClient | None) -> bool:
    """Whether `_known_client` kept this client (it keeps every client it may accept)."""
    return client is not None and client.organisation.is_admitted


def forget_client(client_id: str) -> None:
    """Drop this worker's copy of the client (revoked, rotated, changed or just touched)."""
    with _clients_lock:
        for key in [k for k in _clients if k[1] == client_id]:
            del _clients[key]


# --- the grant and the endpoints -----------------------------------------------------------------


def _save_token(token: dict, request) -> None:
    """Nothing to store: tokens are self-contained JWTs; revocation keeps their `jti`."""


def _generate_token(
    grant_type, client, user=None, scope=None, expires_in=None, include_refresh_token=False
) -> dict:
    """Authlib's token generator hook; never a refresh token, never Authlib's lifetimes."""
    return issue_access_token(client, scope)


class ClientCredentialsGrant(grants.ClientCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = [m.value for m in AuthMethod]

    def validate_token_request(self) -> None:
        """Authlib's checks, then the organisation's membership: a suspended member's
        systems get no token until the coalition readmits it."""
        super().validate_token_request()
        if not self.request.client.organisation.is_admitted:
            raise UnauthorizedClientError(description=SUSPENDED)


class _TokenLookup:
    """What revocation and introspection share: read a token the caller may see."""

    CLIENT_AUTH_METHODS = [m.value for m in AuthMethod]
    SUPPORTED_TOKEN_TYPES = ("access_token",)

    def query_token(self, token_string, token_type_hint):
        return decode_access_token(token_string, check_expiry=False)


class TokenRevocation(_TokenLookup, RevocationEndpoint):
    """RFC 7009: effective at once, since the resource side reads the list on every call."""

    def authenticate_token(self, request, client):
        self.check_params(request, client)
        token = self.query_token(request.form["token"], request.form.get("token_type_hint"))
        # Another client's token is treated as unknown: 200 and nothing happens.
        return token if token is not None and token.check_client(client) else None

    def revoke_token(self, token: AccessToken, request) -> None:
        revoke_access_token(token)


class TokenIntrospection(_TokenLookup, IntrospectionEndpoint):
    """RFC 7662 for the authenticated client's own tokens; any other is `{"active": false}`."""

    def check_permission(self, token: AccessToken, client: OAuthClient, request) -> bool:
        return token.check_client(client)

    def introspect_token(self, token: AccessToken) -> dict:
        owner = token.client
        if owner is None or not owner.active:
            return {"active": False}
        fields = ("scope", "client_id", "sub", "aud", "iss", "exp", "iat", "jti", "org")
        return {
            "active": True,
            "token_type": "Bearer",
            **{k: token.claims[k] for k in fields if k in token.claims},
        }


authorization = AuthorizationServer()


def init_authorization_server(app: Flask) -> None:
    """Set up the authorization server for `app` (its routes are `federation.oauth.api`)."""
    authorization.init_app(app, query_client=query_client, save_token=_save_token)
    # Every defined scope, offered or not: Authlib refuses a request for any other, and a
    # client may already hold one that is not offered yet.
    authorization.scopes_supported = list(SCOPES)
    # Replace Authlib's default generator (10-day client-credentials tokens, opaque strings).
    authorization.register_token_generator("default", _generate_token)
    authorization.register_grant(ClientCredentialsGrant)
    authorization.register_client_auth_method(AuthMethod.private_key_jwt.value, PrivateKeyJWT())
    authorization.register_endpoint(TokenRevocation)
    authorization.register_endpoint(TokenIntrospection)
