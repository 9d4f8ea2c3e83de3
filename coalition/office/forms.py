"""Forms of the coalition office's decisions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from coalition.forms import Form


class RejectForm(Form):
    reason = TextAreaField(
        _l("Reason for the refusal"),
        description=_l("Sent to the applicant by e-mail."),
        validators=[DataRequired(), Length(max=2000)],
    )


class MembershipForm(Form):
    """Suspend or readmit (the button says which)."""

    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=500)])
