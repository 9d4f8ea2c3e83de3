"""Transitional: re-exports for search/ and federation/ until they import the domain modules;
removed when the branches merge (the mapping: /work/notes/coalition-moves.txt)."""

from coalition.access import Role
from coalition.accounts.models import Invitation, OrganisationRole, PasswordResetToken, User
from coalition.audit.models import AuditLogEntry
from coalition.branches.models import Branch
from coalition.impact.models import ImpactReport
from coalition.members.models import ApplicationStatus, MembershipApplication, Organisation
from coalition.outbox import OutboxEntry
from coalition.programmes.models import (
    CapacityStatus,
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
