"""Recording an action in the audit log, with the rest of the transaction's work."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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


def record(
    action: str,
    *,
    actor: User | None = None,
    organisation: Organisation | int | None = None,
    target: Any = None,
    client_id: str | None = None,
    **details: Any,
) -> AuditLogEntry:
    """Add an audit entry for `action` (a dotted verb such as "user.invite") to the session.

    It is written with the rest of the transaction's work, at the next flush: one statement
    for all the entries of a request.

    :param target: a model instance (its class name and id are kept) or None.
    :param details: small non-secret facts; keys that look secret are dropped.
    """
    org_id = getattr(organisation, "id", organisation)  # an Organisation, an id or None
    entry = AuditLogEntry(
        at=utcnow(),  # when it happened, not when the transaction is written
        action=action,
        actor_user_id=actor.id if actor is not None else None,
        actor_client_id=client_id,
        organisation_id=org_id,
        target_type=type(target).__name__ if target is not None else None,
        target_id=str(getattr(target, "id", "")) or None if target is not None else None,
        details=_clean(details),
    )
    db.session.add(entry)
    return entry
