"""Quarterly impact figures: submitting (or correcting) a branch's report for a quarter, with
the history of its corrections; the coalition's targets."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from coalition.accounts.models import User
from coalition.audit.services import record
from coalition.branches.models import Branch
from coalition.database import utcnow
from coalition.extensions import db
from coalition.impact.models import (
    FIGURES,
    OUTCOMES,
    TARGETS,
    ImpactReport,
    ImpactTarget,
    ReportChange,
)
from coalition.members.models import Organisation

#: the first year the coalition collects figures for
FIRST_YEAR = 2020


class InvalidReport(ValueError):
    """The figures contradict each other; `errors` maps a field path to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def current_quarter(today: date | None = None) -> tuple[int, int]:
    """The (year, quarter) of `today`."""
    today = today or date.today()
    return today.year, (today.month - 1) // 3 + 1


def figure_errors(year: int, quarter: int, figures: dict[str, Any]) -> dict[str, str]:
    """The inconsistencies of a report, keyed by field path ("outcomes/job"); empty if none."""
    errors: dict[str, str] = {}
    if (year, quarter) > current_quarter():
        errors["quarter"] = str(_l("Figures cannot be reported for a quarter that has not begun."))
    if figures.get("mentors_aged_50_plus", 0) > figures.get("mentors_active", 0):
        errors["mentors_aged_50_plus"] = str(
            _l("Cannot be more than the number of active mentors.")
        )
    if figures.get("mentors_continuing_after_first_duo", 0) > figures.get("mentors_active", 0):
        errors["mentors_continuing_after_first_duo"] = str(
            _l("Cannot be more than the number of active mentors.")
        )
    outcomes = figures.get("outcomes") or {}
    if sum(outcomes.get(code, 0) for code in OUTCOMES) > figures.get("duos_completed", 0):
        errors["outcomes"] = str(
            _l("The outcomes add up to more than the number of duos completed.")
        )
    return errors


def find_branch(organisation: Organisation, ref: int | str) -> Branch | None:
    """The organisation's branch with this id (int) or postcode (str); None unless exactly one."""
    query = select(Branch).where(Branch.organisation_id == organisation.id)
    if isinstance(ref, int):
        query = query.where(Branch.id == ref)
    else:
        query = query.where(Branch.postcode == ref.strip().upper())
    branches = db.session.execute(query.limit(2)).scalars().all()
    return branches[0] if len(branches) == 1 else None


def submit_report(
    organisation: Organisation,
    branch: Branch,
    year: int,
    quarter: int,
    figures: dict[str, Any],
    *,
    actor: User | None = None,
    client_id: str | None = None,
) -> tuple[ImpactReport, bool]:
    """Store a branch's figures for a quarter, replacing earlier ones; return (report, replaced).

    :param figures: the `FIGURES` counts and `outcomes` ({code: count}); missing ones are 0.
    :raise InvalidReport: the figures contradict each other.
    :raise ValueError: the branch belongs to another organisation.
    """
    if branch.organisation_id != organisation.id:
        raise ValueError("branch of another organisation")
    errors = figure_errors(year, quarter, figures)
    if errors:
        raise InvalidReport(errors)
    report = report_of(organisation, branch, year, quarter)
    replaced = report is not None
    if report is None:
        report = ImpactReport(
            organisation_id=organisation.id, branch_id=branch.id, year=year, quarter=quarter
        )
        db.session.add(report)
    outcomes = figures.get("outcomes") or {}
    new_values = {name: int(figures.get(name, 0)) for name in FIGURES} | {
        f"outcome_{code}": int(outcomes.get(code, 0)) for code in OUTCOMES
    }
    for name, value in new_values.items():
        old = getattr(report, name)
        if replaced and old != value:
            report.changes.append(
                ReportChange(
                    figure=name,
                    old_value=old,
                    new_value=value,
                    changed_by_user_id=actor.id if actor is not None else None,
                    changed_by_client_id=client_id,
                )
            )
        setattr(report, name, value)
    report.submitted_at = utcnow()
    report.submitted_by_user_id = actor.id if actor is not None else None
    report.submitted_by_client_id = client_id
    db.session.flush()
    record(
        "impact.report_replaced" if replaced else "impact.report_submitted",
        actor=actor,
        organisation=organisation,
        target=report,
        client_id=client_id,
        branch_id=branch.id,
        period=f"{year}-Q{quarter}",
    )
    return report, replaced


def report_of(organisation: Organisation, branch: Branch, year: int, quarter: int):
    """The branch's report for the quarter, or None."""
    return db.session.execute(
        select(ImpactReport).where(
            ImpactReport.organisation_id == organisation.id,
            ImpactReport.branch_id == branch.id,
            ImpactReport.year == year,
            ImpactReport.quarter == quarter,
        )
    ).scalar_one_or_none()


def organisation_reports(organisation: Organisation) -> list[ImpactReport]:
    """The organisation's reports, latest quarter first."""
    return list(
        db.session.execute(
            select(ImpactReport)
            .where(ImpactReport.organisation_id == organisation.id)
            .order_by(ImpactReport.year.desc(), ImpactReport.quarter.desc(), ImpactReport.branch_id)
        ).scalars()
    )


def targets() -> list[ImpactTarget]:
    """The coalition's targets, in the order of `TARGETS`."""
    found = {t.code: t for t in db.session.execute(select(ImpactTarget)).scalars()}
    return [found[code] for code in TARGETS if code in found]


def update_target(item: ImpactTarget, actor: User, values: dict[str, Any]) -> None:
    """Change a target's baseline, value, start or deadline (a loaded `TargetSchema`)."""
    before = {name: str(getattr(item, name)) for name in values}
    for name, value in values.items():
        setattr(item, name, value)
    db.session.flush()
    record(
        "impact.target_updated",
        actor=actor,
        target=item,
        code=item.code,
        before=before,
        after={name: str(value) for name, value in values.items()},
    )
