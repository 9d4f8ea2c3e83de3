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


def _names(fr: str, nl: str, en: str) -> dict[str, str]:
    """A place's name in each of the platform's languages."""
    return {"fr": fr, "nl": nl, "en": en}


#: the postcode file's province name → its name in fr, nl, en (Belgium and the Netherlands;
#: French departments are named alike in the three languages)
PROVINCES: dict[str, dict[str, str]] = {
    "Antwerp": _names("Anvers", "Antwerpen", "Antwerp"),
    "Brussels-Capital": _names("Bruxelles-Capitale", "Brussel-Hoofdstad", "Brussels-Capital"),
    "East Flanders": _names("Flandre-Orientale", "Oost-Vlaanderen", "East Flanders"),
    "West Flanders": _names("Flandre-Occidentale", "West-Vlaanderen", "West Flanders"),
    "Flemish Brabant": _names("Brabant flamand", "Vlaams-Brabant", "Flemish Brabant"),
    "Walloon Brabant": _names("Brabant wallon", "Waals-Brabant", "Walloon Brabant"),
    "Hainaut": _names("Hainaut", "Henegouwen", "Hainaut"),
    "Liège": _names("Liège", "Luik", "Liège"),
    "Limburg": _names("Limbourg", "Limburg", "Limburg"),
    "Luxembourg": _names("Luxembourg", "Luxemburg", "Luxembourg"),
    "Namur": _names("Namur", "Namen", "Namur"),
    "North Brabant": _names("Brabant-Septentrional", "Noord-Brabant", "North Brabant"),
    "North Holland": _names("Hollande-Septentrionale", "Noord-Holland", "North Holland"),
    "South Holland": _names("Hollande-Méridionale", "Zuid-Holland", "South Holland"),
    "Zeeland": _names("Zélande", "Zeeland", "Zeeland"),
    "Friesland": _names("Frise", "Friesland", "Friesland"),
    "Gelderland": _names("Gueldre", "Gelderland", "Gelderland"),
    "Nord": _names("Nord", "Nord (Noorderdepartement)", "Nord"),
}

#: a city's name as the postcode file has it → its name in fr, nl, en (where they differ)
CITIES: dict[str, dict[str, str]] = {
    "Bruxelles": _names("Bruxelles", "Brussel", "Brussels"),
    "Antwerpen": _names("Anvers", "Antwerpen", "Antwerp"),
    "Gent": _names("Gand", "Gent", "Ghent"),
    "Liège": _names("Liège", "Luik", "Liège"),
    "Brugge": _names("Bruges", "Brugge", "Bruges"),
    "Leuven": _names("Louvain", "Leuven", "Leuven"),
    "Mons": _names("Mons", "Bergen", "Mons"),
    "Namur": _names("Namur", "Namen", "Namur"),
    "Mechelen": _names("Malines", "Mechelen", "Mechelen"),
    "Kortrijk": _names("Courtrai", "Kortrijk", "Kortrijk"),
    "Tournai": _names("Tournai", "Doornik", "Tournai"),
    "Wavre": _names("Wavre", "Waver", "Wavre"),
    "Nivelles": _names("Nivelles", "Nijvel", "Nivelles"),
    "Arlon": _names("Arlon", "Aarlen", "Arlon"),
    "Aalst": _names("Alost", "Aalst", "Aalst"),
    "Ieper": _names("Ypres", "Ieper", "Ypres"),
    "Tienen": _names("Tirlemont", "Tienen", "Tienen"),
    "Sint-Niklaas": _names("Saint-Nicolas", "Sint-Niklaas", "Sint-Niklaas"),
    "Oostende": _names("Ostende", "Oostende", "Ostend"),
    "Lille": _names("Lille", "Rijsel", "Lille"),
    "Paris": _names("Paris", "Parijs", "Paris"),
    "Den Haag": _names("La Haye", "Den Haag", "The Hague"),
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
