"""The soak's load generator: processes of threads that send the mix (searches, programme
PUTs, token requests, referral posts) to the two web servers in turn, and record each
request (bench/soak_checks.Record).

A load thread is either unpaced (as fast as it can: the capacity measurement) or paced
(one request every `interval` seconds, without catching up after a slow one). Each thread
owns its programmes, so that a programme's PUTs are sent one after the other and the
value PostgreSQL must hold is known (soak_checks.expected_values).
"""

from __future__ import annotations

import json
import multiprocessing
import random
import secrets
import sys
import threading
import time
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from bench.scenarios.referrals import referral_body  # noqa: E402
from bench.soak_checks import NO_ANSWER, Record  # noqa: E402


def problem_of(response) -> str:
    """What a refusal said (its problem's pointer and detail), for the report."""
    try:
        problem = response.json()
    except ValueError:
        return response.text[:200]
    errors = problem.get("errors") or [{}]
    first = errors[0]
    detail = first.get("detail") or problem.get("detail") or problem.get("title")
    return f"{first.get('pointer', '')} {detail}"[:200]


ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
#: programmes each load thread spreads its PUTs over
PROGRAMMES_PER_THREAD = 4
#: (connect, read) timeouts of every request
TIMEOUT = (3.0, 15.0)
SEARCH_WORDS = {
    "fr": "mentorat emploi jeunes accompagnement formation stage orientation langue numérique",
    "nl": "mentoring werk jongeren begeleiding opleiding stage taal digitaal vrijwilliger",
    "en": "mentoring job young support training career internship language digital",
}
SEARCH_FILTERS = ["", "&theme=employment", "&language=nl", "&age=19", "&open=1", "&cost=free"]


def programme_key(slug: str, external_id: str) -> str:
    """How the soak names a programme: its organisation's slug and its external id."""
    return f"{slug}/{external_id}"


def assertion_body(client_id: str, key: Any, audience: str) -> str:
    """A client-credentials token request with a fresh `private_key_jwt` assertion."""
    from joserfc import jwt

    now = int(time.time())
    claims = {
        "iss": client_id,
        "sub": client_id,
        "aud": audience,
        "iat": now,
        "exp": now + 120,
        "jti": secrets.token_urlsafe(16),
    }
    assertion = jwt.encode({"alg": "ES256", "kid": key.kid}, claims, key, algorithms=["ES256"])
    return urlencode(
        {
            "grant_type": "client_credentials",
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": assertion,
        }
    )


