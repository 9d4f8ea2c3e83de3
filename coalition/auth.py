"""Who is signed in: loading the staff member from the session on every request."""

from __future__ import annotations

from flask import Flask, g, request, session

from coalition.extensions import db
from coalition.models import User


def load_user() -> None:
    """Put the signed-in, active user in `g.user`; a stale session signs out."""
    g.user = None
    user_id = session.get("user_id")
    if user_id is None or request.endpoint == "static":
        return
    user = db.session.get(User, user_id)
    if user is None or not user.active or session.get("session_version") != user.session_version:
        session.clear()
        return
    g.user = user


def init_auth(app: Flask) -> None:
    """Load the user before every request and expose it to templates."""
    app.before_request(load_user)

    @app.context_processor
    def user_context():
        from coalition import access

        return {"current_user": g.get("user"), "access": access}
