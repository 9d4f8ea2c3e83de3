"""`Idempotency-Key` on POST: replay, conflict, scope per client, expiry."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select

from coalition.branches.models import Branch
from coalition.database import utcnow
from coalition.impact.models import ImpactReport
from federation.api.jobs import purge_expired
from federation.api.models import IdempotencyRecord
from federation.events.models import Event
from tests.federation.api_helpers import API, report_body


def _setup(db, make_org, bearer):
    org = make_org()
    branch = Branch(organisation_id=org.id, name="Gent", postcode="9000", city="Gent")
    db.session.add(branch)
    db.session.flush()
    return org, branch


def _count(db, model, org):
    return db.session.scalar(
        select(func.count()).select_from(model).where(model.organisation_id == org.id)
    )


def test_same_key_and_body_replays_the_first_answer(client, db, make_org, bearer):
    org, branch = _setup(db, make_org, bearer)
    headers = {**bearer(org, "reports:write"), "Idempotency-Key": "sync-2025-q1-gent"}
    first = client.post(f"{API}/reports", json=report_body(branch.id), headers=headers)
    assert first.status_code == 201
    # The same body, keys in another order: the same request.
    reordered = json.dumps(dict(reversed(list(report_body(branch.id).items()))))
    replay = client.post(
        f"{API}/reports", data=reordered, content_type="application/json", headers=headers
    )
    assert replay.status_code == 201
    assert replay.json == first.json
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert _count(db, ImpactReport, org) == 1
    # Without replay protection a second POST would have said "replaced" and added an event.
    assert _count(db, Event, org) == 1


def test_same_key_with_another_body_is_422(client, db, make_org, bearer):
    org, branch = _setup(db, make_org, bearer)
    headers = {**bearer(org, "reports:write"), "Idempotency-Key": "k1"}
    assert (
        client.post(f"{API}/reports", json=report_body(branch.id), headers=headers).status_code
        == 201
    )
    other = client.post(
        f"{API}/reports", json=report_body(branch.id, mentors_trained=99), headers=headers
    )
    assert other.status_code == 422
    assert other.mimetype == "application/problem+json"
    assert (
        db.session.execute(
            select(ImpactReport.mentors_trained).where(ImpactReport.organisation_id == org.id)
        ).scalar_one()
        == 12
    )


def test_keys_are_scoped_per_client(client, db, make_org, bearer):
    org, branch = _setup(db, make_org, bearer)
    one = {**bearer(org, "reports:write"), "Idempotency-Key": "shared"}
    two = {**bearer(org, "reports:write"), "Idempotency-Key": "shared"}
    first = client.post(f"{API}/reports", json=report_body(branch.id), headers=one)
    assert first.status_code == 201
    second = client.post(f"{API}/reports", json=report_body(branch.id), headers=two)
    assert second.status_code == 200  # acted on: the second client's own first use of the key
    assert second.json["replaced"] is True


def test_a_refused_request_is_replayed_too_and_keys_expire(client, db, make_org, bearer):
    org, branch = _setup(db, make_org, bearer)
    headers = {**bearer(org, "reports:write"), "Idempotency-Key": "bad-one"}
    body = report_body(branch.id, mentors_active=1)
    assert client.post(f"{API}/reports", json=body, headers=headers).status_code == 422
    assert client.post(f"{API}/reports", json=body, headers=headers).status_code == 422
    record = db.session.execute(
        select(IdempotencyRecord).where(IdempotencyRecord.key == "bad-one")
    ).scalar_one()
    assert record.status_code == 422

    record.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert purge_expired() >= 1
    assert (
        db.session.execute(
            select(IdempotencyRecord).where(IdempotencyRecord.key == "bad-one")
        ).first()
        is None
    )
    # After expiry the key is free again: a valid body with it is acted on.
    fresh = client.post(f"{API}/reports", json=report_body(branch.id), headers=headers)
    assert fresh.status_code == 201


def test_a_malformed_key_is_400(client, db, make_org, bearer):
    org, branch = _setup(db, make_org, bearer)
    headers = {**bearer(org, "reports:write"), "Idempotency-Key": "x" * 300}
    assert (
        client.post(f"{API}/reports", json=report_body(branch.id), headers=headers).status_code
        == 400
    )
    assert _count(db, ImpactReport, org) == 0
