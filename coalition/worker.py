"""Background work: jobs that parts register, run by a thread or by `flask worker`.

Embedded mode runs them in a daemon thread of the web process; production runs them in
`flask worker` processes. A job is a function of no arguments run inside an application
context; it returns how many items it handled, so the loop knows whether to hurry.
Parts register their jobs with `register_job`; the core never imports them.

A commit that wrote outbox rows wakes the worker at once. In the web process that wrote
them `coalition.outbox` wakes its worker thread; on PostgreSQL a trigger on the outbox
tables also notifies `CHANNEL`, and `flask worker` listens there on a connection of its
own (`Listener`), so that it hears the commits of every web process.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import click
from flask import Flask

from coalition import outbox
from coalition.database import writing
from coalition.extensions import db
from coalition.observability import job_context, start_worker_server, write_each_line_at_once

log = logging.getLogger(__name__)


@dataclass
class Job:
    name: str
    run: Callable[[], int]
    #: seconds between runs when there was nothing to do
    interval: float = 5.0
    #: run at once when a commit wrote outbox rows (queues), not only every `interval`
    on_wake: bool = True
    #: time.monotonic() of its last run; None before the first (due at once)
    last_run: float | None = field(default=None)


_jobs: dict[str, Job] = {}
_wake = threading.Event()

#: the PostgreSQL channel that commits which wrote outbox rows notify (the payload is the
#: table's name); the trigger is migration c0002's
CHANNEL = "platform_worker"
#: seconds between attempts to get a lost LISTEN connection back (doubling up to the max)
RECONNECT_MIN, RECONNECT_MAX = 0.5, 30.0
#: a LISTEN connection silent this long is checked with a query (a dead one raises)
CHECK_SILENCE = 60.0


#: after a wake, the worker waits this long so that a burst of commits makes one batch
WAKE_GATHER = 0.2


def register_job(
    name: str, run: Callable[[], int], interval: float = 5.0, *, on_wake: bool = True
) -> None:
    """Register (or replace) a background job by name.

    :param on_wake: run it whenever a commit wrote outbox rows (a queue's consumer);
        housekeeping that only needs its interval says False.
    """
    _jobs[name] = Job(name, run, interval, on_wake)


def committing(service: Callable[[], int], doc: str) -> Callable[[], int]:
    """A job that runs the verb `service` (verbs flush, never commit), commits what it did
    and returns its count; `doc` is the job's docstring (its command's help)."""

    def job() -> int:
        count = service()
        db.session.commit()
        return count

    job.__doc__ = doc
    return job


def job_command(group: click.Group, name: str, job: Callable[[], int], done: str) -> None:
    """Add `flask <group> <name>`: run `job` once, as the worker does, and print `done` with
    its count (`"deleted {} interest(s)"`); the job's docstring is the command's help."""
    group.add_command(
        click.Command(name, callback=lambda: click.echo(done.format(job())), help=job.__doc__)
    )


def wake() -> None:
    """Ask the worker to run its jobs now (e.g. after a commit wrote to an outbox)."""
    _wake.set()


outbox.when_written(wake)


def run_due_jobs(app: Flask, force: bool = False, *, every_job: bool = False) -> int:
    """Run every job whose interval has passed, and with `force` (a wake) every job that
    runs on wakes; `every_job` runs them all. Count the work done."""
    done = 0
    now = time.monotonic()
    for job in list(_jobs.values()):
        due = job.last_run is None or now - job.last_run >= job.interval
        if not (every_job or due or (force and job.on_wake)):
            continue
        job.last_run = now
        with app.app_context(), writing(), job_context(job.name) as run:
            try:
                done += job.run() or 0
            except Exception:
                run.failed = True
                log.exception("background job %s failed", job.name)
            finally:
                db.session.remove()
    return done


class Listener:
    """LISTEN on `CHANNEL` on a dedicated PostgreSQL connection; each notification wakes.

    Runs in a thread of its own beside the worker loop. If the connection is lost it
    reconnects (the loop keeps polling meanwhile, so a missed notification only delays).
    """

    def __init__(self, conninfo: str, on_notify: Callable[[str], None] | None = None) -> None:
        #: a libpq connection string or postgresql:// URL
        self.conninfo = conninfo
        #: called with the notifying table's name; by default wakes this process's worker
        self.on_notify = on_notify or (lambda table: wake())
        #: set while LISTEN is in force on a live connection
        self.listening = threading.Event()
        #: the server process of the listening connection (None when not connected)
        self.backend_pid: int | None = None
        self._thread: threading.Thread | None = None

    @classmethod
    def for_app(cls, app: Flask, **kwargs) -> Listener | None:
        """A listener on the app's database, or None unless it is PostgreSQL."""
        with app.app_context():
            url = db.engine.url
        if url.get_backend_name() != "postgresql":
            return None
        return cls(url.set(drivername="postgresql").render_as_string(hide_password=False), **kwargs)

    def start(self, stop: threading.Event) -> None:
        """Listen in a daemon thread until `stop` is set."""
        self._thread = threading.Thread(
            target=self.run, args=(stop,), name="platform-worker-listener", daemon=True
        )
        self._thread.start()

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def run(self, stop: threading.Event) -> None:
        """Listen, and reconnect after a lost connection, until `stop` is set."""
        import psycopg  # only PostgreSQL deployments listen: SQLite ones never load the driver

        delay = RECONNECT_MIN
        while not stop.is_set():
            try:
                self._listen(stop)
            except Exception as error:  # the worker must outlive its listener
                if self.listening.is_set():
                    delay = RECONNECT_MIN  # it had worked: try again soon
                level = logging.WARNING if isinstance(error, psycopg.Error) else logging.ERROR
                log.log(
                    level,
                    "worker: LISTEN %s failed (%s); polling, reconnecting in %.1f s",
                    CHANNEL,
                    error,
                    delay,
                    exc_info=level == logging.ERROR,
                )
            finally:
                self.listening.clear()
                self.backend_pid = None
            if stop.wait(delay):
                return
            delay = min(2 * delay, RECONNECT_MAX)

    def _listen(self, stop: threading.Event) -> None:
        import psycopg  # see `run`
        from psycopg import sql

        with psycopg.connect(
            self.conninfo,
            autocommit=True,
            application_name="platform worker listener",
            connect_timeout=10,
            # A peer that vanished without closing the connection is noticed too.
            keepalives=1,
            keepalives_idle=30,
            keepalives_interval=10,
            keepalives_count=3,
        ) as conn:
            conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(CHANNEL)))
            self.backend_pid = conn.info.backend_pid
            self.listening.set()
            log.info("worker: listening on PostgreSQL channel %s", CHANNEL)
            heard = time.monotonic()
            while not stop.is_set():
                # Notifications that arrive outside `notifies()` are kept for the next call.
                for notify in conn.notifies(timeout=1.0):
                    self.on_notify(notify.payload)
                    heard = time.monotonic()
                if time.monotonic() - heard > CHECK_SILENCE:
                    conn.execute("SELECT 1")
                    heard = time.monotonic()


