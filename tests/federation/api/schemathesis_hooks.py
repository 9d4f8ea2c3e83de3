"""Schemathesis hooks: the machine API's rules that no OpenAPI document can state.

The document states every rule of one field (issue 9, point 8); what it cannot state is
said in the operations' descriptions and made here, machine-readably: a generated body is
changed only where such a rule binds, keeping the rest as generated, so that the
positive-data check (every body the document allows is accepted) holds on every operation.

- one field against another: age_min ≤ age_max, the report's figures, the quarter begun,
  a consent not given in the future, the reason and outcome of a changed transition;
- the platform's data: a postcode that exists (the vendored file), the caller's branches,
  a published programme of another member and its organisation as the consent's
  recipient, the status a programme or referral is in now (learnt from the answers);
- one request against another: a fresh `Idempotency-Key` per request (a key reused with
  another body is rightly 422) and a fresh `subject_ref` per referral (the same person to
  the same programme within 30 days is a legitimate 409, which the check accepts anyway;
  a fresh one lets the referral be made);
- a number the document calls an integer is sent as one: OpenAPI's `integer` allows 12.0,
  which this API refuses (integers are strict; README, "The machine API").

Only positive cases are touched: a negative case stays as invalid as it was generated.
Loaded by the in-process test, or by the CLI from outside (see the README):
``SCHEMATHESIS_HOOKS=tests.federation.api.schemathesis_hooks`` with the facts of the
server's data in ``SCHEMATHESIS_FACTS`` (JSON, the shape of `Facts`); with
``SCHEMATHESIS_CLIENT`` (``<token URL> <client id> <secret>``) the CLI fetches a fresh
token for every 4 minutes of the run (tokens live 5).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import secrets
import string
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

import requests
import schemathesis

from coalition.impact.schemas import MAX_COUNT
from coalition.impact.services import current_quarter
from coalition.postcodes import places
from federation.api.models import MAX_KEY_LENGTH
from federation.oauth import scopes
from federation.referrals.schemas import MAX_PSEUDONYM
from federation.referrals.states import (
    ENDED,
    OUTCOMES_OF,
    REASONS_OF,
    TRANSITIONS,
    Side,
    Status,
)

PROGRAMME = "PUT /programmes/{external_id}"
REPORT = "POST /reports"
REFERRAL = "POST /referrals"
TRANSITION = "POST /referrals/{referral_id}/transitions"
#: the statuses a new programme may start in
START_STATUSES = ("draft", "published", "archived")


@dataclass
class Facts:
    """What the hooks know of the server's data (and learn from its answers)."""

    #: a published programme of another member, and its organisation's slug
    programme: str | None = None
    recipient: str | None = None
    #: the caller's branches: [id (or null), postcode, country (else BE)]
    branches: list[list[Any]] = field(default_factory=list)
    #: the caller's programmes: external id → status
    programmes: dict[str, str] = field(default_factory=dict)
    #: referrals the caller sent or received: id → [side, status]
    referrals: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> Facts:
        return cls(**json.loads(os.environ.get("SCHEMATHESIS_FACTS") or "{}"))


FACTS = Facts.from_env()
_fresh = itertools.count(1)
#: this run's letters: keys and pseudonyms of an earlier run are still known to the server
#: (keys 24 h, pseudonyms 30 days)
RUN = "".join(secrets.choice(string.ascii_lowercase) for _ in range(6))
#: every scope the API offers: the run calls every operation
SCOPES = " ".join(scopes.SCOPES)  # every scope a member system can hold

if os.environ.get("SCHEMATHESIS_CLIENT"):

    @schemathesis.auth(refresh_interval=240)
    class ClientCredentials:
        """A token from the client-credentials grant (client_secret_basic)."""

        def get(self, case: Any, context: Any) -> str:
            url, client_id, secret = os.environ["SCHEMATHESIS_CLIENT"].split()
            data = {"grant_type": "client_credentials", "scope": SCOPES}
            answer = requests.post(url, data=data, auth=(client_id, secret), timeout=30)
            answer.raise_for_status()
            return answer.json()["access_token"]

        def set(self, case: Any, token: str, context: Any) -> None:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}


