"""tantivy queries: the query text, the filters, distances, freshness and facets.

Functions of a searcher and the engine-neutral parts of a search (`search.backends.interface`);
`TantivyBackend.search` puts them together.
"""

from __future__ import annotations

import tantivy
from tantivy import Occur, Query

from coalition.postcodes import distance_km
from search.analysis import (
    ALL_WORDS_BOOST,
    analyze_word,
    fold,
    fuzzy_distance,
    query_words,
    required_matches,
    squeeze_repeats,
    variants,
)
from search.backends.interface import AgeWithin, AnyTerm, AtMost, Condition, Near, Term
from search.backends.tantivy_schema import GEO_COLUMNS, SCHEMA, GeoColumns, stored_document
from search.documents import PLACE_BOOST, PLACE_FIELD, TEXT_FIELDS, fresh_since
from search.geo import bounding_box, nearest_km
from search.query import FACETS

FACET_SIZE = 50
#: the score a programme confirmed recently adds (it ranks above a stale one)
FRESHNESS_BOOST = 0.5


def every_hit(searcher: tantivy.Searcher) -> int:
    """A limit that collects every hit (tantivy's top-docs collector needs a number)."""
    return max(1, searcher.num_docs)


def all_of(parts: list[Query]) -> Query:
    """Documents matching every query of `parts` (every document if there is none)."""
    if not parts:
        return Query.all_query()
    return Query.boolean_query([(Occur.Must, p) for p in parts])


def _term_clauses(searcher: tantivy.Searcher, word: str) -> tuple[list, bool]:
    """A word's term queries on every text field and on the place names, and whether any
    field holds the word."""
    clauses = []
    for name, (lang, boost) in (*TEXT_FIELDS.items(), (PLACE_FIELD, ("plain", PLACE_BOOST))):
        for term in analyze_word(word, lang):
            # a field that never holds the term adds nothing but a scorer to run
            if searcher.doc_freq(name, term) > 0:
                query = Query.boost_query(Query.term_query(SCHEMA, name, term), boost)
                clauses.append((Occur.Should, query))
    return clauses, bool(clauses)


def text_query(searcher: tantivy.Searcher, q: str) -> Query | None:
    """Enough words must match some field (`required_matches`); typos match fuzzily.

    Each word also matches its synonyms (`variants`). Fuzzy automata are costly in
    tantivy, so a word found as such in any field is matched exactly (stemmed, accents
    folded), and only an unknown word (a typo) gets one fuzzy query, on the unstemmed
    `vocab` field that holds every text.
    """
    groups = []
    for word in query_words(q):
        alternatives, known = [], False
        for variant, boost in variants(word):
            clauses, found = _term_clauses(searcher, variant)
            known = known or found
            if clauses:
                query = Query.boolean_query(clauses)
                # the word as typed ranks above its synonyms (a boost of 1 changes nothing)
                alternatives.append(query if boost == 1.0 else Query.boost_query(query, boost))
        typo = squeeze_repeats(word)
        distance = fuzzy_distance(fold(typo))
        if not known and distance:
            alternatives += [
                Query.fuzzy_term_query(SCHEMA, "vocab", term, distance, True, False)
                for term in analyze_word(typo, "plain")
            ]
        if not alternatives:  # a word no field holds, too short for typos: nothing matches
            groups.append(Query.empty_query())
        elif len(alternatives) == 1:
            groups.append(alternatives[0])
        elif alternatives:
            # the best-matching synonym counts, not their sum
            groups.append(Query.disjunction_max_query(alternatives))
    if not groups:
        return None
    every = all_of(groups)
    required = required_matches(len(groups))
    if required == len(groups):
        return every
    # Any programme matching all words but one is found; one matching every word scores
    # on more clauses, and the constant bonus puts it above those matching only some.
    enough = Query.boolean_query(
        [(Occur.Should, g) for g in groups], minimum_number_should_match=required
    )
    return Query.boolean_query(
        [
            (Occur.Must, enough),
            (Occur.Should, Query.const_score_query(every, ALL_WORDS_BOOST)),
        ]
    )


def _integer_range(name: str, low: int | None, high: int | None) -> Query:
    return Query.range_query(SCHEMA, name, tantivy.FieldType.Integer, low, high)


def _float_range(name: str, low: float, high: float) -> Query:
    return Query.range_query(SCHEMA, name, tantivy.FieldType.Float, low, high)


