"""Search backends: a small interface and its two implementations (tantivy, Elasticsearch)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from search.services import SearchParams


class SearchUnavailable(RuntimeError):
    """The search engine cannot be reached or refused the request."""


@dataclass
class DocHit:
    #: the index document (see `search.documents`), at least `id` and `uuid`
    doc: dict[str, Any]
    score: float
    distance_km: float | None = None


@dataclass
class BackendResults:
    total: int = 0
    hits: list[DocHit] = field(default_factory=list)
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


class SearchBackend(Protocol):
    """What the service, the indexer and the CLI need from a search engine."""

    def index(self, docs: list[dict[str, Any]]) -> set[int]:
        """Add or replace documents; return the ids the engine acknowledged."""

    def delete(self, ids: list[int]) -> set[int]:
        """Remove documents by programme id; return the ids acknowledged."""

    def search(self, params: SearchParams) -> BackendResults:
        """Run a search (text, filters, geo, sort, facets, page)."""

    def suggest(self, prefix: str, lang: str, limit: int = 8) -> list[dict[str, str]]:
        """Titles and organisation names starting like `prefix`."""

    def correct(self, text: str, lang: str) -> str | None:
        """A spelling correction of `text` from the index's vocabulary, if any."""

    def count(self) -> int:
        """How many documents the live index holds."""

    def reindex(self, docs: Iterable[dict[str, Any]]) -> int:
        """Build a fresh index beside the live one, then switch atomically; return the count."""

    def ping(self) -> bool:
        """True when the engine answers."""


def make_backend(config: Mapping[str, Any]) -> SearchBackend:
    """The backend named by `SEARCH_BACKEND` ("tantivy" or "elasticsearch")."""
    name = config.get("SEARCH_BACKEND", "tantivy")
    if name == "elasticsearch":
        from search.backends.elasticsearch_backend import ElasticsearchBackend

        return ElasticsearchBackend(config["ELASTICSEARCH_URL"], config["SEARCH_INDEX_PREFIX"])
    if name == "tantivy":
        from search.backends.tantivy_backend import TantivyBackend

        return TantivyBackend(config["SEARCH_INDEX_PATH"])
    raise ValueError(f"unknown SEARCH_BACKEND {name!r}")
