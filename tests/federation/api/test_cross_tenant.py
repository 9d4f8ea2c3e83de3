"""The cross-tenant matrix, generated from the OpenAPI document.

Every operation on a path with a parameter is called with another organisation's token
(holding every scope) and the first organisation's ids: it must answer 404 exactly like
a missing object, and change nothing of the first organisation's. The one exception is
`PUT`, an upsert by the caller's own id: it creates the caller's own programme (201) and
still leaves the other organisation's untouched.
"""

from __future__ import annotations

import re

from sqlalchemy import func, select

from coalition.audit.models import AuditLogEntry
from coalition.programmes.models import Programme
from coalition.programmes.schemas import ProgrammeSchema
from federation.events.models import Event
from tests.federation.api_helpers import API, programme_body

ALL_SCOPES = "programmes:write referrals:read referrals:write reports:write events:read"
#: the owner's value for each path parameter; a new parameter needs an entry here
OWNER_IDS = {"external_id": "owned-1"}
#: a valid body per request schema, so that only the ownership can refuse the call
BODIES = {"#/components/schemas/Programme": programme_body}
#: operations that create the caller's own object instead of reaching the owner's
UPSERTS = {("put", "/programmes/{external_id}")}


def _snapshot(db, owner) -> dict:
    programmes = (
        db.session.execute(
            select(Programme).where(Programme.organisation_id == owner.id).order_by(Programme.id)
        )
        .scalars()
        .all()
    )
    return {
        "programmes": [ProgrammeSchema().dump(p) for p in programmes],
        "events": db.session.scalar(
            select(func.count()).select_from(Event).where(Event.organisation_id == owner.id)
        ),
    }


def test_every_path_with_an_id_is_404_for_another_organisation(client, db, make_org, bearer):
    owner, intruder = make_org("Owner"), make_org("Intruder")
    owner_headers = bearer(owner, ALL_SCOPES)
    intruder_headers = bearer(intruder, ALL_SCOPES)
    db.session.commit()
    assert (
        client.put(
            f"{API}/programmes/owned-1", json=programme_body(), headers=owner_headers
        ).status_code
        == 201
    )
    document = client.get(f"{API}/openapi.json").json
    before = _snapshot(db, owner)

    checked = []
    for path, item in document["paths"].items():
        names = re.findall(r"{(\w+)}", path)
        if not names:
            continue
        url = API + path.format(**{name: OWNER_IDS[name] for name in names})
        for method, operation in item.items():
            if method not in {"get", "put", "post", "patch", "delete"}:
                continue
            body = None
            if "requestBody" in operation:
                ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                body = BODIES[ref]()
            response = client.open(url, method=method.upper(), json=body, headers=intruder_headers)
            expected = 201 if (method, path) in UPSERTS else 404
            assert response.status_code == expected, (method, path, response.json)
            if expected == 404:
                assert response.mimetype == "application/problem+json"
                assert (
                    response.json["detail"]
                    == client.open(
                        url.replace("owned-1", "never-existed"),
                        method=method.upper(),
                        json=body,
                        headers=intruder_headers,
                    ).json["detail"]
                ), "404 must not differ from missing"
            checked.append((method, path))
            assert _snapshot(db, owner) == before, (method, path)

    assert {
        ("get", "/programmes/{external_id}"),
        ("delete", "/programmes/{external_id}"),
        ("put", "/programmes/{external_id}"),
    } <= set(checked)
    # The upsert created the intruder's own programme, not a change to the owner's.
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(Programme)
            .where(Programme.organisation_id == intruder.id)
        )
        == 1
    )
    # And the intruder's calls were audited under its own organisation.
    audited = (
        db.session.execute(
            select(AuditLogEntry.organisation_id).where(AuditLogEntry.action == "api.call")
        )
        .scalars()
        .all()
    )
    assert audited.count(intruder.id) == len(checked) + 2  # +2: the "never-existed" calls
