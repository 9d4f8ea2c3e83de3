"""The HSDS feed's `service_at_locations` and taxonomy-by-id endpoints, validated against the
official schemas as the other endpoints are (`tests/search/test_hsds.py`)."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest

from coalition.database import utcnow
from coalition.members.services import suspend_organisation
from coalition.programmes.models import ProgrammeLocation
from coalition.taxonomy import term_uuid
from search.hsds.ids import service_at_location_id, taxonomy_uuid
from tests.search.test_hsds import assert_page, assert_valid

HIDDEN = {"Brouillon secret", "Ancien programme", "Retiré", "Pas encore membre"}


def listed(client, query: str = "", **params) -> dict:
    response = client.get(f"/hsds/service_at_locations?{query}", query_string=params or None)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json


def places(body: dict) -> list[tuple[str, str]]:
    """(service name, city) of each item: a location is named after its branch, which the
    fixtures name "<organisation> <city>"."""
    return [
        (item["service"]["name"], item["location"]["name"].rsplit(" ", 1)[-1])
        for item in body["contents"]
    ]


def cities(body: dict) -> set[str]:
    return {city for _, city in places(body)}


def assert_one_to_one(item: dict) -> None:
    """A list item holds its objects' one-to-one fields only: no arrays anywhere."""
    for key, value in item.items():
        assert not isinstance(value, list), key
        if isinstance(value, dict):
            assert_one_to_one(value)


def test_api_info_lists_the_endpoint(client):
    info = client.get("/hsds/").json
    assert info["service_at_locations_url"].endswith("/hsds/service_at_locations")


def test_list_is_every_published_programme_at_each_of_its_places(client, directory):
    body = listed(client, per_page=100)
    # The compiled list schema is not in the shared copy: the items validate against the full
    # `service_at_location.json` and carry one-to-one fields only.
    assert_page(body, "service_at_location")
    for item in body["contents"]:
        assert_one_to_one(item)
        assert_valid("service_list", item["service"])
        assert item["service_id"] == item["service"]["id"]
        assert "addresses" not in item["location"]
    names = {(item["service"]["name"], item["location"]["name"]) for item in body["contents"]}
    assert names == {
        ("Mentorat emploi", "Duo for a Job Molenbeek-Saint-Jean"),
        ("Mentorat emploi", "Duo for a Job Bruxelles"),
        ("Réussir à l'école", "Duo for a Job Antwerpen"),
        ("Taalcoach Gent", "De Brug Gent"),
        ("Coaching numérique", "De Brug Liège"),
    }
    assert not HIDDEN & {name for name, _ in names}
    assert body["total_items"] == 5 and len({item["id"] for item in body["contents"]}) == 5


def test_each_item_is_a_fully_nested_service_at_location(client, directory):
    listing = listed(client, per_page=100)["contents"]
    nested = {}
    for programme in directory["programmes"].values():
        if programme.titles.get("fr") not in HIDDEN:
            service = client.get(f"/hsds/services/{programme.uuid}").json
            nested.update({sal["id"]: sal for sal in service["service_at_locations"]})
    assert set(nested) == {item["id"] for item in listing}
    for item in listing:
        response = client.get(f"/hsds/service_at_locations/{item['id']}?lang=nl")
        assert response.status_code == 200
        document = response.json
        assert_valid("service_at_location", document)
        assert (document["id"], document["service_id"], document["location_id"]) == (
            item["id"],
            item["service_id"],
            nested[item["id"]]["location_id"],
        )
        assert document["location"] == nested[item["id"]]["location"]
        assert document["location"]["addresses"][0]["postal_code"]
        assert document["service"]["id"] == item["service_id"]
        assert "service_at_locations" not in document["service"]
    taal = directory["programmes"]["taal"]
    taal_id = service_at_location_id(taal, taal.locations[0])
    document = client.get(f"/hsds/service_at_locations/{taal_id}?lang=en").json
    assert document["service"]["phones"][0]["number"] == "+32 9 123 45 67"
    assert {a["taxonomy_term"]["code"] for a in document["service"]["attributes"]} >= {
        "language",
        "newcomers",
    }
    assert {lang["code"] for lang in document["service"]["languages"]} == {"nl", "ar"}


