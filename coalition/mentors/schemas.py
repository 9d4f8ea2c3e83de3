"""The interest a volunteer sends: the one validation boundary of what they give.

`InterestSchema` takes the form's fields and nothing else (an unknown field is refused), so
that no more is stored than the person meant to give. Messages are in the visitor's
language; `coalition.errors.error_pointers` puts each beside its field.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from marshmallow import RAISE, Schema, ValidationError, fields, pre_load

from coalition.taxonomy import EXPERIENCE_FIELDS, MENTOR_AGE_BANDS, MENTOR_AVAILABILITY
from coalition.validation import (
    Choice,
    clean_text,
    code_list,
    language_list,
    validate_email_address,
    validate_phone,
)

#: longest accepted text per field, in characters
LIMITS = {"first_name": 60, "message": 1000}


def _at_most(limit: int):
    def check(value: str) -> None:
        if len(value) > limit:
            raise ValidationError(_("At most %(max)s characters.", max=limit))

    return check


def _agreed(value: bool) -> None:
    if value is not True:
        raise ValidationError(
            _("Tick this box: the organisation may only contact you if you agree.")
        )


class InterestSchema(Schema):
    """A volunteer's interest in being a mentor in one programme."""

    class Meta:
        unknown = RAISE

    first_name = fields.String(required=True, validate=_at_most(LIMITS["first_name"]))
    email = fields.String(required=True, validate=validate_email_address)
    phone = fields.String(allow_none=True, load_default=None, validate=validate_phone)
    age_band = fields.String(required=True, validate=Choice(list(MENTOR_AGE_BANDS)))
    experience_fields = code_list(
        EXPERIENCE_FIELDS, required=True, description="Fields of the volunteer's experience."
    )
    languages = language_list(
        required=True, description="ISO 639-1 codes of the languages the volunteer speaks."
    )
    availability = code_list(MENTOR_AVAILABILITY, required=True, description="When available.")
    message = fields.String(load_default="", validate=_at_most(LIMITS["message"]))
    consent = fields.Boolean(required=True, validate=_agreed)

    @pre_load
    def clean(self, data: Any, **kwargs: Any) -> Any:
        """Texts without control characters or surrounding blanks; a blank is no answer."""
        if not isinstance(data, dict):
            return data
        cleaned = dict(data)
        for name in ("first_name", "email", "phone", "age_band", "message"):
            value = cleaned.get(name)
            if isinstance(value, str):
                value = clean_text(value)
                if value or name == "message":
                    cleaned[name] = value
                elif name == "phone":
                    cleaned[name] = None
                else:
                    cleaned.pop(name)  # "This field is required."
        return cleaned
