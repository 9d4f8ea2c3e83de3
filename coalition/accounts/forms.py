"""Forms of the sign-in, password and account pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from coalition.forms import Form, plain_name


class LoginForm(Form):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=200)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])
    next = HiddenField()
    submit = SubmitField(_l("Log in"))


class TotpForm(Form):
    code = StringField(_l("Six-digit code"), validators=[DataRequired(), Length(max=10)])
    submit = SubmitField(_l("Confirm"))


class ForgotPasswordForm(Form):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Send me a link"))


class NewPasswordForm(Form):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=1024)])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    submit = SubmitField(_l("Save the password"))


class AcceptInvitationForm(NewPasswordForm):
    name = StringField(_l("Your name"), validators=[plain_name, DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Create my account"))


class AcceptForExistingUserForm(Form):
    submit = SubmitField(_l("Accept the invitation"))


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])


class DisableTotpForm(Form):
    password = PasswordField(_l("Your password"), validators=[DataRequired()])
    submit = SubmitField(_l("Turn off the second factor"))
