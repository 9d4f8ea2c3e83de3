"""Becoming a mentor, on a phone: a 62-year-old goes from the home page to the "Become a
mentor" search, finds a programme near her that seeks people with her experience, sends
her interest, gets the mail; the organisation's editor moves her on to "active". Every
page is scanned by axe: 0 serious or critical violations.
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import assert_accessible, visit
from tests.e2e.server import mail_text

pytestmark = pytest.mark.e2e

EDITOR_PASSWORD = "mentors follow volunteers up"


def make_programme_seeking_mentors(live_server, tag: str) -> dict:
    """A member with a branch in Liège, an editor, and a published programme seeking mentors."""
    return live_server.python_json(f"""
import json
from coalition.branches.models import Branch
from coalition.extensions import db
from coalition.programmes.services import create_programme
from tests.e2e.world import member, staff
org = member("Duo Liège {tag}", "duo-liege-{tag}", ["fr"],
             descriptions={{"fr": "Des duos intergénérationnels vers l'emploi."}})
org.branches.append(Branch(name="Liège", postcode="4000", city="Liège",
                           latitude=50.633, longitude=5.567))
editor = staff(org, "editor", "editor-{tag}@duo-liege.example", "Éditrice {tag}",
               "{EDITOR_PASSWORD}")
programme = create_programme(org, {{
    "title": {{"fr": "Un mentor pour l'emploi {tag}"}},
    "summary": {{"fr": "Six mois en duo avec un·e mentor de plus de 50 ans."}},
    "themes": ["employment"], "formats": ["one_to_one"], "languages": ["fr"],
    "locations": [{{"postcode": "4000"}}], "apply": {{"email": "intake@duo-liege.example"}},
    "status": "published",
    "mentor_needs": {{
        "experience_fields": ["hr", "business"], "languages": ["fr"], "age_min": 50,
        "hours_per_week": 2, "duo_months": 6, "training": {{"hours": 12, "format": "mixed"}},
        "locations": [{{"postcode": "4000"}}], "mentors_needed": 6,
    }},
}}, editor)
db.session.commit()
print(json.dumps({{"org_id": org.id, "uuid": str(programme.uuid)}}))
""")


def test_a_62_year_old_sends_her_interest_and_the_organisation_makes_her_active(
    live_server, new_page
):
    tag = uuid.uuid4().hex[:6]
    made = make_programme_seeking_mentors(live_server, tag)
    base = f"{live_server.url}/fr"
    email = f"josiane-{tag}@example.org"

    # From the home page to the programmes that seek mentors near Liège, in her field.
    page = new_page(locale="fr-BE")
    visit(page, f"{base}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Devenir mentor", exact=True).click()
    assert page.url.endswith("/fr/mentor")
    assert_accessible(page)
    title = f"Un mentor pour l'emploi {tag}"
    for _attempt in range(40):  # the indexer (a background thread) may not have caught up
        page.get_by_label("Près de (code postal ou ville)").fill("4000")
        page.get_by_label("Dans un rayon de").select_option("10")
        page.get_by_label("Ressources humaines et recrutement").check()
        page.get_by_label("Temps que vous pouvez donner").select_option("2")
        with page.expect_navigation():
            page.get_by_role("button", name="Trouver un programme").click()
        if page.get_by_role("link", name=title).count():
            break
        page.wait_for_timeout(500)
    assert "near=4000" in page.url and "experience=hr" in page.url and "mentor_hours=2" in page.url
    assert_accessible(page)
    result = page.locator(".result", has=page.get_by_role("link", name=title))
    expect(result).to_contain_text("2 heures par semaine")
    with page.expect_navigation():
        result.get_by_role("link", name=title).click()
    assert page.url.endswith(f"/fr/programmes/{made['uuid']}")
    assert_accessible(page)

    # The programme's page says what it asks of mentors.
    call = page.get_by_role("region", name="Devenir mentor dans ce programme")
    expect(call).to_contain_text("De préférence 50 ans ou plus")
    expect(call).to_contain_text("12 heures")
    with page.expect_navigation():
        call.get_by_role("link", name="J'aimerais être mentor ici").click()
    assert page.url.endswith(f"/fr/mentor/programmes/{made['uuid']}/interest")
    assert_accessible(page)

    # She forgets her age and the agreement: told beside each field, nothing lost.
    page.get_by_label("Prénom").fill("Josiane")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Ressources humaines et recrutement").check()
    page.get_by_role("group", name="Langues que vous parlez").get_by_label("Français").check()
    page.get_by_label("En semaine, en journée").check()
    page.get_by_label("Un message pour l'organisation (facultatif)").fill(
        "J'ai 62 ans, j'ai été responsable du personnel pendant trente ans."
    )
    page.wait_for_timeout(3200)  # a person takes a few seconds; a robot does not
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer ma candidature").click()
    assert_accessible(page)
    expect(page.locator("#age_band-error")).to_contain_text("Ce champ est obligatoire")
    expect(page.locator("#consent-error")).to_contain_text("Cochez cette case")
    expect(page.get_by_label("Prénom")).to_have_value("Josiane")

    page.get_by_label("60 à 69 ans").check()
    page.get_by_role("checkbox", name=re.compile("J'accepte que Duo Liège")).check()
    page.wait_for_timeout(3200)
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer ma candidature").click()
    assert page.url.endswith("/interest/sent"), page.url
    expect(page.locator("h1")).to_have_text("Merci !")
    assert_accessible(page)

    # The acknowledgement, in French, with the link that deletes her data.
    mail = live_server.wait_for_mail(email)
    assert mail["Content-Language"] == "fr"
    text = mail_text(mail)
    assert "Vous avez changé d'avis" in text
    assert re.search(r"/fr/mentor/withdraw/\S+", text)

    # The organisation's editor follows her up.
    staff = new_page(locale="fr-BE")
    visit(staff, f"{base}/login")
    staff.locator("#email").fill(f"editor-{tag}@duo-liege.example")
    staff.locator("#password").fill(EDITOR_PASSWORD)
    with staff.expect_navigation():
        staff.locator("main form [type=submit]").first.click()
    assert_accessible(staff)
    with staff.expect_navigation():
        staff.get_by_role("link", name="Candidat·es mentors").click()
    assert staff.url.endswith(f"/fr/staff/{made['org_id']}/mentors")
    assert_accessible(staff)
    with staff.expect_navigation():
        staff.get_by_role("link", name="Josiane").click()
    assert_accessible(staff)
    expect(staff.locator("main")).to_contain_text(email)
    for status in ("Contacté·e", "En formation", "Actif"):
        staff.get_by_label("Nouveau statut").select_option(label=status)
        with staff.expect_navigation():
            staff.get_by_role("button", name="Changer le statut").click()
        expect(staff.locator(".flash-success")).to_contain_text(status)
        assert_accessible(staff)
    expect(staff.locator("main .lead .badge")).to_have_text("Actif")
    expect(staff.locator(".history li")).to_have_count(4)
