"""The directory as an Open Referral HSDS 3.0 feed under `/hsds/` (no language prefix).

Thin handlers: validate the query (`search.hsds.schemas`), query (`search.hsds.services`),
build the documents (`search.hsds.documents`) and dump them, one page at a time in the
HSDS `Page` envelope or every item as NDJSON.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any, TypeVar

from flask import Blueprint, Response, abort, current_app, request, stream_with_context, url_for
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError
from sqlalchemy import Select

from coalition import taxonomy
from coalition.errors import problem
from coalition.extensions import db
from coalition.members.models import Organisation
from coalition.paging import Page, page_of, paginate
from coalition.programmes.models import Programme, ProgrammeLocation
from search.hsds.documents import (
    organization_document,
    organization_list_document,
    service_at_location_document,
    service_at_location_list_document,
    service_document,
    service_list_document,
    taxonomy_document,
    term_document,
)
from search.hsds.ids import TAXONOMIES_BY_UUID, TAXONOMY_FIELDS, TERMS_BY_UUID, taxonomy_uuid
from search.hsds.schemas import (
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
from search.hsds.services import (
    PLACE_LOADING,
    check_taxonomy_filters,
    feed_organisations,
    filter_places,
    filter_services,
    find_organization,
    find_service,
    find_service_at_location,
    nearest_places,
    places_by_id,
    published_places,
    published_programmes,
    search_organisations,
)

bp = Blueprint("hsds", __name__)

HSDS_VERSION = "3.0"
HSDS_PROFILE = "https://docs.openreferral.org/en/3.0/"
NDJSON_BATCH = 200
PAGE = PageSchema()

Dump = Callable[[Any], dict[str, Any]]
T = TypeVar("T")


# --- responses --------------------------------------------------------------------------


def _load_args(schema: Schema) -> dict[str, Any]:
    """The query parameters, validated; `per_page` capped, `lang` defaulted."""
    args = schema.load(request.args)
    args["per_page"] = min(args["per_page"], HSDS_MAX_PER_PAGE)
    args.setdefault("lang", current_app.config["BABEL_DEFAULT_LOCALE"])
    return args


def _language() -> str:
    """The `lang` parameter of a request for one object (the paging ones are ignored)."""
    return _load_args(PagingQuerySchema())["lang"]


def _envelope(page: Page[Any], dump: Dump) -> Response:
    """One page of items, dumped, in the HSDS `Page` envelope."""
    body = PAGE.dump(replace(page, items=[dump(item) for item in page.items]))
    return Response(json.dumps(body, ensure_ascii=False), mimetype="application/json")


def _dumper(schema: Schema, build: Callable[[Any, str], dict[str, Any]], lang: str) -> Dump:
    """Build an item's document in `lang` and dump it through `schema`."""
    return lambda item: schema.dump(build(item, lang))


def _listing(stmt: Select, args: dict[str, Any], dump: Dump, id_column=Programme.id) -> Response:
    """What `stmt` selects (ordered by `id_column`): a `Page` of it, or all of it as NDJSON."""
    if args["format"] == "ndjson":
        return _ndjson(stmt, dump, id_column)
    return _envelope(paginate(stmt, args["page"], args["per_page"], unique=True), dump)


def _ndjson(stmt: Select, dump: Dump, id_column=Programme.id) -> Response:
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


def _ndjson_response(batches: Iterator[list[Any]], dump: Dump) -> Response:
    def lines() -> Iterator[str]:
        for batch in batches:
            for item in batch:
                yield json.dumps(dump(item), ensure_ascii=False) + "\n"

    return Response(stream_with_context(lines()), mimetype="application/x-ndjson")


def _list(items: list[dict[str, Any]], args: dict[str, Any]) -> Response:
    """Documents already built: a `Page` of them, or all of them as NDJSON."""
    if args["format"] == "ndjson":
        body = "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items)
        return Response(body, mimetype="application/x-ndjson")
    return _envelope(page_of(items, args["page"], args["per_page"]), lambda item: item)


