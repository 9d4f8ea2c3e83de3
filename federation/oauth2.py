"""The whole OAuth 2 wiring of the platform, in one module (Authlib).

Authorization server: client-credentials grant only, client authentication by
`private_key_jwt` (RFC 7523) or `client_secret_basic`, JWT access tokens (RFC 9068) signed
with a rotatable key set, revocation (RFC 7009), introspection (RFC 7662) and metadata
(RFC 8414). Resource side: `require_oauth(scope)` and `current_token()` for the machine API.

Authlib defaults this module overrides on purpose: the 10-day client-credentials lifetime
(tokens live at most 300 s), the plain-text client secret (only a hash is kept), and the
bearer validator that never reads a revocation flag (revocation is checked on every call).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import random
import secrets
import time
from datetime import UTC, datetime, timedelta
from functools import cached_property
from importlib import import_module

from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import (
    InvalidClientError,
    InvalidScopeError,
    UnauthorizedClientError,
    grants,
)
from authlib.oauth2.rfc6750 import BearerTokenValidator, InsufficientScopeError, InvalidTokenError
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7523 import JWTBearerClientAssertion
from authlib.oauth2.rfc7662 import IntrospectionEndpoint
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from flask import Blueprint, Flask, abort, current_app, g, jsonify, request
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, RSAKey, import_key
from joserfc.util import to_bytes
from sqlalchemy import delete, exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from coalition.errors import answer_with_problems, problem
from coalition.extensions import csrf, db, limiter
from coalition.models import Organisation
from coalition.models.base import utcnow
from federation.models import (
    CLIENT_ALGORITHMS,
    SCOPES,
    AssertionJti,
    AuthMethod,
    KeyState,
    OAuthClient,
    RevokedToken,
    SigningKey,
)

log = logging.getLogger(__name__)

#: the platform signs new tokens with ES256 (signing is ~30 times cheaper than RSA-2048);
#: RS256, which RFC 9068 requires every party to support, stays supported: keys stored with it
#: keep verifying, and `OAUTH_SIGNING_ALG = "RS256"` makes new keys RSA again
SIGNING_ALG = "ES256"
#: the JWK key type of each algorithm the platform signs with
SIGNING_ALGORITHMS = {"ES256": "EC", "RS256": "RSA"}
#: a client assertion may not be valid for longer than this many seconds ahead
ASSERTION_MAX_AHEAD = 300
#: allowance for clock skew between the member's system and ours, in seconds
LEEWAY = 30
#: how long a worker trusts its copy of the public keys before reading them again
KEY_CACHE_SECONDS = 30
#: `last_used_at` is written at most once per this interval, to keep token issuance cheap
LAST_USED_GRANULARITY = timedelta(minutes=1)
TOKEN_TYPES = ("at+jwt", "application/at+jwt")
SUSPENDED = (
    "The organisation's membership of the coalition is suspended; the coalition office can "
    "tell you more."
)


# --- addresses -------------------------------------------------------------------------------


def issuer() -> str:
    """This authorization server's issuer identifier (`iss` of every token)."""
    return current_app.config["PUBLIC_URL"]


def token_endpoint() -> str:
    return issuer() + "/oauth/token"


def api_audience() -> str:
    """The `aud` of access tokens: the platform's machine API."""
    return current_app.config.get("OAUTH_API_AUDIENCE") or issuer() + "/federation/v1"


def token_lifetime() -> int:
    return min(int(current_app.config.get("OAUTH_ACCESS_TOKEN_LIFETIME", 300)), 300)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


# --- the platform's signing keys ---------------------------------------------------------------

_private_keys: dict[tuple[str, bytes], ECKey | RSAKey] = {}
_public_keys: dict[str, tuple[ECKey | RSAKey, str, float]] = {}
#: the signing key this worker last read, per database: (kid, alg, encrypted PEM, read at)
_signing_keys: dict[str, tuple[str, str, str, float]] = {}


