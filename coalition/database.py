"""What every model of every part shares: the declarative base with its constraint names,
timezone-aware timestamps, and the SQLite settings that make it behave like PostgreSQL."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from flask import has_request_context, request
from sqlalchemy import ColumnElement, DateTime, MetaData, bindparam, cast, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    make_transient_to_detached,
    mapped_column,
)
from sqlalchemy.pool import Pool
from sqlalchemy.types import TypeDecorator

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


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite keeps no time zone, so without this a value read back would be naive and
    could not be compared with `utcnow()`.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime given; use timezone-aware UTC values")
            value = value.astimezone(UTC)
        return value

    def process_result_value(self, value, dialect):
        if value is not None:
            value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value


def as_loaded(session: Session, model: type, row: Any) -> Any:
    """An instance of `model` for a row a Core statement has just written (its columns, as
    RETURNING gives them), in the session as if a query had loaded it: no flush writes it
    again, and its relationships load as usual. The ORM's own INSERT costs a request more
    than the statement and this."""
    instance = model.__mapper__.class_manager.new_instance()
    # the values go where a query's loader puts them: no attribute events, no history
    instance.__dict__.update(row)
    make_transient_to_detached(instance)  # the row exists: the session takes it as loaded
    session.add(instance)
    return instance


def parameter_as(name: str, column: Any) -> ColumnElement[Any]:
    """The bound parameter `name`, cast to `column`'s type: for a parameter in the SELECT
    list of an `INSERT … SELECT`, which PostgreSQL would otherwise take as text."""
    return cast(bindparam(name, type_=column.type), column.type)


def upsert(session: Session, entity: Any) -> postgresql.Insert | sqlite.Insert:
    """An INSERT of `entity` (a model or table) that can say what a conflict does
    (`on_conflict_do_nothing`, `on_conflict_do_update`), in the dialect of the session's
    database.

    One statement whoever else writes the same row at the same time, and no savepoint: on
    PostgreSQL a failed INSERT would end the transaction it ran in.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(entity)
    if dialect == "sqlite":
        return sqlite.insert(entity)
    raise RuntimeError(f"unsupported database {dialect}")  # pragma: no cover


class Timestamped:
    #: when the row was created
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: when the row last changed
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


# --- PostgreSQL: a connection is checked after a pause, not before every request ---------

#: a pooled connection unused this long is pinged (`SELECT 1`) before a request gets it
PING_AFTER_IDLE_SECONDS = 1.0


@event.listens_for(Pool, "checkin")
def _note_checkin(dbapi_connection, connection_record) -> None:
    connection_record.info["checked_in_at"] = time.monotonic()


@event.listens_for(Pool, "checkout")
def _ping_after_a_pause(dbapi_connection, connection_record, connection_proxy) -> None:
    """Ping a server connection that waited in the pool, like `pool_pre_ping`, but only after
    `PING_AFTER_IDLE_SECONDS`: under load a connection comes back within milliseconds, and
    a ping each time would cost every request a round trip to the database.

    A server that went away meanwhile (a restart, an idle timeout) fails the ping, and the
    pool opens a fresh connection instead (`DisconnectionError`). A connection that breaks
    while in use is invalidated by SQLAlchemy with every other connection of the pool.
    """
    if isinstance(dbapi_connection, sqlite3.Connection):
        return  # a file: nothing to lose in between
    checked_in_at = connection_record.info.get("checked_in_at")
    if checked_in_at is None or time.monotonic() - checked_in_at < PING_AFTER_IDLE_SECONDS:
        return  # just opened, or back a moment ago
    try:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT 1")
        finally:
            cursor.close()
    except Exception as error:
        raise DisconnectionError() from error


# --- SQLite ------------------------------------------------------------------------------


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


#: requests with these methods only read (a few count something: see `_sqlite_begin`)
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
