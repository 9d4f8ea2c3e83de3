"""Staff accounts, their roles per organisation, invitations and password resets."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.access import Role
from coalition.database import Timestamped, UTCDateTime
from coalition.extensions import db

if TYPE_CHECKING:
    from coalition.members.models import Organisation


class User(Timestamped, db.Model):
    """A staff member of one or more organisations, or of the coalition's office."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: lower-cased login e-mail
    email: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: Argon2id hash; None until the invitation is accepted
    password_hash: Mapped[str | None] = mapped_column(String(200))
    #: base32 TOTP secret once the second factor is confirmed
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    #: the last TOTP time step accepted, so that a code cannot be used twice
    totp_last_step: Mapped[int | None] = mapped_column(db.BigInteger)
    #: platform-wide role of the coalition's office
    is_coalition_admin: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    #: bumped on password change and logout-everywhere; sessions carry it
    session_version: Mapped[int] = mapped_column(default=1)
    #: the UI language the user prefers
    language: Mapped[str] = mapped_column(String(2), default="fr")
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    roles: Mapped[list[OrganisationRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class OrganisationRole(db.Model):
    """One role a user holds in one organisation."""

    __tablename__ = "organisation_roles"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[Role] = mapped_column(db.Enum(Role, native_enum=False, length=30))

    user: Mapped[User] = relationship(back_populates="roles")
    organisation: Mapped[Organisation] = relationship()


class Invitation(Timestamped, db.Model):
    """A link by mail to join an organisation's staff (or the office) with roles."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 of the token sent by mail; the token itself is never stored
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200), default="")
    #: None for an invitation to the coalition's office
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    #: role codes granted on acceptance
    roles: Mapped[list] = mapped_column(JSON, default=list)
    coalition_admin: Mapped[bool] = mapped_column(default=False)
    #: the invitee's language: the mail's, and the new account's UI language
    language: Mapped[str] = mapped_column(String(2), default="fr", server_default="fr")
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation | None] = relationship()


class PasswordResetToken(Timestamped, db.Model):
    """A link by mail to choose a new password, usable once."""

    __tablename__ = "password_reset_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: SHA-256 of the token sent by mail
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
