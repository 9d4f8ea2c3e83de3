"""The core's blueprints: public pages, sign-in, organisation management, coalition admin."""

from flask import Flask


def register_core_blueprints(app: Flask) -> None:
    """Mount the core's blueprints; every HTML page lives under a language prefix."""
    from coalition.views import public

    app.jinja_env.globals["has_endpoint"] = lambda name: name in app.view_functions
    app.register_blueprint(public.root)
    app.register_blueprint(public.bp, url_prefix="/<lang:lang_code>")
