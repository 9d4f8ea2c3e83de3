"""Member organisations and applications to join the coalition."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import JSON, Enum, ForeignKey, LargeBinary, String, Text, Uuid
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from coalition.branches.models import Branch
from coalition.database import Timestamped, UTCDateTime
from coalition.extensions import db
from coalition.i18n import text_in


class Organisation(Timestamped, db.Model):
    """A member organisation of the coalition (admitted, or suspended)."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: public, stable identifier (HSDS ids, federation payloads)
    uuid: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=uuid.uuid4)
    #: URL name, unique
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    #: the organisation's legal or usual name
    name: Mapped[str] = mapped_column(String(200))
    #: names per language, {"fr": ..., "nl": ..., "en": ...}; `name` is the fallback
    names: Mapped[dict] = mapped_column(JSON, default=dict)
    #: descriptions per language
    descriptions: Mapped[dict] = mapped_column(JSON, default=dict)
    #: Belgian enterprise number (KBO/BCE), 10 digits without separators
    enterprise_number: Mapped[str | None] = mapped_column(String(10), unique=True)
    website: Mapped[str | None] = mapped_column(String(300))
    #: ISO 639-1 codes of the languages the organisation works in
    languages: Mapped[list] = mapped_column(JSON, default=list)
    #: public contact e-mail of the organisation (never a person's)
    email: Mapped[str | None] = mapped_column(String(200))
    #: logo image bytes and their media type; deferred so lists never load them
    logo: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    logo_mime: Mapped[str | None] = mapped_column(String(40))
    #: when the coalition admitted the organisation; None while suspended
    admitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    branches: Mapped[list[Branch]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="Branch.city"
    )

    @hybrid_property
    def is_admitted(self) -> bool:
        """A current member: admitted and not suspended (usable in queries too)."""
        return self.admitted_at is not None

    @is_admitted.inplace.expression
    @classmethod
    def _is_admitted_expression(cls):
        return cls.admitted_at.is_not(None)

    def display_name(self, lang: str) -> str:
        """The organisation's name in `lang`, or its main name."""
        return (self.names or {}).get(lang) or self.name

    def description(self, lang: str) -> str:
        """The description in `lang`, else in any language it has."""
        return text_in(self.descriptions, lang)

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"


class ApplicationStatus(enum.StrEnum):
    """Where an application to join stands."""

    pending = "pending"
    approved = "approved"
    rejected = "rejected"


class MembershipApplication(Timestamped, db.Model):
    """An organisation's application to join. The office approves it (the organisation is
    admitted, its contact person invited as its administrator) or rejects it with a reason."""

    __tablename__ = "membership_applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_name: Mapped[str] = mapped_column(String(200))
    enterprise_number: Mapped[str] = mapped_column(String(10), index=True)
    website: Mapped[str | None] = mapped_column(String(300))
    languages: Mapped[list] = mapped_column(JSON, default=list)
    #: what the organisation does, in its own words
    description: Mapped[str] = mapped_column(Text, default="")
    #: the contact person (a staff member of the applicant, who receives the invitation)
    contact_name: Mapped[str] = mapped_column(String(200))
    contact_email: Mapped[str] = mapped_column(String(200))
    #: the language the applicant used, for the messages sent back
    language: Mapped[str] = mapped_column(String(2), default="fr")
    status: Mapped[ApplicationStatus] = mapped_column(
        Enum(ApplicationStatus, native_enum=False, length=20), default=ApplicationStatus.pending
    )
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))

    organisation: Mapped[Organisation | None] = relationship()
