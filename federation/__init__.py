"""Member systems talking to the platform.

- `federation.oauth`: the OAuth 2 authorization server (clients, signing keys, tokens), its
  routes under /oauth and /.well-known, the API client pages, `flask federation …`;
- `federation.events`: the organisation's event feed and its webhooks, with their pages;
- `federation.api`: the machine API under /federation/v1 and its OpenAPI document;
- `federation.referrals`: anonymised referrals between members (their staff pages, `flask
  referrals …`, the expiry and purge jobs, the figures the core reads).

`register(app)` is all the application factory calls of this part.
"""

from flask import Flask

from coalition import outbox, worker
from coalition.errors import answer_with_problems
from coalition.impact.sources import provide
from coalition.observability.metrics import add_figure
from coalition.slots import add_to_slot
from federation.api import api as machine_api
from federation.api.jobs import purge_expired as purge_idempotency_keys
from federation.events import views as webhook_pages
from federation.events.jobs import deliver_due
from federation.events.models import WebhookDelivery
from federation.events.services import connect_signals
from federation.oauth import api as oauth_api
from federation.oauth import views as client_pages
from federation.oauth.cli import federation_cli
from federation.oauth.server import init_authorization_server
from federation.referrals import figures as referral_figures
from federation.referrals import jobs as referral_jobs
from federation.referrals import views as referral_pages
from federation.referrals.cli import referrals_cli


def register(app: Flask) -> None:
    """Mount the federation part: blueprints, commands, jobs, signal handlers, slot filler."""
    # staff pages, under the language prefix
    app.register_blueprint(client_pages.bp, url_prefix="/<lang:lang_code>/federation")
    app.register_blueprint(webhook_pages.bp, url_prefix="/<lang:lang_code>/federation")
    app.register_blueprint(referral_pages.bp, url_prefix="/<lang:lang_code>/federation")
    add_to_slot(app, "staff.org_links", "federation/_staff_links.html")
    add_to_slot(app, "programme.referral", referral_pages.refer_button)
    # the authorization server and the machine API: no language prefix, problem+json errors
    init_authorization_server(app)
    app.register_blueprint(oauth_api.bp)
    answer_with_problems(app, oauth_api.bp)
    app.register_blueprint(machine_api.bp, url_prefix="/federation/v1")
    answer_with_problems(app, machine_api.bp)
    app.cli.add_command(federation_cli)
    app.cli.add_command(referrals_cli)
    # the core's programme changes become events; new deliveries wake the worker
    connect_signals()
    outbox.watch(WebhookDelivery)
    worker.register_job("webhook-deliveries", deliver_due, interval=5.0)
    worker.register_job("idempotency-purge", purge_idempotency_keys, interval=3600.0, on_wake=False)
    worker.register_job("referral-expiry", referral_jobs.expire_job, interval=3600.0, on_wake=False)
    worker.register_job("referral-purge", referral_jobs.purge_job, interval=3600.0, on_wake=False)
    # the figures the core reads: impact dashboards and /metrics
    provide(app, "referral_outcomes", referral_figures.outcome_rows)
    provide(app, "referral_demand", referral_figures.demand_rows)
    add_figure(app, "referrals_by_status", referral_figures.counts_by_status)
