"""Membership: enterprise numbers, applications, approval and rejection."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coalition.accounts.models import Invitation
from coalition.audit.models import AuditLogEntry
from coalition.members import applications
from coalition.members import services as members
from coalition.members.models import ApplicationStatus, MembershipApplication, Organisation
from tests.coalition._mailbox import Mailbox

VALID = "0123456749"  # 97 - 1234567 % 97 == 49


@pytest.mark.parametrize(
    "raw",
    [
        "0123.456.749",
        "0123456749",
        "BE0123456749",
        "BE 0123 456 749",
        "be0123.456.749",
        "123456749",
        " 0123-456-749 ",
    ],
)
def test_enterprise_numbers_are_normalised_to_ten_digits(raw):
    assert members.normalise_enterprise_number(raw) == VALID


@pytest.mark.parametrize(
    "raw",
    [
        "0123.456.748",
        "0123456750",
        "123",
        "",
        None,
        "NL0123456749",
        "2123456749",
        "01234567490",
        "abcdefghij",
        "０１２３４５６７４９",
    ],
)
def test_invalid_enterprise_numbers_are_refused(raw):
    assert members.normalise_enterprise_number(raw) is None


def test_enterprise_number_is_formatted_as_the_register_does():
    assert members.format_enterprise_number(VALID) == "0123.456.749"


def _apply(**fields):
    values = dict(
        organisation_name="Mentors Sans Frontières",
        enterprise_number="BE 0123.456.749",
        contact_name="Amina Contact",
        contact_email="Amina@Example.org",
        website="mentors.example",
        languages=["fr", "nl", "xx"],
        description="We mentor young newcomers in Brussels.",
        language="nl",
    )
    values.update(fields)
    return applications.submit_application(**values)


def test_submit_application_normalises_its_fields(db):
    application = _apply()
    assert application.status == ApplicationStatus.pending
    assert application.enterprise_number == VALID
    assert application.website == "https://mentors.example"
    assert application.languages == ["fr", "nl"]
    assert application.contact_email == "amina@example.org"


@pytest.mark.parametrize(
    ("language", "subject", "next_step"),
    [
        ("fr", "Nous avons reçu votre candidature", "vous recevrez sa décision par e-mail"),
        (
            "nl",
            "We hebben uw aanvraag bij de mentoringcoalitie ontvangen",
            "u ontvangt de beslissing per e-mail",
        ),
        ("en", "We received your application", "You will receive its decision by e-mail"),
    ],
)
def test_an_application_is_acknowledged_to_its_contact_in_its_language(
    app, db, language, subject, next_step
):
    mailbox = Mailbox(app.config["MAIL_FILE_DIR"])
    application = _apply(language=language)
    [mail] = mailbox.new()
    assert mail["To"] == "amina@example.org"
    assert mail["Content-Language"] == language
    assert subject in mail["Subject"]
    body = Mailbox.body(mail)
    assert "Amina Contact" in body
    assert "Mentors Sans Frontières" in body and "0123.456.749" in body
    assert next_step.lower() in body.lower()
    assert "http" not in body  # no link, no token: nothing to act on
    assert application.language == language


def test_an_application_in_an_unknown_language_is_acknowledged_in_french(app, db):
    mailbox = Mailbox(app.config["MAIL_FILE_DIR"])
    assert _apply(language="de").language == "fr"
    [mail] = mailbox.new()
    assert mail["Content-Language"] == "fr"


def test_a_refused_application_sends_no_acknowledgement(app, db):
    mailbox = Mailbox(app.config["MAIL_FILE_DIR"])
    with pytest.raises(members.MembershipError):
        _apply(enterprise_number="0123.456.748")
    assert mailbox.new() == []


def test_a_second_pending_application_with_the_same_number_is_refused(db):
    _apply()
    with pytest.raises(members.MembershipError) as caught:
        _apply(organisation_name="Another name", enterprise_number="0123456749")
    assert caught.value.field == "enterprise_number"


def test_an_application_of_a_member_is_refused(app, db, make_org):
    make_org("Existing member", enterprise_number=VALID)
    with pytest.raises(members.MembershipError) as caught:
        _apply()
    with app.test_request_context("/en/"):
        assert "already a member" in str(caught.value.message)


def test_an_invalid_website_is_refused(db):
    with pytest.raises(members.MembershipError) as caught:
        _apply(website="javascript:alert(1)")
    assert caught.value.field == "website"


def test_approval_admits_the_organisation_and_invites_its_contact(app, db, make_user):
    admin = make_user(coalition_admin=True)
    application = _apply()
    mailbox = Mailbox(app.config["MAIL_FILE_DIR"])
    organisation = applications.approve_application(application, admin)

    assert organisation.admitted_at is not None
    assert organisation.enterprise_number == VALID
    assert organisation.slug == "mentors-sans-frontieres"
    assert organisation.descriptions == {"nl": "We mentor young newcomers in Brussels."}
    assert application.status == ApplicationStatus.approved
    assert application.organisation_id == organisation.id
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.organisation_id == organisation.id)
    )
    assert invitation.email == "amina@example.org"
    assert invitation.roles == ["org_admin"]
    assert invitation.language == "nl"
    [mail] = mailbox.new()
    assert mail["To"] == "amina@example.org"
    assert "Mentors Sans Frontières" in Mailbox.body(mail)
    actions = set(
        db.session.scalars(
            select(AuditLogEntry.action).where(AuditLogEntry.organisation_id == organisation.id)
        )
    )
    assert {"application.approve", "user.invite"} <= actions

    with pytest.raises(members.MembershipError):
        applications.approve_application(application, admin)


def test_approval_gives_a_unique_slug(db, make_org, make_user):
    make_org("Mentors Sans Frontières", slug="mentors-sans-frontieres")
    organisation = applications.approve_application(_apply(), make_user(coalition_admin=True))
    assert organisation.slug == "mentors-sans-frontieres-2"


def test_rejection_mails_the_reason_in_the_applicants_language(app, db, make_user):
    admin = make_user(coalition_admin=True)
    application = _apply(language="fr")
    mailbox = Mailbox(app.config["MAIL_FILE_DIR"])
    with pytest.raises(members.MembershipError):
        applications.reject_application(application, admin, "  ")
    applications.reject_application(application, admin, "Pas d'activité de mentorat en Belgique.")

    assert application.status == ApplicationStatus.rejected
    [mail] = mailbox.new()
    assert mail["To"] == "amina@example.org"
    assert mail["Content-Language"] == "fr"
    body = Mailbox.body(mail)
    assert "Pas d'activité de mentorat en Belgique." in body
    assert "Mentors Sans Frontières" in body
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(Organisation)
            .where(Organisation.enterprise_number == VALID)
        )
        == 0
    )
    # once rejected, the organisation may apply again
    assert _apply().status == ApplicationStatus.pending


def _join(client, lang: str, name: str, number: str, **fields):
    """Send the join form in `lang` for the organisation `name` with enterprise number `number`,
    Jan as the contact."""
    data = {
        "organisation_name": name,
        "enterprise_number": number,
        "contact_name": "Jan",
        "contact_email": "jan@example.org",
        **fields,
    }
    return client.post(f"/{lang}/join", data=data)


def test_join_page_validates_the_enterprise_number_beside_the_field(client, db):
    page = client.get("/fr/join")
    assert page.status_code == 200
    assert 'for="enterprise_number"' in page.text

    response = _join(client, "fr", "Duo Test", "0123.456.748", description="Mentoring.")
    assert response.status_code == 422
    assert 'id="enterprise_number-error"' in response.text
    assert 'aria-describedby="enterprise_number-hint enterprise_number-error"' in response.text
    assert "numéro d" in response.text.lower()  # the French message
    assert db.session.scalar(select(func.count()).select_from(MembershipApplication)) == 0


def test_join_page_records_the_application(app, client, db):
    mailbox = Mailbox(app.config["MAIL_FILE_DIR"])
    response = _join(
        client,
        "nl",
        "Taalmaatjes Gent",
        "BE0123456749",
        website="https://taalmaatjes.example",
        languages=["nl", "en"],
        description="Taalbuddies voor nieuwkomers.",
    )
    assert response.status_code == 200
    assert "jan@example.org" in response.text
    application = db.session.scalar(select(MembershipApplication))
    assert application.organisation_name == "Taalmaatjes Gent"
    assert application.language == "nl"
    assert application.languages == ["nl", "en"]
    [mail] = mailbox.new()
    assert mail["To"] == "jan@example.org"
    assert mail["Content-Language"] == "nl"
    assert "Taalmaatjes Gent" in Mailbox.body(mail)

    again = _join(client, "nl", "Taalmaatjes Gent bis", "0123456749", description="Taalbuddies.")
    assert again.status_code == 422
    assert 'id="enterprise_number-error"' in again.text


def test_join_page_without_csrf_token_is_refused(make_app, db):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.test_client() as client:
        response = client.post("/en/join", data={"organisation_name": "X"})
    assert response.status_code in (400, 422)
