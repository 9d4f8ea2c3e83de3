"""The "Become a mentor" search: `GET /api/v1/programmes?seeking_mentors=1`, and the public
page `/<lang>/mentor` (filters without JavaScript, errors beside the field, FR/NL/EN)."""

from __future__ import annotations

import re

import pytest

from tests.coalition._mentors import needs
from tests.search.test_api import assert_400_naming, uuid_of

NEEDS = needs(languages=["fr"], locations=[], online=False)


# --- the JSON API ----------------------------------------------------------------------------


def test_seeking_mentors_hits_carry_their_mentor_needs(api):
    body = api.get("/api/v1/programmes?seeking_mentors=1&near=1000&radius_km=10&lang=en").json
    assert {hit["id"] for hit in body["hits"]} == {uuid_of(1), uuid_of(7)}
    first = next(hit for hit in body["hits"] if hit["id"] == uuid_of(1))
    assert first["mentor_needs"] == needs(locations=[], online=False, mentors_needed=40)
    assert first["distance_km"] is not None and first["url"].endswith(
        f"/en/programmes/{uuid_of(1)}"
    )
    assert body["total"] == 2 and "theme" in body["facets"]


def test_the_directory_answer_is_unchanged_without_the_mentor_path(api):
    body = api.get("/api/v1/programmes?per_page=50").json
    assert body["total"] == 8
    assert all("mentor_needs" not in hit for hit in body["hits"])


def test_mentor_filters_with_the_usual_ones(api):
    def found(query: str) -> set[str]:
        response = api.get(f"/api/v1/programmes?per_page=50&{query}")
        assert response.status_code == 200, response.json
        assert all("mentor_needs" in hit for hit in response.json["hits"])
        return {hit["id"] for hit in response.json["hits"]}

    assert found("seeking_mentors=1&theme=employment&sort=newest") == {
        uuid_of(1),
        uuid_of(7),
        uuid_of(8),
    }
    assert found("experience=finance&mentor_language=fr&mentor_hours=4") == {uuid_of(5), uuid_of(8)}
    assert found("experience=hr,business&experience=finance&q=entreprendre") == {uuid_of(5)}
    assert found("seeking_mentors=1&mentor_hours=1&city=Antwerpen") == {uuid_of(8)}


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("seeking_mentors=1&experience=astronaut", "experience"),
        ("experience=hr,,nonsense", "experience"),
        ("mentor_language=klingon", "mentor_language"),
        ("mentor_hours=0", "mentor_hours"),
        ("mentor_hours=41", "mentor_hours"),
        ("mentor_hours=two", "mentor_hours"),
        ("seeking_mentors=1&near=9999", "near"),
    ],
)
def test_bad_mentor_filters_are_a_400_naming_the_parameter(api, query, param):
    assert_400_naming(api, query, param)


# --- the public page -------------------------------------------------------------------------


@pytest.fixture
def mentor_directory(make_org, make_programme, search_backend, index_programmes):
    """Three programmes seeking mentors (Molenbeek, Brussels, Liège) and one that does not."""
    duo = make_org("Duo Mentors", names={"fr": "Duo Mentors"})
    brug = make_org("De Brug Mentors", names={"nl": "De Brug Mentors"})
    programmes = {
        "hr": make_programme(duo, mentor_needs=NEEDS),
        "any": make_programme(
            brug,
            titles={"nl": "Taalmaatjes"},
            places=(("1000", "Bruxelles"),),
            mentor_needs={**NEEDS, "experience_fields": [], "languages": [], "hours_per_week": 1},
        ),
        "far": make_programme(
            duo,
            titles={"fr": "Mentorat à Liège"},
            places=(("4000", "Liège"),),
            mentor_needs={**NEEDS, "experience_fields": ["technology"], "hours_per_week": 4},
        ),
        "closed": make_programme(
            duo, titles={"fr": "Plus de mentors"}, mentor_needs={**NEEDS, "seeking": False}
        ),
        "none": make_programme(brug, titles={"fr": "Sans mentors"}),
    }
    index_programmes(*programmes.values())
    return programmes


def titles(html: str) -> list[str]:
    return re.findall(r"<h3[^>]*><a [^>]*>(.*?)</a></h3>", html)


def test_the_page_lists_only_programmes_seeking_mentors(client, mentor_directory):
    response = client.get("/fr/mentor")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert sorted(titles(html)) == ["Mentorat emploi", "Mentorat à Liège", "Taalmaatjes"]
    assert "3 programmes cherchent des mentors" in html
    # what each asks, and the way to its page (where the interest form is linked)
    assert "Ressources humaines et recrutement" in html and "2 heures par semaine" in html
    uuid = mentor_directory["hr"].uuid
    assert f'href="/fr/programmes/{uuid}"' in html
    assert '<h3 lang="nl">' in html  # a programme without French text says its language


