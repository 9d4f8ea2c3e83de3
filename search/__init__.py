"""Finding programmes: index documents, the two search backends, the outbox indexer,
public search and programme pages, and the Open Referral (HSDS 3.0) feed."""

from flask import Flask


def register(app: Flask) -> None:
    """Mount the search part's blueprints and commands."""
    from search.views import bp

    app.register_blueprint(bp, url_prefix="/<lang:lang_code>")
