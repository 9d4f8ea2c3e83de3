"""Programme bodies and fixtures shared by the programme tests."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from coalition.branches.models import Branch

VALID_BODY: dict[str, Any] = {
    "title": {"fr": "Mentorat vers l'emploi", "nl": "Mentoring naar werk"},
    "summary": {"fr": "Un mentor de plus de 50 ans pendant six mois."},
    "description": {"en": "A mentor aged 50+ meets the young person every week."},
    "themes": ["employment"],
    "audiences": ["newcomers", "neet"],
    "age_min": 18,
    "age_max": 30,
    "formats": ["one_to_one"],
    "languages": ["fr", "ar"],
    "locations": [{"postcode": "1080", "country": "BE"}],
    "capacity": {"status": "open", "places": 12},
    "cost": "free",
    "apply": {
        "url": "https://example.org/apply",
        "email": "intake@example.org",
        "phone": "+32 2 123 45 67",
    },
}


def body(**changes: Any) -> dict[str, Any]:
    """A valid programme body with `changes` applied (None removes a key)."""
    data = copy.deepcopy(VALID_BODY)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


@pytest.fixture
def org_with_branch(make_org, db):
    """An organisation with a branch in Molenbeek (1080)."""
    org = make_org("Duo for a Job Test")
    db.session.add(
        Branch(
            organisation=org,
            name="Molenbeek",
            postcode="1080",
            city="Molenbeek-Saint-Jean",
            country="BE",
            latitude=50.855,
            longitude=4.32,
        )
    )
    db.session.flush()
    return org
