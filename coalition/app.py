"""The application factory: it reads as the platform's table of contents."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask

from coalition.config import PROJECT_ROOT, check_config, load_config


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Create the platform, configured from the environment and `config` overrides."""
    settings = load_config()
    settings.update(config or {})
    check_config(settings)
    app = Flask(
        "coalition",
        instance_path=settings["INSTANCE_PATH"],
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(Path(__file__).parent / "static"),
    )
    app.config.update(settings)
    configure_logging(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_background_work(app)
    return app


def configure_logging(app: Flask) -> None:
    """Log to standard error at INFO; never bodies, tokens or personal data."""
    if not app.debug and not app.testing:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )


def register_extensions(app: Flask) -> None:
    """Bind the database, migrations, CSRF, languages, rate limits and security headers."""
    from coalition import auth
    from coalition.extensions import csrf, db, limiter, migrate
    from coalition.i18n import init_i18n
    from coalition.security import init_security_headers
    from coalition.slots import init_slots

    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    init_i18n(app)
    init_security_headers(app)
    auth.init_auth(app)
    init_slots(app)


def register_blueprints(app: Flask) -> None:
    """Mount every part of the platform."""
    import policy_briefs
    from coalition.views import register_core_blueprints
    from federation import register as register_federation
    from search import register as register_search

    register_core_blueprints(app)
    register_search(app)
    register_federation(app)
    policy_briefs.register(app)


def register_errorhandlers(app: Flask) -> None:
    """HTML error pages in the visitor's language; problem+json under the APIs."""
    from coalition.errors import init_error_handlers

    init_error_handlers(app)


def register_commands(app: Flask) -> None:
    """Add the `flask coalition …`, `flask demo …` and the other parts' commands."""
    from coalition.cli import register_core_commands

    register_core_commands(app)


def register_background_work(app: Flask) -> None:
    """Start the in-process worker thread when configured (embedded mode)."""
    from coalition.worker import init_worker

    init_worker(app)
