"""Marshmallow schemas of the search's JSON boundary: the search parameters (the page's and
the API's query string) in, the answers of `GET /api/v1/programmes` and of its
autocomplete out. The HSDS feed has its own, in `search.hsds.schemas`.

A wrong parameter is reported by `search_params`/`language` as a `SearchParamError`
naming the first wrong parameter (in `PARAMETER_ORDER`), with the message users see.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, pre_dump, pre_load

from coalition import postcodes, taxonomy
from coalition.programmes.schemas import MentorNeedsSchema
from search.analysis import LANGS, query_words
from search.answers import SearchAnswer, answer_body
from search.places import canonical_province, postcode_country
from search.query import (
    COUNTRIES,
    DEFAULT_PER_PAGE,
    DEFAULT_RADIUS_KM,
    LIST_FILTERS,
    MAX_MENTOR_HOURS,
    MAX_PAGE,
    MAX_PER_PAGE,
    MAX_QUERY_LENGTH,
    MAX_RADIUS_KM,
    MENTOR_FILTERS,
    SORTS,
    SearchParamError,
    SearchParams,
    clean_text,
)

#: the order in which parameters are checked: the first wrong one is reported
PARAMETER_ORDER = (
    "lang",
    "q",
    *LIST_FILTERS,
    "city",
    "province",
    "org",
    "age",
    "open",
    "seeking_mentors",
    *MENTOR_FILTERS,
    "page",
    "per_page",
    "sort",
    "country",
    "radius_km",
    "near",
)


# --- parameters in -----------------------------------------------------------------------


class Text(fields.Field):
    """User text, cleaned (`clean_text`) and capped; `empty` when nothing is left."""

    def __init__(self, limit: int, empty: str | None = None, **kwargs: Any) -> None:
        super().__init__(load_default=empty, **kwargs)
        self.limit, self.empty = limit, empty

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str | None:
        return clean_text(str(value), self.limit) or self.empty


class Codes(fields.Field):
    """Codes of a vocabulary, repeated or comma-separated; each once, in the order given."""

    def __init__(self, vocabulary: str, **kwargs: Any) -> None:
        super().__init__(load_default=list, **kwargs)
        self.vocabulary = vocabulary

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[str]:
        known = taxonomy.VOCABULARIES[self.vocabulary]
        codes: list[str] = []
        for raw in [value] if isinstance(value, str) else value:
            for code in raw.split(","):
                code = clean_text(code, 40)
                if not code:
                    continue
                if code not in known:
                    raise ValidationError(f"unknown value {code!r}")
                if code not in codes:
                    codes.append(code)
        return codes


class WholeNumber(fields.Field):
    """A whole number from `low` to `high` (None: no upper bound); `default` when empty."""

    def __init__(
        self, low: int, high: int | None, default: int | None, message: str, **kwargs: Any
    ) -> None:
        super().__init__(load_default=default, **kwargs)
        self.low, self.high, self.default, self.message = low, high, default, message

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int | None:
        raw = str(value).strip()
        if not raw:
            return self.default
        try:
            number = int(raw)
        except ValueError:
            raise ValidationError("must be a whole number") from None
        if number < self.low or (self.high is not None and number > self.high):
            raise ValidationError(self.message)
        return number


class Radius(fields.Field):
    """Kilometres, more than 0 and at most `MAX_RADIUS_KM`; None when empty."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> float | None:
        raw = str(value).strip()
        if not raw:
            return None
        try:
            km = float(raw)
        except ValueError:
            raise ValidationError("must be a number") from None
        if not (0 < km <= MAX_RADIUS_KM) or math.isnan(km):
            raise ValidationError(f"must be more than 0 and at most {MAX_RADIUS_KM} km")
        return km


