"""Signed-in sessions: starting one, the password step waiting for its code, and throttling.

Sessions are Flask's signed cookies. At sign-in the session is cleared and written anew
(`start_session`): the browser receives a brand-new cookie value, and whatever the
visitor's pre-login cookie held (or an attacker planted) is gone — that is the "new
session id" of a cookie session. A cookie carries the user's `session_version`; logout,
a password change or a reset bump that number, so every copy of an older cookie stops
authenticating (`coalition.auth.load_user` compares them), on every device.
"""

from __future__ import annotations

import logging
import time
from urllib.parse import urlsplit

from flask import current_app, g, request, session, url_for

from coalition.accounts.models import User
from coalition.accounts.services import normalise_email, record_login
from coalition.extensions import client_address, db, limiter
from coalition.mail import redacted

security_log = logging.getLogger("coalition.security")

#: how long the password step stays valid while the second factor is asked (seconds)
PENDING_TTL = 300


def start_session(user: User) -> None:
    """Sign `user` in on a brand-new session (see the module docstring)."""
    session.clear()
    session.permanent = True
    session["user_id"] = user.id
    session["session_version"] = user.session_version
    session["authenticated_at"] = int(time.time())
    record_login(user)
    g.user = user


def await_second_factor(user: User, next_url: str | None) -> None:
    """Remember, on a new session, that `user` gave the password and now owes a code."""
    session.clear()
    session["pending_user_id"] = user.id
    session["pending_version"] = user.session_version
    session["pending_at"] = int(time.time())
    session["pending_next"] = safe_next(next_url) or ""


def pending_user() -> User | None:
    """The user who gave the password less than `PENDING_TTL` ago and owes a code."""
    user_id = session.get("pending_user_id")
    if user_id is None or time.time() - session.get("pending_at", 0) > PENDING_TTL:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.session_version != session.get("pending_version"):
        return None
    return user


def safe_next(target: str | None) -> str | None:
    """`target` if it is a relative path on this site, else None (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def after_login_url(next_url: str | None) -> str:
    return safe_next(next_url) or url_for("staff.dashboard")


def login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _failed(response) -> bool:
    """Only failed attempts count against the login limits."""
    return bool(g.get("login_failed"))


def per_address() -> str:
    return f"ip:{client_address()}"


def _per_account() -> str:
    """The submitted e-mail, or on the second step the account waiting for its code."""
    email = normalise_email(request.form.get("email", ""))
    if email:
        return f"email:{email}"
    pending = session.get("pending_user_id")
    return f"user:{pending}" if pending else ""


def throttled(view):
    """Limit failed attempts per address and per account (`LOGIN_RATE_LIMIT`)."""
    for key_func, scope in ((per_address, "login-address"), (_per_account, "login-account")):
        view = limiter.limit(
            login_rate_limit, key_func=key_func, methods=["POST"], deduct_when=_failed, scope=scope
        )(view)
    return view


def fail_login(reason: str, email: str = "") -> None:
    """Count a failed attempt and write it to the security log (never the password)."""
    g.login_failed = True
    security_log.warning(
        "login failed (%s) for %s from %s",
        reason,
        redacted(email) if email else "-",
        client_address(),
    )


def refuse_suspended_login(user: User) -> None:
    """Write a refused sign-in of a suspended member's staff to the security log."""
    security_log.warning(
        "login refused (membership suspended) for user %s from %s", user.id, client_address()
    )
