"""The "Become a mentor" search, identical on tantivy and on Elasticsearch.

In the corpus, programmes 1, 5, 7 and 8 seek mentors; 4 keeps a mentor profile but seeks
none now (`"seeking": false`); 8 asks for no particular field, language or time.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from werkzeug.datastructures import MultiDict

from coalition.members.models import Organisation
from coalition.outbox import OutboxEntry
from coalition.programmes.models import ProgrammeStatus
from search.documents import build_document
from search.query import SearchResults
from search.services import parse_search_params, search_programmes
from tests.contract.conftest import ids, indexed_app_fixture
from tests.contract.corpus import PROGRAMMES, make_programme

SEEKING = {1, 5, 7, 8}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"seeking_mentors": "1"}, SEEKING),
        ({"seeking_mentors": "true"}, SEEKING),
        ({"seeking_mentors": "0"}, set(PROGRAMMES)),
        # fields of experience: one of the volunteer's, or a programme asking for none
        ({"experience": "hr"}, {1, 8}),
        ({"experience": ["business", "finance"]}, {1, 5, 8}),
        ({"experience": "education,law"}, {7, 8}),
        ({"experience": "technology"}, {8}),  # 4 wants IT people, but not now
        # the languages the volunteer speaks
        ({"mentor_language": "nl"}, {1, 8}),
        ({"mentor_language": ["en", "ar"]}, {7, 8}),
        # the time they can give: programmes asking no more (8 does not say)
        ({"mentor_hours": "2"}, {1, 7, 8}),
        ({"mentor_hours": "1"}, {8}),
        ({"mentor_hours": "40"}, SEEKING),
        # with the directory's usual filters
        ({"seeking_mentors": "1", "theme": "employment"}, {1, 7, 8}),
        ({"seeking_mentors": "1", "org": "duo"}, {1, 7}),
        ({"seeking_mentors": "1", "language": "ar"}, {1}),
        ({"seeking_mentors": "1", "open": "1"}, SEEKING),
        ({"experience": "business", "mentor_language": "fr", "mentor_hours": "4"}, {1, 5, 8}),
        ({"experience": "business", "mentor_language": "nl", "mentor_hours": "3"}, {1, 8}),
    ],
)
def test_mentor_filters(search, args, expected):
    assert set(ids(search(per_page="50", **args))) == expected


def test_near_a_postcode(search):
    # Molenbeek (1) and Brussels (7) are within 10 km of 1000; Antwerp (8) is 42 km away.
    results = search(seeking_mentors="1", near="1000", radius_km="10", per_page="50")
    assert set(ids(results)) == {1, 7}
    assert all(hit.distance_km is not None and hit.distance_km <= 10 for hit in results.hits)
    nearest = search(seeking_mentors="1", near="5000", radius_km="100", sort="distance")
    assert ids(nearest)[0] == 5
    assert ids(search(experience="finance", near="Namur", radius_km="5")) == [5]


def test_words_and_the_mentor_path(search):
    assert ids(search(q="emploi", seeking_mentors="1"))[0] == 1
    assert set(ids(search(q="zoeken", lang="nl", seeking_mentors="1"))) == {1, 8}
    assert ids(search(q="digital skills", lang="en", seeking_mentors="1")) == []


def test_hits_carry_what_the_programme_asks_of_mentors(search):
    hits = {hit.programme_id: hit for hit in search(seeking_mentors="1", per_page="50").hits}
    needs = hits[1].document["mentor_needs"]
    assert needs["experience_fields"] == ["hr", "business"]
    assert needs["hours_per_week"] == 2 and needs["training"] == {"hours": 12, "format": "mixed"}
    assert hits[7].document["mentor_needs"]["hours_per_week"] == 1.5
    assert hits[8].document["mentor_needs"]["experience_fields"] == []


def test_facets_count_the_programmes_seeking_mentors(search):
    facets = {name: dict(values) for name, values in search(seeking_mentors="1").facets.items()}
    assert facets["theme"]["employment"] == 3
    assert "digital" not in facets["theme"] and "wellbeing" not in facets["theme"]
    assert sum(facets["cost"].values()) == len(SEEKING)


def test_zero_hits_relax_a_filter_but_stay_among_those_seeking_mentors(search):
    results = search(seeking_mentors="1", theme="wellbeing")  # 6 seeks no mentors
    assert results.total == 0
    assert results.relaxed_filter == "theme"
    assert results.relaxed_total == len(SEEKING)
    # hr: 1 and 8; entrepreneurship: 5 (which asks for business or finance)
    results = search(experience="hr", theme="entrepreneurship")
    assert results.total == 0
    assert (results.relaxed_filter, results.relaxed_total) == ("theme", 2)


def _params(app, **args):
    with app.test_request_context():
        return parse_search_params(MultiDict(args), "fr")


def test_a_programme_that_stops_seeking_mentors_leaves_the_mentor_search(
    db, make_org, make_app, backend_config
):
    """Through the outbox and the indexer, as an editor's change reaches the index."""
    from coalition.programmes.services import publish_programme
    from search.jobs import drain

    app = make_app(**backend_config())
    with app.app_context():
        programme = make_programme(0, PROGRAMMES[1], organisation=make_org())
        programme.id = programme.uuid = programme.published_at = None
        programme.status = ProgrammeStatus.draft
        db.session.add(programme)
        db.session.flush()
        publish_programme(programme)
        db.session.commit()
        drain()
        assert ids(search_programmes(_params(app, experience="hr"))) == [programme.id]

        programme.mentor_needs = {**programme.mentor_needs, "seeking": False}
        db.session.add(OutboxEntry(kind="programme", object_id=programme.id))
        db.session.commit()
        assert drain() == 1
        assert search_programmes(_params(app, seeking_mentors="1")).total == 0
        # still in the directory itself
        assert ids(search_programmes(_params(app, q="mentorat"))) == [programme.id]


