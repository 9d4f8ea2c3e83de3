"""Public search and programme pages, the embeddable search widget, and the coalition
office's page of the searches that found nothing."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, render_template, request, session, url_for
from flask_babel import gettext as _
from markupsafe import escape

from coalition import taxonomy
from coalition.access import coalition_admin_required
from coalition.config import LANGUAGES
from coalition.i18n import current_language, text_and_language
from coalition.programmes.models import Programme
from coalition.security import allow_framing
from search.json_ld import json_ld, programme_json_ld, safe_url
from search.mentor_page import mentor_page
from search.search_page import search_page
from search.services import Visibility, admitted_organisation, find_programme
from search.zero_results import zero_result_summary

bp = Blueprint("search", __name__)
admin_bp = Blueprint("search_admin", __name__)

#: the periods the office may look back over (days)
PERIODS = (7, 30, 90, 365)


@bp.get("/programmes")
def programmes():
    """Search the directory: text, filters, distance, facets, pages."""
    context = search_page("search.programmes")
    return render_template("search/programmes.html", **context), context["status"]


@bp.get("/mentor")
def mentor():
    """Become a mentor: the programmes that seek mentors now, near a postcode, by field of
    experience, language and time."""
    context = mentor_page("search.mentor")
    return render_template("search/mentor.html", **context), context["status"]


def texts_of(programme: Programme, lang: str) -> dict[str, str]:
    """`title_text`, `title_lang`, `summary_…`, `description_…` for the programme page."""
    texts = {}
    for name, field in (
        ("title", "titles"),
        ("summary", "summaries"),
        ("description", "descriptions"),
    ):
        texts[f"{name}_text"], texts[f"{name}_lang"] = text_and_language(
            getattr(programme, field), lang
        )
    return texts


def back_to_search() -> str:
    """The search the visitor came from (same query, filters and page), else the search
    page: from the Referer, kept only when it is this site's own search page."""
    search_path = url_for("search.programmes")
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path == search_path:
        return search_path + (f"?{referrer.query}" if referrer.query else "")
    return search_path


@bp.get("/programmes/<uuid:programme_uuid>")
def programme(programme_uuid: uuid.UUID):
    """One published programme: what, for whom, where, how to apply."""
    item, visibility = find_programme(programme_uuid)
    if visibility is not Visibility.public:
        abort(visibility.value)
    lang = current_language()
    url = current_app.config["PUBLIC_URL"] + url_for("search.programme", programme_uuid=item.uuid)
    return render_template(
        "search/programme.html",
        programme=item,
        lang=lang,
        **texts_of(item, lang),
        apply_url=safe_url(item.apply_url),
        json_ld=json_ld(programme_json_ld(item, lang, url)),
        label=taxonomy.label,
        back_url=back_to_search(),
    )


@bp.get("/widget")
def widget():
    """The compact search made to be framed by a member's own site; sets no cookie."""
    allow_framing()
    slug = request.args.get("org") or ""
    org = admitted_organisation(slug)
    if slug.strip() and org is None:
        abort(404)
    context = search_page("search.widget", org=org)
    keep_session_cookie_unset()
    return render_template("search/widget.html", **context), context["status"]


def keep_session_cookie_unset() -> None:
    """Make sure this response sets no cookie, even for a visitor who is signed in."""
    if session:
        session.permanent = False  # a permanent session would be refreshed on every response
        session.modified = False


@bp.get("/widget/embed")
def widget_embed():
    """How a member puts the search widget on its site: the snippet to copy."""
    base = current_app.config["PUBLIC_URL"]
    org = admitted_organisation(request.args.get("org") or "")
    src = base + (url_for("search.widget", org=org.slug) if org else url_for("search.widget"))
    snippet = (
        f'<iframe src="{escape(src)}" title="{escape(_("Find a mentoring programme"))}" '
        'width="100%" height="600" loading="lazy" style="border:0" '
        'referrerpolicy="strict-origin-when-cross-origin"></iframe>'
    )
    return render_template("search/widget_embed.html", snippet=snippet, org=org, src=src)


@admin_bp.get("/zero-results")
@coalition_admin_required
def zero_results():
    """The most frequent searches that found nothing, per language, over a period."""
    days = request.args.get("days", type=int)
    days = days if days in PERIODS else 30
    lang = request.args.get("lang")
    lang = lang if lang in LANGUAGES else None
    rows = zero_result_summary(days=days, lang=lang)
    return render_template(
        "search/admin_zero_results.html", rows=rows, days=days, periods=PERIODS, lang=lang
    )


def programme_text(texts: dict[str, str] | None) -> tuple[str, str]:
    """A programme text in the page's language, else another, with its language."""
    return text_and_language(texts, current_language())
