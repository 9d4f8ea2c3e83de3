"""The referral officers' pages: send from a programme page with the API's checks shown
beside the fields, the inbox's moves, the timeline, the counts; nobody else sees them."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from coalition.access import Role
from federation.referrals.models import Referral, ReferralTransition
from tests.federation.referrals.conftest import make_programme

FORM = {
    "subject_ref": "case-2026-0042",
    "age_band": "18-20",
    "postcode": "1080",
    "country": "BE",
    "languages": ["fr"],
    "goals": ["employment"],
    "availability": ["weekends"],
    "note": "Wants to work in logistics.",
    "consent_given_on": date.today().isoformat(),
    "consent_given_by": "young_person",
    "consent_text_version": "v1",
}


def _officer(make_user, org):
    return make_user(org, roles=(Role.referral_officer,))


def test_the_programme_page_offers_the_referral_to_officers_of_other_members(
    client, db, pair, make_user, login
):
    page = f"/en/programmes/{pair.programme.uuid}"
    assert "Refer a young person" not in client.get(page).get_data(as_text=True)
    login(_officer(make_user, pair.sender))
    html = client.get(page).get_data(as_text=True)
    assert f"/en/federation/{pair.sender.id}/referrals/new?programme={pair.programme.uuid}" in html
    login(_officer(make_user, pair.receiver))  # its own programme: nothing to refer
    assert "Refer a young person" not in client.get(page).get_data(as_text=True)


def test_an_officer_sends_a_referral_with_the_form(client, db, pair, make_user, login):
    login(_officer(make_user, pair.sender))
    url = f"/en/federation/{pair.sender.id}/referrals/new"
    form_page = client.get(f"{url}?programme={pair.programme.uuid}").get_data(as_text=True)
    assert f'value="{pair.programme.uuid}" selected' in form_page
    response = client.post(url, data={**FORM, "programme": str(pair.programme.uuid)})
    assert response.status_code == 302
    referral = db.session.scalar(select(Referral))
    assert referral.age_band == "18-20" and referral.area == "Brussels"
    assert referral.transitions[0].actor_user_id is not None
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert referral.code in detail and "requested" in detail


def test_refusals_are_shown_beside_their_fields(client, db, pair, make_user, login):
    login(_officer(make_user, pair.sender))
    url = f"/en/federation/{pair.sender.id}/referrals/new"
    bad = {
        **FORM,
        "programme": str(pair.programme.uuid),
        "note": "Call her: 0475 12 34 56",
        "postcode": "9999",
        "consent_given_by": "",
    }
    response = client.post(url, data=bad)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for field in ("note", "postcode", "consent_given_by"):
        assert f'id="{field}-error"' in html, field
    assert "a phone number" in html
    assert "0475 12 34 56" in html  # the officer's own text stays in the textarea to fix
    assert db.session.scalar(select(Referral)) is None
    again = client.post(url, data={**FORM, "programme": str(pair.programme.uuid)})
    assert again.status_code == 302
    duplicate = client.post(url, data={**FORM, "programme": str(pair.programme.uuid)})
    assert duplicate.status_code == 409
    assert 'id="subject_ref-error"' in duplicate.get_data(as_text=True)


def test_a_control_character_is_refused_beside_its_field(client, db, pair, make_user, login):
    """The boundary takes the character out; the form says so instead of sending the
    altered note unsaid."""
    login(_officer(make_user, pair.sender))
    url = f"/en/federation/{pair.sender.id}/referrals/new"
    bad = {**FORM, "programme": str(pair.programme.uuid), "note": "Wants to work\x07 in logistics."}
    response = client.post(url, data=bad)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="note-error"' in html and "Control characters are not allowed." in html
    assert db.session.scalar(select(Referral)) is None


def test_the_receiver_accepts_enrols_and_the_sender_sees_it(
    client, db, pair, send, make_user, login
):
    referral_id = send().json["id"]
    login(_officer(make_user, pair.receiver))
    inbox = client.get(f"/en/federation/{pair.receiver.id}/referrals").get_data(as_text=True)
    assert re.search(r'data-count="requested">1<', inbox)
    base = f"/en/federation/{pair.receiver.id}/referrals/{referral_id}"
    page = client.get(base).get_data(as_text=True)
    assert 'data-move="accepted"' in page and 'data-move="rejected"' in page
    assert 'data-move="cancelled"' not in page  # the sender's move
    assert "case-2026-0042" not in page
    assert client.post(f"{base}/transitions", data={"status": "accepted"}).status_code == 302
    assert client.post(f"{base}/transitions", data={"status": "in-progress"}).status_code == 302
    refused = client.post(f"{base}/transitions", data={"status": "cancelled"})
    assert refused.status_code == 303  # the sender's move: refused, said on the page
    login(_officer(make_user, pair.sender))
    outbox = f"/en/federation/{pair.sender.id}/referrals?box=outbox"
    assert re.search(r'data-count="in-progress">1<', client.get(outbox).get_data(as_text=True))
    timeline = client.get(f"/en/federation/{pair.sender.id}/referrals/{referral_id}")
    html = timeline.get_data(as_text=True)
    assert html.count('<td data-label="To">') == 3 and 'data-move="cancelled"' in html


def test_only_admins_and_referral_officers_see_the_pages(
    client, db, pair, send, make_user, make_org, login
):
    referral_id = send().json["id"]
    pages = [
        f"/en/federation/{pair.receiver.id}/referrals",
        f"/en/federation/{pair.receiver.id}/referrals/new",
        f"/en/federation/{pair.receiver.id}/referrals/{referral_id}",
    ]
    assert client.get(pages[0]).status_code == 302  # to the login
    login(make_user(pair.receiver, roles=(Role.editor,)))
    assert [client.get(url).status_code for url in pages] == [403, 403, 403]
    login(make_user(make_org("Elsewhere"), roles=(Role.referral_officer,)))
    assert [client.get(url).status_code for url in pages] == [404, 404, 404]
    login(make_user(pair.receiver, roles=(Role.org_admin,)))
    assert [client.get(url).status_code for url in pages] == [200, 200, 200]
    # an officer of a third member cannot open the pair's referral through its own pages
    third = make_org("Third")
    login(make_user(third, roles=(Role.referral_officer,)))
    assert client.get(f"/en/federation/{third.id}/referrals/{referral_id}").status_code == 404


def test_an_officer_erases_everything_sent_about_one_young_person(
    client, db, pair, send, make_user, login
):
    other = make_programme(db, pair.receiver, postcode="1000", lat=50.846, lon=4.352)
    assert send(subject_ref="case-7").status_code == 201
    assert send(subject_ref="case-7", programme=str(other.uuid)).status_code == 201
    kept = send(subject_ref="case-8").json["id"]
    login(_officer(make_user, pair.sender))
    url = f"/en/federation/{pair.sender.id}/referrals/erase"
    page = client.get(url)
    assert page.status_code == 200 and 'name="subject_ref"' in page.get_data(as_text=True)
    answer = client.post(url, data={"subject_ref": "case-7"})
    assert answer.status_code == 302
    # one row a referral, seen from both sides: the receiver's inbox loses them too
    left = db.session.scalars(select(Referral)).all()
    assert [str(r.uuid) for r in left] == [kept]
    moves = db.session.scalars(select(ReferralTransition.referral_id)).all()
    assert set(moves) == {left[0].id}
    followed = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "2 referral(s) about this young person erased, on both sides." in followed


def test_an_erasure_without_a_reference_is_refused_beside_the_field(
    client, db, pair, send, make_user, login
):
    assert send(subject_ref="case-9").status_code == 201
    login(_officer(make_user, pair.sender))
    for bad in ("", "x" * 65):
        answer = client.post(
            f"/nl/federation/{pair.sender.id}/referrals/erase", data={"subject_ref": bad}
        )
        assert answer.status_code == 422
        html = answer.get_data(as_text=True)
        assert 'id="subject_ref-error"' in html and "1 tot 64 tekens" in html
    assert len(db.session.scalars(select(Referral)).all()) == 1


def test_only_the_senders_officers_open_the_erasure(client, db, pair, make_user, login):
    url = f"/en/federation/{pair.sender.id}/referrals/erase"
    login(make_user(pair.sender, roles=(Role.editor,)))
    assert client.get(url).status_code == 403
    assert client.post(url, data={"subject_ref": "case-7"}).status_code == 403
    login(_officer(make_user, pair.receiver))  # an officer of another member
    assert client.get(url).status_code == 404
    assert client.post(url, data={"subject_ref": "case-7"}).status_code == 404


def test_a_page_number_past_any_list_shows_the_last_possible_page(
    client, db, pair, make_user, login
):
    login(_officer(make_user, pair.sender))
    url = f"/en/federation/{pair.sender.id}/referrals?box=outbox&page=99999999999999999999999999"
    answer = client.get(url)
    assert answer.status_code == 200
    assert "No referrals here yet." in answer.get_data(as_text=True)


def test_the_erasure_takes_the_reference_exactly_as_it_was_sent(
    client, db, pair, send, make_user, login
):
    assert send(subject_ref=" case-10").status_code == 201
    login(_officer(make_user, pair.sender))
    url = f"/en/federation/{pair.sender.id}/referrals/erase"
    client.post(url, data={"subject_ref": "case-10"})  # another reference: nothing erased
    assert len(db.session.scalars(select(Referral)).all()) == 1
    assert client.post(url, data={"subject_ref": " case-10"}).status_code == 302
    assert db.session.scalars(select(Referral)).all() == []
