"""The forms of the webhook pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import URLField
from wtforms.validators import DataRequired, Length

from coalition.forms import Form


class WebhookForm(Form):
    url = URLField(
        _l("Address of your endpoint"),
        validators=[
            DataRequired(_l("Give the address that receives the events.")),
            Length(max=500),
        ],
        description=_l("An https:// address on the internet. Redirects are not followed."),
    )


class WebhookActionForm(Form):
    """Rotate a webhook's secret or remove it: only the CSRF token."""
