"""The HSDS 3.0 documents of the feed, built from the database as plain mappings, which
`search.hsds.schemas` dump into their exact shape.

Texts come in the language asked for (French by default), else in any language the record
has (`coalition.i18n.text_in`).
"""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from coalition import postcodes, taxonomy
from coalition.branches.models import Branch
from coalition.i18n import text_in
from coalition.members.models import Organisation
from coalition.programmes.models import Programme, ProgrammeLocation
from search.hsds.ids import TAXONOMY_FIELDS, child_id, service_at_location_id, taxonomy_uuid
from search.hsds.mentor_attributes import mentor_attributes


def province_of(postcode: str, country: str) -> str:
    """The province (state) of a postcode, from the vendored postcode file; "" if unknown."""
    place = postcodes.lookup(postcode, country=country)
    return place.province if place else ""


def taxonomy_document(vocabulary: str, lang: str) -> dict[str, Any]:
    """An HSDS `taxonomy` for one of the platform's vocabularies."""
    with force_locale(lang):
        names = {
            "theme": (_("Themes"), _("What a programme helps young people with.")),
            "audience": (_("Target groups"), _("Who a programme is meant for.")),
            "format": (_("Formats"), _("How the mentoring takes place.")),
            "experience_field": (
                _("Fields of experience"),
                _("The work experience a programme asks of its volunteer mentors."),
            ),
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
        "description": text_in(org.descriptions, lang),
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


def _physical_location(
    location_id: str,
    organization: Organisation,
    place: ProgrammeLocation | Branch,
    *,
    name: str,
    address_id: str,
    address_1: str,
) -> dict[str, Any]:
    """An HSDS location with its one address, from a place (a branch or a programme's)."""
    return {
        "id": location_id,
        "location_type": "physical",
        "organization_id": str(organization.uuid),
        "name": name,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "addresses": [
            {
                "id": address_id,
                "location_id": location_id,
                "address_1": address_1,
                "city": place.city,
                "state_province": province_of(place.postcode, place.country),
                "postal_code": place.postcode,
                "country": place.country,
                "address_type": "physical",
            }
        ],
    }


def _location_document(programme: Programme, location: ProgrammeLocation) -> dict[str, Any]:
    """A programme's place as an HSDS location with its address."""
    branch = location.branch
    return _physical_location(
        child_id(programme.uuid, "location", location.id),
        programme.organisation,
        location,
        name=branch.name if branch else location.city,
        address_id=child_id(programme.uuid, "address", location.id),
        address_1=branch.address if branch and branch.address else location.city,
    )


def service_list_document(programme: Programme, lang: str) -> dict[str, Any]:
    """A programme as an HSDS service with its one-to-one fields."""
    org = programme.organisation
    title = text_in(programme.titles, lang)
    others = sorted({t for t in (programme.titles or {}).values() if t and t != title})
    ages = [a for a in (programme.age_min, programme.age_max) if a is not None]
    audiences = ", ".join(taxonomy.label("audience", c, lang) for c in programme.audiences)
    return {
        "id": str(programme.uuid),
        "organization_id": str(org.uuid),
        "name": title,
        "alternate_name": " / ".join(others) or None,
        "description": text_in(programme.descriptions, lang) or text_in(programme.summaries, lang),
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
        "location_id": child_id(programme.uuid, "location", location.id),
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
                "id": child_id(programme.uuid, "phone"),
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
                "id": child_id(programme.uuid, "area", programme.online_region),
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
            "id": child_id(programme.uuid, "language", code),
            "service_id": service_id,
            "name": taxonomy.label("language", code, lang),
            "code": code,
        }
        for code in programme.languages
    ]
    document["attributes"] = [
        {
            "id": child_id(programme.uuid, "attribute", vocabulary, code),
            "link_id": service_id,
            "link_type": vocabulary,
            "link_entity": "service",
            "taxonomy_term_id": str(taxonomy.term_uuid(vocabulary, code)),
            "taxonomy_term": term_document(vocabulary, code, lang),
        }
        for vocabulary, field in TAXONOMY_FIELDS.items()
        for code in getattr(programme, field)
        if code in taxonomy.VOCABULARIES[vocabulary]
    ] + mentor_attributes(programme, lang, term_document)
    return document


def organization_document(org: Organisation, programmes: list[Programme], lang: str) -> dict:
    """An organisation, fully nested: its branches as locations and its services."""
    document = organization_list_document(org, lang)
    document["locations"] = [
        _physical_location(
            str(branch.uuid),
            org,
            branch,
            name=branch.name,
            address_id=child_id(branch.uuid, "address"),
            address_1=branch.address or branch.city,
        )
        for branch in org.branches
    ]
    document["services"] = [service_list_document(p, lang) for p in programmes]
    return document
