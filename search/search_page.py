"""What the search page and the widget show: the query as editable links, the facets with
their labels and counts, and a message beside the field that was wrong.

`search_page` runs one search for a page; `SearchPage` rebuilds its address with a filter
added or removed, so that every facet, pagination and "remove this filter" link is a plain
link that works without JavaScript.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

import nh3
from flask import request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from coalition import taxonomy
from coalition.i18n import current_language, text_and_language
from coalition.members.models import Organisation
from search.places import canonical_province
from search.query import (
    DEFAULT_RADIUS_KM,
    FACETS,
    SORTS,
    SearchParamError,
    SearchResults,
    facet_label,
)
from search.results_map import results_map
from search.services import parse_search_params, programmes_of_hits, search_programmes
from search.zero_results import count_if_none_found

#: the only tags a highlighted snippet may keep (the engine's highlight markers)
HIGHLIGHT_TAGS = {"mark", "b"}
#: facets shown as checkboxes (codes from a vocabulary); the others are links
CHECKBOX_FACETS = ("theme", "audience", "format", "language", "cost")
RADII = (5, 10, 25, 50, 100)
#: query parameters the page passes on (pagination, filter links)
PAGE_PARAMS = (
    "q",
    "theme",
    "audience",
    "format",
    "language",
    "cost",
    "city",
    "province",
    "near",
    "country",
    "radius_km",
    "age",
    "open",
    "sort",
    "per_page",
    "org",
)


def field_errors_for(error: SearchParamError) -> dict[str, str]:
    """The message shown beside the field that was wrong, in the visitor's language."""
    messages = {
        "q": _("This search text cannot be used."),
        "theme": _("Choose themes from the list."),
        "audience": _("Choose target groups from the list."),
        "format": _("Choose formats from the list."),
        "language": _("Choose languages from the list."),
        "cost": _("Choose costs from the list."),
        "age": _("Enter an age between 0 and 120."),
        "near": _("We do not know this postcode or city. Check it, or leave the field empty."),
        "radius_km": _("Choose a distance between 1 and 500 km."),
        "country": _("Choose Belgium, France or the Netherlands."),
        "sort": _("Choose an order from the list."),
        "page": _("This page of results does not exist."),
        "per_page": _("Choose how many results to show per page."),
    }
    return {error.param: messages.get(error.param, _("This value cannot be used."))}


def safe_snippet(html: str | None) -> Markup | None:
    """A highlighted snippet with every tag but the highlight markers removed."""
    if not html:
        return None
    return Markup(nh3.clean(html, tags=HIGHLIGHT_TAGS, attributes={}))  # noqa: S704 - sanitised


def query_url(endpoint: str, args: list[tuple[str, str]]) -> str:
    """The address of `endpoint` with these query parameters (in this order)."""
    query = urlencode([(k, v) for k, v in args if v not in (None, "")])
    base = url_for(endpoint)
    return f"{base}?{query}" if query else base


