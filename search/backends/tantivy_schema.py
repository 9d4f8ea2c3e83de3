"""The tantivy index's schema, its analyzers, and an index document in tantivy's form.

The fields are those of `search.documents` (keywords, texts with their analyzer), plus the
columns tantivy needs to answer without reading documents: integers, the locations'
coordinates, and the first location as single-valued fast fields.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import tantivy

from search.analysis import LANGS, analyzer, prepare
from search.documents import KEYWORDS, PLACE_FIELD, TEXT_FIELDS

#: integer columns; `nloc` is the number of locations (the rest are the document's own)
INTEGERS = ("id", "age_min", "age_max", "confirmed_days", "published_ts", "nloc", "mentor_minutes")


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in INTEGERS:
        builder.add_integer_field(name, stored=name == "id", indexed=True, fast=True)
    builder.add_bytes_field("source", stored=True)
    for name in KEYWORDS:
        builder.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    for name, (lang, _boost) in TEXT_FIELDS.items():
        builder.add_text_field(name, tokenizer_name=lang)
    builder.add_text_field("suggest", tokenizer_name="plain")
    builder.add_text_field(PLACE_FIELD, tokenizer_name="plain")
    builder.add_text_field("vocab", tokenizer_name="plain", index_option="basic")
    builder.add_float_field("lat", indexed=True, fast=True)
    builder.add_float_field("lon", indexed=True, fast=True)
    # The first location as single-valued columns: distances without reading documents.
    builder.add_float_field("lat0", fast=True)
    builder.add_float_field("lon0", fast=True)
    return builder.build()


SCHEMA = _schema()


def open_index(path: Path) -> tantivy.Index:
    """The index in folder `path` (created if empty), with the platform's analyzers."""
    index = tantivy.Index(SCHEMA, path=str(path), reuse=True)
    for lang in (*LANGS, "plain"):
        index.register_tokenizer(lang, analyzer(lang))
    return index


def tantivy_document(doc: dict[str, Any]) -> tantivy.Document:
    """An index document (`search.documents.build_document`) as tantivy stores it."""
    t = tantivy.Document()
    for name in INTEGERS:
        t.add_integer(name, int(doc[name]) if name != "nloc" else len(doc["locations"]))
    t.add_bytes("source", json.dumps(doc, ensure_ascii=False).encode())
    for name in KEYWORDS:
        values = doc.get(name) or []
        for value in [values] if isinstance(values, str) else values:
            t.add_text(name, value)
    for name, (lang, _boost) in TEXT_FIELDS.items():
        if doc.get(name):
            t.add_text(name, prepare(doc[name], lang))
    for text in doc["suggest"]:
        t.add_text("suggest", text)
    for name in doc.get(PLACE_FIELD) or []:
        t.add_text(PLACE_FIELD, name)
    t.add_text("vocab", " ".join(doc.get(name) or "" for name in TEXT_FIELDS))
    for location in doc["locations"]:
        t.add_float("lat", location["lat"])
        t.add_float("lon", location["lon"])
    first = doc["locations"][0] if doc["locations"] else {"lat": 0.0, "lon": 0.0}
    t.add_float("lat0", first["lat"])
    t.add_float("lon0", first["lon"])
    return t


def stored_document(searcher: tantivy.Searcher, address: Any) -> dict[str, Any]:
    """The index document stored at `address` (as `build_document` made it)."""
    return json.loads(bytes(searcher.doc(address)["source"][0]))
