"""Ranking, long words, symbol-only queries, "did you mean", fuzzy highlights and places
as people type them (issue 13) — identical on tantivy and on Elasticsearch.

The ranking cases need programmes of their own (one field holding the word each), so this
module indexes a small directory of its own beside the contract corpus, once per backend.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from flask import Flask
from werkzeug.datastructures import MultiDict

from coalition.members.models import Organisation
from search.documents import build_document
from search.services import parse_search_params
from tests.contract.conftest import ids, indexed_app_fixture
from tests.contract.corpus import make_programme


def _spec(titles, summaries, places=("1000",), **extra) -> dict[str, Any]:
    return {
        "org": "duo",
        "titles": titles,
        "summaries": summaries,
        "themes": ["employment"],
        "audiences": ["neet"],
        "formats": ["group"],
        "languages": ["fr"],
        "ages": [16, 30],
        "cost": "free",
        "capacity": "open",
        "places": list(places),
        "confirmed": 10,
        **extra,
    }


#: id → (spec, description per language, organisation name or None)
DIRECTORY: dict[int, tuple[dict[str, Any], dict[str, str], str | None]] = {
    # every word (summary) vs. two of three words (title), in three languages
    201: (_spec({"fr": "Atelier du quartier"}, {"fr": "Cuisine, jardinage et potager."}), {}, None),
    202: (_spec({"fr": "Cuisine et jardinage"}, {"fr": "Ateliers du mercredi."}), {}, None),
    203: (_spec({"nl": "Buurtatelier"}, {"nl": "Koken, tuinieren en moestuin."}), {}, None),
    204: (_spec({"nl": "Koken en tuinieren"}, {"nl": "Ateliers op woensdag."}), {}, None),
    205: (
        _spec({"en": "Neighbourhood workshop"}, {"en": "Cooking, gardening and orchard."}),
        {},
        None,
    ),
    206: (_spec({"en": "Cooking and gardening"}, {"en": "Workshops on Wednesday."}), {}, None),
    # title > summary > description > organisation name
    211: (_spec({"fr": "Boulangerie solidaire"}, {"fr": "Un projet de quartier."}), {}, None),
    212: (_spec({"fr": "Projet solidaire"}, {"fr": "Une boulangerie de quartier."}), {}, None),
    213: (
        _spec({"fr": "Projet de quartier"}, {"fr": "Un projet solidaire."}),
        {"fr": "Le projet tient une boulangerie."},
        None,
    ),
    214: (_spec({"fr": "Projet du quartier"}, {"fr": "Un projet de quartier."}), {}, "Boulangerie"),
    # a word longer than any tokenizer default of 40 characters
    221: (
        _spec(
            {"nl": "Begeleiding naar werk"}, {"nl": "Arbeidsmarktintegratiebegeleidingstrajecten."}
        ),
        {},
        None,
    ),
    # places: near Lille and Rotterdam
    231: (_spec({"fr": "Mentorat à Lille"}, {"fr": "Près de Lille."}, places=("7500",)), {}, None),
    232: (_spec({"fr": "Mentorat à Bruxelles"}, {"fr": "Au centre."}, places=("1000",)), {}, None),
    233: (
        _spec({"nl": "Mentoring in Antwerpen"}, {"nl": "Bij het station."}, places=("2000",)),
        {},
        None,
    ),
    # fuzzy highlight: "werk" must not mark "weken" or "week"
    241: (
        _spec({"nl": "Werk vinden"}, {"nl": "Elke week, tien weken lang, werk zoeken."}),
        {},
        None,
    ),
    242: (_spec({"fr": "Un emploi durable"}, {"fr": "Trouver un emploi."}), {}, None),
    # three same characters in a row that are no held-down key
    243: (_spec({"fr": "Le défi des 1000 duos"}, {"fr": "Appel à projets ab000c."}), {}, None),
}


#: what every programme's description says besides (as real ones have descriptions)
DESCRIPTION = {
    "fr": "Un accompagnement gratuit, chaque semaine.",
    "nl": "Gratis begeleiding, elke maand.",
    "en": "Free support, every month.",
}


def directory_documents() -> list[dict[str, Any]]:
    docs = []
    for pid, (spec, descriptions, org_name) in DIRECTORY.items():
        organisation = Organisation(name=org_name or "Atelier Soleil", names={}, slug=f"o-{pid}")
        programme = make_programme(pid, spec, organisation)
        programme.uuid = uuid.uuid5(uuid.NAMESPACE_URL, f"ranking-{pid}")
        programme.descriptions = {
            lang: descriptions.get(lang, DESCRIPTION[lang]) for lang in spec["titles"]
        }
        docs.append(build_document(programme))
    return docs


directory_app = indexed_app_fixture(directory_documents, "ranking")


def params_of(app: Flask, lang: str = "fr", **args: Any):
    with app.test_request_context():
        return parse_search_params(MultiDict(args), lang)


# --- ranking ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "q", "every", "some"),
    [
        ("fr", "cuisine jardinage potager", 201, 202),
        ("nl", "koken tuinieren moestuin", 203, 204),
        ("en", "cooking gardening orchard", 205, 206),
    ],
)
def test_every_word_ranks_above_some_words(find, lang, q, every, some):
    """All three words (in the summary) beat two of them (in the title)."""
    found = ids(find(lang, q=q))
    assert found[:2] == [every, some], found


@pytest.mark.parametrize(
    ("lang", "q", "every"),
    [
        ("fr", "jardinage potager", 201),
        ("nl", "tuinieren moestuin", 203),
        ("en", "gardening orchard", 205),
    ],
)
def test_two_word_queries_need_both_words(find, lang, q, every):
    assert ids(find(lang, q=q)) == [every]


def test_title_then_summary_then_description_then_organisation(find):
    assert ids(find(q="boulangerie")) == [211, 212, 213, 214]


# --- long words and symbol-only queries -------------------------------------------------


def test_a_word_longer_than_40_characters_is_searched(find):
    word = "arbeidsmarktintegratiebegeleidingstrajecten"
    assert len(word) == 43
    assert ids(find("nl", q=word)) == [221]
    assert ids(find("nl", q="begeleiding " + word)) == [221]


def test_an_unknown_long_word_finds_nothing_rather_than_everything(find):
    results = find("nl", q="onbestaandewoordsamenstellingzonderenigebetekenis")
    assert results.total == 0


@pytest.mark.parametrize("q", ["*", '"', "\\", "~", "^", '** " ~ ^ \\'])
def test_symbol_only_queries_are_the_empty_query(directory_app, find, q):
    assert params_of(directory_app, q=q).q == ""
    results = find(q=q)
    assert results.total == len(DIRECTORY)
    assert all(not hit.highlight for hit in results.hits)


# --- did you mean -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "q", "corrected"),
    [("nl", "kakon", "koken"), ("nl", "kakon tuinieren", "koken tuinieren")],
)
def test_did_you_mean_offers_the_corrected_query(find, lang, q, corrected):
    results = find(lang, q=q)
    assert results.total == 0
    assert results.suggestion == corrected
    assert find(lang, q=results.suggestion).total >= 1


@pytest.mark.parametrize("q", ["emploiiii", "emploiiiiiiii"])
def test_a_held_down_key_is_found_directly(find, q):
    """ "emploiiii": the repeated letter is squeezed, and the word found is marked."""
    results = find(q=q)
    assert ids(results)[0] == 242
    assert ids(results) == ids(find(q="emploi"))
    assert "<mark>emploi</mark>" in results.hits[0].highlight["title"]
    assert ids(find(q=f"{q} durable")) == [242]


@pytest.mark.parametrize(
    ("q", "field", "marked"),
    [
        ("1000", "title", "1000"),
        ("défi 1000", "title", "1000"),
        ("ab000c", "summary", "ab000c"),
        ("AB000C", "summary", "ab000c"),
    ],
)
def test_three_same_characters_in_a_row_are_found_as_typed(find, q, field, marked):
    """ "1000", "ab000c": no held-down key but the text's own spelling, found and marked (a
    random tag like this one made a browser test's search for it find nothing)."""
    results = find(q=q)
    assert ids(results) == [243]
    assert f"<mark>{marked}</mark>" in results.hits[0].highlight[field]


