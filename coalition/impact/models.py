"""Quarterly impact figures that member organisations report per branch."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.accounts.models import User
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
    #: the corrections made to it, newest first
    changes: Mapped[list[ReportChange]] = relationship(
        order_by="(ReportChange.changed_at.desc(), ReportChange.id.desc())",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def outcomes(self) -> dict[str, int]:
        """The outcome counts keyed by outcome code."""
        return {code: getattr(self, f"outcome_{code}") for code in OUTCOMES}

    def __repr__(self) -> str:
        return f"<ImpactReport {self.branch_id} {self.year}Q{self.quarter}>"


class ReportChange(db.Model):
    """One figure of a report corrected: who, when, the old and the new value."""

    __tablename__ = "impact_report_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("impact_reports.id", ondelete="CASCADE"), index=True
    )
    #: when the correction was made
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the staff member who made it, if a person did
    changed_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: the OAuth client that sent it, if a member system did
    changed_by_client_id: Mapped[str | None] = mapped_column(String(64))
    #: the figure's name: one of `FIGURES`, or "outcome_<code>"
    figure: Mapped[str] = mapped_column(String(40))
    old_value: Mapped[int]
    new_value: Mapped[int]

    changed_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<ReportChange {self.report_id} {self.figure} {self.old_value}→{self.new_value}>"


#: the coalition's targets, in the order the dashboards show them
TARGETS = (
    "mentors_aged_50_plus_trained",
    "young_people_mentored",
    "young_people_enrolled",
    "new_branches",
    "mentor_continuation_rate",
)


class ImpactTarget(Timestamped, db.Model):
    """One of the coalition's funded targets: from a baseline to a value by a deadline."""

    __tablename__ = "impact_targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: one of `TARGETS`
    code: Mapped[str] = mapped_column(String(40), unique=True)
    #: where the figure stood when the project began (counted values add to it)
    baseline: Mapped[float] = mapped_column(Float, default=0)
    #: the value to reach (a count, or a percentage for the continuation rate)
    target: Mapped[float] = mapped_column(Float)
    #: the project's start: the share of time elapsed runs from here
    starts_on: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)

    def __repr__(self) -> str:
        return f"<ImpactTarget {self.code} {self.target:g} by {self.deadline}>"
