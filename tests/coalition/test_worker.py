"""The worker is woken by commits that wrote outbox rows, in other processes too.

On PostgreSQL a trigger on the outbox tables notifies `worker.CHANNEL` and the worker
listens on a connection of its own. These tests write from other connections to a private
database (their commits are real: the notifications go out only on commit).
"""

from __future__ import annotations

import queue
import threading
import time
import uuid
from collections.abc import Iterator

import flask_migrate
import pytest
import sqlalchemy as sa
from flask import Flask

from coalition import outbox, worker
from coalition.app import create_app
from coalition.extensions import db as _db
from coalition.members.models import Organisation
from coalition.migrations import upgrade_schema
from coalition.outbox import OutboxEntry
from tests.conftest import config_for_tests

TRIGGERS = "SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE '%\\_notify\\_worker'"


@pytest.fixture(scope="module")
def pg_app(database_url: str, tmp_path_factory) -> Iterator[Flask]:
    """The platform on a private, migrated PostgreSQL database (PostgreSQL runs only)."""
    if not database_url.startswith("postgresql"):
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's; on SQLite the worker is woken in process")
    base = sa.make_url(database_url)
    url = base.set(database=f"{base.database}_notify").render_as_string(hide_password=False)
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{base.database}_notify"')
    instance = str(tmp_path_factory.mktemp("notify"))
    app = create_app(config_for_tests(url, instance))
    try:
        with app.app_context():
            upgrade_schema()
        yield app
    finally:
        with app.app_context():
            _db.engine.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{base.database}_notify" WITH (FORCE)')
        admin.dispose()


@pytest.fixture
def other_connection(pg_app: Flask) -> Iterator[sa.Engine]:
    """Another process's connections: plain SQL, no session, so no in-process wake."""
    with pg_app.app_context():
        engine = sa.create_engine(_db.engine.url)
    yield engine
    with engine.begin() as conn:
        conn.execute(sa.delete(OutboxEntry.__table__))
        conn.execute(sa.delete(Organisation.__table__).where(Organisation.slug.like("notify-%")))
    engine.dispose()


def write_outbox(engine: sa.Engine, statements: int = 1) -> None:
    with engine.begin() as conn:
        for n in range(statements):
            conn.execute(sa.insert(OutboxEntry.__table__).values(kind="programme", object_id=n))


def write_organisation(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            sa.insert(Organisation.__table__).values(
                name="Notify", slug=f"notify-{uuid.uuid4().hex[:8]}", names={}, descriptions={}
            )
        )


def notify(engine: sa.Engine, payload: str) -> None:
    """A notification of our own on the worker's channel: a marker in the sequence."""
    with engine.begin() as conn:
        conn.execute(sa.select(sa.func.pg_notify(worker.CHANNEL, payload)))


@pytest.fixture
def heard(pg_app: Flask) -> Iterator[tuple[worker.Listener, queue.Queue]]:
    """A listening `Listener` that queues what it hears."""
    received: queue.Queue[str] = queue.Queue()
    listener = worker.Listener.for_app(pg_app, on_notify=received.put)
    stop = threading.Event()
    listener.start(stop)
    try:
        assert listener.listening.wait(60), "the listener did not connect"
        yield listener, received
    finally:
        stop.set()
        listener.join(30)


def test_only_commits_that_wrote_outbox_rows_notify(heard, other_connection):
    _listener, received = heard
    write_organisation(other_connection)  # a commit without outbox rows
    notify(other_connection, "marker")
    # Notifications arrive in commit order: had the first commit notified, we'd hear it first.
    assert received.get(timeout=60) == "marker"
    write_outbox(other_connection, statements=3)
    with pytest.raises(RuntimeError), other_connection.begin() as conn:  # rolled back
        conn.execute(sa.insert(OutboxEntry.__table__).values(kind="programme", object_id=9))
        raise RuntimeError("roll back")
    notify(other_connection, "marker 2")
    # One notification for the three inserts of one transaction, none for the rolled-back.
    assert [received.get(timeout=60), received.get(timeout=60)] == ["search_outbox", "marker 2"]


