"""The search API's answer cache never serves an answer of an index that changed since."""

from __future__ import annotations


def test_the_same_search_sees_a_newly_indexed_and_a_removed_programme(
    client, search_backend, make_programme, index_programmes
):
    url = "/api/v1/programmes?lang=fr&q=zqcachetest"
    assert client.get(url).get_json()["total"] == 0
    assert client.get(url).get_json()["total"] == 0  # the same question again (cached)

    programme = make_programme(titles={"fr": "Zqcachetest mentorat"})
    index_programmes(programme)
    body = client.get(url).get_json()
    assert body["total"] == 1
    assert body["hits"][0]["title"] == "Zqcachetest mentorat"

    search_backend.delete([programme.id])
    assert client.get(url).get_json()["total"] == 0


def test_a_repeated_search_answers_the_same(
    client, search_backend, make_programme, index_programmes
):
    index_programmes(make_programme(titles={"fr": "Mentorat emploi"}))
    url = "/api/v1/programmes?lang=fr&q=emploi&theme=employment"
    first, second = client.get(url), client.get(url)
    assert first.status_code == second.status_code == 200
    assert first.get_data() == second.get_data()
    assert second.headers["Content-Language"] == "fr"
    assert second.mimetype == "application/json"
