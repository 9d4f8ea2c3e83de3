"""Staff accounts: finding and creating them, signing in, resetting a password, roles.

Every function here flushes and never commits: the calling view (or command) commits once.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from coalition.access import Role
from coalition.accounts.errors import AccountError, TokenInvalid
from coalition.accounts.models import OrganisationRole, PasswordResetToken, User
from coalition.accounts.passwords import (
    acceptable_hash,
    set_password,
    spend_a_hash,
    verify_password,
)
from coalition.audit.services import record
from coalition.database import utcnow
from coalition.extensions import db
from coalition.mail import public_url, render_mail, send_mail

if TYPE_CHECKING:
    from coalition.members.models import Organisation

# --- tokens and look-ups -----------------------------------------------------------------


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


def mail_language(user: User) -> str:
    """The language mails to `user` are written in: theirs, if the platform speaks it."""
    return user.language if user.language in current_app.config["LANGUAGES"] else "fr"


# --- creating accounts -------------------------------------------------------------------


def new_user(email: str, name: str, password: str | None, **fields: Any) -> User:
    """A new account with this e-mail, name and password.

    :raise PasswordRejected: the password breaks the rules.
    """
    email = normalise_email(email)
    user = User(
        email=email,
        name=name.strip(),
        password_hash=acceptable_hash(password, email),
        session_version=1,
        **fields,
    )
    db.session.add(user)
    db.session.flush()
    return user


def create_coalition_admin(
    email: str, name: str, password: str | None, actor: User | None = None
) -> User:
    """Create a coalition admin, or make the existing account with this e-mail one.

    :raise PasswordRejected: a new account's password breaks the rules.
    """
    user = find_user(email)
    if user is None:
        user = new_user(email, name, password, is_coalition_admin=True)
    elif not user.is_coalition_admin:
        user.is_coalition_admin = True
        db.session.flush()
    else:
        return user
    record("user.make_coalition_admin", actor=actor, target=user, email=user.email)
    return user


def create_staff_account(
    email: str,
    name: str,
    password: str | None,
    organisation: Organisation,
    roles: Iterable[Role | str],
    actor: User | None = None,
) -> User:
    """Give a person `roles` in the organisation without an invitation (operators, the demo).

    An existing account with this e-mail keeps its name and password and gains the roles.
    :raise PasswordRejected: a new account's password breaks the rules.
    """
    user = find_user(email)
    if user is None:
        user = new_user(email, name, password)
        record("user.create", actor=actor, organisation=organisation, target=user, email=email)
    for role in roles:
        grant_role(user, organisation, role, actor)
    return user


# --- sign-in -----------------------------------------------------------------------------


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None."""
    user = find_user(email)
    if user is None or not user.password_hash:
        spend_a_hash(password)
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
    return bool(user.roles) and not any(role.organisation.is_admitted for role in user.roles)


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


def end_all_sessions(user: User) -> None:
    """Invalidate every signed session cookie of the user (they carry the old version)."""
    user.session_version = (user.session_version or 0) + 1
    db.session.flush()


# --- password reset ----------------------------------------------------------------------


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
    language = mail_language(user)
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


# --- roles -------------------------------------------------------------------------------


def add_role(user: User, organisation_id: int, role: Role) -> bool:
    """Give the user `role` in the organisation unless they hold it; whether it was new."""
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
    if add_role(user, organisation.id, role):
        record("role.grant", actor=actor, organisation=organisation, target=user, role=role.value)


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
        admins = db.session.scalars(
            select(OrganisationRole.id).where(
                OrganisationRole.organisation_id == organisation.id,
                OrganisationRole.role == Role.org_admin,
            )
        ).all()
        if len(admins) <= 1:
            raise AccountError(_("An organisation keeps at least one administrator."))
    for entry in held:
        user.roles.remove(entry)
    db.session.flush()
    record("role.revoke", actor=actor, organisation=organisation, target=user, role=role.value)


def staff_of(organisation: Organisation) -> list[tuple[User, list[Role]]]:
    """The organisation's staff and their roles there, by name."""
    rows = db.session.execute(
        select(User, OrganisationRole.role)
        .join(OrganisationRole, OrganisationRole.user_id == User.id)
        .where(OrganisationRole.organisation_id == organisation.id)
        .order_by(User.name, User.id)
    ).all()
    people: dict[int, tuple[User, list[Role]]] = {}
    for user, role in rows:
        people.setdefault(user.id, (user, []))[1].append(role)
    return [(user, sorted(roles)) for user, roles in people.values()]
