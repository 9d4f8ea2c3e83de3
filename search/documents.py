"""The index document of a programme, built from the database (the source of truth)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from datetime import date
from types import SimpleNamespace
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.orm import selectinload

from coalition import postcodes, taxonomy
from coalition.extensions import db
from coalition.members.models import Organisation
from coalition.programmes.models import (
    Programme,
    ProgrammeLocation,
    ProgrammeStatus,
    stale_cutoff,
)
from search.analysis import LANGS
from search.places import place_names

#: stand-ins for an open age range, so that "age_min ≤ age ≤ age_max" is two range filters
AGE_FLOOR, AGE_CEILING = 0, 200
EPOCH = date(1970, 1, 1)
#: exact-match fields of the document (filters and facets), in both engines
KEYWORDS = (
    "theme",
    "audience",
    "format",
    "language",
    "cost",
    "capacity",
    "city",
    "city_key",
    "province",
    "org_slug",
    *("mentor_seeking", "mentor_field", "mentor_language", "mentor_online"),
)
#: what a mentor field holds for a programme that asks for no particular field or language
ANY_MENTOR = "any"
#: full-text fields of the document → (analyzer: a language of `LANGS` or "plain", boost)
#: title > summary > description > organisation name (the name weighs least: a word of a
#: one-word name would otherwise outrank the same word in a programme's title)
TEXT_FIELDS: dict[str, tuple[str, float]] = {"org": ("plain", 0.3)}
for _lang in LANGS:
    TEXT_FIELDS.update(
        {
            f"title_{_lang}": (_lang, 3.0),
            f"summary_{_lang}": (_lang, 2.0),
            f"description_{_lang}": (_lang, 1.0),
            f"tags_{_lang}": (_lang, 1.5),
        }
    )
#: the field of the names of a programme's places in every language (`place_names`): a
#: query word matches it exactly, never fuzzily (`search.spelling` says why), and weighs as
#: little as the organisation's name
PLACE_FIELD, PLACE_BOOST = "place_names", 0.3


def fresh_since(today: date | None = None) -> int:
    """The `confirmed_days` from which a programme counts as fresh (ranks higher): the
    day after the core's staleness cut-off, so that the index and `Programme.is_stale`
    agree on every programme."""
    return (stale_cutoff(today) - EPOCH).days + 1


def document_text(doc: Mapping[str, Any], name: str, lang: str) -> tuple[str, str]:
    """A text field of an index document (`title`, `summary`, …) in `lang`, else in the
    first of `LANGS` that has it, with the language it is in; ("", lang) if none has."""
    if doc.get(f"{name}_{lang}"):
        return doc[f"{name}_{lang}"], lang
    for other in LANGS:
        if doc.get(f"{name}_{other}"):
            return doc[f"{name}_{other}"], other
    return "", lang


def _labels(vocabulary: dict[str, dict[str, str]], codes: list[str], lang: str) -> list[str]:
    return [vocabulary[c].get(lang) or vocabulary[c]["en"] for c in codes if c in vocabulary]


def build_document(programme: Programme) -> dict[str, Any]:
    """The document indexed for a published programme (the same for both backends)."""
    org = programme.organisation
    doc: dict[str, Any] = {
        "id": programme.id,
        "uuid": str(programme.uuid),
        "org": " / ".join(dict.fromkeys([org.name, *(org.names or {}).values()])),
        "org_slug": org.slug,
        "theme": list(programme.themes or []),
        "audience": list(programme.audiences or []),
        "format": list(programme.formats or []),
        "language": list(programme.languages or []),
        "cost": programme.cost or "free",
        "capacity": str(programme.capacity_status),
        "age_min": programme.age_min if programme.age_min is not None else AGE_FLOOR,
        "age_max": programme.age_max if programme.age_max is not None else AGE_CEILING,
        "confirmed_days": (programme.confirmed_on - EPOCH).days,
        "published_ts": int(programme.published_at.timestamp()) if programme.published_at else 0,
    }
    for lang in LANGS:
        for name, texts in (
            ("title", programme.titles),
            ("summary", programme.summaries),
            ("description", programme.descriptions),
        ):
            doc[f"{name}_{lang}"] = (texts or {}).get(lang) or ""
        doc[f"tags_{lang}"] = " · ".join(
            _labels(taxonomy.THEMES, doc["theme"], lang)
            + _labels(taxonomy.AUDIENCES, doc["audience"], lang)
        )
    cities, city_keys, provinces, locations, names_typed = [], [], [], [], []
    for location in programme.locations:
        place = postcodes.lookup(location.postcode, location.country)
        if point := _point(location.latitude, location.longitude, place):
            locations.append(point)
        names = [location.city, *((place.city, *place.aliases) if place else ())]
        cities.append(location.city)
        names_typed.extend(place_names(location.city, place))
        city_keys.extend(postcodes.normalise_name(n) for n in names if n)
        if place and place.province:
            provinces.append(place.province)
    doc["city"] = list(dict.fromkeys(cities))
    doc["city_key"] = list(dict.fromkeys(city_keys))
    doc["province"] = list(dict.fromkeys(provinces))
    doc["locations"] = locations
    doc["place_names"] = list(dict.fromkeys(names_typed))
    doc["suggest"] = [t for t in (programme.titles or {}).values() if t] + [org.name]
    doc.update(mentor_fields(programme.mentor_needs, locations))
    return doc


def mentor_fields(
    needs: Mapping[str, Any] | None, locations: list[dict[str, float]]
) -> dict[str, Any]:
    """The document's fields of the mentor search: set only while the programme seeks
    mentors (`Programme.seeks_mentors`); a programme that names no field of experience
    or language takes any (`ANY_MENTOR`), and one that gives no time asks no minimum.

    `mentor_locations` are the places where mentors are needed — the postcodes the needs
    give, else the programme's own `locations`; `mentor_online` says that mentors may
    mentor online (the mentor search near a postcode finds it wherever it is)."""
    if not (needs and needs.get("seeking")):
        return {"mentor_needs": None, "mentor_minutes": 0, "mentor_locations": []}
    hours = needs.get("hours_per_week")
    return {
        "mentor_needs": dict(needs),
        "mentor_seeking": ["1"],
        "mentor_field": list(needs.get("experience_fields") or [ANY_MENTOR]),
        "mentor_language": list(needs.get("languages") or [ANY_MENTOR]),
        "mentor_minutes": round(hours * 60) if hours else 0,
        "mentor_locations": mentor_places(needs) or locations,
        "mentor_online": ["1"] if needs.get("online") else [],
    }


def mentor_places(needs: Mapping[str, Any]) -> list[dict[str, float]]:
    """The coordinates of the places the mentor needs give (stored with the needs, else
    the postcode's); a postcode the file does not know is left out."""
    points = []
    for location in needs.get("locations") or []:
        lat, lon = location.get("latitude"), location.get("longitude")
        place = None
        if lat is None or lon is None:
            place = postcodes.lookup(
                location.get("postcode") or "", location.get("country") or "BE"
            )
        if point := _point(lat, lon, place):
            points.append(point)
    return points


def _point(lat: Any, lon: Any, place: postcodes.Place | None) -> dict[str, float] | None:
    """A place's point: its stored coordinates, else its postcode's; None if neither."""
    if lat is None or lon is None:
        lat, lon = (place.latitude, place.longitude) if place else (None, None)
    return None if lat is None or lon is None else {"lat": float(lat), "lon": float(lon)}


def _query():
    return select(Programme).options(
        selectinload(Programme.locations), selectinload(Programme.organisation)
    )


def is_searchable(programme: Programme) -> bool:
    """Published, by an organisation the coalition admits (a suspended member's are hidden)."""
    return programme.status == ProgrammeStatus.published and programme.organisation.is_admitted


def searchable_clause() -> ColumnElement[bool]:
    """`is_searchable` in SQL, for a query that joins the programme's organisation."""
    return and_(Programme.status == ProgrammeStatus.published, Organisation.is_admitted)


def searchable_programmes() -> Select:
    """The programmes `is_searchable` admits, as a statement to narrow, load and order."""
    return select(Programme).join(Programme.organisation).where(searchable_clause())


def documents_for(ids: list[int]) -> tuple[list[dict[str, Any]], list[int]]:
    """Re-read programmes by id: documents of the searchable ones, ids of the others."""
    rows = db.session.execute(_query().where(Programme.id.in_(ids))).scalars().all()
    docs = [build_document(p) for p in rows if is_searchable(p)]
    published = {d["id"] for d in docs}
    return docs, [i for i in ids if i not in published]


def all_documents(batch: int = 2000) -> Iterator[dict[str, Any]]:
    """Every published programme's document, read in batches (for a full reindex).

    Reads plain rows rather than ORM objects: a reindex of 100,000 programmes spends most
    of its time here, and `build_document` needs only attribute access.
    """
    organisations = {
        o.id: o
        for o in db.session.execute(select(Organisation).where(Organisation.is_admitted)).scalars()
    }
    programmes, locations = Programme.__table__, ProgrammeLocation.__table__
    last = 0
    while True:
        rows = db.session.execute(
            select(programmes)
            .where(
                programmes.c.status == ProgrammeStatus.published,
                programmes.c.organisation_id.in_(list(organisations)),
                programmes.c.id > last,
            )
            .order_by(programmes.c.id)
            .limit(batch)
        ).all()
        if not rows:
            return
        ids = [row.id for row in rows]
        places: dict[int, list] = defaultdict(list)
        for place in db.session.execute(
            select(locations).where(locations.c.programme_id.in_(ids)).order_by(locations.c.id)
        ):
            places[place.programme_id].append(place)
        for row in rows:
            yield build_document(
                SimpleNamespace(
                    **row._mapping,
                    organisation=organisations[row.organisation_id],
                    locations=places[row.id],
                )
            )
        last = ids[-1]


def published_count() -> int:
    """How many programmes are published (what the index should hold)."""
    return db.session.execute(
        select(func.count()).select_from(searchable_programmes().subquery())
    ).scalar_one()
