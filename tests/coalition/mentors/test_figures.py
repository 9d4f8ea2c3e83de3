"""The counts of mentor interests: per programme, branch, quarter, age band and status
reached; they outlive the interests, and the impact part reads them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select

from coalition.branches.models import Branch
from coalition.database import utcnow
from coalition.mentors.figures import mentor_interest_counts, quarter_of, recruitment_figures
from coalition.mentors.models import MentorInterestCount
from coalition.mentors.services import (
    assign_branch,
    express_interest,
    move_interest,
    withdraw_interest,
)
from tests.coalition._mentors import interest_body

TO_ACTIVE = ("contacted", "in_training", "active")


def follow(interest, *statuses, actor=None):
    for status in statuses:
        move_interest(interest, status, actor)


def test_each_status_reached_is_counted_once_in_its_cell(db, mentor_org, programme):
    interest = express_interest(programme, interest_body(age_band="70+"), "fr")
    follow(interest, *TO_ACTIVE)
    rows = mentor_interest_counts()
    year, quarter = quarter_of(utcnow())
    branch = mentor_org.branches[0].id
    assert {row["status"]: row["count"] for row in rows} == {
        "new": 1,
        "contacted": 1,
        "in_training": 1,
        "active": 1,
    }
    assert {
        (
            r["organisation_id"],
            r["programme_id"],
            r["branch_id"],
            r["year"],
            r["quarter"],
            r["age_band"],
        )
        for r in rows
    } == {(mentor_org.id, programme.id, branch, year, quarter, "70+")}


def test_recruited_per_quarter_branch_age_band_and_the_continuation_rate(db, mentor_org, programme):
    people = [
        ("60-69", ("first_duo_ended", "continuing")),
        ("50-59", ("first_duo_ended", "continuing")),
        ("70+", ("first_duo_ended", "continuing")),
        ("60-69", ("first_duo_ended", "stopped")),
        ("under 50", ()),
    ]
    for n, (band, after) in enumerate(people):
        interest = express_interest(
            programme, interest_body(email=f"p{n}@example.org", age_band=band), "fr"
        )
        follow(interest, *TO_ACTIVE, *after)
    declined = express_interest(programme, interest_body(email="no@example.org"), "fr")
    follow(declined, "declined")

    figures = recruitment_figures()
    assert figures.recruited == 5
    assert figures.recruited_50_plus == 4
    assert figures.by_age_band == {"60-69": 2, "50-59": 1, "70+": 1, "under 50": 1}
    assert figures.by_branch == {mentor_org.branches[0].id: 5}
    assert figures.by_quarter == {quarter_of(utcnow()): 5}
    assert (figures.continuing, figures.stopped) == (3, 1)
    assert figures.continuation_rate == 75.0
    assert recruitment_figures(organisation_id=mentor_org.id + 999).recruited == 0


def test_no_first_duo_ended_yet_is_no_rate(db, programme):
    assert recruitment_figures().continuation_rate is None


def test_a_new_branch_takes_the_interests_counts_with_it(db, mentor_org, programme):
    interest = express_interest(programme, interest_body(), "fr")
    follow(interest, "contacted")
    gent = Branch(organisation=mentor_org, name="Gent", postcode="9000", city="Gent")
    db.session.add(gent)
    db.session.flush()
    assign_branch(interest, gent, None)
    by_branch = {}
    for row in mentor_interest_counts():
        by_branch[(row["branch_id"], row["status"])] = row["count"]
    assert by_branch == {(gent.id, "new"): 1, (gent.id, "contacted"): 1}
    assign_branch(interest, None, None)
    assert {(r["branch_id"], r["status"]) for r in mentor_interest_counts()} == {
        (None, "new"),
        (None, "contacted"),
    }


def test_the_counts_outlive_a_deleted_interest(db, programme):
    interest = express_interest(programme, interest_body(), "fr")
    follow(interest, *TO_ACTIVE)
    withdraw_interest(interest)
    assert recruitment_figures().recruited == 1
    assert db.session.scalar(select(func.sum(MentorInterestCount.count))) == 4


def test_since_keeps_the_quarters_from_that_day_on(db, programme):
    express_interest(programme, interest_body(), "fr")
    year, quarter = quarter_of(utcnow())
    assert mentor_interest_counts(since=date(year, 3 * quarter - 2, 1))
    assert mentor_interest_counts(since=date(year + 1, 1, 1)) == []


def test_quarter_of():
    assert quarter_of(datetime(2026, 3, 31)) == (2026, 1)
    assert quarter_of(date(2026, 4, 1)) == (2026, 2)
    assert quarter_of(date(2026, 12, 31)) == (2026, 4)


def test_metrics_count_the_interests_by_status(db, client, programme):
    """`/metrics` reports the interests stored now by follow-up status (issue 15), counted,
    never identified: no e-mail address or name in the scrape."""
    from prometheus_client.parser import text_string_to_metric_families

    def by_status() -> dict[str, float]:
        text = client.get("/metrics").get_data(as_text=True)
        assert "@" not in text
        return {
            sample.labels["status"]: sample.value
            for family in text_string_to_metric_families(text)
            for sample in family.samples
            if sample.name == "bmp_interests_by_status"
        }

    before = by_status()
    assert set(before) == {
        "new",
        "contacted",
        "in_training",
        "active",
        "first_duo_ended",
        "continuing",
        "stopped",
        "declined",
        "withdrawn",
    }
    first = express_interest(programme, interest_body(email="one@example.org"), "fr")
    express_interest(programme, interest_body(email="two@example.org"), "nl")
    follow(first, "contacted")
    after = by_status()
    assert after["new"] - before["new"] == 1
    assert after["contacted"] - before["contacted"] == 1
