"""The referral API: create, read from both sides, list, move, erase (issue 10)."""

from __future__ import annotations

import pytest

from federation.events.models import Event, WebhookDelivery
from federation.events.services import create_webhook
from federation.referrals.models import Referral, ReferralTransition
from federation.referrals.privacy import CODE
from tests.federation.api_helpers import API
from tests.federation.referrals.conftest import REFERRALS, make_programme, referral_body


def test_a_referral_is_created_and_each_side_sees_its_own_view(client, db, pair, send):
    created = send()
    assert created.status_code == 201, created.json
    body = created.json
    assert body["status"] == "requested" and CODE.fullmatch(body["code"])
    assert body["box"] == "outbox" and body["subject_pseudonym"] is None
    assert body["area"] == "Brussels" and body["distance_km"] == 0
    assert "postcode" not in body and "subject_ref" not in body
    assert created.headers["Location"].endswith(f"/referrals/{body['id']}")
    seen = client.get(f"{REFERRALS}/{body['id']}", headers=pair.receiver_headers)
    assert seen.status_code == 200
    assert seen.json["box"] == "inbox"
    assert len(seen.json["subject_pseudonym"]) == 64
    assert "case-2026-0042" not in seen.get_data(as_text=True)
    assert "1080" not in seen.get_data(as_text=True)
    assert seen.json["transitions"] == [
        {
            "from": None,
            "to": "requested",
            "by": "sender",
            "at": seen.json["transitions"][0]["at"],
            "reason": None,
            "outcome": None,
        }
    ]
    stored = db.session.get(Referral, db.session.scalar(db.select(Referral.id)))
    assert stored.sender_pseudonym != "case-2026-0042"
    assert "1080" not in {str(v) for v in vars(stored).values()}
    events = db.session.scalars(db.select(Event).where(Event.type == "referral.created")).all()
    assert {e.organisation_id for e in events} == {pair.sender.id, pair.receiver.id}
    assert all(e.data["referral_id"] == body["id"] for e in events)


def test_the_answer_to_a_send_says_what_a_read_says(client, pair, send):
    """The 201 is made from what was written, not read back: it must not differ from a
    later read, even for a consent given in another time zone."""
    consent = referral_body(pair.programme)["consent"] | {"given_at": "2026-11-20T12:00:00+02:00"}
    created = send(consent=consent)
    assert created.status_code == 201, created.json
    read = client.get(f"{REFERRALS}/{created.json['id']}", headers=pair.sender_headers)
    assert created.json == read.json
    assert created.json["consent"]["given_at"] == "2026-11-20T10:00:00+00:00"


def test_the_answer_shows_the_first_move_and_it_is_stored_once(client, db, pair, send):
    created = send()
    assert [(t["from"], t["to"], t["by"]) for t in created.json["transitions"]] == [
        (None, "requested", "sender")
    ]
    db.session.expire_all()
    steps = db.session.scalars(db.select(ReferralTransition)).all()
    assert [(s.from_status, s.to_status) for s in steps] == [(None, "requested")]
    accepted = client.post(
        f"{REFERRALS}/{created.json['id']}/transitions",
        json={"status": "accepted"},
        headers=pair.receiver_headers,
    )
    assert [t["to"] for t in accepted.json["transitions"]] == ["requested", "accepted"]
    assert db.session.scalar(db.select(db.func.count(ReferralTransition.id))) == 2


