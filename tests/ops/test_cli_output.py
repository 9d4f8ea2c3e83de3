"""What `flask` commands print: the migrations' steps, not Alembic's set-up chatter."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from coalition.config import PROJECT_ROOT


@pytest.fixture
def flask(tmp_path):
    """Run `flask --app wsgi …` as an operator does, on a database of its own."""
    environment = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "LOG_LEVEL"}},
        "INSTANCE_PATH": str(tmp_path),
        "WORKER_THREAD": "0",
    }

    def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", *args],
            cwd=PROJECT_ROOT,
            env={**environment, **env},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
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
