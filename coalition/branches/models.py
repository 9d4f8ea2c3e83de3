"""A member organisation's branches: the places where it works."""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import Date, Float, ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.database import Timestamped
from coalition.extensions import db

if TYPE_CHECKING:
    from coalition.members.models import Organisation


class Branch(Timestamped, db.Model):
    """A place where a member organisation works, located by its postcode."""

    __tablename__ = "branches"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=uuid.uuid4)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(300))
    postcode: Mapped[str] = mapped_column(String(10))
    city: Mapped[str] = mapped_column(String(120))
    #: ISO 3166-1 alpha-2: BE, FR or NL
    country: Mapped[str] = mapped_column(String(2), default="BE")
    #: coordinates of the postcode's centre (from the vendored postcode file)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    opened_on: Mapped[date | None] = mapped_column(Date)
    #: a branch in a city the coalition did not cover when the project started
    is_new: Mapped[bool] = mapped_column(default=False)

    organisation: Mapped[Organisation] = relationship(back_populates="branches")

    def __repr__(self) -> str:
        return f"<Branch {self.city} of {self.organisation_id}>"
