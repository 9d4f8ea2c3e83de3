"""The Open Referral HSDS 3.0 feed: every document validates against the official schemas."""

from __future__ import annotations

import gzip
import json
import uuid
from datetime import timedelta
from functools import cache
from pathlib import Path

import jsonschema
import pytest

from coalition.database import utcnow
from coalition.taxonomy import term_uuid

REPO_ROOT = Path(__file__).resolve().parents[2]
VENDORED = Path(__file__).parent / "hsds-3.0"
SHARED = REPO_ROOT.parent / "shared" / "hsds-3.0"
SCHEMA_FILES = (
    "service.json",
    "organization.json",
    "service_list.json",
    "organization_list.json",
    "service_with_definitions.json",
    "service_at_location.json",
)


@cache
def schema(name: str) -> dict:
    """An official HSDS schema, from the copy vendored in the repository."""
    with gzip.open(VENDORED / f"{name}.gz", "rb") as raw:
        return json.load(raw)


@cache
def validator(name: str) -> jsonschema.protocols.Validator:
    if name in ("taxonomy", "taxonomy_term"):
        full = schema("service_with_definitions.json")
        document = {"$ref": f"#/definitions/{name}", "definitions": full["definitions"]}
    else:
        document = schema(f"{name}.json")
    cls = jsonschema.validators.validator_for(document, default=jsonschema.Draft202012Validator)
    return cls(document, format_checker=cls.FORMAT_CHECKER)


