"""Unbound Flask extensions, initialised by `coalition.app.create_app`."""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import has_request_context, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

#: Constraint names that Alembic can address on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)


def client_address() -> str:
    """The caller's address, as seen through the configured number of trusted proxies."""
    return request.remote_addr or "unknown"


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record) -> None:
    """Make SQLite behave: foreign keys, WAL for the worker thread, and real SAVEPOINTs."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # pysqlite's own transaction handling breaks SAVEPOINT; SQLAlchemy emits BEGIN itself.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


#: requests with these methods only read (a few count something: see `sqlite_write_lock`)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_writer: ContextVar[bool] = ContextVar("sqlite_writer", default=False)


@contextmanager
def writing() -> Iterator[None]:
    """Mark the transactions begun inside as writers (background jobs)."""
    token = _writer.set(True)
    try:
        yield
    finally:
        _writer.reset(token)


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection) -> None:
    """Writers take SQLite's write lock when they begin, so that concurrent writers queue.

    A transaction that began by reading cannot wait for the lock when it comes to write
    (SQLite refuses at once: "database is locked"). So the transactions of requests other
    than GET/HEAD/OPTIONS, and of background jobs (`writing`), begin IMMEDIATE: they wait
    up to `busy_timeout` for the writer before them. The others begin deferred; in WAL
    mode readers never wait.
    """
    if connection.dialect.name != "sqlite":
        return
    writer = _writer.get() or (has_request_context() and request.method not in SAFE_METHODS)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")
