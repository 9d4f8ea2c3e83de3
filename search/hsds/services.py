"""The HSDS feed's queries: what the feed publishes, narrowed by its filters.

Only published programmes of admitted member organisations are shown
(`search.documents.searchable_programmes`). Statements are ordered by id, so that pages
are stable and the NDJSON export reads in batches after the last id.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import ColumnElement, Select, String, and_, cast, exists, func, or_, select
from sqlalchemy.orm import aliased, contains_eager, joinedload, selectinload

from coalition import postcodes
from coalition.extensions import db
from coalition.members.models import Organisation
from coalition.members.services import admitted_organisations
from coalition.programmes.models import Programme, ProgrammeLocation
from search.documents import searchable_clause, searchable_programmes
from search.geo import bounding_box
from search.hsds.ids import (
    TAXONOMIES_BY_UUID,
    TAXONOMY_FIELDS,
    TERMS_BY_UUID,
    programme_uuid_range,
    service_at_location_id,
)
from search.services import Visibility, find_programme

#: loads what a service-at-location document reads, with `published_places()`
PLACE_LOADING = (
    contains_eager(ProgrammeLocation.programme).contains_eager(Programme.organisation),
    joinedload(ProgrammeLocation.branch),
)


def contains_text(
    term: str, columns: tuple[Any, ...] = (), json_columns: tuple[Any, ...] = ()
) -> ColumnElement[bool]:
    """Whether one of `columns`, or of the per-language texts in `json_columns`, contains
    `term` without regard to case (LIKE, with `%` and `_` taken literally).

    JSON columns hold their text JSON-escaped (é as \\u00e9): they are compared in that form.
    """
    term = term.strip().lower()

    def pattern(text: str) -> str:
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return f"%{escaped}%"

    as_json = json.dumps(term)[1:-1]
    return or_(
        *(func.lower(cast(c, String)).like(pattern(as_json), escape="\\") for c in json_columns),
        *(func.lower(c).like(pattern(term), escape="\\") for c in columns),
    )


def published_programmes() -> Select:
    """Published programmes of admitted organisations, oldest first (stable paging)."""
    return (
        searchable_programmes()
        .options(
            joinedload(Programme.organisation),
            selectinload(Programme.locations).joinedload(ProgrammeLocation.branch),
        )
        .order_by(Programme.id)
    )


def check_taxonomy_filters(args: dict[str, Any]) -> None:
    """:raise ValidationError: when `taxonomy_term_id` or `taxonomy_id` names nothing known."""
    if args.get("taxonomy_term_id") and args["taxonomy_term_id"] not in TERMS_BY_UUID:
        raise ValidationError("Unknown taxonomy term.", "taxonomy_term_id")
    if args.get("taxonomy_id") and args["taxonomy_id"] not in TAXONOMIES_BY_UUID:
        raise ValidationError("Unknown taxonomy.", "taxonomy_id")


def filter_services(stmt: Select, args: dict[str, Any]) -> Select:
    """`stmt` (of programmes, or of their places) narrowed by the services' filters."""
    if args.get("search"):
        texts = (Programme.titles, Programme.summaries, Programme.descriptions)
        stmt = stmt.where(
            contains_text(args["search"], columns=(Organisation.name,), json_columns=texts)
        )
    if args.get("taxonomy_term_id"):
        vocabulary, code = TERMS_BY_UUID[args["taxonomy_term_id"]]
        column = getattr(Programme, TAXONOMY_FIELDS[vocabulary])
        stmt = stmt.where(cast(column, String).like(f'%"{code}"%'))
    if args.get("taxonomy_id"):
        # a service "contains a term of the taxonomy": its list of codes is not empty
        column = getattr(Programme, TAXONOMY_FIELDS[TAXONOMIES_BY_UUID[args["taxonomy_id"]]])
        stmt = stmt.where(cast(column, String).like('%"%'))
    if args.get("organization_id"):
        stmt = stmt.where(Organisation.uuid == args["organization_id"])
    if args.get("modified_after"):
        stmt = stmt.where(Programme.updated_at >= args["modified_after"])
    return stmt


def find_service(service_id: str) -> Programme | None:
    """The public programme with this id (a UUID), or None: the feed says 404 for what
    the programme page says is gone (410) as for what it does not show."""
    try:
        key = uuid.UUID(service_id)
    except ValueError:
        return None
    programme, visibility = find_programme(key)
    return programme if visibility is Visibility.public else None


