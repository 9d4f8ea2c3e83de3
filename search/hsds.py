"""The directory as an Open Referral HSDS 3.0 feed under `/hsds/` (no language prefix).

Only published programmes of admitted member organisations are shown. Texts come in the
language of the `lang` parameter (French by default), else in any language the record has.
Every id is a UUID: `Programme.uuid`, `Organisation.uuid`, `coalition.taxonomy.term_uuid`,
ids derived from them with `uuid5` for the nested objects, and `service_at_location_id` for a
programme at one of its places.
"""

from __future__ import annotations

import hashlib
import json
import math
import uuid
from collections.abc import Iterator
from typing import Any

from flask import Blueprint, Response, abort, current_app, request, stream_with_context, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError
from sqlalchemy import Select, String, and_, cast, exists, func, or_, select
from sqlalchemy.orm import aliased, contains_eager, joinedload, selectinload

from coalition import postcodes, taxonomy
from coalition.errors import problem
from coalition.extensions import db
from coalition.models import Organisation, Programme, ProgrammeLocation
from search.documents import searchable_clause
from search.schemas import (
    HSDS_MAX_PER_PAGE,
    MinimalServiceSchema,
    OrganizationListSchema,
    OrganizationSchema,
    PageSchema,
    PagingQuerySchema,
    ServiceAtLocationListSchema,
    ServiceAtLocationSchema,
    ServiceAtLocationsQuerySchema,
    ServiceListSchema,
    ServiceSchema,
    ServicesQuerySchema,
    TaxonomySchema,
    TaxonomyTermSchema,
    TaxonomyTermsQuerySchema,
)

bp = Blueprint("hsds", __name__)

HSDS_VERSION = "3.0"
HSDS_PROFILE = "https://docs.openreferral.org/en/3.0/"
#: the vocabularies published as HSDS taxonomies, and the programme field holding their codes
TAXONOMY_FIELDS = {"theme": "themes", "audience": "audiences", "format": "formats"}
NDJSON_BATCH = 200


def taxonomy_uuid(vocabulary: str) -> uuid.UUID:
    """The stable UUID of one of the platform's vocabularies as an HSDS taxonomy."""
    return uuid.uuid5(taxonomy.TAXONOMY_NAMESPACE, f"taxonomy:{vocabulary}")


def _child_id(parent: uuid.UUID, *parts: object) -> str:
    return str(uuid.uuid5(parent, ":".join(str(p) for p in parts)))


#: every published taxonomy term by its UUID
TERMS_BY_UUID: dict[uuid.UUID, tuple[str, str]] = {
    taxonomy.term_uuid(vocabulary, code): (vocabulary, code)
    for vocabulary in TAXONOMY_FIELDS
    for code in taxonomy.VOCABULARIES[vocabulary]
}
#: every published taxonomy (vocabulary) by its UUID
TAXONOMIES_BY_UUID: dict[uuid.UUID, str] = {taxonomy_uuid(v): v for v in TAXONOMY_FIELDS}


def service_at_location_id(programme: Programme, location: ProgrammeLocation) -> uuid.UUID:
    """The stable id of a programme at one of its places (a country and a postcode).

    A UUIDv8 (RFC 9562, custom layout): the first 48 bits are the programme's UUID's, so that
    `GET /hsds/service_at_locations/{id}` finds the programme through an index range; the
    rest hashes the programme and the place, so the id outlives edits that keep the place.
    """
    place = f"{programme.uuid}:{location.country}:{location.postcode}".encode()
    raw = bytearray(programme.uuid.bytes[:6] + hashlib.sha256(place).digest()[:10])
    raw[6] = 0x80 | (raw[6] & 0x0F)  # version 8
    raw[8] = 0x80 | (raw[8] & 0x3F)  # RFC 9562 variant
    return uuid.UUID(bytes=bytes(raw))


