"""Reading `/sitemap.xml` back as a crawler would, checking its structure on the way."""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree import ElementTree as ET

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
LANGUAGES = ("fr", "nl", "en")
#: W3C datetime, as the sitemaps protocol asks for <lastmod>
W3C_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})")


@dataclass
class Entry:
    loc: str
    lastmod: str | None
    alternates: dict[str, str]


def read_sitemap(client, path: str = "/sitemap.xml") -> list[Entry]:
    """The entries of a `urlset`, each checked against the protocol and its alternates."""
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    root = ET.fromstring(response.data)  # noqa: S314 - our own document
    assert root.tag == f"{{{NS['s']}}}urlset"
    entries = []
    for url in root:
        assert url.tag == f"{{{NS['s']}}}url"
        children = [child.tag.split("}")[1] for child in url]
        assert children[0] == "loc" and children.count("loc") == 1, children
        assert set(children) <= {"loc", "lastmod", "link"}, children
        loc = url.findtext("s:loc", namespaces=NS)
        lastmod = url.findtext("s:lastmod", namespaces=NS)
        assert lastmod is None or W3C_DATETIME.fullmatch(lastmod), lastmod
        links = url.findall("x:link", NS)
        alternates = {link.get("hreflang"): link.get("href") for link in links}
        assert all(link.get("rel") == "alternate" for link in links)
        # every language, its own address among them, each once
        assert len(links) == len(LANGUAGES) and set(alternates) == set(LANGUAGES)
        assert loc in alternates.values()
        entries.append(Entry(loc, lastmod, alternates))
    assert len(entries) <= 50_000
    return entries
