"""Bodies and small helpers shared by the machine-API tests."""

from __future__ import annotations

import copy
from typing import Any

from examples.member_client import EXAMPLE_PROGRAMME

API = "/federation/v1"


def programme_body(**changes: Any) -> dict[str, Any]:
    """A valid programme body as a member system would send it (the example client's)."""
    body = copy.deepcopy(EXAMPLE_PROGRAMME)
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
