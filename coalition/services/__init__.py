"""Transitional: re-exports for search/ and federation/ until they import the domain modules;
removed when the branches merge (see notes/coalition-moves.txt)."""