def _programme_uuid_range(sal_id: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
    """The programme UUIDs a service-at-location id can come from (their first 48 bits)."""
    prefix = sal_id.bytes[:6]
    return uuid.UUID(bytes=prefix + b"\x00" * 10), uuid.UUID(bytes=prefix + b"\xff" * 10)


def province_of(postcode: str, country: str) -> str:
    """The province (state) of a postcode, from the vendored postcode file; "" if unknown."""
    place = postcodes.lookup(postcode, country=country)
    return place.province if place else ""


# --- building the documents -------------------------------------------------------------


def taxonomy_document(vocabulary: str, lang: str) -> dict[str, Any]:
    """An HSDS `taxonomy` for one of the platform's vocabularies."""
    with force_locale(lang):
        names = {
            "theme": (_("Themes"), _("What a programme helps young people with.")),
            "audience": (_("Target groups"), _("Who a programme is meant for.")),
            "format": (_("Formats"), _("How the mentoring takes place.")),
        }
    name, description = names[vocabulary]
    return {
        "id": str(taxonomy_uuid(vocabulary)),
        "name": name,
        "description": description,
        "version": "1",
    }


def term_document(vocabulary: str, code: str, lang: str) -> dict[str, Any]:
    """An HSDS `taxonomy_term` with its taxonomy."""
    name = taxonomy.label(vocabulary, code, lang)
    labels = taxonomy.VOCABULARIES[vocabulary][code]
    return {
        "id": str(taxonomy.term_uuid(vocabulary, code)),
        "code": code,
        "name": name,
        "description": " / ".join(labels[lg] for lg in ("fr", "nl", "en") if lg in labels),
        "taxonomy": vocabulary,
        "taxonomy_id": str(taxonomy_uuid(vocabulary)),
        "taxonomy_detail": taxonomy_document(vocabulary, lang),
        "language": lang,
    }


def organization_list_document(org: Organisation, lang: str) -> dict[str, Any]:
    """An organisation with its one-to-one fields."""
    others = sorted({n for n in (org.names or {}).values() if n and n != org.display_name(lang)})
    return {
        "id": str(org.uuid),
        "name": org.display_name(lang),
        "alternate_name": " / ".join(others) or None,
        "description": org.description(lang),
        "email": org.email,
        "website": org.website,
        "uri": _public_url("coalition.member", lang, slug=org.slug),
    }


def _public_url(endpoint: str, lang: str, **values: Any) -> str | None:
    if endpoint not in current_app.view_functions:
        return None
    return current_app.config["PUBLIC_URL"] + url_for(endpoint, lang_code=lang, **values)


def _apply_text(programme: Programme) -> str | None:
    parts = [programme.apply_url, programme.apply_email, programme.apply_phone]
    return " · ".join(p for p in parts if p) or None


def _location_document(programme: Programme, location: ProgrammeLocation) -> dict[str, Any]:
    """A programme's place as an HSDS location with its address."""
    location_id = _child_id(programme.uuid, "location", location.id)
    branch = location.branch
    return {
        "id": location_id,
        "location_type": "physical",
        "organization_id": str(programme.organisation.uuid),
        "name": branch.name if branch else location.city,
        "latitude": location.latitude,
        "longitude": location.longitude,
        "addresses": [
            {
                "id": _child_id(programme.uuid, "address", location.id),
                "location_id": location_id,
                "address_1": (branch.address if branch and branch.address else location.city),
                "city": location.city,
                "state_province": province_of(location.postcode, location.country),
                "postal_code": location.postcode,
                "country": location.country,
                "address_type": "physical",
            }
        ],
    }


def service_list_document(programme: Programme, lang: str) -> dict[str, Any]:
    """A programme as an HSDS service with its one-to-one fields."""
    org = programme.organisation
    title = programme.text("titles", lang)
    others = sorted({t for t in (programme.titles or {}).values() if t and t != title})
    ages = [a for a in (programme.age_min, programme.age_max) if a is not None]
    audiences = ", ".join(taxonomy.label("audience", c, lang) for c in programme.audiences)
    return {
        "id": str(programme.uuid),
        "organization_id": str(org.uuid),
        "name": title,
        "alternate_name": " / ".join(others) or None,
        "description": programme.text("descriptions", lang) or programme.text("summaries", lang),
        "url": _public_url("search.programme", lang, programme_uuid=programme.uuid),
        "email": programme.apply_email,
        "status": "active",
        "application_process": _apply_text(programme),
        "fees_description": taxonomy.label("cost", programme.cost, lang),
        "wait_time": taxonomy.label("capacity", programme.capacity_status.value, lang),
        "eligibility_description": audiences or None,
        "minimum_age": programme.age_min,
        "maximum_age": programme.age_max if ages else None,
        "assured_date": programme.confirmed_on.isoformat() if programme.confirmed_on else None,
        "last_modified": programme.updated_at.isoformat() if programme.updated_at else None,
        "organization": organization_list_document(org, lang),
    }


def service_document(programme: Programme, lang: str) -> dict[str, Any]:
    """A programme as a fully nested HSDS service."""
    document = _service_details(programme, lang)
    document["service_at_locations"] = []
    seen: set[str] = set()
    for location in programme.locations:
        place = _service_at_location_ids(programme, location)
        if place["id"] in seen:  # a second location at the same postcode adds nothing
            continue
        seen.add(place["id"])
        document["service_at_locations"].append(
            {**place, "location": _location_document(programme, location)}
        )
    return document


def _service_at_location_ids(programme: Programme, location: ProgrammeLocation) -> dict:
    return {
        "id": str(service_at_location_id(programme, location)),
        "service_id": str(programme.uuid),
        "location_id": _child_id(programme.uuid, "location", location.id),
    }


def service_at_location_list_document(location: ProgrammeLocation, lang: str) -> dict:
    """A programme at one of its places, with the one-to-one fields of both."""
    programme = location.programme
    return {
        **_service_at_location_ids(programme, location),
        "location": _location_document(programme, location),
        "service": service_list_document(programme, lang),
    }


def service_at_location_document(location: ProgrammeLocation, lang: str) -> dict:
    """A programme at one of its places, fully nested (the service without its places)."""
    programme = location.programme
    return {
        **_service_at_location_ids(programme, location),
        "location": _location_document(programme, location),
        "service": _service_details(programme, lang),
    }


def _service_details(programme: Programme, lang: str) -> dict[str, Any]:
    """A programme as a nested HSDS service, but for its `service_at_locations`."""
    service_id = str(programme.uuid)
    document = service_list_document(programme, lang)
    document["phones"] = (
        [
            {
                "id": _child_id(programme.uuid, "phone"),
                "service_id": service_id,
                "number": programme.apply_phone,
                "type": "voice",
            }
        ]
        if programme.apply_phone
        else []
    )
    document["service_areas"] = (
        [
            {
                "id": _child_id(programme.uuid, "area", programme.online_region),
                "service_id": service_id,
                "name": programme.online_region,
                "description": taxonomy.label("format", "online", lang),
            }
        ]
        if programme.online_region
        else []
    )
    document["languages"] = [
        {
            "id": _child_id(programme.uuid, "language", code),
            "service_id": service_id,
            "name": taxonomy.label("language", code, lang),
            "code": code,
        }
        for code in programme.languages
    ]
    document["attributes"] = [
        {
            "id": _child_id(programme.uuid, "attribute", vocabulary, code),
            "link_id": service_id,
            "link_type": vocabulary,
            "link_entity": "service",
            "taxonomy_term_id": str(taxonomy.term_uuid(vocabulary, code)),
            "taxonomy_term": term_document(vocabulary, code, lang),
        }
        for vocabulary, field in TAXONOMY_FIELDS.items()
        for code in getattr(programme, field)
        if code in taxonomy.VOCABULARIES[vocabulary]
    ]
    return document


def organization_document(org: Organisation, programmes: list[Programme], lang: str) -> dict:
    """An organisation, fully nested: its branches as locations and its services."""
    document = organization_list_document(org, lang)
    document["locations"] = [
        {
            "id": str(branch.uuid),
            "location_type": "physical",
            "organization_id": str(org.uuid),
            "name": branch.name,
            "latitude": branch.latitude,
            "longitude": branch.longitude,
            "addresses": [
                {
                    "id": _child_id(branch.uuid, "address"),
                    "location_id": str(branch.uuid),
                    "address_1": branch.address or branch.city,
                    "city": branch.city,
                    "state_province": province_of(branch.postcode, branch.country),
                    "postal_code": branch.postcode,
                    "country": branch.country,
                    "address_type": "physical",
                }
            ],
        }
        for branch in org.branches
    ]
    document["services"] = [service_list_document(p, lang) for p in programmes]
    return document


# --- queries ----------------------------------------------------------------------------


def published_programmes() -> Select:
    """Published programmes of admitted organisations, oldest first (stable paging)."""
    return (
        select(Programme)
        .join(Programme.organisation)
        .where(searchable_clause())
        .options(
            joinedload(Programme.organisation),
            selectinload(Programme.locations).joinedload(ProgrammeLocation.branch),
        )
        .order_by(Programme.id)
    )


def _like(term: str) -> str:
    escaped = term.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _filter_services(stmt: Select, args: dict[str, Any]) -> Select:
    if args.get("search"):
        term = args["search"].strip()
        # JSON columns hold their text JSON-escaped (é as \u00e9): compare in that form too.
        as_json = json.dumps(term.lower())[1:-1]
        text_columns = [
            cast(c, String) for c in (Programme.titles, Programme.summaries, Programme.descriptions)
        ]
        stmt = stmt.where(
            or_(
                *(func.lower(c).like(_like(as_json), escape="\\") for c in text_columns),
                func.lower(Organisation.name).like(_like(term), escape="\\"),
            )
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


def _check_taxonomy_filters(args: dict[str, Any]) -> None:
    """:raise ValidationError: when `taxonomy_term_id` or `taxonomy_id` names nothing known."""
    if args.get("taxonomy_term_id") and args["taxonomy_term_id"] not in TERMS_BY_UUID:
        raise ValidationError("Unknown taxonomy term.", "taxonomy_term_id")
    if args.get("taxonomy_id") and args["taxonomy_id"] not in TAXONOMIES_BY_UUID:
        raise ValidationError("Unknown taxonomy.", "taxonomy_id")


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


#: loads what a service-at-location document reads, with `published_places()`
PLACE_LOADING = (
    contains_eager(ProgrammeLocation.programme).contains_eager(Programme.organisation),
    joinedload(ProgrammeLocation.branch),
)


def _filter_places(stmt: Select, args: dict[str, Any]) -> Select:
    stmt = _filter_services(stmt, args)
    place = args.get("place")
    if place is not None and args.get("proximity") is None:
        stmt = stmt.where(
            ProgrammeLocation.country == place.country,
            ProgrammeLocation.postcode == place.postcode,
        )
    return stmt


def _nearest_places(stmt: Select, place: postcodes.Place, metres: float) -> list[int]:
    """Ids of the places `stmt` selects within `metres` of `place`'s centre, nearest first.

    A box around the centre narrows the rows in SQL; the distance itself is measured here
    (SQLite has no trigonometry), from the place's coordinates, else its postcode's.
    """
    km = metres / 1000
    dlat = km / 111.0
    dlon = km / (111.32 * max(math.cos(math.radians(place.latitude)), 0.01))
    lat, lon = ProgrammeLocation.latitude, ProgrammeLocation.longitude
    rows = db.session.execute(
        stmt.with_only_columns(
            ProgrammeLocation.id, lat, lon, ProgrammeLocation.postcode, ProgrammeLocation.country
        ).where(
            or_(
                lat.is_(None),
                lon.is_(None),
                and_(
                    lat.between(place.latitude - dlat, place.latitude + dlat),
                    lon.between(place.longitude - dlon, place.longitude + dlon),
                ),
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


def _places_by_id(ids: list[int]) -> list[ProgrammeLocation]:
    """The places with these ids, in this order."""
    stmt = published_places().where(ProgrammeLocation.id.in_(ids)).options(*PLACE_LOADING)
    found = {p.id: p for p in db.session.execute(stmt).unique().scalars()}
    return [found[i] for i in ids if i in found]


def admitted_organisations() -> Select:
    """Admitted member organisations, oldest first."""
    return (
        select(Organisation)
        .where(Organisation.admitted_at.is_not(None))
        .options(selectinload(Organisation.branches))
        .order_by(Organisation.id)
    )


# --- responses --------------------------------------------------------------------------


def _load_args(schema: Schema) -> dict[str, Any]:
    """The query parameters, validated; `per_page` capped, `lang` defaulted."""
    args = schema.load(request.args)
    args["per_page"] = min(args["per_page"], HSDS_MAX_PER_PAGE)
    args.setdefault("lang", current_app.config["BABEL_DEFAULT_LOCALE"])
    return args


def _bad_parameters(error: ValidationError) -> Response:
    messages = error.messages if isinstance(error.messages, dict) else {"": error.messages}
    errors = [
        {
            "pointer": f"/{name}",
            "detail": " ".join(map(str, detail)) if isinstance(detail, list) else str(detail),
        }
        for name, detail in messages.items()
    ]
    return problem(
        400,
        "Invalid query parameters",
        "One or more query parameters are not valid.",
        errors=errors,
    )


def _page(stmt: Select, args: dict[str, Any], dump) -> Response:
    total = db.session.execute(
        select(func.count()).select_from(stmt.order_by(None).subquery())
    ).scalar_one()
    per_page, page = args["per_page"], args["page"]
    rows = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).unique().scalars()
    contents = [dump(row) for row in rows]
    return _envelope(total, page, per_page, contents)


def _envelope(total: int, page: int, per_page: int, contents: list[Any]) -> Response:
    total_pages = math.ceil(total / per_page)
    body = PageSchema().dump(
        {
            "total_items": total,
            "total_pages": total_pages,
            "page_number": page,
            "size": len(contents),
            "first_page": page == 1,
            "last_page": page >= total_pages,
            "empty": not contents,
            "contents": contents,
        }
    )
    return Response(json.dumps(body, ensure_ascii=False), mimetype="application/json")


def _ndjson(stmt: Select, dump, id_column=Programme.id) -> Response:
    """Every matching item, one JSON document per line, read from the database in batches
    (`stmt` is ordered by `id_column`)."""

    def batches() -> Iterator[list[Any]]:
        last_id = 0
        while True:
            batch = (
                db.session.execute(stmt.where(id_column > last_id).limit(NDJSON_BATCH))
                .unique()
                .scalars()
                .all()
            )
            yield batch
            if len(batch) < NDJSON_BATCH:
                return
            last_id = batch[-1].id

    return _ndjson_response(batches(), dump)


def _ndjson_response(batches: Iterator[list[Any]], dump) -> Response:
    def lines() -> Iterator[str]:
        for batch in batches:
            for item in batch:
                yield json.dumps(dump(item), ensure_ascii=False) + "\n"

    return Response(stream_with_context(lines()), mimetype="application/x-ndjson")


@bp.after_request
def allow_any_origin(response: Response) -> Response:
    """The feed is public open data: any site may read it."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.errorhandler(ValidationError)
def handle_bad_parameters(error: ValidationError) -> Response:
    return _bad_parameters(error)


@bp.get("/")
def api_info():
    """What this API is and which HSDS version it speaks."""
    base = current_app.config["PUBLIC_URL"]
    return {
        "version": HSDS_VERSION,
        "profile": HSDS_PROFILE,
        "openapi_url": "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json",
        "services_url": base + url_for("hsds.services"),
        "organizations_url": base + url_for("hsds.organizations"),
        "taxonomies_url": base + url_for("hsds.taxonomies"),
        "taxonomy_terms_url": base + url_for("hsds.taxonomy_terms"),
        "service_at_locations_url": base + url_for("hsds.service_at_locations"),
    }


@bp.get("/services")
def services():
    """Published programmes as HSDS services: a `Page`, or every one as NDJSON."""
    args = _load_args(ServicesQuerySchema())
    _check_taxonomy_filters(args)
    stmt = _filter_services(published_programmes(), args)
    lang = args["lang"]
    if args["minimal"]:
        schema, build = MinimalServiceSchema(), service_list_document
    elif args["format"] == "ndjson":
        schema, build = ServiceSchema(), service_document
    else:
        schema, build = ServiceListSchema(), service_list_document

    def dump(programme: Programme) -> dict[str, Any]:
        return schema.dump(build(programme, lang))

    if args["format"] == "ndjson":
        return _ndjson(stmt, dump)
    return _page(stmt, args, dump)


@bp.get("/services/<service_id>")
def service(service_id: str):
    """One published programme as a fully nested HSDS service."""
    lang = _load_args(PagingQuerySchema())["lang"]
    programme = _published_programme(service_id)
    return ServiceSchema().dump(service_document(programme, lang))


def _published_programme(service_id: str) -> Programme:
    try:
        key = uuid.UUID(service_id)
    except ValueError:
        key = None
    programme = None
    if key is not None:
        programme = (
            db.session.execute(published_programmes().where(Programme.uuid == key))
            .unique()
            .scalar_one_or_none()
        )
    if programme is None:
        abort(404)
    return programme


@bp.get("/service_at_locations")
def service_at_locations():
    """Published programmes at each of their places: a `Page`, or every one as NDJSON."""
    args = _load_args(ServiceAtLocationsQuerySchema())
    _check_taxonomy_filters(args)
    lang = args["lang"]
    if args["full"] or args["format"] == "ndjson":
        schema, build = ServiceAtLocationSchema(), service_at_location_document
    else:
        schema, build = ServiceAtLocationListSchema(), service_at_location_list_document

    def dump(location: ProgrammeLocation) -> dict[str, Any]:
        return schema.dump(build(location, lang))

    stmt = _filter_places(published_places(), args)
    if args.get("proximity") is None:
        stmt = stmt.options(*PLACE_LOADING)
        if args["format"] == "ndjson":
            return _ndjson(stmt, dump, ProgrammeLocation.id)
        return _page(stmt, args, dump)
    ids = _nearest_places(stmt, args["place"], args["proximity"])
    if args["format"] == "ndjson":
        batches = (
            _places_by_id(ids[i : i + NDJSON_BATCH]) for i in range(0, len(ids), NDJSON_BATCH)
        )
        return _ndjson_response(batches, dump)
    page, per_page = args["page"], args["per_page"]
    rows = _places_by_id(ids[(page - 1) * per_page : page * per_page])
    return _envelope(len(ids), page, per_page, [dump(row) for row in rows])


@bp.get("/service_at_locations/<sal_id>")
def service_at_location(sal_id: str):
    """One published programme at one of its places, fully nested."""
    lang = _load_args(PagingQuerySchema())["lang"]
    key = _uuid_or_404(sal_id)
    low, high = _programme_uuid_range(key)
    places = (
        db.session.execute(
            published_places().where(Programme.uuid.between(low, high)).options(*PLACE_LOADING)
        )
        .unique()
        .scalars()
    )
    for place in places:
        if service_at_location_id(place.programme, place) == key:
            return ServiceAtLocationSchema().dump(service_at_location_document(place, lang))
    abort(404)


@bp.get("/organizations")
def organizations():
    """Admitted member organisations, as a `Page`."""
    args = _load_args(PagingQuerySchema())
    stmt = admitted_organisations()
    if args.get("search"):
        stmt = stmt.where(
            func.lower(Organisation.name).like(_like(args["search"].strip()), escape="\\")
        )
    schema = OrganizationListSchema()

    def dump(org: Organisation) -> dict[str, Any]:
        return schema.dump(organization_list_document(org, args["lang"]))

    if args["format"] == "ndjson":
        return _ndjson(stmt, dump, Organisation.id)
    return _page(stmt, args, dump)


@bp.get("/organizations/<organization_id>")
def organization(organization_id: str):
    """One member organisation with its branches and published programmes."""
    lang = _load_args(PagingQuerySchema())["lang"]
    try:
        key = uuid.UUID(organization_id)
    except ValueError:
        abort(404)
    org = db.session.execute(admitted_organisations().where(Organisation.uuid == key)).scalar()
    if org is None:
        abort(404)
    programmes = (
        db.session.execute(published_programmes().where(Programme.organisation_id == org.id))
        .unique()
        .scalars()
        .all()
    )
    return OrganizationSchema().dump(organization_document(org, list(programmes), lang))


@bp.get("/taxonomies")
def taxonomies():
    """The vocabularies that classify the services."""
    args = _load_args(PagingQuerySchema())
    schema = TaxonomySchema()
    items = [schema.dump(taxonomy_document(v, args["lang"])) for v in TAXONOMY_FIELDS]
    return _list_page(items, args)


@bp.get("/taxonomy_terms")
def taxonomy_terms():
    """The terms of every vocabulary, optionally of one taxonomy (`taxonomy_id`)."""
    args = _load_args(TaxonomyTermsQuerySchema())
    schema = TaxonomyTermSchema()
    wanted = args.get("taxonomy_id")
    items = [
        schema.dump(term_document(vocabulary, code, args["lang"]))
        for vocabulary in TAXONOMY_FIELDS
        if wanted is None or taxonomy_uuid(vocabulary) == wanted
        for code in taxonomy.VOCABULARIES[vocabulary]
    ]
    if args.get("search"):
        needle = args["search"].strip().lower()
        items = [i for i in items if needle in i["name"].lower() or needle in i["code"]]
    return _list_page(items, args)


@bp.get("/taxonomies/<taxonomy_id>")
def taxonomy_by_id(taxonomy_id: str):
    """One of the vocabularies that classify the services."""
    lang = _load_args(PagingQuerySchema())["lang"]
    vocabulary = _known_or_404(TAXONOMIES_BY_UUID, taxonomy_id)
    return TaxonomySchema().dump(taxonomy_document(vocabulary, lang))


@bp.get("/taxonomy_terms/<term_id>")
def taxonomy_term(term_id: str):
    """One term of a vocabulary, with its taxonomy."""
    lang = _load_args(PagingQuerySchema())["lang"]
    term = _known_or_404(TERMS_BY_UUID, term_id)
    return TaxonomyTermSchema().dump(term_document(*term, lang))


def _known_or_404(known: dict[uuid.UUID, Any], text: str) -> Any:
    """What `known` holds under the UUID `text`; 404 for another or a malformed id."""
    found = known.get(_uuid_or_404(text))
    if found is None:
        abort(404)
    return found


def _uuid_or_404(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        abort(404)


def _list_page(items: list[dict[str, Any]], args: dict[str, Any]) -> Response:
    page, per_page = args["page"], args["per_page"]
    contents = items[(page - 1) * per_page : page * per_page]
    if args["format"] == "ndjson":
        body = "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items)
        return Response(body, mimetype="application/x-ndjson")
    return _envelope(len(items), page, per_page, contents)