class Choice(fields.Field):
    """One of `choices`, stripped and `normalise`d (case); `default` when empty (with
    `blank_is_empty`, also when only spaces were given)."""

    def __init__(
        self,
        choices: tuple[str, ...],
        normalise: Callable[[str], str],
        default: str | None,
        *,
        blank_is_empty: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(load_default=default, **kwargs)
        self.choices, self.normalise, self.default = choices, normalise, default
        self.blank_is_empty = blank_is_empty

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str | None:
        text = str(value).strip() if self.blank_is_empty else str(value)
        if not text:
            return self.default
        choice = self.normalise(text.strip())
        if choice not in self.choices:
            raise ValidationError("must be one of " + ", ".join(self.choices))
        return choice


class Flag(fields.Field):
    """On for 1, true, on or yes (any case); off otherwise."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        return str(value).lower() in {"1", "true", "on", "yes"}


class QueryStringSchema(Schema):
    """Reads a query string (a MultiDict): the first value of each parameter, every value of
    the list filters; other parameters are ignored."""

    class Meta:
        unknown = EXCLUDE

    @pre_load
    def values(self, data: Mapping[str, Any], **kwargs: Any) -> dict[str, Any]:
        values = dict(data)  # a MultiDict gives the first value of each parameter
        if hasattr(data, "getlist"):
            lists = (*LIST_FILTERS, "experience", "mentor_language")
            values.update({name: data.getlist(name) for name in lists if name in data})
        return values


class SearchQuerySchema(QueryStringSchema):
    """The search parameters of the search page, the widget and the API → `SearchParams`."""

    q = Text(MAX_QUERY_LENGTH, empty="")
    themes = Codes("theme", data_key="theme")
    audiences = Codes("audience", data_key="audience")
    formats = Codes("format", data_key="format")
    languages = Codes("language", data_key="language")
    cost = Codes("cost")
    city = Text(120)
    province = Text(120)
    organisation = Text(80, data_key="org")
    age = WholeNumber(0, 120, None, "must be between 0 and 120")
    open_only = Flag(data_key="open", load_default=False)
    page = WholeNumber(1, MAX_PAGE, 1, f"must be between 1 and {MAX_PAGE}")
    per_page = WholeNumber(1, None, DEFAULT_PER_PAGE, "must be at least 1")
    #: None when not given: by distance near a place, else by relevance
    sort = Choice(SORTS, str.lower, None)
    #: None when not given: the postcode's shape decides (`postcode_country`)
    near_country = Choice(COUNTRIES, str.upper, None, data_key="country")
    radius_km = Radius(load_default=None)
    near = Text(60)
    seeking_mentors = Flag(load_default=False)
    experience = Codes("experience_field")
    mentor_language = Codes("language")
    mentor_hours = WholeNumber(
        1, MAX_MENTOR_HOURS, None, f"must be between 1 and {MAX_MENTOR_HOURS}"
    )

    @post_load
    def place(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        """`near` resolved to a place and its coordinates; `per_page` capped; no "distance"
        order without a place."""
        data["per_page"] = min(data["per_page"], MAX_PER_PAGE)
        if data["province"]:
            data["province"] = canonical_province(data["province"])
        if data["q"] and not query_words(data["q"]):
            # only `*`, `"`, `~`, `^`…: no word to search, the empty query's page
            data["q"] = ""
        if data["near"]:
            data["near_country"] = data["near_country"] or postcode_country(data["near"])
            place = resolve_place(data["near"], data["near_country"])
            if place is None:
                raise ValidationError("unknown postcode", "near")
            data["near_place"], data["origin"] = place, (place.latitude, place.longitude)
            data["radius_km"] = data["radius_km"] or DEFAULT_RADIUS_KM
        else:
            data["near_country"] = data["near_country"] or "BE"
        if data["sort"] is None:
            data["sort"] = "distance" if data.get("origin") else "relevance"
        if data["sort"] == "distance" and not data.get("origin"):
            data["sort"] = "relevance"
        # the mentor path's filters only make sense among the programmes seeking mentors
        data["seeking_mentors"] = data["seeking_mentors"] or any(
            data[name] not in (None, []) for name in MENTOR_FILTERS
        )
        return data


class LanguageQuerySchema(QueryStringSchema):
    """The API's `lang` parameter (None when absent: the browser's language is used)."""

    lang = Choice(LANGS, str.lower, None, blank_is_empty=True)


SEARCH_QUERY = SearchQuerySchema()
LANGUAGE_QUERY = LanguageQuerySchema()


def resolve_place(text: str, country: str = "BE") -> postcodes.Place | None:
    """The place of a postcode (or else of a city name), or None."""
    if any(c.isdigit() for c in text):
        return postcodes.lookup(text, country=country)
    return postcodes.find_city(text, country=country) or postcodes.find_city(text)


def _load(schema: Schema, args: Mapping[str, Any]) -> dict[str, Any]:
    """:raise SearchParamError: naming the first wrong parameter, with its message."""
    try:
        return schema.load(args)
    except ValidationError as error:
        messages = error.normalized_messages()
        name = next(p for p in (*PARAMETER_ORDER, *messages) if p in messages)
        detail = messages[name]
        raise SearchParamError(name, detail[0] if isinstance(detail, list) else detail) from None


def search_params(args: Mapping[str, Any], lang: str) -> SearchParams:
    """Validate a query string into `SearchParams` whose texts and labels are in `lang`.

    :raise SearchParamError: naming the first invalid parameter.
    """
    return SearchParams(lang=lang, **_load(SEARCH_QUERY, args))


def language(args: Mapping[str, Any]) -> str | None:
    """The `lang` parameter of the API, if given.

    :raise SearchParamError: an unknown language.
    """
    return _load(LANGUAGE_QUERY, args)["lang"]


# --- answers out -------------------------------------------------------------------------


class LabelledSchema(Schema):
    value = fields.String()
    label = fields.String()


class FacetValueSchema(LabelledSchema):
    count = fields.Integer()


class OrganisationNameSchema(Schema):
    name = fields.String()
    slug = fields.String(allow_none=True)


class HitSchema(Schema):
    """One programme found: its texts in the answer's language, where, how far, snippets."""

    id = fields.String()
    title = fields.String()
    summary = fields.String()
    organisation = fields.Nested(OrganisationNameSchema)
    themes = fields.List(fields.Nested(LabelledSchema))
    cities = fields.List(fields.String())
    distance_km = fields.Float(allow_none=True)
    highlight = fields.Dict(keys=fields.String(), values=fields.String())
    url = fields.String()
    #: only in the answers of the mentor path (`seeking_mentors`)
    mentor_needs = fields.Nested(MentorNeedsSchema)


class RelaxedFilterSchema(Schema):
    parameter = fields.String()
    total = fields.Integer()


class SearchAnswerSchema(Schema):
    """The answer of `GET /api/v1/programmes`."""

    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    hits = fields.List(fields.Nested(HitSchema))
    facets = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(FacetValueSchema)))
    suggestion = fields.String(allow_none=True)
    relaxed_filter = fields.Nested(RelaxedFilterSchema, allow_none=True)

    @pre_dump
    def in_language(self, answer: SearchAnswer, **kwargs: Any) -> dict[str, Any]:
        """The results with each text and label in the answer's language."""
        return answer_body(answer)


class SuggestionSchema(Schema):
    text = fields.String()
    #: "title", "organisation" or "theme"
    kind = fields.String()
    #: the theme's code (themes only)
    value = fields.String()


class SuggestAnswerSchema(Schema):
    """The answer of `GET /api/v1/programmes/suggest`."""

    q = fields.String()
    suggestions = fields.List(fields.Nested(SuggestionSchema))


SEARCH_ANSWER = SearchAnswerSchema()
SUGGEST_ANSWER = SuggestAnswerSchema()
