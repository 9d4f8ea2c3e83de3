"""Referral officers' pages (and org admins'): the outbox and its form, the inbox and its
moves, each referral's timeline, the counts by status. Anyone else sees nothing (404 for
an organisation they have no role in, 403 for a role without `handle_referrals`).

The form is loaded by the API's own `ReferralSchema`: the same checks, and each refusal is
shown beside its field.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import select

from coalition.access import can, current_user, login_required, require
from coalition.database import utcnow
from coalition.errors import error_pointers
from coalition.extensions import db
from coalition.forms import control_character_errors
from coalition.members.models import Organisation
from coalition.paging import requested_page
from coalition.postcodes import COUNTRIES
from coalition.programmes.models import Programme, ProgrammeStatus
from coalition.taxonomy import SPOKEN_LANGUAGES, THEMES
from federation.referrals import figures, housekeeping, services
from federation.referrals.labels import referral_label
from federation.referrals.schemas import (
    AGE_BANDS,
    AVAILABILITY,
    CONSENT_GIVERS,
    MAX_PSEUDONYM,
    ReferralSchema,
)
from federation.referrals.states import (
    CANCEL_REASONS,
    COMPLETED_OUTCOMES,
    FAILED_OUTCOMES,
    REJECT_REASONS,
    TRANSITIONS,
    Status,
    TransitionRefused,
)

bp = Blueprint("referrals", __name__)
#: the staff form's fields that hold a list
LIST_FIELDS = ("languages", "goals", "availability")


@bp.context_processor
def _labels() -> dict[str, Any]:
    """The pages show each code (status, reason, outcome, …) by its label."""
    return {"referral_label": referral_label}


def _officer_organisation(org_id: int) -> Organisation:
    organisation = db.session.get(Organisation, org_id)
    return require("handle_referrals", organisation)


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def _own_referral(organisation: Organisation, referral_id: str):
    referral_uuid = _uuid(referral_id)
    referral = referral_uuid and services.visible_referral(organisation.id, referral_uuid)
    if not referral:
        abort(404)
    return referral


def _programme_choices(organisation: Organisation) -> list[Programme]:
    return list(
        db.session.scalars(
            select(Programme)
            .where(
                Programme.status == ProgrammeStatus.published,
                Programme.organisation_id != organisation.id,
            )
            .order_by(Programme.id)
            .limit(500)
        )
    )


def refer_button(programme: Any = None, **context: Any) -> str | None:
    """The programme page's "refer a young person" link, for each organisation whose
    referrals the signed-in staff member handles (the slot `programme.referral`)."""
    user = current_user()
    if user is None or programme is None:
        return None
    organisations = [
        role.organisation
        for role in user.roles
        if role.organisation_id != programme.organisation_id
        and can(user, "handle_referrals", role.organisation_id)
    ]
    organisations = list({o.id: o for o in organisations}.values())
    if not organisations:
        return None
    return render_template(
        "federation/referrals/_refer_button.html", programme=programme, organisations=organisations
    )


@bp.get("/<int:org_id>/referrals")
@login_required
def referrals(org_id: int):
    """The inbox (received) or the outbox (sent), with the counts by status."""
    organisation = _officer_organisation(org_id)
    box = "outbox" if request.args.get("box") == "outbox" else "inbox"
    status = request.args.get("status")
    status = Status(status) if status in set(Status) else None
    page = services.list_referrals(
        organisation.id,
        box,
        page=requested_page(),
        per_page=50,
        status=status,
    )
    return render_template(
        "federation/referrals/list.html",
        organisation=organisation,
        box=box,
        status=status,
        page=page,
        counts=figures.counts_by_status(organisation.id, box),
    )


def _form_data(form: Any, programme: Programme | None) -> dict[str, Any]:
    """The form as the API's body."""
    given_on = form.get("consent_given_on", "")
    try:
        day = date.fromisoformat(given_on)
        given_at = (
            utcnow() if day == date.today() else datetime(day.year, day.month, day.day, tzinfo=UTC)
        )
        given_at_text = given_at.isoformat()
    except ValueError:
        given_at_text = given_on
    return {
        "programme": form.get("programme", ""),
        "subject_ref": form.get("subject_ref", ""),
        "age_band": form.get("age_band", ""),
        "postcode": form.get("postcode", ""),
        "country": form.get("country", "BE"),
        **{name: form.getlist(name) for name in LIST_FIELDS},
        "note": form.get("note", ""),
        "consent": {
            "given_at": given_at_text,
            "given_by": form.get("consent_given_by", ""),
            "recipient": programme.organisation.slug if programme else "",
            "text_version": form.get("consent_text_version", ""),
        },
    }


