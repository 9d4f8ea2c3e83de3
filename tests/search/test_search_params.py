"""Reading the search parameters: the first wrong one is the one the user is told about."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from search.query import SearchParamError
from search.services import parse_search_params


def parse(app, query: str):
    with app.test_request_context(f"/fr/programmes?{query}"):
        from flask import request

        return parse_search_params(request.args, "fr")


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("theme=bad&age=-1", "theme"),
        ("cost=cheap&theme=bad", "theme"),
        ("age=-1&page=0", "age"),
        ("sort=random&country=US", "sort"),
        ("near=9999&age=-1", "age"),  # the place is looked up last, once the rest is valid
        ("near=9999&radius_km=0", "radius_km"),
        ("near=9999&country=US", "country"),
    ],
)
def test_the_first_wrong_parameter_is_reported(app, query, param):
    with pytest.raises(SearchParamError) as raised:
        parse(app, query)
    assert raised.value.param == param


def test_values_are_read_as_typed(app):
    params = parse(
        app,
        "q=+Mentorat%00++emploi+&theme=employment,education&theme=employment&age=+19+"
        "&open=YES&sort=DISTANCE&near=1080&per_page=500&country=be",
    )
    assert params.q == "Mentorat emploi"
    assert params.themes == ["employment", "education"]
    assert (params.age, params.open_only, params.per_page) == (19, True, 50)
    assert params.sort == "distance" and params.near_country == "BE"
    assert params.near_place.postcode == "1080" and params.radius_km == 25
    assert parse(app, "sort=distance").sort == "relevance"  # no place to measure from


def test_empty_values_are_absent_but_blank_choices_are_wrong(app):
    params = parse(app, "q=&age=&page=&radius_km=&near=&city=&sort=&country=")
    assert (params.q, params.age, params.page, params.city) == ("", None, 1, None)
    assert (params.sort, params.near_country, params.origin) == ("relevance", "BE", None)
    with pytest.raises(SearchParamError) as raised:
        parse(app, "sort=%20")
    assert raised.value.param == "sort"


def test_a_list_filter_takes_every_value_given(app):
    with app.test_request_context():
        params = parse_search_params(MultiDict({"theme": ["language", "digital"]}), "xx")
    assert params.themes == ["language", "digital"]
    assert params.lang == "fr"  # an unknown language: the default


def test_the_api_checks_its_language_first(client, search_backend):
    body = client.get("/api/v1/programmes?theme=bad&lang=de").get_json()
    assert body["parameter"] == "lang"
    assert body["detail"] == "lang: must be one of fr, nl, en"
    blank = client.get("/api/v1/programmes?lang=%20", headers={"Accept-Language": "nl"})
    assert blank.status_code == 200 and blank.headers["Content-Language"] == "nl"
