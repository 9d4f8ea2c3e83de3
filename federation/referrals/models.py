"""A referral between two member organisations, and the record of its every move.

No column holds who the young person is: no name, contact, postcode or birth date. The
content columns (marked "content") are emptied when the retention time after the
referral's end has passed; the counts (programme, branch, status, outcome, dates) remain.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Enum, ForeignKey, Index, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.branches.models import Branch
from coalition.database import Timestamped, UTCDateTime, utcnow
from coalition.extensions import db
from coalition.members.models import Organisation
from coalition.programmes.models import Programme
from federation.referrals.states import Side, Status

_STATUS = Enum(
    Status,
    name="referral_status",
    native_enum=False,
    length=20,
    values_callable=lambda statuses: [s.value for s in statuses],
)
_SIDE = Enum(Side, name="referral_side", native_enum=False, length=10)


class Referral(Timestamped, db.Model):
    """One young person proposed by the sender to a programme of the receiver."""

    __tablename__ = "referrals"
    __table_args__ = (
        Index("ix_referrals_duplicates", "sender_id", "sender_pseudonym", "programme_id"),
        Index("ix_referrals_inbox", "receiver_id", "status"),
        Index("ix_referrals_outbox", "sender_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the public id (API, URLs)
    uuid: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=uuid.uuid4)
    #: what the young person brings to the intake, e.g. `R-7KQ3-MW9D` (`privacy.new_code`)
    code: Mapped[str] = mapped_column(String(11), unique=True)
    sender_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    receiver_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    #: the programme's branch nearest to the young person's postcode (None: no branch known)
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id", ondelete="SET NULL"))
    status: Mapped[Status] = mapped_column(_STATUS, default=Status.requested)
    #: why it was rejected or cancelled (`states.REJECT_REASONS`, `CANCEL_REASONS`, "expired")
    reason: Mapped[str | None] = mapped_column(String(30))
    #: how a completed or failed referral ended (`states.OUTCOMES`)
    outcome: Mapped[str | None] = mapped_column(String(30))
    #: when it reached an ended status (rejected, cancelled, completed, failed)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    age_band: Mapped[str] = mapped_column(String(10))
    #: ISO 3166-1 alpha-2 of the young person's postcode
    country: Mapped[str] = mapped_column(String(2))
    #: the postcode reduced to its province (or "Brussels"); the postcode is never stored
    area: Mapped[str | None] = mapped_column(String(60))
    #: km from the postcode's centre to the programme's nearest branch
    distance_km: Mapped[int | None]
    #: content: ISO 639-1 codes
    languages: Mapped[list | None] = mapped_column(JSON)
    #: content: theme codes of `coalition.taxonomy.THEMES`
    goals: Mapped[list | None] = mapped_column(JSON)
    #: content: `weekday_daytime`, `weekday_evenings`, `weekends`
    availability: Mapped[list | None] = mapped_column(JSON)
    #: content: the needs note (scanned: no personal data), at most 500 characters
    note: Mapped[str | None] = mapped_column(Text)
    #: content: the platform's keyed hash of the sender's pseudonym (duplicates, erasure)
    sender_pseudonym: Mapped[str | None] = mapped_column(String(64))
    #: content: the pseudonym the receiver sees (keyed with the receiver's own key)
    receiver_pseudonym: Mapped[str | None] = mapped_column(String(64))
    #: the id of the pseudonymisation key both pseudonyms were made with
    pseudonym_key_id: Mapped[str | None] = mapped_column(String(20))
    #: the consent record: when, by whom (young_person, legal_guardian), which text
    consent_given_at: Mapped[datetime] = mapped_column(UTCDateTime)
    consent_given_by: Mapped[str] = mapped_column(String(20))
    consent_text_version: Mapped[str] = mapped_column(String(20))
    #: when the content was purged (retention or withdrawn consent)
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    sender: Mapped[Organisation] = relationship(foreign_keys=[sender_id])
    receiver: Mapped[Organisation] = relationship(foreign_keys=[receiver_id])
    programme: Mapped[Programme] = relationship()
    branch: Mapped[Branch | None] = relationship()
    transitions: Mapped[list[ReferralTransition]] = relationship(
        back_populates="referral",
        cascade="all, delete-orphan",
        order_by="ReferralTransition.id",
        passive_deletes=True,
    )

    def side_of(self, organisation_id: int) -> Side | None:
        """Which side the organisation is on (None: neither, it must not see it)."""
        if organisation_id == self.sender_id:
            return Side.sender
        if organisation_id == self.receiver_id:
            return Side.receiver
        return None

    def __repr__(self) -> str:  # never the content
        return f"<Referral {self.id} {self.status}>"


class ReferralTransition(db.Model):
    """One move of a referral: who, when, from, to, why (the creation has no `from`)."""

    __tablename__ = "referral_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(
        ForeignKey("referrals.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[Status | None] = mapped_column(_STATUS)
    to_status: Mapped[Status] = mapped_column(_STATUS)
    reason: Mapped[str | None] = mapped_column(String(30))
    outcome: Mapped[str | None] = mapped_column(String(30))
    side: Mapped[Side] = mapped_column(_SIDE)
    #: the staff member who made it (None: a member system or the platform)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: the OAuth client that made it, if a member system did
    client_id: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    referral: Mapped[Referral] = relationship(back_populates="transitions")
