"""The embedded backend: a tantivy index folder under `instance/`.

Layout of `SEARCH_INDEX_PATH`: one folder per generation (`gen-…`) and a `CURRENT` file
naming the live one. A reindex builds a new generation beside the live one, then replaces
`CURRENT` atomically (`os.replace`); readers notice and reopen, never seeing a missing or
half-built index. Writes happen only in the indexer (one writer per folder: tantivy's lock).
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tantivy
from tantivy import Occur, Query

from coalition.postcodes import distance_km
from search.analysis import (
    LANGS,
    SYNONYM_BOOST,
    analyze,
    analyze_word,
    analyzer,
    edit_distance,
    fold,
    fuzzy_distance,
    prepare,
    query_words,
    required_matches,
    starts_like,
    variants,
)
from search.backends import BackendResults, DocHit, SearchUnavailable
from search.documents import EPOCH, STALE_AFTER_DAYS

if TYPE_CHECKING:
    from search.services import SearchParams

log = logging.getLogger(__name__)

KEYWORDS = (
    "theme",
    "audience",
    "format",
    "language",
    "cost",
    "capacity",
    "city",
    "city_key",
    "province",
    "org_slug",
)
INTEGERS = ("id", "age_min", "age_max", "confirmed_days", "published_ts", "nloc")
#: text field → (analyzer, boost)
TEXT_FIELDS: dict[str, tuple[str, float]] = {"org": ("plain", 2.0)}
for _lang in LANGS:
    TEXT_FIELDS.update(
        {
            f"title_{_lang}": (_lang, 3.0),
            f"summary_{_lang}": (_lang, 2.0),
            f"description_{_lang}": (_lang, 1.0),
            f"tags_{_lang}": (_lang, 1.5),
        }
    )
FACET_FIELDS = {
    "theme": "theme",
    "audience": "audience",
    "format": "format",
    "language": "language",
    "cost": "cost",
    "province": "province",
    "city": "city",
}
FACET_SIZE = 50
#: readers look for new commits at most this often (seconds)
RELOAD_EVERY = 0.1


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
    builder.add_text_field("vocab", tokenizer_name="plain", index_option="basic")
    builder.add_float_field("lat", indexed=True, fast=True)
    builder.add_float_field("lon", indexed=True, fast=True)
    # The first location as single-valued columns: distances without reading documents.
    builder.add_float_field("lat0", fast=True)
    builder.add_float_field("lon0", fast=True)
    return builder.build()


SCHEMA = _schema()


def _open(path: Path) -> tantivy.Index:
    index = tantivy.Index(SCHEMA, path=str(path), reuse=True)
    for lang in (*LANGS, "plain"):
        index.register_tokenizer(lang, analyzer(lang))
    return index


def _tantivy_doc(doc: dict[str, Any]) -> tantivy.Document:
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
    vocab = []
    for text in doc["suggest"]:
        t.add_text("suggest", text)
    for name in TEXT_FIELDS:
        vocab.append(doc.get(name) or "")
    t.add_text("vocab", " ".join(vocab))
    for location in doc["locations"]:
        t.add_float("lat", location["lat"])
        t.add_float("lon", location["lon"])
    first = doc["locations"][0] if doc["locations"] else {"lat": 0.0, "lon": 0.0}
    t.add_float("lat0", first["lat"])
    t.add_float("lon0", first["lon"])
    return t


class TantivyBackend:
    """tantivy index folders with an atomic `CURRENT` pointer."""

    def __init__(self, path: str) -> None:
        self.root = Path(path)
        self._lock = threading.RLock()
        self._write_lock = threading.Lock()
        self._index: tantivy.Index | None = None
        self._generation: str | None = None
        self._checked = 0.0
        #: the live generation's meta.json as last read: a reader reloads only when it changed
        self._meta: bytes | None = None
        #: (generation, digest of its meta.json): changes whenever the readers see a different
        #: index (a commit, a merge or a switch)
        self._version: tuple[str, str] | None = None

    # --- folders -------------------------------------------------------------------------

    def _pointer(self) -> Path:
        return self.root / "CURRENT"

    def _read_pointer(self) -> str | None:
        try:
            return self._pointer().read_text().strip() or None
        except FileNotFoundError:
            return None

    def _switch(self, generation: str) -> None:
        tmp = self.root / f".CURRENT-{uuid.uuid4().hex}"
        tmp.write_text(generation)
        os.replace(tmp, self._pointer())

    def _new_generation(self) -> tuple[str, tantivy.Index]:
        self.root.mkdir(parents=True, exist_ok=True)
        name = f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"
        (self.root / name).mkdir()
        return name, _open(self.root / name)

    def _live(self) -> tantivy.Index:
        """The live index, reopened when `CURRENT` changed, reloaded to see new commits."""
        if self._index is not None and time.monotonic() - self._checked < RELOAD_EVERY:
            return self._index
        with self._lock:
            try:
                generation = self._read_pointer()
                if generation is None:
                    generation, index = self._new_generation()
                    self._switch(generation)
                    self._index, self._generation = index, generation
                    self._meta, self._version = None, (generation, uuid.uuid4().hex)
                elif generation != self._generation or self._index is None:
                    # meta.json is read BEFORE the index is opened or reloaded, so what the
                    # readers see is never older than what `version` claims.
                    meta = self._read_meta(generation)
                    self._index = _open(self.root / generation)
                    self._generation, self._meta = generation, meta
                    self._version = _version(generation, meta)
                else:
                    meta = self._read_meta(generation)
                    if meta is None or meta != self._meta:
                        self._index.reload()
                        self._meta = meta
                        self._version = _version(generation, meta)
                self._checked = time.monotonic()
            except (OSError, ValueError) as error:
                raise SearchUnavailable(
                    f"tantivy index unusable ({error}); `flask search reindex` rebuilds it"
                ) from error
            return self._index

    def _read_meta(self, generation: str) -> bytes | None:
        try:
            return (self.root / generation / "meta.json").read_bytes()
        except FileNotFoundError:
            return None

    def version(self) -> tuple[str, str] | None:
        """What the readers see now: changes exactly when the live index changed (cache key)."""
        self._live()
        return self._version

    # --- writing -------------------------------------------------------------------------

    def _write(self, index: tantivy.Index, docs: list[dict], delete_ids: list[int]) -> set[int]:
        """Delete and add in one commit; return the ids of the documents written."""
        converted = []
        for doc in docs:
            try:
                converted.append((int(doc["id"]), _tantivy_doc(doc)))
            except (KeyError, TypeError, ValueError):
                log.warning("search document %s rejected", doc.get("id"), exc_info=True)
        with self._write_lock:
            try:
                writer = index.writer(heap_size=50_000_000, num_threads=1)
            except ValueError as error:  # another process holds the writer lock
                raise SearchUnavailable(f"tantivy writer busy: {error}") from error
            try:
                for doc_id in delete_ids:
                    writer.delete_documents_by_term("id", int(doc_id))
                for doc_id, tantivy_doc in converted:
                    writer.delete_documents_by_term("id", doc_id)
                    writer.add_document(tantivy_doc)
                writer.commit()
                self._checked = 0.0  # this process sees its own commit on its next search
            except Exception:
                writer.rollback()
                raise
            finally:
                writer.wait_merging_threads()
        return {doc_id for doc_id, _doc in converted}

    def index(self, docs: list[dict[str, Any]]) -> set[int]:
        """Add or replace documents in one commit; return the ids written."""
        return self._write(self._live(), docs, []) if docs else set()

    def delete(self, ids: list[int]) -> set[int]:
        """Remove documents by programme id."""
        if ids:
            self._write(self._live(), [], ids)
        return set(ids)

    def reindex(self, docs: Iterable[dict[str, Any]]) -> int:
        """Build a new generation, switch `CURRENT` to it, drop generations before the last."""
        generation, index = self._new_generation()
        count, batch = 0, []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= 5000:
                count += len(self._write(index, batch, []))
                batch = []
        count += len(self._write(index, batch, []))
        previous = self._read_pointer()
        self._switch(generation)
        for old in self.root.glob("gen-*"):
            if old.name not in (generation, previous):
                shutil.rmtree(old, ignore_errors=True)
        return count

    # --- reading -------------------------------------------------------------------------

    def ping(self) -> bool:
        try:
            self._live()
        except SearchUnavailable:
            return False
        return True

    def count(self) -> int:
        return self._live().searcher().num_docs

    def _text_query(self, searcher: tantivy.Searcher, q: str) -> Query | None:
        """Enough words must match some field (`required_matches`); typos match fuzzily.

        Each word also matches its synonyms (`variants`). Fuzzy automata are costly in
        tantivy, so a word found as such in any field is matched exactly (stemmed, accents
        folded), and only an unknown word (a typo) gets one fuzzy query, on the unstemmed
        `vocab` field that holds every text.
        """
        words = query_words(q)
        if not words:
            return None
        groups = []
        for word in words:
            alternatives, known = [], False
            for variant in variants(word):
                clauses = []
                for name, (lang, boost) in TEXT_FIELDS.items():
                    for term in analyze_word(variant, lang):
                        known = known or searcher.doc_freq(name, term) > 0
                        clauses.append(
                            (
                                Occur.Should,
                                Query.boost_query(Query.term_query(SCHEMA, name, term), boost),
                            )
                        )
                if clauses:
                    query = Query.boolean_query(clauses)
                    # the word as typed ranks above its synonyms
                    alternatives.append(
                        query if variant == word else Query.boost_query(query, SYNONYM_BOOST)
                    )
            distance = fuzzy_distance(fold(word))
            if not known and distance:
                alternatives += [
                    Query.fuzzy_term_query(SCHEMA, "vocab", term, distance, True, False)
                    for term in analyze_word(word, "plain")
                ]
            if len(alternatives) == 1:
                groups.append(alternatives[0])
            elif alternatives:
                # the best-matching synonym counts, not their sum
                groups.append(Query.disjunction_max_query(alternatives))
        if not groups:
            return None
        every = Query.boolean_query([(Occur.Must, group) for group in groups])
        if required_matches(len(groups)) == len(groups):
            return every
        # tantivy has no minimum_should_match: any programme matching all words but one
        # is found, and one matching every word scores on more clauses, so ranks first.
        options = [every] + [
            Query.boolean_query([(Occur.Must, g) for j, g in enumerate(groups) if j != i])
            for i in range(len(groups))
        ]
        return Query.boolean_query([(Occur.Should, option) for option in options])

    def _filters(self, params: SearchParams, geo_ids: list[int] | None) -> dict[str, Query]:
        from search.services import fold_city

        filters: dict[str, Query] = {}
        for name, attr in (
            ("theme", "themes"),
            ("audience", "audiences"),
            ("format", "formats"),
            ("language", "languages"),
            ("cost", "cost"),
        ):
            values = getattr(params, attr)
            if values:
                filters[name] = Query.term_set_query(SCHEMA, name, list(values))
        if params.city:
            filters["city"] = Query.term_query(SCHEMA, "city_key", fold_city(params.city))
        if params.province:
            filters["province"] = Query.term_query(SCHEMA, "province", params.province)
        if params.organisation:
            filters["organisation"] = Query.term_query(SCHEMA, "org_slug", params.organisation)
        if params.age is not None:
            filters["age"] = Query.boolean_query(
                [
                    (
                        Occur.Must,
                        Query.range_query(
                            SCHEMA, "age_min", tantivy.FieldType.Integer, None, params.age
                        ),
                    ),
                    (
                        Occur.Must,
                        Query.range_query(
                            SCHEMA, "age_max", tantivy.FieldType.Integer, params.age, None
                        ),
                    ),
                ]
            )
        if params.open_only:
            filters["open"] = Query.term_query(SCHEMA, "capacity", "open")
        if geo_ids is not None:
            filters["near"] = (
                Query.term_set_query(SCHEMA, "id", geo_ids) if geo_ids else Query.empty_query()
            )
        return filters

    def _geo(
        self, searcher: tantivy.Searcher, origin: tuple[float, float], radius: float
    ) -> dict[int, float]:
        """Programme id → distance of its nearest location within `radius` km of `origin`."""
        lat, lon = origin
        dlat = radius / 111.0
        dlon = radius / (111.0 * max(0.01, math.cos(math.radians(lat))))
        box = Query.boolean_query(
            [
                (
                    Occur.Must,
                    Query.range_query(
                        SCHEMA, "lat", tantivy.FieldType.Float, lat - dlat, lat + dlat
                    ),
                ),
                (
                    Occur.Must,
                    Query.range_query(
                        SCHEMA, "lon", tantivy.FieldType.Float, lon - dlon, lon + dlon
                    ),
                ),
            ]
        )
        found: dict[int, float] = {}
        addresses = [a for _s, a in searcher.search(box, limit=_all(searcher), count=False).hits]
        columns = [
            searcher.fast_field_values(name, addresses) for name in ("id", "nloc", "lat0", "lon0")
        ]
        for address, doc_id, nloc, lat0, lon0 in zip(addresses, *columns, strict=True):
            if nloc == 1:
                nearest = distance_km(lat, lon, lat0, lon0)
            else:  # several places: read them from the document
                doc = json.loads(bytes(searcher.doc(address)["source"][0]))
                nearest = min(
                    (distance_km(lat, lon, p["lat"], p["lon"]) for p in doc["locations"]),
                    default=math.inf,
                )
            if nearest <= radius:
                found[int(doc_id)] = nearest
        return found

    @staticmethod
    def _and(parts: list[Query]) -> Query:
        if not parts:
            return Query.all_query()
        return Query.boolean_query([(Occur.Must, p) for p in parts])

    def search(self, params: SearchParams) -> BackendResults:
        """Text, filters, facets (each without its own filter), geo, sort and one page."""
        searcher = self._live().searcher()
        text = self._text_query(searcher, params.q)
        geo = None
        if params.origin:
            geo = self._geo(searcher, params.origin, params.radius_km or 25)
        filters = self._filters(params, sorted(geo) if geo is not None else None)
        base = [text] if text else []
        query = self._and(base + list(filters.values()))
        fresh_since = (date.today() - EPOCH).days - STALE_AFTER_DAYS
        ranked = Query.boolean_query(
            [
                (Occur.Must, query),
                (
                    Occur.Should,
                    Query.const_score_query(
                        Query.range_query(
                            SCHEMA, "confirmed_days", tantivy.FieldType.Integer, fresh_since, None
                        ),
                        0.5,
                    ),
                ),
            ]
        )
        offset = (params.page - 1) * params.per_page
        results = BackendResults()
        try:
            if params.sort == "distance" and geo is not None:
                found = searcher.search(query, limit=_all(searcher))
                ids = searcher.fast_field_values("id", [a for _s, a in found.hits])
                scored = sorted(
                    zip(ids, found.hits, strict=True),
                    key=lambda item: (geo.get(item[0], math.inf), item[0]),
                )
                page = [(s, a) for _i, (s, a) in scored[offset : offset + params.per_page]]
                results.total = found.count
            elif params.sort == "newest":
                found = searcher.search(
                    query,
                    limit=params.per_page,
                    offset=offset,
                    order_by_field="published_ts",
                    order=tantivy.Order.Desc,
                )
                page, results.total = found.hits, found.count
            else:
                found = searcher.search(ranked, limit=params.per_page, offset=offset)
                page, results.total = found.hits, found.count
            for score, address in page:
                doc = json.loads(bytes(searcher.doc(address)["source"][0]))
                distance = geo.get(int(doc["id"])) if geo is not None else None
                results.hits.append(
                    DocHit(
                        doc=doc,
                        score=float(score) if isinstance(score, float) else 0.0,
                        distance_km=distance,
                    )
                )
            results.facets = self._facets(searcher, base, filters)
        except ValueError as error:
            raise SearchUnavailable(f"tantivy search failed: {error}") from error
        return results

    def _facets(
        self, searcher: tantivy.Searcher, base: list[Query], filters: dict[str, Query]
    ) -> dict[str, list[tuple[str, int]]]:
        """Facet counts; a facet's own filter is left out of its counts (post_filter style)."""
        facets: dict[str, list[tuple[str, int]]] = {}
        shared = [name for name in FACET_FIELDS if name not in filters]
        groups = [(shared, self._and(base + list(filters.values())))]
        for name in FACET_FIELDS:
            if name in filters:
                others = [q for key, q in filters.items() if key != name]
                groups.append(([name], self._and(base + others)))
        for names, query in groups:
            if not names:
                continue
            aggs = {n: {"terms": {"field": FACET_FIELDS[n], "size": FACET_SIZE}} for n in names}
            answer = searcher.aggregate(query, aggs)
            for n in names:
                buckets = answer.get(n, {}).get("buckets", [])
                facets[n] = [(b["key"], int(b["doc_count"])) for b in buckets]
        return facets

    def suggest(self, prefix: str, lang: str, limit: int = 8) -> list[dict[str, str]]:
        """Titles and organisation names with a word starting like the prefix's last word."""
        words = analyze(prefix, "plain")
        if not words:
            return []
        searcher = self._live().searcher()
        query = Query.phrase_prefix_query(SCHEMA, "suggest", words)
        items: list[dict[str, str]] = []
        seen: set[str] = set()
        for _score, address in searcher.search(query, limit=limit * 3).hits:
            doc = json.loads(bytes(searcher.doc(address)["source"][0]))
            candidates = [
                (doc.get(f"title_{lang}"), "title"),
                *((doc.get(f"title_{x}"), "title") for x in LANGS),
                (doc["suggest"][-1], "organisation"),
            ]
            for text, kind in candidates:
                if text and text not in seen and starts_like(text, prefix):
                    seen.add(text)
                    items.append({"text": text, "kind": kind})
                    break
        return items[:limit]

    def correct(self, text: str, lang: str) -> str | None:
        """Each unknown word replaced by the closest word of the index (up to 2 edits)."""
        searcher = self._live().searcher()
        out, changed = [], False
        for word in query_words(text):
            term = fold(word)
            if searcher.doc_freq("vocab", term) or len(term) < 4:
                out.append(word)
                continue
            best = None
            for candidate, freq in searcher.terms_with_prefix("vocab", term[:1]):
                d = edit_distance(term, candidate, 2)
                if d <= 2 and (best is None or (d, -freq) < best[0]):
                    best = ((d, -freq), candidate)
            if best:
                out.append(best[1])
                changed = True
            else:
                out.append(word)
        return " ".join(out) if changed else None


def _version(generation: str, meta: bytes | None) -> tuple[str, str]:
    digest = hashlib.blake2b(meta, digest_size=16).hexdigest() if meta else uuid.uuid4().hex
    return (generation, digest)


def _all(searcher: tantivy.Searcher) -> int:
    """A limit that collects every hit (tantivy's top-docs collector needs a number)."""
    return max(1, searcher.num_docs)
