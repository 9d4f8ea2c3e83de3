"""Public search and programme pages, and the embeddable search widget."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode, urlsplit

import nh3
from flask import Blueprint, abort, current_app, render_template, request, session, url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from coalition import taxonomy
from coalition.extensions import db
from coalition.i18n import current_language
from coalition.models import Organisation, Programme, ProgrammeLocation, ProgrammeStatus
from coalition.security import allow_framing
from search.services import (
    DEFAULT_RADIUS_KM,
    FACETS,
    SORTS,
    SearchParamError,
    SearchResults,
    facet_label,
    parse_search_params,
    search_programmes,
)
from search.zero_results import count_zero_result

bp = Blueprint("search", __name__)

#: the only tags a highlighted snippet may keep (the engine's highlight markers)
HIGHLIGHT_TAGS = {"mark", "b"}
#: facets shown as checkboxes (codes from a vocabulary); the others are links
CHECKBOX_FACETS = ("theme", "audience", "format", "language", "cost")
RADII = (5, 10, 25, 50, 100)
#: query parameters the page passes on (pagination, filter links)
PAGE_PARAMS = (
    "q",
    "theme",
    "audience",
    "format",
    "language",
    "cost",
    "city",
    "province",
    "near",
    "country",
    "radius_km",
    "age",
    "open",
    "sort",
    "per_page",
    "org",
)


def field_errors_for(error: SearchParamError) -> dict[str, str]:
    """The message shown beside the field that was wrong, in the visitor's language."""
    messages = {
        "q": _("This search text cannot be used."),
        "theme": _("Choose themes from the list."),
        "audience": _("Choose target groups from the list."),
        "format": _("Choose formats from the list."),
        "language": _("Choose languages from the list."),
        "cost": _("Choose costs from the list."),
        "age": _("Enter an age between 0 and 120."),
        "near": _("We do not know this postcode or city. Check it, or leave the field empty."),
        "radius_km": _("Choose a distance between 1 and 500 km."),
        "country": _("Choose Belgium, France or the Netherlands."),
        "sort": _("Choose an order from the list."),
        "page": _("This page of results does not exist."),
        "per_page": _("Choose how many results to show per page."),
    }
    return {error.param: messages.get(error.param, _("This value cannot be used."))}


def safe_snippet(html: str | None) -> Markup | None:
    """A highlighted snippet with every tag but the highlight markers removed."""
    if not html:
        return None
    return Markup(nh3.clean(html, tags=HIGHLIGHT_TAGS, attributes={}))  # noqa: S704 - sanitised


def query_url(endpoint: str, args: list[tuple[str, str]]) -> str:
    """The address of `endpoint` with these query parameters (in this order)."""
    query = urlencode([(k, v) for k, v in args if v not in (None, "")])
    base = url_for(endpoint)
    return f"{base}?{query}" if query else base


