"""Belgian, French and Dutch postcodes: city, province and approximate coordinates.

Reads the vendored `coalition/data/postcodes.csv.gz` (ODbL, see POSTCODES-LICENSE.md, built by
`scripts/build_postcodes.py`) once per process into in-memory dicts.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "postcodes.csv.gz"
COUNTRIES = ("BE", "FR", "NL")


@dataclass(frozen=True, slots=True)
class Place:
    """A postcode area."""

    postcode: str
    country: str
    city: str
    province: str
    latitude: float
    longitude: float
    #: other names of the city (the other national language, English)
    aliases: tuple[str, ...] = ()


_lock = threading.Lock()
_by_code: dict[tuple[str, str], Place] | None = None
_by_name: dict[tuple[str, str], Place] = {}


def normalise_name(name: str) -> str:
    """Lower-case ASCII words: "Liège" → "liege", "Sint-Jans-Molenbeek" → "sint jans molenbeek"."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text).split())


def _load() -> dict[tuple[str, str], Place]:
    global _by_code
    with _lock:
        if _by_code is None:
            by_code: dict[tuple[str, str], Place] = {}
            with gzip.open(DATA_FILE, "rb") as raw:
                for row in csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8")):
                    aliases = tuple(a for a in row["aliases"].split("|") if a)
                    place = Place(
                        postcode=row["postcode"],
                        country=row["country"],
                        city=row["city"],
                        province=row["province"],
                        latitude=float(row["lat"]),
                        longitude=float(row["lon"]),
                        aliases=aliases,
                    )
                    by_code[(place.country, place.postcode)] = place
                    for name in (place.city, *aliases):
                        _by_name.setdefault((place.country, normalise_name(name)), place)
            _by_code = by_code
    return _by_code


def clean_postcode(postcode: str, country: str = "BE") -> str:
    """The postcode as the file stores it: "B-1080" → "1080", "3011 AB" → "3011"."""
    country = (country or "BE").upper()
    text = postcode.strip().upper()
    text = re.sub(r"^[A-Z]{1,2}[\s-]*(?=\d)", "", text)  # "B-1080", "BE 1080", "F-75001"
    digits = re.sub(r"[\s.]", "", text)
    if country == "NL":
        digits = digits[:4]
    return digits


def lookup(postcode: str, country: str = "BE") -> Place | None:
    """The place of a postcode, or None when unknown."""
    if not postcode:
        return None
    country = (country or "BE").upper()
    return _load().get((country, clean_postcode(postcode, country)))


def find_city(name: str, country: str | None = None) -> Place | None:
    """The main postcode of a city by any of its names, ignoring case and accents."""
    _load()
    key = normalise_name(name or "")
    if not key:
        return None
    for code in [country.upper()] if country else COUNTRIES:
        place = _by_name.get((code, key))
        if place is not None:
            return place
    return None


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def places(country: str) -> list[Place]:
    """Every postcode area of a country."""
    return [place for (code, _), place in _load().items() if code == country.upper()]
