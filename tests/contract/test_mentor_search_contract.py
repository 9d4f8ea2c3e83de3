"""The "Become a mentor" search, identical on tantivy and on Elasticsearch.

In the corpus, programmes 1, 5, 7 and 8 seek mentors; 4 keeps a mentor profile but seeks
none now (`"seeking": false`); 8 asks for no particular field, language or time.
"""

from __future__ import annotations

import pytest

from coalition.outbox import OutboxEntry
from coalition.programmes.models import ProgrammeStatus
from search.services import search_programmes
from tests.contract.conftest import ids
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
    from werkzeug.datastructures import MultiDict

    from search.services import parse_search_params

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
