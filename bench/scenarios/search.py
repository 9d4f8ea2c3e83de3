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

import json
import random
import time
from typing import Any

from bench.scenarios import Scenario, register

BENCH_ORG = "bench-search"
WORDS = {
    "fr": (
        "mentorat emploi jeunes accompagnement formation recherche métier stage orientation "
        "entreprise confiance langue numérique bénévole parcours projet avenir"
    ),
    "nl": (
        "mentoring werk jongeren begeleiding opleiding zoeken beroep stage oriëntatie "
        "onderneming vertrouwen taal digitaal vrijwilliger traject project toekomst"
    ),
    "en": (
        "mentoring job young support training search career internship orientation "
        "business confidence language digital volunteer pathway project future"
    ),
}
WORDS_BY_LANG = {lang: text.split() for lang, text in WORDS.items()}
QUERIES = [
    "mentorat emploi",
    "werk zoeken",
    "digital skills",
    "formation",
    "jongeren",
    "emplois",
    "mentorat emplio",
    "orientation",
    "",
    "langue",
]
FILTERS = [
    "",
    "&theme=employment",
    "&language=nl",
    "&age=19",
    "&theme=education&format=group",
    "&near=1000&radius_km=25",
    "&open=1",
    "&cost=free",
]


def generate_programmes(target: int, seed: int = 7) -> int:
    """Make `target` published bench programmes exist (run inside an app context)."""
    from datetime import date, timedelta

    from sqlalchemy import func, insert, select

    from coalition import postcodes, taxonomy
    from coalition.database import utcnow
    from coalition.extensions import db
    from coalition.members.models import Organisation
    from coalition.programmes.models import Programme, ProgrammeLocation

    org = db.session.execute(
        select(Organisation).where(Organisation.slug == BENCH_ORG)
    ).scalar_one_or_none()
    if org is None:
        org = Organisation(
            slug=BENCH_ORG,
            name="Bench Mentoring",
            names={},
            languages=["fr"],
            descriptions={},
            admitted_at=utcnow(),
        )
        db.session.add(org)
        db.session.flush()
    have = db.session.execute(
        select(func.count()).select_from(Programme).where(Programme.organisation_id == org.id)
    ).scalar_one()
    rng = random.Random(seed + have)
    postcodes._load()
    places = [p for (country, _code), p in postcodes._by_code.items() if country == "BE"]
    themes, audiences = list(taxonomy.THEMES), list(taxonomy.AUDIENCES)
    formats, languages = list(taxonomy.FORMATS), ["fr", "nl", "en", "ar", "tr"]
    now = utcnow()
    while have < target:
        batch = min(2000, target - have)
        rows = []
        for _ in range(batch):
            texts = {
                lang: (" ".join(rng.sample(words, 4)).capitalize(), " ".join(rng.sample(words, 10)))
                for lang, words in WORDS_BY_LANG.items()
                if rng.random() < 0.7
            } or {"fr": ("Mentorat", "Mentorat emploi")}
            age_min = rng.choice([15, 16, 18, 20])
            rows.append(
                {
                    "organisation_id": org.id,
                    "titles": {k: v[0] for k, v in texts.items()},
                    "summaries": {k: v[1] for k, v in texts.items()},
                    "descriptions": {},
                    "themes": rng.sample(themes, rng.randint(1, 2)),
                    "audiences": rng.sample(audiences, rng.randint(1, 2)),
                    "formats": [rng.choice(formats)],
                    "languages": rng.sample(languages, 2),
                    "age_min": age_min,
                    "age_max": age_min + rng.choice([10, 15, 20]),
                    "cost": rng.choice(["free", "free", "contribution", "paid"]),
                    "capacity_status": rng.choice(["open", "open", "waiting_list", "full"]),
                    "confirmed_on": date.today() - timedelta(days=rng.randint(0, 200)),
                    "status": "published",
                    "published_at": now - timedelta(minutes=rng.randint(0, 100_000)),
                    "unpublished_by_coalition": False,
                }
            )
        new_ids = db.session.execute(insert(Programme).returning(Programme.id), rows).scalars()
        locations = []
        for programme_id in new_ids:
            place = rng.choice(places)
            locations.append(
                {
                    "programme_id": programme_id,
                    "postcode": place.postcode,
                    "city": place.city,
                    "country": "BE",
                    "latitude": place.latitude,
                    "longitude": place.longitude,
                }
            )
        db.session.execute(insert(ProgrammeLocation), locations)
        db.session.commit()
        have += batch
    return have


