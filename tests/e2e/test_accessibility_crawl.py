"""Every kind of page a visitor, an org admin or the coalition office reaches, on a phone.

The demo coalition is loaded, then the pages linked from the start page (header, main part
and footer: the privacy notice, the legal notice, the accessibility statement, the contact
page) are followed, one page per kind (`tests/e2e/crawl.py`). Each must answer, pass
axe-core (0 serious or critical violations) and fit the phone's width.
"""

from __future__ import annotations

import pytest

from tests.e2e.browser import axe_violations, format_violations
from tests.e2e.crawl import crawl_as, page_kind

pytestmark = pytest.mark.e2e

#: the pages of the site's footer, which every crawl must have reached
FOOTER_PAGES = {"/privacy", "/legal-notice", "/accessibility", "/contact"}


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
    problems: list[str] = []
    seen = []
    for url, page in crawl_as(new_page, base, email, lang, problems):
        seen.append(page_kind(url.removeprefix(base)))
        violations = axe_violations(page)
        if violations:
            problems.append(f"{url}:\n{format_violations(violations)}")
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            problems.append(f"{url}: scrolls sideways by {overflow}px on a phone")

    assert len(seen) > (8 if email else 4), f"the crawl found too few pages: {sorted(seen)}"
    assert {f"/{lang}{path}" for path in FOOTER_PAGES} <= set(seen), sorted(seen)
    assert not problems, "\n".join(problems)
