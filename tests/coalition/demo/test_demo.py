"""`flask demo seed`: the fictional demo coalition."""

from __future__ import annotations

from sqlalchemy import func, select

from coalition.access import Role
from coalition.accounts.models import User
from coalition.accounts.passwords import verify_password
from coalition.branches.models import Branch
from coalition.demo import services as demo
from coalition.members.models import ApplicationStatus, MembershipApplication, Organisation
from coalition.members.services import normalise_enterprise_number
from coalition.outbox import OutboxEntry
from coalition.programmes.models import Programme, ProgrammeStatus
from tests.coalition.demo import DUO_FOR_A_JOB_CITIES


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_seed_refuses_outside_demo_mode(runner, db):
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code != 0
    assert "DEMO_MODE" in result.output
    assert _count(db, Organisation) == 0


def test_seed_loads_a_realistic_coalition_and_is_idempotent(runner, db):
    first = runner.invoke(args=["demo", "seed", "--force"])
    assert first.exit_code == 0, first.output
    counts = {
        m: _count(db, m)
        for m in (Organisation, User, Programme, Branch, OutboxEntry, MembershipApplication)
    }
    assert 10 <= counts[Organisation] <= 14

    second = runner.invoke(args=["demo", "seed", "--force"])
    assert second.exit_code == 0, second.output
    again = {m: _count(db, m) for m in counts}
    assert again == counts

    organisations = db.session.scalars(select(Organisation)).all()
    for organisation in organisations:
        assert normalise_enterprise_number(organisation.enterprise_number) == (
            organisation.enterprise_number
        )
        assert set(organisation.descriptions) == {"fr", "nl", "en"}
        programmes = db.session.scalars(
            select(Programme).where(Programme.organisation_id == organisation.id)
        ).all()
        assert 2 <= len(programmes) <= 5, organisation.slug
        assert any(p.status == ProgrammeStatus.published for p in programmes)
        for programme in programmes:
            assert set(programme.titles) == {"fr", "nl", "en"}
            assert programme.locations

    duo = db.session.scalar(select(Organisation).where(Organisation.slug == "duo-for-a-job"))
    cities = {branch.city for branch in duo.branches}
    for city in DUO_FOR_A_JOB_CITIES:
        assert city in cities
    assert [b.city for b in duo.branches if b.is_new] == ["Leuven"]

    passwords_ok = []
    for email, _name, role in demo.DUO_STAFF:
        user = db.session.scalar(select(User).where(User.email == email))
        assert {r.role for r in user.roles if r.organisation_id == duo.id} == {Role(role)}
        passwords_ok.append(verify_password(user, demo.DEMO_PASSWORD))
    assert all(passwords_ok)
    office = db.session.scalar(select(User).where(User.email == "admin@coalition.example"))
    assert office.is_coalition_admin
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(MembershipApplication)
            .where(MembershipApplication.status == ApplicationStatus.pending)
        )
        >= 1
    )
    # every programme was queued for the search index
    queued = set(db.session.scalars(select(OutboxEntry.object_id)))
    assert set(db.session.scalars(select(Programme.id))) <= queued


def test_the_seeded_members_are_listed_publicly(runner, client, db):
    assert runner.invoke(args=["demo", "seed", "--force"]).exit_code == 0
    page = client.get("/nl/members")
    assert page.status_code == 200
    assert "Duo for a Job" in page.text and "Taalbrug" in page.text
    assert "Rotterdam" in page.text
    duo = client.get("/fr/members/duo-for-a-job")
    assert "Marseille" in duo.text


def test_seed_adds_two_years_of_quarterly_reports_that_tell_a_story(runner, db, client):
    from coalition.impact import aggregates
    from coalition.impact.models import ImpactReport
    from coalition.impact.services import current_quarter

    assert runner.invoke(args=["demo", "seed", "--force"]).exit_code == 0
    reports = _count(db, ImpactReport)
    quarters = sorted(aggregates.by_quarter())
    assert quarters[0] == (2025, 1) and len(quarters) == min(8, len(quarters))
    assert quarters[-1] <= current_quarter()
    assert reports >= 6 * len(quarters)
    enrolled = aggregates.figure_by_quarter("young_people_enrolled")
    assert enrolled[quarters[-1]] > enrolled[quarters[0]]  # the figures grow
    # a second seed adds no report and corrects none
    assert runner.invoke(args=["demo", "seed", "--force"]).exit_code == 0
    assert _count(db, ImpactReport) == reports
    # Leuven's small figures show as "< 5" on the public page
    body = client.get("/api/v1/impact").json
    assert body["figures"]["young_people_enrolled_total"]["value"] > 1000
    leuven = db.session.scalar(
        select(Branch).where(Branch.postcode == "3000", Branch.name == "Leuven")
    )
    small = db.session.scalars(
        select(ImpactReport).where(ImpactReport.branch_id == leuven.id)
    ).all()
    assert small and min(r.young_people_enrolled for r in small) < 5