class SearchPage:
    """What the search templates need to build links: the current query, editable."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self.args = [(k, v) for k in PAGE_PARAMS for v in request.args.getlist(k)]

    def has(self, name: str, value: str) -> bool:
        """Whether the filter `name` has `value` selected."""
        return value in self.values(name)

    def values(self, name: str) -> list[str]:
        """The values given for a filter (repeated or comma-separated)."""
        return [c for k, v in self.args if k == name for c in v.split(",") if c]

    def url(self, drop: tuple[str, ...] = ("page",), **changes: Any) -> str:
        """This search with parameters replaced (a value of None removes the parameter)."""
        args = [(k, v) for k, v in self.args if k not in changes and k not in drop]
        for key, value in changes.items():
            if value is None:
                continue
            for item in value if isinstance(value, list) else [value]:
                args.append((key, str(item)))
        return query_url(self.endpoint, args)

    def toggle_url(self, name: str, value: str) -> str:
        """This search with one filter value added, or removed if it was there."""
        current = self.values(name)
        chosen = [c for c in current if c != value] if value in current else [*current, value]
        return self.url(**{name: chosen or None})

    def page_url(self, page: int) -> str:
        return self.url(drop=(), page=page)


def facet_groups(results: SearchResults, page: SearchPage, lang: str) -> list[dict[str, Any]]:
    """The facets to display, with labels, counts and whether each value is selected."""
    titles = {
        "theme": _("Theme"),
        "audience": _("For whom"),
        "format": _("Format"),
        "language": _("Language spoken"),
        "cost": _("Cost"),
        "province": _("Province"),
        "city": _("City"),
    }
    groups = []
    for name in FACETS:
        counts = dict(results.facets.get(name, []))
        selected = (
            page.values(name) if name in CHECKBOX_FACETS else [v for k, v in page.args if k == name]
        )
        if name == "province":  # "Anvers" or "Antwerpen" selects the index's "Antwerp"
            selected = [canonical_province(v) for v in selected]
        for value in selected:
            counts.setdefault(value, 0)
        if not counts:
            continue
        items = [
            {
                "value": value,
                "label": facet_label(name, value, lang),
                "count": count,
                "selected": value in selected,
                "toggle_url": _facet_link(page, name, value, selected),
            }
            for value, count in counts.items()
        ]
        items.sort(key=lambda item: (not item["selected"], -item["count"], item["label"]))
        groups.append(
            {
                "name": name,
                "title": titles.get(name, name),
                "items": items,
                "checkbox": name in CHECKBOX_FACETS,
            }
        )
    return groups


def _facet_link(page: SearchPage, name: str, value: str, selected: list[str]) -> str:
    if name in CHECKBOX_FACETS:
        return page.toggle_url(name, value)
    return page.url(**{name: None if value in selected else value})


def relaxed_filter_label(name: str | None) -> str | None:
    """How the suggestion names the filter to remove."""
    if not name:
        return None
    labels = {
        "theme": _("the theme"),
        "audience": _("the target group"),
        "format": _("the format"),
        "language": _("the language"),
        "cost": _("the cost"),
        "city": _("the city"),
        "province": _("the province"),
        "near": _("the distance"),
        "age": _("the age"),
        "open": _("open places only"),
        "organisation": _("the organisation"),
    }
    return labels.get(name, name)


def search_into(
    context: dict[str, Any],
    field_errors: Callable[[SearchParamError], dict[str, str]],
    **changes: Any,
) -> SearchResults | None:
    """Search with the page's query (and `changes` to it), putting the parameters, results,
    their programmes and the status in the page's `context` (which holds its `lang`); the
    results, to show.

    None when there is nothing to show: a wrong parameter (400, its message beside the
    field from `field_errors`) or the engine down (503).
    """
    lang = context["lang"]
    try:
        params = parse_search_params(request.args, lang)
    except SearchParamError as error:
        context["errors"] = field_errors(error)
        context["status"] = 400
        return None
    params = replace(params, **changes)
    results = search_programmes(params)
    context["results"] = results
    context["params"] = params
    if results.unavailable:
        context["status"] = 503
        return None
    context["items"] = programmes_of_hits(results)
    count_if_none_found(params.q, lang, results.total)
    return results


def search_page(endpoint: str, *, org: Organisation | None = None) -> dict[str, Any]:
    """Parse the query, search, and gather what a search template shows.

    The status is 400 when a parameter is wrong, 503 when the engine is down.
    """
    lang = current_language()
    page = SearchPage(endpoint)
    context: dict[str, Any] = {
        "page": page,
        "errors": {},
        "results": None,
        "items": [],
        "facets": [],
        "status": 200,
        "lang": lang,
        "radii": RADII,
        "sorts": SORTS,
        "default_radius": DEFAULT_RADIUS_KM,
        "vocabularies": {name: taxonomy.VOCABULARIES[name] for name in CHECKBOX_FACETS},
        "org": org,
        "relaxed_label": None,
        "results_map": None,
        "facet_by_name": {},
        "safe_snippet": safe_snippet,
        "facet_label": facet_label,
        "widget": endpoint == "search.widget",
    }
    changes = {"organisation": org.slug} if org is not None else {}
    results = search_into(context, field_errors_for, **changes)
    if results is None:
        return context
    params = context["params"]
    titles = [text_and_language(p.titles, lang)[0] for _hit, p in context["items"]]
    context["results_map"] = results_map(context["items"], params, titles)
    context["facets"] = facet_groups(results, page, lang)
    context["facet_by_name"] = {group["name"]: group for group in context["facets"]}
    context["relaxed_label"] = relaxed_filter_label(results.relaxed_filter)
    return context