def _uuid_or_404(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        abort(404)


def _found_or_404(found: T | None) -> T:
    """What a lookup found; 404 when it found nothing."""
    if found is None:
        abort(404)
    return found


def _known_or_404(known: dict[uuid.UUID, Any], text: str) -> Any:
    """What `known` holds under the UUID `text`; 404 for another or a malformed id."""
    return _found_or_404(known.get(_uuid_or_404(text)))


@bp.after_request
def allow_any_origin(response: Response) -> Response:
    """The feed is public open data: any site may read it."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.errorhandler(ValidationError)
def handle_bad_parameters(error: ValidationError) -> Response:
    """A wrong query parameter: a problem naming each one."""
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
        _("Invalid query parameters"),
        _("One or more query parameters are not valid."),
        errors=errors,
    )


# --- routes -----------------------------------------------------------------------------


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
    check_taxonomy_filters(args)
    stmt = filter_services(published_programmes(), args)
    if args["minimal"]:
        schema, build = MinimalServiceSchema(), service_list_document
    elif args["format"] == "ndjson":
        schema, build = ServiceSchema(), service_document
    else:
        schema, build = ServiceListSchema(), service_list_document
    return _listing(stmt, args, _dumper(schema, build, args["lang"]))


@bp.get("/services/<service_id>")
def service(service_id: str):
    """One published programme as a fully nested HSDS service."""
    lang = _language()
    programme = _found_or_404(find_service(service_id))
    return ServiceSchema().dump(service_document(programme, lang))


@bp.get("/service_at_locations")
def service_at_locations():
    """Published programmes at each of their places: a `Page`, or every one as NDJSON."""
    args = _load_args(ServiceAtLocationsQuerySchema())
    check_taxonomy_filters(args)
    if args["full"] or args["format"] == "ndjson":
        schema, build = ServiceAtLocationSchema(), service_at_location_document
    else:
        schema, build = ServiceAtLocationListSchema(), service_at_location_list_document
    dump = _dumper(schema, build, args["lang"])
    stmt = filter_places(published_places(), args)
    if args.get("proximity") is None:
        return _listing(stmt.options(*PLACE_LOADING), args, dump, ProgrammeLocation.id)
    ids = nearest_places(stmt, args["place"], args["proximity"])
    if args["format"] == "ndjson":
        batches = (
            places_by_id(ids[i : i + NDJSON_BATCH]) for i in range(0, len(ids), NDJSON_BATCH)
        )
        return _ndjson_response(batches, dump)
    page = page_of(ids, args["page"], args["per_page"])
    return _envelope(replace(page, items=places_by_id(page.items)), dump)


@bp.get("/service_at_locations/<sal_id>")
def service_at_location(sal_id: str):
    """One published programme at one of its places, fully nested."""
    lang = _language()
    place = _found_or_404(find_service_at_location(_uuid_or_404(sal_id)))
    return ServiceAtLocationSchema().dump(service_at_location_document(place, lang))


@bp.get("/organizations")
def organizations():
    """Admitted member organisations, as a `Page`."""
    args = _load_args(PagingQuerySchema())
    stmt = search_organisations(feed_organisations(), args.get("search"))
    dump = _dumper(OrganizationListSchema(), organization_list_document, args["lang"])
    return _listing(stmt, args, dump, Organisation.id)


@bp.get("/organizations/<organization_id>")
def organization(organization_id: str):
    """One member organisation with its branches and published programmes."""
    lang = _language()
    org, programmes = _found_or_404(find_organization(organization_id))
    return OrganizationSchema().dump(organization_document(org, programmes, lang))


@bp.get("/taxonomies")
def taxonomies():
    """The vocabularies that classify the"""
    args = _load_args(PagingQuerySchema())
    schema = TaxonomySchema()
    return _list([schema.dump(taxonomy_document(v, args["lang"])) for v in TAXONOMY_FIELDS], args)


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
    return _list(items, args)


@bp.get("/taxonomies/<taxonomy_id>")
def taxonomy_by_id(taxonomy_id: str):
    """One of the vocabularies that classify the"""
    lang = _language()
    vocabulary = _known_or_404(TAXONOMIES_BY_UUID, taxonomy_id)
    return TaxonomySchema().dump(taxonomy_document(vocabulary, lang))


@bp.get("/taxonomy_terms/<term_id>")
def taxonomy_term(term_id: str):
    """One term of a vocabulary, with its taxonomy."""
    lang = _language()
    term = _known_or_404(TERMS_BY_UUID, term_id)
    return TaxonomyTermSchema().dump(term_document(*term, lang))
