"""Who is signed in: loading the staff member from the session on every request."""

from __future__ import annotations

import logging

from flask import Flask, flash, g, request, session
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

from coalition import access
from coalition.accounts.models import User
from coalition.accounts.services import membership_suspended, suspension_notice
from coalition.extensions import db

security_log = logging.getLogger("coalition.security")


def load_user() -> None:
    """Put the signed-in, active user in `g.user`; a stale session signs out.

    So does the session of a user whose organisations were all suspended since they
    signed in: the next request is anonymous and says why.
    """
    g.user = None
    user_id = session.get("user_id")
    if user_id is None or request.endpoint == "static":
        return
    user = db.session.get(User, user_id)
    if user is None or not user.active or session.get("session_version") != user.session_version:
        session.clear()
        return
    if membership_suspended(user):
        session.clear()
        flash(suspension_notice(), "error")
        security_log.warning("session of user %s ended: membership suspended", user.id)
        return
    g.user = user


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, whose signing serializer is made once per set of
    keys instead of on every request (making one tests its serializer by writing a value:
    13 µs of the 300 a /healthz answer costs). A new `SECRET_KEY` or fallback makes a new
    one."""

    _made: tuple[tuple, URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        made = self._made
        if made is None or made[0] != keys:
            made = self._made = (keys, super().get_signing_serializer(app))
        return made[1]


def init_auth(app: Flask) -> None:
    """Sign the session cookie, load the user before every request and expose it to
    templates."""
    app.session_interface = CookieSessions()
    app.before_request(load_user)

    @app.context_processor
    def user_context():
        return {"current_user": g.get("user"), "access": access}