def test_a_typo_with_a_held_down_key_is_matched_as_the_typo(find):
    """ "empliooooo" is squeezed to "emplio", which is matched fuzzily."""
    results = ids(find(q="empliooooo"))
    assert 242 in results and results == ids(find(q="emplio"))


def test_a_typo_two_edits_away_is_found_directly(find):
    """ "potagger" is close enough to be matched fuzzily: hits, no suggestion needed."""
    results = find(q="potagger")
    assert ids(results) == [201] and results.suggestion is None


def test_relaxed_filter_suggestion_stays(find):
    results = find(q="boulangerie", cost="paid")
    assert results.total == 0
    assert results.relaxed_filter == "cost" and results.relaxed_total == 4


# --- highlighting -----------------------------------------------------------------------


def test_fuzzy_matches_are_not_highlighted_beside_exact_ones(find):
    hit = next(h for h in find("nl", q="werk").hits if h.programme_id == 241)
    summary = hit.highlight["summary"]
    assert summary.count("<mark>") == 1 and "<mark>werk</mark>" in summary
    assert "<mark>week</mark>" not in summary and "<mark>weken</mark>" not in summary


def test_a_typo_is_highlighted_fuzzily_when_nothing_matches_exactly(find):
    hit = next(h for h in find(q="emplio").hits if h.programme_id == 242)
    assert "<mark>emploi</mark>" in hit.highlight["title"]


# --- places as people type them ---------------------------------------------------------


@pytest.mark.parametrize(
    ("near", "country", "city"),
    [
        ("59000", "FR", "Lille"),
        ("75001", "FR", "Paris"),
        ("F-59000", "FR", "Lille"),
        ("3011 AB", "NL", "Rotterdam"),
        ("3011AB", "NL", "Rotterdam"),
        ("1000", "BE", "Bruxelles"),
    ],
)
def test_postcodes_without_a_country(directory_app, near, country, city):
    params = params_of(directory_app, near=near)
    assert (params.near_country, params.near_place.city) == (country, city)


def test_a_country_given_still_wins(directory_app):
    params = params_of(directory_app, near="7500", country="BE")
    assert params.near_place.city == "Tournai"


def test_a_french_postcode_finds_programmes_across_the_border(find):
    """Tournai (7500) is about 25 km from Lille (59000)."""
    results = find(near="59000", radius_km="40")
    assert ids(results) == [231]


def test_distance_is_the_default_order_near_a_place(directory_app, find):
    assert params_of(directory_app, near="1000").sort == "distance"
    assert params_of(directory_app, near="1000", sort="relevance").sort == "relevance"
    assert params_of(directory_app).sort == "relevance"
    results = find(q="mentorat", near="1000", radius_km="200")
    distances = [hit.distance_km for hit in results.hits]
    assert distances == sorted(distances) and ids(results)[0] == 232
