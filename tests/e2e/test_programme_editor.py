"""An editor writes a programme in a real browser on a phone: errors beside fields, publish.

Every page is scanned by axe: 0 serious or critical violations.
"""

from __future__ import annotations

import pytest

from tests.e2e.browser import assert_accessible, sign_in, visit

pytestmark = pytest.mark.e2e

PASSWORD = "editors write good programmes"


def test_editor_fixes_an_error_then_publishes_and_previews(live_server, page):
    tag, email, org_id = live_server.add_staff(
        "editor",
        "Eddy",
        PASSWORD,
        "editor",
        language="nl",
        user_language="nl",
        branch=("Antwerpen", "2000"),
    )
    base = f"{live_server.url}/nl"
    sign_in(page, f"{base}/login", email, PASSWORD)

    visit(page, f"{base}/staff/programmes/")
    assert page.url.endswith(f"/nl/staff/programmes/{org_id}/"), page.url
    with page.expect_navigation():
        page.locator(f"a[href$='/staff/programmes/{org_id}/new']").click()
    assert_accessible(page)

    # First try: no title and a wrong web address.
    page.locator("#summary_nl").fill("Een mentor van 50+ begeleidt je zes maanden naar werk.")
    page.locator("input[name=themes][value=employment]").check()
    page.locator("input[name=formats][value=one_to_one]").check()
    page.locator("input[name=languages][value=nl]").check()
    page.locator("input[name=branches]").first.check()
    page.locator("#apply_url").fill("www.voorbeeld.be")
    with page.expect_navigation():
        page.locator("#save_publish").click()
    assert_accessible(page)
    assert "Schrijf het in minstens één taal" in page.locator("#title-error").inner_text()
    assert page.locator("#apply_url").get_attribute("aria-describedby").endswith("apply_url-error")
    assert page.locator("#apply_url").input_value() == "www.voorbeeld.be"
    assert page.locator("#summary_nl").input_value().startswith("Een mentor van 50+")
    assert page.locator("input[name=themes][value=employment]").is_checked()

    # Second try: fixed.
    page.locator("#title_nl").fill(f"Jobmentoring {tag}")
    page.locator("#apply_url").fill("https://voorbeeld.be/aanmelden")
    with page.expect_navigation():
        page.locator("#save_publish").click()
    assert_accessible(page)
    row = page.locator("tr", has_text=f"Jobmentoring {tag}")
    assert "Gepubliceerd" in row.inner_text()

    with page.expect_navigation():
        row.locator("a[href$='/preview']").click()
    assert_accessible(page)
    assert page.locator("h1#programme-title").inner_text() == f"Jobmentoring {tag}"
    assert page.locator("a[href='https://voorbeeld.be/aanmelden']").count() == 1
