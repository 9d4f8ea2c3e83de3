"""Staff accounts: passwords, invitations, sign-in, password reset, TOTP and roles.

Every function here flushes and never commits: the calling view (or command) commits once.
Tokens sent by mail are random, shown once, and stored only as their SHA-256.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from collections.abc import Iterable
from datetime import timedelta

import pyotp
import segno
from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from coalition.extensions import db
from coalition.mail import public_url, render_mail, send_mail
from coalition.models import (
    Invitation,
    Organisation,
    OrganisationRole,
    PasswordResetToken,
    Role,
    User,
)
from coalition.models.base import utcnow
from coalition.services import audit

MIN_PASSWORD_LENGTH = 12
#: longer inputs are refused before hashing (Argon2 on megabytes is a denial of service)
MAX_PASSWORD_LENGTH = 1024
TOTP_ISSUER = "Mentoring coalition"
#: TOTP codes of the previous and next 30-second step are accepted (clock drift)
TOTP_WINDOW = 1
#: how long a secret shown for enrolment can be confirmed, in seconds
TOTP_ENROLMENT_TTL = 600


class AccountError(ValueError):
    """A request about an account that cannot be honoured; `str()` is shown to the user."""


class TokenInvalid(AccountError):
    """The invitation or reset link is unknown, used, revoked or expired."""


class PasswordRejected(AccountError):
    """The new password breaks the password rules; `problems` lists why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


# --- passwords -----------------------------------------------------------------------


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"],
        memory_cost=config["ARGON2_MEMORY_COST"],
        type=Type.ID,
    )


def hash_password(password: str) -> str:
    """An Argon2id hash of `password` with the configured parameters."""
    return _hasher().hash(password)


def verify_password(user: User, password: str) -> bool:
    """Whether `password` is the user's; rehashes it when the parameters changed."""
    if not user.password_hash or len(password) > MAX_PASSWORD_LENGTH:
        return False
    hasher = _hasher()
    try:
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
        db.session.flush()
    return True


def password_problems(password: str, email: str) -> list[str]:
    """What is wrong with `password` as a new password for `email` (empty: acceptable)."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(_("Use at least %(count)d characters.", count=MIN_PASSWORD_LENGTH))
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.append(_("Use at most %(count)d characters.", count=MAX_PASSWORD_LENGTH))
    if password.strip().lower() == (email or "").strip().lower():
        problems.append(_("Your password cannot be your e-mail address."))
    return problems


def set_password(user: User, password: str) -> None:
    """Give the user a new password and end their other sessions.

    :raise PasswordRejected: the password breaks the rules.
    """
    problems = password_problems(password, user.email)
    if problems:
        raise PasswordRejected(problems)
    user.password_hash = hash_password(password)
    user.session_version = (user.session_version or 0) + 1
    db.session.flush()


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Change the password after checking the current one.

    :raise AccountError: the current password is wrong.
    :raise PasswordRejected: the new password breaks the rules.
    """
    if not verify_password(user, current_password):
        raise AccountError(_("Your current password is not correct."))
    set_password(user, new_password)


# --- tokens ----------------------------------------------------------------------------


def new_token() -> tuple[str, str]:
    """A random URL-safe token and its SHA-256 (the only thing stored)."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    """The SHA-256 hex digest under which a token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    """Login e-mails are compared trimmed and lower-cased."""
    return (email or "").strip().lower()


def find_user(email: str) -> User | None:
    """The account with this e-mail, if any."""
    return db.session.execute(
        select(User).where(User.email == normalise_email(email))
    ).scalar_one_or_none()


# --- invitations -----------------------------------------------------------------------


def invite_user(
    email: str,
    name: str,
    organisation: Organisation | None,
    roles: Iterable[Role | str],
    invited_by: User | None,
    language: str,
    coalition_admin: bool = False,
) -> tuple[Invitation, str]:
    """Invite a person to the organisation with `roles` and mail them the accept link.

    Returns the invitation and the token (the token is never stored, only its hash).
    :param organisation: None only for an invitation to the coalition's office.
    :param invited_by: the staff member who invites; None for the platform itself.
    :param language: the invitee's language, for the mail and the accept page.
    """
    roles = sorted({Role(r).value for r in roles})
    if organisation is None and not coalition_admin:
        raise AccountError(_("Choose an organisation for this invitation."))
    if language not in current_app.config["LANGUAGES"]:
        language = current_app.config["BABEL_DEFAULT_LOCALE"]
    token, digest = new_token()
    ttl = current_app.config["INVITATION_TTL_SECONDS"]
    invitation = Invitation(
        token_hash=digest,
        email=normalise_email(email),
        name=(name or "").strip(),
        organisation_id=organisation.id if organisation is not None else None,
        roles=roles,
        coalition_admin=coalition_admin,
        invited_by_id=invited_by.id if invited_by is not None else None,
        language=language,
        expires_at=utcnow() + timedelta(seconds=ttl),
    )
    db.session.add(invitation)
    db.session.flush()
    link = public_url("auth.accept_invitation", lang_code=language, token=token)
    org_name = organisation.display_name(language) if organisation is not None else None
    with force_locale(language):
        subject = _("Your invitation to the mentoring coalition platform")
    body = render_mail(
        "invitation",
        language,
        name=invitation.name,
        organisation=org_name,
        roles=roles,
        coalition_admin=coalition_admin,
        link=link,
        expires_at=invitation.expires_at,
        inviter=invited_by.name if invited_by else None,
    )
    send_mail(invitation.email, subject, body, language)
    audit.record(
        "user.invite",
        actor=invited_by,
        organisation=organisation,
        target=invitation,
        email=invitation.email,
        roles=roles,
        coalition_admin=coalition_admin,
    )
    return invitation, token


