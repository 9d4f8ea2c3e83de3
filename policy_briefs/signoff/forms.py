"""Forms of the way to publication."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from coalition.forms import Form


class StepForm(Form):
    """The lead's buttons: each moves the brief one step."""

    review = SubmitField(_l("Send for review"))
    sign_off = SubmitField(_l("Move to sign-off"))
    reopen = SubmitField(_l("Return to review to edit"))
    refresh = SubmitField(_l("Check the figures again"))
    publish = SubmitField(_l("Publish"))


class SignForm(Form):
    organisation = SelectField(_l("Sign for"), coerce=int, choices=[])
    #: the hash the signer was shown: the signature is refused if the content changed since
    content_hash = HiddenField(validators=[InputRequired()])
    confirm = BooleanField(
        _l("I have read the brief and sign it on behalf of this organisation."),
        validators=[DataRequired(message=_l("Tick the box to sign."))],
    )
    submit = SubmitField(_l("Sign the brief"))


class WithdrawForm(Form):
    reason = TextAreaField(
        _l("Why it is withdrawn (shown on its page)"),
        validators=[Length(max=2000)],
        render_kw={"rows": 3},
    )
    submit = SubmitField(_l("Withdraw the brief"))
