"""The platform's Prometheus figures, and the registry through which the parts add theirs.

Two kinds of figure:

- **Counted as it happens** — the metric objects below. The core counts requests and
  background jobs itself; the parts import the objects made for them and count
  (`search_latency.labels(backend="tantivy", kind="search").observe(seconds)`). The core
  never imports the parts: the objects live here so that their names and labels are
  defined once.
- **Read when /metrics is scraped** — figures whose truth is in the database (the
  outbox's depth, referrals by status). Their names are in `FIGURES`, like the core's
  slots; a part fills one in its `register(app)` with a function that returns the value,
  or a mapping from label values to values: `add_figure(app, "referrals_by_status", fn)`.

Under gunicorn, prometheus-client runs in its multi-process mode: each worker writes its
counts to files in `PROMETHEUS_MULTIPROC_DIR` (gunicorn.conf.py makes it, and forgets
a dead worker's live values in its `child_exit` hook), and /metrics adds up every
worker's. Anywhere else (`flask run`, `flask worker`, tests) the counts stay in process.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import func, select

from coalition.database import utcnow
from coalition.extensions import db
from coalition.outbox import OutboxEntry

log = logging.getLogger(__name__)

PREFIX = "bmp"
# The `_created` series double the output and exist only outside multi-process mode.
disable_created_metrics()
#: the exposition's content type: the classic text format, which every Prometheus reads
#: (the platform's names are plain ASCII, so the newer 1.0.0 format would be identical)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

# --- counted by the core ---------------------------------------------------------------------


def _counter(name: str, documentation: str, labels: list[str]) -> Counter:
    """The counter `bmp_<name>` (scraped as `bmp_<name>_total`)."""
    return Counter(f"{PREFIX}_{name}", documentation, labels)


def _histogram(
    name: str, documentation: str, labels: list[str], buckets: tuple[float, ...]
) -> Histogram:
    """The histogram `bmp_<name>`, with the upper bounds `buckets` (in seconds)."""
    return Histogram(f"{PREFIX}_{name}", documentation, labels, buckets=buckets)


http_requests = _counter(
    "http_requests",
    "HTTP requests answered, by endpoint (Flask's name; 'unmatched' when no route "
    "matched), method and status code.",
    ["endpoint", "method", "status"],
)
http_request_duration = _histogram(
    "http_request_duration_seconds",
    "Time from the start of a request's handling to its response, by endpoint.",
    ["endpoint"],
    (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
job_runs = _counter(
    "job_runs", "Runs of background jobs, by job and outcome (ok, failed).", ["job", "outcome"]
)
job_duration = _histogram(
    "job_duration_seconds",
    "Time a background job's run took, by job.",
    ["job"],
    (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)

# --- counted by the parts (they import these) -----------------------------------------------

#: search: the engine's answer time; kind "search" (the directory query) or "suggest"
search_latency = _histogram(
    "search_duration_seconds",
    "Time the search engine took to answer, by backend and kind (search, suggest).",
    ["backend", "kind"],
    (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)
#: search: each answered search with words or filters, by whether it found anything
#: (result "hits" or "zero_hits"); the zero-hit ratio is zero_hits / all
search_queries = _counter(
    "search_queries",
    "Searches answered, by backend and result (hits, zero_hits).",
    ["backend", "result"],
)
#: federation: access tokens issued, by client authentication method
token_issued = _counter(
    "oauth_tokens_issued",
    "OAuth access tokens issued, by client authentication method.",
    ["auth_method"],
)
#: federation: failed webhook delivery attempts; reason "http_error" (the receiver
#: answered other than 2xx) or "unreachable" (no answer: timeout, connection, refused URL)
webhook_delivery_failures = _counter(
    "webhook_delivery_failures",
    "Webhook delivery attempts that failed, by reason (http_error, unreachable).",
    ["reason"],
)

# --- read at scrape time ---------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    help: str
    #: the labels of a figure whose function returns a mapping (none: a single value)
    labels: tuple[str, ...] = ()


#: the figures /metrics reads from their sources when scraped; name → what it is
FIGURES = {
    "outbox_entries": Figure("Changes waiting in the search outbox (all, due or backing off)."),
    "outbox_oldest_age_seconds": Figure(
        "Age of the oldest change waiting in the search outbox (0 when it is empty)."
    ),
    "referrals_by_status": Figure("Referrals, by FHIR Task status.", ("status",)),
    "interests_by_status": Figure("Mentor interests, by follow-up status.", ("status",)),
}

FigureValue = float | int | Mapping[str | tuple[str, ...], float | int]


def add_figure(app: Flask, name: str, read: Callable[[], FigureValue]) -> None:
    """Have /metrics report the figure `name` (one of `FIGURES`) as `read()` returns it.

    `read` runs in an application context at each scrape; it returns a number, or for a
    labelled figure a mapping from the label value (a tuple for several labels) to a
    number. If it raises, the scrape goes on without that figure (and logs why).
    """
    if name not in FIGURES:
        raise KeyError(f"no figure named {name!r}; the core offers {sorted(FIGURES)}")
    app.extensions.setdefault("metrics_figures", {})[name] = read


def _families(app: Flask) -> Iterable[GaugeMetricFamily]:
    for name, read in app.extensions.get("metrics_figures", {}).items():
        figure = FIGURES[name]
        try:
            value = read()
        except Exception:  # one broken figure must not hide the others
            log.warning("metrics: figure %s could not be read", name, exc_info=True)
            db.session.rollback()
            continue
        family = GaugeMetricFamily(f"{PREFIX}_{name}", figure.help, labels=figure.labels)
        if figure.labels:
            for key, number in value.items():
                labels = key if isinstance(key, tuple) else (key,)
                family.add_metric([str(label) for label in labels], number)
        else:
            family.add_metric((), value)
        yield family


class _Figures:
    """A collector of the app's scrape-time figures (read in its application context)."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def collect(self) -> Iterable[GaugeMetricFamily]:
        return list(_families(self.app))