def test_texts_in_the_requested_language(client, directory):
    school = directory["programmes"]["school"]
    sal_id = service_at_location_id(school, school.locations[0])
    for lang, name in (("nl", "Slagen op school"), ("en", "Succeed at school")):
        document = client.get(f"/hsds/service_at_locations/{sal_id}?lang={lang}").json
        assert document["service"]["name"] == name
        assert [
            item["service"]["name"]
            for item in listed(client, lang=lang, search="school")["contents"]
        ] == [name]


def test_full_and_ndjson_give_fully_nested_items(client, directory):
    full = listed(client, full="true", per_page=100)
    assert_page(full, "service_at_location")
    assert all(item["location"]["addresses"] for item in full["contents"])
    response = client.get("/hsds/service_at_locations?format=ndjson&per_page=1")
    assert response.mimetype == "application/x-ndjson"
    lines = [json.loads(line) for line in response.get_data(as_text=True).splitlines() if line]
    assert len(lines) == 5
    for line in lines:
        assert_valid("service_at_location", line)
        assert line["service"]["languages"]


def test_paging(client, directory):
    first, second, third = (listed(client, per_page=2, page=n) for n in (1, 2, 3))
    assert [(p["size"], p["first_page"], p["last_page"]) for p in (first, second, third)] == [
        (2, True, False),
        (2, False, False),
        (1, False, True),
    ]
    assert first["total_pages"] == 3 and first["total_items"] == 5
    ids = [item["id"] for page in (first, second, third) for item in page["contents"]]
    assert len(set(ids)) == 5
    assert listed(client, per_page=2, page=4)["empty"] is True
    assert listed(client, per_page=100_000)["size"] == 5  # capped, not refused


def test_filters(client, directory, make_programme):
    duo, brug = directory["orgs"]["duo"], directory["orgs"]["brug"]
    assert cities(listed(client, organization_id=str(brug.uuid))) == {"Gent", "Liège"}
    by_term = listed(client, taxonomy_term_id=str(term_uuid("theme", "education")))
    assert places(by_term) == [("Réussir à l'école", "Antwerpen")]
    searched = listed(client, search="numérique")
    assert places(searched) == [("Coaching numérique", "Liège")]
    assert listed(client, search="duo for")["total_items"] == 3
    tomorrow = (utcnow() + timedelta(days=1)).isoformat()
    assert listed(client, modified_after=tomorrow)["empty"] is True
    assert listed(client, modified_after="2020-01-01")["total_items"] == 5
    # taxonomy_id: services with any term of that taxonomy
    make_programme(
        duo, titles={"fr": "Sans public cible"}, audiences=[], places=(("9000", "Gent"),)
    )
    audiences = str(taxonomy_uuid("audience"))
    assert listed(client)["total_items"] == 6
    assert listed(client, taxonomy_id=audiences)["total_items"] == 5
    services = client.get(f"/hsds/services?taxonomy_id={audiences}&per_page=100").json
    assert "Sans public cible" not in {s["name"] for s in services["contents"]}
    assert services["total_items"] == 4