def test_each_side_webhook_gets_the_referral_events(app, client, db, pair, send, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE", True)  # loopback, as in development
    with app.test_request_context("/en/"):
        mine, _ = create_webhook(pair.sender, "http://127.0.0.1:9/sender-hooks")
        theirs, _ = create_webhook(pair.receiver, "http://127.0.0.1:9/receiver-hooks")
    db.session.commit()
    created = send()
    client.post(
        f"{REFERRALS}/{created.json['id']}/transitions",
        json={"status": "accepted"},
        headers=pair.receiver_headers,
    )
    queued = db.session.execute(
        db.select(WebhookDelivery.webhook_id, Event.organisation_id, Event.type).join(Event)
    ).all()
    assert sorted(queued) == sorted(
        [
            (mine.id, pair.sender.id, "referral.created"),
            (theirs.id, pair.receiver.id, "referral.created"),
            (mine.id, pair.sender.id, "referral.status_changed"),
            (theirs.id, pair.receiver.id, "referral.status_changed"),
        ]
    )


def test_two_receivers_cannot_link_the_same_young_person(client, db, make_org, pair, send, bearer):
    other = make_org("Second receiver")
    second = make_programme(db, other, postcode="1000", lat=50.846, lon=4.352)
    first = send()
    again = client.post(REFERRALS, json=referral_body(second), headers=pair.sender_headers)
    assert again.status_code == 201, again.json
    scopes = "referrals:read referrals:write"
    seen_a = client.get(f"{REFERRALS}/{first.json['id']}", headers=pair.receiver_headers).json
    seen_b = client.get(f"{REFERRALS}/{again.json['id']}", headers=bearer(other, scopes)).json
    assert seen_a["subject_pseudonym"] != seen_b["subject_pseudonym"]


def test_the_same_referral_within_30_days_is_409(send):
    assert send().status_code == 201
    again = send(note="Another note")
    assert again.status_code == 409
    assert again.mimetype == "application/problem+json"
    assert send(subject_ref="case-2026-0043").status_code == 201


@pytest.mark.parametrize(
    ("changes", "pointer"),
    [
        ({"consent": None}, "/consent"),
        ({"extra": "x"}, "/extra"),
        ({"age_band": "22"}, "/age_band"),
        ({"postcode": "9999"}, "/postcode"),
        ({"languages": ["french"]}, "/languages/0"),
        ({"goals": ["flying"]}, "/goals/0"),
        ({"availability": ["nights"]}, "/availability/0"),
        ({"note": "x" * 501}, "/note"),
        ({"subject_ref": "x" * 65}, "/subject_ref"),
        ({"subject_ref": "jan.peeters@gmail.com"}, "/subject_ref"),
        ({"programme": "not-a-uuid"}, "/programme"),
    ],
)
def test_invalid_bodies_are_422_with_a_pointer(send, changes, pointer):
    response = send(**changes)
    assert response.status_code == 422, response.json
    assert pointer in {e["pointer"] for e in response.json["errors"]}


def test_personal_data_is_refused_by_kind_never_echoed(send):
    response = send(note="Call her at 0475 12 34 56 or write to lea.d@gmail.com")
    assert response.status_code == 422
    [error] = response.json["errors"]
    assert error["pointer"] == "/note"
    assert "phone number" in error["detail"] and "e-mail address" in error["detail"]
    text = str(response.json)
    assert "0475" not in text and "gmail" not in text


def test_consent_for_another_recipient_or_a_missing_programme_is_422(send, pair):
    consent = referral_body(pair.programme)["consent"] | {"recipient": "someone-else"}
    response = send(consent=consent)
    assert response.status_code == 422
    assert response.json["errors"][0]["pointer"] == "/consent/recipient"
    response = send(programme="8b1d7c9e-0000-4000-8000-000000000000")
    assert response.json["errors"][0]["pointer"] == "/programme"


def test_list_inbox_and_outbox_with_status_filter_and_paging(client, pair, send):
    for n in range(3):
        assert send(subject_ref=f"person-{n}").status_code == 201
    outbox = client.get(f"{REFERRALS}?box=outbox&per_page=2", headers=pair.sender_headers).json
    assert outbox["total_items"] == 3 and len(outbox["items"]) == 2
    assert "box=outbox" in outbox["next"] and outbox["prev"] is None
    inbox = client.get(f"{REFERRALS}?box=inbox", headers=pair.receiver_headers).json
    assert inbox["total_items"] == 3
    assert (
        client.get(f"{REFERRALS}?box=inbox", headers=pair.sender_headers).json["total_items"] == 0
    )
    accepted = client.get(f"{REFERRALS}?box=inbox&status=accepted", headers=pair.receiver_headers)
    assert accepted.json["total_items"] == 0
    bad = client.get(f"{REFERRALS}?box=elsewhere", headers=pair.receiver_headers)
    assert bad.status_code == 400


def test_other_organisations_get_404_on_every_referral_route(client, make_org, bearer, send):
    referral_id = send().json["id"]
    stranger = bearer(make_org("Stranger"), "referrals:read referrals:write")
    assert client.get(f"{REFERRALS}/{referral_id}", headers=stranger).status_code == 404
    moved = client.post(
        f"{REFERRALS}/{referral_id}/transitions", json={"status": "cancelled"}, headers=stranger
    )
    assert moved.status_code == 404
    assert client.get(f"{REFERRALS}?box=inbox", headers=stranger).json["total_items"] == 0
    assert client.get(f"{REFERRALS}/not-an-id", headers=stranger).status_code == 404


def test_idempotent_retry_replays_the_answer_and_creates_nothing(client, db, pair):
    headers = pair.sender_headers | {"Idempotency-Key": "retry-1"}
    body = referral_body(pair.programme)
    first = client.post(REFERRALS, json=body, headers=headers)
    second = client.post(REFERRALS, json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json == second.json
    assert db.session.scalar(db.select(db.func.count()).select_from(Referral)) == 1


def test_scopes_are_required(client, make_org, bearer, pair):
    headers = bearer(make_org(), "programmes:write")
    assert (
        client.post(REFERRALS, json=referral_body(pair.programme), headers=headers).status_code
        == 403
    )
    assert client.get(f"{REFERRALS}?box=inbox", headers=headers).status_code == 403


def test_erasure_deletes_every_referral_about_the_person_on_both_sides(client, db, pair, send):
    first = send().json["id"]
    send(subject_ref="someone-else")
    response = client.delete(f"{API}/referral-subjects/case-2026-0042", headers=pair.sender_headers)
    assert response.status_code == 204
    assert client.get(f"{REFERRALS}/{first}", headers=pair.receiver_headers).status_code == 404
    assert client.get(f"{REFERRALS}/{first}", headers=pair.sender_headers).status_code == 404
    assert db.session.scalar(db.select(db.func.count()).select_from(Referral)) == 1
    # the receiver cannot erase by the sender's pseudonym: nothing of its own is called so
    client.delete(f"{API}/referral-subjects/someone-else", headers=pair.receiver_headers)
    assert db.session.scalar(db.select(db.func.count()).select_from(Referral)) == 1


def test_the_openapi_document_describes_every_referral_operation(client):
    document = client.get(f"{API}/openapi.json").json
    paths = document["paths"]
    assert set(paths["/referrals"]) == {"post", "get"}
    assert "post" in paths["/referrals/{referral_id}/transitions"]
    assert "get" in paths["/referrals/{referral_id}"]
    assert "delete" in paths["/referral-subjects/{subject_ref}"]
    post = paths["/referrals"]["post"]
    assert post["requestBody"]["content"]["application/json"]["example"]["age_band"] == "21-25"
    flow = document["components"]["securitySchemes"]["oauth2"]["flows"]["clientCredentials"]
    assert {"referrals:read", "referrals:write"} <= set(flow["scopes"])
    types = document["components"]["schemas"]["Event"]["properties"]["type"]["enum"]
    assert {"referral.created", "referral.status_changed"} <= set(types)


def test_the_logs_are_watched_and_hold_no_content(send, leak_watch):
    """The suite's log capture works: the calls are logged, by id and status only."""
    assert send().status_code == 201
    assert any(
        "referral 1 sent" in line or "post_referral 201" in line for line in leak_watch.records
    )


def test_refusals_speak_the_callers_language(pair, send):
    headers = pair.sender_headers | {"Accept-Language": "nl"}
    response = send(headers=headers, note="mail naar sarah_v@telenet.be")
    assert "een e-mailadres" in response.json["errors"][0]["detail"]


def test_a_refused_erasure_logs_the_route_not_the_pseudonym(client, leak_watch):
    """The pseudonym is in the erasure's URL: the log names the route instead (the
    suite's log scan fails the test if "case-2026-0042" appears)."""
    response = client.delete(f"{API}/referral-subjects/case-2026-0042")
    assert response.status_code == 401
    assert any("/referral-subjects/<path:subject_ref>" in line for line in leak_watch.records)


def test_a_code_already_taken_is_drawn_again(monkeypatch, db, make_org, pair, send):
    from federation.referrals import privacy

    first = send(subject_ref="first")
    taken = first.json["code"]
    drawn = iter([taken, taken, "R-2345-6789"])
    monkeypatch.setattr(privacy, "new_code", lambda: next(drawn))
    second = send(subject_ref="second")
    assert second.status_code == 201, second.json
    assert second.json["code"] == "R-2345-6789"
    codes = db.session.scalars(db.select(Referral.code).order_by(Referral.id)).all()
    assert codes == [taken, "R-2345-6789"]
    # the draws that found the code taken wrote nothing else either
    moves = db.session.scalars(db.select(ReferralTransition.referral_id)).all()
    assert sorted(moves) == sorted(db.session.scalars(db.select(Referral.id)).all())
    created = db.select(db.func.count(Event.id)).where(Event.type == "referral.created")
    assert db.session.scalar(created) == 4  # both sides' feeds, for each of the two
