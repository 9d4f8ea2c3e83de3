"""Member systems talking to the platform: the OAuth 2 authorization server, the machine
API under /federation/v1, anonymised referrals and events."""

from flask import Flask

from coalition.slots import add_to_slot


def register(app: Flask) -> None:
    """Mount the federation part's blueprints and commands."""
    from federation import (
        models,  # noqa: F401 - registers the tables
        webhook_views,  # noqa: F401 - adds the webhook pages to bp
    )
    from federation.views import bp

    app.register_blueprint(bp, url_prefix="/<lang:lang_code>/federation")
    add_to_slot(app, "staff.org_links", "federation/_staff_links.html")
    from federation.oauth2 import init_oauth

    init_oauth(app)
    from federation.cli import federation_cli

    app.cli.add_command(federation_cli)
    from federation.api import init_api

    init_api(app)
