"""Counting the searches made near a place, per area, so the coalition sees where demand is.

A search answered with `near` (a postcode or a city) adds one to the day's count of the
place's area — its province in Belgium and the Netherlands, its department in France —
after the request has its answer, in a short transaction of its own, as the zero-result
counts are written. Nothing else of the search is kept: no text, postcode, IP address or
session. The core reads the counts as the impact source "search_demand".
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date

from flask import Response, request
from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError

from coalition.database import utcnow, writing
from coalition.extensions import db
from coalition.postcodes import COUNTRIES
from search.models import SearchDemandCount
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


def write_demand_count(response: Response) -> Response:
    """After a request: count a successful search near a place in its area's daily count."""
    if response.status_code != 200:
        return response
    area = searched_area()
    if area is None:
        return response
    try:
        db.session.commit()  # a GET wrote nothing: this only ends its reading transaction
        with writing():
            record_search_near(*area)
            db.session.commit()
    except OperationalError:
        db.session.rollback()
        log.warning("search near a place not counted: the database is busy")
    return response


def record_search_near(country: str, area: str, day: date | None = None) -> None:
    """Add one to the count of searches near a place in `area` today (an upsert)."""
    day = day or utcnow().date()
    counted = db.session.execute(
        update(SearchDemandCount)
        .where(
            SearchDemandCount.day == day,
            SearchDemandCount.country == country,
            SearchDemandCount.area == area,
        )
        .values(count=SearchDemandCount.count + 1)
    )
    if counted.rowcount:
        return
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(
        insert(SearchDemandCount)
        .values(day=day, country=country, area=area, count=1)
        .on_conflict_do_update(
            index_elements=["day", "country", "area"],
            set_={"count": SearchDemandCount.count + 1},
        )
    )


def demand_rows(*, since: date | None = None) -> Iterator[dict]:
    """The impact source "search_demand": searches near a place per area, summed per day."""
    query = select(
        SearchDemandCount.day,
        SearchDemandCount.country,
        SearchDemandCount.area,
        func.sum(SearchDemandCount.count),
    ).group_by(SearchDemandCount.day, SearchDemandCount.country, SearchDemandCount.area)
    if since is not None:
        query = query.where(SearchDemandCount.day >= since)
    for day, country, area, count in db.session.execute(query.order_by(SearchDemandCount.day)):
        yield {"day": day, "country": country, "area": area, "count": int(count)}
