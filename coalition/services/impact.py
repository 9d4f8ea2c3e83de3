"""Transitional: re-exports for search/ and federation/ until they import the domain modules;
removed when the branches merge (the mapping: /work/notes/coalition-moves.txt)."""

from coalition.impact.services import (
    FIRST_YEAR,
    InvalidReport,
    current_quarter,
    figure_errors,
    find_branch,
    submit_report,
)

__all__ = [
    "FIRST_YEAR",
    "InvalidReport",
    "current_quarter",
    "figure_errors",
    "find_branch",
    "submit_report",
]
