"""The HSDS feed's stable ids: every id is a UUID.

`Programme.uuid`, `Organisation.uuid` and `coalition.taxonomy.term_uuid` as they are; ids
derived from them with `uuid5` for the nested objects (`child_id`); and
`service_at_location_id` for a programme at one of its places.
"""

from __future__ import annotations

import hashlib
import uuid

from coalition import taxonomy
from coalition.programmes.models import Programme, ProgrammeLocation

#: the vocabularies published as HSDS taxonomies, and the programme field holding their codes
TAXONOMY_FIELDS = {"theme": "themes", "audience": "audiences", "format": "formats"}


def taxonomy_uuid(vocabulary: str) -> uuid.UUID:
    """The stable UUID of one of the platform's vocabularies as an HSDS taxonomy."""
    return uuid.uuid5(taxonomy.TAXONOMY_NAMESPACE, f"taxonomy:{vocabulary}")


def child_id(parent: uuid.UUID, *parts: object) -> str:
    """The stable id of an object nested in `parent` (a location, a phone, …)."""
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


def programme_uuid_range(sal_id: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
    """The programme UUIDs a service-at-location id can come from (their first 48 bits)."""
    prefix = sal_id.bytes[:6]
    return uuid.UUID(bytes=prefix + b"\x00" * 10), uuid.UUID(bytes=prefix + b"\xff" * 10)
