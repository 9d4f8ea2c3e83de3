"""The coalition core: member organisations and their branches, staff accounts and roles,
programmes and their publishing, the audit log, impact figures, the staff workspace and the
coalition office's pages — and the infrastructure every part uses.

Each domain is a sub-package with the same file names (models, services, forms, views,
cli): accounts, members, branches, programmes, mentors, audit, impact, staff, office, site,
demo. The infrastructure is flat beside them (config, database, extensions, errors, i18n,
mail, security, access, auth, paging, slots, sitemap, signals, outbox, worker, postcodes,
taxonomy, validation, malloc).
`coalition.app.create_app` assembles the platform and calls `register` below.
"""

from flask import Flask

from coalition import outbox  # noqa: F401 - wakes the worker after commits that wrote the outbox
from coalition.accounts.views import bp as accounts_bp
from coalition.cli import register_commands
from coalition.errors import answer_with_problems
from coalition.impact.api import bp as impact_api_bp
from coalition.impact.views import bp as impact_bp
from coalition.impact.views import office as impact_office_bp
from coalition.impact.views import staff as impact_staff_bp
from coalition.members.views import bp as members_bp
from coalition.members.views import root
from coalition.mentors.figures import interests_by_status
from coalition.mentors.jobs import purge_job, reminder_job
from coalition.mentors.views import bp as mentors_bp
from coalition.mentors.views import programme_mentor_block
from coalition.mentors.views import staff as mentor_staff_bp
from coalition.observability.metrics import add_figure
from coalition.office.views import audit as audit_bp
from coalition.office.views import bp as office_bp
from coalition.programmes.views import bp as programmes_bp
from coalition.site.services import SITE_PAGES, core_pages
from coalition.site.views import bp as site_bp
from coalition.site.views import files as site_files
from coalition.sitemap import SitemapPage, add_to_sitemap
from coalition.slots import add_to_slot
from coalition.staff.views import bp as staff_bp
from coalition.staff.views import orgs as orgs_bp
from coalition.worker import register_job


def register(app: Flask) -> None:
    """Mount the core's blueprints, commands, jobs and slot fillers; every HTML page is under
    a language prefix."""
    app.jinja_env.globals["has_endpoint"] = lambda name: name in app.view_functions
    app.jinja_env.globals["site_pages"] = SITE_PAGES
    app.register_blueprint(root)
    app.register_blueprint(site_files)
    app.register_blueprint(members_bp, url_prefix="/<lang:lang_code>")
    app.register_blueprint(site_bp, url_prefix="/<lang:lang_code>")
    app.register_blueprint(accounts_bp, url_prefix="/<lang:lang_code>")
    app.register_blueprint(staff_bp, url_prefix="/<lang:lang_code>/staff")
    app.register_blueprint(programmes_bp, url_prefix="/<lang:lang_code>/staff/programmes")
    app.register_blueprint(orgs_bp, url_prefix="/<lang:lang_code>/staff/org")
    app.register_blueprint(office_bp, url_prefix="/<lang:lang_code>/admin")
    app.register_blueprint(audit_bp, url_prefix="/<lang:lang_code>/admin/audit")
    app.register_blueprint(mentors_bp, url_prefix="/<lang:lang_code>/mentor")
    app.register_blueprint(mentor_staff_bp, url_prefix="/<lang:lang_code>/staff")
    app.register_blueprint(impact_bp, url_prefix="/<lang:lang_code>")
    app.register_blueprint(impact_staff_bp, url_prefix="/<lang:lang_code>/staff")
    app.register_blueprint(impact_office_bp, url_prefix="/<lang:lang_code>/admin/impact")
    app.register_blueprint(impact_api_bp, url_prefix="/api/v1")
    answer_with_problems(app, impact_api_bp)
    add_to_slot(app, "programme.mentor", programme_mentor_block)
    register_job("mentor-interest-purge", purge_job, interval=3600.0, on_wake=False)
    register_job("mentor-interest-reminders", reminder_job, interval=3600.0, on_wake=False)
    add_figure(app, "interests_by_status", interests_by_status)
    add_to_sitemap(app, core_pages)
    add_to_sitemap(app, lambda: [SitemapPage("impact.public")])
    register_commands(app)
