"""Public pages of the coalition, the language redirect and the health probes."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, url_for
from sqlalchemy import text

from coalition.extensions import db
from coalition.i18n import browser_language

#: routes outside the language prefix
root = Blueprint("root", __name__)
#: public pages under /<lang>/
bp = Blueprint("coalition", __name__)


@root.get("/")
def index():
    """Send the visitor to the home page in their browser's language."""
    response = redirect(url_for("coalition.home", lang_code=browser_language()))
    response.headers["Vary"] = "Accept-Language"
    return response


@root.get("/healthz")
def healthz():
    """The process is up."""
    return jsonify(status="ok")


@root.get("/readyz")
def readyz():
    """The database answers."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any driver error means "not ready", never a 500 page
        db.session.rollback()
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


@bp.get("/")
def home():
    """What the coalition is, and the way to the search."""
    return render_template("coalition/home.html")
