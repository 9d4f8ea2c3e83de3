"""Counting the searches made near a place, per area, so the coalition sees where demand is.

A search answered with `near` (a postcode or a city) adds one to the day's count of the
place's area — its province in Belgium and the Netherlands, its department in France.
Each web process adds its searches up in memory and writes them every
`SEARCH_DEMAND_FLUSH_SECONDS` (10 s) in one short transaction, and on its way out
(`search.pending`). Nothing else of the search is kept: no text, postcode, IP address or
session. The core reads the counts as the impact source "search_demand" (the reading
process's counts not yet written added in).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from datetime import date

from flask import Flask, Response, current_app, request
from sqlalchemy import func, select

from coalition.database import upsert, utcnow
from coalition.extensions import db
from coalition.postcodes import COUNTRIES
from search.models import SearchDemandCount
from search.pending import PendingCounts, write_at_exit
from search.schemas import resolve_place

log = logging.getLogger(__name__)

#: the answers that are a search near a place (the first page only: paging is not a search)
SEARCH_ENDPOINTS = frozenset({"search.programmes", "search.widget", "search_api.search"})


def searched_area() -> tuple[str, str] | None:
    """The (country, area) this request searched near, if it was a search near a known place."""
    if request.endpoint not in SEARCH_ENDPOINTS or request.args.get("page", "1") != "1":
        return None
    near = request.args.get("near", "").strip()[:60]
    country = request.args.get("country", "BE").strip().upper() or "BE"
    if not near or country not in COUNTRIES:
        return None
    place = resolve_place(near, country)
    if place is None or not place.province:
        return None
    return place.country, place.province


def init_demand_counts(app: Flask) -> None:
    """Count the app's searches near a place after each answer; what it holds is written
    when the process ends."""
    app.extensions["search_demand_pending"] = PendingCounts()
    app.after_request(write_demand_count)
    write_at_exit(app, write_all_demand)


def write_all_demand() -> None:
    """Write every count the process holds, due or not (when it ends)."""
    write_pending_demand(force=True)


def write_demand_count(response: Response) -> Response:
    """After a request: count a successful search near a place; write the counts if due."""
    if response.status_code == 200 and (area := searched_area()) is not None:
        _pending().add((utcnow().date(), *area))
    write_pending_demand()
    return response


def write_pending_demand(*, force: bool = False) -> None:
    """Write the process's counts if they are due (or `force`), in one short transaction
    after the request's own (`PendingCounts.write`)."""
    _pending().write(
        lambda day, country, area, n: record_search_near(country, area, day, n),
        "searches near a place",
        force=force,
    )


def _pending() -> PendingCounts:
    return current_app.extensions["search_demand_pending"]


def record_search_near(country: str, area: str, day: date | None = None, n: int = 1) -> None:
    """Add `n` to the count of searches near a place in `area` on `day`, in one statement
    whoever else counts the same area at the same time (an upsert)."""
    values = {"day": day or utcnow().date(), "country": country, "area": area, "count": n}
    db.session.execute(
        upsert(db.session, SearchDemandCount)
        .values(**values)
        .on_conflict_do_update(
            index_elements=["day", "country", "area"],
            set_={"count": SearchDemandCount.count + n},
        )
    )


def demand_rows(*, since: date | None = None) -> Iterator[dict]:
    """The impact source "search_demand": searches near a place per area, summed per day
    (this process's counts not yet written added in)."""
    query = select(
        SearchDemandCount.day,
        SearchDemandCount.country,
        SearchDemandCount.area,
        func.sum(SearchDemandCount.count),
    ).group_by(SearchDemandCount.day, SearchDemandCount.country, SearchDemandCount.area)
    if since is not None:
        query = query.where(SearchDemandCount.day >= since)
    totals: Counter[tuple[date, str, str]] = Counter(
        {
            (day, country, area): int(count)
            for day, country, area, count in db.session.execute(query)
        }
    )
    pending = current_app.extensions.get("search_demand_pending")
    if pending is not None:
        totals.update(
            {key: n for key, n in pending.counts().items() if since is None or key[0] >= since}
        )
    for (day, country, area), count in sorted(totals.items()):
        yield {"day": day, "country": country, "area": area, "count": count}
