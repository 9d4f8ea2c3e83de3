"""Machine API models: the idempotency keys of POST requests."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from coalition.database import UTCDateTime, utcnow
from coalition.extensions import db

#: the longest `Idempotency-Key` accepted
MAX_KEY_LENGTH = 255


class IdempotencyRecord(db.Model):
    """A client's idempotency key and the answer given to the request that first used it."""

    __tablename__ = "federation_idempotency_keys"
    __table_args__ = (UniqueConstraint("client_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(MAX_KEY_LENGTH))
    #: SHA-256 of method, path and canonical body: a replay must be the same request
    fingerprint: Mapped[str] = mapped_column(String(64))
    #: None while the first request is still being answered
    status_code: Mapped[int | None]
    #: the stored answer (API answers carry ids, never personal data)
    response_body: Mapped[bytes | None] = mapped_column(LargeBinary)
    response_headers: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
