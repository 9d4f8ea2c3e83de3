"""Fixtures of the referral tests: two members (a sender, and a receiver with a branch in
Molenbeek and a published programme there), a valid body, the two sides' bearers.

Every log record of the referral tests is kept, and scanned at the end of each test for
the content and the pseudonyms it must never hold (`leak_watch`).
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from coalition.audit.models import AuditLogEntry
from coalition.branches.models import Branch
from coalition.database import utcnow
from coalition.members.models import Organisation
from coalition.programmes.models import Programme, ProgrammeLocation, ProgrammeStatus
from federation.api.examples import REFERRAL_EXAMPLE
from tests.federation.api_helpers import API

REFERRALS = f"{API}/referrals"
#: what the tests' bodies carry that no log or audit entry may ever hold
SECRET_BITS = ("case-2026-0042", "logistics", "evening meetings")


def referral_body(target: Programme, /, **changes: Any) -> dict[str, Any]:
    """The OpenAPI document's example body (the issue's), for the programme `target` (None
    removes a key)."""
    body = copy.deepcopy(REFERRAL_EXAMPLE)
    body["programme"] = str(target.uuid)
    body["consent"]["recipient"] = target.organisation.slug
    for key, value in changes.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = copy.deepcopy(value)
    return body


def make_programme(db, org: Organisation, *, postcode="1080", lat=50.855, lon=4.32) -> Programme:
    """A published programme of `org` run at a new branch of it."""
    branch = Branch(
        organisation=org,
        name=f"Branch {postcode}",
        postcode=postcode,
        city="City",
        country="BE",
        latitude=lat,
        longitude=lon,
    )
    programme = Programme(
        organisation=org,
        titles={"en": "Duo for a job", "fr": "Duo pour un emploi"},
        summaries={"en": "Intergenerational mentoring."},
        themes=["employment"],
        languages=["fr", "nl"],
        status=ProgrammeStatus.published,
        published_at=utcnow(),
    )
    programme.locations.append(
        ProgrammeLocation(
            branch=branch, postcode=postcode, city="City", latitude=lat, longitude=lon
        )
    )
    db.session.add_all([branch, programme])
    db.session.flush()
    return programme


@dataclass
class Pair:
    sender: Organisation
    receiver: Organisation
    programme: Programme
    sender_headers: dict[str, str]
    receiver_headers: dict[str, str]


@pytest.fixture
def pair(db, make_org, bearer) -> Pair:
    """A sender and a receiver (its programme in Molenbeek), each with a referral client."""
    sender = make_org("Job Coaching Brussels")
    receiver = make_org("Duo for a Job")
    programme = make_programme(db, receiver)
    scopes = "referrals:read referrals:write events:read"
    english = {"Accept-Language": "en"}  # the refusals' language, as a member system asks
    return Pair(
        sender,
        receiver,
        programme,
        bearer(sender, scopes) | english,
        bearer(receiver, scopes) | english,
    )


@pytest.fixture
def send(client, pair) -> Callable[..., Any]:
    """POST a referral from the pair's sender (body changes as in `referral_body`)."""

    def post(headers: dict[str, str] | None = None, **changes: Any):
        return client.post(
            REFERRALS,
            json=referral_body(pair.programme, **changes),
            headers=headers or pair.sender_headers,
        )

    return post


class _Keep(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(self.format(record))


@pytest.fixture(autouse=True)
def leak_watch(request) -> Iterator[_Keep]:
    """Fail any referral test whose logs or audit entries carry referral content (the
    audit entries of tests in the rolled-back transaction, the logs of all)."""
    # a test in the rolled-back transaction: its `db` is torn down after this fixture
    db = request.getfixturevalue("db") if "db" in request.fixturenames else None
    keep = _Keep()
    root = logging.getLogger()
    level = root.level
    root.addHandler(keep)
    root.setLevel(logging.DEBUG)
    try:
        yield keep
    finally:
        root.removeHandler(keep)
        root.setLevel(level)
    from federation.referrals.models import Referral

    if db is None:  # a test that commits for real (concurrency) or needs no database
        for text in keep.records:
            for bit in SECRET_BITS:
                assert bit not in text, f"referral content in a log: {text}"
        return
    pseudonyms = {
        value
        for row in db.session.execute(
            db.select(Referral.sender_pseudonym, Referral.receiver_pseudonym, Referral.code)
        )
        for value in row
        if value
    }
    audit = [str(e.details) for e in db.session.scalars(db.select(AuditLogEntry))]
    for text in keep.records + audit:
        for bit in (*SECRET_BITS, *pseudonyms):
            assert bit not in text, f"referral content or pseudonym in a log or audit: {text}"
