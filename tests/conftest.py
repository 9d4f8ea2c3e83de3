"""Fixtures shared by every part: `app`, `db`, `client`, `runner` and factories.

The whole suite runs on SQLite, and again on PostgreSQL when `TEST_DATABASE_URL` is set
(each run gets a database of its own, created and dropped here). The schema is built by
the Alembic revisions, never by `create_all`. Each test runs in a transaction that is
rolled back at its end.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session as FlaskSession

from coalition.access import Role
from coalition.accounts.models import OrganisationRole, User
from coalition.app import create_app
from coalition.config import database_url as normalise_url
from coalition.extensions import db as _db
from coalition.members.models import Organisation
from coalition.migrations import upgrade_schema

ENGINES = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


@pytest.fixture(scope="session", params=ENGINES)
def database_url(request, tmp_path_factory) -> Iterator[str]:
    """A fresh, empty database per engine for this test run."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'test.db'}"
        return
    with postgresql_database(f"bmp_test_{os.getpid()}") as url:
        yield url


@contextmanager
def postgresql_database(prefix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database beside `TEST_DATABASE_URL`'s, dropped afterwards."""
    base = sa.make_url(normalise_url(os.environ["TEST_DATABASE_URL"]))
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture
def own_database(database_url, tmp_path) -> Iterator[str]:
    """An empty database of the run's engine, for a test that commits for real (threads,
    an app of its own); dropped afterwards."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'own.db'}"
        return
    with postgresql_database("bmp_own") as url:
        yield url


def config_for_tests(database_url: str, instance_path: str, **overrides: Any) -> dict[str, Any]:
    """The configuration of an app under test; `overrides` win."""
    config = {
        "TESTING": True,
        "PLATFORM_ENV": "testing",
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "INSTANCE_PATH": instance_path,
        "SEARCH_INDEX_PATH": os.path.join(instance_path, "search-index"),
        "MAIL_BACKEND": "file",
        "MAIL_FILE_DIR": os.path.join(instance_path, "mail"),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,
        "WORKER_THREAD": False,
        # each search near a place written at once (tests/search/test_demand.py tries the
        # batching with its own setting)
        "SEARCH_DEMAND_FLUSH_SECONDS": 0,
        "SERVER_NAME": None,
        # Argon2 at its cheapest: tests hash many passwords; production keeps the defaults.
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
        # Admins signed in by the `login` fixture have no TOTP; tests of that rule turn it on.
        "ADMIN_TOTP_REQUIRED": False,
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def instance_path(tmp_path_factory, database_url) -> str:
    return str(tmp_path_factory.mktemp("instance"))


@pytest.fixture(scope="session")
def app(database_url: str, instance_path: str) -> Iterator[Flask]:
    """The platform under test, its schema built by the migrations."""
    app = create_app(config_for_tests(database_url, instance_path))
    with app.app_context():
        upgrade_schema()
    yield app
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture
def make_app(database_url: str, instance_path: str) -> Iterator[Callable[..., Flask]]:
    """Build another app on the same database with some configuration changed; its
    connections are closed at the end of the test (a connection left to the garbage
    collector warns, and fails whichever test is running then)."""
    made: list[Flask] = []

    def make(**overrides: Any) -> Flask:
        app = create_app(config_for_tests(database_url, instance_path, **overrides))
        made.append(app)
        return app

    yield make
    for app in made:
        close_connections(app)


def close_connections(app: Flask) -> None:
    """Close the connections an app's engines hold (before the app is dropped)."""
    with app.app_context():
        for engine in _db.engines.values():
            engine.dispose()


class _ConnectionBoundSession(FlaskSession):
    """A Flask-SQLAlchemy session that always uses the test's connection."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return self.bind


@pytest.fixture
def db(app: Flask) -> Iterator[Any]:
    """The database, inside a transaction rolled back at the end of the test.

    Requests made during the test share the connection, and their commits only
    release savepoints, so they see each other's work but leave nothing behind.
    """
    with app.app_context():
        connection = _db.engine.connect()
        transaction = connection.begin()
        original = _db.session
        _db.session = _db._make_scoped_session(
            {
                "bind": connection,
                "join_transaction_mode": "create_savepoint",
                "class_": _ConnectionBoundSession,
            }
        )
        try:
            yield _db
        finally:
            _db.session.remove()
            _db.session = original
            if transaction.is_active:
                transaction.rollback()
            connection.close()


@pytest.fixture
def client(app: Flask, db) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask, db):
    return app.test_cli_runner()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@pytest.fixture
def make_org(db) -> Callable[..., Organisation]:
    """Create an admitted member organisation."""
    counter = iter(range(1, 10_000))

    def make(name: str | None = None, **fields: Any) -> Organisation:
        n = next(counter)
        name = name or f"Organisation {uuid.uuid4().hex[:6]}"
        from coalition.database import utcnow

        fields.setdefault("slug", _slug(name))
        fields.setdefault("languages", ["fr", "nl"])
        fields.setdefault("admitted_at", utcnow())
        fields.setdefault("names", {})
        fields.setdefault("descriptions", {"en": f"{name} mentors young people."})
        org = Organisation(name=name, **fields)
        db.session.add(org)
        db.session.flush()
        assert n
        return org

    return make


@pytest.fixture
def make_user(db) -> Callable[..., User]:
    """Create an active staff member with roles in an organisation."""

    def make(
        organisation: Organisation | None = None,
        roles: tuple[Role | str, ...] = (),
        *,
        email: str | None = None,
        password: str | None = "correct horse battery staple",
        coalition_admin: bool = False,
        **fields: Any,
    ) -> User:
        email = email or f"user-{uuid.uuid4().hex[:8]}@example.org"
        user = User(
            email=email.lower(),
            name=fields.pop("name", "Test User"),
            is_coalition_admin=coalition_admin,
            **fields,
        )
        if password is not None:
            from coalition.accounts.passwords import hash_password

            user.password_hash = hash_password(password)
        db.session.add(user)
        db.session.flush()
        for role in roles:
            db.session.add(
                OrganisationRole(user=user, organisation_id=organisation.id, role=Role(role))
            )
        db.session.flush()
        return user

    return make


@pytest.fixture
def login(client: FlaskClient) -> Callable[[User], FlaskClient]:
    """Sign a user in on the test client without going through the form."""

    def sign_in(user: User, test_client: FlaskClient | None = None) -> FlaskClient:
        test_client = test_client or client
        with test_client.session_transaction() as session:
            session["user_id"] = user.id
            session["session_version"] = user.session_version
        return test_client

    return sign_in