def _key_password() -> bytes:
    """The passphrase of stored private keys, derived from SECRET_KEY."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, b"federation-signing-key", hashlib.sha256).hexdigest().encode()


def create_signing_key() -> SigningKey:
    """Generate a new active signing key (stored encrypted); flush."""
    alg = current_app.config.get("OAUTH_SIGNING_ALG") or SIGNING_ALG
    if alg not in SIGNING_ALGORITHMS:
        raise ValueError(f"OAUTH_SIGNING_ALG must be one of {', '.join(SIGNING_ALGORITHMS)}")
    if alg == "RS256":
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    else:
        private = ec.generate_private_key(ec.SECP256R1())
    kid = secrets.token_urlsafe(12)
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(_key_password()),
    ).decode()
    public = import_key(
        private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
        SIGNING_ALGORITHMS[alg],
    ).as_dict(private=False)
    public.update({"kid": kid, "alg": alg, "use": "sig"})
    key = SigningKey(
        kid=kid, alg=alg, private_key_pem=pem, public_jwk=public, state=KeyState.active
    )
    db.session.add(key)
    db.session.flush()
    return key


def rotate_signing_key() -> SigningKey:
    """Start signing with a new key; the old one keeps verifying until its tokens expired.

    Keys that stopped signing longer ago than a token's lifetime are retired.
    """
    now = utcnow()
    cutoff = now - timedelta(seconds=token_lifetime() + LEEWAY)
    db.session.execute(
        update(SigningKey)
        .where(SigningKey.state == KeyState.retiring, SigningKey.retiring_at < cutoff)
        .values(state=KeyState.retired)
    )
    db.session.execute(
        update(SigningKey)
        .where(SigningKey.state == KeyState.active)
        .values(state=KeyState.retiring, retiring_at=now)
    )
    _public_keys.clear()
    _signing_keys.clear()
    return create_signing_key()


def active_signing_key() -> SigningKey:
    """The key that signs new tokens, created on first use (embedded mode needs no set-up)."""
    return _stored_active_key() or _create_first_key()


def _create_first_key() -> SigningKey:
    """Create the first signing key; if another worker made one meanwhile, use that one.

    At most one key is active (a unique index): the second of two concurrent creations
    waits for the first to commit, fails, and reads the winner's key.
    """
    try:
        with db.session.begin_nested():
            return create_signing_key()
    except IntegrityError:
        key = _stored_active_key()
        if key is None:  # the index refused for another reason
            raise
        return key


def _stored_active_key() -> SigningKey | None:
    return db.session.scalar(
        select(SigningKey)
        .where(SigningKey.state == KeyState.active)
        .order_by(SigningKey.created_at.desc(), SigningKey.id.desc())
        .limit(1)
    )


def _signing_key_cache_seconds() -> float:
    """How long a worker signs with the key it read before reading the active one again.

    Another process's rotation takes effect here within this delay; the key it replaced keeps
    verifying for a token's lifetime plus LEEWAY, which must stay longer than the delay. Off
    under TESTING, where each test's rolled-back transaction takes its keys away again.
    """
    default = 0 if current_app.testing else 10
    return min(float(current_app.config.get("OAUTH_SIGNING_KEY_CACHE_SECONDS", default)), LEEWAY)


def _current_signing_key() -> tuple[str, str, str]:
    """(kid, alg, encrypted PEM) of the active key, read at most every few seconds."""
    ttl = _signing_key_cache_seconds()
    database = str(db.engine.url)
    cached = _signing_keys.get(database)
    if ttl > 0 and cached is not None and time.monotonic() - cached[3] < ttl:
        return cached[:3]
    key = _stored_active_key()
    if key is None:  # not remembered: the transaction that makes it may still be rolled back
        key = _create_first_key()
    else:
        _signing_keys[database] = (key.kid, key.alg, key.private_key_pem, time.monotonic())
    return key.kid, key.alg, key.private_key_pem


def _private_key(key: SigningKey) -> ECKey | RSAKey:
    """The decrypted private key (cached per worker and per SECRET_KEY).

    :raise ValueError: the stored key was encrypted under another SECRET_KEY.
    """
    return _decrypted_key(key.kid, key.alg, key.private_key_pem)


def _decrypted_key(kid: str, alg: str, private_key_pem: str) -> ECKey | RSAKey:
    """`_private_key` from the key's id and stored PEM."""
    password = _key_password()
    cached = _private_keys.get((kid, password))
    if cached is None:
        private = serialization.load_pem_private_key(private_key_pem.encode(), password)
        pem = private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        cached = import_key(pem, SIGNING_ALGORITHMS[alg], parameters={"kid": kid})
        _private_keys[(kid, password)] = cached
    return cached


