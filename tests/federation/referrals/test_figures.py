"""The figures the core reads of referrals: /metrics (counts by status, issue 15) and the
impact sources (outcomes by programme, branch and quarter; demand by area)."""

from __future__ import annotations

from datetime import date

import pytest
from prometheus_client.parser import text_string_to_metric_families

from coalition.database import utcnow
from coalition.impact.sources import rows
from tests.federation.referrals.conftest import REFERRALS


def _by_status(client) -> dict[str, float]:
    text = client.get("/metrics").get_data(as_text=True)
    return {
        sample.labels["status"]: sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "bmp_referrals_by_status"
    }


def test_metrics_count_referrals_by_status(client, pair, send):
    before = _by_status(client)
    assert set(before) >= {"requested", "accepted", "in-progress", "on-hold", "completed"}
    ids = [send(subject_ref=f"m-{n}").json["id"] for n in range(3)]
    client.post(
        f"{REFERRALS}/{ids[0]}/transitions",
        json={"status": "accepted"},
        headers=pair.receiver_headers,
    )
    after = _by_status(client)
    assert after["requested"] - before["requested"] == 2
    assert after["accepted"] - before["accepted"] == 1


def test_the_core_reads_outcomes_and_demand(app, client, pair, send):
    referral_id = send().json["id"]
    url = f"{REFERRALS}/{referral_id}/transitions"
    client.post(url, json={"status": "accepted"}, headers=pair.receiver_headers)
    client.post(
        url, json={"status": "failed", "outcome": "not_reached"}, headers=pair.receiver_headers
    )
    now = utcnow()
    quarter = (now.month - 1) // 3 + 1
    with app.test_request_context("/en/"):
        [outcome] = rows("referral_outcomes", since=date(now.year, 1, 1))
        [demand] = rows("referral_demand", since=date(now.year, 1, 1))
        assert rows("referral_outcomes", since=date(now.year + 1, 1, 1)) == []
    assert outcome == {
        "programme_id": pair.programme.id,
        "branch_id": pair.programme.locations[0].branch_id,
        "year": now.year,
        "quarter": quarter,
        "outcome": "not_reached",
        "count": 1,
        "outcome_label": "Could not be reached",
    }
    assert demand == {
        "country": "BE",
        "postcode": "1080",
        "area": "Brussels",
        "year": now.year,
        "quarter": quarter,
        "count": 1,
    }


@pytest.mark.parametrize(
    ("lang", "shown"),
    [("fr", "Issue : A trouvé un emploi"), ("nl", "Resultaat: Heeft werk gevonden")],
)
def test_the_impact_dashboard_names_the_outcomes_in_its_language(
    client, pair, send, make_user, login, lang, shown
):
    referral_id = send().json["id"]
    url = f"{REFERRALS}/{referral_id}/transitions"
    client.post(url, json={"status": "accepted"}, headers=pair.receiver_headers)
    client.post(url, json={"status": "completed", "outcome": "job"}, headers=pair.receiver_headers)
    login(make_user(coalition_admin=True))
    assert shown in client.get(f"/{lang}/admin/impact/").text


def test_the_coverage_counts_a_referral_where_the_young_person_lives(app, client, pair, send):
    """A young person from Liège referred to a Brussels branch is demand in Liège: the
    coalition admin's coverage view counts it there, not where the supply already is."""
    from coalition.impact.coverage import coverage

    assert send(postcode="4000", subject_ref="from-liege").status_code == 201
    with app.test_request_context():
        areas = {area.name: area for area in coverage()}
    assert areas["Liège"].referrals == 1
    assert areas["Brussels-Capital"].referrals == 0
