"""What the "Become a mentor" page shows: the programmes that seek mentors now, found by the
directory's own search (`seeking_mentors`) near a postcode, by field of experience, language
and time, with a message beside the field that was wrong.

Every filter is a plain GET form field or link, so the page works without JavaScript.
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import gettext as _

from coalition import taxonomy
from coalition.i18n import current_language
from search.query import DEFAULT_RADIUS_KM, MAX_MENTOR_HOURS, SearchParamError
from search.search_page import (
    RADII,
    SearchPage,
    field_errors_for,
    relaxed_filter_label,
    search_into,
)

#: query parameters the mentor page passes on (pagination, filter links)
MENTOR_PAGE_PARAMS = (
    "q",
    "experience",
    "mentor_language",
    "mentor_hours",
    "near",
    "country",
    "radius_km",
    "sort",
)
#: the hours a week offered in the form (any other whole number up to the maximum works too)
HOURS_CHOICES = (1, 2, 3, 4, 6, 8)


class MentorSearchPage(SearchPage):
    """The mentor page's query, editable (the directory's `SearchPage`, its own fields)."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self.args = [(k, v) for k in MENTOR_PAGE_PARAMS for v in request.args.getlist(k)]


def mentor_field_errors(error: SearchParamError) -> dict[str, str]:
    """The message beside the wrong field: the mentor filters', else the directory's."""
    messages = {
        "experience": _("Choose fields of experience from the list."),
        "mentor_language": _("Choose languages from the list."),
        "mentor_hours": _(
            "Enter the hours a week you can give, from 1 to %(max)d.", max=MAX_MENTOR_HOURS
        ),
    }
    if error.param in messages:
        return {error.param: messages[error.param]}
    return field_errors_for(error)


def relaxed_label(name: str | None) -> str | None:
    """How the zero-hit suggestion names the filter to remove."""
    labels = {
        "experience": _("the field of experience"),
        "mentor_language": _("the languages"),
        "mentor_hours": _("the time you can give"),
    }
    return labels.get(name or "") or relaxed_filter_label(name)


def mentor_page(endpoint: str) -> dict[str, Any]:
    """Parse the query, search the programmes seeking mentors, gather what the page shows.

    The status is 400 when a parameter is wrong, 503 when the engine is down.
    """
    lang = current_language()
    context: dict[str, Any] = {
        "page": MentorSearchPage(endpoint),
        "errors": {},
        "results": None,
        "items": [],
        "status": 200,
        "lang": lang,
        "radii": RADII,
        "default_radius": DEFAULT_RADIUS_KM,
        "hours_choices": HOURS_CHOICES,
        "experience_fields": taxonomy.EXPERIENCE_FIELDS,
        "languages": taxonomy.SPOKEN_LANGUAGES,
        "relaxed_label": None,
        "label_in": lambda vocabulary, code: taxonomy.label_in(vocabulary, code, lang),
        "taxonomy": taxonomy,
    }
    results = search_into(context, mentor_field_errors, seeking_mentors=True)
    if results is not None:
        context["relaxed_label"] = relaxed_label(results.relaxed_filter)
    return context
