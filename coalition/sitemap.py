"""The public pages the sitemap (`/sitemap.xml`) lists, whichever part has them.

The core cannot name another part's pages, so each part that has public pages adds a
function in its `register(app)` that yields them:

    add_to_sitemap(app, programme_pages)   # def programme_pages(): yield SitemapPage(...)

A page is an endpoint under the language prefix and its values; the sitemap lists it in
every language of the platform, each address with its `hreflang` alternates.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import Flask, current_app, url_for
from sqlalchemy import Select

from coalition.extensions import db

#: at most this many addresses in one sitemap file (the sitemaps protocol's limit)
MAX_URLS = 50_000


@dataclass(frozen=True)
class SitemapPage:
    """A public page: its endpoint (under `/<lang>/`), its values, when it last changed."""

    endpoint: str
    values: Mapping[str, Any] = field(default_factory=dict)
    modified: datetime | None = None


@dataclass(frozen=True)
class SitemapUrl:
    """One address of the sitemap, with the same page's address in every language."""

    loc: str
    modified: datetime | None
    alternates: dict[str, str]


Pages = Callable[[], Iterable[SitemapPage]]


def add_to_sitemap(app: Flask, pages: Pages) -> None:
    """Have the sitemap list the pages `pages()` yields (called for each sitemap request)."""
    app.extensions.setdefault("sitemap", []).append(pages)


def row_pages(endpoint: str, value: str, rows: Select) -> Iterator[SitemapPage]:
    """A page of `endpoint` for each row of `rows`: the row's first column is the value
    named `value`, its second when the page last changed."""
    for key, modified in db.session.execute(rows):
        yield SitemapPage(endpoint, {value: key}, modified)


def sitemap_pages() -> Iterator[SitemapPage]:
    """Every public page, the core's and the parts', in the order they were added."""
    for pages in current_app.extensions.get("sitemap", ()):
        yield from pages()


@dataclass(frozen=True)
class SitemapFile:
    """What `/sitemap.xml` answers: the addresses of one file, or (when the pages need
    several files) the addresses of the files."""

    urls: list[SitemapUrl] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def sitemap_file(page: int | None = None) -> SitemapFile | None:
    """The sitemap, or its `page`-th file (from 1); None for a file that does not exist."""
    config = current_app.config
    languages = config["LANGUAGES"]
    pages = list(sitemap_pages())
    per_file = MAX_URLS // len(languages)
    count = max(1, math.ceil(len(pages) / per_file))
    if page is None and count > 1:
        base = config["PUBLIC_URL"] + url_for("site_files.sitemap")
        return SitemapFile(files=[f"{base}?page={n}" for n in range(1, count + 1)])
    page = page or 1
    if not 1 <= page <= count:
        return None
    urls = []
    for item in pages[(page - 1) * per_file : page * per_file]:
        alternates = {
            lang: config["PUBLIC_URL"] + url_for(item.endpoint, lang_code=lang, **item.values)
            for lang in languages
        }
        urls.extend(SitemapUrl(alternates[lang], item.modified, alternates) for lang in languages)
    return SitemapFile(urls=urls)
