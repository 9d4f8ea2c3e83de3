"""Policy briefs, their co-authoring organisations, sections, revisions, comments, signatures."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import (
    JSON,
    Enum,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    and_,
    select,
)
from sqlalchemy.orm import Mapped, foreign, mapped_column, relationship

from coalition.accounts.models import User
from coalition.database import Timestamped, UTCDateTime, utcnow
from coalition.extensions import db
from coalition.members.models import Organisation


class BriefStatus(enum.StrEnum):
    """Where a brief stands (its transitions are in `policy_briefs.states`)."""

    draft = "draft"
    review = "review"
    sign_off = "sign_off"
    published = "published"
    withdrawn = "withdrawn"


class CoAuthorStatus(enum.StrEnum):
    invited = "invited"
    accepted = "accepted"
    declined = "declined"
    cancelled = "cancelled"


def _enum(kind: type[enum.StrEnum]) -> Enum:
    return Enum(kind, native_enum=False, length=20)


class Brief(Timestamped, db.Model):
    """A joint position, written in one language; its translations share `translation_group`."""

    __tablename__ = "policy_briefs"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: briefs with the same group are translations of each other (FR/NL/EN)
    translation_group: Mapped[uuid.UUID] = mapped_column(Uuid, default=uuid.uuid4, index=True)
    #: the language of the text: fr, nl or en
    language: Mapped[str] = mapped_column(String(2))
    title: Mapped[str] = mapped_column(String(200))
    #: the organisation that started the brief, invites the others and publishes
    lead_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[BriefStatus] = mapped_column(_enum(BriefStatus), default=BriefStatus.draft)
    #: the quoted figures frozen when the brief went to sign-off (part of the signed content):
    #: {name: {"value": ..., "as_of": "YYYY-MM-DD" or None}}; None while the text is live
    frozen_figures: Mapped[dict | None] = mapped_column(JSON)
    #: the public address's last part, given at publication
    slug: Mapped[str | None] = mapped_column(String(120), unique=True)
    #: the canonical serialisation that was signed and published; never changes afterwards
    published_document: Mapped[str | None] = mapped_column(Text)
    #: SHA-256 (hex) of `published_document`
    content_hash: Mapped[str | None] = mapped_column(String(64))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: why the lead withdrew it, shown on the public page
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)

    lead_organisation: Mapped[Organisation] = relationship()
    coauthors: Mapped[list[CoAuthor]] = relationship(
        back_populates="brief", cascade="all, delete-orphan", order_by="CoAuthor.id"
    )
    sections: Mapped[list[Section]] = relationship(
        back_populates="brief", cascade="all, delete-orphan", order_by="Section.position"
    )
    signatures: Mapped[list[Signature]] = relationship(
        back_populates="brief", cascade="all, delete-orphan", order_by="Signature.id"
    )

    @property
    def current_sections(self) -> list[Section]:
        """The sections in their order, removed ones left out."""
        return [s for s in self.sections if s.removed_at is None]

    @property
    def removed_sections(self) -> list[Section]:
        return [s for s in self.sections if s.removed_at is not None]

    @property
    def organisations(self) -> list[Organisation]:
        """The co-authoring organisations (the lead first): those that accepted."""
        return [c.organisation for c in self.coauthors if c.status == CoAuthorStatus.accepted]

    @property
    def active_signatures(self) -> list[Signature]:
        return [s for s in self.signatures if s.voided_at is None]

    def __repr__(self) -> str:
        return f"<Brief {self.id} {self.status}>"


class CoAuthor(db.Model):
    """An organisation writing the brief (the lead included), or invited to."""

    __tablename__ = "policy_brief_coauthors"
    __table_args__ = (UniqueConstraint("brief_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    brief_id: Mapped[int] = mapped_column(ForeignKey("policy_briefs.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    status: Mapped[CoAuthorStatus] = mapped_column(
        _enum(CoAuthorStatus), default=CoAuthorStatus.invited
    )
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: who accepted or declined for the organisation, and when
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    brief: Mapped[Brief] = relationship(back_populates="coauthors")
    organisation: Mapped[Organisation] = relationship()


class Section(db.Model):
    """A part of the brief's text, in Markdown; its text is that of its head revision."""

    __tablename__ = "policy_brief_sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    brief_id: Mapped[int] = mapped_column(ForeignKey("policy_briefs.id"), index=True)
    #: order in the brief (1, 2, …; removed sections keep theirs)
    position: Mapped[int]
    #: number of the current revision
    head: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: a removed section keeps its revisions and can be put back
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    brief: Mapped[Brief] = relationship(back_populates="sections")
    revisions: Mapped[list[SectionRevision]] = relationship(
        back_populates="section",
        cascade="all, delete-orphan",
        order_by="SectionRevision.number",
    )
    head_revision: Mapped[SectionRevision] = relationship(
        primaryjoin=lambda: and_(
            foreign(SectionRevision.section_id) == Section.id,
            SectionRevision.number == Section.head,
        ),
        viewonly=True,
        uselist=False,
    )

    @property
    def text(self) -> str:
        """The section's current Markdown."""
        return self.head_revision.text

    def __repr__(self) -> str:
        return f"<Section {self.id} of brief {self.brief_id} r{self.head}>"


