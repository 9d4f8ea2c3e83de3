"""The directory as an Open Referral HSDS 3.0 feed under `/hsds/`, so that any HSDS tool can
read it and other platforms can harvest it: `api` (the routes), `schemas` (the HSDS
objects and the feed's parameters), `documents` (built from the database), `services`
(the queries) and `ids` (every id a stable UUID)."""

from flask import Flask

from coalition.errors import answer_with_problems


def register(app: Flask) -> None:
    """Mount the feed at `/hsds`; its errors are problem+json."""
    # Imported here, not above: the feed's routes load only when an app mounts them (the
    # index's documents and the backends import `search.*` without the web side).
    from search.hsds.api import bp

    app.register_blueprint(bp, url_prefix="/hsds")
    answer_with_problems(app, bp)
