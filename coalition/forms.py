"""Form pieces the core's pages share (each domain's own forms are in its `forms.py`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from coalition.errors import FieldError

#: languages an organisation can say it works in
LANGUAGE_CHOICES = [
    SelectChoice("fr", _l("French")),
    SelectChoice("nl", _l("Dutch")),
    SelectChoice("en", _l("English")),
    SelectChoice("de", _l("German")),
]


class ButtonForm(FlaskForm):
    """A form of one button (remove, withdraw, approve, log out): only the CSRF token."""


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes (`validate_choice=False` where a schema, not
    the form, checks the codes)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def show_error(form: FlaskForm, error: FieldError) -> None:
    """Show a service's refusal beside the field of `form` it names."""
    form[error.field].errors.append(error.message)
