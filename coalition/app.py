"""The application factory: it reads as the platform's table of contents."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from inspect import iscoroutinefunction
from pathlib import Path
from typing import Any

from flask import Flask

import coalition
import federation
import policy_briefs
import search
from coalition import auth
from coalition.boundary import init_boundary
from coalition.cli import explain_unmigrated
from coalition.config import PROJECT_ROOT, check_config, load_config
from coalition.errors import init_error_handlers
from coalition.extensions import csrf, db, limiter
from coalition.i18n import init_i18n
from coalition.migrations import register_migration_commands
from coalition.security import init_security_headers
from coalition.slots import init_slots
from coalition.worker import init_worker

#: whether a hook, view or handler is a coroutine function, asked once per function: Flask
#: asks before every call (a dozen times a request, 5 % of a /healthz answer); bounded, as a
#: request's `after_this_request` functions are new each time
_is_coroutine = lru_cache(maxsize=1024)(iscoroutinefunction)


class Platform(Flask):
    """Flask, which remembers which of its functions are coroutines, and keeps its
    compiled templates in a plain dict: Jinja's default cache (an LRU of 400) takes a
    lock at every template a page includes, and under gunicorn's threads they queued on
    it — a home page cost 35 futex calls instead of 3. The templates are a fixed set."""

    jinja_options = {**Flask.jinja_options, "cache_size": -1}

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        try:
            is_coroutine = _is_coroutine(func)
        except TypeError:  # an unhashable callable: ask each time
            is_coroutine = iscoroutinefunction(func)
        return self.async_to_sync(func) if is_coroutine else func


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Create the platform, configured from the environment and `config` overrides."""
    settings = load_config()
    settings.update(config or {})
    check_config(settings)
    app = Platform(
        "coalition",
        instance_path=settings["INSTANCE_PATH"],
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(Path(__file__).parent / "static"),
    )
    app.config.update(settings)
    register_observability(app)
    register_extensions(app)
    register_parts(app)
    init_error_handlers(app)
    init_worker(app)
    return app


def register_observability(app: Flask) -> None:
    """Logs with request ids (never bodies, tokens or personal data), /metrics, /readyz's
    checks, and the reverse proxy's forwarded headers; first, so that every hook is seen."""
    from coalition.observability import init_observability
    from coalition.proxy import init_proxy

    init_observability(app)
    init_proxy(app)


def register_extensions(app: Flask) -> None:
    """Bind the database, migrations, CSRF, languages, rate limits, security headers, the
    signed-in user, the request boundary (`coalition.boundary`) and the template slots."""
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    db.init_app(app)
    register_migration_commands(app)
    csrf.init_app(app)
    limiter.init_app(app)
    init_i18n(app)
    init_security_headers(app)
    auth.init_auth(app)
    init_boundary(app)
    init_slots(app)


def register_parts(app: Flask) -> None:
    """Mount every part of the platform: its blueprints, commands, jobs and slot fillers."""
    coalition.register(app)
    search.register(app)
    federation.register(app)
    policy_briefs.register(app)
    explain_unmigrated(app)
