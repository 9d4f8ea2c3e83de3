"""Mentor needs and interest bodies shared by the mentor tests."""

from __future__ import annotations

from typing import Any

from tests.coalition._programmes import changed

#: what a programme asks of its mentors, as the programme body carries it
NEEDS: dict[str, Any] = {
    "seeking": True,
    "experience_fields": ["hr", "business"],
    "languages": ["fr", "nl"],
    "age_min": 50,
    "hours_per_week": 2,
    "duo_months": 6,
    "training": {"hours": 12, "format": "mixed"},
    "locations": [{"postcode": "1080", "country": "BE"}],
    "online": True,
    "mentors_needed": 8,
}

#: a volunteer's interest, as the form turns it into a body
INTEREST: dict[str, Any] = {
    "first_name": "Marianne",
    "email": "marianne.dupont@example.org",
    "phone": "+32 470 12 34 56",
    "age_band": "60-69",
    "experience_fields": ["hr"],
    "languages": ["fr", "nl"],
    "availability": ["weekdays"],
    "message": "Retired recruiter, happy to help a young person prepare interviews.",
    "consent": True,
}


def needs(**changes: Any) -> dict[str, Any]:
    """The mentor needs with `changes` applied (None removes a key)."""
    return changed(NEEDS, changes)


def interest_body(**changes: Any) -> dict[str, Any]:
    """A valid interest with `changes` applied (None removes a key)."""
    return changed(INTEREST, changes)
