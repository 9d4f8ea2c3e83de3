"""Marshmallow schemas of programmes: the one validation boundary, in and out.

`ProgrammeSchema` reads and writes the programme body of the federation API
(`PUT /federation/v1/programmes/{external_id}`); the editor's form is turned into the
same body and validated by the same schema. Messages are translated when validation
runs; `coalition.errors.error_pointers` turns them into JSON pointers.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask_babel import gettext as _
from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    pre_dump,
    pre_load,
    validate,
    validates_schema,
)

from coalition.config import LANGUAGES
from coalition.programmes.models import ProgrammeStatus
from coalition.taxonomy import (
    AUDIENCES,
    CAPACITY,
    COSTS,
    COUNTRIES,
    EXPERIENCE_FIELDS,
    FORMATS,
    ONLINE_REGIONS,
    THEMES,
    TRAINING_FORMATS,
)
from coalition.validation import (
    MAX_ITEMS,
    Between,
    Choice,
    ItemCount,
    clean_text,
    code_list,
    language_list,
    validate_email_address,
    validate_phone,
    validate_url,
)

#: longest accepted text per field, in characters
TEXT_LIMITS = {"title": 160, "summary": 600, "description": 8000}
STATUSES = tuple(status.value for status in ProgrammeStatus)
#: postcode shapes per country (after normalisation: trimmed, upper case, one space)
POSTCODE_PATTERNS = {
    "BE": re.compile(r"[1-9]\d{3}"),
    "FR": re.compile(r"\d{5}"),
    "NL": re.compile(r"[1-9]\d{3}( ?[A-Z]{2})?"),
}


#: what a required text must be, as the OpenAPI document says it: some visible character,
#: no control character (tab and line breaks are white space)
TEXT_PATTERN = (
    r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*[^\s\x00-\x1f\x7f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
)


def _whole(low: int, high: int, description: str | None = None) -> fields.Integer:
    """An optional whole number from `low` to `high` (None when left out)."""
    return fields.Integer(
        strict=True,
        allow_none=True,
        load_default=None,
        validate=Between(min=low, max=high),
        metadata={"description": description} if description else {},
    )


def _decimal(low: float, high: float, description: str | None = None) -> fields.Float:
    """An optional number from `low` to `high`, decimals allowed (None when left out)."""
    return fields.Float(
        allow_none=True,
        load_default=None,
        validate=Between(min=low, max=high),
        metadata={"description": description} if description else {},
    )


class LanguageTexts(fields.Dict):
    """A text per content language: ``{"fr": "…", "nl": "…", "en": "…"}``.

    Empty texts are dropped; `required_one` demands a text in at least one language.
    """

    def __init__(self, max_length: int, required_one: bool = False, **kwargs: Any) -> None:
        self.max_length = max_length
        self.required_one = required_one
        metadata = kwargs.setdefault("metadata", {})
        metadata["description"] = (
            f"Text per language (keys fr, nl, en), at most {max_length} characters each."
        )
        if required_one:  # the document says it too, for clients generated from it
            metadata["minProperties"] = 1
        super().__init__(
            keys=fields.String(validate=validate.OneOf(LANGUAGES)),
            values=fields.String(
                validate=validate.Length(max=max_length),
                # a text is more than white space; control characters are refused
                metadata={"pattern": TEXT_PATTERN} if required_one else {},
            ),
            **kwargs,
        )

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> dict[str, str]:
        if not isinstance(value, dict):
            raise ValidationError(_('Give the texts per language, e.g. {"fr": "…"}.'))
        texts: dict[str, str] = {}
        errors: dict[str, list[str]] = {}
        for lang, text in value.items():
            if lang not in LANGUAGES:
                errors[str(lang)] = [
                    _("Only French (fr), Dutch (nl) and English (en) are accepted.")
                ]
            elif text is None:
                continue
            elif not isinstance(text, str):
                errors[lang] = [_("Not a valid text.")]
            elif len(text := clean_text(text)) > self.max_length:
                errors[lang] = [_("At most %(max)s characters.", max=self.max_length)]
            elif text:
                texts[lang] = text
        if errors:
            raise ValidationError(errors)
        if self.required_one and not texts:
            raise ValidationError(
                _("Write it in at least one language (French, Dutch or English).")
            )
        return texts

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> dict[str, str]:
        return {lang: text for lang, text in (value or {}).items() if text}


class LocationSchema(Schema):
    """Where the programme meets: a postcode, resolved to a branch or a place."""

    class Meta:
        unknown = RAISE

    postcode = fields.String(required=True, metadata={"example": "1080"})
    country = fields.String(load_default="BE", validate=Choice(list(COUNTRIES)))
    #: filled in from the branch or the postcode file
    city = fields.String(dump_only=True)

    @pre_load
    def normalise(self, data: Any, **kwargs: Any) -> Any:
        if isinstance(data, dict):
            data = dict(data)
            if isinstance(data.get("postcode"), str):
                data["postcode"] = " ".join(data["postcode"].upper().split())
            if isinstance(data.get("country"), str):
                data["country"] = data["country"].strip().upper()
        return data

    @validates_schema(skip_on_field_errors=True)
    def check_postcode(self, data: dict[str, Any], **kwargs: Any) -> None:
        pattern = POSTCODE_PATTERNS[data.get("country", "BE")]
        if not pattern.fullmatch(data["postcode"]):
            raise ValidationError(_("This is not a postcode of that country."), "postcode")


class CapacitySchema(Schema):
    """Whether the programme takes young people now, and how many places are left."""

    class Meta:
        unknown = RAISE

    status = fields.String(required=True, validate=Choice(list(CAPACITY)))
    places = _whole(0, 100_000)


class ApplySchema(Schema):
    """How to apply: the programme's intake, never a person's own address."""

    class Meta:
        unknown = RAISE

    url = fields.String(
        allow_none=True, load_default=None, validate=validate_url, metadata={"format": "uri"}
    )
    email = fields.String(
        allow_none=True,
        load_default=None,
        validate=validate_email_address,
        metadata={"format": "email"},
    )
    phone = fields.String(allow_none=True, load_default=None, validate=validate_phone)

    @pre_load
    def blank_is_none(self, data: Any, **kwargs: Any) -> Any:
        if isinstance(data, dict):
            data = {k: (v.strip() or None) if isinstance(v, str) else v for k, v in data.items()}
        return data

    @validates_schema
    def at_least_one(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not any(data.get(key) for key in ("url", "email", "phone")):
            raise ValidationError(
                _("Give at least one way to apply: a web address, an e-mail or a phone number.")
            )


class MentorTrainingSchema(Schema):
    """The training a programme gives its mentors before their first duo."""

    class Meta:
        unknown = RAISE

    hours = _decimal(0, 500, "Length of the training, in hours.")
    format = fields.String(required=True, validate=Choice(list(TRAINING_FORMATS)))


class MentorNeedsSchema(Schema):
    """Whether a programme seeks mentors now, and what it asks of them."""

    class Meta:
        unknown = RAISE

    seeking = fields.Boolean(
        load_default=True,
        metadata={"description": "False: the profile is kept, but no mentor is sought now."},
    )
    experience_fields = code_list(
        EXPERIENCE_FIELDS, required=False, description="Fields of work experience (empty: any)."
    )
    languages = language_list(
        required=False, description="ISO 639-1 codes of the languages a mentor should speak."
    )
    age_min = _whole(18, 99, "Preferred minimum age, e.g. 50 for intergenerational duos.")
    hours_per_week = _decimal(0.5, 40)
    duo_months = _whole(1, 36, "How long a duo lasts, in months.")
    training = fields.Nested(MentorTrainingSchema, allow_none=True, load_default=None)
    locations = fields.List(
        fields.Nested(LocationSchema),
        load_default=list,
        validate=ItemCount(max=MAX_ITEMS),
        metadata={
            "description": "Postcodes of the organisation's branches that seek mentors "
            "(empty: wherever the programme runs)."
        },
    )
    online = fields.Boolean(
        load_default=False, metadata={"description": "Mentors may also mentor online."}
    )
    mentors_needed = _whole(0, 10_000, "How many mentors the programme needs now.")


class OrganisationRefSchema(Schema):
    id = fields.UUID(attribute="uuid")
    slug = fields.String()
    name = fields.String()


class ProgrammeSchema(Schema):
    """A programme as member systems and the editor send it, and as the API returns it."""

    class Meta:
        unknown = RAISE

    # Read-only: set by the platform.
    id = fields.UUID(dump_only=True, metadata={"description": "The platform's stable id."})
    external_id = fields.String(dump_only=True)
    organisation = fields.Nested(OrganisationRefSchema, dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)
    published_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    #: why the coalition unpublished the programme, if it did
    unpublished_reason = fields.String(dump_only=True, allow_none=True)

    title = LanguageTexts(TEXT_LIMITS["title"], required_one=True, required=True)
    summary = LanguageTexts(TEXT_LIMITS["summary"], load_default=dict)
    description = LanguageTexts(TEXT_LIMITS["description"], load_default=dict)
    themes = code_list(THEMES, required=True, description="Theme codes of the directory.")
    audiences = code_list(AUDIENCES, required=False, description="Target-group codes.")
    age_min = _whole(0, 99)
    age_max = _whole(0, 99)
    formats = code_list(FORMATS, required=True, description="Format codes.")
    languages = language_list(
        required=True, description="ISO 639-1 codes of the languages spoken with the young person."
    )
    duration_weeks = _whole(1, 520)
    hours_per_week = _decimal(0, 80)
    locations = fields.List(
        fields.Nested(LocationSchema), load_default=list, validate=ItemCount(max=MAX_ITEMS)
    )
    online_region = fields.String(
        allow_none=True, load_default=None, validate=Choice(list(ONLINE_REGIONS))
    )
    capacity = fields.Nested(
        CapacitySchema, load_default=lambda: {"status": "open", "places": None}
    )
    cost = fields.String(load_default="free", validate=Choice(list(COSTS)))
    apply = fields.Nested(ApplySchema, required=True)
    status = fields.String(
        validate=Choice(list(STATUSES)),
        metadata={"description": "Omitted: the status does not change."},
    )
    confirmed_on = fields.Date(metadata={"description": "Omitted: today."})
    mentor_needs = fields.Nested(
        MentorNeedsSchema,
        allow_none=True,
        metadata={"description": "Omitted: unchanged; null: the programme seeks no mentors."},
    )

    @validates_schema(skip_on_field_errors=False)
    def check_consistency(self, data: dict[str, Any], **kwargs: Any) -> None:
        errors: dict[str, list[str]] = {}
        age_min, age_max = data.get("age_min"), data.get("age_max")
        if age_min is not None and age_max is not None and age_min > age_max:
            errors["age_max"] = [_("The maximum age must not be below the minimum age.")]
        if (
            "locations" in data
            and "online_region" in data
            and not (data["locations"] or data["online_region"])
        ):
            errors["locations"] = [
                _("Give at least one place, or the region where it runs online.")
            ]
        confirmed = data.get("confirmed_on")
        if confirmed is not None and confirmed > date.today():
            errors["confirmed_on"] = [_("This date is in the future.")]
        if errors:
            raise ValidationError(errors)

    @pre_dump
    def from_model(self, programme: Any, **kwargs: Any) -> Any:
        """Turn a `Programme` into the body's shape."""
        if isinstance(programme, dict):
            return programme
        return {
            "id": programme.uuid,
            "external_id": programme.external_id,
            "organisation": programme.organisation,
            "updated_at": programme.updated_at,
            "published_at": programme.published_at,
            "unpublished_reason": programme.unpublished_reason,
            "title": programme.titles,
            "summary": programme.summaries,
            "description": programme.descriptions,
            "themes": programme.themes,
            "audiences": programme.audiences,
            "age_min": programme.age_min,
            "age_max": programme.age_max,
            "formats": programme.formats,
            "languages": programme.languages,
            "duration_weeks": programme.duration_weeks,
            "hours_per_week": programme.hours_per_week,
            "locations": [
                {"postcode": loc.postcode, "country": loc.country, "city": loc.city}
                for loc in programme.locations
            ],
            "online_region": programme.online_region,
            "capacity": {
                "status": str(programme.capacity_status),
                "places": programme.places_available,
            },
            "cost": programme.cost,
            "apply": {
                "url": programme.apply_url,
                "email": programme.apply_email,
                "phone": programme.apply_phone,
            },
            "status": str(programme.status),
            "confirmed_on": programme.confirmed_on,
            "mentor_needs": programme.mentor_needs,
        }
