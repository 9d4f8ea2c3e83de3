"""Forms of the staff workspace: inviting people, roles, the profile and branches."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional

from coalition.access import role_labels
from coalition.config import LANGUAGES
from coalition.forms import LANGUAGE_CHOICES, CheckboxesField, Form, plain_name
from coalition.i18n import LANGUAGE_NAMES
from coalition.members import profile
from coalition.members.models import Organisation

#: the languages an organisation's profile is written in
PROFILE_LANGUAGES = ("fr", "nl", "en")
#: the fields of a branch, as `BranchDetails` names them
BRANCH_FIELDS = ("name", "address", "postcode", "country", "opened_on")
COUNTRY_CHOICES = [
    SelectChoice("BE", _l("Belgium")),
    SelectChoice("FR", _l("France")),
    SelectChoice("NL", _l("Netherlands")),
]


def _role_choices() -> list[tuple[str, str]]:
    return [(role.value, label) for role, label in role_labels().items()]


class InviteForm(Form):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=200)])
    name = StringField(_l("Name"), validators=[plain_name, DataRequired(), Length(max=200)])
    roles = CheckboxesField(
        _l("Roles"), choices=[], validators=[DataRequired(message=_l("Choose at least one role."))]
    )
    language = SelectField(_l("Language of the invitation"), choices=[])
    submit = SubmitField(_l("Send the invitation"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.roles.choices = _role_choices()
        self.language.choices = [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES]


class GrantRoleForm(Form):
    role = SelectField(_l("Role"), choices=[])
    submit = SubmitField(_l("Add the role"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = _role_choices()


class ProfileForm(Form):
    name = StringField(_l("Name"), validators=[plain_name, DataRequired(), Length(max=200)])
    name_fr = StringField(
        _l("Name in French"), validators=[plain_name, Optional(), Length(max=200)]
    )
    name_nl = StringField(_l("Name in Dutch"), validators=[plain_name, Optional(), Length(max=200)])
    name_en = StringField(
        _l("Name in English"), validators=[plain_name, Optional(), Length(max=200)]
    )
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

    def fill_from(self, organisation: Organisation) -> None:
        """Show the organisation's profile as it is."""
        self.name.data = organisation.name
        for lang in PROFILE_LANGUAGES:
            self[f"name_{lang}"].data = (organisation.names or {}).get(lang, "")
            self[f"description_{lang}"].data = (organisation.descriptions or {}).get(lang, "")
        self.website.data = organisation.website
        self.email.data = organisation.email
        self.languages.data = list(organisation.languages or [])

    def changes(self) -> dict[str, Any]:
        """The profile this form describes, as `update_profile` takes it."""
        upload = self.logo.data
        logo = None
        if upload and upload.filename:
            with upload.stream:  # close the spooled temporary file now, not at GC time
                logo = upload.read(profile.LOGO_MAX_BYTES + 1)
        return {
            "name": self.name.data,
            "names": {lang: self[f"name_{lang}"].data or "" for lang in PROFILE_LANGUAGES},
            "descriptions": {
                lang: self[f"description_{lang}"].data or "" for lang in PROFILE_LANGUAGES
            },
            "website": self.website.data or "",
            "email": self.email.data or "",
            "languages": self.languages.data,
            "logo": logo,
            "remove_logo": self.remove_logo.data,
        }


class BranchForm(Form):
    name = StringField(
        _l("Name of the branch"), validators=[plain_name, DataRequired(), Length(max=200)]
    )
    address = StringField(_l("Street and number"), validators=[Optional(), Length(max=300)])
    postcode = StringField(
        _l("Postcode"),
        description=_l("The city and the position on the map come from the postcode."),
        validators=[DataRequired(), Length(max=12)],
    )
    country = SelectField(_l("Country"), choices=COUNTRY_CHOICES, default="BE")
    opened_on = DateField(_l("Opening date"), validators=[Optional()])

    def details(self) -> dict[str, Any]:
        """The branch this form describes, as the branch services take it."""
        return {name: self[name].data for name in BRANCH_FIELDS}
