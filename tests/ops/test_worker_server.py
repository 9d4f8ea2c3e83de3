"""`flask worker`'s own metrics server: its jobs' figures, and a /healthz that notices a
loop that stopped running jobs."""

from __future__ import annotations

import time
import urllib.error
import urllib.request

import pytest

from bench.processes import free_port
from coalition import worker
from coalition.observability import start_worker_server, tracing, worker_server


@pytest.fixture
def serve(make_app):
    servers = []

    def start(**config):
        app = make_app(WORKER_METRICS_PORT=free_port(), **config)
        server = start_worker_server(app)
        servers.append(server)
        return app, f"http://127.0.0.1:{server.server_port}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def fetch(url: str, headers: dict | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_it_serves_the_job_runs_of_this_process(serve, monkeypatch):
    app, base = serve()
    monkeypatch.setattr(worker, "_jobs", {"tidy": worker.Job("tidy", lambda: 0, 60.0)})
    worker.run_due_jobs(app, every_job=True)
    status, body = fetch(f"{base}/metrics")
    assert status == 200
    assert 'bmp_job_runs_total{job="tidy",outcome="ok"}' in body
    assert fetch(f"{base}/healthz")[0] == 200
    assert fetch(f"{base}/other")[0] == 404


def test_a_failing_job_is_counted_as_failed(serve, monkeypatch):
    app, base = serve()

    def broken():
        raise RuntimeError("bug")

    monkeypatch.setattr(worker, "_jobs", {"broken": worker.Job("broken", broken, 60.0)})
    worker.run_due_jobs(app, every_job=True)
    assert 'bmp_job_runs_total{job="broken",outcome="failed"}' in fetch(f"{base}/metrics")[1]


def test_it_asks_for_the_token_when_one_is_set(serve):
    _, base = serve(METRICS_TOKEN="worker-token-0123456789")
    assert fetch(f"{base}/metrics")[0] == 401
    assert fetch(f"{base}/metrics", {"Authorization": "Bearer wrong"})[0] == 403
    ok = fetch(f"{base}/metrics", {"Authorization": "Bearer worker-token-0123456789"})
    assert ok[0] == 200


def test_healthz_says_stuck_when_no_job_ended_for_too_long(serve, monkeypatch):
    _, base = serve()
    monkeypatch.setattr(worker_server, "STALE_AFTER", 5.0)
    monkeypatch.setattr(tracing, "last_job_finished", time.monotonic() - 10)
    assert fetch(f"{base}/healthz") == (503, "stuck\n")


def test_no_port_no_server(make_app):
    assert start_worker_server(make_app()) is None
