"""The figures the impact dashboards draw, summed from the quarterly reports and the
sources the parts provide: totals, trends per quarter, city and organisation, progress
against the coalition's targets, branches opened, referrals and searches.

Every sum is one GROUP BY query; nothing here is suppressed (the office sees the real
counts): `coalition.impact.public` publishes them with small cells hidden.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from coalition.branches.models import Branch
from coalition.extensions import db
from coalition.impact.models import FIGURES, OUTCOMES, ImpactReport, ImpactTarget
from coalition.impact.services import targets
from coalition.impact.sources import rows
from coalition.members.models import Organisation
from coalition.mentors.figures import recruitment_figures

#: every summed column of a report: the figures, then the outcomes ("outcome_job", …)
COLUMNS = (*FIGURES, *(f"outcome_{code}" for code in OUTCOMES))

Quarter = tuple[int, int]


def _sums(*keys: Any, organisation_id: int | None = None) -> list[tuple[tuple, dict[str, int]]]:
    """The report columns summed per `keys` (columns of reports, branches, organisations)."""
    sums = [func.coalesce(func.sum(getattr(ImpactReport, name)), 0) for name in COLUMNS]
    query = (
        select(*keys, *sums)
        .select_from(ImpactReport)
        .join(Branch, Branch.id == ImpactReport.branch_id)
        .join(Organisation, Organisation.id == ImpactReport.organisation_id)
    )
    if keys:
        query = query.group_by(*keys).order_by(*keys)
    if organisation_id is not None:
        query = query.where(ImpactReport.organisation_id == organisation_id)
    found = []
    for row in db.session.execute(query):
        key, values = tuple(row[: len(keys)]), row[len(keys) :]
        found.append((key, {name: int(v) for name, v in zip(COLUMNS, values, strict=True)}))
    return found


def totals(organisation_id: int | None = None) -> dict[str, int]:
    """Every column summed over all reports (of one organisation, when given)."""
    return _sums(organisation_id=organisation_id)[0][1]


def by_quarter(organisation_id: int | None = None) -> dict[Quarter, dict[str, int]]:
    """The columns summed per (year, quarter), oldest first."""
    keys = (ImpactReport.year, ImpactReport.quarter)
    return {key: values for key, values in _sums(*keys, organisation_id=organisation_id)}


def by_city() -> dict[str, dict[str, int]]:
    """The columns summed per city of the reporting branch."""
    return {key[0]: values for key, values in _sums(Branch.city)}


def by_organisation() -> dict[str, dict[str, int]]:
    """The columns summed per organisation (by its name)."""
    return {key[0]: values for key, values in _sums(Organisation.name)}


def quarter_label(quarter: Quarter) -> str:
    return f"{quarter[0]}-Q{quarter[1]}"


# --- targets -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """Where one target stands today."""

    target: ImpactTarget
    #: the counted value (the baseline added for counts); None before anything is counted
    value: float | None
    #: the counted part alone (what suppression looks at), and for a rate its denominator
    counted: int
    denominator: int | None
    #: value / target, and the share of the project's time gone by (0 to 1)
    share_of_target: float | None
    share_of_time: float

    @property
    def on_track(self) -> bool | None:
        """Whether the value has kept pace with the time gone by (a rate: reached it)."""
        if self.value is None:
            return None
        if self.target.code == "mentor_continuation_rate":
            return self.value >= self.target.target
        return (self.share_of_target or 0) >= self.share_of_time


def share_of_time(target: ImpactTarget, today: date) -> float:
    span = (target.deadline - target.starts_on).days
    elapsed = (today - target.starts_on).days
    return round(min(1.0, max(0.0, elapsed / span)), 3) if span > 0 else 1.0


def counted_values(organisation_id: int | None = None) -> dict[str, tuple[int, int | None]]:
    """What each target counts, from the reports, the branches and the mentor figures:
    target code → (count, denominator of a rate or None)."""
    summed = totals(organisation_id)
    new_branches = select(func.count()).select_from(Branch).where(Branch.is_new.is_(True))
    if organisation_id is not None:
        new_branches = new_branches.where(Branch.organisation_id == organisation_id)
    mentors = recruitment_figures(organisation_id=organisation_id)
    return {
        # mentors aged 50+ the platform recruited who became active (trained): the reports
        # carry mentors aged 50+ among the active ones, not among those trained
        "mentors_aged_50_plus_trained": (mentors.recruited_50_plus, None),
        # one young person per duo started
        "young_people_mentored": (summed["duos_started"], None),
        "young_people_enrolled": (summed["young_people_enrolled"], None),
        "new_branches": (int(db.session.execute(new_branches).scalar_one()), None),
        "mentor_continuation_rate": (
            summed["mentors_continuing_after_first_duo"],
            summed["duos_completed"],
        ),
    }


def target_progress(
    today: date | None = None, organisation_id: int | None = None
) -> list[Progress]:
    """Every target: value, share of target, share of time elapsed."""
    today = today or date.today()
    counted = counted_values(organisation_id)
    found = []
    for target in targets():
        count, denominator = counted[target.code]
        if denominator is not None:
            value = round(100 * count / denominator, 1) if denominator else None
        else:
            value = target.baseline + count
        share = round(value / target.target, 3) if value is not None and target.target else None
        found.append(
            Progress(target, value, count, denominator, share, share_of_time(target, today))
        )
    return found


# --- branches, referrals, searches ------------------------------------------------------


def branches_opened() -> list[tuple[Branch, str]]:
    """Every branch with its organisation's name, the newest opened first."""
    query = (
        select(Branch, Organisation.name)
        .join(Organisation, Organisation.id == Branch.organisation_id)
        .order_by(Branch.opened_on.desc().nulls_last(), Branch.city)
    )
    return [(branch, name) for branch, name in db.session.execute(query)]


@dataclass(frozen=True)
class Referrals:
    """Referral volumes and outcomes, as the referrals part provides them."""

    by_outcome: dict[str, int]
    by_quarter: dict[Quarter, int]
    received_by_quarter: dict[Quarter, int]
    #: outcome code → its name in the request's language, where the part gives one
    outcome_labels: dict[str, str] = field(default_factory=dict)


def referrals(since: date | None = None) -> Referrals:
    """Referral outcomes per outcome and quarter, and referrals received per quarter."""
    by_outcome: Counter = Counter()
    by_quarter: Counter = Counter()
    labels: dict[str, str] = {}
    for row in rows("referral_outcomes", since=since):
        by_outcome[row["outcome"]] += row["count"]
        by_quarter[(row["year"], row["quarter"])] += row["count"]
        labels[row["outcome"]] = row.get("outcome_label") or row["outcome"]
    received: Counter = Counter()
    for row in rows("referral_demand", since=since):
        received[(row["year"], row["quarter"])] += row["count"]
    return Referrals(
        dict(by_outcome), dict(sorted(by_quarter.items())), dict(sorted(received.items())), labels
    )


def zero_result_searches(days: int = 90, limit: int = 20) -> list[tuple[str, str, int]]:
    """The most frequent searches that found nothing in the last `days`: (query, lang, count)."""
    counts: Counter = Counter()
    for row in rows("zero_result_searches", since=date.today() - timedelta(days=days - 1)):
        counts[(row["query"], row["lang"])] += row["count"]
    return [(q, lang, n) for (q, lang), n in counts.most_common(limit)]


def figure_by_quarter(name: str, organisation_id: int | None = None) -> dict[Quarter, int]:
    """One column per quarter."""
    return {q: values[name] for q, values in by_quarter(organisation_id).items()}
