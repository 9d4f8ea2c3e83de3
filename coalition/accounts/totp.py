"""The second factor: time-based one-time codes (TOTP) from an authenticator app."""

from __future__ import annotations

import base64
import secrets
import time

import pyotp
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

from coalition.access import Role
from coalition.accounts.models import User
from coalition.audit.services import record
from coalition.extensions import db

TOTP_ISSUER = "Mentoring coalition"
#: TOTP codes of the previous and next 30-second step are accepted (clock drift)
TOTP_WINDOW = 1
#: how long a secret shown for enrolment can be confirmed, in seconds
TOTP_ENROLMENT_TTL = 600


def totp_required(user: User) -> bool:
    """Admins must use a second factor outside demo mode.

    `ADMIN_TOTP_REQUIRED=False` (refused in production) lets the test suite sign admins in
    without enrolling them; the tests of this rule turn it back on.
    """
    config = current_app.config
    if config.get("DEMO_MODE") or not config.get("ADMIN_TOTP_REQUIRED", True):
        return False
    return user.is_coalition_admin or any(r.role == Role.org_admin for r in user.roles)


def new_totp_secret() -> str:
    """A fresh base32 TOTP secret (shown to the user for enrolment, stored once confirmed)."""
    return pyotp.random_base32()


def _enrolment_cipher(user: User) -> Fernet:
    """Fernet (AES-CBC + HMAC) under a key for TOTP enrolment of this user only.

    The key is derived from `SECRET_KEY` with HKDF and a purpose label naming the user, so
    a sealed secret opens for no other user and no other use of the key.
    """
    secret_key = current_app.config["SECRET_KEY"]
    if isinstance(secret_key, str):
        secret_key = secret_key.encode()
    key = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=None,
        info=f"coalition totp-enrolment v1 user:{user.id}".encode(),
    ).derive(secret_key)
    return Fernet(base64.urlsafe_b64encode(key))


def seal_enrolment_secret(user: User, secret: str, issued_at: int | None = None) -> str:
    """The unconfirmed TOTP secret, encrypted for the session cookie (which is readable).

    :param issued_at: Unix time of sealing (now by default; tests seal in the past).
    """
    issued_at = int(time.time()) if issued_at is None else issued_at
    return _enrolment_cipher(user).encrypt_at_time(secret.encode(), issued_at).decode()


def open_enrolment_secret(user: User, sealed: str | None) -> str | None:
    """The secret sealed for this user, if it was sealed less than `TOTP_ENROLMENT_TTL` ago.

    None if it is missing, expired, another user's or tampered with.
    """
    if not sealed:
        return None
    try:
        return _enrolment_cipher(user).decrypt(sealed.encode(), ttl=TOTP_ENROLMENT_TTL).decode()
    except (InvalidToken, UnicodeError):
        return None


def totp_provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// URI that authenticator apps read from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=TOTP_ISSUER)


def totp_qr_svg(uri: str) -> str:
    """The QR code of `uri` as an inline SVG element (made here, nothing fetched)."""
    import segno  # only for enrolment: not loaded by every worker at start

    return segno.make(uri, error="m").svg_inline(scale=4, border=2, dark="#000", light="#fff")


def _matching_step(secret: str, code: str) -> int | None:
    """The time step whose code is `code`, within the accepted window, else None."""
    code = (code or "").replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    step = int(time.time() // totp.interval)
    for candidate in range(step - TOTP_WINDOW, step + TOTP_WINDOW + 1):
        if secrets.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None


def verify_totp(user: User, code: str) -> bool:
    """Whether `code` is the user's current TOTP code and was not used before."""
    if not user.totp_secret:
        return False
    step = _matching_step(user.totp_secret, code)
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        return False
    user.totp_last_step = step
    db.session.flush()
    return True


def enable_totp(user: User, secret: str, code: str) -> bool:
    """Confirm enrolment with a first code from the app; False if the code is wrong."""
    step = _matching_step(secret, code)
    if step is None:
        return False
    user.totp_secret = secret
    user.totp_last_step = step
    db.session.flush()
    record("user.totp_enable", actor=user, target=user)
    return True


def disable_totp(user: User) -> None:
    """Remove the second factor."""
    user.totp_secret = None
    user.totp_last_step = None
    db.session.flush()
    record("user.totp_disable", actor=user, target=user)
