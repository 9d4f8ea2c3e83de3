"""Repeated query parameters and long search texts are capped at the boundary (issue 9, 7).

A 33 KB query string of `theme=employment` made a 1.4 MB page and a 10,000-character `q`
a 352 KB one: each is now a 400 with a message naming the parameter, page and API alike.
"""

from __future__ import annotations

import pytest


def test_a_parameter_repeated_too_often_is_a_400_page_naming_it(client, db):
    response = client.get("/en/programmes?" + "&".join(["theme=employment"] * 2000))
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert "“theme”: Give at most 30 values of this parameter." in response.text
    assert len(response.data) < 20_000
    assert client.get("/en/programmes?" + "&".join(["theme=employment"] * 30)).status_code == 200


def test_a_long_search_text_is_a_400_page_naming_it(client, db):
    response = client.get("/en/programmes?q=" + "a" * 10_000)
    assert response.status_code == 400
    assert "“q”: At most 200 characters." in response.text
    assert len(response.data) < 20_000


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/programmes?" + "&".join(["theme=employment"] * 31), "theme"),
        ("/api/v1/programmes?q=" + "a" * 201, "q"),
        ("/hsds/services?search=" + "a" * 201, "search"),
        ("/federation/v1/events?after=" + "0" * 1001, "after"),
    ],
)
def test_the_apis_answer_the_same_caps_as_problems(client, db, path, name):
    response = client.get(path)
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert [error["parameter"] for error in response.json["errors"]] == [name]
