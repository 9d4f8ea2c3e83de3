"""The forms of the API client pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from coalition.forms import CheckboxesField, Form, plain_name
from federation.oauth.models import AuthMethod
from federation.oauth.scopes import SCOPES


def scope_choices() -> list[SelectChoice]:
    """A checkbox for each scope."""
    return [SelectChoice(scope, label) for scope, label in SCOPES.items()]


def _known_scopes(form: Form, field: CheckboxesField) -> None:
    """Only defined scopes."""
    if any(scope not in SCOPES for scope in field.data or ()):
        raise ValidationError(field.gettext("Not a valid choice."))


def _scopes_field() -> CheckboxesField:
    return CheckboxesField(
        _l("Scopes"),
        choices=scope_choices(),
        validators=[DataRequired(_l("Choose at least one scope.")), _known_scopes],
        validate_choice=False,
        description=_l("Grant only what the system needs."),
    )


def _key_text_field() -> TextAreaField:
    return TextAreaField(
        _l("Public key"),
        description=_l(
            "Paste the public key as a JWK, a JWK Set or a PEM (RSA of 2048 bits or more, or EC "
            "P-256). Never paste a private key. To rotate without downtime, give the old and the "
            "new key together as a JWK Set."
        ),
        render_kw={"rows": 8, "spellcheck": "false", "autocomplete": "off"},
    )


def _key_file_field() -> FileField:
    return FileField(_l("Or upload the public key file"))


class NewClientForm(Form):
    name = StringField(
        _l("Name of the client"),
        validators=[plain_name, DataRequired(_l("Give the client a name.")), Length(max=120)],
        description=_l("For example: CRM production."),
    )
    scopes = _scopes_field()
    method = RadioField(
        _l("How the system authenticates"),
        choices=[
            SelectChoice(
                AuthMethod.private_key_jwt.value,
                _l("With its own key pair (private_key_jwt, recommended)"),
            ),
            SelectChoice(
                AuthMethod.client_secret_basic.value,
                _l("With a secret we generate (client_secret_basic)"),
            ),
        ],
        default=AuthMethod.private_key_jwt.value,
    )
    public_key = _key_text_field()
    public_key_file = _key_file_field()


class ScopesForm(Form):
    scopes = _scopes_field()


class KeysForm(Form):
    public_key = _key_text_field()
    public_key_file = _key_file_field()


class ConfirmForm(Form):
    """A button that changes something: only the CSRF token."""
