"""The names of provinces and cities in the platform's languages: data of the core, which
the search part shows on its pages (`search.places`) and the referral pages show as a
referral's area.

The postcode file names Belgian provinces in English ("Antwerp", "East Flanders") and
cities as their municipality calls itself ("Antwerpen", "Bruxelles").
"""

from __future__ import annotations


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


def area_name(area: str, lang: str) -> str:
    """A referral's area (a province as the postcode file names it, or "Brussels") in
    `lang`; as given when unknown."""
    names = CITIES["Bruxelles"] if area == "Brussels" else PROVINCES.get(area, {})
    return names.get(lang, area)
