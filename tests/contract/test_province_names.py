"""Provinces as people type them (issue 13): `province=Antwerpen`, `province=Anvers` and
`province=Antwerp` filter the same programmes, on the search page and in the API, and the
province and city facets speak the visitor's language — identical on tantivy and on
Elasticsearch.

The corpus has programmes in five provinces: Brussels-Capital (1, 6, 7), Liège (2), East
Flanders (3, in Ghent), Antwerp (4, 8) and Namur (5).
"""

from __future__ import annotations

import re

import pytest
from flask import Flask

from tests.contract.conftest import ids

#: a province's names as visitors type them, and the corpus programmes there
PROVINCES = [
    (("Antwerpen", "Anvers", "Antwerp", "ANTWERPEN"), {4, 8}),
    (("Liège", "Luik", "Liege"), {2}),
    (("Oost-Vlaanderen", "Flandre-Orientale", "East Flanders", "oost vlaanderen"), {3}),
    (("Brussel-Hoofdstad", "Bruxelles-Capitale", "Brussels-Capital"), {1, 6, 7}),
    (("Namur", "Namen"), {5}),
]

#: the province facet's labels in each language, by the index's value
PROVINCE_LABELS = {
    "fr": {
        "Antwerp": "Anvers",
        "Brussels-Capital": "Bruxelles-Capitale",
        "East Flanders": "Flandre-Orientale",
        "Liège": "Liège",
        "Namur": "Namur",
    },
    "nl": {
        "Antwerp": "Antwerpen",
        "Brussels-Capital": "Brussel-Hoofdstad",
        "East Flanders": "Oost-Vlaanderen",
        "Liège": "Luik",
        "Namur": "Namen",
    },
    "en": {
        "Antwerp": "Antwerp",
        "Brussels-Capital": "Brussels-Capital",
        "East Flanders": "East Flanders",
        "Liège": "Liège",
        "Namur": "Namur",
    },
}

#: the city facet's labels of the cities with a name of their own in each language
CITY_LABELS = {
    "fr": {"Antwerpen": "Anvers", "Gent": "Gand", "Bruxelles": "Bruxelles", "Namur": "Namur"},
    "nl": {"Antwerpen": "Antwerpen", "Gent": "Gent", "Bruxelles": "Brussel", "Namur": "Namen"},
    "en": {"Antwerpen": "Antwerp", "Gent": "Ghent", "Bruxelles": "Brussels", "Namur": "Namur"},
}


@pytest.fixture
def client(corpus_app: Flask, app: Flask):
    """A browser on the corpus app (`app` builds the schema the page reads hits from)."""
    return corpus_app.test_client()


def page_facet(html: str, name: str) -> list[tuple[str, bool]]:
    """The labels of a facet of the search page, each with whether it is selected."""
    nav = re.search(rf'<nav id="facet-{name}".*?</nav>', html, re.S)
    assert nav, f"no {name} facet on the page"
    return [
        (label.strip(), bool(current))
        for current, label in re.findall(
            r'<li><a href="[^"]*"( aria-current="true")?>([^<]+)<span class="count">',
            nav.group(0),
        )
    ]


def canonical_of(label: str, lang: str) -> str:
    """The index's name of the province labelled `label` in `lang`."""
    return next(value for value, text in PROVINCE_LABELS[lang].items() if text == label)


@pytest.mark.parametrize(("names", "expected"), PROVINCES, ids=lambda v: str(v))
def test_a_province_by_any_of_its_names_filters_the_same_programmes(search, names, expected):
    for name in names:
        assert set(ids(search(province=name, per_page="50"))) == expected, name


def test_an_unknown_province_filters_everything_out(search):
    assert ids(search(province="Atlantis")) == []


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_the_province_filter_ignores_the_visitor_s_language(search, lang):
    """Anvers is Antwerp for a Dutch visitor too, and Antwerpen for a French one."""
    for name in ("Anvers", "Antwerpen", "Antwerp"):
        assert set(ids(search(lang, province=name))) == {4, 8}, name


@pytest.mark.parametrize(
    "query", ["province=Anvers", "province=Antwerp", "province=antwerpen", "province=ANVERS"]
)
def test_the_api_filters_a_province_by_any_of_its_names(client, query):
    expected = client.get("/api/v1/programmes?province=Antwerpen&per_page=50").get_json()
    assert expected["total"] == 2
    assert client.get(f"/api/v1/programmes?{query}&per_page=50").get_json() == expected


def test_the_api_filters_liege_and_east_flanders_by_their_names(client):
    def found(query: str) -> tuple[int, set[str]]:
        body = client.get(f"/api/v1/programmes?{query}&per_page=50").get_json()
        return body["total"], {hit["id"] for hit in body["hits"]}

    assert found("province=Luik") == found("province=Li%C3%A8ge") == found("province=Liege")
    assert found("province=Luik")[0] == 1
    flanders = found("province=Oost-Vlaanderen")
    assert flanders[0] == 1
    assert found("province=Flandre-Orientale") == found("province=East+Flanders") == flanders


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_the_api_labels_provinces_and_cities_in_its_language(client, lang):
    body = client.get(f"/api/v1/programmes?lang={lang}&per_page=50").get_json()
    provinces = {f["value"]: f["label"] for f in body["facets"]["province"]}
    assert provinces == PROVINCE_LABELS[lang]
    cities = {f["value"]: f["label"] for f in body["facets"]["city"]}
    assert cities.items() >= CITY_LABELS[lang].items()
    hit_cities = {city for hit in body["hits"] for city in hit["cities"]}
    assert hit_cities >= set(CITY_LABELS[lang].values())


def test_the_api_takes_the_language_of_the_browser_for_the_labels(client):
    body = client.get(
        "/api/v1/programmes?per_page=50", headers={"Accept-Language": "nl-BE,nl;q=0.9"}
    ).get_json()
    assert {f["label"] for f in body["facets"]["province"]} == set(PROVINCE_LABELS["nl"].values())


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_the_search_page_labels_the_province_facet_in_its_language(client, lang):
    html = client.get(f"/{lang}/programmes").get_data(as_text=True)
    labels = {label for label, _ in page_facet(html, "province")}
    assert labels == set(PROVINCE_LABELS[lang].values())
    cities = {label for label, _ in page_facet(html, "city")}
    assert cities >= set(CITY_LABELS[lang].values())


@pytest.mark.parametrize(
    ("lang", "typed", "label"),
    [
        ("nl", "Anvers", "Antwerpen"),
        ("fr", "Antwerpen", "Anvers"),
        ("en", "Anvers", "Antwerp"),
        ("fr", "Oost-Vlaanderen", "Flandre-Orientale"),
        ("nl", "Liège", "Luik"),
    ],
)
def test_the_search_page_selects_the_province_typed_in_another_language(client, lang, typed, label):
    """A French visitor following a Dutch link (`province=Antwerpen`) sees "Anvers" chosen
    in the facet and in the active filters, and only that province's programmes counted."""
    html = client.get(f"/{lang}/programmes", query_string={"province": typed}).get_data(
        as_text=True
    )
    assert [name for name, selected in page_facet(html, "province") if selected] == [label]
    active = re.search(r'<div class="active-filters">.*?</div>', html, re.S)
    assert active and f">{label} <span" in active.group(0)
    by_index_name = client.get(
        f"/{lang}/programmes",
        query_string={"province": canonical_of(label, lang)},
    ).get_data(as_text=True)
    count = re.compile(r'<p class="result-count">([^<]+)</p>')
    assert count.search(html).group(1) == count.search(by_index_name).group(1)
