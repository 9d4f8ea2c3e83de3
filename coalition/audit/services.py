"""Recording an action in the audit log, with the rest of the transaction's work."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, insert
from sqlalchemy.orm import Session

from coalition.audit.models import AuditLogEntry
from coalition.database import utcnow
from coalition.extensions import db

if TYPE_CHECKING:
    from coalition.accounts.models import User
    from coalition.members.models import Organisation

#: detail keys dropped whatever their value: secrets must never reach the log
SECRET_MARKERS = ("password", "token", "secret", "totp", "otp", "key", "body", "cookie")


def _is_secret(key: str) -> bool:
    return any(marker in key.lower() for marker in SECRET_MARKERS)


def _clean(value: Any) -> Any:
    """Drop secret-looking keys at any depth; keep JSON-friendly values."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items() if not _is_secret(str(k))}
    if isinstance(value, list | tuple | set | frozenset):
        return [_clean(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def audit_values(
    action: str,
    *,
    actor: User | None = None,
    organisation: Organisation | int | None = None,
    target: Any = None,
    client_id: str | None = None,
    at: datetime | None = None,
    **details: Any,
) -> dict[str, Any]:
    """The columns of an audit entry for `action` (a dotted verb such as "user.invite").

    :param target: a model instance (its class name and id are kept) or None.
    :param at: when it happened (now unless given), not when the transaction is written.
    :param details: small non-secret facts; keys that look secret are dropped.
    """
    return {
        "at": at or utcnow(),
        "action": action,
        "actor_user_id": actor.id if actor is not None else None,
        "actor_client_id": client_id,
        # an Organisation, an id or None
        "organisation_id": getattr(organisation, "id", organisation),
        "target_type": type(target).__name__ if target is not None else None,
        "target_id": str(getattr(target, "id", "")) or None if target is not None else None,
        "details": _clean(details),
    }


def record(action: str, **facts: Any) -> AuditLogEntry:
    """Add an audit entry for `action` to the session (`audit_values` says what `facts` may
    be). It is written with the rest of the transaction's work, at the next flush: one
    statement for all the entries of a request."""
    entry = AuditLogEntry(**audit_values(action, **facts))
    db.session.add(entry)
    return entry


#: the session's audit entries to write at its commit (`write_at_commit`)
_AT_COMMIT = "audit_at_commit"


def write_at_commit(*entries: dict[str, Any]) -> None:
    """Write audit entries (`audit_values`) as the session's transaction commits: all the
    entries given so, in one statement beside the session's unit of work. For callers whose
    transaction writes already (a machine-API call, a referral), where the flush of one more
    object costs more than the statement; a rollback drops them with the rest."""
    db.session.connection()  # in a transaction: its rollback must drop them
    db.session.info.setdefault(_AT_COMMIT, []).extend(entries)


@event.listens_for(Session, "before_commit")
def _write_entries_at_commit(session: Session) -> None:
    entries = session.info.pop(_AT_COMMIT, None)
    if entries:
        # Core: no ORM bulk insert (and executemany: a multi-row VALUES costs twice as much)
        session.execute(insert(AuditLogEntry.__table__), entries)


@event.listens_for(Session, "after_soft_rollback")
def _forget_entries(session: Session, previous_transaction) -> None:
    if not previous_transaction.nested:
        session.info.pop(_AT_COMMIT, None)
