"""One way to page through anything: a SQL statement or a list, always the same `Page`."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import request
from marshmallow import Schema, fields, validate
from sqlalchemy import Select, func, select

from coalition.extensions import db

T = TypeVar("T")

#: the highest page number a request may ask for (deeper OFFSETs only cost the database)
MAX_PAGE = 10_000


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of `total` items; pages count from 1."""

    items: list[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """How many pages there are (at least one, even when empty)."""
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page * self.per_page < self.total

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def paginate(stmt: Select, page: int, per_page: int, *, unique: bool = False) -> Page[Any]:
    """Count `stmt`'s rows, then load page `page` of its first column (scalars).

    :param unique: de-duplicate rows (statements with joined eager loads need it)
    """
    page = max(1, page)
    total = db.session.execute(
        select(func.count()).select_from(stmt.order_by(None).subquery())
    ).scalar_one()
    result = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page))
    if unique:
        result = result.unique()
    return Page(items=list(result.scalars()), total=total, page=page, per_page=per_page)


def page_of(items: Sequence[T], page: int, per_page: int) -> Page[T]:
    """Page `page` of an already loaded sequence."""
    page = max(1, page)
    start = (page - 1) * per_page
    return Page(
        items=list(items[start : start + per_page]), total=len(items), page=page, per_page=per_page
    )


def requested_page() -> int:
    """The page number the request asks for (`?page=`): 1 when missing or odd."""
    return max(1, min(request.args.get("page", 1, type=int) or 1, MAX_PAGE))


# --- the machine APIs' pages ------------------------------------------------------------------

#: the most items one page of a machine API's list returns
MAX_PER_PAGE = 100


def page_schema(name: str, item: type[Schema], doc: str) -> type[Schema]:
    """The schema of one page of `item`s (`items`, `page`, `per_page`, `total_items`, the
    `next` and `prev` URLs), named `name` in the OpenAPI document."""
    schema = Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item)),
            "page": fields.Integer(),
            "per_page": fields.Integer(),
            "total_items": fields.Integer(),
            "next": fields.String(
                allow_none=True, metadata={"description": "URL of the next page."}
            ),
            "prev": fields.String(
                allow_none=True, metadata={"description": "URL of the previous page."}
            ),
        },
        name=name,
    )
    schema.__doc__ = doc
    return schema


class PageQuerySchema(Schema):
    """`page` and `per_page` of a machine API's list (a list's own query schema adds its
    filters)."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PER_PAGE))
