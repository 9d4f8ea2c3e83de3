"""The site's own pages (privacy, legal notice, accessibility statement, contact), linked
from every page's footer and written out in French, Dutch and English; and the icon."""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from PIL import Image

from coalition.site.services import SITE_PAGES

PATHS = {
    "privacy": "privacy",
    "legal_notice": "legal-notice",
    "accessibility": "accessibility",
    "contact": "contact",
}
TITLES = {
    "fr": ["Vie privée", "Mentions légales", "Déclaration d'accessibilité", "Contact"],
    "nl": [
        "Privacyverklaring",
        "Wettelijke vermeldingen",
        "Toegankelijkheidsverklaring",
        "Contact",
    ],
    "en": ["Privacy notice", "Legal notice", "Accessibility statement", "Contact"],
}
#: short words frequent in one language's running text and rare in the others'
MARKERS = {"fr": (" les ", " est "), "nl": (" het ", " een "), "en": (" the ", " and ")}


def text_of(html: str) -> str:
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return " " + re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).lower() + " "


def language_of(text: str) -> str:
    return max(MARKERS, key=lambda lang: sum(text.count(word) for word in MARKERS[lang]))


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_every_page_links_the_site_pages_in_its_footer(client, lang):
    for path in (f"/{lang}/", f"/{lang}/members", f"/{lang}/programmes", f"/{lang}/login"):
        page = client.get(path).get_data(as_text=True)
        footer = unescape(page.split('<footer class="site-footer">')[1])
        for name, title in zip(PATHS, TITLES[lang], strict=True):
            assert f'href="/{lang}/{PATHS[name]}">{title}</a>' in footer


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
@pytest.mark.parametrize("name", list(SITE_PAGES))
def test_each_page_is_written_in_each_language(make_app, db, lang, name):
    app = make_app(
        OPERATOR_NAME="Coalition Office ASBL",
        OPERATOR_ADDRESS="Rue Haute 1, 1000 Bruxelles",
        OPERATOR_ENTERPRISE_NUMBER="0123.456.749",
        CONTACT_EMAIL="office@coalition.example.be",
    )
    response = app.test_client().get(f"/{lang}/{PATHS[name]}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    title = TITLES[lang][list(SITE_PAGES).index(name)]
    assert f'<h1 id="page-title">{title}</h1>' in unescape(html)
    assert "Coalition Office ASBL" in html
    assert 'href="mailto:office@coalition.example.be"' in html
    if name != "accessibility":  # the others show the operator's address and number
        assert "Rue Haute 1, 1000 Bruxelles" in html and "0123.456.749" in html
    text = text_of(html)
    assert language_of(text) == lang, text[:300]
    assert len(text) > 800


def test_the_three_versions_are_translations_not_copies(client):
    for path in PATHS.values():
        texts = {
            lang: text_of(client.get(f"/{lang}/{path}").get_data(as_text=True)) for lang in TITLES
        }
        assert len(set(texts.values())) == 3
        assert {language_of(text) for text in texts.values()} == {"fr", "nl", "en"}


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_the_accessibility_statement_has_what_the_directive_asks(client, lang):
    """Implementing Decision (EU) 2018/1523: compliance status, non-accessible content,
    how the statement was prepared (and when), feedback and contact, enforcement."""
    html = client.get(f"/{lang}/accessibility").get_data(as_text=True)
    headings = re.findall(r"<h2>([^<]+)</h2>", html)
    assert len(headings) == 5, headings
    assert "EN 301 549 v3.2.1" in html and "WCAG" in html and "2.1" in html
    assert html.count("<li>") >= 3  # the non-accessible content, listed
    assert re.search(r"2026", html)  # the date it was prepared and reviewed
    assert 'href="mailto:' in html
    assert "www.unia.be" in html and "0800 12 800" in html


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_the_privacy_notice_names_the_cookie_and_the_authority(client, lang):
    html = client.get(f"/{lang}/privacy").get_data(as_text=True)
    assert "<code>bmp_session</code>" in html
    assert "8" in html.split("bmp_session", 1)[1].split("</p>", 1)[0]  # hours of a session
    assert "Argon2id" in html and "100" in html  # a password's hash; a counted text's length
    assert "35, 1000" in html  # the Data Protection Authority's address


def test_what_the_privacy_notice_says_of_cookies_holds(make_app, db, make_org):
    """The notice promises no cookie on the public pages, and one strictly necessary
    cookie (HttpOnly, no lifetime) on the forms."""
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    org = make_org("Mentorat Liège")
    without = [
        "/fr/",
        "/nl/members",
        f"/en/members/{org.slug}",
        "/fr/programmes?q=mentor",
        "/nl/widget",
        "/fr/briefs/",
        *(f"/{lang}/{path}" for lang in TITLES for path in PATHS.values()),
    ]
    for path in without:
        client.delete_cookie("bmp_session")
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers.getlist("Set-Cookie") == [], path
    for path in ("/fr/join", "/nl/login"):
        client.delete_cookie("bmp_session")
        [cookie] = client.get(path).headers.getlist("Set-Cookie")
        assert cookie.startswith("bmp_session=") and "HttpOnly" in cookie
        assert "Expires" not in cookie and "Max-Age" not in cookie


def test_the_site_serves_its_icon_at_the_root(client):
    response = client.get("/favicon.ico")
    data = response.get_data()
    response.close()
    assert response.status_code == 200
    assert response.mimetype == "image/vnd.microsoft.icon"
    icon = Image.open(io.BytesIO(data))
    assert icon.format == "ICO"
    assert {(16, 16), (32, 32), (48, 48)} <= icon.info["sizes"]
    assert response.cache_control.max_age >= 3600
