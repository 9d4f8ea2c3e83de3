"""The embedded backend: a tantivy index folder under `instance/`.

Layout of `SEARCH_INDEX_PATH`: one folder per generation (`gen-…`) and a `CURRENT` file
naming the live one. A reindex builds a new generation beside the live one, then replaces
`CURRENT` atomically (`os.replace`); readers notice and reopen, never seeing a missing or
half-built index. Writes happen only in the indexer (one writer per folder: tantivy's lock).
The schema is in `tantivy_schema`, the queries in `tantivy_queries`.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import math
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import tantivy

from search.analysis import analyze, edit_distance, fold, squeeze_repeats
from search.backends import interface, tantivy_facets
from search.backends import tantivy_queries as queries
from search.backends.interface import BackendResults, DocHit, Near, SearchUnavailable
from search.backends.tantivy_schema import SCHEMA, open_index, stored_document, tantivy_document
from search.query import FACETS, SearchParams

log = logging.getLogger(__name__)

#: readers look for new commits at most this often (seconds)
RELOAD_EVERY = 0.1
#: the writer's memory (bytes): when it is full, the documents so far become a segment
WRITER_HEAP = 50_000_000
#: documents a reindex reads and converts at a time
REINDEX_BATCH = 5000


class TantivyBackend:
    """tantivy index folders with an atomic `CURRENT` pointer."""

    def __init__(self, path: str) -> None:
        self.root = Path(path)
        self._lock = threading.RLock()
        self._write_lock = threading.Lock()
        self._index: tantivy.Index | None = None
        self._generation: str | None = None
        self._checked = 0.0
        #: the live generation's meta.json as last read: a reader reloads only when it changed
        self._meta: bytes | None = None
        #: (generation, digest of its meta.json): changes whenever the readers see a different
        #: index (a commit, a merge or a switch)
        self._version: tuple[str, str] | None = None

    # --- folders -------------------------------------------------------------------------

    def _pointer(self) -> Path:
        return self.root / "CURRENT"

    def _read_pointer(self) -> str | None:
        try:
            return self._pointer().read_text().strip() or None
        except FileNotFoundError:
            return None

    def _pointer_to(self, generation: str) -> Path:
        """A new pointer file naming `generation`, beside `CURRENT`, to move into its place."""
        tmp = self.root / f".CURRENT-{uuid.uuid4().hex}"
        tmp.write_text(generation)
        return tmp

    def _switch(self, generation: str) -> None:
        os.replace(self._pointer_to(generation), self._pointer())

    def _new_generation(self) -> tuple[str, tantivy.Index]:
        self.root.mkdir(parents=True, exist_ok=True)
        name = f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"
        (self.root / name).mkdir()
        return name, open_index(self.root / name)

    def _first_generation(self) -> str:
        """Make the first generation of an empty folder and point `CURRENT` at it, unless
        another process did first: then theirs. The pointer is linked into place, which
        fails when it exists, so two processes that both found no index (the web server
        and the worker, started together) write to one generation, not each to its own
        with one of them unseen."""
        generation, _index = self._new_generation()
        tmp = self._pointer_to(generation)
        try:
            os.link(tmp, self._pointer())
        except FileExistsError:
            shutil.rmtree(self.root / generation, ignore_errors=True)
            return self._pointer().read_text().strip()  # theirs (an OSError if it is gone)
        except OSError:  # a file system without hard links: the plain switch
            self._switch(generation)
        finally:
            tmp.unlink(missing_ok=True)
        return generation

    def _live(self) -> tantivy.Index:
        """The live index, reopened when `CURRENT` changed, reloaded to see new commits."""
        if self._index is not None and time.monotonic() - self._checked < RELOAD_EVERY:
            return self._index
        with self._lock:
            try:
                generation = self._read_pointer() or self._first_generation()
                if generation != self._generation or self._index is None:
                    # meta.json is read BEFORE the index is opened or reloaded, so what the
                    # readers see is never older than what `version` claims.
                    meta = self._read_meta(generation)
                    self._index = open_index(self.root / generation)
                    self._generation, self._meta = generation, meta
                    self._version = _version(generation, meta)
                else:
                    meta = self._read_meta(generation)
                    if meta is None or meta != self._meta:
                        self._index.reload()
                        self._meta = meta
                        self._version = _version(generation, meta)
                self._checked = time.monotonic()
            except (OSError, ValueError) as error:
                raise SearchUnavailable(
                    f"tantivy index unusable ({error}); `flask search reindex` rebuilds it"
                ) from error
            return self._index

    def _read_meta(self, generation: str) -> bytes | None:
        try:
            return (self.root / generation / "meta.json").read_bytes()
        except FileNotFoundError:
            return None

    def version(self) -> tuple[str, str] | None:
        """What the readers see now: changes exactly when the live index changed (cache key)."""
        self._live()
        return self._version

    # --- writing -------------------------------------------------------------------------

    def _write(
        self, index: tantivy.Index, batches: Iterable[list[dict]], delete_ids: list[int]
    ) -> set[int]:
        """Delete and add in one commit; return the ids of the documents written. A reindex
        writes all its batches in that one commit: its generation is then as few segments
        as the writer's memory allows, and each query costs tantivy a scorer per segment."""
        written: set[int] = set()
        # the live index's writes wait for each other; a new generation is this call's own
        with self._write_lock if index is self._index else contextlib.nullcontext():
            try:
                writer = index.writer(heap_size=WRITER_HEAP, num_threads=1)
            except ValueError as error:  # another process holds the writer lock
                raise SearchUnavailable(f"tantivy writer busy: {error}") from error
            try:
                for doc_id in delete_ids:
                    writer.delete_documents_by_term("id", int(doc_id))
                for docs in batches:
                    for doc_id, tantivy_doc in _converted(docs):
                        writer.delete_documents_by_term("id", doc_id)
                        writer.add_document(tantivy_doc)
                        written.add(doc_id)
                writer.commit()
                self._checked = 0.0  # this process sees its own commit on its next search
            except Exception:
                writer.rollback()
                raise
            finally:
                writer.wait_merging_threads()
        return written

    def index(self, docs: list[dict[str, Any]]) -> set[int]:
        """Add or replace documents in one commit; return the ids written."""
        return self._write(self._live(), [docs], []) if docs else set()

    def delete(self, ids: list[int]) -> set[int]:
        """Remove documents by programme id."""
        if ids:
            self._write(self._live(), [], ids)
        return set(ids)

    def reindex(self, docs: Iterable[dict[str, Any]]) -> int:
        """Build a new generation, switch `CURRENT` to it, drop generations before the last."""
        generation, index = self._new_generation()
        count = len(self._write(index, interface.batched(docs, REINDEX_BATCH), []))
        previous = self._read_pointer()
        self._switch(generation)
        for old in self.root.glob("gen-*"):
            if old.name not in (generation, previous):
                shutil.rmtree(old, ignore_errors=True)
        return count

    # --- reading -------------------------------------------------------------------------

    def ping(self) -> bool:
        try:
            self._live()
        except SearchUnavailable:
            return False
        return True

    def count(self) -> int:
        return self._live().searcher().num_docs

    def search(self, params: SearchParams, *, facets: bool = True) -> BackendResults:
        """Text, filters, facets (each without its own filter), geo, sort and one page."""
        searcher = self._live().searcher()
        text = queries.text_query(searcher, params.q)
        # what only counts or sorts by a column needs no ranking: the unboosted form
        matching = text.matching if text else None
        conditions = interface.index_filters(params)
        near = conditions.get("near")
        nearby = queries.distances(searcher, near, matching) if isinstance(near, Near) else None
        geo = nearby.distances if nearby is not None else None
        filters = {
            name: queries.filter_query(condition, nearby) for name, condition in conditions.items()
        }
        base = [matching] if matching else []
        query = queries.all_of(base + list(filters.values()))
        offset = (params.page - 1) * params.per_page
        results = BackendResults()
        try:
            if params.sort == "distance" and geo is not None:
                # only programmes within the radius match: collect those, not the index
                found = searcher.search(query, limit=max(1, len(geo)))
                ids = searcher.fast_field_values("id", [a for _s, a in found.hits])
                # nearest first; a programme online without a place last
                scored = sorted(
                    zip(ids, found.hits, strict=True),
                    key=lambda item: (_km_or_inf(geo.get(item[0])), item[0]),
                )
                page = [(s, a) for _i, (s, a) in scored[offset : offset + params.per_page]]
            elif params.sort == "newest":
                found = searcher.search(
                    query,
                    limit=params.per_page,
                    offset=offset,
                    order_by_field="published_ts",
                    order=tantivy.Order.Desc,
                )
                page = found.hits
            else:
                ranking = queries.all_of([text.scored, *filters.values()]) if text else query
                ranked = queries.ranked_by_freshness(ranking)
                found = searcher.search(ranked, limit=params.per_page, offset=offset)
                page = found.hits
            results.total = found.count
            for score, address in page:
                doc = stored_document(searcher, address)
                results.hits.append(
                    DocHit(
                        doc=doc,
                        score=float(score) if isinstance(score, float) else 0.0,
                        distance_km=geo.get(int(doc["id"])) if geo is not None else None,
                    )
                )
            if facets:
                unfaceted = [q for name, q in filters.items() if name not in FACETS]
                results.facets = tantivy_facets.facets(
                    searcher, queries.all_of(base + unfaceted), conditions, found.count
                )
        except ValueError as error:
            raise SearchUnavailable(f"tantivy search failed: {error}") from error
        return results

    def suggest(self, prefix: str, lang: str, limit: int = 8) -> list[dict[str, str]]:
        """Titles and organisation names with a word starting like the prefix's last word."""
        words = analyze(prefix, "plain")
        if not words:
            return []
        searcher = self._live().searcher()
        query = tantivy.Query.phrase_prefix_query(SCHEMA, "suggest", words)
        hits = searcher.search(query, limit=limit * 3).hits
        return interface.suggestions(
            (stored_document(searcher, a) for _s, a in hits), prefix, lang, limit
        )

    def closest_words(self, words: Sequence[str], lang: str) -> list[str | None]:
        """Per word, the closest word of the index (up to 2 edits) when the word itself is
        not indexed, else None."""
        searcher = self._live().searcher()
        out: list[str | None] = []
        for word in words:
            term = fold(word)
            if searcher.doc_freq("vocab", term) or len(term) < 4:
                out.append(None)
                continue
            term = squeeze_repeats(term)
            if searcher.doc_freq("vocab", term):
                out.append(term)
                continue
            best = None
            for candidate, freq in searcher.terms_with_prefix("vocab", term[:1]):
                d = edit_distance(term, candidate, 2)
                if d <= 2 and (best is None or (d, -freq) < best[0]):
                    best = ((d, -freq), candidate)
            out.append(best[1] if best else None)
        return out


def _converted(docs: list[dict]) -> Iterator[tuple[int, tantivy.Document]]:
    """The documents in tantivy's form with their ids; one that cannot be is logged, left out."""
    for doc in docs:
        try:
            yield int(doc["id"]), tantivy_document(doc)
        except (KeyError, TypeError, ValueError):
            log.warning("search document %s rejected", doc.get("id"), exc_info=True)


def _km_or_inf(km: float | None) -> float:
    return math.inf if km is None else km


def _version(generation: str, meta: bytes | None) -> tuple[str, str]:
    digest = hashlib.blake2b(meta, digest_size=16).hexdigest() if meta else uuid.uuid4().hex
    return (generation, digest)
