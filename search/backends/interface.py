"""What every search backend is and shares: the interface the service, the indexer and the
CLI use, its result types, and what both engines must agree on — the filters of a search as
conditions on the index document's fields (`index_filters`), and how a document becomes an
autocomplete item (`suggestions`). Each backend only translates them into its own query
language.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Protocol, TypeVar

from search.analysis import LANGS, starts_like
from search.documents import ANY_MENTOR
from search.query import DEFAULT_RADIUS_KM, LIST_FILTERS, SearchParams, fold_city


class SearchUnavailable(RuntimeError):
    """The search engine cannot be reached or refused the request."""


@dataclass
class DocHit:
    #: the index document (see `search.documents`), at least `id` and `uuid`
    doc: dict[str, Any]
    score: float
    distance_km: float | None = None


@dataclass
class BackendResults:
    total: int = 0
    hits: list[DocHit] = field(default_factory=list)
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Term:
    """The keyword `field` holds `value`."""

    field: str
    value: str


@dataclass(frozen=True)
class AnyTerm:
    """The keyword `field` holds one of `values` (a facet's checkboxes)."""

    field: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class AgeWithin:
    """`age_min` ≤ `age` ≤ `age_max`."""

    age: int


@dataclass(frozen=True)
class AtMost:
    """The integer `field` is at most `value`."""

    field: str
    value: int


@dataclass(frozen=True)
class Near:
    """A place of the document's `places` within `radius_km` of `origin` (latitude,
    longitude); with `online`, a document whose keyword `online` holds "1" matches at any
    distance (it sorts by its distance, beyond the radius, or last when it has no place)."""

    origin: tuple[float, float]
    radius_km: float
    #: the document's field of places measured: the programme's own, or where it needs mentors
    places: str = "locations"
    online: str | None = None


Condition = Term | AnyTerm | AgeWithin | Near | AtMost


def index_filters(params: SearchParams) -> dict[str, Condition]:
    """The active filters of a search by facet name (`SearchParams.filters`), as conditions
    on the index document's fields."""
    filters: dict[str, Condition] = {}
    for name, (attr, _vocabulary) in LIST_FILTERS.items():
        values = getattr(params, attr)
        if values:
            filters[name] = AnyTerm(name, tuple(values))
    if params.city:
        filters["city"] = Term("city_key", fold_city(params.city))
    if params.province:
        filters["province"] = Term("province", params.province)
    if params.organisation:
        filters["organisation"] = Term("org_slug", params.organisation)
    if params.age is not None:
        filters["age"] = AgeWithin(params.age)
    if params.open_only:
        filters["open"] = Term("capacity", "open")
    if params.origin:
        radius = params.radius_km or DEFAULT_RADIUS_KM
        # the mentor path measures to where mentors are needed, and finds online mentoring
        filters["near"] = (
            Near(params.origin, radius, "mentor_locations", "mentor_online")
            if params.seeking_mentors
            else Near(params.origin, radius)
        )
    filters.update(mentor_filters(params))
    return filters


def mentor_filters(params: SearchParams) -> dict[str, Condition]:
    """The conditions of the mentor path: seeking mentors now, and the volunteer's fields of
    experience, languages and time (a programme asking for none in particular matches)."""
    filters: dict[str, Condition] = {}
    if params.seeking_mentors:
        filters["seeking_mentors"] = Term("mentor_seeking", "1")
    if params.experience:
        filters["experience"] = AnyTerm("mentor_field", (*params.experience, ANY_MENTOR))
    if params.mentor_language:
        filters["mentor_language"] = AnyTerm(
            "mentor_language", (*params.mentor_language, ANY_MENTOR)
        )
    if params.mentor_hours is not None:
        filters["mentor_hours"] = AtMost("mentor_minutes", params.mentor_hours * 60)
    return filters


def suggestions(
    docs: Iterable[Mapping[str, Any]], prefix: str, lang: str, limit: int
) -> list[dict[str, str]]:
    """One autocomplete item per document: its title (in `lang` first) or else its
    organisation's name, whichever starts like `prefix`; each text once."""
    items: list[dict[str, str]] = []
    seen: set[str] = set()
    for doc in docs:
        candidates = [
            (doc.get(f"title_{lang}"), "title"),
            *((doc.get(f"title_{x}"), "title") for x in LANGS),
            ((doc.get("suggest") or [""])[-1], "organisation"),
        ]
        for text, kind in candidates:
            if text and text not in seen and starts_like(text, prefix):
                seen.add(text)
                items.append({"text": text, "kind": kind})
                break
    return items[:limit]


T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """`items` in lists of `size` (the last one shorter), as Python 3.12's itertools.batched."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class SearchBackend(Protocol):
    """What the service, the indexer and the CLI need from a search engine."""

    def index(self, docs: list[dict[str, Any]]) -> set[int]:
        """Add or replace documents; return the ids the engine acknowledged."""

    def delete(self, ids: list[int]) -> set[int]:
        """Remove documents by programme id; return the ids acknowledged."""

    def search(self, params: SearchParams, *, facets: bool = True) -> BackendResults:
        """Run a search (text, filters, geo, sort, page, and facets unless `facets` is
        False: a caller that needs only the total does not pay for them)."""

    def suggest(self, prefix: str, lang: str, limit: int = 8) -> list[dict[str, str]]:
        """Titles and organisation names starting like `prefix`."""

    def closest_words(self, words: Sequence[str], lang: str) -> list[str | None]:
        """Per word, the closest word of the index's vocabulary (up to 2 edits) when the
        word itself is not indexed, else None (`search.spelling` decides the correction)."""

    def count(self) -> int:
        """How many documents the live index holds."""

    def reindex(self, docs: Iterable[dict[str, Any]]) -> int:
        """Build a fresh index beside the live one, then switch atomically; return the count."""

    def ping(self) -> bool:
        """True when the engine answers."""
