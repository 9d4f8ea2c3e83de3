"""Counting the searches that found nothing, so the coalition sees what is missing.

A page or the API says that a search found nothing (`count_if_none_found`): the process
adds the normalised text up in memory, per day and language, and writes its counts every
`SEARCH_DEMAND_FLUSH_SECONDS` (10 s) after an answer, in one short transaction of its own,
and on its way out (`search.pending`): a view never commits, a search that found nothing
does not take the database's write lock each time, and a count that cannot be written
never fails the search (it waits for the next time).
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from flask import Flask, Response, current_app
from sqlalchemy import func, select, update

from coalition.database import upsert, utcnow
from coalition.extensions import db
from coalition.observability import search_queries
from search.models import ZERO_RESULT_QUERY_LENGTH, ZeroResultCount
from search.pending import PendingCounts, write_at_exit
from search.query import clean_text

log = logging.getLogger(__name__)

#: the most distinct texts counted per day and language
MAX_QUERIES_PER_DAY = 2000
#: where an app keeps the counts of its process not yet written
_PENDING = "search_zero_results_pending"


def normalise_query(query: str) -> str:
    """The query as counted: NFC, no control characters, lower-case, squeezed, capped."""
    return clean_text(query or "", ZERO_RESULT_QUERY_LENGTH, lower=True)


def init_zero_result_counts(app: Flask) -> None:
    """Count the app's searches that found nothing; write them when due and at exit."""
    app.extensions[_PENDING] = PendingCounts()
    app.after_request(write_zero_result_counts)
    write_at_exit(app, write_all_zero_results)


def count_if_none_found(query: str, lang: str, total: int) -> None:
    """Count a search for `query` in `lang` if it found nothing (`total` 0), written with
    the process's others (a search without text is not counted)."""
    if not query:
        return
    search_queries.labels(
        backend=current_app.config["SEARCH_BACKEND"], result="hits" if total else "zero_hits"
    ).inc()
    if total == 0 and len(lang) == 2 and (text := normalise_query(query)):
        current_app.extensions[_PENDING].add((utcnow().date(), lang, text))


def write_zero_result_counts(response: Response) -> Response:
    """After a request: write the process's counts if they are due."""
    write_pending_zero_results()
    return response


def write_all_zero_results() -> None:
    """Write every count the process holds, due or not (when it ends)."""
    write_pending_zero_results(force=True)


def write_pending_zero_results(*, force: bool = False) -> None:
    """Write the process's counts if they are due (or `force`), in one short transaction
    after the request's own (`PendingCounts.write`)."""
    current_app.extensions[_PENDING].write(
        lambda day, lang, text, n: record_zero_result(text, lang, day, n),
        "zero-result searches",
        force=force,
    )


def record_zero_result(query: str, lang: str, day: date | None = None, n: int = 1) -> None:
    """Count `n` searches for `query` in `lang` that found nothing on `day` (today by
    default; not an empty text).

    A known text is incremented; a new one is inserted with an upsert on (day, lang, query),
    so concurrent writers never collide, while fewer than `MAX_QUERIES_PER_DAY` are known.
    """
    text = normalise_query(query)
    if not text or len(lang) != 2:
        return
    today = day or utcnow().date()
    key = (
        ZeroResultCount.day == today,
        ZeroResultCount.lang == lang,
        ZeroResultCount.query == text,
    )
    counted = db.session.execute(
        update(ZeroResultCount).where(*key).values(count=ZeroResultCount.count + n)
    )
    if counted.rowcount:
        return
    # A new text: only while today's list is not full (random texts cannot fill the table).
    known = db.session.execute(
        select(func.count()).where(ZeroResultCount.day == today, ZeroResultCount.lang == lang)
    ).scalar_one()
    if known >= MAX_QUERIES_PER_DAY:
        return
    values = {"day": today, "lang": lang, "query": text, "count": n}
    stmt = (
        upsert(db.session, ZeroResultCount)
        .values(**values)
        .on_conflict_do_update(
            index_elements=["day", "lang", "query"],
            set_={"count": ZeroResultCount.count + n},
        )
    )
    db.session.execute(stmt)


def _pending_counts():
    """This process's counts not yet written: (day, lang, text) → searches."""
    pending = current_app.extensions.get(_PENDING)
    return pending.counts() if pending is not None else {}


def zero_result_summary(
    days: int = 30, lang: str | None = None, limit: int = 200
) -> list[tuple[str, str, int, date]]:
    """The most frequent zero-hit queries of the last `days` days (this process's counts
    not yet written added in).

    :return: rows of (query, lang, count, last day seen)
    """
    since = utcnow().date() - timedelta(days=days - 1)
    total = func.sum(ZeroResultCount.count).label("total")
    stmt = (
        select(ZeroResultCount.query, ZeroResultCount.lang, total, func.max(ZeroResultCount.day))
        .where(ZeroResultCount.day >= since)
        .group_by(ZeroResultCount.query, ZeroResultCount.lang)
        .order_by(total.desc(), ZeroResultCount.query)
        .limit(limit)
    )
    if lang:
        stmt = stmt.where(ZeroResultCount.lang == lang)
    found = {(query, code): (int(n), last) for query, code, n, last in db.session.execute(stmt)}
    for (day, code, query), n in _pending_counts().items():
        if day >= since and (not lang or code == lang):
            counted, last = found.get((query, code), (0, day))
            found[query, code] = (counted + n, max(last, day))
    rows = sorted(found.items(), key=lambda item: (-item[1][0], item[0][0]))
    return [(query, code, n, last) for (query, code), (n, last) in rows[:limit]]


def zero_result_rows(*, since: date | None = None) -> list[dict]:
    """The impact source "zero_result_searches": day, lang, query, count (this process's
    counts not yet written added in)."""
    stmt = select(
        ZeroResultCount.day, ZeroResultCount.lang, ZeroResultCount.query, ZeroResultCount.count
    )
    if since is not None:
        stmt = stmt.where(ZeroResultCount.day >= since)
    counts = {(day, lang, query): count for day, lang, query, count in db.session.execute(stmt)}
    for key, n in _pending_counts().items():
        if since is None or key[0] >= since:
            counts[key] = counts.get(key, 0) + n
    return [
        {"day": day, "lang": lang, "query": query, "count": count}
        for (day, lang, query), count in sorted(counts.items())
    ]
