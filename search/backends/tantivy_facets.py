"""tantivy facet counts: every facet of a search in one aggregation, post_filter style.

A facet's own filter is left out of its counts, so that the visitor sees what choosing
another value would find. One aggregation call does it all: its query is the search's
text and the filters that are not facets (age, distance, …), evaluated once; the facet
filters become `filter` aggregations (query strings) around the counts that need them —
the facets without a filter of their own under all of them, each filtered facet under the
others. (A call per facet filter evaluated the text again each time: most of a search's
engine time.)

The facets whose values come from a short list are counted on their column of bits
(`tantivy_schema.FACET_BITS`): tantivy counts the combinations, and each combination's
count is added to each of its values. A hit with a value outside the list sends that facet
to its text column.
"""

from __future__ import annotations

from typing import Any

import tantivy
from tantivy import Query

from search.backends.interface import AnyTerm, Condition, Term
from search.backends.tantivy_schema import FACET_BITS, UNLISTED, bits_column
from search.query import FACETS

FACET_SIZE = 50
#: combinations of values a column of bits may hold in the hits (all of them are counted)
BIT_COMBINATIONS = 10_000
#: values a segment counts exactly for a facet on its text column (all of them, in practice)
SEGMENT_SIZE = 100_000
#: the aggregation that holds the counts of the facets without a filter of their own
SHARED = "shared"


#: one facet's counts: its name, where they are in the request (None: at the top), and the
#: query strings of the filters they count under
Count = tuple[str, str | None, list[str]]


def facets(
    searcher: tantivy.Searcher,
    query: Query,
    conditions: dict[str, Condition],
    total: int,
) -> dict[str, list[tuple[str, int]]]:
    """The facet counts of a search: `query` is the search without its facet filters,
    `conditions` its filters by facet name (those of `FACETS` are used), `total` its hits
    (the facets without a filter of their own count those: none when it found nothing)."""
    strings = {name: filter_string(conditions[name]) for name in FACETS if name in conditions}
    shared = [name for name in FACETS if name not in strings]
    counts: dict[str, list[tuple[str, int]]] = {} if total else {name: [] for name in shared}
    every = list(strings.values())
    plan: list[Count] = [(n, SHARED if every else None, every) for n in shared] if total else []
    for name in strings:
        others = [s for other, s in strings.items() if other != name]
        plan.append((name, f"without_{name}" if others else None, others))
    if not plan:
        return counts
    answer = searcher.aggregate(query, _aggregations(plan, bits=True))
    unlisted = []
    for count in plan:
        found = _counts(count[0], _answer_of(answer, count), bits=True)
        if found is None:  # a value outside the facet's list
            unlisted.append(count)
        else:
            counts[count[0]] = found
    if unlisted:  # those facets are counted on their text, together
        answer = searcher.aggregate(query, _aggregations(unlisted, bits=False))
        for count in unlisted:
            counts[count[0]] = _counts(count[0], _answer_of(answer, count), bits=False) or []
    return counts


def filter_string(condition: Condition) -> str:
    """A facet's filter as a query string of tantivy's query parser (exact terms of the
    raw-tokenized keyword fields, quoted and escaped)."""
    match condition:
        case Term(field, value):
            return f'{field}:"{_escaped(value)}"'
        case AnyTerm(field, values):
            return "(" + " OR ".join(f'{field}:"{_escaped(v)}"' for v in values) + ")"
    raise TypeError(f"not a facet filter: {condition!r}")


def _escaped(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def _aggregations(plan: list[Count], *, bits: bool) -> dict[str, Any]:
    """The aggregation request of `plan`: each facet's terms, at the top or inside the
    `filter` aggregation of its place."""
    aggregations: dict[str, Any] = {}
    for name, key, wanted in plan:
        if key is None:
            aggregations[name] = _terms(name, bits=bits)
        else:
            holder = aggregations.setdefault(key, {"filter": " AND ".join(wanted), "aggs": {}})
            holder["aggs"][name] = _terms(name, bits=bits)
    return aggregations


def _answer_of(answer: dict[str, Any], count: Count) -> dict[str, Any]:
    """The terms answer of one facet's counts in the aggregation's answer."""
    name, key, _wanted = count
    return answer.get(name, {}) if key is None else answer.get(key, {}).get(name, {})


def _terms(name: str, *, bits: bool) -> dict[str, Any]:
    """The aggregation that counts the facet `name`: on its column of bits if it has one."""
    if bits and name in FACET_BITS:
        return {"terms": {"field": bits_column(name), "size": BIT_COMBINATIONS}}
    # every segment's counts of every value: with the default (ten times `size`), a value
    # outside a segment's top ones is left out of its count there, and the counts of a
    # facet of many values (cities) come out a few short
    return {"terms": {"field": name, "size": FACET_SIZE, "segment_size": SEGMENT_SIZE}}


def _counts(name: str, answer: dict, *, bits: bool) -> list[tuple[str, int]] | None:
    if bits and name in FACET_BITS:
        return _from_bits(name, answer)
    return [(b["key"], int(b["doc_count"])) for b in answer.get("buckets", [])]


def _from_bits(name: str, answer: dict) -> list[tuple[str, int]] | None:
    """The counts of the facet `name`'s values from the counts of its combinations of bits,
    most frequent first, then by value, as a terms aggregation gives them; None when a hit
    has a value outside the list or a combination was left out."""
    if answer.get("sum_other_doc_count"):
        return None
    values = FACET_BITS[name]
    per_value = [0] * len(values)
    for bucket in answer.get("buckets", []):
        bits = int(bucket["key"])
        if bits == UNLISTED:
            return None
        count = int(bucket["doc_count"])
        i = 0
        while bits:
            if bits & 1:
                per_value[i] += count
            bits >>= 1
            i += 1
    found = sorted(((values[i], n) for i, n in enumerate(per_value) if n), key=_by_count)
    return found[:FACET_SIZE]


def _by_count(pair: tuple[str, int]) -> tuple[int, str]:
    return (-pair[1], pair[0])