def published_keys() -> list[dict]:
    """Public JWKs of the keys that sign or still verify tokens (the JWKS document)."""
    keys = db.session.scalars(
        select(SigningKey)
        .where(SigningKey.state.in_((KeyState.active, KeyState.retiring)))
        .order_by(SigningKey.created_at.desc())
    )
    return [key.public_jwk for key in keys]


def _verification_key(kid: str) -> tuple[ECKey | RSAKey, str] | None:
    """The public key with this `kid` and the one algorithm it verifies, if it still verifies
    tokens (cached briefly)."""
    cached = _public_keys.get(kid)
    if cached is not None and time.monotonic() - cached[2] < KEY_CACHE_SECONDS:
        return cached[0], cached[1]
    jwk = db.session.scalar(
        select(SigningKey.public_jwk).where(
            SigningKey.kid == kid, SigningKey.state.in_((KeyState.active, KeyState.retiring))
        )
    )
    if not jwk:
        _public_keys.pop(kid, None)  # unknown kids are not remembered: callers choose them
        return None
    alg = jwk.get("alg", "RS256")  # keys stored before ES256 were all RS256
    if alg not in SIGNING_ALGORITHMS:
        return None
    key = import_key(jwk, SIGNING_ALGORITHMS[alg])
    _public_keys[kid] = (key, alg, time.monotonic())
    return key, alg


# --- access tokens ------------------------------------------------------------------------------


def issue_access_token(client: OAuthClient, scope: str | None = None) -> dict:
    """Sign an RFC 9068 access token for `client` with the scopes it holds.

    :raise InvalidScopeError: a requested scope was not granted to the client.
    """
    requested = scope.split() if scope else list(client.scopes)
    if not requested or any(s not in client.scopes for s in requested):
        raise InvalidScopeError(description="The client was not granted these scopes.")
    granted = " ".join(s for s in SCOPES if s in requested)
    kid, alg, pem = _current_signing_key()
    try:
        private_key = _decrypted_key(kid, alg, pem)
    except ValueError:
        # SECRET_KEY changed since the key was stored: sign with a new one; the old public
        # key keeps verifying the tokens it signed until they expire.
        log.warning("Signing key %s cannot be decrypted with SECRET_KEY; rotating.", kid)
        key = rotate_signing_key()
        kid, alg, private_key = key.kid, key.alg, _private_key(key)
    now = int(time.time())
    lifetime = token_lifetime()
    claims = {
        "iss": issuer(),
        "aud": api_audience(),
        "sub": client.client_id,
        "client_id": client.client_id,
        "org": str(client.organisation.uuid),
        "scope": granted,
        "jti": secrets.token_urlsafe(16),
        "iat": now,
        "exp": now + lifetime,
    }
    header = {"alg": alg, "typ": "at+jwt", "kid": kid}
    token = jwt.encode(header, claims, private_key, algorithms=[alg])
    _touch(client)
    return {"access_token": token, "token_type": "Bearer", "expires_in": lifetime, "scope": granted}


def _touch(client: OAuthClient) -> None:
    now = utcnow()
    if client.last_used_at is None or now - client.last_used_at > LAST_USED_GRANULARITY:
        client.last_used_at = now


def _generate_token(
    grant_type, client, user=None, scope=None, expires_in=None, include_refresh_token=False
) -> dict:
    """Authlib's token generator hook; never a refresh token, never Authlib's lifetimes."""
    return issue_access_token(client, scope)