def assert_valid(name: str, document: dict) -> None:
    errors = sorted(validator(name).iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def assert_page(body: dict, item_schema: str) -> None:
    for key in (
        "total_items",
        "total_pages",
        "page_number",
        "size",
        "first_page",
        "last_page",
        "empty",
        "contents",
    ):
        assert key in body
    assert body["size"] == len(body["contents"])
    for item in body["contents"]:
        assert_valid(item_schema, item)


@pytest.mark.skipif(not SHARED.exists(), reason="no shared copy beside the repository")
def test_the_vendored_schemas_are_the_official_ones():
    for name in SCHEMA_FILES:
        with gzip.open(VENDORED / f"{name}.gz", "rb") as raw:
            assert raw.read() == (SHARED / name).read_bytes(), name


def test_api_info_and_open_cors(client):
    response = client.get("/hsds/")
    assert response.status_code == 200
    assert response.json["version"] == "3.0"
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_services_are_the_published_programmes_of_members(client, directory):
    response = client.get("/hsds/services?per_page=100")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    body = response.json
    assert_page(body, "service_list")
    names = {s["name"] for s in body["contents"]}
    assert {"Mentorat emploi", "Réussir à l'école", "Taalcoach Gent", "Coaching numérique"} <= names
    for hidden in ("Brouillon secret", "Ancien programme", "Retiré", "Pas encore membre"):
        assert hidden not in names
    assert body["total_items"] == 4 and body["empty"] is False


def test_every_full_service_and_organization_validates(client, directory):
    for programme in directory["programmes"].values():
        response = client.get(f"/hsds/services/{programme.uuid}?lang=nl")
        if programme.titles.get("fr") in (
            "Brouillon secret",
            "Ancien programme",
            "Retiré",
            "Pas encore membre",
        ):
            assert response.status_code == 404
            continue
        assert response.status_code == 200
        assert_valid("service", response.json)
    taal = client.get(f"/hsds/services/{directory['programmes']['taal'].uuid}").json
    assert taal["id"] == str(directory["programmes"]["taal"].uuid)
    assert taal["service_at_locations"][0]["location"]["addresses"][0]["city"] == "Gent"
    assert taal["service_at_locations"][0]["location"]["addresses"][0]["state_province"]
    assert {a["taxonomy_term"]["code"] for a in taal["attributes"]} >= {"language", "newcomers"}
    assert taal["phones"][0]["number"] == "+32 9 123 45 67"
    for org in directory["orgs"].values():
        response = client.get(f"/hsds/organizations/{org.uuid}")
        if org.admitted_at is None:
            assert response.status_code == 404
            continue
        assert response.status_code == 200
        assert_valid("organization", response.json)
    listing = client.get("/hsds/organizations").json
    assert_page(listing, "organization_list")
    assert "Not Yet Member" not in {o["name"] for o in listing["contents"]}


def test_services_in_the_requested_language(client, directory):
    school = directory["programmes"]["school"]
    assert client.get(f"/hsds/services/{school.uuid}?lang=nl").json["name"] == "Slagen op school"
    assert client.get(f"/hsds/services/{school.uuid}?lang=en").json["name"] == "Succeed at school"
    taal = directory["programmes"]["taal"]
    assert client.get(f"/hsds/services/{taal.uuid}?lang=fr").json["name"] == "Taalcoach Gent"


def test_filters(client, directory):
    duo, brug = directory["orgs"]["duo"], directory["orgs"]["brug"]
    by_org = client.get(f"/hsds/services?organization_id={brug.uuid}").json
    assert {s["name"] for s in by_org["contents"]} == {"Taalcoach Gent", "Coaching numérique"}
    by_term = client.get(f"/hsds/services?taxonomy_term_id={term_uuid('theme', 'education')}").json
    assert [s["name"] for s in by_term["contents"]] == ["Réussir à l'école"]
    searched = client.get("/hsds/services?search=numérique").json
    assert [s["name"] for s in searched["contents"]] == ["Coaching numérique"]
    by_org_name = client.get("/hsds/services?search=duo for").json
    assert by_org_name["total_items"] == 2 and duo.name
    tomorrow = (utcnow() + timedelta(days=1)).isoformat()
    assert (
        client.get("/hsds/services", query_string={"modified_after": tomorrow}).json["empty"]
        is True
    )
    assert client.get("/hsds/services?modified_after=2020-01-01").json["total_items"] == 4


def test_paging_and_minimal(client, directory):
    first = client.get("/hsds/services?per_page=3").json
    assert (first["size"], first["total_pages"], first["first_page"], first["last_page"]) == (
        3,
        2,
        True,
        False,
    )
    second = client.get("/hsds/services?per_page=3&page=2").json
    assert (second["size"], second["last_page"]) == (1, True)
    assert not {s["id"] for s in first["contents"]} & {s["id"] for s in second["contents"]}
    capped = client.get("/hsds/services?per_page=100000")
    assert capped.status_code == 200
    minimal = client.get("/hsds/services?minimal=true").json
    for item in minimal["contents"]:
        assert set(item) <= {"id", "name", "status", "last_modified"}
        assert_valid("service_list", item)


def test_ndjson_streams_every_service_line_by_line(client, directory):
    response = client.get("/hsds/services?format=ndjson&per_page=1")
    assert response.status_code == 200
    assert response.mimetype == "application/x-ndjson"
    lines = [line for line in response.get_data(as_text=True).split("\n") if line]
    assert len(lines) == 4
    for line in lines:
        assert_valid("service", json.loads(line))


def test_taxonomies_and_terms(client):
    taxonomies = client.get("/hsds/taxonomies").json
    for item in taxonomies["contents"]:
        assert_valid("taxonomy", item)
    terms = client.get("/hsds/taxonomy_terms?per_page=100&lang=nl").json
    assert_page(terms, "taxonomy_term")
    codes = {t["code"]: t for t in terms["contents"]}
    assert codes["employment"]["id"] == str(term_uuid("theme", "employment"))
    assert codes["employment"]["name"] == "Werk"
    theme_id = codes["employment"]["taxonomy_id"]
    only_themes = client.get(f"/hsds/taxonomy_terms?taxonomy_id={theme_id}&per_page=100").json
    assert {t["taxonomy"] for t in only_themes["contents"]} == {"theme"}


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=-1",
        "page=abc",
        "per_page=0",
        "format=xml",
        "minimal=perhaps",
        "modified_after=yesterday",
        "organization_id=not-a-uuid",
        "taxonomy_term_id=123",
        "taxonomy_term_id=0b8f5a1e-4c2d-4f3a-9e7b-6d5c4b3a2f10",  # fixed: pytest-xdist compares ids
        "lang=de",
        "search=" + "x" * 5000,
    ],
)
def test_bad_parameters_are_a_problem(client, query):
    response = client.get(f"/hsds/services?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.json["errors"][0]["pointer"].startswith("/")
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_unknown_ids_are_404(client, directory):
    assert client.get(f"/hsds/services/{uuid.uuid4()}").status_code == 404
    assert client.get("/hsds/services/not-a-uuid").status_code == 404
    assert client.get(f"/hsds/organizations/{uuid.uuid4()}").status_code == 404
    response = client.get("/hsds/organizations/x")
    assert response.mimetype == "application/problem+json"


def test_organizations_as_ndjson(client, directory):
    response = client.get("/hsds/organizations?format=ndjson&lang=nl")
    assert response.mimetype == "application/x-ndjson"
    lines = [json.loads(line) for line in response.get_data(as_text=True).splitlines() if line]
    names = {line["name"] for line in lines}
    assert {"Duo for a Job", "De Brug"} <= names and "Not Yet Member" not in names
    for line in lines:
        assert_valid("organization_list", line)
