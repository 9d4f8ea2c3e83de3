"""The platform's signing keys: stored encrypted, rotated, published as a JWKS.

One key is active (it signs new tokens); after a rotation the previous one is retiring (it
still verifies the tokens it signed until they expired), then retired. Each worker keeps
short-lived copies of the keys it reads, so that issuing and checking a token costs no
query most of the time.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from datetime import timedelta

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from flask import current_app
from joserfc.jwk import ECKey, RSAKey, import_key
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from coalition.database import utcnow
from coalition.extensions import db
from federation.oauth.issuer import LEEWAY, token_lifetime
from federation.oauth.models import KeyState, SigningKey

log = logging.getLogger(__name__)

#: the platform signs new tokens with ES256 (signing is ~30 times cheaper than RSA-2048);
#: RS256, which RFC 9068 requires every party to support, stays supported: keys stored with it
#: keep verifying, and `OAUTH_SIGNING_ALG = "RS256"` makes new keys RSA again
SIGNING_ALG = "ES256"
#: the JWK key type of each algorithm the platform signs with
SIGNING_ALGORITHMS = {"ES256": "EC", "RS256": "RSA"}
#: how long a worker trusts its copy of the public keys before reading them again
KEY_CACHE_SECONDS = 30

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


def signing_key() -> tuple[str, str, ECKey | RSAKey]:
    """(kid, alg, private key) of the key that signs new tokens.

    If SECRET_KEY changed since the key was stored, it cannot be decrypted: a new key is
    made, and the old public key keeps verifying the tokens it signed until they expire.
    """
    kid, alg, pem = _current_signing_key()
    try:
        return kid, alg, _decrypted_key(kid, alg, pem)
    except ValueError:
        log.warning("Signing key %s cannot be decrypted with SECRET_KEY; rotating.", kid)
        key = rotate_signing_key()
        return key.kid, key.alg, _private_key(key)


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


def verification_key(kid: str) -> tuple[ECKey | RSAKey, str] | None:
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
