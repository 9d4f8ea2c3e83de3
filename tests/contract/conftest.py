"""The contract suite runs once per search backend: tantivy and Elasticsearch.

Elasticsearch is a real cluster when `ELASTICSEARCH_URL` is set; otherwise the session
starts the Elasticsearch-compatible test server `noida-db` on a free port, with a fresh
data folder, and stops it at the end.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.datastructures import MultiDict

from coalition.app import create_app
from search.query import SearchResults
from search.services import get_backend, parse_search_params, search_programmes
from tests.conftest import close_connections, config_for_tests
from tests.contract.corpus import corpus_documents

BACKENDS = ["tantivy", "elasticsearch"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def elasticsearch_url(tmp_path_factory) -> Iterator[str]:
    """A real cluster from `ELASTICSEARCH_URL`, else a noida-db test server of our own."""
    if os.environ.get("ELASTICSEARCH_URL"):
        yield os.environ["ELASTICSEARCH_URL"]
        return
    exe = shutil.which("noida-db") or str(Path(sys.executable).parent / "noida-db")
    data = tmp_path_factory.mktemp("noida")
    port = free_port()
    subprocess.run(
        [
            exe,
            "up",
            "--only",
            "elasticsearch",
            "--elasticsearch-port",
            str(port),
            "--host",
            "127.0.0.1",
            "--data-dir",
            str(data),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        subprocess.run([exe, "down", "--data-dir", str(data)], capture_output=True, timeout=120)


@pytest.fixture(scope="session", params=BACKENDS)
def backend_name(request) -> str:
    return request.param


@pytest.fixture
def backend_config(backend_name: str, request, tmp_path) -> Callable[..., dict[str, Any]]:
    """Configuration of a fresh, empty index on the backend under test."""

    def config(down: bool = False) -> dict[str, Any]:
        if backend_name == "tantivy":
            path = "/dev/null/search-index" if down else str(tmp_path / uuid.uuid4().hex)
            return {"SEARCH_BACKEND": "tantivy", "SEARCH_INDEX_PATH": path}
        url = (
            f"http://127.0.0.1:{free_port()}"
            if down
            else request.getfixturevalue("elasticsearch_url")
        )
        return {
            "SEARCH_BACKEND": "elasticsearch",
            "ELASTICSEARCH_URL": url,
            "SEARCH_INDEX_PREFIX": f"test-{uuid.uuid4().hex[:10]}",
        }

    return config


def indexed_app(
    backend_name: str, request, database_url: str, instance: str, documents, prefix: str
) -> Flask:
    """An app on the backend under test whose fresh index holds `documents`."""
    if backend_name == "tantivy":
        config = {
            "SEARCH_BACKEND": "tantivy",
            "SEARCH_INDEX_PATH": os.path.join(instance, "search-index"),
        }
    else:
        config = {
            "SEARCH_BACKEND": "elasticsearch",
            "ELASTICSEARCH_URL": request.getfixturevalue("elasticsearch_url"),
            "SEARCH_INDEX_PREFIX": f"{prefix}-{uuid.uuid4().hex[:10]}",
        }
    app = create_app(config_for_tests(database_url, instance, **config))
    # its pooled connections are closed with the fixture, not left to the garbage collector
    # (which warns, failing whichever test runs then)
    request.addfinalizer(lambda: close_connections(app))
    with app.app_context():
        get_backend().reindex(documents)
    return app


def indexed_app_fixture(documents: Callable[[], list], prefix: str):
    """A session fixture: an app whose index holds `documents()` (built once per backend)."""

    @pytest.fixture(scope="session")
    def app_fixture(backend_name: str, request, database_url: str, tmp_path_factory) -> Flask:
        instance = str(tmp_path_factory.mktemp(f"{prefix}-instance"))
        return indexed_app(backend_name, request, database_url, instance, documents(), prefix)

    return app_fixture


#: an app whose index holds the corpus
corpus_app = indexed_app_fixture(corpus_documents, "contract")


def searcher(app: Flask) -> Callable[..., SearchResults]:
    """Search `app`'s index with query-string arguments, as the page and the API do."""

    def run(lang: str = "fr", **args: Any) -> SearchResults:
        with app.test_request_context():
            return search_programmes(parse_search_params(MultiDict(args), lang))

    return run


@pytest.fixture
def search(corpus_app: Flask) -> Callable[..., SearchResults]:
    """Search the corpus with query-string arguments, as the page and the API do."""
    return searcher(corpus_app)


@pytest.fixture
def find(directory_app: Flask) -> Callable[..., SearchResults]:
    """Search the directory of a test module's own, as `search` does the corpus: the module
    names its indexed app `directory_app` (an `indexed_app_fixture`)."""
    return searcher(directory_app)


def ids(results: SearchResults) -> list[int]:
    return [hit.programme_id for hit in results.hits]
