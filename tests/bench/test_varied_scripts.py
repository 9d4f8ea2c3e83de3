"""The never-alike rows' wrk scripts, run by wrk against a server that records the paths:
hardly two requests alike, the row's own filters used, and every path one the search API
answers (not a refusal the row would measure instead)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from bench.scenarios.search_lua import MENTOR_VARIED_FILTERS, varied_lua
from bench.wrk import load

#: as many postcodes as the bench draws (their values do not matter to a recording server)
POSTCODES = [str(code) for code in range(1000, 1300)]
#: about the requests one bench run of a varied row sends
RUN = 1_500


@pytest.fixture
def recorded() -> Iterator[tuple[str, list[str]]]:
    """A loopback server that answers 200 to anything and keeps each request's path; after
    a run's worth of requests it answers slowly (the other tests share the cores)."""
    paths: list[str] = []

    class Record(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # else each answer waits for a delayed ACK

        def do_GET(self) -> None:
            paths.append(self.path)
            if len(paths) > RUN:  # enough: slow wrk down rather than load the machine
                time.sleep(0.05)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Record)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/", paths
    finally:
        server.shutdown()
        server.server_close()


def _sent(recorded, lua: str) -> list[dict[str, list[str]]]:
    url, paths = recorded
    load(url, lua, seconds=2, connections=2)
    assert len(paths) >= RUN
    # a one-word query with no filter on page 1 may come again; hardly anything else does
    run = paths[:RUN]
    assert len(set(run)) >= 0.98 * RUN, "requests repeat: a cache could carry them"
    return [parse_qs(urlsplit(path).query) for path in paths]


def test_the_mentor_row_asks_for_mentor_places_with_its_own_filters(recorded):
    lua = varied_lua(
        POSTCODES, base="/api/v1/programmes?seeking_mentors=1&", extra_filters=MENTOR_VARIED_FILTERS
    )
    queries = _sent(recorded, lua)
    assert all(query["seeking_mentors"] == ["1"] and query["q"] for query in queries)
    for _share, name, _values in MENTOR_VARIED_FILTERS:
        assert any(name in query for query in queries), name
    assert any("near" in query for query in queries)


def test_the_directory_row_does_not_ask_for_mentor_places(recorded):
    queries = _sent(recorded, varied_lua(POSTCODES))
    assert not any("seeking_mentors" in query or "experience" in query for query in queries)


def test_every_mentor_filter_value_is_one_the_api_accepts(client):
    for _share, name, values in MENTOR_VARIED_FILTERS:
        for value in values:
            answer = client.get(f"/api/v1/programmes?seeking_mentors=1&{name}={value}")
            assert answer.status_code == 200, (name, value, answer.json)
