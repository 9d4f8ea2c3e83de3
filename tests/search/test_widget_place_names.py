"""The widget names places in its own language (issue 13): a French widget on a member's
site says Gand and Anvers, a Dutch one Gent and Antwerpen, an English one Ghent and
Antwerp — in the results, the province and city facets and the active filters — and a
province typed in another language still filters.
"""

from __future__ import annotations

import html as html_lib
import re

import pytest

#: the directory's cities in each language: jobs (Molenbeek and Brussels), school
#: (Antwerp), taal (Ghent), digital (Liège)
CITIES = {
    "fr": {"Bruxelles", "Anvers", "Gand", "Liège"},
    "nl": {"Brussel", "Antwerpen", "Gent", "Luik"},
    "en": {"Brussels", "Antwerp", "Ghent", "Liège"},
}
#: the directory's public programmes (the others are not in the widget)
PUBLIC = ("jobs", "school", "taal", "digital")
#: the directory's provinces in each language
PROVINCES = {
    "fr": {"Bruxelles-Capitale", "Anvers", "Flandre-Orientale", "Liège"},
    "nl": {"Brussel-Hoofdstad", "Antwerpen", "Oost-Vlaanderen", "Luik"},
    "en": {"Brussels-Capital", "Antwerp", "East Flanders", "Liège"},
}


@pytest.fixture
def widget(client, directory, search_backend, index_programmes):
    """The widget's HTML for a language and query arguments, the public directory indexed."""
    index_programmes(*(directory["programmes"][name] for name in PUBLIC))

    def get(lang: str, **args: str) -> str:
        response = client.get(f"/{lang}/widget", query_string=args)
        assert response.status_code == 200
        return response.get_data(as_text=True)

    return get


def result_cities(html: str) -> set[str]:
    """The city names the result cards show (after the organisation's name)."""
    cities = set()
    for card in re.findall(
        r'<li class="card result">(.*?)</li>\s*(?=<li class="card|</ol>)', html, re.S
    ):
        line = re.search(r'<p class="muted">[^·<]*· ([^<]*)</p>', card)
        assert line, card
        first = line.group(1).split(" · ")[0]  # " · Online" may follow
        cities.update(html_lib.unescape(c.strip()) for c in first.split(","))
    return cities


def facet(html: str, name: str) -> dict[str, bool]:
    """A facet's labels, each with whether it is the selected one."""
    nav = re.search(rf'<nav id="facet-{name}".*?</nav>', html, re.S)
    assert nav, f"no {name} facet in the widget"
    return {
        html_lib.unescape(label.strip()): bool(current)
        for current, label in re.findall(
            r'<a href="[^"]*"( aria-current="true")?>([^<]+)<span class="count">', nav.group(0)
        )
    }


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_the_widget_names_the_results_cities_in_its_language(widget, lang):
    assert result_cities(widget(lang)) == CITIES[lang] | {"Molenbeek-Saint-Jean"}


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_the_widget_labels_its_place_facets_in_its_language(widget, lang):
    html = widget(lang)
    assert set(facet(html, "province")) == PROVINCES[lang]
    assert set(facet(html, "city")) == CITIES[lang] | {"Molenbeek-Saint-Jean"}


@pytest.mark.parametrize(
    ("lang", "typed", "label", "city"),
    [
        ("fr", "Antwerpen", "Anvers", "Anvers"),
        ("nl", "Anvers", "Antwerpen", "Antwerpen"),
        ("en", "Antwerpen", "Antwerp", "Antwerp"),
        ("fr", "Oost-Vlaanderen", "Flandre-Orientale", "Gand"),
        ("en", "Flandre-Orientale", "East Flanders", "Ghent"),
        ("nl", "Liège", "Luik", "Luik"),
    ],
)
def test_a_province_typed_in_another_language_filters_the_widget(widget, lang, typed, label, city):
    """A Dutch link (`province=Antwerpen`) on a French member site: the widget finds the
    programmes of Antwerp, shows "Anvers" chosen and names the city the French way."""
    html = widget(lang, province=typed)
    assert result_cities(html) == {city}
    assert [name for name, selected in facet(html, "province").items() if selected] == [label]
    active = re.search(r'<div class="active-filters">.*?</div>', html, re.S)
    assert active and f">{label} <span" in html_lib.unescape(active.group(0))


@pytest.mark.parametrize(
    ("lang", "typed", "city"),
    [("fr", "Gent", "Gand"), ("nl", "Gand", "Gent"), ("en", "Anvers", "Antwerp")],
)
def test_a_city_typed_in_another_language_filters_the_widget(widget, lang, typed, city):
    html = widget(lang, city=typed)
    assert result_cities(html) == {city}
    active = re.search(r'<div class="active-filters">.*?</div>', html, re.S)
    assert active and f">{city} <span" in html_lib.unescape(active.group(0))
