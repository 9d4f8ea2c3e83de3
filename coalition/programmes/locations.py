"""Where a programme runs: the postcodes of a programme body resolved to the organisation's
branches there, or else to the postcode's place (city and coordinates); and where it seeks
mentors: postcodes of the organisation's own branches."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from marshmallow import ValidationError

from coalition.postcodes import clean_postcode, lookup
from coalition.programmes.models import ProgrammeLocation

if TYPE_CHECKING:
    from coalition.members.models import Organisation


def resolve_locations(organisation: Organisation, locations: list[dict]) -> list:
    """Each postcode as the organisation's branch there, else as the postcode's place."""
    branches = {
        (b.country, clean_postcode(b.postcode, b.country)): b for b in organisation.branches
    }
    resolved: list[ProgrammeLocation] = []
    seen: set[tuple[str, str]] = set()
    errors: dict[int, dict[str, list[str]]] = {}
    for index, location in enumerate(locations):
        country = location["country"]
        key = (country, clean_postcode(location["postcode"], country))
        if key in seen:
            continue
        seen.add(key)
        branch = branches.get(key)
        place = lookup(location["postcode"], country)
        if branch is None and place is None:
            errors[index] = {"postcode": [_("Unknown postcode.")]}
            continue
        resolved.append(
            ProgrammeLocation(
                branch_id=branch.id if branch else None,
                postcode=branch.postcode if branch else place.postcode,
                city=branch.city if branch else place.city,
                country=country,
                latitude=_coordinate("latitude", branch, place),
                longitude=_coordinate("longitude", branch, place),
            )
        )
    if errors:
        raise ValidationError({"locations": errors})
    return resolved


def resolve_mentor_places(organisation: Organisation, locations: list[dict]) -> list[dict]:
    """Each postcode as the organisation's branch there, stored as a place of its own
    (postcode, country, city, coordinates), so that a branch removed later leaves it be.

    :raise ValidationError: a postcode is no branch's, at ``mentor_needs.locations.<i>``.
    """
    branches = {
        (b.country, clean_postcode(b.postcode, b.country)): b for b in organisation.branches
    }
    places: dict[tuple[str, str], dict] = {}
    errors: dict[int, dict[str, list[str]]] = {}
    for index, location in enumerate(locations):
        key = (location["country"], clean_postcode(location["postcode"], location["country"]))
        branch = branches.get(key)
        if branch is None:
            errors[index] = {
                "postcode": [
                    _(
                        "No branch of the organisation has this postcode: add the branch "
                        "first, or leave the places empty (wherever the programme runs)."
                    )
                ]
            }
        elif key not in places:
            places[key] = {
                "postcode": branch.postcode,
                "country": branch.country,
                "city": branch.city,
                "latitude": branch.latitude,
                "longitude": branch.longitude,
            }
    if errors:
        raise ValidationError({"mentor_needs": {"locations": errors}})
    return list(places.values())


def _coordinate(name: str, *sources: Any) -> float | None:
    """The first known `latitude` or `longitude` of the branch, then of the postcode's place."""
    return next(
        (getattr(s, name) for s in sources if s is not None and getattr(s, name) is not None), None
    )


_PLACE_FIELDS = ("branch_id", "postcode", "city", "country", "latitude", "longitude")


def place_of(location: ProgrammeLocation) -> tuple:
    """What makes two locations the same place (compared, never stored)."""
    return tuple(getattr(location, name) for name in _PLACE_FIELDS)
