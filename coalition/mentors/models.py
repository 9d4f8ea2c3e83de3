"""Mentor interests: what a volunteer sent a programme, its follow-up history, and the
counts that outlive both."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Enum,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.database import Timestamped, UTCDateTime, utcnow
from coalition.extensions import db

if TYPE_CHECKING:
    from coalition.accounts.models import User
    from coalition.branches.models import Branch
    from coalition.programmes.models import Programme


class InterestStatus(enum.StrEnum):
    """Where the follow-up of an interest stands (the moves are in `coalition.mentors.states`)."""

    new = "new"
    contacted = "contacted"
    in_training = "in_training"
    active = "active"
    first_duo_ended = "first_duo_ended"
    continuing = "continuing"
    stopped = "stopped"
    declined = "declined"
    withdrawn = "withdrawn"


class MentorInterest(Timestamped, db.Model):
    """A volunteer's interest in being a mentor in one programme: their own contact data,
    given for that purpose, seen by that programme's organisation only.

    It holds the form's fields and nothing else; it is deleted `MENTOR_INTEREST_RETENTION_MONTHS`
    after its last change (`updated_at`), or at once at the person's request.
    """

    __tablename__ = "mentor_interests"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: what the withdrawal link names (signed), so that no sequential id leaves the platform
    uuid: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=uuid.uuid4)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    #: the branch that follows the volunteer up: set by the staff, or at once when the
    #: programme seeks mentors at one branch only
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id", ondelete="SET NULL"))
    status: Mapped[InterestStatus] = mapped_column(
        Enum(InterestStatus, native_enum=False, length=20), default=InterestStatus.new, index=True
    )
    first_name: Mapped[str] = mapped_column(String(60))
    email: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    #: a code of `coalition.taxonomy.MENTOR_AGE_BANDS` ("50-59", …)
    age_band: Mapped[str] = mapped_column(String(10))
    #: codes of `coalition.taxonomy.EXPERIENCE_FIELDS`
    experience_fields: Mapped[list] = mapped_column(JSON, default=list)
    #: ISO 639-1 codes of the languages the volunteer speaks
    languages: Mapped[list] = mapped_column(JSON, default=list)
    #: codes of `coalition.taxonomy.MENTOR_AVAILABILITY`
    availability: Mapped[list] = mapped_column(JSON, default=list)
    message: Mapped[str] = mapped_column(Text, default="")
    #: when the volunteer agreed to be contacted by the organisation, and to which text
    consented_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    consent_version: Mapped[str] = mapped_column(String(20))
    #: when the editors were reminded of it, left new (they are reminded once)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    programme: Mapped[Programme] = relationship()
    branch: Mapped[Branch | None] = relationship()
    changes: Mapped[list[MentorInterestChange]] = relationship(
        back_populates="interest",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="MentorInterestChange.id",
    )

    def __repr__(self) -> str:
        return f"<MentorInterest {self.id} {self.status}>"


class MentorInterestChange(db.Model):
    """One step of an interest's follow-up: who changed what, and when. Never personal data
    of the volunteer (a status code or a branch's name); deleted with the interest."""

    __tablename__ = "mentor_interest_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    interest_id: Mapped[int] = mapped_column(
        ForeignKey("mentor_interests.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the staff member who made the change; None: the volunteer (receipt) or the platform
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: "status" or "branch"
    change: Mapped[str] = mapped_column(String(20))
    #: the status code or the branch's name before and after (None: none)
    before: Mapped[str | None] = mapped_column(String(200))
    after: Mapped[str | None] = mapped_column(String(200))

    interest: Mapped[MentorInterest] = relationship(back_populates="changes")
    actor: Mapped[User | None] = relationship()


class MentorInterestCount(db.Model):
    """How many interests reached a status, per programme, branch, quarter and age band.

    Counted when an interest first reaches a status (the quarter is the one it reached it
    in) and kept when the interest is deleted: the coalition's figures of mentors recruited
    and continuing come from here, and no row names a person.
    """

    __tablename__ = "mentor_interest_counts"
    __table_args__ = (
        UniqueConstraint("programme_id", "branch_id", "year", "quarter", "age_band", "status"),
        CheckConstraint("quarter BETWEEN 1 AND 4", name="quarter"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: (the unique constraint's index serves the lookups by programme)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"))
    #: the branch that followed the interests up; 0 when none was chosen (a plain number,
    #: not a foreign key: the figures of a branch removed later stay as they were)
    branch_id: Mapped[int] = mapped_column(default=0)
    year: Mapped[int]
    #: 1 to 4
    quarter: Mapped[int]
    age_band: Mapped[str] = mapped_column(String(10))
    #: an `InterestStatus` value
    status: Mapped[str] = mapped_column(String(20))
    count: Mapped[int] = mapped_column(default=0)
