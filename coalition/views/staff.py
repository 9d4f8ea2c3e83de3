"""The staff workspace of an organisation: dashboard, profile, branches and people."""

from flask import Blueprint

bp = Blueprint("staff", __name__)
