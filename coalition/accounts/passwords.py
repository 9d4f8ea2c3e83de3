"""Passwords: Argon2id hashes, the rules a new password follows, changing one."""

from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

from coalition.accounts.errors import AccountError, PasswordRejected
from coalition.accounts.models import User
from coalition.extensions import db

MIN_PASSWORD_LENGTH = 12
#: longer inputs are refused before hashing (Argon2 on megabytes is a denial of service)
MAX_PASSWORD_LENGTH = 1024


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


def spend_a_hash(password: str) -> None:
    """Hash for nothing, so that a missing account takes as long as a wrong password."""
    _hasher().hash(password[:MAX_PASSWORD_LENGTH] or "x")


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


def acceptable_hash(password: str | None, email: str) -> str:
    """The hash of a new account's password.

    :raise PasswordRejected: the password breaks the rules.
    """
    problems = password_problems(password or "", email)
    if problems:
        raise PasswordRejected(problems)
    return hash_password(password)


def set_password(user: User, password: str) -> None:
    """Give the user a new password and end their other sessions.

    :raise PasswordRejected: the password breaks the rules.
    """
    user.password_hash = acceptable_hash(password, user.email)
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
