"""The audit log of administrative actions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from coalition.database import UTCDateTime, utcnow
from coalition.extensions import db


class AuditLogEntry(db.Model):
    """Who did what, when. Never a password, a token or a body."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: the staff member who acted, if a person did
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    #: the OAuth client that acted, if a member system did
    actor_client_id: Mapped[str | None] = mapped_column(String(64))
    #: the organisation the action concerns
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    #: dotted verb, e.g. "application.approve", "user.invite", "api.call"
    action: Mapped[str] = mapped_column(String(80), index=True)
    target_type: Mapped[str | None] = mapped_column(String(40))
    target_id: Mapped[str | None] = mapped_column(String(64))
    #: small, non-secret details (a reason, a role, a route and status)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
