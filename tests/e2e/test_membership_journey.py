"""From application to a published profile, on a phone, in French and in Dutch.

An organisation applies on `/<lang>/join`; the coalition admin (demo mode: no second
factor) logs in and approves; the contact person opens the invitation link from the mail,
chooses a password, logs in, edits the organisation's profile, and the public member page
shows the change. Every page visited is scanned by axe: 0 serious or critical violations.
"""

from __future__ import annotations

import re
import uuid

import pytest

from tests.e2e.browser import assert_accessible, sign_in, visit
from tests.e2e.server import mail_text

pytestmark = pytest.mark.e2e

ADMIN_PASSWORD = "office keeps the coalition going"
INVITEE_PASSWORD = "duos of mentors and young people"
#: what the organisation says of itself, in the journey's language
PROFILE_TEXT = {
    "fr": "Nous accompagnons des jeunes vers l'emploi avec des mentors de plus de 50 ans.",
    "nl": "Wij begeleiden jongeren naar werk met mentoren van boven de 50.",
}
LOCALES = {"fr": "fr-BE", "nl": "nl-BE"}


def enterprise_number(seed: int) -> str:
    """A Belgian enterprise number that passes the mod-97 check: 0 + 7 digits + check."""
    base = int(f"0{seed % 10_000_000:07d}")
    check = 97 - base % 97
    digits = f"{base:08d}{check:02d}"
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def submit(page, form_selector: str = "main form.stacked") -> None:
    """Submit a form with its submit button, wait for the next page, and scan it."""
    with page.expect_navigation():
        page.locator(form_selector).locator("[type=submit]").first.click()
    assert_accessible(page)


def log_in(page, base: str, lang: str, email: str, password: str) -> None:
    """Sign in through the login form."""
    sign_in(page, f"{base}/{lang}/login", email, password)


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_an_organisation_applies_is_admitted_and_edits_its_profile(live_server, new_page, lang):
    base = live_server.url
    tag = uuid.uuid4().hex[:6]
    org_name = f"Mentor Duo {lang.upper()} {tag}"
    contact_email = f"contact-{tag}@duo-{lang}.example"
    admin_email = f"office-{tag}@coalition.example"
    live_server.flask(
        "coalition",
        "create-admin",
        "--email",
        admin_email,
        "--name",
        "Coalition Office",
        "--password",
        ADMIN_PASSWORD,
    )

    # 1. The organisation applies, on a phone, in its language.
    applicant = new_page(locale=LOCALES[lang])
    visit(applicant, f"{base}/{lang}/join")
    assert applicant.locator("html").get_attribute("lang") == lang
    applicant.locator("#organisation_name").fill(org_name)
    applicant.locator("#enterprise_number").fill(enterprise_number(int(tag, 16)))
    applicant.locator("#website").fill(f"https://duo-{lang}.example")
    applicant.locator(f"input[name=languages][value={lang}]").check()
    applicant.locator("#description").fill(PROFILE_TEXT[lang])
    applicant.locator("#contact_name").fill("Alex Contact")
    applicant.locator("#contact_email").fill(contact_email)
    submit(applicant)
    assert applicant.locator("[role=status]").count() == 1, applicant.locator("main").inner_text()
    acknowledgement = live_server.wait_for_mail(contact_email)
    assert acknowledgement["Content-Language"] == lang
    assert org_name in mail_text(acknowledgement)

    # 2. The coalition admin logs in and approves the application.
    office = new_page(locale=LOCALES[lang])
    log_in(office, base, lang, admin_email, ADMIN_PASSWORD)
    visit(office, f"{base}/{lang}/admin/applications")
    with office.expect_navigation():
        office.get_by_role("link", name=org_name).click()
    assert_accessible(office)
    submit(office, "main form[action$='/approve']")
    assert org_name in office.locator(".flashes").inner_text()

    # 3. The contact person receives the invitation, in the language of the application.
    mail = live_server.wait_for_mail(contact_email)
    assert mail["Content-Language"] == lang
    link = re.search(r"https?://\S+/invitation/\S+", mail_text(mail))
    assert link, mail_text(mail)
    assert link.group(0).startswith(f"{base}/{lang}/")

    # 4. They choose a password, and log in with it.
    invitee = new_page(locale=LOCALES[lang])
    visit(invitee, link.group(0))
    invitee.locator("#name").fill("Alex Contact")
    invitee.locator("#password").fill(INVITEE_PASSWORD)
    invitee.locator("#confirm").fill(INVITEE_PASSWORD)
    submit(invitee)
    assert "/invitation/" not in invitee.url, invitee.locator("main").inner_text()
    with invitee.expect_navigation():
        invitee.locator("header form[action$='/logout'] [type=submit]").click()
    log_in(invitee, base, lang, contact_email, INVITEE_PASSWORD)

    # 5. They edit the organisation's profile from their workspace.
    visit(invitee, f"{base}/{lang}/staff/")
    with invitee.expect_navigation():
        invitee.locator("main a[href*='/staff/org/'][href$='/profile']").first.click()
    assert_accessible(invitee)
    new_text = f"{PROFILE_TEXT[lang]} ({tag})"
    invitee.locator(f"#description_{lang}").fill(new_text)
    submit(invitee)
    assert invitee.locator(".flash-success").count() == 1, invitee.locator("main").inner_text()

    # 6. The public member page shows the change to anyone.
    visitor = new_page(locale=LOCALES[lang])
    visit(visitor, f"{base}/{lang}/members")
    with visitor.expect_navigation():
        visitor.get_by_role("link", name=org_name).first.click()
    assert_accessible(visitor)
    assert visitor.get_by_role("heading", level=1).inner_text() == org_name
    assert new_text in visitor.locator("main").inner_text()
