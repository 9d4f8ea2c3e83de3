"""Member pages on a phone with the demo coalition: branches by postcode, admin lists, public pages.

Every page visited is scanned by axe: 0 serious or critical violations.
"""

from __future__ import annotations

import pytest

from coalition.demo.services import DEMO_PASSWORD
from tests.coalition.demo import DUO_FOR_A_JOB_CITIES
from tests.e2e.browser import assert_accessible, sign_in, visit

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def seeded(live_server):
    live_server.flask("demo", "seed")
    return live_server


def log_in(page, base: str, lang: str, email: str) -> None:
    sign_in(page, f"{base}/{lang}/login", email, DEMO_PASSWORD)


def test_an_org_admin_adds_a_branch_by_its_postcode(seeded, new_page):
    page = new_page(locale="fr-BE")
    log_in(page, seeded.url, "fr", "admin@taalbrug.example")
    visit(page, f"{seeded.url}/fr/staff/")
    with page.expect_navigation():
        page.locator("main a[href*='/staff/org/'][href$='/profile']").first.click()
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("main a[href$='/branches']").first.click()
    assert_accessible(page)
    page.locator("#name").fill("Antenne Namur")
    page.locator("#postcode").fill("5000")
    page.locator("#country").select_option("BE")
    with page.expect_navigation():
        page.locator("main form.stacked [type=submit]").click()
    assert_accessible(page)
    row = page.locator("main table tr", has_text="Antenne Namur")
    assert "Namur" in row.inner_text()
    assert row.locator(".badge").count() == 1  # a city the coalition did not cover

    page.locator("#name").fill("Nulle part")
    page.locator("#postcode").fill("0001")
    with page.expect_navigation():
        page.locator("main form.stacked [type=submit]").click()
    assert page.locator("#postcode-error").is_visible()
    assert page.locator("#postcode").get_attribute("aria-invalid") == "true"
    assert_accessible(page)


def test_the_office_sees_applications_and_members(seeded, new_page):
    page = new_page(locale="nl-BE")
    log_in(page, seeded.url, "nl", "admin@coalition.example")
    visit(page, f"{seeded.url}/nl/admin/applications")
    with page.expect_navigation():
        page.get_by_role("link", name="Sport & Mentorat Bruxelles").click()
    assert_accessible(page)
    assert page.locator("#reject-reason").count() == 1
    visit(page, f"{seeded.url}/nl/admin/organisations")
    assert page.locator("main table tbody tr").count() >= 12


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_the_public_member_pages(seeded, new_page, lang):
    page = new_page(locale=f"{lang}-BE")
    visit(page, f"{seeded.url}/{lang}/members")
    assert page.locator("html").get_attribute("lang") == lang
    with page.expect_navigation():
        page.get_by_role("link", name="Duo for a Job").first.click()
    assert_accessible(page)
    branches = page.locator("main").inner_text()
    for city in DUO_FOR_A_JOB_CITIES:
        assert city in branches
