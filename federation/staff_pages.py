"""What the part's staff pages share: the organisation whose integrations (API clients,
webhooks) the signed-in admin manages, one of its objects, and the page showing a secret."""

from __future__ import annotations

from typing import TypeVar

from flask import abort, render_template

from coalition.access import require
from coalition.extensions import db
from coalition.members.models import Organisation

T = TypeVar("T")


def managed_organisation(org_id: int) -> Organisation:
    """The organisation, if the current user may manage its integrations (else 404/403)."""
    organisation = db.session.get(Organisation, org_id)
    require("manage_clients", organisation)
    return organisation


def owned(model: type[T], object_id: int, organisation: Organisation) -> T:
    """The organisation's `model` with this id; another organisation's answers 404 too."""
    item = db.get_or_404(model, object_id)
    if item.organisation_id != organisation.id:
        abort(404)
    return item


def secret_page(template: str, organisation: Organisation, secret: str, **context):
    """A page that shows a secret once: never kept by a cache."""
    page = render_template(template, organisation=organisation, secret=secret, **context)
    return page, 200, {"Cache-Control": "no-store"}
