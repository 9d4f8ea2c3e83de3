"""Programme bodies and fixtures shared by the programme tests."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from coalition.branches.models import Branch

#: a valid programme body (the federation API's and the editor form's), as a member system
#: sends it
VALID_BODY: dict[str, Any] = json.loads(
    (Path(__file__).parent / "programme_body.json").read_text("utf-8")
)


def body(**changes: Any) -> dict[str, Any]:
    """A valid programme body with `changes` applied (None removes a key)."""
    return changed(VALID_BODY, changes)


def changed(data: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of `data` with `changes` applied (None removes a key)."""
    data = copy.deepcopy(data)
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
    add_molenbeek_branch(db, org)
    return org


def add_molenbeek_branch(db, org) -> Branch:
    """Give `org` a branch in Molenbeek (1080), where the test bodies' postcode is."""
    branch = Branch(
        organisation=org,
        name="Molenbeek",
        postcode="1080",
        city="Molenbeek-Saint-Jean",
        country="BE",
        latitude=50.855,
        longitude=4.32,
    )
    db.session.add(branch)
    db.session.flush()
    return branch
