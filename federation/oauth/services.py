"""Services for the OAuth clients of member systems: verbs that flush, never commit."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select

from coalition.accounts.models import User
from coalition.database import utcnow
from coalition.extensions import db
from coalition.members.models import Organisation
from federation.oauth.client_keys import parse_public_keys
from federation.oauth.models import SECRET_PREFIX, AuthMethod, OAuthClient, digest
from federation.oauth.scopes import SCOPES
from federation.oauth.server import forget_client


@dataclass
class NewClient:
    """A client just registered, with its secret (given once, never stored)."""

    client: OAuthClient
    client_secret: str | None = None


def clean_scopes(scopes: list[str] | str) -> list[str]:
    """The known scopes among `scopes`, in the platform's order.

    :raise ValueError: an unknown scope.
    """
    wanted = scopes.split() if isinstance(scopes, str) else list(scopes)
    unknown = [s for s in wanted if s not in SCOPES]
    if unknown:
        raise ValueError(f"Unknown scope: {', '.join(unknown)}")
    return [s for s in SCOPES if s in wanted]


def organisation_clients(organisation: Organisation) -> list[OAuthClient]:
    """The organisation's clients, active ones first, newest first."""
    return list(
        db.session.scalars(
            select(OAuthClient)
            .where(OAuthClient.organisation_id == organisation.id)
            .order_by(OAuthClient.revoked_at.is_not(None), OAuthClient.created_at.desc())
        )
    )


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
    :raise ValueError: an unknown scope.
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
        secret = _new_secret()
        client.client_secret_hash = digest(secret)
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
    forget_client(client.client_id)


def reset_client_secret(client: OAuthClient) -> str:
    """Issue a new secret for a `client_secret_basic` client; the old one stops working."""
    secret = _new_secret()
    client.client_secret_hash = digest(secret)
    db.session.flush()
    return secret


def change_client_scopes(client: OAuthClient, scopes: list[str] | str) -> None:
    """Grant exactly these scopes (tokens already issued keep theirs until they expire)."""
    client.scopes = clean_scopes(scopes)
    db.session.flush()
    forget_client(client.client_id)


def revoke_client(client: OAuthClient) -> None:
    """Revoke a client: no new tokens, and its current tokens are refused at once."""
    if client.revoked_at is None:
        client.revoked_at = utcnow()
        db.session.flush()
    forget_client(client.client_id)


def _new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)
