"""Sign-in, sign-out, second factor, password reset and invitations."""

from flask import Blueprint

bp = Blueprint("auth", __name__)