def filter_query(condition: Condition, near_ids: list[int] | None) -> Query:
    """One filter as a query; `Near` as the ids `distances` found within its radius."""
    match condition:
        case Term(field, value):
            return Query.term_query(SCHEMA, field, value)
        case AnyTerm(field, values):
            return Query.term_set_query(SCHEMA, field, list(values))
        case AgeWithin(age):
            return all_of(
                [_integer_range("age_min", None, age), _integer_range("age_max", age, None)]
            )
        case Near():
            return Query.term_set_query(SCHEMA, "id", near_ids) if near_ids else Query.empty_query()
        case AtMost(field, value):
            return _integer_range(field, None, value)
    raise TypeError(f"unknown filter {condition!r}")


def distances(
    searcher: tantivy.Searcher, near: Near, among: Query | None = None
) -> dict[int, float | None]:
    """Programme id → distance of its nearest place (of `near.places`) within the radius
    of `near`; with `near.online`, also every programme online at its nearest place's
    distance, whatever it is (None: it has no place). With `among` (the query's text),
    only the programmes it finds: every query the filter goes into has the text too, and
    a text found in few programmes leaves few to measure."""
    lat, lon = near.origin
    columns = GEO_COLUMNS[near.places]
    south, north, west, east = bounding_box(lat, lon, near.radius_km)
    within = [among] if among is not None else []
    box = all_of(
        [*within, _float_range(columns.lat, south, north), _float_range(columns.lon, west, east)]
    )
    found: dict[int, float | None] = {
        doc_id: km
        for doc_id, km in _nearest(searcher, box, near, columns).items()
        if km is not None and km <= near.radius_km
    }
    if near.online:
        online = all_of([*within, Query.term_query(SCHEMA, near.online, "1")])
        for doc_id, km in _nearest(searcher, online, near, columns).items():
            found.setdefault(doc_id, km)
    return found


def _nearest(
    searcher: tantivy.Searcher, query: Query, near: Near, columns: GeoColumns
) -> dict[int, float | None]:
    """Programme id → distance from `near.origin` to its nearest place, for the programmes
    `query` finds (None: no place)."""
    lat, lon = near.origin
    addresses = [a for _s, a in searcher.search(query, limit=every_hit(searcher), count=False).hits]
    values = [
        searcher.fast_field_values(name, addresses)
        for name in ("id", columns.count, columns.lat0, columns.lon0)
    ]
    found: dict[int, float | None] = {}
    # Many programmes share a postcode's coordinates: measure each point once.
    measured: dict[tuple[float, float], float] = {}
    for address, doc_id, count, lat0, lon0 in zip(addresses, *values, strict=True):
        if count == 0:
            nearest = None
        elif count == 1:
            nearest = measured.get((lat0, lon0))
            if nearest is None:
                nearest = measured[lat0, lon0] = distance_km(lat, lon, lat0, lon0)
        else:  # several places: read them from the document
            places = stored_document(searcher, address).get(near.places) or []
            nearest = nearest_km(lat, lon, places)
        found[int(doc_id)] = nearest
    return found


def ranked_by_freshness(query: Query) -> Query:
    """`query`, with programmes confirmed within the staleness period scored higher."""
    fresh = _integer_range("confirmed_days", fresh_since(), None)
    return Query.boolean_query(
        [(Occur.Must, query), (Occur.Should, Query.const_score_query(fresh, FRESHNESS_BOOST))]
    )


def facets(
    searcher: tantivy.Searcher, base: list[Query], filters: dict[str, Query], total: int
) -> dict[str, list[tuple[str, int]]]:
    """Facet counts; a facet's own filter is left out of its counts (post_filter style).
    The facets without a filter of their own count the search's `total` hits: none to
    count when it found nothing."""
    shared = [name for name in FACETS if name not in filters]
    counts: dict[str, list[tuple[str, int]]] = {} if total else {name: [] for name in shared}
    groups = [(shared if total else [], all_of(base + list(filters.values())))]
    for name in FACETS:
        if name in filters:
            others = [q for key, q in filters.items() if key != name]
            groups.append(([name], all_of(base + others)))
    for names, query in groups:
        if not names:
            continue
        aggs = {n: {"terms": {"field": n, "size": FACET_SIZE}} for n in names}
        answer = searcher.aggregate(query, aggs)
        for n in names:
            buckets = answer.get(n, {}).get("buckets", [])
            counts[n] = [(b["key"], int(b["doc_count"])) for b in buckets]
    return counts
