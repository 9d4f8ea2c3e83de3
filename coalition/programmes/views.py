"""Editors' pages for their organisation's programmes, and the coalition's moderation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from coalition import access, taxonomy
from coalition.errors import error_pointers
from coalition.extensions import db
from coalition.i18n import current_language
from coalition.paging import requested_page
from coalition.programmes import services
from coalition.programmes.forms import ModerationForm, ProgrammeForm
from coalition.programmes.models import STALE_AFTER_DAYS, Programme
from coalition.programmes.moderation import (
    ModerationRefused,
    moderation_list,
    unpublish_by_coalition,
)
from coalition.programmes.schemas import TEXT_LIMITS

if TYPE_CHECKING:
    from coalition.members.models import Organisation

bp = Blueprint("programmes", __name__)


def _organisation(org_id: int) -> Organisation:
    """The organisation, if the signed-in user edits its programmes (else 404/403)."""
    return access.require("edit_programmes", org_id)


def _programme(org_id: int, programme_id: int) -> tuple[Organisation, Programme]:
    """The organisation (as `_organisation`) and its programme; another's answers 404."""
    return access.require_own(
        "edit_programmes", org_id, services.organisation_programme, programme_id
    )


@bp.get("/")
@access.login_required
def choose():
    """The organisations whose programmes the user edits (straight in when just one)."""
    organisations = access.organisations(access.current_user(), "edit_programmes")
    if len(organisations) == 1:
        return redirect(url_for(".index", org_id=organisations[0].id))
    return render_template("coalition/programmes/choose.html", organisations=organisations)


@bp.get("/<int:org_id>/")
@access.login_required
def index(org_id: int):
    """The organisation's programmes, their status and what needs attention."""
    organisation = _organisation(org_id)
    programmes = services.organisation_programmes(organisation)
    return render_template(
        "coalition/programmes/index.html",
        organisation=organisation,
        programmes=programmes,
        stale_ids={p.id for p in programmes if p.is_stale()},
        stale_after_days=STALE_AFTER_DAYS,
    )


def _save(organisation: Organisation, programme: Programme | None):
    form = ProgrammeForm(organisation)
    if request.method == "GET" and programme is not None:
        form.fill_from(programme)
    status = 200
    if form.validate_on_submit():
        user = access.current_user()
        try:
            if programme is None:
                programme = services.create_programme(organisation, form.payload(), user)
            else:
                services.update_programme(programme, form.payload(), user)
        # The services raise before changing anything, so there is nothing to roll back.
        except ValidationError as error:
            form.show_errors(error_pointers(error.messages))
            status = 422
        except services.ProgrammeStateError as error:
            form.group_errors.setdefault("form", []).append(error.message)
            status = 409
        else:
            db.session.commit()
            flash(_("The programme was saved."), "success")
            return redirect(url_for(".index", org_id=organisation.id))
    elif form.errors:
        status = 422
    return render_template(
        "coalition/programmes/form.html",
        form=form,
        organisation=organisation,
        programme=programme,
        text_limits=TEXT_LIMITS,
    ), status


@bp.route("/<int:org_id>/new", methods=["GET", "POST"])
@access.login_required
def new(org_id: int):
    """Write a new programme (saved as a draft, or published at once)."""
    return _save(_organisation(org_id), None)


@bp.route("/<int:org_id>/<int:programme_id>/edit", methods=["GET", "POST"])
@access.login_required
def edit(org_id: int, programme_id: int):
    """Change a programme; saving also confirms it is up to date."""
    return _save(*_programme(org_id, programme_id))


@bp.get("/<int:org_id>/<int:programme_id>/preview")
@access.login_required
def preview(org_id: int, programme_id: int):
    """The programme as the public will see it, whatever its status (editors only)."""
    organisation, programme = _programme(org_id, programme_id)
    response = render_template(
        "coalition/programmes/preview.html", organisation=organisation, programme=programme
    )
    return response, 200, {"X-Robots-Tag": "noindex", "Cache-Control": "private, no-store"}


#: the editors' status buttons: the service each calls and what the editor reads after it
ACTIONS = {
    "publish": (services.publish_programme, lambda: _("The programme is published.")),
    "unpublish": (services.unpublish_programme, lambda: _("The programme is no longer public.")),
    "archive": (services.archive_programme, lambda: _("The programme is archived.")),
    "confirm": (
        services.confirm_programme,
        lambda: _("Thank you: the programme is confirmed as up to date."),
    ),
}


@access.login_required
def act(org_id: int, programme_id: int):
    """Publish, unpublish, archive or confirm the programme (the endpoint names which)."""
    organisation, programme = _programme(org_id, programme_id)
    verb, done = ACTIONS[request.endpoint.rpartition(".")[2]]
    try:
        verb(programme, access.current_user())
    except services.ProgrammeStateError as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(done(), "success")
    return redirect(url_for(".index", org_id=organisation.id))


# The endpoints programmes.publish, .unpublish, .archive and .confirm: one view, four URLs.
for _action in ACTIONS:
    bp.add_url_rule(
        f"/<int:org_id>/<int:programme_id>/{_action}",
        endpoint=_action,
        view_func=act,
        methods=["POST"],
    )


@bp.get("/moderate/")
@access.coalition_admin_required
def moderation():
    """Every published or moderated programme, newest change first, for the coalition admin."""
    page = moderation_list(requested_page())
    return render_template("coalition/programmes/moderation.html", page=page)


@bp.route("/moderate/<int:programme_id>", methods=["GET", "POST"])
@access.coalition_admin_required
def moderate(programme_id: int):
    """The coalition admin unpublishes any programme, with a reason its editors see."""
    programme = db.get_or_404(Programme, programme_id)
    form = ModerationForm()
    status = 200
    if form.validate_on_submit():
        try:
            unpublish_by_coalition(programme, access.current_user(), form.reason.data)
        except ModerationRefused as error:
            form.reason.errors = [error.message]
            status = 422
        else:
            db.session.commit()
            flash(_("The programme was unpublished and its editors can see why."), "success")
            return redirect(url_for(".moderate", programme_id=programme.id))
    return render_template(
        "coalition/programmes/moderate.html", form=form, programme=programme
    ), status


@bp.context_processor
def taxonomy_labels() -> dict[str, Any]:
    """Labels of taxonomy codes in the page's language."""
    lang = current_language()

    def vocabulary_label(vocabulary: str, code: str) -> str:
        return taxonomy.label(vocabulary, str(code), lang)

    def region_label(code: str) -> str:
        return taxonomy.label_in(taxonomy.ONLINE_REGIONS, code, lang)

    return {"vocabulary_label": vocabulary_label, "region_label": region_label}
