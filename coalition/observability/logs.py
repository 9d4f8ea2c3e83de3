"""Log lines that say which request or background job wrote them, as text or JSON.

Every log record carries the context it was written in: `request_id` inside a request,
`job` and `job_id` inside a background job's run (and there the `request_id` of the
request that queued the work, while the job handles it: see `log_context`). A record
factory adds them, so they reach every handler, pytest's included.

`LOG_FORMAT=json` writes one JSON object per line (python-json-logger):
``{"timestamp": "…", "level": "INFO", "logger": "coalition.requests",
"message": "GET coalition.home 200", "request_id": "…", "endpoint": "coalition.home", …}``.

Nothing personal goes into a line: request lines name the route's rule, never the path
or query string (they may hold tokens, postcodes or words typed in a search), and
SQLAlchemy hides the parameters of failed statements (`hide_parameters`).
"""

from __future__ import annotations

import logging
import os
import random
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

from coalition.observability.log_writer import BatchedStreamHandler

#: the fields a record's context may carry, in the order text lines show them
CONTEXT_FIELDS = ("request_id", "job", "job_id")
_context: ContextVar[dict[str, str]] = ContextVar("log_context")

#: an `X-Request-ID` a caller (or the reverse proxy) may choose: 1–128 characters of
#: letters, digits and `._:+/=-` (UUIDs, hex, base64, nginx's $request_id); else a new one
REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+/=-]{0,127}")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s%(context)s: %(message)s"


#: request and job ids: unique, not secret (a caller may choose its own). A generator of
#: our own — not the global one tests seed — re-seeded from os.urandom in a forked worker;
#: uuid4 asked the kernel at each request, and each call let the other threads in.
_ids = random.Random()  # noqa: S311 - ids, not secrets
os.register_at_fork(after_in_child=_ids.seed)


def new_id() -> str:
    """A fresh request or job id (32 hexadecimal digits)."""
    return f"{_ids.getrandbits(128):032x}"


def accepted_request_id(header: str | None) -> str:
    """The caller's `X-Request-ID` when it is well-formed, else a new id."""
    if header and REQUEST_ID.fullmatch(header):
        return header
    return new_id()


def current(field: str) -> str | None:
    """The `request_id`, `job` or `job_id` of the code running now (None outside one)."""
    return _context.get({}).get(field)


@contextmanager
def log_context(**fields: str | None) -> Iterator[None]:
    """Add `fields` (e.g. `request_id=row.request_id`) to the records logged inside."""
    token = _context.set({**_context.get({}), **{k: v for k, v in fields.items() if v}})
    try:
        yield
    finally:
        _context.reset(token)


def enter_context(**fields: str) -> Any:
    """Set the context until `leave_context(token)` (for hooks that cannot use `with`)."""
    return _context.set({**_context.get({}), **fields})


def leave_context(token: Any) -> None:
    _context.reset(token)


_base_factory = logging.getLogRecordFactory()


def _record_with_context(*args, **kwargs) -> logging.LogRecord:
    record = _base_factory(*args, **kwargs)
    context = _context.get({})
    for field in CONTEXT_FIELDS:
        setattr(record, field, context.get(field))
    return record


def install_record_factory() -> None:
    """Have every record carry the current context (idempotent)."""
    if logging.getLogRecordFactory() is not _record_with_context:
        logging.setLogRecordFactory(_record_with_context)


class TextFormatter(logging.Formatter):
    """`2026-12-01 10:00:00,123 INFO coalition.requests [request_id=…]: GET … 200`."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)
        self._second: tuple[int, str] = (-1, "")  # the last second's text, made once

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        if datefmt is not None:
            return super().formatTime(record, datefmt)
        second, text = self._second
        if second != int(record.created):
            second = int(record.created)
            text = time.strftime(self.default_time_format, self.converter(record.created))
            self._second = (second, text)
        return self.default_msec_format % (text, record.msecs)

    def format(self, record: logging.LogRecord) -> str:
        pairs = [f"{f}={getattr(record, f)}" for f in CONTEXT_FIELDS if getattr(record, f, None)]
        record.context = f" [{' '.join(pairs)}]" if pairs else ""
        return super().format(record)


class JsonFormatter(_JsonFormatter):
    """One JSON object per record: timestamp, level, logger, message, context, extras."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("fmt", "{levelname}{name}{message}")
        kwargs.setdefault("style", "{")
        kwargs.setdefault("timestamp", True)
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        reserved = kwargs.pop("reserved_attrs", None)
        if reserved is None:
            from pythonjsonlogger.core import RESERVED_ATTRS

            reserved = [*RESERVED_ATTRS, "context"]
        super().__init__(*args, reserved_attrs=reserved, **kwargs)

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        # Context fields outside a request or job are None: leave them out.
        for field in CONTEXT_FIELDS:
            if log_data.get(field) is None:
                log_data.pop(field, None)
        return log_data


