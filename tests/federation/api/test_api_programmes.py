"""The programme endpoints of the machine API: upsert, read, list, archive."""

from __future__ import annotations

from sqlalchemy import select

from coalition.audit.models import AuditLogEntry
from coalition.outbox import OutboxEntry
from coalition.programmes.models import Programme, ProgrammeStatus
from federation.events.models import Event
from tests.federation.api_helpers import API, programme_body


def test_put_creates_then_updates_a_programme_with_the_outbox(client, db, make_org, bearer):
    org = make_org("Duo for a Job")
    headers = bearer(org, "programmes:write")

    created = client.put(f"{API}/programmes/crm-42", json=programme_body(), headers=headers)
    assert created.status_code == 201, created.json
    assert created.headers["Location"].endswith("/federation/v1/programmes/crm-42")
    assert created.json["external_id"] == "crm-42"
    assert created.json["title"]["nl"] == "Duo naar werk"
    assert created.json["status"] == "published"
    programme = db.session.execute(
        select(Programme).where(Programme.organisation_id == org.id)
    ).scalar_one()
    assert programme.status == ProgrammeStatus.published
    assert (
        db.session.execute(select(OutboxEntry).where(OutboxEntry.object_id == programme.id))
        .scalars()
        .first()
        is not None
    )

    updated = client.put(
        f"{API}/programmes/crm-42",
        json=programme_body(title={"en": "Duo to work, renewed"}),
        headers=headers,
    )
    assert updated.status_code == 200
    assert updated.json["id"] == created.json["id"]
    assert updated.json["title"] == {"en": "Duo to work, renewed"}

    read = client.get(f"{API}/programmes/crm-42", headers=headers)
    assert read.status_code == 200
    assert read.json["title"] == {"en": "Duo to work, renewed"}


def test_the_same_programme_again_changes_nothing_and_announces_nothing(
    client, db, make_org, bearer
):
    org = make_org()
    headers = bearer(org, "programmes:write")
    created = client.put(f"{API}/programmes/crm-7", json=programme_body(), headers=headers)
    programme = db.session.execute(
        select(Programme).where(Programme.organisation_id == org.id)
    ).scalar_one()
    stamp = programme.updated_at

    def count(model, *where):
        return len(db.session.execute(select(model).where(*where)).scalars().all())

    outbox = count(OutboxEntry, OutboxEntry.object_id == programme.id)
    events = count(Event, Event.organisation_id == org.id)
    again = client.put(f"{API}/programmes/crm-7", json=programme_body(), headers=headers)
    assert again.status_code == 200 and again.json == created.json
    db.session.refresh(programme)
    assert programme.updated_at == stamp
    assert count(OutboxEntry, OutboxEntry.object_id == programme.id) == outbox
    assert count(Event, Event.organisation_id == org.id) == events
    assert count(AuditLogEntry, AuditLogEntry.action == "api.call") == 2  # still audited

    changed = client.put(
        f"{API}/programmes/crm-7",
        json=programme_body(locations=[{"postcode": "9000", "country": "BE"}]),
        headers=headers,
    )
    assert changed.status_code == 200
    assert count(OutboxEntry, OutboxEntry.object_id == programme.id) == outbox + 1
    assert count(Event, Event.organisation_id == org.id) == events + 1


def test_invalid_programme_answers_422_with_pointers_and_creates_nothing(
    client, db, make_org, bearer
):
    org = make_org()
    headers = bearer(org)
    db.session.commit()  # the setup exists before the request (a refused one rolls back)
    body = programme_body(themes=["astrology"], title={})
    body["apply"] = {"url": "https://example.org", "fax": "123"}
    response = client.put(f"{API}/programmes/p1", json=body, headers=headers)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    pointers = {error["pointer"] for error in response.json["errors"]}
    assert {"/themes/0", "/title", "/apply/fax"} <= pointers
    assert (
        db.session.execute(select(Programme).where(Programme.organisation_id == org.id)).first()
        is None
    )


def test_list_is_paginated_and_filters_on_modified_after(client, make_org, bearer):
    org = make_org()
    headers = bearer(org)
    for n in range(3):
        assert (
            client.put(f"{API}/programmes/p{n}", json=programme_body(), headers=headers).status_code
            == 201
        )

    first = client.get(f"{API}/programmes?per_page=2", headers=headers)
    assert first.status_code == 200
    assert first.json["total_items"] == 3
    assert [p["external_id"] for p in first.json["items"]] == ["p0", "p1"]
    assert first.json["prev"] is None
    second = client.get(first.json["next"], headers=headers)
    assert [p["external_id"] for p in second.json["items"]] == ["p2"]
    assert second.json["next"] is None

    last_change = second.json["items"][0]["updated_at"]
    newer = client.get(
        f"{API}/programmes", query_string={"modified_after": last_change}, headers=headers
    )
    assert newer.json["items"] == []
    capped = client.get(f"{API}/programmes?per_page=5000", headers=headers)
    assert capped.status_code == 400
    assert capped.json["errors"][0]["parameter"] == "per_page"


def test_delete_archives_the_programme(client, db, make_org, bearer):
    org = make_org()
    headers = bearer(org)
    client.put(f"{API}/programmes/old", json=programme_body(), headers=headers)
    assert client.delete(f"{API}/programmes/old", headers=headers).status_code == 204
    assert client.get(f"{API}/programmes/old", headers=headers).json["status"] == "archived"
    assert client.delete(f"{API}/programmes/missing", headers=headers).status_code == 404


def test_every_call_is_audited_without_body_or_token(client, db, make_org, bearer):
    org = make_org()
    headers = bearer(org)
    client.put(f"{API}/programmes/a1", json=programme_body(), headers=headers)
    client.get(f"{API}/programmes/nope", headers=headers)
    entries = (
        db.session.execute(
            select(AuditLogEntry)
            .where(AuditLogEntry.action == "api.call", AuditLogEntry.organisation_id == org.id)
            .order_by(AuditLogEntry.id)
        )
        .scalars()
        .all()
    )
    assert [(e.details["route"], e.details["status"]) for e in entries] == [
        ("/federation/v1/programmes/<external_id>", 201),
        ("/federation/v1/programmes/<external_id>", 404),
    ]
    assert all(e.actor_client_id for e in entries)
    token = headers["Authorization"].split()[1]
    for entry in entries:
        assert token not in str(entry.details)
        assert "Duo" not in str(entry.details)


def test_scope_is_required(client, make_org, bearer):
    org = make_org()
    response = client.get(f"{API}/programmes", headers=bearer(org, "events:read"))
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert client.get(f"{API}/programmes").status_code == 401