def published_places() -> Select:
    """The places of published programmes of admitted organisations, oldest first; one per
    programme and postcode (the first), as `service_document` lists them."""
    earlier = aliased(ProgrammeLocation)
    same_place_before = exists().where(
        earlier.programme_id == ProgrammeLocation.programme_id,
        earlier.country == ProgrammeLocation.country,
        earlier.postcode == ProgrammeLocation.postcode,
        earlier.id < ProgrammeLocation.id,
    )
    return (
        select(ProgrammeLocation)
        .join(ProgrammeLocation.programme)
        .join(Programme.organisation)
        .where(searchable_clause(), ~same_place_before)
        .order_by(ProgrammeLocation.id)
    )


def filter_places(stmt: Select, args: dict[str, Any]) -> Select:
    """`stmt` of places narrowed by the services' filters, and to the postcode's area when
    a postcode is given without a `proximity`."""
    stmt = filter_services(stmt, args)
    place = args.get("place")
    if place is not None and args.get("proximity") is None:
        stmt = stmt.where(
            ProgrammeLocation.country == place.country,
            ProgrammeLocation.postcode == place.postcode,
        )
    return stmt


def nearest_places(stmt: Select, place: postcodes.Place, metres: float) -> list[int]:
    """Ids of the places `stmt` selects within `metres` of `place`'s centre, nearest first.

    A box around the centre narrows the rows in SQL; the distance itself is measured here
    (SQLite has no trigonometry), from the place's coordinates, else its postcode's.
    """
    km = metres / 1000
    south, north, west, east = bounding_box(place.latitude, place.longitude, km)
    lat, lon = ProgrammeLocation.latitude, ProgrammeLocation.longitude
    rows = db.session.execute(
        stmt.with_only_columns(
            ProgrammeLocation.id, lat, lon, ProgrammeLocation.postcode, ProgrammeLocation.country
        ).where(
            or_(
                lat.is_(None),
                lon.is_(None),
                and_(lat.between(south, north), lon.between(west, east)),
            )
        )
    )
    near = []
    for row in rows:
        point = (row.latitude, row.longitude)
        if None in point:
            known = postcodes.lookup(row.postcode, row.country)
            if known is None:
                continue
            point = (known.latitude, known.longitude)
        distance = postcodes.distance_km(place.latitude, place.longitude, *point)
        if distance <= km:
            near.append((distance, row.id))
    return [place_id for _, place_id in sorted(near)]


def places_by_id(ids: list[int]) -> list[ProgrammeLocation]:
    """The places with these ids, in this order."""
    stmt = published_places().where(ProgrammeLocation.id.in_(ids)).options(*PLACE_LOADING)
    found = {p.id: p for p in db.session.execute(stmt).unique().scalars()}
    return [found[i] for i in ids if i in found]


def find_service_at_location(sal_id: uuid.UUID) -> ProgrammeLocation | None:
    """The published place whose service-at-location id is `sal_id`, or None."""
    low, high = programme_uuid_range(sal_id)
    places = db.session.execute(
        published_places().where(Programme.uuid.between(low, high)).options(*PLACE_LOADING)
    )
    for place in places.unique().scalars():
        if service_at_location_id(place.programme, place) == sal_id:
            return place
    return None


def feed_organisations() -> Select:
    """The organisations the feed lists: admitted members, oldest first, with branches."""
    return (
        admitted_organisations()
        .options(selectinload(Organisation.branches))
        .order_by(Organisation.id)
    )


def search_organisations(stmt: Select, term: str | None) -> Select:
    """`stmt` of organisations narrowed to those whose name contains `term` (if given)."""
    return stmt.where(contains_text(term, columns=(Organisation.name,))) if term else stmt


def find_organization(organization_id: str) -> tuple[Organisation, list[Programme]] | None:
    """The member organisation with this id (a UUID) and its published programmes, or None."""
    try:
        key = uuid.UUID(organization_id)
    except ValueError:
        return None
    org = db.session.execute(feed_organisations().where(Organisation.uuid == key)).scalar()
    if org is None:
        return None
    programmes = db.session.execute(
        published_programmes().where(Programme.organisation_id == org.id)
    )
    return org, list(programmes.unique().scalars())