def pending_invitation(token: str) -> Invitation:
    """The invitation this token opens.

    :raise TokenInvalid: unknown, already accepted, revoked or expired.
    """
    invitation = db.session.execute(
        select(Invitation).where(Invitation.token_hash == token_hash(token or ""))
    ).scalar_one_or_none()
    if (
        invitation is None
        or invitation.accepted_at is not None
        or invitation.revoked_at is not None
        or invitation.expires_at <= utcnow()
    ):
        raise TokenInvalid(_("This invitation link is not valid any more. Ask for a new one."))
    return invitation


def pending_invitations(organisation: Organisation) -> list[Invitation]:
    """The organisation's invitations still waiting for an answer, newest first."""
    return list(
        db.session.execute(
            select(Invitation)
            .where(
                Invitation.organisation_id == organisation.id,
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > utcnow(),
            )
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        ).scalars()
    )


def revoke_invitation(invitation: Invitation, actor: User | None) -> None:
    """Withdraw an invitation: its link stops working."""
    if invitation.revoked_at is None and invitation.accepted_at is None:
        invitation.revoked_at = utcnow()
        db.session.flush()
        audit.record(
            "invitation.revoke",
            actor=actor,
            organisation=invitation.organisation_id,
            target=invitation,
            email=invitation.email,
        )


def accept_invitation(token: str, name: str | None, password: str | None) -> User:
    """Accept an invitation: create the account (or extend an existing one) with its roles.

    An existing user with the invited e-mail keeps their name and password and just
    gains the roles. The invitation can be used once.
    :raise TokenInvalid: the link is unknown, used, revoked or expired.
    :raise PasswordRejected: a new account's password breaks the rules.
    """
    invitation = pending_invitation(token)
    organisation = invitation.organisation
    if organisation is not None and organisation.admitted_at is None:
        raise AccountError(
            _(
                "The membership of %(name)s in the coalition is suspended: this invitation "
                "can be accepted once it is readmitted. Please contact the coalition office.",
                name=organisation.display_name(invitation.language),
            )
        )
    user = find_user(invitation.email)
    if user is None:
        name = (name or "").strip() or invitation.name
        if not name:
            raise AccountError(_("Please enter your name."))
        problems = password_problems(password or "", invitation.email)
        if problems:
            raise PasswordRejected(problems)
        user = User(
            email=invitation.email,
            name=name,
            password_hash=hash_password(password),
            language=invitation.language,
            session_version=1,
        )
        db.session.add(user)
        db.session.flush()
    if invitation.coalition_admin:
        user.is_coalition_admin = True
    if invitation.organisation_id is not None:
        for role in invitation.roles:
            _add_role(user, invitation.organisation_id, Role(role))
    invitation.accepted_at = utcnow()
    db.session.flush()
    audit.record(
        "invitation.accept",
        actor=user,
        organisation=invitation.organisation_id,
        target=invitation,
        roles=list(invitation.roles),
    )
    return user


