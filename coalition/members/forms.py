"""The form of the membership application (the public "Join the coalition" page)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Email, Length, Optional

from coalition.forms import LANGUAGE_CHOICES, CheckboxesField, Form, plain_name
from coalition.members.services import normalise_enterprise_number


def enterprise_number_check(form, field) -> None:
    """The KBO/BCE number's mod-97 check."""
    if field.data and normalise_enterprise_number(field.data) is None:
        raise ValidationError(
            _l("This is not a valid Belgian enterprise number (10 digits, e.g. 0123.456.749).")
        )


class ApplicationForm(Form):
    organisation_name = StringField(
        _l("Name of the organisation"), validators=[plain_name, DataRequired(), Length(max=200)]
    )
    enterprise_number = StringField(
        _l("Enterprise number (KBO/BCE)"),
        description=_l("10 digits, as in the Crossroads Bank for Enterprises: 0123.456.749"),
        validators=[DataRequired(), Length(max=20), enterprise_number_check],
    )
    website = StringField(_l("Website"), validators=[Optional(), Length(max=300)])
    languages = CheckboxesField(_l("Languages you work in"), choices=LANGUAGE_CHOICES)
    description = TextAreaField(
        _l("What does your organisation do?"),
        description=_l("Who you mentor, how, and where."),
        validators=[DataRequired(), Length(max=4000)],
    )
    contact_name = StringField(
        _l("Contact person"), validators=[plain_name, DataRequired(), Length(max=200)]
    )
    contact_email = EmailField(
        _l("Contact e-mail"),
        description=_l("The contact person receives the invitation to the platform."),
        validators=[DataRequired(), Email(), Length(max=200)],
    )
