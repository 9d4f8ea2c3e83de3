"""Impact fixtures: branches located by the branch service, reports sent through the one
service, with figures small enough to compute by hand."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from coalition.branches.services import add_branch
from coalition.impact.services import submit_report


def figures(**values: Any) -> dict[str, Any]:
    """A report's figures: every count 0 unless given; `outcomes` as a dict."""
    base = {
        "mentors_trained": 0,
        "mentors_active": 0,
        "mentors_aged_50_plus": 0,
        "young_people_enrolled": 0,
        "duos_started": 0,
        "duos_completed": 0,
        "mentors_continuing_after_first_duo": 0,
        "outcomes": {},
    }
    base.update(values)
    return base


@pytest.fixture
def branch_of(db) -> Callable[..., Any]:
    def make(org, postcode: str = "1080", country: str = "BE", **details: Any):
        return add_branch(
            org, None, name=f"{org.name} {postcode}", postcode=postcode, country=country, **details
        )

    return make


@pytest.fixture
def reported(app: Flask, db, make_org, branch_of) -> dict[str, Any]:
    """Two organisations, three branches (Molenbeek, Gent, Hasselt), four reports.

    Hand sums: young people enrolled 40 + 7 + 20 + 3 = 70 (2025-Q3: 40, 2025-Q4: 7 + 3 = 10,
    2026-Q1: 20); duos started 9 + 2 + 10 + 0 = 21; duos completed 10 + 6 + 0 + 0 = 16;
    continuing 8 + 4 = 12 (75.0 %); mentors trained 12 + 5 + 3 + 1 = 21.
    """
    a, b = make_org("Duo Brussel"), make_org("Mentor Limburg")
    molenbeek, gent = branch_of(a, "1080"), branch_of(a, "9000")
    hasselt = branch_of(b, "3500")
    with app.test_request_context("/en/"):
        submit_report(a, molenbeek, 2025, 3, figures(
            mentors_trained=12, mentors_active=20, mentors_aged_50_plus=15,
            young_people_enrolled=40, duos_started=9, duos_completed=10,
            mentors_continuing_after_first_duo=8, outcomes={"job": 6, "training": 3},
        ))  # fmt: skip
        submit_report(a, gent, 2025, 4, figures(
            mentors_trained=5, mentors_active=8, mentors_aged_50_plus=6,
            young_people_enrolled=7, duos_started=2, duos_completed=6,
            mentors_continuing_after_first_duo=4, outcomes={"job": 2},
        ))  # fmt: skip
        submit_report(b, hasselt, 2026, 1, figures(
            mentors_trained=3, mentors_active=12, mentors_aged_50_plus=9,
            young_people_enrolled=20, duos_started=10,
        ))  # fmt: skip
        submit_report(b, hasselt, 2025, 4, figures(
            mentors_trained=1, mentors_active=3, mentors_aged_50_plus=3, young_people_enrolled=3,
        ))  # fmt: skip
    db.session.flush()
    return {"a": a, "b": b, "molenbeek": molenbeek, "gent": gent, "hasselt": hasselt}