def test_the_filters_work_without_javascript(client, mentor_directory):
    html = client.get("/fr/mentor?near=1000&radius_km=10&experience=hr&mentor_hours=2").get_data(
        as_text=True
    )
    assert sorted(titles(html)) == ["Mentorat emploi", "Taalmaatjes"]
    assert 'name="experience" value="hr" checked' in html
    assert re.search(r'<option value="2" selected>', html)
    assert "km" in html
    html = client.get("/fr/mentor?mentor_hours=1").get_data(as_text=True)
    assert titles(html) == ["Taalmaatjes"]
    html = client.get("/fr/mentor?experience=technology&mentor_language=fr").get_data(as_text=True)
    assert sorted(titles(html)) == ["Mentorat à Liège", "Taalmaatjes"]


def test_the_page_measures_to_where_mentors_are_needed(
    client, make_org, make_programme, search_backend, index_programmes
):
    """Issue 14: a Brussels programme needing mentors at its Liège branch is found near
    Liège on the mentor page (Bressoux, 3 km away), not near Brussels; the directory still finds
    it near Brussels. An online one is found near any postcode, after the near ones."""
    org = make_org("Duo Liège")
    liege = {"postcode": "4020", "country": "BE", "city": "Bressoux"}
    index_programmes(
        make_programme(
            org,
            titles={"fr": "Mentorat à la branche"},
            places=(("1000", "Bruxelles"),),
            mentor_needs={**NEEDS, "locations": [{**liege, "latitude": 50.645, "longitude": 5.6}]},
        ),
        make_programme(
            org,
            titles={"fr": "Mentorat en ligne"},
            places=(("9000", "Gent"),),
            mentor_needs={**NEEDS, "online": True},
        ),
    )
    html = client.get("/fr/mentor?near=4000&radius_km=10").get_data(as_text=True)
    assert titles(html) == ["Mentorat à la branche", "Mentorat en ligne"]
    assert "Duo Liège · à 2,6 km" in html  # to the branch's coordinates, as stored
    html = client.get("/fr/mentor?near=1000&radius_km=10").get_data(as_text=True)
    assert titles(html) == ["Mentorat en ligne"]
    html = client.get("/fr/programmes?near=1000&radius_km=10").get_data(as_text=True)
    assert "Mentorat à la branche" in html and "Mentorat en ligne" not in html


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("mentor_hours=99", "mentor_hours", "Indiquez les heures par semaine"),
        ("experience=astronaut", "experience", "Choisissez des domaines"),
        ("near=9999", "near", "Nous ne connaissons pas ce code postal"),
    ],
)
def test_a_wrong_value_is_explained_beside_its_field(
    client, mentor_directory, query, field, message
):
    response = client.get(f"/fr/mentor?{query}")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(rf'<p id="{field}-error" class="field-error">[^<]*{message}', html), html
    assert re.search(rf'aria-describedby="[^"]*{field}-error"', html)


@pytest.mark.parametrize(
    ("lang", "heading", "label"),
    [
        ("fr", "Devenir mentor", "Votre expérience professionnelle"),
        ("nl", "Mentor worden", "Je werkervaring"),
        ("en", "Become a mentor", "Your work experience"),
    ],
)
def test_the_page_in_three_languages(client, mentor_directory, lang, heading, label):
    html = client.get(f"/{lang}/mentor").get_data(as_text=True)
    assert f"<h1>{heading}</h1>" in html and label in html
    assert f'<html lang="{lang}"' in html


@pytest.mark.parametrize(
    ("lang", "text"), [("fr", "Devenir mentor"), ("nl", "Mentor worden"), ("en", "Become a mentor")]
)
def test_the_home_page_links_to_the_mentor_path(client, lang, text):
    # one language a test: the test's application context keeps Flask-Babel's catalogue
    html = client.get(f"/{lang}/").get_data(as_text=True)
    assert f'<a href="/{lang}/mentor">{text}</a>' in html


def test_the_page_says_when_the_engine_is_down(client, engine_down):
    response = client.get("/en/mentor")
    assert response.status_code == 503
    assert "temporarily unavailable" in response.get_data(as_text=True)


def test_the_page_is_in_the_sitemap(client):
    assert "/fr/mentor</loc>" in client.get("/sitemap.xml").get_data(as_text=True)