class SearchPage:
    """What the search templates need to build links: the current query, editable."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self.args = [(k, v) for k in PAGE_PARAMS for v in request.args.getlist(k)]

    def has(self, name: str, value: str) -> bool:
        """Whether the filter `name` has `value` selected."""
        return value in self.values(name)

    def values(self, name: str) -> list[str]:
        """The values given for a filter (repeated or comma-separated)."""
        return [c for k, v in self.args if k == name for c in v.split(",") if c]

    def url(self, drop: tuple[str, ...] = ("page",), **changes: Any) -> str:
        """This search with parameters replaced (a value of None removes the parameter)."""
        args = [(k, v) for k, v in self.args if k not in changes and k not in drop]
        for key, value in changes.items():
            if value is None:
                continue
            for item in value if isinstance(value, list) else [value]:
                args.append((key, str(item)))
        return query_url(self.endpoint, args)

    def toggle_url(self, name: str, value: str) -> str:
        """This search with one filter value added, or removed if it was there."""
        current = self.values(name)
        chosen = [c for c in current if c != value] if value in current else [*current, value]
        return self.url(**{name: chosen or None})

    def page_url(self, page: int) -> str:
        return self.url(drop=(), page=page)


def load_programmes(results: SearchResults) -> list[tuple[Any, Programme]]:
    """The hits with their programmes, in the engine's order; unpublished ones left out
    (the index may lag the database by a moment)."""
    ids = [hit.programme_id for hit in results.hits]
    if not ids:
        return []
    rows = (
        db.session.execute(
            select(Programme)
            .join(Programme.organisation)
            .where(
                Programme.id.in_(ids),
                Programme.status == ProgrammeStatus.published,
                Organisation.admitted_at.is_not(None),
            )
            .options(joinedload(Programme.organisation), selectinload(Programme.locations))
        )
        .unique()
        .scalars()
    )
    by_id = {p.id: p for p in rows}
    return [(hit, by_id[hit.programme_id]) for hit in results.hits if hit.programme_id in by_id]


def facet_groups(results: SearchResults, page: SearchPage, lang: str) -> list[dict[str, Any]]:
    """The facets to display, with labels, counts and whether each value is selected."""
    titles = {
        "theme": _("Theme"),
        "audience": _("For whom"),
        "format": _("Format"),
        "language": _("Language spoken"),
        "cost": _("Cost"),
        "province": _("Province"),
        "city": _("City"),
    }
    groups = []
    for name in FACETS:
        counts = dict(results.facets.get(name, []))
        selected = (
            page.values(name) if name in CHECKBOX_FACETS else [v for k, v in page.args if k == name]
        )
        for value in selected:
            counts.setdefault(value, 0)
        if not counts:
            continue
        items = [
            {
                "value": value,
                "label": facet_label(name, value, lang),
                "count": count,
                "selected": value in selected,
                "toggle_url": _facet_link(page, name, value, selected),
            }
            for value, count in counts.items()
        ]
        items.sort(key=lambda item: (not item["selected"], -item["count"], item["label"]))
        groups.append(
            {
                "name": name,
                "title": titles.get(name, name),
                "items": items,
                "checkbox": name in CHECKBOX_FACETS,
            }
        )
    return groups


def _facet_link(page: SearchPage, name: str, value: str, selected: list[str]) -> str:
    if name in CHECKBOX_FACETS:
        return page.toggle_url(name, value)
    return page.url(**{name: None if value in selected else value})


def relaxed_filter_label(name: str | None) -> str | None:
    """How the suggestion names the filter to remove."""
    if not name:
        return None
    labels = {
        "theme": _("the theme"),
        "audience": _("the target group"),
        "format": _("the format"),
        "language": _("the language"),
        "cost": _("the cost"),
        "city": _("the city"),
        "province": _("the province"),
        "near": _("the distance"),
        "age": _("the age"),
        "open": _("open places only"),
        "organisation": _("the organisation"),
    }
    return labels.get(name, name)


def run_search(endpoint: str, *, org: Organisation | None = None) -> dict[str, Any]:
    """Parse the query, search, and gather what a search template shows.

    The status is 400 when a parameter is wrong, 503 when the engine is down.
    """
    lang = current_language()
    page = SearchPage(endpoint)
    context: dict[str, Any] = {
        "page": page,
        "errors": {},
        "results": None,
        "items": [],
        "facets": [],
        "status": 200,
        "lang": lang,
        "radii": RADII,
        "sorts": SORTS,
        "default_radius": DEFAULT_RADIUS_KM,
        "vocabularies": {name: taxonomy.VOCABULARIES[name] for name in CHECKBOX_FACETS},
        "org": org,
        "relaxed_label": None,
        "facet_by_name": {},
        "localised": localised,
        "safe_snippet": safe_snippet,
        "facet_label": facet_label,
        "widget": endpoint == "search.widget",
    }
    try:
        params = parse_search_params(request.args, lang)
    except SearchParamError as error:
        context["errors"] = field_errors_for(error)
        context["status"] = 400
        return context
    if org is not None:
        params = replace(params, organisation=org.slug)
    results = search_programmes(params)
    context["results"] = results
    context["params"] = params
    if results.unavailable:
        context["status"] = 503
        return context
    context["items"] = load_programmes(results)
    context["facets"] = facet_groups(results, page, lang)
    context["facet_by_name"] = {group["name"]: group for group in context["facets"]}
    context["relaxed_label"] = relaxed_filter_label(results.relaxed_filter)
    if results.total == 0 and params.q:
        count_zero_result(params.q, lang)
    return context


@bp.get("/programmes")
def programmes():
    """Search the directory: text, filters, distance, facets, pages."""
    context = run_search("search.programmes")
    return render_template("search/programmes.html", **context), context["status"]


def localised(texts: dict[str, str] | None, lang: str) -> tuple[str, str]:
    """A text in `lang`, else in another language, with the language it is in."""
    texts = texts or {}
    if texts.get(lang):
        return texts[lang], lang
    for other in ("fr", "nl", "en", *texts):
        if texts.get(other):
            return texts[other], other
    return "", lang


def safe_url(url: str | None) -> str | None:
    """An http(s) address, or None (never a javascript: link from a record)."""
    if url and urlsplit(url).scheme in {"http", "https"}:
        return url
    return None


def json_ld(data: dict[str, Any]) -> Markup:
    """A JSON-LD document safe inside a <script> element (no `</`, no `<!--`)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)  # noqa: S704 - every < > & is escaped above


