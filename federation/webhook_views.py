"""Org admins' webhook pages: register an HTTPS endpoint, rotate its secret, read the log.

The routes join the federation blueprint of `federation.views` (imported by
`federation.register` before the blueprint is mounted).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import URLField
from wtforms.validators import DataRequired, Length

from coalition.access import current_user, login_required, require
from coalition.extensions import db
from coalition.models import Organisation
from federation import webhooks as services
from federation.views import ConfirmForm, bp


class WebhookForm(FlaskForm):
    url = URLField(
        _l("Address of your endpoint"),
        validators=[
            DataRequired(_l("Give the address that receives the events.")),
            Length(max=500),
        ],
        description=_l("An https:// address on the internet. Redirects are not followed."),
    )


def _organisation(org_id: int) -> Organisation:
    """The organisation, if the current user may manage its integrations (else 404/403)."""
    organisation = db.session.get(Organisation, org_id)
    require("manage_clients", organisation)
    return organisation


def _webhook(organisation: Organisation, webhook_id: int) -> services.Webhook:
    """One of the organisation's webhooks; another organisation's is 404."""
    webhook = db.session.get(services.Webhook, webhook_id)
    if webhook is None or webhook.organisation_id != organisation.id:
        abort(404)
    return webhook


def _secret_page(organisation: Organisation, webhook: services.Webhook, secret: str):
    page = render_template(
        "federation/webhook_secret.html", organisation=organisation, webhook=webhook, secret=secret
    )
    return page, 200, {"Cache-Control": "no-store"}


def _list_page(organisation: Organisation, form: WebhookForm, status: int = 200):
    hooks = db.session.scalars(
        select(services.Webhook)
        .where(services.Webhook.organisation_id == organisation.id)
        .order_by(services.Webhook.created_at)
    ).all()
    return render_template(
        "federation/webhooks.html",
        organisation=organisation,
        webhooks=hooks,
        logs={hook.id: services.recent_deliveries(hook, limit=20) for hook in hooks},
        form=form,
        confirm_form=ConfirmForm(),
        rotation_overlap_hours=int(services.ROTATION_OVERLAP.total_seconds() // 3600),
    ), status


@bp.get("/<int:org_id>/webhooks")
@login_required
def webhooks(org_id: int):
    """The organisation's webhooks, with their delivery log."""
    return _list_page(_organisation(org_id), WebhookForm(formdata=None))


@bp.post("/<int:org_id>/webhooks")
@login_required
def create_webhook(org_id: int):
    """Register a webhook; its signing secret is shown once."""
    organisation = _organisation(org_id)
    form = WebhookForm()
    if form.validate_on_submit():
        try:
            webhook, secret = services.create_webhook(
                organisation, form.url.data.strip(), actor=current_user()
            )
        except services.InvalidWebhookURL as error:
            form.url.errors = [str(error)]
        else:
            db.session.commit()
            return _secret_page(organisation, webhook, secret)
    return _list_page(organisation, form, status=422)


@bp.post("/<int:org_id>/webhooks/<int:webhook_id>/rotate")
@login_required
def rotate_webhook_secret(org_id: int, webhook_id: int):
    """Give the webhook a new secret (the old one still signs for a while)."""
    organisation = _organisation(org_id)
    webhook = _webhook(organisation, webhook_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    secret = services.rotate_secret(webhook, actor=current_user())
    db.session.commit()
    return _secret_page(organisation, webhook, secret)


@bp.post("/<int:org_id>/webhooks/<int:webhook_id>/delete")
@login_required
def delete_webhook(org_id: int, webhook_id: int):
    """Remove the webhook and its log."""
    organisation = _organisation(org_id)
    webhook = _webhook(organisation, webhook_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.delete_webhook(webhook, actor=current_user())
    db.session.commit()
    flash(_("The webhook has been removed."), "success")
    return redirect(url_for("federation.webhooks", org_id=organisation.id))
