"""The volunteer's pages (the interest form, the withdrawal link) and the organisation's
follow-up pages (`/<lang>/staff/<org id>/mentors`)."""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from marshmallow import ValidationError

from coalition import access, taxonomy
from coalition.branches.services import organisation_branch
from coalition.errors import error_pointers
from coalition.extensions import db, limiter
from coalition.forms import ButtonForm
from coalition.i18n import current_language
from coalition.mentors import services
from coalition.mentors.export import csv_of
from coalition.mentors.forms import BranchForm, InterestForm, MoveForm
from coalition.mentors.models import InterestStatus, MentorInterest
from coalition.mentors.privacy import interest_uuid_of
from coalition.mentors.schemas import LIMITS
from coalition.mentors.spam import (
    HONEYPOT,
    StampCheck,
    address_limit,
    check_stamp,
    email_limit,
    form_stamp,
    mark_stored,
    per_address,
    per_email,
    was_stored,
)
from coalition.mentors.states import TransitionRefused, status_labels
from coalition.paging import requested_page
from coalition.programmes.models import Programme

if TYPE_CHECKING:
    from coalition.members.models import Organisation

log = logging.getLogger(__name__)

#: the volunteer's pages, under /<lang>/mentor
bp = Blueprint("mentors", __name__)
#: the organisation's follow-up, under /<lang>/staff
staff = Blueprint("mentor_staff", __name__)

#: pages that show a volunteer's data or a withdrawal token: not cached, not indexed,
#: not named in another site's Referer
PRIVATE = {
    "Cache-Control": "private, no-store",
    "X-Robots-Tag": "noindex",
    "Referrer-Policy": "no-referrer",
}


def labels_context() -> dict:
    """What the mentors' templates use to name codes in the page's language."""
    lang = current_language()
    return {
        "lang": lang,
        "label_in": lambda vocabulary, code: taxonomy.label_in(vocabulary, code, lang),
        "taxonomy": taxonomy,
        "status_labels": status_labels(),
    }


bp.context_processor(labels_context)
staff.context_processor(labels_context)


def programme_mentor_block(programme: Programme, **context) -> str | None:
    """The slot `programme.mentor`: what the programme asks of mentors, and the way to
    the interest form; nothing when it seeks none."""
    if not programme.seeks_mentors:
        return None
    return render_template(
        "coalition/mentors/_programme.html", programme=programme, **labels_context()
    )


# --- the volunteer's pages -----------------------------------------------------------------


def _programme(programme_uuid: uuid.UUID) -> Programme:
    programme = services.programme_seeking_mentors(programme_uuid)
    if programme is None:
        abort(404)
    return programme


@bp.route("/programmes/<uuid:programme_uuid>/interest", methods=["GET", "POST"])
@limiter.limit(address_limit, key_func=per_address, methods=["POST"], scope="mentor-address")
@limiter.limit(
    email_limit, key_func=per_email, methods=["POST"], scope="mentor-email", deduct_when=was_stored
)
def interest(programme_uuid: uuid.UUID):
    """Say you would like to be a mentor in this programme (GET: the form; POST: send it)."""
    programme = _programme(programme_uuid)
    lang = current_language()
    form = InterestForm(programme.organisation.display_name(lang))
    key = str(programme.uuid)
    status = 200
    if request.method == "GET":
        form.started.data = form_stamp(key)
    elif request.form.get(HONEYPOT):
        # A robot: answered like a person, and nothing is kept or sent.
        log.info("mentor interest form: honeypot filled, nothing stored")
        return redirect(url_for(".sent", programme_uuid=programme.uuid))
    elif not form.validate_on_submit():  # the CSRF token
        status = 400
    else:
        check = check_stamp(form.started.data, key)
        if check is StampCheck.stale:
            form.form_errors_shown.append(
                _("This form was open for too long. Please check it, then send it again.")
            )
            form.started.data = form_stamp(key)
        elif check is StampCheck.too_fast:
            form.form_errors_shown.append(
                _("That was very quick. Please check what you wrote, then send it again.")
            )
        else:
            try:
                services.express_interest(programme, form.payload(), lang)
            except ValidationError as error:
                form.show_errors(error_pointers(error.messages))
            else:
                db.session.commit()
                mark_stored()
                return redirect(url_for(".sent", programme_uuid=programme.uuid))
        status = 422
    page = render_template(
        "coalition/mentors/interest.html", form=form, programme=programme, limits=LIMITS
    )
    return page, status, PRIVATE


@bp.get("/programmes/<uuid:programme_uuid>/interest/sent")
def sent(programme_uuid: uuid.UUID):
    """Thank you: the organisation will contact you; a mail tells you how to withdraw."""
    return render_template("coalition/mentors/sent.html", programme=_programme(programme_uuid))


