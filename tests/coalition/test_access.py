"""Organisation A's staff can never see or change anything of organisation B."""

from __future__ import annotations

import pytest

from coalition.access import Role, can, organisation_ids, roles_in


@pytest.fixture
def two_orgs(make_org, make_user):
    a, b = make_org("Org A"), make_org("Org B")
    return {
        "a": a,
        "b": b,
        "admin_a": make_user(a, roles=("org_admin",)),
        "admin_b": make_user(b, roles=("org_admin",)),
        "editor_a": make_user(a, roles=("editor",)),
        "editor_b": make_user(b, roles=("editor",)),
    }


def test_permissions_follow_the_roles(two_orgs):
    admin_a, editor_a, a, b = (two_orgs[k] for k in ("admin_a", "editor_a", "a", "b"))
    assert can(admin_a, "manage_staff", a) and not can(admin_a, "manage_staff", b)
    assert can(editor_a, "edit_programmes", a) and not can(editor_a, "manage_staff", a)
    assert roles_in(admin_a, b.id) == set() and roles_in(editor_a, a.id) == {Role.editor}
    assert organisation_ids(admin_a, "manage_staff") == [a.id]
    assert not can(None, "view", a)


def test_an_inactive_user_can_do_nothing(two_orgs):
    two_orgs["admin_a"].active = False
    assert not can(two_orgs["admin_a"], "view", two_orgs["a"])


def _routes(org_id: int, user_id: int, invitation_id: int = 1) -> list[tuple[str, str]]:
    """Every route of the staff area that takes an organisation, person or invitation id."""
    return [
        ("get", f"/en/staff/{org_id}/people"),
        ("post", f"/en/staff/{org_id}/people"),
        ("post", f"/en/staff/{org_id}/people/{user_id}/roles/editor/remove"),
        ("post", f"/en/staff/{org_id}/people/{user_id}/roles"),
        ("post", f"/en/staff/{org_id}/invitations/{invitation_id}/withdraw"),
    ]


def test_org_a_admin_cannot_reach_org_b_people(client, login, two_orgs):
    login(two_orgs["admin_a"])
    b, editor_b = two_orgs["b"], two_orgs["editor_b"]
    for method, url in _routes(b.id, editor_b.id):
        response = getattr(client, method)(
            url,
            data={
                "email": "x@example.org",
                "name": "X",
                "roles": ["editor"],
                "language": "en",
                "role": "org_admin",
            },
        )
        assert response.status_code == 404, url
    assert {r.role for r in editor_b.roles} == {Role.editor}


def test_org_a_admin_cannot_touch_org_b_people_through_org_a(client, login, two_orgs):
    """Org A's own id with org B's person is 404 as well (no cross-organisation edits)."""
    login(two_orgs["admin_a"])
    a, editor_b = two_orgs["a"], two_orgs["editor_b"]
    response = client.post(f"/en/staff/{a.id}/people/{editor_b.id}/roles/editor/remove")
    assert response.status_code == 404


def test_a_member_without_the_role_gets_403(client, login, two_orgs):
    login(two_orgs["editor_a"])
    assert client.get(f"/en/staff/{two_orgs['a'].id}/people").status_code == 403


def test_an_unknown_organisation_looks_like_another_one(client, login, two_orgs):
    login(two_orgs["admin_a"])
    assert client.get("/en/staff/999999/people").status_code == 404


def test_anonymous_visitors_are_sent_to_the_login(client, two_orgs):
    for method, url in _routes(two_orgs["a"].id, two_orgs["editor_a"].id):
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert "/en/login" in response.headers["Location"]


def test_the_audit_log_is_invisible_to_org_admins(client, login, two_orgs):
    login(two_orgs["admin_a"])
    assert client.get("/en/admin/audit/").status_code == 404
