"""On a 390 px phone: buttons big enough to tap, staff tables that need no sideways
scrolling with every action in view, and list bullets inside their cards.

Each test crawls the pages a visitor, an org admin and the coalition office reach
(`tests/e2e/crawl.py`) and measures them in chromium.
"""

from __future__ import annotations

import pytest

from tests.e2e.browser import PHONE
from tests.e2e.crawl import crawl_as

pytestmark = pytest.mark.e2e

#: WCAG 2.5.5: a target of at least 44 by 44 CSS pixels
TARGET = 44
ROLES = pytest.mark.parametrize(
    ("email", "lang"),
    [(None, "fr"), ("admin@duo-for-a-job.example", "fr"), ("admin@coalition.example", "nl")],
    ids=["visitor", "org-admin", "coalition-admin"],
)

#: every visible submit control, with its size
SUBMIT_CONTROLS = """() => [...document.querySelectorAll(
        'button, input[type=submit], input[type=button], input[type=reset], input[type=image]')]
    .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
    .map(e => {
        const r = e.getBoundingClientRect();
        return {label: (e.innerText || e.value || '').trim().slice(0, 60), width: r.width,
                height: r.height};
    })"""

#: what scrolls sideways: the page, and any table's box; and the tables' controls that are
#: hidden or cut off (outside the screen or outside the box that clips them)
TABLE_LAYOUT = """() => {
    const width = window.innerWidth;
    const page = document.scrollingElement.scrollWidth - width;
    const boxes = [...document.querySelectorAll('main table')].map(t => {
        const box = t.closest('.table-scroll') || t.parentElement;
        const wide = Math.max(box.scrollWidth, t.scrollWidth) - box.clientWidth;
        return {table: (t.caption && t.caption.innerText) || t.querySelector('th').innerText,
                overflow: wide};
    }).filter(b => b.overflow > 0);
    const cut = [...document.querySelectorAll(['a[href]', 'button', 'input:not([type=hidden])',
                                               'select'].map(c => `main table ${c}`).join())]
        .filter(e => {
            const r = e.getBoundingClientRect();
            const box = (e.closest('.table-scroll') || document.body).getBoundingClientRect();
            return !e.getClientRects().length || r.left < Math.max(0, box.left) - 0.5
                || r.right > Math.min(width, box.right) + 0.5;
        })
        .map(e => (e.innerText || e.value || e.name || e.outerHTML).trim().slice(0, 60));
    return {page, boxes, cut, tables: document.querySelectorAll('main table').length};
}"""

#: list items whose bullet is drawn outside the card that holds them: an outside marker
#: sits in the em before the item's border box
BULLETS_OUTSIDE_CARDS = """() => [...document.querySelectorAll('main li')]
    .filter(li => {
        const style = getComputedStyle(li);
        if (style.display !== 'list-item' || style.listStyleType === 'none'
            || style.listStylePosition !== 'outside') return false;
        const card = li.closest('.card');
        if (!card) return false;
        const border = parseFloat(getComputedStyle(card).borderLeftWidth);
        const cardLeft = card.getBoundingClientRect().left + border;
        return li.getBoundingClientRect().left - parseFloat(style.fontSize) < cardLeft;
    })
    .map(li => li.innerText.trim().slice(0, 60))"""


@pytest.fixture(scope="module")
def demo_server(live_server):
    """The served platform with the demo coalition loaded (idempotent)."""
    live_server.flask("demo", "seed")
    return live_server


@ROLES
def test_every_submit_control_is_big_enough_to_tap(demo_server, new_page, email, lang):
    problems: list[str] = []
    measured = 0
    for url, page in crawl_as(new_page, demo_server.url, email, lang, problems):
        for control in page.evaluate(SUBMIT_CONTROLS):
            measured += 1
            if control["width"] < TARGET - 0.01 or control["height"] < TARGET - 0.01:
                problems.append(
                    f"{url}: {control['label']!r} is {control['width']:.0f}×"
                    f"{control['height']:.0f} px"
                )
    assert measured > 5
    assert not problems, "\n".join(problems)


@ROLES
def test_tables_need_no_sideways_scrolling_and_show_every_action(
    demo_server, new_page, email, lang
):
    problems: list[str] = []
    tables = 0
    for url, page in crawl_as(new_page, demo_server.url, email, lang, problems):
        layout = page.evaluate(TABLE_LAYOUT)
        tables += layout["tables"]
        if layout["page"] > 0:
            problems.append(f"{url}: the page scrolls sideways by {layout['page']} px")
        for box in layout["boxes"]:
            problems.append(
                f"{url}: table {box['table']!r} scrolls sideways by {box['overflow']} px"
            )
        for control in layout["cut"]:
            problems.append(f"{url}: {control!r} is hidden or cut off")
    if email:
        assert tables >= 3, "the crawl found too few staff tables"
    assert not problems, "\n".join(problems)


def test_the_members_page_draws_its_bullets_inside_the_cards(demo_server, new_page):
    page = new_page(locale="fr-BE", viewport=PHONE)
    page.goto(f"{demo_server.url}/fr/members")
    assert page.locator("main .card").count() > 5
    assert page.evaluate(BULLETS_OUTSIDE_CARDS) == []
    for lang, email in (("fr", None), ("fr", "admin@duo-for-a-job.example")):
        problems: list[str] = []
        for url, shown in crawl_as(new_page, demo_server.url, email, lang, problems):
            outside = shown.evaluate(BULLETS_OUTSIDE_CARDS)
            assert not outside, f"{url}: bullets outside their card: {outside}"
        assert not problems, "\n".join(problems)
