"""The directory's controlled vocabularies: stable codes with FR/NL/EN labels.

The codes and labels are data, in `coalition/data/taxonomy.toml`. Codes are contracts
(federation payloads, search filters, HSDS taxonomy terms): add codes, never rename them.
"""

from __future__ import annotations

import tomllib
import uuid
from pathlib import Path

from coalition.i18n import text_in

#: namespace for the deterministic UUIDs of taxonomy terms (HSDS needs UUIDs)
TAXONOMY_NAMESPACE = uuid.UUID("6f1d3c1e-4a5b-4c8e-9a51-3b0f2d7e9c11")

Vocabulary = dict[str, dict[str, str]]

_DATA = tomllib.loads((Path(__file__).parent / "data" / "taxonomy.toml").read_text("utf-8"))

THEMES: Vocabulary = _DATA["themes"]
AUDIENCES: Vocabulary = _DATA["audiences"]
FORMATS: Vocabulary = _DATA["formats"]
COSTS: Vocabulary = _DATA["costs"]
CAPACITY: Vocabulary = _DATA["capacity"]
#: ISO 639-1 codes offered in forms for the languages spoken with young people
SPOKEN_LANGUAGES: Vocabulary = _DATA["spoken_languages"]
#: regions where a programme can run online (ISO 3166-1 / 3166-2 codes)
ONLINE_REGIONS: Vocabulary = _DATA["online_regions"]
#: countries where programmes and branches can be (postcode files are vendored for these)
COUNTRIES: Vocabulary = _DATA["countries"]
#: fields of work experience a programme asks of its mentors (and a volunteer brings)
EXPERIENCE_FIELDS: Vocabulary = _DATA["experience_fields"]
#: how a programme trains its mentors
TRAINING_FORMATS: Vocabulary = _DATA["training_formats"]
#: the age bands a mentor volunteer chooses from; the codes are the issue's (`50-59`, …)
MENTOR_AGE_BANDS: Vocabulary = _DATA["mentor_age_bands"]
#: when a mentor volunteer is available
MENTOR_AVAILABILITY: Vocabulary = _DATA["mentor_availability"]

#: the vocabularies of the directory's facets and HSDS taxonomies, by name
VOCABULARIES = {
    "theme": THEMES,
    "audience": AUDIENCES,
    "format": FORMATS,
    "cost": COSTS,
    "capacity": CAPACITY,
    "language": SPOKEN_LANGUAGES,
    "experience_field": EXPERIENCE_FIELDS,
    "training_format": TRAINING_FORMATS,
}


def label(vocabulary: str, code: str, lang: str) -> str:
    """The label of `code` in `lang`; the code itself when unknown."""
    return label_in(VOCABULARIES[vocabulary], code, lang)


def label_in(vocabulary: Vocabulary, code: str, lang: str) -> str:
    """The label of `code` of `vocabulary` in `lang`; the code itself when unknown."""
    labels = vocabulary.get(code)
    return text_in(labels, lang) if labels else code


def choices(vocabulary: Vocabulary, lang: str) -> list[tuple[str, str]]:
    """The (code, label) pairs of a vocabulary in `lang`, for a form's field."""
    return [(code, text_in(labels, lang)) for code, labels in vocabulary.items()]


def term_uuid(vocabulary: str, code: str) -> uuid.UUID:
    """The stable UUID of a taxonomy term (HSDS `taxonomy_term.id`)."""
    return uuid.uuid5(TAXONOMY_NAMESPACE, f"{vocabulary}:{code}")
