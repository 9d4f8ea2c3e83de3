"""Search backends: the interface (`search.backends.interface`) and its two
implementations, tantivy (embedded) and Elasticsearch (distributed), picked by configuration."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from search.backends.interface import SearchBackend


def make_backend(config: Mapping[str, Any]) -> SearchBackend:
    """The backend named by `SEARCH_BACKEND` ("tantivy" or "elasticsearch")."""
    name = config.get("SEARCH_BACKEND", "tantivy")
    # Only the configured engine's module is imported (start-up cost: an embedded
    # installation never loads the Elasticsearch client).
    if name == "elasticsearch":
        from search.backends.elasticsearch_backend import ElasticsearchBackend

        return ElasticsearchBackend(config["ELASTICSEARCH_URL"], config["SEARCH_INDEX_PREFIX"])
    if name == "tantivy":
        from search.backends.tantivy_backend import TantivyBackend

        return TantivyBackend(config["SEARCH_INDEX_PATH"])
    raise ValueError(f"unknown SEARCH_BACKEND {name!r}")
