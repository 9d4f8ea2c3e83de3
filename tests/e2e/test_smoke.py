"""The home page in a real browser on a phone: languages, keyboard, accessibility, privacy."""

from __future__ import annotations

import pytest

from tests.e2e.browser import assert_accessible

pytestmark = pytest.mark.e2e

HEADINGS = {
    "fr": "Trouvez un mentor",
    "nl": "Vind een mentor",
    "en": "Find a mentor",
}


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_home_page_in_each_language_is_accessible(live_server, page, page_requests, lang):
    page.goto(f"{live_server.url}/{lang}/")

    assert page.locator("html").get_attribute("lang") == lang
    assert HEADINGS[lang] in page.locator("h1").inner_text()
    assert page.locator("main").count() == 1
    assert page.locator("header nav").count() >= 1
    assert_accessible(page)
    assert page_requests, "the page made no request at all"
    assert all(url.startswith(live_server.url) for url in page_requests), page_requests


def test_root_follows_the_browsers_language(live_server, new_page):
    page = new_page(locale="nl-BE")
    page.goto(f"{live_server.url}/")
    assert page.url == f"{live_server.url}/nl/"
    assert page.locator("html").get_attribute("lang") == "nl"


def test_language_switcher_keeps_the_visitor_on_the_page(live_server, page):
    page.goto(f"{live_server.url}/fr/")
    switcher = page.get_by_role("navigation", name="Langue")

    switcher.get_by_role("link", name="NL").click()

    assert page.url == f"{live_server.url}/nl/"
    assert page.locator("html").get_attribute("lang") == "nl"
    page.get_by_role("navigation", name="Taal").get_by_role("link", name="EN").click()
    assert page.url == f"{live_server.url}/en/"
    current = page.get_by_role("navigation", name="Language").locator("[aria-current]")
    assert current.inner_text() == "EN"


def test_keyboard_users_can_skip_to_the_content(live_server, page):
    page.goto(f"{live_server.url}/fr/")

    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.get_attribute("href") == "#main"
    assert skip.is_visible()
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, "the skip link is off-screen"

    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def test_focused_links_show_a_focus_ring(live_server, page):
    page.goto(f"{live_server.url}/fr/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # the first link of the header, on the blue background

    ring = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth, s.boxShadow]; }"
    )
    assert ring[0] == "solid" and ring[1] != "0px", ring
    assert ring[2] != "none", ring


def test_the_navigation_marks_the_current_page(live_server, page):
    page.goto(f"{live_server.url}/nl/members")
    current = page.get_by_role("navigation", name="Hoofdmenu").locator("[aria-current=page]")
    assert current.count() == 1
    assert current.get_attribute("href") == "/nl/members"


@pytest.mark.parametrize("path", ["/fr/", "/nl/members", "/fr/join"])
def test_pages_fit_a_small_phone_without_sideways_scrolling(live_server, new_page, path):
    page = new_page(viewport={"width": 320, "height": 640})
    page.goto(f"{live_server.url}{path}")
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px wide"


def test_pages_work_without_javascript_and_within_the_csp(live_server, new_page):
    page = new_page(java_script_enabled=False)
    response = page.goto(f"{live_server.url}/fr/")
    assert response is not None and response.ok
    csp = response.headers["content-security-policy"]
    assert "unsafe-inline" not in csp
    assert page.locator("h1").inner_text()


def test_the_page_breaks_no_content_security_rule(live_server, page):
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    page.goto(f"{live_server.url}/nl/")
    page.wait_for_load_state("load")

    assert problems == []
