"""The JSON search API `GET /api/v1/programmes`: answers, languages, and bad input."""

from __future__ import annotations

import json

import pytest

from tests.contract.corpus import ALL_IDS, PROGRAMMES, make_programme

PROBLEM = "application/problem+json"


def uuid_of(pid: int) -> str:
    return str(make_programme(pid, PROGRAMMES[pid]).uuid)


def assert_400_naming(api, query: str, param: str) -> None:
    """The search API answers `query` with a 400 problem that names `param` and points to it."""
    response = api.get(f"/api/v1/programmes?{query}")
    assert response.status_code == 400
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert body["parameter"] == param
    assert body["errors"][0]["pointer"] == f"/{param}"


def test_search_answers_hits_facets_and_totals(api):
    response = api.get("/api/v1/programmes?q=mentorat+emploi&lang=fr")
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) >= {"total", "page", "per_page", "hits", "facets", "suggestion"}
    first = body["hits"][0]
    assert first["id"] == uuid_of(1)
    assert first["title"] == "Mentorat pour l'emploi des jeunes"
    assert first["organisation"]["name"] == "Duo for a Job"
    assert {"value": "employment", "label": "Emploi"} in first["themes"]
    assert "<mark>" in first["highlight"]["title"]
    assert first["url"].endswith(f"/fr/programmes/{uuid_of(1)}")
    themes = {f["value"]: f for f in body["facets"]["theme"]}
    assert themes["employment"]["label"] == "Emploi" and themes["employment"]["count"] >= 1


def test_language_from_accept_language(api):
    body = api.get(
        "/api/v1/programmes?theme=employment&per_page=50",
        headers={"Accept-Language": "nl-BE,nl;q=0.9"},
    ).get_json()
    titles = {h["title"] for h in body["hits"]}
    assert "Mentoring naar werk" in titles
    assert {f["label"] for f in body["facets"]["theme"]} >= {"Werk"}


def test_repeatable_filters_distance_and_sort(api):
    body = api.get(
        "/api/v1/programmes?theme=employment&theme=digital&near=1000"
        "&radius_km=50&sort=distance&per_page=50"
    ).get_json()
    assert body["total"] == 4
    distances = [h["distance_km"] for h in body["hits"]]
    assert distances == sorted(distances) and distances[-1] <= 50


def test_zero_hits_say_which_filter_to_drop(api):
    body = api.get("/api/v1/programmes?q=mentor&theme=digital&city=Namur").get_json()
    assert body["total"] == 0
    assert body["relaxed_filter"]["parameter"] in ("theme", "city")


def test_zero_hits_offer_a_misspelt_place_corrected(api):
    """Issue 13: "werk Brusel" → "werk Brussel", which finds the employment programmes in
    the Brussels region: Molenbeek (1) and Brussels (7), not Antwerp's (8)."""
    body = api.get("/api/v1/programmes?q=werk+Brusel&lang=nl").get_json()
    assert body["total"] == 0 and body["suggestion"] == "werk Brussel"
    corrected = api.get("/api/v1/programmes?q=werk+Brussel&lang=nl").get_json()
    assert {h["id"] for h in corrected["hits"]} == {uuid_of(1), uuid_of(7)}


def test_per_page_is_capped(api):
    body = api.get("/api/v1/programmes?per_page=1000").get_json()
    assert body["per_page"] == 50 and body["total"] == len(ALL_IDS)


def test_suggest(api):
    body = api.get("/api/v1/programmes/suggest?q=ment&lang=fr").get_json()
    assert {"text": "Mentorat pour l'emploi des jeunes", "kind": "title"} in body["suggestions"]
    assert api.get("/api/v1/programmes/suggest?q=").get_json()["suggestions"] == []


@pytest.mark.parametrize(
    "query",
    [
        "q=title:(",
        "q=*",
        "q=~",
        "q=%22",
        "q=mentorat%0d%0aemploi",
        "q=%E2%80%AEemploi",
        "q=)(*&^%25$%23@!",
        "q=emploi~2^3",
        "per_page=1000",
        "near=1000&radius_km=500",
        "near=B-1080",
        "near=Bruxelles",
        "near=75001&country=FR",
    ],
)
def test_odd_but_valid_input_gets_results(api, query):
    response = api.get(f"/api/v1/programmes?{query}")
    assert response.status_code == 200, response.get_json()
    assert "hits" in response.get_json()


