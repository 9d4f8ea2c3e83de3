"""`flask worker`'s own small HTTP server: /metrics (its jobs' figures) and /healthz.

A `flask worker` process is not served by gunicorn, so the web's /metrics cannot see
what it counted (job runs, webhook failures). With `WORKER_METRICS_PORT` set it serves
them itself, under the same access rule as the web's (METRICS_TOKEN, else loopback).
Its /healthz answers 200 while its loop keeps running jobs (one ended within
`STALE_AFTER` seconds, or the loop has just started) and 503 when the loop is stuck.
"""

from __future__ import annotations

import logging
import threading
import time
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from flask import Flask
from prometheus_client import generate_latest

from coalition.observability import tracing
from coalition.observability.access import metrics_access
from coalition.observability.metrics import CONTENT_TYPE, counted

log = logging.getLogger(__name__)

#: seconds without a finished job run after which the worker counts as stuck
STALE_AFTER = 120.0


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args) -> None:  # scrapes every few seconds: no lines
        pass


def worker_app(app: Flask, started: float):
    """The WSGI application of the worker's metrics server."""

    def serve(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/healthz":
            last = tracing.last_job_finished or started
            alive = time.monotonic() - last < STALE_AFTER
            start_response(
                "200 OK" if alive else "503 Service Unavailable",
                [
                    ("Content-Type", "text/plain"),
                ],
            )
            return [b"ok\n" if alive else b"stuck\n"]
        if path != "/metrics":
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found\n"]
        status = metrics_access(environ, app.config["METRICS_TOKEN"])
        if status != 200:
            headers = [("Content-Type", "text/plain")]
            if status == 401:
                headers.append(("WWW-Authenticate", 'Bearer realm="metrics"'))
            start_response("401 Unauthorized" if status == 401 else "403 Forbidden", headers)
            return [b"not allowed\n"]
        start_response("200 OK", [("Content-Type", CONTENT_TYPE)])
        return [generate_latest(counted(app))]

    return serve


def start_worker_server(app: Flask) -> WSGIServer | None:
    """Serve the worker's metrics in a daemon thread, when `WORKER_METRICS_PORT` is set."""
    port = app.config.get("WORKER_METRICS_PORT") or 0
    if not port:
        return None
    host = app.config["WORKER_METRICS_HOST"]
    server = make_server(host, port, worker_app(app, time.monotonic()), handler_class=_QuietHandler)
    threading.Thread(
        target=server.serve_forever, name="platform-worker-metrics", daemon=True
    ).start()
    log.info("worker: metrics on http://%s:%s/metrics", host, server.server_port)
    return server
