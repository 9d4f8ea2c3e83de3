"""Referral row: `POST /federation/v1/referrals` (`referral_post`), the whole send.

Each request refers another young person (its own `subject_ref`: the same one twice
within 30 days is a 409) to a published programme of the demo coalition: bearer token,
the closed schema, the personal-data scanner on the note, the postcode reduced to its
area and distance, two keyed pseudonyms, a fresh code, the referral and its first move,
an event on both sides' feeds and the audit entry, in one commit. `Connection: close`,
as for the other federation rows (see `bench/scenarios/federation.py`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.scenarios import Scenario, register
from bench.scenarios.federation import api_headers

if TYPE_CHECKING:
    from bench.context import BenchContext

PROJECT_ROOT = Path(__file__).resolve().parents[2]

REFERRAL_TARGET = """
import json
from sqlalchemy import select
from coalition.extensions import db
from coalition.members.models import Organisation
from coalition.programmes.models import Programme, ProgrammeStatus
programme = db.session.scalar(
    select(Programme).join(Organisation, Organisation.id == Programme.organisation_id)
    .where(Programme.status == ProgrammeStatus.published, Organisation.slug != "bench-federation")
    .order_by(Programme.id).limit(1)
)
print(json.dumps({"programme": str(programme.uuid), "slug": programme.organisation.slug}))
"""

#: the example body of the machine API's OpenAPI document (data, read without importing it)
EXAMPLE = json.loads(
    (PROJECT_ROOT / "federation" / "api" / "referral_example.json").read_text(encoding="utf-8")
)
NOTE = "Looking for a first job in logistics; prefers evening meetings, twice a month."


def referral_target(env: dict[str, str]) -> dict[str, str]:
    """The first published programme of a member other than the bench's own, and its
    organisation's slug (the consent's recipient)."""
    from bench.processes import run_in_app

    return json.loads(run_in_app(env, REFERRAL_TARGET).strip().splitlines()[-1])


def referral_body(target: dict[str, str], subject_ref: str) -> dict[str, Any]:
    """A referral the platform accepts: the OpenAPI document's example (an age band, a
    Brussels postcode) for the programme, the consent for its organisation and a note the
    personal-data scanner lets through."""
    return EXAMPLE | {
        "programme": target["programme"],
        "subject_ref": subject_ref,
        "note": NOTE,
        "consent": EXAMPLE["consent"] | {"recipient": target["slug"]},
    }


def referral_post_setup(ctx: BenchContext) -> dict[str, Any]:
    """A token with referrals:write; a Lua script that sends a new referral each time."""
    from bench.wrk import spliced_body_lua

    target = referral_target(ctx.env)
    headers = api_headers(ctx, "bench referral_post", "referrals:write")
    body = referral_body(target, "@@REF@@")
    head, tail = json.dumps(body).split("@@REF@@")
    # one sample first: the row must measure successes, not refusals
    ctx.http(
        "POST", "/federation/v1/referrals", data=head + "bench-setup" + tail, headers=headers
    ).raise_for_status()
    threads = """local threads = 0
setup = function(thread)
  thread:set("id", threads)
  threads = threads + 1
end
init = function(args)
  -- the warm-up and the measurement are two wrk runs: their references must differ
  run = os.time() .. "-" .. math.floor(os.clock() * 1000000)
  sent = 0
end
"""
    step = """  sent = sent + 1
  local ref = "bench-" .. run .. "-" .. id .. "-" .. sent
"""
    return {"lua": spliced_body_lua("POST", headers, head, tail, "ref", state=threads, step=step)}


register(
    Scenario(
        "referral_post",
        path="/federation/v1/referrals",
        method="POST",
        setup=referral_post_setup,
        closes_connections=True,
        description="POST /federation/v1/referrals: bearer token, closed schema, personal-data "
        "scanner, area and distance, keyed pseudonyms, referral, first move, events on both "
        "feeds, audit, one commit (goal: ≥ 0.06× the baseline, p95 ≤ 50 ms on PostgreSQL with "
        "BENCH_WORKERS=2)",
    )
)
