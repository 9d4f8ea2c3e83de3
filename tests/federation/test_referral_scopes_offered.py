"""The referral scopes and event types are offered everywhere now that their endpoints
exist (issue 10): the metadata, the OpenAPI document, the client pages, the command."""

from __future__ import annotations

import re

from coalition.access import Role
from federation.oauth.models import OAuthClient

REFERRAL_SCOPES = {"referrals:read", "referrals:write"}
ALL_SCOPES = {"programmes:write", "reports:write", "events:read", *REFERRAL_SCOPES}


def test_the_metadata_and_the_openapi_document_offer_the_referral_scopes(client, db):
    metadata = client.get("/.well-known/oauth-authorization-server").json
    assert set(metadata["scopes_supported"]) == ALL_SCOPES
    document = client.get("/federation/v1/openapi.json").json
    flow = document["components"]["securitySchemes"]["oauth2"]["flows"]["clientCredentials"]
    assert set(flow["scopes"]) == ALL_SCOPES
    event_types = document["components"]["schemas"]["Event"]["properties"]["type"]["enum"]
    assert {"referral.created", "referral.status_changed"} <= set(event_types)
    assert "referral.received" not in event_types
    assert "Send a referral" in client.get("/federation/v1/docs").get_data(as_text=True)


def test_the_client_page_offers_every_scope(client, db, make_org, make_user, login):
    org = make_org()
    login(make_user(org, roles=(Role.org_admin,)))
    page = client.get(f"/en/federation/{org.id}/clients/new").get_data(as_text=True)
    assert set(re.findall(r'name="scopes"[^>]*value="([^"]+)"', page)) == ALL_SCOPES


def test_create_client_grants_a_referral_scope(runner, db, make_org):
    org = make_org()
    result = runner.invoke(
        args=["federation", "create-client", "--org", org.slug, "--scopes", "referrals:read"]
    )
    assert result.exit_code == 0, result.output
    [registered] = db.session.scalars(
        db.select(OAuthClient).where(OAuthClient.organisation_id == org.id)
    ).all()
    assert registered.scopes == ["referrals:read"]
    assert "referrals:write" in runner.invoke(args=["federation", "create-client", "--help"]).output
