"""A suspended member's staff: no sign-in, no staff page, until the coalition readmits it."""

from __future__ import annotations

import logging

import pyotp
import pytest
from sqlalchemy import func, select

from coalition.access import Role
from coalition.accounts.invitations import invite_user
from coalition.accounts.models import OrganisationRole
from coalition.audit.models import AuditLogEntry
from coalition.members import services as members
from tests.coalition.mailbox import link_in, mails_to

PASSWORD = "correct horse battery staple"

#: the login page's refusal, per language (a distinctive part of it)
REFUSAL = {
    "en": "membership of your organisation in the coalition is suspended",
    "fr": "adhésion de votre organisation à la coalition est suspendue",
    "nl": "lidmaatschap van uw organisatie bij de coalitie is opgeschort",
}
#: the staff pages' refusal, in English
PAGE_REFUSAL = "has suspended the membership of"


def form_login(client, email: str, password: str = PASSWORD, lang: str = "en"):
    return client.post(f"/{lang}/login", data={"email": email, "password": password})


def is_signed_in(client) -> bool:
    return client.get("/en/staff/").status_code == 200


@pytest.fixture
def office(make_user):
    return make_user(coalition_admin=True)


@pytest.fixture
def suspended(make_org, office):
    org = make_org("Paused Mentors")
    members.suspend_organisation(org, office, "unpaid fees")
    return org


def audit_count(db, org) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(AuditLogEntry)
        .where(AuditLogEntry.organisation_id == org.id)
    )


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_staff_of_only_suspended_members_cannot_sign_in(client, make_user, suspended, lang):
    user = make_user(suspended, roles=(Role.editor,), language=lang)
    response = form_login(client, user.email, lang=lang)
    assert response.status_code == 200
    assert REFUSAL[lang] in response.text
    assert not is_signed_in(client)


def test_the_suspension_is_told_only_after_the_right_password(client, make_user, suspended):
    user = make_user(suspended, roles=(Role.org_admin,))
    response = form_login(client, user.email, password="not the password at all")
    assert REFUSAL["en"] not in response.text
    assert "e-mail or the password is not correct" in response.text


def test_a_refused_sign_in_goes_to_the_security_log(client, make_user, suspended, caplog):
    user = make_user(suspended, roles=(Role.editor,))
    with caplog.at_level(logging.WARNING, logger="coalition.security"):
        form_login(client, user.email)
    assert f"login refused (membership suspended) for user {user.id}" in caplog.text


def test_with_a_second_factor_the_code_is_not_even_asked(client, make_user, suspended):
    user = make_user(suspended, roles=(Role.editor,))
    user.totp_secret = pyotp.random_base32()
    response = form_login(client, user.email)
    assert response.status_code == 200
    assert REFUSAL["en"] in response.text
    assert client.get("/en/login/code").headers["Location"] == "/en/login"


def test_a_suspension_between_password_and_code_refuses_the_code(
    client, make_user, make_org, office
):
    org = make_org()
    user = make_user(org, roles=(Role.editor,))
    totp = pyotp.TOTP(pyotp.random_base32())
    user.totp_secret = totp.secret
    assert form_login(client, user.email).headers["Location"] == "/en/login/code"
    members.suspend_organisation(org, office)
    response = client.post("/en/login/code", data={"code": totp.now()}, follow_redirects=True)
    assert REFUSAL["en"] in response.text
    assert not is_signed_in(client)