class SectionRevision(db.Model):
    """One save of a section: every save is kept, none is ever overwritten."""

    __tablename__ = "policy_brief_revisions"
    __table_args__ = (UniqueConstraint("section_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("policy_brief_sections.id"), index=True)
    #: 1, 2, … within the section
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: the co-authoring organisation the author wrote for
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the revision this one follows (the head when it was saved)
    parent: Mapped[int | None]
    #: the revision the author started from; differs from `parent` when the save was merged
    base: Mapped[int | None]
    #: the author's edit was merged three-way with edits saved meanwhile
    merged: Mapped[bool] = mapped_column(default=False)
    #: the earlier revision whose text this one restores
    restored_from: Mapped[int | None]

    section: Mapped[Section] = relationship(back_populates="revisions")
    author: Mapped[User | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()


class Comment(db.Model):
    """A comment on a section, anchored to a quoted passage (W3C TextQuoteSelector), or a reply."""

    __tablename__ = "policy_brief_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("policy_brief_sections.id"), index=True)
    #: the comment this one answers; None for a thread's first comment
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("policy_brief_comments.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    body: Mapped[str] = mapped_column(Text)
    #: the quoted passage and up to 32 characters before and after it, in the section's text
    quote_exact: Mapped[str | None] = mapped_column(Text)
    quote_prefix: Mapped[str] = mapped_column(String(64), default="")
    quote_suffix: Mapped[str] = mapped_column(String(64), default="")
    #: the section revision the passage was quoted from
    revision_number: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    section: Mapped[Section] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    organisation: Mapped[Organisation | None] = relationship()
    replies: Mapped[list[Comment]] = relationship(order_by="Comment.id")


class Signature(db.Model):
    """An organisation's admin signing the exact content: the SHA-256 they were shown."""

    __tablename__ = "policy_brief_signatures"

    id: Mapped[int] = mapped_column(primary_key=True)
    brief_id: Mapped[int] = mapped_column(ForeignKey("policy_briefs.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: the content hash signed
    content_hash: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: set when a change of the content voided the signature
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    brief: Mapped[Brief] = relationship(back_populates="signatures")
    organisation: Mapped[Organisation] = relationship()
    user: Mapped[User | None] = relationship()


def lock_brief(brief_id: int) -> Brief:
    """The brief, re-read and locked until the commit (PostgreSQL: FOR UPDATE).

    Every change of a brief's content, status or signatures takes this lock first, so that
    two saves of a section, or a save and a signature, never interleave. (SQLite queues
    writers at BEGIN IMMEDIATE already.)

    Everything read before the lock may be stale, so the session forgets it (after writing
    what it holds): what is read next comes from the database as it is now.
    """
    db.session.flush()
    db.session.execute(select(Brief.id).where(Brief.id == brief_id).with_for_update())
    db.session.expire_all()
    return db.session.get_one(Brief, brief_id)
