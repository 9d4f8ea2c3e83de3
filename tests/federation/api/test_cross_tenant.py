"""The cross-tenant matrix, generated from the OpenAPI document.

Every operation on a path with a parameter is called with another organisation's token
(holding every scope) and the first organisation's ids: it must answer 404 exactly like
a missing object, and change nothing of the first organisation's. The exceptions name the
caller's own objects by the caller's own ids: `PUT`, an upsert, creates the caller's own
programme (201); the erasure of a referral subject erases the caller's own referrals about
the person it calls so (none here: 204). Both leave the other organisation's untouched.
"""

from __future__ import annotations

import re

from sqlalchemy import func, select

from coalition.audit.models import AuditLogEntry
from coalition.programmes.models import Programme
from coalition.programmes.schemas import ProgrammeSchema
from federation.events.models import Event
from federation.referrals.models import Referral
from tests.federation.api_helpers import API, programme_body
from tests.federation.referrals.conftest import make_programme, referral_body

ALL_SCOPES = "programmes:write referrals:read referrals:write reports:write events:read"
#: the owner's value for each path parameter; a new parameter needs an entry here (the
#: owner's referral id is known once it is sent)
OWNER_IDS = {"external_id": "owned-1", "subject_ref": "case-2026-0042"}
#: the same parameters naming nothing at all
MISSING_IDS = {
    "external_id": "never-existed",
    "subject_ref": "never-existed",
    "referral_id": "6f0c5c8e-0000-4000-8000-000000000000",
}
#: a valid body per request schema, so that only the ownership can refuse the call
BODIES = {
    "#/components/schemas/Programme": programme_body,
    "#/components/schemas/Transition": lambda: {"status": "accepted"},
}
#: operations on the caller's own objects, named by the caller's own ids, and their answer
OWN_IDS = {
    ("put", "/programmes/{external_id}"): 201,
    ("delete", "/referral-subjects/{subject_ref}"): 204,
}


def _snapshot(db, owner) -> dict:
    programmes = (
        db.session.execute(
            select(Programme).where(Programme.organisation_id == owner.id).order_by(Programme.id)
        )
        .scalars()
        .all()
    )
    referrals = db.session.execute(
        select(Referral.id, Referral.status, Referral.note).where(
            (Referral.receiver_id == owner.id) | (Referral.sender_id == owner.id)
        )
    ).all()
    return {
        "programmes": [ProgrammeSchema().dump(p) for p in programmes],
        "referrals": referrals,
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
    # the owner received a referral from a third member, and sent one to it
    third = make_org("Third")
    third_headers = bearer(third, ALL_SCOPES)
    received = client.post(
        f"{API}/referrals", json=referral_body(make_programme(db, owner)), headers=third_headers
    )
    sent = client.post(
        f"{API}/referrals", json=referral_body(make_programme(db, third)), headers=owner_headers
    )
    assert received.status_code == sent.status_code == 201
    owner_ids = dict(OWNER_IDS, referral_id=received.json["id"])
    document = client.get(f"{API}/openapi.json").json
    before = _snapshot(db, owner)

    checked = []
    for path, item in document["paths"].items():
        names = re.findall(r"{(\w+)}", path)
        if not names:
            continue
        url = API + path.format(**{name: owner_ids[name] for name in names})
        missing = API + path.format(**{name: MISSING_IDS[name] for name in names})
        for method, operation in item.items():
            if method not in {"get", "put", "post", "patch", "delete"}:
                continue
            body = None
            if "requestBody" in operation:
                ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                body = BODIES[ref]()
            response = client.open(url, method=method.upper(), json=body, headers=intruder_headers)
            expected = OWN_IDS.get((method, path), 404)
            assert response.status_code == expected, (method, path, response.json)
            if expected == 404:
                assert response.mimetype == "application/problem+json"
                assert (
                    response.json["detail"]
                    == client.open(
                        missing,
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
        ("get", "/referrals/{referral_id}"),
        ("post", "/referrals/{referral_id}/transitions"),
        ("delete", "/referral-subjects/{subject_ref}"),
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
    # +1 per 404: the calls naming nothing
    not_found = [c for c in checked if c not in OWN_IDS]
    assert audited.count(intruder.id) == len(checked) + len(not_found)