def test_staff_of_another_current_member_sign_in_but_not_into_the_suspended_one(
    client, db, make_user, make_org, suspended
):
    active = make_org("Still Mentoring")
    user = make_user(suspended, roles=tuple(Role))
    # The same person also edits for a current member.
    db.session.add(OrganisationRole(user=user, organisation_id=active.id, role=Role.editor))
    db.session.flush()
    assert form_login(client, user.email).status_code == 302
    assert is_signed_in(client)
    dashboard = client.get("/en/staff/").text
    assert "suspended this organisation" in dashboard
    assert f"/staff/org/{suspended.id}/profile" not in dashboard
    assert f"/staff/programmes/{active.id}/" in dashboard

    before = (audit_count(db, suspended), suspended.name)
    for method, url in [
        ("get", f"/en/staff/org/{suspended.id}/profile"),
        ("post", f"/en/staff/org/{suspended.id}/profile"),
        ("get", f"/en/staff/{suspended.id}/people"),
        ("post", f"/en/staff/{suspended.id}/people"),
        ("get", f"/en/staff/programmes/{suspended.id}/"),
        ("get", f"/fr/staff/org/{suspended.id}/branches"),
    ]:
        response = client.open(
            url, method=method, data={"name": "Renamed", "email": "x@example.org"}
        )
        assert response.status_code == 403, url
        assert "Paused Mentors" in response.text
    db.session.expire_all()
    assert (audit_count(db, suspended), suspended.name) == before
    assert client.get(f"/en/staff/programmes/{active.id}/").status_code == 200


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "La coalition a suspendu"),
        ("nl", "De coalitie heeft het lidmaatschap van Paused Mentors opgeschort"),
    ],
)
def test_the_refusal_page_speaks_the_visitors_language(
    client, login, make_user, make_org, suspended, db, lang, text
):
    user = make_user(suspended, roles=(Role.org_admin,))
    db.session.add(OrganisationRole(user=user, organisation_id=make_org().id, role=Role.editor))
    db.session.flush()
    login(user)
    response = client.get(f"/{lang}/staff/{suspended.id}/people")
    assert response.status_code == 403
    assert text in response.text and "Paused Mentors" in response.text


def test_a_coalition_admin_signs_in_but_the_suspended_members_pages_stay_closed(
    client, office, suspended, db
):
    db.session.add(OrganisationRole(user=office, organisation_id=suspended.id, role=Role.org_admin))
    db.session.flush()
    assert form_login(client, office.email).status_code == 302
    assert client.get("/en/admin/organisations").status_code == 200
    response = client.get(f"/en/staff/org/{suspended.id}/profile")
    assert response.status_code == 403
    assert PAGE_REFUSAL in response.text


def test_a_signed_in_session_ends_at_its_next_request_after_the_suspension(
    client, make_user, make_org, office
):
    org = make_org()
    user = make_user(org, roles=(Role.editor,))
    form_login(client, user.email)
    assert is_signed_in(client)

    members.suspend_organisation(org, office)
    response = client.get("/en/staff/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/en/login")
    assert REFUSAL["en"] in client.get(response.headers["Location"]).text
    with client.session_transaction() as session:
        assert "user_id" not in session
    assert not is_signed_in(client)


def test_readmission_restores_sign_in_and_the_pages(client, make_user, suspended, office):
    user = make_user(suspended, roles=(Role.org_admin,))
    assert REFUSAL["en"] in form_login(client, user.email).text

    members.readmit_organisation(suspended, office)
    assert form_login(client, user.email).status_code == 302
    assert is_signed_in(client)
    assert client.get(f"/en/staff/org/{suspended.id}/profile").status_code == 200


def test_an_invitation_to_a_suspended_member_waits_for_its_readmission(
    app, client, make_user, make_org, office
):
    org = make_org("Paused Mentors")
    admin = make_user(org, roles=(Role.org_admin,))
    invite_user("paused-newbie@example.org", "Newbie", org, [Role.editor], admin, "en")
    link = link_in(mails_to(app, "paused-newbie@example.org")[-1])
    members.suspend_organisation(org, office)
    form = {"name": "Newbie", "password": PASSWORD, "confirm": PASSWORD}

    refused = client.post(link, data=form)
    assert refused.status_code == 400
    assert "Paused Mentors" in refused.text and "suspended" in refused.text
    assert not is_signed_in(client)

    members.readmit_organisation(org, office)
    assert client.post(link, data=form).status_code == 302
    assert is_signed_in(client)
