"""Mentors the platform recruited reach the impact figures: the target of 1,000 mentors aged
50+, the coalition office's dashboard and the continuation rate after a first duo; counted,
never identified (issue 14)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest

from coalition.database import utcnow
from coalition.impact import aggregates
from coalition.mentors.figures import quarter_of, recruitment_figures
from coalition.mentors.services import express_interest, move_interest
from coalition.programmes.services import create_programme
from tests.coalition._mentors import interest_body, needs
from tests.coalition._programmes import add_molenbeek_branch, body

TO_ACTIVE = ("contacted", "in_training", "active")
#: the volunteers, as the staff followed them up: (age band, statuses after the receipt)
PEOPLE = (
    ("50-59", (*TO_ACTIVE, "first_duo_ended", "continuing")),
    ("60-69", (*TO_ACTIVE, "first_duo_ended", "continuing")),
    ("60-69", (*TO_ACTIVE, "first_duo_ended", "stopped")),
    ("70+", ("contacted", "active")),  # a programme without training; first duo under way
    ("70+", ("contacted",)),  # not recruited (yet)
    ("60-69", ("declined",)),
    ("under 50", (*TO_ACTIVE, "first_duo_ended", "continuing")),
)
#: what those statuses imply
RECRUITED, RECRUITED_50_PLUS, CONTINUING, STOPPED = 5, 4, 3, 1
DOMAIN = "volunteers.example.org"


@pytest.fixture
def recruited(db, make_org, make_user):
    """The volunteers above, each sent through the interest service and moved by an editor."""
    org = make_org("Platform Mentors Org", names={"fr": "Platform Mentors Org"})
    branch = add_molenbeek_branch(db, org)
    programme = create_programme(org, body(status="published", mentor_needs=needs()), actor=None)
    editor = make_user(org, ("editor",), name="Eddy Editor")
    for n, (band, statuses) in enumerate(PEOPLE):
        interest = express_interest(
            programme,
            interest_body(first_name=f"Volunteer{n}", email=f"p{n}@{DOMAIN}", age_band=band),
            "fr",
        )
        for status in statuses:
            move_interest(interest, status, editor)
    db.session.flush()
    return {"org": org, "branch": branch}


def _progress(code: str, **filters) -> aggregates.Progress:
    return {p.target.code: p for p in aggregates.target_progress(date(2026, 1, 1), **filters)}[code]


def _table_rows(html: str, name: str) -> list[list[str]]:
    """The cells of a dashboard table, by the table's name."""
    section = html.split(f'id="table-{name}"', 1)[1].split("<h3", 1)[0]
    return [
        [cell.strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", section, re.S)
        if "<td" in row
    ]


def test_the_target_counts_the_platform_recruited_mentors_aged_50_plus(recruited):
    target = _progress("mentors_aged_50_plus_trained")
    assert target.target.target == 1000
    # the four aged 50+ who became active; not the one under 50, nor those not recruited
    assert target.counted == RECRUITED_50_PLUS
    assert target.value == target.target.baseline + RECRUITED_50_PLUS
    assert target.share_of_target == round(target.value / 1000, 3)
    own = _progress("mentors_aged_50_plus_trained", organisation_id=recruited["org"].id)
    assert own.counted == RECRUITED_50_PLUS
    other = _progress("mentors_aged_50_plus_trained", organisation_id=recruited["org"].id + 999)
    assert other.counted == 0


def test_the_platform_figures_per_quarter_branch_and_age_band(recruited):
    figures = recruitment_figures()
    assert (figures.recruited, figures.recruited_50_plus) == (RECRUITED, RECRUITED_50_PLUS)
    assert figures.by_quarter == {quarter_of(utcnow()): RECRUITED}
    assert figures.by_branch == {recruited["branch"].id: RECRUITED}
    assert figures.by_age_band == {"50-59": 1, "60-69": 2, "70+": 1, "under 50": 1}


def test_the_continuation_rate_is_what_the_statuses_imply(recruited):
    figures = recruitment_figures()
    assert (figures.continuing, figures.stopped) == (CONTINUING, STOPPED)
    # of the four whose first duo ended, three took another: the one still in a first duo
    # and those never recruited count in neither
    assert figures.continuation_rate == 75.0


def test_the_office_dashboard_shows_the_platform_recruited_mentors(
    client, recruited, make_user, login
):
    login(make_user(coalition_admin=True))
    page = client.get("/en/admin/impact/")
    assert page.status_code == 200
    html = page.text
    year, quarter = quarter_of(utcnow())
    assert _table_rows(html, "mentors") == [
        [f"{year}-Q{quarter}", str(RECRUITED)],
        ["Total", str(RECRUITED)],
        ["Of whom aged 50+", str(RECRUITED_50_PLUS)],
        ["Mentors continuing after their first duo (%)", "75.0"],
    ]
    progress = {row[0]: row for row in _table_rows(html, "progress")}
    target = _progress("mentors_aged_50_plus_trained")
    assert progress["Additional trained mentors aged 50+"][1:3] == [
        str(target.value),
        str(target.target.target),
    ]
    assert target.value == target.target.baseline + RECRUITED_50_PLUS
    # counted, never identified: no volunteer's name or address on the page
    assert DOMAIN not in html
    assert "Volunteer" not in html
    exported = client.get("/en/admin/impact/mentors.csv").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported), delimiter=";"))
    assert rows[1:] == [
        [f"{year}-Q{quarter}", str(RECRUITED)],
        ["Total", str(RECRUITED)],
        ["Of whom aged 50+", str(RECRUITED_50_PLUS)],
        ["Mentors continuing after their first duo (%)", "75"],
    ]
    assert DOMAIN not in exported
