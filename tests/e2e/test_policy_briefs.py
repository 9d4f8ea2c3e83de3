"""Two organisations write a brief together in real browsers, sign it and publish it.

Two authors edit the same section at once, each in their own browser context: the second
save is merged with the first; a third, on the same words, is a conflict that its author
resolves. Both organisations' admins sign; the lead publishes; the brief is in the feed.
axe finds no serious or critical violation on the editor, the conflict and diff pages
and the public page.
"""

from __future__ import annotations

import urllib.request
import uuid

import pytest

from tests.e2e import browser
from tests.e2e.browser import assert_accessible

pytestmark = pytest.mark.e2e

PASSWORD = "briefs are written together"
TEXT = "Mentors aged fifty and over accompany young job seekers for six months."


@pytest.fixture
def brief(live_server):
    """A brief in draft, led by one organisation and co-authored by another."""
    tag = uuid.uuid4().hex[:6]
    people = {
        role: f"{role}-{tag}@example.org"
        for role in ("lead_author", "lead_admin", "partner_author", "partner_admin")
    }
    ids = live_server.python(f"""
from coalition.extensions import db
from coalition.access import Role
from coalition.accounts.models import OrganisationRole, User
from coalition.accounts.passwords import hash_password
from coalition.database import utcnow
from coalition.members.models import Organisation
from policy_briefs import services
people = {people!r}
orgs = {{}}
for key, name in (("lead", "Lead {tag}"), ("partner", "Partner {tag}")):
    orgs[key] = Organisation(name=name, slug=f"{{key}}-{tag}", admitted_at=utcnow(),
                             languages=["en"])
    db.session.add(orgs[key])
users = {{}}
for role, email in people.items():
    users[role] = User(email=email, name=role.replace("_", " ").title(), language="en",
                       password_hash=hash_password("{PASSWORD}"))
    db.session.add(users[role])
db.session.flush()
for role, user in users.items():
    org = orgs[role.split("_")[0]]
    kind = Role.org_admin if role.endswith("admin") else Role.policy_author
    db.session.add(OrganisationRole(user_id=user.id, organisation_id=org.id, role=kind))
db.session.flush()
brief = services.create_brief(orgs["lead"], "Recognise mentoring {tag}", "en",
                              users["lead_author"], sections=["{TEXT}"])
invitation = services.invite_organisation(brief, orgs["partner"], users["lead_author"])
services.answer_invitation(invitation, True, users["partner_author"])
db.session.commit()
print(brief.id, brief.current_sections[0].id)
""").split()
    return {"id": int(ids[0]), "section": int(ids[1]), "people": people, "tag": tag}


def sign_in(new_page, live_server, email: str):
    page = new_page(locale="en-GB")
    browser.sign_in(page, f"{live_server.url}/en/login", email, PASSWORD, scan=False)
    return page


def test_two_organisations_write_sign_and_publish_a_brief(live_server, new_page, brief):
    base = f"{live_server.url}/en/staff/briefs/{brief['id']}"
    sid = brief["section"]
    text, save, status = f"#text-{sid}", f"#save-{sid}", f"#status-{sid}"
    alice = sign_in(new_page, live_server, brief["people"]["lead_author"])
    bob = sign_in(new_page, live_server, brief["people"]["partner_author"])
    for page in (alice, bob):
        page.goto(base)
    assert_accessible(alice)

    # Alice saves first; Bob, who opened the same revision, saves other words: merged.
    alice.locator(text).fill(TEXT.replace("fifty", "50"))
    alice.locator(save).click()
    alice.locator(status).filter(has_text="Saved as revision 2.").wait_for()
    bob.locator(text).fill(TEXT.replace("young job seekers", "young people"))
    bob.locator(save).click()
    bob.locator(status).filter(has_text="merged").wait_for()
    merged = "Mentors aged 50 and over accompany young people for six months."
    assert bob.locator(text).input_value() == merged

    # Alice, still on revision 2, changes the words Bob changed: a conflict to resolve.
    alice.locator(text).fill(TEXT.replace("fifty", "50").replace("young job seekers", "youths"))
    with alice.expect_navigation():
        alice.locator(save).click()
    assert "Resolve the conflict" in alice.locator("h1").inner_text()
    assert "young people" in alice.locator("#theirs-text").inner_text()
    assert "youths" in alice.locator("#text").input_value()  # her own text, kept
    assert_accessible(alice)
    resolved = "Mentors aged 50 and over accompany young people (youths) for six months."
    alice.locator("#text").fill(resolved)
    with alice.expect_navigation():
        alice.locator("#resolve-form button[type=submit]").click()
    assert "Saved as revision 4." in alice.locator(".flashes").inner_text()
    assert alice.locator(text).input_value() == resolved

    # What revision 4 changed, word by word.
    alice.goto(f"{base}/sections/{sid}/history")
    assert_accessible(alice)
    with alice.expect_navigation():
        alice.locator("a", has_text="What revision 4 changed").click()
    assert alice.locator(".pb-diff ins").first.inner_text().strip().startswith("[inserted:")
    assert_accessible(alice)

    # Review, sign-off: both organisations sign the hash they are shown.
    alice.goto(base)
    with alice.expect_navigation():
        alice.locator("#review").click()
    with alice.expect_navigation():
        alice.locator("#sign_off").click()
    assert "frozen for sign-off" in alice.locator(".flashes").inner_text()
    for admin in ("lead_admin", "partner_admin"):
        page = sign_in(new_page, live_server, brief["people"][admin])
        page.goto(f"{base}/sign-off")
        assert_accessible(page)
        page.locator("#confirm").check()
        with page.expect_navigation():
            page.locator("#sign-form [type=submit]").click()
        assert "Signed for" in page.locator(".flashes").inner_text()

    # The lead publishes: the public page, then the feed.
    alice.goto(base)
    with alice.expect_navigation():
        alice.locator("#publish").click()
    assert "/en/briefs/" in alice.url and "/staff/" not in alice.url
    assert alice.locator("h1").inner_text() == f"Recognise mentoring {brief['tag']}"
    signatories = alice.locator(".pb-signatories").inner_text()
    assert f"Lead {brief['tag']}" in signatories and f"Partner {brief['tag']}" in signatories
    assert resolved in alice.locator(".pb-content").inner_text()
    assert_accessible(alice)
    with urllib.request.urlopen(f"{live_server.url}/en/briefs/feed.atom") as feed:  # noqa: S310
        assert f"Recognise mentoring {brief['tag']}" in feed.read().decode()
