"""An org admin manages API clients in a real browser: errors beside fields, a secret once.

Every page is scanned by axe: 0 serious or critical violations.
"""

from __future__ import annotations

import pytest

from tests.e2e.browser import assert_accessible, sign_in, visit

pytestmark = pytest.mark.e2e

PASSWORD = "admins grant only what is needed"


def test_org_admin_creates_a_secret_client_and_revokes_it(live_server, new_page):
    tag, email, org_id = live_server.add_staff("admin", "Ada", PASSWORD, "org_admin")
    page = new_page(locale="fr-BE")
    base = f"{live_server.url}/fr"
    sign_in(page, f"{base}/login", email, PASSWORD)

    visit(page, f"{base}/federation/{org_id}/clients")
    assert "Aucun client API" in page.locator("main").inner_text()
    with page.expect_navigation():
        page.locator(f"main a[href$='/federation/{org_id}/clients/new']").click()
    assert_accessible(page)

    # A key pair without a key: the error is beside the field.
    page.locator("#name").fill(f"CRM {tag}")
    page.locator("input[name=scopes][value='programmes:write']").check()
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    assert_accessible(page)
    assert page.locator("#public_key-error").is_visible()
    assert page.locator("#public_key").get_attribute("aria-invalid") == "true"
    assert page.locator("#name").input_value() == f"CRM {tag}"

    # A secret instead: shown once.
    page.locator("input[name=method][value=client_secret_basic]").check()
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    assert_accessible(page)
    secret = page.locator("#client-secret").inner_text()
    assert secret.startswith("bmpcs_")
    with page.expect_navigation():
        page.locator("main a[href*='/clients/']").last.click()
    assert_accessible(page)
    assert secret not in page.content()

    with page.expect_navigation():
        page.locator("main button.danger").click()
    assert_accessible(page)
    assert "Révoqué" in page.locator("main table").inner_text()
