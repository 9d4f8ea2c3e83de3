"""Services for the OAuth clients of member systems: verbs that flush, never commit."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, KeySet, RSAKey, import_key

from coalition.extensions import db
from coalition.models import Organisation, User
from coalition.models.base import utcnow
from federation.models import (
    SCOPES,
    SECRET_PREFIX,
    AuthMethod,
    OAuthClient,
    hash_secret,
)

#: the algorithms pinned for each kind of uploaded key
ALGORITHMS_FOR_KEY = {"RSA": ["RS256", "PS256"], "EC": ["ES256"]}
#: at most this many public keys per client (current and next, during a rotation)
MAX_KEYS = 5


class InvalidKeyError(ValueError):
    """The uploaded public key cannot be used; `reason` says why."""

    MESSAGES = {
        "missing": "Upload a public key: a JWK, a JWK Set or a PEM file.",
        "format": "This is not a public key in JWK, JWK Set or PEM format.",
        "private": "This is a private key. Upload only the public key.",
        "type": "Use an RSA key (2048 bits or more) or an EC key on P-256.",
        "size": "RSA keys must have at least 2048 bits.",
        "count": f"Upload between 1 and {MAX_KEYS} public keys.",
    }

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(self.MESSAGES[reason])


@dataclass
class NewClient:
    """A client just registered, with its secret (given once, never stored)."""

    client: OAuthClient
    client_secret: str | None = None

    def as_dict(self) -> dict:
        data = {
            "client_id": self.client.client_id,
            "scopes": list(self.client.scopes),
            "token_endpoint_auth_method": self.client.token_endpoint_auth_method.value,
        }
        if self.client_secret:
            data["client_secret"] = self.client_secret
        return data


def _import_jwk(data: object) -> RSAKey | ECKey:
    if not isinstance(data, dict) or data.get("kty") not in ("RSA", "EC"):
        raise InvalidKeyError("type")
    return import_key(data, data["kty"])


def _import_pem(text: str) -> RSAKey | ECKey:
    public = serialization.load_pem_public_key(text.encode())
    if isinstance(public, rsa.RSAPublicKey):
        return RSAKey.import_key(text)
    if isinstance(public, ec.EllipticCurvePublicKey):
        return ECKey.import_key(text)
    raise InvalidKeyError("type")


def parse_public_keys(text: str) -> tuple[dict, list[str]]:
    """Read a public key given as a JWK, a JWK Set or a PEM; return the JWKS and its algorithms.

    :raise InvalidKeyError: not a key, a private key, an unsupported type or too weak.
    """
    text = (text or "").strip()
    if not text:
        raise InvalidKeyError("missing")
    try:
        if text.startswith("{"):
            data = json.loads(text)
            raw_keys = data["keys"] if isinstance(data, dict) and "keys" in data else [data]
            if not isinstance(raw_keys, list):
                raise InvalidKeyError("format")
            if any(isinstance(k, dict) and "d" in k for k in raw_keys):
                raise InvalidKeyError("private")
            keys = [_import_jwk(k) for k in raw_keys]
        else:
            if "PRIVATE KEY" in text:
                raise InvalidKeyError("private")
            keys = [_import_pem(text)]
    except InvalidKeyError:
        raise
    except (JoseError, ValueError, TypeError, KeyError) as error:
        raise InvalidKeyError("format") from error
    if not keys or len(keys) > MAX_KEYS:
        raise InvalidKeyError("count")
    algorithms: list[str] = []
    public = []
    for key in keys:
        if isinstance(key, RSAKey):
            if key.raw_value.key_size < 2048:
                raise InvalidKeyError("size")
            kind = "RSA"
        elif isinstance(key, ECKey) and key.curve_name == "P-256":
            kind = "EC"
        else:
            raise InvalidKeyError("type")
        if key.is_private:
            raise InvalidKeyError("private")
        jwk = key.as_dict(private=False)
        jwk.setdefault("kid", key.thumbprint())
        public.append(jwk)
        algorithms += [a for a in ALGORITHMS_FOR_KEY[kind] if a not in algorithms]
    KeySet.import_key_set({"keys": public})  # the set as a whole must load
    return {"keys": public}, algorithms


def clean_scopes(scopes: list[str] | str) -> list[str]:
    """The known scopes among `scopes`, in the platform's order.

    :raise ValueError: an unknown scope.
    """
    wanted = scopes.split() if isinstance(scopes, str) else list(scopes)
    unknown = [s for s in wanted if s not in SCOPES]
    if unknown:
        raise ValueError(f"Unknown scope: {', '.join(unknown)}")
    return [s for s in SCOPES if s in wanted]


def register_client(
    organisation: Organisation,
    *,
    name: str,
    scopes: list[str] | str,
    public_keys: str | None = None,
    created_by: User | None = None,
) -> NewClient:
    """Register a client: `private_key_jwt` with the given public keys, else a secret.

    :raise InvalidKeyError: the public keys are unusable.
    """
    client = OAuthClient(
        client_id=secrets.token_urlsafe(18),
        organisation=organisation,
        organisation_id=organisation.id,
        name=name.strip()[:120] or "API client",
        scopes=clean_scopes(scopes),
        created_by_id=created_by.id if created_by else None,
    )
    secret = None
    if public_keys:
        client.token_endpoint_auth_method = AuthMethod.private_key_jwt
        client.jwks, client.allowed_algs = parse_public_keys(public_keys)
    else:
        client.token_endpoint_auth_method = AuthMethod.client_secret_basic
        secret = SECRET_PREFIX + secrets.token_urlsafe(32)
        client.client_secret_hash = hash_secret(secret)
        client.allowed_algs = []
    db.session.add(client)
    db.session.flush()
    return NewClient(client, secret)


def replace_client_keys(client: OAuthClient, public_keys: str) -> None:
    """Rotate a `private_key_jwt` client's keys (upload old and new together to overlap).

    :raise InvalidKeyError: the public keys are unusable.
    """
    client.jwks, client.allowed_algs = parse_public_keys(public_keys)
    client.token_endpoint_auth_method = AuthMethod.private_key_jwt
    client.client_secret_hash = None
    db.session.flush()


def reset_client_secret(client: OAuthClient) -> str:
    """Issue a new secret for a `client_secret_basic` client; the old one stops working."""
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    client.client_secret_hash = hash_secret(secret)
    db.session.flush()
    return secret


def change_client_scopes(client: OAuthClient, scopes: list[str] | str) -> None:
    """Grant exactly these scopes (tokens already issued keep theirs until they expire)."""
    client.scopes = clean_scopes(scopes)
    db.session.flush()


def revoke_client(client: OAuthClient) -> None:
    """Revoke a client: no new tokens, and its current tokens are refused at once."""
    if client.revoked_at is None:
        client.revoked_at = utcnow()
        db.session.flush()
