"""Transitional: re-exports for search/ and federation/ until they import the domain modules;
removed when the branches merge (the mapping: /work/notes/coalition-moves.txt)."""

from coalition.outbox import OutboxEntry
from coalition.programmes.models import (
    CapacityStatus,
    Programme,
    ProgrammeLocation,
    ProgrammeStatus,
)

__all__ = ["CapacityStatus", "OutboxEntry", "Programme", "ProgrammeLocation", "ProgrammeStatus"]