@pytest.mark.parametrize(
    "query",
    ["q=" + "a" * 10_240, "q=" + "emploi%20" * 2000, "q=%00%01mentorat%1b%7f"],
)
def test_control_characters_and_overlong_search_texts_are_refused_naming_q(api, query):
    # issue 9: refused at the request boundary (they were cleaned and cut before)
    response = api.get(f"/api/v1/programmes?{query}")
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["parameter"] == "q"


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("theme=nonsense", "theme"),
        ("audience=aliens", "audience"),
        ("format=telepathy", "format"),
        ("language=xx", "language"),
        ("cost=cheap", "cost"),
        ("page=-1", "page"),
        ("page=0", "page"),
        ("page=99999999999999999999", "page"),
        ("page=abc", "page"),
        ("per_page=0", "per_page"),
        ("radius_km=0&near=1000", "radius_km"),
        ("radius_km=10000&near=1000", "radius_km"),
        ("radius_km=nan", "radius_km"),
        ("radius_km=-5", "radius_km"),
        ("near=9999", "near"),
        ("near=Atlantis", "near"),
        ("age=-3", "age"),
        ("age=1000", "age"),
        ("sort=random", "sort"),
        ("lang=de", "lang"),
        ("country=US", "country"),
    ],
)
def test_bad_input_is_a_clear_400_naming_the_parameter(api, query, param):
    assert_400_naming(api, query, param)


def test_unknown_postcode_says_so(api):
    body = api.get("/api/v1/programmes?near=9999").get_json()
    assert "unknown postcode" in body["detail"]


def test_engine_down_is_a_503_problem(make_app, db):
    down = make_app(
        SEARCH_BACKEND="elasticsearch",
        ELASTICSEARCH_URL="http://127.0.0.1:9",
        SEARCH_INDEX_PREFIX="nowhere",
    )
    response = down.test_client().get("/api/v1/programmes?q=emploi")
    assert response.status_code == 503
    assert response.mimetype == PROBLEM
    suggest = down.test_client().get("/api/v1/programmes/suggest?q=empl&lang=fr")
    assert suggest.status_code == 200  # themes still complete without the engine
    assert suggest.get_json()["suggestions"][0]["kind"] == "theme"


def test_answer_written_in_one_pass_equals_the_schema_dump(api_app):
    """The API writes `answer_body` directly; it must be what `SearchAnswerSchema` dumps
    (types, nesting, None values), with hits, facets, distances and snippets."""
    from werkzeug.datastructures import MultiDict

    from search.answers import SearchAnswer, answer_body
    from search.schemas import SEARCH_ANSWER
    from search.services import parse_search_params, search_programmes

    with api_app.test_request_context():
        for args in (
            {"q": "mentorat emploi"},
            {"q": "werk", "near": "1000", "radius_km": "50"},
            {"q": "zzzzqqq", "theme": "employment"},
            {},
        ):
            params = parse_search_params(MultiDict(args), "fr")
            answer = SearchAnswer(search_programmes(params), "fr", "https://x/p/PLACEHOLDER")
            body = answer_body(answer)
            assert body == SEARCH_ANSWER.dump(answer)
    assert body["hits"] and body["facets"]["theme"]


def test_the_answer_is_json_with_sorted_keys_and_unescaped_utf8(api):
    """orjson writes the answer: the same document as `answer_body`, keys in order as
    Flask wrote them, and "Liège" as UTF-8 bytes rather than `\\u00e8`."""
    response = api.get("/api/v1/programmes?lang=fr&city=Li%C3%A8ge")
    assert response.status_code == 200 and response.mimetype == "application/json"
    raw = response.get_data()
    assert "Liège".encode() in raw and b"\\u00e8" not in raw
    body = json.loads(raw)
    assert body["total"] >= 1
    assert list(body) == sorted(body)
    assert list(body["hits"][0]) == sorted(body["hits"][0])
