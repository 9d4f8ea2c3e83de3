"""The scopes a member system can be granted: one dict, scope → what it lets the system do.

Every scope here is offered: a checkbox on the client pages, `scopes_supported` in the
metadata, the OpenAPI document, `flask federation create-client --scopes`. Add one only
together with the endpoint that uses it.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

#: every scope a member system can hold, with what it lets the system do
SCOPES = {
    "programmes:write": _l("Programmes: create, update and archive your programmes"),
    "referrals:read": _l("Referrals: read the referrals you sent and received"),
    "referrals:write": _l("Referrals: send referrals and update their status"),
    "reports:write": _l("Reports: submit your quarterly impact figures"),
    "events:read": _l("Events: read your organisation's events"),
}


def offered_scopes() -> list[str]:
    """The scopes offered to member systems, in the platform's order."""
    return list(SCOPES)


def offered_scope_descriptions() -> dict[str, str]:
    """Each offered scope with its description in English (the language of the API's
    documents)."""
    with force_locale("en"):
        return {scope: str(SCOPES[scope]) for scope in offered_scopes()}
