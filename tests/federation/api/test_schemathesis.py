"""Schemathesis against the live OpenAPI document, in process (WSGI), with a valid token.

Every operation gets valid (positive) and invalid (negative) generated requests; together
at least 1,000 cases. No answer may be a server error, and every answer must be documented
and conform to its schema (status, content type, headers, body). Every request the document
allows is accepted (`positive_data_acceptance`, on every operation): the document states the
rules of each field, and `schemathesis_hooks` the rules across fields it cannot state.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select

from coalition.branches.models import Branch
from coalition.programmes.models import Programme, ProgrammeStatus
from tests.federation.api import schemathesis_hooks
from tests.federation.api.schemathesis_hooks import Facts
from tests.federation.api_helpers import API, programme_body
from tests.federation.referrals.conftest import make_programme, referral_body

#: generated cases per operation and mode (11 operations x 2 modes x 50 = 1,100)
EXAMPLES = 50
MINIMUM_CASES = 1_000
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _runner(operation, mode, checks, headers, cases):
    """A Hypothesis test calling `operation` with generated `mode` requests."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case) -> None:
        cases.append(case.operation.label)
        case.call_and_validate(headers=headers, checks=checks)
        # a hook that broke a positive body would turn it negative, out of the check's reach
        assert case.meta.generation.mode is mode, "a hook made a body the document refuses"

    return run


def test_generated_requests_never_fail_and_conform(app, client, db, make_org, bearer):
    org = make_org()
    branch = Branch(organisation_id=org.id, name="Schaerbeek", postcode="1030", city="Schaerbeek")
    db.session.add(branch)
    headers = bearer(
        org, "programmes:write reports:write events:read referrals:read referrals:write"
    )
    other = make_org("Other member")
    other_headers = bearer(other, "referrals:write")
    db.session.commit()
    # Something to find, so GET and DELETE reach more than 404.
    for external_id in ("a", "0", "crm-1"):
        assert (
            client.put(
                f"{API}/programmes/{external_id}", json=programme_body(), headers=headers
            ).status_code
            == 201
        )

    # Referrals to find and move, both ways (the organisation's programme as its API made
    # it, so that the list of programmes stays what the API writes).
    ours = db.session.scalar(
        select(Programme).where(Programme.organisation_id == org.id, Programme.external_id == "a")
    )
    ours.status = ProgrammeStatus.published
    theirs = make_programme(db, other)
    referrals = {}
    for target, sender, side in (
        (ours, other_headers, "receiver"),
        (ours, other_headers, "receiver"),
        (theirs, headers, "sender"),
    ):
        db.session.commit()
        body = referral_body(target, subject_ref=f"person-{side}-{len(referrals)}")
        sent = client.post(f"{API}/referrals", json=body, headers=sender)
        assert sent.status_code == 201, sent.json
        referrals[sent.json["id"]] = [side, "requested"]
    # what the hooks need to know of the data (they learn the rest from the answers)
    schemathesis_hooks.FACTS = Facts(
        programme=str(theirs.uuid),
        recipient=other.slug,
        branches=[[branch.id, branch.postcode]],
        programmes={"a": "published", "0": "draft", "crm-1": "draft"},
        referrals=referrals,
    )

    schema = schemathesis.openapi.from_wsgi(f"{API}/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 11
    cases = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            if mode is GenerationMode.NEGATIVE:
                checks = [*CHECKS, negative_data_rejection]
            else:  # the document and the hooks state every rule: what they allow is accepted
                checks = [*CHECKS, positive_data_acceptance]
            _runner(operation, mode, checks, headers, cases)()
    assert len(cases) >= MINIMUM_CASES
