"""Branches: add, change, locate and remove them (flush and audit, never commit)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Required, TypedDict, Unpack

from flask_babel import lazy_gettext as _
from sqlalchemy import select

from coalition import outbox, postcodes
from coalition.accounts.models import User
from coalition.audit.services import record
from coalition.branches.models import Branch
from coalition.errors import FieldError
from coalition.extensions import db
from coalition.programmes.models import ProgrammeLocation

if TYPE_CHECKING:
    from coalition.members.models import Organisation


def _codes(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: the cities the coalition covered when the project started; a branch elsewhere is new.
#: Each: (country, postcodes of the city and its districts, its names normalised). The
#: whole Brussels-Capital region counts as Brussels (matched by province).
CURRENT_CITIES: dict[str, tuple[str, frozenset[str], frozenset[str]]] = {
    "Brussels": ("BE", frozenset(), frozenset({"brussels", "bruxelles", "brussel"})),
    "Antwerp": (
        "BE",
        _codes("2000 2018 2020 2030 2040 2050 2060 2100 2140 2170 2180 2600 2610 2660"),
        frozenset({"antwerp", "antwerpen", "anvers"}),
    ),
    "Ghent": (
        "BE",
        _codes("9000 9030 9031 9032 9040 9041 9042 9050 9051 9052"),
        frozenset({"ghent", "gent", "gand"}),
    ),
    "Liège": ("BE", _codes("4000 4020 4030 4031 4032"), frozenset({"liege", "luik"})),
    "Charleroi": (
        "BE",
        _codes("6000 6001 6010 6020 6030 6031 6032 6040 6041 6042 6043 6044 6060 6061"),
        frozenset({"charleroi"}),
    ),
    "Lille": ("FR", _codes("59000 59160 59260 59777 59800"), frozenset({"lille"})),
    "Paris": (
        "FR",
        frozenset(f"750{n:02d}" for n in range(1, 21)) | {"75116"},
        frozenset({"paris"}),
    ),
    "Marseille": ("FR", frozenset(f"130{n:02d}" for n in range(1, 17)), frozenset({"marseille"})),
    "Rotterdam": ("NL", frozenset(), frozenset({"rotterdam"})),
}


class BranchError(FieldError):
    """A branch cannot be where it was asked to be; `field` names the form field."""


def current_city(place: postcodes.Place) -> str | None:
    """Which of the coalition's original cities the place is in, if any."""
    names = {postcodes.normalise_name(n) for n in (place.city, *place.aliases)}
    for city, (country, codes, city_names) in CURRENT_CITIES.items():
        if place.country != country:
            continue
        if place.postcode in codes or names & city_names:
            return city
        if city == "Brussels" and place.province == "Brussels-Capital":
            return city
    return None


def locate(branch: Branch, postcode: str, country: str) -> None:
    """Put the branch at the postcode: its city, coordinates and whether the city is new.

    :raise BranchError: unknown country, or a postcode unknown there.
    """
    if country not in postcodes.COUNTRIES:
        raise BranchError("country", _("Choose Belgium, France or the Netherlands."))
    place = postcodes.lookup(postcode, country)
    if place is None:
        raise BranchError("postcode", _("This postcode is unknown in the chosen country."))
    branch.postcode = place.postcode
    branch.country = place.country
    branch.city = place.city
    branch.latitude = place.latitude
    branch.longitude = place.longitude
    branch.is_new = current_city(place) is None


class BranchDetails(TypedDict, total=False):
    """What describes a branch, as its form and the demo data give it."""

    name: Required[str]
    postcode: Required[str]
    #: BE (the default), FR or NL
    country: str
    address: str | None
    opened_on: date | None


def _describe(
    branch: Branch,
    *,
    name: str,
    postcode: str,
    country: str = "BE",
    address: str | None = None,
    opened_on: date | None = None,
) -> None:
    locate(branch, postcode, country)
    branch.name = name.strip()
    branch.address = (address or "").strip() or None
    branch.opened_on = opened_on


def add_branch(
    organisation: Organisation, actor: User | None, **details: Unpack[BranchDetails]
) -> Branch:
    """Add a branch; its city and coordinates come from the postcode.

    :raise BranchError: unknown postcode or country.
    """
    branch = Branch(organisation=organisation)
    _describe(branch, **details)
    db.session.add(branch)
    db.session.flush()
    _record("branch.add", branch, actor)
    return branch


def update_branch(branch: Branch, actor: User | None, **details: Unpack[BranchDetails]) -> None:
    """Change a branch; a new postcode moves it (city, coordinates, is_new).

    :raise BranchError: unknown postcode or country.
    """
    _describe(branch, **details)
    db.session.flush()
    _record("branch.update", branch, actor)


def remove_branch(branch: Branch, actor: User | None) -> None:
    """Delete a branch; programme locations there keep their postcode but lose the link."""
    for location in db.session.scalars(
        select(ProgrammeLocation).where(ProgrammeLocation.branch_id == branch.id)
    ):
        location.branch_id = None
        outbox.queue(location.programme_id)
    _record("branch.remove", branch, actor)
    branch.organisation.branches.remove(branch)
    db.session.delete(branch)
    db.session.flush()


def _record(action: str, branch: Branch, actor: User | None) -> None:
    record(
        action, actor=actor, organisation=branch.organisation_id, target=branch, city=branch.city
    )


def organisation_branch(organisation: Organisation, branch_id: int) -> Branch | None:
    """The organisation's branch with this id; None if it is another's or none."""
    branch = db.session.get(Branch, branch_id)
    if branch is None or branch.organisation_id != organisation.id:
        return None
    return branch
