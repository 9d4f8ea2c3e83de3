"""What the search part reports to /metrics and /readyz."""

from __future__ import annotations

from tests.ops.test_metrics import scrape, value


def test_searches_are_timed_and_counted_by_outcome(
    client, db, directory, search_backend, index_programmes
):
    index_programmes(directory["programmes"]["jobs"])
    before = scrape(client)
    client.get("/fr/programmes?q=emploi")
    client.get("/api/v1/programmes?q=fietsherstelling&lang=nl")
    client.get("/api/v1/programmes/suggest?q=ment&lang=fr")
    after = scrape(client)

    def grew(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("bmp_search_queries_total", backend="tantivy", result="hits") == 1
    assert grew("bmp_search_queries_total", backend="tantivy", result="zero_hits") == 1
    assert grew("bmp_search_duration_seconds_count", backend="tantivy", kind="search") >= 2
    assert grew("bmp_search_duration_seconds_count", backend="tantivy", kind="suggest") == 1


def test_the_search_engine_is_on_readyz(client, search_backend):
    assert client.get("/readyz").json["search"] == "ok"
