"""What a search asks and what it answers: `SearchParams` in, `SearchResults` out.

Plain data shared by the service, the schemas and the backends (it imports none of them),
with the few rules that belong to the request itself: its limits, its filters by facet
name, and how a user's text and a city name are normalised.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any

from coalition import taxonomy
from coalition.postcodes import Place, normalise_name
from search.places import city_label, province_label

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
#: the filters of the mentor path (they imply `seeking_mentors`) → their empty value
MENTOR_FILTERS = {"experience": list, "mentor_language": list, "mentor_hours": lambda: None}
#: the most hours a week a volunteer may say they can give
MAX_MENTOR_HOURS = 40
#: facets computed for every search, in display order
FACETS = ("theme", "audience", "format", "language", "cost", "province", "city")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


class SearchParamError(ValueError):
    """A search parameter the user gave is invalid; `param` names it."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(f"{param}: {message}")
        self.param = param
        self.message = message


def clean_text(value: str, limit: int = MAX_QUERY_LENGTH, *, lower: bool = False) -> str:
    """User text without control or invisible characters, squeezed, at most `limit` chars
    (and lower-cased with `lower`)."""
    value = unicodedata.normalize("NFC", _CONTROL.sub(" ", value))
    if lower:
        value = value.lower()
    return " ".join(value.split())[:limit].strip()


def fold_city(name: str) -> str:
    """The key a city name is matched by (no case, accents or dashes)."""
    return normalise_name(name)


def facet_label(name: str, value: str, lang: str) -> str:
    """The label of a facet value in `lang` (codes → taxonomy labels; provinces and cities
    by their name in `lang`)."""
    if name in taxonomy.VOCABULARIES:
        return taxonomy.label(name, value, lang)
    if name == "province":
        return province_label(value, lang)
    if name == "city":
        return city_label(value, lang)
    return value


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
    #: only programmes that seek mentors now (the "Become a mentor" path); its hits carry
    #: their `mentor_needs`
    seeking_mentors: bool = False
    #: the volunteer's fields of experience (`experience_fields` codes): programmes asking
    #: for one of them, or for none in particular
    experience: list[str] = field(default_factory=list)
    #: languages the volunteer speaks: programmes asking for one of them, or for none
    mentor_language: list[str] = field(default_factory=list)
    #: hours a week the volunteer can give: programmes asking no more (or not saying)
    mentor_hours: int | None = None
    #: (latitude, longitude) of `near`, set when the parameters are parsed
    origin: tuple[float, float] | None = None
    #: the place `near` resolved to
    near_place: Place | None = None

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
        # `seeking_mentors` is the search's scope, like an organisation's own listing: it is
        # not a filter to relax
        for name in MENTOR_FILTERS:
            if getattr(self, name) not in (None, []):
                active[name] = getattr(self, name)
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
        if filter_name in MENTOR_FILTERS:
            return replace(self, **{filter_name: MENTOR_FILTERS[filter_name]()})
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
