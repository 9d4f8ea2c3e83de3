"""The JSON search API: `GET /api/v1/programmes` and `GET /api/v1/programmes/suggest`."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, request, url_for

from coalition import taxonomy
from coalition.errors import problem
from coalition.extensions import db
from search.analysis import LANGS
from search.services import (
    SearchHit,
    SearchParamError,
    clean_text,
    facet_label,
    parse_search_params,
    search_programmes,
    suggest,
)
from search.zero_results import record_zero_result

bp = Blueprint("search_api", __name__)
_URL_PLACEHOLDER = "00000000-0000-0000-0000-000000000000"


def _language() -> str:
    """The `lang` parameter, else the browser's best match, else the default.

    :raise SearchParamError: an unknown `lang`.
    """
    lang = (request.args.get("lang") or "").strip().lower()
    if lang:
        if lang not in LANGS:
            raise SearchParamError("lang", "must be one of " + ", ".join(LANGS))
        return lang
    return request.accept_languages.best_match(LANGS) or current_app.config["BABEL_DEFAULT_LOCALE"]


def _bad_param(error: SearchParamError):
    return problem(
        400,
        "Invalid search parameter",
        f"{error.param}: {error.message}",
        errors=[{"pointer": f"/{error.param}", "detail": error.message}],
        parameter=error.param,
    )


def _text(doc: dict[str, Any], name: str, lang: str) -> str:
    return doc.get(f"{name}_{lang}") or next(
        (doc[f"{name}_{x}"] for x in LANGS if doc.get(f"{name}_{x}")), ""
    )


def _hit(hit: SearchHit, lang: str, url: str) -> dict[str, Any]:
    doc = hit.document
    return {
        "id": hit.uuid,
        "title": _text(doc, "title", lang),
        "summary": _text(doc, "summary", lang),
        "organisation": {
            "name": (doc.get("org") or "").split(" / ")[0],
            "slug": doc.get("org_slug"),
        },
        "themes": [
            {"value": c, "label": taxonomy.label("theme", c, lang)} for c in doc.get("theme", [])
        ],
        "cities": doc.get("city", []),
        "distance_km": round(hit.distance_km, 1) if hit.distance_km is not None else None,
        "highlight": hit.highlight,
        "url": url.replace(_URL_PLACEHOLDER, hit.uuid),
    }


@bp.get("/programmes")
def search():
    """Search published programmes (same parameters as the search page)."""
    try:
        lang = _language()
        params = parse_search_params(request.args, lang)
    except SearchParamError as error:
        return _bad_param(error)
    results = search_programmes(params)
    if results.unavailable:
        return problem(
            503,
            "Search temporarily unavailable",
            "The search engine cannot be reached; please try again later.",
            headers={"Retry-After": "30"},
        )
    if results.total == 0 and params.q:
        record_zero_result(params.q, lang)
        db.session.commit()
    # One url_for per answer, not per hit: building URLs is a visible share of the time.
    url = url_for(
        "search.programme", lang_code=lang, programme_uuid=_URL_PLACEHOLDER, _external=True
    )
    response = jsonify(
        {
            "total": results.total,
            "page": results.page,
            "per_page": results.per_page,
            "hits": [_hit(hit, lang, url) for hit in results.hits],
            "facets": {
                name: [
                    {"value": v, "label": facet_label(name, v, lang), "count": n} for v, n in values
                ]
                for name, values in results.facets.items()
            },
            "suggestion": results.suggestion,
            "relaxed_filter": (
                {"parameter": results.relaxed_filter, "total": results.relaxed_total}
                if results.relaxed_filter
                else None
            ),
        }
    )
    response.headers["Content-Language"] = lang
    response.headers["Vary"] = "Accept-Language"
    return response


@bp.get("/programmes/suggest")
def suggest_programmes():
    """Autocomplete on titles, organisations and themes."""
    try:
        lang = _language()
    except SearchParamError as error:
        return _bad_param(error)
    prefix = clean_text(request.args.get("q") or "", 60)
    return jsonify({"q": prefix, "suggestions": suggest(prefix, lang)})