class LoadThread:
    """One thread of the load: its own HTTP session, clients, programmes and records."""

    def __init__(self, plan: dict[str, Any], number: int) -> None:
        import requests
        from joserfc.jwk import ECKey

        self.plan = plan
        self.number = number
        self.random = random.Random(plan["seed"] * 1000 + number)
        self.session = requests.Session()
        self.requests = requests
        self.client = plan["clients"][number % len(plan["clients"])]
        self.key = ECKey.import_key(self.client["private_jwk"])
        self.referral_client = plan.get("referral_client")
        self.programmes = [
            f"soak-{plan['run']}-t{number}-{n}" for n in range(1, PROGRAMMES_PER_THREAD + 1)
        ]
        self.versions: dict[str, int] = {}
        #: the programme and value of the PUT being sent (for one that gets no answer)
        self.pending = ("", "")
        self.records: list[Record] = []
        self.turn = number  # which server gets the next request (alternately)
        kinds, weights = zip(*plan["mix"].items(), strict=True)
        self.kinds, self.weights = list(kinds), list(weights)

    # --- one request of each kind ---------------------------------------------------------

    def search(self, base: str) -> tuple[int, str, str]:
        lang = self.random.choice(list(SEARCH_WORDS))
        words = SEARCH_WORDS[lang].split()
        q = " ".join(self.random.sample(words, self.random.choice((1, 1, 2))))
        url = f"{base}/api/v1/programmes?{urlencode({'q': q, 'lang': lang})}"
        url += self.random.choice(SEARCH_FILTERS)
        return self.session.get(url, timeout=TIMEOUT).status_code, "", ""

    def put(self, base: str) -> tuple[int, str, str]:
        external_id = self.random.choice(self.programmes)
        version = self.versions[external_id] = self.versions.get(external_id, 0) + 1
        value = f"Soak {external_id} v{version}"
        self.pending = (programme_key(self.client["slug"], external_id), value)
        body = dict(self.plan["programme"], title={**self.plan["programme"]["title"], "en": value})
        response = self.session.put(
            f"{base}/federation/v1/programmes/{external_id}",
            json=body,
            headers={"Authorization": f"Bearer {self.client['token']}"},
            timeout=TIMEOUT,
        )
        return response.status_code, programme_key(self.client["slug"], external_id), value

    def token(self, base: str) -> tuple[int, str, str]:
        response = self.session.post(
            f"{base}/oauth/token",
            data=self.assertion_body(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            timeout=TIMEOUT,
        )
        return response.status_code, "", ""

    def referral(self, base: str) -> tuple[int, str, str]:
        client = self.referral_client
        response = self.session.post(
            base + client["path"],
            # a young person not referred before: the same one within 30 days is a 409
            json=referral_body(client["target"], f"soak-{uuid.uuid4().hex}"),
            headers={
                "Authorization": f"Bearer {client['token']}",
                "Idempotency-Key": uuid.uuid4().hex,
            },
            timeout=TIMEOUT,
        )
        refused = problem_of(response) if 400 <= response.status_code < 500 else ""
        return response.status_code, "", refused

    def assertion_body(self) -> str:
        return assertion_body(self.client["client_id"], self.key, self.plan["audience"])

    # --- the loop ---------------------------------------------------------------------------

    def once(self) -> None:
        kind = self.random.choices(self.kinds, self.weights)[0]
        server = self.turn % len(self.plan["servers"])
        self.turn += 1
        sent = time.time()
        key = value = ""
        try:
            status, key, value = getattr(self, kind)(self.plan["servers"][server])
        except self.requests.RequestException:
            status = NO_ANSWER
            if kind == "put":  # the value it tried to write (the try never got it back)
                key, value = self.pending
        self.records.append(Record(kind, server, sent, time.time(), status, key, value))

    def run(self, until: float, interval: float | None) -> None:
        next_at = time.time() + (self.random.random() * interval if interval else 0)
        while True:
            if interval:
                delay = next_at - time.time()
                if delay > 0:
                    time.sleep(delay)
                next_at = max(next_at + interval, time.time())  # no catching up
            if time.time() >= until:
                return
            self.once()


def _process(plan: dict[str, Any], first: int, threads: int, out: str) -> None:
    """One load process: `threads` load threads, then every record to the file `out`."""
    loads = [LoadThread(plan, first + n) for n in range(threads)]
    # Every process starts at the same moment, whatever its start-up took.
    time.sleep(max(0.0, plan["start"] - time.time()))
    workers = [
        threading.Thread(target=load.run, args=(plan["until"], plan["interval"])) for load in loads
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    with open(out, "w") as file:
        for load in loads:
            for record in load.records:
                file.write(json.dumps(asdict(record)) + "\n")


def run_load(
    plan: dict[str, Any],
    processes: int,
    threads: int,
    seconds: float,
    rate: float | None,
    workdir: Path,
    start_delay: float = 3.0,
) -> tuple[list[Record], float]:
    """Send the mix for `seconds` from `processes` × `threads` load threads, unpaced
    (`rate` None) or at `rate` requests/s in all; the records and the load's start time.

    Each process is a fresh interpreter (spawn), so that the load threads of one do not
    share a GIL with the others, nor with the script's fault and sampling threads.
    """
    total = processes * threads
    start = time.time() + start_delay
    plan = dict(plan, start=start, until=start + seconds, interval=total / rate if rate else None)
    context = multiprocessing.get_context("spawn")
    outputs = [workdir / f"load-{uuid.uuid4().hex[:8]}.jsonl" for _ in range(processes)]
    children = [
        context.Process(target=_process, args=(plan, n * threads, threads, str(outputs[n])))
        for n in range(processes)
    ]
    for child in children:
        child.start()
    for child in children:
        child.join()
    records = []
    for output in outputs:
        if output.exists():
            records += [Record(**json.loads(line)) for line in output.read_text().splitlines()]
            output.unlink()
    return records, start
