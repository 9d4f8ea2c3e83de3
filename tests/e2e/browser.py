"""Debian's chromium driven by Playwright, kept off the network, and the axe-core scan."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from coalition.config import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
#: flags that keep the browser from calling home (RECIPES.md)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--metrics-recording-only",
]
#: a phone: the platform is phone-first
PHONE = {"width": 390, "height": 844}
AXE_SCRIPT = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
#: the impacts that fail a page
BLOCKING_IMPACTS = ("serious", "critical")
LOOPBACK_HOSTS = {"127.0.0.1"}


def chromium_path() -> Path | None:
    """Debian's chromium: /usr/bin/chromium, else the one on PATH."""
    if CHROMIUM.exists():
        return CHROMIUM
    found = shutil.which("chromium")
    return Path(found) if found else None


def missing_tools() -> list[str]:
    """What the browser tests need and this machine lacks, each with how to get it."""
    missing = []
    if chromium_path() is None:
        missing.append(
            "Debian chromium (/usr/bin/chromium): run `make browser` (apt-get install chromium)"
        )
    if not AXE_SCRIPT.exists():
        missing.append(f"axe-core ({AXE_SCRIPT}): run `make browser` (npm ci)")
    return missing


def is_loopback(url: str) -> bool:
    """True for addresses the test may reach: the served app on 127.0.0.1 (and data: URLs)."""
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about"}:
        return True
    return parts.hostname in LOOPBACK_HOSTS


def axe_violations(page: Any, impacts: tuple[str, ...] = BLOCKING_IMPACTS) -> list[dict]:
    """Run axe-core on the current page; the violations with one of `impacts`.

    axe is evaluated through the DevTools protocol rather than added as a `<script>`, so
    the page's Content-Security-Policy (no inline script) stays in force for the page.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target, html: n.html,
                                          summary: n.failureSummary})),
            }));
        }"""
    )
    return [v for v in result if v["impact"] in impacts]


def format_violations(violations: list[dict]) -> str:
    """A readable list of violations for an assertion message."""
    lines = []
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['html'][:160]}")
            if node.get("summary"):
                lines.append("      " + node["summary"].replace("\n", "\n      "))
    return "\n".join(lines)


def assert_accessible(page: Any) -> None:
    """Fail when axe finds a serious or critical violation on the current page."""
    violations = axe_violations(page)
    assert not violations, (
        f"axe found {len(violations)} serious/critical violation(s) on {page.url}:\n"
        + format_violations(violations)
    )


def visit(page: Any, url: str) -> None:
    """Open a page, expect a successful answer, and scan it."""
    response = page.goto(url)
    assert response is not None and response.ok, f"{url} answered {response and response.status}"
    assert_accessible(page)


def sign_in(page: Any, login_url: str, email: str, password: str, *, scan: bool = True) -> None:
    """Sign in through the login form and expect to be let in; scan both pages unless told."""
    if scan:
        visit(page, login_url)
    else:
        page.goto(login_url)
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    with page.expect_navigation():
        page.locator("main form [type=submit]").first.click()
    assert "/login" not in page.url, page.locator("main").inner_text()
    if scan:
        assert_accessible(page)
