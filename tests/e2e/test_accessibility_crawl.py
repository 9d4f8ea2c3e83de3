"""Every kind of page a visitor, an org admin or the coalition office reaches, on a phone.

The demo coalition is loaded, then the pages linked from the start page are followed (GET
links only, one page per kind: `/members/<slug>` once, not twelve times). Each must answer,
pass axe-core (0 serious or critical violations) and fit the phone's width.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from coalition.demo.services import DEMO_PASSWORD
from tests.e2e.browser import axe_violations, format_violations

pytestmark = pytest.mark.e2e

#: pages of one kind share a template: ids, uuids and slugs after a known prefix
KIND_PATTERNS = [
    (re.compile(r"/\d+(?=/|$)"), "/<id>"),
    (re.compile(r"/[0-9a-f]{8}-[0-9a-f-]{27}(?=/|$)"), "/<uuid>"),
    (re.compile(r"(/members/)[^/]+"), r"\1<slug>"),
]
MAX_PAGES = 30


def page_kind(path: str) -> str:
    """`/fr/members/duo-for-a-job` → `/fr/members/<slug>`."""
    for pattern, replacement in KIND_PATTERNS:
        path = pattern.sub(replacement, path)
    return path


@pytest.fixture(scope="module")
def demo_server(live_server):
    """The served platform with the demo coalition loaded (idempotent)."""
    live_server.flask("demo", "seed")
    return live_server


@pytest.mark.parametrize(
    ("email", "lang"),
    [(None, "nl"), ("admin@duo-for-a-job.example", "fr"), ("admin@coalition.example", "nl")],
    ids=["visitor", "org-admin", "coalition-admin"],
)
def test_every_kind_of_page_is_accessible_on_a_phone(demo_server, new_page, email, lang):
    base = demo_server.url
    page = new_page(locale=f"{lang}-BE")
    start = f"{base}/{lang}/"
    if email:
        page.goto(f"{base}/{lang}/login")
        page.locator("#email").fill(email)
        page.locator("#password").fill(DEMO_PASSWORD)
        with page.expect_navigation():
            page.locator("main form [type=submit]").click()
        assert "/login" not in page.url, page.locator("main").inner_text()
        start = f"{base}/{lang}/staff/"

    queue, seen, problems = [start], set(), []
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        kind = page_kind(urlsplit(url).path)
        if kind in seen:
            continue
        seen.add(kind)
        response = page.goto(url)
        if response is None or not response.ok:
            problems.append(f"{url}: answered {response and response.status}")
            continue
        violations = axe_violations(page)
        if violations:
            problems.append(f"{url}:\n{format_violations(violations)}")
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            problems.append(f"{url}: scrolls sideways by {overflow}px on a phone")
        # A link that declares its media type (a brief's PDF, the Atom feed) is not a page.
        for href in page.eval_on_selector_all(
            "main a[href]:not([type]), nav a[href]:not([type])", "a => a.map(e => e.href)"
        ):
            parts = urlsplit(href)
            if f"{parts.scheme}://{parts.netloc}" == base and parts.path.startswith(f"/{lang}/"):
                queue.append(f"{base}{parts.path}")

    assert len(seen) > (8 if email else 4), f"the crawl found too few pages: {sorted(seen)}"
    assert not problems, "\n".join(problems)
