"""Marshmallow schemas of the HSDS feed's JSON boundary: the Open Referral HSDS 3.0 objects,
the `Page` envelope and the feed's query parameters.

The HSDS documents are built by `search.hsds.documents` as plain mappings and dumped through
these schemas, which fix their shape; absent values are left out (HSDS types are not
nullable).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    post_dump,
    post_load,
    validate,
    validates_schema,
)

from coalition import postcodes
from coalition.config import LANGUAGES
from coalition.paging import Page

#: the most items one page of the HSDS feed returns
HSDS_MAX_PER_PAGE = 100
HSDS_DEFAULT_PER_PAGE = 25
#: the widest `proximity` (metres) the feed accepts, as the search pages' widest radius
HSDS_MAX_PROXIMITY = 500_000


class HsdsSchema(Schema):
    """Drops absent values: HSDS fields are optional but never null."""

    class Meta:
        ordered = True

    @post_dump
    def drop_absent(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        return {key: value for key, value in data.items() if value is not None}


def hsds_object(name: str, spec: str, **typed: fields.Field) -> type[Schema]:
    """The schema of an HSDS object: its fields in the order `spec` names them, strings
    unless `typed` says otherwise; "name!" marks a field the HSDS schema requires."""
    declared: dict[str, fields.Field] = {}
    for word in spec.split():
        field_name = word.rstrip("!")
        if field_name in typed:
            declared[field_name] = typed.pop(field_name)
        else:
            declared[field_name] = fields.String(required=word.endswith("!"))
    return HsdsSchema.from_dict({**declared, **typed}, name=name)


def _many(schema: type[Schema] | Schema) -> fields.List:
    return fields.List(fields.Nested(schema))


TaxonomySchema = hsds_object("TaxonomySchema", "id! name! description! uri version")
TaxonomyTermSchema = hsds_object(
    "TaxonomyTermSchema",
    "id! code name! description! taxonomy taxonomy_id taxonomy_detail language",
    taxonomy_detail=fields.Nested(TaxonomySchema),
)
AttributeSchema = hsds_object(
    "AttributeSchema",
    "id! link_id link_type link_entity value taxonomy_term_id taxonomy_term",
    taxonomy_term=fields.Nested(TaxonomyTermSchema),
)
LanguageSchema = hsds_object("LanguageSchema", "id! service_id name code")
PhoneSchema = hsds_object("PhoneSchema", "id! service_id number! type description")
AddressSchema = hsds_object(
    "AddressSchema",
    "id! location_id address_1! city! state_province! postal_code! country! address_type!",
)
LocationSchema = hsds_object(
    "LocationSchema",
    "id! location_type! organization_id name latitude longitude addresses",
    latitude=fields.Float(),
    longitude=fields.Float(),
    addresses=_many(AddressSchema),
)
#: a service at a location: within a service, or on its own (`service_at_location.json`)
#: with its fully nested service
ServiceAtLocationSchema = hsds_object(
    "ServiceAtLocationSchema",
    "id! service_id location_id location service",
    location=fields.Nested(LocationSchema),
    service=fields.Nested(lambda: ServiceSchema()),
)
ServiceAreaSchema = hsds_object("ServiceAreaSchema", "id! service_id name description extent_type")
#: an organisation as listed (`organization_list.json`)
OrganizationListSchema = hsds_object(
    "OrganizationListSchema", "id! name! alternate_name description! email website uri"
)
#: a service with its one-to-one fields (`service_list.json`)
ServiceListSchema = hsds_object(
    "ServiceListSchema",
    "id! organization_id name! alternate_name description url email status! "
    "application_process fees_description wait_time eligibility_description minimum_age "
    "maximum_age assured_date last_modified organization",
    minimum_age=fields.Integer(),
    maximum_age=fields.Integer(),
    organization=fields.Nested(OrganizationListSchema),
)
#: what `minimal=true` returns: enough to decide what to harvest again
MinimalServiceSchema = hsds_object("MinimalServiceSchema", "id! name! status! last_modified")


class ServiceSchema(ServiceListSchema):
    """A fully nested service (`service.json`)."""

    phones = _many(PhoneSchema)
    service_areas = _many(ServiceAreaSchema)
    service_at_locations = _many(ServiceAtLocationSchema)
    languages = _many(LanguageSchema)
    attributes = _many(AttributeSchema)


#: a service at a location as listed: its location and its service with their one-to-one
#: fields only (`service_at_location_list.json`)
ServiceAtLocationListSchema = hsds_object(
    "ServiceAtLocationListSchema",
    "id! service_id location_id location service",
    location=fields.Nested(LocationSchema(exclude=("addresses",))),
    service=fields.Nested(ServiceListSchema),
)


class OrganizationSchema(OrganizationListSchema):
    """A fully nested organisation (`organization.json`) with its services listed."""

    locations = _many(LocationSchema)
    services = _many(ServiceListSchema)


def _total_pages(page: Page) -> int:
    # HSDS counts no page at all for an empty list (`coalition.paging.Page.pages` says 1).
    return math.ceil(page.total / page.per_page)


class PageSchema(Schema):
    """The HSDS `Page` envelope of a `coalition.paging.Page` whose items are dumped."""

    class Meta:
        ordered = True

    total_items = fields.Integer(attribute="total")
    total_pages = fields.Function(_total_pages)
    page_number = fields.Integer(attribute="page")
    size = fields.Function(lambda page: len(page.items))
    first_page = fields.Function(lambda page: page.page == 1)
    last_page = fields.Function(lambda page: page.page >= _total_pages(page))
    empty = fields.Function(lambda page: not page.items)
    contents = fields.List(fields.Raw(), attribute="items")


class ModifiedAfter(fields.Field):
    """An ISO 8601 date or date-time; a naive value is read as UTC."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError as error:
            raise ValidationError("Not an ISO 8601 date or date-time.") from error
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class PagingQuerySchema(Schema):
    """Parameters common to every HSDS list."""

    class Meta:
        unknown = EXCLUDE

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=HSDS_DEFAULT_PER_PAGE, validate=validate.Range(min=1))
    search = fields.String(validate=validate.Length(max=200))
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "ndjson"]))
    lang = fields.String(validate=validate.OneOf(LANGUAGES))


