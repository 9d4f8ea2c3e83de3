"""`flask coalition add-member`."""

from __future__ import annotations

from sqlalchemy import func, select

from coalition.audit.models import AuditLogEntry
from coalition.members.models import Organisation


def _add(
    runner,
    *options: str,
    name: str = "Mentorat Liège",
    slug: str = "mentorat-liege",
    number: str = "BE 0123.456.749",
):
    """`flask coalition add-member` with this name, slug and enterprise number."""
    return runner.invoke(
        args=[
            "coalition",
            "add-member",
            "--name",
            name,
            "--slug",
            slug,
            "--enterprise-number",
            number,
            *options,
        ]
    )


def _count(db, model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_add_member_admits_an_organisation_once(runner, db):
    first = _add(runner, "--website", "mentorat-liege.example")
    assert first.exit_code == 0, first.output
    assert "member added: mentorat-liege" in first.output
    organisation = db.session.scalar(
        select(Organisation).where(Organisation.slug == "mentorat-liege")
    )
    assert organisation.name == "Mentorat Liège"
    assert organisation.enterprise_number == "0123456749"
    assert organisation.website == "https://mentorat-liege.example"
    assert organisation.admitted_at is not None

    second = _add(runner)
    assert second.exit_code == 0, second.output
    assert "unchanged" in second.output
    assert _count(db, Organisation, Organisation.slug == "mentorat-liege") == 1
    assert _count(db, AuditLogEntry, AuditLogEntry.action == "organisation.add") == 1


def test_add_member_refuses_an_invalid_enterprise_number(runner, db):
    result = _add(runner, name="X", slug="x-org", number="0123.456.748")
    assert result.exit_code != 0
    assert "enterprise number" in result.output
    assert db.session.scalar(select(Organisation).where(Organisation.slug == "x-org")) is None


def test_add_member_refuses_a_bad_slug_or_a_number_already_used(runner, db, make_org):
    bad = _add(runner, name="X", slug="Not A Slug", number="0123456749")
    assert bad.exit_code != 0 and "slug" in bad.output
    make_org("Holder", enterprise_number="0123456749")
    taken = _add(runner, name="Y", slug="y-org", number="0123456749")
    assert taken.exit_code != 0 and "already a member" in taken.output
