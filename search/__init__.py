"""Finding programmes: index documents, the two search backends, the outbox indexer,
public search and programme pages, and the Open Referral (HSDS 3.0) feed."""

from flask import Flask

from coalition.errors import answer_with_problems
from coalition.slots import add_to_slot


def register(app: Flask) -> None:
    """Mount the search part's blueprints and commands."""
    from search import models  # noqa: F401 - registers the tables
    from search.admin import bp as admin_bp
    from search.hsds import bp as hsds_bp
    from search.views import bp

    app.register_blueprint(bp, url_prefix="/<lang:lang_code>")
    app.register_blueprint(hsds_bp, url_prefix="/hsds")
    answer_with_problems(app, hsds_bp)
    app.register_blueprint(admin_bp, url_prefix="/<lang:lang_code>/admin/search")
    register_index(app)
    register_slots(app)


def register_slots(app: Flask) -> None:
    """The directory's places in the core's pages: navigation, home search, member page."""
    add_to_slot(app, "nav.links", "search/_nav.html")
    add_to_slot(app, "home.search", "search/_home_search.html")
    add_to_slot(app, "members.page", "search/_organisation_programmes.html")


def register_index(app: Flask) -> None:
    """The JSON search API, `flask search …` and the outbox indexer job."""
    from coalition.worker import register_job
    from search.api import bp as api_bp
    from search.cli import register_commands
    from search.indexer import run_job

    app.register_blueprint(api_bp, url_prefix="/api/v1")
    answer_with_problems(app, api_bp)
    register_commands(app)
    register_job("search-indexer", run_job, interval=2.0)