class ServiceFiltersSchema(PagingQuerySchema):
    """The filters of every list of services."""

    taxonomy_term_id = fields.UUID()
    taxonomy_id = fields.UUID()
    organization_id = fields.UUID()
    modified_after = ModifiedAfter()


class ServicesQuerySchema(ServiceFiltersSchema):
    """Parameters of `GET /hsds/services`."""

    minimal = fields.Boolean(load_default=False)


class ServiceAtLocationsQuerySchema(ServiceFiltersSchema):
    """Parameters of `GET /hsds/service_at_locations`.

    `postcode` alone keeps the places in that postcode area; with `proximity` (metres), the
    places within that distance of the postcode's centre, nearest first. `country` (not an
    HSDS parameter) says where the postcode is: Belgium unless told.
    """

    full = fields.Boolean(load_default=False)
    postcode = fields.String(validate=validate.Length(min=1, max=12))
    country = fields.String(load_default="BE", validate=validate.OneOf(postcodes.COUNTRIES))
    proximity = fields.Float(
        allow_nan=False,
        validate=validate.Range(min=0, min_inclusive=False, max=HSDS_MAX_PROXIMITY),
    )

    @validates_schema
    def known_place(self, data: dict[str, Any], **kwargs: Any) -> None:
        if "proximity" in data and "postcode" not in data:
            raise ValidationError("Give the postcode to measure the proximity from.", "proximity")
        if "postcode" in data and postcodes.lookup(data["postcode"], data["country"]) is None:
            raise ValidationError("Unknown postcode.", "postcode")

    @post_load
    def resolve_place(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        """`place`: the `postcodes.Place` of the postcode, if one was given."""
        if "postcode" in data:
            data["place"] = postcodes.lookup(data["postcode"], data["country"])
        return data


class TaxonomyTermsQuerySchema(PagingQuerySchema):
    """Parameters of `GET /hsds/taxonomy_terms`."""

    taxonomy_id = fields.UUID()
