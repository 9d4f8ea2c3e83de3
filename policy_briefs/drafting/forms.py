"""Forms of the section editor."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, NumberRange

from coalition.forms import Form
from policy_briefs.drafting.services import MAX_TEXT


class SectionForm(Form):
    """One section's text; `base_revision` is the revision the author started from."""

    text = TextAreaField(_l("Text (Markdown)"), render_kw={"maxlength": MAX_TEXT, "rows": 10})
    base_revision = HiddenField(validators=[InputRequired()])
    save = SubmitField(_l("Save the section"))


class AddSectionForm(Form):
    text = TextAreaField(
        _l("Text of the new section (Markdown)"), render_kw={"maxlength": MAX_TEXT, "rows": 6}
    )
    add = SubmitField(_l("Add the section"))


class MoveForm(Form):
    up = SubmitField(_l("Move up"))
    down = SubmitField(_l("Move down"))


class CompareForm(Form):
    """Two revisions to compare (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    old = IntegerField(_l("Older revision"), validators=[InputRequired(), NumberRange(min=1)])
    new = IntegerField(_l("Newer revision"), validators=[InputRequired(), NumberRange(min=1)])
    compare = SubmitField(_l("Compare"))
