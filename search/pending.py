"""Counts a web process adds up in memory and writes together: a search that counts
something (near a place, found nothing) does not take the database's write lock (on
SQLite, one for the whole database) each time. Each kind of count writes what it holds
every `SEARCH_DEMAND_FLUSH_SECONDS`, after the answer of the request that finds it due, and
when the process ends; a process that is killed loses at most those seconds of counts.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
import weakref
from collections import Counter
from collections.abc import Callable, Hashable

from flask import Flask, current_app
from sqlalchemy.exc import OperationalError

from coalition.database import writing
from coalition.extensions import db

log = logging.getLogger(__name__)


class PendingCounts:
    """A process's counts not yet written: key → how many, for at most `limit` keys (a
    database that refuses them for long does not make the process grow without end: a
    new key beyond the limit is not counted)."""

    def __init__(self, limit: int = 10_000) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[Hashable] = Counter()
        self._since = time.monotonic()
        self.limit = limit

    def add(self, key: Hashable, n: int = 1) -> None:
        with self._lock:
            if key in self._counts or len(self._counts) < self.limit:
                self._counts[key] += n

    def counts(self) -> Counter:
        """A copy of the counts not yet written."""
        with self._lock:
            return Counter(self._counts)

    def take(self, every: float, *, force: bool = False) -> Counter:
        """The counts to write now (none before `every` seconds passed, unless `force`)."""
        with self._lock:
            if not self._counts or (not force and time.monotonic() - self._since < every):
                return Counter()
            taken, self._counts, self._since = self._counts, Counter(), time.monotonic()
            return taken

    def write(self, record: Callable[..., None], what: str, *, force: bool = False) -> None:
        """`record(*key, n)` each count, in one transaction, if `SEARCH_DEMAND_FLUSH_SECONDS`
        passed (or `force`).

        The request's reading transaction ends first: the counts are a short write
        transaction of their own, which on SQLite waits for a concurrent writer instead of
        being refused. Counts the database does not take (busy for seconds) are kept for
        the next time and logged (`what` they are); the answer is never changed.
        """
        if not self._counts:  # most answers: nothing held, no lock taken, no clock read
            return
        taken = self.take(current_app.config["SEARCH_DEMAND_FLUSH_SECONDS"], force=force)
        if not taken:
            return
        try:
            db.session.commit()  # a GET wrote nothing: this only ends its reading transaction
            with writing():
                for key, n in sorted(taken.items()):
                    record(*key, n)
                db.session.commit()
        except OperationalError:
            db.session.rollback()
            for key, n in taken.items():
                self.add(key, n)
            log.warning("%s not counted yet: the database did not take them", what)


#: per exit writer, the apps of this process whose counts it writes (weakly: an app no
#: longer used goes)
_AT_EXIT: dict[Callable[[], None], weakref.WeakSet[Flask]] = {}


def write_at_exit(app: Flask, write: Callable[[], None]) -> None:
    """Call `write` (in an app context of `app`) when the process ends: a gunicorn
    worker's graceful stop, `flask run` stopped."""
    _AT_EXIT.setdefault(write, weakref.WeakSet()).add(app)


@atexit.register
def _write_on_exit() -> None:
    for write, apps in list(_AT_EXIT.items()):
        for app in list(apps):
            with app.app_context():
                try:
                    write()
                except Exception:  # the process ends anyway; say what was lost
                    log.exception("counts not written at exit (%s)", write.__name__)