def test_postcode_and_proximity(client, directory):
    # a postcode alone: the places in that postcode area
    assert places(listed(client, postcode="1080")) == [("Mentorat emploi", "Molenbeek-Saint-Jean")]
    assert listed(client, postcode="B-1000")["total_items"] == 1
    assert listed(client, postcode="3000")["empty"] is True
    # with proximity (metres): within that distance of the postcode's centre, nearest first
    near = listed(client, postcode="1080", proximity="10000")
    assert places(near) == [
        ("Mentorat emploi", "Molenbeek-Saint-Jean"),
        ("Mentorat emploi", "Bruxelles"),
    ]
    assert_page(near, "service_at_location")
    wide = listed(client, postcode="9000", proximity="200000", per_page=100)
    assert [city for _, city in places(wide)][:1] == ["Gent"]
    assert cities(wide) == {"Gent", "Molenbeek-Saint-Jean", "Bruxelles", "Antwerpen", "Liège"}
    paged = [
        listed(client, postcode="9000", proximity="200000", per_page=2, page=n) for n in (1, 2, 3)
    ]
    assert [item["id"] for p in paged for item in p["contents"]] == [
        item["id"] for item in wide["contents"]
    ]
    assert paged[0]["total_items"] == 5 and paged[2]["last_page"] is True
    response = client.get("/hsds/service_at_locations?postcode=1080&proximity=10000&format=ndjson")
    lines = [json.loads(line) for line in response.get_data(as_text=True).splitlines() if line]
    assert [line["id"] for line in lines] == [item["id"] for item in near["contents"]]
    # another country's postcode
    assert listed(client, postcode="59000", country="FR", proximity="150000")["total_items"] >= 1


def test_stored_coordinates_come_before_the_postcodes(client, directory, db):
    jobs = directory["programmes"]["jobs"]
    brussels = next(p for p in jobs.locations if p.postcode == "1000")
    brussels.latitude, brussels.longitude = 51.05, 3.72  # (wrongly) in Gent
    db.session.flush()
    near_gent = listed(client, postcode="9000", proximity="5000")
    assert sorted(places(near_gent)) == [
        ("Mentorat emploi", "Bruxelles"),
        ("Taalcoach Gent", "Gent"),
    ]


def test_ids_are_stable_while_the_place_stays(client, directory, db):
    taal = directory["programmes"]["taal"]
    gent_id = str(service_at_location_id(taal, taal.locations[0]))
    assert client.get(f"/hsds/service_at_locations/{gent_id}").status_code == 200
    # An edit replaces every location row (coalition.programmes.services): same place, same id.
    taal.locations = [
        ProgrammeLocation(postcode="1000", city="Bruxelles"),
        ProgrammeLocation(postcode="9000", city="Gent"),
    ]
    db.session.flush()
    service = client.get(f"/hsds/services/{taal.uuid}").json
    assert gent_id in {sal["id"] for sal in service["service_at_locations"]}
    document = client.get(f"/hsds/service_at_locations/{gent_id}").json
    assert document["location"]["addresses"][0]["city"] == "Gent"
    assert_valid("service_at_location", document)


def test_a_second_location_at_the_same_postcode_is_listed_once(client, directory, db):
    taal = directory["programmes"]["taal"]
    taal.locations.append(ProgrammeLocation(postcode="9000", city="Gent"))
    db.session.flush()
    in_gent = listed(client, postcode="9000")
    assert in_gent["total_items"] == 1
    service = client.get(f"/hsds/services/{taal.uuid}").json
    assert [sal["id"] for sal in service["service_at_locations"]] == [in_gent["contents"][0]["id"]]


def test_unknown_and_hidden_ids_are_404(client, directory):
    jobs = directory["programmes"]["jobs"]
    real = service_at_location_id(jobs, jobs.locations[0])
    same_programme_prefix = uuid.UUID(bytes=real.bytes[:6] + bytes(10))
    for sal_id in (uuid.uuid4(), same_programme_prefix, jobs.uuid, "not-a-uuid"):
        response = client.get(f"/hsds/service_at_locations/{sal_id}")
        assert response.status_code == 404
        assert response.mimetype == "application/problem+json"
    for key in ("draft", "archived", "unpublished", "pending"):
        hidden = directory["programmes"][key]
        sal_id = service_at_location_id(hidden, hidden.locations[0])
        assert client.get(f"/hsds/service_at_locations/{sal_id}").status_code == 404
    # the hidden programmes are all in Molenbeek: none shows up near it either
    near = listed(client, postcode="1080", proximity="1000", per_page=100)
    assert not HIDDEN & {name for name, _ in places(near)}


