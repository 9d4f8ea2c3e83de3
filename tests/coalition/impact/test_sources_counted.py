"""The figures other parts provide, counted in: referral outcomes and demand on the
dashboard and the coverage view, zero-result searches on the dashboard; nothing breaks
when a source is absent."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from coalition.impact import aggregates, coverage, tables
from coalition.impact.sources import provide


@pytest.fixture
def provided(app) -> Iterator:
    """Provide sources on the app for one test, then put back what was there."""
    sources = app.extensions.setdefault("impact_sources", {})
    before = dict(sources)

    def give(name, read):
        provide(app, name, read)

    yield give
    sources.clear()
    sources.update(before)


def test_referral_outcomes_and_demand_are_counted_by_quarter_and_area(
    app, db, provided, make_user, login, client
):
    outcomes = [
        {
            "programme_id": 1,
            "branch_id": None,
            "year": 2026,
            "quarter": 1,
            "outcome": "job",
            "count": 4,
        },
        {
            "programme_id": 2,
            "branch_id": 3,
            "year": 2026,
            "quarter": 1,
            "outcome": "job",
            "count": 3,
        },
        {
            "programme_id": 2,
            "branch_id": 3,
            "year": 2026,
            "quarter": 2,
            "outcome": "training",
            "count": 6,
        },
    ]
    demand = [
        {"country": "BE", "postcode": "5000", "year": 2026, "quarter": 2, "count": 7},
        {"country": "BE", "postcode": "1080", "year": 2026, "quarter": 2, "count": 2},
        {"country": "BE", "postcode": None, "year": 2026, "quarter": 2, "count": 5},
    ]
    provided("referral_outcomes", lambda since=None: outcomes)
    provided("referral_demand", lambda since=None: demand)
    found = aggregates.referrals()
    assert found.by_outcome == {"job": 7, "training": 6}
    assert found.by_quarter == {(2026, 1): 7, (2026, 2): 6}
    assert found.received_by_quarter == {(2026, 2): 14}
    areas = {a.name: a for a in coverage.coverage(date(2026, 6, 30))}
    assert areas["Namur"].referrals == 7
    assert areas["Brussels-Capital"].referrals == 2
    with app.test_request_context("/en/"):
        table = tables.referrals_table()
    assert table.rows[:2] == [["2026-Q1", 0, 7], ["2026-Q2", 14, 6]]
    login(make_user(coalition_admin=True))
    assert "Outcome: training" in client.get("/en/admin/impact/").text


def test_zero_result_searches_are_listed(db, provided):
    today = date.today()
    provided(
        "zero_result_searches",
        lambda since=None: [
            {"day": today, "lang": "nl", "query": "fietsherstelling", "count": 3},
            {"day": today, "lang": "nl", "query": "fietsherstelling", "count": 2},
            {"day": today, "lang": "fr", "query": "cuisine", "count": 1},
        ],
    )
    assert aggregates.zero_result_searches() == [
        ("fietsherstelling", "nl", 5),
        ("cuisine", "fr", 1),
    ]


def test_every_page_works_without_any_source(db, app, make_user, login, client):
    sources = app.extensions.get("impact_sources", {})
    saved = dict(sources)
    sources.clear()
    try:
        assert aggregates.referrals().by_outcome == {}
        assert all(a.demand == 0 for a in coverage.coverage())
        login(make_user(coalition_admin=True))
        for url in ("/en/admin/impact/", "/en/admin/impact/coverage", "/en/impact"):
            assert client.get(url).status_code == 200, url
    finally:
        sources.update(saved)
