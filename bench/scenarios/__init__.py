"""The benchmark's scenarios: one row of `bench/results/latest.json` each.

A scenario is registered with `register(Scenario(...))` in any module of this package;
every module here is imported by the runner, so a part adds its rows by adding a file
(`bench/scenarios/search.py`, `bench/scenarios/federation.py`, …) without editing this one.

Three kinds of scenario:

- a GET: `Scenario("home", path="/en/")`;
- a request with a method, body and headers, or any wrk Lua script:
  `Scenario("token", path="/oauth/token", method="POST", body="grant_type=…",
  headers={"Content-Type": "application/x-www-form-urlencoded"})` or `lua="request = …"`;
- a custom measurement (not a wrk load): `measure=lambda ctx: {"p50_ms": …}`.

`setup(ctx)` runs once before the measurement (create data, clients, tokens); it may
return a dict of fields that replace the scenario's own (`path`, `method`, `body`,
`headers`, `lua`), e.g. a bearer token known only after setup. See `bench/README.md`.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bench.context import BenchContext


@dataclass
class Scenario:
    """One measured row: a load on one request (or a Lua script), or a custom measure."""

    #: the row's name in latest.json (`home`, `search_1k`, `token`, …)
    name: str
    #: the path loaded on the platform, e.g. "/en/" (with a Lua script: the URL's path)
    path: str = "/"
    method: str = "GET"
    body: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    #: a wrk Lua script (its `request`/`response` functions); replaces method/body/headers
    lua: str | None = None
    #: runs once before measuring; may return field overrides (path, body, headers, lua…)
    setup: Callable[[BenchContext], dict[str, Any] | None] | None = None
    #: a custom measurement instead of a wrk load: returns the row's fields
    measure: Callable[[BenchContext], dict[str, Any]] | None = None
    #: one line that says what the row measures (kept in latest.json)
    description: str = ""
    #: measure the bare-Flask baseline right after this row (wrk loads only)
    baseline: bool = True
    #: the row sends `Connection: close` (as a proxy does): its ratio is to a baseline
    #: loaded the same way, and the keep-alive baseline is kept beside it
    closes_connections: bool = False


_registry: dict[str, Scenario] = {}


def register(scenario: Scenario) -> Scenario:
    """Add a scenario (a later registration under the same name replaces it)."""
    _registry[scenario.name] = scenario
    return scenario


def all_scenarios() -> list[Scenario]:
    """Every registered scenario, in registration order, after importing this package's modules."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return list(_registry.values())
