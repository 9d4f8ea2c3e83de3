"""The event feed: the organisation's own events, in order, with an opaque cursor."""

from __future__ import annotations

from coalition.models import Branch, Role
from coalition.services.programmes import unpublish_by_coalition
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
    put = client.put(f"{API}/programmes/p1", json=programme_body(), headers=writer)
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

    from coalition.services.programmes import get_by_external_id

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
