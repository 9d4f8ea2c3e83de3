"""The engine is asked only for what the answer needs: no facet counts for the totals of
the zero-hit advice, no count of the facets a search that found nothing cannot have."""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict

from search.backends import elasticsearch_queries, tantivy_backend, tantivy_facets
from search.backends import tantivy_queries as queries
from search.backends.interface import AnyTerm, index_filters
from search.backends.tantivy_schema import SCHEMA, open_index, stored_document, tantivy_document
from search.query import FACETS
from search.services import get_backend, parse_search_params, search_programmes
from tests.contract.corpus import corpus_documents


class CountingSearcher:
    """A real tantivy searcher that counts its aggregation calls."""

    def __init__(self, searcher: Any) -> None:
        self.searcher, self.aggregations = searcher, 0

    def aggregate(self, *args: Any, **kwargs: Any) -> Any:
        self.aggregations += 1
        return self.searcher.aggregate(*args, **kwargs)


def _searcher(tmp_path):
    index = open_index(tmp_path)
    writer = index.writer(heap_size=15_000_000, num_threads=1)
    for doc in corpus_documents():
        writer.add_document(tantivy_document(doc))
    writer.commit()
    index.reload()
    return index.searcher()


def test_a_search_that_found_nothing_counts_only_its_filtered_facets(tmp_path):
    searcher = _searcher(tmp_path)
    theme = {"theme": AnyTerm("theme", ("employment",))}
    nothing = queries.Query.term_query(SCHEMA, "format", "no-such-format")

    counting = CountingSearcher(searcher)
    counts = tantivy_facets.facets(counting, nothing, theme, total=0)
    assert counting.aggregations == 1  # the theme facet, counted without its own filter
    assert counts["theme"] == []  # nothing matches the text, whatever the theme
    assert all(counts[name] == [] for name in FACETS if name != "theme")


def test_every_facet_is_counted_in_one_call_each_without_its_own_filter(tmp_path):
    searcher = _searcher(tmp_path)
    counting = CountingSearcher(searcher)
    both = {"theme": AnyTerm("theme", ("employment",)), "cost": AnyTerm("cost", ("free",))}
    counts = tantivy_facets.facets(counting, queries.all_of([]), both, total=3)
    assert counting.aggregations == 1  # the text is evaluated once for all the facets
    everything = queries.all_of([])
    assert counts["theme"] == _counted(searcher, everything, "theme", cost="free")
    assert counts["cost"] == _counted(searcher, everything, "cost", theme="employment")
    assert counts["format"] == _counted(
        searcher, everything, "format", theme="employment", cost="free"
    )


def _counted(searcher, query, facet: str, **filters: str) -> list[tuple[str, int]]:
    """The counts of `facet` under `filters`, one term query per value (as a reader would)."""
    found = queries.all_of(
        [query, *(queries.Query.term_query(SCHEMA, f, v) for f, v in filters.items())]
    )
    hits = searcher.search(found, limit=1000).hits
    counted: dict[str, int] = {}
    for _score, address in hits:
        values = stored_document(searcher, address).get(facet) or []
        for value in [values] if isinstance(values, str) else values:
            counted[value] = counted.get(value, 0) + 1
    return sorted(counted.items(), key=lambda pair: (-pair[1], pair[0]))


def test_elasticsearch_is_asked_for_no_aggregation_without_facets(api_app):
    with api_app.test_request_context():
        params = parse_search_params(MultiDict({"q": "emploi", "theme": "employment"}), "fr")
        conditions = index_filters(params)
    assert set(elasticsearch_queries.search_body(params, conditions)["aggs"]) == set(FACETS)
    assert "aggs" not in elasticsearch_queries.search_body(params, conditions, facets=False)


def test_the_zero_hit_advice_asks_for_totals_only(api_app, monkeypatch):
    """The relaxed-filter and corrected-query searches read one number each."""
    calls: list[bool] = []
    with api_app.test_request_context():
        backend = get_backend()
        real = backend.search

        def search(params, *, facets=True):
            calls.append(facets)
            return real(params, facets=facets)

        monkeypatch.setattr(backend, "search", search)
        args = MultiDict({"q": "emploi", "theme": "entrepreneurship", "format": "one_to_one"})
        results = search_programmes(parse_search_params(args, "fr"))
    assert results.total == 0 and results.relaxed_filter
    assert calls[0] is True and len(calls) > 1
    assert not any(calls[1:])


def test_a_reindex_writes_its_batches_in_one_commit(tmp_path, monkeypatch):
    """A query costs tantivy a scorer per segment: a reindex that committed each batch
    left one segment per batch."""
    monkeypatch.setattr(tantivy_backend, "REINDEX_BATCH", 3)
    backend = tantivy_backend.TantivyBackend(str(tmp_path))
    docs = corpus_documents()
    assert len(docs) > 3 * 2
    assert backend.reindex(docs) == len(docs)
    searcher = backend._live().searcher()
    assert (searcher.num_segments, searcher.num_docs) == (1, len(docs))