class AccessToken:
    """A validated access token: what the machine API knows about its caller."""

    def __init__(self, claims: dict) -> None:
        self.claims = claims

    @property
    def client_id(self) -> str:
        return self.claims["client_id"]

    @property
    def jti(self) -> str:
        return self.claims["jti"]

    @property
    def scopes(self) -> frozenset[str]:
        return frozenset(self.claims.get("scope", "").split())

    @property
    def expires_at(self) -> datetime:
        return datetime.fromtimestamp(self.claims["exp"], UTC)

    @cached_property
    def client(self) -> OAuthClient:
        return db.session.scalar(select(OAuthClient).where(OAuthClient.client_id == self.client_id))

    @property
    def organisation_id(self) -> int:
        return self.client.organisation_id

    @property
    def organisation(self) -> Organisation:
        return self.client.organisation

    # what Authlib's endpoints ask of a token
    def check_client(self, client: OAuthClient) -> bool:
        return client.client_id == self.client_id

    def get_scope(self) -> str:
        return self.claims.get("scope", "")

    def get_expires_in(self) -> int:
        return max(0, self.claims["exp"] - int(time.time()))

    def is_expired(self) -> bool:
        return self.claims["exp"] <= time.time()

    def is_revoked(self) -> bool:
        return _is_revoked(self.jti)


def _load_caller(token: AccessToken) -> tuple[OAuthClient | None, bool]:
    """The token's client (with its organisation and branches) and whether the token was
    revoked, in one query; the client is kept on the token for the rest of the call."""
    revoked = exists().where(RevokedToken.jti_hash == _digest(token.jti)).label("revoked")
    row = (
        db.session.execute(
            select(OAuthClient, revoked)
            .options(joinedload(OAuthClient.organisation).joinedload(Organisation.branches))
            .where(OAuthClient.client_id == token.client_id)
        )
        .unique()
        .first()
    )
    if row is None:
        token.__dict__["client"] = None
        return None, _is_revoked(token.jti)
    token.__dict__["client"] = row[0]
    return row[0], bool(row[1])


def _is_revoked(jti: str) -> bool:
    return bool(db.session.scalar(select(exists().where(RevokedToken.jti_hash == _digest(jti)))))


def decode_access_token(token_string: str, *, check_expiry: bool = True) -> AccessToken | None:
    """Verify an access token's signature, `typ`, `iss`, `aud` and expiry; None if invalid.

    Revocation and the client's state are checked by the callers, which need the database.
    """
    try:
        header = jws.extract_compact(to_bytes(token_string)).headers()
    except (JoseError, ValueError):
        return None
    if str(header.get("typ", "")).lower() not in TOKEN_TYPES or not header.get("kid"):
        return None
    verification = _verification_key(str(header["kid"]))
    if verification is None:
        return None
    key, alg = verification
    try:
        token = jwt.decode(token_string, key, algorithms=[alg])  # the key's own algorithm only
        registry = jwt.JWTClaimsRegistry(
            leeway=0 if check_expiry else 10**9,
            iss={"essential": True, "value": issuer()},
            aud={"essential": True, "value": api_audience()},
            exp={"essential": True},
            sub={"essential": True},
            client_id={"essential": True},
            jti={"essential": True},
            iat={"essential": True},
        )
        registry.validate(token.claims)
    except (JoseError, ValueError, TypeError):
        return None
    return AccessToken(dict(token.claims))


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
        client = query_client(client_id)
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
        super().verify_claims(claims)

    def validate_jti(self, claims, jti) -> bool:
        """Record the assertion's `jti`; False if this client used it before."""
        if not isinstance(jti, str) or not jti:
            return False
        if random.random() < 0.01:  # noqa: S311 - housekeeping, not security
            purge_expired()
        expires = datetime.fromtimestamp(claims["exp"], UTC) + timedelta(seconds=LEEWAY)
        return _record_once(claims["sub"], _digest(jti), expires)


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