def _pick(options: list | tuple, seed: Any) -> Any:
    """One of `options`, chosen by the generated `seed` (the same seed, the same choice)."""
    digest = hashlib.sha256(repr(seed).encode()).digest()
    return options[int.from_bytes(digest[:4], "big") % len(options)]


@cache
def _postcodes(country: str) -> list[str]:
    """Every postcode of the vendored file in `country`."""
    return sorted(place.postcode for place in places(country))


def _whole_numbers(value: Any) -> Any:
    """Every whole float as an integer, the rest as it is."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _whole_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_whole_numbers(item) for item in value]
    return value


def _is_positive(case: Any) -> bool:
    return case.meta is None or case.meta.generation.mode.is_positive


# --- rules of one body ------------------------------------------------------------------------


def _programme(body: dict[str, Any]) -> None:
    low, high = body.get("age_min"), body.get("age_max")
    if low is not None and high is not None and low > high:
        body["age_min"], body["age_max"] = high, low
    if body.get("confirmed_on") and body["confirmed_on"] > date.today().isoformat():
        body["confirmed_on"] = date.today().isoformat()
    for location in body.get("locations") or []:
        country = location.get("country", "BE")
        location["postcode"] = _pick(_postcodes(country), location["postcode"])
    needs = body.get("mentor_needs")
    if needs and needs.get("locations") and FACTS.branches:
        for location in needs["locations"]:
            _id, postcode, *country = _pick(FACTS.branches, location["postcode"])
            location["postcode"] = postcode
            location["country"] = country[0] if country else "BE"


def _report(body: dict[str, Any]) -> None:
    if FACTS.branches:
        branch_id, postcode, *_country = _pick(FACTS.branches, body["branch"])
        wants_id = isinstance(body["branch"], int) and branch_id is not None
        body["branch"] = branch_id if wants_id else postcode
    now = current_quarter()
    if (body["year"], body["quarter"]) > now:
        body["year"] = now[0]
        body["quarter"] = min(body["quarter"], now[1])
    active = max(
        body["mentors_active"],
        body["mentors_aged_50_plus"],
        body["mentors_continuing_after_first_duo"],
    )
    body["mentors_active"] = active
    outcomes = body.get("outcomes") or {}
    total = sum(outcomes.values())
    if total > MAX_COUNT:  # keep the shares, within what duos_completed can hold
        for code, count in outcomes.items():
            outcomes[code] = count * MAX_COUNT // total
        total = sum(outcomes.values())
    body["duos_completed"] = max(body["duos_completed"], total)


def _referral(body: dict[str, Any]) -> None:
    if FACTS.programme:
        body["programme"] = FACTS.programme
        body["consent"]["recipient"] = FACTS.recipient
    body["postcode"] = _pick(_postcodes(body.get("country", "BE")), body["postcode"])
    given_at = body["consent"]["given_at"]
    try:
        in_future = datetime.fromisoformat(given_at) > datetime.now(UTC)
    except (TypeError, ValueError):  # no zone: the server says what it thinks of it
        in_future = False
    if in_future:
        body["consent"]["given_at"] = datetime.now(UTC).isoformat(timespec="seconds")


BODY_RULES = {PROGRAMME: _programme, REPORT: _report, REFERRAL: _referral}


# --- rules of the server's state, at the time of the call -------------------------------------


def _fresh_suffix(value: str, limit: int) -> str:
    """`value` made unique: a suffix of letters, the run's and a counter's (digits could
    read as a phone number to the referral scanner), within `limit` characters."""
    number, letters = next(_fresh), ""
    while number:
        number, rest = divmod(number, 26)
        letters += chr(ord("a") + rest)
    suffix = f"-{RUN}{letters}"
    return value[: limit - len(suffix)] + suffix


def _programme_status(case: Any) -> None:
    wanted = case.body.get("status")
    if wanted is None:
        return
    current = FACTS.programmes.get(case.path_parameters["external_id"])
    if current is None:
        allowed = wanted in START_STATUSES
    else:
        allowed = wanted == current or {
            "published": current != "published",
            "unpublished": current == "published",
            "archived": True,
            "draft": False,
        }.get(wanted, False)
    if not allowed:  # the one status always possible: the current one (a new one: draft)
        case.body["status"] = current or "draft"


def _legal_moves(referral_id: str) -> list[Status]:
    side, current = FACTS.referrals[referral_id]
    return [
        to
        for (start, to), owner in TRANSITIONS.items()
        if start == Status(current) and owner == Side(side)
    ]


def _move(case: Any) -> None:
    """A referral of the caller's for which the generated move is legal now; if none is,
    one that can still move, with the status changed to a legal one (one that keeps it
    open, when there is one) and its reason and outcome made to fit."""
    if not FACTS.referrals:
        return
    seed, wanted = case.path_parameters["referral_id"], Status(case.body["status"])
    known = sorted(FACTS.referrals)
    fitting = [referral for referral in known if wanted in _legal_moves(referral)]
    movable = [referral for referral in known if _legal_moves(referral)]
    referral_id = _pick(fitting or movable or known, seed)
    case.path_parameters["referral_id"] = referral_id
    legal = _legal_moves(referral_id)
    if fitting or not legal:
        return  # the generated move as it is, or nothing legal left to make (409)
    target = next((to for to in legal if to not in ENDED), legal[0])
    body = case.body
    body["status"] = target.value
    reasons = REASONS_OF.get(target)
    outcomes = OUTCOMES_OF.get(target)
    optional = (None, "") if target is Status.cancelled else ()
    if reasons is None:
        body.pop("reason", None)
    elif body.get("reason") not in (*reasons, *optional):
        body["reason"] = _pick(reasons, body.get("reason"))
    if outcomes is None:
        body.pop("outcome", None)
    elif body.get("outcome") not in outcomes:
        body["outcome"] = _pick(outcomes, body.get("outcome"))


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    """Make a positive request satisfy the rules across its fields and the server's state:
    fresh keys and pseudonyms, statuses the programme or referral can reach now.

    Here rather than in `map_case`: the CLI calls this for the cases of every phase (the
    document's examples and the coverage phase's cases are not mapped)."""
    label = case.operation.label
    if not _is_positive(case) or label not in (PROGRAMME, REPORT, REFERRAL, TRANSITION):
        return
    key = next((name for name in case.headers or {} if name.lower() == "idempotency-key"), None)
    if key is not None:
        case.headers[key] = _fresh_suffix(case.headers[key], MAX_KEY_LENGTH)
    if not isinstance(case.body, dict):
        return
    case.body = _whole_numbers(case.body)
    if label in BODY_RULES:
        BODY_RULES[label](case.body)
    if label == PROGRAMME:
        _programme_status(case)
    elif label == REFERRAL:
        case.body["subject_ref"] = _fresh_suffix(case.body["subject_ref"], MAX_PSEUDONYM)
    elif label == TRANSITION:
        _move(case)


@schemathesis.hook
def after_call(context: Any, case: Any, response: Any) -> None:
    """Learn the statuses the answers report."""
    label, status = case.operation.label, response.status_code
    if status >= 300 or case.method.upper() != case.operation.method.upper():
        return  # refused, or another method than the operation's (a coverage probe)
    try:
        answer = response.json() if status != 204 else {}
    except ValueError:
        return
    if label == PROGRAMME:
        FACTS.programmes[case.path_parameters["external_id"]] = answer["status"]
    elif label == "DELETE /programmes/{external_id}":
        FACTS.programmes[case.path_parameters["external_id"]] = "archived"
    elif label in (REFERRAL, TRANSITION):
        side = Side.receiver if answer["box"] == "inbox" else Side.sender
        FACTS.referrals[answer["id"]] = [side.value, answer["status"]]