def _field_errors(messages: Any, form: Any) -> dict[str, str]:
    """marshmallow's messages by the form's field names (`consent_given_by`, …), in the
    page's language; a field left empty is said to be required, whatever rule it broke."""
    errors: dict[str, list[str]] = {}
    for item in error_pointers(messages):
        # `/consent/given_by` → `consent_given_by`; `/languages/0` → `languages`
        name = "_".join(p for p in item["pointer"].strip("/").split("/") if not p.isdigit())
        # the form's own names: the consent's day, and the programme for its recipient
        name = {"consent_given_at": "consent_given_on", "consent_recipient": "programme"}.get(
            name, name
        )
        errors.setdefault(name, []).append(item["detail"])
    return {name: _message(name, details, form) for name, details in errors.items()}


def _message(name: str, details: list[str], form: Any) -> str:
    if not form.get(name):
        return _("This field is required.")
    if name in LIST_FIELDS:  # only a tampered form sends a code the boxes do not offer
        return _("Choose among the boxes shown.")
    return " ".join(details)


def _form_page(organisation: Organisation, form: Any, errors: dict[str, str], status: int = 200):
    return render_template(
        "federation/referrals/new.html",
        organisation=organisation,
        programmes=_programme_choices(organisation),
        form=form,
        errors=errors,
        age_bands=AGE_BANDS,
        countries=COUNTRIES,
        languages={code: referral_label("language", code) for code in SPOKEN_LANGUAGES},
        goals={code: referral_label("goal", code) for code in THEMES},
        availability={code: referral_label("availability", code) for code in AVAILABILITY},
        consent_givers=CONSENT_GIVERS,
        today=date.today().isoformat(),
    ), status


@bp.get("/<int:org_id>/referrals/new")
@login_required
def new_referral(org_id: int):
    """The form that sends a referral (from a programme page, or choosing the programme)."""
    organisation = _officer_organisation(org_id)
    form = {"programme": request.args.get("programme", ""), "consent_text_version": "v1"}
    return _form_page(organisation, _Form(form), {})


class _Form(dict):
    """A plain mapping with `getlist`, so the template reads a blank form like a posted one."""

    def getlist(self, name: str) -> list[str]:
        value = self.get(name, [])
        return value if isinstance(value, list) else [value]


@bp.post("/<int:org_id>/referrals/new")
@login_required
def send_referral(org_id: int):
    """Send the referral; refusals are shown beside their fields."""
    organisation = _officer_organisation(org_id)
    programme_uuid = _uuid(request.form.get("programme", ""))
    programme = programme_uuid and services.find_programme(programme_uuid)
    errors: dict[str, str] = {}
    try:
        data = ReferralSchema().load(_form_data(request.form, programme))
    except ValidationError as error:
        errors = _field_errors(error.messages, request.form)
    if errors := {**errors, **control_character_errors()}:
        return _form_page(organisation, request.form, errors, 422)
    try:
        referral = services.send_referral(organisation, data, actor=current_user())
    except services.ReferralRefused as error:
        field = (error.pointer or "/subject_ref").strip("/").replace("/", "_")
        field = "programme" if field == "consent_recipient" else field
        return _form_page(organisation, request.form, {field: error.message}, error.status)
    db.session.commit()
    flash(
        _("Referral %(code)s sent. Give this code to the young person.", code=referral.code),
        "success",
    )
    return redirect(url_for(".referral", org_id=organisation.id, referral_id=referral.uuid))


