"""The figures other parts of the platform read of referrals: the counts by status
(`/metrics`, the staff pages) and, for the impact dashboards, the outcomes by programme,
branch and quarter and the demand by area (`coalition.impact.sources`). Every row is a
count: none names a referral, let alone a person."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select

from coalition.branches.models import Branch
from coalition.extensions import db
from federation.referrals.labels import referral_label
from federation.referrals.models import Referral
from federation.referrals.states import Status


def counts_by_status(organisation_id: int | None = None, box: str | None = None) -> dict[str, int]:
    """How many referrals are in each status (every status, zero included)."""
    query = select(Referral.status, func.count()).group_by(Referral.status)
    if organisation_id is not None:
        column = Referral.receiver_id if box == "inbox" else Referral.sender_id
        query = query.where(column == organisation_id)
    counts = {str(status): 0 for status in Status}
    counts.update({str(status): n for status, n in db.session.execute(query)})
    return counts


def _from_day(since: date) -> datetime:
    return datetime(since.year, since.month, since.day, tzinfo=UTC)


def _quarter(moment: datetime) -> tuple[int, int]:
    return moment.year, (moment.month - 1) // 3 + 1


def outcome_rows(since: date | None = None) -> list[dict[str, Any]]:
    """Completed and failed referrals by programme, branch, quarter and outcome."""
    query = select(Referral.programme_id, Referral.branch_id, Referral.ended_at, Referral.outcome)
    query = query.where(Referral.status.in_((Status.completed, Status.failed)))
    if since is not None:
        query = query.where(Referral.ended_at >= _from_day(since))
    counts: Counter = Counter()
    for programme_id, branch_id, ended_at, outcome in db.session.execute(query):
        counts[(programme_id, branch_id, *_quarter(ended_at), outcome)] += 1
    keys = ("programme_id", "branch_id", "year", "quarter", "outcome")
    return [
        dict(zip(keys, key, strict=True), count=n, outcome_label=referral_label("outcome", key[-1]))
        for key, n in sorted(counts.items(), key=str)
    ]


def demand_rows(since: date | None = None) -> list[dict[str, Any]]:
    """Referrals received by country, the nearest branch's postcode, area and quarter."""
    query = select(Referral.country, Branch.postcode, Referral.area, Referral.created_at).outerjoin(
        Branch, Branch.id == Referral.branch_id
    )
    if since is not None:
        query = query.where(Referral.created_at >= _from_day(since))
    counts: Counter = Counter()
    for country, postcode, area, created_at in db.session.execute(query):
        counts[(country, postcode, area, *_quarter(created_at))] += 1
    keys = ("country", "postcode", "area", "year", "quarter")
    return [
        dict(zip(keys, key, strict=True), count=n) for key, n in sorted(counts.items(), key=str)
    ]
