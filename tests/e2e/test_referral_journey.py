"""A referral between two members, on a phone: a referral officer sends one from a
programme page, the receiving officer accepts and enrols it, the sender sees the status.
Every page is scanned by axe: 0 serious or critical violations."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import assert_accessible

pytestmark = pytest.mark.e2e

PASSWORD = "referrals carry no names"


def make_two_members(live_server, tag: str) -> dict:
    """A sender and a receiver (a published programme in Molenbeek), an officer each."""
    return live_server.python_json(f"""
import json
from coalition.branches.models import Branch
from coalition.extensions import db
from coalition.programmes.services import create_programme
from tests.e2e.world import member, staff
orgs = {{}}
for key, name in (("sender", "Job Coaching {tag}"), ("receiver", "Duo for a Job {tag}")):
    org = member(name, f"{{key}}-{tag}", ["fr", "nl"],
                 descriptions={{"en": name + " helps young people."}})
    org.branches.append(Branch(name="Molenbeek", postcode="1080", city="Molenbeek",
                               latitude=50.855, longitude=4.32))
    staff(org, "referral_officer", f"{{key}}-{tag}@example.org", f"Officer {{key}}", "{PASSWORD}",
          language="en")
    orgs[key] = org
programme = create_programme(orgs["receiver"], {{
    "title": {{"en": "A mentor for a job {tag}"}},
    "summary": {{"en": "Six months with a mentor over 50."}},
    "themes": ["employment"], "formats": ["one_to_one"], "languages": ["fr"],
    "locations": [{{"postcode": "1080"}}], "apply": {{"email": "intake@duo.example"}},
    "status": "published",
}})
db.session.commit()
print(json.dumps({{"sender": orgs["sender"].id, "receiver": orgs["receiver"].id,
                  "programme": str(programme.uuid)}}))
""")


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form [type=submit]").first.click()
    assert_accessible(page)


def test_a_referral_is_sent_accepted_enrolled_and_the_sender_sees_it(live_server, new_page):
    tag = uuid.uuid4().hex[:6]
    made = make_two_members(live_server, tag)
    base = f"{live_server.url}/en"

    # The sender's officer refers a young person from the programme's page.
    sender = new_page()
    sign_in(sender, base, f"sender-{tag}@example.org")
    sender.goto(f"{base}/programmes/{made['programme']}")
    assert_accessible(sender)
    with sender.expect_navigation():
        sender.get_by_role("region", name="Refer a young person").get_by_role("link").click()
    assert_accessible(sender)
    sender.get_by_label("Your own reference for the young person").fill(f"case-{tag}")
    sender.get_by_label("Age band").select_option("21-25")
    sender.get_by_label("Postcode").fill("1080")
    sender.get_by_role("group", name="Languages").get_by_label("French").check()
    sender.get_by_role("group", name="Goals").get_by_label("Employment").check()
    sender.get_by_role("group", name="Availability").get_by_label("Weekday evenings").check()
    sender.get_by_label("Needs").fill("Call him at 0475 12 34 56 please")
    sender.get_by_label("by the young person").check()
    with sender.expect_navigation():
        sender.get_by_role("button", name="Send the referral").click()
    # the phone number is refused beside the note; the rest of the form is kept
    expect(sender.locator("#note-error")).to_contain_text("a phone number")
    expect(sender.get_by_label("Postcode")).to_have_value("1080")
    assert_accessible(sender)
    sender.get_by_label("Needs").fill("Wants a first job in logistics, evenings only.")
    with sender.expect_navigation():
        sender.get_by_role("button", name="Send the referral").click()
    expect(sender.locator(".flash-success")).to_contain_text("Referral R-")
    code = re.search(r"R-[A-Z0-9]{4}-[A-Z0-9]{4}", sender.locator("h1").inner_text()).group(0)
    expect(sender.locator("#referral-status")).to_contain_text("Requested")
    assert_accessible(sender)

    # The receiving officer finds it in the inbox, accepts it and enrols the young person.
    receiver = new_page()
    sign_in(receiver, base, f"receiver-{tag}@example.org")
    receiver.goto(f"{base}/federation/{made['receiver']}/referrals")
    assert_accessible(receiver)
    with receiver.expect_navigation():
        receiver.get_by_role("link", name=code).click()
    expect(receiver.locator("main")).not_to_contain_text(f"case-{tag}")
    expect(receiver.locator("main")).to_contain_text("Brussels")
    assert_accessible(receiver)
    for button, status, shown in (
        ("Accept", "accepted", "Accepted"),
        ("Enrol", "in-progress", "In progress"),
    ):
        with receiver.expect_navigation():
            receiver.get_by_role("button", name=button).click()
        expect(receiver.locator("#referral-status [data-status]")).to_have_attribute(
            "data-status", status
        )
        expect(receiver.locator("#referral-status")).to_contain_text(shown)
        assert_accessible(receiver)

    # The sender sees the new status in its outbox and in the timeline.
    sender.goto(f"{base}/federation/{made['sender']}/referrals?box=outbox")
    expect(sender.locator('[data-count="in-progress"]')).to_have_text("1")
    assert_accessible(sender)
    with sender.expect_navigation():
        sender.get_by_role("link", name=code).click()
    expect(sender.locator("#referral-status")).to_contain_text("In progress")
    expect(sender.locator("main table").last).to_contain_text("Accepted")
