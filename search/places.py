"""Province and city names in the visitor's language.

The postcode file names Belgian provinces in English ("Antwerp", "East Flanders") and
cities as their municipality calls itself ("Antwerpen", "Bruxelles"). The index keeps
those names (they are the filters' values); pages, the widget, the API and the facets show
them in the visitor's language, and a province filter accepts any of its names
(`province=Anvers`, `province=Antwerpen` and `province=Antwerp` filter alike). The names
themselves are the core's data (`coalition.place_names`): the referral pages show them too.
"""

from __future__ import annotations

import re
from functools import lru_cache

from coalition.place_names import CITIES, PROVINCES
from coalition.postcodes import Place, normalise_name

_PROVINCE_BY_NAME = {
    normalise_name(name): canonical
    for canonical, names in PROVINCES.items()
    for name in (canonical, *names.values())
}


_CITY_BY_NAME = {
    normalise_name(name): canonical
    for canonical, names in CITIES.items()
    for name in (canonical, *names.values())
}


@lru_cache(maxsize=1024)
def province_label(province: str, lang: str) -> str:
    """A province's name (in any language) in `lang`; as given when unknown."""
    return PROVINCES.get(canonical_province(province), {}).get(lang, province)


@lru_cache(maxsize=8192)
def city_label(city: str, lang: str) -> str:
    """A city's name (in any language) in `lang`; as given when it has only one name
    (remembered: every answer labels its facets' and hits' cities)."""
    canonical = _CITY_BY_NAME.get(normalise_name(city), city)
    return CITIES.get(canonical, {}).get(lang, city)


def canonical_province(name: str) -> str:
    """The index's name of a province given in any language, any case or accents
    ("anvers", "Antwerpen" → "Antwerp"); the text itself when no province has that name."""
    return _PROVINCE_BY_NAME.get(normalise_name(name), name)


def place_names(city: str, place: Place | None) -> list[str]:
    """Every name a visitor may type for a programme's place, normalised (`normalise_name`):
    the city as the programme gives it, the postcode file's names, and the city's and its
    province's names in fr, nl and en (what the index's `place_names` field holds)."""
    names = [city]
    if place is not None:
        canonical = _CITY_BY_NAME.get(normalise_name(place.city), place.city)
        names += [place.city, *place.aliases, *CITIES.get(canonical, {}).values()]
        if place.province:
            names += [place.province, *PROVINCES.get(place.province, {}).values()]
    return list(dict.fromkeys(normalise_name(name) for name in names if name))


_FRENCH_POSTCODE = re.compile(r"\d{5}")
_DUTCH_POSTCODE = re.compile(r"\d{4}\s*[A-Z]{2}")
_COUNTRY_PREFIX = re.compile(r"^[A-Z]{1,2}[\s-]*(?=\d)")


def postcode_country(text: str) -> str:
    """The country a postcode is written for when none is given: five digits are French
    ("59000", "F-75001"), four digits and two letters Dutch ("3011 AB"), else Belgian."""
    code = _COUNTRY_PREFIX.sub("", text.strip().upper())
    if _FRENCH_POSTCODE.fullmatch(code.replace(" ", "")):
        return "FR"
    if _DUTCH_POSTCODE.fullmatch(code):
        return "NL"
    return "BE"