def formatter(log_format: str) -> logging.Formatter:
    """The formatter of `LOG_FORMAT` ("text" or "json")."""
    return JsonFormatter() if log_format == "json" else TextFormatter()


class _DropDevServerRequestLines(logging.Filter):
    """The development server's own request lines show paths and query strings; the
    platform's request line (logger `coalition.requests`) replaces them."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.name == "werkzeug" and " - - [" in record.getMessage())


#: a JSON Web Token (access tokens, client assertions): three base64url parts, "eyJ…"
JWT = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*")
#: libraries whose DEBUG lines print secrets: Authlib's "Issue token {'access_token': …}"
QUIET_BELOW_INFO = ("authlib",)
#: loggers whose INFO lines are noise on every command: Alembic's "setting up autogenerate
#: plugin …" (one line per built-in plugin); shown at LOG_LEVEL=DEBUG only. Its migrations
#: keep their "Running upgrade …" lines (alembic.runtime.migration).
QUIET_AT_INFO = ("alembic.runtime.plugins",)


#: arguments that cannot hold a token (an object's `str()` could print one)
_NUMBERS = (int, float, type(None))


def _plainly_clean(record: logging.LogRecord) -> bool:
    """The message and its arguments are text without "eyJ", or numbers: one pass, no
    formatting (a request's line is checked at every request)."""
    if not isinstance(record.msg, str) or "eyJ" in record.msg:
        return False
    for arg in record.args if isinstance(record.args, tuple) else (record.args,):
        if isinstance(arg, str):
            if "eyJ" in arg:
                return False
        elif not isinstance(arg, _NUMBERS):
            return False
    return True


class _RedactTokens(logging.Filter):
    """A safety net: a token that reaches a message anyway is cut out of the line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _plainly_clean(record):
            return True  # no need to format the message twice to look
        message = record.getMessage()
        if "eyJ" in message:
            record.msg, record.args = JWT.sub("[redacted JWT]", message), None
        return True


_HANDLER_NAME = "platform"


def configure_logging(
    log_format: str, level: str, *, stream: Any = None, batch_seconds: float = 0
) -> logging.Handler:
    """Send every record to standard error (or `stream`) in `log_format`, at `level`;
    with `batch_seconds`, INFO lines are written in batches at most that far apart
    (`log_writer.BatchedStreamHandler`), warnings and errors at once.

    Replaces the handler an earlier call installed, so that a second app (tests, the
    CLI) does not double the lines.
    """
    install_record_factory()
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
        old.close()  # a batching handler writes what it holds
    handler = (
        BatchedStreamHandler(stream or sys.stderr, interval=batch_seconds)
        if batch_seconds > 0
        else logging.StreamHandler(stream or sys.stderr)
    )
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(formatter(log_format))
    handler.addFilter(_DropDevServerRequestLines())
    handler.addFilter(_RedactTokens())
    root.addHandler(handler)
    root.setLevel(level)
    for name in QUIET_BELOW_INFO:  # LOG_LEVEL=DEBUG must not print their secrets
        logging.getLogger(name).setLevel(max(logging.getLevelName(level), logging.INFO))
    for name in QUIET_AT_INFO:
        quiet = logging.DEBUG if level == "DEBUG" else logging.WARNING
        logging.getLogger(name).setLevel(max(logging.getLevelName(level), quiet))
    return handler


def spare_record_lookups() -> None:
    """No line of the platform's formats shows where a record was written from, or its
    thread or process: the logging HOWTO's "Optimization" settings spare every record
    looking them up (a fifth of the instructions of a /healthz answer's request line).
    Process-wide, so only a served platform sets them (tests' log reports keep theirs)."""
    logging._srcfile = None
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False


def configured_by_platform() -> bool:
    """`configure_logging` installed the platform's handler (Alembic then keeps it)."""
    return any(h.get_name() == _HANDLER_NAME for h in logging.getLogger().handlers)


def gunicorn_logconfig(log_format: str) -> dict[str, Any]:
    """gunicorn's `logconfig_dict`: its own lines in the platform's format.

    gunicorn merges this over its defaults key by key; the root logger is left without
    handlers here because the platform's `configure_logging` gives it its own.
    """
    name = f"{__name__}.{'JsonFormatter' if log_format == 'json' else 'TextFormatter'}"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"platform": {"()": name}},
        "handlers": {
            "error_console": {
                "class": "logging.StreamHandler",
                "formatter": "platform",
                "stream": "ext://sys.stderr",
            },
        },
        "root": {"handlers": []},
        # No level: gunicorn's own `loglevel` setting stays in force.
        "loggers": {"gunicorn.error": {"handlers": ["error_console"], "propagate": False}},
    }
