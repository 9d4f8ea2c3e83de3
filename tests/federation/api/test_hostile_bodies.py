"""Hostile machine-API bodies (issue 9): control characters (point 2), deep nesting
(point 3), integers that are not integers (point 5), and one language per problem (6)."""

from __future__ import annotations

import pytest

from tests.federation.api_helpers import API, programme_body

MESSAGE = "Control characters are not allowed."


def test_a_json_string_with_a_nul_is_a_422_with_its_pointer(client, db, make_org, bearer):
    headers = bearer(make_org(), "programmes:write")
    body = programme_body(title={"fr": "Duo\u0000", "nl": "Duo"})
    body["apply"]["phone\u0001"] = "x"
    response = client.put(f"{API}/programmes/crm-1", json=body, headers=headers)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    pointers = {error["pointer"] for error in response.json["errors"]}
    assert pointers == {"/title/fr", "/apply/phone\u0001"}
    path = client.put(f"{API}/programmes/crm%00", json=programme_body(), headers=headers)
    assert path.status_code == 400
    assert path.json["errors"] == [
        {"parameter": "external_id", "pointer": "/external_id", "detail": MESSAGE}
    ]


def test_a_deeply_nested_body_is_a_400_problem_before_it_is_parsed(client, db, make_org, bearer):
    headers = bearer(make_org(), "programmes:write")
    nested = "[" * 1000 + "]" * 1000  # 2 KB: Python's parser would recurse 1,000 times
    response = client.put(
        f"{API}/programmes/x", data=nested, headers=headers, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.json["title"] == "JSON nested too deeply"
    # brackets inside strings are text, not nesting
    body = programme_body(summary={"fr": "[{" * 50})
    assert client.put(f"{API}/programmes/x", json=body, headers=headers).status_code == 201


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        ({"age_min": 18.5}, "/age_min"),
        ({"age_min": "18"}, "/age_min"),
        ({"age_max": True}, "/age_max"),
        ({"capacity": {"status": "open", "places": "12"}}, "/capacity/places"),
        ({"duration_weeks": 12.0}, "/duration_weeks"),
    ],
)
def test_integers_are_strict(client, db, make_org, bearer, change, pointer):
    headers = bearer(make_org(), "programmes:write")
    response = client.put(f"{API}/programmes/crm-1", json=programme_body(**change), headers=headers)
    assert response.status_code == 422
    assert [e["pointer"] for e in response.json["errors"]] == [pointer]
    assert response.json["errors"][0]["detail"] == "Enter a whole number."


@pytest.mark.parametrize(
    ("accept", "title", "detail", "not_found"),
    [
        (None, "Invalid programme", "Enter a whole number.", "Not Found"),
        ("de-DE, en;q=0.5", "Invalid programme", "Enter a whole number.", "Not Found"),
        ("fr-BE, fr;q=0.9", "Programme invalide", "Saisissez un nombre entier.", "Introuvable"),
        ("nl", "Ongeldig programma", "Vul een geheel getal in.", "Niet gevonden"),
    ],
)
def test_a_problem_speaks_one_language_the_clients_else_english(
    client, db, make_org, bearer, accept, title, detail, not_found
):
    headers = bearer(make_org(), "programmes:write")
    if accept:
        headers["Accept-Language"] = accept
    response = client.put(
        f"{API}/programmes/crm-1", json=programme_body(age_min="18"), headers=headers
    )
    assert response.status_code == 422
    assert (response.json["title"], response.json["errors"][0]["detail"]) == (title, detail)
    lost = client.get(f"{API}/programmes/none", headers=headers).json
    no_programme = {
        "Not Found": "Your organisation has no programme with this id.",
        "Introuvable": "Votre organisation n’a aucun programme avec cet identifiant.",
        "Niet gevonden": "Uw organisatie heeft geen programma met deze id.",
    }
    assert (lost["title"], lost["detail"]) == (not_found, no_programme[not_found])
    nowhere = client.get(f"{API}/nothing-here", headers=headers).json
    assert nowhere["title"] == not_found
