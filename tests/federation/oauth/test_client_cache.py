"""Each worker keeps the `private_key_jwt` clients it read (the token endpoint then reads no
client row); whatever changes a client afterwards — here or in another worker — counts from
the very next assertion."""

from __future__ import annotations

import json

from sqlalchemy import update

from coalition.database import utcnow
from coalition.extensions import db as _db
from coalition.members.models import Organisation
from coalition.members.services import suspend_organisation
from federation.oauth import server
from federation.oauth.models import OAuthClient
from federation.oauth.services import change_client_scopes, replace_client_keys, revoke_client
from tests.federation.conftest import ec_private_key


def _token(client, registered, scope=None, **claims):
    return client.post("/oauth/token", data=registered.token_form(scope, **claims))


def _cached(registered) -> bool:
    return any(key[1] == registered.client_id for key in server._clients)


def _copy(registered) -> OAuthClient:
    return next(v[0] for k, v in server._clients.items() if k[1] == registered.client_id)


def _elsewhere(registered, **values) -> None:
    """Change the client row as another worker would: no local cache is told."""
    _db.session.execute(
        update(OAuthClient)
        .where(OAuthClient.client_id == registered.client_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    _db.session.flush()


def test_the_second_token_reads_the_client_from_the_workers_copy(client, make_org, oauth_client):
    registered = oauth_client(make_org(), "events:read")
    assert _token(client, registered).status_code == 200
    assert _cached(registered)
    second = _token(client, registered)
    assert second.status_code == 200, second.json
    assert second.json["scope"] == "events:read"


def test_a_client_revoked_in_another_worker_gets_no_token(client, make_org, oauth_client):
    registered = oauth_client(make_org(), "events:read")
    assert _token(client, registered).status_code == 200
    assert _cached(registered)
    _elsewhere(registered, revoked_at=utcnow(), updated_at=_copy(registered).updated_at)
    response = _token(client, registered)
    assert response.status_code in (400, 401)
    assert response.json["error"] == "invalid_client"
    assert not _cached(registered)


def test_a_client_revoked_here_gets_no_token(client, make_org, oauth_client):
    registered = oauth_client(make_org(), "events:read")
    assert _token(client, registered).status_code == 200
    revoke_client(registered.client)
    assert not _cached(registered)
    response = _token(client, registered)
    assert response.status_code != 200, (response.json, registered.client.revoked_at)
    assert response.json["error"] == "invalid_client"


def test_replaced_keys_count_at_once(client, make_org, oauth_client):
    registered = oauth_client(make_org(), "events:read")
    assert _token(client, registered).status_code == 200
    new_key = ec_private_key()
    jwks = json.dumps({"keys": [new_key.as_dict(private=False)]})
    replace_client_keys(registered.client, jwks)
    assert not _cached(registered)
    assert _token(client, registered).status_code in (400, 401)  # the old key
    registered.private_key = new_key
    assert _token(client, registered).status_code == 200


def test_a_stale_copy_with_the_old_keys_is_not_trusted(client, make_org, oauth_client):
    registered = oauth_client(make_org(), "events:read")
    assert _token(client, registered).status_code == 200
    new_key = ec_private_key()
    # another worker rotates: the row changes, this worker's copy keeps the old key
    _elsewhere(registered, jwks={"keys": [new_key.as_dict(private=False)]}, updated_at=utcnow())
    assert _cached(registered)
    refused = _token(client, registered)  # signed with the old key, which the copy still has
    assert refused.status_code in (400, 401) and refused.json["error"] == "invalid_client"
    registered.private_key = new_key
    assert _token(client, registered).status_code == 200


def test_changed_scopes_count_at_once(client, make_org, oauth_client):
    registered = oauth_client(make_org(), "events:read referrals:read")
    assert _token(client, registered).status_code == 200
    _elsewhere(registered, scopes=["events:read"], updated_at=utcnow())
    response = _token(client, registered)
    assert response.status_code == 200 and response.json["scope"] == "events:read"
    change_client_scopes(registered.client, "referrals:read")
    assert _token(client, registered).json["scope"] == "referrals:read"


def test_a_member_suspended_after_its_client_was_cached_gets_no_token(
    client, make_org, make_user, oauth_client
):
    org = make_org()
    admin = make_user(make_org(), coalition_admin=True)
    registered = oauth_client(org, "events:read")
    assert _token(client, registered).status_code == 200
    suspend_organisation(org, admin)
    refused = _token(client, registered)
    assert refused.status_code == 400 and refused.json["error"] == "unauthorized_client"


def test_a_member_suspended_in_another_worker_gets_no_token(client, make_org, oauth_client):
    org = make_org()
    registered = oauth_client(org, "events:read")
    assert _token(client, registered).status_code == 200
    _db.session.execute(
        update(Organisation)
        .where(Organisation.id == org.id)
        .values(admitted_at=None)
        .execution_options(synchronize_session=False)
    )
    _db.session.flush()
    refused = _token(client, registered)
    assert refused.status_code == 400 and refused.json["error"] == "unauthorized_client"


def test_a_replay_is_refused_when_the_client_is_cached(client, make_org, oauth_client):
    registered = oauth_client(make_org(), "events:read")
    assert _token(client, registered).status_code == 200
    form = registered.token_form()
    assert client.post("/oauth/token", data=form).status_code == 200
    replay = client.post("/oauth/token", data=form)
    assert replay.status_code in (400, 401) and replay.json["error"] == "invalid_client"


def test_the_last_use_is_recorded_without_spoiling_the_copy(client, make_org, oauth_client):
    registered = oauth_client(make_org(), "events:read")
    assert _token(client, registered).status_code == 200
    _db.session.refresh(registered.client)
    assert registered.client.last_used_at is not None
    assert _cached(registered)
    # the copy carries the row's new stamp: the next token needs no fresh read
    assert _copy(registered).updated_at == registered.client.updated_at
    assert _token(client, registered).status_code == 200