def test_a_suspended_members_places_leave_the_feed(client, directory, make_user):
    brug = directory["orgs"]["brug"]
    taal = directory["programmes"]["taal"]
    sal_id = service_at_location_id(taal, taal.locations[0])
    assert client.get(f"/hsds/service_at_locations/{sal_id}").status_code == 200
    suspend_organisation(brug, make_user(coalition_admin=True), reason="inactive")
    assert client.get(f"/hsds/service_at_locations/{sal_id}").status_code == 404
    assert cities(listed(client, per_page=100)) == {
        "Molenbeek-Saint-Jean",
        "Bruxelles",
        "Antwerpen",
    }
    assert listed(client, postcode="9000", proximity="20000")["empty"] is True
    assert listed(client, organization_id=str(brug.uuid))["empty"] is True


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=abc",
        "per_page=0",
        "per_page=-3",
        "format=xml",
        "full=perhaps",
        "modified_after=yesterday",
        "organization_id=not-a-uuid",
        "taxonomy_term_id=123",
        "taxonomy_term_id=0b8f5a1e-4c2d-4f3a-9e7b-6d5c4b3a2f10",  # ids fixed at collection:
        "taxonomy_id=5e2a7c91-3b4d-4e6f-8a1b-2c3d4e5f6a70",  # pytest-xdist compares them
        "taxonomy_id=themes",
        "lang=de",
        "search=" + "x" * 5000,
        "postcode=9999",
        "postcode=" + "1" * 20,
        "postcode=1000&country=DE",
        "proximity=5000",
        "postcode=1000&proximity=abc",
        "postcode=1000&proximity=0",
        "postcode=1000&proximity=-10",
        "postcode=1000&proximity=nan",
        "postcode=1000&proximity=inf",
        "postcode=1000&proximity=600000",
    ],
)
def test_bad_parameters_are_a_problem(client, directory, query):
    response = client.get(f"/hsds/service_at_locations?{query}")
    assert response.status_code == 400, query
    assert response.mimetype == "application/problem+json"
    assert response.json["errors"][0]["pointer"].startswith("/")
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_bad_parameters_of_the_new_items(client, directory):
    jobs = directory["programmes"]["jobs"]
    for path in (
        f"/hsds/service_at_locations/{service_at_location_id(jobs, jobs.locations[0])}",
        f"/hsds/taxonomies/{taxonomy_uuid('theme')}",
        f"/hsds/taxonomy_terms/{term_uuid('theme', 'employment')}",
    ):
        assert client.get(path).status_code == 200
        response = client.get(f"{path}?lang=de")
        assert response.status_code == 400
        assert response.json["errors"][0]["pointer"] == "/lang"


def test_taxonomy_and_term_by_id(client):
    listing = client.get("/hsds/taxonomies").json["contents"]
    for item in listing:
        response = client.get(f"/hsds/taxonomies/{item['id']}")
        assert response.status_code == 200
        assert response.json == item
        assert_valid("taxonomy", response.json)
    themes = client.get(f"/hsds/taxonomies/{taxonomy_uuid('theme')}?lang=nl").json
    assert themes["name"] == client.get("/hsds/taxonomies?lang=nl").json["contents"][0]["name"]
    term = client.get(f"/hsds/taxonomy_terms/{term_uuid('theme', 'employment')}?lang=nl")
    assert term.status_code == 200
    assert_valid("taxonomy_term", term.json)
    assert (term.json["code"], term.json["name"], term.json["taxonomy"]) == (
        "employment",
        "Werk",
        "theme",
    )
    terms = client.get("/hsds/taxonomy_terms?per_page=100&lang=nl").json["contents"]
    assert term.json in terms
    for path in ("taxonomies", "taxonomy_terms"):
        other_kind = (
            term_uuid("theme", "employment") if path == "taxonomies" else taxonomy_uuid("theme")
        )
        for unknown in (uuid.uuid4(), "x", other_kind):
            response = client.get(f"/hsds/{path}/{unknown}")
            assert response.status_code == 404, (path, unknown)
            assert response.mimetype == "application/problem+json"
