"""What the staff pages show for a referral's codes, in the page's language.

The API and the database keep the codes (FHIR's status codes, the reason and outcome
codes of `states`, the availability codes of `schemas`); a referral officer reads these
labels instead. `referral_label(kind, code)` is a template global of the referral pages.
"""

from __future__ import annotations

from functools import cache

from babel import Locale
from flask_babel import lazy_gettext as _l

from coalition import taxonomy
from coalition.i18n import current_language
from coalition.place_names import area_name
from federation.referrals.states import EXPIRED, Side, Status

LABELS = {
    "status": {
        Status.requested: _l("Requested"),
        Status.accepted: _l("Accepted"),
        Status.rejected: _l("Rejected"),
        Status.cancelled: _l("Cancelled"),
        Status.in_progress: _l("In progress"),
        Status.on_hold: _l("On hold"),
        Status.completed: _l("Completed"),
        Status.failed: _l("Not completed"),
    },
    "reason": {
        "no_capacity": _l("No place left"),
        "not_eligible": _l("Not eligible"),
        "not_reachable": _l("Could not be reached"),
        "consent_withdrawn": _l("Consent withdrawn"),
        "other": _l("Other reason"),
        EXPIRED: _l("Expired: no answer in time"),
    },
    "outcome": {
        "job": _l("Found a job"),
        "training": _l("Started a training"),
        "internship": _l("Started an internship"),
        "volunteering": _l("Started volunteering"),
        "dropped_out": _l("Dropped out"),
        "not_reached": _l("Could not be reached"),
    },
    "availability": {
        "weekday_daytime": _l("Weekdays, daytime"),
        "weekday_evenings": _l("Weekday evenings"),
        "weekends": _l("Weekends"),
    },
    "consent": {
        "young_person": _l("by the young person"),
        "legal_guardian": _l("by a legal guardian"),
    },
    "side": {
        Side.sender: _l("Sender"),
        Side.receiver: _l("Receiver"),
        Side.platform: _l("Platform"),
    },
}


def referral_label(kind: str, code: str | None) -> str:
    """The label of `code` among the `kind` codes (`status`, `reason`, `outcome`,
    `availability`, `consent`, `side`, `goal`, `language`, `area`) in the page's language; an
    unknown code as it is, None as an empty text."""
    if code is None:
        return ""
    if kind == "goal":
        return taxonomy.label("theme", code, current_language())
    if kind == "language":
        return language_name(code, current_language())
    if kind == "area":
        return area_name(code, current_language())
    label = LABELS[kind].get(code)
    return str(label) if label is not None else str(code)


def language_name(code: str, lang: str) -> str:
    """An ISO 639-1 code's name in `lang`: the platform's own label for the languages it
    lists, else CLDR's (Babel) capitalised as those are, else the code."""
    if code in taxonomy.SPOKEN_LANGUAGES:
        return taxonomy.label_in(taxonomy.SPOKEN_LANGUAGES, code, lang)
    name = _cldr_languages(lang).get(code, code)
    return name[:1].upper() + name[1:]


@cache
def _cldr_languages(lang: str) -> dict[str, str]:
    return dict(Locale.parse(lang).languages)
