"""Editors' pages for their organisation's programmes."""

from flask import Blueprint

bp = Blueprint("programmes", __name__)
