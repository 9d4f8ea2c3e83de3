"""The HSDS feed's `Page` envelope and its text search (`search`), on both engines' SQL."""

from __future__ import annotations

from datetime import timedelta

from coalition.database import utcnow
from tests.search.test_hsds import assert_page


def test_an_empty_page_counts_no_page(client, directory):
    tomorrow = (utcnow() + timedelta(days=1)).isoformat()
    body = client.get("/hsds/services", query_string={"modified_after": tomorrow}).json
    assert_page(body, "service_list")
    assert (body["total_items"], body["total_pages"], body["size"]) == (0, 0, 0)
    assert body["first_page"] and body["last_page"] and body["empty"]


def test_a_page_past_the_last_is_empty_but_counts_them(client, directory):
    body = client.get("/hsds/services?per_page=3&page=5").json
    assert (body["total_items"], body["total_pages"], body["page_number"]) == (4, 2, 5)
    assert body["empty"] and body["last_page"] and not body["first_page"]


def test_search_is_text_not_a_pattern(client, directory):
    def names(path: str) -> set[str]:
        return {item["name"] for item in client.get(path).json["contents"]}

    assert names("/hsds/organizations?search=%25") == set()  # "%" is only a character
    assert names("/hsds/organizations?search=_") == set()
    assert names("/hsds/services?search=%25") == set()
    assert names("/hsds/organizations?search=BRUG&lang=nl") == {"De Brug"}
    assert names("/hsds/services?search=R%C3%89USSIR") == {"Réussir à l'école"}
