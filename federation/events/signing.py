"""Webhook signatures and the secrets that make them.

A delivery is signed with HMAC-SHA-256 over ``"{timestamp}.{body}"`` and sent with
``Webhook-Signature: v1=<hex>`` (two signatures, space-separated, for a day after a secret
rotation). Secrets are needed to sign, so they are stored encrypted with a key derived from
SECRET_KEY, and shown once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import timedelta

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

from coalition.database import utcnow
from federation.events.models import Webhook

#: how long the previous secret still signs after a rotation
ROTATION_OVERLAP = timedelta(hours=24)


def _fernet() -> Fernet:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"federation-webhook-secrets"
    ).derive(current_app.config["SECRET_KEY"].encode())
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(secret: str) -> str:
    """The secret as stored."""
    return _fernet().encrypt(secret.encode()).decode()


def _decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:  # SECRET_KEY changed: the secret must be rotated
        raise RuntimeError("webhook secret cannot be decrypted") from error


def new_secret() -> str:
    """A fresh signing secret."""
    return "whsec_" + secrets.token_urlsafe(32)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA-256 of ``"{timestamp}.{body}"`` under `secret`."""
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signature_header(webhook: Webhook, timestamp: int, body: bytes) -> str:
    """``v1=<hex>``, plus the previous secret's signature while it is still valid."""
    signatures = [sign(_decrypt(webhook.secret_encrypted), timestamp, body)]
    if (
        webhook.previous_secret_encrypted
        and webhook.previous_secret_expires_at
        and (webhook.previous_secret_expires_at > utcnow())
    ):
        signatures.append(sign(_decrypt(webhook.previous_secret_encrypted), timestamp, body))
    return " ".join(f"v1={s}" for s in signatures)
