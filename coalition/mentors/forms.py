"""Forms of the interest page (public) and of the follow-up pages (staff).

The interest form only gathers what the person typed: it becomes the body that
`InterestSchema` validates, and each of the schema's messages is shown beside its field.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)

from coalition.forms import Form, in_language, schema_checkboxes
from coalition.mentors.models import InterestStatus
from coalition.mentors.states import TRANSITIONS, status_labels
from coalition.taxonomy import (
    EXPERIENCE_FIELDS,
    MENTOR_AGE_BANDS,
    MENTOR_AVAILABILITY,
    SPOKEN_LANGUAGES,
)

if TYPE_CHECKING:
    from coalition.members.models import Organisation


class InterestForm(Form):
    """What a volunteer tells the organisation; every field maps to `InterestSchema`."""

    first_name = StringField(_l("First name"))
    email = StringField(_l("E-mail address"))
    phone = StringField(_l("Phone number (optional)"))
    age_band = RadioField(
        _l("Your age"), choices=in_language(MENTOR_AGE_BANDS), validate_choice=False
    )
    experience_fields = schema_checkboxes(_l("Your fields of work experience"), EXPERIENCE_FIELDS)
    languages = schema_checkboxes(_l("Languages you speak"), SPOKEN_LANGUAGES)
    availability = schema_checkboxes(_l("When you are available"), MENTOR_AVAILABILITY)
    message = TextAreaField(_l("A message to the organisation (optional)"))
    consent = BooleanField(_l("I agree to be contacted"))
    #: the honeypot (`coalition.mentors.spam.HONEYPOT`): hidden from people, filled by robots
    reference_code = StringField(_l("Leave this field empty"))
    #: when the form was shown, signed (`coalition.mentors.spam.form_stamp`)
    started = HiddenField()
    submit = SubmitField(_l("Send my interest"))

    def __init__(self, organisation_name: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.consent.label.text = _(
            "I agree that %(organisation)s contacts me about becoming a mentor, using what I "
            "wrote in this form.",
            organisation=organisation_name,
        )
        #: messages that belong to no one field
        self.form_errors_shown: list[str] = []

    def payload(self) -> dict[str, Any]:
        """The interest body (`InterestSchema`'s shape) this form describes."""
        body: dict[str, Any] = {
            "first_name": self.first_name.data or "",
            "email": self.email.data or "",
            "phone": self.phone.data or "",
            "experience_fields": list(self.experience_fields.data or []),
            "languages": list(self.languages.data or []),
            "availability": list(self.availability.data or []),
            "message": self.message.data or "",
            "consent": bool(self.consent.data),
        }
        if self.age_band.data:
            body["age_band"] = self.age_band.data
        return body

    def show_errors(self, errors: list[dict[str, str]]) -> None:
        """Put each schema error beside its field."""
        for error in errors:
            field = self._fields.get(error["pointer"].strip("/").split("/")[0])
            if field is None:
                self.form_errors_shown.append(error["detail"])
            else:
                field.errors = [*field.errors, error["detail"]]


class MoveForm(Form):
    """The staff's choice of the interest's next status."""

    status = SelectField(_l("New status"), validate_choice=False)
    submit = SubmitField(_l("Change the status"))

    def __init__(self, current: InterestStatus, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix="move", **kwargs)
        labels = status_labels()
        self.status.choices = [(str(s), labels[s]) for s in TRANSITIONS[current]]


class BranchForm(Form):
    """The branch that follows the volunteer up."""

    branch = SelectField(_l("Branch that follows it up"), validate_choice=False)
    submit = SubmitField(_l("Save the branch"))

    def __init__(self, organisation: Organisation, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix="branch", **kwargs)
        self.branch.choices = [("", _("No branch chosen"))] + [
            (str(b.id), f"{b.name} — {b.postcode} {b.city}") for b in organisation.branches
        ]