def _prepare(ctx, size: int) -> dict[str, Any]:
    """Generate up to `size` bench programmes and reindex; remember the reindex rate."""
    ctx.python(
        f"from bench.scenarios.search import generate_programmes\ngenerate_programmes({size})"
    )
    started = time.monotonic()
    ctx.flask("search", "reindex")
    seconds = time.monotonic() - started
    count = int(
        ctx.python("from search.documents import published_count\nprint(published_count())").strip()
    )
    ctx.state["search_reindex"] = {"documents": count, "seconds": round(seconds, 2)}
    # The readers reopen the new index on their next search.
    ctx.http("GET", "/api/v1/programmes?q=emploi")
    return {"lua": _lua()}


def _lua() -> str:
    paths = [
        f"/api/v1/programmes?lang=fr&q={q.replace(' ', '+')}{f}" for q in QUERIES for f in FILTERS
    ]
    random.Random(3).shuffle(paths)
    items = ",".join(json.dumps(p) for p in paths)
    return (
        f"local paths = {{{items}}}\n"
        "local i = 0\n"
        "request = function()\n"
        "  i = i % #paths + 1\n"
        "  return wrk.format('GET', paths[i])\n"
        "end\n"
    )


#: filters a varied request may add (each with this probability)
VARIED_FILTERS = (
    (
        0.25,
        "theme",
        ["employment", "education", "entrepreneurship", "language", "digital", "wellbeing"],
    ),
    (0.15, "language", ["fr", "nl", "en"]),
    (0.10, "format", ["group", "one_to_one", "online", "hybrid"]),
    (0.10, "cost", ["free", "contribution"]),
    (0.15, "age", [str(n) for n in range(15, 30)]),
    (0.05, "open", ["1"]),
)
VARIED_LUA = """
local words = {WORDS}
local postcodes = {POSTCODES}
local filters = {FILTERS}
local langs = {"fr", "nl", "en"}
local letters = "abcdefghijklmnoprstuvwz"
local function typo(word)
  local i = math.random(2, #word)
  local c = math.random(1, #letters)
  return word:sub(1, i - 1) .. letters:sub(c, c) .. word:sub(i + 1)
end
local function escape(text)
  return (text:gsub("[^%w%-_.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
init = function(args)
  math.randomseed(os.time() * 1000 + math.floor(os.clock() * 1000000) + #tostring({}))
end
request = function()
  local parts = {}
  for n = 1, math.random(1, 3) do
    local word = words[math.random(#words)]
    if math.random() < 0.15 then word = typo(word) end
    parts[#parts + 1] = word
  end
  local path = "/api/v1/programmes?lang=" .. langs[math.random(3)]
    .. "&q=" .. escape(table.concat(parts, " "))
  for _, f in ipairs(filters) do
    if math.random() < f[1] then
      path = path .. "&" .. f[2] .. "=" .. f[3][math.random(#f[3])]
    end
  end
  if math.random() < 0.35 then
    path = path .. "&near=" .. postcodes[math.random(#postcodes)]
      .. "&radius_km=" .. math.random(5, 40)
  end
  local page = math.random(1, 4)
  if page > 1 then path = path .. "&page=" .. page end
  return wrk.format("GET", path)
end
"""


def _lua_list(values: list[str]) -> str:
    return "{" + ",".join(json.dumps(v, ensure_ascii=False) for v in values) + "}"


def varied_lua(postcodes: list[str]) -> str:
    """The wrk script of the varied rows: every request a new combination."""
    words = [w for lang in WORDS_BY_LANG.values() for w in lang]
    filters = (
        "{"
        + ",".join(
            f"{{{share}, {json.dumps(name)}, {_lua_list(values)}}}"
            for share, name, values in VARIED_FILTERS
        )
        + "}"
    )
    return (
        VARIED_LUA.replace("{WORDS}", _lua_list(words))
        .replace("{POSTCODES}", _lua_list(postcodes))
        .replace("{FILTERS}", filters)
    )


def _prepare_varied(ctx, size: int) -> dict[str, Any]:
    """As `_prepare` (the same programmes), reindexing only when the index lacks some."""
    ctx.python(
        f"from bench.scenarios.search import generate_programmes\ngenerate_programmes({size})"
    )
    indexed = ctx.http("GET", "/api/v1/programmes?per_page=1").json().get("total")
    if indexed != size:
        ctx.flask("search", "reindex")
        ctx.http("GET", "/api/v1/programmes?q=emploi")
    if "be_postcodes" not in ctx.state:
        out = ctx.python(
            "from coalition import postcodes\npostcodes._load()\n"
            "print(' '.join(sorted({c for (k, c) in postcodes._by_code if k == 'BE'})))"
        )
        codes = out.split()
        ctx.state["be_postcodes"] = random.Random(5).sample(codes, min(300, len(codes)))
    return {"lua": varied_lua(ctx.state["be_postcodes"])}


