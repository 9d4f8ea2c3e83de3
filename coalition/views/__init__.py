"""The core's blueprints: public pages, sign-in, organisation management, coalition admin."""

from flask import Flask


def register_core_blueprints(app: Flask) -> None:
    """Mount the core's blueprints; every HTML page lives under a language prefix."""
    from coalition.views import admin, audit, auth, orgs, programmes, public, staff

    app.jinja_env.globals["has_endpoint"] = lambda name: name in app.view_functions
    app.register_blueprint(public.root)
    app.register_blueprint(public.bp, url_prefix="/<lang:lang_code>")
    app.register_blueprint(auth.bp, url_prefix="/<lang:lang_code>")
    app.register_blueprint(staff.bp, url_prefix="/<lang:lang_code>/staff")
    app.register_blueprint(programmes.bp, url_prefix="/<lang:lang_code>/staff/programmes")
    app.register_blueprint(orgs.bp, url_prefix="/<lang:lang_code>/staff/org")
    app.register_blueprint(admin.bp, url_prefix="/<lang:lang_code>/admin")
    app.register_blueprint(audit.bp, url_prefix="/<lang:lang_code>/admin/audit")
