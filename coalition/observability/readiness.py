"""`/readyz`: can this process serve? The database, and the engines that are configured.

The database is required: without it nothing works, so /readyz answers 503 and a load
balancer stops sending traffic. The other checks are reported but only degrade: when the
search engine is down, publishing still works (the outbox waits) and only searches answer
503; taking every web server out of the balancer would turn that into a full outage.

The core checks Redis itself when `REDIS_URL` is set. A part adds its engine's check in
its `register(app)`: `add_readiness_check(app, "search", lambda: get_backend().ping())`.
A check returns a true value when the engine answers; a false one, an exception or no
answer within `READINESS_TIMEOUT_SECONDS` means it does not.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

import redis
from flask import Flask, current_app
from sqlalchemy import text

from coalition.extensions import db

log = logging.getLogger(__name__)

OK, UNREACHABLE = "ok", "unreachable"
#: threads that run the optional checks, so that a hanging engine cannot hold a probe
#: longer than the timeout (a check still running then finishes in the background)
_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="readiness")


@dataclass(frozen=True)
class Check:
    run: Callable[[], object]
    #: a failed required check makes /readyz answer 503; the others only report
    required: bool = False


def add_readiness_check(
    app: Flask, name: str, check: Callable[[], object], *, required: bool = False
) -> None:
    """Report `name` on /readyz: "ok" when `check()` is true, else "unreachable"."""
    if name in ("status", "database"):
        raise KeyError(f"{name!r} is the core's own field of /readyz")
    app.extensions.setdefault("readiness_checks", {})[name] = Check(check, required)


def database_answers() -> bool:
    """The database answers a trivial query."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any driver error means "not ready"
        db.session.rollback()
        return False
    return True


def redis_answers(app: Flask) -> Callable[[], bool]:
    """A check that Redis (`REDIS_URL`) answers PING."""
    timeout = app.config["READINESS_TIMEOUT_SECONDS"]
    client = redis.Redis.from_url(
        app.config["REDIS_URL"], socket_connect_timeout=timeout, socket_timeout=timeout
    )
    return client.ping


def _run_in_app(app: Flask, check: Callable[[], object]) -> bool:
    with app.app_context():
        return bool(check())


def report() -> tuple[dict[str, str], int]:
    """The readiness document and its status code: 200, or 503 if a required check failed."""
    app = current_app._get_current_object()
    results = {"database": OK if database_answers() else UNREACHABLE}
    checks: dict[str, Check] = app.extensions.get("readiness_checks", {})
    timeout = app.config["READINESS_TIMEOUT_SECONDS"]
    futures = {name: _pool.submit(_run_in_app, app, c.run) for name, c in checks.items()}
    for name, future in futures.items():
        try:
            answered = future.result(timeout=timeout)
        except FutureTimeout:
            answered = False
            log.warning("readiness: %s did not answer within %s s", name, timeout)
        except Exception as error:
            answered = False
            log.warning("readiness: %s failed (%s)", name, type(error).__name__)
        results[name] = OK if answered else UNREACHABLE
    if results["database"] != OK or any(
        results[name] != OK for name, check in checks.items() if check.required
    ):
        return {"status": "unavailable", **results}, 503
    degraded = any(value != OK for value in results.values())
    return {"status": "degraded" if degraded else OK, **results}, 200
