"""The sums the dashboards draw, against hand-computed expectations (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

from coalition.impact import aggregates


def test_totals_and_trends_sum_every_report(reported):
    totals = aggregates.totals()
    assert totals["young_people_enrolled"] == 70
    assert totals["duos_started"] == 21
    assert totals["duos_completed"] == 16
    assert totals["mentors_trained"] == 21
    assert totals["outcome_job"] == 8
    assert aggregates.figure_by_quarter("young_people_enrolled") == {
        (2025, 3): 40,
        (2025, 4): 10,
        (2026, 1): 20,
    }
    assert {city: v["young_people_enrolled"] for city, v in aggregates.by_city().items()} == {
        "Molenbeek-Saint-Jean": 40,
        "Gent": 7,
        "Hasselt": 23,
    }
    by_org = aggregates.by_organisation()
    assert by_org["Duo Brussel"]["young_people_enrolled"] == 47
    assert by_org["Mentor Limburg"]["young_people_enrolled"] == 23
    assert aggregates.totals(reported["b"].id)["duos_started"] == 10
    assert totals["mentors_continuing_after_first_duo"] == 12


def test_progress_against_each_target(reported):
    progress = {p.target.code: p for p in aggregates.target_progress(date(2026, 1, 1))}
    enrolled = progress["young_people_enrolled"]
    assert enrolled.value == 70
    assert enrolled.share_of_target == round(70 / 5200, 3)
    # the targets run from 2024-01-01 to 2027-12-31: two years of four gone by
    assert enrolled.share_of_time == round(731 / 1460, 3)
    assert enrolled.on_track is False
    assert progress["young_people_mentored"].value == 21
    rate = progress["mentor_continuation_rate"]
    assert (rate.value, rate.counted, rate.denominator) == (75.0, 12, 16)
    assert rate.on_track is False  # 75 % is short of 80 %
    # Hasselt is outside the cities covered when the project began (Brussels, Ghent, …)
    assert progress["new_branches"].value == 1
    assert progress["new_branches"].share_of_target == round(1 / 3, 3)
    assert progress["mentors_aged_50_plus_trained"].value == 0


def test_nothing_reported_reads_as_zero(db):
    assert aggregates.totals()["young_people_enrolled"] == 0
    assert aggregates.by_quarter() == {}
    rate = {p.target.code: p for p in aggregates.target_progress()}["mentor_continuation_rate"]
    assert rate.value is None and rate.on_track is None
