"""Sign-in, sign-out, second factor, password reset and invitations."""

from flask import Blueprint

bp = Blueprint("auth", __name__)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    """Accept an invitation: choose a name and password (placeholder, being written)."""
    raise NotImplementedError


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password with a reset link (placeholder, being written)."""
    raise NotImplementedError
