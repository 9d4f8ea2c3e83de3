"""The worker's referral jobs (not `flask referrals …`): the purge of ended referrals'
content after their retention, and the platform's expiry of unanswered requests; each
checked in the database, beside a referral still within its time that stays as it was."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from coalition import worker
from coalition.database import utcnow
from federation.referrals import services
from federation.referrals.models import Referral, ReferralTransition
from federation.referrals.states import Side, Status

#: the columns a purge empties (the counts' columns stay)
CONTENT = (
    Referral.note,
    Referral.languages,
    Referral.goals,
    Referral.availability,
    Referral.sender_pseudonym,
    Referral.receiver_pseudonym,
    Referral.pseudonym_key_id,
)


def _job(name: str) -> worker.Job:
    job = worker._jobs[name]
    assert not job.on_wake and job.interval <= 24 * 3600  # housekeeping, at least daily
    return job


def _sent(db, send, count: int) -> list[Referral]:
    """`count` referrals sent through the API, about as many people."""
    ids = [send(subject_ref=f"person-{n}").json["id"] for n in range(count)]
    rows = {str(r.uuid): r for r in db.session.scalars(select(Referral))}
    return [rows[i] for i in ids]


def _close(db, referral: Referral, days_ago: int) -> None:
    """Accept and complete `referral`, as if it had ended `days_ago` days ago."""
    services.move_referral(referral, Status.accepted, Side.receiver)
    services.move_referral(referral, Status.completed, Side.receiver, outcome="job")
    referral.ended_at = utcnow() - timedelta(days=days_ago)
    db.session.flush()


def _stored(db, referral: Referral, *columns):
    """The row as the database holds it now (not the session's copy)."""
    db.session.expire_all()
    return db.session.execute(select(*columns).where(Referral.id == referral.id)).one()


def test_the_worker_purges_the_content_of_referrals_ended_long_ago(db, pair, send):
    ended_long_ago, ended_lately, open_but_old = _sent(db, send, 3)
    _close(db, ended_long_ago, 91)
    _close(db, ended_lately, 89)
    # sent long ago but never ended: the retention counts from the end, not the start
    open_but_old.created_at = utcnow() - timedelta(days=200)
    db.session.flush()

    assert _job("referral-purge").run() == 1

    purged = _stored(db, ended_long_ago, *CONTENT, Referral.purged_at)
    assert tuple(purged[: len(CONTENT)]) == (None,) * len(CONTENT)
    assert purged.purged_at is not None
    # what the counts by programme, status and outcome read stays
    kept = _stored(db, ended_long_ago, Referral.status, Referral.outcome, Referral.programme_id)
    assert tuple(kept) == (Status.completed, "job", pair.programme.id)
    for untouched in (ended_lately, open_but_old):
        row = _stored(db, untouched, *CONTENT, Referral.purged_at)
        assert row.note and row.languages and row.sender_pseudonym and row.receiver_pseudonym
        assert row.purged_at is None
    assert _job("referral-purge").run() == 0  # nothing purged twice


def test_the_purge_honours_the_configured_retention(app, db, send, monkeypatch):
    (referral,) = _sent(db, send, 1)
    _close(db, referral, 30)
    assert _job("referral-purge").run() == 0  # the default 90 days keep it
    assert _stored(db, referral, Referral.note).note

    monkeypatch.setitem(app.config, "REFERRAL_RETENTION_DAYS", 20)
    assert _job("referral-purge").run() == 1
    row = _stored(db, referral, Referral.note, Referral.sender_pseudonym, Referral.purged_at)
    assert row.note is None and row.sender_pseudonym is None and row.purged_at is not None


def test_the_worker_expires_unanswered_requests(db, pair, send):
    stale, fresh = _sent(db, send, 2)
    db.session.execute(
        update(Referral)
        .where(Referral.id == stale.id)
        .values(created_at=utcnow() - timedelta(days=15))
    )
    db.session.execute(
        update(Referral)
        .where(Referral.id == fresh.id)
        .values(created_at=utcnow() - timedelta(days=13))
    )

    assert _job("referral-expiry").run() == 1

    expired = _stored(db, stale, Referral.status, Referral.reason, Referral.ended_at)
    assert expired.status == Status.cancelled and expired.reason == "expired"
    assert expired.ended_at is not None  # ended: its content is purged after the retention
    last = db.session.execute(
        select(ReferralTransition.from_status, ReferralTransition.to_status)
        .add_columns(ReferralTransition.side, ReferralTransition.reason)
        .where(ReferralTransition.referral_id == stale.id)
        .order_by(ReferralTransition.id.desc())
        .limit(1)
    ).one()
    assert tuple(last) == (Status.requested, Status.cancelled, Side.platform, "expired")
    untouched = _stored(db, fresh, Referral.status, Referral.reason, Referral.ended_at)
    assert tuple(untouched) == (Status.requested, None, None)
    steps = db.session.scalars(
        select(ReferralTransition.to_status).where(ReferralTransition.referral_id == fresh.id)
    ).all()
    assert steps == [Status.requested]
    assert _job("referral-expiry").run() == 0  # an expired request is not expired again
