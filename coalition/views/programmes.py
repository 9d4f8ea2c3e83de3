"""Editors' pages for their organisation's programmes, and the coalition's moderation."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from marshmallow import ValidationError
from sqlalchemy import select
from wtforms import (
    Field,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.widgets import CheckboxInput, ListWidget

from coalition import access, taxonomy
from coalition.config import LANGUAGES
from coalition.extensions import db
from coalition.i18n import current_language
from coalition.models import Organisation, Programme, ProgrammeStatus
from coalition.schemas import TEXT_LIMITS, error_pointers
from coalition.services import programmes as services
from coalition.taxonomy import (
    AUDIENCES,
    CAPACITY,
    COSTS,
    FORMATS,
    ONLINE_REGIONS,
    SPOKEN_LANGUAGES,
    THEMES,
)

bp = Blueprint("programmes", __name__)

#: the country prefix an editor may put before an extra postcode ("FR-75001")
POSTCODE_ENTRY = re.compile(r"(?:(BE|FR|NL)[\s-]+)?(.+)", re.IGNORECASE)


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes; the schema, not the form, checks the codes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)


def _choices(vocabulary: dict[str, dict[str, str]], lang: str) -> list[tuple[str, str]]:
    return [(code, labels.get(lang) or labels["en"]) for code, labels in vocabulary.items()]


class ProgrammeForm(FlaskForm):
    """The editor's form; its fields map to `ProgrammeSchema` (which does all validation)."""

    title_fr = StringField(_l("Title in French"))
    title_nl = StringField(_l("Title in Dutch"))
    title_en = StringField(_l("Title in English"))
    summary_fr = TextAreaField(_l("Summary in French"))
    summary_nl = TextAreaField(_l("Summary in Dutch"))
    summary_en = TextAreaField(_l("Summary in English"))
    description_fr = TextAreaField(_l("Description in French"))
    description_nl = TextAreaField(_l("Description in Dutch"))
    description_en = TextAreaField(_l("Description in English"))
    themes = CheckboxesField(_l("Themes"))
    audiences = CheckboxesField(_l("Target groups"))
    age_min = StringField(_l("Minimum age"))
    age_max = StringField(_l("Maximum age"))
    formats = CheckboxesField(_l("Formats"))
    languages = CheckboxesField(_l("Languages spoken with the young person"))
    other_languages = StringField(_l("Other languages (ISO 639-1 codes)"))
    duration_weeks = StringField(_l("Duration in weeks"))
    hours_per_week = StringField(_l("Hours per week"))
    branches = CheckboxesField(_l("Branches where it runs"))
    extra_postcodes = StringField(_l("Other postcodes"))
    online_region = SelectField(_l("Also online, in"))
    capacity_status = SelectField(_l("Capacity"))
    places = StringField(_l("Places available"))
    cost = SelectField(_l("Cost"))
    apply_url = StringField(_l("Application web page"))
    apply_email = StringField(_l("Application e-mail"))
    apply_phone = StringField(_l("Application phone"))
    save = SubmitField(_l("Save"))
    save_publish = SubmitField(_l("Save and publish"))

    def __init__(self, organisation: Organisation, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lang = current_language()
        self.themes.choices = _choices(THEMES, lang)
        self.audiences.choices = _choices(AUDIENCES, lang)
        self.formats.choices = _choices(FORMATS, lang)
        self.languages.choices = _choices(SPOKEN_LANGUAGES, lang)
        self.online_region.choices = [("", _("Not online")), *_choices(ONLINE_REGIONS, lang)]
        self.capacity_status.choices = _choices(CAPACITY, lang)
        self.cost.choices = _choices(COSTS, lang)
        self.branches.choices = [
            (str(b.id), f"{b.name} — {b.postcode} {b.city}") for b in organisation.branches
        ]
        self.organisation = organisation
        #: errors of a group of fields ("title", "apply", …), shown on its fieldset
        self.group_errors: dict[str, list[str]] = {}

    def fill_from(self, programme: Programme) -> None:
        """Show a saved programme in the form."""
        for lang in LANGUAGES:
            getattr(self, f"title_{lang}").data = programme.titles.get(lang, "")
            getattr(self, f"summary_{lang}").data = programme.summaries.get(lang, "")
            getattr(self, f"description_{lang}").data = programme.descriptions.get(lang, "")
        self.themes.data = list(programme.themes)
        self.audiences.data = list(programme.audiences)
        self.formats.data = list(programme.formats)
        known = [code for code in programme.languages if code in SPOKEN_LANGUAGES]
        self.languages.data = known
        self.other_languages.data = ", ".join(c for c in programme.languages if c not in known)
        for name in ("age_min", "age_max", "duration_weeks", "hours_per_week"):
            value = getattr(programme, name)
            getattr(self, name).data = "" if value is None else f"{value:g}"
        branch_ids = {b.id for b in self.organisation.branches}
        self.branches.data = [
            str(loc.branch_id) for loc in programme.locations if loc.branch_id in branch_ids
        ]
        self.extra_postcodes.data = ", ".join(
            loc.postcode if loc.country == "BE" else f"{loc.country}-{loc.postcode}"
            for loc in programme.locations
            if loc.branch_id not in branch_ids
        )
        self.online_region.data = programme.online_region or ""
        self.capacity_status.data = str(programme.capacity_status)
        self.places.data = (
            "" if programme.places_available is None else str(programme.places_available)
        )
        self.cost.data = programme.cost
        self.apply_url.data = programme.apply_url or ""
        self.apply_email.data = programme.apply_email or ""
        self.apply_phone.data = programme.apply_phone or ""

    def _selected_branches(self) -> list:
        chosen = set(self.branches.data or [])
        return [b for b in self.organisation.branches if str(b.id) in chosen]

    def _extra_postcodes(self) -> list[str]:
        return [e.strip() for e in re.split(r"[,;]", self.extra_postcodes.data or "") if e.strip()]

    def _other_languages(self) -> list[str]:
        return [c for c in re.split(r"[\s,;]+", (self.other_languages.data or "").lower()) if c]

    def payload(self) -> dict[str, Any]:
        """The programme body (`ProgrammeSchema`'s shape) this form describes."""

        def number(field: Field) -> str | None:
            return (field.data or "").strip() or None

        locations = [
            {"postcode": b.postcode, "country": b.country} for b in self._selected_branches()
        ]
        for entry in self._extra_postcodes():
            match = POSTCODE_ENTRY.fullmatch(entry)
            country, postcode = (match.group(1) or "BE").upper(), match.group(2)
            locations.append({"postcode": postcode, "country": country})
        body: dict[str, Any] = {
            "title": {lang: getattr(self, f"title_{lang}").data or "" for lang in LANGUAGES},
            "summary": {lang: getattr(self, f"summary_{lang}").data or "" for lang in LANGUAGES},
            "description": {
                lang: getattr(self, f"description_{lang}").data or "" for lang in LANGUAGES
            },
            "themes": list(self.themes.data or []),
            "audiences": list(self.audiences.data or []),
            "age_min": number(self.age_min),
            "age_max": number(self.age_max),
            "formats": list(self.formats.data or []),
            "languages": list(self.languages.data or []) + self._other_languages(),
            "duration_weeks": number(self.duration_weeks),
            "hours_per_week": number(self.hours_per_week),
            "locations": locations,
            "online_region": self.online_region.data or None,
            "capacity": {"status": self.capacity_status.data, "places": number(self.places)},
            "cost": self.cost.data,
            "apply": {
                "url": self.apply_url.data,
                "email": self.apply_email.data,
                "phone": self.apply_phone.data,
            },
        }
        if self.save_publish.data:
            body["status"] = ProgrammeStatus.published.value
        return body

    def field_for(self, pointer: str) -> str:
        """The form field (or group) that shows the error at JSON pointer `pointer`."""
        parts = pointer.strip("/").split("/")
        head = parts[0]
        if head in ("title", "summary", "description"):
            return f"{head}_{parts[1]}" if len(parts) > 1 and parts[1] in LANGUAGES else head
        if head == "locations":
            if len(parts) > 1 and parts[1].isdigit():
                in_branches = int(parts[1]) < len(self._selected_branches())
                return "branches" if in_branches else "extra_postcodes"
            return "locations"
        if head == "languages" and len(parts) > 1 and parts[1].isdigit():
            return (
                "languages" if int(parts[1]) < len(self.languages.data or []) else "other_languages"
            )
        if head == "capacity":
            return "places" if parts[1:] == ["places"] else "capacity_status"
        if head == "apply":
            return f"apply_{parts[1]}" if len(parts) > 1 else "apply"
        return head if head in self._fields else "form"

    def show_errors(self, errors: list[dict[str, str]]) -> None:
        """Put each schema error beside its field (or on its group of fields)."""
        for error in errors:
            name = self.field_for(error["pointer"])
            field = self._fields.get(name)
            if field is not None:
                field.errors = [*field.errors, error["detail"]]
            else:
                self.group_errors.setdefault(name, []).append(error["detail"])


def _organisation(org_id: int) -> Organisation:
    """The organisation, if the signed-in user edits its programmes (else 404/403)."""
    organisation = db.session.get(Organisation, org_id)
    access.require("edit_programmes", organisation)
    return organisation


def _programme(organisation: Organisation, programme_id: int) -> Programme:
    """The organisation's programme; another organisation's answers 404."""
    programme = db.session.get(Programme, programme_id)
    if programme is None or programme.organisation_id != organisation.id:
        abort(404)
    return programme


@bp.get("/")
@access.login_required
def choose():
    """The organisations whose programmes the user edits (straight in when just one)."""
    ids = access.organisation_ids(access.current_user(), "edit_programmes")
    if len(ids) == 1:
        return redirect(url_for(".index", org_id=ids[0]))
    organisations = (
        db.session.execute(
            select(Organisation).where(Organisation.id.in_(ids)).order_by(Organisation.name)
        )
        .scalars()
        .all()
    )
    return render_template("coalition/programmes/choose.html", organisations=organisations)


@bp.get("/<int:org_id>/")
@access.login_required
def index(org_id: int):
    """The organisation's programmes, their status and what needs attention."""
    organisation = _organisation(org_id)
    programmes = (
        db.session.execute(
            select(Programme)
            .where(Programme.organisation_id == organisation.id)
            .order_by(Programme.status == ProgrammeStatus.archived, Programme.updated_at.desc())
        )
        .scalars()
        .all()
    )
    return render_template(
        "coalition/programmes/index.html",
        organisation=organisation,
        programmes=programmes,
        stale_ids={p.id for p in programmes if services.is_stale(p)},
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
    organisation = _organisation(org_id)
    return _save(organisation, _programme(organisation, programme_id))


@bp.get("/<int:org_id>/<int:programme_id>/preview")
@access.login_required
def preview(org_id: int, programme_id: int):
    """The programme as the public will see it, whatever its status (editors only)."""
    organisation = _organisation(org_id)
    programme = _programme(organisation, programme_id)
    response = render_template(
        "coalition/programmes/preview.html", organisation=organisation, programme=programme
    )
    return response, 200, {"X-Robots-Tag": "noindex", "Cache-Control": "private, no-store"}


def _action(org_id: int, programme_id: int, verb, done: str):
    organisation = _organisation(org_id)
    programme = _programme(organisation, programme_id)
    try:
        verb(programme, access.current_user())
    except services.ProgrammeStateError as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(done, "success")
    return redirect(url_for(".index", org_id=organisation.id))


@bp.post("/<int:org_id>/<int:programme_id>/publish")
@access.login_required
def publish(org_id: int, programme_id: int):
    """Publish the programme in the directory."""
    return _action(
        org_id, programme_id, services.publish_programme, _("The programme is published.")
    )


@bp.post("/<int:org_id>/<int:programme_id>/unpublish")
@access.login_required
def unpublish(org_id: int, programme_id: int):
    """Take the programme out of the directory."""
    return _action(
        org_id, programme_id, services.unpublish_programme, _("The programme is no longer public.")
    )


@bp.post("/<int:org_id>/<int:programme_id>/archive")
@access.login_required
def archive(org_id: int, programme_id: int):
    """Archive the programme."""
    return _action(
        org_id, programme_id, services.archive_programme, _("The programme is archived.")
    )


@bp.post("/<int:org_id>/<int:programme_id>/confirm")
@access.login_required
def confirm(org_id: int, programme_id: int):
    """Confirm the programme is still up to date."""
    return _action(
        org_id,
        programme_id,
        services.confirm_programme,
        _("Thank you: the programme is confirmed as up to date."),
    )


class ModerationForm(FlaskForm):
    reason = TextAreaField(_l("Reason, shown to the organisation's editors"))
    submit = SubmitField(_l("Unpublish"))


#: programmes per page of the moderation list
MODERATION_PAGE_SIZE = 50


@bp.get("/moderate/")
@access.coalition_admin_required
def moderation():
    """Every published or moderated programme, newest change first, for the coalition admin."""
    page = max(1, min(request.args.get("page", 1, type=int) or 1, 10_000))
    programmes = (
        db.session.execute(
            select(Programme)
            .where(
                (Programme.status == ProgrammeStatus.published)
                | Programme.unpublished_by_coalition.is_(True)
            )
            .order_by(Programme.updated_at.desc(), Programme.id.desc())
            .limit(MODERATION_PAGE_SIZE + 1)
            .offset((page - 1) * MODERATION_PAGE_SIZE)
        )
        .scalars()
        .all()
    )
    return render_template(
        "coalition/programmes/moderation.html",
        programmes=programmes[:MODERATION_PAGE_SIZE],
        page=page,
        has_next=len(programmes) > MODERATION_PAGE_SIZE,
    )


@bp.route("/moderate/<int:programme_id>", methods=["GET", "POST"])
@access.coalition_admin_required
def moderate(programme_id: int):
    """The coalition admin unpublishes any programme, with a reason its editors see."""
    programme = db.get_or_404(Programme, programme_id)
    form = ModerationForm()
    status = 200
    if form.validate_on_submit():
        reason = (form.reason.data or "").strip()
        if not reason:
            form.reason.errors = [_("Give the reason, so the editors can fix the programme.")]
            status = 422
        elif len(reason) > 2000:
            form.reason.errors = [_("At most %(max)s characters.", max=2000)]
            status = 422
        else:
            services.unpublish_by_coalition(programme, access.current_user(), reason)
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
        labels = ONLINE_REGIONS.get(code)
        return labels.get(lang, labels["en"]) if labels else code

    return {"vocabulary_label": vocabulary_label, "region_label": region_label}
