"""Visiting every kind of page a visitor or a staff member reaches, as the browser tests do.

From a start page, the crawl follows the GET links of the header, the main part and the
footer within the same language, one page per kind (`/members/<slug>` once, not twelve
times), and hands each page to the test.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from coalition.demo.services import DEMO_PASSWORD
from tests.e2e import browser

#: pages of one kind share a template: ids, uuids and slugs after a known prefix
KIND_PATTERNS = [
    (re.compile(r"/\d+(?=/|$)"), "/<id>"),
    (re.compile(r"/[0-9a-f]{8}-[0-9a-f-]{27}(?=/|$)"), "/<uuid>"),
    (re.compile(r"(/members/)[^/]+"), r"\1<slug>"),
    (re.compile(r"(/briefs/)(?!feed\.atom)[^/]+$"), r"\1<slug>"),
]
MAX_PAGES = 40
#: the links a crawl follows; a link that declares its media type (a brief's PDF, the
#: Atom feed) is not a page
LINKS = "header a[href]:not([type]), main a[href]:not([type]), footer a[href]:not([type])"


def page_kind(path: str) -> str:
    """`/fr/members/duo-for-a-job` → `/fr/members/<slug>`."""
    for pattern, replacement in KIND_PATTERNS:
        path = pattern.sub(replacement, path)
    return path


def sign_in(page: Any, base: str, lang: str, email: str) -> None:
    """Sign in with the demo password through the login form."""
    browser.sign_in(page, f"{base}/{lang}/login", email, DEMO_PASSWORD, scan=False)


def crawl(
    page: Any, base: str, lang: str, start: str, problems: list[str], max_pages: int = MAX_PAGES
) -> Iterator[str]:
    """Open each kind of page reachable from `start` and yield its URL while it is shown; a
    page that does not answer 2xx is added to `problems` and not yielded."""
    queue, seen = [start], set()
    while queue and len(seen) < max_pages:
        url = queue.pop(0)
        kind = page_kind(urlsplit(url).path)
        if kind in seen:
            continue
        seen.add(kind)
        response = page.goto(url)
        if response is None or not response.ok:
            problems.append(f"{url}: answered {response and response.status}")
            continue
        links = page.eval_on_selector_all(LINKS, "a => a.map(e => e.href)")
        yield url
        for href in links:
            parts = urlsplit(href)
            if f"{parts.scheme}://{parts.netloc}" == base and parts.path.startswith(f"/{lang}/"):
                queue.append(f"{base}{parts.path}")


def crawl_as(
    new_page: Any, base: str, email: str | None, lang: str, problems: list[str]
) -> Iterator[tuple[str, Any]]:
    """A phone-sized page shown on each kind of page that a visitor (`email` None) or the
    signed-in `email` reaches from the home page or the workspace, with its URL."""
    page = new_page(locale=f"{lang}-BE")
    start = f"{base}/{lang}/"
    if email:
        sign_in(page, base, lang, email)
        start = f"{base}/{lang}/staff/"
    for url in crawl(page, base, lang, start, problems):
        yield url, page
