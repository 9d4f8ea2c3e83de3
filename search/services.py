"""The search service: what pages and APIs call to find programmes.

Pages and the JSON API parse the query string with `parse_search_params`, then call
`search_programmes` and `suggest`. Every engine call happens behind `get_backend()`; a
backend that is down gives `SearchResults(unavailable=True)`, never an exception.
"""

from __future__ import annotations

import contextlib
import logging
import math
import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any

from flask import current_app
from werkzeug.datastructures import MultiDict

from coalition import taxonomy
from search.analysis import fold
from search.backends import BackendResults, SearchBackend, SearchUnavailable, make_backend

log = logging.getLogger(__name__)

SORTS = ("relevance", "distance", "newest")
MAX_QUERY_LENGTH = 200
MAX_PER_PAGE = 50
DEFAULT_PER_PAGE = 20
#: deepest page anyone may ask for (page × per_page stays under Elasticsearch's window)
MAX_PAGE = 200
MAX_RADIUS_KM = 500
DEFAULT_RADIUS_KM = 25
COUNTRIES = ("BE", "FR", "NL")
#: the filters that are lists of taxonomy codes: query parameter → (attribute, vocabulary)
LIST_FILTERS = {
    "theme": ("themes", "theme"),
    "audience": ("audiences", "audience"),
    "format": ("formats", "format"),
    "language": ("languages", "language"),
    "cost": ("cost", "cost"),
}
#: facets computed for every search, in display order
FACETS = ("theme", "audience", "format", "language", "cost", "province", "city")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