# --- where mentors are needed (issue 14) -------------------------------------------------


def _needs(
    *postcodes: str, online: bool = False, seeking: bool = True, fields: tuple[str, ...] = ()
) -> dict[str, Any]:
    return {
        **PROGRAMMES[8]["mentor_needs"],  # asks for no field, language or time in particular
        "seeking": seeking,
        "online": online,
        "experience_fields": list(fields),
        # as the platform stores them: with the branch's coordinates, or without any
        "locations": [
            {"postcode": code, "country": "BE", "city": city, "latitude": lat, "longitude": lon}
            for code, city, lat, lon in (MENTOR_PLACES[c] for c in postcodes)
        ],
    }


MENTOR_PLACES = {
    "4020": ("4020", "Bressoux", None, None),  # 3 km from Liège (4000)
    "5000": ("5000", "Namur", 50.4669, 4.86746),
}
#: id → (programme's places, its mentor needs, online region)
MENTOR_DIRECTORY: dict[int, tuple[list[str], dict[str, Any], str | None]] = {
    501: (["1000"], _needs("4020"), None),  # runs in Brussels, needs mentors near Liège
    502: (["2000"], _needs(), None),  # Antwerp: mentors wherever it runs
    503: (["9000"], _needs(online=True, fields=("technology",)), None),  # Ghent, or online
    504: (["1000"], _needs("5000", online=True), None),  # Namur's branch, or online
    505: ([], _needs(online=True), "BE"),  # online only: no place at all
    506: (["4000"], _needs("4020", seeking=False), None),  # seeks none now
}


def mentor_documents() -> list[dict[str, Any]]:
    docs = []
    for pid, (places, needs, online_region) in MENTOR_DIRECTORY.items():
        spec = {**PROGRAMMES[8], "places": places, "mentor_needs": needs}
        organisation = Organisation(name="Samen Sterk", names={}, slug=f"m-{pid}")
        programme = make_programme(pid, spec, organisation)
        programme.uuid = uuid.uuid5(uuid.NAMESPACE_URL, f"mentor-places-{pid}")
        programme.online_region = online_region
        docs.append(build_document(programme))
    return docs


directory_app = indexed_app_fixture(mentor_documents, "mentors")


def distances(results: SearchResults) -> list[float | None]:
    return [None if h.distance_km is None else round(h.distance_km) for h in results.hits]


def test_mentor_search_measures_to_where_mentors_are_needed(find):
    """501 runs in Brussels but needs its mentors near Liège: found near Liège, with the
    distance to Bressoux; the online ones follow, by distance, the one without a place last."""
    results = find(seeking_mentors="1", near="4000", radius_km="10")
    assert ids(results) == [501, 504, 503, 505]
    assert distances(results) == [3, 53, 138, None]


def test_mentor_search_near_a_programme_s_own_place_that_needs_mentors_elsewhere(find):
    results = find(seeking_mentors="1", near="1000", radius_km="10")
    assert ids(results) == [503, 504, 505]  # all three online; 501's mentors are in Liège
    assert distances(results) == [50, 56, None]  # 504: to Namur's branch, not to Brussels


def test_a_programme_giving_no_mentor_places_measures_to_its_own(find):
    results = find(seeking_mentors="1", near="2000", radius_km="10")
    assert ids(results) == [502, 503, 504, 505]
    assert distances(results)[0] == 0


def test_the_radius_still_applies_to_programmes_not_online(find):
    assert ids(find(seeking_mentors="1", near="4000", radius_km="2")) == [504, 503, 505]
    relevance = find(seeking_mentors="1", near="4000", radius_km="10", sort="relevance")
    assert set(ids(relevance)) == {501, 503, 504, 505}


def test_the_mentor_filters_apply_to_online_programmes_too(find):
    assert ids(find(experience="hr", near="4000", radius_km="10")) == [501, 504, 505]
    assert ids(find(experience="technology", near="1000", radius_km="10")) == [503, 504, 505]


def test_the_directory_keeps_measuring_to_the_programme_s_places(find):
    results = find(near="1000", radius_km="10")
    assert set(ids(results)) == {501, 504}
    assert distances(results) == [0, 0]
    assert ids(find(near="4000", radius_km="10")) == [506]  # not online in the directory
