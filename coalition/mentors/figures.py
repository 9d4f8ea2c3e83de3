"""The counts of mentor interests that outlive them, and how the impact figures read them.

When an interest first reaches a status, one is added to its cell of
`MentorInterestCount` (programme, branch, quarter it reached the status in, age band,
status); when the staff move it to another branch, its cells move with it. Deleting an
interest (its time is up, or the person asked) leaves the counts alone. So the coalition
counts mentors recruited through the platform and those continuing after a first duo,
and never sees who they are.

The impact part reads them with `mentor_interest_counts()` (the cells) or
`recruitment_figures()` (mentors recruited per quarter, branch and age band, and the
continuation rate).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from coalition.database import upsert
from coalition.extensions import db
from coalition.mentors.models import InterestStatus, MentorInterest, MentorInterestCount
from coalition.mentors.states import CONTINUED, RECRUITED, STOPPED
from coalition.programmes.models import Programme

#: the age bands of mentors aged 50 or more
AGED_50_PLUS = ("50-59", "60-69", "70+")
_CELL = ("programme_id", "branch_id", "year", "quarter", "age_band", "status")


def quarter_of(moment: datetime | date) -> tuple[int, int]:
    """The (year, quarter) a moment falls in."""
    return moment.year, (moment.month - 1) // 3 + 1


def _add(interest: MentorInterest, status: str, at: datetime, branch_id: int | None, n: int):
    """Add `n` to the cell of `interest` reaching `status` at `at`, with that branch."""
    year, quarter = quarter_of(at)
    values = {
        "programme_id": interest.programme_id,
        "branch_id": branch_id or 0,
        "year": year,
        "quarter": quarter,
        "age_band": interest.age_band,
        "status": str(status),
        "count": n,
    }
    statement = upsert(db.session, MentorInterestCount).values(**values)
    # One statement, whoever else counts in the same cell at the same time.
    statement = statement.on_conflict_do_update(
        index_elements=list(_CELL),
        set_={"count": MentorInterestCount.count + statement.excluded["count"]},
    )
    db.session.execute(statement)


def first_reached(interest: MentorInterest) -> dict[str, datetime]:
    """Each status the interest has been in, with when it first reached it."""
    reached: dict[str, datetime] = {}
    for change in interest.changes:
        if change.change == "status" and change.after and change.after not in reached:
            reached[change.after] = change.at
    return reached


def count_reached(interest: MentorInterest, status: InterestStatus, at: datetime) -> None:
    """Count the interest in `status`, unless it has been in it before (call it before the
    change is added to the history)."""
    if str(status) not in first_reached(interest):
        _add(interest, status, at, interest.branch_id, 1)


def move_counts(interest: MentorInterest, old_branch_id: int | None) -> None:
    """Move the interest's counts from `old_branch_id` to its branch now."""
    if (old_branch_id or 0) == (interest.branch_id or 0):
        return
    for status, at in first_reached(interest).items():
        _add(interest, status, at, old_branch_id, -1)
        _add(interest, status, at, interest.branch_id, 1)


# --- reading -------------------------------------------------------------------------------


def mentor_interest_counts(*, since: date | None = None) -> list[Mapping[str, Any]]:
    """The counts: one row per organisation_id, programme_id, branch_id (None: no branch
    chosen), year, quarter, age_band and status, with its `count` (never zero).

    :param since: only the quarters from the one this day falls in
    """
    query = (
        select(MentorInterestCount, Programme.organisation_id)
        .join(Programme, Programme.id == MentorInterestCount.programme_id)
        .where(MentorInterestCount.count > 0)
        .order_by(*(getattr(MentorInterestCount, name) for name in _CELL))
    )
    if since is not None:
        year, quarter = quarter_of(since)
        query = query.where(
            MentorInterestCount.year * 4 + MentorInterestCount.quarter >= year * 4 + quarter
        )
    return [
        {
            "organisation_id": organisation_id,
            "programme_id": cell.programme_id,
            "branch_id": cell.branch_id or None,
            "year": cell.year,
            "quarter": cell.quarter,
            "age_band": cell.age_band,
            "status": cell.status,
            "count": cell.count,
        }
        for cell, organisation_id in db.session.execute(query)
    ]


@dataclass(frozen=True)
class RecruitmentFigures:
    """Mentors recruited through the platform (interests that became active) and how many
    continued after their first duo; counts only."""

    #: (year, quarter) → mentors recruited in it
    by_quarter: dict[tuple[int, int], int] = field(default_factory=dict)
    #: branch id (None: no branch chosen) → mentors recruited
    by_branch: dict[int | None, int] = field(default_factory=dict)
    #: age band → mentors recruited
    by_age_band: dict[str, int] = field(default_factory=dict)
    recruited: int = 0
    recruited_50_plus: int = 0
    #: mentors whose first duo ended and who took another one, or did not
    continuing: int = 0
    stopped: int = 0

    @property
    def continuation_rate(self) -> float | None:
        """Percent of the mentors whose first duo ended who continued; None before any."""
        ended = self.continuing + self.stopped
        return round(100 * self.continuing / ended, 1) if ended else None


def recruitment_figures(
    *, since: date | None = None, organisation_id: int | None = None
) -> RecruitmentFigures:
    """The mentors recruited per quarter, branch and age band, and the continuation rate."""
    rows = [
        row
        for row in mentor_interest_counts(since=since)
        if organisation_id is None or row["organisation_id"] == organisation_id
    ]
    recruited = [row for row in rows if row["status"] == RECRUITED]
    by_quarter: Counter = Counter()
    by_branch: Counter = Counter()
    by_age_band: Counter = Counter()
    for row in recruited:
        by_quarter[(row["year"], row["quarter"])] += row["count"]
        by_branch[row["branch_id"]] += row["count"]
        by_age_band[row["age_band"]] += row["count"]

    def total(status: str) -> int:
        return sum(row["count"] for row in rows if row["status"] == status)

    return RecruitmentFigures(
        by_quarter=dict(sorted(by_quarter.items())),
        by_branch=dict(by_branch),
        by_age_band=dict(by_age_band),
        recruited=sum(by_quarter.values()),
        recruited_50_plus=sum(by_age_band.get(band, 0) for band in AGED_50_PLUS),
        continuing=total(CONTINUED),
        stopped=total(STOPPED),
    )


def interests_by_status() -> dict[str, int]:
    """The interests stored now, by the status of their follow-up (every status, zero
    included; withdrawn and purged ones are gone): `/metrics`' `interests_by_status`."""
    query = select(MentorInterest.status, func.count()).group_by(MentorInterest.status)
    counts = {str(status): 0 for status in InterestStatus}
    counts.update({str(status): n for status, n in db.session.execute(query)})
    return counts
