"""A tantivy index of given documents, for the tests of the embedded engine's parts."""

from __future__ import annotations

from pathlib import Path

import tantivy

from search.backends.tantivy_schema import open_index, tantivy_document


def searcher_of(path: Path, *segments: list[dict]) -> tantivy.Searcher:
    """A searcher of a new index in `path` with one segment per list of index documents
    (one commit each)."""
    index = open_index(path)
    for docs in segments:
        writer = index.writer(heap_size=15_000_000, num_threads=1)
        for doc in docs:
            writer.add_document(tantivy_document(doc))
        writer.commit()
        writer.wait_merging_threads()
    index.reload()
    return index.searcher()
