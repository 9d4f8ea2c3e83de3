"""The organisation follows its mentor volunteers up: who sees them, the status machine on
the page, the history, the branch, the CSV export."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from coalition.access import Role
from coalition.audit.models import AuditLogEntry
from coalition.branches.models import Branch
from coalition.mentors.models import InterestStatus, MentorInterest
from coalition.mentors.services import express_interest
from coalition.programmes.services import create_programme
from tests.coalition._mentors import interest_body, needs
from tests.coalition._programmes import add_molenbeek_branch, body


@pytest.fixture
def interest(programme):
    return express_interest(programme, interest_body(), "fr")


@pytest.mark.parametrize("role", [Role.org_admin, Role.editor])
def test_admins_and_editors_see_the_volunteers(
    client, login, make_user, mentor_org, interest, role
):
    login(make_user(mentor_org, roles=(role,)))
    inbox = client.get(f"/en/staff/{mentor_org.id}/mentors")
    assert inbox.status_code == 200
    assert "Marianne" in inbox.get_data(as_text=True)
    assert inbox.headers["Cache-Control"] == "private, no-store"
    detail = client.get(f"/en/staff/{mentor_org.id}/mentors/{interest.id}")
    assert "marianne.dupont@example.org" in detail.get_data(as_text=True)
    dashboard = client.get("/en/staff/").get_data(as_text=True)
    assert f"/en/staff/{mentor_org.id}/mentors" in dashboard


@pytest.mark.parametrize("role", [Role.referral_officer, Role.policy_author])
def test_other_roles_of_the_organisation_do_not(
    client, login, make_user, mentor_org, interest, role
):
    login(make_user(mentor_org, roles=(role,)))
    assert client.get(f"/en/staff/{mentor_org.id}/mentors").status_code == 403
    assert client.get(f"/en/staff/{mentor_org.id}/mentors/{interest.id}").status_code == 403
    assert f"/staff/{mentor_org.id}/mentors" not in client.get("/en/staff/").get_data(as_text=True)


def test_another_organisation_and_the_public_do_not(
    client, login, make_org, make_user, mentor_org, interest
):
    assert client.get(f"/en/staff/{mentor_org.id}/mentors").status_code == 302  # to login
    other = make_org("Other Org")
    login(make_user(other, roles=tuple(Role)))
    assert client.get(f"/en/staff/{mentor_org.id}/mentors").status_code == 404
    assert client.get(f"/en/staff/{other.id}/mentors/{interest.id}").status_code == 404
    assert "Marianne" not in client.get(f"/en/staff/{other.id}/mentors").get_data(as_text=True)


def test_the_organisation_moves_it_on_and_the_history_says_who_and_when(
    client, login, db, editor, mentor_org, interest
):
    login(editor)
    url = f"/en/staff/{mentor_org.id}/mentors/{interest.id}"
    for status in ("contacted", "in_training", "active"):
        response = client.post(f"{url}/status", data={"move-status": status})
        assert response.status_code == 302
    db.session.refresh(interest)
    assert interest.status == InterestStatus.active
    moves = [(c.before, c.after, c.actor_user_id) for c in interest.changes]
    assert moves == [
        (None, "new", None),
        ("new", "contacted", editor.id),
        ("contacted", "in_training", editor.id),
        ("in_training", "active", editor.id),
    ]
    assert all(c.at is not None for c in interest.changes)
    page = client.get(url).get_data(as_text=True)
    assert "Eddy Editor moved it from “In training” to “Active”." in page


def test_an_illegal_move_is_refused_beside_the_field(
    client, login, db, editor, mentor_org, interest
):
    login(editor)
    response = client.post(
        f"/en/staff/{mentor_org.id}/mentors/{interest.id}/status",
        data={"move-status": "continuing"},
    )
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert 'id="move-status-error"' in text
    assert "An interest that is “New” cannot become “Continuing”" in text
    db.session.refresh(interest)
    assert interest.status == InterestStatus.new and len(interest.changes) == 1


def test_the_branch_is_chosen_from_the_organisations_own(
    client, login, db, make_org, editor, mentor_org, interest
):
    elsewhere = make_org()
    second = Branch(organisation=mentor_org, name="Gent", postcode="9000", city="Gent")
    foreign = Branch(organisation=elsewhere, name="Elsewhere", postcode="4000", city="Liège")
    db.session.add_all([second, foreign])
    db.session.flush()
    login(editor)
    url = f"/en/staff/{mentor_org.id}/mentors/{interest.id}/branch"
    assert client.post(url, data={"branch-branch": str(foreign.id)}).status_code == 422
    assert client.post(url, data={"branch-branch": str(second.id)}).status_code == 302
    db.session.refresh(interest)
    assert interest.branch_id == second.id
    assert (interest.changes[-1].before, interest.changes[-1].after) == ("Molenbeek", "Gent")


def test_the_inbox_filters_by_status(client, login, db, editor, mentor_org, programme, interest):
    other = express_interest(
        programme, interest_body(first_name="Zeynep", email="z@example.org"), "fr"
    )
    other.status = InterestStatus.contacted
    db.session.flush()
    login(editor)
    page = client.get(f"/en/staff/{mentor_org.id}/mentors?status=contacted").get_data(as_text=True)
    assert "Zeynep" in page and "Marianne" not in page
    everything = client.get(f"/en/staff/{mentor_org.id}/mentors?status=bogus").get_data(
        as_text=True
    )
    assert "Zeynep" in everything and "Marianne" in everything


def test_the_csv_export_opens_safely_in_a_spreadsheet(
    client, login, db, editor, mentor_org, programme
):
    express_interest(
        programme,
        interest_body(first_name='=HYPERLINK("http://evil.example")', message="@SUM(A1:A9); ok"),
        "fr",
    )
    login(editor)
    assert client.get(f"/en/staff/{mentor_org.id}/mentors/export").status_code == 405
    response = client.post(f"/en/staff/{mentor_org.id}/mentors/export")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "private, no-store"
    raw = response.data
    assert raw.startswith("\ufeff".encode())  # UTF-8 with a byte-order mark
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header, row = rows
    assert header[:2] == ["Received", "Programme"] and len(header) == len(row)
    values = dict(zip(header, row, strict=True))
    assert values["First name"] == '\'=HYPERLINK("http://evil.example")'
    assert values["Message"] == "'@SUM(A1:A9); ok"
    assert values["Phone number"] == "'+32 470 12 34 56"
    assert values["Age"] == "60 to 69"
    assert values["Status"] == "New"
    [entry] = db.session.scalars(
        select(AuditLogEntry).where(AuditLogEntry.action == "mentor_interest.export")
    ).all()
    assert entry.details == {"count": 1} and entry.actor_user_id == editor.id


def test_the_export_holds_only_the_organisations_volunteers(
    client, login, db, make_org, make_user, programme, interest
):

    other = make_org("Another Org")
    add_molenbeek_branch(db, other)
    theirs = create_programme(other, body(status="published", mentor_needs=needs()))
    express_interest(theirs, interest_body(email="theirs@example.org"), "fr")
    login(make_user(other, roles=(Role.editor,)))
    data = client.post(f"/en/staff/{other.id}/mentors/export").data.decode("utf-8-sig")
    assert "theirs@example.org" in data and "marianne.dupont@example.org" not in data
    assert db.session.scalar(
        select(MentorInterest.id).where(MentorInterest.email == "theirs@example.org")
    )