def programme_json_ld(programme: Programme, lang: str, url: str) -> dict[str, Any]:
    """The schema.org description of a programme (a `Service` by its organisation)."""
    org = programme.organisation
    title, _title_lang = localised(programme.titles, lang)
    summary, _summary_lang = localised(programme.summaries, lang)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Service",
        "@id": url,
        "url": url,
        "name": title,
        "description": summary,
        "serviceType": [taxonomy.label("theme", code, lang) for code in programme.themes],
        "availableLanguage": list(programme.languages),
        "provider": {
            "@type": "Organization",
            "name": org.display_name(lang),
            **({"url": org.website} if safe_url(org.website) else {}),
        },
        "areaServed": [
            {
                "@type": "Place",
                "address": {
                    "@type": "PostalAddress",
                    "postalCode": loc.postcode,
                    "addressLocality": loc.city,
                    "addressCountry": loc.country,
                },
            }
            for loc in programme.locations
        ],
        "audience": {
            "@type": "PeopleAudience",
            **({"suggestedMinAge": programme.age_min} if programme.age_min is not None else {}),
            **({"suggestedMaxAge": programme.age_max} if programme.age_max is not None else {}),
        },
        "dateModified": programme.updated_at.isoformat() if programme.updated_at else None,
    }
    if programme.cost == "free":
        data["offers"] = {"@type": "Offer", "price": "0", "priceCurrency": "EUR"}
    channel: dict[str, Any] = {}
    if safe_url(programme.apply_url):
        channel["serviceUrl"] = programme.apply_url
    if programme.apply_phone:
        channel["servicePhone"] = {"@type": "ContactPoint", "telephone": programme.apply_phone}
    if programme.apply_email:
        channel["availableLanguage"] = list(programme.languages)
        channel["providesService"] = {"@id": url}
    if channel:
        data["availableChannel"] = {"@type": "ServiceChannel", **channel}
    return {k: v for k, v in data.items() if v not in (None, [], "")}


def texts_of(programme: Programme, lang: str) -> dict[str, str]:
    """`title_text`, `title_lang`, `summary_…`, `description_…` for the programme page."""
    texts = {}
    for name, field in (
        ("title", "titles"),
        ("summary", "summaries"),
        ("description", "descriptions"),
    ):
        texts[f"{name}_text"], texts[f"{name}_lang"] = localised(getattr(programme, field), lang)
    return texts


@bp.get("/programmes/<uuid:programme_uuid>")
def programme(programme_uuid: uuid.UUID):
    """One published programme: what, for whom, where, how to apply."""
    lang = current_language()
    item = (
        db.session.execute(
            select(Programme)
            .where(Programme.uuid == programme_uuid)
            .options(
                joinedload(Programme.organisation),
                selectinload(Programme.locations).joinedload(ProgrammeLocation.branch),
            )
        )
        .unique()
        .scalar_one_or_none()
    )
    if item is None or item.organisation.admitted_at is None:
        abort(404)
    if item.status == ProgrammeStatus.archived:
        abort(410)
    if item.status != ProgrammeStatus.published:
        abort(404)
    url = current_app.config["PUBLIC_URL"] + url_for("search.programme", programme_uuid=item.uuid)
    return render_template(
        "search/programme.html",
        programme=item,
        lang=lang,
        **texts_of(item, lang),
        apply_url=safe_url(item.apply_url),
        json_ld=json_ld(programme_json_ld(item, lang, url)),
        label=taxonomy.label,
    )


@bp.get("/widget")
def widget():
    """The compact search made to be framed by a member's own site; sets no cookie."""
    allow_framing()
    org = None
    slug = (request.args.get("org") or "").strip()
    if slug:
        org = db.session.execute(
            select(Organisation).where(
                Organisation.slug == slug[:80], Organisation.admitted_at.is_not(None)
            )
        ).scalar_one_or_none()
        if org is None:
            abort(404)
    context = run_search("search.widget", org=org)
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
    slug = (request.args.get("org") or "").strip()[:80]
    org = None
    if slug:
        org = db.session.execute(
            select(Organisation).where(
                Organisation.slug == slug, Organisation.admitted_at.is_not(None)
            )
        ).scalar_one_or_none()
    src = base + (url_for("search.widget", org=org.slug) if org else url_for("search.widget"))
    snippet = (
        f'<iframe src="{escape(src)}" title="{escape(_("Find a mentoring programme"))}" '
        'width="100%" height="600" loading="lazy" style="border:0" '
        'referrerpolicy="strict-origin-when-cross-origin"></iframe>'
    )
    return render_template("search/widget_embed.html", snippet=snippet, org=org, src=src)


@bp.app_template_global()
def published_programmes_of(organisation: Organisation) -> list[Programme]:
    """The organisation's published programmes, for its member page."""
    if organisation is None or organisation.admitted_at is None:
        return []
    return list(
        db.session.execute(
            select(Programme)
            .where(
                Programme.organisation_id == organisation.id,
                Programme.status == ProgrammeStatus.published,
            )
            .options(selectinload(Programme.locations))
            .order_by(Programme.published_at.desc(), Programme.id.desc())
        ).scalars()
    )


@bp.app_template_global()
def programme_text(texts: dict[str, str] | None) -> tuple[str, str]:
    """A programme text in the page's language, else another, with its language."""
    return localised(texts, current_language())
