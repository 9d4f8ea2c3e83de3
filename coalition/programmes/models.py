"""Mentoring programmes published by member organisations, where they run, and the rule
that says when one has not been confirmed for too long."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    ColumnElement,
    Date,
    Enum,
    Float,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    and_,
)
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.database import Timestamped, UTCDateTime
from coalition.extensions import db
from coalition.i18n import text_in

if TYPE_CHECKING:
    from coalition.branches.models import Branch
    from coalition.members.models import Organisation

#: a published programme not confirmed for this many days is flagged to its editors and
#: ranked lower in the search results
STALE_AFTER_DAYS = 90


def stale_cutoff(today: date | None = None) -> date:
    """The latest confirmation date of a stale programme, as of `today`."""
    return (today or date.today()) - timedelta(days=STALE_AFTER_DAYS)


class ProgrammeStatus(enum.StrEnum):
    """Where a programme stands: only a published one is in the directory."""

    draft = "draft"
    published = "published"
    unpublished = "unpublished"
    archived = "archived"


class CapacityStatus(enum.StrEnum):
    """Whether a programme takes young people now."""

    open = "open"
    waiting_list = "waiting_list"
    full = "full"


class Programme(Timestamped, db.Model):
    """A mentoring programme of a member organisation, with its texts per language."""

    __tablename__ = "programmes"
    __table_args__ = (UniqueConstraint("organisation_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: public, stable identifier (HSDS service id, URLs)
    uuid: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=uuid.uuid4)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    #: the organisation's own id for the programme (federation upserts), unique per organisation
    external_id: Mapped[str | None] = mapped_column(String(100))
    #: texts per language {"fr": ..., "nl": ..., "en": ...}; at least one language
    titles: Mapped[dict] = mapped_column(JSON, default=dict)
    summaries: Mapped[dict] = mapped_column(JSON, default=dict)
    descriptions: Mapped[dict] = mapped_column(JSON, default=dict)
    #: theme codes from `coalition.taxonomy.THEMES`
    themes: Mapped[list] = mapped_column(JSON, default=list)
    #: target-group codes from `coalition.taxonomy.AUDIENCES`
    audiences: Mapped[list] = mapped_column(JSON, default=list)
    #: format codes from `coalition.taxonomy.FORMATS`
    formats: Mapped[list] = mapped_column(JSON, default=list)
    #: ISO 639-1 codes of the languages spoken with the young person
    languages: Mapped[list] = mapped_column(JSON, default=list)
    age_min: Mapped[int | None]
    age_max: Mapped[int | None]
    duration_weeks: Mapped[int | None]
    #: expected time commitment of the young person, hours per week
    hours_per_week: Mapped[float | None] = mapped_column(Float)
    #: cost code from `coalition.taxonomy.COSTS`
    cost: Mapped[str] = mapped_column(String(20), default="free")
    capacity_status: Mapped[CapacityStatus] = mapped_column(
        Enum(CapacityStatus, native_enum=False, length=20), default=CapacityStatus.open
    )
    places_available: Mapped[int | None]
    #: region code where the programme runs online (e.g. "BE", "BE-BRU"); None if not online
    online_region: Mapped[str | None] = mapped_column(String(10))
    #: how to apply: the programme's intake, never a person's
    apply_url: Mapped[str | None] = mapped_column(String(300))
    apply_email: Mapped[str | None] = mapped_column(String(200))
    apply_phone: Mapped[str | None] = mapped_column(String(40))
    #: when an editor last confirmed the record is still true
    confirmed_on: Mapped[date] = mapped_column(Date, default=date.today)
    status: Mapped[ProgrammeStatus] = mapped_column(
        Enum(ProgrammeStatus, native_enum=False, length=20),
        default=ProgrammeStatus.draft,
        index=True,
    )
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: set when the coalition admin unpublished the programme
    unpublished_reason: Mapped[str | None] = mapped_column(Text)
    unpublished_by_coalition: Mapped[bool] = mapped_column(default=False)
    #: what the programme asks of mentors (`MentorNeedsSchema`'s shape, its places resolved
    #: to the branches' postcode, city and coordinates); None: it seeks none
    mentor_needs: Mapped[dict | None] = mapped_column(JSON)

    organisation: Mapped[Organisation] = relationship()
    locations: Mapped[list[ProgrammeLocation]] = relationship(
        back_populates="programme", cascade="all, delete-orphan"
    )

    def text(self, field: str, lang: str) -> str:
        """A per-language text (`titles`, `summaries`, `descriptions`) in `lang`, else any."""
        return text_in(getattr(self, field), lang)

    @property
    def seeks_mentors(self) -> bool:
        """Published and looking for mentors now: volunteers may say they are interested."""
        return self.status == ProgrammeStatus.published and bool(
            self.mentor_needs and self.mentor_needs.get("seeking")
        )

    @hybrid_method
    def is_stale(self, today: date | None = None) -> bool:
        """Published and not confirmed for `STALE_AFTER_DAYS` (usable in queries too)."""
        cutoff = stale_cutoff(today)
        return self.status == ProgrammeStatus.published and self.confirmed_on <= cutoff

    @is_stale.inplace.expression
    @classmethod
    def _is_stale_expression(cls, today: date | None = None) -> ColumnElement[bool]:
        return and_(
            cls.status == ProgrammeStatus.published, cls.confirmed_on <= stale_cutoff(today)
        )

    def __repr__(self) -> str:
        return f"<Programme {self.id}>"


class ProgrammeLocation(db.Model):
    """Where a programme runs: one of its organisation's branches, or a geocoded postcode."""

    __tablename__ = "programme_locations"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id"))
    postcode: Mapped[str] = mapped_column(String(10))
    city: Mapped[str] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(2), default="BE")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)

    programme: Mapped[Programme] = relationship(back_populates="locations")
    branch: Mapped[Branch | None] = relationship()
