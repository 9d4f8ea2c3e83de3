"""The tantivy index's schema, its analyzers, and an index document in tantivy's form.

The fields are those of `search.documents` (keywords, texts with their analyzer), plus the
columns tantivy needs to answer without reading documents: integers, and for each field of
places (the programme's, where it needs mentors) the coordinates, their count and the first
place's as single-valued fast fields; and for each facet whose values come from a short
list, the document's values as one column of bits (`FACET_BITS`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import tantivy

from coalition import taxonomy
from search.analysis import LANGS, analyzer, prepare
from search.documents import KEYWORDS, PLACE_FIELD, TEXT_FIELDS

#: integer columns of the document
INTEGERS = ("id", "age_min", "age_max", "confirmed_days", "published_ts", "mentor_minutes")


#: facets whose values are the codes of a short vocabulary (under 63) → its codes. Each is
#: also a single-valued column `<name>_bits` (bit i: the document has code i), which
#: tantivy counts in a tenth of the time the multi-valued text column takes
#: (`tantivy_facets`). Not the provinces: the postcodes know more than a hundred (every
#: French département), and a hit outside a list counts its facet a second time.
FACET_BITS: dict[str, tuple[str, ...]] = {
    "theme": tuple(taxonomy.THEMES),
    "audience": tuple(taxonomy.AUDIENCES),
    "format": tuple(taxonomy.FORMATS),
    "language": tuple(taxonomy.SPOKEN_LANGUAGES),
}
#: the bits of a document with a value outside the list: its facet is counted on the text
UNLISTED = -1
_BIT_OF = {name: {value: 1 << i for i, value in enumerate(vs)} for name, vs in FACET_BITS.items()}


def bits_column(name: str) -> str:
    """The column of bits of the facet `name`."""
    return f"{name}_bits"


def facet_bits(name: str, values: list[str]) -> int:
    """The bits of `values` of the facet `name` (`UNLISTED` if one is not in its list)."""
    bit_of = _BIT_OF[name]
    bits = 0
    for value in values:
        bit = bit_of.get(value)
        if bit is None:
            return UNLISTED
        bits |= bit
    return bits


@dataclass(frozen=True)
class GeoColumns:
    """The columns of a field of places: every latitude and longitude (a box filters on
    them), how many places, and the first place's (distances without reading documents)."""

    lat: str
    lon: str
    count: str
    lat0: str
    lon0: str


#: the document's fields of places → their columns
GEO_COLUMNS = {
    "locations": GeoColumns("lat", "lon", "nloc", "lat0", "lon0"),
    "mentor_locations": GeoColumns("mlat", "mlon", "mnloc", "mlat0", "mlon0"),
}


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in INTEGERS:
        builder.add_integer_field(name, stored=name == "id", indexed=True, fast=True)
    builder.add_bytes_field("source", stored=True)
    for name in KEYWORDS:
        builder.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    for name in FACET_BITS:
        builder.add_integer_field(bits_column(name), fast=True)
    for name, (lang, _boost) in TEXT_FIELDS.items():
        builder.add_text_field(name, tokenizer_name=lang)
    builder.add_text_field("suggest", tokenizer_name="plain")
    builder.add_text_field(PLACE_FIELD, tokenizer_name="plain")
    builder.add_text_field("vocab", tokenizer_name="plain", index_option="basic")
    for columns in GEO_COLUMNS.values():
        builder.add_float_field(columns.lat, indexed=True, fast=True)
        builder.add_float_field(columns.lon, indexed=True, fast=True)
        builder.add_integer_field(columns.count, indexed=True, fast=True)
        builder.add_float_field(columns.lat0, fast=True)
        builder.add_float_field(columns.lon0, fast=True)
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
        t.add_integer(name, int(doc[name]))
    t.add_bytes("source", orjson.dumps(doc, option=orjson.OPT_NON_STR_KEYS))
    for name in KEYWORDS:
        values = doc.get(name) or []
        for value in [values] if isinstance(values, str) else values:
            t.add_text(name, value)
    for name in FACET_BITS:
        t.add_integer(bits_column(name), facet_bits(name, doc.get(name) or []))
    for name, (lang, _boost) in TEXT_FIELDS.items():
        if doc.get(name):
            t.add_text(name, prepare(doc[name], lang))
    for text in doc["suggest"]:
        t.add_text("suggest", text)
    for name in doc.get(PLACE_FIELD) or []:
        t.add_text(PLACE_FIELD, name)
    t.add_text("vocab", " ".join(doc.get(name) or "" for name in TEXT_FIELDS))
    for field, columns in GEO_COLUMNS.items():
        places = doc.get(field) or []
        for place in places:
            t.add_float(columns.lat, place["lat"])
            t.add_float(columns.lon, place["lon"])
        t.add_integer(columns.count, len(places))
        first = places[0] if places else {"lat": 0.0, "lon": 0.0}
        t.add_float(columns.lat0, first["lat"])
        t.add_float(columns.lon0, first["lon"])
    return t


def stored_document(searcher: tantivy.Searcher, address: Any) -> dict[str, Any]:
    """The index document stored at `address` (as `build_document` made it)."""
    source = bytes(searcher.doc(address)["source"][0])
    try:
        return orjson.loads(source)
    except orjson.JSONDecodeError:  # written by the standard library before (NaN allowed)
        return json.loads(source)
