"""Distances for "near a place": a box that narrows the candidates, then the exact distance.

The distance itself is the core's (`coalition.postcodes.distance_km`, haversine); the box
is what an index or SQL can filter on before it is measured.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from coalition.postcodes import distance_km

#: kilometres per degree of latitude, a little under the haversine sphere's 111.2, so that
#: the box always holds the whole circle
KM_PER_DEGREE = 111.0


def bounding_box(lat: float, lon: float, km: float) -> tuple[float, float, float, float]:
    """(south, north, west, east) of a box holding every point within `km` of (lat, lon)."""
    dlat = km / KM_PER_DEGREE
    dlon = km / (KM_PER_DEGREE * max(0.01, math.cos(math.radians(lat))))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def nearest_km(
    lat: float, lon: float, points: Iterable[Mapping[str, float]], default: float | None = None
) -> float | None:
    """The distance from (lat, lon) to the nearest of `points` ({"lat", "lon"}), else `default`."""
    return min((distance_km(lat, lon, p["lat"], p["lon"]) for p in points), default=default)
