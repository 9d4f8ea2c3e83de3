"""The volunteer's interest form: what it stores, its messages beside each field, its mail."""

from __future__ import annotations

import re

import pytest
from marshmallow import ValidationError
from sqlalchemy import func, select

from coalition.mentors.models import InterestStatus, MentorInterest, MentorInterestChange
from coalition.mentors.schemas import InterestSchema
from coalition.mentors.services import express_interest
from coalition.programmes.services import create_programme, update_programme
from tests.coalition._mailbox import Mailbox
from tests.coalition._mentors import interest_body, needs
from tests.coalition._programmes import body


def interests(db) -> list[MentorInterest]:
    return list(db.session.scalars(select(MentorInterest).order_by(MentorInterest.id)))


def error_of(page: str, field: str) -> str:
    match = re.search(rf'id="{field}-error">([^<]*)<', page)
    assert match, f"no error beside {field}"
    return match.group(1)


def test_the_form_shows_what_the_programme_asks(client, programme):
    page = client.get(f"/en/mentor/programmes/{programme.uuid}/interest")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Preferably 50 or older" in text
    assert "12 hours, mixed" in text
    assert 'name="started"' in text and 'name="reference_code"' in text
    assert page.headers["Cache-Control"] == "private, no-store"


def test_a_sent_interest_is_stored_with_only_its_fields(client, db, send, programme):
    response = send("en")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/en/mentor/programmes/{programme.uuid}/interest/sent"
    )
    [interest] = interests(db)
    assert (interest.first_name, interest.email, interest.phone) == (
        "Marianne",
        "marianne.dupont@example.org",
        "+32 470 12 34 56",
    )
    assert interest.age_band == "60-69"
    assert interest.experience_fields == ["hr"]
    assert interest.availability == ["weekdays"]
    assert interest.status == InterestStatus.new
    assert interest.consented_at is not None and interest.consent_version
    # The programme seeks mentors at one branch only: that branch follows it up.
    assert interest.branch_id == programme.organisation.branches[0].id
    [change] = db.session.scalars(select(MentorInterestChange)).all()
    assert (change.change, change.before, change.after, change.actor_user_id) == (
        "status",
        None,
        "new",
        None,
    )
    thanks = client.get(response.headers["Location"])
    assert "Thank you" in thanks.get_data(as_text=True)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"first_name": "  "}, "first_name", "This field is required."),
        ({"first_name": "x" * 61}, "first_name", "At most 60 characters."),
        ({"email": "marianne@"}, "email", "Enter a valid e-mail address."),
        ({"phone": "call me"}, "phone", "Enter a phone number"),
        ({"age_band": None}, "age_band", "This field is required."),
        ({"age_band": "80-89"}, "age_band", "Unknown code “80-89”."),
        ({"experience_fields": []}, "experience_fields", "Choose at least one."),
        ({"experience_fields": ["astrology"]}, "experience_fields", "Unknown code"),
        ({"languages": []}, "languages", "Choose at least one."),
        ({"availability": []}, "availability", "Choose at least one."),
        ({"message": "m" * 1001}, "message", "At most 1000 characters."),
    ],
)
def test_each_wrong_field_is_refused_beside_it_and_nothing_is_stored(
    db, send, mailbox, changes, field, message
):
    response = send("en", **changes)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in error_of(page, field)
    assert re.search(rf'aria-describedby="[^"]*{field}-error"', page), "error not announced"
    assert interests(db) == []
    assert mailbox.new() == []


def test_a_message_of_exactly_1000_characters_is_taken(db, send):
    assert send("en", message="m" * 1000).status_code == 302
    assert len(interests(db)[0].message) == 1000


def test_consent_is_required(db, send, mailbox):
    response = send("fr", consent=False)
    assert response.status_code == 422
    assert "Cochez cette case" in error_of(response.get_data(as_text=True), "consent")
    assert interests(db) == []
    assert mailbox.new() == []


def test_what_was_typed_is_kept_when_the_form_comes_back(send):
    page = send("en", email="wrong", message="Retired nurse").get_data(as_text=True)
    assert 'value="Marianne"' in page
    assert "Retired nurse</textarea>" in page
    assert re.search(r'value="60-69"[^>]*checked|checked[^>]*value="60-69"', page)


def test_an_unknown_field_sent_to_the_service_is_refused(db, programme):
    with pytest.raises(ValidationError) as refused:
        express_interest(programme, interest_body(birth_date="1960-01-01"), "fr")
    assert "birth_date" in refused.value.messages
    assert interests(db) == []


def test_a_programme_not_seeking_mentors_has_no_form(client, db, programme):
    update_programme(programme, body(status="published", mentor_needs=needs(seeking=False)))
    db.session.flush()
    assert client.get(f"/en/mentor/programmes/{programme.uuid}/interest").status_code == 404


def test_a_draft_programme_has_no_form(client, db, mentor_org):
    draft = create_programme(mentor_org, body(mentor_needs=needs()))
    assert client.get(f"/en/mentor/programmes/{draft.uuid}/interest").status_code == 404
    assert client.get("/en/mentor/programmes/not-a-uuid/interest").status_code == 404


@pytest.mark.parametrize(
    ("lang", "subject", "words"),
    [
        ("fr", "Votre intérêt pour devenir mentor", "Vous avez changé d'avis"),
        ("nl", "Je interesse om mentor te worden", "Van gedachten veranderd"),
        ("en", "Your interest in being a mentor", "Changed your mind"),
    ],
)
def test_the_acknowledgement_is_mailed_in_the_forms_language(
    send, mailbox, programme, lang, subject, words
):
    assert send(lang).status_code == 302
    [mail] = mailbox.new()
    assert mail["To"] == "marianne.dupont@example.org"
    assert mail["Content-Language"] == lang
    assert mail["Subject"].startswith(subject)
    text = Mailbox.body(mail)
    assert words in text
    assert "Marianne" in text
    assert re.search(rf"/{lang}/mentor/withdraw/\S+", text)


def test_the_form_is_in_the_visitors_language(client, programme):
    page = client.get(f"/nl/mentor/programmes/{programme.uuid}/interest").get_data(as_text=True)
    assert "Mentor worden" in page
    assert "Bij voorkeur 50 of ouder" in page


def test_only_the_fields_of_the_form_reach_the_database(db, send):
    """Every column of the row is a field of the form or the platform's bookkeeping."""
    send("en")
    columns = set(MentorInterest.__table__.columns.keys())
    bookkeeping = {
        "id",
        "uuid",
        "programme_id",
        "branch_id",
        "status",
        "consented_at",
        "consent_version",
        "reminded_at",
        "created_at",
        "updated_at",
    }
    fields = set(InterestSchema().fields) - {"consent"}  # kept as `consented_at`
    assert columns == bookkeeping | fields
    assert db.session.scalar(select(func.count()).select_from(MentorInterest)) == 1
