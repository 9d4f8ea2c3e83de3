"""The core's SQLAlchemy models; importing this package registers them all."""

from coalition.models.accounts import Invitation, OrganisationRole, PasswordResetToken, Role, User
from coalition.models.audit import AuditLogEntry
from coalition.models.impact import ImpactReport
from coalition.models.organisations import (
    ApplicationStatus,
    Branch,
    MembershipApplication,
    Organisation,
)
from coalition.models.programmes import (
    CapacityStatus,
    OutboxEntry,
    Programme,
    ProgrammeLocation,
    ProgrammeStatus,
)

__all__ = [
    "ApplicationStatus",
    "AuditLogEntry",
    "Branch",
    "CapacityStatus",
    "ImpactReport",
    "Invitation",
    "MembershipApplication",
    "Organisation",
    "OrganisationRole",
    "OutboxEntry",
    "PasswordResetToken",
    "Programme",
    "ProgrammeLocation",
    "ProgrammeStatus",
    "Role",
    "User",
]