def _record_once(client_id: str, jti_hash: str, expires_at: datetime) -> bool:
    """Insert the used assertion id; False if it was there. One statement where the database
    has INSERT … ON CONFLICT (PostgreSQL, SQLite), else a savepoint."""
    values = {"client_id": client_id, "jti_hash": jti_hash, "expires_at": expires_at}
    dialect = db.session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        module = import_module(f"sqlalchemy.dialects.{dialect}")
        statement = (
            module.insert(AssertionJti)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["client_id", "jti_hash"])
            .returning(AssertionJti.id)
        )
        return db.session.execute(statement).first() is not None
    try:
        with db.session.begin_nested():
            db.session.add(AssertionJti(**values))
    except IntegrityError:
        return False
    return True


def query_client(client_id: str) -> OAuthClient | None:
    """A client that may still authenticate (revoked clients are unknown)."""
    return db.session.scalar(
        select(OAuthClient)
        .options(joinedload(OAuthClient.organisation))
        .where(OAuthClient.client_id == client_id, OAuthClient.revoked_at.is_(None))
    )


def _save_token(token: dict, request) -> None:
    """Nothing to store: tokens are self-contained JWTs; revocation keeps their `jti`."""


class ClientCredentialsGrant(grants.ClientCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = [m.value for m in AuthMethod]

    def validate_token_request(self) -> None:
        """Authlib's checks, then the organisation's membership: a suspended member's
        systems get no token until the coalition readmits it."""
        super().validate_token_request()
        if self.request.client.organisation.admitted_at is None:
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
        if token.is_expired() or token.is_revoked():
            return
        db.session.add(
            RevokedToken(
                jti_hash=_digest(token.jti), client_id=token.client_id, expires_at=token.expires_at
            )
        )
        db.session.flush()


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


def _init_authorization_server(app: Flask) -> None:
    authorization.init_app(app, query_client=query_client, save_token=_save_token)
    authorization.scopes_supported = list(SCOPES)
    # Replace Authlib's default generator (10-day client-credentials tokens, opaque strings).
    authorization.register_token_generator("default", _generate_token)
    authorization.register_grant(ClientCredentialsGrant)
    authorization.register_client_auth_method(AuthMethod.private_key_jwt.value, PrivateKeyJWT())
    authorization.register_endpoint(TokenRevocation)
    authorization.register_endpoint(TokenIntrospection)


# --- the resource side --------------------------------------------------------------------------


class PlatformTokenValidator(BearerTokenValidator):
    """Signature, `typ`, `iss`, `aud`, expiry, then revocation and the client's state."""

    def authenticate_token(self, token_string: str) -> AccessToken | None:
        return decode_access_token(token_string)

    def validate_token(self, token, scopes, request, **kwargs) -> None:
        if token is None:
            raise InvalidTokenError(realm=self.realm)
        client, revoked = _load_caller(token)
        if revoked or client is None or not client.active:
            raise InvalidTokenError(realm=self.realm)
        if client.organisation.admitted_at is None:
            raise MembershipSuspendedError()
        if self.scope_insufficient(token.get_scope(), scopes):
            raise InsufficientScopeError()


class MembershipSuspendedError(OAuth2Error):
    """The caller's organisation is suspended: its valid tokens open nothing meanwhile."""

    error = "membership_suspended"
    status_code = 403
    description = SUSPENDED


class PlatformResourceProtector(ResourceProtector):
    """Bearer tokens from the `Authorization` header only; errors as RFC 6750 + RFC 9457."""

    def acquire_token(self, scopes=None, **kwargs):
        if "access_token" in request.args or (
            request.mimetype == "application/x-www-form-urlencoded"
            and "access_token" in request.form
        ):
            raise InvalidTokenError(description="Send the token in the Authorization header only.")
        g.federation_required_scopes = " ".join(scopes or [])
        token = super().acquire_token(scopes, **kwargs)
        g.federation_token = token
        return token

    def raise_error_response(self, error: OAuth2Error):
        status = error.status_code
        detail = _ERROR_DETAILS.get(error.error, error.description or error.error)
        # RFC 6750 §3: no error code when the request carried no credentials at all.
        challenge = 'Bearer realm="federation"'
        if error.error in ("invalid_token", "insufficient_scope", "invalid_request"):
            challenge += f', error="{error.error}", error_description="{detail}"'
        if error.error == "insufficient_scope" and g.get("federation_required_scopes"):
            challenge += f', scope="{g.federation_required_scopes}"'
        abort(
            problem(
                status,
                _ERROR_TITLES.get(status, "Unauthorized"),
                detail,
                headers={"WWW-Authenticate": challenge},
            )
        )


_ERROR_DETAILS = {
    "missing_authorization": "An access token is required in the Authorization header.",
    "unsupported_token_type": "An access token is required in the Authorization header.",
    "invalid_token": "The access token is invalid, expired or revoked.",
    "insufficient_scope": "The access token lacks the scope this call needs.",
}
_ERROR_TITLES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden"}

require_oauth = PlatformResourceProtector()
require_oauth.register_token_validator(PlatformTokenValidator(realm="federation"))


def current_token() -> AccessToken:
    """The validated token of this request (inside a `@require_oauth(...)` view)."""
    return g.federation_token


# --- routes -------------------------------------------------------------------------------------

oauth_bp = Blueprint("oauth", __name__)


def _token_rate_limit() -> str:
    return current_app.config["OAUTH_TOKEN_RATE_LIMIT"]


@oauth_bp.post("/oauth/token")
@limiter.limit(_token_rate_limit)
def issue_token():
    """RFC 6749 §4.4 token endpoint (client credentials)."""
    response = authorization.create_token_response()
    db.session.commit()  # the assertion's jti and last_used_at, whatever the outcome
    return _no_store(response)


@oauth_bp.post("/oauth/revoke")
def revoke_token():
    """RFC 7009 revocation endpoint."""
    response = authorization.create_endpoint_response(TokenRevocation.ENDPOINT_NAME)
    db.session.commit()
    return _no_store(response)


@oauth_bp.post("/oauth/introspect")
def introspect_token():
    """RFC 7662 introspection endpoint."""
    response = authorization.create_endpoint_response(TokenIntrospection.ENDPOINT_NAME)
    db.session.commit()
    return _no_store(response)


@oauth_bp.get("/oauth/jwks.json")
def jwks():
    """The public keys that verify access tokens (the first key is made by the first token)."""
    response = jsonify({"keys": published_keys()})
    response.cache_control.max_age = 60
    response.cache_control.public = True
    return response


@oauth_bp.get("/.well-known/oauth-authorization-server")
def metadata():
    """RFC 8414 authorization server metadata."""
    base = issuer()
    methods = [m.value for m in AuthMethod]
    response = jsonify(
        {
            "issuer": base,
            "token_endpoint": token_endpoint(),
            "jwks_uri": base + "/oauth/jwks.json",
            "revocation_endpoint": base + "/oauth/revoke",
            "introspection_endpoint": base + "/oauth/introspect",
            "grant_types_supported": ["client_credentials"],
            "response_types_supported": [],
            "scopes_supported": list(SCOPES),
            "token_endpoint_auth_methods_supported": methods,
            "token_endpoint_auth_signing_alg_values_supported": list(CLIENT_ALGORITHMS),
            "revocation_endpoint_auth_methods_supported": methods,
            "revocation_endpoint_auth_signing_alg_values_supported": list(CLIENT_ALGORITHMS),
            "introspection_endpoint_auth_methods_supported": methods,
            "introspection_endpoint_auth_signing_alg_values_supported": list(CLIENT_ALGORITHMS),
            "service_documentation": base + "/federation/v1/docs",
        }
    )
    response.cache_control.max_age = 300
    response.cache_control.public = True
    return response


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


def init_oauth(app: Flask) -> None:
    """Set up the authorization server and mount its routes (no language prefix, no CSRF)."""
    _init_authorization_server(app)
    csrf.exempt(oauth_bp)
    app.register_blueprint(oauth_bp)
    answer_with_problems(app, oauth_bp)
