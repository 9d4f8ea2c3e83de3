"""Forms of the brief pages: start a brief, its title, co-authors, translations."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from coalition.config import LANGUAGES
from coalition.forms import Form
from coalition.i18n import LANGUAGE_NAMES
from policy_briefs.services import MAX_TITLE


def show_errors(form: Form, errors: dict[str, str]) -> None:
    """Put a service's messages beside the fields they name."""
    for name, message in errors.items():
        form[name].errors = [message]


def language_choices(languages=LANGUAGES) -> list[tuple[str, str]]:
    return [(code, LANGUAGE_NAMES[code]) for code in languages]


class NewBriefForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=MAX_TITLE)])
    language = SelectField(_l("Language of the text"), choices=[])
    lead = SelectField(_l("Lead organisation"), coerce=int, choices=[])
    submit = SubmitField(_l("Start the brief"))


class TitleForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=MAX_TITLE)])
    submit = SubmitField(_l("Change the title"))


class InviteForm(Form):
    organisation = SelectField(_l("Organisation to invite"), coerce=int, choices=[])
    submit = SubmitField(_l("Invite"))


class AnswerForm(Form):
    accept = SubmitField(_l("Accept"))
    decline = SubmitField(_l("Decline"))


class CancelInvitationForm(Form):
    submit = SubmitField(_l("Cancel the invitation"))


class TranslationForm(Form):
    language = SelectField(_l("Language"), choices=[])
    title = StringField(
        _l("Title in that language"), validators=[DataRequired(), Length(max=MAX_TITLE)]
    )
    submit = SubmitField(_l("Start the translation"))
