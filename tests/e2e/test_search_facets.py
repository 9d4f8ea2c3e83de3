"""The search page updated in place shows what the server shows for the same address.

With the demo coalition loaded, a visitor on a phone changes filters with the keyboard; the
script updates the page without reloading it. The facets (options, counts, checked boxes,
"no choice" hints), the field errors and the results must then be those of the page loaded
afresh at the new address, the focus must stay on the box the visitor changed, and axe
finds no serious or critical violation.
"""

from __future__ import annotations

import json
import time
import urllib.request

import pytest

from tests.e2e.browser import assert_accessible

pytestmark = pytest.mark.e2e

#: what a visitor sees of the search form and the results (text, state, errors)
SNAPSHOT = """() => {
  const form = document.getElementById("search-form");
  const text = (node) => node.innerText.replace(/\\s+/g, " ").trim();
  return {
    facets: Array.from(form.querySelectorAll(".facet")).map((group) => [
      group.id,
      Array.from(group.querySelectorAll("label, a, .hint, .field-error")).map(text),
    ]),
    checked: Array.from(form.querySelectorAll("input:checked")).map((i) => i.name + "=" + i.value),
    invalid: Array.from(form.querySelectorAll("[aria-invalid=true]")).map((node) => node.id),
    errors: Array.from(form.querySelectorAll(".field-error")).map(text),
    results: text(document.getElementById("results")),
  };
}"""
UPDATED = """(before) => location.search !== before
    && !document.getElementById("search-form").hasAttribute("aria-busy")"""


@pytest.fixture(scope="module")
def demo_search(live_server):
    """The served platform with the demo coalition loaded and indexed."""
    live_server.flask("demo", "seed")
    for _attempt in range(120):
        waiting = live_server.python("""
from sqlalchemy import func, select
from coalition.extensions import db
from coalition.outbox import OutboxEntry
print(db.session.scalar(select(func.count()).select_from(OutboxEntry)))
""")
        if waiting.strip().splitlines()[-1] == "0" and _served_total_is_steady(live_server):
            return live_server
    raise AssertionError("the search index never caught up with the demo coalition")


def _served_total_is_steady(live_server) -> bool:
    """The served search counts the same programmes twice, a moment apart: its reader has
    reloaded the index the worker thread committed (the outbox empties just after)."""
    totals = []
    for _poll in range(2):
        url = f"{live_server.url}/api/v1/programmes?per_page=1"
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
            totals.append(json.load(response)["total"])
        time.sleep(0.5)
    return totals[0] == totals[1] > 0


def snapshot(page) -> dict:
    return page.evaluate(SNAPSHOT)


def as_served(new_page, url: str) -> dict:
    """The page at `url`, rendered by the server and loaded afresh."""
    fresh = new_page(locale="fr-BE")
    fresh.goto(url)
    open_filters(fresh)
    return snapshot(fresh)


def open_filters(page) -> None:
    """Unfold the filters (folded at first on a phone, issue 13)."""
    page.locator("details.filters").evaluate("d => d.open = true")


def toggle_with_the_keyboard(page, selector: str) -> None:
    """Focus a checkbox, press Space, wait until the script has updated the page."""
    before = page.evaluate("() => location.search")
    open_filters(page)
    page.locator(selector).focus()
    page.keyboard.press("Space")
    page.wait_for_function(UPDATED, arg=before)


def test_facets_updated_in_place_are_those_the_server_renders(demo_search, new_page):
    page = new_page(locale="fr-BE")
    page.goto(f"{demo_search.url}/fr/programmes")
    open_filters(page)
    first = snapshot(page)
    page.evaluate("() => { window.liveRegion = document.getElementById('result-count'); }")

    toggle_with_the_keyboard(page, "#facet-theme input[value=employment]")
    after_theme = snapshot(page)
    assert "theme=employment" in after_theme["checked"]
    assert after_theme == as_served(new_page, page.url)
    # The other groups are counted with the theme applied: their counts changed.
    assert after_theme["facets"] != first["facets"]
    # The focus stayed on the box the visitor changed, and the new count is announced.
    focused = page.evaluate(
        "() => document.activeElement.name + '=' + document.activeElement.value"
    )
    assert focused == "theme=employment"
    # ... by the same live region (a new one would announce nothing).
    assert page.evaluate("() => window.liveRegion === document.getElementById('result-count')")
    assert page.locator("#result-count").get_attribute("aria-live") == "polite"
    assert_accessible(page)

    # A second filter in another group, then the theme removed again.
    toggle_with_the_keyboard(page, "#facet-language input[value=nl]")
    assert snapshot(page) == as_served(new_page, page.url)
    toggle_with_the_keyboard(page, "#facet-theme input[value=employment]")
    assert "theme=employment" not in page.url
    assert snapshot(page) == as_served(new_page, page.url)
    assert_accessible(page)


def test_a_field_error_appears_as_the_server_shows_it(demo_search, new_page):
    page = new_page(locale="fr-BE")
    page.goto(f"{demo_search.url}/fr/programmes")
    open_filters(page)
    page.locator("#search-age").fill("300")  # typed, not sent: only a filter change sends it
    toggle_with_the_keyboard(page, "#facet-cost input[value=free]")
    updated = snapshot(page)
    assert updated["invalid"] == ["search-age"] and updated["errors"]
    assert updated == as_served(new_page, page.url)
    assert page.evaluate("() => document.activeElement.value") == "free"
    assert_accessible(page)


def test_the_focus_stays_in_the_group_when_the_option_goes(demo_search, new_page):
    page = new_page(locale="fr-BE")
    page.goto(f"{demo_search.url}/fr/programmes?q=zzqxw&theme=employment")
    assert page.locator("#facet-theme input:checked").count() == 1  # chosen, 0 programmes
    toggle_with_the_keyboard(page, "#facet-theme input[value=employment]")
    updated = snapshot(page)
    assert updated == as_served(new_page, page.url)
    # Nothing is left to choose in the group: no empty box is shown (issue 13), and the
    # focus goes to the filters' summary rather than to the page.
    assert "facet-theme" not in [name for name, _options in updated["facets"]]
    assert page.evaluate("() => document.activeElement.tagName") == "SUMMARY"
    assert_accessible(page)
