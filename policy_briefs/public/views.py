"""Public brief pages: `/<lang>/briefs/`, `/<lang>/briefs/<slug>`, its PDF, the Atom feed."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template

from coalition.database import utcnow
from coalition.i18n import current_language
from policy_briefs.public import services

bp = Blueprint("policy_briefs", __name__)

#: the part's static files (editor script, print style, the PDF's fonts) at /static/briefs/
assets = Blueprint(
    "policy_briefs_assets",
    __name__,
    static_folder=str(Path(__file__).resolve().parent.parent / "static"),
    static_url_path="/static/briefs",
)


@bp.get("/")
def index():
    """Every published brief, in the visitor's language where it has a version in it."""
    return render_template(
        "policy_briefs/public/index.html", briefs=services.public_briefs(current_language())
    )


def _published(slug: str) -> services.PublishedBrief:
    found = services.published(slug)
    if found is None:
        abort(404)
    return found


@bp.get("/<slug>")
def brief(slug: str):
    """A published brief: its text as signed, the signatories, date and content hash."""
    return render_template("policy_briefs/public/brief.html", published=_published(slug))


@bp.get("/<slug>.pdf")
def pdf(slug: str):
    """The same content as a PDF."""
    published = _published(slug)
    html = render_template("policy_briefs/public/pdf.html", published=published)
    # WeasyPrint (with its fonts and images libraries) weighs about 35 MB: a web worker
    # loads it with the first PDF it writes, not at start.
    from policy_briefs.pdf import write_pdf

    response = Response(write_pdf(html, current_app), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{slug}.pdf"'
    return response


@bp.get("/feed.atom")
def feed():
    """The published briefs as an Atom feed."""
    briefs = services.public_briefs(current_language())
    updated = max((b.withdrawn_at or b.published_at for b in briefs), default=utcnow())
    body = render_template(
        "policy_briefs/public/feed.xml", briefs=briefs, updated=updated, summary=services.summary
    )
    return Response(body, mimetype="application/atom+xml")
