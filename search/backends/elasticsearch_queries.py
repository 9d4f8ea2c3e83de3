"""Elasticsearch request bodies: the query text, the filters, freshness, facets and sort.

User text only ever goes into `match`/`multi_match` values, never into a `query_string`.
"""

from __future__ import annotations

from typing import Any

from search.analysis import (
    ALL_WORDS_BOOST,
    query_words,
    required_matches,
    squeeze_repeats,
    variants,
)
from search.backends.interface import AgeWithin, AnyTerm, AtMost, Condition, Near, Term
from search.documents import PLACE_BOOST, PLACE_FIELD, TEXT_FIELDS, fresh_since
from search.query import FACETS, SearchParams

FACET_SIZE = 50
#: the score a programme confirmed recently adds (it ranks above a stale one)
FRESHNESS_BOOST = 0.5
_FIELDS = [f"{name}^{boost}" for name, (_analyzer, boost) in TEXT_FIELDS.items()]
#: a word as typed also matches the place names; a typo does not (`search.spelling`)
_EXACT_FIELDS = [*_FIELDS, f"{PLACE_FIELD}^{PLACE_BOOST}"]


def _word_query(word: str) -> dict[str, Any]:
    """A word or one of its synonyms in any text field or place name, or the word with a
    typo in a text field."""
    synonyms = [
        {
            "multi_match": {
                "query": variant,
                "fields": _EXACT_FIELDS,
                "type": "best_fields",
                # the word as typed ranks above its synonyms
                "boost": boost,
            }
        }
        for variant, boost in variants(word)
    ]
    typo = {
        "multi_match": {
            "query": squeeze_repeats(word),
            "fields": _FIELDS,
            "type": "best_fields",
            "fuzziness": "AUTO",
            "boost": 0.5,
        }
    }
    # the best-matching synonym counts, not their sum
    return {
        "bool": {"should": [{"dis_max": {"queries": synonyms}}, typo], "minimum_should_match": 1}
    }


def text_query(q: str) -> dict[str, Any] | None:
    """Enough words must match some field (`required_matches`); typos match fuzzily."""
    groups = [_word_query(word) for word in query_words(q)]
    if not groups:
        return None
    required = required_matches(len(groups))
    query: dict[str, Any] = {"bool": {"should": groups, "minimum_should_match": required}}
    if required < len(groups):
        # every word above some of them, whatever fields the words were found in
        every = {"constant_score": {"filter": {"bool": {"must": groups}}, "boost": ALL_WORDS_BOOST}}
        query = {"bool": {"must": [query], "should": [every]}}
    return query


def filter_clause(condition: Condition) -> dict[str, Any]:
    """One filter of the search as a query clause."""
    match condition:
        case Term(field, value):
            return {"term": {field: value}}
        case AnyTerm(field, values):
            return {"terms": {field: list(values)}}
        case AgeWithin(age):
            return {
                "bool": {
                    "filter": [
                        {"range": {"age_min": {"lte": age}}},
                        {"range": {"age_max": {"gte": age}}},
                    ]
                }
            }
        case AtMost(field, value):
            return {"range": {field: {"lte": value}}}
        case Near((lat, lon), radius_km, places, online):
            # an index built before `places` existed finds nothing rather than failing
            within = {
                "geo_distance": {
                    "distance": f"{radius_km}km",
                    places: {"lat": lat, "lon": lon},
                    "ignore_unmapped": True,
                }
            }
            if online is None:
                return within
            return {
                "bool": {"should": [within, {"term": {online: "1"}}], "minimum_should_match": 1}
            }
    raise TypeError(f"unknown filter {condition!r}")


def _sort(params: SearchParams, near: Condition | None) -> list[Any]:
    if params.sort == "distance" and isinstance(near, Near):
        lat, lon = near.origin
        # a document without a place of `near.places` (online only) sorts last
        distance = {
            near.places: {"lat": lat, "lon": lon},
            "order": "asc",
            "unit": "km",
            "ignore_unmapped": True,
        }
        return [{"_geo_distance": distance}, {"id": "asc"}]
    if params.sort == "newest":
        return [{"published_ts": "desc"}, {"id": "asc"}]
    return [{"_score": "desc"}, {"id": "asc"}]


def search_body(
    params: SearchParams, conditions: dict[str, Condition], *, facets: bool = True
) -> dict[str, Any]:
    """One request: text in `query`, filters in `post_filter`, facets without their own
    (none with `facets` False)."""
    filters = {name: filter_clause(condition) for name, condition in conditions.items()}
    fresh = {"range": {"confirmed_days": {"gte": fresh_since()}}}
    query = {
        "bool": {
            "must": [text_query(params.q) or {"match_all": {}}],
            "should": [{"constant_score": {"filter": fresh, "boost": FRESHNESS_BOOST}}],
        }
    }
    aggs = {}
    for name in FACETS if facets else ():
        others = [f for key, f in filters.items() if key != name]
        aggs[name] = {
            "filter": {"bool": {"filter": others}},
            "aggs": {"values": {"terms": {"field": name, "size": FACET_SIZE}}},
        }
    return {
        "query": query,
        "post_filter": {"bool": {"filter": list(filters.values())}},
        **({"aggs": aggs} if aggs else {}),
        "sort": _sort(params, conditions.get("near")),
        "from": (params.page - 1) * params.per_page,
        "size": params.per_page,
        "track_total_hits": True,
        "_source": {"excludes": ["suggest_input"]},
    }
