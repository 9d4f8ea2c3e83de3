"""The site's pages (`/<lang>/privacy`, `/legal-notice`, `/accessibility`, `/contact`) and
its files at the root (`/favicon.ico`, `/robots.txt`, `/sitemap.xml`)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, render_template, request, send_from_directory

from coalition.i18n import current_language
from coalition.site import services
from coalition.sitemap import sitemap_file

#: the site's pages, under /<lang>/
bp = Blueprint("site", __name__)
#: the files at the root of the site
files = Blueprint("site_files", __name__)

STATIC = Path(__file__).resolve().parent.parent / "static"
#: how long browsers and crawlers may keep the root files
ONE_DAY = 24 * 3600


def _site_page(name: str) -> str:
    """The page `name` in the visitor's language (each is written out in every language)."""
    return render_template(
        f"coalition/site/{name}/{current_language()}.html", page=name, **services.operator()
    )


def _page_view(name: str):
    """The view of the site page `name` (named after it: CSRF and rate limits key views by name)."""

    def view() -> str:
        return _site_page(name)

    view.__name__ = view.__qualname__ = name
    view.__doc__ = f"The site page `{name}` (`services.SITE_PAGES` names and titles them)."
    return view


# /privacy, /legal-notice, /accessibility, /contact: the endpoint site.<name> each
for _name in services.SITE_PAGES:
    bp.add_url_rule("/" + _name.replace("_", "-"), _name, _page_view(_name))


@files.get("/favicon.ico")
def favicon():
    """The platform's icon, for browsers that ask the root for it."""
    return send_from_directory(
        STATIC / "img", "favicon.ico", mimetype="image/vnd.microsoft.icon", max_age=ONE_DAY
    )


@files.get("/robots.txt")
def robots():
    """Crawlers may read the public pages, not the staff's, the office's or the APIs."""
    response = Response(services.robots_txt(), mimetype="text/plain")
    response.cache_control.max_age = ONE_DAY
    response.cache_control.public = True
    return response


@files.get("/sitemap.xml")
def sitemap():
    """The public pages in every language with their alternates; an index of files when
    there are more addresses than one file may hold (`?page=N`)."""
    found = sitemap_file(request.args.get("page", type=int))
    if found is None:
        abort(404)
    if found.files:
        body = render_template("coalition/site/sitemap_index.xml", sitemaps=found.files)
    else:
        body = render_template("coalition/site/sitemap.xml", urls=found.urls)
    response = Response(body, mimetype="application/xml")
    response.cache_control.max_age = 3600
    response.cache_control.public = True
    return response
