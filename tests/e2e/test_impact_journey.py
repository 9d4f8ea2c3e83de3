"""Impact monitoring, on a phone: an organisation's admin enters a quarter, the coalition
dashboard shows it, the public page shows the new total; axe finds no serious or critical
violation on any chart page (the dashboard, the coverage map, the targets, the public
page in French and Dutch)."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import assert_accessible, visit

pytestmark = pytest.mark.e2e

PASSWORD = "figures every quarter"


def make_member_and_office(live_server, tag: str) -> dict:
    """A member with a branch in Namur, its admin, and a coalition admin."""
    return live_server.python_json(f"""
import json
from coalition.branches.services import add_branch
from coalition.extensions import db
from tests.e2e.world import member, staff, user
org = member("Duo Namur {tag}", "duo-namur-{tag}", ["fr"],
             descriptions={{"fr": "Des duos vers l'emploi."}})
branch = add_branch(org, None, name="Namur {tag}", postcode="5000")
staff(org, "org_admin", "admin-{tag}@duo-namur.example", "Admin {tag}", "{PASSWORD}",
      language="fr")
user("office-{tag}@coalition.example", "Office {tag}", "{PASSWORD}", is_coalition_admin=True,
     language="fr")
db.session.commit()
print(json.dumps({{"org_id": org.id, "branch": branch.id}}))
""")


def sign_in(page, base: str, email: str) -> None:
    visit(page, f"{base}/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form [type=submit]").first.click()


def enrolled_total(page, url: str) -> int:
    return (
        page.request.get(f"{url}/api/v1/impact").json()["totals"]["young_people_enrolled"]["value"]
        or 0
    )


def test_a_quarter_entered_on_a_phone_reaches_the_dashboard_and_the_public_page(
    live_server, new_page
):
    tag = uuid.uuid4().hex[:6]
    made = make_member_and_office(live_server, tag)
    base = f"{live_server.url}/fr"
    page = new_page(locale="fr-BE")  # a phone
    before = enrolled_total(page, live_server.url)

    sign_in(page, base, f"admin-{tag}@duo-namur.example")
    visit(page, f"{base}/staff/{made['org_id']}/impact")
    form = page.locator("main form[method=post]")
    form.get_by_label("Année").select_option("2021")
    form.get_by_label("Trimestre").select_option("2")
    values = {
        "Mentors formés": "7",
        "Mentors actifs": "12",
        "Mentors actifs de 50 ans et plus": "20",  # more than the active: refused
        "Jeunes inscrits": "431",
        "Duos commencés": "9",
        "Duos terminés": "6",
        "Mentors qui continuent après leur premier duo": "5",
        "A trouvé un emploi": "3",
    }
    for label, value in values.items():
        form.get_by_label(label, exact=True).fill(value)
    with page.expect_navigation():
        form.get_by_role("button", name="Enregistrer les chiffres").click()
    assert_accessible(page)
    expect(page.locator("#f-mentors_aged_50_plus-error")).to_have_text(
        "Ne peut pas dépasser le nombre de mentors actifs."
    )
    expect(page.get_by_label("Jeunes inscrits", exact=True)).to_have_value("431")
    page.get_by_label("Mentors actifs de 50 ans et plus", exact=True).fill("10")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer les chiffres").click()
    expect(page.locator(".flash-success")).to_contain_text("Les chiffres ont été enregistrés.")
    assert_accessible(page)

    office = new_page(locale="fr-BE")
    sign_in(office, base, f"office-{tag}@coalition.example")
    visit(office, f"{base}/admin/impact/")
    quarter_row = office.locator("#table-quarters ~ .table-scroll tr", has_text="2021-Q2")
    expect(quarter_row).to_contain_text("431")
    expect(office.locator("svg[role=img]")).to_have_count(6)
    visit(office, f"{base}/admin/impact/coverage")
    expect(office.locator("svg[role=img] title")).to_have_text("Demande sans offre par province")
    visit(office, f"{base}/admin/impact/targets")

    visit(page, f"{base}/impact")
    assert enrolled_total(page, live_server.url) == before + 431
    expect(page.locator('[data-figure="young_people_enrolled"]')).to_have_text(str(before + 431))
    visit(page, f"{live_server.url}/nl/impact")
    expect(page.locator("h1")).to_have_text("Onze impact")
