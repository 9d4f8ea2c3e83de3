"""The search service: what pages, the API and the feed call to find programmes.

Pages and the JSON API parse the query string with `parse_search_params`, then call
`search_programmes` and `suggest`. Every engine call happens behind `get_backend()`; a
backend that is down gives `SearchResults(unavailable=True)`, never an exception. The
lookups at the end decide what the public may see: which programmes, which members.
"""

from __future__ import annotations

import contextlib
import enum
import logging
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from coalition import taxonomy
from coalition.extensions import db
from coalition.members.models import Organisation
from coalition.members.services import admitted_member
from coalition.observability import search_latency
from coalition.programmes.models import Programme, ProgrammeLocation, ProgrammeStatus
from coalition.sitemap import SitemapPage, row_pages
from search.analysis import fold
from search.backends import make_backend
from search.backends.interface import BackendResults, SearchBackend, SearchUnavailable
from search.documents import is_searchable, searchable_programmes
from search.highlight import highlight_document
from search.query import SearchHit, SearchParams, SearchResults, clean_text
from search.schemas import search_params
from search.spelling import corrected_query

log = logging.getLogger(__name__)


def parse_search_params(args: Mapping[str, Any], lang: str) -> SearchParams:
    """Validate a query string (a MultiDict) into `SearchParams` in language `lang`.

    :raise SearchParamError: naming the first invalid parameter.
    """
    return search_params(args, lang if lang in current_app.config["LANGUAGES"] else "fr")


# --- searching ---------------------------------------------------------------------------


def get_backend() -> SearchBackend:
    """The configured search backend of the current app (one per app, created on demand)."""
    backend = current_app.extensions.get("search_backend")
    if backend is None:
        backend = make_backend(current_app.config)
        current_app.extensions["search_backend"] = backend
    return backend


@contextlib.contextmanager
def timed_search(kind: str):
    """Observe how long the engine took for one `kind` of call (`search`, `suggest`)."""
    started = time.perf_counter()
    try:
        yield
    finally:
        search_latency.labels(backend=current_app.config["SEARCH_BACKEND"], kind=kind).observe(
            time.perf_counter() - started
        )


def search_programmes(params: SearchParams) -> SearchResults:
    """Search published programmes; never raises because of the engine."""
    results = SearchResults(page=params.page, per_page=params.per_page)
    backend = get_backend()
    try:
        with timed_search("search"):
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
        corrected = corrected_query(
            params.q, params.lang, lambda words: backend.closest_words(words, params.lang)
        )
        if (
            corrected
            and corrected.lower() != params.q.lower()
            and backend.search(replace(params, q=corrected, page=1, per_page=1), facets=False).total
        ):
            results.suggestion = corrected
            return
    best, best_total = None, 0
    for name in params.filters():
        if name == "organisation":  # an organisation's own listing stays its own
            continue
        relaxed = replace(params.without(name), page=1, per_page=1)
        total = backend.search(relaxed, facets=False).total
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
    with contextlib.suppress(SearchUnavailable), timed_search("suggest"):
        items.extend(get_backend().suggest(prefix, lang, limit))
    seen: set[tuple[str, str]] = set()
    unique = []
    for item in items:
        key = (item["kind"], item["text"].lower())
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique[:limit]


# --- what the public sees ----------------------------------------------------------------


class Visibility(enum.IntEnum):
    """Whether the public sees a programme, as the HTTP status of its page."""

    #: published by a current member
    public = 200
    #: archived: it existed and is gone for good
    gone = 410
    #: never published, withdrawn, a draft, a non-member's, or no such programme
    missing = 404


def programme_visibility(programme: Programme | None) -> Visibility:
    """What the public may know of `programme` (None: no such programme)."""
    if programme is None or not programme.organisation.is_admitted:
        return Visibility.missing
    if is_searchable(programme):
        return Visibility.public
    if programme.status == ProgrammeStatus.archived:
        return Visibility.gone
    return Visibility.missing


def find_programme(programme_uuid: uuid.UUID) -> tuple[Programme | None, Visibility]:
    """A programme by its UUID, with its organisation and places (and their branches)
    loaded, and what the public may know of it."""
    programme = (
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
    return programme, programme_visibility(programme)


def programmes_of_hits(results: SearchResults) -> list[tuple[SearchHit, Programme]]:
    """The hits with their programmes, in the engine's order; those no longer public left
    out (the index may lag the database by a moment)."""
    ids = [hit.programme_id for hit in results.hits]
    if not ids:
        return []
    rows = db.session.execute(
        searchable_programmes()
        .where(Programme.id.in_(ids))
        .options(joinedload(Programme.organisation), selectinload(Programme.locations))
    )
    by_id = {p.id: p for p in rows.unique().scalars()}
    return [(hit, by_id[hit.programme_id]) for hit in results.hits if hit.programme_id in by_id]


def published_programmes_of(organisation: Organisation | None) -> list[Programme]:
    """A member's published programmes, newest first (none for a non-member)."""
    if organisation is None:
        return []
    return list(
        db.session.execute(
            searchable_programmes()
            .where(Programme.organisation_id == organisation.id)
            .options(selectinload(Programme.locations))
            .order_by(Programme.published_at.desc(), Programme.id.desc())
        ).scalars()
    )


def public_pages() -> Iterator[SitemapPage]:
    """The search's public pages for the sitemap: the search page and every programme the
    public may see (published, by a current member)."""
    yield SitemapPage("search.programmes")
    yield SitemapPage("search.mentor")
    programmes = searchable_programmes().with_only_columns(Programme.uuid, Programme.updated_at)
    yield from row_pages("search.programme", "programme_uuid", programmes.order_by(Programme.id))


def admitted_organisation(slug: str) -> Organisation | None:
    """The current member with this slug (as typed in an address: stripped, capped)."""
    slug = slug.strip()[:80]
    if not slug:
        return None
    return admitted_member(slug)
