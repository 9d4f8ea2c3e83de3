"""Co-authored policy briefs: sections, revisions, merge, comments, sign-off, publication.

Staff of several member organisations write a brief together (`/<lang>/staff/briefs/`);
every save is a revision, merged three-way with the edits saved meanwhile or returned as a
conflict; each co-authoring organisation's admin signs the exact content; the lead
publishes it at `/<lang>/briefs/<slug>` (page, PDF, Atom feed).
"""

from flask import Flask

from coalition.errors import answer_with_problems
from coalition.signals import demo_seeded
from coalition.sitemap import add_to_sitemap
from coalition.slots import add_to_slot


def register(app: Flask) -> None:
    """Mount the briefs' blueprints, fill the core's slots, seed the demo briefs."""
    from policy_briefs import models  # noqa: F401 - registers the tables
    from policy_briefs.comments.views import bp as comments_bp
    from policy_briefs.demo import seed_demo_briefs
    from policy_briefs.drafting.api import bp as api_bp
    from policy_briefs.drafting.views import bp as sections_bp
    from policy_briefs.public.services import public_pages
    from policy_briefs.public.views import assets
    from policy_briefs.public.views import bp as public_bp
    from policy_briefs.render import formatted
    from policy_briefs.signoff.views import bp as signoff_bp
    from policy_briefs.views import bp

    staff = "/<lang:lang_code>/staff/briefs"
    app.register_blueprint(public_bp, url_prefix="/<lang:lang_code>/briefs")
    app.register_blueprint(assets)
    for blueprint in (bp, sections_bp, comments_bp, signoff_bp, api_bp):
        app.register_blueprint(blueprint, url_prefix=staff)
    answer_with_problems(app, api_bp)
    app.jinja_env.filters["brief_figure"] = formatted
    add_to_slot(app, "nav.links", "policy_briefs/_nav.html")
    add_to_slot(app, "staff.org_links", "policy_briefs/_staff_links.html")
    add_to_sitemap(app, public_pages)
    demo_seeded.connect(seed_demo_briefs, weak=False)
