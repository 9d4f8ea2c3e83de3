"""Transitional: re-exports for search/ and federation/ until they import the domain modules;
removed when the branches merge (the mapping: /work/notes/coalition-moves.txt)."""

from coalition.database import Timestamped, UTCDateTime, utcnow

__all__ = ["Timestamped", "UTCDateTime", "utcnow"]
