"""No control character gets past the request boundary (issue 9, point 2).

A NUL in a form field, a query parameter, a path segment or a JSON string answered 500 on
PostgreSQL (and was stored on SQLite). Now the form shows the refusal beside the field,
a query or path parameter is a 400 naming it, and a JSON string a 422 with its pointer.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coalition.members.models import MembershipApplication

APPLICATION = {
    "organisation_name": "Duo\x00 Gent",
    "enterprise_number": "BE0123456749",
    "website": "https://duo.example",
    "languages": ["nl"],
    "contact_name": "Jan",
    "contact_email": "jan@example.org",
    "description": "Taalbuddies voor nieuwkomers.",
}
MESSAGE = "Control characters are not allowed."


def test_the_join_form_refuses_a_nul_beside_the_organisation_name(client, db):
    response = client.post("/en/join", data=APPLICATION)
    assert response.status_code == 422
    error = response.text.split('id="organisation_name-error"', 1)[1].split("</p>", 1)[0]
    assert MESSAGE in error
    assert db.session.scalar(select(func.count()).select_from(MembershipApplication)) == 0


@pytest.mark.parametrize(
    ("path", "data", "field"),
    [
        ("/en/login", {"email": "a\x00b@example.org", "password": "x"}, "email"),
        ("/en/forgot-password", {"email": "a\x00b@example.org"}, "email"),
        ("/en/login", {"email": "a@example.org", "password": "pass\x07word"}, "password"),
    ],
)
def test_sign_in_forms_refuse_control_characters_beside_the_field(client, path, data, field):
    response = client.post(path, data=data)
    assert response.status_code in (400, 422)
    assert f'id="{field}-error"' in response.text
    assert MESSAGE in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/hsds/services?search=a%00b",
        "/hsds/organizations?search=a%00b",
        "/hsds/service_at_locations?search=a%00b",
        "/api/v1/programmes?q=a%01b",
    ],
)
def test_api_query_parameters_with_control_characters_are_a_400_naming_them(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    name = path.split("?", 1)[1].split("=", 1)[0]
    assert response.json["errors"] == [
        {"parameter": name, "pointer": f"/{name}", "detail": MESSAGE}
    ]


def test_page_query_and_path_parameters_with_control_characters_are_a_400_naming_them(client):
    page = client.get("/en/programmes?q=a%00b")
    assert page.status_code == 400 and page.mimetype == "text/html"
    assert "“q”: " + MESSAGE in page.text
    member = client.get("/en/members/a%00b")
    assert member.status_code == 400 and member.mimetype == "text/html"
    assert "“slug”: " + MESSAGE in member.text
