"""Quarterly impact figures through `POST /federation/v1/reports`."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coalition.branches.models import Branch
from coalition.impact.models import ImpactReport
from coalition.impact.services import InvalidReport, current_quarter, submit_report
from tests.federation.api_helpers import API, report_body


def _branch(db, org, postcode="1080", city="Molenbeek"):
    branch = Branch(organisation_id=org.id, name=f"{org.name} {city}", postcode=postcode, city=city)
    db.session.add(branch)
    db.session.flush()
    return branch


def test_report_is_stored_then_replaced(client, db, make_org, bearer):
    org = make_org()
    branch = _branch(db, org)
    headers = bearer(org, "reports:write")

    first = client.post(f"{API}/reports", json=report_body(branch.id), headers=headers)
    assert first.status_code == 201, first.json
    assert first.json["replaced"] is False
    assert first.json["branch"]["postcode"] == "1080"
    assert first.json["outcomes"]["job"] == 7

    again = client.post(
        f"{API}/reports", json=report_body("1080", mentors_trained=14), headers=headers
    )
    assert again.status_code == 200
    assert again.json["replaced"] is True
    assert again.json["id"] == first.json["id"]
    reports = (
        db.session.execute(select(ImpactReport).where(ImpactReport.organisation_id == org.id))
        .scalars()
        .all()
    )
    assert [(r.mentors_trained, r.year, r.quarter) for r in reports] == [(14, 2025, 1)]
    assert reports[0].submitted_by_client_id


def test_inconsistent_figures_answer_422_with_pointers(client, db, make_org, bearer):
    org = make_org()
    branch = _branch(db, org)
    headers = bearer(org, "reports:write")
    db.session.commit()  # the setup exists before the requests (a refused one rolls back)
    body = report_body(
        branch.id, mentors_active=10, mentors_aged_50_plus=11, duos_completed=1, quarter=5
    )
    response = client.post(f"{API}/reports", json=body, headers=headers)
    assert response.status_code == 422
    assert {e["pointer"] for e in response.json["errors"]} == {"/quarter"}

    body = report_body(branch.id, mentors_active=10, mentors_aged_50_plus=11, duos_completed=1)
    response = client.post(f"{API}/reports", json=body, headers=headers)
    assert {e["pointer"] for e in response.json["errors"]} == {
        "/mentors_aged_50_plus",
        "/mentors_continuing_after_first_duo",
        "/outcomes",
    }

    body = report_body(branch.id, mentors_trained=-1, bonus=3)
    response = client.post(f"{API}/reports", json=body, headers=headers)
    assert {e["pointer"] for e in response.json["errors"]} == {"/mentors_trained", "/bonus"}
    count = db.session.scalar(
        select(func.count()).select_from(ImpactReport).where(ImpactReport.organisation_id == org.id)
    )
    assert count == 0


def test_a_future_quarter_is_refused(app, db, make_org):
    org = make_org()
    branch = _branch(db, org)
    year, quarter = current_quarter()
    with app.test_request_context("/en/"), pytest.raises(InvalidReport) as refused:
        submit_report(org, branch, year + 1, quarter, report_body(branch.id))
    assert set(refused.value.errors) == {"quarter"}


def test_another_organisations_branch_is_unknown(client, db, make_org, bearer):
    mine, theirs = make_org(), make_org()
    _branch(db, mine, postcode="9000", city="Gent")
    their_branch = _branch(db, theirs, postcode="1000", city="Bruxelles")
    headers = bearer(mine, "reports:write")
    db.session.commit()  # the setup exists before the requests (a refused one rolls back)
    for ref in (their_branch.id, "1000", 999_999):
        response = client.post(f"{API}/reports", json=report_body(ref), headers=headers)
        assert response.status_code == 422
        assert response.json["errors"] == [
            {
                "pointer": "/branch",
                "detail": response.json["errors"][0]["detail"],
            }
        ]
    assert db.session.scalar(select(func.count()).select_from(ImpactReport)) == 0
