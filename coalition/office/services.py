"""What the coalition office reads: the member organisations and the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from coalition.accounts.models import User
from coalition.audit.models import AuditLogEntry
from coalition.extensions import db
from coalition.members.models import Organisation
from coalition.paging import Page, paginate

#: entries per page of the audit log
AUDIT_PAGE_SIZE = 50


def all_organisations() -> list[Organisation]:
    """Every member organisation, admitted or suspended, by name."""
    return list(db.session.scalars(select(Organisation).order_by(Organisation.name)))


@dataclass(frozen=True)
class AuditLog:
    """A page of the audit log with what the page shows beside its entries."""

    page: Page[AuditLogEntry]
    #: the staff members who acted on this page, by id
    actors: dict[int, User]
    #: every organisation (to filter by), by name
    organisations: list[Organisation]
    #: every action recorded so far (to filter by)
    actions: list[str]

    @property
    def organisation_names(self) -> dict[int, str]:
        return {o.id: o.name for o in self.organisations}


def audit_log(organisation_id: int | None, action: str, page: int) -> AuditLog:
    """The audit log, newest first, of one organisation and action when given."""
    query = select(AuditLogEntry)
    if organisation_id:
        query = query.where(AuditLogEntry.organisation_id == organisation_id)
    if action:
        query = query.where(AuditLogEntry.action == action)
    entries = paginate(
        query.order_by(AuditLogEntry.at.desc(), AuditLogEntry.id.desc()), page, AUDIT_PAGE_SIZE
    )
    user_ids = {e.actor_user_id for e in entries.items if e.actor_user_id}
    actors = (
        {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids)))}
        if user_ids
        else {}
    )
    actions = db.session.scalars(
        select(AuditLogEntry.action).distinct().order_by(AuditLogEntry.action)
    ).all()
    return AuditLog(entries, actors, all_organisations(), list(actions))
