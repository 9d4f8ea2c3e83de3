"""Fixtures of the real-browser tests: the served platform, chromium, a phone-sized page.

- `live_server`: the platform served on 127.0.0.1 by a subprocess, DEMO_MODE on, with its
  own fresh SQLite database (migrated with `upgrade heads`), instance folder and `file`
  mail backend (`live_server.mails()`, `live_server.wait_for_mail(to)`); run commands or
  Python against its database with `live_server.flask(...)` / `live_server.python(...)`.
- `serve_platform(demo_mode=..., **env)`: another served platform with other settings
  (one process per distinct configuration, kept for the session).
- `browser`: Debian chromium (`/usr/bin/chromium`) launched by Playwright, off the network.
- `page`: a fresh page on a phone viewport (390×844); every request it makes is recorded
  in `page_requests`, anything not on 127.0.0.1 is blocked and fails the test.
- `new_page(locale=..., viewport=...)`: more pages (e.g. a second user, a desktop size).
- `assert_accessible(page)` (from `tests.e2e.browser`): axe-core, 0 serious/critical.

Every test under `tests/e2e` is marked `e2e`. A missing chromium or axe-core FAILS the
tests with the command that installs them (`make browser`); it never skips them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.e2e.browser import CHROMIUM_ARGS, PHONE, chromium_path, is_loopback, missing_tools
from tests.e2e.server import LiveServer, server_environment


def pytest_collection_modifyitems(config, items):
    """Mark every test of this folder `e2e`."""
    for item in items:
        if "tests/e2e/" in item.nodeid.replace("\\", "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure, add the end of the served platform's log to the report."""
    report = yield
    server = item.funcargs.get("live_server") if hasattr(item, "funcargs") else None
    if report.failed and isinstance(server, LiveServer):
        report.sections.append(("e2e server log (end)", server.log()[-6000:]))
    return report


@pytest.fixture(scope="session")
def serve_platform(tmp_path_factory) -> Iterator[Callable[..., LiveServer]]:
    """Start (once per configuration) a platform on loopback; stopped at the end of the run."""
    servers: dict[tuple, LiveServer] = {}

    def serve(demo_mode: bool = True, **env: str) -> LiveServer:
        key = (demo_mode, tuple(sorted(env.items())))
        if key not in servers:
            instance = tmp_path_factory.mktemp("e2e-instance")
            server = LiveServer(instance, server_environment(instance, demo_mode, **env))
            servers[key] = server.start()
        return servers[key]

    yield serve
    for server in servers.values():
        server.stop()


@pytest.fixture(scope="session")
def live_server(serve_platform) -> LiveServer:
    """The platform in demo mode (no TOTP for admins), served on 127.0.0.1."""
    return serve_platform(demo_mode=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium under Playwright; fails (never skips) when it is not installed."""
    missing = missing_tools()
    if missing:
        pytest.fail("The browser tests need:\n  " + "\n  ".join(missing), pytrace=False)
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
    except Exception as error:
        playwright.stop()
        pytest.fail(f"chromium did not start ({executable}): {error}", pytrace=False)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page_requests() -> list[str]:
    """Every URL the test's pages asked for, in order."""
    return []


@pytest.fixture
def new_page(browser, page_requests) -> Iterator[Callable[..., Any]]:
    """Open pages in fresh browser contexts (own cookies); phone-sized unless told."""
    contexts = []
    blocked: list[str] = []

    def guard(route):
        if is_loopback(route.request.url):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort("blockedbyclient")

    def open_page(locale: str = "fr-BE", viewport: dict | None = None, **options: Any):
        context = browser.new_context(
            viewport=viewport or PHONE,
            locale=locale,
            is_mobile=viewport is None,
            has_touch=viewport is None,
            **options,
        )
        context.set_default_timeout(15_000)
        context.route("**/*", guard)
        context.on("request", lambda request: page_requests.append(request.url))
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
    outside = blocked + [url for url in page_requests if not is_loopback(url)]
    assert not outside, f"requests left the loopback interface: {sorted(set(outside))}"


@pytest.fixture
def page(new_page) -> Any:
    """A fresh phone-sized page (390×844), French-speaking browser."""
    return new_page()
