""" "Did you mean" for places (issue 13): a misspelt city or province ("Brusel", "Anvres",
"Lieg") offers the corrected query, whose place name then matches the programmes there —
identical on tantivy and on Elasticsearch.

The directory's texts name no place, so that only the programmes' places can match.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from coalition.members.models import Organisation
from search.documents import build_document
from tests.contract.conftest import ids, indexed_app_fixture
from tests.contract.corpus import make_programme

#: id → (title, summary, postcode, language of the texts)
DIRECTORY: dict[int, tuple[str, str, str, str]] = {
    301: ("Werk vinden", "Samen werk zoeken, elke dinsdag.", "1000", "nl"),  # Brussels
    302: ("Aide aux devoirs", "Chaque mercredi, une heure.", "2000", "fr"),  # Antwerp
    303: ("Atelier cuisine", "Cuisiner ensemble le jeudi.", "4000", "fr"),  # Liège
    304: ("Taalcoaching", "Nederlands oefenen met een buddy.", "1080", "nl"),  # Molenbeek
    305: ("Huiswerkklas", "Elke maandag samen leren.", "9000", "nl"),  # Ghent
}


def directory_documents() -> list[dict[str, Any]]:
    docs = []
    for pid, (title, summary, postcode, lang) in DIRECTORY.items():
        spec = {
            "titles": {lang: title},
            "summaries": {lang: summary},
            "themes": ["education"],
            "audiences": ["students"],
            "formats": ["group"],
            "languages": [lang],
            "ages": [16, 30],
            "cost": "free",
            "capacity": "open",
            "places": [postcode],
            "confirmed": 10,
        }
        organisation = Organisation(name="Samen Sterk", names={}, slug=f"p-{pid}")
        programme = make_programme(pid, spec, organisation)
        programme.uuid = uuid.uuid5(uuid.NAMESPACE_URL, f"places-{pid}")
        docs.append(build_document(programme))
    return docs


directory_app = indexed_app_fixture(directory_documents, "places")


@pytest.mark.parametrize(
    ("lang", "q", "corrected", "found"),
    [
        ("nl", "Brusel", "Brussel", {301, 304}),
        ("fr", "Bruxeles", "Bruxelles", {301, 304}),
        ("en", "Brussles", "Brussels", {301, 304}),
        ("nl", "Antwepen", "Antwerpen", {302}),
        ("fr", "Anvres", "Anvers", {302}),
        ("fr", "Lieg", "Liège", {303}),
        ("nl", "Lluik", "Luik", {303}),
        ("nl", "werk Brusel", "werk Brussel", {301}),
        # a typo of a text word and of a place in one query: both corrected
        ("nl", "wrek Brusel", "werk Brussel", {301}),
        ("nl", "Oost-Vlanderen", "Oost Vlaanderen", {305}),
    ],
)
def test_a_misspelt_place_offers_the_corrected_query(find, lang, q, corrected, found):
    results = find(lang, q=q)
    assert results.total == 0
    assert results.suggestion == corrected
    assert set(ids(find(lang, q=results.suggestion))) == found


@pytest.mark.parametrize(
    ("q", "found"),
    [
        # the city in any of its languages, and the Brussels region's communes with it
        ("Brussel", {301, 304}),
        ("bruxelles", {301, 304}),
        ("Molenbeek", {304}),
        ("Anvers", {302}),
        ("Luik", {303}),
        # a province by any of its names
        ("Oost-Vlaanderen", {305}),
        ("Flandre-Orientale", {305}),
        # with words of the texts: both must match
        ("werk Brussel", {301}),
        ("werk Gent", set()),
    ],
)
def test_a_place_name_in_the_query_finds_the_programmes_there(find, q, found):
    assert set(ids(find(q=q))) == found


def test_a_place_name_is_never_matched_fuzzily(find):
    """Genk is one letter from Gent and 80 km away: no hit and no correction to Gent."""
    assert ids(find("nl", q="Gent")) == [305]
    results = find("nl", q="Genk")
    assert results.total == 0 and results.suggestion is None


def test_a_query_of_words_and_places_keeps_the_relaxed_filter_advice(find):
    results = find("nl", q="werk Brussel", cost="paid")
    assert results.total == 0 and results.suggestion is None
    assert results.relaxed_filter == "cost" and results.relaxed_total == 1
