"""What crawlers are offered: `/robots.txt` keeps them out of the staff's pages and the
APIs; `/sitemap.xml` lists the public pages in the three languages with their alternates."""

from __future__ import annotations

import re
from urllib import robotparser
from urllib.parse import urlsplit

import pytest
from flask import url_for

from coalition import sitemap
from coalition.database import utcnow
from tests.coalition.site.sitemap import LANGUAGES, read_sitemap

BASE = "http://127.0.0.1:5000"


@pytest.fixture
def robots(client) -> robotparser.RobotFileParser:
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    parser = robotparser.RobotFileParser()
    parser.parse(response.get_data(as_text=True).splitlines())
    return parser


#: a value for each converter of the URL map's rules
SAMPLE_VALUES = {"int": 1, "lang": "fr", "uuid": "00000000-0000-4000-8000-000000000000"}


def paths_of_rules(app) -> list[str]:
    """A path for every GET rule of the URL map (1 for a number, x for a name)."""
    paths = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint.endswith("static"):
                continue
            values = {
                name: SAMPLE_VALUES.get(converter, "x")
                for converter, name in re.findall(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>", rule.rule)
            }
            paths.append(url_for(rule.endpoint, **values))
    return paths


def test_robots_keeps_crawlers_out_of_every_page_that_needs_a_sign_in(app, client, robots):
    refused = []
    for path in paths_of_rules(app):
        response = client.get(path)
        response.close()
        needs_sign_in = response.status_code in (401, 403) or (
            response.status_code == 302 and "/login" in response.headers["Location"]
        )
        if needs_sign_in:
            refused.append(path)
            assert not robots.can_fetch("*", BASE + path), path
    assert len(refused) > 20, refused
    for path in (
        "/api/v1/programmes",
        "/federation/v1/openapi.json",
        "/hsds/services",
        "/oauth/token",
        "/metrics",
        "/en/login",
    ):
        assert not robots.can_fetch("*", BASE + path), path


def test_robots_lets_crawlers_read_every_page_of_the_sitemap(client, robots, make_org):
    make_org("Mentorat Liège")
    entries = read_sitemap(client)
    assert entries
    for entry in entries:
        assert robots.can_fetch("*", entry.loc), entry.loc
    assert robots.site_maps() == [f"{BASE}/sitemap.xml"]


def test_the_sitemap_lists_the_public_pages_of_current_members(client, make_org):
    member = make_org("Mentorat Liège")
    suspended = make_org("Suspended ASBL", admitted_at=None)
    locs = {urlsplit(entry.loc).path for entry in read_sitemap(client)}
    for lang in LANGUAGES:
        assert {
            f"/{lang}/",
            f"/{lang}/members",
            f"/{lang}/members/{member.slug}",
            f"/{lang}/join",
            f"/{lang}/privacy",
            f"/{lang}/legal-notice",
            f"/{lang}/accessibility",
            f"/{lang}/contact",
            f"/{lang}/programmes",
            f"/{lang}/briefs/",
        } <= locs
        assert f"/{lang}/members/{suspended.slug}" not in locs
    assert not [loc for loc in locs if "/staff/" in loc or "/admin/" in loc or "/login" in loc]


def test_every_address_of_the_sitemap_answers(client, make_org):
    org = make_org("Mentorat Liège")
    entries = read_sitemap(client)
    for entry in entries:
        assert entry.loc.startswith(BASE + "/")
        response = client.get(entry.loc.removeprefix(BASE))
        assert response.status_code == 200, entry.loc
        assert f'<html lang="{urlsplit(entry.loc).path.split("/")[1]}">' in response.get_data(
            as_text=True
        )
    member = next(e for e in entries if f"/members/{org.slug}" in e.loc)
    assert member.lastmod is not None and member.lastmod <= utcnow().isoformat()


def test_a_large_sitemap_is_an_index_of_files(client, monkeypatch, make_org):
    for n in range(4):
        make_org(f"Member {n}")
    monkeypatch.setattr(sitemap, "MAX_URLS", 3 * 5)  # five pages a file, in three languages
    whole = client.get("/sitemap.xml").get_data(as_text=True)
    assert whole.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex ')
    files = [
        line.split("<loc>")[1].split("</loc>")[0] for line in whole.splitlines() if "<loc>" in line
    ]
    assert files[0] == f"{BASE}/sitemap.xml?page=1" and len(files) >= 3
    listed = []
    for address in files:
        entries = read_sitemap(client, address.removeprefix(BASE))
        assert 0 < len(entries) <= 15
        listed += [entry.loc for entry in entries]
    assert len(listed) == len(set(listed))
    assert client.get(f"/sitemap.xml?page={len(files) + 1}").status_code == 404
