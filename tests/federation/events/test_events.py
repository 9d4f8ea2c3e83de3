"""The event feed: the organisation's own events, in order, with an opaque cursor."""

from __future__ import annotations

import base64
import time

import pytest
from sqlalchemy import delete, select

from coalition.access import Role
from coalition.branches.models import Branch
from coalition.extensions import db as _db
from coalition.members.models import Organisation
from coalition.programmes.moderation import unpublish_by_coalition
from federation.events.feed import (
    START,
    decode_cursor,
    encode_cursor,
    list_events,
    resolve_position,
)
from federation.events.models import Event
from federation.events.services import record_event
from tests.federation.api_helpers import API, programme_body, report_body


def _feed(client, headers, **params):
    response = client.get(f"{API}/events", query_string=params, headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def test_feed_lists_own_events_in_order_with_a_cursor(app, client, db, make_org, make_user, bearer):
    org, other = make_org(), make_org()
    branch = Branch(organisation_id=org.id, name="Molenbeek", postcode="1080", city="Molenbeek")
    db.session.add(branch)
    writer = bearer(org, "programmes:write reports:write")
    reader = bearer(org, "events:read")
    admin = make_user(other, (Role.org_admin,), coalition_admin=True)
    db.session.commit()

    put = client.put(f"{API}/programmes/p1", json=programme_body(), headers=writer)
    assert put.status_code == 201
    put = client.put(f"{API}/programmes/p1", json=programme_body(age_max=25), headers=writer)
    assert put.status_code == 200
    post = client.post(f"{API}/reports", json=report_body(branch.id), headers=writer)
    assert post.status_code == 201
    client.put(f"{API}/programmes/theirs", json=programme_body(), headers=bearer(other))

    first = _feed(client, reader, limit=2)
    assert [e["type"] for e in first["events"]] == ["programme.created", "programme.updated"]
    assert first["has_more"] is True
    assert first["events"][0]["data"]["external_id"] == "p1"
    rest = _feed(client, reader, after=first["next_cursor"])
    assert [e["type"] for e in rest["events"]] == ["report.received"]
    assert rest["has_more"] is False
    assert rest["events"][0]["data"]["year"] == 2025

    # Nothing new: the same cursor comes back, to poll with later.
    empty = _feed(client, reader, after=rest["next_cursor"])
    assert empty["events"] == [] and empty["next_cursor"] == rest["next_cursor"]

    from coalition.programmes.services import get_by_external_id

    with app.test_request_context("/en/"):
        unpublish_by_coalition(get_by_external_id(org, "p1"), admin, "Outdated contact details")
    db.session.commit()
    moderated = _feed(client, reader, after=rest["next_cursor"])
    assert "programme.unpublished_by_coalition" in [e["type"] for e in moderated["events"]]
    ids = [e["id"] for e in first["events"] + rest["events"] + moderated["events"]]
    assert len(ids) == len(set(ids))
    assert "Outdated" not in str(moderated)


def test_an_invalid_cursor_is_400(client, db, make_org, bearer):
    headers = bearer(make_org(), "events:read")
    response = client.get(f"{API}/events?after=not-a-cursor", headers=headers)
    assert response.status_code == 400
    assert response.json["errors"] == [
        {"parameter": "after", "detail": "Not a cursor from this feed."}
    ]
    assert client.get(f"{API}/events?limit=100000", headers=headers).status_code == 400


def test_events_need_their_scope(client, make_org, bearer):
    assert (
        client.get(f"{API}/events", headers=bearer(make_org(), "programmes:write")).status_code
        == 403
    )


def _poll(app, organisation_id, cursor):
    """One poll of the feed as a member system does it: its own session, from `cursor`."""
    with app.app_context():
        after = resolve_position(organisation_id, decode_cursor(cursor)) if cursor else START
        page = list_events(organisation_id, after)
        ids = [event.data["n"] for event in page]
        return ids, encode_cursor(page[-1]) if page else cursor


def test_an_event_committed_late_is_not_stepped_over(app, database_url):
    """Two writers commit out of order; a reader polling in between misses neither event."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has a single writer: ids are given in commit order")
    with app.app_context():
        org = Organisation(name="Late commits", slug="late-commits", languages=["fr"])
        _db.session.add(org)
        _db.session.commit()
        org_id = org.id
    try:
        with app.app_context():  # the slow writer: its event gets the lower id
            record_event(org_id, "report.received", {"n": 1})
            _db.session.flush()  # written now, committed last
            with app.app_context():  # the fast writer commits first
                record_event(org_id, "report.received", {"n": 2})
                _db.session.commit()
            seen, cursor = _poll(app, org_id, None)
            _db.session.commit()
        # Poll as a member system does. Another open transaction on the server (another
        # test run, say) may hold the feed back for a while; a stepped-over event never
        # comes back, however long one polls.
        deadline = time.monotonic() + 30
        while sorted(seen) != [1, 2] and time.monotonic() < deadline:
            more, cursor = _poll(app, org_id, cursor)
            seen += more
            time.sleep(0.05)
        assert sorted(seen) == [1, 2]
        assert _poll(app, org_id, cursor) == ([], cursor)
    finally:
        with app.app_context():
            _db.session.execute(delete(Event).where(Event.organisation_id == org_id))
            _db.session.execute(delete(Organisation).where(Organisation.id == org_id))
            _db.session.commit()


def test_a_cursor_of_the_first_version_still_resumes(client, db, make_org, bearer):
    org = make_org()
    for n in range(3):
        record_event(org.id, "report.received", {"n": n})
    db.session.commit()
    first = db.session.scalars(select(Event).where(Event.organisation_id == org.id)).first()
    old_cursor = base64.urlsafe_b64encode(f"ev1:{first.id}".encode()).decode().rstrip("=")
    page = _feed(client, bearer(org, "events:read"), after=old_cursor)
    assert [event["data"]["n"] for event in page["events"]] == [1, 2]
