"""Federation rows: token issuance (`token`) and the machine API (`programme_put`).

Both rows send `Connection: close`, as a reverse proxy in front of gunicorn does by default:
with keep-alive, wrk's eight connections are split between the two gunicorn workers once,
at random, and a 6:2 split leaves one worker's GIL as the limit — runs then differed by a
factor of two. A new connection per request goes to whichever worker accepts first.

`token` loads `POST /oauth/token` with `private_key_jwt`. Every assertion must be used once
(a replayed `jti` is refused), and wrk cannot sign JWTs, so the bench signs a batch of
assertions beforehand and the Lua script hands each thread its own share of them. The
warm-up and the measurement use separate batches.
"""

from __future__ import annotations

import json
import secrets
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from bench.scenarios import Scenario, register
from examples.member_client import EXAMPLE_PROGRAMME as PROGRAMME_BODY

if TYPE_CHECKING:
    from bench.context import BenchContext

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
#: assertions signed per second of measurement (above any rate this server can reach)
ASSERTIONS_PER_SECOND = 2500
#: wrk's thread count in bench/wrk.py (each thread takes every WRK_THREADS-th assertion)
WRK_THREADS = 2
BENCH_ORG_SLUG = "bench-federation"

_CREATE_CLIENT = """
import json
from sqlalchemy import select
from coalition.extensions import db
from coalition.members.models import Organisation
from coalition.database import utcnow
from federation.oauth.services import register_client
org = db.session.scalar(select(Organisation).where(Organisation.slug == {slug!r}))
if org is None:
    org = Organisation(name="Bench federation", slug={slug!r}, admitted_at=utcnow(),
                       languages=["fr"], names={{}}, descriptions={{}})
    db.session.add(org)
    db.session.flush()
created = register_client(org, name={name!r}, scopes={scopes!r}, public_keys={jwk!r})
db.session.commit()
print(json.dumps({{"client_id": created.client.client_id, "org_id": org.id}}))
"""


def bench_client(ctx: BenchContext, name: str, scopes: str) -> dict[str, Any]:
    """Register (once per run) an OAuth client of the bench organisation; its id and key."""
    from joserfc.jwk import ECKey

    key_name = f"federation_client:{name}"
    if key_name not in ctx.state:
        key = ECKey.generate_key("P-256", private=True)
        key.ensure_kid()
        jwk = json.dumps(key.as_dict(private=False))
        out = ctx.python(
            _CREATE_CLIENT.format(slug=BENCH_ORG_SLUG, name=name, scopes=scopes, jwk=jwk)
        )
        created = json.loads(out.strip().splitlines()[-1])
        ctx.state[key_name] = {**created, "key": key}
    return ctx.state[key_name]


def token_bodies(ctx: BenchContext, client_id: str, key: Any, count: int) -> list[str]:
    """`count` token requests, each with its own signed assertion valid for 5 minutes."""
    from joserfc import jwt

    audience = ctx.env.get("PUBLIC_URL", ctx.app_url).rstrip("/") + "/oauth/token"
    now = int(time.time())
    header = {"alg": "ES256", "kid": key.kid}
    bodies = []
    for _ in range(count):
        claims = {
            "iss": client_id,
            "sub": client_id,
            "aud": audience,
            "iat": now,
            "exp": now + 290,
            "jti": secrets.token_urlsafe(16),
        }
        assertion = jwt.encode(header, claims, key, algorithms=["ES256"])
        bodies.append(
            urlencode(
                {
                    "grant_type": "client_credentials",
                    "client_assertion_type": ASSERTION_TYPE,
                    "client_assertion": assertion,
                }
            )
        )
    return bodies


