"""Tenancy, generated from the URL map: no staff page of one organisation opens for another.

Every staff route that takes an organisation id is called by a user holding every role in
organisation A, with organisation B's id and B's objects — and with A's own id but B's
objects. Each call must answer 404, exactly like a missing object, and change nothing.
A new route that forgets its access check fails here without anyone writing a test for it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coalition.access import Role
from coalition.accounts.invitations import invite_user
from coalition.audit.models import AuditLogEntry
from coalition.mentors.models import MentorInterest
from coalition.mentors.services import express_interest
from coalition.programmes.models import Programme, ProgrammeStatus
from coalition.programmes.services import create_programme
from federation.events.services import create_webhook
from federation.oauth.services import register_client
from federation.referrals.models import Referral
from federation.referrals.schemas import ReferralSchema
from federation.referrals.services import send_referral
from tests.coalition._mentors import interest_body, needs
from tests.coalition._programmes import add_molenbeek_branch, body
from tests.federation.referrals.conftest import referral_body

ALL_ROLES = tuple(Role)


@pytest.fixture
def two_organisations(make_org, make_user, db):
    """Organisations A and B, each with one object of every kind a staff route names."""
    orgs = {}
    sender = make_org("Tenant referrer")  # refers a young person to each tenant
    for key in ("a", "b"):
        org = make_org(f"Tenant {key.upper()}")
        add_molenbeek_branch(db, org)
        admin = make_user(org, roles=ALL_ROLES)
        colleague = make_user(org, roles=(Role.editor,))
        programme = create_programme(org, body(mentor_needs=needs()), actor=admin)
        interest = express_interest(
            programme, interest_body(email=f"volunteer-{key}@example.org"), "fr"
        )
        client = register_client(org, name="CRM", scopes="programmes:write").client
        webhook, _ = create_webhook(org, "https://127.0.0.1/bmp-hook", actor=admin)
        invitation, _ = invite_user(
            f"new-{key}@example.org", "New", org, [Role.editor], admin, "fr"
        )
        programme.status = ProgrammeStatus.published
        referral = send_referral(sender, ReferralSchema().load(referral_body(programme)))
        orgs[key] = {
            "org": org,
            "admin": admin,
            "ids": {
                "org_id": org.id,
                "programme_id": programme.id,
                "branch_id": org.branches[0].id,
                "client_pk": client.id,
                "webhook_id": webhook.id,
                "invitation_id": invitation.id,
                "user_id": colleague.id,
                "role": Role.editor.value,
                "interest_id": interest.id,
                "referral_id": str(referral.uuid),
            },
        }
    db.session.flush()
    return orgs


def staff_rules(app):
    """Every rule whose URL names an organisation id."""
    return sorted(
        (rule for rule in app.url_map.iter_rules() if "org_id" in rule.arguments),
        key=lambda rule: rule.rule,
    )


def state_of(db, org):
    """What a refused call must leave untouched in organisation B."""
    audit = db.session.scalar(
        select(func.count())
        .select_from(AuditLogEntry)
        .where(AuditLogEntry.organisation_id == org.id)
    )
    programmes = db.session.execute(
        select(Programme.id, Programme.status, Programme.updated_at).where(
            Programme.organisation_id == org.id
        )
    ).all()
    interests = db.session.execute(
        select(MentorInterest.id, MentorInterest.status, MentorInterest.updated_at)
        .join(Programme)
        .where(Programme.organisation_id == org.id)
    ).all()
    referrals = db.session.execute(
        select(Referral.id, Referral.status, Referral.updated_at).where(
            Referral.receiver_id == org.id
        )
    ).all()
    return audit, programmes, interests, referrals


def test_the_matrix_covers_every_kind_of_id(app):
    """Each path parameter of a staff route has an object in the fixture above."""
    known = {
        "lang_code",
        "org_id",
        "programme_id",
        "branch_id",
        "client_pk",
        "webhook_id",
        "invitation_id",
        "user_id",
        "role",
        "interest_id",
        "referral_id",
    }
    rules = staff_rules(app)
    assert len(rules) >= 20
    for rule in rules:
        assert set(rule.arguments) <= known, f"{rule.rule}: add its id to two_organisations"


@pytest.mark.parametrize(
    "foreign_org", [True, False], ids=["foreign-org", "own-org-foreign-object"]
)
def test_no_staff_route_opens_another_organisations_objects(
    app, client, db, login, two_organisations, foreign_org
):
    a, b = two_organisations["a"], two_organisations["b"]
    login(a["admin"])
    before = state_of(db, b["org"])
    checked = 0
    for rule in staff_rules(app):
        values = dict(b["ids"], lang_code="en")
        if not foreign_org:
            if set(rule.arguments) == {"lang_code", "org_id"}:
                continue  # nothing of B's to name under A's own id
            values["org_id"] = a["ids"]["org_id"]
        url = rule.build(values, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, data={"name": "x", "scopes": "events:read"})
            assert response.status_code == 404, f"{method} {url} answered {response.status_code}"
            checked += 1
    assert checked >= 20
    db.session.expire_all()
    assert state_of(db, b["org"]) == before


def test_no_staff_route_of_a_suspended_organisation_opens_or_changes_anything(
    app, client, db, login, two_organisations
):
    """A suspended member's staff route answers 403 with the reason, even to its own admin."""
    from coalition.accounts.models import OrganisationRole, User
    from coalition.members.services import suspend_organisation

    a, b = two_organisations["a"], two_organisations["b"]
    office = User(email="office-tenancy@example.org", name="Office", is_coalition_admin=True)
    db.session.add(office)
    # A's admin also edits for B, a current member, so they stay signed in.
    db.session.add(OrganisationRole(user=a["admin"], organisation_id=b["org"].id, role=Role.editor))
    db.session.flush()
    suspend_organisation(a["org"], office, "tenancy test")
    login(a["admin"])
    before = state_of(db, a["org"])
    checked = 0
    for rule in staff_rules(app):
        if rule.endpoint.startswith("admin."):
            continue  # the coalition office's pages, invisible to staff (404, tested above)
        url = rule.build(dict(a["ids"], lang_code="en"), append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, data={"name": "x", "scopes": "events:read"})
            assert response.status_code == 403, f"{method} {url} answered {response.status_code}"
            assert "has suspended the membership of Tenant A" in response.text, url
            checked += 1
    assert checked >= 20
    db.session.expire_all()
    assert state_of(db, a["org"]) == before
