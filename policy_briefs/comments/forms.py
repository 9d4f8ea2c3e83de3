"""Forms of comments."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, SubmitField, TextAreaField

from coalition.forms import Form
from policy_briefs.comments.services import MAX_BODY


class CommentForm(Form):
    quote = StringField(
        _l("Passage you comment on (optional)"),
        description=_l(
            "Copy it from the section's text; leave empty to comment on the whole section."
        ),
    )
    #: where the passage starts in the text (filled in by the editor's script from a selection)
    quote_start = HiddenField()
    body = TextAreaField(_l("Comment"), render_kw={"maxlength": MAX_BODY, "rows": 3})
    submit = SubmitField(_l("Comment"))


class ReplyForm(Form):
    body = TextAreaField(_l("Reply"), render_kw={"maxlength": MAX_BODY, "rows": 2})
    submit = SubmitField(_l("Reply"))


class ResolveForm(Form):
    submit = SubmitField(_l("Mark resolved"))
