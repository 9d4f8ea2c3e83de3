"""Finding a programme on a phone, in Dutch; an editor publishes one and finds it in search.

The data is made through the platform's own services (`live_server.python`), the index is
filled by the served platform's worker thread (the outbox), every page is scanned by axe.
"""

from __future__ import annotations

import json
import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import assert_accessible, sign_in

pytestmark = pytest.mark.e2e

EDITOR_PASSWORD = "mentors help young people"


def make_member(live_server, tag: str) -> dict:
    """An admitted member with a branch in Molenbeek, an editor, and two published programmes."""
    return live_server.python_json(f"""
import json
from coalition.branches.models import Branch
from coalition.extensions import db
from coalition.programmes.services import create_programme
from tests.e2e.world import member, staff
org = member("Jobduo {tag}", "jobduo-{tag}", ["nl", "fr"],
             descriptions={{"nl": "Mentoren van boven de 50 voor jongeren."}})
org.branches.append(Branch(name="Jobduo Molenbeek", postcode="1080", city="Molenbeek-Saint-Jean",
                           latitude=50.855, longitude=4.33))
editor = staff(org, "editor", "editor-{tag}@jobduo.example", "Editor {tag}", "{EDITOR_PASSWORD}")
body = {{
    "title": {{"nl": "Werk zoeken met een mentor {tag}",
              "fr": "Chercher un emploi avec un mentor {tag}"}},
    "summary": {{"nl": "Zes maanden samen met een mentor naar werk zoeken."}},
    "themes": ["employment"], "audiences": ["neet"], "formats": ["one_to_one"],
    "languages": ["nl", "fr"], "age_min": 18, "age_max": 30,
    "locations": [{{"postcode": "1080"}}], "apply": {{"email": "intake@jobduo.example"}},
    "status": "published",
}}
create_programme(org, body, editor)
create_programme(org, dict(body, title={{"nl": "Schoolmentor {tag}"}}, themes=["education"],
                           age_min=12, age_max=18), editor)
draft = create_programme(org, dict(body, title={{"nl": "Digitaal coachen {tag}"}},
                                   themes=["digital"], status="draft"), editor)
db.session.commit()
print(json.dumps({{"org_id": org.id, "draft_id": draft.id, "draft_uuid": str(draft.uuid)}}))
""")


def search_until_found(page, url: str, text: str, attempts: int = 40) -> None:
    """Reload the search until the indexer (a background thread) has caught up."""
    for _ in range(attempts):
        page.goto(url)
        if page.get_by_role("link", name=re.compile(re.escape(text))).count():
            return
        page.wait_for_timeout(500)
    raise AssertionError(f"{text!r} never appeared in {url}")


def test_search_in_dutch_on_a_phone_filter_and_open(live_server, new_page):
    tag = uuid.uuid4().hex[:6]
    make_member(live_server, tag)
    page = new_page(locale="nl-BE")
    base = live_server.url
    search_until_found(page, f"{base}/nl/programmes?q={tag}", f"Werk zoeken met een mentor {tag}")

    page.goto(f"{base}/nl/programmes")
    assert_accessible(page)
    # JavaScript enhances the form: suggestions while typing (a datalist).
    page.get_by_label("Wat zoek je?").press_sequentially("Werk zoeken met")
    expect(page.locator("#search-suggestions option").first).to_be_attached()
    page.get_by_label("Wat zoek je?").fill(f"werk zoeken mentor {tag}")
    with page.expect_navigation():
        page.get_by_role("button", name="Zoeken", exact=True).click()
    assert "/nl/programmes?" in page.url
    count = page.locator("#result-count")
    expect(count).to_contain_text("gevonden")
    assert count.get_attribute("aria-live") == "polite"
    expect(
        page.get_by_role("link", name=re.compile(f"Werk zoeken met een mentor {tag}"))
    ).to_be_visible()
    assert page.locator(".result-list mark").count() >= 1  # the words found are highlighted
    assert_accessible(page)

    # Filter by theme with the checkbox, and by place: near Molenbeek within 10 km.
    page.locator("details.filters").evaluate("d => d.open = true")
    page.get_by_role("checkbox", name=re.compile("^Werk")).check()
    # ... and updates the results in place when a filter changes.
    page.wait_for_function("() => location.search.includes('theme=employment')")
    expect(
        page.get_by_role("link", name=re.compile(f"Werk zoeken met een mentor {tag}"))
    ).to_be_visible()
    page.get_by_label("In de buurt van (postcode of gemeente)").fill("1080")
    page.get_by_label("Binnen").select_option("10")
    with page.expect_navigation():
        page.get_by_role("button", name="Filters toepassen").click()
    assert "theme=employment" in page.url and "near=1080" in page.url
    expect(page.locator(".result-list .distance").first).to_contain_text("km")
    assert page.get_by_role("link", name=re.compile(f"Schoolmentor {tag}")).count() == 0
    assert_accessible(page)

    # Open the programme.
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile(f"Werk zoeken met een mentor {tag}")).click()
    expect(page.locator("h1")).to_have_text(f"Werk zoeken met een mentor {tag}")
    expect(page.get_by_role("heading", name="Hoe inschrijven")).to_be_visible()
    expect(page.get_by_role("link", name="intake@jobduo.example")).to_be_visible()
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert data["@type"] == "Service" and data["provider"]["name"] == f"Jobduo {tag}"
    assert_accessible(page)


