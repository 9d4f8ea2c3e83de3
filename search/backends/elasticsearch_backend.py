"""The distributed backend: Elasticsearch 8/9 through the official client.

The live index is reached through an alias (`SEARCH_INDEX_PREFIX`); a reindex creates a
new concrete index beside it and moves the alias in one `update_aliases` call, then
drops the old index. User text only ever goes into `match`/`multi_match` values, never
into a `query_string`.
"""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError

from coalition.postcodes import distance_km
from search.analysis import (
    LANGS,
    SYNONYM_BOOST,
    query_words,
    required_matches,
    starts_like,
    variants,
)
from search.backends import BackendResults, DocHit, SearchUnavailable
from search.documents import EPOCH, STALE_AFTER_DAYS

if TYPE_CHECKING:
    from search.services import SearchParams

FACET_FIELDS = ("theme", "audience", "format", "language", "cost", "province", "city")
FACET_SIZE = 50
KEYWORDS = (
    "uuid",
    "theme",
    "audience",
    "format",
    "language",
    "cost",
    "capacity",
    "city",
    "city_key",
    "province",
    "org_slug",
)
TEXT_BOOSTS: dict[str, float] = {"org": 2.0}
for _lang in LANGS:
    TEXT_BOOSTS.update(
        {
            f"title_{_lang}": 3.0,
            f"summary_{_lang}": 2.0,
            f"description_{_lang}": 1.0,
            f"tags_{_lang}": 1.5,
        }
    )
MAX_SUGGEST_WORDS = 10

SETTINGS: dict[str, Any] = {
    "number_of_shards": 1,
    "analysis": {
        "filter": {
            "fr_elision": {
                "type": "elision",
                "articles_case": True,
                "articles": [
                    "l",
                    "m",
                    "t",
                    "qu",
                    "n",
                    "s",
                    "j",
                    "d",
                    "c",
                    "jusqu",
                    "quoiqu",
                    "lorsqu",
                    "puisqu",
                ],
            },
            # The light French stemmer folds plurals ("emplois" → "emploi").
            "fr_stemmer": {"type": "stemmer", "language": "light_french"},
            "nl_stemmer": {"type": "stemmer", "language": "dutch"},
            "en_stemmer": {"type": "stemmer", "language": "english"},
        },
        "analyzer": {
            "fr": {
                "tokenizer": "standard",
                "filter": ["fr_elision", "lowercase", "asciifolding", "fr_stemmer"],
            },
            "nl": {"tokenizer": "standard", "filter": ["lowercase", "asciifolding", "nl_stemmer"]},
            "en": {"tokenizer": "standard", "filter": ["lowercase", "asciifolding", "en_stemmer"]},
            "plain": {"tokenizer": "standard", "filter": ["lowercase", "asciifolding"]},
        },
    },
}


def _mappings() -> dict[str, Any]:
    properties: dict[str, Any] = {
        "id": {"type": "integer"},
        "age_min": {"type": "integer"},
        "age_max": {"type": "integer"},
        "confirmed_days": {"type": "integer"},
        "published_ts": {"type": "long"},
        "locations": {"type": "geo_point"},
        "org": {"type": "text", "analyzer": "plain", "copy_to": "vocab"},
        "vocab": {"type": "text", "analyzer": "plain"},
        "suggest_input": {"type": "completion", "analyzer": "plain"},
        "suggest": {"type": "keyword", "index": False},
    }
    for name in KEYWORDS:
        properties[name] = {"type": "keyword"}
    for lang in LANGS:
        for name in ("title", "summary", "description", "tags"):
            properties[f"{name}_{lang}"] = {"type": "text", "analyzer": lang, "copy_to": "vocab"}
    return {"dynamic": "false", "properties": properties}


