"""Forms of the membership application, the admin decisions, profiles and branches."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional

from coalition.services.members import normalise_enterprise_number

LANGUAGE_CHOICES = [
    SelectChoice("fr", _l("French")),
    SelectChoice("nl", _l("Dutch")),
    SelectChoice("en", _l("English")),
    SelectChoice("de", _l("German")),
]
COUNTRY_CHOICES = [
    SelectChoice("BE", _l("Belgium")),
    SelectChoice("FR", _l("France")),
    SelectChoice("NL", _l("Netherlands")),
]


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def enterprise_number_check(form, field) -> None:
    """The KBO/BCE number's mod-97 check."""
    if field.data and normalise_enterprise_number(field.data) is None:
        raise ValidationError(
            _l("This is not a valid Belgian enterprise number (10 digits, e.g. 0123.456.749).")
        )


class ApplicationForm(FlaskForm):
    organisation_name = StringField(
        _l("Name of the organisation"), validators=[DataRequired(), Length(max=200)]
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
    contact_name = StringField(_l("Contact person"), validators=[DataRequired(), Length(max=200)])
    contact_email = EmailField(
        _l("Contact e-mail"),
        description=_l("The contact person receives the invitation to the platform."),
        validators=[DataRequired(), Email(), Length(max=200)],
    )


class ApproveForm(FlaskForm):
    """Only the CSRF token: approving needs no input."""


class RejectForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for the refusal"),
        description=_l("Sent to the applicant by e-mail."),
        validators=[DataRequired(), Length(max=2000)],
    )


class MembershipForm(FlaskForm):
    """Suspend or readmit (the button says which)."""

    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=500)])


class ProfileForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    name_fr = StringField(_l("Name in French"), validators=[Optional(), Length(max=200)])
    name_nl = StringField(_l("Name in Dutch"), validators=[Optional(), Length(max=200)])
    name_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=200)])
    description_fr = TextAreaField(
        _l("Description in French"), validators=[Optional(), Length(max=4000)]
    )
    description_nl = TextAreaField(
        _l("Description in Dutch"), validators=[Optional(), Length(max=4000)]
    )
    description_en = TextAreaField(
        _l("Description in English"), validators=[Optional(), Length(max=4000)]
    )
    website = StringField(_l("Website"), validators=[Optional(), Length(max=300)])
    email = EmailField(
        _l("Public e-mail"),
        description=_l("The organisation's address, never a person's."),
        validators=[Optional(), Email(), Length(max=200)],
    )
    languages = CheckboxesField(_l("Languages you work in"), choices=LANGUAGE_CHOICES)
    logo = FileField(_l("Logo"), description=_l("PNG, JPEG or WebP, 512 kB at most."))
    remove_logo = BooleanField(_l("Remove the current logo"))


class BranchForm(FlaskForm):
    name = StringField(_l("Name of the branch"), validators=[DataRequired(), Length(max=200)])
    address = StringField(_l("Street and number"), validators=[Optional(), Length(max=300)])
    postcode = StringField(
        _l("Postcode"),
        description=_l("The city and the position on the map come from the postcode."),
        validators=[DataRequired(), Length(max=12)],
    )
    country = SelectField(_l("Country"), choices=COUNTRY_CHOICES, default="BE")
    opened_on = DateField(_l("Opening date"), validators=[Optional()])


class RemoveForm(FlaskForm):
    """Only the CSRF token."""
