"""Keeping robots out of the interest form without an outside service or a puzzle.

Three defences, each enough on its own against the usual form robot:

- a honeypot: a text field people never see (hidden from sight, from screen readers and
  from the keyboard) that robots fill in; such a form is answered like a sent one, and
  nothing is stored or mailed;
- a signed stamp of when the form was shown (`form_stamp`): a form sent sooner than
  `MENTOR_INTEREST_MIN_SECONDS` after, or without a valid stamp, is not taken;
- rate limits (Flask-Limiter) per address, every attempt counted, and per e-mail
  address, counting the interests stored — each of which mails an acknowledgement there,
  so the form cannot be used to flood someone's mailbox. The e-mail's limit is kept
  under a keyed hash, never the address itself.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from enum import Enum

from flask import current_app, g, request
from itsdangerous import BadSignature, URLSafeSerializer

from coalition.extensions import client_address

#: the name of the honeypot field (robots fill what looks like a field to fill)
HONEYPOT = "reference_code"
_SALT = "mentor-interest-form"


class StampCheck(Enum):
    """What the form's stamp says about the person sending it."""

    ok = "ok"
    #: sent faster than a person reads and fills the form
    too_fast = "too_fast"
    #: no stamp, a forged one, another programme's, or a form open for too long
    stale = "stale"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def form_stamp(programme_uuid: str, shown_at: float | None = None) -> str:
    """The signed stamp of a form for this programme, shown at `shown_at` (default: now)."""
    return _serializer().dumps({"p": programme_uuid, "t": int(shown_at or time.time())})


def check_stamp(stamp: str | None, programme_uuid: str, now: float | None = None) -> StampCheck:
    """Whether the form with this stamp was shown long enough ago, and not too long."""
    try:
        data = _serializer().loads(stamp or "")
    except BadSignature:
        return StampCheck.stale
    if not isinstance(data, dict) or data.get("p") != programme_uuid:
        return StampCheck.stale
    config = current_app.config
    age = (now or time.time()) - float(data.get("t", 0))
    if age > config["MENTOR_INTEREST_FORM_MAX_AGE"] or age < -60:
        return StampCheck.stale
    if age < config["MENTOR_INTEREST_MIN_SECONDS"]:
        return StampCheck.too_fast
    return StampCheck.ok


def address_limit() -> str:
    """The limit of interest forms per address (`MENTOR_INTEREST_RATE_LIMIT`)."""
    return current_app.config["MENTOR_INTEREST_RATE_LIMIT"]


def email_limit() -> str:
    """The limit of interests stored per e-mail address (`MENTOR_INTEREST_EMAIL_RATE_LIMIT`)."""
    return current_app.config["MENTOR_INTEREST_EMAIL_RATE_LIMIT"]


def per_address() -> str:
    """The rate-limit key of the sender's address."""
    return f"ip:{client_address()}"


def per_email() -> str:
    """The rate-limit key of the e-mail address given: a keyed hash, not the address."""
    email = (request.form.get("email") or "").strip().lower()
    if not email:
        return "email:-"
    key = current_app.config["SECRET_KEY"].encode()
    return "email:" + hmac.new(key, email.encode(), hashlib.sha256).hexdigest()[:32]


def mark_stored() -> None:
    """Count this request against the e-mail address's limit (an interest was stored)."""
    g.mentor_interest_stored = True


def was_stored(response) -> bool:
    """Flask-Limiter's `deduct_when`: only stored interests count per e-mail address."""
    return bool(g.get("mentor_interest_stored"))
