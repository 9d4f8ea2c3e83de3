"""The receiving officer's moves on the staff pages: a rejection with its reason, a close
with its outcome, each kept and shown in the timeline; a rejection without a reason or a
close without an outcome is refused beside its field and changes nothing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from coalition.access import Role
from federation.referrals.models import Referral, ReferralTransition
from federation.referrals.states import Status


@pytest.fixture
def officer_page(db, pair, send, make_user, login):
    """Send a referral, sign the receiver's officer in; the referral's page address."""
    referral_id = send().json["id"]
    login(make_user(pair.receiver, roles=(Role.referral_officer,)))
    return f"/en/federation/{pair.receiver.id}/referrals/{referral_id}"


def _stored(db):
    db.session.expire_all()
    return db.session.execute(select(Referral.status, Referral.reason, Referral.outcome)).one()


def _steps(db) -> int:
    return db.session.scalar(select(func.count()).select_from(ReferralTransition))


def _timeline_row(html: str) -> tuple[str, str, str]:
    """The last timeline row's from, to and reason or outcome, as the page shows them."""
    cells = re.findall(r'<td data-label="(From|To|Reason or outcome)">([^<]*)</td>', html)
    return tuple(value for _, value in cells[-3:])


def test_the_receiver_rejects_with_a_reason(client, db, officer_page):
    page = client.get(officer_page).get_data(as_text=True)
    assert '<select id="reason-rejected" name="reason">' in page
    response = client.post(
        f"{officer_page}/transitions", data={"status": "rejected", "reason": "not_eligible"}
    )
    assert response.status_code == 302
    assert tuple(_stored(db)) == (Status.rejected, "not_eligible", None)
    html = client.get(officer_page).get_data(as_text=True)
    assert (
        'data-status="rejected"' in html and '<span data-reason="not_eligible">Not eligible' in html
    )
    assert _timeline_row(html) == ("Requested", "Rejected", "Not eligible")
    assert "data-move=" not in html  # ended: no move left


def _first_option(page: str, select_id: str) -> str:
    select = re.search(rf'<select id="{select_id}"[^>]*>(.*?)</select>', page, re.S)
    return re.match(r'<option value="([^"]*)"', select.group(1)).group(1)


def test_no_reason_or_outcome_is_chosen_for_the_officer(client, officer_page):
    # A reason or an outcome picked in advance would be sent by a click on the button alone.
    page = client.get(officer_page).get_data(as_text=True)
    assert _first_option(page, "reason-rejected") == ""
    for status in ("accepted", "in-progress"):
        client.post(f"{officer_page}/transitions", data={"status": status})
    page = client.get(officer_page).get_data(as_text=True)
    assert _first_option(page, "outcome-completed") == ""
    assert _first_option(page, "outcome-failed") == ""


def test_the_receiver_closes_an_enrolled_referral_with_an_outcome(client, db, officer_page):
    for status in ("accepted", "in-progress"):
        assert client.post(f"{officer_page}/transitions", data={"status": status}).status_code == (
            302
        )
    page = client.get(officer_page).get_data(as_text=True)
    assert 'data-move="completed"' in page and '<select id="outcome-completed"' in page
    response = client.post(
        f"{officer_page}/transitions", data={"status": "completed", "outcome": "job"}
    )
    assert response.status_code == 302
    assert tuple(_stored(db)) == (Status.completed, None, "job")
    html = client.get(officer_page).get_data(as_text=True)
    assert 'data-status="completed"' in html and '<span data-outcome="job">Found a job' in html
    assert _timeline_row(html) == ("In progress", "Completed", "Found a job")


@pytest.mark.parametrize(
    ("before", "move", "field"),
    [
        ((), {"status": "rejected"}, "reason-rejected"),
        ((), {"status": "rejected", "reason": "too_old"}, "reason-rejected"),
        (("accepted", "in-progress"), {"status": "completed"}, "outcome-completed"),
        (("accepted", "in-progress"), {"status": "failed"}, "outcome-failed"),
        (("accepted", "in-progress"), {"status": "completed", "outcome": "dropped_out"}, None),
    ],
)
def test_a_move_missing_its_reason_or_outcome_is_refused_beside_the_field(
    client, db, officer_page, before, move, field
):
    for status in before:
        client.post(f"{officer_page}/transitions", data={"status": status})
    field = field or f"outcome-{move['status']}"
    state, steps = tuple(_stored(db)), _steps(db)
    response = client.post(f"{officer_page}/transitions", data=move)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    # the message sits right after its select, which points to it
    assert re.search(
        rf'<select id="{field}"[^>]* aria-describedby="{field}-error" aria-invalid="true">'
        rf'.*?</select>\s*<p class="error" id="{field}-error">[^<]+</p>',
        html,
        re.DOTALL,
    ), html
    assert html.count('class="error" id=') == 1  # only that field
    assert f'data-move="{move["status"]}"' in html  # the move is still offered, to fix
    assert tuple(_stored(db)) == state and _steps(db) == steps  # nothing changed
