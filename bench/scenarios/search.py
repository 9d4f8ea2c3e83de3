"""The search part's rows: the search API at 1k/10k/100k programmes, publish → searchable
latency, and the full reindex rate.

Two kinds of search row: `search_1k`, `search`, `search_100k` repeat 80 request paths, so
after the first seconds the answer cache serves almost all of them (the *cached* rows);
`search_varied_1k`, `search_varied`, `search_varied_100k` build every request afresh in
wrk's Lua (1–3 random words of the three languages, a share of them misspelt, random
filters, pages 1–4, random Belgian postcodes with a radius), so that no two requests are
alike and no cache can carry them.

Programmes are generated straight into the database (published, with a location each),
then indexed with `flask search reindex`; the served platform's readers pick up the new
index by themselves. Rows run in registration order: search_1k, search, reindex,
publish_latency, search_100k (the largest last, so the others measure their own size).
"""

from __future__ import annotations

import random
import time
from typing import Any

from bench.scenarios import Scenario, register
from bench.scenarios.search_lua import cached_lua, varied_lua
from bench.scenarios.search_publish import measure_publish_latency, prepare_publish_latency

#: what the description of a cached and of a varied row says after the directory's size
CACHED = " (80 request paths repeated: CACHED, mostly served by the answer cache; embedded engine)"
VARIED = (
    ", never the same request twice (1-3 random words of fr/nl/en, 15% misspelt, random "
    "filters, pages 1-4, random Belgian postcodes with radius): uncached, embedded engine"
)
GENERATE = "from bench.scenarios.search_data import generate_programmes\ngenerate_programmes({})"


def _prepare(ctx, size: int) -> dict[str, Any]:
    """Generate up to `size` bench programmes and reindex; remember the reindex rate."""
    ctx.python(GENERATE.format(size))
    started = time.monotonic()
    ctx.flask("search", "reindex")
    seconds = time.monotonic() - started
    count = int(
        ctx.python("from search.documents import published_count\nprint(published_count())").strip()
    )
    ctx.state["search_reindex"] = {"documents": count, "seconds": round(seconds, 2)}
    # The readers reopen the new index on their next search.
    ctx.http("GET", "/api/v1/programmes?q=emploi")
    return {"lua": cached_lua()}


def _prepare_varied(ctx, size: int) -> dict[str, Any]:
    """As `_prepare` (the same programmes), reindexing only when the index lacks some."""
    ctx.python(GENERATE.format(size))
    indexed = ctx.http("GET", "/api/v1/programmes?per_page=1").json().get("total")
    if indexed != size:
        ctx.flask("search", "reindex")
        ctx.http("GET", "/api/v1/programmes?q=emploi")
    return {"lua": varied_lua(be_postcodes(ctx))}


def be_postcodes(ctx) -> list[str]:
    """300 Belgian postcodes of the platform's list, drawn once per bench run."""
    if "be_postcodes" not in ctx.state:
        out = ctx.python(
            "from coalition import postcodes\npostcodes._load()\n"
            "print(' '.join(sorted({c for (k, c) in postcodes._by_code if k == 'BE'})))"
        )
        codes = out.split()
        ctx.state["be_postcodes"] = random.Random(5).sample(codes, min(300, len(codes)))
    return ctx.state["be_postcodes"]


def _search_scenario(name: str, size: int, varied: bool = False) -> Scenario:
    """A search row on `size` programmes: cached (80 paths repeated) or varied."""
    prepare, what = (_prepare_varied, VARIED) if varied else (_prepare, CACHED)
    return Scenario(
        name,
        path="/api/v1/programmes",
        setup=lambda ctx: prepare(ctx, size),
        description=f"GET /api/v1/programmes with facets on {size:,} programmes{what}",
    )


def measure_reindex(ctx) -> dict[str, Any]:
    """Time `flask search reindex` over what the database holds now.

    `rps` is the rate of the reindex itself (read, build, index, switch), as the command
    reports it; `seconds_with_startup` adds the `flask` process start-up (imports, app).
    """
    started = time.monotonic()
    out = ctx.flask("search", "reindex")
    wall = time.monotonic() - started
    # "reindexed 10000 programme(s) in 4.2 s"
    words = out.strip().splitlines()[-1].split()
    count, seconds = int(words[1]), float(words[-2])
    return {
        "documents": count,
        "seconds": seconds,
        "seconds_with_startup": round(wall, 2),
        "rps": round(count / seconds, 1) if seconds else None,
        "unit": "programmes/s (rps column)",
    }


def measure_reindex_rate(ctx) -> dict[str, Any]:
    """The reindex row: a full `flask search reindex` of the 10,000-programme directory."""
    return measure_reindex(ctx)


register(_search_scenario("search_1k", 1_000))
register(_search_scenario("search_varied_1k", 1_000, varied=True))
register(_search_scenario("search", 10_000))
register(_search_scenario("search_varied", 10_000, varied=True))
register(
    Scenario(
        "reindex",
        measure=measure_reindex_rate,
        baseline=False,
        description="flask search reindex of every published programme (about "
        "10,000): programmes per second, new index then atomic switch",
    )
)
register(
    Scenario(
        "publish_latency",
        setup=prepare_publish_latency,
        measure=measure_publish_latency,
        baseline=False,
        description="publish a programme (commit + outbox row) → the indexer "
        "drains it → found by search; p50/p95 over 40 publishes",
    )
)
register(_search_scenario("search_100k", 100_000))
register(_search_scenario("search_varied_100k", 100_000, varied=True))
