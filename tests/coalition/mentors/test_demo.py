"""`flask demo seed` adds programmes seeking mentors and volunteers at various statuses."""

from __future__ import annotations

from sqlalchemy import func, select

from coalition.mentors.figures import recruitment_figures
from coalition.mentors.models import MentorInterest
from coalition.programmes.models import Programme


def test_the_demo_has_programmes_seeking_mentors_and_followed_up_volunteers(runner, db):
    assert runner.invoke(args=["demo", "seed", "--force"]).exit_code == 0
    seeking = [p for p in db.session.scalars(select(Programme)) if p.seeks_mentors]
    assert len(seeking) >= 3
    assert {p.organisation.slug for p in seeking} >= {"duo-for-a-job", "taalbrug"}
    interests = db.session.scalars(select(MentorInterest)).all()
    statuses = {str(i.status) for i in interests}
    assert {"new", "contacted", "active", "continuing", "stopped"} <= statuses
    assert all(i.changes[0].after == "new" for i in interests)
    figures = recruitment_figures()
    assert figures.recruited >= 3 and figures.continuation_rate == 50.0

    again = runner.invoke(args=["demo", "seed", "--force"])
    assert again.exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(MentorInterest)) == len(interests)
