"""gunicorn's logger for the platform (`logger_class` in gunicorn.conf.py)."""

from __future__ import annotations

from gunicorn.glogging import Logger


class PlatformLogger(Logger):
    """gunicorn's logger without an access log at all: the platform writes its own line
    per request (logger `coalition.requests`). With a `logconfig_dict` gunicorn counts its
    access log as on, and would build each request's line (a tenth of a `/healthz`
    answer's time under load) for a logger that writes nowhere."""

    def access(self, resp, req, environ, request_time) -> None:
        return None
