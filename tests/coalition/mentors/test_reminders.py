"""Interests left new for more than 7 days: the programme's editors are mailed, once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from coalition import worker
from coalition.access import Role
from coalition.database import utcnow
from coalition.mentors.models import MentorInterest
from coalition.mentors.services import express_interest, move_interest
from tests.coalition._mailbox import Mailbox
from tests.coalition._mentors import INTEREST, interest_body


def _received(db, interest, days: int) -> None:
    db.session.execute(
        update(MentorInterest)
        .where(MentorInterest.id == interest.id)
        .values(created_at=utcnow() - timedelta(days=days))
    )
    db.session.expire_all()


def test_the_editors_are_reminded_once_of_an_interest_left_new(
    db, runner, mailbox, make_user, make_org, mentor_org, programme, editor
):
    admin = make_user(mentor_org, roles=(Role.org_admin,), language="nl")
    officer = make_user(mentor_org, roles=(Role.referral_officer,))
    outsider = make_user(make_org(), roles=tuple(Role))
    waiting = express_interest(programme, interest_body(), "fr")
    fresh = express_interest(programme, interest_body(email="fresh@example.org"), "fr")
    answered = express_interest(programme, interest_body(email="answered@example.org"), "fr")
    move_interest(answered, "contacted", editor)
    for interest, days in ((waiting, 8), (fresh, 6), (answered, 9)):
        _received(db, interest, days)
    mailbox.new()  # the acknowledgements to the volunteers

    result = runner.invoke(args=["mentors", "remind"])
    assert result.exit_code == 0, result.output
    assert "reminded the editors of 1 mentor interest(s)" in result.output
    mails = {mail["To"]: mail for mail in mailbox.new()}
    assert set(mails) == {editor.email, admin.email}
    assert officer.email not in mails and outsider.email not in mails
    dutch = Mailbox.body(mails[admin.email])
    assert "wachten al meer dan 7 dagen" in dutch
    assert f"/nl/staff/{mentor_org.id}/mentors" in dutch
    for mail in mails.values():
        text = Mailbox.body(mail) + mail["Subject"]
        # The mail names the programme and the day, never the volunteer.
        for value in (INTEREST["first_name"], INTEREST["email"], INTEREST["phone"]):
            assert value not in text

    # Once per interest: the next run mails nobody.
    assert "of 0 mentor interest(s)" in runner.invoke(args=["mentors", "remind"]).output
    assert mailbox.new() == []


def test_the_worker_sends_the_reminders(db, programme, editor):
    job = worker._jobs["mentor-interest-reminders"]
    assert not job.on_wake
    interest = express_interest(programme, interest_body(), "fr")
    _received(db, interest, 10)
    assert job.run() == 1
    assert db.session.get(MentorInterest, interest.id).reminded_at is not None


def test_the_delay_is_configurable(app, db, runner, programme, editor, monkeypatch):
    monkeypatch.setitem(app.config, "MENTOR_REMINDER_AFTER_DAYS", 2)
    interest = express_interest(programme, interest_body(), "fr")
    _received(db, interest, 3)
    assert "of 1 mentor" in runner.invoke(args=["mentors", "remind"]).output
