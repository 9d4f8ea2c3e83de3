"""The coalition office's pages: applications and members."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from coalition.accounts.models import Invitation
from coalition.members import applications
from coalition.members.models import ApplicationStatus, Organisation
from coalition.outbox import OutboxEntry
from coalition.programmes.models import Programme
from tests.coalition._mailbox import Mailbox


@pytest.fixture
def application(db):
    return applications.submit_application(
        organisation_name="Bruggenbouwers",
        enterprise_number="0123.456.749",
        contact_name="Els Peeters",
        contact_email="els@bruggenbouwers.example",
        description="Schoolmentoring in Antwerpen.",
        language="nl",
    )


@pytest.fixture
def admin_client(client, login, make_user):
    return login(make_user(coalition_admin=True))


def admin_urls(application_id: int, org_id: int) -> list[tuple[str, str]]:
    return [
        ("get", "/en/admin/applications"),
        ("get", f"/en/admin/applications/{application_id}"),
        ("post", f"/en/admin/applications/{application_id}/approve"),
        ("post", f"/en/admin/applications/{application_id}/reject"),
        ("get", "/en/admin/organisations"),
        ("post", f"/en/admin/organisations/{org_id}/suspend"),
        ("post", f"/en/admin/organisations/{org_id}/readmit"),
    ]


def test_admin_pages_are_invisible_to_staff_of_a_member(
    client, login, make_org, make_user, application
):
    org = make_org("Some member")
    login(make_user(org, roles=("org_admin",)))
    for method, url in admin_urls(application.id, org.id):
        assert getattr(client, method)(url).status_code == 404, url
    assert application.status == ApplicationStatus.pending
    assert org.admitted_at is not None


def test_admin_pages_send_anonymous_visitors_to_the_login(client, application, make_org):
    org = make_org()
    for method, url in admin_urls(application.id, org.id):
        response = getattr(client, method)(url)
        assert response.status_code in (302, 303), url


def test_the_admin_sees_pending_applications_and_approves_one(app, admin_client, application, db):
    mailbox = Mailbox(app.config["MAIL_FILE_DIR"])
    listing = admin_client.get("/fr/admin/applications")
    assert listing.status_code == 200
    assert "Bruggenbouwers" in listing.text

    detail = admin_client.get(f"/fr/admin/applications/{application.id}")
    assert "0123.456.749" in detail.text
    assert "Schoolmentoring in Antwerpen." in detail.text

    response = admin_client.post(f"/fr/admin/applications/{application.id}/approve")
    assert response.status_code == 302
    organisation = db.session.scalar(
        select(Organisation).where(Organisation.enterprise_number == "0123456749")
    )
    assert organisation is not None and organisation.admitted_at is not None
    assert application.status == ApplicationStatus.approved
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.organisation_id == organisation.id)
    )
    assert invitation.email == "els@bruggenbouwers.example"
    [mail] = mailbox.new()
    assert mail["To"] == "els@bruggenbouwers.example"
    assert mail["Content-Language"] == "nl"
    after = admin_client.get("/fr/admin/applications").text
    assert f'/admin/applications/{application.id}"' not in after

    # approving twice changes nothing
    again = admin_client.post(f"/fr/admin/applications/{application.id}/approve")
    assert again.status_code == 302
    assert mailbox.new() == []


def test_the_admin_rejects_with_a_reason_that_is_mailed(app, admin_client, application):
    mailbox = Mailbox(app.config["MAIL_FILE_DIR"])
    empty = admin_client.post(
        f"/en/admin/applications/{application.id}/reject", data={"reject-reason": ""}
    )
    assert empty.status_code == 422
    assert 'id="reject-reason-error"' in empty.text
    assert application.status == ApplicationStatus.pending

    response = admin_client.post(
        f"/en/admin/applications/{application.id}/reject",
        data={"reject-reason": "Geen mentoring-activiteit."},
    )
    assert response.status_code == 302
    assert application.status == ApplicationStatus.rejected
    [mail] = mailbox.new()
    assert "Geen mentoring-activiteit." in Mailbox.body(mail)


def test_an_unknown_application_is_404(admin_client, db):
    assert admin_client.get("/en/admin/applications/999999").status_code == 404
    assert admin_client.post("/en/admin/organisations/999999/suspend").status_code == 404


def test_suspension_hides_the_member_and_readmission_shows_it(admin_client, make_org, db):
    org = make_org("Hidden Helpers", slug="hidden-helpers")
    programme = Programme(organisation_id=org.id, titles={"en": "Duo"})
    db.session.add(programme)
    db.session.flush()
    assert admin_client.get("/en/members/hidden-helpers").status_code == 200
    listing = admin_client.get("/en/admin/organisations")
    assert "Hidden Helpers" in listing.text

    admin_client.post(f"/en/admin/organisations/{org.id}/suspend", data={"reason": "unpaid"})
    assert org.admitted_at is None
    assert admin_client.get("/en/members/hidden-helpers").status_code == 404
    assert "Hidden Helpers" not in admin_client.get("/en/members").text
    queued = db.session.scalars(
        select(OutboxEntry.object_id).where(OutboxEntry.kind == "programme")
    ).all()
    assert programme.id in queued

    admin_client.post(f"/en/admin/organisations/{org.id}/readmit")
    assert org.admitted_at is not None
    assert admin_client.get("/en/members/hidden-helpers").status_code == 200
