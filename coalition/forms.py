"""Form pieces the core's pages share (each domain's own forms are in its `forms.py`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import g, has_request_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, SelectMultipleField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from coalition.boundary import REFUSED_FIELDS
from coalition.errors import FieldError
from coalition.i18n import current_language
from coalition.taxonomy import Vocabulary, choices
from coalition.validation import DIRECTION_OVERRIDES

#: languages an organisation can say it works in
LANGUAGE_CHOICES = [
    SelectChoice("fr", _l("French")),
    SelectChoice("nl", _l("Dutch")),
    SelectChoice("en", _l("English")),
    SelectChoice("de", _l("German")),
]


class Form(FlaskForm):
    """Every form of the platform: the request boundary (`coalition.boundary`) removed the
    control characters of its fields; the form shows the refusal beside each such field."""

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        for name, message in control_character_errors().items():
            field = self._fields.get(name) or self._fields.get(name.split("-", 1)[0])
            if field is not None:
                field.errors = [*field.errors, message]
                valid = False
        return valid


def control_character_errors() -> dict[str, str]:
    """The refusal of each field whose control characters the request boundary removed,
    by field name, to show beside it instead of saving the altered text unsaid (a `Form`
    shows them itself; views that read a form with a marshmallow schema add them)."""
    refused = g.get(REFUSED_FIELDS, ()) if has_request_context() else ()
    return {name: _("Control characters are not allowed.") for name in sorted(refused)}


def plain_name(form: FlaskForm, field: Field) -> None:
    """A name (of an organisation, a person, a branch, a client) without the Unicode
    controls that reverse the direction of the text shown after it."""
    if field.data and DIRECTION_OVERRIDES.search(field.data):
        raise ValidationError(_("Remove the text-direction control characters from the name."))


class ButtonForm(Form):
    """A form of one button (remove, withdraw, approve, log out): only the CSRF token."""


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes (`schema_checkboxes` where a schema, not the
    form, checks the codes)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def show_error(form: FlaskForm, error: FieldError) -> None:
    """Show a service's refusal beside the field of `form` it names."""
    form[error.field].errors.append(error.message)


def in_language(vocabulary: Vocabulary) -> Callable[[], list[tuple[str, str]]]:
    """A field's `choices`: the vocabulary's codes, labelled in the visitor's language."""
    return lambda: choices(vocabulary, current_language())


def schema_checkboxes(label: str, vocabulary: Vocabulary | None = None) -> CheckboxesField:
    """Checkboxes of a form that only gathers a body: the body's schema checks the codes
    (and says why beside the field), not the form. The choices are `vocabulary`'s, or
    (without one) the form's own."""
    offered = in_language(vocabulary) if vocabulary is not None else None
    return CheckboxesField(label, choices=offered, validate_choice=False)
