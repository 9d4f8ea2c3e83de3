"""Marshmallow schemas of the search part's JSON boundary: the Open Referral HSDS 3.0 objects
and the feed's query parameters.

The HSDS documents are built by `search.hsds` as plain mappings and dumped through these
schemas, which fix their shape; absent values are left out (HSDS types are not nullable).
"""

from __future__ import annotations

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


class TaxonomySchema(HsdsSchema):
    id = fields.String(required=True)
    name = fields.String(required=True)
    description = fields.String(required=True)
    uri = fields.String()
    version = fields.String()


class TaxonomyTermSchema(HsdsSchema):
    id = fields.String(required=True)
    code = fields.String()
    name = fields.String(required=True)
    description = fields.String(required=True)
    taxonomy = fields.String()
    taxonomy_id = fields.String()
    taxonomy_detail = fields.Nested(TaxonomySchema)
    language = fields.String()


class AttributeSchema(HsdsSchema):
    id = fields.String(required=True)
    link_id = fields.String()
    link_type = fields.String()
    link_entity = fields.String()
    taxonomy_term_id = fields.String()
    taxonomy_term = fields.Nested(TaxonomyTermSchema)


class LanguageSchema(HsdsSchema):
    id = fields.String(required=True)
    service_id = fields.String()
    name = fields.String()
    code = fields.String()


class PhoneSchema(HsdsSchema):
    id = fields.String(required=True)
    service_id = fields.String()
    number = fields.String(required=True)
    type = fields.String()
    description = fields.String()


class AddressSchema(HsdsSchema):
    id = fields.String(required=True)
    location_id = fields.String()
    address_1 = fields.String(required=True)
    city = fields.String(required=True)
    state_province = fields.String(required=True)
    postal_code = fields.String(required=True)
    country = fields.String(required=True)
    address_type = fields.String(required=True)


class LocationSchema(HsdsSchema):
    id = fields.String(required=True)
    location_type = fields.String(required=True)
    organization_id = fields.String()
    name = fields.String()
    latitude = fields.Float()
    longitude = fields.Float()
    addresses = fields.List(fields.Nested(AddressSchema))


class ServiceAtLocationSchema(HsdsSchema):
    """A service at a location: within a service, or on its own (`service_at_location.json`)
    with its fully nested service."""

    id = fields.String(required=True)
    service_id = fields.String()
    location_id = fields.String()
    location = fields.Nested(LocationSchema)
    service = fields.Nested(lambda: ServiceSchema())


class ServiceAreaSchema(HsdsSchema):
    id = fields.String(required=True)
    service_id = fields.String()
    name = fields.String()
    description = fields.String()
    extent_type = fields.String()


class OrganizationListSchema(HsdsSchema):
    """An organisation as listed (`organization_list.json`)."""

    id = fields.String(required=True)
    name = fields.String(required=True)
    alternate_name = fields.String()
    description = fields.String(required=True)
    email = fields.String()
    website = fields.String()
    uri = fields.String()


class ServiceListSchema(HsdsSchema):
    """A service with its one-to-one fields (`service_list.json`)."""

    id = fields.String(required=True)
    organization_id = fields.String()
    name = fields.String(required=True)
    alternate_name = fields.String()
    description = fields.String()
    url = fields.String()
    email = fields.String()
    status = fields.String(required=True)
    application_process = fields.String()
    fees_description = fields.String()
    wait_time = fields.String()
    eligibility_description = fields.String()
    minimum_age = fields.Integer()
    maximum_age = fields.Integer()
    assured_date = fields.String()
    last_modified = fields.String()
    organization = fields.Nested(OrganizationListSchema)


class MinimalServiceSchema(HsdsSchema):
    """What `minimal=true` returns: enough to decide what to harvest again."""

    id = fields.String(required=True)
    name = fields.String(required=True)
    status = fields.String(required=True)
    last_modified = fields.String()


class ServiceSchema(ServiceListSchema):
    """A fully nested service (`service.json`)."""

    phones = fields.List(fields.Nested(PhoneSchema))
    service_areas = fields.List(fields.Nested(ServiceAreaSchema))
    service_at_locations = fields.List(fields.Nested(ServiceAtLocationSchema))
    languages = fields.List(fields.Nested(LanguageSchema))
    attributes = fields.List(fields.Nested(AttributeSchema))


class ServiceAtLocationListSchema(HsdsSchema):
    """A service at a location as listed: its location and its service with their
    one-to-one fields only (`service_at_location_list.json`)."""

    id = fields.String(required=True)
    service_id = fields.String()
    location_id = fields.String()
    location = fields.Nested(LocationSchema(exclude=("addresses",)))
    service = fields.Nested(ServiceListSchema)


class OrganizationSchema(OrganizationListSchema):
    """A fully nested organisation (`organization.json`) with its services listed."""

    locations = fields.List(fields.Nested(LocationSchema))
    services = fields.List(fields.Nested(ServiceListSchema))


class PageSchema(Schema):
    """The HSDS `Page` envelope."""

    class Meta:
        ordered = True

    total_items = fields.Integer()
    total_pages = fields.Integer()
    page_number = fields.Integer()
    size = fields.Integer()
    first_page = fields.Boolean()
    last_page = fields.Boolean()
    empty = fields.Boolean()
    contents = fields.List(fields.Raw())


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