def bench_token(ctx: BenchContext, name: str, scopes: str) -> str:
    """A fresh access token (valid 5 minutes) for the bench client `name` (for API rows)."""
    client = bench_client(ctx, name, scopes)
    body = token_bodies(ctx, client["client_id"], client["key"], 1)[0]
    response = ctx.http(
        "POST",
        "/oauth/token",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    response.raise_for_status()
    return response.json()["access_token"]


def api_headers(ctx: BenchContext, name: str, scopes: str) -> dict[str, str]:
    """The headers of a machine API row: JSON, a fresh token of the bench client `name`, and
    `Connection: close` (see the module's docstring)."""
    return {
        "Content-Type": "application/json",
        "Authorization": f"Bearer {bench_token(ctx, name, scopes)}",
        "Connection": "close",
    }


def token_lua(bodies: list[str]) -> str:
    """A wrk script where thread t sends bodies t, t+2, t+4, …: no assertion is sent twice."""
    table = ",\n".join(json.dumps(body) for body in bodies)  # JSON strings are Lua strings
    return f"""
local bodies = {{
{table}
}}
local headers = {{["Content-Type"] = "application/x-www-form-urlencoded", ["Connection"] = "close"}}
local threads = 0
setup = function(thread)
  thread:set("offset", threads)
  threads = threads + 1
end
init = function(args)
  position = offset
end
request = function()
  local body = bodies[(position % #bodies) + 1]
  position = position + {WRK_THREADS}
  return wrk.format("POST", nil, headers, body)
end
"""


def measure_token(ctx: BenchContext) -> dict[str, Any]:
    """Warm up, then load `POST /oauth/token` with fresh assertions; baseline afterwards."""
    client = bench_client(ctx, "bench token", "programmes:write")
    url = ctx.app_url + "/oauth/token"
    warm = token_bodies(ctx, client["client_id"], client["key"], ASSERTIONS_PER_SECOND)
    ctx.wrk(url, token_lua(warm), seconds=1)
    bodies = token_bodies(
        ctx, client["client_id"], client["key"], ASSERTIONS_PER_SECOND * ctx.seconds
    )
    measured = ctx.wrk(url, token_lua(bodies))
    if measured["requests"] > len(bodies):
        measured.setdefault("errors", {})["assertions_reused"] = measured["requests"] - len(bodies)
    measured.update(ctx.baselines(closes_connections=True))
    return measured


register(
    Scenario(
        "token",
        path="/oauth/token",
        measure=measure_token,  # its own measure loads the baseline with Connection: close
        description="POST /oauth/token: client credentials with private_key_jwt (ES256 "
        "assertion, single-use jti) → ES256 JWT access token",
    )
)


# --- programme_put: an authenticated upsert through the machine API ---------------------------

#: how many programmes the row spreads its writes over (one row would serialise on its lock)
PUT_PROGRAMMES = 200


def programme_put_setup(ctx: BenchContext) -> dict[str, Any]:
    """A token with programmes:write; a Lua script that upserts one of the bench programmes."""
    from bench.wrk import spliced_body_lua

    headers = api_headers(ctx, "bench programme_put", "programmes:write")
    body = json.dumps(PROGRAMME_BODY)
    # Create them all first, so that the measurement is of updates (the steady state of a sync).
    for n in range(1, PUT_PROGRAMMES + 1):
        ctx.http(
            "PUT", f"/federation/v1/programmes/bench-{n}", data=body, headers=headers
        ).raise_for_status()
    # Every request changes the programme (its number of places), as a sync that sends
    # only what changed would: each PUT writes, indexes and notifies.
    head, tail = body.split('"places": 12', 1)
    step = f"""  local path = "/federation/v1/programmes/bench-" .. math.random(1, {PUT_PROGRAMMES})
  places = (places + 1) % 1000
"""
    lua = spliced_body_lua(
        "PUT",
        headers,
        head + '"places": ',
        tail,
        "places",
        state="local places = 0\n",
        step=step,
        path="path",
    )
    return {"lua": lua}


register(
    Scenario(
        "programme_put",
        path="/federation/v1/programmes/bench-1",
        method="PUT",
        setup=programme_put_setup,
        closes_connections=True,
        description="PUT /federation/v1/programmes/{id} changing the programme: bearer token, "
        "validation, upsert, search outbox, event and audit rows, one commit (goal: ≥ 200/s, "
        "p95 ≤ 50 ms on PostgreSQL with BENCH_WORKERS=2)",
    )
)
