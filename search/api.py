"""The JSON search API: `GET /api/v1/programmes` and `GET /api/v1/programmes/suggest`."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import fields
from datetime import date
from typing import Any

from flask import Blueprint, current_app, jsonify, request, url_for

from coalition import taxonomy
from coalition.errors import problem
from search.analysis import LANGS
from search.backends import SearchUnavailable
from search.services import (
    SearchHit,
    SearchParamError,
    SearchParams,
    clean_text,
    facet_label,
    get_backend,
    parse_search_params,
    search_programmes,
    suggest,
)
from search.zero_results import count_zero_result

bp = Blueprint("search_api", __name__)
_URL_PLACEHOLDER = "00000000-0000-0000-0000-000000000000"
#: answers kept per app (LRU), each for at most CACHE_SECONDS and only while the index they
#: were computed from is still the live one (the key holds the backend's index version)
CACHE_SIZE = 256
CACHE_SECONDS = 30.0
_KEY_FIELDS = tuple(f.name for f in fields(SearchParams) if f.name != "near_place")


class _AnswerCache:
    """A small thread-safe LRU of JSON bodies with an age limit."""

    def __init__(self, size: int = CACHE_SIZE, seconds: float = CACHE_SECONDS) -> None:
        self.size, self.seconds = size, seconds
        self._items: OrderedDict[tuple, tuple[float, bytes, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> tuple[bytes, int] | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            if time.monotonic() - item[0] > self.seconds:
                del self._items[key]
                return None
            self._items.move_to_end(key)
            return item[1], item[2]

    def put(self, key: tuple, body: bytes, total: int) -> None:
        with self._lock:
            self._items[key] = (time.monotonic(), body, total)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


def _cache_key(params: SearchParams, url: str) -> tuple | None:
    """The answer's key: the live index version and the normalised parameters, or None."""
    version = getattr(get_backend(), "version", None)
    if version is None:  # a backend without versions (Elasticsearch): no cache
        return None
    try:
        current = version()
    except SearchUnavailable:
        return None
    if current is None:
        return None
    values = tuple(
        tuple(v) if isinstance(v, list) else v
        for v in (getattr(params, name) for name in _KEY_FIELDS)
    )
    # The date: freshness boosts depend on today.
    return (current, url, date.today(), values)


def _answer_cache() -> _AnswerCache:
    cache = current_app.extensions.get("search_api_cache")
    if cache is None:
        cache = current_app.extensions.setdefault("search_api_cache", _AnswerCache())
    return cache


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
    # One url_for per answer, not per hit: building URLs is a visible share of the time.
    url = url_for(
        "search.programme", lang_code=lang, programme_uuid=_URL_PLACEHOLDER, _external=True
    )
    key = _cache_key(params, url)
    cached = _answer_cache().get(key) if key is not None else None
    if cached is not None:
        body, total = cached
        response = current_app.response_class(body, mimetype="application/json")
    else:
        results = search_programmes(params)
        if results.unavailable:
            return problem(
                503,
                "Search temporarily unavailable",
                "The search engine cannot be reached; please try again later.",
                headers={"Retry-After": "30"},
            )
        response = _answer(results, lang, url)
        total = results.total
        if key is not None:
            _answer_cache().put(key, response.get_data(), total)
    if total == 0 and params.q:
        count_zero_result(params.q, lang)
    response.headers["Content-Language"] = lang
    response.headers["Vary"] = "Accept-Language"
    return response


def _answer(results, lang: str, url: str):
    """The JSON answer of a search."""
    return jsonify(
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


@bp.get("/programmes/suggest")
def suggest_programmes():
    """Autocomplete on titles, organisations and themes."""
    try:
        lang = _language()
    except SearchParamError as error:
        return _bad_param(error)
    prefix = clean_text(request.args.get("q") or "", 60)
    return jsonify({"q": prefix, "suggestions": suggest(prefix, lang)})
