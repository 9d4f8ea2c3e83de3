"""The directory's controlled vocabularies: stable codes with FR/NL/EN labels.

Codes are contracts (federation payloads, search filters, HSDS taxonomy terms): add
codes, never rename them.
"""

from __future__ import annotations

import uuid

#: namespace for the deterministic UUIDs of taxonomy terms (HSDS needs UUIDs)
TAXONOMY_NAMESPACE = uuid.UUID("6f1d3c1e-4a5b-4c8e-9a51-3b0f2d7e9c11")

THEMES: dict[str, dict[str, str]] = {
    "employment": {"fr": "Emploi", "nl": "Werk", "en": "Employment"},
    "education": {"fr": "Études et école", "nl": "Onderwijs", "en": "Education"},
    "entrepreneurship": {
        "fr": "Entrepreneuriat",
        "nl": "Ondernemerschap",
        "en": "Entrepreneurship",
    },
    "language": {"fr": "Langue", "nl": "Taal", "en": "Language"},
    "digital": {
        "fr": "Compétences numériques",
        "nl": "Digitale vaardigheden",
        "en": "Digital skills",
    },
    "wellbeing": {"fr": "Bien-être", "nl": "Welzijn", "en": "Wellbeing"},
    "orientation": {"fr": "Orientation", "nl": "Oriëntatie", "en": "Orientation"},
}

AUDIENCES: dict[str, dict[str, str]] = {
    "newcomers": {"fr": "Primo-arrivants", "nl": "Nieuwkomers", "en": "Newcomers"},
    "refugees": {"fr": "Réfugiés", "nl": "Vluchtelingen", "en": "Refugees"},
    "neet": {
        "fr": "Jeunes sans emploi ni formation (NEET)",
        "nl": "Jongeren zonder werk of opleiding (NEET)",
        "en": "Not in employment, education or training (NEET)",
    },
    "students": {"fr": "Élèves et étudiants", "nl": "Leerlingen en studenten", "en": "Students"},
    "women": {"fr": "Femmes", "nl": "Vrouwen", "en": "Women"},
    "parents": {"fr": "Parents", "nl": "Ouders", "en": "Parents"},
}

FORMATS: dict[str, dict[str, str]] = {
    "one_to_one": {"fr": "En duo", "nl": "Een-op-een", "en": "One to one"},
    "group": {"fr": "En groupe", "nl": "In groep", "en": "Group"},
    "online": {"fr": "En ligne", "nl": "Online", "en": "Online"},
    "hybrid": {"fr": "Hybride", "nl": "Hybride", "en": "Hybrid"},
}

COSTS: dict[str, dict[str, str]] = {
    "free": {"fr": "Gratuit", "nl": "Gratis", "en": "Free"},
    "contribution": {
        "fr": "Participation libre",
        "nl": "Vrije bijdrage",
        "en": "Voluntary contribution",
    },
    "paid": {"fr": "Payant", "nl": "Betalend", "en": "Paid"},
}

CAPACITY: dict[str, dict[str, str]] = {
    "open": {"fr": "Places disponibles", "nl": "Plaatsen vrij", "en": "Places available"},
    "waiting_list": {"fr": "Liste d'attente", "nl": "Wachtlijst", "en": "Waiting list"},
    "full": {"fr": "Complet", "nl": "Volzet", "en": "Full"},
}

#: ISO 639-1 codes offered in forms for the languages spoken with young people
SPOKEN_LANGUAGES: dict[str, dict[str, str]] = {
    "fr": {"fr": "Français", "nl": "Frans", "en": "French"},
    "nl": {"fr": "Néerlandais", "nl": "Nederlands", "en": "Dutch"},
    "en": {"fr": "Anglais", "nl": "Engels", "en": "English"},
    "de": {"fr": "Allemand", "nl": "Duits", "en": "German"},
    "ar": {"fr": "Arabe", "nl": "Arabisch", "en": "Arabic"},
    "tr": {"fr": "Turc", "nl": "Turks", "en": "Turkish"},
    "es": {"fr": "Espagnol", "nl": "Spaans", "en": "Spanish"},
    "pt": {"fr": "Portugais", "nl": "Portugees", "en": "Portuguese"},
    "ro": {"fr": "Roumain", "nl": "Roemeens", "en": "Romanian"},
    "pl": {"fr": "Polonais", "nl": "Pools", "en": "Polish"},
    "uk": {"fr": "Ukrainien", "nl": "Oekraïens", "en": "Ukrainian"},
    "ru": {"fr": "Russe", "nl": "Russisch", "en": "Russian"},
    "fa": {"fr": "Persan", "nl": "Perzisch", "en": "Persian"},
    "ps": {"fr": "Pachto", "nl": "Pasjtoe", "en": "Pashto"},
    "ti": {"fr": "Tigrigna", "nl": "Tigrinya", "en": "Tigrinya"},
    "so": {"fr": "Somali", "nl": "Somalisch", "en": "Somali"},
    "ln": {"fr": "Lingala", "nl": "Lingala", "en": "Lingala"},
    "ber": {"fr": "Berbère", "nl": "Berbers", "en": "Berber"},
}

#: regions where a programme can run online (ISO 3166-1 / 3166-2 codes)
ONLINE_REGIONS: dict[str, dict[str, str]] = {
    "BE": {"fr": "Toute la Belgique", "nl": "Heel België", "en": "All of Belgium"},
    "BE-BRU": {
        "fr": "Région de Bruxelles-Capitale",
        "nl": "Brussels Hoofdstedelijk Gewest",
        "en": "Brussels-Capital Region",
    },
    "BE-VLG": {"fr": "Région flamande", "nl": "Vlaams Gewest", "en": "Flemish Region"},
    "BE-WAL": {"fr": "Région wallonne", "nl": "Waals Gewest", "en": "Walloon Region"},
    "FR": {"fr": "France", "nl": "Frankrijk", "en": "France"},
    "NL": {"fr": "Pays-Bas", "nl": "Nederland", "en": "Netherlands"},
}

#: countries where programmes and branches can be (postcode files are vendored for these)
COUNTRIES: dict[str, dict[str, str]] = {
    "BE": {"fr": "Belgique", "nl": "België", "en": "Belgium"},
    "FR": {"fr": "France", "nl": "Frankrijk", "en": "France"},
    "NL": {"fr": "Pays-Bas", "nl": "Nederland", "en": "Netherlands"},
}

VOCABULARIES = {
    "theme": THEMES,
    "audience": AUDIENCES,
    "format": FORMATS,
    "cost": COSTS,
    "capacity": CAPACITY,
    "language": SPOKEN_LANGUAGES,
}


def label(vocabulary: str, code: str, lang: str) -> str:
    """The label of `code` in `lang`; the code itself when unknown."""
    entry = VOCABULARIES[vocabulary].get(code)
    return entry.get(lang) or entry["en"] if entry else code


def term_uuid(vocabulary: str, code: str) -> uuid.UUID:
    """The stable UUID of a taxonomy term (HSDS `taxonomy_term.id`)."""
    return uuid.uuid5(TAXONOMY_NAMESPACE, f"{vocabulary}:{code}")
