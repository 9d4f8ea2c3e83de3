"""`PUT /<lang>/staff/briefs/<brief id>/sections/<section id>.json`: the merge rule in JSON."""

from __future__ import annotations

import re

import pytest

from coalition.errors import PROBLEM_JSON
from tests.policy_briefs.conftest import TEXT


def url(section) -> str:
    return f"/en/staff/briefs/{section.brief_id}/sections/{section.id}.json"


def put(client, section, base, text):
    return client.put(url(section), json={"base_revision": base, "text": text})


def test_a_save_answers_the_new_revision(client, login, team, section):
    login(team.partner_author)
    response = put(client, section, 1, TEXT + " Always.")
    assert response.status_code == 200
    body = response.json
    assert (body["number"], body["parent"], body["base"], body["merged"]) == (2, 1, 1, False)
    assert body["text"] == TEXT + " Always."
    assert body["author"] == {"id": team.partner_author.id, "name": "Pim Author"}
    assert body["organisation"]["id"] == team.partner.id
    assert "<p>Mentors aged fifty" in body["html"]


def test_a_save_from_an_old_revision_is_merged(concurrent_edits):
    first, response = concurrent_edits(
        put, TEXT.replace("fifty", "50"), TEXT.replace("six months", "half a year")
    )
    assert first.status_code == 200
    assert response.status_code == 200
    assert response.json["merged"] is True
    assert response.json["text"] == (
        "Mentors aged 50 and over accompany young job seekers for half a year."
    )


def test_overlapping_edits_answer_409_with_the_three_texts(client, section, concurrent_edits):
    mine = TEXT.replace("six months", "nine months")
    _, response = concurrent_edits(put, TEXT.replace("six months", "a year"), mine)
    assert response.status_code == 409
    assert response.mimetype == PROBLEM_JSON
    assert response.json["conflict"] == {
        "base": TEXT,
        "theirs": TEXT.replace("six months", "a year"),
        "yours": mine,
        "base_revision": 1,
        "theirs_revision": 2,
    }
    assert client.get(url(section)).json["number"] == 2  # nothing saved
    resolved = put(client, section, 2, mine)
    assert resolved.status_code == 200 and resolved.json["number"] == 3


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"text": "x"}, "/base_revision"),
        ({"base_revision": "1", "text": "x"}, "/base_revision"),
        ({"base_revision": 1}, "/text"),
        ({"base_revision": 1, "text": "x", "html": "<b>"}, "/html"),
        ({"base_revision": 7, "text": "x"}, "/base_revision"),
        ({"base_revision": 1, "text": "{{ figure: nope }}"}, "/text"),
        ({"base_revision": 1, "text": "x" * 50_001}, "/text"),
    ],
)
def test_bad_bodies_are_problems_with_a_pointer(client, login, team, section, body, pointer):
    login(team.author)
    response = client.put(url(section), json=body)
    assert response.status_code == 422
    assert response.mimetype == PROBLEM_JSON
    assert pointer in [e["pointer"] for e in response.json["errors"]]


def test_a_body_that_is_not_json_is_a_problem(client, login, team, section):
    login(team.author)
    response = client.put(url(section), data="base_revision=1", content_type="text/plain")
    assert response.status_code == 400 and response.mimetype == PROBLEM_JSON


@pytest.mark.parametrize(
    ("who", "status"), [(None, 401), ("outsider", 404), ("reader", 403), ("partner_author", 200)]
)
def test_who_may_save(client, login, team, section, who, status):
    if who:
        login(getattr(team, who))
    response = put(client, section, 1, "Changed.")
    assert response.status_code == status
    if status != 200:
        assert response.mimetype == PROBLEM_JSON


def test_a_section_of_another_brief_is_not_found(client, login, team, make_brief, section):
    other = make_brief(["Other."]).current_sections[0]
    login(team.author)
    response = client.put(
        f"/en/staff/briefs/{section.brief_id}/sections/{other.id}.json",
        json={"base_revision": 1, "text": "x"},
    )
    assert response.status_code == 404


def test_the_session_alone_is_not_enough_the_csrf_header_is_needed(make_app, db, team, section):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    with client.session_transaction() as session:
        session["user_id"] = team.author.id
        session["session_version"] = team.author.session_version
    refused = client.put(url(section), json={"base_revision": 1, "text": "Forged."})
    assert refused.status_code == 400 and refused.mimetype == PROBLEM_JSON
    page = client.get(f"/en/staff/briefs/{section.brief_id}")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    accepted = client.put(
        url(section),
        json={"base_revision": 1, "text": "Sent by the editor."},
        headers={"X-CSRFToken": token},
    )
    assert accepted.status_code == 200, accepted.json
