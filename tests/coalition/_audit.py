"""The audit log as the tests read it."""

from __future__ import annotations

from sqlalchemy import select

from coalition.audit.models import AuditLogEntry
from coalition.extensions import db


def db_entry(action: str) -> AuditLogEntry | None:
    """The newest audit entry of `action`."""
    return db.session.scalars(
        select(AuditLogEntry)
        .where(AuditLogEntry.action == action)
        .order_by(AuditLogEntry.id.desc())
    ).first()
