"""gunicorn.conf.py under a real gunicorn (as `make bench` starts it): its workers' counts
add up in /metrics, survive a killed worker, and every line it writes is JSON."""

from __future__ import annotations

import json
import os
import signal
import time
import urllib.request

import pytest
import sqlalchemy as sa
from prometheus_client.parser import text_string_to_metric_families

from bench.processes import Gunicorn, child_pids

HEALTHZ = 'bmp_http_requests_total{endpoint="root.healthz",method="GET",status="200"}'


def get(url: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Connection": "close"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
        return response.status, response.read().decode()


def healthz_count(base: str) -> float:
    _, body = get(f"{base}/metrics")
    for family in text_string_to_metric_families(body):
        for sample in family.samples:
            if (
                sample.name == "bmp_http_requests_total"
                and sample.labels.get("endpoint") == "root.healthz"
            ):
                return sample.value
    return 0.0


def platform_env(database_url: str, tmp_path, metrics_dir, **extra: str) -> dict[str, str]:
    """The platform's production settings on the test database, for gunicorn.conf.py."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PROMETHEUS", "GUNICORN"))},
        "PLATFORM_ENV": "production",
        "SECRET_KEY": "s" * 48,
        "PSEUDONYM_SECRET": "p" * 48,
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "WORKER_THREAD": "0",
        "LOG_FORMAT": "json",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        **extra,
    }


@pytest.fixture
def served(app, database_url, tmp_path):
    """The platform under gunicorn.conf.py: 2 workers, JSON logs, the test database."""
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    (metrics_dir / "counter_999999.db").write_bytes(b"left by an earlier server")
    # https without TRUSTED_PROXIES: gunicorn.conf.py warns at start
    env = platform_env(
        database_url, tmp_path, metrics_dir, PUBLIC_URL="https://mentoring.example.be"
    )
    server = Gunicorn("platform", "wsgi:app", env, tmp_path, workers=2, threads=2)
    server.start("/healthz")
    yield server, metrics_dir
    server.stop()


def test_counts_add_up_across_workers_outlive_a_killed_one_and_lines_are_json(served):
    server, metrics_dir = served
    assert not (metrics_dir / "counter_999999.db").exists()  # emptied at start
    start = healthz_count(server.url)
    for _ in range(20):
        assert get(f"{server.url}/healthz")[0] == 200
    assert healthz_count(server.url) == start + 20
    workers = child_pids(server.process.pid)
    assert len(workers) == 2
    files = {p.name for p in metrics_dir.iterdir()}
    [counted] = [pid for pid in workers if f"counter_{pid}.db" in files][:1]

    os.kill(counted, signal.SIGKILL)  # a worker that had counted requests
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        now = child_pids(server.process.pid)
        if len(now) == 2 and counted not in now:
            break
        time.sleep(0.2)
    else:
        pytest.fail("gunicorn did not replace the killed worker")
    for _ in range(5):
        assert get(f"{server.url}/healthz")[0] == 200
    # Whichever worker answers a scrape, it reports every worker's requests, the dead
    # one's included (in-process counts would differ from one scrape to the next).
    assert {healthz_count(server.url) for _ in range(10)} == {start + 25}

    server.stop()
    lines = (server.workdir / "platform.log").read_text().splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    by_gunicorn = [r for r in records if r["logger"] == "gunicorn.error"]
    assert any("SIGKILL" in r["message"] for r in by_gunicorn)
    assert any("TRUSTED_PROXIES is 0" in r["message"] for r in by_gunicorn)
    assert any(r["logger"] == "coalition.requests" for r in records)
    assert all({"timestamp", "level", "message"} <= set(record) for record in records)


def test_a_worker_that_stops_writes_the_searches_it_counted(app, database_url, tmp_path):
    """Searches near a place are added up in the worker and written every
    SEARCH_DEMAND_FLUSH_SECONDS; a worker's graceful stop writes what it holds."""
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    env = platform_env(
        database_url,
        tmp_path,
        metrics_dir,
        PUBLIC_URL="http://127.0.0.1",
        SEARCH_DEMAND_FLUSH_SECONDS="3600",
    )
    engine = sa.create_engine(database_url)

    def counted() -> int:
        with engine.connect() as conn:
            return conn.execute(
                sa.text("SELECT coalesce(sum(count), 0) FROM search_demand_counts")
            ).scalar_one()

    server = Gunicorn("demand", "wsgi:app", env, tmp_path, workers=1, threads=2)
    server.start("/healthz")
    try:
        for _ in range(3):
            assert get(f"{server.url}/api/v1/programmes?near=1080")[0] == 200
        assert counted() == 0  # held by the worker
    finally:
        server.stop()
    try:
        assert counted() == 3
    finally:
        # committed by another process: the tests after this one must not count them
        with engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM search_demand_counts"))
        engine.dispose()


def test_gunicorn_builds_no_access_line():
    """The platform's own line per request is the only one: gunicorn's logger class skips
    its access line, which gunicorn's own would build (here it fails, for lack of a
    request) and then drop."""
    from gunicorn.glogging import Logger

    from coalition.observability.gunicorn_logger import PlatformLogger

    with pytest.raises(AttributeError):
        Logger.access(object.__new__(Logger), None, None, None, None)
    assert PlatformLogger.access(object.__new__(PlatformLogger), None, None, None, None) is None
