"""A small directory of programmes whose content the contract tests know by heart
(`corpus.json`).

Built as transient model objects (no database needed) and turned into index documents by
`search.documents.build_document`, the same function the indexer uses.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from coalition import postcodes
from coalition.members.models import Organisation
from coalition.programmes.models import (
    CapacityStatus,
    Programme,
    ProgrammeLocation,
    ProgrammeStatus,
)
from search.documents import build_document

_CORPUS = json.loads((Path(__file__).parent / "corpus.json").read_text(encoding="utf-8"))
#: slug → (name, names per language)
ORGS: dict[str, tuple[str, dict[str, str]]] = {
    slug: (org["name"], org["names"]) for slug, org in _CORPUS["organisations"].items()
}
#: id → org (slug), titles, summaries, themes, audiences, formats, languages, ages
#: ([min, max], null: open), cost, capacity, places (postcodes), confirmed (days ago), and
#: for some what they ask of mentors (`mentor_needs`, as the programme stores it)
PROGRAMMES: dict[int, dict[str, Any]] = {
    int(pid): spec for pid, spec in _CORPUS["programmes"].items()
}
ALL_IDS = set(PROGRAMMES)
EPOCH_PUBLISHED = datetime(2026, 1, 1, tzinfo=UTC)


def make_programme(
    pid: int,
    spec: dict[str, Any],
    organisation: Organisation | None = None,
) -> Programme:
    """A programme of the corpus (transient unless added to a session)."""
    if organisation is None:
        name, names = ORGS[spec["org"]]
        organisation = Organisation(name=name, names=names, slug=spec["org"])
    programme = Programme(
        uuid=uuid.uuid5(uuid.NAMESPACE_URL, f"contract-{pid}"),
        organisation=organisation,
        titles=spec["titles"],
        summaries=spec["summaries"],
        descriptions={},
        themes=spec["themes"],
        audiences=spec["audiences"],
        formats=spec["formats"],
        languages=spec["languages"],
        age_min=spec["ages"][0],
        age_max=spec["ages"][1],
        cost=spec["cost"],
        capacity_status=CapacityStatus(spec["capacity"]),
        confirmed_on=date.today() - timedelta(days=spec["confirmed"]),
        status=ProgrammeStatus.published,
        published_at=EPOCH_PUBLISHED + timedelta(days=pid),
        mentor_needs=spec.get("mentor_needs"),
    )
    if pid:
        programme.id = pid
    for code in spec["places"]:
        place = postcodes.lookup(code)
        programme.locations.append(
            ProgrammeLocation(
                postcode=code,
                city=place.city,
                country="BE",
                latitude=place.latitude,
                longitude=place.longitude,
            )
        )
    return programme


def corpus_documents() -> list[dict[str, Any]]:
    """The index documents of the whole corpus."""
    return [build_document(make_programme(pid, spec)) for pid, spec in PROGRAMMES.items()]
