"""What a programme asks of mentors: in the programme body, its rules, the editor's form."""

from __future__ import annotations

import re

import pytest
from marshmallow import ValidationError
from sqlalchemy import func, select

from coalition.errors import error_pointers
from coalition.outbox import OutboxEntry
from coalition.programmes.models import Programme
from coalition.programmes.schemas import ProgrammeSchema
from coalition.programmes.services import create_programme, update_programme
from tests.coalition._mentors import needs
from tests.coalition._programmes import body
from tests.coalition.programmes.test_views import form_data


def pointers_of(error: ValidationError) -> dict[str, str]:
    return {e["pointer"]: e["detail"] for e in error_pointers(error.messages)}


def test_the_needs_are_stored_with_their_places_and_dumped_in_the_body(app, mentor_org):
    programme = create_programme(mentor_org, body(mentor_needs=needs()))
    stored = programme.mentor_needs
    assert stored["seeking"] is True and stored["age_min"] == 50
    assert stored["training"] == {"hours": 12, "format": "mixed"}
    assert stored["locations"] == [
        {
            "postcode": "1080",
            "country": "BE",
            "city": "Molenbeek-Saint-Jean",
            "latitude": 50.855,
            "longitude": 4.32,
        }
    ]
    with app.test_request_context("/en/"):
        dumped = ProgrammeSchema().dump(programme)["mentor_needs"]
    assert dumped["locations"] == [
        {"postcode": "1080", "country": "BE", "city": "Molenbeek-Saint-Jean"}
    ]
    assert dumped["experience_fields"] == ["hr", "business"]


def test_a_programme_without_needs_dumps_null(app, mentor_org):
    programme = create_programme(mentor_org, body())
    assert programme.mentor_needs is None and not programme.seeks_mentors
    with app.test_request_context("/en/"):
        assert ProgrammeSchema().dump(programme)["mentor_needs"] is None


@pytest.mark.parametrize(
    ("changes", "pointer", "message"),
    [
        ({"colour": "blue"}, "/mentor_needs/colour", "Unknown field."),
        ({"hours_per_week": 60}, "/mentor_needs/hours_per_week", "Must be between 0.5 and 40."),
        ({"hours_per_week": "two"}, "/mentor_needs/hours_per_week", "Enter a number."),
        ({"duo_months": 0}, "/mentor_needs/duo_months", "Must be between 1 and 36."),
        ({"age_min": 12}, "/mentor_needs/age_min", "Must be between 18 and 99."),
        ({"experience_fields": ["astrology"]}, "/mentor_needs/experience_fields/0", "Unknown"),
        ({"languages": ["klingon"]}, "/mentor_needs/languages/0", "not a language code"),
        ({"training": {"hours": 10}}, "/mentor_needs/training/format", "required"),
        ({"training": {"format": "by post"}}, "/mentor_needs/training/format", "Unknown"),
        ({"mentors_needed": -1}, "/mentor_needs/mentors_needed", "Must be between 0"),
    ],
)
def test_wrong_needs_are_refused_at_their_pointer(app, mentor_org, changes, pointer, message):
    with app.test_request_context("/en/"):
        with pytest.raises(ValidationError) as refused:
            create_programme(mentor_org, body(mentor_needs=needs(**changes)))
        assert message in pointers_of(refused.value)[pointer]


def test_a_place_that_is_no_branch_is_refused(app, db, mentor_org):
    wanted = needs(locations=[{"postcode": "1080"}, {"postcode": "9000"}])
    with app.test_request_context("/en/"), pytest.raises(ValidationError) as refused:
        create_programme(mentor_org, body(mentor_needs=wanted))
    assert (
        "No branch of the organisation"
        in pointers_of(refused.value)["/mentor_needs/locations/1/postcode"]
    )
    assert db.session.scalar(select(func.count()).select_from(Programme)) == 0


