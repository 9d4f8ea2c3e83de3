"""Bodies and small helpers shared by the machine-API tests."""

from __future__ import annotations

import copy
from typing import Any

API = "/federation/v1"


def programme_body(**changes: Any) -> dict[str, Any]:
    """A valid programme body as a member system would send it."""
    body: dict[str, Any] = {
        "title": {"fr": "Duo pour l'emploi", "nl": "Duo naar werk", "en": "Duo to work"},
        "summary": {"fr": "Un mentor de plus de 50 ans accompagne un jeune pendant six mois."},
        "description": {},
        "themes": ["employment"],
        "audiences": ["newcomers", "neet"],
        "age_min": 18,
        "age_max": 30,
        "formats": ["one_to_one"],
        "languages": ["fr", "ar"],
        "locations": [{"postcode": "1080", "country": "BE"}],
        "capacity": {"status": "open", "places": 12},
        "cost": "free",
        "apply": {"url": "https://example.org/apply", "email": "intake@example.org"},
        "status": "published",
    }
    body = copy.deepcopy(body)
    body.update(changes)
    return body


def report_body(branch: int | str, **changes: Any) -> dict[str, Any]:
    """A valid quarterly report for `branch` (2025 Q1)."""
    body: dict[str, Any] = {
        "year": 2025,
        "quarter": 1,
        "branch": branch,
        "mentors_trained": 12,
        "mentors_active": 30,
        "mentors_aged_50_plus": 22,
        "young_people_enrolled": 41,
        "duos_started": 25,
        "duos_completed": 18,
        "outcomes": {"job": 7, "training": 5, "internship": 2, "dropped_out": 3, "not_reached": 1},
        "mentors_continuing_after_first_duo": 15,
    }
    body.update(changes)
    return body
