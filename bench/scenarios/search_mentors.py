"""The mentor path's rows: `GET /api/v1/programmes?seeking_mentors=1` and the page
`/fr/mentor`, with varied fields of experience, languages, time, postcodes and words.

`mentor_search` and `mentor_page` repeat 36 request paths (4 queries × 9 filters), so the
answer cache serves most of them (*cached*); `mentor_search_varied` builds every request
afresh, as the directory's `search_varied` does (1–3 random words, typos, the directory's
filters, pages, postcodes with a radius), with random fields of experience, mentor
languages and hours: never two alike.

They run after the search part's rows (this module's name sorts after `search`), on the
directory those rows left (at least 10,000 bench programmes; made here when run alone),
of which one in ten is made to seek mentors with varied needs, then reindexed.
"""

from __future__ import annotations

import random
from typing import Any

from bench.scenarios import Scenario, register
from bench.scenarios.search import be_postcodes
from bench.scenarios.search_lua import MENTOR_VARIED_FILTERS, varied_lua
from bench.wrk import paths_lua

#: one bench programme in SHARE seeks mentors
SHARE = 10
MENTOR_FILTERS = [
    "",
    "&experience=hr",
    "&experience=business,finance",
    "&mentor_language=nl",
    "&mentor_language=fr&mentor_hours=2",
    "&mentor_hours=4",
    "&near=1000&radius_km=25",
    "&near=4000&radius_km=10&experience=education",
    "&theme=employment&experience=technology",
]
QUERIES = ["", "mentorat emploi", "werk zoeken", "formation"]


def seek_mentors(share: int = SHARE, seed: int = 11) -> int:
    """Make one bench programme in `share` seek mentors (run inside an app context);
    return how many seek mentors."""
    from sqlalchemy import func, select, update

    from bench.scenarios.search_data import BENCH_ORG
    from coalition import taxonomy
    from coalition.extensions import db
    from coalition.members.models import Organisation
    from coalition.programmes.models import Programme

    org_id = db.session.execute(
        select(Organisation.id).where(Organisation.slug == BENCH_ORG)
    ).scalar_one()
    fields, languages = list(taxonomy.EXPERIENCE_FIELDS), ["fr", "nl", "en"]
    ids = db.session.execute(
        select(Programme.id).where(
            Programme.organisation_id == org_id,
            Programme.id % share == 0,
            Programme.mentor_needs.is_(None),
        )
    ).scalars()
    rng = random.Random(seed)
    for programme_id in ids:
        needs = {
            "seeking": True,
            "experience_fields": rng.sample(fields, rng.randint(0, 3)),
            "languages": rng.sample(languages, rng.randint(0, 2)),
            "age_min": rng.choice([None, 50]),
            "hours_per_week": rng.choice([None, 1, 2, 3, 4]),
            "duo_months": rng.choice([None, 6, 12]),
            "training": rng.choice([None, {"hours": 12, "format": "mixed"}]),
            "locations": [],
            "online": rng.random() < 0.3,
            "mentors_needed": rng.choice([None, 5, 20]),
        }
        db.session.execute(
            update(Programme).where(Programme.id == programme_id).values(mentor_needs=needs)
        )
    db.session.commit()
    return db.session.execute(
        select(func.count()).where(
            Programme.organisation_id == org_id, Programme.mentor_needs.is_not(None)
        )
    ).scalar_one()


def _prepare(ctx) -> None:
    """At least 10,000 bench programmes, one in ten seeking mentors, in a fresh index."""
    if "mentor_programmes" not in ctx.state:
        ctx.python(
            "from bench.scenarios.search_data import generate_programmes\n"
            "generate_programmes(10_000)\n"
            "from bench.scenarios.search_mentors import seek_mentors\n"
            "print(seek_mentors())"
        )
        ctx.flask("search", "reindex")
        ctx.state["mentor_programmes"] = True
        # the readers reopen the new index on their next search
        ctx.http("GET", "/api/v1/programmes?seeking_mentors=1")


def _lua(prefix: str) -> str:
    paths = [f"{prefix}{q.replace(' ', '+')}{f}" for q in QUERIES for f in MENTOR_FILTERS]
    random.Random(5).shuffle(paths)
    return paths_lua(paths)


def _setup(prefix: str):
    def setup(ctx) -> dict[str, Any]:
        _prepare(ctx)
        return {"lua": _lua(prefix)}

    return setup


def _varied_setup(ctx) -> dict[str, Any]:
    _prepare(ctx)
    lua = varied_lua(
        be_postcodes(ctx),
        base="/api/v1/programmes?seeking_mentors=1&",
        extra_filters=MENTOR_VARIED_FILTERS,
    )
    return {"lua": lua}


register(
    Scenario(
        "mentor_search",
        path="/api/v1/programmes",
        setup=_setup("/api/v1/programmes?lang=fr&seeking_mentors=1&q="),
        description="GET /api/v1/programmes?seeking_mentors=1 with facets (varied fields of "
        "experience, languages, time, postcodes and words; 1 in 10 of ≥10,000 programmes "
        "seek mentors; 36 request paths repeated: CACHED, mostly served by the answer cache)",
    )
)
register(
    Scenario(
        "mentor_search_varied",
        path="/api/v1/programmes",
        setup=_varied_setup,
        description="GET /api/v1/programmes?seeking_mentors=1 with facets, never the same "
        "request twice (1-3 random words of fr/nl/en, 15% misspelt, random directory and "
        "mentor filters, pages 1-4, random Belgian postcodes with radius; 1 in 10 of "
        "≥10,000 programmes seek mentors): uncached, embedded engine",
    )
)
register(
    Scenario(
        "mentor_page",
        path="/fr/mentor",
        setup=_setup("/fr/mentor?q="),
        description="GET /fr/mentor, the Become a mentor page (the same varied filters)",
    )
)