def _suggest_inputs(doc: dict[str, Any]) -> list[str]:
    """Every word-suffix of the titles and the organisation name (completion is prefix-only)."""
    inputs: list[str] = []
    for text in doc["suggest"]:
        words = text.split()[:MAX_SUGGEST_WORDS]
        inputs.extend(" ".join(words[i:]) for i in range(len(words)))
    return list(dict.fromkeys(i for i in inputs if i))


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
        self._call(self.client.indices.create, index=name, settings=SETTINGS, mappings=_mappings())
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
            operations.append({**doc, "suggest_input": _suggest_inputs(doc)})
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
        count, batch = 0, []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= 500:
                count += len(self._bulk(name, self._index_operations(batch), False))
                batch = []
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

    @staticmethod
    def _text_query(q: str) -> dict[str, Any] | None:
        words = query_words(q)
        if not words:
            return None
        fields = [f"{name}^{boost}" for name, boost in TEXT_BOOSTS.items()]
        groups = []
        for word in words:
            groups.append(
                {
                    "bool": {
                        "should": [
                            {
                                # the best-matching synonym counts, not their sum
                                "dis_max": {
                                    "queries": [
                                        {
                                            "multi_match": {
                                                "query": variant,
                                                "fields": fields,
                                                "type": "best_fields",
                                                # the word as typed ranks above its synonyms
                                                "boost": 1.0 if variant == word else SYNONYM_BOOST,
                                            }
                                        }
                                        for variant in variants(word)
                                    ]
                                }
                            },
                            {
                                "multi_match": {
                                    "query": word,
                                    "fields": fields,
                                    "type": "best_fields",
                                    "fuzziness": "AUTO",
                                    "boost": 0.5,
                                }
                            },
                        ],
                        "minimum_should_match": 1,
                    }
                }
            )
        return {"bool": {"should": groups, "minimum_should_match": required_matches(len(groups))}}

    @staticmethod
    def _filters(params: SearchParams) -> dict[str, dict[str, Any]]:
        from search.services import fold_city

        filters: dict[str, dict[str, Any]] = {}
        for name, attr in (
            ("theme", "themes"),
            ("audience", "audiences"),
            ("format", "formats"),
            ("language", "languages"),
            ("cost", "cost"),
        ):
            values = getattr(params, attr)
            if values:
                filters[name] = {"terms": {name: list(values)}}
        if params.city:
            filters["city"] = {"term": {"city_key": fold_city(params.city)}}
        if params.province:
            filters["province"] = {"term": {"province": params.province}}
        if params.organisation:
            filters["organisation"] = {"term": {"org_slug": params.organisation}}
        if params.age is not None:
            filters["age"] = {
                "bool": {
                    "filter": [
                        {"range": {"age_min": {"lte": params.age}}},
                        {"range": {"age_max": {"gte": params.age}}},
                    ]
                }
            }
        if params.open_only:
            filters["open"] = {"term": {"capacity": "open"}}
        if params.origin:
            lat, lon = params.origin
            filters["near"] = {
                "geo_distance": {
                    "distance": f"{params.radius_km or 25}km",
                    "locations": {"lat": lat, "lon": lon},
                }
            }
        return filters

    def search(self, params: SearchParams) -> BackendResults:
        """One request: text in `query`, filters in `post_filter`, facets without their own."""
        self._ensure()
        text = self._text_query(params.q)
        filters = self._filters(params)
        fresh_since = (date.today() - EPOCH).days - STALE_AFTER_DAYS
        query = {
            "bool": {
                "must": [text or {"match_all": {}}],
                "should": [
                    {
                        "constant_score": {
                            "filter": {"range": {"confirmed_days": {"gte": fresh_since}}},
                            "boost": 0.5,
                        }
                    }
                ],
            }
        }
        aggs = {}
        for name in FACET_FIELDS:
            others = [f for key, f in filters.items() if key != name]
            aggs[name] = {
                "filter": {"bool": {"filter": others}},
                "aggs": {"values": {"terms": {"field": name, "size": FACET_SIZE}}},
            }
        if params.sort == "distance" and params.origin:
            lat, lon = params.origin
            sort: list[Any] = [
                {
                    "_geo_distance": {
                        "locations": {"lat": lat, "lon": lon},
                        "order": "asc",
                        "unit": "km",
                    }
                },
                {"id": "asc"},
            ]
        elif params.sort == "newest":
            sort = [{"published_ts": "desc"}, {"id": "asc"}]
        else:
            sort = [{"_score": "desc"}, {"id": "asc"}]
        body = {
            "query": query,
            "post_filter": {"bool": {"filter": list(filters.values())}},
            "aggs": aggs,
            "sort": sort,
            "from": (params.page - 1) * params.per_page,
            "size": params.per_page,
            "track_total_hits": True,
            "_source": {"excludes": ["suggest_input"]},
        }
        answer = self._call(self.client.search, index=self.alias, **body)
        results = BackendResults(total=int(answer["hits"]["total"]["value"]))
        for hit in answer["hits"]["hits"]:
            doc = hit["_source"]
            distance = None
            if params.origin:
                lat, lon = params.origin
                distance = min(
                    (distance_km(lat, lon, p["lat"], p["lon"]) for p in doc.get("locations", [])),
                    default=None,
                )
            results.hits.append(
                DocHit(doc=doc, score=float(hit.get("_score") or 0.0), distance_km=distance)
            )
        for name in FACET_FIELDS:
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
        try:
            answer = self._call(self.client.search, index=self.alias, **body)
        except NotFoundError:
            return []
        items: list[dict[str, str]] = []
        seen: set[str] = set()
        for option in answer.get("suggest", {}).get("s", [{}])[0].get("options", []):
            doc = option.get("_source", {})
            candidates = [
                (doc.get(f"title_{lang}"), "title"),
                *((doc.get(f"title_{x}"), "title") for x in LANGS),
                ((doc.get("suggest") or [""])[-1], "organisation"),
            ]
            for text, kind in candidates:
                if text and text not in seen and starts_like(text, prefix):
                    seen.add(text)
                    items.append({"text": text, "kind": kind})
                    break
        return items[:limit]

    def correct(self, text: str, lang: str) -> str | None:
        """The term suggester's closest words from the index's vocabulary, if any."""
        self._ensure()
        body = {
            "suggest": {
                "text": " ".join(query_words(text)),
                "t": {"term": {"field": "vocab", "suggest_mode": "missing", "max_edits": 2}},
            }
        }
        try:
            answer = self.client.search(index=self.alias, size=0, **body)
        except (ApiError, TransportError):
            return None
        out, changed = [], False
        for entry in answer.get("suggest", {}).get("t", []):
            options = entry.get("options") or []
            if options:
                out.append(options[0]["text"])
                changed = True
            else:
                out.append(entry["text"])
        return " ".join(out) if changed else None
