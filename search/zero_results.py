"""Counting the searches that found nothing, so the coalition sees what is missing.

A page or the API says that a search found nothing (`count_if_none_found`); the count is
written once the request has its answer (`write_pending_counts`, run after each request),
in a short transaction of its own, so that a view never commits and a count that cannot be
written never fails the search.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from flask import Response, current_app, g
from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError

from coalition.database import utcnow, writing
from coalition.extensions import db
from coalition.observability import search_queries
from search.models import ZERO_RESULT_QUERY_LENGTH, ZeroResultCount
from search.query import clean_text

log = logging.getLogger(__name__)

#: the most distinct texts counted per day and language
MAX_QUERIES_PER_DAY = 2000
#: where a request keeps the (query, lang) of its searches that found nothing
_PENDING = "search_zero_results"


def normalise_query(query: str) -> str:
    """The query as counted: NFC, no control characters, lower-case, squeezed, capped."""
    return clean_text(query or "", ZERO_RESULT_QUERY_LENGTH, lower=True)


def count_if_none_found(query: str, lang: str, total: int) -> None:
    """Count a search for `query` in `lang` if it found nothing (`total` 0), once the
    request has answered (a search without text is not counted)."""
    if not query:
        return
    search_queries.labels(
        backend=current_app.config["SEARCH_BACKEND"], result="hits" if total else "zero_hits"
    ).inc()
    if total == 0:
        g.setdefault(_PENDING, []).append((query, lang))


def write_pending_counts(response: Response) -> Response:
    """After a request: write the counts it asked for (`count_if_none_found`), if any.

    The request's reading transaction ends first: the counts are a short write transaction
    of their own, which on SQLite waits for a concurrent writer instead of being refused.
    Counts that still cannot be written (the database busy for seconds) are given up and
    logged; the answer is never changed.
    """
    pending = g.pop(_PENDING, None)
    if not pending:
        return response
    try:
        db.session.commit()  # a GET wrote nothing: this only ends its reading transaction
        with writing():
            for query, lang in pending:
                record_zero_result(query, lang)
            db.session.commit()
    except OperationalError:
        db.session.rollback()
        log.warning("zero-result search not counted: the database is busy")
    return response


def record_zero_result(query: str, lang: str) -> None:
    """Count one search for `query` in `lang` that found nothing today (not an empty text).

    A known text is incremented; a new one is inserted with an upsert on (day, lang, query),
    so concurrent searches never collide, while fewer than `MAX_QUERIES_PER_DAY` are known.
    """
    text = normalise_query(query)
    if not text or len(lang) != 2:
        return
    today = utcnow().date()
    key = (
        ZeroResultCount.day == today,
        ZeroResultCount.lang == lang,
        ZeroResultCount.query == text,
    )
    counted = db.session.execute(
        update(ZeroResultCount).where(*key).values(count=ZeroResultCount.count + 1)
    )
    if counted.rowcount:
        return
    # A new text: only while today's list is not full (random texts cannot fill the table).
    known = db.session.execute(
        select(func.count()).where(ZeroResultCount.day == today, ZeroResultCount.lang == lang)
    ).scalar_one()
    if known >= MAX_QUERIES_PER_DAY:
        return
    values = {"day": today, "lang": lang, "query": text, "count": 1}
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        insert = postgresql.insert(ZeroResultCount)
    elif dialect == "sqlite":
        insert = sqlite.insert(ZeroResultCount)
    else:  # pragma: no cover - the platform runs on SQLite or PostgreSQL
        raise RuntimeError(f"unsupported database {dialect}")
    stmt = insert.values(**values).on_conflict_do_update(
        index_elements=["day", "lang", "query"],
        set_={"count": ZeroResultCount.count + 1},
    )
    db.session.execute(stmt)


def zero_result_summary(
    days: int = 30, lang: str | None = None, limit: int = 200
) -> list[tuple[str, str, int, date]]:
    """The most frequent zero-hit queries of the last `days` days.

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
    return [tuple(row) for row in db.session.execute(stmt)]


def zero_result_rows(*, since: date | None = None) -> list[dict]:
    """The impact source "zero_result_searches": day, lang, query, count."""
    stmt = select(
        ZeroResultCount.day, ZeroResultCount.lang, ZeroResultCount.query, ZeroResultCount.count
    )
    if since is not None:
        stmt = stmt.where(ZeroResultCount.day >= since)
    return [
        {"day": day, "lang": lang, "query": query, "count": count}
        for day, lang, query, count in db.session.execute(stmt.order_by(ZeroResultCount.day))
    ]
