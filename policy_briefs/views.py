"""Policy brief pages (the part is not built yet: its blueprint only)."""

from flask import Blueprint

bp = Blueprint("policy_briefs", __name__)
