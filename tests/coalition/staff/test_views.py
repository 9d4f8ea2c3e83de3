"""The staff workspace: the dashboard and the people page of an organisation's admin."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from coalition.access import Role
from coalition.accounts import invitations
from coalition.accounts.models import Invitation
from tests.coalition._audit import db_entry
from tests.coalition.mailbox import mails_to


@pytest.fixture
def org_admin(make_org, make_user, login):
    """An organisation and its administrator, signed in on the test client."""
    org = make_org()
    admin = make_user(org, roles=("org_admin",))
    login(admin)
    return org, admin


def test_the_dashboard_lists_my_organisations_and_roles(client, make_org, make_user, login):
    mine, other = make_org("Duo for a Job"), make_org("Someone Else")
    user = make_user(mine, roles=("editor", "referral_officer"))
    login(user)
    html = client.get("/en/staff/").get_data(as_text=True)
    assert "Duo for a Job" in html and "Someone Else" not in html
    assert "Editor" in html and "Referral officer" in html
    # Editors do not manage people.
    assert f"/en/staff/{mine.id}/people" not in html
    assert other.id


def test_an_org_admin_sees_the_people_link(client, make_org, make_user, login):
    org = make_org()
    login(make_user(org, roles=("org_admin",)))
    html = client.get("/en/staff/").get_data(as_text=True)
    assert f"/en/staff/{org.id}/people" in html
    # Each workspace link once (the webhooks link was listed twice).
    assert html.count(f'/en/federation/{org.id}/webhooks"') == 1


def test_the_dashboard_needs_a_login(client):
    assert client.get("/fr/staff/").headers["Location"].startswith("/fr/login?next=")


def test_the_people_page_lists_staff_and_roles(client, make_org, make_user, login):
    org = make_org()
    admin = make_user(org, roles=("org_admin",), name="Ada Admin")
    make_user(org, roles=("policy_author",), name="Paul Author")
    login(admin)
    html = client.get(f"/en/staff/{org.id}/people").get_data(as_text=True)
    assert "Ada Admin" in html and "Paul Author" in html and "Policy author" in html
    assert 'type="checkbox"' in html and "<legend>Roles</legend>" in html


def test_an_admin_invites_a_person(app, client, db, org_admin):
    org, admin = org_admin
    response = client.post(
        f"/en/staff/{org.id}/people",
        data={
            "email": "recruit@example.org",
            "name": "Re Cruit",
            "roles": ["editor", "policy_author"],
            "language": "nl",
        },
    )
    assert response.status_code == 302
    [mail] = mails_to(app, "recruit@example.org")
    assert mail["Content-Language"] == "nl"
    invitation = db.session.execute(
        select(Invitation).where(Invitation.email == "recruit@example.org")
    ).scalar_one()
    assert invitation.organisation_id == org.id
    assert sorted(invitation.roles) == ["editor", "policy_author"]
    entry = db_entry("user.invite")
    assert entry.actor_user_id == admin.id and entry.organisation_id == org.id


def test_an_invitation_needs_a_role_and_a_valid_email(app, client, make_org, make_user, login):
    org = make_org()
    login(make_user(org, roles=("org_admin",)))
    response = client.post(
        f"/en/staff/{org.id}/people", data={"email": "not-an-email", "name": "X", "language": "en"}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="email-error"' in html and 'id="roles-error"' in html
    assert "Choose at least one role." in html
    assert mails_to(app, "not-an-email") == []


def test_an_admin_removes_a_role(client, db, make_user, org_admin):
    org, _ = org_admin
    member = make_user(org, roles=("editor", "policy_author"))
    response = client.post(f"/en/staff/{org.id}/people/{member.id}/roles/editor/remove")
    assert response.status_code == 302
    db.session.expire_all()
    assert {r.role for r in member.roles} == {Role.policy_author}


def test_the_last_admin_cannot_remove_their_own_role(client, db, org_admin):
    org, admin = org_admin
    response = client.post(
        f"/en/staff/{org.id}/people/{admin.id}/roles/org_admin/remove", follow_redirects=True
    )
    assert "at least one administrator" in response.get_data(as_text=True)
    db.session.expire_all()
    assert {r.role for r in admin.roles} == {Role.org_admin}


def test_removing_a_role_by_get_is_not_allowed(client, make_user, org_admin):
    org, _ = org_admin
    member = make_user(org, roles=("editor",))
    assert (
        client.get(f"/en/staff/{org.id}/people/{member.id}/roles/editor/remove").status_code == 405
    )


def test_unknown_role_or_person_is_404(client, make_org, make_user, org_admin):
    org, admin = org_admin
    stranger = make_user(make_org(), roles=("editor",))
    assert (
        client.post(f"/en/staff/{org.id}/people/{admin.id}/roles/emperor/remove").status_code == 404
    )
    assert (
        client.post(f"/en/staff/{org.id}/people/{stranger.id}/roles/editor/remove").status_code
        == 404
    )
    assert client.post(f"/en/staff/{org.id}/people/999999/roles/editor/remove").status_code == 404


def test_an_admin_sees_and_withdraws_pending_invitations(
    app, client, db, make_org, make_user, login
):

    org = make_org()
    admin = make_user(org, roles=("org_admin",))
    with app.test_request_context("/en/"):
        invitation, token = invitations.invite_user(
            "pending-one@example.org", "P", org, ["referral_officer"], admin, "en"
        )
    login(admin)
    html = client.get(f"/en/staff/{org.id}/people").get_data(as_text=True)
    assert "pending-one@example.org" in html and "Referral officer" in html
    response = client.post(f"/en/staff/{org.id}/invitations/{invitation.id}/withdraw")
    assert response.status_code == 302
    after = client.get(f"/en/staff/{org.id}/people").get_data(as_text=True)
    assert "was withdrawn" in after and "Invitations waiting for an answer" not in after
    # The link in the mail no longer works.
    assert client.get(f"/en/invitation/{token}").status_code == 404
    entry = db_entry("invitation.revoke")
    assert entry.actor_user_id == admin.id


def test_another_organisations_invitation_cannot_be_withdrawn(
    app, client, make_org, make_user, login
):

    mine, theirs = make_org(), make_org()
    admin = make_user(mine, roles=("org_admin",))
    with app.test_request_context("/en/"):
        invitation, token = invitations.invite_user(
            "theirs@example.org", "T", theirs, ["editor"], None, "en"
        )
    login(admin)
    assert (
        client.post(f"/en/staff/{mine.id}/invitations/{invitation.id}/withdraw").status_code == 404
    )
    assert (
        client.post(f"/en/staff/{theirs.id}/invitations/{invitation.id}/withdraw").status_code
        == 404
    )
    assert client.get(f"/en/invitation/{token}").status_code == 200


def test_an_admin_gives_a_member_another_role(client, db, make_user, org_admin):
    org, _ = org_admin
    member = make_user(org, roles=("editor",), name="Mia Member")
    html = client.get(f"/en/staff/{org.id}/people").get_data(as_text=True)
    assert f'for="grant-{member.id}"' in html
    response = client.post(
        f"/en/staff/{org.id}/people/{member.id}/roles",
        data={"role": "referral_officer"},
        follow_redirects=True,
    )
    assert "Mia Member is now Referral officer." in response.get_data(as_text=True)
    db.session.expire_all()
    assert {r.role for r in member.roles} == {Role.editor, Role.referral_officer}
    entry = db_entry("role.grant")
    assert entry.details == {"role": "referral_officer"} and entry.organisation_id == org.id


def test_a_role_cannot_be_given_to_someone_outside_the_organisation(
    client, make_org, make_user, login
):
    org, other = make_org(), make_org()
    login(make_user(org, roles=("org_admin",)))
    outsider = make_user(other, roles=("editor",))
    response = client.post(
        f"/en/staff/{org.id}/people/{outsider.id}/roles", data={"role": "org_admin"}
    )
    assert response.status_code == 404
    assert {r.organisation_id for r in outsider.roles} == {other.id}


def test_an_unknown_role_is_refused(client, make_user, org_admin):
    org, _ = org_admin
    member = make_user(org, roles=("editor",))
    response = client.post(f"/en/staff/{org.id}/people/{member.id}/roles", data={"role": "emperor"})
    assert response.status_code == 400