def _varied_scenario(name: str, size: int) -> Scenario:
    return Scenario(
        name,
        path="/api/v1/programmes",
        setup=lambda ctx: _prepare_varied(ctx, size),
        description=f"GET /api/v1/programmes with facets on {size:,} programmes, never the "
        "same request twice (1-3 random words of fr/nl/en, 15% misspelt, random filters, "
        "pages 1-4, random Belgian postcodes with radius): uncached, embedded engine",
    )


def _search_scenario(name: str, size: int) -> Scenario:
    return Scenario(
        name,
        path="/api/v1/programmes",
        setup=lambda ctx: _prepare(ctx, size),
        description=f"GET /api/v1/programmes with facets on {size:,} programmes "
        "(80 request paths repeated: CACHED, mostly served by the answer cache; "
        "embedded engine)",
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


PUBLISH_LATENCY = """
import time
from search.jobs import drain
from coalition.extensions import db
from coalition.members.models import Organisation
from coalition.programmes.models import Programme, ProgrammeLocation
from coalition.programmes.models import ProgrammeStatus
from coalition.database import utcnow
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from search.services import parse_search_params, search_programmes
org = db.session.execute(
    select(Organisation).where(Organisation.slug == "bench-search")).scalar_one()
try:
    from coalition.programmes.services import publish_programme
except ImportError:
    publish_programme = None
from coalition.outbox import OutboxEntry
from sqlalchemy.exc import OperationalError


def publish_one(word):
    p = Programme(organisation=org, titles={"fr": f"Mentorat {word}"}, summaries={"fr": "x"},
                  descriptions={}, themes=["employment"], audiences=["neet"], formats=["group"],
                  languages=["fr"], cost="free", status=ProgrammeStatus.draft)
    p.locations.append(ProgrammeLocation(postcode="1000", city="Bruxelles", country="BE",
                                         latitude=50.85, longitude=4.35))
    db.session.add(p)
    db.session.flush()
    started = time.monotonic()
    if publish_programme:
        publish_programme(p)
    else:
        p.status, p.published_at = ProgrammeStatus.published, utcnow()
        db.session.add(OutboxEntry(kind="programme", object_id=p.id))
    db.session.commit()
    return started


latencies = []
for n in range(ROUNDS):
    word = f"zqbench{time.time_ns()}"
    for attempt in range(20):  # SQLite: another process may hold the write lock a moment
        try:
            started = publish_one(word)
            break
        except OperationalError:
            db.session.rollback()
            time.sleep(0.1)
    else:
        continue
    if DRAIN_HERE:
        # What the embedded worker thread does when the commit wakes it (this process's
        # commit cannot wake the web process's thread).
        try:
            drain()
        except Exception:
            db.session.rollback()  # the platform's own worker took the row first
    with app.test_request_context():
        params = parse_search_params(MultiDict({"q": word}), "fr")
        while search_programmes(params).total == 0:
            if time.monotonic() - started > 30:
                break
            time.sleep(0.005)
    latencies.append((time.monotonic() - started) * 1000)
latencies.sort()
print(latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.95) - 1], len(latencies))
"""


def prepare_publish_latency(ctx) -> None:
    """The bench organisation and a live index, when the search rows did not run before."""
    have = ctx.python(
        "from bench.scenarios.search import generate_programmes\n"
        "from coalition.extensions import db\n"
        "have = generate_programmes(0)\n"
        "db.session.commit()\n"
        "print(have)"
    )
    if int(have.strip().splitlines()[-1]) == 0:
        ctx.flask("search", "reindex")


def measure_publish_latency(ctx, rounds: int = 40) -> dict[str, Any]:
    """Publish (commit with the outbox row) → the programme is found by a search, p50/p95.

    With a separate `flask worker` process (the distributed layout) that worker alone
    indexes the row, so the row measures how soon the commit reaches it; in embedded mode
    the measuring process drains the outbox itself, as the woken worker thread would.
    """
    separate = ctx.env.get("WORKER_THREAD") == "0"
    code = PUBLISH_LATENCY.replace("ROUNDS", str(rounds)).replace("DRAIN_HERE", str(not separate))
    try:
        out = ctx.python(code)
        p50, p95, n = out.strip().splitlines()[-1].split()
    except (RuntimeError, ValueError, IndexError) as error:
        return {"failed": str(error)[-300:]}
    return {
        "p50_ms": round(float(p50), 1),
        "p95_ms": round(float(p95), 1),
        "publishes": int(n),
        "indexed_by": "flask worker process" if separate else "the publishing process",
    }


def measure_reindex_rate(ctx) -> dict[str, Any]:
    """The reindex row: a full `flask search reindex` of the 10,000-programme directory."""
    return measure_reindex(ctx)


register(_search_scenario("search_1k", 1_000))
register(_varied_scenario("search_varied_1k", 1_000))
register(_search_scenario("search", 10_000))
register(_varied_scenario("search_varied", 10_000))
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
register(_varied_scenario("search_varied_100k", 100_000))
