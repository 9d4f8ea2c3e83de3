"""A member system says what its programme asks of mentors: `mentor_needs` in the body."""

from __future__ import annotations

from sqlalchemy import func, select

from coalition.branches.models import Branch
from coalition.outbox import OutboxEntry
from coalition.programmes.models import Programme
from tests.coalition._mentors import needs
from tests.federation.api_helpers import API, programme_body


def _org_with_branch(make_org, db):
    org = make_org()
    db.session.add(
        Branch(organisation_id=org.id, name="Molenbeek", postcode="1080", city="Molenbeek")
    )
    db.session.flush()
    return org


def test_put_sets_reads_keeps_and_clears_the_mentor_needs(client, db, make_org, bearer):
    headers = bearer(_org_with_branch(make_org, db), "programmes:write")
    url = f"{API}/programmes/crm-mentors"
    created = client.put(url, json=programme_body(mentor_needs=needs()), headers=headers)
    assert created.status_code == 201, created.json
    assert created.json["mentor_needs"]["training"] == {"hours": 12, "format": "mixed"}
    assert created.json["mentor_needs"]["locations"][0]["postcode"] == "1080"
    # A body without the field (a system that does not know it yet) leaves it as it is.
    kept = client.put(url, json=programme_body(), headers=headers)
    assert kept.json["mentor_needs"] == created.json["mentor_needs"]
    assert client.get(url, headers=headers).json["mentor_needs"]["mentors_needed"] == 8
    cleared = client.put(url, json=programme_body(mentor_needs=None), headers=headers)
    assert cleared.status_code == 200 and cleared.json["mentor_needs"] is None


def test_wrong_needs_are_a_problem_with_pointers(client, db, make_org, bearer):
    headers = bearer(_org_with_branch(make_org, db), "programmes:write")
    response = client.put(
        f"{API}/programmes/crm-mentors",
        json=programme_body(
            mentor_needs=needs(hours_per_week=99, training={"hours": 2}, shoe_size=44)
        ),
        headers={**headers, "Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    pointers = {e["pointer"] for e in response.json["errors"]}
    assert pointers == {
        "/mentor_needs/hours_per_week",
        "/mentor_needs/training/format",
        "/mentor_needs/shoe_size",
    }


def test_the_openapi_document_describes_the_mentor_needs(client, db):
    schemas = client.get(f"{API}/openapi.json").json["components"]["schemas"]
    field = schemas["Programme"]["properties"]["mentor_needs"]
    assert {"$ref": "#/components/schemas/MentorNeeds"} in field["anyOf"]
    needs_schema = schemas["MentorNeeds"]
    assert needs_schema["additionalProperties"] is False
    assert needs_schema["properties"]["hours_per_week"]["maximum"] == 40
    assert "mixed" in schemas["MentorTraining"]["properties"]["format"]["enum"]
    assert "hr" in needs_schema["properties"]["experience_fields"]["items"]["enum"]


def test_the_same_needs_again_change_nothing(client, db, make_org, bearer):
    headers = bearer(_org_with_branch(make_org, db), "programmes:write")
    url = f"{API}/programmes/crm-same"
    client.put(url, json=programme_body(mentor_needs=needs()), headers=headers)
    programme = db.session.scalar(select(Programme).where(Programme.external_id == "crm-same"))
    stamp, rows = programme.updated_at, db.session.scalar(select(func.count(OutboxEntry.id)))
    again = client.put(url, json=programme_body(mentor_needs=needs()), headers=headers)
    assert again.status_code == 200
    db.session.refresh(programme)
    assert programme.updated_at == stamp
    assert db.session.scalar(select(func.count(OutboxEntry.id))) == rows
