"""The map outline the platform draws itself: Belgium and its French and Dutch neighbours.

`coalition/data/outline.json` holds the countries as SVG paths, already projected, made by
`scripts/build_outline.py` from Natural Earth (public domain). Maps place a point with
`project(latitude, longitude)`; no tile server, no request to anyone else.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "outline.json"


@dataclass(frozen=True)
class Outline:
    """The drawing: its size in SVG user units and one path per country code."""

    width: float
    height: float
    #: (lon_min, lat_min, lon_max, lat_max) of the drawn region
    box: tuple[float, float, float, float]
    #: "BE", "FR", "NL", "LU", "DE" → SVG path data
    countries: dict[str, str]

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:g} {self.height:g}"


@cache
def outline() -> Outline:
    """The vendored outline, read once per process."""
    data = json.loads(DATA_FILE.read_text())
    return Outline(
        width=data["width"],
        height=data["height"],
        box=tuple(data["box"]),
        countries=data["countries"],
    )


def project(latitude: float, longitude: float) -> tuple[float, float] | None:
    """Where a place falls on the outline (SVG units), or None when it lies outside it."""
    shape = outline()
    lon_min, lat_min, lon_max, lat_max = shape.box
    if not (lon_min <= longitude <= lon_max and lat_min <= latitude <= lat_max):
        return None
    k = math.cos(math.radians((lat_min + lat_max) / 2))
    scale = shape.width / ((lon_max - lon_min) * k)
    return (
        round((longitude - lon_min) * k * scale, 1),
        round((lat_max - latitude) * shape.height / (lat_max - lat_min), 1),
    )
