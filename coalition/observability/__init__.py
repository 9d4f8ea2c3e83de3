"""Watching the platform run: request ids and JSON logs, Prometheus metrics, readiness.

`init_observability(app)` (called by `create_app` before anything else hooks requests)
sets up all three. The parts use what this package offers, never the other way round:

    from coalition.observability import add_figure, add_readiness_check, search_latency

- metric objects to count with: `search_latency`, `search_queries`, `token_issued`,
  `webhook_delivery_failures` (see `metrics`);
- `add_figure(app, name, fn)`: a figure read from the database at each scrape
  (`metrics.FIGURES` names them: `referrals_by_status`, `interests_by_status`, …);
- `add_readiness_check(app, name, fn)`: an engine reported on /readyz;
- `log_context(request_id=…)`: log a queued row's work with the id of the request
  that queued it (the outbox's rows carry theirs; see `tracing`).
"""

from __future__ import annotations

from flask import Flask

from coalition.observability import logs, metrics, readiness, tracing, views
from coalition.observability.logs import log_context
from coalition.observability.metrics import (
    add_figure,
    search_latency,
    search_queries,
    token_issued,
    webhook_delivery_failures,
)
from coalition.observability.readiness import add_readiness_check
from coalition.observability.tracing import job_context
from coalition.observability.worker_server import start_worker_server

__all__ = [
    "add_figure",
    "add_readiness_check",
    "init_observability",
    "job_context",
    "log_context",
    "search_latency",
    "search_queries",
    "start_worker_server",
    "token_issued",
    "webhook_delivery_failures",
    "write_each_line_at_once",
]


def write_each_line_at_once(app: Flask) -> None:
    """A long-running command that a signal ends (`flask worker`) writes every line at
    once: batched lines would wait for exit hooks that SIGTERM never runs."""
    if logs.configured_by_platform():
        logs.configure_logging(app.config["LOG_FORMAT"], app.config["LOG_LEVEL"])


def init_observability(app: Flask) -> None:
    """Logging, request ids, /metrics and the core's own figures and readiness checks."""
    logs.install_record_factory()
    if not app.debug and not app.testing:
        logs.configure_logging(
            app.config["LOG_FORMAT"],
            app.config["LOG_LEVEL"],
            batch_seconds=app.config["LOG_BATCH_SECONDS"],
        )
        logs.spare_record_lookups()
    tracing.init_request_tracing(app)
    app.register_blueprint(views.bp)
    add_figure(app, "outbox_entries", metrics.outbox_entries)
    add_figure(app, "outbox_oldest_age_seconds", metrics.outbox_oldest_age)
    if app.config.get("REDIS_URL"):
        add_readiness_check(app, "redis", readiness.redis_answers(app))
