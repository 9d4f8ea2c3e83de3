"""Transitional: re-exports for search/ and federation/ until they import the domain modules;
removed when the branches merge (the mapping: /work/notes/coalition-moves.txt)."""

from coalition.members.services import readmit_organisation, suspend_organisation

__all__ = ["readmit_organisation", "suspend_organisation"]