def counted(app: Flask) -> CollectorRegistry:
    """The registry of what was counted: every gunicorn worker's, or this process's."""
    if not app.config.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    registry = CollectorRegistry()
    MultiProcessCollector(registry)
    return registry


def exposition() -> bytes:
    """Every figure of the current app, in the Prometheus text format."""
    app = current_app._get_current_object()
    figures = CollectorRegistry(auto_describe=False)
    figures.register(_Figures(app))
    return generate_latest(counted(app)) + generate_latest(figures)


# --- the core's own scrape-time figures ------------------------------------------------------


def outbox_entries() -> int:
    """How many changes wait for the search index."""
    return db.session.execute(select(func.count()).select_from(OutboxEntry)).scalar_one()


def outbox_oldest_age() -> float:
    """Seconds since the oldest waiting change was written (0 when none waits)."""
    oldest = db.session.execute(select(func.min(OutboxEntry.created_at))).scalar_one()
    return max(0.0, (utcnow() - oldest).total_seconds()) if oldest else 0.0


#: (endpoint, method, status) -> its two series: `labels()` takes a lock and checks its
#: values on every call; the combinations are few (the routes, methods and codes)
_request_series: dict[tuple[str, str, int], tuple[Any, Any]] = {}


def observe_request(endpoint: str, method: str, status: int, seconds: float) -> None:
    """Count one answered request."""
    key = (endpoint, method, status)
    series = _request_series.get(key)
    if series is None:
        series = _request_series[key] = (
            http_requests.labels(endpoint, method, str(status)),
            http_request_duration.labels(endpoint),
        )
    series[0].inc()
    series[1].observe(seconds)


def observe_job(job: str, failed: bool, started: float) -> None:
    """Count one run of a background job that began at `time.monotonic()` `started`."""
    job_runs.labels(job, "failed" if failed else "ok").inc()
    job_duration.labels(job).observe(time.monotonic() - started)
