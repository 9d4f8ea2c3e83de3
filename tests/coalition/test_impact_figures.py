"""The named impact figures other parts quote, computed from the quarterly reports."""

from __future__ import annotations

from datetime import date

import pytest

from coalition.branches.models import Branch
from coalition.impact.figures import UnknownFigure, figure, named_figures, quarter_end
from coalition.impact.models import ImpactReport


@pytest.fixture
def reported(db, make_org):
    """Two organisations' reports over three quarters."""

    def report(org, city, year, quarter, **figures):
        branch = Branch(organisation=org, name=city, postcode="1000", city=city, country="BE")
        db.session.add(branch)
        db.session.flush()
        db.session.add(
            ImpactReport(
                organisation_id=org.id, branch_id=branch.id, year=year, quarter=quarter, **figures
            )
        )

    a, b = make_org("Figures A"), make_org("Figures B")
    report(a, "Gent", 2025, 3, mentors_trained=12, young_people_enrolled=40, duos_completed=10,
           mentors_continuing_after_first_duo=8)  # fmt: skip
    report(a, "Liège", 2025, 4, mentors_trained=5, young_people_enrolled=7, duos_completed=6,
           mentors_continuing_after_first_duo=4)  # fmt: skip
    report(b, "Antwerpen", 2026, 1, mentors_trained=3, young_people_enrolled=20, duos_started=9)
    db.session.flush()


def test_totals_sum_every_report_and_date_from_the_latest_quarter(reported):
    figures = named_figures()
    assert figures["mentors_trained_total"].value == 20
    assert figures["young_people_enrolled_total"].value == 67
    assert figures["duos_started_total"].value == 9
    assert figures["duos_completed_total"].value == 16
    assert {f.as_of for f in figures.values()} == {date(2026, 3, 31)}


def test_the_continuation_rate_is_a_percentage_of_the_duos_completed(reported):
    rate = figure("mentor_continuation_rate")
    assert rate.value == 75.0  # (8 + 4) / (10 + 6)
    assert rate.unit == "percent"
    assert rate.label("nl") == "Mentoren die na hun eerste duo doorgaan"


def test_before_any_report_there_is_no_value_and_no_date(db):
    figures = named_figures()
    assert all(f.value is None and f.as_of is None for f in figures.values())
    assert set(figures) >= {"mentors_trained_total", "mentor_continuation_rate"}


def test_an_unknown_name_is_refused(db):
    with pytest.raises(UnknownFigure):
        figure("mentors_trainde")


@pytest.mark.parametrize(
    ("quarter", "end"),
    [
        (1, date(2026, 3, 31)),
        (2, date(2026, 6, 30)),
        (3, date(2026, 9, 30)),
        (4, date(2026, 12, 31)),
    ],
)
def test_quarter_end(quarter, end):
    assert quarter_end(2026, quarter) == end
