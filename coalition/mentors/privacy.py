"""A volunteer's data, kept for its one purpose only: the withdrawal link and how long an
interest is kept.

The acknowledgement mail carries a link that deletes the interest at once, without an
account: a token signed for that single purpose (its own salt), naming the interest's
random uuid. It is not timed: it works as long as the interest exists; once deleted, the
link says there is nothing left. An interest is kept `MENTOR_INTEREST_RETENTION_MONTHS`
after its last change.
"""

from __future__ import annotations

import calendar
import uuid
from datetime import datetime

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from coalition.database import utcnow

#: the version of the consent text the form shows (kept with each interest)
CONSENT_VERSION = "2026-12"
_SALT = "mentor-interest-withdrawal"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def withdrawal_token(interest_uuid: uuid.UUID) -> str:
    """The token of the link that deletes the interest."""
    return _serializer().dumps(interest_uuid.hex)


def interest_uuid_of(token: str) -> uuid.UUID | None:
    """The uuid a withdrawal token names; None when it is no such token."""
    try:
        value = _serializer().loads(token)
        return uuid.UUID(hex=value)
    except (BadSignature, ValueError, TypeError, AttributeError):
        return None


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` months earlier (the month's last day if it is shorter)."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return moment.replace(year=year, month=month + 1, day=min(moment.day, last_day))


def retention_cutoff(now: datetime | None = None) -> datetime:
    """Interests whose last change is before this moment are deleted."""
    months = current_app.config["MENTOR_INTEREST_RETENTION_MONTHS"]
    return months_before(now or utcnow(), months)
