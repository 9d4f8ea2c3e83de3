"""A tantivy index of given documents, and documents made like another, for the tests of
the embedded engine's parts."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

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


def document_like(template: dict[str, Any], doc_id: int, **fields: Any) -> dict[str, Any]:
    """A copy of the index document `template` with the id `doc_id` and `fields` changed."""
    doc = copy.deepcopy(template)
    doc.update(id=doc_id, **fields)
    return doc
