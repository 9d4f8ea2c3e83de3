"""The lifecycle (FHIR Task codes): every move from both sides, the records and events it
leaves, expiry, purge, consent withdrawal, and two concurrent moves on PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import delete, select, update

from coalition.database import utcnow
from coalition.extensions import db as _db
from coalition.programmes.models import Programme, ProgrammeStatus
from federation.events.models import Event
from federation.referrals import figures, services
from federation.referrals.models import Referral, ReferralTransition
from federation.referrals.states import TRANSITIONS, Side, Status, TransitionRefused
from tests.federation.referrals.conftest import REFERRALS

#: a reason or outcome that fits each target, so only legality decides
FITTING = {
    Status.rejected: {"reason": "no_capacity"},
    Status.completed: {"outcome": "job"},
    Status.failed: {"outcome": "dropped_out"},
}


def _expected(current: Status, target: Status, side: Side) -> int:
    owner = TRANSITIONS.get((current, target))
    if owner is None:
        return 409
    return 200 if owner is side else 403


def test_every_move_from_both_sides(client, db, pair, send):
    referral_id = send().json["id"]
    referral = db.session.scalar(select(Referral))
    headers = {Side.sender: pair.sender_headers, Side.receiver: pair.receiver_headers}
    seen = {200: 0, 403: 0, 409: 0}
    for current in Status:
        for target in Status:
            for side in (Side.sender, Side.receiver):
                db.session.execute(
                    update(Referral).where(Referral.id == referral.id).values(status=current)
                )
                db.session.flush()
                response = client.post(
                    f"{REFERRALS}/{referral_id}/transitions",
                    json={"status": str(target), **FITTING.get(target, {})},
                    headers=headers[side],
                )
                expected = _expected(current, target, side)
                assert response.status_code == expected, (current, target, side, response.json)
                seen[expected] += 1
                if expected == 200:
                    assert response.json["status"] == str(target)
                else:
                    assert response.mimetype == "application/problem+json"
    assert seen == {200: 16, 403: 16, 409: 96}


def test_a_move_is_recorded_and_told_to_both_sides(client, db, pair, send):
    referral_id = send().json["id"]
    url = f"{REFERRALS}/{referral_id}/transitions"
    for status in ("accepted", "in-progress", "on-hold", "in-progress"):
        assert (
            client.post(url, json={"status": status}, headers=pair.receiver_headers).status_code
            == 200
        )
    done = client.post(
        url, json={"status": "completed", "outcome": "training"}, headers=pair.receiver_headers
    )
    assert done.json["status"] == "completed" and done.json["outcome"] == "training"
    timeline = client.get(f"{REFERRALS}/{referral_id}", headers=pair.sender_headers).json
    steps = [(t["from"], t["to"], t["by"]) for t in timeline["transitions"]]
    assert steps == [
        (None, "requested", "sender"),
        ("requested", "accepted", "receiver"),
        ("accepted", "in-progress", "receiver"),
        ("in-progress", "on-hold", "receiver"),
        ("on-hold", "in-progress", "receiver"),
        ("in-progress", "completed", "receiver"),
    ]
    assert timeline["transitions"][-1]["outcome"] == "training"
    assert all(t["at"] for t in timeline["transitions"])
    events = db.session.scalars(
        select(Event).where(Event.type == "referral.status_changed").order_by(Event.id)
    ).all()
    assert len(events) == 10
    assert {e.organisation_id for e in events} == {pair.sender.id, pair.receiver.id}
    assert events[-1].data["status"] == "completed"
    assert events[-1].data["previous_status"] == "in-progress"


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"status": "rejected"}, "/reason"),
        ({"status": "rejected", "reason": "too_old"}, "/reason"),
        ({"status": "accepted", "outcome": "job"}, "/outcome"),
        ({"status": "accepted", "reason": "no_capacity"}, "/reason"),
        ({"status": "done"}, "/status"),
        ({"status": "accepted", "note": "hi"}, "/note"),
    ],
)
def test_a_reason_or_outcome_that_does_not_fit_is_422(client, pair, send, body, pointer):
    referral_id = send().json["id"]
    response = client.post(
        f"{REFERRALS}/{referral_id}/transitions", json=body, headers=pair.receiver_headers
    )
    assert response.status_code == 422, response.json
    assert response.json["errors"][0]["pointer"] == pointer


def test_closing_needs_an_outcome_of_its_kind(client, pair, send):
    referral_id = send().json["id"]
    url = f"{REFERRALS}/{referral_id}/transitions"
    client.post(url, json={"status": "accepted"}, headers=pair.receiver_headers)
    for body in ({"status": "completed"}, {"status": "completed", "outcome": "dropped_out"}):
        assert client.post(url, json=body, headers=pair.receiver_headers).status_code == 422
    failed = client.post(
        url, json={"status": "failed", "outcome": "not_reached"}, headers=pair.receiver_headers
    )
    assert failed.status_code == 200


def test_withdrawn_consent_cancels_and_purges_at_once(client, db, pair, send):
    referral_id = send().json["id"]
    response = client.post(
        f"{REFERRALS}/{referral_id}/transitions",
        json={"status": "cancelled", "reason": "consent_withdrawn"},
        headers=pair.sender_headers,
    )
    assert response.status_code == 200
    assert response.json["status"] == "cancelled" and response.json["purged"] is True
    assert response.json["note"] is None and response.json["languages"] is None
    stored = db.session.scalar(select(Referral))
    assert stored.sender_pseudonym is None and stored.receiver_pseudonym is None


def test_unanswered_requests_expire(app, db, runner, pair, send, client):
    old, fresh = send().json["id"], send(subject_ref="fresh").json["id"]
    db.session.execute(
        update(Referral)
        .where(Referral.uuid == Referral.uuid.type.python_type(old))
        .values(created_at=utcnow() - timedelta(days=15))
    )
    result = runner.invoke(args=["referrals", "expire"])
    assert "cancelled 1 " in result.output
    expired = client.get(f"{REFERRALS}/{old}", headers=pair.receiver_headers).json
    assert expired["status"] == "cancelled" and expired["reason"] == "expired"
    assert expired["transitions"][-1]["by"] == "platform"
    assert client.get(f"{REFERRALS}/{fresh}", headers=pair.receiver_headers).json["status"] == (
        "requested"
    )
    app.config["REFERRAL_EXPIRY_DAYS"] = 0
    try:
        assert "cancelled 1 " in runner.invoke(args=["referrals", "expire"]).output
    finally:
        app.config["REFERRAL_EXPIRY_DAYS"] = 14


def test_the_purge_empties_ended_referrals_and_keeps_the_counts(app, db, runner, pair, send):
    ids = [send(subject_ref=f"p-{n}").json["id"] for n in range(3)]
    rows = {str(r.uuid): r for r in db.session.scalars(select(Referral))}
    ended_long_ago, ended_lately, still_open = (rows[i] for i in ids)
    for referral in (ended_long_ago, ended_lately):
        services.move_referral(referral, Status.accepted, Side.receiver)
        services.move_referral(referral, Status.completed, Side.receiver, outcome="job")
    ended_long_ago.ended_at = utcnow() - timedelta(days=91)
    db.session.flush()
    result = runner.invoke(args=["referrals", "purge"])
    assert "purged the content of 1 referral" in result.output
    db.session.expire_all()
    assert ended_long_ago.note is None and ended_long_ago.sender_pseudonym is None
    assert ended_long_ago.languages is None and ended_long_ago.purged_at is not None
    assert ended_long_ago.status == Status.completed and ended_long_ago.outcome == "job"
    assert ended_lately.note and still_open.note
    rows = figures.outcome_rows()  # two quarters: 91 days ago and today
    assert sum(row["count"] for row in rows) == 2 and len(rows) == 2
    branch_id = pair.programme.locations[0].branch_id
    assert {(r["programme_id"], r["branch_id"], r["outcome"]) for r in rows} == {
        (pair.programme.id, branch_id, "job")
    }
    # purged, the same person may be referred again: nothing links to them any more
    assert runner.invoke(args=["referrals", "purge"]).output.startswith("purged the content of 0")


def test_two_concurrent_moves_one_wins(app, database_url):
    """Two officers accept and the sender cancels at the same time: the row lock makes the
    second wait for the first, then see its result and be refused."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer: moves are serialised by its write lock")
    from coalition.members.models import Organisation
    from federation.referrals.schemas import ReferralSchema
    from tests.federation.referrals.conftest import make_programme, referral_body

    with app.app_context():
        stamp = utcnow().strftime("%H%M%S%f")
        sender, receiver = (
            Organisation(
                name=f"{letter} {stamp}",
                slug=f"{letter.lower()}-{stamp}",
                languages=["fr"],
                admitted_at=utcnow(),
                names={},
                descriptions={},
            )
            for letter in ("S", "R")
        )
        _db.session.add_all([sender, receiver])
        _db.session.flush()
        programme = make_programme(_db, receiver)
        data = ReferralSchema().load(referral_body(programme))
        referral_id = services.send_referral(sender, data).id
        _db.session.commit()
        org_ids = (sender.id, receiver.id)
    outcomes: dict[str, object] = {}

    def move(name: str, to: Status, side: Side, hold: threading.Event | None = None) -> None:
        with app.app_context():
            referral = _db.session.get(Referral, referral_id)
            try:
                services.move_referral(referral, to, side)
                if hold is not None:
                    hold.wait(5)
                _db.session.commit()
                outcomes[name] = "won"
            except TransitionRefused as error:
                _db.session.rollback()
                outcomes[name] = error.status
            except Exception as error:
                outcomes[name] = repr(error)

    try:
        hold = threading.Event()
        first = threading.Thread(target=move, args=("accept", Status.accepted, Side.receiver, hold))
        first.start()
        second = threading.Thread(target=move, args=("cancel", Status.cancelled, Side.sender))
        # the first holds the lock until told to commit; the second waits for it
        threading.Timer(0.3, second.start).start()
        second_started = threading.Event()
        threading.Timer(1.3, second_started.set).start()
        second_started.wait()
        assert "cancel" not in outcomes
        hold.set()
        first.join(5)
        second.join(5)
        # the sender's cancel came second: accepted → cancelled is legal for the sender
        assert outcomes == {"accept": "won", "cancel": "won"}
        with app.app_context():
            steps = _db.session.scalars(
                select(ReferralTransition.to_status)
                .where(ReferralTransition.referral_id == referral_id)
                .order_by(ReferralTransition.id)
            ).all()
            assert steps == [Status.requested, Status.accepted, Status.cancelled]
            # two accepts at once: exactly one wins
            _db.session.execute(
                update(Referral).where(Referral.id == referral_id).values(status=Status.requested)
            )
            _db.session.commit()
        outcomes.clear()
        hold = threading.Event()
        threads = [
            threading.Thread(target=move, args=("a", Status.accepted, Side.receiver, hold)),
            threading.Thread(target=move, args=("b", Status.accepted, Side.receiver, hold)),
        ]
        for thread in threads:
            thread.start()
        threading.Timer(1.0, hold.set).start()
        for thread in threads:
            thread.join(10)
        assert sorted(map(str, outcomes.values())) == ["409", "won"]
    finally:
        with app.app_context():
            _db.session.execute(delete(Event).where(Event.organisation_id.in_(org_ids)))
            _db.session.execute(delete(Referral).where(Referral.id == referral_id))
            # the database is shared by the session's other tests: what this test committed
            # leaves the directory (no published programme, no admitted member)
            _db.session.execute(
                update(Programme)
                .where(Programme.organisation_id.in_(org_ids))
                .values(status=ProgrammeStatus.archived)
            )
            _db.session.execute(
                update(Organisation).where(Organisation.id.in_(org_ids)).values(admitted_at=None)
            )
            _db.session.commit()
