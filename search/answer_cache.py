"""The search API's answer cache: the same question to the same index answers the same.

Answers are kept per app (LRU), each for at most `CACHE_SECONDS` and only while the index
they were computed from is still the live one: the key holds the backend's index version,
so a commit or a reindex makes every older answer unreachable at once.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import fields
from datetime import date

from flask import current_app

from search.backends.interface import SearchBackend, SearchUnavailable
from search.query import SearchParams

CACHE_SIZE = 256
CACHE_SECONDS = 30.0
_KEY_FIELDS = tuple(f.name for f in fields(SearchParams) if f.name != "near_place")


class AnswerCache:
    """A small thread-safe LRU of JSON bodies with an age limit."""

    def __init__(self, size: int = CACHE_SIZE, seconds: float = CACHE_SECONDS) -> None:
        self.size, self.seconds = size, seconds
        self._items: OrderedDict[tuple, tuple[float, bytes, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> tuple[bytes, int] | None:
        """The body and total kept under `key`, if still fresh."""
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            if time.monotonic() - item[0] > self.seconds:
                del self._items[key]
                return None
            self._items.move_to_end(key)
            return item[1], item[2]

    def put(self, key: tuple, body: bytes, total: int) -> None:
        """Keep an answer's body and total (the oldest one goes when full)."""
        with self._lock:
            self._items[key] = (time.monotonic(), body, total)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


def cache_key(backend: SearchBackend, params: SearchParams, url: str) -> tuple | None:
    """The answer's key: the live index version and the normalised parameters, or None."""
    version = getattr(backend, "version", None)
    if version is None:  # a backend without versions (Elasticsearch): no cache
        return None
    try:
        current = version()
    except SearchUnavailable:
        return None
    if current is None:
        return None
    values = tuple(
        tuple(v) if isinstance(v, list) else v
        for v in (getattr(params, name) for name in _KEY_FIELDS)
    )
    # The date: freshness boosts depend on today.
    return (current, url, date.today(), values)


def answer_cache() -> AnswerCache:
    """The current app's cache (created on first use)."""
    cache = current_app.extensions.get("search_api_cache")
    if cache is None:
        cache = current_app.extensions.setdefault("search_api_cache", AnswerCache())
    return cache
