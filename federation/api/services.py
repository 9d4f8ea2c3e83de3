"""Machine-API services: what the /federation/v1 handlers ask for beyond the core's own
programme services. Verbs that flush at most, never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from coalition.branches.models import Branch
from coalition.impact.models import ImpactReport
from coalition.impact.services import find_branch, submit_report
from coalition.members.models import Organisation
from coalition.paging import Page, paginate
from coalition.programmes.models import Programme
from federation.events.services import record_event


class UnknownBranch(LookupError):
    """The organisation has no branch with this id or postcode, or several share it."""

    pointer = "/branch"
    message = (
        "Your organisation has no branch with this id or postcode (if several share "
        "the postcode, give the id)."
    )


@dataclass(frozen=True)
class ReportReceipt:
    """A report as stored, its branch, and whether it replaced figures sent earlier."""

    report: ImpactReport
    branch: Branch
    replaced: bool


def list_programmes(
    organisation_id: int, page: int, per_page: int, modified_after: datetime | None = None
) -> Page[Programme]:
    """A page of the organisation's programmes, least recently changed first."""
    query = select(Programme).where(Programme.organisation_id == organisation_id)
    if modified_after is not None:
        query = query.where(Programme.updated_at > modified_after)
    return paginate(query.order_by(Programme.updated_at, Programme.id), page, per_page)


def receive_report(
    organisation: Organisation, data: dict[str, Any], *, client_id: str
) -> ReportReceipt:
    """Store a branch's quarterly figures sent by a member system (replacing the quarter's
    earlier ones) and put `report.received` on the organisation's feed.

    :param data: a loaded `ReportSchema`
    :raise UnknownBranch: `data["branch"]` names no single branch of the organisation.
    """
    branch = find_branch(organisation, data["branch"])
    if branch is None:
        raise UnknownBranch()
    report, replaced = submit_report(
        organisation, branch, data["year"], data["quarter"], data, client_id=client_id
    )
    record_event(
        organisation.id,
        "report.received",
        {
            "report_id": report.id,
            "branch_id": branch.id,
            "year": report.year,
            "quarter": report.quarter,
            "replaced": replaced,
        },
    )
    return ReportReceipt(report, branch, replaced)
