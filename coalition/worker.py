"""Background work: jobs that parts register, run by a thread or by `flask worker`.

Embedded mode runs them in a daemon thread of the web process; production runs them in
`flask worker` processes. A job is a function of no arguments run inside an application
context; it returns how many items it handled, so the loop knows whether to hurry.
Parts register their jobs with `register_job`; the core never imports them.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import click
from flask import Flask

from coalition.extensions import writing

log = logging.getLogger(__name__)


@dataclass
class Job:
    name: str
    run: Callable[[], int]
    #: seconds between runs when there was nothing to do
    interval: float = 5.0
    last_run: float = field(default=0.0)


_jobs: dict[str, Job] = {}
_wake = threading.Event()


def register_job(name: str, run: Callable[[], int], interval: float = 5.0) -> None:
    """Register (or replace) a background job by name."""
    _jobs[name] = Job(name, run, interval)


def wake() -> None:
    """Ask the worker to run its jobs now (e.g. after a commit wrote to an outbox)."""
    _wake.set()


def run_due_jobs(app: Flask, force: bool = False) -> int:
    """Run every job whose interval has passed (all of them if `force`); count the work done."""
    done = 0
    now = time.monotonic()
    for job in list(_jobs.values()):
        if not force and now - job.last_run < job.interval:
            continue
        job.last_run = now
        with app.app_context(), writing():
            try:
                done += job.run() or 0
            except Exception:
                log.exception("background job %s failed", job.name)
            finally:
                from coalition.extensions import db

                db.session.remove()
    return done


def run_forever(app: Flask, stop: threading.Event | None = None, poll: float = 1.0) -> None:
    """The worker loop: run due jobs, sleep until woken or the poll interval passes."""
    stop = stop or threading.Event()
    while not stop.is_set():
        woken = _wake.is_set()
        _wake.clear()
        busy = run_due_jobs(app, force=woken)
        if not busy:
            _wake.wait(poll)


def init_worker(app: Flask) -> None:
    """Start the in-process worker thread (embedded mode) and add `flask worker`."""

    @app.cli.command("worker")
    @click.option("--once", is_flag=True, help="Run every job once and exit.")
    def worker_command(once: bool) -> None:
        """Run the background jobs (outbox indexer, deliveries, purges)."""
        if once:
            click.echo(f"handled {run_due_jobs(app, force=True)} item(s)")
            return
        click.echo(f"worker running jobs: {', '.join(sorted(_jobs)) or 'none'}")
        run_forever(app)

    if not app.config.get("WORKER_THREAD") or app.testing:
        return
    lock = threading.Lock()

    # Started by the first request, not by the factory, so that CLI commands
    # (`flask db upgrade`, `flask search sync`) never run a second indexer.
    @app.before_request
    def start_worker_thread() -> None:
        if "worker_thread" in app.extensions:
            return
        with lock:
            if "worker_thread" not in app.extensions:
                thread = threading.Thread(
                    target=run_forever, args=(app,), name="platform-worker", daemon=True
                )
                app.extensions["worker_thread"] = thread
                thread.start()