def test_a_listening_worker_is_woken_by_another_connections_commit(
    pg_app, other_connection, monkeypatch
):
    ran = threading.Event()
    probe = worker.Job("probe", lambda: ran.set() or 0, interval=1e12)
    probe.last_run = time.monotonic()  # it just ran: not due again before a wake
    monkeypatch.setattr(worker, "_jobs", {"probe": probe})
    woken_by: list[str] = []
    real_wake = worker.wake

    def wake() -> None:
        woken_by.append(threading.current_thread().name)
        real_wake()

    monkeypatch.setattr(worker, "wake", wake)
    worker._wake.clear()
    listener = worker.Listener.for_app(pg_app)
    stop = threading.Event()
    # Polls once an hour: only a wake can make it run the probe during this test.
    loop = threading.Thread(target=worker.run_forever, args=(pg_app, stop, 3600, listener))
    loop.start()
    try:
        assert listener.listening.wait(60), "the listener did not connect"
        assert not ran.is_set()
        write_outbox(other_connection)
        assert ran.wait(60), "the commit did not wake the worker"
        assert woken_by == ["platform-worker-listener"]  # by the notification, not in process
    finally:
        stop.set()
        real_wake()
        loop.join(30)
    assert not loop.is_alive()
    assert not listener.listening.is_set()  # the loop's end stopped its listener


def test_the_listener_reconnects_after_losing_its_connection(heard, other_connection):
    listener, received = heard
    lost = listener.backend_pid
    with other_connection.begin() as conn:
        assert conn.execute(sa.select(sa.func.pg_terminate_backend(lost))).scalar_one()
    deadline = time.monotonic() + 60
    while listener.backend_pid in (None, lost) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert listener.listening.wait(60), "the listener did not reconnect"
    write_outbox(other_connection)
    assert received.get(timeout=60) == "search_outbox"


def test_the_worker_keeps_polling_while_it_cannot_listen(app):
    runs: list[int] = []
    stop = threading.Event()

    def probe() -> int:
        runs.append(1)
        if len(runs) >= 3:
            stop.set()
        return 0

    nowhere = worker.Listener("postgresql://nobody@127.0.0.1:1/nothing?connect_timeout=2")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(worker, "_jobs", {"probe": worker.Job("probe", probe, interval=0)})
        worker.run_forever(app, stop, 0.01, nowhere)
    assert len(runs) == 3
    assert not nowhere.listening.is_set()


def test_every_watched_outbox_table_notifies(pg_app):
    with pg_app.app_context():
        triggers = set(_db.session.execute(sa.text(TRIGGERS)).scalars())
    assert triggers == {model.__table__.name for model in outbox.WATCHED}
    assert "federation_webhook_deliveries" in triggers


def test_the_notify_migration_downgrades_and_upgrades_again(pg_app):
    with pg_app.app_context():
        flask_migrate.downgrade(revision="c0002-1")
        with _db.engine.connect() as conn:
            assert conn.execute(sa.text(TRIGGERS)).all() == []
            assert (
                conn.execute(sa.text("SELECT to_regproc('platform_notify_worker')")).scalar()
                is None
            )
        upgrade_schema()
        with _db.engine.connect() as conn:
            assert len(conn.execute(sa.text(TRIGGERS)).all()) == 2


def test_only_postgresql_has_a_listener(app):
    on_sqlite = app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    assert (worker.Listener.for_app(app) is None) == on_sqlite


def test_flask_worker_listens_on_postgresql_only(app, monkeypatch):
    loops: list[worker.Listener | None] = []
    monkeypatch.setattr(worker, "run_forever", lambda app, listener: loops.append(listener))
    result = app.test_cli_runner().invoke(args=["worker"])
    assert result.exit_code == 0, result.output
    [listener] = loops
    on_postgresql = app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    assert isinstance(listener, worker.Listener) == on_postgresql
    assert ("notifications on platform_worker" in result.output) == on_postgresql


def test_a_wake_runs_the_queue_jobs_and_housekeeping_keeps_its_interval(app, monkeypatch):
    ran: list[str] = []
    jobs = {
        name: worker.Job(name, lambda name=name: ran.append(name) or 0, 3600.0, on_wake)
        for name, on_wake in (("queue", True), ("purge", False))
    }
    monkeypatch.setattr(worker, "_jobs", jobs)
    worker.run_due_jobs(app)  # first run: both are due
    assert ran == ["queue", "purge"]
    ran.clear()
    worker.run_due_jobs(app, force=True)  # a commit wrote outbox rows
    assert ran == ["queue"]
    ran.clear()
    worker.run_due_jobs(app, every_job=True)  # `flask worker --once`
    assert ran == ["queue", "purge"]
