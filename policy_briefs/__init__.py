"""Co-authored policy briefs: sections, revisions, merge, comments, sign-off, publication."""

from flask import Flask

from policy_briefs.views import bp


def register(app: Flask) -> None:
    """Mount the policy briefs' pages."""
    app.register_blueprint(bp, url_prefix="/<lang:lang_code>/briefs")