def test_omitted_needs_stay_null_clears_them_and_a_change_reaches_the_outbox(db, mentor_org):
    programme = create_programme(mentor_org, body(mentor_needs=needs()))

    def outbox_rows() -> int:
        return db.session.scalar(select(func.count()).where(OutboxEntry.object_id == programme.id))

    rows = outbox_rows()
    update_programme(programme, body())  # a member system that knows nothing of mentors
    assert programme.mentor_needs["mentors_needed"] == 8
    assert outbox_rows() == rows  # nothing changed: nothing to index
    update_programme(programme, body(mentor_needs=needs(mentors_needed=3)))
    assert programme.mentor_needs["mentors_needed"] == 3
    assert outbox_rows() == rows + 1
    update_programme(programme, body(mentor_needs=None) | {"mentor_needs": None})
    assert programme.mentor_needs is None
    assert outbox_rows() == rows + 2


def test_seeking_false_keeps_the_profile_but_closes_the_form(db, mentor_org):
    programme = create_programme(
        mentor_org, body(status="published", mentor_needs=needs(seeking=False))
    )
    assert programme.mentor_needs["experience_fields"] == ["hr", "business"]
    assert not programme.seeks_mentors


# --- the editor's form ---------------------------------------------------------------------


def mentor_fields(branch_id: int, **changes):
    data = {
        "mentor_seeking": "y",
        "mentor_experience_fields": ["hr", "education"],
        "mentor_languages": ["fr"],
        "mentor_age_min": "50",
        "mentor_hours_per_week": "2",
        "mentor_duo_months": "6",
        "mentor_training_hours": "8",
        "mentor_training_format": "in_person",
        "mentor_branches": [str(branch_id)],
        "mentor_online": "y",
        "mentors_needed": "5",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_editor_says_the_programme_seeks_mentors(client, login, db, editor, mentor_org):
    login(editor)
    branch = mentor_org.branches[0]
    response = client.post(
        f"/en/staff/programmes/{mentor_org.id}/new",
        data=form_data(branch.id) | mentor_fields(branch.id),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    programme = db.session.scalar(
        select(Programme).where(Programme.organisation_id == mentor_org.id)
    )
    assert programme.mentor_needs["training"] == {"hours": 8.0, "format": "in_person"}
    assert programme.mentor_needs["online"] is True
    assert [p["postcode"] for p in programme.mentor_needs["locations"]] == ["1080"]
    page = client.get(f"/en/staff/programmes/{mentor_org.id}/{programme.id}/edit")
    text = page.get_data(as_text=True)
    assert re.search(r'id="mentor_hours_per_week"[^>]*value="2"', text)
    assert re.search(r'value="in_person" selected|selected[^>]*value="in_person"', text)


def test_a_wrong_mentor_field_is_shown_beside_it(client, login, db, editor, mentor_org):
    login(editor)
    branch = mentor_org.branches[0]
    response = client.post(
        f"/en/staff/programmes/{mentor_org.id}/new",
        data=form_data(branch.id)
        | mentor_fields(branch.id, mentor_hours_per_week="60", mentor_training_format=""),
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Must be between 0.5 and 40." in re.search(
        r'id="mentor_hours_per_week-error">([^<]*)<', text
    ).group(1)
    assert "required" in re.search(r'id="mentor_training_format-error">([^<]*)<', text).group(1)
    assert db.session.scalar(select(func.count()).select_from(Programme)) == 0


def test_an_empty_mentor_group_means_no_needs(client, login, db, editor, mentor_org):
    login(editor)
    branch = mentor_org.branches[0]
    assert (
        client.post(
            f"/en/staff/programmes/{mentor_org.id}/new", data=form_data(branch.id)
        ).status_code
        == 302
    )
    programme = db.session.scalar(
        select(Programme).where(Programme.organisation_id == mentor_org.id)
    )
    assert programme.mentor_needs is None


def test_the_public_page_shows_the_mentor_slot_only_when_seeking(client, db, programme):
    page = client.get(f"/fr/programmes/{programme.uuid}").get_data(as_text=True)
    assert "Devenir mentor dans ce programme" in page
    assert f"/fr/mentor/programmes/{programme.uuid}/interest" in page
    update_programme(programme, body(status="published", mentor_needs=needs(seeking=False)))
    db.session.flush()
    page = client.get(f"/fr/programmes/{programme.uuid}").get_data(as_text=True)
    assert "Devenir mentor dans ce programme" not in page