@bp.route("/withdraw/<token>", methods=["GET", "POST"])
def withdraw(token: str):
    """Delete my interest: the link of the acknowledgement mail (a button, then gone)."""
    interest_uuid = interest_uuid_of(token)
    if interest_uuid is None:
        abort(404)
    interest = services.interest_by_uuid(interest_uuid)
    form = ButtonForm()
    state = "confirm" if interest is not None else "gone"
    if interest is not None and form.validate_on_submit():
        services.withdraw_interest(interest)
        db.session.commit()
        state = "deleted"
    page = render_template(
        "coalition/mentors/withdraw.html", state=state, interest=interest, form=form
    )
    return page, 200, PRIVATE


# --- the organisation's follow-up -----------------------------------------------------------


def _organisation(org_id: int):
    """The organisation, if the user follows its mentor volunteers up (else 404/403)."""
    return access.require("follow_mentors", org_id)


def _interest(org_id: int, interest_id: int) -> tuple[Organisation, MentorInterest]:
    """The organisation (as `_organisation`) and its volunteer's interest (else 404)."""
    return access.require_own("follow_mentors", org_id, services.organisation_interest, interest_id)


@staff.get("/<int:org_id>/mentors")
@access.login_required
def inbox(org_id: int):
    """The organisation's mentor volunteers, newest first, by status."""
    organisation = _organisation(org_id)
    wanted = request.args.get("status")
    status = wanted if wanted in InterestStatus.__members__ else None
    page = services.inbox(organisation, status, requested_page())
    return (
        render_template(
            "coalition/mentors/inbox.html",
            organisation=organisation,
            page=page,
            status=status,
            counts=services.status_counts(organisation),
            export_form=ButtonForm(formdata=None),
        ),
        200,
        PRIVATE,
    )


def _detail(organisation, interest: MentorInterest, status: int = 200, **forms):
    forms.setdefault("move_form", MoveForm(interest.status, formdata=None))
    forms.setdefault("branch_form", BranchForm(organisation, formdata=None))
    if not forms["branch_form"].is_submitted():
        forms["branch_form"].branch.data = str(interest.branch_id or "")
    page = render_template(
        "coalition/mentors/interest_staff.html",
        organisation=organisation,
        interest=interest,
        delete_form=ButtonForm(formdata=None),
        **forms,
    )
    return page, status, PRIVATE


@staff.get("/<int:org_id>/mentors/<int:interest_id>")
@access.login_required
def show(org_id: int, interest_id: int):
    """One volunteer: what they wrote, the follow-up so far, the next step."""
    return _detail(*_interest(org_id, interest_id))


@staff.post("/<int:org_id>/mentors/<int:interest_id>/status")
@access.login_required
def move(org_id: int, interest_id: int):
    """Move the interest on (contacted, in training, active, …); an illegal move is refused."""
    organisation, interest = _interest(org_id, interest_id)
    form = MoveForm(interest.status)
    if not form.validate_on_submit():
        abort(400)
    try:
        services.move_interest(interest, form.status.data, access.current_user())
    except TransitionRefused as error:
        form.status.errors = [error.message]
        return _detail(organisation, interest, 409, move_form=form)
    db.session.commit()
    flash(_("The status is now “%(status)s”.", status=status_labels()[interest.status]), "success")
    return redirect(url_for(".show", org_id=org_id, interest_id=interest_id))


@staff.post("/<int:org_id>/mentors/<int:interest_id>/branch")
@access.login_required
def assign_branch(org_id: int, interest_id: int):
    """Choose the branch that follows the volunteer up."""
    organisation, interest = _interest(org_id, interest_id)
    form = BranchForm(organisation)
    if not form.validate_on_submit():
        abort(400)
    chosen = form.branch.data or ""
    branch = organisation_branch(organisation, int(chosen)) if chosen.isdigit() else None
    if chosen and branch is None:
        form.branch.errors = [_("Choose one of the organisation's branches.")]
        return _detail(organisation, interest, 422, branch_form=form)
    services.assign_branch(interest, branch, access.current_user())
    db.session.commit()
    flash(_("The branch was saved."), "success")
    return redirect(url_for(".show", org_id=org_id, interest_id=interest_id))


@staff.post("/<int:org_id>/mentors/<int:interest_id>/delete")
@access.login_required
def delete(org_id: int, interest_id: int):
    """Delete the volunteer's data now (they asked the organisation to)."""
    interest = _interest(org_id, interest_id)[1]
    if not ButtonForm().validate_on_submit():
        abort(400)
    services.delete_interest(interest, access.current_user())
    db.session.commit()
    flash(_("The volunteer's data were deleted."), "success")
    return redirect(url_for(".inbox", org_id=org_id))


@staff.post("/<int:org_id>/mentors/export")
@access.login_required
def export(org_id: int):
    """Every interest of the organisation as a CSV file (UTF-8, `;`, for spreadsheets)."""
    organisation = _organisation(org_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    interests = services.all_interests(organisation)
    services.record_export(organisation, access.current_user(), len(interests))
    db.session.commit()
    response = Response(csv_of(interests, current_language()), mimetype="text/csv")
    response.headers.update(PRIVATE)
    response.headers["Content-Disposition"] = 'attachment; filename="mentor-volunteers.csv"'
    return response
