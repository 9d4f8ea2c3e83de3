"""The search part's own tables: counts of searches that found nothing, and of searches
made near a place, per area."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from coalition.extensions import db

#: the longest normalised query text kept
ZERO_RESULT_QUERY_LENGTH = 100


class ZeroResultCount(db.Model):
    """How many searches for one query text found nothing, per day and language.

    No IP address, session or user is stored: only the normalised text and a count.
    """

    __tablename__ = "search_zero_results"
    __table_args__ = (UniqueConstraint("day", "lang", "query"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the day (UTC) of the searches
    day: Mapped[date] = mapped_column(Date)
    #: the UI language of the searches
    lang: Mapped[str] = mapped_column(String(2))
    #: the query text, lower-cased, whitespace squeezed, capped
    query: Mapped[str] = mapped_column(String(ZERO_RESULT_QUERY_LENGTH))
    #: how many zero-hit searches
    count: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<ZeroResultCount {self.day} {self.lang} {self.count}>"


class SearchDemandCount(db.Model):
    """How many searches were made near a place in one area, per day.

    Counted when the search is answered (`search.demand`): only the day, the country and
    the area (the Belgian or Dutch province, or the French department, of the postcode or city
    searched near) and a count. No query text, postcode, IP address or session is kept.
    """

    __tablename__ = "search_demand_counts"
    __table_args__ = (UniqueConstraint("day", "country", "area"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the day (UTC) of the searches
    day: Mapped[date] = mapped_column(Date)
    #: BE, FR or NL
    country: Mapped[str] = mapped_column(String(2))
    #: the province (BE, NL) or department (FR) of the place searched near, as the postcode
    #: file names it
    area: Mapped[str] = mapped_column(String(60))
    count: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<SearchDemandCount {self.day} {self.country} {self.area} {self.count}>"
