"""The map of a page of results: the vendored outline of Belgium and its French and Dutch
neighbours (`coalition.geo`, from Natural Earth), with a dot for each place of the
programmes shown and a ring for the place searched around. Drawn by the platform itself as
inline SVG: no tile server, no request to anyone else. The list stays the primary view.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coalition import geo
from coalition.programmes.models import Programme
from search.query import SearchHit, SearchParams


@dataclass(frozen=True)
class MapPoint:
    x: float
    y: float
    #: the result's number in the list (1-based) and its title
    number: int
    label: str


def results_map(
    items: list[tuple[SearchHit, Programme]], params: SearchParams | None, titles: list[str]
) -> dict[str, Any] | None:
    """What the template draws, or None when no result has a place on the outline."""
    points = []
    for number, ((_hit, programme), title) in enumerate(zip(items, titles, strict=True), 1):
        for location in programme.locations:
            if location.latitude is None or location.longitude is None:
                continue
            spot = geo.project(location.latitude, location.longitude)
            if spot:
                points.append(MapPoint(spot[0], spot[1], number, f"{number}. {title}"))
    if not points:
        return None
    origin = geo.project(*params.origin) if params and params.origin else None
    return {"outline": geo.outline(), "points": points, "origin": origin}
