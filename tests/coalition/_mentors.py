"""Mentor needs and interest bodies shared by the mentor tests."""

from __future__ import annotations

import copy
from typing import Any

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
    return _changed(NEEDS, changes)


def interest_body(**changes: Any) -> dict[str, Any]:
    """A valid interest with `changes` applied (None removes a key)."""
    return _changed(INTEREST, changes)


def _changed(data: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(data)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data
