"""Where to open the next branches: per Belgian province, the demand the platform sees
(searches made near a place there, referrals addressed to it) against the supply within
reach (published programmes of current members with a location there, their branches),
ranked by demand without supply.

The vendored map outline (`coalition/data/outline.json`) holds countries only, and the
postcode file names each postcode's province but not its arrondissement: so the view is
per province, each drawn as a circle at the centre of its postcodes on the outline.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import select

from coalition import postcodes
from coalition.branches.models import Branch
from coalition.extensions import db
from coalition.geo import outline, project
from coalition.impact.export import Table
from coalition.impact.sources import rows
from coalition.members.models import Organisation
from coalition.programmes.models import Programme, ProgrammeLocation, ProgrammeStatus

__all__ = ["Area", "coverage", "coverage_table", "outline"]

#: the demand counted: the last year
DAYS = 365


@dataclass(frozen=True)
class Area:
    """One province: its demand, its supply, where it is drawn and its rank."""

    name: str
    searches: int
    referrals: int
    programmes: int
    branches: int
    #: where its circle is drawn (SVG units of the outline), or None
    point: tuple[float, float] | None
    rank: int = 0

    @property
    def demand(self) -> int:
        return self.searches + self.referrals

    @property
    def supply(self) -> int:
        return self.programmes + self.branches

    @property
    def gap(self) -> float:
        """Demand without supply: the demand per unit of supply (plus one)."""
        return round(self.demand / (1 + self.supply), 2)


@cache
def province_centres() -> dict[str, tuple[float, float]]:
    """The mean position of each Belgian province's postcodes."""
    sums: dict[str, list[float]] = {}
    for place in postcodes.places("BE"):
        if not place.province:
            continue
        acc = sums.setdefault(place.province, [0.0, 0.0, 0.0])
        acc[0] += place.latitude
        acc[1] += place.longitude
        acc[2] += 1
    return {name: (lat / n, lon / n) for name, (lat, lon, n) in sums.items()}


def _province(postcode: str | None, country: str = "BE") -> str | None:
    if not postcode or country != "BE":
        return None
    place = postcodes.lookup(postcode, country)
    return place.province if place is not None and place.province else None


def _referred_from(row: dict) -> str | None:
    if (row.get("country") or "BE") != "BE":
        return None
    area = row.get("area")
    if area == "Brussels":
        return "Brussels-Capital"
    return area or _province(row.get("postcode"))


def coverage(today: date | None = None) -> list[Area]:
    """Every Belgian province, ranked: the largest demand without supply first."""
    today = today or date.today()
    since = today - timedelta(days=DAYS - 1)
    searches: Counter = Counter()
    for row in rows("search_demand", since=since):
        if row["country"] == "BE":
            searches[row["area"]] += row["count"]
    referrals: Counter = Counter()
    for row in rows("referral_demand", since=since):
        # where the young person lives (the referral keeps the province, or "Brussels"),
        # not the branch it was sent to: demand is counted where it arises
        province = _referred_from(row)
        if province:
            referrals[province] += row["count"]
    programmes: dict[str, set[int]] = {}
    located = (
        select(ProgrammeLocation.programme_id, ProgrammeLocation.postcode)
        .join(Programme, Programme.id == ProgrammeLocation.programme_id)
        .join(Organisation, Organisation.id == Programme.organisation_id)
        .where(
            Programme.status == ProgrammeStatus.published,
            Organisation.is_admitted,
            ProgrammeLocation.country == "BE",
        )
    )
    for programme_id, postcode in db.session.execute(located):
        province = _province(postcode)
        if province:
            programmes.setdefault(province, set()).add(programme_id)
    branches: Counter = Counter()
    member_branches = (
        select(Branch.postcode, Branch.country)
        .join(Organisation, Organisation.id == Branch.organisation_id)
        .where(Organisation.is_admitted)
    )
    for postcode, country in db.session.execute(member_branches):
        province = _province(postcode, country)
        if province:
            branches[province] += 1
    centres = province_centres()
    areas = [
        Area(
            name,
            searches[name],
            referrals[name],
            len(programmes.get(name, ())),
            branches[name],
            project(*centres[name]),
        )
        for name in sorted(centres)
    ]
    ordered = sorted(areas, key=lambda a: (-a.gap, -a.demand, a.name))
    return [
        Area(a.name, a.searches, a.referrals, a.programmes, a.branches, a.point, rank)
        for rank, a in enumerate(ordered, start=1)
    ]


def coverage_table(areas: list[Area] | None = None) -> Table:
    """The coverage view's table, its rank first."""
    areas = coverage() if areas is None else areas
    headers = [
        _("Rank"),
        _("Province"),
        _("Searches near a place"),
        _("Referrals addressed"),
        _("Programmes within reach"),
        _("Branches"),
        _("Demand without supply"),
    ]
    rows = [
        [a.rank, a.name, a.searches, a.referrals, a.programmes, a.branches, a.gap]
        for a in sorted(areas, key=lambda a: a.rank)
    ]
    return Table("coverage", _("Demand and supply per province (last 12 months)"), headers, rows)
