"""Forms of the editors' programme pages and of the coalition's moderation.

The editor's form only gathers what the editor typed: it becomes a programme body that
`ProgrammeSchema` validates, exactly as a member system's body is.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Field, SelectField, StringField, SubmitField, TextAreaField

from coalition.config import LANGUAGES
from coalition.forms import Form, in_language, schema_checkboxes
from coalition.i18n import current_language
from coalition.programmes.models import Programme, ProgrammeStatus
from coalition.taxonomy import (
    AUDIENCES,
    CAPACITY,
    COSTS,
    EXPERIENCE_FIELDS,
    FORMATS,
    ONLINE_REGIONS,
    SPOKEN_LANGUAGES,
    THEMES,
    TRAINING_FORMATS,
    choices,
)

if TYPE_CHECKING:
    from coalition.members.models import Organisation

#: the country prefix an editor may put before an extra postcode ("FR-75001")
POSTCODE_ENTRY = re.compile(r"(?:(BE|FR|NL)[\s-]+)?(.+)", re.IGNORECASE)


#: the form field of each part of the body's `mentor_needs` (its first one or two keys)
MENTOR_FIELDS = {
    ("seeking",): "mentor_seeking",
    ("experience_fields",): "mentor_experience_fields",
    ("languages",): "mentor_languages",
    ("age_min",): "mentor_age_min",
    ("hours_per_week",): "mentor_hours_per_week",
    ("duo_months",): "mentor_duo_months",
    ("training", "hours"): "mentor_training_hours",
    ("training",): "mentor_training_format",
    ("locations",): "mentor_branches",
    ("online",): "mentor_online",
    ("mentors_needed",): "mentors_needed",
}


def _number(field: Field) -> int | float | str | None:
    """The field's number as the API would send it: an integer, a decimal, or (when it is
    no number) the text, which the schema then refuses beside the field."""
    text = (field.data or "").strip()
    if not text:
        return None
    for kind in (int, float):
        try:
            number = kind(text)
        except ValueError:
            continue
        return number if math.isfinite(number) else text
    return text


class ProgrammeForm(Form):
    """The editor's form; its fields map to `ProgrammeSchema` (which does all validation)."""

    themes = schema_checkboxes(_l("Themes"), THEMES)
    audiences = schema_checkboxes(_l("Target groups"), AUDIENCES)
    age_min = StringField(_l("Minimum age"))
    age_max = StringField(_l("Maximum age"))
    formats = schema_checkboxes(_l("Formats"), FORMATS)
    languages = schema_checkboxes(_l("Languages spoken with the young person"), SPOKEN_LANGUAGES)
    other_languages = StringField(_l("Other languages (ISO 639-1 codes)"))
    duration_weeks = StringField(_l("Duration in weeks"))
    hours_per_week = StringField(_l("Hours per week"))
    branches = schema_checkboxes(_l("Branches where it runs"))
    extra_postcodes = StringField(_l("Other postcodes"))
    online_region = SelectField(_l("Also online, in"))
    capacity_status = SelectField(_l("Capacity"), choices=in_language(CAPACITY))
    places = StringField(_l("Places available"))
    cost = SelectField(_l("Cost"), choices=in_language(COSTS))
    apply_url = StringField(_l("Application web page"))
    apply_email = StringField(_l("Application e-mail"))
    apply_phone = StringField(_l("Application phone"))
    mentor_seeking = BooleanField(_l("The programme is looking for mentors now"))
    mentor_experience_fields = schema_checkboxes(_l("Work experience wanted"), EXPERIENCE_FIELDS)
    mentor_languages = schema_checkboxes(_l("Languages mentors should speak"), SPOKEN_LANGUAGES)
    mentor_age_min = StringField(_l("Preferred minimum age of mentors"))
    mentor_hours_per_week = StringField(_l("Mentor's hours per week"))
    mentor_duo_months = StringField(_l("Length of a duo, in months"))
    mentor_training_hours = StringField(_l("Length of the mentors' training, in hours"))
    mentor_training_format = SelectField(_l("Format of the training"), validate_choice=False)
    mentor_branches = schema_checkboxes(_l("Branches looking for mentors"))
    mentor_online = BooleanField(_l("Mentors can also mentor online"))
    mentors_needed = StringField(_l("Mentors needed now"))
    save = SubmitField(_l("Save"))
    save_publish = SubmitField(_l("Save and publish"))

    def __init__(self, organisation: Organisation, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lang = current_language()
        self.online_region.choices = [("", _("Not online")), *choices(ONLINE_REGIONS, lang)]
        self.branches.choices = [
            (str(b.id), f"{b.name} — {b.postcode} {b.city}") for b in organisation.branches
        ]
        self.mentor_training_format.choices = [
            ("", _("No training")),
            *choices(TRAINING_FORMATS, lang),
        ]
        self.mentor_branches.choices = self.branches.choices
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
        self._fill_mentor_needs(programme.mentor_needs or {})

    def _fill_mentor_needs(self, needs: dict[str, Any]) -> None:
        training = needs.get("training") or {}
        self.mentor_seeking.data = bool(needs.get("seeking"))
        self.mentor_experience_fields.data = list(needs.get("experience_fields", []))
        self.mentor_languages.data = list(needs.get("languages", []))
        for name, value in (
            ("mentor_age_min", needs.get("age_min")),
            ("mentor_hours_per_week", needs.get("hours_per_week")),
            ("mentor_duo_months", needs.get("duo_months")),
            ("mentor_training_hours", training.get("hours")),
            ("mentors_needed", needs.get("mentors_needed")),
        ):
            getattr(self, name).data = "" if value is None else f"{value:g}"
        self.mentor_training_format.data = training.get("format", "")
        places = {(p["country"], p["postcode"]) for p in needs.get("locations", [])}
        self.mentor_branches.data = [
            str(b.id) for b in self.organisation.branches if (b.country, b.postcode) in places
        ]
        self.mentor_online.data = bool(needs.get("online"))

    def _selected_branches(self) -> list:
        chosen = set(self.branches.data or [])
        return [b for b in self.organisation.branches if str(b.id) in chosen]

    def _extra_postcodes(self) -> list[str]:
        return [e.strip() for e in re.split(r"[,;]", self.extra_postcodes.data or "") if e.strip()]

    def _other_languages(self) -> list[str]:
        return [c for c in re.split(r"[\s,;]+", (self.other_languages.data or "").lower()) if c]

    def _mentor_needs(self) -> dict[str, Any] | None:
        """The body's `mentor_needs`: None when the editor left the whole group empty."""
        training_hours = _number(self.mentor_training_hours)
        training_format = self.mentor_training_format.data or ""
        needs: dict[str, Any] = {
            "seeking": bool(self.mentor_seeking.data),
            "experience_fields": list(self.mentor_experience_fields.data or []),
            "languages": list(self.mentor_languages.data or []),
            "age_min": _number(self.mentor_age_min),
            "hours_per_week": _number(self.mentor_hours_per_week),
            "duo_months": _number(self.mentor_duo_months),
            "training": None,
            "locations": [
                {"postcode": b.postcode, "country": b.country}
                for b in self.organisation.branches
                if str(b.id) in set(self.mentor_branches.data or [])
            ],
            "online": bool(self.mentor_online.data),
            "mentors_needed": _number(self.mentors_needed),
        }
        if training_hours or training_format:
            # A length without a format is refused by the schema, beside the format.
            needs["training"] = {"hours": training_hours}
            if training_format:
                needs["training"]["format"] = training_format
        return needs if any(needs.values()) else None

    def payload(self) -> dict[str, Any]:
        """The programme body (`ProgrammeSchema`'s shape) this form describes."""
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
            "age_min": _number(self.age_min),
            "age_max": _number(self.age_max),
            "formats": list(self.formats.data or []),
            "languages": list(self.languages.data or []) + self._other_languages(),
            "duration_weeks": _number(self.duration_weeks),
            "hours_per_week": _number(self.hours_per_week),
            "locations": locations,
            "online_region": self.online_region.data or None,
            "capacity": {"status": self.capacity_status.data, "places": _number(self.places)},
            "cost": self.cost.data,
            "apply": {
                "url": self.apply_url.data,
                "email": self.apply_email.data,
                "phone": self.apply_phone.data,
            },
            "mentor_needs": self._mentor_needs(),
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
        if head == "mentor_needs":
            return MENTOR_FIELDS.get(
                tuple(parts[1:3]), MENTOR_FIELDS.get(tuple(parts[1:2]), "mentors")
            )
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


#: the programme's texts, each a field per language (`title_fr`, …): its kind and labels
TEXT_FIELDS = {
    "title": (
        StringField,
        {"fr": _l("Title in French"), "nl": _l("Title in Dutch"), "en": _l("Title in English")},
    ),
    "summary": (
        TextAreaField,
        {
            "fr": _l("Summary in French"),
            "nl": _l("Summary in Dutch"),
            "en": _l("Summary in English"),
        },
    ),
    "description": (
        TextAreaField,
        {
            "fr": _l("Description in French"),
            "nl": _l("Description in Dutch"),
            "en": _l("Description in English"),
        },
    ),
}
for _text, (_kind, _labels) in TEXT_FIELDS.items():
    for _lang in LANGUAGES:
        setattr(ProgrammeForm, f"{_text}_{_lang}", _kind(_labels[_lang]))


class ModerationForm(Form):
    reason = TextAreaField(_l("Reason, shown to the organisation's editors"))
    submit = SubmitField(_l("Unpublish"))
