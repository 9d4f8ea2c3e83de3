"""What `flask` commands print: the migrations' steps, not Alembic's set-up chatter."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests._commands import run_in_project


@pytest.fixture
def flask(tmp_path):
    """Run `flask --app wsgi …` as an operator does, on a database of its own."""
    environment = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "LOG_LEVEL"}},
        "INSTANCE_PATH": str(tmp_path),
        "WORKER_THREAD": "0",
    }

    def run(*args: str, expect: int = 0, **env: str) -> subprocess.CompletedProcess[str]:
        result = run_in_project(
            [sys.executable, "-m", "flask", "--app", "wsgi", *args], {**environment, **env}
        )
        assert result.returncode == expect, result.stdout + result.stderr
        return result

    return run


def plugin_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stderr.splitlines() if "plugin" in line]


@pytest.mark.parametrize("debug", ["0", "1"], ids=["platform-logging", "flask-debug"])
def test_commands_print_no_alembic_plugin_lines(flask, debug):
    upgrade = flask("db", "upgrade", "heads", FLASK_DEBUG=debug)
    assert "Running upgrade  -> c0001" in upgrade.stderr
    assert plugin_lines(upgrade) == []
    check = flask("db", "check", FLASK_DEBUG=debug)  # autogenerate sets up its plugins
    assert "No new upgrade operations detected." in check.stdout
    assert plugin_lines(check) == []


def test_log_level_debug_still_shows_them(flask):
    flask("db", "upgrade", "heads")
    assert plugin_lines(flask("db", "check", LOG_LEVEL="DEBUG"))


@pytest.mark.parametrize(
    "command",
    [
        ("search", "status"),
        ("demo", "seed", "--force"),
        ("mentors", "purge"),
        ("coalition", "flag-stale"),
    ],
    ids=" ".join,
)
def test_a_command_on_an_unmigrated_database_says_to_migrate(flask, command, tmp_path):
    """One line naming the missing table and the command that makes it, not a traceback."""
    database = os.environ.get("TEST_DATABASE_URL")
    env = {}
    if database:  # a database of its own, empty, on the same PostgreSQL server
        import sqlalchemy

        name = f"unmigrated_{tmp_path.name[-12:].replace('-', '_')}".lower()
        engine = sqlalchemy.create_engine(database, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = database.rsplit("/", 1)[0] + f"/{name}"
    try:
        result = flask(*command, expect=1, **env)
    finally:
        if database:
            with engine.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            engine.dispose()
    assert "Traceback" not in result.stderr
    assert "run `flask db upgrade` first" in result.stderr
    assert "Error: the database has no table " in result.stderr
