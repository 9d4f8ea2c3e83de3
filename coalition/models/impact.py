"""Transitional: re-exports for search/ and federation/ until they import the domain modules;
removed when the branches merge (the mapping: /work/notes/coalition-moves.txt)."""

from coalition.impact.models import FIGURES, OUTCOMES, ImpactReport

__all__ = ["FIGURES", "OUTCOMES", "ImpactReport"]
