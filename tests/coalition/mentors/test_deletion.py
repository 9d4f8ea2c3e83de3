"""A volunteer's data leave the platform: at their request (the link of the mail), at the
organisation's hand, and after the retention (`flask mentors purge`, the worker). Checked
in the database: no row of theirs, no history row, nothing with their e-mail, phone or name.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from coalition import worker
from coalition.audit.models import AuditLogEntry
from coalition.database import utcnow
from coalition.mentors.models import MentorInterest, MentorInterestChange, MentorInterestCount
from coalition.mentors.privacy import withdrawal_token
from coalition.mentors.services import express_interest, move_interest
from coalition.mentors.spam import form_stamp
from tests.coalition._mailbox import Mailbox
from tests.coalition._mentors import INTEREST, interest_body

PERSONAL = (INTEREST["email"], INTEREST["phone"], INTEREST["first_name"])


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def assert_nothing_of_the_person_is_left(db) -> None:
    """No interest, no history, and no row of any table of the part or of the audit log
    that holds their e-mail, phone or first name."""
    assert count(db, MentorInterest) == 0
    assert count(db, MentorInterestChange) == 0
    for model in (MentorInterestChange, MentorInterestCount, AuditLogEntry):
        for row in db.session.scalars(select(model)):
            text = json.dumps(
                {c.key: str(getattr(row, c.key)) for c in model.__table__.columns},
                ensure_ascii=False,
            )
            for value in PERSONAL:
                assert value not in text, f"{value} left in {model.__tablename__}"


def withdraw_link(mail) -> str:
    return re.search(r"https?://[^/\s]+(/\S+/withdraw/\S+)", Mailbox.body(mail)).group(1)


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_the_link_in_the_mail_deletes_everything_at_once(client, db, send, mailbox, lang):
    send(lang)
    interest = db.session.scalar(select(MentorInterest))
    move_interest(interest, "contacted", None)
    db.session.flush()
    link = withdraw_link(mailbox.new()[0])
    assert link.startswith(f"/{lang}/mentor/withdraw/")

    # Opening the link asks; it deletes nothing (mail scanners open links too).
    page = client.get(link)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "private, no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert count(db, MentorInterest) == 1

    done = client.post(link)
    assert done.status_code == 200
    assert 'role="status"' in done.get_data(as_text=True)
    db.session.expire_all()
    assert_nothing_of_the_person_is_left(db)
    # The counts of the figures stay: they name nobody.
    assert count(db, MentorInterestCount) == 2
    [entry] = db.session.scalars(
        select(AuditLogEntry).where(AuditLogEntry.action == "mentor_interest.delete")
    ).all()
    assert entry.details == {"reason": "request", "count": 1}

    # The link again: nothing left, and the page says so.
    again = client.get(link)
    assert again.status_code == 200
    assert count(db, MentorInterest) == 0


def test_the_deleted_page_says_so_in_the_visitors_language(client, db, send, mailbox):
    send("nl")
    done = client.post(withdraw_link(mailbox.new()[0]))
    assert "Je gegevens zijn gewist" in done.get_data(as_text=True)


def test_a_token_of_another_purpose_or_forged_opens_nothing(app, client, db, send, programme):
    send("en")
    interest = db.session.scalar(select(MentorInterest))
    with app.app_context():
        form_token = form_stamp(interest.uuid.hex)  # signed with the same key, other salt
        real = withdrawal_token(interest.uuid)
    for token in (form_token, real[:-2] + "xx", "nothing", interest.uuid.hex):
        assert client.post(f"/en/mentor/withdraw/{token}").status_code == 404, token
    assert count(db, MentorInterest) == 1


def test_staff_delete_at_the_persons_request(client, db, login, editor, send, mentor_org):
    send("en")
    interest = db.session.scalar(select(MentorInterest))
    login(editor)
    response = client.post(f"/en/staff/{mentor_org.id}/mentors/{interest.id}/delete")
    assert response.status_code == 302
    db.session.expire_all()
    assert_nothing_of_the_person_is_left(db)


# --- after the retention -----------------------------------------------------------------


def _age(db, interest: MentorInterest, days: int) -> None:
    """Make the interest's last change `days` days old."""
    db.session.execute(
        update(MentorInterest)
        .where(MentorInterest.id == interest.id)
        .values(updated_at=utcnow() - timedelta(days=days))
    )
    db.session.expire_all()


def test_flask_mentors_purge_deletes_interests_unchanged_for_12_months(db, runner, programme):
    old = express_interest(programme, interest_body(), "fr")
    recent = express_interest(programme, interest_body(email="recent@example.org"), "fr")
    _age(db, old, 367)
    _age(db, recent, 300)
    result = runner.invoke(args=["mentors", "purge"])
    assert result.exit_code == 0, result.output
    assert "deleted 1 mentor interest(s)" in result.output
    remaining = db.session.scalars(select(MentorInterest)).all()
    assert [i.email for i in remaining] == ["recent@example.org"]
    assert count(db, MentorInterestChange) == 1  # the recent one's
    for row in db.session.scalars(select(MentorInterestChange)):
        assert row.interest_id == remaining[0].id
    assert count(db, MentorInterestCount) == 1  # both counted as received, kept
    assert db.session.scalar(select(func.sum(MentorInterestCount.count))) == 2


def test_a_change_restarts_the_retention(db, runner, programme):
    interest = express_interest(programme, interest_body(), "fr")
    _age(db, interest, 400)
    move_interest(interest, "contacted", None)  # the organisation followed it up today
    db.session.flush()
    runner.invoke(args=["mentors", "purge"])
    assert count(db, MentorInterest) == 1


def test_the_retention_is_configurable(app, db, runner, programme, monkeypatch):
    monkeypatch.setitem(app.config, "MENTOR_INTEREST_RETENTION_MONTHS", 1)
    interest = express_interest(programme, interest_body(), "fr")
    _age(db, interest, 40)
    assert "deleted 1" in runner.invoke(args=["mentors", "purge"]).output
    assert_nothing_of_the_person_is_left(db)


def test_the_worker_purges_too(app, db, programme):
    job = worker._jobs["mentor-interest-purge"]
    assert not job.on_wake and job.interval <= 24 * 3600
    interest = express_interest(programme, interest_body(), "fr")
    _age(db, interest, 400)
    assert job.run() == 1
    assert_nothing_of_the_person_is_left(db)