@bp.get("/<int:org_id>/referrals/<referral_id>")
@login_required
def referral(org_id: int, referral_id: str):
    """One referral, its timeline and the moves this side may make."""
    organisation = _officer_organisation(org_id)
    return _referral_page(organisation, _own_referral(organisation, referral_id))


def _referral_page(
    organisation: Organisation, item: Any, errors: dict[str, str] | None = None, status: int = 200
):
    """The referral's page; `errors` by the move form's field id (`reason-rejected`)."""
    side = item.side_of(organisation.id)
    moves = [to for (frm, to), owner in TRANSITIONS.items() if frm == item.status and owner == side]
    return render_template(
        "federation/referrals/referral.html",
        organisation=organisation,
        referral=item,
        side=side,
        moves=moves,
        reasons={Status.rejected: REJECT_REASONS, Status.cancelled: CANCEL_REASONS},
        outcomes={Status.completed: COMPLETED_OUTCOMES, Status.failed: FAILED_OUTCOMES},
        errors=errors or {},
    ), status


@bp.post("/<int:org_id>/referrals/<referral_id>/transitions")
@login_required
def move_referral(org_id: int, referral_id: str):
    """Make one move (accept, reject, enrol, hold, close, cancel)."""
    organisation = _officer_organisation(org_id)
    item = _own_referral(organisation, referral_id)
    to = request.form.get("status", "")
    if to not in set(Status):
        abort(400)
    try:
        services.move_referral(
            item,
            Status(to),
            item.side_of(organisation.id),
            reason=request.form.get("reason") or None,
            outcome=request.form.get("outcome") or None,
            actor=current_user(),
        )
    except TransitionRefused as error:
        db.session.rollback()
        if error.status == 422:  # a reason or outcome missing or unfit: said beside it
            field = f"{error.pointer.strip('/')}-{to}"
            item = _own_referral(organisation, referral_id)
            return _referral_page(organisation, item, {field: error.message}, 422)
        flash(error.message, "error")
        return redirect(url_for(".referral", org_id=org_id, referral_id=referral_id)), 303
    db.session.commit()
    flash(_("The referral is now: %(status)s.", status=referral_label("status", to)), "success")
    return redirect(url_for(".referral", org_id=org_id, referral_id=referral_id))


@bp.get("/<int:org_id>/referrals/erase")
@login_required
def erase_form(org_id: int):
    """The form that erases everything the organisation sent about one young person."""
    organisation = _officer_organisation(org_id)
    return render_template("federation/referrals/erase.html", organisation=organisation, errors={})


@bp.post("/<int:org_id>/referrals/erase")
@login_required
def erase_subject(org_id: int):
    """Erase, on both sides, every referral the organisation sent about the person it calls
    `subject_ref` (its own pseudonym), at once: an erasure request (GDPR art. 17)."""
    organisation = _officer_organisation(org_id)
    # as sent, not stripped: the platform recognises the reference by its keyed hash
    subject_ref = request.form.get("subject_ref", "")
    errors = control_character_errors()
    if not subject_ref.strip() or len(subject_ref) > MAX_PSEUDONYM:
        errors.setdefault(
            "subject_ref", _("Give your own reference for the young person (1 to 64 characters).")
        )
    if errors:
        return render_template(
            "federation/referrals/erase.html", organisation=organisation, errors=errors
        ), 422
    count = housekeeping.erase_subject(organisation, subject_ref)
    db.session.commit()
    flash(
        _("%(count)s referral(s) about this young person erased, on both sides.", count=count),
        "success",
    )
    return redirect(url_for(".referrals", org_id=organisation.id, box="outbox"))
