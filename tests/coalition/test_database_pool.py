"""Pooled PostgreSQL connections are pinged after a pause, not before every request."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import OperationalError

from coalition import database
from coalition.config import database_url as normalise
from coalition.extensions import db


@pytest.fixture
def postgresql_app(database_url, make_app):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite opens a file: there is no server connection to lose")
    app = make_app()
    yield app
    with app.app_context():
        db.engine.dispose()


def _pooled_backend(app) -> int:
    """The server process of a connection now waiting in the pool."""
    with app.app_context():
        pid = db.session.scalar(sa.text("SELECT pg_backend_pid()"))
        db.session.commit()
        db.session.remove()
    return pid


def _terminate(database_url: str, pid: int) -> None:
    admin = sa.create_engine(normalise(database_url))
    with admin.connect() as connection:
        connection.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        connection.commit()
    admin.dispose()


def test_a_connection_the_server_closed_during_a_pause_is_replaced(
    database_url, postgresql_app, monkeypatch
):
    first = _pooled_backend(postgresql_app)
    _terminate(database_url, first)
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 0.0)  # the pause has passed
    with postgresql_app.app_context():
        second = db.session.scalar(sa.text("SELECT pg_backend_pid()"))
    assert second != first


def test_a_connection_back_a_moment_ago_is_not_pinged(database_url, postgresql_app, monkeypatch):
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 3600.0)
    first = _pooled_backend(postgresql_app)
    _terminate(database_url, first)
    with postgresql_app.app_context():
        # no ping: the statement meets the closed connection (under load, the work a ping
        # would have cost every request)...
        with pytest.raises(OperationalError):
            db.session.scalar(sa.text("SELECT 1"))
        db.session.rollback()
        # ...and the pool, invalidated by that error, opens a fresh one for the next
        assert db.session.scalar(sa.text("SELECT pg_backend_pid()")) != first
