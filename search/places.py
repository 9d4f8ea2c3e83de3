"""Province and city names in the visitor's language.

The postcode file names Belgian provinces in English ("Antwerp", "East Flanders") and
cities as their municipality calls itself ("Antwerpen", "Bruxelles"). The index keeps
those names (they are the filters' values); pages, the widget, the API and the facets show
them in the visitor's language, and a province filter accepts any of its names
(`province=Anvers`, `province=Antwerpen` and `province=Antwerp` filter alike).
"""

from __future__ import annotations

import re
from functools import lru_cache

from coalition.postcodes import Place, normalise_name

#: the postcode file's province name → its name in fr, nl, en (Belgium and the Netherlands;
#: French departments are named alike in the three languages)
PROVINCES: dict[str, dict[str, str]] = {
    "Antwerp": {"fr": "Anvers", "nl": "Antwerpen", "en": "Antwerp"},
    "Brussels-Capital": {
        "fr": "Bruxelles-Capitale",
        "nl": "Brussel-Hoofdstad",
        "en": "Brussels-Capital",
    },
    "East Flanders": {"fr": "Flandre-Orientale", "nl": "Oost-Vlaanderen", "en": "East Flanders"},
    "West Flanders": {
        "fr": "Flandre-Occidentale",
        "nl": "West-Vlaanderen",
        "en": "West Flanders",
    },
    "Flemish Brabant": {"fr": "Brabant flamand", "nl": "Vlaams-Brabant", "en": "Flemish Brabant"},
    "Walloon Brabant": {"fr": "Brabant wallon", "nl": "Waals-Brabant", "en": "Walloon Brabant"},
    "Hainaut": {"fr": "Hainaut", "nl": "Henegouwen", "en": "Hainaut"},
    "Liège": {"fr": "Liège", "nl": "Luik", "en": "Liège"},
    "Limburg": {"fr": "Limbourg", "nl": "Limburg", "en": "Limburg"},
    "Luxembourg": {"fr": "Luxembourg", "nl": "Luxemburg", "en": "Luxembourg"},
    "Namur": {"fr": "Namur", "nl": "Namen", "en": "Namur"},
    "North Brabant": {"fr": "Brabant-Septentrional", "nl": "Noord-Brabant", "en": "North Brabant"},
    "North Holland": {
        "fr": "Hollande-Septentrionale",
        "nl": "Noord-Holland",
        "en": "North Holland",
    },
    "South Holland": {"fr": "Hollande-Méridionale", "nl": "Zuid-Holland", "en": "South Holland"},
    "Zeeland": {"fr": "Zélande", "nl": "Zeeland", "en": "Zeeland"},
    "Friesland": {"fr": "Frise", "nl": "Friesland", "en": "Friesland"},
    "Gelderland": {"fr": "Gueldre", "nl": "Gelderland", "en": "Gelderland"},
    "Nord": {"fr": "Nord", "nl": "Nord (Noorderdepartement)", "en": "Nord"},
}

#: a city's name as the postcode file has it → its name in fr, nl, en (where they differ)
CITIES: dict[str, dict[str, str]] = {
    "Bruxelles": {"fr": "Bruxelles", "nl": "Brussel", "en": "Brussels"},
    "Antwerpen": {"fr": "Anvers", "nl": "Antwerpen", "en": "Antwerp"},
    "Gent": {"fr": "Gand", "nl": "Gent", "en": "Ghent"},
    "Liège": {"fr": "Liège", "nl": "Luik", "en": "Liège"},
    "Brugge": {"fr": "Bruges", "nl": "Brugge", "en": "Bruges"},
    "Leuven": {"fr": "Louvain", "nl": "Leuven", "en": "Leuven"},
    "Mons": {"fr": "Mons", "nl": "Bergen", "en": "Mons"},
    "Namur": {"fr": "Namur", "nl": "Namen", "en": "Namur"},
    "Mechelen": {"fr": "Malines", "nl": "Mechelen", "en": "Mechelen"},
    "Kortrijk": {"fr": "Courtrai", "nl": "Kortrijk", "en": "Kortrijk"},
    "Tournai": {"fr": "Tournai", "nl": "Doornik", "en": "Tournai"},
    "Wavre": {"fr": "Wavre", "nl": "Waver", "en": "Wavre"},
    "Nivelles": {"fr": "Nivelles", "nl": "Nijvel", "en": "Nivelles"},
    "Arlon": {"fr": "Arlon", "nl": "Aarlen", "en": "Arlon"},
    "Aalst": {"fr": "Alost", "nl": "Aalst", "en": "Aalst"},
    "Ieper": {"fr": "Ypres", "nl": "Ieper", "en": "Ypres"},
    "Tienen": {"fr": "Tirlemont", "nl": "Tienen", "en": "Tienen"},
    "Sint-Niklaas": {"fr": "Saint-Nicolas", "nl": "Sint-Niklaas", "en": "Sint-Niklaas"},
    "Oostende": {"fr": "Ostende", "nl": "Oostende", "en": "Ostend"},
    "Lille": {"fr": "Lille", "nl": "Rijsel", "en": "Lille"},
    "Paris": {"fr": "Paris", "nl": "Parijs", "en": "Paris"},
    "Den Haag": {"fr": "La Haye", "nl": "Den Haag", "en": "The Hague"},
}

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
