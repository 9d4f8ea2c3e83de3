"""Staff sign-in outside demo mode, in a real browser: second factor, people, audit, reset.

An org admin signs in and is made to set up TOTP before anything else (the QR code is
drawn by the platform itself: no request leaves the loopback), invites a person from the
people page, signs out and back in with a code; the coalition admin reads the audit log.
Every page is scanned by axe: 0 serious or critical violations.
"""

from __future__ import annotations

import re
import time
import uuid

import pyotp
import pytest

from tests.e2e.browser import assert_accessible, visit

pytestmark = pytest.mark.e2e

PASSWORD = "admins keep the second factor"


def submit(page, form_selector: str = "main form.stacked") -> None:
    with page.expect_navigation():
        page.locator(form_selector).locator("[type=submit]").first.click()
    assert_accessible(page)


def log_in(page, base: str, lang: str, email: str) -> None:
    visit(page, f"{base}/{lang}/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    submit(page, "main form")


def enrol(page) -> pyotp.TOTP:
    """On the set-up page: read the key beside the QR code and confirm a first code."""
    assert page.url.endswith("/account/second-factor"), page.url
    assert page.locator("figure.qr-code svg").count() == 1
    secret = page.locator("figure.qr-code code").inner_text().strip()
    totp = pyotp.TOTP(secret)
    page.locator("#code").fill(totp.now())
    submit(page)
    return totp


@pytest.fixture(scope="module")
def strict_server(serve_platform):
    """The platform outside demo mode: admins must use a second factor."""
    return serve_platform(demo_mode=False)


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_org_admin_sets_up_totp_invites_and_signs_in_again(strict_server, new_page, lang):
    tag, email, org_id = strict_server.add_staff("admin", "Ada", PASSWORD, "org_admin")
    base = strict_server.url
    page = new_page(locale={"fr": "fr-BE", "nl": "nl-BE"}[lang])

    # 1. Signing in leads to the second-factor set-up, whatever page is asked for.
    log_in(page, base, lang, email)
    visit(page, f"{base}/{lang}/staff/")
    totp = enrol(page)
    assert page.url.endswith(f"/{lang}/staff/"), page.url

    # 2. The people page: invite a colleague as editor.
    visit(page, f"{base}/{lang}/staff/{org_id}/people")
    colleague = f"colleague-{tag}@example.org"
    page.locator("#email").fill(colleague)
    page.locator("#name").fill("Colleague")
    page.locator("input[name=roles][value=editor]").check()
    submit(page, "main form.stacked")
    assert colleague in page.locator(".flashes").inner_text()
    assert strict_server.wait_for_mail(colleague)["Content-Language"] == lang

    # 3. The account page, then sign out and back in: the code page is asked.
    visit(page, f"{base}/{lang}/account")
    with page.expect_navigation():
        page.locator("header form[action$='/logout'] [type=submit]").click()
    log_in(page, base, lang, email)
    assert page.url.endswith(f"/{lang}/login/code"), page.url
    page.locator("#code").fill(totp.at(time.time() + 30))
    submit(page)
    assert page.url.endswith(f"/{lang}/staff/"), page.url


def test_coalition_admin_reads_the_audit_log(strict_server, new_page):
    email = f"office-{uuid.uuid4().hex[:6]}@example.org"
    strict_server.flask(
        "coalition", "create-admin", "--email", email, "--name", "Office", "--password", PASSWORD
    )
    page = new_page(locale="nl-BE")
    log_in(page, strict_server.url, "nl", email)
    enrol(page)
    visit(page, f"{strict_server.url}/nl/admin/audit/")
    assert "user.make_coalition_admin" in page.locator("main").inner_text()


def test_forgot_password_pages(strict_server, new_page):
    page = new_page(locale="fr-BE")
    visit(page, f"{strict_server.url}/fr/forgot-password")
    page.locator("#email").fill("nobody@example.org")
    submit(page)
    assert re.search(r"boîte", page.locator("main").inner_text())
