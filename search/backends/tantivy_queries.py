"""tantivy queries: the query text, the filters, distances and freshness (the facets are
`tantivy_facets`).

Functions of a searcher and the engine-neutral parts of a search (`search.backends.interface`);
`TantivyBackend.search` puts them together.
"""

from __future__ import annotations

from typing import NamedTuple

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


class TextQuery(NamedTuple):
    """A query text's two forms: `scored` ranks (boosts per field and synonym, a bonus for
    every word), `matching` finds the same programmes with none of that (a flat, unboosted
    union of term queries per word), which tantivy evaluates in about half the time: the
    counts (facets, distances, sorts by date or distance) need only which programmes
    match, not how well."""

    scored: Query
    matching: Query


def _term_clauses(searcher: tantivy.Searcher, word: str) -> list[tuple[float, Query]]:
    """A word's term queries on every text field and on the place names, each with the
    field's boost; none on a field that never holds the term (it adds a scorer only)."""
    clauses = []
    for name, (lang, boost) in (*TEXT_FIELDS.items(), (PLACE_FIELD, ("plain", PLACE_BOOST))):
        for term in analyze_word(word, lang):
            if searcher.doc_freq(name, term) > 0:
                clauses.append((boost, Query.term_query(SCHEMA, name, term)))
    return clauses


def _any(queries: list[Query]) -> Query:
    """Documents matching one of `queries` (at least one)."""
    if len(queries) == 1:
        return queries[0]
    return Query.boolean_query([(Occur.Should, q) for q in queries])


def text_query(searcher: tantivy.Searcher, q: str) -> TextQuery | None:
    """Enough words must match some field (`required_matches`); typos match fuzzily.

    Each word also matches its synonyms (`variants`). Fuzzy automata are costly in
    tantivy, so a word found as such in any field is matched exactly (stemmed, accents
    folded), and only an unknown word (a typo) gets one fuzzy query, on the unstemmed
    `vocab` field that holds every text.
    """
    groups, flat_groups = [], []
    for word in query_words(q):
        alternatives, flat = [], []
        for variant, boost in variants(word):
            clauses = _term_clauses(searcher, variant)
            if clauses:
                query = Query.boolean_query(
                    [(Occur.Should, Query.boost_query(t, b)) for b, t in clauses]
                )
                # the word as typed ranks above its synonyms (a boost of 1 changes nothing)
                alternatives.append(query if boost == 1.0 else Query.boost_query(query, boost))
                flat += [t for _b, t in clauses]
        typo = squeeze_repeats(word)
        distance = fuzzy_distance(fold(typo))
        if not flat and distance:
            fuzzy = [
                Query.fuzzy_term_query(SCHEMA, "vocab", term, distance, True, False)
                for term in analyze_word(typo, "plain")
            ]
            alternatives += fuzzy
            flat += fuzzy
        if not alternatives:  # a word no field holds, too short for typos: nothing matches
            groups.append(Query.empty_query())
            flat_groups.append(Query.empty_query())
            continue
        # the best-matching synonym counts, not their sum
        groups.append(
            alternatives[0] if len(alternatives) == 1 else Query.disjunction_max_query(alternatives)
        )
        flat_groups.append(_any(flat))
    if not groups:
        return None
    required = required_matches(len(groups))
    if required == len(groups):
        return TextQuery(all_of(groups), all_of(flat_groups))
    # Any programme matching all words but one is found; one matching every word scores
    # on more clauses, and the constant bonus puts it above those matching only some.
    enough = Query.boolean_query(
        [(Occur.Should, g) for g in groups], minimum_number_should_match=required
    )
    scored = Query.boolean_query(
        [
            (Occur.Must, enough),
            (Occur.Should, Query.const_score_query(all_of(groups), ALL_WORDS_BOOST)),
        ]
    )
    matching = Query.boolean_query(
        [(Occur.Should, g) for g in flat_groups], minimum_number_should_match=required
    )
    return TextQuery(scored, matching)


def _integer_range(name: str, low: int | None, high: int | None) -> Query:
    return Query.range_query(SCHEMA, name, tantivy.FieldType.Integer, low, high)


def _float_range(name: str, low: float, high: float) -> Query:
    return Query.range_query(SCHEMA, name, tantivy.FieldType.Float, low, high)


def filter_query(condition: Condition, near: NearMatch | None) -> Query:
    """One filter as a query; `Near` as `distances` found it."""
    match condition:
        case Term(field, value):
            return Query.term_query(SCHEMA, field, value)
        case AnyTerm(field, values):
            # a term set costs a fixed quarter of a millisecond, a few term queries much
            # less; the same constant score as a term set's (a filter does not rank)
            terms = [Query.term_query(SCHEMA, field, value) for value in values]
            return Query.const_score_query(_any(terms), 1.0)
        case AgeWithin(age):
            return all_of(
                [_integer_range("age_min", None, age), _integer_range("age_max", age, None)]
            )
        case Near():
            return near.query if near is not None else Query.empty_query()
        case AtMost(field, value):
            return _integer_range(field, None, value)
    raise TypeError(f"unknown filter {condition!r}")


class NearMatch(NamedTuple):
    """The programmes a `Near` filter keeps (among those of the text): their distances, and
    a query that finds exactly them where it goes with the text."""

    distances: dict[int, float | None]
    query: Query


#: up to this many ids, term queries; beyond, a term set (a fixed quarter of a millisecond)
FEW_IDS = 64


def distances(searcher: tantivy.Searcher, near: Near, among: Query | None = None) -> NearMatch:
    """Programme id → distance of its nearest place (of `near.places`) within the radius
    of `near`; with `near.online`, also every programme online at its nearest place's
    distance, whatever it is (None: it has no place). With `among` (the query's text),
    only the programmes it finds: every query the filter goes into has the text too, and
    a text found in few programmes leaves few to measure.

    The query is the radius's bounding box without the programmes of the box found
    farther (its corners hold about a fifth of it), or online: cheap column ranges and a
    few ids, where the ids of every programme within the radius made a term set that
    tantivy evaluated at a cost of its own in each query it went into."""
    lat, lon = near.origin
    columns = GEO_COLUMNS[near.places]
    south, north, west, east = bounding_box(lat, lon, near.radius_km)
    within = [among] if among is not None else []
    area = [_float_range(columns.lat, south, north), _float_range(columns.lon, west, east)]
    found: dict[int, float | None] = {}
    farther = []
    for doc_id, km in _nearest(searcher, all_of([*within, *area]), near, columns).items():
        if km is not None and km <= near.radius_km:
            found[doc_id] = km
        else:
            farther.append(doc_id)
    box = [(Occur.Must, q) for q in area]
    places = [Query.boolean_query(box + ([(Occur.MustNot, _ids(farther))] if farther else []))]
    if near.online:
        online = Query.term_query(SCHEMA, near.online, "1")
        for doc_id, km in _nearest(searcher, all_of([*within, online]), near, columns).items():
            found.setdefault(doc_id, km)
        places.append(online)
    if not found:
        return NearMatch(found, Query.empty_query())
    # a filter does not rank: the same constant score for every programme it keeps
    return NearMatch(found, Query.const_score_query(_any(places), 1.0))


def _ids(ids: list[int]) -> Query:
    if len(ids) > FEW_IDS:
        return Query.term_set_query(SCHEMA, "id", sorted(ids))
    return _any([Query.term_query(SCHEMA, "id", doc_id) for doc_id in ids])


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
