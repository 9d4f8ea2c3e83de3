"""The embedded engine's radius filter finds exactly the programmes within the radius: the
radius's box less those of the box found farther (by term queries for a few, a term set
for many), and with the mentor path's `online`, every programme online as well."""

from __future__ import annotations

import math

import pytest

from search.backends import tantivy_queries as queries
from search.backends.interface import Near
from tests.contract.corpus import corpus_documents
from tests.search.tantivy_index import document_like, searcher_of

ORIGIN = (50.85, 4.35)
RADIUS = 10.0
#: a kilometre in degrees of latitude, and of longitude at the origin's latitude
KM_LAT = 1 / 111.2
KM_LON = 1 / (111.2 * math.cos(math.radians(ORIGIN[0])))


def _at(template: dict, doc_id: int, north_km: float, east_km: float, **fields) -> dict:
    place = {"lat": ORIGIN[0] + north_km * KM_LAT, "lon": ORIGIN[1] + east_km * KM_LON}
    located = {"locations": [place], "mentor_locations": [place], "mentor_online": []}
    return document_like(template, doc_id, **{**located, **fields})


def _found(searcher, query) -> set[int]:
    hits = searcher.search(query, limit=1000).hits
    return set(searcher.fast_field_values("id", [address for _score, address in hits]))


@pytest.mark.parametrize("farther", [5, queries.FEW_IDS + 6])
def test_the_radius_keeps_the_programmes_within_it_and_no_corner_of_its_box(tmp_path, farther):
    template = corpus_documents()[0]
    within = [_at(template, i, 2, 3) for i in range(1, 11)]  # about 3.6 km away
    corners = [_at(template, 100 + i, 8, 8) for i in range(farther)]  # in the box, 11.3 km
    away = [_at(template, 900 + i, 40, 0) for i in range(3)]  # outside the box
    searcher = searcher_of(tmp_path, within + corners + away)
    near = queries.distances(searcher, Near(ORIGIN, RADIUS))
    assert set(near.distances) == set(range(1, 11))
    assert all(km == pytest.approx(3.6, abs=0.1) for km in near.distances.values())
    assert _found(searcher, near.query) == set(range(1, 11))


def test_the_mentor_path_keeps_programmes_online_at_any_distance(tmp_path):
    template = corpus_documents()[0]
    docs = [
        _at(template, 1, 2, 3),
        _at(template, 2, 8, 8),  # a corner of the box, not online
        _at(template, 3, 8, 8, mentor_online=["1"]),  # a corner, online
        _at(template, 4, 40, 0, mentor_online=["1"]),  # far away, online
    ]
    searcher = searcher_of(tmp_path, docs)
    near = queries.distances(searcher, Near(ORIGIN, RADIUS, "mentor_locations", "mentor_online"))
    assert set(near.distances) == {1, 3, 4}
    assert near.distances[4] == pytest.approx(40, abs=0.5)  # sorted by its distance
    assert _found(searcher, near.query) == {1, 3, 4}


def test_a_radius_with_nothing_in_it_finds_nothing(tmp_path):
    template = corpus_documents()[0]
    searcher = searcher_of(tmp_path, [_at(template, 1, 40, 0), _at(template, 2, 8, 8)])
    near = queries.distances(searcher, Near(ORIGIN, RADIUS))
    assert near.distances == {}
    assert _found(searcher, near.query) == set()
