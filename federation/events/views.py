"""Org admins' webhook pages: register an HTTPS endpoint, rotate its secret, read the log."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from coalition.access import current_user, login_required
from coalition.extensions import db
from coalition.members.models import Organisation
from federation.events import services
from federation.events.forms import WebhookActionForm, WebhookForm
from federation.events.models import Webhook
from federation.events.signing import ROTATION_OVERLAP
from federation.events.urls import InvalidWebhookURL
from federation.staff_pages import managed_organisation, owned, secret_page

bp = Blueprint("federation_events", __name__)


def _secret_page(organisation: Organisation, webhook: Webhook, secret: str):
    return secret_page(
        "federation/events/webhook_secret.html", organisation, secret, webhook=webhook
    )


def _list_page(organisation: Organisation, form: WebhookForm, status: int = 200):
    hooks = services.organisation_webhooks(organisation)
    return render_template(
        "federation/events/webhooks.html",
        organisation=organisation,
        webhooks=hooks,
        logs={hook.id: services.recent_deliveries(hook, limit=20) for hook in hooks},
        form=form,
        confirm_form=WebhookActionForm(),
        rotation_overlap_hours=int(ROTATION_OVERLAP.total_seconds() // 3600),
    ), status


def _confirmed_webhook(org_id: int, webhook_id: int) -> tuple[Organisation, Webhook]:
    """The organisation and its webhook that a button changes (400 without its CSRF token)."""
    organisation = managed_organisation(org_id)
    webhook = owned(Webhook, webhook_id, organisation)
    if not WebhookActionForm().validate_on_submit():
        abort(400)
    return organisation, webhook


@bp.get("/<int:org_id>/webhooks")
@login_required
def webhooks(org_id: int):
    """The organisation's webhooks, with their delivery log."""
    return _list_page(managed_organisation(org_id), WebhookForm(formdata=None))


@bp.post("/<int:org_id>/webhooks")
@login_required
def create_webhook(org_id: int):
    """Register a webhook; its signing secret is shown once."""
    organisation = managed_organisation(org_id)
    form = WebhookForm()
    if form.validate_on_submit():
        try:
            webhook, secret = services.create_webhook(
                organisation, form.url.data.strip(), actor=current_user()
            )
        except InvalidWebhookURL as error:
            form.url.errors = [str(error)]
        else:
            db.session.commit()
            return _secret_page(organisation, webhook, secret)
    return _list_page(organisation, form, status=422)


@bp.post("/<int:org_id>/webhooks/<int:webhook_id>/rotate")
@login_required
def rotate_webhook_secret(org_id: int, webhook_id: int):
    """Give the webhook a new secret (the old one still signs for a while)."""
    organisation, webhook = _confirmed_webhook(org_id, webhook_id)
    secret = services.rotate_secret(webhook, actor=current_user())
    db.session.commit()
    return _secret_page(organisation, webhook, secret)


@bp.post("/<int:org_id>/webhooks/<int:webhook_id>/delete")
@login_required
def delete_webhook(org_id: int, webhook_id: int):
    """Remove the webhook and its log."""
    organisation, webhook = _confirmed_webhook(org_id, webhook_id)
    services.delete_webhook(webhook, actor=current_user())
    db.session.commit()
    flash(_("The webhook has been removed."), "success")
    return redirect(url_for(".webhooks", org_id=organisation.id))
