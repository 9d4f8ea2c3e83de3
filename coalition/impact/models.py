"""Quarterly impact figures that member organisations report per branch."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.branches.models import Branch
from coalition.database import Timestamped, UTCDateTime, utcnow
from coalition.extensions import db
from coalition.members.models import Organisation

#: the figures of one report, in the order forms and exports show them
FIGURES = (
    "mentors_trained",
    "mentors_active",
    "mentors_aged_50_plus",
    "young_people_enrolled",
    "duos_started",
    "duos_completed",
    "mentors_continuing_after_first_duo",
)
#: how the duos that ended in the quarter ended (FHIR-Task-like outcome codes of referrals)
OUTCOMES = ("job", "training", "internship", "dropped_out", "not_reached")


class ImpactReport(Timestamped, db.Model):
    """One branch's figures for one quarter; a re-submission replaces them."""

    __tablename__ = "impact_reports"
    __table_args__ = (
        UniqueConstraint("organisation_id", "branch_id", "year", "quarter"),
        CheckConstraint("quarter BETWEEN 1 AND 4", name="quarter"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), index=True)
    year: Mapped[int]
    #: 1 to 4
    quarter: Mapped[int]
    #: mentors who finished their training in the quarter
    mentors_trained: Mapped[int] = mapped_column(default=0)
    #: mentors in a duo during the quarter
    mentors_active: Mapped[int] = mapped_column(default=0)
    #: of the active mentors, those aged 50 or more
    mentors_aged_50_plus: Mapped[int] = mapped_column(default=0)
    #: young people who signed up in the quarter
    young_people_enrolled: Mapped[int] = mapped_column(default=0)
    duos_started: Mapped[int] = mapped_column(default=0)
    #: duos that ended in the quarter, whatever their outcome
    duos_completed: Mapped[int] = mapped_column(default=0)
    #: of the mentors whose first duo ended, those who took on another one
    mentors_continuing_after_first_duo: Mapped[int] = mapped_column(default=0)
    outcome_job: Mapped[int] = mapped_column(default=0)
    outcome_training: Mapped[int] = mapped_column(default=0)
    outcome_internship: Mapped[int] = mapped_column(default=0)
    outcome_dropped_out: Mapped[int] = mapped_column(default=0)
    outcome_not_reached: Mapped[int] = mapped_column(default=0)
    #: when the current figures were submitted (a re-submission moves it)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the staff member who submitted them, if a person did
    submitted_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: the OAuth client that submitted them, if a member system did
    submitted_by_client_id: Mapped[str | None] = mapped_column(String(64))

    organisation: Mapped[Organisation] = relationship()
    branch: Mapped[Branch] = relationship()

    @property
    def outcomes(self) -> dict[str, int]:
        """The outcome counts keyed by outcome code."""
        return {code: getattr(self, f"outcome_{code}") for code in OUTCOMES}

    def __repr__(self) -> str:
        return f"<ImpactReport {self.branch_id} {self.year}Q{self.quarter}>"
