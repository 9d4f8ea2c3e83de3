"""Access tokens, and every check of them, in one module.

Issuing: RFC 9068 JWTs signed with the platform's active key, carrying the scopes the
client holds, living at most 300 s (Authlib's 10-day client-credentials default is not
used). Checking: signature with the key named by `kid` and only its algorithm, `typ`,
`iss`, `aud`, expiry, then on every call the revocation list (Authlib's bearer validator
never reads one), the client's state and its organisation's membership. The machine API
asks for a scope with `@require_oauth(scope)` and reads its caller with `current_token()`.
"""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime, timedelta
from functools import cached_property

from authlib.integrations.flask_oauth2 import ResourceProtector
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import InvalidScopeError
from authlib.oauth2.rfc6750 import BearerTokenValidator, InsufficientScopeError, InvalidTokenError
from flask import abort, g, request
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.util import to_bytes
from sqlalchemy import bindparam, exists, select, update
from sqlalchemy.orm import joinedload, load_only
from sqlalchemy.orm.attributes import set_committed_value

from coalition.database import utcnow
from coalition.errors import problem
from coalition.extensions import db
from coalition.members.models import Organisation
from coalition.observability import token_issued
from federation.oauth.issuer import api_audience, issuer, token_lifetime
from federation.oauth.models import OAuthClient, RevokedToken, digest
from federation.oauth.scopes import SCOPES
from federation.oauth.signing_keys import signing_key, verification_key

#: `last_used_at` is written at most once per this interval, to keep token issuance cheap
LAST_USED_GRANULARITY = timedelta(minutes=1)
TOKEN_TYPES = ("at+jwt", "application/at+jwt")
SUSPENDED = (
    "The organisation's membership of the coalition is suspended; the coalition office can "
    "tell you more."
)


# --- issuing ------------------------------------------------------------------------------------


def issue_access_token(client: OAuthClient, scope: str | None = None) -> dict:
    """Sign an RFC 9068 access token for `client` with the scopes it holds.

    :raise InvalidScopeError: a requested scope was not granted to the client.
    """
    requested = scope.split() if scope else list(client.scopes)
    if not requested or any(s not in client.scopes for s in requested):
        raise InvalidScopeError(description="The client was not granted these scopes.")
    granted = " ".join(s for s in SCOPES if s in requested)
    kid, alg, private_key = signing_key()
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
    token_issued.labels(auth_method=client.token_endpoint_auth_method.value).inc()
    return {"access_token": token, "token_type": "Bearer", "expires_in": lifetime, "scope": granted}