def test_an_editor_publishes_and_finds_the_programme(live_server, new_page):
    tag = uuid.uuid4().hex[:6]
    member = make_member(live_server, tag)
    base = live_server.url
    page = new_page(locale="nl-BE")
    # Not public while it is a draft.
    response = page.goto(f"{base}/nl/programmes/{member['draft_uuid']}")
    assert response.status == 404

    sign_in(page, f"{base}/nl/login", f"editor-{tag}@jobduo.example", EDITOR_PASSWORD, scan=False)

    page.goto(f"{base}/nl/staff/programmes/{member['org_id']}/")
    publish = page.locator(
        f"form[action$='/{member['org_id']}/{member['draft_id']}/publish'] button"
    )
    with page.expect_navigation():
        publish.click()
    assert_accessible(page)

    search_until_found(
        page, f"{base}/nl/programmes?q=digitaal+coachen+{tag}", f"Digitaal coachen {tag}"
    )
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile(f"Digitaal coachen {tag}")).click()
    assert page.url.endswith(f"/nl/programmes/{member['draft_uuid']}")
    expect(page.locator("h1")).to_have_text(f"Digitaal coachen {tag}")


def test_the_widget_is_framed_and_accessible(live_server, new_page, page_requests):
    tag = uuid.uuid4().hex[:6]
    make_member(live_server, tag)
    base = live_server.url
    page = new_page(locale="fr-BE")
    page.goto(f"{base}/fr/widget/embed?org=jobduo-{tag}")
    assert_accessible(page)
    snippet = page.locator("#embed-snippet").input_value()
    assert snippet.startswith("<iframe") and f"org=jobduo-{tag}" in snippet
    framed = page.frame_locator("iframe.widget-preview")
    expect(framed.locator("h1")).to_contain_text(f"Jobduo {tag}")
    page.goto(f"{base}/fr/widget?org=jobduo-{tag}")
    assert_accessible(page)
    assert page.context.cookies() == []  # the widget set no cookie


def no_sideways_overflow(page, selector: str) -> bool:
    """The element fits the viewport and its own content fits it (nothing cut off)."""
    return page.evaluate(
        """(sel) => [...document.querySelectorAll(sel)].every(el => {
             const box = el.getBoundingClientRect();
             return box.right <= window.innerWidth + 1 && box.left >= -1
               && el.scrollWidth <= el.clientWidth + 1; })""",
        selector,
    )


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_the_search_page_on_a_phone(live_server, new_page, lang):
    """Issue 13: results first (filters folded, with the count of active ones), no empty
    facet boxes, nothing cut off at 390 px, the map of the results, "did you mean", and
    "Back to search" to the same query and page."""
    tag = uuid.uuid4().hex[:6]
    make_member(live_server, tag)
    page = new_page(locale=f"{lang}-BE")
    base = live_server.url
    title = (
        f"Werk zoeken met een mentor {tag}"
        if lang == "nl"
        else f"Chercher un emploi avec un mentor {tag}"
    )
    search_until_found(page, f"{base}/{lang}/programmes?q={tag}", title)

    # The home page offers the postcode field; its search placeholder is not cut off.
    page.goto(f"{base}/{lang}/")
    expect(page.locator("#home-near")).to_be_visible()
    assert no_sideways_overflow(page, "#home-q, #home-near")
    assert page.evaluate(
        """() => { const i = document.getElementById('home-q');
                   const c = document.createElement('canvas').getContext('2d');
                   c.font = getComputedStyle(i).font;
                   return c.measureText(i.placeholder).width <= i.clientWidth; }"""
    )

    # Near a place, theme chosen: filters folded, their summary counts the active ones.
    page.goto(f"{base}/{lang}/programmes?q={tag}&theme=employment&near=1080")
    filters = page.locator("details.filters")
    assert filters.evaluate("d => d.open") is False
    expect(filters.locator("summary")).to_contain_text("2")
    expect(page.locator(".result-list")).to_be_visible()
    # Sorted by distance by default; the sort select is not cut off once unfolded.
    filters.evaluate("d => d.open = true")
    assert page.locator("#search-sort").input_value() == "distance"
    assert no_sideways_overflow(page, "#search-sort, #search-near, #search-q")
    # The map of the results, drawn by the platform itself, with the place searched.
    expect(page.locator("#results-map svg path").first).to_be_attached()
    assert page.locator("#results-map .map-point").count() >= 1
    assert page.locator("#results-map .map-origin").count() == 1
    assert_accessible(page)

    # "Back to search" returns to the same query and page.
    url = page.url
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile(re.escape(title))).click()
    with page.expect_navigation():
        page.locator("#back-to-search").click()
    assert page.url == url

    # A zero-hit page: no empty facet boxes, and "did you mean" as a link.
    page.goto(f"{base}/{lang}/programmes?q=wrkk&theme=employment")
    assert page.locator("fieldset.facet .hint").count() == 0
    suggestion = page.locator(".zero-hits a").first
    expect(suggestion).to_be_visible()
    assert_accessible(page)
