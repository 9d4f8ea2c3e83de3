"""Fixtures of the ops tests: the platform's real log handler, captured as JSON lines."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from coalition.extensions import db
from coalition.observability import logs
from tests.federation.conftest import access_token, bearer, oauth_client  # noqa: F401


@pytest.fixture
def make_app(make_app):
    """The shared `make_app`, whose apps' connection pools are closed after the test
    (here scrapes and probes query through them; on PostgreSQL an open connection left to
    the garbage collector warns in whichever test runs then)."""
    made = []

    def make(**overrides):
        app = make_app(**overrides)
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.engine.dispose()


class CapturedLogs:
    """What the platform's own handler wrote (LOG_FORMAT=json), line by line."""

    def __init__(self, stream: io.StringIO) -> None:
        self.stream = stream

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    @property
    def records(self) -> list[dict]:
        """Every line, parsed: each must be one JSON object."""
        return [json.loads(line) for line in self.text.splitlines() if line.strip()]

    def clear(self) -> None:
        self.stream.seek(0)
        self.stream.truncate()


@pytest.fixture
def captured_logs() -> Iterator[CapturedLogs]:
    """The production handler and formatter, at DEBUG (stricter than production's INFO)."""
    root = logging.getLogger()
    level = root.level
    stream = io.StringIO()
    handler = logs.configure_logging("json", "DEBUG", stream=stream)
    try:
        yield CapturedLogs(stream)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