def _touch(client: OAuthClient) -> None:
    """Write `last_used_at` (at most once a minute) with one UPDATE, not through the ORM: the
    client may be a worker's cached copy, which is kept equal to the row it came from."""
    now = utcnow()
    if client.last_used_at is None or now - client.last_used_at > LAST_USED_GRANULARITY:
        db.session.execute(
            update(OAuthClient)
            .where(OAuthClient.id == client.id)
            .values(last_used_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        set_committed_value(client, "last_used_at", now)
        set_committed_value(client, "updated_at", now)


# --- reading and checking -----------------------------------------------------------------------


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


#: tokens whose signature and claims were verified, by issuer, audience and text: a member
#: system sends one token with every call of its five minutes. Each use checks the expiry
#: again, and that the key that signed it still verifies (a retired key ends its tokens);
#: revocation and the client's state are read from the database on every call.
_verified: dict[tuple[str, str, str], tuple[dict, str]] = {}
#: at most this many tokens are remembered (then all are forgotten at once)
VERIFIED_TOKENS = 2048


def decode_access_token(token_string: str, *, check_expiry: bool = True) -> AccessToken | None:
    """Verify an access token's signature, `typ`, `iss`, `aud` and expiry; None if invalid.

    Revocation and the client's state are checked by the callers, which need the database.
    """
    cache_key = (issuer(), api_audience(), token_string)
    if check_expiry and (kept := _verified.get(cache_key)) is not None:
        claims, kid = kept
        if claims["exp"] > time.time() and verification_key(kid) is not None:
            return AccessToken(dict(claims))
        _verified.pop(cache_key, None)
    try:
        header = jws.extract_compact(to_bytes(token_string)).headers()
    except (JoseError, ValueError):
        return None
    if str(header.get("typ", "")).lower() not in TOKEN_TYPES or not header.get("kid"):
        return None
    verification = verification_key(str(header["kid"]))
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
    if check_expiry:
        if len(_verified) >= VERIFIED_TOKENS:
            _verified.clear()
        _verified[cache_key] = (dict(token.claims), str(header["kid"]))
    return AccessToken(dict(token.claims))


def revoke_access_token(token: AccessToken) -> None:
    """Put an unexpired token on the revocation list (RFC 7009): refused from the next call."""
    if token.is_expired() or token.is_revoked():
        return
    db.session.add(
        RevokedToken(
            jti_hash=digest(token.jti), client_id=token.client_id, expires_at=token.expires_at
        )
    )
    db.session.flush()


def _is_revoked(jti: str) -> bool:
    return bool(db.session.scalar(select(exists().where(RevokedToken.jti_hash == digest(jti)))))


#: the token's client with its organisation and branches, and whether the token was
#: revoked; built once: a request only binds its values. The columns a call reads of
#: them (a programme's answer names its organisation by uuid and name), not the client's
#: keys or the member's texts (any other loads when read, one query each).
_CALLER = (
    select(
        OAuthClient,
        exists().where(RevokedToken.jti_hash == bindparam("jti_hash")).label("revoked"),
    )
    .options(
        load_only(
            OAuthClient.client_id,
            OAuthClient.organisation_id,
            OAuthClient.scopes,
            OAuthClient.revoked_at,
        ),
        joinedload(OAuthClient.organisation)
        .load_only(
            Organisation.uuid, Organisation.slug, Organisation.name, Organisation.admitted_at
        )
        .joinedload(Organisation.branches),
    )
    .where(OAuthClient.client_id == bindparam("client_id"))
)


def _load_caller(token: AccessToken) -> tuple[OAuthClient | None, bool]:
    """The token's client (with its organisation and branches) and whether the token was
    revoked, in one query; the client is kept on the token for the rest of the call."""
    values = {"jti_hash": digest(token.jti), "client_id": token.client_id}
    row = db.session.execute(_CALLER, values).unique().first()
    if row is None:
        token.__dict__["client"] = None
        return None, _is_revoked(token.jti)
    token.__dict__["client"] = row[0]
    return row[0], bool(row[1])


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
        if not client.organisation.is_admitted:
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
        known = _ERROR_DETAILS.get(error.error)
        detail = str(known) if known else error.description or error.error
        with force_locale("en"):  # the header stays ASCII: the English text
            english = str(known) if known else detail
        # RFC 6750 §3: no error code when the request carried no credentials at all.
        challenge = 'Bearer realm="federation"'
        if error.error in ("invalid_token", "insufficient_scope", "invalid_request"):
            challenge += f', error="{error.error}", error_description="{english}"'
        if error.error == "insufficient_scope" and g.get("federation_required_scopes"):
            challenge += f', scope="{g.federation_required_scopes}"'
        abort(
            problem(
                status,
                str(_ERROR_TITLES.get(status, _ERROR_TITLES[401])),
                detail,
                headers={"WWW-Authenticate": challenge},
            )
        )


_ERROR_DETAILS = {
    "missing_authorization": _l("An access token is required in the Authorization header."),
    "unsupported_token_type": _l("An access token is required in the Authorization header."),
    "invalid_token": _l("The access token is invalid, expired or revoked."),
    "insufficient_scope": _l("The access token lacks the scope this call needs."),
}
_ERROR_TITLES = {400: _l("Bad Request"), 401: _l("Unauthorized"), 403: _l("Forbidden")}

require_oauth = PlatformResourceProtector()
require_oauth.register_token_validator(PlatformTokenValidator(realm="federation"))


def current_token() -> AccessToken:
    """The validated token of this request (inside a `@require_oauth(...)` view)."""
    return g.federation_token
