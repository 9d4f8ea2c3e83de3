"""Background jobs of the machine API."""

from __future__ import annotations

from sqlalchemy import delete

from coalition.database import utcnow
from coalition.extensions import db
from federation.api.models import IdempotencyRecord


def purge_expired() -> int:
    """Forget the idempotency keys older than 24 hours; count them."""
    result = db.session.execute(
        delete(IdempotencyRecord).where(IdempotencyRecord.expires_at <= utcnow())
    )
    db.session.commit()
    return result.rowcount or 0
