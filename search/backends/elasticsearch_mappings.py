"""The Elasticsearch index's settings (the language analyzers) and mappings.

The fields are those of `search.documents` (`place_names` too, but matched only exactly);
`vocab` gathers every text (spelling
corrections, `vocab_text`), `suggest_input` feeds the completion suggester.
"""

from __future__ import annotations

from typing import Any

from search.documents import KEYWORDS, PLACE_FIELD, TEXT_FIELDS

#: the longest title (in words) whose suffixes are offered to the completion suggester
MAX_SUGGEST_WORDS = 10
#: French elided articles and pronouns ("l'emploi", "jusqu'ici")
FRENCH_ELISIONS = "l m t qu n s j d c jusqu quoiqu lorsqu puisqu".split()  # noqa: SIM905

SETTINGS: dict[str, Any] = {
    "number_of_shards": 1,
    "analysis": {
        "filter": {
            "fr_elision": {"type": "elision", "articles_case": True, "articles": FRENCH_ELISIONS},
            # The light French stemmer folds plurals ("emplois" → "emploi").
            "fr_stemmer": {"type": "stemmer", "language": "light_french"},
            "nl_stemmer": {"type": "stemmer", "language": "dutch"},
            "en_stemmer": {"type": "stemmer", "language": "english"},
        },
        "analyzer": {
            "fr": {
                "tokenizer": "standard",
                "filter": ["fr_elision", "lowercase", "asciifolding", "fr_stemmer"],
            },
            "nl": {"tokenizer": "standard", "filter": ["lowercase", "asciifolding", "nl_stemmer"]},
            "en": {"tokenizer": "standard", "filter": ["lowercase", "asciifolding", "en_stemmer"]},
            "plain": {"tokenizer": "standard", "filter": ["lowercase", "asciifolding"]},
        },
    },
}


def mappings() -> dict[str, Any]:
    """The index's fields: the document's, `vocab`, and the completion input."""
    properties: dict[str, Any] = {
        "id": {"type": "integer"},
        "age_min": {"type": "integer"},
        "age_max": {"type": "integer"},
        "confirmed_days": {"type": "integer"},
        "published_ts": {"type": "long"},
        "mentor_minutes": {"type": "integer"},
        "locations": {"type": "geo_point"},
        "mentor_locations": {"type": "geo_point"},
        "vocab": {"type": "text", "analyzer": "plain"},
        PLACE_FIELD: {"type": "text", "analyzer": "plain"},
        "suggest_input": {"type": "completion", "analyzer": "plain"},
        "suggest": {"type": "keyword", "index": False},
    }
    for name in (*KEYWORDS, "uuid"):
        properties[name] = {"type": "keyword"}
    for name, (analyzer, _boost) in TEXT_FIELDS.items():
        properties[name] = {"type": "text", "analyzer": analyzer}
    return {"dynamic": "false", "properties": properties}


def vocab_text(doc: dict[str, Any]) -> str:
    """Every text of the document in one field (spelling corrections), as tantivy's `vocab`:
    sent with the document rather than `copy_to`, which not every Elasticsearch-compatible
    server honours (the test server's term suggester found nothing with it)."""
    return " ".join(doc.get(name) or "" for name in TEXT_FIELDS)


def suggest_inputs(doc: dict[str, Any]) -> list[str]:
    """Every word-suffix of the titles and the organisation name (completion is prefix-only)."""
    inputs: list[str] = []
    for text in doc["suggest"]:
        words = text.split()[:MAX_SUGGEST_WORDS]
        inputs.extend(" ".join(words[i:]) for i in range(len(words)))
    return list(dict.fromkeys(i for i in inputs if i))
