"""The distributed backend: Elasticsearch 8/9 through the official client.

The live index is reached through an alias (`SEARCH_INDEX_PREFIX`); a reindex creates a
new concrete index beside it and moves the alias in one `update_aliases` call, then
drops the old index. The settings and mappings are in `elasticsearch_mappings`, the
request bodies in `elasticsearch_queries`.
"""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from elasticsearch import ApiError, Elasticsearch, TransportError

from search.analysis import squeeze_repeats
from search.backends import elasticsearch_queries as queries
from search.backends import interface
from search.backends.elasticsearch_mappings import SETTINGS, mappings, suggest_inputs, vocab_text
from search.backends.interface import BackendResults, DocHit, Near, SearchUnavailable
from search.geo import nearest_km
from search.query import FACETS, SearchParams


class ElasticsearchBackend:
    """An alias over one concrete index at a time."""

    def __init__(self, url: str, prefix: str) -> None:
        self.url = url
        self.alias = prefix
        self._client: Elasticsearch | None = None
        self._ready = False
        self._lock = threading.Lock()

    @property
    def client(self) -> Elasticsearch:
        if self._client is None:
            self._client = Elasticsearch(
                self.url, request_timeout=10, max_retries=1, retry_on_timeout=False
            )
        return self._client

    def _call(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (ApiError, TransportError) as error:
            raise SearchUnavailable(f"elasticsearch: {type(error).__name__}: {error}") from error

    def _create_index(self) -> str:
        name = f"{self.alias}-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:6]}"
        self._call(self.client.indices.create, index=name, settings=SETTINGS, mappings=mappings())
        return name

    def _ensure(self) -> None:
        """Create the first index and its alias when there is none yet."""
        if self._ready:
            return
        with self._lock:
            if self._ready:
                return
            if not self._call(self.client.indices.exists_alias, name=self.alias):
                name = self._create_index()
                self._call(
                    self.client.indices.update_aliases,
                    actions=[{"add": {"index": name, "alias": self.alias}}],
                )
            self._ready = True

    # --- writing -------------------------------------------------------------------------

    def _bulk(self, index: str, operations: list[dict[str, Any]], refresh: Any) -> set[int]:
        if not operations:
            return set()
        answer = self._call(self.client.bulk, index=index, operations=operations, refresh=refresh)
        acknowledged: set[int] = set()
        for item in answer["items"]:
            ((action, result),) = item.items()
            status = result.get("status", 500)
            if status < 300 or (action == "delete" and status == 404):
                acknowledged.add(int(result["_id"]))
        return acknowledged

    @staticmethod
    def _index_operations(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        operations: list[dict[str, Any]] = []
        for doc in docs:
            operations.append({"index": {"_id": str(doc["id"])}})
            operations.append(
                {**doc, "suggest_input": suggest_inputs(doc), "vocab": vocab_text(doc)}
            )
        return operations

    def index(self, docs: list[dict[str, Any]]) -> set[int]:
        """Bulk-index; only the items the cluster acknowledged are returned."""
        self._ensure()
        return self._bulk(self.alias, self._index_operations(docs), "wait_for")

    def delete(self, ids: list[int]) -> set[int]:
        """Bulk-delete; a document already absent counts as deleted."""
        self._ensure()
        operations = [{"delete": {"_id": str(i)}} for i in ids]
        return self._bulk(self.alias, operations, "wait_for")

    def reindex(self, docs: Iterable[dict[str, Any]]) -> int:
        """Fill a new index, then move the alias to it atomically and drop the old one."""
        self._ensure()
        name = self._create_index()
        count = 0
        for batch in interface.batched(docs, 500):
            count += len(self._bulk(name, self._index_operations(batch), False))
        self._call(self.client.indices.refresh, index=name)
        old = list(self._call(self.client.indices.get_alias, name=self.alias).keys())
        actions = [{"remove": {"index": o, "alias": self.alias}} for o in old]
        actions.append({"add": {"index": name, "alias": self.alias}})
        self._call(self.client.indices.update_aliases, actions=actions)
        for o in old:
            # A stray index is harmless: the alias no longer points to it.
            with contextlib.suppress(ApiError, TransportError):
                self.client.indices.delete(index=o)
        return count

    # --- reading -------------------------------------------------------------------------

    def ping(self) -> bool:
        try:
            return bool(self.client.ping())
        except (ApiError, TransportError):
            return False

    def count(self) -> int:
        self._ensure()
        return int(self._call(self.client.count, index=self.alias)["count"])

    def search(self, params: SearchParams, *, facets: bool = True) -> BackendResults:
        """Text, filters, facets (each without its own filter), geo, sort and one page."""
        self._ensure()
        conditions = interface.index_filters(params)
        body = queries.search_body(params, conditions, facets=facets)
        answer = self._call(self.client.search, index=self.alias, **body)
        near = conditions.get("near")
        results = BackendResults(total=int(answer["hits"]["total"]["value"]))
        for hit in answer["hits"]["hits"]:
            doc = hit["_source"]
            distance = None
            if isinstance(near, Near):
                distance = nearest_km(*near.origin, doc.get(near.places) or [])
            results.hits.append(
                DocHit(doc=doc, score=float(hit.get("_score") or 0.0), distance_km=distance)
            )
        for name in FACETS:
            buckets = answer.get("aggregations", {}).get(name, {}).get("values", {})
            results.facets[name] = [
                (b["key"], int(b["doc_count"])) for b in buckets.get("buckets", [])
            ]
        return results

    def suggest(self, prefix: str, lang: str, limit: int = 8) -> list[dict[str, str]]:
        """Completion suggester over every word-suffix of titles and organisation names."""
        self._ensure()
        body = {
            "suggest": {
                "s": {
                    "prefix": prefix,
                    "completion": {
                        "field": "suggest_input",
                        "size": limit * 3,
                        "skip_duplicates": True,
                    },
                }
            }
        }
        answer = self._call(self.client.search, index=self.alias, **body)
        options = answer.get("suggest", {}).get("s", [{}])[0].get("options", [])
        return interface.suggestions((o.get("_source", {}) for o in options), prefix, lang, limit)

    def closest_words(self, words: Sequence[str], lang: str) -> list[str | None]:
        """Per word, the term suggester's closest word of the index when the word itself is
        not indexed, else None (one suggester per word, so that the answers line up)."""
        self._ensure()
        squeezed = [squeeze_repeats(word) for word in words]
        term = {"field": "vocab", "suggest_mode": "missing", "max_edits": 2}
        body = {
            "suggest": {f"w{i}": {"text": word, "term": term} for i, word in enumerate(squeezed)}
        }
        try:
            answer = self.client.search(index=self.alias, size=0, **body)
        except (ApiError, TransportError):
            return [None] * len(words)
        out: list[str | None] = []
        for i, (word, short) in enumerate(zip(words, squeezed, strict=True)):
            entries = answer.get("suggest", {}).get(f"w{i}") or [{}]
            options = entries[0].get("options") or []
            if options:
                out.append(options[0]["text"])
            else:
                out.append(short if short.lower() != word.lower() else None)
        return out
