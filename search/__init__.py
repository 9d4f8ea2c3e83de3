"""Finding programmes: index documents, the two search backends, the outbox indexer,
public search and programme pages, the JSON search API, the counts of searches that found
nothing, and the Open Referral (HSDS 3.0) feed (`search.hsds`).

The layout: `query` (what a search asks and answers), `schemas` (parameters in, API
answers out), `services` (searching, and what the public may see), `views` (pages),
`api` (JSON), `cli` (`flask search …`), `jobs` (the indexer), `models` (zero-result
and search-demand counts); named concerns `documents`, `analysis`, `highlight`, `geo`,
`search_page`, `json_ld`, `answer_cache`, `zero_results`, `demand` (searches near a place,
per area), `pending` (counts a process writes together); `backends/` (tantivy,
Elasticsearch).
"""

from flask import Flask

from coalition.errors import answer_with_problems
from coalition.slots import add_to_slot


def register(app: Flask) -> None:
    """Mount everything of the search part: its pages, API and feed, `flask search …`, the
    indexer job, the zero-result counts, the template globals and the core's slots."""
    # Imported here, not above: importing one module of the part (the documents, a
    # backend, the indexer) must not load its web side.
    from coalition.impact.sources import provide
    from coalition.observability import add_readiness_check
    from coalition.sitemap import add_to_sitemap
    from coalition.worker import register_job
    from search import (
        hsds,
        models,  # noqa: F401 - registers the tables
    )
    from search.api import bp as api_bp
    from search.cli import register_commands
    from search.demand import demand_rows, init_demand_counts
    from search.jobs import run_job
    from search.places import city_label
    from search.services import get_backend, public_pages, published_programmes_of
    from search.views import admin_bp, bp, programme_text
    from search.zero_results import init_zero_result_counts, zero_result_rows

    app.register_blueprint(bp, url_prefix="/<lang:lang_code>")
    app.register_blueprint(admin_bp, url_prefix="/<lang:lang_code>/admin/search")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    answer_with_problems(app, api_bp)
    hsds.register(app)
    register_commands(app)
    register_job("search-indexer", run_job, interval=2.0)
    add_readiness_check(app, "search", lambda: get_backend().ping())
    init_zero_result_counts(app)
    init_demand_counts(app)
    provide(app, "search_demand", demand_rows)
    provide(app, "zero_result_searches", zero_result_rows)
    app.add_template_global(published_programmes_of)
    app.add_template_global(programme_text)
    app.add_template_global(city_label)
    add_to_slot(app, "nav.links", "search/_nav.html")
    add_to_slot(app, "home.search", "search/_home_search.html")
    add_to_slot(app, "home.search", "search/_home_mentor.html")
    add_to_slot(app, "members.page", "search/_organisation_programmes.html")
    add_to_slot(app, "staff.admin_links", "search/_admin_links.html")
    add_to_sitemap(app, public_pages)
