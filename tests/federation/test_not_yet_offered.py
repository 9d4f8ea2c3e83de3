"""Nothing offers what does not exist yet: the referral scopes and event types are defined
ahead of the referral endpoints, but no page, metadata, command or API document offers them
until those endpoints exist. A client that already holds such a scope keeps it."""

from __future__ import annotations

import re

from coalition.access import Role
from federation.oauth.models import OAuthClient

REFERRAL_SCOPES = {"referrals:read", "referrals:write"}
REFERRAL_EVENTS = {"referral.received", "referral.status_changed"}


def _admin(client, make_org, make_user, login):
    org = make_org()
    login(make_user(org, roles=(Role.org_admin,)))
    return org


def _offered_checkboxes(html: str) -> set[str]:
    return set(re.findall(r'name="scopes"[^>]*value="([^"]+)"', html))


def test_the_metadata_and_the_openapi_document_offer_no_referral_scope(client, db):
    metadata = client.get("/.well-known/oauth-authorization-server").json
    assert not REFERRAL_SCOPES & set(metadata["scopes_supported"])
    assert "programmes:write" in metadata["scopes_supported"]
    document = client.get("/federation/v1/openapi.json").json
    flow = document["components"]["securitySchemes"]["oauth2"]["flows"]["clientCredentials"]
    assert set(flow["scopes"]) == {"programmes:write", "reports:write", "events:read"}
    event_types = document["components"]["schemas"]["Event"]["properties"]["type"]["enum"]
    assert not REFERRAL_EVENTS & set(event_types) and "report.received" in event_types
    assert not [path for path in document["paths"] if "referral" in path]
    docs = client.get("/federation/v1/docs").get_data(as_text=True)
    assert "referral" not in docs


def test_the_client_pages_offer_no_referral_scope(client, db, make_org, make_user, login):
    org = _admin(client, make_org, make_user, login)
    page = client.get(f"/en/federation/{org.id}/clients/new").get_data(as_text=True)
    assert _offered_checkboxes(page) == {"programmes:write", "reports:write", "events:read"}
    listing = client.get(f"/en/federation/{org.id}/clients").get_data(as_text=True)
    hooks = client.get(f"/en/federation/{org.id}/webhooks").get_data(as_text=True)
    assert "referral" not in listing and "referral" not in hooks


def test_a_client_holding_a_referral_scope_keeps_it(
    client, db, make_org, make_user, login, oauth_client
):
    org = _admin(client, make_org, make_user, login)
    registered = oauth_client(org, "referrals:read events:read")
    url = f"/en/federation/{org.id}/clients/{registered.client.id}"
    page = client.get(url).get_data(as_text=True)
    assert _offered_checkboxes(page) == {
        "programmes:write",
        "referrals:read",
        "reports:write",
        "events:read",
    }
    assert (
        'checked id="scopes-1" name="scopes" required type="checkbox" value="referrals:read"'
        in (page)
    )
    saved = client.post(url + "/scopes", data={"scopes": ["referrals:read", "reports:write"]})
    assert saved.status_code == 302
    assert registered.client.scopes == ["referrals:read", "reports:write"]


def test_create_client_refuses_a_scope_not_offered_yet(runner, db, make_org):
    org = make_org()
    result = runner.invoke(
        args=["federation", "create-client", "--org", org.slug, "--scopes", "referrals:read"]
    )
    assert result.exit_code != 0
    assert "Not offered yet" in result.output and "referrals:read" in result.output
    assert (
        db.session.scalar(db.select(db.func.count()).where(OAuthClient.organisation_id == org.id))
        == 0
    )
    offered = runner.invoke(args=["federation", "create-client", "--help"]).output
    assert "programmes:write" in offered and "referrals" not in offered