def run_forever(
    app: Flask,
    stop: threading.Event | None = None,
    poll: float = 1.0,
    listener: Listener | None = None,
) -> None:
    """The worker loop: run due jobs, sleep until woken or the poll interval passes.

    A wake (a commit that wrote outbox rows) runs every job at once, not after its
    interval. A `listener` (PostgreSQL) wakes the loop when any process commits outbox
    rows; it lives as long as the loop.
    """
    stop = stop or threading.Event()
    stop_listening = threading.Event()  # set when this loop ends
    if listener is not None:
        listener.start(stop_listening)
    try:
        while not stop.is_set():
            woken = _wake.is_set()
            if woken:
                # Under load commits arrive every few milliseconds: one batch for a burst
                # costs the index one commit instead of dozens.
                stop.wait(WAKE_GATHER)
            _wake.clear()
            busy = run_due_jobs(app, force=woken)
            if not busy:
                _wake.wait(poll)
    finally:
        if listener is not None:
            stop_listening.set()
            listener.join(5)


def init_worker(app: Flask) -> None:
    """Start the in-process worker thread (embedded mode) and add `flask worker`."""

    @app.cli.command("worker")
    @click.option("--once", is_flag=True, help="Run every job once and exit.")
    def worker_command(once: bool) -> None:
        """Run the background jobs (outbox indexer, deliveries, purges)."""
        if once:
            click.echo(f"handled {run_due_jobs(app, every_job=True)} item(s)")
            return
        click.echo(f"worker running jobs: {', '.join(sorted(_jobs)) or 'none'}")
        # A container's stop (SIGTERM) ends it without exit hooks: no line may wait.
        write_each_line_at_once(app)
        start_worker_server(app)
        listener = Listener.for_app(app)
        if listener is not None:
            click.echo(f"worker woken by PostgreSQL notifications on {CHANNEL}")
        run_forever(app, listener=listener)

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