class SearchParamError(ValueError):
    """A search parameter the user gave is invalid; `param` names it."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(f"{param}: {message}")
        self.param = param
        self.message = message


@dataclass
class SearchParams:
    """A validated search request."""

    q: str = ""
    themes: list[str] = field(default_factory=list)
    audiences: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    #: cost codes (`coalition.taxonomy.COSTS`)
    cost: list[str] = field(default_factory=list)
    #: city name (matched without case or accents)
    city: str | None = None
    province: str | None = None
    #: organisation slug: only that organisation's programmes
    organisation: str | None = None
    #: a postcode (or a city name) to search around
    near: str | None = None
    near_country: str = "BE"
    radius_km: float | None = None
    #: the young person's age: age_min ≤ age ≤ age_max
    age: int | None = None
    #: only programmes with open capacity
    open_only: bool = False
    sort: str = "relevance"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    #: language of the labels, snippets and suggestions
    lang: str = "fr"
    #: (latitude, longitude) of `near`, set by `parse_search_params`
    origin: tuple[float, float] | None = None
    #: the place `near` resolved to (a `coalition.postcodes.Place`)
    near_place: Any = None

    def filters(self) -> dict[str, Any]:
        """The active filters by facet name (for facets and zero-hit relaxation)."""
        active: dict[str, Any] = {}
        for param, (attr, _vocab) in LIST_FILTERS.items():
            if getattr(self, attr):
                active[param] = getattr(self, attr)
        if self.city:
            active["city"] = self.city
        if self.province:
            active["province"] = self.province
        if self.organisation:
            active["organisation"] = self.organisation
        if self.origin:
            active["near"] = self.near
        if self.age is not None:
            active["age"] = self.age
        if self.open_only:
            active["open"] = True
        return active

    def without(self, filter_name: str) -> SearchParams:
        """A copy without one filter (by the name `filters()` uses)."""
        if filter_name in LIST_FILTERS:
            return replace(self, **{LIST_FILTERS[filter_name][0]: []})
        if filter_name == "near":
            return replace(
                self,
                near=None,
                origin=None,
                near_place=None,
                radius_km=None,
                sort="relevance" if self.sort == "distance" else self.sort,
            )
        if filter_name == "open":
            return replace(self, open_only=False)
        return replace(self, **{filter_name: None})


@dataclass
class SearchHit:
    programme_id: int
    uuid: str
    score: float
    #: distance to the nearest location when searching near a place
    distance_km: float | None = None
    #: field ("title", "summary", "description") → HTML-escaped snippet with <mark>
    highlight: dict[str, str] = field(default_factory=dict)
    #: the index document (texts per language, codes, places): enough to list the hit
    document: dict[str, Any] = field(default_factory=dict)


@dataclass
class SearchResults:
    total: int = 0
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    hits: list[SearchHit] = field(default_factory=list)
    #: facet name → [(value, count)], each counted with the OTHER filters applied
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    #: on zero hits: a corrected query text, if one finds something
    suggestion: str | None = None
    #: on zero hits: the filter whose removal finds the most, and how many it finds
    relaxed_filter: str | None = None
    relaxed_total: int = 0
    #: True when the engine is down (the page says so instead of failing)
    unavailable: bool = False

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page)) if self.per_page else 1


# --- parsing -----------------------------------------------------------------------------


def clean_text(value: str, limit: int = MAX_QUERY_LENGTH) -> str:
    """User text without control or invisible characters, squeezed, at most `limit` chars."""
    value = unicodedata.normalize("NFC", _CONTROL.sub(" ", value))
    return " ".join(value.split())[:limit].strip()


def _int(
    args: MultiDict, name: str, low: int, high: int | None, default: int | None, message: str
) -> int | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SearchParamError(name, "must be a whole number") from None
    if value < low or (high is not None and value > high):
        raise SearchParamError(name, message)
    return value


def _codes(args: MultiDict, name: str, vocabulary: str) -> list[str]:
    known = taxonomy.VOCABULARIES[vocabulary]
    values: list[str] = []
    for raw in args.getlist(name):
        for code in raw.split(","):
            code = clean_text(code, 40)
            if not code:
                continue
            if code not in known:
                raise SearchParamError(name, f"unknown value {code!r}")
            if code not in values:
                values.append(code)
    return values


def parse_search_params(args: MultiDict, lang: str) -> SearchParams:
    """Validate a query string into `SearchParams`.

    :raise SearchParamError: naming the first invalid parameter.
    """
    params = SearchParams(lang=lang if lang in current_app.config["LANGUAGES"] else "fr")
    params.q = clean_text(args.get("q") or "")
    for name, (attr, vocabulary) in LIST_FILTERS.items():
        setattr(params, attr, _codes(args, name, vocabulary))
    params.city = clean_text(args.get("city") or "", 120) or None
    params.province = clean_text(args.get("province") or "", 120) or None
    params.organisation = clean_text(args.get("org") or "", 80) or None
    params.age = _int(args, "age", 0, 120, None, "must be between 0 and 120")
    params.open_only = (args.get("open") or "").lower() in {"1", "true", "on", "yes"}
    params.page = _int(args, "page", 1, MAX_PAGE, 1, f"must be between 1 and {MAX_PAGE}")
    per_page = _int(args, "per_page", 1, None, DEFAULT_PER_PAGE, "must be at least 1")
    params.per_page = min(per_page, MAX_PER_PAGE)
    sort = (args.get("sort") or "relevance").strip().lower()
    if sort not in SORTS:
        raise SearchParamError("sort", "must be one of " + ", ".join(SORTS))
    country = (args.get("country") or "BE").strip().upper()
    if country not in COUNTRIES:
        raise SearchParamError("country", "must be one of " + ", ".join(COUNTRIES))
    params.near_country = country
    radius = (args.get("radius_km") or "").strip()
    if radius:
        try:
            params.radius_km = float(radius)
        except ValueError:
            raise SearchParamError("radius_km", "must be a number") from None
        if not (0 < params.radius_km <= MAX_RADIUS_KM) or math.isnan(params.radius_km):
            raise SearchParamError(
                "radius_km", f"must be more than 0 and at most {MAX_RADIUS_KM} km"
            )
    near = clean_text(args.get("near") or "", 60)
    if near:
        params.near = near
        params.near_place = resolve_place(near, country)
        if params.near_place is None:
            raise SearchParamError("near", "unknown postcode")
        params.origin = (params.near_place.latitude, params.near_place.longitude)
        params.radius_km = params.radius_km or DEFAULT_RADIUS_KM
    if sort == "distance" and not params.origin:
        sort = "relevance"
    params.sort = sort
    return params


def resolve_place(text: str, country: str = "BE"):
    """The place of a postcode (or else of a city name), or None."""
    from coalition import postcodes

    if any(c.isdigit() for c in text):
        return postcodes.lookup(text, country=country)
    return postcodes.find_city(text, country=country) or postcodes.find_city(text)


# --- searching ---------------------------------------------------------------------------


def get_backend() -> SearchBackend:
    """The configured search backend of the current app (one per app, created on demand)."""
    backend = current_app.extensions.get("search_backend")
    if backend is None:
        backend = make_backend(current_app.config)
        current_app.extensions["search_backend"] = backend
    return backend


def search_programmes(params: SearchParams) -> SearchResults:
    """Search published programmes; never raises because of the engine."""
    from search.highlight import highlight_document

    results = SearchResults(page=params.page, per_page=params.per_page)
    backend = get_backend()
    try:
        found: BackendResults = backend.search(params)
        results.total = found.total
        results.facets = found.facets
        for doc_hit in found.hits:
            results.hits.append(
                SearchHit(
                    programme_id=int(doc_hit.doc["id"]),
                    uuid=doc_hit.doc["uuid"],
                    score=doc_hit.score,
                    distance_km=doc_hit.distance_km,
                    highlight=highlight_document(doc_hit.doc, params.q, params.lang),
                    document=doc_hit.doc,
                )
            )
        if found.total == 0 and (params.q or params.filters()):
            _suggest_on_zero_hits(backend, params, results)
    except SearchUnavailable as error:
        log.warning("search unavailable: %s", error)
        results.unavailable = True
    return results


def _suggest_on_zero_hits(
    backend: SearchBackend, params: SearchParams, results: SearchResults
) -> None:
    """A corrected query text, or else the filter whose removal finds the most."""
    if params.q:
        corrected = backend.correct(params.q, params.lang)
        if (
            corrected
            and corrected.lower() != params.q.lower()
            and backend.search(replace(params, q=corrected, page=1, per_page=1)).total
        ):
            results.suggestion = corrected
            return
    best, best_total = None, 0
    for name in params.filters():
        if name == "organisation":  # an organisation's own listing stays its own
            continue
        total = backend.search(replace(params.without(name), page=1, per_page=1)).total
        if total > best_total:
            best, best_total = name, total
    results.relaxed_filter, results.relaxed_total = best, best_total


def suggest(prefix: str, lang: str, limit: int = 8) -> list[dict[str, str]]:
    """Autocomplete: titles, organisations and themes starting like `prefix`.

    Each item is ``{"text": ..., "kind": "title" | "organisation" | "theme"}``; an
    empty list when the engine is down.
    """
    prefix = clean_text(prefix, 60)
    if len(prefix) < 2:
        return []
    items: list[dict[str, str]] = []
    folded = fold(prefix).strip()
    for code, labels in taxonomy.THEMES.items():
        text = labels.get(lang) or labels["en"]
        if any(fold(word).startswith(folded) for word in [text, *text.split()]):
            items.append({"text": text, "kind": "theme", "value": code})
    with contextlib.suppress(SearchUnavailable):
        items.extend(get_backend().suggest(prefix, lang, limit))
    seen: set[tuple[str, str]] = set()
    unique = []
    for item in items:
        key = (item["kind"], item["text"].lower())
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique[:limit]


def fold_city(name: str) -> str:
    """The key a city name is matched by (no case, accents or dashes)."""
    from coalition.postcodes import normalise_name

    return normalise_name(name)


def facet_label(name: str, value: str, lang: str) -> str:
    """The label of a facet value in `lang` (codes → taxonomy labels; places as they are)."""
    if name in taxonomy.VOCABULARIES:
        return taxonomy.label(name, value, lang)
    return value