# --- sign-in ---------------------------------------------------------------------------


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None."""
    user = find_user(email)
    if user is None or not user.password_hash:
        # Hash anyway, so that a missing account takes as long as a wrong password.
        _hasher().hash(password[:MAX_PASSWORD_LENGTH] or "x")
        return None
    if not verify_password(user, password) or not user.active:
        return None
    return user


def membership_suspended(user: User) -> bool:
    """Whether every organisation the user holds a role in is suspended.

    Such a user may not be signed in. A coalition admin, a user with a role in a current
    member, or one without any role (there is nothing to suspend) may.
    """
    if user.is_coalition_admin:
        return False
    admitted = db.session.scalars(
        select(Organisation.admitted_at)
        .join(OrganisationRole, OrganisationRole.organisation_id == Organisation.id)
        .where(OrganisationRole.user_id == user.id)
    ).all()
    return bool(admitted) and all(when is None for when in admitted)


def suspension_notice() -> str:
    """What a user whose organisations are all suspended reads instead of signing in."""
    return _(
        "The membership of your organisation in the coalition is suspended, so you cannot "
        "sign in for now. Please contact the coalition office."
    )


def record_login(user: User) -> None:
    """Remember when the user last signed in."""
    user.last_login_at = utcnow()
    db.session.flush()


def totp_required(user: User) -> bool:
    """Admins must use a second factor outside demo mode.

    `ADMIN_TOTP_REQUIRED=False` (refused in production) lets the test suite sign admins in
    without enrolling them; the tests of this rule turn it back on.
    """
    config = current_app.config
    if config.get("DEMO_MODE") or not config.get("ADMIN_TOTP_REQUIRED", True):
        return False
    return user.is_coalition_admin or any(r.role == Role.org_admin for r in user.roles)


def end_all_sessions(user: User) -> None:
    """Invalidate every signed session cookie of the user (they carry the old version)."""
    user.session_version = (user.session_version or 0) + 1
    db.session.flush()


# --- password reset --------------------------------------------------------------------


def start_password_reset(email: str) -> None:
    """Mail a reset link if an active account has this e-mail; otherwise do nothing.

    The caller answers the same whatever happened, so accounts cannot be discovered.
    """
    user = find_user(email)
    if user is None or not user.active:
        return
    token, digest = new_token()
    ttl = current_app.config["PASSWORD_RESET_TTL_SECONDS"]
    reset = PasswordResetToken(
        user_id=user.id, token_hash=digest, expires_at=utcnow() + timedelta(seconds=ttl)
    )
    db.session.add(reset)
    db.session.flush()
    language = user.language if user.language in current_app.config["LANGUAGES"] else "fr"
    link = public_url("auth.reset_password", lang_code=language, token=token)
    with force_locale(language):
        subject = _("Reset your password")
    body = render_mail("password_reset", language, name=user.name, link=link, minutes=ttl // 60)
    send_mail(user.email, subject, body, language)


def valid_reset_token(token: str) -> PasswordResetToken:
    """The unused, unexpired reset request this token opens.

    :raise TokenInvalid: unknown, used or expired.
    """
    reset = db.session.execute(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == token_hash(token or ""))
    ).scalar_one_or_none()
    if reset is None or reset.used_at is not None or reset.expires_at <= utcnow():
        raise TokenInvalid(_("This reset link is not valid any more. Ask for a new one."))
    return reset


def reset_password(token: str, new_password: str) -> User:
    """Set a new password with a reset token; the token and the user's sessions end.

    :raise TokenInvalid: the token is unknown, used or expired.
    :raise PasswordRejected: the password breaks the rules.
    """
    reset = valid_reset_token(token)
    user = reset.user
    set_password(user, new_password)
    now = utcnow()
    # Every outstanding link of this user dies with the one used.
    for other in db.session.execute(
        select(PasswordResetToken).where(
            PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None)
        )
    ).scalars():
        other.used_at = now
    db.session.flush()
    return user


# --- second factor ---------------------------------------------------------------------


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
    audit.record("user.totp_enable", actor=user, target=user)
    return True


def disable_totp(user: User) -> None:
    """Remove the second factor."""
    user.totp_secret = None
    user.totp_last_step = None
    db.session.flush()
    audit.record("user.totp_disable", actor=user, target=user)


# --- roles -----------------------------------------------------------------------------


def _add_role(user: User, organisation_id: int, role: Role) -> bool:
    if any(r.organisation_id == organisation_id and r.role == role for r in user.roles):
        return False
    user.roles.append(OrganisationRole(organisation_id=organisation_id, role=role))
    db.session.flush()
    return True


def grant_role(
    user: User, organisation: Organisation, role: Role | str, actor: User | None
) -> None:
    """Give the user `role` in the organisation (nothing happens if they hold it)."""
    role = Role(role)
    if _add_role(user, organisation.id, role):
        audit.record(
            "role.grant", actor=actor, organisation=organisation, target=user, role=role.value
        )


def revoke_role(
    user: User, organisation: Organisation, role: Role | str, actor: User | None
) -> None:
    """Take `role` in the organisation away from the user.

    :raise AccountError: it is the organisation's last administrator.
    """
    role = Role(role)
    held = [r for r in user.roles if r.organisation_id == organisation.id and r.role == role]
    if not held:
        return
    if role == Role.org_admin:
        admins = (
            db.session.execute(
                select(OrganisationRole).where(
                    OrganisationRole.organisation_id == organisation.id,
                    OrganisationRole.role == Role.org_admin,
                )
            )
            .scalars()
            .all()
        )
        if len(admins) <= 1:
            raise AccountError(_("An organisation keeps at least one administrator."))
    for entry in held:
        user.roles.remove(entry)
    db.session.flush()
    audit.record(
        "role.revoke", actor=actor, organisation=organisation, target=user, role=role.value
    )


def create_coalition_admin(
    email: str, name: str, password: str | None, actor: User | None = None
) -> User:
    """Create a coalition admin, or make the existing account with this e-mail one.

    :raise PasswordRejected: a new account's password breaks the rules.
    """
    user = find_user(email)
    if user is None:
        email = normalise_email(email)
        problems = password_problems(password or "", email)
        if problems:
            raise PasswordRejected(problems)
        user = User(
            email=email,
            name=name.strip(),
            password_hash=hash_password(password),
            is_coalition_admin=True,
            session_version=1,
        )
        db.session.add(user)
        db.session.flush()
    elif not user.is_coalition_admin:
        user.is_coalition_admin = True
        db.session.flush()
    else:
        return user
    audit.record("user.make_coalition_admin", actor=actor, target=user, email=user.email)
    return user
