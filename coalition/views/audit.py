"""The audit log, for the coalition admin."""

from flask import Blueprint

bp = Blueprint("audit", __name__)
