"""Transitional: re-exports for search/ and federation/ until they import the domain modules;
removed when the branches merge (the mapping: /work/notes/coalition-moves.txt)."""

from coalition.errors import error_pointers
from coalition.programmes.schemas import ProgrammeSchema

__all__ = ["ProgrammeSchema", "error_pointers"]
