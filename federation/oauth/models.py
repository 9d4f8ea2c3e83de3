"""OAuth models: the clients of member systems, the platform's signing keys, and the small
stores that make tokens revocable and client assertions single-use."""

from __future__ import annotations

import enum
import hashlib
import hmac
from datetime import datetime

from sqlalchemy import JSON, Enum, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.database import Timestamped, UTCDateTime, utcnow
from coalition.extensions import db
from coalition.members.models import Organisation

#: algorithms a client may sign its assertions with (never "none", never HS*)
CLIENT_ALGORITHMS = ("RS256", "PS256", "ES256")
#: prefix of the client secrets we issue, so a leaked one is recognisable in a scan
SECRET_PREFIX = "bmpcs_"  # noqa: S105 - a prefix, not a secret


class AuthMethod(enum.StrEnum):
    private_key_jwt = "private_key_jwt"
    client_secret_basic = "client_secret_basic"  # noqa: S105 - a method name


class KeyState(enum.StrEnum):
    #: signs new tokens
    active = "active"
    #: signs nothing, still verifies the tokens it signed until they expire
    retiring = "retiring"
    #: neither signs nor verifies, no longer published
    retired = "retired"


def digest(value: str) -> str:
    """SHA-256 (hex) of a high-entropy value: a client secret, a token's or an assertion's
    `jti` (a slow hash adds nothing for 256 random bits)."""
    return hashlib.sha256(value.encode()).hexdigest()


class OAuthClient(Timestamped, db.Model):
    """A member system allowed to call the machine API for one organisation.

    Implements Authlib's `ClientMixin` for the client-credentials grant.
    """

    __tablename__ = "oauth_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the public identifier the member system sends (`sub`/`iss` of its assertions)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    #: a name the organisation chose, e.g. "CRM production"
    name: Mapped[str] = mapped_column(String(120))
    token_endpoint_auth_method: Mapped[AuthMethod] = mapped_column(
        Enum(AuthMethod, native_enum=False, length=30), default=AuthMethod.private_key_jwt
    )
    #: SHA-256 of the client secret (client_secret_basic only); the secret itself is never kept
    client_secret_hash: Mapped[str | None] = mapped_column(String(64))
    #: the client's public keys as a JWK Set {"keys": [...]} (private_key_jwt only)
    jwks: Mapped[dict | None] = mapped_column(JSON)
    #: the algorithms this client's assertions may use, pinned when its keys were uploaded
    allowed_algs: Mapped[list] = mapped_column(JSON, default=list)
    #: the scopes the organisation's admin granted
    scopes: Mapped[list] = mapped_column(JSON, default=list)
    #: when an admin revoked the client; its tokens stop working at once
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: last token issued to the client (updated at most once a minute)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    organisation: Mapped[Organisation] = relationship()

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    # Authlib's ClientMixin -------------------------------------------------------------
    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> None:
        return None

    def get_allowed_scope(self, scope: str | None) -> str:
        """The requested scopes this client holds; all of them when none was asked for."""
        if not scope:
            return " ".join(self.scopes)
        return " ".join(s for s in scope.split() if s in self.scopes)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return False

    def check_client_secret(self, client_secret: str) -> bool:
        if self.client_secret_hash is None:
            return False
        return hmac.compare_digest(self.client_secret_hash, digest(client_secret))

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return self.active and method == self.token_endpoint_auth_method.value

    def check_response_type(self, response_type: str) -> bool:
        return False

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "client_credentials"

    def __repr__(self) -> str:
        return f"<OAuthClient {self.client_id}>"


class RevokedToken(db.Model):
    """An access token revoked before its expiry (RFC 7009), by the hash of its `jti`."""

    __tablename__ = "oauth_revoked_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 of the token's `jti`
    jti_hash: Mapped[str] = mapped_column(String(64), unique=True)
    client_id: Mapped[str] = mapped_column(String(64))
    #: the token's own expiry; after it the row can go
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    revoked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AssertionJti(db.Model):
    """A client assertion already used: replaying its `jti` is refused (shared by workers)."""

    __tablename__ = "oauth_assertion_jtis"
    __table_args__ = (UniqueConstraint("client_id", "jti_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64))
    #: SHA-256 of the assertion's `jti`
    jti_hash: Mapped[str] = mapped_column(String(64))
    #: the assertion's expiry; after it a replay fails on `exp` anyway, so the row can go
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class SigningKey(db.Model):
    """A key pair that signs access tokens; rotated by `flask federation rotate-key`."""

    __tablename__ = "oauth_signing_keys"
    #: at most one key signs: two workers making the first key at once cannot both succeed
    __table_args__ = (
        Index(
            "uq_oauth_signing_keys_one_active",
            "state",
            unique=True,
            postgresql_where=text("state = 'active'"),
            sqlite_where=text("state = 'active'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: key id, in the JWKS and in every token's header
    kid: Mapped[str] = mapped_column(String(64), unique=True)
    alg: Mapped[str] = mapped_column(String(10), default="RS256")
    #: PKCS#8 PEM encrypted with a key derived from SECRET_KEY; never served
    private_key_pem: Mapped[str] = mapped_column(String(4000))
    #: the public half as a JWK, published at /oauth/jwks.json
    public_jwk: Mapped[dict] = mapped_column(JSON)
    state: Mapped[KeyState] = mapped_column(
        Enum(KeyState, native_enum=False, length=10), default=KeyState.active, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: when the key stopped signing
    retiring_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
