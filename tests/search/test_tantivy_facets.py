"""The embedded engine's facet counts are exact: across segments for a facet of many values,
for a value outside a facet's list (counted on the text column), and under a filter whose
value needs escaping in the query string."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from search.backends import tantivy_facets
from search.backends import tantivy_queries as queries
from search.backends.interface import AnyTerm, Term, index_filters
from search.backends.tantivy_schema import FACET_BITS
from search.query import FACETS
from search.services import parse_search_params
from tests.contract.corpus import corpus_documents
from tests.search.tantivy_index import document_like, searcher_of

EVERYTHING = queries.all_of([])


@pytest.fixture
def template():
    """An index document of the contract corpus to copy."""
    return corpus_documents()[0]


def test_a_facet_of_many_values_is_counted_exactly_across_segments(tmp_path, template):
    # The first segment holds 700 cities once each and "Zele" once; the second "Zele"
    # again. A segment that reports only its top values (tantivy's default: ten times the
    # size asked; ties in the order of the names) leaves the first "Zele" out, and the
    # count says 1.
    first = [document_like(template, i, city=[f"City {i:04d}"]) for i in range(1, 701)]
    first.append(document_like(template, 701, city=["Zele"]))
    second = [
        document_like(template, 702, city=["Zele"]),
        document_like(template, 703, city=["Aalter"]),
    ]
    searcher = searcher_of(tmp_path, first, second)
    assert searcher.num_segments == 2
    counts = tantivy_facets.facets(searcher, EVERYTHING, {}, total=703)
    assert counts["city"][0] == ("Zele", 2)
    assert len(counts["city"]) == tantivy_facets.FACET_SIZE


def test_a_value_outside_a_facets_list_is_counted_on_the_text(tmp_path, template):
    # "mentors" is no audience of the taxonomy (an older code, say): the document's column
    # of bits cannot hold it, and the audience facet is counted on its text column instead
    docs = [
        document_like(template, 1, audience=["mentors"], theme=["employment"]),
        document_like(
            template, 2, audience=["refugees", "mentors"], theme=["employment", "digital"]
        ),
        document_like(template, 3, audience=["refugees"], theme=["digital"]),
    ]
    searcher = searcher_of(tmp_path, docs)
    counts = tantivy_facets.facets(searcher, EVERYTHING, {}, total=3)
    assert counts["audience"] == [("mentors", 2), ("refugees", 2)]
    assert counts["theme"] == [("digital", 2), ("employment", 2)]  # from its column of bits
    theme = {"theme": AnyTerm("theme", ("digital",))}
    counts = tantivy_facets.facets(searcher, EVERYTHING, theme, total=2)
    assert counts["audience"] == [("refugees", 2), ("mentors", 1)]
    assert counts["theme"] == [("digital", 2), ("employment", 2)]  # without its own filter


def test_every_list_of_bits_fits_one_integer_column():
    assert all(len(values) < 63 for values in FACET_BITS.values())
    assert set(FACET_BITS) <= set(FACETS)


def test_every_facet_filter_is_a_term_or_a_set_of_terms(app):
    """`filter_string` writes those only: a facet filtered another way would fail every
    search that uses it."""
    args = {
        "theme": "employment",
        "audience": "refugees",
        "format": "online",
        "language": "nl",
        "cost": "free",
        "province": "Antwerp",
        "city": "Gent",
    }
    assert set(args) == set(FACETS)
    with app.test_request_context():
        conditions = index_filters(parse_search_params(MultiDict(args), "fr"))
    for name in FACETS:
        assert isinstance(conditions[name], Term | AnyTerm), name
        assert tantivy_facets.filter_string(conditions[name])


@pytest.mark.parametrize("value", ['rue "du" port', "back\\slash", "l'écluse"])
def test_a_filter_value_is_escaped_in_the_query_string(tmp_path, template, value):
    docs = [
        document_like(template, 1, city_key=[value], theme=["employment"]),
        document_like(template, 2, city_key=["elsewhere"], theme=["digital"]),
    ]
    searcher = searcher_of(tmp_path, docs)
    city = {"city": Term("city_key", value)}
    counts = tantivy_facets.facets(searcher, EVERYTHING, city, total=1)
    assert counts["theme"] == [("employment", 1)]
