"""The coalition office's pages: applications, members, moderation."""

from flask import Blueprint

bp = Blueprint("admin", __name__)
