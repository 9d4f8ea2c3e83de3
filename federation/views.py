"""Staff pages of the federation: API clients and webhooks of an organisation."""

from flask import Blueprint

bp = Blueprint("federation", __name__)
