"""The coalition office's workspace links every page of the office, whichever part has it."""

from __future__ import annotations

import re

import pytest
from flask import url_for


def office_pages(app) -> list[str]:
    """The endpoints of the URL map that are pages of their own: GET, no argument but the
    language (the test keeps those only the coalition office may open)."""
    return sorted(
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and rule.arguments == {"lang_code"}
    )


def test_every_office_page_is_linked_from_the_workspace(app, client, make_org, make_user, login):
    office = make_user(coalition_admin=True)
    org_admin = make_user(make_org(), roles=("org_admin",))
    admin_only = []
    for endpoint in office_pages(app):
        with app.test_request_context():
            path = url_for(endpoint, lang_code="en")
        login(office)
        if client.get(path).status_code != 200:
            continue
        login(org_admin)
        if client.get(path).status_code in (403, 404):
            admin_only.append(path)
    # programme moderation, zero-result searches, audit, applications, organisations
    assert len(admin_only) >= 5, admin_only

    login(office)
    dashboard = client.get("/en/staff/").get_data(as_text=True)
    linked = set(re.findall(r'href="([^"]+)"', dashboard))
    assert [path for path in admin_only if path not in linked] == []


@pytest.mark.parametrize(
    "path", ["/en/staff/programmes/moderate/", "/en/admin/search/zero-results"]
)
def test_the_office_finds_moderation_and_zero_result_searches(client, make_user, login, path):
    login(make_user(coalition_admin=True))
    dashboard = client.get("/en/staff/").get_data(as_text=True)
    assert f'href="{path}"' in dashboard
